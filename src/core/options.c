/* core/options.c — the command line, the config file and the ftp:// URL.
 * Owns: option names and their help (with the exit statuses), config keys, precedence (command
 * line over config file over defaults). Must not: print, or offer any way to skip scanning. */
#include "common/i18n.h"
#include "common/quark.h"
#include "core/options.h"
#include "core/commands.h"
#include "core/safename.h"
#include "core/rate.h"
#include "scan/tls-transport.h"
#include "scan/limits.h"
#include <string.h>

COMMON_DEFINE_QUARK(core-options-error-quark, core_options_error)

#define ANONYMOUS_PASSWORD "clamftp@"

void core_url_free(CoreUrl *url)
{
        if (!url)
                return;
        g_free(url->host);
        g_free(url->user);
        if (url->password)
                memset(url->password, 0, strlen(url->password));
        g_free(url->password);
        g_free(url->path);
        g_free(url);
}

/* Where the password of "scheme://user:password@host/…" (or "user:password@host") is: *begin
 * at its first byte, the return value just after its last (the '@'); NULL when it has none. */
static char *password_span(char *url, char **begin)
{
        char *start = strstr(url, "://");
        start = start ? start + 3 : url;
        char *end = start + strcspn(start, "/");
        char *at = g_strrstr_len(start, end - start, "@");
        char *colon = at ? memchr(start, ':', (gsize)(at - start)) : NULL;
        if (!colon)
                return NULL;
        *begin = colon + 1;
        return at;
}

/* The URL as a message may quote it: the password masked, control characters escaped. */
static char *url_for_message(const char *text)
{
        g_autofree char *masked = g_strdup(text);
        char *begin = NULL;
        char *at = password_span(masked, &begin);
        if (!at)
                return core_name_escape(masked);
        g_autofree char *rest = g_strdup(at);
        *begin = '\0';
        g_autofree char *joined = g_strconcat(masked, "****", rest, NULL);
        return core_name_escape(joined);
}

static gboolean bad_url(const char *text, const char *why, GError **error)
{
        g_autofree char *shown = url_for_message(text);
        g_autofree char *why_shown = core_name_escape(why);
        g_set_error(error, CORE_OPTIONS_ERROR, CORE_OPTIONS_ERROR_USAGE,
                    _("Cannot open \"%s\": %s (expected ftp:// or ftps://[user[:password]@]host[:port][/path])."),
                    shown, why_shown);
        return FALSE;
}

/* RFC 1738: the path is relative to the login directory; a leading "%2F" makes it absolute. */
static char *url_dir(const char *path)
{
        if (!path || !*path)
                return NULL;
        const char *dir = path[0] == '/' ? path + 1 : path;
        if (!*dir)
                return NULL;
        return g_strdup(dir);
}

static gboolean is_anonymous(const char *user)
{
        return user && (g_str_equal(user, "anonymous") || g_str_equal(user, "ftp"));
}

static gboolean has_control(const char *text)
{
        for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
                if (*p < 0x20 || *p == 0x7f)
                        return TRUE;
        }
        return FALSE;
}

CoreUrl *core_url_parse(const char *text, GError **error)
{
        g_autofree char *full = strstr(text, "://") ? g_strdup(text) : g_strconcat("ftp://", text, NULL);
        g_autoptr(GError) uri_error = NULL;
        g_autoptr(GUri) uri = g_uri_parse(full, G_URI_FLAGS_HAS_PASSWORD, &uri_error);
        if (!uri) {
                bad_url(text, uri_error->message, error);
                return NULL;
        }
        gboolean implicit_tls = g_ascii_strcasecmp(g_uri_get_scheme(uri), "ftps") == 0;
        if (!implicit_tls && g_ascii_strcasecmp(g_uri_get_scheme(uri), "ftp") != 0) {
                bad_url(text, _("only ftp:// and ftps:// are supported"), error);
                return NULL;
        }
        const char *host = g_uri_get_host(uri);
        if (!host || !*host) {
                bad_url(text, _("there is no host name"), error);
                return NULL;
        }
        if (has_control(host)) { /* %1b, %0d … decoded: never a host, and never to be printed */
                bad_url(text, _("the host name holds control characters"), error);
                return NULL;
        }
        int port = g_uri_get_port(uri);
        if (port == 0 || port > 65535) {
                bad_url(text, _("the port must be 1 to 65535"), error);
                return NULL;
        }
        const char *user = g_uri_get_user(uri);
        const char *password = g_uri_get_password(uri);
        if ((user && ftp_string_has_ctrl(user)) || (password && ftp_string_has_ctrl(password)) ||
            ftp_string_has_ctrl(g_uri_get_path(uri))) {
                bad_url(text, _("it holds a carriage return, line feed or NUL"), error);
                return NULL;
        }
        CoreUrl *url = g_new0(CoreUrl, 1);
        url->host = g_strdup(host);
        url->port = port > 0 ? (guint16)port : implicit_tls ? 990 : 21;
        url->implicit_tls = implicit_tls;
        url->user = user && *user ? g_strdup(user) : NULL;
        url->password = g_strdup(password);
        if (!url->password && is_anonymous(url->user))
                url->password = g_strdup(ANONYMOUS_PASSWORD);
        url->path = url_dir(g_uri_get_path(uri));
        return url;
}

