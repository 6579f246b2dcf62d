/* core/commands-connection.c — open, user, close, quit, quote: the connection's life.
 * Owns: the login dialogue (netrc first, then the front end's prompts), the TLS set-up of a
 * connection (policy, implicit TLS on port 990, fingerprints allowed from the trust file and
 * --trust-fingerprint, the decision on a certificate that does not verify).
 * Must not: print or read the terminal directly; passwords are never kept in the context. */
#include "common/i18n.h"
#include "core/cmd.h"
#include "core/commands.h"
#include "core/files.h"
#include "core/netrc.h"
#include "core/options.h"
#include "core/safename.h"
#include "core/trust.h"
#include "core/worker.h"
#include <string.h>

typedef struct {
        const char *host;
        guint16 port;
        gboolean implicit_tls;
        FtpTlsPolicy tls_policy;
        int tls_max_version;
        const char *allow[3];      /* fingerprints accepted although they do not verify */
        TlsPeerInfo *refused_cert; /* out: the certificate of an FTP_ERROR_CERTIFICATE */
        gboolean pinned;           /* out: accepted by a fingerprint, not the system's roots */
        char *sha256;              /* out: that fingerprint, when pinned */
        char *security;            /* out: ftp_session_security_summary() */
        const char *user;
        const char *password;
        const char *account;
        const char *command;
        FtpReply *reply;
} ConnJob;

static gboolean connect_job(FtpSession *session, gpointer data, GError **error)
{
        ConnJob *job = data;
        if (ftp_session_is_connected(session))
                ftp_session_quit(session); /* a connection the server already dropped */
        ftp_session_set_tls(session, job->tls_policy, job->implicit_tls);
        ftp_session_set_tls_max_version(session, job->tls_max_version);
        ftp_session_allow_fingerprint(session, NULL);
        for (gsize i = 0; i < G_N_ELEMENTS(job->allow); i++) {
                if (job->allow[i])
                        ftp_session_allow_fingerprint(session, job->allow[i]);
        }
        GError *local = NULL;
        if (!ftp_session_connect(session, job->host, job->port, &local)) {
                if (g_error_matches(local, FTP_ERROR, FTP_ERROR_CERTIFICATE))
                        job->refused_cert = tls_peer_info_copy(ftp_session_peer_certificate(session));
                g_propagate_error(error, local);
                return FALSE;
        }
        const TlsPeerInfo *peer = ftp_session_peer_certificate(session);
        job->pinned = ftp_session_is_tls(session) && peer && !peer->verified;
        g_free(job->sha256);
        job->sha256 = job->pinned ? g_strdup(peer->sha256) : NULL;
        job->security = ftp_session_security_summary(session);
        return TRUE;
}

typedef struct {
        char *summary;
        gboolean encrypted;
} SecurityJob;

static gboolean security_job(FtpSession *session, gpointer data, GError **error)
{
        SecurityJob *out = data;
        if (!ftp_session_is_connected(session))
                return TRUE;
        out->summary = ftp_session_security_summary(session);
        out->encrypted = ftp_session_is_tls(session);
        return TRUE;
}

/* Refreshes ctx->security (what `status` and the status bar show); FALSE when the connection is
 * not encrypted. */
static gboolean refresh_security(CoreContext *ctx)
{
        SecurityJob job = { 0 };
        core_worker_run(ctx->worker, security_job, &job, NULL);
        g_free(ctx->security);
        ctx->security = job.summary;
        return job.encrypted;
}

void core_connection_refresh_security(CoreContext *ctx)
{
        refresh_security(ctx);
}

typedef struct {
        CoreContext *ctx;
        guint tries;
        const char *host;
} EnsureJob;

