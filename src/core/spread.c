/* core/spread.c — a batch's transfer jobs spread over up to N connections: the main worker plus
 * extra workers opened lazily (only while more jobs wait than connections are free) and closed
 * with QUIT when the batch ends; a connection lost under a job is reconnected (ctx->reconnect
 * tries, 1, 2, 4 … s apart) and the job run again. Every job's end travels back over one
 * GAsyncQueue and is handled on the command thread, so the caller's tallies and messages are only
 * ever touched there.
 * Must not: print except the "accepted only N connections" warning and the reconnects, touch the
 * context's tallies or connection state, or decide what a job does. */
#include "core/spread.h"

#include "common/i18n.h"
#include "core/transfer-private.h"

typedef struct {
        CoreSpread *spread;
        CoreWorker *worker;
        gboolean extra;   /* owned here; the main worker is the context's */
        gboolean busy;    /* a job (or the login of an extra connection) runs on it */
        gboolean ready;   /* logged in */
        gboolean dead;    /* its connection is gone (an extra's worker is freed then) */
        gboolean reconnecting; /* logging in again after its connection was lost */
        guint attempt;    /* reconnects tried since a job last worked on it */
        guint number;     /* 1: the main connection, then in the order opened (messages, trace) */
} Conn;

typedef struct {
        CoreSpreadFunc func;
        gpointer data;
        GDestroyNotify free_data;
        CoreSpreadDone done;
        Conn *conn;          /* where it runs now */
        guint tries;         /* runs that failed because their connection died */
        gboolean conn_lost;  /* set on the worker: the session was closed by the failure */
} Task;

/* What a worker thread hands back: a task's end, or (task NULL) an extra connection's login. */
typedef struct {
        Conn *conn;
        Task *task;
        gboolean ok;
        GError *error;
} Ending;

struct CoreSpread {
        CoreContext *ctx;
        CoreWorker *main;
        guint max;
        GPtrArray *conns;       /* Conn*, the main one first */
        GQueue pending;         /* Task* waiting for a free connection */
        guint unfinished;       /* submitted, end not delivered yet */
        guint used;             /* connections that carried the batch (main included) */
        GAsyncQueue *endings;   /* Ending* */
        gboolean capped;        /* the server refused a connection: open no more */
        gint64 expected;        /* jobs still to be submitted (core_spread_expect), -1: unknown */
        guint expected_jobs;    /* core_spread_expect's jobs and bytes: their average size */
        guint64 expected_bytes;
        char *refusal;          /* why, until the warning is given at the batch's end */
        gint cancelled;         /* atomic */
        CoreSpreadOpen open;
        gpointer open_data;
        FtpSessionProfile *profile;
        GMutex dirs_lock;
        GHashTable *made_dirs;  /* remote directories made (or found) by this batch */
        guint reconnect;        /* tries per lost connection (ctx->reconnect when made) */
        guint pause_ms;         /* before the first try; doubled for each next one */
        CoreSpreadRetry retry;  /* told of each job run again after a reconnect */
        GError *lost;           /* the main connection could not be reconnected: the batch ends */
        gint several;           /* atomic: an extra connection was opened (the trace says which is which) */
};

/* The trace of a batch on several connections: each line starts with its connection's number. */
static void label_trace(FtpSession *session, const Conn *conn)
{
        g_autofree char *label = g_strdup_printf("[%u] ", conn->number);
        ftp_session_set_trace_label(session, label);
}

static void wait_one(CoreSpread *sp);

static gboolean is_cancelled(CoreSpread *sp)
{
        return g_atomic_int_get(&sp->cancelled) != 0;
}

