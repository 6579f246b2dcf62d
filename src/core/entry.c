/* core/entry.c — core's remote directory entry, and its making from the FTP engine's.
 * Must not: do I/O, print, or call curses. */
#include "core/entry-private.h"
#include <string.h>

CoreEntry *core_entry_new(const char *name, CoreEntryType type, gint64 size, gint64 mtime)
{
        CoreEntry *entry = g_new0(CoreEntry, 1);
        *entry = (CoreEntry){ .name = g_strdup(name), .type = type, .size = size, .mtime = mtime };
        return entry;
}

void core_entry_free(CoreEntry *entry)
{
        if (!entry)
                return;
        g_free(entry->name);
        g_free(entry->perms);
        g_free(entry);
}

static CoreEntryType type_from_ftp(FtpEntryType type)
{
        switch (type) {
        case FTP_ENTRY_FILE:
                return CORE_ENTRY_FILE;
        case FTP_ENTRY_DIR:
                return CORE_ENTRY_DIR;
        case FTP_ENTRY_LINK:
                return CORE_ENTRY_LINK;
        case FTP_ENTRY_OTHER:
        default:
                return CORE_ENTRY_OTHER;
        }
}

GPtrArray *core_entries_from_ftp(const GPtrArray *ftp_entries)
{
        GPtrArray *entries = g_ptr_array_new_with_free_func((GDestroyNotify)core_entry_free);
        for (guint i = 0; ftp_entries && i < ftp_entries->len; i++) {
                const FtpEntry *ftp = g_ptr_array_index(ftp_entries, i);
                if (!ftp->name || !strcmp(ftp->name, ".") || !strcmp(ftp->name, ".."))
                        continue;
                CoreEntry *entry = core_entry_new(ftp->name, type_from_ftp(ftp->type), ftp->size, ftp->mtime);
                entry->perms = g_strdup(ftp->perms);
                entry->mtime_exact = ftp->mtime_exact;
                g_ptr_array_add(entries, entry);
        }
        return entries;
}
