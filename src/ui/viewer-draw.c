/* ui/viewer-draw.c — the viewer on the screen (see viewer.h): its title row, the rows of the file
 * (text: escapes and the search's match in their own colours; hex: offset, bytes, characters),
 * the row of keys or the search being typed, and what each key does.
 * Must not: call curses, or read the file but through ui/viewer.c. */
#include "ui/viewer-private.h"
#include "common/i18n.h"
#include <string.h>

/* Glyphs of one colour, drawn as one piece of text. */
typedef struct {
        GString *text;
        int x;
        int cols;
        UiAttr attr;
} Run;

static void run_flush(Run *run, UiCanvas *canvas, int y)
{
        if (run->text->len > 0)
                ui_canvas_text(canvas, run->x, y, run->cols, run->text->str, run->attr);
        run->x += run->cols;
        run->cols = 0;
        g_string_truncate(run->text, 0);
}

static UiAttr glyph_attr(const UiViewer *v, const UiViewerGlyph *g)
{
        if (v->match >= 0 && v->pattern && g->off < v->match + (gint64)strlen(v->pattern) &&
            g->off + g->len > v->match)
                return UI_ATTR_CURSOR;
        return g->escaped ? UI_ATTR_HEADER : UI_ATTR_NORMAL;
}

/* Draws the text row at `off` on row y; returns the next row's offset. */
static gint64 draw_text_row(UiViewer *v, UiCanvas *canvas, int y, gint64 off)
{
        g_autoptr(GArray) glyphs = g_array_new(FALSE, FALSE, sizeof(UiViewerGlyph));
        gint64 next = ui_viewer_text_row(v, off, glyphs);
        Run run = { .text = g_string_new(NULL), .attr = UI_ATTR_NORMAL };
        for (guint i = 0; i < glyphs->len; i++) {
                const UiViewerGlyph *g = &g_array_index(glyphs, UiViewerGlyph, i);
                UiAttr attr = glyph_attr(v, g);
                if (attr != run.attr && g->cols > 0) {
                        run_flush(&run, canvas, y);
                        run.attr = attr;
                }
                g_string_append(run.text, g->text);
                run.cols += g->cols;
        }
        run_flush(&run, canvas, y);
        g_string_free(run.text, TRUE);
        return next;
}

/* "00000010  48 65 6c 6c 6f 0a 00 01  1b 5b 32 4a 41 42 43 44  |Hello....[2JABCD|" */
static gint64 draw_hex_row(UiViewer *v, UiCanvas *canvas, int y, gint64 off)
{
        guint8 bytes[UI_VIEWER_HEX_WIDTH];
        gsize n = ui_viewer_bytes(v, off, bytes, sizeof bytes);
        if (n == 0)
                return off;
        GString *line = g_string_new(NULL);
        g_string_append_printf(line, "%08" G_GINT64_MODIFIER "x ", off);
        for (gsize i = 0; i < UI_VIEWER_HEX_WIDTH; i++) {
                if (i % 8 == 0)
                        g_string_append_c(line, ' ');
                if (i < n)
                        g_string_append_printf(line, "%02x ", bytes[i]);
                else
                        g_string_append(line, "   ");
        }
        g_string_append(line, " |");
        for (gsize i = 0; i < n; i++)
                g_string_append_c(line, bytes[i] >= 0x20 && bytes[i] < 0x7f ? (char)bytes[i] : '.');
        g_string_append_c(line, '|');
        ui_canvas_text(canvas, 0, y, canvas->width, line->str, UI_ATTR_NORMAL);
        g_string_free(line, TRUE);
        return off + (gint64)n;
}

static void draw_title(UiViewer *v, UiCanvas *canvas, gint64 shown_end)
{
        g_autofree char *size = g_format_size((guint64)v->size);
        int percent = v->size > 0 ? (int)(shown_end * 100 / v->size) : 100;
        /* TRANSLATORS: the viewer's title row: file name, "text" or "hex", size, how far down */
        g_autofree char *title = g_strdup_printf(_(" View: %s  (%s, %s)  %d%%"), v->title,
                                                 v->hex ? _("hex") : _("text"), size, percent);
        g_autofree char *fitted = ui_text_fit_middle(title, canvas->width);
        ui_canvas_text(canvas, 0, 0, canvas->width, fitted, UI_ATTR_STATUS);
}

