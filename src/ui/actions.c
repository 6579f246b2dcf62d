/* ui/actions.c — the TUI's actions and the default key map (see actions.h).
 * Must not: call curses, or do file or network work itself (jobs.c sends that to the command
 * thread). */
#include "ui/actions.h"
#include "ui/app.h"
#include "ui/ui.h"
#include "common/i18n.h"
#include "core/worker.h"
#include <string.h>

#define ACTION(fn) static gboolean fn(UiApp *app, int argc, char **argv, GError **error)

ACTION(act_copy) { return ui_jobs_copy(app, error); }
ACTION(act_rename) { return ui_jobs_rename(app, error); }
ACTION(act_mkdir) { return ui_jobs_mkdir(app, error); }
ACTION(act_delete) { return ui_jobs_delete(app, error); }

ACTION(act_quit)
{
        app->running = FALSE;
        return TRUE;
}

ACTION(act_help)
{
        app->help_active = TRUE;
        app->help_top = 0;
        return TRUE;
}

ACTION(act_switch)
{
        app->active = app->active == UI_PANE_LOCAL ? UI_PANE_REMOTE : UI_PANE_LOCAL;
        return TRUE;
}

ACTION(act_up) { ui_pane_move(ui_app_active_pane(app), -1); return TRUE; }
ACTION(act_down) { ui_pane_move(ui_app_active_pane(app), 1); return TRUE; }
ACTION(act_home) { ui_pane_move_to(ui_app_active_pane(app), 0); return TRUE; }
ACTION(act_end) { ui_pane_move_to(ui_app_active_pane(app), G_MAXINT); return TRUE; }

ACTION(act_page_up)
{
        UiPane *pane = ui_app_active_pane(app);
        ui_pane_move(pane, -MAX(pane->rows - 1, 1));
        return TRUE;
}

ACTION(act_page_down)
{
        UiPane *pane = ui_app_active_pane(app);
        ui_pane_move(pane, MAX(pane->rows - 1, 1));
        return TRUE;
}

ACTION(act_enter)
{
        UiEntry *entry = ui_pane_current(ui_app_active_pane(app));
        if (!entry || !entry->is_dir)
                return TRUE;
        return ui_jobs_enter(app, entry->name, error);
}

ACTION(act_parent) { return ui_jobs_enter(app, "..", error); }
ACTION(act_select) { ui_pane_toggle_select(ui_app_active_pane(app)); return TRUE; }
ACTION(act_invert) { ui_pane_invert_selection(ui_app_active_pane(app)); return TRUE; }

ACTION(act_refresh)
{
        ui_jobs_refresh(app);
        return TRUE;
}

ACTION(act_command_line)
{
        app->cmdline_active = TRUE;
        ui_cmdline_clear(&app->cmdline);
        ui_cmdline_init(&app->cmdline, app->history);
        if (argc > 1)
                ui_cmdline_set(&app->cmdline, argv[1]);
        return TRUE;
}

ACTION(act_cancel)
{
        core_worker_cancel(app->ctx->worker);
        ui_app_say(app, CORE_MSG_INFO, "%s", _("Cancelling the running transfer…"));
        return TRUE;
}

ACTION(act_dump_screen) { return ui_app_dump_screen(app, argv[1], error); }

static const UiAction actions[] = {
        { "cancel", 0, 0, "cancel", N_("cancel the running transfer"), act_cancel },
        { "command-line", 0, 1, "command-line [text]", N_("open the : command line"), act_command_line },
        { "copy", 0, 0, "copy", N_("copy the selection to the other pane (upload through the scanner, or download)"), act_copy },
        { "cursor-down", 0, 0, "cursor-down", N_("move down"), act_down },
        { "cursor-end", 0, 0, "cursor-end", N_("go to the last entry"), act_end },
        { "cursor-home", 0, 0, "cursor-home", N_("go to the first entry"), act_home },
        { "cursor-up", 0, 0, "cursor-up", N_("move up"), act_up },
        { "delete", 0, 0, "delete", N_("delete the selection (asks first)"), act_delete },
        { "dump-screen", 1, 1, "dump-screen <file>", N_("write the screen as text to a file"), act_dump_screen },
        { "enter", 0, 0, "enter", N_("enter the directory under the cursor"), act_enter },
        { "help", 0, 0, "help", N_("show keys and commands"), act_help },
        { "invert", 0, 0, "invert", N_("invert the selection"), act_invert },
        { "mkdir", 0, 0, "mkdir", N_("make a directory in the active pane"), act_mkdir },
        { "page-down", 0, 0, "page-down", N_("move one page down"), act_page_down },
        { "page-up", 0, 0, "page-up", N_("move one page up"), act_page_up },
        { "parent", 0, 0, "parent", N_("go to the parent directory"), act_parent },
        { "quit", 0, 0, "quit", N_("leave clamftp"), act_quit },
        { "refresh", 0, 0, "refresh", N_("read both panes again"), act_refresh },
        { "rename", 0, 0, "rename", N_("rename the entry under the cursor"), act_rename },
        { "select", 0, 0, "select", N_("select or unselect the entry, then move down"), act_select },
        { "switch-pane", 0, 0, "switch-pane", N_("make the other pane active"), act_switch },
};

static const UiBinding bindings[] = {
        { UI_KEY_F(1), "help" },
        { UI_KEY_F(5), "copy" },
        { UI_KEY_F(6), "rename" },
        { UI_KEY_F(7), "mkdir" },
        { UI_KEY_F(8), "delete" },
        { UI_KEY_F(10), "quit" },
        { UI_KEY_TAB, "switch-pane" },
        { UI_KEY_UP, "cursor-up" },
        { UI_KEY_DOWN, "cursor-down" },
        { UI_KEY_PPAGE, "page-up" },
        { UI_KEY_NPAGE, "page-down" },
        { UI_KEY_HOME, "cursor-home" },
        { UI_KEY_END, "cursor-end" },
        { UI_KEY_ENTER, "enter" },
        { UI_KEY_BACKSPACE, "parent" },
        { 0x7f, "parent" },
        { UI_KEY_INSERT, "select" },
        { ' ', "select" },
        { '*', "invert" },
        { ':', "command-line" },
        { UI_KEY_CTRL('r'), "refresh" },
        { UI_KEY_CTRL('c'), "cancel" },
};

const UiAction *ui_action_table(gsize *n_actions)
{
        *n_actions = G_N_ELEMENTS(actions);
        return actions;
}

const UiAction *ui_action_find(const char *name, int n_args)
{
        for (gsize i = 0; i < G_N_ELEMENTS(actions); i++) {
                const UiAction *action = &actions[i];
                if (strcmp(action->name, name) == 0 && n_args >= action->min_args &&
                    n_args <= action->max_args)
                        return action;
        }
        return NULL;
}

const UiBinding *ui_keymap(gsize *n_bindings)
{
        *n_bindings = G_N_ELEMENTS(bindings);
        return bindings;
}

const char *ui_keymap_lookup(UiKey key)
{
        for (gsize i = 0; i < G_N_ELEMENTS(bindings); i++) {
                if (bindings[i].key == key)
                        return bindings[i].command;
        }
        return NULL;
}

UiKey ui_keymap_esc_digit(UiKey key)
{
        if (key < '0' || key > '9')
                return UI_KEY_NONE;
        return key == '0' ? UI_KEY_F(10) : UI_KEY_F(key - '0');
}
