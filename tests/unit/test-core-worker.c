/* tests/unit/test-core-worker.c — the FTP worker thread: blocking runs, submitted jobs and their
 * ids, cancel (drops queued jobs, interrupts a wait, never kills the next job), the idle
 * keep-alive NOOP, and QUIT on free. Servers are scripted on loopback (tests/integration).
 * Must not: sleep a fixed time; every wait polls a condition with a deadline. */
#include <glib.h>
#include <string.h>

#include "core/worker.h"
#include "../integration/scripted-ftpd.h"

#define DEADLINE_US (5 * G_USEC_PER_SEC)

/* ---- jobs ---- */

static gboolean record_thread_job(FtpSession *session, gpointer data, GError **error)
{
        *(GThread **)data = g_thread_self();
        return TRUE;
}

static gboolean failing_job(FtpSession *session, gpointer data, GError **error)
{
        g_set_error_literal(error, FTP_ERROR, FTP_ERROR_REFUSED, "refused on purpose");
        return FALSE;
}

static void test_run_blocks_on_worker_thread(void)
{
        g_autoptr(CoreWorker) worker = core_worker_new(NULL);
        GThread *ran_on = NULL;
        g_autoptr(GError) error = NULL;
        g_assert_true(core_worker_run(worker, record_thread_job, &ran_on, &error));
        g_assert_no_error(error);
        g_assert_nonnull(ran_on);                   /* it ran before run() returned */
        g_assert_true(ran_on != g_thread_self());   /* and not on the caller's thread */

        g_assert_false(core_worker_run(worker, failing_job, NULL, &error));
        g_assert_error(error, FTP_ERROR, FTP_ERROR_REFUSED);
}

/* A job that waits until the test opens the gate: it holds the worker busy. */
typedef struct {
        GMutex lock;
        GCond cond;
        gboolean entered;
        gboolean open;
        GArray *done_ids;   /* guint, in the order `done` was called */
        GArray *done_ok;    /* gboolean */
        GArray *done_codes; /* gint: error code or -1 */
        gint ran;           /* how many counting jobs actually ran */
        guint freed;        /* free_data calls */
} Gate;

static void gate_init(Gate *g)
{
        memset(g, 0, sizeof *g);
        g_mutex_init(&g->lock);
        g_cond_init(&g->cond);
        g->done_ids = g_array_new(FALSE, FALSE, sizeof(guint));
        g->done_ok = g_array_new(FALSE, FALSE, sizeof(gboolean));
        g->done_codes = g_array_new(FALSE, FALSE, sizeof(gint));
}

static void gate_clear(Gate *g)
{
        g_mutex_clear(&g->lock);
        g_cond_clear(&g->cond);
        g_array_unref(g->done_ids);
        g_array_unref(g->done_ok);
        g_array_unref(g->done_codes);
}

static gboolean gate_job(FtpSession *session, gpointer data, GError **error)
{
        Gate *g = data;
        g_mutex_lock(&g->lock);
        g->entered = TRUE;
        g_cond_broadcast(&g->cond);
        gint64 end = g_get_monotonic_time() + DEADLINE_US;
        while (!g->open && g_cond_wait_until(&g->cond, &g->lock, end))
                ;
        g_mutex_unlock(&g->lock);
        return TRUE;
}

static gboolean count_job(FtpSession *session, gpointer data, GError **error)
{
        Gate *g = data;
        g_atomic_int_inc(&g->ran);
        return TRUE;
}

static void gate_done(guint id, gboolean ok, const GError *error, gpointer data)
{
        Gate *g = data;
        gint code = error ? error->code : -1;
        g_mutex_lock(&g->lock);
        g_array_append_val(g->done_ids, id);
        g_array_append_val(g->done_ok, ok);
        g_array_append_val(g->done_codes, code);
        g_cond_broadcast(&g->cond);
        g_mutex_unlock(&g->lock);
}

static void gate_free_data(gpointer data)
{
        Gate *g = data;
        g_mutex_lock(&g->lock);
        g->freed++;
        g_mutex_unlock(&g->lock);
}

/* Waits (with a deadline) until `done` was called n times. */
static void wait_done(Gate *g, guint n)
{
        gint64 end = g_get_monotonic_time() + DEADLINE_US;
        g_mutex_lock(&g->lock);
        while (g->done_ids->len < n && g_cond_wait_until(&g->cond, &g->lock, end))
                ;
        guint got = g->done_ids->len;
        g_mutex_unlock(&g->lock);
        g_assert_cmpuint(got, ==, n);
}

