/* core/rate.h — transfer speed limits as people write and read them: "500K", "2M", "1.5MiB/s",
 * "100000", "0" or "off" (binary prefixes, as curl's --limit-rate), and the context's limits
 * set and said.
 * Must not: print, or sleep (the FTP engine keeps the limits: ftp/rate.h). */
#pragma once
#include <glib.h>
#include "core/context.h"

/* Bytes per second into *rate (0: no limit); FALSE with a usage error naming `what`. */
gboolean core_rate_parse(const char *text, const char *what, guint64 *rate, GError **error);
/* "500.0 KiB/s", or "none" for 0. */
char *core_rate_text(guint64 rate); /* transfer full */
/* The limits of every transfer from now on (0: none). */
void core_rate_set(CoreContext *ctx, guint64 per_transfer, guint64 total);
void core_rate_get(CoreContext *ctx, guint64 *per_transfer, guint64 *total);
/* "500.0 KiB/s per transfer, 2.0 MiB/s in all", or NULL when nothing is limited. */
char *core_rate_summary(CoreContext *ctx); /* transfer full */
