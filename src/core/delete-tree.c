/* core/delete-tree.c — deleting a directory with everything below it, on either side, for F8 and
 * line mode's `delete -r` (core/files.h): the entries are found first (so that the question can
 * say how many), then deleted children first; a failure is counted and the rest goes on.
 * Must not: follow a symbolic link (a link is deleted, never entered), act on a name from the
 * server that is not one plain path component, or prompt. */
#include "common/i18n.h"
#include "core/browse-tree.h"
#include "core/files.h"
#include "core/safename.h"
#include "core/transfer-private.h"
#include "core/worker.h"
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#define LOCAL_DEPTH_MAX 64
#define REMOTE_DEPTH_MAX 32

typedef struct {
        char *path;
        gboolean is_dir;
        gboolean unsure;    /* listed as a directory that could not be listed (a server may show
                               a link to where it will not go as one): DELE, then RMD */
} Doomed;

static void doomed_free(gpointer data)
{
        Doomed *d = data;
        g_free(d->path);
        g_free(d);
}

struct CoreDeletePlan {
        gboolean remote;
        GPtrArray *doomed;  /* Doomed*, children before their directory; the root is last */
        guint unsafe;       /* server names left alone: not one plain path component */
};

void core_delete_plan_free(CoreDeletePlan *plan)
{
        if (!plan)
                return;
        g_ptr_array_unref(plan->doomed);
        g_free(plan);
}

guint core_delete_plan_count(const CoreDeletePlan *plan)
{
        return plan->doomed->len - 1; /* the root is not below itself */
}

static Doomed *add(CoreDeletePlan *plan, char *path, gboolean is_dir)
{
        Doomed *d = g_new0(Doomed, 1);
        d->path = path;
        d->is_dir = is_dir;
        g_ptr_array_add(plan->doomed, d);
        return d;
}

/* A listing the server refused (a 5xx), as opposed to a lost connection or a cancel. */
static gboolean refused(const GError *error)
{
        return error->domain == FTP_ERROR && !core_transfer_error_is_fatal(error);
}

static gboolean too_deep(const char *path, GError **error)
{
        g_autofree char *shown = core_name_escape(path);
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NAMETOOLONG,
                    _("%s is nested too deep to delete from here."), shown);
        return FALSE;
}

static gboolean plan_local(CoreDeletePlan *plan, const char *dir, int depth, GError **error)
{
        if (depth > LOCAL_DEPTH_MAX)
                return too_deep(dir, error);
        g_autoptr(GDir) handle = g_dir_open(dir, 0, error);
        if (!handle)
                return FALSE;
        const char *name;
        while ((name = g_dir_read_name(handle)) != NULL) {
                g_autofree char *path = g_build_filename(dir, name, NULL);
                struct stat st;
                gboolean is_dir = g_lstat(path, &st) == 0 && S_ISDIR(st.st_mode); /* a link is not */
                if (is_dir && !plan_local(plan, path, depth + 1, error))
                        return FALSE;
                add(plan, g_steal_pointer(&path), is_dir);
        }
        return TRUE;
}

static gboolean plan_remote(CoreContext *ctx, CoreDeletePlan *plan, const char *dir, int depth,
                            GError **error)
{
        if (depth > REMOTE_DEPTH_MAX)
                return too_deep(dir, error);
        g_autoptr(GPtrArray) entries = core_browse_list_path(ctx, dir, error);
        if (!entries)
                return FALSE;
        for (guint i = 0; i < entries->len; i++) {
                const CoreEntry *e = g_ptr_array_index(entries, i);
                if (!core_name_is_safe(e->name)) { /* "../x" or "a/b" would reach elsewhere */
                        plan->unsafe++;
                        continue;
                }
                g_autofree char *path = core_remote_join(dir, e->name);
                gboolean is_dir = e->type == CORE_ENTRY_DIR;
                GError *failure = NULL;
                if (is_dir && !plan_remote(ctx, plan, path, depth + 1, &failure)) {
                        if (!refused(failure)) {
                                g_propagate_error(error, failure);
                                return FALSE;
                        }
                        g_error_free(failure);
                        add(plan, g_steal_pointer(&path), TRUE)->unsure = TRUE;
                        continue;
                }
                add(plan, g_steal_pointer(&path), is_dir);
        }
        return TRUE;
}

