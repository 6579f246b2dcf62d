/* ui/app.c — the UI thread: the event loop (keys and the bridge's events), running typed lines,
 * and ui_main(). What a key means in each mode is in modes.c.
 * Owns: the UiApp state and its life, the history file's load and save. Must not: do network or
 * scanner work (the command thread does), or call curses except through ui/display. */
#include "ui/app.h"
#include "ui/actions.h"
#include "ui/display.h"
#include "ui/history.h"
#include "ui/queueview.h"
#include "ui/transfers.h"
#include "ui/ui.h"
#include "common/i18n.h"
#include "common/quark.h"
#include "core/cmd.h"
#include "core/journal.h"
#include "core/resume.h"
#include "core/safename.h"
#include "core/worker.h"
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MESSAGES_MAX 1000 /* the scroll-back of the message log */
#define BUSY_REFRESH_MS 250 /* how often rates and ETAs are redrawn while a transfer runs */

COMMON_DEFINE_QUARK(clamftp-ui-error-quark, ui_error)

static void message_free(gpointer data)
{
        UiMessage *msg = data;
        g_free(msg->text);
        g_free(msg);
}

static void add_message(UiApp *app, CoreMsgKind kind, const char *text)
{
        g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
        for (char **line = lines; *line; line++) {
                UiMessage *msg = g_new0(UiMessage, 1);
                msg->kind = kind;
                msg->text = g_strdup(*line);
                g_ptr_array_add(app->messages, msg);
        }
        while (app->messages->len > MESSAGES_MAX)
                g_ptr_array_remove_index(app->messages, 0);
}

void ui_app_say(UiApp *app, CoreMsgKind kind, const char *format, ...)
{
        va_list ap;
        va_start(ap, format);
        g_autofree char *text = g_strdup_vprintf(format, ap);
        va_end(ap);
        add_message(app, kind, text);
}

UiPane *ui_app_active_pane(UiApp *app)
{
        return app->panes[app->active];
}

UiPane *ui_app_other_pane(UiApp *app)
{
        return app->panes[app->active == UI_PANE_LOCAL ? UI_PANE_REMOTE : UI_PANE_LOCAL];
}

void ui_app_reload_local(UiApp *app)
{
        UiPane *pane = app->panes[UI_PANE_LOCAL];
        g_autofree char *dir = pane->path ? g_strdup(pane->path) : g_get_current_dir();
        g_autoptr(GError) error = NULL;
        if (!ui_pane_load_local(pane, dir, &error))
                ui_app_say(app, CORE_MSG_ERROR, "%s", error->message);
        ui_compare_follow(app);
}

gboolean ui_app_dump_screen(UiApp *app, const char *path, GError **error)
{
        int x, y;
        ui_screen_draw(app, &x, &y);
        g_autofree char *dump = ui_canvas_dump(app->canvas);
        return g_file_set_contents(path, dump, -1, error);
}

/* One command of the one table: its screen form on the UI thread, any other form on the
 * command thread. The name resolves by name alone (alias or unique prefix). */
static void run_argv(UiApp *app, char **argv)
{
        int n_args = (int)g_strv_length(argv) - 1;
        g_autoptr(GError) error = NULL;
        const CoreCmd *cmd = core_cmd_lookup(argv[0], &error);
        if (!cmd || !core_cmd_check_args(cmd, n_args, TRUE, &error)) {
                ui_app_say(app, CORE_MSG_ERROR, "%s", error->message);
                return;
        }
        if (!core_cmd_is_screen_form(cmd, n_args)) {
                ui_commander_run_argv(app->commander, argv);
                return;
        }
        g_free(argv[0]); /* the handler sees the row's name, not the alias or prefix typed */
        argv[0] = g_strdup(cmd->name);
        const UiAction *action = ui_action_find(cmd->name);
        g_assert(action); /* every screen form has a handler: tests/unit/test-ui-keymap.c */
        if (!action->func(app, n_args + 1, argv, &error) && error)
                ui_app_say(app, CORE_MSG_ERROR, "%s", error->message);
}

