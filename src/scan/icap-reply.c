/* scan/icap-reply.c — reads ICAP replies (RFC 3507) from bytes and judges them as verdicts.
 * Owns: a reader fed any split of the server's bytes (status line, headers with folded lines,
 * Encapsulated, the encapsulated HTTP header, the chunked body compared with the file as it
 * arrives), its caps, the infection headers, and the verdict rules. Must not: touch a socket, a
 * descriptor or the clock, or keep a body in memory.
 * Fails closed: anything but a complete 204, or a complete 200 carrying the file unchanged in an
 * HTTP 200, after the whole file, with no infection named, is not OK. */
#include "config.h"
#include "scan/icap-reply.h"
#include "common/i18n.h"

#include <string.h>

#define LINE_MAX_BYTES 8192          /* one status, header, chunk-size or trailer line */
#define HEADERS_MAX_BYTES (64 * 1024) /* all ICAP headers of one reply */
#define HEADERS_MAX 100
#define ENCAP_MAX_BYTES (64 * 1024)   /* the encapsulated HTTP header section */
#define TRAILERS_MAX 16
#define BODY_SLACK (16 * 1024 * 1024) /* a body may be this much longer than the file (a block page) */
#define CHUNK_DIGITS_MAX 12           /* hex digits of one chunk size: up to 256 TiB */
#define NAME_MAX_CHARS 256

typedef enum {
        R_STATUS, R_HEADERS, R_ENCAP, R_CHUNK_SIZE, R_CHUNK_DATA, R_CHUNK_END, R_TRAILER, R_DONE, R_FAILED,
} ReadStep;

typedef struct {
        char *name;
        GString *value;
} Header;

struct IcapReply {
        ReadStep step;
        GString *line;          /* the line being assembled */
        gsize header_bytes;
        int status;
        char *status_line;      /* safe to show */
        GPtrArray *headers;     /* Header* */
        gboolean has_headers;
        char *istag;
        char *infection;
        char *problem;
        /* Encapsulated */
        gboolean encapsulated;
        gboolean has_body;      /* a chunked body follows the encapsulated headers */
        gssize res_hdr;         /* offset of res-hdr in the header section, -1 when absent */
        gsize encap_len;        /* length of the header section */
        GString *encap;
        int http_status;        /* the encapsulated response's status, 0 when none */
        /* body */
        guint64 file_size;
        IcapBodyCompare compare;
        gpointer user_data;
        guint64 chunk_left;
        guint64 body_len;
        gboolean body_same;
        gboolean body_complete;
        guint trailers;
};

static void header_free(gpointer data)
{
        Header *h = data;
        g_free(h->name);
        g_string_free(h->value, TRUE);
        g_free(h);
}

IcapReply *scan_icap_reply_new(guint64 file_size, IcapBodyCompare compare, gpointer user_data)
{
        IcapReply *reply = g_new0(IcapReply, 1);
        reply->step = R_STATUS;
        reply->line = g_string_new(NULL);
        reply->headers = g_ptr_array_new_with_free_func(header_free);
        reply->encap = g_string_new(NULL);
        reply->res_hdr = -1;
        reply->file_size = file_size;
        reply->compare = compare;
        reply->user_data = user_data;
        reply->body_same = TRUE;
        return reply;
}

void scan_icap_reply_free(IcapReply *reply)
{
        if (!reply)
                return;
        g_string_free(reply->line, TRUE);
        g_ptr_array_unref(reply->headers);
        g_string_free(reply->encap, TRUE);
        g_free(reply->status_line);
        g_free(reply->istag);
        g_free(reply->infection);
        g_free(reply->problem);
        g_free(reply);
}

/* A copy safe to show and log: valid UTF-8, no control characters, at most NAME_MAX_CHARS. */
static char *safe_text(const char *text, gssize len)
{
        char *valid = g_utf8_make_valid(text, len);
        for (char *p = valid; *p; p++) {
                if ((unsigned char)*p < 0x20 || *p == 0x7f)
                        *p = '?';
        }
        if (g_utf8_strlen(valid, -1) > NAME_MAX_CHARS)
                *g_utf8_offset_to_pointer(valid, NAME_MAX_CHARS) = '\0';
        return valid;
}

