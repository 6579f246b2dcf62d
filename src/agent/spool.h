/* agent/spool.h — where an INSTREAM's bytes wait for the scan: memory up to a threshold, beyond
 * it an unlinked file in the agent's private spool directory. Owns: that buffer and file.
 * Must not: read sockets or scan. */
#pragma once
#include <glib.h>

typedef struct AgentSpool AgentSpool;

/* dir: a directory only the agent can enter (created by the server). transfer full */
AgentSpool *agent_spool_new(gsize memory_max, const char *dir);
void agent_spool_free(AgentSpool *spool);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AgentSpool, agent_spool_free)

gboolean agent_spool_append(AgentSpool *spool, const void *data, gsize len, GError **error);
guint64 agent_spool_size(const AgentSpool *spool);
/* After the last append: the file descriptor (rewound) or -1 when the bytes are in memory. */
int agent_spool_fd(AgentSpool *spool);
const guint8 *agent_spool_data(const AgentSpool *spool);

/* Creates a private (0700) spool directory under parent. transfer full */
char *agent_spool_dir_create(const char *parent, GError **error);
