/* scan/verdict.c — what a scanner said about a file, as data: the verdict, its reason class, and
 * the clamd protocol's reply lines parsed into one. Owns: ScanVerdict, SCAN_ERROR, the classes of
 * detections and errors. Must not: connect, print, or decide what to upload.
 * Fails closed: only an exact "stream: OK" / "fd[N]: OK" parses as OK. */
#include "config.h"
#include "scan/verdict.h"
#include "scan/verdict-private.h"
#include "common/i18n.h"
#include "common/quark.h"
#include "common/net.h"

#include <string.h>

COMMON_DEFINE_QUARK(scan-error-quark, scan_error)

/* ---- verdicts ---------------------------------------------------------------------------- */

/* Detections that say the file was not scanned whole, by the start of their name. */
static const struct {
        const char *prefix;
        ScanReasonClass reason_class;
} signature_classes[] = {
        { "Heuristics.Limits.Exceeded", SCAN_REASON_LIMIT },  /* clamd ≥ 0.101, clamav-agent */
        { "Heuristics.Encrypted.", SCAN_REASON_ENCRYPTED },   /* AlertEncrypted… */
        { "Encrypted.", SCAN_REASON_ENCRYPTED },              /* before ClamAV 0.101 */
};

ScanReasonClass scan_reason_class_of_signature(const char *signature)
{
        for (gsize i = 0; signature && i < G_N_ELEMENTS(signature_classes); i++) {
                if (g_str_has_prefix(signature, signature_classes[i].prefix))
                        return signature_classes[i].reason_class;
        }
        return SCAN_REASON_MALWARE;
}

ScanVerdict *scan_verdict_new(ScanVerdictKind kind, const char *signature, const char *reason)
{
        ScanVerdict *verdict = g_new0(ScanVerdict, 1);
        verdict->kind = kind;
        verdict->signature = g_strdup(signature);
        verdict->reason = g_strdup(reason);
        switch (kind) {
        case SCAN_VERDICT_OK:
                verdict->reason_class = SCAN_REASON_NONE;
                break;
        case SCAN_VERDICT_INFECTED:
                verdict->reason_class = scan_reason_class_of_signature(signature);
                break;
        case SCAN_VERDICT_ERROR:
        default:
                verdict->reason_class = SCAN_REASON_SCANNER;
                break;
        }
        return verdict;
}

static ScanReasonClass reason_class_of_error(const GError *error)
{
        if (error->domain != SCAN_ERROR)
                return SCAN_REASON_SCANNER;
        switch ((ScanErrorCode)error->code) {
        case SCAN_ERROR_ADDRESS:
        case SCAN_ERROR_UNREACHABLE:
                return SCAN_REASON_UNREACHABLE;
        case SCAN_ERROR_TIMEOUT:
                return SCAN_REASON_TIMEOUT;
        case SCAN_ERROR_PROTOCOL:
                return SCAN_REASON_PROTOCOL;
        case SCAN_ERROR_LOCAL:
                return SCAN_REASON_LOCAL;
        case SCAN_ERROR_CANCELLED:
                return SCAN_REASON_CANCELLED;
        case SCAN_ERROR_UNTRUSTED:
                return SCAN_REASON_UNTRUSTED;
        }
        return SCAN_REASON_SCANNER;
}

void scan_error_set_from_net(GError **error, const GError *net, const char *address, int timeout_ms,
                             const char *doing)
{
        switch (net->code) {
        case NET_ERROR_TIMEOUT:
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_TIMEOUT,
                            _("The scanner at %s did not answer within %d s (%s)."), address,
                            (timeout_ms + 999) / 1000, doing);
                return;
        case NET_ERROR_CANCELLED:
                g_set_error_literal(error, SCAN_ERROR, SCAN_ERROR_CANCELLED, _("The scan was cancelled."));
                return;
        default:
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_PROTOCOL,
                            _("The connection to the scanner at %s failed while %s: %s"), address,
                            doing, net->message);
        }
}

