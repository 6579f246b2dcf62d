/* core/upload.c — put: snapshot → verdict → upload of that same snapshot, or nothing. (mput is a
 * batch of queue jobs: core/batch.h, core/queue-upload.c.)
 * Owns: the remote name of a local path, remote parent creation, the verdict messages,
 * last_verdict and the upload audit record.
 * Must not: upload anything without an OK verdict for the very descriptor being sent, re-open
 * the user's path after the snapshot, or print directly (ctx->fe does). */
#include "core/transfer.h"
#include "core/transfer-private.h"

#include <string.h>

#include "common/i18n.h"
#include "core/safename.h"
#include "core/worker.h"
#include "scan/snapshot.h"

typedef enum {
        UPLOAD_DONE,
        UPLOAD_REFUSED, /* the scanner said INFECTED or gave no verdict: reported, nothing sent */
        UPLOAD_FAILED,  /* error set: this file failed, the next may work */
        UPLOAD_FATAL,   /* error set: cancelled or the connection is gone */
} UploadOutcome;

/* State of one put command. */
typedef struct {
        CoreContext *ctx;
        GHashTable *made_dirs; /* remote directories already created (or found) by this command */
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
        if (!core_remote_make_parents(session, remote, up->made_dirs, error))
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
