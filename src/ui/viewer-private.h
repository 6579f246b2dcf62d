/* ui/viewer-private.h — what the viewer's two files share: the file model (ui/viewer.c: blocks,
 * glyphs, rows, scrolling, search) and its screen (ui/viewer-draw.c: drawing and keys).
 * Must not: be included outside ui/viewer*.c. */
#pragma once
#include "ui/viewer.h"
#include "ui/cmdline.h"

#define UI_VIEWER_BLOCKS 8        /* blocks of the file kept in memory */
#define UI_VIEWER_HEX_WIDTH 16    /* bytes per row of the hex view */

typedef struct {
        gint64 start;             /* offset of data[0] in the file */
        gsize len;                /* bytes read (short at the end, or after a read error) */
        guint64 used;             /* the clock when it was last read from, for eviction */
        guint8 *data;
} UiViewerBlock;

struct UiViewer {
        int fd;
        gint64 size;              /* when opened; a file that shrinks later ends where reads do */
        char *title;              /* escaped */
        gboolean binary;          /* not UTF-8 text: opened in hex */
        gboolean hex;
        UiViewerBlock blocks[UI_VIEWER_BLOCKS];
        guint64 clock;
        gint64 top;               /* the offset of the first row shown */
        int width;                /* columns of a row, from the last draw */
        int rows;                 /* rows of the file shown, from the last draw */
        gint64 end_top;           /* top of the last page, for end_key; -1 not known */
        int end_key[3];           /* width, rows, hex when end_top was found */
        gboolean typing;          /* a search is being typed */
        UiCmdline search;
        char *pattern;            /* the last search (bytes as typed), or NULL */
        gint64 match;             /* where it was found last, or -1 */
        char *note;               /* shown instead of the keys until the next key ("not found") */
};

/* One character of a text row as drawn: a code point, a tab's blanks, or an escape. */
typedef struct {
        gint64 off;               /* where it is in the file */
        int len;                  /* its bytes */
        int cols;                 /* columns it takes (0 for a combining mark; a newline: 0) */
        gboolean escaped;         /* shown as \xNN or \uNNNN */
        gboolean newline;         /* "\n" or "\r\n": ends the line */
        char text[16];            /* UTF-8, NUL-terminated */
} UiViewerGlyph;

/* viewer.c: the text row starting at `off`, its glyphs appended to `glyphs` (NULL: not kept);
 * returns where the next row starts (`off` itself at the end of the file). */
gint64 ui_viewer_text_row(UiViewer *viewer, gint64 off, GArray *glyphs);
/* viewer.c: up to n bytes from `off` into buf; how many there were. */
gsize ui_viewer_bytes(UiViewer *viewer, gint64 off, guint8 *buf, gsize n);
/* viewer.c: scrolling by rows (negative: up), to the top, to the last page; hex on or off
 * (the row that held the top stays in view). */
void ui_viewer_scroll(UiViewer *viewer, int rows);
void ui_viewer_home(UiViewer *viewer);
void ui_viewer_end(UiViewer *viewer);
void ui_viewer_toggle_hex(UiViewer *viewer);
/* viewer.c: the next match of viewer->pattern after the last one (or from the top row): the
 * view moves to it; FALSE when there is none (said in viewer->note). */
gboolean ui_viewer_find_next(UiViewer *viewer);
