/* tests/unit/test-scan-pool.c — a scanner client made from a list: members, spreading, a member
 * that gives no verdict (dead, closed, silent, garbage) and the file scanned on another, a real
 * answer that is final, the wait for a scanner to come back, and the refusal when none does;
 * ICAP members' Max-Connections (a slow loopback ICAP fake that counts the scans it runs at once).
 * Must not: need a real clamd (in-process fakes, tests/unit/scan-fake.h). */
#include "config.h"
#include "scan/client.h"
#include "scan-fake.h"
#include "tree-remove.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct {
        char *dir;
        int fd;
        gint64 size;
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
        f->dir = g_dir_make_tmp("clamftp-scan-pool-XXXXXX", NULL);
        g_assert_nonnull(f->dir);
        g_autofree char *path = test_write_file(f->dir, "file", "clean", 5);
        f->fd = open(path, O_RDONLY | O_CLOEXEC);
        g_assert_cmpint(f->fd, >=, 0);
        f->size = 5;
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
        close(f->fd);
        test_tree_remove(f->dir);
        g_free(f->dir);
}

static char *dead_address(Fixture *f, const char *name)
{
        return g_strdup_printf("unix:%s/%s.sock", f->dir, name);
}

static ScanClient *pool_of(const char *first, const char *second)
{
        g_autofree char *list = g_strjoin(",", first, second, NULL);
        g_autoptr(GError) error = NULL;
        ScanClient *client = scan_client_new(list, &error);
        g_assert_no_error(error);
        g_assert_cmpuint(scan_client_member_count(client), ==, 2);
        return client;
}

static void test_list_parses(void)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanClient) client = scan_client_new(" unix:/a.sock , /b.sock,unix:/a.sock,tcp:127.0.0.1:3310", &error);
        g_assert_no_error(error);
        /* the address given twice is one member */
        g_assert_cmpuint(scan_client_member_count(client), ==, 3);
        g_assert_cmpstr(scan_client_address(client), ==, "unix:/a.sock,unix:/b.sock,unix:/a.sock,tcp:127.0.0.1:3310");
        g_autoptr(GPtrArray) members = scan_client_members(client);
        g_assert_cmpstr(((ScanMember *)members->pdata[1])->address, ==, "unix:/b.sock");
        g_assert_cmpint(((ScanMember *)members->pdata[0])->state, ==, SCAN_MEMBER_UNCHECKED);

        g_autoptr(ScanClient) bad = scan_client_new("unix:/a.sock,nonsense", &error);
        g_assert_null(bad);
        g_assert_error(error, SCAN_ERROR, SCAN_ERROR_ADDRESS);
        g_clear_error(&error);
        g_autoptr(ScanClient) empty = scan_client_new(" , ", &error);
        g_assert_null(empty);
        g_assert_error(error, SCAN_ERROR, SCAN_ERROR_ADDRESS);
}

/* A host name is one member per address it has (here at least 127.0.0.1), each a literal. */
static void test_host_name_is_one_member_per_address(void)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanClient) client = scan_client_new("tcp:localhost:3310", &error);
        g_assert_no_error(error);
        g_assert_cmpstr(scan_client_address(client), ==, "tcp:localhost:3310");
        g_autoptr(GPtrArray) members = scan_client_members(client);
        gboolean v4 = FALSE;
        for (guint i = 0; i < members->len; i++) {
                const char *address = ((ScanMember *)members->pdata[i])->address;
                g_test_message("member %s", address);
                g_assert_true(g_str_equal(address, "tcp:127.0.0.1:3310") || g_str_equal(address, "tcp:[::1]:3310"));
                v4 = v4 || g_str_equal(address, "tcp:127.0.0.1:3310");
        }
        g_assert_true(v4);
        g_assert_cmpuint(scan_client_member_count(client), ==, members->len);
}

/* An ICAP service is one more kind of member (scan/icap.h behind the backend table). */
static void test_icap_is_a_member(void)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanClient) client = scan_client_new("unix:/a.sock,icap://127.0.0.1:1344/avscan", &error);
        g_assert_no_error(error);
        g_assert_cmpuint(scan_client_member_count(client), ==, 2);
        g_autoptr(GPtrArray) members = scan_client_members(client);
        g_assert_cmpstr(((ScanMember *)members->pdata[1])->address, ==, "icap://127.0.0.1:1344/avscan");
        g_autoptr(ScanClient) bad = scan_client_new("unix:/a.sock,icap://", &error);
        g_assert_null(bad);
        g_assert_nonnull(error);
}

