/* core/queue-upload.c — a batch of uploads from the transfer queue with the scanner working
 * ahead (scan/pipeline.h: while job k is sent, job k+1 is scanned); each job's state, bytes and
 * verdict land in the queue, each upload and verdict in the audit log.
 * Must not: upload anything but the snapshot that got an OK verdict, re-open the user's path
 * after the snapshot, ask about conflicts, or print directly (ctx->fe does). */
#include "core/queue-run.h"
#include "core/queue-run-private.h"

#include <string.h>

#include "common/i18n.h"
#include "core/safename.h"
#include "core/transfer.h"
#include "core/transfer-private.h"
#include "core/worker.h"
#include "scan/pipeline.h"

/* One file ahead: the file after the one being sent is the one being scanned, so the queue's
 * "scanning" is exact, and at most two snapshots are held at once. */
#define UPLOAD_LOOKAHEAD 1

/* After these no later upload of the batch can work (a cancel ends only its own job). */
static gboolean ends_batch(const GError *error)
{
        return g_error_matches(error, FTP_ERROR, FTP_ERROR_CLOSED) ||
               g_error_matches(error, FTP_ERROR, FTP_ERROR_NOT_CONNECTED);
}

typedef struct {
        CoreContext *ctx;
        CoreQueue *queue;
        ScanPipeline *pipeline;
        GHashTable *made_dirs;  /* remote directories made (or found) in this batch */
        char *server;           /* "host:port", for the audit log */
        guint done;
        GError *stop;           /* the connection is gone: the rest of the batch fails with this */
} UploadRun;

typedef struct {
        UploadRun *run;
        guint id;
        const ScanSnapshot *snapshot;
        const char *remote;
} StorJob;

static void stor_progress(guint64 done, gint64 total, gpointer data)
{
        StorJob *job = data;
        core_queue_progress(job->run->queue, job->id, done, total);
}

static gboolean stor_job(FtpSession *session, gpointer data, GError **error)
{
        StorJob *job = data;
        ftp_session_set_type(session, job->run->ctx->type);
        if (!core_remote_make_parents(session, job->remote, job->run->made_dirs, error))
                return FALSE;
        return ftp_session_stor(session, job->remote, job->snapshot->fd, job->snapshot->size,
                                stor_progress, job, error);
}

/* The verdict for `status` (with the path), the refusal message (with the job's name), and the
 * job's state. TRUE when clean. */
static gboolean judge(UploadRun *run, guint id, const ScanVerdict *verdict, const char *shown,
                      const char *path)
{
        CoreContext *ctx = run->ctx;
        g_autofree char *path_shown = core_name_escape(path);
        g_autofree char *last = NULL;
        switch (verdict->kind) {
        case SCAN_VERDICT_OK:
                last = g_strdup_printf("OK %s", path_shown);
                core_context_set_last_verdict(ctx, last);
                return TRUE;
        case SCAN_VERDICT_INFECTED: {
                g_autofree char *signature = core_name_escape(verdict->signature);
                last = g_strdup_printf("INFECTED %s %s", verdict->signature, path_shown);
                core_say(ctx, CORE_MSG_ERROR, _("%s is infected (%s): not uploaded."), shown, signature);
                core_queue_set_state(run->queue, id, CORE_JOB_INFECTED, signature);
                break;
        }
        case SCAN_VERDICT_ERROR:
        default: {
                g_autofree char *reason = core_name_escape(verdict->reason ? verdict->reason
                                                                           : _("no reason given"));
                last = g_strdup_printf("ERROR %s (%s)", path_shown, verdict->reason ? verdict->reason : "");
                core_say(ctx, CORE_MSG_ERROR,
                         _("%s was not uploaded: the scanner gave no verdict (%s)."), shown, reason);
                core_queue_set_state(run->queue, id, CORE_JOB_REFUSED, reason);
                break;
        }
        }
        core_context_set_last_verdict(ctx, last);
        core_refused(ctx);
        return FALSE;
}

static void send_clean(UploadRun *run, guint id, const CoreJob *job, const ScanSnapshot *snapshot,
                       guint next_id)
{
        CoreContext *ctx = run->ctx;
        if (!core_queue_begin(run->queue, id))
                return; /* cancelled while it was scanned */
        core_queue_set_state(run->queue, id, CORE_JOB_TRANSFERRING, NULL);
        if (next_id)
                core_queue_set_state(run->queue, next_id, CORE_JOB_SCANNING, NULL);
        StorJob stor = { .run = run, .id = id, .snapshot = snapshot, .remote = job->remote };
        GError *failure = NULL;
        gboolean ok = core_worker_run(ctx->worker, stor_job, &stor, &failure);
        core_queue_end(run->queue, id);
        if (ctx->audit)
                scan_audit_upload(ctx->audit, snapshot, ctx->scanner_address, run->server, job->remote,
                                  ok, failure ? failure->message : NULL);
        g_autofree char *remote_shown = core_name_escape(job->remote);
        if (ok) {
                g_autofree char *size = g_format_size((guint64)snapshot->size);
                core_say(ctx, CORE_MSG_INFO, _("Uploaded %s as %s (%s, scanned clean)."), job->name,
                         remote_shown, size);
                core_queue_set_state(run->queue, id, CORE_JOB_DONE, NULL);
                run->done++;
                return;
        }
        g_prefix_error(&failure, _("Uploading %s to %s failed: "), job->name, remote_shown);
        if (ends_batch(failure)) {
                run->stop = g_error_copy(failure);
                scan_pipeline_cancel(run->pipeline);
        }
        core_queue_finish_failed(ctx, run->queue, id, failure);
        g_error_free(failure);
}

