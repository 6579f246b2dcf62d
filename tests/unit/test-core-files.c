/* tests/unit/test-core-files.c — the file operations both front ends share (core/files.h): local
 * mkdir, rename, delete and cd in a private directory, their errors (errno's reason, the name
 * escaped, nothing followed), and the remote ones refused before `open`.
 * Must not: need a server (the remote operations are only run unconnected). */
#include "core/files.h"
#include "core/cmd.h"
#include "tree-remove.h"
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

typedef struct {
        CoreContext *ctx;
        char *dir;
        GString *said;
        CoreAnswer answer;  /* what the user answers */
        guint asked;
} Fixture;

static void record(CoreMsgKind kind, const char *text, gpointer data)
{
        Fixture *f = data;
        g_string_append_printf(f->said, "%s\n", text);
}

static CoreAnswer answer(const char *question, gpointer data)
{
        Fixture *f = data;
        f->asked++;
        g_string_append_printf(f->said, "? %s\n", question);
        return f->answer;
}

static void set_up(Fixture *f, gconstpointer data)
{
        f->said = g_string_new(NULL);
        CoreFrontend fe = { .message = record, .ask = answer, .data = f };
        f->ctx = core_context_new(&fe);
        f->dir = g_dir_make_tmp("clamftp-files-XXXXXX", NULL);
        g_assert_nonnull(f->dir);
}

static void tear_down(Fixture *f, gconstpointer data)
{
        test_tree_remove(f->dir);
        g_free(f->dir);
        core_context_free(f->ctx);
        g_string_free(f->said, TRUE);
}

static char *in_dir(Fixture *f, const char *name)
{
        return g_build_filename(f->dir, name, NULL);
}

static void test_local_mkdir_rename_delete(Fixture *f, gconstpointer data)
{
        g_autofree char *sub = in_dir(f, "sub");
        g_autofree char *moved = in_dir(f, "moved");
        g_autoptr(GError) error = NULL;
        g_assert_true(core_local_mkdir(f->ctx, sub, &error));
        g_assert_true(g_file_test(sub, G_FILE_TEST_IS_DIR));
        g_assert_true(core_local_rename(f->ctx, sub, moved, &error));
        g_assert_false(g_file_test(sub, G_FILE_TEST_EXISTS));
        g_assert_true(core_local_delete(f->ctx, moved, TRUE, &error));
        g_assert_false(g_file_test(moved, G_FILE_TEST_EXISTS));
        g_assert_no_error(error);
}

static void test_local_delete_does_not_follow_a_link(Fixture *f, gconstpointer data)
{
        g_autofree char *target = in_dir(f, "target");
        g_autofree char *link = in_dir(f, "link");
        g_assert_true(g_file_set_contents(target, "keep", -1, NULL));
        g_assert_cmpint(symlink(target, link), ==, 0);
        g_assert_true(core_local_delete(f->ctx, link, FALSE, NULL));
        g_assert_false(g_file_test(link, G_FILE_TEST_IS_SYMLINK));
        g_assert_true(g_file_test(target, G_FILE_TEST_IS_REGULAR));
}

typedef struct {
        const char *name;     /* made in the directory first: "d/" a directory, else a file */
        const char *op;       /* mkdir, rmdir, unlink, rename */
        const char *target;
        GFileError code;
        const char *message;  /* expected in the error */
} FailCase;

static const FailCase fail_cases[] = {
        { "d/", "mkdir", "d", G_FILE_ERROR_EXIST, "Cannot make the directory d: " },
        { NULL, "unlink", "missing", G_FILE_ERROR_NOENT, "Cannot delete missing: " },
        { "full/", "rmdir", "full", G_FILE_ERROR_FAILED, "Cannot delete full: " }, /* ENOTEMPTY */
        { NULL, "rename", "gone", G_FILE_ERROR_NOENT, "Cannot rename gone: " },
        { NULL, "unlink", "esc\033]0;x\007", G_FILE_ERROR_NOENT, "Cannot delete esc\\x1b]0;x\\x07: " },
};

static gboolean run_op(Fixture *f, const FailCase *c, GError **error)
{
        g_autofree char *path = in_dir(f, c->target);
        if (strcmp(c->op, "mkdir") == 0)
                return core_local_mkdir(f->ctx, path, error);
        if (strcmp(c->op, "rename") == 0) {
                g_autofree char *to = in_dir(f, "elsewhere");
                return core_local_rename(f->ctx, path, to, error);
        }
        return core_local_delete(f->ctx, path, strcmp(c->op, "rmdir") == 0, error);
}