void ui_app_run_line(UiApp *app, const char *line)
{
        g_autoptr(GError) error = NULL;
        g_auto(GStrv) commands = core_cmd_split_commands(line, &error);
        if (!commands) {
                ui_app_say(app, CORE_MSG_ERROR, "%s", error->message);
                return;
        }
        for (char **cmd = commands; *cmd && app->running; cmd++) {
                g_auto(GStrv) argv = core_cmd_split(*cmd, -1, &error);
                if (!argv) {
                        ui_app_say(app, CORE_MSG_ERROR, "%s", error->message);
                        return;
                }
                if (argv[0])
                        run_argv(app, argv);
        }
}

/* ---- events from the other threads ---------------------------------------------------- */

static void set_str(char **slot, const char *value)
{
        g_free(*slot);
        *slot = g_strdup(value);
}

static void apply_remote(UiApp *app, UiJobResult *result)
{
        UiPane *pane = app->panes[UI_PANE_REMOTE];
        if (!result->connected) {
                ui_pane_set_placeholder(pane, _("Not connected: type :open <host> [port]"));
                return;
        }
        if (result->remote_listed)
                ui_pane_set_remote(pane, result->remote_cwd, result->remote_entries);
        if (result->focus_remote)
                ui_pane_focus_name(pane, result->focus_remote);
}

static void apply_result(UiApp *app, UiJobResult *result)
{
        ui_commander_job_taken(app->commander);
        ui_bridge_progress_clear(app->bridge);
        app->connected = result->connected;
        set_str(&app->host, result->host);
        set_str(&app->user, result->user);
        set_str(&app->security, result->security);
        set_str(&app->limits, result->limits);
        if (result->scanner && g_strcmp0(result->scanner, app->scanner) != 0) {
                set_str(&app->scanner, result->scanner);
                set_str(&app->scanner_members, NULL);
                app->scanner_up = -1;
                core_scanner_watch_set_address(app->scanner_watch, app->scanner);
        }
        app->port = result->port;
        core_verdict_free(app->last_verdict);
        app->last_verdict = core_verdict_copy(result->last_verdict);
        UiPane *local = app->panes[UI_PANE_LOCAL];
        for (guint i = 0; i < result->refusals->len; i++) {
                UiRefusal *refusal = g_ptr_array_index(result->refusals, i);
                ui_pane_mark_refused(local, refusal->path, refusal->verdict);
        }
        g_autoptr(GError) error = NULL;
        if (!ui_pane_load_local(local, result->local_cwd, &error))
                ui_app_say(app, CORE_MSG_ERROR, "%s", error->message);
        if (result->focus_local)
                ui_pane_focus_name(local, result->focus_local);
        apply_remote(app, result);
        ui_compare_follow(app);
        if (result->sync_browse_off && app->sync_browse) {
                app->sync_browse = FALSE;
                ui_app_say(app, CORE_MSG_WARNING, "%s", _("sync-browse: off (the other pane could not follow)"));
        }
        if (result->quit)
                app->running = FALSE;
        if (result->then && app->running) {
                UiJobThen then = result->then;
                result->then = NULL;
                then(app, g_steal_pointer(&result->then_data));
        }
}

/* The watch's PING: the status bar follows; a change is said (and the first answer, when the
 * scanner does not answer from the start). A pool's members: how many answer on the bar, and
 * each one's state said when one changes while the pool still answers. */
static void take_scanner_state(UiApp *app, gboolean up, const char *why, const char *members)
{
        int before = app->scanner_up;
        app->scanner_up = up;
        set_str(&app->scanner_members, members);
        if (members && up && before == (int)up) {
                ui_app_say(app, CORE_MSG_WARNING, _("Scanners %s: %s"), members, why ? why : "?");
                return;
        }
        if (before == (int)up || (before < 0 && up))
                return;
        g_autofree char *address = core_name_escape(app->scanner ? app->scanner : "?");
        if (up)
                ui_app_say(app, CORE_MSG_INFO, _("The scanner at %s answers again."), address);
        else
                ui_app_say(app, CORE_MSG_ERROR, _("Scanner down: %s"),
                           why ? why : "?");
}