static void wait_entered(Gate *g)
{
        gint64 end = g_get_monotonic_time() + DEADLINE_US;
        g_mutex_lock(&g->lock);
        while (!g->entered && g_cond_wait_until(&g->cond, &g->lock, end))
                ;
        gboolean entered = g->entered;
        g_mutex_unlock(&g->lock);
        g_assert_true(entered);
}

static void open_gate(Gate *g)
{
        g_mutex_lock(&g->lock);
        g->open = TRUE;
        g_cond_broadcast(&g->cond);
        g_mutex_unlock(&g->lock);
}

static void test_submit_runs_in_order_with_ids(void)
{
        Gate g;
        gate_init(&g);
        CoreWorker *worker = core_worker_new(NULL);
        guint ids[3];
        for (int i = 0; i < 3; i++)
                ids[i] = core_worker_submit(worker, count_job, &g, gate_free_data, gate_done);
        wait_done(&g, 3);
        for (int i = 0; i < 3; i++) {
                g_assert_cmpuint(ids[i], >, 0);
                g_assert_cmpuint(g_array_index(g.done_ids, guint, i), ==, ids[i]);
                g_assert_true(g_array_index(g.done_ok, gboolean, i));
        }
        g_assert_cmpuint(ids[0], !=, ids[1]);
        g_assert_cmpint(g_atomic_int_get(&g.ran), ==, 3);
        core_worker_free(worker);
        g_assert_cmpuint(g.freed, ==, 3);
        gate_clear(&g);
}

static void test_cancel_drops_queued_jobs(void)
{
        Gate g;
        gate_init(&g);
        CoreWorker *worker = core_worker_new(NULL);
        core_worker_submit(worker, gate_job, &g, NULL, gate_done);
        wait_entered(&g);
        core_worker_submit(worker, count_job, &g, NULL, gate_done);
        core_worker_submit(worker, count_job, &g, NULL, gate_done);
        core_worker_cancel(worker);
        open_gate(&g);
        wait_done(&g, 3);
        g_assert_cmpint(g_atomic_int_get(&g.ran), ==, 0); /* the queued ones never ran */
        for (int i = 1; i < 3; i++) {
                g_assert_false(g_array_index(g.done_ok, gboolean, i));
                g_assert_cmpint(g_array_index(g.done_codes, gint, i), ==, FTP_ERROR_CANCELLED);
        }
        /* A job queued after the cancel runs normally. */
        g_autoptr(GError) error = NULL;
        g_assert_true(core_worker_run(worker, count_job, &g, &error));
        g_assert_no_error(error);
        g_assert_cmpint(g_atomic_int_get(&g.ran), ==, 1);
        core_worker_free(worker);
        gate_clear(&g);
}

/* ---- against a scripted server ---- */

typedef struct {
        guint16 port;
        const char *host;
} ConnectArgs;

static gboolean login_job(FtpSession *session, gpointer data, GError **error)
{
        ConnectArgs *args = data;
        FtpTimeouts timeouts = { .connect_ms = 5000, .reply_ms = 20000, .data_ms = 5000 };
        ftp_session_set_timeouts(session, &timeouts);
        return ftp_session_connect(session, args->host, args->port, error) &&
               ftp_session_login(session, "user", "secret", NULL, error);
}

static gboolean noop_job(FtpSession *session, gpointer data, GError **error)
{
        return ftp_session_noop(session, error);
}

/* Idle after login: a NOOP comes after about the keep-alive interval; at free, QUIT. */
typedef struct {
        gint64 logged_in_at;
        gint64 noop_at;   /* read by the test after the script's thread was joined */
        gint noop_seen;   /* atomic */
} KeepaliveTimes;

static void keepalive_script(ScriptedConn *conn, gpointer data)
{
        KeepaliveTimes *times = data;
        if (!scripted_login(conn, ""))
                return;
        times->logged_in_at = g_get_monotonic_time();
        if (!scripted_expect(conn, "NOOP"))
                return;
        times->noop_at = g_get_monotonic_time();
        g_atomic_int_set(&times->noop_seen, 1);
        scripted_send(conn, "200 NOOP ok\r\n");
        if (scripted_expect(conn, "QUIT"))
                scripted_send(conn, "221 bye\r\n");
}

