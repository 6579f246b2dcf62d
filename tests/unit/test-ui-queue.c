/* tests/unit/test-ui-queue.c — the transfer queue model behind the TUI's queue view: states and
 * their transitions, cancel of waiting and running jobs, and the smoothed rate and ETA (a window
 * of 10 samples), driven with explicit times so every figure is exact; the copies a view takes
 * (moving jobs, a slice of rows, the oldest in a state) and the status summary made from them. */
#include "core/queue.h"
#include "ui/queueview.h"
#include <locale.h>
#include <string.h>

#define MS 1000          /* µs */
#define S (1000 * MS)
#define T0 (1000 * S)    /* an arbitrary monotonic start */

static guint add_upload(CoreQueue *queue, const char *name)
{
        return core_queue_add(queue, CORE_JOB_UPLOAD, name, name, name);
}

static CoreJobState state_of(CoreQueue *queue, guint id)
{
        g_autoptr(CoreJob) job = core_queue_get(queue, id);
        g_assert_nonnull(job);
        return job->state;
}

static void test_jobs_start_waiting_with_increasing_ids(void)
{
        g_autoptr(CoreQueue) queue = core_queue_new();
        guint a = add_upload(queue, "a");
        guint b = core_queue_add(queue, CORE_JOB_DOWNLOAD, "b", "/tmp", "b");
        g_assert_cmpuint(a, >, 0);
        g_assert_cmpuint(b, >, a);
        g_autoptr(CoreJob) job = core_queue_get(queue, b);
        g_assert_cmpint(job->state, ==, CORE_JOB_WAITING);
        g_assert_cmpint(job->kind, ==, CORE_JOB_DOWNLOAD);
        g_assert_cmpint(job->total, ==, -1);
        g_assert_cmpint(job->eta, ==, -1);
        g_assert_null(core_queue_get(queue, b + 1));
}

static void test_upload_walks_to_done(void)
{
        g_autoptr(CoreQueue) queue = core_queue_new();
        guint id = add_upload(queue, "a");
        g_assert_true(core_queue_set_state(queue, id, CORE_JOB_SCANNING, NULL));
        g_assert_cmpint(state_of(queue, id), ==, CORE_JOB_SCANNING);
        core_queue_progress_at(queue, id, 10, 100, T0);
        g_assert_cmpint(state_of(queue, id), ==, CORE_JOB_TRANSFERRING);
        g_assert_true(core_queue_set_state(queue, id, CORE_JOB_DONE, NULL));
        g_assert_cmpint(state_of(queue, id), ==, CORE_JOB_DONE);
}

static void test_final_state_never_changes(void)
{
        g_autoptr(CoreQueue) queue = core_queue_new();
        guint id = add_upload(queue, "eicar.com");
        g_assert_true(core_queue_set_state(queue, id, CORE_JOB_INFECTED, "Eicar-Signature"));
        g_assert_false(core_queue_set_state(queue, id, CORE_JOB_DONE, NULL));
        g_assert_false(core_queue_set_state(queue, id, CORE_JOB_TRANSFERRING, NULL));
        core_queue_progress_at(queue, id, 50, 100, T0);
        g_autoptr(CoreJob) job = core_queue_get(queue, id);
        g_assert_cmpint(job->state, ==, CORE_JOB_INFECTED);
        g_assert_cmpstr(job->detail, ==, "Eicar-Signature");
        g_assert_cmpuint(job->done, ==, 0);
        g_assert_false(core_queue_cancel(queue, id, NULL));
}

/* A verdict that is not OK ends the job: INFECTED with the signature, REFUSED with why the file
 * was not scanned (escaped), and the job keeps a copy of the verdict for the panes' marks. */