static void take_events(UiApp *app)
{
        UiEvent *event;
        while ((event = ui_bridge_take(app->bridge)) != NULL) {
                switch (event->type) {
                case UI_EVENT_MESSAGE:
                        add_message(app, event->kind, event->text);
                        break;
                case UI_EVENT_REQUEST:
                        ui_app_open_dialog(app);
                        break;
                case UI_EVENT_JOB_DONE:
                        if (((UiJobResult *)event->payload)->partial) {
                                apply_remote(app, event->payload); /* a listing while a batch runs */
                                ui_compare_follow(app);
                        } else {
                                apply_result(app, event->payload);
                                ui_sites_follow(app);
                        }
                        break;
                case UI_EVENT_SCANNER:
                        take_scanner_state(app, event->kind != CORE_MSG_ERROR, event->text, event->payload);
                        break;
                case UI_EVENT_PROGRESS:
                default:
                        break;
                }
                ui_event_free(event);
        }
        ui_transfers_tick(app);
}

/* ---- the loop --------------------------------------------------------------------------- */

static void resize_canvas(UiApp *app, int width, int height)
{
        if (app->canvas && app->width == width && app->height == height)
                return;
        app->width = width;
        app->height = height;
        g_clear_pointer(&app->canvas, ui_canvas_free);
        app->canvas = ui_canvas_new(width, height);
}

static void wait_readable(int fd_a, int fd_b, int timeout_ms)
{
        struct pollfd fds[2] = { { .fd = fd_a, .events = POLLIN }, { .fd = fd_b, .events = POLLIN } };
        while (poll(fds, fd_b >= 0 ? 2 : 1, timeout_ms) < 0 && errno == EINTR)
                return; /* a signal (SIGWINCH): curses reports the resize as a key */
}

/* CLAMFTP_KEY_LOG: one line per screen update that answered keys: how many keys, and the
 * microseconds from reading the first of them to the screen written. */
static void log_key_cost(UiApp *app, int keys, gint64 since)
{
        if (!app->key_log || keys == 0)
                return;
        fprintf(app->key_log, "%d %" G_GINT64_FORMAT "\n", keys, g_get_monotonic_time() - since);
        fflush(app->key_log);
}

static void take_key(UiApp *app, UiKey key)
{
        if (key != UI_KEY_MOUSE) {
                ui_app_handle_key(app, key);
                return;
        }
        UiMouse mouse;
        ui_display_mouse(&mouse);
        ui_app_handle_mouse(app, &mouse);
}

/* How long the loop may sleep: for ever when nothing on the screen changes by itself; the next
 * rate and ETA while a transfer runs; the moment typed letters stop counting (shown no more). */
static int wait_ms(UiApp *app)
{
        int wait = ui_queue_busy(app->queue) ? BUSY_REFRESH_MS : -1;
        int typed = ui_find_typeahead_timeout(app);
        if (typed >= 0 && (wait < 0 || typed < wait))
                wait = typed;
        return wait;
}

static void run_terminal(UiApp *app)
{
        int keys = 0;
        gint64 first_key = 0;
        while (app->running) {
                take_events(app);
                int width, height;
                ui_display_size(&width, &height);
                resize_canvas(app, width, height);
                int x, y;
                ui_screen_draw(app, &x, &y);
                ui_display_show(app->canvas, x, y);
                log_key_cost(app, keys, first_key);
                keys = 0;
                UiKey key;
                while (app->running && ui_display_read_key(&key)) {
                        if (keys++ == 0)
                                first_key = g_get_monotonic_time();
                        take_key(app, key);
                }
                if (keys == 0 && app->running)
                        wait_readable(ui_bridge_fd(app->bridge), STDIN_FILENO, wait_ms(app));
        }
}

/* A headless key script: keys, mouse events, and screen dumps and waits between them. */
typedef struct {
        GArray *keys;       /* UiKey; -n is the step steps[n - 1]; UI_KEY_MOUSE the next of mice */
        GPtrArray *steps;   /* ScriptStep*: dumps and waits */
        GArray *mice;       /* UiMouse, in order */
        guint next_mouse;
} UiScript;

typedef enum { STEP_DUMP, STEP_SLEEP, STEP_UNTIL } ScriptStepKind;
typedef struct {
        ScriptStepKind kind;
        char *arg;          /* the dump's file, or the text to wait for */
        int ms;             /* sleep: how long; until: at most how long */
} ScriptStep;

static void step_free(gpointer data)
{
        ScriptStep *step = data;
        g_free(step->arg);
        g_free(step);
}

