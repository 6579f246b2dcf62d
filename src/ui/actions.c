/* ui/actions.c — the TUI's actions and the default key map (see actions.h).
 * Must not: call curses, or do file or network work itself (jobs.c sends that to the command
 * thread). */
#include "ui/actions.h"
#include "ui/app.h"
#include "ui/ui.h"
#include "common/i18n.h"
#include "ui/queueview.h"
#include "core/cmd.h"
#include "core/worker.h"
#include <stdlib.h>
#include <string.h>

#define ACTION(fn) static gboolean fn(UiApp *app, int argc, char **argv, GError **error)

ACTION(act_copy) { return ui_transfers_copy(app, FALSE, error); }
ACTION(act_move) { return ui_transfers_copy(app, TRUE, error); }
ACTION(act_transfer) { return ui_transfers_typed(app, argc, argv, error); }
ACTION(act_scan) { return ui_jobs_scan(app, error); }
ACTION(act_rename) { return ui_jobs_rename(app, error); }
ACTION(act_mkdir) { return ui_jobs_mkdir(app, error); }
ACTION(act_delete) { return ui_jobs_delete(app, error); }
ACTION(act_view) { return ui_fileview_view(app, error); }
ACTION(act_edit) { return ui_fileview_edit(app, error); }

/* With transfers running or waiting, asks first: F10 must not drop them silently. */
ACTION(act_quit)
{
        CoreQueueCounts counts;
        core_queue_counts(app->queue, &counts);
        if (counts.running > 0 || counts.waiting > 0) {
                ui_app_ask_quit(app, counts.running, counts.waiting);
                return TRUE;
        }
        app->running = FALSE;
        return TRUE;
}

ACTION(act_help)
{
        app->mode = UI_MODE_HELP;
        app->help_top = 0;
        return TRUE;
}

ACTION(act_switch)
{
        app->active = app->active == UI_PANE_LOCAL ? UI_PANE_REMOTE : UI_PANE_LOCAL;
        return TRUE;
}

/* mc's Ctrl-U swaps its panels; here the sides are this machine and the server, so what changes
 * is where each is drawn (FileZilla's "swap local and remote panes"): every key and command still
 * means the same pane. */
ACTION(act_swap_panes)
{
        app->swapped = !app->swapped;
        ui_app_say(app, CORE_MSG_INFO, app->swapped ? _("The server's pane is on the left now.")
                                                    : _("The server's pane is on the right again."));
        return TRUE;
}

ACTION(act_up) { ui_pane_move(ui_app_active_pane(app), -1); return TRUE; }
ACTION(act_down) { ui_pane_move(ui_app_active_pane(app), 1); return TRUE; }
ACTION(act_home) { ui_pane_move_to(ui_app_active_pane(app), 0); return TRUE; }
ACTION(act_end) { ui_pane_move_to(ui_app_active_pane(app), G_MAXINT); return TRUE; }

/* cursor-to N: the N-th entry shown (1 is the first), as a click on its row does. */
ACTION(act_cursor_to)
{
        guint64 n = 0;
        if (!g_ascii_string_to_unsigned(argv[1], 10, 1, G_MAXINT, &n, NULL)) {
                g_set_error(error, UI_ERROR, UI_ERROR_USAGE, _("cursor-to wants a row number from 1, not %s."), argv[1]);
                return FALSE;
        }
        ui_pane_move_to(ui_app_active_pane(app), (int)n - 1);
        return TRUE;
}

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
        if (!entry)
                return TRUE;
        if (!entry->is_dir)
                return ui_fileview_view(app, error); /* mc: Enter on a file views it */
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
        app->mode = UI_MODE_COMMAND_LINE;
        ui_cmdline_clear(&app->cmdline);
        ui_cmdline_init(&app->cmdline, app->history);
        if (argc > 1)
                ui_cmdline_set(&app->cmdline, argv[1]);
        return TRUE;
}

static guint first_scanning(CoreQueue *queue)
{
        g_autoptr(CoreJob) job = core_queue_first_in(queue, CORE_JOB_SCANNING);
        return job ? job->id : 0;
}

