/* agent/engine.h — one compiled libclamav engine, shared by every scanning thread.
 * Owns: cl_init, loading and compiling signatures, scan options and limits, turning libclamav's
 * results into verdicts. Must not: touch sockets or the protocol; never scan with an engine that
 * failed to compile. */
#pragma once
#include <glib.h>
#include "agent/conf.h"

typedef struct AgentEngine AgentEngine;

typedef enum {
        AGENT_VERDICT_OK,       /* every byte was scanned and nothing was found */
        AGENT_VERDICT_FOUND,    /* signature holds the name */
        AGENT_VERDICT_ERROR,    /* reason holds clamd-style text, e.g. "Not a regular file" */
} AgentVerdict;

typedef struct {
        AgentVerdict verdict;
        char *signature;        /* FOUND: the signature name */
        char *reason;           /* ERROR: why */
        guint64 scanned;        /* bytes libclamav reports as scanned */
        GPtrArray *matches;     /* FOUND with AGENT_SCAN_ALL_MATCHES: every signature (char *),
                                 * in the order libclamav reported them; else NULL */
} AgentScanResult;

typedef enum {
        AGENT_SCAN_ALL_MATCHES = 1 << 0, /* ALLMATCHSCAN: go on after the first match */
} AgentScanFlags;

void agent_scan_result_clear(AgentScanResult *result);

/* Initialises libclamav once per process. */
gboolean agent_engine_global_init(GError **error);

/* Loads every database in conf->database_directory and compiles the engine. Fails when the
 * directory holds no signatures or a database is malformed. transfer full (refcount 1). */
AgentEngine *agent_engine_new(const AgentConf *conf, GError **error);
AgentEngine *agent_engine_ref(AgentEngine *engine);
void agent_engine_unref(AgentEngine *engine);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AgentEngine, agent_engine_unref)

guint agent_engine_signatures(const AgentEngine *engine);
/* "ClamAV 1.4.6/<dbver>/<dbdate>" or "ClamAV 1.4.6" (no versioned database). transfer full */
char *agent_engine_version(const AgentEngine *engine);
/* What clamd -V says, without loading anything: "ClamAV 1.4.6/<daily version>/<its date>" from
 * the daily.cvd or daily.cld in dir, or "ClamAV 1.4.6". transfer full */
char *agent_engine_installed_version(const char *dir);
/* Wall-clock time the engine finished compiling. */
gint64 agent_engine_loaded_at(const AgentEngine *engine);

/* Scans an open descriptor, which must be a regular file (refused otherwise). */
void agent_engine_scan_fd(AgentEngine *engine, int fd, const char *name, AgentScanFlags flags,
                          AgentScanResult *out);
/* Scans a buffer in memory (no disk). */
void agent_engine_scan_memory(AgentEngine *engine, const void *data, gsize len, const char *name,
                              AgentScanResult *out);
