/* ftp/session-login.c — connect, greeting and login as a table of states: each state sends one
 * command and judges one complete reply (implicit TLS before the greeting, 120 then 220, 230 at
 * greeting, AUTH TLS, USER, PASS, ACCT when asked, PBSZ 0 and PROT P over TLS, FEAT, OPTS UTF8 ON
 * when offered, PWD). Owns the TLS policy at login: no USER on a plain connection under REQUIRE,
 * no byte accepted in clear after 234. Must not: read or write the socket itself (the exchange in
 * session.c does, with its 421/EOF/timeout handling), print or prompt. */
#include "config.h"
#include "ftp/session-private.h"
#include "ftp/parse.h"
#include "common/i18n.h"

#include <poll.h>

#define MAX_GREETINGS 3 /* "120 ready in N minutes" replies tolerated before the 220 */

/* ---- connect and login: a table of states, each sends one command and judges one reply ---- */

typedef enum {
        FTP_STATE_WAIT_GREETING,
        FTP_STATE_AUTH_TLS,
        FTP_STATE_USER,
        FTP_STATE_PASS,
        FTP_STATE_ACCT,
        FTP_STATE_PBSZ,
        FTP_STATE_PROT,
        FTP_STATE_FEAT,
        FTP_STATE_OPTS_UTF8,
        FTP_STATE_PWD,
        FTP_STATE_READY,
        FTP_STATE_FAILED,
} FtpState;

typedef struct {
        const char *user;
        const char *password;
        const char *account;
        int greetings; /* 120 replies seen */
} LoginCtx;

typedef struct {
        FtpState state;
        const char *verb; /* NULL: only read a reply */
        const char *(*arg)(const LoginCtx *ctx);
        FtpState (*on_reply)(FtpSession *s, LoginCtx *ctx, const FtpReply *reply, GError **error);
} FtpStep;

static const char *arg_user(const LoginCtx *ctx) { return ctx->user; }
static const char *arg_password(const LoginCtx *ctx) { return ctx->password ? ctx->password : ""; }
static const char *arg_account(const LoginCtx *ctx) { return ctx->account; }
static const char *arg_utf8(const LoginCtx *ctx) { return "UTF8 ON"; }
static const char *arg_tls(const LoginCtx *ctx) { return "TLS"; }
static const char *arg_zero(const LoginCtx *ctx) { return "0"; }
static const char *arg_private(const LoginCtx *ctx) { return "P"; }

/* After the greeting: AUTH TLS unless TLS is off or already on (implicit). */
static FtpState after_greeting(FtpSession *s)
{
        if (s->tls_policy == FTP_TLS_OFF || net_stream_is_tls(s->ctrl))
                return FTP_STATE_READY;
        return FTP_STATE_AUTH_TLS;
}

static FtpState on_greeting(FtpSession *s, LoginCtx *ctx, const FtpReply *reply, GError **error)
{
        if (reply->code == 120 && ++ctx->greetings <= MAX_GREETINGS)
                return FTP_STATE_WAIT_GREETING; /* "ready in N minutes": wait for the 220 */
        if (reply->code == 220)
                return after_greeting(s);
        if (reply->code == 230) {
                /* pre-authenticated: TLS is still asked for and still required (CVE-2021-22946) */
                s->preauthenticated = TRUE;
                s->logged_in = TRUE;
                return after_greeting(s);
        }
        g_autofree char *why = g_strdup_printf(_("The server refused the session (%d %s)."), reply->code,
                                               reply->shown);
        ftp_session_fail_closed(s, error, FTP_ERROR_CONNECT, why);
        return FTP_STATE_FAILED;
}

static FtpState tls_refused(FtpSession *s, const FtpReply *reply, GError **error)
{
        if (s->tls_policy != FTP_TLS_REQUIRE) {
                ftp_session_trace(s, "(the server does not offer TLS: going on in plain FTP)");
                return FTP_STATE_READY;
        }
        g_autofree char *why = g_strdup_printf(
                _("TLS is required, but the server refused AUTH TLS (%d %s): nothing else was sent."), reply->code,
                reply->shown);
        ftp_session_fail_closed(s, error, FTP_ERROR_TLS, why);
        return FTP_STATE_FAILED;
}

/* Bytes that came with or right after the 234 were sent in clear: an injection (CVE-2021-22947). */
static gboolean clear_bytes_follow(FtpSession *s)
{
        if (ftp_reply_parser_pending(s->parser) > 0)
                return TRUE;
        return net_wait(net_stream_fd(s->ctrl), POLLIN, g_get_monotonic_time(), -1, NULL);
}

static FtpState on_auth(FtpSession *s, LoginCtx *ctx, const FtpReply *reply, GError **error)
{
        if (reply->code != 234)
                return tls_refused(s, reply, error);
        if (clear_bytes_follow(s)) {
                ftp_session_fail_closed(s, error, FTP_ERROR_TLS,
                                        _("The server sent unencrypted bytes right after accepting TLS (234): "
                                          "someone may be tampering with the connection."));
                return FTP_STATE_FAILED;
        }
        if (!ftp_session_start_tls(s, error))
                return FTP_STATE_FAILED;
        return FTP_STATE_READY;
}

