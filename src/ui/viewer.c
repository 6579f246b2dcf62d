/* ui/viewer.c — the viewer's file (see viewer.h): blocks read with pread on demand, text told from
 * binary by its first bytes, the glyphs and rows of the text view (every code point a terminal
 * would obey escaped as elsewhere in clamftp: common/escape.h), scrolling by rows in either view,
 * and search. A row is found from its byte offset alone, so End and search never lay out the
 * whole file. Must not: call curses, or read more of the file than the screen and a search need. */
#include "config.h"
#include "ui/viewer-private.h"
#include "common/escape.h"
#include "common/i18n.h"
#include "core/safename.h"
#include "ui/ui.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK_SIZE 65536
#define SNIFF_SIZE 65536            /* bytes looked at to tell text from binary */
#define LINE_BACK_MAX (256 * 1024)  /* how far back the start of a line is looked for */
#define ROW_GLYPHS_MAX 4096         /* a row of combining marks ends somewhere */
#define SEARCH_CHUNK (1024 * 1024)
#define TAB_WIDTH 8

/* ---- the file, a block at a time ------------------------------------------------------ */

static const UiViewerBlock *block_at(UiViewer *v, gint64 off)
{
        gint64 start = off - off % BLOCK_SIZE;
        UiViewerBlock *slot = &v->blocks[0];
        for (int i = 0; i < UI_VIEWER_BLOCKS; i++) {
                UiViewerBlock *b = &v->blocks[i];
                if (b->data && b->start == start) {
                        b->used = ++v->clock;
                        return b;
                }
                if (!b->data || b->used < slot->used)
                        slot = b;
        }
        if (!slot->data)
                slot->data = g_malloc(BLOCK_SIZE);
        ssize_t n;
        do
                n = pread(v->fd, slot->data, BLOCK_SIZE, start);
        while (n < 0 && errno == EINTR);
        slot->start = start;
        slot->len = n > 0 ? (gsize)n : 0;
        slot->used = ++v->clock;
        return slot;
}

gsize ui_viewer_bytes(UiViewer *v, gint64 off, guint8 *buf, gsize n)
{
        gsize got = 0;
        while (got < n && off + (gint64)got < v->size) {
                gint64 at = off + (gint64)got;
                const UiViewerBlock *b = block_at(v, at);
                gsize index = (gsize)(at - b->start);
                if (index >= b->len)
                        break; /* the file ends early (shrunk, or unreadable) */
                gsize take = MIN(n - got, b->len - index);
                memcpy(buf + got, b->data + index, take);
                got += take;
        }
        return got;
}

/* The start of the line holding `off`: just after the newline before it (the file's start, or
 * LINE_BACK_MAX back for a line longer than that). */
static gint64 line_start(UiViewer *v, gint64 off)
{
        gint64 limit = MAX(off - LINE_BACK_MAX, 0);
        for (gint64 p = off; p > limit;) {
                const UiViewerBlock *b = block_at(v, p - 1);
                gint64 lo = MAX(b->start, limit);
                if ((gint64)b->len < p - b->start)
                        return p; /* unreadable before here */
                const guint8 *nl = memrchr(b->data + (lo - b->start), '\n', (gsize)(p - lo));
                if (nl)
                        return b->start + (nl - b->data) + 1;
                p = lo;
        }
        return limit;
}

/* Text unless the first bytes hold a NUL or are not UTF-8 (a character cut by the sample's
 * end does not count). */
static gboolean looks_binary(UiViewer *v)
{
        g_autofree guint8 *buf = g_malloc(SNIFF_SIZE);
        gsize n = ui_viewer_bytes(v, 0, buf, SNIFF_SIZE);
        if (memchr(buf, 0, n))
                return TRUE;
        const char *end = NULL;
        if (g_utf8_validate_len((const char *)buf, n, &end))
                return FALSE;
        gsize rest = n - (gsize)(end - (const char *)buf);
        return n < SNIFF_SIZE || rest >= 4 ||
               g_utf8_get_char_validated(end, (gssize)rest) != (gunichar)-2;
}

