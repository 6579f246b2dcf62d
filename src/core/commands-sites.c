/* core/commands-sites.c — `site add|edit|list|rm|password` and `open NAME` of a saved site.
 * Owns: the options a site takes, the questions about its password (kept in the keyring or
 * asked at connect, never in the file), applying a site's settings when it is opened, the offer
 * to pin a certificate trusted while a site was opened.
 * Must not: write a password to a file or a message, or write a sites file it could not read. */
#include "common/i18n.h"
#include "core/cmd.h"
#include "core/commands.h"
#include "core/files.h"
#include "core/keyring.h"
#include "core/options.h"
#include "core/safename.h"
#include "core/sites.h"
#include <string.h>

#define SITE_USAGE "site add <name> [URL] [options] | site edit <name> [URL] [options] | site list | " \
                   "site rm <name> | site password <name>"

static gboolean usage(GError **error)
{
        g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_USAGE, _("Usage: %s"), SITE_USAGE);
        return FALSE;
}

static gboolean failed(const GError *cause, GError **error)
{
        g_set_error_literal(error, CORE_CMD_ERROR, CORE_CMD_ERROR_FAILED, cause->message);
        return FALSE;
}

static gboolean is_anonymous(const char *user)
{
        return user && (g_str_equal(user, "anonymous") || g_str_equal(user, "ftp"));
}

static CoreKeyringKey key_of(const CoreSite *site)
{
        return (CoreKeyringKey){ .site = site->name, .host = site->host, .port = site->port, .user = site->user };
}

/* ---- the options of add and edit --------------------------------------------------------- */

typedef struct {
        char *tls, *remote_dir, *local_dir, *scanner, *fingerprint;
        gboolean active, passive, no_password;
        int parallel;
        char **rest; /* the name and the URL */
} SiteOptions;

static void site_options_clear(SiteOptions *o)
{
        g_free(o->tls);
        g_free(o->remote_dir);
        g_free(o->local_dir);
        g_free(o->scanner);
        g_free(o->fingerprint);
        g_strfreev(o->rest);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SiteOptions, site_options_clear)

static gboolean parse_options(int argc, char **argv, SiteOptions *o, GError **error)
{
        GOptionEntry entries[] = {
                { "tls", 0, 0, G_OPTION_ARG_STRING, &o->tls, NULL, NULL },
                { "active", 0, 0, G_OPTION_ARG_NONE, &o->active, NULL, NULL },
                { "passive", 0, 0, G_OPTION_ARG_NONE, &o->passive, NULL, NULL },
                { "parallel", 0, 0, G_OPTION_ARG_INT, &o->parallel, NULL, NULL },
                { "remote-dir", 0, 0, G_OPTION_ARG_STRING, &o->remote_dir, NULL, NULL },
                { "local-dir", 0, 0, G_OPTION_ARG_STRING, &o->local_dir, NULL, NULL },
                { "scanner", 0, 0, G_OPTION_ARG_STRING, &o->scanner, NULL, NULL },
                { "fingerprint", 0, 0, G_OPTION_ARG_STRING, &o->fingerprint, NULL, NULL },
                { "no-password", 0, 0, G_OPTION_ARG_NONE, &o->no_password, NULL, NULL },
                { NULL },
        };
        o->parallel = -1;
        g_autoptr(GOptionContext) context = g_option_context_new(NULL);
        g_option_context_set_help_enabled(context, FALSE);
        g_option_context_add_main_entries(context, entries, NULL);
        /* argv[0] is "site", argv[1] the verb: GOption skips the first word */
        o->rest = g_new0(char *, argc + 1);
        for (int i = 1; i < argc; i++)
                o->rest[i - 1] = g_strdup(argv[i]);
        g_autoptr(GError) local = NULL;
        if (!g_option_context_parse_strv(context, &o->rest, &local)) {
                g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_USAGE, _("%s. Usage: %s"), local->message, SITE_USAGE);
                return FALSE;
        }
        if (o->active && o->passive) {
                g_set_error_literal(error, CORE_CMD_ERROR, CORE_CMD_ERROR_USAGE, _("Give --active or --passive, not both."));
                return FALSE;
        }
        if (o->tls && *o->tls) { /* empty: back to the session's setting */
                FtpTlsPolicy policy;
                if (!core_tls_policy_parse(o->tls, &policy)) {
                        g_set_error_literal(error, CORE_CMD_ERROR, CORE_CMD_ERROR_USAGE,
                                            _("--tls must be auto, require or off."));
                        return FALSE;
                }
                g_free(o->tls);
                o->tls = g_strdup(policy == FTP_TLS_REQUIRE ? "require" : policy == FTP_TLS_OFF ? "off" : "auto");
        }
        return TRUE;
}