static IcapReadState fail(IcapReply *reply, char *problem)
{
        reply->step = R_FAILED;
        g_free(reply->problem);
        reply->problem = problem;
        return ICAP_READ_FAILED;
}

/* ---- headers ------------------------------------------------------------------------------ */

const char *scan_icap_reply_header(const IcapReply *reply, const char *name)
{
        for (guint i = 0; i < reply->headers->len; i++) {
                const Header *h = g_ptr_array_index(reply->headers, i);
                if (g_ascii_strcasecmp(h->name, name) == 0)
                        return h->value->str;
        }
        return NULL;
}

/* "ICAP/1.0 204 No Content": the code, or 0 when the line is no status line. */
static int parse_status(const char *line)
{
        if (!g_str_has_prefix(line, "ICAP/1.0 "))
                return 0;
        const char *code = line + strlen("ICAP/1.0 ");
        if (!g_ascii_isdigit(code[0]) || !g_ascii_isdigit(code[1]) || !g_ascii_isdigit(code[2]) ||
            (code[3] != '\0' && code[3] != ' '))
                return 0;
        int status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
        return status >= 100 ? status : 0;
}

static gboolean add_header(IcapReply *reply, const char *line)
{
        if ((line[0] == ' ' || line[0] == '\t') && reply->headers->len > 0) { /* a folded line */
                Header *last = g_ptr_array_index(reply->headers, reply->headers->len - 1);
                g_autofree char *more = g_strstrip(g_strdup(line));
                g_string_append_c(last->value, '\n');
                g_string_append(last->value, more);
                return TRUE;
        }
        const char *colon = strchr(line, ':');
        if (!colon || colon == line || reply->headers->len >= HEADERS_MAX)
                return FALSE;
        for (const char *p = line; p < colon; p++) {
                if (!g_ascii_isgraph(*p))
                        return FALSE;
        }
        Header *h = g_new0(Header, 1);
        h->name = g_strndup(line, colon - line);
        h->value = g_string_new(colon + 1);
        g_strstrip(h->value->str);
        h->value->len = strlen(h->value->str);
        g_ptr_array_add(reply->headers, h);
        return TRUE;
}

/* "Type=0; Resolution=2; Threat=Eicar-Test-Signature;" → the threat; else the whole value. */
static char *threat_of_infection_found(const char *value)
{
        const char *threat = strstr(value, "Threat=");
        if (!threat)
                return g_strdup(value);
        threat += strlen("Threat=");
        const char *end = strchr(threat, ';');
        return g_strstrip(g_strndup(threat, end ? (gsize)(end - threat) : strlen(threat)));
}

/* "1\nfilename\nthreat\nid\ndisposition" (RFC 3507's draft form, as c-icap sends it): the first
 * threat; NULL when the count is 0. A value that does not parse names an infection by itself. */
static char *threat_of_violations(const char *value)
{
        g_auto(GStrv) lines = g_strsplit(value, "\n", 0);
        guint64 count = 0;
        if (!lines[0] || !g_ascii_string_to_unsigned(lines[0], 10, 0, G_MAXUINT32, &count, NULL))
                return g_strdup(value);
        if (count == 0)
                return NULL;
        if (g_strv_length(lines) >= 3 && *g_strstrip(lines[2]))
                return g_strdup(lines[2]);
        return g_strdup(value);
}

static void find_infection(IcapReply *reply)
{
        static const char *const names[] = { "X-Infection-Found", "X-Virus-ID", "X-Violations-Found" };
        for (gsize i = 0; i < G_N_ELEMENTS(names) && !reply->infection; i++) {
                const char *value = scan_icap_reply_header(reply, names[i]);
                if (!value)
                        continue;
                g_autofree char *name = i == 0 ? threat_of_infection_found(value)
                                      : i == 1 ? g_strdup(value) : threat_of_violations(value);
                if (!name)
                        continue;
                g_strstrip(name);
                /* a header naming nothing still says something was found: its own name stands in */
                reply->infection = safe_text(*name ? name : names[i], -1);
        }
}

