/* scan/client.c — a client of the clamd protocol (clamd itself or clamav-agent).
 * Owns: address parsing, connecting with a deadline, INSTREAM framing, PING/VERSION, and turning
 * a reply into a verdict. Must not: decide what to upload, print, or touch the screen.
 * Fails closed: anything other than a complete, well-formed "stream: OK" is never OK. */
#include "config.h"
#include "scan/client.h"
#include "common/i18n.h"
#include "common/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

G_DEFINE_QUARK(scan-error-quark, scan_error)

#define CHUNK_SIZE (64 * 1024)
#define REPLY_MAX 4096
#define DEFAULT_TIMEOUT_MS 60000

typedef enum { ADDRESS_UNIX, ADDRESS_TCP } AddressKind;

struct ScanClient {
        char *address; /* normalised: unix:/path or tcp:host:port */
        AddressKind kind;
        char *path;    /* unix */
        char *host;    /* tcp */
        guint16 port;
        int timeout_ms;
        int cancel_fd;
};

/* ---- verdicts ---------------------------------------------------------------------------- */

ScanVerdict *scan_verdict_new(ScanVerdictKind kind, const char *signature, const char *reason)
{
        ScanVerdict *verdict = g_new0(ScanVerdict, 1);
        verdict->kind = kind;
        verdict->signature = g_strdup(signature);
        verdict->reason = g_strdup(reason);
        return verdict;
}

void scan_verdict_free(ScanVerdict *verdict)
{
        if (!verdict)
                return;
        g_free(verdict->signature);
        g_free(verdict->reason);
        g_free(verdict->reply);
        g_free(verdict);
}

const char *scan_verdict_kind_name(ScanVerdictKind kind)
{
        switch (kind) {
        case SCAN_VERDICT_OK:
                return "OK";
        case SCAN_VERDICT_INFECTED:
                return "INFECTED";
        case SCAN_VERDICT_ERROR:
        default:
                return "ERROR";
        }
}

/* A copy safe to show and log: valid UTF-8, control characters replaced. */
static char *sanitize(const char *text)
{
        char *valid = g_utf8_make_valid(text, -1);
        for (char *p = valid; *p; p++) {
                if ((unsigned char)*p < 0x20 || *p == 0x7f)
                        *p = '?';
        }
        return valid;
}

static ScanVerdict *verdict_error(const char *reply, const char *reason)
{
        ScanVerdict *verdict = scan_verdict_new(SCAN_VERDICT_ERROR, NULL, reason);
        verdict->reply = reply ? sanitize(reply) : NULL;
        return verdict;
}

/* The scanner's own "<reason> ERROR": a few known reasons get words a user can act on. */
static char *error_reason(const char *words)
{
        if (strstr(words, "size limit exceeded"))
                return g_strdup_printf(_("The scanner refused the file because it is larger than it "
                                         "accepts (%s); raise StreamMaxLength in its configuration."),
                                       words);
        if (!*words)
                return g_strdup(_("The scanner reported an error without a reason."));
        return g_strdup_printf(_("The scanner reported an error: %s"), words);
}

ScanVerdict *scan_verdict_parse(const char *reply)
{
        if (!reply)
                return verdict_error(NULL, _("The scanner sent no reply."));
        g_autofree char *line = sanitize(reply); /* no trimming: a reply is exact or it is not OK */
        if (!*line)
                return verdict_error(reply, _("The scanner sent an empty reply."));
        if (strcmp(line, "COMMAND READ TIMED OUT") == 0)
                return verdict_error(reply, _("The scanner timed out waiting for the file's data."));

        const char *body = g_str_has_prefix(line, "stream: ") ? line + strlen("stream: ") : NULL;
        if (g_str_has_suffix(line, "ERROR") && (!body || g_str_has_suffix(body, " ERROR") ||
                                                 strcmp(body, "ERROR") == 0)) {
                const char *words = body ? body : line;
                g_autofree char *trimmed = g_strndup(words, strlen(words) - strlen("ERROR"));
                g_strstrip(trimmed);
                g_autofree char *reason = error_reason(trimmed);
                return verdict_error(reply, reason);
        }
        if (!body) {
                g_autofree char *reason = g_strdup_printf(
                        _("The scanner's reply could not be understood: “%s”."), line);
                return verdict_error(reply, reason);
        }
        if (strcmp(body, "OK") == 0) {
                ScanVerdict *verdict = scan_verdict_new(SCAN_VERDICT_OK, NULL, NULL);
                verdict->reply = g_strdup(line);
                return verdict;
        }
        if (g_str_has_suffix(body, " FOUND")) {
                g_autofree char *sig = g_strndup(body, strlen(body) - strlen(" FOUND"));
                g_strstrip(sig);
                if (*sig) {
                        ScanVerdict *verdict = scan_verdict_new(SCAN_VERDICT_INFECTED, sig, NULL);
                        verdict->reply = g_strdup(line);
                        return verdict;
                }
        }
        g_autofree char *reason = g_strdup_printf(_("The scanner's reply could not be understood: “%s”."),
                                                  line);
        return verdict_error(reply, reason);
}

