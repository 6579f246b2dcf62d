/* agent/server.h — clamav-agent's daemon: listeners, accepting, the connection cap, the scanning
 * connection threads, the scan slots with their bounded queue, the current engine and its reload, the orderly stop.
 * Owns: every thread and socket of the daemon except what one connection does (session.c).
 * Must not: parse commands or write replies (session.c and protocol.c do). */
#pragma once
#include <glib.h>
#include "agent/conf.h"
#include "agent/conn-tls.h"
#include "agent/engine.h"

typedef struct AgentServer AgentServer;

/* Creates the private spool directory and binds the listeners (so a daemon detaching afterwards
 * has already reported any error). Takes ownership of conf and engine. transfer full */
AgentServer *agent_server_new(AgentConf *conf, AgentEngine *engine, GError **error);
/* Serves until SIGTERM, SIGINT or SHUTDOWN; then stops accepting, lets requests in flight finish
 * within ShutdownTimeout, removes the socket. */
gboolean agent_server_run(AgentServer *server, GError **error);
void agent_server_free(AgentServer *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AgentServer, agent_server_free)

/* For the connections (session.c). */
const AgentConf *agent_server_conf(AgentServer *server);
const char *agent_server_spool_dir(AgentServer *server);
/* The TCP listener's TLS (a reference: a reload may replace it), NULL: plain. transfer full */
AgentTls *agent_server_tls(AgentServer *server);
int agent_server_stop_fd(AgentServer *server); /* readable once the server is stopping */
AgentEngine *agent_server_engine(AgentServer *server); /* transfer full (a reference) */
/* Runs one scan on the calling thread once it holds one of MaxThreads scan slots (waiting in
 * the queue of MaxQueue for one): data/len when fd < 0. FALSE when the queue is full (nothing
 * was scanned). */
gboolean agent_server_scan(AgentServer *server, AgentEngine *engine, int fd, const void *data,
                           gsize len, const char *name, AgentScanFlags flags,
                           AgentScanResult *out);
void agent_server_request_reload(AgentServer *server);
/* Waits until no thread the server counts is running (a reload it started, and before
 * agent_server_run returns, its connection threads), at most `seconds`. */
void agent_server_wait_threads(AgentServer *server, guint seconds);
void agent_server_request_stop(AgentServer *server);
char *agent_server_stats(AgentServer *server); /* transfer full; STATS reply without END */
