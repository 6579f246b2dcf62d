/* ui/compare.c — `:compare`: the differences between the two panes' directories as marks in each
 * pane (N newer here, O newer there, + only here, S a different size), by core's one rule
 * (core/compare.h, the one mirror sends by), and the counts in the message line. The marks follow
 * a refresh of the same directories and go when either pane changes directory.
 * Must not: call curses or read the network (it compares what the panes already hold). */
#include "ui/app.h"
#include "ui/ui.h"
#include "common/i18n.h"
#include "core/cmd.h"
#include "core/compare.h"
#include <string.h>

typedef struct {
        guint newer;      /* newer in the local pane */
        guint older;      /* newer in the remote pane */
        guint only_here;  /* only in the local pane */
        guint only_there; /* only in the remote pane */
        guint size;
} CompareCounts;

static CoreFileStamp stamp_of(const UiEntry *entry)
{
        /* a LIST date of an old file has no time of day: no MDTM here, so a day's slack */
        gboolean day = core_compare_day_only(entry->mtime, entry->mtime_exact, g_get_real_time() / G_USEC_PER_SEC);
        return (CoreFileStamp){ entry->size, entry->mtime, entry->mtime_exact, day };
}

/* name → UiEntry* (borrowed) of every entry but "..". */
static GHashTable *entries_by_name(UiPane *pane)
{
        GHashTable *names = g_hash_table_new(g_str_hash, g_str_equal);
        for (guint i = 0; i < pane->all->len; i++) {
                UiEntry *entry = g_ptr_array_index(pane->all, i);
                if (!entry->is_parent)
                        g_hash_table_insert(names, entry->name, entry);
        }
        return names;
}

/* One name in both panes: a mark on each side, or none when alike. Directories on both sides
 * are alike (what is below them is not compared). */
static void compare_pair(UiPane *local, UiPane *remote, UiEntry *here, UiEntry *there, CompareCounts *counts)
{
        CoreCompareResult result = CORE_COMPARE_SIZE;
        if (here->is_dir == there->is_dir && here->is_dir)
                return;
        if (here->is_dir == there->is_dir) {
                CoreFileStamp a = stamp_of(here), b = stamp_of(there);
                result = core_compare_files(&a, &b);
        }
        switch (result) {
        case CORE_COMPARE_SIZE:
                ui_pane_mark_compare(local, here->name, UI_COMPARE_SIZE);
                ui_pane_mark_compare(remote, there->name, UI_COMPARE_SIZE);
                counts->size++;
                break;
        case CORE_COMPARE_A_NEWER:
                ui_pane_mark_compare(local, here->name, UI_COMPARE_NEWER);
                ui_pane_mark_compare(remote, there->name, UI_COMPARE_OLDER);
                counts->newer++;
                break;
        case CORE_COMPARE_B_NEWER:
                ui_pane_mark_compare(local, here->name, UI_COMPARE_OLDER);
                ui_pane_mark_compare(remote, there->name, UI_COMPARE_NEWER);
                counts->older++;
                break;
        case CORE_COMPARE_SAME:
        default:
                break;
        }
}

static void mark_panes(UiApp *app, CompareCounts *counts)
{
        UiPane *local = app->panes[UI_PANE_LOCAL];
        UiPane *remote = app->panes[UI_PANE_REMOTE];
        memset(counts, 0, sizeof *counts);
        ui_pane_clear_compare(local);
        ui_pane_clear_compare(remote);
        g_autoptr(GHashTable) unmatched = entries_by_name(remote);
        for (guint i = 0; i < local->all->len; i++) {
                UiEntry *here = g_ptr_array_index(local->all, i);
                if (here->is_parent)
                        continue;
                UiEntry *there = g_hash_table_lookup(unmatched, here->name);
                if (!there) {
                        ui_pane_mark_compare(local, here->name, UI_COMPARE_ONLY);
                        counts->only_here++;
                        continue;
                }
                g_hash_table_remove(unmatched, here->name);
                compare_pair(local, remote, here, there, counts);
        }
        GHashTableIter it;
        gpointer name;
        g_hash_table_iter_init(&it, unmatched);
        while (g_hash_table_iter_next(&it, &name, NULL)) {
                ui_pane_mark_compare(remote, name, UI_COMPARE_ONLY);
                counts->only_there++;
        }
}

gboolean ui_compare_on(UiApp *app)
{
        return app->compare_dirs[UI_PANE_LOCAL] != NULL;
}

void ui_compare_off(UiApp *app)
{
        for (int side = 0; side < 2; side++) {
                g_clear_pointer(&app->compare_dirs[side], g_free);
                ui_pane_clear_compare(app->panes[side]);
        }
}

static gboolean compare_start(UiApp *app, GError **error)
{
        UiPane *local = app->panes[UI_PANE_LOCAL];
        UiPane *remote = app->panes[UI_PANE_REMOTE];
        if (!app->connected || !local->path || !remote->path) {
                g_set_error_literal(error, UI_ERROR, UI_ERROR_USAGE,
                                    _("Compare needs a directory in both panes: use `:open <host> [port]` first."));
                return FALSE;
        }
        CompareCounts c;
        mark_panes(app, &c);
        for (int side = 0; side < 2; side++) {
                g_free(app->compare_dirs[side]);
                app->compare_dirs[side] = g_strdup(app->panes[side]->path);
        }
        ui_app_say(app, CORE_MSG_INFO,
                   _("compare: %u newer here, %u newer there, %u only here, %u only there, %u different size"),
                   c.newer, c.older, c.only_here, c.only_there, c.size);
        return TRUE;
}

gboolean ui_compare_command(UiApp *app, int argc, char **argv, GError **error)
{
        gboolean on = TRUE; /* without a word: compare (again) */
        if (argc > 1 && !core_cmd_parse_switch(argv[1], &on)) {
                g_set_error(error, UI_ERROR, UI_ERROR_USAGE, _("Use on or off, not %s."), argv[1]);
                return FALSE;
        }
        if (on)
                return compare_start(app, error);
        gboolean was_on = ui_compare_on(app);
        ui_compare_off(app);
        if (was_on)
                ui_app_say(app, CORE_MSG_INFO, "%s", _("compare: off"));
        return TRUE;
}

void ui_compare_follow(UiApp *app)
{
        if (!ui_compare_on(app))
                return;
        for (int side = 0; side < 2; side++) {
                if (g_strcmp0(app->compare_dirs[side], app->panes[side]->path) != 0) {
                        ui_compare_off(app);
                        ui_app_say(app, CORE_MSG_INFO, "%s", _("compare: off (a pane changed directory)"));
                        return;
                }
        }
        CompareCounts c;
        mark_panes(app, &c); /* the same directories, listed again */
}
