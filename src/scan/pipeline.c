/* scan/pipeline.c — the scanner thread: snapshots and scans upload candidates ahead of the upload.
 * Owns: the thread, the queue of paths, the queue of finished results (at most `lookahead`), the
 * order of results, and cancelling an exchange in flight (an eventfd given to its own client, which
 * keeps one IDSESSION connection to the scanner for the batch).
 * Must not: upload, prompt or print. */
#include "config.h"
#include "scan/pipeline.h"
#include "common/i18n.h"

#include <errno.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct ScanPipeline {
        ScanClient *client; /* our own copy, with our cancel fd */
        ScanAudit *audit;   /* borrowed; may be NULL */
        char *tmpdir;
        guint lookahead;
        int cancel_fd;      /* eventfd: readable once cancelled */
        GThread *thread;

        GMutex lock;        /* guards everything below */
        GCond changed;
        GQueue paths;       /* char *, waiting to be scanned */
        GQueue results;     /* ScanResult *, waiting for the consumer */
        gboolean closed;
        gboolean cancelled;
        gboolean finished;  /* the thread will produce nothing more */
        guint taken;        /* submission index of the next path the thread takes */
        guint current;      /* submission index being scanned, G_MAXUINT: none */
        GHashTable *dropped;/* submission indexes the consumer no longer wants */
};

void scan_result_free(ScanResult *result)
{
        if (!result)
                return;
        g_free(result->path);
        scan_snapshot_free(result->snapshot);
        scan_verdict_free(result->verdict);
        g_clear_error(&result->error);
        g_free(result);
}

static ScanResult *scan_one(ScanPipeline *pipeline, char *path)
{
        ScanResult *result = g_new0(ScanResult, 1);
        result->path = path;
        result->snapshot = scan_snapshot_take(path, pipeline->tmpdir, &result->error);
        if (!result->snapshot) {
                result->verdict = scan_verdict_new_error(result->error);
                scan_verdict_set_path(result->verdict, path);
                return result;
        }
        result->verdict = scan_client_scan_fd(pipeline->client, result->snapshot->fd, result->snapshot->size);
        scan_verdict_set_path(result->verdict, path);
        scan_audit_verdict(pipeline->audit, result->snapshot, result->verdict,
                           scan_client_address(pipeline->client));
        return result;
}

/* The result of a file dropped by the consumer (scan_pipeline_drop): no snapshot, no upload. */
static ScanResult *dropped_result(ScanResult *result, char *path)
{
        if (result) {
                g_clear_pointer(&result->snapshot, scan_snapshot_free);
                g_clear_pointer(&result->verdict, scan_verdict_free);
                g_clear_error(&result->error);
        } else {
                result = g_new0(ScanResult, 1);
                result->path = path;
        }
        g_set_error_literal(&result->error, SCAN_ERROR, SCAN_ERROR_CANCELLED, _("Cancelled while it was scanned."));
        result->verdict = scan_verdict_new_error(result->error);
        scan_verdict_set_path(result->verdict, result->path);
        return result;
}

static void drain_cancel(ScanPipeline *pipeline)
{
        guint64 count;
        while (pipeline->cancel_fd >= 0 && read(pipeline->cancel_fd, &count, sizeof count) > 0)
                ; /* non-blocking: stops at EAGAIN */
}

/* Waits for a path to scan and room for its result; NULL when the thread should end. A cancel
 * left by an earlier dropped file is drained here, under the lock, before the next one starts. */
static char *take_path(ScanPipeline *pipeline, gboolean *drop)
{
        guint room = MAX(pipeline->lookahead, 1);
        g_mutex_lock(&pipeline->lock);
        pipeline->current = G_MAXUINT;
        while (!pipeline->cancelled && (pipeline->results.length >= room ||
                                        (g_queue_is_empty(&pipeline->paths) && !pipeline->closed)))
                g_cond_wait(&pipeline->changed, &pipeline->lock);
        char *path = pipeline->cancelled ? NULL : g_queue_pop_head(&pipeline->paths);
        if (path) {
                drain_cancel(pipeline);
                pipeline->current = pipeline->taken++;
                *drop = g_hash_table_contains(pipeline->dropped, GUINT_TO_POINTER(pipeline->current));
        }
        g_mutex_unlock(&pipeline->lock);
        return path;
}

static gboolean was_dropped(ScanPipeline *pipeline)
{
        g_mutex_lock(&pipeline->lock);
        gboolean drop = g_hash_table_contains(pipeline->dropped, GUINT_TO_POINTER(pipeline->current));
        g_mutex_unlock(&pipeline->lock);
        return drop;
}

