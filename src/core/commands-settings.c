/* core/commands-settings.c — the commands that change or show settings: ascii, binary, prompt,
 * passive, parallel, reconnect, set (the speed limits), verbose, status, help.
 * Must not: print directly (ctx->fe shows everything) or keep state outside the context. */
#include "common/i18n.h"
#include "core/cmd.h"
#include "core/commands.h"
#include "core/rate.h"
#include "core/safename.h"
#include "core/worker.h"
#include "core/verdict.h"

static void trace_line(const char *line, gpointer data)
{
        CoreContext *ctx = data;
        core_say(ctx, CORE_MSG_INFO, "%s", line);
}

static gboolean apply_job(FtpSession *session, gpointer data, GError **error)
{
        CoreContext *ctx = data;
        ftp_session_set_passive(session, ctx->passive);
        ftp_session_set_type(session, ctx->type);
        ftp_session_set_trust_pasv_address(session, ctx->trust_pasv_address);
        ftp_session_set_timeouts(session, &ctx->timeouts);
        if (ctx->verbose)
                ftp_session_set_trace(session, trace_line, ctx);
        else
                ftp_session_set_trace(session, NULL, NULL);
        return TRUE;
}

gboolean core_apply_settings(CoreContext *ctx, GError **error)
{
        return core_worker_run(ctx->worker, apply_job, ctx, error);
}

/* A toggle: no argument flips it, on/off sets it. */
static gboolean toggle(gboolean *setting, int argc, char **argv, const char *usage, GError **error)
{
        if (argc < 2) {
                *setting = !*setting;
                return TRUE;
        }
        if (core_cmd_parse_switch(argv[1], setting))
                return TRUE;
        g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_USAGE, _("Usage: %s"), usage);
        return FALSE;
}

static const char *on_off(gboolean value)
{
        return value ? _("on") : _("off");
}

static gboolean set_type(CoreContext *ctx, FtpType type, GError **error)
{
        ctx->type = type;
        if (!core_apply_settings(ctx, error))
                return FALSE;
        core_say(ctx, CORE_MSG_INFO, type == FTP_TYPE_ASCII
                 ? _("Transfer type: ascii (text: line ends are converted).")
                 : _("Transfer type: binary (files are sent byte for byte)."));
        return TRUE;
}

CORE_CMD_HANDLER(core_cmd_ascii)
{
        return set_type(ctx, FTP_TYPE_ASCII, error);
}

CORE_CMD_HANDLER(core_cmd_binary)
{
        return set_type(ctx, FTP_TYPE_BINARY, error);
}

CORE_CMD_HANDLER(core_cmd_prompt)
{
        if (!toggle(&ctx->prompt, argc, argv, "prompt [on|off]", error))
                return FALSE;
        core_say(ctx, CORE_MSG_INFO, _("Interactive mode %s."), on_off(ctx->prompt));
        return TRUE;
}

CORE_CMD_HANDLER(core_cmd_passive)
{
        if (!toggle(&ctx->passive, argc, argv, "passive [on|off]", error))
                return FALSE;
        if (!core_apply_settings(ctx, error))
                return FALSE;
        core_say(ctx, CORE_MSG_INFO, _("Passive mode %s."), on_off(ctx->passive));
        return TRUE;
}

CORE_CMD_HANDLER(core_cmd_temp_upload)
{
        if (!toggle(&ctx->temp_upload, argc, argv, "temp-upload [on|off]", error))
                return FALSE;
        core_say(ctx, CORE_MSG_INFO, ctx->temp_upload
                 ? _("Uploads go to a temporary name and are renamed onto theirs once stored and checked.")
                 : _("Uploads are written under their own names."));
        return TRUE;
}

/* `NAME [N]`: sets *value to N (from min to max) when given; FALSE with the usage otherwise. */
static gboolean set_count(int argc, char **argv, guint min, guint max, guint *value, const char *usage,
                          GError **error)
{
        guint64 n = 0;
        if (argc < 2)
                return TRUE;
        if (!g_ascii_string_to_unsigned(argv[1], 10, min, max, &n, NULL)) {
                g_set_error_literal(error, CORE_CMD_ERROR, CORE_CMD_ERROR_USAGE, usage);
                return FALSE;
        }
        *value = (guint)n;
        return TRUE;
}

CORE_CMD_HANDLER(core_cmd_parallel)
{
        g_autofree char *usage = g_strdup_printf(_("Usage: parallel [N] (N: connections from 1 to %d)"),
                                                 CORE_PARALLEL_MAX);
        if (!set_count(argc, argv, 1, CORE_PARALLEL_MAX, &ctx->parallel, usage, error))
                return FALSE;
        core_say(ctx, CORE_MSG_INFO,
                 ngettext("Batches of transfers use up to %u connection.",
                          "Batches of transfers use up to %u connections.", ctx->parallel),
                 ctx->parallel);
        return TRUE;
}

