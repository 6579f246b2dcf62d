/* tests/unit/test-core-compare.c — two copies of a file compared by size, then time within the
 * listing's precision (core/compare.h): the rule `mirror` sends by and `:compare` marks by.
 * Owns: a table of pairs and what each must give. */
#include <glib.h>

#include "core/compare.h"

#define T0 1714564800 /* 2024-05-01 12:00:00 UTC */
#define EXACT TRUE
#define MINUTE FALSE
#define DAY FALSE, TRUE /* a LIST date of an old file: no time of day */
#define D0 1577836800 /* 2020-01-01 00:00:00 UTC */

typedef struct {
        const char *what;
        CoreFileStamp a, b;
        CoreCompareResult result;
        int times; /* core_compare_times(a, b) */
} CompareCase;

static const CompareCase cases[] = {
        { "same size and second", { 10, T0, EXACT }, { 10, T0, EXACT }, CORE_COMPARE_SAME, 0 },
        { "one second newer, both exact", { 10, T0 + 1, EXACT }, { 10, T0, EXACT }, CORE_COMPARE_A_NEWER, 1 },
        { "one second older, both exact", { 10, T0, EXACT }, { 10, T0 + 1, EXACT }, CORE_COMPARE_B_NEWER, -1 },
        { "LIST: within the minute is the same", { 10, T0 + 59, EXACT }, { 10, T0, MINUTE }, CORE_COMPARE_SAME, 0 },
        { "LIST: exactly a minute is the same", { 10, T0 + 60, EXACT }, { 10, T0, MINUTE }, CORE_COMPARE_SAME, 0 },
        { "LIST: past the minute is newer", { 10, T0 + 61, EXACT }, { 10, T0, MINUTE }, CORE_COMPARE_A_NEWER, 1 },
        { "LIST on the newer side: a minute's slack too", { 10, T0, MINUTE }, { 10, T0 + 30, EXACT }, CORE_COMPARE_SAME, 0 },
        { "LIST on the newer side, past the minute", { 10, T0, EXACT }, { 10, T0 + 120, MINUTE }, CORE_COMPARE_B_NEWER, -1 },
        { "size first: a newer file of another size", { 11, T0 + 3600, EXACT }, { 10, T0, EXACT }, CORE_COMPARE_SIZE, 1 },
        { "size first: an older file of another size", { 9, T0, EXACT }, { 10, T0 + 3600, EXACT }, CORE_COMPARE_SIZE, -1 },
        { "an unknown size is not a difference", { -1, T0, EXACT }, { 10, T0, EXACT }, CORE_COMPARE_SAME, 0 },
        { "an unknown time tells nothing", { 10, -1, EXACT }, { 10, T0, EXACT }, CORE_COMPARE_SAME, 0 },
        { "both unknown", { -1, -1, MINUTE }, { -1, -1, MINUTE }, CORE_COMPARE_SAME, 0 },
        { "a day-only date: the same day is the same", { 10, D0 + 14 * 3600, EXACT }, { 10, D0, DAY },
          CORE_COMPARE_SAME, 0 },
        { "a day-only date: the next day is newer", { 10, D0 + 24 * 3600 + 1, EXACT }, { 10, D0, DAY },
          CORE_COMPARE_A_NEWER, 1 },
};

static void test_cases(void)
{
        for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
                const CompareCase *c = &cases[i];
                g_test_message("%s", c->what);
                g_assert_cmpint(core_compare_files(&c->a, &c->b), ==, c->result);
                g_assert_cmpint(core_compare_times(&c->a, &c->b), ==, c->times);
        }
}

/* a against b is b against a, mirrored */
static void test_symmetric(void)
{
        for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
                const CompareCase *c = &cases[i];
                CoreCompareResult back = core_compare_files(&c->b, &c->a);
                CoreCompareResult want = c->result == CORE_COMPARE_A_NEWER   ? CORE_COMPARE_B_NEWER
                                         : c->result == CORE_COMPARE_B_NEWER ? CORE_COMPARE_A_NEWER
                                                                             : c->result;
                g_test_message("%s, the other way", c->what);
                g_assert_cmpint(back, ==, want);
                g_assert_cmpint(core_compare_times(&c->b, &c->a), ==, -c->times);
        }
}

static void test_sizes_differ_needs_both(void)
{
        CoreFileStamp known = { 5, T0, EXACT }, other = { 6, T0, EXACT }, unknown = { -1, T0, EXACT };
        g_assert_true(core_compare_sizes_differ(&known, &other));
        g_assert_false(core_compare_sizes_differ(&known, &known));
        g_assert_false(core_compare_sizes_differ(&known, &unknown));
        g_assert_false(core_compare_sizes_differ(&unknown, &known));
}

/* Only an old midnight LIST date is day-only; an exact time or a recent one never is. */
static void test_day_only(void)
{
        const gint64 now = D0 + 365 * 24 * 3600;
        g_assert_true(core_compare_day_only(D0, FALSE, now));
        g_assert_false(core_compare_day_only(D0, TRUE, now));            /* exact (MLSD, MDTM) */
        g_assert_false(core_compare_day_only(D0 + 60, FALSE, now));      /* a time of day */
        g_assert_false(core_compare_day_only(now - 24 * 3600, FALSE, now)); /* recent: ls shows the time */
        g_assert_false(core_compare_day_only(-1, FALSE, now));
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/core/compare/size-then-time-within-precision", test_cases);
        g_test_add_func("/core/compare/either-way-round", test_symmetric);
        g_test_add_func("/core/compare/sizes-differ-only-when-both-known", test_sizes_differ_needs_both);
        g_test_add_func("/core/compare/day-only-dates", test_day_only);
        return g_test_run();
}