/* An option given empty ("--remote-dir ''") removes the setting. */
static void take(char **field, const char *given)
{
        if (!given)
                return;
        g_free(*field);
        *field = *given ? g_strdup(given) : NULL;
}

static void apply_options(CoreSite *site, const SiteOptions *o)
{
        take(&site->tls, o->tls);
        take(&site->remote_dir, o->remote_dir);
        take(&site->local_dir, o->local_dir);
        take(&site->scanner, o->scanner);
        take(&site->fingerprint, o->fingerprint);
        if (o->active)
                site->passive = 0;
        if (o->passive)
                site->passive = 1;
        if (o->parallel == 0)
                site->parallel = 0;
        else if (o->parallel > 0)
                site->parallel = o->parallel;
}

/* The URL's server and user into the site; its path too, unless --remote-dir was given. */
static void apply_url(CoreSite *site, const CoreUrl *url, const SiteOptions *o)
{
        g_free(site->host);
        site->host = g_strdup(url->host);
        site->port = url->port;
        site->implicit_tls = url->implicit_tls;
        g_free(site->user);
        site->user = g_strdup(url->user);
        if (!o->remote_dir) {
                g_free(site->remote_dir);
                site->remote_dir = g_strdup(url->path);
        }
}

/* The URL given after the name (rest[2]) into the site. */
static gboolean take_url(CoreSite *site, const SiteOptions *o, CoreUrl **url, GError **error)
{
        *url = core_url_parse(o->rest[2], error);
        if (!*url)
                return FALSE;
        apply_url(site, *url, o);
        return TRUE;
}

static const char *tls_word(FtpTlsPolicy policy)
{
        return policy == FTP_TLS_REQUIRE ? "require" : policy == FTP_TLS_OFF ? "off" : NULL;
}

/* `site add NAME` alone: the connection as it is (server, user, TLS, mode, directories, a
 * certificate accepted by its fingerprint). */
static gboolean connected(CoreContext *ctx, GError **error)
{
        if (ctx->connected && ctx->host)
                return TRUE;
        g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_USAGE,
                    _("Not connected: give the site's URL (site add <name> ftp://user@host/dir), or open a "
                      "connection first and save it with site add <name>."));
        return FALSE;
}

static gboolean from_connection(CoreContext *ctx, CoreSite *site, GError **error)
{
        if (!connected(ctx, error))
                return FALSE;
        g_autofree char *remote = NULL;
        g_autofree char *pinned = NULL;
        if (!core_connection_where(ctx, &remote, &pinned, error))
                return FALSE;
        site->host = g_strdup(ctx->host);
        site->port = ctx->port;
        site->implicit_tls = ctx->last_implicit_tls;
        site->user = g_strdup(ctx->user);
        site->tls = g_strdup(tls_word(ctx->tls_policy));
        site->passive = ctx->passive ? -1 : 0;
        site->parallel = ctx->parallel != CORE_PARALLEL_DEFAULT ? (int)ctx->parallel : 0;
        site->remote_dir = remote && !g_str_equal(remote, "/") ? g_strdup(remote) : NULL;
        site->local_dir = g_get_current_dir();
        site->fingerprint = g_steal_pointer(&pinned);
        return TRUE;
}

