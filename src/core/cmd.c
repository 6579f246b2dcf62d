/* core/cmd.c — the line parser and the dispatcher over the one command table (cmd-table.c).
 * Owns: lookup by name, the checks made before a handler runs (syntax, CR/LF/NUL, argument
 * count, connection, the full screen's forms), and the help text made from the table.
 * Must not: talk to the server or the terminal itself: handlers do the work, ctx->fe shows it. */
#include "common/i18n.h"
#include "common/quark.h"
#include "core/cmd.h"
#include "core/commands.h"
#include <string.h>

COMMON_DEFINE_QUARK(core-cmd-error-quark, core_cmd_error)

static gboolean cmd_has_name(const CoreCmd *cmd, const char *name)
{
        if (g_str_equal(cmd->name, name))
                return TRUE;
        for (const char *const *alias = cmd->aliases; *alias; alias++) {
                if (g_str_equal(*alias, name))
                        return TRUE;
        }
        return FALSE;
}

const CoreCmd *core_cmd_lookup(const char *name, GError **error)
{
        gsize n = 0;
        const CoreCmd *commands = core_cmd_table(&n);
        for (gsize i = 0; i < n; i++) {
                if (cmd_has_name(&commands[i], name))
                        return &commands[i];
        }
        const CoreCmd *found = NULL;
        guint matches = 0;
        for (gsize i = 0; *name && i < n; i++) {
                if (g_str_has_prefix(commands[i].name, name)) {
                        found = &commands[i];
                        matches++;
                }
        }
        if (matches == 1)
                return found;
        g_autofree char *shown = g_strescape(name, NULL);
        if (matches > 1)
                g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_AMBIGUOUS,
                            _("Ambiguous command \"%s\": type more letters (see `help`)."), shown);
        else
                g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_UNKNOWN,
                            _("Unknown command \"%s\": type `help` for the list."), shown);
        return NULL;
}

static gboolean check_chars(const char *line, gsize len, GError **error)
{
        for (gsize i = 0; i < len; i++) {
                if (line[i] == '\r' || line[i] == '\n' || line[i] == '\0') {
                        g_set_error_literal(error, CORE_CMD_ERROR, CORE_CMD_ERROR_BAD_CHAR,
                                            _("The command holds a carriage return, line feed or NUL "
                                              "character; nothing was run."));
                        return FALSE;
                }
        }
        return TRUE;
}

typedef enum { QUOTE_NONE, QUOTE_SINGLE, QUOTE_DOUBLE } QuoteState;

static gboolean is_blank(char c)
{
        return c == ' ' || c == '\t';
}

static void set_syntax_error(GError **error, QuoteState quote)
{
        if (quote == QUOTE_NONE)
                g_set_error_literal(error, CORE_CMD_ERROR, CORE_CMD_ERROR_SYNTAX,
                                    _("A backslash ends the line: nothing follows it to escape."));
        else
                g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_SYNTAX,
                            _("A quote (%c) is not closed."), quote == QUOTE_SINGLE ? '\'' : '"');
}

char **core_cmd_split(const char *line, gssize len, GError **error)
{
        gsize n = len < 0 ? strlen(line) : (gsize)len;
        if (!check_chars(line, n, error))
                return NULL;

        g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func(g_free);
        GString *word = NULL;
        QuoteState quote = QUOTE_NONE;
        gboolean dangling = FALSE;
        for (gsize i = 0; i < n && !dangling; i++) {
                char c = line[i];
                if (quote == QUOTE_SINGLE) {
                        if (c == '\'')
                                quote = QUOTE_NONE;
                        else
                                g_string_append_c(word, c);
                        continue;
                }
                if (quote == QUOTE_DOUBLE) {
                        if (c == '"')
                                quote = QUOTE_NONE;
                        else if (c == '\\' && i + 1 < n && (line[i + 1] == '"' || line[i + 1] == '\\'))
                                g_string_append_c(word, line[++i]);
                        else
                                g_string_append_c(word, c);
                        continue;
                }
                if (is_blank(c)) {
                        if (word)
                                g_ptr_array_add(words, g_string_free(word, FALSE));
                        word = NULL;
                        continue;
                }
                if (!word)
                        word = g_string_new(NULL);
                if (c == '\'') {
                        quote = QUOTE_SINGLE;
                } else if (c == '"') {
                        quote = QUOTE_DOUBLE;
                } else if (c == '\\') {
                        if (i + 1 >= n)
                                dangling = TRUE;
                        else
                                g_string_append_c(word, line[++i]);
                } else {
                        g_string_append_c(word, c);
                }
        }
        if (quote != QUOTE_NONE || dangling) {
                if (word)
                        g_string_free(word, TRUE);
                set_syntax_error(error, quote);
                return NULL;
        }
        if (word)
                g_ptr_array_add(words, g_string_free(word, FALSE));
        g_ptr_array_add(words, NULL);
        return (char **)g_ptr_array_free(g_steal_pointer(&words), FALSE);
}

