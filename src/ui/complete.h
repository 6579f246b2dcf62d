/* ui/complete.h — Tab on the command line: command names, then local paths or remote names as
 * the command's table entry says (core/cmd.h CORE_CMD_COMPLETES_*), and the few words TUI
 * actions take (sort name|size|time, on|off).
 * Owns: finding the word under the cursor (quotes, backslashes, `;`), the candidates, the
 * longest common prefix, escaping what is inserted. Must not: call curses or ask the server
 * (remote names come from the remote pane's listing). */
#pragma once
#include <glib.h>

typedef struct {
        const char *local_dir;     /* relative local names are looked up here */
        GPtrArray *remote_names;   /* char*: the server directory's names, directories ending in '/' */
} UiCompleteSources;

typedef struct {
        gsize start;               /* byte offset of the word being completed */
        GPtrArray *candidates;     /* char*: whole words, unescaped, sorted; directories end in '/' */
        char *insert;              /* what replaces line[start .. cursor], or NULL: nothing to add */
        gboolean unique;           /* one candidate: the word is finished */
} UiCompletion;
void ui_completion_free(UiCompletion *completion);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UiCompletion, ui_completion_free)

/* Completes the word before byte `cursor` of `line` (the text after ':'). transfer full */
UiCompletion *ui_complete(const char *line, gsize cursor, const UiCompleteSources *sources);
/* A word as the command line reads it back: blanks, quotes, backslash, ';' and '#' escaped.
 * transfer full */
char *ui_complete_escape(const char *word);
