/* ui/screen.c — the layout of the whole screen: two panes (or the queue view over them), the
 * status bar, the message area, the command line (or the quick filter), the function-key bar,
 * and the dialog, help and message-log overlays, drawn into the canvas. Must not: call curses
 * (ui/display puts the canvas on the terminal) or change state other than scroll positions. */
#include "ui/app.h"
#include "ui/actions.h"
#include "ui/queueview.h"
#include "ui/statusbar.h"
#include "common/i18n.h"
#include "core/cmd.h"
#include "core/safename.h"
#include <string.h>

#define MIN_WIDTH 80
#define MIN_HEIGHT 24
#define MESSAGE_ROWS 2

static void draw_too_small(UiApp *app)
{
        UiCanvas *c = app->canvas;
        g_autofree char *text = g_strdup_printf(_("clamftp needs a terminal of at least %dx%d (this one is %dx%d)."),
                                                MIN_WIDTH, MIN_HEIGHT, app->width, app->height);
        g_autofree char *fitted = ui_text_fit(text, c->width);
        int width = ui_text_width(fitted);
        ui_canvas_text(c, MAX((c->width - width) / 2, 0), c->height / 2, width, fitted, UI_ATTR_ERROR);
}

static char *progress_text(UiApp *app)
{
        char *summary = ui_queue_summary(app->queue);
        if (summary)
                return summary;
        g_autofree char *path = NULL;
        guint64 done = 0;
        gint64 total = -1;
        if (!ui_bridge_progress(app->bridge, &path, &done, &total))
                return ui_commander_pending(app->commander) > 0 ? g_strdup(_("working…")) : NULL;
        g_autofree char *name = g_path_get_basename(path);
        g_autofree char *done_text = g_format_size(done);
        if (total <= 0)
                return g_strdup_printf("%s %s", name, done_text);
        return g_strdup_printf("%s %d%% (%s)", name, (int)(done * 100 / (guint64)total), done_text);
}

/* "compare sync": the panes' modes that are on, or NULL. */
static char *modes_text(UiApp *app)
{
        if (!ui_compare_on(app) && !app->sync_browse)
                return NULL;
        /* TRANSLATORS: status bar words for :compare and :sync-browse being on */
        if (ui_compare_on(app) && app->sync_browse)
                return g_strdup_printf("%s %s", _("compare"), _("sync"));
        return g_strdup(ui_compare_on(app) ? _("compare") : _("sync"));
}

static void draw_status(UiApp *app, int y)
{
        UiPane *pane = ui_app_active_pane(app);
        UiEntry *entry = ui_pane_current(pane);
        const CoreVerdict *refusal = ui_pane_refusal(pane, entry);
        if (refusal) {
                g_autofree char *reason = core_verdict_mark_text(refusal);
                g_autofree char *text = g_strdup_printf(_(" REFUSED by the scanner: %s (%s)"), reason, entry->shown);
                g_autofree char *fitted = ui_text_fit(text, app->width);
                ui_canvas_text(app->canvas, 0, y, app->width, fitted, UI_ATTR_STATUS);
                return;
        }
        g_autofree char *progress = progress_text(app);
        g_autofree char *modes = modes_text(app);
        g_autofree char *selection = ui_find_selection_text(app);
        UiStatusInfo info = { .connected = app->connected, .user = app->user, .host = app->host,
                              .port = app->port, .security = app->security, .progress = progress,
                              .scanner = app->scanner, .scanner_down = app->scanner_up == 0,
                              .scanner_members = app->scanner_members,
                              .modes = modes,
                              .selection = selection };
        g_autoptr(GPtrArray) parts = ui_status_bar_layout(&info, app->width);
        ui_canvas_fill(app->canvas, 0, y, app->width, UI_ATTR_STATUS);
        int x = 0;
        for (guint i = 0; i < parts->len && x < app->width; i++) {
                const UiStatusPart *part = g_ptr_array_index(parts, i);
                x += ui_canvas_text(app->canvas, x, y, app->width - x, part->text, part->attr);
        }
}