static void test_verdict_ends_the_job(void)
{
        static const struct {
                const char *reply;
                CoreJobState state;
                const char *detail;
                ScanReasonClass reason_class;
        } cases[] = {
                { "stream: Eicar-Signature FOUND", CORE_JOB_INFECTED, "Eicar-Signature", SCAN_REASON_MALWARE },
                /* a limit is a file not scanned: refused, with the words that say why */
                { "stream: Heuristics.Limits.Exceeded.MaxScanSize FOUND", CORE_JOB_REFUSED,
                  "not scanned: more data inside than the scanner's MaxScanSize "
                  "(Heuristics.Limits.Exceeded.MaxScanSize)", SCAN_REASON_LIMIT },
                { "COMMAND READ TIMED OUT", CORE_JOB_REFUSED,
                  "not scanned: the scanner did not answer in time (The scanner timed out waiting for the "
                  "file's data.)", SCAN_REASON_TIMEOUT },
                { "stream: Back\\slash FOUND", CORE_JOB_INFECTED, "Back\\\\slash", SCAN_REASON_MALWARE },
        };
        g_autoptr(CoreQueue) queue = core_queue_new();
        for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
                guint id = add_upload(queue, "f");
                g_autoptr(ScanVerdict) v = scan_verdict_parse(cases[i].reply);
                g_assert_true(core_queue_set_verdict(queue, id, v));
                g_autoptr(CoreJob) job = core_queue_get(queue, id);
                g_assert_cmpint(job->state, ==, cases[i].state);
                g_assert_cmpstr(job->detail, ==, cases[i].detail);
                g_assert_nonnull(job->verdict);
                g_assert_cmpint(job->verdict->reason_class, ==, cases[i].reason_class);
                g_assert_false(core_queue_set_verdict(queue, id, v)); /* final */
        }
        guint clean = add_upload(queue, "clean");
        g_autoptr(ScanVerdict) ok = scan_verdict_parse("stream: OK");
        g_assert_false(core_queue_set_verdict(queue, clean, ok));
        g_assert_cmpint(state_of(queue, clean), ==, CORE_JOB_WAITING);
}

static void test_cancel_of_a_waiting_job_is_immediate(void)
{
        g_autoptr(CoreQueue) queue = core_queue_new();
        guint id = add_upload(queue, "a");
        g_assert_true(core_queue_cancel(queue, id, NULL));
        g_assert_cmpint(state_of(queue, id), ==, CORE_JOB_CANCELLED);
        g_assert_true(core_queue_cancel_requested(queue, id));
        /* the runner reaching it later does not start it */
        g_assert_false(core_queue_begin(queue, id));
        g_assert_cmpuint(core_queue_active(queue), ==, 0);
}

static void test_cancel_of_the_running_job_waits_for_its_runner(void)
{
        g_autoptr(CoreQueue) queue = core_queue_new();
        guint id = add_upload(queue, "big.bin");
        g_assert_true(core_queue_begin(queue, id));
        g_assert_cmpuint(core_queue_active(queue), ==, id);
        core_queue_progress_at(queue, id, 1000, 10000, T0);
        g_assert_true(core_queue_cancel(queue, id, NULL));
        /* still transferring until the interrupted transfer returns */
        g_assert_cmpint(state_of(queue, id), ==, CORE_JOB_TRANSFERRING);
        g_assert_true(core_queue_cancel_requested(queue, id));
        core_queue_end(queue, id);
        g_assert_cmpuint(core_queue_active(queue), ==, 0);
        g_assert_true(core_queue_set_state(queue, id, CORE_JOB_CANCELLED, NULL));
        g_assert_cmpint(state_of(queue, id), ==, CORE_JOB_CANCELLED);
}

static void test_cancel_of_a_group_reaches_its_unfinished_files(void)
{
        g_autoptr(CoreQueue) queue = core_queue_new();
        guint dir = add_upload(queue, "tree/");
        g_assert_true(core_queue_begin_group(queue, dir));
        guint done = core_queue_add_child(queue, dir, CORE_JOB_UPLOAD, "tree/a", "tree/a", "tree/a");
        guint running = core_queue_add_child(queue, dir, CORE_JOB_UPLOAD, "tree/b", "tree/b", "tree/b");
        guint waiting = core_queue_add_child(queue, dir, CORE_JOB_UPLOAD, "tree/c", "tree/c", "tree/c");
        g_assert_true(core_queue_set_state(queue, done, CORE_JOB_DONE, NULL));
        g_assert_true(core_queue_begin(queue, running));
        g_assert_true(core_queue_cancel(queue, dir, NULL));
        g_assert_cmpint(state_of(queue, done), ==, CORE_JOB_DONE);
        g_assert_true(core_queue_cancel_requested(queue, running)); /* its runner ends it */
        g_assert_cmpint(state_of(queue, waiting), ==, CORE_JOB_CANCELLED);
        /* the group waits for its runner, which says how many arrived; a later file starts cancelled */
        g_assert_cmpint(state_of(queue, dir), ==, CORE_JOB_TRANSFERRING);
        guint late = core_queue_add_child(queue, dir, CORE_JOB_UPLOAD, "tree/d", "tree/d", "tree/d");
        g_assert_cmpint(state_of(queue, late), ==, CORE_JOB_CANCELLED);
        g_assert_true(core_queue_set_state(queue, dir, CORE_JOB_CANCELLED, "1 of 4 files"));
}

