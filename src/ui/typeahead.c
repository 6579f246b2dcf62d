/* ui/typeahead.c — finding a name as it is typed (see typeahead.h).
 * Must not: call curses or know about panes. */
#include "ui/typeahead.h"
#include <string.h>

gboolean ui_typeahead_matches(const char *name, const char *text, UiFindHow how)
{
        if (!text || !*text)
                return TRUE;
        g_autofree char *have = g_utf8_casefold(name, -1);
        g_autofree char *want = g_utf8_casefold(text, -1);
        if (how == UI_FIND_PREFIX)
                return g_str_has_prefix(have, want);
        return strstr(have, want) != NULL;
}

int ui_typeahead_find(const char *const *names, guint n, const char *text, guint from, UiFindHow how)
{
        for (guint i = 0; i < n; i++) {
                guint at = (from + i) % n;
                if (names[at] && ui_typeahead_matches(names[at], text, how))
                        return (int)at;
        }
        return -1;
}

void ui_typeahead_init(UiTypeahead *ta)
{
        ta->text = g_string_new(NULL);
        ta->last_us = 0;
}

void ui_typeahead_clear(UiTypeahead *ta)
{
        if (ta->text)
                g_string_free(ta->text, TRUE);
        ta->text = NULL;
}

void ui_typeahead_reset(UiTypeahead *ta)
{
        g_string_truncate(ta->text, 0);
        ta->last_us = 0;
}

gboolean ui_typeahead_active(const UiTypeahead *ta, gint64 now_us)
{
        return ta->text && ta->text->len > 0 && now_us - ta->last_us < UI_TYPEAHEAD_PAUSE_US;
}
