/* ui/cmdline.h — an editable line of text: the `:` command line and the text field of dialogs.
 * Owns: the text, the cursor (in characters), Emacs-style editing keys, history browsing.
 * Must not: run what was typed (ui/app does) or call curses. */
#pragma once
#include <glib.h>
#include "ui/keys.h"

typedef struct {
        GString *text;
        gsize cursor;        /* in characters */
        GPtrArray *history;  /* char*, oldest first (not owned: NULL for a field without one) */
        int history_pos;     /* history->len: the line being typed */
        char *typed;         /* the line being typed while browsing history */
} UiCmdline;

void ui_cmdline_init(UiCmdline *line, GPtrArray *history);
void ui_cmdline_clear(UiCmdline *line);
void ui_cmdline_set(UiCmdline *line, const char *text);
/* Applies an editing key; FALSE when the key is not an editing key (Enter, Esc, Tab …). */
gboolean ui_cmdline_key(UiCmdline *line, UiKey key);
/* Columns before the cursor (for placing the terminal cursor). */
int ui_cmdline_cursor_column(const UiCmdline *line);
/* Appends a line to a history (not empty, not a repeat of the last), at most 500 kept. */
void ui_cmdline_history_add(GPtrArray *history, const char *text);