static gboolean entity_is_body(const char *name)
{
        return g_str_equal(name, "req-body") || g_str_equal(name, "res-body") ||
               g_str_equal(name, "opt-body") || g_str_equal(name, "null-body");
}

/* "res-hdr=0, res-body=136": offsets from 0, growing, one body and it comes last. */
static gboolean parse_encapsulated(IcapReply *reply, const char *value)
{
        g_auto(GStrv) parts = g_strsplit(value, ",", 0);
        guint64 last = 0;
        gboolean body = FALSE;
        guint n = g_strv_length(parts);
        if (n == 0 || n > 4)
                return FALSE;
        for (guint i = 0; i < n; i++) {
                char *part = g_strstrip(parts[i]);
                char *eq = strchr(part, '=');
                guint64 offset = 0;
                if (!eq || body)
                        return FALSE;
                *eq = '\0';
                if (!g_ascii_string_to_unsigned(eq + 1, 10, 0, ENCAP_MAX_BYTES, &offset, NULL) ||
                    offset < last || (i == 0 && offset != 0))
                        return FALSE;
                if (entity_is_body(part)) {
                        body = TRUE;
                        reply->has_body = !g_str_equal(part, "null-body");
                } else if (g_str_equal(part, "res-hdr")) {
                        reply->res_hdr = (gssize)offset;
                } else if (!g_str_equal(part, "req-hdr")) {
                        return FALSE;
                }
                last = offset;
        }
        if (!body)
                return FALSE;
        reply->encapsulated = TRUE;
        reply->encap_len = (gsize)last;
        return TRUE;
}

static IcapReadState body_or_done(IcapReply *reply);

static IcapReadState headers_end(IcapReply *reply)
{
        reply->has_headers = TRUE;
        find_infection(reply);
        const char *istag = scan_icap_reply_header(reply, "ISTag");
        if (istag) {
                g_autofree char *bare = g_strdup(istag);
                gsize len = strlen(bare);
                if (len >= 2 && bare[0] == '"' && bare[len - 1] == '"') {
                        bare[len - 1] = '\0';
                        reply->istag = safe_text(bare + 1, -1);
                } else {
                        reply->istag = safe_text(bare, -1);
                }
        }
        if (reply->status == 100) {
                reply->step = R_DONE;
                return ICAP_READ_DONE;
        }
        const char *encapsulated = scan_icap_reply_header(reply, "Encapsulated");
        if (!encapsulated) {
                if (reply->status == 200)
                        return fail(reply, g_strdup(_("The ICAP server's 200 reply has no Encapsulated header.")));
                reply->step = R_DONE;
                return ICAP_READ_DONE;
        }
        if (!parse_encapsulated(reply, encapsulated)) {
                g_autofree char *shown = safe_text(encapsulated, -1);
                return fail(reply, g_strdup_printf(_("The ICAP server's Encapsulated header does not parse: “%s”."),
                                                   shown));
        }
        if (reply->encap_len > 0) {
                reply->step = R_ENCAP;
                return ICAP_READ_MORE;
        }
        return body_or_done(reply);
}

static IcapReadState body_or_done(IcapReply *reply)
{
        if (reply->res_hdr >= 0) {
                const char *start = reply->encap->str + reply->res_hdr;
                const char *eol = strchr(start, '\n');
                g_autofree char *first = g_strndup(start, eol ? (gsize)(eol - start) : strlen(start));
                if (g_str_has_prefix(first, "HTTP/1.") && strlen(first) >= 12 && first[8] == ' ' &&
                    g_ascii_isdigit(first[9]) && g_ascii_isdigit(first[10]) && g_ascii_isdigit(first[11]) &&
                    (first[12] == '\0' || first[12] == ' ' || first[12] == '\r'))
                        reply->http_status = (first[9] - '0') * 100 + (first[10] - '0') * 10 + (first[11] - '0');
        }
        if (!reply->has_body) {
                reply->body_complete = TRUE;
                reply->step = R_DONE;
                return ICAP_READ_DONE;
        }
        reply->step = R_CHUNK_SIZE;
        return ICAP_READ_MORE;
}

/* ---- lines -------------------------------------------------------------------------------- */

