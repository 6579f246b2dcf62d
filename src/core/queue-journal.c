/* core/queue-journal.c — a queue's file jobs as records of the journal while a batch runs
 * (core/queue-journal.h): paths made absolute once (the remote directory of the batch, the
 * local working directory), then each change the queue's state hook reports written as it
 * happens.
 * Must not: block the queue for more than a record's write(), transfer, print or ask. */
#include "core/queue-journal.h"
#include "core/download.h"
#include "core/worker.h"

#include <string.h>

typedef struct {
        guint64 jid;
        gboolean upload;
        char *local;       /* as the queue had it when recorded (to see a rename) */
        char *remote;
        char *base;
        gboolean started;
        char *temp;
} Tracked;

struct CoreQueueJournal {
        GMutex lock;       /* tracked is changed on the command thread and read on any */
        CoreJournal *journal;
        CoreQueue *queue;
        guint server;
        char *remote_cwd;
        GHashTable *tracked; /* queue id → Tracked* */
};

static void tracked_free(gpointer data)
{
        Tracked *t = data;
        g_free(t->local);
        g_free(t->remote);
        g_free(t->base);
        g_free(t->temp);
        g_free(t);
}

static char *remote_absolute(const CoreQueueJournal *qj, const char *remote) /* transfer full */
{
        if (remote[0] == '/')
                return g_strdup(remote);
        return g_strconcat(qj->remote_cwd, g_str_has_suffix(qj->remote_cwd, "/") ? "" : "/", remote, NULL);
}

/* The local file itself: an upload's source, a download's landing place. transfer full */
static char *local_absolute(gboolean upload, const char *local, const char *remote, const char *base)
{
        if (upload || base)
                return g_canonicalize_filename(local, NULL);
        g_autofree char *target = core_download_target(local, remote);
        return g_canonicalize_filename(target, NULL);
}

/* With qj->lock held. */
static void follow(CoreQueueJournal *qj, Tracked *t, const CoreJob *job)
{
        if (job->state == CORE_JOB_TRANSFERRING && !t->started) {
                t->started = TRUE;
                core_journal_start(qj->journal, t->jid);
        }
        if (job->temp && g_strcmp0(job->temp, t->temp) != 0) {
                g_free(t->temp);
                t->temp = g_strdup(job->temp);
                g_autofree char *temp = remote_absolute(qj, job->temp);
                core_journal_temp(qj->journal, t->jid, temp);
        }
        if (g_strcmp0(job->local, t->local) != 0 || g_strcmp0(job->remote, t->remote) != 0) {
                g_free(t->local);
                t->local = g_strdup(job->local);
                g_free(t->remote);
                t->remote = g_strdup(job->remote);
                g_autofree char *local = local_absolute(t->upload, job->local, job->remote, t->base);
                g_autofree char *remote = remote_absolute(qj, job->remote);
                core_journal_target(qj->journal, t->jid, local, remote);
        }
}

/* The queue's state hook. */
static void on_change(const CoreJob *job, gpointer data)
{
        CoreQueueJournal *qj = data;
        g_mutex_lock(&qj->lock);
        Tracked *t = g_hash_table_lookup(qj->tracked, GUINT_TO_POINTER(job->id));
        if (t && core_job_state_is_final(job->state)) {
                gboolean cut_by_quit = (job->state == CORE_JOB_CANCELLED || job->state == CORE_JOB_FAILED ||
                                        job->state == CORE_JOB_SKIPPED) && core_journal_quitting(qj->journal);
                if (job->state == CORE_JOB_FAILED && !cut_by_quit)
                        core_journal_fail(qj->journal, t->jid, job->detail); /* kept, to be run again */
                else if (!cut_by_quit)
                        core_journal_end(qj->journal, t->jid);
                g_hash_table_remove(qj->tracked, GUINT_TO_POINTER(job->id));
        } else if (t) {
                follow(qj, t, job);
        }
        g_mutex_unlock(&qj->lock);
}

void core_queue_journal_server(CoreContext *ctx, CoreJournalServer *server)
{
        *server = (CoreJournalServer){ .host = g_strdup(ctx->host), .port = ctx->port, .user = g_strdup(ctx->user),
                                       .implicit_tls = ctx->implicit_tls,
                                       .fingerprint = g_strdup(ctx->pinned_fingerprint) };
        server->tls = g_strdup(ctx->tls_policy == FTP_TLS_REQUIRE ? "require"
                               : ctx->tls_policy == FTP_TLS_OFF ? "off" : "auto");
}

static gboolean cwd_job(FtpSession *session, gpointer data, GError **error)
{
        char **cwd = data;
        const char *known = ftp_session_cwd(session);
        *cwd = known ? g_strdup(known) : ftp_session_pwd(session, error);
        return *cwd != NULL;
}

char *core_queue_journal_remote_cwd(CoreContext *ctx)
{
        char *cwd = NULL;
        if (!ctx->connected || !core_worker_run(ctx->worker, cwd_job, &cwd, NULL))
                return NULL;
        return cwd;
}

CoreQueueJournal *core_queue_journal_attach(CoreContext *ctx, CoreQueue *queue, const char *remote_cwd)
{
        if (!ctx->journal || !ctx->host || !remote_cwd)
                return NULL;
        CoreQueueJournal *qj = g_new0(CoreQueueJournal, 1);
        g_mutex_init(&qj->lock);
        qj->journal = ctx->journal;
        qj->queue = queue;
        qj->remote_cwd = g_strdup(remote_cwd);
        qj->tracked = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, tracked_free);
        CoreJournalServer server;
        core_queue_journal_server(ctx, &server);
        qj->server = core_journal_add_server(ctx->journal, &server);
        core_journal_server_clear(&server);
        core_queue_set_state_hook(queue, on_change, qj);
        return qj;
}

void core_queue_journal_track(CoreQueueJournal *qj, guint id, const char *base, gint64 size, gint64 mtime,
                              guint64 resumed)
{
        g_autoptr(CoreJob) job = qj ? core_queue_get(qj->queue, id) : NULL;
        if (!job || job->group || core_job_state_is_final(job->state))
                return;
        Tracked *t = g_new0(Tracked, 1);
        t->upload = job->kind == CORE_JOB_UPLOAD;
        t->local = g_strdup(job->local);
        t->remote = g_strdup(job->remote);
        t->base = base ? g_canonicalize_filename(base, NULL) : NULL;
        t->temp = g_strdup(job->temp);
        t->jid = resumed;
        if (!resumed) {
                g_autofree char *local = local_absolute(t->upload, job->local, job->remote, t->base);
                g_autofree char *remote = remote_absolute(qj, job->remote);
                CoreJournalJob record = { .server = qj->server, .upload = t->upload, .local = local, .base = t->base,
                                          .remote = remote, .size = size, .mtime = mtime };
                t->jid = core_journal_add(qj->journal, &record);
        }
        if (t->jid == 0) {
                tracked_free(t);
                return;
        }
        g_mutex_lock(&qj->lock);
        g_hash_table_replace(qj->tracked, GUINT_TO_POINTER(id), t);
        follow(qj, t, job); /* what happened before it was tracked (a download is transferring) */
        g_mutex_unlock(&qj->lock);
}

void core_queue_journal_detach(CoreQueueJournal *qj)
{
        if (!qj)
                return;
        core_queue_set_state_hook(qj->queue, NULL, NULL);
        core_journal_sync(qj->journal);
        g_hash_table_unref(qj->tracked);
        g_free(qj->remote_cwd);
        g_mutex_clear(&qj->lock);
        g_free(qj);
}
