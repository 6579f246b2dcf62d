/* ui/complete.c — Tab completion of the command line. Must not: call curses or ask the server. */
#include "ui/complete.h"
#include "core/cmd.h"
#include <string.h>

void ui_completion_free(UiCompletion *completion)
{
        if (!completion)
                return;
        g_ptr_array_unref(completion->candidates);
        g_free(completion->insert);
        g_free(completion);
}

char *ui_complete_escape(const char *word)
{
        GString *out = g_string_new(NULL);
        for (const char *p = word; *p; p++) {
                if (strchr(" \t'\"\\;#", *p))
                        g_string_append_c(out, '\\');
                g_string_append_c(out, *p);
        }
        return g_string_free(out, FALSE);
}

/* The words before the cursor as the parser would read them; the last one is being typed
 * (empty after a blank). `start` is where it begins. */
typedef struct {
        GPtrArray *words;  /* char*, unescaped */
        gsize start;
} Words;

static void split_before(const char *line, gsize cursor, Words *w)
{
        w->words = g_ptr_array_new_with_free_func(g_free);
        GString *word = g_string_new(NULL);
        gboolean single = FALSE, dbl = FALSE, in_word = FALSE;
        w->start = 0;
        for (gsize i = 0; i < cursor; i++) {
                char c = line[i];
                if (!single && !dbl && (c == ' ' || c == '\t' || c == ';')) {
                        if (in_word)
                                g_ptr_array_add(w->words, g_strdup(word->str));
                        if (c == ';')
                                g_ptr_array_set_size(w->words, 0); /* a new command */
                        g_string_truncate(word, 0);
                        in_word = FALSE;
                        continue;
                }
                if (!in_word)
                        w->start = i;
                in_word = TRUE;
                if (c == '\\' && !single && i + 1 < cursor) {
                        g_string_append_c(word, line[++i]);
                } else if (c == '\'' && !dbl) {
                        single = !single;
                } else if (c == '"' && !single) {
                        dbl = !dbl;
                } else {
                        g_string_append_c(word, c);
                }
        }
        if (!in_word)
                w->start = cursor;
        g_ptr_array_add(w->words, g_string_free(word, FALSE));
}

static void add_if_prefix(GPtrArray *out, const char *candidate, const char *prefix)
{
        if (g_str_has_prefix(candidate, prefix))
                g_ptr_array_add(out, g_strdup(candidate));
}

static void command_names(GPtrArray *out, const char *prefix)
{
        gsize n = 0;
        const CoreCmd *cmds = core_cmd_table(&n);
        for (gsize i = 0; i < n; i++) {
                add_if_prefix(out, cmds[i].name, prefix);
                for (int a = 0; cmds[i].aliases[a]; a++)
                        add_if_prefix(out, cmds[i].aliases[a], prefix);
        }
}

static char *expand_home(const char *dir)
{
        if (g_str_has_prefix(dir, "~/") || strcmp(dir, "~") == 0)
                return g_build_filename(g_get_home_dir(), dir + 1, NULL);
        return g_strdup(dir);
}

static void local_names(GPtrArray *out, const char *word, const char *base)
{
        const char *slash = strrchr(word, '/');
        g_autofree char *dir_part = slash ? g_strndup(word, (gsize)(slash - word + 1)) : g_strdup("");
        const char *prefix = slash ? slash + 1 : word;
        g_autofree char *dir_typed = expand_home(*dir_part ? dir_part : ".");
        g_autofree char *dir = g_path_is_absolute(dir_typed) ? g_strdup(dir_typed)
                                                             : g_build_filename(base, dir_typed, NULL);
        g_autoptr(GDir) handle = g_dir_open(dir, 0, NULL);
        const char *name;
        while (handle && (name = g_dir_read_name(handle)) != NULL) {
                if (!g_str_has_prefix(name, prefix) || (name[0] == '.' && prefix[0] != '.'))
                        continue;
                g_autofree char *full = g_build_filename(dir, name, NULL);
                gboolean is_dir = g_file_test(full, G_FILE_TEST_IS_DIR);
                g_ptr_array_add(out, g_strconcat(dir_part, name, is_dir ? "/" : "", NULL));
        }
}

