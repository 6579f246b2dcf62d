/* core/check-audit.c — `clamftp --check-audit FILE…`: runs the audit log checker and words its
 * report for a terminal or a script. Owns: the output lines and exit statuses 0, 1, 2.
 * Must not: judge a record itself (scan/audit-check.c) or touch the log. */
#include "common/i18n.h"
#include "core/check-audit.h"
#include "scan/audit.h"
#include "scan/audit-check.h"

static void say_whole(const ScanAuditReport *report, FILE *out)
{
        fprintf(out, ngettext("OK: %lu record\n", "OK: %lu records\n", report->records), report->records);
        if (report->unchained)
                fprintf(out, ngettext("note: %lu record at the start was written before the log was chained; "
                                      "it cannot be verified\n",
                                      "note: %lu records at the start were written before the log was chained; "
                                      "they cannot be verified\n",
                                      report->unchained),
                        report->unchained);
        if (report->continues)
                fprintf(out, "%s\n", _("note: the first record follows one in no file given (a log rotated "
                                       "before these, or records removed from the start)"));
        if (report->last[0])
                fprintf(out, _("last record: %s (no record after it vouches for it: keep this hash "
                               "elsewhere to pin it)\n"),
                        report->last);
}

static void say_broken(const ScanAuditReport *report, FILE *out)
{
        g_autofree char *shown = g_filename_display_name(report->file);
        fprintf(out, "%s:%lu: %s\n", shown, report->line, report->problem);
        fprintf(out, ngettext("%lu record before it is whole.\n", "%lu records before it are whole.\n",
                              report->records),
                report->records);
}

int core_check_audit_main(char **files, const char *audit_log, FILE *out, FILE *err)
{
        g_autofree char *fallback = audit_log ? g_strdup(audit_log) : scan_audit_default_path();
        const char *just_one[] = { fallback, NULL };
        const char *const *given = files && files[0] ? (const char *const *)files : just_one;
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanAuditReport) report = scan_audit_check(given, &error);
        if (!report) {
                fprintf(err, _("clamftp: error: %s\n"), error->message);
                return 2;
        }
        if (report->broken) {
                say_broken(report, out);
                return 1;
        }
        say_whole(report, out);
        return 0;
}
