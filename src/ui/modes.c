/* ui/modes.c — what a key means in each mode, most urgent first: a dialog of the command
 * thread (question, choice, prompt), the help, the message log, the viewer (ui/viewer.h), the
 * command line (with Tab completion), the quick filter, the queue view, and the panes (the key
 * map).
 * Must not: call curses, or do file or network work (actions hand that to the command thread). */
#include "ui/app.h"
#include "ui/actions.h"
#include "ui/complete.h"
#include "ui/queueview.h"
#include "common/i18n.h"
#include "core/cmd.h"
#include <string.h>

/* ---- dialogs ------------------------------------------------------------------------- */

/* What stays open under a dialog: help, the log, the viewer and the site manager; a command line
 * or filter being typed is dropped. */
static UiMode covering(UiMode mode)
{
        return mode == UI_MODE_HELP || mode == UI_MODE_LOG || mode == UI_MODE_VIEW || mode == UI_MODE_SITES
                       ? mode
                       : UI_MODE_PANES;
}

void ui_app_close_dialog(UiApp *app)
{
        if (app->mode == UI_MODE_DIALOG)
                app->mode = app->under_dialog;
        app->dialog_quit = FALSE;
        g_clear_pointer(&app->dialog_label, g_free);
        ui_cmdline_clear(&app->dialog_field);
        for (guint i = 0; i < app->dialog_n_choices; i++)
                g_free((char *)app->dialog_choices[i].label);
        g_clear_pointer(&app->dialog_choices, g_free);
        app->dialog_n_choices = 0;
        g_clear_pointer(&app->cert_dialog, ui_cert_dialog_free);
        g_clear_pointer(&app->list_dialog, ui_list_dialog_free);
}

void ui_app_open_dialog(UiApp *app)
{
        const UiRequest *request = ui_bridge_request(app->bridge);
        if (!request)
                return;
        ui_app_close_dialog(app);
        if (app->mode == UI_MODE_PROMPT)
                ui_prompt_close(app); /* a question of the command thread comes first */
        app->under_dialog = covering(app->mode);
        app->mode = UI_MODE_DIALOG;
        app->dialog_question = request->is_question;
        app->dialog_secret = request->secret;
        app->dialog_label = g_strdup(request->label);
        if (request->cert)
                app->cert_dialog = ui_cert_dialog_new(request->cert_server, request->cert, request->cert_stored);
        if (request->list)
                app->list_dialog = ui_list_dialog_new(request->label, request->list_heading, request->list);
        if (request->list && request->list_hints)
                ui_list_dialog_set_offer(app->list_dialog, request->list_hints);
        ui_cmdline_init(&app->dialog_field, NULL);
        if (request->initial)
                ui_cmdline_set(&app->dialog_field, request->initial);
        app->dialog_n_choices = request->n_choices;
        app->dialog_choices = request->n_choices ? g_new0(UiChoice, request->n_choices) : NULL;
        for (guint i = 0; i < request->n_choices; i++) {
                app->dialog_choices[i].key = request->choices[i].key;
                app->dialog_choices[i].label = g_strdup(request->choices[i].label);
        }
}

void ui_app_ask_quit(UiApp *app, guint running, guint waiting)
{
        static const struct { UiKey key; const char *label; } answers[] = {
                { 'y', N_("quit and cancel them") }, { 'n', N_("stay (Enter)") },
        };
        static const struct { UiKey key; const char *label; } kept[] = {
                { 'y', N_("quit, keep them for the next start") }, { 'n', N_("stay (Enter)") },
        };
        ui_app_close_dialog(app);
        app->under_dialog = covering(app->mode);
        app->mode = UI_MODE_DIALOG;
        app->dialog_quit = TRUE;
        if (app->keeps_journal)
                app->dialog_label = g_strdup_printf(_("Transfers are not finished: %u running, %u waiting. "
                                                      "Quit? They are kept, and offered when clamftp starts "
                                                      "again."), running, waiting);
        else
                app->dialog_label = g_strdup_printf(_("Transfers are not finished: %u running, %u waiting. "
                                                      "Quit and cancel them?"), running, waiting);
        app->dialog_n_choices = G_N_ELEMENTS(answers);
        app->dialog_choices = g_new0(UiChoice, G_N_ELEMENTS(answers));
        for (gsize i = 0; i < G_N_ELEMENTS(answers); i++) {
                app->dialog_choices[i].key = answers[i].key;
                app->dialog_choices[i].label = g_strdup(_(app->keeps_journal ? kept[i].label : answers[i].label));
        }
}

/* The quit question: only y quits; n, Enter and Esc stay. */
static void key_quit(UiApp *app, UiKey key)
{
        if (key == 'y' || key == 'Y') {
                ui_app_close_dialog(app);
                app->running = FALSE;
                return;
        }
        if (key == 'n' || key == 'N' || key == UI_KEY_ENTER || key == UI_KEY_ESCAPE || key == UI_KEY_CTRL('c'))
                ui_app_close_dialog(app);
}

