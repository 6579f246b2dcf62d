/* core/resume.c — the jobs an earlier run left in the journal (core/resume.h): reported,
 * described, resumed on their server through the same runs as any batch (core/queue-run.h for
 * uploads, scanned again; core/download.h for downloads, from their .part) with the journal
 * following them, or discarded.
 * Must not: start anything the front end was not told to start, or print directly. */
#include "core/resume.h"
#include "common/i18n.h"
#include "core/cmd.h"
#include "core/commands.h"
#include "core/download.h"
#include "core/journal.h"
#include "core/queue-journal.h"
#include "core/queue-run.h"
#include "core/safename.h"
#include "core/transfer-private.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define DISCARD_NAMES_SHOWN 10

gboolean core_resume_open_journal(CoreContext *ctx, const char *dir)
{
        g_autoptr(GError) error = NULL;
        CoreJournal *journal = core_journal_open(dir, &error);
        if (!journal) {
                core_say(ctx, CORE_MSG_WARNING, "%s", error->message);
                return FALSE;
        }
        ctx->journal = journal;
        const char *reason = NULL;
        const char *aside = core_journal_set_aside(journal, &reason);
        if (aside) {
                g_autofree char *shown = core_name_escape(aside);
                core_say(ctx, CORE_MSG_WARNING,
                         _("The queue journal does not parse (%s): it was set aside as %s, and nothing in it is "
                           "resumed."), reason, shown);
        }
        if (core_journal_dropped_torn(journal) && ctx->verbose)
                core_say(ctx, CORE_MSG_INFO, "%s",
                         _("The queue journal's last record was cut off when clamftp stopped: it was dropped."));
        return TRUE;
}

/* ---- what is left ---------------------------------------------------------------------- */

void core_resume_summary_clear(CoreResumeSummary *summary)
{
        g_free(summary->servers);
        memset(summary, 0, sizeof *summary);
}

static char *server_name(const CoreJournalServer *server) /* transfer full, escaped */
{
        g_autofree char *text = server->user ? g_strdup_printf("%s@%s:%u", server->user, server->host, server->port)
                                             : g_strdup_printf("%s:%u", server->host, server->port);
        return core_name_escape(text);
}

static GPtrArray *left(CoreContext *ctx) /* CoreJournalJob*, transfer full */
{
        return ctx->journal ? core_journal_inherited(ctx->journal)
                            : g_ptr_array_new_with_free_func((GDestroyNotify)core_journal_job_free);
}

gboolean core_resume_pending(CoreContext *ctx, CoreResumeSummary *summary)
{
        memset(summary, 0, sizeof *summary);
        g_autoptr(GPtrArray) jobs = left(ctx);
        g_autoptr(GString) servers = g_string_new(NULL);
        g_autoptr(GHashTable) seen = g_hash_table_new(g_direct_hash, g_direct_equal);
        for (guint i = 0; i < jobs->len; i++) {
                const CoreJournalJob *job = g_ptr_array_index(jobs, i);
                summary->uploads += job->upload;
                summary->downloads += !job->upload;
                summary->failed += job->failed != NULL;
                summary->bytes += job->size > 0 ? (guint64)job->size : 0;
                if (!g_hash_table_add(seen, GUINT_TO_POINTER(job->server + 1)))
                        continue;
                g_autofree CoreJournalServer *server = core_journal_server_get(ctx->journal, job->server);
                g_autofree char *name = server_name(server);
                g_string_append_printf(servers, "%s%s", servers->len ? ", " : "", name);
                core_journal_server_clear(server);
        }
        summary->servers = g_strdup(servers->str);
        return jobs->len > 0;
}

gboolean core_resume_only_failed(const CoreResumeSummary *summary)
{
        return summary->failed > 0 && summary->failed == summary->uploads + summary->downloads;
}

char *core_resume_describe(const CoreResumeSummary *summary)
{
        g_autofree char *bytes = g_format_size(summary->bytes);
        g_autofree char *ups = g_strdup_printf(ngettext("%u upload", "%u uploads", summary->uploads), summary->uploads);
        g_autofree char *downs = g_strdup_printf(ngettext("%u download", "%u downloads", summary->downloads),
                                                 summary->downloads);
        /* TRANSLATORS: "3 uploads and 1 download (1.2 MB) with alice@host:21 were not finished …" */
        g_autofree char *text = g_strdup_printf(_("%s and %s (%s) with %s were not finished when clamftp last "
                                                  "stopped."), ups, downs, bytes, summary->servers);
        if (summary->failed == 0)
                return g_steal_pointer(&text);
        /* TRANSLATORS: appended to the sentence above */
        g_autofree char *failed = g_strdup_printf(ngettext("%u of them failed and is kept to be run again.",
                                                           "%u of them failed and are kept to be run again.",
                                                           summary->failed), summary->failed);
        return g_strconcat(text, " ", failed, NULL);
}

