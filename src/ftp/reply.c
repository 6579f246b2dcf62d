/* ftp/reply.c — reads one complete FTP reply from the control connection.
 * Owns: line assembly (CR/LF, Telnet IAC), multi-line rules (RFC 959 4.2), the caps on line length,
 * reply size, line count and reply time. Must not: send commands, know about transfers, or print. */
#include "ftp/reply.h"
#include "common/escape.h"
#include "common/i18n.h"
#include "common/quark.h"

#include <poll.h>
#include <string.h>

COMMON_DEFINE_QUARK(ftp-reply-error-quark, ftp_reply_error)

/* Telnet (RFC 854) bytes that may appear on an FTP control connection. */
enum { TELNET_IAC = 0xFF, TELNET_WILL = 0xFB, TELNET_DONT = 0xFE };

typedef enum {
        IAC_NONE,   /* ordinary data */
        IAC_SEEN,   /* the previous byte was IAC */
        IAC_OPTION, /* IAC WILL/WONT/DO/DONT seen: the next byte is an option code, dropped */
} IacState;

struct FtpReplyParser {
        GByteArray *unscanned; /* bytes received after a finished (or tentative) reply */
        /* the reply being assembled */
        FtpReply *current;     /* NULL until its first line is complete */
        GString *line;         /* the line being assembled, decoded */
        gboolean cr_pending;   /* the last data byte was CR: a following LF ends the line */
        IacState iac;
        gsize raw_bytes;       /* raw bytes consumed by the current reply so far */
        gboolean maybe_end;    /* the last complete line was "EEE " with EEE != the first code */
        FtpReply *ready;       /* a finished reply waiting for _next() */
        gsize ready_bytes;     /* raw bytes of `ready` */
        GError *failure;       /* sticky until _reset(): the stream is out of sync */
};

FtpReply *ftp_reply_new(void)
{
        FtpReply *reply = g_new0(FtpReply, 1);
        reply->lines = g_ptr_array_new_with_free_func(g_free);
        reply->text = g_strdup("");
        reply->shown = g_strdup("");
        return reply;
}

void ftp_reply_free(FtpReply *reply)
{
        if (!reply)
                return;
        g_ptr_array_unref(reply->lines);
        g_free(reply->text);
        g_free(reply->shown);
        g_free(reply);
}

static int line_code(const char *line)
{
        if (!g_ascii_isdigit(line[0]) || !g_ascii_isdigit(line[1]) || !g_ascii_isdigit(line[2]))
                return -1;
        return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
}

/* A line of `code`'s reply carries the "DDD-" or "DDD " prefix of that code. */
static gboolean has_prefix_of(const char *line, int code)
{
        return line_code(line) == code && (line[3] == '-' || line[3] == ' ');
}

char *ftp_reply_joined_text(const FtpReply *reply)
{
        GString *out = g_string_new(NULL);
        guint n = reply->lines->len;
        for (guint i = 0; i < n; i++) {
                const char *line = g_ptr_array_index(reply->lines, i);
                gboolean ends = i == 0 || i + 1 == n;
                if (has_prefix_of(line, reply->code) || (ends && line_code(line) >= 0 &&
                                                          (line[3] == ' ' || line[3] == '-')))
                        line += 4;
                if (i > 0)
                        g_string_append_c(out, '\n');
                g_string_append(out, line);
        }
        return g_string_free(out, FALSE);
}

/* Server text shortened to its first QUOTE_MAX bytes (never inside a UTF-8 sequence) and escaped
 * like a reply's `shown` (common/escape.h: C0, C1, bidi overrides and invalid bytes), to quote in
 * an error message. */
enum { QUOTE_MAX = 80 };
static char *quote_for_message(const char *text)
{
        gsize len = strlen(text);
        gsize cut = MIN(len, QUOTE_MAX);
        for (int back = 0; back < 3 && cut > 0 && cut < len && ((guchar)text[cut] & 0xC0) == 0x80; back++)
                cut--;
        g_autofree char *head = g_strndup(text, cut);
        g_autofree char *shown = common_text_escape(head);
        return cut < len ? g_strconcat(shown, "…", NULL) : g_steal_pointer(&shown);
}

FtpReplyParser *ftp_reply_parser_new(void)
{
        FtpReplyParser *parser = g_new0(FtpReplyParser, 1);
        parser->unscanned = g_byte_array_new();
        parser->line = g_string_sized_new(128);
        return parser;
}

