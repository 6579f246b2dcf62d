/* tests/unit/test-ui-pane.c — the remote pane shows core's entries (core/entry.h): ".." first
 * (not at "/"), then directories, then the rest by name, each with its size, time and perms.
 * Must not: call curses or talk to a server. */
#include "ui/pane.h"
#include "core/entry.h"

static GPtrArray *listing(void)
{
        static const struct { const char *name; CoreEntryType type; gint64 size; const char *perms; } rows[] = {
                { "zeta.txt", CORE_ENTRY_FILE, 10, "rw-r--r--" },
                { "pub", CORE_ENTRY_DIR, 4096, "rwxr-xr-x" },
                { "latest", CORE_ENTRY_LINK, 7, NULL },
                { ".profile", CORE_ENTRY_FILE, 3, NULL },
                { "incoming", CORE_ENTRY_DIR, -1, NULL },
        };
        GPtrArray *entries = g_ptr_array_new_with_free_func((GDestroyNotify)core_entry_free);
        for (gsize i = 0; i < G_N_ELEMENTS(rows); i++) {
                CoreEntry *entry = core_entry_new(rows[i].name, rows[i].type, rows[i].size, 1700000000 + (gint64)i);
                entry->perms = g_strdup(rows[i].perms);
                g_ptr_array_add(entries, entry);
        }
        return entries;
}

static char *shown_names(UiPane *pane)
{
        GString *names = g_string_new(NULL);
        for (guint i = 0; i < pane->entries->len; i++) {
                const UiEntry *entry = g_ptr_array_index(pane->entries, i);
                g_string_append_printf(names, "%s%s%s", i ? " " : "", entry->name, entry->is_dir ? "/" : "");
        }
        return g_string_free(names, FALSE);
}

static void test_remote_listing_order(void)
{
        static const struct { const char *cwd; const char *shown; } rows[] = {
                { "/pub", "../ incoming/ pub/ .profile latest zeta.txt" },
                { "/", "incoming/ pub/ .profile latest zeta.txt" },
                { NULL, "../ incoming/ pub/ .profile latest zeta.txt" },
        };
        g_autoptr(GPtrArray) entries = listing();
        for (gsize i = 0; i < G_N_ELEMENTS(rows); i++) {
                g_autoptr(UiPane) pane = ui_pane_new(TRUE);
                ui_pane_set_remote(pane, rows[i].cwd, entries);
                g_autofree char *shown = shown_names(pane);
                g_assert_cmpstr(shown, ==, rows[i].shown);
                g_assert_cmpstr(pane->path, ==, rows[i].cwd ? rows[i].cwd : "?");
        }
        g_assert_cmpuint(entries->len, ==, 5); /* not taken */
}

static void test_remote_entry_keeps_size_time_perms(void)
{
        g_autoptr(GPtrArray) entries = listing();
        g_autoptr(UiPane) pane = ui_pane_new(TRUE);
        ui_pane_set_remote(pane, "/", entries);
        const UiEntry *file = ui_pane_entry(pane, "zeta.txt");
        g_assert_nonnull(file);
        g_assert_false(file->is_dir);
        g_assert_cmpint(file->size, ==, 10);
        g_assert_cmpint(file->mtime, ==, 1700000000);
        g_assert_cmpstr(file->perms, ==, "rw-r--r--");
        const UiEntry *link = ui_pane_entry(pane, "latest");
        g_assert_false(link->is_dir); /* a link is not entered as a directory */
        g_assert_null(link->perms);
}

static void test_remote_nothing_listed(void)
{
        g_autoptr(UiPane) pane = ui_pane_new(TRUE);
        ui_pane_set_remote(pane, "/empty", NULL);
        g_autofree char *shown = shown_names(pane);
        g_assert_cmpstr(shown, ==, "../");
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/ui/pane/remote-parent-then-dirs-then-the-rest", test_remote_listing_order);
        g_test_add_func("/ui/pane/remote-entry-keeps-size-time-perms", test_remote_entry_keeps_size_time_perms);
        g_test_add_func("/ui/pane/remote-nothing-listed-is-parent-only", test_remote_nothing_listed);
        return g_test_run();
}
