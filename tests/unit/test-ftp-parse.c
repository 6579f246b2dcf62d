/* tests/unit/test-ftp-parse.c — tables of real-world and hostile 227, 229, 257, 213 and FEAT
 * payloads, one row per form or bug. Must not: do I/O. */
#include "ftp/parse.h"

#include <string.h>

typedef struct {
        const char *path;
        const char *text;
        gboolean ok;
        guint8 addr[4];
        guint16 port;
} PassiveCase;

static const PassiveCase pasv_cases[] = {
        { "/ftp/parse/pasv/standard", "Entering Passive Mode (127,0,0,1,4,1)", TRUE, { 127, 0, 0, 1 }, 1025 },
        { "/ftp/parse/pasv/vsftpd-trailing-dot", "Entering Passive Mode (192,168,1,2,195,80).", TRUE,
          { 192, 168, 1, 2 }, 50000 },
        { "/ftp/parse/pasv/no-parentheses", "Entering Passive Mode 10,0,0,7,4,2", TRUE, { 10, 0, 0, 7 }, 1026 },
        { "/ftp/parse/pasv/equals-form", "Entering Passive Mode =10,0,0,7,4,2", TRUE, { 10, 0, 0, 7 }, 1026 },
        { "/ftp/parse/pasv/spaces-after-commas", "Entering Passive Mode (127, 0, 0, 1, 4, 1)", TRUE,
          { 127, 0, 0, 1 }, 1025 },
        { "/ftp/parse/pasv/third-host-parsed", "Entering Passive Mode (8,8,8,8,200,10)", TRUE, { 8, 8, 8, 8 },
          51210 },
        { "/ftp/parse/pasv/digits-in-text-before", "Entering Passive Mode 2 (127,0,0,1,4,1)", TRUE,
          { 127, 0, 0, 1 }, 1025 },
        { "/ftp/parse/pasv/accepts-229-form", "Entering Extended Passive Mode (|||6446|)", TRUE, { 0, 0, 0, 0 },
          6446 },
        { "/ftp/parse/pasv/port-octet-over-255", "Entering Passive Mode (127,0,0,1,300,1)", FALSE, { 0 }, 0 },
        { "/ftp/parse/pasv/address-octet-over-255", "Entering Passive Mode (256,0,0,1,4,1)", FALSE, { 0 }, 0 },
        { "/ftp/parse/pasv/port-zero", "Entering Passive Mode (127,0,0,1,0,0)", FALSE, { 0 }, 0 },
        { "/ftp/parse/pasv/five-numbers", "Entering Passive Mode (127,0,0,1,4)", FALSE, { 0 }, 0 },
        { "/ftp/parse/pasv/no-numbers", "Passive mode refused", FALSE, { 0 }, 0 },
        { "/ftp/parse/pasv/negative", "Entering Passive Mode (127,0,0,1,-4,1)", FALSE, { 0 }, 0 },
        { "/ftp/parse/pasv/huge-number-no-wrap", "Entering Passive Mode (127,0,0,1,4294967297,1)", FALSE, { 0 },
          0 },
};

static const PassiveCase epsv_cases[] = {
        { "/ftp/parse/epsv/standard", "Entering Extended Passive Mode (|||6446|)", TRUE, { 0 }, 6446 },
        { "/ftp/parse/epsv/exclamation-delimiter", "Entering Extended Passive Mode (!!!6446!)", TRUE, { 0 }, 6446 },
        { "/ftp/parse/epsv/trailing-dot", "Entering Extended Passive Mode (|||65535|).", TRUE, { 0 }, 65535 },
        { "/ftp/parse/epsv/accepts-227-form", "Entering Passive Mode (127,0,0,1,4,1)", TRUE, { 0 }, 1025 },
        { "/ftp/parse/epsv/port-over-65535", "Entering Extended Passive Mode (|||70000|)", FALSE, { 0 }, 0 },
        { "/ftp/parse/epsv/port-zero", "Entering Extended Passive Mode (|||0|)", FALSE, { 0 }, 0 },
        { "/ftp/parse/epsv/huge-port-no-wrap", "Entering Extended Passive Mode (|||4294973742|)", FALSE, { 0 }, 0 },
        { "/ftp/parse/epsv/mixed-delimiters", "Entering Extended Passive Mode (|!|6446|)", FALSE, { 0 }, 0 },
        { "/ftp/parse/epsv/digit-delimiter", "Entering Extended Passive Mode (11164461)", FALSE, { 0 }, 0 },
        { "/ftp/parse/epsv/missing-close", "Entering Extended Passive Mode (|||6446", FALSE, { 0 }, 0 },
        { "/ftp/parse/epsv/negative", "Entering Extended Passive Mode (|||-1|)", FALSE, { 0 }, 0 },
};

