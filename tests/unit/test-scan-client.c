/* tests/unit/test-scan-client.c — the clamd-protocol client: reply parsing, addresses, and every
 * way a scanner can fail (through an in-process fake). Must not: need a real clamd. */
#include "config.h"
#include "scan/client.h"
#include "scan-fake.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- reply → verdict --------------------------------------------------------------------- */

typedef struct {
        const char *reply;
        ScanVerdictKind kind;
        const char *signature; /* INFECTED */
        const char *reason_has; /* ERROR: a fragment of the reason */
} ParseCase;

static const ParseCase parse_cases[] = {
        { "stream: OK", SCAN_VERDICT_OK, NULL, NULL },
        { "stream: Eicar-Test-Signature FOUND", SCAN_VERDICT_INFECTED, "Eicar-Test-Signature", NULL },
        { "stream: Clamftp.Test.EICAR.NDB.UNOFFICIAL FOUND", SCAN_VERDICT_INFECTED,
          "Clamftp.Test.EICAR.NDB.UNOFFICIAL", NULL },
        { "stream: A Name With Spaces FOUND", SCAN_VERDICT_INFECTED, "A Name With Spaces", NULL },
        { "stream: Heuristics.Encrypted.Zip FOUND", SCAN_VERDICT_INFECTED, "Heuristics.Encrypted.Zip", NULL },
        { "stream: OK FOUND", SCAN_VERDICT_INFECTED, "OK", NULL },
        { "INSTREAM size limit exceeded. ERROR", SCAN_VERDICT_ERROR, NULL, "StreamMaxLength" },
        { "stream: Can't allocate memory ERROR", SCAN_VERDICT_ERROR, NULL, "Can't allocate memory" },
        { "Error writing to temporary file ERROR", SCAN_VERDICT_ERROR, NULL, "temporary file" },
        { "stream: OK ERROR", SCAN_VERDICT_ERROR, NULL, "OK" },
        { "stream: ERROR", SCAN_VERDICT_ERROR, NULL, "without a reason" },
        { "COMMAND READ TIMED OUT", SCAN_VERDICT_ERROR, NULL, "timed out" },
        { "UNKNOWN COMMAND", SCAN_VERDICT_ERROR, NULL, "UNKNOWN COMMAND" },
        { "", SCAN_VERDICT_ERROR, NULL, "empty" },
        { "OK", SCAN_VERDICT_ERROR, NULL, "could not be understood" },
        { "stream:OK", SCAN_VERDICT_ERROR, NULL, "could not be understood" },
        { "stream: OK ", SCAN_VERDICT_ERROR, NULL, "could not be understood" },
        { " stream: OK", SCAN_VERDICT_ERROR, NULL, "could not be understood" },
        { "stream: ok", SCAN_VERDICT_ERROR, NULL, "could not be understood" },
        { "stream: OK\nstream: OK", SCAN_VERDICT_ERROR, NULL, "could not be understood" },
        { "stream: OK\001", SCAN_VERDICT_ERROR, NULL, "could not be understood" },
        { "fd[5]: OK", SCAN_VERDICT_ERROR, NULL, "could not be understood" },
        { "1: stream: OK", SCAN_VERDICT_ERROR, NULL, "could not be understood" },
        { "stream: FOUND", SCAN_VERDICT_ERROR, NULL, "could not be understood" },
        { "stream:  FOUND", SCAN_VERDICT_ERROR, NULL, "could not be understood" },
        { "PONG", SCAN_VERDICT_ERROR, NULL, "could not be understood" },
        { "\xff\xfe garbage", SCAN_VERDICT_ERROR, NULL, "could not be understood" },
};

static void test_parse_table(void)
{
        for (gsize i = 0; i < G_N_ELEMENTS(parse_cases); i++) {
                const ParseCase *c = &parse_cases[i];
                g_autoptr(ScanVerdict) v = scan_verdict_parse(c->reply);
                g_test_message("reply %zu: \"%s\" -> %s", i, c->reply, scan_verdict_kind_name(v->kind));
                g_assert_nonnull(v);
                g_assert_cmpint(v->kind, ==, c->kind);
                g_assert_cmpstr(v->signature, ==, c->signature);
                if (c->kind == SCAN_VERDICT_ERROR) {
                        g_assert_nonnull(v->reason);
                        g_assert_true(g_utf8_validate(v->reason, -1, NULL));
                        g_assert_nonnull(strstr(v->reason, c->reason_has));
                } else {
                        g_assert_null(v->reason);
                }
        }
}

