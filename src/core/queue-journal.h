/* core/queue-journal.h — a transfer queue tied to the journal (core/journal.h) while a batch runs
 * on it: each file job tracked is a record of the journal with absolute paths, and every change
 * the queue makes to it (started, its temporary name, a rename, its end) is written as it
 * happens, from whichever thread makes it.
 * Owns: the queue's state hook while attached; which of the queue's jobs are which records.
 * Must not: transfer, print or ask; a job cancelled or failed while quitting stays in the
 * journal (core_journal_set_quitting). */
#pragma once
#include <glib.h>
#include "core/context.h"
#include "core/journal.h"
#include "core/queue.h"

typedef struct CoreQueueJournal CoreQueueJournal;

/* Listens to `queue` for ctx->journal: jobs go to the server ctx is connected to now, relative
 * remote paths below `remote_cwd`. NULL when ctx keeps no journal. */
CoreQueueJournal *core_queue_journal_attach(CoreContext *ctx, CoreQueue *queue, const char *remote_cwd);
/* Records file job `id` of the queue (as it is now): a download of a tree lands below `base`
 * (NULL: a file of its own); size and mtime: the source's (-1 unknown). `resumed`: the record an
 * earlier run left (its id), kept instead of a new one. Jobs already final are left out. */
void core_queue_journal_track(CoreQueueJournal *qj, guint id, const char *base, gint64 size, gint64 mtime,
                              guint64 resumed);
/* Stops listening (the queue's hook is removed) and puts what was written on the disk. */
void core_queue_journal_detach(CoreQueueJournal *qj);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreQueueJournal, core_queue_journal_detach)

/* The server ctx is connected to, as the journal records it (never the password). */
void core_queue_journal_server(CoreContext *ctx, CoreJournalServer *server);
/* The remote directory the session is in (PWD when not known); NULL when it cannot be had.
 * transfer full */
char *core_queue_journal_remote_cwd(CoreContext *ctx);