static void key_question(UiApp *app, UiKey key)
{
        static const struct { UiKey key; CoreAnswer answer; } answers[] = {
                { 'y', CORE_ANSWER_YES }, { 'n', CORE_ANSWER_NO }, { 'a', CORE_ANSWER_ALL },
                { 'q', CORE_ANSWER_QUIT }, { UI_KEY_ESCAPE, CORE_ANSWER_QUIT },
                { 'Y', CORE_ANSWER_YES }, { 'N', CORE_ANSWER_NO },
        };
        for (gsize i = 0; i < G_N_ELEMENTS(answers); i++) {
                if (answers[i].key == key) {
                        ui_bridge_answer(app->bridge, NULL, answers[i].answer);
                        ui_app_close_dialog(app);
                        return;
                }
        }
}

static void key_choice(UiApp *app, UiKey key)
{
        int chosen = -2;
        if (key == UI_KEY_ESCAPE || key == UI_KEY_CTRL('c'))
                chosen = -1;
        for (guint i = 0; i < app->dialog_n_choices; i++) {
                if (app->dialog_choices[i].key == key)
                        chosen = (int)i;
        }
        if (chosen == -2)
                return;
        ui_bridge_answer_choice(app->bridge, chosen);
        ui_app_close_dialog(app);
}

static void key_certificate(UiApp *app, UiKey key)
{
        UiCertAnswer answer = ui_cert_dialog_key(app->cert_dialog, key);
        if (answer == UI_CERT_PENDING)
                return;
        ui_bridge_answer(app->bridge, NULL, answer == UI_CERT_TRUST ? CORE_ANSWER_YES
                                            : answer == UI_CERT_TRUST_ONCE ? CORE_ANSWER_ALL : CORE_ANSWER_NO);
        ui_app_close_dialog(app);
}

static void key_list(UiApp *app, UiKey key)
{
        UiListAnswer answer = ui_list_dialog_key(app->list_dialog, key);
        if (answer == UI_LIST_PENDING)
                return;
        ui_bridge_answer(app->bridge, NULL, answer == UI_LIST_YES ? CORE_ANSWER_YES
                                            : answer == UI_LIST_LATER ? CORE_ANSWER_QUIT : CORE_ANSWER_NO);
        ui_app_close_dialog(app);
}

static void key_dialog(UiApp *app, UiKey key)
{
        if (app->dialog_quit) {
                key_quit(app, key);
                return;
        }
        if (app->cert_dialog) {
                key_certificate(app, key);
                return;
        }
        if (app->list_dialog) {
                key_list(app, key);
                return;
        }
        if (app->dialog_question) {
                key_question(app, key);
                return;
        }
        if (app->dialog_choices) {
                key_choice(app, key);
                return;
        }
        if (key == UI_KEY_ENTER) {
                ui_bridge_answer(app->bridge, app->dialog_field.text->str, CORE_ANSWER_YES);
                ui_app_close_dialog(app);
        } else if (key == UI_KEY_ESCAPE || key == UI_KEY_CTRL('c')) {
                ui_bridge_answer(app->bridge, NULL, CORE_ANSWER_QUIT);
                ui_app_close_dialog(app);
        } else if (key != UI_KEY_UP && key != UI_KEY_DOWN) {
                ui_cmdline_key(&app->dialog_field, key);
        }
}

/* ---- the command line ---------------------------------------------------------------- */

static GPtrArray *remote_names(UiPane *pane)
{
        GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
        for (guint i = 0; pane->path && i < pane->all->len; i++) {
                UiEntry *entry = g_ptr_array_index(pane->all, i);
                if (!entry->is_parent)
                        g_ptr_array_add(names, g_strconcat(entry->name, entry->is_dir ? "/" : "", NULL));
        }
        return names;
}

/* Candidates that add nothing are listed in the message area (as a shell lists them). */
static void list_candidates(UiApp *app, GPtrArray *candidates)
{
        GString *line = g_string_new(NULL);
        for (guint i = 0; i < candidates->len; i++)
                g_string_append_printf(line, "%s%s", i ? "  " : "", (char *)candidates->pdata[i]);
        ui_app_say(app, CORE_MSG_OUTPUT, "%s", line->str);
        g_string_free(line, TRUE);
}

static void complete(UiApp *app)
{
        UiCmdline *line = &app->cmdline;
        gsize cursor = (gsize)(g_utf8_offset_to_pointer(line->text->str, (glong)line->cursor) - line->text->str);
        g_autoptr(GPtrArray) names = remote_names(app->panes[UI_PANE_REMOTE]);
        UiCompleteSources sources = { .local_dir = app->panes[UI_PANE_LOCAL]->path, .remote_names = names };
        g_autoptr(UiCompletion) c = ui_complete(line->text->str, cursor, &sources);
        if (!c->insert) {
                if (c->candidates->len > 1)
                        list_candidates(app, c->candidates);
                return;
        }
        g_string_erase(line->text, (gssize)c->start, (gssize)(cursor - c->start));
        g_string_insert(line->text, (gssize)c->start, c->insert);
        g_autofree char *before = g_strndup(line->text->str, c->start + strlen(c->insert));
        line->cursor = (gsize)g_utf8_strlen(before, -1);
}

