/* agent/session.c — one client connection: read a command within CommandReadTimeout, run it,
 * reply; INSTREAM data within ReadTimeout per read and RequestTimeout in all; descriptors passed
 * over the unix socket; IDSESSION. Owns: the connection's buffers (bounded) and descriptors.
 * Must not: accept, create threads, or scan except through agent_server_scan(). */
#include "config.h"
#include "agent/session.h"
#include "agent/event.h"
#include "agent/log.h"
#include "agent/protocol.h"
#include "agent/spool.h"
#include "common/i18n.h"

#include <inttypes.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FDS 4
#define CHUNK_BUF (64 * 1024)
#define FILDES_WAIT_MS 1000
#define MAX_SCAN_DEPTH 256 /* directories below a path scanned, whatever MaxDirectoryRecursion */

typedef enum {
        RD_OK, RD_EOF, RD_TIMEOUT, RD_ERROR, RD_STOP, RD_TOO_SLOW,
        RD_STRAY_FD, /* a descriptor came with a command other than FILDES */
} ReadStatus;

/* StreamMinRate: a stream must bring at least min_bytes in every window of StreamRateWindow
 * seconds, so a sender trickling a byte now and then cannot hold a connection (and a scan
 * slot's worth of memory) for RequestTimeout. */
typedef struct {
        guint64 min_bytes;   /* 0: no rule */
        gint64 window_us;
        gint64 window_end;
        guint64 bytes;       /* received since the window began */
} RateGuard;

typedef struct {
        AgentServer *server;
        const AgentConf *conf;
        int fd;
        AgentTlsConn *tls;   /* a TLS listener's connection: every byte goes through it */
        short wait_events;   /* what the last TLS call waits for (POLLIN, or POLLOUT) */
        gboolean is_unix;
        gboolean privileged; /* SO_PEERCRED uid is root or ours */
        char *peer;
        char buf[AGENT_COMMAND_MAX + 1];
        gsize len;
        int fds[MAX_FDS];
        guint nfds;
        gboolean in_session;
        guint id;
        char term;
} Conn;

typedef struct {
        AgentCommandKind kind;
        AgentScanFlags flags;
        guint found;
        guint errors;
        gboolean stop_at_first;
        gboolean top_excluded; /* ExcludePath matched the path named: no OK after "Excluded" */
        gboolean broken;       /* a reply could not be sent */
        dev_t dev;             /* the named path's file system (CrossFilesystems no) */
} WalkState;

static gint64 deadline_in(guint seconds)
{
        return g_get_monotonic_time() + (gint64)seconds * G_USEC_PER_SEC;
}

/* ---- receiving ---- */

static void take_fds(Conn *c, struct msghdr *msg)
{
        for (struct cmsghdr *cm = CMSG_FIRSTHDR(msg); cm; cm = CMSG_NXTHDR(msg, cm)) {
                if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
                        continue;
                gsize n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                int *fds = (int *)CMSG_DATA(cm);
                for (gsize i = 0; i < n; i++) {
                        if (c->nfds < MAX_FDS)
                                c->fds[c->nfds++] = fds[i];
                        else
                                close(fds[i]); /* more than we will ever use */
                }
        }
}

/* Receives what is there without waiting: RD_OK/RD_EOF, RD_TIMEOUT meaning "nothing yet". */
/* Through TLS: the statuses of recv_now. */
static ReadStatus tls_recv_now(Conn *c, void *dst, gsize cap, gsize *got)
{
        switch (agent_tls_conn_recv(c->tls, dst, cap, got, &c->wait_events)) {
        case AGENT_IO_OK:
                return RD_OK;
        case AGENT_IO_EOF:
                return RD_EOF;
        case AGENT_IO_WAIT:
                return RD_TIMEOUT;
        default:
                return RD_ERROR;
        }
}