/* ---- addresses --------------------------------------------------------------------------- */

static gboolean parse_port(const char *text, guint16 *port)
{
        guint64 value = 0;
        if (!g_ascii_string_to_unsigned(text, 10, 1, 65535, &value, NULL))
                return FALSE;
        *port = (guint16)value;
        return TRUE;
}

static gboolean parse_tcp(ScanClient *client, const char *spec)
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

static gboolean parse_unix(ScanClient *client, const char *path)
{
        struct sockaddr_un sun;
        if (!*path || strlen(path) >= sizeof sun.sun_path)
                return FALSE;
        client->kind = ADDRESS_UNIX;
        client->path = g_strdup(path);
        client->address = g_strdup_printf("unix:%s", path);
        return TRUE;
}

ScanClient *scan_client_new(const char *address, GError **error)
{
        g_autoptr(ScanClient) client = g_new0(ScanClient, 1);
        client->timeout_ms = DEFAULT_TIMEOUT_MS;
        client->cancel_fd = -1;
        gboolean ok = FALSE;
        if (address && g_str_has_prefix(address, "unix:"))
                ok = parse_unix(client, address + strlen("unix:"));
        else if (address && g_str_has_prefix(address, "tcp:"))
                ok = parse_tcp(client, address + strlen("tcp:"));
        else if (address && g_path_is_absolute(address))
                ok = parse_unix(client, address);
        if (!ok) {
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_ADDRESS,
                            _("“%s” is not a scanner address; use unix:/path/to/socket, "
                              "tcp:host:port or tcp:[IPv6]:port."),
                            address ? address : "");
                return NULL;
        }
        return g_steal_pointer(&client);
}

ScanClient *scan_client_copy(ScanClient *client)
{
        ScanClient *copy = g_new0(ScanClient, 1);
        copy->address = g_strdup(client->address);
        copy->kind = client->kind;
        copy->path = g_strdup(client->path);
        copy->host = g_strdup(client->host);
        copy->port = client->port;
        copy->timeout_ms = client->timeout_ms;
        copy->cancel_fd = -1;
        return copy;
}

void scan_client_free(ScanClient *client)
{
        if (!client)
                return;
        g_free(client->address);
        g_free(client->path);
        g_free(client->host);
        g_free(client);
}

const char *scan_client_address(ScanClient *client)
{
        return client->address;
}

void scan_client_set_timeout_ms(ScanClient *client, int timeout_ms)
{
        client->timeout_ms = timeout_ms > 0 ? timeout_ms : DEFAULT_TIMEOUT_MS;
}

void scan_client_set_cancel_fd(ScanClient *client, int cancel_fd)
{
        client->cancel_fd = cancel_fd;
}

/* ---- connecting -------------------------------------------------------------------------- */

static gint64 next_deadline(ScanClient *client)
{
        return net_deadline_in_ms(client->timeout_ms);
}

/* Rewrites a network error in the scanner's terms, keeping a code the caller can test. */
static void set_net_error(ScanClient *client, GError **error, const GError *net, const char *doing)
{
        switch (net->code) {
        case NET_ERROR_TIMEOUT:
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_TIMEOUT,
                            _("The scanner at %s did not answer within %d s (%s)."), client->address,
                            (client->timeout_ms + 999) / 1000, doing);
                return;
        case NET_ERROR_CANCELLED:
                g_set_error_literal(error, SCAN_ERROR, SCAN_ERROR_CANCELLED, _("The scan was cancelled."));
                return;
        default:
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_PROTOCOL,
                            _("The connection to the scanner at %s failed while %s: %s"), client->address,
                            doing, net->message);
        }
}

static void set_unreachable(ScanClient *client, GError **error, const char *why)
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
static int connect_unix(ScanClient *client, gint64 deadline, GError **error)
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

static NetStream *connect_scanner(ScanClient *client, GError **error)
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
        return fd < 0 ? NULL : net_stream_new(fd);
}

/* ---- one exchange ------------------------------------------------------------------------ */

static gboolean send_bytes(ScanClient *client, NetStream *stream, const void *buf, gsize len,
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
static char *read_reply(ScanClient *client, NetStream *stream, gint64 extra_ms, gboolean *newline,
                        GError **error)
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
                                return g_strndup(buf, i);
                        }
                }
        }
        g_set_error(error, SCAN_ERROR, SCAN_ERROR_PROTOCOL,
                    _("The scanner at %s sent a reply longer than %d bytes."), client->address, REPLY_MAX);
        return NULL;
}