static gboolean task_run(FtpSession *session, gpointer data, GError **error)
{
        Task *task = data;
        CoreSpread *sp = task->conn->spread;
        if (is_cancelled(sp)) {
                g_set_error_literal(error, FTP_ERROR, FTP_ERROR_CANCELLED, _("Cancelled before it started."));
                return FALSE;
        }
        if (g_atomic_int_get(&sp->several))
                label_trace(session, task->conn);
        gboolean ok = task->func(session, task->conn->worker, task->data, error);
        if (!ok)
                task->conn_lost = !ftp_session_is_connected(session);
        if (task->conn_lost && sp->reconnect > 0)
                ftp_session_drop_open_hint(session, *error); /* the batch reconnects by itself */
        return ok;
}

/* The pause before a lost connection's next try: 1, 2, 4 … 32 s. */
static guint pause_before(const CoreSpread *sp, const Conn *conn)
{
        return core_reconnect_pause_ms(sp->pause_ms, conn->attempt - 1);
}

/* On the worker of a lost connection: the pause, then the login of the batch's profile. */
static gboolean reconnect_run(FtpSession *session, gpointer data, GError **error)
{
        Conn *conn = data;
        CoreSpread *sp = conn->spread;
        if (!ftp_session_pause(session, pause_before(sp, conn), error))
                return FALSE;
        if (sp->profile)
                return ftp_session_open_like(session, sp->profile, error);
        return sp->open(session, sp->open_data, error);
}

static void push_ending(CoreSpread *sp, Conn *conn, Task *task, gboolean ok, const GError *error)
{
        Ending *ending = g_new0(Ending, 1);
        ending->conn = conn;
        ending->task = task;
        ending->ok = ok;
        ending->error = error ? g_error_copy(error) : NULL;
        g_async_queue_push(sp->endings, ending);
}

static void task_done(guint job_id, gboolean ok, const GError *error, gpointer data)
{
        Task *task = data;
        push_ending(task->conn->spread, task->conn, task, ok, error);
}

static gboolean open_run(FtpSession *session, gpointer data, GError **error)
{
        Conn *conn = data;
        label_trace(session, conn);
        return conn->spread->open(session, conn->spread->open_data, error);
}

/* An extra connection's login, or a lost connection's reconnect (conn->reconnecting). */
static void open_done(guint job_id, gboolean ok, const GError *error, gpointer data)
{
        Conn *conn = data;
        push_ending(conn->spread, conn, NULL, ok, error);
}

static gboolean open_like(FtpSession *session, gpointer data, GError **error)
{
        return ftp_session_open_like(session, data, error);
}

static gboolean unlabel_job(FtpSession *session, gpointer data, GError **error)
{
        ftp_session_set_trace_label(session, NULL);
        return TRUE;
}

static gboolean profile_job(FtpSession *session, gpointer data, GError **error)
{
        FtpSessionProfile **out = data;
        *out = ftp_session_profile(session);
        return TRUE;
}

static Conn *conn_new(CoreSpread *sp, CoreWorker *worker, gboolean extra)
{
        Conn *conn = g_new0(Conn, 1);
        conn->spread = sp;
        conn->worker = worker;
        conn->extra = extra;
        g_ptr_array_add(sp->conns, conn);
        conn->number = sp->conns->len;
        return conn;
}

CoreSpread *core_spread_new_full(CoreContext *ctx, guint connections, CoreSpreadOpen open,
                                 gpointer open_data)
{
        g_return_val_if_fail(ctx != NULL && ctx->worker != NULL, NULL);
        CoreSpread *sp = g_new0(CoreSpread, 1);
        sp->ctx = ctx;
        sp->main = ctx->worker;
        sp->max = CLAMP(connections, 1, 64);
        sp->expected = -1;
        sp->conns = g_ptr_array_new_with_free_func(g_free);
        g_queue_init(&sp->pending);
        sp->endings = g_async_queue_new();
        sp->open = open;
        sp->open_data = open_data;
        sp->capped = open == NULL;
        sp->reconnect = open ? ctx->reconnect : 0;
        sp->pause_ms = 1000;
        g_mutex_init(&sp->dirs_lock);
        sp->made_dirs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        Conn *main_conn = conn_new(sp, sp->main, FALSE);
        main_conn->ready = TRUE;
        return sp;
}