static ReadStatus recv_now(Conn *c, void *dst, gsize cap, gsize *got)
{
        c->wait_events = POLLIN;
        if (c->tls)
                return tls_recv_now(c, dst, cap, got);
        char cbuf[CMSG_SPACE(sizeof(int) * MAX_FDS)];
        struct iovec iov = { dst, cap };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
        if (c->is_unix) {
                msg.msg_control = cbuf;
                msg.msg_controllen = sizeof(cbuf);
        }
        ssize_t r;
        do
                r = recvmsg(c->fd, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
        while (r < 0 && errno == EINTR);
        if (r < 0)
                return errno == EAGAIN || errno == EWOULDBLOCK ? RD_TIMEOUT : RD_ERROR;
        if (c->is_unix)
                take_fds(c, &msg);
        *got = (gsize)r;
        return r == 0 ? RD_EOF : RD_OK;
}

/* Receives up to cap bytes: at once when some are there (no poll for a client that already
 * sent), else waits until deadline, or until the stop eventfd fires when stoppable. */
static ReadStatus conn_recv(Conn *c, void *dst, gsize cap, gsize *got, gint64 deadline,
                            gboolean stoppable)
{
        *got = 0;
        for (;;) {
                ReadStatus rs = recv_now(c, dst, cap, got);
                if (rs != RD_TIMEOUT)
                        return rs;
                gint64 left = deadline - g_get_monotonic_time();
                if (left <= 0)
                        return RD_TIMEOUT;
                struct pollfd pfd[2] = { { c->fd, c->wait_events, 0 },
                                         { agent_server_stop_fd(c->server), POLLIN, 0 } };
                int n = poll(pfd, stoppable ? 2 : 1, (int)MIN(left / 1000 + 1, G_MAXINT));
                if (n < 0 && errno != EINTR)
                        return RD_ERROR;
                if (n > 0 && stoppable && pfd[1].revents)
                        return RD_STOP;
        }
}

static void consume(Conn *c, gsize n)
{
        memmove(c->buf, c->buf + n, c->len - n);
        c->len -= n;
}

static void rate_start(RateGuard *g, const AgentConf *conf)
{
        g->min_bytes = conf->stream_min_rate * conf->stream_rate_window;
        g->window_us = (gint64)conf->stream_rate_window * G_USEC_PER_SEC;
        g->window_end = g_get_monotonic_time() + g->window_us;
        g->bytes = 0;
}

/* At the end of a window: TRUE when it brought enough, and a new window begins. */
static gboolean rate_window_passed(RateGuard *g)
{
        if (g->bytes < g->min_bytes)
                return FALSE;
        g->window_end = g_get_monotonic_time() + g->window_us;
        g->bytes = 0;
        return TRUE;
}

/* Reads exactly len bytes: first what is buffered, then from the socket; rate, when not NULL,
 * holds the sender to StreamMinRate. */
static ReadStatus conn_read_exact(Conn *c, void *dst, gsize len, gint64 total_deadline,
                                  RateGuard *rate)
{
        guint8 *p = dst;
        gsize from_buf = MIN(len, c->len);
        memcpy(p, c->buf, from_buf);
        consume(c, from_buf);
        p += from_buf;
        len -= from_buf;
        if (rate)
                rate->bytes += from_buf;
        gint64 read_deadline = deadline_in(c->conf->read_timeout);
        while (len > 0) {
                gboolean rated = rate && rate->min_bytes > 0;
                if (rated && g_get_monotonic_time() >= rate->window_end &&
                    !rate_window_passed(rate))
                        return RD_TOO_SLOW;
                gint64 deadline = MIN(read_deadline, total_deadline);
                gboolean window_first = rated && rate->window_end < deadline;
                gsize got = 0;
                ReadStatus rs = conn_recv(c, p, len, &got, window_first ? rate->window_end
                                                                        : deadline, FALSE);
                if (rs == RD_TIMEOUT && window_first)
                        continue; /* the window ended first: judge it above */
                if (rs != RD_OK)
                        return rs;
                if (rate)
                        rate->bytes += got;
                read_deadline = deadline_in(c->conf->read_timeout);
                p += got;
                len -= got;
        }
        return RD_OK;
}

static void skip_fildes_padding(Conn *c)
{
        gsize n = 0;
        while (n < c->len && c->buf[n] == '\0')
                n++;
        consume(c, n);
}

static ReadStatus conn_read_frame(Conn *c, AgentFrame *frame, AgentFrameStatus *status,
                                  guint timeout)
{
        gint64 deadline = deadline_in(timeout);
        gboolean packet_end = FALSE;
        for (;;) {
                if (c->in_session)
                        skip_fildes_padding(c);
                *status = agent_protocol_frame(c->buf, c->len, c->in_session, packet_end, frame);
                if (*status != AGENT_FRAME_INCOMPLETE)
                        return RD_OK;
                /* Every command received so far has run, and only FILDES takes a descriptor:
                 * one still here came with another command (clamd: a protocol error). */
                if (c->nfds > 0 && c->len == 0)
                        return RD_STRAY_FD;
                if (c->len >= AGENT_COMMAND_MAX) {
                        *status = AGENT_FRAME_TOO_LONG;
                        return RD_OK;
                }
                gsize got = 0;
                ReadStatus rs = conn_recv(c, c->buf + c->len, AGENT_COMMAND_MAX - c->len, &got,
                                          deadline, TRUE);
                if (rs != RD_OK)
                        return rs;
                c->len += got;
                packet_end = TRUE;
        }
}

/* ---- replying ---- */

/* One send without waiting: the bytes taken (0: none yet, wait for c->wait_events), or -1 when
 * the connection is broken. */
static gssize send_now(Conn *c, const char *data, gsize len)
{
        c->wait_events = POLLOUT;
        if (c->tls) {
                gsize done = 0;
                AgentIoStatus s = agent_tls_conn_send(c->tls, data, len, &done, &c->wait_events);
                return s == AGENT_IO_OK ? (gssize)done : s == AGENT_IO_WAIT ? 0 : -1;
        }
        ssize_t n = send(c->fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && errno != EAGAIN && errno != EINTR)
                return -1;
        return MAX(n, 0);
}

static gboolean send_all(Conn *c, const char *data, gsize len)
{
        gint64 deadline = g_get_monotonic_time() + (gint64)c->conf->send_timeout_ms * 1000;
        while (len > 0) {
                gssize n = send_now(c, data, len);
                if (n > 0) {
                        data += n;
                        len -= (gsize)n;
                        continue;
                }
                if (n < 0)
                        return FALSE;
                gint64 left = deadline - g_get_monotonic_time();
                if (left <= 0)
                        return FALSE; /* the client does not read its replies */
                struct pollfd pfd = { c->fd, c->wait_events, 0 };
                if (poll(&pfd, 1, (int)(left / 1000 + 1)) < 0 && errno != EINTR)
                        return FALSE;
        }
        return TRUE;
}

static gboolean reply(Conn *c, const char *format, ...) G_GNUC_PRINTF(2, 3);
static gboolean reply(Conn *c, const char *format, ...)
{
        va_list ap;
        va_start(ap, format);
        g_autofree char *body = g_strdup_vprintf(format, ap);
        va_end(ap);
        g_autofree char *line = c->in_session
                                        ? g_strdup_printf("%u: %s%c", c->id, body, c->term)
                                        : g_strdup_printf("%s%c", body, c->term);
        gsize len = strlen(line) + (c->term == '\0' ? 1 : 0);
        if (send_all(c, line, len))
                return TRUE;
        agent_log(AGENT_LOG_DEBUG, "%s: reply not delivered, closing", c->peer);
        return FALSE;
}

static gboolean reply_result(Conn *c, const char *name, const AgentScanResult *r)
{
        switch (r->verdict) {
        case AGENT_VERDICT_OK:
                return reply(c, "%s: OK", name);
        case AGENT_VERDICT_FOUND:
                if (!r->matches)
                        return reply(c, "%s: %s FOUND", name, r->signature);
                for (guint i = 0; i < r->matches->len; i++)
                        if (!reply(c, "%s: %s FOUND", name, (char *)r->matches->pdata[i]))
                                return FALSE;
                return TRUE;
        default:
                return reply(c, "%s: %s ERROR", name, r->reason);
        }
}

static void log_scan(Conn *c, const char *what, guint64 bytes, gint64 start,
                     const AgentScanResult *r)
{
        if (r->verdict == AGENT_VERDICT_OK && !c->conf->log_clean)
                return;
        double ms = (g_get_monotonic_time() - start) / 1000.0;
        const char *verdict = r->verdict == AGENT_VERDICT_OK      ? "OK"
                              : r->verdict == AGENT_VERDICT_FOUND ? "FOUND"
                                                                  : "ERROR";
        agent_log(AGENT_LOG_INFO, "scan %s peer=%s bytes=%" G_GUINT64_FORMAT " time=%.2fms %s%s%s",
                  what, c->peer, bytes, ms, verdict,
                  r->signature ? " signature=" : (r->reason ? " reason=" : ""),
                  r->signature ? r->signature : (r->reason ? r->reason : ""));
}

/* Scans with the current engine on a pool thread; FALSE when the queue is full. */
static gboolean scan(Conn *c, int fd, const void *data, gsize len, const char *name,
                     AgentScanFlags flags, AgentScanResult *out)
{
        g_autoptr(AgentEngine) engine = agent_server_engine(c->server);
        return agent_server_scan(c->server, engine, fd, data, len, name, flags, out);
}

/* VirusEvent for a detection; file is what clamd names: the real path, or instream(…). */
static void virus_event(Conn *c, const char *file, const AgentScanResult *r)
{
        if (r->verdict == AGENT_VERDICT_FOUND && c->conf->virus_event && *c->conf->virus_event)
                agent_event_virus(c->conf->virus_event, file, r->signature);
}

/* ---- INSTREAM ---- */

/* A read of stream data that ended early: the reply, if any, and the log line. */
static void instream_failed(Conn *c, ReadStatus rs, const AgentSpool *spool)
{
        guint64 got = agent_spool_size(spool);
        switch (rs) {
        case RD_TIMEOUT:
                send_all(c, AGENT_REPLY_TIMEOUT "\n", strlen(AGENT_REPLY_TIMEOUT) + 1);
                agent_log(AGENT_LOG_INFO, "instream %s: read timed out after %" G_GUINT64_FORMAT
                          " bytes", c->peer, got);
                return;
        case RD_TOO_SLOW:
                reply(c, AGENT_REPLY_TOO_SLOW);
                agent_log(AGENT_LOG_WARNING, _("instream %s: cut after %" PRIu64 " bytes, "
                                               "slower than StreamMinRate %" PRIu64
                                               " bytes/s over %u s"),
                          c->peer, (uint64_t)got, (uint64_t)c->conf->stream_min_rate, c->conf->stream_rate_window);
                return;
        default:
                agent_log(AGENT_LOG_INFO, "instream %s: aborted by the client after %"
                          G_GUINT64_FORMAT " bytes", c->peer, got);
        }
}

static gboolean instream_receive(Conn *c, AgentSpool *spool, gint64 start)
{
        guint64 quota = c->conf->stream_max_length;
        gint64 total = deadline_in(c->conf->request_timeout);
        RateGuard rate;
        rate_start(&rate, c->conf);
        g_autofree guint8 *chunk = g_malloc(CHUNK_BUF);
        for (;;) {
                guint32 be = 0;
                ReadStatus rs = conn_read_exact(c, &be, sizeof(be), total, &rate);
                if (rs != RD_OK) {
                        instream_failed(c, rs, spool);
                        return FALSE;
                }
                guint32 n = ntohl(be);
                if (n == 0)
                        return TRUE;
                if (n > quota) {
                        reply(c, AGENT_REPLY_SIZE_LIMIT);
                        agent_log(AGENT_LOG_INFO, "instream %s: StreamMaxLength exceeded", c->peer);
                        return FALSE;
                }
                quota -= n;
                while (n > 0) {
                        gsize part = MIN(n, CHUNK_BUF);
                        rs = conn_read_exact(c, chunk, part, total, &rate);
                        if (rs != RD_OK) {
                                instream_failed(c, rs, spool);
                                return FALSE;
                        }
                        g_autoptr(GError) error = NULL;
                        if (!agent_spool_append(spool, chunk, part, &error)) {
                                reply(c, "%s ERROR", error->message);
                                agent_log(AGENT_LOG_ERROR, "instream %s: %s", c->peer,
                                          error->message);
                                return FALSE;
                        }
                        n -= part;
                }
        }
        (void)start;
}

static gboolean handle_instream(Conn *c)
{
        gint64 start = g_get_monotonic_time();
        g_autoptr(AgentSpool) spool = agent_spool_new(c->conf->stream_memory_max,
                                                      agent_server_spool_dir(c->server));
        if (!instream_receive(c, spool, start))
                return FALSE;
        AgentScanResult r = { 0 };
        int fd = agent_spool_fd(spool);
        gsize len = (gsize)agent_spool_size(spool);
        if (!scan(c, fd, agent_spool_data(spool), len, "stream", 0, &r)) {
                agent_log(AGENT_LOG_WARNING, "instream %s: refused, scan queue full", c->peer);
                return reply(c, AGENT_REPLY_QUEUE_FULL);
        }
        g_autofree char *event_name = g_strdup_printf("instream(%s)", c->peer);
        virus_event(c, event_name, &r);
        gboolean ok = reply_result(c, "stream", &r); /* the client first, then the log */
        log_scan(c, fd >= 0 ? "instream(spooled)" : "instream", len, start, &r);
        agent_scan_result_clear(&r);
        return ok;
}

/* ---- FILDES ---- */

static void wait_for_fd(Conn *c)
{
        gint64 deadline = g_get_monotonic_time() + FILDES_WAIT_MS * 1000;
        while (c->nfds == 0 && c->len < AGENT_COMMAND_MAX) {
                gsize got = 0;
                if (conn_recv(c, c->buf + c->len, AGENT_COMMAND_MAX - c->len, &got, deadline,
                              TRUE) != RD_OK)
                        return;
                c->len += got;
                if (c->nfds == 0)
                        return; /* data arrived without a descriptor */
        }
}

static int take_fd(Conn *c)
{
        int fd = c->fds[0];
        c->nfds--;
        memmove(c->fds, c->fds + 1, c->nfds * sizeof(int));
        return fd;
}

static gboolean handle_fildes(Conn *c)
{
        if (c->is_unix && c->nfds == 0 && c->len == 0) /* bytes after it: no descriptor came */
                wait_for_fd(c);
        if (!c->is_unix || c->nfds == 0) {
                reply(c, AGENT_REPLY_NO_FD);
                return FALSE; /* as clamd: the connection (and its session) ends */
        }
        gint64 start = g_get_monotonic_time();
        int fd = take_fd(c);
        if (c->len > 0 && c->buf[0] == '\0')
                consume(c, 1); /* the byte that carried the descriptor */
        g_autofree char *name = g_strdup_printf("fd[%d]", fd);
        AgentScanResult r = { 0 };
        struct stat st;
        gboolean queued = scan(c, fd, NULL, 0, name, 0, &r);
        guint64 size = fstat(fd, &st) == 0 ? (guint64)st.st_size : 0;
        g_autofree char *link = g_strdup_printf("/proc/self/fd/%d", fd);
        g_autofree char *file = g_file_read_link(link, NULL);
        close(fd);
        if (!queued)
                return reply(c, AGENT_REPLY_QUEUE_FULL);
        virus_event(c, file ? file : name, &r);
        gboolean ok = reply_result(c, name, &r);
        log_scan(c, "fildes", size, start, &r);
        agent_scan_result_clear(&r);
        return ok;
}

/* ---- SCAN / CONTSCAN / MULTISCAN of a path ---- */

/* ExcludePath: "<path>: Excluded", as clamd; inside a MULTISCAN tree clamd says nothing. */
static gboolean excluded(Conn *c, const char *path, gboolean top, WalkState *w)
{
        const GPtrArray *patterns = c->conf->exclude_path;
        for (guint i = 0; patterns && i < patterns->len; i++) {
                if (!g_regex_match(patterns->pdata[i], path, 0, NULL))
                        continue;
                if (top || w->kind != AGENT_CMD_MULTISCAN)
                        w->broken |= !reply(c, "%s: Excluded", path);
                w->top_excluded |= top;
                return TRUE;
        }
        return FALSE;
}

static void open_failed(Conn *c, const char *path, int e, WalkState *w)
{
        w->errors++;
        if (e == EACCES || e == EPERM)
                w->broken |= !reply(c, "%s: Access denied. ERROR", path);
        else if (e == ELOOP) /* replaced by a link since it was looked at */
                w->broken |= !reply(c, "%s: Symbolic link not followed. ERROR", path);
        else
                w->broken |= !reply(c, "%s: File path check failure: %s. ERROR", path,
                                    g_strerror(e));
}

static void scan_file(Conn *c, const char *path, gboolean follow, WalkState *w)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK |
                                    (follow ? 0 : O_NOFOLLOW));
        if (fd < 0) {
                open_failed(c, path, errno, w);
                return;
        }
        gint64 start = g_get_monotonic_time();
        AgentScanResult r = { 0 };
        struct stat st;
        guint64 size = fstat(fd, &st) == 0 ? (guint64)st.st_size : 0;
        gboolean queued = scan(c, fd, NULL, 0, path, w->flags, &r);
        close(fd);
        if (!queued) {
                w->errors++;
                w->broken |= !reply(c, "%s: %s", path, AGENT_REPLY_QUEUE_FULL);
                return;
        }
        log_scan(c, "path", size, start, &r);
        if (r.verdict == AGENT_VERDICT_FOUND) {
                char real[PATH_MAX];
                w->found++;
                virus_event(c, realpath(path, real) ? real : path, &r);
        }
        if (r.verdict == AGENT_VERDICT_ERROR)
                w->errors++;
        if (r.verdict != AGENT_VERDICT_OK)
                w->broken |= !reply_result(c, path, &r);
        agent_scan_result_clear(&r);
}

