/* core/browse-tree.h — listings of any remote directory for transfers (what exists before an
 * upload; the directories a download batch walks), and the remote directories of an uploaded
 * tree that no file made.
 * Must not: print, prompt, or call curses. */
#pragma once
#include <glib.h>
#include "core/context.h"
#include "core/entry.h"

/* Lists `path` (NULL or "": the current directory) on the worker thread: MLSD or LIST, NLST names
 * (as files) when the server refuses both. CoreEntry*, transfer full, names as the server sent
 * them (unchecked); NULL with error when the listing failed (a missing directory, too). */
GPtrArray *core_browse_list_path(CoreContext *ctx, const char *path, GError **error);
/* Makes each remote directory of `dirs` (char*, relative to the current directory or absolute)
 * and its parents on the worker thread; one that exists already is fine. `known` (a char* set,
 * or NULL): directories known to exist, skipped, and where the ones made are added. FALSE with
 * error when the connection failed or a cancel came. */
gboolean core_browse_make_dirs(CoreContext *ctx, GPtrArray *dirs, GHashTable *known, GError **error);
