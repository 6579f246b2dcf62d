/* core/sites.c — the saved sites file (see sites.h): [site NAME] groups in a GKeyFile.
 * Owns: the keys and their checks, keeping comments and unknown keys, the atomic write.
 * Must not: hold a password, talk to servers, or write a file it could not read. */
#include "common/i18n.h"
#include "common/certinfo.h"
#include "common/quark.h"
#include "core/sites.h"
#include "core/safename.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

COMMON_DEFINE_QUARK(core-sites-error-quark, core_sites_error)

#define GROUP_PREFIX "site "
#define PARALLEL_MAX 16 /* CORE_PARALLEL_MAX, without context.h's engine names */

struct CoreSites {
        char *path;
        GKeyFile *kf;     /* the file as read, comments and unknown keys included */
        GPtrArray *sites; /* CoreSite*, in the file's order */
};

CoreSite *core_site_new(const char *name)
{
        CoreSite *site = g_new0(CoreSite, 1);
        site->name = g_strdup(name);
        site->port = 21;
        site->passive = -1;
        return site;
}

CoreSite *core_site_copy(const CoreSite *site)
{
        CoreSite *copy = g_memdup2(site, sizeof *site);
        copy->name = g_strdup(site->name);
        copy->host = g_strdup(site->host);
        copy->user = g_strdup(site->user);
        copy->tls = g_strdup(site->tls);
        copy->remote_dir = g_strdup(site->remote_dir);
        copy->local_dir = g_strdup(site->local_dir);
        copy->scanner = g_strdup(site->scanner);
        copy->fingerprint = g_strdup(site->fingerprint);
        return copy;
}

void core_site_free(CoreSite *site)
{
        if (!site)
                return;
        g_free(site->name);
        g_free(site->host);
        g_free(site->user);
        g_free(site->tls);
        g_free(site->remote_dir);
        g_free(site->local_dir);
        g_free(site->scanner);
        g_free(site->fingerprint);
        g_free(site);
}

char *core_site_url(const CoreSite *site)
{
        const char *scheme = site->implicit_tls ? "ftps" : "ftp";
        guint16 usual = site->implicit_tls ? 990 : 21;
        g_autofree char *user = site->user ? g_uri_escape_string(site->user, NULL, TRUE) : NULL;
        g_autofree char *host = strchr(site->host, ':') ? g_strdup_printf("[%s]", site->host) : g_strdup(site->host);
        g_autofree char *port = site->port != usual ? g_strdup_printf(":%u", site->port) : g_strdup("");
        const char *dir = site->remote_dir ? site->remote_dir : "";
        g_autofree char *path = g_uri_escape_string(dir, "/", TRUE);
        /* RFC 1738: "/dir" is relative to the login directory, "/%2Fdir" absolute */
        const char *slash = dir[0] == '/' ? "/%2F" : "/";
        return g_strdup_printf("%s://%s%s%s%s%s%s", scheme, user ? user : "", user ? "@" : "", host, port, slash,
                               path + (dir[0] == '/' ? 1 : 0));
}

char *core_site_describe(const CoreSite *site)
{
        g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func(g_free);
        if (site->tls)
                g_ptr_array_add(parts, g_strdup_printf(_("tls %s"), site->tls));
        if (site->passive == 0)
                g_ptr_array_add(parts, g_strdup(_("active")));
        else if (site->passive == 1)
                g_ptr_array_add(parts, g_strdup(_("passive")));
        if (site->parallel > 0)
                g_ptr_array_add(parts, g_strdup_printf(g_dngettext(GETTEXT_PACKAGE, "%d connection", "%d connections",
                                                                   (gulong)site->parallel), site->parallel));
        if (site->local_dir)
                g_ptr_array_add(parts, g_strdup_printf(_("local %s"), site->local_dir));
        if (site->scanner)
                g_ptr_array_add(parts, g_strdup_printf(_("scanner %s"), site->scanner));
        if (site->fingerprint)
                g_ptr_array_add(parts, g_strdup_printf(_("certificate %.23s…"), site->fingerprint));
        g_ptr_array_add(parts, NULL);
        return g_strjoinv(", ", (char **)parts->pdata);
}

static gboolean has_control(const char *text)
{
        for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
                if (*p < 0x20 || *p == 0x7f)
                        return TRUE;
        }
        return FALSE;
}

