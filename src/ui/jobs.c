/* ui/jobs.c — the file operations of the panes other than transfers (F2 scan, F6 rename, F7
 * mkdir, F8 delete, entering directories; F5 is in transfers.c): the UI thread captures what is
 * selected, the command thread does the work through the core.
 * Must not: call curses from a job, or touch the panes from the command thread (results travel
 * back in UiJobResult). */
#include "ui/app.h"
#include "ui/ui.h"
#include "common/i18n.h"
#include "core/cmd.h"
#include "core/files.h"
#include "core/safename.h"
#include <string.h>

typedef struct {
        gboolean remote;      /* the operation is on the remote pane */
        char *dir;            /* the pane's directory (local: absolute) */
        GPtrArray *names;     /* char*: entries of dir */
        GPtrArray *dirs;      /* char*: the subset of names that are directories */
        char *focus;          /* a name to show under the cursor afterwards */
        gboolean sync;        /* sync-browse: enter the same name in the other pane too */
        char *other_dir;      /* the other pane's directory (local: absolute) */
        char *other_focus;    /* its name to show under the cursor afterwards */
} PaneJob;

static void pane_job_free(gpointer data)
{
        PaneJob *job = data;
        g_free(job->dir);
        g_ptr_array_unref(job->names);
        g_ptr_array_unref(job->dirs);
        g_free(job->focus);
        g_free(job->other_dir);
        g_free(job->other_focus);
        g_free(job);
}

static void set_str(char **slot, const char *value)
{
        g_free(*slot);
        *slot = g_strdup(value);
}

static gboolean is_dir_in(PaneJob *job, const char *name)
{
        for (guint i = 0; i < job->dirs->len; i++) {
                if (strcmp(g_ptr_array_index(job->dirs, i), name) == 0)
                        return TRUE;
        }
        return FALSE;
}

/* What the active pane's operation acts on; NULL (with error) when there is nothing. */
static PaneJob *capture(UiApp *app, gboolean need_targets, GError **error)
{
        UiPane *pane = ui_app_active_pane(app);
        if (pane->remote && !app->connected) {
                g_set_error_literal(error, UI_ERROR, UI_ERROR_USAGE,
                                    _("Not connected: use `:open <host> [port]` first."));
                return NULL;
        }
        PaneJob *job = g_new0(PaneJob, 1);
        job->remote = pane->remote;
        job->dir = g_strdup(pane->path);
        job->names = ui_pane_targets(pane);
        job->dirs = g_ptr_array_new_with_free_func(g_free);
        for (guint i = 0; i < pane->entries->len; i++) {
                UiEntry *entry = g_ptr_array_index(pane->entries, i);
                if (entry->is_dir && !entry->is_parent)
                        g_ptr_array_add(job->dirs, g_strdup(entry->name));
        }
        if (need_targets && job->names->len == 0) {
                pane_job_free(job);
                g_set_error_literal(error, UI_ERROR, UI_ERROR_USAGE, _("Nothing to act on here."));
                return NULL;
        }
        return job;
}

static char *local_path(PaneJob *job, const char *name)
{
        return g_build_filename(job->dir, name, NULL);
}

/* Shows and records a failed operation (FALSE with an error), or says nothing (TRUE, or FALSE
 * when the user declined). */
static gboolean done(CoreContext *ctx, gboolean ok, GError **error)
{
        if (!ok && *error)
                core_fail(ctx, *error);
        g_clear_error(error);
        return ok;
}

/* A name typed in a dialog that starts from `initial` (NULL: empty); NULL when cancelled or blank. */
static char *ask_name(CoreContext *ctx, const char *label, const char *initial)
{
        g_autofree char *name = core_frontend_edit(ctx, label, initial);
        if (!name || !*g_strstrip(name))
                return NULL;
        return g_steal_pointer(&name);
}

static void mkdir_job(CoreContext *ctx, gpointer data, UiJobResult *result)
{
        PaneJob *job = data;
        g_autofree char *name = ask_name(ctx, _("New directory:"), NULL);
        if (!name)
                return;
        GError *error = NULL;
        if (job->remote) {
                if (done(ctx, core_remote_mkdir(ctx, name, &error), &error))
                        set_str(&result->focus_remote, name);
                return;
        }
        g_autofree char *path = local_path(job, name);
        if (done(ctx, core_local_mkdir(ctx, path, &error), &error))
                set_str(&result->focus_local, name);
}

/* Captures the active pane and runs func on the command thread; the remote pane is listed
 * again afterwards when the job was there. */
static gboolean start(UiApp *app, gboolean need_targets, UiJobFunc func, GError **error)
{
        PaneJob *job = capture(app, need_targets, error);
        if (!job)
                return FALSE;
        ui_commander_run_func(app->commander, func, job, pane_job_free, job->remote);
        return TRUE;
}

gboolean ui_jobs_mkdir(UiApp *app, GError **error)
{
        return start(app, FALSE, mkdir_job, error);
}