GPtrArray *core_resume_lines(CoreContext *ctx)
{
        g_autoptr(GPtrArray) jobs = left(ctx);
        GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
        for (guint i = 0; i < jobs->len; i++) {
                const CoreJournalJob *job = g_ptr_array_index(jobs, i);
                g_autofree char *local = core_name_escape(job->local);
                g_autofree char *remote = core_name_escape(job->remote);
                g_autofree char *size = job->size >= 0 ? g_format_size((guint64)job->size) : g_strdup("?");
                g_autofree char *line = job->upload ? g_strdup_printf(_("upload %s → %s (%s)"), local, remote, size)
                                                    : g_strdup_printf(_("download %s → %s (%s)"), remote, local, size);
                if (!job->failed) {
                        g_ptr_array_add(lines, g_steal_pointer(&line));
                        continue;
                }
                g_autofree char *why = core_name_escape(job->failed);
                /* TRANSLATORS: "upload /a → /b (1 kB), failed: Uploading a to b failed: …" */
                g_ptr_array_add(lines, g_strdup_printf(_("%s, failed: %s"), line, why));
        }
        return lines;
}

static void say_busy(CoreContext *ctx)
{
        const GPtrArray *busy = ctx->journal ? core_journal_busy(ctx->journal) : NULL;
        for (guint i = 0; busy && i < busy->len; i++)
                core_say(ctx, CORE_MSG_INFO, _("Busy: %s belongs to another clamftp that is running."),
                         (const char *)g_ptr_array_index(busy, i));
}

void core_resume_show(CoreContext *ctx)
{
        g_auto(CoreResumeSummary) summary = { 0 };
        if (!core_resume_pending(ctx, &summary)) {
                core_say(ctx, CORE_MSG_OUTPUT, "%s", _("No transfer is left from an earlier run."));
                say_busy(ctx);
                return;
        }
        g_autofree char *text = core_resume_describe(&summary);
        g_autoptr(GString) out = g_string_new(text);
        g_autoptr(GPtrArray) lines = core_resume_lines(ctx);
        for (guint i = 0; i < lines->len; i++)
                g_string_append_printf(out, "\n  %s", (const char *)g_ptr_array_index(lines, i));
        g_string_append_printf(out, "\n%s", _("`queue resume` resumes them, `queue discard` drops them."));
        core_say(ctx, CORE_MSG_OUTPUT, "%s", out->str);
        say_busy(ctx);
}

/* ---- resuming -------------------------------------------------------------------------- */

static FtpTlsPolicy stricter(FtpTlsPolicy now, const char *then)
{
        FtpTlsPolicy recorded = g_strcmp0(then, "require") == 0 ? FTP_TLS_REQUIRE
                                : g_strcmp0(then, "off") == 0 ? FTP_TLS_OFF : FTP_TLS_AUTO;
        if (now == FTP_TLS_REQUIRE || recorded == FTP_TLS_REQUIRE)
                return FTP_TLS_REQUIRE;
        return now == FTP_TLS_OFF && recorded == FTP_TLS_OFF ? FTP_TLS_OFF : FTP_TLS_AUTO;
}

/* Logged in to the recorded server: the connection there already, or a new one as `open`
 * makes it (~/.netrc, else the password asked), under a TLS policy no weaker than either run's
 * and with the certificate pinned then accepted again (as a saved site's pin: not stored). */
