/* scan/icap.c — an ICAP client (RFC 3507) as a scanner: OPTIONS, RESPMOD with a preview.
 * Owns: parsing icap:// and icaps:// URLs, connecting (TLS through common/tls.c, the certificate
 * verified or pinned), OPTIONS and what it said, the RESPMOD request (the file as the chunked body
 * of an HTTP 200, a preview of the size OPTIONS offered, ieof when it holds the whole file, the
 * rest after 100 Continue), and feeding what the server sends to scan/icap-reply.c.
 * Must not: parse replies itself, decide what to upload, print, or use fd's file offset. */
#include "config.h"
#include "scan/icap.h"
#include "scan/icap-reply.h"
#include "common/certinfo.h"
#include "common/i18n.h"
#include "common/net.h"
#include "common/tls.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_TIMEOUT_MS 60000
#define CHUNK_SIZE (256 * 1024)   /* the buffer replies are read into */
#define SEND_PIECE (64 * 1024)    /* a body chunk sent; the server is read between two */
#define PREVIEW_MAX (1024 * 1024) /* a larger Preview from OPTIONS is cut to this */
#define TTL_MAX_S (24 * 3600)

struct ScanIcap {
        char *url;    /* normalised, also the request URI */
        char *host;
        guint16 port;
        gboolean tls;
        char *trusted_sha256;
        ScanTrustLookup trust_lookup;
        int timeout_ms;
        int cancel_fd;
        /* what OPTIONS said */
        gboolean known;
        gint64 expires;  /* monotonic µs; G_MAXINT64 without Options-TTL */
        gssize preview;  /* -1: no preview */
        guint max_connections;
        char *istag;
        TlsContext *tls_ctx; /* made on the first icaps connection */
};

gboolean scan_icap_is_url(const char *address)
{
        return address && (g_ascii_strncasecmp(address, "icap://", 7) == 0 ||
                           g_ascii_strncasecmp(address, "icaps://", 8) == 0);
}

static gboolean parse_url(ScanIcap *icap, const char *url)
{
        g_autoptr(GUri) uri = g_uri_parse(url, G_URI_FLAGS_NONE, NULL);
        if (!uri || !g_uri_get_host(uri) || !*g_uri_get_host(uri) || g_uri_get_userinfo(uri) ||
            g_uri_get_fragment(uri))
                return FALSE;
        const char *scheme = g_uri_get_scheme(uri);
        icap->tls = g_ascii_strcasecmp(scheme, "icaps") == 0;
        int port = g_uri_get_port(uri);
        icap->port = port > 0 ? (guint16)port : icap->tls ? SCAN_ICAPS_PORT : SCAN_ICAP_PORT;
        icap->host = g_strdup(g_uri_get_host(uri));
        const char *path = g_uri_get_path(uri);
        if (!path || strlen(path) < 2 || path[0] != '/' || strpbrk(path, " \r\n"))
                return FALSE; /* a service must be named */
        const char *query = g_uri_get_query(uri);
        if (query && strpbrk(query, " \r\n"))
                return FALSE;
        gboolean v6 = strchr(icap->host, ':') != NULL;
        icap->url = g_strdup_printf("%s://%s%s%s:%u%s%s%s", icap->tls ? "icaps" : "icap", v6 ? "[" : "",
                                    icap->host, v6 ? "]" : "", icap->port, path, query ? "?" : "",
                                    query ? query : "");
        return TRUE;
}

ScanIcap *scan_icap_new(const char *url, GError **error)
{
        g_autoptr(ScanIcap) icap = g_new0(ScanIcap, 1);
        icap->timeout_ms = DEFAULT_TIMEOUT_MS;
        icap->cancel_fd = -1;
        icap->preview = -1;
        if (!url || !scan_icap_is_url(url) || !parse_url(icap, url)) {
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_ADDRESS,
                            _("“%s” is not an ICAP service address; use icap://host[:port]/service or "
                              "icaps://host[:port]/service."),
                            url ? url : "");
                return NULL;
        }
        return g_steal_pointer(&icap);
}

