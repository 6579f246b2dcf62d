/* core/browse.c — the remote directory as entries for a file manager's pane.
 * Must not: print, prompt, or call curses; it runs on whatever thread runs commands. */
#include "core/browse.h"
#include "common/i18n.h"
#include "core/entry-private.h"
#include "core/worker.h"

typedef struct {
        GPtrArray *entries;
        char *cwd;
        CoreBrowseDone done;  /* core_browse_list_async only */
        gpointer data;
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
        g_autoptr(GPtrArray) listed = ftp_session_list(session, NULL, error);
        if (!listed)
                return FALSE;
        job->entries = core_entries_from_ftp(listed);
        return TRUE;
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

static void async_list_done(guint job_id, gboolean ok, const GError *error, gpointer data)
{
        BrowseJob *job = data;
        job->done(ok ? g_steal_pointer(&job->entries) : NULL, ok ? g_steal_pointer(&job->cwd) : NULL, job->data);
}

static void async_list_free(gpointer data)
{
        BrowseJob *job = data;
        if (job->entries)
                g_ptr_array_unref(job->entries);
        g_free(job->cwd);
        g_free(job);
}

void core_browse_list_async(CoreContext *ctx, CoreBrowseDone done, gpointer data)
{
        BrowseJob *job = g_new0(BrowseJob, 1);
        job->done = done;
        job->data = data;
        core_worker_submit(ctx->worker, list_job, job, async_list_free, async_list_done);
}
