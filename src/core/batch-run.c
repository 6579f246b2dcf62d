/* core/batch-run.c — a batch of queue jobs on the command thread: directories expanded into
 * their files, the conflict question for each destination that exists (uploads: on the server,
 * found in the entries given or by listing the directory; line mode's put and mput ask yes/no
 * instead), then the runs (core/queue-run.h: uploads with the scanner ahead, a resumed upload on
 * its own; core/download.h: downloads spread over the batch's connections), the empty
 * directories of the trees, then the report (refusal marks; after a download, the local name
 * that arrived), each directory job's outcome (a cancelled one says how many files arrived), and
 * for a move the deletion of each source that arrived.
 * Must not: draw or know a front end (questions go through CoreFrontend, the report stays in the
 * batch). */
#include "core/batch.h"
#include "common/i18n.h"
#include "core/browse-tree.h"
#include "core/cmd.h"
#include "core/commands.h"
#include "core/download.h"
#include "core/journal.h"
#include "core/queue-journal.h"
#include "core/safename.h"
#include "core/transfer.h"
#include "core/transfer-private.h"
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
        CoreBatch *batch;
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
static gboolean settle(CoreQueue *queue, guint id, CoreConflictAction action)
{
        if (action == CORE_CONFLICT_SKIP)
                core_queue_set_state(queue, id, CORE_JOB_SKIPPED, _("exists at the destination"));
        else if (action == CORE_CONFLICT_CANCEL)
                core_queue_set_state(queue, id, CORE_JOB_CANCELLED, NULL);
        return action != CORE_CONFLICT_SKIP && action != CORE_CONFLICT_CANCEL;
}

/* ---- uploads ------------------------------------------------------------------------- */

/* The remote path a rename chooses: the new name in the same directory. transfer full */
static char *remote_sibling(const char *dir, const char *name)
{
        return *dir ? g_strconcat(dir, "/", name, NULL) : g_strdup(name);
}

/* Line mode's put and mput: "x exists on the server. Overwrite it?"; a file kept is said, and
 * skipped before it is scanned (declined: no failure). */
static gboolean confirm_overwrite(CoreContext *ctx, CoreBatch *batch, guint id, const char *remote,
                                  CoreConflictMemory *memory)
{
        g_autofree char *shown = core_name_escape(remote);
        if (core_conflict_ask_overwrite(ctx, memory, shown) == CORE_CONFLICT_OVERWRITE)
                return TRUE;
        core_say(ctx, CORE_MSG_WARNING, _("%s was not overwritten."), shown);
        return settle(batch->queue, id, CORE_CONFLICT_SKIP);
}

/* Whether the plan asks at all: while `prompt` is on, the conflict dialog, or line mode's
 * question when a scanner could send the file (else the run says why, with no question first). */
static gboolean asks_uploads(CoreContext *ctx, const CoreBatch *batch)
{
        if (!ctx->prompt)
                return FALSE;
        if (batch->ask_conflicts)
                return TRUE;
        return batch->ask_overwrite && core_transfer_check_scanner(ctx, NULL);
}

gboolean core_batch_plan_upload(CoreContext *ctx, CoreBatch *batch, CoreBatchJob *bj, CoreConflictMemory *memory)
{
        g_autoptr(CoreJob) job = core_queue_get(batch->queue, bj->id);
        if (!job || core_job_state_is_final(job->state))
                return FALSE;
        if (memory->cancelled) /* an earlier question was cancelled: so is the rest */
                return settle(batch->queue, bj->id, CORE_CONFLICT_CANCEL);
        if (memory->quit) { /* "q" to line mode's question: the rest is left alone */
                core_queue_set_state(batch->queue, bj->id, CORE_JOB_SKIPPED, NULL);
                return FALSE;
        }
        if (!asks_uploads(ctx, batch))
                return TRUE;
        const CoreRemoteInfo *there = core_batch_remote_info(ctx, batch, job->remote);
        if (!there || there->is_dir)
                return TRUE; /* nothing to replace (STOR says why a directory cannot be) */
        if (!batch->ask_conflicts)
                return confirm_overwrite(ctx, batch, bj->id, job->remote, memory);
        const char *slash = strrchr(job->remote, '/');
        g_autofree char *dir = slash ? g_strndup(job->remote, (gsize)(slash - job->remote)) : g_strdup("");
        g_autofree char *base = g_path_get_basename(job->remote);
        RemoteDir rd = { batch, dir };
        g_autofree char *suggestion = core_conflict_free_name(base, remote_taken, &rd);
        CoreConflict conflict = { .upload = TRUE, .name = job->name, .src_size = bj->size,
                                .src_mtime = bj->mtime, .dst_size = there->size,
                                .dst_mtime = there->mtime, .suggestion = suggestion,
                                .can_resume = ctx->type == FTP_TYPE_BINARY && there->size >= 0 &&
                                              bj->size > there->size };
        g_autofree char *new_name = NULL;
        CoreConflictAction action = core_conflict_ask(ctx, memory, &conflict, &new_name);
        if (action == CORE_CONFLICT_RENAME) {
                g_autofree char *target = remote_sibling(dir, new_name);
                g_autofree char *shown = core_name_escape(target);
                core_queue_set_target(batch->queue, bj->id, shown, NULL, target);
                /* taken from now on: the next rename proposes another name */
                core_batch_remote_taken(batch, target, bj->size, bj->mtime, FALSE);
        }
        bj->resume = action == CORE_CONFLICT_RESUME;
        return settle(batch->queue, bj->id, action);
}

