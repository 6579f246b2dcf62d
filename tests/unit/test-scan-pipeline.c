/* tests/unit/test-scan-pipeline.c — the scanner threads: results in submission order (one thread or
 * several), a bound on finished results, failures as ERROR results, cancel and free that return
 * promptly.
 * Must not: need a real clamd (an in-process fake answers). */
#include "config.h"
#include "scan/pipeline.h"
#include "scan-fake.h"
#include "tree-remove.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

typedef struct {
        char *dir;
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
        f->dir = g_dir_make_tmp("clamftp-pipeline-XXXXXX", NULL);
        g_assert_nonnull(f->dir);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
        test_tree_remove(f->dir);
        g_free(f->dir);
}

/* Polls (with a deadline, never a fixed sleep) until the fake has answered `n` scans. */
static gboolean wait_scans(FakeScanner *fake, guint n)
{
        gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
        while (fake_scanner_scans(fake) < n) {
                if (g_get_monotonic_time() > deadline)
                        return FALSE;
                g_usleep(2000);
        }
        return TRUE;
}

static char *make_file(Fixture *f, guint i, gboolean bad)
{
        g_autofree char *name = g_strdup_printf("file%02u", i);
        g_autofree char *text = g_strdup_printf("file %u %s", i, bad ? "BAD" : "fine");
        return test_write_file(f->dir, name, text, strlen(text));
}

static void test_results_in_order(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        g_autoptr(ScanClient) client = scan_client_new(fake_scanner_address(fake), NULL);
        g_autoptr(ScanPipeline) pipeline = scan_pipeline_new(client, NULL, f->dir, 3);
        g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
        for (guint i = 0; i < 12; i++) {
                g_ptr_array_add(paths, make_file(f, i, i % 3 == 1));
                scan_pipeline_submit(pipeline, paths->pdata[i]);
        }
        scan_pipeline_close(pipeline);
        for (guint i = 0; i < 12; i++) {
                g_autoptr(ScanResult) r = scan_pipeline_next(pipeline);
                g_assert_nonnull(r);
                g_assert_cmpstr(r->path, ==, paths->pdata[i]);
                g_assert_cmpstr(r->verdict->path, ==, paths->pdata[i]);
                g_assert_nonnull(r->snapshot);
                g_assert_no_error(r->error);
                if (i % 3 == 1) {
                        g_assert_cmpint(r->verdict->kind, ==, SCAN_VERDICT_INFECTED);
                        g_assert_cmpstr(r->verdict->signature, ==, "Fake.Bad");
                } else {
                        g_assert_cmpint(r->verdict->kind, ==, SCAN_VERDICT_OK);
                }
        }
        g_assert_null(scan_pipeline_next(pipeline));
        g_assert_null(scan_pipeline_next(pipeline)); /* stays drained */
}

static void test_lookahead_bounds_results(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        g_autoptr(ScanClient) client = scan_client_new(fake_scanner_address(fake), NULL);
        g_autoptr(ScanPipeline) pipeline = scan_pipeline_new(client, NULL, f->dir, 2);
        for (guint i = 0; i < 6; i++) {
                g_autofree char *path = make_file(f, i, FALSE);
                scan_pipeline_submit(pipeline, path);
        }
        scan_pipeline_close(pipeline);
        g_assert_true(wait_scans(fake, 2));
        /* the thread must now be parked: give it ample time to (wrongly) scan a third file */
        g_usleep(150 * 1000);
        g_assert_cmpuint(fake_scanner_scans(fake), ==, 2);
        g_autoptr(ScanResult) first = scan_pipeline_next(pipeline);
        g_assert_nonnull(first);
        g_assert_true(wait_scans(fake, 3));
        g_usleep(50 * 1000);
        g_assert_cmpuint(fake_scanner_scans(fake), ==, 3);
        guint rest = 0;
        for (ScanResult *r; (r = scan_pipeline_next(pipeline)); rest++)
                scan_result_free(r);
        g_assert_cmpuint(rest, ==, 5);
}

