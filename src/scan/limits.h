/* scan/limits.h — how large a file the scanner can judge whole, known before anything is copied.
 * Owns: the scanner's size limits (its STATS "LIMITS:" line; clamd's defaults when it does not
 * say; the `[scanner] max-file-size` override), asked once per scanner address, and the verdict
 * for a file over them. Must not: read files, or decide anything but "too large to scan". */
#pragma once
#include <glib.h>
#include "scan/client.h"

/* clamd's own defaults (clamd.conf(5)), for a scanner that does not report its limits. */
#define SCAN_LIMITS_CLAMD_MAX_FILE_SIZE (G_GINT64_CONSTANT(100) << 20)
#define SCAN_LIMITS_CLAMD_MAX_SCAN_SIZE (G_GINT64_CONSTANT(400) << 20)
#define SCAN_LIMITS_CLAMD_STREAM_MAX_LENGTH (G_GINT64_CONSTANT(100) << 20)
/* libclamav scans no file larger than this, whatever MaxFileSize says ("scanning files greater
 * than 2147483647 bytes (2 GiB - 1) is not supported"). */
#define SCAN_LIMITS_LIBCLAMAV_MAX G_GINT64_CONSTANT(2147483647)

typedef enum {
        SCAN_LIMITS_UNKNOWN,  /* the scanner could not be asked (or is ICAP): nothing is refused beforehand */
        SCAN_LIMITS_REPORTED, /* its STATS said them */
        SCAN_LIMITS_DEFAULT,  /* it did not say: clamd's defaults */
        SCAN_LIMITS_CONFIG,   /* `[scanner] max-file-size` */
} ScanLimitsSource;

typedef struct {
        gint64 max_file_size;     /* MaxFileSize in bytes; 0: none of its own */
        gint64 max_scan_size;     /* MaxScanSize (reported; it counts what is unpacked, so not used here) */
        gint64 stream_max_length; /* StreamMaxLength (INSTREAM only) */
        ScanLimitsSource source;
} ScanLimits;

/* The "LIMITS: MaxFileSize N MaxScanSize N StreamMaxLength N" line of a STATS report (sizes in
 * bytes, clamav-agent's); FALSE when the report has none or it does not parse. */
gboolean scan_limits_parse_stats(const char *stats, ScanLimits *limits);
void scan_limits_clamd_defaults(ScanLimits *limits);
/* The largest file that can be scanned whole by FILDES (fildes) or INSTREAM; -1: no limit known. */
gint64 scan_limits_max_bytes(const ScanLimits *limits, gboolean fildes);
/* The limits of client's scanner: the override when one is set, else asked with STATS the first
 * time (a short timeout; again after a minute), else clamd's defaults; UNKNOWN when it cannot be
 * reached (the scan will say why; asked again after 5 s) or has no STATS (ICAP). Thread-safe. */
void scan_limits_of(ScanClient *client, ScanLimits *limits);
/* `[scanner] max-file-size`: the largest file any scanner of this process is sent (bytes), over
 * whatever it reports; 0 removes the override. */
void scan_limits_set_max_file_size(gint64 bytes);
/* Forgets what scanners reported (tests; a scanner restarted with other limits). */
void scan_limits_forget(void);
/* The verdict on a file of `size` bytes refused before any copy: ERROR, class LIMIT, the words
 * saying the size, the limit and where it came from. transfer full */
ScanVerdict *scan_limits_verdict(const ScanLimits *limits, gboolean fildes, gint64 size);
