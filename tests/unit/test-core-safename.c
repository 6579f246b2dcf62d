/* tests/unit/test-core-safename.c — hostile server names (ftp-engine.md cases 25, 26, 28, 29):
 * the safety test, terminal escaping, and local writes that refuse planted symlinks.
 * Owns: a private temporary directory per test. Must not: write anywhere else. */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/safename.h"

typedef struct {
        const char *name;
        gboolean safe;
} NameCase;

static const NameCase name_cases[] = {
        /* case 25: path traversal */
        { "../x", FALSE },
        { "/etc/x", FALSE },
        { "..\\x", FALSE },
        { "C:\\x", FALSE },
        { "C:x", FALSE },
        { "c:", FALSE },
        { ".", FALSE },
        { "..", FALSE },
        { "", FALSE },
        { "dir/name", FALSE },
        { "a\\b", FALSE },
        /* case 26: pipe and URL-like names are literal names, or refused when they hold '/' */
        { "|touch /tmp/pwned", FALSE },
        { "|touch", TRUE },
        { "file:x", TRUE },
        { "-rf", TRUE },
        /* case 29: control characters and escape sequences */
        { "\x1b[2J\x1b]0;pwned\x07x", FALSE },
        { "a\rb", FALSE },
        { "a\nb", FALSE },
        { "tab\tname", FALSE },
        { "del\x7f", FALSE },
        /* ordinary names */
        { "report.pdf", TRUE },
        { ".profile", TRUE },
        { "...", TRUE },
        { "name with spaces", TRUE },
        { "\xc3\xa9t\xc3\xa9.txt", TRUE },
        { "ab:cd", TRUE },
};

static void test_is_safe_table(void)
{
        for (gsize i = 0; i < G_N_ELEMENTS(name_cases); i++) {
                g_autofree char *shown = core_name_escape(name_cases[i].name);
                g_test_message("name %s", shown);
                g_assert_cmpint(core_name_is_safe(name_cases[i].name), ==, name_cases[i].safe);
        }
        g_assert_false(core_name_is_safe(NULL));
}

typedef struct {
        const char *name;
        const char *shown;
} EscapeCase;

static const EscapeCase escape_cases[] = {
        { "plain.txt", "plain.txt" },
        { "\x1b[2J\x1b]0;pwned\x07x", "\\x1b[2J\\x1b]0;pwned\\x07x" },
        { "a\rb\n", "a\\x0db\\x0a" },
        { "del\x7f", "del\\x7f" },
        { "back\\slash", "back\\\\slash" },
        { "bad\xff\xfeutf8", "bad\\xff\\xfeutf8" },
        { "\xc3\xa9t\xc3\xa9", "\xc3\xa9t\xc3\xa9" },               /* valid UTF-8 stays */
        { "csi\xc2\x9b" "2J", "csi\\u009b2J" },                      /* C1 control */
        { "evil\xe2\x80\xaetxt.exe", "evil\\u202etxt.exe" },         /* right-to-left override */
        { "", "" },
};

static void test_escape_table(void)
{
        for (gsize i = 0; i < G_N_ELEMENTS(escape_cases); i++) {
                g_autofree char *got = core_name_escape(escape_cases[i].name);
                g_assert_cmpstr(got, ==, escape_cases[i].shown);
                for (const char *p = got; *p != '\0'; p++)
                        g_assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
        }
        g_autofree char *none = core_name_escape(NULL);
        g_assert_cmpstr(none, ==, "");
}

/* A private directory opened as the destination, plus a "victim" file outside it that a planted
 * symlink points at: it must never change. */
typedef struct {
        char *root;
        char *dest;
        char *victim;
        int dirfd;
} Dest;

static void dest_setup(Dest *d, gconstpointer data)
{
        d->root = g_dir_make_tmp("clamftp-safename-XXXXXX", NULL);
        g_assert_nonnull(d->root);
        d->dest = g_build_filename(d->root, "dest", NULL);
        g_assert_cmpint(g_mkdir(d->dest, 0755), ==, 0);
        d->victim = g_build_filename(d->root, "victim", NULL);
        g_assert_true(g_file_set_contents(d->victim, "precious", -1, NULL));
        g_autoptr(GError) error = NULL;
        d->dirfd = core_local_dir_open(d->dest, &error);
        g_assert_no_error(error);
        g_assert_cmpint(d->dirfd, >=, 0);
}

static void dest_teardown(Dest *d, gconstpointer data)
{
        close(d->dirfd);
        const char *rm_argv[] = { "rm", "-rf", d->root, NULL };
        g_assert_true(g_spawn_sync(NULL, (char **)rm_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                   NULL, NULL, NULL, NULL));
        g_free(d->root);
        g_free(d->dest);
        g_free(d->victim);
}

