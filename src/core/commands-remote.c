/* core/commands-remote.c — commands about files on the server: ls, cd, cdup, pwd, mkdir, rmdir,
 * delete, rename, size, and the transfers (put, mput and get run as batches, core/batch.h; mget
 * and reput handed to core/transfer).
 * Must not: touch the FtpSession outside a worker job, or print directly (ctx->fe does). */
#include "common/i18n.h"
#include "core/mirror.h"
#include "core/batch.h"
#include "core/cmd.h"
#include "core/commands.h"
#include "core/files.h"
#include "core/resume.h"
#include "core/safename.h"
#include "core/transfer.h"
#include "core/transfer-private.h"
#include "core/worker.h"
#include <inttypes.h>
#include <string.h>

/* What a job needs and what it brings back. Lives on the caller's stack: core_worker_run blocks. */
typedef struct {
        const char *path;
        const char *path2;
        char *text;       /* out */
        GPtrArray *list;  /* out, FtpEntry* */
        gint64 size;      /* out */
} RemoteJob;

static void remote_job_clear(RemoteJob *job)
{
        g_clear_pointer(&job->text, g_free);
        g_clear_pointer(&job->list, g_ptr_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RemoteJob, remote_job_clear)

static gboolean run(CoreContext *ctx, CoreWorkerFunc func, RemoteJob *job, GError **error)
{
        if (!ctx->connected) { /* the full screen calls the core_remote_* functions directly */
                g_set_error_literal(error, CORE_CMD_ERROR, CORE_CMD_ERROR_NOT_CONNECTED,
                                    _("Not connected: use `open <host> [port]` first."));
                return FALSE;
        }
        return core_worker_run(ctx->worker, func, job, error);
}

/* The directory the session learnt with its own PWD, else asks (only for the message). */
static char *current_dir(FtpSession *session)
{
        const char *known = ftp_session_cwd(session);
        return known ? g_strdup(known) : ftp_session_pwd(session, NULL);
}

static gboolean cd_job(FtpSession *session, gpointer data, GError **error)
{
        RemoteJob *job = data;
        if (!ftp_session_cwd_to(session, job->path, error))
                return FALSE;
        job->text = current_dir(session);
        return TRUE;
}

static gboolean cdup_job(FtpSession *session, gpointer data, GError **error)
{
        RemoteJob *job = data;
        if (!ftp_session_cdup(session, error))
                return FALSE;
        job->text = current_dir(session);
        return TRUE;
}

static gboolean pwd_job(FtpSession *session, gpointer data, GError **error)
{
        RemoteJob *job = data;
        job->text = ftp_session_pwd(session, error);
        return job->text != NULL;
}

static gboolean list_job(FtpSession *session, gpointer data, GError **error)
{
        RemoteJob *job = data;
        job->list = ftp_session_list(session, job->path, error);
        return job->list != NULL;
}

/* MKD; when the server refuses a path with parents, the parents first (core_remote_make_parents:
 * one that exists is refused and fine), then the path again: `mkdir a/b/c` as mkdir -p does it. */
static gboolean mkdir_job(FtpSession *session, gpointer data, GError **error)
{
        const char *path = ((RemoteJob *)data)->path;
        GError *first = NULL;
        if (ftp_session_mkdir(session, path, &first))
                return TRUE;
        if (!g_error_matches(first, FTP_ERROR, FTP_ERROR_REFUSED) || !strchr(path + 1, '/')) {
                g_propagate_error(error, first);
                return FALSE;
        }
        g_error_free(first);
        g_autoptr(GHashTable) made = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        return core_remote_make_parents(session, path, made, error) && ftp_session_mkdir(session, path, error);
}

static gboolean rmdir_job(FtpSession *session, gpointer data, GError **error)
{
        return ftp_session_rmdir(session, ((RemoteJob *)data)->path, error);
}

static gboolean delete_job(FtpSession *session, gpointer data, GError **error)
{
        return ftp_session_delete(session, ((RemoteJob *)data)->path, error);
}

static gboolean rename_job(FtpSession *session, gpointer data, GError **error)
{
        RemoteJob *job = data;
        return ftp_session_rename(session, job->path, job->path2, error);
}

static gboolean size_job(FtpSession *session, gpointer data, GError **error)
{
        RemoteJob *job = data;
        return ftp_session_size(session, job->path, &job->size, error);
}

static void say_remote_dir(CoreContext *ctx, const char *dir)
{
        if (!dir)
                return;
        g_autofree char *shown = core_name_escape(dir);
        core_say(ctx, CORE_MSG_INFO, _("Remote directory now %s"), shown);
}

/* cd or cdup, then where the server says it is now. */
static gboolean change_dir(CoreContext *ctx, CoreWorkerFunc func, const char *path, GError **error)
{
        g_auto(RemoteJob) job = { .path = path };
        if (!run(ctx, func, &job, error))
                return FALSE;
        say_remote_dir(ctx, job.text);
        return TRUE;
}

gboolean core_remote_cd(CoreContext *ctx, const char *path, GError **error)
{
        return change_dir(ctx, cd_job, path, error);
}

gboolean core_remote_cdup(CoreContext *ctx, GError **error)
{
        return change_dir(ctx, cdup_job, NULL, error);
}

CORE_CMD_HANDLER(core_cmd_cd)
{
        return core_remote_cd(ctx, argv[1], error);
}

CORE_CMD_HANDLER(core_cmd_cdup)
{
        return core_remote_cdup(ctx, error);
}

CORE_CMD_HANDLER(core_cmd_pwd)
{
        g_auto(RemoteJob) job = { 0 };
        if (!run(ctx, pwd_job, &job, error))
                return FALSE;
        g_autofree char *shown = core_name_escape(job.text);
        core_say(ctx, CORE_MSG_OUTPUT, _("Remote directory: %s"), shown);
        return TRUE;
}

static char type_letter(FtpEntryType type)
{
        switch (type) {
        case FTP_ENTRY_DIR:
                return 'd';
        case FTP_ENTRY_LINK:
                return 'l';
        case FTP_ENTRY_FILE:
                return '-';
        case FTP_ENTRY_OTHER:
        default:
                return '?';
        }
}

char *core_format_entry(const FtpEntry *entry)
{
        g_autofree char *size = entry->size >= 0 ? g_strdup_printf("%" G_GINT64_FORMAT, entry->size)
                                                 : g_strdup("-");
        g_autofree char *date = NULL;
        g_autoptr(GDateTime) when = entry->mtime >= 0 ? g_date_time_new_from_unix_utc(entry->mtime) : NULL;
        date = when ? g_date_time_format(when, "%Y-%m-%d %H:%M") : g_strdup("-");
        g_autofree char *name = core_name_escape(entry->name);
        g_autoptr(GString) line = g_string_new(NULL);
        g_string_append_printf(line, "%c%-9s %12s %16s %s", type_letter(entry->type),
                               entry->perms ? entry->perms : "", size, date, name);
        if (entry->type == FTP_ENTRY_LINK && entry->link_target) {
                g_autofree char *target = core_name_escape(entry->link_target);
                g_string_append_printf(line, " -> %s", target);
        }
        return g_string_free(g_steal_pointer(&line), FALSE);
}

CORE_CMD_HANDLER(core_cmd_ls)
{
        g_auto(RemoteJob) job = { .path = argc > 1 ? argv[1] : NULL };
        if (!run(ctx, list_job, &job, error))
                return FALSE;
        if (job.list->len == 0)
                return TRUE;
        g_autoptr(GString) out = g_string_new(NULL);
        for (guint i = 0; i < job.list->len; i++) {
                g_autofree char *line = core_format_entry(job.list->pdata[i]);
                g_string_append_printf(out, "%s%s", i ? "\n" : "", line);
        }
        core_say(ctx, CORE_MSG_OUTPUT, "%s", out->str);
        return TRUE;
}

/* A command with one or two paths and no answer beyond success. */
static gboolean simple(CoreContext *ctx, CoreWorkerFunc func, const char *path, const char *path2,
                       GError **error)
{
        RemoteJob job = { .path = path, .path2 = path2 };
        return run(ctx, func, &job, error);
}

typedef enum { ONE_PATH_MKDIR, ONE_PATH_RMDIR, ONE_PATH_DELETE } OnePath;

/* mkdir, rmdir or delete of one path, then what was done. */
static gboolean one_path(CoreContext *ctx, OnePath op, const char *path, GError **error)
{
        static const CoreWorkerFunc jobs[] = { mkdir_job, rmdir_job, delete_job };
        if (!simple(ctx, jobs[op], path, NULL, error))
                return FALSE;
        g_autofree char *shown = core_name_escape(path);
        if (op == ONE_PATH_MKDIR)
                core_say(ctx, CORE_MSG_INFO, _("Created directory %s"), shown);
        else if (op == ONE_PATH_RMDIR)
                core_say(ctx, CORE_MSG_INFO, _("Removed directory %s"), shown);
        else
                core_say(ctx, CORE_MSG_INFO, _("Deleted %s"), shown);
        return TRUE;
}

gboolean core_remote_mkdir(CoreContext *ctx, const char *path, GError **error)
{
        return one_path(ctx, ONE_PATH_MKDIR, path, error);
}

gboolean core_remote_rmdir(CoreContext *ctx, const char *path, GError **error)
{
        return one_path(ctx, ONE_PATH_RMDIR, path, error);
}

gboolean core_remote_delete(CoreContext *ctx, const char *path, GError **error)
{
        return one_path(ctx, ONE_PATH_DELETE, path, error);
}

gboolean core_remote_rename(CoreContext *ctx, const char *from, const char *to, GError **error)
{
        if (!simple(ctx, rename_job, from, to, error))
                return FALSE;
        g_autofree char *from_shown = core_name_escape(from);
        g_autofree char *to_shown = core_name_escape(to);
        core_say(ctx, CORE_MSG_INFO, _("Renamed %s to %s"), from_shown, to_shown);
        return TRUE;
}

CORE_CMD_HANDLER(core_cmd_mkdir)
{
        return core_remote_mkdir(ctx, argv[1], error);
}

CORE_CMD_HANDLER(core_cmd_rmdir)
{
        return core_remote_rmdir(ctx, argv[1], error);
}

CORE_CMD_HANDLER(core_cmd_delete)
{
        if (argc == 3 && strcmp(argv[1], "-r") == 0) {
                if (core_delete_tree_asking(ctx, TRUE, argv[2], error))
                        return TRUE;
                return error && *error ? FALSE : TRUE; /* the user kept it: not a failure */
        }
        if (argc == 3 || strcmp(argv[1], "-r") == 0) { /* two names, or -r alone */
                g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_USAGE, _("Usage: %s"),
                            "delete <remote-file> | delete -r <remote-directory>");
                return FALSE;
        }
        return core_remote_delete(ctx, argv[1], error);
}

