/* tests/unit/test-ui-complete.c — Tab completion of the command line (command names, local paths,
 * remote names from the pane, the words of sort and toggles), the history file (kept across
 * runs, never a `user` line), and the queue view's rate, ETA and row texts. */
#include "ui/complete.h"
#include "ui/history.h"
#include "ui/queueview.h"
#include "tree-remove.h"
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

typedef struct {
        char *dir;
        GPtrArray *remote;
} Fixture;

static void touch(const char *dir, const char *name)
{
        g_autofree char *path = g_build_filename(dir, name, NULL);
        g_assert_true(g_file_set_contents(path, "x", 1, NULL));
}

static void fixture_set_up(Fixture *f, gconstpointer data)
{
        f->dir = g_dir_make_tmp("clamftp-complete-XXXXXX", NULL);
        g_assert_nonnull(f->dir);
        touch(f->dir, "report.pdf");
        touch(f->dir, "report-2.pdf");
        touch(f->dir, "my file.txt");
        touch(f->dir, ".hidden");
        g_autofree char *sub = g_build_filename(f->dir, "docs", NULL);
        g_assert_cmpint(g_mkdir(sub, 0755), ==, 0);
        touch(sub, "note.txt");
        f->remote = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(f->remote, g_strdup("hello.txt"));
        g_ptr_array_add(f->remote, g_strdup("incoming/"));
        g_ptr_array_add(f->remote, g_strdup("index.html"));
}

static void fixture_tear_down(Fixture *f, gconstpointer data)
{
        test_tree_remove(f->dir);
        g_free(f->dir);
        g_ptr_array_unref(f->remote);
}

/* The line after applying the completion at the end of `line`. */
static char *complete_line(Fixture *f, const char *line, UiCompletion **out)
{
        UiCompleteSources sources = { .local_dir = f->dir, .remote_names = f->remote };
        UiCompletion *c = ui_complete(line, strlen(line), &sources);
        GString *result = g_string_new_len(line, (gssize)c->start);
        g_string_append(result, c->insert ? c->insert : line + c->start);
        if (out)
                *out = c;
        else
                ui_completion_free(c);
        return g_string_free(result, FALSE);
}

static void test_command_names(Fixture *f, gconstpointer data)
{
        g_autofree char *help = complete_line(f, "hel", NULL);
        g_assert_cmpstr(help, ==, "help ");
        g_autofree char *queue = complete_line(f, "queue-c", NULL); /* a TUI action */
        g_assert_cmpstr(queue, ==, "queue-clear ");
        UiCompletion *c = NULL;
        g_autofree char *m = complete_line(f, "mk", &c);
        g_assert_cmpstr(m, ==, "mkdir ");
        ui_completion_free(c);
        /* "m": mget, mkdir, move, mput, messages… no common part beyond "m": listed, not changed */
        g_autofree char *many = complete_line(f, "m", &c);
        g_assert_cmpstr(many, ==, "m");
        g_assert_null(c->insert);
        g_assert_cmpuint(c->candidates->len, >=, 4);
        ui_completion_free(c);
}

static void test_local_paths(Fixture *f, gconstpointer data)
{
        g_autofree char *one = complete_line(f, "put my", NULL);
        g_assert_cmpstr(one, ==, "put my\\ file.txt "); /* escaped as the parser reads it */
        g_autofree char *dir = complete_line(f, "lcd do", NULL);
        g_assert_cmpstr(dir, ==, "lcd docs/");
        g_autofree char *inside = complete_line(f, "put docs/n", NULL);
        g_assert_cmpstr(inside, ==, "put docs/note.txt ");
        UiCompletion *c = NULL;
        g_autofree char *common = complete_line(f, "mput rep", &c);
        g_assert_cmpstr(common, ==, "mput report");
        g_assert_false(c->unique);
        g_assert_cmpuint(c->candidates->len, ==, 2);
        ui_completion_free(c);
}

static void test_dot_files_only_when_asked(Fixture *f, gconstpointer data)
{
        UiCompletion *c = NULL;
        g_autofree char *all = complete_line(f, "put ", &c);
        for (guint i = 0; i < c->candidates->len; i++)
                g_assert_false(((char *)c->candidates->pdata[i])[0] == '.');
        ui_completion_free(c);
        g_autofree char *dot = complete_line(f, "put .h", NULL);
        g_assert_cmpstr(dot, ==, "put .hidden ");
}

static void test_remote_names_from_the_pane(Fixture *f, gconstpointer data)
{
        g_autofree char *get = complete_line(f, "get he", NULL);
        g_assert_cmpstr(get, ==, "get hello.txt ");
        g_autofree char *cd = complete_line(f, "cd inc", NULL);
        g_assert_cmpstr(cd, ==, "cd incoming/");
        g_autofree char *common = complete_line(f, "mget in", NULL);
        g_assert_cmpstr(common, ==, "mget in");
        /* get's second word is local, put's is remote */
        g_autofree char *local = complete_line(f, "get hello.txt do", NULL);
        g_assert_cmpstr(local, ==, "get hello.txt docs/");
        g_autofree char *remote = complete_line(f, "put report.pdf inc", NULL);
        g_assert_cmpstr(remote, ==, "put report.pdf incoming/");
}