static void test_local_failures_say_what_and_why(Fixture *f, gconstpointer data)
{
        g_autofree char *inner = in_dir(f, "full/inner");
        for (gsize i = 0; i < G_N_ELEMENTS(fail_cases); i++) {
                const FailCase *c = &fail_cases[i];
                g_test_message("%s %s", c->op, c->target);
                if (c->name) {
                        g_autofree char *made = in_dir(f, c->target);
                        g_assert_cmpint(g_mkdir(made, 0755), ==, 0);
                        if (strcmp(c->target, "full") == 0)
                                g_assert_true(g_file_set_contents(inner, "x", -1, NULL));
                }
                g_autoptr(GError) error = NULL;
                g_assert_false(run_op(f, c, &error));
                g_assert_nonnull(error);
                g_assert_true(error->domain == G_FILE_ERROR);
                if (c->code != G_FILE_ERROR_FAILED)
                        g_assert_cmpint(error->code, ==, c->code);
                g_assert_true(g_str_has_prefix(error->message, c->message));
        }
        g_assert_true(g_file_test(inner, G_FILE_TEST_IS_REGULAR)); /* a failed rmdir removed nothing */
}

static void test_local_cd_says_where(Fixture *f, gconstpointer data)
{
        g_autofree char *before = g_get_current_dir();
        g_autoptr(GError) error = NULL;
        g_assert_true(core_local_cd(f->ctx, f->dir, &error));
        g_assert_nonnull(strstr(f->said->str, "Local directory now "));
        g_autofree char *missing = in_dir(f, "missing");
        g_assert_false(core_local_cd(f->ctx, missing, &error));
        g_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
        g_assert_cmpint(g_chdir(before), ==, 0);
}

/* A tree with a link to a directory outside it: the tree goes, the link's target stays. */
static void test_local_tree_is_planned_and_deleted(Fixture *f, gconstpointer data)
{
        g_autofree char *tree = in_dir(f, "tree");
        g_autofree char *outside = in_dir(f, "outside");
        g_autofree char *kept = in_dir(f, "outside/kept.txt");
        g_autofree char *deep = in_dir(f, "tree/a/b/c");
        g_assert_cmpint(g_mkdir_with_parents(deep, 0755), ==, 0);
        g_assert_cmpint(g_mkdir(outside, 0755), ==, 0);
        g_assert_true(g_file_set_contents(kept, "keep", -1, NULL));
        static const char *const files[] = { "tree/top.txt", "tree/a/one.txt", "tree/a/b/c/deep.txt" };
        for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
                g_autofree char *path = in_dir(f, files[i]);
                g_assert_true(g_file_set_contents(path, "x", -1, NULL));
        }
        g_autofree char *link = in_dir(f, "tree/a/link");
        g_assert_cmpint(symlink(outside, link), ==, 0);

        g_autoptr(GError) error = NULL;
        g_autoptr(CoreDeletePlan) plan = core_delete_plan(f->ctx, FALSE, tree, &error);
        g_assert_no_error(error);
        g_assert_cmpuint(core_delete_plan_count(plan), ==, 7); /* a b c, three files, the link */
        g_assert_true(core_delete_plan_run(f->ctx, plan, &error));
        g_assert_no_error(error);
        g_assert_false(g_file_test(tree, G_FILE_TEST_EXISTS));
        g_assert_true(g_file_test(kept, G_FILE_TEST_IS_REGULAR));
        g_assert_nonnull(strstr(f->said->str, "and the 7 entries below it."));

        /* line mode's form asks first while prompt is on: no keeps the tree */
        g_assert_cmpint(g_mkdir_with_parents(deep, 0755), ==, 0);
        f->ctx->prompt = TRUE;
        f->answer = CORE_ANSWER_NO;
        f->asked = 0;
        g_assert_false(core_delete_tree_asking(f->ctx, FALSE, tree, &error));
        g_assert_no_error(error);
        g_assert_cmpuint(f->asked, ==, 1);
        g_assert_true(g_file_test(deep, G_FILE_TEST_IS_DIR));
        f->answer = CORE_ANSWER_YES;
        g_assert_true(core_delete_tree_asking(f->ctx, FALSE, tree, &error));
        g_assert_false(g_file_test(tree, G_FILE_TEST_EXISTS));
        /* an empty directory goes without a question */
        g_assert_cmpint(g_mkdir(tree, 0755), ==, 0);
        f->asked = 0;
        g_assert_true(core_delete_tree_asking(f->ctx, FALSE, tree, &error));
        g_assert_cmpuint(f->asked, ==, 0);
        g_autofree char *missing = in_dir(f, "missing");
        g_assert_null(core_delete_plan(f->ctx, FALSE, missing, &error));
        g_assert_nonnull(error);
        /* never the directory one stands in, a parent, or the root */
        static const char *const refused[] = { ".", "..", "/", "", "a/..", "./", "sub/." };
        for (gsize i = 0; i < G_N_ELEMENTS(refused); i++) {
                g_autoptr(GError) refusal = NULL;
                g_test_message("delete -r \"%s\"", refused[i]);
                g_assert_null(core_delete_plan(f->ctx, TRUE, refused[i], &refusal));
                g_assert_error(refusal, G_FILE_ERROR, G_FILE_ERROR_INVAL);
        }
}

