/* core/queue-upload.c — a batch of uploads from the transfer queue with the scanner working
 * ahead (scan/pipeline.h: while job k is sent, the next ones are scanned) and the clean files
 * spread over up to ctx->parallel connections (core/spread.h); each job's state, bytes and
 * verdict land in the queue, each upload and verdict in the audit log (from the command thread).
 * Must not: upload anything but the snapshot that got an OK verdict, re-open the user's path
 * after the snapshot, ask about conflicts, or print directly (ctx->fe does). */
#include "core/queue-run.h"
#include "core/queue-run-private.h"

#include <string.h>
#include <sys/stat.h>

#include "common/i18n.h"
#include "core/safename.h"
#include "core/transfer.h"
#include "core/transfer-private.h"
#include "core/spread.h"
#include "core/verdict.h"
#include "core/worker.h"
#include "scan/pipeline.h"

/* A file cut by a lost connection at least this large goes on from what the server holds (SIZE,
 * then REST or APPE, then SIZE again: two round trips more); a smaller one is sent again whole. */
#define GO_ON_MIN (1 << 20)

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
        CoreSpread *spread;     /* the connections, and the remote directories made by the batch */
        char *server;           /* "host:port", for the audit log */
        GArray *submitted;      /* guint ids in the pipeline's order (fixed once submitted) */
        guint done;
        GError *stop;           /* the connection is gone: the rest of the batch fails with this */
        gboolean temp_upload;   /* temporary names (ctx->temp_upload when the batch began, or mirror's) */
        GPtrArray *leftovers;   /* char*: temporary copies of failed uploads not deleted yet */
        guint64 bytes;          /* the local files' sizes when submitted, added up */
        guint unanswered;       /* files refused because no scanner answered: the first one's
                                   refusal says why, the others are counted in the tally */
} UploadRun;

/* One clean file on its way to a connection. */
typedef struct {
        UploadRun *run;
        guint id;
        CoreJob *job;           /* a copy: name and remote path */
        ScanResult *result;     /* owns the snapshot that got the OK */
        gboolean began;         /* it took its connection (not cancelled while it waited) */
        guint retries;          /* runs cut by a lost connection (sent again each time) */
        gint64 offset;          /* the last run went on from this byte (0: the whole file) */
        CoreVerify verify;      /* how the server's copy was checked after the last send */
        CoreVerify mismatch;    /* a copy that did not match, deleted and sent again (method NULL: none) */
        char *temp;             /* temp-upload: the temporary name it is stored under first (kept for
                                   a run again after a connection the server closed, which goes on
                                   there; after a timeout the next run takes a fresh one) */
        gboolean temp_gone;     /* that copy was renamed into place or deleted */
        gboolean via_temp;      /* without temp-upload: a run cut by a timeout made the next ones go
                                   under a temporary name too (stor_retry) */
        GPtrArray *stale;       /* char*: temporary names given up after a timeout, to be deleted */
        gboolean copy_deleted;  /* the last send's copy was deleted (send_verified: it did not match) */
        gboolean resumed;       /* a resumed queue's job that had started: goes on after what the
                                   server holds, a copy already whole there is only checked */
} StorJob;

static void stor_job_free(gpointer data)
{
        StorJob *stor = data;
        core_verify_clear(&stor->verify);
        core_verify_clear(&stor->mismatch);
        g_free(stor->temp);
        g_ptr_array_unref(stor->stale);
        core_job_free(stor->job);
        scan_result_free(stor->result);
        g_free(stor);
}

static void stor_progress(guint64 done, gint64 total, gpointer data)
{
        StorJob *stor = data;
        core_queue_progress(stor->run->queue, stor->id, done, total);
}

/* One send of the snapshot: whole, or (may_go_on: sent again after a lost connection, a large
 * file) on after what the server has. */
static gboolean send_once(FtpSession *session, StorJob *stor, const char *target, gboolean may_go_on,
                          GError **error)
{
        UploadRun *run = stor->run;
        const ScanSnapshot *snapshot = stor->result->snapshot;
        gboolean go_on = may_go_on && run->ctx->type == FTP_TYPE_BINARY &&
                         ((stor->retries > 0 && snapshot->size >= GO_ON_MIN) || stor->resumed);
        stor->offset = 0;
        if (go_on)
                return core_upload_go_on(session, snapshot, target, stor_progress, stor, stor->resumed, &stor->offset,
                                         error);
        return ftp_session_stor(session, target, snapshot->fd, snapshot->size, stor_progress, stor, error);
}

