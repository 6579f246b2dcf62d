/* agent/clients.c — connections counted per client (see clients.h).
 * Owns: the table key → open connections. Must not: lock (the server's lock guards every call),
 * reply or close descriptors. */
#include "config.h"
#include "agent/clients.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

struct AgentClients {
        guint max;
        GHashTable *open; /* char *key → GUINT_TO_POINTER(count), only keys with count > 0 */
};

AgentClients *agent_clients_new(guint max_per_client)
{
        AgentClients *clients = g_new0(AgentClients, 1);
        clients->max = max_per_client;
        clients->open = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        return clients;
}

void agent_clients_free(AgentClients *clients)
{
        if (!clients)
                return;
        g_hash_table_unref(clients->open);
        g_free(clients);
}

static char *key_unix(int fd)
{
        struct ucred cred;
        socklen_t len = sizeof(cred);
        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
                return g_strdup("uid ?"); /* all such peers share one allowance */
        return g_strdup_printf("uid %u", (guint)cred.uid);
}

static char *key_tcp(int fd)
{
        struct sockaddr_storage ss;
        socklen_t len = sizeof(ss);
        char host[INET6_ADDRSTRLEN] = "?";
        if (getpeername(fd, (struct sockaddr *)&ss, &len) != 0)
                return g_strdup(host);
        if (ss.ss_family == AF_INET) {
                inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof(host));
        } else if (ss.ss_family == AF_INET6) {
                const struct in6_addr *a = &((struct sockaddr_in6 *)&ss)->sin6_addr;
                if (IN6_IS_ADDR_V4MAPPED(a))
                        inet_ntop(AF_INET, &a->s6_addr[12], host, sizeof(host));
                else
                        inet_ntop(AF_INET6, a, host, sizeof(host));
        }
        return g_strdup(host);
}

char *agent_clients_key(int fd, gboolean is_unix)
{
        return is_unix ? key_unix(fd) : key_tcp(fd);
}

guint agent_clients_count(const AgentClients *clients, const char *key)
{
        return GPOINTER_TO_UINT(g_hash_table_lookup(clients->open, key));
}

gboolean agent_clients_enter(AgentClients *clients, const char *key)
{
        guint n = agent_clients_count(clients, key);
        if (n >= clients->max)
                return FALSE;
        g_hash_table_insert(clients->open, g_strdup(key), GUINT_TO_POINTER(n + 1));
        return TRUE;
}

void agent_clients_leave(AgentClients *clients, const char *key)
{
        guint n = agent_clients_count(clients, key);
        if (n <= 1)
                g_hash_table_remove(clients->open, key);
        else
                g_hash_table_insert(clients->open, g_strdup(key), GUINT_TO_POINTER(n - 1));
}