typedef struct {
        gboolean prompt;
        CoreAnswer answer;
        guint asked;
        gboolean renamed;   /* b.txt now holds a's bytes and a.txt is gone */
} RenameCase;

static const RenameCase rename_cases[] = {
        { TRUE, CORE_ANSWER_NO, 1, FALSE },     /* the default: the existing file is kept */
        { TRUE, CORE_ANSWER_QUIT, 1, FALSE },   /* Esc */
        { TRUE, CORE_ANSWER_YES, 1, TRUE },
        { TRUE, CORE_ANSWER_ALL, 1, TRUE },
        { FALSE, CORE_ANSWER_NO, 0, TRUE },     /* prompt off (-n): replaced without a question */
};

static void test_rename_onto_an_existing_name_asks(Fixture *f, gconstpointer data)
{
        g_autofree char *a = in_dir(f, "a.txt");
        g_autofree char *b = in_dir(f, "b.txt");
        for (gsize i = 0; i < G_N_ELEMENTS(rename_cases); i++) {
                const RenameCase *c = &rename_cases[i];
                g_test_message("rename case %zu", i);
                g_assert_true(g_file_set_contents(a, "new", -1, NULL));
                g_assert_true(g_file_set_contents(b, "old", -1, NULL));
                f->ctx->prompt = c->prompt;
                f->answer = c->answer;
                f->asked = 0;
                g_autoptr(GError) error = NULL;
                gboolean ok = core_rename_checked(f->ctx, FALSE, a, b, &error);
                g_assert_no_error(error);
                g_assert_cmpint(ok, ==, c->renamed);
                g_assert_cmpuint(f->asked, ==, c->asked);
                g_autofree char *bytes = NULL;
                g_assert_true(g_file_get_contents(b, &bytes, NULL, NULL));
                g_assert_cmpstr(bytes, ==, c->renamed ? "new" : "old");
                g_assert_cmpint(g_file_test(a, G_FILE_TEST_EXISTS), ==, !c->renamed);
        }
        g_assert_nonnull(strstr(f->said->str, "b.txt exists already: replace it with "));
        g_assert_nonnull(strstr(f->said->str, "Not renamed: "));
        /* a free name is renamed without a question; the same name is nothing to do */
        g_autofree char *c_path = in_dir(f, "c.txt");
        f->ctx->prompt = TRUE;
        f->asked = 0;
        g_assert_true(core_rename_checked(f->ctx, FALSE, b, c_path, NULL));
        g_assert_false(core_rename_checked(f->ctx, FALSE, c_path, c_path, NULL));
        g_assert_cmpuint(f->asked, ==, 0);
}

static void test_remote_before_open_is_refused(Fixture *f, gconstpointer data)
{
        GError *errors[7] = { NULL };
        gboolean exists = TRUE;
        g_assert_false(core_remote_exists(f->ctx, "x", &exists, &errors[6]));
        g_assert_false(exists);
        g_assert_false(core_remote_mkdir(f->ctx, "x", &errors[0]));
        g_assert_false(core_remote_rmdir(f->ctx, "x", &errors[1]));
        g_assert_false(core_remote_delete(f->ctx, "x", &errors[2]));
        g_assert_false(core_remote_rename(f->ctx, "x", "y", &errors[3]));
        g_assert_false(core_remote_cd(f->ctx, "x", &errors[4]));
        g_assert_false(core_remote_cdup(f->ctx, &errors[5]));
        for (gsize i = 0; i < G_N_ELEMENTS(errors); i++) {
                g_assert_error(errors[i], CORE_CMD_ERROR, CORE_CMD_ERROR_NOT_CONNECTED);
                g_error_free(errors[i]);
        }
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, set_up, fn, tear_down)
        ADD("/core/files/local-mkdir-rename-delete", test_local_mkdir_rename_delete);
        ADD("/core/files/local-delete-does-not-follow-a-link", test_local_delete_does_not_follow_a_link);
        ADD("/core/files/local-failures-say-what-and-why", test_local_failures_say_what_and_why);
        ADD("/core/files/local-cd-says-where", test_local_cd_says_where);
        ADD("/core/files/rename-onto-an-existing-name-asks", test_rename_onto_an_existing_name_asks);
        ADD("/core/files/local-tree-is-planned-and-deleted", test_local_tree_is_planned_and_deleted);
        ADD("/core/files/remote-before-open-is-refused", test_remote_before_open_is_refused);
        return g_test_run();
}
