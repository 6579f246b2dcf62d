/* core/transfer.c — what uploads and downloads share: progress, remote path helpers, the
 * questions asked per file, and which errors end a whole command.
 * Must not: transfer anything itself (upload.c and download.c do) or print directly. */
#include "core/transfer.h"
#include "core/transfer-private.h"
#include "core/worker.h"

#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "common/i18n.h"
#include "common/quark.h"

COMMON_DEFINE_QUARK(core-transfer-error-quark, core_transfer_error)

void core_transfer_progress(guint64 done, gint64 total, gpointer data)
{
        CoreProgress *progress = data;
        CoreContext *ctx = progress->ctx;
        if (ctx->fe.progress != NULL)
                ctx->fe.progress(progress->name, done, total, ctx->fe.data);
}

char *core_remote_join(const char *dir, const char *name)
{
        if (dir == NULL || dir[0] == '\0')
                return g_strdup(name);
        if (g_str_has_suffix(dir, "/"))
                return g_strconcat(dir, name, NULL);
        return g_strconcat(dir, "/", name, NULL);
}

char *core_remote_basename(const char *path)
{
        gsize len = strlen(path);
        while (len > 1 && path[len - 1] == '/')
                len--;
        const char *start = path;
        for (gsize i = 0; i < len; i++) {
                if (path[i] == '/' && i + 1 < len)
                        start = path + i + 1;
        }
        return g_strndup(start, len - (gsize)(start - path));
}

gboolean core_transfer_check_scanner(CoreContext *ctx, GError **error)
{
        if (ctx->scanner != NULL)
                return TRUE;
        g_set_error_literal(error, CORE_TRANSFER_ERROR, CORE_TRANSFER_ERROR_NO_SCANNER,
                            _("No scanner is configured, so nothing can be uploaded; "
                              "set one with --scanner unix:/path or tcp:host:port."));
        return FALSE;
}

char *core_transfer_put_target(const char *local, const char *remote)
{
        if (remote == NULL)
                return core_transfer_remote_name_for(local);
        if (!g_str_has_suffix(remote, "/"))
                return g_strdup(remote);
        g_autofree char *base = g_path_get_basename(local);
        return g_strconcat(remote, base, NULL);
}

/* The main worker's cancel hook while a scan runs here: wakes it (an eventfd write never blocks). */
static void cancel_scan(gpointer data)
{
        guint64 one = 1;
        (void)!write(GPOINTER_TO_INT(data), &one, sizeof one);
}

/* A scan that Ctrl-C (a cancel of the main worker) ends, waiting for a scanner included: on a
 * copy of the client with a cancel descriptor of its own. */
static ScanVerdict *scan_cancellable(CoreContext *ctx, const ScanSnapshot *snapshot)
{
        int cancel = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (cancel < 0) /* without one, the scan is still bounded by its timeout and wait */
                return scan_client_scan_fd(ctx->scanner, snapshot->fd, snapshot->size);
        g_autoptr(ScanClient) client = scan_client_copy(ctx->scanner);
        scan_client_set_cancel_fd(client, cancel);
        core_worker_set_cancel_hook(ctx->worker, cancel_scan, GINT_TO_POINTER(cancel));
        ScanVerdict *verdict = scan_client_scan_fd(client, snapshot->fd, snapshot->size);
        core_worker_set_cancel_hook(ctx->worker, NULL, NULL);
        close(cancel);
        return verdict;
}

ScanSnapshot *core_transfer_snapshot_scan(CoreContext *ctx, const char *local, ScanVerdict **verdict,
                                          GError **error)
{
        GError *failure = NULL;
        ScanSnapshot *snapshot = scan_snapshot_take(local, ctx->tmpdir, &failure);
        if (snapshot == NULL) {
                /* the file asked for is in the audit log even so: an ERROR of class "local" */
                g_autoptr(ScanVerdict) unread = scan_verdict_new_error(failure);
                scan_verdict_set_path(unread, local);
                scan_audit_verdict(ctx->audit, NULL, unread, ctx->scanner_address);
                g_propagate_error(error, failure);
                return NULL;
        }
        *verdict = scan_cancellable(ctx, snapshot);
        scan_verdict_set_path(*verdict, local);
        if (ctx->audit != NULL)
                scan_audit_verdict(ctx->audit, snapshot, *verdict, core_verdict_scanner(ctx, *verdict));
        return snapshot;
}

gboolean core_transfer_error_is_fatal(const GError *error)
{
        if (error == NULL || error->domain != FTP_ERROR)
                return FALSE;
        return error->code == FTP_ERROR_CANCELLED || error->code == FTP_ERROR_CLOSED ||
               error->code == FTP_ERROR_NOT_CONNECTED;
}

gboolean core_asker_confirm(CoreContext *ctx, CoreAsker *asker, const char *question)
{
        if (asker->quit)
                return FALSE;
        if (asker->all || !ctx->prompt || ctx->fe.ask == NULL)
                return TRUE;
        switch (ctx->fe.ask(question, ctx->fe.data)) {
        case CORE_ANSWER_YES:
                return TRUE;
        case CORE_ANSWER_ALL:
                asker->all = TRUE;
                return TRUE;
        case CORE_ANSWER_QUIT:
                asker->quit = TRUE;
                return FALSE;
        case CORE_ANSWER_NO:
        default:
                return FALSE;
        }
}
