/* core/download.c — where downloads land: each download job of a batch (core/download.h: get,
 * mget, F5) fetched into `<name>.part` under a directory descriptor, renamed when complete;
 * resume of a cut transfer; the overwrite question; a batch's files spread over up to
 * ctx->parallel connections (core/spread.h), each finished on the command thread.
 * Owns: where a download lands, the overwrite question, the resume decision. The batch finds
 * the files (core/batch-expand.c).
 * Must not: use a server-supplied name before core_name_is_safe() accepted it, follow a local or
 * remote symlink, or print directly (ctx->fe does). */
#include "core/download.h"
#include "core/transfer.h"
#include "core/transfer-private.h"

#include <inttypes.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/i18n.h"
#include "core/queue-run-private.h"
#include "core/safename.h"
#include "core/spread.h"
#include "core/worker.h"

#include <sys/stat.h>

typedef enum {
        FETCH_QUEUED,  /* handed to one of the batch's connections: its end is settled there */
        FETCH_DONE,
        FETCH_SKIPPED, /* the user said no: not a failure */
        FETCH_FAILED,  /* error set; the next file may work */
        FETCH_FATAL,   /* error set; cancelled or the connection is gone */
} FetchOutcome;

/* A batch's downloads (core/download.h). */
struct CoreDownload {
        CoreContext *ctx;
        CoreQueue *queue;
        CoreSpread *spread;    /* the connections the files go over */
        GHashTable *landing;   /* local_key() of the downloads on their way */
        CoreAsker asker;       /* the overwrite question's "all" and "quit" */
        GError *stop;          /* cancelled or disconnected: no later job can work */
};

/* ---- jobs run on the worker ---- */

typedef struct {
        CoreContext *ctx;
        const char *path;
        gint64 size;       /* out */
} QueryJob;

static gboolean size_job(FtpSession *session, gpointer data, GError **error)
{
        QueryJob *job = data;
        return ftp_session_size(session, job->path, &job->size, error);
}

typedef struct {
        CoreContext *ctx;
        char *remote;
        int fd;            /* the open .part, closed once the transfer ended */
        int dirfd;         /* a duplicate: the directory stays reachable until the rename */
        char *name;
        char *key;         /* "dev:ino/name": one download per local file at a time */
        gint64 offset;
        gint64 expected;   /* -1 unknown */
        gint64 mtime;      /* the server's modification time, -1 unknown (MDTM asked after) */
        guint64 written;   /* out */
        char *shown;       /* the local name, escaped */
        CoreDownload *dl;  /* the batch: where its end is settled */
        guint id;          /* its job in dl->queue, where its bytes are shown */
        gboolean retried;  /* cut by a lost connection and gone on after the reconnect */
} RetrJob;

static void retr_job_free(gpointer data)
{
        RetrJob *job = data;
        if (job->fd >= 0)
                close(job->fd);
        if (job->dirfd >= 0)
                close(job->dirfd);
        g_free(job->remote);
        g_free(job->name);
        g_free(job->key);
        g_free(job->shown);
        g_free(job);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RetrJob, retr_job_free)

static void queue_progress(guint64 done, gint64 total, gpointer data)
{
        RetrJob *job = data;
        core_queue_progress(job->dl->queue, job->id, done, total);
}

/* The .part emptied, to download the file again from its first byte. */
static gboolean restart_part(RetrJob *job, GError **error)
{
        job->offset = 0;
        job->written = 0;
        if (ftruncate(job->fd, 0) == 0 && lseek(job->fd, 0, SEEK_SET) == 0)
                return TRUE;
        g_set_error(error, CORE_LOCAL_ERROR, CORE_LOCAL_ERROR_IO, _("Writing %s.part failed: %s."), job->shown,
                    g_strerror(errno));
        return FALSE;
}

