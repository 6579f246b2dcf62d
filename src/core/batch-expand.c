/* core/batch-expand.c — the typed mput and mget as queue jobs, made when the command runs (in
 * the local and remote directories of that moment): local patterns expanded as line mode does,
 * remote patterns matched against a fresh listing; and every directory job (F5 or mget on a
 * directory, either side) replaced by one job per file below it, so that each file has its own
 * progress, conflict question and outcome. A remote pattern in another directory stays one job
 * run by the core's mget.
 * Must not: draw or ask; runs on the command thread. */
#include "core/batch.h"
#include "common/i18n.h"
#include "core/browse.h"
#include "core/browse-tree.h"
#include "core/commands.h"
#include "core/glob.h"
#include "core/safename.h"
#include "core/transfer.h"
#include "core/transfer-private.h"
#include <string.h>
#include <sys/stat.h>

#define LOCAL_TREE_MAX_DEPTH 32

/* ---- mput ---------------------------------------------------------------------------- */

/* A typed put shows the file's base name (unless the batch shows paths), an mput the path as
 * typed or matched. */
static void add_local(CoreBatch *batch, const char *path, const char *remote)
{
        struct stat st;
        gboolean ok = stat(path, &st) == 0;
        gboolean dir = ok && S_ISDIR(st.st_mode);
        g_autofree char *base = g_path_get_basename(path);
        g_autofree char *escaped = core_name_escape(batch->kind == CORE_BATCH_PUT && !batch->show_paths ? base : path);
        g_autofree char *shown = dir ? g_strconcat(escaped, "/", NULL) : g_strdup(escaped);
        guint id = core_queue_add(batch->queue, CORE_JOB_UPLOAD, shown, path, remote);
        core_batch_add(batch, id, dir, ok ? st.st_size : -1, ok ? st.st_mtime : -1);
}

static gboolean expand_mput(CoreContext *ctx, CoreBatch *batch)
{
        if (batch->kind == CORE_BATCH_PUT) {
                g_autofree char *remote = core_transfer_put_target(batch->args[0], batch->args[1]);
                add_local(batch, batch->args[0], remote);
                return TRUE;
        }
        g_autoptr(GPtrArray) paths = core_expand_local_args(ctx, batch->args);
        if (paths->len == 0) {
                g_autoptr(GError) error = g_error_new_literal(CORE_TRANSFER_ERROR, CORE_TRANSFER_ERROR_NO_MATCH,
                                                              _("No local file matches: nothing was uploaded."));
                core_fail(ctx, error);
                return FALSE;
        }
        for (guint i = 0; i < paths->len; i++) {
                g_autofree char *remote = core_transfer_remote_name_for(paths->pdata[i]);
                add_local(batch, paths->pdata[i], remote);
        }
        return TRUE;
}

/* ---- get and mget -------------------------------------------------------------------- */

static void add_remote(CoreBatch *batch, const CoreEntry *entry, const char *remote)
{
        gboolean tree = entry->type == CORE_ENTRY_DIR;
        g_autofree char *escaped = core_name_escape(remote);
        g_autofree char *shown = tree ? g_strconcat(escaped, "/", NULL) : g_strdup(escaped);
        guint id = core_queue_add(batch->queue, CORE_JOB_DOWNLOAD, shown, batch->local_dir, remote);
        core_batch_add(batch, id, tree, entry->type == CORE_ENTRY_FILE ? entry->size : -1, entry->mtime);
}

/* A pattern elsewhere (or a listing that failed) is one job for the core's mget. */
static void add_pattern(CoreBatch *batch, const char *pattern)
{
        g_autofree char *shown = core_name_escape(pattern);
        guint id = core_queue_add(batch->queue, CORE_JOB_DOWNLOAD, shown, batch->local_dir, pattern);
        core_batch_add(batch, id, FALSE, -1, -1)->pattern = TRUE;
}

static int compare_names(gconstpointer a, gconstpointer b)
{
        return g_strcmp0((*(CoreEntry *const *)a)->name, (*(CoreEntry *const *)b)->name);
}

