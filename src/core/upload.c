/* core/upload.c — put and mput: snapshot → verdict → upload of that same snapshot, or nothing.
 * Owns: the remote name of a local path, remote parent creation, the per-file questions of mput,
 * the verdict messages, last_verdict and the upload audit record.
 * Must not: upload anything without an OK verdict for the very descriptor being sent, re-open
 * the user's path after the snapshot, or print directly (ctx->fe does). */
#include "core/transfer.h"
#include "core/transfer-private.h"

#include <string.h>

#include "common/i18n.h"
#include "core/safename.h"
#include "core/spread.h"
#include "core/worker.h"
#include "scan/pipeline.h"
#include "scan/snapshot.h"

/* Scanned files waiting for a connection, beyond one per connection. */
#define MPUT_LOOKAHEAD 4

typedef enum {
        UPLOAD_DONE,
        UPLOAD_REFUSED, /* the scanner said INFECTED or gave no verdict: reported, nothing sent */
        UPLOAD_FAILED,  /* error set: this file failed, the next may work */
        UPLOAD_FATAL,   /* error set: cancelled or the connection is gone; stop the command */
} UploadOutcome;

/* State of one put/mput command. */
typedef struct {
        CoreContext *ctx;
        GHashTable *made_dirs; /* remote directories already created (or found) by this command */
        CoreSpread *spread;    /* mput: the connections (and their shared made_dirs), else NULL */
        char *server;          /* "host:port", for the audit log */
} Upload;

static void upload_init(Upload *up, CoreContext *ctx)
{
        up->ctx = ctx;
        up->made_dirs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        up->server = g_strdup_printf("%s:%u", ctx->host ? ctx->host : "", ctx->port);
}

