/* tests/unit/test-core-sites.c — the saved sites file (core/sites.c): reading, writing it
 * atomically with mode 0600, keeping what it does not know, refusing a bad file or name. */
#include "core/sites.h"
#include "core/options.h"
#include "tree-remove.h"
#include <glib/gstdio.h>
#include <sys/stat.h>

typedef struct {
        char *dir;
        char *path;
} Fixture;

static void setup(Fixture *f, gconstpointer data)
{
        f->dir = g_dir_make_tmp("test-core-sites-XXXXXX", NULL);
        g_assert_nonnull(f->dir);
        f->path = g_build_filename(f->dir, "clamftp", "sites.conf", NULL);
}

static void teardown(Fixture *f, gconstpointer data)
{
        test_tree_remove(f->dir);
        g_free(f->dir);
        g_free(f->path);
}

static void write_file(const char *path, const char *text)
{
        g_autofree char *dir = g_path_get_dirname(path);
        g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
        g_assert_true(g_file_set_contents(path, text, -1, NULL));
}

static CoreSite *full_site(const char *name)
{
        CoreSite *site = core_site_new(name);
        site->host = g_strdup("ftp.example.org");
        site->port = 2121;
        site->user = g_strdup("bob smith");
        site->tls = g_strdup("require");
        site->passive = 0;
        site->parallel = 3;
        site->remote_dir = g_strdup("/var/www/ünïcode dir");
        site->local_dir = g_strdup("/home/bob/site");
        site->scanner = g_strdup("tcp:127.0.0.1:3310");
        site->fingerprint = g_strdup("aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99");
        return site;
}

static void test_missing_file_is_empty(Fixture *f, gconstpointer data)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(CoreSites) sites = core_sites_load(f->path, &error);
        g_assert_no_error(error);
        g_assert_cmpuint(core_sites_list(sites)->len, ==, 0);
        g_assert_false(g_file_test(f->path, G_FILE_TEST_EXISTS)); /* reading writes nothing */
}

static void test_round_trip_keeps_every_field(Fixture *f, gconstpointer data)
{
        const char *names[] = { "work", "my site", "сайт é 日本", "a.b-c_d+e" };
        g_autoptr(GError) error = NULL;
        g_autoptr(CoreSites) sites = core_sites_load(f->path, &error);
        for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
                g_autoptr(CoreSite) site = full_site(names[i]);
                g_assert_true(core_sites_put(sites, site, &error));
        }
        g_assert_true(core_sites_save(sites, &error));
        g_assert_no_error(error);

        g_autoptr(CoreSites) again = core_sites_load(f->path, &error);
        g_assert_no_error(error);
        g_assert_cmpuint(core_sites_list(again)->len, ==, G_N_ELEMENTS(names));
        for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
                const CoreSite *site = g_ptr_array_index(core_sites_list(again), i);
                g_assert_cmpstr(site->name, ==, names[i]); /* the file's order */
                g_assert_cmpstr(site->host, ==, "ftp.example.org");
                g_assert_cmpuint(site->port, ==, 2121);
                g_assert_cmpstr(site->user, ==, "bob smith");
                g_assert_cmpstr(site->tls, ==, "require");
                g_assert_cmpint(site->passive, ==, 0);
                g_assert_cmpint(site->parallel, ==, 3);
                g_assert_cmpstr(site->remote_dir, ==, "/var/www/ünïcode dir");
                g_assert_cmpstr(site->local_dir, ==, "/home/bob/site");
                g_assert_cmpstr(site->scanner, ==, "tcp:127.0.0.1:3310");
                g_assert_cmpstr(site->fingerprint, ==, "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:"
                                                       "EE:FF:00:11:22:33:44:55:66:77:88:99");
                g_assert_false(site->implicit_tls);
        }
        g_assert_nonnull(core_sites_find(again, "сайт é 日本"));
        g_assert_null(core_sites_find(again, "сайт"));
}

