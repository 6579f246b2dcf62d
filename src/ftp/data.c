/* ftp/data.c — the sockets of FTP data connections: passive connect, active listen and accept,
 * and the PORT/EPRT argument forms.
 * Owns: which address a data connection may use (the control peer's, never a stranger's).
 * Must not: send FTP commands or read replies (session-data.c does), or touch local files. */
#include "config.h"
#include "ftp/data.h"
#include "ftp/session.h"
#include "common/net.h"
#include "common/i18n.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/sockios.h>
#endif

/* A NET_ERROR becomes the FTP_ERROR the session reports: cancel and timeout keep their meaning. */
static void propagate_net_error(GError **error, GError *net)
{
        int code = FTP_ERROR_DATA;
        if (net->domain == NET_ERROR && net->code == NET_ERROR_CANCELLED)
                code = FTP_ERROR_CANCELLED;
        else if (net->domain == NET_ERROR && net->code == NET_ERROR_TIMEOUT)
                code = FTP_ERROR_TIMEOUT;
        g_set_error(error, FTP_ERROR, code, _("Data connection: %s"), net->message);
        g_error_free(net);
}

int ftp_data_connect(int ctrl_fd, const guint8 *pasv_addr, guint16 port, gint64 deadline, int cancel_fd,
                     GError **error)
{
        struct sockaddr_storage ss;
        socklen_t len;
        GError *net = NULL;
        if (!net_peer_address(ctrl_fd, &ss, &len, &net)) {
                propagate_net_error(error, net);
                return -1;
        }
        if (pasv_addr) {
                struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
                memset(&ss, 0, sizeof ss);
                sin->sin_family = AF_INET;
                memcpy(&sin->sin_addr, pasv_addr, 4);
                len = sizeof *sin;
        }
        net_address_set_port((struct sockaddr *)&ss, port);
        int fd = net_connect_addr((struct sockaddr *)&ss, len, deadline, cancel_fd, &net);
        if (fd < 0)
                propagate_net_error(error, net);
        return fd;
}

int ftp_data_listen(int ctrl_fd, struct sockaddr_storage *bound, GError **error)
{
        socklen_t len;
        GError *net = NULL;
        if (!net_local_address(ctrl_fd, bound, &len, &net)) {
                propagate_net_error(error, net);
                return -1;
        }
        net_address_set_port((struct sockaddr *)bound, 0);
        int fd = socket(bound->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0) {
                g_set_error(error, FTP_ERROR, FTP_ERROR_DATA, _("Cannot create a socket for active mode: %s"),
                            g_strerror(errno));
                return -1;
        }
        if (bind(fd, (struct sockaddr *)bound, len) < 0 || listen(fd, 4) < 0 ||
            getsockname(fd, (struct sockaddr *)bound, &len) < 0) {
                int saved = errno;
                close(fd);
                g_set_error(error, FTP_ERROR, FTP_ERROR_DATA,
                            _("Cannot listen for the server's data connection (active mode): %s; try passive mode."),
                            g_strerror(saved));
                return -1;
        }
        return fd;
}

static gboolean same_ip(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
        if (a->ss_family != b->ss_family)
                return FALSE;
        if (a->ss_family == AF_INET)
                return memcmp(&((const struct sockaddr_in *)a)->sin_addr,
                              &((const struct sockaddr_in *)b)->sin_addr, sizeof(struct in_addr)) == 0;
        if (a->ss_family == AF_INET6)
                return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
                              &((const struct sockaddr_in6 *)b)->sin6_addr, sizeof(struct in6_addr)) == 0;
        return FALSE;
}