/* cancel: the running transfer (or command); cancel N: job N of the queue; cancel all. */
ACTION(act_cancel)
{
        CoreWorker *worker = app->ctx->worker;
        if (argc > 1 && strcmp(argv[1], "all") == 0) {
                core_queue_cancel_all(app->queue, worker);
                ui_app_say(app, CORE_MSG_INFO, "%s", _("Cancelling every transfer not finished…"));
                return TRUE;
        }
        if (argc > 1) {
                char *end = NULL;
                guint64 id = g_ascii_strtoull(argv[1], &end, 10);
                if (!end || *end || id == 0 || id > G_MAXUINT ||
                    !core_queue_cancel(app->queue, (guint)id, worker)) {
                        g_set_error(error, UI_ERROR, UI_ERROR_USAGE,
                                    _("No unfinished job %s in the queue (see F9)."), argv[1]);
                        return FALSE;
                }
                ui_app_say(app, CORE_MSG_INFO, _("Cancelling job %s…"), argv[1]);
                return TRUE;
        }
        guint id = core_queue_active(app->queue);
        if (!id)
                id = first_scanning(app->queue); /* skipped once its scan ends */
        if (!id && ui_commander_pending(app->commander) == 0) {
                ui_app_say(app, CORE_MSG_INFO, "%s", _("Nothing is running: there is nothing to cancel."));
                return TRUE;
        }
        if (!id || !core_queue_cancel(app->queue, id, worker)) {
                core_worker_cancel(worker); /* a command outside the queue (ls, a stalled cd) */
                ui_app_say(app, CORE_MSG_INFO, "%s", _("Cancelling the running command…"));
                return TRUE;
        }
        ui_app_say(app, CORE_MSG_INFO, "%s", _("Cancelling the running transfer…"));
        return TRUE;
}

ACTION(act_queue)
{
        app->queue_view = !app->queue_view;
        return TRUE;
}

ACTION(act_queue_clear)
{
        core_queue_remove_finished(app->queue);
        return TRUE;
}

ACTION(act_messages)
{
        app->mode = UI_MODE_LOG;
        app->log_top = G_MAXINT;
        return TRUE;
}

ACTION(act_filter)
{
        UiPane *pane = ui_app_active_pane(app);
        if (argc > 1) {
                ui_pane_set_filter(pane, argv[1]);
                return TRUE;
        }
        app->mode = UI_MODE_FILTER;
        g_free(app->filter_before);
        app->filter_before = g_strdup(pane->filter);
        ui_cmdline_clear(&app->filter_line);
        ui_cmdline_init(&app->filter_line, NULL); /* typing starts a new filter; Esc restores */
        return TRUE;
}

ACTION(act_sort)
{
        UiPane *pane = ui_app_active_pane(app);
        UiSortKey key = (pane->sort + 1) % (UI_SORT_TIME + 1);
        if (argc > 1 && strcmp(argv[1], "reverse") == 0) {
                ui_pane_set_reverse(pane, !pane->reverse);
                return TRUE;
        }
        if (argc > 1 && !ui_sort_key_parse(argv[1], &key)) {
                g_set_error(error, UI_ERROR, UI_ERROR_USAGE, _("Sort by name, size or time, or reverse, not %s."), argv[1]);
                return FALSE;
        }
        ui_pane_set_sort(pane, key);
        return TRUE;
}

/* `columns perms [on|off]`: the permissions column in both panes, as dot files are. */
ACTION(act_columns)
{
        if (strcmp(argv[1], "perms") != 0) {
                g_set_error(error, UI_ERROR, UI_ERROR_USAGE, _("The column that can be shown is perms, not %s."), argv[1]);
                return FALSE;
        }
        gboolean show = !app->panes[0]->show_perms;
        if (argc > 2 && !core_cmd_parse_switch(argv[2], &show)) {
                g_set_error(error, UI_ERROR, UI_ERROR_USAGE, _("Use on or off, not %s."), argv[2]);
                return FALSE;
        }
        app->panes[0]->show_perms = app->panes[1]->show_perms = show;
        return TRUE;
}

ACTION(act_search) { return ui_find_search(app, argc, argv, error); }
ACTION(act_select_pattern) { return ui_find_select_pattern(app, argc, argv, TRUE, error); }
ACTION(act_unselect_pattern) { return ui_find_select_pattern(app, argc, argv, FALSE, error); }
ACTION(act_chmod) { return ui_chmod_command(app, argc, argv, error); }

/* Dot files are shown or hidden in both panes at once. */
ACTION(act_dotfiles)
{
        gboolean show = app->panes[0]->hide_dotfiles;
        if (argc > 1 && !core_cmd_parse_switch(argv[1], &show)) {
                g_set_error(error, UI_ERROR, UI_ERROR_USAGE, _("Use on or off, not %s."), argv[1]);
                return FALSE;
        }
        ui_pane_set_hide_dotfiles(app->panes[0], !show);
        ui_pane_set_hide_dotfiles(app->panes[1], !show);
        return TRUE;
}