/* ---- passwords ----------------------------------------------------------------------------- */

static void say_no_keyring(CoreContext *ctx, const CoreSite *site, const GError *why)
{
        g_autofree char *name = core_name_escape(site->name);
        core_say(ctx, CORE_MSG_WARNING,
                 _("No password is kept for site %s (%s): it will be asked each time you open it."), name,
                 why->message);
}

static gboolean store_password(CoreContext *ctx, const CoreSite *site, const char *password, GError **error)
{
        CoreKeyringKey key = key_of(site);
        g_autoptr(GError) why = NULL;
        if (!core_keyring_store(&key, password, &why)) {
                say_no_keyring(ctx, site, why);
                return TRUE; /* the site is saved; only the password is not kept */
        }
        g_autofree char *name = core_name_escape(site->name);
        core_say(ctx, CORE_MSG_INFO, _("The password of site %s is in the keyring."), name);
        return TRUE;
}

/* Asks for the password and stores it; an empty answer stores nothing. */
static gboolean ask_and_store(CoreContext *ctx, const CoreSite *site, GError **error)
{
        if (!ctx->fe.prompt)
                return TRUE;
        g_autofree char *user = core_name_escape(site->user);
        g_autofree char *label = g_strdup_printf(_("Password for %s (empty: ask at each connect):"), user);
        char *password = ctx->fe.prompt(label, TRUE, ctx->fe.data);
        gboolean ok = TRUE;
        if (password && *password)
                ok = store_password(ctx, site, password, error);
        core_keyring_password_free(password);
        return ok;
}

/* After add or edit: a password from the URL goes to the keyring; without one, the user is
 * asked whether to keep one there (when a keyring answers). */
static gboolean settle_password(CoreContext *ctx, const CoreSite *site, const char *given, gboolean no_password,
                                GError **error)
{
        if (!site->user || is_anonymous(site->user) || no_password)
                return TRUE;
        if (given)
                return store_password(ctx, site, given, error);
        g_autoptr(GError) why = NULL;
        if (!core_keyring_available(&why)) {
                say_no_keyring(ctx, site, why);
                return TRUE;
        }
        if (!ctx->fe.ask)
                return TRUE;
        g_autofree char *user = core_name_escape(site->user);
        g_autofree char *host = core_name_escape(site->host);
        g_autofree char *question = g_strdup_printf(_("Keep the password of %s@%s in the desktop keyring (no: it "
                                                      "is asked at each connect)?"), user, host);
        CoreAnswer answer = ctx->fe.ask(question, ctx->fe.data);
        if (answer != CORE_ANSWER_YES && answer != CORE_ANSWER_ALL)
                return TRUE;
        return ask_and_store(ctx, site, error);
}

/* ---- the file ------------------------------------------------------------------------------ */

static CoreSites *load(GError **error)
{
        g_autoptr(GError) local = NULL;
        CoreSites *sites = core_sites_load(NULL, &local);
        if (!sites)
                failed(local, error);
        return sites;
}

static gboolean save(CoreSites *sites, GError **error)
{
        g_autoptr(GError) local = NULL;
        return core_sites_save(sites, &local) || failed(local, error);
}

static const CoreSite *find(const CoreSites *sites, const char *name, GError **error)
{
        const CoreSite *site = core_sites_find(sites, name);
        if (site)
                return site;
        g_autofree char *shown = core_name_escape(name);
        g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_FAILED, _("There is no site \"%s\" (see `site list`)."),
                    shown);
        return NULL;
}

/* ---- add, edit, list, rm, password --------------------------------------------------------- */