/* A symbolic link is followed only as FollowFileSymlinks / FollowDirectorySymlinks say: then st
 * describes its target. One named directly and not followed is refused, never "OK" (clamd says
 * OK without scanning it); inside a tree it is skipped, as clamd does. */
static gboolean resolve_link(Conn *c, const char *path, gboolean top, struct stat *st,
                             WalkState *w)
{
        struct stat target;
        if (stat(path, &target) == 0 &&
            (S_ISDIR(target.st_mode) ? c->conf->follow_directory_symlinks
                                     : c->conf->follow_file_symlinks)) {
                *st = target;
                return TRUE;
        }
        if (top) {
                w->errors++;
                w->broken |= !reply(c, "%s: Symbolic link not followed. ERROR", path);
        }
        return FALSE;
}

/* What a walk does with one path: FALSE when it is excluded, gone, a link not followed or on
 * another file system (each said as clamd says it); else st describes what to scan. */
static gboolean look_at(Conn *c, const char *path, gboolean top, struct stat *st,
                        gboolean *followed, WalkState *w)
{
        if (excluded(c, path, top, w))
                return FALSE;
        if (lstat(path, st) != 0) {
                int e = errno;
                w->errors++;
                w->broken |= !reply(c, "%s: File path check failure: %s. ERROR", path,
                                    g_strerror(e));
                return FALSE;
        }
        *followed = S_ISLNK(st->st_mode);
        if (*followed && !resolve_link(c, path, top, st, w))
                return FALSE;
        if (top) {
                w->dev = st->st_dev;
        } else if (!c->conf->cross_filesystems && st->st_dev != w->dev) {
                if (w->kind != AGENT_CMD_MULTISCAN)
                        w->broken |= !reply(c, "%s: Excluded (another filesystem)", path);
                return FALSE;
        }
        return TRUE;
}

