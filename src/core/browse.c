/* core/browse.c — the remote directory as entries for a file manager's pane.
 * Must not: print, prompt, or call curses; it runs on whatever thread runs commands. */
#include "core/browse.h"
#include "common/i18n.h"
#include "core/worker.h"

typedef struct {
        GPtrArray *entries;
        char *cwd;
} BrowseJob;

static gboolean list_job(FtpSession *session, gpointer data, GError **error)
{
        BrowseJob *job = data;
        if (!ftp_session_is_logged_in(session)) {
                g_set_error_literal(error, FTP_ERROR, FTP_ERROR_NOT_CONNECTED,
                                    _("Not connected: use `open <host>` first."));
                return FALSE;
        }
        job->cwd = ftp_session_pwd(session, NULL); /* after `cd`, the cached path may be relative */
        if (!job->cwd && ftp_session_cwd(session))
                job->cwd = g_strdup(ftp_session_cwd(session));
        job->entries = ftp_session_list(session, NULL, error);
        return job->entries != NULL;
}

gboolean core_browse_list(CoreContext *ctx, GPtrArray **entries, char **cwd, GError **error)
{
        BrowseJob job = { 0 };
        if (!core_worker_run(ctx->worker, list_job, &job, error)) {
                g_free(job.cwd);
                return FALSE;
        }
        *entries = job.entries;
        *cwd = job.cwd ? job.cwd : g_strdup("?");
        return TRUE;
}
