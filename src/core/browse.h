/* core/browse.h — what a file manager needs from the server beyond the line-mode commands: the
 * current remote directory as entries, for the TUI's right pane.
 * Owns: listing through the worker thread. Must not: print, prompt, or call curses. */
#pragma once
#include <glib.h>
#include "core/context.h"
#include "core/entry.h"

/* Lists the server's current directory (MLSD when offered, else parsed LIST) on the worker
 * thread. *entries: CoreEntry*, transfer full; *cwd: the directory's path (transfer full; "?"
 * when the server never said). FALSE with error when not connected or the listing failed. */
gboolean core_browse_list(CoreContext *ctx, GPtrArray **entries, char **cwd, GError **error);

/* The current directory listed on the worker thread without waiting for it (queued behind the
 * worker's running job): done(entries CoreEntry* transfer full or NULL, cwd transfer full or
 * NULL, data) is called on the worker thread. For a pane that refreshes while a batch runs. */
typedef void (*CoreBrowseDone)(GPtrArray *entries, char *cwd, gpointer data);
void core_browse_list_async(CoreContext *ctx, CoreBrowseDone done, gpointer data);