/* A file, or a directory with what its plan found below it. */
static void delete_one(CoreContext *ctx, PaneJob *job, const char *name, const CoreDeletePlan *plan)
{
        GError *error = NULL;
        if (plan) {
                done(ctx, core_delete_plan_run(ctx, plan, &error), &error);
                return;
        }
        if (job->remote) {
                done(ctx, core_remote_delete(ctx, name, &error), &error);
                return;
        }
        g_autofree char *path = local_path(job, name);
        done(ctx, core_local_delete(ctx, path, FALSE, &error), &error);
}

/* "a.txt, b.txt, c.txt, …": the first `most` names, escaped, so a question says what it means. */
static char *names_shown(GPtrArray *names, guint most)
{
        GString *out = g_string_new(NULL);
        for (guint i = 0; i < names->len && i < most; i++) {
                g_autofree char *shown = core_name_escape(g_ptr_array_index(names, i));
                g_string_append_printf(out, "%s%s", i ? ", " : "", shown);
        }
        if (names->len > most)
                g_string_append(out, ", …");
        return g_string_free(out, FALSE);
}

/* "Delete x?", "Delete x and the 12 entries below it?", "Delete 3 entries (a, b, c)?" … */
static char *delete_question(GPtrArray *names, guint below)
{
        g_autofree char *first = core_name_escape(g_ptr_array_index(names, 0));
        g_autofree char *listed = names_shown(names, 3);
        if (names->len == 1 && below == 0)
                return g_strdup_printf(_("Delete %s?"), first);
        if (names->len == 1)
                return g_strdup_printf(ngettext("Delete %s and the %u entry below it?",
                                                "Delete %s and the %u entries below it?", below), first, below);
        if (below == 0)
                return g_strdup_printf(_("Delete %u entries (%s)?"), names->len, listed);
        return g_strdup_printf(ngettext("Delete %u entries (%s) and the %u entry below them?",
                                        "Delete %u entries (%s) and the %u entries below them?", below),
                               names->len, listed, below);
}

/* F8: directories are planned first (what is below them, counted for the question), then
 * everything goes after one yes. */
static void delete_job(CoreContext *ctx, gpointer data, UiJobResult *result)
{
        PaneJob *job = data;
        g_autoptr(GPtrArray) plans = g_ptr_array_new_with_free_func((GDestroyNotify)core_delete_plan_free);
        guint below = 0;
        for (guint i = 0; i < job->names->len; i++) {
                const char *name = g_ptr_array_index(job->names, i);
                CoreDeletePlan *plan = NULL;
                if (is_dir_in(job, name)) {
                        g_autoptr(GError) error = NULL;
                        g_autofree char *path = job->remote ? g_strdup(name) : local_path(job, name);
                        plan = core_delete_plan(ctx, job->remote, path, &error);
                        if (!plan) {
                                core_fail(ctx, error);
                                return;
                        }
                        below += core_delete_plan_count(plan);
                }
                g_ptr_array_add(plans, plan);
        }
        g_autofree char *question = delete_question(job->names, below);
        CoreAnswer answer = ctx->fe.ask(question, ctx->fe.data);
        if (answer != CORE_ANSWER_YES && answer != CORE_ANSWER_ALL)
                return;
        for (guint i = 0; i < job->names->len; i++)
                delete_one(ctx, job, g_ptr_array_index(job->names, i), g_ptr_array_index(plans, i));
}

gboolean ui_jobs_delete(UiApp *app, GError **error)
{
        return start(app, TRUE, delete_job, error);
}

static void rename_job(CoreContext *ctx, gpointer data, UiJobResult *result)
{
        PaneJob *job = data;
        const char *old = g_ptr_array_index(job->names, 0);
        g_autofree char *shown = core_name_escape(old);
        g_autofree char *label = g_strdup_printf(_("Rename %s to:"), shown);
        g_autofree char *name = ask_name(ctx, label, old); /* mc: the field starts with the name */
        if (!name)
                return;
        GError *error = NULL;
        g_autofree char *from = job->remote ? g_strdup(old) : local_path(job, old);
        g_autofree char *to = job->remote ? g_strdup(name) : local_path(job, name);
        if (!done(ctx, core_rename_checked(ctx, job->remote, from, to, &error), &error))
                return; /* failed, or the existing entry was kept */
        set_str(job->remote ? &result->focus_remote : &result->focus_local, name);
}

gboolean ui_jobs_rename(UiApp *app, GError **error)
{
        return start(app, TRUE, rename_job, error);
}

/* Enters `name` (".." goes up) on one side; FALSE when it failed (said). */
static gboolean enter(CoreContext *ctx, gboolean remote, const char *dir, const char *name)
{
        gboolean up = strcmp(name, "..") == 0;
        GError *error = NULL;
        if (!remote) {
                g_autofree char *path = up ? g_path_get_dirname(dir) : g_build_filename(dir, name, NULL);
                return done(ctx, core_local_cd(ctx, path, &error), &error);
        }
        gboolean ok = up ? core_remote_cdup(ctx, &error) : core_remote_cd(ctx, name, &error);
        return done(ctx, ok, &error);
}

