/* ui/transfers-run.c — a batch of queue jobs on the command thread: directories expanded into
 * their files, the conflict question for each destination that exists (uploads: on the server,
 * found in the pane or by listing the directory), then the runs (core/queue-run.h: uploads with
 * the scanner ahead, a resumed upload on its own, downloads one by one), the empty directories of
 * the trees, then what the panes need (refusal marks; after a download, the local cursor's new
 * place — the remote cursor stays on its name), each directory job's outcome (a cancelled one
 * says how many files arrived), and for a move the deletion of each source that arrived.
 * Must not: call curses or touch the panes (results go back in UiJobResult). */
#include "ui/conflict.h"
#include "ui/transfers.h"
#include "common/i18n.h"
#include "core/browse-tree.h"
#include "core/cmd.h"
#include "core/glob.h"
#include "core/queue-run.h"
#include "core/safename.h"
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
        UiBatch *batch;
        const char *dir; /* the remote directory the new name goes into ("" : the current) */
} RemoteDir;

static gboolean remote_taken(const char *name, gpointer data)
{
        RemoteDir *rd = data;
        g_autofree char *path = *rd->dir ? g_strconcat(rd->dir, "/", name, NULL) : g_strdup(name);
        return g_hash_table_contains(rd->batch->remote, path);
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

/* The remote path a rename chooses: the new name in the same directory. transfer full */
static char *remote_sibling(const char *dir, const char *name)
{
        return *dir ? g_strconcat(dir, "/", name, NULL) : g_strdup(name);
}

static gboolean upload_wanted(CoreContext *ctx, UiBatch *batch, UiBatchJob *bj, UiConflictMemory *memory)
{
        g_autoptr(CoreJob) job = core_queue_get(batch->queue, bj->id);
        if (!job || core_job_state_is_final(job->state))
                return FALSE;
        if (!ctx->prompt)
                return TRUE;
        const UiRemoteInfo *there = ui_batch_remote_info(ctx, batch, job->remote);
        if (!there || there->is_dir)
                return TRUE; /* nothing to replace (STOR says why a directory cannot be) */
        const char *slash = strrchr(job->remote, '/');
        g_autofree char *dir = slash ? g_strndup(job->remote, (gsize)(slash - job->remote)) : g_strdup("");
        g_autofree char *base = g_path_get_basename(job->remote);
        RemoteDir rd = { batch, dir };
        g_autofree char *suggestion = ui_conflict_free_name(base, remote_taken, &rd);
        UiConflict conflict = { .upload = TRUE, .name = job->name, .src_size = bj->size,
                                .src_mtime = bj->mtime, .dst_size = there->size,
                                .dst_mtime = there->mtime, .suggestion = suggestion,
                                .can_resume = ctx->type == FTP_TYPE_BINARY && there->size >= 0 &&
                                              bj->size > there->size };
        g_autofree char *new_name = NULL;
        UiConflictAction action = ui_conflict_ask(batch->bridge, memory, &conflict, &new_name);
        if (action == UI_CONFLICT_RENAME) {
                g_autofree char *target = remote_sibling(dir, new_name);
                g_autofree char *shown = core_name_escape(target);
                core_queue_set_target(batch->queue, bj->id, shown, NULL, target);
                /* taken from now on: the next rename proposes another name */
                ui_batch_remote_taken(batch, target, bj->size, bj->mtime);
        }
        bj->resume = action == UI_CONFLICT_RESUME;
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
                if (batch->kind == UI_BATCH_MOVE)
                        delete_moved_local(ctx, job, bj);
                return;
        default:
                return;
        }
}

static void flush_uploads(CoreContext *ctx, UiBatch *batch, GArray *ids)
{
        if (ids->len > 0)
                core_queue_run_uploads(ctx, batch->queue, ids);
        g_array_set_size(ids, 0);
}

/* In the batch's order: the uploads between two resumed ones go as one run (the scanner works
 * ahead), each resumed one on its own. */
