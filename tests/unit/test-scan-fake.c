/* tests/unit/test-scan-fake.c — a fake clamd-protocol scanner for the scan unit tests.
 * Owns: the fake's thread, socket and temp dir. Must not: be linked into anything but tests. */
#include "config.h"
#include "scan-fake.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

struct FakeScanner {
        FakeMode mode;
        GBytes *reply;
        char *dir;
        char *socket_path;
        char *address;
        int listen_fd;
        int stop[2]; /* a pipe: readable once the fake must stop */
        GThread *thread;
        GMutex lock;
        GBytes *received;
        guint scans;
        guint delay_ms;
};

/* Reads exactly len bytes; FALSE on EOF, error or stop. */
static gboolean read_exact(FakeScanner *fake, int fd, void *buf, gsize len)
{
        char *p = buf;
        while (len > 0) {
                struct pollfd pfd[2] = { { .fd = fd, .events = POLLIN }, { .fd = fake->stop[0], .events = POLLIN } };
                if (poll(pfd, 2, -1) < 0 && errno != EINTR)
                        return FALSE;
                if (pfd[1].revents)
                        return FALSE;
                if (!pfd[0].revents)
                        continue;
                ssize_t n = recv(fd, p, len, 0);
                if (n <= 0)
                        return FALSE;
                p += n;
                len -= (gsize)n;
        }
        return TRUE;
}

static char *read_command(FakeScanner *fake, int fd)
{
        GString *cmd = g_string_new(NULL);
        char c;
        while (cmd->len < 64 && read_exact(fake, fd, &c, 1)) {
                if (c == '\0')
                        return g_string_free(cmd, FALSE);
                g_string_append_c(cmd, c);
        }
        g_string_free(cmd, TRUE);
        return NULL;
}

static void send_all(int fd, const void *data, gsize len)
{
        const char *p = data;
        while (len > 0) {
                ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
                if (n <= 0)
                        return;
                p += n;
                len -= (gsize)n;
        }
}

static void send_text(int fd, const char *text)
{
        send_all(fd, text, strlen(text) + 1);
}

/* Reads chunks until the zero-length one; NULL when the client broke off. */
static GByteArray *read_stream(FakeScanner *fake, int fd)
{
        GByteArray *data = g_byte_array_new();
        for (;;) {
                guint32 len;
                if (!read_exact(fake, fd, &len, 4))
                        break;
                len = ntohl(len);
                if (fake->mode == FAKE_EARLY_ERROR) {
                        send_text(fd, "INSTREAM size limit exceeded. ERROR");
                        break;
                }
                if (len == 0)
                        return data;
                if (len > 16 * 1024 * 1024)
                        break;
                guint old = data->len;
                g_byte_array_set_size(data, old + len);
                if (!read_exact(fake, fd, data->data + old, len))
                        break;
        }
        g_byte_array_unref(data);
        return NULL;
}

static void answer_stream(FakeScanner *fake, int fd, GByteArray *data)
{
        g_mutex_lock(&fake->lock);
        g_clear_pointer(&fake->received, g_bytes_unref);
        fake->received = g_bytes_new(data->data, data->len);
        fake->scans++;
        guint delay = fake->delay_ms;
        g_mutex_unlock(&fake->lock);
        if (delay) {
                struct pollfd pfd = { .fd = fake->stop[0], .events = POLLIN };
                (void)poll(&pfd, 1, (int)delay);
        }
        switch (fake->mode) {
        case FAKE_REPLY:
                send_all(fd, g_bytes_get_data(fake->reply, NULL), g_bytes_get_size(fake->reply));
                break;
        case FAKE_BY_CONTENT:
                send_text(fd, g_strstr_len((char *)data->data, data->len, "BAD") ? "stream: Fake.Bad FOUND"
                                                                                   : "stream: OK");
                break;
        case FAKE_SILENT: {
                struct pollfd pfd = { .fd = fake->stop[0], .events = POLLIN };
                (void)poll(&pfd, 1, -1);
                break;
        }
        default:
                break;
        }
}

static void serve(FakeScanner *fake, int fd)
{
        g_autofree char *cmd = read_command(fake, fd);
        if (!cmd)
                return;
        if (strcmp(cmd, "zPING") == 0) {
                send_text(fd, "PONG");
                return;
        }
        if (strcmp(cmd, "zVERSION") == 0) {
                send_text(fd, "ClamAV 1.4.6/fake");
                return;
        }
        if (strcmp(cmd, "zINSTREAM") != 0) {
                send_text(fd, "UNKNOWN COMMAND");
                return;
        }
        GByteArray *data = read_stream(fake, fd);
        if (data) {
                answer_stream(fake, fd, data);
                g_byte_array_unref(data);
        }
}

