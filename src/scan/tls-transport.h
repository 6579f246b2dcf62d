/* scan/tls-transport.h — TLS to a scanner at tls:host:port (clamav-agent's TLSCertificateFile):
 * the handshake on a connected stream, the scanner's certificate checked as FTPS checks a
 * server's (the system's roots, else the fingerprint stored for host:port in the
 * trusted-certificates file, through the client's ScanTrustLookup), and the client certificate
 * shown for mutual TLS.
 * Owns: the client identity toward scanners (one per process) and the words of every TLS
 * refusal. Must not: frame the clamd protocol, decide on a verdict, or ask the user anything
 * (it runs on scanner threads: an unknown certificate is refused with how to trust it). */
#pragma once
#include <glib.h>
#include "common/net.h"
#include "scan/client.h"

/* The client certificate (PEM chain) and key every TLS scanner connection shows when asked;
 * both NULL for none. Checked at once (readable, the key the certificate's): an error names the
 * file. Call before scanner threads start (option handling). */
gboolean scan_tls_set_identity(const char *cert_file, const char *key_file, GError **error);

typedef struct ScanTls ScanTls;
/* The TLS side of one scanner client; address is how messages name the scanner. A client and
 * its copies (one per thread) share one TLS context: each connection resumes the latest session
 * any of them was given (the agent's tickets), so a batch makes one full handshake, not one per
 * file. transfer full */
ScanTls *scan_tls_new(const char *host, guint16 port, const char *address);
/* The same scanner, trust lookup and shared context, for another thread's client (no
 * connection state). */
ScanTls *scan_tls_copy(const ScanTls *tls); /* transfer full */
/* Where a certificate that does not verify may still be trusted (core_trust_lookup); NULL:
 * only verified certificates pass. */
void scan_tls_set_trust_lookup(ScanTls *tls, ScanTrustLookup lookup);
void scan_tls_free(ScanTls *tls);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScanTls, scan_tls_free)

/* The handshake on a connected stream, then the certificate check; nothing of the protocol is
 * sent before both pass. FALSE with a SCAN_ERROR: TIMEOUT, CANCELLED, or UNREACHABLE with words
 * a user can act on (a certificate that does not verify shows its fingerprint and the line that
 * trusts it; one that differs from the stored fingerprint is the loud refusal). */
gboolean scan_tls_start(ScanTls *tls, NetStream *stream, gint64 deadline, int cancel_fd,
                        GError **error);
/* When an exchange after the handshake failed with `net`: what the scanner most likely refused
 * (a client certificate it asked for and did not get, or did not accept), else NULL. */
char *scan_tls_explain(ScanTls *tls, const GError *net); /* transfer full */
