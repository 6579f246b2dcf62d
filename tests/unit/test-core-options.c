/* tests/unit/test-core-options.c — ftp:// URLs, command-line options, the config file and their
 * precedence. Must not: read the user's real config (XDG_CONFIG_HOME points at a temporary dir). */
#include "core/options.h"
#include <string.h>
#include <glib/gstdio.h>

typedef struct {
        const char *text;
        const char *host;   /* NULL: the URL is refused */
        guint16 port;
        const char *user;
        const char *password;
        const char *path;
} UrlCase;

static const UrlCase url_cases[] = {
        { "ftp://ftp.example.org", "ftp.example.org", 21, NULL, NULL, NULL },
        { "ftp://ftp.example.org/", "ftp.example.org", 21, NULL, NULL, NULL },
        { "ftp://bob@host:2121/pub/dir", "host", 2121, "bob", NULL, "pub/dir" },
        { "ftp://bob:s%40cret@host/", "host", 21, "bob", "s@cret", NULL },
        { "ftp://b%20b:p@host/a%20b", "host", 21, "b b", "p", "a b" },
        { "ftp://host/%2Fetc", "host", 21, NULL, NULL, "/etc" },
        { "ftp://anonymous@host/", "host", 21, "anonymous", "clamftp@", NULL },
        { "ftp://anonymous:me%40x@host", "host", 21, "anonymous", "me@x", NULL },
        { "ftp://[::1]:2121/", "::1", 2121, NULL, NULL, NULL },
        { "FTP://host", "host", 21, NULL, NULL, NULL },
        { "host.example:2121", "host.example", 2121, NULL, NULL, NULL },
        { "127.0.0.1", "127.0.0.1", 21, NULL, NULL, NULL },
        { "http://host/", NULL, 0, NULL, NULL, NULL },
        { "ftps://host/", "host", 990, NULL, NULL, NULL },          /* implicit TLS */
        { "ftps://bob@host:2121/d", "host", 2121, "bob", NULL, "d" },
        { "ftp://", NULL, 0, NULL, NULL, NULL },
        { "ftp://host:0/", NULL, 0, NULL, NULL, NULL },
        { "ftp://host:70000/", NULL, 0, NULL, NULL, NULL },
        { "ftp://u%0d%0aDELE%20x:p@host/", NULL, 0, NULL, NULL, NULL },
        { "ftp://host/a%0ab", NULL, 0, NULL, NULL, NULL },
        { "ftp://ho%1bst/", NULL, 0, NULL, NULL, NULL },             /* ESC in the host */
        { "ftp://h%0dost/", NULL, 0, NULL, NULL, NULL },
        { "ftp://h%7fost/", NULL, 0, NULL, NULL, NULL },
};

typedef struct {
        const char *text;
        const char *shown;     /* in the error */
        const char *never;     /* never in the error */
} UrlErrorCase;

static const UrlErrorCase url_error_cases[] = {
        { "http://bob:S3cret@host/", "http://bob:****@host/", "S3cret" },
        { "ftp://bob:S3cret@host:0/", "ftp://bob:****@host:0/", "S3cret" },
        { "ftp://host:0/\033]0;pwned\007", "\\x1b]0;pwned\\x07", "\033" },
        { "ftp://ho%1bst/", "the host name holds control characters", "\033" },
};

static void test_url_passwords_are_hidden_from_ps(void)
{
        char prog[] = "clamftp", opt[] = "-c", cmd[] = "put a:b@c",
             url[] = "ftp://bob:S3cret@host:21/dir@x", plain[] = "ftps://host/",
             user_only[] = "ftp://bob@host/";
        char *argv[] = { prog, opt, cmd, url, plain, user_only, NULL };
        core_options_hide_passwords(6, argv);
        g_assert_cmpstr(argv[3], ==, "ftp://bob:******@host:21/dir@x");
        g_assert_cmpstr(argv[2], ==, "put a:b@c"); /* not a URL: left alone */
        g_assert_cmpstr(argv[4], ==, "ftps://host/");
        g_assert_cmpstr(argv[5], ==, "ftp://bob@host/");
}

static void test_url_errors_mask_and_escape(void)
{
        for (gsize i = 0; i < G_N_ELEMENTS(url_error_cases); i++) {
                const UrlErrorCase *c = &url_error_cases[i];
                g_autoptr(GError) error = NULL;
                g_test_message("url error %zu", i);
                g_assert_null(core_url_parse(c->text, &error));
                g_assert_nonnull(error);
                g_test_message("message: %s", error->message);
                g_assert_nonnull(strstr(error->message, c->shown));
                g_assert_null(strstr(error->message, c->never));
        }
}

