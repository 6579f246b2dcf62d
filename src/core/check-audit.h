/* core/check-audit.h — `clamftp --check-audit FILE…`: verifies audit logs and says the result.
 * Owns: the words and the exit status of the check. Must not: verify anything itself
 * (scan/audit-check.c does) or write to a log. */
#pragma once
#include <glib.h>
#include <stdio.h>

/* Checks files (oldest first; NULL or empty: the log clamftp writes, audit_log or the default)
 * and prints "OK: N records" or the first break as "FILE:LINE: what is wrong" to out, an error
 * to err. Returns 0 when the log is whole, 1 when it is broken, 2 when a file cannot be read. */
int core_check_audit_main(char **files, const char *audit_log, FILE *out, FILE *err);
