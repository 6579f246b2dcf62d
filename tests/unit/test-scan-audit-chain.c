/* tests/unit/test-scan-audit-chain.c — the audit log's hash chain as written: "prev" is the
 * SHA-256 of the line before (computed here independently), null only at the start; a log
 * rotated by rename (before or while clamftp has it open), removed, or copied and truncated goes
 * on from "<path>.1"; a line cut short is ended first; old records without "prev" are followed;
 * a FIFO is chained by the process writing it; two processes appending at once keep the chain
 * whole; lines of any length around the 4 KiB read of the log's tail are chained whole.
 * Must not: write outside the test's own state directory. */
#include "config.h"
#include "scan/audit.h"
#include "scan/audit-check.h"
#include "scan/json.h"
#include "audit-fixture.h"
#include "tree-remove.h"

#include <glib/gstdio.h>
#include <stdarg.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The "prev" of a record line: its hex, "null", or NULL when it has none. Asserts it is the
 * record's last member. transfer full */
static char *prev_of(const char *line)
{
        g_autoptr(ScanJson) json = scan_json_parse(line, strlen(line), NULL);
        g_assert_nonnull(json);
        g_assert_cmpint(json->kind, ==, SCAN_JSON_OBJECT);
        const ScanJsonMember *last = g_ptr_array_index(json->items, json->items->len - 1);
        const ScanJson *prev = scan_json_get(json, "prev");
        if (!prev)
                return NULL;
        g_assert_cmpstr(last->key, ==, "prev");
        return g_strdup(prev->kind == SCAN_JSON_NULL ? "null" : prev->text);
}

static void assert_follows(const char *line, const char *before)
{
        g_autofree char *prev = prev_of(line);
        g_autofree char *want = audit_fixture_line_hash(before);
        g_assert_cmpstr(prev, ==, want);
}

static void assert_starts_chain(const char *line)
{
        g_autofree char *prev = prev_of(line);
        g_assert_cmpstr(prev, ==, "null");
}

/* scan_audit_check over the files given (NULL-terminated): asserts it reads them. transfer full */
static ScanAuditReport *check(const char *first, ...)
{
        g_autoptr(GPtrArray) files = g_ptr_array_new();
        va_list args;
        va_start(args, first);
        for (const char *f = first; f; f = va_arg(args, const char *))
                g_ptr_array_add(files, (gpointer)f);
        va_end(args);
        g_ptr_array_add(files, NULL);
        g_autoptr(GError) error = NULL;
        ScanAuditReport *report = scan_audit_check((const char *const *)files->pdata, &error);
        g_assert_no_error(error);
        if (report->broken)
                g_test_message("broken: %s:%lu: %s", report->file, report->line, report->problem);
        return report;
}

static void assert_whole(ScanAuditReport *report, gulong records)
{
        g_assert_false(report->broken);
        g_assert_cmpuint(report->records, ==, records);
}

static void write_verdicts(ScanAudit *audit, guint n)
{
        g_autoptr(ScanVerdict) ok = scan_verdict_new(SCAN_VERDICT_OK, NULL, NULL);
        g_autoptr(ScanSnapshot) s = audit_fixture_snapshot("/a", 1);
        for (guint i = 0; i < n; i++)
                scan_audit_verdict(audit, s, ok, "unix:/x");
        g_assert_true(scan_audit_take_error(audit, NULL));
}

static char *last_line_of(const char *path)
{
        g_auto(GStrv) lines = audit_fixture_lines(path);
        guint n = g_strv_length(lines);
        g_assert_cmpuint(n, >, 0);
        return g_strdup(lines[n - 1]);
}

static void test_each_prev_is_hash_of_line_before(void)
{
        g_autofree char *path = audit_fixture_log_path();
        audit_fixture_write(path, 4);
        audit_fixture_write(path, 10); /* a second process, later: the chain goes on */
        g_auto(GStrv) lines = audit_fixture_lines(path);
        g_assert_cmpuint(g_strv_length(lines), ==, 14);
        assert_starts_chain(lines[0]);
        for (guint i = 1; lines[i]; i++)
                assert_follows(lines[i], lines[i - 1]);
        g_autoptr(ScanAuditReport) report = check(path, NULL);
        assert_whole(report, 14);
        g_autofree char *last = audit_fixture_line_hash(lines[13]);
        g_assert_cmpstr(report->last, ==, last);
}

