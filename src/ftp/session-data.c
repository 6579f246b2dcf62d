/* ftp/session-data.c — everything a session does over a data connection: EPSV/PASV/EPRT/PORT,
 * RETR (with REST), STOR (sendfile() for plain binary uploads), MLSD/LIST/NLST, TYPE A conversion,
 * progress, ABOR on cancel.
 * Owns: the order "data connection → command → 1xx → data until EOF → final 2xx", each step under
 * its deadline. Must not: decide where local files go (it is handed descriptors), print or prompt. */
#include "config.h"
#include "ftp/session-private.h"
#include "ftp/data.h"
#include "ftp/ascii.h"
#include "ftp/parse.h"
#include "common/i18n.h"

#include <inttypes.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define DATA_BUF (256 * 1024)             /* one read or write on a data connection */
#define SENDFILE_CHUNK (4 * 1024 * 1024)  /* one sendfile() of a plain upload */
#define LISTING_MAX (64 * 1024 * 1024)    /* a listing larger than this is refused, not buffered */
#define LISTING_MAX_LINES 500000          /* ... and one of more lines (each becomes an FtpEntry) */
#define LISTING_MAX_LINE (64 * 1024)      /* ... and one with a longer line (a name is at most 4 KiB) */
#define TLS_WRITE_PIECE (16 * 1024)       /* one TLS record: a write that waits only this long */
#define PROGRESS_US (100 * 1000)          /* progress callbacks at most every 100 ms ... */
#define PROGRESS_BYTES (64 * 1024)        /* ... and every 64 KiB */
#define ABOR_MS 3000                      /* how long the answers to ABOR may take */
#define ABOR_SECOND_MS 500                /* after a 226, how long a second answer may take */
#define UNSENT_CHECK_MS 200               /* at an upload's end, how often the data socket's queue is looked at */

/* ---- opening the data connection ---- */

typedef struct {
        NetStream *stream; /* the connected data socket */
        int listen_fd;     /* active mode, until the server connects; -1 otherwise */
        int tls;           /* -1 plain, 0 TLS not resumed (or failed), 1 TLS resumed */
} DataConn;

static void data_close(DataConn *dc)
{
        g_clear_pointer(&dc->stream, net_stream_free);
        if (dc->listen_fd >= 0)
                close(dc->listen_fd);
        dc->listen_fd = -1;
}

static gboolean try_passive(FtpSession *s, const char *verb, DataConn *dc, GError **error)
{
        g_autoptr(FtpReply) reply = ftp_session_exchange_final(s, verb, NULL, error);
        if (!reply)
                return FALSE;
        guint8 addr[4];
        guint16 port = 0;
        gboolean have_addr = FALSE, ok = FALSE;
        g_autoptr(GError) perr = NULL;
        /* either reply may answer either command (NAT64 gateways answer PASV with 229) */
        if (reply->code == 229)
                ok = ftp_parse_epsv(reply->text, &port, &perr);
        else if (reply->code == 227)
                ok = have_addr = ftp_parse_pasv(reply->text, addr, &port, &perr);
        else {
                g_set_error(error, FTP_ERROR, FTP_ERROR_DATA,
                            _("The server refused passive mode (%d %s); try `passive` to switch to active mode."),
                            reply->code, reply->shown);
                return FALSE;
        }
        if (!ok) {
                g_set_error(error, FTP_ERROR, FTP_ERROR_DATA, _("Bad passive reply from the server (%d %s)."),
                            reply->code, reply->shown);
                return FALSE;
        }
        gboolean use_addr = FALSE;
        if (!ftp_parse_pasv_target(have_addr ? addr : NULL, port, s->trust_pasv_address, &use_addr, &perr)) {
                g_set_error(error, FTP_ERROR, FTP_ERROR_DATA, "%s (%d %s)", perr->message, reply->code, reply->shown);
                return FALSE;
        }
        const guint8 *use = use_addr ? addr : NULL;
        if (have_addr && !use)
                ftp_session_trace(s, "(the address in the %d reply is ignored: connecting to the control peer)",
                                  reply->code);
        int fd = ftp_data_connect(net_stream_fd(s->ctrl), use, port, net_deadline_in_ms(s->timeouts.connect_ms),
                                  s->cancel_fd, error);
        if (fd < 0)
                return FALSE;
        dc->stream = net_stream_new_nonblocking(fd);
        return TRUE;
}

/* A failure that leaves the session usable (refusal, bad reply, unreachable port) allows a fallback. */
static gboolean may_fall_back(FtpSession *s, const GError *err)
{
        return s->ctrl && err->domain == FTP_ERROR && err->code != FTP_ERROR_CANCELLED &&
               err->code != FTP_ERROR_BAD_ARGUMENT;
}

static gboolean open_passive(FtpSession *s, DataConn *dc, GError **error)
{
        if (!s->epsv_failed) {
                g_autoptr(GError) err = NULL;
                if (try_passive(s, "EPSV", dc, &err))
                        return TRUE;
                if (!may_fall_back(s, err)) {
                        g_propagate_error(error, g_steal_pointer(&err));
                        return FALSE;
                }
                ftp_session_trace(s, "(EPSV failed: %s; using PASV from now on)", err->message);
                s->epsv_failed = TRUE;
        }
        return try_passive(s, "PASV", dc, error);
}

static gboolean open_active(FtpSession *s, DataConn *dc, GError **error)
{
        struct sockaddr_storage bound;
        dc->listen_fd = ftp_data_listen(net_stream_fd(s->ctrl), &bound, error);
        if (dc->listen_fd < 0)
                return FALSE;
        if (!s->eprt_failed) {
                g_autofree char *arg = ftp_data_eprt_arg((struct sockaddr *)&bound);
                g_autoptr(FtpReply) reply = ftp_session_exchange_final(s, "EPRT", arg, error);
                if (!reply)
                        return FALSE;
                if (ftp_reply_class(reply) == 2)
                        return TRUE;
                ftp_session_trace(s, "(EPRT refused: using PORT from now on)");
                s->eprt_failed = TRUE;
        }
        g_autofree char *arg = ftp_data_port_arg((struct sockaddr *)&bound);
        if (!arg) {
                g_set_error_literal(error, FTP_ERROR, FTP_ERROR_DATA,
                                    _("The server refused EPRT, and PORT cannot express an IPv6 address; try passive mode."));
                return FALSE;
        }
        g_autoptr(FtpReply) reply = ftp_session_exchange_final(s, "PORT", arg, error);
        if (!reply)
                return FALSE;
        if (ftp_reply_class(reply) == 2)
                return TRUE;
        g_set_error(error, FTP_ERROR, FTP_ERROR_DATA,
                    _("The server refused active mode (%d %s); try `passive` to switch to passive mode."),
                    reply->code, reply->shown);
        return FALSE;
}