/* A moved file is deleted only when it is still what was copied (size and time unchanged). */
static void delete_moved_local(CoreContext *ctx, const CoreJob *job, const CoreBatchJob *bj)
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

static void add_mark(CoreBatch *batch, const char *path, const CoreVerdict *verdict)
{
        CoreBatchMark *mark = g_new0(CoreBatchMark, 1);
        mark->path = g_strdup(path);
        mark->verdict = core_verdict_copy(verdict);
        g_ptr_array_add(batch->marks, mark);
}

/* A job's outcome for the report: refused files are marked, clean ones unmarked. cwd: the
 * directory the batch's local names are relative to. */
static void note_upload(CoreContext *ctx, CoreBatch *batch, const CoreBatchJob *bj, const char *cwd)
{
        g_autoptr(CoreJob) job = core_queue_get(batch->queue, bj->id);
        if (!job)
                return;
        g_autofree char *full = g_canonicalize_filename(job->local, cwd);
        switch (job->state) {
        case CORE_JOB_INFECTED:
        case CORE_JOB_REFUSED:
                add_mark(batch, full, job->verdict);
                return;
        case CORE_JOB_DONE:
                add_mark(batch, full, NULL);
                if (batch->kind == CORE_BATCH_MOVE)
                        delete_moved_local(ctx, job, bj);
                return;
        default:
                return;
        }
}

static void flush_uploads(CoreContext *ctx, CoreBatch *batch, GArray *ids)
{
        if (ids->len > 0)
                core_queue_run_uploads(ctx, batch->queue, ids);
        g_array_set_size(ids, 0);
}

/* In the batch's order: the uploads between two resumed ones go as one run (the scanner works
 * ahead), each resumed one on its own. */
static void run_uploads(CoreContext *ctx, CoreBatch *batch)
{
        CoreConflictMemory memory = { 0 };
        g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(guint));
        for (guint i = 0; i < batch->jobs->len; i++) {
                CoreBatchJob *bj = &g_array_index(batch->jobs, CoreBatchJob, i);
                if (bj->tree || !core_batch_plan_upload(ctx, batch, bj, &memory))
                        continue;
                if (!bj->resume) {
                        g_array_append_val(ids, bj->id);
                        continue;
                }
                flush_uploads(ctx, batch, ids);
                core_queue_run_reput(ctx, batch->queue, bj->id);
        }
        flush_uploads(ctx, batch, ids);
        g_autofree char *cwd = g_get_current_dir();
        for (guint i = 0; i < batch->jobs->len; i++) {
                CoreBatchJob *bj = &g_array_index(batch->jobs, CoreBatchJob, i);
                if (!bj->tree)
                        note_upload(ctx, batch, bj, cwd);
        }
}

/* ---- downloads ----------------------------------------------------------------------- */

