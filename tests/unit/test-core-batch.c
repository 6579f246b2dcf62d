/* tests/unit/test-core-batch.c — the batch engine without a server: mput's patterns and local
 * trees expanded into jobs, mget's patterns matched against a listing, the conflict question
 * planned against a known remote listing (answers scripted), its texts and free names, the
 * tally of a directory's job from its files' outcomes, and line mode's mput asked per file and
 * reported whole.
 * Must not: need a server or a real scanner (what exists remotely is given; the fake scanner of
 * scan-fake.h judges, and uploads fail for want of a connection). */
#include "common/i18n.h"
#include "core/batch.h"
#include "tests/unit/scan-fake.h"
#include "tests/unit/tree-remove.h"
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

/* ---- a front end that records messages and answers choices from a script ------------- */

typedef struct {
        GString *said;
        const char *yes_no;   /* line mode's per-file question: one of y n a q per question */
        const char *answers;  /* one key per question; '-': cancel (Esc); past the end: cancel */
        const char *new_name; /* what a rename types */
        guint asked;
        char *last_question;
} Script;

static void on_message(CoreMsgKind kind, const char *text, gpointer data)
{
        Script *script = data;
        g_string_append_printf(script->said, "%d %s\n", kind, text);
}

static CoreAnswer on_ask(const char *question, gpointer data)
{
        Script *script = data;
        g_string_append_printf(script->said, "? %s\n", question);
        char c = script->yes_no && *script->yes_no ? *script->yes_no++ : 'q';
        return c == 'y' ? CORE_ANSWER_YES : c == 'n' ? CORE_ANSWER_NO : c == 'a' ? CORE_ANSWER_ALL : CORE_ANSWER_QUIT;
}

static int on_choose(const char *question, const CoreChoice *choices, guint n_choices, gpointer data)
{
        Script *script = data;
        g_free(script->last_question);
        script->last_question = g_strdup(question);
        char key = script->answers ? script->answers[script->asked] : '\0';
        script->asked++;
        for (guint i = 0; key && i < n_choices; i++)
                if (choices[i].key == key)
                        return (int)i;
        return -1;
}

static char *on_edit(const char *label, const char *initial, gpointer data)
{
        Script *script = data;
        return g_strdup(script->new_name ? script->new_name : initial);
}

typedef struct {
        Script script;
        CoreContext *ctx;
        CoreQueue *queue;
        char *root;      /* a private directory, the current one while the test runs */
        char *old_cwd;
} Fixture;

static void fixture_set_up(Fixture *f, gconstpointer data)
{
        f->script.said = g_string_new(NULL);
        CoreFrontend fe = { .message = on_message, .ask = on_ask, .data = &f->script, .choose = on_choose,
                            .edit = on_edit, .choose_data = &f->script };
        f->ctx = core_context_new(&fe);
        f->queue = core_queue_new();
        f->old_cwd = g_get_current_dir();
        f->root = g_dir_make_tmp("clamftp-batch-XXXXXX", NULL);
        g_assert_nonnull(f->root);
        g_assert_cmpint(chdir(f->root), ==, 0);
}

static void fixture_tear_down(Fixture *f, gconstpointer data)
{
        g_assert_cmpint(chdir(f->old_cwd), ==, 0);
        test_tree_remove(f->root);
        g_free(f->root);
        g_free(f->old_cwd);
        core_queue_free(f->queue);
        core_context_free(f->ctx);
        g_string_free(f->script.said, TRUE);
        g_free(f->script.last_question);
}

/* Files (and with a trailing '/' empty directories) made below the current directory. */
static void make_files(const char *const *paths)
{
        for (const char *const *p = paths; *p; p++) {
                g_autofree char *dir = g_str_has_suffix(*p, "/") ? g_strdup(*p) : g_path_get_dirname(*p);
                g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
                if (!g_str_has_suffix(*p, "/"))
                        g_assert_true(g_file_set_contents(*p, *p, -1, NULL));
        }
}

/* The batch's file jobs as "name local→remote" lines, in order. transfer full */
static char *jobs_text(CoreBatch *batch, gboolean trees_too)
{
        GString *text = g_string_new(NULL);
        for (guint i = 0; i < batch->jobs->len; i++) {
                const CoreBatchJob *bj = &g_array_index(batch->jobs, CoreBatchJob, i);
                if (bj->tree && !trees_too)
                        continue;
                g_autoptr(CoreJob) job = core_queue_get(batch->queue, bj->id);
                g_string_append_printf(text, "%s %s>%s;", job->name, job->local ? job->local : "-", job->remote);
        }
        return g_string_free(text, FALSE);
}

/* ---- expansion: mput's patterns, put's naming ----------------------------------------- */

typedef struct {
        const char *command;   /* split on spaces */
        const char *jobs;      /* jobs_text() */
        gboolean ok;
} ExpandCase;

static const char *const local_files[] = { "a.txt", "b.txt", "c.bin", "docs/note.txt", "docs/x.txt", NULL };

