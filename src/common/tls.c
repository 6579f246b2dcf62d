/* common/tls.c — the client side of TLS (OpenSSL): context, control-session cache, peer info.
 * Owns: SSL_CTX set-up (system roots, TLS 1.2 minimum), the new-session callback that keeps only
 * the control connection's sessions (TLS 1.3 tickets arrive after the handshake), SNI and the
 * host-name check, data connections offering the control connection's key-exchange group first. Must not: judge an unverified certificate, touch FTP, or print. */
#include "config.h"
#include "common/tls.h"
#include "common/net.h"
#include "common/i18n.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <string.h>

struct TlsContext {
        gint refs;
        SSL_CTX *ctx;
        gboolean resume_every;        /* every connection resumes and stores (a scanner's) */
        GMutex lock;                  /* guards the four below: copies of a scanner share a context */
        SSL_SESSION *control_session; /* latest session issued on a control connection */
        int control_group;            /* the key-exchange group the control connection used (NID), 0 */
        X509 *described;              /* the certificate `description` describes, or NULL */
        TlsPeerInfo *description;     /* its subject, issuer, validity and SHA-256 */
};

/* ex_data on each SSL: the TlsContext when the SSL is a control connection, NULL otherwise;
 * on each SSL_CTX: its TlsContext. */
static int control_index = -1;
static int context_index = -1;
static int asked_index = -1; /* on each SSL: non-NULL once the server asked for a certificate */

static gpointer init_index(gpointer unused)
{
        asked_index = SSL_get_ex_new_index(0, "clamftp client certificate asked", NULL, NULL, NULL);
        control_index = SSL_get_ex_new_index(0, "clamftp control connection", NULL, NULL, NULL);
        context_index = SSL_CTX_get_ex_new_index(0, "clamftp TLS context", NULL, NULL, NULL);
        return NULL;
}

/* The system's trust roots, parsed once per process: parsing the CA bundle (about 140
 * certificates) costs tens of milliseconds, on every connection that made its own context. An
 * X509_STORE is reference-counted and locks itself, so every SSL_CTX may share it. */
static gpointer load_roots(gpointer unused)
{
        X509_STORE *store = X509_STORE_new();
        if (store && X509_STORE_set_default_paths(store) != 1)
                ERR_clear_error(); /* no system roots: every certificate then needs a fingerprint */
        return store;
}

static X509_STORE *shared_roots(void)
{
        static GOnce once = G_ONCE_INIT;
        return g_once(&once, load_roots, NULL);
}

/* Called by OpenSSL for every new session (after the handshake for TLS 1.2, on each
 * NewSessionTicket for TLS 1.3). Returning 1 keeps the reference OpenSSL handed over. */
static int on_new_session(SSL *ssl, SSL_SESSION *session)
{
        TlsContext *ctx = SSL_get_ex_data(ssl, control_index);
        if (!ctx || !SSL_SESSION_is_resumable(session))
                return 0; /* a data connection's ticket is never reused (ProFTPD checks) */
        /* a scanner's connection ends without close_notify, and OpenSSL then marks the session
         * it leaves "not resumable": the one kept is a copy of its own */
        SSL_SESSION *kept = ctx->resume_every ? SSL_SESSION_dup(session) : session;
        if (!kept)
                return 0;
        g_mutex_lock(&ctx->lock);
        if (ctx->control_session)
                SSL_SESSION_free(ctx->control_session);
        ctx->control_session = kept;
        g_mutex_unlock(&ctx->lock);
        return kept == session; /* 1: the reference OpenSSL handed over is kept */
}

/* Called by OpenSSL when the server asks for a client certificate and none is configured: the
 * handshake goes on without one, and the peer info remembers that it was asked for. */
static int on_certificate_asked(SSL *ssl, X509 **cert, EVP_PKEY **key)
{
        (void)cert;
        (void)key;
        SSL_set_ex_data(ssl, asked_index, GINT_TO_POINTER(1));
        return 0;
}

static void set_ssl_error(GError **error, int code, const char *what)
{
        unsigned long e = ERR_get_error();
        char buf[256] = "";
        if (e)
                ERR_error_string_n(e, buf, sizeof buf);
        ERR_clear_error();
        g_set_error(error, NET_ERROR, code, "%s%s%s", what, *buf ? ": " : "", buf);
}

