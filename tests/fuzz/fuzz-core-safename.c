/* tests/fuzz/fuzz-core-safename.c — names from a server (core/safename.c). Properties: an accepted
 * name is never empty, "." or "..", and holds no '/', '\\', control character (below 0x20, 0x7f)
 * or drive prefix; its escaped form for a terminal holds no C0 or C1 control, no DEL and no bidi
 * override, and is valid UTF-8. */
#include "tests/fuzz/fuzz.h"
#include "core/safename.h"

static void check_shown(const char *shown)
{
        FUZZ_ASSERT(g_utf8_validate(shown, -1, NULL));
        for (const char *p = shown; *p; p = g_utf8_next_char(p)) {
                gunichar c = g_utf8_get_char(p);
                FUZZ_ASSERT(c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0));
                FUZZ_ASSERT(!(c >= 0x202a && c <= 0x202e) && !(c >= 0x2066 && c <= 0x2069));
        }
}

FUZZ_INITIALIZE_STRICT()

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        g_autofree char *name = fuzz_cstr(data, size);
        if (core_name_is_safe(name)) {
                FUZZ_ASSERT(name[0] != '\0');
                FUZZ_ASSERT(strcmp(name, ".") != 0 && strcmp(name, "..") != 0);
                FUZZ_ASSERT(!(g_ascii_isalpha(name[0]) && name[1] == ':'));
                for (const guchar *p = (const guchar *)name; *p; p++)
                        FUZZ_ASSERT(*p != '/' && *p != '\\' && *p >= 0x20 && *p != 0x7f);
        }
        g_autofree char *shown = core_name_escape(name);
        check_shown(shown);
        return 0;
}