static void draw_footer(UiViewer *v, UiCanvas *canvas, int *cx, int *cy)
{
        int y = canvas->height - 1;
        if (v->typing) {
                ui_canvas_text(canvas, 0, y, 1, "/", UI_ATTR_NORMAL);
                g_autofree char *fitted = ui_text_fit(v->search.text->str, canvas->width - 2);
                ui_canvas_text(canvas, 1, y, canvas->width - 1, fitted, UI_ATTR_NORMAL);
                *cx = 1 + MIN(ui_cmdline_cursor_column(&v->search), canvas->width - 2);
                *cy = y;
                return;
        }
        const char *text = v->note ? v->note
                : _(" Arrows PgUp PgDn Home End scroll  / search  n next  h hex/text  q closes");
        g_autofree char *fitted = ui_text_fit(text, canvas->width);
        ui_canvas_text(canvas, 0, y, canvas->width, fitted, v->note ? UI_ATTR_ERROR : UI_ATTR_STATUS);
}

void ui_viewer_draw(UiViewer *v, UiCanvas *canvas, int *cx, int *cy)
{
        *cx = *cy = -1;
        v->width = canvas->width;
        v->rows = MAX(canvas->height - 2, 1);
        gint64 off = v->top;
        for (int r = 0; r < v->rows; r++) {
                ui_canvas_fill(canvas, 0, r + 1, canvas->width, UI_ATTR_NORMAL);
                if (off < v->size || (off == 0 && r == 0))
                        off = v->hex ? draw_hex_row(v, canvas, r + 1, off) : draw_text_row(v, canvas, r + 1, off);
        }
        draw_title(v, canvas, off);
        draw_footer(v, canvas, cx, cy);
}

/* Keys while a search is typed: Enter searches (an empty line: the last search again), Esc
 * gives up. */
static void key_search(UiViewer *v, UiKey key)
{
        if (key == UI_KEY_ESCAPE || key == UI_KEY_CTRL('c')) {
                v->typing = FALSE;
                return;
        }
        if (key != UI_KEY_ENTER) {
                ui_cmdline_key(&v->search, key);
                return;
        }
        v->typing = FALSE;
        if (v->search.text->len > 0) {
                g_free(v->pattern);
                v->pattern = g_strdup(v->search.text->str);
                v->match = -1;
        }
        ui_viewer_find_next(v);
}

gboolean ui_viewer_key(UiViewer *v, UiKey key)
{
        if (v->typing) {
                key_search(v, key);
                return FALSE;
        }
        g_clear_pointer(&v->note, g_free);
        int page = MAX(v->rows - 1, 1);
        switch (key) {
        case UI_KEY_UP: case 'k': ui_viewer_scroll(v, -1); break;
        case UI_KEY_DOWN: case 'j': case UI_KEY_ENTER: ui_viewer_scroll(v, 1); break;
        case UI_KEY_PPAGE: case 'b': ui_viewer_scroll(v, -page); break;
        case UI_KEY_NPAGE: case ' ': ui_viewer_scroll(v, page); break;
        case UI_KEY_HOME: case 'g': ui_viewer_home(v); break;
        case UI_KEY_END: case 'G': ui_viewer_end(v); break;
        case 'h': ui_viewer_toggle_hex(v); break;
        case 'n': ui_viewer_find_next(v); break;
        case '/':
                v->typing = TRUE;
                ui_cmdline_clear(&v->search);
                ui_cmdline_init(&v->search, NULL);
                break;
        case UI_KEY_ESCAPE: case 'q': case UI_KEY_F(3): case UI_KEY_F(10):
                return TRUE;
        default:
                break;
        }
        return FALSE;
}
