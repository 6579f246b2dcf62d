/* scan/clamd.c — one scanner spoken to in the clamd protocol (clamd itself or clamav-agent).
 * Owns: address parsing, connecting with a deadline, FILDES (descriptor passing, the probe that
 * decides whether FILDES may be trusted) and INSTREAM framing, PING/VERSION, and turning a reply
 * into a verdict. Must not: decide what to upload, print, touch the screen, or use the file
 * offset of the descriptor it scans.
 * Fails closed: anything other than a complete, well-formed "stream: OK" / "fd[N]: OK" for the
 * whole file, and the only reply on its connection, is never OK; a failed FILDES never turns
 * into an INSTREAM retry unless the scanner said it cannot take a descriptor. */
#include "config.h"
#include "scan/clamd.h"
#include "scan/verdict-private.h"
#include "scan/tls-transport.h"
#include "common/i18n.h"
#include "common/net.h"

#include <inttypes.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

/* INSTREAM chunks: clamd's StreamMaxLength is a cumulative quota, not a chunk limit, so any chunk
 * up to what is left of it is taken; 1 MiB keeps the syscalls per GiB in the thousands. */
#define CHUNK_SIZE (1024 * 1024)
/* While sends never block, an early reply (size limit, write error) is looked for this often;
 * a send that would block looks for it at once. */
#define REPLY_CHECK_BYTES (8 * CHUNK_SIZE)
/* The FILDES probe: over any MaxFileSize libclamav allows (it caps the limit below 2 GiB). */
#define PROBE_SIZE (G_GINT64_CONSTANT(4) << 30)
#define REPLY_MAX 4096
#define DEFAULT_TIMEOUT_MS 60000
#define INSTREAM_PREFIX "instream:"
/* A session idle this long is ended rather than reused: clamd closes one after IdleTimeout
 * (30 s by default, often lowered), and a session found closed costs a retry. */
#define SESSION_IDLE_MS 5000
/* After this many sessions refused or broken, every scan makes its own connection. */
#define SESSION_GIVE_UP 3
/* After a one-shot reply, how long the end of the connection is waited for (more_before_end). */
#define END_WAIT_MS 1000

typedef enum { ADDRESS_UNIX, ADDRESS_TCP, ADDRESS_TLS } AddressKind;

typedef enum {
        FILDES_UNTESTED,    /* the probe has not run yet */
        FILDES_TRUSTED,     /* the scanner flags a file it cannot scan whole */
        FILDES_UNTRUSTED,   /* it answered OK (or an error) for a file over its limits */
        FILDES_UNSUPPORTED, /* it does not take descriptors */
} FildesState;

/* What a client and its copies learnt about the scanner's FILDES; shared across threads. */
typedef struct {
        gint refs;
        gint state; /* FildesState, atomic */
} FildesInfo;

struct ScanClamd {
        char *address; /* normalised: unix:/path, instream:unix:/path, tcp:host:port or tls:host:port */
        AddressKind kind;
        char *path;    /* unix */
        char *host;    /* tcp */
        guint16 port;
        ScanTls *tls;  /* tls:host:port (always INSTREAM), else NULL */
        gboolean instream_only; /* "instream:" given */
        FildesInfo *fildes;
        int timeout_ms;
        int cancel_fd;
        /* IDSESSION: one connection for many FILDES scans of one thread */
        NetStream *session;     /* open session, or NULL */
        guint session_request;  /* number of the last request sent in it (replies carry it) */
        gint64 session_used;    /* monotonic time of its last reply */
        guint session_failures; /* sessions that broke or were refused; at SESSION_GIVE_UP, none */
        gboolean use_sessions;  /* scan_clamd_use_sessions() */
};

/* ---- addresses --------------------------------------------------------------------------- */

static gboolean parse_port(const char *text, guint16 *port)
{
        guint64 value = 0;
        if (!g_ascii_string_to_unsigned(text, 10, 1, 65535, &value, NULL))
                return FALSE;
        *port = (guint16)value;
        return TRUE;
}

static gboolean parse_tcp(ScanClamd *client, const char *spec)
{
        const char *colon;
        g_autofree char *host = NULL;
        if (spec[0] == '[') {
                const char *close = strchr(spec, ']');
                if (!close || close[1] != ':' || close == spec + 1)
                        return FALSE;
                host = g_strndup(spec + 1, close - spec - 1);
                colon = close + 1;
        } else {
                colon = strrchr(spec, ':');
                if (!colon || colon == spec)
                        return FALSE;
                host = g_strndup(spec, colon - spec);
                if (strchr(host, ':'))
                        return FALSE; /* an IPv6 literal needs brackets */
        }
        if (!parse_port(colon + 1, &client->port))
                return FALSE;
        client->kind = ADDRESS_TCP;
        client->host = g_steal_pointer(&host);
        client->address = strchr(client->host, ':')
                ? g_strdup_printf("tcp:[%s]:%u", client->host, client->port)
                : g_strdup_printf("tcp:%s:%u", client->host, client->port);
        return TRUE;
}

