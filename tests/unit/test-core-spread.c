/* tests/unit/test-core-spread.c — a batch's jobs spread over several connections (core/spread.h)
 * with a fake login and fake jobs: every end comes back on the caller's thread, never more jobs at
 * once than connections, extra connections opened only when jobs wait, `1` keeps everything on
 * the main worker, a server that refuses more connections gives one warning and the batch goes
 * on, a job whose extra connection died runs once more elsewhere (and never reports
 * FTP_ERROR_CLOSED) when reconnecting is off, a cancelled batch ends its waiting jobs as
 * cancelled. Reconnects: a lost main connection is logged in again and its job runs again (the
 * caller told of it, every job ending once), a login that keeps failing ends the batch after the
 * tries with FTP_ERROR_CLOSED for every job left, the reconnect is said.
 * Must not: open sockets (the login is faked) or wait on anything without an end. */
#include <glib.h>
#include <string.h>

#include "core/context.h"
#include "core/spread.h"
#include "core/worker.h"

typedef struct {
        GMutex lock;
        guint running;
        guint max_running;
        GHashTable *threads;    /* GThread* the jobs ran on */
        guint opens;            /* extra logins tried */
        guint allow_opens;      /* logins the fake server accepts */
        GPtrArray *warnings;
        GThread *caller;
        guint ended;
        guint ok;
        GArray *codes;          /* error codes of failed ends */
        gboolean ends_on_caller;
        guint retried;          /* jobs the spread said would run again */
        GPtrArray *infos;
} Batch;

typedef struct {
        Batch *batch;
        guint fail_on_extra;    /* fail this many runs when not on the main thread */
        guint fail_on_main;     /* fail this many runs on the main thread */
        GThread *main_thread;
        guint runs;
} Job;

static void batch_init(Batch *b)
{
        memset(b, 0, sizeof *b);
        g_mutex_init(&b->lock);
        b->threads = g_hash_table_new(NULL, NULL);
        b->warnings = g_ptr_array_new_with_free_func(g_free);
        b->infos = g_ptr_array_new_with_free_func(g_free);
        b->codes = g_array_new(FALSE, FALSE, sizeof(gint));
        b->caller = g_thread_self();
        b->ends_on_caller = TRUE;
        b->allow_opens = G_MAXUINT;
}

static void batch_clear(Batch *b)
{
        g_hash_table_unref(b->threads);
        g_ptr_array_unref(b->warnings);
        g_ptr_array_unref(b->infos);
        g_array_unref(b->codes);
        g_mutex_clear(&b->lock);
}

static void on_message(CoreMsgKind kind, const char *text, gpointer data)
{
        Batch *b = data;
        if (kind == CORE_MSG_WARNING)
                g_ptr_array_add(b->warnings, g_strdup(text));
        else if (kind == CORE_MSG_INFO)
                g_ptr_array_add(b->infos, g_strdup(text));
}

static gboolean fake_open(FtpSession *session, gpointer data, GError **error)
{
        Batch *b = data;
        g_mutex_lock(&b->lock);
        gboolean ok = b->opens++ < b->allow_opens;
        g_mutex_unlock(&b->lock);
        if (!ok)
                g_set_error_literal(error, FTP_ERROR, FTP_ERROR_CLOSED, "421 Too many connections");
        return ok;
}

static gboolean fake_job(FtpSession *session, CoreWorker *worker, gpointer data, GError **error)
{
        Job *job = data;
        Batch *b = job->batch;
        g_mutex_lock(&b->lock);
        b->running++;
        b->max_running = MAX(b->max_running, b->running);
        g_hash_table_add(b->threads, g_thread_self());
        gboolean on_main = g_thread_self() == job->main_thread;
        gboolean fail = job->runs++ < (on_main ? job->fail_on_main : job->fail_on_extra);
        g_mutex_unlock(&b->lock);
        g_usleep(3000); /* a transfer's length: lets the jobs overlap */
        g_mutex_lock(&b->lock);
        b->running--;
        g_mutex_unlock(&b->lock);
        if (fail)
                g_set_error_literal(error, FTP_ERROR, FTP_ERROR_CLOSED, "the connection was lost");
        return !fail;
}

