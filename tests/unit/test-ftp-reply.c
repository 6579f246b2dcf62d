/* tests/unit/test-ftp-reply.c — the reply parser (a table of byte streams, each fed whole, byte by
 * byte and split at every point) and the reader over a socketpair (deadline, grace period, EOF).
 * Must not: touch the network beyond a local socketpair. */
#include "ftp/reply.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct {
        int code;
        guint lines;
        const char *text;
        gboolean mismatched;
} Want;

typedef struct {
        const char *path;
        const char *input;
        gsize len;          /* 0: strlen(input) */
        Want want[3];       /* replies returned by _next() in order; code 0 ends the list */
        FtpParseStatus end; /* status after the last byte: NEED_MORE, TENTATIVE or ERROR */
        int error_code;     /* FtpReplyErrorCode when end is ERROR */
        Want tentative;     /* what _accept_tentative() gives when end is TENTATIVE */
} ReplyCase;

#define NEED FTP_PARSE_NEED_MORE
#define TENT FTP_PARSE_TENTATIVE
#define ERR FTP_PARSE_ERROR

static const ReplyCase reply_cases[] = {
        { "/ftp/reply/single-line", "220 ready\r\n", 0, { { 220, 1, "ready", FALSE } }, NEED, 0, { 0 } },
        { "/ftp/reply/lf-only-line-accepted", "220 ready\n", 0, { { 220, 1, "ready", FALSE } }, NEED, 0, { 0 } },
        { "/ftp/reply/empty-text", "200 \r\n", 0, { { 200, 1, "", FALSE } }, NEED, 0, { 0 } },
        { "/ftp/reply/incomplete-line-needs-more", "220 rea", 0, { { 0 } }, NEED, 0, { 0 } },
        { "/ftp/reply/cr-without-lf-needs-more", "220 ready\r", 0, { { 0 } }, NEED, 0, { 0 } },
        { "/ftp/reply/multiline-ends-at-own-code", "220-Welcome\r\n to the server\r\n220 ready\r\n", 0,
          { { 220, 3, "ready", FALSE } }, NEED, 0, { 0 } },
        { "/ftp/reply/multiline-ends-only-at-own-code",
          "220-Welcome\r\n226 this line looks final\r\n220 ready\r\n", 0,
          { { 220, 3, "ready", FALSE } }, NEED, 0, { 0 } },
        { "/ftp/reply/multiline-inner-dash-lines-are-text", "211-Features:\r\n211-MDTM\r\n SIZE\r\n211 End\r\n", 0,
          { { 211, 4, "End", FALSE } }, NEED, 0, { 0 } },
        { "/ftp/reply/multiline-lf-only", "211-Features:\n MDTM\n211 End\n", 0,
          { { 211, 3, "End", FALSE } }, NEED, 0, { 0 } },
        { "/ftp/reply/multiline-own-code-without-space-is-text", "220-a\r\n2201 x\r\n220x\r\n220 b\r\n", 0,
          { { 220, 4, "b", FALSE } }, NEED, 0, { 0 } },
        { "/ftp/reply/multiline-indented-code-is-text", "220-a\r\n 220 b\r\n220 c\r\n", 0,
          { { 220, 3, "c", FALSE } }, NEED, 0, { 0 } },
        { "/ftp/reply/multiline-unfinished-needs-more", "220-a\r\n220-b\r\n", 0, { { 0 } }, NEED, 0, { 0 } },
        { "/ftp/reply/mismatched-terminator-is-tentative", "220-Welcome\r\n230 end\r\n", 0, { { 0 } },
          TENT, 0, { 220, 2, "end", TRUE } },
        { "/ftp/reply/bytes-after-mismatch-make-it-text", "220-Welcome\r\n230 end\r\nmore\r\n220 ok\r\n", 0,
          { { 220, 4, "ok", FALSE } }, NEED, 0, { 0 } },
        { "/ftp/reply/partial-line-after-mismatch-is-not-tentative", "220-Welcome\r\n230 end\r\nmo", 0,
          { { 0 } }, NEED, 0, { 0 } },
        { "/ftp/reply/several-replies-in-one-push", "150 Opening\r\n226 Done\r\n", 0,
          { { 150, 1, "Opening", FALSE }, { 226, 1, "Done", FALSE } }, NEED, 0, { 0 } },
        { "/ftp/reply/three-replies-mixed-endings", "150 a\n226-b\r\n226 c\r\n200 d\n", 0,
          { { 150, 1, "a", FALSE }, { 226, 2, "c", FALSE }, { 200, 1, "d", FALSE } }, NEED, 0, { 0 } },
        { "/ftp/reply/leftover-partial-reply-kept", "150 a\r\n226 do", 0, { { 150, 1, "a", FALSE } }, NEED, 0,
          { 0 } },
        { "/ftp/reply/421-is-a-normal-reply", "421 Timeout.\r\n", 0, { { 421, 1, "Timeout.", FALSE } }, NEED, 0,
          { 0 } },
        { "/ftp/reply/bare-cr-kept-as-data", "220 a\rb\r\n", 0, { { 220, 1, "a\rb", FALSE } }, NEED, 0, { 0 } },
        { "/ftp/reply/cr-cr-lf-keeps-one-cr", "220 a\r\r\n", 0, { { 220, 1, "a\r", FALSE } }, NEED, 0, { 0 } },
        { "/ftp/reply/iac-iac-is-0xff", "220 \xff\xffok\r\n", 0, { { 220, 1, "\xffok", FALSE } }, NEED, 0, { 0 } },
        { "/ftp/reply/iac-will-option-dropped", "220 a\xff\xfb\x01" "b\r\n", 0, { { 220, 1, "ab", FALSE } }, NEED,
          0, { 0 } },
        { "/ftp/reply/iac-do-lf-option-dropped", "220 a\xff\xfd\nb\r\n", 0, { { 220, 1, "ab", FALSE } }, NEED, 0,
          { 0 } },
        { "/ftp/reply/iac-command-dropped", "220 a\xff\xf1" "b\r\n", 0, { { 220, 1, "ab", FALSE } }, NEED, 0,
          { 0 } },
        { "/ftp/reply/iac-before-code", "\xff\xfb\x01" "220 ok\r\n", 0, { { 220, 1, "ok", FALSE } }, NEED, 0,
          { 0 } },
        { "/ftp/reply/nul-is-malformed", "220 re\0ady\r\n", 12, { { 0 } }, ERR, FTP_REPLY_ERROR_MALFORMED, { 0 } },
        { "/ftp/reply/nul-in-continuation-is-malformed", "220-a\r\n\0\r\n220 b\r\n", 17, { { 0 } }, ERR,
          FTP_REPLY_ERROR_MALFORMED, { 0 } },
        { "/ftp/reply/no-code-is-malformed", "hello\r\n", 0, { { 0 } }, ERR, FTP_REPLY_ERROR_MALFORMED, { 0 } },
        { "/ftp/reply/two-digit-code-is-malformed", "22 x\r\n", 0, { { 0 } }, ERR, FTP_REPLY_ERROR_MALFORMED, { 0 } },
        { "/ftp/reply/four-digit-code-is-malformed", "2200 x\r\n", 0, { { 0 } }, ERR, FTP_REPLY_ERROR_MALFORMED,
          { 0 } },
        { "/ftp/reply/code-without-separator-is-malformed", "220\r\n", 0, { { 0 } }, ERR,
          FTP_REPLY_ERROR_MALFORMED, { 0 } },
        { "/ftp/reply/code-out-of-range-is-malformed", "600 x\r\n", 0, { { 0 } }, ERR, FTP_REPLY_ERROR_MALFORMED,
          { 0 } },
        { "/ftp/reply/empty-line-is-malformed", "\r\n", 0, { { 0 } }, ERR, FTP_REPLY_ERROR_MALFORMED, { 0 } },
        { "/ftp/reply/error-after-good-reply", "200 ok\r\nbogus\r\n", 0, { { 200, 1, "ok", FALSE } }, ERR,
          FTP_REPLY_ERROR_MALFORMED, { 0 } },
};

