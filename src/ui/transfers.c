/* ui/transfers.c — F5 (copy), Shift-F6 (move) and the typed put/get/mput/mget as queue jobs:
 * on the UI thread, what is selected becomes waiting jobs at once, and one batch is handed to
 * the command thread (transfers-run.c), so the queue view shows them before they start.
 * Must not: transfer, ask, or call curses; uploads always go through the scanner (the runner). */
#include "ui/app.h"
#include "ui/transfers.h"
#include "ui/ui.h"
#include "common/i18n.h"
#include "core/safename.h"
#include <string.h>

static void tree_dir_free(gpointer data)
{
        UiTreeDir *dir = data;
        g_free(dir->path);
        g_free(dir);
}

UiBatch *ui_batch_new(UiBatchKind kind, gboolean upload, CoreQueue *queue, UiBridge *bridge)
{
        UiBatch *batch = g_new0(UiBatch, 1);
        batch->kind = kind;
        batch->upload = upload;
        batch->queue = queue;
        batch->bridge = bridge;
        batch->jobs = g_array_new(FALSE, TRUE, sizeof(UiBatchJob));
        batch->tree_dirs = g_ptr_array_new_with_free_func(tree_dir_free);
        return batch;
}

void ui_batch_free(gpointer data)
{
        UiBatch *batch = data;
        g_array_unref(batch->jobs);
        g_ptr_array_unref(batch->tree_dirs);
        if (batch->remote)
                g_hash_table_unref(batch->remote);
        if (batch->listed)
                g_hash_table_unref(batch->listed);
        g_strfreev(batch->args);
        g_free(batch->local_dir);
        g_free(batch);
}

UiBatchJob *ui_batch_add(UiBatch *batch, guint id, gboolean tree, gint64 size, gint64 mtime)
{
        UiBatchJob job = { .id = id, .tree = tree, .size = size, .mtime = mtime };
        g_array_append_val(batch->jobs, job);
        return &g_array_index(batch->jobs, UiBatchJob, batch->jobs->len - 1);
}

char *ui_glob_escape(const char *name)
{
        GString *out = g_string_new(NULL);
        for (const char *p = name; *p; p++) {
                if (strchr("*?[]\\", *p))
                        g_string_append_c(out, '\\');
                g_string_append_c(out, *p);
        }
        return g_string_free(out, FALSE);
}

/* The remote pane's entries by name, for the conflict question of uploads. */
static GHashTable *remote_names(UiPane *remote)
{
        GHashTable *names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        for (guint i = 0; i < remote->all->len; i++) {
                UiEntry *entry = g_ptr_array_index(remote->all, i);
                if (entry->is_parent)
                        continue;
                UiRemoteInfo *info = g_new0(UiRemoteInfo, 1);
                *info = (UiRemoteInfo){ .size = entry->size, .mtime = entry->mtime, .is_dir = entry->is_dir };
                g_hash_table_insert(names, g_strdup(entry->name), info);
        }
        return names;
}

static gboolean check_connected(UiApp *app, GError **error)
{
        if (app->connected)
                return TRUE;
        g_set_error_literal(error, UI_ERROR, UI_ERROR_USAGE,
                            _("Not connected: use `:open <host> [port]` first."));
        return FALSE;
}

/* One job per selected entry of the active pane; a directory is copied whole, either way (its
 * files become jobs of their own when the batch runs), but not moved — said once each. */
static void add_entries(UiApp *app, UiBatch *batch, gboolean move)
{
        UiPane *pane = ui_app_active_pane(app);
        UiPane *other = ui_app_other_pane(app);
        g_autoptr(GPtrArray) names = ui_pane_targets(pane);
        for (guint i = 0; i < names->len; i++) {
                UiEntry *entry = ui_pane_entry(pane, g_ptr_array_index(names, i));
                if (!entry)
                        continue;
                if (entry->is_dir && move) {
                        ui_app_say(app, CORE_MSG_WARNING, _("%s is a directory: not moved (copy it with F5)."),
                                   entry->shown);
                        continue;
                }
                g_autofree char *shown = entry->is_dir ? g_strconcat(entry->shown, "/", NULL)
                                                       : g_strdup(entry->shown);
                guint id;
                if (batch->upload) {
                        g_autofree char *local = ui_pane_path_of(pane, entry->name);
                        id = core_queue_add(batch->queue, CORE_JOB_UPLOAD, shown, local, entry->name);
                } else {
                        id = core_queue_add(batch->queue, CORE_JOB_DOWNLOAD, shown, other->path, entry->name);
                }
                ui_batch_add(batch, id, entry->is_dir, entry->size, entry->mtime);
        }
}