static gpointer scanner_thread(gpointer data)
{
        ScanPipeline *pipeline = data;
        char *path;
        gboolean drop = FALSE;
        while ((path = take_path(pipeline, &drop))) {
                ScanResult *result = drop ? dropped_result(NULL, path) : scan_one(pipeline, path);
                if (!drop && was_dropped(pipeline))
                        result = dropped_result(result, NULL);
                g_mutex_lock(&pipeline->lock);
                g_queue_push_tail(&pipeline->results, result);
                g_cond_broadcast(&pipeline->changed);
                g_mutex_unlock(&pipeline->lock);
        }
        scan_client_end_session(pipeline->client);
        g_mutex_lock(&pipeline->lock);
        pipeline->finished = TRUE;
        g_cond_broadcast(&pipeline->changed);
        g_mutex_unlock(&pipeline->lock);
        return NULL;
}

ScanPipeline *scan_pipeline_new(ScanClient *client, ScanAudit *audit, const char *tmpdir, guint lookahead)
{
        ScanPipeline *pipeline = g_new0(ScanPipeline, 1);
        pipeline->client = scan_client_copy(client);
        pipeline->audit = audit;
        pipeline->tmpdir = g_strdup(tmpdir);
        pipeline->lookahead = lookahead;
        /* without an eventfd a cancel cannot interrupt an exchange; it still stops between files */
        pipeline->cancel_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        scan_client_set_cancel_fd(pipeline->client, pipeline->cancel_fd);
        scan_client_use_sessions(pipeline->client, TRUE); /* the copy is this thread's alone */
        g_mutex_init(&pipeline->lock);
        g_cond_init(&pipeline->changed);
        g_queue_init(&pipeline->paths);
        g_queue_init(&pipeline->results);
        pipeline->current = G_MAXUINT;
        pipeline->dropped = g_hash_table_new(NULL, NULL);
        pipeline->thread = g_thread_new("clamftp-scan", scanner_thread, pipeline);
        return pipeline;
}

void scan_pipeline_submit(ScanPipeline *pipeline, const char *path)
{
        g_mutex_lock(&pipeline->lock);
        if (!pipeline->closed && !pipeline->cancelled) {
                g_queue_push_tail(&pipeline->paths, g_strdup(path));
                g_cond_broadcast(&pipeline->changed);
        }
        g_mutex_unlock(&pipeline->lock);
}

void scan_pipeline_close(ScanPipeline *pipeline)
{
        g_mutex_lock(&pipeline->lock);
        pipeline->closed = TRUE;
        g_cond_broadcast(&pipeline->changed);
        g_mutex_unlock(&pipeline->lock);
}

ScanResult *scan_pipeline_next(ScanPipeline *pipeline)
{
        g_mutex_lock(&pipeline->lock);
        while (g_queue_is_empty(&pipeline->results) && !pipeline->finished)
                g_cond_wait(&pipeline->changed, &pipeline->lock);
        ScanResult *result = g_queue_pop_head(&pipeline->results);
        g_cond_broadcast(&pipeline->changed); /* room for one more result */
        g_mutex_unlock(&pipeline->lock);
        return result;
}

static void wake_scan(ScanPipeline *pipeline)
{
        if (pipeline->cancel_fd < 0)
                return;
        guint64 one = 1;
        while (write(pipeline->cancel_fd, &one, sizeof one) < 0 && errno == EINTR)
                ;
}

void scan_pipeline_cancel(ScanPipeline *pipeline)
{
        g_mutex_lock(&pipeline->lock);
        pipeline->cancelled = TRUE;
        pipeline->closed = TRUE;
        g_queue_clear_full(&pipeline->paths, g_free);
        g_cond_broadcast(&pipeline->changed);
        g_mutex_unlock(&pipeline->lock);
        wake_scan(pipeline);
}

void scan_pipeline_drop(ScanPipeline *pipeline, guint index)
{
        g_mutex_lock(&pipeline->lock);
        g_hash_table_add(pipeline->dropped, GUINT_TO_POINTER(index));
        if (pipeline->current == index)
                wake_scan(pipeline); /* under the lock: the next file's drain cannot eat it */
        g_mutex_unlock(&pipeline->lock);
}

void scan_pipeline_free(ScanPipeline *pipeline)
{
        if (!pipeline)
                return;
        scan_pipeline_cancel(pipeline);
        g_thread_join(pipeline->thread);
        g_queue_clear_full(&pipeline->results, (GDestroyNotify)scan_result_free);
        g_hash_table_unref(pipeline->dropped);
        g_mutex_clear(&pipeline->lock);
        g_cond_clear(&pipeline->changed);
        if (pipeline->cancel_fd >= 0)
                close(pipeline->cancel_fd);
        scan_client_free(pipeline->client);
        g_free(pipeline->tmpdir);
        g_free(pipeline);
}