static void test_keepalive_noop_when_idle(void)
{
        KeepaliveTimes times = { 0 };
        ScriptedFtpd *server = scripted_ftpd_start(keepalive_script, &times);
        CoreWorker *worker = core_worker_new(NULL);
        core_worker_set_keepalive(worker, 1);
        core_worker_cancel(worker); /* a cancel while idle must not kill the login below */
        ConnectArgs args = { .port = scripted_ftpd_port(server), .host = "127.0.0.1" };
        g_autoptr(GError) error = NULL;
        g_assert_true(core_worker_run(worker, login_job, &args, &error));
        g_assert_no_error(error);
        /* The script ends after the QUIT that core_worker_free sends; until then it waits
         * (bounded by its own 5 s read deadline) for the NOOP. Poll for the NOOP. */
        gint64 end = g_get_monotonic_time() + DEADLINE_US;
        while (!g_atomic_int_get(&times.noop_seen) && g_get_monotonic_time() < end)
                g_usleep(10 * 1000);
        core_worker_free(worker);
        g_autofree char *failure = scripted_ftpd_finish(server);
        g_assert_null(failure);
        g_assert_cmpint(times.noop_at, >, 0);
        gint64 idle = times.noop_at - times.logged_in_at;
        g_assert_cmpint(idle, >=, 900 * 1000);   /* not before the interval */
        g_assert_cmpint(idle, <, 3 * G_USEC_PER_SEC);
}

/* A job stuck waiting for a reply ends with FTP_ERROR_CANCELLED as soon as cancel is called,
 * and the next job is not hit by that old cancel. */
typedef struct {
        gint got_noop; /* atomic */
        gint release;  /* atomic: the test lets the script go on */
} StuckState;

static void stuck_script(ScriptedConn *conn, gpointer data)
{
        StuckState *st = data;
        if (!scripted_login(conn, ""))
                return;
        if (!scripted_expect(conn, "NOOP"))
                return;
        g_atomic_int_set(&st->got_noop, 1);
        /* No answer: the client must give up on its own cancel. Then it may resynchronise or
         * reconnect; whatever it sends next is read until it goes away. */
        gint64 end = g_get_monotonic_time() + DEADLINE_US;
        while (!g_atomic_int_get(&st->release) && g_get_monotonic_time() < end)
                g_usleep(5 * 1000);
        char *line;
        while ((line = scripted_read_line(conn)) != NULL) {
                gboolean quit = g_str_has_prefix(line, "QUIT");
                g_free(line);
                if (!scripted_send(conn, quit ? "221 bye\r\n" : "200 ok\r\n") || quit)
                        return;
        }
}

typedef struct {
        CoreWorker *worker;
        StuckState *st;
} CancelLater;

static gpointer cancel_when_stuck(gpointer data)
{
        CancelLater *later = data;
        gint64 end = g_get_monotonic_time() + DEADLINE_US;
        while (!g_atomic_int_get(&later->st->got_noop) && g_get_monotonic_time() < end)
                g_usleep(5 * 1000);
        core_worker_cancel(later->worker);
        return NULL;
}

static void test_cancel_interrupts_wait(void)
{
        StuckState st = { 0 };
        ScriptedFtpd *server = scripted_ftpd_start(stuck_script, &st);
        CoreWorker *worker = core_worker_new(NULL);
        core_worker_set_keepalive(worker, 0);
        ConnectArgs args = { .port = scripted_ftpd_port(server), .host = "127.0.0.1" };
        g_autoptr(GError) error = NULL;
        g_assert_true(core_worker_run(worker, login_job, &args, &error));
        g_assert_no_error(error);

        CancelLater later = { .worker = worker, .st = &st };
        GThread *canceller = g_thread_new("cancel", cancel_when_stuck, &later);
        gint64 start = g_get_monotonic_time();
        g_assert_false(core_worker_run(worker, noop_job, NULL, &error));
        gint64 took = g_get_monotonic_time() - start;
        g_thread_join(canceller);
        g_assert_error(error, FTP_ERROR, FTP_ERROR_CANCELLED);
        g_assert_cmpint(took, <, 4 * G_USEC_PER_SEC); /* the reply deadline is 20 s */

        /* The old cancel must not leak into the next job. */
        g_clear_error(&error);
        GThread *ran_on = NULL;
        g_assert_true(core_worker_run(worker, record_thread_job, &ran_on, &error));
        g_assert_no_error(error);
        g_atomic_int_set(&st.release, 1);
        core_worker_free(worker);
        g_autofree char *failure = scripted_ftpd_finish(server);
        g_assert_null(failure);
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/core/worker/run-blocks-until-the-job-returned-on-the-worker-thread",
                        test_run_blocks_on_worker_thread);
        g_test_add_func("/core/worker/submit-runs-in-order-and-reports-ids",
                        test_submit_runs_in_order_with_ids);
        g_test_add_func("/core/worker/cancel-drops-queued-jobs-not-later-ones",
                        test_cancel_drops_queued_jobs);
        g_test_add_func("/core/worker/cancel-interrupts-a-reply-wait", test_cancel_interrupts_wait);
        g_test_add_func("/core/worker/idle-cancel-spares-next-job-keepalive-noop-then-quit",
                        test_keepalive_noop_when_idle);
        return g_test_run();
}