static const ExpandCase expand_cases[] = {
        { "mput *.txt", "a.txt a.txt>a.txt;b.txt b.txt>b.txt;", TRUE },
        { "mput c.bin *.txt", "c.bin c.bin>c.bin;a.txt a.txt>a.txt;b.txt b.txt>b.txt;", TRUE },
        { "mput docs/*", "docs/note.txt docs/note.txt>docs/note.txt;docs/x.txt docs/x.txt>docs/x.txt;", TRUE },
        { "mput docs", "docs/ docs>docs;", TRUE },  /* a directory: one job, expanded as a tree */
        { "mput *.none", "", FALSE },
        { "put docs/note.txt", "note.txt docs/note.txt>docs/note.txt;", TRUE }, /* keeps its directory */
        { "put a.txt up/", "a.txt a.txt>up/a.txt;", TRUE },
        { "put a.txt other.txt", "a.txt a.txt>other.txt;", TRUE },
};

static void test_expand_local_patterns(Fixture *f, gconstpointer data)
{
        make_files(local_files);
        for (gsize i = 0; i < G_N_ELEMENTS(expand_cases); i++) {
                const ExpandCase *c = &expand_cases[i];
                g_test_message("%s", c->command);
                g_auto(GStrv) argv = g_strsplit(c->command, " ", -1);
                g_autoptr(CoreBatch) batch = core_batch_new_typed(f->queue, (int)g_strv_length(argv), argv);
                g_assert_true(batch->upload);
                g_assert_cmpint(core_batch_expand(f->ctx, batch), ==, c->ok);
                g_autofree char *jobs = jobs_text(batch, TRUE);
                g_assert_cmpstr(jobs, ==, c->jobs);
        }
        g_assert_nonnull(strstr(f->script.said->str, "No local file matches"));
}

/* ---- expansion: a local tree, one job per file, empty directories kept ----------------- */

static void test_expand_local_tree(Fixture *f, gconstpointer data)
{
        static const char *const tree[] = { "tree/b.txt", "tree/a.txt", "tree/sub/c.txt", "tree/empty/",
                                            "tree/sub/hollow/inner/", NULL };
        make_files(tree);
        g_assert_cmpint(symlink("/etc", "tree/link"), ==, 0); /* not followed */
        g_autoptr(CoreBatch) batch = core_batch_new(CORE_BATCH_COPY, TRUE, f->queue);
        guint id = core_queue_add(f->queue, CORE_JOB_UPLOAD, "tree/", "tree", "up/tree");
        core_batch_add(batch, id, TRUE, -1, -1);
        core_batch_expand_trees(f->ctx, batch);
        g_autofree char *jobs = jobs_text(batch, FALSE);
        g_assert_cmpstr(jobs, ==, "up/tree/a.txt tree/a.txt>up/tree/a.txt;up/tree/b.txt tree/b.txt>up/tree/b.txt;"
                                  "up/tree/sub/c.txt tree/sub/c.txt>up/tree/sub/c.txt;");
        for (guint i = 1; i < batch->jobs->len; i++)
                g_assert_cmpuint(g_array_index(batch->jobs, CoreBatchJob, i).parent, ==, id);
        static const char *const empty[] = { "up/tree/empty", "up/tree/sub/hollow/inner" };
        g_assert_cmpuint(batch->tree_dirs->len, ==, G_N_ELEMENTS(empty));
        for (gsize i = 0; i < G_N_ELEMENTS(empty); i++) {
                const CoreBatchDir *dir = g_ptr_array_index(batch->tree_dirs, i);
                g_assert_cmpstr(dir->path, ==, empty[i]);
                g_assert_cmpuint(dir->parent, ==, id);
        }
        g_autoptr(CoreJob) group = core_queue_get(f->queue, id);
        g_assert_true(group->group);
}

/* ---- expansion: mget's patterns against a listing ------------------------------------- */

typedef struct {
        const char *command;
        const char *jobs;
        gboolean ok;
        guint failures;   /* names said as failures (line mode's exit status) */
        guint left_out;   /* names left out by rule, with a warning */
} MatchCase;

static const MatchCase match_cases[] = {
        { "mget *.txt", "a.txt ->a.txt;b.txt ->b.txt;", TRUE, 0, 0 },
        { "mget dir b.txt", "dir/ ->dir;b.txt ->b.txt;", TRUE, 0, 0 },
        { "mget hidden.txt", "hidden.txt ->hidden.txt;", TRUE, 0, 0 }, /* not listed: tried as a file */
        { "mget a\\*", "a* ->a*;", TRUE, 0, 0 }, /* escaped: the name "a*", not listed: tried as a file */
        { "mget *.none", "", FALSE, 1, 0 },
        /* another directory: its own listing, the same rules */
        { "mget other/*.c", "other/link.c ->other/link.c;other/x.c ->other/x.c;", TRUE, 1, 0 }, /* a link named: a file */
        { "mget other/sub/", "other/sub/ ->other/sub;", TRUE, 0, 0 },  /* "dir/": the directory itself */
        { "mget other/pipe", "", FALSE, 0, 1 },                        /* a special file */
        { "mget */x.c", "", FALSE, 1, 0 },                             /* wildcards only in the last part */
        { "mget ..", "", FALSE, 1, 0 },                                /* a name that cannot be local */
        { "mget c.bin dest", "c.bin dest/>c.bin;", TRUE, 0, 0 },       /* an existing directory: into it */
};

