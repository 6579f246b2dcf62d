/* tests/unit/test-ui-columns.c — text widths, ellipses and the column layout of a pane's rows:
 * wide (CJK) and long names stay inside their column, columns drop out as the pane narrows,
 * and the canvas never lets a wide character straddle an edge. */
#include "ui/canvas.h"
#include "ui/columns.h"
#include <locale.h>

static void test_widths(void)
{
        g_assert_cmpint(ui_text_width("abc"), ==, 3);
        g_assert_cmpint(ui_text_width("日本語"), ==, 6);
        g_assert_cmpint(ui_text_width("Jørgen"), ==, 6);
        g_assert_cmpint(ui_text_width("e\u0301"), ==, 1); /* combining acute */
}

static void test_fit_long_and_wide(void)
{
        static const struct { const char *text; int width; const char *fitted; } rows[] = {
                { "short.txt", 20, "short.txt" },
                { "a-very-long-file-name.txt", 10, "a-very-lo…" },
                { "日本語のファイル", 7, "日本語…" },  /* 3 wide + ellipsis: 7 columns */
                { "日本語のファイル", 8, "日本語…" },  /* a 4th wide one would need 9 */
                { "abc", 0, "" },
        };
        for (gsize i = 0; i < G_N_ELEMENTS(rows); i++) {
                g_autofree char *fitted = ui_text_fit(rows[i].text, rows[i].width);
                g_assert_cmpstr(fitted, ==, rows[i].fitted);
                g_assert_cmpint(ui_text_width(fitted), <=, rows[i].width);
        }
        g_autofree char *middle = ui_text_fit_middle("quarterly-report-final-v2.pdf", 16);
        g_assert_cmpint(ui_text_width(middle), <=, 16);
        g_assert_true(g_str_has_suffix(middle, ".pdf"));
        g_assert_nonnull(g_strstr_len(middle, -1, "…"));
}

static void test_layout_by_width(void)
{
        UiColumns narrow = ui_columns_layout(20, FALSE);
        g_assert_cmpint(narrow.size, ==, 0);
        g_assert_cmpint(narrow.date, ==, 0);
        g_assert_cmpint(narrow.perms, ==, 0);
        g_assert_cmpint(ui_columns_width(&narrow), ==, 20);

        UiColumns half80 = ui_columns_layout(39, FALSE); /* a pane of an 80-column terminal */
        g_assert_cmpint(half80.size, ==, 7);
        g_assert_cmpint(half80.date, ==, 10);
        g_assert_cmpint(half80.perms, ==, 0);
        g_assert_cmpint(half80.name, >=, 15);
        g_assert_cmpint(ui_columns_width(&half80), ==, 39);

        UiColumns wide = ui_columns_layout(100, FALSE);
        g_assert_cmpint(wide.date, ==, 16);
        g_assert_cmpint(wide.perms, ==, 10);
        g_assert_cmpint(ui_columns_width(&wide), ==, 100);
}

static void test_layout_perms_when_wanted(void)
{
        UiColumns half80 = ui_columns_layout(39, TRUE); /* `:columns perms` at 80 columns */
        g_assert_cmpint(half80.perms, ==, 10);
        g_assert_cmpint(half80.size, ==, 7);
        g_assert_cmpint(half80.name, >=, UI_COLUMNS_MIN_NAME);
        g_assert_cmpint(ui_columns_width(&half80), ==, 39);
        UiRow row = { .name = "a.txt", .size = 5, .mtime = -1, .perms = "rwxr-x---" };
        g_autofree char *text = ui_columns_format(&half80, &row);
        g_assert_true(g_str_has_suffix(text, " rwxr-x--- "));
        UiColumns tiny = ui_columns_layout(12, TRUE); /* no room: the name comes first */
        g_assert_cmpint(tiny.perms, ==, 0);
}

static void test_rows_keep_their_width(void)
{
        static const char *names[] = { "a", "日本語のとても長いファイル名.txt", "Jørgen",
                                       "x-very-very-very-very-very-very-long-name.tar.gz", "😀😀" };
        for (int width = 20; width <= 120; width += 7) {
                UiColumns cols = ui_columns_layout(width, FALSE);
                for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
                        UiRow row = { .name = names[i], .size = 123456789, .mtime = 0,
                                      .perms = "rw-r--r--", .infected = i == 1 };
                        g_autofree char *text = ui_columns_format(&cols, &row);
                        g_assert_cmpint(ui_text_width(text), ==, width);
                }
        }
}

