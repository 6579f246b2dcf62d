/* ui/actions.h — the one table of TUI actions and the key map that binds keys to them.
 * Every key runs a command line; every command line names a TUI action or a core command
 * (core/cmd.h), so the help, the key map and the `:` command line never disagree.
 * Owns: the action table, the default key bindings, Esc+digit. Must not: call curses. */
#pragma once
#include <glib.h>
#include "ui/keys.h"

struct UiApp;
typedef gboolean (*UiActionFunc)(struct UiApp *app, int argc, char **argv, GError **error);

typedef struct {
        const char *name;
        int min_args;         /* the action applies when the argument count is in range; */
        int max_args;         /* otherwise a core command of the same name runs (`mkdir x`) */
        const char *usage;
        const char *summary;  /* N_() */
        UiActionFunc func;
} UiAction;

typedef struct {
        UiKey key;
        const char *command;  /* a command line: "copy", "cursor-down" */
} UiBinding;

const UiAction *ui_action_table(gsize *n_actions);
/* The action with exactly this name that takes n_args arguments, or NULL. */
const UiAction *ui_action_find(const char *name, int n_args);
const UiBinding *ui_keymap(gsize *n_bindings);
/* The command bound to a key in the panes, or NULL. */
const char *ui_keymap_lookup(UiKey key);
/* Esc then a digit: the F-key of that digit (0 is F10); UI_KEY_NONE for other keys. */
UiKey ui_keymap_esc_digit(UiKey key);
