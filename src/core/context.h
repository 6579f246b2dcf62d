/* core/context.h — the state every command shares, and the front end's side of the contract.
 * Owns: settings the user toggles (prompt, passive, type), the connection's identity, the
 * scanner and audit log, the exit status. Must not: print or read the terminal itself; it asks
 * the front end (line mode or the TUI) through CoreFrontend. */
#pragma once
#include <glib.h>
#include "ftp/session.h"
#include "scan/client.h"
#include "scan/audit.h"
#include "core/verdict.h"

typedef struct CoreWorker CoreWorker;
typedef struct CoreJournal CoreJournal;

typedef enum {
        CORE_MSG_INFO,    /* "226 Transfer complete", "Uploaded x (12 KiB)" */
        CORE_MSG_WARNING, /* a skipped hostile name, a file the user declined */
        CORE_MSG_ERROR,   /* a failed command */
        CORE_MSG_OUTPUT,  /* command output proper: `ls` lines, `pwd`, `status`, `help` */
} CoreMsgKind;

typedef enum {
        CORE_ANSWER_YES,
        CORE_ANSWER_NO,
        CORE_ANSWER_ALL,  /* yes to this and every later question of the same command */
        CORE_ANSWER_QUIT, /* no to this and stop the command */
} CoreAnswer;

/* One answer of a choice: the key that takes it and what it does ("overwrite all"). */
typedef struct {
        int key;            /* a character: 'o', 'O', … (case counts) */
        const char *label;  /* translated */
} CoreChoice;

/* What the user answered about a certificate that does not verify. */
typedef enum {
        CORE_CERT_REFUSE = 0,
        CORE_CERT_TRUST,        /* from now on: stored in the trusted-certificates file */
        CORE_CERT_TRUST_ONCE,   /* for this session only: kept in memory (CoreContext.trusted_once) */
} CoreCertAnswer;

/* Implemented by line mode and by the TUI. `message` and `progress` may be called from any
 * thread (the front end serialises); `ask` and `prompt` only from the thread running a command. */
typedef struct {
        void (*message)(CoreMsgKind kind, const char *text, gpointer data);
        void (*progress)(const char *name, guint64 done, gint64 total, gpointer data);
        CoreAnswer (*ask)(const char *question, gpointer data);               /* yes/no/all/quit */
        char *(*prompt)(const char *label, gboolean secret, gpointer data);  /* NULL: cancelled */
        gpointer data;
        /* Optional (NULL: `ask` gets the certificate as text). From the thread running a command:
         * shows a certificate of `server` ("host:port") that does not verify. With `stored` NULL it
         * asks whether to trust it, from now on or for this session only (the default and Esc
         * refuse); with `stored` (the fingerprint trusted before) it is a warning that the
         * certificate changed, and it returns CORE_CERT_REFUSE once the user has seen it. It has
         * its own data because relays replace `data`. */
        CoreCertAnswer (*certificate)(const char *server, const TlsPeerInfo *cert, const char *stored,
                                      gpointer certificate_data);
        gpointer certificate_data;
        /* Optional (NULL: the caller asks a yes/no question instead). From the thread running a
         * command: one of several answers to `question` (a batch's conflict: overwrite, resume,
         * rename, skip, … all); the index of the answer taken, -1 when cancelled. `edit` asks for a
         * line of text that starts from `initial` (NULL: cancelled). Their own data, as above. */
        int (*choose)(const char *question, const CoreChoice *choices, guint n_choices, gpointer choose_data);
        char *(*edit)(const char *label, const char *initial, gpointer choose_data);
        gpointer choose_data;
} CoreFrontend;

/* Exit status, as documented in --help and the README. */
enum {
        CORE_EXIT_OK = 0,       /* everything asked was done */
        CORE_EXIT_REFUSED = 1,  /* the scanner refused (INFECTED or no verdict) at least one file */
        CORE_EXIT_FAILURE = 2,  /* any other failure */
};

