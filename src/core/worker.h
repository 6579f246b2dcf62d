/* core/worker.h — the FTP worker thread: it alone owns the FtpSession and runs jobs on it.
 * Owns: the thread, its job queue, the cancel eventfd, the idle NOOP keep-alive.
 * Must not: prompt, print, or touch local files (jobs carry what they need). */
#pragma once
#include <glib.h>
#include "ftp/session.h"

typedef struct CoreWorker CoreWorker;
/* A job: runs on the worker thread with the session. Return FALSE and set error on failure. */
typedef gboolean (*CoreWorkerFunc)(FtpSession *session, gpointer data, GError **error);

/* `limits`: the speed limits its session's transfers keep (shared; NULL: none). */
CoreWorker *core_worker_new(FtpRateLimits *limits);
void core_worker_free(CoreWorker *worker); /* cancels, sends QUIT if connected, joins */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreWorker, core_worker_free)

/* Runs func on the worker thread and blocks the caller until it returns. */
gboolean core_worker_run(CoreWorker *worker, CoreWorkerFunc func, gpointer data, GError **error);
/* Queues func and returns at once; `done` is called on the worker thread with the result.
 * Returns the job id (> 0). */
typedef void (*CoreWorkerDone)(guint job_id, gboolean ok, const GError *error, gpointer data);
guint core_worker_submit(CoreWorker *worker, CoreWorkerFunc func, gpointer data,
                         GDestroyNotify free_data, CoreWorkerDone done);
/* Interrupts the running job (its waits end with FTP_ERROR_CANCELLED; transfers send ABOR) and
 * drops queued ones. Safe from any thread. */
void core_worker_cancel(CoreWorker *worker);
/* The same, but only this worker's job: linked followers go on. */
void core_worker_cancel_job(CoreWorker *worker);
/* While linked, a cancel of `leader` also cancels `follower` (a batch's extra connections follow
 * the main one, so that Ctrl-C and cancel-all reach them). Unlink before freeing either. */
void core_worker_link_cancel(CoreWorker *leader, CoreWorker *follower);
void core_worker_unlink_cancel(CoreWorker *leader, CoreWorker *follower);
/* Until set to NULL, a cancel of the worker also calls hook(data) (from the cancelling thread,
 * under a lock: it must not block, nor cancel this worker): work the worker does not run, such
 * as a scan waiting for a scanner, ends with the command (Ctrl-C). One hook at a time. */
void core_worker_set_cancel_hook(CoreWorker *worker, void (*hook)(gpointer data), gpointer data);
/* Seconds of idleness before a keep-alive NOOP (0: never). Default 60. */
void core_worker_set_keepalive(CoreWorker *worker, guint seconds);