typedef struct {
        GPtrArray *replies; /* FtpReply* */
        FtpParseStatus end;
        GError *error;
        FtpReplyParser *parser;
} Outcome;

static void outcome_clear(Outcome *o)
{
        g_clear_pointer(&o->replies, g_ptr_array_unref);
        g_clear_error(&o->error);
        g_clear_pointer(&o->parser, ftp_reply_parser_free);
}

/* Takes every reply out of the parser; returns FALSE once it reports an error. */
static gboolean drain(Outcome *o)
{
        for (;;) {
                FtpReply *reply = NULL;
                o->end = ftp_reply_parser_next(o->parser, &reply, &o->error);
                if (o->end != FTP_PARSE_DONE)
                        return o->end != FTP_PARSE_ERROR;
                g_ptr_array_add(o->replies, reply);
        }
}

/* Feeds input in pieces of `piece` bytes (0: whole), first cutting at `cut` (0: no cut). */
static void feed_case(const char *input, gsize len, gsize cut, gsize piece, Outcome *o)
{
        o->replies = g_ptr_array_new_with_free_func((GDestroyNotify)ftp_reply_free);
        o->parser = ftp_reply_parser_new();
        o->end = FTP_PARSE_NEED_MORE;
        gsize pos = 0;
        while (pos < len) {
                gsize n = piece ? piece : len - pos;
                if (cut && pos < cut)
                        n = MIN(n, cut - pos);
                n = MIN(n, len - pos);
                if (!ftp_reply_parser_push(o->parser, input + pos, n, &o->error)) {
                        o->end = FTP_PARSE_ERROR;
                        return;
                }
                pos += n;
                if (!drain(o))
                        return;
        }
}

