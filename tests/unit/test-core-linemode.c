/* tests/unit/test-core-linemode.c — line mode without a terminal: where messages go and how they
 * are prefixed, answers, choices and prompts read from the input, `quit` stopping the run, comments.
 * Must not: need a server, a scanner or a terminal (streams are in memory). */
#include "core/linemode.h"
#include "core/cmd.h"
#include <string.h>

typedef struct {
        FILE *in;
        char *out_buf;
        size_t out_len;
        FILE *out;
        char *err_buf;
        size_t err_len;
        FILE *err;
        CoreLineMode *lm;
        CoreContext *ctx;
} Fixture;

static void fixture_open(Fixture *f, const char *input)
{
        f->in = fmemopen((void *)input, strlen(input), "r");
        f->out = open_memstream(&f->out_buf, &f->out_len);
        f->err = open_memstream(&f->err_buf, &f->err_len);
        g_assert_nonnull(f->in);
        g_assert_nonnull(f->out);
        g_assert_nonnull(f->err);
        f->lm = core_linemode_new(f->in, f->out, f->err);
        f->ctx = core_context_new(core_linemode_frontend(f->lm));
}

static void fixture_close(Fixture *f)
{
        core_context_free(f->ctx);
        core_linemode_free(f->lm);
        fclose(f->in);
        fclose(f->out);
        fclose(f->err);
        free(f->out_buf);
        free(f->err_buf);
}

static void flush(Fixture *f)
{
        fflush(f->out);
        fflush(f->err);
}

static void test_messages_go_to_their_streams(void)
{
        Fixture f = { 0 };
        fixture_open(&f, "");
        core_say(f.ctx, CORE_MSG_OUTPUT, "listing line\nsecond line");
        core_say(f.ctx, CORE_MSG_WARNING, "skipped ../x");
        g_autoptr(GError) error = g_error_new_literal(CORE_CMD_ERROR, CORE_CMD_ERROR_FAILED, "it broke\nbadly");
        core_fail(f.ctx, error);
        flush(&f);
        g_assert_cmpstr(f.out_buf, ==, "listing line\nsecond line\n");
        g_assert_cmpstr(f.err_buf, ==,
                        "clamftp: warning: skipped ../x\nclamftp: error: it broke\nclamftp: error: badly\n");
        fixture_close(&f);
}

/* Whatever a message quotes, nothing reaches the terminal that could erase, move, recolour or
 * retitle it; tabs and text escaped once already stay as they are. */
static void test_messages_never_carry_terminal_controls(void)
{
        Fixture f = { 0 };
        fixture_open(&f, "");
        core_say(f.ctx, CORE_MSG_INFO, "a\033[1A\033[2K\rUploaded x (scanned clean)\tb \\x1b ok");
        core_say(f.ctx, CORE_MSG_ERROR, "550 \033]0;title\007 \xc2\x9b" "2J");
        flush(&f);
        g_assert_cmpstr(f.out_buf, ==, "a\\x1b[1A\\x1b[2K\\x0dUploaded x (scanned clean)\tb \\x1b ok\n");
        g_assert_cmpstr(f.err_buf, ==, "clamftp: error: 550 \\x1b]0;title\\x07 \\u009b2J\n");
        fixture_close(&f);
}

typedef struct {
        const char *input;
        CoreAnswer answer;
} AskCase;

static const AskCase ask_cases[] = {
        { "y\n", CORE_ANSWER_YES },
        { "yes\n", CORE_ANSWER_YES },
        { "N\n", CORE_ANSWER_NO },
        { " a \n", CORE_ANSWER_ALL },
        { "quit\n", CORE_ANSWER_QUIT },
        { "", CORE_ANSWER_QUIT },              /* EOF: nobody left to answer */
        { "maybe\n\nn\n", CORE_ANSWER_NO },    /* asked again until an answer parses */
        { "maybe\n", CORE_ANSWER_QUIT },
};

static void test_ask_reads_the_next_line(void)
{
        for (gsize i = 0; i < G_N_ELEMENTS(ask_cases); i++) {
                Fixture f = { 0 };
                g_test_message("answers %s", ask_cases[i].input);
                fixture_open(&f, ask_cases[i].input);
                const CoreFrontend *fe = core_linemode_frontend(f.lm);
                g_assert_cmpint(fe->ask("Upload a.txt?", fe->data), ==, ask_cases[i].answer);
                flush(&f);
                g_assert_true(g_str_has_prefix(f.out_buf, "Upload a.txt? [y]es/[n]o/[a]ll/[q]uit?"));
                fixture_close(&f);
        }
}

/* A choice (a batch's conflict) takes a key, case counting, or a label; other lines ask again. */
typedef struct {
        const char *input;
        int index;          /* -1: cancelled */
} ChooseCase;

static const ChooseCase choose_cases[] = {
        { "o\n", 0 },
        { "O\n", 1 },
        { "skip all\n", 3 },
        { "x\n\ns\n", 2 },      /* an unknown answer and an empty line ask again */
        { "", -1 },              /* end of input: cancel the rest */
};

