/* agent/server.c — clamav-agent's daemon: listeners, accept, connection cap, scanning pool with a
 * bounded queue, the current engine (swapped atomically on reload), signals and the orderly stop.
 * Owns: all daemon-wide threads and sockets. Must not: parse commands or write replies beyond
 * the one-line refusal of a connection over the cap. */
#include "config.h"
#include "agent/server.h"
#include "agent/log.h"
#include "agent/protocol.h"
#include "agent/session.h"
#include "agent/spool.h"
#include "common/i18n.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <netdb.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

struct AgentServer {
        AgentConf *conf;
        char *spool_dir;
        int unix_fd;
        int tcp_fd;
        char *unix_path;      /* the socket we created, removed on stop */
        int stop_fd;          /* eventfd: readable once stopping */
        GMainLoop *loop;
        GThreadPool *pool;

        GMutex lock;          /* guards engine, last_reload_error, active */
        GCond idle;           /* signalled when active drops */
        AgentEngine *engine;
        char *last_reload_error;
        guint active;         /* open connections */
        gint reloading;       /* atomic */
        gint busy;            /* atomic: scans running */
        gint queued;          /* atomic: scans waiting */
        guint64 scans;
        guint64 refused;
};

typedef struct {
        AgentEngine *engine;
        int fd;
        const void *data;
        gsize len;
        const char *name;
        AgentScanResult *out;
        GMutex lock;
        GCond cond;
        gboolean done;
} ScanJob;

typedef struct {
        AgentServer *server;
        int fd;
        gboolean is_unix;
} ConnStart;

static void scan_worker(gpointer data, gpointer user_data)
{
        ScanJob *job = data;
        AgentServer *server = user_data;
        g_atomic_int_dec_and_test(&server->queued);
        g_atomic_int_inc(&server->busy);
        if (job->fd >= 0)
                agent_engine_scan_fd(job->engine, job->fd, job->name, job->out);
        else
                agent_engine_scan_memory(job->engine, job->data, job->len, job->name, job->out);
        g_atomic_int_dec_and_test(&server->busy);
        g_mutex_lock(&job->lock);
        job->done = TRUE;
        g_cond_signal(&job->cond);
        g_mutex_unlock(&job->lock);
}

gboolean agent_server_scan(AgentServer *server, AgentEngine *engine, int fd, const void *data,
                           gsize len, const char *name, AgentScanResult *out)
{
        if ((guint)g_atomic_int_get(&server->queued) >= MAX(server->conf->max_queue, 1))
                return FALSE;
        ScanJob job = { .engine = engine, .fd = fd, .data = data, .len = len, .name = name,
                        .out = out };
        g_mutex_init(&job.lock);
        g_cond_init(&job.cond);
        g_atomic_int_inc(&server->queued);
        if (!g_thread_pool_push(server->pool, &job, NULL)) {
                g_atomic_int_dec_and_test(&server->queued);
                g_mutex_clear(&job.lock);
                g_cond_clear(&job.cond);
                return FALSE;
        }
        g_mutex_lock(&job.lock);
        while (!job.done)
                g_cond_wait(&job.cond, &job.lock);
        g_mutex_unlock(&job.lock);
        g_mutex_clear(&job.lock);
        g_cond_clear(&job.cond);
        g_mutex_lock(&server->lock);
        server->scans++;
        g_mutex_unlock(&server->lock);
        return TRUE;
}

const AgentConf *agent_server_conf(AgentServer *server)
{
        return server->conf;
}

const char *agent_server_spool_dir(AgentServer *server)
{
        return server->spool_dir;
}

int agent_server_stop_fd(AgentServer *server)
{
        return server->stop_fd;
}

AgentEngine *agent_server_engine(AgentServer *server)
{
        g_mutex_lock(&server->lock);
        AgentEngine *engine = agent_engine_ref(server->engine);
        g_mutex_unlock(&server->lock);
        return engine;
}

/* ---- reload ---- */

static gpointer reload_thread(gpointer data)
{
        AgentServer *server = data;
        g_autoptr(GError) error = NULL;
        gint64 start = g_get_monotonic_time();
        AgentEngine *fresh = agent_engine_new(server->conf, &error);
        g_mutex_lock(&server->lock);
        AgentEngine *old = NULL;
        if (fresh) {
                old = server->engine;
                server->engine = fresh;
                g_clear_pointer(&server->last_reload_error, g_free);
        } else {
                g_free(server->last_reload_error);
                server->last_reload_error = g_strdup(error->message);
        }
        g_mutex_unlock(&server->lock);
        if (fresh)
                agent_log(AGENT_LOG_INFO, _("reload: %u signatures loaded in %.1f ms; new scans use "
                                            "them, scans in flight finish on the old set"),
                          agent_engine_signatures(fresh),
                          (g_get_monotonic_time() - start) / 1000.0);
        else
                agent_log(AGENT_LOG_ERROR, _("reload failed, still scanning with the previous "
                                             "signatures: %s"), error->message);
        agent_engine_unref(old); /* freed once the last scan using it returns */
        g_atomic_int_set(&server->reloading, 0);
        return NULL;
}

