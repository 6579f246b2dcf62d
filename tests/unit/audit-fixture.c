/* tests/unit/audit-fixture.c — fixtures of the audit log's tests (see audit-fixture.h).
 * Owns: fake snapshots, per-test log paths, reading and rewriting a log's lines.
 * Must not: check anything beyond the fixture's own I/O working. */
#include "config.h"
#include "audit-fixture.h"

#include <string.h>

ScanSnapshot *audit_fixture_snapshot(const char *path, gint64 size)
{
        ScanSnapshot *s = g_new0(ScanSnapshot, 1);
        s->fd = -1;
        s->size = size;
        s->path = g_strdup(path);
        g_strlcpy(s->sha256, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", sizeof s->sha256);
        return s;
}

char *audit_fixture_log_path(void)
{
        g_autofree char *name = g_strdelimit(g_strdup(g_test_get_path()), "/", '_');
        return g_build_filename(g_get_user_state_dir(), name, "audit.jsonl", NULL);
}

char **audit_fixture_lines(const char *path)
{
        g_autofree char *text = NULL;
        gsize len;
        g_assert_true(g_file_get_contents(path, &text, &len, NULL));
        g_assert_cmpuint(strlen(text), ==, len); /* no NUL bytes */
        g_assert_true(len == 0 || text[len - 1] == '\n');
        if (len)
                text[len - 1] = '\0';
        return len ? g_strsplit(text, "\n", -1) : g_new0(char *, 1);
}

void audit_fixture_write(const char *path, guint n)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanAudit) audit = scan_audit_open(path, &error);
        g_assert_no_error(error);
        g_autoptr(ScanVerdict) ok = scan_verdict_new(SCAN_VERDICT_OK, NULL, NULL);
        g_autoptr(ScanVerdict) found = scan_verdict_new(SCAN_VERDICT_INFECTED, "Eicar-Test-Signature", NULL);
        g_autoptr(ScanVerdict) failed = scan_verdict_new(SCAN_VERDICT_ERROR, NULL, "COMMAND READ TIMED OUT");
        for (guint i = 0; i < n; i++) {
                g_autofree char *name = g_strdup_printf("/data/file-%u \"q\".bin", i);
                g_autofree char *remote = g_strdup_printf("/up/file-%u.bin", i);
                g_autoptr(ScanSnapshot) s = audit_fixture_snapshot(name, 1000 + i);
                const char *scanner = "unix:/run/clamav/clamd.ctl", *server = "ftp://127.0.0.1:2121";
                const ScanAuditVerify verify = { "HASH SHA-256", s->sha256, 1 };
                switch (i % 8) {
                case 0: scan_audit_verdict(audit, s, ok, scanner); break;
                case 1: scan_audit_upload(audit, s, scanner, server, remote, TRUE, NULL); break;
                case 2: scan_audit_verdict(audit, s, found, scanner); break;
                case 3: scan_audit_verdict(audit, s, failed, scanner); break;
                case 4: scan_audit_upload(audit, s, scanner, server, remote, FALSE, "552 quota exceeded"); break;
                case 5: scan_audit_upload_retried(audit, s, scanner, server, remote, "connection reset"); break;
                case 6: scan_audit_upload_from(audit, s, scanner, server, remote, 512, TRUE, NULL); break;
                default: scan_audit_upload_record(audit, s, scanner, server, remote, 0, "done", NULL, &verify); break;
                }
        }
        g_assert_true(scan_audit_take_error(audit, &error));
}

void audit_fixture_set_lines(const char *path, char **lines)
{
        g_autoptr(GString) text = g_string_new(NULL);
        for (guint i = 0; lines[i]; i++)
                g_string_append_printf(text, "%s\n", lines[i]);
        g_assert_true(g_file_set_contents(path, text->str, (gssize)text->len, NULL));
}

char *audit_fixture_line_hash(const char *text)
{
        g_autofree char *with_newline = g_strconcat(text, "\n", NULL);
        return g_compute_checksum_for_string(G_CHECKSUM_SHA256, with_newline, -1);
}