ScanIcap *scan_icap_copy(const ScanIcap *icap)
{
        ScanIcap *copy = g_new0(ScanIcap, 1);
        copy->url = g_strdup(icap->url);
        copy->host = g_strdup(icap->host);
        copy->port = icap->port;
        copy->tls = icap->tls;
        copy->trusted_sha256 = g_strdup(icap->trusted_sha256);
        copy->trust_lookup = icap->trust_lookup;
        copy->timeout_ms = icap->timeout_ms;
        copy->cancel_fd = -1;
        copy->known = icap->known;
        copy->expires = icap->expires;
        copy->preview = icap->preview;
        copy->max_connections = icap->max_connections;
        copy->istag = g_strdup(icap->istag);
        return copy;
}

void scan_icap_free(ScanIcap *icap)
{
        if (!icap)
                return;
        g_free(icap->url);
        g_free(icap->host);
        g_free(icap->trusted_sha256);
        g_free(icap->istag);
        tls_context_free(icap->tls_ctx);
        g_free(icap);
}

const char *scan_icap_url(const ScanIcap *icap)
{
        return icap->url;
}

void scan_icap_set_timeout_ms(ScanIcap *icap, int timeout_ms)
{
        icap->timeout_ms = timeout_ms > 0 ? timeout_ms : DEFAULT_TIMEOUT_MS;
}

void scan_icap_set_cancel_fd(ScanIcap *icap, int cancel_fd)
{
        icap->cancel_fd = cancel_fd;
}

void scan_icap_set_trusted_fingerprint(ScanIcap *icap, const char *sha256)
{
        g_free(icap->trusted_sha256);
        icap->trusted_sha256 = sha256 ? tls_fingerprint_normalise(sha256) : NULL;
}

void scan_icap_set_trust_lookup(ScanIcap *icap, ScanTrustLookup lookup)
{
        icap->trust_lookup = lookup;
}

const char *scan_icap_istag(const ScanIcap *icap)
{
        return icap->istag;
}

guint scan_icap_max_connections(const ScanIcap *icap)
{
        return icap->max_connections;
}

gssize scan_icap_preview(const ScanIcap *icap)
{
        return icap->preview;
}

/* ---- connecting --------------------------------------------------------------------------- */

static gint64 next_deadline(const ScanIcap *icap)
{
        return net_deadline_in_ms(icap->timeout_ms);
}

static void set_net_error(const ScanIcap *icap, GError **error, const GError *net, const char *doing)
{
        scan_error_set_from_net(error, net, icap->url, icap->timeout_ms, doing);
}

/* icaps: a certificate that verified, or the one whose fingerprint the user trusts. */
static gboolean certificate_trusted(ScanIcap *icap, NetStream *stream, GError **error)
{
        g_autoptr(TlsPeerInfo) peer = net_stream_peer_info(stream);
        if (peer && peer->verified)
                return TRUE;
        g_autofree char *looked_up = !icap->trusted_sha256 && icap->trust_lookup
                ? icap->trust_lookup(icap->host, icap->port) : NULL;
        const char *trusted = icap->trusted_sha256 ? icap->trusted_sha256 : looked_up;
        if (peer && peer->sha256 && trusted && g_ascii_strcasecmp(peer->sha256, trusted) == 0)
                return TRUE;
        g_set_error(error, SCAN_ERROR, SCAN_ERROR_UNTRUSTED,
                    _("The certificate of the ICAP server at %s does not verify (%s); its SHA-256 fingerprint "
                      "is %s. Install its CA, or trust that fingerprint for %s:%u as for an FTPS server."),
                    icap->url, peer && peer->verify_error ? peer->verify_error : "?",
                    peer && peer->sha256 ? peer->sha256 : "?", icap->host, icap->port);
        return FALSE;
}

static NetStream *connect_server(ScanIcap *icap, GError **error)
{
        g_autoptr(GError) net = NULL;
        int fd = net_connect_tcp(icap->host, icap->port, TRUE, next_deadline(icap), icap->cancel_fd, &net);
        if (fd < 0) {
                if (net->code == NET_ERROR_TIMEOUT || net->code == NET_ERROR_CANCELLED)
                        set_net_error(icap, error, net, _("connecting"));
                else
                        g_set_error(error, SCAN_ERROR, SCAN_ERROR_UNREACHABLE,
                                    _("The ICAP server at %s is not reachable: %s"), icap->url, net->message);
                return NULL;
        }
        g_autoptr(NetStream) stream = net_stream_new(fd);
        if (!icap->tls)
                return g_steal_pointer(&stream);
        if (!icap->tls_ctx && !(icap->tls_ctx = tls_context_new(0, &net))) {
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_UNREACHABLE, "%s", net->message);
                return NULL;
        }
        if (!net_stream_start_tls(stream, icap->tls_ctx, icap->host, TRUE, next_deadline(icap), icap->cancel_fd,
                                  &net)) {
                set_net_error(icap, error, net, _("the TLS handshake"));
                return NULL;
        }
        return certificate_trusted(icap, stream, error) ? g_steal_pointer(&stream) : NULL;
}