void agent_server_request_reload(AgentServer *server)
{
        if (!g_atomic_int_compare_and_exchange(&server->reloading, 0, 1)) {
                agent_log(AGENT_LOG_INFO, _("reload already in progress"));
                return;
        }
        agent_log(AGENT_LOG_INFO, _("reloading the signatures from %s"),
                  server->conf->database_directory);
        g_autoptr(GError) error = NULL;
        GThread *t = g_thread_try_new("agent-reload", reload_thread, server, &error);
        if (!t) {
                agent_log(AGENT_LOG_ERROR, _("cannot start the reload: %s"), error->message);
                g_atomic_int_set(&server->reloading, 0);
                return;
        }
        g_thread_unref(t);
}

/* ---- stop ---- */

static gboolean quit_loop(gpointer data)
{
        AgentServer *server = data;
        if (server->loop)
                g_main_loop_quit(server->loop);
        return G_SOURCE_REMOVE;
}

void agent_server_request_stop(AgentServer *server)
{
        guint64 one = 1;
        if (write(server->stop_fd, &one, sizeof(one)) != sizeof(one))
                agent_log(AGENT_LOG_WARNING, _("cannot signal the stop: %s"), g_strerror(errno));
        g_main_context_invoke(NULL, quit_loop, server);
}

static gboolean on_stop_signal(gpointer data)
{
        agent_log(AGENT_LOG_INFO, _("stop requested by a signal"));
        agent_server_request_stop(data);
        return G_SOURCE_CONTINUE;
}

static gboolean on_hup(gpointer data)
{
        agent_server_request_reload(data);
        return G_SOURCE_CONTINUE;
}

/* ---- STATS ---- */

char *agent_server_stats(AgentServer *server)
{
        g_mutex_lock(&server->lock);
        guint sigs = agent_engine_signatures(server->engine);
        g_autoptr(GDateTime) loaded = g_date_time_new_from_unix_local(
                agent_engine_loaded_at(server->engine) / G_USEC_PER_SEC);
        g_autofree char *when = g_date_time_format(loaded, "%Y-%m-%d %H:%M:%S");
        g_autofree char *reload_err = g_strdup(server->last_reload_error);
        guint active = server->active;
        guint64 scans = server->scans, refused = server->refused;
        g_mutex_unlock(&server->lock);
        const AgentConf *c = server->conf;
        guint busy = (guint)g_atomic_int_get(&server->busy);
        guint live = g_thread_pool_get_num_threads(server->pool);
        return g_strdup_printf(
                "POOLS: 1\n\nSTATE: VALID PRIMARY\n"
                "THREADS: live %u  idle %u max %u idle-timeout %u\n"
                "QUEUE: %d items\n"
                "CONNECTIONS: %u max %u refused %" G_GUINT64_FORMAT "\n"
                "SCANS: %" G_GUINT64_FORMAT "\n"
                "ENGINE: %u signatures loaded %s%s%s\n\n"
                "MEMSTATS: heap N/A mmap N/A used N/A free N/A releasable N/A pools 1 "
                "pools_used N/A pools_total N/A\n",
                live, live > busy ? live - busy : 0, c->max_threads, c->idle_timeout,
                g_atomic_int_get(&server->queued), active, c->max_connections, refused, scans,
                sigs, when ? when : "?", reload_err ? "; last reload failed: " : "",
                reload_err ? reload_err : "");
}

/* ---- listeners ---- */

static gboolean unix_path_in_use(const char *path)
{
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return FALSE;
        struct sockaddr_un sun = { .sun_family = AF_UNIX };
        g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
        gboolean used = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
        close(fd);
        return used;
}

static gboolean prepare_run_dir(const char *path, GError **error)
{
        g_autofree char *dir = g_path_get_dirname(path);
        if (g_file_test(dir, G_FILE_TEST_IS_DIR))
                return TRUE;
        if (g_mkdir_with_parents(dir, 0750) == 0)
                return TRUE;
        int e = errno;
        g_set_error(error, AGENT_ERROR, AGENT_ERROR_SOCKET,
                    _("cannot create the socket directory %s: %s"), dir, g_strerror(e));
        return FALSE;
}

