/* tests/integration/scripted-ftpd.c — a misbehaving FTP server for the engine's tests: a GLib
 * thread on a loopback port that runs one C function (the script) against one client, in plain
 * FTP or over TLS (a certificate made in memory, sessions resumed or refused on purpose).
 * Must not: block without a deadline; every read, accept and handshake ends within a few seconds. */
#include "config.h"
#include "scripted-ftpd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SCRIPT_WAIT_MS 5000

struct ScriptedConn {
        int fd;
        int listen_fd;  /* the server's listener, for a client that connects again */
        SSL *ssl;       /* after scripted_start_tls: every read and send is TLS */
        GString *in;    /* bytes received, not yet returned as lines */
        char *failure;  /* first failed expectation */
        int data_fd;    /* scripted_play's data listener (-1 until a step needs it) */
        guint16 data_port;
};

struct ScriptedFtpd {
        int listen_fd;
        guint16 port;
        ScriptFunc script;
        gpointer data;
        GThread *thread;
        char *failure;
};

static int listen_loopback(guint16 *port)
{
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        g_assert_cmpint(fd, >=, 0);
        struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        socklen_t len = sizeof sin;
        g_assert_cmpint(bind(fd, (struct sockaddr *)&sin, len), ==, 0);
        g_assert_cmpint(listen(fd, 4), ==, 0);
        g_assert_cmpint(getsockname(fd, (struct sockaddr *)&sin, &len), ==, 0);
        *port = ntohs(sin.sin_port);
        return fd;
}

static int accept_within(int listen_fd, int ms)
{
        struct pollfd pfd = { .fd = listen_fd, .events = POLLIN };
        if (poll(&pfd, 1, ms) != 1)
                return -1;
        return accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
}

void scripted_fail(ScriptedConn *c, const char *fmt, ...)
{
        if (c->failure)
                return;
        va_list ap;
        va_start(ap, fmt);
        c->failure = g_strdup_vprintf(fmt, ap);
        va_end(ap);
}

static gpointer run(gpointer data)
{
        ScriptedFtpd *server = data;
        ScriptedConn conn = { .fd = accept_within(server->listen_fd, 10 * SCRIPT_WAIT_MS),
                              .listen_fd = server->listen_fd, .in = g_string_new(NULL), .data_fd = -1 };
        if (conn.fd < 0)
                scripted_fail(&conn, "the client never connected");
        else
                server->script(&conn, server->data);
        if (conn.ssl)
                SSL_free(conn.ssl);
        if (conn.fd >= 0)
                close(conn.fd);
        if (conn.data_fd >= 0)
                close(conn.data_fd);
        g_string_free(conn.in, TRUE);
        server->failure = conn.failure;
        return NULL;
}

ScriptedFtpd *scripted_ftpd_start(ScriptFunc script, gpointer data)
{
        ScriptedFtpd *server = g_new0(ScriptedFtpd, 1);
        server->listen_fd = listen_loopback(&server->port);
        server->script = script;
        server->data = data;
        server->thread = g_thread_new("scripted-ftpd", run, server);
        return server;
}

guint16 scripted_ftpd_port(const ScriptedFtpd *server)
{
        return server->port;
}

char *scripted_ftpd_finish(ScriptedFtpd *server)
{
        g_thread_join(server->thread);
        close(server->listen_fd);
        char *failure = server->failure;
        g_free(server);
        return failure;
}

gboolean scripted_data_send(int fd, const char *data, gsize len)
{
        while (len > 0) {
                ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return FALSE;
                data += n;
                len -= (gsize)n;
        }
        return TRUE;
}

static gboolean ssl_send(SSL *ssl, const char *data, gsize len)
{
        while (len > 0) {
                int n = SSL_write(ssl, data, (int)MIN(len, (gsize)G_MAXINT));
                if (n <= 0) {
                        ERR_clear_error();
                        return FALSE;
                }
                data += n;
                len -= (gsize)n;
        }
        return TRUE;
}

gboolean scripted_send(ScriptedConn *c, const char *text)
{
        if (c->ssl)
                return ssl_send(c->ssl, text, strlen(text));
        return scripted_data_send(c->fd, text, strlen(text));
}

