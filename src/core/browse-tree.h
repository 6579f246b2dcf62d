/* core/browse-tree.h — listings of any remote directory, and of a remote tree as its files, for
 * the TUI's transfers (what exists before an upload; a directory downloaded file by file), and
 * the remote directories of an uploaded tree that no file made.
 * Must not: print, prompt, or call curses. */
#pragma once
#include <glib.h>
#include "core/context.h"
#include "core/entry.h"

/* One regular file of a remote tree, or one directory with no regular file below it. */
typedef struct {
        char *path;    /* relative to the tree's root, "sub/name" */
        gint64 size;   /* -1 unknown */
        gint64 mtime;  /* -1 unknown */
        gboolean is_dir;
} CoreTreeFile;
void core_tree_file_free(gpointer file);

/* Lists `path` (NULL or "": the current directory) on the worker thread. CoreEntry*,
 * transfer full; NULL with error when the listing failed (a missing directory, too). */
GPtrArray *core_browse_list_path(CoreContext *ctx, const char *path, GError **error);
/* Every regular file below remote_dir, and every directory below it with no regular file
 * inside (depth 32; symbolic links and names unsafe as local path components are left out, the
 * latter counted in *unsafe), sorted by path. CoreTreeFile*, transfer full; NULL with error
 * when a listing failed. */
GPtrArray *core_browse_tree(CoreContext *ctx, const char *remote_dir, guint *unsafe, GError **error);

/* Makes each remote directory of `dirs` (char*, relative to the current directory or absolute)
 * and its parents on the worker thread; one that exists already is fine. FALSE with error when
 * the connection failed or a cancel came. */
gboolean core_browse_make_dirs(CoreContext *ctx, GPtrArray *dirs, GError **error);
