/* core/batch-text.c — line mode's view of a batch: the jobs of a private queue, their bytes shown
 * through the front end's progress (a line on a terminal), their outcomes through the messages the
 * runners already say; the batch's answer is whether every job it ran arrived and no remote name
 * was a failure.
 * Must not: print itself or ask (the front end does, through ctx->fe). */
#include "core/batch.h"

/* A look at the queue copies the jobs moving bytes: at most one per this many milliseconds. */
#define TEXT_VIEW_PROGRESS_MS 100

typedef struct {
        CoreQueue *queue;
        CoreFrontend fe;   /* the front end when the batch began (a relay may replace ctx->fe) */
        GMutex lock;       /* guards shown_us: the queue changes on several threads */
        gint64 shown_us;   /* when progress was last shown */
} TextView;

static gboolean time_to_show(TextView *view)
{
        gint64 now = g_get_monotonic_time();
        g_mutex_lock(&view->lock);
        gboolean due = now - view->shown_us >= TEXT_VIEW_PROGRESS_MS * 1000;
        if (due)
                view->shown_us = now;
        g_mutex_unlock(&view->lock);
        return due;
}

/* From any thread the queue changes on: each job moving bytes, as the front end's progress. */
static void show_progress(gboolean progress_only, gpointer data)
{
        TextView *view = data;
        if (!progress_only || !view->fe.progress || !time_to_show(view))
                return;
        g_autoptr(GPtrArray) jobs = core_queue_snapshot_moving(view->queue);
        for (guint i = 0; i < jobs->len; i++) {
                const CoreJob *job = g_ptr_array_index(jobs, i);
                view->fe.progress(job->current ? job->current : job->name, job->done, job->total, view->fe.data);
        }
}

/* Every file job the user did not decline arrived. */
static gboolean all_arrived(CoreBatch *batch)
{
        for (guint i = 0; i < batch->jobs->len; i++) {
                const CoreBatchJob *bj = &g_array_index(batch->jobs, CoreBatchJob, i);
                g_autoptr(CoreJob) job = bj->tree ? NULL : core_queue_get(batch->queue, bj->id);
                if (job && job->state != CORE_JOB_DONE && job->state != CORE_JOB_SKIPPED)
                        return FALSE;
        }
        return batch->jobs->len > 0;
}

gboolean core_batch_run_text(CoreContext *ctx, CoreBatch *batch)
{
        TextView view = { .queue = batch->queue, .fe = ctx->fe, .shown_us = G_MININT64 / 2 };
        g_mutex_init(&view.lock);
        core_queue_set_notify(batch->queue, show_progress, &view);
        core_batch_run(ctx, batch);
        core_queue_set_notify(batch->queue, NULL, NULL);
        g_mutex_clear(&view.lock);
        return all_arrived(batch) && batch->failures == 0;
}
