/* core/files.h — file operations on either side, for both front ends: line mode's commands
 * (mkdir, rmdir, delete, rename, cd, cdup, lcd) and the full screen's F6, F7, F8 and Enter call
 * these same functions. Each says what it did through ctx (core_say) and returns its failure.
 * Must not: prompt, or record failures for the exit status (the caller shows them: core_fail). */
#pragma once
#include <glib.h>
#include "core/context.h"
#include "core/verdict.h"

/* On the server, relative to its current directory. A refused command is FTP_ERROR with the
 * server's reply; before `open`, CORE_CMD_ERROR_NOT_CONNECTED. */
gboolean core_remote_mkdir(CoreContext *ctx, const char *path, GError **error);
gboolean core_remote_rmdir(CoreContext *ctx, const char *path, GError **error);
gboolean core_remote_delete(CoreContext *ctx, const char *path, GError **error);
gboolean core_remote_rename(CoreContext *ctx, const char *from, const char *to, GError **error);
/* chmod: SPEC in octal or symbolic (core/mode.h: a symbolic one needs the current mode, from the
 * listing of the entry's directory on the server, from lstat here). Says the mode it set. */
gboolean core_remote_chmod(CoreContext *ctx, const char *spec, const char *path, GError **error);
gboolean core_local_chmod(CoreContext *ctx, const char *spec, const char *path, GError **error);
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

/* A directory to delete with everything below it (delete-tree.c): planned first, so that the
 * question can say how many entries go, then run children first. Links are deleted, never
 * entered; a server's name that is not one plain path component is left alone. */
typedef struct CoreDeletePlan CoreDeletePlan;
CoreDeletePlan *core_delete_plan(CoreContext *ctx, gboolean remote, const char *dir, GError **error);
void core_delete_plan_free(CoreDeletePlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreDeletePlan, core_delete_plan_free)
/* Plans, asks "Delete x and the N entries below it?" while ctx->prompt is on and something is
 * below it, then runs: line mode's `delete -r`. FALSE without an error when the user said no. */
gboolean core_delete_tree_asking(CoreContext *ctx, gboolean remote, const char *dir, GError **error);
/* Entries below the directory (itself not counted). */
guint core_delete_plan_count(const CoreDeletePlan *plan);
/* Deletes what the plan holds, going on past a failure (not past a lost connection or a
 * cancel); says what it deleted. FALSE with an error naming how many failed and the first. */
gboolean core_delete_plan_run(CoreContext *ctx, const CoreDeletePlan *plan, GError **error);

/* Scans one local file without uploading it (`scan`, F2): snapshot, verdict, audit record, the
 * message, `status`'s last answer, a refusal for the exit status. NULL when no snapshot could be
 * taken (shown and recorded as a failure already). transfer full */
CoreVerdict *core_scan_local(CoreContext *ctx, const char *path);

/* On this machine. Errors are G_FILE_ERROR, "<what> <name>: <reason>" with the name escaped. */
gboolean core_local_cd(CoreContext *ctx, const char *path, GError **error);
gboolean core_local_mkdir(CoreContext *ctx, const char *path, GError **error);
/* An empty directory (is_dir) or anything else; nothing is followed. */
gboolean core_local_delete(CoreContext *ctx, const char *path, gboolean is_dir, GError **error);
gboolean core_local_rename(CoreContext *ctx, const char *from, const char *to, GError **error);