static void run_uploads(CoreContext *ctx, UiBatch *batch, UiJobResult *result)
{
        UiConflictMemory memory = { 0 };
        g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(guint));
        for (guint i = 0; i < batch->jobs->len; i++) {
                UiBatchJob *bj = &g_array_index(batch->jobs, UiBatchJob, i);
                if (bj->tree || !upload_wanted(ctx, batch, bj, &memory))
                        continue;
                if (!bj->resume) {
                        g_array_append_val(ids, bj->id);
                        continue;
                }
                flush_uploads(ctx, batch, ids);
                core_queue_run_reput(ctx, batch->queue, bj->id);
        }
        flush_uploads(ctx, batch, ids);
        for (guint i = 0; i < batch->jobs->len; i++) {
                UiBatchJob *bj = &g_array_index(batch->jobs, UiBatchJob, i);
                if (!bj->tree)
                        note_upload(ctx, batch, bj, result);
        }
}

/* ---- downloads ----------------------------------------------------------------------- */

/* Where a download job writes: into its local directory (NULL: the current one) under the
 * remote base name, or the local path itself when it names no directory. transfer full */
static char *download_target(const CoreJob *job)
{
        if (job->local && !g_file_test(job->local, G_FILE_TEST_IS_DIR))
                return g_strdup(job->local);
        g_autofree char *base = g_path_get_basename(job->remote);
        return g_build_filename(job->local ? job->local : ".", base, NULL);
}

/* How to treat an existing local file; FALSE when the job is not to run. */
static gboolean download_wanted(CoreContext *ctx, UiBatch *batch, const UiBatchJob *bj,
                                UiConflictMemory *memory, CoreQueueReplace *replace)
{
        *replace = CORE_QUEUE_REPLACE_ASK;
        g_autoptr(CoreJob) job = core_queue_get(batch->queue, bj->id);
        if (!job || core_job_state_is_final(job->state))
                return FALSE;
        if (bj->pattern || !ctx->prompt)
                return TRUE; /* no question, or the core's own per file */
        g_autofree char *path = download_target(job);
        g_autofree char *dir = g_path_get_dirname(path);
        g_autofree char *base = g_path_get_basename(path);
        struct stat st;
        if (lstat(path, &st) != 0)
                return TRUE;
        g_autofree char *suggestion = ui_conflict_free_name(base, local_taken, dir);
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

/* The directories between a downloaded tree's base and `dir` (inside base only), made without
 * following a symlink planted on the way. */
static gboolean make_local_dirs(CoreContext *ctx, const char *base, const char *dir)
{
        if (!g_str_has_prefix(dir, base))
                return TRUE;
        g_autoptr(GError) error = NULL;
        int fd = core_local_dir_open(base, &error);
        g_auto(GStrv) parts = g_strsplit(dir + strlen(base), "/", -1);
        for (char **p = parts; fd >= 0 && *p; p++) {
                if (!**p)
                        continue;
                int sub = core_local_subdir_open(fd, *p, TRUE, &error);
                close(fd);
                fd = sub;
        }
        if (fd < 0) {
                core_fail(ctx, error);
                return FALSE;
        }
        close(fd);
        return TRUE;
}

static gboolean make_local_parents(CoreContext *ctx, const char *base, const char *target)
{
        g_autofree char *parent = g_path_get_dirname(target);
        return make_local_dirs(ctx, base, parent);
}

static gboolean prepare_tree_file(CoreContext *ctx, UiBatch *batch, const UiBatchJob *bj)
{
        if (!bj->parent)
                return TRUE;
        g_autoptr(CoreJob) dir = core_queue_get(batch->queue, bj->parent);
        g_autoptr(CoreJob) job = core_queue_get(batch->queue, bj->id);
        if (!dir || !job || make_local_parents(ctx, dir->local ? dir->local : ".", job->local))
                return TRUE;
        core_queue_set_state(batch->queue, bj->id, CORE_JOB_FAILED, _("its local directory cannot be made"));
        return FALSE;
}

static void note_download(CoreContext *ctx, UiBatch *batch, const UiBatchJob *bj, UiJobResult *result)
{
        g_autoptr(CoreJob) job = core_queue_get(batch->queue, bj->id);
        if (!job || job->state != CORE_JOB_DONE || bj->parent)
                return;
        g_free(result->focus_local);
        if (job->local && !g_file_test(job->local, G_FILE_TEST_IS_DIR))
                result->focus_local = g_path_get_basename(job->local); /* renamed */
        else
                result->focus_local = bj->pattern ? core_glob_unescape(job->remote)
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
                if (bj->tree || !download_wanted(ctx, batch, bj, &memory, &replace) ||
                    !prepare_tree_file(ctx, batch, bj))
                        continue;
                core_queue_run_download(ctx, batch->queue, bj->id, bj->pattern, replace);
                note_download(ctx, batch, bj, result);
        }
}