CORE_CMD_HANDLER(core_cmd_reconnect)
{
        g_autofree char *usage = g_strdup_printf(_("Usage: reconnect [N] (N: tries from 0 to %d)"),
                                                 CORE_RECONNECT_MAX);
        if (!set_count(argc, argv, 0, CORE_RECONNECT_MAX, &ctx->reconnect, usage, error))
                return FALSE;
        if (ctx->reconnect == 0)
                core_say(ctx, CORE_MSG_INFO, "%s", _("A connection lost during transfers ends the batch."));
        else
                core_say(ctx, CORE_MSG_INFO,
                         ngettext("A connection lost during transfers is reconnected up to %u time.",
                                  "A connection lost during transfers is reconnected up to %u times.", ctx->reconnect),
                         ctx->reconnect);
        return TRUE;
}

CORE_CMD_HANDLER(core_cmd_verbose)
{
        if (!toggle(&ctx->verbose, argc, argv, "verbose [on|off]", error))
                return FALSE;
        if (!core_apply_settings(ctx, error))
                return FALSE;
        core_say(ctx, CORE_MSG_INFO, _("Verbose mode %s."), on_off(ctx->verbose));
        return TRUE;
}

typedef struct {
        char *cwd;
        char *verify;   /* how uploads are checked on this server */
} SessionFacts;

static gboolean facts_job(FtpSession *session, gpointer data, GError **error)
{
        SessionFacts *out = data;
        out->cwd = g_strdup(ftp_session_cwd(session));
        FtpDigestMethod method = ftp_session_digest_method(session);
        if (method.algo != FTP_DIGEST_NONE)
                out->verify = ftp_digest_method_name(method);
        else
                out->verify = g_strdup(ftp_session_has_feature(session, "SIZE") ? "SIZE" : "none");
        return TRUE;
}

static void status_connection(CoreContext *ctx, GString *out)
{
        if (!ctx->connected) {
                g_string_append_printf(out, "%s\n", _("Not connected."));
                return;
        }
        g_string_append_printf(out, _("Connected to %s, port %u.\n"), ctx->host, ctx->port);
        if (ctx->site) {
                g_autofree char *site = core_name_escape(ctx->site);
                g_string_append_printf(out, _("Site: %s\n"), site);
        }
        if (ctx->user)
                g_string_append_printf(out, _("Logged in as %s.\n"), ctx->user);
        else
                g_string_append_printf(out, "%s\n", _("Not logged in: use `user <name>`."));
        /* the server's words (its directory, its certificate's subject) are escaped here: the full
         * screen draws what it is given */
        SessionFacts facts = { 0 };
        if (core_worker_run(ctx->worker, facts_job, &facts, NULL) && facts.cwd) {
                g_autofree char *shown = core_name_escape(facts.cwd);
                g_string_append_printf(out, _("Remote directory: %s\n"), shown);
        }
        if (facts.verify)
                g_string_append_printf(out, _("Uploads checked on the server by: %s\n"), facts.verify);
        g_free(facts.cwd);
        g_free(facts.verify);
        core_connection_refresh_security(ctx);
        g_autofree char *security = ctx->security ? core_name_escape(ctx->security) : g_strdup(_("unknown"));
        g_string_append_printf(out, _("Security: %s\n"), security);
}

/* `set`: the speed limits, shown or changed ("set limit-rate 500K", "set limit-total off"). */
/* set scanner-wait SECONDS */
static gboolean set_scanner_wait(CoreContext *ctx, const char *text, GError **error)
{
        guint64 seconds = 0;
        if (!g_ascii_string_to_unsigned(text, 10, 0, CORE_SCANNER_WAIT_MAX_S, &seconds, NULL)) {
                g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_USAGE,
                            _("scanner-wait must be a number of seconds from 0 to %d."), CORE_SCANNER_WAIT_MAX_S);
                return FALSE;
        }
        core_context_set_scanner_wait(ctx, (int)seconds * 1000);
        core_say(ctx, CORE_MSG_INFO, _("A scanner that gives no verdict is waited for up to %u s before a file is "
                                       "refused."), (guint)seconds);
        return TRUE;
}