UiViewer *ui_viewer_open(const char *path, const char *title, GError **error)
{
        g_autofree char *shown = core_name_escape(title);
        int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) {
                int err = errno;
                g_set_error(error, UI_ERROR, UI_ERROR_USAGE, _("Cannot open %s: %s"), shown, g_strerror(err));
                return NULL;
        }
        struct stat st;
        if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
                close(fd);
                g_set_error(error, UI_ERROR, UI_ERROR_USAGE, _("%s is not a regular file: there is nothing to view."),
                            shown);
                return NULL;
        }
        UiViewer *v = g_new0(UiViewer, 1);
        v->fd = fd;
        v->size = st.st_size;
        v->title = g_steal_pointer(&shown);
        v->match = -1;
        v->end_top = -1;
        v->width = 80;
        v->rows = 22;
        ui_cmdline_init(&v->search, NULL);
        v->binary = looks_binary(v);
        v->hex = v->binary;
        return v;
}

void ui_viewer_free(UiViewer *v)
{
        if (!v)
                return;
        close(v->fd);
        for (int i = 0; i < UI_VIEWER_BLOCKS; i++)
                g_free(v->blocks[i].data);
        g_free(v->title);
        ui_cmdline_clear(&v->search);
        g_free(v->pattern);
        g_free(v->note);
        g_free(v);
}

gboolean ui_viewer_hex(const UiViewer *v)
{
        return v->hex;
}

/* ---- text rows -------------------------------------------------------------------------- */

/* The glyph at `off`, drawn from `column`; FALSE at the end of the file. */
static gboolean glyph_at(UiViewer *v, gint64 off, int column, UiViewerGlyph *g)
{
        guint8 buf[4];
        gsize n = ui_viewer_bytes(v, off, buf, sizeof buf);
        if (n == 0)
                return FALSE;
        memset(g, 0, sizeof *g);
        g->off = off;
        g->len = 1;
        if (buf[0] == '\n' || (buf[0] == '\r' && n > 1 && buf[1] == '\n')) {
                g->newline = TRUE;
                g->len = buf[0] == '\r' ? 2 : 1;
                return TRUE;
        }
        if (buf[0] == '\t') {
                g->cols = TAB_WIDTH - column % TAB_WIDTH;
                memset(g->text, ' ', (gsize)g->cols);
                return TRUE;
        }
        gunichar c = g_utf8_get_char_validated((const char *)buf, (gssize)n);
        if (c == (gunichar)-1 || c == (gunichar)-2) {
                g->escaped = TRUE;
                g_snprintf(g->text, sizeof g->text, "\\x%02x", buf[0]);
        } else {
                g->len = g_utf8_skip[buf[0]];
                if (common_char_needs_escape(c)) {
                        g->escaped = TRUE;
                        g_snprintf(g->text, sizeof g->text, c < 0x80 ? "\\x%02x" : "\\u%04x", c);
                } else {
                        memcpy(g->text, buf, (gsize)g->len);
                        g->cols = ui_char_width(c);
                }
        }
        if (g->escaped)
                g->cols = (int)strlen(g->text);
        return TRUE;
}

gint64 ui_viewer_text_row(UiViewer *v, gint64 off, GArray *glyphs)
{
        int column = 0;
        gint64 p = off;
        UiViewerGlyph g;
        for (int count = 0; count < ROW_GLYPHS_MAX && glyph_at(v, p, column, &g); count++) {
                if (g.newline)
                        return p + g.len;
                if (g.text[0] == ' ' && !g.escaped) /* a tab fills the row at most */
                        g.cols = MIN(g.cols, v->width - column);
                if (column > 0 && column + g.cols > v->width)
                        return p; /* on the next row */
                if (glyphs)
                        g_array_append_val(glyphs, g);
                column += g.cols;
                p += g.len;
                if (column >= v->width) {
                        /* a full row: the newline right after it is its own, not an empty row */
                        UiViewerGlyph next;
                        if (glyph_at(v, p, column, &next) && next.newline)
                                return p + next.len;
                        return p;
                }
        }
        return p;
}

