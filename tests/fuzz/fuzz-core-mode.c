/* tests/fuzz/fuzz-core-mode.c — chmod's modes (core/mode.c): octal and symbolic specs applied to a
 * current mode the first two bytes give, and listings' "rwxr-xr-x" strings. Properties: a mode
 * made is always <= 07777; an octal spec needs no current mode and gives its own value; a perms
 * string gives -1 or a mode <= 07777. */
#include "tests/fuzz/fuzz.h"
#include "core/mode.h"

FUZZ_INITIALIZE_STRICT()

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        guint8 hi = fuzz_take_byte(&data, &size);
        guint8 lo = fuzz_take_byte(&data, &size);
        gint current = hi & 0x80 ? -1 : ((hi & 0x0f) << 8 | lo);
        gboolean is_dir = (hi & 0x40) != 0;
        g_autofree char *spec = fuzz_cstr(data, size);

        guint octal = 0;
        gboolean is_octal = core_mode_is_octal(spec, &octal);
        if (is_octal)
                FUZZ_ASSERT(octal <= 07777);
        guint mode = 0xffffffff;
        g_autoptr(GError) error = NULL;
        if (core_mode_apply(spec, current, is_dir, &mode, &error)) {
                FUZZ_ASSERT(mode <= 07777);
                if (is_octal)
                        FUZZ_ASSERT(mode == octal);
        } else {
                FUZZ_ASSERT(error != NULL && error->domain == CORE_MODE_ERROR);
                FUZZ_ASSERT(!is_octal);
        }
        gint perms = core_mode_from_perms(spec);
        FUZZ_ASSERT(perms == -1 || (perms >= 0 && perms <= 07777));
        return 0;
}