/* The last line is found in the log's last 4 KiB in one read: lines shorter, exactly as long and
 * longer than that (a long path) each get the hash of the whole line before them. */
static void test_long_lines_around_the_tail_read(void)
{
        g_autofree char *path = audit_fixture_log_path();
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanAudit) audit = scan_audit_open(path, &error);
        g_assert_no_error(error);
        g_autoptr(ScanVerdict) ok = scan_verdict_new(SCAN_VERDICT_OK, NULL, NULL);
        static const guint lengths[] = { 10, 3700, 3800, 3900, 3950, 3990, 4000, 4010, 4050, 4096, 4200, 9000, 20, 8200 };
        for (guint i = 0; i < G_N_ELEMENTS(lengths); i++) {
                for (guint step = 0; step < 24; step += 3) {
                        g_autofree char *name = g_strnfill(lengths[i] + step, 'x');
                        g_autofree char *file = g_strconcat("/", name, NULL);
                        g_autoptr(ScanSnapshot) s = audit_fixture_snapshot(file, 1);
                        scan_audit_verdict(audit, s, ok, "unix:/x");
                }
        }
        g_assert_true(scan_audit_take_error(audit, NULL));
        g_auto(GStrv) lines = audit_fixture_lines(path);
        guint n = g_strv_length(lines);
        g_assert_cmpuint(n, ==, G_N_ELEMENTS(lengths) * 8);
        assert_starts_chain(lines[0]);
        gsize longest = 0;
        for (guint i = 1; lines[i]; i++) {
                assert_follows(lines[i], lines[i - 1]);
                longest = MAX(longest, strlen(lines[i]));
        }
        g_assert_cmpuint(longest, >, 2 * 4096); /* the read of the tail was not enough for some */
        g_autoptr(ScanAuditReport) report = check(path, NULL);
        assert_whole(report, n);
}

/* Writes `before` records to the log at path, moves it to path + suffix (returned), then writes
 * `after` records: a rotation between two runs. transfer full */
static char *rotate_between_runs(const char *path, const char *suffix, guint before, guint after)
{
        char *old = g_strconcat(path, suffix, NULL);
        audit_fixture_write(path, before);
        g_assert_cmpint(g_rename(path, old), ==, 0);
        audit_fixture_write(path, after);
        return old;
}

static void test_rotated_log_chains_from_dot_1(void)
{
        g_autofree char *path = audit_fixture_log_path();
        g_autofree char *old = rotate_between_runs(path, ".1", 3, 2);
        g_auto(GStrv) lines = audit_fixture_lines(path);
        g_autofree char *before = last_line_of(old);
        assert_follows(lines[0], before);

        g_autoptr(ScanAuditReport) in_order = check(old, path, NULL);
        assert_whole(in_order, 5);
        g_autoptr(ScanAuditReport) reversed = check(path, old, NULL);
        g_assert_true(reversed->broken);
        g_assert_cmpstr(reversed->file, ==, old);
        g_assert_cmpuint(reversed->line, ==, 1);
}

/* Only "<path>.1" is the file before: another name (a date, .2) leaves the new log to start anew. */
static void test_other_rotated_names_start_anew(void)
{
        g_autofree char *path = audit_fixture_log_path();
        g_autofree char *dated = rotate_between_runs(path, "-20260101", 2, 1);
        g_auto(GStrv) lines = audit_fixture_lines(path);
        assert_starts_chain(lines[0]);
        g_autoptr(ScanAuditReport) report = check(dated, path, NULL);
        g_assert_true(report->broken);
        g_assert_cmpstr(report->file, ==, path);
        g_assert_nonnull(strstr(report->problem, "new chain"));
}

/* logrotate's default (rename, then a new file) while clamftp has the log open: the next record
 * goes to the new file at the path, chained from the renamed one. */
