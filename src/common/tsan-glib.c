/* common/tsan-glib.c — GLib's thread hand-offs made visible to ThreadSanitizer (--enable-tsan only).
 * Owns: GMutex and GCond on pthreads for our own calls (lazily allocated, as GLib's non-futex
 * implementation does), and the happens-before edges of the GLib calls that hand data from one
 * of our threads to another inside GLib (GAsyncQueue, g_once, g_main_context_invoke).
 * Must not: be built without -fsanitize=thread, or be seen by any other library.
 *
 * Why: on Linux GLib's GMutex and GCond are futexes, and libglib is uninstrumented, so TSan sees
 * none of the ordering they give and reports every access they protect. libglib is linked with
 * -Bsymbolic-functions: its own calls (GAsyncQueue's lock, GMainContext's) never reach a symbol
 * defined here. So GAsyncQueue is implemented here whole, on the GMutex and GCond below;
 * g_main_context_invoke is rebuilt from libglib's public parts; g_once and g_once_init_* run
 * libglib's own (dlsym RTLD_NEXT) with __tsan_release where GLib publishes and __tsan_acquire
 * where it receives, on the address the two threads share: the edge GLib's own lock makes.
 * Every definition is hidden: our objects bind to it at link time, while gio, gobject and
 * libsecret keep calling libglib's own (a mutex locked by two implementations would break).
 * GRecMutex and GRWLock need no shim (GLib builds them on pthreads, which TSan intercepts, and
 * we use none), but GLib allocates the pthread object behind one lazily and publishes it with an
 * atomic TSan cannot see: see warm_up below for the one our threads meet.
 * GSlice's magazines hand memory between threads under a futex too: the TSan build's tests run
 * with G_SLICE=always-malloc (Makefile.am), as GLib's own documentation advises for such tools.
 * tests/unit/test-tsan-glib.c shows that a race through a GMutex is reported without the lock and
 * not with it (and with libglib's own GMutex), and the same of a GAsyncQueue hand-off. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include <glib.h>
#include <sanitizer/tsan_interface.h>

#define SHIM __attribute__((visibility("hidden")))

/* Marks a program that linked this file: tests/unit/test-tsan-glib.c looks for it in each. */
SHIM const char clamftp_tsan_glib[] = "GMutex, GCond and GLib hand-offs on pthreads for TSan";

static void *real(void *volatile *slot, const char *name)
{
        void *fn = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
        if (fn)
                return fn;
        fn = dlsym(RTLD_NEXT, name);
        if (!fn)
                abort(); /* not linked with GLib: nothing sensible to call */
        __atomic_store_n(slot, fn, __ATOMIC_RELEASE);
        return fn;
}

