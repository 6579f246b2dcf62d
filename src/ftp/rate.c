/* ftp/rate.c — speed limits as virtual clocks (see rate.h). */
#include "ftp/rate.h"

#define MIN_PIECE (16 * 1024)

struct FtpRateLimits {
        gint refs;
        GMutex lock;
        guint64 per_transfer; /* bytes per second, 0: none */
        guint64 total;
        gint64 total_next_us; /* the shared clock: when every transfer's bytes so far are due */
};

FtpRateLimits *ftp_rate_limits_new(void)
{
        FtpRateLimits *limits = g_new0(FtpRateLimits, 1);
        limits->refs = 1;
        g_mutex_init(&limits->lock);
        return limits;
}

FtpRateLimits *ftp_rate_limits_ref(FtpRateLimits *limits)
{
        g_atomic_int_inc(&limits->refs);
        return limits;
}

void ftp_rate_limits_unref(FtpRateLimits *limits)
{
        if (!limits || !g_atomic_int_dec_and_test(&limits->refs))
                return;
        g_mutex_clear(&limits->lock);
        g_free(limits);
}

void ftp_rate_limits_set(FtpRateLimits *limits, guint64 per_transfer, guint64 total)
{
        g_mutex_lock(&limits->lock);
        limits->per_transfer = per_transfer;
        limits->total = total;
        limits->total_next_us = 0; /* a new limit starts from now, without the old one's debt */
        g_mutex_unlock(&limits->lock);
}

void ftp_rate_limits_get(FtpRateLimits *limits, guint64 *per_transfer, guint64 *total)
{
        g_mutex_lock(&limits->lock);
        *per_transfer = limits->per_transfer;
        *total = limits->total;
        g_mutex_unlock(&limits->lock);
}

/* Pushes a clock by `bytes` at `rate`: from now when it fell behind (no credit for idle time). */
static gint64 push(gint64 *next_us, guint64 rate, gsize bytes, gint64 now_us)
{
        if (*next_us < now_us)
                *next_us = now_us;
        *next_us += (gint64)((guint64)bytes * G_USEC_PER_SEC / rate);
        return *next_us - now_us;
}

gint64 ftp_rate_account(FtpRateLimits *limits, FtpRateClock *clock, gsize bytes, gint64 now_us)
{
        if (!limits)
                return 0;
        gint64 wait = 0;
        g_mutex_lock(&limits->lock);
        if (limits->per_transfer > 0)
                wait = push(&clock->next_us, limits->per_transfer, bytes, now_us);
        if (limits->total > 0) {
                gint64 shared = push(&limits->total_next_us, limits->total, bytes, now_us); /* once: MAX evaluates twice */
                wait = MAX(wait, shared);
        }
        g_mutex_unlock(&limits->lock);
        return wait;
}

gsize ftp_rate_piece(FtpRateLimits *limits, gsize fallback)
{
        if (!limits)
                return fallback;
        guint64 per, total;
        ftp_rate_limits_get(limits, &per, &total);
        guint64 rate = per && total ? MIN(per, total) : MAX(per, total);
        if (rate == 0)
                return fallback;
        return (gsize)CLAMP(rate / 10, MIN_PIECE, fallback);
}
