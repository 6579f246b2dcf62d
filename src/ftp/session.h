/* ftp/session.h — one FTP control connection and its data connections: the protocol engine.
 * Owns: the login state table, every command/reply exchange (through the one reply reader), 421 and
 * EOF handling, EPSV/PASV/EPRT/PORT, TYPE caching, transfers with ASCII conversion, timeouts.
 * Must not: touch the screen, print, prompt, or decide policy about local files.
 *
 * Calls block the calling thread (the FTP worker) but every wait is bounded by a deadline and
 * ends early when the cancel descriptor becomes readable. One session is used by one thread.
 * A cancel leaves the session usable: a cancelled transfer closes its data connection and sends
 * ABOR; a reply a cancelled wait left unread is read before the next command is sent. 421, EOF,
 * a reply timeout or an oversized reply close the session (FTP_ERROR_CLOSED/TIMEOUT/PROTOCOL). */
#pragma once
#include <glib.h>
#include "ftp/reply.h"
#include "ftp/listing.h"
#include "ftp/rate.h"
#include "common/certinfo.h"

#define FTP_ERROR (ftp_error_quark())
GQuark ftp_error_quark(void);
typedef enum {
        FTP_ERROR_NOT_CONNECTED, /* a command before `open` */
        FTP_ERROR_CONNECT,       /* could not reach the server */
        FTP_ERROR_TIMEOUT,       /* a reply, connect or transfer deadline passed */
        FTP_ERROR_CLOSED,        /* 421 or the server dropped the connection: session is gone */
        FTP_ERROR_PROTOCOL,      /* a reply we cannot make sense of; session resynchronised or closed */
        FTP_ERROR_LOGIN,         /* 530 or a refused USER/PASS/ACCT */
        FTP_ERROR_REFUSED,       /* the server answered 4xx/5xx to a command */
        FTP_ERROR_DATA,          /* the data connection failed (PASV/PORT, connect, accept, cut) */
        FTP_ERROR_CANCELLED,     /* the cancel descriptor fired (ABOR sent where needed) */
        FTP_ERROR_LOCAL,         /* reading or writing the local file failed */
        FTP_ERROR_BAD_ARGUMENT,  /* CR, LF or NUL in an argument: nothing was sent */
        FTP_ERROR_TLS,           /* TLS required but not offered, bytes in clear after 234, a failed
                                    handshake, a data connection the server refused to resume */
        FTP_ERROR_CERTIFICATE,   /* the certificate does not verify and its fingerprint is not allowed:
                                    ftp_session_peer_certificate() describes it; nothing was sent */
        FTP_ERROR_NO_REST,       /* a download from an offset: the server refused REST (nothing was
                                    written; the session is usable) */
        FTP_ERROR_ENDED_EARLY,   /* an upload whose data connection failed after the server's 2xx:
                                    the server may keep a short copy under the name (session usable) */
} FtpErrorCode;

/* When to use TLS (explicit FTPS: AUTH TLS right after the greeting, then PBSZ 0 and PROT P after
 * login). AUTO uses it whenever AUTH TLS succeeds and goes on in plain FTP when the server refuses;
 * REQUIRE refuses to send USER on a connection that is not encrypted; OFF never sends AUTH. */
typedef enum { FTP_TLS_AUTO, FTP_TLS_REQUIRE, FTP_TLS_OFF } FtpTlsPolicy;

typedef enum { FTP_TYPE_BINARY, FTP_TYPE_ASCII } FtpType;

typedef struct {
        int connect_ms;  /* control and data connect/accept */
        int reply_ms;    /* one complete reply */
        int data_ms;     /* data connection idle (no byte moved) */
} FtpTimeouts;

/* Progress of a transfer: bytes moved so far and the total (-1 unknown). Called from the worker
 * thread at most every 64 KiB or 100 ms. */
typedef void (*FtpProgressFunc)(guint64 done, gint64 total, gpointer user_data);

typedef struct FtpSession FtpSession;

FtpSession *ftp_session_new(void);
void ftp_session_free(FtpSession *session); /* closes without QUIT */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FtpSession, ftp_session_free)

