/* core/glob.c — wildcard matching of one name, and expansion of local patterns with `**`.
 * Owns: the matcher (`*`, `?`, `[...]`, escapes, leading-dot rule) and the local directory walk.
 * Must not: do network I/O, print, or follow symlinked directories while walking `**`. */
#include "core/glob.h"

#include <string.h>
#include <sys/stat.h>

#include "common/i18n.h"
#include "common/quark.h"

#define GLOB_MAX_DEPTH 32

COMMON_DEFINE_QUARK(core-glob-error-quark, core_glob_error)

/* One character of a name: a UTF-8 sequence when valid, else one byte. */
static gunichar char_at(const char *s, const char **next)
{
        gunichar c = g_utf8_get_char_validated(s, -1);
        if (c == (gunichar)-1 || c == (gunichar)-2) {
                *next = s + 1;
                return (unsigned char)*s;
        }
        *next = g_utf8_next_char(s);
        return c;
}

/* A pattern character, honouring a backslash escape. */
static gunichar pattern_char_at(const char *p, const char **next)
{
        if (p[0] == '\\' && p[1] != '\0')
                return char_at(p + 1, next);
        return char_at(p, next);
}

/* Matches c against the class starting after '['. Returns FALSE in *valid when the class has no
 * closing ']' (then '[' is an ordinary character). */
static gboolean class_match(const char *p, gunichar c, const char **end, gboolean *valid)
{
        gboolean negate = (*p == '!' || *p == '^');
        gboolean found = FALSE;
        if (negate)
                p++;
        const char *start = p;
        while (*p != '\0' && (*p != ']' || p == start)) {
                const char *next;
                gunichar lo = pattern_char_at(p, &next);
                gunichar hi = lo;
                if (next[0] == '-' && next[1] != ']' && next[1] != '\0')
                        hi = pattern_char_at(next + 1, &next);
                if (c >= lo && c <= hi)
                        found = TRUE;
                p = next;
        }
        *valid = (*p == ']');
        *end = *valid ? p + 1 : NULL;
        return found != negate;
}

/* Matches one non-star pattern element at p against the character at n. */
static gboolean element_match(const char *p, const char *n, const char **p_next, const char **n_next)
{
        const char *after_name;
        gunichar c = char_at(n, &after_name);
        *n_next = after_name;
        if (*p == '?') {
                *p_next = p + 1;
                return TRUE;
        }
        if (*p == '[') {
                gboolean valid;
                const char *end;
                gboolean hit = class_match(p + 1, c, &end, &valid);
                if (valid) {
                        *p_next = end;
                        return hit;
                }
        }
        gunichar want = (*p == '[') ? (gunichar)'[' : pattern_char_at(p, p_next);
        if (*p == '[')
                *p_next = p + 1;
        return want == c;
}

gboolean core_glob_match(const char *pattern, const char *name)
{
        g_return_val_if_fail(pattern != NULL && name != NULL, FALSE);
        if (name[0] == '.' && pattern[0] != '.' && !(pattern[0] == '\\' && pattern[1] == '.'))
                return FALSE;
        const char *p = pattern, *n = name;
        const char *star_p = NULL, *star_n = NULL;
        while (*n != '\0') {
                if (*p == '*') {
                        while (*p == '*')
                                p++;
                        star_p = p;
                        star_n = n;
                        continue;
                }
                const char *p_next, *n_next;
                if (*p != '\0' && element_match(p, n, &p_next, &n_next)) {
                        p = p_next;
                        n = n_next;
                        continue;
                }
                if (star_p == NULL)
                        return FALSE;
                char_at(star_n, &star_n); /* let the last star eat one more character */
                n = star_n;
                p = star_p;
        }
        while (*p == '*')
                p++;
        return *p == '\0';
}

gboolean core_glob_has_magic(const char *pattern)
{
        for (const char *p = pattern; *p != '\0'; p++) {
                if (*p == '\\' && p[1] != '\0') {
                        p++;
                        continue;
                }
                if (*p == '*' || *p == '?' || *p == '[')
                        return TRUE;
        }
        return FALSE;
}

char *core_glob_unescape(const char *pattern)
{
        GString *out = g_string_sized_new(strlen(pattern));
        for (const char *p = pattern; *p != '\0'; p++) {
                if (*p == '\\' && p[1] != '\0')
                        p++;
                g_string_append_c(out, *p);
        }
        return g_string_free(out, FALSE);
}

typedef struct {
        GPtrArray *out;    /* char*: the matches */
        GHashTable *seen;  /* the same strings: `**` twice in a pattern can reach a file twice */
} Expansion;

