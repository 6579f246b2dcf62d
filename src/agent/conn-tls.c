/* agent/conn-tls.c — TLS on clamav-agent's TCP listener: the server context from
 * TLSCertificateFile/TLSKeyFile/TLSClientCA, the handshake bounded by TLSHandshakeTimeout, and one
 * connection's non-blocking reads and writes. Owns: every OpenSSL call of the agent. Must not:
 * parse commands, accept connections, or wait anywhere but in its bounded handshake. */
#include "config.h"
#include "agent/conn-tls.h"
#include "agent/log.h"
#include "common/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* TLS 1.2 suites: forward secrecy and AEAD only (TLS 1.3's own suites all are). */
#define TLS12_CIPHERS "ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:DHE+CHACHA20"
#define TLS_RECORD_HANDSHAKE 0x16 /* the first byte of every ClientHello */
/* How long a refused client is given to read the last words and close its end. */
#define LINGER_US (2 * G_USEC_PER_SEC)
/* A session ticket is good for this long: a client resumes within it without a full handshake
 * (its certificate was verified when the session began, and is checked for expiry again). */
#define TICKET_LIFETIME_S 1800
/* The session ID context: a server that verifies clients must name one, or OpenSSL fails every
 * resumption. A reload makes a new SSL_CTX with new ticket keys: no session outlives it. */
#define SESSION_CONTEXT "clamav-agent"

struct AgentTls {
        gint refs;
        SSL_CTX *ctx;
        gboolean client_ca; /* TLSClientCA: a client certificate is required */
};

struct AgentTlsConn {
        SSL *ssl;
        gboolean broken; /* a fatal TLS error: no close_notify may follow */
};

/* OpenSSL's first queued error in words, then the queue cleared. */
static char *ssl_error_text(void)
{
        unsigned long e = ERR_get_error();
        char buf[256] = "";
        if (e)
                ERR_error_string_n(e, buf, sizeof buf);
        ERR_clear_error();
        return g_strdup(*buf ? buf : "?");
}

static gboolean config_error(GError **error, const char *setting, const char *file)
{
        g_autofree char *why = ssl_error_text();
        g_set_error(error, AGENT_ERROR, AGENT_ERROR_CONFIG, _("%s %s cannot be used: %s"), setting,
                    file, why);
        return FALSE;
}

static gboolean load_identity(SSL_CTX *ctx, const AgentConf *conf, GError **error)
{
        if (SSL_CTX_use_certificate_chain_file(ctx, conf->tls_certificate_file) != 1)
                return config_error(error, "TLSCertificateFile", conf->tls_certificate_file);
        if (SSL_CTX_use_PrivateKey_file(ctx, conf->tls_key_file, SSL_FILETYPE_PEM) != 1)
                return config_error(error, "TLSKeyFile", conf->tls_key_file);
        if (SSL_CTX_check_private_key(ctx) != 1) {
                ERR_clear_error();
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_CONFIG,
                            _("TLSKeyFile %s is not the key of TLSCertificateFile %s"),
                            conf->tls_key_file, conf->tls_certificate_file);
                return FALSE;
        }
        return TRUE;
}

/* TLSClientCA: only clients with a certificate that CA issued finish the handshake; the CA's
 * name goes to the client in the CertificateRequest, so it can pick the right certificate. */
static gboolean require_client_ca(SSL_CTX *ctx, const char *file, GError **error)
{
        if (SSL_CTX_load_verify_locations(ctx, file, NULL) != 1)
                return config_error(error, "TLSClientCA", file);
        STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(file);
        if (!names)
                return config_error(error, "TLSClientCA", file);
        SSL_CTX_set_client_CA_list(ctx, names);
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
        return TRUE;
}

