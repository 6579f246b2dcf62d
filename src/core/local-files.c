/* core/local-files.c — file operations on this machine for both front ends (core/files.h): the
 * local directory (lcd), the full screen's mkdir, delete and rename in the local pane, and the
 * rename on either side that asks before it replaces an entry.
 * Must not: follow symlinks when deleting, talk to the server, or prompt. */
#include "common/i18n.h"
#include "core/files.h"
#include "core/safename.h"
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

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
        /* parents too, as mkdir -p; the directory itself must be new */
        if (g_mkdir(path, 0755) != 0 && (errno != ENOENT || g_mkdir_with_parents(path, 0755) != 0))
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

/* Whether `to` exists where the rename would put it (a link counts, it is not followed). */
static gboolean destination_exists(CoreContext *ctx, gboolean remote, const char *to, gboolean *exists,
                                   GError **error)
{
        if (remote)
                return core_remote_exists(ctx, to, exists, error);
        struct stat st;
        *exists = g_lstat(to, &st) == 0;
        return TRUE;
}

gboolean core_rename_checked(CoreContext *ctx, gboolean remote, const char *from, const char *to,
                             GError **error)
{
        if (strcmp(from, to) == 0)
                return FALSE;
        gboolean exists = FALSE;
        if (ctx->prompt && !destination_exists(ctx, remote, to, &exists, error))
                return FALSE;
        if (exists) {
                /* a local pane's names are full paths: its directory goes without saying */
                g_autofree char *from_name = remote ? g_strdup(from) : g_path_get_basename(from);
                g_autofree char *to_name = remote ? g_strdup(to) : g_path_get_basename(to);
                g_autofree char *from_shown = core_name_escape(from_name);
                g_autofree char *to_shown = core_name_escape(to_name);
                g_autofree char *question = g_strdup_printf(_("%s exists already: replace it with %s?"),
                                                            to_shown, from_shown);
                CoreAnswer answer = ctx->fe.ask ? ctx->fe.ask(question, ctx->fe.data) : CORE_ANSWER_NO;
                if (answer != CORE_ANSWER_YES && answer != CORE_ANSWER_ALL) {
                        core_say(ctx, CORE_MSG_WARNING, _("Not renamed: %s stays as it was."), to_shown);
                        return FALSE;
                }
        }
        return remote ? core_remote_rename(ctx, from, to, error) : core_local_rename(ctx, from, to, error);
}