/* Forgets the reply being assembled (not the unscanned bytes). */
static void clear_current(FtpReplyParser *parser)
{
        g_clear_pointer(&parser->current, ftp_reply_free);
        g_string_truncate(parser->line, 0);
        parser->cr_pending = FALSE;
        parser->iac = IAC_NONE;
        parser->raw_bytes = 0;
        parser->maybe_end = FALSE;
}

void ftp_reply_parser_reset(FtpReplyParser *parser)
{
        clear_current(parser);
        g_byte_array_set_size(parser->unscanned, 0);
        g_clear_pointer(&parser->ready, ftp_reply_free);
        parser->ready_bytes = 0;
        g_clear_error(&parser->failure);
}

void ftp_reply_parser_free(FtpReplyParser *parser)
{
        if (!parser)
                return;
        ftp_reply_parser_reset(parser);
        g_byte_array_unref(parser->unscanned);
        g_string_free(parser->line, TRUE);
        g_free(parser);
}

gsize ftp_reply_parser_pending(const FtpReplyParser *parser)
{
        return parser->ready_bytes + parser->raw_bytes + parser->unscanned->len;
}

static gboolean fail(FtpReplyParser *parser, GError **error, FtpReplyErrorCode code, const char *message)
{
        g_clear_error(&parser->failure);
        parser->failure = g_error_new_literal(FTP_REPLY_ERROR, code, message);
        if (error)
                *error = g_error_copy(parser->failure);
        return FALSE;
}

static void finish_reply(FtpReplyParser *parser, gboolean mismatched)
{
        FtpReply *reply = g_steal_pointer(&parser->current);
        const char *last = g_ptr_array_index(reply->lines, reply->lines->len - 1);
        g_free(reply->text);
        reply->text = g_strdup(last + 4);
        g_free(reply->shown);
        reply->shown = common_text_escape(reply->text);
        reply->mismatched_terminator = mismatched;
        gsize bytes = parser->raw_bytes;
        clear_current(parser);
        parser->ready_bytes = bytes;
        parser->ready = reply;
}

/* The first line of a reply: "DDD " (complete) or "DDD-" (more lines follow), D in 1..5 first. */
static gboolean first_line(FtpReplyParser *parser, char *line, GError **error)
{
        int code = line_code(line);
        if (code < 100 || code > 599 || (line[3] != ' ' && line[3] != '-')) {
                g_autofree char *shown = quote_for_message(line);
                g_autofree char *msg = g_strdup_printf(
                        _("The server sent a reply without a three-digit code (“%s”); it may not be an FTP server."),
                        shown);
                g_free(line);
                return fail(parser, error, FTP_REPLY_ERROR_MALFORMED, msg);
        }
        parser->current = ftp_reply_new();
        parser->current->code = code;
        g_ptr_array_add(parser->current->lines, line);
        if (line[3] == ' ')
                finish_reply(parser, FALSE);
        return TRUE;
}

/* One complete, decoded line (ownership of `line` passes here). */
static gboolean take_line(FtpReplyParser *parser, char *line, GError **error)
{
        parser->maybe_end = FALSE;
        if (!parser->current)
                return first_line(parser, line, error);
        FtpReply *reply = parser->current;
        if (reply->lines->len >= FTP_REPLY_MAX_LINES) {
                g_free(line);
                g_autofree char *msg = g_strdup_printf(
                        _("The server's reply ran over %d lines; replies can no longer be matched to commands, so reconnect with `open`."),
                        FTP_REPLY_MAX_LINES);
                return fail(parser, error, FTP_REPLY_ERROR_TOO_LARGE, msg);
        }
        g_ptr_array_add(reply->lines, line);
        int code = line_code(line);
        if (code < 0 || line[3] != ' ')
                return TRUE;
        if (code == reply->code)
                finish_reply(parser, FALSE);
        else if (code >= 100 && code <= 599)
                parser->maybe_end = TRUE; /* RFC 959 says text; a broken server may mean the end */
        return TRUE;
}

static gboolean end_line(FtpReplyParser *parser, GError **error)
{
        char *line = g_strndup(parser->line->str, parser->line->len);
        g_string_truncate(parser->line, 0);
        parser->cr_pending = FALSE;
        return take_line(parser, line, error);
}

static gboolean append_data(FtpReplyParser *parser, char c, GError **error)
{
        if (parser->line->len >= FTP_REPLY_MAX_LINE) {
                g_autofree char *msg = g_strdup_printf(
                        _("The server sent a reply line longer than %d bytes; replies can no longer be matched to commands, so reconnect with `open`."),
                        FTP_REPLY_MAX_LINE);
                return fail(parser, error, FTP_REPLY_ERROR_LINE_TOO_LONG, msg);
        }
        g_string_append_c(parser->line, c);
        return TRUE;
}

