/* tests/unit/test-core-entry.c — the FTP engine's listing entries made into core's own (what the
 * TUI's panes and batches see): one table row per entry kind, and the names a pane never shows
 * left out. Must not: do I/O. */
#include "core/entry-private.h"

typedef struct {
        const char *name;
        FtpEntryType ftp_type;
        gint64 size;
        gint64 mtime;
        const char *perms;
        gboolean kept;          /* FALSE: the entry is left out */
        CoreEntryType type;
} EntryCase;

static const EntryCase cases[] = {
        { "notes.txt", FTP_ENTRY_FILE,  1234, 1704458040, "rw-r--r--", TRUE, CORE_ENTRY_FILE },
        { "pub",       FTP_ENTRY_DIR,   4096, 1703409300, "rwxr-xr-x", TRUE, CORE_ENTRY_DIR },
        { "latest",    FTP_ENTRY_LINK,  7,    -1,         "rwxrwxrwx", TRUE, CORE_ENTRY_LINK },
        { "fifo",      FTP_ENTRY_OTHER, -1,   -1,         NULL,        TRUE, CORE_ENTRY_OTHER },
        { ".hidden",   FTP_ENTRY_FILE,  0,    0,          NULL,        TRUE, CORE_ENTRY_FILE },
        { ".",         FTP_ENTRY_DIR,   -1,   -1,         NULL,        FALSE },
        { "..",        FTP_ENTRY_DIR,   -1,   -1,         NULL,        FALSE },
        { NULL,        FTP_ENTRY_FILE,  1,    1,          NULL,        FALSE },
        { "日本語 name", FTP_ENTRY_FILE, 3,    1,          NULL,        TRUE, CORE_ENTRY_FILE },
};

static void test_from_ftp_keeps_what_panes_use(void)
{
        g_autoptr(GPtrArray) ftp = g_ptr_array_new_with_free_func((GDestroyNotify)ftp_entry_free);
        for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
                FtpEntry *entry = ftp_entry_new();
                entry->name = g_strdup(cases[i].name);
                entry->type = cases[i].ftp_type;
                entry->size = cases[i].size;
                entry->mtime = cases[i].mtime;
                entry->perms = g_strdup(cases[i].perms);
                entry->link_target = g_strdup(cases[i].ftp_type == FTP_ENTRY_LINK ? "releases/3.1" : NULL);
                g_ptr_array_add(ftp, entry);
        }
        g_autoptr(GPtrArray) entries = core_entries_from_ftp(ftp);
        guint next = 0;
        for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
                if (!cases[i].kept)
                        continue;
                g_assert_cmpuint(next, <, entries->len);
                const CoreEntry *entry = g_ptr_array_index(entries, next++);
                g_assert_cmpstr(entry->name, ==, cases[i].name);
                g_assert_cmpint(entry->type, ==, cases[i].type);
                g_assert_cmpint(entry->size, ==, cases[i].size);
                g_assert_cmpint(entry->mtime, ==, cases[i].mtime);
                g_assert_cmpstr(entry->perms, ==, cases[i].perms);
        }
        g_assert_cmpuint(entries->len, ==, next);
        g_assert_cmpuint(ftp->len, ==, G_N_ELEMENTS(cases)); /* not taken */
}

static void test_from_ftp_of_nothing_is_empty(void)
{
        g_autoptr(GPtrArray) none = core_entries_from_ftp(NULL);
        g_assert_nonnull(none);
        g_assert_cmpuint(none->len, ==, 0);
        g_autoptr(GPtrArray) empty_ftp = g_ptr_array_new();
        g_autoptr(GPtrArray) empty = core_entries_from_ftp(empty_ftp);
        g_assert_cmpuint(empty->len, ==, 0);
}

static void test_new_has_no_perms(void)
{
        g_autoptr(CoreEntry) entry = core_entry_new("plain", CORE_ENTRY_FILE, -1, -1);
        g_assert_cmpstr(entry->name, ==, "plain");
        g_assert_cmpint(entry->type, ==, CORE_ENTRY_FILE);
        g_assert_cmpint(entry->size, ==, -1);
        g_assert_cmpint(entry->mtime, ==, -1);
        g_assert_null(entry->perms);
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/core/entry/from-ftp-keeps-kind-size-time-perms-in-order", test_from_ftp_keeps_what_panes_use);
        g_test_add_func("/core/entry/from-ftp-of-nothing-is-empty", test_from_ftp_of_nothing_is_empty);
        g_test_add_func("/core/entry/new-has-no-perms", test_new_has_no_perms);
        return g_test_run();
}
