/* core/context.c — the state every command shares, and the helpers that report through the
 * front end. Owns: defaults, the scanner client and audit log, the exit status.
 * Must not: print or read the terminal; every message goes through ctx->fe. */
#include "common/i18n.h"
#include "core/context.h"
#include "core/journal.h"
#include "core/trust.h"
#include "core/worker.h"
#include <stdarg.h>

#define DEFAULT_CONNECT_MS 15000
#define DEFAULT_REPLY_MS   60000
#define DEFAULT_DATA_MS    120000

CoreContext *core_context_new(const CoreFrontend *fe)
{
        CoreContext *ctx = g_new0(CoreContext, 1);

        if (fe)
                ctx->fe = *fe;
        ctx->limits = ftp_rate_limits_new();
        ctx->worker = core_worker_new(ctx->limits);
        ctx->prompt = TRUE;
        ctx->passive = TRUE;
        ctx->parallel = CORE_PARALLEL_DEFAULT;
        ctx->reconnect = CORE_RECONNECT_DEFAULT;
        ctx->type = FTP_TYPE_BINARY;
        ctx->timeouts.connect_ms = DEFAULT_CONNECT_MS;
        ctx->timeouts.reply_ms = DEFAULT_REPLY_MS;
        ctx->timeouts.data_ms = DEFAULT_DATA_MS;
        ctx->scanner_address = g_strdup(CORE_DEFAULT_SCANNER);
        ctx->trusted_once = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        /* Parsing the default address cannot fail; the scanner is contacted per file. */
        ctx->scanner = scan_client_new(ctx->scanner_address, NULL);
        ctx->scanner_wait_ms = CORE_SCANNER_WAIT_DEFAULT_S * 1000;
        scan_client_set_wait_ms(ctx->scanner, ctx->scanner_wait_ms);
        return ctx;
}

void core_context_free(CoreContext *ctx)
{
        if (!ctx)
                return;
        /* The worker goes first: it may still report through the front end while it quits. */
        g_clear_pointer(&ctx->worker, core_worker_free);
        g_clear_pointer(&ctx->limits, ftp_rate_limits_unref);
        g_clear_pointer(&ctx->scanner, scan_client_free);
        g_clear_pointer(&ctx->audit, scan_audit_close);
        g_free(ctx->host);
        g_free(ctx->user);
        g_free(ctx->last_host);
        g_free(ctx->last_user);
        g_free(ctx->site);
        g_free(ctx->last_site);
        g_free(ctx->scanner_address);
        core_verdict_free(ctx->last_verdict);
        g_free(ctx->tmpdir);
        g_free(ctx->trust_fingerprint);
        g_hash_table_unref(ctx->trusted_once);
        g_free(ctx->security);
        g_free(ctx->pinned_fingerprint);
        g_clear_pointer(&ctx->journal, core_journal_close);
        g_free(ctx);
}

gboolean core_context_set_scanner(CoreContext *ctx, const char *address, int timeout_ms, GError **error)
{
        g_return_val_if_fail(address != NULL, FALSE);

        ScanClient *client = scan_client_new(address, error);
        if (!client)
                return FALSE;
        if (timeout_ms > 0)
                scan_client_set_timeout_ms(client, timeout_ms);
        scan_client_set_trust_lookup(client, core_trust_lookup); /* icaps:, tls: as FTPS certificates */
        scan_client_set_wait_ms(client, ctx->scanner_wait_ms);
        g_clear_pointer(&ctx->scanner, scan_client_free);
        ctx->scanner = client;
        g_free(ctx->scanner_address);
        ctx->scanner_address = g_strdup(scan_client_address(client));
        return TRUE;
}

void core_context_set_scanner_wait(CoreContext *ctx, int wait_ms)
{
        ctx->scanner_wait_ms = MAX(wait_ms, 0);
        if (ctx->scanner)
                scan_client_set_wait_ms(ctx->scanner, ctx->scanner_wait_ms);
}

const char *core_verdict_scanner(const CoreContext *ctx, const ScanVerdict *verdict)
{
        return verdict && verdict->scanner ? verdict->scanner : ctx->scanner_address;
}

const char *core_verdict_judge(const CoreContext *ctx, const ScanVerdict *verdict)
{
        if (!verdict || !ctx->scanner || scan_client_member_count(ctx->scanner) < 2)
                return NULL;
        return verdict->scanner;
}

gboolean core_context_open_audit(CoreContext *ctx, const char *path, GError **error)
{
        ScanAudit *audit = scan_audit_open(path, error);
        if (!audit)
                return FALSE;
        g_clear_pointer(&ctx->audit, scan_audit_close);
        ctx->audit = audit;
        return TRUE;
}

void core_context_set_disconnected(CoreContext *ctx)
{
        ctx->connected = FALSE;
        g_clear_pointer(&ctx->host, g_free);
        g_clear_pointer(&ctx->user, g_free);
        g_clear_pointer(&ctx->site, g_free);
        g_clear_pointer(&ctx->security, g_free);
        g_clear_pointer(&ctx->pinned_fingerprint, g_free);
        ctx->implicit_tls = FALSE;
        ctx->port = 0;
}

void core_context_set_last_verdict(CoreContext *ctx, const CoreVerdict *verdict)
{
        CoreVerdict *copy = core_verdict_copy(verdict); /* first: verdict may be the one replaced */
        core_verdict_free(ctx->last_verdict);
        ctx->last_verdict = copy;
        ctx->verdicts++;
}

void core_say(CoreContext *ctx, CoreMsgKind kind, const char *format, ...)
{
        if (!ctx->fe.message)
                return;
        va_list ap;
        va_start(ap, format);
        g_autofree char *text = g_strdup_vprintf(format, ap);
        va_end(ap);
        ctx->fe.message(kind, text, ctx->fe.data);
}

void core_fail(CoreContext *ctx, const GError *error)
{
        ctx->any_failed = TRUE;
        g_atomic_int_inc(&ctx->failures);
        if (error && error->domain == FTP_ERROR &&
            (error->code == FTP_ERROR_CLOSED || error->code == FTP_ERROR_NOT_CONNECTED))
                core_context_set_disconnected(ctx);
        if (!ctx->fe.message)
                return;
        ctx->fe.message(CORE_MSG_ERROR, error ? error->message : _("The command failed."), ctx->fe.data);
}

void core_refused(CoreContext *ctx)
{
        ctx->any_refused = TRUE;
}

char *core_frontend_edit(CoreContext *ctx, const char *label, const char *initial)
{
        if (ctx->fe.edit)
                return ctx->fe.edit(label, initial, ctx->fe.choose_data);
        return ctx->fe.prompt ? ctx->fe.prompt(label, FALSE, ctx->fe.data) : NULL;
}

int core_exit_status(const CoreContext *ctx)
{
        if (ctx->any_failed)
                return CORE_EXIT_FAILURE;
        if (ctx->any_refused)
                return CORE_EXIT_REFUSED;
        return CORE_EXIT_OK;
}
