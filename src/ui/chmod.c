/* ui/chmod.c — chmod in the full screen (`:chmod`, Ctrl-X c as in mc): the dialog shows the mode
 * of the entry under the cursor (rwxr-xr-x and octal) and of how many entries it will change,
 * takes an octal or symbolic mode, and the command thread changes each one (core_local_chmod,
 * core_remote_chmod); the panes are read again afterwards.
 * Must not: call curses, or touch a file or the server from the UI thread. */
#include "ui/app.h"
#include "ui/ui.h"
#include "common/i18n.h"
#include "core/files.h"
#include "core/mode.h"
#include "core/safename.h"

typedef struct {
        gboolean remote;
        char *dir;          /* the pane's directory (local: absolute) */
        GPtrArray *names;   /* char*: entries of dir */
        char *spec;         /* the mode as typed */
} ChmodTask;

static void task_free(gpointer data)
{
        ChmodTask *task = data;
        g_free(task->dir);
        g_ptr_array_unref(task->names);
        g_free(task->spec);
        g_free(task);
}

/* On the command thread: each name on its own, a failure said and the rest going on. */
static void chmod_job(CoreContext *ctx, gpointer data, UiJobResult *result)
{
        ChmodTask *task = data;
        for (guint i = 0; i < task->names->len; i++) {
                const char *name = g_ptr_array_index(task->names, i);
                g_autoptr(GError) error = NULL;
                g_autofree char *path = task->remote ? g_strdup(name) : g_build_filename(task->dir, name, NULL);
                gboolean ok = task->remote ? core_remote_chmod(ctx, task->spec, path, &error)
                                           : core_local_chmod(ctx, task->spec, path, &error);
                if (ok)
                        continue;
                core_fail(ctx, error);
                if (g_error_matches(error, CORE_MODE_ERROR, CORE_MODE_ERROR_INVALID))
                        return; /* the same for every name */
        }
}

static ChmodTask *capture(UiApp *app, GError **error)
{
        UiPane *pane = ui_app_active_pane(app);
        if (pane->remote && !app->connected) {
                g_set_error_literal(error, UI_ERROR, UI_ERROR_USAGE, _("Not connected: use `:open <host> [port]` first."));
                return NULL;
        }
        g_autoptr(GPtrArray) names = ui_pane_targets(pane);
        if (!pane->path || names->len == 0) {
                g_set_error_literal(error, UI_ERROR, UI_ERROR_USAGE, _("Nothing to act on here."));
                return NULL;
        }
        ChmodTask *task = g_new0(ChmodTask, 1);
        task->remote = pane->remote;
        task->dir = g_strdup(pane->path);
        task->names = g_steal_pointer(&names);
        return task;
}

static gboolean run(UiApp *app, ChmodTask *task, const char *spec, GError **error)
{
        guint mode;
        g_autoptr(GError) bad = NULL;
        if (!core_mode_apply(spec, 0, FALSE, &mode, &bad) &&
            g_error_matches(bad, CORE_MODE_ERROR, CORE_MODE_ERROR_INVALID)) {
                g_propagate_error(error, g_steal_pointer(&bad));
                task_free(task);
                return FALSE;
        }
        task->spec = g_strdup(spec);
        gboolean remote = task->remote;
        ui_commander_run_func(app->commander, chmod_job, task, task_free, remote);
        return TRUE;
}

static gpointer copy_name(gconstpointer name, gpointer data)
{
        return g_strdup(name);
}

static void dialog_done(UiApp *app, const char *text, gpointer data)
{
        ChmodTask *task = data;
        g_autofree char *spec = g_strstrip(g_strdup(text));
        if (!*spec)
                return;
        /* The prompt frees its own task on this thread; the command thread gets a copy of its own,
         * names too: no array shared between the two threads by its reference count. */
        ChmodTask *copy = g_new0(ChmodTask, 1);
        copy->remote = task->remote;
        copy->dir = g_strdup(task->dir);
        copy->names = g_ptr_array_copy(task->names, copy_name, NULL);
        g_autoptr(GError) error = NULL;
        if (!run(app, copy, spec, &error))
                ui_app_say(app, CORE_MSG_ERROR, "%s", error->message);
}

/* "report.pdf: rw-r--r-- (644)", or "?" where the listing gave no permissions. */
static char *mode_words(const UiEntry *entry)
{
        g_autofree char *name = core_name_escape(entry->name);
        gint mode = core_mode_from_perms(entry->perms);
        if (mode < 0)
                return g_strdup_printf(_("%s: mode not known"), name);
        return g_strdup_printf("%s: %s (%03o)", name, entry->perms, (guint)mode);
}

static void open_dialog(UiApp *app, ChmodTask *task)
{
        UiPane *pane = ui_app_active_pane(app);
        UiEntry *first = ui_pane_entry(pane, g_ptr_array_index(task->names, 0));
        g_autofree char *current = first ? mode_words(first) : g_strdup("?");
        g_autofree char *label = task->names->len == 1
                ? g_strdup_printf(_("Change the mode of %s"), current)
                : g_strdup_printf(ngettext("Change the mode of %u entry (the first, %s)",
                                           "Change the mode of %u entries (the first, %s)", task->names->len),
                                  task->names->len, current);
        gint mode = first ? core_mode_from_perms(first->perms) : -1;
        g_autofree char *initial = mode >= 0 ? g_strdup_printf("%03o", (guint)mode) : g_strdup("");
        ui_prompt_open(app, label, _("octal (644, 0755) or symbolic (u+x, go-w, a=rX)   Enter: OK   Esc: cancel"),
                       initial, dialog_done, task, task_free);
}

gboolean ui_chmod_command(UiApp *app, int argc, char **argv, GError **error)
{
        ChmodTask *task = capture(app, error);
        if (!task)
                return FALSE;
        if (argc > 1)
                return run(app, task, argv[1], error);
        open_dialog(app, task);
        return TRUE;
}
