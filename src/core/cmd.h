/* core/cmd.h — the command language shared by line mode and the TUI: one table of commands,
 * the parser that turns a typed line into words, and the dispatcher.
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
} CoreCmdErrorCode;

typedef enum {
        CORE_CMD_NEEDS_CONNECTION = 1 << 0, /* refused before `open` */
        CORE_CMD_COMPLETES_REMOTE = 1 << 1, /* arguments are remote names (for completion) */
        CORE_CMD_COMPLETES_LOCAL = 1 << 2,  /* arguments are local names */
        CORE_CMD_COMPLETES_COMMAND = 1 << 3,/* arguments are command names (`help`) */
        CORE_CMD_TOGGLE = 1 << 4,           /* a setting: no argument toggles, `on`/`off` sets */
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
        CoreCmdHandler handler;
} CoreCmd;

/* The whole table, sorted by name. */
const CoreCmd *core_cmd_table(gsize *n_commands);
/* By exact name or alias, else by a unique prefix of a name. NULL with error otherwise. */
const CoreCmd *core_cmd_lookup(const char *name, GError **error);

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