static gboolean send_all(ScanIcap *icap, NetStream *stream, const void *buf, gsize len, GError **error)
{
        g_autoptr(GError) net = NULL;
        if (net_stream_write_all(stream, buf, len, next_deadline(icap), icap->cancel_fd, &net))
                return TRUE;
        set_net_error(icap, error, net, _("sending the request"));
        return FALSE;
}

/* ---- reading replies ---------------------------------------------------------------------- */

/* Bytes read but not yet fed to a reply (what followed a 100 Continue). */
typedef struct {
        guint8 *buf;
        gsize start, end;
} Pending;

/* Feeds the server's bytes to reply until it is DONE or FAILED, its headers suffice (`enough`
 * returns TRUE), or the connection ends (then the reply stays MORE). FALSE with error on a
 * timeout, a cancel or a broken connection. */
static gboolean read_reply(ScanIcap *icap, NetStream *stream, IcapReply *reply, Pending *pending,
                           gint64 extra_ms, gboolean (*enough)(const IcapReply *), GError **error)
{
        for (;;) {
                if (pending->start < pending->end) {
                        gsize used = 0;
                        scan_icap_reply_feed(reply, pending->buf + pending->start, pending->end - pending->start,
                                             &used);
                        pending->start += used;
                }
                if (scan_icap_reply_state(reply) != ICAP_READ_MORE || (enough && enough(reply)))
                        return TRUE;
                g_autoptr(GError) net = NULL;
                gint64 deadline = next_deadline(icap) + extra_ms * 1000;
                gssize n = net_stream_read(stream, pending->buf, CHUNK_SIZE, deadline, icap->cancel_fd, &net);
                if (n < 0 && net->code != NET_ERROR_CLOSED && net->code != NET_ERROR_TRUNCATED) {
                        set_net_error(icap, error, net, _("waiting for its reply"));
                        return FALSE;
                }
                if (n <= 0)
                        return TRUE; /* the end of the connection: the reply says what is missing */
                pending->start = 0;
                pending->end = (gsize)n;
        }
}

static void keep_istag(ScanIcap *icap, const IcapReply *reply)
{
        const char *istag = scan_icap_reply_istag(reply);
        if (istag && g_strcmp0(istag, icap->istag) != 0) {
                g_free(icap->istag);
                icap->istag = g_strdup(istag);
        }
}

/* ---- OPTIONS ------------------------------------------------------------------------------ */

static gboolean offers_respmod(const char *methods)
{
        g_auto(GStrv) words = g_strsplit_set(methods ? methods : "", ", \n", 0);
        for (char **w = words; *w; w++) {
                if (g_ascii_strcasecmp(*w, "RESPMOD") == 0)
                        return TRUE;
        }
        return FALSE;
}

static guint64 header_number(const IcapReply *reply, const char *name, guint64 max, gboolean *present)
{
        const char *value = scan_icap_reply_header(reply, name);
        guint64 n = 0;
        *present = value && g_ascii_string_to_unsigned(value, 10, 0, G_MAXUINT64, &n, NULL);
        return *present ? MIN(n, max) : 0;
}

static void learn_options(ScanIcap *icap, const IcapReply *reply)
{
        gboolean present = FALSE;
        guint64 preview = header_number(reply, "Preview", PREVIEW_MAX, &present);
        icap->preview = present ? (gssize)preview : -1;
        icap->max_connections = (guint)header_number(reply, "Max-Connections", G_MAXUINT, &present);
        guint64 ttl = header_number(reply, "Options-TTL", TTL_MAX_S, &present);
        icap->expires = present ? g_get_monotonic_time() + (gint64)ttl * G_USEC_PER_SEC : G_MAXINT64;
        keep_istag(icap, reply);
        icap->known = TRUE;
}