static void assert_reply(const FtpReply *got, const Want *want, const char *how)
{
        if (got->code != want->code || got->lines->len != want->lines || strcmp(got->text, want->text) != 0 ||
            got->mismatched_terminator != want->mismatched)
                g_test_message("fed %s: got %d (%u lines) \"%s\"", how, got->code, got->lines->len, got->text);
        g_assert_cmpint(got->code, ==, want->code);
        g_assert_cmpuint(got->lines->len, ==, want->lines);
        g_assert_cmpstr(got->text, ==, want->text);
        g_assert_cmpint(got->mismatched_terminator, ==, want->mismatched);
}

static void check_outcome(const ReplyCase *c, Outcome *o, const char *how)
{
        guint n = 0;
        while (n < G_N_ELEMENTS(c->want) && c->want[n].code)
                n++;
        if (o->replies->len != n || o->end != c->end)
                g_test_message("fed %s: %u replies, end %d (%s)", how, o->replies->len, o->end,
                               o->error ? o->error->message : "no error");
        g_assert_cmpuint(o->replies->len, ==, n);
        for (guint i = 0; i < n; i++)
                assert_reply(g_ptr_array_index(o->replies, i), &c->want[i], how);
        g_assert_cmpint(o->end, ==, c->end);
        if (c->end == FTP_PARSE_ERROR) {
                g_assert_error(o->error, FTP_REPLY_ERROR, c->error_code);
                return;
        }
        g_assert_no_error(o->error);
        if (c->end != FTP_PARSE_TENTATIVE) {
                g_assert_null(ftp_reply_parser_accept_tentative(o->parser));
                return;
        }
        g_autoptr(FtpReply) accepted = ftp_reply_parser_accept_tentative(o->parser);
        g_assert_nonnull(accepted);
        assert_reply(accepted, &c->tentative, how);
        g_assert_cmpuint(ftp_reply_parser_pending(o->parser), ==, 0);
}

static void test_reply_case(gconstpointer data)
{
        const ReplyCase *c = data;
        gsize len = c->len ? c->len : strlen(c->input);
        Outcome o = { 0 };

        feed_case(c->input, len, 0, 0, &o);
        check_outcome(c, &o, "whole");
        outcome_clear(&o);

        feed_case(c->input, len, 0, 1, &o);
        check_outcome(c, &o, "byte by byte");
        outcome_clear(&o);

        for (gsize cut = 1; cut < len; cut++) {
                g_autofree char *how = g_strdup_printf("cut at %" G_GSIZE_FORMAT, cut);
                feed_case(c->input, len, cut, 0, &o);
                check_outcome(c, &o, how);
                outcome_clear(&o);
        }
}

/* ---- caps: generated inputs ---- */

static FtpParseStatus push_all(FtpReplyParser *parser, const char *buf, gsize len, gsize piece, GError **error)
{
        for (gsize pos = 0; pos < len; pos += piece) {
                if (!ftp_reply_parser_push(parser, buf + pos, MIN(piece, len - pos), error))
                        return FTP_PARSE_ERROR;
                FtpReply *reply = NULL;
                FtpParseStatus st = ftp_reply_parser_next(parser, &reply, error);
                ftp_reply_free(reply);
                if (st != FTP_PARSE_NEED_MORE)
                        return st;
        }
        return FTP_PARSE_NEED_MORE;
}

static void test_line_at_cap_accepted(void)
{
        g_autoptr(GString) s = g_string_new("220 ");
        while (s->len < FTP_REPLY_MAX_LINE)
                g_string_append_c(s, 'a');
        g_string_append(s, "\r\n");
        g_autoptr(FtpReplyParser) parser = ftp_reply_parser_new();
        g_autoptr(GError) error = NULL;
        g_assert_true(ftp_reply_parser_push(parser, s->str, s->len, &error));
        g_autoptr(FtpReply) reply = NULL;
        g_assert_cmpint(ftp_reply_parser_next(parser, &reply, &error), ==, FTP_PARSE_DONE);
        g_assert_cmpuint(strlen(reply->text), ==, FTP_REPLY_MAX_LINE - 4);
}