static gboolean accept_active(FtpSession *s, DataConn *dc, GError **error)
{
        if (dc->stream)
                return TRUE;
        guint rejected = 0;
        int fd = ftp_data_accept(dc->listen_fd, net_stream_fd(s->ctrl), net_deadline_in_ms(s->timeouts.connect_ms),
                                 s->cancel_fd, &rejected, error);
        if (rejected)
                ftp_session_trace(s, "(refused %u data connection(s) from another address)", rejected);
        close(dc->listen_fd);
        dc->listen_fd = -1;
        if (fd < 0)
                return FALSE;
        dc->stream = net_stream_new(fd);
        return TRUE;
}

/* PROT P: the TLS handshake on the data connection, after the 1xx (what servers expect and what
 * avoids the Nagle/delayed-ACK stall), resuming the control session. TCP_NODELAY: a TLS transfer
 * ends in small writes (Finished, the last record, close_notify) that Nagle would hold back until
 * the server's delayed ACK, up to 200 ms per file on loopback. */
static gboolean secure_data(FtpSession *s, DataConn *dc, GError **error)
{
        if (!s->prot_private)
                return TRUE;
        dc->tls = 0;
        net_set_nodelay(net_stream_fd(dc->stream));
        g_autoptr(GError) net = NULL;
        if (!tls_context_has_session(s->tls))
                ftp_session_trace(s, "(no control TLS session to resume yet: the server may refuse the data connection)");
        if (!net_stream_start_tls(dc->stream, s->tls, s->host, FALSE, net_deadline_in_ms(s->timeouts.connect_ms),
                                  s->cancel_fd, &net)) {
                int code = g_error_matches(net, NET_ERROR, NET_ERROR_CANCELLED) ? FTP_ERROR_CANCELLED
                           : g_error_matches(net, NET_ERROR, NET_ERROR_TIMEOUT) ? FTP_ERROR_TIMEOUT : FTP_ERROR_DATA;
                g_set_error(error, FTP_ERROR, code, _("TLS on the data connection failed: %s"), net->message);
                return FALSE;
        }
        g_autoptr(TlsPeerInfo) info = net_stream_peer_info(dc->stream);
        dc->tls = info->resumed ? 1 : 0;
        if (!info->resumed)
                ftp_session_trace(s, "(the data connection did not resume the control TLS session: %s)",
                                  "the server may refuse it");
        return info->resumed || ftp_session_check_peer(s, info, FALSE, error);
}

/* A 425/450/522 after a data connection that did not resume TLS: worth one reconnect and retry. */
static void note_refusal(FtpSession *s, const DataConn *dc, const FtpReply *final)
{
        if (!final || dc->tls != 0)
                return;
        if (final->code == 425 || final->code == 450 || final->code == 522) {
                s->data_not_resumed = TRUE;
                ftp_session_trace(s, "(the server refused a data connection that did not resume TLS)");
        }
}

static gboolean ctrl_bytes_in_hand(FtpSession *s);

/* ---- the end of an upload: the server is waited for while it takes what the kernel holds ---- */

/* After the last write() of an upload, the kernel may still hold megabytes for the server (the
 * socket's send buffer; tens of MiB with large tcp_wmem), which a slow server takes long after:
 * the waits at the end (close_notify, the final reply) count the reply timeout from the last time
 * the server took some of them (SIOCOUTQ going down), not from the last write(). A server that
 * takes nothing for the reply timeout has stalled; one that does is alive, however slow. */
typedef struct {
        int fd;           /* the data socket */
        gint64 unsent;    /* what it held at the last look; -1 unknown (no progress is seen) */
        gint64 stall_at;  /* the reply timeout after the last progress */
} UploadEnd;

static void upload_end_start(FtpSession *s, UploadEnd *e, NetStream *data)
{
        e->fd = net_stream_fd(data);
        e->unsent = ftp_data_unsent(e->fd);
        e->stall_at = net_deadline_in_ms(s->timeouts.reply_ms);
}

/* Looks at the socket again: progress moves the deadline on. FALSE once it has passed. */
static gboolean upload_end_alive(FtpSession *s, UploadEnd *e)
{
        gint64 unsent = ftp_data_unsent(e->fd);
        if (unsent >= 0 && e->unsent >= 0 && unsent < e->unsent)
                e->stall_at = net_deadline_in_ms(s->timeouts.reply_ms);
        e->unsent = unsent;
        if (g_get_monotonic_time() < e->stall_at)
                return TRUE;
        ftp_session_trace(s, "(the server took none of the last %" G_GINT64_FORMAT " bytes of the upload for %d s)",
                          unsent, (s->timeouts.reply_ms + 999) / 1000);
        return FALSE;
}

/* The end of the next wait: the deadline, or sooner while bytes are left to see them go. */
static gint64 upload_end_slice(const UploadEnd *e)
{
        return e->unsent > 0 ? MIN(e->stall_at, net_deadline_in_ms(UNSENT_CHECK_MS)) : e->stall_at;
}

/* The end of the file: with TLS close_notify (vsftpd's strict_ssl_read_eof wants it), then a
 * half-close. The caller keeps the data connection open until the final reply: closing a TLS one
 * with unread bytes (TLS 1.3 tickets) sends a reset that can destroy the upload's last bytes before
 * the server read them, and waiting for the server's own close instead costs a delayed ACK (up to
 * 200 ms a file) whenever the server's Nagle holds its close_notify behind a ticket not yet acked;
 * a plain one stays open so that what the server still takes can be seen (UploadEnd). */
static void end_upload(FtpSession *s, NetStream *data, UploadEnd *e)
{
        for (;;) {
                g_autoptr(GError) err = NULL;
                if (net_stream_close_notify(data, upload_end_slice(e), &err))
                        break;
                if (!g_error_matches(err, NET_ERROR, NET_ERROR_TIMEOUT) || !upload_end_alive(s, e)) {
                        ftp_session_trace(s, "(close_notify not sent: %s)", err->message);
                        return;
                }
                struct pollfd cancel = { .fd = s->cancel_fd, .events = POLLIN };
                if (poll(&cancel, 1, 0) > 0)
                        return; /* the reply's wait that follows says so */
        }
        if (shutdown(net_stream_fd(data), SHUT_WR) < 0 && errno != ENOTCONN)
                ftp_session_trace(s, "(the data connection not half-closed: %s)", g_strerror(errno));
}

