/* core/glob.h — wildcard patterns: `*`, `?`, `[...]`, and `**` across directories.
 * Owns: matching names against patterns and expanding local patterns. Must not: do network I/O. */
#pragma once
#include <glib.h>

#define CORE_GLOB_ERROR (core_glob_error_quark())
GQuark core_glob_error_quark(void);
typedef enum {
        CORE_GLOB_ERROR_NO_MATCH, /* nothing matched (or a plain name that does not exist) */
        CORE_GLOB_ERROR_BAD_PATTERN,
} CoreGlobErrorCode;

/* TRUE when pattern holds an unescaped `*`, `?` or `[`. */
gboolean core_glob_has_magic(const char *pattern);
/* One path component against one pattern component (no '/'); leading dots match only explicitly.
 * `[...]` takes ranges and `!`/`^` negation; a backslash makes the next character literal;
 * `?` and classes match one UTF-8 character. */
gboolean core_glob_match(const char *pattern, const char *name);
/* Expands a local pattern relative to the current directory: "*.txt", or "folder/" + "**" +
 * "/" + "*.py" where "**" spans any number of directories (symlinked directories are not
 * followed, depth capped); sorted, regular files only. A pattern without magic that names an existing file yields itself.
 * Nothing matched: NULL with CORE_GLOB_ERROR_NO_MATCH. */
GPtrArray *core_glob_expand_local(const char *pattern, GError **error); /* char*, transfer full */
/* Removes backslash escapes ("a\*b" → "a*b"). transfer full */
char *core_glob_unescape(const char *pattern);
