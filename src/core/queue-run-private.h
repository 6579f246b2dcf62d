/* core/queue-run-private.h — what queue-run.c and queue-upload.c share.
 * Must not: be included outside src/core. */
#pragma once
#include <glib.h>
#include "core/context.h"
#include "core/queue.h"

/* The final state of a job whose core call failed with `error`: cancelled when a cancel was asked
 * of the queue, else failed with the reason, shown and recorded (core_fail) — also a cancel the
 * queue did not ask for (Ctrl-C in line mode). */
void core_queue_finish_failed(CoreContext *ctx, CoreQueue *queue, guint id, const GError *error);
