/* tests/unit/test-core-glob.c — wildcard matching and local expansion (`*`, `?`, `[...]`, `**`).
 * Owns: a table of pattern/name pairs and a private directory tree for expansion.
 * Must not: touch anything outside its own temporary directory. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "core/glob.h"
#include "tree-remove.h"

typedef struct {
        const char *pattern;
        const char *name;
        gboolean match;
} MatchCase;

static const MatchCase match_cases[] = {
        { "*.txt", "notes.txt", TRUE },
        { "*.txt", "notes.txt.gz", FALSE },
        { "*.txt", ".hidden.txt", FALSE },
        { ".*.txt", ".hidden.txt", TRUE },
        { "*", ".profile", FALSE },
        { "*", "", TRUE },
        { "a?c", "abc", TRUE },
        { "a?c", "ac", FALSE },
        { "a?c", "a\xc3\xa9" "c", TRUE },          /* ? is one UTF-8 character */
        { "[abc]x", "bx", TRUE },
        { "[abc]x", "dx", FALSE },
        { "[a-c]x", "cx", TRUE },
        { "[!a-c]x", "cx", FALSE },
        { "[!a-c]x", "dx", TRUE },
        { "[^0-9]*", "x1", TRUE },
        { "[^0-9]*", "1x", FALSE },
        { "[]]", "]", TRUE },
        { "[!]]", "a", TRUE },
        { "[a-]", "-", TRUE },
        { "[", "[", TRUE },                       /* an unclosed class is a literal '[' */
        { "x[", "x[", TRUE },
        { "\\*", "*", TRUE },
        { "\\*", "a", FALSE },
        { "a*b*c", "aXbYbZc", TRUE },
        { "a*b*c", "aXbYbZ", FALSE },
        { "**", "deep", TRUE },
        { "*.[ch]", "glob.c", TRUE },
        { "*.[ch]", "glob.o", FALSE },
        { "report-202?-*.pdf", "report-2024-q1.pdf", TRUE },
};

static void test_match_table(void)
{
        for (gsize i = 0; i < G_N_ELEMENTS(match_cases); i++) {
                const MatchCase *c = &match_cases[i];
                gboolean got = core_glob_match(c->pattern, c->name);
                if (got != c->match)
                        g_test_message("pattern %s name %s: expected %d", c->pattern, c->name, c->match);
                g_assert_cmpint(got, ==, c->match);
        }
}

static void test_has_magic(void)
{
        g_assert_true(core_glob_has_magic("*.txt"));
        g_assert_true(core_glob_has_magic("a?"));
        g_assert_true(core_glob_has_magic("[ab]"));
        g_assert_false(core_glob_has_magic("plain.txt"));
        g_assert_false(core_glob_has_magic("a\\*b"));
        g_autofree char *plain = core_glob_unescape("a\\*b");
        g_assert_cmpstr(plain, ==, "a*b");
}

/* A private tree: the test chdirs into it, since expansion is relative to the current directory. */
typedef struct {
        char *root;
        char *old_cwd;
} Tree;

static void touch(const char *path)
{
        g_autofree char *dir = g_path_get_dirname(path);
        g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
        g_assert_true(g_file_set_contents(path, "x", 1, NULL));
}

static void tree_setup(Tree *t, gconstpointer data)
{
        t->old_cwd = g_get_current_dir();
        t->root = g_dir_make_tmp("clamftp-glob-XXXXXX", NULL);
        g_assert_nonnull(t->root);
        g_assert_cmpint(chdir(t->root), ==, 0);
        const char *files[] = {
                "a.txt", "b.txt", "c.log", ".hidden.txt",
                "folder/top.py", "folder/x/one.py", "folder/x/y/two.py", "folder/x/y/readme.md",
                "folder/.git/secret.py",
        };
        for (gsize i = 0; i < G_N_ELEMENTS(files); i++)
                touch(files[i]);
        g_assert_cmpint(symlink("..", "folder/x/loop"), ==, 0); /* must not be walked by ** */
}

static void tree_teardown(Tree *t, gconstpointer data)
{
        g_assert_cmpint(chdir(t->old_cwd), ==, 0);
        test_tree_remove(t->root);
        g_free(t->root);
        g_free(t->old_cwd);
}

static char *joined(GPtrArray *paths)
{
        g_ptr_array_add(paths, NULL);
        char *s = g_strjoinv(" ", (char **)paths->pdata);
        g_ptr_array_remove_index(paths, paths->len - 1);
        return s;
}

typedef struct {
        const char *pattern;
        const char *expected; /* space-separated, sorted; NULL: no match */
} ExpandCase;

static const ExpandCase expand_cases[] = {
        { "*.txt", "a.txt b.txt" },
        { ".*.txt", ".hidden.txt" },
        { "?.log", "c.log" },
        { "[ab].*", "a.txt b.txt" },
        { "folder/**/*.py", "folder/top.py folder/x/one.py folder/x/y/two.py" },
        { "folder/**", "folder/top.py folder/x/one.py folder/x/y/readme.md folder/x/y/two.py" },
        { "folder/*/*.py", "folder/x/one.py" },
        { "a.txt", "a.txt" },
        { "*.none", NULL },
        { "nothing-here.txt", NULL },
};

static void test_expand_table(Tree *t, gconstpointer data)
{
        for (gsize i = 0; i < G_N_ELEMENTS(expand_cases); i++) {
                const ExpandCase *c = &expand_cases[i];
                g_autoptr(GError) error = NULL;
                g_autoptr(GPtrArray) got = core_glob_expand_local(c->pattern, &error);
                g_test_message("pattern %s", c->pattern);
                if (c->expected == NULL) {
                        g_assert_null(got);
                        g_assert_error(error, CORE_GLOB_ERROR, CORE_GLOB_ERROR_NO_MATCH);
                        g_assert_nonnull(strstr(error->message, c->pattern));
                        continue;
                }
                g_assert_no_error(error);
                g_autofree char *s = joined(got);
                g_assert_cmpstr(s, ==, c->expected);
        }
}

static void test_expand_absolute(Tree *t, gconstpointer data)
{
        g_autofree char *pattern = g_build_filename(t->root, "*.log", NULL);
        g_autoptr(GError) error = NULL;
        g_autoptr(GPtrArray) got = core_glob_expand_local(pattern, &error);
        g_assert_no_error(error);
        g_assert_cmpuint(got->len, ==, 1);
        g_autofree char *expected = g_build_filename(t->root, "c.log", NULL);
        g_assert_cmpstr(g_ptr_array_index(got, 0), ==, expected);
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/core/glob/match-table", test_match_table);
        g_test_add_func("/core/glob/magic-and-escapes", test_has_magic);
        g_test_add("/core/glob/expand-table-double-star-matches-nested", Tree, NULL, tree_setup,
                   test_expand_table, tree_teardown);
        g_test_add("/core/glob/expand-absolute-pattern", Tree, NULL, tree_setup,
                   test_expand_absolute, tree_teardown);
        return g_test_run();
}
