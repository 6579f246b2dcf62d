/* common/net.c — sockets with deadlines: connect over IPv4/IPv6, wait, read and write.
 * Owns: every blocking socket wait in the client, bounded by a deadline and a cancel descriptor.
 * Must not: know any protocol, or touch the screen. */
#include "common/net.h"
#include "common/tls.h"
#include "common/i18n.h"
#include "common/quark.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <string.h>
#include <sys/sendfile.h>
#include <unistd.h>

COMMON_DEFINE_QUARK(net-error-quark, net_error)

struct NetStream {
        int fd;
        SSL *ssl;         /* NULL while the stream is plain */
        gboolean nonblocking; /* O_NONBLOCK set (sendfile() has no MSG_DONTWAIT) */
};

gint64 net_deadline_in_ms(gint64 ms)
{
        return g_get_monotonic_time() + ms * 1000;
}

static int remaining_ms(gint64 deadline)
{
        if (deadline == NET_NO_DEADLINE)
                return -1;
        gint64 left = deadline - g_get_monotonic_time();
        if (left <= 0)
                return 0;
        /* round up so that we never wake just before the deadline and spin */
        gint64 ms = (left + 999) / 1000;
        return ms > G_MAXINT ? G_MAXINT : (int)ms;
}

gboolean net_wait(int fd, short events, gint64 deadline, int cancel_fd, GError **error)
{
        for (;;) {
                struct pollfd pfd[2] = {
                        { .fd = fd, .events = events },
                        { .fd = cancel_fd, .events = POLLIN },
                };
                int timeout = remaining_ms(deadline);
                int n = poll(pfd, cancel_fd >= 0 ? 2 : 1, timeout);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        g_set_error(error, NET_ERROR, NET_ERROR_IO, _("Waiting on the network failed: %s"),
                                    g_strerror(errno));
                        return FALSE;
                }
                if (cancel_fd >= 0 && (pfd[1].revents & POLLIN)) {
                        g_set_error_literal(error, NET_ERROR, NET_ERROR_CANCELLED, _("Cancelled."));
                        return FALSE;
                }
                if (pfd[0].revents)
                        return TRUE;
                if (n == 0 && remaining_ms(deadline) == 0) {
                        g_set_error_literal(error, NET_ERROR, NET_ERROR_TIMEOUT,
                                            _("The network did not answer in time."));
                        return FALSE;
                }
        }
}

static gboolean set_nonblocking(int fd, gboolean on)
{
        int flags = fcntl(fd, F_GETFL);
        if (flags < 0)
                return FALSE;
        flags = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
        return fcntl(fd, F_SETFL, flags) == 0;
}

int net_connect_addr(const struct sockaddr *addr, socklen_t addrlen, gint64 deadline, int cancel_fd,
                     GError **error)
{
        int fd = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0) {
                g_set_error(error, NET_ERROR, NET_ERROR_CONNECT, _("Cannot create a socket: %s"),
                            g_strerror(errno));
                return -1;
        }
        if (connect(fd, addr, addrlen) < 0 && errno != EINPROGRESS) {
                int saved = errno;
                g_autofree char *where = net_address_to_string(addr);
                g_set_error(error, NET_ERROR, NET_ERROR_CONNECT, _("Cannot connect to %s port %u: %s"),
                            where, net_address_port(addr), g_strerror(saved));
                close(fd);
                return -1;
        }
        if (!net_wait(fd, POLLOUT, deadline, cancel_fd, error)) {
                if (error && *error && (*error)->code == NET_ERROR_TIMEOUT) {
                        g_autofree char *where = net_address_to_string(addr);
                        g_clear_error(error);
                        g_set_error(error, NET_ERROR, NET_ERROR_TIMEOUT,
                                    _("Connecting to %s port %u timed out."), where, net_address_port(addr));
                }
                close(fd);
                return -1;
        }
        int soerr = 0;
        socklen_t len = sizeof soerr;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0 || soerr != 0) {
                g_autofree char *where = net_address_to_string(addr);
                g_set_error(error, NET_ERROR, NET_ERROR_CONNECT, _("Cannot connect to %s port %u: %s"),
                            where, net_address_port(addr), g_strerror(soerr ? soerr : errno));
                close(fd);
                return -1;
        }
        return fd;
}