static void test_pasv(gconstpointer data)
{
        const PassiveCase *c = data;
        guint8 addr[4] = { 1, 1, 1, 1 };
        guint16 port = 7;
        g_autoptr(GError) error = NULL;
        gboolean ok = ftp_parse_pasv(c->text, addr, &port, &error);
        g_assert_cmpint(ok, ==, c->ok);
        if (!c->ok) {
                g_assert_error(error, FTP_PARSE_ERROR, FTP_PARSE_ERROR_BAD_REPLY);
                return;
        }
        g_assert_no_error(error);
        g_assert_cmpmem(addr, 4, c->addr, 4);
        g_assert_cmpuint(port, ==, c->port);
}

static void test_epsv(gconstpointer data)
{
        const PassiveCase *c = data;
        guint16 port = 7;
        g_autoptr(GError) error = NULL;
        gboolean ok = ftp_parse_epsv(c->text, &port, &error);
        g_assert_cmpint(ok, ==, c->ok);
        if (!c->ok) {
                g_assert_error(error, FTP_PARSE_ERROR, FTP_PARSE_ERROR_BAD_REPLY);
                g_assert_nonnull(strstr(error->message, "EPSV"));
                return;
        }
        g_assert_no_error(error);
        g_assert_cmpuint(port, ==, c->port);
}

typedef struct {
        const char *path;
        const char *reply;  /* a 227 or 229 text */
        gboolean trust;     /* trust_pasv_address */
        gboolean ok;        /* FALSE: refused as a privileged port */
        gboolean use_addr;  /* TRUE: connect to the 227 address, not to the control peer */
} TargetCase;

static const TargetCase target_cases[] = {
        { "/ftp/parse/pasv-target/untrusted-goes-to-peer", "Entering Passive Mode (10,0,0,7,195,80)", FALSE, TRUE,
          FALSE },
        { "/ftp/parse/pasv-target/trusted-uses-address", "Entering Passive Mode (10,0,0,7,195,80)", TRUE, TRUE,
          TRUE },
        { "/ftp/parse/pasv-target/trusted-0.0.0.0-goes-to-peer", "Entering Passive Mode (0,0,0,0,195,80)", TRUE,
          TRUE, FALSE },
        { "/ftp/parse/pasv-target/229-goes-to-peer-even-trusted", "Entering Extended Passive Mode (|||50000|)", TRUE,
          TRUE, FALSE },
        { "/ftp/parse/pasv-target/port-1024-allowed", "Entering Passive Mode (127,0,0,1,4,0)", FALSE, TRUE, FALSE },
        { "/ftp/parse/pasv-target/port-1023-refused", "Entering Passive Mode (127,0,0,1,3,255)", FALSE, FALSE,
          FALSE },
        { "/ftp/parse/pasv-target/smtp-port-refused-trusted", "Entering Passive Mode (192,0,2,9,0,25)", TRUE, FALSE,
          FALSE },
        { "/ftp/parse/pasv-target/port-21-refused", "Entering Passive Mode (127,0,0,1,0,21)", FALSE, FALSE, FALSE },
        { "/ftp/parse/pasv-target/epsv-port-22-refused", "Entering Extended Passive Mode (|||22|)", FALSE, FALSE,
          FALSE },
};

/* The whole decision as the session takes it: parse the reply, then judge its target. Port 0 is
 * refused by the parsers already (the pasv/epsv tables), and by the judgement too. */
static void test_pasv_target(gconstpointer data)
{
        const TargetCase *c = data;
        guint8 addr[4];
        guint16 port = 0;
        gboolean is_229 = strstr(c->reply, "Extended") != NULL;
        g_assert_true(is_229 ? ftp_parse_epsv(c->reply, &port, NULL) : ftp_parse_pasv(c->reply, addr, &port, NULL));
        gboolean use_addr = !c->use_addr;
        g_autoptr(GError) error = NULL;
        gboolean ok = ftp_parse_pasv_target(is_229 ? NULL : addr, port, c->trust, &use_addr, &error);
        g_assert_cmpint(ok, ==, c->ok);
        g_assert_cmpint(use_addr, ==, c->use_addr);
        if (c->ok) {
                g_assert_no_error(error);
                return;
        }
        g_assert_error(error, FTP_PARSE_ERROR, FTP_PARSE_ERROR_PRIVILEGED_PORT);
        g_autofree char *named = g_strdup_printf("port %u,", port);
        g_assert_nonnull(strstr(error->message, named));
}

static void test_pasv_target_port_zero(void)
{
        static const guint8 addr[4] = { 127, 0, 0, 1 };
        gboolean use_addr = TRUE;
        g_autoptr(GError) error = NULL;
        g_assert_false(ftp_parse_pasv_target(addr, 0, TRUE, &use_addr, &error));
        g_assert_error(error, FTP_PARSE_ERROR, FTP_PARSE_ERROR_PRIVILEGED_PORT);
        g_assert_false(use_addr);
}