static void fake_done(gboolean ok, const GError *error, gpointer data)
{
        Job *job = data;
        Batch *b = job->batch;
        if (g_thread_self() != b->caller)
                b->ends_on_caller = FALSE;
        b->ended++;
        if (ok) {
                b->ok++;
                return;
        }
        gint code = error ? error->code : -1;
        g_array_append_val(b->codes, code);
}

static void fake_retry(const GError *error, gpointer data)
{
        Job *job = data;
        g_assert_cmpint(error->code, ==, FTP_ERROR_CLOSED);
        job->batch->retried++;
}

static gboolean thread_job(FtpSession *session, gpointer data, GError **error)
{
        *(GThread **)data = g_thread_self();
        return TRUE;
}

static CoreContext *context_for(Batch *b)
{
        CoreFrontend fe = { .message = on_message, .data = b };
        return core_context_new(&fe);
}

static GThread *main_thread_of(CoreContext *ctx)
{
        GThread *thread = NULL;
        g_assert_true(core_worker_run(ctx->worker, thread_job, &thread, NULL));
        return thread;
}

static void run_jobs_failing(CoreSpread *spread, Batch *b, GThread *main_thread, guint n, guint fail_on_extra,
                             guint fail_on_main)
{
        for (guint i = 0; i < n; i++) {
                Job *job = g_new0(Job, 1);
                job->batch = b;
                job->main_thread = main_thread;
                job->fail_on_extra = fail_on_extra;
                job->fail_on_main = fail_on_main;
                core_spread_submit(spread, fake_job, job, g_free, fake_done);
        }
        core_spread_wait(spread);
}

static void run_jobs(CoreSpread *spread, Batch *b, GThread *main_thread, guint n, guint fail_on_extra)
{
        run_jobs_failing(spread, b, main_thread, n, fail_on_extra, 0);
}

/* A batch over `connections` whose fake server accepts `allow_opens` extra logins. */
typedef struct {
        Batch b;
        CoreContext *ctx;
        GThread *main_thread;
        CoreSpread *spread;
} Fixture;

static void fixture_open_reconnecting(Fixture *f, guint connections, guint allow_opens, guint reconnect)
{
        batch_init(&f->b);
        f->b.allow_opens = allow_opens;
        f->ctx = context_for(&f->b);
        f->ctx->reconnect = reconnect;
        f->main_thread = main_thread_of(f->ctx);
        f->spread = core_spread_new_full(f->ctx, connections, fake_open, &f->b);
        core_spread_set_reconnect_pause(f->spread, 5);
        core_spread_set_retry(f->spread, fake_retry);
}

/* Reconnecting off: what a lost connection does without it. */
static void fixture_open(Fixture *f, guint connections, guint allow_opens)
{
        fixture_open_reconnecting(f, connections, allow_opens, 0);
}

static void fixture_close(Fixture *f)
{
        core_spread_free(f->spread);
        core_context_free(f->ctx);
        batch_clear(&f->b);
}

static void test_spreads_over_connections(void)
{
        Fixture f;
        fixture_open(&f, 4, G_MAXUINT);
        run_jobs(f.spread, &f.b, f.main_thread, 40, 0);
        g_assert_cmpuint(f.b.ended, ==, 40);
        g_assert_cmpuint(f.b.ok, ==, 40);
        g_assert_true(f.b.ends_on_caller);
        g_assert_cmpuint(f.b.max_running, <=, 4);
        g_assert_cmpuint(g_hash_table_size(f.b.threads), >, 1);
        g_assert_cmpuint(f.b.opens, <=, 3);
        g_assert_cmpuint(core_spread_connections(f.spread), >, 1);
        g_assert_cmpuint(f.b.warnings->len, ==, 0);
        fixture_close(&f);
}

