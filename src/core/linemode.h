/* core/linemode.h — the `ftp>` front end: commands from a terminal, stdin, -c or -b.
 * Owns: the CoreFrontend of line mode (stdout/stderr, progress on a terminal, yes/no/all/quit
 * questions, no-echo password prompts), the command loop, the exit status.
 * Must not: know any command (it hands lines to core/cmd) or touch curses. */
#pragma once
#include <glib.h>
#include <stdio.h>
#include "core/context.h"
#include "core/options.h"

typedef struct CoreLineMode CoreLineMode;

/* in: where commands (and answers, when it is not a terminal) are read; out/err: where messages go.
 * Terminal behaviour (prompt, no echo, progress) follows isatty() of in and out. */
CoreLineMode *core_linemode_new(FILE *in, FILE *out, FILE *err);
void core_linemode_free(CoreLineMode *lm);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreLineMode, core_linemode_free)
const CoreFrontend *core_linemode_frontend(CoreLineMode *lm);

/* Runs `cmd; cmd` text (-c); stops after `quit`. */
void core_linemode_run_text(CoreLineMode *lm, CoreContext *ctx, const char *text);
/* Runs every line read from lm's input (the `ftp> ` prompt when it is a terminal) until EOF or
 * `quit`. */
void core_linemode_run_input(CoreLineMode *lm, CoreContext *ctx);
/* Runs the lines of a file (-b); a file that cannot be read is a failure. */
void core_linemode_run_file(CoreLineMode *lm, CoreContext *ctx, const char *path);

/* The whole of line mode for main(): context, options, URL, then -c, -b or the input.
 * Returns the exit status (CORE_EXIT_*). */
int core_linemode_main(const CoreOptions *opts);