static gboolean connect_to(CoreContext *ctx, const CoreJournalServer *server, GError **error)
{
        g_autofree char *name = server_name(server);
        if (ctx->connected) {
                if (g_strcmp0(ctx->host, server->host) == 0 && ctx->port == server->port &&
                    (!server->user || g_strcmp0(ctx->user, server->user) == 0))
                        return core_connection_ensure(ctx, error);
                g_autofree char *here = core_name_escape(ctx->host ? ctx->host : "?");
                g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_FAILED,
                            _("Connected to %s, but the transfers left are for %s: use `close` first."), here, name);
                return FALSE;
        }
        core_say(ctx, CORE_MSG_INFO, _("Resuming the transfers left for %s."), name);
        CoreConnectSpec spec = { .host = server->host, .port = server->port, .implicit_tls = server->implicit_tls,
                                 .tls_policy = stricter(ctx->tls_policy, server->tls), .user = server->user,
                                 .pinned = server->fingerprint };
        gboolean ok = core_connect_spec(ctx, &spec, error);
        g_free(spec.trusted_now);
        return ok;
}

/* The local file is still what the record describes (size and time): what the server holds of
 * it can be gone on from. */
static gboolean unchanged(const CoreJournalJob *job)
{
        struct stat st;
        return lstat(job->local, &st) == 0 && S_ISREG(st.st_mode) && job->size >= 0 && st.st_size == job->size &&
               (job->mtime < 0 || st.st_mtime == job->mtime);
}

static guint add_job(CoreContext *ctx, CoreQueue *queue, CoreQueueJournal *qj, const CoreJournalJob *job,
                     GArray *all_ids)
{
        g_autofree char *shown = core_name_escape(job->upload ? job->local : job->remote);
        guint id = core_queue_add(queue, job->upload ? CORE_JOB_UPLOAD : CORE_JOB_DOWNLOAD, shown, job->local,
                                  job->remote);
        if (job->upload) {
                gboolean go_on = job->started && unchanged(job);
                if (job->temp)
                        core_queue_set_temp(queue, id, job->temp);
                core_queue_set_go_on(queue, id, go_on);
        }
        core_journal_adopt(ctx->journal, job->id);
        core_queue_journal_track(qj, id, job->base, job->size, job->mtime, job->id);
        g_array_append_val(all_ids, id);
        return id;
}

/* A download that had started and whose file is in place without a .part was renamed there
 * just before the run stopped: done. A .part that holds the whole file (every byte had arrived,
 * the rename had not) is renamed into place: done too. Else a .part goes on (an existing file was
 * to be replaced), and a file there without one is asked about as any download. */
static gboolean download_landed(const CoreJournalJob *job, CoreQueueReplace *replace)
{
        g_autofree char *part = g_strconcat(job->local, ".part", NULL);
        struct stat st;
        *replace = CORE_QUEUE_REPLACE_ASK;
        if (lstat(part, &st) == 0 && S_ISREG(st.st_mode)) {
                *replace = CORE_QUEUE_REPLACE_OVERWRITE;
                return job->size > 0 && st.st_size == job->size && rename(part, job->local) == 0;
        }
        return job->started && lstat(job->local, &st) == 0 && S_ISREG(st.st_mode) &&
               (job->size < 0 || st.st_size == job->size);
}

static void resume_downloads(CoreContext *ctx, CoreQueue *queue, CoreQueueJournal *qj, GPtrArray *jobs,
                             GArray *all_ids)
{
        if (jobs->len == 0)
                return;
        guint64 bytes = 0;
        for (guint i = 0; i < jobs->len; i++) {
                gint64 size = ((const CoreJournalJob *)g_ptr_array_index(jobs, i))->size;
                bytes += size > 0 ? (guint64)size : 0;
        }
        g_autoptr(CoreDownload) dl = core_download_new(ctx, queue, jobs->len, bytes, 0);
        for (guint i = 0; i < jobs->len; i++) {
                const CoreJournalJob *job = g_ptr_array_index(jobs, i);
                guint id = add_job(ctx, queue, qj, job, all_ids);
                CoreQueueReplace replace;
                if (download_landed(job, &replace)) {
                        g_autofree char *shown = core_name_escape(job->local);
                        core_say(ctx, CORE_MSG_INFO, _("%s had arrived whole before clamftp stopped: nothing fetched."),
                                 shown);
                        core_queue_set_state(queue, id, CORE_JOB_DONE, _("had arrived before"));
                        continue;
                }
                core_download_start(dl, id, job->base, job->size, -1, replace);
        }
}

static guint count_done(CoreQueue *queue, GArray *ids)
{
        guint done = 0;
        for (guint i = 0; i < ids->len; i++) {
                g_autoptr(CoreJob) job = core_queue_get(queue, g_array_index(ids, guint, i));
                done += job && job->state == CORE_JOB_DONE;
        }
        return done;
}