CoreSpread *core_spread_new(CoreContext *ctx, guint connections)
{
        /* the login as it is now: for the extra connections, and to reconnect a lost one */
        FtpSessionProfile *profile = NULL;
        if (connections > 1 || ctx->reconnect > 0)
                core_worker_run(ctx->worker, profile_job, &profile, NULL);
        CoreSpread *sp = core_spread_new_full(ctx, connections, profile ? open_like : NULL, profile);
        sp->profile = profile;
        return sp;
}

void core_spread_set_reconnect_pause(CoreSpread *sp, guint first_ms)
{
        g_return_if_fail(sp != NULL);
        sp->pause_ms = first_ms;
}

void core_spread_set_retry(CoreSpread *sp, CoreSpreadRetry retry)
{
        g_return_if_fail(sp != NULL);
        sp->retry = retry;
}

static guint count_conns(CoreSpread *sp, gboolean opening_only)
{
        guint n = 0;
        for (guint i = 0; i < sp->conns->len; i++) {
                Conn *conn = g_ptr_array_index(sp->conns, i);
                if (!conn->dead && (!opening_only || !conn->ready))
                        n++;
        }
        return n;
}

static Conn *free_conn(CoreSpread *sp)
{
        for (guint i = 0; i < sp->conns->len; i++) {
                Conn *conn = g_ptr_array_index(sp->conns, i);
                if (conn->ready && !conn->busy && !conn->dead)
                        return conn;
        }
        return NULL;
}

static void open_extra(CoreSpread *sp)
{
        g_atomic_int_set(&sp->several, 1);
        CoreWorker *worker = core_worker_new(sp->ctx->limits);
        core_worker_set_keepalive(worker, 0); /* it lives only as long as the batch */
        core_worker_link_cancel(sp->main, worker);
        Conn *conn = conn_new(sp, worker, TRUE);
        conn->busy = TRUE;
        core_worker_submit(worker, open_run, conn, NULL, open_done);
}

/* Closes an extra connection (QUIT when it is still up) and joins its thread. */
static void retire(CoreSpread *sp, Conn *conn)
{
        if (!conn->extra || !conn->worker)
                return;
        core_worker_unlink_cancel(sp->main, conn->worker);
        g_clear_pointer(&conn->worker, core_worker_free);
        conn->dead = TRUE;
}

static void deliver(CoreSpread *sp, Task *task, gboolean ok, const GError *error)
{
        if (task->done)
                task->done(ok, error, task->data);
        if (task->free_data && task->data)
                task->free_data(task->data);
        g_free(task);
        sp->unfinished--;
}

static void deliver_new_error(CoreSpread *sp, Task *task, int code, const char *message)
{
        g_autoptr(GError) error = g_error_new_literal(FTP_ERROR, code, message);
        deliver(sp, task, FALSE, error);
}

static void start(Conn *conn, Task *task)
{
        conn->busy = TRUE;
        task->conn = conn;
        task->conn_lost = FALSE;
        core_worker_submit(conn->worker, task_run, task, NULL, task_done);
}

/* An extra connection costs a whole login (about as long as a few small uploads over TLS), so
 * it is opened only for a batch with work left for it: at least EXTRA_MIN_JOBS jobs per
 * connection once it is up, or jobs of EXTRA_MIN_BYTES each on average (one such job is worth a
 * login). A batch of a few small files stays on the connections it has; a few large ones are
 * spread. */
#define EXTRA_MIN_JOBS 2
#define EXTRA_MIN_BYTES (2 * 1024 * 1024)

static gboolean worth_another(CoreSpread *sp)
{
        if (sp->expected < 0)
                return TRUE; /* the caller cannot tell (a recursive download): go by the queue */
        if (sp->expected_jobs > 0 && sp->expected_bytes / sp->expected_jobs >= EXTRA_MIN_BYTES)
                return TRUE;
        guint64 left = g_queue_get_length(&sp->pending) + (guint64)sp->expected;
        return left >= (guint64)EXTRA_MIN_JOBS * (count_conns(sp, FALSE) + 1);
}