static void draw_messages(UiApp *app, int y)
{
        guint n = app->messages->len;
        for (int r = 0; r < MESSAGE_ROWS; r++) {
                int index = (int)n - MESSAGE_ROWS + r;
                if (index < 0) {
                        ui_canvas_fill(app->canvas, 0, y + r, app->width, UI_ATTR_NORMAL);
                        continue;
                }
                UiMessage *msg = g_ptr_array_index(app->messages, index);
                UiAttr attr = msg->kind == CORE_MSG_ERROR ? UI_ATTR_ERROR : UI_ATTR_NORMAL;
                g_autofree char *fitted = ui_text_fit(msg->text, app->width);
                ui_canvas_text(app->canvas, 0, y + r, app->width, fitted, attr);
        }
}

static void draw_fkeys(UiApp *app, int y)
{
        /* TRANSLATORS: function-key bar labels; keep them short (about 6 columns) */
        const char *labels[10] = { N_("Help"), N_("Scan"), N_("View"), N_("Edit"), N_("Copy"), N_("Rename"),
                                   N_("Mkdir"), N_("Delete"), N_("Queue"), N_("Quit") };
        int slot = app->width / 10;
        for (int i = 0; i < 10; i++) {
                int x = i * slot;
                int width = i == 9 ? app->width - x : slot;
                g_autofree char *num = g_strdup_printf("%d", i + 1);
                int used = ui_canvas_text(app->canvas, x, y, width, num, UI_ATTR_FKEY_NUM);
                const char *label = labels[i][0] ? _(labels[i]) : "";
                ui_canvas_text(app->canvas, x + used, y, width - used, label, UI_ATTR_FKEY_LABEL);
        }
}

/* The row under the messages while nothing is typed there: the letters of type-ahead. */
static void draw_typeahead(UiApp *app, int y)
{
        ui_canvas_fill(app->canvas, 0, y, app->width, UI_ATTR_NORMAL);
        const char *typed = ui_find_typeahead_text(app);
        if (!typed)
                return;
        g_autofree char *shown = core_name_escape(typed);
        g_autofree char *text = g_strdup_printf(_("type-ahead: %s"), shown);
        g_autofree char *fitted = ui_text_fit(text, app->width);
        ui_canvas_text(app->canvas, 0, y, app->width, fitted, UI_ATTR_NORMAL);
}

static void draw_cmdline(UiApp *app, int y, int *cx, int *cy)
{
        UiCmdline *line = app->mode == UI_MODE_COMMAND_LINE ? &app->cmdline
                          : app->mode == UI_MODE_FILTER ? &app->filter_line
                          : app->mode == UI_MODE_SEARCH ? &app->search_line : NULL;
        if (!line) {
                draw_typeahead(app, y);
                return;
        }
        /* TRANSLATORS: the prompt of Ctrl-S's search on the bottom line */
        const char *prompt = line == &app->cmdline ? ":" : line == &app->filter_line ? "/" : _("search: ");
        int start_x = ui_canvas_text(app->canvas, 0, y, app->width / 2, prompt, UI_ATTR_NORMAL);
        int column = ui_cmdline_cursor_column(line);
        int shift = MAX(column - (app->width - 2 - start_x), 0); /* keep the cursor in view */
        g_autofree char *text = g_strdup(line->text->str);
        const char *start = text;
        for (int skipped = 0; skipped < shift && *start;) {
                skipped += ui_char_width(g_utf8_get_char(start));
                start = g_utf8_next_char(start);
        }
        ui_canvas_text(app->canvas, start_x, y, app->width - start_x, start, UI_ATTR_NORMAL);
        *cx = start_x + column - shift;
        *cy = y;
}

/* "o overwrite  O overwrite all  …  Esc cancel" */
static char *choices_text(UiApp *app)
{
        GString *text = g_string_new(NULL);
        for (guint i = 0; i < app->dialog_n_choices; i++) {
                g_autofree char *key = ui_key_name(app->dialog_choices[i].key);
                g_string_append_printf(text, "%s:%s  ", key, app->dialog_choices[i].label);
        }
        g_string_append(text, _("Esc:cancel"));
        return g_string_free(text, FALSE);
}

static char *field_text(UiApp *app)
{
        if (!app->dialog_secret)
                return g_strdup(app->dialog_field.text->str);
        GString *stars = g_string_new(NULL);
        for (glong i = g_utf8_strlen(app->dialog_field.text->str, -1); i > 0; i--)
                g_string_append_c(stars, '*');
        return g_string_free(stars, FALSE);
}