int net_connect_tcp(const char *host, guint16 port, gboolean nodelay, gint64 deadline, int cancel_fd,
                    GError **error)
{
        struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                                  .ai_flags = AI_ADDRCONFIG };
        struct addrinfo *res = NULL;
        char service[8];
        g_snprintf(service, sizeof service, "%u", port);
        int rc = getaddrinfo(host, service, &hints, &res);
        if (rc == EAI_NONAME || rc == EAI_FAIL) {
                /* AI_ADDRCONFIG hides ::1 and 127.0.0.1 on hosts with only loopback: retry without */
                hints.ai_flags = 0;
                rc = getaddrinfo(host, service, &hints, &res);
        }
        if (rc != 0) {
                g_set_error(error, NET_ERROR, NET_ERROR_RESOLVE, _("Cannot resolve host “%s”: %s"), host,
                            gai_strerror(rc));
                return -1;
        }
        g_autoptr(GError) last = NULL;
        int fd = -1;
        for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
                g_clear_error(&last);
                fd = net_connect_addr(ai->ai_addr, ai->ai_addrlen, deadline, cancel_fd, &last);
                if (fd < 0 && last && (last->code == NET_ERROR_CANCELLED || last->code == NET_ERROR_TIMEOUT))
                        break;
        }
        freeaddrinfo(res);
        if (fd < 0) {
                g_propagate_error(error, g_steal_pointer(&last));
                return -1;
        }
        if (!set_nonblocking(fd, FALSE)) {
                g_set_error(error, NET_ERROR, NET_ERROR_IO, _("Cannot configure a socket: %s"),
                            g_strerror(errno));
                close(fd);
                return -1;
        }
        if (nodelay)
                net_set_nodelay(fd);
        return fd;
}

void net_set_nodelay(int fd)
{
        int one = 1;
        (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static gboolean get_name(int fd, gboolean peer, struct sockaddr_storage *ss, socklen_t *len, GError **error)
{
        *len = sizeof *ss;
        int rc = peer ? getpeername(fd, (struct sockaddr *)ss, len) : getsockname(fd, (struct sockaddr *)ss, len);
        if (rc < 0) {
                g_set_error(error, NET_ERROR, NET_ERROR_IO, _("Cannot read a socket address: %s"),
                            g_strerror(errno));
                return FALSE;
        }
        return TRUE;
}

gboolean net_peer_address(int fd, struct sockaddr_storage *ss, socklen_t *len, GError **error)
{
        return get_name(fd, TRUE, ss, len, error);
}

gboolean net_local_address(int fd, struct sockaddr_storage *ss, socklen_t *len, GError **error)
{
        return get_name(fd, FALSE, ss, len, error);
}

char *net_address_to_string(const struct sockaddr *sa)
{
        char buf[INET6_ADDRSTRLEN] = "?";
        if (sa->sa_family == AF_INET)
                inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, sizeof buf);
        else if (sa->sa_family == AF_INET6)
                inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf, sizeof buf);
        return g_strdup(buf);
}

guint16 net_address_port(const struct sockaddr *sa)
{
        if (sa->sa_family == AF_INET)
                return ntohs(((const struct sockaddr_in *)sa)->sin_port);
        if (sa->sa_family == AF_INET6)
                return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
        return 0;
}

void net_address_set_port(struct sockaddr *sa, guint16 port)
{
        if (sa->sa_family == AF_INET)
                ((struct sockaddr_in *)sa)->sin_port = htons(port);
        else if (sa->sa_family == AF_INET6)
                ((struct sockaddr_in6 *)sa)->sin6_port = htons(port);
}

NetStream *net_stream_new(int fd)
{
        NetStream *stream = g_new0(NetStream, 1);
        stream->fd = fd;
        return stream;
}

NetStream *net_stream_new_nonblocking(int fd)
{
        NetStream *stream = net_stream_new(fd);
        stream->nonblocking = TRUE;
        return stream;
}

void net_stream_free(NetStream *stream)
{
        if (!stream)
                return;
        if (stream->ssl)
                SSL_free(stream->ssl);
        if (stream->fd >= 0)
                close(stream->fd);
        g_free(stream);
}

int net_stream_fd(NetStream *stream)
{
        return stream->fd;
}

static gssize tls_read(NetStream *stream, void *buf, gsize len, gint64 deadline, int cancel_fd,
                       GError **error);
static gboolean tls_write_all(NetStream *stream, const char *p, gsize len, gint64 deadline, int cancel_fd,
                              GError **error);

gssize net_stream_read(NetStream *stream, void *buf, gsize len, gint64 deadline, int cancel_fd,
                       GError **error)
{
        if (stream->ssl)
                return tls_read(stream, buf, len, deadline, cancel_fd, error);
        for (;;) {
                if (!net_wait(stream->fd, POLLIN, deadline, cancel_fd, error))
                        return -1;
                ssize_t n = recv(stream->fd, buf, len, MSG_DONTWAIT);
                if (n >= 0)
                        return n;
                if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
                        continue;
                g_set_error(error, NET_ERROR, errno == ECONNRESET ? NET_ERROR_CLOSED : NET_ERROR_IO,
                            _("Reading from the network failed: %s"), g_strerror(errno));
                return -1;
        }
}

