/* ui/sitedialog.c — the site manager dialog (see sitedialog.h).
 * Must not: call curses, write the sites file, or touch the keyring. */
#include "ui/sitedialog.h"
#include "common/i18n.h"
#include "core/safename.h"
#include "core/sites.h"
#include <string.h>

#define DIALOG_MAX_WIDTH 100

static void clear_lists(UiSiteDialog *dialog)
{
        g_clear_pointer(&dialog->names, g_ptr_array_unref);
        g_clear_pointer(&dialog->lines, g_ptr_array_unref);
        g_clear_pointer(&dialog->edits, g_ptr_array_unref);
        g_clear_pointer(&dialog->problem, g_free);
        g_clear_pointer(&dialog->path, g_free);
}

static void add_option(GString *line, const char *option, const char *value)
{
        if (!value)
                return;
        g_autofree char *quoted = g_shell_quote(value);
        g_string_append_printf(line, " %s %s", option, quoted);
}

/* "site edit 'NAME' 'URL' --tls require …": what the site holds, to be changed on the command
 * line (the URL carries the remote directory). transfer full */
static char *edit_line(const CoreSite *site)
{
        g_autofree char *name = g_shell_quote(site->name);
        g_autofree char *url = core_site_url(site);
        g_autofree char *url_quoted = g_shell_quote(url);
        GString *line = g_string_new(NULL);
        g_string_append_printf(line, "site edit %s %s", name, url_quoted);
        add_option(line, "--tls", site->tls);
        if (site->passive == 0)
                g_string_append(line, " --active");
        else if (site->passive == 1)
                g_string_append(line, " --passive");
        if (site->parallel > 0)
                g_string_append_printf(line, " --parallel %d", site->parallel);
        add_option(line, "--local-dir", site->local_dir);
        add_option(line, "--scanner", site->scanner);
        add_option(line, "--fingerprint", site->fingerprint);
        return g_string_free(line, FALSE);
}

static char *shown_line(const CoreSite *site)
{
        g_autofree char *url = core_site_url(site);
        g_autofree char *more = core_site_describe(site);
        g_autofree char *line = *more ? g_strdup_printf("%s  %s  (%s)", site->name, url, more)
                                      : g_strdup_printf("%s  %s", site->name, url);
        return core_name_escape(line);
}

static void load(UiSiteDialog *dialog, const char *current)
{
        clear_lists(dialog);
        dialog->names = g_ptr_array_new_with_free_func(g_free);
        dialog->lines = g_ptr_array_new_with_free_func(g_free);
        dialog->edits = g_ptr_array_new_with_free_func(g_free);
        dialog->path = core_sites_default_path();
        g_autoptr(GError) error = NULL;
        g_autoptr(CoreSites) sites = core_sites_load(dialog->path, &error);
        if (!sites) {
                dialog->problem = core_name_escape(error->message);
                return;
        }
        const GPtrArray *list = core_sites_list(sites);
        dialog->cursor = 0;
        for (guint i = 0; i < list->len; i++) {
                const CoreSite *site = g_ptr_array_index(list, i);
                g_ptr_array_add(dialog->names, g_strdup(site->name));
                g_ptr_array_add(dialog->lines, shown_line(site));
                g_ptr_array_add(dialog->edits, edit_line(site));
                if (current && g_str_equal(site->name, current))
                        dialog->cursor = (int)i;
        }
}

UiSiteDialog *ui_site_dialog_new(const char *current)
{
        UiSiteDialog *dialog = g_new0(UiSiteDialog, 1);
        ui_cmdline_init(&dialog->field, NULL);
        dialog->rows = 1;
        load(dialog, current);
        return dialog;
}

void ui_site_dialog_free(UiSiteDialog *dialog)
{
        if (!dialog)
                return;
        clear_lists(dialog);
        ui_cmdline_clear(&dialog->field);
        g_free(dialog);
}

