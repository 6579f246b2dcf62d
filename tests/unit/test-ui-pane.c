/* tests/unit/test-ui-pane.c — the remote pane shows core's entries (core/entry.h): ".." first
 * (not at "/"), then directories, then the rest by name, each with its size, time and perms.
 * Must not: call curses or talk to a server. */
#include "ui/pane.h"
#include "ui/typeahead.h"
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

static char *selected_names(UiPane *pane)
{
        GString *names = g_string_new(NULL);
        for (guint i = 0; i < pane->entries->len; i++) {
                const UiEntry *entry = g_ptr_array_index(pane->entries, i);
                if (entry->selected)
                        g_string_append_printf(names, "%s%s", names->len ? " " : "", entry->name);
        }
        return g_string_free(names, FALSE);
}

/* `+` and `-`: a glob over the shown names, never "..", and the totals of what is selected. */
static void test_select_glob_and_totals(void)
{
        static const struct { gboolean select; const char *glob; guint changed; const char *selected; } steps[] = {
                { TRUE, "*", 4, "incoming pub latest zeta.txt" }, /* as a shell: no dot files */
                { FALSE, "*", 4, "" },
                { TRUE, ".*", 1, ".profile" },
                { FALSE, ".p*", 1, "" },
                { TRUE, "*.txt", 1, "zeta.txt" },
                { TRUE, "*.txt", 0, "zeta.txt" },      /* already selected: nothing changes */
                { TRUE, "p*", 1, "pub zeta.txt" },
                { TRUE, "[il]*", 2, "incoming pub latest zeta.txt" },
                { FALSE, "?ub", 1, "incoming latest zeta.txt" },
                { TRUE, "..", 0, "incoming latest zeta.txt" }, /* ".." is never selected */
                { FALSE, "*t*", 2, "incoming" },
        };
        g_autoptr(GPtrArray) entries = listing();
        g_autoptr(UiPane) pane = ui_pane_new(TRUE);
        ui_pane_set_remote(pane, "/pub", entries);
        for (gsize i = 0; i < G_N_ELEMENTS(steps); i++) {
                guint changed = ui_pane_select_glob(pane, steps[i].glob, steps[i].select);
                g_autofree char *selected = selected_names(pane);
                g_assert_cmpstr(selected, ==, steps[i].selected);
                g_assert_cmpuint(changed, ==, steps[i].changed);
        }
        ui_pane_select_glob(pane, "*", TRUE);
        guint64 bytes = 0;
        ui_pane_select_glob(pane, ".*", TRUE);
        g_assert_cmpuint(ui_pane_selection_totals(pane, &bytes), ==, 5);
        g_assert_cmpuint(bytes, ==, 10 + 7 + 3); /* the files only: a directory's size is not its content */
        ui_pane_clear_selection(pane);
        g_assert_cmpuint(ui_pane_selection_totals(pane, &bytes), ==, 0);
        g_assert_cmpuint(bytes, ==, 0);
}

/* Type-ahead and Ctrl-S: the first name that starts with (contains) the text, from a place,
 * wrapping round, case-insensitive, never "..". */
static void test_find_names(void)
{
        static const char *const names[] = { NULL, "Alpha.txt", "beta", "alphabet", "Ünïcode", "gamma-alpha" };
        static const struct { const char *text; guint from; UiFindHow how; int want; } rows[] = {
                { "al", 0, UI_FIND_PREFIX, 1 },
                { "AL", 0, UI_FIND_PREFIX, 1 },
                { "alphab", 0, UI_FIND_PREFIX, 3 },
                { "al", 2, UI_FIND_PREFIX, 3 },
                { "al", 4, UI_FIND_PREFIX, 1 },       /* wraps round */
                { "ün", 0, UI_FIND_PREFIX, 4 },
                { "ÜNÏ", 0, UI_FIND_PREFIX, 4 },
                { "x", 0, UI_FIND_PREFIX, -1 },
                { "..", 0, UI_FIND_PREFIX, -1 },
                { "alpha", 4, UI_FIND_ANYWHERE, 5 },
                { "pha", 0, UI_FIND_ANYWHERE, 1 },
                { "pha", 2, UI_FIND_ANYWHERE, 3 },
                { "pha", 0, UI_FIND_PREFIX, -1 },
                { "", 2, UI_FIND_PREFIX, 2 },
        };
        for (gsize i = 0; i < G_N_ELEMENTS(rows); i++)
                g_assert_cmpint(ui_typeahead_find(names, G_N_ELEMENTS(names), rows[i].text, rows[i].from, rows[i].how),
                                ==, rows[i].want);
        g_autoptr(GPtrArray) entries = listing();
        g_autoptr(UiPane) pane = ui_pane_new(TRUE);
        ui_pane_set_remote(pane, "/pub", entries);
        g_assert_cmpint(ui_pane_find(pane, "LAT", 0, FALSE), ==, 4); /* ../ incoming/ pub/ .profile latest */
        g_assert_cmpint(ui_pane_find(pane, "t", 0, TRUE), ==, 4);
        g_assert_cmpint(ui_pane_find(pane, "t", 5, TRUE), ==, 5);
        g_assert_cmpint(ui_pane_find(pane, "t", 6, TRUE), ==, 4);  /* from past the end: round */
        g_assert_cmpint(ui_pane_find(pane, "..", 0, FALSE), ==, -1);
}

static void test_typeahead_goes_stale(void)
{
        UiTypeahead ta;
        ui_typeahead_init(&ta);
        g_assert_false(ui_typeahead_active(&ta, 10));
        g_string_append(ta.text, "ab");
        ta.last_us = 1000;
        g_assert_true(ui_typeahead_active(&ta, 1000 + UI_TYPEAHEAD_PAUSE_US - 1));
        g_assert_false(ui_typeahead_active(&ta, 1000 + UI_TYPEAHEAD_PAUSE_US));
        ui_typeahead_reset(&ta);
        g_assert_false(ui_typeahead_active(&ta, 1000));
        ui_typeahead_clear(&ta);
}

/* A reversed order turns each group round; ".." and the directories stay first. */
static void test_reverse_sort(void)
{
        g_autoptr(GPtrArray) entries = listing();
        g_autoptr(UiPane) pane = ui_pane_new(TRUE);
        ui_pane_set_remote(pane, "/pub", entries);
        ui_pane_set_reverse(pane, TRUE);
        g_autofree char *shown = shown_names(pane);
        g_assert_cmpstr(shown, ==, "../ pub/ incoming/ zeta.txt latest .profile");
        ui_pane_set_sort(pane, UI_SORT_SIZE);
        g_autofree char *by_size = shown_names(pane);
        g_assert_cmpstr(by_size, ==, "../ incoming/ pub/ .profile latest zeta.txt"); /* smallest first */
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
        g_test_add_func("/ui/pane/select-glob-never-parent-and-totals", test_select_glob_and_totals);
        g_test_add_func("/ui/pane/find-prefix-or-anywhere-wrapping", test_find_names);
        g_test_add_func("/ui/pane/typeahead-goes-stale-after-a-pause", test_typeahead_goes_stale);
        g_test_add_func("/ui/pane/reverse-keeps-directories-first", test_reverse_sort);
        g_test_add_func("/ui/pane/remote-entry-keeps-size-time-perms", test_remote_entry_keeps_size_time_perms);
        g_test_add_func("/ui/pane/remote-nothing-listed-is-parent-only", test_remote_nothing_listed);
        return g_test_run();
}
