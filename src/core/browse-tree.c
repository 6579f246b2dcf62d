/* core/browse-tree.c — listings of any remote directory for the TUI's transfers: one directory
 * (to learn what exists before an upload), or a whole tree as its regular files and empty
 * directories (to download a directory file by file, each with its own conflict question); and
 * the directories of an uploaded tree that no file made.
 * Must not: print, prompt, call curses, or let a server-supplied name climb out of its tree
 * (unsafe names are skipped and counted). */
#include "core/browse-tree.h"
#include "common/i18n.h"
#include "core/entry-private.h"
#include "core/safename.h"
#include "core/transfer-private.h"
#include "core/worker.h"

#define TREE_MAX_DEPTH 32

void core_tree_file_free(gpointer data)
{
        CoreTreeFile *file = data;
        g_free(file->path);
        g_free(file);
}

typedef struct {
        const char *path;
        GPtrArray *entries; /* out */
} PathJob;

static gboolean list_path_job(FtpSession *session, gpointer data, GError **error)
{
        PathJob *job = data;
        g_autoptr(GPtrArray) listed = ftp_session_list(session, job->path, error);
        if (!listed)
                return FALSE;
        job->entries = core_entries_from_ftp(listed);
        return TRUE;
}

GPtrArray *core_browse_list_path(CoreContext *ctx, const char *path, GError **error)
{
        PathJob job = { .path = path && *path ? path : NULL };
        if (!core_worker_run(ctx->worker, list_path_job, &job, error))
                return NULL;
        return job.entries;
}

typedef struct {
        GPtrArray *files;  /* CoreTreeFile* */
        guint unsafe;
} TreeWalk;

static void add_tree_entry(TreeWalk *tw, char *path, const CoreEntry *e, gboolean is_dir)
{
        CoreTreeFile *file = g_new0(CoreTreeFile, 1);
        *file = (CoreTreeFile){ path, is_dir ? -1 : e->size, e->mtime, is_dir };
        g_ptr_array_add(tw->files, file);
}

/* *found: a regular file was found below (a directory without one is listed itself). */
static gboolean walk(CoreContext *ctx, const char *root, const char *rel, int depth, TreeWalk *tw,
                     gboolean *found, GError **error)
{
        g_autofree char *dir = rel ? core_remote_join(root, rel) : g_strdup(root);
        g_autoptr(GPtrArray) entries = core_browse_list_path(ctx, dir, error);
        if (!entries)
                return FALSE;
        for (guint i = 0; i < entries->len; i++) {
                const CoreEntry *e = g_ptr_array_index(entries, i);
                if (!core_name_is_safe(e->name)) {
                        tw->unsafe++;
                        continue;
                }
                g_autofree char *path = rel ? core_remote_join(rel, e->name) : g_strdup(e->name);
                if (e->type == CORE_ENTRY_DIR && depth < TREE_MAX_DEPTH) {
                        gboolean below = FALSE;
                        if (!walk(ctx, root, path, depth + 1, tw, &below, error))
                                return FALSE;
                        if (!below)
                                add_tree_entry(tw, g_steal_pointer(&path), e, TRUE);
                        *found |= below;
                } else if (e->type == CORE_ENTRY_FILE) {
                        add_tree_entry(tw, g_steal_pointer(&path), e, FALSE);
                        *found = TRUE;
                }
        }
        return TRUE;
}

static int compare_paths(gconstpointer a, gconstpointer b)
{
        return g_strcmp0((*(CoreTreeFile *const *)a)->path, (*(CoreTreeFile *const *)b)->path);
}

GPtrArray *core_browse_tree(CoreContext *ctx, const char *remote_dir, guint *unsafe, GError **error)
{
        TreeWalk tw = { g_ptr_array_new_with_free_func(core_tree_file_free), 0 };
        gboolean found = FALSE;
        if (!walk(ctx, remote_dir, NULL, 0, &tw, &found, error)) {
                g_ptr_array_unref(tw.files);
                return NULL;
        }
        g_ptr_array_sort(tw.files, compare_paths);
        if (unsafe)
                *unsafe = tw.unsafe;
        return tw.files;
}

typedef struct {
        GPtrArray *dirs;
} MakeDirs;

static gboolean make_dirs_job(FtpSession *session, gpointer data, GError **error)
{
        MakeDirs *job = data;
        g_autoptr(GHashTable) made = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        for (guint i = 0; i < job->dirs->len; i++) {
                g_autofree char *below = g_strconcat(g_ptr_array_index(job->dirs, i), "/", NULL);
                if (!core_remote_make_parents(session, below, made, error))
                        return FALSE;
        }
        return TRUE;
}

gboolean core_browse_make_dirs(CoreContext *ctx, GPtrArray *dirs, GError **error)
{
        MakeDirs job = { dirs };
        return dirs->len == 0 || core_worker_run(ctx->worker, make_dirs_job, &job, error);
}