typedef struct {
        char *path;
        gboolean is_dir;
        gboolean followed;
        ino_t ino;
} Entry;

static void entry_clear(gpointer p)
{
        g_free(((Entry *)p)->path);
}

/* clamd's order (libclamav's cli_ftw): files before directories, each by inode number; so SCAN,
 * which stops at the first infected file, stops at the same one. */
static gint entry_order(gconstpointer a, gconstpointer b)
{
        const Entry *x = a, *y = b;
        if (x->is_dir != y->is_dir)
                return x->is_dir ? 1 : -1;
        return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* The entries of a directory to visit, in clamd's order; what is excluded or skipped is said
 * (or not) first, in the order the directory lists it, as clamd does. */
static GArray *list_dir(Conn *c, const char *path, WalkState *w)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(GDir) dir = g_dir_open(path, 0, &error);
        if (!dir) {
                w->errors++;
                w->broken |= !reply(c, "%s: Can't open directory. ERROR", path);
                return NULL;
        }
        GArray *entries = g_array_new(FALSE, FALSE, sizeof(Entry));
        g_array_set_clear_func(entries, entry_clear);
        const char *name;
        while ((name = g_dir_read_name(dir)) && !w->broken) {
                g_autofree char *child = g_build_filename(path, name, NULL);
                struct stat st;
                Entry e = { 0 };
                if (!look_at(c, child, FALSE, &st, &e.followed, w))
                        continue;
                if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
                        continue; /* a device, pipe or socket inside a tree: skipped, as clamd */
                e.is_dir = S_ISDIR(st.st_mode);
                e.ino = st.st_ino;
                e.path = g_steal_pointer(&child);
                g_array_append_val(entries, e);
        }
        g_array_sort(entries, entry_order);
        return entries;
}