static gboolean retr_job(FtpSession *session, gpointer data, GError **error)
{
        RetrJob *job = data;
        CoreContext *ctx = job->ctx;
        /* run again after a lost connection: on from what the .part holds (an ASCII download's
         * bytes are not the server's, so it starts over) */
        if (job->written > 0 && ctx->type == FTP_TYPE_ASCII && !restart_part(job, error))
                return FALSE;
        job->offset += (gint64)job->written;
        job->written = 0;
        ftp_session_set_type(session, ctx->type);
        GError *failure = NULL;
        if (ftp_session_retr(session, job->remote, job->fd, job->offset, job->expected, queue_progress, job,
                             &job->written, &failure))
                return TRUE;
        if (!g_error_matches(failure, FTP_ERROR, FTP_ERROR_NO_REST)) {
                g_propagate_error(error, failure);
                return FALSE;
        }
        /* a server without REST: the whole file again, never a .part that can only be resumed */
        core_say(ctx, CORE_MSG_WARNING, _("%s Downloading %s again from the start."), failure->message, job->shown);
        g_error_free(failure);
        return restart_part(job, error) &&
               ftp_session_retr(session, job->remote, job->fd, 0, job->expected, queue_progress, job,
                                &job->written, error);
}

/* The server's modification time when the listing did not give it to the second: MDTM, where
 * offered (a refusal only leaves the file with today's date). */
static void ask_mtime(FtpSession *session, RetrJob *job)
{
        if (job->mtime >= 0 || !ftp_session_has_feature(session, "MDTM"))
                return;
        g_autoptr(GError) ignored = NULL;
        if (!ftp_session_mdtm(session, job->remote, &job->mtime, &ignored))
                job->mtime = -1;
}

static gboolean retr_and_time(FtpSession *session, RetrJob *job, GError **error)
{
        if (!retr_job(session, job, error))
                return FALSE;
        ask_mtime(session, job);
        return TRUE;
}

/* The server's time on the finished file (before it is closed and renamed into place). */
static void keep_mtime(const RetrJob *job, int fd)
{
        if (job->mtime < 0)
                return;
        struct timespec times[2] = { { .tv_nsec = UTIME_OMIT }, { .tv_sec = (time_t)job->mtime } };
        if (futimens(fd, times) != 0)
                core_say(job->ctx, CORE_MSG_WARNING, _("%s keeps today's date: %s"), job->shown, g_strerror(errno));
}

/* ---- one file ---- */

/* The remote size: SIZE in binary type (a refusal only means "unknown"). */
static gboolean remote_size(CoreContext *ctx, const char *remote, gint64 *size, GError **error)
{
        *size = -1;
        if (ctx->type != FTP_TYPE_BINARY)
                return TRUE;
        QueryJob job = { .ctx = ctx, .path = remote, .size = -1 };
        GError *failure = NULL;
        if (core_worker_run(ctx->worker, size_job, &job, &failure)) {
                *size = job.size;
                return TRUE;
        }
        if (!core_transfer_error_is_fatal(failure)) {
                g_error_free(failure);
                return TRUE;
        }
        g_propagate_error(error, failure);
        return FALSE;
}

/* Asks before replacing what is at `name` (unless the user answered already: !ask); refuses
 * what is not a file. */
static FetchOutcome check_existing(CoreContext *ctx, CoreAsker *asker, int dirfd, const char *name,
                                   gboolean ask, GError **error)
{
        g_autofree char *shown = core_name_escape(name);
        switch (core_local_kind(dirfd, name, NULL)) {
        case CORE_LOCAL_MISSING:
                return FETCH_DONE;
        case CORE_LOCAL_DIRECTORY:
        case CORE_LOCAL_OTHER:
                g_set_error(error, CORE_TRANSFER_ERROR, CORE_TRANSFER_ERROR_BAD_PATH,
                            _("%s exists locally and is not a regular file: not replaced."), shown);
                return FETCH_FAILED;
        case CORE_LOCAL_REGULAR:
        case CORE_LOCAL_SYMLINK: /* replaced by the final rename, never written through */
                break;
        }
        if (!ask)
                return FETCH_DONE;
        g_autofree char *question = g_strdup_printf(_("%s exists. Overwrite it?"), shown);
        if (core_asker_confirm(ctx, asker, question))
                return FETCH_DONE;
        core_say(ctx, CORE_MSG_WARNING, _("%s was not overwritten."), shown);
        return FETCH_SKIPPED;
}