static void test_url_table(void)
{
        for (gsize i = 0; i < G_N_ELEMENTS(url_cases); i++) {
                const UrlCase *c = &url_cases[i];
                g_test_message("url %s", c->text);
                g_autoptr(GError) error = NULL;
                g_autoptr(CoreUrl) url = core_url_parse(c->text, &error);
                if (!c->host) {
                        g_assert_null(url);
                        g_assert_error(error, CORE_OPTIONS_ERROR, CORE_OPTIONS_ERROR_USAGE);
                        continue;
                }
                g_assert_no_error(error);
                g_assert_cmpstr(url->host, ==, c->host);
                g_assert_cmpuint(url->port, ==, c->port);
                g_assert_cmpstr(url->user, ==, c->user);
                g_assert_cmpstr(url->password, ==, c->password);
                g_assert_cmpstr(url->path, ==, c->path);
        }
}

typedef struct {
        char *dir;
} Fixture;

static void fixture_set_up(Fixture *f, gconstpointer data)
{
        f->dir = g_dir_make_tmp("options-XXXXXX", NULL);
        g_assert_nonnull(f->dir);
        g_autofree char *conf_dir = g_build_filename(f->dir, "clamftp", NULL);
        g_assert_cmpint(g_mkdir(conf_dir, 0700), ==, 0);
        g_setenv("XDG_CONFIG_HOME", f->dir, TRUE);
}

static void fixture_tear_down(Fixture *f, gconstpointer data)
{
        g_autofree char *conf = g_build_filename(f->dir, "clamftp", "clamftp.conf", NULL);
        g_autofree char *conf_dir = g_build_filename(f->dir, "clamftp", NULL);
        g_autofree char *other = g_build_filename(f->dir, "other.conf", NULL);
        g_unlink(conf);
        g_unlink(other);
        g_rmdir(conf_dir);
        g_rmdir(f->dir);
        g_free(f->dir);
}

static void write_default_config(Fixture *f, const char *text)
{
        g_autofree char *conf = g_build_filename(f->dir, "clamftp", "clamftp.conf", NULL);
        g_assert_true(g_file_set_contents(conf, text, -1, NULL));
}

static CoreOptions *parse(const char *const *args, GError **error)
{
        return core_options_parse((int)g_strv_length((char **)args), (char **)args, error);
}

/* g_get_user_config_dir() is cached by GLib: these tests pass the file with --config instead,
 * and check the default path only through a subprocess-free rule (missing default is fine). */
static void test_defaults(Fixture *f, gconstpointer data)
{
        const char *args[] = { "clamftp", NULL };
        g_autoptr(GError) error = NULL;
        g_autoptr(CoreOptions) opts = parse(args, &error);
        g_assert_no_error(error);
        g_assert_true(opts->passive);
        g_assert_false(opts->active);
        g_assert_false(opts->no_prompt);
        g_assert_null(opts->commands);
        g_assert_null(opts->url);
        g_assert_cmpint(opts->reconnect, ==, -1); /* the context's default */
}

static void test_command_line(Fixture *f, gconstpointer data)
{
        const char *args[] = { "clamftp", "--line", "-c", "pwd; ls", "--scanner", "tcp:127.0.0.1:3310",
                               "--audit-log", "/tmp/a.jsonl", "--active", "-n",
                               "ftp://bob@example.org:2121/pub", NULL };
        g_autoptr(GError) error = NULL;
        g_autoptr(CoreOptions) opts = parse(args, &error);
        g_assert_no_error(error);
        g_assert_true(opts->line);
        g_assert_cmpstr(opts->commands, ==, "pwd; ls");
        g_assert_cmpstr(opts->scanner, ==, "tcp:127.0.0.1:3310");
        g_assert_cmpstr(opts->audit_log, ==, "/tmp/a.jsonl");
        g_assert_true(opts->active);
        g_assert_true(opts->no_prompt);
        g_assert_nonnull(opts->url);
        g_assert_cmpstr(opts->url->host, ==, "example.org");
        g_assert_cmpuint(opts->url->port, ==, 2121);
        g_assert_cmpstr(opts->url->path, ==, "pub");
}

/* `clamftp -c 'open h' -c ls` runs both, in order, as lftp and sftp users expect; not only the last */
static void test_several_commands_options(Fixture *f, gconstpointer data)
{
        const char *args[] = { "clamftp", "-c", "open h 21", "-c", "cd pub; ls", "--commands=quit", NULL };
        g_autoptr(GError) error = NULL;
        g_autoptr(CoreOptions) opts = parse(args, &error);
        g_assert_no_error(error);
        g_assert_cmpstr(opts->commands, ==, "open h 21;cd pub; ls;quit");
}