gboolean scan_icap_options(ScanIcap *icap, GError **error)
{
        g_autoptr(NetStream) stream = connect_server(icap, error);
        if (!stream)
                return FALSE;
        g_autofree char *request = g_strdup_printf("OPTIONS %s ICAP/1.0\r\nHost: %s\r\n"
                                                   "Encapsulated: null-body=0\r\n\r\n",
                                                   icap->url, icap->host);
        if (!send_all(icap, stream, request, strlen(request), error))
                return FALSE;
        g_autofree guint8 *buf = g_malloc(CHUNK_SIZE);
        Pending pending = { buf, 0, 0 };
        g_autoptr(IcapReply) reply = scan_icap_reply_new(0, NULL, NULL);
        if (!read_reply(icap, stream, reply, &pending, 0, NULL, error))
                return FALSE;
        if (scan_icap_reply_state(reply) != ICAP_READ_DONE) {
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_PROTOCOL, _("The ICAP server at %s answered OPTIONS: %s"),
                            icap->url, scan_icap_reply_problem(reply));
                return FALSE;
        }
        if (scan_icap_reply_status(reply) != 200) {
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_PROTOCOL,
                            _("The ICAP server at %s answered OPTIONS with status %d; is the service name right?"),
                            icap->url, scan_icap_reply_status(reply));
                return FALSE;
        }
        if (!offers_respmod(scan_icap_reply_header(reply, "Methods"))) {
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_PROTOCOL,
                            _("The ICAP service at %s does not offer RESPMOD, which scanning needs."), icap->url);
                return FALSE;
        }
        learn_options(icap, reply);
        return TRUE;
}

/* ---- RESPMOD ------------------------------------------------------------------------------ */

/* pread of exactly len bytes at offset: a file shorter than the size it was given is an error. */
static gboolean read_exactly(int fd, guint8 *buf, gsize len, gint64 offset, GError **error)
{
        while (len > 0) {
                gssize got = pread(fd, buf, len, (off_t)offset);
                if (got < 0 && errno == EINTR)
                        continue;
                if (got <= 0) {
                        g_set_error(error, SCAN_ERROR, SCAN_ERROR_LOCAL, _("Cannot read the file to scan: %s"),
                                    got < 0 ? g_strerror(errno) : _("it is shorter than its size"));
                        return FALSE;
                }
                buf += got;
                len -= (gsize)got;
                offset += got;
        }
        return TRUE;
}

typedef struct {
        int fd;
        guint8 *buf;
} FileCompare;

/* The reply's body against the file, read again with pread. */
static gboolean compare_file(const guint8 *data, gsize len, guint64 offset, gpointer user_data)
{
        FileCompare *file = user_data;
        while (len > 0) {
                gsize n = MIN(len, (gsize)CHUNK_SIZE);
                if (!read_exactly(file->fd, file->buf, n, (gint64)offset, NULL) || memcmp(file->buf, data, n) != 0)
                        return FALSE;
                data += n;
                len -= n;
                offset += n;
        }
        return TRUE;
}

static gint64 scan_allowance_ms(gint64 size)
{
        return size / (2 * 1024 * 1024) * 1000;
}

static gboolean headers_enough(const IcapReply *reply)
{
        return scan_icap_reply_has_headers(reply) && scan_icap_reply_infection(reply) != NULL;
}

static gboolean early_enough(const IcapReply *reply)
{
        return scan_icap_reply_has_headers(reply);
}

/* Whether a reply read while the file is still being sent already decides the scan: it is
 * complete or broken, or it names an infection. */
static gboolean settled(const IcapReply *reply)
{
        return scan_icap_reply_state(reply) != ICAP_READ_MORE || headers_enough(reply);
}

typedef struct {
        ScanIcap *icap;
        NetStream *stream;
        int fd;
        gint64 size;
        Pending pending;
        FileCompare compare;
        gboolean closed; /* the server ended the connection while the file was being sent */
} Exchange;

/* Reads what the server sent so far, without waiting, into reply: a server that streams the
 * body back as it arrives (c-icap's virus_scan outside "simple" mode) must not be left blocked
 * on a full socket while the file is still being sent. */