CORE_CMD_HANDLER(core_cmd_set)
{
        guint64 per, total;
        core_rate_get(ctx, &per, &total);
        if (argc == 1) {
                g_autofree char *per_text = core_rate_text(per);
                g_autofree char *total_text = core_rate_text(total);
                core_say(ctx, CORE_MSG_OUTPUT, "limit-rate %s\nlimit-total %s\nscanner-wait %d", per_text, total_text,
                         ctx->scanner_wait_ms / 1000);
                return TRUE;
        }
        if (argc == 3 && g_str_equal(argv[1], "scanner-wait"))
                return set_scanner_wait(ctx, argv[2], error);
        gboolean is_per = g_str_equal(argv[1], "limit-rate");
        if ((!is_per && !g_str_equal(argv[1], "limit-total")) || argc != 3) {
                g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_USAGE,
                            _("Usage: set [limit-rate RATE | limit-total RATE | scanner-wait SECONDS] (RATE: bytes "
                              "per second, as 500K or 2M; 0 or off for none). The other settings have commands of "
                              "their own: parallel, reconnect, temp-upload, prompt, passive."));
                return FALSE;
        }
        guint64 rate;
        if (!core_rate_parse(argv[2], argv[1], &rate, error))
                return FALSE;
        core_rate_set(ctx, is_per ? rate : per, is_per ? total : rate);
        g_autofree char *text = core_rate_text(rate);
        core_say(ctx, CORE_MSG_INFO, is_per ? _("Each transfer's speed limit: %s.") : _("Speed limit of all transfers together: %s."),
                 text);
        return TRUE;
}

/* Each member of the scanner pool, asked now: its state and last answer; and the wait. */
static void status_scanners(CoreContext *ctx, GString *out)
{
        if (!ctx->scanner)
                return;
        (void)scan_client_ping(ctx->scanner, NULL);
        g_autoptr(GPtrArray) members = scan_client_members(ctx->scanner);
        for (guint i = 0; i < members->len; i++) {
                const ScanMember *member = members->pdata[i];
                g_autofree char *address = core_name_escape(member->address);
                g_autofree char *answer = member->answer ? core_name_escape(member->answer) : NULL;
                g_string_append_printf(out, _("  scanner %s: %s, %" G_GUINT64_FORMAT " scanned (last answer: %s)\n"),
                                       address, scan_member_state_text(member->state), member->scans,
                                       answer ? answer : _("none yet"));
        }
        g_string_append_printf(out, _("Scanner wait: up to %d s for a scanner that gives no verdict\n"),
                               ctx->scanner_wait_ms / 1000);
}

CORE_CMD_HANDLER(core_cmd_status)
{
        g_autoptr(GString) out = g_string_new(NULL);
        status_connection(ctx, out);
        g_string_append_printf(out, _("Transfer type: %s\n"),
                               ctx->type == FTP_TYPE_ASCII ? "ascii" : "binary");
        g_string_append_printf(out, _("Mode: %s\n"), ctx->passive ? _("passive") : _("active"));
        g_string_append_printf(out, _("TLS policy: %s\n"), ctx->tls_policy == FTP_TLS_REQUIRE ? "require"
                                                           : ctx->tls_policy == FTP_TLS_OFF ? "off" : "auto");
        g_string_append_printf(out, _("Parallel connections: up to %u\n"), ctx->parallel);
        if (ctx->reconnect > 0)
                g_string_append_printf(out, _("Reconnect: up to %u tries\n"), ctx->reconnect);
        else
                g_string_append_printf(out, "%s\n", _("Reconnect: off"));
        g_string_append_printf(out, _("Prompting: %s\n"), on_off(ctx->prompt));
        g_string_append_printf(out, _("Temporary names for uploads: %s\n"), on_off(ctx->temp_upload));
        g_autofree char *limits = core_rate_summary(ctx);
        g_string_append_printf(out, _("Speed limits: %s\n"), limits ? limits : _("none"));
        g_string_append_printf(out, _("Verbose: %s\n"), on_off(ctx->verbose));
        g_autofree char *answer = ctx->last_verdict ? core_verdict_status_text(ctx->last_verdict) : NULL;
        g_string_append_printf(out, _("Scanner: %s (last answer: %s)\n"), ctx->scanner_address,
                               answer ? answer : _("none yet"));
        status_scanners(ctx, out);
        g_string_append_printf(out, _("Audit log: %s"),
                               ctx->audit ? scan_audit_path(ctx->audit) : _("not open"));
        core_say(ctx, CORE_MSG_OUTPUT, "%s", out->str);
        return TRUE;
}

CORE_CMD_HANDLER(core_cmd_help)
{
        g_autofree char *text = NULL;
        if (argc > 1) {
                const CoreCmd *cmd = core_cmd_lookup(argv[1], error);
                if (!cmd)
                        return FALSE;
                text = core_cmd_help_text(cmd);
        } else {
                text = core_cmd_help_list(FALSE);
        }
        core_say(ctx, CORE_MSG_OUTPUT, "%s", text);
        return TRUE;
}
