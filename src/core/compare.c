/* core/compare.c — two copies of a file compared by size, then time within the listing's
 * precision (see compare.h). Must not: do I/O. */
#include "core/compare.h"

gboolean core_compare_sizes_differ(const CoreFileStamp *a, const CoreFileStamp *b)
{
        return a->size >= 0 && b->size >= 0 && a->size != b->size;
}

int core_compare_times(const CoreFileStamp *a, const CoreFileStamp *b)
{
        if (a->mtime < 0 || b->mtime < 0)
                return 0;
        gint64 slack = a->mtime_day || b->mtime_day                 ? CORE_COMPARE_DAY_SLACK_S
                       : a->mtime_exact && b->mtime_exact ? 0
                                                            : CORE_COMPARE_INEXACT_SLACK_S;
        if (a->mtime > b->mtime + slack)
                return 1;
        if (b->mtime > a->mtime + slack)
                return -1;
        return 0;
}

gboolean core_compare_day_only(gint64 mtime, gboolean exact, gint64 now)
{
        return !exact && mtime >= 0 && mtime % CORE_COMPARE_DAY_SLACK_S == 0 &&
               now - mtime > 180 * (gint64)CORE_COMPARE_DAY_SLACK_S;
}

CoreCompareResult core_compare_files(const CoreFileStamp *a, const CoreFileStamp *b)
{
        if (core_compare_sizes_differ(a, b))
                return CORE_COMPARE_SIZE;
        int order = core_compare_times(a, b);
        return order > 0 ? CORE_COMPARE_A_NEWER : order < 0 ? CORE_COMPARE_B_NEWER : CORE_COMPARE_SAME;
}