static void script_free(UiScript *script)
{
        g_array_unref(script->keys);
        g_ptr_array_unref(script->steps);
        g_array_unref(script->mice);
        g_free(script);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UiScript, script_free)

static gboolean screen_shows(UiApp *app, const char *text)
{
        int x, y;
        ui_screen_draw(app, &x, &y);
        g_autofree char *dump = ui_canvas_dump(app->canvas);
        return strstr(dump, text) != NULL;
}

/* @sleep: the time passes with events taken (a timer's report lands); @until: the same until the
 * screen shows the text, or the time is up (the next @dump tells). */
static void script_wait(UiApp *app, const ScriptStep *step)
{
        gint64 end = g_get_monotonic_time() + (gint64)step->ms * 1000;
        for (gint64 now = g_get_monotonic_time(); now < end; now = g_get_monotonic_time()) {
                take_events(app);
                if (step->kind == STEP_UNTIL && screen_shows(app, step->arg))
                        return;
                wait_readable(ui_bridge_fd(app->bridge), -1, (int)MIN((end - now) / 1000 + 1, 50));
        }
        take_events(app);
}

static void script_step(UiApp *app, UiScript *script, UiKey key)
{
        if (key == UI_KEY_MOUSE) {
                ui_app_handle_mouse(app, &g_array_index(script->mice, UiMouse, script->next_mouse++));
                return;
        }
        if (key >= 0) {
                ui_app_handle_key(app, key);
                return;
        }
        const ScriptStep *step = g_ptr_array_index(script->steps, -key - 1);
        if (step->kind != STEP_DUMP) {
                script_wait(app, step);
                return;
        }
        g_autoptr(GError) error = NULL;
        if (!ui_app_dump_screen(app, step->arg, &error))
                ui_app_say(app, CORE_MSG_ERROR, "%s", error->message);
}

/* Headless: the next scripted step runs only when nothing is running or a dialog waits, so a
 * script's screens do not depend on timing. A mouse event lands on the screen as last drawn. */
static void run_script(UiApp *app, UiScript *script)
{
        guint next = 0;
        while (app->running) {
                take_events(app);
                gboolean ready = app->mode == UI_MODE_DIALOG || ui_commander_pending(app->commander) == 0;
                if (!ready) {
                        wait_readable(ui_bridge_fd(app->bridge), -1, -1);
                        continue;
                }
                if (next >= script->keys->len)
                        break;
                int x, y;
                ui_screen_draw(app, &x, &y);
                script_step(app, script, g_array_index(script->keys, UiKey, next++));
        }
}

static void add_step(UiScript *script, ScriptStepKind kind, const char *arg, int ms)
{
        ScriptStep *step = g_new0(ScriptStep, 1);
        step->kind = kind;
        step->arg = g_strdup(arg);
        step->ms = ms;
        g_ptr_array_add(script->steps, step);
        UiKey key = -(UiKey)script->steps->len;
        g_array_append_val(script->keys, key);
}

/* "@sleep MS" and "@until MS TEXT". */
static gboolean add_wait(UiScript *script, const char *line, GError **error)
{
        gboolean until = g_str_has_prefix(line, "@until ");
        const char *rest = line + strlen(until ? "@until " : "@sleep ");
        char *end = NULL;
        guint64 ms = g_ascii_strtoull(rest, &end, 10);
        if (end == rest || ms > 600000 || (until ? *end != ' ' : *end != '\0')) {
                g_set_error(error, UI_ERROR, UI_ERROR_SCRIPT, _("Not a wait: %s (@sleep MS, @until MS TEXT)"), line);
                return FALSE;
        }
        add_step(script, until ? STEP_UNTIL : STEP_SLEEP, until ? end + 1 : NULL, (int)ms);
        return TRUE;
}

/* Lines of keys ("<F5>", ":open host<Enter>"); "@dump FILE" writes the screen at that point;
 * "@sleep MS" lets time pass, "@until MS TEXT" until the screen shows TEXT (at most MS), events
 * of the other threads taken meanwhile; "@click ROW COL", "@dclick", "@rclick", "@wheel up|down
 * ROW COL" are mouse events (ROW and COL from 0, as in a dump); "#" starts a comment line. */