/* The jobs of server `index`, uploads first. */
static gboolean resume_server(CoreContext *ctx, CoreQueue *queue, GPtrArray *jobs, guint index, GArray *all_ids,
                              GError **error)
{
        g_autofree CoreJournalServer *server = core_journal_server_get(ctx->journal, index);
        g_autoptr(GPtrArray) ups = g_ptr_array_new();
        g_autoptr(GPtrArray) downs = g_ptr_array_new();
        for (guint i = 0; i < jobs->len; i++) {
                CoreJournalJob *job = g_ptr_array_index(jobs, i);
                if (job->server == index)
                        g_ptr_array_add(job->upload ? ups : downs, job);
        }
        gboolean ok = connect_to(ctx, server, error) && (ups->len == 0 || core_transfer_check_scanner(ctx, error));
        core_journal_server_clear(server);
        if (!ok)
                return FALSE; /* the jobs stay in the journal */
        g_autoptr(CoreQueueJournal) qj = core_queue_journal_attach(ctx, queue, "/");
        g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(guint));
        for (guint i = 0; i < ups->len; i++) {
                guint id = add_job(ctx, queue, qj, g_ptr_array_index(ups, i), all_ids);
                g_array_append_val(ids, id);
        }
        if (ids->len > 0)
                core_queue_run_uploads(ctx, queue, ids);
        resume_downloads(ctx, queue, qj, downs, all_ids);
        return TRUE;
}

gboolean core_resume_run(CoreContext *ctx, CoreQueue *queue, GError **error)
{
        g_autoptr(GPtrArray) jobs = left(ctx);
        if (jobs->len == 0) {
                core_say(ctx, CORE_MSG_INFO, "%s", _("No transfer is left from an earlier run."));
                say_busy(ctx);
                return TRUE;
        }
        g_autoptr(CoreQueue) own = queue ? NULL : core_queue_new();
        CoreQueue *run_on = queue ? queue : own;
        g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(guint));
        g_autoptr(GHashTable) done_servers = g_hash_table_new(g_direct_hash, g_direct_equal);
        for (guint i = 0; i < jobs->len; i++) {
                guint index = ((CoreJournalJob *)g_ptr_array_index(jobs, i))->server;
                if (g_hash_table_add(done_servers, GUINT_TO_POINTER(index + 1)) &&
                    !resume_server(ctx, run_on, jobs, index, ids, error))
                        return FALSE;
        }
        guint done = count_done(run_on, ids);
        core_say(ctx, CORE_MSG_INFO, _("Resumed: %u of %u transfers done."), done, jobs->len);
        return done == jobs->len;
}

void core_resume_discard(CoreContext *ctx)
{
        g_auto(CoreResumeSummary) summary = { 0 };
        if (!core_resume_pending(ctx, &summary)) {
                core_say(ctx, CORE_MSG_INFO, "%s", _("No transfer is left from an earlier run."));
                return;
        }
        g_autoptr(GPtrArray) jobs = left(ctx);
        g_autoptr(GString) names = g_string_new(NULL);
        for (guint i = 0; i < jobs->len; i++) {
                const CoreJournalJob *job = g_ptr_array_index(jobs, i);
                if (job->temp) {
                        g_autofree char *temp = core_name_escape(job->temp);
                        core_say(ctx, CORE_MSG_WARNING, _("A temporary copy may be left on the server: %s (delete it "
                                                          "once connected)."), temp);
                }
                if (i < DISCARD_NAMES_SHOWN) {
                        g_autofree char *name = core_name_escape(job->upload ? job->local : job->remote);
                        g_string_append_printf(names, "%s%s", i ? ", " : "", name);
                }
                core_journal_end(ctx->journal, job->id);
        }
        core_journal_sync(ctx->journal);
        if (jobs->len > DISCARD_NAMES_SHOWN)
                g_string_append_printf(names, _(" and %u more"), jobs->len - DISCARD_NAMES_SHOWN);
        g_autofree char *ups = g_strdup_printf(ngettext("%u upload", "%u uploads", summary.uploads), summary.uploads);
        g_autofree char *downs = g_strdup_printf(ngettext("%u download", "%u downloads", summary.downloads),
                                                 summary.downloads);
        g_autofree char *bytes = g_format_size(summary.bytes);
        core_say(ctx, CORE_MSG_INFO, _("Discarded %s and %s (%s) with %s, not resumed: %s."), ups, downs, bytes,
                 summary.servers, names->str);
}