static void test_parse_null(void)
{
        g_autoptr(ScanVerdict) v = scan_verdict_parse(NULL);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
}

/* ---- addresses --------------------------------------------------------------------------- */

typedef struct {
        const char *given;
        const char *normalised; /* NULL: must be refused */
} AddressCase;

static const AddressCase address_cases[] = {
        { "unix:/run/clamav/clamd.ctl", "unix:/run/clamav/clamd.ctl" },
        { "/run/clamav/clamd.ctl", "unix:/run/clamav/clamd.ctl" },
        { "tcp:127.0.0.1:3310", "tcp:127.0.0.1:3310" },
        { "tcp:localhost:3310", "tcp:localhost:3310" },
        { "tcp:[::1]:3310", "tcp:[::1]:3310" },
        { "tcp:[fe80::1%lo]:1", "tcp:[fe80::1%lo]:1" },
        { "", NULL },
        { "unix:", NULL },
        { "clamd.sock", NULL },
        { "tcp:localhost", NULL },
        { "tcp::3310", NULL },
        { "tcp:localhost:0", NULL },
        { "tcp:localhost:65536", NULL },
        { "tcp:localhost:33a", NULL },
        { "tcp:::1:3310", NULL },
        { "tcp:[::1]", NULL },
        { "tcp:[::1]3310", NULL },
        { "tcp:[]:3310", NULL },
        { "http://localhost:3310", NULL },
};

static void test_address_table(void)
{
        for (gsize i = 0; i < G_N_ELEMENTS(address_cases); i++) {
                const AddressCase *c = &address_cases[i];
                g_autoptr(GError) error = NULL;
                g_autoptr(ScanClient) client = scan_client_new(c->given, &error);
                g_test_message("address \"%s\"", c->given);
                if (c->normalised) {
                        g_assert_no_error(error);
                        g_assert_cmpstr(scan_client_address(client), ==, c->normalised);
                } else {
                        g_assert_null(client);
                        g_assert_error(error, SCAN_ERROR, SCAN_ERROR_ADDRESS);
                }
        }
}

/* ---- against the fake -------------------------------------------------------------------- */

typedef struct {
        char *dir;
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
        f->dir = g_dir_make_tmp("clamftp-scan-client-XXXXXX", NULL);
        g_assert_nonnull(f->dir);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
        g_autoptr(GDir) dir = g_dir_open(f->dir, 0, NULL);
        const char *name;
        while (dir && (name = g_dir_read_name(dir))) {
                g_autofree char *path = g_build_filename(f->dir, name, NULL);
                g_unlink(path);
        }
        g_rmdir(f->dir);
        g_free(f->dir);
}

static int open_file(Fixture *f, const void *data, gsize len, gint64 *size)
{
        g_autofree char *path = test_write_file(f->dir, "file", data, len);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        g_assert_cmpint(fd, >=, 0);
        *size = (gint64)len;
        return fd;
}

static ScanVerdict *scan_with(Fixture *f, FakeScanner *fake, const void *data, gsize len, int timeout_ms)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanClient) client = scan_client_new(fake_scanner_address(fake), &error);
        g_assert_no_error(error);
        if (timeout_ms)
                scan_client_set_timeout_ms(client, timeout_ms);
        gint64 size;
        int fd = open_file(f, data, len, &size);
        ScanVerdict *v = scan_client_scan_fd(client, fd, size);
        close(fd);
        g_assert_nonnull(v);
        return v;
}

static GBytes *pattern_bytes(gsize len)
{
        guint8 *buf = g_malloc(len);
        for (gsize i = 0; i < len; i++)
                buf[i] = (guint8)(i * 7 + i / 251);
        return g_bytes_new_take(buf, len);
}

static void test_streams_every_byte(Fixture *f, gconstpointer data)
{
        static const char reply[] = "stream: OK";
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_REPLY, reply, sizeof reply);
        g_autoptr(GBytes) content = pattern_bytes(300 * 1024 + 17); /* several chunks, a short last one */
        g_autoptr(ScanVerdict) v = scan_with(f, fake, g_bytes_get_data(content, NULL), g_bytes_get_size(content), 0);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_OK);
        g_autoptr(GBytes) received = fake_scanner_received(fake);
        g_assert_nonnull(received);
        g_assert_true(g_bytes_equal(received, content));
}