typedef struct {
        const char *path;
        const char *text;
        const char *want; /* NULL: unknown */
} PwdCase;

static const PwdCase pwd_cases[] = {
        { "/ftp/parse/pwd/standard", "\"/home/user\" is the current directory", "/home/user" },
        { "/ftp/parse/pwd/quote-doubling", "\"/a\"\"b\" is cwd", "/a\"b" },
        { "/ftp/parse/pwd/doubled-quote-at-end", "\"/a\"\"\"", "/a\"" },
        { "/ftp/parse/pwd/rubbish-before-quote", "PWD: \"/srv/ftp\" ok", "/srv/ftp" },
        { "/ftp/parse/pwd/spaces-kept", "\"/my dir/ x \"", "/my dir/ x " },
        { "/ftp/parse/pwd/utf8-kept", "\"/tài liệu\"", "/tài liệu" },
        { "/ftp/parse/pwd/unterminated-is-unknown", "x \"/p", NULL },
        { "/ftp/parse/pwd/cr-inside-is-unknown", "\"/p\rQUIT\"", NULL },
        { "/ftp/parse/pwd/control-char-is-unknown", "\"/p\x1b[2J\"", NULL },
        { "/ftp/parse/pwd/no-quotes-is-unknown", "/home/user is current directory", NULL },
        { "/ftp/parse/pwd/empty-is-unknown", "\"\" is cwd", NULL },
};

static void test_pwd(gconstpointer data)
{
        const PwdCase *c = data;
        g_autofree char *got = ftp_parse_pwd(c->text);
        g_assert_cmpstr(got, ==, c->want);
}

typedef struct {
        const char *path;
        const char *text;
        gboolean ok;
        gint64 want;
} NumberCase;

static const NumberCase size_cases[] = {
        { "/ftp/parse/size/plain", "1234", TRUE, 1234 },
        { "/ftp/parse/size/zero", "0", TRUE, 0 },
        { "/ftp/parse/size/extra-text-after", "1234 bytes", TRUE, 1234 },
        { "/ftp/parse/size/max-int64", "9223372036854775807", TRUE, G_MAXINT64 },
        { "/ftp/parse/size/overflow", "9223372036854775808", FALSE, 0 },
        { "/ftp/parse/size/twenty-nines", "99999999999999999999", FALSE, 0 },
        { "/ftp/parse/size/negative", "-5", FALSE, 0 },
        { "/ftp/parse/size/plus-sign", "+5", FALSE, 0 },
        { "/ftp/parse/size/rubbish-before", "rubbish 1234", FALSE, 0 },
        { "/ftp/parse/size/rubbish-glued", "1234abc", FALSE, 0 },
        { "/ftp/parse/size/hex", "0x10", FALSE, 0 },
        { "/ftp/parse/size/empty", "", FALSE, 0 },
};

static const NumberCase mdtm_cases[] = {
        { "/ftp/parse/mdtm/plain", "20240229123456", TRUE, 1709210096 },
        { "/ftp/parse/mdtm/epoch", "19700101000000", TRUE, 0 },
        { "/ftp/parse/mdtm/milliseconds", "20240229123456.789", TRUE, 1709210096 },
        { "/ftp/parse/mdtm/extra-text-after", "20240229123456 GMT", TRUE, 1709210096 },
        { "/ftp/parse/mdtm/year-19100-bug", "191000101120000", FALSE, 0 },
        { "/ftp/parse/mdtm/month-13", "20241301000000", FALSE, 0 },
        { "/ftp/parse/mdtm/month-0", "20240001000000", FALSE, 0 },
        { "/ftp/parse/mdtm/feb-30", "20240230000000", FALSE, 0 },
        { "/ftp/parse/mdtm/feb-29-non-leap", "20230229000000", FALSE, 0 },
        { "/ftp/parse/mdtm/hour-24", "20240101240000", FALSE, 0 },
        { "/ftp/parse/mdtm/second-61", "20240101000061", FALSE, 0 },
        { "/ftp/parse/mdtm/before-1970", "19691231235959", FALSE, 0 },
        { "/ftp/parse/mdtm/too-short", "2024022912345", FALSE, 0 },
        { "/ftp/parse/mdtm/empty-fraction", "20240229123456.", FALSE, 0 },
        { "/ftp/parse/mdtm/rubbish-before", "x20240229123456", FALSE, 0 },
        { "/ftp/parse/mdtm/negative", "-20240229123456", FALSE, 0 },
};

static void test_size(gconstpointer data)
{
        const NumberCase *c = data;
        gint64 got = -42;
        g_assert_cmpint(ftp_parse_size(c->text, &got), ==, c->ok);
        g_assert_cmpint(got, ==, c->ok ? c->want : -42);
}

