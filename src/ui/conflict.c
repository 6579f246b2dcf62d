/* ui/conflict.c — the "destination exists" question and its answers for a batch.
 * Must not: call curses or touch files; it asks through the bridge from the command thread. */
#include "ui/conflict.h"
#include "common/i18n.h"
#include <string.h>

static char *describe(gint64 size, gint64 mtime)
{
        g_autofree char *size_text = size >= 0 ? g_format_size((guint64)size) : g_strdup(_("size unknown"));
        if (mtime < 0)
                return g_steal_pointer(&size_text);
        g_autoptr(GDateTime) time = g_date_time_new_from_unix_local(mtime);
        g_autofree char *when = time ? g_date_time_format(time, "%Y-%m-%d %H:%M") : NULL;
        return when ? g_strdup_printf("%s, %s", size_text, when) : g_steal_pointer(&size_text);
}

char *ui_conflict_question(const UiConflict *conflict)
{
        g_autofree char *there = describe(conflict->dst_size, conflict->dst_mtime);
        g_autofree char *ours = describe(conflict->src_size, conflict->src_mtime);
        if (conflict->upload)
                return g_strdup_printf(_("%s exists on the server (%s); this one: %s."),
                                       conflict->name, there, ours);
        return g_strdup_printf(_("%s exists here (%s); the server's: %s."), conflict->name, there, ours);
}

char *ui_conflict_free_name(const char *name, gboolean (*taken)(const char *name, gpointer data),
                            gpointer data)
{
        const char *dot = strrchr(name, '.');
        if (!dot || dot == name)
                dot = name + strlen(name);
        g_autofree char *stem = g_strndup(name, (gsize)(dot - name));
        for (guint n = 1;; n++) {
                char *candidate = g_strdup_printf("%s (%u)%s", stem, n, dot);
                if (!taken(candidate, data) || n == G_MAXUINT)
                        return candidate;
                g_free(candidate);
        }
}

/* The answer an earlier "all" gives, or -1 to ask. */
static int remembered(const UiConflictMemory *memory, const UiConflict *conflict)
{
        if (memory->cancelled)
                return UI_CONFLICT_CANCEL;
        if (memory->skip_all)
                return UI_CONFLICT_SKIP;
        if (memory->overwrite_all)
                return UI_CONFLICT_OVERWRITE;
        if (memory->resume_all)
                return conflict->can_resume ? UI_CONFLICT_RESUME : UI_CONFLICT_OVERWRITE;
        return -1;
}

typedef struct {
        UiChoice choice;
        UiConflictAction action;
        gboolean *all;  /* the memory flag this answer sets, or NULL */
} Answer;

static char *ask_new_name(UiBridge *bridge, const UiConflict *conflict)
{
        g_autofree char *label = g_strdup_printf(_("New name for %s:"), conflict->name);
        g_autofree char *name = ui_bridge_prompt(bridge, label, conflict->suggestion);
        if (!name || !*g_strstrip(name))
                return NULL;
        return g_steal_pointer(&name);
}

UiConflictAction ui_conflict_ask(UiBridge *bridge, UiConflictMemory *memory, const UiConflict *conflict,
                                 char **new_name)
{
        *new_name = NULL;
        int known = remembered(memory, conflict);
        if (known >= 0)
                return (UiConflictAction)known;
        Answer all[] = {
                { { 'o', N_("overwrite") }, UI_CONFLICT_OVERWRITE, NULL },
                { { 'O', N_("overwrite all") }, UI_CONFLICT_OVERWRITE, &memory->overwrite_all },
                { { 'r', N_("resume") }, UI_CONFLICT_RESUME, NULL },
                { { 'R', N_("resume all") }, UI_CONFLICT_RESUME, &memory->resume_all },
                { { 'n', N_("rename") }, UI_CONFLICT_RENAME, NULL },
                { { 's', N_("skip") }, UI_CONFLICT_SKIP, NULL },
                { { 'S', N_("skip all") }, UI_CONFLICT_SKIP, &memory->skip_all },
        };
        Answer offered[G_N_ELEMENTS(all)];
        UiChoice choices[G_N_ELEMENTS(all)];
        guint n = 0;
        for (gsize i = 0; i < G_N_ELEMENTS(all); i++) {
                if (all[i].action == UI_CONFLICT_RESUME && !conflict->can_resume)
                        continue;
                offered[n] = all[i];
                choices[n] = (UiChoice){ all[i].choice.key, _(all[i].choice.label) };
                n++;
        }
        g_autofree char *question = ui_conflict_question(conflict);
        for (;;) {
                int index = ui_bridge_choose(bridge, question, choices, n);
                if (index < 0) {
                        memory->cancelled = TRUE;
                        return UI_CONFLICT_CANCEL;
                }
                if (offered[index].all)
                        *offered[index].all = TRUE;
                if (offered[index].action != UI_CONFLICT_RENAME)
                        return offered[index].action;
                *new_name = ask_new_name(bridge, conflict);
                if (*new_name)
                        return UI_CONFLICT_RENAME;
                /* the rename was cancelled: ask again */
        }
}
