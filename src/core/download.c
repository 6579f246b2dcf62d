/* core/download.c — get and mget: server files into `<name>.part` under a directory descriptor,
 * renamed when complete; resume of a cut transfer; hostile names skipped; recursion; mget's files
 * spread over up to ctx->parallel connections (core/spread.h), each finished on the command thread.
 * Owns: where a download lands, the overwrite question, the resume decision, the mget walk.
 * Must not: use a server-supplied name before core_name_is_safe() accepted it, follow a local or
 * remote symlink, or print directly (ctx->fe does). */
#include "core/transfer.h"
#include "core/transfer-private.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "common/i18n.h"
#include "core/glob.h"
#include "core/safename.h"
#include "core/spread.h"
#include "core/worker.h"

#include <sys/stat.h>

#define MGET_MAX_DEPTH 32

typedef enum {
        FETCH_QUEUED,  /* handed to one of mget's connections: its end is counted there */
        FETCH_DONE,
        FETCH_SKIPPED, /* the user said no: not a failure */
        FETCH_FAILED,  /* error set; the next file may work */
        FETCH_FATAL,   /* error set; cancelled or the connection is gone */
} FetchOutcome;

/* ---- jobs run on the worker ---- */

typedef struct {
        CoreContext *ctx;
        const char *path;
        gint64 size;       /* out */
        GPtrArray *list;   /* out, FtpEntry* */
} QueryJob;

static gboolean size_job(FtpSession *session, gpointer data, GError **error)
{
        QueryJob *job = data;
        return ftp_session_size(session, job->path, &job->size, error);
}

/* NLST names as entries of unknown type (fetched as files). Some servers answer NLST of "dir"
 * with "dir/name": that prefix is removed; any other '/' is left for the safety check. */
static GPtrArray *nlst_entries(FtpSession *session, const char *dir, GError **error)
{
        g_autoptr(GPtrArray) names = ftp_session_nlst(session, dir, error);
        if (names == NULL)
                return NULL;
        g_autofree char *prefix = dir != NULL ? g_strconcat(dir, "/", NULL) : NULL;
        GPtrArray *entries = g_ptr_array_new_with_free_func((GDestroyNotify)ftp_entry_free);
        for (guint i = 0; i < names->len; i++) {
                const char *name = g_ptr_array_index(names, i);
                if (prefix != NULL && g_str_has_prefix(name, prefix) && name[strlen(prefix)] != '\0')
                        name += strlen(prefix);
                FtpEntry *entry = ftp_entry_new();
                entry->name = g_strdup(name);
                entry->type = FTP_ENTRY_FILE;
                entry->size = -1;
                entry->mtime = -1;
                g_ptr_array_add(entries, entry);
        }
        return entries;
}

/* The parsed listing (MLSD or LIST); NLST names when the server refuses both. */
static gboolean list_job(FtpSession *session, gpointer data, GError **error)
{
        QueryJob *job = data;
        GError *failure = NULL;
        job->list = ftp_session_list(session, job->path, &failure);
        if (job->list != NULL)
                return TRUE;
        if (!g_error_matches(failure, FTP_ERROR, FTP_ERROR_REFUSED)) {
                g_propagate_error(error, failure);
                return FALSE;
        }
        g_error_free(failure);
        job->list = nlst_entries(session, job->path, error);
        return job->list != NULL;
}

typedef struct Mget Mget;

typedef struct {
        CoreContext *ctx;
        char *remote;
        int fd;            /* the open .part, closed once the transfer ended */
        int dirfd;         /* a duplicate: the directory stays reachable until the rename */
        char *name;
        char *key;         /* "dev:ino/name": one download per local file at a time */
        gint64 offset;
        gint64 expected;   /* -1 unknown */
        guint64 written;   /* out */
        CoreProgress progress;
        Mget *mget;        /* mget: where its end is counted */
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
        g_free((char *)job->progress.name);
        g_free(job);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RetrJob, retr_job_free)

