/* core/keyring.h — the passwords of saved sites, in the desktop keyring (the Secret Service API
 * through libsecret: gnome-keyring, KeePassXC, KWallet's bridge), under the schema
 * org.clamftp.Site with the attributes site, host, port and user.
 * Owns: the schema, the deadline on every call (a keyring that hangs, or a locked one whose
 * unlock prompt nobody can see, gives up after CORE_KEYRING_TIMEOUT_S), the words of its errors.
 * Must not: write a password anywhere else, keep one after a call, or fail when no keyring runs
 * (the caller asks for the password instead). */
#pragma once
#include <glib.h>

#define CORE_KEYRING_ERROR (core_keyring_error_quark())
GQuark core_keyring_error_quark(void);
typedef enum {
        CORE_KEYRING_ERROR_UNAVAILABLE, /* no session bus, no Secret Service, locked, timed out */
} CoreKeyringErrorCode;

#define CORE_KEYRING_TIMEOUT_S 10

/* Whose password: a site's, on this server, for this user. */
typedef struct {
        const char *site;
        const char *host;
        guint16 port;
        const char *user;
} CoreKeyringKey;

/* TRUE when a Secret Service answers on the session bus; otherwise FALSE with why. */
gboolean core_keyring_available(GError **error);
/* The password stored for exactly this key; NULL without an error when there is none.
 * Wipe it after use (core_keyring_password_free). transfer full */
char *core_keyring_lookup(const CoreKeyringKey *key, GError **error);
gboolean core_keyring_store(const CoreKeyringKey *key, const char *password, GError **error);
/* Removes every password stored for the site (whatever its host and user). TRUE when none was
 * there either. */
gboolean core_keyring_clear(const char *site, GError **error);
/* Overwrites, then frees, a password. */
void core_keyring_password_free(char *password);