static void test_empty_file(Fixture *f, gconstpointer data)
{
        static const char reply[] = "stream: OK";
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_REPLY, reply, sizeof reply);
        g_autoptr(ScanVerdict) v = scan_with(f, fake, "", 0, 0);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_OK);
        g_autoptr(GBytes) received = fake_scanner_received(fake);
        g_assert_cmpuint(g_bytes_get_size(received), ==, 0);
}

static void test_found_names_signature(Fixture *f, gconstpointer data)
{
        static const char reply[] = "stream: Fake Sig.With Space FOUND";
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_REPLY, reply, sizeof reply);
        g_autoptr(ScanVerdict) v = scan_with(f, fake, "x", 1, 0);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_INFECTED);
        g_assert_cmpstr(v->signature, ==, "Fake Sig.With Space");
}

static void test_garbage_reply_is_error(Fixture *f, gconstpointer data)
{
        static const char reply[] = "HELLO THERE";
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_REPLY, reply, sizeof reply);
        g_autoptr(ScanVerdict) v = scan_with(f, fake, "x", 1, 0);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_cmpstr(v->reply, ==, "HELLO THERE");
}

static void test_unterminated_ok_is_error(Fixture *f, gconstpointer data)
{
        static const char reply[] = "stream: OK"; /* then EOF, no NUL */
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_REPLY, reply, strlen(reply));
        g_autoptr(ScanVerdict) v = scan_with(f, fake, "x", 1, 0);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_nonnull(strstr(v->reason, "middle of its reply"));
}

static void test_newline_ok_is_error(Fixture *f, gconstpointer data)
{
        static const char reply[] = "stream: OK\n";
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_REPLY, reply, strlen(reply));
        g_autoptr(ScanVerdict) v = scan_with(f, fake, "x", 1, 0);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
}

static void test_read_timeout_reply_is_error(Fixture *f, gconstpointer data)
{
        static const char reply[] = "COMMAND READ TIMED OUT\n";
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_REPLY, reply, strlen(reply));
        g_autoptr(ScanVerdict) v = scan_with(f, fake, "x", 1, 0);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
}

static void test_overlong_reply_is_error(Fixture *f, gconstpointer data)
{
        g_autofree char *reply = g_strnfill(10000, 'A');
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_REPLY, reply, 10000);
        g_autoptr(ScanVerdict) v = scan_with(f, fake, "x", 1, 0);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_nonnull(strstr(v->reason, "longer than"));
}

static void test_closed_before_verdict_is_error(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_CLOSE, NULL, 0);
        g_autoptr(ScanVerdict) v = scan_with(f, fake, "x", 1, 0);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_nonnull(strstr(v->reason, "without a verdict"));
}

static void test_silent_scanner_times_out(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_SILENT, NULL, 0);
        gint64 start = g_get_monotonic_time();
        g_autoptr(ScanVerdict) v = scan_with(f, fake, "x", 1, 200);
        gint64 elapsed_ms = (g_get_monotonic_time() - start) / 1000;
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_nonnull(strstr(v->reason, "did not answer"));
        g_assert_cmpint(elapsed_ms, >=, 190);
        g_assert_cmpint(elapsed_ms, <, 3000);
}

static void test_early_size_limit_reply_is_read(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_EARLY_ERROR, NULL, 0);
        g_autoptr(GBytes) content = pattern_bytes(8 * 1024 * 1024); /* far more than the socket buffers */
        g_autoptr(ScanVerdict) v = scan_with(f, fake, g_bytes_get_data(content, NULL), g_bytes_get_size(content), 5000);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
        g_test_message("reason: %s", v->reason);
        g_assert_nonnull(strstr(v->reason, "StreamMaxLength"));
}

static void test_unreachable_unix_is_error(Fixture *f, gconstpointer data)
{
        g_autofree char *address = g_strdup_printf("unix:%s/no-such.sock", f->dir);
        g_autoptr(ScanClient) client = scan_client_new(address, NULL);
        g_assert_nonnull(client);
        gint64 size;
        int fd = open_file(f, "x", 1, &size);
        g_autoptr(ScanVerdict) v = scan_client_scan_fd(client, fd, size);
        close(fd);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_nonnull(strstr(v->reason, "not reachable"));
        g_assert_nonnull(strstr(v->reason, address));
        g_autoptr(GError) error = NULL;
        g_assert_false(scan_client_ping(client, &error));
        g_assert_error(error, SCAN_ERROR, SCAN_ERROR_UNREACHABLE);
}

