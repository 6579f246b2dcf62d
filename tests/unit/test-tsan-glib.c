/* tests/unit/test-tsan-glib.c — what src/common/tsan-glib.c lets ThreadSanitizer see (TSan build only).
 * Each case runs its threads in a subprocess with TSAN_OPTIONS of its own (reports on its stderr,
 * exit status 66, nothing in tools/check's reports directory) and checks what TSan said: a race
 * that is there is reported, the same accesses ordered by a GLib lock or hand-off are not, and
 * libglib's own futex lock or queue, reached around the shim, is the false report the shim removes. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <string.h>

#include <glib.h>

enum { ROUNDS = 1000 };

static const char *const report = "*WARNING: ThreadSanitizer: data race*";

/* Runs the current test's body in a subprocess that reports races on stderr. */
static void run_in_subprocess(void)
{
        g_setenv("TSAN_OPTIONS", "exitcode=66:log_path=stderr:halt_on_error=0", TRUE);
        g_test_trap_subprocess(NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
}

static void expect_reported(void)
{
        run_in_subprocess();
        g_test_trap_assert_failed();
        g_test_trap_assert_stderr(report);
}

static void expect_silent(void)
{
        run_in_subprocess();
        g_test_trap_assert_passed();
        g_test_trap_assert_stderr_unmatched("*ThreadSanitizer*");
}

static void *libglib(const char *name)
{
        void *fn = dlsym(RTLD_NEXT, name); /* past the shim: libglib's own */
        g_assert_nonnull(fn);
        return fn;
}

/* ---- a counter, two threads ------------------------------------------------------------------ */

static int counter;
static GMutex counter_lock;
static void (*lock)(GMutex *);
static void (*unlock)(GMutex *);

static gpointer count(gpointer data)
{
        for (int i = 0; i < ROUNDS; i++) {
                if (lock)
                        lock(&counter_lock);
                counter++;
                if (unlock)
                        unlock(&counter_lock);
        }
        return NULL;
}

static void count_twice(void)
{
        GThread *a = g_thread_new("count-a", count, NULL);
        GThread *b = g_thread_new("count-b", count, NULL);
        g_thread_join(a);
        g_thread_join(b);
        g_assert_cmpint(counter, ==, 2 * ROUNDS);
}

static void test_race_without_a_lock_is_reported(void)
{
        if (!g_test_subprocess()) {
                expect_reported();
                return;
        }
        lock = unlock = NULL;
        GThread *a = g_thread_new("count-a", count, NULL);
        GThread *b = g_thread_new("count-b", count, NULL);
        g_thread_join(a);
        g_thread_join(b);
}

static void test_gmutex_orders_the_same_race(void)
{
        if (!g_test_subprocess()) {
                expect_silent();
                return;
        }
        lock = g_mutex_lock;
        unlock = g_mutex_unlock;
        count_twice();
}

static void test_libglib_futex_mutex_is_invisible(void)
{
        if (!g_test_subprocess()) {
                expect_reported(); /* what every GMutex of ours looked like before the shim */
                return;
        }
        lock = libglib("g_mutex_lock");
        unlock = libglib("g_mutex_unlock");
        count_twice();
}

/* ---- GCond ------------------------------------------------------------------------------------ */

static struct {
        GMutex lock;
        GCond ready;
        gboolean done;
        char text[32];
} cond_box;

static gpointer cond_producer(gpointer data)
{
        g_strlcpy(cond_box.text, "from the producer", sizeof cond_box.text);
        g_mutex_lock(&cond_box.lock);
        cond_box.done = TRUE;
        g_cond_signal(&cond_box.ready);
        g_mutex_unlock(&cond_box.lock);
        return NULL;
}

static void test_gcond_hand_off_is_silent(void)
{
        if (!g_test_subprocess()) {
                expect_silent();
                return;
        }
        GThread *t = g_thread_new("producer", cond_producer, NULL);
        g_mutex_lock(&cond_box.lock);
        while (!cond_box.done)
                g_cond_wait(&cond_box.ready, &cond_box.lock);
        g_mutex_unlock(&cond_box.lock);
        g_assert_cmpstr(cond_box.text, ==, "from the producer");
        g_thread_join(t);
}

static void test_gcond_wait_until_keeps_the_monotonic_clock(void)
{
        GMutex m;
        GCond c;
        g_mutex_init(&m);
        g_cond_init(&c);
        gint64 start = g_get_monotonic_time();
        g_mutex_lock(&m);
        gboolean woken = g_cond_wait_until(&c, &m, start + 50 * 1000);
        g_mutex_unlock(&m);
        gint64 waited = g_get_monotonic_time() - start;
        g_assert_false(woken);
        g_assert_cmpint(waited, >=, 50 * 1000);
        g_assert_cmpint(waited, <, 5 * G_USEC_PER_SEC);
        g_cond_clear(&c);
        g_mutex_clear(&m);
}

/* ---- GAsyncQueue ------------------------------------------------------------------------------ */

typedef struct {
        int value;
        char text[32];
} Parcel;

static GAsyncQueue *(*queue_new)(void);
static void (*queue_push)(GAsyncQueue *, gpointer);
static gpointer (*queue_pop)(GAsyncQueue *);
static void (*queue_unref)(GAsyncQueue *);

static gpointer queue_consumer(gpointer data)
{
        GAsyncQueue *queue = data;
        for (int i = 0; i < ROUNDS; i++) {
                Parcel *p = queue_pop(queue);
                g_assert_cmpint(p->value, ==, i);
                g_assert_cmpstr(p->text, ==, "parcel");
                g_free(p);
        }
        return NULL;
}

static void hand_parcels_over(void)
{
        GAsyncQueue *queue = queue_new();
        GThread *t = g_thread_new("consumer", queue_consumer, queue);
        for (int i = 0; i < ROUNDS; i++) {
                Parcel *p = g_new(Parcel, 1);
                p->value = i;
                g_strlcpy(p->text, "parcel", sizeof p->text);
                queue_push(queue, p);
        }
        g_thread_join(t);
        queue_unref(queue);
}

static void test_async_queue_hand_off_is_silent(void)
{
        if (!g_test_subprocess()) {
                expect_silent();
                return;
        }
        queue_new = g_async_queue_new;
        queue_push = g_async_queue_push;
        queue_pop = g_async_queue_pop;
        queue_unref = g_async_queue_unref;
        hand_parcels_over();
}

static void test_libglib_async_queue_is_invisible(void)
{
        if (!g_test_subprocess()) {
                expect_reported(); /* so the silent case above went through the shim */
                return;
        }
        queue_new = libglib("g_async_queue_new");
        queue_push = libglib("g_async_queue_push");
        queue_pop = libglib("g_async_queue_pop");
        queue_unref = libglib("g_async_queue_unref");
        hand_parcels_over();
}

/* ---- g_once_init_enter, g_once ---------------------------------------------------------------- */

typedef struct {
        int numbers[16];
} Table;

static Table *table_of(void)
{
        static Table *table;
        if (g_once_init_enter(&table)) {
                Table *t = g_new(Table, 1);
                for (int i = 0; i < 16; i++)
                        t->numbers[i] = i * i;
                g_once_init_leave(&table, t);
        }
        return table;
}

static gpointer make_table(gpointer data)
{
        Table *t = g_new(Table, 1);
        for (int i = 0; i < 16; i++)
                t->numbers[i] = i * i;
        return t;
}

static gpointer read_tables(gpointer data)
{
        static GOnce once = G_ONCE_INIT;
        for (int i = 0; i < 16; i++) {
                g_assert_cmpint(table_of()->numbers[i], ==, i * i);
                Table *t = g_once(&once, make_table, NULL);
                g_assert_cmpint(t->numbers[i], ==, i * i);
        }
        return NULL;
}

static void test_once_is_silent(void)
{
        if (!g_test_subprocess()) {
                expect_silent();
                return;
        }
        GThread *threads[4];
        for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
                threads[i] = g_thread_new("reader", read_tables, NULL);
        for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
                g_thread_join(threads[i]);
}

/* ---- g_main_context_invoke -------------------------------------------------------------------- */

static struct {
        GMainLoop *loop;
        char text[32];
} invoke_box;

static gboolean invoked(gpointer data)
{
        g_assert_cmpstr(invoke_box.text, ==, "from the thread");
        g_main_loop_quit(invoke_box.loop);
        return G_SOURCE_REMOVE;
}

static gpointer invoker(gpointer data)
{
        g_strlcpy(invoke_box.text, "from the thread", sizeof invoke_box.text);
        g_main_context_invoke(NULL, invoked, NULL);
        return NULL;
}

static gboolean start_invoker(gpointer data)
{
        *(GThread **)data = g_thread_new("invoker", invoker, NULL); /* the loop owns the context now */
        return G_SOURCE_REMOVE;
}

static void test_main_context_invoke_is_silent(void)
{
        if (!g_test_subprocess()) {
                expect_silent();
                return;
        }
        GThread *t = NULL;
        invoke_box.loop = g_main_loop_new(NULL, FALSE);
        g_idle_add(start_invoker, &t);
        g_main_loop_run(invoke_box.loop);
        g_thread_join(t);
        g_main_loop_unref(invoke_box.loop);
}

/* ---- GLib's lazily made lock behind g_set_error ----------------------------------------------- */

static gpointer make_errors(gpointer data)
{
        for (int i = 0; i < 100; i++) {
                GError *error = NULL;
                g_set_error(&error, g_quark_from_static_string("tsan-glib-test-error"), 1, "error %d", i);
                g_error_free(error);
        }
        return NULL;
}

static void test_first_errors_of_two_threads_are_silent(void)
{
        if (!g_test_subprocess()) {
                expect_silent();
                return;
        }
        GThread *a = g_thread_new("errors-a", make_errors, NULL);
        GThread *b = g_thread_new("errors-b", make_errors, NULL);
        g_thread_join(a);
        g_thread_join(b);
}

/* ---- the programs -------------------------------------------------------------------------------- */

static void test_programs_link_the_shim(void)
{
        static const char *const programs[] = { "src/clamftp", "src/clamav-agent" };
        const char *top = g_getenv("top_builddir");
        if (!top) {
                g_test_skip("top_builddir is not set (run through make check)");
                return;
        }
        for (guint i = 0; i < G_N_ELEMENTS(programs); i++) {
                g_autofree char *path = g_build_filename(top, programs[i], NULL);
                g_autofree char *bytes = NULL;
                gsize len = 0;
                g_autoptr(GError) error = NULL;
                g_assert_true(g_file_get_contents(path, &bytes, &len, &error));
                g_assert_no_error(error);
                const char *marker = "GMutex, GCond and GLib hand-offs on pthreads for TSan";
                g_assert_nonnull(memmem(bytes, len, marker, strlen(marker)));
        }
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/tsan-glib/mutex/race-without-a-lock-is-reported", test_race_without_a_lock_is_reported);
        g_test_add_func("/tsan-glib/mutex/gmutex-orders-the-same-accesses", test_gmutex_orders_the_same_race);
        g_test_add_func("/tsan-glib/mutex/libglib-futex-mutex-is-invisible-to-tsan",
                        test_libglib_futex_mutex_is_invisible);
        g_test_add_func("/tsan-glib/cond/signal-hands-off-silently", test_gcond_hand_off_is_silent);
        g_test_add_func("/tsan-glib/cond/wait-until-keeps-the-monotonic-clock",
                        test_gcond_wait_until_keeps_the_monotonic_clock);
        g_test_add_func("/tsan-glib/async-queue/push-then-pop-hands-off-silently", test_async_queue_hand_off_is_silent);
        g_test_add_func("/tsan-glib/async-queue/libglib-queue-is-invisible-to-tsan",
                        test_libglib_async_queue_is_invisible);
        g_test_add_func("/tsan-glib/once/init-then-readers-are-silent", test_once_is_silent);
        g_test_add_func("/tsan-glib/main-context/invoke-from-a-thread-is-silent", test_main_context_invoke_is_silent);
        g_test_add_func("/tsan-glib/error/first-errors-of-two-threads-are-silent",
                        test_first_errors_of_two_threads_are_silent);
        g_test_add_func("/tsan-glib/programs/clamftp-and-agent-link-the-shim", test_programs_link_the_shim);
        return g_test_run();
}