static void test_cancel_all_leaves_finished_jobs(void)
{
        g_autoptr(CoreQueue) queue = core_queue_new();
        guint done = add_upload(queue, "a");
        guint waiting = add_upload(queue, "b");
        guint scanning = add_upload(queue, "c");
        core_queue_set_state(queue, done, CORE_JOB_DONE, NULL);
        core_queue_set_state(queue, scanning, CORE_JOB_SCANNING, NULL);
        core_queue_cancel_all(queue, NULL);
        g_assert_cmpint(state_of(queue, done), ==, CORE_JOB_DONE);
        g_assert_cmpint(state_of(queue, waiting), ==, CORE_JOB_CANCELLED);
        g_assert_cmpint(state_of(queue, scanning), ==, CORE_JOB_CANCELLED);
}

/* Feeds `rate` bytes/s from `start` for `seconds`, one progress call every 100 ms. */
static guint64 feed(CoreQueue *queue, guint id, guint64 from, double rate, gint64 start, int seconds,
                    gint64 total)
{
        guint64 done = from;
        for (int tick = 1; tick <= seconds * 10; tick++) {
                done = from + (guint64)(rate * tick / 10);
                core_queue_progress_at(queue, id, done, total, start + tick * 100 * MS);
        }
        return done;
}

static void test_rate_and_eta_of_a_steady_transfer(void)
{
        g_autoptr(CoreQueue) queue = core_queue_new();
        guint id = add_upload(queue, "a");
        gint64 total = 10 * 1000 * 1000;
        core_queue_progress_at(queue, id, 0, total, T0);
        guint64 done = feed(queue, id, 0, 1e6, T0, 4, total); /* 1 MB/s for 4 s */
        g_assert_cmpuint(done, ==, 4 * 1000 * 1000);
        g_autoptr(CoreJob) job = core_queue_get_at(queue, id, T0 + 4 * S);
        g_assert_cmpfloat_with_epsilon(job->rate, 1e6, 1e6 * 0.01);
        g_assert_cmpint(job->eta, ==, 6); /* 6 MB left at 1 MB/s */
}

static void test_rate_follows_a_change_within_the_window(void)
{
        g_autoptr(CoreQueue) queue = core_queue_new();
        guint id = add_upload(queue, "a");
        gint64 total = 100 * 1000 * 1000;
        core_queue_progress_at(queue, id, 0, total, T0);
        guint64 done = feed(queue, id, 0, 1e6, T0, 5, total);
        done = feed(queue, id, done, 4e6, T0 + 5 * S, 5, total); /* now 4 MB/s */
        g_autoptr(CoreJob) job = core_queue_get_at(queue, id, T0 + 10 * S);
        /* 10 samples 250 ms apart: the window holds only the last ~2.5 s, all at 4 MB/s */
        g_assert_cmpfloat_with_epsilon(job->rate, 4e6, 4e6 * 0.02);
        g_assert_cmpint(job->eta, ==, (gint64)((total - (gint64)done) / 4e6 + 0.999));
}

static void test_rate_falls_while_stalled(void)
{
        g_autoptr(CoreQueue) queue = core_queue_new();
        guint id = add_upload(queue, "a");
        core_queue_progress_at(queue, id, 0, -1, T0);
        feed(queue, id, 0, 1e6, T0, 3, -1);
        g_autoptr(CoreJob) moving = core_queue_get_at(queue, id, T0 + 3 * S);
        g_autoptr(CoreJob) stalled = core_queue_get_at(queue, id, T0 + 30 * S);
        g_assert_cmpfloat(moving->rate, >, 0.9e6);
        g_assert_cmpfloat(stalled->rate, <, moving->rate / 5);
        g_assert_cmpint(stalled->eta, ==, -1); /* total unknown */
}