static gboolean parse_unix(ScanClamd *client, const char *path)
{
        struct sockaddr_un sun;
        if (!*path || strlen(path) >= sizeof sun.sun_path)
                return FALSE;
        client->kind = ADDRESS_UNIX;
        client->path = g_strdup(path);
        client->address = g_strdup_printf("unix:%s", path);
        return TRUE;
}

/* tls:host:port: a TCP address whose connections speak TLS first. */
static gboolean parse_tls(ScanClamd *client, const char *spec)
{
        if (!parse_tcp(client, spec))
                return FALSE;
        client->kind = ADDRESS_TLS;
        char *tcp = client->address;
        client->address = g_strconcat("tls:", tcp + strlen("tcp:"), NULL);
        g_free(tcp);
        client->tls = scan_tls_new(client->host, client->port, client->address);
        return TRUE;
}

static FildesInfo *fildes_info_new(void)
{
        FildesInfo *info = g_new0(FildesInfo, 1);
        info->refs = 1;
        info->state = FILDES_UNTESTED;
        return info;
}

static void fildes_info_unref(FildesInfo *info)
{
        if (info && g_atomic_int_dec_and_test(&info->refs))
                g_free(info);
}

static gboolean parse_address(ScanClamd *client, const char *address)
{
        if (!address)
                return FALSE;
        if (g_str_has_prefix(address, "unix:"))
                return parse_unix(client, address + strlen("unix:"));
        if (g_str_has_prefix(address, "tcp:"))
                return parse_tcp(client, address + strlen("tcp:"));
        if (g_str_has_prefix(address, "tls:"))
                return parse_tls(client, address + strlen("tls:"));
        if (g_path_is_absolute(address))
                return parse_unix(client, address);
        return FALSE;
}

ScanClamd *scan_clamd_new(const char *address, GError **error)
{
        g_autoptr(ScanClamd) client = g_new0(ScanClamd, 1);
        client->timeout_ms = DEFAULT_TIMEOUT_MS;
        client->cancel_fd = -1;
        client->fildes = fildes_info_new();
        gboolean instream = address && g_str_has_prefix(address, INSTREAM_PREFIX);
        if (!parse_address(client, instream ? address + strlen(INSTREAM_PREFIX) : address)) {
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_ADDRESS,
                            _("“%s” is not a scanner address; use unix:/path/to/socket, "
                              "tcp:host:port, tls:host:port, tcp:[IPv6]:port or icap://host:port/service."),
                            address ? address : "");
                return NULL;
        }
        if (instream && client->kind == ADDRESS_UNIX) { /* TCP always streams: nothing to say */
                client->instream_only = TRUE;
                char *plain = client->address;
                client->address = g_strconcat(INSTREAM_PREFIX, plain, NULL);
                g_free(plain);
        }
        return g_steal_pointer(&client);
}

ScanClamd *scan_clamd_copy(ScanClamd *client)
{
        ScanClamd *copy = g_new0(ScanClamd, 1);
        copy->address = g_strdup(client->address);
        copy->kind = client->kind;
        copy->path = g_strdup(client->path);
        copy->host = g_strdup(client->host);
        copy->port = client->port;
        if (client->tls) /* a TLS context is not shared between threads */
                copy->tls = scan_tls_copy(client->tls);
        copy->instream_only = client->instream_only;
        copy->fildes = client->fildes;
        g_atomic_int_inc(&copy->fildes->refs);
        copy->timeout_ms = client->timeout_ms;
        copy->cancel_fd = -1;
        return copy;
}

void scan_clamd_free(ScanClamd *client)
{
        if (!client)
                return;
        scan_clamd_end_session(client);
        g_free(client->address);
        g_free(client->path);
        g_free(client->host);
        scan_tls_free(client->tls);
        fildes_info_unref(client->fildes);
        g_free(client);
}

const char *scan_clamd_address(ScanClamd *client)
{
        return client->address;
}

void scan_clamd_set_timeout_ms(ScanClamd *client, int timeout_ms)
{
        client->timeout_ms = timeout_ms > 0 ? timeout_ms : DEFAULT_TIMEOUT_MS;
}

void scan_clamd_set_cancel_fd(ScanClamd *client, int cancel_fd)
{
        client->cancel_fd = cancel_fd;
}

void scan_clamd_set_trust_lookup(ScanClamd *client, ScanTrustLookup lookup)
{
        if (client->tls)
                scan_tls_set_trust_lookup(client->tls, lookup);
}

/* ---- connecting -------------------------------------------------------------------------- */

static gint64 next_deadline(ScanClamd *client)
{
        return net_deadline_in_ms(client->timeout_ms);
}

static void set_net_error(ScanClamd *client, GError **error, const GError *net, const char *doing)
{
        g_autofree char *refused = client->tls ? scan_tls_explain(client->tls, net) : NULL;
        if (refused) {
                g_set_error_literal(error, SCAN_ERROR, SCAN_ERROR_UNTRUSTED, refused);
                return;
        }
        scan_error_set_from_net(error, net, client->address, client->timeout_ms, doing);
}

static void set_unreachable(ScanClamd *client, GError **error, const char *why)
{
        g_set_error(error, SCAN_ERROR, SCAN_ERROR_UNREACHABLE,
                    _("The scanner at %s is not reachable: %s (is clamd or clamav-agent running there?)"),
                    client->address, why);
}

