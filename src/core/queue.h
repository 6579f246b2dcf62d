/* core/queue.h — the transfer queue as a model: every upload and download the user asked for is
 * a job with an id and a state, its bytes, a smoothed rate and an ETA. The command thread and the
 * FTP worker update it; the TUI's queue view and status bar read copies of it.
 * Owns: job ids, states and the transitions between them, progress samples (a 10-sample window),
 * cancel requests, and which job holds the worker. Thread-safe.
 * Must not: transfer, print, prompt or call curses (core/queue-run.c runs the jobs). */
#pragma once
#include <glib.h>
#include "core/worker.h"
#include "core/verdict.h"

typedef enum {
        CORE_JOB_UPLOAD,
        CORE_JOB_DOWNLOAD,
} CoreJobKind;

/* waiting → scanning (uploads) → transferring → one of the final states. A final state never
 * changes again; cancelled, failed and skipped may also follow waiting or scanning directly. */
typedef enum {
        CORE_JOB_WAITING,
        CORE_JOB_SCANNING,
        CORE_JOB_TRANSFERRING,  /* uploading or downloading, by kind */
        CORE_JOB_DONE,
        CORE_JOB_INFECTED,      /* detail: the signature; verdict: the scanner's */
        CORE_JOB_REFUSED,       /* the scanner gave no verdict; detail: why; verdict: the scanner's */
        CORE_JOB_FAILED,        /* detail: the reason */
        CORE_JOB_CANCELLED,
        CORE_JOB_SKIPPED,       /* the user said no (a conflict, a per-file question) */
} CoreJobState;

/* A copy of one job, for a reader. */
typedef struct {
        guint id;
        CoreJobKind kind;
        CoreJobState state;
        char *name;             /* as shown (escaped) */
        char *local;            /* local path, or directory for a pattern */
        char *remote;           /* remote path or pattern */
        char *current;          /* the file being moved now (a directory's or pattern's job), or NULL */
        guint64 done;           /* bytes */
        gint64 total;           /* -1 unknown */
        double rate;            /* bytes/s: smoothed while running, the average once finished; 0 unknown */
        gint64 eta;             /* seconds left, -1 unknown */
        char *detail;
        CoreVerdict *verdict;   /* infected or refused: the scanner's verdict (with its class), else NULL */
        gboolean cancel_requested;
        guint parent;           /* the group (a directory's job) this job belongs to, 0: none */
        gboolean group;         /* a directory's job: its files are jobs of their own */
        char *temp;             /* an upload's temporary remote name (temp-upload), or NULL */
        gboolean go_on;         /* a resumed upload: goes on after what the server holds */
} CoreJob;
void core_job_free(CoreJob *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreJob, core_job_free)
gboolean core_job_state_is_final(CoreJobState state);
/* "waiting", "scanning", "uploading", "downloading", "done", "INFECTED", … (translated). */
const char *core_job_state_label(CoreJobState state, CoreJobKind kind);

typedef struct CoreQueue CoreQueue;
/* Called after every change, outside the queue's lock, from the thread that made it.
 * progress_only: only bytes moved (callers may draw such changes less often). */
typedef void (*CoreQueueNotify)(gboolean progress_only, gpointer data);

CoreQueue *core_queue_new(void);
void core_queue_free(CoreQueue *queue);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreQueue, core_queue_free)
void core_queue_set_notify(CoreQueue *queue, CoreQueueNotify notify, gpointer data);

/* A new waiting job. Returns its id (> 0, increasing). */
guint core_queue_add(CoreQueue *queue, CoreJobKind kind, const char *name, const char *local,
                     const char *remote);
/* A new waiting job that belongs to the group `parent` (core_queue_begin_group): cancelling the
 * group cancels it. It starts cancelled when the group was cancelled already. */
guint core_queue_add_child(CoreQueue *queue, guint parent, CoreJobKind kind, const char *name,
                           const char *local, const char *remote);
/* The job becomes a group that is transferring (a directory whose files are its children). A
 * cancel of it cancels every child not finished — a running one as any job — and leaves the
 * group itself unfinished until its runner settles it with core_queue_set_state (so that it can
 * say how many files arrived). FALSE when the job is unknown, final or was cancelled. */
gboolean core_queue_begin_group(CoreQueue *queue, guint id);
/* Moves a job to `state` (detail: signature or reason, may be NULL). FALSE when the job is
 * unknown or already final (nothing changes). Entering a final state fixes the average rate. */
gboolean core_queue_set_state(CoreQueue *queue, guint id, CoreJobState state, const char *detail);
/* A job the scanner did not pass: INFECTED (detail: the signature) or REFUSED (detail: the
 * reason), with a copy of the verdict. OK changes nothing. Escapes what it shows. FALSE as
 * core_queue_set_state. */
gboolean core_queue_set_verdict(CoreQueue *queue, guint id, const CoreVerdict *verdict);
/* Changes where a job not yet started reads or writes (a rename chosen in a conflict); NULL
 * keeps a value. FALSE once the job has started or finished. */
gboolean core_queue_set_target(CoreQueue *queue, guint id, const char *name, const char *local,
                               const char *remote);
