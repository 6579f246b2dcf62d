/* tests/unit/test-core-cmd.c — the command language: word splitting, `;` splitting, refusals,
 * the table, lookup by alias and prefix, argument counts, the open-first rule, toggles, exit status.
 * Must not: need a server or a scanner (commands that would reach one are not run). */
#include "common/i18n.h"
#include "core/cmd.h"
#include "core/context.h"
#include "core/resume.h"
#include <glib/gstdio.h>
#include <string.h>

/* A front end that records what it was told. */
typedef struct {
        GString *out;
        GString *err;
} Capture;

static void capture_message(CoreMsgKind kind, const char *text, gpointer data)
{
        Capture *cap = data;
        GString *to = (kind == CORE_MSG_ERROR || kind == CORE_MSG_WARNING) ? cap->err : cap->out;
        g_string_append_printf(to, "%s\n", text);
}

typedef struct {
        Capture cap;
        CoreContext *ctx;
} Fixture;

static void fixture_set_up(Fixture *f, gconstpointer data)
{
        f->cap.out = g_string_new(NULL);
        f->cap.err = g_string_new(NULL);
        CoreFrontend fe = { .message = capture_message, .data = &f->cap };
        f->ctx = core_context_new(&fe);
}

static void fixture_tear_down(Fixture *f, gconstpointer data)
{
        core_context_free(f->ctx);
        g_string_free(f->cap.out, TRUE);
        g_string_free(f->cap.err, TRUE);
}

/* --- word splitting */

typedef struct {
        const char *line;
        const char *words[5]; /* NULL-terminated; words[0] == NULL and error != -1: an error */
        int error;            /* CoreCmdErrorCode, or -1 */
} SplitCase;

static const SplitCase split_cases[] = {
        { "put a.txt", { "put", "a.txt", NULL }, -1 },
        { "  put   a.txt\t b  ", { "put", "a.txt", "b", NULL }, -1 },
        { "put 'my file.txt'", { "put", "my file.txt", NULL }, -1 },
        { "put \"my file.txt\" x", { "put", "my file.txt", "x", NULL }, -1 },
        { "put my\\ file.txt", { "put", "my file.txt", NULL }, -1 },
        { "put 'it''s'", { "put", "its", NULL }, -1 },
        { "put \"say \\\"hi\\\"\"", { "put", "say \"hi\"", NULL }, -1 },
        { "put \"back\\\\slash\"", { "put", "back\\slash", NULL }, -1 },
        { "put \"c:\\dir\"", { "put", "c:\\dir", NULL }, -1 },
        { "put 'no \\escape'", { "put", "no \\escape", NULL }, -1 },
        { "put ''", { "put", "", NULL }, -1 },
        { "put a\"b c\"d", { "put", "ab cd", NULL }, -1 },
        { "mput *.txt folder/**/*.py", { "mput", "*.txt", "folder/**/*.py", NULL }, -1 },
        { "", { NULL }, -1 },
        { "   \t ", { NULL }, -1 },
        { "put 'unclosed", { NULL }, CORE_CMD_ERROR_SYNTAX },
        { "put \"unclosed", { NULL }, CORE_CMD_ERROR_SYNTAX },
        { "put trailing\\", { NULL }, CORE_CMD_ERROR_SYNTAX },
        { "put a\rb", { NULL }, CORE_CMD_ERROR_BAD_CHAR },
        { "put a\nb", { NULL }, CORE_CMD_ERROR_BAD_CHAR },
        { "put 'a\r\nb'", { NULL }, CORE_CMD_ERROR_BAD_CHAR },
        { "quote USER x\r\nDELE y", { NULL }, CORE_CMD_ERROR_BAD_CHAR },
};

static void test_split_table(void)
{
        for (gsize i = 0; i < G_N_ELEMENTS(split_cases); i++) {
                const SplitCase *c = &split_cases[i];
                g_autoptr(GError) error = NULL;
                g_auto(GStrv) words = core_cmd_split(c->line, -1, &error);
                g_test_message("case %zu: %s", i, c->line);
                if (c->error >= 0) {
                        g_assert_null(words);
                        g_assert_error(error, CORE_CMD_ERROR, c->error);
                        continue;
                }
                g_assert_no_error(error);
                g_assert_nonnull(words);
                g_assert_cmpstrv(words, c->words);
        }
}

