/* core/batch-remote.c — what a batch knows exists on the server, for the conflict question of
 * uploads: the entries the front end gave (the TUI's remote pane, for F5), else one listing per
 * directory a job writes into.
 * Must not: draw or ask; lookups that list run on the command thread. */
#include "core/batch.h"
#include "core/browse-tree.h"
#include <string.h>

static void ensure_tables(CoreBatch *batch)
{
        if (!batch->remote)
                batch->remote = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        if (!batch->listed)
                batch->listed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

void core_batch_remote_taken(CoreBatch *batch, const char *path, gint64 size, gint64 mtime, gboolean is_dir)
{
        ensure_tables(batch);
        CoreRemoteInfo *info = g_new0(CoreRemoteInfo, 1);
        *info = (CoreRemoteInfo){ .size = size, .mtime = mtime, .is_dir = is_dir };
        g_hash_table_replace(batch->remote, g_strdup(path), info);
}

void core_batch_remote_listed(CoreBatch *batch, const char *dir)
{
        ensure_tables(batch);
        g_hash_table_add(batch->listed, g_strdup(dir));
}

/* The directory part of a remote path ("a/b/c" → "a/b", "c" → "", "/c" → "/"). transfer full */
static char *parent_of(const char *path)
{
        const char *slash = strrchr(path, '/');
        if (!slash)
                return g_strdup("");
        if (slash == path)
                return g_strdup("/");
        return g_strndup(path, (gsize)(slash - path));
}

static void learn_directory(CoreContext *ctx, CoreBatch *batch, const char *dir)
{
        g_hash_table_add(batch->listed, g_strdup(dir));
        g_autoptr(GPtrArray) entries = core_browse_list_path(ctx, dir, NULL);
        for (guint i = 0; entries && i < entries->len; i++) {
                const CoreEntry *e = g_ptr_array_index(entries, i);
                if (!e->name || !strcmp(e->name, ".") || !strcmp(e->name, ".."))
                        continue;
                g_autofree char *path = *dir ? g_build_path("/", dir, e->name, NULL) : g_strdup(e->name);
                core_batch_remote_taken(batch, path, e->size, e->mtime, e->type == CORE_ENTRY_DIR);
        }
}

const CoreRemoteInfo *core_batch_remote_info(CoreContext *ctx, CoreBatch *batch, const char *path)
{
        ensure_tables(batch);
        if (!path)
                return NULL;
        const CoreRemoteInfo *known = g_hash_table_lookup(batch->remote, path);
        if (known)
                return known;
        g_autofree char *dir = parent_of(path);
        if (g_hash_table_contains(batch->listed, dir))
                return NULL;
        learn_directory(ctx, batch, dir);
        return g_hash_table_lookup(batch->remote, path);
}
