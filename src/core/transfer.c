/* core/transfer.c — what uploads and downloads share: progress, remote path helpers, the
 * questions asked per file, and which errors end a whole command.
 * Must not: transfer anything itself (upload.c and download.c do) or print directly. */
#include "core/transfer.h"
#include "core/transfer-private.h"

#include <string.h>

#include "common/i18n.h"

G_DEFINE_QUARK(core-transfer-error-quark, core_transfer_error)

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

ScanSnapshot *core_transfer_snapshot_scan(CoreContext *ctx, const char *local, ScanVerdict **verdict,
                                          GError **error)
{
        ScanSnapshot *snapshot = scan_snapshot_take(local, ctx->tmpdir, error);
        if (snapshot == NULL)
                return NULL;
        *verdict = scan_client_scan_fd(ctx->scanner, snapshot->fd, snapshot->size);
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
