/* tests/fuzz/fuzz-core-options.c — the command line (core_options_parse, core/options.c): the
 * input split at NUL bytes is argv after "clamftp". The default config file is an empty file of
 * the scratch directory ($XDG_CONFIG_HOME). Arguments that would make GLib print help and exit are
 * left out. Property: a failure is a usage or config error with a message; a success keeps the
 * values in their ranges. */
#include "tests/fuzz/fuzz.h"
#include "core/options.h"

/* --help, --help-all, -h, -? (also inside a group of short options) print and exit(0). */
static gboolean asks_help(const char *arg)
{
        if (g_str_has_prefix(arg, "--"))
                return g_str_has_prefix(arg, "--help");
        return arg[0] == '-' && (strchr(arg, 'h') || strchr(arg, '?'));
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        fuzz_glib_strict();
        g_setenv("XDG_CONFIG_HOME", fuzz_scratch_dir(), TRUE);
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        g_auto(GStrv) words = fuzz_split_nul(data, size);
        guint n = g_strv_length(words);
        if (n > 64)
                return 0;
        g_autofree char **argv = g_new0(char *, n + 2);
        argv[0] = "clamftp";
        for (guint i = 0; i < n; i++) {
                if (asks_help(words[i]))
                        return 0;
                argv[i + 1] = words[i];
        }
        g_autoptr(GError) error = NULL;
        g_autoptr(CoreOptions) opts = core_options_parse((int)n + 1, argv, &error);
        if (!opts) {
                FUZZ_ASSERT(error != NULL && error->domain == CORE_OPTIONS_ERROR && error->message[0]);
                return 0;
        }
        FUZZ_ASSERT(opts->parallel >= -1 && opts->reconnect >= -1);
        FUZZ_ASSERT(opts->temp_upload >= -1 && opts->temp_upload <= 1);
        return 0;
}