static gpointer fake_thread(gpointer data)
{
        FakeScanner *fake = data;
        for (;;) {
                struct pollfd pfd[2] = { { .fd = fake->listen_fd, .events = POLLIN },
                                         { .fd = fake->stop[0], .events = POLLIN } };
                if (poll(pfd, 2, -1) < 0 && errno != EINTR)
                        return NULL;
                if (pfd[1].revents)
                        return NULL;
                if (!pfd[0].revents)
                        continue;
                int fd = accept4(fake->listen_fd, NULL, NULL, SOCK_CLOEXEC);
                if (fd < 0)
                        continue;
                serve(fake, fd);
                close(fd);
        }
}

FakeScanner *fake_scanner_new(FakeMode mode, const char *reply, gsize reply_len)
{
        FakeScanner *fake = g_new0(FakeScanner, 1);
        fake->mode = mode;
        fake->reply = g_bytes_new(reply, reply ? reply_len : 0);
        fake->dir = g_dir_make_tmp("clamftp-fake-XXXXXX", NULL);
        g_assert_nonnull(fake->dir);
        fake->socket_path = g_build_filename(fake->dir, "fake.sock", NULL);
        fake->address = g_strdup_printf("unix:%s", fake->socket_path);
        g_mutex_init(&fake->lock);
        g_assert_cmpint(pipe2(fake->stop, O_CLOEXEC), ==, 0);
        fake->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        g_assert_cmpint(fake->listen_fd, >=, 0);
        struct sockaddr_un sun = { .sun_family = AF_UNIX };
        g_strlcpy(sun.sun_path, fake->socket_path, sizeof sun.sun_path);
        g_assert_cmpint(bind(fake->listen_fd, (struct sockaddr *)&sun, sizeof sun), ==, 0);
        g_assert_cmpint(listen(fake->listen_fd, 8), ==, 0);
        fake->thread = g_thread_new("fake-scanner", fake_thread, fake);
        return fake;
}

void fake_scanner_free(FakeScanner *fake)
{
        if (!fake)
                return;
        g_assert_cmpint(write(fake->stop[1], "x", 1), ==, 1);
        g_thread_join(fake->thread);
        close(fake->listen_fd);
        close(fake->stop[0]);
        close(fake->stop[1]);
        g_unlink(fake->socket_path);
        g_rmdir(fake->dir);
        g_clear_pointer(&fake->received, g_bytes_unref);
        g_bytes_unref(fake->reply);
        g_mutex_clear(&fake->lock);
        g_free(fake->socket_path);
        g_free(fake->address);
        g_free(fake->dir);
        g_free(fake);
}

const char *fake_scanner_address(FakeScanner *fake)
{
        return fake->address;
}

GBytes *fake_scanner_received(FakeScanner *fake)
{
        g_mutex_lock(&fake->lock);
        GBytes *bytes = fake->received ? g_bytes_ref(fake->received) : NULL;
        g_mutex_unlock(&fake->lock);
        return bytes;
}

guint fake_scanner_scans(FakeScanner *fake)
{
        g_mutex_lock(&fake->lock);
        guint n = fake->scans;
        g_mutex_unlock(&fake->lock);
        return n;
}

void fake_scanner_set_delay_ms(FakeScanner *fake, guint delay_ms)
{
        g_mutex_lock(&fake->lock);
        fake->delay_ms = delay_ms;
        g_mutex_unlock(&fake->lock);
}

GBytes *test_eicar(void)
{
        /* the EICAR string, kept out of the source by a trivial rotation (each byte minus one) */
        static const char shifted[] = "Y6P\"Q&ABQ\\5]Q[Y65)Q_*8DD*8~%FJDBS.TUBOEBSE.BOUJWJSVT.UFTU.GJMF\"%I,I+";
        char buf[sizeof shifted];
        for (gsize i = 0; i + 1 < sizeof shifted; i++)
                buf[i] = (char)(shifted[i] - 1);
        g_assert_cmpuint(sizeof shifted - 1, ==, 68);
        return g_bytes_new(buf, 68);
}

char *test_write_file(const char *dir, const char *name, const void *data, gsize len)
{
        char *path = g_build_filename(dir, name, NULL);
        g_autoptr(GError) error = NULL;
        g_assert_true(g_file_set_contents(path, data, (gssize)len, &error));
        g_assert_no_error(error);
        return path;
}
