/* agent/log.h — clamav-agent's log: stderr (foreground), LogFile and/or syslog.
 * Owns: where log lines go and their timestamp. Must not: decide what is logged. */
#pragma once
#include <glib.h>
#include "agent/conf.h"

typedef enum { AGENT_LOG_ERROR, AGENT_LOG_WARNING, AGENT_LOG_INFO, AGENT_LOG_DEBUG } AgentLogLevel;

/* Opens the destinations conf names; stderr is used while foreground or before detaching. */
gboolean agent_log_open(const AgentConf *conf, GError **error);
/* Stops writing to stderr (after the daemon detached from the terminal). */
void agent_log_detach_stderr(void);
void agent_log_close(void);
void agent_log(AgentLogLevel level, const char *format, ...) G_GNUC_PRINTF(2, 3);