#define TEMP_MARK ".clamftp-"
#define TEMP_DIGITS 6

/* ".NAME.clamftp-1a2b3c" beside the target: hidden in listings, unlikely to meet another. */
static char *temp_name_for(const char *remote) /* transfer full */
{
        const char *slash = strrchr(remote, '/');
        const char *base = slash ? slash + 1 : remote;
        g_autofree char *dir = slash ? g_strndup(remote, (gsize)(slash - remote + 1)) : g_strdup("");
        return g_strdup_printf("%s.%s" TEMP_MARK "%0*x", dir, base, TEMP_DIGITS, g_random_int_range(0, 0x1000000));
}

char *core_upload_temp_name_base(const char *name)
{
        gsize len = strlen(name), mark = strlen(TEMP_MARK);
        if (len < 2 + mark + TEMP_DIGITS || name[0] != '.')
                return NULL;
        const char *digits = name + len - TEMP_DIGITS;
        for (int i = 0; i < TEMP_DIGITS; i++)
                if (!g_ascii_isdigit(digits[i]) && (digits[i] < 'a' || digits[i] > 'f'))
                        return NULL;
        if (strncmp(digits - mark, TEMP_MARK, mark) != 0)
                return NULL;
        return g_strndup(name + 1, (gsize)(digits - mark - (name + 1)));
}

/* The temporary copy, checked, onto the upload's own name (a server whose RNTO will not replace
 * a file gets the old one deleted first). */
static gboolean rename_into_place(FtpSession *session, const char *temp, const char *remote, GError **error)
{
        g_autoptr(GError) first = NULL;
        if (ftp_session_rename(session, temp, remote, &first))
                return TRUE;
        if (!g_error_matches(first, FTP_ERROR, FTP_ERROR_REFUSED)) {
                g_propagate_error(error, g_steal_pointer(&first));
                return FALSE;
        }
        g_autoptr(GError) ignored = NULL;
        if (ftp_session_delete(session, remote, &ignored) && ftp_session_rename(session, temp, remote, error))
                return TRUE;
        if (error && !*error)
                g_propagate_error(error, g_steal_pointer(&first));
        return FALSE;
}

/* A send the server ended early (its 2xx before all the data arrived): the short copy it may keep
 * under the name is deleted, as a copy that does not match is. TRUE when it is to be sent once
 * more; else *error says what happened to the copy. */
static gboolean ended_early(FtpSession *session, StorJob *stor, const char *remote, guint attempt, GError **error)
{
        if (!g_error_matches(*error, FTP_ERROR, FTP_ERROR_ENDED_EARLY) || !ftp_session_is_connected(session))
                return FALSE;
        g_autoptr(GError) ignored = NULL;
        stor->copy_deleted = ftp_session_delete(session, remote, &ignored);
        if (attempt == 0 && stor->copy_deleted) {
                g_clear_error(error);
                return TRUE;
        }
        g_autoptr(GError) cut = g_steal_pointer(error);
        g_autofree char *shown = core_name_escape(remote);
        g_set_error(error, FTP_ERROR, FTP_ERROR_ENDED_EARLY,
                    stor->copy_deleted ? _("%s; its short copy %s was deleted.")
                                       : _("%s; a short copy %s may be left on the server: delete it."),
                    cut->message, shown);
        return FALSE;
}

/* Sends, then checks what the server stored against the snapshot; a copy that does not match, or
 * that the server ended early, is deleted and sent once more (whole), and deleted again if it
 * still does not. */
static gboolean send_verified(FtpSession *session, StorJob *stor, const char *remote, GError **error)
{
        for (guint attempt = 0;; attempt++) {
                stor->copy_deleted = FALSE; /* a new copy from here on */
                if (!send_once(session, stor, remote, attempt == 0, error)) { /* whole after a wrong copy */
                        if (ended_early(session, stor, remote, attempt, error))
                                continue;
                        return FALSE;
                }
                if (!core_upload_verify(session, stor->result->snapshot, remote, stor->run->ctx->type, &stor->verify,
                                        error))
                        return FALSE;
                if (stor->verify.match != 0)
                        return TRUE;
                g_autoptr(GError) ignored = NULL;
                /* not the bytes that were scanned */
                stor->copy_deleted = ftp_session_delete(session, remote, &ignored);
                if (attempt > 0) {
                        core_verify_mismatch_error(&stor->verify, remote, error);
                        return FALSE;
                }
                core_verify_clear(&stor->mismatch);
                stor->mismatch = stor->verify; /* for the audit log; the next check fills its own */
                stor->verify = (CoreVerify){ .match = -1 };
        }
}

