/* core/conflict.h — the question asked when a batch's destination exists, as mc and FileZilla ask
 * it: overwrite, resume (downloads), rename, skip, the same for all, or cancel the rest; and line
 * mode's put and mput's plain "Overwrite it?" (yes, no, all, quit).
 * Owns: the choices, the "all" answers within one batch, the suggested new name.
 * Must not: touch files or draw; it asks through the front end (CoreFrontend.choose: a dialog in
 * the TUI, a line on stdin in line mode) from the command thread. */
#pragma once
#include <glib.h>
#include "core/context.h"

typedef enum {
        CORE_CONFLICT_OVERWRITE,
        CORE_CONFLICT_RESUME,
        CORE_CONFLICT_RENAME,   /* *new_name holds the name chosen */
        CORE_CONFLICT_SKIP,
        CORE_CONFLICT_CANCEL,   /* skip this one and every later one of the batch */
} CoreConflictAction;

/* What one batch has answered "for all" so far. */
typedef struct {
        gboolean overwrite_all;
        gboolean resume_all;
        gboolean skip_all;
        gboolean cancelled;
        gboolean quit;          /* line mode's "q": the rest of the batch is skipped (declined,
                                   not cancelled: no failure) */
} CoreConflictMemory;

typedef struct {
        gboolean upload;        /* the destination is on the server */
        const char *name;       /* as shown */
        gint64 src_size;        /* -1 unknown */
        gint64 src_mtime;       /* unix time, -1 unknown */
        gint64 dst_size;
        gint64 dst_mtime;
        gboolean can_resume;    /* onto a smaller regular file, binary type */
        const char *suggestion; /* a free name to offer for a rename */
} CoreConflict;

/* Asks (unless an earlier "all" answer applies). Runs on the command thread. A front end with no
 * `choose` is asked yes/no whether to overwrite (all: overwrite all; quit: cancel the rest). */
CoreConflictAction core_conflict_ask(CoreContext *ctx, CoreConflictMemory *memory, const CoreConflict *conflict,
                                     char **new_name);
/* Line mode's put and mput, as get asks of a local file: "x exists on the server. Overwrite
 * it?" through CoreFrontend.ask. y: overwrite; n: skip; a: overwrite this one and every later
 * one; q: skip this one and set memory->quit. Returns CORE_CONFLICT_OVERWRITE or
 * CORE_CONFLICT_SKIP (without asking once a or q was answered). name: as shown. */
CoreConflictAction core_conflict_ask_overwrite(CoreContext *ctx, CoreConflictMemory *memory, const char *name);
/* The question's text, e.g. "report.pdf exists on the server (12.0 kB, 2024-05-01 12:00); this
 * one: 14.1 kB, 2024-05-02 09:30." transfer full */
char *core_conflict_question(const CoreConflict *conflict);
/* "name (1).ext", "name (2).ext" … : the first for which taken() says no. transfer full */
char *core_conflict_free_name(const char *name, gboolean (*taken)(const char *name, gpointer data),
                              gpointer data);