/* One decoded data byte (after Telnet): CR LF or LF ends a line, a bare CR is data. */
static gboolean data_byte(FtpReplyParser *parser, guchar c, GError **error)
{
        if (c == '\0')
                return fail(parser, error, FTP_REPLY_ERROR_MALFORMED,
                            _("The server sent a NUL byte inside a reply; replies can no longer be matched to commands, so reconnect with `open`."));
        if (c == '\n')
                return end_line(parser, error);
        if (parser->cr_pending) {
                parser->cr_pending = FALSE;
                if (!append_data(parser, '\r', error))
                        return FALSE;
        }
        if (c == '\r') {
                parser->cr_pending = TRUE;
                return TRUE;
        }
        return append_data(parser, (char)c, error);
}

/* One raw byte: Telnet IAC decoding first (IAC IAC is 0xFF, other commands are dropped). */
static gboolean raw_byte(FtpReplyParser *parser, guchar c, GError **error)
{
        switch (parser->iac) {
        case IAC_OPTION:
                parser->iac = IAC_NONE;
                return TRUE;
        case IAC_SEEN:
                parser->iac = (c >= TELNET_WILL && c <= TELNET_DONT) ? IAC_OPTION : IAC_NONE;
                return c == TELNET_IAC ? data_byte(parser, c, error) : TRUE;
        case IAC_NONE:
                break;
        }
        if (c == TELNET_IAC) {
                parser->iac = IAC_SEEN;
                return TRUE;
        }
        return data_byte(parser, c, error);
}

/* Feeds bytes to the reply being assembled. Stops after a finished reply and keeps the rest
 * unscanned; a tentative end only counts when it is the last byte available. */
static gboolean feed(FtpReplyParser *parser, const guchar *buf, gsize len, GError **error)
{
        for (gsize i = 0; i < len; i++) {
                if (parser->raw_bytes >= FTP_REPLY_MAX_BYTES) {
                        g_autofree char *msg = g_strdup_printf(
                                _("The server's reply ran over %d KiB; replies can no longer be matched to commands, so reconnect with `open`."),
                                FTP_REPLY_MAX_BYTES / 1024);
                        return fail(parser, error, FTP_REPLY_ERROR_TOO_LARGE, msg);
                }
                parser->raw_bytes++;
                parser->maybe_end = FALSE; /* a byte after "EEE " makes that line text */
                if (!raw_byte(parser, buf[i], error))
                        return FALSE;
                if (parser->ready) {
                        g_byte_array_append(parser->unscanned, buf + i + 1, (guint)(len - i - 1));
                        return TRUE;
                }
        }
        return TRUE;
}

gboolean ftp_reply_parser_push(FtpReplyParser *parser, const char *buf, gsize len, GError **error)
{
        if (parser->failure) {
                g_propagate_error(error, g_error_copy(parser->failure));
                return FALSE;
        }
        if (!parser->ready && !parser->maybe_end && parser->unscanned->len == 0)
                return feed(parser, (const guchar *)buf, len, error);
        /* a reply waits to be taken: keep the bytes, within the bound of one more reply */
        if (parser->unscanned->len + len > FTP_REPLY_MAX_BYTES + FTP_REPLY_MAX_LINE) {
                g_autofree char *msg = g_strdup_printf(
                        _("The server sent over %d KiB ahead of the replies read; replies can no longer be matched to commands, so reconnect with `open`."),
                        FTP_REPLY_MAX_BYTES / 1024);
                return fail(parser, error, FTP_REPLY_ERROR_TOO_LARGE, msg);
        }
        g_byte_array_append(parser->unscanned, (const guint8 *)buf, (guint)len);
        return TRUE;
}

static FtpParseStatus take_ready(FtpReplyParser *parser, FtpReply **out)
{
        *out = g_steal_pointer(&parser->ready);
        parser->ready_bytes = 0;
        return FTP_PARSE_DONE;
}

FtpParseStatus ftp_reply_parser_next(FtpReplyParser *parser, FtpReply **out, GError **error)
{
        *out = NULL;
        if (parser->failure) {
                g_propagate_error(error, g_error_copy(parser->failure));
                return FTP_PARSE_ERROR;
        }
        if (parser->ready)
                return take_ready(parser, out);
        if (parser->unscanned->len > 0) {
                /* bytes after a tentative end make it ordinary text: parsing goes on */
                g_autoptr(GByteArray) bytes = g_steal_pointer(&parser->unscanned);
                parser->unscanned = g_byte_array_new();
                if (!feed(parser, bytes->data, bytes->len, error))
                        return FTP_PARSE_ERROR;
                if (parser->ready)
                        return take_ready(parser, out);
        }
        return parser->maybe_end ? FTP_PARSE_TENTATIVE : FTP_PARSE_NEED_MORE;
}