/* On the worker: the first try at once (the loss is noticed only now), then 1, 2, 4 … s apart. */
static gboolean ensure_job(FtpSession *session, gpointer data, GError **error)
{
        EnsureJob *job = data;
        g_autoptr(GError) why = NULL;
        if (ftp_session_is_logged_in(session) && ftp_session_check_alive(session, &why))
                return TRUE;
        if (!ftp_session_can_reconnect(session))
                return TRUE; /* the command says what is wrong */
        for (guint attempt = 1;; attempt++) {
                guint pause_ms = attempt == 1 ? 0 : core_reconnect_pause_ms(1000, attempt - 2);
                if (why)
                        core_say(job->ctx, CORE_MSG_WARNING, _("Connection lost (%s): reconnecting (%u/%u)."),
                                 why->message, attempt, job->tries);
                else
                        core_say(job->ctx, CORE_MSG_WARNING, _("Connection lost: reconnecting (%u/%u)."), attempt,
                                 job->tries);
                GError *failure = NULL;
                if (ftp_session_pause(session, pause_ms, &failure) && ftp_session_reconnect(session, &failure)) {
                        core_say(job->ctx, CORE_MSG_INFO, _("Reconnected to %s."), job->host);
                        return TRUE;
                }
                if (attempt >= job->tries || !ftp_error_is_transient(failure)) {
                        g_set_error(error, FTP_ERROR, g_error_matches(failure, FTP_ERROR, FTP_ERROR_CANCELLED)
                                                              ? FTP_ERROR_CANCELLED : FTP_ERROR_CLOSED,
                                    _("Could not reconnect to %s (%s). The connection is closed: use `open` to "
                                      "connect again."), job->host, failure->message);
                        g_error_free(failure);
                        return FALSE;
                }
                g_error_free(failure);
        }
}

gboolean core_connection_ensure(CoreContext *ctx, GError **error)
{
        if (!ctx->connected || ctx->reconnect == 0)
                return TRUE;
        EnsureJob job = { .ctx = ctx, .tries = ctx->reconnect, .host = ctx->host ? ctx->host : "?" };
        return core_worker_run(ctx->worker, ensure_job, &job, error);
}

static gboolean login_job(FtpSession *session, gpointer data, GError **error)
{
        ConnJob *job = data;
        return ftp_session_login(session, job->user, job->password, job->account, error);
}

static gboolean quit_job(FtpSession *session, gpointer data, GError **error)
{
        ftp_session_quit(session);
        return TRUE;
}

static gboolean command_job(FtpSession *session, gpointer data, GError **error)
{
        ConnJob *job = data;
        job->reply = ftp_session_command(session, job->command, error);
        return job->reply != NULL;
}

static void wipe(char *secret)
{
        if (secret)
                memset(secret, 0, strlen(secret));
        g_free(secret);
}
typedef char *Secret;
G_DEFINE_AUTO_CLEANUP_FREE_FUNC(Secret, wipe, NULL)

static gboolean cancelled(GError **error)
{
        g_set_error_literal(error, CORE_CMD_ERROR, CORE_CMD_ERROR_FAILED,
                            _("Login cancelled: use `user <name>` to log in."));
        return FALSE;
}

static char *ask(CoreContext *ctx, const char *label, gboolean secret)
{
        if (!ctx->fe.prompt)
                return NULL;
        return ctx->fe.prompt(label, secret, ctx->fe.data);
}

/* The netrc entry for this host (and user, when given), or NULL. Warns about a refused password. */
static CoreNetrc *netrc_for(CoreContext *ctx, const char *host, const char *user,
                            const CoreNetrcEntry **entry)
{
        g_autoptr(GError) error = NULL;
        CoreNetrc *netrc = core_netrc_load(NULL, &error);
        *entry = NULL;
        if (!netrc) {
                core_say(ctx, CORE_MSG_WARNING, _("~/.netrc ignored: %s"), error->message);
                return NULL;
        }
        *entry = core_netrc_find(netrc, host, user);
        if (*entry && (*entry)->password_refused)
                core_say(ctx, CORE_MSG_WARNING,
                         _("The password in ~/.netrc is not used: the file is readable by others "
                           "(chmod 600 ~/.netrc)."));
        return netrc;
}