static char **focus_slot(UiJobResult *result, gboolean remote)
{
        return remote ? &result->focus_remote : &result->focus_local;
}

static void enter_job(CoreContext *ctx, gpointer data, UiJobResult *result)
{
        PaneJob *job = data;
        const char *name = g_ptr_array_index(job->names, 0);
        if (!enter(ctx, job->remote, job->dir, name))
                return;
        set_str(focus_slot(result, job->remote), job->focus);
        if (!job->sync)
                return;
        if (!enter(ctx, !job->remote, job->other_dir, name)) {
                result->sync_browse_off = TRUE;
                return;
        }
        set_str(focus_slot(result, !job->remote), job->other_focus);
}

/* Sync-browse: the other pane follows when it has the directory (by its listing, as FileZilla
 * decides); when it has not, that is said and sync-browse turns off. */
static void follow_in_other(UiApp *app, PaneJob *job, const char *name)
{
        UiPane *other = ui_app_other_pane(app);
        gboolean up = strcmp(name, "..") == 0;
        UiEntry *entry = up ? NULL : ui_pane_entry(other, name);
        if (!other->path || (!up && (!entry || !entry->is_dir))) {
                g_autofree char *shown = core_name_escape(name);
                ui_app_say(app, CORE_MSG_WARNING,
                           other->remote ? _("sync-browse: the server has no directory %s: sync-browse is off.")
                                         : _("sync-browse: the local side has no directory %s: sync-browse is off."),
                           shown);
                app->sync_browse = FALSE;
                return;
        }
        if (up && strcmp(other->path, "/") == 0)
                return; /* already at the top there */
        job->sync = TRUE;
        job->other_dir = g_strdup(other->path);
        if (up)
                job->other_focus = g_path_get_basename(other->path);
}

gboolean ui_jobs_enter(UiApp *app, const char *name, GError **error)
{
        UiPane *pane = ui_app_active_pane(app);
        if (!pane->path)
                return TRUE;
        PaneJob *job = capture(app, FALSE, error);
        if (!job)
                return FALSE;
        g_ptr_array_set_size(job->names, 0);
        g_ptr_array_add(job->names, g_strdup(name));
        if (strcmp(name, "..") == 0 && strcmp(pane->path, "/") != 0)
                job->focus = g_path_get_basename(pane->path); /* land on where we came from */
        if (app->sync_browse)
                follow_in_other(app, job, name);
        ui_commander_run_func(app->commander, enter_job, job, pane_job_free, job->remote || job->sync);
        return TRUE;
}

gboolean ui_jobs_sync_browse(UiApp *app, int argc, char **argv, GError **error)
{
        gboolean on = !app->sync_browse;
        if (argc > 1 && !core_cmd_parse_switch(argv[1], &on)) {
                g_set_error(error, UI_ERROR, UI_ERROR_USAGE, _("Use on or off, not %s."), argv[1]);
                return FALSE;
        }
        if (on && !app->connected) {
                g_set_error_literal(error, UI_ERROR, UI_ERROR_USAGE,
                                    _("Not connected: use `:open <host> [port]` first."));
                return FALSE;
        }
        app->sync_browse = on;
        ui_app_say(app, CORE_MSG_INFO, "%s", on ? _("sync-browse: on") : _("sync-browse: off"));
        return TRUE;
}

static void refresh_job(CoreContext *ctx, gpointer data, UiJobResult *result)
{
}

void ui_jobs_refresh(UiApp *app)
{
        ui_app_reload_local(app);
        ui_commander_run_func(app->commander, refresh_job, NULL, NULL, TRUE);
}

static void scan_job(CoreContext *ctx, gpointer data, UiJobResult *result)
{
        PaneJob *job = data;
        for (guint i = 0; i < job->names->len; i++) {
                const char *name = g_ptr_array_index(job->names, i);
                g_autofree char *shown = core_name_escape(name);
                if (is_dir_in(job, name)) {
                        core_say(ctx, CORE_MSG_WARNING, _("%s is a directory: not scanned."), shown);
                        continue;
                }
                g_autofree char *path = local_path(job, name);
                g_autoptr(CoreVerdict) verdict = core_scan_local(ctx, path);
                if (verdict) /* no snapshot, no verdict: no mark either */
                        ui_job_result_add_refusal(result, path, verdict);
        }
}

gboolean ui_jobs_scan(UiApp *app, GError **error)
{
        if (ui_app_active_pane(app)->remote) {
                g_set_error_literal(error, UI_ERROR, UI_ERROR_USAGE,
                                    _("Scanning works on local files: switch to the local pane (Tab), or type :scan <file>."));
                return FALSE;
        }
        PaneJob *job = capture(app, TRUE, error);
        if (!job)
                return FALSE;
        ui_commander_run_func(app->commander, scan_job, job, pane_job_free, FALSE);
        return TRUE;
}
