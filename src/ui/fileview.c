/* ui/fileview.c — F3 (view) and F4 (edit) on the entry under the cursor. A local file is opened
 * where it is. A remote one is fetched first, on the command thread, into a private copy
 * (core/tempcopy.h: the download path of every get; beyond 64 MiB only after a yes), then shown
 * (the internal viewer, ui/viewer.h, or $PAGER) or edited ($EDITOR, ui/external.h); an edited
 * copy whose content changed is offered back to the server and goes through the scanner as every
 * upload does. The copy and its directory go in every case: once the viewer holds the file open,
 * once the pager ends, once the edit was sent back or not.
 * Must not: call curses, or reach the network or the scanner but through jobs of the command
 * thread. */
#include "ui/app.h"
#include "ui/external.h"
#include "ui/ui.h"
#include "common/i18n.h"
#include "core/safename.h"
#include "core/tempcopy.h"

/* A remote file to fetch, and what to do with it then. */
typedef struct {
        gboolean edit;
        char *remote;         /* its path: the pane's directory and its name */
        char *name;           /* as listed */
        gint64 size;          /* from the listing, -1 unknown */
        gint64 mtime;
        CoreQueue *queue;     /* the app's: the fetch and the upload are jobs of it */
} FetchJob;

static void fetch_job_free(gpointer data)
{
        FetchJob *job = data;
        g_free(job->remote);
        g_free(job->name);
        g_free(job);
}

/* An edited copy on its way back. */
typedef struct {
        CoreTempCopy *copy;
        CoreQueue *queue;
} SendBack;

static void send_back_free(gpointer data)
{
        SendBack *back = data;
        core_temp_copy_free(back->copy);
        g_free(back);
}

/* ---- the steps on the command thread ----------------------------------------------------- */

/* The edited copy: unchanged, nothing goes; changed, the user is asked, then it is uploaded as
 * F5 uploads (snapshot, scan, upload, the server's check). */
static void send_back_job(CoreContext *ctx, gpointer data, UiJobResult *result)
{
        SendBack *back = data;
        const char *shown = back->copy->shown;
        gboolean changed = FALSE;
        g_autoptr(GError) error = NULL;
        if (!core_temp_copy_changed(back->copy, &changed, &error)) {
                core_fail(ctx, error);
                return;
        }
        if (!changed) {
                core_say(ctx, CORE_MSG_INFO, _("%s is unchanged: nothing was sent."), shown);
                return;
        }
        g_autofree char *question = g_strdup_printf(_("%s changed. Upload it back to the server (scanned first)?"),
                                                    shown);
        CoreAnswer answer = ctx->fe.ask(question, ctx->fe.data);
        if (answer != CORE_ANSWER_YES && answer != CORE_ANSWER_ALL) {
                core_say(ctx, CORE_MSG_WARNING, _("%s was not uploaded: the edited copy is discarded."), shown);
                return;
        }
        CoreJobState state = core_temp_copy_send(ctx, back->queue, back->copy);
        if (state == CORE_JOB_INFECTED || state == CORE_JOB_REFUSED)
                core_say(ctx, CORE_MSG_ERROR,
                         _("The scanner refused the edited %s: it was not uploaded, the server's copy is unchanged."),
                         shown);
}

static void view_copy(UiApp *app, gpointer data);
static void edit_copy(UiApp *app, gpointer data);

/* Fetches the file (asking first when it is large); the UI thread opens the copy. */
static void fetch_job(CoreContext *ctx, gpointer data, UiJobResult *result)
{
        FetchJob *job = data;
        if (job->size > CORE_TEMP_COPY_ASK_SIZE) {
                g_autofree char *shown = core_name_escape(job->name);
                g_autofree char *size = g_format_size((guint64)job->size);
                g_autofree char *question = g_strdup_printf(job->edit ? _("%s is %s. Fetch it to edit it?")
                                                                      : _("%s is %s. Fetch it to view it?"),
                                                            shown, size);
                CoreAnswer answer = ctx->fe.ask(question, ctx->fe.data);
                if (answer != CORE_ANSWER_YES && answer != CORE_ANSWER_ALL)
                        return;
        }
        g_autoptr(GError) error = NULL;
        CoreTempCopy *copy = core_temp_copy_fetch(ctx, job->queue, job->remote, job->size, job->mtime, &error);
        if (!copy) {
                core_fail(ctx, error);
                return;
        }
        result->then = job->edit ? edit_copy : view_copy;
        result->then_data = copy;
        result->then_free = (GDestroyNotify)core_temp_copy_free;
}

/* ---- the steps on the UI thread ---------------------------------------------------------- */

