/* core/files.h — file operations on either side, for both front ends: line mode's commands
 * (mkdir, rmdir, delete, rename, cd, cdup, lcd) and the full screen's F6, F7, F8 and Enter call
 * these same functions. Each says what it did through ctx (core_say) and returns its failure.
 * Must not: prompt, or record failures for the exit status (the caller shows them: core_fail). */
#pragma once
#include <glib.h>
#include "core/context.h"

/* On the server, relative to its current directory. A refused command is FTP_ERROR with the
 * server's reply; before `open`, CORE_CMD_ERROR_NOT_CONNECTED. */
gboolean core_remote_mkdir(CoreContext *ctx, const char *path, GError **error);
gboolean core_remote_rmdir(CoreContext *ctx, const char *path, GError **error);
gboolean core_remote_delete(CoreContext *ctx, const char *path, GError **error);
gboolean core_remote_rename(CoreContext *ctx, const char *from, const char *to, GError **error);
/* Changes the server's directory and says where it is now. */
gboolean core_remote_cd(CoreContext *ctx, const char *path, GError **error);
gboolean core_remote_cdup(CoreContext *ctx, GError **error);

/* Whether `path` names an entry on the server: one listing of its directory. */
gboolean core_remote_exists(CoreContext *ctx, const char *path, gboolean *exists, GError **error);

/* A rename on either side that never replaces an entry silently: when `to` exists and
 * ctx->prompt is on, asks "Replace …?" first (only yes or all go on). FALSE without an error
 * when the user said no (said so) or `to` is `from`; FALSE with one when something failed. */
gboolean core_rename_checked(CoreContext *ctx, gboolean remote, const char *from, const char *to,
                             GError **error);

/* On this machine. Errors are G_FILE_ERROR, "<what> <name>: <reason>" with the name escaped. */
gboolean core_local_cd(CoreContext *ctx, const char *path, GError **error);
gboolean core_local_mkdir(CoreContext *ctx, const char *path, GError **error);
/* An empty directory (is_dir) or anything else; nothing is followed. */
gboolean core_local_delete(CoreContext *ctx, const char *path, gboolean is_dir, GError **error);
gboolean core_local_rename(CoreContext *ctx, const char *from, const char *to, GError **error);
