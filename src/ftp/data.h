/* ftp/data.h — the sockets of FTP data connections: passive connect, active listen and accept,
 * and the PORT/EPRT argument forms.
 * Owns: which address a data connection may use (the control peer's, never a stranger's).
 * Must not: send FTP commands or read replies (session-data.c does), or touch local files. */
#pragma once
#include <glib.h>
#include <sys/socket.h>

/* Connects to `port` on the control connection's peer address (`ctrl_fd`'s peer), or on
 * `pasv_addr` (IPv4, from a 227) when it is not NULL. Returns a connected socket in non-blocking
 * mode, or -1. */
int ftp_data_connect(int ctrl_fd, const guint8 *pasv_addr, guint16 port, gint64 deadline, int cancel_fd,
                     GError **error);

/* Listens on the control connection's local address, on an ephemeral port. `bound` receives the
 * listening address (for EPRT/PORT). Returns the listening socket or -1. */
int ftp_data_listen(int ctrl_fd, struct sockaddr_storage *bound, GError **error);

/* Accepts one connection on `listen_fd` whose source IP equals the control connection's peer IP;
 * connections from any other address are closed and the wait goes on until the deadline.
 * `rejected` (may be NULL) counts the connections refused. Returns the data socket or -1. */
int ftp_data_accept(int listen_fd, int ctrl_fd, gint64 deadline, int cancel_fd, guint *rejected,
                    GError **error);

/* Waits until `data_fd` is ready for `events` (POLLIN/POLLOUT) or `ctrl_fd` (-1: not watched) is
 * readable, until `deadline` or the cancel descriptor. TRUE when one is ready; *data_ready and
 * *ctrl_ready tell which (both may be). Errors are NET_ERROR's (TIMEOUT, CANCELLED, IO), as from
 * the stream calls the waits stand in for. */
gboolean ftp_data_wait(int data_fd, short events, int ctrl_fd, gint64 deadline, int cancel_fd, gboolean *data_ready,
                       gboolean *ctrl_ready, GError **error);
/* One send() on a plain data socket that never blocks: the bytes the kernel took (0 when none
 * fit), or -1 with a NET_ERROR (CLOSED when the server went away). */
gssize ftp_data_send_some(int fd, const char *buf, gsize len, GError **error);
/* The bytes the kernel still holds for the peer of a data socket, sent and not acknowledged or not
 * sent yet (SIOCOUTQ; a TLS stream's records, on its socket); -1 when the kernel cannot say. */
gint64 ftp_data_unsent(int fd);

/* "|1|127.0.0.1|4711|" (EPRT, RFC 2428) and "127,0,0,1,18,103" (PORT, IPv4 only: NULL otherwise). */
char *ftp_data_eprt_arg(const struct sockaddr *sa); /* transfer full */
char *ftp_data_port_arg(const struct sockaddr *sa); /* transfer full */