static FtpState login_refused(FtpSession *s, const LoginCtx *ctx, const FtpReply *reply, GError **error)
{
        if (reply->code == 500 && reply->text && g_str_has_prefix(reply->text, "OOPS")) {
                /* vsftpd's fatal configuration error: it hangs up right after */
                g_autofree char *why = g_strdup_printf(_("The server failed while logging in (500 %s)."), reply->shown);
                ftp_session_fail_closed(s, error, FTP_ERROR_LOGIN, why);
                return FTP_STATE_FAILED;
        }
        g_set_error(error, FTP_ERROR, FTP_ERROR_LOGIN,
                    _("Login as “%s” was refused (%d %s): check the user name and password."), ctx->user,
                    reply->code, reply->shown);
        return FTP_STATE_FAILED;
}

static FtpState ask_account(const LoginCtx *ctx, GError **error)
{
        if (ctx->account)
                return FTP_STATE_ACCT;
        g_set_error_literal(error, FTP_ERROR, FTP_ERROR_LOGIN,
                            _("The server asks for an account (ACCT) to log in: give one with the login."));
        return FTP_STATE_FAILED;
}

/* Once logged in: protect the data connections when the control connection is TLS. */
static FtpState after_login(FtpSession *s)
{
        return net_stream_is_tls(s->ctrl) ? FTP_STATE_PBSZ : FTP_STATE_FEAT;
}

static FtpState logged_in(FtpSession *s)
{
        s->logged_in = TRUE;
        return after_login(s);
}

static FtpState on_pbsz(FtpSession *s, LoginCtx *ctx, const FtpReply *reply, GError **error)
{
        return FTP_STATE_PROT; /* PROT P decides; PBSZ 0 is only its required prelude */
}

static FtpState on_prot(FtpSession *s, LoginCtx *ctx, const FtpReply *reply, GError **error)
{
        s->prot_private = ftp_reply_class(reply) == 2;
        if (s->prot_private)
                return FTP_STATE_FEAT;
        if (s->tls_policy == FTP_TLS_REQUIRE) {
                g_autofree char *why = g_strdup_printf(
                        _("TLS is required, but the server refused to encrypt data connections (PROT P: %d %s)."),
                        reply->code, reply->shown);
                ftp_session_fail_closed(s, error, FTP_ERROR_TLS, why);
                return FTP_STATE_FAILED;
        }
        ftp_session_trace(s, "(the server refused PROT P: data connections stay in clear)");
        return FTP_STATE_FEAT;
}

static FtpState on_user(FtpSession *s, LoginCtx *ctx, const FtpReply *reply, GError **error)
{
        if (reply->code == 230 || reply->code == 202)
                return logged_in(s);
        if (reply->code == 331)
                return FTP_STATE_PASS;
        if (reply->code == 332)
                return ask_account(ctx, error);
        return login_refused(s, ctx, reply, error);
}

static FtpState on_pass(FtpSession *s, LoginCtx *ctx, const FtpReply *reply, GError **error)
{
        if (reply->code == 230 || reply->code == 202)
                return logged_in(s);
        if (reply->code == 332)
                return ask_account(ctx, error);
        return login_refused(s, ctx, reply, error);
}

static FtpState on_acct(FtpSession *s, LoginCtx *ctx, const FtpReply *reply, GError **error)
{
        if (ftp_reply_class(reply) == 2)
                return logged_in(s);
        return login_refused(s, ctx, reply, error);
}

static FtpState on_feat(FtpSession *s, LoginCtx *ctx, const FtpReply *reply, GError **error)
{
        g_clear_pointer(&s->features, g_hash_table_unref);
        s->features = reply->code == 211 ? ftp_parse_feat(reply)
                                         : g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        /* RFC 3659: the MLST feature line announces MLSD as well */
        if (g_hash_table_contains(s->features, "MLST") && !g_hash_table_contains(s->features, "MLSD"))
                g_hash_table_insert(s->features, g_strdup("MLSD"), g_strdup(""));
        return ftp_session_has_feature(s, "UTF8") ? FTP_STATE_OPTS_UTF8 : FTP_STATE_PWD;
}

static FtpState on_opts(FtpSession *s, LoginCtx *ctx, const FtpReply *reply, GError **error)
{
        return FTP_STATE_PWD; /* a refusal only means names stay in the server's charset */
}

static FtpState on_pwd(FtpSession *s, LoginCtx *ctx, const FtpReply *reply, GError **error)
{
        g_clear_pointer(&s->cwd, g_free);
        if (reply->code == 257)
                s->cwd = ftp_parse_pwd(reply->text);
        return FTP_STATE_READY;
}

