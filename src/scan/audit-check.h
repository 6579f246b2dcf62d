/* scan/audit-check.h — verifies audit logs: the hash chain across the files given, in order, and
 * the form of every record. Owns: what a whole log is, and the words for the first break.
 * Must not: print (core/check-audit.c words the report), write to any log, or repair one.
 *
 * A record is whole when its line is a JSON object with the fields its event must have, of the
 * right types (audit.h: "verdict", "upload"; fields this checker does not know are allowed, so a
 * newer clamftp's records still pass), and its "prev" is the hash of the line before it
 * (audit-chain.h). The first record read may start the chain ("prev":null) or continue one from a
 * file not given; a "prev":null anywhere else is a break. Records without "prev" are allowed only
 * before the first chained record (a log written before the chain existed): they are counted as
 * unchained, and only the last of them is pinned by the record after it. The last record of all
 * has no successor to pin it: the report gives its hash, for the user to keep elsewhere.
 * Each file is read under a shared flock(), so a record being appended is read whole or not at all. */
#pragma once
#include <glib.h>
#include "scan/audit-chain.h"

typedef struct {
        gulong records;     /* records read and found whole (before the break, if any) */
        gulong unchained;   /* of those, the leading ones without "prev" */
        gboolean continues; /* the first chained record follows a line in no file given */
        char last[SCAN_AUDIT_HASH_SIZE]; /* the hash of the last whole record, "" for none */
        gboolean broken;
        char *file;         /* the break: the file, as given */
        gulong line;        /* its line, from 1 */
        char *problem;      /* what is wrong there, in words (translated) */
} ScanAuditReport;

/* Reads files (NULL-terminated, oldest first). NULL with error only when a file cannot be opened
 * or read (SCAN_ERROR_LOCAL); a log that is not whole is a report with broken set. transfer full */
ScanAuditReport *scan_audit_check(const char *const *files, GError **error);
void scan_audit_report_free(ScanAuditReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScanAuditReport, scan_audit_report_free)

/* NULL when text is a whole record (its form only, not its place in the chain), else the problem
 * in words. transfer full */
char *scan_audit_check_record(const char *text, gsize len);