/* Bytes moved so far; a waiting or scanning job becomes transferring. Ignored once final. */
void core_queue_progress(CoreQueue *queue, guint id, guint64 done, gint64 total);
/* The same at a given monotonic time (µs), for tests. */
void core_queue_progress_at(CoreQueue *queue, guint id, guint64 done, gint64 total, gint64 now);
/* Progress of one file of a job (a directory's or a pattern's job moves several): `current`
 * names it; when it changes, the rate window starts again. */
void core_queue_progress_file(CoreQueue *queue, guint id, const char *current, guint64 done,
                              gint64 total);

/* The job takes the worker: a cancel of it from now on interrupts the worker. FALSE when the
 * job was cancelled meanwhile (it is then marked cancelled). */
gboolean core_queue_begin(CoreQueue *queue, guint id);
/* The same for a job run on `worker`, one of a batch's connections (core/spread.h): until
 * core_queue_end, a cancel of this job interrupts that worker. */
gboolean core_queue_begin_on(CoreQueue *queue, guint id, CoreWorker *worker);
/* The job no longer holds the worker. */
void core_queue_end(CoreQueue *queue, guint id);
guint core_queue_active(CoreQueue *queue); /* 0: none */

/* Cancels one job: a job not yet running is marked cancelled at once; the job holding the
 * worker has its transfer interrupted (core_worker_cancel; worker may be NULL in tests) and is
 * marked cancelled by whoever runs it. FALSE when the job is unknown or final. */
gboolean core_queue_cancel(CoreQueue *queue, guint id, CoreWorker *worker);
/* Cancels every job that is not final, and calls the stop hook. */
void core_queue_cancel_all(CoreQueue *queue, CoreWorker *worker);
/* While a runner waits on work the worker cannot interrupt (a scan in flight), it sets a hook
 * that core_queue_cancel_all calls with the queue's lock held: it must not block or call the
 * queue. NULL removes it. */
typedef void (*CoreQueueStopHook)(gpointer data);
void core_queue_set_stop_hook(CoreQueue *queue, CoreQueueStopHook hook, gpointer data);
/* Called for each job a cancel reaches that is not final yet (core_queue_cancel, _cancel_all),
 * with the queue's lock held: it must not block or call the queue. A runner drops there what the
 * worker cannot interrupt (the scan of that job). NULL removes it. */
typedef void (*CoreQueueCancelHook)(guint id, gpointer data);
void core_queue_set_cancel_hook(CoreQueue *queue, CoreQueueCancelHook hook, gpointer data);
gboolean core_queue_cancel_requested(CoreQueue *queue, guint id);

/* Called after a job changed state (not for bytes alone) or got its temporary name, with the
 * queue's lock held, from the thread that made the change: it must not block long or call the
 * queue. `job` is the queue's own, valid during the call. The journal listens here
 * (core/queue-journal.h). NULL removes it. */
typedef void (*CoreQueueStateHook)(const CoreJob *job, gpointer data);
void core_queue_set_state_hook(CoreQueue *queue, CoreQueueStateHook hook, gpointer data);
/* The temporary remote name an upload is stored under first (temp-upload): chosen by the run,
 * or set before it (a resumed queue goes on under the name it had). */
void core_queue_set_temp(CoreQueue *queue, guint id, const char *temp);
/* Before its run: the upload goes on after what the server holds (a resumed queue's job that
 * had started), rather than sending the whole file. */
void core_queue_set_go_on(CoreQueue *queue, guint id, gboolean go_on);

/* Copies of every job, oldest first, with rate and ETA as of now. CoreJob*, transfer full */
GPtrArray *core_queue_snapshot(CoreQueue *queue);
GPtrArray *core_queue_snapshot_at(CoreQueue *queue, gint64 now);
/* Copies of the jobs moving bytes now, oldest first: what a progress line shows, without
 * copying a long batch's waiting and finished jobs each time. */
GPtrArray *core_queue_snapshot_moving(CoreQueue *queue);
/* How many jobs the queue holds. */
guint core_queue_length(CoreQueue *queue);
/* Copies of at most `count` jobs from position `first` (oldest first): what a view of some rows
 * shows. CoreJob*, transfer full */
GPtrArray *core_queue_slice(CoreQueue *queue, guint first, guint count);
/* A copy of the oldest job in `state`, or NULL. transfer full */
CoreJob *core_queue_first_in(CoreQueue *queue, CoreJobState state);
/* A copy of one job (NULL: unknown). transfer full */
CoreJob *core_queue_get(CoreQueue *queue, guint id);
CoreJob *core_queue_get_at(CoreQueue *queue, guint id, gint64 now);
/* Forgets finished jobs; returns how many. */
guint core_queue_remove_finished(CoreQueue *queue);

typedef struct {
        guint waiting;    /* waiting or scanning */
        guint running;    /* transferring */
        guint done;
        guint done_uploads; /* of them, uploads */
        guint refused;    /* infected or refused */
        guint failed;
        guint cancelled;  /* cancelled or skipped */
} CoreQueueCounts;
void core_queue_counts(CoreQueue *queue, CoreQueueCounts *counts);
