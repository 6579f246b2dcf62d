/* agent/session.h — one client connection of clamav-agent, from the first command to close.
 * Owns: reading commands and stream data with deadlines, received descriptors, the replies.
 * Must not: accept connections, own threads, or touch the engine except through the server. */
#pragma once
#include <glib.h>
#include "agent/server.h"

/* Serves the connection on fd and closes it. is_unix: came in on the unix socket. */
void agent_session_run(AgentServer *server, int fd, gboolean is_unix);
