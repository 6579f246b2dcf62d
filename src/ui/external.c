/* ui/external.c — running the user's pager or editor (see external.h): /bin/sh -c 'PROGRAM "$@"'
 * with the file as "$1", the terminal handed over by ui/display, SIGINT and SIGQUIT ignored by
 * clamftp meanwhile and set back to their defaults in the child (as system() does).
 * Must not: call curses but through ui/display, or run anything but what the user chose. */
#include "ui/external.h"
#include "ui/display.h"
#include "ui/ui.h"
#include "common/i18n.h"
#include "core/safename.h"
#include <signal.h>

static const char *env_value(const char *name)
{
        const char *value = g_getenv(name);
        if (!value)
                return NULL;
        for (const char *p = value; *p; p++) {
                if (!g_ascii_isspace(*p))
                        return value;
        }
        return NULL;
}

const char *ui_external_pager(void)
{
        return env_value("PAGER");
}

const char *ui_external_editor(void)
{
        const char *editor = env_value("EDITOR");
        if (!editor)
                editor = env_value("VISUAL");
        if (editor)
                return editor;
        g_autofree char *found = g_find_program_in_path("editor");
        return found ? "editor" : "vi";
}

/* In the child, before exec: the signals clamftp set aside are the program's again. */
static void child_setup(gpointer data)
{
        signal(SIGINT, SIG_DFL);
        signal(SIGQUIT, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
}

gboolean ui_external_run(const char *program, const char *path, gboolean headless, GError **error)
{
        g_autofree char *script = g_strconcat(program, " \"$@\"", NULL);
        const char *argv[] = { "/bin/sh", "-c", script, program, path, NULL };
        struct sigaction ignore = { .sa_handler = SIG_IGN }, old_int, old_quit;
        sigemptyset(&ignore.sa_mask);
        sigaction(SIGINT, &ignore, &old_int);
        sigaction(SIGQUIT, &ignore, &old_quit);
        if (!headless)
                ui_display_suspend();
        int status = 0;
        g_autoptr(GError) spawn_error = NULL;
        gboolean ran = g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_CHILD_INHERITS_STDIN, child_setup, NULL,
                                    NULL, NULL, &status, &spawn_error);
        if (!headless)
                ui_display_resume();
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGQUIT, &old_quit, NULL);
        g_autofree char *shown = core_name_escape(program);
        if (!ran) {
                g_set_error(error, UI_ERROR, UI_ERROR_USAGE, _("%s could not be started: %s"), shown,
                            spawn_error->message);
                return FALSE;
        }
        g_autoptr(GError) exit_error = NULL;
        if (!g_spawn_check_wait_status(status, &exit_error)) {
                g_set_error(error, UI_ERROR, UI_ERROR_USAGE, _("%s failed: %s"), shown, exit_error->message);
                return FALSE;
        }
        return TRUE;
}