/* Indexed by state: the row for a state is the command it sends and the handler of its reply. */
static const FtpStep login_steps[] = {
        [FTP_STATE_WAIT_GREETING] = { FTP_STATE_WAIT_GREETING, NULL, NULL, on_greeting },
        [FTP_STATE_AUTH_TLS] = { FTP_STATE_AUTH_TLS, "AUTH", arg_tls, on_auth },
        [FTP_STATE_USER] = { FTP_STATE_USER, "USER", arg_user, on_user },
        [FTP_STATE_PASS] = { FTP_STATE_PASS, "PASS", arg_password, on_pass },
        [FTP_STATE_ACCT] = { FTP_STATE_ACCT, "ACCT", arg_account, on_acct },
        [FTP_STATE_PBSZ] = { FTP_STATE_PBSZ, "PBSZ", arg_zero, on_pbsz },
        [FTP_STATE_PROT] = { FTP_STATE_PROT, "PROT", arg_private, on_prot },
        [FTP_STATE_FEAT] = { FTP_STATE_FEAT, "FEAT", NULL, on_feat },
        [FTP_STATE_OPTS_UTF8] = { FTP_STATE_OPTS_UTF8, "OPTS", arg_utf8, on_opts },
        [FTP_STATE_PWD] = { FTP_STATE_PWD, "PWD", NULL, on_pwd },
};

static gboolean run_steps(FtpSession *s, LoginCtx *ctx, FtpState state, GError **error)
{
        while (state != FTP_STATE_READY) {
                const FtpStep *step = &login_steps[state];
                g_autoptr(FtpReply) reply = NULL;
                if (step->verb)
                        reply = ftp_session_exchange_final(s, step->verb, step->arg ? step->arg(ctx) : NULL, error);
                else
                        reply = ftp_session_read_next(s, error);
                if (!reply)
                        return FALSE;
                state = step->on_reply(s, ctx, reply, error);
                if (state == FTP_STATE_FAILED)
                        return FALSE;
        }
        return TRUE;
}

static void connect_failure(GError *net, GError **error)
{
        g_autoptr(GError) owned = net;
        int code = FTP_ERROR_CONNECT;
        if (net->domain == NET_ERROR && net->code == NET_ERROR_TIMEOUT)
                code = FTP_ERROR_TIMEOUT;
        else if (net->domain == NET_ERROR && net->code == NET_ERROR_CANCELLED)
                code = FTP_ERROR_CANCELLED;
        g_set_error_literal(error, FTP_ERROR, code, net->message);
}

gboolean ftp_session_connect(FtpSession *s, const char *host, guint16 port, GError **error)
{
        ftp_session_drop(s);
        g_clear_pointer(&s->peer, tls_peer_info_free);
        if (s->host != host) {
                g_free(s->host);
                s->host = g_strdup(host);
        }
        s->port = port ? port : 21;
        GError *net = NULL;
        int fd = net_connect_tcp(host, s->port, TRUE, net_deadline_in_ms(s->timeouts.connect_ms), s->cancel_fd,
                                 &net);
        if (fd < 0) {
                connect_failure(net, error);
                return FALSE;
        }
        s->ctrl = net_stream_new(fd);
        s->parser = ftp_reply_parser_new();
        ftp_session_trace(s, "(connected to %s port %u)", host, s->port);
        if (s->tls_implicit && !ftp_session_start_tls(s, error))
                return FALSE;
        LoginCtx ctx = { 0 };
        if (run_steps(s, &ctx, FTP_STATE_WAIT_GREETING, error))
                return TRUE;
        ftp_session_drop(s); /* no half-open session after a cancelled or refused greeting */
        return FALSE;
}

gboolean ftp_session_login(FtpSession *s, const char *user, const char *password, const char *account,
                           GError **error)
{
        if (!s->ctrl) {
                g_set_error_literal(error, FTP_ERROR, FTP_ERROR_NOT_CONNECTED, _("Not connected: use `open` first."));
                return FALSE;
        }
        if (ftp_string_has_ctrl(user) || ftp_string_has_ctrl(password) || ftp_string_has_ctrl(account)) {
                g_set_error_literal(error, FTP_ERROR, FTP_ERROR_BAD_ARGUMENT,
                                    _("The user name, password or account holds a line break: nothing was sent."));
                return FALSE;
        }
        if ((s->tls_policy == FTP_TLS_REQUIRE || s->tls_implicit) && !net_stream_is_tls(s->ctrl)) {
                g_set_error_literal(error, FTP_ERROR, FTP_ERROR_TLS,
                                    _("TLS is required, but the connection is not encrypted: the user name and "
                                      "password were not sent."));
                return FALSE;
        }
        if (user != s->user) {
                g_free(s->user);
                s->user = g_strdup(user ? user : "anonymous");
        }
        if (password != s->password) {
                ftp_session_wipe_secret(&s->password);
                s->password = g_strdup(password);
        }
        if (account != s->account) {
                ftp_session_wipe_secret(&s->account);
                s->account = g_strdup(account);
        }
        LoginCtx ctx = { .user = s->user, .password = s->password, .account = s->account };
        if (!run_steps(s, &ctx, s->preauthenticated ? after_login(s) : FTP_STATE_USER, error))
                return FALSE;
        g_clear_pointer(&s->lost, ftp_session_profile_free); /* this login is the one to go back to */
        return TRUE;
}
