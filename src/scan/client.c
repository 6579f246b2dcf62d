/* scan/client.c — the scanner every upload is judged by: one address, or a pool of members.
 * Owns: the members and their shared health (under one mutex), picking a member per file (the
 * healthy one with the fewest scans in flight, in turn, none past its Max-Connections; a file
 * waits for a free slot when all are full), scanning a file again on another member
 * when one gives no verdict, waiting with backoff for a member to come back, and the refusal
 * when none does. Must not: speak a scanner protocol itself (scan/backend.h does), decide what
 * to upload, print, or touch the screen. Fails closed: see scan/client.h. */
#include "config.h"
#include "scan/client.h"
#include "scan/backend.h"
#include "scan/verdict-private.h"
#include "common/i18n.h"

#include <netdb.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#define DEFAULT_TIMEOUT_MS 60000
/* A PING (a health check) waits at most this long, whatever the scan timeout. */
#define CHECK_TIMEOUT_MS 5000
/* Every member is asked again this often while scans run (CLAMFTP_SCANNER_PING_MS: tests). */
#define CHECK_INTERVAL_MS 30000
#define CHECK_INTERVAL_MIN_MS 50
/* Between rounds of asking members that are gone: 0.25 s, doubling up to 5 s. */
#define BACKOFF_FIRST_MS 250
#define BACKOFF_MAX_MS 5000
/* Members found gone this long after the last scan that found them so (another batch, later)
 * are waited for again in full. */
#define GONE_FORGOTTEN_MS 15000
/* A scan waiting for a member below its Max-Connections looks at its cancel fd this often. */
#define SLOT_POLL_MS 100

typedef struct {
        char *address;          /* normalised */
        ScanMemberState state;
        char *answer;           /* last answer, sanitised; NULL: none yet */
        guint64 scans;
        guint in_flight;        /* scans running on it now, all copies together */
        guint cap;              /* at most this many in flight (ICAP's Max-Connections); 0: no cap */
        gboolean checking;      /* a thread is asking it PING */
} Member;

/* What every copy of a client shares. */
typedef struct {
        gint refs;
        GMutex lock;            /* guards everything below */
        GCond freed;            /* a scan ended: a member at its cap may have a free slot */
        guint freed_waiting;    /* threads waiting on `freed` (none: no broadcast, no syscall) */
        guint64 ends;           /* scans ended so far (what a wait for a slot watches) */
        char *address;          /* the list, normalised */
        Member *members;
        guint n;
        guint next;             /* where the next pick starts looking (in turn) */
        gint64 checked_at;      /* monotonic time of the last check of every member; 0: never */
        gboolean checking;      /* a thread checks every member now */
        gint64 gone_since;      /* when a scan first found no member to ask; 0: one answered since */
        gint64 gone_seen;       /* when a scan last found none (an older sighting starts the clock again) */
        guint interval_ms;
} Pool;

struct ScanClient {
        Pool *pool;
        ScanBackend **backends; /* one per member, this copy's own */
        int timeout_ms;
        int cancel_fd;
        int wait_ms;
};

/* ---- the list ---------------------------------------------------------------------------- */

static guint check_interval_ms(void)
{
        const char *env = g_getenv("CLAMFTP_SCANNER_PING_MS");
        guint64 ms = 0;
        if (env && g_ascii_string_to_unsigned(env, 10, CHECK_INTERVAL_MIN_MS, G_MAXUINT, &ms, NULL))
                return (guint)ms;
        return CHECK_INTERVAL_MS;
}

/* "tcp:name:port" → one "tcp:IP:port" per address of name; anything else (a literal, a unix
 * socket, a name that does not resolve now: it is tried again at each connect) as it is. */
