/* core/upload-verify.c — after an upload, what the server stored is compared with the snapshot
 * that was scanned: by the strongest digest the server tells (HASH, XSHA256 … : ftp/session-
 * digest.c), computed here from the same snapshot, else by SIZE, else not at all ("none").
 * Owns: the choice of method for one file, the comparison, the words of a mismatch.
 * Must not: delete or resend anything (the caller does), or print (ctx->fe). */
#include "core/transfer.h"
#include "core/transfer-private.h"

#include <inttypes.h>

#include "common/i18n.h"
#include "core/safename.h"

void core_verify_clear(CoreVerify *verify)
{
        g_clear_pointer(&verify->method, g_free);
        g_clear_pointer(&verify->remote, g_free);
        g_clear_pointer(&verify->local, g_free);
        verify->match = -1;
}

static const char *openssl_name(FtpDigestAlgo algo)
{
        switch (algo) {
        case FTP_DIGEST_SHA256: return "SHA256";
        case FTP_DIGEST_SHA512: return "SHA512";
        case FTP_DIGEST_SHA1: return "SHA1";
        case FTP_DIGEST_MD5: return "MD5";
        case FTP_DIGEST_CRC32: return "CRC32";
        case FTP_DIGEST_NONE:
        default: return NULL;
        }
}

/* The server would not tell (a refusal, or for a digest an answer without one): the caller falls
 * back. Anything else (the connection, a cancel) ends the check. */
static gboolean would_not_tell(const GError *failure)
{
        return g_error_matches(failure, FTP_ERROR, FTP_ERROR_REFUSED) ||
               g_error_matches(failure, FTP_ERROR, FTP_ERROR_PROTOCOL);
}

/* FALSE with error when the connection failed or a cancel came; TRUE when the server told a
 * digest (*told) or would not (the caller falls back to SIZE). */
static gboolean by_digest(FtpSession *session, const ScanSnapshot *snapshot, const char *remote, CoreVerify *out,
                          gboolean *told, GError **error)
{
        *told = FALSE;
        FtpDigestMethod method = ftp_session_digest_method(session);
        if (method.algo == FTP_DIGEST_NONE)
                return TRUE;
        g_autoptr(GError) failure = NULL;
        g_autofree char *digest = ftp_session_remote_digest(session, remote, method, NULL, &failure);
        if (!digest) {
                if (would_not_tell(failure) && ftp_session_is_connected(session))
                        return TRUE;
                g_propagate_error(error, g_steal_pointer(&failure));
                return FALSE;
        }
        g_autofree char *local = scan_snapshot_digest(snapshot, openssl_name(method.algo), error);
        if (!local)
                return FALSE;
        out->method = ftp_digest_method_name(method);
        out->match = g_ascii_strcasecmp(local, digest) == 0;
        out->remote = g_steal_pointer(&digest);
        out->local = g_steal_pointer(&local);
        *told = TRUE;
        return TRUE;
}

static gboolean by_size(FtpSession *session, const ScanSnapshot *snapshot, const char *remote, CoreVerify *out,
                        GError **error)
{
        gint64 size = -1;
        g_autoptr(GError) failure = NULL;
        if (!ftp_session_size(session, remote, &size, &failure)) {
                if (!would_not_tell(failure) || !ftp_session_is_connected(session)) {
                        g_propagate_error(error, g_steal_pointer(&failure));
                        return FALSE;
                }
                out->method = g_strdup("none"); /* the server tells nothing */
                return TRUE;
        }
        out->method = g_strdup("SIZE");
        out->remote = g_strdup_printf("%" PRId64, (int64_t)size);
        out->local = g_strdup_printf("%" PRId64, (int64_t)snapshot->size);
        out->match = size == snapshot->size;
        return TRUE;
}

gboolean core_upload_verify(FtpSession *session, const ScanSnapshot *snapshot, const char *remote, FtpType type,
                            CoreVerify *out, GError **error)
{
        core_verify_clear(out);
        if (type != FTP_TYPE_BINARY) {
                out->method = g_strdup("none"); /* ASCII: the server stores other bytes on purpose */
                return TRUE;
        }
        gboolean told = FALSE;
        if (!by_digest(session, snapshot, remote, out, &told, error))
                return FALSE;
        return told || by_size(session, snapshot, remote, out, error);
}

void core_verify_mismatch_error(const CoreVerify *verify, const char *remote, GError **error)
{
        g_autofree char *shown = core_name_escape(remote);
        g_autofree char *said = core_name_escape(verify->remote ? verify->remote : "?");
        g_set_error(error, CORE_TRANSFER_ERROR, CORE_TRANSFER_ERROR_VERIFY,
                    _("The server's copy of %s is not the file that was scanned (%s: the server says %s, the "
                      "snapshot is %s): it was deleted."),
                    shown, verify->method, said, verify->local ? verify->local : "?");
}
