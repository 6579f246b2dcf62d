/* ui/find.c — finding and picking names in the active pane: type-ahead (FileZilla's and vifm's
 * habit: letters jump to the first name that starts with them), Ctrl-S's incremental search
 * (mc's quick search) and `+`/`-` (mc's select and unselect by a pattern), with the selection's
 * count and size for the status bar.
 * Must not: call curses, or do file or network work. */
#include "ui/app.h"
#include "ui/actions.h"
#include "ui/typeahead.h"
#include "ui/ui.h"
#include "common/i18n.h"
#include "core/safename.h"
#include <string.h>

/* ---- type-ahead ------------------------------------------------------------------------ */

static gboolean printable(UiKey key)
{
        return key > ' ' && key < UI_KEY_SPECIAL && key != 0x7f && g_unichar_isprint((gunichar)key);
}

/* Keys that never add to type-ahead: they keep their meaning while it goes on. Other keys with
 * a binding add to it only where a name starts with the letters they make. */
static gboolean keeps_meaning(UiKey key)
{
        return key == ':' || key == '/';
}

static void append_key(GString *text, UiKey key)
{
        char buf[8];
        int len = g_unichar_to_utf8((gunichar)key, buf);
        g_string_append_len(text, buf, len);
}

gboolean ui_find_typeahead_key(UiApp *app, UiKey key)
{
        UiTypeahead *ta = &app->typeahead;
        gint64 now = g_get_monotonic_time();
        gboolean going = ui_typeahead_active(ta, now);
        if (!printable(key) || keeps_meaning(key) || (!going && ui_keymap_lookup(key))) {
                ui_typeahead_reset(ta); /* any other key ends it */
                return FALSE;
        }
        if (!going)
                ui_typeahead_reset(ta);
        UiPane *pane = ui_app_active_pane(app);
        g_autoptr(GString) wanted = g_string_new(ta->text->str);
        append_key(wanted, key);
        int found = ui_pane_find(pane, wanted->str, 0, FALSE);
        if (found < 0 && ui_keymap_lookup(key)) {
                ui_typeahead_reset(ta); /* `b` then `+`: no name starts "b+", so + selects */
                return FALSE;
        }
        ta->last_us = now;
        if (found < 0)
                return TRUE; /* no name starts so: the letter is not taken, as mc refuses it */
        g_string_assign(ta->text, wanted->str);
        ui_pane_move_to(pane, found);
        return TRUE;
}

const char *ui_find_typeahead_text(UiApp *app)
{
        if (!ui_typeahead_active(&app->typeahead, g_get_monotonic_time()))
                return NULL;
        return app->typeahead.text->str;
}

int ui_find_typeahead_timeout(UiApp *app)
{
        gint64 now = g_get_monotonic_time();
        if (!ui_typeahead_active(&app->typeahead, now))
                return -1;
        gint64 left = app->typeahead.last_us + UI_TYPEAHEAD_PAUSE_US - now;
        return (int)(left / 1000) + 1;
}

/* ---- Ctrl-S ------------------------------------------------------------------------------ */

/* Puts the cursor on the next name containing the text, from the cursor (or the one after it);
 * FALSE when no name does. */
static gboolean search_from(UiApp *app, const char *text, gboolean next)
{
        UiPane *pane = ui_app_active_pane(app);
        int found = ui_pane_find(pane, text, pane->cursor + (next ? 1 : 0), TRUE);
        if (found < 0)
                return FALSE;
        ui_pane_move_to(pane, found);
        return TRUE;
}

gboolean ui_find_search(UiApp *app, int argc, char **argv, GError **error)
{
        if (argc > 1) {
                if (!search_from(app, argv[1], TRUE)) {
                        g_autofree char *shown = core_name_escape(argv[1]);
                        g_set_error(error, UI_ERROR, UI_ERROR_USAGE, _("No name here contains %s."), shown);
                        return FALSE;
                }
                return TRUE;
        }
        app->mode = UI_MODE_SEARCH;
        ui_typeahead_reset(&app->typeahead);
        ui_cmdline_clear(&app->search_line);
        ui_cmdline_init(&app->search_line, NULL);
        return TRUE;
}

void ui_find_search_key(UiApp *app, UiKey key)
{
        if (key == UI_KEY_ESCAPE || key == UI_KEY_ENTER || key == UI_KEY_CTRL('c')) {
                app->mode = UI_MODE_PANES;
                return;
        }
        if (key == UI_KEY_CTRL('s')) {
                search_from(app, app->search_line.text->str, TRUE);
                return;
        }
        g_autofree char *before = g_strdup(app->search_line.text->str);
        gsize cursor = app->search_line.cursor;
        if (key == UI_KEY_UP || key == UI_KEY_DOWN || !ui_cmdline_key(&app->search_line, key)) {
                app->mode = UI_MODE_PANES; /* not an editing key: the search ends, the panes take it */
                ui_app_handle_key(app, key);
                return;
        }
        const char *text = app->search_line.text->str;
        if (*text && !search_from(app, text, FALSE)) { /* mc: a letter that finds nothing is refused */
                ui_cmdline_set(&app->search_line, before);
                app->search_line.cursor = cursor;
        }
}

/* ---- + and - ----------------------------------------------------------------------------- */

static void select_done(UiApp *app, const char *text, gpointer data)
{
        gboolean select = GPOINTER_TO_INT(data);
        UiPane *pane = ui_app_active_pane(app);
        g_autofree char *glob = g_strstrip(g_strdup(text));
        if (!*glob)
                return;
        guint changed = ui_pane_select_glob(pane, glob, select);
        g_autofree char *shown = core_name_escape(glob);
        if (select)
                ui_app_say(app, CORE_MSG_INFO, ngettext("%u entry selected by %s.", "%u entries selected by %s.", changed),
                           changed, shown);
        else
                ui_app_say(app, CORE_MSG_INFO, ngettext("%u entry unselected by %s.", "%u entries unselected by %s.", changed),
                           changed, shown);
}

gboolean ui_find_select_pattern(UiApp *app, int argc, char **argv, gboolean select, GError **error)
{
        UiPane *pane = ui_app_active_pane(app);
        if (!pane->path) {
                g_set_error_literal(error, UI_ERROR, UI_ERROR_USAGE, _("Nothing to select here."));
                return FALSE;
        }
        if (argc > 1) {
                select_done(app, argv[1], GINT_TO_POINTER(select));
                return TRUE;
        }
        ui_prompt_open(app, select ? _("Select the names matching:") : _("Unselect the names matching:"),
                       _("* ? [abc] as in a shell (a leading dot must be typed)   Enter: OK   Esc: cancel"),
                       "*", select_done, GINT_TO_POINTER(select), NULL);
        return TRUE;
}

char *ui_find_selection_text(UiApp *app)
{
        guint64 bytes = 0;
        guint count = ui_pane_selection_totals(ui_app_active_pane(app), &bytes);
        if (count == 0)
                return NULL;
        g_autofree char *size = g_format_size(bytes);
        return g_strdup_printf(ngettext("%u selected, %s", "%u selected, %s", count), count, size);
}
