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

/* The limits of clamd.conf that a Heuristics.Limits.Exceeded.<name> detection names, in words. */
static const char *limit_words(const char *signature, const char *reply)
{
        static const struct { const char *suffix; const char *words; } limits[] = {
                { ".MaxFileSize", N_("larger than the scanner's MaxFileSize") },
                { ".MaxScanSize", N_("more data inside than the scanner's MaxScanSize") },
                { ".MaxFiles", N_("more files inside than the scanner's MaxFiles") },
                { ".MaxRecursion", N_("nested deeper than the scanner's MaxRecursion") },
                { ".MaxScanTime", N_("it took longer than the scanner's MaxScanTime") },
        };
        for (gsize i = 0; signature && i < G_N_ELEMENTS(limits); i++) {
                if (g_str_has_suffix(signature, limits[i].suffix))
                        return _(limits[i].words);
        }
        if (!signature && !reply) /* refused before any copy (scan/limits.c): the reason says by what */
                return _("too large");
        if (!signature) /* "INSTREAM size limit exceeded. ERROR" */
                return _("larger than the scanner's StreamMaxLength");
        return _("beyond one of the scanner's limits");
}

char *core_verdict_unscanned_text(const CoreVerdict *verdict)
{
        const char *words = verdict->signature ? verdict->signature : verdict->reason;
        g_autofree char *detail = core_name_escape(words ? words : _("no reason given"));
        switch (verdict->reason_class) {
        case SCAN_REASON_LIMIT:
                return g_strdup_printf(_("not scanned: %s (%s)"), limit_words(verdict->signature, verdict->reply), detail);
        case SCAN_REASON_ENCRYPTED:
                return g_strdup_printf(_("not scanned: encrypted (%s)"), detail);
        case SCAN_REASON_UNREACHABLE:
                return g_strdup_printf(_("not scanned: the scanner is unreachable (%s)"), detail);
        case SCAN_REASON_TIMEOUT:
                return g_strdup_printf(_("not scanned: the scanner did not answer in time (%s)"), detail);
        case SCAN_REASON_UNTRUSTED:
                return g_strdup_printf(_("not scanned: the scanner's TLS connection was refused (%s)"), detail);
        default:
                return g_strdup_printf(_("the scanner gave no verdict (%s)"), detail);
        }
}

gboolean core_verdict_is_malware(const CoreVerdict *verdict)
{
        return verdict && verdict->kind == SCAN_VERDICT_INFECTED;
}

char *core_verdict_mark_text(const CoreVerdict *verdict)
{
        if (verdict->kind == SCAN_VERDICT_INFECTED)
                return core_name_escape(verdict->signature);
        return core_verdict_unscanned_text(verdict);
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

char *core_verdict_found_text(const ScanVerdict *verdict, const char *by)
{
        g_autofree char *signature = core_name_escape(verdict->signature);
        if (!by)
                return g_steal_pointer(&signature);
        g_autofree char *member = core_name_escape(by);
        return g_strdup_printf(_("%s FOUND by %s"), signature, member);
}

char *core_verdict_unscanned_by_text(const ScanVerdict *verdict, const char *by)
{
        g_autofree char *why = core_verdict_unscanned_text(verdict);
        if (!by)
                return g_steal_pointer(&why);
        g_autofree char *member = core_name_escape(by);
        return g_strdup_printf(_("%s (scanner %s)"), why, member);
}

char *core_verdict_refusal_text(const ScanVerdict *verdict, const char *shown, CoreVerdictAction action,
                                const char *by)
{
        if (verdict->kind == SCAN_VERDICT_OK)
                return NULL;
        if (verdict->kind == SCAN_VERDICT_INFECTED) {
                g_autofree char *signature = core_verdict_found_text(verdict, by);
                if (action == CORE_VERDICT_RESUME)
                        return g_strdup_printf(_("%s is infected (%s): nothing resumed, the server's file is left "
                                                 "as it was."), shown, signature);
                return g_strdup_printf(_("%s is infected (%s): not uploaded."), shown, signature);
        }
        g_autofree char *why = core_verdict_unscanned_by_text(verdict, by);
        if (action == CORE_VERDICT_RESUME)
                return g_strdup_printf(_("%s was not resumed: %s."), shown, why);
        return g_strdup_printf(_("%s was not uploaded: %s."), shown, why);
}
