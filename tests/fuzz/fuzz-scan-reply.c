/* tests/fuzz/fuzz-scan-reply.c — the scanner client's reading of verdicts (scan/client.c): the
 * reply line parsers of INSTREAM and FILDES, and a whole INSTREAM exchange with a fake scanner on
 * a unix socket that answers with the input's bytes and closes. Property (the client fails
 * closed): nothing but an exact clean reply is ever OK — "stream: OK" / "fd[N]: OK" for a line,
 * exactly "stream: OK\0" on the socket; and the reason class is NONE exactly when OK. */
#include "tests/fuzz/fuzz.h"
#include "scan/client.h"

#include <errno.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void check_class(const ScanVerdict *verdict)
{
        FUZZ_ASSERT((verdict->kind == SCAN_VERDICT_OK) == (verdict->reason_class == SCAN_REASON_NONE));
}

static gboolean is_clean_fd_reply(const char *line)
{
        if (!g_str_has_prefix(line, "fd["))
                return FALSE;
        const char *p = line + 3;
        gsize digits = strspn(p, "0123456789");
        return digits >= 1 && digits <= 10 && strcmp(p + digits, "]: OK") == 0;
}

static void fuzz_lines(const char *line)
{
        g_autoptr(ScanVerdict) stream = scan_verdict_parse(line);
        check_class(stream);
        FUZZ_ASSERT((stream->kind == SCAN_VERDICT_OK) == (strcmp(line, "stream: OK") == 0));
        g_autoptr(ScanVerdict) fd = scan_verdict_parse_fildes(line);
        check_class(fd);
        FUZZ_ASSERT((fd->kind == SCAN_VERDICT_OK) == is_clean_fd_reply(line));
}

/* ---- a fake scanner: answers PING with PONG (the pool's health check); takes one INSTREAM
 * request and answers it with the reply given, once, then closes. A connection that finds no
 * reply waiting (the pool asking again after no verdict) is closed without one. ---- */

static int listener = -1;
static char *socket_path;
static GMutex lock;
static GBytes *next_reply; /* the answer for the next connection */

static gboolean read_full(int fd, void *buf, gsize len)
{
        guint8 *p = buf;
        while (len > 0) {
                ssize_t n = read(fd, p, len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return FALSE;
                p += n;
                len -= (gsize)n;
        }
        return TRUE;
}

static void send_all(int fd, const char *bytes, gsize len)
{
        while (len > 0) {
                ssize_t n = send(fd, bytes, len, MSG_NOSIGNAL);
                if (n <= 0)
                        break;
                bytes += n;
                len -= (gsize)n;
        }
}

typedef enum { REQUEST_NONE, REQUEST_PING, REQUEST_INSTREAM } Request;

/* "zPING\0", or "zINSTREAM\0" then chunks until a zero length. */
static Request read_request(int fd)
{
        char command[10];
        if (!read_full(fd, command, 6))
                return REQUEST_NONE;
        if (memcmp(command, "zPING", 6) == 0)
                return REQUEST_PING;
        if (!read_full(fd, command + 6, 4) || memcmp(command, "zINSTREAM", 10) != 0)
                return REQUEST_NONE;
        for (;;) {
                guint32 be;
                if (!read_full(fd, &be, sizeof be))
                        return FALSE;
                guint32 n = GUINT32_FROM_BE(be);
                if (n == 0)
                        return REQUEST_INSTREAM;
                g_autofree guint8 *chunk = g_malloc(n);
                if (!read_full(fd, chunk, n))
                        return REQUEST_NONE;
        }
}

static gpointer scanner_thread(gpointer data)
{
        for (;;) {
                int fd = accept(listener, NULL, NULL);
                if (fd < 0)
                        continue;
                Request request = read_request(fd);
                if (request == REQUEST_PING) {
                        send_all(fd, "PONG", 5); /* with its NUL */
                } else if (request == REQUEST_INSTREAM) {
                        g_mutex_lock(&lock);
                        g_autoptr(GBytes) reply = g_steal_pointer(&next_reply);
                        g_mutex_unlock(&lock);
                        gsize len = 0;
                        const char *bytes = reply ? g_bytes_get_data(reply, &len) : NULL;
                        send_all(fd, bytes, len);
                }
                close(fd);
        }
        return NULL;
}

static void start_scanner(void)
{
        socket_path = g_build_filename(fuzz_scratch_dir(), "scanner.sock", NULL);
        struct sockaddr_un sun = { .sun_family = AF_UNIX };
        g_strlcpy(sun.sun_path, socket_path, sizeof sun.sun_path);
        listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (listener < 0 || bind(listener, (struct sockaddr *)&sun, sizeof sun) < 0 || listen(listener, 4) < 0) {
                perror("fuzz-scan-reply: the fake scanner");
                abort();
        }
        g_thread_unref(g_thread_new("scanner", scanner_thread, NULL));
}

static void fuzz_exchange(const uint8_t *data, size_t size)
{
        static ScanClient *client;
        static int file = -1;
        if (!client) {
                g_autofree char *address = g_strconcat("instream:unix:", socket_path, NULL);
                client = scan_client_new(address, NULL);
                FUZZ_ASSERT(client != NULL);
                scan_client_set_timeout_ms(client, 2000);
                scan_client_set_wait_ms(client, 0); /* no verdict is refused at once, not waited for */
                file = memfd_create("fuzz-file", MFD_CLOEXEC);
                FUZZ_ASSERT(file >= 0 && write(file, "hello", 5) == 5);
        }
        g_mutex_lock(&lock);
        g_clear_pointer(&next_reply, g_bytes_unref);
        next_reply = g_bytes_new(data, size);
        g_mutex_unlock(&lock);
        g_autoptr(ScanVerdict) verdict = scan_client_scan_fd(client, file, 5);
        FUZZ_ASSERT(verdict != NULL);
        check_class(verdict);
        static const char clean[] = "stream: OK"; /* with its NUL */
        gboolean exact = size == sizeof clean && memcmp(data, clean, sizeof clean) == 0;
        FUZZ_ASSERT((verdict->kind == SCAN_VERDICT_OK) == exact);
        /* a reply never taken leaves it for no one: drop it */
        g_mutex_lock(&lock);
        g_clear_pointer(&next_reply, g_bytes_unref);
        g_mutex_unlock(&lock);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        fuzz_glib_strict();
        start_scanner();
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        g_autofree char *line = fuzz_cstr(data, size);
        fuzz_lines(line);
        if (size <= 8192)
                fuzz_exchange(data, size);
        return 0;
}