/* A resumed job whose temporary copy is gone may have been renamed into place just before the
 * run stopped: the whole file under its name, checked against the snapshot, is done. */
static gboolean renamed_before(FtpSession *session, StorJob *stor)
{
        const ScanSnapshot *snapshot = stor->result->snapshot;
        gint64 size = -1;
        g_autoptr(GError) ignored = NULL;
        if (!stor->resumed || !stor->temp || ftp_session_size(session, stor->temp, &size, &ignored) ||
            !ftp_session_is_connected(session))
                return FALSE;
        g_clear_error(&ignored);
        if (!ftp_session_size(session, stor->job->remote, &size, &ignored) || size != snapshot->size ||
            !core_upload_verify(session, snapshot, stor->job->remote, stor->run->ctx->type, &stor->verify, &ignored))
                return FALSE;
        if (stor->verify.match == 0)
                return FALSE;
        stor->offset = size;
        stor->temp_gone = TRUE;
        stor_progress((guint64)size, size, stor);
        return TRUE;
}

/* The temporary copies given up after a timeout, deleted on the new connection; those the server
 * will not delete stay in stor->stale for the batch's warning. */
static void delete_stale(FtpSession *session, StorJob *stor)
{
        for (guint i = stor->stale->len; i-- > 0;) {
                g_autoptr(GError) ignored = NULL;
                if (ftp_session_is_connected(session) &&
                    ftp_session_delete(session, g_ptr_array_index(stor->stale, i), &ignored))
                        g_ptr_array_remove_index(stor->stale, i);
        }
}

/* send_verified under the upload's own name, or with temp-upload under a temporary one renamed
 * onto it at the end (a failure deletes the temporary copy while the connection is up). */
static gboolean send_checked(FtpSession *session, StorJob *stor, GError **error)
{
        delete_stale(session, stor);
        if (renamed_before(session, stor))
                return TRUE;
        if ((stor->run->temp_upload || stor->via_temp) && !stor->temp) {
                stor->temp = temp_name_for(stor->job->remote);
                core_queue_set_temp(stor->run->queue, stor->id, stor->temp); /* journalled before STOR */
        }
        const char *target = stor->temp ? stor->temp : stor->job->remote;
        gboolean ok = send_verified(session, stor, target, error) &&
                      (!stor->temp || rename_into_place(session, stor->temp, stor->job->remote, error));
        /* a copy that did not match is deleted already: a second DELE would be refused (550) and
         * the copy said to be left on the server */
        stor->temp_gone = ok || stor->copy_deleted;
        if (!stor->temp_gone && stor->temp && ftp_session_is_connected(session)) {
                g_autoptr(GError) ignored = NULL;
                stor->temp_gone = ftp_session_delete(session, stor->temp, &ignored);
        }
        return ok;
}

/* On the connection's worker: a cancel of this job from now on reaches this worker alone. */
static gboolean stor_job(FtpSession *session, CoreWorker *worker, gpointer data, GError **error)
{
        StorJob *stor = data;
        UploadRun *run = stor->run;
        if (!core_queue_begin_on(run->queue, stor->id, worker)) {
                g_set_error_literal(error, FTP_ERROR, FTP_ERROR_CANCELLED, _("Cancelled before it started."));
                return FALSE;
        }
        stor->began = TRUE;
        core_queue_set_state(run->queue, stor->id, CORE_JOB_TRANSFERRING, stor->retries ? _("sending again") : NULL);
        ftp_session_set_type(session, run->ctx->type);
        const ScanSnapshot *snapshot = stor->result->snapshot;
        gboolean ok = core_spread_make_parents(run->spread, session, stor->job->remote, error) &&
                      send_checked(session, stor, error);
        if (ok && ftp_session_has_feature(session, "MFMT")) {
                /* the local file's date on the server too; a refusal leaves the server's own */
                g_autoptr(GError) ignored = NULL;
                (void)ftp_session_mfmt(session, stor->job->remote, snapshot->mtime, &ignored);
        }
        core_queue_end(run->queue, stor->id);
        return ok;
}