static void test_one_connection_stays_on_main(void)
{
        Fixture f;
        fixture_open(&f, 1, G_MAXUINT);
        run_jobs(f.spread, &f.b, f.main_thread, 10, 0);
        g_assert_cmpuint(f.b.ok, ==, 10);
        g_assert_cmpuint(f.b.opens, ==, 0);
        g_assert_cmpuint(g_hash_table_size(f.b.threads), ==, 1);
        g_assert_true(g_hash_table_contains(f.b.threads, f.main_thread));
        g_assert_cmpuint(f.b.max_running, ==, 1);
        fixture_close(&f);
}

/* A batch the caller says is small opens no extra connection (each costs a whole login); a large
 * one announced the same way still spreads, and so do a few large files. */
static void test_small_announced_batch_opens_no_extra(void)
{
        Fixture f;
        fixture_open(&f, 4, G_MAXUINT);
        core_spread_expect(f.spread, 3, 3 * 4096);
        run_jobs(f.spread, &f.b, f.main_thread, 3, 0);
        g_assert_cmpuint(f.b.ok, ==, 3);
        g_assert_cmpuint(f.b.opens, ==, 0);
        g_assert_cmpuint(core_spread_connections(f.spread), ==, 1);
        core_spread_expect(f.spread, 40, 40 * 4096);
        run_jobs(f.spread, &f.b, f.main_thread, 40, 0);
        g_assert_cmpuint(f.b.ok, ==, 43);
        g_assert_cmpuint(f.b.opens, >, 0);
        g_assert_cmpuint(f.b.opens, <=, 3);
        fixture_close(&f);

        Fixture big;
        fixture_open(&big, 4, G_MAXUINT);
        core_spread_expect(big.spread, 3, 3 * 8 * 1024 * 1024);
        run_jobs(big.spread, &big.b, big.main_thread, 3, 0);
        g_assert_cmpuint(big.b.ok, ==, 3);
        g_assert_cmpuint(big.b.opens, >, 0);
        fixture_close(&big);
}

static void test_refused_connection_warns_once(void)
{
        Fixture f;
        fixture_open(&f, 4, 1);
        run_jobs(f.spread, &f.b, f.main_thread, 30, 0);
        g_assert_cmpuint(f.b.ok, ==, 30);
        g_assert_cmpuint(f.b.codes->len, ==, 0);
        g_assert_cmpuint(f.b.warnings->len, ==, 1);
        g_assert_nonnull(strstr(g_ptr_array_index(f.b.warnings, 0), "accepted only 2 connections"));
        g_assert_cmpuint(g_hash_table_size(f.b.threads), <=, 2);
        g_assert_false(f.ctx->any_failed);
        fixture_close(&f);
}

static void test_lost_extra_connection_retries_once(void)
{
        Fixture f;
        fixture_open(&f, 3, G_MAXUINT);
        /* each job fails once when it lands on an extra connection: the retry saves it */
        run_jobs(f.spread, &f.b, f.main_thread, 12, 1);
        g_assert_cmpuint(f.b.ended, ==, 12);
        g_assert_cmpuint(f.b.ok, ==, 12);
        fixture_close(&f);
}

static void test_lost_twice_fails_without_closing_main(void)
{
        Fixture f;
        fixture_open(&f, 3, G_MAXUINT);
        /* every run on an extra connection loses it: a job fails when its retry lands on one too */
        run_jobs(f.spread, &f.b, f.main_thread, 12, 2);
        g_assert_cmpuint(f.b.ended, ==, 12);
        g_assert_cmpuint(f.b.ok + f.b.codes->len, ==, 12);
        for (guint i = 0; i < f.b.codes->len; i++)
                g_assert_cmpint(g_array_index(f.b.codes, gint, i), ==, FTP_ERROR_DATA);
        g_assert_false(f.ctx->any_failed);
        fixture_close(&f);
}

static gboolean said(GPtrArray *texts, const char *part)
{
        for (guint i = 0; i < texts->len; i++)
                if (strstr(g_ptr_array_index(texts, i), part))
                        return TRUE;
        return FALSE;
}

