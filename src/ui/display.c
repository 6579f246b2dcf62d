/* ui/display.c — every curses call of clamftp: the canvas on the terminal, and keys.
 * Must not: be called from any thread but the UI thread, or know panes and commands. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "ui/display.h"
#include "ui/ui.h"
#include "common/i18n.h"
#include <curses.h>
#include <stdlib.h>
#include <wchar.h>

static attr_t attrs[UI_ATTR_COUNT];
static UiMouse last_mouse;

gboolean ui_display_colour_wanted(void)
{
        const char *no_color = g_getenv("NO_COLOR");
        return !(no_color && *no_color);
}

static void set_mono(void)
{
        attrs[UI_ATTR_NORMAL] = A_NORMAL;
        attrs[UI_ATTR_HEADER] = A_BOLD;
        attrs[UI_ATTR_CURSOR] = A_REVERSE;
        attrs[UI_ATTR_SELECTED] = A_BOLD;
        attrs[UI_ATTR_INFECTED] = A_BOLD | A_UNDERLINE;
        attrs[UI_ATTR_DIRECTORY] = A_BOLD;
        attrs[UI_ATTR_STATUS] = A_REVERSE;
        attrs[UI_ATTR_ERROR] = A_BOLD;
        attrs[UI_ATTR_FKEY_NUM] = A_NORMAL;
        attrs[UI_ATTR_FKEY_LABEL] = A_REVERSE;
        attrs[UI_ATTR_DIALOG] = A_REVERSE;
        attrs[UI_ATTR_WARNING] = A_BOLD | A_REVERSE;
}

static void pair(UiAttr attr, short fg, short bg, attr_t extra)
{
        init_pair((short)attr, fg, bg);
        attrs[attr] = COLOR_PAIR(attr) | extra;
}

static void set_colour(void)
{
        start_color();
        use_default_colors();
        pair(UI_ATTR_HEADER, COLOR_CYAN, -1, A_BOLD);
        pair(UI_ATTR_CURSOR, COLOR_BLACK, COLOR_CYAN, A_NORMAL);
        pair(UI_ATTR_SELECTED, COLOR_YELLOW, -1, A_BOLD);
        pair(UI_ATTR_INFECTED, COLOR_RED, -1, A_BOLD);
        pair(UI_ATTR_DIRECTORY, COLOR_WHITE, -1, A_BOLD);
        pair(UI_ATTR_STATUS, COLOR_BLACK, COLOR_WHITE, A_NORMAL);
        pair(UI_ATTR_ERROR, COLOR_RED, -1, A_BOLD);
        pair(UI_ATTR_FKEY_LABEL, COLOR_BLACK, COLOR_CYAN, A_NORMAL);
        pair(UI_ATTR_DIALOG, COLOR_WHITE, COLOR_BLUE, A_NORMAL);
        pair(UI_ATTR_WARNING, COLOR_WHITE, COLOR_RED, A_BOLD);
}

gboolean ui_display_open(gboolean colour, GError **error)
{
        if (!newterm(NULL, stdout, stdin)) {
                g_set_error_literal(error, UI_ERROR, UI_ERROR_DISPLAY,
                                    _("This terminal cannot be used (check TERM), or use --line."));
                return FALSE;
        }
        raw();
        noecho();
        nonl();
        keypad(stdscr, TRUE);
        nodelay(stdscr, TRUE);
        set_escdelay(50);
        /* where the terminal reports nothing, mousemask gives 0 and keys work as before. Presses
         * are taken as they come (mouseinterval 0): curses' click resolution holds a press back
         * while it waits for the release, and loses it when a key comes first. A second press
         * on the cursor's row enters, so a double click needs no timing of its own. */
        mouseinterval(0);
        mousemask(BUTTON1_PRESSED | BUTTON3_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
        set_mono();
        if (colour && has_colors())
                set_colour();
        return TRUE;
}

void ui_display_close(void)
{
        endwin();
}

void ui_display_suspend(void)
{
        def_prog_mode();
        endwin();
}

