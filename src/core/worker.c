/* core/worker.c — the FTP worker thread: one GThread owning one FtpSession, fed by a job queue.
 * Owns: the thread, its GAsyncQueue, the cancel eventfd (drained before each job), the idle
 * keep-alive NOOP (timed to the exact remaining interval), QUIT on shutdown.
 * Must not: prompt, print, or touch local files; jobs carry everything they need. */
#include "core/worker.h"

#include <errno.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "common/i18n.h"

#define DEFAULT_KEEPALIVE_S 60

typedef enum {
        JOB_RUN,   /* a CoreWorkerFunc */
        JOB_WAKE,  /* re-read the settings (keep-alive changed) */
        JOB_QUIT,  /* QUIT when connected, then leave the loop */
} JobKind;

/* The caller of core_worker_run() waits on this. */
typedef struct {
        GMutex lock;
        GCond cond;
        gboolean finished;
        gboolean ok;
        GError *error;
} JobWait;

typedef struct {
        JobKind kind;
        guint id;
        guint generation;      /* the cancel generation when queued: older ones are dropped */
        CoreWorkerFunc func;
        gpointer data;
        GDestroyNotify free_data;
        CoreWorkerDone done;
        JobWait *wait;         /* core_worker_run(): owned by the waiting caller */
} Job;

struct CoreWorker {
        GThread *thread;
        GAsyncQueue *queue;    /* Job* */
        FtpSession *session;   /* touched only on the worker thread once it runs */
        int cancel_fd;         /* eventfd: readable while a cancel is pending */
        gint next_id;          /* atomic */
        guint generation;      /* atomic: bumped by every cancel */
        guint keepalive_s;     /* atomic */
        GMutex followers_lock; /* guards the followers and the cancel hook */
        GPtrArray *followers;  /* CoreWorker*: cancelled with this one (not owned) */
        void (*cancel_hook)(gpointer data); /* told of every cancel, or NULL */
        gpointer cancel_hook_data;
};

static void job_free(Job *job)
{
        if (job->free_data != NULL && job->data != NULL)
                job->free_data(job->data);
        g_free(job);
}

static void drain_cancel(CoreWorker *worker)
{
        uint64_t count;
        while (read(worker->cancel_fd, &count, sizeof count) > 0)
                ; /* non-blocking: stops at EAGAIN */
}

/* Hands the result to whoever waits for it: the blocked caller, or the done callback. */
static void job_finish(Job *job, gboolean ok, GError *error)
{
        if (job->wait != NULL) {
                JobWait *wait = job->wait;
                g_mutex_lock(&wait->lock);
                wait->ok = ok;
                wait->error = error;
                wait->finished = TRUE;
                g_cond_signal(&wait->cond);
                g_mutex_unlock(&wait->lock);
                job_free(job);
                return;
        }
        if (job->done != NULL)
                job->done(job->id, ok, error, job->data);
        g_clear_error(&error);
        job_free(job);
}

static void job_run(CoreWorker *worker, Job *job)
{
        drain_cancel(worker); /* a cancel of an earlier job must not kill this one */
        if (job->generation != (guint)g_atomic_int_get(&worker->generation)) {
                GError *error = g_error_new_literal(FTP_ERROR, FTP_ERROR_CANCELLED,
                                                    _("Cancelled before it started."));
                job_finish(job, FALSE, error);
                return;
        }
        GError *error = NULL;
        gboolean ok = job->func(worker->session, job->data, &error);
        if (!ok && error == NULL)
                error = g_error_new_literal(FTP_ERROR, FTP_ERROR_PROTOCOL, _("The command failed."));
        if (ok)
                g_clear_error(&error);
        job_finish(job, ok, error);
}

static void keepalive_noop(CoreWorker *worker)
{
        drain_cancel(worker);
        g_autoptr(GError) error = NULL;
        /* A failed NOOP (421, dropped connection) leaves the session marked closed; the next
         * command reports that to the user, nobody is waiting now. */
        (void)ftp_session_noop(worker->session, &error);
}

/* The next job, or NULL when the keep-alive interval ran out first. */
static Job *next_job(CoreWorker *worker, gint64 *idle_since)
{
        guint keepalive = (guint)g_atomic_int_get(&worker->keepalive_s);
        if (keepalive == 0 || !ftp_session_is_logged_in(worker->session))
                return g_async_queue_pop(worker->queue);
        gint64 due = *idle_since + (gint64)keepalive * G_USEC_PER_SEC;
        gint64 now = g_get_monotonic_time();
        if (now < due) {
                Job *job = g_async_queue_timeout_pop(worker->queue, (guint64)(due - now));
                if (job != NULL)
                        return job;
                if (g_get_monotonic_time() < due)
                        return NULL; /* spurious early return: recompute */
        }
        keepalive_noop(worker);
        *idle_since = g_get_monotonic_time();
        return NULL;
}

static gpointer worker_main(gpointer data)
{
        CoreWorker *worker = data;
        gint64 idle_since = g_get_monotonic_time();
        for (;;) {
                Job *job = next_job(worker, &idle_since);
                if (job == NULL)
                        continue;
                switch (job->kind) {
                case JOB_WAKE:
                        job_free(job);
                        break;
                case JOB_QUIT:
                        drain_cancel(worker);
                        if (ftp_session_is_connected(worker->session))
                                ftp_session_quit(worker->session);
                        job_free(job);
                        return NULL;
                case JOB_RUN:
                        job_run(worker, job);
                        break;
                }
                idle_since = g_get_monotonic_time();
        }
}