static gboolean site_add(CoreContext *ctx, int argc, char **argv, GError **error)
{
        g_auto(SiteOptions) o = { 0 };
        if (!parse_options(argc, argv, &o, error))
                return FALSE;
        guint n = g_strv_length(o.rest); /* "add", NAME [, URL] */
        if (n < 2 || n > 3)
                return usage(error);
        const char *name = o.rest[1];
        g_autoptr(GError) bad = NULL;
        if (!core_site_name_check(name, &bad))
                return failed(bad, error);
        if (n == 2 && !connected(ctx, error))
                return FALSE;
        g_autoptr(CoreSites) sites = load(error);
        if (!sites)
                return FALSE;
        if (core_sites_find(sites, name)) {
                g_autofree char *shown = core_name_escape(name);
                g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_FAILED,
                            _("Site \"%s\" exists already: change it with `site edit`, or remove it with `site rm`."),
                            shown);
                return FALSE;
        }
        g_autoptr(CoreSite) site = core_site_new(name);
        g_autoptr(CoreUrl) url = NULL;
        if (!(n == 3 ? take_url(site, &o, &url, error) : from_connection(ctx, site, error)))
                return FALSE;
        apply_options(site, &o);
        if (!core_sites_put(sites, site, &bad))
                return failed(bad, error);
        if (!save(sites, error))
                return FALSE;
        g_autofree char *shown = core_name_escape(name);
        g_autofree char *where = core_site_url(site);
        g_autofree char *where_shown = core_name_escape(where);
        g_autofree char *quoted = strpbrk(name, " \t'\"\\;#") ? g_shell_quote(name) : g_strdup(name);
        g_autofree char *quoted_shown = core_name_escape(quoted);
        core_say(ctx, CORE_MSG_INFO, _("Site %s saved: %s (`open %s` connects)."), shown, where_shown, quoted_shown);
        const char *given = url && !is_anonymous(url->user) ? url->password : NULL;
        return settle_password(ctx, site, given, o.no_password, error);
}

static gboolean same_server(const CoreSite *a, const CoreSite *b)
{
        return g_str_equal(a->host, b->host) && a->port == b->port && g_strcmp0(a->user, b->user) == 0;
}

static gboolean site_edit(CoreContext *ctx, int argc, char **argv, GError **error)
{
        g_auto(SiteOptions) o = { 0 };
        if (!parse_options(argc, argv, &o, error))
                return FALSE;
        guint n = g_strv_length(o.rest);
        if (n < 2 || n > 3)
                return usage(error);
        g_autoptr(CoreSites) sites = load(error);
        if (!sites)
                return FALSE;
        const CoreSite *old = find(sites, o.rest[1], error);
        if (!old)
                return FALSE;
        g_autoptr(CoreSite) was = core_site_copy(old);
        g_autoptr(CoreSite) site = core_site_copy(old);
        g_autoptr(CoreUrl) url = NULL;
        if (n == 3 && !take_url(site, &o, &url, error))
                return FALSE;
        apply_options(site, &o);
        g_autoptr(GError) bad = NULL;
        if (!core_sites_put(sites, site, &bad))
                return failed(bad, error);
        if (!save(sites, error))
                return FALSE;
        g_autofree char *shown = core_name_escape(site->name);
        g_autofree char *where = core_site_url(site);
        g_autofree char *where_shown = core_name_escape(where);
        core_say(ctx, CORE_MSG_INFO, _("Site %s changed: %s."), shown, where_shown);
        const char *given = url && !is_anonymous(url->user) ? url->password : NULL;
        if (same_server(was, site))
                return !given || store_password(ctx, site, given, error);
        /* a password is never sent to another server or as another user than it was kept for */
        g_autoptr(GError) why = NULL;
        if (!core_keyring_clear(was->name, &why))
                core_say(ctx, CORE_MSG_WARNING, _("The keyring could not be reached to remove the old password (%s)."),
                         why->message);
        return settle_password(ctx, site, given, o.no_password, error);
}

