/* tests/unit/test-scan-audit.c — the audit log: each record is one line of strict JSON with the
 * documented fields, the file is private and append-only, and threads never interleave records
 * (the chain: test-scan-audit-chain.c; the checker: test-scan-audit-check.c).
 * Must not: write outside the test's own directories (GTest isolates the XDG dirs). */
#include "config.h"
#include "scan/audit.h"
#include "scan/audit-check.h"
#include "scan/json.h"
#include "audit-fixture.h"
#include "tree-remove.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

/* ---- reading records back --------------------------------------------------------------- */
/* A record as key → value (strings unescaped, numbers as written, true/false as words, null as
 * NULL), read with the strict reader scan/json.c (tests/unit/test-scan-json.c pins that reader);
 * NULL when the line is not one flat JSON object. */
static GHashTable *parse_record(const char *line)
{
        g_autoptr(ScanJson) json = scan_json_parse(line, strlen(line), NULL);
        if (!json || json->kind != SCAN_JSON_OBJECT)
                return NULL;
        g_autoptr(GHashTable) fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        for (guint i = 0; i < json->items->len; i++) {
                const ScanJsonMember *m = g_ptr_array_index(json->items, i);
                const char *value = m->value->text;
                if (m->value->kind == SCAN_JSON_BOOL)
                        value = m->value->boolean ? "true" : "false";
                else if (m->value->kind != SCAN_JSON_STRING && m->value->kind != SCAN_JSON_NUMBER &&
                         m->value->kind != SCAN_JSON_NULL)
                        return NULL;
                g_hash_table_insert(fields, g_strdup(m->key), g_strdup(value));
        }
        return g_steal_pointer(&fields);
}

static void test_default_path_in_state_dir(void)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanAudit) audit = scan_audit_open(NULL, &error);
        g_assert_no_error(error);
        g_autofree char *want = g_build_filename(g_get_user_state_dir(), "clamftp", "audit.jsonl", NULL);
        g_assert_cmpstr(scan_audit_path(audit), ==, want);
        struct stat st;
        g_assert_cmpint(g_stat(want, &st), ==, 0);
        g_assert_cmpint(st.st_mode & 0777, ==, 0600);
}

static void test_records_are_strict_json(void)
{
        g_autofree char *path = audit_fixture_log_path();
        g_autoptr(ScanAudit) audit = scan_audit_open(path, NULL);
        g_assert_nonnull(audit);
        const char *hostile = "/tmp/a \"quoted\" \\ back\nnew\tline\001ctl\x7f del é \xff bad";
        g_autoptr(ScanSnapshot) s = audit_fixture_snapshot(hostile, 68);
        g_autoptr(ScanVerdict) found = scan_verdict_new(SCAN_VERDICT_INFECTED, "Sig \"x\" FOUND", NULL);
        g_autoptr(ScanVerdict) ok = scan_verdict_new(SCAN_VERDICT_OK, NULL, NULL);
        scan_audit_verdict(audit, s, found, "unix:/run/x.sock");
        scan_audit_verdict(audit, s, ok, "unix:/run/x.sock");
        scan_audit_upload(audit, s, "unix:/run/x.sock", "ftp://127.0.0.1:2121", "/up/a\"b", TRUE, NULL);
        scan_audit_upload(audit, s, "unix:/run/x.sock", "ftp://127.0.0.1:2121", "/up/c", FALSE, "552 quota");
        scan_audit_verdict(audit, NULL, ok, NULL);
        g_assert_true(scan_audit_take_error(audit, NULL));

        g_auto(GStrv) lines = audit_fixture_lines(path);
        g_assert_cmpuint(g_strv_length(lines), ==, 5);
        g_autoptr(GRegex) iso = g_regex_new("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$", 0, 0, NULL);
        for (guint i = 0; lines[i]; i++) {
                g_test_message("line %u: %s", i, lines[i]);
                g_autoptr(GHashTable) r = parse_record(lines[i]);
                g_assert_nonnull(r);
                g_assert_true(g_regex_match(iso, g_hash_table_lookup(r, "time"), 0, NULL));
        }
        g_autoptr(GHashTable) v = parse_record(lines[0]);
        g_assert_cmpstr(g_hash_table_lookup(v, "event"), ==, "verdict");
        g_assert_cmpstr(g_hash_table_lookup(v, "verdict"), ==, "INFECTED");
        g_assert_cmpstr(g_hash_table_lookup(v, "signature"), ==, "Sig \"x\" FOUND");
        g_assert_cmpstr(g_hash_table_lookup(v, "size"), ==, "68");
        g_assert_cmpstr(g_hash_table_lookup(v, "sha256"), ==, s->sha256);
        g_assert_cmpstr(g_hash_table_lookup(v, "scanner"), ==, "unix:/run/x.sock");
        g_assert_true(g_str_has_prefix(g_hash_table_lookup(v, "path"), "/tmp/a \"quoted\" \\ back\nnew\tline\001ctl"));
        g_assert_true(g_hash_table_contains(v, "reason"));
        g_assert_null(g_hash_table_lookup(v, "reason"));

        g_autoptr(GHashTable) up = parse_record(lines[2]);
        g_assert_cmpstr(g_hash_table_lookup(up, "event"), ==, "upload");
        g_assert_cmpstr(g_hash_table_lookup(up, "verdict"), ==, "OK");
        g_assert_cmpstr(g_hash_table_lookup(up, "server"), ==, "ftp://127.0.0.1:2121");
        g_assert_cmpstr(g_hash_table_lookup(up, "remote"), ==, "/up/a\"b");
        g_assert_cmpstr(g_hash_table_lookup(up, "result"), ==, "done");
        g_assert_null(g_hash_table_lookup(up, "error"));
        g_autoptr(GHashTable) failed = parse_record(lines[3]);
        g_assert_cmpstr(g_hash_table_lookup(failed, "result"), ==, "failed");
        g_assert_cmpstr(g_hash_table_lookup(failed, "error"), ==, "552 quota");
}