static void resolve_into(GPtrArray *out, const char *address)
{
        const char *spec = g_str_has_prefix(address, "tcp:") ? address + strlen("tcp:") : NULL;
        const char *colon = spec ? strrchr(spec, ':') : NULL;
        g_autofree char *host = colon && spec[0] != '[' ? g_strndup(spec, colon - spec) : NULL;
        struct addrinfo *list = NULL;
        struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG };
        if (!host || g_hostname_is_ip_address(host) || getaddrinfo(host, colon + 1, &hints, &list) != 0) {
                g_ptr_array_add(out, g_strdup(address));
                return;
        }
        guint before = out->len;
        for (struct addrinfo *ai = list; ai; ai = ai->ai_next) {
                char ip[INET6_ADDRSTRLEN];
                const void *where = ai->ai_family == AF_INET6
                        ? (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr
                        : (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr;
                if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
                    !inet_ntop(ai->ai_family, where, ip, sizeof ip))
                        continue;
                g_ptr_array_add(out, ai->ai_family == AF_INET6 ? g_strdup_printf("tcp:[%s]:%s", ip, colon + 1)
                                                               : g_strdup_printf("tcp:%s:%s", ip, colon + 1));
        }
        freeaddrinfo(list);
        if (out->len == before)
                g_ptr_array_add(out, g_strdup(address));
}

static gboolean listed(GPtrArray *members, const char *address)
{
        for (guint i = 0; i < members->len; i++) {
                if (strcmp(scan_backend_address(members->pdata[i]), address) == 0)
                        return TRUE;
        }
        return FALSE;
}

/* Every member of the list as a backend, resolved and without repeats; NULL with the first
 * address that is not one. *normal: the list as given, normalised. */
static GPtrArray *members_of(const char *addresses, char **normal, GError **error)
{
        g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func((GDestroyNotify)scan_backend_free);
        g_autoptr(GString) joined = g_string_new(NULL);
        g_auto(GStrv) items = g_strsplit(addresses ? addresses : "", ",", -1);
        for (char **item = items; *item; item++) {
                g_strstrip(*item);
                if (!**item)
                        continue;
                g_autoptr(ScanBackend) given = scan_backend_new(*item, error);
                if (!given)
                        return NULL;
                g_string_append_printf(joined, "%s%s", joined->len ? "," : "", scan_backend_address(given));
                g_autoptr(GPtrArray) resolved = g_ptr_array_new_with_free_func(g_free);
                resolve_into(resolved, scan_backend_address(given));
                for (guint i = 0; i < resolved->len; i++) {
                        if (listed(members, resolved->pdata[i]))
                                continue;
                        ScanBackend *member = scan_backend_new(resolved->pdata[i], error);
                        if (!member)
                                return NULL;
                        g_ptr_array_add(members, member);
                }
        }
        if (members->len == 0) {
                /* the one address's own words for an empty one */
                g_autoptr(ScanBackend) none = scan_backend_new(addresses ? addresses : "", error);
                if (none) /* cannot happen: an empty address does not parse */
                        g_set_error_literal(error, SCAN_ERROR, SCAN_ERROR_ADDRESS, _("No scanner address was given."));
                return NULL;
        }
        *normal = g_string_free(g_steal_pointer(&joined), FALSE);
        return g_steal_pointer(&members);
}

ScanClient *scan_client_new(const char *addresses, GError **error)
{
        g_autofree char *normal = NULL;
        g_autoptr(GPtrArray) members = members_of(addresses, &normal, error);
        if (!members)
                return NULL;
        Pool *pool = g_new0(Pool, 1);
        pool->refs = 1;
        g_mutex_init(&pool->lock);
        g_cond_init(&pool->freed);
        pool->address = g_steal_pointer(&normal);
        pool->n = members->len;
        pool->members = g_new0(Member, pool->n);
        pool->interval_ms = check_interval_ms();
        ScanClient *client = g_new0(ScanClient, 1);
        client->pool = pool;
        client->timeout_ms = DEFAULT_TIMEOUT_MS;
        client->cancel_fd = -1;
        client->backends = g_new0(ScanBackend *, pool->n);
        for (guint i = 0; i < pool->n; i++) {
                client->backends[i] = g_steal_pointer(&members->pdata[i]);
                pool->members[i].address = g_strdup(scan_backend_address(client->backends[i]));
        }
        return client;
}

ScanClient *scan_client_copy(ScanClient *client)
{
        ScanClient *copy = g_new0(ScanClient, 1);
        copy->pool = client->pool;
        g_atomic_int_inc(&copy->pool->refs);
        copy->timeout_ms = client->timeout_ms;
        copy->cancel_fd = -1;
        copy->wait_ms = client->wait_ms;
        copy->backends = g_new0(ScanBackend *, client->pool->n);
        for (guint i = 0; i < client->pool->n; i++)
                copy->backends[i] = scan_backend_copy(client->backends[i]);
        return copy;
}

