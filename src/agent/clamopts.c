/* agent/clamopts.c — clamd.conf's libclamav settings: one table row per name, what it sets
 * (a scan option bit, a cl_load database option, an engine field) and clamd 1.4's default.
 * Owns: the table and applying it. Must not: load signatures, scan, or print. */
#include "config.h"
#include "agent/clamopts.h"
#include "agent/conf.h"
#include "common/i18n.h"

#include <clamav.h>

typedef enum {
        K_GENERAL,   /* bit of options.general */
        K_PARSE,     /* bit of options.parse */
        K_HEURISTIC, /* bit of options.heuristic */
        K_MAIL,      /* bit of options.mail */
        K_DB,        /* bit of cl_load's database options */
        K_FLAG,      /* engine field set to 0 or 1 */
        K_NUMBER,    /* engine field, a plain number */
        K_SIZE,      /* engine field, a size (K, M, G) */
        K_SECURITY,  /* BytecodeSecurity: TrustSigned | Paranoid */
        K_MODE,      /* BytecodeMode: Auto | ForceJIT | ForceInterpreter | Test */
} Kind;

typedef struct {
        const char *name;
        Kind kind;
        guint64 what;     /* the bit, or the enum cl_engine_field */
        gboolean on;      /* switches: clamd's default */
} Row;

