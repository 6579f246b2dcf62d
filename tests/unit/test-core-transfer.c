/* tests/unit/test-core-transfer.c — the transfer policies that the line-mode suites do not pin:
 * resume only when the part is smaller and the type is binary, the overwrite question, unsafe
 * local names, mget's destination and pattern errors, a planted symlinked directory, a put
 * that fails closed without a scanner, and a get interrupted as by Ctrl-C. Runs the typed
 * commands (batches through core/download.h) against a private pyftpdlib.
 * Must not: write outside its own temporary directories. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "core/batch.h"
#include "core/cmd.h"
#include "core/context.h"
#include "core/queue-run.h"
#include "core/safename.h"
#include "core/transfer.h"
#include "core/worker.h"
#include "../integration/ftpd-fixture.h"

static Ftpd *server; /* one pyftpdlib for the whole program */

/* ---- a front end that records ---- */

typedef struct {
        GMutex lock;
        GString *said;       /* every message, one per line */
        GQueue answers;      /* CoreAnswer, as GINT_TO_POINTER */
        guint asked;
} Recorder;

static void rec_message(CoreMsgKind kind, const char *text, gpointer data)
{
        Recorder *r = data;
        g_mutex_lock(&r->lock);
        g_string_append_printf(r->said, "%d %s\n", kind, text);
        g_mutex_unlock(&r->lock);
}

static CoreAnswer rec_ask(const char *question, gpointer data)
{
        Recorder *r = data;
        r->asked++;
        g_string_append_printf(r->said, "? %s\n", question);
        if (g_queue_is_empty(&r->answers))
                return CORE_ANSWER_NO;
        return GPOINTER_TO_INT(g_queue_pop_head(&r->answers));
}

typedef struct {
        Recorder rec;
        CoreContext *ctx;
        char *local;      /* a private local directory */
        char *old_cwd;
} Fixture;

static gboolean login_job(FtpSession *session, gpointer data, GError **error)
{
        const Ftpd *f = data;
        return ftp_session_connect(session, "127.0.0.1", f->port, error) &&
               ftp_session_login(session, f->user, f->password, NULL, error);
}

static void fixture_setup(Fixture *fx, gconstpointer data)
{
        g_mutex_init(&fx->rec.lock);
        fx->rec.said = g_string_new(NULL);
        g_queue_init(&fx->rec.answers);
        fx->local = g_dir_make_tmp("clamftp-transfer-XXXXXX", NULL);
        g_assert_nonnull(fx->local);
        fx->old_cwd = g_get_current_dir();
        g_assert_cmpint(chdir(fx->local), ==, 0);
        if (server->skip_reason != NULL)
                return;
        CoreFrontend fe = { .message = rec_message, .ask = rec_ask, .data = &fx->rec };
        fx->ctx = core_context_new(&fe);
        g_autoptr(GError) error = NULL;
        g_assert_true(core_worker_run(fx->ctx->worker, login_job, server, &error));
        g_assert_no_error(error);
        fx->ctx->connected = TRUE;
        fx->ctx->host = g_strdup("127.0.0.1");
        fx->ctx->port = server->port;
}

static void fixture_teardown(Fixture *fx, gconstpointer data)
{
        g_clear_pointer(&fx->ctx, core_context_free);
        g_assert_cmpint(chdir(fx->old_cwd), ==, 0);
        const char *argv[] = { "rm", "-rf", fx->local, NULL };
        g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                                   NULL, NULL, NULL));
        g_free(fx->local);
        g_free(fx->old_cwd);
        g_string_free(fx->rec.said, TRUE);
        g_queue_clear(&fx->rec.answers);
        g_mutex_clear(&fx->rec.lock);
}

#define SKIP_IF_NO_SERVER()                                 \
        do {                                                \
                if (server->skip_reason != NULL) {          \
                        g_test_skip(server->skip_reason);   \
                        return;                             \
                }                                           \
        } while (0)

static char *local_contents(const char *path)
{
        char *data = NULL;
        if (!g_file_get_contents(path, &data, NULL, NULL))
                return NULL;
        return data;
}

static void put_remote(const char *name, const char *text)
{
        ftpd_put_file(server, name, text, strlen(text));
}

static void write_local(const char *path, const char *text)
{
        g_assert_true(g_file_set_contents(path, text, -1, NULL));
}

/* get as line mode runs it: a batch of one job through core/download.h. TRUE when the file
 * arrived or the user declined to replace a local one; failures are said through the front end. */