/* The reason class closes the verdict record's own fields, after every field older readers know;
 * only the chain's "prev", which closes every record, comes after it. */
static void test_verdict_record_ends_with_reason_class(void)
{
        static const struct {
                const char *reply; /* NULL: the scanner was unreachable */
                const char *record_end;
        } cases[] = {
                { "stream: OK", ",\"scanner\":\"unix:/x\",\"reason_class\":null}" },
                { "stream: Eicar-Test-Signature FOUND", ",\"scanner\":\"unix:/x\",\"reason_class\":\"malware\"}" },
                { "stream: Heuristics.Limits.Exceeded.MaxScanSize FOUND",
                  ",\"scanner\":\"unix:/x\",\"reason_class\":\"limit\"}" },
                { "stream: Heuristics.Encrypted.Zip FOUND", ",\"scanner\":\"unix:/x\",\"reason_class\":\"encrypted\"}" },
                { "INSTREAM size limit exceeded. ERROR", ",\"scanner\":\"unix:/x\",\"reason_class\":\"limit\"}" },
                { "COMMAND READ TIMED OUT", ",\"scanner\":\"unix:/x\",\"reason_class\":\"timeout\"}" },
                { "garbage", ",\"scanner\":\"unix:/x\",\"reason_class\":\"protocol\"}" },
                { NULL, ",\"scanner\":\"unix:/x\",\"reason_class\":\"unreachable\"}" },
        };
        g_autofree char *path = audit_fixture_log_path();
        g_autoptr(ScanAudit) audit = scan_audit_open(path, NULL);
        g_autoptr(ScanSnapshot) s = audit_fixture_snapshot("/a", 1);
        for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
                g_autoptr(GError) down = g_error_new_literal(SCAN_ERROR, SCAN_ERROR_UNREACHABLE, "down");
                g_autoptr(ScanVerdict) v = cases[i].reply ? scan_verdict_parse(cases[i].reply)
                                                          : scan_verdict_new_error(down);
                scan_audit_verdict(audit, s, v, "unix:/x");
        }
        g_auto(GStrv) lines = audit_fixture_lines(path);
        g_assert_cmpuint(g_strv_length(lines), ==, G_N_ELEMENTS(cases));
        g_autoptr(GRegex) prev = g_regex_new(",\"prev\":(null|\"[0-9a-f]{64}\")}$", 0, 0, NULL);
        for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
                g_test_message("record %zu: %s", i, lines[i]);
                g_autoptr(GHashTable) r = parse_record(lines[i]);
                g_assert_nonnull(r);
                g_assert_true(g_regex_match(prev, lines[i], 0, NULL));
                g_autofree char *own = g_regex_replace_literal(prev, lines[i], -1, 0, "}", 0, NULL);
                g_assert_true(g_str_has_suffix(own, cases[i].record_end));
        }
}

/* An ICAP service's ISTag (which rules and engine judged) follows the reason class; a clamd
 * verdict has none and its record is unchanged. Both pass the audit check. */