gboolean net_stream_write_all(NetStream *stream, const void *buf, gsize len, gint64 deadline,
                              int cancel_fd, GError **error)
{
        const char *p = buf;
        if (stream->ssl)
                return tls_write_all(stream, p, len, deadline, cancel_fd, error);
        while (len > 0) {
                ssize_t n = send(stream->fd, p, len, MSG_DONTWAIT | MSG_NOSIGNAL);
                if (n > 0) {
                        p += n;
                        len -= (gsize)n;
                        continue;
                }
                if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
                        if (!net_wait(stream->fd, POLLOUT, deadline, cancel_fd, error))
                                return FALSE;
                        continue;
                }
                g_set_error(error, NET_ERROR, errno == EPIPE || errno == ECONNRESET ? NET_ERROR_CLOSED : NET_ERROR_IO,
                            _("Writing to the network failed: %s"), g_strerror(errno));
                return FALSE;
        }
        return TRUE;
}

static void set_write_error(GError **error, int err, const char *what)
{
        g_set_error(error, NET_ERROR, err == EPIPE || err == ECONNRESET ? NET_ERROR_CLOSED : NET_ERROR_IO,
                    "%s: %s", what, g_strerror(err));
}

gssize net_stream_sendfile(NetStream *stream, int in_fd, gint64 *offset, gsize count, gint64 deadline,
                           int cancel_fd, GError **error)
{
        if (stream->ssl) {
                g_set_error_literal(error, NET_ERROR, NET_ERROR_UNSUPPORTED, _("sendfile() cannot write TLS."));
                return -1;
        }
        if (!stream->nonblocking) {
                if (!set_nonblocking(stream->fd, TRUE)) {
                        set_write_error(error, errno, _("Cannot configure a socket"));
                        return -1;
                }
                stream->nonblocking = TRUE;
        }
        for (;;) {
                /* the caller waited for the socket (and looked at the cancel) just before */
                off_t off = (off_t)*offset;
                ssize_t n = sendfile(stream->fd, in_fd, &off, count);
                if (n >= 0) {
                        *offset = off;
                        return n;
                }
                if (errno == EINTR)
                        continue;
                if (errno == EAGAIN) {
                        if (!net_wait(stream->fd, POLLOUT, deadline, cancel_fd, error))
                                return -1;
                        continue;
                }
                if (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP) {
                        g_set_error(error, NET_ERROR, NET_ERROR_UNSUPPORTED, _("sendfile() cannot send this file: %s"),
                                    g_strerror(errno));
                        return -1;
                }
                set_write_error(error, errno, _("Writing to the network failed"));
                return -1;
        }
}

gboolean net_stream_shutdown_write(NetStream *stream, GError **error)
{
        if (stream->ssl && !net_stream_close_notify(stream, net_deadline_in_ms(5000), error))
                return FALSE;
        if (shutdown(stream->fd, SHUT_WR) < 0 && errno != ENOTCONN) {
                g_set_error(error, NET_ERROR, NET_ERROR_IO, _("Closing the connection failed: %s"),
                            g_strerror(errno));
                return FALSE;
        }
        return TRUE;
}

/* ---- TLS: OpenSSL on the non-blocking socket, every WANT_READ/WANT_WRITE waited for in poll() ---- */

/* After an SSL call failed with `rc`: TRUE when it should be retried (after waiting), else FALSE
 * with the error set. */
static gboolean tls_retry(NetStream *stream, int rc, gint64 deadline, int cancel_fd, const char *what,
                          GError **error)
{
        int e = SSL_get_error(stream->ssl, rc);
        if (e == SSL_ERROR_WANT_READ)
                return net_wait(stream->fd, POLLIN, deadline, cancel_fd, error);
        if (e == SSL_ERROR_WANT_WRITE)
                return net_wait(stream->fd, POLLOUT, deadline, cancel_fd, error);
        unsigned long err = ERR_peek_error();
        if (e == SSL_ERROR_SSL && ERR_GET_REASON(err) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
                ERR_clear_error();
                g_set_error(error, NET_ERROR, NET_ERROR_TRUNCATED,
                            _("%s: the server closed the connection without ending TLS (no close_notify)."), what);
                return FALSE;
        }
        if (e == SSL_ERROR_SYSCALL && errno != 0 && !err) {
                int code = errno == EPIPE || errno == ECONNRESET ? NET_ERROR_CLOSED : NET_ERROR_IO;
                g_set_error(error, NET_ERROR, code, "%s: %s", what, g_strerror(errno));
                return FALSE;
        }
        if (e == SSL_ERROR_ZERO_RETURN) {
                g_set_error(error, NET_ERROR, NET_ERROR_CLOSED, _("%s: the server ended TLS."), what);
                return FALSE;
        }
        char buf[256] = "";
        if (err)
                ERR_error_string_n(err, buf, sizeof buf);
        ERR_clear_error();
        g_set_error(error, NET_ERROR, NET_ERROR_TLS, "%s: %s", what, *buf ? buf : _("the connection was cut"));
        return FALSE;
}