static int listen_unix(const char *path, guint mode, GError **error)
{
        struct sockaddr_un sun = { .sun_family = AF_UNIX };
        if (strlen(path) >= sizeof(sun.sun_path)) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_SOCKET,
                            _("LocalSocket path %s is too long (at most %zu bytes)"), path,
                            sizeof(sun.sun_path) - 1);
                return -1;
        }
        if (!prepare_run_dir(path, error))
                return -1;
        GStatBuf st;
        if (g_lstat(path, &st) == 0) {
                if (!S_ISSOCK(st.st_mode) || unix_path_in_use(path)) {
                        g_set_error(error, AGENT_ERROR, AGENT_ERROR_SOCKET,
                                    _("%s is in use (another agent or clamd?) or is not a socket; "
                                      "stop it or choose another LocalSocket"), path);
                        return -1;
                }
                g_unlink(path); /* a stale socket left by a crash */
        }
        g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        mode_t old = umask(0177);
        gboolean ok = fd >= 0 && bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
        umask(old);
        if (ok && chmod(path, mode) == 0 && listen(fd, 128) == 0)
                return fd;
        int e = errno;
        g_set_error(error, AGENT_ERROR, AGENT_ERROR_SOCKET, _("cannot listen on %s: %s"), path,
                    g_strerror(e));
        if (fd >= 0)
                close(fd);
        return -1;
}

static int listen_tcp(const char *addr, guint port, GError **error)
{
        struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                                  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
        struct addrinfo *res = NULL;
        g_autofree char *service = g_strdup_printf("%u", port);
        int rc = getaddrinfo(addr, service, &hints, &res);
        if (rc != 0) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_SOCKET,
                            _("TCPAddr %s does not resolve: %s"), addr, gai_strerror(rc));
                return -1;
        }
        int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int one = 1;
        gboolean ok = fd >= 0 &&
                      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0 &&
                      bind(fd, res->ai_addr, res->ai_addrlen) == 0 && listen(fd, 128) == 0;
        int e = errno;
        freeaddrinfo(res);
        if (ok)
                return fd;
        g_set_error(error, AGENT_ERROR, AGENT_ERROR_SOCKET, _("cannot listen on TCP %s port %u: %s"),
                    addr, port, g_strerror(e));
        if (fd >= 0)
                close(fd);
        return -1;
}

static gboolean open_listeners(AgentServer *server, GError **error)
{
        const AgentConf *c = server->conf;
        if (c->local_socket && *c->local_socket) {
                server->unix_fd = listen_unix(c->local_socket, c->local_socket_mode, error);
                if (server->unix_fd < 0)
                        return FALSE;
                server->unix_path = g_strdup(c->local_socket);
        }
        if (c->tcp_port) {
                server->tcp_fd = listen_tcp(c->tcp_addr ? c->tcp_addr : "127.0.0.1", c->tcp_port,
                                            error);
                if (server->tcp_fd < 0)
                        return FALSE;
        }
        return TRUE;
}

AgentServer *agent_server_new(AgentConf *conf, AgentEngine *engine, GError **error)
{
        g_autoptr(AgentServer) server = g_new0(AgentServer, 1);
        server->conf = conf;
        server->engine = engine;
        server->unix_fd = server->tcp_fd = -1;
        g_mutex_init(&server->lock);
        g_cond_init(&server->idle);
        server->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (server->stop_fd < 0) {
                int e = errno;
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_IO, _("eventfd failed: %s"),
                            g_strerror(e));
                return NULL;
        }
        server->spool_dir = agent_spool_dir_create(conf->temporary_directory, error);
        if (!server->spool_dir || !open_listeners(server, error))
                return NULL;
        return g_steal_pointer(&server);
}

static void close_listeners(AgentServer *server)
{
        if (server->unix_fd >= 0)
                close(server->unix_fd);
        if (server->tcp_fd >= 0)
                close(server->tcp_fd);
        server->unix_fd = server->tcp_fd = -1;
        if (server->unix_path)
                g_unlink(server->unix_path);
        g_clear_pointer(&server->unix_path, g_free);
}

void agent_server_free(AgentServer *server)
{
        if (!server)
                return;
        close_listeners(server);
        g_mutex_lock(&server->lock);
        guint left = server->active;
        g_mutex_unlock(&server->lock);
        if (left)
                return; /* threads still use it; the process is about to exit */
        if (server->pool)
                g_thread_pool_free(server->pool, TRUE, TRUE);
        if (server->spool_dir)
                g_rmdir(server->spool_dir);
        g_free(server->spool_dir);
        if (server->stop_fd >= 0)
                close(server->stop_fd);
        if (server->loop)
                g_main_loop_unref(server->loop);
        agent_engine_unref(server->engine);
        agent_conf_free(server->conf);
        g_free(server->last_reload_error);
        g_mutex_clear(&server->lock);
        g_cond_clear(&server->idle);
        g_free(server);
}

