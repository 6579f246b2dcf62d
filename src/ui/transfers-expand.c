/* ui/transfers-expand.c — the typed mput and mget as queue jobs, made when the command runs (in
 * the local and remote directories of that moment): local patterns expanded as line mode does,
 * remote patterns matched against a fresh listing, and line mode's per-file question while
 * `prompt` is on. A remote pattern in another directory stays one job run by the core's mget.
 * Must not: call curses or touch the panes; runs on the command thread. */
#include "ui/transfers.h"
#include "common/i18n.h"
#include "core/browse.h"
#include "core/glob.h"
#include "core/queue-run.h"
#include "core/safename.h"
#include "core/transfer.h"
#include <string.h>

/* Line mode's per-file question: yes, no, all (yes from now on), quit (no from now on). */
typedef struct {
        gboolean all;
        gboolean quit;
} Asker;

static gboolean confirm(CoreContext *ctx, Asker *asker, const char *format, const char *shown)
{
        if (asker->quit)
                return FALSE;
        if (asker->all || !ctx->prompt || !ctx->fe.ask)
                return TRUE;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral" /* one of this file's _() texts with one %s */
        g_autofree char *question = g_strdup_printf(format, shown);
#pragma GCC diagnostic pop
        switch (ctx->fe.ask(question, ctx->fe.data)) {
        case CORE_ANSWER_YES: return TRUE;
        case CORE_ANSWER_ALL: asker->all = TRUE; return TRUE;
        case CORE_ANSWER_QUIT: asker->quit = TRUE; return FALSE;
        default: return FALSE;
        }
}

/* ---- mput ---------------------------------------------------------------------------- */

static GPtrArray *expand_local(CoreContext *ctx, char **args)
{
        GPtrArray *paths = g_ptr_array_new_with_free_func(g_free);
        for (char **arg = args; *arg; arg++) {
                if (!core_glob_has_magic(*arg)) {
                        g_ptr_array_add(paths, g_strdup(*arg));
                        continue;
                }
                g_autoptr(GError) error = NULL;
                g_autoptr(GPtrArray) found = core_glob_expand_local(*arg, &error);
                if (!found) {
                        core_say(ctx, CORE_MSG_WARNING, "%s", error->message);
                        continue;
                }
                for (guint i = 0; i < found->len; i++)
                        g_ptr_array_add(paths, g_strdup(found->pdata[i]));
        }
        return paths;
}

static gboolean expand_mput(CoreContext *ctx, UiBatch *batch)
{
        g_autoptr(GPtrArray) paths = expand_local(ctx, batch->args);
        if (paths->len == 0) {
                g_autoptr(GError) error = g_error_new_literal(CORE_TRANSFER_ERROR, CORE_TRANSFER_ERROR_NO_MATCH,
                                                              _("No local file matches: nothing was uploaded."));
                core_fail(ctx, error);
                return FALSE;
        }
        Asker asker = { 0 };
        for (guint i = 0; i < paths->len; i++) {
                const char *path = paths->pdata[i];
                g_autofree char *shown = core_name_escape(path);
                g_autofree char *remote = core_transfer_remote_name_for(path);
                guint id = core_queue_add(batch->queue, CORE_JOB_UPLOAD, shown, path, remote);
                ui_batch_add(batch, id, FALSE, -1, -1);
                if (!confirm(ctx, &asker, _("Upload %s?"), shown))
                        core_queue_set_state(batch->queue, id, CORE_JOB_SKIPPED, NULL);
        }
        return TRUE;
}

/* ---- mget ---------------------------------------------------------------------------- */

static void add_remote(CoreContext *ctx, UiBatch *batch, Asker *asker, const FtpEntry *entry)
{
        gboolean tree = entry->type == FTP_ENTRY_DIR;
        g_autofree char *escaped = core_name_escape(entry->name);
        g_autofree char *shown = tree ? g_strconcat(escaped, "/", NULL) : g_strdup(escaped);
        g_autofree char *remote = tree ? ui_glob_escape(entry->name) : g_strdup(entry->name);
        guint id = core_queue_add(batch->queue, CORE_JOB_DOWNLOAD, shown, batch->local_dir, remote);
        ui_batch_add(batch, id, tree, entry->type == FTP_ENTRY_FILE ? entry->size : -1, entry->mtime);
        if (!confirm(ctx, asker, _("Download %s?"), shown))
                core_queue_set_state(batch->queue, id, CORE_JOB_SKIPPED, NULL);
}

/* A pattern elsewhere (or a listing that failed) is one job for the core's mget. */
static void add_pattern(UiBatch *batch, const char *pattern)
{
        g_autofree char *shown = core_name_escape(pattern);
        guint id = core_queue_add(batch->queue, CORE_JOB_DOWNLOAD, shown, batch->local_dir, pattern);
        ui_batch_add(batch, id, TRUE, -1, -1);
}

static int compare_names(gconstpointer a, gconstpointer b)
{
        return g_strcmp0((*(FtpEntry *const *)a)->name, (*(FtpEntry *const *)b)->name);
}

static void match_pattern(CoreContext *ctx, UiBatch *batch, Asker *asker, GPtrArray *entries,
                          const char *pattern)
{
        gboolean magic = core_glob_has_magic(pattern);
        g_autofree char *plain = magic ? NULL : core_glob_unescape(pattern);
        guint matched = 0;
        for (guint i = 0; i < entries->len; i++) {
                const FtpEntry *entry = g_ptr_array_index(entries, i);
                if (!entry->name || !strcmp(entry->name, ".") || !strcmp(entry->name, ".."))
                        continue;
                if (magic ? !core_glob_match(pattern, entry->name) : strcmp(entry->name, plain) != 0)
                        continue;
                add_remote(ctx, batch, asker, entry);
                matched++;
        }
        if (matched > 0)
                return;
        if (!magic) { /* not listed (some servers hide files): try it as a file */
                FtpEntry file = { .name = plain, .type = FTP_ENTRY_FILE, .size = -1, .mtime = -1 };
                add_remote(ctx, batch, asker, &file);
                return;
        }
        g_autofree char *shown = core_name_escape(pattern);
        g_autoptr(GError) error = g_error_new(CORE_TRANSFER_ERROR, CORE_TRANSFER_ERROR_NO_MATCH,
                                              _("No remote file matches %s."), shown);
        core_fail(ctx, error);
}

static gboolean expand_mget(CoreContext *ctx, UiBatch *batch)
{
        g_autoptr(GPtrArray) entries = NULL;
        g_autofree char *cwd = NULL;
        g_autoptr(GError) error = NULL;
        if (!core_browse_list(ctx, &entries, &cwd, &error)) {
                core_fail(ctx, error);
                return FALSE;
        }
        g_ptr_array_sort(entries, compare_names); /* the jobs in the order the pane shows */
        Asker asker = { 0 };
        for (char **arg = batch->args; *arg && !asker.quit; arg++) {
                if (strchr(*arg, '/'))
                        add_pattern(batch, *arg);
                else
                        match_pattern(ctx, batch, &asker, entries, *arg);
        }
        return batch->jobs->len > 0;
}

gboolean ui_batch_expand(CoreContext *ctx, UiBatch *batch)
{
        return batch->kind == UI_BATCH_MPUT ? expand_mput(ctx, batch) : expand_mget(ctx, batch);
}