static gboolean run_get(Fixture *fx, const char *remote, const char *local)
{
        char *argv[] = { "get", (char *)remote, (char *)local, NULL };
        return core_cmd_run_argv(fx->ctx, argv, NULL);
}

/* ---- resume ---- */

static void test_larger_part_starts_over(Fixture *fx, gconstpointer data)
{
        SKIP_IF_NO_SERVER();
        put_remote("over.txt", "the real content\n");
        write_local("over.txt.part", "a leftover part that is longer than the remote file\n");
        g_assert_true(run_get(fx, "over.txt", NULL));
        g_autofree char *got = local_contents("over.txt");
        g_assert_cmpstr(got, ==, "the real content\n");
        g_assert_false(g_file_test("over.txt.part", G_FILE_TEST_EXISTS));
}

static void test_smaller_part_resumes(Fixture *fx, gconstpointer data)
{
        SKIP_IF_NO_SERVER();
        put_remote("resume.txt", "0123456789abcdefghij\n");
        write_local("resume.txt.part", "0123456789");
        g_assert_true(run_get(fx, "resume.txt", NULL));
        g_autofree char *got = local_contents("resume.txt");
        g_assert_cmpstr(got, ==, "0123456789abcdefghij\n");
        g_assert_nonnull(strstr(fx->rec.said->str, "resumed"));
}

static void test_ascii_never_resumes(Fixture *fx, gconstpointer data)
{
        SKIP_IF_NO_SERVER();
        put_remote("text.txt", "line one\nline two\n");
        write_local("text.txt.part", "JUNK");
        fx->ctx->type = FTP_TYPE_ASCII;
        g_assert_true(run_get(fx, "text.txt", NULL));
        g_autofree char *got = local_contents("text.txt");
        g_assert_cmpstr(got, ==, "line one\nline two\n");
        g_assert_null(strstr(fx->rec.said->str, "resumed"));
}

/* ---- overwriting ---- */

static void test_existing_file_needs_yes(Fixture *fx, gconstpointer data)
{
        SKIP_IF_NO_SERVER();
        put_remote("keep.txt", "from the server\n");
        write_local("keep.txt", "mine\n");
        g_queue_push_tail(&fx->rec.answers, GINT_TO_POINTER(CORE_ANSWER_NO));
        g_assert_true(run_get(fx, "keep.txt", NULL)); /* "no" is no failure */
        g_autofree char *kept = local_contents("keep.txt");
        g_assert_cmpstr(kept, ==, "mine\n");
        g_assert_cmpuint(fx->rec.asked, ==, 1);

        g_queue_push_tail(&fx->rec.answers, GINT_TO_POINTER(CORE_ANSWER_YES));
        g_assert_true(run_get(fx, "keep.txt", NULL));
        g_autofree char *replaced = local_contents("keep.txt");
        g_assert_cmpstr(replaced, ==, "from the server\n");

        fx->ctx->prompt = FALSE; /* prompting off: replaced without a question */
        write_local("keep.txt", "mine again\n");
        g_assert_true(run_get(fx, "keep.txt", NULL));
        g_autofree char *silent = local_contents("keep.txt");
        g_assert_cmpstr(silent, ==, "from the server\n");
        g_assert_cmpuint(fx->rec.asked, ==, 2);
}

/* ---- names and destinations ---- */

static void test_get_into_dir_and_new_path(Fixture *fx, gconstpointer data)
{
        SKIP_IF_NO_SERVER();
        put_remote("where.txt", "here\n");
        g_assert_cmpint(g_mkdir("into", 0755), ==, 0);
        g_assert_true(run_get(fx, "where.txt", "into"));
        g_assert_true(g_file_test("into/where.txt", G_FILE_TEST_IS_REGULAR));
        g_assert_true(run_get(fx, "where.txt", "into/renamed.txt"));
        g_assert_true(g_file_test("into/renamed.txt", G_FILE_TEST_IS_REGULAR));
        g_assert_false(run_get(fx, "where.txt", "missing/x.txt"));
        g_assert_nonnull(strstr(fx->rec.said->str, "The local directory missing does not exist"));
}

static void test_get_unsafe_name_refused(Fixture *fx, gconstpointer data)
{
        SKIP_IF_NO_SERVER();
        const char *bad[] = { "..", "dir/..", "/", "x/\x1b[2J" };
        for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
                g_string_truncate(fx->rec.said, 0);
                g_assert_false(run_get(fx, bad[i], NULL));
                g_assert_nonnull(strstr(fx->rec.said->str, "cannot name a local file"));
                g_assert_null(strchr(fx->rec.said->str, '\x1b'));
        }
}

