/* core/transfer-private.h — what upload.c, download.c and the TUI queue's runner share.
 * Owns: progress glue, remote path helpers, the "stop the whole command?" rule, the per-command
 * answer to yes/no/all/quit questions, creating remote parents. Must not: be included outside
 * src/core/. */
#pragma once
#include <glib.h>
#include "core/context.h"
#include "scan/client.h"
#include "scan/snapshot.h"

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

/* FALSE with CORE_TRANSFER_ERROR_NO_SCANNER (saying how to set one) when no scanner is
 * configured: nothing may be uploaded then. */
gboolean core_transfer_check_scanner(CoreContext *ctx, GError **error);
/* The remote path `put` and `reput` give a local file: an explicit remote is used as given (one
 * ending in '/' names a directory to put it in); none: core_transfer_remote_name_for(). */
char *core_transfer_put_target(const char *local, const char *remote); /* transfer full */
/* The start of every single upload: a snapshot of `local`, its verdict (*verdict, never NULL on
 * success, its path `local`) and the verdict's audit record. NULL with error when no snapshot
 * could be taken (the audit log gets an ERROR verdict of class "local" for it all the same). */
ScanSnapshot *core_transfer_snapshot_scan(CoreContext *ctx, const char *local, ScanVerdict **verdict,
                                          GError **error);

/* upload-resume.c, on a worker, for an upload cut by a lost connection (binary type): when the
 * server holds a prefix of the snapshot (by SIZE: more than 0, less than all), only the rest is
 * sent (REST+STOR, or APPE) and SIZE must then be the snapshot's; otherwise the whole snapshot
 * goes again with STOR. *offset: the first byte sent. `complete_ok` (a resumed queue's job): a
 * server copy as large as the snapshot is left for the caller to verify, and nothing is sent
 * (*offset: the size). */
gboolean core_upload_go_on(FtpSession *session, const ScanSnapshot *snapshot, const char *remote,
                           FtpProgressFunc progress, gpointer progress_data, gboolean complete_ok, gint64 *offset,
                           GError **error);

/* upload-verify.c: how the server's copy of an upload was checked. */
typedef struct {
        char *method;   /* "HASH SHA-256", "XSHA256", "SIZE", "none" */
        char *remote;   /* what the server said (a digest, a size), NULL: nothing */
        char *local;    /* the same of the snapshot */
        int match;      /* 1, 0, -1: nothing to compare */
} CoreVerify;
void core_verify_clear(CoreVerify *verify);
/* On a worker, right after `snapshot` was stored as `remote`: the strongest digest the server
 * tells, computed here from the snapshot, else SIZE, else nothing ("none"; also in ASCII type).
 * FALSE with error only when the connection failed. */
gboolean core_upload_verify(FtpSession *session, const ScanSnapshot *snapshot, const char *remote, FtpType type,
                            CoreVerify *verify, GError **error);
/* CORE_TRANSFER_ERROR_VERIFY for a copy that did not match (it was deleted). */
void core_verify_mismatch_error(const CoreVerify *verify, const char *remote, GError **error);

/* TRUE for errors after which the next file cannot fare better (cancelled, connection gone). */
gboolean core_transfer_error_is_fatal(const GError *error);

/* The user's answers within one command: "all" sticks, "quit" stops the command. */
typedef struct {
        gboolean all;
        gboolean quit;
} CoreAsker;
/* TRUE to go ahead. Asks only while ctx->prompt is on (and the front end can ask). */
gboolean core_asker_confirm(CoreContext *ctx, CoreAsker *asker, const char *question);
