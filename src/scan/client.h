/* scan/client.h — the scanner every upload is judged by: one address, or a pool of them.
 * Owns: the list of members (each a backend, scan/backend.h), their health (checked at the first
 * scan and every 30 s, and after each failure), which member scans which file (never more at once
 * than a member's Max-Connections: with every member that answers full, a file waits for a slot
 * for up to the timeout, scan_client_set_timeout_ms, then is refused), and what happens
 * when a member gives no verdict: the file is scanned again at once on another member or, once
 * none is left, retried with backoff for up to the wait (scan_client_set_wait_ms), then refused.
 * Must not: decide what to upload, print, or touch the screen.
 * Fails closed: a scan returns SCAN_VERDICT_OK only when a member gave its exact clean reply for
 * the whole file; a member's real answer (INFECTED, a limit, its own "… ERROR") is final and is
 * never asked of another member. Only no verdict is retried: unreachable, closed without a
 * verdict, our timeout (and a reply that does not parse, on another member only, without waiting). */
#pragma once
#include <glib.h>
#include "scan/verdict.h"

typedef struct ScanClient ScanClient;
/* addresses: one scanner address, or several separated by commas:
 * "unix:/run/a.sock,tcp:10.0.0.5:3310". Each is "unix:/path", "tcp:host:port", "tcp:[IPv6]:port",
 * "tls:host:port" (TCP with TLS, scan/tls-transport.h), a bare absolute path (unix socket), or "instream:unix:/path" (see scan/clamd.h for how a file
 * reaches a clamd-protocol scanner), or "icap://host[:port]/service" or "icaps://…": an ICAP
 * service (scan/icap.h; its health check is OPTIONS). A tcp host name with several addresses is
 * one member per address (resolved here, once); an address given twice is one member. */
ScanClient *scan_client_new(const char *addresses, GError **error);
/* The same members, sharing their states (health, last answer, scans in flight), with their own
 * connections, the same timeout and wait, and no cancel fd: one copy per scanning thread. */
ScanClient *scan_client_copy(ScanClient *client);
void scan_client_free(ScanClient *client);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScanClient, scan_client_free)
/* The list as given, each address normalised, joined by ",". */
const char *scan_client_address(ScanClient *client);
guint scan_client_member_count(ScanClient *client);
/* Bounds each wait of an exchange with a member (scan/clamd.h); default 60 s. */
void scan_client_set_timeout_ms(ScanClient *client, int timeout_ms);
void scan_client_set_cancel_fd(ScanClient *client, int cancel_fd);
/* The fingerprint ("AB:CD:…", transfer full) the user trusts for a TLS server at host:port although
 * its certificate does not verify, or NULL: core_trust_lookup (core/trust.h), FTPS's file. */
typedef char *(*ScanTrustLookup)(const char *host, guint16 port);
/* icaps:// and tls: members only: where a certificate that does not verify may still be trusted
 * (scan_icap_set_trust_lookup, scan_tls_set_trust_lookup). */
void scan_client_set_trust_lookup(ScanClient *client, ScanTrustLookup lookup);
/* How long a scan that found no member to give a verdict keeps trying, with backoff (0.25 s
 * doubling up to 5 s), before the file is refused; the time counts from when the members were
 * first found gone, so the files after the first are refused at once while none is back.
 * 0 (the default of a new client): no waiting. */
void scan_client_set_wait_ms(ScanClient *client, int wait_ms);

/* Asks every member now (PING, or OPTIONS for ICAP; at once, in parallel) and records the answers: TRUE when at least
 * one answers, else FALSE with why (each member's reason). */
gboolean scan_client_ping(ScanClient *client, GError **error);
/* The first member's VERSION that answers. transfer full */
char *scan_client_version(ScanClient *client, GError **error);
/* The first member's STATS report that answers (clamd's protocol only: an ICAP member has none),
 * its lines as sent with control characters but '\n' and '\t' replaced. transfer full */
char *scan_client_stats(ScanClient *client, GError **error);
/* The verdict on `size` bytes of fd from offset 0 (never NULL), with `scanner` set to the member
 * that gave it; see the top of this file for what is retried. fd is only read with pread. */
ScanVerdict *scan_client_scan_fd(ScanClient *client, int fd, gint64 size);
/* TRUE when the next scan of a regular file on the first member would pass its descriptor. */
gboolean scan_client_uses_fildes(ScanClient *client);
/* For a copy used by one thread for a batch: each member keeps one IDSESSION (scan/clamd.h). */
void scan_client_use_sessions(ScanClient *client, gboolean use);
void scan_client_end_session(ScanClient *client);

typedef enum {
        SCAN_MEMBER_UNCHECKED, /* not asked yet */
        SCAN_MEMBER_UP,        /* its last answer was a PONG or a verdict */
        SCAN_MEMBER_DOWN,      /* its last exchange gave no answer: not used until it answers PING */
} ScanMemberState;

typedef struct {
        char *address;
        ScanMemberState state;
        char *answer;  /* its last answer ("PONG", "stream: OK", why it gave none), NULL: none yet */
        guint64 scans; /* verdicts it gave */
} ScanMember;
void scan_member_free(ScanMember *member);
/* "up", "down", "not checked yet" (translated). */
const char *scan_member_state_text(ScanMemberState state);
/* The members' states now, in list order (ScanMember *, freed with the array). transfer full */
GPtrArray *scan_client_members(ScanClient *client);
