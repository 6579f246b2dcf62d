/* ui/viewer.h — F3's internal viewer: one file shown a screen at a time, as text or as hex.
 * Owns: reading the file in blocks (never whole: a file of several GB costs a few blocks of
 * memory), telling text from binary, the rows of either view (text wrapped at the screen's
 * width, every code point a terminal would obey shown escaped), scrolling, search, its keys, and
 * drawing into a canvas.
 * Must not: call curses, know the app, or write to the file. */
#pragma once
#include <glib.h>
#include "ui/canvas.h"
#include "ui/keys.h"

typedef struct UiViewer UiViewer;

/* Opens a regular file to view (a FIFO or a device is refused, without blocking on it). `title`
 * is what the header names (a fetched copy's remote name), escaped there. NULL with error. */
UiViewer *ui_viewer_open(const char *path, const char *title, GError **error);
void ui_viewer_free(UiViewer *viewer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UiViewer, ui_viewer_free)
/* TRUE while the hex view is shown: from the start for a file that is not UTF-8 text, then
 * toggled with h. */
gboolean ui_viewer_hex(const UiViewer *viewer);
/* Takes a key: scrolling (arrows, PgUp/PgDn/Space, Home/End), / to type a search and n for the
 * next match, h for hex or text. TRUE when the key closes the viewer (Esc, q, F3, F10). */
gboolean ui_viewer_key(UiViewer *viewer, UiKey key);
/* Draws the viewer over the whole canvas: a title row, the file, and a row of keys (or the
 * search being typed: the terminal cursor at *cx, *cy, else both -1). The canvas's size is the
 * one the next keys page by. */
void ui_viewer_draw(UiViewer *viewer, UiCanvas *canvas, int *cx, int *cy);
