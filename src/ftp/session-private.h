/* ftp/session-private.h — the inside of FtpSession, shared by session.c (the exchange, simple
 * commands), session-login.c (connect and login) and session-data.c (data connections).
 * Must not: be included outside src/ftp. */
#pragma once
#include "ftp/session.h"
#include "common/net.h"

struct FtpSession {
        NetStream *ctrl;           /* NULL when not connected */
        FtpReplyParser *parser;
        char *host;
        guint16 port;
        char *user;
        char *cwd;                 /* last PWD answer, NULL if unknown */
        GHashTable *features;      /* FEAT keywords → argument; NULL before FEAT */
        gboolean logged_in;
        gboolean preauthenticated; /* 230 at greeting */
        FtpTimeouts timeouts;
        int cancel_fd;
        gboolean passive;
        gboolean trust_pasv_address;
        gboolean epsv_failed;      /* remembered per session: go straight to PASV */
        gboolean eprt_failed;      /* remembered per session: go straight to PORT */
        guint owed_replies;        /* replies a cancelled wait left unread: read before the next command */
        FtpType type;              /* what the user asked for */
        int sent_type;             /* what the server was last told: -1 unknown, else FtpType */
        void (*trace)(const char *line, gpointer data);
        gpointer trace_data;
};

/* The one command/reply exchange. Refuses CR/LF/NUL in `arg` (nothing sent), discards and
 * resynchronises after unsolicited replies, writes "VERB arg\r\n" in one write, reads one reply
 * (a 1xx is returned: the caller of a transfer wants it). 421, EOF, timeouts and oversized replies
 * close the session and return NULL with FTP_ERROR_CLOSED/TIMEOUT/PROTOCOL. */
FtpReply *ftp_session_exchange(FtpSession *session, const char *verb, const char *arg, GError **error);
/* Same, but a preliminary 1xx is skipped: returns the completion reply of a simple command. */
FtpReply *ftp_session_exchange_final(FtpSession *session, const char *verb, const char *arg, GError **error);
/* Sends without reading (ABOR, or the command that opens a transfer when the caller reads). */
gboolean ftp_session_send(FtpSession *session, const char *verb, const char *arg, GError **error);
/* Reads one reply until `deadline`; same failure handling as _exchange. */
FtpReply *ftp_session_read_reply(FtpSession *session, gint64 deadline, int cancel_fd, GError **error);
/* ftp_session_read_reply under the reply deadline and the cancel descriptor. */
FtpReply *ftp_session_read_next(FtpSession *session, GError **error);
/* Closes the session and sets `code` with "<why> The connection to HOST is closed: use `open`…". */
void ftp_session_fail_closed(FtpSession *session, GError **error, int code, const char *why);
/* Closes the control connection and forgets the login (no QUIT). */
void ftp_session_drop(FtpSession *session);
/* Sends TYPE when the server's current type differs. */
gboolean ftp_session_ensure_type(FtpSession *session, FtpType type, GError **error);
/* FTP_ERROR_REFUSED from a reply: "<what> was refused: 550 No such file." */
void ftp_session_set_refused(GError **error, const char *what, const FtpReply *reply);
void ftp_session_trace(FtpSession *session, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