/* How to treat an existing local file; FALSE when the job is not to run. */
gboolean core_batch_plan_download(CoreContext *ctx, CoreBatch *batch, const CoreBatchJob *bj,
                                  CoreConflictMemory *memory, CoreQueueReplace *replace)
{
        *replace = CORE_QUEUE_REPLACE_ASK;
        g_autoptr(CoreJob) job = core_queue_get(batch->queue, bj->id);
        if (!job || core_job_state_is_final(job->state))
                return FALSE;
        if (memory->cancelled)
                return settle(batch->queue, bj->id, CORE_CONFLICT_CANCEL);
        if (!ctx->prompt || !batch->ask_conflicts)
                return TRUE; /* no question, or the core's own per file */
        g_autofree char *path = core_download_target(job->local, job->remote);
        g_autofree char *dir = g_path_get_dirname(path);
        g_autofree char *base = g_path_get_basename(path);
        struct stat st;
        if (lstat(path, &st) != 0)
                return TRUE;
        g_autofree char *suggestion = core_conflict_free_name(base, local_taken, dir);
        CoreConflict conflict = { .upload = FALSE, .name = job->name, .src_size = bj->size,
                                .src_mtime = bj->mtime, .dst_size = st.st_size, .dst_mtime = st.st_mtime,
                                .can_resume = S_ISREG(st.st_mode) && ctx->type == FTP_TYPE_BINARY &&
                                              bj->size > st.st_size,
                                .suggestion = suggestion };
        g_autofree char *new_name = NULL;
        CoreConflictAction action = core_conflict_ask(ctx, memory, &conflict, &new_name);
        if (action == CORE_CONFLICT_OVERWRITE)
                *replace = CORE_QUEUE_REPLACE_OVERWRITE;
        else if (action == CORE_CONFLICT_RESUME)
                *replace = CORE_QUEUE_REPLACE_RESUME;
        else if (action == CORE_CONFLICT_RENAME) {
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

static void note_download(CoreContext *ctx, CoreBatch *batch, const CoreBatchJob *bj)
{
        g_autoptr(CoreJob) job = core_queue_get(batch->queue, bj->id);
        if (!job || job->state != CORE_JOB_DONE || bj->parent)
                return;
        g_free(batch->focus_local);
        if (job->local && !g_file_test(job->local, G_FILE_TEST_IS_DIR))
                batch->focus_local = g_path_get_basename(job->local); /* renamed */
        else
                batch->focus_local = g_path_get_basename(job->remote);
        if (batch->kind != CORE_BATCH_MOVE)
                return;
        const char *argv[] = { "delete", job->remote, NULL };
        core_cmd_run_argv(ctx, (char **)argv, NULL);
}

/* The batch's file jobs (not its directories'), and their bytes as far as known. */
static guint count_files(CoreBatch *batch, guint64 *bytes)
{
        guint n = 0;
        *bytes = 0;
        for (guint i = 0; i < batch->jobs->len; i++) {
                const CoreBatchJob *bj = &g_array_index(batch->jobs, CoreBatchJob, i);
                if (bj->tree)
                        continue;
                n++;
                *bytes += (guint64)MAX(bj->size, 0);
        }
        return n;
}

/* "3 files downloaded, 1 skipped, 1 failed.": the files, and the names that made no job. */
static void say_download_tally(CoreContext *ctx, CoreBatch *batch)
{
        guint done = 0, skipped = batch->left_out, failed = batch->failures;
        for (guint i = 0; i < batch->jobs->len; i++) {
                const CoreBatchJob *bj = &g_array_index(batch->jobs, CoreBatchJob, i);
                g_autoptr(CoreJob) job = bj->tree ? NULL : core_queue_get(batch->queue, bj->id);
                done += job && job->state == CORE_JOB_DONE;
                skipped += job && (job->state == CORE_JOB_SKIPPED || job->state == CORE_JOB_CANCELLED);
                failed += job && job->state == CORE_JOB_FAILED;
        }
        if (done + skipped + failed > 1)
                core_say(ctx, CORE_MSG_INFO, _("%u files downloaded, %u skipped, %u failed."), done, skipped, failed);
}

/* The base a tree's file is placed under: its directory job's local directory. */
static char *tree_base(CoreBatch *batch, const CoreBatchJob *bj) /* transfer full */
{
        if (!bj->parent)
                return NULL;
        g_autoptr(CoreJob) dir = core_queue_get(batch->queue, bj->parent);
        return g_strdup(dir && dir->local ? dir->local : ".");
}

static void run_downloads(CoreContext *ctx, CoreBatch *batch)
{
        CoreConflictMemory memory = { 0 };
        guint64 bytes;
        guint files = count_files(batch, &bytes);
        g_autoptr(CoreDownload) dl = core_download_new(ctx, batch->queue, files, bytes, 0);
        for (guint i = 0; i < batch->jobs->len; i++) {
                CoreBatchJob *bj = &g_array_index(batch->jobs, CoreBatchJob, i);
                CoreQueueReplace replace;
                if (bj->tree || !core_batch_plan_download(ctx, batch, bj, &memory, &replace))
                        continue;
                g_autofree char *base = tree_base(batch, bj);
                core_download_start(dl, bj->id, base, bj->size, bj->mtime_exact ? bj->mtime : -1, replace);
        }
        g_clear_pointer(&dl, core_download_free);
        for (guint i = 0; i < batch->jobs->len; i++) {
                const CoreBatchJob *bj = &g_array_index(batch->jobs, CoreBatchJob, i);
                if (!bj->tree)
                        note_download(ctx, batch, bj);
        }
        say_download_tally(ctx, batch);
}

/* ---- directory jobs ------------------------------------------------------------------- */

/* The empty directories of the trees not cancelled, made at the destination: on the server for
 * uploads, here (inside the download's directory, no symlink followed) for downloads. */
static void make_tree_dirs(CoreContext *ctx, CoreBatch *batch)
{
        g_autoptr(GPtrArray) remote = g_ptr_array_new();
        for (guint i = 0; i < batch->tree_dirs->len; i++) {
                const CoreBatchDir *td = g_ptr_array_index(batch->tree_dirs, i);
                g_autoptr(CoreJob) dir = core_queue_get(batch->queue, td->parent);
                if (!dir || dir->cancel_requested || core_job_state_is_final(dir->state))
                        continue;
                if (batch->upload)
                        g_ptr_array_add(remote, td->path);
                else
                        (void)make_local_dirs(ctx, dir->local ? dir->local : ".", td->path);
        }
        g_autoptr(GError) error = NULL;
        if (!core_browse_make_dirs(ctx, remote, NULL, &error))
                core_fail(ctx, error);
}

typedef struct {
        guint files, done, refused, cancelled;
} TreeCount;

static TreeCount count_tree(CoreBatch *batch, guint dir_id)
{
        TreeCount n = { 0 };
        for (guint i = 0; i < batch->jobs->len; i++) {
                const CoreBatchJob *bj = &g_array_index(batch->jobs, CoreBatchJob, i);
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

static void finish_tree(CoreBatch *batch, const CoreBatchJob *dir)
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
                g_free(batch->focus_local);
                batch->focus_local = g_path_get_basename(job->remote);
        }
}

void core_batch_finish_trees(CoreBatch *batch)
{
        for (guint i = 0; i < batch->jobs->len; i++) {
                const CoreBatchJob *bj = &g_array_index(batch->jobs, CoreBatchJob, i);
                if (bj->tree)
                        finish_tree(batch, bj);
        }
}

/* Line mode's mput and mget: the user picks the files before anything is scanned or fetched; a
 * declined one is skipped. */
static void ask_each(CoreContext *ctx, CoreBatch *batch)
{
        if (batch->upload && !core_transfer_check_scanner(ctx, NULL))
                return; /* nothing can be uploaded: the run says why, with no question first */
        CoreAsker asker = { 0 };
        for (guint i = 0; i < batch->jobs->len; i++) {
                const CoreBatchJob *bj = &g_array_index(batch->jobs, CoreBatchJob, i);
                g_autoptr(CoreJob) job = core_queue_get(batch->queue, bj->id);
                if (!job)
                        continue;
                g_autofree char *question = g_strdup_printf(batch->upload ? _("Upload %s?") : _("Download %s?"),
                                                            job->name);
                if (!core_asker_confirm(ctx, &asker, question))
                        core_queue_set_state(batch->queue, bj->id, CORE_JOB_SKIPPED, NULL);
        }
}

/* The full screen's batches come here without a command line: the connection the server dropped
 * while idle is logged in again first (a typed command did that already). */
static gboolean ensure_connected(CoreContext *ctx, CoreBatch *batch)
{
        g_autoptr(GError) error = NULL;
        if (core_connection_ensure(ctx, &error))
                return TRUE;
        for (guint i = 0; i < batch->jobs->len; i++)
                core_queue_set_state(batch->queue, g_array_index(batch->jobs, CoreBatchJob, i).id, CORE_JOB_FAILED,
                                     error->message);
        core_fail(ctx, error);
        return FALSE;
}

/* The batch's file jobs in the journal (when ctx keeps one): a crash, a kill or a quit from now
 * on leaves them to be offered again. */
static CoreQueueJournal *journal_batch(CoreContext *ctx, CoreBatch *batch)
{
        if (!ctx->journal)
                return NULL;
        g_autofree char *cwd = core_queue_journal_remote_cwd(ctx);
        CoreQueueJournal *qj = core_queue_journal_attach(ctx, batch->queue, cwd);
        for (guint i = 0; qj && i < batch->jobs->len; i++) {
                const CoreBatchJob *bj = &g_array_index(batch->jobs, CoreBatchJob, i);
                g_autofree char *base = batch->upload || bj->tree ? NULL : tree_base(batch, bj);
                if (!bj->tree)
                        core_queue_journal_track(qj, bj->id, base, bj->size, bj->mtime, 0);
        }
        return qj;
}

static void journal_done(CoreContext *ctx, CoreQueueJournal *qj)
{
        g_autoptr(GError) error = NULL;
        core_queue_journal_detach(qj);
        if (ctx->journal && !core_journal_take_error(ctx->journal, &error))
                core_say(ctx, CORE_MSG_WARNING, "%s", error->message);
}

void core_batch_run(CoreContext *ctx, CoreBatch *batch)
{
        if (!ensure_connected(ctx, batch) || !core_batch_expand(ctx, batch))
                return;
        if (batch->ask_each)
                ask_each(ctx, batch);
        core_batch_expand_trees(ctx, batch);
        CoreQueueJournal *journal = journal_batch(ctx, batch);
        if (batch->upload)
                run_uploads(ctx, batch);
        else
                run_downloads(ctx, batch);
        journal_done(ctx, journal);
        make_tree_dirs(ctx, batch);
        core_batch_finish_trees(batch);
}
