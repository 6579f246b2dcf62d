/* agent/activation.c — the listening sockets systemd hands clamav-agent (socket activation):
 * sd_listen_fds(3) and sd_is_socket_*(3) of libsystemd, matched against LocalSocket and
 * TCPSocket. Owns: LISTEN_FDS. Must not: bind, listen or accept (server.c does). */
#include "config.h"
#include "agent/activation.h"
#include "agent/log.h"
#include "common/i18n.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

void agent_activation_clear(AgentActivation *act)
{
        g_clear_pointer(&act->unix_path, g_free);
}

#ifdef HAVE_LIBSYSTEMD

/* LocalSocket left at its compiled-in default counts as "not named": the unit's socket wins. */
static gboolean names_local_socket(const AgentConf *conf)
{
        if (!conf->local_socket || !*conf->local_socket)
                return FALSE;
        g_autoptr(AgentConf) defaults = agent_conf_new();
        return g_strcmp0(conf->local_socket, defaults->local_socket) != 0;
}

static char *unix_socket_path(int fd)
{
        struct sockaddr_un sun = { 0 };
        socklen_t len = sizeof(sun);
        if (getsockname(fd, (struct sockaddr *)&sun, &len) != 0 ||
            len <= offsetof(struct sockaddr_un, sun_path))
                return g_strdup("?");
        if (sun.sun_path[0] == '\0')
                return g_strdup("(abstract)");
        return g_strndup(sun.sun_path, len - offsetof(struct sockaddr_un, sun_path));
}

/* The accept loop polls the listeners and must never block in accept(). */
static gboolean set_nonblocking(int fd, GError **error)
{
        int flags = fcntl(fd, F_GETFL);
        if (flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0)
                return TRUE;
        int e = errno;
        g_set_error(error, AGENT_ERROR, AGENT_ERROR_SOCKET,
                    _("cannot make the socket passed by systemd non-blocking: %s"), g_strerror(e));
        return FALSE;
}

/* One inherited descriptor: the unix or the TCP listener, or an error. */
static gboolean take_one(const AgentConf *conf, gboolean named_unix, int fd, AgentActivation *out,
                         GError **error)
{
        if (sd_is_socket(fd, AF_UNSPEC, SOCK_STREAM, 1) <= 0) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_SOCKET,
                            _("descriptor %d passed by systemd is not a listening stream socket "
                              "(ListenStream= in clamav-agent.socket)"), fd);
                return FALSE;
        }
        if (sd_is_socket(fd, AF_UNIX, SOCK_STREAM, 1) > 0) {
                g_autofree char *path = unix_socket_path(fd);
                if (named_unix &&
                    sd_is_socket_unix(fd, SOCK_STREAM, 1, conf->local_socket, 0) <= 0) {
                        g_set_error(error, AGENT_ERROR, AGENT_ERROR_SOCKET,
                                    _("systemd passed the unix socket %s but LocalSocket is %s: "
                                      "make ListenStream= and LocalSocket name the same path"),
                                    path, conf->local_socket);
                        return FALSE;
                }
                if (out->unix_fd >= 0) {
                        g_set_error(error, AGENT_ERROR, AGENT_ERROR_SOCKET,
                                    _("systemd passed more than one unix socket (%s and %s); the "
                                      "agent serves one"), out->unix_path, path);
                        return FALSE;
                }
                out->unix_fd = fd;
                out->unix_path = g_steal_pointer(&path);
                return TRUE;
        }
        if (conf->tcp_port &&
            sd_is_socket_inet(fd, AF_UNSPEC, SOCK_STREAM, 1, (uint16_t)conf->tcp_port) <= 0) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_SOCKET,
                            _("systemd passed a TCP socket that is not on TCPSocket's port %u: make "
                              "ListenStream= and TCPSocket name the same port"), conf->tcp_port);
                return FALSE;
        }
        if (out->tcp_fd >= 0) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_SOCKET,
                            _("systemd passed more than one TCP socket; the agent serves one"));
                return FALSE;
        }
        out->tcp_fd = fd;
        return TRUE;
}

gboolean agent_activation_take(const AgentConf *conf, AgentActivation *out, GError **error)
{
        *out = (AgentActivation){ .unix_fd = -1, .tcp_fd = -1 };
        int n = sd_listen_fds(1);
        if (n < 0) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_SOCKET,
                            _("cannot take the sockets passed by systemd: %s"), g_strerror(-n));
                return FALSE;
        }
        gboolean named_unix = names_local_socket(conf);
        for (int fd = SD_LISTEN_FDS_START; fd < SD_LISTEN_FDS_START + n; fd++) {
                if (take_one(conf, named_unix, fd, out, error) && set_nonblocking(fd, error))
                        continue;
                for (int i = SD_LISTEN_FDS_START; i < SD_LISTEN_FDS_START + n; i++)
                        close(i);
                agent_activation_clear(out);
                *out = (AgentActivation){ .unix_fd = -1, .tcp_fd = -1 };
                return FALSE;
        }
        gboolean has_unix = conf->local_socket && *conf->local_socket;
        out->bind_unix = has_unix && out->unix_fd < 0 && (n == 0 || named_unix);
        out->bind_tcp = conf->tcp_port != 0 && out->tcp_fd < 0;
        if (n > 0)
                agent_log(AGENT_LOG_INFO, _("socket activation: %d socket(s) from systemd (unix %s, "
                                            "TCP %s)"), n, out->unix_path ? out->unix_path : "none",
                          out->tcp_fd >= 0 ? _("yes") : _("none"));
        return TRUE;
}

#else /* !HAVE_LIBSYSTEMD */

gboolean agent_activation_take(const AgentConf *conf, AgentActivation *out, GError **error)
{
        *out = (AgentActivation){ .unix_fd = -1, .tcp_fd = -1 };
        out->bind_unix = conf->local_socket && *conf->local_socket;
        out->bind_tcp = conf->tcp_port != 0;
        const char *fds = g_getenv("LISTEN_FDS");
        if (fds && *fds)
                agent_log(AGENT_LOG_WARNING, _("built without libsystemd: the %s socket(s) passed "
                                               "by systemd (LISTEN_FDS) are ignored; the agent "
                                               "binds its own"), fds);
        return TRUE;
}

#endif