/* The final reply of an upload: while the data socket still holds bytes for the server and none
 * has begun to arrive, the control connection is watched in slices and the deadline moves on with
 * the server's progress; then the one reply reader reads it (and says a timeout, or a cancel). */
static FtpReply *read_upload_final(FtpSession *s, UploadEnd *e, GError **error)
{
        gint64 deadline = e->stall_at;
        while (e->unsent > 0 && s->ctrl && !ctrl_bytes_in_hand(s)) {
                g_autoptr(GError) net = NULL;
                if (net_stream_wait_readable(s->ctrl, upload_end_slice(e), s->cancel_fd, &net)) {
                        deadline = MAX(e->stall_at, net_deadline_in_ms(s->timeouts.reply_ms));
                        break; /* a reply begins: it gets its whole time */
                }
                if (!g_error_matches(net, NET_ERROR, NET_ERROR_TIMEOUT) || !upload_end_alive(s, e))
                        break;
                deadline = e->stall_at;
        }
        return ftp_session_read_reply(s, deadline, s->cancel_fd, error);
}

/* The size a 150 reply announces: "… (1234 bytes)"; -1 when it names none. */
static gint64 announced_size(const FtpReply *reply)
{
        const char *open = reply->text ? strrchr(reply->text, '(') : NULL;
        if (!open)
                return -1;
        char *end = NULL;
        guint64 n = g_ascii_strtoull(open + 1, &end, 10);
        if (end == open + 1 || !g_str_has_prefix(end, " bytes)") || n > G_MAXINT64)
                return -1;
        return (gint64)n;
}

/* ---- ABOR: the data socket closes first, then the control connection is brought back in step ---- */

/* stalled: the data connection went idle; silence to ABOR then means the server as a whole has
 * stalled, and the session is dropped (a batch reconnects and goes on) rather than kept waiting
 * for answers that are not coming. */
static void abort_transfer(FtpSession *s, DataConn *dc, gboolean stalled)
{
        data_close(dc);
        if (!s->ctrl || !ftp_session_send(s, "ABOR", NULL, NULL))
                return;
        gint64 deadline = net_deadline_in_ms(MIN(ABOR_MS, s->timeouts.reply_ms));
        gboolean ended = FALSE;   /* a 226 came: a second answer may follow */
        gboolean aborted = FALSE; /* a 426 came: ABOR's own answer follows */
        for (int i = 0; i < 6 && s->ctrl; i++) {
                g_autoptr(GError) err = NULL;
                FtpReply *reply = ftp_reply_read(s->parser, s->ctrl, deadline, -1, &err);
                if (!reply) {
                        /* silence is accepted: what still comes is read as ABOR's late answers
                         * (ftp_session_read_reply), never as the next command's reply */
                        gboolean silence = g_error_matches(err, FTP_REPLY_ERROR, FTP_REPLY_ERROR_TIMEOUT) ||
                                           g_error_matches(err, NET_ERROR, NET_ERROR_TIMEOUT);
                        if (silence && stalled && !ended && !aborted) {
                                ftp_session_trace(s, "(no answer to ABOR after the data stalled: closing the session)");
                                ftp_session_drop(s);
                        } else if (!silence) {
                                ftp_session_drop(s);
                        } else {
                                s->abor_owed = ended || aborted ? 1 : 2;
                        }
                        return;
                }
                int code = reply->code;
                ftp_session_trace(s, "<-- %d %s", code, reply->shown);
                ftp_reply_free(reply);
                if (code == 225)
                        return; /* ABOR's own answer: nothing follows */
                if (code == 226 && aborted)
                        return; /* 426 for the transfer, 226 for ABOR: both answered */
                if (code == 226) {
                        /* the transfer's end or ABOR's answer: a transfer that ended as the data
                         * connection closed gets its 226 and then ABOR its own (vsftpd: "225 No
                         * transfer to ABOR"), which must not be left to answer the next command */
                        deadline = MIN(deadline, net_deadline_in_ms(ABOR_SECOND_MS));
                        ended = TRUE;
                        continue;
                }
                if (code == 426 || code == 450 || code == 451) {
                        aborted = TRUE;
                        continue;
                }
                if (code / 100 == 1)
                        continue;
                break;
        }
        if (ended && s->ctrl)
                return;
        ftp_session_trace(s, "(no sane answer to ABOR: closing the session)");
        ftp_session_drop(s);
}

/* ---- one transfer, whatever its direction ---- */

/* A data connection while its data flows, and the final reply when it came before the data ended. */
typedef struct {
        NetStream *data;
        FtpReply *final;
        gboolean ctrl_turn; /* a control reply waited while data was ready too: it is read next */
} Flow;

typedef gboolean (*PumpFunc)(FtpSession *s, Flow *flow, gpointer ctx, GError **error);

typedef struct {
        const char *verb;
        const char *arg;
        gint64 rest;      /* REST offset, 0 for none */
        const char *what; /* for messages: "Download of “x”" */
        PumpFunc pump;
        gpointer ctx;
        gboolean upload;  /* end with close_notify (TLS) and a half-close */
        gint64 announced; /* out: the size the 1xx reply named, -1 none */
        gboolean rest_refused; /* out: the server answered REST with something other than 350 */
        int refused_code; /* out: the code of a reply that refused the command (0: none) */
} Transfer;

static FtpReply *refused(GError **error, Transfer *t, FtpReply *reply)
{
        t->refused_code = reply->code;
        ftp_session_set_refused(error, t->what, reply);
        ftp_reply_free(reply);
        return NULL;
}