gboolean core_remote_exists(CoreContext *ctx, const char *path, gboolean *exists, GError **error)
{
        g_autofree char *dir = g_path_get_dirname(path);
        g_autofree char *base = g_path_get_basename(path);
        g_auto(RemoteJob) job = { .path = strcmp(dir, ".") == 0 ? NULL : dir };
        *exists = FALSE;
        if (!run(ctx, list_job, &job, error))
                return FALSE;
        for (guint i = 0; i < job.list->len && !*exists; i++)
                *exists = g_strcmp0(((FtpEntry *)job.list->pdata[i])->name, base) == 0;
        return TRUE;
}

CORE_CMD_HANDLER(core_cmd_rename)
{
        if (core_rename_checked(ctx, TRUE, argv[1], argv[2], error))
                return TRUE;
        if (error && *error)
                return FALSE;
        return TRUE; /* the user kept the other entry: not a failure */
}

CORE_CMD_HANDLER(core_cmd_size)
{
        g_auto(RemoteJob) job = { .path = argv[1] };
        if (!run(ctx, size_job, &job, error))
                return FALSE;
        g_autofree char *shown = core_name_escape(argv[1]);
        core_say(ctx, CORE_MSG_OUTPUT, _("%s: %" PRId64 " bytes"), shown, (int64_t)job.size);
        return TRUE;
}