void ui_site_dialog_reload(UiSiteDialog *dialog)
{
        g_autofree char *current = g_strdup(ui_site_dialog_current(dialog));
        int was = dialog->cursor;
        load(dialog, current);
        if (current && !g_ptr_array_find_with_equal_func(dialog->names, current, g_str_equal, NULL))
                dialog->cursor = MIN(was, MAX((int)dialog->names->len - 1, 0)); /* it was deleted */
}

const char *ui_site_dialog_current(const UiSiteDialog *dialog)
{
        if (!dialog->names || dialog->cursor >= (int)dialog->names->len)
                return NULL;
        return g_ptr_array_index(dialog->names, dialog->cursor);
}

const char *ui_site_dialog_new_name(const UiSiteDialog *dialog)
{
        return dialog->field.text->str;
}

const char *ui_site_dialog_edit_line(const UiSiteDialog *dialog)
{
        const char *current = ui_site_dialog_current(dialog);
        return current ? g_ptr_array_index(dialog->edits, dialog->cursor) : NULL;
}

void ui_site_dialog_start_naming(UiSiteDialog *dialog, const char *suggestion)
{
        dialog->naming = TRUE;
        ui_cmdline_clear(&dialog->field);
        ui_cmdline_init(&dialog->field, NULL);
        if (suggestion)
                ui_cmdline_set(&dialog->field, suggestion);
}

static UiSitesAction key_naming(UiSiteDialog *dialog, UiKey key)
{
        if (key == UI_KEY_ESCAPE || key == UI_KEY_CTRL('c')) {
                dialog->naming = FALSE;
                return UI_SITES_PENDING;
        }
        if (key == UI_KEY_ENTER) {
                if (!*g_strstrip(dialog->field.text->str))
                        return UI_SITES_PENDING;
                g_string_set_size(dialog->field.text, strlen(dialog->field.text->str));
                dialog->naming = FALSE;
                return UI_SITES_ADD;
        }
        ui_cmdline_key(&dialog->field, key);
        return UI_SITES_PENDING;
}

static UiSitesAction key_confirming(UiSiteDialog *dialog, UiKey key)
{
        if (key == 'y' || key == 'Y') {
                dialog->confirming = FALSE;
                return UI_SITES_DELETE;
        }
        if (key == 'n' || key == 'N' || key == UI_KEY_ESCAPE || key == UI_KEY_ENTER || key == UI_KEY_CTRL('c'))
                dialog->confirming = FALSE;
        return UI_SITES_PENDING;
}

UiSitesAction ui_site_dialog_key(UiSiteDialog *dialog, UiKey key)
{
        if (dialog->naming)
                return key_naming(dialog, key);
        if (dialog->confirming)
                return key_confirming(dialog, key);
        int n = dialog->names ? (int)dialog->names->len : 0;
        int page = MAX(dialog->rows - 1, 1);
        switch (key) {
        case UI_KEY_ESCAPE: case 'q': case UI_KEY_CTRL('c'): case UI_KEY_CTRL('\\'): case UI_KEY_F(10):
                return UI_SITES_CLOSE;
        case UI_KEY_ENTER:
                return n ? UI_SITES_OPEN : UI_SITES_PENDING;
        case 'a': case UI_KEY_INSERT:
                return dialog->problem ? UI_SITES_PENDING : UI_SITES_NAME;
        case 'e': case UI_KEY_F(4):
                return n ? UI_SITES_EDIT : UI_SITES_PENDING;
        case 'd': case UI_KEY_DELETE: case UI_KEY_F(8):
                dialog->confirming = n > 0;
                return UI_SITES_PENDING;
        case UI_KEY_UP: dialog->cursor--; break;
        case UI_KEY_DOWN: dialog->cursor++; break;
        case UI_KEY_PPAGE: dialog->cursor -= page; break;
        case UI_KEY_NPAGE: dialog->cursor += page; break;
        case UI_KEY_HOME: dialog->cursor = 0; break;
        case UI_KEY_END: dialog->cursor = n - 1; break;
        default: break;
        }
        dialog->cursor = CLAMP(dialog->cursor, 0, MAX(n - 1, 0));
        return UI_SITES_PENDING;
}