AgentTls *agent_tls_new(const AgentConf *conf, GError **error)
{
        SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
        if (!ctx) {
                config_error(error, "TLSCertificateFile", conf->tls_certificate_file);
                return NULL;
        }
        g_autoptr(AgentTls) tls = g_new0(AgentTls, 1);
        tls->refs = 1;
        tls->ctx = ctx;
        SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
        SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE |
                                         SSL_OP_NO_COMPRESSION);
        if (SSL_CTX_set_cipher_list(ctx, TLS12_CIPHERS) != 1) {
                config_error(error, "TLSCertificateFile", conf->tls_certificate_file);
                return NULL;
        }
        SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
                                      SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
        /* one request per connection, and many connections from one client (clamftp scans each
         * file on a new one): a stateless ticket (TLS 1.3, or TLS 1.2's RFC 5077) lets the next
         * connection resume without a full handshake; nothing is kept here per session. The
         * ticket keys are this context's own, made at random: a reload (new TLSClientCA) ends
         * every session. */
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
        SSL_CTX_set_num_tickets(ctx, 1);
        SSL_CTX_set_timeout(ctx, TICKET_LIFETIME_S);
        if (SSL_CTX_set_session_id_context(ctx, (const unsigned char *)SESSION_CONTEXT,
                                           sizeof SESSION_CONTEXT - 1) != 1) {
                config_error(error, "TLSCertificateFile", conf->tls_certificate_file);
                return NULL;
        }
        if (!load_identity(ctx, conf, error))
                return NULL;
        if (conf->tls_client_ca && *conf->tls_client_ca) {
                if (!require_client_ca(ctx, conf->tls_client_ca, error))
                        return NULL;
                tls->client_ca = TRUE;
        }
        return g_steal_pointer(&tls);
}

AgentTls *agent_tls_ref(AgentTls *tls)
{
        if (tls)
                g_atomic_int_inc(&tls->refs);
        return tls;
}

void agent_tls_unref(AgentTls *tls)
{
        if (!tls || !g_atomic_int_dec_and_test(&tls->refs))
                return;
        SSL_CTX_free(tls->ctx);
        g_free(tls);
}

gboolean agent_tls_requires_client_cert(const AgentTls *tls)
{
        return tls->client_ca;
}

/* ---- the handshake ---- */

typedef enum { WAIT_READY, WAIT_TIMEOUT, WAIT_STOP, WAIT_FAILED } WaitResult;

static WaitResult wait_for(int fd, short events, gint64 deadline, int stop_fd)
{
        for (;;) {
                gint64 left = deadline - g_get_monotonic_time();
                if (left <= 0)
                        return WAIT_TIMEOUT;
                struct pollfd p[2] = { { fd, events, 0 }, { stop_fd, POLLIN, 0 } };
                int n = poll(p, stop_fd >= 0 ? 2 : 1, (int)MIN(left / 1000 + 1, G_MAXINT));
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return WAIT_FAILED;
                if (stop_fd >= 0 && p[1].revents)
                        return WAIT_STOP;
                if (p[0].revents)
                        return WAIT_READY;
        }
}

static void handshake_error(GError **error, WaitResult w)
{
        switch (w) {
        case WAIT_TIMEOUT:
                g_set_error_literal(error, AGENT_ERROR, AGENT_ERROR_IO,
                                    _("the TLS handshake did not finish within TLSHandshakeTimeout"));
                return;
        case WAIT_STOP:
                g_set_error_literal(error, AGENT_ERROR, AGENT_ERROR_IO,
                                    _("the agent is stopping"));
                return;
        default:
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_IO, _("waiting for the client failed: %s"),
                            g_strerror(errno));
        }
}

/* Before the caller closes a refused connection: the sending side is shut and what the client
 * sends is read and dropped until it closes its end (within LINGER_US and the deadline), so that
 * the close does not reset the connection before the client reads the last words (a reset can
 * discard them: the plain refusal, or the TLS alert saying why). */
