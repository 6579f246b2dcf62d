/* tests/fuzz/fuzz-core-glob.c — wildcard patterns (core/glob.c): the input is a pattern and a name
 * separated by the first NUL. Properties: matching ends (no exponential backtracking: libFuzzer's
 * timeout catches it), a pattern without magic matches exactly its unescaped self, every name
 * matches "*" unless it starts with a dot, and unescaping never makes a longer string. */
#include "tests/fuzz/fuzz.h"
#include "core/glob.h"

FUZZ_INITIALIZE_STRICT()

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const uint8_t *nul = memchr(data, '\0', size);
        gsize pattern_len = nul ? (gsize)(nul - data) : size;
        g_autofree char *pattern = g_strndup((const char *)data, pattern_len);
        g_autofree char *name = nul ? fuzz_cstr(nul + 1, size - pattern_len - 1) : g_strdup(pattern);
        gboolean matched = core_glob_match(pattern, name);
        g_autofree char *plain = core_glob_unescape(pattern);
        FUZZ_ASSERT(strlen(plain) <= strlen(pattern));
        if (!core_glob_has_magic(pattern) && !strchr(pattern, '/') && !strchr(name, '/') &&
            g_utf8_validate(pattern, -1, NULL))
                FUZZ_ASSERT(matched == (strcmp(plain, name) == 0));
        if (!strchr(name, '/') && name[0] != '.' && g_utf8_validate(name, -1, NULL))
                FUZZ_ASSERT(core_glob_match("*", name));
        return 0;
}