static void test_verdict_record_keeps_istag(void)
{
        g_autofree char *path = audit_fixture_log_path();
        g_autoptr(ScanAudit) audit = scan_audit_open(path, NULL);
        g_autoptr(ScanSnapshot) s = audit_fixture_snapshot("/a", 1);
        g_autoptr(ScanVerdict) icap = scan_verdict_new(SCAN_VERDICT_INFECTED, "Eicar", NULL);
        icap->istag = g_strdup("CI0001-\"q\"");
        scan_audit_verdict(audit, s, icap, "icap://127.0.0.1:1344/avscan");
        g_autoptr(ScanVerdict) clamd = scan_verdict_parse("stream: OK");
        scan_audit_verdict(audit, s, clamd, "unix:/x");
        g_auto(GStrv) lines = audit_fixture_lines(path);
        g_assert_cmpuint(g_strv_length(lines), ==, 2);
        g_assert_nonnull(strstr(lines[0], ",\"reason_class\":\"malware\",\"istag\":\"CI0001-\\\"q\\\"\",\"prev\":"));
        g_assert_null(strstr(lines[1], "istag"));
        g_autoptr(GHashTable) r = parse_record(lines[0]);
        g_assert_cmpstr(g_hash_table_lookup(r, "istag"), ==, "CI0001-\"q\"");
        const char *files[] = { path, NULL };
        g_autoptr(ScanAuditReport) report = scan_audit_check(files, NULL);
        g_assert_false(report->broken);
        g_assert_cmpuint(report->records, ==, 2);
}

/* A file whose snapshot could not be taken (the spool full, unreadable) is in the log all the
 * same: an ERROR verdict of class "local" with its path and reason, no size or digest, that the
 * audit check accepts and that keeps the chain. */
static void test_unread_file_is_recorded(void)
{
        g_autofree char *path = audit_fixture_log_path();
        g_autoptr(ScanAudit) audit = scan_audit_open(path, NULL);
        g_autoptr(ScanSnapshot) s = audit_fixture_snapshot("/a", 1);
        g_autoptr(ScanVerdict) ok = scan_verdict_new(SCAN_VERDICT_OK, NULL, NULL);
        scan_audit_verdict(audit, s, ok, "unix:/x");
        g_autoptr(GError) full = g_error_new_literal(SCAN_ERROR, SCAN_ERROR_LOCAL, "No space left on device");
        g_autoptr(ScanVerdict) unread = scan_verdict_new_error(full);
        scan_verdict_set_path(unread, "/up/huge.bin");
        scan_audit_verdict(audit, NULL, unread, "unix:/x");
        scan_audit_verdict(audit, s, ok, "unix:/x");
        g_assert_true(scan_audit_take_error(audit, NULL));
        g_auto(GStrv) lines = audit_fixture_lines(path);
        g_assert_cmpuint(g_strv_length(lines), ==, 3);
        g_autoptr(GHashTable) r = parse_record(lines[1]);
        g_assert_nonnull(r);
        g_assert_cmpstr(g_hash_table_lookup(r, "event"), ==, "verdict");
        g_assert_cmpstr(g_hash_table_lookup(r, "path"), ==, "/up/huge.bin");
        g_assert_cmpstr(g_hash_table_lookup(r, "verdict"), ==, "ERROR");
        g_assert_cmpstr(g_hash_table_lookup(r, "reason_class"), ==, "local");
        g_assert_cmpstr(g_hash_table_lookup(r, "reason"), ==, "No space left on device");
        g_assert_true(g_hash_table_contains(r, "size") && g_hash_table_contains(r, "sha256"));
        g_assert_null(g_hash_table_lookup(r, "size"));
        g_assert_null(g_hash_table_lookup(r, "sha256"));
        const char *files[] = { path, NULL };
        g_autoptr(ScanAuditReport) report = scan_audit_check(files, NULL);
        g_assert_false(report->broken);
        g_assert_cmpuint(report->records, ==, 3);
}

static void test_relative_path_is_recorded_absolute(void)
{
        g_autofree char *path = audit_fixture_log_path();
        g_autoptr(ScanAudit) audit = scan_audit_open(path, NULL);
        g_autoptr(ScanSnapshot) s = audit_fixture_snapshot("sub/file.txt", 1);
        g_autoptr(ScanVerdict) ok = scan_verdict_new(SCAN_VERDICT_OK, NULL, NULL);
        scan_audit_verdict(audit, s, ok, "tcp:[::1]:3310");
        g_auto(GStrv) lines = audit_fixture_lines(path);
        g_autoptr(GHashTable) r = parse_record(lines[0]);
        g_autofree char *cwd = g_get_current_dir();
        g_autofree char *want = g_build_filename(cwd, "sub", "file.txt", NULL);
        g_assert_cmpstr(g_hash_table_lookup(r, "path"), ==, want);
}