static IcapReadState on_chunk_size(IcapReply *reply, const char *line)
{
        const char *end = line;
        while (g_ascii_isxdigit(*end))
                end++;
        if (end == line || end - line > CHUNK_DIGITS_MAX || (*end != '\0' && *end != ';' && *end != ' '))
                return fail(reply, g_strdup(_("The ICAP server's reply has a chunk size that does not parse.")));
        guint64 size = g_ascii_strtoull(line, NULL, 16);
        if (size == 0) {
                reply->step = R_TRAILER;
                return ICAP_READ_MORE;
        }
        if (reply->body_len + size > reply->file_size + BODY_SLACK)
                return fail(reply, g_strdup(_("The ICAP server's reply body is far longer than the file.")));
        reply->chunk_left = size;
        reply->step = R_CHUNK_DATA;
        return ICAP_READ_MORE;
}

static IcapReadState on_line(IcapReply *reply, char *line)
{
        gsize len = strlen(line);
        if (len > 0 && line[len - 1] == '\r')
                line[--len] = '\0';
        switch (reply->step) {
        case R_STATUS:
                reply->status = parse_status(line);
                if (!reply->status) {
                        g_autofree char *shown = safe_text(line, -1);
                        return fail(reply, g_strdup_printf(_("The server's reply is not ICAP: “%s”."), shown));
                }
                reply->status_line = safe_text(line, -1);
                reply->step = R_HEADERS;
                return ICAP_READ_MORE;
        case R_HEADERS:
                if (len == 0)
                        return headers_end(reply);
                reply->header_bytes += len;
                if (reply->header_bytes > HEADERS_MAX_BYTES || !add_header(reply, line))
                        return fail(reply, g_strdup(_("The ICAP server's reply has a header that does not parse, "
                                                      "or too many.")));
                return ICAP_READ_MORE;
        case R_CHUNK_SIZE:
                return on_chunk_size(reply, line);
        case R_CHUNK_END:
                if (len != 0)
                        return fail(reply, g_strdup(_("The ICAP server's reply has a chunk longer than its size.")));
                reply->step = R_CHUNK_SIZE;
                return ICAP_READ_MORE;
        case R_TRAILER:
                if (len == 0) {
                        reply->body_complete = TRUE;
                        reply->body_same = reply->body_same && reply->body_len == reply->file_size;
                        reply->step = R_DONE;
                        return ICAP_READ_DONE;
                }
                if (++reply->trailers > TRAILERS_MAX || !strchr(line, ':'))
                        return fail(reply, g_strdup(_("The ICAP server's reply does not end its body properly.")));
                return ICAP_READ_MORE;
        default:
                return fail(reply, g_strdup("internal: no line expected"));
        }
}

/* Appends bytes up to the end of a line; *taken: how many. TRUE with a complete line. */
static gboolean take_line(IcapReply *reply, const guint8 *data, gsize len, gsize *taken, gboolean *over)
{
        const guint8 *nl = memchr(data, '\n', len);
        gsize n = nl ? (gsize)(nl - data) + 1 : len;
        *taken = n;
        *over = reply->line->len + n > LINE_MAX_BYTES;
        if (*over)
                return FALSE;
        g_string_append_len(reply->line, (const char *)data, nl ? (gssize)(n - 1) : (gssize)n);
        return nl != NULL;
}

static void body_bytes(IcapReply *reply, const guint8 *data, gsize n)
{
        guint64 offset = reply->body_len;
        reply->body_len += n;
        if (!reply->body_same)
                return;
        if (reply->body_len > reply->file_size)
                reply->body_same = FALSE;
        else if (reply->compare && !reply->compare(data, n, offset, reply->user_data))
                reply->body_same = FALSE;
}

