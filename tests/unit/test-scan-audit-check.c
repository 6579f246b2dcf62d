/* tests/unit/test-scan-audit-check.c — the audit log checker: a log written by scan/audit.c and
 * then tampered with in one way per row (an edit, a removal, a reordering, a forged or broken
 * record) is found broken at the right line with the right words; each record's form (fields,
 * types, values, the upload's "verify") row by row; several files in order.
 * Must not: write outside the test's own state directory. */
#include "config.h"
#include "scan/audit-check.h"
#include "audit-fixture.h"
#include "tree-remove.h"

#include <stdio.h>
#include <string.h>

#define LOG_LINES 12
#define HASH "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

/* ---- tampering, one way per row ---------------------------------------------------------- */
/* lines: the log's lines (a GPtrArray of char *, owned); rows count lines from 1 as the checker does */

typedef void (*Tamper)(GPtrArray *lines);

static void replace_line(GPtrArray *lines, guint number, char *text)
{
        g_free(g_ptr_array_index(lines, number - 1));
        g_ptr_array_index(lines, number - 1) = text;
}

static void edit_in_line(GPtrArray *lines, guint number, const char *from, const char *to)
{
        const char *line = g_ptr_array_index(lines, number - 1);
        g_assert_nonnull(strstr(line, from));
        g_autoptr(GString) edited = g_string_new(line);
        g_string_replace(edited, from, to, 1);
        replace_line(lines, number, g_string_free(g_steal_pointer(&edited), FALSE));
}

static void untouched(GPtrArray *lines) { (void)lines; }
static void edit_remote(GPtrArray *lines) { edit_in_line(lines, 5, "file-4", "file-9"); }
static void edit_prev_at_seven(GPtrArray *lines)
{
        g_autoptr(GRegex) prev = g_regex_new("\"prev\":\"[0-9a-f]{64}\"", 0, 0, NULL);
        replace_line(lines, 7, g_regex_replace_literal(prev, g_ptr_array_index(lines, 6), -1, 0,
                                                       "\"prev\":\"" HASH "\"", 0, NULL));
}
static void delete_five(GPtrArray *lines) { g_ptr_array_remove_index(lines, 4); }
static void swap_five_six(GPtrArray *lines)
{
        gpointer five = g_ptr_array_index(lines, 4);
        g_ptr_array_index(lines, 4) = g_ptr_array_index(lines, 5);
        g_ptr_array_index(lines, 5) = five;
}
static void move_three_to_end(GPtrArray *lines)
{
        gpointer three = g_ptr_array_steal_index(lines, 2);
        g_ptr_array_add(lines, three);
}
static void copy_two_after_seven(GPtrArray *lines)
{
        g_ptr_array_insert(lines, 7, g_strdup(g_ptr_array_index(lines, 1)));
}
static void null_prev_at_four(GPtrArray *lines)
{
        g_autoptr(GRegex) prev = g_regex_new("\"prev\":\"[0-9a-f]{64}\"", 0, 0, NULL);
        replace_line(lines, 4, g_regex_replace_literal(prev, g_ptr_array_index(lines, 3), -1, 0, "\"prev\":null", 0, NULL));
}
static void drop_prev_at_four(GPtrArray *lines)
{
        g_autoptr(GRegex) prev = g_regex_new(",\"prev\":\"[0-9a-f]{64}\"", 0, 0, NULL);
        replace_line(lines, 4, g_regex_replace_literal(prev, g_ptr_array_index(lines, 3), -1, 0, "", 0, NULL));
}
static void blank_at_six(GPtrArray *lines) { g_ptr_array_insert(lines, 5, g_strdup("")); }
static void size_as_string(GPtrArray *lines) { edit_in_line(lines, 3, "\"size\":1002", "\"size\":\"1002\""); }
static void key_twice(GPtrArray *lines) { edit_in_line(lines, 2, "\"event\":", "\"event\":\"upload\",\"event\":"); }
static void unknown_event(GPtrArray *lines) { edit_in_line(lines, 9, "\"event\":\"verdict\"", "\"event\":\"delete\""); }
static void no_scanner(GPtrArray *lines) { edit_in_line(lines, 2, "\"scanner\":", "\"scanned\":"); }
static void bad_time(GPtrArray *lines) { edit_in_line(lines, 9, "T", " "); }
static void not_utf8(GPtrArray *lines) { edit_in_line(lines, 10, "file-9", "file-\xff"); }

