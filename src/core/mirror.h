/* core/mirror.h — `mirror -R`: a local tree kept in step on the server; `mirror`: a remote tree
 * kept in step here. The plan compares the two trees (size, then modification time with the
 * listing's precision); every file to upload goes through the same snapshot → scan → upload →
 * server check path as put (core/queue-run.h, with temp-upload on), every file to download
 * through get's (core/download.h: .part files, the server's time kept); missing directories are
 * made and, with --delete, what the source no longer has is removed from the destination.
 * Must not: print directly (ctx->fe), follow a symbolic link, or touch anything outside the two
 * directories it was given. Runs on the command thread. */
#pragma once
#include <glib.h>
#include "core/context.h"
#include "core/queue.h"

typedef struct {
        gboolean reverse;       /* -R, --reverse: upload; else download */
        gboolean dry_run;       /* print the plan, change nothing */
        gboolean delete_extra;  /* --delete: remove what the source no longer has */
        gboolean only_newer;    /* send a changed file only when the source is newer */
        gboolean ignore_time;   /* compare by size alone */
        gboolean dereference;   /* --dereference: a link is what it points to (local: files and
                                 * directories, loops refused; remote: links to files) */
        guint parallel;         /* connections (0: ctx->parallel) */
        GPtrArray *include;     /* globs (char*): only what matches one, when any is given */
        GPtrArray *exclude;     /* globs (char*): never these (a directory: nothing below it) */
        gboolean json;          /* --json: the plan and the result as one JSON object, the last line */
        char *report;           /* --report FILE: the same object written to FILE */
        char *source;           /* as given: -R the local directory, else the remote one */
        char *target;           /* as given: -R the remote directory, else the local one */
        const char *local_dir;  /* source or target: the local one ("." when not given) */
        const char *remote_dir; /* the remote one ("" : the current directory) */
} CoreMirrorOptions;

void core_mirror_options_clear(CoreMirrorOptions *opts);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CoreMirrorOptions, core_mirror_options_clear)

/* `mirror [OPTION…] [SOURCE [TARGET]]` (argv[0] is the command's name); FALSE with a usage error. */
gboolean core_mirror_parse(int argc, char **argv, CoreMirrorOptions *opts, GError **error);
/* What a mirror would do, as data: made by core_mirror_plan, shown by core_mirror_describe (line
 * mode's --dry-run) or by a front end's own dialog (the full screen's :mirror), and done by
 * core_mirror_carry_out. Paths are relative to the two directories of `opts`. */
typedef struct {
        CoreContext *ctx;
        const CoreMirrorOptions *opts; /* borrowed: kept alive by the caller as long as the plan */
        gboolean listed;        /* both trees were read: the plan may be carried out */
        GPtrArray *send;        /* char*: files to copy (upload with -R, else download), in order */
        GPtrArray *make_dirs;   /* char*: directories to make at the destination */
        GPtrArray *remove;      /* char*: what --delete removes at the destination, deepest first */
        guint64 send_bytes;     /* the files to copy, added up */
        guint unchanged;        /* files alike on both sides */
        guint failed;           /* problems met (each one said); nothing is copied when any */
        GPtrArray *leftovers;   /* char*: -R, temporary copies (.NAME.clamftp-XXXXXX) an earlier
                                   run left beside a file mirrored here: deleted first */
        GArray *job_ids;        /* guint: the queue's jobs of the files sent (after carrying out) */
        /* private to core/mirror.c */
        GHashTable *local, *remote; /* rel path → what is known of it */
        GHashTable *src, *dst;      /* local and remote, or (downloads) remote and local */
        GArray *walking;            /* dev_t/ino_t pairs of the local directories being walked (loops) */
        guint mdtm_refused;         /* MDTM refusals: after a few, the listing's times stand */
        GHashTable *remote_dirs;    /* remote paths of the directories known to exist (listed or
                                     * made): the upload batch sends no MKD for them */
} CoreMirrorPlan;

/* Walks both trees and compares them; changes nothing. NULL with error when the source of -R is
 * not a local directory; a plan with `listed` FALSE when the server's tree could not be read (the
 * reason already said). transfer full */
CoreMirrorPlan *core_mirror_plan(CoreContext *ctx, const CoreMirrorOptions *opts, GError **error);
void core_mirror_plan_free(CoreMirrorPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreMirrorPlan, core_mirror_plan_free)
/* The plan in words, as --dry-run prints it: a line per directory, file and deletion, then the
 * totals ("would copy …; nothing was changed."). */
void core_mirror_describe(CoreContext *ctx, const CoreMirrorPlan *plan);
/* Carries the plan out: the destination's directories, the files as jobs of `queue` (NULL: a
 * private one; the full screen gives its own, so that the jobs show in its queue view), then
 * --delete when every file arrived; ends with the summary line and --json/--report. FALSE when
 * anything failed; a refusal by the scanner is not a failure here (core_refused counts it). */
gboolean core_mirror_carry_out(CoreContext *ctx, CoreMirrorPlan *plan, CoreQueue *queue);
/* Plans and (unless a dry run) carries out the mirror: line mode's `mirror`. */
gboolean core_mirror_run(CoreContext *ctx, const CoreMirrorOptions *opts, GError **error);
