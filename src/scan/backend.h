/* scan/backend.h — one member of a scanner pool, whatever protocol it speaks: a small table of
 * operations (clamd's, scan/clamd.c; ICAP's, scan/icap.c) behind which scan/client.c holds its
 * members. Owns: which address makes which backend. Must not: retry, choose a member, or print.
 * A backend object is used by one thread at a time; copies talk to the same scanner. */
#pragma once
#include <glib.h>
#include "scan/client.h"

typedef struct ScanBackend ScanBackend;

typedef struct {
        /* A backend for the same scanner, with the same timeout, and no cancel fd. */
        gpointer (*copy)(gpointer impl);
        void (*free)(gpointer impl);
        const char *(*address)(gpointer impl);  /* normalised */
        /* Whether the scanner answers (clamd: PING/PONG; ICAP: OPTIONS); FALSE with why. */
        gboolean (*check)(gpointer impl, GError **error);
        char *(*version)(gpointer impl, GError **error);
        /* Never NULL: every failure is an ERROR verdict (see scan/clamd.h). */
        ScanVerdict *(*scan_fd)(gpointer impl, int fd, gint64 size);
        void (*set_timeout_ms)(gpointer impl, int timeout_ms);
        void (*set_cancel_fd)(gpointer impl, int cancel_fd);
        /* Optional (NULL: no such thing in this protocol). */
        gboolean (*uses_fildes)(gpointer impl);
        void (*use_sessions)(gpointer impl, gboolean use);
        void (*end_session)(gpointer impl);
        void (*set_trust_lookup)(gpointer impl, ScanTrustLookup lookup);
        /* How many scans the scanner takes at once (ICAP's Max-Connections from OPTIONS), 0 when
         * it named no limit or nothing is known yet. */
        guint (*max_connections)(gpointer impl);
        char *(*stats)(gpointer impl, GError **error); /* clamd's STATS report */
} ScanBackendOps;

struct ScanBackend {
        const ScanBackendOps *ops;
        gpointer impl;
};

/* "unix:/path", "/path", "instream:…", "tcp:host:port": clamd's protocol (scan/clamd.h);
 * "icap://…", "icaps://…": an ICAP service (scan/icap.h). */
ScanBackend *scan_backend_new(const char *address, GError **error);
ScanBackend *scan_backend_copy(const ScanBackend *backend);
void scan_backend_free(ScanBackend *backend);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScanBackend, scan_backend_free)

static inline const char *scan_backend_address(const ScanBackend *backend)
{
        return backend->ops->address(backend->impl);
}

static inline guint scan_backend_max_connections(const ScanBackend *backend)
{
        return backend->ops->max_connections ? backend->ops->max_connections(backend->impl) : 0;
}
