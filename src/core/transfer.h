/* core/transfer.h — uploads through the scanner, downloads into safe local files.
 * Owns: put/mput (snapshot → scan → upload the same snapshot, audit), get/mget (.part files,
 * resume, hostile-name checks, openat with O_NOFOLLOW), remote parent creation, recursion.
 * Must not: parse command lines or print directly (messages go through ctx->fe). */
#pragma once
#include <glib.h>
#include "core/context.h"

/* put <local> [remote]: a relative local path keeps its directories on the server (created as
 * needed); an absolute one is sent under its base name; an explicit remote path is used as given
 * (its parents created). Returns FALSE when the file was not uploaded (error set, or refused). */
gboolean core_transfer_put(CoreContext *ctx, const char *local, const char *remote, GError **error);
/* mput: paths already expanded, in order; asks per file while ctx->prompt is on. Scans run ahead
 * of uploads. Returns FALSE if any file was not uploaded. */
gboolean core_transfer_mput(CoreContext *ctx, GPtrArray *local_paths, GError **error);
/* get <remote> [local]: local NULL → base name in the current directory; an existing directory →
 * inside it; otherwise the new full path. Resumes a `.part` left by an earlier cut transfer. */
gboolean core_transfer_get(CoreContext *ctx, const char *remote, const char *local, GError **error);
/* mget: names or patterns (matched against the server's listing), directories fetched
 * recursively, into local_dir (NULL: current directory). */
gboolean core_transfer_mget(CoreContext *ctx, GPtrArray *remote_patterns, const char *local_dir,
                            GError **error);
