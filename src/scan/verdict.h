/* scan/verdict.h — what a scanner said about a file, as data (no words until an edge formats it).
 * Owns: ScanVerdict (OK / INFECTED / ERROR, signature, reason class, path, the member that
 * judged), the SCAN_ERROR domain, and parsing a clamd reply line into a verdict.
 * Must not: connect, print or decide what to upload. Fails closed: only a well-formed
 * "stream: OK" / "fd[N]: OK" parses as OK. */
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
        SCAN_ERROR_UNTRUSTED,   /* TLS: the scanner's certificate refused, or the handshake refused */
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
        SCAN_REASON_UNTRUSTED,   /* TLS: the scanner's certificate was refused (or it refused ours):
                                    asked of another member, never waited for */
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
        char *scanner;   /* the scanner (the pool's member) that gave this answer: "unix:/path",
                            "tcp:10.0.0.5:3310"; NULL when none did (no member reachable) */
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
void scan_verdict_set_scanner(ScanVerdict *verdict, const char *scanner);
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