/* Sends a z-command and reads its one reply. */
static char *exchange(ScanClient *client, const char *command, GError **error)
{
        g_autoptr(NetStream) stream = connect_scanner(client, error);
        if (!stream)
                return NULL;
        if (!send_bytes(client, stream, command, strlen(command) + 1, _("sending a command"), error))
                return NULL;
        gboolean newline;
        return read_reply(client, stream, 0, &newline, error);
}

gboolean scan_client_ping(ScanClient *client, GError **error)
{
        g_autofree char *reply = exchange(client, "zPING", error);
        if (!reply)
                return FALSE;
        if (strcmp(reply, "PONG") == 0)
                return TRUE;
        g_autofree char *shown = sanitize(reply);
        g_set_error(error, SCAN_ERROR, SCAN_ERROR_PROTOCOL,
                    _("The scanner at %s answered PING with “%s” instead of PONG."), client->address, shown);
        return FALSE;
}

char *scan_client_version(ScanClient *client, GError **error)
{
        g_autofree char *reply = exchange(client, "zVERSION", error);
        if (!reply)
                return NULL;
        char *shown = sanitize(reply);
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
static gboolean reply_waiting(NetStream *stream)
{
        struct pollfd pfd = { .fd = net_stream_fd(stream), .events = POLLIN };
        return poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLIN | POLLHUP | POLLERR));
}

typedef enum { SEND_DONE, SEND_STOPPED, SEND_FAILED } SendResult;

static SendResult send_chunks(ScanClient *client, NetStream *stream, int fd, gint64 size, GError **error)
{
        g_autofree guint8 *buf = g_malloc(4 + CHUNK_SIZE);
        gint64 offset = 0;
        for (;;) {
                if (reply_waiting(stream))
                        return SEND_STOPPED;
                gsize want = (gsize)MIN((gint64)CHUNK_SIZE, size - offset);
                ssize_t n = 0;
                if (want > 0) {
                        n = pread(fd, buf + 4, want, offset);
                        if (n < 0 && errno == EINTR)
                                continue;
                        if (n <= 0) {
                                g_set_error(error, SCAN_ERROR, SCAN_ERROR_LOCAL,
                                            _("Reading the file to scan failed at byte %" G_GINT64_FORMAT ": %s"),
                                            offset, n < 0 ? g_strerror(errno) : _("it is shorter than expected"));
                                return SEND_FAILED;
                        }
                }
                guint32 len = htonl((guint32)n);
                memcpy(buf, &len, 4);
                g_autoptr(GError) local = NULL;
                if (!send_bytes(client, stream, buf, 4 + (gsize)n, _("sending the file"), &local)) {
                        if (local->code == SCAN_ERROR_PROTOCOL)
                                return SEND_STOPPED; /* closed on us: its reply may be waiting */
                        g_propagate_error(error, g_steal_pointer(&local));
                        return SEND_FAILED;
                }
                if (n == 0)
                        return SEND_DONE;
                offset += n;
        }
}

ScanVerdict *scan_client_scan_fd(ScanClient *client, int fd, gint64 size)
{
        g_autoptr(GError) error = NULL;
        if (size < 0 || fd < 0)
                return verdict_error(NULL, _("There is no file to scan."));
        g_autoptr(NetStream) stream = connect_scanner(client, &error);
        if (!stream)
                return verdict_error(NULL, error->message);
        static const char command[] = "zINSTREAM";
        if (!send_bytes(client, stream, command, sizeof command, _("sending a command"), &error))
                return verdict_error(NULL, error->message);
        SendResult sent = send_chunks(client, stream, fd, size, &error);
        if (sent == SEND_FAILED)
                return verdict_error(NULL, error->message);
        gboolean newline = FALSE;
        /* the scan itself takes time after the last byte: allow 2 MiB/s even for a huge database */
        gint64 scan_ms = size / (2 * 1024 * 1024) * 1000;
        g_autofree char *reply = read_reply(client, stream, scan_ms, &newline, &error);
        if (!reply)
                return verdict_error(NULL, error->message);
        ScanVerdict *verdict = scan_verdict_parse(reply);
        if (verdict->kind != SCAN_VERDICT_OK)
                return verdict;
        scan_verdict_free(verdict);
        if (sent == SEND_STOPPED) /* a verdict on part of the file is no verdict on the file */
                return verdict_error(reply, _("The scanner answered before it received the whole file."));
        if (newline) /* INSTREAM is a z-command: its verdict ends with NUL */
                return verdict_error(reply, _("The scanner's reply was not terminated as the protocol requires."));
        return scan_verdict_parse(reply);
}
