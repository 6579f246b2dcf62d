/* ui/transfers.h — private to src/ui: copies and moves between the panes and the typed transfer
 * commands (put, mput, get, mget) as batches of core/batch.h. transfers.c builds a batch from the
 * panes' selection on the UI thread and hands it to the command thread; what the batch reports
 * comes back to the panes in a UiJobResult. transfers-refresh.c lists the remote pane while
 * uploads arrive.
 * Must not: call curses, or decide anything a batch decides (expansion, conflicts, tally). */
#pragma once
#include <glib.h>
#include "core/batch.h"
#include "ui/commander.h"

/* A UiJobFunc for ui_commander_run_func (data: the CoreBatch): runs it, then copies its report
 * (refusal marks, the local name to focus) into `result`. */
void ui_batch_run(CoreContext *ctx, gpointer data, UiJobResult *result);
/* transfers-refresh.c, on the UI thread after it took events: while uploads finish, the remote
 * pane gets a fresh listing (queued on the worker between two files) at most every
 * UI_TRANSFERS_RELIST_MS; the batch's own listing at its end follows as before. */
#define UI_TRANSFERS_RELIST_MS 500
struct UiApp;
void ui_transfers_tick(struct UiApp *app);
