/* ui/resume.c — at start, the transfers an earlier run left unfinished (core/resume.h): on the
 * command thread, a dialog lists them (how many, their bytes, the servers, one line each);
 * Enter or y resumes them as jobs of the app's queue (the queue view shows them), n discards
 * them, Esc keeps them for later (`:queue resume`). --resume-queue and --discard-queue answer
 * without the dialog.
 * Must not: call curses, or resume or drop anything before the answer. */
#include "ui/app.h"
#include "ui/ui.h"
#include "common/i18n.h"
#include "core/resume.h"

typedef struct {
        UiBridge *bridge;
        CoreQueue *queue;
        gboolean resume;     /* --resume-queue */
        gboolean discard;    /* --discard-queue */
} ResumeOffer;

static CoreAnswer ask(const ResumeOffer *offer, CoreContext *ctx, const CoreResumeSummary *summary)
{
        if (offer->resume)
                return CORE_ANSWER_YES;
        if (offer->discard)
                return CORE_ANSWER_NO;
        g_autofree char *text = core_resume_describe(summary);
        g_autofree char *question = g_strdup_printf(_("%s Resume them?"), text);
        g_autoptr(GPtrArray) lines = core_resume_lines(ctx);
        g_autofree char *heading = g_strdup_printf(ngettext("Left unfinished (%u):", "Left unfinished (%u):", lines->len),
                                                   lines->len);
        return ui_bridge_offer(offer->bridge, question, heading, lines,
                               _("Enter/y: resume them   n: discard them   Esc: later (:queue resume)   "
                                 "Up/Down/PgUp/PgDn: scroll the list"));
}

static void offer_job(CoreContext *ctx, gpointer data, UiJobResult *result)
{
        const ResumeOffer *offer = data;
        g_auto(CoreResumeSummary) summary = { 0 };
        if (!core_resume_pending(ctx, &summary))
                return;
        if (!offer->resume && !offer->discard && core_resume_only_failed(&summary))
                return;
        g_autoptr(GError) error = NULL;
        switch (ask(offer, ctx, &summary)) {
        case CORE_ANSWER_YES:
        case CORE_ANSWER_ALL:
                if (!core_resume_run(ctx, offer->queue, &error) && error)
                        core_fail(ctx, error);
                return;
        case CORE_ANSWER_NO:
                core_resume_discard(ctx);
                return;
        case CORE_ANSWER_QUIT:
        default:
                core_say(ctx, CORE_MSG_INFO, "%s", _("Kept for later: `:queue resume` resumes them."));
                return;
        }
}

void ui_resume_offer(UiApp *app, const CoreOptions *opts)
{
        ResumeOffer *offer = g_new0(ResumeOffer, 1);
        offer->bridge = app->bridge;
        offer->queue = app->queue;
        offer->resume = opts->resume_queue;
        offer->discard = opts->discard_queue;
        ui_commander_run_func(app->commander, offer_job, offer, g_free, TRUE);
}
