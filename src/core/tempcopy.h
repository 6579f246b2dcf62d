/* core/tempcopy.h — a remote file copied into a private temporary directory, for the full
 * screen's F3 (view) and F4 (edit): fetched through the batch and download path every get takes
 * (core/batch.h, core/download.c), compared after an edit by content, sent back through the
 * scanner as every upload is (core/queue-upload.c), and removed with its directory.
 * Must not: run programs or ask questions (the front end does); runs on the command thread. */
#pragma once
#include <glib.h>
#include "core/context.h"
#include "core/queue.h"

/* A copy larger than this is fetched only after the user said yes. */
#define CORE_TEMP_COPY_ASK_SIZE (G_GINT64_CONSTANT(64) * 1024 * 1024)

typedef struct {
        char *dir;            /* the private directory (0700) that holds the copy */
        char *path;           /* the copy, dir/<the remote base name> */
        char *remote;         /* the remote path it came from (and goes back to) */
        char *shown;          /* the remote path, escaped for messages */
        gint64 size;          /* as fetched */
        guint8 digest[32];    /* SHA-256 as fetched */
} CoreTempCopy;

/* Where private directories are made: ctx->tmpdir when set, else $XDG_RUNTIME_DIR when it is a
 * directory, else the system's temporary directory. transfer full */
char *core_temp_copy_parent(CoreContext *ctx);
/* Fetches `remote` (size and mtime from the listing, -1 unknown) as a job of `queue` into a new
 * private directory. NULL with error when it could not be (the directory is gone again). */
CoreTempCopy *core_temp_copy_fetch(CoreContext *ctx, CoreQueue *queue, const char *remote, gint64 size,
                                   gint64 mtime, GError **error);
/* Whether the copy's content differs from what was fetched (size, then SHA-256; its time alone
 * does not count). FALSE with error when it cannot be read. */
gboolean core_temp_copy_changed(const CoreTempCopy *copy, gboolean *changed, GError **error);
/* Uploads the copy back onto its remote path, as a job of `queue`: snapshot, scan, upload and
 * the server's check as for F5, replacing the server's file without a conflict question (the
 * caller asked). Returns the job's final state (CORE_JOB_DONE: stored; CORE_JOB_INFECTED or
 * CORE_JOB_REFUSED: the scanner refused it, nothing was sent). */
CoreJobState core_temp_copy_send(CoreContext *ctx, CoreQueue *queue, const CoreTempCopy *copy);
/* Removes the copy, its directory and whatever an editor left there (swap or backup files). */
void core_temp_copy_free(CoreTempCopy *copy);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreTempCopy, core_temp_copy_free)