/* Several scanner threads: results still in submission order, whichever thread finished first. */
static void test_scanners_keep_submission_order(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        g_autoptr(ScanClient) client = scan_client_new(fake_scanner_address(fake), NULL);
        g_autoptr(ScanPipeline) pipeline = scan_pipeline_new_scanners(client, NULL, f->dir, 2, 3);
        g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
        for (guint i = 0; i < 30; i++) {
                g_ptr_array_add(paths, make_file(f, i, i % 4 == 2));
                scan_pipeline_submit(pipeline, paths->pdata[i]);
        }
        scan_pipeline_close(pipeline);
        for (guint i = 0; i < 30; i++) {
                g_autoptr(ScanResult) r = scan_pipeline_next(pipeline);
                g_assert_nonnull(r);
                g_assert_cmpstr(r->path, ==, paths->pdata[i]);
                g_assert_cmpstr(r->verdict->path, ==, paths->pdata[i]);
                g_assert_cmpint(r->verdict->kind, ==, i % 4 == 2 ? SCAN_VERDICT_INFECTED : SCAN_VERDICT_OK);
        }
        g_assert_null(scan_pipeline_next(pipeline));
        g_assert_cmpuint(fake_scanner_scans(fake), ==, 30);
}

/* With several threads the bound is lookahead results plus one scan per other thread. */
static void test_scanners_bound_snapshots(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        g_autoptr(ScanClient) client = scan_client_new(fake_scanner_address(fake), NULL);
        g_autoptr(ScanPipeline) pipeline = scan_pipeline_new_scanners(client, NULL, f->dir, 2, 2);
        for (guint i = 0; i < 8; i++) {
                g_autofree char *path = make_file(f, i, FALSE);
                scan_pipeline_submit(pipeline, path);
        }
        scan_pipeline_close(pipeline);
        g_assert_true(wait_scans(fake, 3));
        g_usleep(150 * 1000); /* ample time to (wrongly) scan a fourth file */
        g_assert_cmpuint(fake_scanner_scans(fake), ==, 3);
        g_autoptr(ScanResult) first = scan_pipeline_next(pipeline);
        g_assert_nonnull(first);
        g_assert_true(wait_scans(fake, 4));
        g_usleep(50 * 1000);
        g_assert_cmpuint(fake_scanner_scans(fake), ==, 4);
        guint rest = 0;
        for (ScanResult *r; (r = scan_pipeline_next(pipeline)); rest++)
                scan_result_free(r);
        g_assert_cmpuint(rest, ==, 7);
}

/* A cancel reaches every thread: the one whose scan the (silent) scanner holds, and the one
 * waiting behind it, both end at once with cancelled results. */
static void test_cancel_reaches_every_scanner(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_SILENT, NULL, 0);
        g_autoptr(ScanClient) client = scan_client_new(fake_scanner_address(fake), NULL);
        scan_client_set_timeout_ms(client, 60000); /* only the cancel can end the waits quickly */
        g_autoptr(ScanPipeline) pipeline = scan_pipeline_new_scanners(client, NULL, f->dir, 2, 2);
        for (guint i = 0; i < 5; i++) {
                g_autofree char *path = make_file(f, i, FALSE);
                scan_pipeline_submit(pipeline, path);
        }
        g_assert_true(wait_scans(fake, 1));
        g_usleep(50 * 1000); /* the second thread is connecting or waiting behind the first */
        gint64 start = g_get_monotonic_time();
        scan_pipeline_cancel(pipeline);
        guint n = 0;
        for (ScanResult *r; (r = scan_pipeline_next(pipeline)); n++) {
                g_assert_cmpint(r->verdict->kind, ==, SCAN_VERDICT_ERROR);
                g_assert_cmpint(r->verdict->reason_class, ==, SCAN_REASON_CANCELLED);
                scan_result_free(r);
        }
        g_assert_cmpuint(n, <=, 2);
        g_assert_cmpint(g_get_monotonic_time() - start, <, 3 * G_USEC_PER_SEC);
        g_assert_cmpuint(fake_scanner_scans(fake), ==, 1);
}

