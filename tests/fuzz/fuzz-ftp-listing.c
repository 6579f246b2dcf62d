/* tests/fuzz/fuzz-ftp-listing.c — directory listings (ftp/listing.c): a whole body as MLSD (facts)
 * or as LIST (unix, DOS/IIS, EPLF, VMS, detected per line, VMS names joined across lines), and
 * each of its lines alone. The first byte picks the kind and the clock. Properties: every entry
 * has a name that is neither "." nor ".." (an empty one is returned as sent, for core to refuse:
 * tests/unit/test-ftp-listing.c pins it), a known type, a size and a time of -1 or more, and a
 * link target only on a link. */
#include "tests/fuzz/fuzz.h"
#include "ftp/listing.h"

static void check_entry(const FtpEntry *entry)
{
        FUZZ_ASSERT(entry->name != NULL);
        FUZZ_ASSERT(strcmp(entry->name, ".") != 0 && strcmp(entry->name, "..") != 0);
        FUZZ_ASSERT(entry->type >= FTP_ENTRY_FILE && entry->type <= FTP_ENTRY_OTHER);
        FUZZ_ASSERT(entry->size >= -1);
        FUZZ_ASSERT(entry->mtime >= -1);
        FUZZ_ASSERT(entry->link_target == NULL || entry->type == FTP_ENTRY_LINK);
        g_autoptr(FtpEntry) copy = ftp_entry_copy(entry);
        FUZZ_ASSERT(g_strcmp0(copy->name, entry->name) == 0);
}

FUZZ_INITIALIZE_STRICT()

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        guint8 choice = fuzz_take_byte(&data, &size);
        FtpListingKind kind = choice & 1 ? FTP_LISTING_MLSD : FTP_LISTING_LIST;
        /* a clock in 2024, or just after the epoch (dates without a year), or near 2038 */
        static const gint64 clocks[] = { 1718000000, 86400, G_GINT64_CONSTANT(2147483000), 0 };
        gint64 now = clocks[(choice >> 1) % G_N_ELEMENTS(clocks)];

        g_autoptr(GPtrArray) entries = ftp_listing_parse((const char *)data, size, kind, now);
        FUZZ_ASSERT(entries != NULL);
        for (guint i = 0; i < entries->len; i++)
                check_entry(g_ptr_array_index(entries, i));
        (void)ftp_listing_is_mlsd((const char *)data, size);

        g_autofree char *text = fuzz_cstr(data, size);
        g_auto(GStrv) lines = g_strsplit(text, "\n", 64);
        for (char **line = lines; *line; line++) {
                g_autoptr(FtpEntry) entry = ftp_listing_parse_line(*line, kind, now);
                if (entry)
                        check_entry(entry);
        }
        return 0;
}