static gboolean cancelled(int cancel_fd)
{
        if (cancel_fd < 0)
                return FALSE;
        struct pollfd pfd = { .fd = cancel_fd, .events = POLLIN };
        return poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLIN);
}

/* A unix connect does not go "in progress": it fails with EAGAIN while the listener's backlog is
 * full. Retry in short blocking slices (SO_SNDTIMEO bounds each) so cancel and deadline hold. */
static int connect_unix(ScanClamd *client, gint64 deadline, GError **error)
{
        struct sockaddr_un sun = { .sun_family = AF_UNIX };
        memcpy(sun.sun_path, client->path, strlen(client->path) + 1);
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
                set_unreachable(client, error, g_strerror(errno));
                return -1;
        }
        for (;;) {
                if (cancelled(client->cancel_fd)) {
                        g_set_error_literal(error, SCAN_ERROR, SCAN_ERROR_CANCELLED, _("The scan was cancelled."));
                        break;
                }
                gint64 left = deadline - g_get_monotonic_time();
                if (left <= 0) {
                        g_set_error(error, SCAN_ERROR, SCAN_ERROR_TIMEOUT,
                                    _("The scanner at %s did not accept the connection within %d s."),
                                    client->address, (client->timeout_ms + 999) / 1000);
                        break;
                }
                gint64 slice = MIN(left, 200000);
                struct timeval tv = { .tv_sec = slice / 1000000, .tv_usec = slice % 1000000 };
                (void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
                if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0) {
                        struct timeval zero = { 0 };
                        (void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &zero, sizeof zero);
                        return fd;
                }
                if (errno == EINTR || errno == EAGAIN || errno == EINPROGRESS)
                        continue;
                set_unreachable(client, error, g_strerror(errno));
                break;
        }
        close(fd);
        return -1;
}

static NetStream *connect_scanner(ScanClamd *client, GError **error)
{
        gint64 deadline = next_deadline(client);
        int fd;
        if (client->kind == ADDRESS_UNIX) {
                fd = connect_unix(client, deadline, error);
        } else {
                g_autoptr(GError) net = NULL;
                fd = net_connect_tcp(client->host, client->port, TRUE, deadline, client->cancel_fd, &net);
                if (fd < 0 && net->code == NET_ERROR_TIMEOUT)
                        g_set_error(error, SCAN_ERROR, SCAN_ERROR_TIMEOUT,
                                    _("The scanner at %s did not accept the connection within %d s."),
                                    client->address, (client->timeout_ms + 999) / 1000);
                else if (fd < 0 && net->code == NET_ERROR_CANCELLED)
                        g_set_error_literal(error, SCAN_ERROR, SCAN_ERROR_CANCELLED, _("The scan was cancelled."));
                else if (fd < 0)
                        set_unreachable(client, error, net->message);
        }
        if (fd < 0)
                return NULL;
        g_autoptr(NetStream) stream = net_stream_new(fd);
        if (client->tls && !scan_tls_start(client->tls, stream, next_deadline(client), client->cancel_fd, error))
                return NULL;
        return g_steal_pointer(&stream);
}

/* ---- one exchange ------------------------------------------------------------------------ */

static gboolean send_bytes(ScanClamd *client, NetStream *stream, const void *buf, gsize len,
                           const char *doing, GError **error)
{
        g_autoptr(GError) net = NULL;
        if (net_stream_write_all(stream, buf, len, next_deadline(client), client->cancel_fd, &net))
                return TRUE;
        set_net_error(client, error, net, doing);
        if (net->code == NET_ERROR_CLOSED)
                (*error)->code = SCAN_ERROR_PROTOCOL;
        return FALSE;
}

/* Reads one reply up to its terminator: '\0' for z-commands. clamd ends a few replies with '\n'
 * whatever the prefix (COMMAND READ TIMED OUT): those end the reply too, and *newline says so.
 * Returns the reply without its terminator; NULL with an error when none arrives complete. */
static char *read_reply_rest(ScanClamd *client, NetStream *stream, gint64 extra_ms, gboolean *newline,
                             gsize *rest, GError **error)
{
        char buf[REPLY_MAX];
        gsize used = 0;
        gint64 deadline = next_deadline(client) + extra_ms * 1000;
        *newline = FALSE;
        while (used < sizeof buf) {
                g_autoptr(GError) net = NULL;
                gssize n = net_stream_read(stream, buf + used, sizeof buf - used, deadline,
                                           client->cancel_fd, &net);
                if (n < 0) {
                        set_net_error(client, error, net, _("waiting for its reply"));
                        return NULL;
                }
                if (n == 0) {
                        g_set_error(error, SCAN_ERROR, SCAN_ERROR_PROTOCOL,
                                    used ? _("The scanner at %s closed the connection in the middle of its reply.")
                                         : _("The scanner at %s closed the connection without a verdict."),
                                    client->address);
                        return NULL;
                }
                used += (gsize)n;
                for (gsize i = 0; i < used; i++) {
                        if (buf[i] == '\0' || buf[i] == '\n') {
                                *newline = buf[i] == '\n';
                                if (rest)
                                        *rest = used - i - 1;
                                return g_strndup(buf, i);
                        }
                }
        }
        g_set_error(error, SCAN_ERROR, SCAN_ERROR_PROTOCOL,
                    _("The scanner at %s sent a reply longer than %d bytes."), client->address, REPLY_MAX);
        return NULL;
}

