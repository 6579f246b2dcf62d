/* agent/activation.h — the listening sockets systemd hands clamav-agent (socket activation,
 * clamav-agent.socket). Owns: telling which inherited socket is LocalSocket and which TCPSocket,
 * and which configured listeners the agent must still bind itself. Must not: bind or accept. */
#pragma once
#include <glib.h>
#include "agent/conf.h"

typedef struct {
        int unix_fd;         /* an inherited unix listener, or -1 */
        char *unix_path;     /* its path (for the log) */
        int tcp_fd;          /* an inherited TCP listener, or -1 */
        gboolean bind_unix;  /* LocalSocket is still to be bound by the agent */
        gboolean bind_tcp;   /* TCPSocket is still to be bound by the agent */
} AgentActivation;

/* Takes the sockets passed with LISTEN_FDS/LISTEN_PID (and unsets those variables), as clamd
 * does: a unix socket must be at LocalSocket, a TCP one on TCPSocket's port; when the
 * configuration leaves LocalSocket at its default (or sets no TCPSocket), the inherited socket of
 * that family is used whatever its address, and the default socket is not bound. Without
 * libsystemd it takes nothing (and says so when LISTEN_FDS is set). FALSE, with every inherited
 * socket closed, when one is not a listening stream socket or does not match. */
gboolean agent_activation_take(const AgentConf *conf, AgentActivation *out, GError **error);
void agent_activation_clear(AgentActivation *act); /* frees the path; the fds are the caller's */
