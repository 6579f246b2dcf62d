/* scan/icap.h — an ICAP client (RFC 3507) as a scanner: OPTIONS, and RESPMOD with the file as the
 * body of an encapsulated HTTP response, over icap:// or icaps:// (TLS).
 * Owns: the URL, the connection and its TLS, what OPTIONS said (Methods, Preview, ISTag,
 * Max-Connections, Options-TTL), the RESPMOD request with its preview, and the timeouts of each
 * exchange. The replies are read and judged by scan/icap-reply.c. Must not: decide what to upload,
 * print, touch the screen, or use the file offset of the descriptor it scans.
 * Fails closed: see scan/icap-reply.h; an unreachable server, a timeout, a certificate that does
 * not verify or any reply not understood is SCAN_VERDICT_ERROR. */
#pragma once
#include <glib.h>
#include "scan/client.h"

#define SCAN_ICAP_PORT 1344
#define SCAN_ICAPS_PORT 11344

typedef struct ScanIcap ScanIcap;

/* TRUE when address names an ICAP service (icap:// or icaps://), whether or not it parses. */
gboolean scan_icap_is_url(const char *address);
/* url: icap://host[:port]/service[?args] or icaps://… (TLS; the certificate must verify against
 * the system's roots, or SSL_CERT_FILE, as FTPS's do). Nothing is sent yet. */
ScanIcap *scan_icap_new(const char *url, GError **error);
/* Same URL, timeout, trusted fingerprint and what OPTIONS said; no cancel fd, no connection. */
ScanIcap *scan_icap_copy(const ScanIcap *icap);
void scan_icap_free(ScanIcap *icap);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScanIcap, scan_icap_free)
const char *scan_icap_url(const ScanIcap *icap); /* normalised: scheme://host:port/service[?args] */
/* Bounds each wait (connect, handshake, each write, each read); default 60 s. The wait for the
 * verdict also allows the scan 1 s per 2 MiB of the file. */
void scan_icap_set_timeout_ms(ScanIcap *icap, int timeout_ms);
void scan_icap_set_cancel_fd(ScanIcap *icap, int cancel_fd);
/* icaps: a certificate with this SHA-256 ("AB:CD:…") is taken although it does not verify. NULL:
 * only verified ones (and what the trust lookup below gives). */
void scan_icap_set_trusted_fingerprint(ScanIcap *icap, const char *sha256);
/* icaps: asked for host:port when the certificate does not verify and no fingerprint was set;
 * ScanTrustLookup (scan/client.h) gives the fingerprint the user trusts there. Copies keep it. */
void scan_icap_set_trust_lookup(ScanIcap *icap, ScanTrustLookup lookup);

/* Asks OPTIONS: the health check. TRUE when the service answers 200 and offers RESPMOD; keeps
 * Preview, ISTag, Max-Connections and Options-TTL. A scan asks it first when nothing is known yet
 * or the TTL ran out. */
gboolean scan_icap_options(ScanIcap *icap, GError **error);
/* The latest ISTag (from OPTIONS or a scan), NULL when none is known. */
const char *scan_icap_istag(const ScanIcap *icap);
/* Max-Connections from OPTIONS, 0 when the server named none (for a pool sizing its members). */
guint scan_icap_max_connections(const ScanIcap *icap);
/* The preview size OPTIONS offered, -1 when none. */
gssize scan_icap_preview(const ScanIcap *icap);

/* RESPMOD of `size` bytes of fd, read with pread from offset 0 (fd's own offset is never used or
 * moved). The verdict carries the reply's ISTag (ScanVerdict.istag). Never NULL. */
ScanVerdict *scan_icap_scan_fd(ScanIcap *icap, int fd, gint64 size);
