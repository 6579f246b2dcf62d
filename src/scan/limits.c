/* scan/limits.c — how large a file the scanner can judge whole, known before anything is copied.
 * Owns: parsing the STATS "LIMITS:" line, clamd's defaults, the per-address cache of what was
 * learnt (asked once a minute at most), the `[scanner] max-file-size` override, and the words of
 * a refusal. Must not: read the user's files, or refuse for any reason but size. */
#include "config.h"
#include "scan/limits.h"
#include "common/i18n.h"

#include <string.h>

/* STATS is asked with this timeout: a scanner too busy to answer is asked again next time. */
#define STATS_TIMEOUT_MS 5000
/* What a scanner reported is asked again after this long (it may have been restarted); one that
 * could not be asked, sooner (every file of a batch would otherwise wait for it again). */
#define LEARNT_FOR_US (60 * G_USEC_PER_SEC)
#define UNKNOWN_FOR_US (5 * G_USEC_PER_SEC)

typedef struct {
        ScanLimits limits;
        gint64 until; /* monotonic: asked again from then on */
} Learnt;

static GMutex lock;
static GHashTable *learnt_by_address; /* char * → Learnt * */
static gint64 override_bytes;         /* under lock; 0: none */

static gboolean parse_size(const char *word, gint64 *value)
{
        guint64 n = 0;
        if (!word || !g_ascii_string_to_unsigned(word, 10, 0, G_MAXINT64, &n, NULL))
                return FALSE;
        *value = (gint64)n;
        return TRUE;
}

gboolean scan_limits_parse_stats(const char *stats, ScanLimits *limits)
{
        g_auto(GStrv) lines = g_strsplit(stats ? stats : "", "\n", -1);
        for (guint i = 0; lines[i]; i++) {
                if (!g_str_has_prefix(lines[i], "LIMITS:"))
                        continue;
                g_auto(GStrv) words = g_strsplit_set(lines[i] + strlen("LIMITS:"), " \t", -1);
                ScanLimits found = { -1, -1, -1, SCAN_LIMITS_REPORTED };
                for (guint w = 0; words[w]; w++) {
                        gint64 *slot = g_str_equal(words[w], "MaxFileSize") ? &found.max_file_size
                                       : g_str_equal(words[w], "MaxScanSize") ? &found.max_scan_size
                                       : g_str_equal(words[w], "StreamMaxLength") ? &found.stream_max_length
                                       : NULL;
                        if (slot && !parse_size(words[++w], slot))
                                return FALSE;
                }
                if (found.max_file_size < 0 || found.stream_max_length < 0)
                        return FALSE;
                if (found.max_scan_size < 0)
                        found.max_scan_size = 0;
                *limits = found;
                return TRUE;
        }
        return FALSE;
}

void scan_limits_clamd_defaults(ScanLimits *limits)
{
        *limits = (ScanLimits){ SCAN_LIMITS_CLAMD_MAX_FILE_SIZE, SCAN_LIMITS_CLAMD_MAX_SCAN_SIZE,
                                SCAN_LIMITS_CLAMD_STREAM_MAX_LENGTH, SCAN_LIMITS_DEFAULT };
}

/* The smaller of two limits, 0 or less meaning none. */
static gint64 tighter(gint64 a, gint64 b)
{
        if (a <= 0)
                return b;
        if (b <= 0)
                return a;
        return MIN(a, b);
}

gint64 scan_limits_max_bytes(const ScanLimits *limits, gboolean fildes)
{
        if (limits->source == SCAN_LIMITS_UNKNOWN)
                return -1;
        if (limits->source == SCAN_LIMITS_CONFIG)
                return limits->max_file_size; /* the user's word, libclamav or not */
        gint64 max = tighter(limits->max_file_size, SCAN_LIMITS_LIBCLAMAV_MAX);
        return fildes ? max : tighter(max, limits->stream_max_length);
}

void scan_limits_set_max_file_size(gint64 bytes)
{
        g_mutex_lock(&lock);
        override_bytes = MAX(bytes, 0);
        g_mutex_unlock(&lock);
}

