/* core/batch.c — a batch's data: its jobs, the empty directories of its trees, what it knows
 * exists on the server, its report; and the typed put, get, mput and mget made into batches.
 * Must not: transfer, ask or list (batch-run.c, batch-expand.c and batch-remote.c do, on the
 * command thread); a batch is made on the front end's thread. */
#include "core/batch.h"
#include <string.h>

static void tree_dir_free(gpointer data)
{
        CoreBatchDir *dir = data;
        g_free(dir->path);
        g_free(dir);
}

static void mark_free(gpointer data)
{
        CoreBatchMark *mark = data;
        g_free(mark->path);
        core_verdict_free(mark->verdict);
        g_free(mark);
}

CoreBatch *core_batch_new(CoreBatchKind kind, gboolean upload, CoreQueue *queue)
{
        CoreBatch *batch = g_new0(CoreBatch, 1);
        batch->kind = kind;
        batch->upload = upload;
        batch->queue = queue;
        batch->ask_conflicts = TRUE;
        batch->get_lists = TRUE;
        batch->jobs = g_array_new(FALSE, TRUE, sizeof(CoreBatchJob));
        batch->tree_dirs = g_ptr_array_new_with_free_func(tree_dir_free);
        batch->marks = g_ptr_array_new_with_free_func(mark_free);
        return batch;
}

void core_batch_free(gpointer data)
{
        CoreBatch *batch = data;
        if (!batch)
                return;
        g_array_unref(batch->jobs);
        g_ptr_array_unref(batch->tree_dirs);
        g_ptr_array_unref(batch->marks);
        if (batch->remote)
                g_hash_table_unref(batch->remote);
        if (batch->listed)
                g_hash_table_unref(batch->listed);
        if (batch->listings)
                g_hash_table_unref(batch->listings);
        g_strfreev(batch->args);
        g_free(batch->local_dir);
        g_free(batch->focus_local);
        g_free(batch);
}

CoreBatchJob *core_batch_add(CoreBatch *batch, guint id, gboolean tree, gint64 size, gint64 mtime)
{
        CoreBatchJob job = { .id = id, .tree = tree, .size = size, .mtime = mtime };
        g_array_append_val(batch->jobs, job);
        return &g_array_index(batch->jobs, CoreBatchJob, batch->jobs->len - 1);
}

/* ---- typed commands -------------------------------------------------------------------- */

/* put and get: the job is made when the batch runs (batch-expand.c), where the server is asked
 * what exists. args: the source and the optional destination. */
static CoreBatch *typed_one(CoreQueue *queue, CoreBatchKind kind, int argc, char **argv)
{
        CoreBatch *batch = core_batch_new(kind, kind == CORE_BATCH_PUT, queue);
        batch->args = g_new0(char *, 3);
        batch->args[0] = g_strdup(argv[1]);
        batch->args[1] = argc > 2 ? g_strdup(argv[2]) : NULL;
        return batch;
}

static CoreBatch *typed_mget(CoreQueue *queue, int argc, char **argv)
{
        CoreBatch *batch = core_batch_new(CORE_BATCH_MGET, FALSE, queue);
        int n_names = argc - 1;
        if (n_names >= 2 && g_file_test(argv[argc - 1], G_FILE_TEST_IS_DIR)) {
                /* with its '/': a directory gone by the time the batch runs names no file */
                const char *dir = argv[argc - 1];
                batch->local_dir = g_str_has_suffix(dir, "/") ? g_strdup(dir) : g_strconcat(dir, "/", NULL);
                n_names--;
        }
        batch->args = g_new0(char *, (gsize)n_names + 1);
        for (int i = 0; i < n_names; i++)
                batch->args[i] = g_strdup(argv[1 + i]);
        return batch;
}

CoreBatch *core_batch_new_typed(CoreQueue *queue, int argc, char **argv)
{
        if (strcmp(argv[0], "put") == 0)
                return typed_one(queue, CORE_BATCH_PUT, argc, argv);
        if (strcmp(argv[0], "get") == 0)
                return typed_one(queue, CORE_BATCH_GET, argc, argv);
        if (strcmp(argv[0], "mget") == 0)
                return typed_mget(queue, argc, argv);
        CoreBatch *batch = core_batch_new(CORE_BATCH_MPUT, TRUE, queue);
        batch->args = g_strdupv(argv + 1);
        return batch;
}