static void test_split_refuses_nul(void)
{
        static const char line[] = "put a\0b";
        g_autoptr(GError) error = NULL;
        g_auto(GStrv) words = core_cmd_split(line, sizeof line - 1, &error);
        g_assert_null(words);
        g_assert_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_BAD_CHAR);
}

/* --- `;` splitting */

typedef struct {
        const char *text;
        const char *pieces[5];
        gboolean fails;
} CommandsCase;

static const CommandsCase commands_cases[] = {
        { "open h; put a", { "open h", "put a", NULL }, FALSE },
        { "pwd;ls;;  ; cd x ", { "pwd", "ls", "cd x", NULL }, FALSE },
        { "put 'a;b'; ls", { "put 'a;b'", "ls", NULL }, FALSE },
        { "put \"a;b\"; ls", { "put \"a;b\"", "ls", NULL }, FALSE },
        { "put a\\;b; ls", { "put a\\;b", "ls", NULL }, FALSE },
        { "put \"a\\\";b\"", { "put \"a\\\";b\"", NULL }, FALSE },
        { "pwd\nls", { "pwd", "ls", NULL }, FALSE },
        { "", { NULL }, FALSE },
        { "put 'a;b", { NULL }, TRUE },
};

static void test_split_commands_table(void)
{
        for (gsize i = 0; i < G_N_ELEMENTS(commands_cases); i++) {
                const CommandsCase *c = &commands_cases[i];
                g_autoptr(GError) error = NULL;
                g_auto(GStrv) pieces = core_cmd_split_commands(c->text, &error);
                g_test_message("case %zu: %s", i, c->text);
                if (c->fails) {
                        g_assert_null(pieces);
                        g_assert_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_SYNTAX);
                        continue;
                }
                g_assert_no_error(error);
                g_assert_cmpstrv(pieces, c->pieces);
        }
}

static void test_split_commands_keeps_quoting(void)
{
        g_auto(GStrv) pieces = core_cmd_split_commands("put 'a; b' \"c d\"; pwd", NULL);
        g_assert_nonnull(pieces);
        g_auto(GStrv) words = core_cmd_split(pieces[0], -1, NULL);
        const char *expected[] = { "put", "a; b", "c d", NULL };
        g_assert_cmpstrv(words, expected);
}

/* --- the table */

static void test_table_is_consistent(void)
{
        gsize n = 0;
        const CoreCmd *table = core_cmd_table(&n);
        g_assert_cmpuint(n, >=, 29);
        g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);
        for (gsize i = 0; i < n; i++) {
                const CoreCmd *cmd = &table[i];
                g_test_message("command %s", cmd->name);
                if (i > 0)
                        g_assert_cmpstr(table[i - 1].name, <, cmd->name);
                g_assert_true(g_str_has_prefix(cmd->usage, cmd->name));
                g_assert_true(cmd->summary && *cmd->summary && cmd->help && *cmd->help);
                /* a screen-only row has no core handler; a row with its own screen form says
                 * what that form does */
                g_assert_cmpint(cmd->handler == NULL, ==, (cmd->flags & CORE_CMD_SCREEN_ONLY) != 0);
                g_assert_cmpint(cmd->screen_help != NULL, ==,
                                (cmd->flags & (CORE_CMD_SCREEN_BARE | CORE_CMD_SCREEN_OWN | CORE_CMD_SCREEN_SHORT)) != 0);
                g_assert_cmpint(cmd->min_args, >=, 0);
                g_assert_true(cmd->max_args == CORE_CMD_UNLIMITED || cmd->max_args >= cmd->min_args);
                g_assert_true(g_hash_table_add(names, (gpointer)cmd->name));
                for (const char *const *alias = cmd->aliases; *alias; alias++)
                        g_assert_true(g_hash_table_add(names, (gpointer)*alias));
        }
}

static void test_table_has_every_seed_command(void)
{
        static const char *const seed[] = {
                "open", "quit", "bye", "exit", "close", "user", "put", "mput", "get", "mget", "delete",
                "rename", "mkdir", "rmdir", "ls", "dir", "cd", "cdup", "pwd", "lcd", "lpwd", "lls",
                "ascii", "binary", "prompt", "passive", "status", "help", "?", "scan", "size", "quote",
                "verbose",
        };
        for (gsize i = 0; i < G_N_ELEMENTS(seed); i++) {
                g_autoptr(GError) error = NULL;
                g_test_message("command %s", seed[i]);
                g_assert_nonnull(core_cmd_lookup(seed[i], &error));
                g_assert_no_error(error);
        }
}