static void test_log_renamed_while_open(void)
{
        g_autofree char *path = audit_fixture_log_path();
        g_autofree char *old = g_strconcat(path, ".1", NULL);
        g_autoptr(ScanAudit) audit = scan_audit_open(path, NULL);
        write_verdicts(audit, 2);
        g_assert_cmpint(g_rename(path, old), ==, 0);
        write_verdicts(audit, 2);
        g_auto(GStrv) old_lines = audit_fixture_lines(old);
        g_auto(GStrv) lines = audit_fixture_lines(path);
        g_assert_cmpuint(g_strv_length(old_lines), ==, 2);
        g_assert_cmpuint(g_strv_length(lines), ==, 2);
        assert_follows(lines[0], old_lines[1]);
        g_autoptr(ScanAuditReport) report = check(old, path, NULL);
        assert_whole(report, 4);
}

static void test_log_removed_while_open(void)
{
        g_autofree char *path = audit_fixture_log_path();
        g_autoptr(ScanAudit) audit = scan_audit_open(path, NULL);
        write_verdicts(audit, 2);
        g_assert_cmpint(g_unlink(path), ==, 0);
        write_verdicts(audit, 1);
        g_auto(GStrv) lines = audit_fixture_lines(path);
        g_assert_cmpuint(g_strv_length(lines), ==, 1);
        assert_starts_chain(lines[0]);
}

/* logrotate's copytruncate: the same file, emptied; its copy is "<path>.1". */
static void test_copytruncate_chains_from_dot_1(void)
{
        g_autofree char *path = audit_fixture_log_path();
        g_autofree char *old = g_strconcat(path, ".1", NULL);
        g_autoptr(ScanAudit) audit = scan_audit_open(path, NULL);
        write_verdicts(audit, 3);
        g_autofree char *text = NULL;
        gsize len;
        g_assert_true(g_file_get_contents(path, &text, &len, NULL));
        g_assert_true(g_file_set_contents(old, text, (gssize)len, NULL));
        g_assert_cmpint(truncate(path, 0), ==, 0);
        write_verdicts(audit, 1);
        g_auto(GStrv) lines = audit_fixture_lines(path);
        g_assert_cmpuint(g_strv_length(lines), ==, 1);
        g_autofree char *before = last_line_of(old);
        assert_follows(lines[0], before);
        g_autoptr(ScanAuditReport) report = check(old, path, NULL);
        assert_whole(report, 4);
}

/* A write cut short left a line without its newline: the next record ends it first and chains
 * from it as it now stands; the checker names the cut line. */
static void test_cut_line_is_ended_first(void)
{
        g_autofree char *path = audit_fixture_log_path();
        audit_fixture_write(path, 2);
        FILE *f = fopen(path, "a");
        g_assert_nonnull(f);
        fputs("{\"time\":\"2026", f);
        g_assert_cmpint(fclose(f), ==, 0);
        audit_fixture_write(path, 1);
        g_auto(GStrv) lines = audit_fixture_lines(path);
        g_assert_cmpuint(g_strv_length(lines), ==, 4);
        g_assert_cmpstr(lines[2], ==, "{\"time\":\"2026");
        assert_follows(lines[3], lines[2]);
        g_autoptr(ScanAuditReport) report = check(path, NULL);
        g_assert_true(report->broken);
        g_assert_cmpuint(report->line, ==, 3);
        g_assert_nonnull(strstr(report->problem, "not JSON"));
}

/* A log written before the chain existed: the first new record chains from its last line. */
static void test_records_before_the_chain(void)
{
        g_autofree char *path = audit_fixture_log_path();
        audit_fixture_write(path, 3);
        g_auto(GStrv) lines = audit_fixture_lines(path);
        g_autoptr(GRegex) prev = g_regex_new(",\"prev\":(null|\"[0-9a-f]{64}\")}$", 0, 0, NULL);
        for (guint i = 0; lines[i]; i++) {
                char *old = g_regex_replace_literal(prev, lines[i], -1, 0, "}", 0, NULL);
                g_free(lines[i]);
                lines[i] = old;
        }
        audit_fixture_set_lines(path, lines);
        audit_fixture_write(path, 2);
        g_auto(GStrv) now = audit_fixture_lines(path);
        g_autofree char *none = prev_of(now[2]);
        g_assert_null(none);
        assert_follows(now[3], now[2]);
        g_autoptr(ScanAuditReport) report = check(path, NULL);
        assert_whole(report, 5);
        g_assert_cmpuint(report->unchained, ==, 3);
}

