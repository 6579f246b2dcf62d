/* scan/backend.c — which address makes which kind of pool member, and the rows of the table:
 * clamd's protocol (scan/clamd.c) and ICAP (scan/icap.c).
 * Must not: retry, choose a member, or print. */
#include "config.h"
#include "scan/backend.h"
#include "scan/clamd.h"
#include "scan/icap.h"

/* ---- the clamd protocol (scan/clamd.c) ---- */

static gpointer clamd_copy(gpointer impl)
{
        return scan_clamd_copy(impl);
}

static void clamd_free(gpointer impl)
{
        scan_clamd_free(impl);
}

static const char *clamd_address(gpointer impl)
{
        return scan_clamd_address(impl);
}

static gboolean clamd_check(gpointer impl, GError **error)
{
        return scan_clamd_ping(impl, error);
}

static char *clamd_version(gpointer impl, GError **error)
{
        return scan_clamd_version(impl, error);
}

static ScanVerdict *clamd_scan_fd(gpointer impl, int fd, gint64 size)
{
        return scan_clamd_scan_fd(impl, fd, size);
}

static void clamd_set_timeout_ms(gpointer impl, int timeout_ms)
{
        scan_clamd_set_timeout_ms(impl, timeout_ms);
}

static void clamd_set_cancel_fd(gpointer impl, int cancel_fd)
{
        scan_clamd_set_cancel_fd(impl, cancel_fd);
}

static gboolean clamd_uses_fildes(gpointer impl)
{
        return scan_clamd_uses_fildes(impl);
}

static void clamd_use_sessions(gpointer impl, gboolean use)
{
        scan_clamd_use_sessions(impl, use);
}

static void clamd_end_session(gpointer impl)
{
        scan_clamd_end_session(impl);
}

static void clamd_set_trust_lookup(gpointer impl, ScanTrustLookup lookup)
{
        scan_clamd_set_trust_lookup(impl, lookup);
}

static char *clamd_stats(gpointer impl, GError **error)
{
        return scan_clamd_stats(impl, error);
}

static const ScanBackendOps clamd_ops = {
        .stats = clamd_stats,
        .copy = clamd_copy,
        .free = clamd_free,
        .address = clamd_address,
        .check = clamd_check,
        .version = clamd_version,
        .scan_fd = clamd_scan_fd,
        .set_timeout_ms = clamd_set_timeout_ms,
        .set_cancel_fd = clamd_set_cancel_fd,
        .uses_fildes = clamd_uses_fildes,
        .use_sessions = clamd_use_sessions,
        .end_session = clamd_end_session,
        .set_trust_lookup = clamd_set_trust_lookup,
};

/* ---- ICAP (scan/icap.c) ---- */

static gpointer icap_copy(gpointer impl)
{
        return scan_icap_copy(impl);
}

static void icap_free(gpointer impl)
{
        scan_icap_free(impl);
}

static const char *icap_address(gpointer impl)
{
        return scan_icap_url(impl);
}

static gboolean icap_check(gpointer impl, GError **error)
{
        return scan_icap_options(impl, error);
}

/* The ISTag names the service's state as VERSION names the engine's. */
static char *icap_version(gpointer impl, GError **error)
{
        if (!scan_icap_options(impl, error))
                return NULL;
        const char *istag = scan_icap_istag(impl);
        return g_strdup_printf("ICAP %s", istag ? istag : "");
}

static ScanVerdict *icap_scan_fd(gpointer impl, int fd, gint64 size)
{
        return scan_icap_scan_fd(impl, fd, size);
}

static void icap_set_timeout_ms(gpointer impl, int timeout_ms)
{
        scan_icap_set_timeout_ms(impl, timeout_ms);
}

static void icap_set_cancel_fd(gpointer impl, int cancel_fd)
{
        scan_icap_set_cancel_fd(impl, cancel_fd);
}

static void icap_set_trust_lookup(gpointer impl, ScanTrustLookup lookup)
{
        scan_icap_set_trust_lookup(impl, lookup);
}

static guint icap_max_connections(gpointer impl)
{
        return scan_icap_max_connections(impl);
}

static const ScanBackendOps icap_ops = {
        .copy = icap_copy,
        .free = icap_free,
        .address = icap_address,
        .check = icap_check,
        .version = icap_version,
        .scan_fd = icap_scan_fd,
        .set_timeout_ms = icap_set_timeout_ms,
        .set_cancel_fd = icap_set_cancel_fd,
        .set_trust_lookup = icap_set_trust_lookup, /* no FILDES, no sessions */
        .max_connections = icap_max_connections,
};

static ScanBackend *backend_wrap(const ScanBackendOps *ops, gpointer impl)
{
        ScanBackend *backend = g_new0(ScanBackend, 1);
        backend->ops = ops;
        backend->impl = impl;
        return backend;
}

ScanBackend *scan_backend_new(const char *address, GError **error)
{
        if (scan_icap_is_url(address)) {
                ScanIcap *icap = scan_icap_new(address, error);
                return icap ? backend_wrap(&icap_ops, icap) : NULL;
        }
        ScanClamd *clamd = scan_clamd_new(address, error);
        return clamd ? backend_wrap(&clamd_ops, clamd) : NULL;
}

ScanBackend *scan_backend_copy(const ScanBackend *backend)
{
        return backend_wrap(backend->ops, backend->ops->copy(backend->impl));
}

void scan_backend_free(ScanBackend *backend)
{
        if (!backend)
                return;
        backend->ops->free(backend->impl);
        g_free(backend);
}
