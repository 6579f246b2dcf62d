/* ui/queueview.h — the transfer queue on the screen: the queue view (one row per job: direction,
 * state with percent, name, bytes, rate, ETA, or the signature or reason), the status bar's
 * summary, and the formats they share.
 * Owns: those texts and the view's cursor. Must not: call curses or change the queue other than
 * through `:` commands (cancel, queue-clear). */
#pragma once
#include <glib.h>
#include "core/queue.h"
#include "ui/keys.h"

/* "850.0 kB/s", "1.20 MB/s" (mc's form); "" when unknown. transfer full */
char *ui_queue_rate_text(double bytes_per_second);
/* "0:00:42", "1:02:03" (h:mm:ss); "" when unknown (< 0). transfer full */
char *ui_queue_eta_text(gint64 seconds);
/* "uploading 43%", "scanning", "INFECTED". transfer full */
char *ui_queue_state_text(const CoreJob *job);
/* One row of the view, exactly `width` columns. transfer full */
char *ui_queue_row_text(const CoreJob *job, int width);
/* The status bar's part: the running job ("big.bin 43% 1.20 MB/s 0:00:03"), then how many wait;
 * NULL when nothing is running or waiting. transfer full */
char *ui_queue_summary(CoreQueue *queue);

struct UiApp;
/* Draws the view over rows y .. y + height - 1. */
void ui_queue_draw(struct UiApp *app, int y, int height);
/* A key while the view is open. */
void ui_queue_key(struct UiApp *app, UiKey key);
/* TRUE while a job is scanning or moving bytes (the screen then refreshes its rates). */
gboolean ui_queue_busy(CoreQueue *queue);
