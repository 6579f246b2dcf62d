/* ui/history.c — the command-line history file. Must not: call curses, or write a line that
 * may hold a password. */
#include "ui/history.h"
#include "core/cmd.h"
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#define HISTORY_FILE_MAX 500

char *ui_history_path(void)
{
        return g_build_filename(g_get_user_state_dir(), "clamftp", "history", NULL);
}

gboolean ui_history_keeps(const char *line)
{
        g_auto(GStrv) argv = core_cmd_split(line, -1, NULL);
        if (!argv || !argv[0])
                return FALSE;
        const CoreCmd *cmd = core_cmd_lookup(argv[0], NULL);
        if (cmd && strcmp(cmd->name, "user") == 0)
                return FALSE;
        if (cmd && strcmp(cmd->name, "quote") == 0 && argv[1] && g_ascii_strcasecmp(argv[1], "PASS") == 0)
                return FALSE;
        return TRUE;
}

gboolean ui_history_load(GPtrArray *history, const char *path, GError **error)
{
        g_autofree char *text = NULL;
        g_autoptr(GError) local = NULL;
        if (!g_file_get_contents(path, &text, NULL, &local)) {
                if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
                        return TRUE;
                g_propagate_error(error, g_steal_pointer(&local));
                return FALSE;
        }
        g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
        for (char **line = lines; *line; line++) {
                if (**line && g_utf8_validate(*line, -1, NULL) && ui_history_keeps(*line))
                        g_ptr_array_add(history, g_strdup(*line));
        }
        while (history->len > HISTORY_FILE_MAX)
                g_ptr_array_remove_index(history, 0);
        return TRUE;
}

gboolean ui_history_save(GPtrArray *history, const char *path, GError **error)
{
        g_autofree char *dir = g_path_get_dirname(path);
        if (g_mkdir_with_parents(dir, 0700) != 0) {
                int saved = errno;
                g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "%s: %s", dir,
                            g_strerror(saved));
                return FALSE;
        }
        GString *text = g_string_new(NULL);
        guint first = history->len > HISTORY_FILE_MAX ? history->len - HISTORY_FILE_MAX : 0;
        for (guint i = first; i < history->len; i++) {
                const char *line = g_ptr_array_index(history, i);
                if (ui_history_keeps(line) && !strchr(line, '\n'))
                        g_string_append_printf(text, "%s\n", line);
        }
        gboolean ok = g_file_set_contents_full(path, text->str, (gssize)text->len,
                                               G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
        g_string_free(text, TRUE);
        return ok;
}