void core_options_free(CoreOptions *opts)
{
        if (!opts)
                return;
        g_free(opts->commands);
        g_strfreev(opts->commands_given);
        g_free(opts->batch_file);
        g_free(opts->scanner);
        g_free(opts->scanner_cert);
        g_free(opts->scanner_key);
        g_strfreev(opts->scanners_given);
        g_free(opts->config_file);
        g_free(opts->audit_log);
        g_strfreev(opts->audit_files);
        g_free(opts->tls);
        g_free(opts->trust_fingerprint);
        g_free(opts->limit_rate);
        g_free(opts->limit_total);
        core_url_free(opts->url);
        g_free(opts);
}

static gboolean config_error(const char *path, const GError *cause, GError **error)
{
        g_set_error(error, CORE_OPTIONS_ERROR, CORE_OPTIONS_ERROR_CONFIG, _("Config file %s: %s"), path,
                    cause->message);
        return FALSE;
}

/* An optional integer number of seconds, as milliseconds in *ms (left alone when absent). */
static gboolean read_seconds(GKeyFile *kf, const char *group, const char *key, int *ms,
                             const char *path, GError **error)
{
        if (!g_key_file_has_key(kf, group, key, NULL))
                return TRUE;
        g_autoptr(GError) local = NULL;
        int seconds = g_key_file_get_integer(kf, group, key, &local);
        if (local)
                return config_error(path, local, error);
        if (seconds <= 0 || seconds > 24 * 3600) {
                g_set_error(error, CORE_OPTIONS_ERROR, CORE_OPTIONS_ERROR_CONFIG,
                            _("Config file %s: [%s] %s must be a number of seconds from 1 to 86400."),
                            path, group, key);
                return FALSE;
        }
        *ms = seconds * 1000;
        return TRUE;
}

/* An optional size: bytes, or with K, M, G or T (1024-based; "iB" or "B" may follow), as in 100M
 * or 1.5G; 0 for none. Into *bytes (left alone when absent). */
static gboolean read_size(GKeyFile *kf, const char *group, const char *key, gint64 *bytes, const char *path,
                          GError **error)
{
        g_autofree char *text = g_key_file_get_string(kf, group, key, NULL);
        if (!text)
                return TRUE;
        g_strstrip(text);
        char *end = NULL;
        double value = g_ascii_isdigit(text[0]) ? g_ascii_strtod(text, &end) : -1;
        static const char units[] = "KMGT";
        const char *unit = end && *end ? strchr(units, g_ascii_toupper(*end)) : NULL;
        double factor = unit ? (double)(G_GINT64_CONSTANT(1) << (10 * (unit - units + 1))) : 1;
        const char *rest = unit ? end + 1 : end;
        gboolean suffix_ok = rest && (!*rest || (unit && (g_ascii_strcasecmp(rest, "iB") == 0 ||
                                                          g_ascii_strcasecmp(rest, "B") == 0)));
        if (value < 0 || !suffix_ok || value * factor > (double)G_MAXINT64 / 2) {
                g_set_error(error, CORE_OPTIONS_ERROR, CORE_OPTIONS_ERROR_CONFIG,
                            _("Config file %s: [%s] %s must be a size such as 100M or 2G (0: none)."), path, group,
                            key);
                return FALSE;
        }
        *bytes = (gint64)(value * factor + 0.5);
        return TRUE;
}

