/* scan/audit-chain.h — the hash chain of the audit log: what a record's "prev" field holds.
 * Owns: the hash of a line, the last line of a log file, and which file came before a log that
 * was rotated. Must not: write the log (audit.c) or judge whether a log is whole (audit-check.c). */
#pragma once
#include <glib.h>

/* 64 lower-case hex digits and a NUL: SHA-256. "" stands for "no line": "prev":null. */
#define SCAN_AUDIT_HASH_SIZE 65

/* The SHA-256 of one line as the log holds it: its len bytes, then "\n". A last line cut before
 * its newline is hashed as though it had one (the writer adds that newline before appending). */
void scan_audit_chain_hash(const char *line, gsize len, char out[SCAN_AUDIT_HASH_SIZE]);
/* The hash of the last line of the file open as fd (read with pread(): the file offset is left
 * alone), or "" when the file is empty; *complete is FALSE when the file does not end with "\n".
 * name: the file's name, for the error message. */
gboolean scan_audit_chain_last(int fd, const char *name, char out[SCAN_AUDIT_HASH_SIZE], gboolean *complete, GError **error);
/* The same for a file known to hold `size` bytes (the caller's fstat): one pread() when the last
 * line fits in the last 4 KiB. */
gboolean scan_audit_chain_last_of(int fd, const char *name, gint64 size, char out[SCAN_AUDIT_HASH_SIZE],
                                  gboolean *complete, GError **error);
/* Rotation: the file a log at path was rotated to, "<path>.1" (logrotate's and savelog's first
 * name). The first record of an empty log chains from that file's last line when it is a
 * non-empty regular file (read under a shared flock), else starts the chain ("prev":null): out
 * is "" then. transfer full */
char *scan_audit_chain_predecessor(const char *path);
gboolean scan_audit_chain_from_predecessor(const char *path, char out[SCAN_AUDIT_HASH_SIZE], GError **error);
