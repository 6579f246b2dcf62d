/* ftp/session-profile.c — a copy of how one session logged in, so that another session (an extra
 * connection of a batch) can log in the same way without anyone outside src/ftp holding the password.
 * Owns: what the copy holds (the secrets are wiped when it is freed), and the rule that an extra
 * connection is never weaker than the first: encrypted when the first is, accepting only the very
 * certificate the user already accepted (a pinned fingerprint is never asked about again).
 * Must not: prompt, print, or keep the copy anywhere but in the caller's hands. */
#include "config.h"
#include "ftp/session-private.h"
#include "common/i18n.h"

#include <string.h>

struct FtpSessionProfile {
        char *host;
        guint16 port;
        gboolean implicit;
        FtpTlsPolicy policy;
        int max_version;
        char *pinned;       /* the fingerprint the control certificate was accepted by, or NULL */
        char *user;
        char *password;
        char *account;
        gboolean passive;
        gboolean trust_pasv;
        FtpTimeouts timeouts;
        FtpType type;
        char *cwd;
        void (*trace)(const char *line, gpointer data);
        gpointer trace_data;
};

/* An encrypted first connection makes TLS a requirement for the others (no silent downgrade). */
static FtpTlsPolicy policy_of(FtpSession *s)
{
        if (s->ctrl && net_stream_is_tls(s->ctrl))
                return FTP_TLS_REQUIRE;
        return s->tls_policy;
}

static FtpSessionProfile *profile_copy(const FtpSessionProfile *from)
{
        FtpSessionProfile *p = g_new0(FtpSessionProfile, 1);
        *p = *from;
        p->host = g_strdup(from->host);
        p->pinned = g_strdup(from->pinned);
        p->user = g_strdup(from->user);
        p->password = g_strdup(from->password);
        p->account = g_strdup(from->account);
        p->cwd = g_strdup(from->cwd);
        return p;
}

FtpSessionProfile *ftp_session_profile(FtpSession *s)
{
        g_return_val_if_fail(s != NULL, NULL);
        if (!s->ctrl && s->lost)
                return profile_copy(s->lost);
        if (!s->ctrl || !s->logged_in || !s->host)
                return NULL;
        return ftp_session_profile_of(s);
}

FtpSessionProfile *ftp_session_profile_of(FtpSession *s)
{
        FtpSessionProfile *p = g_new0(FtpSessionProfile, 1);
        p->host = g_strdup(s->host);
        p->port = s->port;
        p->implicit = s->tls_implicit;
        p->policy = policy_of(s);
        p->max_version = s->tls_max_version;
        if (s->peer && s->peer_pinned && !s->peer->verified)
                p->pinned = g_strdup(s->peer->sha256);
        p->user = g_strdup(s->user);
        p->password = g_strdup(s->password);
        p->account = g_strdup(s->account);
        p->passive = s->passive;
        p->trust_pasv = s->trust_pasv_address;
        p->timeouts = s->timeouts;
        p->type = s->type;
        p->cwd = g_strdup(s->cwd);
        p->trace = s->trace;
        p->trace_data = s->trace_data;
        return p;
}

void ftp_session_profile_free(FtpSessionProfile *p)
{
        if (!p)
                return;
        g_free(p->host);
        g_free(p->pinned);
        g_free(p->user);
        ftp_session_wipe_secret(&p->password);
        ftp_session_wipe_secret(&p->account);
        g_free(p->cwd);
        g_free(p);
}

const char *ftp_session_profile_host(const FtpSessionProfile *p) { return p->host; }

static void apply_profile(FtpSession *s, const FtpSessionProfile *p)
{
        ftp_session_set_tls(s, p->policy, p->implicit);
        ftp_session_set_tls_max_version(s, p->max_version);
        ftp_session_allow_fingerprint(s, NULL);
        if (p->pinned)
                ftp_session_allow_fingerprint(s, p->pinned);
        ftp_session_set_passive(s, p->passive);
        ftp_session_set_trust_pasv_address(s, p->trust_pasv);
        ftp_session_set_timeouts(s, &p->timeouts);
        ftp_session_set_type(s, p->type);
        ftp_session_set_trace(s, p->trace, p->trace_data);
}

/* An extra connection that fails leaves the first one as it was: the hint to `open` again, which
 * a closed session adds to its error (ftp_session_fail_closed), does not apply to it. */
static gboolean failed(FtpSession *s, GError *cause, GError **error)
{
        ftp_session_drop_open_hint(s, cause);
        ftp_session_quit(s);
        g_propagate_error(error, cause);
        return FALSE;
}

gboolean ftp_session_can_reconnect(FtpSession *s)
{
        return !s->ctrl && s->lost != NULL;
}

gboolean ftp_session_reconnect(FtpSession *s, GError **error)
{
        if (!ftp_session_can_reconnect(s)) {
                g_set_error_literal(error, FTP_ERROR, FTP_ERROR_NOT_CONNECTED, _("Not connected: use `open` first."));
                return FALSE;
        }
        g_autoptr(FtpSessionProfile) p = g_steal_pointer(&s->lost);
        if (ftp_session_open_like(s, p, error))
                return TRUE;
        ftp_session_profile_free(s->lost); /* what a half-done try left: the first login is the one */
        s->lost = g_steal_pointer(&p);
        return FALSE;
}

gboolean ftp_session_open_like(FtpSession *s, const FtpSessionProfile *p, GError **error)
{
        g_return_val_if_fail(s != NULL && p != NULL, FALSE);
        if (s->ctrl)
                ftp_session_quit(s);
        apply_profile(s, p);
        GError *cause = NULL;
        if (!ftp_session_connect(s, p->host, p->port, &cause) ||
            !ftp_session_login(s, p->user, p->password, p->account, &cause) ||
            (p->cwd && g_strcmp0(s->cwd, p->cwd) != 0 && !ftp_session_cwd_to(s, p->cwd, &cause)))
                return failed(s, cause, error);
        return TRUE;
}