static void test_line_over_cap_fails_early(void)
{
        /* 10 MiB without LF in one push: fails at the line cap without taking in the rest */
        gsize len = 10 * 1024 * 1024;
        g_autofree char *big = g_malloc(len);
        memcpy(big, "220 ", 4);
        memset(big + 4, 'x', len - 4);
        g_autoptr(FtpReplyParser) parser = ftp_reply_parser_new();
        g_autoptr(GError) error = NULL;
        g_assert_false(ftp_reply_parser_push(parser, big, len, &error));
        g_assert_error(error, FTP_REPLY_ERROR, FTP_REPLY_ERROR_LINE_TOO_LONG);
        g_assert_cmpuint(ftp_reply_parser_pending(parser), <=, FTP_REPLY_MAX_LINE + 1);
        /* the failure is sticky until reset */
        g_clear_error(&error);
        FtpReply *reply = NULL;
        g_assert_cmpint(ftp_reply_parser_next(parser, &reply, &error), ==, FTP_PARSE_ERROR);
        g_assert_error(error, FTP_REPLY_ERROR, FTP_REPLY_ERROR_LINE_TOO_LONG);
        g_clear_error(&error);
        ftp_reply_parser_reset(parser);
        g_assert_true(ftp_reply_parser_push(parser, "200 ok\r\n", 8, &error));
        g_assert_cmpint(ftp_reply_parser_next(parser, &reply, &error), ==, FTP_PARSE_DONE);
        g_assert_cmpint(reply->code, ==, 200);
        ftp_reply_free(reply);
}

static void test_endless_multiline_hits_line_cap(void)
{
        g_autoptr(GString) s = g_string_new("220-start\r\n");
        for (int i = 0; i <= FTP_REPLY_MAX_LINES; i++)
                g_string_append(s, "220-more\r\n");
        g_autoptr(FtpReplyParser) parser = ftp_reply_parser_new();
        g_autoptr(GError) error = NULL;
        g_assert_cmpint(push_all(parser, s->str, s->len, 512, &error), ==, FTP_PARSE_ERROR);
        g_assert_error(error, FTP_REPLY_ERROR, FTP_REPLY_ERROR_TOO_LARGE);
}

static void test_endless_multiline_hits_byte_cap(void)
{
        g_autoptr(GString) s = g_string_new("220-start\r\n");
        char line[8000];
        memset(line, 'y', sizeof line);
        while (s->len <= FTP_REPLY_MAX_BYTES) {
                g_string_append_len(s, line, sizeof line);
                g_string_append(s, "\r\n");
        }
        g_autoptr(FtpReplyParser) parser = ftp_reply_parser_new();
        g_autoptr(GError) error = NULL;
        g_assert_cmpint(push_all(parser, s->str, s->len, 4096, &error), ==, FTP_PARSE_ERROR);
        g_assert_error(error, FTP_REPLY_ERROR, FTP_REPLY_ERROR_TOO_LARGE);
}

static void test_pending_counts_bytes_after_reply(void)
{
        /* CVE-2021-22947 pattern: the session must see bytes pipelined after 234 */
        const char *in = "234 go\r\n230 fake\r\n";
        g_autoptr(FtpReplyParser) parser = ftp_reply_parser_new();
        g_autoptr(GError) error = NULL;
        g_assert_true(ftp_reply_parser_push(parser, in, strlen(in), &error));
        g_assert_cmpuint(ftp_reply_parser_pending(parser), ==, strlen(in));
        g_autoptr(FtpReply) reply = NULL;
        g_assert_cmpint(ftp_reply_parser_next(parser, &reply, &error), ==, FTP_PARSE_DONE);
        g_assert_cmpint(reply->code, ==, 234);
        g_assert_cmpuint(ftp_reply_parser_pending(parser), ==, strlen("230 fake\r\n"));
        ftp_reply_parser_reset(parser);
        g_assert_cmpuint(ftp_reply_parser_pending(parser), ==, 0);
        FtpReply *none = NULL;
        g_assert_cmpint(ftp_reply_parser_next(parser, &none, &error), ==, FTP_PARSE_NEED_MORE);
        g_assert_null(none);
}

