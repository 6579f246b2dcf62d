/* ftp/session-private.h — the inside of FtpSession, shared by session.c (the exchange, simple
 * commands), session-login.c (connect and login) and session-data.c (data connections).
 * Must not: be included outside src/ftp. */
#pragma once
#include "ftp/session.h"
#include "common/net.h"
#include "common/tls.h"
#include "ftp/rate.h"

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
        gboolean mlsd_failed;      /* MLSD not implemented (500/502/504) or not MLSD: LIST from now on */
        int hash_algo;             /* the FtpDigestAlgo OPTS HASH chose on this connection, -1: none yet */
        guint owed_replies;        /* replies a cancelled wait left unread: read before the next command */
        guint abor_owed;           /* answers to an ABOR not yet come (426, 225, 226): a reply with one
                                    * of those codes read before any other is one of them */
        gboolean sent_while_owed;  /* a command went out while abor_owed: its reply follows them */
        FtpType type;              /* what the user asked for */
        int sent_type;             /* what the server was last told: -1 unknown, else FtpType */
        void (*trace)(const char *line, gpointer data);
        gpointer trace_data;
        char *trace_label;         /* put before each trace line ("[2] "), NULL: none */
        FtpRateLimits *limits;     /* speed limits shared with the context's other connections, or NULL */

        /* TLS */
        FtpTlsPolicy tls_policy;
        gboolean tls_implicit;
        int tls_max_version;       /* 0, 12 or 13 */
        TlsContext *tls;           /* made at connect when TLS may be used; holds the control session */
        gboolean prot_private;     /* PROT P accepted: data connections are TLS */
        TlsPeerInfo *peer;         /* the control certificate of the last handshake */
        gboolean peer_pinned;      /* accepted by an allowed fingerprint, not by the system's roots */
        GPtrArray *fingerprints;   /* allowed "AB:CD:…" for certificates that do not verify */
        char *password;            /* kept to reconnect after a "not resumed" refusal; wiped */
        char *account;
        gboolean data_not_resumed; /* the last transfer failed because TLS was not resumed */
        FtpSessionProfile *lost;   /* how it was logged in when the server dropped it (not a QUIT):
                                      for ftp_session_reconnect; cleared by a QUIT or a new login */
};

/* TLS handshake on the control connection, then the certificate check (system roots, else an
 * allowed fingerprint). On failure the session is closed. */
gboolean ftp_session_start_tls(FtpSession *session, GError **error);
/* The certificate check for a finished handshake; `control` FALSE: a data connection that was not
 * resumed must show the control connection's certificate (or one that verifies). */
gboolean ftp_session_check_peer(FtpSession *session, TlsPeerInfo *info, gboolean control, GError **error);

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
/* session-profile.c: a profile of the logged-in session `s` (its control connection still open). */
FtpSessionProfile *ftp_session_profile_of(FtpSession *session);
/* Overwrites and frees a secret (password, account). */
void ftp_session_wipe_secret(char **secret);
/* Sends TYPE when the server's current type differs. */
gboolean ftp_session_ensure_type(FtpSession *session, FtpType type, GError **error);
/* FTP_ERROR_REFUSED from a reply: "<what> was refused: 550 No such file." */
void ftp_session_set_refused(GError **error, const char *what, const FtpReply *reply);
void ftp_session_trace(FtpSession *session, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
