/* core/resume.h — what an earlier run left in the queue's journal (core/journal.h): opened and
 * reported at start, described for the question, resumed after the user's yes (uploads
 * snapshotted and scanned again, going on after what the server holds or under their temporary
 * name; downloads going on from their .part; on the recorded server, logged in as `open` does)
 * or discarded, saying what was dropped.
 * Must not: resume anything without being asked to by the front end (which asked the user, or
 * was told with --resume-queue or `queue resume`); print or read the terminal (ctx->fe does). */
#pragma once
#include <glib.h>
#include "core/context.h"
#include "core/queue.h"

/* Opens ctx->journal in `dir` (NULL: $XDG_STATE_HOME/clamftp) and says what was wrong there: a
 * journal set aside because it did not parse, a torn last record dropped (verbose only), every
 * slot busy. FALSE when no journal is kept (said as a warning). */
gboolean core_resume_open_journal(CoreContext *ctx, const char *dir);

/* What an earlier run left: how many files, bytes and which servers. */
typedef struct {
        guint uploads;
        guint downloads;
        guint64 bytes;          /* of the jobs whose size was known */
        guint failed;           /* of them, those whose last run failed (kept to be run again) */
        char *servers;          /* "alice@ftp.example.org:21, …" (escaped) */
} CoreResumeSummary;
void core_resume_summary_clear(CoreResumeSummary *summary);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CoreResumeSummary, core_resume_summary_clear)
/* FALSE when nothing is left (or no journal is kept). */
gboolean core_resume_pending(CoreContext *ctx, CoreResumeSummary *summary);
/* TRUE when every job left is one whose last run failed (and was reported then): nothing was cut
 * short, so nothing is offered at start; `queue` lists them and `queue resume` runs them. */
gboolean core_resume_only_failed(const CoreResumeSummary *summary);
/* "3 uploads and 1 download (1.2 MB) to or from alice@host:21 were not finished when clamftp
 * stopped." transfer full */
char *core_resume_describe(const CoreResumeSummary *summary);
/* One line per job left, escaped: "upload /home/a/x.bin → /up/x.bin (12.0 kB)". char*, transfer full */
GPtrArray *core_resume_lines(CoreContext *ctx);
/* Shows the jobs left (line mode's `queue`). */
void core_resume_show(CoreContext *ctx);

/* Resumes every job left, server by server, as jobs of `queue` (NULL: a private one): connects
 * to the recorded server when not connected to it (a connection to another one is an error).
 * A job that cannot start now (no scanner, no connection) stays in the journal. TRUE when every
 * job arrived. */
gboolean core_resume_run(CoreContext *ctx, CoreQueue *queue, GError **error);
/* Drops every job left from the journal, saying how many and, for temporary copies that may be
 * left on a server, their names. */
void core_resume_discard(CoreContext *ctx);