static void test_no_rate_from_a_too_short_span(void)
{
        g_autoptr(CoreQueue) queue = core_queue_new();
        guint id = add_upload(queue, "a");
        core_queue_progress_at(queue, id, 0, 1000, T0);
        core_queue_progress_at(queue, id, 500, 1000, T0 + 50 * MS);
        g_autoptr(CoreJob) job = core_queue_get_at(queue, id, T0 + 60 * MS);
        g_assert_cmpfloat(job->rate, ==, 0);
        g_assert_cmpint(job->eta, ==, -1);
}

static void test_finished_job_keeps_its_average_rate(void)
{
        g_autoptr(CoreQueue) queue = core_queue_new();
        guint id = add_upload(queue, "a");
        core_queue_progress_at(queue, id, 0, 3000000, T0);
        core_queue_progress_at(queue, id, 1000000, 3000000, T0 + 1 * S);
        core_queue_progress_at(queue, id, 3000000, 3000000, T0 + 2 * S);
        core_queue_set_state(queue, id, CORE_JOB_DONE, NULL);
        g_autoptr(CoreJob) job = core_queue_get_at(queue, id, T0 + 100 * S);
        g_assert_cmpfloat_with_epsilon(job->rate, 1.5e6, 1);
        g_assert_cmpint(job->eta, ==, -1);
}

static void test_a_new_file_of_a_job_starts_its_window_again(void)
{
        g_autoptr(CoreQueue) queue = core_queue_new();
        guint id = core_queue_add(queue, CORE_JOB_DOWNLOAD, "docs/", "/tmp", "docs");
        core_queue_progress_file(queue, id, "docs/a", 0, 100);
        core_queue_progress_file(queue, id, "docs/a", 100, 100);
        core_queue_progress_file(queue, id, "docs/b", 10, 200);
        g_autoptr(CoreJob) job = core_queue_get(queue, id);
        g_assert_cmpstr(job->current, ==, "docs/b");
        g_assert_cmpuint(job->done, ==, 10);
        g_assert_cmpint(job->total, ==, 200);
}

/* A progress line's look at the queue copies only the jobs moving bytes, oldest first; a job
 * that ends leaves it (and keeps its average rate: the window it had is gone). */
static void test_snapshot_of_the_moving_jobs(void)
{
        g_autoptr(CoreQueue) queue = core_queue_new();
        guint ids[5];
        for (int i = 0; i < 5; i++)
                ids[i] = add_upload(queue, "x");
        core_queue_set_state(queue, ids[0], CORE_JOB_DONE, NULL);
        core_queue_progress_at(queue, ids[1], 10, 100, 1000000);
        core_queue_progress_at(queue, ids[3], 20, 100, 1000000);
        core_queue_progress_at(queue, ids[3], 60, 100, 2000000);
        g_autoptr(GPtrArray) moving = core_queue_snapshot_moving(queue);
        g_assert_cmpuint(moving->len, ==, 2);
        g_assert_cmpuint(((CoreJob *)moving->pdata[0])->id, ==, ids[1]);
        g_assert_cmpuint(((CoreJob *)moving->pdata[1])->id, ==, ids[3]);
        g_assert_cmpuint(((CoreJob *)moving->pdata[1])->done, ==, 60);
        core_queue_set_state(queue, ids[3], CORE_JOB_DONE, NULL);
        g_autoptr(GPtrArray) after = core_queue_snapshot_moving(queue);
        g_assert_cmpuint(after->len, ==, 1);
        g_assert_cmpuint(((CoreJob *)after->pdata[0])->id, ==, ids[1]);
        g_autoptr(CoreJob) ended = core_queue_get(queue, ids[3]);
        g_assert_cmpfloat_with_epsilon(ended->rate, 40.0, 0.5); /* 40 bytes in 1 s */
        core_queue_progress_at(queue, ids[3], 90, 100, 3000000); /* ignored once final */
        g_autoptr(GPtrArray) still = core_queue_snapshot_moving(queue);
        g_assert_cmpuint(still->len, ==, 1);
}