typedef struct {
        const char *typed;
        const char *found; /* NULL: an error */
        int error;
} LookupCase;

static const LookupCase lookup_cases[] = {
        { "bye", "quit", -1 },
        { "exit", "quit", -1 },
        { "?", "help", -1 },
        { "dir", "ls", -1 },
        { "ls", "ls", -1 },
        { "del", "delete", -1 },   /* unique prefix */
        { "cd", "cd", -1 },        /* exact name beats being a prefix of cdup */
        { "ren", "rename", -1 },
        { "q", "quit", -1 },       /* an alias beats being a prefix of quote and queue */
        { "send", "put", -1 },
        { "switch", "switch-pane", -1 }, /* rows of the full screen resolve the same way */
        { "chm", "chmod", -1 },
        { "lch", "lchmod", -1 },
        { "vi", "view", -1 },      /* F3's row; "v" is no longer verbose alone */
        { "ed", "edit", -1 },
        { "v", NULL, CORE_CMD_ERROR_AMBIGUOUS },
        { "site", "site", -1 },
        { "cursor", NULL, CORE_CMD_ERROR_AMBIGUOUS },
        { "l", NULL, CORE_CMD_ERROR_AMBIGUOUS },
        { "p", NULL, CORE_CMD_ERROR_AMBIGUOUS },
        { "frobnicate", NULL, CORE_CMD_ERROR_UNKNOWN },
        { "", NULL, CORE_CMD_ERROR_UNKNOWN },
        { "PUT", NULL, CORE_CMD_ERROR_UNKNOWN },
};

static void test_lookup_table(void)
{
        for (gsize i = 0; i < G_N_ELEMENTS(lookup_cases); i++) {
                const LookupCase *c = &lookup_cases[i];
                g_autoptr(GError) error = NULL;
                g_test_message("lookup \"%s\"", c->typed);
                const CoreCmd *cmd = core_cmd_lookup(c->typed, &error);
                if (!c->found) {
                        g_assert_null(cmd);
                        g_assert_error(error, CORE_CMD_ERROR, c->error);
                        continue;
                }
                g_assert_no_error(error);
                g_assert_cmpstr(cmd->name, ==, c->found);
        }
}

static void test_switch_words(void)
{
        gboolean value = FALSE;
        g_assert_true(core_cmd_parse_switch("on", &value) && value);
        g_assert_true(core_cmd_parse_switch("OFF", &value) && !value);
        g_assert_true(core_cmd_parse_switch("yes", &value) && value);
        g_assert_true(core_cmd_parse_switch("0", &value) && !value);
        g_assert_false(core_cmd_parse_switch("maybe", &value));
}

/* --- dispatch */

typedef struct {
        const char *line;
        int error;            /* CoreCmdErrorCode, or -1 for success */
        const char *message;  /* expected in what the front end showed */
} RunCase;

static const RunCase not_connected_cases[] = {
        { "pwd", CORE_CMD_ERROR_NOT_CONNECTED, "Not connected: use `open <host> [port]` first." },
        { "ls", CORE_CMD_ERROR_NOT_CONNECTED, "open <host> [port]" },
        { "dir /pub", CORE_CMD_ERROR_NOT_CONNECTED, "open <host> [port]" },
        { "cd x", CORE_CMD_ERROR_NOT_CONNECTED, "open <host> [port]" },
        { "get x", CORE_CMD_ERROR_NOT_CONNECTED, "open <host> [port]" },
        { "put x", CORE_CMD_ERROR_NOT_CONNECTED, "open <host> [port]" },
        { "mput *.txt", CORE_CMD_ERROR_NOT_CONNECTED, "open <host> [port]" },
        { "mget a b", CORE_CMD_ERROR_NOT_CONNECTED, "open <host> [port]" },
        { "delete x", CORE_CMD_ERROR_NOT_CONNECTED, "open <host> [port]" },
        { "close", CORE_CMD_ERROR_NOT_CONNECTED, "open <host> [port]" },
        { "user bob", CORE_CMD_ERROR_NOT_CONNECTED, "open <host> [port]" },
        { "quote NOOP", CORE_CMD_ERROR_NOT_CONNECTED, "open <host> [port]" },
};

