/* tests/fuzz/fuzz-core-rate.c — speed limits as typed (core_rate_parse, core/rate.c). Properties:
 * a speed read is at most 4 GiB/s times 1024 (the parser's bound) and its words can be made; a
 * refusal is a usage error that names the setting. */
#include "tests/fuzz/fuzz.h"
#include "core/cmd.h"
#include "core/rate.h"

FUZZ_INITIALIZE_STRICT()

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        g_autofree char *text = fuzz_cstr(data, size);
        guint64 rate = G_MAXUINT64;
        g_autoptr(GError) error = NULL;
        if (core_rate_parse(text, "limit-rate", &rate, &error)) {
                FUZZ_ASSERT(rate <= (guint64)G_MAXUINT32 * 1024 + 1);
                g_autofree char *words = core_rate_text(rate);
                FUZZ_ASSERT(words && words[0]);
        } else {
                FUZZ_ASSERT(error != NULL && strstr(error->message, "limit-rate"));
        }
        return 0;
}