/* Returns the final reply (any code) once both the data EOF and that reply arrived. */
static FtpReply *run_transfer(FtpSession *s, Transfer *t, GError **error)
{
        s->data_not_resumed = FALSE;
        t->announced = -1;
        if (!s->ctrl) {
                g_set_error_literal(error, FTP_ERROR, FTP_ERROR_NOT_CONNECTED, _("Not connected: use `open` first."));
                return NULL;
        }
        DataConn dc = { NULL, -1, -1 };
        if (!(s->passive ? open_passive(s, &dc, error) : open_active(s, &dc, error))) {
                data_close(&dc);
                return NULL;
        }
        if (t->rest > 0) {
                g_autofree char *offset = g_strdup_printf("%" G_GINT64_FORMAT, t->rest);
                FtpReply *reply = ftp_session_exchange_final(s, "REST", offset, error);
                if (!reply || reply->code != 350) {
                        data_close(&dc);
                        t->rest_refused = reply != NULL;
                        return reply ? refused(error, t, reply) : NULL;
                }
                ftp_reply_free(reply);
        }
        FtpReply *reply = ftp_session_exchange(s, t->verb, t->arg, error);
        if (!reply || ftp_reply_class(reply) != 1) {
                data_close(&dc);
                if (reply && ftp_reply_class(reply) == 2)
                        return reply; /* done without data (some servers, for empty results) */
                return reply ? refused(error, t, reply) : NULL;
        }
        t->announced = announced_size(reply);
        g_clear_pointer(&reply, ftp_reply_free);
        g_autoptr(GError) err = NULL;
        Flow flow = { NULL, NULL, FALSE };
        gboolean ok = accept_active(s, &dc, &err) && secure_data(s, &dc, &err);
        flow.data = dc.stream;
        if (!ok || !t->pump(s, &flow, t->ctx, &err)) {
                if (g_error_matches(err, FTP_ERROR, FTP_ERROR_DATA)) {
                        /* the server cut the data connection (or ended the transfer): its final reply says why */
                        data_close(&dc);
                        g_autoptr(FtpReply) final = flow.final ? g_steal_pointer(&flow.final)
                                : ftp_session_read_reply(s, net_deadline_in_ms(s->timeouts.reply_ms), s->cancel_fd, NULL);
                        note_refusal(s, &dc, final);
                        if (final && t->upload && ftp_reply_class(final) == 2) {
                                /* part of the upload taken and called done: a short copy may be kept */
                                g_autoptr(GError) cut = g_steal_pointer(&err);
                                g_set_error(&err, FTP_ERROR, FTP_ERROR_ENDED_EARLY,
                                            _("The server ended the upload before all of it arrived (%d %s): %s"),
                                            final->code, final->text ? final->text : "", cut->message);
                        } else if (final) {
                                g_prefix_error(&err, "%d %s: ", final->code, final->text ? final->text : "");
                        }
                } else {
                        g_clear_pointer(&flow.final, ftp_reply_free);
                        /* without a control connection (421), only closes */
                        abort_transfer(s, &dc, g_error_matches(err, FTP_ERROR, FTP_ERROR_TIMEOUT));
                }
                g_propagate_error(error, g_steal_pointer(&err));
                return NULL;
        }
        FtpReply *final = g_steal_pointer(&flow.final);
        if (t->upload) {
                UploadEnd end;
                upload_end_start(s, &end, dc.stream);
                end_upload(s, dc.stream, &end); /* the end of the file; closed after the final reply */
                if (!final)
                        final = read_upload_final(s, &end, error);
        } else if (!final) {
                data_close(&dc);
                final = ftp_session_read_next(s, error);
        }
        data_close(&dc);
        note_refusal(s, &dc, final);
        return final;
}

/* ---- the pumps ---- */

typedef struct {
        FtpProgressFunc func;
        gpointer data;
        gint64 total;
        gint64 last_us;
        guint64 last_done;
} Progress;

static void progress_report(Progress *p, guint64 done, gboolean force)
{
        if (!p->func)
                return;
        gint64 now = g_get_monotonic_time();
        if (!force && (now - p->last_us < PROGRESS_US || done - p->last_done < PROGRESS_BYTES))
                return;
        p->last_us = now;
        p->last_done = done;
        p->func(done, p->total, p->data);
}

/* A failed data read or write: cancel and idle timeout keep their code, anything else is the
 * server's side failing (FTP_ERROR_DATA), so its final reply is read instead of sending ABOR. */
static void data_io_error(FtpSession *s, GError *net, GError **error)
{
        g_autoptr(GError) owned = net;
        if (g_error_matches(net, NET_ERROR, NET_ERROR_CANCELLED)) {
                g_set_error_literal(error, FTP_ERROR, FTP_ERROR_CANCELLED, _("Cancelled."));
                return;
        }
        if (g_error_matches(net, NET_ERROR, NET_ERROR_TIMEOUT)) {
                g_set_error(error, FTP_ERROR, FTP_ERROR_TIMEOUT,
                            _("Timed out: the data connection was idle for %d s; transfer aborted."),
                            (s->timeouts.data_ms + 999) / 1000);
                return;
        }
        g_set_error(error, FTP_ERROR, FTP_ERROR_DATA, _("The data connection failed: %s"), net->message);
}

/* ---- while data flows, the control connection is watched too ---- */

/* A reply on the control connection in the middle of a transfer. 421 and EOF close the session at
 * once (FTP_ERROR_CLOSED, through the one reply reader); a 4xx/5xx ends the transfer with that reply
 * (FTP_ERROR_DATA, the reply kept for the message); a 2xx is kept and the transfer ends when the
 * data does (RFC 959 lets the 226 come first); a stray 1xx is ignored. The reply has begun to
 * arrive: it is read under the reply deadline, not the cancel, so that no half reply is left. */
static gboolean flow_ctrl_reply(FtpSession *s, Flow *f, GError **error)
{
        FtpReply *reply = ftp_session_read_reply(s, net_deadline_in_ms(s->timeouts.reply_ms), -1, error);
        if (!reply)
                return FALSE;
        if (ftp_reply_class(reply) == 1) {
                ftp_session_trace(s, "(ignored a preliminary reply %d while the data flowed)", reply->code);
                ftp_reply_free(reply);
                return TRUE;
        }
        f->final = reply;
        if (ftp_reply_class(reply) == 2) {
                ftp_session_trace(s, "(the final reply came before the end of the data: kept)");
                return TRUE;
        }
        g_set_error_literal(error, FTP_ERROR, FTP_ERROR_DATA, _("the server ended the transfer before its data."));
        return FALSE;
}

/* Bytes of a control reply already in hand, where poll() cannot see them: buffered by the reply
 * reader (a 226 that came with the 150), or decrypted by OpenSSL and not yet taken (SSL_pending).
 * Peeking at a TLS control connection also consumes a session ticket that made it readable. */
static gboolean ctrl_bytes_in_hand(FtpSession *s)
{
        if (ftp_reply_parser_pending(s->parser) > 0)
                return TRUE;
        return net_stream_is_tls(s->ctrl) && net_stream_wait_readable(s->ctrl, 0, -1, NULL);
}

/* Waits until the data connection is ready for `events` (POLLIN or POLLOUT) within the data idle
 * timeout, handling whatever the control connection says meanwhile (flow_ctrl_reply). When both
 * are ready the data moves first (bytes already sent are kept for a resume) and the reply is read
 * at the next wait: neither can starve the other, and a 421 costs at most one more buffer.
 * The data socket's poll() is enough even over TLS: OpenSSL reads one record at a time (no
 * read-ahead) and the pump's buffer takes a whole record, so no decrypted byte waits unseen in
 * OpenSSL; a peek would also consume an end without close_notify, which the read must report. */