typedef struct {
        const char *name;
        CoreEntryType type;
} Listed;

/* The entries of one remote directory, in the server's order. transfer full */
static GPtrArray *entries_of(const Listed *listed, gsize n)
{
        GPtrArray *entries = g_ptr_array_new_with_free_func((GDestroyNotify)core_entry_free);
        for (gsize i = 0; i < n && listed[i].name; i++)
                g_ptr_array_add(entries, core_entry_new(listed[i].name, listed[i].type, 10, 1700000000));
        return entries;
}

static GPtrArray *listing(void)
{
        static const Listed names[] = {
                { "b.txt", CORE_ENTRY_FILE }, { "a.txt", CORE_ENTRY_FILE }, { "dir", CORE_ENTRY_DIR },
                { "c.bin", CORE_ENTRY_FILE },
        };
        return entries_of(names, G_N_ELEMENTS(names));
}

static void test_expand_remote_patterns(Fixture *f, gconstpointer data)
{
        static const Listed other[] = {
                { "x.c", CORE_ENTRY_FILE }, { "evil\x1b[2J.c", CORE_ENTRY_FILE }, { "link.c", CORE_ENTRY_LINK },
                { "y.h", CORE_ENTRY_FILE }, { "sub", CORE_ENTRY_DIR }, { "pipe", CORE_ENTRY_OTHER },
        };
        g_assert_cmpint(g_mkdir("dest", 0700), ==, 0);
        for (gsize i = 0; i < G_N_ELEMENTS(match_cases); i++) {
                const MatchCase *c = &match_cases[i];
                g_test_message("%s", c->command);
                g_autoptr(GPtrArray) entries = listing();
                g_auto(GStrv) argv = g_strsplit(c->command, " ", -1);
                g_autoptr(CoreBatch) batch = core_batch_new_typed(f->queue, (int)g_strv_length(argv), argv);
                g_assert_false(batch->upload);
                core_batch_remote_set_listing(batch, "other", entries_of(other, G_N_ELEMENTS(other)));
                g_assert_cmpint(core_batch_expand_listing(f->ctx, batch, entries), ==, c->ok);
                g_autofree char *jobs = jobs_text(batch, TRUE);
                g_assert_cmpstr(jobs, ==, c->jobs);
                g_assert_cmpuint(batch->failures, ==, c->failures);
                g_assert_cmpuint(batch->left_out, ==, c->left_out);
        }
        g_assert_null(strstr(f->script.said->str, "\x1b")); /* the unsafe name is said escaped */
}

/* ---- expansion: a remote tree, one listing per directory ------------------------------- */

typedef struct {
        const char *dir;        /* remote directory */
        Listed entries[5];
} RemoteDir;

/* tree/: files at two levels, an empty directory, a link and a special file (left out), a name
 * unsafe as a local name (a failure), and a directory the server cannot list (a failure). */
static const RemoteDir remote_tree[] = {
        { "tree", { { "b.txt", CORE_ENTRY_FILE }, { "sub", CORE_ENTRY_DIR }, { "a.txt", CORE_ENTRY_FILE },
                    { "link", CORE_ENTRY_LINK }, { "..", CORE_ENTRY_DIR } } },
        { "tree/sub", { { "empty", CORE_ENTRY_DIR }, { "deep.bin", CORE_ENTRY_FILE }, { "fifo", CORE_ENTRY_OTHER },
                        { "locked", CORE_ENTRY_DIR } } },
        { "tree/sub/empty", { { NULL } } },
};

static void test_expand_remote_tree(Fixture *f, gconstpointer data)
{
        f->ctx->prompt = FALSE;
        g_autoptr(CoreBatch) batch = core_batch_new(CORE_BATCH_COPY, FALSE, f->queue);
        for (gsize i = 0; i < G_N_ELEMENTS(remote_tree); i++)
                core_batch_remote_set_listing(batch, remote_tree[i].dir, entries_of(remote_tree[i].entries, 5));
        guint id = core_queue_add(f->queue, CORE_JOB_DOWNLOAD, "tree/", "dl", "tree");
        core_batch_add(batch, id, TRUE, -1, -1);
        core_batch_expand_trees(f->ctx, batch); /* tree/sub/locked: no server to list it */
        g_autofree char *jobs = jobs_text(batch, FALSE);
        g_assert_cmpstr(jobs, ==, "tree/a.txt dl/tree/a.txt>tree/a.txt;tree/b.txt dl/tree/b.txt>tree/b.txt;"
                                  "tree/sub/deep.bin dl/tree/sub/deep.bin>tree/sub/deep.bin;");
        g_assert_cmpuint(batch->tree_dirs->len, ==, 1);
        g_assert_cmpstr(((CoreBatchDir *)g_ptr_array_index(batch->tree_dirs, 0))->path, ==, "dl/tree/sub/empty");
        g_assert_cmpuint(batch->failures, ==, 2);  /* ".." and the listing of tree/sub/locked */
        g_assert_cmpuint(batch->left_out, ==, 2);  /* link, fifo */
        const char *said = f->script.said->str;
        g_assert_nonnull(strstr(said, "Skipped tree/link: symbolic links are not followed."));
        g_assert_nonnull(strstr(said, "Skipped ..: the server sent a name that is not safe"));
        g_assert_nonnull(strstr(said, "Skipped tree/sub/fifo: not a file or a directory."));
}