static char *read_reply(ScanClamd *client, NetStream *stream, gint64 extra_ms, gboolean *newline,
                        GError **error)
{
        return read_reply_rest(client, stream, extra_ms, newline, NULL, error);
}

/* Whether the scanner sends anything more before it closes the connection. A one-shot connection
 * carries one reply and then ends (clamd and clamav-agent close at once); a scanner that keeps
 * it open is waited for up to END_WAIT_MS, and what cannot be read (a reset, a cancel) is no
 * more bytes. */
static gboolean more_before_end(ScanClamd *client, NetStream *stream)
{
        gint64 deadline = MIN(next_deadline(client), net_deadline_in_ms(END_WAIT_MS));
        char byte;
        return net_stream_read(stream, &byte, 1, deadline, client->cancel_fd, NULL) > 0;
}

/* Reads the one reply of a one-shot connection; *more: bytes followed it (sent with it, or
 * before the connection ended), so the reply cannot be taken as the scanner's only answer. */
static char *read_sole_reply(ScanClamd *client, NetStream *stream, gint64 extra_ms, gboolean *newline,
                             gboolean *more, GError **error)
{
        gsize rest = 0;
        char *reply = read_reply_rest(client, stream, extra_ms, newline, &rest, error);
        *more = reply && (rest > 0 || more_before_end(client, stream));
        return reply;
}

/* The verdict on a reply that was followed by more: never OK, whatever the reply said
 * ("stream: OK\0stream: Eicar FOUND\0" says two things). */
static ScanVerdict *verdict_more(const char *reply)
{
        return scan_verdict_error_reply(reply, SCAN_REASON_PROTOCOL,
                             _("The scanner sent more after its verdict on a connection that carries one "
                               "reply; the file is not taken as scanned."));
}

/* Sends a z-command and reads its one reply. */
static char *exchange(ScanClamd *client, const char *command, GError **error)
{
        g_autoptr(NetStream) stream = connect_scanner(client, error);
        if (!stream)
                return NULL;
        if (!send_bytes(client, stream, command, strlen(command) + 1, _("sending a command"), error))
                return NULL;
        gboolean newline;
        return read_reply(client, stream, 0, &newline, error);
}

gboolean scan_clamd_ping(ScanClamd *client, GError **error)
{
        g_autofree char *reply = exchange(client, "zPING", error);
        if (!reply)
                return FALSE;
        if (strcmp(reply, "PONG") == 0)
                return TRUE;
        g_autofree char *shown = scan_text_sanitize(reply);
        g_set_error(error, SCAN_ERROR, SCAN_ERROR_PROTOCOL,
                    _("The scanner at %s answered PING with “%s” instead of PONG."), client->address, shown);
        return FALSE;
}

char *scan_clamd_version(ScanClamd *client, GError **error)
{
        g_autofree char *reply = exchange(client, "zVERSION", error);
        if (!reply)
                return NULL;
        char *shown = scan_text_sanitize(reply);
        g_strstrip(shown);
        if (!*shown) {
                g_free(shown);
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_PROTOCOL,
                            _("The scanner at %s sent an empty VERSION reply."), client->address);
                return NULL;
        }
        return shown;
}

/* ---- INSTREAM ---------------------------------------------------------------------------- */

/* clamd answers a size-limit violation (and write errors) before reading the rest, then closes:
 * when something is readable, stop sending and read that reply. */
static gboolean reply_waiting(int sock)
{
        struct pollfd pfd = { .fd = sock, .events = POLLIN };
        return poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLIN | POLLHUP | POLLERR));
}

typedef enum { SEND_DONE, SEND_STOPPED, SEND_FAILED } SendResult;

static void set_cancelled(GError **error)
{
        g_set_error_literal(error, SCAN_ERROR, SCAN_ERROR_CANCELLED, _("The scan was cancelled."));
}

/* The socket is full: waits for room, or stops for the scanner's early reply. */
static SendResult wait_for_room(ScanClamd *client, int sock, gint64 deadline, GError **error)
{
        g_autoptr(GError) net = NULL;
        if (!net_wait(sock, POLLOUT | POLLIN, deadline, client->cancel_fd, &net)) {
                set_net_error(client, error, net, _("sending the file"));
                return SEND_FAILED;
        }
        return reply_waiting(sock) ? SEND_STOPPED : SEND_DONE;
}

static void iov_advance(struct iovec **iov, int *count, gsize n)
{
        while (*count > 0 && n >= (*iov)->iov_len) {
                n -= (*iov)->iov_len;
                (*iov)++;
                (*count)--;
        }
        if (*count > 0) {
                (*iov)->iov_base = (guint8 *)(*iov)->iov_base + n;
                (*iov)->iov_len -= n;
        }
}

/* Sends one chunk, its 4-byte length and its data, in one sendmsg() when the socket takes it.
 * Each wait for room is bounded by the timeout. */