static gboolean flow_wait(FtpSession *s, Flow *f, short events, GError **error)
{
        gint64 deadline = net_deadline_in_ms(s->timeouts.data_ms);
        for (;;) {
                gboolean watch = s->ctrl && !f->final;
                if (watch && f->ctrl_turn) {
                        f->ctrl_turn = FALSE;
                        if (ctrl_bytes_in_hand(s) || !net_stream_is_tls(s->ctrl)) {
                                if (!flow_ctrl_reply(s, f, error))
                                        return FALSE;
                        }
                        continue;
                }
                gboolean in_hand = watch && ctrl_bytes_in_hand(s);
                gboolean data_ready = FALSE, ctrl_ready = FALSE;
                GError *net = NULL;
                if (!ftp_data_wait(net_stream_fd(f->data), events, watch ? net_stream_fd(s->ctrl) : -1,
                                   in_hand ? 0 : deadline, s->cancel_fd, &data_ready, &ctrl_ready, &net)) {
                        if (in_hand && g_error_matches(net, NET_ERROR, NET_ERROR_TIMEOUT)) {
                                g_error_free(net);
                                f->ctrl_turn = TRUE;
                                continue;
                        }
                        data_io_error(s, net, error);
                        return FALSE;
                }
                f->ctrl_turn = ctrl_ready || in_hand;
                if (data_ready)
                        return TRUE;
        }
}

/* Writes all of buf to the data connection, waiting through flow_wait: a plain socket takes what
 * fits without blocking; a TLS write is cut into records, so that a server that stops reading is
 * noticed within one record's wait. */
static gboolean flow_write(FtpSession *s, Flow *f, const char *buf, gsize len, GError **error)
{
        gboolean tls = net_stream_is_tls(f->data);
        while (len > 0) {
                if (!flow_wait(s, f, POLLOUT, error))
                        return FALSE;
                GError *net = NULL;
                gsize piece = tls ? MIN(len, (gsize)TLS_WRITE_PIECE) : len;
                gssize n = tls ? (net_stream_write_all(f->data, buf, piece, net_deadline_in_ms(s->timeouts.data_ms),
                                                       s->cancel_fd, &net) ? (gssize)piece : -1)
                               : ftp_data_send_some(net_stream_fd(f->data), buf, piece, &net);
                if (n < 0) {
                        data_io_error(s, net, error);
                        return FALSE;
                }
                buf += n;
                len -= (gsize)n;
        }
        return TRUE;
}

static gboolean write_local(int fd, const char *buf, gsize len, GError **error)
{
        while (len > 0) {
                ssize_t n = write(fd, buf, len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0) {
                        g_set_error(error, FTP_ERROR, FTP_ERROR_LOCAL, _("Writing the local file failed: %s"),
                                    g_strerror(n < 0 ? errno : ENOSPC));
                        return FALSE;
                }
                buf += n;
                len -= (gsize)n;
        }
        return TRUE;
}

typedef struct {
        int fd;              /* local file (download) or -1 (listing into `text`) */
        GString *text;       /* listing body */
        gboolean ascii;
        FtpAsciiDecoder dec;
        guint64 received;    /* raw bytes from the server */
        guint64 written;     /* bytes written to fd after conversion */
        guint64 base;        /* REST offset, for progress */
        gboolean unclean;    /* TLS ended without close_notify */
        Progress progress;
        guint lines;         /* listing: complete lines so far */
        gsize line_len;      /* listing: bytes of the line not yet ended */
        FtpRateClock clock;  /* a file's speed limit (listings are never slowed) */
} Download;

/* Counts the lines of a listing as it arrives; FALSE past LISTING_MAX_LINES or LISTING_MAX_LINE. */
static gboolean listing_within_caps(Download *d, const char *buf, gsize len)
{
        for (const char *p = buf, *end = buf + len; p < end;) {
                const char *nl = memchr(p, '\n', (gsize)(end - p));
                d->line_len += (gsize)((nl ? nl : end) - p);
                if (d->line_len > LISTING_MAX_LINE)
                        return FALSE;
                if (!nl)
                        break;
                if (++d->lines > LISTING_MAX_LINES)
                        return FALSE;
                d->line_len = 0;
                p = nl + 1;
        }
        return TRUE;
}

/* A listing over its caps is refused as it arrives (and the transfer aborted): memory stays bounded
 * whatever the server sends, as with the reply reader's caps. */
static gboolean sink_listing(Download *d, const char *buf, gsize len, GError **error)
{
        if (d->text->len + len > LISTING_MAX || !listing_within_caps(d, buf, len)) {
                g_set_error(error, FTP_ERROR, FTP_ERROR_PROTOCOL,
                            _("The server's listing is too large (over %d MiB, %d lines, or a line over %d KiB): "
                              "refused. List a smaller directory, or use a glob."),
                            LISTING_MAX / (1024 * 1024), LISTING_MAX_LINES, LISTING_MAX_LINE / 1024);
                return FALSE;
        }
        g_string_append_len(d->text, buf, len);
        return TRUE;
}

static gboolean sink(Download *d, const char *buf, gsize len, GError **error)
{
        if (d->text)
                return sink_listing(d, buf, len, error);
        if (!write_local(d->fd, buf, len, error))
                return FALSE;
        d->written += len;
        return TRUE;
}

/* After `bytes` of a file moved: the wait its speed limits ask for (a cancel ends it). */
static gboolean keep_rate(FtpSession *s, FtpRateClock *clock, gsize bytes, GError **error)
{
        gint64 wait_us = ftp_rate_account(s->limits, clock, bytes, g_get_monotonic_time());
        return wait_us <= 0 || ftp_session_pause(s, (guint)((wait_us + 999) / 1000), error);
}