static gboolean drain(Exchange *x, IcapReply *reply, GError **error)
{
        while (!x->closed && !settled(reply) && x->pending.start == x->pending.end) {
                struct pollfd pfd = { .fd = net_stream_fd(x->stream), .events = POLLIN };
                if (poll(&pfd, 1, 0) <= 0)
                        return TRUE;
                /* never waits: readable may be TLS records without data (TLS 1.3 session tickets) */
                g_autoptr(GError) net = NULL;
                gssize n = net_stream_read(x->stream, x->pending.buf, CHUNK_SIZE, g_get_monotonic_time(),
                                           x->icap->cancel_fd, &net);
                if (n < 0 && net->code == NET_ERROR_TIMEOUT)
                        return TRUE;
                if (n < 0 && net->code != NET_ERROR_CLOSED && net->code != NET_ERROR_TRUNCATED) {
                        set_net_error(x->icap, error, net, _("waiting for its reply"));
                        return FALSE;
                }
                if (n <= 0) {
                        x->closed = TRUE;
                        return TRUE;
                }
                gsize used = 0;
                scan_icap_reply_feed(reply, x->pending.buf, (gsize)n, &used);
                x->pending.start = used;
                x->pending.end = (gsize)n;
        }
        return TRUE;
}

/* Sends `count` bytes of fd from `offset` as chunks, reading the server between them; stops
 * early (*stopped) when what it sent settles the scan or it closed the connection. */
static gboolean send_chunks(Exchange *x, IcapReply *reply, gint64 offset, gint64 count, gboolean *stopped,
                            GError **error)
{
        g_autofree guint8 *buf = g_malloc(SEND_PIECE + 32);
        *stopped = FALSE;
        while (count > 0) {
                if (!drain(x, reply, error))
                        return FALSE;
                if (x->closed || settled(reply)) {
                        *stopped = TRUE;
                        return TRUE;
                }
                gsize want = (gsize)MIN(count, (gint64)SEND_PIECE);
                int head = g_snprintf((char *)buf, 32, "%zx\r\n", want);
                if (!read_exactly(x->fd, buf + head, want, offset, error))
                        return FALSE;
                memcpy(buf + head + want, "\r\n", 2);
                if (!send_all(x->icap, x->stream, buf, (gsize)head + want + 2, error))
                        return FALSE;
                offset += (gint64)want;
                count -= (gint64)want;
        }
        if (!drain(x, reply, error))
                return FALSE;
        *stopped = x->closed || settled(reply); /* decided before it could know the end */
        return TRUE;
}

/* Reads the rest of one reply (as far as it decides) and judges it. */
static ScanVerdict *judge_reply(Exchange *x, IcapReply *reply, gboolean whole_sent)
{
        g_autoptr(GError) error = NULL;
        /* after the whole file, the reply is read to its end even when its headers decide: a
         * server cut off in the middle of its answer may stumble on its next connection (c-icap's
         * TLS port does) */
        gboolean (*enough)(const IcapReply *) = whole_sent ? NULL : early_enough;
        if (!read_reply(x->icap, x->stream, reply, &x->pending, scan_allowance_ms(x->size), enough, &error))
                return scan_verdict_new_error(error);
        keep_istag(x->icap, reply);
        ScanVerdict *verdict = scan_icap_reply_verdict(reply, whole_sent);
        if (verdict->kind == SCAN_VERDICT_OK && x->pending.start < x->pending.end) {
                scan_verdict_free(verdict);
                verdict = scan_verdict_new(SCAN_VERDICT_ERROR, NULL,
                                           _("The ICAP server sent more after its reply; the file is not taken as "
                                             "scanned."));
                verdict->reason_class = SCAN_REASON_PROTOCOL;
        }
        return verdict;
}

/* A send failed: a reply the server sent first (a refusal, a detection) says more than the
 * broken pipe. */
static ScanVerdict *judge_after_failure(Exchange *x, IcapReply *reply, GError *error)
{
        if (!scan_icap_reply_has_headers(reply)) {
                ScanVerdict *verdict = scan_verdict_new_error(error);
                g_error_free(error);
                return verdict;
        }
        g_error_free(error);
        return judge_reply(x, reply, FALSE);
}

static char *respmod_head(ScanIcap *icap, gint64 size, gssize preview)
{
        g_autofree char *http = g_strdup_printf("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                                                "Content-Length: %" G_GINT64_FORMAT "\r\n\r\n",
                                                size);
        g_autofree char *preview_line = preview >= 0 ? g_strdup_printf("Preview: %zd\r\n", preview) : g_strdup("");
        return g_strdup_printf("RESPMOD %s ICAP/1.0\r\nHost: %s\r\nAllow: 204\r\n%s"
                               "Encapsulated: res-hdr=0, res-body=%zu\r\n\r\n%s",
                               icap->url, icap->host, preview_line, strlen(http), http);
}