static void add_piece(GPtrArray *pieces, const char *start, gsize len)
{
        g_autofree char *piece = g_strndup(start, len);
        g_strstrip(piece);
        if (*piece)
                g_ptr_array_add(pieces, g_steal_pointer(&piece));
}

char **core_cmd_split_commands(const char *text, GError **error)
{
        g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func(g_free);
        QuoteState quote = QUOTE_NONE;
        const char *start = text;
        for (const char *p = text; *p; p++) {
                if (quote == QUOTE_SINGLE) {
                        if (*p == '\'')
                                quote = QUOTE_NONE;
                } else if (quote == QUOTE_DOUBLE) {
                        if (*p == '"')
                                quote = QUOTE_NONE;
                        else if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
                                p++;
                } else if (*p == '\'') {
                        quote = QUOTE_SINGLE;
                } else if (*p == '"') {
                        quote = QUOTE_DOUBLE;
                } else if (*p == '\\' && p[1] && p[1] != '\n') {
                        p++;
                } else if (*p == ';' || *p == '\n') {
                        add_piece(pieces, start, (gsize)(p - start));
                        start = p + 1;
                }
        }
        if (quote != QUOTE_NONE) {
                set_syntax_error(error, quote);
                return NULL;
        }
        add_piece(pieces, start, strlen(start));
        g_ptr_array_add(pieces, NULL);
        return (char **)g_ptr_array_free(g_steal_pointer(&pieces), FALSE);
}

gboolean core_cmd_parse_switch(const char *word, gboolean *value)
{
        static const char *const on[] = { "on", "yes", "true", "1" };
        static const char *const off[] = { "off", "no", "false", "0" };
        for (gsize i = 0; i < G_N_ELEMENTS(on); i++) {
                if (g_ascii_strcasecmp(word, on[i]) == 0) {
                        *value = TRUE;
                        return TRUE;
                }
                if (g_ascii_strcasecmp(word, off[i]) == 0) {
                        *value = FALSE;
                        return TRUE;
                }
        }
        return FALSE;
}

gboolean core_cmd_is_screen_form(const CoreCmd *cmd, int n_args)
{
        if (cmd->flags & (CORE_CMD_SCREEN_ONLY | CORE_CMD_SCREEN_OWN))
                return TRUE;
        if ((cmd->flags & CORE_CMD_SCREEN_SHORT) && n_args < cmd->min_args)
                return TRUE;
        return (cmd->flags & CORE_CMD_SCREEN_BARE) && n_args == 0;
}

gboolean core_cmd_check_args(const CoreCmd *cmd, int n_args, gboolean screen, GError **error)
{
        if (screen && n_args == 0 && (cmd->flags & CORE_CMD_SCREEN_BARE))
                return TRUE;
        if (screen && n_args < cmd->min_args && (cmd->flags & CORE_CMD_SCREEN_SHORT))
                return TRUE;
        if (n_args >= cmd->min_args && (cmd->max_args == CORE_CMD_UNLIMITED || n_args <= cmd->max_args))
                return TRUE;
        g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_USAGE, _("Usage: %s"), cmd->usage);
        return FALSE;
}

/* Shows and records the failure, and hands a copy to the caller. */
static gboolean fail(CoreContext *ctx, GError *failure, GError **error)
{
        core_fail(ctx, failure);
        g_propagate_error(error, failure);
        return FALSE;
}

