/* ui/canvas.c — the screen model every part of the interface draws into, and text widths.
 * Owns: cells, widths, ellipses, dumps. Must not: call curses or know what it draws. */
#include "ui/canvas.h"
#include <string.h>

#define ELLIPSIS "\u2026"

UiCanvas *ui_canvas_new(int width, int height)
{
        UiCanvas *canvas = g_new0(UiCanvas, 1);
        canvas->width = MAX(width, 1);
        canvas->height = MAX(height, 1);
        canvas->cells = g_new0(UiCell, (gsize)canvas->width * (gsize)canvas->height);
        ui_canvas_clear(canvas);
        return canvas;
}

void ui_canvas_free(UiCanvas *canvas)
{
        if (!canvas)
                return;
        g_free(canvas->cells);
        g_free(canvas);
}

void ui_canvas_clear(UiCanvas *canvas)
{
        for (int y = 0; y < canvas->height; y++)
                ui_canvas_fill(canvas, 0, y, canvas->width, UI_ATTR_NORMAL);
}

UiCell *ui_canvas_cell(UiCanvas *canvas, int x, int y)
{
        if (x < 0 || y < 0 || x >= canvas->width || y >= canvas->height)
                return NULL;
        return &canvas->cells[(gsize)y * (gsize)canvas->width + (gsize)x];
}

void ui_canvas_fill(UiCanvas *canvas, int x, int y, int width, UiAttr attr)
{
        for (int i = 0; i < width; i++) {
                UiCell *cell = ui_canvas_cell(canvas, x + i, y);
                if (!cell)
                        continue;
                cell->ch = ' ';
                cell->attr = (guint8)attr;
        }
}

void ui_canvas_box(UiCanvas *canvas, int x, int y, int width, int height, UiAttr attr)
{
        for (int r = 0; r < height; r++) {
                gboolean edge = r == 0 || r == height - 1;
                ui_canvas_fill(canvas, x, y + r, width, attr);
                ui_canvas_text(canvas, x, y + r, 1, edge ? "+" : "|", attr);
                ui_canvas_text(canvas, x + width - 1, y + r, 1, edge ? "+" : "|", attr);
                for (int i = 1; edge && i < width - 1; i++)
                        ui_canvas_text(canvas, x + i, y + r, 1, "-", attr);
        }
}

/* C0, DEL and C1 (0x9b is CSI on some terminals) are drawn as '?'. */
static gboolean is_control(gunichar ch)
{
        return ch < 0x20 || (ch >= 0x7f && ch <= 0x9f);
}

int ui_char_width(gunichar ch)
{
        if (is_control(ch))
                return 1;
        if (g_unichar_iszerowidth(ch))
                return 0;
        return g_unichar_iswide(ch) ? 2 : 1;
}

/* The next character of text (an invalid byte is U+FFFD, one byte long). */
static gunichar next_char(const char **p)
{
        gunichar ch = g_utf8_get_char_validated(*p, -1);
        if (ch == (gunichar)-1 || ch == (gunichar)-2) {
                (*p)++;
                return 0xfffd;
        }
        *p = g_utf8_next_char(*p);
        return ch;
}

int ui_text_width(const char *text)
{
        int width = 0;
        for (const char *p = text; p && *p;)
                width += ui_char_width(next_char(&p));
        return width;
}

int ui_canvas_text(UiCanvas *canvas, int x, int y, int width, const char *text, UiAttr attr)
{
        int used = 0;
        for (const char *p = text; p && *p;) {
                gunichar ch = next_char(&p);
                int w = ui_char_width(ch);
                if (w == 0)
                        continue; /* combining marks: the cell model keeps one character */
                if (used + w > width)
                        break;
                UiCell *cell = ui_canvas_cell(canvas, x + used, y);
                if (cell) {
                        cell->ch = is_control(ch) ? '?' : ch;
                        cell->attr = (guint8)attr;
                }
                if (w == 2) {
                        UiCell *right = ui_canvas_cell(canvas, x + used + 1, y);
                        if (right) {
                                right->ch = 0;
                                right->attr = (guint8)attr;
                        }
                }
                used += w;
        }
        ui_canvas_fill(canvas, x + used, y, width - used, attr);
        return used;
}

