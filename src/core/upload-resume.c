/* core/upload-resume.c — reput and the TUI's "resume" of an upload: the whole file is
 * snapshotted and scanned, then only the bytes the server lacks are sent (REST+STOR, or APPE),
 * and the server's size is checked afterwards.
 * Must not: skip scanning the part already on the server (the verdict covers the whole file),
 * upload anything but the snapshot that got an OK verdict, or print directly (ctx->fe does). */
#include "core/transfer.h"
#include "core/transfer-private.h"

#include "common/i18n.h"
#include "core/safename.h"
#include "core/verdict.h"
#include "core/worker.h"
#include "scan/snapshot.h"
#include <inttypes.h>

/* The worker's part: SIZE, the rest of the snapshot, SIZE again. */
typedef struct {
        CoreContext *ctx;
        const ScanSnapshot *snapshot;
        const char *scanner; /* the member that judged it */
        const char *remote;
        const char *shown_remote;
        CoreProgress progress;
        CoreResumeResult *result;
        gboolean sent;       /* out: bytes went to the server (the audit records the attempt) */
        CoreVerify verify;   /* out: the whole file checked on the server afterwards */
} ResumeJob;

static gboolean remote_size(FtpSession *session, const ResumeJob *job, gint64 *size, GError **error)
{
        g_autoptr(GError) err = NULL;
        if (ftp_session_size(session, job->remote, size, &err))
                return TRUE;
        if (!g_error_matches(err, FTP_ERROR, FTP_ERROR_REFUSED)) {
                g_propagate_error(error, g_steal_pointer(&err));
                return FALSE;
        }
        g_set_error(error, CORE_TRANSFER_ERROR, CORE_TRANSFER_ERROR_CANNOT_RESUME,
                    _("Cannot resume %s: the server does not tell its size (%s). Use put to send the whole file."),
                    job->shown_remote, err->message);
        return FALSE;
}

/* Where to resume from: the server's size when it is a prefix length of the snapshot. */
static gboolean resume_offset(FtpSession *session, ResumeJob *job, gint64 *offset, GError **error)
{
        if (!remote_size(session, job, offset, error))
                return FALSE;
        gint64 size = job->snapshot->size;
        if (*offset <= size)
                return TRUE;
        g_set_error(error, CORE_TRANSFER_ERROR, CORE_TRANSFER_ERROR_CANNOT_RESUME,
                    _("Cannot resume %s: the server's file (%" PRId64 " bytes) is larger than the local "
                      "one (%" PRId64 " bytes). Use put to overwrite it."),
                    job->shown_remote, (int64_t)*offset, (int64_t)size);
        return FALSE;
}

static gboolean check_final_size(FtpSession *session, ResumeJob *job, GError **error)
{
        gint64 after = -1;
        if (!remote_size(session, job, &after, error))
                return FALSE;
        if (after == job->snapshot->size)
                return TRUE;
        g_set_error(error, CORE_TRANSFER_ERROR, CORE_TRANSFER_ERROR_INCOMPLETE,
                    _("The resumed upload of %s ended with %" PRId64 " bytes on the server instead of %"
                      PRId64 "."),
                    job->shown_remote, (int64_t)after, (int64_t)job->snapshot->size);
        return FALSE;
}

/* The whole file on the server against the snapshot (a digest where the server tells one): the
 * part that was there before is someone's too. A mismatch is left as it is for the user to put. */
static gboolean check_whole(FtpSession *session, ResumeJob *job, GError **error)
{
        if (!core_upload_verify(session, job->snapshot, job->remote, FTP_TYPE_BINARY, &job->verify, error))
                return FALSE;
        if (job->verify.match != 0)
                return TRUE;
        g_autofree char *said = core_name_escape(job->verify.remote ? job->verify.remote : "?");
        g_set_error(error, CORE_TRANSFER_ERROR, CORE_TRANSFER_ERROR_VERIFY,
                    _("The server's %s is not the file that was scanned (%s: the server says %s, the snapshot is "
                      "%s). Use put to send it whole."),
                    job->shown_remote, job->verify.method, said, job->verify.local ? job->verify.local : "?");
        return FALSE;
}

static gboolean resume_job(FtpSession *session, gpointer data, GError **error)
{
        ResumeJob *job = data;
        ftp_session_set_type(session, FTP_TYPE_BINARY);
        gint64 offset = 0;
        if (!resume_offset(session, job, &offset, error))
                return FALSE;
        job->result->offset = offset;
        if (offset == job->snapshot->size) {
                job->result->complete = TRUE;
                return check_whole(session, job, error);
        }
        job->sent = TRUE;
        if (!ftp_session_stor_from(session, job->remote, job->snapshot->fd, offset, job->snapshot->size,
                                   core_transfer_progress, &job->progress, &job->result->appended, error))
                return FALSE;
        return check_final_size(session, job, error) && check_whole(session, job, error);
}