static void draw_dialog(UiApp *app, int *cx, int *cy)
{
        int width = MIN(app->width - 4, 72);
        int x = (app->width - width) / 2;
        g_autoptr(GPtrArray) label = ui_text_wrap(app->dialog_label, width - 4);
        g_autofree char *hint = app->dialog_question ? g_strdup(_("[y]es  [n]o  [a]ll  [q]uit"))
                              : app->dialog_choices ? choices_text(app)
                              : g_strdup(_("Enter: OK   Esc: cancel"));
        g_autoptr(GPtrArray) hints = ui_text_wrap(hint, width - 4);
        gboolean field = !app->dialog_question && !app->dialog_choices;
        int height = (int)label->len + (int)hints->len + (field ? 4 : 3);
        int y = MAX(app->height / 2 - height / 2 - 1, 0);
        ui_canvas_box(app->canvas, x, y, width, height, UI_ATTR_DIALOG);
        int row = y + 1;
        for (guint i = 0; i < label->len; i++, row++) {
                g_autofree char *fitted = ui_text_fit(g_ptr_array_index(label, i), width - 4);
                ui_canvas_text(app->canvas, x + 2, row, width - 4, fitted, UI_ATTR_DIALOG);
        }
        if (field) {
                g_autofree char *text = field_text(app);
                int column = ui_cmdline_cursor_column(&app->dialog_field);
                g_autofree char *fitted = ui_text_fit(text, width - 5);
                ui_canvas_text(app->canvas, x + 2, row, width - 4, fitted, UI_ATTR_CURSOR);
                *cx = x + 2 + MIN(app->dialog_secret ? ui_text_width(fitted) : column, width - 5);
                *cy = row++;
        }
        row++;
        for (guint i = 0; i < hints->len; i++, row++)
                ui_canvas_text(app->canvas, x + 2, row, width - 4, g_ptr_array_index(hints, i), UI_ATTR_DIALOG);
}

/* "  <F5>         copy          Copy the selection…": a key, its command line, and what the
 * command does from core's table (the screen's own form where the key runs one: F8). */
static char *key_line(const UiBinding *binding)
{
        g_autofree char *name = ui_key_name(binding->key);
        g_auto(GStrv) words = core_cmd_split(binding->command, -1, NULL);
        const CoreCmd *cmd = words && words[0] ? core_cmd_lookup(words[0], NULL) : NULL;
        if (!cmd)
                return g_strdup_printf("  %-12s %s", name, binding->command);
        int n_args = (int)g_strv_length(words) - 1;
        gboolean own = cmd->screen_help && core_cmd_is_screen_form(cmd, n_args); /* F8: the selection */
        return g_strdup_printf("  %-12s %-13s %s", name, binding->command,
                               own ? _(cmd->screen_help) : _(cmd->summary));
}

static void add_lines(GPtrArray *lines, const char *text)
{
        g_auto(GStrv) split = g_strsplit(text, "\n", -1);
        for (char **line = split; *line; line++)
                g_ptr_array_add(lines, g_strdup(*line));
}

GPtrArray *ui_screen_help_lines(void)
{
        GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(lines, g_strdup(_("Keys (Esc then a digit works as that F-key; Esc/q closes this help):")));
        gsize n = 0;
        const UiBinding *keys = ui_keymap(&n);
        g_autofree char *previous = NULL;
        for (gsize i = 0; i < n; i++) {
                g_autofree char *line = key_line(&keys[i]);
                if (g_strcmp0(line, previous) != 0) /* two codes of one key (Backspace) */
                        g_ptr_array_add(lines, g_strdup(line));
                g_free(previous);
                previous = g_steal_pointer(&line);
        }
        g_ptr_array_add(lines, g_strdup(_("In the queue view (F9): Up/Down move, Del or c cancels the job, x clears finished jobs, Esc/q/F9 closes.")));
        g_ptr_array_add(lines, g_strdup(_("In the viewer (F3, Enter on a file): Up/Down/PgUp/PgDn/Home/End scroll, / searches, n finds the next match, h switches text and hex, Esc/q/F3 closes. With $PAGER set, F3 runs it instead.")));
        g_ptr_array_add(lines, g_strdup(_("After /: type to filter the active pane, Enter keeps the filter, Esc restores the one before.")));
        g_ptr_array_add(lines, g_strdup(_("Type-ahead: a printable key without a binding above jumps to the first name starting with the keys typed (shown on the bottom line; a key no name starts with is refused); a pause of a second or another key starts afresh. While typing, a bound key (s . + -) counts only where a name starts so.")));
        g_ptr_array_add(lines, g_strdup(_("After Ctrl-S: type to move to the next name containing the text, Ctrl-S finds the one after, Enter or Esc ends the search.")));
        g_ptr_array_add(lines, g_strdup(_("After + or -: a pattern as a shell reads it (*.txt, [ab]*; a leading dot must be typed), starting from *; the status bar counts the selection and its size.")));
        g_ptr_array_add(lines, g_strdup(_("A certificate that does not verify: t trusts it from now on, o for this run only (nothing written), r, Enter or Esc refuse it.")));
        g_ptr_array_add(lines, g_strdup(_("The status bar marks the scanner \"!! scanner down\" when it does not answer its PING (every 30 s). Ctrl-U (mc's swap) has no key: the local pane is always left, the server right.")));
        g_ptr_array_add(lines, g_strdup(_("On the command line: Tab completes, Up/Down browse the history (kept across runs), Ctrl-A/E/B/F/K/U/W edit.")));
        g_ptr_array_add(lines, g_strdup(_("A destination that exists: o overwrite, O overwrite all, r resume, R resume all, n rename, s skip, S skip all, Esc cancel the rest.")));
        g_autofree char *commands = core_cmd_help_list(TRUE);
        add_lines(lines, commands);
        return lines;
}

