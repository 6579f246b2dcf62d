/* ui/transfers.c — F5 (copy), Shift-F6 (move) and the typed put/get/mput/mget as batches
 * (core/batch.h): on the UI thread, what is selected becomes waiting jobs at once, and the batch
 * is handed to the command thread, so the queue view shows them before they start; its report
 * comes back to the panes.
 * Must not: transfer, ask, or call curses; uploads always go through the scanner (the runner). */
#include "ui/app.h"
#include "ui/transfers.h"
#include "ui/ui.h"
#include "common/i18n.h"

void ui_batch_run(CoreContext *ctx, gpointer data, UiJobResult *result)
{
        CoreBatch *batch = data;
        core_batch_run(ctx, batch);
        for (guint i = 0; i < batch->marks->len; i++) {
                const CoreBatchMark *mark = g_ptr_array_index(batch->marks, i);
                ui_job_result_add_refusal(result, mark->path, mark->verdict);
        }
        if (batch->focus_local) {
                g_free(result->focus_local);
                result->focus_local = g_steal_pointer(&batch->focus_local);
        }
}

/* The remote pane's entries, for the conflict question of uploads: the pane shows the current
 * directory whole. */
static void learn_remote_pane(CoreBatch *batch, UiPane *remote)
{
        for (guint i = 0; i < remote->all->len; i++) {
                UiEntry *entry = g_ptr_array_index(remote->all, i);
                if (!entry->is_parent)
                        core_batch_remote_taken(batch, entry->name, entry->size, entry->mtime, entry->is_dir);
        }
        core_batch_remote_listed(batch, "");
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
static void add_entries(UiApp *app, CoreBatch *batch, gboolean move)
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
                core_batch_add(batch, id, entry->is_dir, entry->size, entry->mtime);
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
        CoreBatch *batch = core_batch_new(move ? CORE_BATCH_MOVE : CORE_BATCH_COPY, !pane->remote, app->queue);
        add_entries(app, batch, move);
        if (batch->jobs->len == 0) {
                core_batch_free(batch);
                g_set_error_literal(error, UI_ERROR, UI_ERROR_USAGE, _("Nothing to copy here."));
                return FALSE;
        }
        if (batch->upload)
                learn_remote_pane(batch, other);
        ui_pane_clear_selection(pane);
        /* the remote pane changes with an upload, and with a move down (its sources deleted) */
        ui_commander_run_func(app->commander, ui_batch_run, batch, core_batch_free, batch->upload || move);
        return TRUE;
}

gboolean ui_transfers_typed(UiApp *app, int argc, char **argv, GError **error)
{
        if (!check_connected(app, error))
                return FALSE;
        CoreBatch *batch = core_batch_new_typed(app->queue, argc, argv);
        ui_commander_run_func(app->commander, ui_batch_run, batch, core_batch_free, batch->upload);
        return TRUE;
}