/* Line mode's typed transfers are batches of queue jobs, as on the full screen, on a private
 * queue whose jobs a text view shows: put (a directory: one job per file below it), mput, get
 * and mget. Instead of the conflict dialog they ask yes/no/all/quit while `prompt` is on: mput
 * and mget per file, put and mput before they replace a file on the server, get and mget before
 * they replace a local file (and get resumes a .part); mget matches its patterns against one
 * listing per directory. */
typedef enum {
        TYPED_ASK_EACH = 1 << 0,   /* "Upload x?" / "Download x?" per file */
        TYPED_SHOW_PATHS = 1 << 1, /* name a put's job by the path as typed */
        TYPED_GET_ONE = 1 << 2,    /* fetch the one file named, without listing first */
        TYPED_ASK_OVERWRITE = 1 << 3, /* "x exists on the server. Overwrite it?" */
} TypedFlags;

static gboolean run_typed(CoreContext *ctx, int argc, char **argv, TypedFlags flags)
{
        g_autoptr(CoreQueue) queue = core_queue_new();
        g_autoptr(CoreBatch) batch = core_batch_new_typed(queue, argc, argv);
        batch->ask_conflicts = FALSE;
        batch->ask_overwrite = (flags & TYPED_ASK_OVERWRITE) != 0;
        batch->ask_each = (flags & TYPED_ASK_EACH) != 0;
        batch->show_paths = (flags & TYPED_SHOW_PATHS) != 0;
        batch->get_lists = (flags & TYPED_GET_ONE) == 0;
        return core_batch_run_text(ctx, batch);
}