/* --check-audit takes the other arguments as the log files, in order (a URL-like name too) */
static void test_check_audit_files(Fixture *f, gconstpointer data)
{
        const char *args[] = { "clamftp", "audit.jsonl.2", "--check-audit", "ftp://not-a-url", "audit.jsonl", NULL };
        g_autoptr(GError) error = NULL;
        g_autoptr(CoreOptions) opts = parse(args, &error);
        g_assert_no_error(error);
        g_assert_true(opts->check_audit);
        g_assert_cmpuint(g_strv_length(opts->audit_files), ==, 3);
        g_assert_cmpstr(opts->audit_files[0], ==, "audit.jsonl.2");
        g_assert_cmpstr(opts->audit_files[1], ==, "ftp://not-a-url");
        g_assert_cmpstr(opts->audit_files[2], ==, "audit.jsonl");
        g_assert_null(opts->url);

        const char *none[] = { "clamftp", "--check-audit", "--audit-log", "/tmp/x.jsonl", NULL };
        g_autoptr(CoreOptions) default_log = parse(none, &error);
        g_assert_no_error(error);
        g_assert_cmpuint(g_strv_length(default_log->audit_files), ==, 0);
        g_assert_cmpstr(default_log->audit_log, ==, "/tmp/x.jsonl");
}

typedef struct {
        const char *name;
        const char *args[6];
} BadArgsCase;

static const BadArgsCase bad_args[] = {
        { "c-and-b", { "clamftp", "-c", "pwd", "-b", "file", NULL } },
        { "two-urls", { "clamftp", "ftp://a", "ftp://b", NULL } },
        { "bad-url", { "clamftp", "http://a/", NULL } },
        { "unknown-option", { "clamftp", "--no-scan", NULL } },
        { "missing-config", { "clamftp", "--config", "/nonexistent/clamftp.conf", NULL } },
        { "parallel-0", { "clamftp", "--parallel", "0", NULL } },
        { "reconnect-negative", { "clamftp", "--reconnect", "-2", NULL } },
        { "reconnect-too-many", { "clamftp", "--reconnect", "101", NULL } },
        { "check-audit-with-c", { "clamftp", "--check-audit", "-c", "ls", "a.jsonl", NULL } },
        { "check-audit-with-b", { "clamftp", "--check-audit", "-b", "f", NULL } },
};

static void test_bad_arguments(Fixture *f, gconstpointer data)
{
        for (gsize i = 0; i < G_N_ELEMENTS(bad_args); i++) {
                g_test_message("case %s", bad_args[i].name);
                g_autoptr(GError) error = NULL;
                g_autoptr(CoreOptions) opts = parse(bad_args[i].args, &error);
                g_assert_null(opts);
                g_assert_nonnull(error);
                g_assert_true(error->domain == CORE_OPTIONS_ERROR);
        }
}

static char *other_config(Fixture *f, const char *text)
{
        char *path = g_build_filename(f->dir, "other.conf", NULL);
        g_assert_true(g_file_set_contents(path, text, -1, NULL));
        return path;
}

/* --reconnect wins over [ftp] reconnect; 0 turns reconnecting off; a bad value in the file is
 * named with its section and key. */
static void test_reconnect_setting(Fixture *f, gconstpointer data)
{
        g_autofree char *path = other_config(f, "[ftp]\nreconnect=9\n");
        const char *from_file[] = { "clamftp", "--config", path, NULL };
        g_autoptr(GError) error = NULL;
        g_autoptr(CoreOptions) opts = parse(from_file, &error);
        g_assert_no_error(error);
        g_assert_cmpint(opts->reconnect, ==, 9);
        const char *given[] = { "clamftp", "--config", path, "--reconnect", "0", NULL };
        g_autoptr(CoreOptions) off = parse(given, &error);
        g_assert_no_error(error);
        g_assert_cmpint(off->reconnect, ==, 0);
        g_autofree char *bad = other_config(f, "[ftp]\nreconnect=many\n");
        const char *bad_file[] = { "clamftp", "--config", bad, NULL };
        g_autoptr(CoreOptions) none = parse(bad_file, &error);
        g_assert_null(none);
        g_assert_nonnull(strstr(error->message, "[ftp] reconnect must be a number of tries from 0 to 100"));
}