ScanVerdict *scan_verdict_new_error(const GError *error)
{
        ScanVerdict *verdict = scan_verdict_new(SCAN_VERDICT_ERROR, NULL, error->message);
        verdict->reason_class = reason_class_of_error(error);
        return verdict;
}

ScanVerdict *scan_verdict_copy(const ScanVerdict *verdict)
{
        if (!verdict)
                return NULL;
        ScanVerdict *copy = scan_verdict_new(verdict->kind, verdict->signature, verdict->reason);
        copy->reason_class = verdict->reason_class;
        copy->reply = g_strdup(verdict->reply);
        copy->path = g_strdup(verdict->path);
        copy->istag = g_strdup(verdict->istag);
        copy->scanner = g_strdup(verdict->scanner);
        return copy;
}

void scan_verdict_free(ScanVerdict *verdict)
{
        if (!verdict)
                return;
        g_free(verdict->signature);
        g_free(verdict->reason);
        g_free(verdict->reply);
        g_free(verdict->path);
        g_free(verdict->istag);
        g_free(verdict->scanner);
        g_free(verdict);
}

void scan_verdict_set_path(ScanVerdict *verdict, const char *path)
{
        g_free(verdict->path);
        verdict->path = g_strdup(path);
}

void scan_verdict_set_scanner(ScanVerdict *verdict, const char *scanner)
{
        g_free(verdict->scanner);
        verdict->scanner = g_strdup(scanner);
}

const char *scan_verdict_kind_name(ScanVerdictKind kind)
{
        switch (kind) {
        case SCAN_VERDICT_OK:
                return "OK";
        case SCAN_VERDICT_INFECTED:
                return "INFECTED";
        case SCAN_VERDICT_ERROR:
        default:
                return "ERROR";
        }
}

const char *scan_reason_class_name(ScanReasonClass reason_class)
{
        static const char *const names[] = {
                [SCAN_REASON_NONE] = NULL,
                [SCAN_REASON_MALWARE] = "malware",
                [SCAN_REASON_LIMIT] = "limit",
                [SCAN_REASON_ENCRYPTED] = "encrypted",
                [SCAN_REASON_UNREACHABLE] = "unreachable",
                [SCAN_REASON_TIMEOUT] = "timeout",
                [SCAN_REASON_PROTOCOL] = "protocol",
                [SCAN_REASON_SCANNER] = "scanner",
                [SCAN_REASON_LOCAL] = "local",
                [SCAN_REASON_CANCELLED] = "cancelled",
                [SCAN_REASON_UNTRUSTED] = "untrusted",
        };
        if ((guint)reason_class >= G_N_ELEMENTS(names))
                return "scanner";
        return names[reason_class];
}

/* A copy safe to show and log: valid UTF-8, control characters replaced. */
char *scan_text_sanitize(const char *text)
{
        char *valid = g_utf8_make_valid(text, -1);
        for (char *p = valid; *p; p++) {
                if ((unsigned char)*p < 0x20 || *p == 0x7f)
                        *p = '?';
        }
        return valid;
}

ScanVerdict *scan_verdict_error_reply(const char *reply, ScanReasonClass reason_class, const char *reason)
{
        ScanVerdict *verdict = scan_verdict_new(SCAN_VERDICT_ERROR, NULL, reason);
        verdict->reason_class = reason_class;
        verdict->reply = reply ? scan_text_sanitize(reply) : NULL;
        return verdict;
}

/* clamd's "INSTREAM size limit exceeded. ERROR" (StreamMaxLength). */
static gboolean says_size_limit(const char *words)
{
        return strstr(words, "size limit exceeded") != NULL;
}

/* The scanner's own "<reason> ERROR": a few known reasons get words a user can act on. */
static char *error_reason(const char *words)
{
        if (says_size_limit(words))
                return g_strdup_printf(_("The scanner refused the file because it is larger than it "
                                         "accepts (%s); raise StreamMaxLength in its configuration."),
                                       words);
        if (!*words)
                return g_strdup(_("The scanner reported an error without a reason."));
        return g_strdup_printf(_("The scanner reported an error: %s"), words);
}