gboolean core_site_name_check(const char *name, GError **error)
{
        const char *why = NULL;
        gsize len = name ? strlen(name) : 0;
        if (len == 0)
                why = _("it is empty");
        else if (len > CORE_SITE_NAME_MAX)
                why = _("it is longer than 100 bytes");
        else if (!g_utf8_validate(name, -1, NULL))
                why = _("it is not UTF-8");
        else if (has_control(name))
                why = _("it holds a control character");
        else if (strpbrk(name, "[]"))
                why = _("it holds [ or ]");
        else if (g_ascii_isspace(name[0]) || g_ascii_isspace(name[len - 1]))
                why = _("it begins or ends with a blank");
        else if (strstr(name, "://"))
                why = _("it holds \"://\", which `open` takes for a URL");
        if (!why)
                return TRUE;
        g_autofree char *shown = core_name_escape(name);
        g_set_error(error, CORE_SITES_ERROR, CORE_SITES_ERROR_NAME, _("\"%s\" cannot name a site: %s"), shown, why);
        return FALSE;
}

/* "port must be 1 to 65535": the file's reader and the commands each put it in their words. */
static gboolean bad_value(const CoreSite *site, const char *key, const char *why, GError **error)
{
        g_set_error(error, CORE_SITES_ERROR, CORE_SITES_ERROR_VALUE, "%s %s", key, why);
        return FALSE;
}

static gboolean tls_word_ok(const char *word)
{
        return g_str_equal(word, "auto") || g_str_equal(word, "require") || g_str_equal(word, "off");
}

static gboolean check_values(CoreSite *site, GError **error)
{
        if (!site->host || !*site->host)
                return bad_value(site, "host", _("is missing"), error);
        if (has_control(site->host) || strpbrk(site->host, " /@"))
                return bad_value(site, "host", _("is not a host name"), error);
        if (site->port == 0)
                return bad_value(site, "port", _("must be 1 to 65535"), error);
        if (site->user && (!*site->user || has_control(site->user)))
                return bad_value(site, "user", _("is empty or holds a control character"), error);
        if (site->tls && !tls_word_ok(site->tls))
                return bad_value(site, "tls", _("must be auto, require or off"), error);
        if (site->parallel < 0 || site->parallel > PARALLEL_MAX)
                return bad_value(site, "parallel", _("must be a number of connections from 1 to 16"), error);
        const char *dirs[] = { site->remote_dir, site->local_dir, site->scanner };
        for (gsize i = 0; i < G_N_ELEMENTS(dirs); i++) {
                if (dirs[i] && has_control(dirs[i]))
                        return bad_value(site, i == 2 ? "scanner" : i ? "local-dir" : "remote-dir",
                                         _("holds a control character"), error);
        }
        if (site->fingerprint) {
                char *normal = tls_fingerprint_normalise(site->fingerprint);
                if (!normal)
                        return bad_value(site, "fingerprint",
                                         _("must be a SHA-256 fingerprint: 64 hex digits, with or without colons"),
                                         error);
                g_free(site->fingerprint);
                site->fingerprint = normal;
        }
        return TRUE;
}

gboolean core_site_check(CoreSite *site, GError **error)
{
        if (!core_site_name_check(site->name, error))
                return FALSE;
        g_autoptr(GError) why = NULL;
        if (check_values(site, &why))
                return TRUE;
        g_autofree char *shown = core_name_escape(site->name);
        g_set_error(error, CORE_SITES_ERROR, CORE_SITES_ERROR_VALUE, _("Site \"%s\": %s."), shown, why->message);
        return FALSE;
}

char *core_sites_default_path(void)
{
        return g_build_filename(g_get_user_config_dir(), "clamftp", "sites.conf", NULL);
}

/* ---- reading ----------------------------------------------------------------------------- */

/* A string key, NULL when absent; blank is absent too. */
static char *get_string(GKeyFile *kf, const char *group, const char *key)
{
        char *value = g_key_file_get_string(kf, group, key, NULL);
        if (value && !*value)
                g_clear_pointer(&value, g_free);
        return value;
}

static gboolean get_int(GKeyFile *kf, const char *group, const char *key, int min, int max, int *value)
{
        if (!g_key_file_has_key(kf, group, key, NULL))
                return TRUE;
        g_autoptr(GError) local = NULL;
        int n = g_key_file_get_integer(kf, group, key, &local);
        if (local || n < min || n > max)
                return FALSE;
        *value = n;
        return TRUE;
}

static gboolean get_switch(GKeyFile *kf, const char *group, const char *key, int *value)
{
        if (!g_key_file_has_key(kf, group, key, NULL))
                return TRUE;
        g_autoptr(GError) local = NULL;
        gboolean on = g_key_file_get_boolean(kf, group, key, &local);
        if (local)
                return FALSE;
        *value = on;
        return TRUE;
}