void ftp_session_set_timeouts(FtpSession *session, const FtpTimeouts *timeouts);
void ftp_session_set_cancel_fd(FtpSession *session, int cancel_fd); /* -1: none */
void ftp_session_set_passive(FtpSession *session, gboolean passive);
gboolean ftp_session_get_passive(FtpSession *session);
/* Use the address inside a 227 reply instead of the control peer's (off by default). */
void ftp_session_set_trust_pasv_address(FtpSession *session, gboolean trust);
void ftp_session_set_type(FtpSession *session, FtpType type); /* sent lazily, cached */
FtpType ftp_session_get_type(FtpSession *session);
/* TLS policy (default AUTO). implicit: TLS starts before the greeting (ftps://, port 990); it
 * implies REQUIRE. max_version: 0 for the newest, 12 or 13 to cap it (tests, broken servers). */
void ftp_session_set_tls(FtpSession *session, FtpTlsPolicy policy, gboolean implicit);
void ftp_session_set_tls_max_version(FtpSession *session, int max_version);
/* A certificate that does not verify is still accepted when its SHA-256 fingerprint ("AB:CD:…",
 * any case or separators) was allowed here. NULL forgets every allowed fingerprint. */
void ftp_session_allow_fingerprint(FtpSession *session, const char *sha256);
gboolean ftp_session_is_tls(FtpSession *session);             /* the control connection is encrypted */
gboolean ftp_session_data_protected(FtpSession *session);     /* PROT P accepted */
/* The control connection's certificate from the last handshake (also after FTP_ERROR_CERTIFICATE);
 * NULL when there was none. Owned by the session. */
const TlsPeerInfo *ftp_session_peer_certificate(FtpSession *session);
/* One line for `status` and the status bar: "TLS 1.3 (cipher), certificate CN=… (verified)" or
 * "plain FTP: the password was sent in clear". */
char *ftp_session_security_summary(FtpSession *session); /* transfer full */

/* Optional log of the conversation ("--> CMD", "<-- reply"; PASS masked). */
void ftp_session_set_trace(FtpSession *session, void (*trace)(const char *line, gpointer), gpointer data);
/* Puts `label` ("[2] ") before each line of that log, so that the lines of several connections
 * can be told apart; NULL: none. */
void ftp_session_set_trace_label(FtpSession *session, const char *label);

/* Connects and reads the greeting (120 then 220 handled; 421 at greeting reported). */
gboolean ftp_session_connect(FtpSession *session, const char *host, guint16 port, GError **error);
/* USER/PASS (ACCT when asked), PBSZ 0 and PROT P over TLS, then FEAT, OPTS UTF8 ON when offered,
 * PWD. Under FTP_TLS_REQUIRE nothing is sent on a plain connection (FTP_ERROR_TLS). The
 * credentials are kept (wiped on free) to reconnect once when a server refuses a data connection
 * that did not resume the TLS session (425/450/522). */
gboolean ftp_session_login(FtpSession *session, const char *user, const char *password,
                           const char *account, GError **error);
gboolean ftp_session_is_connected(FtpSession *session);
gboolean ftp_session_is_logged_in(FtpSession *session);
const char *ftp_session_host(FtpSession *session);
guint16 ftp_session_port(FtpSession *session);
const char *ftp_session_user(FtpSession *session);
const char *ftp_session_cwd(FtpSession *session); /* last known, from PWD; NULL if unknown */
/* "MLSD", "EPSV", … from FEAT (MLST implies MLSD, RFC 3659). */
gboolean ftp_session_has_feature(FtpSession *session, const char *feature);
/* QUIT (short deadline) and close. Safe when not connected. */
void ftp_session_quit(FtpSession *session);
/* NOOP, for keep-alive. */
gboolean ftp_session_noop(FtpSession *session, GError **error);
/* Waits `ms` milliseconds (the pause before a reconnect) unless the cancel descriptor fires first
 * (FTP_ERROR_CANCELLED). Sends nothing. */
gboolean ftp_session_pause(FtpSession *session, guint ms, GError **error);