static void test_joined_text_strips_prefixes(void)
{
        const char *in = "211-Features:\r\n MDTM\r\n211-SIZE\r\n226 not mine\r\n211 End\r\n";
        g_autoptr(FtpReplyParser) parser = ftp_reply_parser_new();
        g_autoptr(GError) error = NULL;
        g_assert_true(ftp_reply_parser_push(parser, in, strlen(in), &error));
        g_autoptr(FtpReply) reply = NULL;
        g_assert_cmpint(ftp_reply_parser_next(parser, &reply, &error), ==, FTP_PARSE_DONE);
        g_autofree char *joined = ftp_reply_joined_text(reply);
        g_assert_cmpstr(joined, ==, "Features:\n MDTM\nSIZE\n226 not mine\nEnd");
        g_assert_cmpstr(g_ptr_array_index(reply->lines, 0), ==, "211-Features:");
        g_assert_cmpint(ftp_reply_class(reply), ==, 2);
}

/* A hostile server's text: `text` keeps the bytes for parsing, `shown` is what messages quote. */
static void test_shown_text_is_escaped(void)
{
        const char *in = "550 \033[2J\033]0;owned\007\rUploaded, scanned clean \xc2\x9b" "31m\\x\r\n";
        g_autoptr(FtpReplyParser) parser = ftp_reply_parser_new();
        g_autoptr(GError) error = NULL;
        g_assert_true(ftp_reply_parser_push(parser, in, strlen(in), &error));
        g_autoptr(FtpReply) reply = NULL;
        g_assert_cmpint(ftp_reply_parser_next(parser, &reply, &error), ==, FTP_PARSE_DONE);
        g_assert_cmpstr(reply->text, ==, "\033[2J\033]0;owned\007\rUploaded, scanned clean \xc2\x9b" "31m\\x");
        g_assert_cmpstr(reply->shown, ==,
                        "\\x1b[2J\\x1b]0;owned\\x07\\x0dUploaded, scanned clean \\u009b31m\\\\x");
        g_autoptr(FtpReply) empty = ftp_reply_new();
        g_assert_cmpstr(empty->shown, ==, "");
}

/* A first line without a code is quoted in the error escaped as `shown` is: C1 too, and a raw
 * 0x9b byte as itself, not as U+FFFD (a terminal must see neither). */
static void test_malformed_line_quoted_escaped(void)
{
        const char *in = "\033[2J\033]0;t\007 \r bad\x9b C1\xc2\x9b end\r\n";
        g_autoptr(FtpReplyParser) parser = ftp_reply_parser_new();
        g_autoptr(GError) error = NULL;
        g_assert_false(ftp_reply_parser_push(parser, in, strlen(in), &error));
        g_assert_error(error, FTP_REPLY_ERROR, FTP_REPLY_ERROR_MALFORMED);
        g_assert_nonnull(strstr(error->message, "\\x1b[2J\\x1b]0;t\\x07 \\x0d bad\\x9b C1\\u009b end"));
        g_assert_null(strchr(error->message, '\033'));
        g_assert_null(strstr(error->message, "\xc2\x9b"));
        g_assert_null(strstr(error->message, "\xef\xbf\xbd"));
}

/* A long line is cut at 80 bytes, never inside a UTF-8 sequence, and says so. */
static void test_malformed_line_quote_is_cut(void)
{
        g_autoptr(GString) in = g_string_new(NULL);
        for (int i = 0; i < 39; i++)
                g_string_append(in, "ab");
        g_string_append(in, "x\xc3\xa9tail that is not quoted\r\n"); /* é spans bytes 80 and 81 */
        g_autoptr(FtpReplyParser) parser = ftp_reply_parser_new();
        g_autoptr(GError) error = NULL;
        g_assert_false(ftp_reply_parser_push(parser, in->str, in->len, &error));
        g_assert_error(error, FTP_REPLY_ERROR, FTP_REPLY_ERROR_MALFORMED);
        g_assert_nonnull(strstr(error->message, "abx…"));
        g_assert_null(strstr(error->message, "tail"));
        g_assert_null(strstr(error->message, "\\xc3"));
        g_assert_true(g_utf8_validate(error->message, -1, NULL));
}

/* ---- property: how the bytes are cut never changes what is parsed ---- */

