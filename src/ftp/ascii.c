/* ftp/ascii.c — TYPE A line-end conversion for transfers: LF → CRLF on upload, CRLF → LF on download.
 * Owns: the byte-level conversion and its state across buffer boundaries.
 * Must not: do I/O or know about sessions. */
#include "config.h"
#include "ftp/ascii.h"

gsize ftp_ascii_encode(FtpAsciiEncoder *enc, const char *in, gsize len, char *out)
{
        gsize o = 0;
        for (gsize i = 0; i < len; i++) {
                char c = in[i];
                if (c == '\n' && !enc->last_was_cr)
                        out[o++] = '\r';
                out[o++] = c;
                enc->last_was_cr = (c == '\r');
        }
        return o;
}

gsize ftp_ascii_decode(FtpAsciiDecoder *dec, const char *in, gsize len, char *out)
{
        gsize o = 0;
        for (gsize i = 0; i < len; i++) {
                char c = in[i];
                if (dec->pending_cr) {
                        dec->pending_cr = FALSE;
                        if (c != '\n')
                                out[o++] = '\r';
                }
                if (c == '\r') {
                        dec->pending_cr = TRUE;
                        continue;
                }
                out[o++] = c;
        }
        return o;
}

gsize ftp_ascii_decode_finish(FtpAsciiDecoder *dec, char *out)
{
        if (!dec->pending_cr)
                return 0;
        dec->pending_cr = FALSE;
        out[0] = '\r';
        return 1;
}
