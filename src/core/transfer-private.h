/* core/transfer-private.h — what upload.c, download.c and the TUI queue's runner share.
 * Owns: progress glue, remote path helpers, the "stop the whole command?" rule, the per-command
 * answer to yes/no/all/quit questions, creating remote parents. Must not: be included outside
 * src/core/. */
#pragma once
#include <glib.h>
#include "core/context.h"

/* Progress of one file, passed to the FtpSession's progress callback (runs on the worker). */
typedef struct {
        CoreContext *ctx;
        const char *name; /* as shown (escaped) */
} CoreProgress;
void core_transfer_progress(guint64 done, gint64 total, gpointer data);

/* "dir/name" (dir NULL or "": name alone). transfer full */
char *core_remote_join(const char *dir, const char *name);
/* The last component of a remote path ("a/b/" → "b"). transfer full */
char *core_remote_basename(const char *path);
/* On the worker: MKD each parent of `remote` not in `made` (and records it there). A refused MKD
 * is fine: the directory usually exists already, and STOR reports it if not. */
gboolean core_remote_make_parents(FtpSession *session, const char *remote, GHashTable *made,
                                  GError **error);

/* TRUE for errors after which the next file cannot fare better (cancelled, connection gone). */
gboolean core_transfer_error_is_fatal(const GError *error);

/* The user's answers within one command: "all" sticks, "quit" stops the command. */
typedef struct {
        gboolean all;
        gboolean quit;
} CoreAsker;
/* TRUE to go ahead. Asks only while ctx->prompt is on (and the front end can ask). */
gboolean core_asker_confirm(CoreContext *ctx, CoreAsker *asker, const char *question);
