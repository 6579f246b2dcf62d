/* ui/commander.c — the command thread and the state it reports after every job.
 * Must not: call curses or touch the screen model. */
#include "ui/commander.h"
#include "common/memory.h"
#include "core/browse.h"
#include "core/cmd.h"
#include "core/rate.h"

typedef struct {
        guint id;
        char **argv;
        UiJobFunc func;
        gpointer data;
        GDestroyNotify free_data;
        gboolean relist;
        gboolean stop;
} UiJob;

struct UiCommander {
        CoreContext *ctx;
        UiBridge *bridge;
        GAsyncQueue *jobs;
        GThread *thread;
        guint next_id;
        gint pending;          /* atomic: queued or running, not yet taken by the UI */
};

static void job_free(UiJob *job)
{
        g_strfreev(job->argv);
        if (job->free_data)
                job->free_data(job->data);
        g_free(job);
}

static void refusal_free(gpointer data)
{
        UiRefusal *refusal = data;
        g_free(refusal->path);
        core_verdict_free(refusal->verdict);
        g_free(refusal);
}

void ui_job_result_add_refusal(UiJobResult *result, const char *path, const CoreVerdict *verdict)
{
        UiRefusal *refusal = g_new0(UiRefusal, 1);
        refusal->path = g_strdup(path);
        refusal->verdict = core_verdict_copy(verdict);
        g_ptr_array_add(result->refusals, refusal);
}

void ui_job_result_free(UiJobResult *result)
{
        if (!result)
                return;
        g_free(result->local_cwd);
        g_free(result->host);
        g_free(result->user);
        g_free(result->security);
        g_free(result->limits);
        g_free(result->scanner);
        core_verdict_free(result->last_verdict);
        g_free(result->remote_cwd);
        if (result->remote_entries)
                g_ptr_array_unref(result->remote_entries);
        if (result->refusals)
                g_ptr_array_unref(result->refusals);
        g_free(result->focus_remote);
        g_free(result->focus_local);
        if (result->then_data && result->then_free)
                result->then_free(result->then_data);
        g_free(result);
}

/* Core commands after which the remote directory cannot have changed. */
static gboolean keeps_remote(const char *name)
{
        static const char *const quiet[] = { "status", "help", "pwd", "lpwd", "ls", "lls", "size",
                                             "verbose", "prompt", "passive", "ascii", "binary",
                                             "scan", "lcd", "get", "mget", NULL };
        g_autoptr(GError) error = NULL;
        const CoreCmd *cmd = core_cmd_lookup(name, &error);
        return cmd && g_strv_contains(quiet, cmd->name);
}

static void run_core(UiCommander *commander, UiJob *job, UiJobResult *result)
{
        CoreContext *ctx = commander->ctx;
        guint verdicts = ctx->verdicts;
        g_autofree char *cwd = g_get_current_dir();
        core_cmd_run_argv(ctx, job->argv, NULL);
        job->relist = !keeps_remote(job->argv[0]);
        const CoreVerdict *verdict = ctx->last_verdict;
        if (ctx->verdicts == verdicts || !verdict || !verdict->path)
                return;
        /* the command's last verdict marks its file (a relative path: from where the command began) */
        g_autofree char *full = g_canonicalize_filename(verdict->path, cwd);
        ui_job_result_add_refusal(result, full, verdict);
}

static void list_remote(CoreContext *ctx, UiJobResult *result)
{
        g_autoptr(GError) error = NULL;
        if (core_browse_list(ctx, &result->remote_entries, &result->remote_cwd, &error)) {
                result->remote_listed = TRUE;
                return;
        }
        core_fail(ctx, error);
}

static void fill_state(CoreContext *ctx, UiJobResult *result)
{
        result->local_cwd = g_get_current_dir();
        result->connected = ctx->connected;
        result->host = g_strdup(ctx->host);
        result->port = ctx->port;
        result->user = g_strdup(ctx->user);
        result->security = ctx->connected ? g_strdup(ctx->security) : NULL;
        result->limits = core_rate_summary(ctx);
        result->scanner = g_strdup(ctx->scanner_address);
        result->last_verdict = core_verdict_copy(ctx->last_verdict);
        result->quit = ctx->quit_requested;
}

static gpointer commander_thread(gpointer data)
{
        UiCommander *commander = data;
        for (;;) {
                UiJob *job = g_async_queue_pop(commander->jobs);
                if (job->stop) {
                        job_free(job);
                        return NULL;
                }
                UiJobResult *result = g_new0(UiJobResult, 1);
                result->job_id = job->id;
                result->refusals = g_ptr_array_new_with_free_func(refusal_free);
                if (job->argv)
                        run_core(commander, job, result);
                else
                        job->func(commander->ctx, job->data, result);
                if (commander->ctx->connected && job->relist)
                        list_remote(commander->ctx, result);
                fill_state(commander->ctx, result);
                job_free(job);
                common_memory_give_back(); /* what the job freed (a batch's jobs and listings) */
                UiEvent *event = g_new0(UiEvent, 1);
                event->type = UI_EVENT_JOB_DONE;
                event->payload = result;
                event->free_payload = (GDestroyNotify)ui_job_result_free;
                ui_bridge_post(commander->bridge, event);
        }
}

UiCommander *ui_commander_new(CoreContext *ctx, UiBridge *bridge)
{
        UiCommander *commander = g_new0(UiCommander, 1);
        commander->ctx = ctx;
        commander->bridge = bridge;
        commander->jobs = g_async_queue_new();
        commander->thread = g_thread_new("clamftp-commands", commander_thread, commander);
        return commander;
}

static guint push(UiCommander *commander, UiJob *job)
{
        /* once pushed, the job belongs to the command thread, which may free it at once */
        guint id = job->id = ++commander->next_id;
        if (!job->stop)
                g_atomic_int_inc(&commander->pending);
        g_async_queue_push(commander->jobs, job);
        return id;
}

void ui_commander_free(UiCommander *commander)
{
        if (!commander)
                return;
        UiJob *stop = g_new0(UiJob, 1);
        stop->stop = TRUE;
        /* jobs still queued are dropped: the user quit */
        UiJob *queued;
        while ((queued = g_async_queue_try_pop(commander->jobs)) != NULL)
                job_free(queued);
        push(commander, stop);
        g_thread_join(commander->thread);
        g_async_queue_unref(commander->jobs);
        g_free(commander);
}

guint ui_commander_run_argv(UiCommander *commander, char **argv)
{
        UiJob *job = g_new0(UiJob, 1);
        job->argv = g_strdupv(argv);
        return push(commander, job);
}

guint ui_commander_run_func(UiCommander *commander, UiJobFunc func, gpointer data,
                            GDestroyNotify free_data, gboolean relist)
{
        UiJob *job = g_new0(UiJob, 1);
        job->func = func;
        job->data = data;
        job->free_data = free_data;
        job->relist = relist;
        return push(commander, job);
}

guint ui_commander_pending(UiCommander *commander)
{
        return (guint)g_atomic_int_get(&commander->pending);
}

void ui_commander_job_taken(UiCommander *commander)
{
        g_atomic_int_add(&commander->pending, -1);
}
