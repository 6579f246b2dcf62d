/* common/escape.h — text from a server or a file system made safe to show on a terminal.
 * Owns: which code points must not reach a terminal as they are (C0, DEL, C1, bidirectional
 * overrides) and their escaped form. Must not: print, or change text that is already safe. */
#pragma once
#include <glib.h>

/* TRUE for a code point that must not reach a terminal as it is: C0, DEL, C1 (0x9b is CSI on
 * some terminals), and the bidirectional overrides and marks. */
gboolean common_char_needs_escape(gunichar c);

/* Every unsafe code point becomes \xNN (or \uNNNN), an invalid UTF-8 byte \xNN, and a
 * backslash "\\", so the result reads back unambiguously. NULL gives "". transfer full */
char *common_text_escape(const char *text);
/* The last check before a terminal: the same escapes for unsafe code points and invalid bytes,
 * but backslashes and tabs stay as they are, so text escaped once already is not changed. A
 * newline stays when keep_newlines. NULL gives "". transfer full */
char *common_text_escape_controls(const char *text, gboolean keep_newlines);
