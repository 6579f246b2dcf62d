/* core/queue-run.h — runs the transfer queue's jobs (core/queue.h) on the thread that runs
 * commands: uploads with the scanner working ahead, a resumed upload through core/transfer.h
 * (downloads: core/download.h). Each job's state, bytes and outcome land in the queue.
 * Owns: the order of scan and upload within a batch, which errors end a batch, the per-job
 * progress relay. Must not: ask the user about conflicts (the caller settled them first), call
 * curses, or upload a byte the scanner did not judge clean. */
#pragma once
#include <glib.h>
#include "core/context.h"
#include "core/queue.h"

/* Uploads the jobs `ids` (guint) in order. Each local file is snapshotted and scanned — the next
 * one while the current one is sent — and exactly that snapshot is uploaded, only on an OK
 * verdict, with an audit record. A job's remote path is relative to the server's current
 * directory (or absolute); missing parent directories are made. A cancelled job is skipped and
 * the batch goes on; a lost connection ends it. Returns how many jobs were done. */
guint core_queue_run_uploads(CoreContext *ctx, CoreQueue *queue, GArray *ids);
/* How a batch of uploads differs from the context's settings (mirror -R's own). */
typedef struct {
        gboolean temp_upload;   /* temporary names whatever ctx->temp_upload says */
        guint parallel;         /* connections, 0: ctx->parallel */
        GHashTable *known_dirs; /* remote directories known to exist (char* set, as the jobs' remote
                                 * paths name them): no MKD is sent for them; NULL: none known */
} CoreUploadRun;
guint core_queue_run_uploads_as(CoreContext *ctx, CoreQueue *queue, GArray *ids, const CoreUploadRun *how);
/* With temp-upload a file NAME is stored first as ".NAME.clamftp-" and six lower-case hex digits
 * beside its own name. For a name of exactly that form, NAME (transfer full); else NULL. */
char *core_upload_temp_name_base(const char *name);

/* One upload job resumed through core_transfer_reput (the whole file scanned, the rest sent);
 * when done its detail says where it resumed ("resumed from 400.0 kB") or that the server's
 * file was already complete. FALSE unless done. */
gboolean core_queue_run_reput(CoreContext *ctx, CoreQueue *queue, guint id);

/* What the user answered about a local file a download job would replace (core/download.h). */
typedef enum {
        CORE_QUEUE_REPLACE_ASK,        /* the core asks before replacing a local file */
        CORE_QUEUE_REPLACE_OVERWRITE,  /* the user already chose to replace it */
        CORE_QUEUE_REPLACE_RESUME,     /* go on from the end of the local file (it becomes the .part) */
} CoreQueueReplace;
