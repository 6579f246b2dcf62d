/* common/certinfo.h — a server certificate as plain data: what a TLS handshake showed (subject,
 * issuer, validity, SHA-256, the verification result, version and cipher), copied, described in
 * words, and fingerprints as users type them. Filled by common/tls.c; read by the FTP engine, the
 * trust decision and the full-screen dialog.
 * Owns: the TlsPeerInfo record and its text. Must not: touch OpenSSL or sockets, so that code
 * which only shows or compares a certificate need not include the TLS module. */
#pragma once
#include <glib.h>

typedef struct TlsPeerInfo TlsPeerInfo;

/* What a handshake showed about the peer. */
struct TlsPeerInfo {
        char *subject;     /* RFC 2253 text, e.g. "CN=ftp.example.org,O=Example" */
        char *issuer;
        char *not_before;  /* "Jan  1 00:00:00 2026 GMT" */
        char *not_after;
        char *sha256;      /* "AB:CD:…" (32 bytes as upper-case hex pairs) */
        gboolean verified; /* the chain and the host name verified against the system's roots */
        char *verify_error;/* why not, when !verified (e.g. "self-signed certificate") */
        char *version;     /* "TLSv1.3" */
        char *cipher;      /* "TLS_AES_256_GCM_SHA384" */
        gboolean resumed;  /* the session was resumed (data connections) */
        gboolean client_cert_asked; /* the server asked for a client certificate and none was
                                     * configured (it may refuse the connection after the
                                     * handshake: TLS 1.3 says so only on the first read) */
};

TlsPeerInfo *tls_peer_info_copy(const TlsPeerInfo *info);
void tls_peer_info_free(TlsPeerInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TlsPeerInfo, tls_peer_info_free)
/* Several lines: subject, issuer, validity, SHA-256 fingerprint (for messages and questions). */
char *tls_peer_info_describe(const TlsPeerInfo *info); /* transfer full */
/* Normalises a fingerprint as typed ("sha256:ab cd…", "ABCD…", "AB:CD:…") to "AB:CD:…";
 * NULL when it is not 32 bytes of hex. */
char *tls_fingerprint_normalise(const char *text); /* transfer full */
