/* tests/unit/test-ui-viewer.c — F3's internal viewer on files made for each case: terminal
 * escapes shown escaped and never as they are, text told from binary (hex), long lines wrapped
 * and scrolled both ways, search and its next match, and a sparse file of several GB paged
 * without being read into memory. */
#include "ui/viewer.h"
#include "ui/canvas.h"
#include <fcntl.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

typedef struct {
        char *dir;
} Fixture;

static void fixture_set_up(Fixture *f, gconstpointer data)
{
        f->dir = g_dir_make_tmp("clamftp-viewer-XXXXXX", NULL);
        g_assert_nonnull(f->dir);
}

static void fixture_tear_down(Fixture *f, gconstpointer data)
{
        g_autoptr(GDir) dir = g_dir_open(f->dir, 0, NULL);
        const char *name;
        while (dir && (name = g_dir_read_name(dir)) != NULL) {
                g_autofree char *path = g_build_filename(f->dir, name, NULL);
                g_unlink(path);
        }
        g_rmdir(f->dir);
        g_free(f->dir);
}

static char *write_file(Fixture *f, const char *name, const char *bytes, gssize len)
{
        char *path = g_build_filename(f->dir, name, NULL);
        g_assert_true(g_file_set_contents(path, bytes, len, NULL));
        return path;
}

/* The viewer drawn on an 80x`height` canvas, as text. */
static char *screen(UiViewer *viewer, int height)
{
        g_autoptr(UiCanvas) canvas = ui_canvas_new(80, height);
        int x, y;
        ui_viewer_draw(viewer, canvas, &x, &y);
        return ui_canvas_dump(canvas);
}

static void keys(UiViewer *viewer, const UiKey *list, gsize n)
{
        for (gsize i = 0; i < n; i++)
                g_assert_false(ui_viewer_key(viewer, list[i]));
}

static void test_escapes_are_shown_never_sent(Fixture *f, gconstpointer data)
{
        static const char text[] = "plain\n\033[2J\033]0;pwned\007 \033[31mred\033[0m \xc2\x9b" "6n "
                                   "\xe2\x80\xae" "txt.exe\n";
        g_autofree char *path = write_file(f, "esc.txt", text, -1);
        g_autoptr(GError) error = NULL;
        g_autoptr(UiViewer) viewer = ui_viewer_open(path, "esc.txt", &error);
        g_assert_no_error(error);
        g_assert_false(ui_viewer_hex(viewer)); /* UTF-8 text, escapes and all */
        g_autofree char *dump = screen(viewer, 10);
        g_test_message("%s", dump);
        g_assert_nonnull(strstr(dump, "\\x1b[2J\\x1b]0;pwned\\x07 \\x1b[31mred\\x1b[0m \\u009b6n \\u202etxt.exe"));
        for (const char *p = dump; *p; p++)
                g_assert_true((unsigned char)*p >= 0x20 || *p == '\n');
        g_assert_null(strstr(dump, "\xc2\x9b"));
        g_assert_null(strstr(dump, "\xe2\x80\xae"));
}

static void test_binary_opens_in_hex(Fixture *f, gconstpointer data)
{
        g_autofree char *nul = write_file(f, "nul.bin", "ab\0cd", 5);
        g_autofree char *latin1 = write_file(f, "latin1.txt", "caf\xe9\n", -1);
        g_autoptr(UiViewer) a = ui_viewer_open(nul, "nul.bin", NULL);
        g_autoptr(UiViewer) b = ui_viewer_open(latin1, "latin1.txt", NULL);
        g_assert_true(ui_viewer_hex(a));
        g_assert_true(ui_viewer_hex(b));
        g_autofree char *dump = screen(a, 6);
        g_assert_nonnull(strstr(dump, "00000000  61 62 00 63 64"));
        g_assert_nonnull(strstr(dump, "|ab.cd|"));
        g_assert_false(ui_viewer_key(a, 'h')); /* text: the NUL escaped */
        g_free(dump);
        dump = screen(a, 6);
        g_assert_nonnull(strstr(dump, "ab\\x00cd"));
        /* a character cut by the end of the first 64 KiB is no sign of binary */
        GString *big = g_string_new(NULL);
        while (big->len < 65535)
                g_string_append_c(big, 'x');
        g_string_append(big, "\xc3\xa9 and more text\n");
        g_autofree char *cut = write_file(f, "cut.txt", big->str, (gssize)big->len);
        g_string_free(big, TRUE);
        g_autoptr(UiViewer) c = ui_viewer_open(cut, "cut.txt", NULL);
        g_assert_false(ui_viewer_hex(c));
}

static void test_special_files_are_refused(Fixture *f, gconstpointer data)
{
        g_autofree char *fifo = g_build_filename(f->dir, "fifo", NULL);
        g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
        g_autoptr(GError) error = NULL;
        g_assert_null(ui_viewer_open(fifo, "fifo", &error)); /* and it did not block */
        g_assert_nonnull(error);
}

