/* tests/unit/test-core-netrc.c — ~/.netrc: tokens, macdef, default, lookup order, and passwords
 * refused from a file others can read. Must not: read the real ~/.netrc. */
#include "core/netrc.h"
#include <glib/gstdio.h>
#include <sys/stat.h>

typedef struct {
        const char *name;
        const char *text;
        const char *host;
        const char *login;        /* asked for, or NULL */
        const char *want_login;   /* NULL: no entry expected */
        const char *want_password;
        const char *want_account;
} NetrcCase;

static const NetrcCase cases[] = {
        { "one-line", "machine ftp.example.org login alice password s3cret",
          "ftp.example.org", NULL, "alice", "s3cret", NULL },
        { "one-token-per-line", "machine\nftp.example.org\nlogin\nalice\npassword\ns3cret\n",
          "ftp.example.org", NULL, "alice", "s3cret", NULL },
        { "host-is-case-insensitive", "machine FTP.Example.ORG login alice password p",
          "ftp.example.org", NULL, "alice", "p", NULL },
        { "second-machine", "machine a login x password 1\nmachine b login y password 2\n",
          "b", NULL, "y", "2", NULL },
        { "first-match-wins", "machine a login x password 1\nmachine a login y password 2\n",
          "a", NULL, "x", "1", NULL },
        { "login-selects-entry", "machine a login x password 1\nmachine a login y password 2\n",
          "a", "y", "y", "2", NULL },
        { "default-when-no-machine", "machine a login x password 1\ndefault login anonymous password me@\n",
          "other", NULL, "anonymous", "me@", NULL },
        { "machine-beats-default", "default login anonymous password me@\nmachine a login x password 1\n",
          "a", NULL, "x", "1", NULL },
        { "no-match", "machine a login x password 1\n", "b", NULL, NULL, NULL, NULL },
        { "account", "machine a login x password 1 account acct9\n", "a", NULL, "x", "1", "acct9" },
        { "login-without-password", "machine a login x\n", "a", NULL, "x", NULL, NULL },
        { "quoted-password", "machine a login x password \"two words\\\"q\"\n", "a", NULL, "x", "two words\"q", NULL },
        { "macdef-skipped",
          "machine a login x password 1\nmacdef init\nmachine evil login bad password bad\nbinary\n\n"
          "machine b login y password 2\n",
          "evil", NULL, NULL, NULL, NULL },
        { "after-macdef-parsed",
          "macdef init\nmachine evil login bad\n\nmachine b login y password 2\n",
          "b", NULL, "y", "2", NULL },
        { "unknown-words-ignored", "machine a port 21 login x password 1\n", "a", NULL, "x", "1", NULL },
        { "empty", "", "a", NULL, NULL, NULL, NULL },
};

static void test_parse_table(void)
{
        for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
                const NetrcCase *c = &cases[i];
                g_test_message("case %s", c->name);
                g_autoptr(GError) error = NULL;
                g_autoptr(CoreNetrc) netrc = core_netrc_parse(c->text, &error);
                g_assert_no_error(error);
                g_assert_nonnull(netrc);
                const CoreNetrcEntry *entry = core_netrc_find(netrc, c->host, c->login);
                if (!c->want_login) {
                        g_assert_null(entry);
                        continue;
                }
                g_assert_nonnull(entry);
                g_assert_cmpstr(entry->login, ==, c->want_login);
                g_assert_cmpstr(entry->password, ==, c->want_password);
                g_assert_cmpstr(entry->account, ==, c->want_account);
        }
}

static void test_keyword_without_value(void)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(CoreNetrc) netrc = core_netrc_parse("machine a login x password", &error);
        g_assert_null(netrc);
        g_assert_error(error, CORE_NETRC_ERROR, CORE_NETRC_ERROR_SYNTAX);
}

static char *write_netrc(const char *dir, const char *text, int mode)
{
        char *path = g_build_filename(dir, "netrc", NULL);
        g_assert_true(g_file_set_contents(path, text, -1, NULL));
        g_assert_cmpint(g_chmod(path, mode), ==, 0);
        return path;
}

static void test_private_file_keeps_password(void)
{
        g_autofree char *dir = g_dir_make_tmp("netrc-XXXXXX", NULL);
        g_autofree char *path = write_netrc(dir, "machine a login x password 1 account z\n", 0600);
        g_autoptr(CoreNetrc) netrc = core_netrc_load(path, NULL);
        g_assert_nonnull(netrc);
        const CoreNetrcEntry *entry = core_netrc_find(netrc, "a", NULL);
        g_assert_cmpstr(entry->password, ==, "1");
        g_assert_false(entry->password_refused);
        g_unlink(path);
        g_rmdir(dir);
}

static void test_readable_by_others_refuses_password(void)
{
        g_autofree char *dir = g_dir_make_tmp("netrc-XXXXXX", NULL);
        g_autofree char *path = write_netrc(dir, "machine a login x password 1 account z\nmachine b login y\n", 0644);
        g_autoptr(CoreNetrc) netrc = core_netrc_load(path, NULL);
        g_assert_nonnull(netrc);
        const CoreNetrcEntry *entry = core_netrc_find(netrc, "a", NULL);
        g_assert_cmpstr(entry->login, ==, "x");  /* the login is still used */
        g_assert_null(entry->password);
        g_assert_null(entry->account);
        g_assert_true(entry->password_refused);
        g_assert_false(core_netrc_find(netrc, "b", NULL)->password_refused);
        g_unlink(path);
        g_rmdir(dir);
}

static void test_missing_file_is_empty(void)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(CoreNetrc) netrc = core_netrc_load("/nonexistent/clamftp-test/netrc", &error);
        g_assert_no_error(error);
        g_assert_nonnull(netrc);
        g_assert_cmpuint(netrc->entries->len, ==, 0);
}

static void test_netrc_env_names_the_file(void)
{
        g_autofree char *dir = g_dir_make_tmp("netrc-XXXXXX", NULL);
        g_autofree char *path = write_netrc(dir, "machine envhost login fromenv\n", 0600);
        g_setenv("NETRC", path, TRUE);
        g_autoptr(CoreNetrc) netrc = core_netrc_load(NULL, NULL);
        g_unsetenv("NETRC");
        g_assert_nonnull(netrc);
        g_assert_cmpstr(core_netrc_find(netrc, "envhost", NULL)->login, ==, "fromenv");
        g_unlink(path);
        g_rmdir(dir);
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/core/netrc/parse-and-find", test_parse_table);
        g_test_add_func("/core/netrc/keyword-without-value-is-an-error", test_keyword_without_value);
        g_test_add_func("/core/netrc/private-file-keeps-password", test_private_file_keeps_password);
        g_test_add_func("/core/netrc/readable-by-others-refuses-password", test_readable_by_others_refuses_password);
        g_test_add_func("/core/netrc/missing-file-is-empty", test_missing_file_is_empty);
        g_test_add_func("/core/netrc/netrc-variable-names-the-file", test_netrc_env_names_the_file);
        return g_test_run();
}