static void scan_dir(Conn *c, const char *path, guint depth, WalkState *w)
{
        guint max = c->conf->max_directory_recursion;
        if (depth > MIN(max ? max : MAX_SCAN_DEPTH, MAX_SCAN_DEPTH)) {
                /* clamd skips it and may still say OK: here the tree is not OK */
                w->errors++;
                w->broken |= !reply(c, "%s: Directory recursion limit reached. ERROR", path);
                return;
        }
        g_autoptr(GArray) entries = list_dir(c, path, w);
        for (guint i = 0; entries && i < entries->len && !w->broken; i++) {
                if (w->stop_at_first && w->found)
                        return;
                Entry *e = &g_array_index(entries, Entry, i);
                if (e->is_dir)
                        scan_dir(c, e->path, depth + 1, w);
                else
                        scan_file(c, e->path, e->followed, w);
        }
}

static void walk(Conn *c, const char *path, WalkState *w)
{
        struct stat st;
        gboolean followed = FALSE;
        if (!look_at(c, path, TRUE, &st, &followed, w))
                return;
        if (S_ISDIR(st.st_mode))
                scan_dir(c, path, 0, w);
        else if (S_ISREG(st.st_mode))
                scan_file(c, path, followed, w);
        else { /* a device, pipe or socket named directly: one clear refusal */
                w->errors++;
                w->broken |= !reply(c, "%s: Not supported file type ERROR", path);
        }
}