/* Some bytes from the control connection (plain or TLS) before the deadline; <= 0 otherwise. */
static gssize receive_some(ScriptedConn *c, char *buf, gsize len, gint64 deadline)
{
        if (!c->ssl || SSL_pending(c->ssl) == 0) {
                int left = (int)((deadline - g_get_monotonic_time()) / 1000);
                struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
                if (left <= 0 || poll(&pfd, 1, left) != 1)
                        return -1;
        }
        if (!c->ssl)
                return recv(c->fd, buf, len, 0);
        int n = SSL_read(c->ssl, buf, (int)len);
        if (n <= 0) {
                int e = SSL_get_error(c->ssl, n);
                ERR_clear_error();
                if (e == SSL_ERROR_WANT_READ)
                        return receive_some(c, buf, len, deadline); /* a record without data (a ticket) */
        }
        return n;
}

char *scripted_read_line(ScriptedConn *c)
{
        gint64 deadline = g_get_monotonic_time() + SCRIPT_WAIT_MS * 1000;
        for (;;) {
                char *nl = memchr(c->in->str, '\n', c->in->len);
                if (nl) {
                        gsize n = (gsize)(nl - c->in->str);
                        char *line = g_strndup(c->in->str, n > 0 && nl[-1] == '\r' ? n - 1 : n);
                        g_string_erase(c->in, 0, (gssize)n + 1);
                        return line;
                }
                char buf[4096];
                gssize n = receive_some(c, buf, sizeof buf, deadline);
                if (n <= 0)
                        return NULL;
                g_string_append_len(c->in, buf, n);
        }
}

gboolean scripted_expect(ScriptedConn *c, const char *prefix)
{
        g_autofree char *line = scripted_read_line(c);
        if (line && g_str_has_prefix(line, prefix))
                return TRUE;
        scripted_fail(c, "expected “%s…”, got “%s”", prefix, line ? line : "(nothing)");
        return FALSE;
}

/* The USER line, after refusing an AUTH TLS that comes first (a client whose TLS policy is auto). */
static gboolean expect_user(ScriptedConn *c)
{
        g_autofree char *line = scripted_read_line(c);
        if (line && g_str_has_prefix(line, "AUTH ")) {
                g_clear_pointer(&line, g_free);
                if (!scripted_send(c, "502 TLS is not offered here\r\n"))
                        return FALSE;
                line = scripted_read_line(c);
        }
        if (line && g_str_has_prefix(line, "USER "))
                return TRUE;
        scripted_fail(c, "expected “USER …”, got “%s”", line ? line : "(nothing)");
        return FALSE;
}

gboolean scripted_login(ScriptedConn *c, const char *features)
{
        g_autofree char *feat = g_strdup_printf("211-Features:\r\n%s211 End\r\n", features);
        const ScriptedStep after_user[] = {
                { NULL, "331 password please\r\n", NULL },
                { "PASS ", "230 logged in\r\n", NULL },
                { "FEAT", feat, NULL },
                { "PWD", "257 \"/\" is the current directory\r\n", NULL },
                SCRIPTED_END
        };
        return scripted_send(c, "220 scripted server\r\n") && expect_user(c) && scripted_play(c, after_user);
}

/* The reply with {port}, {p1} and {p2} replaced by the data listener's port (made on first use). */
static char *play_reply(ScriptedConn *c, const char *reply)
{
        if (!strchr(reply, '{'))
                return g_strdup(reply);
        if (c->data_fd < 0)
                c->data_fd = listen_loopback(&c->data_port);
        g_autofree char *port = g_strdup_printf("%u", c->data_port);
        g_autofree char *p1 = g_strdup_printf("%u", c->data_port >> 8);
        g_autofree char *p2 = g_strdup_printf("%u", c->data_port & 0xff);
        GString *out = g_string_new(reply);
        g_string_replace(out, "{port}", port, 0);
        g_string_replace(out, "{p1}", p1, 0);
        g_string_replace(out, "{p2}", p2, 0);
        return g_string_free(out, FALSE);
}

int scripted_play_accept(ScriptedConn *c)
{
        int fd = c->data_fd >= 0 ? accept_within(c->data_fd, SCRIPT_WAIT_MS) : -1;
        if (fd < 0)
                scripted_fail(c, "the client did not open the data connection");
        return fd;
}

