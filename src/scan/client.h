/* scan/client.h — a client of the clamd protocol (clamd itself or clamav-agent).
 * Owns: the scanner address, FILDES and INSTREAM, PING/VERSION, reply parsing into a verdict, and
 * the timeouts of every exchange. Must not: decide what to upload, print, or touch the screen.
 * Fails closed: anything other than a well-formed "stream: OK" / "fd[N]: OK" for the whole file
 * is never SCAN_VERDICT_OK. */
#pragma once
#include <glib.h>

#define SCAN_ERROR (scan_error_quark())
GQuark scan_error_quark(void);
typedef enum {
        SCAN_ERROR_ADDRESS,     /* the scanner address does not parse */
        SCAN_ERROR_UNREACHABLE, /* connect failed */
        SCAN_ERROR_TIMEOUT,
        SCAN_ERROR_PROTOCOL,    /* closed before a verdict, or a reply that does not parse */
        SCAN_ERROR_LOCAL,       /* reading the snapshot failed */
        SCAN_ERROR_CANCELLED,
} ScanErrorCode;

/* Rewrites a common/net.h error in the scanner's terms (TIMEOUT, CANCELLED, else PROTOCOL), for
 * the scanner at `address` whose waits are bounded by timeout_ms; `doing` says what was going on. */
void scan_error_set_from_net(GError **error, const GError *net, const char *address, int timeout_ms,
                             const char *doing);

typedef enum {
        SCAN_VERDICT_OK,        /* every byte was scanned and nothing was found */
        SCAN_VERDICT_INFECTED,  /* `signature` names what was found */
        SCAN_VERDICT_ERROR,     /* the scanner could not give a verdict: `reason` says why */
} ScanVerdictKind;

/* Why a verdict is not OK, as a class a front end and the audit log can act on (the words are
 * in `signature` or `reason`). A detection that only says the file could not be scanned whole
 * (a limit, an encrypted archive) is SCAN_VERDICT_ERROR with its class, the detection's name in
 * both `signature` and `reason` and clamd's words in `reply`: INFECTED is only for a signature
 * that matched content. */
typedef enum {
        SCAN_REASON_NONE,        /* OK */
        SCAN_REASON_MALWARE,     /* INFECTED: a signature of malware (or any other detection) */
        SCAN_REASON_LIMIT,       /* a scanner limit: Heuristics.Limits.Exceeded.* (MaxFileSize,
                                    MaxScanSize, MaxRecursion, MaxFiles, …), "INSTREAM size limit
                                    exceeded" (StreamMaxLength) */
        SCAN_REASON_ENCRYPTED,   /* Heuristics.Encrypted.* (and the older Encrypted.*) */
        SCAN_REASON_UNREACHABLE, /* no connection: refused, socket missing, address unusable */
        SCAN_REASON_TIMEOUT,     /* ours or the scanner's ("COMMAND READ TIMED OUT") */
        SCAN_REASON_PROTOCOL,    /* no reply, or one that does not parse or is not the expected one */
        SCAN_REASON_SCANNER,     /* the scanner's own "<reason> ERROR" (out of memory, …) */
        SCAN_REASON_LOCAL,       /* the file could not be read or snapshotted here */
        SCAN_REASON_CANCELLED,   /* the user cancelled the scan */
} ScanReasonClass;

typedef struct {
        ScanVerdictKind kind;
        ScanReasonClass reason_class; /* SCAN_REASON_NONE exactly when kind is OK */
        char *signature; /* INFECTED: the signature name (a LIMIT or ENCRYPTED ERROR: the detection's) */
        char *reason;    /* ERROR: why (the scanner's words or ours) */
        char *reply;     /* the raw reply line, when one arrived */
        char *path;      /* the local file judged, as the user named it; NULL until the caller who
                            knows it sets it (the client only sees a descriptor) */
        char *istag;     /* an ICAP scanner's ISTag when it judged (scan/icap.h), else NULL */
} ScanVerdict;

/* The class follows from kind and signature (scan_reason_class_of_signature); an ERROR made
 * here is SCAN_REASON_SCANNER unless the caller sets reason_class. */
ScanVerdict *scan_verdict_new(ScanVerdictKind kind, const char *signature, const char *reason);
/* An ERROR verdict with error's message as reason and the class its SCAN_ERROR code implies. */
ScanVerdict *scan_verdict_new_error(const GError *error);
ScanVerdict *scan_verdict_copy(const ScanVerdict *verdict); /* NULL gives NULL */
void scan_verdict_free(ScanVerdict *verdict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScanVerdict, scan_verdict_free)
void scan_verdict_set_path(ScanVerdict *verdict, const char *path);
const char *scan_verdict_kind_name(ScanVerdictKind kind); /* "OK", "INFECTED", "ERROR" */
/* "malware", "limit", "encrypted", "unreachable", "timeout", "protocol", "scanner", "local",
 * "cancelled"; NULL for SCAN_REASON_NONE. Not translated: the audit log's words. */
