/* core/verdict.c — the scanner's verdict in the words of core's edges: `status`, the refusal
 * messages of put, mput, reput and the queue, and the TUI's marks.
 * Must not: decide whether a file is sent, record anything, or print (callers say the text). */
#include "core/verdict.h"
#include "common/i18n.h"
#include "core/safename.h"

CoreVerdict *core_verdict_copy(const CoreVerdict *verdict)
{
        return scan_verdict_copy(verdict);
}

void core_verdict_free(CoreVerdict *verdict)
{
        scan_verdict_free(verdict);
}

gboolean core_verdict_refuses(const CoreVerdict *verdict)
{
        return verdict && verdict->kind != SCAN_VERDICT_OK;
}

char *core_verdict_mark_text(const CoreVerdict *verdict)
{
        if (verdict->kind == SCAN_VERDICT_INFECTED)
                return core_name_escape(verdict->signature);
        return g_strdup(_("no verdict from the scanner"));
}

char *core_verdict_status_text(const ScanVerdict *verdict)
{
        g_autofree char *shown = core_name_escape(verdict->path ? verdict->path : "");
        switch (verdict->kind) {
        case SCAN_VERDICT_OK:
                return g_strdup_printf("OK %s", shown);
        case SCAN_VERDICT_INFECTED:
                return g_strdup_printf("INFECTED %s %s", verdict->signature, shown);
        case SCAN_VERDICT_ERROR:
        default:
                return g_strdup_printf("ERROR %s (%s)", shown, verdict->reason ? verdict->reason : "");
        }
}

char *core_verdict_refusal_text(const ScanVerdict *verdict, const char *shown, CoreVerdictAction action)
{
        if (verdict->kind == SCAN_VERDICT_OK)
                return NULL;
        if (verdict->kind == SCAN_VERDICT_INFECTED) {
                g_autofree char *signature = core_name_escape(verdict->signature);
                if (action == CORE_VERDICT_RESUME)
                        return g_strdup_printf(_("%s is infected (%s): nothing resumed, the server's file is left "
                                                 "as it was."), shown, signature);
                return g_strdup_printf(_("%s is infected (%s): not uploaded."), shown, signature);
        }
        g_autofree char *reason = core_name_escape(verdict->reason ? verdict->reason : _("no reason given"));
        if (action == CORE_VERDICT_RESUME)
                return g_strdup_printf(_("%s was not resumed: the scanner gave no verdict (%s)."), shown, reason);
        return g_strdup_printf(_("%s was not uploaded: the scanner gave no verdict (%s)."), shown, reason);
}