/* The internal viewer, or $PAGER when it is set. */
static gboolean show_file(UiApp *app, const char *path, const char *title, GError **error)
{
        const char *pager = ui_external_pager();
        if (pager)
                return ui_external_run(pager, path, app->headless, error);
        UiViewer *viewer = ui_viewer_open(path, title, error);
        if (!viewer)
                return FALSE;
        ui_viewer_free(app->viewer);
        app->viewer = viewer;
        if (app->mode == UI_MODE_DIALOG) /* a question of the next job came first: it stays on top */
                app->under_dialog = UI_MODE_VIEW;
        else
                app->mode = UI_MODE_VIEW;
        return TRUE;
}

static void view_copy(UiApp *app, gpointer data)
{
        g_autoptr(CoreTempCopy) copy = data; /* gone at the end: the viewer has it open */
        g_autoptr(GError) error = NULL;
        if (!show_file(app, copy->path, copy->remote, &error))
                ui_app_say(app, CORE_MSG_ERROR, "%s", error->message);
}

static void edit_copy(UiApp *app, gpointer data)
{
        CoreTempCopy *copy = data;
        g_autoptr(GError) error = NULL;
        if (!ui_external_run(ui_external_editor(), copy->path, app->headless, &error)) {
                ui_app_say(app, CORE_MSG_ERROR, _("%s: %s was not sent back."), error->message, copy->shown);
                core_temp_copy_free(copy);
                return;
        }
        SendBack *back = g_new0(SendBack, 1);
        back->copy = copy;
        back->queue = app->queue;
        ui_commander_run_func(app->commander, send_back_job, back, send_back_free, TRUE);
}

/* The file under the cursor of the active pane; NULL with error when it is none. */
static UiEntry *target(UiApp *app, GError **error)
{
        UiPane *pane = ui_app_active_pane(app);
        UiEntry *entry = pane->path ? ui_pane_current(pane) : NULL;
        if (!entry || entry->is_parent) {
                g_set_error_literal(error, UI_ERROR, UI_ERROR_USAGE, _("Nothing to open here."));
                return NULL;
        }
        if (entry->is_dir) {
                g_set_error(error, UI_ERROR, UI_ERROR_USAGE, _("%s is a directory: Enter opens it."), entry->shown);
                return NULL;
        }
        if (pane->remote && !app->connected) {
                g_set_error_literal(error, UI_ERROR, UI_ERROR_USAGE, _("Not connected: use `:open <host> [port]` first."));
                return NULL;
        }
        return entry;
}

/* A local file as it is; a pipe or a device would block the viewer or the pager. */
static gboolean check_regular(const char *path, const UiEntry *entry, GError **error)
{
        if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
                return TRUE;
        g_set_error(error, UI_ERROR, UI_ERROR_USAGE, _("%s is not a regular file: there is nothing to open."),
                    entry->shown);
        return FALSE;
}

static void fetch(UiApp *app, const UiEntry *entry, gboolean edit)
{
        UiPane *pane = ui_app_active_pane(app);
        FetchJob *job = g_new0(FetchJob, 1);
        job->edit = edit;
        job->name = g_strdup(entry->name);
        /* absolute when the server's directory is: a command queued meanwhile may change it */
        job->remote = pane->path[0] == '/' ? g_build_path("/", pane->path, entry->name, NULL) : g_strdup(entry->name);
        job->size = entry->size;
        job->mtime = entry->mtime_exact ? entry->mtime : -1;
        job->queue = app->queue;
        ui_commander_run_func(app->commander, fetch_job, job, fetch_job_free, FALSE);
}

/* F3 or F4 on the entry under the cursor: a remote file fetched first, a local one as it is. */
static gboolean open_entry(UiApp *app, gboolean edit, GError **error)
{
        UiEntry *entry = target(app, error);
        if (!entry)
                return FALSE;
        UiPane *pane = ui_app_active_pane(app);
        if (pane->remote) {
                fetch(app, entry, edit);
                return TRUE;
        }
        g_autofree char *path = ui_pane_path_of(pane, entry->name);
        if (!check_regular(path, entry, error))
                return FALSE;
        if (!edit)
                return show_file(app, path, path, error);
        if (!ui_external_run(ui_external_editor(), path, app->headless, error))
                return FALSE;
        ui_app_reload_local(app);
        return TRUE;
}

gboolean ui_fileview_view(UiApp *app, GError **error)
{
        return open_entry(app, FALSE, error);
}

gboolean ui_fileview_edit(UiApp *app, GError **error)
{
        return open_entry(app, TRUE, error);
}

void ui_fileview_close(UiApp *app)
{
        g_clear_pointer(&app->viewer, ui_viewer_free);
        if (app->mode == UI_MODE_VIEW)
                app->mode = UI_MODE_PANES;
}