static gboolean pump_download(FtpSession *s, Flow *flow, gpointer ctx, GError **error)
{
        Download *d = ctx;
        g_autofree char *buf = g_malloc(DATA_BUF);
        g_autofree char *conv = d->ascii ? g_malloc(DATA_BUF + 1) : NULL;
        for (;;) {
                if (!flow_wait(s, flow, POLLIN, error))
                        return FALSE;
                GError *net = NULL;
                gsize want = d->fd >= 0 ? ftp_rate_piece(s->limits, DATA_BUF) : DATA_BUF;
                gssize n = net_stream_read(flow->data, buf, want, net_deadline_in_ms(s->timeouts.data_ms), s->cancel_fd,
                                           &net);
                if (n < 0 && g_error_matches(net, NET_ERROR, NET_ERROR_TRUNCATED)) {
                        g_clear_error(&net); /* judged with the final reply and the size (retr) */
                        d->unclean = TRUE;
                        n = 0;
                }
                if (n < 0) {
                        data_io_error(s, net, error);
                        return FALSE;
                }
                if (n == 0) {
                        gsize m = d->ascii ? ftp_ascii_decode_finish(&d->dec, conv) : 0;
                        progress_report(&d->progress, d->base + d->received, TRUE);
                        return sink(d, conv, m, error);
                }
                d->received += (guint64)n;
                gboolean ok = d->ascii ? sink(d, conv, ftp_ascii_decode(&d->dec, buf, (gsize)n, conv), error)
                                       : sink(d, buf, (gsize)n, error);
                if (!ok)
                        return FALSE;
                progress_report(&d->progress, d->base + d->received, FALSE);
                if (d->fd >= 0 && !keep_rate(s, &d->clock, (gsize)n, error))
                        return FALSE;
        }
}

typedef struct {
        int fd;
        gint64 size;
        gint64 start;        /* the first byte to send (a resumed upload) */
        gboolean ascii;
        FtpAsciiEncoder enc;
        gint64 sent;         /* bytes of the file sent so far (before any conversion) */
        Progress progress;
        FtpRateClock clock;  /* its speed limit */
} Upload;

static void file_too_short(GError **error, int err)
{
        g_set_error(error, FTP_ERROR, FTP_ERROR_LOCAL, _("Reading the local file failed: %s"),
                    err ? g_strerror(err) : _("it is shorter than expected"));
}

/* A plain binary upload: the kernel sends the snapshot's pages (sendfile), in chunks so that
 * progress is reported and the idle deadline and cancel are checked between them. FALSE with
 * *copy set when sendfile() cannot send this file: the copying pump goes on from u->sent. */
static gboolean send_file(FtpSession *s, Flow *flow, Upload *u, gboolean *copy, GError **error)
{
        while (u->sent < u->size) {
                if (!flow_wait(s, flow, POLLOUT, error))
                        return FALSE;
                GError *net = NULL;
                gsize chunk = (gsize)MIN((gint64)ftp_rate_piece(s->limits, SENDFILE_CHUNK), u->size - u->sent);
                gssize n = net_stream_sendfile(flow->data, u->fd, &u->sent, chunk, net_deadline_in_ms(s->timeouts.data_ms),
                                               s->cancel_fd, &net);
                if (n < 0 && g_error_matches(net, NET_ERROR, NET_ERROR_UNSUPPORTED)) {
                        ftp_session_trace(s, "(%s: copying instead)", net->message);
                        g_error_free(net);
                        *copy = TRUE;
                        return FALSE;
                }
                if (n < 0) {
                        data_io_error(s, net, error);
                        return FALSE;
                }
                if (n == 0) {
                        file_too_short(error, 0);
                        return FALSE;
                }
                progress_report(&u->progress, (guint64)u->sent, FALSE);
                if (!keep_rate(s, &u->clock, (gsize)n, error))
                        return FALSE;
        }
        return TRUE;
}

/* Reads with pread() and writes through the stream: TLS, TYPE A conversion, or no sendfile(). */
static gboolean copy_file(FtpSession *s, Flow *flow, Upload *u, GError **error)
{
        g_autofree char *buf = g_malloc(DATA_BUF);
        g_autofree char *conv = u->ascii ? g_malloc(2 * DATA_BUF) : NULL;
        while (u->sent < u->size) {
                gsize piece = ftp_rate_piece(s->limits, DATA_BUF);
                ssize_t n = pread(u->fd, buf, (size_t)MIN((gint64)piece, u->size - u->sent), u->sent);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0) {
                        file_too_short(error, n < 0 ? errno : 0);
                        return FALSE;
                }
                const char *out = buf;
                gsize len = (gsize)n;
                if (u->ascii) {
                        len = ftp_ascii_encode(&u->enc, buf, (gsize)n, conv);
                        out = conv;
                }
                if (!flow_write(s, flow, out, len, error))
                        return FALSE;
                u->sent += n;
                progress_report(&u->progress, (guint64)u->sent, FALSE);
                if (!keep_rate(s, &u->clock, (gsize)n, error))
                        return FALSE;
        }
        return TRUE;
}

/* Files larger than this are announced to the kernel as read in sequence (a larger readahead). */
#define READAHEAD_WORTH (1024 * 1024)

static gboolean pump_upload(FtpSession *s, Flow *flow, gpointer ctx, GError **error)
{
        Upload *u = ctx;
        u->sent = u->start;
        if (u->size - u->start > READAHEAD_WORTH) /* a small file is read in one piece anyway */
                (void)posix_fadvise(u->fd, u->start, 0, POSIX_FADV_SEQUENTIAL);
        gboolean copy = u->ascii || net_stream_is_tls(flow->data);
        if (!copy && !send_file(s, flow, u, &copy, error) && !copy)
                return FALSE;
        if (copy && !copy_file(s, flow, u, error))
                return FALSE;
        progress_report(&u->progress, (guint64)u->sent, TRUE);
        return TRUE;
}

/* ---- the public transfers ---- */

/* After a refusal of a data connection that did not resume TLS (vsftpd then drops the session):
 * a fresh control connection, the same login and directory, so the transfer can run once more. */
static gboolean reconnect(FtpSession *s, GError **error)
{
        g_autofree char *cwd = g_strdup(s->cwd);
        g_autofree char *host = g_strdup(s->host);
        g_autofree char *user = g_strdup(s->user);
        ftp_session_trace(s, "(reconnecting to retry once with a fresh TLS session)");
        if (!ftp_session_connect(s, host, s->port, error) || !ftp_session_login(s, user, s->password, s->account, error))
                return FALSE;
        if (!cwd || g_strcmp0(cwd, s->cwd) == 0)
                return TRUE; /* the login put us back where we were */
        return ftp_session_cwd_to(s, cwd, error);
}

/* TRUE when the failure in *err is worth one reconnect (the error is then cleared). */
static gboolean retry_worth(FtpSession *s, GError **err)
{
        if (!s->data_not_resumed || !s->password)
                return FALSE;
        g_autoptr(GError) again = NULL;
        if (!reconnect(s, &again)) {
                g_prefix_error(err, _("(reconnecting failed too: %s) "), again->message);
                return FALSE;
        }
        g_clear_error(err);
        return TRUE;
}

