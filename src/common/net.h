/* common/net.h — sockets with deadlines: connect over IPv4/IPv6, wait, read and write.
 * Owns: every blocking socket wait in the client, each bounded by an absolute deadline and
 * interruptible by a cancel descriptor. Must not: know any protocol, or touch the screen. */
#pragma once
#include <glib.h>
#include <sys/socket.h>

#define NET_ERROR (net_error_quark())
GQuark net_error_quark(void);

typedef enum {
        NET_ERROR_RESOLVE,   /* host name did not resolve */
        NET_ERROR_CONNECT,   /* every address refused or was unreachable */
        NET_ERROR_TIMEOUT,   /* the deadline passed */
        NET_ERROR_CANCELLED, /* the cancel descriptor became readable */
        NET_ERROR_CLOSED,    /* the peer closed the connection */
        NET_ERROR_IO,        /* any other socket error */
        NET_ERROR_TLS,       /* a TLS handshake or record failed (alert, bad record, no common version) */
        NET_ERROR_TRUNCATED, /* TLS: the peer closed without close_notify (a download may be cut) */
        NET_ERROR_UNSUPPORTED, /* sendfile() cannot send this file or stream: copy through a buffer */
} NetError;

/* Deadlines are absolute, in g_get_monotonic_time() microseconds. NET_NO_DEADLINE waits forever. */
#define NET_NO_DEADLINE G_MAXINT64
gint64 net_deadline_in_ms(gint64 ms);

/* Waits until fd is ready for `events` (POLLIN/POLLOUT), the deadline passes or cancel_fd (-1 for
 * none) becomes readable. Returns TRUE when ready. */
gboolean net_wait(int fd, short events, gint64 deadline, int cancel_fd, GError **error);

/* Resolves host (name, IPv4 or IPv6 literal) and connects to each address in turn until one
 * answers; TCP_NODELAY is set when nodelay is TRUE. Returns a connected blocking socket or -1. */
int net_connect_tcp(const char *host, guint16 port, gboolean nodelay, gint64 deadline, int cancel_fd,
                    GError **error);

/* Sends small writes at once (TCP_NODELAY) instead of holding them until the last one is acked. */
void net_set_nodelay(int fd);

/* Connects to an explicit address (used for data connections). The socket is left in
 * non-blocking mode: wrap it with net_stream_new_nonblocking(). */
int net_connect_addr(const struct sockaddr *addr, socklen_t addrlen, gint64 deadline, int cancel_fd,
                     GError **error);

/* The peer and local addresses of a connected socket, and their numeric text form. */
gboolean net_peer_address(int fd, struct sockaddr_storage *ss, socklen_t *len, GError **error);
gboolean net_local_address(int fd, struct sockaddr_storage *ss, socklen_t *len, GError **error);
char *net_address_to_string(const struct sockaddr *sa); /* transfer full; "1.2.3.4" or "::1" */
guint16 net_address_port(const struct sockaddr *sa);
void net_address_set_port(struct sockaddr *sa, guint16 port);

/* A byte stream over a socket, plain or TLS (net_stream_start_tls): the same calls either way.
 * OpenSSL writes with write(): a process using TLS streams ignores SIGPIPE (clamftp's main does). */
typedef struct NetStream NetStream;
typedef struct TlsContext TlsContext;
typedef struct TlsPeerInfo TlsPeerInfo;
NetStream *net_stream_new(int fd); /* takes ownership of fd */
/* The same for a socket already in non-blocking mode (net_connect_addr's): sendfile() then needs
 * no fcntl() first. */
NetStream *net_stream_new_nonblocking(int fd);
void net_stream_free(NetStream *stream);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NetStream, net_stream_free)
int net_stream_fd(NetStream *stream);
/* Reads up to len bytes; returns the count, 0 at end of stream, -1 on error (deadline, cancel). */
gssize net_stream_read(NetStream *stream, void *buf, gsize len, gint64 deadline, int cancel_fd,
                       GError **error);
/* Writes all of buf in as few write() calls as the kernel allows. */
gboolean net_stream_write_all(NetStream *stream, const void *buf, gsize len, gint64 deadline,
                              int cancel_fd, GError **error);
/* Plain streams only: sends up to `count` bytes of in_fd, from *offset on, with sendfile() (the
 * kernel moves the pages; no copy through a buffer), and advances *offset. The caller waits for the
 * socket to take data first (and looks at its cancel then); a wait here, when the socket is full
 * after all, is bounded by the deadline and the cancel descriptor like every write. Returns the bytes sent
 * (> 0), 0 when in_fd ends before *offset + 1, or -1: NET_ERROR_UNSUPPORTED for a TLS stream or a
 * file sendfile() cannot read (the caller copies instead; nothing was sent), else the usual codes. */
gssize net_stream_sendfile(NetStream *stream, int in_fd, gint64 *offset, gsize count, gint64 deadline,
                           int cancel_fd, GError **error);
/* Half-closes the sending side (end of an upload); with TLS, sends close_notify first. */
gboolean net_stream_shutdown_write(NetStream *stream, GError **error);

/* TLS client handshake on the stream, bounded like every other wait. `host` is the control
 * connection's host name (SNI and the name check); a `control` stream feeds ctx's session cache,
 * a data stream resumes the stored control session. Afterwards every read and write is TLS. */
gboolean net_stream_start_tls(NetStream *stream, TlsContext *ctx, const char *host, gboolean control,
                              gint64 deadline, int cancel_fd, GError **error);
gboolean net_stream_is_tls(NetStream *stream);
/* What the handshake showed (certificate, verification, version, cipher, resumption); NULL when
 * the stream is plain. */
TlsPeerInfo *net_stream_peer_info(NetStream *stream); /* transfer full */
/* Waits until a read would not block: TRUE at once when TLS already holds decrypted bytes. */
gboolean net_stream_wait_readable(NetStream *stream, gint64 deadline, int cancel_fd, GError **error);
/* Sends close_notify (TLS; nothing for a plain stream), waiting at most until deadline. */
gboolean net_stream_close_notify(NetStream *stream, gint64 deadline, GError **error);
