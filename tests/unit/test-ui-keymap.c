/* tests/unit/test-ui-keymap.c — the key map and the action table: every key runs a command that
 * exists (a TUI action or a line-mode command), F-keys are the documented ones, Esc+digit, and
 * key names round-trip for scripts and help. */
#include "ui/actions.h"
#include "ui/keys.h"
#include "core/cmd.h"
#include <locale.h>

static void test_every_key_names_a_command(void)
{
        gsize n = 0;
        const UiBinding *bindings = ui_keymap(&n);
        g_assert_cmpuint(n, >, 10);
        for (gsize i = 0; i < n; i++) {
                g_auto(GStrv) argv = core_cmd_split(bindings[i].command, -1, NULL);
                g_assert_nonnull(argv);
                g_assert_nonnull(argv[0]);
                int n_args = (int)g_strv_length(argv) - 1;
                g_autoptr(GError) error = NULL;
                gboolean found = ui_action_find(argv[0], n_args) != NULL ||
                                 core_cmd_lookup(argv[0], &error) != NULL;
                if (!found)
                        g_test_message("key %d: \"%s\" is no command", bindings[i].key, bindings[i].command);
                g_assert_true(found);
        }
}

static void test_fkeys_are_the_documented_commands(void)
{
        static const struct { int f; const char *command; } expected[] = {
                { 1, "help" }, { 2, "scan" }, { 3, "messages" }, { 5, "copy" }, { 6, "rename" },
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
}

static void test_actions_with_arguments_fall_back_to_core(void)
{
        /* `mkdir name` is line mode's remote mkdir; bare `mkdir` is the pane's F7 */
        g_assert_nonnull(ui_action_find("mkdir", 0));
        g_assert_null(ui_action_find("mkdir", 1));
        g_assert_nonnull(core_cmd_lookup("mkdir", NULL));
        g_assert_null(ui_action_find("rename", 2));
        g_assert_nonnull(core_cmd_lookup("rename", NULL));
        g_assert_null(ui_action_find("delete", 1));
        g_assert_null(ui_action_find("help", 1));
        g_assert_null(ui_action_find("dump-screen", 0));
        /* typed transfers become queue jobs; without arguments the core says how to use them */
        g_assert_nonnull(ui_action_find("put", 1));
        g_assert_nonnull(ui_action_find("mget", 5));
        g_assert_null(ui_action_find("put", 0));
        g_assert_null(ui_action_find("get", 3));
        g_assert_nonnull(ui_action_find("cancel", 1)); /* cancel 3: job 3 of the queue */
}

static void test_action_names_are_unique_and_documented(void)
{
        gsize n = 0;
        const UiAction *actions = ui_action_table(&n);
        g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
        for (gsize i = 0; i < n; i++) {
                g_assert_false(g_hash_table_contains(seen, actions[i].name));
                g_hash_table_add(seen, (gpointer)actions[i].name);
                g_assert_true(actions[i].summary && *actions[i].summary);
                g_assert_true(g_str_has_prefix(actions[i].usage, actions[i].name));
                g_assert_nonnull(actions[i].func);
        }
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
                g_assert_cmpuint(keys->len, ==, 1);
                UiKey back = g_array_index(keys, UiKey, 0);
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
        g_test_add_func("/ui/keymap/actions-with-arguments-fall-back-to-core", test_actions_with_arguments_fall_back_to_core);
        g_test_add_func("/ui/keymap/action-names-unique-and-documented", test_action_names_are_unique_and_documented);
        g_test_add_func("/ui/keymap/esc-digit-is-fkey", test_esc_digit_is_fkey);
        g_test_add_func("/ui/keymap/key-names-round-trip", test_key_names_round_trip);
        g_test_add_func("/ui/keymap/script-text-parses", test_script_text_parses);
        return g_test_run();
}