/* One row of a full-screen text view, after wrapping; `source` is the line it came from. */
typedef struct {
        char *text;
        UiAttr attr;
        guint source;
} ViewRow;

static void view_row_free(gpointer data)
{
        ViewRow *row = data;
        g_free(row->text);
        g_free(row);
}

static void add_row(GPtrArray *rows, char *text, UiAttr attr, guint source)
{
        ViewRow *row = g_new0(ViewRow, 1);
        row->text = text;
        row->attr = attr;
        row->source = source;
        g_ptr_array_add(rows, row);
}

/* Where a help line's last column starts ("  <F5>         copy          Copy…": the column after
 * its last run of two blanks), so that its continuation lines line up under it; 0 for prose. */
static int hanging_indent(const char *text, int width)
{
        const char *gap = g_strrstr(text, "  ");
        if (!gap)
                return 0;
        int indent = (int)g_utf8_strlen(text, gap - text) + 2;
        return indent < width / 2 ? indent : 0;
}

/* Every line wrapped to the screen's width, so that nothing is cut (a long path, a whole reply);
 * with `hang`, continuation lines are indented under the line's last column. */
static void add_wrapped(GPtrArray *rows, const char *text, UiAttr attr, guint source, int width,
                        gboolean hang)
{
        width = MAX(width, 4);
        g_autoptr(GPtrArray) pieces = ui_text_wrap_all(text, width);
        int indent = hang && pieces->len > 1 ? hanging_indent(g_ptr_array_index(pieces, 0), width) : 0;
        add_row(rows, g_strdup(g_ptr_array_index(pieces, 0)), attr, source);
        if (pieces->len == 1)
                return;
        const char *rest = text + strlen(g_ptr_array_index(pieces, 0));
        rest += strspn(rest, " ");
        g_autoptr(GPtrArray) more = ui_text_wrap_all(rest, width - indent);
        for (guint i = 0; i < more->len; i++)
                add_row(rows, g_strdup_printf("%*s%s", indent, "", (char *)g_ptr_array_index(more, i)),
                        attr, source);
}

/* Draws rows from *top (clamped so that the last page is full) over the screen but its last
 * row; returns how many rows are shown. */
static int draw_rows(UiApp *app, GPtrArray *rows, int *top)
{
        int visible = app->height - 1;
        *top = CLAMP(*top, 0, MAX((int)rows->len - visible, 0));
        int shown = 0;
        for (int r = 0; r < visible && *top + r < (int)rows->len; r++, shown++) {
                ViewRow *row = g_ptr_array_index(rows, *top + r);
                ui_canvas_text(app->canvas, 0, r, app->width, row->text, row->attr);
        }
        return shown;
}

static void draw_help(UiApp *app)
{
        g_autoptr(GPtrArray) lines = ui_screen_help_lines();
        g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func(view_row_free);
        for (guint i = 0; i < lines->len; i++)
                add_wrapped(rows, g_ptr_array_index(lines, i), UI_ATTR_NORMAL, i, app->width, TRUE);
        draw_rows(app, rows, &app->help_top);
        ui_canvas_text(app->canvas, 0, app->height - 1, app->width,
                       _(" Help: Up/Down/PgUp/PgDn scroll, Esc or q closes"), UI_ATTR_STATUS);
}

