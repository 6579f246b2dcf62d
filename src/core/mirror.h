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
/* Plans and (unless a dry run) carries out the mirror; ends with one summary line. FALSE when
 * anything failed (each failure said and recorded); a refusal by the scanner is not a failure
 * here (core_refused counts it). */
gboolean core_mirror_run(CoreContext *ctx, const CoreMirrorOptions *opts, GError **error);
