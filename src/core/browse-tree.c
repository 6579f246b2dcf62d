/* core/browse-tree.c — listings of any remote directory for transfers (what exists before an
 * upload; the directories a download batch walks), with NLST names when the server refuses LIST
 * and MLSD; and the directories of an uploaded tree that no file made.
 * Must not: print, prompt, call curses, or decide what a name becomes locally (the batch checks
 * every name before it makes a job of it). */
#include "core/browse-tree.h"
#include "common/i18n.h"
#include "core/entry-private.h"
#include "core/safename.h"
#include "core/transfer-private.h"
#include "core/worker.h"
#include <string.h>

typedef struct {
        const char *path;
        GPtrArray *entries; /* out */
} PathJob;

/* NLST names as entries of unknown type (fetched as files). Some servers answer NLST of "dir"
 * with "dir/name": that prefix is removed; any other '/' is left for the batch's safety check. */
static GPtrArray *nlst_entries(FtpSession *session, const char *dir, GError **error)
{
        g_autoptr(GPtrArray) names = ftp_session_nlst(session, dir, error);
        if (names == NULL)
                return NULL;
        g_autofree char *prefix = dir != NULL ? g_strconcat(dir, "/", NULL) : NULL;
        GPtrArray *entries = g_ptr_array_new_with_free_func((GDestroyNotify)core_entry_free);
        for (guint i = 0; i < names->len; i++) {
                const char *name = g_ptr_array_index(names, i);
                if (prefix != NULL && g_str_has_prefix(name, prefix) && name[strlen(prefix)] != '\0')
                        name += strlen(prefix);
                if (!strcmp(name, ".") || !strcmp(name, ".."))
                        continue;
                g_ptr_array_add(entries, core_entry_new(name, CORE_ENTRY_FILE, -1, -1));
        }
        return entries;
}

/* The parsed listing (MLSD or LIST); NLST names when the server refuses both. */
static gboolean list_path_job(FtpSession *session, gpointer data, GError **error)
{
        PathJob *job = data;
        GError *failure = NULL;
        g_autoptr(GPtrArray) listed = ftp_session_list(session, job->path, &failure);
        if (listed) {
                job->entries = core_entries_from_ftp(listed);
                return TRUE;
        }
        if (!g_error_matches(failure, FTP_ERROR, FTP_ERROR_REFUSED)) {
                g_propagate_error(error, failure);
                return FALSE;
        }
        g_error_free(failure);
        job->entries = nlst_entries(session, job->path, error);
        return job->entries != NULL;
}

GPtrArray *core_browse_list_path(CoreContext *ctx, const char *path, GError **error)
{
        PathJob job = { .path = path && *path ? path : NULL };
        if (!core_worker_run(ctx->worker, list_path_job, &job, error))
                return NULL;
        return job.entries;
}

typedef struct {
        GPtrArray *dirs;
        GHashTable *made;
} MakeDirs;

static gboolean make_dirs_job(FtpSession *session, gpointer data, GError **error)
{
        MakeDirs *job = data;
        for (guint i = 0; i < job->dirs->len; i++) {
                g_autofree char *below = g_strconcat(g_ptr_array_index(job->dirs, i), "/", NULL);
                if (!core_remote_make_parents(session, below, job->made, error))
                        return FALSE;
        }
        return TRUE;
}

gboolean core_browse_make_dirs(CoreContext *ctx, GPtrArray *dirs, GHashTable *known, GError **error)
{
        g_autoptr(GHashTable) own = known ? NULL : g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        MakeDirs job = { dirs, known ? known : own };
        return dirs->len == 0 || core_worker_run(ctx->worker, make_dirs_job, &job, error);
}