static gboolean site_list(CoreContext *ctx, GError **error)
{
        g_autoptr(CoreSites) sites = load(error);
        if (!sites)
                return FALSE;
        const GPtrArray *list = core_sites_list(sites);
        if (list->len == 0) {
                core_say(ctx, CORE_MSG_OUTPUT, "%s", _("No saved sites: `site add <name> <URL>` saves one."));
                return TRUE;
        }
        g_autoptr(GString) out = g_string_new(NULL);
        for (guint i = 0; i < list->len; i++) {
                const CoreSite *site = g_ptr_array_index(list, i);
                g_autofree char *url = core_site_url(site);
                g_autofree char *more = core_site_describe(site);
                g_autofree char *line = g_strdup_printf("%s  %s%s%s%s", site->name, url, *more ? " (" : "", more,
                                                        *more ? ")" : "");
                g_autofree char *shown = core_name_escape(line);
                g_string_append_printf(out, "%s%s", i ? "\n" : "", shown);
        }
        core_say(ctx, CORE_MSG_OUTPUT, "%s", out->str);
        return TRUE;
}

static gboolean site_rm(CoreContext *ctx, const char *name, GError **error)
{
        g_autoptr(CoreSites) sites = load(error);
        if (!sites || !find(sites, name, error))
                return FALSE;
        core_sites_remove(sites, name);
        if (!save(sites, error))
                return FALSE;
        g_autofree char *shown = core_name_escape(name);
        core_say(ctx, CORE_MSG_INFO, _("Site %s removed."), shown);
        g_autoptr(GError) why = NULL;
        if (!core_keyring_clear(name, &why) && !g_error_matches(why, CORE_KEYRING_ERROR, CORE_KEYRING_ERROR_UNAVAILABLE))
                core_say(ctx, CORE_MSG_WARNING, "%s", why->message);
        return TRUE;
}

static gboolean site_password(CoreContext *ctx, const char *name, GError **error)
{
        g_autoptr(CoreSites) sites = load(error);
        const CoreSite *site = sites ? find(sites, name, error) : NULL;
        if (!site)
                return FALSE;
        if (!site->user || is_anonymous(site->user)) {
                g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_FAILED,
                            _("Site %s has no user name (or an anonymous one): there is no password to keep."), name);
                return FALSE;
        }
        g_autoptr(GError) why = NULL;
        if (!core_keyring_available(&why)) {
                say_no_keyring(ctx, site, why);
                return TRUE;
        }
        return ask_and_store(ctx, site, error);
}

CORE_CMD_HANDLER(core_cmd_site)
{
        const char *verb = argv[1];
        if (g_str_equal(verb, "add"))
                return site_add(ctx, argc, argv, error);
        if (g_str_equal(verb, "edit"))
                return site_edit(ctx, argc, argv, error);
        if ((g_str_equal(verb, "list") || g_str_equal(verb, "ls")) && argc == 2)
                return site_list(ctx, error);
        if ((g_str_equal(verb, "rm") || g_str_equal(verb, "remove")) && argc == 3)
                return site_rm(ctx, argv[2], error);
        if (g_str_equal(verb, "password") && argc == 3)
                return site_password(ctx, argv[2], error);
        return usage(error);
}

/* ---- open NAME ------------------------------------------------------------------------------ */

/* The site's settings for this session: scanner, mode, connections, local directory. */
static gboolean apply_settings(CoreContext *ctx, const CoreSite *site, GError **error)
{
        if (site->scanner && !core_context_set_scanner(ctx, site->scanner, 0, error))
                return FALSE;
        if (site->passive >= 0)
                ctx->passive = site->passive != 0;
        if (site->parallel > 0)
                ctx->parallel = (guint)site->parallel;
        return !site->local_dir || core_local_cd(ctx, site->local_dir, error);
}