static gboolean handle_path(Conn *c, AgentCommandKind kind, const char *path)
{
        if (!c->is_unix)
                return reply(c, AGENT_REPLY_UNAVAILABLE) && c->in_session;
        if (kind == AGENT_CMD_ALLMATCHSCAN && !c->conf->allow_all_match_scan) {
                reply(c, "%s: %s", path, AGENT_REPLY_ALLMATCH_OFF);
                return FALSE;
        }
        WalkState w = {
                .kind = kind,
                .flags = kind == AGENT_CMD_ALLMATCHSCAN ? AGENT_SCAN_ALL_MATCHES : 0,
                /* clamd's SCAN and ALLMATCHSCAN stop at the first infected file */
                .stop_at_first = kind == AGENT_CMD_SCAN || kind == AGENT_CMD_ALLMATCHSCAN,
        };
        walk(c, path, &w);
        if (w.broken)
                return FALSE;
        if (w.found == 0 && w.errors == 0 && !w.top_excluded)
                return reply(c, "%s: OK", path);
        return TRUE;
}

/* ---- dispatch ---- */

static gboolean handle_admin(Conn *c, AgentCommandKind kind)
{
        if (!c->is_unix || !c->privileged) {
                agent_log(AGENT_LOG_WARNING, _("%s refused to %s (TCP or unprivileged uid)"),
                          agent_protocol_command_name(kind), c->peer);
                return reply(c, AGENT_REPLY_UNAVAILABLE) && FALSE;
        }
        if (kind == AGENT_CMD_RELOAD) {
                reply(c, "RELOADING");
                agent_server_request_reload(c->server);
                return FALSE;
        }
        agent_log(AGENT_LOG_INFO, _("SHUTDOWN requested by %s"), c->peer);
        agent_server_request_stop(c->server);
        return FALSE;
}