/* A refusal because no scanner gave a verdict (none reachable, none in time, all busy): the same
 * words for every file while the scanners are gone. */
static gboolean unanswered(const ScanVerdict *verdict)
{
        return verdict->kind == SCAN_VERDICT_ERROR &&
               (verdict->reason_class == SCAN_REASON_UNREACHABLE || verdict->reason_class == SCAN_REASON_TIMEOUT);
}

/* The verdict for `status`, the refusal message (with the job's name; of the files no scanner
 * answered for, the first says why, each later one only its name: the tally counts them all,
 * the audit log and the queue keep each one's reason), and the job's state. TRUE when clean. */
static gboolean judge(UploadRun *run, guint id, const ScanVerdict *verdict, const char *shown)
{
        CoreContext *ctx = run->ctx;
        core_context_set_last_verdict(ctx, verdict);
        g_autofree char *refusal = core_verdict_refusal_text(verdict, shown, CORE_VERDICT_UPLOAD,
                                                             core_verdict_judge(ctx, verdict));
        if (!refusal)
                return TRUE;
        if (unanswered(verdict) && run->unanswered++ > 0)
                core_say(ctx, CORE_MSG_ERROR, _("%s was not uploaded: not scanned (no scanner answers, as above)."),
                         shown);
        else
                core_say(ctx, CORE_MSG_ERROR, "%s", refusal);
        core_queue_set_verdict(run->queue, id, verdict);
        core_refused(ctx);
        return FALSE;
}

/* A job the batch did not get to after it stopped: said by name, so that no file the user asked
 * for is left out of the report. */
static void not_sent(UploadRun *run, guint id)
{
        const char *why = run->stop ? run->stop->message : _("not scanned");
        g_autoptr(CoreJob) job = core_queue_get(run->queue, id);
        if (!core_queue_set_state(run->queue, id, CORE_JOB_FAILED, why) || !run->stop || !job)
                return; /* cancelled by the user: nothing to say */
        core_say(run->ctx, CORE_MSG_ERROR, _("%s was not uploaded: the batch stopped (%s)."), job->name, why);
}

static void audit_verify_of(const CoreVerify *from, ScanAuditVerify *to)
{
        *to = (ScanAuditVerify){ .method = from->method, .remote = from->remote, .match = from->match };
}

/* The upload's audit record with how the server's copy was checked; a copy that did not match
 * (deleted and sent again) first gets a "retried" record of its own. */
static void audit_upload(UploadRun *run, const StorJob *stor, gboolean ok, const GError *error)
{
        CoreContext *ctx = run->ctx;
        if (!ctx->audit)
                return;
        const ScanSnapshot *snapshot = stor->result->snapshot;
        const char *scanner = core_verdict_scanner(ctx, stor->result->verdict);
        ScanAuditVerify verify;
        if (stor->mismatch.method) {
                audit_verify_of(&stor->mismatch, &verify);
                scan_audit_upload_record(ctx->audit, snapshot, scanner, run->server, stor->job->remote, 0,
                                         "retried", _("the server's copy did not match: deleted and sent again"),
                                         &verify);
        }
        audit_verify_of(&stor->verify, &verify);
        scan_audit_upload_record(ctx->audit, snapshot, scanner, run->server, stor->job->remote, stor->offset,
                                 ok ? "done" : "failed", ok ? NULL : error ? error->message : NULL,
                                 stor->verify.method ? &verify : NULL);
}

/* Where a job that is done went on from, for its detail; NULL: sent whole. transfer full */
static char *went_on_detail(const StorJob *stor)
{
        if (stor->offset <= 0)
                return NULL;
        if (stor->resumed && stor->offset == stor->result->snapshot->size)
                return g_strdup(_("already complete on the server: nothing sent"));
        g_autofree char *from = g_format_size((guint64)stor->offset);
        if (stor->resumed)
                return g_strdup_printf(_("resumed after %s"), from);
        return g_strdup_printf(_("gone on after %s once the connection was back"), from);
}

/* The server told nothing of what it stored (in binary type: ASCII is never compared). */
static gboolean unverified(const UploadRun *run, const StorJob *stor)
{
        return run->ctx->type == FTP_TYPE_BINARY && g_strcmp0(stor->verify.method, "none") == 0;
}