static gboolean parse_error(const char *path, const char *why, GError **error)
{
        g_set_error(error, CORE_SITES_ERROR, CORE_SITES_ERROR_PARSE,
                    _("The sites file %s does not parse: %s. Fix it or move it away; clamftp does not write "
                      "over it."), path, why);
        return FALSE;
}

static gboolean group_error(const char *path, const char *group, const char *why, GError **error)
{
        g_autofree char *shown = core_name_escape(group);
        g_autofree char *where = g_strdup_printf("[%s] %s", shown, why);
        return parse_error(path, where, error);
}

static CoreSite *read_site(GKeyFile *kf, const char *path, const char *group, GError **error)
{
        g_autoptr(CoreSite) site = core_site_new(group + strlen(GROUP_PREFIX));
        int implicit = 0, port = 0;
        site->host = get_string(kf, group, "host");
        site->user = get_string(kf, group, "user");
        site->tls = get_string(kf, group, "tls");
        site->remote_dir = get_string(kf, group, "remote-dir");
        site->local_dir = get_string(kf, group, "local-dir");
        site->scanner = get_string(kf, group, "scanner");
        site->fingerprint = get_string(kf, group, "fingerprint");
        if (!get_switch(kf, group, "implicit-tls", &implicit) || !get_switch(kf, group, "passive", &site->passive)) {
                group_error(path, group, _("implicit-tls and passive must be true or false"), error);
                return NULL;
        }
        if (!get_int(kf, group, "port", 1, 65535, &port) || !get_int(kf, group, "parallel", 1, PARALLEL_MAX,
                                                                     &site->parallel)) {
                group_error(path, group, _("port must be 1 to 65535, parallel 1 to 16"), error);
                return NULL;
        }
        site->implicit_tls = implicit != 0;
        site->port = port ? (guint16)port : site->implicit_tls ? 990 : 21;
        g_autoptr(GError) bad = NULL;
        if (!core_site_name_check(site->name, &bad) || !check_values(site, &bad)) {
                group_error(path, group, bad->message, error);
                return NULL;
        }
        return g_steal_pointer(&site);
}

static CoreSites *sites_new(const char *path, GKeyFile *kf)
{
        CoreSites *sites = g_new0(CoreSites, 1);
        sites->path = g_strdup(path);
        sites->kf = kf;
        sites->sites = g_ptr_array_new_with_free_func((GDestroyNotify)core_site_free);
        return sites;
}

CoreSites *core_sites_load(const char *path, GError **error)
{
        g_autofree char *default_path = path ? NULL : core_sites_default_path();
        path = path ? path : default_path;
        GKeyFile *kf = g_key_file_new();
        g_autoptr(CoreSites) sites = sites_new(path, kf);
        g_autoptr(GError) local = NULL;
        g_autofree char *text = NULL;
        gsize len = 0;
        if (!g_file_get_contents(path, &text, &len, &local)) {
                if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
                        return g_steal_pointer(&sites);
                g_set_error(error, CORE_SITES_ERROR, CORE_SITES_ERROR_PARSE,
                            _("The sites file %s cannot be read: %s. clamftp does not write over it."), path,
                            local->message);
                return NULL;
        }
        if (!g_utf8_validate_len(text, len, NULL)) {
                parse_error(path, _("it is not UTF-8 text"), error);
                return NULL;
        }
        if (!g_key_file_load_from_data(kf, text, len, G_KEY_FILE_KEEP_COMMENTS, &local)) {
                parse_error(path, local->message, error);
                return NULL;
        }
        g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
        for (char **g = groups; *g; g++) {
                if (!g_str_has_prefix(*g, GROUP_PREFIX))
                        continue; /* another kind of group, kept as it is */
                CoreSite *site = read_site(kf, path, *g, error);
                if (!site)
                        return NULL;
                g_ptr_array_add(sites->sites, site);
        }
        return g_steal_pointer(&sites);
}

void core_sites_free(CoreSites *sites)
{
        if (!sites)
                return;
        g_free(sites->path);
        g_key_file_unref(sites->kf);
        g_ptr_array_unref(sites->sites);
        g_free(sites);
}

const char *core_sites_path(const CoreSites *sites)
{
        return sites->path;
}

const GPtrArray *core_sites_list(const CoreSites *sites)
{
        return sites->sites;
}