static gboolean retr_job(FtpSession *session, gpointer data, GError **error)
{
        RetrJob *job = data;
        ftp_session_set_type(session, job->ctx->type);
        return ftp_session_retr(session, job->remote, job->fd, job->offset, job->expected,
                                core_transfer_progress, &job->progress, &job->written, error);
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

/* Asks before replacing what is at `name`; refuses what is not a file. */
static FetchOutcome check_existing(CoreContext *ctx, CoreAsker *asker, int dirfd, const char *name,
                                   GError **error)
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
        if (close(fd) != 0 && ok) {
                ok = FALSE;
                g_set_error(&failure, CORE_LOCAL_ERROR, CORE_LOCAL_ERROR_IO,
                            _("Writing %s.part failed: %s."), job->name, g_strerror(errno));
        }
        gint64 total = job->offset + (gint64)job->written;
        if (ok && ctx->type == FTP_TYPE_BINARY && job->expected >= 0 && total != job->expected) {
                ok = FALSE;
                g_set_error(&failure, CORE_TRANSFER_ERROR, CORE_TRANSFER_ERROR_INCOMPLETE,
                            _("%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " bytes arrived"),
                            total, job->expected);
        }
        if (!ok) {
                if (total == 0)
                        core_local_part_remove(job->dirfd, job->name);
                else if (ctx->type == FTP_TYPE_BINARY)
                        core_say(ctx, CORE_MSG_WARNING,
                                 _("The partial download is kept as %s.part; get it again to resume."),
                                 job->progress.name);
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
                         job->progress.name, size, from);
        } else {
                core_say(ctx, CORE_MSG_INFO, _("Downloaded %s (%s)."), job->progress.name, size);
        }
        return FETCH_DONE;
}

static FetchOutcome retrieve(RetrJob *job, GError **error)
{
        GError *failure = NULL;
        gboolean ok = core_worker_run(job->ctx->worker, retr_job, job, &failure);
        return retr_finish(job, ok, failure, error);
}

static FetchOutcome retrieve_spread(Mget *m, RetrJob *job);

