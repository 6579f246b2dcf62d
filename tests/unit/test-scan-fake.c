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
#include <sys/stat.h>
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
        GBytes *after;     /* sent after_ms after each answer; NULL: close at once */
        guint after_ms;
        FakeFildes fildes;
        guint fildes_count;
        guint stream_count;
        gsize largest_chunk;
        gboolean fd_writable;
        gint64 fd_size;
        char *stats;       /* the STATS report before its END; NULL: UNKNOWN COMMAND */
        guint stats_count;
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
                g_mutex_lock(&fake->lock);
                fake->largest_chunk = MAX(fake->largest_chunk, len);
                g_mutex_unlock(&fake->lock);
                guint old = data->len;
                g_byte_array_set_size(data, old + len);
                if (!read_exact(fake, fd, data->data + old, len))
                        break;
        }
        g_byte_array_unref(data);
        return NULL;
}

/* Waits ms, or until the fake stops. */
static void pause_ms(FakeScanner *fake, guint ms)
{
        struct pollfd pfd = { .fd = fake->stop[0], .events = POLLIN };
        (void)poll(&pfd, 1, (int)ms);
}

/* What fake_scanner_set_after() asked for, after an answer. */
static void say_after(FakeScanner *fake, int fd)
{
        g_mutex_lock(&fake->lock);
        GBytes *after = fake->after ? g_bytes_ref(fake->after) : NULL;
        guint after_ms = fake->after_ms;
        g_mutex_unlock(&fake->lock);
        if (!after)
                return;
        pause_ms(fake, after_ms);
        send_all(fd, g_bytes_get_data(after, NULL), g_bytes_get_size(after));
        g_bytes_unref(after);
}

/* Answers a scan of data; name: "stream" or "fd[N]". */
static void answer(FakeScanner *fake, int fd, GByteArray *data, const char *name)
{
        g_mutex_lock(&fake->lock);
        g_clear_pointer(&fake->received, g_bytes_unref);
        fake->received = g_bytes_new(data->data, data->len);
        fake->scans++;
        guint delay = fake->delay_ms;
        g_mutex_unlock(&fake->lock);
        if (delay)
                pause_ms(fake, delay);
        switch (fake->mode) {
        case FAKE_REPLY:
                send_all(fd, g_bytes_get_data(fake->reply, NULL), g_bytes_get_size(fake->reply));
                break;
        case FAKE_BY_CONTENT: {
                gboolean bad = g_strstr_len((char *)data->data, data->len, "BAD") != NULL;
                g_autofree char *text = g_strdup_printf(bad ? "%s: Fake.Bad FOUND" : "%s: OK", name);
                send_text(fd, text);
                break;
        }
        case FAKE_SILENT: {
                struct pollfd pfd = { .fd = fake->stop[0], .events = POLLIN };
                (void)poll(&pfd, 1, -1);
                break;
        }
        default:
                break;
        }
        say_after(fake, fd);
}

/* Receives the byte that carries a descriptor (SCM_RIGHTS); -1 when none came. */
static int receive_descriptor(FakeScanner *fake, int fd)
{
        struct pollfd pfd[2] = { { .fd = fd, .events = POLLIN }, { .fd = fake->stop[0], .events = POLLIN } };
        while (poll(pfd, 2, -1) < 0 && errno == EINTR)
                ;
        if (pfd[1].revents || !pfd[0].revents)
                return -1;
        char byte;
        struct iovec iov = { &byte, 1 };
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } control;
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                              .msg_controllen = sizeof control.buf };
        if (recvmsg(fd, &msg, MSG_CMSG_CLOEXEC) != 1)
                return -1;
        struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
        if (!cm || cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS ||
            cm->cmsg_len != CMSG_LEN(sizeof(int)))
                return -1;
        int passed;
        memcpy(&passed, CMSG_DATA(cm), sizeof passed);
        return passed;
}

/* Reads the passed file as a careless scanner would: read() from its current offset to EOF. */
static GByteArray *read_passed(int passed)
{
        GByteArray *data = g_byte_array_new();
        guint8 buf[64 * 1024];
        ssize_t n;
        while ((n = read(passed, buf, sizeof buf)) > 0)
                g_byte_array_append(data, buf, (guint)n);
        return data;
}

