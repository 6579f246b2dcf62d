/* tests/unit/test-ui-keymap.c — the key map and the screen's handlers against core's one command
 * table: every key runs a command line that the table takes, every screen form has a handler and
 * every handler a row, F-keys are the documented ones, F1 lists every command, Esc+digit, and key
 * names round-trip for scripts and help. */
#include "ui/actions.h"
#include "ui/app.h"
#include "ui/keys.h"
#include "core/cmd.h"
#include <locale.h>

static void test_every_key_names_a_command(void)
{
        gsize n = 0;
        const UiBinding *bindings = ui_keymap(&n);
        g_assert_cmpuint(n, >, 10);
        for (gsize i = 0; i < n; i++) {
                g_test_message("key %d: \"%s\"", bindings[i].key, bindings[i].command);
                g_auto(GStrv) argv = core_cmd_split(bindings[i].command, -1, NULL);
                g_assert_nonnull(argv);
                g_assert_nonnull(argv[0]);
                int n_args = (int)g_strv_length(argv) - 1;
                g_autoptr(GError) error = NULL;
                const CoreCmd *cmd = core_cmd_lookup(argv[0], &error);
                g_assert_no_error(error);
                g_assert_cmpstr(cmd->name, ==, argv[0]); /* a key names the row, not a prefix */
                g_assert_true(core_cmd_check_args(cmd, n_args, TRUE, &error));
                g_assert_no_error(error);
        }
}

static void test_fkeys_are_the_documented_commands(void)
{
        static const struct { int f; const char *command; } expected[] = {
                { 1, "help" }, { 2, "scan" }, { 3, "view" }, { 4, "edit" }, { 5, "copy" }, { 6, "rename" },
                { 7, "mkdir" }, { 8, "delete" }, { 9, "queue" }, { 10, "quit" },
        };
        for (gsize i = 0; i < G_N_ELEMENTS(expected); i++)
                g_assert_cmpstr(ui_keymap_lookup(UI_KEY_F(expected[i].f)), ==, expected[i].command);
        g_assert_cmpstr(ui_keymap_lookup(UI_KEY_SHIFT_F(6)), ==, "move");
        g_assert_cmpstr(ui_keymap_lookup('/'), ==, "filter");
        g_assert_cmpstr(ui_keymap_lookup('s'), ==, "sort");
        g_assert_cmpstr(ui_keymap_lookup('.'), ==, "dotfiles");
        g_assert_cmpstr(ui_keymap_lookup(UI_KEY_CTRL('c')), ==, "cancel");
        g_assert_cmpstr(ui_keymap_lookup(UI_KEY_TAB), ==, "switch-pane");
        g_assert_cmpstr(ui_keymap_lookup(UI_KEY_INSERT), ==, "select");
        g_assert_cmpstr(ui_keymap_lookup(' '), ==, "select");
        g_assert_cmpstr(ui_keymap_lookup('*'), ==, "invert");
        g_assert_cmpstr(ui_keymap_lookup(UI_KEY_BACKSPACE), ==, "parent");
        g_assert_cmpstr(ui_keymap_lookup(UI_KEY_CTRL_X('d')), ==, "compare"); /* mc's C-x d */
        g_assert_cmpstr(ui_keymap_lookup(UI_KEY_CTRL_X('m')), ==, "messages"); /* F3 is mc's view */
}

typedef struct {
        const char *line;
        gboolean screen; /* the screen's handler runs it (else the core's, on the command thread) */
} FormCase;

static const FormCase form_cases[] = {
        { "mkdir", TRUE },      /* F7: asks for a name in the active pane */
        { "mkdir x", FALSE },   /* line mode's remote mkdir */
        { "rename", TRUE },
        { "rename a b", FALSE },
        { "delete", TRUE },
        { "delete x", FALSE },
        { "help", TRUE },       /* F1 */
        { "help put", FALSE },
        { "scan", TRUE },
        { "scan a.txt", FALSE },
        { "put a.txt", TRUE },  /* typed transfers become jobs of the queue */
        { "send a.txt", TRUE },
        { "mget *.txt x", TRUE },
        { "reput a.txt", FALSE },
        { "quit", TRUE },
        { "q", TRUE },
        { "cancel 3", TRUE },   /* job 3 of the queue */
        { "copy", TRUE },
        { "view", TRUE },       /* F3 */
        { "edit", TRUE },       /* F4 */
        { "chmod", TRUE },      /* Ctrl-X c: the dialog */
        { "chmod 755", TRUE },  /* the selection */
        { "chmod 755 x", FALSE }, /* line mode's remote chmod */
        { "sort reverse", TRUE },
        { "select-pattern *.txt", TRUE },
        { "search", TRUE },
        { "ls", FALSE },
        { "status", FALSE },
};

static void test_forms_run_where_the_table_says(void)
{
        for (gsize i = 0; i < G_N_ELEMENTS(form_cases); i++) {
                const FormCase *c = &form_cases[i];
                g_test_message("form \"%s\"", c->line);
                g_auto(GStrv) argv = core_cmd_split(c->line, -1, NULL);
                const CoreCmd *cmd = core_cmd_lookup(argv[0], NULL);
                g_assert_nonnull(cmd);
                int n_args = (int)g_strv_length(argv) - 1;
                g_assert_true(core_cmd_check_args(cmd, n_args, TRUE, NULL));
                g_assert_cmpint(core_cmd_is_screen_form(cmd, n_args), ==, c->screen);
        }
        /* bare put is no form at all: its usage is shown */
        g_autoptr(GError) error = NULL;
        g_assert_false(core_cmd_check_args(core_cmd_lookup("put", NULL), 0, TRUE, &error));
        g_assert_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_USAGE);
}

