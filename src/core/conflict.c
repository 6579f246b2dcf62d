/* core/conflict.c — the "destination exists" question and its answers for a batch.
 * Must not: draw or touch files; it asks through the front end from the command thread. */
#include "core/conflict.h"
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

char *core_conflict_question(const CoreConflict *conflict)
{
        g_autofree char *there = describe(conflict->dst_size, conflict->dst_mtime);
        g_autofree char *ours = describe(conflict->src_size, conflict->src_mtime);
        if (conflict->upload)
                return g_strdup_printf(_("%s exists on the server (%s); this one: %s."),
                                       conflict->name, there, ours);
        return g_strdup_printf(_("%s exists here (%s); the server's: %s."), conflict->name, there, ours);
}

char *core_conflict_free_name(const char *name, gboolean (*taken)(const char *name, gpointer data),
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
static int remembered(const CoreConflictMemory *memory, const CoreConflict *conflict)
{
        if (memory->cancelled)
                return CORE_CONFLICT_CANCEL;
        if (memory->skip_all)
                return CORE_CONFLICT_SKIP;
        if (memory->overwrite_all)
                return CORE_CONFLICT_OVERWRITE;
        if (memory->resume_all)
                return conflict->can_resume ? CORE_CONFLICT_RESUME : CORE_CONFLICT_OVERWRITE;
        return -1;
}

typedef struct {
        CoreChoice choice;
        CoreConflictAction action;
        gboolean *all;  /* the memory flag this answer sets, or NULL */
} Answer;

static char *ask_new_name(CoreContext *ctx, const CoreConflict *conflict)
{
        g_autofree char *label = g_strdup_printf(_("New name for %s:"), conflict->name);
        g_autofree char *name = core_frontend_edit(ctx, label, conflict->suggestion);
        if (!name || !*g_strstrip(name))
                return NULL;
        return g_steal_pointer(&name);
}

/* Overwrite or not, through CoreFrontend.ask (no front end to ask: yes); "all" is remembered,
 * "quit" comes back as CORE_CONFLICT_CANCEL for the caller to remember. */
static CoreConflictAction ask_yes_no(CoreContext *ctx, CoreConflictMemory *memory, const char *text)
{
        switch (ctx->fe.ask ? ctx->fe.ask(text, ctx->fe.data) : CORE_ANSWER_YES) {
        case CORE_ANSWER_ALL:
                memory->overwrite_all = TRUE;
                return CORE_CONFLICT_OVERWRITE;
        case CORE_ANSWER_YES:
                return CORE_CONFLICT_OVERWRITE;
        case CORE_ANSWER_NO:
                return CORE_CONFLICT_SKIP;
        default:
                return CORE_CONFLICT_CANCEL;
        }
}

/* A front end that offers no choice: overwrite or not; quit cancels the rest. */
static CoreConflictAction ask_overwrite(CoreContext *ctx, CoreConflictMemory *memory, const char *question)
{
        g_autofree char *text = g_strdup_printf(_("%s Overwrite?"), question);
        CoreConflictAction action = ask_yes_no(ctx, memory, text);
        if (action == CORE_CONFLICT_CANCEL)
                memory->cancelled = TRUE;
        return action;
}

CoreConflictAction core_conflict_ask_overwrite(CoreContext *ctx, CoreConflictMemory *memory, const char *name)
{
        if (memory->quit)
                return CORE_CONFLICT_SKIP;
        if (memory->overwrite_all)
                return CORE_CONFLICT_OVERWRITE;
        g_autofree char *question = g_strdup_printf(_("%s exists on the server. Overwrite it?"), name);
        CoreConflictAction action = ask_yes_no(ctx, memory, question);
        if (action != CORE_CONFLICT_CANCEL)
                return action;
        memory->quit = TRUE;
        return CORE_CONFLICT_SKIP;
}

CoreConflictAction core_conflict_ask(CoreContext *ctx, CoreConflictMemory *memory, const CoreConflict *conflict,
                                     char **new_name)
{
        *new_name = NULL;
        int known = remembered(memory, conflict);
        if (known >= 0)
                return (CoreConflictAction)known;
        g_autofree char *question = core_conflict_question(conflict);
        if (!ctx->fe.choose)
                return ask_overwrite(ctx, memory, question);
        Answer all[] = {
                { { 'o', N_("overwrite") }, CORE_CONFLICT_OVERWRITE, NULL },
                { { 'O', N_("overwrite all") }, CORE_CONFLICT_OVERWRITE, &memory->overwrite_all },
                { { 'r', N_("resume") }, CORE_CONFLICT_RESUME, NULL },
                { { 'R', N_("resume all") }, CORE_CONFLICT_RESUME, &memory->resume_all },
                { { 'n', N_("rename") }, CORE_CONFLICT_RENAME, NULL },
                { { 's', N_("skip") }, CORE_CONFLICT_SKIP, NULL },
                { { 'S', N_("skip all") }, CORE_CONFLICT_SKIP, &memory->skip_all },
        };
        Answer offered[G_N_ELEMENTS(all)];
        CoreChoice choices[G_N_ELEMENTS(all)];
        guint n = 0;
        for (gsize i = 0; i < G_N_ELEMENTS(all); i++) {
                if (all[i].action == CORE_CONFLICT_RESUME && !conflict->can_resume)
                        continue;
                offered[n] = all[i];
                choices[n] = (CoreChoice){ all[i].choice.key, _(all[i].choice.label) };
                n++;
        }
        for (;;) {
                int index = ctx->fe.choose(question, choices, n, ctx->fe.choose_data);
                if (index < 0) {
                        memory->cancelled = TRUE;
                        return CORE_CONFLICT_CANCEL;
                }
                if (offered[index].all)
                        *offered[index].all = TRUE;
                if (offered[index].action != CORE_CONFLICT_RENAME)
                        return offered[index].action;
                *new_name = ask_new_name(ctx, conflict);
                if (*new_name)
                        return CORE_CONFLICT_RENAME;
                /* the rename was cancelled: ask again */
        }
}
