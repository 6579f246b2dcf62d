/* core/mode.h — permission modes as people write them for chmod: octal ("644", "0755") or
 * symbolic clauses ("u+x", "go-w", "a=rX,u+s"), and the "rwxr-xr-x" strings listings carry.
 * Must not: touch a file or the server; pure functions. */
#pragma once
#include <glib.h>

#define CORE_MODE_ERROR (core_mode_error_quark())
GQuark core_mode_error_quark(void);
typedef enum {
        CORE_MODE_ERROR_INVALID,      /* not a mode */
        CORE_MODE_ERROR_NEEDS_CURRENT /* symbolic, and the current mode is unknown */
} CoreModeError;

/* TRUE when SPEC is an octal mode (its value in *mode, at most 07777). */
gboolean core_mode_is_octal(const char *spec, guint *mode);
/* The mode SPEC makes of CURRENT (-1: unknown, enough for an octal SPEC) for a directory or
 * not (X: search only for directories or where someone may search already). */
gboolean core_mode_apply(const char *spec, gint current, gboolean is_dir, guint *mode, GError **error);
/* "rwxr-xr-x" (or "-rwxr-xr-x", "drwxr-sr-t": setuid, setgid, sticky from s/S/t/T) → its mode; -1
 * when PERMS is not such a string. */
gint core_mode_from_perms(const char *perms);