static void test_appends_and_keeps_old_records(void)
{
        g_autofree char *path = audit_fixture_log_path();
        g_autoptr(ScanVerdict) ok = scan_verdict_new(SCAN_VERDICT_OK, NULL, NULL);
        g_autoptr(ScanSnapshot) s = audit_fixture_snapshot("/a", 1);
        for (int round = 0; round < 2; round++) {
                g_autoptr(ScanAudit) audit = scan_audit_open(path, NULL);
                scan_audit_verdict(audit, s, ok, "unix:/x");
        }
        g_auto(GStrv) lines = audit_fixture_lines(path);
        g_assert_cmpuint(g_strv_length(lines), ==, 2);
        struct stat st;
        g_assert_cmpint(g_stat(path, &st), ==, 0);
        g_assert_cmpint(st.st_mode & 0777, ==, 0600);
}

static gpointer writer(gpointer data)
{
        ScanAudit *audit = data;
        g_autoptr(ScanVerdict) v = scan_verdict_new(SCAN_VERDICT_ERROR, NULL, "a reason long enough to matter");
        g_autoptr(ScanSnapshot) s = audit_fixture_snapshot("/some/long/path/to/a/file/that/is/uploaded.bin", 123456);
        for (int i = 0; i < 300; i++)
                scan_audit_verdict(audit, s, v, "unix:/run/clamav/clamd.ctl");
        return NULL;
}

/* Four threads of one process: no record cut into another, and the chain whole. */
static void test_threads_never_interleave(void)
{
        g_autofree char *path = audit_fixture_log_path();
        g_autoptr(ScanAudit) audit = scan_audit_open(path, NULL);
        GThread *threads[4];
        for (int i = 0; i < 4; i++)
                threads[i] = g_thread_new("writer", writer, audit);
        for (int i = 0; i < 4; i++)
                g_thread_join(threads[i]);
        g_auto(GStrv) lines = audit_fixture_lines(path);
        g_assert_cmpuint(g_strv_length(lines), ==, 1200);
        for (guint i = 0; lines[i]; i++) {
                g_autoptr(GHashTable) r = parse_record(lines[i]);
                g_assert_nonnull(r);
        }
        const char *files[] = { path, NULL };
        g_autoptr(ScanAuditReport) report = scan_audit_check(files, NULL);
        g_assert_nonnull(report);
        g_assert_false(report->broken);
        g_assert_cmpuint(report->records, ==, 1200);
}

static void test_unopenable_log_is_error(void)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanAudit) audit = scan_audit_open("/proc/clamftp-no/audit.jsonl", &error);
        g_assert_null(audit);
        g_assert_error(error, SCAN_ERROR, SCAN_ERROR_LOCAL);
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        /* a private state dir, set before GLib first reads it (G_TEST_OPTION_ISOLATE_DIRS would do
         * it per test, but GLib keeps every replaced dir string alive, which leak checkers report) */
        g_autofree char *state = g_dir_make_tmp("clamftp-audit-XXXXXX", NULL);
        g_assert_nonnull(state);
        g_setenv("XDG_STATE_HOME", state, TRUE);
        g_test_add_func("/scan/audit/default-path-is-in-xdg-state-dir", test_default_path_in_state_dir);
        g_test_add_func("/scan/audit/records-are-strict-json-lines", test_records_are_strict_json);
        g_test_add_func("/scan/audit/verdict-record-ends-with-reason-class", test_verdict_record_ends_with_reason_class);
        g_test_add_func("/scan/audit/verdict-record-keeps-icap-istag", test_verdict_record_keeps_istag);
        g_test_add_func("/scan/audit/unread-file-is-an-error-of-class-local", test_unread_file_is_recorded);
        g_test_add_func("/scan/audit/relative-path-is-recorded-absolute", test_relative_path_is_recorded_absolute);
        g_test_add_func("/scan/audit/reopen-appends-file-stays-0600", test_appends_and_keeps_old_records);
        g_test_add_func("/scan/audit/threads-never-interleave-records", test_threads_never_interleave);
        g_test_add_func("/scan/audit/unopenable-log-is-error", test_unopenable_log_is_error);
        int rc = g_test_run();
        test_tree_remove(state);
        return rc;
}
