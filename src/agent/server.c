/* agent/server.c — clamav-agent's daemon: listeners, accept, connection cap, the connection
 * threads, the scan slots (MaxThreads scans at once, MaxQueue waiting, the rest refused
 * at once), the current engine (swapped atomically on reload), signals and the orderly stop.
 * Owns: all daemon-wide threads and sockets. Must not: parse commands or write replies beyond
 * the one-line refusal of a connection over the cap.
 *
 * Threads: leader and followers. One thread (the leader) waits on the listeners; when it accepts
 * a connection it hands the lead to an idle thread (a follower, or a new thread when none is
 * idle) and serves the connection itself, and comes back to follow when it closes. A follower
 * idle for IdleTimeout exits. A scan runs on the thread of the connection that asked for it,
 * once it holds one of MaxThreads slots. So one thread accepts, reads, scans and answers: the
 * former accept loop, a new thread per connection and a separate scanning pool cost three thread
 * hand-offs per request, more than libclamav needs to scan 4 KiB. */
#include "config.h"
#include "agent/server.h"
#include "agent/activation.h"
#include "agent/clients.h"
#include "agent/conn-tls.h"
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
#include <poll.h>
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
        AgentTls *tls;        /* TLSCertificateFile: the TCP listener's TLS, else NULL */
        char *unix_path;      /* the socket we created, removed on stop */
        char *unix_label;     /* the unix listener's path, ours or systemd's, for the log */
        int stop_fd;          /* eventfd: readable once stopping */
        GMainLoop *loop;      /* signals only */

        GMutex lock;          /* guards everything below */
        GCond idle;           /* signalled when threads drops */
        GCond slot_free;      /* signalled when a scan gives its slot back */
        GCond follow;         /* followers wait here for the lead */
        gboolean stopping;
        gboolean has_leader;
        guint threads;        /* connection threads alive, and a reload's */
        guint followers;      /* threads waiting for the lead */
        AgentEngine *engine;
        char *last_reload_error;
        guint active;         /* open connections */
        AgentClients *clients; /* open connections per client (MaxConnectionsPerClient) */
        guint busy;           /* scans running (slots taken, at most MaxThreads) */
        guint queued;         /* scans waiting for a slot (at most MaxQueue) */
        gint reloading;       /* atomic */
        guint64 scans;
        guint64 refused;
};

/* Takes a scan slot: at once when fewer than MaxThreads scans run, else after waiting in the
 * queue; FALSE (nothing to wait for) when MaxQueue scans already wait. */
static gboolean slot_take(AgentServer *server)
{
        const AgentConf *c = server->conf;
        g_mutex_lock(&server->lock);
        if (server->busy >= c->max_threads) {
                if (server->queued >= c->max_queue) {
                        g_mutex_unlock(&server->lock);
                        return FALSE;
                }
                server->queued++;
                while (server->busy >= c->max_threads)
                        g_cond_wait(&server->slot_free, &server->lock);
                server->queued--;
        }
        server->busy++;
        g_mutex_unlock(&server->lock);
        return TRUE;
}

static void slot_give_back(AgentServer *server)
{
        g_mutex_lock(&server->lock);
        server->busy--;
        server->scans++;
        g_cond_signal(&server->slot_free);
        g_mutex_unlock(&server->lock);
}

gboolean agent_server_scan(AgentServer *server, AgentEngine *engine, int fd, const void *data,
                           gsize len, const char *name, AgentScanFlags flags,
                           AgentScanResult *out)
{
        if (!slot_take(server))
                return FALSE;
        if (fd >= 0)
                agent_engine_scan_fd(engine, fd, name, flags, out);
        else
                agent_engine_scan_memory(engine, data, len, name, out);
        slot_give_back(server);
        return TRUE;
}

const AgentConf *agent_server_conf(AgentServer *server)
{
        return server->conf;
}