/* ---- scrolling -------------------------------------------------------------------------- */

static gint64 row_after(UiViewer *v, gint64 off)
{
        if (v->hex)
                return MIN(off + UI_VIEWER_HEX_WIDTH, v->size);
        return ui_viewer_text_row(v, off, NULL);
}

/* The row that holds `off` (its start: a multiple of 16 in hex). */
static gint64 row_holding(UiViewer *v, gint64 off)
{
        if (v->hex)
                return off - off % UI_VIEWER_HEX_WIDTH;
        gint64 r = line_start(v, off);
        for (;;) {
                gint64 next = ui_viewer_text_row(v, r, NULL);
                if (next > off || next == r)
                        return r;
                r = next;
        }
}

static gint64 row_before(UiViewer *v, gint64 off)
{
        return off <= 0 ? 0 : row_holding(v, off - 1);
}

/* The top of the last page: as far down as the view goes. */
static gint64 end_top(UiViewer *v)
{
        int key[3] = { v->width, v->rows, v->hex };
        if (v->end_top >= 0 && memcmp(key, v->end_key, sizeof key) == 0)
                return v->end_top;
        gint64 top = v->size;
        if (v->hex) {
                gint64 rows = (v->size + UI_VIEWER_HEX_WIDTH - 1) / UI_VIEWER_HEX_WIDTH;
                top = MAX(rows - v->rows, 0) * UI_VIEWER_HEX_WIDTH;
        } else {
                for (int i = 0; i < v->rows && top > 0; i++)
                        top = row_before(v, top);
        }
        memcpy(v->end_key, key, sizeof key);
        return v->end_top = top;
}

void ui_viewer_scroll(UiViewer *v, int rows)
{
        for (; rows < 0 && v->top > 0; rows++)
                v->top = row_before(v, v->top);
        gint64 last = end_top(v);
        for (; rows > 0 && v->top < last; rows--) {
                gint64 next = row_after(v, v->top);
                if (next <= v->top)
                        break;
                v->top = next;
        }
}

void ui_viewer_home(UiViewer *v)
{
        v->top = 0;
}

void ui_viewer_end(UiViewer *v)
{
        v->top = end_top(v);
}

void ui_viewer_toggle_hex(UiViewer *v)
{
        v->hex = !v->hex;
        v->top = MIN(row_holding(v, v->top), end_top(v));
}

/* ---- search ----------------------------------------------------------------------------- */

/* The first offset from `from` where `pattern` starts, read in chunks that overlap by its
 * length; -1 when it is not there. */
static gint64 find(UiViewer *v, const char *pattern, gint64 from)
{
        gsize len = strlen(pattern);
        if (len == 0)
                return -1;
        g_autofree char *buf = g_malloc(SEARCH_CHUNK + len);
        for (gint64 p = from; p < v->size;) {
                ssize_t n;
                do
                        n = pread(v->fd, buf, SEARCH_CHUNK + len - 1, p);
                while (n < 0 && errno == EINTR);
                if (n < (ssize_t)len)
                        return -1;
                const char *hit = memmem(buf, (gsize)n, pattern, len);
                if (hit)
                        return p + (hit - buf);
                p += n - (ssize_t)len + 1;
        }
        return -1;
}

gboolean ui_viewer_find_next(UiViewer *v)
{
        if (!v->pattern) {
                g_free(v->note);
                v->note = g_strdup(_("Nothing to search for yet: type / and the text."));
                return FALSE;
        }
        gint64 from = v->match >= v->top ? v->match + 1 : v->top;
        gint64 at = find(v, v->pattern, from);
        if (at < 0) {
                g_autofree char *shown = core_name_escape(v->pattern);
                g_free(v->note);
                v->note = g_strdup_printf(v->match >= 0 ? _("No more matches of %s below.")
                                                        : _("%s was not found below."), shown);
                return FALSE;
        }
        v->match = at;
        v->top = MIN(row_holding(v, at), end_top(v));
        return TRUE;
}