static gboolean script_add_line(UiScript *script, const char *line, GError **error)
{
        if (g_str_has_prefix(line, "@dump ")) {
                add_step(script, STEP_DUMP, line + strlen("@dump "), 0);
                return TRUE;
        }
        if (g_str_has_prefix(line, "@sleep ") || g_str_has_prefix(line, "@until "))
                return add_wait(script, line, error);
        if (line[0] == '@' && line[1] != '\0') {
                UiMouse mouse;
                if (!ui_mouse_parse(line, &mouse, error))
                        return FALSE;
                g_array_append_val(script->mice, mouse);
                UiKey step = UI_KEY_MOUSE;
                g_array_append_val(script->keys, step);
                return TRUE;
        }
        return ui_keys_parse(line, script->keys, error);
}

static UiScript *script_load(const char *path, GError **error)
{
        g_autofree char *text = NULL;
        if (!g_file_get_contents(path, &text, NULL, error))
                return NULL;
        g_autoptr(UiScript) script = g_new0(UiScript, 1);
        script->keys = g_array_new(FALSE, FALSE, sizeof(UiKey));
        script->steps = g_ptr_array_new_with_free_func(step_free);
        script->mice = g_array_new(FALSE, FALSE, sizeof(UiMouse));
        g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
        for (char **line = lines; *line; line++) {
                if ((*line)[0] == '#' || (*line)[0] == '\0')
                        continue;
                if (!script_add_line(script, *line, error))
                        return NULL;
        }
        return g_steal_pointer(&script);
}

static UiApp *app_new(void)
{
        UiApp *app = g_new0(UiApp, 1);
        app->bridge = ui_bridge_new();
        app->ctx = core_context_new(ui_bridge_frontend(app->bridge));
        app->panes[UI_PANE_LOCAL] = ui_pane_new(FALSE);
        app->panes[UI_PANE_REMOTE] = ui_pane_new(TRUE);
        ui_pane_set_placeholder(app->panes[UI_PANE_REMOTE], _("Not connected: type :open <host> [port]"));
        app->queue = core_queue_new();
        core_queue_set_notify(app->queue, ui_bridge_queue_changed, app->bridge);
        app->messages = g_ptr_array_new_with_free_func(message_free);
        app->history = g_ptr_array_new_with_free_func(g_free);
        ui_cmdline_init(&app->cmdline, app->history);
        ui_cmdline_init(&app->dialog_field, NULL);
        ui_cmdline_init(&app->filter_line, NULL);
        ui_cmdline_init(&app->search_line, NULL);
        ui_typeahead_init(&app->typeahead);
        app->running = TRUE;
        return app;
}

static void load_history(UiApp *app)
{
        app->history_path = ui_history_path();
        g_autoptr(GError) error = NULL;
        if (!ui_history_load(app->history, app->history_path, &error))
                ui_app_say(app, CORE_MSG_WARNING, _("The command history could not be read: %s"), error->message);
}

static void save_history(UiApp *app)
{
        g_autoptr(GError) error = NULL;
        if (app->history_path && !ui_history_save(app->history, app->history_path, &error))
                g_printerr(_("clamftp: the command history could not be written: %s\n"), error->message);
}

/* Stops the threads that use the context: afterwards it belongs to the UI thread alone. Again
 * is harmless (app_free calls it). */
static void app_stop(UiApp *app)
{
        if (app->ctx->journal) /* jobs cut by quitting stay in the journal for the next start */
                core_journal_set_quitting(app->ctx->journal);
        ui_bridge_shutdown(app->bridge);        /* a waiting question is answered "quit" */
        g_clear_pointer(&app->scanner_watch, core_scanner_watch_free);
        core_queue_cancel_all(app->queue, NULL); /* no job starts any more */
        core_worker_cancel(app->ctx->worker);   /* a running transfer stops */
        g_clear_pointer(&app->commander, ui_commander_free);
}