/* A job's end, on the command thread: the audit record, the message and the job's state. */
static void stor_done(gboolean ok, const GError *error, gpointer data)
{
        StorJob *stor = data;
        UploadRun *run = stor->run;
        CoreContext *ctx = run->ctx;
        for (guint i = 0; i < stor->stale->len; i++) /* copies given up that the server kept */
                g_ptr_array_add(run->leftovers, g_strdup(g_ptr_array_index(stor->stale, i)));
        if (!stor->began && run->stop) {
                not_sent(run, stor->id); /* the batch stopped while it waited for a connection */
                return;
        }
        if (!stor->began) {
                core_queue_set_state(run->queue, stor->id, CORE_JOB_CANCELLED, NULL);
                return; /* cancelled while it waited: nothing was sent */
        }
        const ScanSnapshot *snapshot = stor->result->snapshot;
        const CoreJob *job = stor->job;
        audit_upload(run, stor, ok, error);
        g_autofree char *remote_shown = core_name_escape(job->remote);
        if (ok) {
                g_autofree char *size = g_format_size((guint64)snapshot->size);
                if (stor->resumed && stor->offset == snapshot->size)
                        core_say(ctx, CORE_MSG_INFO, _("%s was already complete on the server as %s (%s, scanned "
                                                       "clean): nothing sent."), job->name, remote_shown, size);
                else if (unverified(run, stor))
                        core_say(ctx, CORE_MSG_INFO,
                                 _("Uploaded %s as %s (%s, scanned clean), not verified: the server offers no "
                                   "digest and no SIZE, so a copy it cut short would not be noticed."),
                                 job->name, remote_shown, size);
                else
                        core_say(ctx, CORE_MSG_INFO, _("Uploaded %s as %s (%s, scanned clean)."), job->name,
                                 remote_shown, size);
                g_autofree char *went_on = went_on_detail(stor);
                core_queue_set_state(run->queue, stor->id, CORE_JOB_DONE,
                                     went_on ? went_on
                                     : stor->retries ? _("sent again after the connection was lost") : NULL);
                run->done++;
                return;
        }
        if (stor->temp && !stor->temp_gone)
                g_ptr_array_add(run->leftovers, g_strdup(stor->temp));
        g_autoptr(GError) failure = g_error_copy(error);
        g_prefix_error(&failure, _("Uploading %s to %s failed: "), job->name, remote_shown);
        /* a cancel the queue did not ask for (Ctrl-C in line mode) stops the whole batch */
        gboolean interrupted = g_error_matches(failure, FTP_ERROR, FTP_ERROR_CANCELLED) &&
                               !core_queue_cancel_requested(run->queue, stor->id);
        if ((interrupted || ends_batch(failure)) && !run->stop) {
                run->stop = g_error_copy(failure);
                scan_pipeline_cancel(run->pipeline);
                core_spread_cancel(run->spread);
        }
        core_queue_finish_failed(ctx, run->queue, stor->id, failure);
}

/* A job cut by a lost connection, sent again once the connection is back (on the command
 * thread): the audit log records the cut attempt; the same snapshot goes again, not rescanned. */
static void stor_retry(const GError *error, gpointer data)
{
        StorJob *stor = data;
        UploadRun *run = stor->run;
        if (run->ctx->audit)
                scan_audit_upload_retried(run->ctx->audit, stor->result->snapshot,
                                          core_verdict_scanner(run->ctx, stor->result->verdict),
                                          run->server, stor->job->remote, error ? error->message : NULL);
        stor->retries++;
        /* a server that went silent may keep that session, and its hold on the copy (vsftpd's
         * lock_upload_files makes a new STOR of the name wait for it): the next run starts over
         * under a fresh name, and the old copy is deleted; without temp-upload the held name is
         * the upload's own, so the next runs go under a temporary name renamed onto it at the end
         * (a rename does not wait for the lock, and replaces what the stalled run wrote) */
        if (g_error_matches(error, FTP_ERROR, FTP_ERROR_TIMEOUT) && !(stor->temp && stor->temp_gone)) {
                if (stor->temp)
                        g_ptr_array_add(stor->stale, g_steal_pointer(&stor->temp));
                else
                        stor->via_temp = TRUE;
                stor->resumed = FALSE;
        }
        core_queue_set_state(run->queue, stor->id, CORE_JOB_WAITING, _("to be sent again"));
}