static void remote_names(GPtrArray *out, const char *word, GPtrArray *names)
{
        for (guint i = 0; names && i < names->len; i++) {
                const char *name = g_ptr_array_index(names, i);
                if (name[0] == '.' && word[0] != '.')
                        continue;
                add_if_prefix(out, name, word);
        }
}

static void words_of(GPtrArray *out, const char *word, const char *const *choices)
{
        for (; *choices; choices++)
                add_if_prefix(out, *choices, word);
}

/* Candidates for argument number `arg` (1 = first) of `command`. */
static void argument_names(GPtrArray *out, const char *command, guint arg, const char *word,
                           const UiCompleteSources *sources)
{
        static const char *const sort_keys[] = { "name", "size", "time", NULL };
        static const char *const switches[] = { "on", "off", NULL };
        if (strcmp(command, "sort") == 0) {
                words_of(out, word, sort_keys);
                return;
        }
        if (strcmp(command, "dotfiles") == 0) {
                words_of(out, word, switches);
                return;
        }
        const CoreCmd *cmd = core_cmd_lookup(command, NULL);
        if (!cmd)
                return;
        gboolean local = cmd->flags & CORE_CMD_COMPLETES_LOCAL;
        gboolean remote = cmd->flags & CORE_CMD_COMPLETES_REMOTE;
        if (arg == 2 && (strcmp(cmd->name, "get") == 0 || strcmp(cmd->name, "put") == 0)) {
                local = !local; /* get <remote> <local>, put <local> <remote> */
                remote = !remote;
        }
        if (cmd->flags & CORE_CMD_COMPLETES_COMMAND)
                command_names(out, word);
        else if (cmd->flags & CORE_CMD_TOGGLE)
                words_of(out, word, switches);
        else if (local)
                local_names(out, word, sources->local_dir ? sources->local_dir : ".");
        else if (remote)
                remote_names(out, word, sources->remote_names);
}

static int compare_strings(gconstpointer a, gconstpointer b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort_unique(GPtrArray *names)
{
        g_ptr_array_sort(names, compare_strings);
        for (guint i = 1; i < names->len;) {
                if (strcmp(names->pdata[i], names->pdata[i - 1]) == 0)
                        g_ptr_array_remove_index(names, i);
                else
                        i++;
        }
}

/* The longest common prefix, never ending inside a UTF-8 character. transfer full */
static char *common_prefix(GPtrArray *names)
{
        const char *first = names->pdata[0];
        gsize len = strlen(first);
        for (guint i = 1; i < names->len; i++) {
                const char *other = names->pdata[i];
                gsize k = 0;
                while (k < len && first[k] == other[k])
                        k++;
                len = k;
        }
        while (len > 0 && (first[len] & 0xc0) == 0x80)
                len--;
        return g_strndup(first, len);
}

UiCompletion *ui_complete(const char *line, gsize cursor, const UiCompleteSources *sources)
{
        Words w;
        split_before(line, MIN(cursor, strlen(line)), &w);
        UiCompletion *c = g_new0(UiCompletion, 1);
        c->start = w.start;
        c->candidates = g_ptr_array_new_with_free_func(g_free);
        const char *word = g_ptr_array_index(w.words, w.words->len - 1);
        if (w.words->len == 1)
                command_names(c->candidates, word);
        else
                argument_names(c->candidates, g_ptr_array_index(w.words, 0), w.words->len - 1, word, sources);
        sort_unique(c->candidates);
        if (c->candidates->len == 1) {
                const char *only = c->candidates->pdata[0];
                g_autofree char *escaped = ui_complete_escape(only);
                c->insert = g_str_has_suffix(only, "/") ? g_steal_pointer(&escaped)
                                                        : g_strconcat(escaped, " ", NULL);
                c->unique = TRUE;
        } else if (c->candidates->len > 1) {
                g_autofree char *prefix = common_prefix(c->candidates);
                if (strlen(prefix) > strlen(word))
                        c->insert = ui_complete_escape(prefix);
        }
        g_ptr_array_unref(w.words);
        return c;
}
