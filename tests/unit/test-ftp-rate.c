/* tests/unit/test-ftp-rate.c — speed limits as virtual clocks (ftp/rate.c): one transfer keeps
 * its limit, several share the total one, the stricter of the two wins, idle time earns no burst,
 * a new limit starts from now, and the pieces between two waits stay a tenth of a second. The
 * clock is simulated: each transfer moves its next piece once its wait is over. */
#include <glib.h>

#include "ftp/rate.h"

#define PIECE 65536
#define MIB (1024 * 1024)

/* n transfers move `bytes` each in pieces, each one going on when its last wait ended; returns the
 * simulated time (µs) until the last byte could go. */
static gint64 simulate(FtpRateLimits *limits, guint n, guint64 bytes)
{
        FtpRateClock clocks[8] = { { 0 } };
        gint64 ready[8] = { 0 };
        guint64 left[8];
        g_assert_cmpuint(n, <=, G_N_ELEMENTS(clocks));
        for (guint i = 0; i < n; i++)
                left[i] = bytes;
        gint64 end = 0;
        for (;;) {
                int next = -1; /* the transfer whose turn comes first */
                for (guint i = 0; i < n; i++)
                        if (left[i] > 0 && (next < 0 || ready[i] < ready[next]))
                                next = (int)i;
                if (next < 0)
                        return end;
                gsize piece = (gsize)MIN((guint64)PIECE, left[next]);
                left[next] -= piece;
                gint64 wait = ftp_rate_account(limits, &clocks[next], piece, ready[next]);
                g_assert_cmpint(wait, >=, 0);
                ready[next] += wait;
                end = MAX(end, ready[next]);
        }
}

static void assert_rate(gint64 us, guint64 bytes, guint64 want)
{
        double rate = (double)bytes / ((double)us / G_USEC_PER_SEC);
        if (rate < want * 0.98 || rate > want * 1.02)
                g_error("%.0f bytes/s, want %" G_GUINT64_FORMAT, rate, want);
}

static void test_no_limit(void)
{
        g_autoptr(FtpRateLimits) limits = ftp_rate_limits_new();
        FtpRateClock clock = { 0 };
        g_assert_cmpint(ftp_rate_account(limits, &clock, 10 * MIB, 1), ==, 0);
        g_assert_cmpint(ftp_rate_account(NULL, &clock, 10 * MIB, 1), ==, 0);
        g_assert_cmpuint(ftp_rate_piece(limits, 4096), ==, 4096);
        g_assert_cmpuint(ftp_rate_piece(NULL, 4096), ==, 4096);
}

static void test_per_transfer(void)
{
        g_autoptr(FtpRateLimits) limits = ftp_rate_limits_new();
        ftp_rate_limits_set(limits, 2 * MIB, 0);
        assert_rate(simulate(limits, 1, 10 * MIB), 10 * MIB, 2 * MIB);
        /* four transfers each keep their own: four times the bytes in the same time */
        assert_rate(simulate(limits, 4, 10 * MIB), 40 * MIB, 8 * MIB);
}

static void test_total_is_shared(void)
{
        g_autoptr(FtpRateLimits) limits = ftp_rate_limits_new();
        ftp_rate_limits_set(limits, 0, 2 * MIB);
        assert_rate(simulate(limits, 1, 10 * MIB), 10 * MIB, 2 * MIB);
        ftp_rate_limits_set(limits, 0, 2 * MIB);
        assert_rate(simulate(limits, 4, 5 * MIB / 2), 10 * MIB, 2 * MIB);
}

static void test_stricter_wins(void)
{
        g_autoptr(FtpRateLimits) limits = ftp_rate_limits_new();
        ftp_rate_limits_set(limits, 1 * MIB, 3 * MIB);
        assert_rate(simulate(limits, 1, 4 * MIB), 4 * MIB, 1 * MIB);    /* one: its own limit */
        ftp_rate_limits_set(limits, 1 * MIB, 3 * MIB);
        assert_rate(simulate(limits, 6, 2 * MIB), 12 * MIB, 3 * MIB);   /* six: the total */
        guint64 per = 0, total = 0;
        ftp_rate_limits_get(limits, &per, &total);
        g_assert_cmpuint(per, ==, 1 * MIB);
        g_assert_cmpuint(total, ==, 3 * MIB);
}

/* A transfer that was idle gets no credit for it: the piece after a pause waits as any other. */
static void test_idle_earns_no_burst(void)
{
        g_autoptr(FtpRateLimits) limits = ftp_rate_limits_new();
        ftp_rate_limits_set(limits, 1000000, 0);
        FtpRateClock clock = { 0 };
        g_assert_cmpint(ftp_rate_account(limits, &clock, 100000, 1000000), ==, 100000);
        g_assert_cmpint(ftp_rate_account(limits, &clock, 100000, 1050000), ==, 150000); /* 50 ms still owed */
        g_assert_cmpint(ftp_rate_account(limits, &clock, 100000, 60000000), ==, 100000);
}

static void test_piece(void)
{
        g_autoptr(FtpRateLimits) limits = ftp_rate_limits_new();
        ftp_rate_limits_set(limits, 2 * MIB, 0);
        g_assert_cmpuint(ftp_rate_piece(limits, 4 * MIB), ==, 2 * MIB / 10);
        ftp_rate_limits_set(limits, 2 * MIB, 1 * MIB);
        g_assert_cmpuint(ftp_rate_piece(limits, 4 * MIB), ==, MIB / 10);
        ftp_rate_limits_set(limits, 1000, 0);
        g_assert_cmpuint(ftp_rate_piece(limits, 4 * MIB), ==, 16 * 1024); /* at least 16 KiB */
        ftp_rate_limits_set(limits, 0, 0);
        g_assert_cmpuint(ftp_rate_piece(limits, 4 * MIB), ==, 4 * MIB);
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/ftp/rate/no-limit", test_no_limit);
        g_test_add_func("/ftp/rate/per-transfer", test_per_transfer);
        g_test_add_func("/ftp/rate/total-is-shared", test_total_is_shared);
        g_test_add_func("/ftp/rate/stricter-wins", test_stricter_wins);
        g_test_add_func("/ftp/rate/idle-earns-no-burst", test_idle_earns_no_burst);
        g_test_add_func("/ftp/rate/piece", test_piece);
        return g_test_run();
}