static SendResult send_chunk(ScanClamd *client, int sock, const guint8 *data, gsize len, GError **error)
{
        guint32 header = htonl((guint32)len);
        struct iovec parts[2] = { { &header, sizeof header }, { (void *)data, len } };
        struct iovec *iov = parts;
        int count = len > 0 ? 2 : 1;
        while (count > 0) {
                struct msghdr msg = { .msg_iov = iov, .msg_iovlen = (size_t)count };
                ssize_t n = sendmsg(sock, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
                if (n >= 0) {
                        iov_advance(&iov, &count, (gsize)n);
                        continue;
                }
                if (errno == EINTR)
                        continue;
                if (errno == EAGAIN || errno == EWOULDBLOCK) {
                        SendResult waited = wait_for_room(client, sock, next_deadline(client), error);
                        if (waited != SEND_DONE)
                                return waited;
                        continue;
                }
                if (errno == EPIPE || errno == ECONNRESET)
                        return SEND_STOPPED; /* closed on us: its reply may be waiting */
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_PROTOCOL,
                            _("The connection to the scanner at %s failed while %s: %s"), client->address,
                            _("sending the file"), g_strerror(errno));
                return SEND_FAILED;
        }
        return SEND_DONE;
}

/* Over TLS every byte goes through the stream: the length, then the data. A scanner that
 * closed first may have answered (SEND_STOPPED). */
static SendResult send_chunk_tls(ScanClamd *client, NetStream *stream, const guint8 *data, gsize len,
                                 GError **error)
{
        guint32 header = htonl((guint32)len);
        g_autoptr(GError) net = NULL;
        if (net_stream_write_all(stream, &header, sizeof header, next_deadline(client), client->cancel_fd, &net) &&
            (len == 0 || net_stream_write_all(stream, data, len, next_deadline(client), client->cancel_fd, &net)))
                return SEND_DONE;
        if (net->code == NET_ERROR_CLOSED)
                return SEND_STOPPED;
        set_net_error(client, error, net, _("sending the file"));
        return SEND_FAILED;
}

/* Whether the scanner has answered (or closed) before the end of the file. Over TLS a readable
 * socket may carry records without data: only decrypted bytes, an alert or the end count. */
static gboolean stream_reply_waiting(NetStream *stream)
{
        if (!net_stream_is_tls(stream))
                return reply_waiting(net_stream_fd(stream));
        return net_stream_wait_readable(stream, g_get_monotonic_time(), -1, NULL);
}

/* Reads up to `want` bytes at offset; -1 with an error when that fails or the file ends early. */
static ssize_t read_at(int fd, guint8 *buf, gsize want, gint64 offset, GError **error)
{
        ssize_t n;
        do
                n = pread(fd, buf, want, offset);
        while (n < 0 && errno == EINTR);
        if (n > 0)
                return n;
        g_set_error(error, SCAN_ERROR, SCAN_ERROR_LOCAL,
                    _("Reading the file to scan failed at byte %" PRId64 ": %s"), (int64_t)offset,
                    n < 0 ? g_strerror(errno) : _("it is shorter than expected"));
        return -1;
}

/* Sends `size` bytes of fd in chunks, then the zero-length chunk. SEND_STOPPED: the scanner
 * answered (or closed) before the end; its reply is to be read. */
static SendResult send_chunks(ScanClamd *client, NetStream *stream, int fd, gint64 size, GError **error)
{
        g_autofree guint8 *buf = g_malloc(CHUNK_SIZE);
        int sock = net_stream_fd(stream);
        gint64 offset = 0;
        gint64 next_check = REPLY_CHECK_BYTES;
        for (;;) {
                if (offset >= next_check) {
                        next_check = offset + REPLY_CHECK_BYTES;
                        if (cancelled(client->cancel_fd)) {
                                set_cancelled(error);
                                return SEND_FAILED;
                        }
                        if (stream_reply_waiting(stream))
                                return SEND_STOPPED;
                }
                gsize want = (gsize)MIN((gint64)CHUNK_SIZE, size - offset);
                ssize_t n = want > 0 ? read_at(fd, buf, want, offset, error) : 0;
                if (n < 0)
                        return SEND_FAILED;
                SendResult sent = net_stream_is_tls(stream) ? send_chunk_tls(client, stream, buf, (gsize)n, error)
                                                            : send_chunk(client, sock, buf, (gsize)n, error);
                if (sent != SEND_DONE || n == 0)
                        return sent;
                offset += n;
        }
}

/* The scan itself takes time after the last byte: allow 2 MiB/s even for a huge database. */
static gint64 scan_allowance_ms(gint64 size)
{
        return size / (2 * 1024 * 1024) * 1000;
}

/* An OK counts only for the whole file, in a reply terminated as the protocol requires. */
static ScanVerdict *ok_only_if_whole(ScanVerdict *verdict, const char *reply, gboolean whole,
                                     gboolean newline)
{
        if (verdict->kind != SCAN_VERDICT_OK || (whole && !newline))
                return verdict;
        scan_verdict_free(verdict);
        if (!whole) /* a verdict on part of the file is no verdict on the file */
                return scan_verdict_error_reply(reply, SCAN_REASON_PROTOCOL,
                                     _("The scanner answered before it received the whole file."));
        /* INSTREAM and FILDES are z-commands: their verdict ends with NUL */
        return scan_verdict_error_reply(reply, SCAN_REASON_PROTOCOL,
                             _("The scanner's reply was not terminated as the protocol requires."));
}