CoreWorker *core_worker_new(FtpRateLimits *limits)
{
        CoreWorker *worker = g_new0(CoreWorker, 1);
        worker->cancel_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (worker->cancel_fd < 0)
                g_error("eventfd: %s", g_strerror(errno)); /* out of descriptors at start-up */
        worker->queue = g_async_queue_new();
        worker->session = ftp_session_new();
        ftp_session_set_cancel_fd(worker->session, worker->cancel_fd);
        ftp_session_set_rate_limits(worker->session, limits); /* before its thread starts */
        worker->keepalive_s = DEFAULT_KEEPALIVE_S;
        g_mutex_init(&worker->followers_lock);
        worker->followers = g_ptr_array_new();
        worker->thread = g_thread_new("ftp-worker", worker_main, worker);
        return worker;
}

static void push(CoreWorker *worker, Job *job)
{
        job->generation = (guint)g_atomic_int_get(&worker->generation);
        g_async_queue_push(worker->queue, job);
}

void core_worker_free(CoreWorker *worker)
{
        if (worker == NULL)
                return;
        core_worker_cancel(worker);
        Job *quit = g_new0(Job, 1);
        quit->kind = JOB_QUIT;
        push(worker, quit);
        g_thread_join(worker->thread);
        /* Anything queued after the QUIT never ran: tell its owner. */
        Job *job;
        while ((job = g_async_queue_try_pop(worker->queue)) != NULL) {
                if (job->kind != JOB_RUN) {
                        job_free(job);
                        continue;
                }
                job_finish(job, FALSE, g_error_new_literal(FTP_ERROR, FTP_ERROR_CANCELLED,
                                                           _("The connection was closed.")));
        }
        g_async_queue_unref(worker->queue);
        ftp_session_free(worker->session);
        close(worker->cancel_fd);
        g_ptr_array_unref(worker->followers);
        g_mutex_clear(&worker->followers_lock);
        g_free(worker);
}

gboolean core_worker_run(CoreWorker *worker, CoreWorkerFunc func, gpointer data, GError **error)
{
        g_return_val_if_fail(worker != NULL && func != NULL, FALSE);
        g_return_val_if_fail(g_thread_self() != worker->thread, FALSE); /* would deadlock */
        JobWait wait = { 0 };
        g_mutex_init(&wait.lock);
        g_cond_init(&wait.cond);
        Job *job = g_new0(Job, 1);
        job->kind = JOB_RUN;
        job->id = (guint)g_atomic_int_add(&worker->next_id, 1) + 1;
        job->func = func;
        job->data = data;
        job->wait = &wait;
        push(worker, job);

        g_mutex_lock(&wait.lock);
        while (!wait.finished)
                g_cond_wait(&wait.cond, &wait.lock);
        g_mutex_unlock(&wait.lock);
        g_mutex_clear(&wait.lock);
        g_cond_clear(&wait.cond);
        if (wait.error != NULL)
                g_propagate_error(error, wait.error);
        return wait.ok;
}

guint core_worker_submit(CoreWorker *worker, CoreWorkerFunc func, gpointer data,
                         GDestroyNotify free_data, CoreWorkerDone done)
{
        g_return_val_if_fail(worker != NULL && func != NULL, 0);
        Job *job = g_new0(Job, 1);
        job->kind = JOB_RUN;
        job->id = (guint)g_atomic_int_add(&worker->next_id, 1) + 1;
        job->func = func;
        job->data = data;
        job->free_data = free_data;
        job->done = done;
        guint id = job->id;
        push(worker, job);
        return id;
}

void core_worker_cancel(CoreWorker *worker)
{
        core_worker_cancel_job(worker);
        g_mutex_lock(&worker->followers_lock);
        for (guint i = 0; i < worker->followers->len; i++)
                core_worker_cancel(g_ptr_array_index(worker->followers, i));
        if (worker->cancel_hook)
                worker->cancel_hook(worker->cancel_hook_data);
        g_mutex_unlock(&worker->followers_lock);
}

void core_worker_set_cancel_hook(CoreWorker *worker, void (*hook)(gpointer data), gpointer data)
{
        g_mutex_lock(&worker->followers_lock);
        worker->cancel_hook = hook;
        worker->cancel_hook_data = data;
        g_mutex_unlock(&worker->followers_lock);
}

void core_worker_cancel_job(CoreWorker *worker)
{
        g_return_if_fail(worker != NULL);
        /* Bump the generation first: a job queued before this call is dropped unrun, even if the
         * worker drains the eventfd just before looking at it. */
        g_atomic_int_inc(&worker->generation);
        uint64_t one = 1;
        /* The only possible failure is EAGAIN (counter full): a cancel is pending anyway. */
        (void)!write(worker->cancel_fd, &one, sizeof one);
}

void core_worker_link_cancel(CoreWorker *leader, CoreWorker *follower)
{
        g_return_if_fail(leader != NULL && follower != NULL && leader != follower);
        g_mutex_lock(&leader->followers_lock);
        g_ptr_array_add(leader->followers, follower);
        g_mutex_unlock(&leader->followers_lock);
}

void core_worker_unlink_cancel(CoreWorker *leader, CoreWorker *follower)
{
        g_return_if_fail(leader != NULL);
        g_mutex_lock(&leader->followers_lock);
        g_ptr_array_remove(leader->followers, follower);
        g_mutex_unlock(&leader->followers_lock);
}

void core_worker_set_keepalive(CoreWorker *worker, guint seconds)
{
        g_return_if_fail(worker != NULL);
        g_atomic_int_set(&worker->keepalive_s, seconds);
        Job *wake = g_new0(Job, 1);
        wake->kind = JOB_WAKE;
        push(worker, wake);
}