static void send_clean(UploadRun *run, guint id, CoreJob *job, ScanResult *result)
{
        StorJob *stor = g_new0(StorJob, 1);
        stor->run = run;
        stor->id = id;
        stor->job = job;
        stor->result = result;
        stor->temp = g_strdup(job->temp); /* a resumed job goes on under the name it had */
        stor->resumed = job->go_on;
        stor->stale = g_ptr_array_new_with_free_func(g_free);
        core_spread_submit(run->spread, stor_job, stor, stor_job_free, stor_done);
}

/* Takes result: a refused or unreadable file ends here, a clean one goes to a connection. */
static void upload_one(UploadRun *run, guint id, ScanResult *result)
{
        g_autoptr(ScanResult) owned = result;
        g_autoptr(CoreJob) job = core_queue_get(run->queue, id);
        if (!job || job->cancel_requested || core_job_state_is_final(job->state)) {
                core_queue_set_state(run->queue, id, CORE_JOB_CANCELLED, NULL);
                return;
        }
        if (!owned->snapshot && owned->error) {
                core_queue_set_state(run->queue, id, CORE_JOB_FAILED, owned->error->message);
                core_fail(run->ctx, owned->error);
                return;
        }
        /* no snapshot and no error: too large for the scanner, refused before any copy */
        if (judge(run, id, owned->verdict, job->name) && owned->snapshot)
                send_clean(run, id, g_steal_pointer(&job), g_steal_pointer(&owned));
}

static gboolean check_scanner(CoreContext *ctx, CoreQueue *queue, GArray *ids)
{
        g_autoptr(GError) error = NULL;
        if (core_transfer_check_scanner(ctx, &error))
                return TRUE;
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
                struct stat st;
                if (stat(job->local, &st) == 0 && S_ISREG(st.st_mode))
                        run->bytes += (guint64)st.st_size;
        }
        scan_pipeline_close(run->pipeline);
        return submitted;
}

/* The queue's stop hook: non-blocking (flags and eventfd writes). */
static void stop_batch(gpointer data)
{
        UploadRun *run = data;
        scan_pipeline_cancel(run->pipeline);
        core_spread_cancel(run->spread);
}

/* The main worker's cancel hook: non-blocking. */
static void cancel_scans(gpointer pipeline)
{
        scan_pipeline_cancel(pipeline);
}

/* The queue's cancel hook: a job cancelled while it waits or is scanned is dropped from the
 * pipeline at once (its scan interrupted); the rest of the batch goes on. */
static void drop_scan(guint id, gpointer data)
{
        UploadRun *run = data;
        for (guint i = 0; i < run->submitted->len; i++) {
                if (g_array_index(run->submitted, guint, i) == id) {
                        scan_pipeline_drop(run->pipeline, i);
                        return;
                }
        }
}

/* "9 of 10 files uploaded (1 refused by the scanner, 0 failed)." */
static void say_tally(UploadRun *run, GArray *submitted)
{
        guint refused = 0, failed = 0;
        for (guint i = 0; i < submitted->len; i++) {
                g_autoptr(CoreJob) job = core_queue_get(run->queue, g_array_index(submitted, guint, i));
                refused += job && (job->state == CORE_JOB_INFECTED || job->state == CORE_JOB_REFUSED);
                failed += job && job->state == CORE_JOB_FAILED;
        }
        core_say(run->ctx, CORE_MSG_INFO, _("%u of %u files uploaded (%u refused by the scanner, %u failed)."),
                 run->done, submitted->len, refused, failed);
        if (run->unanswered > 1)
                core_say(run->ctx, CORE_MSG_ERROR,
                         ngettext("%u file not scanned: no scanner answers.", "%u files not scanned: no scanner answers.",
                                  run->unanswered),
                         run->unanswered);
}

/* Deletes the temporary copies failed uploads left (their connection was lost first) on the
 * main connection when it is up; kept in `leftovers` are those still there. */
static gboolean delete_leftovers(FtpSession *session, gpointer data, GError **error)
{
        GPtrArray *leftovers = data;
        for (guint i = leftovers->len; i-- > 0;) {
                g_autoptr(GError) ignored = NULL;
                if (ftp_session_is_connected(session) &&
                    ftp_session_delete(session, g_ptr_array_index(leftovers, i), &ignored))
                        g_ptr_array_remove_index(leftovers, i);
        }
        return TRUE;
}