static const RunCase usage_cases[] = {
        { "rename a", CORE_CMD_ERROR_USAGE, "Usage: rename <old-name> <new-name>" },
        { "rename a b c", CORE_CMD_ERROR_USAGE, "Usage: rename <old-name> <new-name>" },
        { "cdup x", CORE_CMD_ERROR_USAGE, "Usage: cdup" },
        { "put", CORE_CMD_ERROR_USAGE, "Usage: put <local-file> [remote-path]" },
        { "open", CORE_CMD_ERROR_USAGE, "Usage: open <host> [port]" },
        { "open a 21 x", CORE_CMD_ERROR_USAGE, "Usage: open <host> [port]" },
        { "open localhost 99999", CORE_CMD_ERROR_USAGE, "not a port number" },
        { "open localhost http", CORE_CMD_ERROR_USAGE, "not a port number" },
        { "prompt maybe", CORE_CMD_ERROR_USAGE, "Usage: prompt [on|off]" },
        { "mget", CORE_CMD_ERROR_USAGE, "Usage: mget" },
        { "frobnicate", CORE_CMD_ERROR_UNKNOWN, "Unknown command" },
        { "l", CORE_CMD_ERROR_AMBIGUOUS, "Ambiguous command" },
        { "put 'x", CORE_CMD_ERROR_SYNTAX, "not closed" },
        { "help nothing", CORE_CMD_ERROR_UNKNOWN, "Unknown command" },
        { "delete", CORE_CMD_ERROR_USAGE, "Usage: delete <remote-file>" }, /* F8's form is the screen's */
        { "copy", CORE_CMD_ERROR_SCREEN_ONLY, "`copy` works only in the full screen" },
        { "cursor-to 3", CORE_CMD_ERROR_SCREEN_ONLY, "only in the full screen" },
        { "site", CORE_CMD_ERROR_USAGE, "Usage: site add <name> [URL]" },
        { "site frob", CORE_CMD_ERROR_USAGE, "Usage: site add <name> [URL]" },
        { "site rm", CORE_CMD_ERROR_USAGE, "Usage: site add" },
        { "site add", CORE_CMD_ERROR_USAGE, "Usage: site add" },
        { "site add a b c", CORE_CMD_ERROR_USAGE, "Usage: site add" },
        { "site add x", CORE_CMD_ERROR_USAGE, "Not connected: give the site's URL" },
        { "site add x ftp://h --tls=sometimes", CORE_CMD_ERROR_USAGE, "--tls must be auto, require or off" },
        { "site add x ftp://h --bogus", CORE_CMD_ERROR_USAGE, "--bogus" },
        { "site add x ftp://h --active --passive", CORE_CMD_ERROR_USAGE, "not both" },
        { "site add 'a[b' ftp://h", CORE_CMD_ERROR_FAILED, "cannot name a site" },
};

static void run_cases(Fixture *f, const RunCase *cases, gsize n)
{
        for (gsize i = 0; i < n; i++) {
                const RunCase *c = &cases[i];
                g_string_truncate(f->cap.err, 0);
                f->ctx->any_failed = FALSE;
                g_autoptr(GError) error = NULL;
                g_test_message("run \"%s\"", c->line);
                gboolean ok = core_cmd_run_line(f->ctx, c->line, -1, &error);
                g_assert_false(ok);
                g_assert_error(error, CORE_CMD_ERROR, c->error);
                g_assert_nonnull(strstr(f->cap.err->str, c->message));
                g_assert_cmpint(core_exit_status(f->ctx), ==, CORE_EXIT_FAILURE);
        }
}

static void test_remote_before_open(Fixture *f, gconstpointer data)
{
        run_cases(f, not_connected_cases, G_N_ELEMENTS(not_connected_cases));
        g_assert_false(f->ctx->connected);
}

static void test_usage_errors(Fixture *f, gconstpointer data)
{
        run_cases(f, usage_cases, G_N_ELEMENTS(usage_cases));
}

