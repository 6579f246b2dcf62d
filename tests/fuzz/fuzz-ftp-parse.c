/* tests/fuzz/fuzz-ftp-parse.c — the reply-argument parsers (ftp/parse.c): 227 PASV, 229 EPSV and
 * where their data connection may go, 257 PWD, 213 SIZE and MDTM, and FEAT (a whole reply, read by
 * the reply parser first). The first byte picks the parser. Properties: a port of 0 is never
 * accepted, a privileged port never a target; a PWD path is non-empty without control characters;
 * a size is never negative; an MDTM time is 1970 or later; FEAT keys are upper case. */
#include "tests/fuzz/fuzz.h"
#include "ftp/parse.h"

static void fuzz_passive(const char *text, gboolean trust)
{
        guint8 addr[4];
        guint16 port = 0;
        g_autoptr(GError) error = NULL;
        if (ftp_parse_pasv(text, addr, &port, &error)) {
                FUZZ_ASSERT(port != 0);
                gboolean use_addr = FALSE;
                g_autoptr(GError) target_error = NULL;
                if (ftp_parse_pasv_target(addr, port, trust, &use_addr, &target_error))
                        FUZZ_ASSERT(port >= 1024);
                else
                        FUZZ_ASSERT(target_error != NULL);
        } else {
                FUZZ_ASSERT(error != NULL);
        }
        port = 0;
        g_clear_error(&error);
        if (ftp_parse_epsv(text, &port, &error)) {
                FUZZ_ASSERT(port != 0);
                gboolean use_addr = TRUE;
                if (ftp_parse_pasv_target(NULL, port, trust, &use_addr, NULL))
                        FUZZ_ASSERT(port >= 1024 && !use_addr);
        } else {
                FUZZ_ASSERT(error != NULL);
        }
}

static void fuzz_pwd(const char *text)
{
        g_autofree char *path = ftp_parse_pwd(text);
        if (!path)
                return;
        FUZZ_ASSERT(path[0] != '\0');
        for (const guchar *p = (const guchar *)path; *p; p++)
                FUZZ_ASSERT(*p >= 0x20 && *p != 0x7f);
}

static void fuzz_numbers(const char *text)
{
        gint64 size = -1;
        if (ftp_parse_size(text, &size))
                FUZZ_ASSERT(size >= 0);
        gint64 when = -1;
        if (ftp_parse_mdtm(text, &when))
                FUZZ_ASSERT(when >= 0 && when < G_GINT64_CONSTANT(253402300800)); /* before 10000 */
}

static void check_feature(gpointer key, gpointer value, gpointer data)
{
        FUZZ_ASSERT(key != NULL && value != NULL);
        for (const char *p = key; *p; p++)
                FUZZ_ASSERT(!g_ascii_islower(*p));
}

static void fuzz_feat(const uint8_t *data, size_t size)
{
        g_autoptr(FtpReplyParser) parser = ftp_reply_parser_new();
        if (!ftp_reply_parser_push(parser, (const char *)data, size, NULL))
                return;
        g_autoptr(FtpReply) reply = NULL;
        FtpParseStatus status = ftp_reply_parser_next(parser, &reply, NULL);
        if (status == FTP_PARSE_TENTATIVE)
                reply = ftp_reply_parser_accept_tentative(parser);
        if (!reply)
                return;
        g_autoptr(GHashTable) features = ftp_parse_feat(reply);
        FUZZ_ASSERT(features != NULL);
        g_hash_table_foreach(features, check_feature, NULL);
}

FUZZ_INITIALIZE_STRICT()

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        guint8 which = fuzz_take_byte(&data, &size);
        if (which % 4 == 3) {
                fuzz_feat(data, size);
                return 0;
        }
        g_autofree char *text = fuzz_cstr(data, size);
        switch (which % 4) {
        case 0:
                fuzz_passive(text, (which & 0x80) != 0);
                break;
        case 1:
                fuzz_pwd(text);
                break;
        default:
                fuzz_numbers(text);
                break;
        }
        return 0;
}