static void test_defaults_stay_unset(Fixture *f, gconstpointer data)
{
        write_file(f->path, "[site plain]\nhost=h\n[site secure]\nhost=h\nimplicit-tls=true\n");
        g_autoptr(GError) error = NULL;
        g_autoptr(CoreSites) sites = core_sites_load(f->path, &error);
        g_assert_no_error(error);
        const CoreSite *plain = core_sites_find(sites, "plain");
        g_assert_cmpuint(plain->port, ==, 21);
        g_assert_cmpint(plain->passive, ==, -1);
        g_assert_cmpint(plain->parallel, ==, 0);
        g_assert_null(plain->tls);
        g_assert_null(plain->user);
        g_assert_cmpuint(core_sites_find(sites, "secure")->port, ==, 990);
}

static void test_written_0600_by_rename(Fixture *f, gconstpointer data)
{
        write_file(f->path, "# mine\n");
        g_assert_cmpint(g_chmod(f->path, 0644), ==, 0);
        struct stat before;
        g_assert_cmpint(g_stat(f->path, &before), ==, 0);
        g_autoptr(GError) error = NULL;
        g_autoptr(CoreSites) sites = core_sites_load(f->path, &error);
        g_autoptr(CoreSite) site = full_site("x");
        g_assert_true(core_sites_put(sites, site, &error));
        g_assert_true(core_sites_save(sites, &error));
        g_assert_no_error(error);
        struct stat after;
        g_assert_cmpint(g_stat(f->path, &after), ==, 0);
        g_assert_cmpint(after.st_mode & 07777, ==, 0600);
        g_assert_cmpuint(after.st_ino, !=, before.st_ino); /* a new file renamed onto the name */
        g_autofree char *dir = g_path_get_dirname(f->path);
        g_autoptr(GDir) listing = g_dir_open(dir, 0, NULL);
        guint n = 0;
        while (g_dir_read_name(listing))
                n++;
        g_assert_cmpuint(n, ==, 1); /* no temporary file left beside it */
}

static void test_new_directory_is_private(Fixture *f, gconstpointer data)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(CoreSites) sites = core_sites_load(f->path, &error);
        g_autoptr(CoreSite) site = full_site("x");
        g_assert_true(core_sites_put(sites, site, &error));
        g_assert_true(core_sites_save(sites, &error));
        g_autofree char *dir = g_path_get_dirname(f->path);
        struct stat st;
        g_assert_cmpint(g_stat(dir, &st), ==, 0);
        g_assert_cmpint(st.st_mode & 0777, ==, 0700);
}

static void test_keeps_comments_and_unknown_keys(Fixture *f, gconstpointer data)
{
        write_file(f->path, "# my own words\n[site a]\nhost=h\n# about b\nfuture-key=kept\n\n[other]\nx=1\n");
        g_autoptr(GError) error = NULL;
        g_autoptr(CoreSites) sites = core_sites_load(f->path, &error);
        g_autoptr(CoreSite) changed = core_site_copy(core_sites_find(sites, "a"));
        changed->port = 2100;
        g_assert_true(core_sites_put(sites, changed, &error));
        g_assert_true(core_sites_save(sites, &error));
        g_autofree char *text = NULL;
        g_assert_true(g_file_get_contents(f->path, &text, NULL, NULL));
        g_assert_nonnull(strstr(text, "# my own words"));
        g_assert_nonnull(strstr(text, "future-key=kept"));
        g_assert_nonnull(strstr(text, "[other]"));
        g_assert_nonnull(strstr(text, "port=2100"));
}

/* The file's own top comment stays, once, however often the list is saved (found by the fuzz
 * target core-sites: reading it for the check leaked it). */
static void test_top_comment_kept_once(Fixture *f, gconstpointer data)
{
        write_file(f->path, "# top words\n\n[site a]\nhost=h\n");
        g_autoptr(GError) error = NULL;
        g_autoptr(CoreSites) sites = core_sites_load(f->path, &error);
        g_assert_no_error(error);
        g_assert_true(core_sites_save(sites, &error));
        g_assert_true(core_sites_save(sites, &error));
        g_autofree char *text = NULL;
        g_assert_true(g_file_get_contents(f->path, &text, NULL, NULL));
        const char *first = strstr(text, "# top words");
        g_assert_nonnull(first);
        g_assert_null(strstr(first + 1, "# top words"));
        g_assert_null(strstr(text, "saved sites"));
}

