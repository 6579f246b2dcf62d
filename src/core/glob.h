/* core/glob.h — wildcard patterns: `*`, `?`, `[...]`, and `**` across directories.
 * Owns: matching names against patterns and expanding local patterns. Must not: do network I/O. */
#pragma once
#include <glib.h>

gboolean core_glob_has_magic(const char *pattern);
/* One path component against one pattern component (no '/'); leading dots match only explicitly. */
gboolean core_glob_match(const char *pattern, const char *name);
/* Expands a local pattern relative to the current directory ("*.txt", or "folder/" "**" "/*.py",
 * where "**" spans any number of directories); sorted,
 * regular files only. A pattern without magic that names an existing file yields itself. */
GPtrArray *core_glob_expand_local(const char *pattern, GError **error); /* char*, transfer full */
