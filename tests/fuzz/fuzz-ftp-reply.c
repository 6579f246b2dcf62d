/* tests/fuzz/fuzz-ftp-reply.c — the FTP reply parser (ftp/reply.c) fed the same bytes whole and in
 * the pieces the input's first bytes choose. Properties: the pieces give the same replies and the
 * same end as the whole (a tentative end is accepted only when no bytes are left, as the reader
 * does after its grace period); every reply has a code of 100..599, at least one line, text and
 * shown text without control characters in `shown`. */
#include "tests/fuzz/fuzz.h"
#include "ftp/reply.h"

static void check_reply(const FtpReply *reply)
{
        FUZZ_ASSERT(reply->code >= 100 && reply->code <= 599);
        FUZZ_ASSERT(reply->lines->len >= 1 && reply->lines->len <= FTP_REPLY_MAX_LINES);
        FUZZ_ASSERT(reply->text && reply->shown);
        for (const guchar *p = (const guchar *)reply->shown; *p; p++)
                FUZZ_ASSERT(*p >= 0x20 && *p != 0x7f);
        g_autofree char *joined = ftp_reply_joined_text(reply);
        FUZZ_ASSERT(joined != NULL);
}

static void log_reply(GString *log, const FtpReply *reply)
{
        check_reply(reply);
        g_string_append_printf(log, "%d %u %d [", reply->code, reply->lines->len, reply->mismatched_terminator);
        for (guint i = 0; i < reply->lines->len; i++)
                g_string_append_printf(log, "%s|", (const char *)g_ptr_array_index(reply->lines, i));
        g_string_append(log, "]\n");
}

/* Takes every reply out; TRUE when the parser wants more bytes (FALSE: it failed). */
static gboolean drain(FtpReplyParser *parser, GString *log, gboolean last_piece)
{
        for (;;) {
                g_autoptr(GError) error = NULL;
                FtpReply *reply = NULL;
                FtpParseStatus status = ftp_reply_parser_next(parser, &reply, &error);
                switch (status) {
                case FTP_PARSE_DONE:
                        log_reply(log, reply);
                        ftp_reply_free(reply);
                        continue;
                case FTP_PARSE_TENTATIVE:
                        if (!last_piece)
                                return TRUE;
                        reply = ftp_reply_parser_accept_tentative(parser);
                        FUZZ_ASSERT(reply != NULL && reply->mismatched_terminator);
                        log_reply(log, reply);
                        ftp_reply_free(reply);
                        continue;
                case FTP_PARSE_NEED_MORE:
                        return TRUE;
                case FTP_PARSE_ERROR:
                        FUZZ_ASSERT(error != NULL && error->domain == FTP_REPLY_ERROR);
                        g_string_append_printf(log, "error %d\n", error->code);
                        return FALSE;
                }
        }
}

static char *run(const guint8 *data, gsize size, const gsize *cuts, guint n_cuts)
{
        g_autoptr(FtpReplyParser) parser = ftp_reply_parser_new();
        GString *log = g_string_new(NULL);
        gsize at = 0;
        gboolean failed = FALSE;
        for (guint i = 0; i <= n_cuts && !failed; i++) {
                gsize end = i < n_cuts ? MIN(cuts[i], size) : size;
                if (end < at)
                        end = at;
                g_autoptr(GError) error = NULL;
                if (!ftp_reply_parser_push(parser, (const char *)data + at, end - at, &error)) {
                        FUZZ_ASSERT(error != NULL);
                        /* the failure is sticky: drain says it */
                }
                at = end;
                failed = !drain(parser, log, i == n_cuts);
        }
        if (!failed) /* after a failure the pieces stop early: what is left differs */
                g_string_append_printf(log, "pending %s\n", ftp_reply_parser_pending(parser) > 0 ? "yes" : "no");
        return g_string_free(log, FALSE);
}

FUZZ_INITIALIZE_STRICT()

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        /* The first byte: how many cut points follow (0..7), each one byte, as a step. */
        guint n_cuts = fuzz_take_byte(&data, &size) % 8;
        gsize cuts[8];
        gsize at = 0;
        for (guint i = 0; i < n_cuts; i++) {
                at += fuzz_take_byte(&data, &size);
                cuts[i] = at;
        }
        g_autofree char *whole = run(data, size, NULL, 0);
        g_autofree char *pieces = run(data, size, cuts, n_cuts);
        if (g_strcmp0(whole, pieces) != 0)
                fprintf(stderr, "whole:\n%s\npieces:\n%s\n", whole, pieces);
        FUZZ_ASSERT(g_strcmp0(whole, pieces) == 0);
        return 0;
}
