/* tests/unit/test-scan-limits.c — knowing the scanner's size limit before copying: the STATS
 * "LIMITS:" line, clamd's defaults when it is missing, the libclamav ceiling, the override, the
 * per-address cache, the refusal's words, and the pipeline refusing a file before any copy.
 * Must not: need a real clamd (an in-process fake answers). */
#include "config.h"
#include "scan/limits.h"
#include "scan/pipeline.h"
#include "scan-fake.h"
#include "tree-remove.h"

#include <glib/gstdio.h>
#include <string.h>

/* What clamav-agent's STATS says (src/agent/server.c), and clamd 1.4's, which has no LIMITS. */
#define AGENT_STATS                                                                                   \
        "POOLS: 1\n\nSTATE: VALID PRIMARY\nTHREADS: live 0  idle 2 max 2 idle-timeout 30\n"             \
        "QUEUE: 0 items\nSCANS: 3\nENGINE: 3 signatures loaded 2026-12-07 16:00:00\n"                    \
        "LIMITS: MaxFileSize 3145728 MaxScanSize 419430400 StreamMaxLength 2097152\n\n"                   \
        "MEMSTATS: heap N/A mmap N/A used N/A free N/A releasable N/A pools 1 pools_used N/A "           \
        "pools_total N/A\n"
#define CLAMD_STATS                                                                                   \
        "POOLS: 1\n\nSTATE: VALID PRIMARY\nTHREADS: live 2  idle 1 max 2 idle-timeout 30\n"             \
        "QUEUE: 0 items\n\tIDLE 3.999442 \n\tSTATS 0.000002 \n\nMEMSTATS: heap N/A mmap N/A used N/A "  \
        "free N/A releasable N/A pools 1 pools_used 5.884M pools_total 5.964M\n"

static void test_parse(void)
{
        static const struct {
                const char *stats;
                gboolean ok;
                gint64 file, scan, stream;
        } rows[] = {
                { AGENT_STATS, TRUE, 3145728, 419430400, 2097152 },
                { "LIMITS: StreamMaxLength 5 MaxFileSize 0\n", TRUE, 0, 0, 5 }, /* any order; 0: none */
                { CLAMD_STATS, FALSE, 0, 0, 0 },
                { "LIMITS: MaxFileSize 10M MaxScanSize 1 StreamMaxLength 1\n", FALSE, 0, 0, 0 },
                { "LIMITS: MaxFileSize -1 StreamMaxLength 1\n", FALSE, 0, 0, 0 },
                { "LIMITS: MaxFileSize\n", FALSE, 0, 0, 0 },
                { "LIMITS: MaxScanSize 7\n", FALSE, 0, 0, 0 },
                { "", FALSE, 0, 0, 0 },
                { NULL, FALSE, 0, 0, 0 },
        };
        for (gsize i = 0; i < G_N_ELEMENTS(rows); i++) {
                ScanLimits limits = { 0 };
                g_assert_cmpint(scan_limits_parse_stats(rows[i].stats, &limits), ==, rows[i].ok);
                if (!rows[i].ok)
                        continue;
                g_assert_cmpint(limits.max_file_size, ==, rows[i].file);
                g_assert_cmpint(limits.max_scan_size, ==, rows[i].scan);
                g_assert_cmpint(limits.stream_max_length, ==, rows[i].stream);
                g_assert_cmpint(limits.source, ==, SCAN_LIMITS_REPORTED);
        }
}