static gboolean login(CoreContext *ctx, const char *user, const char *password, GError **error)
{
        const CoreNetrcEntry *entry = NULL;
        g_autoptr(CoreNetrc) netrc = password ? NULL : netrc_for(ctx, ctx->host, user, &entry);
        g_auto(Secret) typed_user = NULL;
        g_auto(Secret) typed_password = NULL;
        if (!user && entry && entry->login)
                user = entry->login;
        if (!user) {
                typed_user = ask(ctx, _("Username:"), FALSE);
                if (!typed_user || !*typed_user)
                        return cancelled(error);
                user = typed_user;
        }
        if (!password && entry && entry->password && entry->login && g_str_equal(entry->login, user))
                password = entry->password;
        if (!password) {
                typed_password = ask(ctx, _("Password:"), TRUE);
                if (!typed_password)
                        return cancelled(error);
                password = typed_password;
        }
        ConnJob job = { .user = user, .password = password, .account = entry ? entry->account : NULL };
        g_clear_pointer(&ctx->user, g_free);
        if (!core_worker_run(ctx->worker, login_job, &job, error))
                return FALSE;
        ctx->user = g_strdup(user);
        g_free(ctx->last_user);
        ctx->last_user = g_strdup(user);
        g_autofree char *shown = core_name_escape(user);
        core_say(ctx, CORE_MSG_INFO, _("Logged in as %s."), shown);
        if (!refresh_security(ctx) && ctx->security)
                core_say(ctx, CORE_MSG_WARNING, _("Not encrypted: %s."), ctx->security);
        return TRUE;
}

static void forget_job(ConnJob *job)
{
        g_clear_pointer(&job->refused_cert, tls_peer_info_free);
        g_clear_pointer(&job->security, g_free);
        g_clear_pointer(&job->sha256, g_free);
}

/* Connects; a certificate that does not verify goes to core_trust_decide, and once more with its
 * fingerprint allowed when the user trusts it. A saved site's fingerprint (`pinned`) is allowed
 * too. *trusted_now: the fingerprint the user or --trust-fingerprint accepted on this connect. */
static gboolean connect_trusting(CoreContext *ctx, ConnJob *job, const char *pinned, char **trusted_now,
                                 GError **error)
{
        g_autofree char *stored = core_trust_lookup_session(ctx, job->host, job->port);
        g_autofree char *given = tls_fingerprint_normalise(ctx->trust_fingerprint);
        job->allow[0] = stored;
        job->allow[1] = given;
        job->allow[2] = pinned;
        g_autoptr(GError) local = NULL;
        if (core_worker_run(ctx->worker, connect_job, job, &local)) {
                if (!job->pinned || !given || g_strcmp0(job->sha256, given) != 0)
                        return TRUE; /* verified, or let in by the trust file or the site's pin */
                *trusted_now = g_strdup(given);
                return g_strcmp0(stored, given) == 0 || core_trust_store(job->host, job->port, given, error);
        }
        if (!job->refused_cert) {
                g_propagate_error(error, g_steal_pointer(&local));
                return FALSE;
        }
        g_autoptr(TlsPeerInfo) cert = g_steal_pointer(&job->refused_cert);
        if (!core_trust_decide_pinned(ctx, job->host, job->port, cert, ctx->ask_certificates, pinned, error))
                return FALSE;
        g_autofree char *kept = core_trust_lookup(job->host, job->port);
        if (g_strcmp0(kept, cert->sha256) == 0) /* not one trusted for this session only */
                *trusted_now = g_strdup(cert->sha256);
        job->allow[0] = cert->sha256;
        job->allow[1] = NULL;
        job->allow[2] = NULL;
        return core_worker_run(ctx->worker, connect_job, job, error);
}

gboolean core_connect_tls(CoreContext *ctx, const char *host, guint16 port, gboolean implicit_tls,
                          const char *user, const char *password, GError **error)
{
        CoreConnectSpec spec = { .host = host, .port = port, .implicit_tls = implicit_tls,
                                 .tls_policy = ctx->tls_policy, .user = user, .password = password };
        gboolean ok = core_connect_spec(ctx, &spec, error);
        g_free(spec.trusted_now);
        return ok;
}

