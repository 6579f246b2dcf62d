/* ftp/session-login.c — connect, greeting and login as a table of states: each state sends one
 * command and judges one complete reply (120 then 220, 230 at greeting, USER, PASS, ACCT when
 * asked, FEAT, OPTS UTF8 ON when offered, PWD). Must not: read or write the socket itself (the
 * exchange in session.c does, with its 421/EOF/timeout handling), print or prompt. */
#include "config.h"
#include "ftp/session-private.h"
#include "ftp/parse.h"
#include "common/i18n.h"

#define MAX_GREETINGS 3 /* "120 ready in N minutes" replies tolerated before the 220 */

/* ---- connect and login: a table of states, each sends one command and judges one reply ---- */

typedef enum {
        FTP_STATE_WAIT_GREETING,
        FTP_STATE_USER,
        FTP_STATE_PASS,
        FTP_STATE_ACCT,
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

static FtpState on_greeting(FtpSession *s, LoginCtx *ctx, const FtpReply *reply, GError **error)
{
        if (reply->code == 120 && ++ctx->greetings <= MAX_GREETINGS)
                return FTP_STATE_WAIT_GREETING; /* "ready in N minutes": wait for the 220 */
        if (reply->code == 220)
                return FTP_STATE_READY;
        if (reply->code == 230) {
                s->preauthenticated = TRUE;
                s->logged_in = TRUE;
                return FTP_STATE_READY;
        }
        g_autofree char *why = g_strdup_printf(_("The server refused the session (%d %s)."), reply->code,
                                               reply->text ? reply->text : "");
        ftp_session_fail_closed(s, error, FTP_ERROR_CONNECT, why);
        return FTP_STATE_FAILED;
}

static FtpState login_refused(FtpSession *s, const LoginCtx *ctx, const FtpReply *reply, GError **error)
{
        if (reply->code == 500 && reply->text && g_str_has_prefix(reply->text, "OOPS")) {
                /* vsftpd's fatal configuration error: it hangs up right after */
                g_autofree char *why = g_strdup_printf(_("The server failed while logging in (500 %s)."), reply->text);
                ftp_session_fail_closed(s, error, FTP_ERROR_LOGIN, why);
                return FTP_STATE_FAILED;
        }
        g_set_error(error, FTP_ERROR, FTP_ERROR_LOGIN,
                    _("Login as “%s” was refused (%d %s): check the user name and password."), ctx->user,
                    reply->code, reply->text ? reply->text : "");
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

static FtpState logged_in(FtpSession *s)
{
        s->logged_in = TRUE;
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
        [FTP_STATE_USER] = { FTP_STATE_USER, "USER", arg_user, on_user },
        [FTP_STATE_PASS] = { FTP_STATE_PASS, "PASS", arg_password, on_pass },
        [FTP_STATE_ACCT] = { FTP_STATE_ACCT, "ACCT", arg_account, on_acct },
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
        g_free(s->host);
        s->host = g_strdup(host);
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
        g_free(s->user);
        s->user = g_strdup(user ? user : "anonymous");
        LoginCtx ctx = { .user = s->user, .password = password, .account = account };
        return run_steps(s, &ctx, s->preauthenticated ? FTP_STATE_FEAT : FTP_STATE_USER, error);
}