static void test_screen_forms_and_handlers_match(void)
{
        gsize n = 0;
        const CoreCmd *table = core_cmd_table(&n);
        for (gsize i = 0; i < n; i++) {
                gboolean screen = (table[i].flags & (CORE_CMD_SCREEN_ONLY | CORE_CMD_SCREEN_BARE | CORE_CMD_SCREEN_SHORT |
                                                     CORE_CMD_SCREEN_OWN)) != 0;
                g_test_message("command %s", table[i].name);
                g_assert_cmpint(ui_action_find(table[i].name) != NULL, ==, screen);
        }
        const UiAction *actions = ui_action_table(&n);
        for (gsize i = 0; i < n; i++) {
                const CoreCmd *cmd = core_cmd_lookup(actions[i].name, NULL);
                g_test_message("handler %s", actions[i].name);
                g_assert_nonnull(cmd);
                g_assert_cmpstr(cmd->name, ==, actions[i].name);
                g_assert_nonnull(actions[i].func);
        }
}

static void test_help_lists_every_command_and_key(void)
{
        g_autoptr(GPtrArray) lines = ui_screen_help_lines();
        g_autoptr(GString) all = g_string_new(NULL);
        for (guint i = 0; i < lines->len; i++)
                g_string_append_printf(all, "%s\n", (char *)g_ptr_array_index(lines, i));
        gsize n = 0;
        const CoreCmd *table = core_cmd_table(&n);
        for (gsize i = 0; i < n; i++) {
                g_autofree char *row = g_strdup_printf("\n  %-12s %s", table[i].name, table[i].summary);
                g_test_message("command %s", table[i].name);
                g_assert_nonnull(strstr(all->str, row));
        }
        g_assert_nonnull(strstr(all->str, "\n  <F5>         copy          Copy the selection"));
        g_assert_nonnull(strstr(all->str, "\n  <F8>         delete        Without a name, deletes the selection"));
        g_assert_nonnull(strstr(all->str, "\n  <F3>         view          View the file under the cursor"));
        g_assert_nonnull(strstr(all->str, "\n  <F4>         edit          Edit the file under the cursor"));
        g_autofree char *log = g_strdup_printf("\n  %-12s %-13s %s", "<C-x>m", "messages", "Show older messages");
        g_assert_nonnull(strstr(all->str, log));
}

static void test_esc_digit_is_fkey(void)
{
        g_assert_cmpint(ui_keymap_esc_digit('5'), ==, UI_KEY_F(5));
        g_assert_cmpint(ui_keymap_esc_digit('1'), ==, UI_KEY_F(1));
        g_assert_cmpint(ui_keymap_esc_digit('0'), ==, UI_KEY_F(10));
        g_assert_cmpint(ui_keymap_esc_digit('x'), ==, UI_KEY_NONE);
}

static void test_key_names_round_trip(void)
{
        gsize n = 0;
        const UiBinding *bindings = ui_keymap(&n);
        for (gsize i = 0; i < n; i++) {
                g_autofree char *name = ui_key_name(bindings[i].key);
                g_autoptr(GArray) keys = g_array_new(FALSE, FALSE, sizeof(UiKey));
                g_assert_true(ui_keys_parse(name, keys, NULL));
                UiKey back = g_array_index(keys, UiKey, 0);
                if (UI_KEY_IS_CTRL_X(bindings[i].key)) { /* "<C-x>d": typed as two keys */
                        g_assert_cmpuint(keys->len, ==, 2);
                        g_assert_cmpint(back, ==, UI_KEY_CTRL('x'));
                        back = ui_keymap_ctrl_x(g_array_index(keys, UiKey, 1));
                } else {
                        g_assert_cmpuint(keys->len, ==, 1);
                }
                /* DEL and Backspace share a name */
                if (bindings[i].key != 0x7f)
                        g_assert_cmpint(back, ==, bindings[i].key);
        }
}

static void test_script_text_parses(void)
{
        g_autoptr(GArray) keys = g_array_new(FALSE, FALSE, sizeof(UiKey));
        g_assert_true(ui_keys_parse(":open é<Enter><F5><C-r><lt><Tab><S-F6>", keys, NULL));
        UiKey expected[] = { ':', 'o', 'p', 'e', 'n', ' ', 0xe9, UI_KEY_ENTER, UI_KEY_F(5),
                             UI_KEY_CTRL('r'), '<', UI_KEY_TAB, UI_KEY_F(18) };
        g_assert_cmpuint(keys->len, ==, G_N_ELEMENTS(expected));
        for (gsize i = 0; i < G_N_ELEMENTS(expected); i++)
                g_assert_cmpint(g_array_index(keys, UiKey, i), ==, expected[i]);
        g_autoptr(GError) error = NULL;
        g_assert_false(ui_keys_parse("<NoSuchKey>", keys, &error));
        g_assert_nonnull(error);
}

int main(int argc, char **argv)
{
        setlocale(LC_ALL, "C.UTF-8");
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/ui/keymap/every-key-names-a-command", test_every_key_names_a_command);
        g_test_add_func("/ui/keymap/fkeys-are-the-documented-commands", test_fkeys_are_the_documented_commands);
        g_test_add_func("/ui/keymap/forms-run-where-the-table-says", test_forms_run_where_the_table_says);
        g_test_add_func("/ui/keymap/screen-forms-and-handlers-match", test_screen_forms_and_handlers_match);
        g_test_add_func("/ui/keymap/help-lists-every-command-and-key", test_help_lists_every_command_and_key);
        g_test_add_func("/ui/keymap/esc-digit-is-fkey", test_esc_digit_is_fkey);
        g_test_add_func("/ui/keymap/key-names-round-trip", test_key_names_round_trip);
        g_test_add_func("/ui/keymap/script-text-parses", test_script_text_parses);
        return g_test_run();
}