static void assert_victim_intact(Dest *d)
{
        g_autofree char *contents = NULL;
        g_assert_true(g_file_get_contents(d->victim, &contents, NULL, NULL));
        g_assert_cmpstr(contents, ==, "precious");
}

static void write_all(int fd, const char *text)
{
        gsize len = strlen(text);
        g_assert_cmpint(write(fd, text, len), ==, (gssize)len);
}

static void test_part_write_and_finish(Dest *d, gconstpointer data)
{
        g_autoptr(GError) error = NULL;
        gint64 offset = -1;
        int fd = core_local_part_open(d->dirfd, "file", FALSE, &offset, &error);
        g_assert_no_error(error);
        g_assert_cmpint(offset, ==, 0);
        write_all(fd, "hello");
        close(fd);
        g_assert_cmpint(core_local_kind(d->dirfd, "file.part", NULL), ==, CORE_LOCAL_REGULAR);
        g_assert_true(core_local_part_finish(d->dirfd, "file", &error));
        g_assert_no_error(error);
        gint64 size;
        g_assert_cmpint(core_local_kind(d->dirfd, "file", &size), ==, CORE_LOCAL_REGULAR);
        g_assert_cmpint(size, ==, 5);
        g_assert_cmpint(core_local_kind(d->dirfd, "file.part", NULL), ==, CORE_LOCAL_MISSING);
}

static void test_part_resume_appends(Dest *d, gconstpointer data)
{
        g_autofree char *part = g_build_filename(d->dest, "file.part", NULL);
        g_assert_true(g_file_set_contents(part, "12345", -1, NULL));
        g_autoptr(GError) error = NULL;
        gint64 offset = -1;
        int fd = core_local_part_open(d->dirfd, "file", TRUE, &offset, &error);
        g_assert_no_error(error);
        g_assert_cmpint(offset, ==, 5);
        write_all(fd, "678");
        close(fd);
        g_autofree char *contents = NULL;
        g_assert_true(g_file_get_contents(part, &contents, NULL, NULL));
        g_assert_cmpstr(contents, ==, "12345678");

        /* Starting over truncates the same file. */
        fd = core_local_part_open(d->dirfd, "file", FALSE, &offset, &error);
        g_assert_no_error(error);
        g_assert_cmpint(offset, ==, 0);
        close(fd);
        g_autofree char *after = NULL;
        g_assert_true(g_file_get_contents(part, &after, NULL, NULL));
        g_assert_cmpstr(after, ==, "");
}

/* case 28: `target/file.part -> victim` is refused, for a new download and for a resume. */
static void test_part_symlink_refused(Dest *d, gconstpointer data)
{
        g_autofree char *part = g_build_filename(d->dest, "file.part", NULL);
        g_assert_cmpint(symlink(d->victim, part), ==, 0);
        for (int resume = 0; resume <= 1; resume++) {
                g_autoptr(GError) error = NULL;
                int fd = core_local_part_open(d->dirfd, "file", resume, NULL, &error);
                g_assert_cmpint(fd, ==, -1);
                g_assert_error(error, CORE_LOCAL_ERROR, CORE_LOCAL_ERROR_SYMLINK);
        }
        assert_victim_intact(d);
}

/* A hard link to a file outside is just as much a redirection as a symlink. */
static void test_part_hard_link_refused(Dest *d, gconstpointer data)
{
        g_autofree char *part = g_build_filename(d->dest, "file.part", NULL);
        g_assert_cmpint(link(d->victim, part), ==, 0);
        g_autoptr(GError) error = NULL;
        int fd = core_local_part_open(d->dirfd, "file", TRUE, NULL, &error);
        g_assert_cmpint(fd, ==, -1);
        g_assert_error(error, CORE_LOCAL_ERROR, CORE_LOCAL_ERROR_NOT_REGULAR);
        assert_victim_intact(d);
}

/* A fifo at `.part` would block an open for writing: it is refused at once. */
static void test_part_fifo_refused(Dest *d, gconstpointer data)
{
        g_autofree char *part = g_build_filename(d->dest, "file.part", NULL);
        g_assert_cmpint(mkfifo(part, 0644), ==, 0);
        g_autoptr(GError) error = NULL;
        g_assert_cmpint(core_local_part_open(d->dirfd, "file", TRUE, NULL, &error), ==, -1);
        g_assert_error(error, CORE_LOCAL_ERROR, CORE_LOCAL_ERROR_NOT_REGULAR);
}

