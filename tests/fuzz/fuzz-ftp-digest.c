/* tests/fuzz/fuzz-ftp-digest.c — the server's answer to HASH and XSHA256/XSHA512/XSHA1/XMD5/XCRC
 * (ftp_digest_parse_reply, ftp/session-digest.c), the reply read by the reply parser first. The
 * first byte picks the algorithm and the command. Property: a digest is lowercase hex of exactly
 * the algorithm's length (a CRC-32 padded with zeros), and only from a 2xx reply. */
#include "tests/fuzz/fuzz.h"
#include "ftp/session.h"

FUZZ_INITIALIZE_STRICT()

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const gsize hex_len[] = { [FTP_DIGEST_SHA256] = 64, [FTP_DIGEST_SHA512] = 128,
                                         [FTP_DIGEST_SHA1] = 40, [FTP_DIGEST_MD5] = 32,
                                         [FTP_DIGEST_CRC32] = 8 };
        guint8 choice = fuzz_take_byte(&data, &size);
        FtpDigestMethod method = { (FtpDigestAlgo)(FTP_DIGEST_SHA256 + (choice >> 1) % 5), choice & 1 };
        g_autoptr(FtpReplyParser) parser = ftp_reply_parser_new();
        if (!ftp_reply_parser_push(parser, (const char *)data, size, NULL))
                return 0;
        g_autoptr(FtpReply) reply = NULL;
        if (ftp_reply_parser_next(parser, &reply, NULL) == FTP_PARSE_TENTATIVE)
                reply = ftp_reply_parser_accept_tentative(parser);
        if (!reply)
                return 0;
        g_autofree char *digest = ftp_digest_parse_reply(reply, method);
        if (!digest)
                return 0;
        FUZZ_ASSERT(ftp_reply_class(reply) == 2);
        FUZZ_ASSERT(strlen(digest) == hex_len[method.algo]);
        for (const char *p = digest; *p; p++)
                FUZZ_ASSERT(g_ascii_isdigit(*p) || (*p >= 'a' && *p <= 'f'));
        FtpDigestMethod none = { FTP_DIGEST_NONE, FALSE };
        FUZZ_ASSERT(ftp_digest_parse_reply(reply, none) == NULL);
        return 0;
}