/* A port nobody listens on: bound (so nobody else takes it) but never listened on. */
static void test_refused_tcp_is_error(Fixture *f, gconstpointer data)
{
        int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        socklen_t len = sizeof sin;
        g_assert_cmpint(bind(s, (struct sockaddr *)&sin, sizeof sin), ==, 0);
        g_assert_cmpint(getsockname(s, (struct sockaddr *)&sin, &len), ==, 0);
        g_autofree char *address = g_strdup_printf("tcp:127.0.0.1:%u", ntohs(sin.sin_port));
        g_autoptr(ScanClient) client = scan_client_new(address, NULL);
        g_assert_nonnull(client);
        scan_client_set_timeout_ms(client, 2000);
        gint64 size;
        int fd = open_file(f, "x", 1, &size);
        g_autoptr(ScanVerdict) v = scan_client_scan_fd(client, fd, size);
        close(fd);
        close(s);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_nonnull(strstr(v->reason, "not reachable"));
}

static void test_cancel_stops_the_wait(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_SILENT, NULL, 0);
        g_autoptr(ScanClient) client = scan_client_new(fake_scanner_address(fake), NULL);
        int cancel = eventfd(1, EFD_CLOEXEC); /* already cancelled */
        g_assert_cmpint(cancel, >=, 0);
        scan_client_set_cancel_fd(client, cancel);
        gint64 size;
        int fd = open_file(f, "x", 1, &size);
        gint64 start = g_get_monotonic_time();
        g_autoptr(ScanVerdict) v = scan_client_scan_fd(client, fd, size);
        close(fd);
        close(cancel);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_nonnull(strstr(v->reason, "cancelled"));
        g_assert_cmpint(g_get_monotonic_time() - start, <, 2 * G_USEC_PER_SEC);
}

static void test_ping_and_version(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_CLOSE, NULL, 0);
        g_autoptr(ScanClient) client = scan_client_new(fake_scanner_address(fake), NULL);
        g_autoptr(GError) error = NULL;
        g_assert_true(scan_client_ping(client, &error));
        g_assert_no_error(error);
        g_autofree char *version = scan_client_version(client, &error);
        g_assert_no_error(error);
        g_assert_cmpstr(version, ==, "ClamAV 1.4.6/fake");
}

static void test_bad_fd_is_error(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        g_autoptr(ScanClient) client = scan_client_new(fake_scanner_address(fake), NULL);
        g_autoptr(ScanVerdict) v = scan_client_scan_fd(client, -1, 10);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
        /* a file shorter than the size claimed is an error, never a verdict on a part of it */
        gint64 size;
        int fd = open_file(f, "abc", 3, &size);
        g_autoptr(ScanVerdict) w = scan_client_scan_fd(client, fd, 10);
        close(fd);
        g_assert_cmpint(w->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_nonnull(strstr(w->reason, "shorter"));
}

#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/scan/verdict/replies-map-to-verdicts", test_parse_table);
        g_test_add_func("/scan/verdict/no-reply-is-error", test_parse_null);
        g_test_add_func("/scan/client/addresses-parse-or-are-refused", test_address_table);
        ADD("/scan/client/streams-every-byte-in-chunks", test_streams_every_byte);
        ADD("/scan/client/empty-file-is-one-terminator", test_empty_file);
        ADD("/scan/client/found-names-the-signature", test_found_names_signature);
        ADD("/scan/client/unparseable-reply-is-error", test_garbage_reply_is_error);
        ADD("/scan/client/ok-without-terminator-is-error", test_unterminated_ok_is_error);
        ADD("/scan/client/ok-ended-by-newline-is-error", test_newline_ok_is_error);
        ADD("/scan/client/read-timeout-reply-is-error", test_read_timeout_reply_is_error);
        ADD("/scan/client/overlong-reply-is-error", test_overlong_reply_is_error);
        ADD("/scan/client/closed-before-verdict-is-error", test_closed_before_verdict_is_error);
        ADD("/scan/client/silent-scanner-times-out", test_silent_scanner_times_out);
        ADD("/scan/client/early-size-limit-reply-is-read", test_early_size_limit_reply_is_read);
        ADD("/scan/client/missing-socket-is-unreachable", test_unreachable_unix_is_error);
        ADD("/scan/client/refused-tcp-is-unreachable", test_refused_tcp_is_error);
        ADD("/scan/client/cancel-stops-the-wait", test_cancel_stops_the_wait);
        ADD("/scan/client/ping-and-version", test_ping_and_version);
        ADD("/scan/client/unreadable-file-is-error", test_bad_fd_is_error);
        return g_test_run();
}
