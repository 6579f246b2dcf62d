/* core/tempcopy.c — a remote file's private copy for viewing and editing (see tempcopy.h): the
 * directory made 0700 with mkdtemp, the fetch and the send as one-job batches of the caller's
 * queue, the comparison by size and SHA-256, the removal of everything in the directory.
 * Must not: follow a symlink when it removes (nftw FTW_PHYS), or ask anything. */
#include "config.h"
#include "core/tempcopy.h"
#include "common/i18n.h"
#include "core/batch.h"
#include "core/safename.h"
#include "core/transfer.h"
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *core_temp_copy_parent(CoreContext *ctx)
{
        if (ctx->tmpdir && *ctx->tmpdir)
                return g_strdup(ctx->tmpdir);
        const char *runtime = g_getenv("XDG_RUNTIME_DIR");
        if (runtime && *runtime && g_file_test(runtime, G_FILE_TEST_IS_DIR))
                return g_strdup(runtime);
        return g_strdup(g_get_tmp_dir());
}

static char *make_private_dir(CoreContext *ctx, GError **error)
{
        g_autofree char *parent = core_temp_copy_parent(ctx);
        char *dir = g_build_filename(parent, "clamftp-XXXXXX", NULL);
        if (g_mkdtemp_full(dir, 0700))
                return dir;
        int err = errno;
        g_autofree char *shown = core_name_escape(parent);
        g_set_error(error, CORE_LOCAL_ERROR, CORE_LOCAL_ERROR_IO,
                    _("Cannot make a private temporary directory in %s: %s"), shown, g_strerror(err));
        g_free(dir);
        return NULL;
}

static void set_read_error(GError **error, const char *path, int err)
{
        g_autofree char *shown = core_name_escape(path);
        g_set_error(error, CORE_LOCAL_ERROR, CORE_LOCAL_ERROR_IO, _("Cannot read %s: %s"), shown, g_strerror(err));
}

static gboolean file_digest(const char *path, guint8 digest[32], gint64 *size, GError **error)
{
        int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
                set_read_error(error, path, errno);
                return FALSE;
        }
        g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
        guint8 buf[65536];
        ssize_t n;
        *size = 0;
        while ((n = read(fd, buf, sizeof buf)) != 0) {
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        int err = errno;
                        close(fd);
                        set_read_error(error, path, err);
                        return FALSE;
                }
                g_checksum_update(sum, buf, (gsize)n);
                *size += n;
        }
        close(fd);
        gsize len = 32;
        g_checksum_get_digest(sum, digest, &len);
        return TRUE;
}

/* A batch of one job on `queue`, run to its end; the job's final state. */
static CoreJobState run_one(CoreContext *ctx, CoreQueue *queue, gboolean upload, const char *shown,
                            const char *local, const char *remote, gint64 size, gint64 mtime)
{
        g_autoptr(CoreBatch) batch = core_batch_new(CORE_BATCH_COPY, upload, queue);
        batch->ask_conflicts = FALSE; /* an empty directory; an upload the user asked for */
        guint id = core_queue_add(queue, upload ? CORE_JOB_UPLOAD : CORE_JOB_DOWNLOAD, shown, local, remote);
        core_batch_add(batch, id, FALSE, size, mtime);
        core_batch_run(ctx, batch);
        g_autoptr(CoreJob) job = core_queue_get(queue, id);
        return job ? job->state : CORE_JOB_FAILED;
}

CoreTempCopy *core_temp_copy_fetch(CoreContext *ctx, CoreQueue *queue, const char *remote, gint64 size,
                                   gint64 mtime, GError **error)
{
        g_autofree char *base = g_path_get_basename(remote);
        g_autoptr(CoreTempCopy) copy = g_new0(CoreTempCopy, 1);
        copy->remote = g_strdup(remote);
        copy->shown = core_name_escape(remote);
        if (!core_name_is_safe(base)) {
                g_set_error(error, CORE_LOCAL_ERROR, CORE_LOCAL_ERROR_UNSAFE_NAME,
                            _("%s cannot be copied here: its name is not safe as a local file name."), copy->shown);
                return NULL;
        }
        copy->dir = make_private_dir(ctx, error);
        if (!copy->dir)
                return NULL;
        copy->path = g_build_filename(copy->dir, base, NULL);
        g_autofree char *shown_base = core_name_escape(base);
        CoreJobState state = run_one(ctx, queue, FALSE, shown_base, copy->dir, remote, size, mtime);
        if (state != CORE_JOB_DONE) {
                g_set_error(error, CORE_TRANSFER_ERROR, CORE_TRANSFER_ERROR_INCOMPLETE,
                            _("%s was not fetched (%s), so it is not opened."), copy->shown,
                            core_job_state_label(state, CORE_JOB_DOWNLOAD));
                return NULL;
        }
        if (!file_digest(copy->path, copy->digest, &copy->size, error))
                return NULL;
        return g_steal_pointer(&copy);
}

gboolean core_temp_copy_changed(const CoreTempCopy *copy, gboolean *changed, GError **error)
{
        guint8 digest[32];
        gint64 size = 0;
        if (!file_digest(copy->path, digest, &size, error))
                return FALSE;
        *changed = size != copy->size || memcmp(digest, copy->digest, sizeof digest) != 0;
        return TRUE;
}

CoreJobState core_temp_copy_send(CoreContext *ctx, CoreQueue *queue, const CoreTempCopy *copy)
{
        struct stat st;
        gint64 size = lstat(copy->path, &st) == 0 ? st.st_size : -1;
        gint64 mtime = size >= 0 ? st.st_mtime : -1;
        g_autofree char *base = g_path_get_basename(copy->remote);
        g_autofree char *shown_base = core_name_escape(base);
        return run_one(ctx, queue, TRUE, shown_base, copy->path, copy->remote, size, mtime);
}

/* Goes on past what cannot be removed: the rest still goes (the directory is private). */
static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        (void)remove(path);
        return 0;
}

void core_temp_copy_free(CoreTempCopy *copy)
{
        if (!copy)
                return;
        if (copy->dir)
                nftw(copy->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
        g_free(copy->dir);
        g_free(copy->path);
        g_free(copy->remote);
        g_free(copy->shown);
        g_free(copy);
}