static const struct {
        const char *name;
        Tamper tamper;
        gulong line;       /* 0: whole */
        const char *words; /* in the problem */
} tampered[] = {
        { "untouched", untouched, 0, NULL },
        { "a field of line 5 edited", edit_remote, 6, "line 5 was edited" },
        { "line 7's prev edited", edit_prev_at_seven, 7, "line 6 was edited" },
        { "line 5 removed", delete_five, 5, "line 4 was edited, or records after it were removed" },
        { "lines 5 and 6 swapped", swap_five_six, 5, "follows line 6, not the line before it: records were reordered" },
        { "line 3 moved to the end", move_three_to_end, 3, "follows line 12" },
        { "line 2 copied after line 7", copy_two_after_seven, 8, "follows line 1," },
        { "line 4 made to start a chain", null_prev_at_four, 4, "new chain" },
        { "line 4 without its prev", drop_prev_at_four, 4, "no \"prev\"" },
        { "a blank line", blank_at_six, 6, "not JSON" },
        { "a size as a string", size_as_string, 3, "its \"size\" is a string; it must be a number or null" },
        { "a key twice", key_twice, 2, "appears twice" },
        { "an unknown event", unknown_event, 9, "neither \"verdict\" nor \"upload\"" },
        { "a field missing", no_scanner, 2, "no \"scanner\"" },
        { "a time that is not one", bad_time, 9, "\"time\"" },
        { "bytes that are not UTF-8", not_utf8, 10, "UTF-8" },
};

static void test_tampering_is_found(void)
{
        g_autofree char *path = audit_fixture_log_path();
        audit_fixture_write(path, LOG_LINES);
        g_auto(GStrv) whole = audit_fixture_lines(path);
        g_autofree char *copy = g_strconcat(path, ".copy", NULL);
        for (gsize i = 0; i < G_N_ELEMENTS(tampered); i++) {
                g_test_message("row %zu: %s", i, tampered[i].name);
                g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
                for (guint k = 0; whole[k]; k++)
                        g_ptr_array_add(lines, g_strdup(whole[k]));
                tampered[i].tamper(lines);
                g_ptr_array_add(lines, NULL);
                audit_fixture_set_lines(copy, (char **)lines->pdata);
                const char *files[] = { copy, NULL };
                g_autoptr(GError) error = NULL;
                g_autoptr(ScanAuditReport) report = scan_audit_check(files, &error);
                g_assert_no_error(error);
                if (report->broken)
                        g_test_message("  %s:%lu: %s", report->file, report->line, report->problem);
                if (!tampered[i].line) {
                        g_assert_false(report->broken);
                        g_assert_cmpuint(report->records, ==, LOG_LINES);
                        continue;
                }
                g_assert_true(report->broken);
                g_assert_cmpstr(report->file, ==, copy);
                g_assert_cmpuint(report->line, ==, tampered[i].line);
                g_assert_cmpuint(report->records, ==, tampered[i].line - 1);
                g_assert_nonnull(strstr(report->problem, tampered[i].words));
        }
}