void scan_limits_forget(void)
{
        g_mutex_lock(&lock);
        g_clear_pointer(&learnt_by_address, g_hash_table_unref);
        g_mutex_unlock(&lock);
}

/* What was learnt about address and is still fresh; FALSE when it is to be asked. */
static gboolean cached(const char *address, ScanLimits *limits)
{
        g_mutex_lock(&lock);
        Learnt *l = learnt_by_address ? g_hash_table_lookup(learnt_by_address, address) : NULL;
        gboolean fresh = l && g_get_monotonic_time() < l->until;
        if (fresh)
                *limits = l->limits;
        g_mutex_unlock(&lock);
        return fresh;
}

static void remember(const char *address, const ScanLimits *limits)
{
        Learnt *l = g_new0(Learnt, 1);
        l->limits = *limits;
        l->until = g_get_monotonic_time() + (limits->source == SCAN_LIMITS_UNKNOWN ? UNKNOWN_FOR_US : LEARNT_FOR_US);
        g_mutex_lock(&lock);
        if (!learnt_by_address)
                learnt_by_address = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        g_hash_table_replace(learnt_by_address, g_strdup(address), l);
        g_mutex_unlock(&lock);
}

void scan_limits_of(ScanClient *client, ScanLimits *limits)
{
        g_mutex_lock(&lock);
        gint64 override = override_bytes;
        g_mutex_unlock(&lock);
        if (override > 0) {
                *limits = (ScanLimits){ override, 0, override, SCAN_LIMITS_CONFIG };
                return;
        }
        const char *address = scan_client_address(client);
        if (cached(address, limits))
                return;
        g_autoptr(ScanClient) asker = scan_client_copy(client);
        scan_client_set_timeout_ms(asker, STATS_TIMEOUT_MS);
        g_autoptr(GError) error = NULL;
        g_autofree char *stats = scan_client_stats(asker, &error);
        if (!stats)
                *limits = (ScanLimits){ 0, 0, 0, SCAN_LIMITS_UNKNOWN }; /* its scan will say why */
        else if (!scan_limits_parse_stats(stats, limits))
                scan_limits_clamd_defaults(limits);
        remember(address, limits);
}

/* Where the limit came from, for the words of a refusal. */
static const char *source_words(ScanLimitsSource source)
{
        switch (source) {
        case SCAN_LIMITS_REPORTED:
                return _("as the scanner reports it");
        case SCAN_LIMITS_CONFIG:
                return _("[scanner] max-file-size");
        case SCAN_LIMITS_DEFAULT:
        case SCAN_LIMITS_UNKNOWN:
        default:
                return _("clamd's default: the scanner does not report its limits; set [scanner] max-file-size "
                         "if it takes more");
        }
}

ScanVerdict *scan_limits_verdict(const ScanLimits *limits, gboolean fildes, gint64 size)
{
        gint64 max = scan_limits_max_bytes(limits, fildes);
        const char *name = limits->source == SCAN_LIMITS_CONFIG ? "max-file-size"
                           : max == limits->max_file_size ? "MaxFileSize"
                           : !fildes && max == limits->stream_max_length ? "StreamMaxLength"
                           : NULL;
        g_autofree char *have = g_format_size_full((guint64)size, G_FORMAT_SIZE_IEC_UNITS);
        g_autofree char *most = g_format_size_full((guint64)MAX(max, 0), G_FORMAT_SIZE_IEC_UNITS);
        g_autofree char *reason =
                name ? g_strdup_printf(_("%s, over the scanner's %s of %s (%s); nothing was copied or sent"), have,
                                       name, most, source_words(limits->source))
                     : g_strdup_printf(_("%s, over the %s that libclamav can scan; nothing was copied or sent"), have,
                                       most);
        ScanVerdict *verdict = scan_verdict_new(SCAN_VERDICT_ERROR, NULL, reason);
        verdict->reason_class = SCAN_REASON_LIMIT;
        return verdict;
}
