/* tests/fuzz/fuzz-core-netrc.c — ~/.netrc's tokenizer and lookups (core/netrc.c). Properties: a
 * parse gives a list (no password refused: no file was read), every entry is found again by its
 * machine and login, as an entry of that list; a failure is a netrc error. */
#include "tests/fuzz/fuzz.h"
#include "core/netrc.h"

FUZZ_INITIALIZE_STRICT()

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        g_autofree char *text = fuzz_cstr(data, size);
        g_autoptr(GError) error = NULL;
        g_autoptr(CoreNetrc) netrc = core_netrc_parse(text, &error);
        if (!netrc) {
                FUZZ_ASSERT(error != NULL && error->domain == CORE_NETRC_ERROR);
                return 0;
        }
        FUZZ_ASSERT(netrc->entries != NULL);
        for (guint i = 0; i < netrc->entries->len; i++) {
                const CoreNetrcEntry *entry = g_ptr_array_index(netrc->entries, i);
                FUZZ_ASSERT(!entry->password_refused);
                const char *host = entry->machine ? entry->machine : "example.org";
                const CoreNetrcEntry *found = core_netrc_find(netrc, host, entry->login);
                FUZZ_ASSERT(found != NULL);
                gboolean listed = FALSE;
                for (guint j = 0; j < netrc->entries->len; j++)
                        listed |= g_ptr_array_index(netrc->entries, j) == found;
                FUZZ_ASSERT(listed);
        }
        return 0;
}
