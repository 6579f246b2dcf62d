/* core/chmod.c — chmod on either side: the mode worked out (core/mode.h) from what the entry has
 * now, then SITE CHMOD on the server or chmod(2) here, and the `chmod` and `lchmod` commands.
 * Must not: prompt, or follow a server's name it did not check. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "common/i18n.h"
#include "core/browse-tree.h"
#include "core/cmd.h"
#include "core/commands.h"
#include "core/files.h"
#include "core/mode.h"
#include "core/safename.h"
#include "core/worker.h"
#include "ftp/session.h"

typedef struct {
        const char *path;
        guint mode;
} ChmodJob;

static gboolean chmod_job(FtpSession *session, gpointer data, GError **error)
{
        ChmodJob *job = data;
        return ftp_session_chmod(session, job->mode, job->path, error);
}

/* The entry's mode as its directory's listing gives it (-1: not said), and whether it is one. */
static gint remote_current_mode(CoreContext *ctx, const char *path, gboolean *is_dir, GError **error)
{
        g_autofree char *dir = g_path_get_dirname(path);
        g_autofree char *base = g_path_get_basename(path);
        g_autoptr(GPtrArray) entries = core_browse_list_path(ctx, g_str_equal(dir, ".") ? NULL : dir, error);
        if (!entries)
                return -1;
        for (guint i = 0; i < entries->len; i++) {
                const CoreEntry *e = g_ptr_array_index(entries, i);
                if (g_str_equal(e->name, base)) {
                        *is_dir = e->type == CORE_ENTRY_DIR;
                        return core_mode_from_perms(e->perms);
                }
        }
        return -1;
}

static void say_mode(CoreContext *ctx, const char *path, guint mode)
{
        g_autofree char *shown = core_name_escape(path);
        core_say(ctx, CORE_MSG_INFO, _("Mode of %s is now %04o."), shown, mode);
}

gboolean core_remote_chmod(CoreContext *ctx, const char *spec, const char *path, GError **error)
{
        if (!ctx->connected) {
                g_set_error_literal(error, CORE_CMD_ERROR, CORE_CMD_ERROR_NOT_CONNECTED,
                                    _("Not connected: use `open <host> [port]` first."));
                return FALSE;
        }
        ChmodJob job = { .path = path };
        if (!core_mode_is_octal(spec, &job.mode)) {
                gboolean is_dir = FALSE;
                GError *list_error = NULL;
                gint current = remote_current_mode(ctx, path, &is_dir, &list_error);
                if (list_error) {
                        g_propagate_error(error, list_error);
                        return FALSE;
                }
                if (!core_mode_apply(spec, current, is_dir, &job.mode, error))
                        return FALSE;
        }
        if (!core_worker_run(ctx->worker, chmod_job, &job, error))
                return FALSE;
        say_mode(ctx, path, job.mode);
        return TRUE;
}

gboolean core_local_chmod(CoreContext *ctx, const char *spec, const char *path, GError **error)
{
        struct stat st;
        if (stat(path, &st) != 0) {
                int saved = errno;
                g_autofree char *shown = core_name_escape(path);
                g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), _("Cannot change the mode of %s: %s"),
                            shown, g_strerror(saved));
                return FALSE;
        }
        guint mode;
        if (!core_mode_apply(spec, (gint)(st.st_mode & 07777), S_ISDIR(st.st_mode), &mode, error))
                return FALSE;
        if (chmod(path, mode) != 0) {
                int saved = errno;
                g_autofree char *shown = core_name_escape(path);
                g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), _("Cannot change the mode of %s: %s"),
                            shown, g_strerror(saved));
                return FALSE;
        }
        say_mode(ctx, path, mode);
        return TRUE;
}

/* `chmod MODE NAME…` and `lchmod MODE NAME…`: each name on its own. With one name its failure is
 * the command's; with several each failure is said and the rest goes on, then a count. */
static gboolean chmod_each(CoreContext *ctx, gboolean remote, int argc, char **argv, GError **error)
{
        guint failed = 0;
        for (int i = 2; i < argc; i++) {
                GError *err = NULL;
                gboolean ok = remote ? core_remote_chmod(ctx, argv[1], argv[i], &err)
                                     : core_local_chmod(ctx, argv[1], argv[i], &err);
                if (ok)
                        continue;
                /* a mode that is no mode, or no connection: the same for every name */
                if (argc == 3 || g_error_matches(err, CORE_MODE_ERROR, CORE_MODE_ERROR_INVALID) ||
                    g_error_matches(err, CORE_CMD_ERROR, CORE_CMD_ERROR_NOT_CONNECTED)) {
                        g_propagate_error(error, err);
                        return FALSE;
                }
                core_fail(ctx, err);
                g_error_free(err);
                failed++;
        }
        if (failed == 0)
                return TRUE;
        g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_FAILED,
                    ngettext("The mode of %u entry could not be changed.",
                             "The modes of %u entries could not be changed.", failed),
                    failed);
        return FALSE;
}

CORE_CMD_HANDLER(core_cmd_chmod)
{
        return chmod_each(ctx, TRUE, argc, argv, error);
}

CORE_CMD_HANDLER(core_cmd_lchmod)
{
        return chmod_each(ctx, FALSE, argc, argv, error);
}