static void test_scans_spread_over_members(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) a = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        g_autoptr(FakeScanner) b = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        g_autoptr(ScanClient) client = pool_of(fake_scanner_address(a), fake_scanner_address(b));
        for (int i = 0; i < 10; i++) {
                g_autoptr(ScanVerdict) v = scan_client_scan_fd(client, f->fd, f->size);
                g_assert_cmpint(v->kind, ==, SCAN_VERDICT_OK);
                g_assert_true(g_strcmp0(v->scanner, fake_scanner_address(a)) == 0 ||
                              g_strcmp0(v->scanner, fake_scanner_address(b)) == 0);
        }
        /* in turn: each member took half */
        g_assert_cmpuint(fake_scanner_scans(a), ==, 5);
        g_assert_cmpuint(fake_scanner_scans(b), ==, 5);
        g_autoptr(GPtrArray) members = scan_client_members(client);
        g_assert_cmpint(((ScanMember *)members->pdata[0])->state, ==, SCAN_MEMBER_UP);
        g_assert_cmpuint(((ScanMember *)members->pdata[1])->scans, ==, 5);
}

static void test_dead_member_is_passed_over(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) good = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        g_autofree char *dead = dead_address(f, "dead");
        g_autoptr(ScanClient) client = pool_of(dead, fake_scanner_address(good));
        for (int i = 0; i < 4; i++) {
                g_autoptr(ScanVerdict) v = scan_client_scan_fd(client, f->fd, f->size);
                g_assert_cmpint(v->kind, ==, SCAN_VERDICT_OK);
                g_assert_cmpstr(v->scanner, ==, fake_scanner_address(good));
        }
        g_assert_cmpuint(fake_scanner_scans(good), ==, 4);
        g_autoptr(GPtrArray) members = scan_client_members(client);
        const ScanMember *gone = members->pdata[0];
        g_assert_cmpint(gone->state, ==, SCAN_MEMBER_DOWN);
        g_assert_nonnull(strstr(gone->answer, "not reachable"));
}

/* A member that gives no verdict for this file (closes, answers garbage, never answers): the
 * file is scanned on the other one, and the verdict names it. */
static void no_verdict_then_other(Fixture *f, FakeScanner *bad, int timeout_ms)
{
        g_autoptr(FakeScanner) good = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        g_autoptr(ScanClient) client = pool_of(fake_scanner_address(bad), fake_scanner_address(good));
        if (timeout_ms)
                scan_client_set_timeout_ms(client, timeout_ms);
        for (int i = 0; i < 3; i++) {
                g_autoptr(ScanVerdict) v = scan_client_scan_fd(client, f->fd, f->size);
                g_assert_cmpint(v->kind, ==, SCAN_VERDICT_OK);
                g_assert_cmpstr(v->scanner, ==, fake_scanner_address(good));
        }
        g_assert_cmpuint(fake_scanner_scans(good), ==, 3);
        g_autoptr(GPtrArray) members = scan_client_members(client);
        g_assert_cmpint(((ScanMember *)members->pdata[0])->state, ==, SCAN_MEMBER_DOWN);
}

static void test_closed_member_rescanned_elsewhere(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) bad = fake_scanner_new(FAKE_CLOSE, NULL, 0);
        no_verdict_then_other(f, bad, 0);
}

static void test_garbage_member_rescanned_elsewhere(Fixture *f, gconstpointer data)
{
        static const char garbage[] = "stream: MAYBE";
        g_autoptr(FakeScanner) bad = fake_scanner_new(FAKE_REPLY, garbage, sizeof garbage);
        no_verdict_then_other(f, bad, 0);
}

static void test_silent_member_times_out_then_other(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) bad = fake_scanner_new(FAKE_SILENT, NULL, 0);
        gint64 start = g_get_monotonic_time();
        no_verdict_then_other(f, bad, 500);
        /* its timeout once, not once per file: it is down after the first */
        g_assert_cmpint(g_get_monotonic_time() - start, <, 4 * G_USEC_PER_SEC);
}

