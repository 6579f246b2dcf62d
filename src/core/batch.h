/* core/batch.h — one batch of transfers as jobs of the transfer queue: F5 copies and moves, the
 * typed put, get, mput and mget. expand (patterns, directories: batch-expand.c) → plan (what exists
 * at the destination, the conflict question: batch-remote.c, core/conflict.h) → scan and transfer
 * (uploads: core/queue-run.h; downloads: core/download.h) → tally and report (each directory job's outcome, the marks and focus the
 * front end shows: batch-run.c).
 * Must not: draw or know a front end; questions go through CoreFrontend, outcomes stay in the
 * batch for the front end to show. Runs on the command thread once made. */
#pragma once
#include <glib.h>
#include "core/context.h"
#include "core/conflict.h"
#include "core/queue-run.h"
#include "core/entry.h"

/* What a batch knows of one job when it was made. */
typedef struct {
        guint id;
        gboolean tree;       /* a directory (either side): expanded into one job per file */
        gint64 size;         /* the source's size (-1 unknown) */
        gint64 mtime;        /* the source's modification time (-1 unknown) */
        gboolean mtime_exact;/* to the second (a local file, MLSD): a download keeps it */
        guint parent;        /* the directory job this file was found in (0: none) */
        gboolean resume;     /* the user chose to resume this upload */
} CoreBatchJob;

/* A directory of a tree with no file below it, made at the destination once the tree's files
 * have run (mc copies empty directories too). */
typedef struct {
        guint parent;        /* the directory job it belongs to */
        char *path;          /* uploads: the remote path; downloads: the local path */
} CoreBatchDir;

/* Where a remote name exists already, for the conflict question. */
typedef struct {
        gint64 size;
        gint64 mtime;
        gboolean is_dir;
} CoreRemoteInfo;

/* An upload's outcome for the front end (the TUI marks refused files in the local pane). */
typedef struct {
        char *path;          /* the local file, absolute */
        CoreVerdict *verdict;/* the scanner's verdict that refused it; NULL: it went clean */
} CoreBatchMark;

typedef enum {
        CORE_BATCH_COPY,        /* F5 */
        CORE_BATCH_MOVE,        /* copy, then delete each source that was copied */
        CORE_BATCH_PUT,         /* one typed put (put's own naming); args: local [remote] */
        CORE_BATCH_GET,         /* one typed get; args: remote [local] */
        CORE_BATCH_MPUT,        /* typed mput: patterns expanded when it runs */
        CORE_BATCH_MGET,        /* typed mget: patterns matched against a fresh listing */
} CoreBatchKind;

typedef struct {
        CoreBatchKind kind;
        gboolean upload;
        CoreQueue *queue;
        GArray *jobs;          /* CoreBatchJob; for MPUT/MGET filled when the batch runs */
        GHashTable *remote;    /* remote path → CoreRemoteInfo*: what exists on the server */
        GHashTable *listed;    /* remote directories whose entries are in `remote` ("" : the current) */
        GHashTable *listings;  /* remote directory ("" : the current) → GPtrArray of CoreEntry: each
                                  directory listed once per batch (patterns, trees, conflicts) */
        char **args;           /* typed commands: their arguments (patterns for MPUT/MGET) */
        char *local_dir;       /* MGET: where to download (NULL: the current directory) */
        gboolean ask_each;     /* line mode's mput and mget: "Upload x?" ("Download x?") per job while
                                  `prompt` is on, before anything is scanned or fetched (y/n/a/q) */
        gboolean ask_conflicts;/* the conflict question where a destination exists (default); off in
                                  line mode, whose get and mget ask in core/download.c */
        gboolean ask_overwrite;/* with ask_conflicts off, line mode's put and mput: "x exists on the
                                  server. Overwrite it?" (y/n/a/q) while `prompt` is on, after
                                  ask_each's "Upload x?" and before anything is scanned */
        gboolean show_paths;   /* a typed put's job is named by the path as typed (line mode's
                                  messages), not by its base name (the queue view) */
        gboolean get_lists;    /* a typed get lists its directory first (default): a directory is
                                  fetched whole, the size goes into the conflict question; line
                                  mode's get fetches the one file, asking before it replaces one */
        GPtrArray *tree_dirs;  /* CoreBatchDir*: the empty directories of the trees */
        /* the report, filled by core_batch_run */
        guint failures;        /* remote names that made no job and should have: unsafe as a local
                                  name, nested too deeply, matching nothing, in a directory that
                                  could not be listed (each said; line mode's exit status) */
        guint left_out;        /* remote names left out by rule: symbolic links below a directory,
                                  special files (each said; not a failure) */
        GPtrArray *marks;      /* CoreBatchMark*: uploads that ended clean or refused */
        char *focus_local;     /* the local name a download brought (NULL: none) */
} CoreBatch;