static void test_config_file(Fixture *f, gconstpointer data)
{
        g_autofree char *path = other_config(f,
                "[scanner]\naddress=tcp:10.0.0.1:3310\ntimeout=30\ntls-cert=/etc/c.pem\ntls-key=/etc/c.key\n"
                "max-file-size=1.5G\n"
                "[ftp]\npassive=false\nconnect-timeout=5\nreply-timeout=10\ndata-timeout=20\n"
                "[audit]\npath=/var/tmp/audit.jsonl\n");
        const char *args[] = { "clamftp", "--config", path, NULL };
        g_autoptr(GError) error = NULL;
        g_autoptr(CoreOptions) opts = parse(args, &error);
        g_assert_no_error(error);
        g_assert_cmpstr(opts->scanner, ==, "tcp:10.0.0.1:3310");
        g_assert_cmpint(opts->scanner_timeout_ms, ==, 30000);
        g_assert_cmpstr(opts->scanner_cert, ==, "/etc/c.pem");
        g_assert_cmpstr(opts->scanner_key, ==, "/etc/c.key");
        g_assert_cmpint(opts->max_file_size, ==, G_GINT64_CONSTANT(3) << 29);
        g_assert_false(opts->passive);
        g_assert_cmpint(opts->timeouts.connect_ms, ==, 5000);
        g_assert_cmpint(opts->timeouts.reply_ms, ==, 10000);
        g_assert_cmpint(opts->timeouts.data_ms, ==, 20000);
        g_assert_cmpstr(opts->audit_log, ==, "/var/tmp/audit.jsonl");
}

static void test_command_line_beats_config(Fixture *f, gconstpointer data)
{
        g_autofree char *path = other_config(f, "[scanner]\naddress=tcp:10.0.0.1:3310\n[audit]\npath=/x\n");
        const char *args[] = { "clamftp", "--config", path, "--scanner", "unix:/run/mine.sock",
                               "--audit-log", "/y", NULL };
        g_autoptr(CoreOptions) opts = parse(args, NULL);
        g_assert_nonnull(opts);
        g_assert_cmpstr(opts->scanner, ==, "unix:/run/mine.sock");
        g_assert_cmpstr(opts->audit_log, ==, "/y");
}

static void test_bad_config_values(Fixture *f, gconstpointer data)
{
        static const char *const texts[] = {
                "[ftp]\nreply-timeout=soon\n",
                "[ftp]\nconnect-timeout=0\n",
                "[ftp]\npassive=perhaps\n",
                "[scanner]\ntimeout=-5\n",
                "[scanner]\nmax-file-size=lots\n",
                "[scanner]\nmax-file-size=10Q\n",
                "[scanner]\nmax-file-size=-1M\n",
                "[scanner]\nmax-file-size=5Mbit\n",
                "not a key file\n",
        };
        for (gsize i = 0; i < G_N_ELEMENTS(texts); i++) {
                g_test_message("config %s", texts[i]);
                g_autofree char *path = other_config(f, texts[i]);
                const char *args[] = { "clamftp", "--config", path, NULL };
                g_autoptr(GError) error = NULL;
                g_autoptr(CoreOptions) opts = parse(args, &error);
                g_assert_null(opts);
                g_assert_error(error, CORE_OPTIONS_ERROR, CORE_OPTIONS_ERROR_CONFIG);
        }
}

static void test_default_config_optional(Fixture *f, gconstpointer data)
{
        g_autoptr(CoreOptions) opts = g_new0(CoreOptions, 1);
        g_autofree char *missing = g_build_filename(f->dir, "nothing.conf", NULL);
        g_assert_true(core_options_load_config(opts, missing, FALSE, NULL));
        g_autoptr(GError) error = NULL;
        g_assert_false(core_options_load_config(opts, missing, TRUE, &error));
        g_assert_error(error, CORE_OPTIONS_ERROR, CORE_OPTIONS_ERROR_CONFIG);
        write_default_config(f, "[scanner]\naddress=unix:/tmp/x.sock\n");
        g_autofree char *conf = g_build_filename(f->dir, "clamftp", "clamftp.conf", NULL);
        g_assert_true(core_options_load_config(opts, conf, FALSE, NULL));
        g_assert_cmpstr(opts->scanner, ==, "unix:/tmp/x.sock");
}

#define ADD_F(path, fn) g_test_add(path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/core/options/url-parsing", test_url_table);
        g_test_add_func("/core/options/url-errors-mask-and-escape", test_url_errors_mask_and_escape);
        g_test_add_func("/core/options/url-passwords-are-hidden-from-ps", test_url_passwords_are_hidden_from_ps);
        ADD_F("/core/options/defaults", test_defaults);
        ADD_F("/core/options/command-line", test_command_line);
        ADD_F("/core/options/several-c-options-run-in-order", test_several_commands_options);
        ADD_F("/core/options/check-audit-takes-files-in-order", test_check_audit_files);
        ADD_F("/core/options/bad-arguments-are-errors", test_bad_arguments);
        ADD_F("/core/options/config-file-keys", test_config_file);
        ADD_F("/core/options/reconnect-setting", test_reconnect_setting);
        ADD_F("/core/options/command-line-beats-config", test_command_line_beats_config);
        ADD_F("/core/options/bad-config-values-are-errors", test_bad_config_values);
        ADD_F("/core/options/default-config-is-optional", test_default_config_optional);
        return g_test_run();
}