static gboolean handle_stats(Conn *c)
{
        g_autofree char *stats = agent_server_stats(c->server);
        return reply(c, "%sEND", stats);
}

static gboolean handle_version(Conn *c, gboolean commands)
{
        g_autoptr(AgentEngine) engine = agent_server_engine(c->server);
        g_autofree char *version = agent_engine_version(engine);
        if (!commands)
                return reply(c, "%s", version);
        g_autofree char *text = agent_protocol_versioncommands(version);
        return reply(c, "%s", text);
}

/* Runs one command; returns TRUE when the connection stays open for another (IDSESSION). */
static gboolean dispatch(Conn *c, AgentCommandKind kind, const char *arg)
{
        if (c->in_session && kind != AGENT_CMD_UNKNOWN && !agent_protocol_allowed_in_session(kind))
                return reply(c, AGENT_REPLY_SESSION_INVALID) && FALSE;
        switch (kind) {
        case AGENT_CMD_PING:
                return reply(c, "PONG") && c->in_session;
        case AGENT_CMD_VERSION:
        case AGENT_CMD_VERSIONCOMMANDS:
                return handle_version(c, kind == AGENT_CMD_VERSIONCOMMANDS) && c->in_session;
        case AGENT_CMD_STATS:
                return handle_stats(c) && c->in_session;
        case AGENT_CMD_INSTREAM:
                return handle_instream(c) && c->in_session;
        case AGENT_CMD_FILDES:
                return handle_fildes(c) && c->in_session;
        case AGENT_CMD_SCAN:
        case AGENT_CMD_CONTSCAN:
        case AGENT_CMD_MULTISCAN:
        case AGENT_CMD_ALLMATCHSCAN:
                return handle_path(c, kind, arg) && c->in_session;
        case AGENT_CMD_IDSESSION:
                c->in_session = TRUE;
                c->id = 0;
                return TRUE;
        case AGENT_CMD_END:
                if (!c->in_session)
                        return reply(c, AGENT_REPLY_UNKNOWN) && FALSE;
                return FALSE;
        case AGENT_CMD_RELOAD:
        case AGENT_CMD_SHUTDOWN:
        case AGENT_CMD_QUIT:
                return handle_admin(c, kind);
        case AGENT_CMD_DETSTATS:
        case AGENT_CMD_DETSTATSCLEAR:
                return FALSE; /* removed in clamd: the connection just closes */
        case AGENT_CMD_UNKNOWN:
        default:
                return reply(c, AGENT_REPLY_UNKNOWN) && FALSE;
        }
}