/* ---- accept ---- */

static gpointer conn_thread(gpointer data)
{
        ConnStart *start = data;
        AgentServer *server = start->server;
        agent_session_run(server, start->fd, start->is_unix);
        g_free(start);
        g_mutex_lock(&server->lock);
        server->active--;
        g_cond_broadcast(&server->idle);
        g_mutex_unlock(&server->lock);
        return NULL;
}

static void refuse(AgentServer *server, int fd, const char *why)
{
        static const char reply[] = AGENT_REPLY_MAX_CONNECTIONS "\n";
        if (send(fd, reply, sizeof(reply) - 1, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
                agent_log(AGENT_LOG_DEBUG, "refusal not sent: %s", g_strerror(errno));
        close(fd);
        g_mutex_lock(&server->lock);
        server->refused++;
        g_mutex_unlock(&server->lock);
        agent_log(AGENT_LOG_WARNING, _("connection refused: %s"), why);
}

static void accept_one(AgentServer *server, int lfd)
{
        int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) {
                if (errno != EAGAIN && errno != EINTR)
                        agent_log(AGENT_LOG_WARNING, _("accept failed: %s"), g_strerror(errno));
                return;
        }
        g_mutex_lock(&server->lock);
        gboolean full = server->active >= server->conf->max_connections;
        if (!full)
                server->active++;
        g_mutex_unlock(&server->lock);
        if (full) {
                refuse(server, fd, _("MaxConnections reached"));
                return;
        }
        ConnStart *start = g_new0(ConnStart, 1);
        *start = (ConnStart){ server, fd, lfd == server->unix_fd };
        g_autoptr(GError) error = NULL;
        GThread *t = g_thread_try_new("agent-conn", conn_thread, start, &error);
        if (t) {
                g_thread_unref(t);
                return;
        }
        g_free(start);
        g_mutex_lock(&server->lock);
        server->active--;
        g_mutex_unlock(&server->lock);
        refuse(server, fd, error->message);
}

static gboolean on_accept(gint fd, GIOCondition cond, gpointer data)
{
        accept_one(data, fd);
        return G_SOURCE_CONTINUE;
}

static void wait_for_connections(AgentServer *server)
{
        gint64 end = g_get_monotonic_time() + (gint64)server->conf->shutdown_timeout * G_USEC_PER_SEC;
        g_mutex_lock(&server->lock);
        while (server->active > 0 && g_cond_wait_until(&server->idle, &server->lock, end))
                ;
        guint left = server->active;
        g_mutex_unlock(&server->lock);
        if (left)
                agent_log(AGENT_LOG_WARNING, _("stopping with %u connections still open after "
                                               "ShutdownTimeout"), left);
}

gboolean agent_server_run(AgentServer *server, GError **error)
{
        signal(SIGPIPE, SIG_IGN);
        server->pool = g_thread_pool_new(scan_worker, server, (gint)server->conf->max_threads,
                                         FALSE, error);
        if (!server->pool)
                return FALSE;
        g_thread_pool_set_max_idle_time(server->conf->idle_timeout * 1000);
        server->loop = g_main_loop_new(NULL, FALSE);
        guint sources[5] = { 0 };
        sources[0] = g_unix_signal_add(SIGTERM, on_stop_signal, server);
        sources[1] = g_unix_signal_add(SIGINT, on_stop_signal, server);
        sources[2] = g_unix_signal_add(SIGHUP, on_hup, server);
        if (server->unix_fd >= 0)
                sources[3] = g_unix_fd_add(server->unix_fd, G_IO_IN, on_accept, server);
        if (server->tcp_fd >= 0)
                sources[4] = g_unix_fd_add(server->tcp_fd, G_IO_IN, on_accept, server);
        agent_log(AGENT_LOG_INFO, _("ready: %u signatures, socket %s, TCP %s, %u threads, queue %u"),
                  agent_engine_signatures(server->engine),
                  server->unix_path ? server->unix_path : "off",
                  server->tcp_fd >= 0 ? server->conf->tcp_addr : "off", server->conf->max_threads,
                  server->conf->max_queue);
        g_main_loop_run(server->loop);
        for (gsize i = 0; i < G_N_ELEMENTS(sources); i++)
                if (sources[i])
                        g_source_remove(sources[i]);
        close_listeners(server);
        agent_log(AGENT_LOG_INFO, _("stopping: no new connections; waiting for requests in flight"));
        wait_for_connections(server);
        return TRUE;
}