/* The message log: every message kept (newest last), whole (wrapped), opened at the end. */
static void draw_log(UiApp *app)
{
        int n = (int)app->messages->len;
        g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func(view_row_free);
        for (int i = 0; i < n; i++) {
                UiMessage *msg = g_ptr_array_index(app->messages, i);
                UiAttr attr = msg->kind == CORE_MSG_ERROR ? UI_ATTR_ERROR : UI_ATTR_NORMAL;
                add_wrapped(rows, msg->text, attr, (guint)i, app->width, FALSE);
        }
        int shown = draw_rows(app, rows, &app->log_top);
        int first = shown ? (int)((ViewRow *)g_ptr_array_index(rows, app->log_top))->source + 1 : 0;
        int last = shown ? (int)((ViewRow *)g_ptr_array_index(rows, app->log_top + shown - 1))->source + 1 : 0;
        g_autofree char *footer = g_strdup_printf(_(" Messages %d-%d of %d: Up/Down/PgUp/PgDn/Home/End scroll, Esc or q closes"),
                                                  first, last, n);
        ui_canvas_text(app->canvas, 0, app->height - 1, app->width, footer, UI_ATTR_STATUS);
}

static void draw_panes(UiApp *app, int *cursor_x, int *cursor_y);

int ui_screen_pane_height(const UiApp *app)
{
        return app->height - 3 - MESSAGE_ROWS;
}

void ui_screen_draw(UiApp *app, int *cursor_x, int *cursor_y)
{
        *cursor_x = *cursor_y = -1;
        ui_canvas_clear(app->canvas);
        if (app->width < MIN_WIDTH || app->height < MIN_HEIGHT) {
                draw_too_small(app);
                return;
        }
        UiMode covering = app->mode == UI_MODE_DIALOG ? app->under_dialog : app->mode;
        if (covering == UI_MODE_HELP)
                draw_help(app);
        else if (covering == UI_MODE_LOG)
                draw_log(app);
        else if (covering == UI_MODE_VIEW && app->viewer)
                ui_viewer_draw(app->viewer, app->canvas, cursor_x, cursor_y);
        else
                draw_panes(app, cursor_x, cursor_y);
        if (app->mode == UI_MODE_DIALOG && app->cert_dialog)
                ui_cert_dialog_draw(app->cert_dialog, app->canvas);
        else if (app->mode == UI_MODE_DIALOG && app->list_dialog)
                ui_list_dialog_draw(app->list_dialog, app->canvas);
        else if (app->mode == UI_MODE_DIALOG)
                draw_dialog(app, cursor_x, cursor_y);
}

/* The panes (or the queue view over them) and the rows under them. */
static void draw_panes(UiApp *app, int *cursor_x, int *cursor_y)
{
        int h = app->height;
        int pane_height = ui_screen_pane_height(app);
        int left = app->width / 2;
        UiPaneSide on_left = app->swapped ? UI_PANE_REMOTE : UI_PANE_LOCAL;
        UiPaneSide on_right = app->swapped ? UI_PANE_LOCAL : UI_PANE_REMOTE;
        ui_pane_draw(app->panes[on_left], app->canvas, 0, 0, left - 1, pane_height, app->active == on_left);
        for (int r = 0; r < pane_height; r++)
                ui_canvas_text(app->canvas, left - 1, r, 1, "|", UI_ATTR_NORMAL);
        ui_pane_draw(app->panes[on_right], app->canvas, left, 0, app->width - left, pane_height,
                     app->active == on_right);
        if (app->queue_view)
                ui_queue_draw(app, 0, pane_height);
        draw_status(app, pane_height);
        draw_messages(app, pane_height + 1);
        draw_cmdline(app, h - 2, cursor_x, cursor_y);
        draw_fkeys(app, h - 1);
        if (app->site_dialog && (app->mode == UI_MODE_SITES || app->under_dialog == UI_MODE_SITES))
                ui_site_dialog_draw(app->site_dialog, app->canvas, cursor_x, cursor_y);
        if (app->mode == UI_MODE_PROMPT)
                ui_prompt_draw(app, cursor_x, cursor_y);
}
