/* core/scanner-watch.h — whether the scanner answers, watched while the program runs: clamd's
 * PING (PONG back) on a thread of its own every interval, so no key and no command ever waits
 * for it; the state is reported when it changes (and once at the start). A pool of scanners has
 * each member asked, and each one's state reported.
 * Owns: the watching thread, its interval and the ping's deadline. Must not: scan anything,
 * touch the CoreContext (it gets the address), or call curses. */
#pragma once
#include <glib.h>

/* How often the scanner is asked: 30 s, or CLAMFTP_SCANNER_PING_MS (tests, 50 ms and up). */
#define CORE_SCANNER_WATCH_INTERVAL_MS 30000
guint core_scanner_watch_interval_ms(void);

/* Called on the watching thread: reachable (a pool: at least one member answers) or not, why not
 * (NULL when a single scanner is reachable); for a pool, `members` says how many answer
 * ("2/3 up") and `why` each member's state and last answer. Called when the state changes,
 * a pool's members' states included (and once at the start). */
typedef void (*CoreScannerWatchNotify)(gboolean reachable, const char *why, const char *members, gpointer data);

typedef struct CoreScannerWatch CoreScannerWatch;
/* Starts watching `address` ("unix:/path", "tcp:host:port") at once, then every interval. */
CoreScannerWatch *core_scanner_watch_new(const char *address, guint interval_ms,
                                         CoreScannerWatchNotify notify, gpointer data);
/* Watches another address from now on (asked at once); the same address changes nothing. */
void core_scanner_watch_set_address(CoreScannerWatch *watch, const char *address);
/* Stops the thread (a ping in flight ends within its deadline) and joins it. */
void core_scanner_watch_free(CoreScannerWatch *watch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreScannerWatch, core_scanner_watch_free)