IcapReadState scan_icap_reply_feed(IcapReply *reply, const guint8 *data, gsize len, gsize *used)
{
        gsize pos = 0;
        IcapReadState state = scan_icap_reply_state(reply);
        while (state == ICAP_READ_MORE && pos < len) {
                gsize left = len - pos;
                if (reply->step == R_ENCAP) {
                        gsize n = MIN(left, reply->encap_len - reply->encap->len);
                        g_string_append_len(reply->encap, (const char *)data + pos, (gssize)n);
                        pos += n;
                        if (reply->encap->len == reply->encap_len) {
                                if (memchr(reply->encap->str, '\0', reply->encap->len))
                                        state = fail(reply, g_strdup(_("The ICAP server's encapsulated header holds a NUL byte.")));
                                else
                                        state = body_or_done(reply);
                        }
                        continue;
                }
                if (reply->step == R_CHUNK_DATA) {
                        gsize n = (gsize)MIN((guint64)left, reply->chunk_left);
                        body_bytes(reply, data + pos, n);
                        reply->chunk_left -= n;
                        pos += n;
                        if (reply->chunk_left == 0)
                                reply->step = R_CHUNK_END;
                        continue;
                }
                gsize taken = 0;
                gboolean over = FALSE;
                gboolean complete = take_line(reply, data + pos, left, &taken, &over);
                pos += taken;
                if (over) {
                        state = fail(reply, g_strdup(_("The ICAP server sent a line longer than the limit.")));
                } else if (complete) {
                        if (memchr(reply->line->str, '\0', reply->line->len))
                                state = fail(reply, g_strdup(_("The ICAP server sent a NUL byte in a line.")));
                        else
                                state = on_line(reply, reply->line->str);
                        g_string_truncate(reply->line, 0);
                }
        }
        if (used)
                *used = pos;
        return state;
}

IcapReadState scan_icap_reply_state(const IcapReply *reply)
{
        return reply->step == R_DONE ? ICAP_READ_DONE : reply->step == R_FAILED ? ICAP_READ_FAILED : ICAP_READ_MORE;
}

gboolean scan_icap_reply_has_headers(const IcapReply *reply)
{
        return reply->has_headers;
}

int scan_icap_reply_status(const IcapReply *reply)
{
        return reply->status;
}

const char *scan_icap_reply_istag(const IcapReply *reply)
{
        return reply->istag;
}

const char *scan_icap_reply_infection(const IcapReply *reply)
{
        return reply->infection;
}

const char *scan_icap_reply_problem(const IcapReply *reply)
{
        if (reply->problem)
                return reply->problem;
        if (reply->step != R_DONE)
                return reply->status ? _("The ICAP server's reply ended before it was complete.")
                                     : _("The ICAP server closed the connection without a reply.");
        return NULL;
}

/* ---- verdicts ----------------------------------------------------------------------------- */

static ScanVerdict *error_verdict(const IcapReply *reply, ScanReasonClass cls, const char *reason)
{
        ScanVerdict *verdict = scan_verdict_new(SCAN_VERDICT_ERROR, NULL, reason);
        verdict->reason_class = cls;
        verdict->reply = g_strdup(reply->status_line);
        return verdict;
}

/* A detection; one that says the file was not scanned whole is an ERROR of its class, as
 * scan/client.c does with clamd's words. */
static ScanVerdict *infected_verdict(const IcapReply *reply, const char *name)
{
        ScanReasonClass cls = scan_reason_class_of_signature(name);
        gboolean unscanned = cls == SCAN_REASON_LIMIT || cls == SCAN_REASON_ENCRYPTED;
        ScanVerdict *verdict = scan_verdict_new(unscanned ? SCAN_VERDICT_ERROR : SCAN_VERDICT_INFECTED, name,
                                                unscanned ? name : NULL);
        verdict->reason_class = cls;
        verdict->reply = g_strdup(reply->status_line);
        return verdict;
}

/* A 200 whose encapsulated response is not the file as sent: the server replaced it (c-icap's
 * virus_scan does so with an empty body when it finds something after a preview). */
static ScanVerdict *replaced_verdict(const IcapReply *reply)
{
        g_autofree char *name = reply->http_status && reply->http_status != 200
                ? g_strdup_printf("ICAP.Replaced.HTTP-%d", reply->http_status) : g_strdup("ICAP.Replaced");
        return infected_verdict(reply, name);
}