gboolean core_cmd_run_argv(CoreContext *ctx, char **argv, GError **error)
{
        if (!argv || !argv[0])
                return TRUE;

        GError *failure = NULL;
        const CoreCmd *cmd = core_cmd_lookup(argv[0], &failure);
        if (!cmd)
                return fail(ctx, failure, error);
        int argc = (int)g_strv_length(argv);
        if (!cmd->handler) {
                failure = g_error_new(CORE_CMD_ERROR, CORE_CMD_ERROR_SCREEN_ONLY,
                                      _("`%s` works only in the full screen (clamftp without --line, "
                                        "-c or -b, on a terminal)."), cmd->name);
                return fail(ctx, failure, error);
        }
        if (!core_cmd_check_args(cmd, argc - 1, FALSE, &failure))
                return fail(ctx, failure, error);
        if ((cmd->flags & CORE_CMD_NEEDS_CONNECTION) && !ctx->connected) {
                failure = g_error_new_literal(CORE_CMD_ERROR, CORE_CMD_ERROR_NOT_CONNECTED,
                                              _("Not connected: use `open <host> [port]` first."));
                return fail(ctx, failure, error);
        }
        if ((cmd->flags & CORE_CMD_NEEDS_CONNECTION) && !core_connection_ensure(ctx, &failure))
                return fail(ctx, failure, error); /* dropped while idle, and not back */
        if (cmd->handler(ctx, argc, argv, &failure))
                return TRUE;
        if (failure)
                return fail(ctx, failure, error);
        g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_FAILED, _("%s did not complete."), cmd->name);
        return FALSE;
}

gboolean core_cmd_run_line(CoreContext *ctx, const char *line, gssize len, GError **error)
{
        GError *failure = NULL;
        g_auto(GStrv) argv = core_cmd_split(line, len, &failure);
        if (!argv)
                return fail(ctx, failure, error);
        if (line[strspn(line, " \t")] == '#')
                return TRUE; /* a comment, in a -b file */
        return core_cmd_run_argv(ctx, argv, error);
}

/* " (also: bye, exit)" after a command in the list, or "". transfer full */
static char *aliases_note(const CoreCmd *cmd)
{
        if (!cmd->aliases[0])
                return g_strdup("");
        g_autofree char *aliases = g_strjoinv(", ", (char **)cmd->aliases);
        return g_strdup_printf(_(" (also: %s)"), aliases);
}

static void list_commands(GString *out, gboolean screen_only)
{
        gsize n = 0;
        const CoreCmd *table = core_cmd_table(&n);
        for (gsize i = 0; i < n; i++) {
                if (((table[i].flags & CORE_CMD_SCREEN_ONLY) != 0) != screen_only)
                        continue;
                g_autofree char *also = aliases_note(&table[i]);
                g_string_append_printf(out, "\n  %-12s %s%s", table[i].name, _(table[i].summary), also);
        }
}

char *core_cmd_help_list(gboolean screen)
{
        GString *out = g_string_new(_("Commands (`help <command>` for details):"));
        list_commands(out, FALSE);
        if (!screen)
                g_string_append_printf(out, "\n%s", _("Commands of the full screen (clamftp on a terminal, "
                                                      "without --line, -c or -b):"));
        list_commands(out, TRUE);
        return g_string_free(out, FALSE);
}

char *core_cmd_help_text(const CoreCmd *cmd)
{
        GString *out = g_string_new(NULL);
        g_string_append_printf(out, _("Usage: %s\n"), cmd->usage);
        g_string_append_printf(out, "%s\n%s", _(cmd->summary), _(cmd->help));
        if (cmd->flags & CORE_CMD_SCREEN_ONLY)
                g_string_append_printf(out, "\n%s", _("Only in the full screen."));
        if (cmd->screen_help)
                g_string_append_printf(out, _("\nIn the full screen: %s"), _(cmd->screen_help));
        if (cmd->aliases[0]) {
                g_autofree char *aliases = g_strjoinv(", ", (char **)cmd->aliases);
                g_string_append_printf(out, _("\nAlso: %s"), aliases);
        }
        return g_string_free(out, FALSE);
}