gboolean core_connect_spec(CoreContext *ctx, CoreConnectSpec *spec, GError **error)
{
        if (!core_apply_settings(ctx, error))
                return FALSE;
        const char *host = spec->host;
        guint16 port = spec->port;
        ConnJob job = { .host = host, .port = port, .implicit_tls = spec->implicit_tls || port == 990,
                        .tls_policy = spec->tls_policy, .tls_max_version = ctx->tls_max_version };
        gboolean ok = connect_trusting(ctx, &job, spec->pinned, &spec->trusted_now, error);
        if (!ok) {
                forget_job(&job);
                return FALSE;
        }
        core_context_set_disconnected(ctx);
        g_clear_pointer(&ctx->last_site, g_free); /* a site's opener sets it again */
        ctx->connected = TRUE;
        ctx->host = g_strdup(host);
        ctx->port = port;
        if (g_strcmp0(ctx->last_host, host) != 0 || ctx->last_port != port)
                g_clear_pointer(&ctx->last_user, g_free); /* another server: another login */
        g_free(ctx->last_host);
        ctx->last_host = g_strdup(host);
        ctx->last_port = port;
        ctx->last_implicit_tls = job.implicit_tls;
        ctx->security = g_steal_pointer(&job.security);
        ctx->pinned_fingerprint = g_steal_pointer(&job.sha256);
        ctx->implicit_tls = job.implicit_tls;
        forget_job(&job);
        g_autofree char *shown = core_name_escape(host);
        g_autofree char *how = core_name_escape(ctx->security ? ctx->security : "");
        core_say(ctx, CORE_MSG_INFO, _("Connected to %s (%s)."), shown, how);
        return login(ctx, spec->user, spec->password, error);
}

gboolean core_connect(CoreContext *ctx, const char *host, guint16 port, const char *user,
                      const char *password, GError **error)
{
        return core_connect_tls(ctx, host, port, FALSE, user, password, error);
}

static gboolean parse_port(const char *text, guint16 *port, GError **error)
{
        guint64 value = 0;
        if (g_ascii_string_to_unsigned(text, 10, 1, 65535, &value, NULL)) {
                *port = (guint16)value;
                return TRUE;
        }
        g_autofree char *shown = core_name_escape(text);
        g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_USAGE,
                    _("\"%s\" is not a port number (1 to 65535). Usage: open <host> [port]"), shown);
        return FALSE;
}

gboolean core_connect_url(CoreContext *ctx, const CoreUrl *url, GError **error)
{
        if (!core_connect_tls(ctx, url->host, url->port, url->implicit_tls, url->user, url->password, error))
                return FALSE;
        return !url->path || core_remote_cd(ctx, url->path, error);
}

/* `open ftp://user:pass@host:port/dir` (or ftps://): the same URL the command line takes. */
static gboolean open_url(CoreContext *ctx, int argc, char **argv, GError **error)
{
        if (argc > 2) {
                g_set_error_literal(error, CORE_CMD_ERROR, CORE_CMD_ERROR_USAGE,
                                    _("A URL carries its own port: open ftp://host:port/ takes no second argument."));
                return FALSE;
        }
        g_autoptr(CoreUrl) url = core_url_parse(argv[1], error);
        return url && core_connect_url(ctx, url, error);
}

/* `open` alone: the server of the last connection, as the user it logged in as (the password
 * is asked again, or taken from ~/.netrc). */
static gboolean reopen(CoreContext *ctx, GError **error)
{
        if (!ctx->last_host) {
                g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_USAGE,
                            _("No server was opened yet. Usage: %s"), "open <host> [port] | open <URL>");
                return FALSE;
        }
        gboolean found = FALSE;
        g_autofree char *site = g_strdup(ctx->last_site);
        if (site && (!core_site_open(ctx, site, &found, error) || found))
                return found;
        g_autofree char *host = g_strdup(ctx->last_host);
        g_autofree char *user = g_strdup(ctx->last_user);
        return core_connect_tls(ctx, host, ctx->last_port, ctx->last_implicit_tls, user, NULL, error);
}

CORE_CMD_HANDLER(core_cmd_open)
{
        if (ctx->connected) {
                g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_FAILED,
                            _("Already connected to %s: use `close` first."), ctx->host);
                return FALSE;
        }
        if (argc == 1)
                return reopen(ctx, error);
        if (strstr(argv[1], "://"))
                return open_url(ctx, argc, argv, error);
        gboolean found = FALSE;
        if (argc == 2 && !core_site_open(ctx, argv[1], &found, error))
                return FALSE;
        if (found)
                return TRUE;
        guint16 port = 21;
        if (argc > 2 && !parse_port(argv[2], &port, error))
                return FALSE;
        return core_connect(ctx, argv[1], port, NULL, NULL, error);
}

