/* tests/fuzz/fuzz-scan-icap.c — the ICAP reply reader and its verdicts (scan/icap-reply.c).
 * Input: one byte choosing how the file was offered (no preview, a preview with ieof, a preview
 * of 4 bytes, a preview of 0 bytes), then everything the server sent, judged with
 * scan_icap_judge for the 14-byte file "hello, scanner".
 * Properties (nothing but a clean answer is OK): a verdict always comes, its reason class is NONE
 * exactly when it is OK; an OK needs a final 204 or 200 reply (after a partial preview, right
 * after a 100 Continue) whose headers hold no X-Infection-Found or X-Virus-ID and which ends with
 * a blank line (its own or its last chunk's); an OK through a 200 is never OK for another file
 * of the same size (the body was the file); the reply read whole and read in
 * pieces of the input's choosing gives the same state and verdict. */
#include "tests/fuzz/fuzz.h"
#include "scan/icap-reply.h"

#define FILE_TEXT "hello, scanner"

FUZZ_INITIALIZE_STRICT()

/* Where the header section starting at text ends (after its blank line), or NULL. */
static const char *headers_end(const char *text, const char *end)
{
        for (const char *p = text; p < end; p++) {
                if (*p != '\n')
                        continue;
                if (p + 1 < end && p[1] == '\n')
                        return p + 2;
                if (p + 2 < end && p[1] == '\r' && p[2] == '\n')
                        return p + 3;
        }
        return NULL;
}

static gboolean has_header(const char *start, const char *end, const char *name)
{
        g_autofree char *lower = g_ascii_strdown(start, end - start);
        g_autofree char *line = g_strconcat("\n", name, ":", NULL);
        return strstr(lower, line) != NULL;
}

static gboolean ends_a_message(const uint8_t *data, size_t size)
{
        return (size >= 2 && data[size - 1] == '\n' && data[size - 2] == '\n') ||
               (size >= 3 && data[size - 1] == '\n' && data[size - 2] == '\r' && data[size - 3] == '\n');
}

static void check_ok(const uint8_t *data, size_t size, gssize preview)
{
        const char *text = (const char *)data, *end = text + size;
        FUZZ_ASSERT(ends_a_message(data, size));
        const char *final = text;
        if (preview >= 0 && (gsize)preview < strlen(FILE_TEXT)) { /* the 100 Continue first */
                FUZZ_ASSERT(size >= 12 && memcmp(data, "ICAP/1.0 100", 12) == 0);
                final = headers_end(text, end);
                FUZZ_ASSERT(final != NULL);
        }
        FUZZ_ASSERT(end - final >= 12 && (memcmp(final, "ICAP/1.0 204", 12) == 0 ||
                                          memcmp(final, "ICAP/1.0 200", 12) == 0));
        const char *final_end = headers_end(final, end);
        FUZZ_ASSERT(final_end != NULL);
        FUZZ_ASSERT(!has_header(final, final_end, "x-infection-found"));
        FUZZ_ASSERT(!has_header(final, final_end, "x-virus-id"));
        if (memcmp(final, "ICAP/1.0 200", 12) != 0)
                return;
        /* a body the same as the file: another file of the same size is never OK with it */
        static const char other[] = "hello, scannex";
        g_autoptr(ScanVerdict) again = scan_icap_judge(data, size, (const guint8 *)other, strlen(other), preview, NULL);
        FUZZ_ASSERT(again->kind != SCAN_VERDICT_OK);
}

static gboolean compare_text(const guint8 *data, gsize len, guint64 offset, gpointer unused)
{
        return offset + len <= strlen(FILE_TEXT) && memcmp(FILE_TEXT + offset, data, len) == 0;
}

/* The first reply, fed whole and in pieces whose sizes come from the input itself. */
static void check_splits(const uint8_t *data, size_t size, guint8 seed)
{
        g_autoptr(IcapReply) whole = scan_icap_reply_new(strlen(FILE_TEXT), compare_text, NULL);
        g_autoptr(IcapReply) split = scan_icap_reply_new(strlen(FILE_TEXT), compare_text, NULL);
        gsize used_whole = 0, used_split = 0;
        scan_icap_reply_feed(whole, data, size, &used_whole);
        gsize at = 0;
        guint32 state = seed | 1u;
        while (at < size && scan_icap_reply_state(split) == ICAP_READ_MORE) {
                state = state * 1103515245u + 12345u;
                gsize piece = MIN(size - at, 1 + (state >> 16) % 7);
                gsize used = 0;
                scan_icap_reply_feed(split, data + at, piece, &used);
                used_split += used;
                at += piece;
        }
        FUZZ_ASSERT(scan_icap_reply_state(split) == scan_icap_reply_state(whole));
        FUZZ_ASSERT(used_split == used_whole);
        g_autoptr(ScanVerdict) a = scan_icap_reply_verdict(whole, TRUE);
        g_autoptr(ScanVerdict) b = scan_icap_reply_verdict(split, TRUE);
        FUZZ_ASSERT(a->kind == b->kind && a->reason_class == b->reason_class);
        FUZZ_ASSERT(g_strcmp0(a->signature, b->signature) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const gssize previews[] = { -1, 1024, 4, 0 };
        guint8 choice = fuzz_take_byte(&data, &size);
        gssize preview = previews[choice % G_N_ELEMENTS(previews)];
        g_autofree char *istag = NULL;
        g_autoptr(ScanVerdict) verdict = scan_icap_judge(data, size, (const guint8 *)FILE_TEXT, strlen(FILE_TEXT),
                                                         preview, &istag);
        FUZZ_ASSERT(verdict != NULL);
        FUZZ_ASSERT((verdict->kind == SCAN_VERDICT_OK) == (verdict->reason_class == SCAN_REASON_NONE));
        FUZZ_ASSERT(verdict->kind != SCAN_VERDICT_ERROR || verdict->reason != NULL);
        FUZZ_ASSERT(verdict->kind != SCAN_VERDICT_INFECTED || (verdict->signature && *verdict->signature));
        if (istag)
                FUZZ_ASSERT(g_utf8_validate(istag, -1, NULL));
        if (verdict->kind == SCAN_VERDICT_OK)
                check_ok(data, size, preview);
        check_splits(data, size, choice);
        return 0;
}