/* A non-empty string value into *value; FALSE when absent or blank. */
static gboolean read_string(GKeyFile *kf, const char *group, const char *key, char **value)
{
        g_autofree char *text = g_key_file_get_string(kf, group, key, NULL);
        if (!text)
                return FALSE;
        g_strstrip(text);
        if (!*text)
                return FALSE;
        g_free(*value);
        *value = g_steal_pointer(&text);
        return TRUE;
}

static gboolean parse_tls_version(const char *text, int *version)
{
        if (g_str_equal(text, "1.2"))
                *version = 12;
        else if (g_str_equal(text, "1.3"))
                *version = 13;
        else
                return FALSE;
        return TRUE;
}

/* A setting that counts something (connections, tries): from `min` to `max`. */
typedef struct {
        const char *group, *key, *option; /* [group] key in the config file, --option on the command line */
        int min, max;
        const char *what;                 /* translated: "connections", "tries" */
} CountSetting;

static const CountSetting parallel_setting = { "transfer", "parallel", "--parallel", 1, CORE_PARALLEL_MAX,
                                               N_("a number of connections") };
static const CountSetting reconnect_setting = { "ftp", "reconnect", "--reconnect", 0, CORE_RECONNECT_MAX,
                                                N_("a number of tries") };
static const CountSetting scanner_wait_setting = { "scanner", "wait", "--scanner-wait", 0, CORE_SCANNER_WAIT_MAX_S,
                                                   N_("a number of seconds") };

static gboolean bad_count(const CountSetting *setting, const char *path, GError **error)
{
        if (path)
                g_set_error(error, CORE_OPTIONS_ERROR, CORE_OPTIONS_ERROR_CONFIG,
                            _("Config file %s: [%s] %s must be %s from %d to %d."), path, setting->group,
                            setting->key, _(setting->what), setting->min, setting->max);
        else
                g_set_error(error, CORE_OPTIONS_ERROR, CORE_OPTIONS_ERROR_USAGE, _("%s must be %s from %d to %d."),
                            setting->option, _(setting->what), setting->min, setting->max);
        return FALSE;
}

/* [group] key, unless the command line gave it (*value >= 0). */
static gboolean read_count(GKeyFile *kf, const CountSetting *setting, int *value, const char *path, GError **error)
{
        if (*value >= 0 || !g_key_file_has_key(kf, setting->group, setting->key, NULL))
                return TRUE;
        g_autoptr(GError) local = NULL;
        int n = g_key_file_get_integer(kf, setting->group, setting->key, &local);
        if (local || n < setting->min || n > setting->max)
                return bad_count(setting, path, error);
        *value = n;
        return TRUE;
}

static gboolean count_given_ok(const CountSetting *setting, int value, GError **error)
{
        if (value != -1 && (value < setting->min || value > setting->max))
                return bad_count(setting, NULL, error);
        return TRUE;
}

/* [group] key as true or false into *value (1 or 0); untouched when the file does not have it. */
static gboolean read_switch(GKeyFile *kf, const char *group, const char *key, int *value, const char *path,
                            GError **error)
{
        if (!g_key_file_has_key(kf, group, key, NULL))
                return TRUE;
        g_autoptr(GError) local = NULL;
        gboolean on = g_key_file_get_boolean(kf, group, key, &local);
        if (local)
                return config_error(path, local, error);
        *value = on;
        return TRUE;
}

/* [scanner] address and [scanner] scanners (each one address or a comma-separated list), as one
 * list; untouched when the file has neither. */
static void read_scanners(GKeyFile *kf, char **value)
{
        g_autofree char *address = NULL, *scanners = NULL;
        read_string(kf, "scanner", "address", &address);
        read_string(kf, "scanner", "scanners", &scanners);
        if (address || scanners)
                *value = address && scanners ? g_strjoin(",", address, scanners, NULL)
                                             : g_strdup(address ? address : scanners);
}