/* Directory commands. */
char *ftp_session_pwd(FtpSession *session, GError **error); /* transfer full */
gboolean ftp_session_cwd_to(FtpSession *session, const char *path, GError **error);
gboolean ftp_session_cdup(FtpSession *session, GError **error);
gboolean ftp_session_mkdir(FtpSession *session, const char *path, GError **error);
gboolean ftp_session_rmdir(FtpSession *session, const char *path, GError **error);
gboolean ftp_session_delete(FtpSession *session, const char *path, GError **error);
gboolean ftp_session_rename(FtpSession *session, const char *from, const char *to, GError **error);
/* The speed limits this session's file transfers keep (ftp/rate.h; shared, taken a reference
 * of; NULL: none). Listings are never slowed. */
void ftp_session_set_rate_limits(FtpSession *session, FtpRateLimits *limits);
/* SITE CHMOD with MODE in octal (at most 07777); FTP_ERROR_REFUSED when the server will not. */
gboolean ftp_session_chmod(FtpSession *session, guint mode, const char *path, GError **error);
/* SIZE (sends TYPE I first when needed) and MDTM; FALSE with FTP_ERROR_REFUSED when unknown. */
gboolean ftp_session_size(FtpSession *session, const char *path, gint64 *size, GError **error);
gboolean ftp_session_mdtm(FtpSession *session, const char *path, gint64 *unix_time, GError **error);
/* MFMT (draft-somers-ftp-mfxx): sets the server's modification time of `path`; callers check the
 * MFMT feature first. */
gboolean ftp_session_mfmt(FtpSession *session, const char *path, gint64 unix_time, GError **error);

/* Listings: MLSD when offered, else LIST (parsed). path may be NULL for the current directory. */
GPtrArray *ftp_session_list(FtpSession *session, const char *path, GError **error); /* FtpEntry*, transfer full */
/* The raw LIST text, for `ls` output as the server formats it. */
char *ftp_session_list_raw(FtpSession *session, const char *path, GError **error); /* transfer full */
GPtrArray *ftp_session_nlst(FtpSession *session, const char *path, GError **error); /* char*, transfer full */

/* Downloads `remote` into local_fd (written from its current position), starting at `offset`
 * (REST) when > 0 (FTP_ERROR_NO_REST when the server refuses it). In ASCII type CRLF becomes LF. Done only when both the data EOF and the final
 * 2xx arrived; a cut transfer is an FTP_ERROR_DATA error with the bytes written so far kept. */
gboolean ftp_session_retr(FtpSession *session, const char *remote, int local_fd, gint64 offset,
                          gint64 expected_size, FtpProgressFunc progress, gpointer progress_data,
                          guint64 *bytes_written, GError **error);
/* Uploads `size` bytes read with pread() from local_fd starting at 0 (a snapshot: the file
 * position is not used). In ASCII type LF becomes CRLF. */
gboolean ftp_session_stor(FtpSession *session, const char *remote, int local_fd, gint64 size,
                          FtpProgressFunc progress, gpointer progress_data, GError **error);
/* Resumes an upload: sends bytes offset .. size - 1 of local_fd (pread(), as ftp_session_stor)
 * with REST offset then STOR; when the server refuses REST, with APPE (which appends at the
 * server's own end of the file: the caller checks with SIZE that it is `offset`). Binary type
 * only (FTP_ERROR_BAD_ARGUMENT in ASCII). Progress counts from offset up to size. *appended
 * (may be NULL) tells whether APPE was used. An offset of 0 is a plain ftp_session_stor. */
gboolean ftp_session_stor_from(FtpSession *session, const char *remote, int local_fd, gint64 offset,
                               gint64 size, FtpProgressFunc progress, gpointer progress_data,
                               gboolean *appended, GError **error);

/* How this session logged in, for another session to log in the same way (an extra connection of
 * a batch): host, port, TLS policy (REQUIRE when this one is encrypted), implicit TLS, maximum
 * version, the fingerprint its certificate was accepted by (none for a verified one), user,
 * password and account, passive, trust of the PASV address, timeouts, type, trace and current
 * directory. Call it on the session's own thread. NULL when not logged in (a session the server
 * dropped: how it was logged in then). The secrets are wiped by _free. transfer full */
