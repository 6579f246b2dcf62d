/* core/cmd.h — the command language shared by line mode and the TUI: one table of commands
 * (cmd-table.c), the parser that turns a typed line into words, and the dispatcher.
 * Owns: word splitting (quotes, backslash escapes), `;` splitting, refusing CR/LF/NUL, lookup by
 * name, alias or unique prefix, argument-count checks, the "open first" rule.
 * Must not: print or read the terminal (everything goes through ctx->fe), or hold global state. */
#pragma once
#include <glib.h>
#include "core/context.h"

#define CORE_CMD_ERROR (core_cmd_error_quark())
GQuark core_cmd_error_quark(void);
typedef enum {
        CORE_CMD_ERROR_SYNTAX,        /* an unterminated quote, a trailing backslash */
        CORE_CMD_ERROR_BAD_CHAR,      /* CR, LF or NUL in what was typed: nothing was run */
        CORE_CMD_ERROR_UNKNOWN,       /* no such command */
        CORE_CMD_ERROR_AMBIGUOUS,     /* a prefix of more than one command */
        CORE_CMD_ERROR_USAGE,         /* wrong number or form of arguments */
        CORE_CMD_ERROR_NOT_CONNECTED, /* a remote command before `open` */
        CORE_CMD_ERROR_FAILED,        /* the command ran and failed (message says why) */
        CORE_CMD_ERROR_SCREEN_ONLY,   /* a command of the full screen, typed in line mode */
} CoreCmdErrorCode;

typedef enum {
        CORE_CMD_NEEDS_CONNECTION = 1 << 0, /* refused before `open` */
        CORE_CMD_COMPLETES_REMOTE = 1 << 1, /* arguments are remote names (for completion) */
        CORE_CMD_COMPLETES_LOCAL = 1 << 2,  /* arguments are local names */
        CORE_CMD_COMPLETES_COMMAND = 1 << 3,/* arguments are command names (`help`) */
        CORE_CMD_TOGGLE = 1 << 4,           /* a setting: no argument toggles, `on`/`off` sets */
        /* Which forms the full screen runs with its own handler (ui/actions.c) on the UI thread
         * instead of the core handler on the command thread: */
        CORE_CMD_SCREEN_ONLY = 1 << 5,      /* every form; there is no core handler, and line
                                               mode says the command needs the full screen */
        CORE_CMD_SCREEN_BARE = 1 << 6,      /* the form without arguments: it acts on the active
                                               pane (F8 `delete`); min_args is line mode's */
        CORE_CMD_SCREEN_OWN = 1 << 7,       /* every form (put, get: jobs of the queue) */
        CORE_CMD_SCREEN_SHORT = 1 << 8,     /* the forms with fewer arguments than min_args: they
                                               act on the active pane (`chmod 755`: the
                                               selection; `chmod`: a dialog) */
} CoreCmdFlags;

/* A handler gets argv[0] = the command's name and argc - 1 checked arguments.
 * Returns FALSE with error set on failure (the dispatcher shows it and records it for the exit
 * status); FALSE without an error means the handler has already reported (e.g. a refused file). */
typedef gboolean (*CoreCmdHandler)(CoreContext *ctx, int argc, char **argv, GError **error);

#define CORE_CMD_MAX_ALIASES 3
#define CORE_CMD_UNLIMITED (-1)

typedef struct {
        const char *name;
        const char *aliases[CORE_CMD_MAX_ALIASES + 1]; /* NULL-terminated */
        int min_args;           /* arguments after the name */
        int max_args;           /* CORE_CMD_UNLIMITED: no bound */
        CoreCmdFlags flags;
        const char *usage;      /* "put <file> [remote]" — command syntax, not translated */
        const char *summary;    /* one line, N_() (translate when shown) */
        const char *help;       /* details, N_() (translate when shown) */
        const char *screen_help;/* what the full screen's own form does (SCREEN_BARE/OWN/SHORT), N_() */
        CoreCmdHandler handler; /* NULL for CORE_CMD_SCREEN_ONLY */
} CoreCmd;

/* The whole table, sorted by name. */
const CoreCmd *core_cmd_table(gsize *n_commands);
/* By exact name or alias, else by a unique prefix of a name. NULL with error otherwise. */
const CoreCmd *core_cmd_lookup(const char *name, GError **error);
/* TRUE when the full screen runs this form (n_args arguments) with its own handler. */
gboolean core_cmd_is_screen_form(const CoreCmd *cmd, int n_args);
/* Checks the argument count of a form; `screen`: as the full screen takes it (a SCREEN_BARE
 * command may have none). FALSE with CORE_CMD_ERROR_USAGE ("Usage: …") otherwise. */
gboolean core_cmd_check_args(const CoreCmd *cmd, int n_args, gboolean screen, GError **error);
/* The list of commands, as `help` prints it: a heading, then a line per command with its
 * aliases; the commands of the full screen follow under a heading of their own unless
 * `screen` (then they are listed with the others). transfer full */
char *core_cmd_help_list(gboolean screen);
/* One command, as `help NAME` prints it: usage, summary, details, the full screen's form, the
 * aliases. transfer full */
char *core_cmd_help_text(const CoreCmd *cmd);

/* Splits one command line into words: blanks separate; '...' is literal; "..." allows \" and \\;
 * a backslash outside quotes takes the next character literally. len -1: NUL-terminated.
 * CR, LF or NUL anywhere is refused. An empty or blank line gives an empty vector. */
char **core_cmd_split(const char *line, gssize len, GError **error); /* transfer full */
/* Splits `cmd; cmd` (also newlines) on separators outside quotes and escapes; each piece keeps
 * its quoting for core_cmd_split. Blank pieces are dropped. */
char **core_cmd_split_commands(const char *text, GError **error); /* transfer full */

/* Checks the argument count and the connection, then runs the handler. On failure the error
 * has already been shown and recorded (core_fail); `error` receives a copy for the caller. */
gboolean core_cmd_run_argv(CoreContext *ctx, char **argv, GError **error);
/* Parses and runs one line (a blank line or a `#` comment does nothing). */
gboolean core_cmd_run_line(CoreContext *ctx, const char *line, gssize len, GError **error);

/* Parses "on"/"off" (also yes/no, true/false, 1/0) for toggles. */
gboolean core_cmd_parse_switch(const char *word, gboolean *value);