static void test_toggles(Fixture *f, gconstpointer data)
{
        g_assert_true(f->ctx->prompt);
        g_assert_true(core_cmd_run_line(f->ctx, "prompt", -1, NULL));
        g_assert_false(f->ctx->prompt);
        g_assert_true(core_cmd_run_line(f->ctx, "prompt on", -1, NULL));
        g_assert_true(f->ctx->prompt);
        g_assert_true(core_cmd_run_line(f->ctx, "prompt off", -1, NULL));
        g_assert_false(f->ctx->prompt);
        g_assert_true(f->ctx->passive);
        g_assert_true(core_cmd_run_line(f->ctx, "passive", -1, NULL));
        g_assert_false(f->ctx->passive);
        g_assert_true(core_cmd_run_line(f->ctx, "passive on", -1, NULL));
        g_assert_true(f->ctx->passive);
        g_assert_true(core_cmd_run_line(f->ctx, "ascii", -1, NULL));
        g_assert_cmpint(f->ctx->type, ==, FTP_TYPE_ASCII);
        g_assert_true(core_cmd_run_line(f->ctx, "bin", -1, NULL));
        g_assert_cmpint(f->ctx->type, ==, FTP_TYPE_BINARY);
        g_assert_true(core_cmd_run_line(f->ctx, "verbose on", -1, NULL));
        g_assert_true(f->ctx->verbose);
        g_assert_nonnull(strstr(f->cap.out->str, "Interactive mode off."));
        g_assert_nonnull(strstr(f->cap.out->str, "Passive mode off."));
        g_assert_cmpint(core_exit_status(f->ctx), ==, CORE_EXIT_OK);
}

static void test_quit_without_connection(Fixture *f, gconstpointer data)
{
        g_assert_true(core_cmd_run_line(f->ctx, "bye", -1, NULL));
        g_assert_true(f->ctx->quit_requested);
        g_assert_cmpint(core_exit_status(f->ctx), ==, CORE_EXIT_OK);
}

/* `queue` in line mode: what an earlier run left in the journal; without a journal it fails. */
static void test_queue_lists_and_needs_a_journal(Fixture *f, gconstpointer data)
{
        g_autoptr(GError) error = NULL;
        g_assert_false(core_cmd_run_line(f->ctx, "queue", -1, &error));
        g_assert_nonnull(strstr(error->message, "keeps no queue journal"));
        g_autofree char *dir = g_dir_make_tmp("clamftp-cmd-XXXXXX", NULL);
        g_assert_true(core_resume_open_journal(f->ctx, dir));
        g_assert_true(core_cmd_run_line(f->ctx, "queue", -1, NULL));
        g_assert_nonnull(strstr(f->cap.out->str, "No transfer is left from an earlier run."));
        g_assert_true(core_cmd_run_line(f->ctx, "queue discard", -1, NULL));
        g_clear_error(&error);
        g_assert_false(core_cmd_run_line(f->ctx, "queue again", -1, &error));
        g_assert_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_USAGE);
        g_autofree char *lock = g_build_filename(dir, "queue-1.lock", NULL);
        g_unlink(lock);
        g_rmdir(dir);
}

static void test_comment_and_blank_do_nothing(Fixture *f, gconstpointer data)
{
        g_assert_true(core_cmd_run_line(f->ctx, "# put secret.txt", -1, NULL));
        g_assert_true(core_cmd_run_line(f->ctx, "   ", -1, NULL));
        g_assert_cmpstr(f->cap.err->str, ==, "");
        g_assert_cmpint(core_exit_status(f->ctx), ==, CORE_EXIT_OK);
}

static void test_status_without_connection(Fixture *f, gconstpointer data)
{
        g_assert_true(core_cmd_run_line(f->ctx, "status", -1, NULL));
        const char *out = f->cap.out->str;
        g_assert_nonnull(strstr(out, "Not connected."));
        g_assert_nonnull(strstr(out, "binary"));
        g_assert_nonnull(strstr(out, "passive"));
        g_assert_nonnull(strstr(out, CORE_DEFAULT_SCANNER));
        g_assert_nonnull(strstr(out, "none yet"));
}

/* `status` formats the verdict the context keeps; recording one counts it. */
static void test_status_shows_last_verdict(Fixture *f, gconstpointer data)
{
        g_autoptr(ScanVerdict) v = scan_verdict_parse("stream: Eicar-Signature FOUND");
        scan_verdict_set_path(v, "x.com");
        guint before = f->ctx->verdicts;
        core_context_set_last_verdict(f->ctx, v);
        g_assert_cmpuint(f->ctx->verdicts, ==, before + 1);
        g_assert_true(f->ctx->last_verdict != v); /* a copy */
        g_assert_cmpint(f->ctx->last_verdict->reason_class, ==, SCAN_REASON_MALWARE);
        g_assert_true(core_cmd_run_line(f->ctx, "status", -1, NULL));
        g_assert_nonnull(strstr(f->cap.out->str, "(last answer: INFECTED Eicar-Signature x.com)"));
}