static void pool_unref(Pool *pool)
{
        if (!g_atomic_int_dec_and_test(&pool->refs))
                return;
        for (guint i = 0; i < pool->n; i++) {
                g_free(pool->members[i].address);
                g_free(pool->members[i].answer);
        }
        g_free(pool->members);
        g_free(pool->address);
        g_mutex_clear(&pool->lock);
        g_cond_clear(&pool->freed);
        g_free(pool);
}

void scan_client_free(ScanClient *client)
{
        if (!client)
                return;
        for (guint i = 0; i < client->pool->n; i++)
                scan_backend_free(client->backends[i]);
        g_free(client->backends);
        pool_unref(client->pool);
        g_free(client);
}

const char *scan_client_address(ScanClient *client)
{
        return client->pool->address;
}

guint scan_client_member_count(ScanClient *client)
{
        return client->pool->n;
}

void scan_client_set_timeout_ms(ScanClient *client, int timeout_ms)
{
        client->timeout_ms = timeout_ms > 0 ? timeout_ms : DEFAULT_TIMEOUT_MS;
        for (guint i = 0; i < client->pool->n; i++)
                client->backends[i]->ops->set_timeout_ms(client->backends[i]->impl, client->timeout_ms);
}

void scan_client_set_cancel_fd(ScanClient *client, int cancel_fd)
{
        client->cancel_fd = cancel_fd;
        for (guint i = 0; i < client->pool->n; i++)
                client->backends[i]->ops->set_cancel_fd(client->backends[i]->impl, cancel_fd);
}

void scan_client_set_trust_lookup(ScanClient *client, ScanTrustLookup lookup)
{
        for (guint i = 0; i < client->pool->n; i++) {
                ScanBackend *backend = client->backends[i];
                if (backend->ops->set_trust_lookup)
                        backend->ops->set_trust_lookup(backend->impl, lookup);
        }
}

void scan_client_set_wait_ms(ScanClient *client, int wait_ms)
{
        client->wait_ms = MAX(wait_ms, 0);
}

/* ---- members' health ----------------------------------------------------------------------- */

/* Under the lock. */
static void member_set(Pool *pool, guint i, ScanMemberState state, const char *answer)
{
        Member *member = &pool->members[i];
        member->state = state;
        g_free(member->answer);
        member->answer = answer ? scan_text_sanitize(answer) : NULL;
        if (state == SCAN_MEMBER_UP)
                pool->gone_since = 0;
}

/* Under the lock: how many scans the member takes at once, as its backend last heard it (only
 * from a backend that just answered: one that never asked knows nothing yet). */
static void member_learn_cap(Pool *pool, guint i, const ScanBackend *backend)
{
        pool->members[i].cap = scan_backend_max_connections(backend);
}

static void member_report(ScanClient *client, guint i, ScanMemberState state, const char *answer)
{
        g_mutex_lock(&client->pool->lock);
        member_set(client->pool, i, state, answer);
        if (state == SCAN_MEMBER_UP)
                member_learn_cap(client->pool, i, client->backends[i]);
        g_mutex_unlock(&client->pool->lock);
}

/* PING on a backend with the check's deadline; the answer in *answer. */
static gboolean check_backend(ScanBackend *backend, int timeout_ms, char **answer)
{
        g_autoptr(GError) error = NULL;
        backend->ops->set_timeout_ms(backend->impl, MIN(timeout_ms, CHECK_TIMEOUT_MS));
        gboolean up = backend->ops->check(backend->impl, &error);
        backend->ops->set_timeout_ms(backend->impl, timeout_ms);
        *answer = up ? g_strdup("PONG") : g_strdup(error ? error->message : "?");
        return up;
}

typedef struct {
        ScanBackend *backend; /* a copy of its own */
        int timeout_ms;
        gboolean up;
        char *answer;
} Check;

static gpointer check_thread(gpointer data)
{
        Check *check = data;
        check->up = check_backend(check->backend, check->timeout_ms, &check->answer);
        return NULL;
}