static void scan_passed(FakeScanner *fake, int fd, int passed, FakeFildes fildes)
{
        g_autofree char *name = g_strdup_printf("fd[%d]", passed);
        struct stat st;
        gboolean regular = fstat(passed, &st) == 0 && S_ISREG(st.st_mode);
        g_mutex_lock(&fake->lock);
        fake->fd_writable = (fcntl(passed, F_GETFL) & O_ACCMODE) != O_RDONLY;
        fake->fd_size = regular ? (gint64)st.st_size : -1;
        g_mutex_unlock(&fake->lock);
        g_autofree char *text = NULL;
        if (!regular)
                text = g_strdup_printf("%s: Not a regular file ERROR", name);
        else if (st.st_size > FAKE_MAX_FILE_SIZE && fildes == FAKE_FILDES_SKIPS_LARGE)
                text = g_strdup_printf("%s: OK", name);
        else if (st.st_size > FAKE_MAX_FILE_SIZE)
                text = g_strdup_printf("%s: Heuristics.Limits.Exceeded.MaxFileSize FOUND", name);
        if (text) {
                send_text(fd, text);
                say_after(fake, fd);
                return;
        }
        GByteArray *data = read_passed(passed);
        answer(fake, fd, data, name);
        g_byte_array_unref(data);
}

static void serve_fildes(FakeScanner *fake, int fd)
{
        g_mutex_lock(&fake->lock);
        fake->fildes_count++;
        FakeFildes fildes = fake->fildes;
        g_mutex_unlock(&fake->lock);
        if (fildes == FAKE_FILDES_UNKNOWN) {
                send_text(fd, "UNKNOWN COMMAND");
                return;
        }
        int passed = receive_descriptor(fake, fd);
        if (fildes == FAKE_FILDES_NO_FD_14)
                send_text(fd, "No file descriptor received. ERROR");
        else if (fildes == FAKE_FILDES_NO_FD || passed < 0)
                send_text(fd, "FILDES: didn't receive file descriptor. ERROR");
        else
                scan_passed(fake, fd, passed, fildes);
        if (passed >= 0)
                close(passed);
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
        if (strcmp(cmd, "zFILDES") == 0) {
                serve_fildes(fake, fd);
                return;
        }
        if (strcmp(cmd, "zSTATS") == 0) {
                g_mutex_lock(&fake->lock);
                fake->stats_count++;
                g_autofree char *report = fake->stats ? g_strconcat(fake->stats, "END", NULL) : NULL;
                g_mutex_unlock(&fake->lock);
                send_text(fd, report ? report : "UNKNOWN COMMAND");
                return;
        }
        if (strcmp(cmd, "zINSTREAM") != 0) {
                send_text(fd, "UNKNOWN COMMAND");
                return;
        }
        g_mutex_lock(&fake->lock);
        fake->stream_count++;
        g_mutex_unlock(&fake->lock);
        GByteArray *data = read_stream(fake, fd);
        if (data) {
                answer(fake, fd, data, "stream");
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
        g_clear_pointer(&fake->after, g_bytes_unref);
        g_free(fake->stats);
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

void fake_scanner_set_after(FakeScanner *fake, const void *bytes, gsize len, guint delay_ms)
{
        g_mutex_lock(&fake->lock);
        g_clear_pointer(&fake->after, g_bytes_unref);
        fake->after = g_bytes_new(bytes, len);
        fake->after_ms = delay_ms;
        g_mutex_unlock(&fake->lock);
}

void fake_scanner_set_fildes(FakeScanner *fake, FakeFildes fildes)
{
        g_mutex_lock(&fake->lock);
        fake->fildes = fildes;
        g_mutex_unlock(&fake->lock);
}

#define GETTER(type, name, field)                  \
        type name(FakeScanner *fake)               \
        {                                          \
                g_mutex_lock(&fake->lock);         \
                type value = fake->field;          \
                g_mutex_unlock(&fake->lock);       \
                return value;                      \
        }
GETTER(guint, fake_scanner_fildes, fildes_count)
GETTER(guint, fake_scanner_streams, stream_count)
GETTER(gsize, fake_scanner_largest_chunk, largest_chunk)
GETTER(gboolean, fake_scanner_fd_writable, fd_writable)
GETTER(gint64, fake_scanner_fd_size, fd_size)

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

void fake_scanner_set_stats(FakeScanner *fake, const char *report)
{
        g_mutex_lock(&fake->lock);
        g_free(fake->stats);
        fake->stats = g_strdup(report);
        g_mutex_unlock(&fake->lock);
}

guint fake_scanner_stats_asked(FakeScanner *fake)
{
        g_mutex_lock(&fake->lock);
        guint n = fake->stats_count;
        g_mutex_unlock(&fake->lock);
        return n;
}
