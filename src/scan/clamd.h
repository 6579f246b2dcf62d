/* scan/clamd.h — one scanner spoken to in the clamd protocol (clamd itself or clamav-agent): a
 * member of a scanner pool (scan/client.h), behind the backend table of scan/backend.h.
 * Owns: the scanner address, FILDES and INSTREAM, PING/VERSION, reply parsing into a verdict, and
 * the timeouts of every exchange. Must not: decide what to upload, retry on another scanner,
 * print, or touch the screen. Fails closed: anything other than a well-formed "stream: OK" /
 * "fd[N]: OK" for the whole file is never SCAN_VERDICT_OK. */
#pragma once
#include <glib.h>
#include "scan/verdict.h"
#include "scan/client.h" /* ScanTrustLookup */

typedef struct ScanClamd ScanClamd;
/* address: "unix:/path", "tcp:host:port", "tls:host:port" (TCP with TLS: the scanner's
 * certificate checked by scan/tls-transport.c, the client certificate of scan_tls_set_identity
 * shown when asked), or a bare absolute path (unix socket);
 * "instream:unix:/path" (or "instream:/path") streams every file over the unix socket instead of
 * passing its descriptor.
 *
 * How a file reaches the scanner: over a unix socket, by FILDES (the snapshot's descriptor, opened
 * again read-only, in SCM_RIGHTS: nothing is copied and the scanner reads the very bytes that will
 * be uploaded); over TCP or TLS, or with "instream:", by INSTREAM. Before its first FILDES scan a client
 * makes sure the scanner flags a file it cannot scan whole: clamd skips a file over MaxFileSize and
 * answers OK unless AlertExceedsMax is on, where INSTREAM at least meets StreamMaxLength's ERROR.
 * So it passes a sparse 4 GiB memfd (over any limit libclamav allows) once: a detection
 * (Heuristics.Limits.Exceeded…) lets FILDES be used; OK, or an ERROR in the scanner's words,
 * keeps this client on INSTREAM. "UNKNOWN COMMAND" or "didn't receive file descriptor" to a FILDES
 * does the same. Copies of a client share what was learnt. */
ScanClamd *scan_clamd_new(const char *address, GError **error);
/* Same address, timeout and what was learnt about FILDES (shared); no cancel fd. */
ScanClamd *scan_clamd_copy(ScanClamd *client);
void scan_clamd_free(ScanClamd *client);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScanClamd, scan_clamd_free)
const char *scan_clamd_address(ScanClamd *client); /* as given, normalised */
/* Bounds each wait (connect, each write, the reply); default 60 s. The wait for a verdict also
 * allows the scan 1 s per 2 MiB of the file, so a slow scan of a large file is not cut short. */
void scan_clamd_set_timeout_ms(ScanClamd *client, int timeout_ms);
void scan_clamd_set_cancel_fd(ScanClamd *client, int cancel_fd);
/* tls: only (nothing otherwise): where a certificate that does not verify may still be trusted. */
void scan_clamd_set_trust_lookup(ScanClamd *client, ScanTrustLookup lookup);

gboolean scan_clamd_ping(ScanClamd *client, GError **error);
char *scan_clamd_version(ScanClamd *client, GError **error); /* transfer full */
/* STATS: the report's lines as sent (control characters but '\n' and '\t' replaced), up to its
 * END line. transfer full */
char *scan_clamd_stats(ScanClamd *client, GError **error);
/* Scans `size` bytes of fd from offset 0 and returns the verdict. Never NULL: every failure
 * becomes a SCAN_VERDICT_ERROR with the reason. FILDES is used only for a regular file of exactly
 * `size` bytes (the scanner then reads the whole file); otherwise INSTREAM sends `size` bytes read
 * with pread. fd's file offset is never used, and the scanner gets its own open file description,
 * so whoever reads fd next must use pread (or read from an explicit offset) as the upload does. */
ScanVerdict *scan_clamd_scan_fd(ScanClamd *client, int fd, gint64 size);
/* TRUE when the next scan of a regular file would pass its descriptor (FILDES): a unix address
 * not given as "instream:", and a scanner not (yet) found to lack FILDES or to skip large files. */
gboolean scan_clamd_uses_fildes(ScanClamd *client);
/* For a client used by one thread for a batch: FILDES scans share one IDSESSION connection
 * (clamd's IDSESSION … END) instead of one connection each. A reply counts only when it carries
 * its request's number; a session refused, closed or out of step is dropped and the scan made
 * again on its own connection; after a few such failures the client stops opening sessions.
 * A session idle for 5 s is ended before the next scan (clamd's IdleTimeout closes idle ones). */
void scan_clamd_use_sessions(ScanClamd *client, gboolean use);
/* Sends END and closes the session, if one is open (scan_clamd_free does it too). */
void scan_clamd_end_session(ScanClamd *client);