static void close_gently(int fd, gint64 deadline, int stop_fd)
{
        shutdown(fd, SHUT_WR);
        deadline = MIN(deadline, g_get_monotonic_time() + LINGER_US);
        char drain[4096];
        for (;;) {
                ssize_t n = recv(fd, drain, sizeof drain, MSG_DONTWAIT);
                if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
                        return; /* the client closed (or reset) its end */
                if (n < 0 && wait_for(fd, POLLIN, deadline, stop_fd) != WAIT_READY)
                        return;
        }
}

/* A client that speaks the clamd protocol in plain text (clamdscan, a tcp: address) gets one
 * plain reply it can show, instead of a TLS alert it cannot read. */
static gboolean speaks_tls(int fd, gint64 deadline, int stop_fd, GError **error)
{
        WaitResult w = wait_for(fd, POLLIN, deadline, stop_fd);
        if (w != WAIT_READY) {
                handshake_error(error, w);
                return FALSE;
        }
        unsigned char first = 0;
        ssize_t n;
        do
                n = recv(fd, &first, 1, MSG_PEEK | MSG_DONTWAIT);
        while (n < 0 && errno == EINTR);
        if (n == 1 && first == TLS_RECORD_HANDSHAKE)
                return TRUE;
        if (n == 0) {
                g_set_error_literal(error, AGENT_ERROR, AGENT_ERROR_IO,
                                    _("the client closed the connection before the TLS handshake"));
                return FALSE;
        }
        if (n < 0) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_IO, _("reading from the client failed: %s"),
                            g_strerror(errno));
                return FALSE;
        }
        /* terminated as the client's command would be answered: NUL after a z-command */
        char reply[] = AGENT_REPLY_TLS_REQUIRED "\n";
        if (first == 'z')
                reply[sizeof reply - 2] = '\0';
        if (send(fd, reply, sizeof reply - 1, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
                agent_log(AGENT_LOG_DEBUG, "TLS refusal not sent: %s", g_strerror(errno));
        close_gently(fd, deadline, stop_fd);
        g_set_error_literal(error, AGENT_ERROR, AGENT_ERROR_IO,
                            _("the client does not speak TLS (a plain clamd client?); refused"));
        return FALSE;
}

static gboolean set_nonblocking(int fd)
{
        int flags = fcntl(fd, F_GETFL);
        return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

/* With TLSClientCA, a resumed session skips the certificate check: it stands only for a
 * session that began with a client certificate that verified, still within its validity. */
static gboolean resumed_client_valid(const AgentTls *tls, SSL *ssl, GError **error)
{
        if (!tls->client_ca || !SSL_session_reused(ssl))
                return TRUE;
        X509 *cert = SSL_get0_peer_certificate(ssl);
        if (cert && SSL_get_verify_result(ssl) == X509_V_OK &&
            X509_cmp_current_time(X509_get0_notAfter(cert)) > 0 &&
            X509_cmp_current_time(X509_get0_notBefore(cert)) < 0)
                return TRUE;
        g_set_error_literal(error, AGENT_ERROR, AGENT_ERROR_IO,
                            _("a resumed TLS session without a valid client certificate; refused"));
        return FALSE;
}

AgentTlsConn *agent_tls_accept(AgentTls *tls, int fd, gint64 deadline, int stop_fd, GError **error)
{
        if (!set_nonblocking(fd)) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_IO, _("cannot configure a socket: %s"),
                            g_strerror(errno));
                return NULL;
        }
        if (!speaks_tls(fd, deadline, stop_fd, error))
                return NULL;
        SSL *ssl = SSL_new(tls->ctx);
        if (!ssl || SSL_set_fd(ssl, fd) != 1) {
                SSL_free(ssl);
                g_autofree char *why = ssl_error_text();
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_IO, _("cannot set up TLS: %s"), why);
                return NULL;
        }
        for (;;) {
                ERR_clear_error();
                int rc = SSL_accept(ssl);
                if (rc == 1)
                        break;
                int e = SSL_get_error(ssl, rc);
                WaitResult w = WAIT_FAILED;
                if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
                        w = wait_for(fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline,
                                     stop_fd);
                        if (w == WAIT_READY)
                                continue;
                        handshake_error(error, w);
                } else {
                        g_autofree char *why = ssl_error_text();
                        g_set_error(error, AGENT_ERROR, AGENT_ERROR_IO,
                                    _("the TLS handshake failed: %s"), why);
                        close_gently(fd, deadline, stop_fd);
                }
                SSL_free(ssl);
                return NULL;
        }
        if (!resumed_client_valid(tls, ssl, error)) {
                SSL_free(ssl);
                close_gently(fd, deadline, stop_fd);
                return NULL;
        }
        AgentTlsConn *conn = g_new0(AgentTlsConn, 1);
        conn->ssl = ssl;
        return conn;
}