/* A server whose directories go on forever ends at 32 levels, said as a failure; the same
 * directory named twice is walked once. */
static void test_expand_remote_tree_depth(Fixture *f, gconstpointer data)
{
        g_autoptr(CoreBatch) batch = core_batch_new(CORE_BATCH_COPY, FALSE, f->queue);
        g_autoptr(GString) dir = g_string_new("d");
        for (int level = 0; level < 40; level++) {
                static const Listed deeper[] = { { "d", CORE_ENTRY_DIR }, { "f", CORE_ENTRY_FILE } };
                core_batch_remote_set_listing(batch, dir->str, entries_of(deeper, G_N_ELEMENTS(deeper)));
                g_string_append(dir, "/d");
        }
        for (int twice = 0; twice < 2; twice++) {
                guint id = core_queue_add(f->queue, CORE_JOB_DOWNLOAD, "d/", NULL, "d");
                core_batch_add(batch, id, TRUE, -1, -1);
        }
        core_batch_expand_trees(f->ctx, batch);
        guint files = 0;
        for (guint i = 0; i < batch->jobs->len; i++)
                files += !g_array_index(batch->jobs, CoreBatchJob, i).tree;
        g_assert_cmpuint(files, ==, 32);           /* d/f … 32 levels of d/…/f, once */
        g_assert_cmpuint(batch->failures, ==, 1);
        g_assert_nonnull(strstr(f->script.said->str, "is nested too deeply (32 levels)"));
}

/* ---- planning: uploads against a known remote listing --------------------------------- */

typedef struct {
        const char *what;
        gboolean prompt;       /* the `prompt` toggle */
        const char *answers;   /* keys, one per question asked */
        const char *new_name;  /* typed for a rename, NULL: the suggestion */
        guint asked;           /* questions the front end saw */
        const char *outcome;   /* per job: R runs, r resumes, S skipped, C cancelled; then its target */
} PlanCase;

/* On the server: a.txt (4 bytes), b.txt (4), "b (1).txt" (4), dir/ ; the batch: a.txt (2000),
 * b.txt (2), c.txt (5, new), dir (a file onto a directory: STOR says why). */
static const PlanCase plan_cases[] = {
        { "overwrite each", TRUE, "oo", NULL, 2, "R a.txt;R b.txt;R c.txt;R dir;" },
        { "overwrite all asks once", TRUE, "O", NULL, 1, "R a.txt;R b.txt;R c.txt;R dir;" },
        { "skip, then overwrite", TRUE, "so", NULL, 2, "S a.txt;R b.txt;R c.txt;R dir;" },
        { "skip all asks once", TRUE, "S", NULL, 1, "S a.txt;S b.txt;R c.txt;R dir;" },
        { "resume a larger file", TRUE, "rs", NULL, 2, "r a.txt;S b.txt;R c.txt;R dir;" },
        { "resume all: resume where it can", TRUE, "R", NULL, 1, "r a.txt;R b.txt;R c.txt;R dir;" },
        { "rename takes a free name", TRUE, "nn", NULL, 2, "R a (1).txt;R b (2).txt;R c.txt;R dir;" },
        { "Esc cancels the rest", TRUE, "-", NULL, 1, "C a.txt;C b.txt;C c.txt;C dir;" },
        { "prompt off: no question", FALSE, "", NULL, 0, "R a.txt;R b.txt;R c.txt;R dir;" },
};

static void remote_known(CoreBatch *batch)
{
        core_batch_remote_taken(batch, "a.txt", 4, 1700000000, FALSE);
        core_batch_remote_taken(batch, "b.txt", 4, 1700000000, FALSE);
        core_batch_remote_taken(batch, "b (1).txt", 4, 1700000000, FALSE);
        core_batch_remote_taken(batch, "dir", -1, -1, TRUE);
        core_batch_remote_listed(batch, "");
}

static void add_upload(CoreBatch *batch, const char *name, gint64 size)
{
        guint id = core_queue_add(batch->queue, CORE_JOB_UPLOAD, name, name, name);
        core_batch_add(batch, id, FALSE, size, 1700000000);
}

