/* ui/actions.h — the full screen's handlers of the commands of core's one table (core/cmd.h)
 * that have a screen form, and the key map that binds keys to command lines. A key runs a
 * command line, a command line names a row of the one table, so the help, the key map and the
 * `:` command line never disagree.
 * Owns: the screen handlers, the default key bindings, Esc+digit. Must not: call curses. */
#pragma once
#include <glib.h>
#include "ui/keys.h"

struct UiApp;
typedef gboolean (*UiActionFunc)(struct UiApp *app, int argc, char **argv, GError **error);

/* The screen's handler of a row of core's table (by the row's name). */
typedef struct {
        const char *name;
        UiActionFunc func;
} UiAction;

typedef struct {
        UiKey key;
        const char *command;  /* a command line: "copy", "cursor-down" */
} UiBinding;

const UiAction *ui_action_table(gsize *n_actions);
/* The screen's handler of the command named exactly `name` (a row's name, not an alias), or
 * NULL. */
const UiAction *ui_action_find(const char *name);
const UiBinding *ui_keymap(gsize *n_bindings);
/* The command bound to a key in the panes, or NULL. */
const char *ui_keymap_lookup(UiKey key);
/* Esc then a digit: the F-key of that digit (0 is F10); UI_KEY_NONE for other keys. */
UiKey ui_keymap_esc_digit(UiKey key);
/* Ctrl-X then a printable character: its two-key code (UI_KEY_CTRL_X); UI_KEY_NONE for others. */
UiKey ui_keymap_ctrl_x(UiKey key);
