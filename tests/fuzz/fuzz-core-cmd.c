/* tests/fuzz/fuzz-core-cmd.c — the command line splitter (core/cmd.c): words, quotes, escapes, and
 * `;` between commands. Properties: CR, LF or NUL anywhere is refused; the words of a line, quoted
 * again, split back into the same words; a piece of `cmd; cmd` splits into that piece alone; the
 * lookup of a first word answers or errs. */
#include "tests/fuzz/fuzz.h"
#include "core/cmd.h"

/* 'word' with every ' written '\'' */
static char *requote(char **words)
{
        GString *out = g_string_new(NULL);
        for (char **w = words; *w; w++) {
                if (out->len)
                        g_string_append_c(out, ' ');
                g_string_append_c(out, '\'');
                for (const char *p = *w; *p; p++) {
                        if (*p == '\'')
                                g_string_append(out, "'\\''");
                        else
                                g_string_append_c(out, *p);
                }
                g_string_append_c(out, '\'');
        }
        return g_string_free(out, FALSE);
}

static void fuzz_line(const uint8_t *data, size_t size)
{
        g_autoptr(GError) error = NULL;
        g_auto(GStrv) words = core_cmd_split((const char *)data, (gssize)size, &error);
        gboolean bad_char = memchr(data, '\r', size) || memchr(data, '\n', size) || memchr(data, '\0', size);
        if (!words) {
                FUZZ_ASSERT(error != NULL && error->domain == CORE_CMD_ERROR);
                FUZZ_ASSERT((error->code == CORE_CMD_ERROR_BAD_CHAR) == bad_char);
                return;
        }
        FUZZ_ASSERT(!bad_char);
        g_autofree char *again = requote(words);
        g_auto(GStrv) back = core_cmd_split(again, -1, NULL);
        FUZZ_ASSERT(back != NULL && g_strv_equal((const char *const *)back, (const char *const *)words));
        if (words[0]) {
                g_autoptr(GError) lookup_error = NULL;
                const CoreCmd *cmd = core_cmd_lookup(words[0], &lookup_error);
                FUZZ_ASSERT((cmd != NULL) != (lookup_error != NULL));
        }
}

static void fuzz_commands(const char *text)
{
        g_autoptr(GError) error = NULL;
        g_auto(GStrv) pieces = core_cmd_split_commands(text, &error);
        if (!pieces) {
                FUZZ_ASSERT(error != NULL);
                return;
        }
        for (char **piece = pieces; *piece; piece++) {
                FUZZ_ASSERT(**piece != '\0');
                g_auto(GStrv) alone = core_cmd_split_commands(*piece, NULL);
                FUZZ_ASSERT(alone && alone[0] && g_str_equal(alone[0], *piece) && !alone[1]);
        }
}

FUZZ_INITIALIZE_STRICT()

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        fuzz_line(data, size);
        g_autofree char *text = fuzz_cstr(data, size);
        fuzz_commands(text);
        return 0;
}
