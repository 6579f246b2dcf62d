/* core/compare.h — how two copies of a file compare: by size, then by modification time with the
 * precision of where each time came from (a local file and MLSD to the second; a LIST line to the
 * minute). One rule for `mirror` (what to send) and the full screen's `:compare` (the marks).
 * Owns: that rule and the slack of an inexact time. Must not: do I/O, or know which side is which
 * (the caller says "a" and "b"). */
#pragma once
#include <glib.h>

/* A listing's time without seconds (LIST) is trusted to the minute; a LIST date without a time
 * of day (files older than six months) to the day. */
#define CORE_COMPARE_INEXACT_SLACK_S 60
#define CORE_COMPARE_DAY_SLACK_S (24 * 60 * 60)

/* What is known of one copy. */
typedef struct {
        gint64 size;          /* bytes, -1 when unknown */
        gint64 mtime;         /* unix time, -1 when unknown */
        gboolean mtime_exact; /* to the second (a local file, MLSD), else to the minute */
        gboolean mtime_day;   /* only the day is known (core_compare_day_only), not exact */
} CoreFileStamp;

/* Whether an inexact time is a LIST date without a time of day: midnight UTC and more than six
 * months before `now` (ls shows the year instead of the time then). A caller that can ask the
 * server (mirror: MDTM) asks instead; the full screen's :compare takes the day's slack. */
gboolean core_compare_day_only(gint64 mtime, gboolean exact, gint64 now);

typedef enum {
        CORE_COMPARE_SAME,    /* same size (or unknown), times alike within their precision (or unknown) */
        CORE_COMPARE_SIZE,    /* both sizes known and different */
        CORE_COMPARE_A_NEWER, /* same size, a's time later than b's by more than the precision */
        CORE_COMPARE_B_NEWER, /* same size, b's time later */
} CoreCompareResult;

/* Size first, then time (core_compare_times). */
CoreCompareResult core_compare_files(const CoreFileStamp *a, const CoreFileStamp *b);
/* Times alone: 1 when a is newer than b by more than the precision of the coarser of the two
 * (0 s when both are exact, a day when either is day-only, CORE_COMPARE_INEXACT_SLACK_S
 * otherwise), -1 when b is, 0 when they cannot be told apart or either is unknown. */
int core_compare_times(const CoreFileStamp *a, const CoreFileStamp *b);
/* TRUE when both sizes are known and differ. */
gboolean core_compare_sizes_differ(const CoreFileStamp *a, const CoreFileStamp *b);