static ScanVerdict *scan_instream(ScanClamd *client, int fd, gint64 size)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(NetStream) stream = connect_scanner(client, &error);
        if (!stream)
                return scan_verdict_new_error(error);
        static const char command[] = "zINSTREAM";
        if (!send_bytes(client, stream, command, sizeof command, _("sending a command"), &error))
                return scan_verdict_new_error(error);
        SendResult sent = send_chunks(client, stream, fd, size, &error);
        if (sent == SEND_FAILED)
                return scan_verdict_new_error(error);
        gboolean newline = FALSE, more = FALSE;
        g_autofree char *reply = read_sole_reply(client, stream, scan_allowance_ms(size), &newline, &more,
                                                 &error);
        if (!reply)
                return scan_verdict_new_error(error);
        if (more)
                return verdict_more(reply);
        return ok_only_if_whole(scan_verdict_parse(reply), reply, sent == SEND_DONE, newline);
}

/* ---- FILDES ------------------------------------------------------------------------------ */

/* A new read-only open file description of fd (whose fstat is *a) for the scanner: it cannot
 * write to the snapshot, and the offset it moves is its own. -1 without /proc: then fd itself goes, which is still safe
 * because nothing here or in the upload uses fd's offset (pread only). */
static int reopen_read_only(int fd, const struct stat *a)
{
        char path[64];
        g_snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        int ro = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (ro < 0)
                return -1;
        struct stat b;
        if (fstat(ro, &b) < 0 || a->st_dev != b.st_dev || a->st_ino != b.st_ino) {
                close(ro);
                return -1;
        }
        return ro;
}

/* Sends the one data byte that carries fd in SCM_RIGHTS (clamd needs at least one).
 * SEND_STOPPED: the scanner closed first; its reply may be waiting. */
static SendResult send_descriptor(ScanClamd *client, int sock, int fd, GError **error)
{
        char byte = '\0';
        struct iovec iov = { &byte, 1 };
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } control;
        memset(&control, 0, sizeof control);
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                              .msg_controllen = sizeof control.buf };
        struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cm), &fd, sizeof fd);
        gint64 deadline = next_deadline(client);
        for (;;) {
                if (sendmsg(sock, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) == 1)
                        return SEND_DONE;
                if (errno == EINTR)
                        continue;
                if (errno == EAGAIN || errno == EWOULDBLOCK) {
                        g_autoptr(GError) net = NULL;
                        if (net_wait(sock, POLLOUT, deadline, client->cancel_fd, &net))
                                continue;
                        set_net_error(client, error, net, _("passing the file"));
                        return SEND_FAILED;
                }
                if (errno == EPIPE || errno == ECONNRESET)
                        return SEND_STOPPED;
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_PROTOCOL,
                            _("The connection to the scanner at %s failed while %s: %s"), client->address,
                            _("passing the file"), g_strerror(errno));
                return SEND_FAILED;
        }
}

/* Sends zFILDES with a read-only descriptor of fd and reads the reply; NULL with an error when
 * none arrives. *delivered: the descriptor was sent (a reply can also come without it, when the
 * scanner answered the command and closed first: UNKNOWN COMMAND). *more: see read_sole_reply. */
static char *fildes_exchange(ScanClamd *client, int fd, const struct stat *st, gint64 allowance_ms,
                             gboolean *newline, gboolean *delivered, gboolean *more, GError **error)
{
        *delivered = FALSE;
        g_autoptr(NetStream) stream = connect_scanner(client, error);
        if (!stream)
                return NULL;
        static const char command[] = "zFILDES";
        if (!send_bytes(client, stream, command, sizeof command, _("sending a command"), error))
                return NULL;
        int ro = reopen_read_only(fd, st);
        SendResult passed = send_descriptor(client, net_stream_fd(stream), ro >= 0 ? ro : fd, error);
        if (ro >= 0)
                close(ro); /* the message in flight holds its own reference */
        if (passed == SEND_FAILED)
                return NULL;
        *delivered = passed == SEND_DONE;
        return read_sole_reply(client, stream, allowance_ms, newline, more, error);
}

/* The scanner's way of saying it does not take descriptors: only these make INSTREAM a fallback.
 * clamd 1.4 and clamav-agent say "No file descriptor received. ERROR"; older ones "FILDES: didn't
 * receive file descriptor. ERROR". */
static gboolean says_no_fildes(const char *reply)
{
        return strcmp(reply, "UNKNOWN COMMAND") == 0 ||
               strcmp(reply, "No file descriptor received. ERROR") == 0 ||
               (g_str_has_prefix(reply, "FILDES: didn't receive file descriptor") &&
                g_str_has_suffix(reply, "ERROR"));
}

static void fildes_learn(ScanClamd *client, FildesState state)
{
        g_atomic_int_set(&client->fildes->state, state);
}

