/* core/trust.h — server certificates the user chose to trust although they do not verify
 * (self-signed, wrong name, expired): the trusted-certificates file and the decision.
 * Owns: the file ($XDG_DATA_HOME/clamftp/trusted-certs, also read from $XDG_CONFIG_HOME/clamftp/),
 * one "host:port SHA-256" line per server; the rule that a changed certificate is refused loudly.
 * Must not: talk to servers, or accept a certificate without the user's explicit choice. */
#pragma once
#include <glib.h>
#include "core/context.h"

/* Where accepted fingerprints are stored. */
char *core_trust_file(void); /* transfer full */
/* The fingerprint stored for host:port ("AB:CD:…"), or NULL. */
char *core_trust_lookup(const char *host, guint16 port); /* transfer full */
/* The fingerprint trusted for host:port in this session only (CoreContext.trusted_once), else
 * the stored one, or NULL. */
char *core_trust_lookup_session(CoreContext *ctx, const char *host, guint16 port); /* transfer full */
/* Stores (or replaces) host:port → sha256 in the trust file (mode 0600). */
gboolean core_trust_store(const char *host, guint16 port, const char *sha256, GError **error);

/* Decides on a certificate that did not verify. Refused (FALSE, error set) when a different
 * fingerprint is stored for host:port (a loud warning), or when `may_ask` is FALSE (line mode: the
 * error says how to accept it with --trust-fingerprint). With `may_ask`, the front end's `certificate`
 * (or else `ask`) shows subject, issuer, validity and fingerprint once; yes stores the choice and
 * returns TRUE. A changed certificate is also shown through `certificate` (with `may_ask`), as a
 * warning with both fingerprints and nothing to accept. Trusted for this session only
 * (CORE_CERT_TRUST_ONCE), the fingerprint is kept in ctx->trusted_once and never written. */
gboolean core_trust_decide(CoreContext *ctx, const char *host, guint16 port, const TlsPeerInfo *cert,
                           gboolean may_ask, GError **error);
/* The same for a saved site: `pinned` (the site's fingerprint, or NULL) counts as trusted before
 * when the trust file has nothing for host:port, so a certificate that differs from it is the
 * loud refusal. */
gboolean core_trust_decide_pinned(CoreContext *ctx, const char *host, guint16 port, const TlsPeerInfo *cert,
                                  gboolean may_ask, const char *pinned, GError **error);
