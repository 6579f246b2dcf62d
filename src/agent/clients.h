/* agent/clients.h — who a connection belongs to, and how many connections each client holds.
 * Owns: the client key (the uid of a unix-socket peer, the address of a TCP peer) and the count
 * per key against MaxConnectionsPerClient. Must not: accept, reply, or lock: the server calls it
 * under its own lock. */
#pragma once
#include <glib.h>

typedef struct AgentClients AgentClients;

/* max_per_client: connections one client may hold at once. transfer full */
AgentClients *agent_clients_new(guint max_per_client);
void agent_clients_free(AgentClients *clients);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AgentClients, agent_clients_free)

/* "uid 1000" for a unix-socket peer (SO_PEERCRED), "192.0.2.7" or "2001:db8::1" for TCP (an
 * IPv4-mapped IPv6 address counts as the IPv4 one; the port never counts). transfer full */
char *agent_clients_key(int fd, gboolean is_unix);

/* Counts one more connection for key; FALSE (nothing counted) when it already holds the max. */
gboolean agent_clients_enter(AgentClients *clients, const char *key);
/* Counts one connection of key as closed. */
void agent_clients_leave(AgentClients *clients, const char *key);
/* Connections key holds now. */
guint agent_clients_count(const AgentClients *clients, const char *key);
