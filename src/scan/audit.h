/* scan/audit.h — the audit log: one JSON line per verdict and per upload, in a hash chain.
 * Owns: the log file (append-only, created 0600 in the XDG state directory by default) and the
 * record format. Must not: decide anything; it records.
 *
 * The chain: every record ends with "prev", the SHA-256 (64 lower-case hex digits) of the line
 * before it in the log, newline included (`sed -n 16p audit.jsonl | sha256sum` is line 17's
 * "prev"), so a record edited, removed or moved breaks the link of the record after it
 * (scan/audit-check.h finds the break; `clamftp --check-audit`). Records a clamftp older than the
 * chain wrote have no "prev"; the first record appended after them chains from the last one.
 *
 * Rotation: clamftp never rotates the log itself. When the log is empty (new, or emptied by
 * logrotate's copytruncate), its first record chains from the last line of "<path>.1" when that
 * file exists (logrotate's first name; with compress, delaycompress keeps it plain), else starts
 * the chain with "prev":null. A log renamed while clamftp has it open is noticed before the next
 * record (the inode at the path changed): the file at the path is opened, or created, instead.
 * A log that is no regular file (a pipe to a collector) cannot be read back: each process chains
 * the records it writes there, from "prev":null.
 *
 * Several processes (line mode runs, the full screen) may append to one log: each record is
 * written under an exclusive flock() on the log, which covers reading the last line, hashing it
 * and appending (one write(), O_APPEND); threads of one process take a mutex first. */
#pragma once
#include <glib.h>
#include "scan/client.h"
#include "scan/snapshot.h"

typedef struct ScanAudit ScanAudit;
/* $XDG_STATE_HOME/clamftp/audit.jsonl. transfer full */
char *scan_audit_default_path(void);
/* path NULL: scan_audit_default_path() */
ScanAudit *scan_audit_open(const char *path, GError **error);
void scan_audit_close(ScanAudit *audit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScanAudit, scan_audit_close)
const char *scan_audit_path(ScanAudit *audit);
/* FALSE with the first write failure since the last call (records are written from any thread). */
gboolean scan_audit_take_error(ScanAudit *audit, GError **error);
/* {"time":…,"event":"verdict","path":…,"size":…,"sha256":…,"verdict":"OK|INFECTED|ERROR",
 *  "signature":…,"reason":…,"scanner":…,"reason_class":…[,"istag":…],"prev":…}; reason_class:
 *  scan_reason_class_name(), null for OK; "istag" only when an ICAP service judged
 *  (ScanVerdict.istag). "prev" closes every record. snapshot NULL: a file whose snapshot could
 *  not be taken (an ERROR verdict of class "local", scan_verdict_new_error), recorded all the
 *  same so that every file asked for is in the log: "path" is verdict->path, "size" and
 *  "sha256" null. */
void scan_audit_verdict(ScanAudit *audit, const ScanSnapshot *snapshot, const ScanVerdict *verdict,
                        const char *scanner);
/* {"time":…,"event":"upload","path":…,"size":…,"sha256":…,"verdict":"OK","scanner":…,
 *  "server":…,"remote":…,"result":"done|failed|retried","error":…[,"verify":{…}],"prev":…} */
void scan_audit_upload(ScanAudit *audit, const ScanSnapshot *snapshot, const char *scanner,
                       const char *server, const char *remote_path, gboolean ok, const char *error);
/* The same for a resumed upload that sent only bytes offset .. size - 1 (the snapshot, scanned
 * whole, is the whole file): the record gains "offset":N when offset > 0. */
void scan_audit_upload_from(ScanAudit *audit, const ScanSnapshot *snapshot, const char *scanner,
                            const char *server, const char *remote_path, gint64 offset, gboolean ok,
                            const char *error);
/* How the server's copy was checked after an upload. */
typedef struct {
        const char *method;  /* "HASH SHA-256", "XSHA256", "SIZE", "none" (NULL: "none") */
        const char *remote;  /* what the server said (its digest, its size), NULL: nothing */
        int match;           /* 1: the same as the snapshot, 0: not, -1: nothing to compare */
} ScanAuditVerify;
/* Any upload record: result "done", "failed" or "retried", error (NULL: null), and with verify
 * (may be NULL) ,"verify":{"method":…,"remote":…,"match":true|false|null}. */
void scan_audit_upload_record(ScanAudit *audit, const ScanSnapshot *snapshot, const char *scanner,
                              const char *server, const char *remote_path, gint64 offset, const char *result,
                              const char *error, const ScanAuditVerify *verify);
/* An upload cut by a lost connection that is sent again (the same snapshot, not scanned again):
 * "result":"retried" with the error; the next record of the same file tells how it ended. */
void scan_audit_upload_retried(ScanAudit *audit, const ScanSnapshot *snapshot, const char *scanner,
                               const char *server, const char *remote_path, const char *error);