/* Starts waiting jobs on free connections; opens extra ones while more jobs wait than are being
 * opened and the batch has work left for them; ends the waiting jobs when no connection is left. */
static void dispatch(CoreSpread *sp)
{
        while (!g_queue_is_empty(&sp->pending)) {
                if (is_cancelled(sp)) {
                        deliver_new_error(sp, g_queue_pop_head(&sp->pending), FTP_ERROR_CANCELLED,
                                          _("Cancelled before it started."));
                        continue;
                }
                if (sp->lost) {
                        deliver(sp, g_queue_pop_head(&sp->pending), FALSE, sp->lost);
                        continue;
                }
                if (count_conns(sp, FALSE) == 0) {
                        deliver_new_error(sp, g_queue_pop_head(&sp->pending), FTP_ERROR_CLOSED,
                                          _("The connection to the server is closed: use `open` to connect again."));
                        continue;
                }
                Conn *conn = free_conn(sp);
                if (!conn)
                        break;
                start(conn, g_queue_pop_head(&sp->pending));
        }
        while (!is_cancelled(sp) && !sp->capped && g_queue_get_length(&sp->pending) > count_conns(sp, TRUE) &&
               count_conns(sp, FALSE) < sp->max && worth_another(sp))
                open_extra(sp);
}

static void opened(CoreSpread *sp, Conn *conn, gboolean ok, const GError *error)
{
        conn->busy = FALSE;
        if (ok) {
                conn->ready = TRUE;
                sp->used = MAX(sp->used, count_conns(sp, FALSE) - count_conns(sp, TRUE));
                return;
        }
        retire(sp, conn);
        if (g_error_matches(error, FTP_ERROR, FTP_ERROR_CANCELLED) || sp->capped)
                return;
        sp->capped = TRUE;
        sp->refusal = g_strdup(error ? error->message : "?");
}

/* Once every login has ended: how many connections the server accepted, said once. */
static void warn_refusal(CoreSpread *sp)
{
        if (!sp->refusal)
                return;
        while (count_conns(sp, TRUE) > 0)
                wait_one(sp);
        guint n = core_spread_connections(sp);
        core_say(sp->ctx, CORE_MSG_WARNING,
                 ngettext("The server accepted only %u connection; the batch went on with it (%s)",
                          "The server accepted only %u connections; the batch went on with them (%s)", n),
                 n, sp->refusal);
        g_clear_pointer(&sp->refusal, g_free);
}

/* ---- a lost connection ------------------------------------------------------------ */

/* "Connection lost" for the main one (the user's own), "Connection 3 lost" for an extra. */
static char *conn_lost_text(const Conn *conn, const char *why) /* transfer full */
{
        if (!conn->extra)
                return g_strdup_printf(_("Connection lost (%s)"), why);
        return g_strdup_printf(_("Connection %u lost (%s)"), conn->number, why);
}

/* Starts the next try of a lost connection's login, after its pause (1, 2, 4 … s). */
static void reconnect_next(CoreSpread *sp, Conn *conn, const char *why)
{
        conn->attempt++;
        conn->busy = TRUE;
        conn->ready = FALSE;
        conn->reconnecting = TRUE;
        g_autofree char *lost = conn_lost_text(conn, why);
        core_say(sp->ctx, CORE_MSG_WARNING, _("%s: reconnecting (%u/%u) in %u s."), lost, conn->attempt,
                 sp->reconnect, (pause_before(sp, conn) + 999) / 1000);
        core_worker_submit(conn->worker, reconnect_run, conn, NULL, open_done);
}

/* A job whose connection died runs again (after the reconnect, or on another connection): the
 * caller hears of it first (an upload's audit record of the cut attempt). */
static void run_again(CoreSpread *sp, Task *task, const GError *error)
{
        task->tries++;
        if (sp->retry)
                sp->retry(error, task->data);
        g_queue_push_head(&sp->pending, task);
}