static const Row rows[] = {
        { "ScanPE", K_PARSE, CL_SCAN_PARSE_PE, TRUE },
        { "ScanELF", K_PARSE, CL_SCAN_PARSE_ELF, TRUE },
        { "ScanMail", K_PARSE, CL_SCAN_PARSE_MAIL, TRUE },
        { "ScanHTML", K_PARSE, CL_SCAN_PARSE_HTML, TRUE },
        { "ScanOLE2", K_PARSE, CL_SCAN_PARSE_OLE2, TRUE },
        { "ScanPDF", K_PARSE, CL_SCAN_PARSE_PDF, TRUE },
        { "ScanSWF", K_PARSE, CL_SCAN_PARSE_SWF, TRUE },
        { "ScanXMLDOCS", K_PARSE, CL_SCAN_PARSE_XMLDOCS, TRUE },
        { "ScanHWP3", K_PARSE, CL_SCAN_PARSE_HWP3, TRUE },
        { "ScanOneNote", K_PARSE, CL_SCAN_PARSE_ONENOTE, TRUE },
        { "ScanArchive", K_PARSE, CL_SCAN_PARSE_ARCHIVE, TRUE },
        { "ScanImage", K_PARSE, CL_SCAN_PARSE_IMAGE, TRUE },
        { "ScanImageFuzzyHash", K_PARSE, CL_SCAN_PARSE_IMAGE_FUZZY_HASH, TRUE },
        { "ScanPartialMessages", K_MAIL, CL_SCAN_MAIL_PARTIAL_MESSAGE, FALSE },
        { "HeuristicAlerts", K_GENERAL, CL_SCAN_GENERAL_HEURISTICS, TRUE },
        { "HeuristicScanPrecedence", K_GENERAL, CL_SCAN_GENERAL_HEURISTIC_PRECEDENCE, FALSE },
        { "AlertBrokenExecutables", K_HEURISTIC, CL_SCAN_HEURISTIC_BROKEN, FALSE },
        { "AlertBrokenMedia", K_HEURISTIC, CL_SCAN_HEURISTIC_BROKEN_MEDIA, FALSE },
        { "AlertOLE2Macros", K_HEURISTIC, CL_SCAN_HEURISTIC_MACROS, FALSE },
        { "AlertPhishingSSLMismatch", K_HEURISTIC, CL_SCAN_HEURISTIC_PHISHING_SSL_MISMATCH, FALSE },
        { "AlertPhishingCloak", K_HEURISTIC, CL_SCAN_HEURISTIC_PHISHING_CLOAK, FALSE },
        { "AlertPartitionIntersection", K_HEURISTIC, CL_SCAN_HEURISTIC_PARTITION_INTXN, FALSE },
        { "StructuredDataDetection", K_HEURISTIC, CL_SCAN_HEURISTIC_STRUCTURED, FALSE },
        { "StructuredSSNFormatNormal", K_HEURISTIC, CL_SCAN_HEURISTIC_STRUCTURED_SSN_NORMAL, TRUE },
        { "StructuredSSNFormatStripped", K_HEURISTIC, CL_SCAN_HEURISTIC_STRUCTURED_SSN_STRIPPED,
          FALSE },
        { "StructuredCCOnly", K_HEURISTIC, CL_SCAN_HEURISTIC_STRUCTURED_CC, FALSE },
        { "PhishingSignatures", K_DB, CL_DB_PHISHING, TRUE },
        { "PhishingScanURLs", K_DB, CL_DB_PHISHING_URLS, TRUE },
        { "DetectPUA", K_DB, CL_DB_PUA, FALSE },
        { "OfficialDatabaseOnly", K_DB, CL_DB_OFFICIAL_ONLY, FALSE },
        { "BytecodeUnsigned", K_DB, CL_DB_BYTECODE_UNSIGNED, FALSE },
        { "StructuredMinCreditCardCount", K_NUMBER, CL_ENGINE_MIN_CC_COUNT, FALSE },
        { "StructuredMinSSNCount", K_NUMBER, CL_ENGINE_MIN_SSN_COUNT, FALSE },
        { "MaxEmbeddedPE", K_SIZE, CL_ENGINE_MAX_EMBEDDEDPE, FALSE },
        { "MaxHTMLNormalize", K_SIZE, CL_ENGINE_MAX_HTMLNORMALIZE, FALSE },
        { "MaxHTMLNoTags", K_SIZE, CL_ENGINE_MAX_HTMLNOTAGS, FALSE },
        { "MaxScriptNormalize", K_SIZE, CL_ENGINE_MAX_SCRIPTNORMALIZE, FALSE },
        { "MaxZipTypeRcg", K_SIZE, CL_ENGINE_MAX_ZIPTYPERCG, FALSE },
        { "MaxPartitions", K_NUMBER, CL_ENGINE_MAX_PARTITIONS, FALSE },
        { "MaxIconsPE", K_NUMBER, CL_ENGINE_MAX_ICONSPE, FALSE },
        { "MaxRecHWP3", K_NUMBER, CL_ENGINE_MAX_RECHWP3, FALSE },
        { "PCREMatchLimit", K_NUMBER, CL_ENGINE_PCRE_MATCH_LIMIT, FALSE },
        { "PCRERecMatchLimit", K_NUMBER, CL_ENGINE_PCRE_RECMATCH_LIMIT, FALSE },
        { "PCREMaxFileSize", K_SIZE, CL_ENGINE_PCRE_MAX_FILESIZE, FALSE },
        { "BytecodeTimeout", K_NUMBER, CL_ENGINE_BYTECODE_TIMEOUT, FALSE },
        { "BytecodeSecurity", K_SECURITY, CL_ENGINE_BYTECODE_SECURITY, FALSE },
        { "BytecodeMode", K_MODE, CL_ENGINE_BYTECODE_MODE, FALSE },
        { "CacheSize", K_NUMBER, CL_ENGINE_CACHE_SIZE, FALSE },
        { "DisableCache", K_FLAG, CL_ENGINE_DISABLE_CACHE, FALSE },
        { "ForceToDisk", K_FLAG, CL_ENGINE_FORCETODISK, FALSE },
        { "DisableCertCheck", K_FLAG, CL_ENGINE_DISABLE_PE_CERTS, FALSE },
};
G_STATIC_ASSERT(G_N_ELEMENTS(rows) == AGENT_CLAM_SETTINGS);

static const Row *row_at(int row)
{
        return &rows[row];
}

