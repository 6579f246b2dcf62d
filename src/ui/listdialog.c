/* ui/listdialog.c — a yes/no question with a scrolled list under it (see listdialog.h).
 * Must not: call curses or decide anything. */
#include "ui/listdialog.h"
#include "common/i18n.h"

#define DIALOG_MAX_WIDTH 76

UiListDialog *ui_list_dialog_new(const char *text, const char *heading, const GPtrArray *lines)
{
        UiListDialog *dialog = g_new0(UiListDialog, 1);
        dialog->text = g_strdup(text);
        dialog->heading = g_strdup(heading);
        dialog->lines = g_ptr_array_new_with_free_func(g_free);
        for (guint i = 0; lines && i < lines->len; i++)
                g_ptr_array_add(dialog->lines, g_strdup(g_ptr_array_index(lines, i)));
        dialog->rows = 1;
        return dialog;
}

void ui_list_dialog_free(UiListDialog *dialog)
{
        if (!dialog)
                return;
        g_free(dialog->text);
        g_free(dialog->heading);
        g_free(dialog->hints);
        g_ptr_array_unref(dialog->lines);
        g_free(dialog);
}

void ui_list_dialog_set_offer(UiListDialog *dialog, const char *hints)
{
        g_free(dialog->hints);
        dialog->hints = g_strdup(hints);
        dialog->offer = TRUE;
}

UiListAnswer ui_list_dialog_key(UiListDialog *dialog, UiKey key)
{
        int page = MAX(dialog->rows - 1, 1);
        switch (key) {
        case 'y': case 'Y': case UI_KEY_ENTER:
                return UI_LIST_YES;
        case 'n': case 'N':
                return UI_LIST_NO;
        case 'q': case UI_KEY_ESCAPE: case UI_KEY_CTRL('c'):
                return dialog->offer ? UI_LIST_LATER : UI_LIST_NO;
        case UI_KEY_UP: dialog->top--; break;
        case UI_KEY_DOWN: dialog->top++; break;
        case UI_KEY_PPAGE: dialog->top -= page; break;
        case UI_KEY_NPAGE: case ' ': dialog->top += page; break;
        case UI_KEY_HOME: dialog->top = 0; break;
        case UI_KEY_END: dialog->top = G_MAXINT / 2; break;
        default: break;
        }
        dialog->top = CLAMP(dialog->top, 0, MAX((int)dialog->lines->len - dialog->rows, 0));
        return UI_LIST_PENDING;
}

static int draw_lines(UiCanvas *canvas, int x, int row, int width, GPtrArray *lines, UiAttr attr)
{
        for (guint i = 0; i < lines->len; i++, row++) {
                g_autofree char *fitted = ui_text_fit(g_ptr_array_index(lines, i), width);
                ui_canvas_text(canvas, x, row, width, fitted, attr);
        }
        return row;
}

void ui_list_dialog_draw(UiListDialog *dialog, UiCanvas *canvas)
{
        int width = MIN(canvas->width - 4, DIALOG_MAX_WIDTH);
        int x = (canvas->width - width) / 2;
        int inner = width - 4;
        g_autoptr(GPtrArray) text = ui_text_wrap(dialog->text, inner);
        g_autoptr(GPtrArray) hints = ui_text_wrap(dialog->hints ? dialog->hints
                                                                : _("Enter/y: go ahead   Esc/n: cancel, nothing changes   "
                                                                    "Up/Down/PgUp/PgDn: scroll the list"),
                                                  inner);
        int n = (int)dialog->lines->len;
        int heading = dialog->heading ? 1 : 0;
        /* the frame, the text, a blank, the heading, the list and where it is, a blank, the hints */
        int room = canvas->height - 2 - (int)text->len - 1 - heading - 1 - 1 - (int)hints->len;
        dialog->rows = CLAMP(n, 0, MAX(room, 1));
        dialog->top = CLAMP(dialog->top, 0, MAX(n - dialog->rows, 0));
        gboolean scrolls = n > dialog->rows;
        int height = 2 + (int)text->len + 1 + heading + dialog->rows + (scrolls ? 1 : 0) + 1 + (int)hints->len;
        int y = MAX((canvas->height - height) / 2, 0);
        ui_canvas_box(canvas, x, y, width, height, UI_ATTR_DIALOG);
        int row = draw_lines(canvas, x + 2, y + 1, inner, text, UI_ATTR_DIALOG) + 1;
        if (dialog->heading) {
                g_autofree char *fitted = ui_text_fit(dialog->heading, inner);
                ui_canvas_text(canvas, x + 2, row++, inner, fitted, UI_ATTR_DIALOG);
        }
        for (int r = 0; r < dialog->rows; r++, row++) {
                g_autofree char *fitted = ui_text_fit(g_ptr_array_index(dialog->lines, dialog->top + r), inner - 2);
                ui_canvas_text(canvas, x + 4, row, inner - 2, fitted, UI_ATTR_DIALOG);
        }
        if (scrolls) {
                g_autofree char *where = g_strdup_printf(_("(%d-%d of %d)"), dialog->top + 1, dialog->top + dialog->rows, n);
                ui_canvas_text(canvas, x + 4, row++, inner - 2, where, UI_ATTR_DIALOG);
        }
        draw_lines(canvas, x + 2, row + 1, inner, hints, UI_ATTR_DIALOG);
}