static void test_choose_takes_a_key_or_a_label(void)
{
        static const CoreChoice choices[] = {
                { 'o', "overwrite" }, { 'O', "overwrite all" }, { 's', "skip" }, { 'S', "skip all" },
        };
        for (gsize i = 0; i < G_N_ELEMENTS(choose_cases); i++) {
                Fixture f = { 0 };
                g_test_message("answers %s", choose_cases[i].input);
                fixture_open(&f, choose_cases[i].input);
                const CoreFrontend *fe = core_linemode_frontend(f.lm);
                int index = fe->choose("a.txt exists.", choices, G_N_ELEMENTS(choices), fe->choose_data);
                g_assert_cmpint(index, ==, choose_cases[i].index);
                flush(&f);
                g_assert_true(g_str_has_prefix(f.out_buf, "a.txt exists. (o overwrite, O overwrite all, s skip, S skip all)?"));
                fixture_close(&f);
        }
}

/* A line that starts from a suggestion: shown in brackets, taken by an empty answer. */
static void test_edit_offers_the_initial_text(void)
{
        Fixture f = { 0 };
        fixture_open(&f, "\nmine.txt\n");
        const CoreFrontend *fe = core_linemode_frontend(f.lm);
        g_autofree char *taken = fe->edit("New name for a.txt:", "a (1).txt", fe->choose_data);
        g_autofree char *typed = fe->edit("New name for a.txt:", "a (1).txt", fe->choose_data);
        g_autofree char *none = fe->edit("New name for a.txt:", "a (1).txt", fe->choose_data);
        flush(&f);
        g_assert_cmpstr(taken, ==, "a (1).txt");
        g_assert_cmpstr(typed, ==, "mine.txt");
        g_assert_null(none);
        g_assert_nonnull(strstr(f.out_buf, "New name for a.txt: [a (1).txt]"));
        fixture_close(&f);
}

/* Questions are checked like messages: a label quoting a server's name (a choice's, an edit's
 * initial text) and the echo of a scripted answer carry no terminal controls; line breaks stay. */
static void test_questions_never_carry_terminal_controls(void)
{
        static const CoreChoice choices[] = { { 'o', "overwrite" }, { 's', "skip" } };
        Fixture f = { 0 };
        fixture_open(&f, "n\r\ns\n\n");
        const CoreFrontend *fe = core_linemode_frontend(f.lm);
        g_assert_cmpint(fe->ask("Download a\033[2J\xc2\x9b.txt?\nsecond line", fe->data), ==, CORE_ANSWER_NO);
        g_assert_cmpint(fe->choose("\rUploaded b \x9b exists.", choices, G_N_ELEMENTS(choices), fe->choose_data), ==, 1);
        g_autofree char *taken = fe->edit("New name for c\007:", "c\033]0;t\007 (1)", fe->choose_data);
        flush(&f);
        g_assert_cmpstr(taken, ==, "c\033]0;t\007 (1)"); /* the name itself is kept */
        g_assert_nonnull(strstr(f.out_buf, "Download a\\x1b[2J\\u009b.txt?\nsecond line [y]es/[n]o/[a]ll/[q]uit? n\\x0d\n"));
        g_assert_nonnull(strstr(f.out_buf, "\\x0dUploaded b \\x9b exists. (o overwrite, s skip)? s\n"));
        g_assert_nonnull(strstr(f.out_buf, "New name for c\\x07: [c\\x1b]0;t\\x07 (1)]"));
        g_assert_null(strpbrk(f.out_buf, "\033\r\007"));
        g_assert_null(strstr(f.out_buf, "\x9b"));
        fixture_close(&f);
}

static void test_prompt_reads_a_line_and_shows_the_label(void)
{
        Fixture f = { 0 };
        fixture_open(&f, "bob\ns3cret\n");
        const CoreFrontend *fe = core_linemode_frontend(f.lm);
        g_autofree char *user = fe->prompt("Username:", FALSE, fe->data);
        g_autofree char *password = fe->prompt("Password:", TRUE, fe->data);
        g_autofree char *none = fe->prompt("Password:", TRUE, fe->data);
        flush(&f);
        g_assert_cmpstr(user, ==, "bob");
        g_assert_cmpstr(password, ==, "s3cret");
        g_assert_null(none);
        g_assert_nonnull(strstr(f.out_buf, "Username:"));
        g_assert_null(strstr(f.out_buf, "s3cret")); /* not echoed */
        fixture_close(&f);
}

static void test_quit_stops_the_commands(void)
{
        Fixture f = { 0 };
        fixture_open(&f, "");
        core_linemode_run_text(f.lm, f.ctx, "prompt off; bye; prompt on");
        g_assert_true(f.ctx->quit_requested);
        g_assert_false(f.ctx->prompt);
        fixture_close(&f);
}