const char *scan_reason_class_name(ScanReasonClass reason_class);
/* What a detection's name says: LIMIT, ENCRYPTED, else MALWARE. */
ScanReasonClass scan_reason_class_of_signature(const char *signature);
/* Parses one clamd reply line (without terminator) for a stream scan, kind and class. Never
 * returns NULL. */
ScanVerdict *scan_verdict_parse(const char *reply);
/* The same for a FILDES scan, whose replies are named "fd[N]: " (N: the scanner's descriptor). */
ScanVerdict *scan_verdict_parse_fildes(const char *reply);

typedef struct ScanClient ScanClient;
/* address: "unix:/path", "tcp:host:port", "tls:host:port" (TCP with TLS: the scanner's
 * certificate checked by scan/tls-transport.c, the client certificate of scan_tls_set_identity
 * shown when asked), or a bare absolute path (unix socket);
 * "icap://host[:port]/service" or "icaps://…": an ICAP service (scan/icap.h), to which every call
 * below is handed (FILDES and sessions do not apply; ping is OPTIONS);
 * "instream:unix:/path" (or "instream:/path") streams every file over the unix socket instead of
 * passing its descriptor.
 *
 * How a file reaches the scanner: over a unix socket, by FILDES (the snapshot's descriptor, opened
 * again read-only, in SCM_RIGHTS: nothing is copied and the scanner reads the very bytes that will
 * be uploaded); over TCP or TLS, or with "instream:", by INSTREAM. Before its first FILDES scan a client
 * makes sure the scanner flags a file it cannot scan whole: clamd skips a file over MaxFileSize and
 * answers OK unless AlertExceedsMax is on, where INSTREAM at least meets StreamMaxLength's ERROR.
 * So it passes a sparse 4 GiB memfd (over any limit libclamav allows) once: a detection
 * (Heuristics.Limits.Exceeded…) lets FILDES be used; OK, or an ERROR in the scanner's words,
 * keeps this client on INSTREAM. "UNKNOWN COMMAND" or "didn't receive file descriptor" to a FILDES
 * does the same. Copies of a client share what was learnt. */
ScanClient *scan_client_new(const char *address, GError **error);
/* Same address, timeout and what was learnt about FILDES (shared); no cancel fd. */
ScanClient *scan_client_copy(ScanClient *client);
void scan_client_free(ScanClient *client);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScanClient, scan_client_free)
const char *scan_client_address(ScanClient *client); /* as given, normalised */
/* Bounds each wait (connect, each write, the reply); default 60 s. The wait for a verdict also
 * allows the scan 1 s per 2 MiB of the file, so a slow scan of a large file is not cut short. */
void scan_client_set_timeout_ms(ScanClient *client, int timeout_ms);
void scan_client_set_cancel_fd(ScanClient *client, int cancel_fd);
/* The fingerprint ("AB:CD:…", transfer full) the user trusts for a TLS server at host:port although
 * its certificate does not verify, or NULL: core_trust_lookup (core/trust.h), FTPS's file. */
typedef char *(*ScanTrustLookup)(const char *host, guint16 port);
/* icaps:// and tls: only (nothing otherwise): where a certificate that does not verify may still
 * be trusted (scan_icap_set_trust_lookup, scan_tls_set_trust_lookup). */
void scan_client_set_trust_lookup(ScanClient *client, ScanTrustLookup lookup);

gboolean scan_client_ping(ScanClient *client, GError **error);
char *scan_client_version(ScanClient *client, GError **error); /* transfer full */
/* Scans `size` bytes of fd from offset 0 and returns the verdict. Never NULL: every failure
 * becomes a SCAN_VERDICT_ERROR with the reason. FILDES is used only for a regular file of exactly
 * `size` bytes (the scanner then reads the whole file); otherwise INSTREAM sends `size` bytes read
 * with pread. fd's file offset is never used, and the scanner gets its own open file description,
 * so whoever reads fd next must use pread (or read from an explicit offset) as the upload does. */
ScanVerdict *scan_client_scan_fd(ScanClient *client, int fd, gint64 size);
/* TRUE when the next scan of a regular file would pass its descriptor (FILDES): a unix address
 * not given as "instream:", and a scanner not (yet) found to lack FILDES or to skip large files. */
gboolean scan_client_uses_fildes(ScanClient *client);
/* For a client used by one thread for a batch: FILDES scans share one IDSESSION connection
 * (clamd's IDSESSION … END) instead of one connection each. A reply counts only when it carries
 * its request's number; a session refused, closed or out of step is dropped and the scan made
 * again on its own connection; after a few such failures the client stops opening sessions.
 * A session idle for 5 s is ended before the next scan (clamd's IdleTimeout closes idle ones). */
void scan_client_use_sessions(ScanClient *client, gboolean use);
/* Sends END and closes the session, if one is open (scan_client_free does it too). */
void scan_client_end_session(ScanClient *client);
