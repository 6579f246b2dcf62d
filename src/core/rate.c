/* core/rate.c — speed limits in words and numbers (see rate.h). */
#include "core/rate.h"

#include <string.h>

#include "common/i18n.h"
#include "core/cmd.h"
#include "ftp/rate.h"

/* Binary multipliers: K, M, G with or without "iB"/"B", and an optional "/s". */
static gboolean multiplier(const char *suffix, guint64 *factor)
{
        static const struct {
                char letter;
                guint64 factor;
        } units[] = { { 'K', 1024 }, { 'M', 1024 * 1024 }, { 'G', 1024 * 1024 * 1024 } };
        g_autofree char *rest = g_strdup(suffix);
        gsize len = strlen(rest);
        if (len >= 2 && g_str_equal(rest + len - 2, "/s"))
                rest[len -= 2] = '\0';
        if (len > 0 && (rest[len - 1] == 'B' || rest[len - 1] == 'b'))
                rest[--len] = '\0';
        if (len > 0 && rest[len - 1] == 'i')
                rest[--len] = '\0';
        if (len == 0) {
                *factor = 1;
                return TRUE;
        }
        if (len != 1)
                return FALSE;
        for (guint i = 0; i < G_N_ELEMENTS(units); i++) {
                if (g_ascii_toupper(rest[0]) == units[i].letter) {
                        *factor = units[i].factor;
                        return TRUE;
                }
        }
        return FALSE;
}

gboolean core_rate_parse(const char *text, const char *what, guint64 *rate, GError **error)
{
        if (g_ascii_strcasecmp(text, "off") == 0 || g_ascii_strcasecmp(text, "none") == 0) {
                *rate = 0;
                return TRUE;
        }
        char *end = NULL;
        double value = g_ascii_strtod(text, &end);
        guint64 factor = 1;
        if (end == text || !g_ascii_isdigit(text[0]) || !multiplier(end, &factor) || value < 0 ||
            value * (double)factor > (double)G_MAXUINT32 * 1024.0) {
                g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_USAGE,
                            _("%s: “%s” is not a speed: give bytes per second, with K, M or G (1024-based) "
                              "as in 500K or 2M, or 0 (or off) for none."),
                            what, text);
                return FALSE;
        }
        *rate = (guint64)(value * (double)factor + 0.5);
        return TRUE;
}

char *core_rate_text(guint64 rate)
{
        if (rate == 0)
                return g_strdup(_("none"));
        g_autofree char *size = g_format_size_full(rate, G_FORMAT_SIZE_IEC_UNITS);
        /* TRANSLATORS: a speed, e.g. "500.0 KiB/s" */
        return g_strdup_printf(_("%s/s"), size);
}

void core_rate_set(CoreContext *ctx, guint64 per_transfer, guint64 total)
{
        ftp_rate_limits_set(ctx->limits, per_transfer, total);
}

void core_rate_get(CoreContext *ctx, guint64 *per_transfer, guint64 *total)
{
        ftp_rate_limits_get(ctx->limits, per_transfer, total);
}

char *core_rate_summary(CoreContext *ctx)
{
        guint64 per, total;
        core_rate_get(ctx, &per, &total);
        if (per == 0 && total == 0)
                return NULL;
        g_autofree char *per_text = core_rate_text(per);
        g_autofree char *total_text = core_rate_text(total);
        if (total == 0)
                return g_strdup_printf(_("%s per transfer"), per_text);
        if (per == 0)
                return g_strdup_printf(_("%s in all"), total_text);
        return g_strdup_printf(_("%s per transfer, %s in all"), per_text, total_text);
}
