/* core/download.h — a batch's downloads (core/batch.h): each file job of a queue fetched through
 * core/download.c (a `.part` under a directory descriptor, resume, the overwrite question), the
 * jobs spread over up to ctx->parallel connections when the batch has several files.
 * Must not: find files or ask about conflicts (the batch did both); runs on the command thread. */
#pragma once
#include <glib.h>
#include "core/context.h"
#include "core/queue.h"
#include "core/queue-run.h"

typedef struct CoreDownload CoreDownload;

/* For `files` jobs of `queue` (`bytes` in all, 0: unknown): one connection for one file, else up
 * to `parallel` (0: ctx->parallel). Cancelling the whole queue interrupts every connection. */
CoreDownload *core_download_new(CoreContext *ctx, CoreQueue *queue, guint files, guint64 bytes, guint parallel);
/* Waits for every job started, then closes the extra connections. */
void core_download_free(CoreDownload *dl);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreDownload, core_download_free)

/* Starts job `id`: its remote path into its local path. base NULL: a job of its own (local NULL:
 * here under the remote base name; an existing directory: into it; else the new file's path);
 * else the local root of the tree the job is a file of (each directory between is opened, or
 * made, without following a symlink). size: from a listing, or -1 (the server is asked).
 * mtime: the server's modification time to the second (MLSD), or -1 (MDTM is asked after the
 * transfer when the server offers it); the file keeps it. replace: what the user answered about
 * an existing local file (ASK: the core asks while `prompt` is on). The job's state is set when
 * it ends, maybe after this returns. */
void core_download_start(CoreDownload *dl, guint id, const char *base, gint64 size, gint64 mtime,
                         CoreQueueReplace replace);

/* Where a download job's file lands: its local path when that names no directory, else the
 * remote base name inside it (local NULL: the current directory). transfer full */
char *core_download_target(const char *local, const char *remote);