/* Values already set (from the command line) are kept. */
static gboolean read_config(CoreOptions *opts, GKeyFile *kf, const char *path, GError **error)
{
        if (!opts->scanner)
                read_scanners(kf, &opts->scanner);
        if (!opts->scanner_cert)
                read_string(kf, "scanner", "tls-cert", &opts->scanner_cert);
        if (!opts->scanner_key)
                read_string(kf, "scanner", "tls-key", &opts->scanner_key);
        if (!opts->audit_log)
                read_string(kf, "audit", "path", &opts->audit_log);
        if (!read_seconds(kf, "scanner", "timeout", &opts->scanner_timeout_ms, path, error) ||
            !read_seconds(kf, "ftp", "connect-timeout", &opts->timeouts.connect_ms, path, error) ||
            !read_seconds(kf, "ftp", "reply-timeout", &opts->timeouts.reply_ms, path, error) ||
            !read_seconds(kf, "ftp", "data-timeout", &opts->timeouts.data_ms, path, error))
                return FALSE;
        if (!opts->tls)
                read_string(kf, "ftp", "tls", &opts->tls);
        if (!opts->limit_rate)
                read_string(kf, "transfer", "limit-rate", &opts->limit_rate);
        if (!read_size(kf, "scanner", "max-file-size", &opts->max_file_size, path, error))
                return FALSE;
        if (!opts->limit_total)
                read_string(kf, "transfer", "limit-total", &opts->limit_total);
        g_autofree char *max = NULL;
        if (read_string(kf, "ftp", "tls-max-version", &max) && !parse_tls_version(max, &opts->tls_max_version)) {
                g_set_error(error, CORE_OPTIONS_ERROR, CORE_OPTIONS_ERROR_CONFIG,
                            _("Config file %s: [ftp] tls-max-version must be 1.2 or 1.3."), path);
                return FALSE;
        }
        if (!read_count(kf, &parallel_setting, &opts->parallel, path, error) ||
            !read_count(kf, &reconnect_setting, &opts->reconnect, path, error) ||
            !read_count(kf, &scanner_wait_setting, &opts->scanner_wait, path, error))
                return FALSE;
        int passive = -1;
        if (!read_switch(kf, "transfer", "temp-upload", &opts->temp_upload, path, error) ||
            !read_switch(kf, "ftp", "passive", &passive, path, error))
                return FALSE;
        if (passive >= 0)
                opts->passive = passive;
        return TRUE;
}

gboolean core_options_load_config(CoreOptions *opts, const char *path, gboolean must_exist,
                                  GError **error)
{
        g_autoptr(GKeyFile) kf = g_key_file_new();
        g_autoptr(GError) local = NULL;
        if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &local)) {
                if (!must_exist && g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
                        return TRUE;
                return config_error(path, local, error);
        }
        return read_config(opts, kf, path, error);
}

static const char *description(void)
{
        return _("Every file clamftp uploads is first scanned by a clamd-protocol scanner (clamd or\n"
                 "clamav-agent) and uploaded only when the verdict is OK. Scanning cannot be turned off.\n"
                 "\n"
                 "Commands run from -c, from -b FILE, or from standard input when it is not a terminal.\n"
                 "On a terminal clamftp opens full screen (local files left, the server right, `:` for\n"
                 "commands); --line gives the ftp> prompt instead. Type `help` for the commands.\n"
                 "\n"
                 "Scanner: --scanner, else [scanner] address in the config file, else\n"
                 "  unix:/run/clamav/clamd.ctl (Debian's clamd socket). tls:host:port reaches a\n"
                 "  clamav-agent whose TCP socket speaks TLS: its certificate must verify against the\n"
                 "  system's roots or match the fingerprint of its host:port line in the trusted-certs\n"
                 "  file below; --scanner-cert and --scanner-key give the client certificate it may ask for.\n"
                 "  Several scanners (--scanner repeated, a comma-separated list, [scanner] scanners)\n"
                 "  are a pool: scans are spread over the members that answer, and a file whose scanner\n"
                 "  dies is scanned on another. A scanner that gives no verdict is waited for\n"
                 "  (--scanner-wait, default 60 s) before the file is refused.\n"
                 "Config file: $XDG_CONFIG_HOME/clamftp/clamftp.conf (~/.config/clamftp/clamftp.conf).\n"
                 "Logins: ~/.netrc (its passwords are used only when no one else can read it).\n"
                 "\n"
                 "TLS (FTPS): --tls=auto (default) encrypts whenever the server accepts AUTH TLS;\n"
                 "  --tls=require refuses to send the user name and password without TLS; --tls=off\n"
                 "  never asks ([ftp] tls in the config file). ftps:// URLs and port 990 use implicit\n"
                 "  TLS. A certificate that does not verify is refused unless its SHA-256 fingerprint\n"
                 "  is given with --trust-fingerprint; the choice is remembered in\n"
                 "  $XDG_DATA_HOME/clamftp/trusted-certs, and a changed certificate is refused.\n"
                 "\n"
                 "Exit status:\n"
                 "  0  everything asked was done\n"
                 "  1  the scanner refused a file (infected, or no verdict), nothing else failed\n"
                 "  2  any other failure (a command, a connection, a login, a bad option)\n");
}