AgentTls *agent_server_tls(AgentServer *server)
{
        g_mutex_lock(&server->lock);
        AgentTls *tls = agent_tls_ref(server->tls);
        g_mutex_unlock(&server->lock);
        return tls;
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

/* A thread counted in server->threads is gone (or never started). Once none is left the server
 * may be freed: for a thread that returns, this is its last touch of it. */
static void thread_gone(AgentServer *server)
{
        g_mutex_lock(&server->lock);
        server->threads--;
        g_cond_broadcast(&server->idle);
        g_mutex_unlock(&server->lock);
}

/* A reload reads TLSCertificateFile, TLSKeyFile and TLSClientCA again (a renewed certificate);
 * files that cannot be used leave the previous ones serving. */
static void reload_tls(AgentServer *server)
{
        if (!server->tls)
                return;
        g_autoptr(GError) error = NULL;
        AgentTls *fresh = agent_tls_new(server->conf, &error);
        if (!fresh) {
                agent_log(AGENT_LOG_ERROR, _("reload: TLS keeps the previous certificate: %s"),
                          error->message);
                return;
        }
        g_mutex_lock(&server->lock);
        AgentTls *old = server->tls;
        server->tls = fresh;
        g_mutex_unlock(&server->lock);
        agent_tls_unref(old); /* freed once the last handshake using it is done */
        agent_log(AGENT_LOG_INFO, _("reload: TLS certificate read again from %s"),
                  server->conf->tls_certificate_file);
}

static gpointer reload_thread(gpointer data)
{
        AgentServer *server = data;
        reload_tls(server);
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
        thread_gone(server);
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
        /* Counted with the connection threads, so that a stop waits for it (ShutdownTimeout) and
         * agent_server_free leaves the server alone while it runs. */
        g_mutex_lock(&server->lock);
        server->threads++;
        g_mutex_unlock(&server->lock);
        g_autoptr(GError) error = NULL;
        GThread *t = g_thread_try_new("agent-reload", reload_thread, server, &error);
        if (!t) {
                agent_log(AGENT_LOG_ERROR, _("cannot start the reload: %s"), error->message);
                g_atomic_int_set(&server->reloading, 0);
                thread_gone(server);
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
        g_mutex_lock(&server->lock);
        server->stopping = TRUE;
        g_cond_broadcast(&server->follow);
        g_mutex_unlock(&server->lock);
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
        guint active = server->active, busy = server->busy, queued = server->queued;
        guint64 scans = server->scans, refused = server->refused;
        g_mutex_unlock(&server->lock);
        const AgentConf *c = server->conf;
        return g_strdup_printf(
                "POOLS: 1\n\nSTATE: VALID PRIMARY\n"
                "THREADS: live %u  idle %u max %u idle-timeout %u\n"
                "QUEUE: %u items\n"
                "CONNECTIONS: %u max %u per-client %u refused %" G_GUINT64_FORMAT "\n"
                "SCANS: %" G_GUINT64_FORMAT "\n"
                "ENGINE: %u signatures loaded %s%s%s\n"
                /* the sizes a client can check before it copies a file (scan/limits.c), in bytes */
                "LIMITS: MaxFileSize %" G_GUINT64_FORMAT " MaxScanSize %" G_GUINT64_FORMAT
                " StreamMaxLength %" G_GUINT64_FORMAT "\n\n"
                "MEMSTATS: heap N/A mmap N/A used N/A free N/A releasable N/A pools 1 "
                "pools_used N/A pools_total N/A\n",
                busy, c->max_threads - busy, c->max_threads, c->idle_timeout, queued, active, c->max_connections, c->max_connections_per_client, refused, scans,
                sigs, when ? when : "?", reload_err ? "; last reload failed: " : "",
                reload_err ? reload_err : "", c->max_file_size, c->max_scan_size, c->stream_max_length);
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
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
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
        int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
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

/* The sockets systemd passed (agent/activation.c) first; then what is left to bind. A socket
 * systemd made is systemd's: it is never unlinked here. */
static gboolean open_listeners(AgentServer *server, GError **error)
{
        const AgentConf *c = server->conf;
        AgentActivation act;
        if (!agent_activation_take(c, &act, error))
                return FALSE;
        server->unix_fd = act.unix_fd;
        server->tcp_fd = act.tcp_fd;
        server->unix_label = g_steal_pointer(&act.unix_path);
        if (act.bind_unix) {
                server->unix_fd = listen_unix(c->local_socket, c->local_socket_mode, error);
                if (server->unix_fd < 0)
                        return FALSE;
                server->unix_path = g_strdup(c->local_socket);
                server->unix_label = g_strdup(c->local_socket);
        }
        if (act.bind_tcp) {
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
        g_cond_init(&server->slot_free);
        g_cond_init(&server->follow);
        server->clients = agent_clients_new(conf->max_connections_per_client);
        server->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (server->stop_fd < 0) {
                int e = errno;
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_IO, _("eventfd failed: %s"),
                            g_strerror(e));
                return NULL;
        }
        if (conf->tls_certificate_file && *conf->tls_certificate_file) {
                server->tls = agent_tls_new(conf, error);
                if (!server->tls)
                        return NULL;
                agent_log(AGENT_LOG_INFO, _("TCP speaks TLS only%s"),
                          agent_tls_requires_client_cert(server->tls)
                                  ? _(", with a client certificate from TLSClientCA") : "");
        }
        server->spool_dir = agent_spool_dir_create(conf->temporary_directory, error);
        if (!server->spool_dir || !open_listeners(server, error))
                return NULL;
        return g_steal_pointer(&server);
}

/* New clients can no longer reach the unix socket by its path. */
static void unlink_socket(AgentServer *server)
{
        if (server->unix_path)
                g_unlink(server->unix_path);
        g_clear_pointer(&server->unix_path, g_free);
}

/* Only once no thread can be polling them. */
static void close_listeners(AgentServer *server)
{
        unlink_socket(server);
        if (server->unix_fd >= 0)
                close(server->unix_fd);
        if (server->tcp_fd >= 0)
                close(server->tcp_fd);
        server->unix_fd = server->tcp_fd = -1;
}

void agent_server_free(AgentServer *server)
{
        if (!server)
                return;
        unlink_socket(server);
        g_mutex_lock(&server->lock);
        guint left = server->threads;
        g_mutex_unlock(&server->lock);
        if (left)
                return; /* threads still use it; the process is about to exit */
        close_listeners(server);
        if (server->spool_dir)
                g_rmdir(server->spool_dir);
        g_free(server->spool_dir);
        g_free(server->unix_label);
        if (server->stop_fd >= 0)
                close(server->stop_fd);
        if (server->loop)
                g_main_loop_unref(server->loop);
        agent_engine_unref(server->engine);
        agent_conf_free(server->conf);
        agent_clients_free(server->clients);
        agent_tls_unref(server->tls);
        g_free(server->last_reload_error);
        g_mutex_clear(&server->lock);
        g_cond_clear(&server->idle);
        g_cond_clear(&server->slot_free);
        g_cond_clear(&server->follow);
        g_free(server);
}

/* ---- connection threads: leader and followers ---- */

/* reply: one of the AGENT_REPLY_MAX_* lines. Sent newline-terminated: no command was read yet,
 * and every clamd client takes a newline as the end of a line. */
static void refuse(AgentServer *server, int fd, const char *reply, const char *why)
{
        g_autofree char *line = g_strconcat(reply, "\n", NULL);
        if (send(fd, line, strlen(line), MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
                agent_log(AGENT_LOG_DEBUG, "refusal not sent: %s", g_strerror(errno));
        close(fd);
        g_mutex_lock(&server->lock);
        server->refused++;
        g_mutex_unlock(&server->lock);
        agent_log(AGENT_LOG_WARNING, _("connection refused: %s"), why);
}

/* The leader's wait: the next connection on either listener, or -1 once stopping. */
static int accept_next(AgentServer *server, gboolean *is_unix)
{
        for (;;) {
                struct pollfd p[3] = { { server->stop_fd, POLLIN, 0 },
                                       { server->unix_fd, POLLIN, 0 },
                                       { server->tcp_fd, POLLIN, 0 } };
                if (poll(p, 3, -1) < 0 && errno != EINTR) {
                        agent_log(AGENT_LOG_ERROR, _("poll on the listeners failed: %s"),
                                  g_strerror(errno));
                        return -1;
                }
                if (p[0].revents)
                        return -1;
                for (int i = 1; i < 3; i++) {
                        if (!(p[i].revents & POLLIN))
                                continue;
                        int fd = accept4(p[i].fd, NULL, NULL, SOCK_CLOEXEC);
                        if (fd >= 0) {
                                *is_unix = i == 1;
                                return fd;
                        }
                        if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED)
                                continue;
                        agent_log(AGENT_LOG_WARNING, _("accept failed: %s"), g_strerror(errno));
                        /* out of descriptors or memory: let scans finish before trying again */
                        poll(p, 1, 100);
                }
        }
}

static gpointer conn_thread(gpointer data);

/* Starts a thread counted in server->threads beforehand; undoes the count when it fails. */
static gboolean start_thread(AgentServer *server, GError **error)
{
        GThread *t = g_thread_try_new("agent-conn", conn_thread, server, error);
        if (t) {
                g_thread_unref(t);
                return TRUE;
        }
        thread_gone(server);
        return FALSE;
}

/* Waits for the lead (a follower gives up after IdleTimeout), then for a connection; hands the
 * lead on before returning it. FALSE: the thread should exit (stopping, or idle too long). */
/* Counts an accepted connection against MaxConnections and MaxConnectionsPerClient, or refuses
 * it. Called with the lock held; returns with it held. */
static gboolean admit(AgentServer *server, int fd, const char *key)
{
        if (server->active >= server->conf->max_connections) {
                g_mutex_unlock(&server->lock);
                refuse(server, fd, AGENT_REPLY_MAX_CONNECTIONS, _("MaxConnections reached"));
                g_mutex_lock(&server->lock);
                return FALSE;
        }
        if (!agent_clients_enter(server->clients, key)) {
                g_mutex_unlock(&server->lock);
                g_autofree char *why = g_strdup_printf(_("MaxConnectionsPerClient reached by %s"),
                                                       key);
                refuse(server, fd, AGENT_REPLY_MAX_CLIENT_CONNECTIONS, why);
                g_mutex_lock(&server->lock);
                return FALSE;
        }
        server->active++;
        return TRUE;
}

static gboolean lead(AgentServer *server, int *fd, gboolean *is_unix, char **key)
{
        gint64 idle_end = g_get_monotonic_time() +
                          (gint64)server->conf->idle_timeout * G_USEC_PER_SEC;
        g_mutex_lock(&server->lock);
        while (server->has_leader && !server->stopping) {
                server->followers++;
                gboolean woken = g_cond_wait_until(&server->follow, &server->lock, idle_end);
                server->followers--;
                if (!woken && server->has_leader) {
                        g_mutex_unlock(&server->lock);
                        return FALSE;
                }
        }
        if (server->stopping) {
                g_mutex_unlock(&server->lock);
                return FALSE;
        }
        server->has_leader = TRUE;
        g_mutex_unlock(&server->lock);
        for (;;) {
                int cfd = accept_next(server, is_unix);
                g_autofree char *client = cfd >= 0 ? agent_clients_key(cfd, *is_unix) : NULL;
                g_mutex_lock(&server->lock);
                if (cfd < 0) {
                        server->has_leader = FALSE;
                        g_cond_broadcast(&server->follow);
                        g_mutex_unlock(&server->lock);
                        return FALSE;
                }
                if (!admit(server, cfd, client)) {
                        g_mutex_unlock(&server->lock);
                        continue;
                }
                server->has_leader = FALSE;
                gboolean spawn = server->followers == 0;
                if (spawn)
                        server->threads++;
                else
                        g_cond_signal(&server->follow);
                g_mutex_unlock(&server->lock);
                g_autoptr(GError) error = NULL;
                if (spawn && !start_thread(server, &error))
                        agent_log(AGENT_LOG_WARNING, _("no thread to wait for the next connection "
                                                       "(%s); one takes over when a connection "
                                                       "closes"), error->message);
                *fd = cfd;
                *key = g_steal_pointer(&client);
                return TRUE;
        }
}

static gpointer conn_thread(gpointer data)
{
        AgentServer *server = data;
        int fd = -1;
        gboolean is_unix = FALSE;
        char *key = NULL;
        while (lead(server, &fd, &is_unix, &key)) {
                agent_session_run(server, fd, is_unix);
                g_mutex_lock(&server->lock);
                server->active--;
                agent_clients_leave(server->clients, key);
                g_mutex_unlock(&server->lock);
                g_clear_pointer(&key, g_free);
        }
        thread_gone(server);
        return NULL;
}

void agent_server_wait_threads(AgentServer *server, guint seconds)
{
        gint64 end = g_get_monotonic_time() + (gint64)seconds * G_USEC_PER_SEC;
        g_mutex_lock(&server->lock);
        while (server->threads > 0 && g_cond_wait_until(&server->idle, &server->lock, end))
                ;
        g_mutex_unlock(&server->lock);
}

static void wait_for_threads(AgentServer *server)
{
        gint64 end = g_get_monotonic_time() + (gint64)server->conf->shutdown_timeout * G_USEC_PER_SEC;
        g_mutex_lock(&server->lock);
        while (server->threads > 0 && g_cond_wait_until(&server->idle, &server->lock, end))
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
        server->loop = g_main_loop_new(NULL, FALSE);
        server->threads = 1;
        if (!start_thread(server, error))
                return FALSE;
        guint sources[3] = { 0 };
        sources[0] = g_unix_signal_add(SIGTERM, on_stop_signal, server);
        sources[1] = g_unix_signal_add(SIGINT, on_stop_signal, server);
        sources[2] = g_unix_signal_add(SIGHUP, on_hup, server);
        agent_log(AGENT_LOG_INFO, _("ready: %u signatures, socket %s, TCP %s, %u threads, queue %u"),
                  agent_engine_signatures(server->engine),
                  server->unix_label ? server->unix_label : "off",
                  server->tcp_fd >= 0 ? server->conf->tcp_addr : "off", server->conf->max_threads,
                  server->conf->max_queue);
        g_main_loop_run(server->loop);
        for (gsize i = 0; i < G_N_ELEMENTS(sources); i++)
                if (sources[i])
                        g_source_remove(sources[i]);
        unlink_socket(server);
        agent_log(AGENT_LOG_INFO, _("stopping: no new connections; waiting for requests in flight"));
        wait_for_threads(server);
        return TRUE;
}