/* "dev:ino/name": the same local file whatever path led to it. transfer full */
static char *local_key(int dirfd, const char *name)
{
        struct stat st;
        if (fstat(dirfd, &st) != 0)
                return g_strdup_printf("?%d/%s", dirfd, name);
        return g_strdup_printf("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT "/%s", (guint64)st.st_dev, (guint64)st.st_ino, name);
}

static void mget_settle(Mget *m, const char *key);

/* Downloads `remote` to `name` under dirfd. listed_size: from a listing (no SIZE), or -1. With
 * m, the transfer goes to one of mget's connections (FETCH_QUEUED) and ends there. */
static FetchOutcome fetch_file(CoreContext *ctx, CoreAsker *asker, Mget *m, const char *remote, int dirfd,
                               const char *name, gint64 listed_size, GError **error)
{
        g_autofree char *key = local_key(dirfd, name);
        if (m)
                mget_settle(m, key); /* the same local file already on its way: let it land first */
        FetchOutcome existing = check_existing(ctx, asker, dirfd, name, error);
        if (existing != FETCH_DONE)
                return existing;
        gint64 size = listed_size;
        if (size < 0) {
                GError *failure = NULL;
                if (!remote_size(ctx, remote, &size, &failure))
                        return failed(failure, error);
        }
        g_autofree char *part = core_local_part_name(name);
        gint64 part_size = -1;
        gboolean resume = ctx->type == FTP_TYPE_BINARY && size >= 0 &&
                          core_local_kind(dirfd, part, &part_size) == CORE_LOCAL_REGULAR &&
                          part_size > 0 && part_size < size;
        g_autoptr(RetrJob) job = g_new0(RetrJob, 1);
        job->ctx = ctx;
        job->remote = g_strdup(remote);
        job->name = g_strdup(name);
        job->key = g_steal_pointer(&key);
        job->expected = size;
        job->progress = (CoreProgress){ .ctx = ctx, .name = core_name_escape(name) };
        job->fd = -1;
        job->dirfd = dup(dirfd);
        if (job->dirfd < 0) {
                g_set_error(error, CORE_LOCAL_ERROR, CORE_LOCAL_ERROR_IO, _("Cannot keep the directory of %s open: %s."),
                            job->progress.name, g_strerror(errno));
                return FETCH_FAILED;
        }
        job->fd = core_local_part_open(dirfd, name, resume, &job->offset, error);
        if (job->fd < 0)
                return FETCH_FAILED;
        if (m)
                return retrieve_spread(m, g_steal_pointer(&job));
        return retrieve(job, error);
}

/* ---- get ---- */

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

gboolean core_transfer_get(CoreContext *ctx, const char *remote, const char *local, GError **error)
{
        g_return_val_if_fail(ctx != NULL && remote != NULL, FALSE);
        g_auto(Destination) dest = { .dirfd = -1 };
        if (!resolve_destination(remote, local, &dest, error))
                return FALSE;
        CoreAsker asker = { 0 };
        FetchOutcome outcome = fetch_file(ctx, &asker, NULL, remote, dest.dirfd, dest.name, -1, error);
        return outcome == FETCH_DONE || outcome == FETCH_SKIPPED; /* a "no" is not a failure */
}

/* ---- mget ---- */

struct Mget {
        CoreContext *ctx;
        CoreAsker asker;
        GHashTable *listings;  /* remote directory ("" = current) → GPtrArray of FtpEntry */
        GHashTable *visited;   /* remote directories already walked */
        CoreSpread *spread;    /* the connections the files go over */
        GHashTable *landing;   /* local_key() of the downloads on their way */
        guint done;
        guint skipped;
        guint failed;
        gboolean stop;         /* cancelled or disconnected: nothing more can work */
};

static void mget_clear(Mget *m)
{
        g_clear_pointer(&m->spread, core_spread_free);
        g_clear_pointer(&m->landing, g_hash_table_unref);
        g_clear_pointer(&m->listings, g_hash_table_unref);
        g_clear_pointer(&m->visited, g_hash_table_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Mget, mget_clear)

/* Shows and records one failure; takes the error. */
static void mget_failure(Mget *m, GError *error)
{
        if (core_transfer_error_is_fatal(error))
                m->stop = TRUE;
        core_fail(m->ctx, error);
        g_error_free(error);
        m->failed++;
}

static void mget_settle(Mget *m, const char *key)
{
        if (g_hash_table_contains(m->landing, key))
                core_spread_wait(m->spread);
}

static gboolean retr_spread(FtpSession *session, CoreWorker *worker, gpointer data, GError **error)
{
        return retr_job(session, data, error);
}

/* A download's end, on the command thread. */
static void retr_done(gboolean ok, const GError *error, gpointer data)
{
        RetrJob *job = data;
        Mget *m = job->mget;
        g_hash_table_remove(m->landing, job->key);
        GError *reported = NULL;
        switch (retr_finish(job, ok, error ? g_error_copy(error) : NULL, &reported)) {
        case FETCH_DONE:
                m->done++;
                return;
        case FETCH_FATAL:
                core_spread_cancel(m->spread);
                /* fall through */
        default:
                mget_failure(m, reported);
                return;
        }
}

static FetchOutcome retrieve_spread(Mget *m, RetrJob *job)
{
        job->mget = m;
        g_hash_table_add(m->landing, g_strdup(job->key));
        core_spread_submit(m->spread, retr_spread, job, retr_job_free, retr_done);
        return FETCH_QUEUED;
}

/* A name left out. What the server should not have sent (an unsafe name, a tree too deep) is a
 * failure of the command: the exit status says that not everything asked arrived. A symbolic
 * link or a special file is a warning only: not following them is the rule, as in lftp's mirror. */
typedef enum { SKIP_WARN, SKIP_FAIL } SkipKind;

static void mget_skip(Mget *m, SkipKind kind, const char *format, const char *name)
{
        g_autofree char *shown = core_name_escape(name);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral" /* one of this file's _() texts with one %s */
        g_autofree char *text = g_strdup_printf(format, shown);
#pragma GCC diagnostic pop
        if (kind == SKIP_WARN) {
                core_say(m->ctx, CORE_MSG_WARNING, "%s", text);
                m->skipped++;
                return;
        }
        g_autoptr(GError) error = g_error_new_literal(CORE_TRANSFER_ERROR, CORE_TRANSFER_ERROR_BAD_PATH, text);
        core_fail(m->ctx, error);
        m->failed++;
}

static GPtrArray *list_remote(CoreContext *ctx, const char *dir, GError **error) /* transfer full */
{
        QueryJob job = { .ctx = ctx, .path = dir };
        if (!core_worker_run(ctx->worker, list_job, &job, error))
                return NULL;
        return job.list;
}

/* The listing of a pattern's directory, fetched once per command. Borrowed. */
static GPtrArray *cached_listing(Mget *m, const char *dir, GError **error)
{
        const char *key = dir != NULL ? dir : "";
        GPtrArray *list = g_hash_table_lookup(m->listings, key);
        if (list != NULL)
                return list;
        list = list_remote(m->ctx, dir, error);
        if (list != NULL)
                g_hash_table_insert(m->listings, g_strdup(key), list);
        return list;
}

static void fetch_entry(Mget *m, const char *rdir, const FtpEntry *entry, int dirfd, guint depth,
                        gboolean top);

/* A remote directory into the local subdirectory `name` (created; a symlink there is refused). */
static void fetch_dir(Mget *m, const char *remote, const char *name, int dirfd, guint depth)
{
        if (depth >= MGET_MAX_DEPTH) {
                mget_skip(m, SKIP_FAIL, _("%s is nested too deeply (32 levels): not downloaded."), remote);
                return;
        }
        if (!g_hash_table_add(m->visited, g_strdup(remote)))
                return; /* reached twice: a loop on the server */
        GError *error = NULL;
        g_autoptr(GPtrArray) entries = list_remote(m->ctx, remote, &error);
        if (entries == NULL) { /* listed first: no empty local directory for what we cannot read */
                mget_failure(m, error);
                return;
        }
        int subfd = core_local_subdir_open(dirfd, name, TRUE, &error);
        if (subfd < 0) {
                mget_failure(m, error);
                return;
        }
        for (guint i = 0; i < entries->len && !m->stop; i++)
                fetch_entry(m, remote, g_ptr_array_index(entries, i), subfd, depth + 1, FALSE);
        close(subfd);
}

static void fetch_one_file(Mget *m, const char *remote, const FtpEntry *entry, int dirfd, gboolean top)
{
        if (top) {
                g_autofree char *shown = core_name_escape(remote);
                g_autofree char *question = g_strdup_printf(_("Download %s?"), shown);
                if (!core_asker_confirm(m->ctx, &m->asker, question)) {
                        m->stop = m->asker.quit;
                        return;
                }
        }
        gint64 size = entry->type == FTP_ENTRY_FILE ? entry->size : -1; /* a link's size is its own */
        GError *error = NULL;
        switch (fetch_file(m->ctx, &m->asker, m, remote, dirfd, entry->name, size, &error)) {
        case FETCH_QUEUED:
                break;
        case FETCH_DONE:
                m->done++;
                break;
        case FETCH_SKIPPED:
                m->stop = m->asker.quit;
                break;
        case FETCH_FAILED:
        case FETCH_FATAL:
                mget_failure(m, error);
                break;
        }
}

static void fetch_entry(Mget *m, const char *rdir, const FtpEntry *entry, int dirfd, guint depth,
                        gboolean top)
{
        if (m->stop)
                return;
        if (!core_name_is_safe(entry->name)) {
                mget_skip(m, SKIP_FAIL, _("Skipped %s: the server sent a name that is not safe as a local file name."),
                          entry->name);
                return;
        }
        g_autofree char *remote = core_remote_join(rdir, entry->name);
        switch (entry->type) {
        case FTP_ENTRY_DIR:
                fetch_dir(m, remote, entry->name, dirfd, depth);
                return;
        case FTP_ENTRY_LINK:
                if (!top) {
                        mget_skip(m, SKIP_WARN, _("Skipped %s: symbolic links are not followed."), remote);
                        return;
                }
                /* named by the user: fetched as a file */
                fetch_one_file(m, remote, entry, dirfd, top);
                return;
        case FTP_ENTRY_FILE:
                fetch_one_file(m, remote, entry, dirfd, top);
                return;
        case FTP_ENTRY_OTHER:
        default:
                mget_skip(m, SKIP_WARN, _("Skipped %s: not a file or a directory."), remote);
                return;
        }
}

static void mget_pattern(Mget *m, const char *pattern, int dirfd)
{
        const char *slash = strrchr(pattern, '/');
        g_autofree char *rdir = slash == NULL ? NULL
                                : slash == pattern ? g_strdup("/")
                                : g_strndup(pattern, (gsize)(slash - pattern));
        const char *base = slash != NULL ? slash + 1 : pattern;
        if (base[0] == '\0') { /* "dir/": the directory itself */
                FtpEntry dir = { .type = FTP_ENTRY_DIR, .size = -1, .mtime = -1 };
                g_autofree char *name = core_remote_basename(pattern);
                g_autofree char *parent = slash == pattern ? NULL : g_path_get_dirname(pattern);
                dir.name = name;
                fetch_entry(m, parent != NULL && strcmp(parent, ".") != 0 ? parent : NULL, &dir,
                            dirfd, 0, TRUE);
                return;
        }
        if (rdir != NULL && core_glob_has_magic(rdir)) {
                mget_failure(m, g_error_new(CORE_TRANSFER_ERROR, CORE_TRANSFER_ERROR_BAD_PATH,
                                            _("Wildcards work only in the last part of a remote path (%s)."),
                                            pattern));
                return;
        }
        GError *error = NULL;
        GPtrArray *entries = cached_listing(m, rdir, &error);
        if (entries == NULL) {
                mget_failure(m, error);
                return;
        }
        gboolean magic = core_glob_has_magic(base);
        g_autofree char *plain = magic ? NULL : core_glob_unescape(base);
        guint matched = 0;
        for (guint i = 0; i < entries->len && !m->stop; i++) {
                const FtpEntry *entry = g_ptr_array_index(entries, i);
                if (magic ? !core_glob_match(base, entry->name) : strcmp(entry->name, plain) != 0)
                        continue;
                matched++;
                fetch_entry(m, rdir, entry, dirfd, 0, TRUE);
        }
        if (matched > 0 || m->stop)
                return;
        if (!magic) { /* not in the listing (some servers hide files): try it as a file */
                FtpEntry file = { .name = plain, .type = FTP_ENTRY_FILE, .size = -1, .mtime = -1 };
                fetch_entry(m, rdir, &file, dirfd, 0, TRUE);
                return;
        }
        g_autofree char *shown = core_name_escape(pattern);
        mget_failure(m, g_error_new(CORE_TRANSFER_ERROR, CORE_TRANSFER_ERROR_NO_MATCH,
                                    _("No remote file matches %s."), shown));
}

gboolean core_transfer_mget(CoreContext *ctx, GPtrArray *remote_patterns, const char *local_dir,
                            GError **error)
{
        g_return_val_if_fail(ctx != NULL && remote_patterns != NULL, FALSE);
        int dirfd = core_local_dir_open(local_dir != NULL ? local_dir : ".", error);
        if (dirfd < 0)
                return FALSE;
        g_auto(Mget) m = {
                .ctx = ctx,
                .listings = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                                  (GDestroyNotify)g_ptr_array_unref),
                .visited = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
                .landing = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
                .spread = core_spread_new(ctx, ctx->parallel),
        };
        for (guint i = 0; i < remote_patterns->len && !m.stop; i++)
                mget_pattern(&m, g_ptr_array_index(remote_patterns, i), dirfd);
        core_spread_wait(m.spread);
        close(dirfd);
        if (m.done + m.failed + m.skipped > 1)
                core_say(ctx, CORE_MSG_INFO, _("%u files downloaded, %u skipped, %u failed."),
                         m.done, m.skipped, m.failed);
        return m.failed == 0;
}