ScanVerdict *scan_icap_reply_verdict(const IcapReply *reply, gboolean whole_sent)
{
        if (!reply->has_headers)
                return error_verdict(reply, SCAN_REASON_PROTOCOL, scan_icap_reply_problem(reply));
        if (reply->infection)
                return infected_verdict(reply, reply->infection);
        int status = reply->status;
        if (status >= 400 && status <= 599) {
                g_autofree char *reason = g_strdup_printf(_("The ICAP server could not scan the file: “%s”."),
                                                          reply->status_line);
                return error_verdict(reply, SCAN_REASON_SCANNER, reason);
        }
        if (status == 100)
                return error_verdict(reply, SCAN_REASON_PROTOCOL,
                                     _("The ICAP server asked for more of the file after it had all of it."));
        if (status != 200 && status != 204) {
                g_autofree char *reason = g_strdup_printf(_("The ICAP server's reply is not one a scan expects: “%s”."),
                                                          reply->status_line);
                return error_verdict(reply, SCAN_REASON_PROTOCOL, reason);
        }
        if (!whole_sent)
                return error_verdict(reply, SCAN_REASON_PROTOCOL,
                                     _("The ICAP server answered before it received the whole file; it judged "
                                       "only a part of it."));
        if (reply->step != R_DONE)
                return error_verdict(reply, SCAN_REASON_PROTOCOL, scan_icap_reply_problem(reply));
        if (status == 204) {
                if (reply->encapsulated && (reply->has_body || reply->encap_len > 0))
                        return error_verdict(reply, SCAN_REASON_PROTOCOL,
                                             _("The ICAP server's 204 reply carries a message, which 204 must not."));
                ScanVerdict *verdict = scan_verdict_new(SCAN_VERDICT_OK, NULL, NULL);
                verdict->reply = g_strdup(reply->status_line);
                return verdict;
        }
        if (reply->res_hdr < 0 || !reply->http_status)
                return error_verdict(reply, SCAN_REASON_PROTOCOL,
                                     _("The ICAP server's 200 reply carries no HTTP response."));
        if (reply->http_status != 200 || !reply->has_body || !reply->body_same)
                return replaced_verdict(reply);
        ScanVerdict *verdict = scan_verdict_new(SCAN_VERDICT_OK, NULL, NULL);
        verdict->reply = g_strdup(reply->status_line);
        return verdict;
}

/* ---- the exchange without a network ------------------------------------------------------- */

typedef struct {
        const guint8 *file;
        gsize size;
} MemoryFile;

static gboolean compare_memory(const guint8 *data, gsize len, guint64 offset, gpointer user_data)
{
        const MemoryFile *file = user_data;
        return offset + len <= file->size && memcmp(file->file + offset, data, len) == 0;
}

static void keep_istag(const IcapReply *reply, char **istag)
{
        if (istag && scan_icap_reply_istag(reply)) {
                g_free(*istag);
                *istag = g_strdup(scan_icap_reply_istag(reply));
        }
}

ScanVerdict *scan_icap_judge(const guint8 *replies, gsize len, const guint8 *file, gsize size,
                             gssize preview, char **istag)
{
        MemoryFile memory = { file, size };
        gboolean whole = preview < 0 || (gsize)preview >= size; /* no preview, or one with ieof */
        gsize used = 0;
        g_autoptr(IcapReply) first = scan_icap_reply_new(size, compare_memory, &memory);
        IcapReadState state = scan_icap_reply_feed(first, replies, len, &used);
        keep_istag(first, istag);
        IcapReply *last = first;
        g_autoptr(IcapReply) second = NULL;
        if (state == ICAP_READ_DONE && scan_icap_reply_status(first) == 100) {
                if (whole) /* asked to go on after ieof, or without a preview: the verdict's rule */
                        return scan_icap_reply_verdict(first, TRUE);
                whole = TRUE; /* the client now sends the rest */
                replies += used;
                len -= used;
                second = scan_icap_reply_new(size, compare_memory, &memory);
                state = scan_icap_reply_feed(second, replies, len, &used);
                keep_istag(second, istag);
                last = second;
        }
        ScanVerdict *verdict = scan_icap_reply_verdict(last, whole);
        if (state == ICAP_READ_DONE && used < len && verdict->kind == SCAN_VERDICT_OK) {
                scan_verdict_free(verdict);
                return error_verdict(last, SCAN_REASON_PROTOCOL,
                                     _("The ICAP server sent more after its reply; the file is not taken as scanned."));
        }
        return verdict;
}