static void test_max_bytes(void)
{
        ScanLimits clamd;
        scan_limits_clamd_defaults(&clamd);
        g_assert_cmpint(scan_limits_max_bytes(&clamd, TRUE), ==, 100 << 20);
        g_assert_cmpint(scan_limits_max_bytes(&clamd, FALSE), ==, 100 << 20);
        ScanLimits reported = { 3 << 20, 400 << 20, 2 << 20, SCAN_LIMITS_REPORTED };
        g_assert_cmpint(scan_limits_max_bytes(&reported, TRUE), ==, 3 << 20);  /* FILDES: MaxFileSize */
        g_assert_cmpint(scan_limits_max_bytes(&reported, FALSE), ==, 2 << 20); /* INSTREAM: and the stream's */
        ScanLimits none = { 0, 0, 0, SCAN_LIMITS_REPORTED };
        g_assert_cmpint(scan_limits_max_bytes(&none, TRUE), ==, SCAN_LIMITS_LIBCLAMAV_MAX);
        ScanLimits huge = { G_GINT64_CONSTANT(8) << 30, 0, G_GINT64_CONSTANT(8) << 30, SCAN_LIMITS_REPORTED };
        g_assert_cmpint(scan_limits_max_bytes(&huge, FALSE), ==, SCAN_LIMITS_LIBCLAMAV_MAX);
        ScanLimits config = { G_GINT64_CONSTANT(8) << 30, 0, G_GINT64_CONSTANT(8) << 30, SCAN_LIMITS_CONFIG };
        g_assert_cmpint(scan_limits_max_bytes(&config, FALSE), ==, G_GINT64_CONSTANT(8) << 30);
        ScanLimits unknown = { 1, 1, 1, SCAN_LIMITS_UNKNOWN };
        g_assert_cmpint(scan_limits_max_bytes(&unknown, TRUE), ==, -1);
}

static void test_verdict_words(void)
{
        ScanLimits clamd;
        scan_limits_clamd_defaults(&clamd);
        g_autoptr(ScanVerdict) v = scan_limits_verdict(&clamd, TRUE, G_GINT64_CONSTANT(3) << 30);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_cmpint(v->reason_class, ==, SCAN_REASON_LIMIT);
        g_assert_null(v->signature); /* nothing was detected: the scanner never saw it */
        g_assert_null(v->reply);
        g_assert_nonnull(strstr(v->reason, "MaxFileSize"));
        g_assert_nonnull(strstr(v->reason, "max-file-size")); /* says how to raise it */

        ScanLimits stream = { 0, 0, 2 << 20, SCAN_LIMITS_REPORTED };
        g_autoptr(ScanVerdict) s = scan_limits_verdict(&stream, FALSE, 3 << 20);
        g_assert_nonnull(strstr(s->reason, "StreamMaxLength"));
        ScanLimits none = { 0, 0, 0, SCAN_LIMITS_REPORTED };
        g_autoptr(ScanVerdict) n = scan_limits_verdict(&none, TRUE, G_GINT64_CONSTANT(3) << 30);
        g_assert_nonnull(strstr(n->reason, "libclamav"));
}

static void test_learnt_once_per_address(void)
{
        scan_limits_forget();
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        fake_scanner_set_stats(fake, AGENT_STATS);
        g_autoptr(ScanClient) client = scan_client_new(fake_scanner_address(fake), NULL);
        g_autoptr(ScanClient) copy = scan_client_copy(client);
        ScanLimits limits = { 0 };
        scan_limits_of(client, &limits);
        g_assert_cmpint(limits.source, ==, SCAN_LIMITS_REPORTED);
        g_assert_cmpint(limits.max_file_size, ==, 3145728);
        scan_limits_of(copy, &limits);
        scan_limits_of(client, &limits);
        g_assert_cmpuint(fake_scanner_stats_asked(fake), ==, 1);

        scan_limits_set_max_file_size(5000);
        scan_limits_of(client, &limits);
        g_assert_cmpint(limits.source, ==, SCAN_LIMITS_CONFIG);
        g_assert_cmpint(scan_limits_max_bytes(&limits, FALSE), ==, 5000);
        scan_limits_set_max_file_size(0);
        scan_limits_of(client, &limits);
        g_assert_cmpint(limits.source, ==, SCAN_LIMITS_REPORTED);
        scan_limits_forget();
}

static void test_clamd_defaults_when_not_reported(void)
{
        scan_limits_forget();
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        fake_scanner_set_stats(fake, CLAMD_STATS);
        g_autoptr(ScanClient) client = scan_client_new(fake_scanner_address(fake), NULL);
        ScanLimits limits = { 0 };
        scan_limits_of(client, &limits);
        g_assert_cmpint(limits.source, ==, SCAN_LIMITS_DEFAULT);
        g_assert_cmpint(limits.max_file_size, ==, SCAN_LIMITS_CLAMD_MAX_FILE_SIZE);

        g_autoptr(FakeScanner) old = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0); /* STATS unknown */
        g_autoptr(ScanClient) old_client = scan_client_new(fake_scanner_address(old), NULL);
        scan_limits_of(old_client, &limits);
        g_assert_cmpint(limits.source, ==, SCAN_LIMITS_DEFAULT);
        scan_limits_forget();
}