CORE_CMD_HANDLER(core_cmd_user)
{
        return login(ctx, argv[1], argc > 2 ? argv[2] : NULL, error);
}

static void disconnect(CoreContext *ctx)
{
        g_autofree char *host = g_strdup(ctx->host);
        core_worker_run(ctx->worker, quit_job, NULL, NULL); /* QUIT cannot fail: it closes */
        core_context_set_disconnected(ctx);
        core_say(ctx, CORE_MSG_INFO, _("Connection to %s closed."), host ? host : "");
}

CORE_CMD_HANDLER(core_cmd_close)
{
        disconnect(ctx);
        return TRUE;
}

CORE_CMD_HANDLER(core_cmd_quit)
{
        if (ctx->connected)
                disconnect(ctx);
        ctx->quit_requested = TRUE;
        return TRUE;
}

static void show_reply(CoreContext *ctx, const FtpReply *reply, CoreMsgKind kind)
{
        g_autoptr(GString) out = g_string_new(NULL);
        for (guint i = 0; i < reply->lines->len; i++) {
                g_autofree char *line = core_name_escape(reply->lines->pdata[i]);
                g_string_append_printf(out, "%s%s", i ? "\n" : "", line);
        }
        core_say(ctx, kind, "%s", out->str);
}

/* Commands that open a data connection or change its set-up: their replies would leave the
 * session waiting for data that no one reads. */
static gboolean is_data_command(const char *verb)
{
        static const char *const verbs[] = {
                "RETR", "STOR", "STOU", "APPE", "LIST", "NLST", "MLSD", "PASV", "EPSV", "PORT", "EPRT",
                "REST", "AUTH", "PBSZ", "PROT", "REIN",
        };
        for (gsize i = 0; i < G_N_ELEMENTS(verbs); i++) {
                if (g_ascii_strcasecmp(verb, verbs[i]) == 0)
                        return TRUE;
        }
        return FALSE;
}

CORE_CMD_HANDLER(core_cmd_quote)
{
        if (is_data_command(argv[1])) {
                g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_USAGE,
                            _("`quote %s` is not allowed: it needs a data connection or changes the "
                              "session's set-up. Use ls, get, put, passive or the other commands."),
                            argv[1]);
                return FALSE;
        }
        g_autofree char *command = g_strjoinv(" ", argv + 1);
        ConnJob job = { .command = command };
        if (!core_worker_run(ctx->worker, command_job, &job, error))
                return FALSE;
        g_autoptr(FtpReply) reply = job.reply;
        if (reply->code < 400) {
                show_reply(ctx, reply, CORE_MSG_OUTPUT);
                return TRUE;
        }
        g_autofree char *text = ftp_reply_joined_text(reply);
        g_autofree char *shown = core_name_escape(text);
        g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_FAILED, _("The server refused it: %d %s"),
                    reply->code, shown);
        return FALSE;
}

typedef struct {
        char *dir;
        char *pinned;
} WhereJob;

static gboolean where_job(FtpSession *session, gpointer data, GError **error)
{
        WhereJob *job = data;
        const char *known = ftp_session_cwd(session);
        job->dir = known ? g_strdup(known) : ftp_session_pwd(session, error);
        if (!job->dir)
                return FALSE;
        const TlsPeerInfo *peer = ftp_session_peer_certificate(session);
        if (ftp_session_is_tls(session) && peer && !peer->verified)
                job->pinned = g_strdup(peer->sha256);
        return TRUE;
}

gboolean core_connection_where(CoreContext *ctx, char **remote_dir, char **pinned, GError **error)
{
        WhereJob job = { 0 };
        if (!core_worker_run(ctx->worker, where_job, &job, error)) {
                g_free(job.dir);
                g_free(job.pinned);
                return FALSE;
        }
        *remote_dir = job.dir;
        *pinned = job.pinned;
        return TRUE;
}