/* ---- directory jobs ------------------------------------------------------------------- */

/* The empty directories of the trees not cancelled, made at the destination: on the server for
 * uploads, here (inside the download's directory, no symlink followed) for downloads. */
static void make_tree_dirs(CoreContext *ctx, UiBatch *batch)
{
        g_autoptr(GPtrArray) remote = g_ptr_array_new();
        for (guint i = 0; i < batch->tree_dirs->len; i++) {
                const UiTreeDir *td = g_ptr_array_index(batch->tree_dirs, i);
                g_autoptr(CoreJob) dir = core_queue_get(batch->queue, td->parent);
                if (!dir || dir->cancel_requested || core_job_state_is_final(dir->state))
                        continue;
                if (batch->upload)
                        g_ptr_array_add(remote, td->path);
                else
                        (void)make_local_dirs(ctx, dir->local ? dir->local : ".", td->path);
        }
        g_autoptr(GError) error = NULL;
        if (!core_browse_make_dirs(ctx, remote, &error))
                core_fail(ctx, error);
}

typedef struct {
        guint files, done, refused, cancelled;
} TreeCount;

static TreeCount count_tree(UiBatch *batch, guint dir_id)
{
        TreeCount n = { 0 };
        for (guint i = 0; i < batch->jobs->len; i++) {
                const UiBatchJob *bj = &g_array_index(batch->jobs, UiBatchJob, i);
                g_autoptr(CoreJob) job = bj->parent == dir_id ? core_queue_get(batch->queue, bj->id) : NULL;
                if (!job)
                        continue;
                n.files++;
                n.done += job->state == CORE_JOB_DONE;
                n.refused += job->state == CORE_JOB_INFECTED || job->state == CORE_JOB_REFUSED;
                n.cancelled += job->state == CORE_JOB_CANCELLED || job->state == CORE_JOB_SKIPPED;
        }
        return n;
}

/* A directory's job ends with its files: done when every one arrived, cancelled (saying how many
 * had arrived) when it was cancelled or every other file was, else failed with how many did not. */
static void finish_tree(UiBatch *batch, const UiBatchJob *dir, UiJobResult *result)
{
        TreeCount n = count_tree(batch, dir->id);
        g_autoptr(CoreJob) job = core_queue_get(batch->queue, dir->id);
        g_autofree char *detail = g_strdup_printf(ngettext("%u of %u file", "%u of %u files", n.files),
                                                  n.done, n.files);
        if (job && job->cancel_requested) {
                core_queue_set_state(batch->queue, dir->id, CORE_JOB_CANCELLED, detail);
        } else if (n.done == n.files) {
                core_queue_set_state(batch->queue, dir->id, CORE_JOB_DONE, detail);
        } else if (n.cancelled == n.files - n.done && n.refused == 0) {
                core_queue_set_state(batch->queue, dir->id, CORE_JOB_CANCELLED, detail);
        } else {
                g_autofree char *why = g_strdup_printf(_("%s arrived, %u refused by the scanner"), detail, n.refused);
                core_queue_set_state(batch->queue, dir->id, CORE_JOB_FAILED, why);
        }
        /* a download puts the local cursor on the directory; the remote cursor stays where it is */
        if (!batch->upload && job && job->remote && n.done > 0) {
                g_free(result->focus_local);
                result->focus_local = g_path_get_basename(job->remote);
        }
}

void ui_batch_run(CoreContext *ctx, gpointer data, UiJobResult *result)
{
        UiBatch *batch = data;
        if (!ui_batch_expand(ctx, batch))
                return;
        ui_batch_expand_trees(ctx, batch);
        if (batch->upload)
                run_uploads(ctx, batch, result);
        else
                run_downloads(ctx, batch, result);
        make_tree_dirs(ctx, batch);
        for (guint i = 0; i < batch->jobs->len; i++) {
                const UiBatchJob *bj = &g_array_index(batch->jobs, UiBatchJob, i);
                if (bj->tree)
                        finish_tree(batch, bj, result);
        }
}
