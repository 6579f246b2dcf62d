/* ui/history.h — the command line's history kept across runs, in
 * $XDG_STATE_HOME/clamftp/history (0600, at most 500 lines, newest last).
 * Owns: reading and writing that file, and which lines never reach it (a `user` line may carry a
 * password). Must not: call curses. */
#pragma once
#include <glib.h>

/* The file's path. transfer full */
char *ui_history_path(void);
/* Appends the file's lines to history (char*); a missing file is no error. */
gboolean ui_history_load(GPtrArray *history, const char *path, GError **error);
/* Writes the history (the last 500 lines that may be kept), creating the directory (0700). */
gboolean ui_history_save(GPtrArray *history, const char *path, GError **error);
/* FALSE for lines that must not be written: `user` and `quote PASS …`. */
gboolean ui_history_keeps(const char *line);