static gboolean serve_one(Conn *c, gboolean first)
{
        AgentFrame frame = { 0 };
        AgentFrameStatus status;
        guint timeout = first ? c->conf->command_read_timeout : c->conf->read_timeout;
        ReadStatus rs = conn_read_frame(c, &frame, &status, timeout);
        if (rs == RD_STRAY_FD) {
                if (c->in_session)
                        c->id++;
                agent_log(AGENT_LOG_INFO, "%s: descriptor sent without FILDES, closing", c->peer);
                reply(c, AGENT_REPLY_STRAY_FD);
                return FALSE;
        }
        if (rs == RD_TIMEOUT) {
                send_all(c, AGENT_REPLY_TIMEOUT "\n", strlen(AGENT_REPLY_TIMEOUT) + 1);
                return FALSE;
        }
        if (rs != RD_OK)
                return FALSE;
        if (status == AGENT_FRAME_TOO_LONG) {
                c->term = c->buf[0] == 'z' ? '\0' : '\n';
                reply(c, AGENT_REPLY_TOO_LONG);
                return FALSE;
        }
        if (status == AGENT_FRAME_OLD_IN_SESSION) { /* clamd's two replies, session's term */
                c->id++;
                reply(c, AGENT_REPLY_SESSION_OLD);
                reply(c, AGENT_REPLY_PROCESSING);
                return FALSE;
        }
        consume(c, frame.consumed);
        c->term = frame.term;
        const char *arg = NULL;
        AgentCommandKind kind = agent_protocol_parse(frame.text, frame.prefix != 0, &arg);
        if (c->in_session)
                c->id++;
        agent_log(AGENT_LOG_DEBUG, "%s: command %s", c->peer, agent_protocol_command_name(kind));
        gboolean more = dispatch(c, kind, arg);
        agent_frame_clear(&frame);
        return more;
}

static void describe_peer(Conn *c)
{
        struct ucred cred;
        socklen_t len = sizeof(cred);
        if (c->is_unix) {
                c->peer = g_strdup("local");
                if (getsockopt(c->fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0)
                        c->privileged = cred.uid == 0 || cred.uid == getuid();
                return;
        }
        struct sockaddr_storage ss;
        socklen_t sl = sizeof(ss);
        char host[64] = "?";
        guint port = 0;
        if (getpeername(c->fd, (struct sockaddr *)&ss, &sl) == 0) {
                if (ss.ss_family == AF_INET) {
                        struct sockaddr_in *in = (struct sockaddr_in *)&ss;
                        inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
                        port = ntohs(in->sin_port);
                } else if (ss.ss_family == AF_INET6) {
                        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
                        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
                        port = ntohs(in6->sin6_port);
                }
        }
        c->peer = g_strdup_printf("%s@%u", host, port);
}

/* A TLS listener's connection: the handshake within TLSHandshakeTimeout, or the connection
 * closes (a plain client was told why in plain text). */
static gboolean start_tls(Conn *c, AgentTls *tls)
{
        g_autoptr(GError) error = NULL;
        gint64 deadline = deadline_in(c->conf->tls_handshake_timeout);
        c->tls = agent_tls_accept(tls, c->fd, deadline, agent_server_stop_fd(c->server), &error);
        if (!c->tls) {
                agent_log(AGENT_LOG_WARNING, _("%s: TLS refused: %s"), c->peer, error->message);
                return FALSE;
        }
        g_autofree char *how = agent_tls_conn_describe(c->tls);
        agent_log(AGENT_LOG_DEBUG, "%s: TLS %s", c->peer, how);
        return TRUE;
}

void agent_session_run(AgentServer *server, int fd, gboolean is_unix)
{
        Conn *c = g_new0(Conn, 1);
        c->server = server;
        c->conf = agent_server_conf(server);
        c->fd = fd;
        c->is_unix = is_unix;
        describe_peer(c);
        g_autoptr(AgentTls) tls = is_unix ? NULL : agent_server_tls(server);
        gboolean first = TRUE;
        if (!tls || start_tls(c, tls))
                while (serve_one(c, first))
                        first = FALSE;
        if (c->len > 0 && !c->in_session)
                agent_log(AGENT_LOG_DEBUG, "%s: %zu bytes after the last command ignored", c->peer,
                          c->len);
        for (guint i = 0; i < c->nfds; i++)
                close(c->fds[i]);
        agent_tls_conn_free(c->tls);
        close(c->fd);
        g_free(c->peer);
        g_free(c);
}