gboolean ui_transfers_copy(UiApp *app, gboolean move, GError **error)
{
        if (!check_connected(app, error))
                return FALSE;
        UiPane *pane = ui_app_active_pane(app);
        UiPane *other = ui_app_other_pane(app);
        if (!pane->path || !other->path) {
                g_set_error_literal(error, UI_ERROR, UI_ERROR_USAGE, _("Nothing to act on here."));
                return FALSE;
        }
        UiBatch *batch = ui_batch_new(move ? UI_BATCH_MOVE : UI_BATCH_COPY, !pane->remote, app->queue,
                                      app->bridge);
        add_entries(app, batch, move);
        if (batch->jobs->len == 0) {
                ui_batch_free(batch);
                g_set_error_literal(error, UI_ERROR, UI_ERROR_USAGE, _("Nothing to copy here."));
                return FALSE;
        }
        if (batch->upload) {
                batch->remote = remote_names(other);
                batch->listed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
                g_hash_table_add(batch->listed, g_strdup("")); /* the pane shows the current directory */
        }
        ui_pane_clear_selection(pane);
        /* the remote pane changes with an upload, and with a move down (its sources deleted) */
        ui_commander_run_func(app->commander, ui_batch_run, batch, ui_batch_free, batch->upload || move);
        return TRUE;
}

/* ---- typed commands -------------------------------------------------------------------- */

/* put and get: the job is made when the batch runs (transfers-expand.c), where the server is
 * asked what exists. args: the source and the optional destination. */
static UiBatch *typed_one(UiApp *app, UiBatchKind kind, int argc, char **argv)
{
        UiBatch *batch = ui_batch_new(kind, kind == UI_BATCH_PUT, app->queue, app->bridge);
        batch->args = g_new0(char *, 3);
        batch->args[0] = g_strdup(argv[1]);
        batch->args[1] = argc > 2 ? g_strdup(argv[2]) : NULL;
        return batch;
}

/* mget's last argument is the local directory when there are two or more and it is one. */
static UiBatch *typed_mget(UiApp *app, int argc, char **argv)
{
        UiBatch *batch = ui_batch_new(UI_BATCH_MGET, FALSE, app->queue, app->bridge);
        int n_names = argc - 1;
        if (n_names >= 2 && g_file_test(argv[argc - 1], G_FILE_TEST_IS_DIR)) {
                batch->local_dir = g_strdup(argv[argc - 1]);
                n_names--;
        }
        batch->args = g_new0(char *, (gsize)n_names + 1);
        for (int i = 0; i < n_names; i++)
                batch->args[i] = g_strdup(argv[1 + i]);
        return batch;
}

static UiBatch *typed_mput(UiApp *app, int argc, char **argv)
{
        UiBatch *batch = ui_batch_new(UI_BATCH_MPUT, TRUE, app->queue, app->bridge);
        batch->args = g_strdupv(argv + 1);
        return batch;
}

gboolean ui_transfers_typed(UiApp *app, int argc, char **argv, GError **error)
{
        if (!check_connected(app, error))
                return FALSE;
        UiBatch *batch;
        if (strcmp(argv[0], "put") == 0)
                batch = typed_one(app, UI_BATCH_PUT, argc, argv);
        else if (strcmp(argv[0], "get") == 0)
                batch = typed_one(app, UI_BATCH_GET, argc, argv);
        else if (strcmp(argv[0], "mget") == 0)
                batch = typed_mget(app, argc, argv);
        else
                batch = typed_mput(app, argc, argv);
        ui_commander_run_func(app->commander, ui_batch_run, batch, ui_batch_free, batch->upload);
        return TRUE;
}