/* What the dialog's foot says: the keys, the question, or the name field's label. */
static char *foot_text(const UiSiteDialog *dialog)
{
        if (dialog->confirming) {
                g_autofree char *name = core_name_escape(ui_site_dialog_current(dialog));
                return g_strdup_printf(_("Delete site %s and its password in the keyring? [y]es [n]o"), name);
        }
        if (dialog->naming)
                return g_strdup(_("Save the current connection as (Enter saves, Esc cancels):"));
        return g_strdup(_("Enter: connect   a: add the current connection   e: edit   d: delete   Esc: close"));
}

static void draw_field(UiSiteDialog *dialog, UiCanvas *canvas, int x, int row, int width, int *cx, int *cy)
{
        g_autofree char *text = core_name_escape(dialog->field.text->str);
        g_autofree char *fitted = ui_text_fit(text, width - 1);
        ui_canvas_text(canvas, x, row, width, fitted, UI_ATTR_CURSOR);
        *cx = x + MIN(ui_cmdline_cursor_column(&dialog->field), width - 1);
        *cy = row;
}

void ui_site_dialog_draw(UiSiteDialog *dialog, UiCanvas *canvas, int *cx, int *cy)
{
        int width = MIN(canvas->width - 4, DIALOG_MAX_WIDTH);
        int x = (canvas->width - width) / 2;
        int inner = width - 4;
        g_autofree char *path = core_name_escape(dialog->path);
        g_autofree char *title = g_strdup_printf(_("Sites (%s)"), path);
        g_autofree char *foot = foot_text(dialog);
        g_autoptr(GPtrArray) hints = ui_text_wrap(foot, inner);
        g_autoptr(GPtrArray) body = NULL;
        if (dialog->problem)
                body = ui_text_wrap(dialog->problem, inner);
        else if (dialog->lines->len == 0)
                body = ui_text_wrap(_("No saved sites yet. Connect, then press a to save the connection, or "
                                      "type :site add NAME ftp://user@host/dir."), inner);
        int n = body ? (int)body->len : (int)dialog->lines->len;
        /* the frame, the title, a blank, the list, a blank, the hints (and the field) */
        int fixed = 2 + 1 + 1 + 1 + (int)hints->len + (dialog->naming ? 1 : 0);
        dialog->rows = CLAMP(n, 1, MAX(canvas->height - fixed, 1));
        dialog->top = CLAMP(dialog->top, MAX(dialog->cursor - dialog->rows + 1, 0), dialog->cursor);
        int height = fixed + dialog->rows;
        int y = MAX((canvas->height - height) / 2, 0);
        ui_canvas_box(canvas, x, y, width, height, UI_ATTR_DIALOG);
        g_autofree char *title_fitted = ui_text_fit_middle(title, inner);
        ui_canvas_text(canvas, x + 2, y + 1, inner, title_fitted, UI_ATTR_DIALOG);
        int row = y + 3;
        for (int r = 0; r < dialog->rows; r++, row++) {
                if (body) {
                        if (r < (int)body->len)
                                ui_canvas_text(canvas, x + 2, row, inner, g_ptr_array_index(body, r), UI_ATTR_DIALOG);
                        continue;
                }
                int i = dialog->top + r;
                if (i >= (int)dialog->lines->len)
                        break;
                g_autofree char *fitted = ui_text_fit(g_ptr_array_index(dialog->lines, i), inner);
                UiAttr attr = i == dialog->cursor ? UI_ATTR_CURSOR : UI_ATTR_DIALOG;
                if (attr == UI_ATTR_CURSOR)
                        ui_canvas_fill(canvas, x + 2, row, inner, attr);
                ui_canvas_text(canvas, x + 2, row, inner, fitted, attr);
        }
        row = y + 3 + dialog->rows + 1;
        for (guint i = 0; i < hints->len; i++, row++)
                ui_canvas_text(canvas, x + 2, row, inner, g_ptr_array_index(hints, i), UI_ATTR_DIALOG);
        if (dialog->naming)
                draw_field(dialog, canvas, x + 2, row, inner, cx, cy);
}
