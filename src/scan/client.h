/* scan/client.h — a client of the clamd protocol (clamd itself or clamav-agent).
 * Owns: the scanner address, INSTREAM framing, PING/VERSION, reply parsing into a verdict, and
 * the timeouts of every exchange. Must not: decide what to upload, print, or touch the screen.
 * Fails closed: anything other than a well-formed "stream: OK" is never SCAN_VERDICT_OK. */
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

typedef enum {
        SCAN_VERDICT_OK,        /* every byte was scanned and nothing was found */
        SCAN_VERDICT_INFECTED,  /* `signature` names what was found */
        SCAN_VERDICT_ERROR,     /* the scanner could not give a verdict: `reason` says why */
} ScanVerdictKind;

typedef struct {
        ScanVerdictKind kind;
        char *signature; /* INFECTED: the signature name */
        char *reason;    /* ERROR: why (the scanner's words or ours) */
        char *reply;     /* the raw reply line, when one arrived */
} ScanVerdict;

ScanVerdict *scan_verdict_new(ScanVerdictKind kind, const char *signature, const char *reason);
void scan_verdict_free(ScanVerdict *verdict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScanVerdict, scan_verdict_free)
const char *scan_verdict_kind_name(ScanVerdictKind kind); /* "OK", "INFECTED", "ERROR" */
/* Parses one clamd reply line (without terminator) for a stream scan. Never returns NULL. */
ScanVerdict *scan_verdict_parse(const char *reply);

typedef struct ScanClient ScanClient;
/* address: "unix:/path", "tcp:host:port", or a bare absolute path (unix socket). */
ScanClient *scan_client_new(const char *address, GError **error);
ScanClient *scan_client_copy(ScanClient *client); /* same address and timeout, no cancel fd */
void scan_client_free(ScanClient *client);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScanClient, scan_client_free)
const char *scan_client_address(ScanClient *client); /* as given, normalised */
/* Bounds each wait (connect, each write, the reply); default 60 s. The wait for a verdict also
 * allows the scan 1 s per 2 MiB of the file, so a slow scan of a large file is not cut short. */
void scan_client_set_timeout_ms(ScanClient *client, int timeout_ms);
void scan_client_set_cancel_fd(ScanClient *client, int cancel_fd);

gboolean scan_client_ping(ScanClient *client, GError **error);
char *scan_client_version(ScanClient *client, GError **error); /* transfer full */
/* Streams `size` bytes of fd (pread from 0) with INSTREAM and returns the verdict. Never NULL:
 * every failure becomes a SCAN_VERDICT_ERROR with the reason. */
ScanVerdict *scan_client_scan_fd(ScanClient *client, int fd, gint64 size);
