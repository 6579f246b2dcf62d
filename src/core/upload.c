/* core/upload.c — where an upload lands on the server: the remote name `put` gives a local path,
 * and the remote parent directories made before a file is stored. (Uploads themselves are queue
 * jobs: core/batch.h, core/queue-upload.c; a resumed one is core/upload-resume.c.)
 * Must not: upload, scan, or print. */
#include "core/transfer.h"
#include "core/transfer-private.h"

#include <string.h>

char *core_transfer_remote_name_for(const char *local)
{
        g_autofree char *base = g_path_get_basename(local);
        if (g_path_is_absolute(local))
                return g_steal_pointer(&base);
        g_auto(GStrv) parts = g_strsplit(local, "/", -1);
        g_autoptr(GPtrArray) kept = g_ptr_array_new();
        for (char **p = parts; *p != NULL; p++) {
                if (strcmp(*p, "..") == 0)
                        return g_steal_pointer(&base);
                if ((*p)[0] != '\0' && strcmp(*p, ".") != 0)
                        g_ptr_array_add(kept, *p);
        }
        if (kept->len == 0)
                return g_steal_pointer(&base);
        g_ptr_array_add(kept, NULL);
        return g_strjoinv("/", (char **)kept->pdata);
}

gboolean core_remote_make_parents(FtpSession *session, const char *remote, GHashTable *made, GError **error)
{
        const char *last = strrchr(remote, '/');
        if (last == NULL || last == remote)
                return TRUE;
        for (const char *p = remote + 1; p <= last; p++) {
                if (*p != '/' || p[-1] == '/')
                        continue;
                g_autofree char *dir = g_strndup(remote, (gsize)(p - remote));
                if (g_hash_table_contains(made, dir))
                        continue;
                g_autoptr(GError) mkd_error = NULL;
                if (!ftp_session_mkdir(session, dir, &mkd_error) &&
                    !g_error_matches(mkd_error, FTP_ERROR, FTP_ERROR_REFUSED)) {
                        g_propagate_error(error, g_steal_pointer(&mkd_error));
                        return FALSE;
                }
                g_hash_table_add(made, g_steal_pointer(&dir));
        }
        return TRUE;
}