typedef struct {
        CoreFrontend fe;
        CoreWorker *worker;       /* owns the FtpSession on its own thread */

        /* connection identity, for `status` and messages */
        char *host;
        guint16 port;
        char *user;
        /* the last server connected to, for `open` without an argument (no password is kept) */
        char *last_host;
        guint16 last_port;
        gboolean last_implicit_tls;
        char *last_user;
        char *site;               /* the saved site this connection was opened as (core/sites.h), or NULL */
        char *last_site;          /* the site of the last connection: `open` alone opens it again */
        gboolean connected;       /* a control connection is open (FALSE after close or FTP_ERROR_CLOSED) */
        gboolean verbose;         /* show the protocol conversation */
        gboolean quit_requested;  /* `quit`: the front end stops reading commands */

        /* settings the user toggles */
        gboolean prompt;          /* ask per file in mput/mget and before overwriting */
        gboolean passive;
        FtpType type;
        gboolean trust_pasv_address;
        guint parallel;           /* connections a batch of transfers may use (1: only the main one),
                                     CORE_PARALLEL_DEFAULT unless set, at most CORE_PARALLEL_MAX */
        gboolean temp_upload;     /* uploads go to a temporary name beside the target and are
                                     renamed onto it once stored and checked (`temp-upload`,
                                     [transfer] temp-upload; off by default) */
        guint reconnect;          /* tries to reconnect a connection lost during a batch (0: none),
                                     CORE_RECONNECT_DEFAULT unless set (`reconnect`, --reconnect,
                                     [ftp] reconnect), at most CORE_RECONNECT_MAX */
        FtpRateLimits *limits;    /* speed limits of every connection's transfers (`set limit-rate`,
                                     `set limit-total`, --limit-rate, [transfer] limit-rate …):
                                     one object shared with the workers, changed at any time */
        FtpTimeouts timeouts;

        /* TLS (FTPS) */
        FtpTlsPolicy tls_policy;  /* --tls / [ftp] tls: auto (default), require, off */
        int tls_max_version;      /* [ftp] tls-max-version: 0 newest, 12 or 13 */
        char *trust_fingerprint;  /* --trust-fingerprint: accept a certificate with this SHA-256 */
        gboolean ask_certificates;/* the TUI sets it: a certificate that does not verify is shown and
                                     asked about once (core_trust_decide); line mode refuses it */
        GHashTable *trusted_once; /* "host:port" → SHA-256 the user trusted for this session only
                                     (never written; core/trust.c), owned by the thread running
                                     commands */
        char *security;           /* for `status` and the status bar: TLS version, cipher and
                                     certificate, or "plain FTP: the password was sent in clear" */
        char *pinned_fingerprint; /* the connection's certificate when it was accepted by its
                                     SHA-256 fingerprint rather than the system's roots, else NULL */
        gboolean implicit_tls;    /* the connection began with TLS (ftps://, port 990) */

        /* the queue's journal (core/journal.h): the front end opens it; NULL: none is kept */
        CoreJournal *journal;

        /* scanning: no option turns it off */
        char *scanner_address;    /* "unix:/path", "tcp:host:port", or a list of them (a pool) */
        ScanClient *scanner;
        int scanner_wait_ms;      /* how long a scan waits for a scanner that gives no verdict to
                                     come back (`set scanner-wait`, --scanner-wait) */
        ScanAudit *audit;
        CoreVerdict *last_verdict;/* the scanner's last answer (with its path), NULL: none yet */
        guint verdicts;           /* answers recorded so far: a front end sees whether a command
                                     brought a new one */
        char *tmpdir;             /* where large snapshots are spooled (NULL: default) */

        /* outcome of everything run so far */
        gboolean any_refused;     /* a file was refused by the scanner */
        gboolean any_failed;      /* anything else failed */
        gint failures;            /* core_fail calls so far (atomic): line mode stops a script at
                                     the first command that adds one */
} CoreContext;

/* Defaults: prompt on, passive on, binary, a scanner client for CORE_DEFAULT_SCANNER (it is
 * contacted per file, not here). Creates the worker thread. fe is copied. */
CoreContext *core_context_new(const CoreFrontend *fe);
void core_context_free(CoreContext *ctx); /* closes ctx->journal too */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreContext, core_context_free)

/* Connections a batch of transfers may use (`parallel`, --parallel, [transfer] parallel). */
#define CORE_PARALLEL_DEFAULT 4
#define CORE_PARALLEL_MAX 16
/* Tries to reconnect a lost connection during a batch (`reconnect`), 1, 2, 4 … s apart. */
#define CORE_RECONNECT_DEFAULT 5
#define CORE_RECONNECT_MAX 100
/* The pause before reconnect try `n` (0 for the first paused one): first_ms doubled n times, at
 * most 32 times first_ms. */
static inline guint core_reconnect_pause_ms(guint first_ms, guint n)
{
        return first_ms << MIN(n, 5);
}

/* Debian clamd's socket: the scanner used unless the user configures another. */
#define CORE_DEFAULT_SCANNER "unix:/run/clamav/clamd.ctl"
/* A scanner that gives no verdict is waited for this long before a file is refused. */
#define CORE_SCANNER_WAIT_DEFAULT_S 60
#define CORE_SCANNER_WAIT_MAX_S 86400
/* A pool of scanners gets one scan in flight per member, up to this many. */
#define CORE_SCANS_IN_FLIGHT_MAX 8
/* Replaces the scanner client ("unix:/path", "tcp:host:port", or a comma-separated list: a
 * pool); timeout_ms 0 keeps the default. The wait is ctx->scanner_wait_ms. */
gboolean core_context_set_scanner(CoreContext *ctx, const char *address, int timeout_ms, GError **error);
/* How long scans wait for a scanner to come back (0: not at all), from now on. */
void core_context_set_scanner_wait(CoreContext *ctx, int wait_ms);
/* The scanner to name for a verdict: the member that gave it, else the configured address. */
const char *core_verdict_scanner(const CoreContext *ctx, const ScanVerdict *verdict);
/* The member to name in a verdict's words: the one that gave it when the scanner is a pool of
 * more than one member, else NULL (one scanner needs no name). */
const char *core_verdict_judge(const CoreContext *ctx, const ScanVerdict *verdict);
/* Opens the audit log (path NULL: the XDG state directory). */
gboolean core_context_open_audit(CoreContext *ctx, const char *path, GError **error);
/* Forgets the connection's identity (after `close`, or when the server dropped us). */
void core_context_set_disconnected(CoreContext *ctx);
/* Records (a copy of) the scanner's last answer, for `status` and the TUI's marks. */
void core_context_set_last_verdict(CoreContext *ctx, const CoreVerdict *verdict);

/* Helpers for the front end contract. printf-style; text goes through the front end. */
void core_say(CoreContext *ctx, CoreMsgKind kind, const char *format, ...) G_GNUC_PRINTF(3, 4);
/* Records a failure for the exit status and shows the error; an FTP_ERROR_CLOSED (or
 * _NOT_CONNECTED) error also marks the connection as gone. */
void core_fail(CoreContext *ctx, const GError *error);
/* Records a refusal (INFECTED/ERROR verdict) for the exit status. */
void core_refused(CoreContext *ctx);
/* A line of text that starts from `initial` (CoreFrontend.edit; else `prompt`, which cannot show
 * it). transfer full */
char *core_frontend_edit(CoreContext *ctx, const char *label, const char *initial);
/* CORE_EXIT_FAILURE if anything failed, else CORE_EXIT_REFUSED if a file was refused, else OK. */
int core_exit_status(const CoreContext *ctx);
