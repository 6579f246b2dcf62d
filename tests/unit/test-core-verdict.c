/* tests/unit/test-core-verdict.c — the verdict in core's words: the last answer `status` shows
 * and the messages that say why a file was not sent, one row per kind and class of verdict.
 * Must not: need a scanner or a server (verdicts are made from clamd's reply texts). */
#include "core/verdict.h"
#include "scan/limits.h"
#include <string.h>

typedef struct {
        const char *reply;      /* clamd's reply to INSTREAM; NULL: the scanner was unreachable */
        const char *path;       /* the local file, as the user named it */
        const char *status;     /* core_verdict_status_text() */
        const char *upload;     /* core_verdict_refusal_text(…, CORE_VERDICT_UPLOAD), NULL: none */
        const char *resume;     /* … CORE_VERDICT_RESUME */
} VerdictCase;

#define STREAM_LIMIT "The scanner refused the file because it is larger than it accepts (INSTREAM size " \
                     "limit exceeded.); raise StreamMaxLength in its configuration."

static const VerdictCase cases[] = {
        { "stream: OK", "report.pdf", "OK report.pdf", NULL, NULL },
        { "stream: Eicar-Signature FOUND", "x.com", "INFECTED Eicar-Signature x.com",
          "x.com is infected (Eicar-Signature): not uploaded.",
          "x.com is infected (Eicar-Signature): nothing resumed, the server's file is left as it was." },
        /* a limit or an encrypted archive is a file not scanned, not malware, in words too */
        { "stream: Heuristics.Limits.Exceeded.MaxFileSize FOUND", "dir/big.iso",
          "ERROR dir/big.iso (Heuristics.Limits.Exceeded.MaxFileSize)",
          "dir/big.iso was not uploaded: not scanned: larger than the scanner's MaxFileSize "
          "(Heuristics.Limits.Exceeded.MaxFileSize).",
          "dir/big.iso was not resumed: not scanned: larger than the scanner's MaxFileSize "
          "(Heuristics.Limits.Exceeded.MaxFileSize)." },
        { "stream: Heuristics.Limits.Exceeded.MaxRecursion FOUND", "deep.zip",
          "ERROR deep.zip (Heuristics.Limits.Exceeded.MaxRecursion)",
          "deep.zip was not uploaded: not scanned: nested deeper than the scanner's MaxRecursion "
          "(Heuristics.Limits.Exceeded.MaxRecursion).",
          "deep.zip was not resumed: not scanned: nested deeper than the scanner's MaxRecursion "
          "(Heuristics.Limits.Exceeded.MaxRecursion)." },
        { "INSTREAM size limit exceeded. ERROR", "huge.bin",
          "ERROR huge.bin (" STREAM_LIMIT ")",
          "huge.bin was not uploaded: not scanned: larger than the scanner's StreamMaxLength (" STREAM_LIMIT ").",
          "huge.bin was not resumed: not scanned: larger than the scanner's StreamMaxLength (" STREAM_LIMIT ")." },
        { "stream: Heuristics.Encrypted.Zip FOUND", "a.zip", "ERROR a.zip (Heuristics.Encrypted.Zip)",
          "a.zip was not uploaded: not scanned: encrypted (Heuristics.Encrypted.Zip).",
          "a.zip was not resumed: not scanned: encrypted (Heuristics.Encrypted.Zip)." },
        { "stream: Can't allocate memory ERROR", "y.bin",
          "ERROR y.bin (The scanner reported an error: Can't allocate memory)",
          "y.bin was not uploaded: the scanner gave no verdict (The scanner reported an error: Can't allocate "
          "memory).",
          "y.bin was not resumed: the scanner gave no verdict (The scanner reported an error: Can't allocate "
          "memory)." },
        { "COMMAND READ TIMED OUT", "t.txt", "ERROR t.txt (The scanner timed out waiting for the file's data.)",
          "t.txt was not uploaded: not scanned: the scanner did not answer in time (The scanner timed out "
          "waiting for the file's data.).",
          "t.txt was not resumed: not scanned: the scanner did not answer in time (The scanner timed out "
          "waiting for the file's data.)." },
        { NULL, "n.txt", "ERROR n.txt (down)", "n.txt was not uploaded: not scanned: the scanner is unreachable (down).",
          "n.txt was not resumed: not scanned: the scanner is unreachable (down)." },
        /* the file's name is escaped where it is shown */
        { "stream: OK", "bad\nname", "OK bad\\x0aname", NULL, NULL },
};

