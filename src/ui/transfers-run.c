/* ui/transfers-run.c — a batch of queue jobs on the command thread: the conflict question for
 * each destination that exists, then the runs (core/queue-run.h: uploads with the scanner ahead,
 * downloads one by one), then what the panes need (refusal marks, the cursor's new place), and
 * for a move the deletion of each source that arrived.
 * Must not: call curses or touch the panes (results go back in UiJobResult). */
#include "ui/conflict.h"
#include "ui/transfers.h"
#include "common/i18n.h"
#include "core/cmd.h"
#include "core/glob.h"
#include "core/queue-run.h"
#include "core/safename.h"
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

static gboolean remote_taken(const char *name, gpointer data)
{
        return g_hash_table_contains(data, name);
}

static gboolean local_taken(const char *name, gpointer data)
{
        g_autofree char *path = g_build_filename(data, name, NULL);
        struct stat st;
        return lstat(path, &st) == 0;
}

/* Settles an existing destination; FALSE when the job is not to run (skipped or cancelled). */
static gboolean settle(CoreQueue *queue, guint id, UiConflictAction action)
{
        if (action == UI_CONFLICT_SKIP)
                core_queue_set_state(queue, id, CORE_JOB_SKIPPED, _("exists at the destination"));
        else if (action == UI_CONFLICT_CANCEL)
                core_queue_set_state(queue, id, CORE_JOB_CANCELLED, NULL);
        return action != UI_CONFLICT_SKIP && action != UI_CONFLICT_CANCEL;
}

/* ---- uploads ------------------------------------------------------------------------- */

static gboolean upload_wanted(CoreContext *ctx, UiBatch *batch, const UiBatchJob *bj,
                              UiConflictMemory *memory)
{
        g_autoptr(CoreJob) job = core_queue_get(batch->queue, bj->id);
        if (!job || core_job_state_is_final(job->state))
                return FALSE;
        const UiRemoteInfo *there = batch->remote ? g_hash_table_lookup(batch->remote, job->remote) : NULL;
        if (!there || !ctx->prompt)
                return TRUE;
        g_autofree char *suggestion = ui_conflict_free_name(job->remote, remote_taken, batch->remote);
        UiConflict conflict = { .upload = TRUE, .name = job->name, .src_size = bj->size,
                                .src_mtime = bj->mtime, .dst_size = there->size,
                                .dst_mtime = there->mtime, .suggestion = suggestion };
        g_autofree char *new_name = NULL;
        UiConflictAction action = ui_conflict_ask(batch->bridge, memory, &conflict, &new_name);
        if (action == UI_CONFLICT_RENAME) {
                g_autofree char *shown = core_name_escape(new_name);
                core_queue_set_target(batch->queue, bj->id, shown, NULL, new_name);
                /* taken from now on: the next rename proposes another name */
                UiRemoteInfo *info = g_new0(UiRemoteInfo, 1);
                *info = (UiRemoteInfo){ .size = bj->size, .mtime = bj->mtime };
                g_hash_table_replace(batch->remote, g_strdup(new_name), info);
        }
        return settle(batch->queue, bj->id, action);
}

/* A moved file is deleted only when it is still what was copied (size and time unchanged). */
static void delete_moved_local(CoreContext *ctx, const CoreJob *job, const UiBatchJob *bj)
{
        struct stat st;
        if (lstat(job->local, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size != bj->size ||
            st.st_mtime != bj->mtime) {
                core_say(ctx, CORE_MSG_WARNING, _("%s changed after it was copied: not deleted."), job->name);
                return;
        }
        if (g_unlink(job->local) != 0)
                core_say(ctx, CORE_MSG_ERROR, _("Cannot delete %s: %s"), job->name, g_strerror(errno));
}

/* A job's outcome for the local pane: refused files are marked, clean ones unmarked. */
static void note_upload(CoreContext *ctx, UiBatch *batch, const UiBatchJob *bj, UiJobResult *result)
{
        g_autoptr(CoreJob) job = core_queue_get(batch->queue, bj->id);
        if (!job)
                return;
        g_autofree char *cwd = g_get_current_dir();
        g_autofree char *full = g_canonicalize_filename(job->local, cwd);
        switch (job->state) {
        case CORE_JOB_INFECTED:
                ui_job_result_add_refusal(result, full, job->detail);
                return;
        case CORE_JOB_REFUSED:
                ui_job_result_add_refusal(result, full, _("no verdict from the scanner"));
                return;
        case CORE_JOB_DONE:
                ui_job_result_add_refusal(result, full, NULL);
                g_free(result->focus_remote);
                result->focus_remote = job->remote ? g_path_get_basename(job->remote) : NULL;
                if (batch->kind == UI_BATCH_MOVE)
                        delete_moved_local(ctx, job, bj);
                return;
        default:
                return;
        }
}

static void run_uploads(CoreContext *ctx, UiBatch *batch, UiJobResult *result)
{
        if (batch->kind == UI_BATCH_PUT) {
                core_queue_run_put(ctx, batch->queue, g_array_index(batch->jobs, UiBatchJob, 0).id);
        } else {
                UiConflictMemory memory = { 0 };
                g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(guint));
                for (guint i = 0; i < batch->jobs->len; i++) {
                        UiBatchJob *bj = &g_array_index(batch->jobs, UiBatchJob, i);
                        if (upload_wanted(ctx, batch, bj, &memory))
                                g_array_append_val(ids, bj->id);
                }
                if (ids->len > 0)
                        core_queue_run_uploads(ctx, batch->queue, ids);
        }
        for (guint i = 0; i < batch->jobs->len; i++)
                note_upload(ctx, batch, &g_array_index(batch->jobs, UiBatchJob, i), result);
}