TlsContext *tls_context_new(int max_version, GError **error)
{
        static GOnce once = G_ONCE_INIT;
        g_once(&once, init_index, NULL);
        SSL_CTX *ssl_ctx = SSL_CTX_new(TLS_client_method());
        if (!ssl_ctx) {
                set_ssl_error(error, NET_ERROR_TLS, _("Cannot set up TLS"));
                return NULL;
        }
        SSL_CTX_set_min_proto_version(ssl_ctx, TLS1_2_VERSION);
        if (max_version == 12)
                SSL_CTX_set_max_proto_version(ssl_ctx, TLS1_2_VERSION);
        else if (max_version == 13)
                SSL_CTX_set_max_proto_version(ssl_ctx, TLS1_3_VERSION);
        X509_STORE *roots = shared_roots();
        if (roots)
                SSL_CTX_set1_cert_store(ssl_ctx, roots);
        else if (SSL_CTX_set_default_verify_paths(ssl_ctx) != 1)
                ERR_clear_error(); /* no system roots: every certificate then needs a fingerprint */
        /* the chain is checked and the result kept; whether to go on is decided after the handshake */
        SSL_CTX_set_verify(ssl_ctx, SSL_VERIFY_NONE, NULL);
        SSL_CTX_set_mode(ssl_ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
        SSL_CTX_set_session_cache_mode(ssl_ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
        SSL_CTX_sess_set_new_cb(ssl_ctx, on_new_session);
        SSL_CTX_set_client_cert_cb(ssl_ctx, on_certificate_asked);
        TlsContext *ctx = g_new0(TlsContext, 1);
        ctx->refs = 1;
        g_mutex_init(&ctx->lock);
        ctx->ctx = ssl_ctx;
        SSL_CTX_set_ex_data(ssl_ctx, context_index, ctx);
        return ctx;
}

TlsContext *tls_context_ref(TlsContext *ctx)
{
        g_atomic_int_inc(&ctx->refs);
        return ctx;
}

void tls_context_resume_every_connection(TlsContext *ctx)
{
        ctx->resume_every = TRUE;
}

void tls_context_forget_session(TlsContext *ctx)
{
        g_mutex_lock(&ctx->lock);
        if (ctx->control_session)
                SSL_SESSION_free(ctx->control_session);
        ctx->control_session = NULL;
        ctx->control_group = 0;
        g_mutex_unlock(&ctx->lock);
}

void tls_context_note_handshake(TlsContext *ctx, TlsSsl *ssl)
{
        int nid = SSL_get_negotiated_group(ssl);
        g_mutex_lock(&ctx->lock);
        if (nid > 0 && !(nid & TLSEXT_nid_unknown))
                ctx->control_group = nid;
        g_mutex_unlock(&ctx->lock);
}

/* TLS 1.3 sends a key share for the first group the client lists only: a server that wants
 * another group (vsftpd: P-256) answers with a HelloRetryRequest, one round trip and one key
 * more on every data connection. The group the control connection settled on goes first. */
static void prefer_control_group(TlsContext *ctx, SSL *ssl)
{
        if (!ctx->control_group)
                return;
        static const int defaults[] = { NID_X25519, NID_X9_62_prime256v1, NID_X448, NID_secp521r1, NID_secp384r1 };
        int groups[G_N_ELEMENTS(defaults) + 1];
        size_t n = 0;
        groups[n++] = ctx->control_group;
        for (size_t i = 0; i < G_N_ELEMENTS(defaults); i++)
                if (defaults[i] != ctx->control_group)
                        groups[n++] = defaults[i];
        if (SSL_set1_groups(ssl, groups, n) != 1)
                ERR_clear_error(); /* the defaults stay: only a round trip is lost */
}

gboolean tls_context_use_certificate(TlsContext *ctx, const char *cert_file, const char *key_file,
                                     GError **error)
{
        g_autofree char *cert_what = g_strdup_printf(_("The client certificate %s cannot be used"), cert_file);
        if (SSL_CTX_use_certificate_chain_file(ctx->ctx, cert_file) != 1) {
                set_ssl_error(error, NET_ERROR_TLS, cert_what);
                return FALSE;
        }
        g_autofree char *key_what = g_strdup_printf(_("The client key %s cannot be used"), key_file);
        if (SSL_CTX_use_PrivateKey_file(ctx->ctx, key_file, SSL_FILETYPE_PEM) != 1) {
                set_ssl_error(error, NET_ERROR_TLS, key_what);
                return FALSE;
        }
        if (SSL_CTX_check_private_key(ctx->ctx) != 1) {
                ERR_clear_error();
                g_set_error(error, NET_ERROR, NET_ERROR_TLS, _("The key %s is not the key of the client certificate %s."),
                            key_file, cert_file);
                return FALSE;
        }
        return TRUE;
}

gboolean tls_context_has_session(TlsContext *ctx)
{
        g_mutex_lock(&ctx->lock);
        gboolean has = ctx->control_session != NULL;
        g_mutex_unlock(&ctx->lock);
        return has;
}

void tls_context_free(TlsContext *ctx)
{
        if (!ctx || !g_atomic_int_dec_and_test(&ctx->refs))
                return;
        tls_context_forget_session(ctx);
        X509_free(ctx->described);
        tls_peer_info_free(ctx->description);
        SSL_CTX_free(ctx->ctx);
        g_mutex_clear(&ctx->lock);
        g_free(ctx);
}

/* A data connection resumes a copy: when a resumed TLS 1.3 connection receives its own tickets,
 * OpenSSL marks the session it resumed "not resumable", and the next data connection would then
 * make a full handshake that the server refuses. */
static void resume_copy(SSL *ssl, SSL_SESSION *control)
{
        SSL_SESSION *copy = SSL_SESSION_dup(control);
        SSL_set_session(ssl, copy ? copy : control);
        if (copy)
                SSL_SESSION_free(copy);
}

static gboolean is_ip_literal(const char *host)
{
        guint8 buf[16];
        return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

TlsSsl *tls_ssl_new(TlsContext *ctx, int fd, const char *host, gboolean control, GError **error)
{
        SSL *ssl = SSL_new(ctx->ctx);
        if (!ssl || SSL_set_fd(ssl, fd) != 1) {
                SSL_free(ssl);
                set_ssl_error(error, NET_ERROR_TLS, _("Cannot set up TLS"));
                return NULL;
        }
        /* the control host name, also on data connections (never the PASV address) */
        if (is_ip_literal(host)) {
                X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host);
        } else {
                SSL_set_tlsext_host_name(ssl, host);
                SSL_set1_host(ssl, host);
        }
        if (control || ctx->resume_every)
                SSL_set_ex_data(ssl, control_index, ctx);
        if (!control || ctx->resume_every) {
                g_mutex_lock(&ctx->lock);
                if (!control)
                        prefer_control_group(ctx, ssl);
                if (ctx->control_session)
                        resume_copy(ssl, ctx->control_session);
                g_mutex_unlock(&ctx->lock);
        }
        SSL_set_connect_state(ssl);
        return ssl;
}

static char *name_text(const X509_NAME *name)
{
        BIO *bio = BIO_new(BIO_s_mem());
        X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
        char *data = NULL;
        long len = BIO_get_mem_data(bio, &data);
        char *text = g_strndup(data, (gsize)len);
        BIO_free(bio);
        return text;
}

static char *time_text(const ASN1_TIME *t)
{
        BIO *bio = BIO_new(BIO_s_mem());
        ASN1_TIME_print(bio, t);
        char *data = NULL;
        long len = BIO_get_mem_data(bio, &data);
        char *text = g_strndup(data, (gsize)len);
        BIO_free(bio);
        return text;
}

static char *fingerprint(X509 *cert)
{
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        if (X509_digest(cert, EVP_sha256(), md, &len) != 1)
                return g_strdup("?");
        GString *out = g_string_new(NULL);
        for (unsigned int i = 0; i < len; i++)
                g_string_append_printf(out, "%s%02X", i ? ":" : "", md[i]);
        return g_string_free(out, FALSE);
}

static TlsPeerInfo *describe_cert(X509 *cert)
{
        TlsPeerInfo *info = g_new0(TlsPeerInfo, 1);
        info->subject = name_text(X509_get_subject_name(cert));
        info->issuer = name_text(X509_get_issuer_name(cert));
        info->not_before = time_text(X509_get0_notBefore(cert));
        info->not_after = time_text(X509_get0_notAfter(cert));
        info->sha256 = fingerprint(cert);
        return info;
}

/* The certificate's description, made once per certificate and context: every data connection
 * of a session resumes the control session and shows its certificate again. X509_cmp compares
 * the whole encoding (through its cached digest), so only the same certificate matches. */
static void fill_description(TlsPeerInfo *info, SSL *ssl, X509 *cert)
{
        TlsContext *ctx = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), context_index);
        if (ctx)
                g_mutex_lock(&ctx->lock);
        const TlsPeerInfo *known = ctx && ctx->described && X509_cmp(ctx->described, cert) == 0
                ? ctx->description : NULL;
        g_autoptr(TlsPeerInfo) made = known ? NULL : describe_cert(cert);
        const TlsPeerInfo *from = known ? known : made;
        info->subject = g_strdup(from->subject);
        info->issuer = g_strdup(from->issuer);
        info->not_before = g_strdup(from->not_before);
        info->not_after = g_strdup(from->not_after);
        info->sha256 = g_strdup(from->sha256);
        if (made && ctx) {
                X509_free(ctx->described);
                tls_peer_info_free(ctx->description);
                X509_up_ref(cert);
                ctx->described = cert;
                ctx->description = g_steal_pointer(&made);
        }
        if (ctx)
                g_mutex_unlock(&ctx->lock);
}

TlsPeerInfo *tls_ssl_peer_info(TlsSsl *ssl)
{
        TlsPeerInfo *info = g_new0(TlsPeerInfo, 1);
        info->version = g_strdup(SSL_get_version(ssl));
        info->cipher = g_strdup(SSL_get_cipher_name(ssl));
        info->resumed = SSL_session_reused(ssl) == 1;
        info->client_cert_asked = SSL_get_ex_data(ssl, asked_index) != NULL;
        X509 *cert = SSL_get1_peer_certificate(ssl);
        if (!cert) {
                info->verify_error = g_strdup(_("the server sent no certificate"));
                return info;
        }
        fill_description(info, ssl, cert);
        long result = SSL_get_verify_result(ssl);
        info->verified = result == X509_V_OK;
        if (!info->verified)
                info->verify_error = g_strdup(X509_verify_cert_error_string(result));
        X509_free(cert);
        return info;
}