FtpReply *ftp_reply_parser_accept_tentative(FtpReplyParser *parser)
{
        if (!parser->maybe_end || !parser->current || parser->unscanned->len > 0)
                return NULL;
        finish_reply(parser, TRUE);
        parser->ready_bytes = 0;
        return g_steal_pointer(&parser->ready);
}

/* Waits up to the grace period (never past `deadline`) for more bytes after a tentative end.
 * Returns TRUE when bytes arrived (or the stream ended), FALSE when the period passed quietly. */
static gboolean grace_wait(NetStream *stream, gint64 deadline, int cancel_fd, gboolean *cut_short,
                           GError **error)
{
        gint64 grace = net_deadline_in_ms(FTP_REPLY_GRACE_MS);
        *cut_short = deadline < grace;
        g_autoptr(GError) local = NULL;
        if (net_stream_wait_readable(stream, MIN(grace, deadline), cancel_fd, &local))
                return TRUE;
        if (!g_error_matches(local, NET_ERROR, NET_ERROR_TIMEOUT))
                g_propagate_error(error, g_steal_pointer(&local));
        return FALSE;
}

static void set_timeout(GError **error)
{
        g_set_error_literal(error, FTP_REPLY_ERROR, FTP_REPLY_ERROR_TIMEOUT,
                            _("The server did not send a complete reply in time."));
}

/* Reads what the stream has into the parser. Returns -1 on error, 0 at end of stream, else > 0. */
static gssize read_some(FtpReplyParser *parser, NetStream *stream, gint64 deadline, int cancel_fd,
                        GError **error)
{
        char buf[4096];
        g_autoptr(GError) local = NULL;
        gssize n = net_stream_read(stream, buf, sizeof buf, deadline, cancel_fd, &local);
        if (n < 0) {
                if (g_error_matches(local, NET_ERROR, NET_ERROR_TIMEOUT))
                        set_timeout(error);
                else
                        g_propagate_error(error, g_steal_pointer(&local));
                return -1;
        }
        if (n > 0 && !ftp_reply_parser_push(parser, buf, (gsize)n, error))
                return -1;
        return n;
}

/* After a tentative end: accept the reply when the grace period passes quietly or the stream
 * ends; returns NULL (no error) when more bytes arrived and parsing goes on. */
static FtpReply *settle_tentative(FtpReplyParser *parser, NetStream *stream, gint64 deadline,
                                  int cancel_fd, GError **error)
{
        gboolean cut_short = FALSE;
        GError *local = NULL;
        if (!grace_wait(stream, deadline, cancel_fd, &cut_short, &local)) {
                if (local) {
                        g_propagate_error(error, local);
                        return NULL;
                }
                if (cut_short) {
                        set_timeout(error);
                        return NULL;
                }
                return ftp_reply_parser_accept_tentative(parser);
        }
        gssize n = read_some(parser, stream, deadline, cancel_fd, error);
        if (n == 0)
                return ftp_reply_parser_accept_tentative(parser);
        return NULL;
}

FtpReply *ftp_reply_read(FtpReplyParser *parser, NetStream *stream, gint64 deadline, int cancel_fd,
                         GError **error)
{
        for (;;) {
                FtpReply *reply = NULL;
                GError *local = NULL;
                switch (ftp_reply_parser_next(parser, &reply, error)) {
                case FTP_PARSE_DONE:
                        return reply;
                case FTP_PARSE_ERROR:
                        return NULL;
                case FTP_PARSE_TENTATIVE:
                        reply = settle_tentative(parser, stream, deadline, cancel_fd, &local);
                        if (local) {
                                g_propagate_error(error, local);
                                return NULL;
                        }
                        if (reply)
                                return reply;
                        continue;
                case FTP_PARSE_NEED_MORE:
                        break;
                }
                if (g_get_monotonic_time() >= deadline) {
                        set_timeout(error);
                        return NULL;
                }
                gssize n = read_some(parser, stream, deadline, cancel_fd, error);
                if (n < 0)
                        return NULL;
                if (n == 0) {
                        g_set_error_literal(error, FTP_REPLY_ERROR, FTP_REPLY_ERROR_CLOSED,
                                            _("The server closed the connection before its reply was complete."));
                        return NULL;
                }
        }
}