typedef struct FtpSessionProfile FtpSessionProfile;
FtpSessionProfile *ftp_session_profile(FtpSession *session);
void ftp_session_profile_free(FtpSessionProfile *profile);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FtpSessionProfile, ftp_session_profile_free)
const char *ftp_session_profile_host(const FtpSessionProfile *profile);
/* Connects, logs in and changes to the profile's directory. A certificate that does not verify
 * is accepted only when it is the one the profile's session accepted. On failure the session is
 * closed (the error says why: a 421 "too many connections" greeting is FTP_ERROR_CONNECT or
 * FTP_ERROR_CLOSED, a refused login FTP_ERROR_LOGIN). */
gboolean ftp_session_open_like(FtpSession *session, const FtpSessionProfile *profile, GError **error);
/* A session the server dropped while it was logged in (EOF, 421, a timeout; not a QUIT) keeps
 * how it logged in, until a QUIT or another login: ftp_session_profile() then returns that, and
 * ftp_session_reconnect() logs in again the same way (ftp_session_open_like: the same
 * credentials, TLS and accepted certificate, type, mode and directory). */
gboolean ftp_session_can_reconnect(FtpSession *session);
/* Reads what the server sent while nobody asked (a 421 before an idle timeout's close, EOF)
 * without sending a command: FALSE, with why, when the session turned out to be gone (or was). */
gboolean ftp_session_check_alive(FtpSession *session, GError **error);
gboolean ftp_session_reconnect(FtpSession *session, GError **error);

/* Takes the "use `open` to reconnect" hint off the end of an error of this session (the caller
 * reconnects by itself). */
void ftp_session_drop_open_hint(FtpSession *session, GError *error);

/* ---- what the server says a stored file's digest is (session-digest.c) ---- */
typedef enum {
        FTP_DIGEST_NONE,
        FTP_DIGEST_SHA256,
        FTP_DIGEST_SHA512,
        FTP_DIGEST_SHA1,
        FTP_DIGEST_MD5,
        FTP_DIGEST_CRC32,    /* the weakest: catches a damaged copy, proves nothing against a liar */
} FtpDigestAlgo;
typedef struct {
        FtpDigestAlgo algo;
        gboolean via_hash;   /* HASH (with OPTS HASH), else the older X<ALGO> command */
} FtpDigestMethod;
/* The strongest algorithm FEAT offers a digest of a stored file in: SHA-256, SHA-512, SHA-1, MD5,
 * CRC-32, each by HASH when its list names it, else by XSHA256, XSHA512, XSHA1, XMD5, XCRC (CRC-32
 * last: it proves nothing against a server that lies, but still catches a copy of the right size
 * with other bytes, which SIZE cannot). FTP_DIGEST_NONE when none. */
FtpDigestMethod ftp_session_digest_method(FtpSession *session);
/* "HASH SHA-256", "XSHA256", "none". transfer full */
char *ftp_digest_method_name(FtpDigestMethod method);
/* The server's digest of `path` by `method`, lowercase hex; *said (may be NULL): the reply's text
 * as it came (escaped), for the audit log. NULL with FTP_ERROR_REFUSED when the server would not
 * tell (XSHA256 refuses a name with a space on ProFTPD), FTP_ERROR_PROTOCOL when the answer holds
 * no digest of that algorithm over the whole file. transfer full */
char *ftp_session_remote_digest(FtpSession *session, const char *path, FtpDigestMethod method, char **said,
                                GError **error);
/* The digest a reply to `method`'s command holds (the parser of ftp_session_remote_digest, pure):
 * lowercase hex of the algorithm's length, or NULL when the reply holds none. transfer full */
char *ftp_digest_parse_reply(const FtpReply *reply, FtpDigestMethod method);

/* Sends one raw command (user's `quote`) and returns its reply. */
FtpReply *ftp_session_command(FtpSession *session, const char *command, GError **error);

/* TRUE for a failure a new connection may not meet (the server could not be reached, went away,
 * timed out, garbled a reply, cut a transfer); FALSE for a refusal that would come again (a
 * password, a certificate, TLS, a 5xx) and for a cancel. */
gboolean ftp_error_is_transient(const GError *error);

/* TRUE if s holds CR, LF or NUL: such an argument is refused before anything is sent. */
gboolean ftp_string_has_ctrl(const char *s);