void ui_display_resume(void)
{
        reset_prog_mode();
        clearok(curscr, TRUE); /* what the program left there is not what curses remembers */
        refresh();
}

void ui_display_size(int *width, int *height)
{
        *width = COLS;
        *height = LINES;
}

void ui_display_show(const UiCanvas *canvas, int x, int y)
{
        int rows = MIN(canvas->height, LINES);
        int cols = MIN(canvas->width, COLS);
        for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                        const UiCell *cell = &canvas->cells[r * canvas->width + c];
                        if (cell->ch == 0)
                                continue; /* the right half of a wide character */
                        wchar_t text[2] = { (wchar_t)cell->ch, 0 };
                        cchar_t cc;
                        /* setcchar takes the colour pair apart from the attributes: a 0 there
                         * would strip the pair that attrs[] carries */
                        attr_t attr = attrs[cell->attr];
                        setcchar(&cc, text, attr & ~A_COLOR, (short)PAIR_NUMBER(attr), NULL);
                        mvadd_wch(r, c, &cc);
                }
        }
        if (x >= 0 && y >= 0) {
                curs_set(1);
                move(y, x);
        } else {
                curs_set(0);
        }
        refresh();
}

static UiKey translate(int code)
{
        if (code >= KEY_F(1) && code <= KEY_F(24))
                return UI_KEY_F(code - KEY_F0);
        switch (code) {
        case KEY_UP: return UI_KEY_UP;
        case KEY_DOWN: return UI_KEY_DOWN;
        case KEY_LEFT: return UI_KEY_LEFT;
        case KEY_RIGHT: return UI_KEY_RIGHT;
        case KEY_PPAGE: return UI_KEY_PPAGE;
        case KEY_NPAGE: return UI_KEY_NPAGE;
        case KEY_HOME: return UI_KEY_HOME;
        case KEY_END: return UI_KEY_END;
        case KEY_IC: return UI_KEY_INSERT;
        case KEY_DC: return UI_KEY_DELETE;
        case KEY_BACKSPACE: return UI_KEY_BACKSPACE;
        case KEY_ENTER: return UI_KEY_ENTER;
        case KEY_BTAB: return UI_KEY_BTAB;
        case KEY_RESIZE: return UI_KEY_RESIZE;
        default: return UI_KEY_NONE;
        }
}

/* The event curses read, as a UiMouse; FALSE for buttons the interface does not use. */
static gboolean read_mouse(UiMouse *mouse)
{
        MEVENT event;
        if (getmouse(&event) != OK)
                return FALSE;
        mouse->x = event.x;
        mouse->y = event.y;
        if (event.bstate & BUTTON1_PRESSED)
                mouse->kind = UI_MOUSE_CLICK;
        else if (event.bstate & BUTTON3_PRESSED)
                mouse->kind = UI_MOUSE_RIGHT;
        else if (event.bstate & BUTTON4_PRESSED)
                mouse->kind = UI_MOUSE_WHEEL_UP;
        else if (event.bstate & BUTTON5_PRESSED)
                mouse->kind = UI_MOUSE_WHEEL_DOWN;
        else
                return FALSE;
        return TRUE;
}

void ui_display_mouse(UiMouse *mouse)
{
        *mouse = last_mouse;
}

gboolean ui_display_read_key(UiKey *key)
{
        wint_t ch = 0;
        int kind = get_wch(&ch);
        if (kind == ERR)
                return FALSE;
        if (kind == KEY_CODE_YES && ch == KEY_MOUSE) {
                *key = read_mouse(&last_mouse) ? UI_KEY_MOUSE : UI_KEY_NONE;
                return TRUE;
        }
        if (kind == KEY_CODE_YES) {
                *key = translate((int)ch);
                return TRUE;
        }
        switch (ch) {
        case '\r': case '\n': *key = UI_KEY_ENTER; break;
        case '\t': *key = UI_KEY_TAB; break;
        case 27: *key = UI_KEY_ESCAPE; break;
        case 0x7f: case 8: *key = UI_KEY_BACKSPACE; break;
        default: *key = (UiKey)ch; break;
        }
        return TRUE;
}