static void test_row_marks_and_sizes(void)
{
        UiColumns cols = ui_columns_layout(39, FALSE);
        UiRow row = { .name = "eicar.com", .size = 68, .mtime = -1, .infected = TRUE };
        g_autofree char *infected = ui_columns_format(&cols, &row);
        g_assert_true(g_str_has_prefix(infected, "!eicar.com"));
        row.infected = FALSE; /* refused but not malware: a limit, encryption, no scanner */
        row.unscanned = TRUE;
        g_autofree char *unscanned = ui_columns_format(&cols, &row);
        g_assert_true(g_str_has_prefix(unscanned, "?eicar.com"));
        row.selected = TRUE; /* a refused file that is selected shows the selection */
        g_autofree char *both = ui_columns_format(&cols, &row);
        g_assert_true(g_str_has_prefix(both, "*eicar.com"));
        UiRow dir = { .name = "photos", .is_dir = TRUE, .size = 4096, .mtime = -1, .selected = TRUE };
        g_autofree char *dir_text = ui_columns_format(&cols, &dir);
        g_assert_true(g_str_has_prefix(dir_text, "*photos/"));
        g_assert_nonnull(g_strstr_len(dir_text, -1, "DIR"));
        g_autofree char *big = ui_columns_size(5 * 1024 * 1024);
        g_assert_cmpstr(big, ==, "5.0M");
        g_autofree char *small = ui_columns_size(999999);
        g_assert_cmpstr(small, ==, "999999");
}

static void test_canvas_wide_char_at_edge(void)
{
        g_autoptr(UiCanvas) canvas = ui_canvas_new(10, 2);
        int used = ui_canvas_text(canvas, 0, 0, 5, "日本語", UI_ATTR_NORMAL);
        g_assert_cmpint(used, ==, 4); /* the third would straddle column 5 */
        ui_canvas_text(canvas, 5, 0, 5, "abcdefgh", UI_ATTR_NORMAL);
        g_autofree char *row = ui_canvas_row_text(canvas, 0);
        g_assert_cmpstr(row, ==, "日本 abcde");
        g_autofree char *dump = ui_canvas_dump(canvas);
        g_assert_cmpstr(dump, ==, "日本 abcde\n\n");
}

typedef struct {
        const char *text;
        int width;
        const char *lines[6];  /* NULL-terminated */
} WrapCase;

static const WrapCase wrap_cases[] = {
        { "", 10, { "", NULL } },
        { "short", 10, { "short", NULL } },
        { "one two three four", 9, { "one two", "three", "four", NULL } },
        { "  <F5>  copy it now", 12, { "  <F5>  copy", "it now", NULL } },   /* indentation kept */
        { "/a/very/long/path/without/blanks", 10, { "/a/very/lo", "ng/path/wi", "thout/blan", "ks", NULL } },
        { "日本語のテキスト", 5, { "日本", "語の", "テキ", "スト", NULL } },  /* two columns each */
        { "exact fit!", 10, { "exact fit!", NULL } },
};

static void test_wrap_all_keeps_every_column(void)
{
        for (gsize i = 0; i < G_N_ELEMENTS(wrap_cases); i++) {
                const WrapCase *c = &wrap_cases[i];
                g_test_message("wrap \"%s\" at %d", c->text, c->width);
                g_autoptr(GPtrArray) lines = ui_text_wrap_all(c->text, c->width);
                guint n = 0;
                while (c->lines[n])
                        n++;
                g_assert_cmpuint(lines->len, ==, n);
                for (guint j = 0; j < n; j++) {
                        g_assert_cmpstr(g_ptr_array_index(lines, j), ==, c->lines[j]);
                        g_assert_cmpint(ui_text_width(g_ptr_array_index(lines, j)), <=, c->width);
                }
        }
}

int main(int argc, char **argv)
{
        setlocale(LC_ALL, "C.UTF-8");
        g_setenv("TZ", "UTC", TRUE);
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/ui/columns/widths", test_widths);
        g_test_add_func("/ui/columns/fit-long-and-wide-names", test_fit_long_and_wide);
        g_test_add_func("/ui/columns/layout-by-width", test_layout_by_width);
        g_test_add_func("/ui/columns/layout-perms-when-wanted", test_layout_perms_when_wanted);
        g_test_add_func("/ui/columns/rows-keep-their-width", test_rows_keep_their_width);
        g_test_add_func("/ui/columns/row-marks-and-sizes", test_row_marks_and_sizes);
        g_test_add_func("/ui/canvas/wrap-all-keeps-every-column", test_wrap_all_keeps_every_column);
        g_test_add_func("/ui/columns/canvas-wide-char-at-edge", test_canvas_wide_char_at_edge);
        return g_test_run();
}