static void test_long_lines_wrap_and_scroll_back(Fixture *f, gconstpointer data)
{
        GString *text = g_string_new(NULL);
        for (int i = 1; i <= 40; i++) {
                g_string_append_printf(text, "line %d", i);
                if (i == 20)
                        for (int j = 0; j < 200; j++)
                                g_string_append_c(text, 'a' + j % 26);
                g_string_append_c(text, '\n');
        }
        g_autofree char *path = write_file(f, "long.txt", text->str, (gssize)text->len);
        g_string_free(text, TRUE);
        g_autoptr(UiViewer) viewer = ui_viewer_open(path, "long.txt", NULL);
        g_autofree char *first = screen(viewer, 12); /* 10 rows of the file */
        g_assert_nonnull(strstr(first, "\nline 1\n"));
        const UiKey page_down[] = { UI_KEY_NPAGE, UI_KEY_NPAGE }; /* 9 rows each */
        keys(viewer, page_down, 2);
        for (int i = 0; i < 1; i++)
                g_assert_false(ui_viewer_key(viewer, UI_KEY_DOWN)); /* line 20 at the top */
        g_autofree char *wrapped = screen(viewer, 12);
        g_test_message("%s", wrapped);
        g_auto(GStrv) rows = g_strsplit(wrapped, "\n", -1);
        g_assert_true(g_str_has_prefix(rows[1], "line 20abc"));
        g_assert_cmpint(strlen(rows[1]), ==, 80);
        g_assert_true(g_str_has_prefix(rows[4], "line 21")); /* 207 columns: three rows */
        const UiKey up[] = { UI_KEY_UP };
        keys(viewer, up, 1);
        g_autofree char *back = screen(viewer, 12);
        g_assert_nonnull(strstr(back, "\nline 19\nline 20abc"));
        const UiKey end[] = { UI_KEY_END };
        keys(viewer, end, 1);
        g_autofree char *last = screen(viewer, 12);
        g_auto(GStrv) last_rows = g_strsplit(last, "\n", -1);
        g_assert_cmpstr(last_rows[10], ==, "line 40");
        g_assert_nonnull(strstr(last_rows[0], "100%"));
        const UiKey home_search[] = { UI_KEY_HOME, '/', 'l', 'i', 'n', 'e', ' ', '3', UI_KEY_ENTER };
        keys(viewer, home_search, G_N_ELEMENTS(home_search));
        g_autofree char *found = screen(viewer, 12);
        g_auto(GStrv) found_rows = g_strsplit(found, "\n", -1);
        g_assert_cmpstr(found_rows[1], ==, "line 3");
        const UiKey next[] = { 'n' };
        keys(viewer, next, 1);
        g_autofree char *again = screen(viewer, 12);
        g_auto(GStrv) again_rows = g_strsplit(again, "\n", -1);
        g_assert_cmpstr(again_rows[1], ==, "line 30");
}

/* 3 GiB, a hole but for a line 48 MiB in and one at the end: End pages from the end and search
 * reads in chunks, and the process does not grow by the file. */
static void test_huge_file_is_paged_not_read(Fixture *f, gconstpointer data)
{
        g_autofree char *path = g_build_filename(f->dir, "huge.log", NULL);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        g_assert_cmpint(fd, >=, 0);
        gint64 size = G_GINT64_CONSTANT(3) << 30;
        static const char middle[] = "\nthe needle\n";
        static const char tail[] = "\nthe last line\n";
        if (ftruncate(fd, size) != 0 ||
            pwrite(fd, middle, strlen(middle), 48 << 20) != (ssize_t)strlen(middle) ||
            pwrite(fd, tail, strlen(tail), size - (gint64)strlen(tail)) != (ssize_t)strlen(tail)) {
                close(fd);
                g_test_skip("no sparse 3 GiB file can be made here");
                return;
        }
        close(fd);
        struct rusage before, after;
        getrusage(RUSAGE_SELF, &before);
        g_autoptr(UiViewer) viewer = ui_viewer_open(path, "huge.log", NULL);
        g_assert_true(ui_viewer_hex(viewer)); /* it starts with NULs */
        g_assert_false(ui_viewer_key(viewer, 'h'));
        const UiKey end[] = { UI_KEY_END };
        keys(viewer, end, 1);
        g_autofree char *last = screen(viewer, 24);
        g_assert_nonnull(strstr(last, "\nthe last line\n"));
        const UiKey search[] = { UI_KEY_HOME, '/', 'n', 'e', 'e', 'd', 'l', 'e', UI_KEY_ENTER };
        keys(viewer, search, G_N_ELEMENTS(search));
        g_autofree char *found = screen(viewer, 24);
        g_assert_nonnull(strstr(found, "the needle"));
        getrusage(RUSAGE_SELF, &after);
        g_test_message("max RSS %ld kB, then %ld kB", before.ru_maxrss, after.ru_maxrss);
        g_assert_cmpint(after.ru_maxrss - before.ru_maxrss, <, 64 * 1024);
}

int main(int argc, char **argv)
{
        setlocale(LC_ALL, "C.UTF-8");
        g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
        ADD("/ui/viewer/escapes-are-shown-never-sent", test_escapes_are_shown_never_sent);
        ADD("/ui/viewer/binary-opens-in-hex", test_binary_opens_in_hex);
        ADD("/ui/viewer/special-files-are-refused", test_special_files_are_refused);
        ADD("/ui/viewer/long-lines-wrap-and-scroll-back", test_long_lines_wrap_and_scroll_back);
        ADD("/ui/viewer/huge-file-is-paged-not-read", test_huge_file_is_paged_not_read);
        return g_test_run();
}
