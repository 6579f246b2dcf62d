/* core/verdict.h — the scanner's verdict (ScanVerdict, scan/client.h) as the front ends get it,
 * and in the words of each edge: the last answer `status` shows, the message that says why a
 * file was not sent, and the local pane's mark.
 * Owns: those texts. Must not: decide anything (the verdict's kind and class do), or print. */
#pragma once
#include <glib.h>
#include "scan/client.h"

/* The verdict under core's name, for the front ends (the TUI names nothing of scan/): the same
 * struct, not a copy of its fields. */
typedef ScanVerdict CoreVerdict;
CoreVerdict *core_verdict_copy(const CoreVerdict *verdict); /* NULL gives NULL */
void core_verdict_free(CoreVerdict *verdict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreVerdict, core_verdict_free)
/* TRUE for a verdict that keeps the file from being sent (INFECTED or ERROR). */
gboolean core_verdict_refuses(const CoreVerdict *verdict);
/* Why the pane marks a file refused: the signature (escaped), or why it was not scanned.
 * transfer full */
char *core_verdict_mark_text(const CoreVerdict *verdict);
/* TRUE for INFECTED: a signature matched the content (the pane's '!'); a refusal that is not
 * malware (a limit, encryption, no scanner, no verdict) gets '?'. */
gboolean core_verdict_is_malware(const CoreVerdict *verdict);
/* Why a refused file that is not malware was not sent, in words: "not scanned: larger than the
 * scanner's MaxFileSize (Heuristics.Limits.Exceeded.MaxFileSize)", "not scanned: encrypted (…)",
 * "not scanned: the scanner is unreachable (…)", "not scanned: the scanner did not answer in time
 * (…)", else "the scanner gave no verdict (<reason>)". transfer full */
char *core_verdict_unscanned_text(const CoreVerdict *verdict);

/* The last answer as `status` shows it, the file's path escaped: "OK <file>",
 * "INFECTED <signature> <file>" or "ERROR <file> (<reason>)". transfer full */
char *core_verdict_status_text(const ScanVerdict *verdict);

typedef enum {
        CORE_VERDICT_UPLOAD, /* put, mput, the queue's uploads: "… not uploaded." */
        CORE_VERDICT_RESUME, /* reput: "… not resumed …" */
} CoreVerdictAction;

/* Why the file `shown` (escaped already) was not sent: "<file> is infected (<signature>): not
 * uploaded." or "<file> was not uploaded: the scanner gave no verdict (<reason>)." (and their
 * reput forms). `by` (NULL: none; core_verdict_judge) names the member of a pool that judged:
 * "(<signature> FOUND by <member>)", "…: <why> (scanner <member>).". NULL for an OK verdict.
 * transfer full */
char *core_verdict_refusal_text(const ScanVerdict *verdict, const char *shown, CoreVerdictAction action,
                                const char *by);
/* The signature, escaped, with "FOUND by <member>" when `by` is set. transfer full */
char *core_verdict_found_text(const ScanVerdict *verdict, const char *by);
/* core_verdict_unscanned_text, with " (scanner <member>)" when `by` is set. transfer full */
char *core_verdict_unscanned_by_text(const ScanVerdict *verdict, const char *by);