gboolean core_upload_go_on(FtpSession *session, const ScanSnapshot *snapshot, const char *remote,
                           FtpProgressFunc progress, gpointer progress_data, gboolean complete_ok, gint64 *offset,
                           GError **error)
{
        *offset = 0;
        gint64 there = -1;
        g_autoptr(GError) unknown = NULL;
        if (!ftp_session_size(session, remote, &there, &unknown)) {
                if (!g_error_matches(unknown, FTP_ERROR, FTP_ERROR_REFUSED)) {
                        g_propagate_error(error, g_steal_pointer(&unknown));
                        return FALSE;
                }
                there = -1; /* no file there, or SIZE not offered: all of it again */
        }
        if (complete_ok && there == snapshot->size) {
                *offset = there;
                if (progress)
                        progress((guint64)there, snapshot->size, progress_data);
                return TRUE;
        }
        if (there <= 0 || there >= snapshot->size)
                return ftp_session_stor(session, remote, snapshot->fd, snapshot->size, progress, progress_data, error);
        *offset = there;
        g_autoptr(GError) refused = NULL;
        if (!ftp_session_stor_from(session, remote, snapshot->fd, there, snapshot->size, progress, progress_data,
                                   NULL, &refused)) {
                if (!g_error_matches(refused, FTP_ERROR, FTP_ERROR_REFUSED) || !ftp_session_is_connected(session)) {
                        g_propagate_error(error, g_steal_pointer(&refused));
                        return FALSE;
                }
                /* a server that will not restart a STOR (ProFTPD's AllowStoreRestart off): all again */
                *offset = 0;
                return ftp_session_stor(session, remote, snapshot->fd, snapshot->size, progress, progress_data, error);
        }
        gint64 after = -1;
        if (!ftp_session_size(session, remote, &after, error))
                return FALSE;
        if (after == snapshot->size)
                return TRUE;
        g_autofree char *shown = core_name_escape(remote);
        g_set_error(error, CORE_TRANSFER_ERROR, CORE_TRANSFER_ERROR_INCOMPLETE,
                    _("The upload of %s, gone on from byte %" PRId64 ", ended with %" PRId64 " bytes on the "
                      "server instead of %" PRId64 "."),
                    shown, (int64_t)there, (int64_t)after, (int64_t)snapshot->size);
        return FALSE;
}

/* The verdict for `status` and the TUI, and the refusal said. */
static gboolean verdict_allows(CoreContext *ctx, const ScanVerdict *verdict, const char *shown)
{
        core_context_set_last_verdict(ctx, verdict);
        g_autofree char *refusal = core_verdict_refusal_text(verdict, shown, CORE_VERDICT_RESUME,
                                                             core_verdict_judge(ctx, verdict));
        if (!refusal)
                return TRUE;
        core_say(ctx, CORE_MSG_ERROR, "%s", refusal);
        core_refused(ctx);
        return FALSE;
}

static void say_resumed(CoreContext *ctx, const ResumeJob *job, const char *shown)
{
        const CoreResumeResult *r = job->result;
        g_autofree char *total = g_format_size((guint64)job->snapshot->size);
        if (r->complete) {
                core_say(ctx, CORE_MSG_INFO, _("%s is already complete on the server as %s (%s): nothing sent."),
                         shown, job->shown_remote, total);
                return;
        }
        g_autofree char *rest = g_format_size((guint64)(job->snapshot->size - r->offset));
        core_say(ctx, CORE_MSG_INFO,
                 _("Resumed %s as %s from byte %" PRId64 " with %s: sent %s, now %s (scanned clean)."), shown,
                 job->shown_remote, (int64_t)r->offset, r->appended ? "APPE" : "REST", rest, total);
}

static void audit_resume(CoreContext *ctx, const ResumeJob *job, gboolean ok, const GError *failure)
{
        if (ctx->audit == NULL || !job->sent)
                return;
        g_autofree char *server = g_strdup_printf("%s:%u", ctx->host ? ctx->host : "", ctx->port);
        ScanAuditVerify verify = { .method = job->verify.method, .remote = job->verify.remote,
                                   .match = job->verify.match };
        scan_audit_upload_record(ctx->audit, job->snapshot, job->scanner, server, job->remote,
                                 job->result->offset, ok ? "done" : "failed", ok ? NULL : failure ? failure->message : NULL,
                                 job->verify.method ? &verify : NULL);
        g_autoptr(GError) error = NULL;
        if (!scan_audit_take_error(ctx->audit, &error))
                core_say(ctx, CORE_MSG_WARNING, _("The audit log could not be written: %s"), error->message);
}

static gboolean check_resumable(CoreContext *ctx, GError **error)
{
        if (!core_transfer_check_scanner(ctx, error))
                return FALSE;
        if (ctx->type != FTP_TYPE_BINARY) {
                g_set_error_literal(error, CORE_TRANSFER_ERROR, CORE_TRANSFER_ERROR_CANNOT_RESUME,
                                    _("An upload can only be resumed in binary mode: use `binary` first."));
                return FALSE;
        }
        return TRUE;
}

gboolean core_transfer_reput(CoreContext *ctx, const char *local, const char *remote, CoreResumeResult *result,
                             GError **error)
{
        g_return_val_if_fail(ctx != NULL && local != NULL, FALSE);
        CoreResumeResult unused = { 0 };
        if (result == NULL)
                result = &unused;
        *result = (CoreResumeResult){ 0 };
        if (!check_resumable(ctx, error))
                return FALSE;
        g_autofree char *target = core_transfer_put_target(local, remote);
        g_autoptr(ScanVerdict) verdict = NULL;
        g_autoptr(ScanSnapshot) snapshot = core_transfer_snapshot_scan(ctx, local, &verdict, error);
        if (snapshot == NULL)
                return FALSE;
        g_autofree char *shown = core_name_escape(local);
        if (!verdict_allows(ctx, verdict, shown))
                return FALSE;
        g_autofree char *shown_remote = core_name_escape(target);
        ResumeJob job = { .ctx = ctx, .snapshot = snapshot, .scanner = core_verdict_scanner(ctx, verdict),
                          .remote = target, .shown_remote = shown_remote,
                          .progress = { .ctx = ctx, .name = shown }, .result = result,
                          .verify = { .match = -1 } };
        GError *failure = NULL;
        gboolean ok = core_worker_run(ctx->worker, resume_job, &job, &failure);
        audit_resume(ctx, &job, ok, failure);
        core_verify_clear(&job.verify);
        if (!ok) {
                g_propagate_error(error, failure);
                return FALSE;
        }
        say_resumed(ctx, &job, shown);
        return TRUE;
}