/* `queue`: what an earlier run left in the journal; `queue resume`, `queue discard`. */
CORE_CMD_HANDLER(core_cmd_queue)
{
        if (!ctx->journal) {
                g_set_error_literal(error, CORE_CMD_ERROR, CORE_CMD_ERROR_FAILED,
                                    _("This run keeps no queue journal: nothing can be resumed."));
                return FALSE;
        }
        if (argc == 1) {
                core_resume_show(ctx);
                return TRUE;
        }
        if (g_str_equal(argv[1], "resume"))
                return core_resume_run(ctx, NULL, error);
        if (g_str_equal(argv[1], "discard")) {
                core_resume_discard(ctx);
                return TRUE;
        }
        g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_USAGE, _("Usage: %s"), "queue [resume|discard]");
        return FALSE;
}

CORE_CMD_HANDLER(core_cmd_put)
{
        return run_typed(ctx, argc, argv, TYPED_SHOW_PATHS | TYPED_ASK_OVERWRITE);
}

CORE_CMD_HANDLER(core_cmd_reput)
{
        return core_transfer_reput(ctx, argv[1], argc > 2 ? argv[2] : NULL, NULL, error);
}

CORE_CMD_HANDLER(core_cmd_mput)
{
        return run_typed(ctx, argc, argv, TYPED_ASK_EACH | TYPED_ASK_OVERWRITE);
}

CORE_CMD_HANDLER(core_cmd_get)
{
        return run_typed(ctx, argc, argv, TYPED_GET_ONE);
}

CORE_CMD_HANDLER(core_cmd_mget)
{
        return run_typed(ctx, argc, argv, TYPED_ASK_EACH);
}

CORE_CMD_HANDLER(core_cmd_mirror)
{
        g_auto(CoreMirrorOptions) opts = { 0 };
        if (!core_mirror_parse(argc, argv, &opts, error))
                return FALSE;
        return core_mirror_run(ctx, &opts, error);
}
