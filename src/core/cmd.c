/* core/cmd.c — the one command table, the line parser and the dispatcher.
 * Owns: what each command is called, how many arguments it takes, its help, and the checks made
 * before a handler runs (syntax, CR/LF/NUL, argument count, connection).
 * Must not: talk to the server or the terminal itself: handlers do the work, ctx->fe shows it. */
#include "common/i18n.h"
#include "core/cmd.h"
#include "core/commands.h"
#include <string.h>

G_DEFINE_QUARK(core-cmd-error-quark, core_cmd_error)

#define ANY CORE_CMD_UNLIMITED
#define NEEDS CORE_CMD_NEEDS_CONNECTION
#define REMOTE CORE_CMD_COMPLETES_REMOTE
#define LOCAL CORE_CMD_COMPLETES_LOCAL

/* Sorted by name: `help` lists it in this order. */
static const CoreCmd commands[] = {
        { "ascii", { NULL }, 0, 0, 0, "ascii",
          N_("Transfer files as text (TYPE A)."),
          N_("Text mode: uploads turn LF into CRLF and downloads turn CRLF into LF. Use it only for "
             "text; binary files are damaged by it. `binary` switches back."),
          core_cmd_ascii },
        { "binary", { "bin", NULL }, 0, 0, 0, "binary",
          N_("Transfer files byte for byte (TYPE I, the default)."),
          N_("Binary mode: files arrive exactly as they were sent. This is the default."),
          core_cmd_binary },
        { "cd", { "cwd", NULL }, 1, 1, NEEDS | REMOTE, "cd <remote-directory>",
          N_("Change the remote working directory."),
          N_("Changes the directory on the server; `cdup` goes to the parent, `pwd` shows where you are."),
          core_cmd_cd },
        { "cdup", { NULL }, 0, 0, NEEDS, "cdup",
          N_("Go to the parent of the remote directory."),
          N_("Changes the remote directory to its parent (CDUP)."),
          core_cmd_cdup },
        { "close", { "disconnect", NULL }, 0, 0, NEEDS, "close",
          N_("Close the connection and stay in clamftp."),
          N_("Says goodbye to the server (QUIT). Use `open` to connect again."),
          core_cmd_close },
        { "delete", { "rm", NULL }, 1, 1, NEEDS | REMOTE, "delete <remote-file>",
          N_("Delete a file on the server."),
          N_("Deletes one remote file (DELE). Directories are removed with `rmdir`."),
          core_cmd_delete },
        { "get", { "recv", NULL }, 1, 2, NEEDS | REMOTE, "get <remote-file> [local-directory | local-path]",
          N_("Download a file."),
          N_("Downloads into the current local directory, into an existing local directory, or to a new "
             "full path. The file is written as <name>.part and renamed when complete; an interrupted "
             "download resumes. While `prompt` is on, an existing file is not overwritten without a yes."),
          core_cmd_get },
        { "help", { "?", NULL }, 0, 1, CORE_CMD_COMPLETES_COMMAND, "help [command]",
          N_("List the commands, or explain one."),
          N_("Without an argument, lists every command with a line about it; `help <command>` shows "
             "its usage and details."),
          core_cmd_help },
        { "lcd", { NULL }, 0, 1, LOCAL, "lcd [local-directory]",
          N_("Change the local working directory."),
          N_("Changes the directory on this machine that uploads are read from and downloads are "
             "written to. Without an argument, goes to your home directory."),
          core_cmd_lcd },
        { "lls", { NULL }, 0, 1, LOCAL, "lls [local-path]",
          N_("List a local directory."),
          N_("Lists the local working directory, or the given directory or file, in the same form as `ls`."),
          core_cmd_lls },
        { "lpwd", { NULL }, 0, 0, 0, "lpwd",
          N_("Show the local working directory."),
          N_("Prints the directory on this machine that `put` reads from and `get` writes to."),
          core_cmd_lpwd },
        { "ls", { "dir", NULL }, 0, 1, NEEDS | REMOTE, "ls [remote-path]",
          N_("List a remote directory."),
          N_("Lists the remote working directory or the given path: type and permissions, size, date "
             "(UTC) and name. Control characters in names are shown escaped."),
          core_cmd_ls },
        { "mget", { NULL }, 1, ANY, NEEDS | REMOTE, "mget <name|pattern>... [local-directory]",
          N_("Download several files, patterns or directories."),
          N_("Downloads every name and every file matching a pattern (*, ?, [...]); directories are "
             "fetched recursively. With two or more arguments, a last argument that is an existing "
             "local directory is the destination. While `prompt` is on, asks before each file."),
          core_cmd_mget },
        { "mkdir", { NULL }, 1, 1, NEEDS | REMOTE, "mkdir <remote-directory>",
          N_("Create a directory on the server."),
          N_("Creates one remote directory (MKD)."),
          core_cmd_mkdir },
        { "mput", { NULL }, 1, ANY, NEEDS | LOCAL, "mput <file|pattern>...",
          N_("Scan and upload several files or patterns."),
          N_("Uploads every named file and every file matching a pattern: *.txt, or folder/**/*.py "
             "where ** spans directories. Each file is scanned first and uploaded only when the "
             "scanner says it is clean. While `prompt` is on, asks before each file "
             "(yes, no, all, quit)."),
          core_cmd_mput },
        { "open", { "connect", NULL }, 1, 2, 0, "open <host> [port] | open <URL>",
          N_("Connect to an FTP server."),
          N_("Connects to the host (port 21 unless given) and logs in: a matching ~/.netrc entry is "
             "used, otherwise you are asked for a username and password. A URL works too: "
             "ftp://user@host:port/dir, or ftps:// for implicit TLS."),
          core_cmd_open },
        { "parallel", { NULL }, 0, 1, 0, "parallel [N]",
          N_("Show or set how many connections a batch of transfers may use."),
          N_("mput, mget and the full-screen copy spread their files over up to N connections to the "
             "same server, each logged in like the first (1 turns it off). Every file is still "
             "scanned before it is sent. Without an argument, shows the current number."),
          core_cmd_parallel },
        { "passive", { "pasv", NULL }, 0, 1, CORE_CMD_TOGGLE, "passive [on|off]",
          N_("Toggle passive mode (the default) and active mode."),
          N_("Passive mode: clamftp connects to the server for each transfer (EPSV, then PASV). "
             "Active mode: the server connects back to clamftp (EPRT, then PORT)."),
          core_cmd_passive },
        { "prompt", { NULL }, 0, 1, CORE_CMD_TOGGLE, "prompt [on|off]",
          N_("Toggle asking per file in mput/mget and before overwriting."),
          N_("While on (the default), mput and mget ask before each file and get asks before "
             "overwriting a local file."),
          core_cmd_prompt },
        { "put", { "send", NULL }, 1, 2, NEEDS | LOCAL, "put <local-file> [remote-path]",
          N_("Scan a file and upload it if it is clean."),
          N_("Takes a private snapshot of the file, has the scanner check it, and uploads exactly that "
             "snapshot only when the verdict is OK. A relative path keeps its directories on the "
             "server; an explicit remote path is used as given. Missing remote directories are created."),
          core_cmd_put },
        { "pwd", { NULL }, 0, 0, NEEDS, "pwd",
          N_("Show the remote working directory."),
          N_("Asks the server where you are (PWD)."),
          core_cmd_pwd },
        { "quit", { "bye", "exit", NULL }, 0, 0, 0, "quit",
          N_("Close the connection and leave clamftp."),
          N_("Says goodbye to the server if connected and ends clamftp. `bye` and `exit` do the same."),
          core_cmd_quit },
        { "quote", { "literal", NULL }, 1, ANY, NEEDS, "quote <raw command>",
          N_("Send one raw command to the server."),
          N_("Sends the words as one FTP command and prints the reply. Commands that open a data "
             "connection do not work this way; use the commands above."),
          core_cmd_quote },
        { "rename", { "mv", NULL }, 2, 2, NEEDS | REMOTE, "rename <old-name> <new-name>",
          N_("Rename or move a file on the server."),
          N_("Renames a remote file or directory (RNFR, RNTO)."),
          core_cmd_rename },
        { "reput", { NULL }, 1, 2, NEEDS | LOCAL, "reput <local-file> [remote-path]",
          N_("Resume an interrupted upload."),
          N_("Like `put`, but when the server already holds the first part of the file, only the "
             "rest is sent (REST and STOR, or APPE). The whole file is scanned first, as always."),
          core_cmd_reput },
        { "rmdir", { NULL }, 1, 1, NEEDS | REMOTE, "rmdir <remote-directory>",
          N_("Remove an empty directory on the server."),
          N_("Removes one remote directory (RMD); the server refuses one that is not empty."),
          core_cmd_rmdir },
        { "scan", { NULL }, 1, ANY, LOCAL, "scan <file|pattern>...",
          N_("Scan local files without uploading them."),
          N_("Sends each file to the scanner and prints its verdict: OK, INFECTED with the signature "
             "name, or ERROR with the reason."),
          core_cmd_scan },
        { "size", { NULL }, 1, 1, NEEDS | REMOTE, "size <remote-file>",
          N_("Show the size of a remote file."),
          N_("Asks the server for the size of one file in bytes (SIZE)."),
          core_cmd_size },
        { "status", { NULL }, 0, 0, 0, "status",
          N_("Show the connection, the settings and the scanner."),
          N_("Shows the server and port, the user, the remote directory, the transfer type, passive "
             "or active mode, prompting, the connection's security, the scanner and its last answer, "
             "and the audit log."),
          core_cmd_status },
        { "user", { NULL }, 1, 2, NEEDS, "user <name> [password]",
          N_("Log in again as another user."),
          N_("Sends USER and PASS on the open connection; asks for the password when it is not given."),
          core_cmd_user },
        { "verbose", { NULL }, 0, 1, CORE_CMD_TOGGLE, "verbose [on|off]",
          N_("Toggle showing the conversation with the server."),
          N_("While on, every command sent and every reply received is shown (passwords masked)."),
          core_cmd_verbose },
};

const CoreCmd *core_cmd_table(gsize *n_commands)
{
        if (n_commands)
                *n_commands = G_N_ELEMENTS(commands);
        return commands;
}

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
        for (gsize i = 0; i < G_N_ELEMENTS(commands); i++) {
                if (cmd_has_name(&commands[i], name))
                        return &commands[i];
        }
        const CoreCmd *found = NULL;
        guint matches = 0;
        for (gsize i = 0; *name && i < G_N_ELEMENTS(commands); i++) {
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

static gboolean check_args(const CoreCmd *cmd, int n_args, GError **error)
{
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
        if (!check_args(cmd, argc - 1, &failure))
                return fail(ctx, failure, error);
        if ((cmd->flags & CORE_CMD_NEEDS_CONNECTION) && !ctx->connected) {
                failure = g_error_new_literal(CORE_CMD_ERROR, CORE_CMD_ERROR_NOT_CONNECTED,
                                              _("Not connected: use `open <host> [port]` first."));
                return fail(ctx, failure, error);
        }
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