char *ui_canvas_row_text(const UiCanvas *canvas, int y)
{
        GString *row = g_string_new(NULL);
        if (y < 0 || y >= canvas->height)
                return g_string_free(row, FALSE);
        const UiCell *cells = &canvas->cells[(gsize)y * (gsize)canvas->width];
        for (int x = 0; x < canvas->width; x++) {
                if (cells[x].ch != 0)
                        g_string_append_unichar(row, cells[x].ch);
        }
        while (row->len > 0 && row->str[row->len - 1] == ' ')
                g_string_truncate(row, row->len - 1);
        return g_string_free(row, FALSE);
}

char *ui_canvas_dump(const UiCanvas *canvas)
{
        GString *dump = g_string_new(NULL);
        for (int y = 0; y < canvas->height; y++) {
                g_autofree char *row = ui_canvas_row_text(canvas, y);
                g_string_append(dump, row);
                g_string_append_c(dump, '\n');
        }
        return g_string_free(dump, FALSE);
}

/* Bytes of the longest prefix of text that fits in `width` columns. */
static gsize prefix_fitting(const char *text, int width)
{
        int used = 0;
        const char *p = text;
        while (*p) {
                const char *start = p;
                int w = ui_char_width(next_char(&p));
                if (used + w > width)
                        return (gsize)(start - text);
                used += w;
        }
        return (gsize)(p - text);
}

/* Start of the longest suffix of text that fits in `width` columns. */
static const char *suffix_fitting(const char *text, int width)
{
        const char *best = text + strlen(text);
        int used = 0;
        while (best > text) {
                const char *prev = g_utf8_find_prev_char(text, best);
                if (!prev)
                        break;
                const char *q = prev;
                int w = ui_char_width(next_char(&q));
                if (used + w > width)
                        break;
                used += w;
                best = prev;
        }
        return best;
}

char *ui_text_fit(const char *text, int width)
{
        if (width <= 0)
                return g_strdup("");
        if (ui_text_width(text) <= width)
                return g_strdup(text);
        g_autofree char *head = g_strndup(text, prefix_fitting(text, width - 1));
        return g_strconcat(head, ELLIPSIS, NULL);
}

char *ui_text_fit_middle(const char *text, int width)
{
        if (width <= 0)
                return g_strdup("");
        if (ui_text_width(text) <= width)
                return g_strdup(text);
        if (width < 8)
                return ui_text_fit(text, width);
        int tail = (width - 1) / 3;
        const char *suffix = suffix_fitting(text, tail);
        int head_width = width - 1 - ui_text_width(suffix);
        gsize keep = prefix_fitting(text, head_width);
        g_autofree char *head = g_strndup(text, keep);
        return g_strconcat(head, ELLIPSIS, suffix, NULL);
}

GPtrArray *ui_text_wrap(const char *text, int width)
{
        GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
        g_auto(GStrv) words = g_strsplit(text, " ", -1);
        g_autoptr(GString) line = g_string_new(NULL);
        for (char **word = words; *word; word++) {
                if (line->len && ui_text_width(line->str) + 1 + ui_text_width(*word) > width) {
                        g_ptr_array_add(lines, g_strdup(line->str));
                        g_string_truncate(line, 0);
                }
                g_string_append_printf(line, "%s%s", line->len ? " " : "", *word);
        }
        if (line->len)
                g_ptr_array_add(lines, g_strdup(line->str));
        return lines;
}

GPtrArray *ui_text_wrap_all(const char *text, int width)
{
        GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
        const char *start = text;
        while (*start || lines->len == 0) {
                const char *p = start, *blank = NULL, *end = start;
                int used = 0;
                while (*p) {
                        gunichar ch = g_utf8_get_char_validated(p, -1);
                        int w = ch == (gunichar)-1 || ch == (gunichar)-2 ? 1 : ui_char_width(ch);
                        if (used + w > width)
                                break;
                        used += w;
                        if (*p == ' ' && p > start)
                                blank = p;
                        p = ch == (gunichar)-1 || ch == (gunichar)-2 ? p + 1 : g_utf8_next_char(p);
                        end = p;
                }
                gboolean at_blank = *p == ' ';
                if (*p && !at_blank && blank) /* the text goes on inside a word: break before it */
                        end = blank;
                if (end == start && *p) /* nothing fits (width < the character): take one */
                        end = g_utf8_next_char(p);
                g_ptr_array_add(lines, g_strndup(start, (gsize)(end - start)));
                if (*end == ' ' && (at_blank || end == blank))
                        end++; /* the blank the line broke at is not carried over */
                start = end;
        }
        return lines;
}