/* The first record removed cannot be told from a log that was rotated: whole, with a note. */
static void test_first_record_removed_is_noted(void)
{
        g_autofree char *path = audit_fixture_log_path();
        audit_fixture_write(path, 4);
        g_auto(GStrv) lines = audit_fixture_lines(path);
        audit_fixture_set_lines(path, lines + 1);
        const char *files[] = { path, NULL };
        g_autoptr(ScanAuditReport) report = scan_audit_check(files, NULL);
        g_assert_false(report->broken);
        g_assert_true(report->continues);
        g_assert_cmpuint(report->records, ==, 3);
}

/* ---- the form of one record -------------------------------------------------------------- */

#define VERDICT_START "{\"time\":\"2026-01-02T03:04:05.678Z\",\"event\":\"verdict\",\"path\":\"/a\",\"size\":1,\"sha256\":\"" HASH "\""
#define UPLOAD_START "{\"time\":\"2026-01-02T03:04:05.678Z\",\"event\":\"upload\",\"path\":\"/a\",\"size\":1,\"sha256\":\"" HASH "\"," \
        "\"verdict\":\"OK\",\"scanner\":\"unix:/x\",\"server\":\"ftp://h:21\",\"remote\":\"/a\",\"result\":\"done\",\"error\":null"

static const struct {
        const char *record;
        const char *words; /* NULL: whole */
} forms[] = {
        { VERDICT_START ",\"verdict\":\"OK\",\"signature\":null,\"reason\":null,\"scanner\":\"unix:/x\",\"reason_class\":null,\"prev\":null}", NULL },
        { VERDICT_START ",\"verdict\":\"ERROR\",\"signature\":null,\"reason\":\"t\",\"scanner\":null,\"reason_class\":\"timeout\",\"prev\":\"" HASH "\"}", NULL },
        { VERDICT_START ",\"verdict\":\"MAYBE\",\"signature\":null,\"reason\":null,\"scanner\":null,\"reason_class\":null}", "\"verdict\" is not one of OK, INFECTED, ERROR" },
        { VERDICT_START ",\"verdict\":\"ERROR\",\"signature\":null,\"reason\":null,\"scanner\":null,\"reason_class\":\"bad luck\"}", "\"reason_class\" is not one of" },
        { VERDICT_START ",\"verdict\":\"OK\",\"signature\":null,\"reason\":null,\"scanner\":null,\"reason_class\":null,\"prev\":\"ABC\"}", "\"prev\" is not 64 lower-case hex" },
        { VERDICT_START ",\"verdict\":\"OK\",\"signature\":null,\"reason\":null,\"scanner\":null,\"reason_class\":null,\"later\":[1,{}]}", NULL },
        { VERDICT_START ",\"verdict\":\"OK\",\"signature\":null,\"reason\":null,\"scanner\":\"icap://h:1344/avscan\",\"reason_class\":null,\"istag\":\"CI0001-x\",\"prev\":null}", NULL },
        { VERDICT_START ",\"verdict\":\"OK\",\"signature\":null,\"reason\":null,\"scanner\":null,\"reason_class\":null,\"istag\":7}", "its \"istag\" is a number; it must be a string" },
        { UPLOAD_START ",\"prev\":null}", NULL },
        { UPLOAD_START ",\"offset\":512}", NULL },
        { UPLOAD_START ",\"offset\":0}", "\"offset\" is not a whole number of bytes above 0" },
        { UPLOAD_START ",\"verify\":{\"method\":\"HASH SHA-256\",\"remote\":\"" HASH "\",\"match\":true}}", NULL },
        { UPLOAD_START ",\"verify\":{\"method\":\"none\",\"remote\":null,\"match\":null}}", NULL },
        { UPLOAD_START ",\"verify\":{\"method\":\"SIZE\",\"remote\":\"5\",\"match\":\"yes\"}}", "no \"match\" that is" },
        { UPLOAD_START ",\"verify\":{\"method\":\"SIZE\",\"match\":true}}", "no \"remote\" that is" },
        { UPLOAD_START ",\"verify\":{\"match\":true}}", "no \"method\"" },
        { UPLOAD_START ",\"verify\":\"HASH\"}", "its \"verify\" is a string; it must be an object" },
        { "{\"time\":\"2026-01-02T03:04:05.678Z\",\"event\":\"upload\",\"path\":null,\"size\":null,\"sha256\":null,"
          "\"verdict\":\"INFECTED\",\"scanner\":null,\"server\":null,\"remote\":null,\"result\":\"done\",\"error\":null}",
          "\"verdict\" is not one of OK" },
        { UPLOAD_START ",\"size\":2}", "appears twice" },
        { "[1,2]", "an array, not a JSON object" },
        { "{\"event\":7}", "no \"event\" string" },
};