/* A view of some rows copies only those: the slice from a position, the length, the oldest job
 * in a state. */
static void test_slices_of_the_queue(void)
{
        g_autoptr(CoreQueue) queue = core_queue_new();
        guint ids[6];
        for (int i = 0; i < 6; i++)
                ids[i] = add_upload(queue, "x");
        g_assert_cmpuint(core_queue_length(queue), ==, 6);
        g_autoptr(GPtrArray) middle = core_queue_slice(queue, 2, 3);
        g_assert_cmpuint(middle->len, ==, 3);
        g_assert_cmpuint(((CoreJob *)middle->pdata[0])->id, ==, ids[2]);
        g_assert_cmpuint(((CoreJob *)middle->pdata[2])->id, ==, ids[4]);
        g_autoptr(GPtrArray) tail = core_queue_slice(queue, 5, 10);
        g_assert_cmpuint(tail->len, ==, 1);
        g_assert_cmpuint(((CoreJob *)tail->pdata[0])->id, ==, ids[5]);
        g_autoptr(GPtrArray) beyond = core_queue_slice(queue, 6, 10);
        g_assert_cmpuint(beyond->len, ==, 0);
        g_assert_null(core_queue_first_in(queue, CORE_JOB_SCANNING));
        core_queue_set_state(queue, ids[4], CORE_JOB_SCANNING, NULL);
        core_queue_set_state(queue, ids[3], CORE_JOB_SCANNING, NULL);
        g_autoptr(CoreJob) scanning = core_queue_first_in(queue, CORE_JOB_SCANNING);
        g_assert_nonnull(scanning);
        g_assert_cmpuint(scanning->id, ==, ids[3]);
        g_autofree char *summary = ui_queue_summary(queue);
        /* the first scanning job is named, the other one and the four waiting are counted */
        g_assert_nonnull(strstr(summary, "5 waiting"));
}

static void test_counts_and_removing_finished_jobs(void)
{
        g_autoptr(CoreQueue) queue = core_queue_new();
        guint ids[6];
        for (int i = 0; i < 6; i++)
                ids[i] = add_upload(queue, "x");
        core_queue_set_state(queue, ids[0], CORE_JOB_DONE, NULL);
        core_queue_set_state(queue, ids[1], CORE_JOB_INFECTED, "sig");
        core_queue_set_state(queue, ids[2], CORE_JOB_FAILED, "reason");
        core_queue_set_state(queue, ids[3], CORE_JOB_SKIPPED, NULL);
        core_queue_progress(queue, ids[4], 1, 2);
        CoreQueueCounts counts;
        core_queue_counts(queue, &counts);
        g_assert_cmpuint(counts.done, ==, 1);
        g_assert_cmpuint(counts.done_uploads, ==, 1);
        g_assert_cmpuint(counts.refused, ==, 1);
        g_assert_cmpuint(counts.failed, ==, 1);
        g_assert_cmpuint(counts.cancelled, ==, 1);
        g_assert_cmpuint(counts.running, ==, 1);
        g_assert_cmpuint(counts.waiting, ==, 1);
        g_assert_cmpuint(core_queue_remove_finished(queue), ==, 4);
        g_autoptr(GPtrArray) left = core_queue_snapshot(queue);
        g_assert_cmpuint(left->len, ==, 2);
        g_assert_cmpuint(((CoreJob *)left->pdata[0])->id, ==, ids[4]);
}

typedef struct {
        int changes;
        int progress_only;
} Seen;

static void on_change(gboolean progress_only, gpointer data)
{
        Seen *seen = data;
        seen->changes++;
        seen->progress_only += progress_only;
}

static void test_readers_hear_of_every_change(void)
{
        g_autoptr(CoreQueue) queue = core_queue_new();
        Seen seen = { 0 };
        core_queue_set_notify(queue, on_change, &seen);
        guint id = add_upload(queue, "a");
        core_queue_progress_at(queue, id, 1, 10, T0);         /* starts: a state change */
        core_queue_progress_at(queue, id, 2, 10, T0 + S);     /* bytes only */
        core_queue_set_state(queue, id, CORE_JOB_DONE, NULL);
        core_queue_set_state(queue, id, CORE_JOB_FAILED, NULL); /* refused: no change */
        g_assert_cmpint(seen.changes, ==, 4);
        g_assert_cmpint(seen.progress_only, ==, 1);
}

