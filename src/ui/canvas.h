/* ui/canvas.h — the screen model: a grid of cells (one character and one attribute each) that
 * every part of the interface draws into, and the width-aware text helpers they share.
 * Owns: display widths (wide and zero-width characters), shortening with an ellipsis, the dump
 * of a screen as text. Must not: call curses (ui/display does), or know panes and dialogs. */
#pragma once
#include <glib.h>

typedef enum {
        UI_ATTR_NORMAL = 0,
        UI_ATTR_HEADER,     /* a pane's path line */
        UI_ATTR_CURSOR,     /* the cursor row of the active pane */
        UI_ATTR_SELECTED,   /* a selected entry */
        UI_ATTR_INFECTED,   /* a file the scanner refused */
        UI_ATTR_DIRECTORY,
        UI_ATTR_STATUS,     /* the status bar */
        UI_ATTR_ERROR,      /* an error message */
        UI_ATTR_FKEY_NUM,   /* the digits of the function-key bar */
        UI_ATTR_FKEY_LABEL, /* its labels */
        UI_ATTR_DIALOG,
        UI_ATTR_WARNING,    /* what the user must not miss: plain FTP, a changed certificate */
        UI_ATTR_COUNT,
} UiAttr;

typedef struct {
        gunichar ch;      /* 0 in the cell right of a wide character */
        guint8 attr;      /* UiAttr */
} UiCell;

typedef struct {
        int width;
        int height;
        UiCell *cells;    /* width * height */
} UiCanvas;

UiCanvas *ui_canvas_new(int width, int height);
void ui_canvas_free(UiCanvas *canvas);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UiCanvas, ui_canvas_free)
/* Fills the whole canvas with blanks. */
void ui_canvas_clear(UiCanvas *canvas);
UiCell *ui_canvas_cell(UiCanvas *canvas, int x, int y); /* NULL outside */
/* Fills `width` cells of row y from x with blanks of attr. */
void ui_canvas_fill(UiCanvas *canvas, int x, int y, int width, UiAttr attr);
/* Writes UTF-8 text at (x, y), never past x + width (a wide character that would straddle the
 * edge becomes a blank); the rest of the width is padded with blanks. Returns the columns used
 * by the text itself. */
int ui_canvas_text(UiCanvas *canvas, int x, int y, int width, const char *text, UiAttr attr);
/* A box of blanks in attr with a frame of + - | (dialogs). */
void ui_canvas_box(UiCanvas *canvas, int x, int y, int width, int height, UiAttr attr);
/* Row y as UTF-8, trailing blanks removed. transfer full */
char *ui_canvas_row_text(const UiCanvas *canvas, int y);
/* The whole screen, one line per row. transfer full */
char *ui_canvas_dump(const UiCanvas *canvas);

/* Columns a character occupies: 0, 1 or 2. Control characters count as 1 (they are escaped
 * before they reach the canvas). */
int ui_char_width(gunichar ch);
/* Columns of a UTF-8 string (invalid bytes count one column each). */
int ui_text_width(const char *text);
/* The text shortened to at most `width` columns: unchanged when it fits, else cut with "…" as
 * the last column. transfer full */
char *ui_text_fit(const char *text, int width);
/* Words of `text` in lines of at most `width` columns (a word longer than that stays whole on
 * its own line; the caller fits it). char*, transfer full */
GPtrArray *ui_text_wrap(const char *text, int width);
/* Every column of `text` in lines of at most `width` columns (width >= 2): a line breaks after
 * the last blank that fits, else inside a word; blanks that start the text are kept (indented
 * help). An empty text is one empty line. char*, transfer full */
GPtrArray *ui_text_wrap_all(const char *text, int width);
/* The same, cutting in the middle ("long…name.txt") so that an extension stays visible. */
char *ui_text_fit_middle(const char *text, int width);