static char *describe(Outcome *o)
{
        GString *s = g_string_new(NULL);
        for (guint i = 0; i < o->replies->len; i++) {
                FtpReply *r = g_ptr_array_index(o->replies, i);
                g_autofree char *joined = ftp_reply_joined_text(r);
                g_string_append_printf(s, "[%d/%u/%d/%s/%s]", r->code, r->lines->len, r->mismatched_terminator,
                                       r->text, joined);
        }
        g_string_append_printf(s, " end=%d err=%d", o->end, o->error ? o->error->code : -1);
        if (o->end == FTP_PARSE_TENTATIVE) {
                g_autoptr(FtpReply) t = ftp_reply_parser_accept_tentative(o->parser);
                g_string_append_printf(s, " tentative=%d/%s", t ? t->code : -1, t ? t->text : "");
        }
        return g_string_free(s, FALSE);
}

static void test_chunking_never_changes_result(void)
{
        static const struct { const char *bytes; gsize len; } frags[] = {
                { "220 ", 4 }, { "220-", 4 }, { "230 ", 4 }, { "150 ", 4 }, { "2", 1 }, { "x", 1 }, { " ", 1 },
                { "\r", 1 }, { "\n", 1 }, { "\r\n", 2 }, { "\r\n", 2 }, { "\r\n220 ", 6 }, { "\xff\xff", 2 },
                { "\xff\xfb\x01", 3 }, { "\xff", 1 }, { "text", 4 }, { "\0", 1 },
        };
        for (int round = 0; round < 300; round++) {
                g_autoptr(GString) in = g_string_new(NULL);
                int n = g_test_rand_int_range(1, 40);
                for (int i = 0; i < n; i++) {
                        int f = g_test_rand_int_range(0, G_N_ELEMENTS(frags));
                        if (frags[f].len == 1 && frags[f].bytes[0] == '\0' && g_test_rand_int_range(0, 4))
                                continue; /* NUL ends everything: keep it rare */
                        g_string_append_len(in, frags[f].bytes, frags[f].len);
                }
                Outcome whole = { 0 }, cut = { 0 };
                feed_case(in->str, in->len, 0, 0, &whole);
                feed_case(in->str, in->len, 0, g_test_rand_int_range(1, 8), &cut);
                g_autofree char *a = describe(&whole);
                g_autofree char *b = describe(&cut);
                if (strcmp(a, b) != 0) {
                        g_autofree char *shown = g_strescape(in->str, NULL);
                        g_test_message("input \"%s\"", shown);
                }
                g_assert_cmpstr(a, ==, b);
                outcome_clear(&whole);
                outcome_clear(&cut);
        }
}

/* ---- the reader over a socketpair ---- */

typedef struct {
        int fd;
        const char *first;   /* written at once */
        const char *second;  /* written after delay_ms (NULL: none) */
        int delay_ms;
        gboolean drip;       /* then one byte every delay_ms until the peer closes */
        gboolean close_after;
} Writer;

static gboolean send_str(int fd, const char *s)
{
        gsize len = strlen(s);
        return send(fd, s, len, MSG_NOSIGNAL) == (ssize_t)len;
}

static gpointer writer_run(gpointer data)
{
        Writer *w = data;
        if (w->first && !send_str(w->fd, w->first))
                return NULL;
        if (w->second) {
                g_usleep(w->delay_ms * 1000);
                if (!send_str(w->fd, w->second))
                        return NULL;
        }
        /* the drip stops when the reader closes its end (send fails) or after 30 s at most */
        for (int i = 0; w->drip && i < 30000 / MAX(w->delay_ms, 1); i++) {
                g_usleep(w->delay_ms * 1000);
                if (!send_str(w->fd, "x"))
                        break;
        }
        if (w->close_after)
                shutdown(w->fd, SHUT_WR);
        return NULL;
}

typedef struct {
        int peer;
        NetStream *stream;
        FtpReplyParser *parser;
        GThread *thread;
        Writer writer;
} Pair;

static void pair_start(Pair *p, Writer w)
{
        int sv[2];
        g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
        p->stream = net_stream_new(sv[0]);
        p->peer = sv[1];
        p->parser = ftp_reply_parser_new();
        p->writer = w;
        p->writer.fd = sv[1];
        p->thread = g_thread_new("writer", writer_run, &p->writer);
}

static void pair_stop(Pair *p)
{
        g_clear_pointer(&p->stream, net_stream_free); /* the writer's next send fails */
        g_thread_join(p->thread);
        close(p->peer);
        ftp_reply_parser_free(p->parser);
}

static gint64 elapsed_ms(gint64 start)
{
        return (g_get_monotonic_time() - start) / 1000;
}