/* One connection: every job loses it on its first run; each is run again after the reconnect. */
static void test_lost_main_connection_reconnects(void)
{
        Fixture f;
        fixture_open_reconnecting(&f, 1, G_MAXUINT, 3);
        run_jobs_failing(f.spread, &f.b, f.main_thread, 4, 0, 1);
        g_assert_cmpuint(f.b.ended, ==, 4);
        g_assert_cmpuint(f.b.ok, ==, 4);
        g_assert_cmpuint(f.b.retried, ==, 4);
        g_assert_cmpuint(f.b.opens, ==, 4);
        g_assert_true(said(f.b.warnings, "Connection lost (the connection was lost): reconnecting (1/3)"));
        g_assert_false(said(f.b.warnings, "(2/3)")); /* each reconnect worked: the count starts over */
        g_assert_true(said(f.b.infos, "Reconnected"));
        g_assert_true(f.b.ends_on_caller);
        fixture_close(&f);
}

/* The login fails every time: after the tries, every job left ends with FTP_ERROR_CLOSED. */
static void test_reconnect_gives_up(void)
{
        Fixture f;
        fixture_open_reconnecting(&f, 1, 0, 2);
        run_jobs_failing(f.spread, &f.b, f.main_thread, 5, 0, 1);
        g_assert_cmpuint(f.b.ended, ==, 5);
        g_assert_cmpuint(f.b.ok, ==, 0);
        g_assert_cmpuint(f.b.opens, ==, 2);
        g_assert_cmpuint(f.b.codes->len, ==, 5);
        for (guint i = 0; i < f.b.codes->len; i++)
                g_assert_cmpint(g_array_index(f.b.codes, gint, i), ==, FTP_ERROR_CLOSED);
        g_assert_true(said(f.b.warnings, "reconnecting (2/2)"));
        g_assert_true(said(f.b.warnings, "could not reconnect after 2 tries"));
        fixture_close(&f);
}

/* Several connections: a job that loses its extra connection runs again there once it is back
 * (or elsewhere); every job ends once, done. */
static void test_lost_extra_connections_reconnect(void)
{
        Fixture f;
        fixture_open_reconnecting(&f, 3, G_MAXUINT, 5);
        run_jobs(f.spread, &f.b, f.main_thread, 12, 1);
        g_assert_cmpuint(f.b.ended, ==, 12);
        g_assert_cmpuint(f.b.ok, ==, 12);
        g_assert_cmpuint(f.b.retried, >, 0);
        fixture_close(&f);
}

static void test_cancel_ends_waiting_jobs(void)
{
        Fixture f;
        fixture_open(&f, 2, G_MAXUINT);
        core_spread_cancel(f.spread);
        run_jobs(f.spread, &f.b, f.main_thread, 5, 0);
        g_assert_cmpuint(f.b.ended, ==, 5);
        g_assert_cmpuint(f.b.ok, ==, 0);
        for (guint i = 0; i < f.b.codes->len; i++)
                g_assert_cmpint(g_array_index(f.b.codes, gint, i), ==, FTP_ERROR_CANCELLED);
        fixture_close(&f);
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/core/spread/jobs-spread-over-connections-ends-on-caller", test_spreads_over_connections);
        g_test_add_func("/core/spread/one-connection-stays-on-main", test_one_connection_stays_on_main);
        g_test_add_func("/core/spread/small-announced-batch-opens-no-extra", test_small_announced_batch_opens_no_extra);
        g_test_add_func("/core/spread/refused-connection-warns-once-batch-goes-on", test_refused_connection_warns_once);
        g_test_add_func("/core/spread/lost-extra-connection-retried-once", test_lost_extra_connection_retries_once);
        g_test_add_func("/core/spread/lost-twice-fails-without-closing-main", test_lost_twice_fails_without_closing_main);
        g_test_add_func("/core/spread/cancel-ends-waiting-jobs", test_cancel_ends_waiting_jobs);
        g_test_add_func("/core/spread/lost-main-connection-reconnects", test_lost_main_connection_reconnects);
        g_test_add_func("/core/spread/reconnect-gives-up-ends-batch", test_reconnect_gives_up);
        g_test_add_func("/core/spread/lost-extra-connections-reconnect", test_lost_extra_connections_reconnect);
        return g_test_run();
}