static char *join(const char *prefix, const char *name)
{
        if (prefix[0] == '\0')
                return g_strdup(name);
        if (g_str_has_suffix(prefix, "/"))
                return g_strconcat(prefix, name, NULL);
        return g_strconcat(prefix, "/", name, NULL);
}

static void expand_at(Expansion *x, const char *prefix, char **comps, guint depth);

/* `**`: zero directories, then each (non-hidden, non-symlink) subdirectory, keeping the `**`. */
static void expand_double_star(Expansion *x, const char *prefix, char **comps, guint depth)
{
        static char *any_file[] = { (char *)"*", NULL }; /* a final `**` matches files at any depth */
        expand_at(x, prefix, comps[1] != NULL ? comps + 1 : any_file, depth);
        if (depth >= GLOB_MAX_DEPTH)
                return;
        g_autoptr(GDir) dir = g_dir_open(prefix[0] ? prefix : ".", 0, NULL);
        if (dir == NULL)
                return;
        const char *entry;
        while ((entry = g_dir_read_name(dir)) != NULL) {
                if (entry[0] == '.')
                        continue;
                g_autofree char *path = join(prefix, entry);
                struct stat st;
                if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
                        expand_at(x, path, comps, depth + 1);
        }
}

static void expand_magic(Expansion *x, const char *prefix, char **comps, guint depth)
{
        g_autoptr(GDir) dir = g_dir_open(prefix[0] ? prefix : ".", 0, NULL);
        if (dir == NULL)
                return;
        const char *entry;
        while ((entry = g_dir_read_name(dir)) != NULL) {
                if (!core_glob_match(comps[0], entry))
                        continue;
                g_autofree char *path = join(prefix, entry);
                expand_at(x, path, comps + 1, depth);
        }
}

static void expand_at(Expansion *x, const char *prefix, char **comps, guint depth)
{
        while (comps[0] != NULL && comps[0][0] == '\0')
                comps++; /* "a//b" */
        if (comps[0] == NULL) {
                struct stat st;
                if (prefix[0] == '\0' || stat(prefix, &st) != 0 || !S_ISREG(st.st_mode))
                        return;
                if (g_hash_table_contains(x->seen, prefix))
                        return;
                char *copy = g_strdup(prefix);
                g_ptr_array_add(x->out, copy);
                g_hash_table_add(x->seen, copy);
                return;
        }
        if (strcmp(comps[0], "**") == 0) {
                expand_double_star(x, prefix, comps, depth);
                return;
        }
        if (core_glob_has_magic(comps[0])) {
                expand_magic(x, prefix, comps, depth);
                return;
        }
        g_autofree char *literal = core_glob_unescape(comps[0]);
        g_autofree char *path = join(prefix, literal);
        expand_at(x, path, comps + 1, depth);
}

static gint compare_strings(gconstpointer a, gconstpointer b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

GPtrArray *core_glob_expand_local(const char *pattern, GError **error)
{
        g_return_val_if_fail(pattern != NULL, NULL);
        if (pattern[0] == '\0') {
                g_set_error(error, CORE_GLOB_ERROR, CORE_GLOB_ERROR_BAD_PATTERN,
                            _("An empty name names no file."));
                return NULL;
        }
        if (!core_glob_has_magic(pattern)) {
                g_autofree char *plain = core_glob_unescape(pattern);
                if (!g_file_test(plain, G_FILE_TEST_EXISTS)) {
                        g_set_error(error, CORE_GLOB_ERROR, CORE_GLOB_ERROR_NO_MATCH,
                                    _("No such local file: %s."), plain);
                        return NULL;
                }
                GPtrArray *one = g_ptr_array_new_with_free_func(g_free);
                g_ptr_array_add(one, g_steal_pointer(&plain));
                return one;
        }
        Expansion x = {
                .out = g_ptr_array_new_with_free_func(g_free),
                .seen = g_hash_table_new(g_str_hash, g_str_equal),
        };
        g_auto(GStrv) comps = g_strsplit(pattern, "/", -1);
        expand_at(&x, pattern[0] == '/' ? "/" : "", comps, 0);
        g_hash_table_unref(x.seen);
        if (x.out->len == 0) {
                g_ptr_array_unref(x.out);
                g_set_error(error, CORE_GLOB_ERROR, CORE_GLOB_ERROR_NO_MATCH,
                            _("No local file matches %s."), pattern);
                return NULL;
        }
        g_ptr_array_sort(x.out, compare_strings);
        return x.out;
}