/* The main connection cannot be reconnected: the jobs still waiting end with this. */
static void main_lost(CoreSpread *sp, Conn *conn, const GError *error)
{
        conn->dead = TRUE;
        if (sp->lost)
                return;
        g_autofree char *host = g_strdup(sp->profile ? ftp_session_profile_host(sp->profile) : "?");
        sp->lost = g_error_new(FTP_ERROR, FTP_ERROR_CLOSED,
                               ngettext("Could not reconnect to %s after %u try (%s). The connection is closed: "
                                        "use `open` to connect again.",
                                        "Could not reconnect to %s after %u tries (%s). The connection is closed: "
                                        "use `open` to connect again.", conn->attempt),
                               host, conn->attempt, error ? error->message : "?");
}

/* A lost connection's login ended, on the command thread. */
static void reconnected(CoreSpread *sp, Conn *conn, gboolean ok, const GError *error)
{
        conn->busy = FALSE;
        conn->reconnecting = FALSE;
        if (ok) {
                conn->ready = TRUE;
                g_autofree char *host = g_strdup(sp->profile ? ftp_session_profile_host(sp->profile) : "?");
                if (conn->extra)
                        core_say(sp->ctx, CORE_MSG_INFO, _("Connection %u: reconnected to %s."), conn->number, host);
                else
                        core_say(sp->ctx, CORE_MSG_INFO, _("Reconnected to %s."), host);
                return;
        }
        if (g_error_matches(error, FTP_ERROR, FTP_ERROR_CANCELLED))
                g_atomic_int_set(&sp->cancelled, 1); /* Ctrl-C during the pause: the batch stops */
        if (!is_cancelled(sp) && ftp_error_is_transient(error) && conn->attempt < sp->reconnect) {
                reconnect_next(sp, conn, error->message);
                return;
        }
        if (!is_cancelled(sp)) {
                g_autofree char *lost = conn_lost_text(conn, error ? error->message : "?");
                core_say(sp->ctx, CORE_MSG_WARNING, ngettext("%s: could not reconnect after %u try.",
                                                             "%s: could not reconnect after %u tries.", conn->attempt),
                         lost, conn->attempt);
        }
        if (conn->extra)
                retire(sp, conn);
        else
                main_lost(sp, conn, error);
}

static void task_ended(CoreSpread *sp, Task *task, gboolean ok, const GError *error)
{
        Conn *conn = task->conn;
        conn->busy = FALSE;
        if (ok)
                conn->attempt = 0; /* it works again: a later loss gets every try anew */
        if (ok || !task->conn_lost) {
                deliver(sp, task, ok, error);
                return;
        }
        if (sp->reconnect > 0 && !is_cancelled(sp) && ftp_error_is_transient(error) && conn->attempt < sp->reconnect) {
                if (task->tries < sp->reconnect) {
                        run_again(sp, task, error);
                } else {
                        g_autofree char *message = g_strdup_printf(
                                _("The connection was lost each of the %u times it was sent (%s)."),
                                task->tries + 1, error->message);
                        deliver_new_error(sp, task, FTP_ERROR_DATA, message);
                }
                reconnect_next(sp, conn, error->message);
                return;
        }
        if (!conn->extra) {
                conn->dead = TRUE; /* the main connection is gone: the caller hears it as it is */
                deliver(sp, task, ok, error);
                return;
        }
        retire(sp, conn);
        if (!is_cancelled(sp)) {
                g_autofree char *lost = conn_lost_text(conn, error ? error->message : "?");
                core_say(sp->ctx, CORE_MSG_WARNING, _("%s: the batch goes on without it."), lost);
        }
        if (task->tries == 0 && !is_cancelled(sp)) {
                run_again(sp, task, error); /* once more, on another connection */
                return;
        }
        g_autofree char *message = g_strdup_printf(_("An extra connection to the server was lost (%s)."),
                                                   error ? error->message : "?");
        deliver_new_error(sp, task, FTP_ERROR_DATA, message);
}

