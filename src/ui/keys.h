/* ui/keys.h — keys as the interface sees them: Unicode characters and named special keys, their
 * names ("<F5>", "<Tab>", "<C-r>") for the key map, help and test scripts.
 * Owns: UiKey codes and key names. Must not: call curses (ui/display translates its codes). */
#pragma once
#include <glib.h>

typedef int UiKey; /* a Unicode character, or one of the codes below */

enum {
        UI_KEY_NONE = 0,
        UI_KEY_SPECIAL = 0x110000,
        UI_KEY_UP, UI_KEY_DOWN, UI_KEY_LEFT, UI_KEY_RIGHT,
        UI_KEY_PPAGE, UI_KEY_NPAGE, UI_KEY_HOME, UI_KEY_END,
        UI_KEY_INSERT, UI_KEY_DELETE, UI_KEY_BACKSPACE, UI_KEY_ENTER, UI_KEY_TAB, UI_KEY_BTAB,
        UI_KEY_ESCAPE, UI_KEY_RESIZE,
        UI_KEY_MOUSE,    /* a mouse event: ui_display_mouse() (or the script) says which */
        UI_KEY_F0 = UI_KEY_SPECIAL + 0x100, /* UI_KEY_F(n) = UI_KEY_F0 + n, n = 1..24 */
};
#define UI_KEY_F(n) (UI_KEY_F0 + (n))
/* Shift+F1..F12, as curses reports them (F13..F24); named "<S-F6>". */
#define UI_KEY_SHIFT_F(n) UI_KEY_F(12 + (n))
#define UI_KEY_CTRL(c) ((c) & 0x1f)
/* Ctrl-X then a printable ASCII character, as one code (mc's two-key bindings: C-x d); named
 * "<C-x>d", which a script reads as the two keys it is typed as. */
#define UI_KEY_CTRL_X(c) (UI_KEY_SPECIAL + 0x200 + (c))
#define UI_KEY_IS_CTRL_X(k) ((k) > UI_KEY_CTRL_X(' ') && (k) < UI_KEY_CTRL_X(0x7f))

/* "<F5>", "<S-F6>", "<Tab>", "<C-r>", "a", "<Space>", "<lt>" → the key; UI_KEY_NONE if unknown. */
UiKey ui_key_from_name(const char *name);
/* The key's name as ui_key_from_name reads it. transfer full */
char *ui_key_name(UiKey key);
/* Reads a sequence of keys written as text with <Name> for special ones ("abc<Enter><F5>").
 * Returns FALSE with error on an unknown <name>. */
gboolean ui_keys_parse(const char *text, GArray *keys, GError **error);

/* A mouse event where the terminal reports one (cells, 0-based from the top left). */
typedef enum {
        UI_MOUSE_CLICK,       /* button 1 */
        UI_MOUSE_DOUBLE,      /* button 1 twice */
        UI_MOUSE_RIGHT,       /* button 3 */
        UI_MOUSE_WHEEL_UP,
        UI_MOUSE_WHEEL_DOWN,
} UiMouseKind;
typedef struct {
        UiMouseKind kind;
        int x;
        int y;
} UiMouse;
/* "@click ROW COL", "@dclick ROW COL", "@rclick ROW COL", "@wheel up|down ROW COL" (the headless
 * key script's mouse words) → the event. FALSE with error when the line is not one of them. */
gboolean ui_mouse_parse(const char *line, UiMouse *mouse, GError **error);