static GOptionContext *option_context(CoreOptions *opts)
{
        const GOptionEntry entries[] = {
                { "line", 0, 0, G_OPTION_ARG_NONE, &opts->line,
                  N_("Use line mode even on a terminal"), NULL },
                { "commands", 'c', 0, G_OPTION_ARG_STRING_ARRAY, &opts->commands_given,
                  N_("Run these commands (separated by ;) and exit"), N_("CMDS") },
                { "batch", 'b', 0, G_OPTION_ARG_FILENAME, &opts->batch_file,
                  N_("Run the commands in FILE (one per line) and exit"), N_("FILE") },
                { "scanner", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opts->scanners_given,
                  N_("The scanner: unix:/path, tcp:host:port, tls:host:port, instream:unix:/path to force "
                     "streaming, or an ICAP service icap://host:port/service (icaps:// for TLS); several (a "
                     "comma-separated list, or the option repeated) make a pool"), N_("ADDRESS") },
                { "scanner-cert", 0, 0, G_OPTION_ARG_FILENAME, &opts->scanner_cert,
                  N_("The client certificate (PEM) for a tls: scanner that asks for one"), N_("FILE") },
                { "scanner-key", 0, 0, G_OPTION_ARG_FILENAME, &opts->scanner_key,
                  N_("The key (PEM) of --scanner-cert"), N_("FILE") },
                { "scanner-wait", 0, 0, G_OPTION_ARG_INT, &opts->scanner_wait,
                  N_("When no scanner gives a verdict, retry for up to SECONDS before refusing the file "
                     "(0-86400, default 60)"), N_("SECONDS") },
                { "config", 0, 0, G_OPTION_ARG_FILENAME, &opts->config_file,
                  N_("Read this config file instead of the default one"), N_("FILE") },
                { "audit-log", 0, 0, G_OPTION_ARG_FILENAME, &opts->audit_log,
                  N_("Write the audit log (JSON lines) to FILE"), N_("FILE") },
                { "active", 0, 0, G_OPTION_ARG_NONE, &opts->active,
                  N_("Use active mode (the server connects back) instead of passive"), NULL },
                { "no-prompt", 'n', 0, G_OPTION_ARG_NONE, &opts->no_prompt,
                  N_("Do not ask per file in mput/mget or before overwriting"), NULL },
                { "tls", 0, 0, G_OPTION_ARG_STRING, &opts->tls,
                  N_("When to use TLS: auto (whenever offered), require, off"), N_("MODE") },
                { "trust-fingerprint", 0, 0, G_OPTION_ARG_STRING, &opts->trust_fingerprint,
                  N_("Accept the server certificate with this SHA-256 fingerprint (and remember it)"), N_("SHA256") },
                { "parallel", 0, 0, G_OPTION_ARG_INT, &opts->parallel,
                  N_("Spread mput and the full-screen upload batches over up to N connections (1-16, default 4)"),
                  N_("N") },
                { "reconnect", 0, 0, G_OPTION_ARG_INT, &opts->reconnect,
                  N_("When a connection is lost during transfers, reconnect up to N times (0-100, default 5)"),
                  N_("N") },
                { "limit-rate", 0, 0, G_OPTION_ARG_STRING, &opts->limit_rate,
                  N_("Limit each transfer to RATE bytes per second (500K, 2M: 1024-based)"), N_("RATE") },
                { "limit-total", 0, 0, G_OPTION_ARG_STRING, &opts->limit_total,
                  N_("Limit all transfers together to RATE bytes per second"), N_("RATE") },
                { "resume-queue", 0, 0, G_OPTION_ARG_NONE, &opts->resume_queue,
                  N_("Resume the transfers an earlier run left unfinished (after a crash, a kill or a quit), "
                     "without asking"), NULL },
                { "discard-queue", 0, 0, G_OPTION_ARG_NONE, &opts->discard_queue,
                  N_("Drop the transfers an earlier run left unfinished, without asking"), NULL },
                { "check-audit", 0, 0, G_OPTION_ARG_NONE, &opts->check_audit,
                  N_("Verify the hash chain and records of the audit log FILE… (oldest first; none: the log "
                     "clamftp writes) and exit: 0 whole, 1 broken, 2 unreadable"), NULL },
                { "version", 0, 0, G_OPTION_ARG_NONE, &opts->version,
                  N_("Show the version and exit"), NULL },
                { NULL }
        };
        GOptionContext *context = g_option_context_new(_("[ftp://[user[:password]@]host[:port][/path]]"));
        g_option_context_set_summary(context, _("A secure FTP client that scans every upload for viruses."));
        g_option_context_set_description(context, description());
        g_option_context_add_main_entries(context, entries, GETTEXT_PACKAGE);
        g_option_context_set_translation_domain(context, GETTEXT_PACKAGE);
        return context;
}