static void test_reader_assembles_split_reply(void)
{
        Pair p;
        pair_start(&p, (Writer){ .first = "220-Hello\r\n226 fake\r", .second = "\n220 ready\r\n", .delay_ms = 30 });
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpReply) reply = ftp_reply_read(p.parser, p.stream, net_deadline_in_ms(5000), -1, &error);
        g_assert_no_error(error);
        g_assert_cmpint(reply->code, ==, 220);
        g_assert_cmpuint(reply->lines->len, ==, 3);
        g_assert_false(reply->mismatched_terminator);
        pair_stop(&p);
}

static void test_reader_returns_leftover_without_reading(void)
{
        Pair p;
        pair_start(&p, (Writer){ .first = "150 Opening\r\n226 Done\r\n" });
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpReply) first = ftp_reply_read(p.parser, p.stream, net_deadline_in_ms(5000), -1, &error);
        g_assert_no_error(error);
        g_assert_cmpint(first->code, ==, 150);
        /* a second read with an expired deadline still gets the buffered 226 */
        g_autoptr(FtpReply) second = ftp_reply_read(p.parser, p.stream, g_get_monotonic_time(), -1, &error);
        g_assert_no_error(error);
        g_assert_cmpint(second->code, ==, 226);
        pair_stop(&p);
}

static void test_reader_deadline_fires_on_slow_drip(void)
{
        Pair p;
        pair_start(&p, (Writer){ .first = "220-", .drip = TRUE, .delay_ms = 20 });
        g_autoptr(GError) error = NULL;
        gint64 start = g_get_monotonic_time();
        FtpReply *reply = ftp_reply_read(p.parser, p.stream, net_deadline_in_ms(300), -1, &error);
        gint64 took = elapsed_ms(start);
        g_assert_null(reply);
        g_assert_error(error, FTP_REPLY_ERROR, FTP_REPLY_ERROR_TIMEOUT);
        g_assert_cmpint(took, >=, 290);
        g_assert_cmpint(took, <, 2000);
        pair_stop(&p);
}

static void test_reader_grace_accepts_quiet_mismatch(void)
{
        Pair p;
        pair_start(&p, (Writer){ .first = "220-Welcome\r\n230 Ready\r\n" });
        g_autoptr(GError) error = NULL;
        gint64 start = g_get_monotonic_time();
        g_autoptr(FtpReply) reply = ftp_reply_read(p.parser, p.stream, net_deadline_in_ms(5000), -1, &error);
        gint64 took = elapsed_ms(start);
        g_assert_no_error(error);
        g_assert_cmpint(reply->code, ==, 220);
        g_assert_true(reply->mismatched_terminator);
        g_assert_cmpstr(reply->text, ==, "Ready");
        g_assert_cmpint(took, >=, FTP_REPLY_GRACE_MS - 10);
        g_assert_cmpint(took, <, 3000);
        pair_stop(&p);
}

static void test_reader_grace_rejects_when_more_follows(void)
{
        Pair p;
        pair_start(&p, (Writer){ .first = "220-Welcome\r\n226 looks final\r\n", .second = "220 ready\r\n",
                                 .delay_ms = 50 });
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpReply) reply = ftp_reply_read(p.parser, p.stream, net_deadline_in_ms(5000), -1, &error);
        g_assert_no_error(error);
        g_assert_cmpint(reply->code, ==, 220);
        g_assert_false(reply->mismatched_terminator);
        g_assert_cmpuint(reply->lines->len, ==, 3);
        g_assert_cmpstr(reply->text, ==, "ready");
        pair_stop(&p);
}

static void test_reader_grace_never_passes_deadline(void)
{
        Pair p;
        pair_start(&p, (Writer){ .first = "220-Welcome\r\n230 Ready\r\n" });
        g_autoptr(GError) error = NULL;
        gint64 start = g_get_monotonic_time();
        FtpReply *reply = ftp_reply_read(p.parser, p.stream, net_deadline_in_ms(60), -1, &error);
        g_assert_null(reply);
        g_assert_error(error, FTP_REPLY_ERROR, FTP_REPLY_ERROR_TIMEOUT);
        g_assert_cmpint(elapsed_ms(start), <, FTP_REPLY_GRACE_MS);
        pair_stop(&p);
}

static void test_reader_eof_before_reply_is_closed(void)
{
        Pair p;
        pair_start(&p, (Writer){ .first = "220-Hel", .close_after = TRUE });
        g_autoptr(GError) error = NULL;
        FtpReply *reply = ftp_reply_read(p.parser, p.stream, net_deadline_in_ms(5000), -1, &error);
        g_assert_null(reply);
        g_assert_error(error, FTP_REPLY_ERROR, FTP_REPLY_ERROR_CLOSED);
        pair_stop(&p);
}

