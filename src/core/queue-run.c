/* core/queue-run.c — runs a resumed upload of the transfer queue through core/transfer.h with its
 * progress relayed to the job. Batches of uploads are in queue-upload.c, downloads in download.c.
 * Must not: ask about conflicts, or print directly (ctx->fe does). */
#include "core/queue-run.h"
#include "core/queue-run-private.h"

#include <inttypes.h>
#include <string.h>

#include "common/i18n.h"
#include "core/transfer.h"
#include "core/worker.h"

/* ---- progress of core/transfer.h calls: ctx->fe relayed to the job ---------------------- */

typedef struct {
        CoreFrontend saved;
        CoreQueue *queue;
        guint id;
        gboolean declined;  /* the core asked, and the answer was no or quit */
} Relay;

static void relay_message(CoreMsgKind kind, const char *text, gpointer data)
{
        Relay *relay = data;
        if (relay->saved.message)
                relay->saved.message(kind, text, relay->saved.data);
}

static void relay_progress(const char *name, guint64 done, gint64 total, gpointer data)
{
        Relay *relay = data;
        core_queue_progress_file(relay->queue, relay->id, name, done, total);
}

static CoreAnswer relay_ask(const char *question, gpointer data)
{
        Relay *relay = data;
        CoreAnswer answer = relay->saved.ask ? relay->saved.ask(question, relay->saved.data)
                                             : CORE_ANSWER_YES;
        if (answer == CORE_ANSWER_NO || answer == CORE_ANSWER_QUIT)
                relay->declined = TRUE;
        return answer;
}

static char *relay_prompt(const char *label, gboolean secret, gpointer data)
{
        Relay *relay = data;
        return relay->saved.prompt ? relay->saved.prompt(label, secret, relay->saved.data) : NULL;
}

/* Only the command thread replaces ctx->fe, and only while it waits on its own worker jobs. */
static void relay_install(CoreContext *ctx, Relay *relay, CoreQueue *queue, guint id)
{
        relay->saved = ctx->fe;
        relay->queue = queue;
        relay->id = id;
        ctx->fe.message = relay_message;
        ctx->fe.progress = relay_progress;
        ctx->fe.ask = relay_ask;
        ctx->fe.prompt = relay_prompt;
        ctx->fe.data = relay;
}

static void relay_remove(CoreContext *ctx, Relay *relay)
{
        ctx->fe = relay->saved;
}

void core_queue_finish_failed(CoreContext *ctx, CoreQueue *queue, guint id, const GError *error)
{
        /* a cancel nobody asked the queue for (Ctrl-C in line mode, a batch that stopped) is a
         * failure the user hears of */
        if (core_queue_cancel_requested(queue, id)) {
                core_queue_set_state(queue, id, CORE_JOB_CANCELLED, NULL);
                return;
        }
        core_queue_set_state(queue, id, CORE_JOB_FAILED, error->message);
        core_fail(ctx, error);
}

/* ---- one resumed upload ------------------------------------------------------------- */

/* A reput that returned FALSE without an error was refused by the scanner: its verdict says why. */
static void finish_refused(CoreContext *ctx, CoreQueue *queue, guint id)
{
        if (ctx->last_verdict && ctx->last_verdict->kind != SCAN_VERDICT_OK) {
                core_queue_set_verdict(queue, id, ctx->last_verdict);
                return;
        }
        g_autoptr(ScanVerdict) none = scan_verdict_new(SCAN_VERDICT_ERROR, NULL, _("the scanner gave no verdict"));
        core_queue_set_verdict(queue, id, none);
}

/* The detail of a resumed upload that is done: where it went on from. transfer full */
static char *resumed_detail(const CoreResumeResult *r)
{
        if (r->complete)
                return g_strdup(_("already complete on the server"));
        g_autofree char *from = g_format_size((guint64)r->offset);
        return g_strdup_printf(_("resumed from %s (byte %" PRId64 ")"), from, (int64_t)r->offset);
}

gboolean core_queue_run_reput(CoreContext *ctx, CoreQueue *queue, guint id)
{
        g_autoptr(CoreJob) job = core_queue_get(queue, id);
        if (!job || !core_queue_begin(queue, id))
                return FALSE;
        core_queue_set_state(queue, id, CORE_JOB_SCANNING, NULL);
        Relay relay = { 0 };
        relay_install(ctx, &relay, queue, id);
        g_autoptr(GError) error = NULL;
        CoreResumeResult resumed = { 0 };
        gboolean ok = core_transfer_reput(ctx, job->local, job->remote, &resumed, &error);
        relay_remove(ctx, &relay);
        core_queue_end(queue, id);
        if (ok) {
                g_autofree char *detail = resumed_detail(&resumed);
                core_queue_set_state(queue, id, CORE_JOB_DONE, detail);
        } else if (error) {
                core_queue_finish_failed(ctx, queue, id, error);
        } else {
                finish_refused(ctx, queue, id);
        }
        return ok;
}