int ftp_data_accept(int listen_fd, int ctrl_fd, gint64 deadline, int cancel_fd, guint *rejected,
                    GError **error)
{
        struct sockaddr_storage server;
        socklen_t len;
        GError *net = NULL;
        if (!net_peer_address(ctrl_fd, &server, &len, &net)) {
                propagate_net_error(error, net);
                return -1;
        }
        for (;;) {
                if (!net_wait(listen_fd, POLLIN, deadline, cancel_fd, &net)) {
                        propagate_net_error(error, net);
                        return -1;
                }
                struct sockaddr_storage from;
                socklen_t from_len = sizeof from;
                int fd = accept4(listen_fd, (struct sockaddr *)&from, &from_len, SOCK_CLOEXEC);
                if (fd < 0) {
                        if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED)
                                continue;
                        g_set_error(error, FTP_ERROR, FTP_ERROR_DATA,
                                    _("Accepting the server's data connection failed: %s"), g_strerror(errno));
                        return -1;
                }
                if (same_ip(&from, &server))
                        return fd;
                /* someone else reached our port first: never take their data */
                close(fd);
                if (rejected)
                        (*rejected)++;
        }
}

gboolean ftp_data_wait(int data_fd, short events, int ctrl_fd, gint64 deadline, int cancel_fd, gboolean *data_ready,
                       gboolean *ctrl_ready, GError **error)
{
        *data_ready = *ctrl_ready = FALSE;
        for (;;) {
                struct pollfd pfd[3] = {
                        { .fd = data_fd, .events = events },
                        { .fd = ctrl_fd, .events = POLLIN },  /* poll() skips a negative fd */
                        { .fd = cancel_fd, .events = POLLIN },
                };
                gint64 left = deadline - g_get_monotonic_time();
                int timeout = left <= 0 ? 0 : (int)MIN((left + 999) / 1000, (gint64)G_MAXINT);
                int n = poll(pfd, 3, timeout);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        g_set_error(error, NET_ERROR, NET_ERROR_IO, _("Waiting on the network failed: %s"),
                                    g_strerror(errno));
                        return FALSE;
                }
                if (pfd[2].revents & POLLIN) {
                        g_set_error_literal(error, NET_ERROR, NET_ERROR_CANCELLED, _("Cancelled."));
                        return FALSE;
                }
                *data_ready = pfd[0].revents != 0;
                *ctrl_ready = pfd[1].revents != 0;
                if (*data_ready || *ctrl_ready)
                        return TRUE;
                if (n == 0 && timeout == 0) {
                        g_set_error_literal(error, NET_ERROR, NET_ERROR_TIMEOUT, _("The network did not answer in time."));
                        return FALSE;
                }
        }
}

gssize ftp_data_send_some(int fd, const char *buf, gsize len, GError **error)
{
        for (;;) {
                ssize_t n = send(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
                if (n >= 0)
                        return n;
                if (errno == EINTR)
                        continue;
                if (errno == EAGAIN || errno == EWOULDBLOCK)
                        return 0;
                g_set_error(error, NET_ERROR, errno == EPIPE || errno == ECONNRESET ? NET_ERROR_CLOSED : NET_ERROR_IO,
                            _("Writing to the network failed: %s"), g_strerror(errno));
                return -1;
        }
}

gint64 ftp_data_unsent(int fd)
{
#ifdef SIOCOUTQ
        int queued = 0;
        if (ioctl(fd, SIOCOUTQ, &queued) == 0 && queued >= 0)
                return queued;
#else
        (void)fd;
#endif
        return -1;
}

char *ftp_data_eprt_arg(const struct sockaddr *sa)
{
        g_autofree char *ip = net_address_to_string(sa);
        return g_strdup_printf("|%d|%s|%u|", sa->sa_family == AF_INET6 ? 2 : 1, ip, net_address_port(sa));
}

char *ftp_data_port_arg(const struct sockaddr *sa)
{
        if (sa->sa_family != AF_INET)
                return NULL;
        const guint8 *a = (const guint8 *)&((const struct sockaddr_in *)sa)->sin_addr;
        guint16 port = net_address_port(sa);
        return g_strdup_printf("%u,%u,%u,%u,%u,%u", a[0], a[1], a[2], a[3], port >> 8, port & 0xff);
}