/* INFECTED, a limit, the scanner's own ERROR: final, never asked of another member. */
static void test_real_answer_is_final(Fixture *f, gconstpointer data)
{
        static const char answers[][64] = { "stream: Eicar-Test-Signature FOUND",
                                            "stream: Heuristics.Limits.Exceeded.MaxFileSize FOUND",
                                            "INSTREAM size limit exceeded. ERROR",
                                            "stream: Can't allocate memory ERROR" };
        for (gsize i = 0; i < G_N_ELEMENTS(answers); i++) {
                g_autoptr(FakeScanner) first = fake_scanner_new(FAKE_REPLY, answers[i], strlen(answers[i]) + 1);
                g_autoptr(FakeScanner) other = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
                g_autoptr(ScanClient) client = pool_of(fake_scanner_address(first), fake_scanner_address(other));
                scan_client_set_wait_ms(client, 5000);
                g_autoptr(ScanVerdict) v = scan_client_scan_fd(client, f->fd, f->size);
                g_test_message("answer \"%s\"", answers[i]);
                g_assert_cmpint(v->kind, !=, SCAN_VERDICT_OK);
                g_assert_cmpstr(v->scanner, ==, fake_scanner_address(first));
                g_assert_cmpuint(fake_scanner_scans(other), ==, 0);
        }
}

static void test_all_dead_refused_with_each_reason(Fixture *f, gconstpointer data)
{
        g_autofree char *a = dead_address(f, "a");
        g_autofree char *b = dead_address(f, "b");
        g_autoptr(ScanClient) client = pool_of(a, b);
        gint64 start = g_get_monotonic_time();
        g_autoptr(ScanVerdict) v = scan_client_scan_fd(client, f->fd, f->size);
        g_assert_cmpint(g_get_monotonic_time() - start, <, G_USEC_PER_SEC); /* no wait set */
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_cmpint(v->reason_class, ==, SCAN_REASON_UNREACHABLE);
        g_assert_null(v->scanner);
        g_assert_nonnull(strstr(v->reason, "No scanner of the pool gave a verdict"));
        g_assert_nonnull(strstr(v->reason, a));
        g_assert_nonnull(strstr(v->reason, b));
        g_autoptr(GError) error = NULL;
        g_assert_false(scan_client_ping(client, &error));
        g_assert_error(error, SCAN_ERROR, SCAN_ERROR_UNREACHABLE);
}

static void test_wait_really_waits(Fixture *f, gconstpointer data)
{
        g_autofree char *dead = dead_address(f, "dead");
        g_autoptr(ScanClient) client = scan_client_new(dead, NULL);
        scan_client_set_wait_ms(client, 1500);
        gint64 start = g_get_monotonic_time();
        g_autoptr(ScanVerdict) v = scan_client_scan_fd(client, f->fd, f->size);
        gint64 took = g_get_monotonic_time() - start;
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_cmpint(v->reason_class, ==, SCAN_REASON_UNREACHABLE);
        g_assert_cmpint(took, >=, 1500 * 1000);
        g_assert_cmpint(took, <, 5 * G_USEC_PER_SEC);
        /* the next file, while the scanner is still gone, is refused at once: a batch waits once */
        start = g_get_monotonic_time();
        g_autoptr(ScanVerdict) next = scan_client_scan_fd(client, f->fd, f->size);
        g_assert_cmpint(next->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_cmpint(g_get_monotonic_time() - start, <, G_USEC_PER_SEC);
}

typedef struct {
        char *target; /* the fake's socket */
        char *link;   /* where the client looks for it */
} ComeBack;

static gpointer come_back_later(gpointer data)
{
        ComeBack *back = data;
        g_usleep(700 * 1000);
        g_assert_cmpint(symlink(back->target, back->link), ==, 0);
        return NULL;
}

/* The scanner is not there when the file comes, and is back within the wait: the file is scanned. */
static void test_scanner_back_within_wait(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        g_autofree char *link = g_build_filename(f->dir, "later.sock", NULL);
        g_autofree char *address = g_strconcat("unix:", link, NULL);
        ComeBack back = { .target = g_strdup(fake_scanner_address(fake) + strlen("unix:")), .link = link };
        g_autoptr(ScanClient) client = scan_client_new(address, NULL);
        scan_client_set_wait_ms(client, 10000);
        GThread *thread = g_thread_new("come-back", come_back_later, &back);
        gint64 start = g_get_monotonic_time();
        g_autoptr(ScanVerdict) v = scan_client_scan_fd(client, f->fd, f->size);
        g_thread_join(thread);
        g_free(back.target);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_OK);
        g_assert_cmpstr(v->scanner, ==, address);
        g_assert_cmpint(g_get_monotonic_time() - start, >=, 700 * 1000);
        g_assert_cmpint(g_get_monotonic_time() - start, <, 8 * G_USEC_PER_SEC);
        g_assert_cmpuint(fake_scanner_scans(fake), ==, 1);
}