static gboolean usage_error(const char *message, GError **error)
{
        g_set_error(error, CORE_OPTIONS_ERROR, CORE_OPTIONS_ERROR_USAGE, "%s", message);
        return FALSE;
}

static gboolean tls_fingerprint_normalise_check(const char *text)
{
        g_autofree char *normal = tls_fingerprint_normalise(text);
        return normal != NULL;
}

/* "auto", "require", "off" (also "on"/"yes" for require, "no" for off). */
gboolean core_tls_policy_parse(const char *text, FtpTlsPolicy *policy)
{
        if (!text || g_ascii_strcasecmp(text, "auto") == 0)
                *policy = FTP_TLS_AUTO;
        else if (g_ascii_strcasecmp(text, "require") == 0 || g_ascii_strcasecmp(text, "required") == 0 ||
                 g_ascii_strcasecmp(text, "on") == 0 || g_ascii_strcasecmp(text, "yes") == 0)
                *policy = FTP_TLS_REQUIRE;
        else if (g_ascii_strcasecmp(text, "off") == 0 || g_ascii_strcasecmp(text, "no") == 0)
                *policy = FTP_TLS_OFF;
        else
                return FALSE;
        return TRUE;
}

static gboolean check_arguments(CoreOptions *opts, char **rest, GError **error)
{
        guint n = g_strv_length(rest);
        if (opts->check_audit) {
                if (opts->commands || opts->batch_file || opts->line)
                        return usage_error(_("--check-audit takes audit log files, not -c, -b or --line."), error);
                opts->audit_files = g_strdupv(n > 0 ? rest + 1 : rest);
                return TRUE;
        }
        if (n > 2)
                return usage_error(_("Only one URL may be given (see --help)."), error);
        if (opts->commands && opts->batch_file)
                return usage_error(_("Give either -c or -b, not both."), error);
        if (opts->resume_queue && opts->discard_queue)
                return usage_error(_("Give either --resume-queue or --discard-queue, not both."), error);
        if (!count_given_ok(&parallel_setting, opts->parallel, error) ||
            !count_given_ok(&reconnect_setting, opts->reconnect, error) ||
            !count_given_ok(&scanner_wait_setting, opts->scanner_wait, error))
                return FALSE;
        if (opts->trust_fingerprint && !tls_fingerprint_normalise_check(opts->trust_fingerprint))
                return usage_error(_("--trust-fingerprint wants a SHA-256 fingerprint: 64 hex digits, "
                                     "with or without colons."), error);
        if (n == 2) {
                opts->url = core_url_parse(rest[1], error);
                if (!opts->url)
                        return FALSE;
        }
        return TRUE;
}

static char *default_config_path(void)
{
        return g_build_filename(g_get_user_config_dir(), "clamftp", "clamftp.conf", NULL);
}