static void test_replace_and_remove(Fixture *f, gconstpointer data)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(CoreSites) sites = core_sites_load(f->path, &error);
        const char *names[] = { "one", "two", "three" };
        for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
                g_autoptr(CoreSite) site = full_site(names[i]);
                g_assert_true(core_sites_put(sites, site, &error));
        }
        g_autoptr(CoreSite) two = full_site("two");
        g_free(two->host);
        two->host = g_strdup("elsewhere");
        g_assert_true(core_sites_put(sites, two, &error));
        g_assert_cmpuint(core_sites_list(sites)->len, ==, 3);
        g_assert_cmpstr(((CoreSite *)g_ptr_array_index(core_sites_list(sites), 1))->host, ==, "elsewhere");
        g_assert_true(core_sites_remove(sites, "one"));
        g_assert_false(core_sites_remove(sites, "one"));
        g_assert_true(core_sites_save(sites, &error));
        g_autoptr(CoreSites) again = core_sites_load(f->path, &error);
        g_assert_cmpuint(core_sites_list(again)->len, ==, 2);
        g_assert_null(core_sites_find(again, "one"));
        g_assert_cmpstr(core_sites_find(again, "two")->host, ==, "elsewhere");
}

/* A file that does not parse is an error that names it, and nothing is written. */
static void test_bad_file_is_reported(Fixture *f, gconstpointer data)
{
        static const struct { const char *text; const char *says; } rows[] = {
                { "this is not a key file\n", "sites.conf" },
                { "[site a]\nhost=h\nport=99999\n", "port" },
                { "[site a]\nhost=h\nport=twenty\n", "port" },
                { "[site a]\nhost=h\ntls=sometimes\n", "tls" },
                { "[site a]\nport=21\n", "host" },
                { "[site a]\nhost=h\npassive=maybe\n", "passive" },
                { "[site a]\nhost=h\nfingerprint=12:34\n", "fingerprint" },
                { "[site a]\nhost=h\nparallel=99\n", "parallel" },
                { "[site  a]\nhost=h\n", "blank" },
                { "[site a]\nhost=h\xff\n", "UTF-8" },
        };
        for (gsize i = 0; i < G_N_ELEMENTS(rows); i++) {
                write_file(f->path, rows[i].text);
                g_autoptr(GError) error = NULL;
                g_autoptr(CoreSites) sites = core_sites_load(f->path, &error);
                g_assert_null(sites);
                g_assert_error(error, CORE_SITES_ERROR, CORE_SITES_ERROR_PARSE);
                g_test_message("%s -> %s", rows[i].text, error->message);
                g_assert_nonnull(strstr(error->message, f->path));
                g_assert_nonnull(strstr(error->message, rows[i].says));
                g_autofree char *text = NULL;
                g_assert_true(g_file_get_contents(f->path, &text, NULL, NULL));
                g_assert_cmpstr(text, ==, rows[i].text);
        }
}

static void test_names(void)
{
        static const struct { const char *name; gboolean ok; } rows[] = {
                { "work", TRUE }, { "my site", TRUE }, { "сайт é", TRUE }, { "日本", TRUE }, { "a:b", TRUE },
                { "", FALSE }, { " lead", FALSE }, { "trail ", FALSE }, { "a[b", FALSE }, { "a]b", FALSE },
                { "a\x01" "b", FALSE }, { "tab\there", FALSE }, { "ftp://x", FALSE }, { "bad\xff", FALSE },
        };
        for (gsize i = 0; i < G_N_ELEMENTS(rows); i++) {
                g_autoptr(GError) error = NULL;
                gboolean ok = core_site_name_check(rows[i].name, &error);
                g_assert_cmpint(ok, ==, rows[i].ok);
                if (!ok)
                        g_assert_error(error, CORE_SITES_ERROR, CORE_SITES_ERROR_NAME);
        }
        g_autofree char *longest = g_strnfill(CORE_SITE_NAME_MAX, 'x');
        g_autofree char *too_long = g_strnfill(CORE_SITE_NAME_MAX + 1, 'x');
        g_assert_true(core_site_name_check(longest, NULL));
        g_assert_false(core_site_name_check(too_long, NULL));
}