/* ".", "..", "/", "a/..", "./" …: the directory one stands in, its parents, or the root. */
static gboolean is_not_a_subtree(const char *dir)
{
        g_autofree char *base = g_path_get_basename(dir);
        return !*dir || strcmp(base, ".") == 0 || strcmp(base, "..") == 0 || strcmp(base, "/") == 0;
}

CoreDeletePlan *core_delete_plan(CoreContext *ctx, gboolean remote, const char *dir, GError **error)
{
        if (is_not_a_subtree(dir)) {
                g_autofree char *shown = core_name_escape(dir);
                g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                            _("Refusing to delete %s with everything below it: name the directory itself, "
                              "not the current, a parent or the root directory."), shown);
                return NULL;
        }
        CoreDeletePlan *plan = g_new0(CoreDeletePlan, 1);
        plan->remote = remote;
        plan->doomed = g_ptr_array_new_with_free_func(doomed_free);
        gboolean ok = remote ? plan_remote(ctx, plan, dir, 0, error) : plan_local(plan, dir, 0, error);
        if (!ok) {
                core_delete_plan_free(plan);
                return NULL;
        }
        add(plan, g_strdup(dir), TRUE);
        return plan;
}

static gboolean remote_delete_job(FtpSession *session, gpointer data, GError **error)
{
        const Doomed *d = data;
        if (d->unsure && ftp_session_delete(session, d->path, NULL))
                return TRUE;
        return d->is_dir ? ftp_session_rmdir(session, d->path, error)
                         : ftp_session_delete(session, d->path, error);
}

static gboolean delete_one(CoreContext *ctx, gboolean remote, const Doomed *d, GError **error)
{
        if (remote)
                return core_worker_run(ctx->worker, remote_delete_job, (gpointer)d, error);
        return core_local_delete(ctx, d->path, d->is_dir, error);
}

gboolean core_delete_plan_run(CoreContext *ctx, const CoreDeletePlan *plan, GError **error)
{
        guint failed = 0;
        g_autoptr(GError) first = NULL;
        for (guint i = 0; i < plan->doomed->len; i++) {
                GError *failure = NULL;
                if (delete_one(ctx, plan->remote, g_ptr_array_index(plan->doomed, i), &failure))
                        continue;
                failed++;
                gboolean stop = core_transfer_error_is_fatal(failure); /* lost connection, cancel */
                if (!first)
                        first = failure;
                else
                        g_error_free(failure);
                if (stop) {
                        failed += plan->doomed->len - i - 1;
                        break;
                }
        }
        const Doomed *root = g_ptr_array_index(plan->doomed, plan->doomed->len - 1);
        g_autofree char *shown = core_name_escape(root->path);
        guint n = core_delete_plan_count(plan);
        if (failed == 0 && plan->unsafe == 0 && n == 0) {
                core_say(ctx, CORE_MSG_INFO, _("Removed directory %s"), shown);
                return TRUE;
        }
        if (failed == 0 && plan->unsafe == 0) {
                core_say(ctx, CORE_MSG_INFO, ngettext("Deleted %s and the %u entry below it.",
                                                      "Deleted %s and the %u entries below it.", n),
                         shown, n);
                return TRUE;
        }
        if (failed == 0) {
                g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                            _("%s was not deleted whole: %u names below it that the server should not "
                              "have sent were left alone."), shown, plan->unsafe);
                return FALSE;
        }
        g_set_error(error, first->domain, first->code,
                    _("%u of the %u entries of %s could not be deleted; the first: %s"), failed,
                    plan->doomed->len, shown, first->message);
        return FALSE;
}

gboolean core_delete_tree_asking(CoreContext *ctx, gboolean remote, const char *dir, GError **error)
{
        g_autoptr(CoreDeletePlan) plan = core_delete_plan(ctx, remote, dir, error);
        if (!plan)
                return FALSE;
        guint n = core_delete_plan_count(plan);
        if (n > 0 && ctx->prompt && ctx->fe.ask) {
                g_autofree char *shown = core_name_escape(dir);
                g_autofree char *question = g_strdup_printf(
                        ngettext("Delete %s and the %u entry below it?", "Delete %s and the %u entries below it?", n),
                        shown, n);
                CoreAnswer answer = ctx->fe.ask(question, ctx->fe.data);
                if (answer != CORE_ANSWER_YES && answer != CORE_ANSWER_ALL) {
                        core_say(ctx, CORE_MSG_WARNING, _("Not deleted: %s."), shown);
                        return FALSE;
                }
        }
        return core_delete_plan_run(ctx, plan, error);
}