#define REAL(ret, name, ...)                                                                       \
        static void *volatile name##_slot;                                                         \
        ret (*real_##name)(__VA_ARGS__) = real(&name##_slot, #name)

/* ---- GMutex ---------------------------------------------------------------------------------- */

static pthread_mutex_t *mutex_impl_new(void)
{
        pthread_mutex_t *impl = malloc(sizeof *impl);
        if (!impl || pthread_mutex_init(impl, NULL) != 0)
                abort();
        return impl;
}

static pthread_mutex_t *mutex_impl(GMutex *mutex)
{
        pthread_mutex_t *impl = __atomic_load_n((pthread_mutex_t **)&mutex->p, __ATOMIC_ACQUIRE);
        if (impl)
                return impl;
        pthread_mutex_t *fresh = mutex_impl_new();
        if (__atomic_compare_exchange_n((pthread_mutex_t **)&mutex->p, &impl, fresh, FALSE,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
                return fresh;
        pthread_mutex_destroy(fresh);
        free(fresh);
        return impl;
}

SHIM void g_mutex_init(GMutex *mutex)
{
        mutex->p = mutex_impl_new();
}

SHIM void g_mutex_clear(GMutex *mutex)
{
        pthread_mutex_t *impl = mutex->p;
        mutex->p = NULL;
        if (!impl)
                return;
        if (pthread_mutex_destroy(impl) != 0)
                abort(); /* cleared while locked, as GLib would abort too */
        free(impl);
}

SHIM void g_mutex_lock(GMutex *mutex)
{
        if (pthread_mutex_lock(mutex_impl(mutex)) != 0)
                abort();
}

SHIM void g_mutex_unlock(GMutex *mutex)
{
        if (pthread_mutex_unlock(mutex_impl(mutex)) != 0)
                abort();
}

SHIM gboolean g_mutex_trylock(GMutex *mutex)
{
        return pthread_mutex_trylock(mutex_impl(mutex)) == 0;
}

/* ---- GCond: on CLOCK_MONOTONIC, the clock of g_get_monotonic_time and g_cond_wait_until ------ */

static pthread_cond_t *cond_impl_new(void)
{
        pthread_condattr_t attr;
        pthread_cond_t *impl = malloc(sizeof *impl);
        if (!impl || pthread_condattr_init(&attr) != 0 ||
            pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0 || pthread_cond_init(impl, &attr) != 0)
                abort();
        pthread_condattr_destroy(&attr);
        return impl;
}

static pthread_cond_t *cond_impl(GCond *cond)
{
        pthread_cond_t *impl = __atomic_load_n((pthread_cond_t **)&cond->p, __ATOMIC_ACQUIRE);
        if (impl)
                return impl;
        pthread_cond_t *fresh = cond_impl_new();
        if (__atomic_compare_exchange_n((pthread_cond_t **)&cond->p, &impl, fresh, FALSE,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
                return fresh;
        pthread_cond_destroy(fresh);
        free(fresh);
        return impl;
}

SHIM void g_cond_init(GCond *cond)
{
        cond->p = cond_impl_new();
}

SHIM void g_cond_clear(GCond *cond)
{
        pthread_cond_t *impl = cond->p;
        cond->p = NULL;
        if (!impl)
                return;
        pthread_cond_destroy(impl);
        free(impl);
}

SHIM void g_cond_wait(GCond *cond, GMutex *mutex)
{
        if (pthread_cond_wait(cond_impl(cond), mutex_impl(mutex)) != 0)
                abort();
}

SHIM gboolean g_cond_wait_until(GCond *cond, GMutex *mutex, gint64 end_time)
{
        struct timespec ts = { .tv_sec = end_time / G_USEC_PER_SEC,
                               .tv_nsec = (end_time % G_USEC_PER_SEC) * 1000 };
        int rc = pthread_cond_timedwait(cond_impl(cond), mutex_impl(mutex), &ts);
        if (rc != 0 && rc != ETIMEDOUT)
                abort();
        return rc == 0;
}

SHIM void g_cond_signal(GCond *cond)
{
        pthread_cond_signal(cond_impl(cond));
}

SHIM void g_cond_broadcast(GCond *cond)
{
        pthread_cond_broadcast(cond_impl(cond));
}

/* ---- GAsyncQueue: the whole API, on the GMutex and GCond above ----------------------------------
 * Wrapping libglib's would not do: its pop frees the list node the push allocated before it
 * returns, i.e. before any annotation after it could order the two. GAsyncQueue is opaque, so
 * this one has its own layout; every g_async_queue_ function is here, so none of our calls can
 * reach libglib's with it, and no GLib function takes a queue from us. */
struct _GAsyncQueue {
        GMutex mutex;
        GCond cond;
        GQueue queue;
        GDestroyNotify item_free;
        guint waiting;
        gint refs;
};

SHIM GAsyncQueue *g_async_queue_new_full(GDestroyNotify item_free_func)
{
        GAsyncQueue *q = g_new0(GAsyncQueue, 1);
        g_mutex_init(&q->mutex);
        g_cond_init(&q->cond);
        g_queue_init(&q->queue);
        q->item_free = item_free_func;
        q->refs = 1;
        return q;
}

SHIM GAsyncQueue *g_async_queue_new(void)
{
        return g_async_queue_new_full(NULL);
}

SHIM GAsyncQueue *g_async_queue_ref(GAsyncQueue *q)
{
        __atomic_fetch_add(&q->refs, 1, __ATOMIC_RELAXED);
        return q;
}

SHIM void g_async_queue_ref_unlocked(GAsyncQueue *q)
{
        g_async_queue_ref(q);
}

SHIM void g_async_queue_unref(GAsyncQueue *q)
{
        if (__atomic_fetch_sub(&q->refs, 1, __ATOMIC_ACQ_REL) != 1)
                return;
        if (q->item_free)
                g_queue_clear_full(&q->queue, q->item_free);
        else
                g_queue_clear(&q->queue);
        g_cond_clear(&q->cond);
        g_mutex_clear(&q->mutex);
        g_free(q);
}

SHIM void g_async_queue_lock(GAsyncQueue *q)
{
        g_mutex_lock(&q->mutex);
}

SHIM void g_async_queue_unlock(GAsyncQueue *q)
{
        g_mutex_unlock(&q->mutex);
}

SHIM void g_async_queue_unref_and_unlock(GAsyncQueue *q)
{
        g_mutex_unlock(&q->mutex);
        g_async_queue_unref(q);
}

SHIM void g_async_queue_push_unlocked(GAsyncQueue *q, gpointer data)
{
        g_queue_push_head(&q->queue, data);
        if (q->waiting > 0)
                g_cond_signal(&q->cond);
}

SHIM void g_async_queue_push_front_unlocked(GAsyncQueue *q, gpointer item)
{
        g_queue_push_tail(&q->queue, item); /* the tail is where pops take from */
        if (q->waiting > 0)
                g_cond_signal(&q->cond);
}

SHIM void g_async_queue_push_sorted_unlocked(GAsyncQueue *q, gpointer data, GCompareDataFunc func,
                                             gpointer user_data)
{
        GList *link = q->queue.head; /* head to tail: largest to smallest, as GLib keeps it */
        while (link && func(link->data, data, user_data) > 0)
                link = link->next;
        if (link)
                g_queue_insert_before(&q->queue, link, data);
        else
                g_queue_push_tail(&q->queue, data);
        if (q->waiting > 0)
                g_cond_signal(&q->cond);
}

SHIM void g_async_queue_sort_unlocked(GAsyncQueue *q, GCompareDataFunc func, gpointer user_data)
{
        g_queue_sort(&q->queue, func, user_data);
        g_queue_reverse(&q->queue);
}

/* end_time: -1 waits for ever, 0 does not wait, else a g_get_monotonic_time deadline. */
static gpointer pop_until(GAsyncQueue *q, gint64 end_time)
{
        while (g_queue_is_empty(&q->queue) && end_time != 0) {
                q->waiting++;
                gboolean in_time = TRUE;
                if (end_time < 0)
                        g_cond_wait(&q->cond, &q->mutex);
                else
                        in_time = g_cond_wait_until(&q->cond, &q->mutex, end_time);
                q->waiting--;
                if (!in_time)
                        break;
        }
        return g_queue_pop_tail(&q->queue);
}

SHIM gpointer g_async_queue_pop_unlocked(GAsyncQueue *q)
{
        return pop_until(q, -1);
}

SHIM gpointer g_async_queue_try_pop_unlocked(GAsyncQueue *q)
{
        return pop_until(q, 0);
}

SHIM gpointer g_async_queue_timeout_pop_unlocked(GAsyncQueue *q, guint64 timeout)
{
        return pop_until(q, g_get_monotonic_time() + (gint64)timeout);
}

SHIM gint g_async_queue_length_unlocked(GAsyncQueue *q)
{
        return (gint)q->queue.length - (gint)q->waiting;
}

SHIM gboolean g_async_queue_remove_unlocked(GAsyncQueue *q, gpointer item)
{
        return g_queue_remove(&q->queue, item);
}

/* The locked forms: the same under the queue's mutex. */
#define LOCKED_VOID(name, params, args)                                                                    SHIM void name params                                                                              {                                                                                                          g_mutex_lock(&q->mutex);                                                                           name##_unlocked args;                                                                              g_mutex_unlock(&q->mutex);                                                                 }
#define LOCKED(type, name, params, args)                                                                   SHIM type name params                                                                              {                                                                                                          g_mutex_lock(&q->mutex);                                                                           type result = name##_unlocked args;                                                                g_mutex_unlock(&q->mutex);                                                                         return result;                                                                             }
LOCKED_VOID(g_async_queue_push, (GAsyncQueue *q, gpointer data), (q, data))
LOCKED_VOID(g_async_queue_push_front, (GAsyncQueue *q, gpointer item), (q, item))
LOCKED_VOID(g_async_queue_push_sorted, (GAsyncQueue *q, gpointer data, GCompareDataFunc func, gpointer user_data),
            (q, data, func, user_data))
LOCKED_VOID(g_async_queue_sort, (GAsyncQueue *q, GCompareDataFunc func, gpointer user_data), (q, func, user_data))
LOCKED(gpointer, g_async_queue_pop, (GAsyncQueue *q), (q))
LOCKED(gpointer, g_async_queue_try_pop, (GAsyncQueue *q), (q))
LOCKED(gpointer, g_async_queue_timeout_pop, (GAsyncQueue *q, guint64 timeout), (q, timeout))
LOCKED(gint, g_async_queue_length, (GAsyncQueue *q), (q))
LOCKED(gboolean, g_async_queue_remove, (GAsyncQueue *q, gpointer item), (q, item))

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
SHIM gpointer g_async_queue_timed_pop_unlocked(GAsyncQueue *q, GTimeVal *end_time)
{
        if (!end_time)
                return pop_until(q, -1);
        gint64 wall = (gint64)end_time->tv_sec * G_USEC_PER_SEC + end_time->tv_usec;
        return pop_until(q, g_get_monotonic_time() + MAX(wall - g_get_real_time(), 0));
}
LOCKED(gpointer, g_async_queue_timed_pop, (GAsyncQueue *q, GTimeVal *end_time), (q, end_time))
G_GNUC_END_IGNORE_DEPRECATIONS

/* ---- g_once and g_once_init_*: the initialiser's writes, then every reader ------------------- */

/* The fast paths are macros in our own code: an acquire load of once->status (g_once) or of the
 * location (g_once_init_enter). TSan pairs an acquire load with a release on the same address, so
 * the release goes there, before GLib's own (uninstrumented) store makes the value visible. */
struct once_call {
        GOnce *once;
        GThreadFunc func;
        gpointer arg;
};

static gpointer once_trampoline(gpointer data)
{
        struct once_call *call = data;
        gpointer result = call->func(call->arg);
        __tsan_release((void *)&call->once->status);
        return result;
}

SHIM gpointer g_once_impl(GOnce *once, GThreadFunc func, gpointer arg)
{
        REAL(gpointer, g_once_impl, GOnce *, GThreadFunc, gpointer);
        struct once_call call = { once, func, arg };
        gpointer result = real_g_once_impl(once, once_trampoline, &call);
        __tsan_acquire((void *)&once->status);
        return result;
}

SHIM gboolean(g_once_init_enter)(volatile void *location)
{
        REAL(gboolean, g_once_init_enter, volatile void *);
        gboolean first = real_g_once_init_enter(location);
        if (!first)
                __tsan_acquire((void *)location);
        return first;
}

SHIM void(g_once_init_leave)(volatile void *location, gsize result)
{
        REAL(void, g_once_init_leave, volatile void *, gsize);
        __tsan_release((void *)location);
        real_g_once_init_leave(location, result);
}

/* ---- g_main_context_invoke: the caller's writes, then the function on the context's thread ---
 * As libglib's, from its public parts: run at once where the context is ours, else an idle source.
 * The source is made before the release, so its allocation is ordered before the free that
 * follows its dispatch on the context's thread (libglib's would allocate it after any release). */
struct invoke_call {
        GSourceFunc func;
        gpointer data;
        GDestroyNotify notify;
};

static gboolean invoke_trampoline(gpointer data)
{
        struct invoke_call *call = data;
        __tsan_acquire(call);
        gboolean again = call->func(call->data);
        __tsan_release(call); /* a function that runs again does so after this run */
        return again;
}

static void invoke_free(gpointer data)
{
        struct invoke_call *call = data;
        __tsan_acquire(call);
        if (call->notify)
                call->notify(call->data);
        g_free(call);
}

SHIM void g_main_context_invoke_full(GMainContext *context, gint priority, GSourceFunc function,
                                     gpointer data, GDestroyNotify notify)
{
        if (!context)
                context = g_main_context_default();
        GMainContext *thread_default = g_main_context_get_thread_default();
        if (!thread_default)
                thread_default = g_main_context_default();
        gboolean owner = g_main_context_is_owner(context);
        if (owner || (thread_default == context && g_main_context_acquire(context))) {
                while (function(data) == G_SOURCE_CONTINUE)
                        ;
                if (!owner)
                        g_main_context_release(context);
                if (notify)
                        notify(data);
                return;
        }
        struct invoke_call *call = g_new(struct invoke_call, 1);
        *call = (struct invoke_call){ function, data, notify };
        GSource *source = g_idle_source_new();
        g_source_set_priority(source, priority);
        g_source_set_callback(source, invoke_trampoline, call, invoke_free);
        __tsan_release(call);
        g_source_attach(source, context);
        g_source_unref(source);
}

SHIM void g_main_context_invoke(GMainContext *context, GSourceFunc function, gpointer data)
{
        g_main_context_invoke_full(context, G_PRIORITY_DEFAULT, function, data, NULL);
}

/* ---- GLib's own lazily made locks ------------------------------------------------------------ */

/* g_set_error looks the domain up under a static GRWLock of GLib's (gerror.c), whose
 * pthread_rwlock_t is allocated on first use and published with an atomic TSan cannot see, so
 * the first two threads to make an error race on it. Making one error here, before main and so
 * before any thread, allocates it on the main thread: every thread gets it through pthread_create. */
__attribute__((constructor)) static void warm_up(void)
{
        g_error_free(g_error_new_literal(G_FILE_ERROR, G_FILE_ERROR_FAILED, "warm-up"));
}