typedef struct {
        FakeScanner *first; /* the backend that dies in the middle of the scan */
        char *next;         /* the socket of the one the balancer sends to afterwards */
        char *link;
} Balancer;

/* Points the balancer at the next backend once the first one has taken a stream. */
static gpointer switch_backend(gpointer data)
{
        Balancer *balancer = data;
        gint64 end = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
        while (fake_scanner_streams(balancer->first) == 0 && g_get_monotonic_time() < end)
                g_usleep(1000);
        g_autofree char *fresh = g_strconcat(balancer->link, ".new", NULL);
        g_assert_cmpint(symlink(balancer->next, fresh), ==, 0);
        g_assert_cmpint(rename(fresh, balancer->link), ==, 0);
        return NULL;
}

/* One address (a load balancer): a scan cut without a verdict is made again on the same address. */
static void test_single_address_scanned_again(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) closer = fake_scanner_new(FAKE_CLOSE, NULL, 0);
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        g_autofree char *link = g_build_filename(f->dir, "balancer.sock", NULL);
        g_autofree char *address = g_strconcat("unix:", link, NULL);
        g_assert_cmpint(symlink(fake_scanner_address(closer) + strlen("unix:"), link), ==, 0);
        Balancer balancer = { .first = closer, .next = g_strdup(fake_scanner_address(fake) + strlen("unix:")),
                              .link = link };
        g_autoptr(ScanClient) client = scan_client_new(address, NULL);
        scan_client_set_wait_ms(client, 10000);
        GThread *thread = g_thread_new("switch", switch_backend, &balancer);
        g_autoptr(ScanVerdict) v = scan_client_scan_fd(client, f->fd, f->size);
        g_thread_join(thread);
        g_free(balancer.next);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_OK);
        g_assert_cmpstr(v->scanner, ==, address);
        g_assert_cmpuint(fake_scanner_streams(closer), ==, 1);
        g_assert_cmpuint(fake_scanner_scans(fake), ==, 1);
}

/* A loopback ICAP service whose OPTIONS names Max-Connections, answering each RESPMOD with 204
 * after a delay, one thread per connection; it counts the RESPMODs it holds at once. */
typedef struct {
        int listener;
        guint16 port;
        guint max_connections;
        guint delay_ms;
        GThread *thread;
        GMutex lock;
        GPtrArray *conns; /* GThread * */
        guint now, most, scans;
} BusyIcap;

typedef struct {
        BusyIcap *srv;
        int fd;
} BusyConn;

/* Reads until what came ends as one request of its kind ends; FALSE at EOF. */
static gboolean busy_read_request(int fd, GString *in)
{
        char buf[4096];
        for (;;) {
                gboolean respmod = g_str_has_prefix(in->str, "RESPMOD ");
                if (in->len > 4 && g_str_has_suffix(in->str, respmod ? "\r\n0\r\n\r\n" : "\r\n\r\n"))
                        return TRUE;
                ssize_t n = read(fd, buf, sizeof buf);
                if (n <= 0)
                        return FALSE;
                g_string_append_len(in, buf, n);
        }
}

static gpointer busy_conn_thread(gpointer data)
{
        BusyConn *conn = data;
        BusyIcap *srv = conn->srv;
        g_autoptr(GString) in = g_string_new(NULL);
        g_autofree char *reply = NULL;
        if (busy_read_request(conn->fd, in) && g_str_has_prefix(in->str, "OPTIONS ")) {
                reply = g_strdup_printf("ICAP/1.0 200 OK\r\nMethods: RESPMOD\r\nISTag: \"busy\"\r\n"
                                        "Max-Connections: %u\r\nEncapsulated: null-body=0\r\n\r\n",
                                        srv->max_connections);
        } else if (in->len) {
                g_mutex_lock(&srv->lock);
                srv->now++;
                srv->most = MAX(srv->most, srv->now);
                g_mutex_unlock(&srv->lock);
                g_usleep(srv->delay_ms * 1000);
                g_mutex_lock(&srv->lock);
                srv->now--;
                srv->scans++;
                g_mutex_unlock(&srv->lock);
                reply = g_strdup("ICAP/1.0 204 No Content\r\nISTag: \"busy\"\r\n\r\n");
        }
        if (reply)
                g_assert_cmpint(send(conn->fd, reply, strlen(reply), MSG_NOSIGNAL), ==, (gssize)strlen(reply));
        close(conn->fd);
        g_free(conn);
        return NULL;
}