static void test_reader_eof_after_mismatch_accepts(void)
{
        Pair p;
        pair_start(&p, (Writer){ .first = "220-Welcome\r\n230 Ready\r\n", .close_after = TRUE });
        g_autoptr(GError) error = NULL;
        g_autoptr(FtpReply) reply = ftp_reply_read(p.parser, p.stream, net_deadline_in_ms(5000), -1, &error);
        g_assert_no_error(error);
        g_assert_true(reply->mismatched_terminator);
        pair_stop(&p);
}

static void test_reader_cancel_fd_interrupts(void)
{
        Pair p;
        pair_start(&p, (Writer){ .first = "220-" });
        int cancel[2];
        g_assert_cmpint(pipe(cancel), ==, 0);
        g_assert_cmpint(write(cancel[1], "c", 1), ==, 1);
        g_autoptr(GError) error = NULL;
        FtpReply *reply = ftp_reply_read(p.parser, p.stream, net_deadline_in_ms(5000), cancel[0], &error);
        g_assert_null(reply);
        g_assert_error(error, NET_ERROR, NET_ERROR_CANCELLED);
        close(cancel[0]);
        close(cancel[1]);
        pair_stop(&p);
}

static void test_reader_malformed_is_error(void)
{
        Pair p;
        pair_start(&p, (Writer){ .first = "SSH-2.0-OpenSSH_9.2\r\n" });
        g_autoptr(GError) error = NULL;
        FtpReply *reply = ftp_reply_read(p.parser, p.stream, net_deadline_in_ms(5000), -1, &error);
        g_assert_null(reply);
        g_assert_error(error, FTP_REPLY_ERROR, FTP_REPLY_ERROR_MALFORMED);
        g_assert_nonnull(strstr(error->message, "SSH-2.0"));
        pair_stop(&p);
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        for (gsize i = 0; i < G_N_ELEMENTS(reply_cases); i++)
                g_test_add_data_func(reply_cases[i].path, &reply_cases[i], test_reply_case);
        g_test_add_func("/ftp/reply/line-at-cap-accepted", test_line_at_cap_accepted);
        g_test_add_func("/ftp/reply/overlong-line-fails-without-buffering-it", test_line_over_cap_fails_early);
        g_test_add_func("/ftp/reply/endless-multiline-hits-line-count-cap", test_endless_multiline_hits_line_cap);
        g_test_add_func("/ftp/reply/endless-multiline-hits-byte-cap", test_endless_multiline_hits_byte_cap);
        g_test_add_func("/ftp/reply/pending-counts-bytes-after-reply", test_pending_counts_bytes_after_reply);
        g_test_add_func("/ftp/reply/joined-text-strips-prefixes", test_joined_text_strips_prefixes);
        g_test_add_func("/ftp/reply/chunking-never-changes-result", test_chunking_never_changes_result);
        g_test_add_func("/ftp/reply/read/assembles-split-reply", test_reader_assembles_split_reply);
        g_test_add_func("/ftp/reply/read/leftover-returned-without-reading",
                        test_reader_returns_leftover_without_reading);
        g_test_add_func("/ftp/reply/read/deadline-fires-on-slow-drip", test_reader_deadline_fires_on_slow_drip);
        g_test_add_func("/ftp/reply/read/grace-accepts-quiet-mismatch", test_reader_grace_accepts_quiet_mismatch);
        g_test_add_func("/ftp/reply/read/grace-rejects-when-more-follows",
                        test_reader_grace_rejects_when_more_follows);
        g_test_add_func("/ftp/reply/read/grace-never-passes-deadline", test_reader_grace_never_passes_deadline);
        g_test_add_func("/ftp/reply/read/eof-before-reply-is-closed", test_reader_eof_before_reply_is_closed);
        g_test_add_func("/ftp/reply/read/eof-after-mismatch-accepts", test_reader_eof_after_mismatch_accepts);
        g_test_add_func("/ftp/reply/read/cancel-fd-interrupts", test_reader_cancel_fd_interrupts);
        g_test_add_func("/ftp/reply/read/malformed-is-error", test_reader_malformed_is_error);
        g_test_add_func("/ftp/reply/shown-text-is-escaped", test_shown_text_is_escaped);
        g_test_add_func("/ftp/reply/malformed-line-quoted-escaped", test_malformed_line_quoted_escaped);
        g_test_add_func("/ftp/reply/malformed-line-quote-is-cut", test_malformed_line_quote_is_cut);
        return g_test_run();
}