/* ---- downloads ----------------------------------------------------------------------- */

/* How to treat an existing local file; FALSE when the job is not to run. */
static gboolean download_wanted(CoreContext *ctx, UiBatch *batch, const UiBatchJob *bj,
                                UiConflictMemory *memory, CoreQueueReplace *replace)
{
        *replace = CORE_QUEUE_REPLACE_ASK;
        g_autoptr(CoreJob) job = core_queue_get(batch->queue, bj->id);
        if (!job || core_job_state_is_final(job->state))
                return FALSE;
        if (bj->tree || batch->kind == UI_BATCH_GET || !ctx->prompt)
                return TRUE; /* no question, or the core's own per file */
        const char *dir = job->local ? job->local : ".";
        g_autofree char *path = g_build_filename(dir, job->remote, NULL);
        struct stat st;
        if (lstat(path, &st) != 0)
                return TRUE;
        g_autofree char *suggestion = ui_conflict_free_name(job->remote, local_taken, (gpointer)dir);
        UiConflict conflict = { .upload = FALSE, .name = job->name, .src_size = bj->size,
                                .src_mtime = bj->mtime, .dst_size = st.st_size, .dst_mtime = st.st_mtime,
                                .can_resume = S_ISREG(st.st_mode) && ctx->type == FTP_TYPE_BINARY &&
                                              bj->size > st.st_size,
                                .suggestion = suggestion };
        g_autofree char *new_name = NULL;
        UiConflictAction action = ui_conflict_ask(batch->bridge, memory, &conflict, &new_name);
        if (action == UI_CONFLICT_OVERWRITE)
                *replace = CORE_QUEUE_REPLACE_OVERWRITE;
        else if (action == UI_CONFLICT_RESUME)
                *replace = CORE_QUEUE_REPLACE_RESUME;
        else if (action == UI_CONFLICT_RENAME) {
                g_autofree char *target = g_build_filename(dir, new_name, NULL);
                core_queue_set_target(batch->queue, bj->id, NULL, target, NULL);
        }
        return settle(batch->queue, bj->id, action);
}

static void note_download(CoreContext *ctx, UiBatch *batch, const UiBatchJob *bj, UiJobResult *result)
{
        g_autoptr(CoreJob) job = core_queue_get(batch->queue, bj->id);
        if (!job || job->state != CORE_JOB_DONE)
                return;
        g_free(result->focus_local);
        if (job->local && !g_file_test(job->local, G_FILE_TEST_IS_DIR))
                result->focus_local = g_path_get_basename(job->local); /* renamed */
        else
                result->focus_local = bj->tree ? core_glob_unescape(job->remote)
                                               : g_path_get_basename(job->remote);
        if (batch->kind != UI_BATCH_MOVE)
                return;
        const char *argv[] = { "delete", job->remote, NULL };
        core_cmd_run_argv(ctx, (char **)argv, NULL);
}

static void run_downloads(CoreContext *ctx, UiBatch *batch, UiJobResult *result)
{
        UiConflictMemory memory = { 0 };
        for (guint i = 0; i < batch->jobs->len; i++) {
                UiBatchJob *bj = &g_array_index(batch->jobs, UiBatchJob, i);
                CoreQueueReplace replace;
                if (!download_wanted(ctx, batch, bj, &memory, &replace))
                        continue;
                core_queue_run_download(ctx, batch->queue, bj->id, bj->tree, replace);
                note_download(ctx, batch, bj, result);
        }
}

void ui_batch_run(CoreContext *ctx, gpointer data, UiJobResult *result)
{
        UiBatch *batch = data;
        if ((batch->kind == UI_BATCH_MPUT || batch->kind == UI_BATCH_MGET) && !ui_batch_expand(ctx, batch))
                return;
        if (batch->upload)
                run_uploads(ctx, batch, result);
        else
                run_downloads(ctx, batch, result);
}
