/* ui/external.h — the user's own pager and editor, run on a file with the screen given back to
 * the terminal while they run (as mc runs an external viewer or editor).
 * Owns: which program ($PAGER; $EDITOR, else $VISUAL, else editor or vi), running it through
 * /bin/sh as git does (so that "less -R" or "code --wait" work), and its outcome.
 * Must not: fetch, upload or touch the panes (ui/fileview.c does), or call curses but through
 * ui/display. */
#pragma once
#include <glib.h>

/* $PAGER when it is set and not blank, else NULL (the internal viewer). */
const char *ui_external_pager(void);
/* $EDITOR, else $VISUAL (each when set and not blank), else `editor` when it is on the PATH
 * (Debian's choice of the system's editor), else `vi`. */
const char *ui_external_editor(void);
/* Runs `program` (a shell word list: the user's variable as it is) with `path` as its last
 * argument and waits; the screen is suspended around it unless `headless`. Ctrl-C reaches the
 * program, not clamftp. FALSE with error when it could not start or did not exit with 0. */
gboolean ui_external_run(const char *program, const char *path, gboolean headless, GError **error);