/* A temporary copy is never left on the server unsaid: a partial file under a hidden name. */
static void clear_leftovers(UploadRun *run)
{
        if (run->leftovers->len == 0)
                return;
        (void)core_worker_run(run->ctx->worker, delete_leftovers, run->leftovers, NULL);
        for (guint i = 0; i < run->leftovers->len; i++) {
                g_autofree char *shown = core_name_escape(g_ptr_array_index(run->leftovers, i));
                core_say(run->ctx, CORE_MSG_WARNING,
                         _("A temporary copy may be left on the server: %s (the connection was lost before it "
                           "could be deleted; delete it once connected again)."),
                         shown);
        }
}

static void run_batch(UploadRun *run, GArray *submitted)
{
        for (guint i = 0; i < submitted->len; i++) {
                guint id = g_array_index(submitted, guint, i);
                core_queue_set_state(run->queue, id, CORE_JOB_SCANNING, NULL);
                ScanResult *result = run->stop ? NULL : scan_pipeline_next(run->pipeline);
                if (!result) {
                        not_sent(run, id);
                        continue;
                }
                upload_one(run, id, result);
        }
        core_spread_wait(run->spread);
        clear_leftovers(run);
}

guint core_queue_run_uploads(CoreContext *ctx, CoreQueue *queue, GArray *ids)
{
        const CoreUploadRun how = { .temp_upload = ctx->temp_upload };
        return core_queue_run_uploads_as(ctx, queue, ids, &how);
}

guint core_queue_run_uploads_as(CoreContext *ctx, CoreQueue *queue, GArray *ids, const CoreUploadRun *how)
{
        if (!check_scanner(ctx, queue, ids))
                return 0;
        guint connections = CLAMP(how->parallel ? how->parallel : ctx->parallel, 1, MAX(ids->len, 1));
        UploadRun run = { .ctx = ctx, .queue = queue, .temp_upload = how->temp_upload,
                          .leftovers = g_ptr_array_new_with_free_func(g_free) };
        /* one scanned file ahead per connection: the queue's "scanning" stays close to the truth
         * and the batch holds at most two snapshots per connection; as many files scanned at once
         * as there are cores here, up to one per connection (the scanner's time per byte is what
         * a batch of large files waits for: one scan at a time leaves its other cores idle) */
        guint scanners = CLAMP(g_get_num_processors(), 1, connections);
        /* and a pool of scanners gets at least one scan in flight per member */
        scanners = MAX(scanners, MIN(scan_client_member_count(ctx->scanner), CORE_SCANS_IN_FLIGHT_MAX));
        run.pipeline = scan_pipeline_new_scanners(ctx->scanner, ctx->audit, ctx->tmpdir, connections, scanners);
        run.spread = core_spread_new(ctx, connections);
        if (how->known_dirs)
                core_spread_know_dirs(run.spread, how->known_dirs);
        core_spread_set_retry(run.spread, stor_retry);
        /* cancelling everything (or quitting) also ends a scan in flight and the other connections */
        core_queue_set_stop_hook(queue, stop_batch, &run);
        /* Ctrl-C (a cancel of the main worker) also ends the scans, and any wait for a scanner */
        core_worker_set_cancel_hook(ctx->worker, cancel_scans, run.pipeline);
        run.server = g_strdup_printf("%s:%u", ctx->host ? ctx->host : "", ctx->port);
        g_autoptr(GArray) submitted = submit_all(&run, ids);
        run.submitted = submitted;
        core_spread_expect(run.spread, submitted->len, run.bytes);
        core_queue_set_cancel_hook(queue, drop_scan, &run);
        run_batch(&run, submitted);
        core_queue_set_cancel_hook(queue, NULL, NULL);
        g_autoptr(GError) audit_error = NULL;
        if (ctx->audit && !scan_audit_take_error(ctx->audit, &audit_error))
                core_say(ctx, CORE_MSG_WARNING, _("The audit log could not be written: %s"), audit_error->message);
        if (submitted->len > 1)
                say_tally(&run, submitted);
        core_queue_set_stop_hook(queue, NULL, NULL);
        core_worker_set_cancel_hook(ctx->worker, NULL, NULL);
        core_spread_free(run.spread);
        scan_pipeline_free(run.pipeline);
        g_free(run.server);
        g_ptr_array_unref(run.leftovers);
        g_clear_error(&run.stop);
        return run.done;
}
