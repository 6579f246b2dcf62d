/* core/mirror.h — `mirror -R`: a local tree kept in step on the server. The plan compares the two
 * trees (size, then modification time with the listing's precision), then every file to send
 * goes through the same snapshot → scan → upload → server check path as put (core/queue-run.h,
 * with temp-upload on), missing directories are made and, with --delete, what the local tree no
 * longer has is removed from the server.
 * Must not: print directly (ctx->fe), follow a symbolic link, or touch anything outside the two
 * directories it was given. Runs on the command thread. */
#pragma once
#include <glib.h>
#include "core/context.h"

typedef struct {
        gboolean reverse;       /* -R, --reverse: upload (the only direction so far) */
        gboolean dry_run;       /* print the plan, change nothing */
        gboolean delete_extra;  /* --delete: remove what the source no longer has */
        gboolean only_newer;    /* send a changed file only when the source is newer */
        gboolean ignore_time;   /* compare by size alone */
        guint parallel;         /* connections (0: ctx->parallel) */
        GPtrArray *include;     /* globs (char*): only what matches one, when any is given */
        GPtrArray *exclude;     /* globs (char*): never these (a directory: nothing below it) */
        char *source;           /* the local directory ("." when not given) */
        char *target;           /* the remote directory ("" : the current one) */
} CoreMirrorOptions;

void core_mirror_options_clear(CoreMirrorOptions *opts);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CoreMirrorOptions, core_mirror_options_clear)

/* `mirror [OPTION…] [SOURCE [TARGET]]` (argv[0] is the command's name); FALSE with a usage error. */
gboolean core_mirror_parse(int argc, char **argv, CoreMirrorOptions *opts, GError **error);
/* Plans and (unless a dry run) carries out the mirror; ends with one summary line. FALSE when
 * anything failed (each failure said and recorded); a refusal by the scanner is not a failure
 * here (core_refused counts it). */
gboolean core_mirror_run(CoreContext *ctx, const CoreMirrorOptions *opts, GError **error);