static void test_texts(void)
{
        for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
                const VerdictCase *c = &cases[i];
                g_autoptr(GError) down = g_error_new_literal(SCAN_ERROR, SCAN_ERROR_UNREACHABLE, "down");
                g_autoptr(ScanVerdict) v = c->reply ? scan_verdict_parse(c->reply) : scan_verdict_new_error(down);
                scan_verdict_set_path(v, c->path);
                g_autofree char *status = core_verdict_status_text(v);
                g_autofree char *upload = core_verdict_refusal_text(v, c->path, CORE_VERDICT_UPLOAD, NULL);
                g_autofree char *resume = core_verdict_refusal_text(v, c->path, CORE_VERDICT_RESUME, NULL);
                g_test_message("verdict %zu: %s | %s | %s", i, status, upload, resume);
                g_assert_cmpstr(status, ==, c->status);
                if (strchr(c->path, '\n'))
                        continue; /* the refusal gets the name escaped by its caller */
                g_assert_cmpstr(upload, ==, c->upload);
                g_assert_cmpstr(resume, ==, c->resume);
        }
}

static void test_signature_is_escaped_in_messages(void)
{
        g_autoptr(ScanVerdict) v = scan_verdict_new(SCAN_VERDICT_INFECTED, "Sig\033[2J", NULL);
        g_autofree char *text = core_verdict_refusal_text(v, "f", CORE_VERDICT_UPLOAD, NULL);
        g_assert_null(strchr(text, '\033'));
}

static void test_error_without_reason(void)
{
        g_autoptr(ScanVerdict) v = scan_verdict_new(SCAN_VERDICT_ERROR, NULL, NULL);
        scan_verdict_set_path(v, "f");
        g_autofree char *status = core_verdict_status_text(v);
        g_autofree char *upload = core_verdict_refusal_text(v, "f", CORE_VERDICT_UPLOAD, NULL);
        g_assert_cmpstr(status, ==, "ERROR f ()");
        g_assert_cmpstr(upload, ==, "f was not uploaded: the scanner gave no verdict (no reason given).");
}

/* A pool's member is named in the words when the caller gives it (more than one member). */
static void test_member_named_when_given(void)
{
        g_autoptr(ScanVerdict) found = scan_verdict_parse("stream: Eicar-Test-Signature FOUND");
        g_autofree char *infected = core_verdict_refusal_text(found, "f", CORE_VERDICT_UPLOAD, "tcp:10.0.0.5:3310");
        g_assert_cmpstr(infected, ==, "f is infected (Eicar-Test-Signature FOUND by tcp:10.0.0.5:3310): not uploaded.");
        g_autoptr(ScanVerdict) limit = scan_verdict_parse("stream: Heuristics.Encrypted.Zip FOUND");
        g_autofree char *unscanned = core_verdict_refusal_text(limit, "f", CORE_VERDICT_RESUME, "unix:/run/a\n.sock");
        g_test_message("%s", unscanned);
        g_assert_true(g_str_has_suffix(unscanned, " (scanner unix:/run/a\\x0a.sock)."));
        g_autofree char *alone = core_verdict_refusal_text(found, "f", CORE_VERDICT_UPLOAD, NULL);
        g_assert_null(strstr(alone, " by "));
}

/* A file refused before any copy (scan/limits.c) has no detection and no reply of the scanner. */
static void test_too_large_before_copy(void)
{
        ScanLimits clamd;
        scan_limits_clamd_defaults(&clamd);
        g_autoptr(ScanVerdict) v = scan_limits_verdict(&clamd, TRUE, G_GINT64_CONSTANT(3) << 30);
        g_autofree char *upload = core_verdict_refusal_text(v, "big.iso", CORE_VERDICT_UPLOAD, NULL);
        g_assert_true(g_str_has_prefix(upload, "big.iso was not uploaded: not scanned: too large (3.0"));
        g_assert_nonnull(strstr(upload, "GiB, over the scanner's MaxFileSize of 100.0"));
        g_assert_nonnull(strstr(upload, "max-file-size"));
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/core/verdict/too-large-refused-before-any-copy", test_too_large_before_copy);
        g_test_add_func("/core/verdict/status-and-refusal-texts-per-verdict", test_texts);
        g_test_add_func("/core/verdict/signature-is-escaped-in-messages", test_signature_is_escaped_in_messages);
        g_test_add_func("/core/verdict/error-without-reason", test_error_without_reason);
        g_test_add_func("/core/verdict/pool-member-named-when-given", test_member_named_when_given);
        return g_test_run();
}