static void test_mdtm(gconstpointer data)
{
        const NumberCase *c = data;
        gint64 got = -42;
        g_assert_cmpint(ftp_parse_mdtm(c->text, &got), ==, c->ok);
        g_assert_cmpint(got, ==, c->ok ? c->want : -42);
}

static FtpReply *reply_of(int code, const char *const *lines)
{
        FtpReply *reply = ftp_reply_new();
        reply->code = code;
        for (; *lines; lines++)
                g_ptr_array_add(reply->lines, g_strdup(*lines));
        return reply;
}

static void test_feat_vsftpd(void)
{
        const char *lines[] = { "211-Features:", " AUTH SSL", " AUTH TLS", " EPRT", " EPSV", " MDTM", " PASV",
                                " PBSZ", " PROT", " REST STREAM", " SIZE", " TVFS", " UTF8", "211 End", NULL };
        g_autoptr(FtpReply) reply = reply_of(211, lines);
        g_autoptr(GHashTable) feat = ftp_parse_feat(reply);
        g_assert_cmpuint(g_hash_table_size(feat), ==, 11);
        g_assert_cmpstr(g_hash_table_lookup(feat, "AUTH"), ==, "SSL;TLS");
        g_assert_cmpstr(g_hash_table_lookup(feat, "REST"), ==, "STREAM");
        g_assert_cmpstr(g_hash_table_lookup(feat, "UTF8"), ==, "");
        g_assert_true(g_hash_table_contains(feat, "EPSV"));
        g_assert_false(g_hash_table_contains(feat, "MLSD"));
}

static void test_feat_mixed_forms(void)
{
        /* lower case, no indent, "211-" prefixes, MLST facts, a control character line ignored */
        const char *lines[] = { "211-Extensions supported:", " mlst type*;Size*;modify*;", "MLSD",
                                "211-UTF8", " AUTH TLS ", " bad\x1bline", " ", "211 END", NULL };
        g_autoptr(FtpReply) reply = reply_of(211, lines);
        g_autoptr(GHashTable) feat = ftp_parse_feat(reply);
        g_assert_cmpstr(g_hash_table_lookup(feat, "MLST"), ==, "type*;Size*;modify*;");
        g_assert_true(g_hash_table_contains(feat, "MLSD"));
        g_assert_true(g_hash_table_contains(feat, "UTF8"));
        g_assert_cmpstr(g_hash_table_lookup(feat, "AUTH"), ==, "TLS");
        g_assert_false(g_hash_table_contains(feat, "BAD"));
        g_assert_cmpuint(g_hash_table_size(feat), ==, 4);
}

static void test_feat_refused_is_empty(void)
{
        const char *lines[] = { "500 FEAT not understood", NULL };
        g_autoptr(FtpReply) reply = reply_of(500, lines);
        g_autoptr(GHashTable) feat = ftp_parse_feat(reply);
        g_assert_cmpuint(g_hash_table_size(feat), ==, 0);
        const char *single[] = { "211 No features", NULL };
        g_autoptr(FtpReply) none = reply_of(211, single);
        g_autoptr(GHashTable) empty = ftp_parse_feat(none);
        g_assert_cmpuint(g_hash_table_size(empty), ==, 0);
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        for (gsize i = 0; i < G_N_ELEMENTS(pasv_cases); i++)
                g_test_add_data_func(pasv_cases[i].path, &pasv_cases[i], test_pasv);
        for (gsize i = 0; i < G_N_ELEMENTS(epsv_cases); i++)
                g_test_add_data_func(epsv_cases[i].path, &epsv_cases[i], test_epsv);
        for (gsize i = 0; i < G_N_ELEMENTS(target_cases); i++)
                g_test_add_data_func(target_cases[i].path, &target_cases[i], test_pasv_target);
        g_test_add_func("/ftp/parse/pasv-target/port-0-refused", test_pasv_target_port_zero);
        for (gsize i = 0; i < G_N_ELEMENTS(pwd_cases); i++)
                g_test_add_data_func(pwd_cases[i].path, &pwd_cases[i], test_pwd);
        for (gsize i = 0; i < G_N_ELEMENTS(size_cases); i++)
                g_test_add_data_func(size_cases[i].path, &size_cases[i], test_size);
        for (gsize i = 0; i < G_N_ELEMENTS(mdtm_cases); i++)
                g_test_add_data_func(mdtm_cases[i].path, &mdtm_cases[i], test_mdtm);
        g_test_add_func("/ftp/parse/feat/vsftpd", test_feat_vsftpd);
        g_test_add_func("/ftp/parse/feat/mixed-forms", test_feat_mixed_forms);
        g_test_add_func("/ftp/parse/feat/refused-is-empty", test_feat_refused_is_empty);
        return g_test_run();
}