static void match_pattern(CoreContext *ctx, CoreBatch *batch, GPtrArray *entries, const char *pattern)
{
        gboolean magic = core_glob_has_magic(pattern);
        g_autofree char *plain = magic ? NULL : core_glob_unescape(pattern);
        guint matched = 0;
        for (guint i = 0; i < entries->len; i++) {
                const CoreEntry *entry = g_ptr_array_index(entries, i);
                if (!entry->name || !strcmp(entry->name, ".") || !strcmp(entry->name, ".."))
                        continue;
                if (magic ? !core_glob_match(pattern, entry->name) : strcmp(entry->name, plain) != 0)
                        continue;
                add_remote(batch, entry, entry->name);
                matched++;
        }
        if (matched > 0)
                return;
        if (!magic) { /* not listed (some servers hide files): try it as a file */
                CoreEntry file = { .name = plain, .type = CORE_ENTRY_FILE, .size = -1, .mtime = -1 };
                add_remote(batch, &file, plain);
                return;
        }
        g_autofree char *shown = core_name_escape(pattern);
        g_autoptr(GError) error = g_error_new(CORE_TRANSFER_ERROR, CORE_TRANSFER_ERROR_NO_MATCH,
                                              _("No remote file matches %s."), shown);
        core_fail(ctx, error);
}

gboolean core_batch_expand_listing(CoreContext *ctx, CoreBatch *batch, GPtrArray *entries)
{
        g_ptr_array_sort(entries, compare_names); /* the jobs in the order the pane shows */
        for (char **arg = batch->args; *arg; arg++) {
                if (strchr(*arg, '/'))
                        add_pattern(batch, *arg);
                else
                        match_pattern(ctx, batch, entries, *arg);
        }
        return batch->jobs->len > 0;
}

static gboolean expand_mget(CoreContext *ctx, CoreBatch *batch)
{
        g_autoptr(GPtrArray) entries = NULL;
        g_autofree char *cwd = NULL;
        g_autoptr(GError) error = NULL;
        if (!core_browse_list(ctx, &entries, &cwd, &error)) {
                core_fail(ctx, error);
                return FALSE;
        }
        return core_batch_expand_listing(ctx, batch, entries);
}

/* get <remote> [local]: its size and kind from a listing of its directory, unless the batch
 * fetches the one file without looking (line mode). */
static gboolean expand_get(CoreContext *ctx, CoreBatch *batch)
{
        const char *remote = batch->args[0];
        const CoreRemoteInfo *info = batch->get_lists ? core_batch_remote_info(ctx, batch, remote) : NULL;
        CoreEntry entry = { .name = (char *)remote, .type = info && info->is_dir ? CORE_ENTRY_DIR : CORE_ENTRY_FILE,
                           .size = info ? info->size : -1, .mtime = info ? info->mtime : -1 };
        g_free(batch->local_dir);
        batch->local_dir = g_strdup(batch->args[1]);
        add_remote(batch, &entry, remote);
        return TRUE;
}

gboolean core_batch_expand(CoreContext *ctx, CoreBatch *batch)
{
        switch (batch->kind) {
        case CORE_BATCH_PUT:
        case CORE_BATCH_MPUT:
                return expand_mput(ctx, batch);
        case CORE_BATCH_GET:
                return expand_get(ctx, batch);
        case CORE_BATCH_MGET:
                return expand_mget(ctx, batch);
        default:
                return TRUE;
        }
}

/* ---- directories, one job per file --------------------------------------------------- */

static void add_file_job(CoreBatch *batch, const CoreBatchJob *dir, CoreJobKind kind, const char *local,
                         const char *remote, gint64 size, gint64 mtime)
{
        g_autofree char *shown = core_name_escape(remote);
        guint id = core_queue_add_child(batch->queue, dir->id, kind, shown, local, remote);
        core_batch_add(batch, id, FALSE, size, mtime)->parent = dir->id;
}

static void add_tree_dir(CoreBatch *batch, const CoreBatchJob *dir, const char *path)
{
        CoreBatchDir *td = g_new0(CoreBatchDir, 1);
        td->parent = dir->id;
        td->path = g_strdup(path);
        g_ptr_array_add(batch->tree_dirs, td);
}

static int compare_strings(gconstpointer a, gconstpointer b)
{
        return g_strcmp0(*(const char *const *)a, *(const char *const *)b);
}

