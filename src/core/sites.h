/* core/sites.h — saved sites (FileZilla's Site Manager, lftp's bookmarks, mc's hotlist): the
 * file $XDG_CONFIG_HOME/clamftp/sites.conf, one [site NAME] group per site with its server, user,
 * TLS policy, pinned certificate fingerprint and settings.
 * Owns: the file's format, the checks on names and values, writing it atomically (mode 0600).
 * Must not: hold a password (they go to the keyring, core/keyring.h), talk to servers, or
 * write over a file it could not read. Uses no ftp/ or scan/ name: the full screen reads it. */
#pragma once
#include <glib.h>

#define CORE_SITES_ERROR (core_sites_error_quark())
GQuark core_sites_error_quark(void);
typedef enum {
        CORE_SITES_ERROR_PARSE, /* the file is not a key file, or holds a bad value */
        CORE_SITES_ERROR_NAME,  /* a name a site cannot have */
        CORE_SITES_ERROR_VALUE, /* a bad value given for a site */
        CORE_SITES_ERROR_WRITE, /* the file could not be written */
} CoreSitesErrorCode;

/* Longest site name, in bytes. */
#define CORE_SITE_NAME_MAX 100

typedef struct {
        char *name;
        char *host;
        guint16 port;          /* 21, or 990 with implicit_tls, unless given */
        gboolean implicit_tls; /* ftps://: TLS before the greeting */
        char *user;            /* NULL: asked at connect */
        char *tls;             /* "auto", "require" or "off"; NULL: the session's setting */
        int passive;           /* 1 passive, 0 active; -1: the session's setting */
        int parallel;          /* connections for batches; 0: the session's setting */
        char *remote_dir;      /* where to cd after login, NULL: the login directory */
        char *local_dir;       /* where to lcd, NULL: stay */
        char *scanner;         /* the scanner's address, NULL: the session's */
        char *fingerprint;     /* pinned certificate, "AB:CD:…" (SHA-256), NULL: none */
} CoreSite;

CoreSite *core_site_new(const char *name);
CoreSite *core_site_copy(const CoreSite *site);
void core_site_free(CoreSite *site);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreSite, core_site_free)

/* "ftp://user@host:port/dir" (ftps:// with implicit TLS; no password, ever). transfer full */
char *core_site_url(const CoreSite *site);
/* What the site changes beyond its URL, for `site list`: "tls require, active, 2 connections,
 * local /srv, scanner tcp:…, certificate AB:CD…" (empty: nothing). transfer full */
char *core_site_describe(const CoreSite *site);
/* TRUE when `name` may name a site: 1 to CORE_SITE_NAME_MAX bytes of UTF-8, no control character,
 * no [ or ], no blank at either end, no "://" (open would take it for a URL). */
gboolean core_site_name_check(const char *name, GError **error);
/* Checks the values a site holds (host, tls, parallel, fingerprint …); normalises the
 * fingerprint. */
gboolean core_site_check(CoreSite *site, GError **error);

/* The sites of one file, in its order, with the file's comments and unknown keys kept. */
typedef struct CoreSites CoreSites;

/* $XDG_CONFIG_HOME/clamftp/sites.conf. transfer full */
char *core_sites_default_path(void);
/* Reads the file (path NULL: the default). A missing file is an empty list; a file that does
 * not parse, or holds a bad site, is CORE_SITES_ERROR_PARSE naming the file and what is wrong. */
CoreSites *core_sites_load(const char *path, GError **error);
void core_sites_free(CoreSites *sites);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreSites, core_sites_free)
const char *core_sites_path(const CoreSites *sites);
/* The sites, in the file's order (CoreSite*, owned by the list). */
const GPtrArray *core_sites_list(const CoreSites *sites);
const CoreSite *core_sites_find(const CoreSites *sites, const char *name);
/* Adds the site, or replaces the one of the same name where it is. The site is checked first. */
gboolean core_sites_put(CoreSites *sites, const CoreSite *site, GError **error);
/* FALSE when there was none of that name. */
gboolean core_sites_remove(CoreSites *sites, const char *name);
/* Writes the file: a temporary file beside it (mode 0600), flushed, renamed onto it; the
 * directory is made (0700) when missing. */
gboolean core_sites_save(const CoreSites *sites, GError **error);
