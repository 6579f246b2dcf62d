/* ftp/ascii.h — TYPE A line-end conversion for transfers: LF → CRLF on upload, CRLF → LF on download.
 * Owns: the byte-level conversion and its state across buffer boundaries.
 * Must not: do I/O or know about sessions. */
#pragma once
#include <glib.h>

/* Upload direction: a bare LF becomes CRLF (an LF already preceded by CR is left alone, also when
 * the CR ended the previous buffer). `out` must hold 2 * len bytes. Returns the bytes written. */
typedef struct {
        gboolean last_was_cr;
} FtpAsciiEncoder;
gsize ftp_ascii_encode(FtpAsciiEncoder *enc, const char *in, gsize len, char *out);

/* Download direction: CRLF becomes LF; a lone CR is kept. A CR at the end of a buffer is held back
 * until the next buffer (or _finish) shows what follows. `out` must hold len + 1 bytes. */
typedef struct {
        gboolean pending_cr;
} FtpAsciiDecoder;
gsize ftp_ascii_decode(FtpAsciiDecoder *dec, const char *in, gsize len, char *out);
/* At end of data: emits a held-back CR (returns 0 or 1). */
gsize ftp_ascii_decode_finish(FtpAsciiDecoder *dec, char *out);