static gpointer busy_accept_thread(gpointer data)
{
        BusyIcap *srv = data;
        for (;;) {
                int fd = accept4(srv->listener, NULL, NULL, SOCK_CLOEXEC);
                if (fd < 0)
                        return NULL;
                BusyConn *conn = g_new0(BusyConn, 1);
                conn->srv = srv;
                conn->fd = fd;
                g_mutex_lock(&srv->lock);
                g_ptr_array_add(srv->conns, g_thread_new("busy-icap", busy_conn_thread, conn));
                g_mutex_unlock(&srv->lock);
        }
}

static BusyIcap *busy_icap_new(guint max_connections, guint delay_ms)
{
        BusyIcap *srv = g_new0(BusyIcap, 1);
        srv->max_connections = max_connections;
        srv->delay_ms = delay_ms;
        g_mutex_init(&srv->lock);
        srv->conns = g_ptr_array_new();
        srv->listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        socklen_t len = sizeof sin;
        g_assert_cmpint(bind(srv->listener, (struct sockaddr *)&sin, sizeof sin), ==, 0);
        g_assert_cmpint(listen(srv->listener, 16), ==, 0);
        g_assert_cmpint(getsockname(srv->listener, (struct sockaddr *)&sin, &len), ==, 0);
        srv->port = ntohs(sin.sin_port);
        srv->thread = g_thread_new("busy-icap-accept", busy_accept_thread, srv);
        return srv;
}