static gssize tls_read(NetStream *stream, void *buf, gsize len, gint64 deadline, int cancel_fd, GError **error)
{
        for (;;) {
                ERR_clear_error();
                errno = 0;
                int n = SSL_read(stream->ssl, buf, (int)MIN(len, (gsize)G_MAXINT));
                if (n > 0)
                        return n;
                if (SSL_get_error(stream->ssl, n) == SSL_ERROR_ZERO_RETURN)
                        return 0; /* close_notify: a clean end */
                if (!tls_retry(stream, n, deadline, cancel_fd, _("Reading from the network failed"), error))
                        return -1;
        }
}

static gboolean tls_write_all(NetStream *stream, const char *p, gsize len, gint64 deadline, int cancel_fd,
                              GError **error)
{
        while (len > 0) {
                ERR_clear_error();
                errno = 0;
                int n = SSL_write(stream->ssl, p, (int)MIN(len, (gsize)G_MAXINT));
                if (n > 0) {
                        p += n;
                        len -= (gsize)n;
                        continue;
                }
                if (!tls_retry(stream, n, deadline, cancel_fd, _("Writing to the network failed"), error))
                        return FALSE;
        }
        return TRUE;
}

gboolean net_stream_start_tls(NetStream *stream, TlsContext *ctx, const char *host, gboolean control,
                              gint64 deadline, int cancel_fd, GError **error)
{
        if (!set_nonblocking(stream->fd, TRUE)) {
                g_set_error(error, NET_ERROR, NET_ERROR_IO, _("Cannot configure a socket: %s"), g_strerror(errno));
                return FALSE;
        }
        SSL *ssl = tls_ssl_new(ctx, stream->fd, host, control, error);
        if (!ssl)
                return FALSE;
        stream->ssl = ssl;
        for (;;) {
                ERR_clear_error();
                errno = 0;
                int rc = SSL_connect(ssl);
                if (rc == 1) {
                        if (control)
                                tls_context_note_handshake(ctx, ssl);
                        return TRUE;
                }
                g_autoptr(GError) local = NULL;
                if (tls_retry(stream, rc, deadline, cancel_fd, _("The TLS handshake failed"), &local))
                        continue;
                SSL_free(ssl);
                stream->ssl = NULL;
                if (g_error_matches(local, NET_ERROR, NET_ERROR_TIMEOUT)) {
                        g_set_error_literal(error, NET_ERROR, NET_ERROR_TIMEOUT,
                                            _("The TLS handshake did not finish in time: is this port speaking TLS?"));
                        return FALSE;
                }
                if (local->domain == NET_ERROR && (local->code == NET_ERROR_TRUNCATED || local->code == NET_ERROR_CLOSED))
                        local->code = NET_ERROR_TLS;
                g_propagate_error(error, g_steal_pointer(&local));
                return FALSE;
        }
}

gboolean net_stream_is_tls(NetStream *stream)
{
        return stream->ssl != NULL;
}

TlsPeerInfo *net_stream_peer_info(NetStream *stream)
{
        return stream->ssl ? tls_ssl_peer_info(stream->ssl) : NULL;
}

gboolean net_stream_wait_readable(NetStream *stream, gint64 deadline, int cancel_fd, GError **error)
{
        if (!stream->ssl)
                return net_wait(stream->fd, POLLIN, deadline, cancel_fd, error);
        /* a readable socket may carry only TLS records without data (TLS 1.3 tickets): peek */
        for (;;) {
                char c;
                ERR_clear_error();
                int n = SSL_peek(stream->ssl, &c, 1);
                if (n > 0)
                        return TRUE;
                int e = SSL_get_error(stream->ssl, n);
                if (e == SSL_ERROR_WANT_READ && net_wait(stream->fd, POLLIN, deadline, cancel_fd, error))
                        continue;
                if (e == SSL_ERROR_WANT_WRITE && net_wait(stream->fd, POLLOUT, deadline, cancel_fd, error))
                        continue;
                if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
                        return FALSE;
                ERR_clear_error();
                return TRUE; /* the end or an error: the next read reports it */
        }
}

gboolean net_stream_close_notify(NetStream *stream, gint64 deadline, GError **error)
{
        if (!stream->ssl)
                return TRUE;
        for (;;) {
                ERR_clear_error();
                errno = 0;
                int rc = SSL_shutdown(stream->ssl);
                if (rc >= 0)
                        return TRUE; /* sent; the peer's own close_notify is not waited for */
                if (!tls_retry(stream, rc, deadline, -1, _("Ending TLS failed"), error))
                        return FALSE;
        }
}
