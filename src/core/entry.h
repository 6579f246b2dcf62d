/* core/entry.h — one entry of a remote directory as the front ends see it (the TUI's pane, a
 * batch's plan): core's own type, so that ui/ never needs the FTP engine's headers.
 * Owns: CoreEntry and its lifetime. Must not: do I/O, or trust a name (it is the server's). */
#pragma once
#include <glib.h>

typedef enum {
        CORE_ENTRY_FILE,
        CORE_ENTRY_DIR,
        CORE_ENTRY_LINK,
        CORE_ENTRY_OTHER,
} CoreEntryType;

typedef struct {
        char *name;        /* as the server sent it: never NULL, ".", ".."; escape before showing */
        CoreEntryType type;
        gint64 size;       /* bytes, -1 when unknown */
        gint64 mtime;      /* unix time (UTC), -1 when unknown */
        gboolean mtime_exact; /* to the second (MLSD), not a listing's rounded date */
        char *perms;       /* "rwxr-xr-x" style, or NULL */
} CoreEntry;

/* transfer full; perms NULL. */
CoreEntry *core_entry_new(const char *name, CoreEntryType type, gint64 size, gint64 mtime);
void core_entry_free(CoreEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreEntry, core_entry_free)
