/* common/tls.h — the client side of TLS (OpenSSL) for NetStream: one context per FTP session with
 * the system's trust roots, TLS 1.2 as the minimum, and a cache holding only the control
 * connection's latest session (what data connections must resume).
 * Owns: SSL_CTX set-up, the control-session cache, the verification result, and filling the
 * certificate's description (common/certinfo.h) from a handshake. Must not: decide whether an unverified
 * certificate is acceptable (the FTP engine and the user do), send protocol bytes, or print. */
#pragma once
#include <glib.h>
#include "common/certinfo.h"

typedef struct TlsContext TlsContext;

/* max_version: 0 for the newest OpenSSL offers, else 12 (TLS 1.2) or 13 (TLS 1.3). */
TlsContext *tls_context_new(int max_version, GError **error);
/* Contexts are reference-counted: tls_context_free drops one reference. Threads may share one
 * (its stored session and certificate description are guarded by its own lock). */
TlsContext *tls_context_ref(TlsContext *ctx);
void tls_context_free(TlsContext *ctx);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TlsContext, tls_context_free)
/* Forgets the stored control session (a new control connection starts over). */
void tls_context_forget_session(TlsContext *ctx);
/* TRUE when a control session is stored for data connections to resume. */
gboolean tls_context_has_session(TlsContext *ctx);
/* For a client making many like connections to one server (a scanner): every connection, whatever
 * its `control`, resumes the stored session and stores the sessions it is given, so only the
 * first (and one after the server forgot the session) makes a full handshake. */
void tls_context_resume_every_connection(TlsContext *ctx);

/* Used by net.c: a new SSL object for fd, with SNI and the host-name check for `host`. A control
 * connection's SSL feeds the session cache; a data connection's resumes the stored session. */
typedef struct ssl_st TlsSsl;
TlsSsl *tls_ssl_new(TlsContext *ctx, int fd, const char *host, gboolean control, GError **error);
/* After a control handshake: remembers the key-exchange group the server chose, so that data
 * connections offer it first (no HelloRetryRequest round trip per data connection). */
void tls_context_note_handshake(TlsContext *ctx, TlsSsl *ssl);
TlsPeerInfo *tls_ssl_peer_info(TlsSsl *ssl); /* transfer full; after the handshake */

/* A client certificate (PEM chain) and its key, shown to servers that ask for one (mutual TLS,
 * e.g. clamav-agent's TLSClientCA). An error names the file that cannot be used, or says the
 * key is not the certificate's. */
gboolean tls_context_use_certificate(TlsContext *ctx, const char *cert_file, const char *key_file,
                                     GError **error);