static void test_failures_are_error_results(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        g_autoptr(ScanClient) client = scan_client_new(fake_scanner_address(fake), NULL);
        g_autoptr(ScanPipeline) pipeline = scan_pipeline_new(client, NULL, f->dir, 1);
        g_autofree char *missing = g_build_filename(f->dir, "missing", NULL);
        g_autofree char *good = make_file(f, 1, FALSE);
        scan_pipeline_submit(pipeline, missing);
        scan_pipeline_submit(pipeline, f->dir); /* a directory */
        scan_pipeline_submit(pipeline, good);
        scan_pipeline_close(pipeline);
        for (int i = 0; i < 2; i++) {
                g_autoptr(ScanResult) r = scan_pipeline_next(pipeline);
                g_assert_nonnull(r);
                g_assert_null(r->snapshot);
                g_assert_error(r->error, SCAN_ERROR, SCAN_ERROR_LOCAL);
                g_assert_cmpint(r->verdict->kind, ==, SCAN_VERDICT_ERROR);
                g_assert_cmpstr(r->verdict->reason, ==, r->error->message);
                g_assert_cmpint(r->verdict->reason_class, ==, SCAN_REASON_LOCAL);
                g_assert_cmpstr(r->verdict->path, ==, r->path);
        }
        g_autoptr(ScanResult) r = scan_pipeline_next(pipeline);
        g_assert_cmpint(r->verdict->kind, ==, SCAN_VERDICT_OK);
        g_assert_null(scan_pipeline_next(pipeline));
}

static void test_scanner_down_never_ok(Fixture *f, gconstpointer data)
{
        g_autofree char *address = g_strdup_printf("unix:%s/nobody.sock", f->dir);
        g_autoptr(ScanClient) client = scan_client_new(address, NULL);
        g_autoptr(ScanPipeline) pipeline = scan_pipeline_new(client, NULL, f->dir, 2);
        for (guint i = 0; i < 3; i++) {
                g_autofree char *path = make_file(f, i, FALSE);
                scan_pipeline_submit(pipeline, path);
        }
        scan_pipeline_close(pipeline);
        guint n = 0;
        for (ScanResult *r; (r = scan_pipeline_next(pipeline)); n++) {
                g_assert_cmpint(r->verdict->kind, ==, SCAN_VERDICT_ERROR);
                g_assert_nonnull(strstr(r->verdict->reason, "not reachable"));
                g_assert_cmpint(r->verdict->reason_class, ==, SCAN_REASON_UNREACHABLE);
                g_assert_nonnull(r->snapshot); /* the snapshot was taken; the scan failed */
                scan_result_free(r);
        }
        g_assert_cmpuint(n, ==, 3);
}

static void test_cancel_interrupts_and_drains(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_SILENT, NULL, 0);
        g_autoptr(ScanClient) client = scan_client_new(fake_scanner_address(fake), NULL);
        scan_client_set_timeout_ms(client, 60000); /* only the cancel can end the wait quickly */
        g_autoptr(ScanPipeline) pipeline = scan_pipeline_new(client, NULL, f->dir, 2);
        for (guint i = 0; i < 5; i++) {
                g_autofree char *path = make_file(f, i, FALSE);
                scan_pipeline_submit(pipeline, path);
        }
        g_assert_true(wait_scans(fake, 1)); /* the first file is with the (silent) scanner */
        gint64 start = g_get_monotonic_time();
        scan_pipeline_cancel(pipeline);
        guint n = 0;
        for (ScanResult *r; (r = scan_pipeline_next(pipeline)); n++) {
                g_assert_cmpint(r->verdict->kind, ==, SCAN_VERDICT_ERROR);
                g_assert_nonnull(strstr(r->verdict->reason, "cancelled"));
                g_assert_cmpint(r->verdict->reason_class, ==, SCAN_REASON_CANCELLED);
                scan_result_free(r);
        }
        g_assert_cmpuint(n, <=, 1);
        g_assert_cmpint(g_get_monotonic_time() - start, <, 3 * G_USEC_PER_SEC);
        g_assert_cmpuint(fake_scanner_scans(fake), ==, 1); /* nothing after the cancel was scanned */
}

static void test_free_without_close_returns(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        g_autoptr(ScanClient) client = scan_client_new(fake_scanner_address(fake), NULL);
        ScanPipeline *pipeline = scan_pipeline_new(client, NULL, f->dir, 1);
        for (guint i = 0; i < 4; i++) {
                g_autofree char *path = make_file(f, i, FALSE);
                scan_pipeline_submit(pipeline, path);
        }
        g_assert_true(wait_scans(fake, 1));
        scan_pipeline_free(pipeline); /* joins: never closed, results never taken */
        g_assert_cmpuint(fake_scanner_scans(fake), <=, 2);
}

