/* ui/cmdline.c — line editing and history. Must not: run commands or call curses. */
#include "ui/cmdline.h"
#include "ui/canvas.h"
#include <string.h>

#define HISTORY_MAX 500

void ui_cmdline_init(UiCmdline *line, GPtrArray *history)
{
        line->text = g_string_new(NULL);
        line->cursor = 0;
        line->history = history;
        line->history_pos = history ? (int)history->len : 0;
        line->typed = NULL;
}

void ui_cmdline_clear(UiCmdline *line)
{
        if (line->text)
                g_string_free(line->text, TRUE);
        line->text = NULL;
        g_clear_pointer(&line->typed, g_free);
}

void ui_cmdline_set(UiCmdline *line, const char *text)
{
        g_string_assign(line->text, text);
        line->cursor = (gsize)g_utf8_strlen(text, -1);
}

static gsize length(const UiCmdline *line)
{
        return (gsize)g_utf8_strlen(line->text->str, (gssize)line->text->len);
}

static gsize offset_of(const UiCmdline *line, gsize chars)
{
        return (gsize)(g_utf8_offset_to_pointer(line->text->str, (glong)chars) - line->text->str);
}

static void delete_range(UiCmdline *line, gsize from, gsize to)
{
        if (to <= from)
                return;
        gsize a = offset_of(line, from);
        gsize b = offset_of(line, to);
        g_string_erase(line->text, (gssize)a, (gssize)(b - a));
        line->cursor = from;
}

static gsize word_start(const UiCmdline *line)
{
        gsize pos = line->cursor;
        const char *s = line->text->str;
        while (pos > 0 && s[offset_of(line, pos - 1)] == ' ')
                pos--;
        while (pos > 0 && s[offset_of(line, pos - 1)] != ' ')
                pos--;
        return pos;
}

static void history_move(UiCmdline *line, int delta)
{
        if (!line->history)
                return;
        int pos = line->history_pos + delta;
        if (pos < 0 || pos > (int)line->history->len)
                return;
        if (line->history_pos == (int)line->history->len) {
                g_free(line->typed);
                line->typed = g_strdup(line->text->str);
        }
        line->history_pos = pos;
        const char *text = pos == (int)line->history->len ? line->typed
                                                          : g_ptr_array_index(line->history, pos);
        ui_cmdline_set(line, text ? text : "");
}

static void insert_char(UiCmdline *line, UiKey key)
{
        g_string_insert_unichar(line->text, (gssize)offset_of(line, line->cursor), (gunichar)key);
        line->cursor++;
}

gboolean ui_cmdline_key(UiCmdline *line, UiKey key)
{
        switch (key) {
        case UI_KEY_LEFT: case UI_KEY_CTRL('b'):
                if (line->cursor > 0)
                        line->cursor--;
                return TRUE;
        case UI_KEY_RIGHT: case UI_KEY_CTRL('f'):
                if (line->cursor < length(line))
                        line->cursor++;
                return TRUE;
        case UI_KEY_HOME: case UI_KEY_CTRL('a'):
                line->cursor = 0;
                return TRUE;
        case UI_KEY_END: case UI_KEY_CTRL('e'):
                line->cursor = length(line);
                return TRUE;
        case UI_KEY_BACKSPACE: case 0x7f: case UI_KEY_CTRL('h'):
                if (line->cursor > 0)
                        delete_range(line, line->cursor - 1, line->cursor);
                return TRUE;
        case UI_KEY_DELETE: case UI_KEY_CTRL('d'):
                delete_range(line, line->cursor, MIN(line->cursor + 1, length(line)));
                return TRUE;
        case UI_KEY_CTRL('k'):
                delete_range(line, line->cursor, length(line));
                return TRUE;
        case UI_KEY_CTRL('u'):
                delete_range(line, 0, line->cursor);
                return TRUE;
        case UI_KEY_CTRL('w'):
                delete_range(line, word_start(line), line->cursor);
                return TRUE;
        case UI_KEY_UP: case UI_KEY_CTRL('p'):
                history_move(line, -1);
                return TRUE;
        case UI_KEY_DOWN: case UI_KEY_CTRL('n'):
                history_move(line, 1);
                return TRUE;
        default:
                break;
        }
        if (key >= 0x20 && key < UI_KEY_SPECIAL && key != 0x7f) {
                insert_char(line, key);
                return TRUE;
        }
        return FALSE;
}

int ui_cmdline_cursor_column(const UiCmdline *line)
{
        g_autofree char *before = g_strndup(line->text->str, offset_of(line, line->cursor));
        return ui_text_width(before);
}

void ui_cmdline_history_add(GPtrArray *history, const char *text)
{
        if (!text || !*text)
                return;
        if (history->len > 0 && strcmp(g_ptr_array_index(history, history->len - 1), text) == 0)
                return;
        g_ptr_array_add(history, g_strdup(text));
        if (history->len > HISTORY_MAX)
                g_ptr_array_remove_index(history, 0);
}