/* A log that is no regular file (a FIFO to a collector) cannot be read back: the process chains
 * what it writes there. */
static void test_fifo_chains_what_it_wrote(void)
{
        g_autofree char *path = audit_fixture_log_path();
        g_autofree char *dir = g_path_get_dirname(path);
        g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
        g_assert_cmpint(mkfifo(path, 0600), ==, 0);
        int reader = open(path, O_RDONLY | O_NONBLOCK);
        g_assert_cmpint(reader, >=, 0);
        audit_fixture_write(path, 3);
        char buf[8192];
        ssize_t n = read(reader, buf, sizeof buf - 1);
        close(reader);
        g_assert_cmpint(n, >, 0);
        buf[n] = '\0';
        g_assert_true(g_str_has_suffix(buf, "\n"));
        buf[n - 1] = '\0';
        g_auto(GStrv) lines = g_strsplit(buf, "\n", -1);
        g_assert_cmpuint(g_strv_length(lines), ==, 3);
        assert_starts_chain(lines[0]);
        assert_follows(lines[1], lines[0]);
        assert_follows(lines[2], lines[1]);
}

#define PER_PROCESS 400

/* Two processes (as two clamftp runs) append to one log at once: every record is there, whole,
 * and the chain holds: the flock covers reading the last line, hashing it and appending. */
static void test_two_processes_at_once(void)
{
        g_autofree char *path = audit_fixture_log_path();
        audit_fixture_write(path, 1); /* the directory exists before the race */
        int go[2];
        g_assert_cmpint(pipe(go), ==, 0);
        pid_t pids[2];
        for (int i = 0; i < 2; i++) {
                pids[i] = fork();
                g_assert_cmpint(pids[i], >=, 0);
                if (pids[i] == 0) {
                        char c;
                        close(go[1]);
                        if (read(go[0], &c, 1) < 0) /* both start when the parent closes the pipe */
                                _exit(3);
                        audit_fixture_write(path, PER_PROCESS);
                        _exit(0);
                }
        }
        close(go[0]);
        close(go[1]);
        for (int i = 0; i < 2; i++) {
                int status;
                g_assert_cmpint(waitpid(pids[i], &status, 0), ==, pids[i]);
                g_assert_true(WIFEXITED(status));
                g_assert_cmpint(WEXITSTATUS(status), ==, 0);
        }
        g_autoptr(ScanAuditReport) report = check(path, NULL);
        assert_whole(report, 1 + 2 * PER_PROCESS);
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        g_autofree char *state = g_dir_make_tmp("clamftp-audit-chain-XXXXXX", NULL);
        g_assert_nonnull(state);
        g_setenv("XDG_STATE_HOME", state, TRUE);
        g_test_add_func("/scan/audit/chain/each-prev-is-the-hash-of-the-line-before", test_each_prev_is_hash_of_line_before);
        g_test_add_func("/scan/audit/chain/long-lines-around-the-tail-read", test_long_lines_around_the_tail_read);
        g_test_add_func("/scan/audit/chain/empty-log-chains-from-dot-1", test_rotated_log_chains_from_dot_1);
        g_test_add_func("/scan/audit/chain/other-rotated-names-start-anew", test_other_rotated_names_start_anew);
        g_test_add_func("/scan/audit/chain/log-renamed-while-open-goes-on-in-new-file", test_log_renamed_while_open);
        g_test_add_func("/scan/audit/chain/log-removed-while-open-starts-anew", test_log_removed_while_open);
        g_test_add_func("/scan/audit/chain/copytruncate-chains-from-dot-1", test_copytruncate_chains_from_dot_1);
        g_test_add_func("/scan/audit/chain/cut-line-is-ended-before-next-record", test_cut_line_is_ended_first);
        g_test_add_func("/scan/audit/chain/records-before-the-chain-are-followed", test_records_before_the_chain);
        g_test_add_func("/scan/audit/chain/fifo-chains-what-the-process-wrote", test_fifo_chains_what_it_wrote);
        g_test_add_func("/scan/audit/chain/two-processes-appending-at-once-keep-it", test_two_processes_at_once);
        int rc = g_test_run();
        test_tree_remove(state);
        return rc;
}
