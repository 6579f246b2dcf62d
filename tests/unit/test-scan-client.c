/* tests/unit/test-scan-client.c — the clamd-protocol client: reply parsing, addresses, and every
 * way a scanner can fail (through an in-process fake). Must not: need a real clamd. */
#include "config.h"
#include "scan/client.h"
#include "scan/snapshot.h"
#include "scan-fake.h"
#include "tree-remove.h"

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
        ScanReasonClass reason_class;
} ParseCase;

/* Short names for the class column of the tables below. */
#define NONE SCAN_REASON_NONE
#define MALWARE SCAN_REASON_MALWARE
#define LIMIT SCAN_REASON_LIMIT
#define ENCRYPTED SCAN_REASON_ENCRYPTED
#define TIMEOUT SCAN_REASON_TIMEOUT
#define PROTOCOL SCAN_REASON_PROTOCOL
#define SCANNER SCAN_REASON_SCANNER

static const ParseCase parse_cases[] = {
        { "stream: OK", SCAN_VERDICT_OK, NULL, NULL, NONE },
        { "stream: Eicar-Test-Signature FOUND", SCAN_VERDICT_INFECTED, "Eicar-Test-Signature", NULL, MALWARE },
        { "stream: Clamftp.Test.EICAR.NDB.UNOFFICIAL FOUND", SCAN_VERDICT_INFECTED,
          "Clamftp.Test.EICAR.NDB.UNOFFICIAL", NULL, MALWARE },
        { "stream: A Name With Spaces FOUND", SCAN_VERDICT_INFECTED, "A Name With Spaces", NULL, MALWARE },
        { "stream: Heuristics.Encrypted.Zip FOUND", SCAN_VERDICT_ERROR, "Heuristics.Encrypted.Zip",
          "Heuristics.Encrypted.Zip", ENCRYPTED },
        { "stream: OK FOUND", SCAN_VERDICT_INFECTED, "OK", NULL, MALWARE },
        /* what clamd 1.x says of a file it could not scan whole (AlertExceedsMax, AlertEncrypted…):
         * not malware, so ERROR with the class, the detection's name kept */
        { "stream: Win.Test.EICAR_HDB-1 FOUND", SCAN_VERDICT_INFECTED, "Win.Test.EICAR_HDB-1", NULL, MALWARE },
        { "stream: Heuristics.Phishing.Email.SpoofedDomain FOUND", SCAN_VERDICT_INFECTED,
          "Heuristics.Phishing.Email.SpoofedDomain", NULL, MALWARE },
        { "stream: Heuristics.Limits.Exceeded.MaxFileSize FOUND", SCAN_VERDICT_ERROR,
          "Heuristics.Limits.Exceeded.MaxFileSize", "Heuristics.Limits.Exceeded.MaxFileSize", LIMIT },
        { "stream: Heuristics.Limits.Exceeded.MaxScanSize FOUND", SCAN_VERDICT_ERROR,
          "Heuristics.Limits.Exceeded.MaxScanSize", "Heuristics.Limits.Exceeded.MaxScanSize", LIMIT },
        { "stream: Heuristics.Limits.Exceeded.MaxRecursion FOUND", SCAN_VERDICT_ERROR,
          "Heuristics.Limits.Exceeded.MaxRecursion", "Heuristics.Limits.Exceeded.MaxRecursion", LIMIT },
        { "stream: Heuristics.Limits.Exceeded.MaxFiles FOUND", SCAN_VERDICT_ERROR,
          "Heuristics.Limits.Exceeded.MaxFiles", "Heuristics.Limits.Exceeded.MaxFiles", LIMIT },
        { "stream: Heuristics.Limits.Exceeded.MaxScanTime FOUND", SCAN_VERDICT_ERROR,
          "Heuristics.Limits.Exceeded.MaxScanTime", "Heuristics.Limits.Exceeded.MaxScanTime", LIMIT },
        { "stream: Heuristics.Limits.Exceeded FOUND", SCAN_VERDICT_ERROR, "Heuristics.Limits.Exceeded",
          "Heuristics.Limits.Exceeded", LIMIT },
        { "stream: Heuristics.Encrypted.PDF FOUND", SCAN_VERDICT_ERROR, "Heuristics.Encrypted.PDF",
          "Heuristics.Encrypted.PDF", ENCRYPTED },
        { "stream: Heuristics.Encrypted.RAR FOUND", SCAN_VERDICT_ERROR, "Heuristics.Encrypted.RAR",
          "Heuristics.Encrypted.RAR", ENCRYPTED },
        { "stream: Encrypted.Zip FOUND", SCAN_VERDICT_ERROR, "Encrypted.Zip",
          "Encrypted.Zip", ENCRYPTED },
        { "INSTREAM size limit exceeded. ERROR", SCAN_VERDICT_ERROR, NULL, "StreamMaxLength", LIMIT },
        { "stream: Can't allocate memory ERROR", SCAN_VERDICT_ERROR, NULL, "Can't allocate memory", SCANNER },
        { "Error writing to temporary file ERROR", SCAN_VERDICT_ERROR, NULL, "temporary file", SCANNER },
        { "Error processing command. ERROR", SCAN_VERDICT_ERROR, NULL, "Error processing command", SCANNER },
        { "stream: OK ERROR", SCAN_VERDICT_ERROR, NULL, "OK", SCANNER },
        { "stream: ERROR", SCAN_VERDICT_ERROR, NULL, "without a reason", SCANNER },
        { "COMMAND READ TIMED OUT", SCAN_VERDICT_ERROR, NULL, "timed out", TIMEOUT },
        { "UNKNOWN COMMAND", SCAN_VERDICT_ERROR, NULL, "UNKNOWN COMMAND", PROTOCOL },
        { "", SCAN_VERDICT_ERROR, NULL, "empty", PROTOCOL },
        { "OK", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { "stream:OK", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { "stream: OK ", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { " stream: OK", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { "stream: ok", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { "stream: OK\nstream: OK", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { "stream: OK\001", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { "fd[5]: OK", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { "1: stream: OK", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { "stream: FOUND", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { "stream:  FOUND", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { "PONG", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { "\xff\xfe garbage", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
};

static void test_parse_table(void)
{
        for (gsize i = 0; i < G_N_ELEMENTS(parse_cases); i++) {
                const ParseCase *c = &parse_cases[i];
                g_autoptr(ScanVerdict) v = scan_verdict_parse(c->reply);
                g_test_message("reply %zu: \"%s\" -> %s", i, c->reply, scan_verdict_kind_name(v->kind));
                g_assert_nonnull(v);
                g_assert_cmpint(v->kind, ==, c->kind);
                g_assert_cmpint(v->reason_class, ==, c->reason_class);
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

static const ParseCase fildes_parse_cases[] = {
        { "fd[5]: OK", SCAN_VERDICT_OK, NULL, NULL, NONE },
        { "fd[1234567890]: OK", SCAN_VERDICT_OK, NULL, NULL, NONE },
        { "fd[12]: Eicar-Test-Signature FOUND", SCAN_VERDICT_INFECTED, "Eicar-Test-Signature", NULL, MALWARE },
        { "fd[3]: Heuristics.Limits.Exceeded.MaxFileSize FOUND", SCAN_VERDICT_ERROR,
          "Heuristics.Limits.Exceeded.MaxFileSize", "Heuristics.Limits.Exceeded.MaxFileSize", LIMIT },
        { "fd[5]: Not a regular file ERROR", SCAN_VERDICT_ERROR, NULL, "Not a regular file", SCANNER },
        { "FILDES: didn't receive file descriptor. ERROR", SCAN_VERDICT_ERROR, NULL, "file descriptor", SCANNER },
        { "No file descriptor received. ERROR", SCAN_VERDICT_ERROR, NULL, "file descriptor", SCANNER },
        { "fd[5]: ERROR", SCAN_VERDICT_ERROR, NULL, "without a reason", SCANNER },
        { "COMMAND READ TIMED OUT", SCAN_VERDICT_ERROR, NULL, "timed out", TIMEOUT },
        { "UNKNOWN COMMAND", SCAN_VERDICT_ERROR, NULL, "UNKNOWN COMMAND", PROTOCOL },
        { "stream: OK", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { "fd[]: OK", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { "fd[x]: OK", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { "fd[-1]: OK", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { "fd[12345678901]: OK", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { "fd[5]:OK", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { "fd[5] OK", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { "fd5: OK", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { "fd[5]: OK ", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { " fd[5]: OK", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { "fd[5]: ok", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { "fd[5]: OK\nfd[5]: OK", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { "fd[5]: FOUND", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { "1: fd[5]: OK", SCAN_VERDICT_ERROR, NULL, "could not be understood", PROTOCOL },
        { "", SCAN_VERDICT_ERROR, NULL, "empty", PROTOCOL },
};

static void test_parse_fildes_table(void)
{
        for (gsize i = 0; i < G_N_ELEMENTS(fildes_parse_cases); i++) {
                const ParseCase *c = &fildes_parse_cases[i];
                g_autoptr(ScanVerdict) v = scan_verdict_parse_fildes(c->reply);
                g_test_message("FILDES reply %zu: \"%s\" -> %s", i, c->reply, scan_verdict_kind_name(v->kind));
                g_assert_cmpint(v->kind, ==, c->kind);
                g_assert_cmpint(v->reason_class, ==, c->reason_class);
                g_assert_cmpstr(v->signature, ==, c->signature);
                if (c->kind == SCAN_VERDICT_ERROR)
                        g_assert_nonnull(strstr(v->reason, c->reason_has));
                else
                        g_assert_null(v->reason);
        }
}

static void test_parse_null(void)
{
        g_autoptr(ScanVerdict) v = scan_verdict_parse(NULL);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_cmpint(v->reason_class, ==, SCAN_REASON_PROTOCOL);
}

/* A failed exchange (GError) → the class of its ERROR verdict. */
static const struct {
        GQuark (*domain)(void);
        int code;
        ScanReasonClass reason_class;
} error_cases[] = {
        { scan_error_quark, SCAN_ERROR_ADDRESS, SCAN_REASON_UNREACHABLE },
        { scan_error_quark, SCAN_ERROR_UNREACHABLE, SCAN_REASON_UNREACHABLE },
        { scan_error_quark, SCAN_ERROR_TIMEOUT, SCAN_REASON_TIMEOUT },
        { scan_error_quark, SCAN_ERROR_PROTOCOL, SCAN_REASON_PROTOCOL },
        { scan_error_quark, SCAN_ERROR_LOCAL, SCAN_REASON_LOCAL },
        { scan_error_quark, SCAN_ERROR_CANCELLED, SCAN_REASON_CANCELLED },
        { g_file_error_quark, G_FILE_ERROR_NOENT, SCAN_REASON_SCANNER },
};

static void test_error_classes(void)
{
        for (gsize i = 0; i < G_N_ELEMENTS(error_cases); i++) {
                g_autoptr(GError) error = g_error_new_literal(error_cases[i].domain(), error_cases[i].code, "why");
                g_autoptr(ScanVerdict) v = scan_verdict_new_error(error);
                g_test_message("error %zu -> %s", i, scan_reason_class_name(v->reason_class));
                g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
                g_assert_cmpint(v->reason_class, ==, error_cases[i].reason_class);
                g_assert_cmpstr(v->reason, ==, "why");
        }
}

static void test_class_names(void)
{
        static const struct {
                ScanReasonClass reason_class;
                const char *name;
        } names[] = {
                { SCAN_REASON_NONE, NULL },
                { SCAN_REASON_MALWARE, "malware" },
                { SCAN_REASON_LIMIT, "limit" },
                { SCAN_REASON_ENCRYPTED, "encrypted" },
                { SCAN_REASON_UNREACHABLE, "unreachable" },
                { SCAN_REASON_TIMEOUT, "timeout" },
                { SCAN_REASON_PROTOCOL, "protocol" },
                { SCAN_REASON_SCANNER, "scanner" },
                { SCAN_REASON_LOCAL, "local" },
                { SCAN_REASON_CANCELLED, "cancelled" },
                { SCAN_REASON_UNTRUSTED, "untrusted" },
        };
        for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
                g_assert_cmpstr(scan_reason_class_name(names[i].reason_class), ==, names[i].name);
}

static void test_copy_keeps_everything(void)
{
        g_autoptr(ScanVerdict) v = scan_verdict_parse("stream: Heuristics.Limits.Exceeded.MaxFiles FOUND");
        scan_verdict_set_path(v, "dir/a.zip");
        g_autoptr(ScanVerdict) copy = scan_verdict_copy(v);
        g_assert_true(copy != v);
        g_assert_cmpint(copy->kind, ==, SCAN_VERDICT_ERROR); /* a limit: not scanned, not malware */
        g_assert_cmpint(copy->reason_class, ==, SCAN_REASON_LIMIT);
        g_assert_cmpstr(copy->signature, ==, v->signature);
        g_assert_cmpstr(copy->reply, ==, v->reply);
        g_assert_cmpstr(copy->path, ==, "dir/a.zip");
        g_assert_cmpstr(copy->reason, ==, "Heuristics.Limits.Exceeded.MaxFiles");
        g_assert_null(scan_verdict_copy(NULL));
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
        { "tls:agent.example.org:3310", "tls:agent.example.org:3310" },
        { "tls:[::1]:3310", "tls:[::1]:3310" },
        { "tls:agent.example.org", NULL },
        { "tls:", NULL },
        { "instream:tls:127.0.0.1:3310", "tls:127.0.0.1:3310" },
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
        { "instream:unix:/run/clamav/clamd.ctl", "instream:unix:/run/clamav/clamd.ctl" },
        { "instream:/run/clamav/clamd.ctl", "instream:unix:/run/clamav/clamd.ctl" },
        { "instream:tcp:127.0.0.1:3310", "tcp:127.0.0.1:3310" },
        { "instream:", NULL },
        { "instream:clamd.sock", NULL },
        { "instream:instream:/run/clamav/clamd.ctl", NULL },
        { "INSTREAM:/run/clamav/clamd.ctl", NULL },
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
        test_tree_remove(f->dir);
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
        g_autoptr(GBytes) content = pattern_bytes(3 * 1024 * 1024 + 17); /* several chunks, a short last one */
        g_autoptr(ScanVerdict) v = scan_with(f, fake, g_bytes_get_data(content, NULL), g_bytes_get_size(content), 0);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_OK);
        g_assert_cmpuint(fake_scanner_streams(fake), ==, 1);
        g_autoptr(GBytes) received = fake_scanner_received(fake);
        g_assert_nonnull(received);
        g_assert_true(g_bytes_equal(received, content));
        /* large chunks (few syscalls), but none beyond 1 MiB */
        g_assert_cmpuint(fake_scanner_largest_chunk(fake), ==, 1024 * 1024);
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
        g_assert_cmpint(v->reason_class, ==, SCAN_REASON_PROTOCOL);
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
        g_assert_cmpint(v->reason_class, ==, SCAN_REASON_PROTOCOL);
}

static void test_silent_scanner_times_out(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_SILENT, NULL, 0);
        gint64 start = g_get_monotonic_time();
        g_autoptr(ScanVerdict) v = scan_with(f, fake, "x", 1, 200);
        gint64 elapsed_ms = (g_get_monotonic_time() - start) / 1000;
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_nonnull(strstr(v->reason, "did not answer"));
        g_assert_cmpint(v->reason_class, ==, SCAN_REASON_TIMEOUT);
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
        g_assert_cmpint(v->reason_class, ==, SCAN_REASON_LIMIT);
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
        g_assert_cmpint(v->reason_class, ==, SCAN_REASON_UNREACHABLE);
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
        g_assert_cmpint(v->reason_class, ==, SCAN_REASON_UNREACHABLE);
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
        g_assert_cmpint(v->reason_class, ==, SCAN_REASON_CANCELLED);
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

/* ---- FILDES against the fake --------------------------------------------------------------- */

static ScanClient *client_for(FakeScanner *fake, int timeout_ms)
{
        g_autoptr(GError) error = NULL;
        ScanClient *client = scan_client_new(fake_scanner_address(fake), &error);
        g_assert_no_error(error);
        if (timeout_ms)
                scan_client_set_timeout_ms(client, timeout_ms);
        return client;
}

static ScanSnapshot *snapshot_of(Fixture *f, GBytes *content, gint64 memfd_limit)
{
        g_autofree char *path = test_write_file(f->dir, "snap", g_bytes_get_data(content, NULL),
                                                g_bytes_get_size(content));
        g_autoptr(GError) error = NULL;
        ScanSnapshot *snapshot = scan_snapshot_take_with_limit(path, f->dir, memfd_limit, &error);
        g_assert_no_error(error);
        return snapshot;
}

/* A sealed memfd and a spooled (writable) snapshot: the scanner gets a read-only descriptor of
 * the same bytes, and reading it moves no offset of ours. */
static void test_fildes_passes_snapshot_read_only(Fixture *f, gconstpointer data)
{
        static const gint64 limits[] = { SCAN_SNAPSHOT_MEMFD_LIMIT, 0 };
        gboolean have_proc = g_file_test("/proc/self/fd", G_FILE_TEST_IS_DIR);
        if (!have_proc)
                g_test_message("no /proc/self/fd: the descriptor cannot be opened again read-only; "
                               "only the content and the verdict are checked");
        for (gsize i = 0; i < G_N_ELEMENTS(limits); i++) {
                g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
                fake_scanner_set_fildes(fake, FAKE_FILDES_SCAN);
                g_autoptr(ScanClient) client = client_for(fake, 0);
                g_autoptr(GBytes) content = pattern_bytes(3 * 1024 * 1024 + 5);
                g_autoptr(ScanSnapshot) snapshot = snapshot_of(f, content, limits[i]);
                g_assert_cmpint(snapshot->sealed, ==, limits[i] > 0);
                g_assert_true(scan_client_uses_fildes(client));
                /* the copy left the offset at the end; whatever it is, the scanner must not move it */
                g_assert_cmpint(lseek(snapshot->fd, 0, SEEK_SET), ==, 0);
                g_autoptr(ScanVerdict) v = scan_client_scan_fd(client, snapshot->fd, snapshot->size);
                g_assert_cmpint(v->kind, ==, SCAN_VERDICT_OK);
                g_assert_true(g_str_has_prefix(v->reply, "fd["));
                g_assert_cmpuint(fake_scanner_fildes(fake), ==, 2); /* the probe, then the file */
                g_assert_cmpuint(fake_scanner_streams(fake), ==, 0);
                g_autoptr(GBytes) received = fake_scanner_received(fake);
                g_assert_true(g_bytes_equal(received, content));
                g_assert_cmpint(fake_scanner_fd_size(fake), ==, snapshot->size);
                if (have_proc) {
                        g_assert_false(fake_scanner_fd_writable(fake));
                        g_assert_cmpint(lseek(snapshot->fd, 0, SEEK_CUR), ==, 0);
                }
                g_assert_true(scan_client_uses_fildes(client));
        }
}

static void test_fildes_found_names_signature(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        fake_scanner_set_fildes(fake, FAKE_FILDES_SCAN);
        g_autoptr(ScanVerdict) v = scan_with(f, fake, "a BAD file", 10, 0);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_INFECTED);
        g_assert_cmpstr(v->signature, ==, "Fake.Bad");
        g_assert_true(g_str_has_prefix(v->reply, "fd["));
        g_assert_cmpuint(fake_scanner_streams(fake), ==, 0);
}

typedef struct {
        const char *reply;
        gsize len;
        ScanVerdictKind kind;
        const char *reason_has; /* ERROR */
} FildesCase;

#define REPLY(text) text, sizeof text /* with its NUL */
#define RAW(text) text, sizeof text - 1 /* exactly these bytes */

/* Whatever the scanner answers to FILDES, only an exact "fd[N]: OK" is OK, and no failure turns
 * into an INSTREAM retry. */
static const FildesCase fildes_cases[] = {
        { REPLY("fd[9]: OK"), SCAN_VERDICT_OK, NULL },
        { REPLY("fd[9]: Fake.Sig FOUND"), SCAN_VERDICT_INFECTED, NULL },
        { REPLY("fd[9]: Can't allocate memory ERROR"), SCAN_VERDICT_ERROR, "Can't allocate memory" },
        { REPLY("fd[9]: Not a regular file ERROR"), SCAN_VERDICT_ERROR, "Not a regular file" },
        { REPLY("HELLO THERE"), SCAN_VERDICT_ERROR, "could not be understood" },
        { REPLY("stream: OK"), SCAN_VERDICT_ERROR, "could not be understood" },
        { REPLY("fd[9]: OK trailing"), SCAN_VERDICT_ERROR, "could not be understood" },
        { RAW("fd[9]: OK"), SCAN_VERDICT_ERROR, "middle of its reply" },
        { RAW("fd[9]: OK\n"), SCAN_VERDICT_ERROR, "terminated" },
        { RAW("COMMAND READ TIMED OUT\n"), SCAN_VERDICT_ERROR, "timed out" },
        { RAW(""), SCAN_VERDICT_ERROR, "without a verdict" },
};

static void test_fildes_replies(Fixture *f, gconstpointer data)
{
        for (gsize i = 0; i < G_N_ELEMENTS(fildes_cases); i++) {
                const FildesCase *c = &fildes_cases[i];
                g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_REPLY, c->reply, c->len);
                fake_scanner_set_fildes(fake, FAKE_FILDES_SCAN);
                g_autoptr(ScanVerdict) v = scan_with(f, fake, "x", 1, 0);
                g_test_message("FILDES reply %zu -> %s (%s)", i, scan_verdict_kind_name(v->kind),
                               v->reason ? v->reason : "");
                g_assert_cmpint(v->kind, ==, c->kind);
                if (c->reason_has)
                        g_assert_nonnull(strstr(v->reason, c->reason_has));
                g_assert_cmpuint(fake_scanner_fildes(fake), ==, 2);
                g_assert_cmpuint(fake_scanner_streams(fake), ==, 0);
        }
}

/* A one-shot connection carries one reply: whatever follows the verdict, sent with it or just
 * after it, makes the scan an ERROR of class PROTOCOL, never OK (and never the second verdict).
 * The replies are given without their name ("stream: " or "fd[N]: " is put in front). */
typedef struct {
        const char *reply;
        gsize len;
        const char *after; /* sent after_ms later, before the fake closes; NULL: nothing */
        guint after_ms;
} MoreCase;

static const MoreCase more_cases[] = {
        { RAW("OK\0garbage"), NULL, 0 },
        { RAW("OK\0stream: Eicar-Test-Signature FOUND\0"), NULL, 0 },
        { RAW("OK\0fd[9]: Eicar-Test-Signature FOUND\0"), NULL, 0 },
        { RAW("OK\0\0"), NULL, 0 },
        { RAW("OK\0\n"), NULL, 0 },
        { RAW("Fake.Sig FOUND\0OK\0"), NULL, 0 },
        { REPLY("OK"), "stream: Eicar-Test-Signature FOUND", 100 },
};

static void expect_more_is_error(ScanVerdict *v, const char *name, gsize i)
{
        g_test_message("%s reply %zu -> %s (%s)", name, i, scan_verdict_kind_name(v->kind),
                       v->reason ? v->reason : "");
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_cmpint(v->reason_class, ==, SCAN_REASON_PROTOCOL);
        g_assert_null(v->signature);
        g_assert_nonnull(strstr(v->reason, "more after its verdict"));
        g_assert_true(g_str_has_prefix(v->reply, name)); /* the first reply, as it came */
}

static GByteArray *named_reply(const char *name, const MoreCase *c)
{
        GByteArray *reply = g_byte_array_new();
        g_byte_array_append(reply, (const guint8 *)name, strlen(name));
        g_byte_array_append(reply, (const guint8 *)c->reply, c->len);
        return reply;
}

static void test_more_after_verdict_is_error(Fixture *f, gconstpointer data)
{
        for (gsize i = 0; i < G_N_ELEMENTS(more_cases); i++) {
                const MoreCase *c = &more_cases[i];
                g_autoptr(GByteArray) reply = named_reply("stream: ", c);
                g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_REPLY, (char *)reply->data, reply->len);
                if (c->after)
                        fake_scanner_set_after(fake, c->after, strlen(c->after) + 1, c->after_ms);
                g_autoptr(ScanVerdict) v = scan_with(f, fake, "x", 1, 0);
                expect_more_is_error(v, "stream: ", i);
                g_assert_cmpuint(fake_scanner_streams(fake), ==, 1);
        }
}

/* The same after FILDES (the probe's own reply is clean, so the file goes by FILDES). */
static void test_fildes_more_after_verdict_is_error(Fixture *f, gconstpointer data)
{
        for (gsize i = 0; i < G_N_ELEMENTS(more_cases); i++) {
                const MoreCase *c = &more_cases[i];
                if (c->after)
                        continue; /* the probe would get it too: see the next test */
                g_autoptr(GByteArray) reply = named_reply("fd[9]: ", c);
                g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_REPLY, (char *)reply->data, reply->len);
                fake_scanner_set_fildes(fake, FAKE_FILDES_SCAN);
                g_autoptr(ScanVerdict) v = scan_with(f, fake, "x", 1, 0);
                expect_more_is_error(v, "fd[9]: ", i);
                g_assert_cmpuint(fake_scanner_fildes(fake), ==, 2);
                g_assert_cmpuint(fake_scanner_streams(fake), ==, 0);
        }
}

/* A probe answered with more than its reply proves nothing: the client streams instead, and that
 * stream's reply, followed by more too, is an ERROR. */
static void test_fildes_probe_with_more_is_not_trusted(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        fake_scanner_set_fildes(fake, FAKE_FILDES_SCAN);
        fake_scanner_set_after(fake, RAW("junk"), 0);
        g_autoptr(ScanVerdict) v = scan_with(f, fake, "fine", 4, 0);
        expect_more_is_error(v, "stream: ", 0);
        g_assert_cmpuint(fake_scanner_fildes(fake), ==, 1); /* the probe */
        g_assert_cmpuint(fake_scanner_streams(fake), ==, 1);
}

/* A scanner that keeps the connection open after its one reply (but says nothing more) is not
 * failed for it: the verdict stands once the client stops waiting for the end. */
static void test_open_after_verdict_keeps_verdict(Fixture *f, gconstpointer data)
{
        static const char reply[] = "stream: OK";
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_REPLY, reply, sizeof reply);
        fake_scanner_set_after(fake, "", 0, 2000);
        g_autoptr(ScanVerdict) v = scan_with(f, fake, "x", 1, 0);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_OK);
        g_assert_cmpstr(v->reply, ==, "stream: OK");
}

static void test_fildes_silent_times_out(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_SILENT, NULL, 0);
        fake_scanner_set_fildes(fake, FAKE_FILDES_SCAN);
        gint64 start = g_get_monotonic_time();
        g_autoptr(ScanVerdict) v = scan_with(f, fake, "x", 1, 200);
        gint64 elapsed_ms = (g_get_monotonic_time() - start) / 1000;
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_nonnull(strstr(v->reason, "did not answer"));
        g_assert_cmpint(v->reason_class, ==, SCAN_REASON_TIMEOUT);
        g_assert_cmpint(elapsed_ms, >=, 190);
        g_assert_cmpint(elapsed_ms, <, 3000);
        g_assert_cmpuint(fake_scanner_streams(fake), ==, 0);
}

/* A scanner without FILDES (or a relay that drops descriptors) gets the file by INSTREAM, and
 * this client (and its copies) never tries FILDES again. */
static void test_fildes_unsupported_falls_back(Fixture *f, gconstpointer data)
{
        static const FakeFildes kinds[] = { FAKE_FILDES_UNKNOWN, FAKE_FILDES_NO_FD,
                                            FAKE_FILDES_NO_FD_14 };
        for (gsize i = 0; i < G_N_ELEMENTS(kinds); i++) {
                g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
                fake_scanner_set_fildes(fake, kinds[i]);
                g_autoptr(ScanClient) client = client_for(fake, 0);
                g_autoptr(ScanClient) copy = scan_client_copy(client);
                gint64 size;
                int fd = open_file(f, "BAD", 3, &size);
                g_autoptr(ScanVerdict) v = scan_client_scan_fd(client, fd, size);
                g_assert_cmpint(v->kind, ==, SCAN_VERDICT_INFECTED);
                g_assert_true(g_str_has_prefix(v->reply, "stream: "));
                g_assert_cmpuint(fake_scanner_fildes(fake), ==, 1);
                g_assert_cmpuint(fake_scanner_streams(fake), ==, 1);
                g_assert_false(scan_client_uses_fildes(client));
                g_assert_false(scan_client_uses_fildes(copy));
                g_autoptr(ScanVerdict) w = scan_client_scan_fd(copy, fd, size);
                close(fd);
                g_assert_cmpint(w->kind, ==, SCAN_VERDICT_INFECTED);
                g_assert_cmpuint(fake_scanner_fildes(fake), ==, 1);
                g_assert_cmpuint(fake_scanner_streams(fake), ==, 2);
        }
}

/* The scanner took descriptors, then is replaced by one that does not: the scan itself falls back. */
static void test_fildes_lost_falls_back(Fixture *f, gconstpointer data)
{
        static const FakeFildes kinds[] = { FAKE_FILDES_UNKNOWN, FAKE_FILDES_NO_FD,
                                            FAKE_FILDES_NO_FD_14 };
        for (gsize i = 0; i < G_N_ELEMENTS(kinds); i++) {
                g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
                fake_scanner_set_fildes(fake, FAKE_FILDES_SCAN);
                g_autoptr(ScanClient) client = client_for(fake, 0);
                gint64 size;
                int fd = open_file(f, "fine", 4, &size);
                g_autoptr(ScanVerdict) v = scan_client_scan_fd(client, fd, size);
                g_assert_cmpint(v->kind, ==, SCAN_VERDICT_OK);
                g_assert_cmpuint(fake_scanner_fildes(fake), ==, 2);
                fake_scanner_set_fildes(fake, kinds[i]);
                g_autoptr(ScanVerdict) w = scan_client_scan_fd(client, fd, size);
                close(fd);
                g_assert_cmpint(w->kind, ==, SCAN_VERDICT_OK);
                g_assert_true(g_str_has_prefix(w->reply, "stream: "));
                g_assert_cmpuint(fake_scanner_fildes(fake), ==, 3);
                g_assert_cmpuint(fake_scanner_streams(fake), ==, 1);
                g_assert_false(scan_client_uses_fildes(client));
        }
}

/* clamd without AlertExceedsMax answers OK for a file over MaxFileSize it never read: FILDES
 * would let such a file through where INSTREAM meets StreamMaxLength, so the client streams. */
static void test_fildes_scanner_skipping_large_files_gets_streams(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        fake_scanner_set_fildes(fake, FAKE_FILDES_SKIPS_LARGE);
        g_autoptr(ScanClient) client = client_for(fake, 0);
        gint64 size;
        int fd = open_file(f, "BAD", 3, &size);
        g_autoptr(ScanVerdict) v = scan_client_scan_fd(client, fd, size);
        g_autoptr(ScanVerdict) w = scan_client_scan_fd(client, fd, size);
        close(fd);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_INFECTED);
        g_assert_true(g_str_has_prefix(v->reply, "stream: "));
        g_assert_cmpint(w->kind, ==, SCAN_VERDICT_INFECTED);
        g_assert_cmpuint(fake_scanner_fildes(fake), ==, 1); /* the probe only, once */
        g_assert_cmpint(fake_scanner_fd_size(fake), >, (gint64)G_MAXINT32);
        g_assert_cmpuint(fake_scanner_streams(fake), ==, 2);
        g_assert_false(scan_client_uses_fildes(client));
}

static void test_fildes_instream_address(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        fake_scanner_set_fildes(fake, FAKE_FILDES_SCAN);
        g_autofree char *address = g_strconcat("instream:", fake_scanner_address(fake), NULL);
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanClient) client = scan_client_new(address, &error);
        g_assert_no_error(error);
        g_assert_cmpstr(scan_client_address(client), ==, address);
        g_assert_false(scan_client_uses_fildes(client));
        gint64 size;
        int fd = open_file(f, "fine", 4, &size);
        g_autoptr(ScanVerdict) v = scan_client_scan_fd(client, fd, size);
        close(fd);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_OK);
        g_assert_cmpuint(fake_scanner_fildes(fake), ==, 0);
        g_assert_cmpuint(fake_scanner_streams(fake), ==, 1);
}

/* FILDES scans the whole file: a scan of fewer bytes than the file holds streams exactly those. */
static void test_fildes_only_for_the_whole_file(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        fake_scanner_set_fildes(fake, FAKE_FILDES_SCAN);
        g_autoptr(ScanClient) client = client_for(fake, 0);
        gint64 size;
        int fd = open_file(f, "fine, then BAD", 14, &size);
        g_autoptr(ScanVerdict) v = scan_client_scan_fd(client, fd, 4);
        close(fd);
        g_assert_cmpint(v->kind, ==, SCAN_VERDICT_OK);
        g_assert_cmpuint(fake_scanner_fildes(fake), ==, 0);
        g_autoptr(GBytes) received = fake_scanner_received(fake);
        g_assert_cmpmem(g_bytes_get_data(received, NULL), g_bytes_get_size(received), "fine", 4);
}

/* A scanner that answers IDSESSION with UNKNOWN COMMAND (and closes): every file is still scanned
 * on its own connection, each verdict is its own file's, and the client stops asking for a
 * session after a few refusals. */
static void test_session_refused_falls_back(Fixture *f, gconstpointer data)
{
        g_autoptr(FakeScanner) fake = fake_scanner_new(FAKE_BY_CONTENT, NULL, 0);
        fake_scanner_set_fildes(fake, FAKE_FILDES_SCAN);
        g_autoptr(ScanClient) client = client_for(fake, 0);
        scan_client_use_sessions(client, TRUE);
        static const char *contents[] = { "fine", "BAD", "fine again", "more BAD", "ok", "last" };
        for (gsize i = 0; i < G_N_ELEMENTS(contents); i++) {
                g_autoptr(GBytes) content = g_bytes_new_static(contents[i], strlen(contents[i]));
                g_autoptr(ScanSnapshot) snapshot = snapshot_of(f, content, SCAN_SNAPSHOT_MEMFD_LIMIT);
                g_autoptr(ScanVerdict) v = scan_client_scan_fd(client, snapshot->fd, snapshot->size);
                gboolean bad = strstr(contents[i], "BAD") != NULL;
                g_assert_cmpint(v->kind, ==, bad ? SCAN_VERDICT_INFECTED : SCAN_VERDICT_OK);
        }
        /* the probe, then one FILDES per file on its own connection */
        g_assert_cmpuint(fake_scanner_fildes(fake), ==, 1 + G_N_ELEMENTS(contents));
        scan_client_end_session(client); /* nothing open: a no-op */
}

#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/scan/verdict/replies-map-to-verdicts", test_parse_table);
        g_test_add_func("/scan/verdict/fildes-replies-map-to-verdicts", test_parse_fildes_table);
        g_test_add_func("/scan/verdict/no-reply-is-error", test_parse_null);
        g_test_add_func("/scan/verdict/failed-exchanges-are-classed-by-their-error", test_error_classes);
        g_test_add_func("/scan/verdict/classes-have-audit-names", test_class_names);
        g_test_add_func("/scan/verdict/copy-keeps-class-and-path", test_copy_keeps_everything);
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
        ADD("/scan/client/fildes/passes-the-snapshot-read-only", test_fildes_passes_snapshot_read_only);
        ADD("/scan/client/fildes/found-names-the-signature", test_fildes_found_names_signature);
        ADD("/scan/client/fildes/only-an-exact-ok-is-ok-and-failures-stay-errors", test_fildes_replies);
        ADD("/scan/client/more-after-the-verdict-is-error", test_more_after_verdict_is_error);
        ADD("/scan/client/open-after-the-verdict-keeps-it", test_open_after_verdict_keeps_verdict);
        ADD("/scan/client/fildes/more-after-the-verdict-is-error", test_fildes_more_after_verdict_is_error);
        ADD("/scan/client/fildes/probe-with-more-is-not-trusted", test_fildes_probe_with_more_is_not_trusted);
        ADD("/scan/client/fildes/silent-scanner-times-out", test_fildes_silent_times_out);
        ADD("/scan/client/fildes/unsupported-falls-back-to-instream-once", test_fildes_unsupported_falls_back);
        ADD("/scan/client/fildes/lost-support-falls-back-to-instream", test_fildes_lost_falls_back);
        ADD("/scan/client/fildes/scanner-skipping-large-files-gets-streams",
            test_fildes_scanner_skipping_large_files_gets_streams);
        ADD("/scan/client/fildes/instream-address-never-passes-descriptors", test_fildes_instream_address);
        ADD("/scan/client/fildes/part-of-a-file-is-streamed", test_fildes_only_for_the_whole_file);
        ADD("/scan/client/session/refused-falls-back-to-a-connection-per-scan", test_session_refused_falls_back);
        return g_test_run();
}