/* The destination directory mget was given is gone when the batch runs: said, nothing written
 * beside it under its name. */
static void test_mget_missing_destination(Fixture *fx, gconstpointer data)
{
        SKIP_IF_NO_SERVER();
        put_remote("gone.txt", "gone\n");
        g_assert_cmpint(g_mkdir("no-such-dir", 0755), ==, 0);
        fx->ctx->prompt = FALSE;
        char *argv[] = { "mget", "gone.txt", "no-such-dir", NULL };
        g_autoptr(CoreQueue) queue = core_queue_new();
        g_autoptr(CoreBatch) batch = core_batch_new_typed(queue, 3, argv);
        g_assert_cmpint(g_rmdir("no-such-dir"), ==, 0);
        g_assert_false(core_batch_run_text(fx->ctx, batch));
        g_assert_false(g_file_test("no-such-dir", G_FILE_TEST_EXISTS));
        g_assert_nonnull(strstr(fx->rec.said->str, "no-such-dir"));
        g_assert_true(fx->ctx->any_failed);
}

static void test_mget_no_match(Fixture *fx, gconstpointer data)
{
        SKIP_IF_NO_SERVER();
        char *argv[] = { "mget", "*.nothing-like-this", NULL };
        g_assert_false(core_cmd_run_argv(fx->ctx, argv, NULL));
        g_assert_nonnull(strstr(fx->rec.said->str, "No remote file matches *.nothing-like-this"));
        g_assert_true(fx->ctx->any_failed);
}

/* A local `dest/tree -> victim` must not receive the remote tree. */
static void test_mget_planted_dir_symlink_refused(Fixture *fx, gconstpointer data)
{
        SKIP_IF_NO_SERVER();
        g_autofree char *rdir = g_build_filename(server->root, "tree", NULL);
        g_assert_cmpint(g_mkdir_with_parents(rdir, 0755), ==, 0);
        put_remote("tree/inside.txt", "inside\n");
        put_remote("tree.txt", "beside\n");
        g_assert_cmpint(g_mkdir("dest", 0755), ==, 0);
        g_assert_cmpint(g_mkdir("victim", 0755), ==, 0);
        g_assert_cmpint(symlink("../victim", "dest/tree"), ==, 0);
        fx->ctx->prompt = FALSE;
        char *argv[] = { "mget", "tree*", "dest", NULL };
        g_assert_false(core_cmd_run_argv(fx->ctx, argv, NULL));
        g_assert_false(g_file_test("victim/inside.txt", G_FILE_TEST_EXISTS));
        g_assert_true(g_file_test("dest/tree.txt", G_FILE_TEST_IS_REGULAR)); /* the others go on */
        g_assert_nonnull(strstr(fx->rec.said->str, "symbolic link"));
        g_assert_cmpint(core_exit_status(fx->ctx), ==, CORE_EXIT_FAILURE);
}

/* ---- uploads fail closed ---- */