/* Passes a sparse PROBE_SIZE memfd: a scanner that answers OK for it would answer OK for any file
 * over its MaxFileSize without scanning it. Returns what was learnt, or FILDES_UNTESTED with
 * *failure set when the scanner could not be asked (unreachable, timed out, cancelled). */
static FildesState probe_fildes(ScanClamd *client, ScanVerdict **failure)
{
        int probe = memfd_create("clamftp-fildes-probe", MFD_CLOEXEC);
        if (probe < 0 || ftruncate(probe, PROBE_SIZE) < 0) {
                if (probe >= 0)
                        close(probe);
                return FILDES_UNTESTED; /* cannot ask now: stream this file, ask again next time */
        }
        struct stat st;
        if (fstat(probe, &st) < 0) {
                close(probe);
                return FILDES_UNTESTED;
        }
        g_autoptr(GError) error = NULL;
        gboolean newline = FALSE, delivered = FALSE, more = FALSE;
        g_autofree char *reply = fildes_exchange(client, probe, &st, 0, &newline, &delivered, &more, &error);
        close(probe);
        if (!reply) {
                *failure = scan_verdict_new_error(error);
                return FILDES_UNTESTED;
        }
        if (says_no_fildes(reply))
                return FILDES_UNSUPPORTED;
        g_autoptr(ScanVerdict) verdict = scan_verdict_parse_fildes(reply);
        gboolean flagged = verdict->kind == SCAN_VERDICT_INFECTED || verdict->reason_class == SCAN_REASON_LIMIT;
        return flagged && delivered && !more ? FILDES_TRUSTED : FILDES_UNTRUSTED;
}

/* FILDES scans the whole file: only for a regular file of exactly `size` bytes (*st: its fstat). */
static gboolean fildes_fits(ScanClamd *client, int fd, gint64 size, struct stat *st)
{
        if (client->kind != ADDRESS_UNIX || client->instream_only)
                return FALSE;
        FildesState state = g_atomic_int_get(&client->fildes->state);
        if (state == FILDES_UNTRUSTED || state == FILDES_UNSUPPORTED)
                return FALSE;
        return fstat(fd, st) == 0 && S_ISREG(st->st_mode) && st->st_size == size;
}

/* Whether this scan may use FILDES, probing first when nobody has; *failure: the probe's error. */
static gboolean fildes_trusted(ScanClamd *client, ScanVerdict **failure)
{
        FildesState state = g_atomic_int_get(&client->fildes->state);
        if (state == FILDES_UNTESTED) {
                state = probe_fildes(client, failure);
                if (state != FILDES_UNTESTED)
                        fildes_learn(client, state);
        }
        return state == FILDES_TRUSTED;
}

/* ---- IDSESSION ---------------------------------------------------------------------------- */

void scan_clamd_use_sessions(ScanClamd *client, gboolean use)
{
        client->use_sessions = use;
        if (!use)
                scan_clamd_end_session(client);
}

void scan_clamd_end_session(ScanClamd *client)
{
        if (!client->session)
                return;
        /* best effort and never blocking: closing the connection ends the session too */
        static const char command[] = "zEND";
        (void)send(net_stream_fd(client->session), command, sizeof command, MSG_DONTWAIT | MSG_NOSIGNAL);
        g_clear_pointer(&client->session, net_stream_free);
}

/* The session cannot be trusted any more (closed, refused, a reply out of place): dropped
 * without END, and counted. */
static void session_broke(ScanClamd *client)
{
        g_clear_pointer(&client->session, net_stream_free);
        client->session_failures++;
}

/* The open session, or a new one; NULL when this client makes a connection per scan (sessions
 * not wanted, refused too often, or the scanner unreachable: the caller's own connect reports it). */
static NetStream *session_get(ScanClamd *client)
{
        if (client->session && g_get_monotonic_time() - client->session_used > SESSION_IDLE_MS * 1000)
                scan_clamd_end_session(client);
        if (client->session || !client->use_sessions || client->session_failures >= SESSION_GIVE_UP)
                return client->session;
        g_autoptr(GError) error = NULL;
        g_autoptr(NetStream) stream = connect_scanner(client, &error);
        static const char command[] = "zIDSESSION";
        if (!stream || !send_bytes(client, stream, command, sizeof command, _("sending a command"), &error)) {
                client->session_failures++;
                return NULL;
        }
        client->session = g_steal_pointer(&stream);
        client->session_request = 0;
        client->session_used = g_get_monotonic_time();
        return client->session;
}

/* A reply inside a session is "<n>: <reply>", n the number of the request it answers; the
 * reply after the prefix when n is `request`, else NULL. */
static const char *session_reply_body(const char *reply, guint request)
{
        char prefix[24];
        g_snprintf(prefix, sizeof prefix, "%u: ", request);
        return g_str_has_prefix(reply, prefix) ? reply + strlen(prefix) : NULL;
}

/* FILDES inside the session: one request at a time, so exactly one reply is expected, with the
 * request's number and nothing after it. NULL when the session broke before a verdict (closed,
 * refused, a reply that is not this request's): the caller scans again on its own connection.
 * A timeout or a cancel is a verdict (ERROR): asking again would only wait again. */