void agent_tls_conn_free(AgentTlsConn *conn)
{
        if (!conn)
                return;
        ERR_clear_error();
        if (!conn->broken && SSL_shutdown(conn->ssl) < 0) /* close_notify, not waiting for the client's */
                ERR_clear_error();
        SSL_free(conn->ssl);
        g_free(conn);
}

char *agent_tls_conn_describe(AgentTlsConn *conn)
{
        X509 *cert = SSL_get0_peer_certificate(conn->ssl);
        g_autofree char *subject = NULL;
        if (cert) {
                BIO *bio = BIO_new(BIO_s_mem());
                X509_NAME_print_ex(bio, X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
                char *data = NULL;
                long len = BIO_get_mem_data(bio, &data);
                subject = g_strndup(data, (gsize)MAX(len, 0));
                BIO_free(bio);
        }
        return g_strdup_printf("%s %s%s%s%s", SSL_get_version(conn->ssl),
                               SSL_get_cipher_name(conn->ssl), SSL_session_reused(conn->ssl) ? " resumed" : "",
                               subject ? " client " : "", subject ? subject : "");
}

/* ---- reading and writing ---- */

static AgentIoStatus io_status(AgentTlsConn *conn, int rc, short *events)
{
        int e = SSL_get_error(conn->ssl, rc);
        switch (e) {
        case SSL_ERROR_WANT_READ:
                *events = POLLIN;
                return AGENT_IO_WAIT;
        case SSL_ERROR_WANT_WRITE:
                *events = POLLOUT;
                return AGENT_IO_WAIT;
        case SSL_ERROR_ZERO_RETURN:
                return AGENT_IO_EOF;
        case SSL_ERROR_SYSCALL:
                if (errno == EINTR) {
                        *events = POLLIN | POLLOUT;
                        return AGENT_IO_WAIT;
                }
                ERR_clear_error();
                conn->broken = TRUE;
                return AGENT_IO_EOF; /* closed without close_notify: the end all the same */
        default:
                ERR_clear_error();
                conn->broken = TRUE;
                return AGENT_IO_ERROR;
        }
}

AgentIoStatus agent_tls_conn_recv(AgentTlsConn *conn, void *buf, gsize cap, gsize *done,
                                  short *events)
{
        *done = 0;
        ERR_clear_error();
        errno = 0;
        int n = SSL_read(conn->ssl, buf, (int)MIN(cap, (gsize)G_MAXINT));
        if (n > 0) {
                *done = (gsize)n;
                return AGENT_IO_OK;
        }
        return io_status(conn, n, events);
}

AgentIoStatus agent_tls_conn_send(AgentTlsConn *conn, const void *buf, gsize len, gsize *done,
                                  short *events)
{
        *done = 0;
        ERR_clear_error();
        errno = 0;
        int n = SSL_write(conn->ssl, buf, (int)MIN(len, (gsize)G_MAXINT));
        if (n > 0) {
                *done = (gsize)n;
                return AGENT_IO_OK;
        }
        AgentIoStatus s = io_status(conn, n, events);
        return s == AGENT_IO_EOF ? AGENT_IO_ERROR : s;
}