static void count_stop(gpointer data)
{
        (*(int *)data)++;
}

static void test_cancel_all_stops_work_in_flight(void)
{
        g_autoptr(CoreQueue) queue = core_queue_new();
        int stops = 0;
        guint id = add_upload(queue, "big.bin");
        core_queue_set_state(queue, id, CORE_JOB_SCANNING, NULL);
        core_queue_set_stop_hook(queue, count_stop, &stops);
        core_queue_cancel(queue, id, NULL); /* one job: the scan may finish, the job is skipped */
        g_assert_cmpint(stops, ==, 0);
        core_queue_cancel_all(queue, NULL);
        g_assert_cmpint(stops, ==, 1);
        core_queue_set_stop_hook(queue, NULL, NULL);
        core_queue_cancel_all(queue, NULL);
        g_assert_cmpint(stops, ==, 1);
}

static void test_state_labels(void)
{
        g_assert_cmpstr(core_job_state_label(CORE_JOB_TRANSFERRING, CORE_JOB_UPLOAD), ==, "uploading");
        g_assert_cmpstr(core_job_state_label(CORE_JOB_TRANSFERRING, CORE_JOB_DOWNLOAD), ==, "downloading");
        g_assert_cmpstr(core_job_state_label(CORE_JOB_INFECTED, CORE_JOB_UPLOAD), ==, "INFECTED");
        g_assert_true(core_job_state_is_final(CORE_JOB_SKIPPED));
        g_assert_false(core_job_state_is_final(CORE_JOB_SCANNING));
}

int main(int argc, char **argv)
{
        setlocale(LC_ALL, "C.UTF-8");
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/ui/queue/jobs-start-waiting-with-increasing-ids", test_jobs_start_waiting_with_increasing_ids);
        g_test_add_func("/ui/queue/upload-walks-scanning-transferring-done", test_upload_walks_to_done);
        g_test_add_func("/ui/queue/final-state-never-changes", test_final_state_never_changes);
        g_test_add_func("/ui/queue/verdict-ends-the-job-with-its-class", test_verdict_ends_the_job);
        g_test_add_func("/ui/queue/cancel-of-a-waiting-job-is-immediate", test_cancel_of_a_waiting_job_is_immediate);
        g_test_add_func("/ui/queue/cancel-of-the-running-job-waits-for-its-runner", test_cancel_of_the_running_job_waits_for_its_runner);
        g_test_add_func("/ui/queue/cancel-of-a-group-reaches-its-unfinished-files", test_cancel_of_a_group_reaches_its_unfinished_files);
        g_test_add_func("/ui/queue/cancel-all-leaves-finished-jobs", test_cancel_all_leaves_finished_jobs);
        g_test_add_func("/ui/queue/rate-and-eta-of-a-steady-transfer", test_rate_and_eta_of_a_steady_transfer);
        g_test_add_func("/ui/queue/rate-follows-a-change-within-the-window", test_rate_follows_a_change_within_the_window);
        g_test_add_func("/ui/queue/rate-falls-while-stalled", test_rate_falls_while_stalled);
        g_test_add_func("/ui/queue/no-rate-from-a-too-short-span", test_no_rate_from_a_too_short_span);
        g_test_add_func("/ui/queue/finished-job-keeps-its-average-rate", test_finished_job_keeps_its_average_rate);
        g_test_add_func("/ui/queue/a-new-file-of-a-job-starts-its-window-again", test_a_new_file_of_a_job_starts_its_window_again);
        g_test_add_func("/ui/queue/snapshot-of-the-moving-jobs", test_snapshot_of_the_moving_jobs);
        g_test_add_func("/ui/queue/slices-of-the-queue", test_slices_of_the_queue);
        g_test_add_func("/ui/queue/counts-and-removing-finished-jobs", test_counts_and_removing_finished_jobs);
        g_test_add_func("/ui/queue/readers-hear-of-every-change", test_readers_hear_of_every_change);
        g_test_add_func("/ui/queue/cancel-all-stops-work-in-flight", test_cancel_all_stops_work_in_flight);
        g_test_add_func("/ui/queue/state-labels", test_state_labels);
        return g_test_run();
}