static void wait_one(CoreSpread *sp)
{
        Ending *ending = g_async_queue_pop(sp->endings);
        if (ending->task)
                task_ended(sp, ending->task, ending->ok, ending->error);
        else if (ending->conn->reconnecting)
                reconnected(sp, ending->conn, ending->ok, ending->error);
        else
                opened(sp, ending->conn, ending->ok, ending->error);
        g_clear_error(&ending->error);
        g_free(ending);
        dispatch(sp);
}

void core_spread_submit(CoreSpread *sp, CoreSpreadFunc func, gpointer data, GDestroyNotify free_data,
                        CoreSpreadDone done)
{
        g_return_if_fail(sp != NULL && func != NULL);
        while (sp->unfinished >= sp->max)
                wait_one(sp);
        if (sp->expected > 0)
                sp->expected--;
        Task *task = g_new0(Task, 1);
        task->func = func;
        task->data = data;
        task->free_data = free_data;
        task->done = done;
        sp->unfinished++;
        g_queue_push_tail(&sp->pending, task);
        dispatch(sp);
}

void core_spread_expect(CoreSpread *sp, guint jobs, guint64 bytes)
{
        g_return_if_fail(sp != NULL);
        sp->expected = jobs;
        sp->expected_jobs = jobs;
        sp->expected_bytes = bytes;
}

void core_spread_wait(CoreSpread *sp)
{
        g_return_if_fail(sp != NULL);
        dispatch(sp);
        while (sp->unfinished > 0)
                wait_one(sp);
        warn_refusal(sp);
}

void core_spread_cancel(CoreSpread *sp)
{
        g_return_if_fail(sp != NULL);
        g_atomic_int_set(&sp->cancelled, 1);
        core_worker_cancel(sp->main); /* reaches every extra connection (linked) */
}

void core_spread_know_dirs(CoreSpread *sp, GHashTable *dirs)
{
        GHashTableIter it;
        gpointer dir;
        g_mutex_lock(&sp->dirs_lock);
        g_hash_table_iter_init(&it, dirs);
        while (g_hash_table_iter_next(&it, &dir, NULL))
                g_hash_table_add(sp->made_dirs, g_strdup(dir));
        g_mutex_unlock(&sp->dirs_lock);
}

gboolean core_spread_make_parents(CoreSpread *sp, FtpSession *session, const char *remote, GError **error)
{
        g_mutex_lock(&sp->dirs_lock);
        gboolean ok = core_remote_make_parents(session, remote, sp->made_dirs, error);
        g_mutex_unlock(&sp->dirs_lock);
        return ok;
}

guint core_spread_connections(CoreSpread *sp)
{
        return MAX(sp->used, 1);
}

void core_spread_free(CoreSpread *sp)
{
        if (!sp)
                return;
        core_spread_wait(sp);
        if (g_atomic_int_get(&sp->several))
                core_worker_run(sp->main, unlabel_job, NULL, NULL); /* the user's session again */
        /* extras still logging in are no longer needed: cut their login short, drain their ends
         * (a reconnect of the main connection, the user's own session, is waited for) */
        for (guint i = 0; i < sp->conns->len; i++) {
                Conn *conn = g_ptr_array_index(sp->conns, i);
                if (conn->extra && !conn->dead && !conn->ready)
                        core_worker_cancel_job(conn->worker);
        }
        while (count_conns(sp, TRUE) > 0)
                wait_one(sp);
        for (guint i = 0; i < sp->conns->len; i++)
                retire(sp, g_ptr_array_index(sp->conns, i));
        g_ptr_array_unref(sp->conns);
        g_async_queue_unref(sp->endings);
        ftp_session_profile_free(sp->profile);
        g_free(sp->refusal);
        g_clear_error(&sp->lost);
        g_hash_table_unref(sp->made_dirs);
        g_mutex_clear(&sp->dirs_lock);
        g_free(sp);
}