static void test_unreachable_is_unknown(void)
{
        scan_limits_forget();
        g_autofree char *dir = g_dir_make_tmp("clamftp-limits-XXXXXX", NULL);
        g_autofree char *address = g_strdup_printf("unix:%s/nobody.sock", dir);
        g_autoptr(ScanClient) client = scan_client_new(address, NULL);
        ScanLimits limits = { 0 };
        scan_limits_of(client, &limits);
        g_assert_cmpint(limits.source, ==, SCAN_LIMITS_UNKNOWN);
        g_assert_cmpint(scan_limits_max_bytes(&limits, TRUE), ==, -1); /* the scan will say why */
        /* remembered for a few seconds: a scanner that comes up now is not asked at once */
        g_autoptr(FakeScanner) later = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        g_autoptr(ScanClient) other = scan_client_new(fake_scanner_address(later), NULL);
        scan_limits_of(client, &limits);
        g_assert_cmpint(limits.source, ==, SCAN_LIMITS_UNKNOWN);
        scan_limits_of(other, &limits); /* another address is asked */
        g_assert_cmpint(limits.source, ==, SCAN_LIMITS_DEFAULT);
        /* an ICAP service has its own limits and no STATS: not asked, nothing refused beforehand */
        g_autoptr(ScanClient) icap = scan_client_new("icap://127.0.0.1:1/avscan", NULL);
        g_assert_nonnull(icap);
        scan_limits_of(icap, &limits);
        g_assert_cmpint(limits.source, ==, SCAN_LIMITS_UNKNOWN);
        test_tree_remove(dir);
}

/* The pipeline takes no snapshot of a file over the reported limit and never sends it. */
static void test_pipeline_refuses_before_copy(void)
{
        scan_limits_forget();
        g_autofree char *dir = g_dir_make_tmp("clamftp-limits-XXXXXX", NULL);
        g_autofree char *spool = g_build_filename(dir, "spool", NULL);
        g_assert_cmpint(g_mkdir(spool, 0700), ==, 0);
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        fake_scanner_set_stats(fake, "LIMITS: MaxFileSize 100 MaxScanSize 1000 StreamMaxLength 100\n");
        g_autoptr(ScanClient) client = scan_client_new(fake_scanner_address(fake), NULL);
        char big[101];
        memset(big, 'x', sizeof big);
        g_autofree char *large = test_write_file(dir, "large", big, sizeof big);
        g_autofree char *fits = test_write_file(dir, "fits", big, 100);
        g_autoptr(ScanPipeline) pipeline = scan_pipeline_new(client, NULL, spool, 2);
        scan_pipeline_submit(pipeline, large);
        scan_pipeline_submit(pipeline, fits);
        scan_pipeline_close(pipeline);
        g_autoptr(ScanResult) refused = scan_pipeline_next(pipeline);
        g_assert_null(refused->snapshot);
        g_assert_no_error(refused->error);
        g_assert_cmpint(refused->verdict->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_cmpint(refused->verdict->reason_class, ==, SCAN_REASON_LIMIT);
        g_assert_cmpstr(refused->verdict->path, ==, large);
        g_autoptr(ScanResult) taken = scan_pipeline_next(pipeline);
        g_assert_nonnull(taken->snapshot);
        g_assert_cmpint(taken->verdict->kind, ==, SCAN_VERDICT_OK);
        g_assert_cmpuint(fake_scanner_scans(fake), ==, 1); /* only the file that fits was sent */
        g_assert_cmpuint(fake_scanner_stats_asked(fake), ==, 1);
        test_tree_remove(dir);
        scan_limits_forget();
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/scan/limits/stats-line-parses", test_parse);
        g_test_add_func("/scan/limits/largest-file-by-request", test_max_bytes);
        g_test_add_func("/scan/limits/refusal-says-too-large-and-why", test_verdict_words);
        g_test_add_func("/scan/limits/asked-once-per-address", test_learnt_once_per_address);
        g_test_add_func("/scan/limits/clamd-defaults-when-not-reported", test_clamd_defaults_when_not_reported);
        g_test_add_func("/scan/limits/unreachable-scanner-refuses-nothing-beforehand", test_unreachable_is_unknown);
        g_test_add_func("/scan/limits/pipeline-refuses-before-any-copy", test_pipeline_refuses_before_copy);
        return g_test_run();
}