static FetchOutcome failed(GError *failure, GError **error)
{
        gboolean fatal = core_transfer_error_is_fatal(failure);
        g_propagate_error(error, failure);
        return fatal ? FETCH_FATAL : FETCH_FAILED;
}

/* After the RETR (on the command thread): closes the `.part`, checks the size, renames it into
 * place and says so. failure is consumed. */
static FetchOutcome retr_finish(RetrJob *job, gboolean ok, GError *failure, GError **error)
{
        CoreContext *ctx = job->ctx;
        g_autofree char *shown = core_name_escape(job->remote);
        int fd = job->fd;
        job->fd = -1;
        if (ok)
                keep_mtime(job, fd);
        if (close(fd) != 0 && ok) {
                ok = FALSE;
                g_set_error(&failure, CORE_LOCAL_ERROR, CORE_LOCAL_ERROR_IO,
                            _("Writing %s.part failed: %s."), job->name, g_strerror(errno));
        }
        gint64 total = job->offset + (gint64)job->written;
        if (ok && ctx->type == FTP_TYPE_BINARY && job->expected >= 0 && total != job->expected) {
                ok = FALSE;
                g_set_error(&failure, CORE_TRANSFER_ERROR, CORE_TRANSFER_ERROR_INCOMPLETE,
                            _("%" PRId64 " of %" PRId64 " bytes arrived"), (int64_t)total,
                            (int64_t)job->expected);
        }
        if (!ok) {
                if (total == 0)
                        core_local_part_remove(job->dirfd, job->name);
                else if (ctx->type == FTP_TYPE_BINARY)
                        core_say(ctx, CORE_MSG_WARNING,
                                 _("The partial download is kept as %s.part; get it again to resume."),
                                 job->shown);
                g_prefix_error(&failure, _("Downloading %s failed: "), shown);
                return failed(failure, error);
        }
        g_clear_error(&failure);
        if (!core_local_part_finish(job->dirfd, job->name, error))
                return FETCH_FAILED;
        g_autofree char *size = g_format_size((guint64)total);
        if (job->offset > 0) {
                g_autofree char *from = g_format_size((guint64)job->offset);
                core_say(ctx, CORE_MSG_INFO, _("Downloaded %s (%s, resumed after %s)."),
                         job->shown, size, from);
        } else {
                core_say(ctx, CORE_MSG_INFO, _("Downloaded %s (%s)."), job->shown, size);
        }
        return FETCH_DONE;
}

static FetchOutcome retrieve_spread(CoreDownload *dl, RetrJob *job);