static void busy_icap_free(BusyIcap *srv)
{
        shutdown(srv->listener, SHUT_RDWR); /* ends the accept */
        g_thread_join(srv->thread);
        close(srv->listener);
        for (guint i = 0; i < srv->conns->len; i++)
                g_thread_join(srv->conns->pdata[i]);
        g_ptr_array_free(srv->conns, TRUE);
        g_mutex_clear(&srv->lock);
        g_free(srv);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(BusyIcap, busy_icap_free)

static char *busy_icap_url(BusyIcap *srv)
{
        return g_strdup_printf("icap://127.0.0.1:%u/avscan", srv->port);
}

static guint busy_icap_get(BusyIcap *srv, const guint *field)
{
        g_mutex_lock(&srv->lock);
        guint value = *field;
        g_mutex_unlock(&srv->lock);
        return value;
}

typedef struct {
        ScanClient *client; /* a copy of its own */
        int fd;
        gint64 size;
        guint ok;
} Scanner;

static gpointer scan_twice(gpointer data)
{
        Scanner *scanner = data;
        for (int i = 0; i < 2; i++) {
                g_autoptr(ScanVerdict) v = scan_client_scan_fd(scanner->client, scanner->fd, scanner->size);
                scanner->ok += v->kind == SCAN_VERDICT_OK;
        }
        return NULL;
}

/* Four threads scan at once on two members that take one scan each: never two on one member;
 * the files that find both full wait for a slot and are scanned. */
static void test_max_connections_caps_each_member(Fixture *f, gconstpointer data)
{
        g_autoptr(BusyIcap) a = busy_icap_new(1, 300);
        g_autoptr(BusyIcap) b = busy_icap_new(1, 300);
        g_autofree char *url_a = busy_icap_url(a);
        g_autofree char *url_b = busy_icap_url(b);
        g_autoptr(ScanClient) client = pool_of(url_a, url_b);
        g_assert_true(scan_client_ping(client, NULL)); /* OPTIONS: the caps are known */
        Scanner scanners[4];
        GThread *threads[4];
        for (int i = 0; i < 4; i++) {
                scanners[i] = (Scanner){ scan_client_copy(client), f->fd, f->size, 0 };
                threads[i] = g_thread_new("scan", scan_twice, &scanners[i]);
        }
        for (int i = 0; i < 4; i++) {
                g_thread_join(threads[i]);
                g_assert_cmpuint(scanners[i].ok, ==, 2);
                scan_client_free(scanners[i].client);
        }
        g_assert_cmpuint(busy_icap_get(a, &a->most), ==, 1);
        g_assert_cmpuint(busy_icap_get(b, &b->most), ==, 1);
        g_assert_cmpuint(busy_icap_get(a, &a->scans) + busy_icap_get(b, &b->scans), ==, 8);
}

/* A member at its cap: the wait for its slot ends at the timeout (refused, not sent elsewhere)
 * or at once on a cancel. */
static void test_wait_for_slot_is_bounded_and_cancellable(Fixture *f, gconstpointer data)
{
        g_autoptr(BusyIcap) srv = busy_icap_new(1, 1500);
        g_autofree char *url = busy_icap_url(srv);
        g_autoptr(ScanClient) client = scan_client_new(url, NULL);
        g_assert_true(scan_client_ping(client, NULL));
        Scanner holder = { scan_client_copy(client), f->fd, f->size, 0 };
        GThread *thread = g_thread_new("scan", scan_twice, &holder);
        gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
        while (busy_icap_get(srv, &srv->now) == 0 && g_get_monotonic_time() < end)
                g_usleep(1000);
        g_assert_cmpuint(busy_icap_get(srv, &srv->now), ==, 1);

        g_autoptr(ScanClient) patient = scan_client_copy(client);
        scan_client_set_timeout_ms(patient, 400);
        gint64 start = g_get_monotonic_time();
        g_autoptr(ScanVerdict) v = scan_client_scan_fd(patient, f->fd, f->size);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_cmpint(v->reason_class, ==, SCAN_REASON_TIMEOUT);
        g_assert_nonnull(strstr(v->reason, "Max-Connections"));
        g_assert_cmpint(g_get_monotonic_time() - start, >=, 400 * 1000);
        g_assert_cmpint(g_get_monotonic_time() - start, <, 2 * G_USEC_PER_SEC);

        int pipefd[2];
        g_assert_cmpint(pipe(pipefd), ==, 0);
        g_autoptr(ScanClient) cancelled = scan_client_copy(client);
        scan_client_set_cancel_fd(cancelled, pipefd[0]);
        g_assert_cmpint(write(pipefd[1], "x", 1), ==, 1);
        start = g_get_monotonic_time();
        g_autoptr(ScanVerdict) c = scan_client_scan_fd(cancelled, f->fd, f->size);
        g_assert_cmpint(c->reason_class, ==, SCAN_REASON_CANCELLED);
        g_assert_cmpint(g_get_monotonic_time() - start, <, G_USEC_PER_SEC);
        close(pipefd[0]);
        close(pipefd[1]);
        g_assert_cmpuint(busy_icap_get(srv, &srv->most), ==, 1);
        g_thread_join(thread);
        g_assert_cmpuint(holder.ok, ==, 2);
        scan_client_free(holder.client);
}

#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/scan/pool/list-parses-into-members", test_list_parses);
        g_test_add_func("/scan/pool/host-name-is-one-member-per-address", test_host_name_is_one_member_per_address);
        g_test_add_func("/scan/pool/icap-service-is-a-member", test_icap_is_a_member);
        ADD("/scan/pool/scans-spread-over-members", test_scans_spread_over_members);
        ADD("/scan/pool/dead-member-is-passed-over", test_dead_member_is_passed_over);
        ADD("/scan/pool/closed-without-verdict-rescanned-elsewhere", test_closed_member_rescanned_elsewhere);
        ADD("/scan/pool/garbage-reply-rescanned-elsewhere", test_garbage_member_rescanned_elsewhere);
        ADD("/scan/pool/silent-member-times-out-then-other", test_silent_member_times_out_then_other);
        ADD("/scan/pool/real-answer-is-final", test_real_answer_is_final);
        ADD("/scan/pool/all-dead-refused-with-each-reason", test_all_dead_refused_with_each_reason);
        ADD("/scan/pool/wait-really-waits", test_wait_really_waits);
        ADD("/scan/pool/scanner-back-within-wait-lets-file-through", test_scanner_back_within_wait);
        ADD("/scan/pool/single-address-scanned-again", test_single_address_scanned_again);
        ADD("/scan/pool/max-connections-caps-each-member", test_max_connections_caps_each_member);
        ADD("/scan/pool/wait-for-slot-is-bounded-and-cancellable", test_wait_for_slot_is_bounded_and_cancellable);
        return g_test_run();
}
