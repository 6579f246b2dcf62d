/* ftp/session-tls.c — the session's TLS: policy settings, the control handshake (after 234 or
 * before the greeting), the certificate decision, and the one-line security summary.
 * Owns: "a certificate that does not verify is refused unless its fingerprint was allowed", the
 * check that a data connection shows the control connection's certificate. Must not: ask the user
 * or read trust files (core does, then allows fingerprints), print, or send FTP commands. */
#include "config.h"
#include "ftp/session-private.h"
#include "common/i18n.h"

#include <string.h>

void ftp_session_set_tls(FtpSession *s, FtpTlsPolicy policy, gboolean implicit)
{
        s->tls_policy = policy;
        s->tls_implicit = implicit;
}

void ftp_session_set_tls_max_version(FtpSession *s, int max_version)
{
        if (s->tls_max_version != max_version)
                g_clear_pointer(&s->tls, tls_context_free); /* made again at the next handshake */
        s->tls_max_version = max_version;
}

void ftp_session_allow_fingerprint(FtpSession *s, const char *sha256)
{
        if (!sha256) {
                g_clear_pointer(&s->fingerprints, g_ptr_array_unref);
                return;
        }
        char *normal = tls_fingerprint_normalise(sha256);
        if (!normal)
                return;
        if (!s->fingerprints)
                s->fingerprints = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(s->fingerprints, normal);
}

gboolean ftp_session_is_tls(FtpSession *s) { return s->ctrl && net_stream_is_tls(s->ctrl); }
gboolean ftp_session_data_protected(FtpSession *s) { return ftp_session_is_tls(s) && s->prot_private; }
const TlsPeerInfo *ftp_session_peer_certificate(FtpSession *s) { return s->peer; }

static gboolean fingerprint_allowed(FtpSession *s, const char *sha256)
{
        for (guint i = 0; sha256 && s->fingerprints && i < s->fingerprints->len; i++) {
                if (g_str_equal(g_ptr_array_index(s->fingerprints, i), sha256))
                        return TRUE;
        }
        return FALSE;
}

gboolean ftp_session_check_peer(FtpSession *s, TlsPeerInfo *info, gboolean control, GError **error)
{
        if (info->verified)
                return TRUE;
        if (control && fingerprint_allowed(s, info->sha256)) {
                s->peer_pinned = TRUE;
                return TRUE;
        }
        if (!control && s->peer && info->sha256 && g_strcmp0(info->sha256, s->peer->sha256) == 0)
                return TRUE; /* the certificate the user accepted on the control connection */
        g_autofree char *details = tls_peer_info_describe(info);
        g_set_error(error, FTP_ERROR, FTP_ERROR_CERTIFICATE,
                    control ? _("The certificate of %s does not verify (%s); nothing was sent:\n%s")
                            : _("The data connection to %s showed another certificate (%s):\n%s"),
                    s->host ? s->host : "?", info->verify_error ? info->verify_error : "?", details);
        return FALSE;
}

gboolean ftp_session_start_tls(FtpSession *s, GError **error)
{
        if (!s->tls) {
                GError *err = NULL;
                s->tls = tls_context_new(s->tls_max_version, &err);
                if (!s->tls) {
                        ftp_session_fail_closed(s, error, FTP_ERROR_TLS, err->message);
                        g_error_free(err);
                        return FALSE;
                }
        }
        tls_context_forget_session(s->tls);
        g_clear_pointer(&s->peer, tls_peer_info_free);
        g_autoptr(GError) err = NULL;
        if (!net_stream_start_tls(s->ctrl, s->tls, s->host, TRUE, net_deadline_in_ms(s->timeouts.connect_ms),
                                  s->cancel_fd, &err)) {
                g_autofree char *why = g_strdup_printf(_("TLS with the server failed (%s)."), err->message);
                ftp_session_fail_closed(s, error, g_error_matches(err, NET_ERROR, NET_ERROR_CANCELLED)
                                                          ? FTP_ERROR_CANCELLED : FTP_ERROR_TLS, why);
                return FALSE;
        }
        s->peer = net_stream_peer_info(s->ctrl);
        s->peer_pinned = FALSE;
        if (!ftp_session_check_peer(s, s->peer, TRUE, error)) {
                ftp_session_drop(s);
                return FALSE;
        }
        ftp_session_trace(s, "(TLS: %s, %s, certificate %s%s)", s->peer->version, s->peer->cipher,
                          s->peer->subject ? s->peer->subject : "?",
                          s->peer->verified ? "" : ", accepted by its fingerprint");
        return TRUE;
}

char *ftp_session_security_summary(FtpSession *s)
{
        if (!s->ctrl)
                return g_strdup(_("not connected"));
        if (!net_stream_is_tls(s->ctrl))
                return g_strdup(s->logged_in ? _("plain FTP: the password was sent in clear")
                                             : _("plain FTP: nothing is encrypted"));
        const TlsPeerInfo *p = s->peer;
        const char *trust = p->verified ? _("verified") : _("trusted by its SHA-256 fingerprint");
        g_autofree char *tls = g_strdup_printf(_("%s, %s; certificate %s (%s)"), p->version, p->cipher,
                                               p->subject ? p->subject : "?", trust);
        if (!s->logged_in)
                return g_steal_pointer(&tls);
        return g_strdup_printf("%s; %s", tls, s->prot_private ? _("data encrypted") : _("data connections in clear"));
}