static void upload_one(UploadRun *run, guint id, ScanResult *result, guint next_id)
{
        g_autoptr(CoreJob) job = core_queue_get(run->queue, id);
        if (!job || job->cancel_requested || core_job_state_is_final(job->state)) {
                core_queue_set_state(run->queue, id, CORE_JOB_CANCELLED, NULL);
                return;
        }
        if (!result->snapshot) {
                core_queue_set_state(run->queue, id, CORE_JOB_FAILED, result->error->message);
                core_fail(run->ctx, result->error);
                return;
        }
        if (judge(run, id, result->verdict, job->name, result->path))
                send_clean(run, id, job, result->snapshot, next_id);
}

static gboolean check_scanner(CoreContext *ctx, CoreQueue *queue, GArray *ids)
{
        if (ctx->scanner)
                return TRUE;
        g_autoptr(GError) error = g_error_new_literal(CORE_TRANSFER_ERROR, CORE_TRANSFER_ERROR_NO_SCANNER,
                _("No scanner is configured, so nothing can be uploaded; "
                  "set one with --scanner unix:/path or tcp:host:port."));
        for (guint i = 0; i < ids->len; i++)
                core_queue_set_state(queue, g_array_index(ids, guint, i), CORE_JOB_FAILED, error->message);
        core_fail(ctx, error);
        return FALSE;
}

/* Submits every job still wanted; returns the ids submitted, in order. */
static GArray *submit_all(UploadRun *run, GArray *ids)
{
        GArray *submitted = g_array_new(FALSE, FALSE, sizeof(guint));
        for (guint i = 0; i < ids->len; i++) {
                guint id = g_array_index(ids, guint, i);
                g_autoptr(CoreJob) job = core_queue_get(run->queue, id);
                if (!job || core_job_state_is_final(job->state))
                        continue;
                scan_pipeline_submit(run->pipeline, job->local);
                g_array_append_val(submitted, id);
        }
        scan_pipeline_close(run->pipeline);
        return submitted;
}

/* The queue's stop hook: non-blocking (a flag and an eventfd write). */
static void stop_scans(gpointer pipeline)
{
        scan_pipeline_cancel(pipeline);
}

guint core_queue_run_uploads(CoreContext *ctx, CoreQueue *queue, GArray *ids)
{
        if (!check_scanner(ctx, queue, ids))
                return 0;
        UploadRun run = { .ctx = ctx, .queue = queue };
        run.pipeline = scan_pipeline_new(ctx->scanner, ctx->audit, ctx->tmpdir, UPLOAD_LOOKAHEAD);
        /* cancelling everything (or quitting) also ends a scan in flight */
        core_queue_set_stop_hook(queue, stop_scans, run.pipeline);
        run.made_dirs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        run.server = g_strdup_printf("%s:%u", ctx->host ? ctx->host : "", ctx->port);
        g_autoptr(GArray) submitted = submit_all(&run, ids);
        for (guint i = 0; i < submitted->len; i++) {
                guint id = g_array_index(submitted, guint, i);
                guint next_id = i + 1 < submitted->len ? g_array_index(submitted, guint, i + 1) : 0;
                core_queue_set_state(queue, id, CORE_JOB_SCANNING, NULL);
                g_autoptr(ScanResult) result = run.stop ? NULL : scan_pipeline_next(run.pipeline);
                if (!result) {
                        core_queue_set_state(queue, id, CORE_JOB_FAILED,
                                             run.stop ? run.stop->message : _("not scanned"));
                        continue;
                }
                upload_one(&run, id, result, next_id);
        }
        g_autoptr(GError) audit_error = NULL;
        if (ctx->audit && !scan_audit_take_error(ctx->audit, &audit_error))
                core_say(ctx, CORE_MSG_WARNING, _("The audit log could not be written: %s"), audit_error->message);
        if (submitted->len > 1)
                core_say(ctx, CORE_MSG_INFO, _("%u of %u files uploaded."), run.done, submitted->len);
        core_queue_set_stop_hook(queue, NULL, NULL);
        scan_pipeline_free(run.pipeline);
        g_hash_table_unref(run.made_dirs);
        g_free(run.server);
        g_clear_error(&run.stop);
        return run.done;
}