static void test_put_without_scanner_sends_nothing(Fixture *fx, gconstpointer data)
{
        SKIP_IF_NO_SERVER();
        write_local("clean.txt", "clean\n");
        g_autofree char *sock = g_build_filename(fx->local, "no-scanner.sock", NULL);
        g_autofree char *address = g_strconcat("unix:", sock, NULL);
        g_autoptr(GError) error = NULL;
        core_context_set_scanner_wait(fx->ctx, 0); /* refused at once, not after the default 60 s */
        g_assert_true(core_context_set_scanner(fx->ctx, address, 2000, &error));
        char *argv[] = { "put", "clean.txt", NULL };
        g_assert_false(core_cmd_run_argv(fx->ctx, argv, &error));
        g_clear_error(&error); /* "put did not complete": the refusal was reported already */
        g_assert_true(fx->ctx->any_refused);
        g_assert_cmpint(core_exit_status(fx->ctx), ==, CORE_EXIT_REFUSED);
        g_assert_nonnull(fx->ctx->last_verdict);
        g_assert_cmpint(fx->ctx->last_verdict->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_cmpint(fx->ctx->last_verdict->reason_class, ==, SCAN_REASON_UNREACHABLE);
        g_assert_cmpstr(fx->ctx->last_verdict->path, ==, "clean.txt");
        g_assert_nonnull(strstr(fx->rec.said->str, "clean.txt was not uploaded: not scanned: the scanner is unreachable ("));
        g_autoptr(GBytes) on_server = ftpd_get_file(server, "clean.txt");
        g_assert_null(on_server);
}

/* ---- Ctrl-C ---- */

static CoreWorker *interrupt_worker; /* what the first progress report cancels, as Ctrl-C does */

static void interrupt_on_progress(const char *name, guint64 done, gint64 total, gpointer data)
{
        CoreWorker *worker = g_atomic_pointer_exchange(&interrupt_worker, NULL);
        if (worker)
                core_worker_cancel(worker);
}

/* Line mode's get runs as a batch; a cancel that did not come through the queue (Ctrl-C) is a
 * failure shown to the user and in the exit status, not a quiet "cancelled" job. */
static void test_get_interrupted_is_a_failure(Fixture *fx, gconstpointer data)
{
        SKIP_IF_NO_SERVER();
        gsize len = 32 * 1024 * 1024;
        g_autofree char *big = g_malloc0(len);
        ftpd_put_file(server, "big.bin", big, len);
        fx->ctx->fe.progress = interrupt_on_progress;
        g_atomic_pointer_set(&interrupt_worker, fx->ctx->worker);
        char *argv[] = { "get", "big.bin", NULL };
        g_assert_false(core_cmd_run_argv(fx->ctx, argv, NULL));
        g_assert_null(g_atomic_pointer_get(&interrupt_worker)); /* progress was reported */
        g_assert_false(g_file_test("big.bin", G_FILE_TEST_EXISTS));
        g_assert_cmpint(core_exit_status(fx->ctx), ==, CORE_EXIT_FAILURE);
        g_assert_nonnull(strstr(fx->rec.said->str, "2 Downloading big.bin failed: Cancelled."));
        g_assert_nonnull(strstr(fx->rec.said->str, "kept as big.bin.part")); /* for a later get */
}

/* Only the exact form of a temporary upload name gives its file's name (mirror -R deletes what
 * matches, so nothing of another form may). */
static void test_temp_name_form(void)
{
        static const struct {
                const char *name;
                const char *base; /* NULL: not a temporary name */
        } cases[] = {
                { ".a.bin.clamftp-0f9a3c", "a.bin" },
                { ".x.clamftp-000000", "x" },
                { "..clamftp-123456.clamftp-abcdef", ".clamftp-123456" },
                { ".a b.clamftp-ffffff", "a b" },
                { ".a.bin.clamftp-0F9A3C", NULL },  /* upper case: never made */
                { ".a.bin.clamftp-12345", NULL },   /* five digits */
                { ".a.bin.clamftp-1234567", NULL }, /* seven */
                { ".a.bin.clamftp-12345g", NULL },
                { "a.bin.clamftp-123456", NULL },   /* no leading dot */
                { ".clamftp-123456", NULL },        /* no name */
                { "..clamftp-123456", NULL },
                { ".a.bin.clampft-123456", NULL },
                { ".a.bin-123456", NULL },
                { "", NULL },
        };
        for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
                g_autofree char *base = core_upload_temp_name_base(cases[i].name);
                g_test_message("%s", cases[i].name);
                g_assert_cmpstr(base, ==, cases[i].base);
        }
}

#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        server = ftpd_start(FTPD_PYFTPDLIB);
        ADD("/core/transfer/get-larger-part-starts-over", test_larger_part_starts_over);
        ADD("/core/transfer/get-smaller-part-resumes", test_smaller_part_resumes);
        ADD("/core/transfer/get-ascii-never-resumes", test_ascii_never_resumes);
        ADD("/core/transfer/get-existing-file-replaced-only-after-yes", test_existing_file_needs_yes);
        ADD("/core/transfer/get-into-directory-or-new-path", test_get_into_dir_and_new_path);
        ADD("/core/transfer/get-unsafe-local-name-refused", test_get_unsafe_name_refused);
        ADD("/core/transfer/mget-missing-destination-is-clear", test_mget_missing_destination);
        ADD("/core/transfer/mget-pattern-matching-nothing-fails", test_mget_no_match);
        ADD("/core/transfer/mget-planted-directory-symlink-refused", test_mget_planted_dir_symlink_refused);
        ADD("/core/transfer/put-without-scanner-sends-nothing", test_put_without_scanner_sends_nothing);
        ADD("/core/transfer/get-interrupted-is-a-failure", test_get_interrupted_is_a_failure);
        g_test_add_func("/core/transfer/temp-name-only-its-exact-form", test_temp_name_form);
        int rc = g_test_run();
        ftpd_stop(server);
        return rc;
}