static int find_index(const CoreSites *sites, const char *name)
{
        for (guint i = 0; i < sites->sites->len; i++) {
                const CoreSite *site = g_ptr_array_index(sites->sites, i);
                if (g_str_equal(site->name, name))
                        return (int)i;
        }
        return -1;
}

const CoreSite *core_sites_find(const CoreSites *sites, const char *name)
{
        int i = find_index(sites, name);
        return i < 0 ? NULL : g_ptr_array_index(sites->sites, i);
}

/* ---- changing and writing ----------------------------------------------------------------- */

static void set_or_remove(GKeyFile *kf, const char *group, const char *key, const char *value)
{
        if (value)
                g_key_file_set_string(kf, group, key, value);
        else
                g_key_file_remove_key(kf, group, key, NULL);
}

/* The site's keys in its group (made at the end when new); the group's other keys stay. */
static void write_group(GKeyFile *kf, const CoreSite *site)
{
        g_autofree char *group = g_strconcat(GROUP_PREFIX, site->name, NULL);
        guint16 usual = site->implicit_tls ? 990 : 21;
        set_or_remove(kf, group, "host", site->host);
        if (site->port != usual)
                g_key_file_set_integer(kf, group, "port", site->port);
        else
                g_key_file_remove_key(kf, group, "port", NULL);
        if (site->implicit_tls)
                g_key_file_set_boolean(kf, group, "implicit-tls", TRUE);
        else
                g_key_file_remove_key(kf, group, "implicit-tls", NULL);
        set_or_remove(kf, group, "user", site->user);
        set_or_remove(kf, group, "tls", site->tls);
        if (site->passive >= 0)
                g_key_file_set_boolean(kf, group, "passive", site->passive != 0);
        else
                g_key_file_remove_key(kf, group, "passive", NULL);
        if (site->parallel > 0)
                g_key_file_set_integer(kf, group, "parallel", site->parallel);
        else
                g_key_file_remove_key(kf, group, "parallel", NULL);
        set_or_remove(kf, group, "remote-dir", site->remote_dir);
        set_or_remove(kf, group, "local-dir", site->local_dir);
        set_or_remove(kf, group, "scanner", site->scanner);
        set_or_remove(kf, group, "fingerprint", site->fingerprint);
}

gboolean core_sites_put(CoreSites *sites, const CoreSite *site, GError **error)
{
        g_autoptr(CoreSite) copy = core_site_copy(site);
        if (!core_site_check(copy, error))
                return FALSE;
        write_group(sites->kf, copy);
        int i = find_index(sites, copy->name);
        if (i < 0) {
                g_ptr_array_add(sites->sites, g_steal_pointer(&copy));
                return TRUE;
        }
        core_site_free(g_ptr_array_index(sites->sites, i));
        g_ptr_array_index(sites->sites, i) = g_steal_pointer(&copy);
        return TRUE;
}

gboolean core_sites_remove(CoreSites *sites, const char *name)
{
        int i = find_index(sites, name);
        if (i < 0)
                return FALSE;
        g_autofree char *group = g_strconcat(GROUP_PREFIX, name, NULL);
        g_key_file_remove_group(sites->kf, group, NULL);
        g_ptr_array_remove_index(sites->sites, (guint)i);
        return TRUE;
}

static gboolean write_error(const char *path, const char *why, GError **error)
{
        g_set_error(error, CORE_SITES_ERROR, CORE_SITES_ERROR_WRITE, _("Cannot write the sites file %s: %s"), path,
                    why);
        return FALSE;
}

gboolean core_sites_save(const CoreSites *sites, GError **error)
{
        g_autofree char *dir = g_path_get_dirname(sites->path);
        if (g_mkdir_with_parents(dir, 0700) < 0)
                return write_error(sites->path, g_strerror(errno), error);
        g_autofree char *comment = g_key_file_get_comment(sites->kf, NULL, NULL, NULL);
        if (!comment)
                g_key_file_set_comment(sites->kf, NULL, NULL,
                                       " clamftp's saved sites (`site add`, `site list`, Ctrl-\\). Passwords are "
                                       "never here:\n they are in the desktop keyring, or asked at connect.",
                                       NULL);
        gsize len = 0;
        g_autofree char *data = g_key_file_to_data(sites->kf, &len, NULL);
        g_autoptr(GError) local = NULL;
        /* CONSISTENT: a temporary file beside it, written, fsync'd and renamed onto the name */
        if (!g_file_set_contents_full(sites->path, data, (gssize)len,
                                      G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_ONLY_EXISTING, 0600,
                                      &local))
                return write_error(sites->path, local->message, error);
        return TRUE;
}
