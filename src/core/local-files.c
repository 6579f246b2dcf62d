/* core/local-files.c — file operations on this machine for both front ends (core/files.h): the
 * local directory (lcd), and the full screen's mkdir, delete and rename in the local pane.
 * Must not: follow symlinks when deleting, talk to the server, or prompt. */
#include "common/i18n.h"
#include "core/files.h"
#include "core/safename.h"
#include <errno.h>
#include <glib/gstdio.h>

/* "<what> <name>: <reason>", e.g. "Cannot delete x: Permission denied", from errno. */
static gboolean fail_errno(GError **error, const char *what, const char *path)
{
        int saved = errno;
        g_autofree char *base = g_path_get_basename(path);
        g_autofree char *shown = core_name_escape(base);
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "%s %s: %s", what, shown,
                    g_strerror(saved));
        return FALSE;
}

gboolean core_local_cd(CoreContext *ctx, const char *path, GError **error)
{
        if (g_chdir(path) != 0) {
                int saved = errno;
                g_autofree char *shown = core_name_escape(path);
                g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "%s: %s", shown,
                            g_strerror(saved));
                return FALSE;
        }
        g_autofree char *cwd = g_get_current_dir();
        g_autofree char *shown = core_name_escape(cwd);
        core_say(ctx, CORE_MSG_INFO, _("Local directory now %s"), shown);
        return TRUE;
}

gboolean core_local_mkdir(CoreContext *ctx, const char *path, GError **error)
{
        if (g_mkdir(path, 0755) != 0)
                return fail_errno(error, _("Cannot make the directory"), path);
        return TRUE;
}

gboolean core_local_delete(CoreContext *ctx, const char *path, gboolean is_dir, GError **error)
{
        if ((is_dir ? g_rmdir(path) : g_unlink(path)) != 0)
                return fail_errno(error, _("Cannot delete"), path);
        return TRUE;
}

gboolean core_local_rename(CoreContext *ctx, const char *from, const char *to, GError **error)
{
        if (g_rename(from, to) != 0)
                return fail_errno(error, _("Cannot rename"), from);
        return TRUE;
}