/* A TLS download that ended without close_notify is whole only when the size is known to match. */
static gboolean check_unclean_end(FtpSession *s, const Download *d, const char *remote, gint64 expected,
                                  GError **error)
{
        if (!d->unclean || d->ascii)
                return TRUE;
        if (expected >= 0 && d->base + d->received == (guint64)expected) {
                ftp_session_trace(s, "(TLS ended without close_notify, but the size matches)");
                return TRUE;
        }
        g_set_error(error, FTP_ERROR, FTP_ERROR_DATA,
                    _("The download of “%s” may be cut: the server ended TLS without close_notify after %"
                      PRIu64 " bytes and the size is unknown or different."),
                    remote, (uint64_t)(d->base + d->received));
        return FALSE;
}

static gboolean retr_once(FtpSession *s, const char *remote, int local_fd, gint64 offset, gint64 expected_size,
                          FtpProgressFunc progress, gpointer progress_data, guint64 *bytes_written, GError **error)
{
        if (!ftp_session_ensure_type(s, s->type, error))
                return FALSE;
        Download d = { .fd = local_fd, .ascii = s->type == FTP_TYPE_ASCII, .base = offset > 0 ? offset : 0,
                       .progress = { progress, progress_data, expected_size, 0, 0 } };
        g_autofree char *what = g_strdup_printf(_("Download of “%s”"), remote);
        Transfer t = { "RETR", remote, offset, what, pump_download, &d, FALSE, -1, FALSE, 0 };
        g_autoptr(GError) err = NULL;
        g_autoptr(FtpReply) final = run_transfer(s, &t, &err);
        *bytes_written = d.written;
        if (!final && t.rest_refused) {
                g_set_error(error, FTP_ERROR, FTP_ERROR_NO_REST,
                            _("The server cannot go on from byte %" PRId64 " of “%s” (%s)."), (int64_t)offset,
                            remote, err->message);
                return FALSE;
        }
        if (!final) {
                if (g_error_matches(err, FTP_ERROR, FTP_ERROR_DATA))
                        g_prefix_error(&err, _("The download of “%s” was cut after %" PRIu64 " bytes: "),
                                       remote, (uint64_t)d.received);
                g_propagate_error(error, g_steal_pointer(&err));
                return FALSE;
        }
        if (ftp_reply_class(final) != 2) {
                g_set_error(error, FTP_ERROR, FTP_ERROR_DATA,
                            _("The download of “%s” was cut after %" PRIu64 " bytes (%d %s)."), remote,
                            (uint64_t)d.received, final->code, final->shown);
                return FALSE;
        }
        if (expected_size >= 0 && !d.ascii && d.base + d.received < (guint64)expected_size) {
                g_set_error(error, FTP_ERROR, FTP_ERROR_DATA,
                            _("The download of “%s” ended after %" PRIu64 " of %" PRId64 " bytes."),
                            remote, (uint64_t)(d.base + d.received), (int64_t)expected_size);
                return FALSE;
        }
        gint64 known = expected_size >= 0 ? expected_size
                       : t.announced >= 0 ? (gint64)d.base + t.announced : -1;
        return check_unclean_end(s, &d, remote, known, error);
}

gboolean ftp_session_retr(FtpSession *s, const char *remote, int local_fd, gint64 offset, gint64 expected_size,
                          FtpProgressFunc progress, gpointer progress_data, guint64 *bytes_written,
                          GError **error)
{
        guint64 written = 0;
        if (bytes_written)
                *bytes_written = 0;
        if (ftp_string_has_ctrl(remote))
                return ftp_session_send(s, "RETR", remote, error); /* refuses: nothing is sent */
        if (offset > 0 && s->type == FTP_TYPE_ASCII) {
                g_set_error_literal(error, FTP_ERROR, FTP_ERROR_BAD_ARGUMENT,
                                    _("A download can only be resumed in binary mode: use `binary` first."));
                return FALSE;
        }
        g_autoptr(GError) err = NULL;
        gboolean ok = retr_once(s, remote, local_fd, offset, expected_size, progress, progress_data, &written, &err);
        if (!ok && written == 0 && retry_worth(s, &err))
                ok = retr_once(s, remote, local_fd, offset, expected_size, progress, progress_data, &written, &err);
        if (bytes_written)
                *bytes_written = written;
        if (!ok)
                g_propagate_error(error, g_steal_pointer(&err));
        return ok;
}

/* run_transfer for callers that need nothing but success: a final reply other than 2xx is a
 * refusal in the words of `t->what`. */
static gboolean run_transfer_ok(FtpSession *s, Transfer *t, GError **error)
{
        g_autoptr(FtpReply) final = run_transfer(s, t, error);
        if (!final)
                return FALSE;
        if (ftp_reply_class(final) != 2) {
                t->refused_code = final->code;
                ftp_session_set_refused(error, t->what, final);
                return FALSE;
        }
        return TRUE;
}

static gboolean stor_once(FtpSession *s, const char *verb, const char *remote, int local_fd, gint64 offset,
                          gint64 size, FtpProgressFunc progress, gpointer progress_data, gboolean *rest_refused,
                          GError **error)
{
        if (!ftp_session_ensure_type(s, s->type, error))
                return FALSE;
        Upload u = { .fd = local_fd, .size = size, .start = offset, .ascii = s->type == FTP_TYPE_ASCII,
                     .progress = { progress, progress_data, size, 0, 0 } };
        g_autofree char *what = g_strdup_printf(_("Upload of “%s”"), remote);
        /* APPE carries its offset implicitly (the server's size); REST names it for STOR */
        Transfer t = { verb, remote, strcmp(verb, "STOR") == 0 ? offset : 0, what, pump_upload, &u, TRUE, -1,
                       FALSE, 0 };
        gboolean ok = run_transfer_ok(s, &t, error);
        if (rest_refused)
                *rest_refused = t.rest_refused;
        return ok;
}

/* One upload with its single reconnect-and-retry when the data connection was refused. */
static gboolean stor_with_retry(FtpSession *s, const char *verb, const char *remote, int local_fd, gint64 offset,
                                gint64 size, FtpProgressFunc progress, gpointer progress_data,
                                gboolean *rest_refused, GError **error)
{
        g_autoptr(GError) err = NULL;
        gboolean ok = stor_once(s, verb, remote, local_fd, offset, size, progress, progress_data, rest_refused, &err);
        if (!ok && retry_worth(s, &err))
                ok = stor_once(s, verb, remote, local_fd, offset, size, progress, progress_data, rest_refused, &err);
        if (!ok)
                g_propagate_error(error, g_steal_pointer(&err));
        return ok;
}

