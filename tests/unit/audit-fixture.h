/* tests/unit/audit-fixture.h — what the audit log's tests share: fake snapshots, a private log
 * path per test, a log's lines, and a log of varied records written through scan/audit.c.
 * Must not: check anything (the tests do) or write outside the test's XDG state directory. */
#pragma once
#include <glib.h>
#include "scan/audit.h"

/* A snapshot that was never taken: path, size and a fixed SHA-256. transfer full */
ScanSnapshot *audit_fixture_snapshot(const char *path, gint64 size);
/* $XDG_STATE_HOME/<the test's path>/audit.jsonl (its directory not made yet). transfer full */
char *audit_fixture_log_path(void);
/* The lines of path, without their newlines (the file must end with one); asserts it reads. */
char **audit_fixture_lines(const char *path);
/* Appends n records to the log at path through scan_audit_*: verdicts (OK, INFECTED, ERROR) and
 * uploads (done, failed with an error, retried, resumed with an offset, checked on the server
 * with "verify"), in turn. */
void audit_fixture_write(const char *path, guint n);
/* Writes lines (each gets its "\n") as the whole file path. */
void audit_fixture_set_lines(const char *path, char **lines);
/* The SHA-256 of text followed by "\n", computed here (not by scan/audit-chain.c). transfer full */
char *audit_fixture_line_hash(const char *text);