typedef enum { NAME_STREAM, NAME_FD } ReplyName;

/* The reply's words after its name ("stream: " or "fd[N]: "), or NULL when it has no such name. */
static const char *reply_body(const char *line, ReplyName name)
{
        if (name == NAME_STREAM)
                return g_str_has_prefix(line, "stream: ") ? line + strlen("stream: ") : NULL;
        if (!g_str_has_prefix(line, "fd["))
                return NULL;
        const char *digits = line + strlen("fd[");
        const char *p = digits;
        while (g_ascii_isdigit(*p) && p - digits < 10)
                p++;
        if (p == digits || !g_str_has_prefix(p, "]: "))
                return NULL;
        return p + strlen("]: ");
}

static ScanVerdict *verdict_not_understood(const char *reply, const char *line)
{
        g_autofree char *reason = g_strdup_printf(_("The scanner's reply could not be understood: “%s”."), line);
        return scan_verdict_error_reply(reply, SCAN_REASON_PROTOCOL, reason);
}

static ScanVerdict *parse_reply(const char *reply, ReplyName name)
{
        if (!reply)
                return scan_verdict_error_reply(NULL, SCAN_REASON_PROTOCOL, _("The scanner sent no reply."));
        g_autofree char *line = scan_text_sanitize(reply); /* no trimming: a reply is exact or it is not OK */
        if (!*line)
                return scan_verdict_error_reply(reply, SCAN_REASON_PROTOCOL, _("The scanner sent an empty reply."));
        if (strcmp(line, "COMMAND READ TIMED OUT") == 0)
                return scan_verdict_error_reply(reply, SCAN_REASON_TIMEOUT,
                                     _("The scanner timed out waiting for the file's data."));

        const char *body = reply_body(line, name);
        if (g_str_has_suffix(line, "ERROR") && (!body || g_str_has_suffix(body, " ERROR") ||
                                                 strcmp(body, "ERROR") == 0)) {
                const char *words = body ? body : line;
                g_autofree char *trimmed = g_strndup(words, strlen(words) - strlen("ERROR"));
                g_strstrip(trimmed);
                g_autofree char *reason = error_reason(trimmed);
                return scan_verdict_error_reply(reply, says_size_limit(trimmed) ? SCAN_REASON_LIMIT : SCAN_REASON_SCANNER,
                                     reason);
        }
        if (!body)
                return verdict_not_understood(reply, line);
        if (strcmp(body, "OK") == 0) {
                ScanVerdict *verdict = scan_verdict_new(SCAN_VERDICT_OK, NULL, NULL);
                verdict->reply = g_strdup(line);
                return verdict;
        }
        if (g_str_has_suffix(body, " FOUND")) {
                g_autofree char *sig = g_strndup(body, strlen(body) - strlen(" FOUND"));
                g_strstrip(sig);
                if (*sig) {
                        /* a limit or an encrypted archive is a file not scanned, not malware */
                        ScanReasonClass cls = scan_reason_class_of_signature(sig);
                        gboolean unscanned = cls == SCAN_REASON_LIMIT || cls == SCAN_REASON_ENCRYPTED;
                        ScanVerdict *verdict = scan_verdict_new(unscanned ? SCAN_VERDICT_ERROR : SCAN_VERDICT_INFECTED,
                                                                sig, unscanned ? sig : NULL);
                        verdict->reason_class = cls;
                        verdict->reply = g_strdup(line);
                        return verdict;
                }
        }
        return verdict_not_understood(reply, line);
}

ScanVerdict *scan_verdict_parse(const char *reply)
{
        return parse_reply(reply, NAME_STREAM);
}

ScanVerdict *scan_verdict_parse_fildes(const char *reply)
{
        return parse_reply(reply, NAME_FD);
}

