/* core/scanner-watch.c — the scanner's PING every interval on its own thread (see
 * scanner-watch.h). Must not: scan, touch the CoreContext or call curses. */
#include "core/scanner-watch.h"
#include "core/trust.h"
#include "scan/client.h"
#include "common/i18n.h"
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

/* One round of PINGs; FALSE with why it failed. For a pool, *members ("2/3 up"), *states (one
 * letter per member, to see a change) and *why (each member's state and last answer). */
static gboolean ping(ScanClient *client, char **why, char **members, char **states)
{
        g_autoptr(GError) error = NULL;
        gboolean up = scan_client_ping(client, &error);
        if (!up)
                *why = g_strdup(error ? error->message : "?");
        if (scan_client_member_count(client) < 2)
                return up;
        g_autoptr(GPtrArray) list = scan_client_members(client);
        g_autoptr(GString) detail = g_string_new(NULL);
        g_autoptr(GString) letters = g_string_new(NULL);
        guint answering = 0;
        for (guint i = 0; i < list->len; i++) {
                const ScanMember *member = list->pdata[i];
                answering += member->state == SCAN_MEMBER_UP;
                g_string_append_c(letters, member->state == SCAN_MEMBER_UP ? 'u' : 'd');
                g_string_append_printf(detail, "%s%s: %s (%s)", i ? "; " : "", member->address,
                                       scan_member_state_text(member->state), member->answer ? member->answer : "?");
        }
        /* TRANSLATORS: how many members of the scanner pool answer, of how many: "2/3 up" */
        *members = g_strdup_printf(_("%u/%u up"), answering, list->len);
        *states = g_string_free(g_steal_pointer(&letters), FALSE);
        g_free(*why);
        *why = g_string_free(g_steal_pointer(&detail), FALSE);
        return up;
}

static gpointer watch_thread(gpointer data)
{
        CoreScannerWatch *watch = data;
        int known = -1; /* -1: not asked yet; else the last state reported */
        g_autofree char *known_states = NULL;
        g_autoptr(ScanClient) client = NULL;
        g_autofree char *client_address = NULL;
        g_autofree char *client_error = NULL; /* why the address makes no client */
        g_mutex_lock(&watch->lock);
        while (!watch->stop) {
                g_autofree char *address = g_strdup(watch->address);
                gboolean fresh = watch->again;
                watch->again = FALSE;
                g_mutex_unlock(&watch->lock);
                if (!client || g_strcmp0(address, client_address) != 0) {
                        g_clear_pointer(&client, scan_client_free);
                        g_free(client_address);
                        client_address = g_strdup(address);
                        g_autoptr(GError) error = NULL;
                        client = scan_client_new(address, &error);
                        g_free(client_error);
                        client_error = client ? NULL : g_strdup(error->message);
                        if (client) {
                                scan_client_set_timeout_ms(client, PING_DEADLINE_MS);
                                scan_client_set_trust_lookup(client, core_trust_lookup);
                        }
                }
                g_autofree char *why = NULL, *members = NULL, *states = NULL;
                gboolean up = client && ping(client, &why, &members, &states);
                if (!client)
                        why = g_strdup(client_error);
                if (fresh || known != up || g_strcmp0(states, known_states) != 0)
                        watch->notify(up, why, members, watch->data);
                known = up;
                g_free(known_states);
                known_states = g_steal_pointer(&states);
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