/* Asks every member at once (a thread each) and records the answers; the number that answered. */
static guint check_all(ScanClient *client)
{
        Pool *pool = client->pool;
        g_autofree Check *checks = g_new0(Check, pool->n);
        g_autofree GThread **threads = g_new0(GThread *, pool->n);
        for (guint i = 0; i < pool->n; i++) {
                checks[i].backend = scan_backend_copy(client->backends[i]);
                checks[i].timeout_ms = client->timeout_ms;
                threads[i] = g_thread_new("clamftp-check", check_thread, &checks[i]);
        }
        guint up = 0;
        for (guint i = 0; i < pool->n; i++) {
                g_thread_join(threads[i]);
                up += checks[i].up;
        }
        g_mutex_lock(&pool->lock);
        for (guint i = 0; i < pool->n; i++) {
                member_set(pool, i, checks[i].up ? SCAN_MEMBER_UP : SCAN_MEMBER_DOWN, checks[i].answer);
                if (checks[i].up)
                        member_learn_cap(pool, i, checks[i].backend);
                g_free(checks[i].answer);
                scan_backend_free(checks[i].backend);
        }
        pool->checked_at = g_get_monotonic_time();
        g_mutex_unlock(&pool->lock);
        return up;
}

/* A pool checks every member at its first scan and every interval after (one thread does it;
 * the others go on with what is known). A single scanner is simply asked. */
static void check_if_due(ScanClient *client)
{
        Pool *pool = client->pool;
        if (pool->n < 2)
                return;
        g_mutex_lock(&pool->lock);
        gint64 now = g_get_monotonic_time();
        gboolean due = !pool->checking &&
                       (pool->checked_at == 0 || now - pool->checked_at >= (gint64)pool->interval_ms * 1000);
        if (due)
                pool->checking = TRUE;
        g_mutex_unlock(&pool->lock);
        if (!due)
                return;
        check_all(client);
        g_mutex_lock(&pool->lock);
        pool->checking = FALSE;
        g_mutex_unlock(&pool->lock);
}

gboolean scan_client_ping(ScanClient *client, GError **error)
{
        Pool *pool = client->pool;
        if (pool->n == 1) {
                gboolean up = client->backends[0]->ops->check(client->backends[0]->impl, error);
                member_report(client, 0, up ? SCAN_MEMBER_UP : SCAN_MEMBER_DOWN,
                              up ? "PONG" : error && *error ? (*error)->message : NULL);
                return up;
        }
        if (check_all(client) > 0)
                return TRUE;
        g_autoptr(GString) why = g_string_new(NULL);
        g_mutex_lock(&pool->lock);
        for (guint i = 0; i < pool->n; i++)
                g_string_append_printf(why, "%s%s", i ? "; " : "", pool->members[i].answer ? pool->members[i].answer : "?");
        g_mutex_unlock(&pool->lock);
        g_set_error(error, SCAN_ERROR, SCAN_ERROR_UNREACHABLE, _("No scanner of the pool answers: %s"), why->str);
        return FALSE;
}

char *scan_client_version(ScanClient *client, GError **error)
{
        for (guint i = 0; i < client->pool->n; i++) {
                g_autoptr(GError) local = NULL;
                char *version = client->backends[i]->ops->version(client->backends[i]->impl, &local);
                if (version)
                        return version;
                if (i + 1 == client->pool->n) {
                        g_propagate_error(error, g_steal_pointer(&local));
                        return NULL;
                }
        }
        return NULL;
}

char *scan_client_stats(ScanClient *client, GError **error)
{
        for (guint i = 0; i < client->pool->n; i++) {
                const ScanBackend *backend = client->backends[i];
                if (!backend->ops->stats)
                        continue; /* ICAP: its limits are its own (MaxObjectSize) */
                g_autoptr(GError) local = NULL;
                char *stats = backend->ops->stats(backend->impl, &local);
                if (stats)
                        return stats;
                if (error && !*error)
                        g_propagate_error(error, g_steal_pointer(&local));
        }
        if (error && !*error)
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_PROTOCOL, _("No scanner at %s has STATS."),
                            client->pool->address);
        return NULL;
}

void scan_member_free(ScanMember *member)
{
        if (!member)
                return;
        g_free(member->address);
        g_free(member->answer);
        g_free(member);
}

const char *scan_member_state_text(ScanMemberState state)
{
        switch (state) {
        case SCAN_MEMBER_UP:
                return _("up");
        case SCAN_MEMBER_DOWN:
                return _("down");
        case SCAN_MEMBER_UNCHECKED:
        default:
                return _("not checked yet");
        }
}

