/* scan/tls-transport.c — TLS to a tls:host:port scanner: handshake, the scanner's certificate
 * against the system's roots or the trusted-certificates file, and the client certificate.
 * Owns: the process's client identity toward scanners, the TLS context a client and its copies
 * share (every connection resumes the latest session: one full handshake, not one per scan), the
 * words of TLS refusals. Must not: frame the protocol, ask the user, or store a fingerprint. */
#include "config.h"
#include "scan/tls-transport.h"
#include "common/i18n.h"
#include "common/certinfo.h"
#include "common/tls.h"

#include <string.h>

G_LOCK_DEFINE_STATIC(identity);
static char *identity_cert; /* guarded by identity */
static char *identity_key;

/* What a client and its copies (one per scanning thread) share: the context, and with it the
 * latest session every connection resumes. */
typedef struct {
        gint refs;
        GMutex lock;
        TlsContext *ctx;    /* made at the first connection of any copy, with the identity of that time */
        char *cert_file;    /* the identity it shows */
} Shared;

struct ScanTls {
        char *host;
        guint16 port;
        char *address;
        ScanTrustLookup trust_lookup; /* the fingerprint the user trusts for host:port, or NULL */
        Shared *shared;
        TlsContext *ctx;    /* this copy's reference to the shared context, from its first connection */
        char *cert_file;    /* the client certificate it shows, or NULL */
        gboolean asked;     /* the last handshake was asked for a certificate and had none */
};

gboolean scan_tls_set_identity(const char *cert_file, const char *key_file, GError **error)
{
        if ((cert_file == NULL) != (key_file == NULL)) {
                g_set_error_literal(error, SCAN_ERROR, SCAN_ERROR_ADDRESS,
                                    _("A client certificate for the scanner needs both --scanner-cert and "
                                      "--scanner-key (tls-cert and tls-key in [scanner])."));
                return FALSE;
        }
        if (cert_file) {
                g_autoptr(GError) local = NULL;
                g_autoptr(TlsContext) probe = tls_context_new(0, &local);
                if (!probe || !tls_context_use_certificate(probe, cert_file, key_file, &local)) {
                        g_set_error(error, SCAN_ERROR, SCAN_ERROR_ADDRESS, "%s", local->message);
                        return FALSE;
                }
        }
        G_LOCK(identity);
        g_free(identity_cert);
        g_free(identity_key);
        identity_cert = g_strdup(cert_file);
        identity_key = g_strdup(key_file);
        G_UNLOCK(identity);
        return TRUE;
}

ScanTls *scan_tls_new(const char *host, guint16 port, const char *address)
{
        ScanTls *tls = g_new0(ScanTls, 1);
        tls->host = g_strdup(host);
        tls->port = port;
        tls->address = g_strdup(address);
        tls->shared = g_new0(Shared, 1);
        tls->shared->refs = 1;
        g_mutex_init(&tls->shared->lock);
        return tls;
}

ScanTls *scan_tls_copy(const ScanTls *tls)
{
        ScanTls *copy = g_new0(ScanTls, 1);
        copy->host = g_strdup(tls->host);
        copy->port = tls->port;
        copy->address = g_strdup(tls->address);
        copy->trust_lookup = tls->trust_lookup;
        copy->shared = tls->shared;
        g_atomic_int_inc(&copy->shared->refs);
        return copy;
}

static void shared_unref(Shared *shared)
{
        if (!g_atomic_int_dec_and_test(&shared->refs))
                return;
        tls_context_free(shared->ctx);
        g_free(shared->cert_file);
        g_mutex_clear(&shared->lock);
        g_free(shared);
}

void scan_tls_set_trust_lookup(ScanTls *tls, ScanTrustLookup lookup)
{
        tls->trust_lookup = lookup;
}

void scan_tls_free(ScanTls *tls)
{
        if (!tls)
                return;
        g_free(tls->host);
        g_free(tls->address);
        g_free(tls->cert_file);
        tls_context_free(tls->ctx);
        shared_unref(tls->shared);
        g_free(tls);
}


/* The shared context, made with the identity of now when there is none or it shows another. */
static gboolean make_context(ScanTls *tls, GError **error)
{
        Shared *shared = tls->shared;
        G_LOCK(identity);
        g_autofree char *cert = g_strdup(identity_cert);
        g_autofree char *key = g_strdup(identity_key);
        G_UNLOCK(identity);
        g_mutex_lock(&shared->lock);
        if (!shared->ctx || g_strcmp0(shared->cert_file, cert) != 0) {
                g_autoptr(GError) local = NULL;
                g_autoptr(TlsContext) ctx = tls_context_new(0, &local);
                if (!ctx || (cert && !tls_context_use_certificate(ctx, cert, key, &local))) {
                        g_mutex_unlock(&shared->lock);
                        g_set_error(error, SCAN_ERROR, SCAN_ERROR_LOCAL, "%s", local->message);
                        return FALSE;
                }
                tls_context_resume_every_connection(ctx);
                tls_context_free(shared->ctx);
                shared->ctx = g_steal_pointer(&ctx);
                g_free(shared->cert_file);
                shared->cert_file = g_strdup(cert);
        }
        tls->ctx = tls_context_ref(shared->ctx);
        g_mutex_unlock(&shared->lock);
        tls->cert_file = g_steal_pointer(&cert);
        return TRUE;
}

