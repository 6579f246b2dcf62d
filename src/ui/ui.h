/* ui/ui.h — the full-screen interface as main() sees it, and its error domain.
 * Owns: the entry point. Must not: be needed by anything outside src/ui except main(). */
#pragma once
#include <glib.h>
#include "core/options.h"

#define UI_ERROR (ui_error_quark())
GQuark ui_error_quark(void);
typedef enum {
        UI_ERROR_SCRIPT,   /* a key script that cannot be read */
        UI_ERROR_DISPLAY,  /* the terminal cannot be used */
        UI_ERROR_USAGE,    /* a UI command with wrong arguments */
} UiErrorCode;

/* TRUE when the full-screen interface should start: stdin and stdout are terminals (or the
 * headless test mode CLAMFTP_NO_DISPLAY is set) and none of --line, -c, -b was given. */
gboolean ui_wanted(const CoreOptions *opts);
/* Runs the interface until the user quits. Returns the exit status (CORE_EXIT_*).
 * Headless test mode (no terminal needed): CLAMFTP_NO_DISPLAY=1, keys from the file named by
 * CLAMFTP_SCRIPT (lines of keys such as ":open host<Enter>" or "<F5>", and "@dump FILE" to write
 * the screen as text), screen size from COLUMNS/LINES (default 80x24). */
int ui_main(const CoreOptions *opts);