GPtrArray *scan_client_members(ScanClient *client)
{
        Pool *pool = client->pool;
        GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)scan_member_free);
        g_mutex_lock(&pool->lock);
        for (guint i = 0; i < pool->n; i++) {
                ScanMember *member = g_new0(ScanMember, 1);
                member->address = g_strdup(pool->members[i].address);
                member->state = pool->members[i].state;
                member->answer = g_strdup(pool->members[i].answer);
                member->scans = pool->members[i].scans;
                g_ptr_array_add(out, member);
        }
        g_mutex_unlock(&pool->lock);
        return out;
}

/* ---- one file --------------------------------------------------------------------------------- */

typedef enum {
        ANSWER_FINAL,     /* a verdict (or our own failure: the file, a cancel): returned as it is */
        ANSWER_ELSEWHERE, /* a reply that does not parse: another member may be asked, not waited for */
        ANSWER_NONE,      /* no verdict: unreachable, closed without one, timed out: asked again */
} AnswerKind;

static AnswerKind answer_kind(const ScanVerdict *verdict)
{
        if (verdict->kind != SCAN_VERDICT_ERROR)
                return ANSWER_FINAL;
        switch (verdict->reason_class) {
        case SCAN_REASON_UNREACHABLE:
        case SCAN_REASON_TIMEOUT:
                return ANSWER_NONE;
        case SCAN_REASON_PROTOCOL:
                return verdict->reply ? ANSWER_ELSEWHERE : ANSWER_NONE;
        case SCAN_REASON_UNTRUSTED: /* waiting does not change a certificate */
                return ANSWER_ELSEWHERE;
        default:
                return ANSWER_FINAL;
        }
}

/* Claims the member to scan on (under the lock: its scan counts in flight): one not down, not
 * yet tried for this file and below its cap, with the fewest scans in flight, in turn; -1 when
 * there is none, with *busy TRUE when one was passed over only for its cap. */
static int pick(Pool *pool, const gboolean *tried, gboolean *busy)
{
        int best = -1;
        *busy = FALSE;
        for (guint k = 0; k < pool->n; k++) {
                guint i = (pool->next + k) % pool->n;
                Member *member = &pool->members[i];
                if (tried[i] || member->state == SCAN_MEMBER_DOWN)
                        continue;
                if (member->cap && member->in_flight >= member->cap) {
                        *busy = TRUE;
                        continue;
                }
                if (best < 0 || member->in_flight < pool->members[best].in_flight)
                        best = (int)i;
        }
        if (best >= 0) {
                pool->members[best].in_flight++;
                pool->next = (guint)best + 1;
        }
        return best;
}

/* Asks the members that are down (and not tried for this file, nor being asked by another
 * thread) whether they are back, one after another; claims and returns the first that answers. */
static int ask_gone(ScanClient *client, const gboolean *tried)
{
        Pool *pool = client->pool;
        for (guint i = 0; i < pool->n; i++) {
                g_mutex_lock(&pool->lock);
                Member *member = &pool->members[i];
                gboolean ask = !tried[i] && member->state == SCAN_MEMBER_DOWN && !member->checking;
                if (ask)
                        member->checking = TRUE;
                g_mutex_unlock(&pool->lock);
                if (!ask)
                        continue;
                g_autofree char *answer = NULL;
                gboolean up = check_backend(client->backends[i], client->timeout_ms, &answer);
                g_mutex_lock(&pool->lock);
                member->checking = FALSE;
                member_set(pool, i, up ? SCAN_MEMBER_UP : SCAN_MEMBER_DOWN, answer);
                if (up) {
                        member_learn_cap(pool, i, client->backends[i]);
                        member->in_flight++;
                }
                g_mutex_unlock(&pool->lock);
                if (up)
                        return (int)i;
        }
        return -1;
}

static ScanVerdict *scan_on(ScanClient *client, guint i, int fd, gint64 size)
{
        Pool *pool = client->pool;
        ScanBackend *backend = client->backends[i];
        ScanVerdict *verdict = backend->ops->scan_fd(backend->impl, fd, size);
        AnswerKind kind = answer_kind(verdict);
        g_mutex_lock(&pool->lock);
        pool->members[i].in_flight--;
        pool->ends++;
        if (pool->freed_waiting > 0)
                g_cond_broadcast(&pool->freed);
        if (kind != ANSWER_FINAL)
                member_set(pool, i, SCAN_MEMBER_DOWN, verdict->reason);
        else if (verdict->reason_class != SCAN_REASON_LOCAL && verdict->reason_class != SCAN_REASON_CANCELLED) {
                member_set(pool, i, SCAN_MEMBER_UP, verdict->reply ? verdict->reply : verdict->reason);
                member_learn_cap(pool, i, backend);
                pool->members[i].scans++;
        }
        g_mutex_unlock(&pool->lock);
        scan_verdict_set_scanner(verdict, pool->members[i].address); /* the address never changes */
        return verdict;
}