static char *plan_all(CoreContext *ctx, CoreBatch *batch)
{
        GString *text = g_string_new(NULL);
        CoreConflictMemory memory = { 0 };
        for (guint i = 0; i < batch->jobs->len; i++) {
                CoreBatchJob *bj = &g_array_index(batch->jobs, CoreBatchJob, i);
                gboolean runs = core_batch_plan_upload(ctx, batch, bj, &memory);
                g_autoptr(CoreJob) job = core_queue_get(batch->queue, bj->id);
                char mark = runs ? (bj->resume ? 'r' : 'R') : job->state == CORE_JOB_SKIPPED ? 'S' : 'C';
                g_string_append_printf(text, "%c %s;", mark, job->remote);
        }
        return g_string_free(text, FALSE);
}

/* The batch below on the remote above. */
static void add_plan_uploads(CoreBatch *batch)
{
        remote_known(batch);
        add_upload(batch, "a.txt", 2000);
        add_upload(batch, "b.txt", 2);
        add_upload(batch, "c.txt", 5);
        add_upload(batch, "dir", 5);
}

static void test_plan_uploads(Fixture *f, gconstpointer data)
{
        for (gsize i = 0; i < G_N_ELEMENTS(plan_cases); i++) {
                const PlanCase *c = &plan_cases[i];
                g_test_message("%s", c->what);
                f->ctx->prompt = c->prompt;
                f->script.answers = c->answers;
                f->script.new_name = c->new_name;
                f->script.asked = 0;
                g_autoptr(CoreQueue) queue = core_queue_new();
                g_autoptr(CoreBatch) batch = core_batch_new(CORE_BATCH_COPY, TRUE, queue);
                add_plan_uploads(batch);
                g_autofree char *outcome = plan_all(f->ctx, batch);
                g_assert_cmpstr(outcome, ==, c->outcome);
                g_assert_cmpuint(f->script.asked, ==, c->asked);
        }
}

/* Line mode's put and mput: "x exists on the server. Overwrite it?" answered y/n/a/q (on_ask),
 * never the conflict dialog; a kept file is skipped and said, q leaves the rest alone (skipped,
 * not cancelled: declining is no failure). Same remote as above, plus e.txt (new, last). */
typedef struct {
        const char *what;
        gboolean prompt;
        const char *yes_no;   /* one of y n a q per question */
        const char *asked;    /* the remote names asked about, in order */
        const char *outcome;
} LinePlanCase;

static const LinePlanCase line_plan_cases[] = {
        { "y then n", TRUE, "yn", "a.txt b.txt ", "R a.txt;S b.txt;R c.txt;R dir;R e.txt;" },
        { "a answers the rest", TRUE, "a", "a.txt ", "R a.txt;R b.txt;R c.txt;R dir;R e.txt;" },
        { "n then y", TRUE, "ny", "a.txt b.txt ", "S a.txt;R b.txt;R c.txt;R dir;R e.txt;" },
        { "q leaves the rest alone", TRUE, "q", "a.txt ", "S a.txt;S b.txt;S c.txt;S dir;S e.txt;" },
        { "y then q", TRUE, "yq", "a.txt b.txt ", "R a.txt;S b.txt;S c.txt;S dir;S e.txt;" },
        { "prompt off: no question", FALSE, "", "", "R a.txt;R b.txt;R c.txt;R dir;R e.txt;" },
};

/* The names the script was asked to overwrite, each followed by a space. transfer full */
static char *overwrite_questions(const char *said)
{
        static const char tail[] = " exists on the server. Overwrite it?";
        GString *names = g_string_new(NULL);
        g_auto(GStrv) lines = g_strsplit(said, "\n", -1);
        for (char **line = lines; *line; line++) {
                if (g_str_has_prefix(*line, "? ") && g_str_has_suffix(*line, tail))
                        g_string_append_printf(names, "%.*s ", (int)(strlen(*line) - 2 - strlen(tail)), *line + 2);
        }
        return g_string_free(names, FALSE);
}

static void test_plan_line_mode_overwrite(Fixture *f, gconstpointer data)
{
        for (gsize i = 0; i < G_N_ELEMENTS(line_plan_cases); i++) {
                const LinePlanCase *c = &line_plan_cases[i];
                g_test_message("%s", c->what);
                f->ctx->prompt = c->prompt;
                f->script.yes_no = c->yes_no;
                g_string_truncate(f->script.said, 0);
                g_autoptr(CoreQueue) queue = core_queue_new();
                g_autoptr(CoreBatch) batch = core_batch_new(CORE_BATCH_MPUT, TRUE, queue);
                batch->ask_conflicts = FALSE;
                batch->ask_overwrite = TRUE;
                add_plan_uploads(batch);
                add_upload(batch, "e.txt", 5);
                g_autofree char *outcome = plan_all(f->ctx, batch);
                g_assert_cmpstr(outcome, ==, c->outcome);
                g_assert_cmpuint(f->script.asked, ==, 0); /* never the dialog */
                g_autofree char *asked = overwrite_questions(f->script.said->str);
                g_assert_cmpstr(asked, ==, c->asked);
                gboolean kept_said = strstr(f->script.said->str, "was not overwritten.") != NULL;
                g_assert_cmpint(kept_said, ==, strchr(c->outcome, 'S') != NULL);
        }
}

