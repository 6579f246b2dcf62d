/* ui/keys.c — key codes and their names. Must not: call curses. */
#include "ui/keys.h"
#include "common/i18n.h"
#include "ui/ui.h"
#include <stdio.h>
#include <string.h>

static const struct { const char *name; UiKey key; } named[] = {
        { "Up", UI_KEY_UP }, { "Down", UI_KEY_DOWN }, { "Left", UI_KEY_LEFT },
        { "Right", UI_KEY_RIGHT }, { "PageUp", UI_KEY_PPAGE }, { "PageDown", UI_KEY_NPAGE },
        { "Home", UI_KEY_HOME }, { "End", UI_KEY_END }, { "Insert", UI_KEY_INSERT },
        { "Delete", UI_KEY_DELETE }, { "BS", UI_KEY_BACKSPACE }, { "Enter", UI_KEY_ENTER },
        { "Tab", UI_KEY_TAB }, { "S-Tab", UI_KEY_BTAB }, { "Esc", UI_KEY_ESCAPE },
        { "Resize", UI_KEY_RESIZE }, { "Space", ' ' }, { "lt", '<' },
};

UiKey ui_key_from_name(const char *name)
{
        if (!name || !*name)
                return UI_KEY_NONE;
        if (g_utf8_strlen(name, -1) == 1)
                return (UiKey)g_utf8_get_char(name);
        for (gsize i = 0; i < G_N_ELEMENTS(named); i++) {
                if (g_ascii_strcasecmp(name, named[i].name) == 0)
                        return named[i].key;
        }
        if ((name[0] == 'F' || name[0] == 'f') && g_ascii_isdigit(name[1])) {
                int n = atoi(name + 1);
                return n >= 1 && n <= 24 ? UI_KEY_F(n) : UI_KEY_NONE;
        }
        if (g_ascii_strncasecmp(name, "S-F", 3) == 0 && g_ascii_isdigit(name[3])) {
                int n = atoi(name + 3);
                return n >= 1 && n <= 12 ? UI_KEY_SHIFT_F(n) : UI_KEY_NONE;
        }
        if (g_ascii_strncasecmp(name, "C-", 2) == 0 && g_ascii_isalpha(name[2]) && !name[3])
                return UI_KEY_CTRL(g_ascii_tolower(name[2]));
        if (g_ascii_strncasecmp(name, "C-", 2) == 0 && name[2] && strchr("\\]^_", name[2]) && !name[3])
                return UI_KEY_CTRL(name[2]); /* Ctrl-\\ (mc's hotlist), Ctrl-], Ctrl-^, Ctrl-_ */
        return UI_KEY_NONE;
}

char *ui_key_name(UiKey key)
{
        for (gsize i = 0; i < G_N_ELEMENTS(named); i++) {
                if (named[i].key == key)
                        return g_strdup_printf("<%s>", named[i].name);
        }
        if (key > UI_KEY_F0 && key <= UI_KEY_F(12))
                return g_strdup_printf("<F%d>", key - UI_KEY_F0);
        if (key > UI_KEY_F(12) && key <= UI_KEY_F(24))
                return g_strdup_printf("<S-F%d>", key - UI_KEY_F(12));
        if (key > 0 && key <= 26)
                return g_strdup_printf("<C-%c>", key + 'a' - 1);
        if (key > 26 && key < 0x20)
                return g_strdup_printf("<C-%c>", key + '@'); /* <C-\\> */
        if (UI_KEY_IS_CTRL_X(key))
                return g_strdup_printf("<C-x>%c", key - UI_KEY_CTRL_X(0));
        if (key == 0x7f) /* what many terminals send for Backspace */
                return g_strdup("<BS>");
        if (key > 0 && key < UI_KEY_SPECIAL) {
                char buf[8] = { 0 };
                g_unichar_to_utf8((gunichar)key, buf);
                return g_strdup(buf);
        }
        return g_strdup("<?>");
}

gboolean ui_keys_parse(const char *text, GArray *keys, GError **error)
{
        for (const char *p = text; *p;) {
                const char *close = *p == '<' ? strchr(p, '>') : NULL;
                if (close && close > p + 1) {
                        g_autofree char *name = g_strndup(p + 1, (gsize)(close - p - 1));
                        UiKey key = ui_key_from_name(name);
                        if (key == UI_KEY_NONE) {
                                g_set_error(error, UI_ERROR, UI_ERROR_SCRIPT,
                                            _("Unknown key <%s>."), name);
                                return FALSE;
                        }
                        g_array_append_val(keys, key);
                        p = close + 1;
                        continue;
                }
                UiKey key = (UiKey)g_utf8_get_char_validated(p, -1);
                if (key < 0) {
                        g_set_error_literal(error, UI_ERROR, UI_ERROR_SCRIPT,
                                            _("A key script must be UTF-8."));
                        return FALSE;
                }
                g_array_append_val(keys, key);
                p = g_utf8_next_char(p);
        }
        return TRUE;
}

gboolean ui_mouse_parse(const char *line, UiMouse *mouse, GError **error)
{
        static const struct { const char *word; UiMouseKind kind; } words[] = {
                { "@click", UI_MOUSE_CLICK }, { "@dclick", UI_MOUSE_DOUBLE }, { "@rclick", UI_MOUSE_RIGHT },
                { "@wheel up", UI_MOUSE_WHEEL_UP }, { "@wheel down", UI_MOUSE_WHEEL_DOWN },
        };
        for (gsize i = 0; i < G_N_ELEMENTS(words); i++) {
                gsize len = strlen(words[i].word);
                int row = -1, col = -1;
                char end = 0;
                if (strncmp(line, words[i].word, len) != 0 || line[len] != ' ' ||
                    sscanf(line + len, "%d %d %c", &row, &col, &end) != 2 || row < 0 || col < 0)
                        continue;
                *mouse = (UiMouse){ .kind = words[i].kind, .x = col, .y = row };
                return TRUE;
        }
        g_set_error(error, UI_ERROR, UI_ERROR_SCRIPT,
                    _("Not a mouse event: \"%s\" (use @click, @dclick, @rclick ROW COL or @wheel up|down ROW COL)."), line);
        return FALSE;
}