static void app_free(UiApp *app)
{
        app_stop(app);
        core_queue_set_notify(app->queue, NULL, NULL);
        core_queue_free(app->queue);
        core_context_free(app->ctx);
        ui_bridge_free(app->bridge);
        ui_pane_free(app->panes[0]);
        ui_pane_free(app->panes[1]);
        g_ptr_array_unref(app->messages);
        g_ptr_array_unref(app->history);
        ui_cmdline_clear(&app->cmdline);
        ui_app_close_dialog(app);
        ui_site_dialog_free(app->site_dialog);
        ui_cmdline_clear(&app->filter_line);
        ui_cmdline_clear(&app->search_line);
        ui_typeahead_clear(&app->typeahead);
        ui_prompt_close(app);
        g_free(app->filter_before);
        g_free(app->history_path);
        if (app->key_log)
                fclose(app->key_log);
        g_free(app->host);
        g_free(app->user);
        g_free(app->security);
        g_free(app->limits);
        g_free(app->compare_dirs[0]);
        g_free(app->compare_dirs[1]);
        core_verdict_free(app->last_verdict);
        g_free(app->scanner);
        g_free(app->scanner_members);
        ui_canvas_free(app->canvas);
        ui_viewer_free(app->viewer);
        g_free(app);
}

static int headless_size(const char *name, int fallback)
{
        const char *value = g_getenv(name);
        int n = value ? atoi(value) : 0;
        return n > 0 ? n : fallback;
}

gboolean ui_wanted(const CoreOptions *opts)
{
        if (opts->line || opts->commands || opts->batch_file)
                return FALSE;
        if (g_getenv("CLAMFTP_NO_DISPLAY"))
                return TRUE;
        return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

static void open_url_job(CoreContext *ctx, gpointer data, UiJobResult *result)
{
        g_autoptr(GError) error = NULL;
        if (!core_options_open_url(data, ctx, &error))
                core_fail(ctx, error);
}

static int finish(UiApp *app)
{
        save_history(app);
        app_stop(app); /* a job still running may yet fail: its failure counts */
        int status = core_exit_status(app->ctx);
        app_free(app);
        return status;
}

int ui_main(const CoreOptions *opts)
{
        UiApp *app = app_new();
        app->headless = g_getenv("CLAMFTP_NO_DISPLAY") != NULL;
        g_autoptr(GError) error = NULL;
        if (!core_options_apply(opts, app->ctx, &error)) {
                fprintf(stderr, _("clamftp: error: %s\n"), error->message);
                app_free(app);
                return CORE_EXIT_FAILURE;
        }
        app->ctx->ask_certificates = TRUE; /* a certificate that does not verify: the dialog asks */
        app->commander = ui_commander_new(app->ctx, app->bridge);
        app->scanner = g_strdup(app->ctx->scanner_address); /* before the command thread may change it */
        app->scanner_up = -1;
        app->scanner_watch = core_scanner_watch_new(app->scanner, core_scanner_watch_interval_ms(),
                                                    ui_bridge_scanner_state, app->bridge);
        load_history(app);
        const char *key_log = g_getenv("CLAMFTP_KEY_LOG");
        if (key_log && *key_log)
                app->key_log = fopen(key_log, "a");
        ui_app_reload_local(app);
        app->keeps_journal = core_resume_open_journal(app->ctx, NULL); /* before the commander's first job */
        if (opts->url)
                ui_commander_run_func(app->commander, open_url_job, (gpointer)opts, NULL, TRUE);
        ui_resume_offer(app, opts);
        if (app->headless) {
                const char *script = g_getenv("CLAMFTP_SCRIPT");
                if (!script) {
                        fprintf(stderr, "%s\n", _("clamftp: error: CLAMFTP_NO_DISPLAY needs a key script in CLAMFTP_SCRIPT."));
                        app_free(app);
                        return CORE_EXIT_FAILURE;
                }
                g_autoptr(UiScript) steps = script_load(script, &error);
                if (!steps) {
                        fprintf(stderr, _("clamftp: error: %s\n"), error->message);
                        app_free(app);
                        return CORE_EXIT_FAILURE;
                }
                resize_canvas(app, headless_size("COLUMNS", 80), headless_size("LINES", 24));
                run_script(app, steps);
                return finish(app);
        }
        if (!ui_display_open(ui_display_colour_wanted(), &error)) {
                fprintf(stderr, _("clamftp: error: %s\n"), error->message);
                app_free(app);
                return CORE_EXIT_FAILURE;
        }
        run_terminal(app);
        ui_display_close();
        return finish(app);
}
