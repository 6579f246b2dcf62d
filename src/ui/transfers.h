/* ui/transfers.h — private to src/ui: copies and moves between the panes and the typed transfer
 * commands (put, mput, get, mget) as jobs of the transfer queue. transfers.c builds batches on
 * the UI thread; transfers-run.c settles conflicts and runs them on the command thread.
 * Must not: call curses, or touch the panes from the command thread (UiJobResult carries back
 * what the panes need). */
#pragma once
#include <glib.h>
#include "core/queue.h"
#include "ui/bridge.h"
#include "ui/commander.h"

/* What a batch knows of one job from the panes when it was made. */
typedef struct {
        guint id;
        gboolean tree;       /* a remote directory or pattern: fetched with mget */
        gint64 size;         /* the source's size (-1 unknown) */
        gint64 mtime;        /* the source's modification time (-1 unknown) */
} UiBatchJob;

/* Where a remote name exists already, for the conflict question. */
typedef struct {
        gint64 size;
        gint64 mtime;
        gboolean is_dir;
} UiRemoteInfo;

typedef enum {
        UI_BATCH_COPY,        /* F5 */
        UI_BATCH_MOVE,        /* copy, then delete each source that was copied */
        UI_BATCH_PUT,         /* one typed put (core_transfer_put's own naming) */
        UI_BATCH_GET,         /* one typed get (the core asks before replacing) */
        UI_BATCH_MPUT,        /* typed mput: patterns expanded when it runs */
        UI_BATCH_MGET,        /* typed mget: patterns matched against a fresh listing */
} UiBatchKind;

typedef struct {
        UiBatchKind kind;
        gboolean upload;
        CoreQueue *queue;
        UiBridge *bridge;
        GArray *jobs;          /* UiBatchJob; for MPUT/MGET filled when the batch runs */
        GHashTable *remote;    /* name → UiRemoteInfo*: the remote pane's entries (F5 up) */
        char **args;           /* MPUT/MGET: the typed patterns */
        char *local_dir;       /* MGET: where to download (NULL: the current directory) */
} UiBatch;

UiBatch *ui_batch_new(UiBatchKind kind, gboolean upload, CoreQueue *queue, UiBridge *bridge);
void ui_batch_free(gpointer batch);
void ui_batch_add(UiBatch *batch, guint id, gboolean tree, gint64 size, gint64 mtime);

/* transfers-run.c: a UiJobFunc for ui_commander_run_func (data: the UiBatch). */
void ui_batch_run(CoreContext *ctx, gpointer data, UiJobResult *result);
/* transfers-expand.c: fills a typed mput or mget batch with its jobs (command thread). FALSE
 * when there is nothing to do (already reported). */
gboolean ui_batch_expand(CoreContext *ctx, UiBatch *batch);
/* A remote name as an mget pattern that matches only itself. transfer full */
char *ui_glob_escape(const char *name);