static void test_words_of_actions_and_toggles(Fixture *f, gconstpointer data)
{
        g_autofree char *sort = complete_line(f, "sort si", NULL);
        g_assert_cmpstr(sort, ==, "sort size ");
        g_autofree char *toggle = complete_line(f, "passive of", NULL);
        g_assert_cmpstr(toggle, ==, "passive off ");
        g_autofree char *after = complete_line(f, "status; he", NULL);
        g_assert_cmpstr(after, ==, "status; help ");
        g_autofree char *quoted = complete_line(f, "put 'my f", NULL);
        g_assert_cmpstr(quoted, ==, "put my\\ file.txt ");
}

static void test_history_is_kept_without_secrets(void)
{
        g_autofree char *dir = g_dir_make_tmp("clamftp-history-XXXXXX", NULL);
        g_autofree char *path = g_build_filename(dir, "state", "clamftp", "history", NULL);
        g_autoptr(GPtrArray) history = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(history, g_strdup("open 127.0.0.1 2121"));
        g_ptr_array_add(history, g_strdup("user alice s3cret"));
        g_ptr_array_add(history, g_strdup("quote PASS s3cret"));
        g_ptr_array_add(history, g_strdup("mget *.txt"));
        g_assert_true(ui_history_save(history, path, NULL));
        GStatBuf st;
        g_assert_cmpint(g_stat(path, &st), ==, 0);
        g_assert_cmpint(st.st_mode & 0777, ==, 0600);
        g_autofree char *text = NULL;
        g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
        g_assert_null(strstr(text, "s3cret"));
        g_autoptr(GPtrArray) back = g_ptr_array_new_with_free_func(g_free);
        g_assert_true(ui_history_load(back, path, NULL));
        g_assert_cmpuint(back->len, ==, 2);
        g_assert_cmpstr(back->pdata[0], ==, "open 127.0.0.1 2121");
        g_assert_cmpstr(back->pdata[1], ==, "mget *.txt");
        g_autoptr(GPtrArray) none = g_ptr_array_new_with_free_func(g_free);
        g_autofree char *missing = g_build_filename(dir, "nothing", NULL);
        g_assert_true(ui_history_load(none, missing, NULL)); /* the first run */
        g_assert_cmpuint(none->len, ==, 0);
        g_unlink(path);
        g_autofree char *d1 = g_path_get_dirname(path);
        g_autofree char *d2 = g_path_get_dirname(d1);
        g_rmdir(d1);
        g_rmdir(d2);
        g_rmdir(dir);
}

static void test_queue_texts(void)
{
        g_autofree char *slow = ui_queue_rate_text(850e3);
        g_assert_cmpstr(slow, ==, "850.0 kB/s");
        g_autofree char *fast = ui_queue_rate_text(1.2e6);
        g_assert_cmpstr(fast, ==, "1.20 MB/s");
        g_autofree char *none = ui_queue_rate_text(0);
        g_assert_cmpstr(none, ==, "");
        g_autofree char *eta = ui_queue_eta_text(3723);
        g_assert_cmpstr(eta, ==, "1:02:03");
        g_autofree char *short_eta = ui_queue_eta_text(42);
        g_assert_cmpstr(short_eta, ==, "0:00:42");
        CoreJob job = { .id = 7, .kind = CORE_JOB_UPLOAD, .state = CORE_JOB_TRANSFERRING,
                        .name = "big.bin", .done = 430, .total = 1000, .rate = 1.2e6, .eta = 3 };
        g_autofree char *state = ui_queue_state_text(&job);
        g_assert_cmpstr(state, ==, "uploading 43%");
        g_autofree char *row = ui_queue_row_text(&job, 100);
        g_assert_cmpint(g_utf8_strlen(row, -1), <=, 100);
        g_assert_nonnull(strstr(row, "big.bin"));
        g_assert_nonnull(strstr(row, "1.20 MB/s"));
        g_assert_nonnull(strstr(row, "0:00:03"));
        CoreJob infected = { .id = 8, .kind = CORE_JOB_UPLOAD, .state = CORE_JOB_INFECTED,
                             .name = "eicar.com", .detail = "Eicar-Signature" };
        g_autofree char *refused = ui_queue_row_text(&infected, 80);
        g_assert_nonnull(strstr(refused, "INFECTED"));
        g_assert_nonnull(strstr(refused, "Eicar-Signature"));
}

int main(int argc, char **argv)
{
        setlocale(LC_ALL, "C.UTF-8");
        g_test_init(&argc, &argv, NULL);
#define F(path, fn) g_test_add(path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
        F("/ui/complete/command-names", test_command_names);
        F("/ui/complete/local-paths-escaped", test_local_paths);
        F("/ui/complete/dot-files-only-when-asked", test_dot_files_only_when_asked);
        F("/ui/complete/remote-names-from-the-pane", test_remote_names_from_the_pane);
        F("/ui/complete/words-of-actions-and-toggles", test_words_of_actions_and_toggles);
        g_test_add_func("/ui/history/kept-without-secrets", test_history_is_kept_without_secrets);
        g_test_add_func("/ui/queue/view-texts", test_queue_texts);
        return g_test_run();
}