static ScanVerdict *session_fildes(ScanClamd *client, NetStream *stream, int fd, const struct stat *st,
                                   gint64 size)
{
        g_autoptr(GError) error = NULL;
        static const char command[] = "zFILDES";
        guint request = ++client->session_request;
        SendResult passed = SEND_FAILED;
        if (send_bytes(client, stream, command, sizeof command, _("sending a command"), &error)) {
                int ro = reopen_read_only(fd, st);
                passed = send_descriptor(client, net_stream_fd(stream), ro >= 0 ? ro : fd, &error);
                if (ro >= 0)
                        close(ro);
        }
        gboolean newline = FALSE;
        gsize rest = 0;
        g_autofree char *reply = passed == SEND_DONE
                ? read_reply_rest(client, stream, scan_allowance_ms(size), &newline, &rest, &error) : NULL;
        const char *body = reply && rest == 0 ? session_reply_body(reply, request) : NULL;
        if (!body || says_no_fildes(body)) {
                session_broke(client);
                gboolean final = error && (error->code == SCAN_ERROR_TIMEOUT || error->code == SCAN_ERROR_CANCELLED);
                return final ? scan_verdict_new_error(error) : NULL;
        }
        ScanVerdict *verdict = ok_only_if_whole(scan_verdict_parse_fildes(body), body, TRUE, newline);
        if (verdict->kind == SCAN_VERDICT_ERROR)
                scan_clamd_end_session(client); /* clamd closes a session after some errors */
        else
                client->session_used = g_get_monotonic_time();
        return verdict;
}

/* NULL when the scanner says it cannot take the descriptor after all (then INSTREAM). */
static ScanVerdict *scan_fildes(ScanClamd *client, int fd, const struct stat *st, gint64 size)
{
        NetStream *session = session_get(client);
        ScanVerdict *in_session = session ? session_fildes(client, session, fd, st, size) : NULL;
        if (in_session)
                return in_session;
        g_autoptr(GError) error = NULL;
        gboolean newline = FALSE, delivered = FALSE, more = FALSE;
        g_autofree char *reply = fildes_exchange(client, fd, st, scan_allowance_ms(size), &newline, &delivered,
                                                 &more, &error);
        if (!reply)
                return scan_verdict_new_error(error);
        if (more)
                return verdict_more(reply);
        if (says_no_fildes(reply)) {
                fildes_learn(client, FILDES_UNSUPPORTED);
                return NULL;
        }
        return ok_only_if_whole(scan_verdict_parse_fildes(reply), reply, delivered, newline);
}

gboolean scan_clamd_uses_fildes(ScanClamd *client)
{
        FildesState state = g_atomic_int_get(&client->fildes->state);
        return client->kind == ADDRESS_UNIX && !client->instream_only &&
               (state == FILDES_UNTESTED || state == FILDES_TRUSTED);
}

ScanVerdict *scan_clamd_scan_fd(ScanClamd *client, int fd, gint64 size)
{
        if (size < 0 || fd < 0)
                return scan_verdict_error_reply(NULL, SCAN_REASON_LOCAL, _("There is no file to scan."));
        struct stat st;
        if (fildes_fits(client, fd, size, &st)) {
                ScanVerdict *verdict = NULL;
                if (fildes_trusted(client, &verdict))
                        verdict = scan_fildes(client, fd, &st, size);
                if (verdict)
                        return verdict;
        }
        return scan_instream(client, fd, size);
}

/* ---- STATS -------------------------------------------------------------------------------- */

/* STATS's reply is many lines, the last "END", then the z-command's NUL (never a lone '\n'). */
#define STATS_MAX (64 * 1024)

/* A copy safe to show, keeping the line breaks of a multi-line reply. */
static char *sanitize_lines(const char *text)
{
        char *valid = g_utf8_make_valid(text, -1);
        for (char *p = valid; *p; p++) {
                if (((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
                        *p = '?';
        }
        return valid;
}

char *scan_clamd_stats(ScanClamd *client, GError **error)
{
        g_autoptr(NetStream) stream = connect_scanner(client, error);
        static const char command[] = "zSTATS";
        if (!stream || !send_bytes(client, stream, command, sizeof command, _("sending a command"), error))
                return NULL;
        g_autoptr(GString) reply = g_string_sized_new(1024);
        gint64 deadline = next_deadline(client);
        char buf[4096];
        while (reply->len < STATS_MAX) {
                g_autoptr(GError) net = NULL;
                gssize n = net_stream_read(stream, buf, sizeof buf, deadline, client->cancel_fd, &net);
                if (n < 0) {
                        set_net_error(client, error, net, _("waiting for its reply"));
                        return NULL;
                }
                const char *end = n > 0 ? memchr(buf, '\0', (gsize)n) : NULL;
                g_string_append_len(reply, buf, end ? end - buf : n);
                if (end || n == 0) /* clamd may also just close after END */
                        return sanitize_lines(reply->str);
        }
        g_set_error(error, SCAN_ERROR, SCAN_ERROR_PROTOCOL,
                    _("The scanner at %s sent a reply longer than %d bytes."), client->address, STATS_MAX);
        return NULL;
}