static void test_help_lists_every_command(Fixture *f, gconstpointer data)
{
        g_assert_true(core_cmd_run_line(f->ctx, "help", -1, NULL));
        gsize n = 0;
        const CoreCmd *table = core_cmd_table(&n);
        for (gsize i = 0; i < n; i++) {
                g_autofree char *entry = g_strdup_printf("\n  %-12s ", table[i].name);
                g_assert_nonnull(strstr(f->cap.out->str, entry));
        }
        /* the commands of the full screen come after their own heading */
        const char *screen = strstr(f->cap.out->str, "Commands of the full screen");
        g_assert_nonnull(screen);
        g_assert_nonnull(strstr(screen, "\n  copy "));
        g_assert_null(strstr(screen, "\n  put "));
        g_string_truncate(f->cap.out, 0);
        g_assert_true(core_cmd_run_line(f->ctx, "? mget", -1, NULL));
        g_assert_true(g_str_has_prefix(f->cap.out->str, "Usage: mget"));
        g_assert_nonnull(strstr(f->cap.out->str, "In the full screen: Runs as jobs of the transfer queue"));
        g_string_truncate(f->cap.out, 0);
        g_assert_true(core_cmd_run_line(f->ctx, "help switch-pane", -1, NULL));
        g_assert_nonnull(strstr(f->cap.out->str, "Only in the full screen."));
}

static void test_exit_status_order(Fixture *f, gconstpointer data)
{
        g_assert_cmpint(core_exit_status(f->ctx), ==, CORE_EXIT_OK);
        core_refused(f->ctx);
        g_assert_cmpint(core_exit_status(f->ctx), ==, CORE_EXIT_REFUSED);
        g_autoptr(GError) error = g_error_new_literal(FTP_ERROR, FTP_ERROR_CLOSED, "gone");
        f->ctx->connected = TRUE;
        core_fail(f->ctx, error);
        g_assert_cmpint(core_exit_status(f->ctx), ==, CORE_EXIT_FAILURE);
        g_assert_false(f->ctx->connected);
        g_assert_nonnull(strstr(f->cap.err->str, "gone"));
}

#define ADD_F(path, fn) g_test_add(path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/core/cmd/split/quotes-escapes-and-refusals", test_split_table);
        g_test_add_func("/core/cmd/split/nul-is-refused", test_split_refuses_nul);
        g_test_add_func("/core/cmd/semicolon-splits-outside-quotes", test_split_commands_table);
        g_test_add_func("/core/cmd/semicolon-split-keeps-quoting", test_split_commands_keeps_quoting);
        g_test_add_func("/core/cmd/table/sorted-unique-and-complete", test_table_is_consistent);
        g_test_add_func("/core/cmd/table/has-every-seed-command", test_table_has_every_seed_command);
        g_test_add_func("/core/cmd/lookup/aliases-and-unique-prefixes", test_lookup_table);
        g_test_add_func("/core/cmd/switch-words", test_switch_words);
        ADD_F("/core/cmd/run/remote-command-before-open-says-open-first", test_remote_before_open);
        ADD_F("/core/cmd/run/wrong-arguments-show-usage", test_usage_errors);
        ADD_F("/core/cmd/run/toggles-flip-and-set", test_toggles);
        ADD_F("/core/cmd/run/bye-without-connection-quits", test_quit_without_connection);
        ADD_F("/core/cmd/run/queue-lists-and-needs-a-journal", test_queue_lists_and_needs_a_journal);
        ADD_F("/core/cmd/run/comment-and-blank-do-nothing", test_comment_and_blank_do_nothing);
        ADD_F("/core/cmd/run/status-without-connection", test_status_without_connection);
        ADD_F("/core/cmd/run/status-shows-the-last-verdict", test_status_shows_last_verdict);
        ADD_F("/core/cmd/run/help-lists-every-command", test_help_lists_every_command);
        ADD_F("/core/cmd/exit-status-failure-beats-refusal", test_exit_status_order);
        return g_test_run();
}