/* When this wait for a member ends: `wait` after the members were first found gone (by this scan
 * or by the scans just before it: a batch waits once, not once per file). */
static gint64 wait_deadline(ScanClient *client)
{
        Pool *pool = client->pool;
        g_mutex_lock(&pool->lock);
        gint64 now = g_get_monotonic_time();
        if (pool->gone_since == 0 || now - pool->gone_seen > GONE_FORGOTTEN_MS * 1000)
                pool->gone_since = now;
        pool->gone_seen = now;
        gint64 deadline = pool->gone_since + (gint64)client->wait_ms * 1000;
        g_mutex_unlock(&pool->lock);
        return deadline;
}

/* Sleeps up to ms; FALSE when cancelled. */
static gboolean pause_ms(ScanClient *client, gint64 ms)
{
        if (ms <= 0)
                return TRUE;
        struct pollfd pfd = { .fd = client->cancel_fd, .events = POLLIN };
        int n = poll(&pfd, client->cancel_fd >= 0 ? 1 : 0, (int)MIN(ms, G_MAXINT));
        return !(n > 0 && (pfd.revents & POLLIN));
}

static gboolean cancelled(ScanClient *client)
{
        struct pollfd pfd = { .fd = client->cancel_fd, .events = POLLIN };
        return client->cancel_fd >= 0 && poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLIN);
}

static ScanVerdict *cancelled_verdict(ScanVerdict *failure)
{
        scan_verdict_free(failure);
        return scan_verdict_error_reply(NULL, SCAN_REASON_CANCELLED, _("The scan was cancelled."));
}

/* Waits until a scan ends somewhere in the pool after the `ends`-th (a member at its cap may have
 * a free slot), or until `until` (monotonic µs); looks at the cancel fd every SLOT_POLL_MS.
 * FALSE when cancelled. */
static gboolean wait_for_slot(ScanClient *client, guint64 ends, gint64 until)
{
        Pool *pool = client->pool;
        for (;;) {
                if (cancelled(client))
                        return FALSE;
                gint64 now = g_get_monotonic_time();
                if (now >= until)
                        return TRUE;
                g_mutex_lock(&pool->lock);
                if (pool->ends == ends) {
                        pool->freed_waiting++;
                        g_cond_wait_until(&pool->freed, &pool->lock, MIN(until, now + SLOT_POLL_MS * 1000));
                        pool->freed_waiting--;
                }
                gboolean ended = pool->ends != ends;
                g_mutex_unlock(&pool->lock);
                if (ended)
                        return !cancelled(client);
        }
}

/* The refusal when every member that answers was at its cap for as long as a scan may wait. */
static ScanVerdict *all_busy(ScanClient *client, ScanVerdict *failure)
{
        scan_verdict_free(failure);
        ScanVerdict *verdict = scan_verdict_error_reply(
                NULL, SCAN_REASON_TIMEOUT,
                _("Every scanner was busy with as many scans as its Max-Connections allows, and none had a free "
                  "connection in time."));
        if (client->pool->n == 1)
                scan_verdict_set_scanner(verdict, client->pool->members[0].address);
        return verdict;
}

/* The refusal when no member gave a verdict: the last failure's class, and each member's words
 * (a single scanner's are the failure's own). */
