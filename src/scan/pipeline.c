/* scan/pipeline.c — the scanner threads: snapshot and scan upload candidates ahead of the upload.
 * Owns: the threads (one or more, each with its own copy of the client and IDSESSION connections
 * to the scanners, so a scanner with several cores, or a pool of scanners, scans several files at
 * once), the queue of paths, the
 * finished results (at most `lookahead` waiting beyond the scans in flight), their submission
 * order, and cancelling an exchange in flight (an eventfd given to each thread's own client).
 * Must not: upload, prompt or print. */
#include "config.h"
#include "scan/pipeline.h"
#include "scan/limits.h"
#include "common/i18n.h"

#include <errno.h>
#include <sys/eventfd.h>
#include <unistd.h>

/* One scanner thread. */
typedef struct {
        ScanPipeline *pipeline;
        ScanClient *client; /* its own copy, with its own cancel fd */
        int cancel_fd;      /* eventfd: readable once its scan is to stop */
        GThread *thread;
        guint current;      /* submission index being scanned, G_MAXUINT: none (under the lock) */
} Scanner;

struct ScanPipeline {
        ScanAudit *audit;   /* borrowed; may be NULL */
        char *tmpdir;
        guint lookahead;
        guint n_scanners;
        Scanner *scanners;

        GMutex lock;        /* guards everything below, and each Scanner's `current` */
        GCond changed;
        guint waiting;      /* threads waiting on `changed`: a change with none is not broadcast
                               (GLib's broadcast is a futex syscall even when nobody waits) */
        GQueue paths;       /* char *, waiting to be scanned */
        GHashTable *done;   /* submission index → ScanResult *, waiting for the consumer */
        gboolean closed;
        gboolean cancelled;
        guint running;      /* threads that may still produce a result */
        guint taken;        /* submission index of the next path a thread takes */
        guint consumed;     /* submission index of the next result the consumer gets */
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

static ScanResult *scan_one(Scanner *scanner, char *path)
{
        ScanPipeline *pipeline = scanner->pipeline;
        ScanResult *result = g_new0(ScanResult, 1);
        result->path = path;
        /* a file the scanner cannot judge whole is refused before it is copied (scan/limits.h) */
        ScanLimits limits;
        scan_limits_of(scanner->client, &limits);
        gboolean fildes = scan_client_uses_fildes(scanner->client);
        ScanSnapshotHow how = { .tmpdir = pipeline->tmpdir, .memfd_limit = SCAN_SNAPSHOT_MEMFD_LIMIT,
                                .max_size = scan_limits_max_bytes(&limits, fildes), .defer_digest = TRUE };
        result->snapshot = scan_snapshot_take_how(path, &how, &result->error);
        if (g_error_matches(result->error, SCAN_SNAPSHOT_ERROR, SCAN_SNAPSHOT_ERROR_TOO_LARGE)) {
                g_clear_error(&result->error);
                result->verdict = scan_limits_verdict(&limits, fildes, how.file_size);
        } else if (result->snapshot) {
                result->verdict = scan_client_scan_fd(scanner->client, result->snapshot->fd, result->snapshot->size);
                /* the SHA-256 was computed while the scanner read the snapshot: joined here, before
                 * the audit record and before the consumer (the upload) sees the result */
                if (!scan_snapshot_finish(result->snapshot, &result->error)) {
                        g_clear_pointer(&result->snapshot, scan_snapshot_free);
                        g_clear_pointer(&result->verdict, scan_verdict_free);
                }
        }
        if (!result->verdict)
                result->verdict = scan_verdict_new_error(result->error);
        scan_verdict_set_path(result->verdict, path);
        /* refusals before a snapshot (too large, unreadable) are recorded too, without one */
        const char *judge = result->verdict->scanner; /* the member that judged, NULL: none did */
        scan_audit_verdict(pipeline->audit, result->snapshot, result->verdict,
                           judge ? judge : scan_client_address(scanner->client));
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

/* Waits for a change (under the lock). */
static void wait_change(ScanPipeline *pipeline)
{
        pipeline->waiting++;
        g_cond_wait(&pipeline->changed, &pipeline->lock);
        pipeline->waiting--;
}

/* Tells every waiting thread of a change (under the lock). */
static void tell_change(ScanPipeline *pipeline)
{
        if (pipeline->waiting > 0)
                g_cond_broadcast(&pipeline->changed);
}

static void drain_cancel(Scanner *scanner)
{
        guint64 count;
        while (scanner->cancel_fd >= 0 && read(scanner->cancel_fd, &count, sizeof count) > 0)
                ; /* non-blocking: stops at EAGAIN */
}

/* Waits for a path to scan and room for its result; NULL when the thread should end. Room: at
 * most `lookahead` results taken and not yet consumed, plus one more per other thread. A cancel
 * left by an earlier dropped file is drained here, under the lock, before the next one starts. */
static char *take_path(Scanner *scanner, gboolean *drop)
{
        ScanPipeline *pipeline = scanner->pipeline;
        guint room = MAX(pipeline->lookahead, 1) + pipeline->n_scanners - 1;
        g_mutex_lock(&pipeline->lock);
        scanner->current = G_MAXUINT;
        while (!pipeline->cancelled && (pipeline->taken - pipeline->consumed >= room ||
                                        (g_queue_is_empty(&pipeline->paths) && !pipeline->closed)))
                wait_change(pipeline);
        char *path = pipeline->cancelled ? NULL : g_queue_pop_head(&pipeline->paths);
        if (path) {
                drain_cancel(scanner);
                scanner->current = pipeline->taken++;
                *drop = g_hash_table_contains(pipeline->dropped, GUINT_TO_POINTER(scanner->current));
        }
        g_mutex_unlock(&pipeline->lock);
        return path;
}

static gboolean was_dropped(Scanner *scanner)
{
        ScanPipeline *pipeline = scanner->pipeline;
        g_mutex_lock(&pipeline->lock);
        gboolean drop = g_hash_table_contains(pipeline->dropped, GUINT_TO_POINTER(scanner->current));
        g_mutex_unlock(&pipeline->lock);
        return drop;
}

static gpointer scanner_thread(gpointer data)
{
        Scanner *scanner = data;
        ScanPipeline *pipeline = scanner->pipeline;
        char *path;
        gboolean drop = FALSE;
        while ((path = take_path(scanner, &drop))) {
                ScanResult *result = drop ? dropped_result(NULL, path) : scan_one(scanner, path);
                if (!drop && was_dropped(scanner))
                        result = dropped_result(result, NULL);
                g_mutex_lock(&pipeline->lock);
                g_hash_table_insert(pipeline->done, GUINT_TO_POINTER(scanner->current), result);
                tell_change(pipeline);
                g_mutex_unlock(&pipeline->lock);
        }
        scan_client_end_session(scanner->client);
        g_mutex_lock(&pipeline->lock);
        pipeline->running--;
        tell_change(pipeline);
        g_mutex_unlock(&pipeline->lock);
        return NULL;
}

ScanPipeline *scan_pipeline_new_scanners(ScanClient *client, ScanAudit *audit, const char *tmpdir, guint lookahead,
                                         guint scanners)
{
        ScanPipeline *pipeline = g_new0(ScanPipeline, 1);
        pipeline->audit = audit;
        pipeline->tmpdir = g_strdup(tmpdir);
        pipeline->lookahead = lookahead;
        pipeline->n_scanners = MAX(scanners, 1);
        g_mutex_init(&pipeline->lock);
        g_cond_init(&pipeline->changed);
        g_queue_init(&pipeline->paths);
        pipeline->done = g_hash_table_new(NULL, NULL);
        pipeline->dropped = g_hash_table_new(NULL, NULL);
        pipeline->scanners = g_new0(Scanner, pipeline->n_scanners);
        pipeline->running = pipeline->n_scanners;
        for (guint i = 0; i < pipeline->n_scanners; i++) {
                Scanner *scanner = &pipeline->scanners[i];
                scanner->pipeline = pipeline;
                scanner->current = G_MAXUINT;
                scanner->client = scan_client_copy(client);
                /* without an eventfd a cancel cannot interrupt an exchange; it still stops between files */
                scanner->cancel_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
                scan_client_set_cancel_fd(scanner->client, scanner->cancel_fd);
                scan_client_use_sessions(scanner->client, TRUE); /* the copy is this thread's alone */
        }
        for (guint i = 0; i < pipeline->n_scanners; i++)
                pipeline->scanners[i].thread = g_thread_new("clamftp-scan", scanner_thread, &pipeline->scanners[i]);
        return pipeline;
}

ScanPipeline *scan_pipeline_new(ScanClient *client, ScanAudit *audit, const char *tmpdir, guint lookahead)
{
        return scan_pipeline_new_scanners(client, audit, tmpdir, lookahead, 1);
}

void scan_pipeline_submit(ScanPipeline *pipeline, const char *path)
{
        g_mutex_lock(&pipeline->lock);
        if (!pipeline->closed && !pipeline->cancelled) {
                g_queue_push_tail(&pipeline->paths, g_strdup(path));
                tell_change(pipeline);
        }
        g_mutex_unlock(&pipeline->lock);
}

void scan_pipeline_close(ScanPipeline *pipeline)
{
        g_mutex_lock(&pipeline->lock);
        pipeline->closed = TRUE;
        tell_change(pipeline);
        g_mutex_unlock(&pipeline->lock);
}

/* Every index below `taken` gets its result before its thread ends: once no thread runs, a
 * missing result means nothing more comes. */
ScanResult *scan_pipeline_next(ScanPipeline *pipeline)
{
        gpointer key = NULL;
        ScanResult *result = NULL;
        g_mutex_lock(&pipeline->lock);
        for (;;) {
                key = GUINT_TO_POINTER(pipeline->consumed);
                result = g_hash_table_lookup(pipeline->done, key);
                if (result || pipeline->running == 0)
                        break;
                wait_change(pipeline);
        }
        if (result) {
                g_hash_table_remove(pipeline->done, key);
                pipeline->consumed++;
                tell_change(pipeline); /* room for one more result */
        }
        g_mutex_unlock(&pipeline->lock);
        return result;
}

static void wake_scan(Scanner *scanner)
{
        if (scanner->cancel_fd < 0)
                return;
        guint64 one = 1;
        while (write(scanner->cancel_fd, &one, sizeof one) < 0 && errno == EINTR)
                ;
}

void scan_pipeline_cancel(ScanPipeline *pipeline)
{
        g_mutex_lock(&pipeline->lock);
        pipeline->cancelled = TRUE;
        pipeline->closed = TRUE;
        g_queue_clear_full(&pipeline->paths, g_free);
        tell_change(pipeline);
        g_mutex_unlock(&pipeline->lock);
        for (guint i = 0; i < pipeline->n_scanners; i++)
                wake_scan(&pipeline->scanners[i]);
}

void scan_pipeline_drop(ScanPipeline *pipeline, guint index)
{
        g_mutex_lock(&pipeline->lock);
        g_hash_table_add(pipeline->dropped, GUINT_TO_POINTER(index));
        for (guint i = 0; i < pipeline->n_scanners; i++) {
                if (pipeline->scanners[i].current == index)
                        wake_scan(&pipeline->scanners[i]); /* under the lock: its next file's drain cannot eat it */
        }
        g_mutex_unlock(&pipeline->lock);
}

void scan_pipeline_free(ScanPipeline *pipeline)
{
        if (!pipeline)
                return;
        scan_pipeline_cancel(pipeline);
        for (guint i = 0; i < pipeline->n_scanners; i++)
                g_thread_join(pipeline->scanners[i].thread);
        GHashTableIter it;
        gpointer result;
        g_hash_table_iter_init(&it, pipeline->done);
        while (g_hash_table_iter_next(&it, NULL, &result))
                scan_result_free(result);
        g_hash_table_unref(pipeline->done);
        g_hash_table_unref(pipeline->dropped);
        g_mutex_clear(&pipeline->lock);
        g_cond_clear(&pipeline->changed);
        for (guint i = 0; i < pipeline->n_scanners; i++) {
                Scanner *scanner = &pipeline->scanners[i];
                if (scanner->cancel_fd >= 0)
                        close(scanner->cancel_fd);
                scan_client_free(scanner->client);
        }
        g_free(pipeline->scanners);
        g_free(pipeline->tmpdir);
        g_free(pipeline);
}