static void upload_clear(Upload *up)
{
        g_clear_pointer(&up->made_dirs, g_hash_table_unref);
        g_clear_pointer(&up->server, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Upload, upload_clear)

char *core_transfer_remote_name_for(const char *local)
{
        g_autofree char *base = g_path_get_basename(local);
        if (g_path_is_absolute(local))
                return g_steal_pointer(&base);
        g_auto(GStrv) parts = g_strsplit(local, "/", -1);
        g_autoptr(GPtrArray) kept = g_ptr_array_new();
        for (char **p = parts; *p != NULL; p++) {
                if (strcmp(*p, "..") == 0)
                        return g_steal_pointer(&base);
                if ((*p)[0] != '\0' && strcmp(*p, ".") != 0)
                        g_ptr_array_add(kept, *p);
        }
        if (kept->len == 0)
                return g_steal_pointer(&base);
        g_ptr_array_add(kept, NULL);
        return g_strjoinv("/", (char **)kept->pdata);
}

gboolean core_remote_make_parents(FtpSession *session, const char *remote, GHashTable *made, GError **error)
{
        const char *last = strrchr(remote, '/');
        if (last == NULL || last == remote)
                return TRUE;
        for (const char *p = remote + 1; p <= last; p++) {
                if (*p != '/' || p[-1] == '/')
                        continue;
                g_autofree char *dir = g_strndup(remote, (gsize)(p - remote));
                if (g_hash_table_contains(made, dir))
                        continue;
                g_autoptr(GError) mkd_error = NULL;
                if (!ftp_session_mkdir(session, dir, &mkd_error) &&
                    !g_error_matches(mkd_error, FTP_ERROR, FTP_ERROR_REFUSED)) {
                        g_propagate_error(error, g_steal_pointer(&mkd_error));
                        return FALSE;
                }
                g_hash_table_add(made, g_steal_pointer(&dir));
        }
        return TRUE;
}

/* On a worker: the parents of `remote`, then the snapshot's bytes. */
static gboolean stor(FtpSession *session, Upload *up, const ScanSnapshot *snapshot, const char *remote,
                     CoreProgress *progress, GError **error)
{
        ftp_session_set_type(session, up->ctx->type);
        gboolean made = up->spread ? core_spread_make_parents(up->spread, session, remote, error)
                                   : core_remote_make_parents(session, remote, up->made_dirs, error);
        if (!made)
                return FALSE;
        return ftp_session_stor(session, remote, snapshot->fd, snapshot->size, core_transfer_progress,
                                progress, error);
}

/* One put, run on the main worker thread. */
typedef struct {
        Upload *up;
        const ScanSnapshot *snapshot;
        const char *remote;
        CoreProgress progress;
} StorJob;

static gboolean stor_job(FtpSession *session, gpointer data, GError **error)
{
        StorJob *job = data;
        return stor(session, job->up, job->snapshot, job->remote, &job->progress, error);
}

/* Says why a file was refused and records the refusal. */
static void report_refusal(CoreContext *ctx, const ScanVerdict *verdict, const char *shown)
{
        if (verdict->kind == SCAN_VERDICT_INFECTED) {
                g_autofree char *signature = core_name_escape(verdict->signature);
                core_say(ctx, CORE_MSG_ERROR, _("%s is infected (%s): not uploaded."), shown, signature);
        } else {
                g_autofree char *reason = core_name_escape(verdict->reason ? verdict->reason
                                                                           : _("no reason given"));
                core_say(ctx, CORE_MSG_ERROR,
                         _("%s was not uploaded: the scanner gave no verdict (%s)."), shown, reason);
        }
        core_refused(ctx);
}

/* Records the verdict for `status` and reports a refusal. TRUE when the file may be sent. */
static gboolean judge(CoreContext *ctx, const ScanVerdict *verdict, const char *shown)
{
        core_transfer_note_verdict(ctx, verdict, shown);
        if (verdict->kind == SCAN_VERDICT_OK)
                return TRUE;
        report_refusal(ctx, verdict, shown);
        return FALSE;
}

/* After an upload ended (on the command thread): the audit record and the message. failure is
 * consumed. */
static UploadOutcome upload_ended(Upload *up, const ScanSnapshot *snapshot, const char *shown,
                                  const char *remote, gboolean ok, GError *failure, GError **error)
{
        CoreContext *ctx = up->ctx;
        if (ctx->audit != NULL)
                scan_audit_upload(ctx->audit, snapshot, ctx->scanner_address, up->server, remote, ok,
                                  failure ? failure->message : NULL);
        g_autofree char *remote_shown = core_name_escape(remote);
        if (!ok) {
                g_prefix_error(&failure, _("Uploading %s to %s failed: "), shown, remote_shown);
                gboolean fatal = core_transfer_error_is_fatal(failure);
                g_propagate_error(error, failure);
                return fatal ? UPLOAD_FATAL : UPLOAD_FAILED;
        }
        g_clear_error(&failure);
        g_autofree char *size = g_format_size((guint64)snapshot->size);
        core_say(ctx, CORE_MSG_INFO, _("Uploaded %s as %s (%s, scanned clean)."), shown, remote_shown, size);
        return UPLOAD_DONE;
}

/* Uploads a snapshot the scanner judged, if and only if the verdict is OK. */
static UploadOutcome upload_scanned(Upload *up, const char *local, const ScanSnapshot *snapshot,
                                    const ScanVerdict *verdict, const char *remote, GError **error)
{
        CoreContext *ctx = up->ctx;
        g_autofree char *shown = core_name_escape(local);
        if (!judge(ctx, verdict, shown))
                return UPLOAD_REFUSED;
        StorJob job = { .up = up, .snapshot = snapshot, .remote = remote,
                        .progress = { .ctx = ctx, .name = shown } };
        GError *failure = NULL;
        gboolean ok = core_worker_run(ctx->worker, stor_job, &job, &failure);
        return upload_ended(up, snapshot, shown, remote, ok, failure, error);
}

static void warn_audit_failure(CoreContext *ctx)
{
        g_autoptr(GError) error = NULL;
        if (ctx->audit != NULL && !scan_audit_take_error(ctx->audit, &error))
                core_say(ctx, CORE_MSG_WARNING, _("The audit log could not be written: %s"), error->message);
}

gboolean core_transfer_put(CoreContext *ctx, const char *local, const char *remote, GError **error)
{
        g_return_val_if_fail(ctx != NULL && local != NULL, FALSE);
        if (!core_transfer_check_scanner(ctx, error))
                return FALSE;
        g_autofree char *target = core_transfer_put_target(local, remote);
        g_autoptr(ScanVerdict) verdict = NULL;
        g_autoptr(ScanSnapshot) snapshot = core_transfer_snapshot_scan(ctx, local, &verdict, error);
        if (snapshot == NULL)
                return FALSE;
        g_auto(Upload) up = { 0 };
        upload_init(&up, ctx);
        UploadOutcome outcome = upload_scanned(&up, local, snapshot, verdict, target, error);
        warn_audit_failure(ctx);
        return outcome == UPLOAD_DONE;
}

/* The files the user agrees to send, asked before any scan starts. */
static GPtrArray *choose_files(CoreContext *ctx, GPtrArray *paths)
{
        GPtrArray *chosen = g_ptr_array_new();
        CoreAsker asker = { 0 };
        for (guint i = 0; i < paths->len && !asker.quit; i++) {
                const char *path = g_ptr_array_index(paths, i);
                g_autofree char *shown = core_name_escape(path);
                g_autofree char *question = g_strdup_printf(_("Upload %s?"), shown);
                if (core_asker_confirm(ctx, &asker, question))
                        g_ptr_array_add(chosen, (gpointer)path);
        }
        return chosen;
}

typedef struct {
        guint sent;
        guint refused;
        guint failed;
        guint received;        /* scan results taken from the pipeline */
        gboolean stop;
        char *stop_reason;     /* the error that stopped the batch */
        ScanPipeline *pipeline;
} MputTally;

/* One clean file of mput on its way to one of the connections. */
typedef struct {
        Upload *up;
        MputTally *tally;
        ScanResult *result;    /* owns the snapshot that got the OK */
        char *remote;
        char *shown;
        CoreProgress progress;
} MputJob;

static void mput_job_free(gpointer data)
{
        MputJob *job = data;
        scan_result_free(job->result);
        g_free(job->remote);
        g_free(job->shown);
        g_free(job);
}

static gboolean mput_stor(FtpSession *session, CoreWorker *worker, gpointer data, GError **error)
{
        MputJob *job = data;
        return stor(session, job->up, job->result->snapshot, job->remote, &job->progress, error);
}

/* Stops the rest of the command: nothing more is scanned or sent. */
static void mput_stop(Upload *up, MputTally *tally, const GError *why)
{
        if (tally->stop)
                return;
        tally->stop = TRUE;
        tally->stop_reason = g_strdup(why ? why->message : _("the batch was stopped"));
        scan_pipeline_cancel(tally->pipeline);
        core_spread_cancel(up->spread);
}

/* A job's end, on the command thread. */
static void mput_done(gboolean ok, const GError *error, gpointer data)
{
        MputJob *job = data;
        MputTally *tally = job->tally;
        GError *failure = error ? g_error_copy(error) : NULL;
        g_autoptr(GError) reported = NULL;
        switch (upload_ended(job->up, job->result->snapshot, job->shown, job->remote, ok, failure, &reported)) {
        case UPLOAD_DONE:
                tally->sent++;
                return;
        case UPLOAD_REFUSED:
                tally->refused++;
                return;
        case UPLOAD_FATAL:
                mput_stop(job->up, tally, failure);
                /* fall through */
        case UPLOAD_FAILED:
                core_fail(job->up->ctx, reported);
                tally->failed++;
                return;
        }
}

/* A file the batch did not get to after it stopped: said by name, so that no file the user asked
 * for is left out of the report. */
static void mput_not_sent(CoreContext *ctx, MputTally *tally, const char *path)
{
        g_autofree char *shown = core_name_escape(path);
        core_say(ctx, CORE_MSG_ERROR, _("%s was not uploaded: the batch stopped (%s)."), shown,
                 tally->stop_reason ? tally->stop_reason : "");
        tally->failed++;
}

/* Takes result: a refused or unreadable file is reported here, a clean one goes to a connection. */
static void mput_one(Upload *up, ScanResult *result, MputTally *tally)
{
        g_autoptr(ScanResult) owned = result;
        CoreContext *ctx = up->ctx;
        tally->received++;
        if (tally->stop) {
                mput_not_sent(ctx, tally, owned->path); /* draining after a fatal error */
                return;
        }
        if (owned->snapshot == NULL) {
                core_fail(ctx, owned->error);
                tally->failed++;
                return;
        }
        g_autofree char *shown = core_name_escape(owned->path);
        if (!judge(ctx, owned->verdict, shown)) {
                tally->refused++;
                return;
        }
        MputJob *job = g_new0(MputJob, 1);
        job->up = up;
        job->tally = tally;
        job->remote = core_transfer_remote_name_for(owned->path);
        job->result = g_steal_pointer(&owned);
        job->shown = g_steal_pointer(&shown);
        job->progress = (CoreProgress){ .ctx = ctx, .name = job->shown };
        core_spread_submit(up->spread, mput_stor, job, mput_job_free, mput_done);
}

gboolean core_transfer_mput(CoreContext *ctx, GPtrArray *local_paths, GError **error)
{
        g_return_val_if_fail(ctx != NULL && local_paths != NULL, FALSE);
        if (!core_transfer_check_scanner(ctx, error))
                return FALSE;
        g_autoptr(GPtrArray) chosen = choose_files(ctx, local_paths);
        if (chosen->len == 0)
                return TRUE; /* the user declined every file */
        guint connections = MIN(MAX(ctx->parallel, 1), chosen->len);
        g_autoptr(ScanPipeline) pipeline = scan_pipeline_new(ctx->scanner, ctx->audit, ctx->tmpdir,
                                                             MPUT_LOOKAHEAD + connections);
        for (guint i = 0; i < chosen->len; i++)
                scan_pipeline_submit(pipeline, g_ptr_array_index(chosen, i));
        scan_pipeline_close(pipeline);

        g_auto(Upload) up = { 0 };
        upload_init(&up, ctx);
        g_autoptr(CoreSpread) spread = core_spread_new(ctx, connections);
        core_spread_expect(spread, chosen->len);
        up.spread = spread;
        MputTally tally = { .pipeline = pipeline };
        ScanResult *result;
        while ((result = scan_pipeline_next(pipeline)) != NULL)
                mput_one(&up, result, &tally);
        core_spread_wait(spread);
        /* the pipeline yields in submission order: what it never yielded was never scanned */
        for (guint i = tally.received; tally.stop && i < chosen->len; i++)
                mput_not_sent(ctx, &tally, g_ptr_array_index(chosen, i));
        g_free(tally.stop_reason);
        warn_audit_failure(ctx);
        if (chosen->len > 1)
                core_say(ctx, CORE_MSG_INFO, _("%u of %u files uploaded (%u refused by the scanner, %u failed)."),
                         tally.sent, chosen->len, tally.refused, tally.failed);
        return tally.sent == chosen->len;
}