static ScanVerdict *no_verdict(ScanClient *client, ScanVerdict *failure, gint64 waited_ms)
{
        Pool *pool = client->pool;
        g_autoptr(GString) why = g_string_new(NULL);
        if (pool->n == 1) { /* its last failure, or why its last PING failed */
                g_mutex_lock(&pool->lock);
                const char *answer = pool->members[0].answer;
                g_string_append(why, failure ? failure->reason : answer ? answer : "?");
                g_mutex_unlock(&pool->lock);
        } else {
                g_autoptr(GString) members = g_string_new(NULL);
                g_mutex_lock(&pool->lock);
                for (guint i = 0; i < pool->n; i++)
                        g_string_append_printf(members, "%s%s: %s", i ? "; " : "", pool->members[i].address,
                                               pool->members[i].answer ? pool->members[i].answer : "?");
                g_mutex_unlock(&pool->lock);
                g_string_printf(why, _("No scanner of the pool gave a verdict (%s)."), members->str);
        }
        if (waited_ms > 0) /* only when it waited: a wait of 0 says nothing of one */
                g_string_append_printf(why, _(" Waited %" G_GINT64_FORMAT " s for a scanner to come back."),
                                       MAX((waited_ms + 500) / 1000, 1));
        ScanVerdict *verdict = scan_verdict_error_reply(failure ? failure->reply : NULL,
                                                        failure ? failure->reason_class : SCAN_REASON_UNREACHABLE,
                                                        why->str);
        if (pool->n == 1)
                scan_verdict_set_scanner(verdict, pool->members[0].address);
        scan_verdict_free(failure);
        return verdict;
}

ScanVerdict *scan_client_scan_fd(ScanClient *client, int fd, gint64 size)
{
        Pool *pool = client->pool;
        check_if_due(client);
        g_autofree gboolean *tried = g_new0(gboolean, pool->n);
        ScanVerdict *failure = NULL;
        gboolean failed = FALSE, none = FALSE; /* a member failed this file; one of them gave no answer */
        gint64 waiting_since = 0; /* when this scan first paused for a member to come back */
        gint64 busy_since = 0;    /* when this scan first found every member that answers at its cap */
        gint64 backoff_ms = BACKOFF_FIRST_MS;
        for (;;) {
                gboolean busy;
                g_mutex_lock(&pool->lock);
                int i = pick(pool, tried, &busy);
                guint64 ends = pool->ends;
                g_mutex_unlock(&pool->lock);
                if (i < 0 && !busy)
                        i = ask_gone(client, tried);
                if (i >= 0) {
                        ScanVerdict *verdict = scan_on(client, (guint)i, fd, size);
                        AnswerKind kind = answer_kind(verdict);
                        if (kind == ANSWER_FINAL) {
                                scan_verdict_free(failure);
                                return verdict;
                        }
                        tried[i] = TRUE;
                        failed = TRUE;
                        none = none || kind == ANSWER_NONE;
                        scan_verdict_free(failure);
                        failure = verdict;
                        continue;
                }
                if (busy) { /* a slot frees when a scan ends: waited for up to one scan's timeout */
                        gint64 now = g_get_monotonic_time();
                        busy_since = busy_since ? busy_since : now;
                        gint64 until = busy_since + (gint64)client->timeout_ms * 1000;
                        if (now >= until)
                                return all_busy(client, failure);
                        if (!wait_for_slot(client, ends, until))
                                return cancelled_verdict(failure);
                        continue;
                }
                /* a reply that does not parse will not parse better later: only silence is waited out */
                gint64 deadline = !failed || none ? wait_deadline(client) : 0;
                gint64 now = g_get_monotonic_time();
                gint64 left_ms = deadline > now ? (deadline - now + 999) / 1000 : 0; /* to the deadline */
                if (left_ms <= 0)
                        return no_verdict(client, failure, waiting_since ? (now - waiting_since) / 1000 : 0);
                if (!waiting_since)
                        waiting_since = now;
                if (!pause_ms(client, MIN(backoff_ms, left_ms)))
                        return cancelled_verdict(failure);
                backoff_ms = MIN(backoff_ms * 2, BACKOFF_MAX_MS);
                memset(tried, 0, pool->n * sizeof *tried);
        }
}

gboolean scan_client_uses_fildes(ScanClient *client)
{
        ScanBackend *first = client->backends[0];
        return first->ops->uses_fildes && first->ops->uses_fildes(first->impl);
}

void scan_client_use_sessions(ScanClient *client, gboolean use)
{
        for (guint i = 0; i < client->pool->n; i++) {
                ScanBackend *backend = client->backends[i];
                if (backend->ops->use_sessions)
                        backend->ops->use_sessions(backend->impl, use);
        }
}

void scan_client_end_session(ScanClient *client)
{
        for (guint i = 0; i < client->pool->n; i++) {
                ScanBackend *backend = client->backends[i];
                if (backend->ops->end_session)
                        backend->ops->end_session(backend->impl);
        }
}
