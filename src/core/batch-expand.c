/* core/batch-expand.c — the typed mput and mget as queue jobs, made when the command runs (in
 * the local and remote directories of that moment): local patterns expanded as line mode does,
 * remote patterns matched against a listing of their directory (each listed once per batch);
 * and every directory job (F5 or mget on a directory, either side) replaced by one job per file
 * below it, so that each file has its own progress, conflict question and outcome.
 * Owns: which remote names may become local files (core_name_is_safe, depth 32, no symbolic
 * link followed below a directory, no directory walked twice).
 * Must not: draw or ask; runs on the command thread. */
#include "core/batch.h"
#include "common/i18n.h"
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

#define REMOTE_TREE_MAX_DEPTH 32

/* A remote name that makes no job, said with its escaped name: a failure (the server should not
 * have sent it, or the tree is too deep: not everything asked arrives), or left out by rule (a
 * symbolic link or a special file: not following them is the rule, as in lftp's mirror). */
typedef enum { NAME_LEFT_OUT, NAME_FAILED } NameSkip;

static void skip_name(CoreContext *ctx, CoreBatch *batch, NameSkip kind, const char *format, const char *name)
{
        g_autofree char *shown = core_name_escape(name);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral" /* one of this file's _() texts with one %s */
        g_autofree char *text = g_strdup_printf(format, shown);
#pragma GCC diagnostic pop
        if (kind == NAME_LEFT_OUT) {
                core_say(ctx, CORE_MSG_WARNING, "%s", text);
                batch->left_out++;
                return;
        }
        g_autoptr(GError) error = g_error_new_literal(CORE_TRANSFER_ERROR, CORE_TRANSFER_ERROR_BAD_PATH, text);
        core_fail(ctx, error);
        batch->failures++;
}

/* A failure that is not about one name (a listing that failed, a pattern that matched nothing). */
static void batch_fail(CoreContext *ctx, CoreBatch *batch, GError *error)
{
        core_fail(ctx, error);
        g_error_free(error);
        batch->failures++;
}

static void add_remote(CoreBatch *batch, const CoreEntry *entry, const char *remote)
{
        gboolean tree = entry->type == CORE_ENTRY_DIR;
        g_autofree char *escaped = core_name_escape(remote);
        g_autofree char *shown = tree ? g_strconcat(escaped, "/", NULL) : g_strdup(escaped);
        guint id = core_queue_add(batch->queue, CORE_JOB_DOWNLOAD, shown, batch->local_dir, remote);
        core_batch_add(batch, id, tree, entry->type == CORE_ENTRY_FILE ? entry->size : -1, entry->mtime)
                ->mtime_exact = entry->mtime_exact;
}

/* A name the user's pattern matched in `rdir`: a file, a directory (a tree), or a symbolic link
 * named by the user (fetched as a file). */
static void add_matched(CoreContext *ctx, CoreBatch *batch, const char *rdir, const CoreEntry *entry)
{
        if (!core_name_is_safe(entry->name)) {
                skip_name(ctx, batch, NAME_FAILED,
                          _("Skipped %s: the server sent a name that is not safe as a local file name."), entry->name);
                return;
        }
        g_autofree char *remote = core_remote_join(rdir, entry->name);
        if (entry->type == CORE_ENTRY_OTHER) {
                skip_name(ctx, batch, NAME_LEFT_OUT, _("Skipped %s: not a file or a directory."), remote);
                return;
        }
        add_remote(batch, entry, remote);
}

static int compare_names(gconstpointer a, gconstpointer b)
{
        return g_strcmp0((*(CoreEntry *const *)a)->name, (*(CoreEntry *const *)b)->name);
}

/* "dir/": the directory itself, fetched whole. */
static void add_named_dir(CoreContext *ctx, CoreBatch *batch, const char *pattern)
{
        g_autofree char *path = g_strdup(pattern);
        for (gsize n = strlen(path); n > 1 && path[n - 1] == '/'; n--)
                path[n - 1] = '\0';
        g_autofree char *name = core_remote_basename(path);
        const char *slash = strrchr(path, '/');
        g_autofree char *rdir = !slash ? NULL : slash == path ? g_strdup("/") : g_strndup(path, (gsize)(slash - path));
        CoreEntry dir = { .name = name, .type = CORE_ENTRY_DIR, .size = -1, .mtime = -1 };
        add_matched(ctx, batch, rdir, &dir);
}

/* One of mget's patterns: matched against the listing of its directory (wildcards only in the
 * last part); a plain name not listed (some servers hide files) is tried as a file. */