int agent_clamopts_find(const char *name)
{
        for (int i = 0; i < AGENT_CLAM_SETTINGS; i++)
                if (g_ascii_strcasecmp(row_at(i)->name, name) == 0)
                        return i;
        return -1;
}

const char *agent_clamopts_name(int row)
{
        return row_at(row)->name;
}

static gboolean parse_word(const char *value, const char *const *words, gsize n, gint64 *out)
{
        for (gsize i = 0; i < n; i++) {
                if (words[i] && g_ascii_strcasecmp(value, words[i]) == 0) {
                        *out = (gint64)i;
                        return TRUE;
                }
        }
        return FALSE;
}

gboolean agent_clamopts_parse(int row, const char *value, gint64 *out)
{
        static const char *const security[] = { NULL, "TrustSigned", "Paranoid" };
        static const char *const mode[] = { "Auto", "ForceJIT", "ForceInterpreter", "Test" };
        guint64 n = 0;
        gboolean b = FALSE;
        switch (row_at(row)->kind) {
        case K_GENERAL:
        case K_PARSE:
        case K_HEURISTIC:
        case K_MAIL:
        case K_DB:
        case K_FLAG:
                if (!agent_conf_parse_bool(value, &b))
                        return FALSE;
                *out = b;
                return TRUE;
        case K_NUMBER:
                if (!g_ascii_string_to_unsigned(value, 10, 0, G_MAXINT64, &n, NULL))
                        return FALSE;
                *out = (gint64)n;
                return TRUE;
        case K_SIZE:
                if (!agent_conf_parse_size(value, &n) || n > G_MAXINT64)
                        return FALSE;
                *out = (gint64)n;
                return TRUE;
        case K_SECURITY:
                return parse_word(value, security, G_N_ELEMENTS(security), out);
        case K_MODE:
                return parse_word(value, mode, G_N_ELEMENTS(mode), out);
        }
        return FALSE;
}

static gboolean switched_on(const Row *r, gint64 value)
{
        return value < 0 ? r->on : value != 0;
}

static void set_bit(guint32 *field, guint64 bit, gboolean on)
{
        if (on)
                *field |= (guint32)bit;
        else
                *field &= ~(guint32)bit;
}

void agent_clamopts_scan_options(const gint64 *values, struct cl_scan_options *options)
{
        for (int i = 0; i < AGENT_CLAM_SETTINGS; i++) {
                const Row *r = row_at(i);
                gboolean on = switched_on(r, values[i]);
                switch (r->kind) {
                case K_GENERAL: set_bit(&options->general, r->what, on); break;
                case K_PARSE: set_bit(&options->parse, r->what, on); break;
                case K_HEURISTIC: set_bit(&options->heuristic, r->what, on); break;
                case K_MAIL: set_bit(&options->mail, r->what, on); break;
                default: break;
                }
        }
}

unsigned int agent_clamopts_db_options(const gint64 *values, unsigned int dbopts)
{
        for (int i = 0; i < AGENT_CLAM_SETTINGS; i++) {
                const Row *r = row_at(i);
                if (r->kind != K_DB)
                        continue;
                if (switched_on(r, values[i]))
                        dbopts |= (unsigned int)r->what;
                else
                        dbopts &= ~(unsigned int)r->what;
        }
        return dbopts;
}

gboolean agent_clamopts_engine(const gint64 *values, struct cl_engine *cl, GError **error)
{
        for (int i = 0; i < AGENT_CLAM_SETTINGS; i++) {
                const Row *r = row_at(i);
                if (values[i] < 0 || r->kind < K_FLAG)
                        continue;
                cl_error_t rc = cl_engine_set_num(cl, (enum cl_engine_field)r->what, values[i]);
                if (rc == CL_SUCCESS)
                        continue;
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_CONFIG,
                            _("libclamav refused %s = %lld: %s"), r->name, (long long)values[i],
                            cl_strerror(rc));
                return FALSE;
        }
        return TRUE;
}
