/* tests/fuzz/fuzz-core-config.c — the config file (core_options_load_config, core/options.c):
 * the input is the file. Property: it loads, or fails with a config error that has a message. */
#include "tests/fuzz/fuzz.h"
#include "core/options.h"

FUZZ_INITIALIZE_STRICT()

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const char *path = fuzz_write_file("clamftp.conf", data, size);
        g_autoptr(CoreOptions) opts = g_new0(CoreOptions, 1);
        opts->passive = TRUE;
        opts->parallel = -1;
        opts->reconnect = -1;
        opts->temp_upload = -1;
        g_autoptr(GError) error = NULL;
        if (!core_options_load_config(opts, path, TRUE, &error)) {
                FUZZ_ASSERT(error != NULL && error->domain == CORE_OPTIONS_ERROR && error->message[0]);
                return 0;
        }
        FUZZ_ASSERT(opts->temp_upload >= -1 && opts->temp_upload <= 1);
        return 0;
}
