/* ftp/rate.h — transfer speed limits: one per transfer and one for all transfers together,
 * shared by every connection of a context (each on its own thread) and changed at any time.
 * A limit is a virtual clock (GCRA): the bytes a transfer moved push its clock by bytes/limit;
 * the transfer waits while its clock (or the shared one) runs ahead of now.
 * Owns: the limits and the shared clock, under a mutex. Must not: sleep (the session waits, so
 * that a cancel still ends the wait), or touch a socket. */
#pragma once
#include <glib.h>

typedef struct FtpRateLimits FtpRateLimits;

FtpRateLimits *ftp_rate_limits_new(void);
FtpRateLimits *ftp_rate_limits_ref(FtpRateLimits *limits);
void ftp_rate_limits_unref(FtpRateLimits *limits);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FtpRateLimits, ftp_rate_limits_unref)

/* Bytes per second; 0: no limit. Takes effect at each transfer's next piece of data. */
void ftp_rate_limits_set(FtpRateLimits *limits, guint64 per_transfer, guint64 total);
void ftp_rate_limits_get(FtpRateLimits *limits, guint64 *per_transfer, guint64 *total);

/* One transfer's own clock (zeroed at its start). */
typedef struct {
        gint64 next_us; /* monotonic time its bytes so far are due by; 0: not started */
} FtpRateClock;

/* `bytes` just moved by the transfer of `clock` at monotonic time `now_us`: how long it must wait
 * (microseconds, 0: none) before it moves more, under both limits. NULL limits: 0. */
gint64 ftp_rate_account(FtpRateLimits *limits, FtpRateClock *clock, gsize bytes, gint64 now_us);
/* How many bytes a transfer should move at most between two accounts, so that each wait stays
 * short (a tenth of a second of data, at least 16 KiB); `fallback` when nothing is limited. */
gsize ftp_rate_piece(FtpRateLimits *limits, gsize fallback);
