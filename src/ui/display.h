/* ui/display.h — the terminal: puts a canvas on the screen and reads keys.
 * Owns: every curses call of clamftp (init, colours or monochrome, drawing, key translation).
 * Must not: be called from any thread but the UI thread, or know panes and commands. */
#pragma once
#include <glib.h>
#include "ui/canvas.h"
#include "ui/keys.h"

/* Starts curses on the terminal (stdin/stdout). colour: FALSE gives the monochrome look. */
gboolean ui_display_open(gboolean colour, GError **error);
void ui_display_close(void);
/* Gives the terminal back as the shell had it (an editor or a pager runs on it), then takes it
 * again; the next ui_display_show draws the whole screen. */
void ui_display_suspend(void);
void ui_display_resume(void);
void ui_display_size(int *width, int *height);
/* Draws the canvas; cursor at (x, y), hidden when x < 0. */
void ui_display_show(const UiCanvas *canvas, int x, int y);
/* The next key without waiting; FALSE when none is buffered. UI_KEY_MOUSE: a click, a double
 * click, a right click or the wheel, in ui_display_mouse(). */
gboolean ui_display_read_key(UiKey *key);
/* TRUE when the terminal can show colours and the user did not set NO_COLOR. */
gboolean ui_display_colour_wanted(void);
/* The mouse event of the last UI_KEY_MOUSE. */
void ui_display_mouse(UiMouse *mouse);
