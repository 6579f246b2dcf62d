/* core/keyring.c — site passwords in the Secret Service through libsecret (see keyring.h).
 * Owns: the schema, a deadline on each call, the words of its errors.
 * Must not: write a password anywhere else, or block without a deadline. */
#include "common/i18n.h"
#include "common/quark.h"
#include "core/keyring.h"

#include <libsecret/secret.h>
#include <string.h>

COMMON_DEFINE_QUARK(core-keyring-error-quark, core_keyring_error)

static const SecretSchema site_schema = {
        "org.clamftp.Site", SECRET_SCHEMA_NONE,
        {
                { "site", SECRET_SCHEMA_ATTRIBUTE_STRING },
                { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
                { "port", SECRET_SCHEMA_ATTRIBUTE_INTEGER },
                { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
                { NULL, 0 },
        },
        0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

/* Cancels `cancel` when the deadline passes before done() is called: libsecret's calls have no
 * timeout of their own, and an unlock prompt on a display nobody sees would wait for ever. */
typedef struct {
        GMutex lock;
        GCond cond;
        gboolean done;
        GCancellable *cancel;
        GThread *thread;
} Deadline;

static gpointer deadline_watch(gpointer data)
{
        Deadline *d = data;
        gint64 end = g_get_monotonic_time() + CORE_KEYRING_TIMEOUT_S * G_TIME_SPAN_SECOND;
        g_mutex_lock(&d->lock);
        while (!d->done) {
                if (!g_cond_wait_until(&d->cond, &d->lock, end)) {
                        g_cancellable_cancel(d->cancel);
                        break;
                }
        }
        g_mutex_unlock(&d->lock);
        return NULL;
}

static void deadline_start(Deadline *d)
{
        g_mutex_init(&d->lock);
        g_cond_init(&d->cond);
        d->done = FALSE;
        d->cancel = g_cancellable_new();
        d->thread = g_thread_new("keyring-deadline", deadline_watch, d);
}

static void deadline_end(Deadline *d)
{
        g_mutex_lock(&d->lock);
        d->done = TRUE;
        g_cond_signal(&d->cond);
        g_mutex_unlock(&d->lock);
        g_thread_join(d->thread);
        g_object_unref(d->cancel);
        g_mutex_clear(&d->lock);
        g_cond_clear(&d->cond);
}

/* libsecret's error, in words that say what follows. */
static gboolean unavailable(GError *cause, GError **error)
{
        if (g_error_matches(cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                g_set_error(error, CORE_KEYRING_ERROR, CORE_KEYRING_ERROR_UNAVAILABLE,
                            _("the keyring did not answer within %d s (locked, or waiting for a prompt)"),
                            CORE_KEYRING_TIMEOUT_S);
        else
                g_set_error(error, CORE_KEYRING_ERROR, CORE_KEYRING_ERROR_UNAVAILABLE, _("no keyring is reachable: %s"),
                            cause ? cause->message : _("unknown error"));
        g_clear_error(&cause);
        return FALSE;
}

gboolean core_keyring_available(GError **error)
{
        Deadline d;
        deadline_start(&d);
        GError *local = NULL;
        SecretService *service = secret_service_get_sync(SECRET_SERVICE_NONE, d.cancel, &local);
        deadline_end(&d);
        if (!service)
                return unavailable(local, error);
        g_object_unref(service);
        return TRUE;
}

char *core_keyring_lookup(const CoreKeyringKey *key, GError **error)
{
        Deadline d;
        deadline_start(&d);
        GError *local = NULL;
        char *password = secret_password_lookup_nonpageable_sync(&site_schema, d.cancel, &local, "site", key->site,
                                                                  "host", key->host, "port", (int)key->port, "user",
                                                                  key->user ? key->user : "", NULL);
        deadline_end(&d);
        if (local) {
                unavailable(local, error);
                return NULL;
        }
        if (!password)
                return NULL;
        char *copy = g_strdup(password); /* out of libsecret's non-pageable pool, freed at once */
        secret_password_free(password);
        return copy;
}

gboolean core_keyring_store(const CoreKeyringKey *key, const char *password, GError **error)
{
        g_autofree char *label = g_strdup_printf(_("clamftp site %s (%s@%s:%u)"), key->site,
                                                 key->user ? key->user : "", key->host, key->port);
        Deadline d;
        deadline_start(&d);
        GError *local = NULL;
        gboolean ok = secret_password_store_sync(&site_schema, SECRET_COLLECTION_DEFAULT, label, password, d.cancel,
                                                 &local, "site", key->site, "host", key->host, "port",
                                                 (int)key->port, "user", key->user ? key->user : "", NULL);
        deadline_end(&d);
        return ok || unavailable(local, error);
}

gboolean core_keyring_clear(const char *site, GError **error)
{
        Deadline d;
        deadline_start(&d);
        GError *local = NULL;
        secret_password_clear_sync(&site_schema, d.cancel, &local, "site", site, NULL);
        deadline_end(&d);
        return !local || unavailable(local, error);
}

void core_keyring_password_free(char *password)
{
        if (password)
                memset(password, 0, strlen(password));
        g_free(password);
}
