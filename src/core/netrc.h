/* core/netrc.h — ~/.netrc: logins (and passwords) per machine, as ftp, curl and lftp read them.
 * Owns: the tokenizer (machine, default, login, password, account, macdef skipped, quoted
 * tokens), the lookup rules, and refusing passwords from a file others can read.
 * Must not: prompt or print (a refused password is flagged for the caller to warn about). */
#pragma once
#include <glib.h>

#define CORE_NETRC_ERROR (core_netrc_error_quark())
GQuark core_netrc_error_quark(void);
typedef enum {
        CORE_NETRC_ERROR_SYNTAX, /* a keyword without its value */
        CORE_NETRC_ERROR_READ,   /* the file exists but cannot be read */
} CoreNetrcErrorCode;

typedef struct {
        char *machine;            /* NULL for `default` */
        char *login;
        char *password;           /* NULL when absent or refused */
        char *account;
        gboolean password_refused;/* it had one, dropped because the file is readable by others */
} CoreNetrcEntry;

typedef struct {
        GPtrArray *entries;       /* CoreNetrcEntry*, in file order */
} CoreNetrc;

/* Parses netrc text. */
CoreNetrc *core_netrc_parse(const char *text, GError **error);
/* Loads path (NULL: $NETRC, else ~/.netrc). A missing file is an empty netrc. When the file can
 * be read by group or others, passwords and accounts are dropped and flagged (as ftp does). */
CoreNetrc *core_netrc_load(const char *path, GError **error);
void core_netrc_free(CoreNetrc *netrc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreNetrc, core_netrc_free)
/* The first `machine` entry for host (and login, when not NULL); else the `default` entry
 * (when login is NULL or matches); else NULL. Host names compare case-insensitively. */
const CoreNetrcEntry *core_netrc_find(const CoreNetrc *netrc, const char *host, const char *login);
