/* core/batch-remote.c — what a batch knows of the server: each remote directory listed at most
 * once per batch (mget's patterns and trees, the conflict question of uploads), and what exists
 * where an upload writes: the entries the front end gave (the TUI's remote pane, for F5), else
 * the listing of the directory a job writes into.
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
        if (!batch->listings)
                batch->listings = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify)g_ptr_array_unref);
}

void core_batch_remote_set_listing(CoreBatch *batch, const char *dir, GPtrArray *entries)
{
        ensure_tables(batch);
        g_hash_table_replace(batch->listings, g_strdup(dir ? dir : ""), entries);
}

GPtrArray *core_batch_remote_list(CoreContext *ctx, CoreBatch *batch, const char *dir, GError **error)
{
        ensure_tables(batch);
        const char *key = dir ? dir : "";
        GPtrArray *entries = g_hash_table_lookup(batch->listings, key);
        if (entries)
                return entries;
        entries = core_browse_list_path(ctx, key, error);
        if (entries)
                g_hash_table_insert(batch->listings, g_strdup(key), entries);
        return entries;
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
        GPtrArray *entries = core_batch_remote_list(ctx, batch, dir, NULL);
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
