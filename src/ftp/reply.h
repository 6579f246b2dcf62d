/* ftp/reply.h — one complete FTP reply, the incremental parser that assembles it, and the
 * reader that feeds the parser from the control connection.
 * Owns: line assembly, multi-line rules (RFC 959 4.2), Telnet IAC decoding, the caps on line
 * length, reply size, line count and reply time. Must not: send commands or know about transfers. */
#pragma once
#include <glib.h>
#include "common/net.h"

#define FTP_REPLY_MAX_LINE  8192           /* bytes in one line, CRLF excluded */
#define FTP_REPLY_MAX_BYTES (256 * 1024)   /* bytes in one reply */
#define FTP_REPLY_MAX_LINES 1000           /* lines in one reply */
#define FTP_REPLY_GRACE_MS  200            /* wait for more bytes after a mismatched terminator */

typedef struct {
        int code;          /* 100..599 */
        GPtrArray *lines;  /* char *, every line as received (IAC decoded, CR/LF stripped) */
        char *text;        /* the final line's text after "DDD " (for parsing) */
        char *shown;       /* text escaped for a terminal (common/escape.h): for messages */
        gboolean mismatched_terminator; /* ended on "EEE " != first code after the grace period;
                                           `code` stays the first line's, `text` is the "EEE " line's */
} FtpReply;

FtpReply *ftp_reply_new(void);
void ftp_reply_free(FtpReply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FtpReply, ftp_reply_free)
/* All lines joined by "\n", each stripped of its "DDD-"/"DDD " prefix where present. */
char *ftp_reply_joined_text(const FtpReply *reply); /* transfer full */
static inline int ftp_reply_class(const FtpReply *reply) { return reply->code / 100; }

#define FTP_REPLY_ERROR (ftp_reply_error_quark())
GQuark ftp_reply_error_quark(void);
typedef enum {
        FTP_REPLY_ERROR_LINE_TOO_LONG,
        FTP_REPLY_ERROR_TOO_LARGE,     /* bytes or lines over the caps */
        FTP_REPLY_ERROR_MALFORMED,     /* no 3-digit code, NUL byte, bad continuation */
        FTP_REPLY_ERROR_TIMEOUT,       /* the per-reply deadline passed */
        FTP_REPLY_ERROR_CLOSED,        /* end of stream before a complete reply */
} FtpReplyErrorCode;

/* Pure parser: no I/O, so every parsing rule is unit-testable. */
typedef struct FtpReplyParser FtpReplyParser;
FtpReplyParser *ftp_reply_parser_new(void);
void ftp_reply_parser_free(FtpReplyParser *parser);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FtpReplyParser, ftp_reply_parser_free)

typedef enum {
        FTP_PARSE_NEED_MORE,  /* feed more bytes */
        FTP_PARSE_DONE,       /* *out holds one complete reply; leftover bytes stay buffered */
        FTP_PARSE_TENTATIVE,  /* a multi-line reply ended with a different code: complete only if no
                                 more bytes arrive within FTP_REPLY_GRACE_MS (call _accept) */
        FTP_PARSE_ERROR,
} FtpParseStatus;

/* Appends raw bytes (bounded: fails with TOO_LARGE beyond the caps). */
gboolean ftp_reply_parser_push(FtpReplyParser *parser, const char *buf, gsize len, GError **error);
/* Takes the next complete reply out of the buffered bytes. */
FtpParseStatus ftp_reply_parser_next(FtpReplyParser *parser, FtpReply **out, GError **error);
/* After FTP_PARSE_TENTATIVE and a quiet grace period: accept the reply as it stands. */
FtpReply *ftp_reply_parser_accept_tentative(FtpReplyParser *parser);
/* Bytes received but not yet part of a returned reply (e.g. bytes pipelined after 234). */
gsize ftp_reply_parser_pending(const FtpReplyParser *parser);
/* Drops everything buffered (after a resynchronisation). */
void ftp_reply_parser_reset(FtpReplyParser *parser);

/* Reads one complete reply from stream: waits until `deadline` at most (and never longer than
 * the caps allow), handles the tentative-terminator grace period. Returns NULL with an error in
 * FTP_REPLY_ERROR or NET_ERROR. A 421 is returned as a normal reply; the session decides. */
FtpReply *ftp_reply_read(FtpReplyParser *parser, NetStream *stream, gint64 deadline, int cancel_fd,
                         GError **error);