static void expand_pattern(CoreContext *ctx, CoreBatch *batch, const char *pattern)
{
        const char *slash = strrchr(pattern, '/');
        const char *base = slash ? slash + 1 : pattern;
        if (!*base) {
                add_named_dir(ctx, batch, pattern);
                return;
        }
        g_autofree char *rdir = !slash ? g_strdup("") : slash == pattern ? g_strdup("/")
                                : g_strndup(pattern, (gsize)(slash - pattern));
        if (core_glob_has_magic(rdir)) {
                batch_fail(ctx, batch, g_error_new(CORE_TRANSFER_ERROR, CORE_TRANSFER_ERROR_BAD_PATH,
                                                   _("Wildcards work only in the last part of a remote path (%s)."),
                                                   pattern));
                return;
        }
        GError *error = NULL;
        GPtrArray *entries = core_batch_remote_list(ctx, batch, rdir, &error);
        if (!entries) {
                batch_fail(ctx, batch, error);
                return;
        }
        g_ptr_array_sort(entries, compare_names); /* the jobs in the order the pane shows */
        gboolean magic = core_glob_has_magic(base);
        g_autofree char *plain = magic ? NULL : core_glob_unescape(base);
        guint matched = 0;
        for (guint i = 0; i < entries->len; i++) {
                const CoreEntry *entry = g_ptr_array_index(entries, i);
                if (magic ? !core_glob_match(base, entry->name) : strcmp(entry->name, plain) != 0)
                        continue;
                add_matched(ctx, batch, rdir, entry);
                matched++;
        }
        if (matched > 0)
                return;
        if (!magic) {
                CoreEntry file = { .name = plain, .type = CORE_ENTRY_FILE, .size = -1, .mtime = -1 };
                add_matched(ctx, batch, rdir, &file);
                return;
        }
        g_autofree char *shown = core_name_escape(pattern);
        batch_fail(ctx, batch, g_error_new(CORE_TRANSFER_ERROR, CORE_TRANSFER_ERROR_NO_MATCH,
                                           _("No remote file matches %s."), shown));
}

static gboolean expand_mget(CoreContext *ctx, CoreBatch *batch)
{
        for (char **arg = batch->args; *arg; arg++)
                expand_pattern(ctx, batch, *arg);
        return batch->jobs->len > 0;
}

gboolean core_batch_expand_listing(CoreContext *ctx, CoreBatch *batch, GPtrArray *entries)
{
        core_batch_remote_set_listing(batch, "", g_ptr_array_ref(entries));
        return expand_mget(ctx, batch);
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
                         const char *remote, gint64 size, gint64 mtime, gboolean mtime_exact)
{
        g_autofree char *shown = core_name_escape(remote);
        guint id = core_queue_add_child(batch->queue, dir->id, kind, shown, local, remote);
        CoreBatchJob *job = core_batch_add(batch, id, FALSE, size, mtime);
        job->parent = dir->id;
        job->mtime_exact = mtime_exact;
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
                        add_file_job(batch, dir, CORE_JOB_UPLOAD, child, child_remote, st.st_size, st.st_mtime, TRUE);
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

typedef struct {
        CoreContext *ctx;
        CoreBatch *batch;
        const CoreBatchJob *dir;
        const CoreJob *job;
        GHashTable *visited;   /* remote directories walked: a loop on the server ends there */
} RemoteWalk;

/* The files below the remote directory `remote` (`rel` inside the tree, NULL: its root),
 * depth-first in name order. TRUE when the directory arrives (made by a file below it, or
 * itself as an empty one). */
static gboolean walk_remote(RemoteWalk *w, const char *remote, const char *rel, guint depth)
{
        if (depth >= REMOTE_TREE_MAX_DEPTH) {
                skip_name(w->ctx, w->batch, NAME_FAILED, _("%s is nested too deeply (32 levels): not downloaded."), remote);
                return FALSE;
        }
        if (!g_hash_table_add(w->visited, g_strdup(remote)))
                return FALSE;
        GError *error = NULL;
        GPtrArray *entries = core_batch_remote_list(w->ctx, w->batch, remote, &error);
        if (!entries) { /* not known to be empty: not made */
                batch_fail(w->ctx, w->batch, error);
                return FALSE;
        }
        g_ptr_array_sort(entries, compare_names);
        gboolean found = FALSE; /* something below makes the directory arrive */
        for (guint i = 0; i < entries->len; i++) {
                const CoreEntry *e = g_ptr_array_index(entries, i);
                if (!core_name_is_safe(e->name)) {
                        skip_name(w->ctx, w->batch, NAME_FAILED,
                                  _("Skipped %s: the server sent a name that is not safe as a local file name."), e->name);
                        continue;
                }
                g_autofree char *child = core_remote_join(remote, e->name);
                g_autofree char *child_rel = rel ? g_strconcat(rel, "/", e->name, NULL) : g_strdup(e->name);
                if (e->type == CORE_ENTRY_DIR) {
                        found |= walk_remote(w, child, child_rel, depth + 1);
                } else if (e->type == CORE_ENTRY_FILE) {
                        g_autofree char *local = tree_local_path(w->job, child_rel);
                        add_file_job(w->batch, w->dir, CORE_JOB_DOWNLOAD, local, child, e->size, e->mtime,
                                     e->mtime_exact);
                        found = TRUE;
                } else if (e->type == CORE_ENTRY_LINK) {
                        skip_name(w->ctx, w->batch, NAME_LEFT_OUT, _("Skipped %s: symbolic links are not followed."), child);
                } else {
                        skip_name(w->ctx, w->batch, NAME_LEFT_OUT, _("Skipped %s: not a file or a directory."), child);
                }
        }
        if (!found) {
                g_autofree char *local = tree_local_path(w->job, rel ? rel : "");
                add_tree_dir(w->batch, w->dir, local);
        }
        return TRUE;
}

void core_batch_expand_trees(CoreContext *ctx, CoreBatch *batch)
{
        guint n = batch->jobs->len; /* the jobs added here are files, never expanded again */
        g_autoptr(GHashTable) visited = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
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
                        walk_remote(&(RemoteWalk){ ctx, batch, &dir, job, visited }, job->remote, NULL, 0);
        }
}
