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
        gboolean tree;       /* a directory (either side): expanded into one job per file */
        gboolean pattern;    /* a remote pattern in another directory: fetched by the core's mget */
        gint64 size;         /* the source's size (-1 unknown) */
        gint64 mtime;        /* the source's modification time (-1 unknown) */
        guint parent;        /* the directory job this file was found in (0: none) */
        gboolean resume;     /* the user chose to resume this upload */
} UiBatchJob;

/* A directory of a tree with no file below it, made at the destination once the tree's files
 * have run (mc copies empty directories too). */
typedef struct {
        guint parent;        /* the directory job it belongs to */
        char *path;          /* uploads: the remote path; downloads: the local path */
} UiTreeDir;

/* Where a remote name exists already, for the conflict question. */
typedef struct {
        gint64 size;
        gint64 mtime;
        gboolean is_dir;
} UiRemoteInfo;

typedef enum {
        UI_BATCH_COPY,        /* F5 */
        UI_BATCH_MOVE,        /* copy, then delete each source that was copied */
        UI_BATCH_PUT,         /* one typed put (put's own naming); args: local [remote] */
        UI_BATCH_GET,         /* one typed get; args: remote [local] */
        UI_BATCH_MPUT,        /* typed mput: patterns expanded when it runs */
        UI_BATCH_MGET,        /* typed mget: patterns matched against a fresh listing */
} UiBatchKind;

typedef struct {
        UiBatchKind kind;
        gboolean upload;
        CoreQueue *queue;
        UiBridge *bridge;
        GArray *jobs;          /* UiBatchJob; for MPUT/MGET filled when the batch runs */
        GHashTable *remote;    /* remote path → UiRemoteInfo*: what exists on the server */
        GHashTable *listed;    /* remote directories whose entries are in `remote` ("" : the current) */
        char **args;           /* typed commands: their arguments (patterns for MPUT/MGET) */
        char *local_dir;       /* MGET: where to download (NULL: the current directory) */
        GPtrArray *tree_dirs;  /* UiTreeDir*: the empty directories of the trees */
} UiBatch;

UiBatch *ui_batch_new(UiBatchKind kind, gboolean upload, CoreQueue *queue, UiBridge *bridge);
void ui_batch_free(gpointer batch);
/* Adds a job; returns it (valid until the next add). */
UiBatchJob *ui_batch_add(UiBatch *batch, guint id, gboolean tree, gint64 size, gint64 mtime);

/* transfers-run.c: a UiJobFunc for ui_commander_run_func (data: the UiBatch). */
void ui_batch_run(CoreContext *ctx, gpointer data, UiJobResult *result);
/* transfers-expand.c: fills a typed put, get, mput or mget batch with its jobs (command
 * thread; F5 batches have theirs already). FALSE when there is nothing to do (already reported). */
gboolean ui_batch_expand(CoreContext *ctx, UiBatch *batch);
/* transfers-expand.c: replaces each directory job by one job per file found below it (local
 * directories walked without following symlinks, remote ones listed), on the command thread;
 * the directory job becomes their group (core_queue_begin_group), and the directories with no
 * file below go to batch->tree_dirs. */
void ui_batch_expand_trees(CoreContext *ctx, UiBatch *batch);
/* transfers-remote.c: what the server holds at `path` (relative to the current directory), from
 * the entries known or from one listing of its directory; NULL when nothing is there. */
const UiRemoteInfo *ui_batch_remote_info(CoreContext *ctx, UiBatch *batch, const char *path);
/* Records that `path` now exists on the server (a rename chose it). */
void ui_batch_remote_taken(UiBatch *batch, const char *path, gint64 size, gint64 mtime);
/* transfers-refresh.c, on the UI thread after it took events: while uploads finish, the remote
 * pane gets a fresh listing (queued on the worker between two files) at most every
 * UI_TRANSFERS_RELIST_MS; the batch's own listing at its end follows as before. */
#define UI_TRANSFERS_RELIST_MS 500
struct UiApp;
void ui_transfers_tick(struct UiApp *app);

/* A remote name as an mget pattern that matches only itself. transfer full */
char *ui_glob_escape(const char *name);