/* A rename typed by the user retargets the job; the name is taken for the next rename. */
static void test_plan_rename_as_typed(Fixture *f, gconstpointer data)
{
        f->script.answers = "nn";
        f->script.new_name = "mine.txt";
        g_autoptr(CoreBatch) batch = core_batch_new(CORE_BATCH_COPY, TRUE, f->queue);
        remote_known(batch);
        add_upload(batch, "a.txt", 2000);
        g_autofree char *outcome = plan_all(f->ctx, batch);
        g_assert_cmpstr(outcome, ==, "R mine.txt;");
        g_assert_nonnull(g_hash_table_lookup(batch->remote, "mine.txt"));
        g_assert_nonnull(strstr(f->script.last_question, "a.txt exists on the server (4 bytes"));
}

/* Downloads: the local file decides; the answer is how the core replaces it. */
typedef struct {
        const char *answers;
        gboolean runs;
        CoreQueueReplace replace;
        const char *local;      /* the job's local path after the plan (NULL: unchanged) */
} DownloadPlanCase;

static const DownloadPlanCase download_plan_cases[] = {
        { "o", TRUE, CORE_QUEUE_REPLACE_OVERWRITE, NULL },
        { "r", TRUE, CORE_QUEUE_REPLACE_RESUME, NULL },
        { "n", TRUE, CORE_QUEUE_REPLACE_ASK, "./a (1).txt" },
        { "s", FALSE, CORE_QUEUE_REPLACE_ASK, NULL },
};

static void test_plan_downloads(Fixture *f, gconstpointer data)
{
        static const char *const here[] = { "a.txt", NULL };
        make_files(here);
        for (gsize i = 0; i < G_N_ELEMENTS(download_plan_cases); i++) {
                const DownloadPlanCase *c = &download_plan_cases[i];
                g_test_message("answer %s", c->answers);
                f->script.answers = c->answers;
                f->script.asked = 0;
                g_autoptr(CoreBatch) batch = core_batch_new(CORE_BATCH_COPY, FALSE, f->queue);
                guint id = core_queue_add(f->queue, CORE_JOB_DOWNLOAD, "a.txt", NULL, "a.txt");
                CoreBatchJob *bj = core_batch_add(batch, id, FALSE, 2000, 1700000000);
                CoreConflictMemory memory = { 0 };
                CoreQueueReplace replace;
                g_assert_cmpint(core_batch_plan_download(f->ctx, batch, bj, &memory, &replace), ==, c->runs);
                g_assert_cmpuint(f->script.asked, ==, 1);
                g_assert_cmpint(replace, ==, c->replace);
                g_autoptr(CoreJob) job = core_queue_get(f->queue, id);
                g_assert_cmpstr(job->local, ==, c->local);
        }
        g_assert_nonnull(strstr(f->script.last_question, "a.txt exists here"));
}

/* A front end with no choice is asked whether to overwrite, as line mode's put asks. */
typedef struct {
        CoreAnswer answer;
        CoreConflictAction action;
        gboolean overwrite_all;
} FallbackCase;

static const FallbackCase fallback_cases[] = {
        { CORE_ANSWER_YES, CORE_CONFLICT_OVERWRITE, FALSE },
        { CORE_ANSWER_ALL, CORE_CONFLICT_OVERWRITE, TRUE },
        { CORE_ANSWER_NO, CORE_CONFLICT_SKIP, FALSE },
        { CORE_ANSWER_QUIT, CORE_CONFLICT_CANCEL, FALSE },
};

static CoreAnswer answer_from(const char *question, gpointer data)
{
        g_assert_nonnull(strstr(question, "Overwrite?"));
        return *(const CoreAnswer *)data;
}

static void test_conflict_without_choice_asks_yes_no(void)
{
        for (gsize i = 0; i < G_N_ELEMENTS(fallback_cases); i++) {
                CoreAnswer answer = fallback_cases[i].answer;
                CoreFrontend fe = { .ask = answer_from, .data = &answer };
                g_autoptr(CoreContext) ctx = core_context_new(&fe);
                CoreConflictMemory memory = { 0 };
                CoreConflict conflict = { .upload = TRUE, .name = "a.txt", .src_size = 1, .dst_size = 2,
                                          .src_mtime = -1, .dst_mtime = -1 };
                g_autofree char *new_name = NULL;
                g_assert_cmpint(core_conflict_ask(ctx, &memory, &conflict, &new_name), ==, fallback_cases[i].action);
                g_assert_cmpint(memory.overwrite_all, ==, fallback_cases[i].overwrite_all);
                g_assert_null(new_name);
        }
}

/* ---- the question's texts and free names ---------------------------------------------- */

static gboolean taken_in(const char *name, gpointer data)
{
        return g_strv_contains(data, name);
}