CoreOptions *core_options_parse(int argc, char **argv, GError **error)
{
        g_autoptr(CoreOptions) opts = g_new0(CoreOptions, 1);
        opts->passive = TRUE;
        opts->parallel = -1;
        opts->reconnect = -1;
        opts->scanner_wait = -1;
        opts->temp_upload = -1;
        g_autoptr(GOptionContext) context = option_context(opts);
        g_auto(GStrv) args = g_new0(char *, argc + 1);
        for (int i = 0; i < argc; i++)
                args[i] = g_strdup(argv[i]);
        if (!args[0])
                args[0] = g_strdup("clamftp");
        g_autoptr(GError) local = NULL;
        if (!g_option_context_parse_strv(context, &args, &local)) {
                usage_error(local->message, error);
                return NULL;
        }
        if (opts->commands_given)
                opts->commands = g_strjoinv(";", opts->commands_given);
        if (opts->scanners_given)
                opts->scanner = g_strjoinv(",", opts->scanners_given);
        if (!check_arguments(opts, args, error))
                return NULL;
        if (opts->version)
                return g_steal_pointer(&opts);
        g_autofree char *config = opts->config_file ? g_strdup(opts->config_file) : default_config_path();
        if (!core_options_load_config(opts, config, opts->config_file != NULL, error))
                return NULL;
        FtpTlsPolicy policy;
        if (!core_tls_policy_parse(opts->tls, &policy)) {
                usage_error(_("--tls (or [ftp] tls) must be auto, require or off."), error);
                return NULL;
        }
        return g_steal_pointer(&opts);
}

gboolean core_options_apply(const CoreOptions *opts, CoreContext *ctx, GError **error)
{
        const char *scanner = opts->scanner ? opts->scanner : CORE_DEFAULT_SCANNER;
        if (opts->scanner_wait >= 0)
                core_context_set_scanner_wait(ctx, opts->scanner_wait * 1000);
        if (!core_context_set_scanner(ctx, scanner, opts->scanner_timeout_ms, error))
                return FALSE;
        if (!scan_tls_set_identity(opts->scanner_cert, opts->scanner_key, error))
                return FALSE;
        if (!core_context_open_audit(ctx, opts->audit_log, error))
                return FALSE;
        ctx->passive = opts->passive && !opts->active;
        if (opts->parallel > 0)
                ctx->parallel = (guint)opts->parallel;
        if (opts->reconnect >= 0)
                ctx->reconnect = (guint)opts->reconnect;
        if (opts->temp_upload >= 0)
                ctx->temp_upload = opts->temp_upload != 0;
        guint64 per = 0, total = 0;
        if ((opts->limit_rate && !core_rate_parse(opts->limit_rate, "--limit-rate", &per, error)) ||
            (opts->limit_total && !core_rate_parse(opts->limit_total, "--limit-total", &total, error)))
                return FALSE;
        core_rate_set(ctx, per, total);
        scan_limits_set_max_file_size(opts->max_file_size);
        if (opts->no_prompt)
                ctx->prompt = FALSE;
        if (opts->timeouts.connect_ms > 0)
                ctx->timeouts.connect_ms = opts->timeouts.connect_ms;
        if (opts->timeouts.reply_ms > 0)
                ctx->timeouts.reply_ms = opts->timeouts.reply_ms;
        if (opts->timeouts.data_ms > 0)
                ctx->timeouts.data_ms = opts->timeouts.data_ms;
        if (!core_tls_policy_parse(opts->tls, &ctx->tls_policy))
                return usage_error(_("--tls (or [ftp] tls) must be auto, require or off."), error);
        ctx->tls_max_version = opts->tls_max_version;
        g_free(ctx->trust_fingerprint);
        ctx->trust_fingerprint = g_strdup(opts->trust_fingerprint);
        return core_apply_settings(ctx, error);
}

gboolean core_options_open_url(const CoreOptions *opts, CoreContext *ctx, GError **error)
{
        return !opts->url || core_connect_url(ctx, opts->url, error);
}

void core_options_hide_passwords(int argc, char **argv)
{
        for (int i = 1; i < argc; i++) {
                char *begin = NULL;
                char *at = strstr(argv[i], "://") ? password_span(argv[i], &begin) : NULL;
                for (char *p = begin; at && p < at; p++)
                        *p = '*';
        }
}
