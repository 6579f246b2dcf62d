/* core/scanner-watch.c — the scanner's PING every interval on its own thread (see
 * scanner-watch.h). Must not: scan, touch the CoreContext or call curses. */
#include "core/scanner-watch.h"
#include "core/trust.h"
#include "scan/client.h"
#include <stdlib.h>

#define PING_DEADLINE_MS 5000
#define INTERVAL_MIN_MS 50

struct CoreScannerWatch {
        GMutex lock;
        GCond wake;
        gboolean stop;
        gboolean again;          /* the address changed: ask at once */
        char *address;
        guint interval_ms;
        CoreScannerWatchNotify notify;
        gpointer data;
        GThread *thread;
};

guint core_scanner_watch_interval_ms(void)
{
        const char *env = g_getenv("CLAMFTP_SCANNER_PING_MS");
        guint64 ms = 0;
        if (env && g_ascii_string_to_unsigned(env, 10, INTERVAL_MIN_MS, G_MAXUINT, &ms, NULL))
                return (guint)ms;
        return CORE_SCANNER_WATCH_INTERVAL_MS;
}

/* One PING on a client of its own; FALSE with why it failed. */
static gboolean ping(const char *address, char **why)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanClient) client = scan_client_new(address, &error);
        if (client) {
                scan_client_set_timeout_ms(client, PING_DEADLINE_MS);
                scan_client_set_trust_lookup(client, core_trust_lookup);
                if (scan_client_ping(client, &error))
                        return TRUE;
        }
        *why = g_strdup(error ? error->message : "?");
        return FALSE;
}

static gpointer watch_thread(gpointer data)
{
        CoreScannerWatch *watch = data;
        int known = -1; /* -1: not asked yet; else the last state reported */
        g_mutex_lock(&watch->lock);
        while (!watch->stop) {
                g_autofree char *address = g_strdup(watch->address);
                gboolean fresh = watch->again;
                watch->again = FALSE;
                g_mutex_unlock(&watch->lock);
                g_autofree char *why = NULL;
                gboolean up = ping(address, &why);
                if (fresh || known != up)
                        watch->notify(up, why, watch->data);
                known = up;
                g_mutex_lock(&watch->lock);
                gint64 until = g_get_monotonic_time() + (gint64)watch->interval_ms * 1000;
                while (!watch->stop && !watch->again && g_cond_wait_until(&watch->wake, &watch->lock, until))
                        ; /* woken early for nothing: wait on */
        }
        g_mutex_unlock(&watch->lock);
        return NULL;
}

CoreScannerWatch *core_scanner_watch_new(const char *address, guint interval_ms,
                                         CoreScannerWatchNotify notify, gpointer data)
{
        CoreScannerWatch *watch = g_new0(CoreScannerWatch, 1);
        g_mutex_init(&watch->lock);
        g_cond_init(&watch->wake);
        watch->address = g_strdup(address);
        watch->interval_ms = MAX(interval_ms, INTERVAL_MIN_MS);
        watch->notify = notify;
        watch->data = data;
        watch->again = TRUE;
        watch->thread = g_thread_new("scanner-watch", watch_thread, watch);
        return watch;
}

void core_scanner_watch_set_address(CoreScannerWatch *watch, const char *address)
{
        g_mutex_lock(&watch->lock);
        if (g_strcmp0(watch->address, address) != 0) {
                g_free(watch->address);
                watch->address = g_strdup(address);
                watch->again = TRUE;
                g_cond_signal(&watch->wake);
        }
        g_mutex_unlock(&watch->lock);
}

void core_scanner_watch_free(CoreScannerWatch *watch)
{
        if (!watch)
                return;
        g_mutex_lock(&watch->lock);
        watch->stop = TRUE;
        g_cond_signal(&watch->wake);
        g_mutex_unlock(&watch->lock);
        g_thread_join(watch->thread);
        g_mutex_clear(&watch->lock);
        g_cond_clear(&watch->wake);
        g_free(watch->address);
        g_free(watch);
}
