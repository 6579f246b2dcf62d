/* tests/unit/test-core-mode.c — chmod's modes (core/mode.c): octal, symbolic clauses applied to a
 * current mode as chmod(1) applies them (checked against the real chmod on a scratch file), and
 * the "rwxr-xr-x" strings of listings. */
#include <glib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "core/mode.h"

static void test_octal(void)
{
        guint mode = 0;
        g_assert_true(core_mode_is_octal("644", &mode));
        g_assert_cmpuint(mode, ==, 0644);
        g_assert_true(core_mode_is_octal("0755", &mode));
        g_assert_cmpuint(mode, ==, 0755);
        g_assert_true(core_mode_is_octal("4755", &mode));
        g_assert_cmpuint(mode, ==, 04755);
        g_assert_true(core_mode_is_octal("0", &mode));
        g_assert_cmpuint(mode, ==, 0);
        const char *bad[] = { "", "8", "6a4", "-644", "+644", "177777", "07777 ", "1e3" };
        for (guint i = 0; i < G_N_ELEMENTS(bad); i++)
                g_assert_false(core_mode_is_octal(bad[i], &mode));
}

typedef struct {
        const char *spec;
        guint current;
        gboolean is_dir;
        guint want;
} Case;

static const Case cases[] = {
        { "u+x", 0644, FALSE, 0744 },
        { "go-w", 0666, FALSE, 0644 },
        { "a=r", 0755, FALSE, 0444 },
        { "=r", 0755, FALSE, 0444 },
        { "+x", 0644, FALSE, 0755 },
        { "a+X", 0644, FALSE, 0644 },   /* X: no one may search the file yet */
        { "a+X", 0744, FALSE, 0755 },
        { "a+X", 0600, TRUE, 0711 },    /* a directory: always */
        { "u=rwx,g=rx,o=", 0000, FALSE, 0750 },
        { "u+s", 0755, FALSE, 04755 },
        { "g+s", 0755, TRUE, 02755 },
        { "+t", 0777, TRUE, 01777 },
        { "o-rwx", 0777, FALSE, 0770 },
        { "ug+w,o-r", 0444, FALSE, 0660 },
        { "u-w+x", 0644, FALSE, 0544 },
        { "g=u", 0, FALSE, 0 },         /* copy forms are not taken: below, as invalid */
};

static void test_symbolic(void)
{
        for (guint i = 0; i < G_N_ELEMENTS(cases) - 1; i++) {
                guint mode = 0;
                g_autoptr(GError) error = NULL;
                g_assert_true(core_mode_apply(cases[i].spec, (gint)cases[i].current, cases[i].is_dir, &mode, &error));
                g_assert_no_error(error);
                if (mode != cases[i].want)
                        g_error("%s on %04o: %04o, want %04o", cases[i].spec, cases[i].current, mode, cases[i].want);
        }
}

/* The same clauses through the real chmod(1) on a scratch file: the two agree. */
static void test_agrees_with_chmod(void)
{
        g_autoptr(GError) error = NULL;
        g_autofree char *dir = g_dir_make_tmp("clamftp-mode-XXXXXX", &error);
        g_assert_no_error(error);
        g_autofree char *file = g_build_filename(dir, "f", NULL);
        g_autofree char *sub = g_build_filename(dir, "d", NULL);
        g_assert_true(g_file_set_contents(file, "", 0, NULL));
        g_assert_cmpint(g_mkdir(sub, 0700), ==, 0);
        for (guint i = 0; i < G_N_ELEMENTS(cases) - 1; i++) {
                const char *target = cases[i].is_dir ? sub : file;
                g_assert_cmpint(chmod(target, cases[i].current), ==, 0);
                char *argv[] = { "chmod", (char *)cases[i].spec, (char *)target, NULL };
                int status = -1;
                g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
                g_assert_no_error(error);
                g_assert_cmpint(status, ==, 0);
                struct stat st;
                g_assert_cmpint(stat(target, &st), ==, 0);
                guint mode = 0;
                g_assert_true(core_mode_apply(cases[i].spec, (gint)cases[i].current, cases[i].is_dir, &mode, NULL));
                if ((st.st_mode & 07777) != mode)
                        g_error("%s on %04o: chmod(1) gives %04o, clamftp %04o", cases[i].spec, cases[i].current,
                                st.st_mode & 07777, mode);
        }
        g_assert_cmpint(chmod(sub, 0700), ==, 0);
        g_assert_cmpint(g_rmdir(sub), ==, 0);
        g_assert_cmpint(g_unlink(file), ==, 0);
        g_assert_cmpint(g_rmdir(dir), ==, 0);
}

static void test_invalid(void)
{
        const char *bad[] = { "", "g=u", "u", "u+q", "x+r", "u+r,", ",u+r", "u+r,,g+w", "rwx", "999" };
        for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
                guint mode = 0;
                g_autoptr(GError) error = NULL;
                g_assert_false(core_mode_apply(bad[i], 0644, FALSE, &mode, &error));
                g_assert_error(error, CORE_MODE_ERROR, CORE_MODE_ERROR_INVALID);
        }
}

static void test_needs_current(void)
{
        guint mode = 0;
        g_autoptr(GError) error = NULL;
        g_assert_true(core_mode_apply("600", -1, FALSE, &mode, &error)); /* octal needs nothing */
        g_assert_cmpuint(mode, ==, 0600);
        g_assert_false(core_mode_apply("u+x", -1, FALSE, &mode, &error));
        g_assert_error(error, CORE_MODE_ERROR, CORE_MODE_ERROR_NEEDS_CURRENT);
        g_clear_error(&error);
        g_assert_false(core_mode_apply("u+q", -1, FALSE, &mode, &error)); /* a typo is said as one */
        g_assert_error(error, CORE_MODE_ERROR, CORE_MODE_ERROR_INVALID);
}

static void test_from_perms(void)
{
        g_assert_cmpint(core_mode_from_perms("rwxr-xr-x"), ==, 0755);
        g_assert_cmpint(core_mode_from_perms("-rw-r--r--"), ==, 0644);
        g_assert_cmpint(core_mode_from_perms("drwxr-sr-t"), ==, 03755);
        g_assert_cmpint(core_mode_from_perms("-rwSr--r--"), ==, 04644);
        g_assert_cmpint(core_mode_from_perms("drwxrwxrwT"), ==, 01776);
        g_assert_cmpint(core_mode_from_perms("---------"), ==, 0);
        const char *bad[] = { "rwxr-xr-", "rwxr-xr-xx", "rwq------", "0644", "" };
        for (guint i = 0; i < G_N_ELEMENTS(bad); i++)
                g_assert_cmpint(core_mode_from_perms(bad[i]), ==, -1);
        g_assert_cmpint(core_mode_from_perms(NULL), ==, -1);
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/core/mode/octal", test_octal);
        g_test_add_func("/core/mode/symbolic", test_symbolic);
        g_test_add_func("/core/mode/agrees-with-chmod", test_agrees_with_chmod);
        g_test_add_func("/core/mode/invalid", test_invalid);
        g_test_add_func("/core/mode/needs-current", test_needs_current);
        g_test_add_func("/core/mode/from-perms", test_from_perms);
        return g_test_run();
}