gboolean scripted_play(ScriptedConn *c, const ScriptedStep *steps)
{
        for (const ScriptedStep *step = steps; step->client || step->reply || step->data; step++) {
                if (step->client && !scripted_expect(c, step->client))
                        return FALSE;
                g_autofree char *reply = step->reply ? play_reply(c, step->reply) : NULL;
                if (reply && !scripted_send(c, reply))
                        return FALSE;
                if (!step->data)
                        continue;
                int fd = scripted_play_accept(c);
                if (fd < 0)
                        return FALSE;
                scripted_data_send(fd, step->data, strlen(step->data));
                close(fd);
        }
        return TRUE;
}

int scripted_data_connect(const char *from_ip, guint16 port)
{
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_in from = { .sin_family = AF_INET };
        struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port),
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        inet_pton(AF_INET, from_ip, &from.sin_addr);
        if (bind(fd, (struct sockaddr *)&from, sizeof from) < 0 ||
            connect(fd, (struct sockaddr *)&to, sizeof to) < 0) {
                close(fd);
                return -1;
        }
        return fd;
}

/* ---- TLS ---- */

struct ScriptedTls {
        SSL_CTX *ctx;       /* resumes the sessions it issued */
        SSL_CTX *fresh_ctx; /* same certificate, other caches and ticket keys: resumes nothing */
        char *fingerprint;
};

/* Counts the ClientHello messages of a handshake (two: the server asked for another key share). */
static void count_client_hellos(int write_p, int version, int content_type, const void *buf, size_t len,
                                SSL *ssl, void *arg)
{
        guint *count = arg;
        if (!write_p && content_type == SSL3_RT_HANDSHAKE && len > 0 && ((const guint8 *)buf)[0] == SSL3_MT_CLIENT_HELLO)
                (*count)++;
}

static X509 *self_signed(EVP_PKEY *key, const char *common_name, int days_from, int days_to)
{
        X509 *cert = X509_new();
        X509_set_version(cert, 2);
        ASN1_INTEGER_set(X509_get_serialNumber(cert), g_random_int_range(1, G_MAXINT32));
        X509_gmtime_adj(X509_getm_notBefore(cert), (long)days_from * 86400);
        X509_gmtime_adj(X509_getm_notAfter(cert), (long)days_to * 86400);
        X509_NAME *name = X509_get_subject_name(cert);
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)common_name, -1, -1, 0);
        X509_set_issuer_name(cert, name);
        X509_set_pubkey(cert, key);
        X509V3_CTX v3;
        X509V3_set_ctx_nodb(&v3);
        X509V3_set_ctx(&v3, cert, cert, NULL, NULL, 0);
        X509_EXTENSION *san = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, "IP:127.0.0.1");
        X509_add_ext(cert, san, -1);
        X509_EXTENSION_free(san);
        X509_sign(cert, key, EVP_sha256());
        return cert;
}

static SSL_CTX *server_ctx(X509 *cert, EVP_PKEY *key)
{
        SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
        g_assert_nonnull(ctx);
        g_assert_cmpint(SSL_CTX_use_certificate(ctx, cert), ==, 1);
        g_assert_cmpint(SSL_CTX_use_PrivateKey(ctx, key), ==, 1);
        SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
        SSL_CTX_set_session_id_context(ctx, (const unsigned char *)"scripted-ftpd", 13);
        return ctx;
}

ScriptedTls *scripted_tls_new(const char *common_name)
{
        EVP_PKEY *key = EVP_EC_gen("P-256");
        g_assert_nonnull(key);
        X509 *cert = self_signed(key, common_name, -1, 2);
        ScriptedTls *tls = g_new0(ScriptedTls, 1);
        tls->ctx = server_ctx(cert, key);
        tls->fresh_ctx = server_ctx(cert, key);
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        g_assert_cmpint(X509_digest(cert, EVP_sha256(), md, &len), ==, 1);
        GString *hex = g_string_new(NULL);
        for (unsigned int i = 0; i < len; i++)
                g_string_append_printf(hex, "%s%02X", i ? ":" : "", md[i]);
        tls->fingerprint = g_string_free(hex, FALSE);
        X509_free(cert);
        EVP_PKEY_free(key);
        return tls;
}

void scripted_tls_set_groups(ScriptedTls *tls, const char *groups)
{
        g_assert_cmpint(SSL_CTX_set1_groups_list(tls->ctx, groups), ==, 1);
        g_assert_cmpint(SSL_CTX_set1_groups_list(tls->fresh_ctx, groups), ==, 1);
}

void scripted_tls_free(ScriptedTls *tls)
{
        if (!tls)
                return;
        SSL_CTX_free(tls->ctx);
        SSL_CTX_free(tls->fresh_ctx);
        g_free(tls->fingerprint);
        g_free(tls);
}