CoreBatch *core_batch_new(CoreBatchKind kind, gboolean upload, CoreQueue *queue);
void core_batch_free(gpointer batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreBatch, core_batch_free)
/* Adds a job; returns it (valid until the next add). */
CoreBatchJob *core_batch_add(CoreBatch *batch, guint id, gboolean tree, gint64 size, gint64 mtime);
/* A typed put, get, mput or mget (argv[0]) with its arguments; its jobs are made when it runs.
 * mget's last argument is the local directory when there are two or more and it is one. */
CoreBatch *core_batch_new_typed(CoreQueue *queue, int argc, char **argv);
/* Records that `path` exists on the server (the remote pane's entries; a rename chose it). */
void core_batch_remote_taken(CoreBatch *batch, const char *path, gint64 size, gint64 mtime, gboolean is_dir);
/* Marks `dir` ("" : the current directory) as known: what is not recorded there does not exist. */
void core_batch_remote_listed(CoreBatch *batch, const char *dir);

/* batch-run.c, on the command thread: expands, plans, runs and tallies the whole batch. */
void core_batch_run(CoreContext *ctx, CoreBatch *batch);
/* batch-text.c: the same for line mode, on a queue nobody else shows: the bytes of each job go to
 * ctx->fe.progress. TRUE when every job not declined arrived and no remote name was a failure. */
gboolean core_batch_run_text(CoreContext *ctx, CoreBatch *batch);
/* batch-expand.c: fills a typed put, get, mput or mget batch with its jobs (command thread; F5
 * batches have theirs already). FALSE when there is nothing to do (already reported). */
gboolean core_batch_expand(CoreContext *ctx, CoreBatch *batch);
/* batch-expand.c: mget's patterns (batch->args) matched, in name order, against the entries of
 * the current directory (`entries`: the batch keeps a reference as its listing of "") or of the
 * pattern's own directory (listed once; wildcards only in the last part). A name unsafe as a
 * local file name makes no job (a failure); a symbolic link named is fetched as a file. */
gboolean core_batch_expand_listing(CoreContext *ctx, CoreBatch *batch, GPtrArray *entries);
/* batch-expand.c: replaces each directory job by one job per file found below it (local
 * directories walked without following symlinks; remote ones listed once each, depth 32,
 * symbolic links and special files left out with a warning, unsafe names and deeper trees
 * failures), on the command thread; the directory job becomes their group
 * (core_queue_begin_group), and the directories with no file below go to batch->tree_dirs. */
void core_batch_expand_trees(CoreContext *ctx, CoreBatch *batch);
/* batch-remote.c: the entries of the remote directory `dir` ("" : the current), listed once per
 * batch. Borrowed; NULL with error when the listing failed (asked again next time). */
GPtrArray *core_batch_remote_list(CoreContext *ctx, CoreBatch *batch, const char *dir, GError **error);
/* batch-remote.c: gives the batch the listing of `dir` (entries: CoreEntry*, transfer full). */
void core_batch_remote_set_listing(CoreBatch *batch, const char *dir, GPtrArray *entries);
/* batch-remote.c: what the server holds at `path` (relative to the current directory), from
 * the entries known or from the listing of its directory; NULL when nothing is there. */
const CoreRemoteInfo *core_batch_remote_info(CoreContext *ctx, CoreBatch *batch, const char *path);
/* batch-run.c, the plan: whether job `bj` is to run, after the conflict question when its
 * destination exists and the prompt is on (a rename retargets the job, a skip or a cancel
 * settles it; an upload to resume sets bj->resume, a download's answer goes to *replace), or
 * line mode's overwrite question for an upload (ask_overwrite; a no is said and skips it). */
gboolean core_batch_plan_upload(CoreContext *ctx, CoreBatch *batch, CoreBatchJob *bj, CoreConflictMemory *memory);
gboolean core_batch_plan_download(CoreContext *ctx, CoreBatch *batch, const CoreBatchJob *bj,
                                  CoreConflictMemory *memory, CoreQueueReplace *replace);
/* batch-run.c, the tally: each directory job ends with its files — done when every one arrived,
 * cancelled (saying how many had arrived) when it was cancelled or every other file was, else
 * failed with how many did not. */
void core_batch_finish_trees(CoreBatch *batch);