static void handshake_failed(ScanTls *tls, const GError *net, GError **error)
{
        if (net->code == NET_ERROR_CANCELLED) {
                g_set_error_literal(error, SCAN_ERROR, SCAN_ERROR_CANCELLED, _("The scan was cancelled."));
                return;
        }
        if (net->code == NET_ERROR_TIMEOUT) {
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_TIMEOUT,
                            _("The TLS handshake with the scanner at %s did not finish in time: does it speak "
                              "TLS there (clamav-agent's TLSCertificateFile)?"), tls->address);
                return;
        }
        g_set_error(error, SCAN_ERROR, net->code == NET_ERROR_CLOSED ? SCAN_ERROR_UNREACHABLE : SCAN_ERROR_UNTRUSTED,
                    _("The TLS handshake with the scanner at %s failed (%s); no file was sent. Does it "
                      "speak TLS there (clamav-agent's TLSCertificateFile), and does it want a client "
                      "certificate (--scanner-cert and --scanner-key)?"), tls->address, net->message);
}

/* One line (a verdict's reason is shown on one line): subject, issuer, validity. */
static char *describe_briefly(const TlsPeerInfo *cert)
{
        return g_strdup_printf(_("subject %s, issuer %s, valid %s to %s"), cert->subject ? cert->subject : "?",
                               cert->issuer ? cert->issuer : "?", cert->not_before ? cert->not_before : "?",
                               cert->not_after ? cert->not_after : "?");
}

/* A certificate that does not verify against the system's roots: let in only by the
 * fingerprint stored for host:port, as FTPS does; else refused, saying how to trust it. */
static gboolean check_pinned(ScanTls *tls, const TlsPeerInfo *cert, GError **error)
{
        g_autofree char *stored = tls->trust_lookup ? tls->trust_lookup(tls->host, tls->port) : NULL;
        if (stored && cert->sha256 && g_ascii_strcasecmp(stored, cert->sha256) == 0)
                return TRUE;
        g_autofree char *key = strchr(tls->host, ':') ? g_strdup_printf("[%s]:%u", tls->host, tls->port)
                                                      : g_strdup_printf("%s:%u", tls->host, tls->port);
        /* where core/trust.c keeps the user's choices (core_trust_file) */
        g_autofree char *file = g_build_filename(g_get_user_data_dir(), "clamftp", "trusted-certs", NULL);
        g_autofree char *details = describe_briefly(cert);
        const char *why = cert->verify_error ? cert->verify_error : "?";
        const char *shown = cert->sha256 ? cert->sha256 : "?";
        if (stored) {
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_UNTRUSTED,
                            _("WARNING: THE CERTIFICATE OF THE SCANNER AT %s HAS CHANGED; someone may be "
                              "intercepting the connection. It was refused and no file was sent. Trusted "
                              "before: SHA-256 %s; shown now: SHA-256 %s (%s; %s). Only if the scanner's "
                              "administrator confirms the new certificate, replace the line of %s in %s "
                              "with “%s %s”."),
                            tls->address, stored, shown, why, details, key, file, key, shown);
                return FALSE;
        }
        g_set_error(error, SCAN_ERROR, SCAN_ERROR_UNTRUSTED,
                    _("The certificate of the scanner at %s does not verify (%s; %s; SHA-256 %s); the "
                      "connection was refused and no file was sent. If you know this is the scanner's "
                      "certificate, trust it by adding the line “%s %s” to %s."),
                    tls->address, why, details, shown, key, shown, file);
        return FALSE;
}

gboolean scan_tls_start(ScanTls *tls, NetStream *stream, gint64 deadline, int cancel_fd,
                        GError **error)
{
        if (!tls->ctx && !make_context(tls, error))
                return FALSE;
        g_autoptr(GError) net = NULL;
        if (!net_stream_start_tls(stream, tls->ctx, tls->host, FALSE, deadline, cancel_fd, &net)) {
                handshake_failed(tls, net, error);
                return FALSE;
        }
        g_autoptr(TlsPeerInfo) cert = net_stream_peer_info(stream);
        tls->asked = cert->client_cert_asked;
        if (cert->verified)
                return TRUE;
        return check_pinned(tls, cert, error);
}

char *scan_tls_explain(ScanTls *tls, const GError *net)
{
        if (net->domain != NET_ERROR || net->code == NET_ERROR_TIMEOUT || net->code == NET_ERROR_CANCELLED)
                return NULL;
        if (tls->asked)
                return g_strdup_printf(_("The scanner at %s asked for a client certificate and ended the "
                                         "connection without one (%s): give it one with --scanner-cert FILE "
                                         "--scanner-key FILE (or tls-cert and tls-key in the [scanner] section "
                                         "of the config file)."),
                                       tls->address, net->message);
        if (tls->cert_file && net->code == NET_ERROR_TLS) /* an alert: the TLS layer refused */
                return g_strdup_printf(_("The scanner at %s ended the connection after the TLS handshake (%s): "
                                         "is the client certificate %s one its TLSClientCA issued?"),
                                       tls->address, net->message, tls->cert_file);
        return NULL;
}