static void test_input_lines_comments_and_semicolons(void)
{
        Fixture f = { 0 };
        fixture_open(&f, "# a comment; prompt\n\nprompt off; passive off\n-bogus\nlpwd\nquit\nprompt on\n");
        core_linemode_run_input(f.lm, f.ctx);
        flush(&f);
        g_assert_false(f.ctx->prompt);
        g_assert_false(f.ctx->passive);
        g_assert_true(f.ctx->quit_requested);
        g_assert_nonnull(strstr(f.err_buf, "clamftp: error: Unknown command \"bogus\""));
        g_assert_nonnull(strstr(f.out_buf, "Local directory: "));
        g_assert_cmpint(core_exit_status(f.ctx), ==, CORE_EXIT_FAILURE);
        fixture_close(&f);
}

/* A script ends at the first command that fails (sftp -b); `-command` may fail. */
static void test_script_stops_at_the_first_failure(void)
{
        Fixture f = { 0 };
        fixture_open(&f, "prompt off\n-cd nowhere\nbogus; passive off\npassive off\n");
        core_linemode_run_input(f.lm, f.ctx);
        flush(&f);
        g_assert_false(f.ctx->prompt);
        g_assert_true(f.ctx->passive); /* neither the rest of the line nor the next line ran */
        g_assert_nonnull(strstr(f.err_buf, "Not connected"));
        g_assert_nonnull(strstr(f.err_buf, "Unknown command \"bogus\""));
        g_assert_nonnull(strstr(f.err_buf, "The script stops here"));
        g_assert_cmpint(core_exit_status(f.ctx), ==, CORE_EXIT_FAILURE);
        fixture_close(&f);
}

/* A failed open: the lines meant as the user name and password are never run, nor printed. */
static void test_failed_open_never_runs_the_credentials(void)
{
        Fixture f = { 0 };
        fixture_open(&f, "open 127.0.0.1 1\nuser\nS3cret\n");
        core_linemode_run_input(f.lm, f.ctx);
        flush(&f);
        g_assert_false(f.ctx->connected);
        g_assert_null(strstr(f.err_buf, "S3cret"));
        g_assert_null(strstr(f.out_buf, "S3cret"));
        g_assert_null(strstr(f.err_buf, "Usage: user"));
        g_assert_nonnull(strstr(f.err_buf, "The script stops here"));
        fixture_close(&f);
}

static void test_input_line_with_cr_is_refused(void)
{
        Fixture f = { 0 };
        fixture_open(&f, "prompt off\r\n");
        core_linemode_run_input(f.lm, f.ctx);
        flush(&f);
        g_assert_true(f.ctx->prompt); /* nothing ran */
        g_assert_nonnull(strstr(f.err_buf, "carriage return"));
        g_assert_cmpint(core_exit_status(f.ctx), ==, CORE_EXIT_FAILURE);
        fixture_close(&f);
}

static void test_missing_batch_file_fails(void)
{
        Fixture f = { 0 };
        fixture_open(&f, "");
        core_linemode_run_file(f.lm, f.ctx, "/nonexistent/clamftp-commands");
        flush(&f);
        g_assert_nonnull(strstr(f.err_buf, "/nonexistent/clamftp-commands"));
        g_assert_cmpint(core_exit_status(f.ctx), ==, CORE_EXIT_FAILURE);
        fixture_close(&f);
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/core/linemode/messages-go-to-stdout-and-prefixed-stderr", test_messages_go_to_their_streams);
        g_test_add_func("/core/linemode/messages-never-carry-terminal-controls", test_messages_never_carry_terminal_controls);
        g_test_add_func("/core/linemode/ask-reads-the-next-line-eof-is-quit", test_ask_reads_the_next_line);
        g_test_add_func("/core/linemode/prompt-reads-a-line-without-echo", test_prompt_reads_a_line_and_shows_the_label);
        g_test_add_func("/core/linemode/choose-takes-a-key-or-a-label", test_choose_takes_a_key_or_a_label);
        g_test_add_func("/core/linemode/edit-offers-the-initial-text", test_edit_offers_the_initial_text);
        g_test_add_func("/core/linemode/questions-never-carry-terminal-controls",
                        test_questions_never_carry_terminal_controls);
        g_test_add_func("/core/linemode/quit-stops-the-commands", test_quit_stops_the_commands);
        g_test_add_func("/core/linemode/input-lines-comments-and-semicolons", test_input_lines_comments_and_semicolons);
        g_test_add_func("/core/linemode/script-stops-at-the-first-failure", test_script_stops_at_the_first_failure);
        g_test_add_func("/core/linemode/failed-open-never-runs-the-credentials", test_failed_open_never_runs_the_credentials);
        g_test_add_func("/core/linemode/line-with-cr-is-refused", test_input_line_with_cr_is_refused);
        g_test_add_func("/core/linemode/missing-batch-file-fails", test_missing_batch_file_fails);
        return g_test_run();
}