static void test_bad_values_are_refused(void)
{
        g_autoptr(CoreSite) site = core_site_new("x");
        g_assert_false(core_site_check(site, NULL)); /* no host */
        site->host = g_strdup("h");
        g_assert_true(core_site_check(site, NULL));
        site->tls = g_strdup("maybe");
        g_assert_false(core_site_check(site, NULL));
        g_clear_pointer(&site->tls, g_free);
        site->parallel = 17;
        g_assert_false(core_site_check(site, NULL));
        site->parallel = 0;
        site->remote_dir = g_strdup("a\nb");
        g_assert_false(core_site_check(site, NULL));
}

/* The URL `site list` shows opens the same server and directory (core_url_parse). */
static void test_url_round_trips(void)
{
        static const struct { const char *host; guint16 port; gboolean implicit; const char *user, *dir, *url; } rows[] = {
                { "h", 21, FALSE, NULL, NULL, "ftp://h/" },
                { "h", 2121, FALSE, "bob", "pub/x", "ftp://bob@h:2121/pub/x" },
                { "h", 990, TRUE, "a b", "/srv/abs", "ftps://a%20b@h/%2Fsrv/abs" },
                { "::1", 21, FALSE, NULL, "dir é", "ftp://[::1]/dir%20é" },
        };
        for (gsize i = 0; i < G_N_ELEMENTS(rows); i++) {
                g_autoptr(CoreSite) site = core_site_new("x");
                site->host = g_strdup(rows[i].host);
                site->port = rows[i].port;
                site->implicit_tls = rows[i].implicit;
                site->user = g_strdup(rows[i].user);
                site->remote_dir = g_strdup(rows[i].dir);
                g_autofree char *url = core_site_url(site);
                g_assert_cmpstr(url, ==, rows[i].url);
                g_autoptr(CoreUrl) parsed = core_url_parse(url, NULL);
                g_assert_nonnull(parsed);
                g_assert_cmpstr(parsed->host, ==, rows[i].host);
                g_assert_cmpuint(parsed->port, ==, rows[i].port);
                g_assert_cmpstr(parsed->user, ==, rows[i].user);
                g_assert_cmpstr(parsed->path, ==, rows[i].dir);
        }
}

/* Where the directory cannot be made, saving fails and says where. */
static void test_unwritable_is_an_error(Fixture *f, gconstpointer data)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(CoreSites) sites = core_sites_load(f->path, &error);
        g_assert_nonnull(sites);
        g_autofree char *blocker = g_build_filename(f->dir, "clamftp", NULL);
        g_assert_true(g_file_set_contents(blocker, "a file, not a directory", -1, NULL));
        g_autoptr(CoreSite) site = full_site("x");
        g_assert_true(core_sites_put(sites, site, &error));
        g_assert_false(core_sites_save(sites, &error));
        g_assert_error(error, CORE_SITES_ERROR, CORE_SITES_ERROR_WRITE);
        g_assert_nonnull(strstr(error->message, f->path));
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
#define FIXTURE(path, fn) g_test_add(path, Fixture, NULL, setup, fn, teardown)
        FIXTURE("/core/sites/missing-file-is-empty", test_missing_file_is_empty);
        FIXTURE("/core/sites/round-trip-keeps-every-field-and-utf8-names", test_round_trip_keeps_every_field);
        FIXTURE("/core/sites/defaults-stay-unset", test_defaults_stay_unset);
        FIXTURE("/core/sites/written-0600-by-rename", test_written_0600_by_rename);
        FIXTURE("/core/sites/new-directory-is-private", test_new_directory_is_private);
        FIXTURE("/core/sites/keeps-comments-and-unknown-keys", test_keeps_comments_and_unknown_keys);
        FIXTURE("/core/sites/top-comment-kept-once", test_top_comment_kept_once);
        FIXTURE("/core/sites/replace-keeps-place-remove-goes", test_replace_and_remove);
        FIXTURE("/core/sites/bad-file-is-reported-and-left-alone", test_bad_file_is_reported);
        FIXTURE("/core/sites/unwritable-is-an-error", test_unwritable_is_an_error);
        g_test_add_func("/core/sites/names", test_names);
        g_test_add_func("/core/sites/bad-values-are-refused", test_bad_values_are_refused);
        g_test_add_func("/core/sites/url-round-trips", test_url_round_trips);
        return g_test_run();
}