/* A symlink at the final name is replaced by the rename, never written through. */
static void test_finish_replaces_symlink_not_target(Dest *d, gconstpointer data)
{
        g_autofree char *final = g_build_filename(d->dest, "file", NULL);
        g_assert_cmpint(symlink(d->victim, final), ==, 0);
        g_autoptr(GError) error = NULL;
        int fd = core_local_part_open(d->dirfd, "file", FALSE, NULL, &error);
        g_assert_no_error(error);
        write_all(fd, "new");
        close(fd);
        g_assert_cmpint(core_local_kind(d->dirfd, "file", NULL), ==, CORE_LOCAL_SYMLINK);
        g_assert_true(core_local_part_finish(d->dirfd, "file", &error));
        g_assert_cmpint(core_local_kind(d->dirfd, "file", NULL), ==, CORE_LOCAL_REGULAR);
        assert_victim_intact(d);
}

/* case 28: `target/sub -> /` is refused as a directory to write into. */
static void test_subdir_symlink_refused(Dest *d, gconstpointer data)
{
        g_autofree char *sub = g_build_filename(d->dest, "sub", NULL);
        g_assert_cmpint(symlink("/", sub), ==, 0);
        for (int create = 0; create <= 1; create++) {
                g_autoptr(GError) error = NULL;
                g_assert_cmpint(core_local_subdir_open(d->dirfd, "sub", create, &error), ==, -1);
                g_assert_error(error, CORE_LOCAL_ERROR, CORE_LOCAL_ERROR_SYMLINK);
        }
}

static void test_subdir_created_and_reopened(Dest *d, gconstpointer data)
{
        g_autoptr(GError) error = NULL;
        int fd = core_local_subdir_open(d->dirfd, "sub", TRUE, &error);
        g_assert_no_error(error);
        g_assert_cmpint(fd, >=, 0);
        close(fd);
        fd = core_local_subdir_open(d->dirfd, "sub", TRUE, &error); /* exists already: fine */
        g_assert_no_error(error);
        close(fd);
        g_assert_cmpint(core_local_kind(d->dirfd, "sub", NULL), ==, CORE_LOCAL_DIRECTORY);
}

static void test_unsafe_names_refused_before_io(Dest *d, gconstpointer data)
{
        const char *bad[] = { "..", "../escape", "/etc/passwd", "\x1b[2Jx", "" };
        for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
                g_autoptr(GError) error = NULL;
                g_assert_cmpint(core_local_part_open(d->dirfd, bad[i], FALSE, NULL, &error), ==, -1);
                g_assert_error(error, CORE_LOCAL_ERROR, CORE_LOCAL_ERROR_UNSAFE_NAME);
                g_clear_error(&error);
                g_assert_cmpint(core_local_subdir_open(d->dirfd, bad[i], TRUE, &error), ==, -1);
                g_assert_error(error, CORE_LOCAL_ERROR, CORE_LOCAL_ERROR_UNSAFE_NAME);
                g_assert_null(strchr(error->message, '\x1b'));
        }
        g_autofree char *escape = g_build_filename(d->root, "escape.part", NULL);
        g_assert_false(g_file_test(escape, G_FILE_TEST_EXISTS));
}

static void test_missing_destination_is_clear(void)
{
        g_autoptr(GError) error = NULL;
        g_assert_cmpint(core_local_dir_open("/nonexistent/clamftp-dest", &error), ==, -1);
        g_assert_error(error, CORE_LOCAL_ERROR, CORE_LOCAL_ERROR_NOT_DIRECTORY);
        g_assert_nonnull(strstr(error->message, "/nonexistent/clamftp-dest"));
}

#define ADD_DEST_TEST(path, func) g_test_add(path, Dest, NULL, dest_setup, func, dest_teardown)

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/core/safename/hostile-names-are-refused", test_is_safe_table);
        g_test_add_func("/core/safename/escape-makes-names-terminal-safe", test_escape_table);
        g_test_add_func("/core/safename/missing-destination-is-a-clear-error",
                        test_missing_destination_is_clear);
        ADD_DEST_TEST("/core/safename/part-written-then-renamed", test_part_write_and_finish);
        ADD_DEST_TEST("/core/safename/part-resume-appends-at-end", test_part_resume_appends);
        ADD_DEST_TEST("/core/safename/part-symlink-refused", test_part_symlink_refused);
        ADD_DEST_TEST("/core/safename/part-hard-link-refused", test_part_hard_link_refused);
        ADD_DEST_TEST("/core/safename/part-fifo-refused-without-blocking", test_part_fifo_refused);
        ADD_DEST_TEST("/core/safename/finish-replaces-symlink-never-follows",
                      test_finish_replaces_symlink_not_target);
        ADD_DEST_TEST("/core/safename/subdir-symlink-to-root-refused", test_subdir_symlink_refused);
        ADD_DEST_TEST("/core/safename/subdir-created-and-reopened", test_subdir_created_and_reopened);
        ADD_DEST_TEST("/core/safename/unsafe-names-refused-before-any-io",
                      test_unsafe_names_refused_before_io);
        return g_test_run();
}