/* "dev:ino/name": the same local file whatever path led to it. transfer full */
static char *local_key(int dirfd, const char *name)
{
        struct stat st;
        if (fstat(dirfd, &st) != 0)
                return g_strdup_printf("?%d/%s", dirfd, name);
        return g_strdup_printf("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT "/%s", (guint64)st.st_dev, (guint64)st.st_ino, name);
}

static void download_settle(CoreDownload *dl, const char *key);

/* Resuming into an existing local file the user chose to resume: it becomes `<name>.part`,
 * continued below. Only a regular file, and only when no .part is there already (that one is
 * resumed as it is). */
static void resume_existing(int dirfd, const char *name)
{
        g_autofree char *part = core_local_part_name(name);
        if (core_local_kind(dirfd, name, NULL) == CORE_LOCAL_REGULAR &&
            core_local_kind(dirfd, part, NULL) == CORE_LOCAL_MISSING)
                (void)renameat(dirfd, name, dirfd, part);
}

/* What one file needs besides where it lands. */
typedef struct {
        guint id;                  /* its job in dl->queue */
        const char *remote;
        gint64 size;               /* from a listing (no SIZE asked), or -1 */
        gint64 mtime;              /* to the second (MLSD), or -1 */
        CoreQueueReplace replace;  /* what the user said about an existing local file */
        const char *shown;         /* how messages name it (a tree's relative path), NULL: its name */
} FetchSpec;

/* Downloads spec->remote to `name` under dirfd on one of the batch's connections (FETCH_QUEUED:
 * it ends there), unless it ends before. */
static FetchOutcome fetch_file(CoreDownload *dl, const FetchSpec *spec, int dirfd, const char *name,
                               GError **error)
{
        CoreContext *ctx = dl->ctx;
        g_autofree char *key = local_key(dirfd, name);
        download_settle(dl, key); /* the same local file already on its way: let it land first */
        if (spec->replace == CORE_QUEUE_REPLACE_RESUME)
                resume_existing(dirfd, name);
        FetchOutcome existing = check_existing(ctx, &dl->asker, dirfd, name, spec->replace == CORE_QUEUE_REPLACE_ASK,
                                               error);
        if (existing != FETCH_DONE)
                return existing;
        gint64 size = spec->size;
        if (size < 0) {
                GError *failure = NULL;
                if (!remote_size(ctx, spec->remote, &size, &failure))
                        return failed(failure, error);
        }
        g_autofree char *part = core_local_part_name(name);
        gint64 part_size = -1;
        gboolean resume = ctx->type == FTP_TYPE_BINARY && size >= 0 &&
                          core_local_kind(dirfd, part, &part_size) == CORE_LOCAL_REGULAR &&
                          part_size > 0 && part_size < size;
        g_autoptr(RetrJob) job = g_new0(RetrJob, 1);
        job->ctx = ctx;
        job->remote = g_strdup(spec->remote);
        job->name = g_strdup(name);
        job->key = g_steal_pointer(&key);
        job->expected = size;
        job->mtime = spec->mtime;
        job->shown = core_name_escape(spec->shown ? spec->shown : name);
        job->fd = -1;
        job->dirfd = dup(dirfd);
        if (job->dirfd < 0) {
                g_set_error(error, CORE_LOCAL_ERROR, CORE_LOCAL_ERROR_IO, _("Cannot keep the directory of %s open: %s."),
                            job->shown, g_strerror(errno));
                return FETCH_FAILED;
        }
        job->fd = core_local_part_open(dirfd, name, resume, &job->offset, error);
        if (job->fd < 0)
                return FETCH_FAILED;
        job->id = spec->id;
        return retrieve_spread(dl, g_steal_pointer(&job));
}

/* ---- where a job lands ---- */

typedef struct {
        int dirfd;
        char *name;
} Destination;

static void destination_clear(Destination *dest)
{
        if (dest->dirfd >= 0)
                close(dest->dirfd);
        dest->dirfd = -1;
        g_clear_pointer(&dest->name, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Destination, destination_clear)

static gboolean bad_path(GError **error, const char *format, const char *path)
{
        g_autofree char *shown = core_name_escape(path);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral" /* one of this file's _() texts with one %s */
        g_set_error(error, CORE_TRANSFER_ERROR, CORE_TRANSFER_ERROR_BAD_PATH, format, shown);
#pragma GCC diagnostic pop
        return FALSE;
}

/* local NULL: the remote base name here; an existing directory: inside it; else the full path. */
static gboolean resolve_destination(const char *remote, const char *local, Destination *dest,
                                    GError **error)
{
        g_autofree char *base = core_remote_basename(remote);
        gboolean into_dir = local == NULL || g_file_test(local, G_FILE_TEST_IS_DIR);
        if (into_dir) {
                if (!core_name_is_safe(base))
                        return bad_path(error, _("%s cannot name a local file; give one: get <remote> <local>."),
                                        remote);
                dest->dirfd = core_local_dir_open(local != NULL ? local : ".", error);
                dest->name = g_steal_pointer(&base);
                return dest->dirfd >= 0;
        }
        if (g_str_has_suffix(local, "/"))
                return bad_path(error, _("The local directory %s does not exist."), local);
        g_autofree char *dir = g_path_get_dirname(local);
        g_autofree char *name = g_path_get_basename(local);
        if (strcmp(name, "..") == 0 || strcmp(name, ".") == 0)
                return bad_path(error, _("%s cannot name a local file."), local);
        dest->dirfd = core_local_dir_open(dir, error);
        dest->name = g_steal_pointer(&name);
        return dest->dirfd >= 0;
}

/* ---- a batch's jobs ---- */

static void download_settle(CoreDownload *dl, const char *key)
{
        if (g_hash_table_contains(dl->landing, key))
                core_spread_wait(dl->spread);
}

/* A job's outcome into the queue (error consumed). A cancel the queue did not ask for (Ctrl-C in
 * line mode) or a lost connection ends the batch; a cancel of this one job does not. */
static void job_end(CoreDownload *dl, guint id, FetchOutcome outcome, GError *error)
{
        switch (outcome) {
        case FETCH_QUEUED:
                return;
        case FETCH_DONE:
                core_queue_set_state(dl->queue, id, CORE_JOB_DONE, NULL);
                return;
        case FETCH_SKIPPED:
                core_queue_set_state(dl->queue, id, CORE_JOB_SKIPPED, NULL);
                return;
        case FETCH_FATAL:
                if (!core_queue_cancel_requested(dl->queue, id) && !dl->stop) {
                        dl->stop = g_error_copy(error);
                        core_spread_cancel(dl->spread);
                }
                /* fall through */
        case FETCH_FAILED:
        default:
                core_queue_finish_failed(dl->ctx, dl->queue, id, error);
                g_error_free(error);
                return;
        }
}

/* On the connection's worker: a cancel of this job from now on reaches this worker alone. */
static gboolean retr_spread(FtpSession *session, CoreWorker *worker, gpointer data, GError **error)
{
        RetrJob *job = data;
        if (!core_queue_begin_on(job->dl->queue, job->id, worker)) {
                g_set_error_literal(error, FTP_ERROR, FTP_ERROR_CANCELLED, _("Cancelled before it started."));
                return FALSE;
        }
        core_queue_set_state(job->dl->queue, job->id, CORE_JOB_TRANSFERRING, job->retried ? _("going on") : NULL);
        gboolean ok = retr_and_time(session, job, error);
        core_queue_end(job->dl->queue, job->id);
        return ok;
}

/* A download cut by a lost connection goes on from its .part once the connection is back. */
static void retr_retry(const GError *error, gpointer data)
{
        RetrJob *job = data;
        job->retried = TRUE;
        core_queue_set_state(job->dl->queue, job->id, CORE_JOB_WAITING, _("to go on after reconnecting"));
}

/* A download's end, on the command thread. */
static void retr_done(gboolean ok, const GError *error, gpointer data)
{
        RetrJob *job = data;
        g_hash_table_remove(job->dl->landing, job->key);
        GError *reported = NULL;
        FetchOutcome outcome = retr_finish(job, ok, error ? g_error_copy(error) : NULL, &reported);
        if (outcome == FETCH_DONE && job->retried)
                core_queue_set_state(job->dl->queue, job->id, CORE_JOB_DONE,
                                     _("went on after the connection was lost"));
        job_end(job->dl, job->id, outcome, reported);
}

static FetchOutcome retrieve_spread(CoreDownload *dl, RetrJob *job)
{
        job->dl = dl;
        g_hash_table_add(dl->landing, g_strdup(job->key));
        core_spread_submit(dl->spread, retr_spread, job, retr_job_free, retr_done);
        return FETCH_QUEUED;
}

/* A file of a tree: `local` below `base`, each directory between opened (or made) without
 * following a symlink; every component a safe name. */
static gboolean tree_destination(const char *base, const char *local, Destination *dest, GError **error)
{
        if (!g_str_has_prefix(local, base))
                return bad_path(error, _("%s is not inside the directory it is downloaded to."), local);
        g_auto(GStrv) parts = g_strsplit(local + strlen(base), "/", -1);
        dest->dirfd = core_local_dir_open(base, error);
        for (char **p = parts; dest->dirfd >= 0 && *p; p++) {
                if (!**p)
                        continue;
                if (!core_name_is_safe(*p))
                        return bad_path(error, _("%s cannot name a local file."), local);
                if (!p[1]) {
                        dest->name = g_strdup(*p);
                        return TRUE;
                }
                int sub = core_local_subdir_open(dest->dirfd, *p, TRUE, error);
                close(dest->dirfd);
                dest->dirfd = sub;
        }
        if (dest->dirfd >= 0)
                return bad_path(error, _("%s cannot name a local file."), local);
        return FALSE;
}

static void stop_downloads(gpointer data)
{
        CoreDownload *dl = data;
        core_spread_cancel(dl->spread);
}

CoreDownload *core_download_new(CoreContext *ctx, CoreQueue *queue, guint files, guint64 bytes, guint parallel)
{
        CoreDownload *dl = g_new0(CoreDownload, 1);
        dl->ctx = ctx;
        dl->queue = queue;
        dl->spread = core_spread_new(ctx, files > 1 ? CLAMP(parallel ? parallel : ctx->parallel, 1, files) : 1);
        core_spread_set_retry(dl->spread, retr_retry);
        core_spread_expect(dl->spread, files, bytes); /* a handful of small files stays on one connection */
        dl->landing = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        core_queue_set_stop_hook(queue, stop_downloads, dl);
        return dl;
}

void core_download_free(CoreDownload *dl)
{
        if (!dl)
                return;
        core_spread_wait(dl->spread);
        core_queue_set_stop_hook(dl->queue, NULL, NULL);
        core_spread_free(dl->spread);
        g_hash_table_unref(dl->landing);
        g_clear_error(&dl->stop);
        g_free(dl);
}

char *core_download_target(const char *local, const char *remote)
{
        if (local && !g_file_test(local, G_FILE_TEST_IS_DIR))
                return g_strdup(local);
        g_autofree char *base = g_path_get_basename(remote);
        return g_build_filename(local ? local : ".", base, NULL);
}

void core_download_start(CoreDownload *dl, guint id, const char *base, gint64 size, gint64 mtime,
                         CoreQueueReplace replace)
{
        g_autoptr(CoreJob) job = core_queue_get(dl->queue, id);
        if (!job || job->cancel_requested || core_job_state_is_final(job->state))
                return;
        if (dl->stop) {
                core_queue_set_state(dl->queue, id, CORE_JOB_FAILED, dl->stop->message);
                return;
        }
        if (dl->asker.quit) { /* "q" to the overwrite question: the rest is left alone */
                core_queue_set_state(dl->queue, id, CORE_JOB_SKIPPED, NULL);
                return;
        }
        core_queue_set_state(dl->queue, id, CORE_JOB_TRANSFERRING, NULL);
        g_auto(Destination) dest = { .dirfd = -1 };
        GError *error = NULL;
        gboolean placed = base ? tree_destination(base, job->local, &dest, &error)
                               : resolve_destination(job->remote, job->local, &dest, &error);
        if (!placed) {
                job_end(dl, id, FETCH_FAILED, error);
                return;
        }
        /* a file of a tree is named by its local path: many trees hold an index.html */
        const char *shown = base ? job->local : NULL;
        while (shown && g_str_has_prefix(shown, "./"))
                shown += 2;
        FetchSpec spec = { .id = id, .remote = job->remote, .size = size, .mtime = mtime, .replace = replace,
                           .shown = shown };
        FetchOutcome outcome = fetch_file(dl, &spec, dest.dirfd, dest.name, &error);
        job_end(dl, id, outcome, error);
}
