/* ui/conflict.h — the question asked when a copy's destination exists, as mc and FileZilla ask
 * it: overwrite, resume (downloads), rename, skip, the same for all, or cancel the rest.
 * Owns: the choices, the "all" answers within one batch, the suggested new name.
 * Must not: call curses (it asks through the bridge, from the command thread) or touch files. */
#pragma once
#include <glib.h>
#include "ui/bridge.h"

typedef enum {
        UI_CONFLICT_OVERWRITE,
        UI_CONFLICT_RESUME,
        UI_CONFLICT_RENAME,   /* *new_name holds the name chosen */
        UI_CONFLICT_SKIP,
        UI_CONFLICT_CANCEL,   /* skip this one and every later one of the batch */
} UiConflictAction;

/* What one batch has answered "for all" so far. */
typedef struct {
        gboolean overwrite_all;
        gboolean resume_all;
        gboolean skip_all;
        gboolean cancelled;
} UiConflictMemory;

typedef struct {
        gboolean upload;        /* the destination is on the server */
        const char *name;       /* as shown */
        gint64 src_size;        /* -1 unknown */
        gint64 src_mtime;       /* unix time, -1 unknown */
        gint64 dst_size;
        gint64 dst_mtime;
        gboolean can_resume;    /* a download onto a smaller regular file, binary type */
        const char *suggestion; /* a free name to offer for a rename */
} UiConflict;

/* Asks (unless an earlier "all" answer applies). Runs on the command thread. */
UiConflictAction ui_conflict_ask(UiBridge *bridge, UiConflictMemory *memory, const UiConflict *conflict,
                                 char **new_name);
/* The question's text, e.g. "report.pdf exists on the server (12.0 kB, 2024-05-01 12:00); this
 * one: 14.1 kB, 2024-05-02 09:30." transfer full */
char *ui_conflict_question(const UiConflict *conflict);
/* "name (1).ext", "name (2).ext" … : the first for which taken() says no. transfer full */
char *ui_conflict_free_name(const char *name, gboolean (*taken)(const char *name, gpointer data),
                            gpointer data);
