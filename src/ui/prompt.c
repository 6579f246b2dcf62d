/* ui/prompt.c — the UI thread's own one-line dialog (`+`, `-`, chmod): a label, a field that
 * starts from a text (replaced by the first character typed, as mc's are), a hint; Enter hands the line to whoever opened it, Esc closes it.
 * Must not: call curses (it draws into the canvas) or do file or network work itself. */
#include "ui/app.h"
#include "common/i18n.h"

static void prompt_free(UiPrompt *prompt)
{
        if (!prompt)
                return;
        if (prompt->free_data)
                prompt->free_data(prompt->data);
        ui_cmdline_clear(&prompt->line);
        g_free(prompt->label);
        g_free(prompt->hint);
        g_free(prompt);
}

void ui_prompt_close(UiApp *app)
{
        if (app->mode == UI_MODE_PROMPT)
                app->mode = UI_MODE_PANES;
        prompt_free(g_steal_pointer(&app->prompt));
}

void ui_prompt_open(UiApp *app, const char *label, const char *hint, const char *initial,
                    UiPromptDone done, gpointer data, GDestroyNotify free_data)
{
        ui_prompt_close(app);
        UiPrompt *prompt = g_new0(UiPrompt, 1);
        prompt->label = g_strdup(label);
        prompt->hint = g_strdup(hint);
        prompt->done = done;
        prompt->data = data;
        prompt->free_data = free_data;
        ui_cmdline_init(&prompt->line, NULL);
        if (initial)
                ui_cmdline_set(&prompt->line, initial);
        prompt->fresh = initial && *initial; /* as mc's dialogs: shown selected */
        app->prompt = prompt;
        app->mode = UI_MODE_PROMPT;
}

void ui_prompt_key(UiApp *app, UiKey key)
{
        UiPrompt *prompt = app->prompt;
        if (!prompt || key == UI_KEY_ESCAPE || key == UI_KEY_CTRL('c')) {
                ui_prompt_close(app);
                return;
        }
        if (key != UI_KEY_ENTER) {
                if (prompt->fresh && key >= ' ' && key < UI_KEY_SPECIAL && key != 0x7f)
                        ui_cmdline_set(&prompt->line, "");
                prompt->fresh = FALSE;
                if (key != UI_KEY_UP && key != UI_KEY_DOWN)
                        ui_cmdline_key(&prompt->line, key);
                return;
        }
        app->prompt = NULL; /* closed before done runs: done may open another */
        app->mode = UI_MODE_PANES;
        prompt->done(app, prompt->line.text->str, prompt->data);
        prompt_free(prompt);
}

void ui_prompt_draw(UiApp *app, int *cursor_x, int *cursor_y)
{
        UiPrompt *prompt = app->prompt;
        if (!prompt)
                return;
        int width = MIN(app->width - 4, 72);
        int x = (app->width - width) / 2;
        g_autoptr(GPtrArray) label = ui_text_wrap(prompt->label, width - 4);
        g_autoptr(GPtrArray) hint = ui_text_wrap(prompt->hint ? prompt->hint : _("Enter: OK   Esc: cancel"), width - 4);
        int height = (int)label->len + (int)hint->len + 4;
        int y = MAX(app->height / 2 - height / 2 - 1, 0);
        ui_canvas_box(app->canvas, x, y, width, height, UI_ATTR_DIALOG);
        int row = y + 1;
        for (guint i = 0; i < label->len; i++, row++) {
                g_autofree char *fitted = ui_text_fit(g_ptr_array_index(label, i), width - 4);
                ui_canvas_text(app->canvas, x + 2, row, width - 4, fitted, UI_ATTR_DIALOG);
        }
        g_autofree char *fitted = ui_text_fit(prompt->line.text->str, width - 5);
        ui_canvas_fill(app->canvas, x + 2, row, width - 4, UI_ATTR_CURSOR);
        ui_canvas_text(app->canvas, x + 2, row, width - 4, fitted, prompt->fresh ? UI_ATTR_SELECTED : UI_ATTR_CURSOR);
        *cursor_x = x + 2 + MIN(ui_cmdline_cursor_column(&prompt->line), width - 5);
        *cursor_y = row++;
        row++;
        for (guint i = 0; i < hint->len; i++, row++)
                ui_canvas_text(app->canvas, x + 2, row, width - 4, g_ptr_array_index(hint, i), UI_ATTR_DIALOG);
}
