/* core/spread.h — runs the transfer jobs of one batch (mput, the TUI's upload batches) on up to N
 * connections to the same server: the main worker plus extra workers opened lazily, each logged
 * in like the main one (ftp_session_open_like), and closed (QUIT) when the batch ends.
 * Owns: which connection runs which job, opening and closing the extra connections, reconnecting
 * a connection lost under a job (up to ctx->reconnect tries, 1, 2, 4 … s apart, each connection on
 * its own; the job runs again once it is back, or on another connection), the "server accepted
 * only N connections" warning and the reconnect messages, the batch's table of remote directories
 * made. Must not: touch the context's tallies or connection state (the caller does, from each
 * job's end), or upload anything itself. */
#pragma once
#include <glib.h>
#include "core/context.h"
#include "core/worker.h"

typedef struct CoreSpread CoreSpread;

/* A job, on the worker thread of the connection that runs it (`worker`: that connection's, for a
 * cancel that must reach this job alone). FALSE with error on failure. */
typedef gboolean (*CoreSpreadFunc)(FtpSession *session, CoreWorker *worker, gpointer data, GError **error);
/* A job's end, on the thread that calls core_spread_submit/_wait (the command thread). A job whose
 * connection died runs again once the connection is back (ctx->reconnect tries per loss; 0: an
 * extra connection's job runs once more on another connection, a main connection's fails). A
 * failure on an extra connection never says FTP_ERROR_CLOSED (the main connection is not gone);
 * FTP_ERROR_CLOSED means the main connection is gone for good and the batch ends. */
typedef void (*CoreSpreadDone)(gboolean ok, const GError *error, gpointer data);
/* Told, on the same thread, that a job's run was cut by its lost connection (`error`) and that it
 * will run again: its progress starts over (an upload's audit log records the cut attempt). */
typedef void (*CoreSpreadRetry)(const GError *error, gpointer data);

/* Opens an extra connection, on its worker thread (tests replace the FTP login). */
typedef gboolean (*CoreSpreadOpen)(FtpSession *session, gpointer open_data, GError **error);

/* Up to `connections` (1: the main worker alone). Takes the main session's login profile at once
 * (the main worker must be idle): extra connections and reconnects log in with it, into the
 * directory that was current then. ctx: the main worker, ctx->reconnect, and where the warnings
 * go. */
CoreSpread *core_spread_new(CoreContext *ctx, guint connections);
/* The same with another way to open extra connections and reconnect lost ones (open_data is not
 * owned; open NULL: no extra connection and no reconnect). */
CoreSpread *core_spread_new_full(CoreContext *ctx, guint connections, CoreSpreadOpen open,
                                 gpointer open_data);
/* The pause before the first try to reconnect (default 1000 ms; doubled for each next try, up to
 * 32 times it): tests shorten it. */
void core_spread_set_reconnect_pause(CoreSpread *spread, guint first_ms);
/* Hears of every job run again (NULL: nobody). */
void core_spread_set_retry(CoreSpread *spread, CoreSpreadRetry retry);
/* Waits for every job's end (core_spread_wait), then closes the extra connections. */
void core_spread_free(CoreSpread *spread);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreSpread, core_spread_free)

/* Queues a job and starts it on a free connection, opening another one when none is free. Blocks,
 * delivering other jobs' ends, while `connections` jobs are already unfinished (so a batch holds
 * at most that many snapshots here). `done` then free_data run once, on this thread. */
void core_spread_submit(CoreSpread *spread, CoreSpreadFunc func, gpointer data,
                        GDestroyNotify free_data, CoreSpreadDone done);
/* The number of jobs the caller will submit from now on (mput and upload batches know it) and
 * their bytes (0: unknown). With it, extra connections are opened only while at least two jobs,
 * or 2 MiB, are left per connection (each job one connection at most); without it (a recursive
 * download), whenever a job waits and no connection is free. */
void core_spread_expect(CoreSpread *spread, guint jobs, guint64 bytes);
/* Remote directories known to exist (a char* set, copied): core_spread_make_parents sends no MKD
 * for them. */
void core_spread_know_dirs(CoreSpread *spread, GHashTable *dirs);
/* Delivers ends until every submitted job has ended. */
void core_spread_wait(CoreSpread *spread);
/* Interrupts every running job and ends the queued ones with FTP_ERROR_CANCELLED; jobs submitted
 * later end the same way. Safe from any thread, does not block (a queue's stop hook). */
void core_spread_cancel(CoreSpread *spread);

/* On a job's worker: core_remote_make_parents with the batch's table, one connection at a time
 * (so two connections never race to make the same directory). */
gboolean core_spread_make_parents(CoreSpread *spread, FtpSession *session, const char *remote,
                                  GError **error);

/* Connections used so far (main included), for tests and messages. */
guint core_spread_connections(CoreSpread *spread);
