/* ui/transfers-refresh.c — the remote pane follows a running batch of uploads: after a file
 * arrived, a listing is queued on the worker (it runs between two files) at most every
 * UI_TRANSFERS_RELIST_MS, and comes back as a partial job result; the batch's own listing at its
 * end follows as before. The pane keeps its cursor on the same name (same directory).
 * Must not: call curses (the UI thread applies the result) or list while nothing runs. */
#include "ui/app.h"
#include "ui/transfers.h"
#include "core/browse.h"

/* UI thread only, except `in_flight` (the worker clears it). One interface per process. */
static struct {
        guint done_seen;     /* the queue's count of done jobs at the last look */
        guint uploads_seen;  /* of them, uploads */
        gboolean dirty;      /* an upload arrived since the last listing was asked for */
        gint64 last_us;      /* when the last listing was asked for */
        gint in_flight;      /* atomic: a listing is queued or running */
} relist;

static void listed(GPtrArray *entries, char *cwd, gpointer data)
{
        UiBridge *bridge = data;
        if (entries) {
                UiJobResult *result = g_new0(UiJobResult, 1);
                result->partial = TRUE;
                result->connected = TRUE;
                result->remote_listed = TRUE;
                result->remote_entries = entries;
                result->remote_cwd = cwd ? cwd : g_strdup("?");
                result->refusals = g_ptr_array_new();
                UiEvent *event = g_new0(UiEvent, 1);
                event->type = UI_EVENT_JOB_DONE;
                event->payload = result;
                event->free_payload = (GDestroyNotify)ui_job_result_free;
                ui_bridge_post(bridge, event);
        } else {
                g_free(cwd);
        }
        g_atomic_int_set(&relist.in_flight, 0);
}

void ui_transfers_tick(UiApp *app)
{
        CoreQueueCounts counts;
        core_queue_counts(app->queue, &counts);
        if (counts.done != relist.done_seen) {
                relist.dirty |= counts.done_uploads > relist.uploads_seen;
                relist.uploads_seen = counts.done_uploads;
                relist.done_seen = counts.done;
        }
        if (!relist.dirty || !app->connected || ui_commander_pending(app->commander) == 0)
                return; /* nothing new, or the batch ended and lists on its own */
        gint64 now = g_get_monotonic_time();
        if (now - relist.last_us < UI_TRANSFERS_RELIST_MS * 1000 || g_atomic_int_get(&relist.in_flight))
                return;
        relist.dirty = FALSE;
        relist.last_us = now;
        g_atomic_int_set(&relist.in_flight, 1);
        core_browse_list_async(app->ctx, listed, app->bridge);
}