/* Sends `count` bytes from `offset` and the last chunk (`end`); *stopped as send_chunks. */
static gboolean send_part(Exchange *x, IcapReply *reply, gint64 offset, gint64 count, const char *end,
                          gboolean *stopped, GError **error)
{
        if (!send_chunks(x, reply, offset, count, stopped, error))
                return FALSE;
        return *stopped || send_all(x->icap, x->stream, end, strlen(end), error);
}

static ScanVerdict *respmod(Exchange *x)
{
        ScanIcap *icap = x->icap;
        GError *error = NULL;
        gssize preview = icap->preview < 0 ? -1 : (gssize)MIN((gint64)icap->preview, x->size);
        gboolean ieof = preview >= 0 && (gint64)preview == x->size;
        g_autofree char *head = respmod_head(icap, x->size, preview);
        g_autoptr(IcapReply) reply = scan_icap_reply_new((guint64)x->size, compare_file, &x->compare);
        if (!send_all(icap, x->stream, head, strlen(head), &error))
                return judge_after_failure(x, reply, error);
        gboolean stopped = FALSE;
        if (!send_part(x, reply, 0, preview >= 0 ? preview : x->size, ieof ? "0; ieof\r\n\r\n" : "0\r\n\r\n",
                       &stopped, &error))
                return judge_after_failure(x, reply, error);
        if (stopped || preview < 0 || ieof)
                return judge_reply(x, reply, !stopped);
        /* a preview of part of the file: 100 Continue asks for the rest, anything else is final */
        if (!read_reply(icap, x->stream, reply, &x->pending, 0, early_enough, &error))
                return judge_after_failure(x, reply, error);
        if (scan_icap_reply_state(reply) != ICAP_READ_DONE || scan_icap_reply_status(reply) != 100)
                return judge_reply(x, reply, FALSE);
        keep_istag(icap, reply);
        g_autoptr(IcapReply) final = scan_icap_reply_new((guint64)x->size, compare_file, &x->compare);
        if (x->pending.start < x->pending.end) { /* sent with the 100: part of the final reply */
                gsize used = 0;
                scan_icap_reply_feed(final, x->pending.buf + x->pending.start, x->pending.end - x->pending.start,
                                     &used);
                x->pending.start += used;
        }
        if (!send_part(x, final, preview, x->size - preview, "0\r\n\r\n", &stopped, &error))
                return judge_after_failure(x, final, error);
        return judge_reply(x, final, !stopped);
}

static ScanVerdict *verdict_from(GError *error)
{
        ScanVerdict *verdict = scan_verdict_new_error(error);
        g_error_free(error);
        return verdict;
}

static gboolean options_fresh(ScanIcap *icap)
{
        return icap->known && g_get_monotonic_time() < icap->expires;
}

ScanVerdict *scan_icap_scan_fd(ScanIcap *icap, int fd, gint64 size)
{
        if (size < 0 || fd < 0) {
                ScanVerdict *verdict = scan_verdict_new(SCAN_VERDICT_ERROR, NULL, _("There is no file to scan."));
                verdict->reason_class = SCAN_REASON_LOCAL;
                return verdict;
        }
        GError *error = NULL;
        if (!options_fresh(icap) && !scan_icap_options(icap, &error))
                return verdict_from(error);
        g_autoptr(NetStream) stream = connect_server(icap, &error);
        if (!stream)
                return verdict_from(error);
        g_autofree guint8 *read_buf = g_malloc(CHUNK_SIZE);
        g_autofree guint8 *compare_buf = g_malloc(CHUNK_SIZE);
        Exchange x = { icap, stream, fd, size, { read_buf, 0, 0 }, { fd, compare_buf }, FALSE };
        ScanVerdict *verdict = respmod(&x);
        if (icap->tls) /* best effort: a polite end, bounded */
                (void)net_stream_close_notify(stream, net_deadline_in_ms(MIN(icap->timeout_ms, 1000)), NULL);
        g_free(verdict->istag);
        verdict->istag = g_strdup(icap->istag);
        return verdict;
}