static void test_verdicts_are_audited(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        g_autoptr(ScanClient) client = scan_client_new(fake_scanner_address(fake), NULL);
        g_autofree char *log = g_build_filename(f->dir, "audit.jsonl", NULL);
        g_autoptr(ScanAudit) audit = scan_audit_open(log, NULL);
        g_assert_nonnull(audit);
        {
                g_autoptr(ScanPipeline) pipeline = scan_pipeline_new(client, audit, f->dir, 2);
                for (guint i = 0; i < 3; i++) {
                        g_autofree char *path = make_file(f, i, i == 2);
                        scan_pipeline_submit(pipeline, path);
                }
                scan_pipeline_close(pipeline);
                for (ScanResult *r; (r = scan_pipeline_next(pipeline));)
                        scan_result_free(r);
        }
        g_autofree char *text = NULL;
        g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
        g_auto(GStrv) lines = g_strsplit(g_strchomp(text), "\n", -1);
        g_assert_cmpuint(g_strv_length(lines), ==, 3);
        g_assert_nonnull(strstr(lines[0], "\"event\":\"verdict\""));
        g_assert_nonnull(strstr(lines[0], "\"verdict\":\"OK\""));
        g_assert_nonnull(strstr(lines[2], "\"signature\":\"Fake.Bad\""));
        g_assert_nonnull(strstr(lines[2], fake_scanner_address(fake)));
}


/* A spooled snapshot's SHA-256 is computed while the scanner reads it, and the result reaches the
 * consumer only once it is joined: the digest of the very bytes that will be uploaded. */
static void test_digest_joined_before_result(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        fake_scanner_set_fildes(fake, FAKE_FILDES_SCAN);
        g_autoptr(ScanClient) client = scan_client_new(fake_scanner_address(fake), NULL);
        gsize len = SCAN_SNAPSHOT_MEMFD_LIMIT + 4096; /* spooled: one byte over would do */
        g_autofree char *path = g_build_filename(f->dir, "large", NULL);
        int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        g_assert_cmpint(fd, >=, 0);
        g_assert_cmpint(pwrite(fd, "head", 4, 0), ==, 4);
        g_assert_cmpint(pwrite(fd, "tail", 4, (off_t)len - 4), ==, 4); /* the rest sparse */
        close(fd);
        g_autofree guint8 *bytes = g_malloc0(len);
        memcpy(bytes, "head", 4);
        memcpy(bytes + len - 4, "tail", 4);
        g_autofree char *want = g_compute_checksum_for_data(G_CHECKSUM_SHA256, bytes, len);
        g_autoptr(ScanPipeline) pipeline = scan_pipeline_new(client, NULL, f->dir, 1);
        scan_pipeline_submit(pipeline, path);
        scan_pipeline_close(pipeline);
        g_autoptr(ScanResult) r = scan_pipeline_next(pipeline);
        g_assert_nonnull(r->snapshot);
        g_assert_false(r->snapshot->sealed);
        g_assert_null(r->snapshot->pending);
        g_assert_cmpstr(r->snapshot->sha256, ==, want);
        /* the fake flags a file over its own 64 MiB MaxFileSize: what matters is that it answered */
        g_assert_nonnull(r->verdict->reply);
        g_assert_cmpuint(fake_scanner_fildes(fake), ==, 2); /* the probe, then the file */
}

#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        ADD("/scan/pipeline/results-come-in-submission-order", test_results_in_order);
        ADD("/scan/pipeline/lookahead-bounds-finished-results", test_lookahead_bounds_results);
        ADD("/scan/pipeline/scanners-keep-submission-order", test_scanners_keep_submission_order);
        ADD("/scan/pipeline/scanners-bound-snapshots", test_scanners_bound_snapshots);
        ADD("/scan/pipeline/cancel-reaches-every-scanner", test_cancel_reaches_every_scanner);
        ADD("/scan/pipeline/unreadable-paths-give-error-results", test_failures_are_error_results);
        ADD("/scan/pipeline/scanner-down-is-never-ok", test_scanner_down_never_ok);
        ADD("/scan/pipeline/cancel-interrupts-scan-and-drains", test_cancel_interrupts_and_drains);
        ADD("/scan/pipeline/free-without-close-joins", test_free_without_close_returns);
        ADD("/scan/pipeline/verdicts-are-audited", test_verdicts_are_audited);
        ADD("/scan/pipeline/large-snapshot-digest-joined-before-result", test_digest_joined_before_result);
        return g_test_run();
}