const char *scripted_tls_fingerprint(const ScriptedTls *tls)
{
        return tls->fingerprint;
}

/* A server-side handshake on a blocking socket whose reads and writes give up after a few seconds. */
static SSL *accept_tls(SSL_CTX *ctx, int fd, guint *client_hellos)
{
        struct timeval tv = { .tv_sec = SCRIPT_WAIT_MS / 1000 };
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        SSL *ssl = SSL_new(ctx);
        SSL_set_fd(ssl, fd);
        if (client_hellos) {
                SSL_set_msg_callback(ssl, count_client_hellos);
                SSL_set_msg_callback_arg(ssl, client_hellos);
        }
        if (SSL_accept(ssl) == 1)
                return ssl;
        ERR_clear_error();
        SSL_free(ssl);
        return NULL;
}

gboolean scripted_start_tls(ScriptedConn *c, ScriptedTls *tls)
{
        if (c->in->len > 0) {
                scripted_fail(c, "the client sent “%.*s” before the TLS handshake", (int)c->in->len, c->in->str);
                return FALSE;
        }
        c->ssl = accept_tls(tls->ctx, c->fd, NULL);
        if (!c->ssl)
                scripted_fail(c, "the TLS handshake on the control connection failed");
        return c->ssl != NULL;
}

gboolean scripted_login_tls(ScriptedConn *c, ScriptedTls *tls)
{
        static const ScriptedStep before_tls[] = {
                { NULL, "220 scripted TLS server\r\n", NULL },
                { "AUTH TLS", "234 go ahead\r\n", NULL },
                SCRIPTED_END
        };
        static const ScriptedStep after_tls[] = {
                { "USER ", "331 password please\r\n", NULL },
                { "PASS ", "230 logged in\r\n", NULL },
                { "PBSZ 0", "200 PBSZ=0\r\n", NULL },
                { "PROT P", "200 PROT now Private\r\n", NULL },
                { "FEAT", "211-Features:\r\n EPSV\r\n211 End\r\n", NULL },
                { "PWD", "257 \"/\" is the current directory\r\n", NULL },
                SCRIPTED_END
        };
        return scripted_play(c, before_tls) && scripted_start_tls(c, tls) && scripted_play(c, after_tls);
}

gboolean scripted_accept_next(ScriptedConn *c)
{
        g_clear_pointer(&c->ssl, SSL_free);
        close(c->fd);
        g_string_truncate(c->in, 0);
        c->fd = accept_within(c->listen_fd, SCRIPT_WAIT_MS);
        if (c->fd < 0)
                scripted_fail(c, "the client did not connect again");
        return c->fd >= 0;
}

struct ScriptedTlsData {
        int fd;
        SSL *ssl;
        guint client_hellos;
};

ScriptedTlsData *scripted_data_tls_accept(ScriptedTls *tls, int fd, gboolean resumable)
{
        ScriptedTlsData *d = g_new0(ScriptedTlsData, 1);
        d->fd = fd;
        d->ssl = accept_tls(resumable ? tls->ctx : tls->fresh_ctx, fd, &d->client_hellos);
        if (!d->ssl) {
                close(fd);
                g_free(d);
                return NULL;
        }
        return d;
}

guint scripted_data_tls_client_hellos(const ScriptedTlsData *d)
{
        return d->client_hellos;
}

gboolean scripted_data_tls_resumed(const ScriptedTlsData *d)
{
        return SSL_session_reused(d->ssl) == 1;
}

gboolean scripted_data_tls_send(ScriptedTlsData *d, const char *data, gsize len)
{
        return ssl_send(d->ssl, data, len);
}

GBytes *scripted_data_tls_receive(ScriptedTlsData *d, gboolean *close_notify)
{
        GByteArray *got = g_byte_array_new();
        char buf[16384];
        int n;
        while ((n = SSL_read(d->ssl, buf, sizeof buf)) > 0)
                g_byte_array_append(got, (const guint8 *)buf, (guint)n);
        *close_notify = SSL_get_error(d->ssl, n) == SSL_ERROR_ZERO_RETURN;
        ERR_clear_error();
        return g_byte_array_free_to_bytes(got);
}

void scripted_data_tls_close(ScriptedTlsData *d)
{
        if (!d)
                return;
        SSL_free(d->ssl);
        close(d->fd);
        g_free(d);
}