ACTION(act_mirror) { return ui_mirror_start(app, argc, argv, error); }
ACTION(act_sync_browse) { return ui_jobs_sync_browse(app, argc, argv, error); }
ACTION(act_compare) { return ui_compare_command(app, argc, argv, error); }

ACTION(act_sites)
{
        ui_sites_open(app);
        return TRUE;
}

ACTION(act_dump_screen) { return ui_app_dump_screen(app, argv[1], error); }

/* Every row of core's table with a screen form has its handler here, and nothing else does
 * (tests/unit/test-ui-keymap.c checks both ways). */
static const UiAction actions[] = {
        { "cancel", act_cancel },
        { "chmod", act_chmod },
        { "columns", act_columns },
        { "command-line", act_command_line },
        { "compare", act_compare },
        { "copy", act_copy },
        { "cursor-down", act_down },
        { "cursor-end", act_end },
        { "cursor-home", act_home },
        { "cursor-to", act_cursor_to },
        { "cursor-up", act_up },
        { "delete", act_delete },
        { "dotfiles", act_dotfiles },
        { "dump-screen", act_dump_screen },
        { "edit", act_edit },
        { "enter", act_enter },
        { "filter", act_filter },
        { "get", act_transfer },
        { "help", act_help },
        { "invert", act_invert },
        { "messages", act_messages },
        { "mget", act_transfer },
        { "mirror", act_mirror },
        { "mkdir", act_mkdir },
        { "move", act_move },
        { "mput", act_transfer },
        { "page-down", act_page_down },
        { "page-up", act_page_up },
        { "parent", act_parent },
        { "put", act_transfer },
        { "queue", act_queue },
        { "queue-clear", act_queue_clear },
        { "quit", act_quit },
        { "refresh", act_refresh },
        { "rename", act_rename },
        { "scan", act_scan },
        { "search", act_search },
        { "select", act_select },
        { "select-pattern", act_select_pattern },
        { "sites", act_sites },
        { "sort", act_sort },
        { "swap-panes", act_swap_panes },
        { "switch-pane", act_switch },
        { "sync-browse", act_sync_browse },
        { "unselect-pattern", act_unselect_pattern },
        { "view", act_view },
};

static const UiBinding bindings[] = {
        { UI_KEY_F(1), "help" },
        { UI_KEY_F(2), "scan" },
        { UI_KEY_F(3), "view" },
        { UI_KEY_F(4), "edit" },
        { UI_KEY_F(5), "copy" },
        { UI_KEY_F(6), "rename" },
        { UI_KEY_SHIFT_F(6), "move" },
        { UI_KEY_F(7), "mkdir" },
        { UI_KEY_F(8), "delete" },
        { UI_KEY_F(9), "queue" },
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
        { '+', "select-pattern" },   /* mc's select and unselect by a pattern */
        { '-', "unselect-pattern" },
        { ':', "command-line" },
        { '/', "filter" },
        { 's', "sort" },
        { 'S', "sort reverse" },
        { '.', "dotfiles" },
        { UI_KEY_CTRL('r'), "refresh" },
        { UI_KEY_CTRL('c'), "cancel" },
        { UI_KEY_CTRL('s'), "search" }, /* mc's quick search */
        { UI_KEY_CTRL('u'), "swap-panes" }, /* mc's swap panels */
        { UI_KEY_CTRL('\\'), "sites" }, /* mc's hotlist */
        { UI_KEY_CTRL_X('d'), "compare" }, /* mc's "compare directories" */
        { UI_KEY_CTRL_X('c'), "chmod" },   /* mc's chmod */
        /* the log left F3 to mc's viewer; mc's Ctrl-X keys hold the rest of its commands, and it
         * gives `m` no meaning (Ctrl-O is its subshell, Ctrl-L a redraw everywhere) */
        { UI_KEY_CTRL_X('m'), "messages" },
};

const UiAction *ui_action_table(gsize *n_actions)
{
        *n_actions = G_N_ELEMENTS(actions);
        return actions;
}

const UiAction *ui_action_find(const char *name)
{
        for (gsize i = 0; i < G_N_ELEMENTS(actions); i++) {
                if (strcmp(actions[i].name, name) == 0)
                        return &actions[i];
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

UiKey ui_keymap_ctrl_x(UiKey key)
{
        return key > ' ' && key < 0x7f ? UI_KEY_CTRL_X(key) : UI_KEY_NONE;
}

UiKey ui_keymap_esc_digit(UiKey key)
{
        if (key < '0' || key > '9')
                return UI_KEY_NONE;
        return key == '0' ? UI_KEY_F(10) : UI_KEY_F(key - '0');
}