static void key_cmdline(UiApp *app, UiKey key)
{
        if (key == UI_KEY_ESCAPE || key == UI_KEY_CTRL('c') ||
            (key == UI_KEY_BACKSPACE && app->cmdline.text->len == 0)) {
                app->mode = UI_MODE_PANES;
                return;
        }
        if (key == UI_KEY_TAB) {
                complete(app);
                return;
        }
        if (key != UI_KEY_ENTER) {
                ui_cmdline_key(&app->cmdline, key);
                return;
        }
        g_autofree char *line = g_strchomp(g_strdup(app->cmdline.text->str)); /* a completion's blank */
        app->mode = UI_MODE_PANES;
        ui_cmdline_history_add(app->history, line);
        ui_app_run_line(app, line);
}

/* ---- the quick filter ---------------------------------------------------------------- */

static void key_filter(UiApp *app, UiKey key)
{
        UiPane *pane = ui_app_active_pane(app);
        if (key == UI_KEY_ESCAPE || key == UI_KEY_CTRL('c')) {
                ui_pane_set_filter(pane, app->filter_before);
                app->mode = UI_MODE_PANES;
                return;
        }
        if (key == UI_KEY_ENTER || (key == UI_KEY_BACKSPACE && app->filter_line.text->len == 0)) {
                ui_pane_set_filter(pane, app->filter_line.text->str); /* empty: every name again */
                app->mode = UI_MODE_PANES;
                return;
        }
        if (key != UI_KEY_UP && key != UI_KEY_DOWN && ui_cmdline_key(&app->filter_line, key)) {
                ui_pane_set_filter(pane, app->filter_line.text->str);
                return;
        }
        /* not an editing key (arrows, F-keys, Tab): the filter stays, the panes take the key */
        app->mode = UI_MODE_PANES;
        ui_app_handle_key(app, key);
}

/* ---- help and the message log -------------------------------------------------------- */

/* Scrolls a view; TRUE when the key closes it. */
static gboolean key_scroll(int *top, UiKey key, int page, UiKey own_key)
{
        switch (key) {
        case UI_KEY_UP: *top = MIN(*top, G_MAXINT / 2) - 1; break;
        case UI_KEY_DOWN: *top = MIN(*top, G_MAXINT / 2) + 1; break;
        case UI_KEY_PPAGE: *top = MIN(*top, G_MAXINT / 2) - page; break;
        case UI_KEY_NPAGE: case ' ': *top = MIN(*top, G_MAXINT / 2) + page; break;
        case UI_KEY_HOME: *top = 0; break;
        case UI_KEY_END: *top = G_MAXINT; break;
        case UI_KEY_ESCAPE: case 'q': case UI_KEY_ENTER: case UI_KEY_F(10):
                return TRUE;
        default:
                return key == own_key;
        }
        return FALSE;
}

/* ---- panes ----------------------------------------------------------------------------- */

static void key_panes(UiApp *app, UiKey key)
{
        if (app->esc_pending) {
                app->esc_pending = FALSE;
                UiKey fkey = ui_keymap_esc_digit(key);
                if (fkey != UI_KEY_NONE)
                        key = fkey;
        }
        if (app->ctrl_x_pending) {
                app->ctrl_x_pending = FALSE;
                key = ui_keymap_ctrl_x(key); /* C-x then an unbound key does nothing */
        }
        if (key == UI_KEY_ESCAPE) {
                app->esc_pending = TRUE;
                ui_typeahead_reset(&app->typeahead);
                return;
        }
        if (key == UI_KEY_CTRL('x')) {
                app->ctrl_x_pending = TRUE;
                return;
        }
        if (ui_find_typeahead_key(app, key))
                return;
        const char *command = ui_keymap_lookup(key);
        if (command)
                ui_app_run_line(app, command);
}

void ui_app_handle_key(UiApp *app, UiKey key)
{
        if (key == UI_KEY_RESIZE || key == UI_KEY_NONE || key == UI_KEY_MOUSE)
                return;
        switch (app->mode) {
        case UI_MODE_DIALOG:
                key_dialog(app, key);
                return;
        case UI_MODE_HELP:
                if (key_scroll(&app->help_top, key, app->height - 2, UI_KEY_F(1)))
                        app->mode = UI_MODE_PANES;
                return;
        case UI_MODE_LOG:
                if (key_scroll(&app->log_top, key, app->height - 2, UI_KEY_NONE))
                        app->mode = UI_MODE_PANES;
                return;
        case UI_MODE_VIEW:
                if (ui_viewer_key(app->viewer, key))
                        ui_fileview_close(app);
                return;
        case UI_MODE_SITES:
                ui_sites_key(app, key);
                return;
        case UI_MODE_COMMAND_LINE:
                key_cmdline(app, key);
                return;
        case UI_MODE_FILTER:
                key_filter(app, key);
                return;
        case UI_MODE_SEARCH:
                ui_find_search_key(app, key);
                return;
        case UI_MODE_PROMPT:
                ui_prompt_key(app, key);
                return;
        case UI_MODE_PANES:
                break;
        }
        if (app->queue_view)
                ui_queue_key(app, key);
        else
                key_panes(app, key);
}