static void test_conflict_texts(void)
{
        const char *taken[] = { "b.txt", "b (1).txt", NULL };
        g_autofree char *free_name = core_conflict_free_name("b.txt", taken_in, taken);
        g_assert_cmpstr(free_name, ==, "b (2).txt");
        g_autofree char *no_ext = core_conflict_free_name("README", taken_in, taken);
        g_assert_cmpstr(no_ext, ==, "README (1)");
        g_autofree char *dot_file = core_conflict_free_name(".profile", taken_in, taken);
        g_assert_cmpstr(dot_file, ==, ".profile (1)");
        CoreConflict up = { .upload = TRUE, .name = "b.txt", .src_size = 2000, .src_mtime = 0,
                            .dst_size = 4, .dst_mtime = -1 };
        g_autofree char *question = core_conflict_question(&up);
        g_assert_nonnull(strstr(question, "b.txt exists on the server (4 bytes)"));
        g_assert_nonnull(strstr(question, "2.0\u00a0kB")); /* g_format_size keeps number and unit together */
        CoreConflict down = { .upload = FALSE, .name = "b.txt", .src_size = -1, .src_mtime = -1,
                              .dst_size = 4, .dst_mtime = -1 };
        g_autofree char *question_down = core_conflict_question(&down);
        g_assert_cmpstr(question_down, ==, "b.txt exists here (4 bytes); the server's: size unknown.");
}

/* ---- the tally: a directory's job from its files' outcomes ------------------------------ */

typedef struct {
        const char *what;
        const CoreJobState files[4];  /* ended by CORE_JOB_WAITING */
        gboolean cancel_dir;
        CoreJobState state;
        const char *detail;
} TallyCase;

static const TallyCase tally_cases[] = {
        { "every file arrived", { CORE_JOB_DONE, CORE_JOB_DONE, CORE_JOB_WAITING }, FALSE,
          CORE_JOB_DONE, "2 of 2 files" },
        { "one refused", { CORE_JOB_DONE, CORE_JOB_INFECTED, CORE_JOB_DONE, CORE_JOB_WAITING }, FALSE,
          CORE_JOB_FAILED, "2 of 3 files arrived, 1 refused by the scanner" },
        { "the rest skipped", { CORE_JOB_DONE, CORE_JOB_SKIPPED, CORE_JOB_CANCELLED, CORE_JOB_WAITING }, FALSE,
          CORE_JOB_CANCELLED, "1 of 3 files" },
        { "the directory cancelled", { CORE_JOB_DONE, CORE_JOB_FAILED, CORE_JOB_WAITING }, TRUE,
          CORE_JOB_CANCELLED, "1 of 2 files" },
        { "one failed", { CORE_JOB_FAILED, CORE_JOB_WAITING }, FALSE,
          CORE_JOB_FAILED, "0 of 1 file arrived, 0 refused by the scanner" },
};

static void test_tally_of_a_tree(Fixture *f, gconstpointer data)
{
        for (gsize i = 0; i < G_N_ELEMENTS(tally_cases); i++) {
                const TallyCase *c = &tally_cases[i];
                g_test_message("%s", c->what);
                g_autoptr(CoreQueue) queue = core_queue_new();
                g_autoptr(CoreBatch) batch = core_batch_new(CORE_BATCH_COPY, TRUE, queue);
                guint dir = core_queue_add(queue, CORE_JOB_UPLOAD, "tree/", "tree", "tree");
                core_batch_add(batch, dir, TRUE, -1, -1);
                g_assert_true(core_queue_begin_group(queue, dir));
                for (const CoreJobState *s = c->files; *s != CORE_JOB_WAITING; s++) {
                        guint id = core_queue_add_child(queue, dir, CORE_JOB_UPLOAD, "f", "f", "f");
                        core_batch_add(batch, id, FALSE, 1, 1)->parent = dir;
                        g_assert_true(core_queue_set_state(queue, id, *s, NULL));
                }
                if (c->cancel_dir)
                        core_queue_cancel(queue, dir, NULL);
                core_batch_finish_trees(batch);
                g_autoptr(CoreJob) job = core_queue_get(queue, dir);
                g_assert_cmpint(job->state, ==, c->state);
                g_assert_cmpstr(job->detail, ==, c->detail);
        }
}

/* ---- line mode's mput: asked per file, scanned, and every file in the report ------------- */

typedef struct {
        const char *name;
        const char *content;
        CoreJobState state;
} MputFile;

/* No server: the clean files cannot be sent, the first failure stops the batch, and every file the
 * user did not decline is still named with its outcome and counted in the tally. */
