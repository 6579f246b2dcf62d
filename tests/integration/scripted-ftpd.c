/* tests/integration/scripted-ftpd.c — a misbehaving FTP server for the engine's tests: a GLib
 * thread on a loopback port that runs one C function (the script) against one client.
 * Must not: block without a deadline; every read and accept ends within a few seconds. */
#include "config.h"
#include "scripted-ftpd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SCRIPT_WAIT_MS 5000

struct ScriptedConn {
        int fd;
        GString *in;    /* bytes received, not yet returned as lines */
        char *failure;  /* first failed expectation */
};

struct ScriptedFtpd {
        int listen_fd;
        guint16 port;
        ScriptFunc script;
        gpointer data;
        GThread *thread;
        char *failure;
};

static int listen_loopback(guint16 *port)
{
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        g_assert_cmpint(fd, >=, 0);
        struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        socklen_t len = sizeof sin;
        g_assert_cmpint(bind(fd, (struct sockaddr *)&sin, len), ==, 0);
        g_assert_cmpint(listen(fd, 4), ==, 0);
        g_assert_cmpint(getsockname(fd, (struct sockaddr *)&sin, &len), ==, 0);
        *port = ntohs(sin.sin_port);
        return fd;
}

static int accept_within(int listen_fd, int ms)
{
        struct pollfd pfd = { .fd = listen_fd, .events = POLLIN };
        if (poll(&pfd, 1, ms) != 1)
                return -1;
        return accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
}

void scripted_fail(ScriptedConn *c, const char *fmt, ...)
{
        if (c->failure)
                return;
        va_list ap;
        va_start(ap, fmt);
        c->failure = g_strdup_vprintf(fmt, ap);
        va_end(ap);
}

static gpointer run(gpointer data)
{
        ScriptedFtpd *server = data;
        ScriptedConn conn = { .fd = accept_within(server->listen_fd, 10 * SCRIPT_WAIT_MS), .in = g_string_new(NULL) };
        if (conn.fd < 0)
                scripted_fail(&conn, "the client never connected");
        else
                server->script(&conn, server->data);
        if (conn.fd >= 0)
                close(conn.fd);
        g_string_free(conn.in, TRUE);
        server->failure = conn.failure;
        return NULL;
}

ScriptedFtpd *scripted_ftpd_start(ScriptFunc script, gpointer data)
{
        ScriptedFtpd *server = g_new0(ScriptedFtpd, 1);
        server->listen_fd = listen_loopback(&server->port);
        server->script = script;
        server->data = data;
        server->thread = g_thread_new("scripted-ftpd", run, server);
        return server;
}

guint16 scripted_ftpd_port(const ScriptedFtpd *server)
{
        return server->port;
}

char *scripted_ftpd_finish(ScriptedFtpd *server)
{
        g_thread_join(server->thread);
        close(server->listen_fd);
        char *failure = server->failure;
        g_free(server);
        return failure;
}

gboolean scripted_data_send(int fd, const char *data, gsize len)
{
        while (len > 0) {
                ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return FALSE;
                data += n;
                len -= (gsize)n;
        }
        return TRUE;
}

gboolean scripted_send(ScriptedConn *c, const char *text)
{
        return scripted_data_send(c->fd, text, strlen(text));
}

char *scripted_read_line(ScriptedConn *c)
{
        gint64 deadline = g_get_monotonic_time() + SCRIPT_WAIT_MS * 1000;
        for (;;) {
                char *nl = memchr(c->in->str, '\n', c->in->len);
                if (nl) {
                        gsize n = (gsize)(nl - c->in->str);
                        char *line = g_strndup(c->in->str, n > 0 && nl[-1] == '\r' ? n - 1 : n);
                        g_string_erase(c->in, 0, (gssize)n + 1);
                        return line;
                }
                int left = (int)((deadline - g_get_monotonic_time()) / 1000);
                struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
                if (left <= 0 || poll(&pfd, 1, left) != 1)
                        return NULL;
                char buf[4096];
                ssize_t n = recv(c->fd, buf, sizeof buf, 0);
                if (n <= 0)
                        return NULL;
                g_string_append_len(c->in, buf, n);
        }
}

gboolean scripted_expect(ScriptedConn *c, const char *prefix)
{
        g_autofree char *line = scripted_read_line(c);
        if (line && g_str_has_prefix(line, prefix))
                return TRUE;
        scripted_fail(c, "expected “%s…”, got “%s”", prefix, line ? line : "(nothing)");
        return FALSE;
}

/* The USER line, after refusing an AUTH TLS that comes first (a client whose TLS policy is auto). */
static gboolean expect_user(ScriptedConn *c)
{
        g_autofree char *line = scripted_read_line(c);
        if (line && g_str_has_prefix(line, "AUTH ")) {
                g_clear_pointer(&line, g_free);
                if (!scripted_send(c, "502 TLS is not offered here\r\n"))
                        return FALSE;
                line = scripted_read_line(c);
        }
        if (line && g_str_has_prefix(line, "USER "))
                return TRUE;
        scripted_fail(c, "expected “USER …”, got “%s”", line ? line : "(nothing)");
        return FALSE;
}

gboolean scripted_login(ScriptedConn *c, const char *features)
{
        g_autofree char *feat = g_strdup_printf("211-Features:\r\n%s211 End\r\n", features);
        return scripted_send(c, "220 scripted server\r\n") && expect_user(c) &&
               scripted_send(c, "331 password please\r\n") && scripted_expect(c, "PASS ") &&
               scripted_send(c, "230 logged in\r\n") && scripted_expect(c, "FEAT") && scripted_send(c, feat) &&
               scripted_expect(c, "PWD") && scripted_send(c, "257 \"/\" is the current directory\r\n");
}

int scripted_data_listen(guint16 *port)
{
        return listen_loopback(port);
}

int scripted_data_accept(int listen_fd)
{
        return accept_within(listen_fd, SCRIPT_WAIT_MS);
}

int scripted_data_connect(const char *from_ip, guint16 port)
{
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_in from = { .sin_family = AF_INET };
        struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port),
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        inet_pton(AF_INET, from_ip, &from.sin_addr);
        if (bind(fd, (struct sockaddr *)&from, sizeof from) < 0 ||
            connect(fd, (struct sockaddr *)&to, sizeof to) < 0) {
                close(fd);
                return -1;
        }
        return fd;
}