gboolean ftp_session_stor(FtpSession *s, const char *remote, int local_fd, gint64 size, FtpProgressFunc progress,
                          gpointer progress_data, GError **error)
{
        if (ftp_string_has_ctrl(remote))
                return ftp_session_send(s, "STOR", remote, error); /* refuses: nothing is sent */
        return stor_with_retry(s, "STOR", remote, local_fd, 0, size, progress, progress_data, NULL, error);
}

gboolean ftp_session_stor_from(FtpSession *s, const char *remote, int local_fd, gint64 offset, gint64 size,
                               FtpProgressFunc progress, gpointer progress_data, gboolean *appended,
                               GError **error)
{
        if (appended)
                *appended = FALSE;
        if (ftp_string_has_ctrl(remote))
                return ftp_session_send(s, "STOR", remote, error); /* refuses: nothing is sent */
        if (offset < 0 || offset > size) {
                g_set_error(error, FTP_ERROR, FTP_ERROR_BAD_ARGUMENT,
                            _("Cannot resume the upload of “%s” at byte %" PRId64 ": the file has %"
                              PRId64 " bytes."), remote, (int64_t)offset, (int64_t)size);
                return FALSE;
        }
        if (offset > 0 && s->type == FTP_TYPE_ASCII) {
                g_set_error_literal(error, FTP_ERROR, FTP_ERROR_BAD_ARGUMENT,
                                    _("An upload can only be resumed in binary mode: use `binary` first."));
                return FALSE;
        }
        if (offset == 0)
                return ftp_session_stor(s, remote, local_fd, size, progress, progress_data, error);
        gboolean rest_refused = FALSE;
        g_autoptr(GError) err = NULL;
        if (stor_with_retry(s, "STOR", remote, local_fd, offset, size, progress, progress_data, &rest_refused, &err))
                return TRUE;
        if (!rest_refused || !s->ctrl) {
                g_propagate_error(error, g_steal_pointer(&err));
                return FALSE;
        }
        ftp_session_trace(s, "(REST before STOR refused: appending with APPE instead)");
        if (appended)
                *appended = TRUE;
        return stor_with_retry(s, "APPE", remote, local_fd, offset, size, progress, progress_data, NULL, error);
}

static gboolean listing_once(FtpSession *s, const char *verb, const char *path, GString *body, int *refused_code,
                             GError **error)
{
        g_string_truncate(body, 0);
        Download d = { .fd = -1, .text = body };
        g_autofree char *what = path ? g_strdup_printf(_("Listing of “%s”"), path) : g_strdup(_("Listing"));
        Transfer t = { verb, path, 0, what, pump_download, &d, FALSE, -1, FALSE, 0 };
        gboolean ok = run_transfer_ok(s, &t, error);
        *refused_code = t.refused_code;
        return ok;
}

/* Runs a listing command and returns its body with CRLF turned into LF. *refused_code (may be
 * NULL) receives the code of a reply that refused the command, 0 when none did. */
static GString *fetch_listing(FtpSession *s, const char *verb, const char *path, int *refused_code, GError **error)
{
        int code = 0;
        if (refused_code)
                *refused_code = 0;
        if (ftp_string_has_ctrl(path)) {
                ftp_session_send(s, verb, path, error); /* refuses: nothing is sent */
                return NULL;
        }
        g_autoptr(GString) body = g_string_new(NULL);
        g_autoptr(GError) err = NULL;
        gboolean ok = listing_once(s, verb, path, body, &code, &err);
        if (!ok && retry_worth(s, &err))
                ok = listing_once(s, verb, path, body, &code, &err);
        if (!ok) {
                if (refused_code)
                        *refused_code = code;
                g_propagate_error(error, g_steal_pointer(&err));
                return NULL;
        }
        /* in place: the decoder never writes ahead of what it has read */
        FtpAsciiDecoder dec = { 0 };
        gsize n = ftp_ascii_decode(&dec, body->str, body->len, body->str);
        n += ftp_ascii_decode_finish(&dec, body->str + n);
        g_string_truncate(body, n);
        return g_steal_pointer(&body);
}

/* 500, 502 and 504 say the server does not implement MLSD after all; a 550 (no such directory,
 * permission) is the answer to the listing, whatever command asked. */
static gboolean mlsd_not_implemented(int code)
{
        return code == 500 || code == 502 || code == 504;
}

/* MLSD when FEAT offered it and it has not failed yet in this session. Returns the listing, or NULL
 * with *fall_back set when LIST should answer instead (remembered for the session, as lftp does):
 * MLSD refused as not implemented, or a body that is not MLSD. */
static GPtrArray *list_mlsd(FtpSession *s, const char *path, gint64 now, gboolean *fall_back, GError **error)
{
        int code = 0;
        g_autoptr(GError) err = NULL;
        g_autoptr(GString) text = fetch_listing(s, "MLSD", path, &code, &err);
        if (text && ftp_listing_is_mlsd(text->str, text->len))
                return ftp_listing_parse(text->str, text->len, FTP_LISTING_MLSD, now);
        if (!text && !mlsd_not_implemented(code)) {
                g_propagate_error(error, g_steal_pointer(&err));
                return NULL;
        }
        ftp_session_trace(s, "(MLSD %s: using LIST from now on)",
                          text ? "sent lines that are not MLSD facts" : "is not implemented");
        s->mlsd_failed = TRUE;
        *fall_back = TRUE;
        return NULL;
}

GPtrArray *ftp_session_list(FtpSession *s, const char *path, GError **error)
{
        gint64 now = g_get_real_time() / G_USEC_PER_SEC;
        if (ftp_session_has_feature(s, "MLSD") && !s->mlsd_failed) {
                gboolean fall_back = FALSE;
                GPtrArray *entries = list_mlsd(s, path, now, &fall_back, error);
                if (entries || !fall_back)
                        return entries;
        }
        g_autoptr(GString) text = fetch_listing(s, "LIST", path, NULL, error);
        if (!text)
                return NULL;
        return ftp_listing_parse(text->str, text->len, FTP_LISTING_LIST, now);
}

char *ftp_session_list_raw(FtpSession *s, const char *path, GError **error)
{
        GString *text = fetch_listing(s, "LIST", path, NULL, error);
        return text ? g_string_free(text, FALSE) : NULL;
}

GPtrArray *ftp_session_nlst(FtpSession *s, const char *path, GError **error)
{
        g_autoptr(GString) text = fetch_listing(s, "NLST", path, NULL, error);
        if (!text)
                return NULL;
        GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
        g_auto(GStrv) lines = g_strsplit(text->str, "\n", -1);
        for (char **l = lines; *l; l++)
                if (**l)
                        g_ptr_array_add(names, g_strdup(*l));
        return names;
}
