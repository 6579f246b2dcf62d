/* agent/clamopts.h — clamd.conf's settings that are libclamav scan options, database options or
 * engine fields (ScanPE, ScanOneNote, HeuristicScanPrecedence, AlertOLE2Macros, DetectPUA,
 * MaxHTMLNormalize, PCREMatchLimit …), with clamd 1.4's defaults. Owns: the table from those names
 * to bits and fields, parsing their values, applying them to an engine.
 * Must not: load signatures, scan, or know about sockets. */
#pragma once
#include <glib.h>

/* Rows of the table; AgentConf keeps one value per row (-1: not set, clamd's default). */
#define AGENT_CLAM_SETTINGS 51

struct cl_engine;
struct cl_scan_options;

/* The row of a setting name (case-insensitive), or -1. */
int agent_clamopts_find(const char *name);
const char *agent_clamopts_name(int row);
/* Parses a value for a row: yes/no for switches, a number or size for fields, the words of
 * BytecodeSecurity and BytecodeMode. */
gboolean agent_clamopts_parse(int row, const char *value, gint64 *out);

/* Sets the scan option bits the values ask for (and clears those they turn off). */
void agent_clamopts_scan_options(const gint64 *values, struct cl_scan_options *options);
/* The database options for cl_load, from CL_DB_STDOPT-like defaults in dbopts. */
unsigned int agent_clamopts_db_options(const gint64 *values, unsigned int dbopts);
/* The engine fields that were set; before cl_load. */
gboolean agent_clamopts_engine(const gint64 *values, struct cl_engine *cl, GError **error);