/* Regular files below a local directory, depth-first in name order; symlinks are not followed.
 * A directory with nothing below it (no regular file, no directory) is to be made on the server;
 * its parents are made with it, so they are not listed too. */
static void walk_local(CoreContext *ctx, CoreBatch *batch, const CoreBatchJob *dir, const char *path,
                           const char *remote, int depth)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(GDir) d = g_dir_open(path, 0, &error);
        if (!d) {
                core_say(ctx, CORE_MSG_ERROR, "%s", error->message);
                return; /* not known to be empty: not made */
        }
        g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
        const char *name;
        while ((name = g_dir_read_name(d)) != NULL)
                g_ptr_array_add(names, g_strdup(name));
        g_ptr_array_sort(names, compare_strings);
        gboolean found = FALSE; /* something below makes the directory arrive */
        for (guint i = 0; i < names->len; i++) {
                const char *n = g_ptr_array_index(names, i);
                g_autofree char *child = g_build_filename(path, n, NULL);
                g_autofree char *child_remote = g_strconcat(remote, "/", n, NULL);
                struct stat st;
                if (lstat(child, &st) != 0)
                        continue;
                if (S_ISDIR(st.st_mode) && depth < LOCAL_TREE_MAX_DEPTH) {
                        walk_local(ctx, batch, dir, child, child_remote, depth + 1);
                        found = TRUE;
                } else if (S_ISREG(st.st_mode)) {
                        add_file_job(batch, dir, CORE_JOB_UPLOAD, child, child_remote, st.st_size, st.st_mtime);
                        found = TRUE;
                }
        }
        if (!found)
                add_tree_dir(batch, dir, remote);
}

/* The local file a downloaded tree file becomes: under the job's local directory (NULL: the
 * current one), the directory's own name, then the path inside it. transfer full */
static char *tree_local_path(const CoreJob *job, const char *rel)
{
        g_autofree char *base = g_path_get_basename(job->remote);
        return g_build_filename(job->local ? job->local : ".", base, rel, NULL);
}

static void walk_remote(CoreContext *ctx, CoreBatch *batch, const CoreBatchJob *dir, const CoreJob *job)
{
        guint unsafe = 0;
        g_autoptr(GError) error = NULL;
        g_autoptr(GPtrArray) files = core_browse_tree(ctx, job->remote, &unsafe, &error);
        if (!files) {
                core_fail(ctx, error);
                return;
        }
        if (unsafe > 0)
                core_say(ctx, CORE_MSG_WARNING, ngettext("%u name in %s cannot be a local file name: skipped.",
                                                         "%u names in %s cannot be local file names: skipped.", unsafe),
                         unsafe, job->name);
        gboolean any_file = FALSE;
        for (guint i = 0; i < files->len; i++) {
                const CoreTreeFile *f = g_ptr_array_index(files, i);
                g_autofree char *local = tree_local_path(job, f->path);
                g_autofree char *remote = g_strconcat(job->remote, "/", f->path, NULL);
                if (f->is_dir) {
                        add_tree_dir(batch, dir, local);
                        continue;
                }
                add_file_job(batch, dir, CORE_JOB_DOWNLOAD, local, remote, f->size, f->mtime);
                any_file = TRUE;
        }
        if (!any_file) { /* an empty tree: its own directory */
                g_autofree char *root = tree_local_path(job, "");
                add_tree_dir(batch, dir, root);
        }
}

void core_batch_expand_trees(CoreContext *ctx, CoreBatch *batch)
{
        guint n = batch->jobs->len; /* the jobs added here are files, never expanded again */
        for (guint i = 0; i < n; i++) {
                CoreBatchJob dir = g_array_index(batch->jobs, CoreBatchJob, i);
                if (!dir.tree)
                        continue;
                g_autoptr(CoreJob) job = core_queue_get(batch->queue, dir.id);
                if (!job)
                        continue;
                if (!core_queue_begin_group(batch->queue, dir.id))
                        continue;
                if (batch->upload)
                        walk_local(ctx, batch, &dir, job->local, job->remote, 0);
                else
                        walk_remote(ctx, batch, &dir, job);
        }
}
