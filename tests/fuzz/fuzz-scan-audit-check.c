/* tests/fuzz/fuzz-scan-audit-check.c — the audit-log checker (scan/audit-check.c): the input, cut
 * at its first NUL byte, is two files of one log (the older, then the newer), read with
 * scan_audit_check; each line alone goes through scan_audit_check_record, and the newer file
 * through scan_audit_chain_last. Properties: a report is always made (the files exist); records
 * counted are no more than the lines; a whole log ends with the hash of its last record (64 hex)
 * or "" for none; a break names its file, a line from 1 and the problem. */
#include "tests/fuzz/fuzz.h"
#include "scan/audit-check.h"

#include <fcntl.h>
#include <unistd.h>

static gulong count_lines(const uint8_t *data, size_t size)
{
        gulong n = 0;
        for (size_t i = 0; i < size; i++)
                n += data[i] == '\n';
        return n + (size > 0 && data[size - 1] != '\n');
}

FUZZ_INITIALIZE_STRICT()

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const uint8_t *nul = memchr(data, '\0', size);
        gsize older_len = nul ? (gsize)(nul - data) : 0;
        const uint8_t *newer = nul ? nul + 1 : data;
        gsize newer_len = nul ? size - older_len - 1 : size;
        const char *files[3] = { NULL, NULL, NULL };
        guint n = 0;
        if (nul)
                files[n++] = fuzz_write_file("audit.log.1", data, older_len);
        files[n++] = fuzz_write_file("audit.log", newer, newer_len);

        g_autoptr(GError) error = NULL;
        g_autoptr(ScanAuditReport) report = scan_audit_check(files, &error);
        FUZZ_ASSERT(report != NULL);
        FUZZ_ASSERT(report->records <= count_lines(data, older_len) + count_lines(newer, newer_len));
        FUZZ_ASSERT(report->unchained <= report->records);
        if (report->broken) {
                FUZZ_ASSERT(report->file && report->line >= 1 && report->problem && report->problem[0]);
        } else {
                gsize len = strlen(report->last);
                FUZZ_ASSERT(len == (report->records ? SCAN_AUDIT_HASH_SIZE - 1 : 0));
                FUZZ_ASSERT(strspn(report->last, "0123456789abcdef") == len);
        }

        g_autofree char *text = fuzz_cstr(newer, newer_len);
        g_auto(GStrv) lines = g_strsplit(text, "\n", 32);
        for (char **line = lines; *line; line++) {
                g_autofree char *problem = scan_audit_check_record(*line, strlen(*line));
                FUZZ_ASSERT(problem == NULL || problem[0] != '\0');
        }

        int fd = open(files[n - 1], O_RDONLY | O_CLOEXEC);
        FUZZ_ASSERT(fd >= 0);
        char last[SCAN_AUDIT_HASH_SIZE];
        gboolean complete = FALSE;
        (void)scan_audit_chain_last(fd, files[n - 1], last, &complete, NULL);
        close(fd);
        return 0;
}