static void test_line_mode_mput_reports_every_file(Fixture *f, gconstpointer data)
{
        static const MputFile files[] = {
                { "bad.txt", "BAD", CORE_JOB_INFECTED },   /* y: refused by the scanner */
                { "a.txt", "clean", CORE_JOB_FAILED },     /* y: scanned clean, the upload fails */
                { "c.txt", "clean", CORE_JOB_SKIPPED },    /* n */
                { "d.txt", "clean", CORE_JOB_FAILED },     /* a(ll): the batch had stopped */
        };
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        g_assert_true(core_context_set_scanner(f->ctx, fake_scanner_address(fake), 0, NULL));
        f->ctx->parallel = 1;
        f->script.yes_no = "yyna";
        char *argv[G_N_ELEMENTS(files) + 2] = { "mput" };
        for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
                g_assert_true(g_file_set_contents(files[i].name, files[i].content, -1, NULL));
                argv[i + 1] = (char *)files[i].name;
        }
        g_autoptr(CoreBatch) batch = core_batch_new_typed(f->queue, G_N_ELEMENTS(files) + 1, argv);
        batch->ask_each = TRUE;
        batch->ask_conflicts = FALSE;
        g_assert_false(core_batch_run_text(f->ctx, batch));
        for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
                g_autoptr(CoreJob) job = core_queue_get(f->queue, g_array_index(batch->jobs, CoreBatchJob, i).id);
                g_test_message("%s: %s", job->name, job->detail ? job->detail : "");
                g_assert_cmpint(job->state, ==, files[i].state);
        }
        const char *said = f->script.said->str;
        g_assert_nonnull(strstr(said, "? Upload bad.txt?"));
        g_assert_nonnull(strstr(said, "? Upload c.txt?"));
        g_assert_nonnull(strstr(said, "bad.txt is infected (Fake.Bad): not uploaded."));
        g_assert_nonnull(strstr(said, "d.txt"));
        g_assert_nonnull(strstr(said, "0 of 3 files uploaded (1 refused by the scanner, 2 failed)."));
        g_assert_cmpint(core_exit_status(f->ctx), ==, CORE_EXIT_FAILURE);
}

/* Line mode's mget asks per name before anything is fetched (a directory once, for its whole
 * tree); a declined name is skipped, the others run (and fail here: no server). */
static void test_line_mode_mget_asks_each(Fixture *f, gconstpointer data)
{
        f->ctx->prompt = TRUE;
        f->script.yes_no = "nyn";
        char *argv[] = { "mget", "*.txt", "dir", NULL };
        g_autoptr(CoreBatch) batch = core_batch_new_typed(f->queue, 3, argv);
        batch->ask_each = TRUE;
        batch->ask_conflicts = FALSE;
        core_batch_remote_set_listing(batch, "", listing());
        g_assert_false(core_batch_run_text(f->ctx, batch));
        const char *said = f->script.said->str;
        g_assert_nonnull(strstr(said, "? Download a.txt?\n? Download b.txt?\n? Download dir/?\n"));
        static const CoreJobState states[] = { CORE_JOB_SKIPPED, CORE_JOB_FAILED, CORE_JOB_SKIPPED };
        g_assert_cmpuint(batch->jobs->len, ==, G_N_ELEMENTS(states)); /* dir/ declined: not listed */
        for (gsize i = 0; i < G_N_ELEMENTS(states); i++) {
                g_autoptr(CoreJob) job = core_queue_get(f->queue, g_array_index(batch->jobs, CoreBatchJob, i).id);
                g_test_message("%s: %s", job->name, job->detail ? job->detail : "");
                g_assert_cmpint(job->state, ==, states[i]);
        }
        g_assert_false(g_file_test("b.txt", G_FILE_TEST_EXISTS));
        g_assert_false(g_file_test("b.txt.part", G_FILE_TEST_EXISTS));
        g_assert_cmpint(core_exit_status(f->ctx), ==, CORE_EXIT_FAILURE);
}

int main(int argc, char **argv)
{
        setlocale(LC_ALL, "C.UTF-8");
        g_test_init(&argc, &argv, NULL);
#define FIXTURE_TEST(path, func) g_test_add(path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
        FIXTURE_TEST("/core/batch/expand/mput-patterns-and-put-naming", test_expand_local_patterns);
        FIXTURE_TEST("/core/batch/expand/local-tree-one-job-per-file", test_expand_local_tree);
        FIXTURE_TEST("/core/batch/expand/mget-patterns-against-a-listing", test_expand_remote_patterns);
        FIXTURE_TEST("/core/batch/expand/remote-tree-one-listing-per-directory", test_expand_remote_tree);
        FIXTURE_TEST("/core/batch/expand/remote-tree-ends-at-32-levels", test_expand_remote_tree_depth);
        FIXTURE_TEST("/core/batch/plan/uploads-against-a-known-listing", test_plan_uploads);
        FIXTURE_TEST("/core/batch/plan/rename-as-typed", test_plan_rename_as_typed);
        FIXTURE_TEST("/core/batch/plan/line-mode-asks-before-overwriting", test_plan_line_mode_overwrite);
        FIXTURE_TEST("/core/batch/plan/downloads-onto-a-local-file", test_plan_downloads);
        FIXTURE_TEST("/core/batch/tally/directory-job-from-its-files", test_tally_of_a_tree);
        FIXTURE_TEST("/core/batch/run/line-mode-mput-reports-every-file", test_line_mode_mput_reports_every_file);
        FIXTURE_TEST("/core/batch/run/line-mode-mget-asks-each-name", test_line_mode_mget_asks_each);
        g_test_add_func("/core/conflict/without-choice-asks-yes-no", test_conflict_without_choice_asks_yes_no);
        g_test_add_func("/core/conflict/texts-and-free-names", test_conflict_texts);
        return g_test_run();
}