static void test_record_forms(void)
{
        for (gsize i = 0; i < G_N_ELEMENTS(forms); i++) {
                g_test_message("row %zu: %s", i, forms[i].record);
                g_autofree char *problem = scan_audit_check_record(forms[i].record, strlen(forms[i].record));
                g_test_message("  %s", problem ? problem : "whole");
                if (!forms[i].words) {
                        g_assert_null(problem);
                        continue;
                }
                g_assert_nonnull(problem);
                g_assert_nonnull(strstr(problem, forms[i].words));
        }
}

/* ---- several files ----------------------------------------------------------------------- */

static void test_files_in_order(void)
{
        g_autofree char *path = audit_fixture_log_path();
        g_autofree char *old = g_strconcat(path, ".1", NULL);
        g_autofree char *empty = g_strconcat(path, ".empty", NULL);
        audit_fixture_write(path, 3);
        g_assert_cmpint(rename(path, old), ==, 0);
        audit_fixture_write(path, 4);
        g_assert_true(g_file_set_contents(empty, "", 0, NULL));

        const char *in_order[] = { old, empty, path, NULL };
        g_autoptr(ScanAuditReport) whole = scan_audit_check(in_order, NULL);
        g_assert_false(whole->broken);
        g_assert_false(whole->continues);
        g_assert_cmpuint(whole->records, ==, 7);

        const char *reversed[] = { path, old, NULL };
        g_autoptr(ScanAuditReport) broken = scan_audit_check(reversed, NULL);
        g_assert_true(broken->broken);
        g_assert_cmpstr(broken->file, ==, old);
        g_assert_cmpuint(broken->line, ==, 1);
        g_assert_cmpuint(broken->records, ==, 4);

        const char *twice[] = { old, old, NULL }; /* the same file given twice: its start follows nothing there */
        g_autoptr(ScanAuditReport) repeated = scan_audit_check(twice, NULL);
        g_assert_true(repeated->broken);
        g_assert_cmpuint(repeated->line, ==, 1);
}

static void test_missing_file_is_an_error(void)
{
        g_autofree char *path = audit_fixture_log_path();
        audit_fixture_write(path, 1);
        g_autofree char *missing = g_strconcat(path, ".none", NULL);
        const char *files[] = { path, missing, NULL };
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanAuditReport) report = scan_audit_check(files, &error);
        g_assert_null(report);
        g_assert_error(error, SCAN_ERROR, SCAN_ERROR_LOCAL);
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        g_autofree char *state = g_dir_make_tmp("clamftp-audit-check-XXXXXX", NULL);
        g_assert_nonnull(state);
        g_setenv("XDG_STATE_HOME", state, TRUE);
        g_test_add_func("/scan/audit/check/each-tampering-found-at-its-line", test_tampering_is_found);
        g_test_add_func("/scan/audit/check/first-record-removed-is-a-note", test_first_record_removed_is_noted);
        g_test_add_func("/scan/audit/check/record-forms", test_record_forms);
        g_test_add_func("/scan/audit/check/files-in-order-pass-reversed-fail", test_files_in_order);
        g_test_add_func("/scan/audit/check/missing-file-is-an-error", test_missing_file_is_an_error);
        int rc = g_test_run();
        test_tree_remove(state);
        return rc;
}