/* The password from the keyring, or NULL (then ~/.netrc or the prompt). */
static char *keyring_password(CoreContext *ctx, const CoreSite *site)
{
        if (!site->user || is_anonymous(site->user))
                return NULL;
        CoreKeyringKey key = key_of(site);
        g_autoptr(GError) why = NULL;
        char *password = core_keyring_lookup(&key, &why);
        if (why)
                core_say(ctx, CORE_MSG_INFO, _("The password is asked: %s."), why->message);
        return password;
}

/* A certificate trusted while the site was opened: pin it in the site, when the user agrees. */
static void offer_pin(CoreContext *ctx, const char *name, const char *fingerprint)
{
        if (!ctx->fe.ask)
                return;
        g_autofree char *shown = core_name_escape(name);
        g_autofree char *question = g_strdup_printf(_("Keep this certificate (SHA-256 %s) in site %s, so that "
                                                      "opening the site trusts it?"), fingerprint, shown);
        CoreAnswer answer = ctx->fe.ask(question, ctx->fe.data);
        if (answer != CORE_ANSWER_YES && answer != CORE_ANSWER_ALL)
                return;
        g_autoptr(GError) why = NULL;
        g_autoptr(CoreSites) sites = core_sites_load(NULL, &why);
        const CoreSite *site = sites ? core_sites_find(sites, name) : NULL;
        if (site) {
                g_autoptr(CoreSite) pinned = core_site_copy(site);
                g_free(pinned->fingerprint);
                pinned->fingerprint = g_strdup(fingerprint);
                if (core_sites_put(sites, pinned, &why) && core_sites_save(sites, &why)) {
                        core_say(ctx, CORE_MSG_INFO, _("Site %s trusts this certificate now."), shown);
                        return;
                }
        }
        core_say(ctx, CORE_MSG_WARNING, _("The certificate was not kept in site %s: %s"), shown,
                 why ? why->message : _("the site is gone"));
}

static gboolean open_site(CoreContext *ctx, const CoreSite *site, GError **error)
{
        FtpTlsPolicy policy = ctx->tls_policy;
        if (site->tls)
                core_tls_policy_parse(site->tls, &policy);
        if (!apply_settings(ctx, site, error))
                return FALSE;
        g_autofree char *shown = core_name_escape(site->name);
        g_autofree char *url = core_site_url(site);
        g_autofree char *url_shown = core_name_escape(url);
        core_say(ctx, CORE_MSG_INFO, _("Opening site %s: %s"), shown, url_shown);
        char *password = keyring_password(ctx, site);
        CoreConnectSpec spec = { .host = site->host, .port = site->port, .implicit_tls = site->implicit_tls,
                                 .tls_policy = policy, .user = site->user, .password = password,
                                 .pinned = site->fingerprint };
        gboolean ok = core_connect_spec(ctx, &spec, error);
        core_keyring_password_free(password);
        g_autofree char *trusted = spec.trusted_now;
        if (!ok)
                return FALSE;
        g_free(ctx->site);
        ctx->site = g_strdup(site->name);
        g_free(ctx->last_site);
        ctx->last_site = g_strdup(site->name);
        if (trusted && g_strcmp0(trusted, site->fingerprint) != 0)
                offer_pin(ctx, site->name, trusted);
        return !site->remote_dir || core_remote_cd(ctx, site->remote_dir, error);
}

gboolean core_site_open(CoreContext *ctx, const char *name, gboolean *found, GError **error)
{
        *found = FALSE;
        g_autoptr(GError) why = NULL;
        g_autoptr(CoreSites) sites = core_sites_load(NULL, &why);
        if (!sites) {
                core_say(ctx, CORE_MSG_WARNING, _("%s (`open` takes the name for a host.)"), why->message);
                return TRUE;
        }
        const CoreSite *site = core_sites_find(sites, name);
        if (!site)
                return TRUE;
        *found = TRUE;
        return open_site(ctx, site, error);
}
