/* ui/mirror.c — `:mirror` and `:mirror -R` in the full screen: the UI thread hands the command
 * line and the panes' directories to the command thread, which plans with core's one planner
 * (core/mirror.h), shows the plan in a dialog (ui/listdialog.h through the bridge) and, on a
 * yes, carries it out with the files as jobs of the app's queue (the queue view shows them);
 * refusal marks, the panes' new listings and the summary line come back as for F5.
 * Must not: call curses, plan or transfer on the UI thread, or change anything before the yes. */
#include "ui/app.h"
#include "ui/ui.h"
#include "common/i18n.h"
#include "core/commands.h"
#include "core/mirror.h"
#include "core/safename.h"

typedef struct {
        char **argv;         /* "mirror" and what was typed after it */
        UiBridge *bridge;    /* the app's: the dialog */
        CoreQueue *queue;    /* the app's: the jobs */
        char *local_shown;   /* the panes' directories, for the dialog when none is typed */
        char *remote_shown;
} MirrorJob;

static void mirror_job_free(gpointer data)
{
        MirrorJob *job = data;
        g_strfreev(job->argv);
        g_free(job->local_shown);
        g_free(job->remote_shown);
        g_free(job);
}

/* "mirror -R: upload 5 files (70.3 kB) from /home/me/site to /www, make 2 directories, delete 3
 * on the server; 4 unchanged. Go ahead?" transfer full */
static char *plan_question(const MirrorJob *job, const CoreMirrorOptions *opts, const CoreMirrorPlan *plan)
{
        const char *local = g_strcmp0(opts->local_dir, ".") == 0 ? job->local_shown : opts->local_dir;
        const char *remote = *opts->remote_dir ? opts->remote_dir : job->remote_shown;
        g_autofree char *local_shown = core_name_escape(local);
        g_autofree char *remote_shown = core_name_escape(remote);
        g_autofree char *bytes = g_format_size(plan->send_bytes);
        if (opts->reverse)
                return g_strdup_printf(_("mirror -R: upload %u files (%s) from %s to %s on the server, make %u "
                                         "directories, delete %u on the server; %u unchanged. Go ahead?"),
                                       plan->send->len, bytes, local_shown, remote_shown, plan->make_dirs->len,
                                       plan->remove->len, plan->unchanged);
        return g_strdup_printf(_("mirror: download %u files (%s) from %s on the server to %s, make %u "
                                 "directories, delete %u here; %u unchanged. Go ahead?"),
                               plan->send->len, bytes, remote_shown, local_shown, plan->make_dirs->len,
                               plan->remove->len, plan->unchanged);
}

/* What the dialog lists: what --delete removes, by name. */
static gboolean ask(const MirrorJob *job, const CoreMirrorOptions *opts, const CoreMirrorPlan *plan)
{
        g_autofree char *question = plan_question(job, opts, plan);
        g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
        for (guint i = 0; i < plan->remove->len; i++)
                g_ptr_array_add(names, core_name_escape(g_ptr_array_index(plan->remove, i)));
        g_autofree char *heading = names->len ? g_strdup_printf(_("To be deleted (%u):"), names->len) : NULL;
        return ui_bridge_confirm(job->bridge, question, heading, names);
}

/* The scanner's refusals mark their files in the local pane; a file that went up clean loses
 * an old mark. */
static void report_marks(const CoreMirrorPlan *plan, CoreQueue *queue, UiJobResult *result)
{
        for (guint i = 0; i < plan->job_ids->len; i++) {
                g_autoptr(CoreJob) done = core_queue_get(queue, g_array_index(plan->job_ids, guint, i));
                if (!done || done->kind != CORE_JOB_UPLOAD || !done->local)
                        continue;
                if (done->state != CORE_JOB_DONE && !done->verdict)
                        continue;
                g_autofree char *path = g_canonicalize_filename(done->local, NULL);
                ui_job_result_add_refusal(result, path, done->state == CORE_JOB_DONE ? NULL : done->verdict);
        }
}

static void mirror_job(CoreContext *ctx, gpointer data, UiJobResult *result)
{
        MirrorJob *job = data;
        g_autoptr(GError) error = NULL;
        g_auto(CoreMirrorOptions) opts = { 0 };
        if (!core_mirror_parse((int)g_strv_length(job->argv), job->argv, &opts, &error) ||
            !core_connection_ensure(ctx, &error)) {
                core_fail(ctx, error);
                return;
        }
        if (opts.dry_run) { /* the plan in the message log, as line mode prints it */
                if (!core_mirror_run(ctx, &opts, &error) && error)
                        core_fail(ctx, error);
                return;
        }
        g_autoptr(CoreMirrorPlan) plan = core_mirror_plan(ctx, &opts, &error);
        if (!plan) {
                core_fail(ctx, error);
                return;
        }
        if (!plan->listed)
                return; /* why was said */
        if (!ask(job, &opts, plan)) {
                core_say(ctx, CORE_MSG_INFO, "%s", _("mirror: cancelled; nothing was changed."));
                return;
        }
        core_mirror_carry_out(ctx, plan, job->queue); /* each failure said, and the summary */
        report_marks(plan, job->queue, result);
}

gboolean ui_mirror_start(UiApp *app, int argc, char **argv, GError **error)
{
        UiPane *local = app->panes[UI_PANE_LOCAL];
        UiPane *remote = app->panes[UI_PANE_REMOTE];
        if (!app->connected || !remote->path || !local->path) {
                g_set_error_literal(error, UI_ERROR, UI_ERROR_USAGE,
                                    _("Not connected: use `:open <host> [port]` first."));
                return FALSE;
        }
        MirrorJob *job = g_new0(MirrorJob, 1);
        job->argv = g_new0(char *, (gsize)argc + 1);
        for (int i = 0; i < argc; i++)
                job->argv[i] = g_strdup(argv[i]);
        job->bridge = app->bridge;
        job->queue = app->queue;
        job->local_shown = g_strdup(local->path);
        job->remote_shown = g_strdup(remote->path);
        ui_commander_run_func(app->commander, mirror_job, job, mirror_job_free, TRUE);
        return TRUE;
}
