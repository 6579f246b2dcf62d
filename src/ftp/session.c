/* ftp/session.c — one FTP control connection: the one command/reply exchange and the commands
 * that need no data connection (connect and login live in session-login.c).
 * Owns: 421/EOF/timeout handling for every state, resynchronisation after stray replies, TYPE
 * caching, the session's settings. Must not: open data connections (session-data.c does), print,
 * prompt or touch local files. */
#include "config.h"
#include "ftp/session-private.h"
#include "ftp/parse.h"
#include "common/escape.h"
#include "common/i18n.h"
#include "common/quark.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <string.h>

COMMON_DEFINE_QUARK(ftp-error-quark, ftp_error)

#define QUIT_MS 2000          /* QUIT is a courtesy: never wait long for its answer */
#define MAX_PRELIMINARY 3     /* 1xx replies tolerated before a simple command's final reply */
#define MAX_RESYNC_REPLIES 8  /* stray replies read while waiting for NOOP's 200 */

static const FtpTimeouts default_timeouts = { .connect_ms = 15000, .reply_ms = 30000, .data_ms = 60000 };

FtpSession *ftp_session_new(void)
{
        FtpSession *s = g_new0(FtpSession, 1);
        s->timeouts = default_timeouts;
        s->cancel_fd = -1;
        s->passive = TRUE;
        s->type = FTP_TYPE_BINARY;
        s->sent_type = -1;
        s->hash_algo = -1;
        return s;
}

void ftp_session_drop(FtpSession *s)
{
        if (s->ctrl && s->logged_in && s->host) {
                /* dropped while logged in: kept, so that it can be logged in again the same way */
                ftp_session_profile_free(s->lost);
                s->lost = ftp_session_profile_of(s);
        }
        g_clear_pointer(&s->ctrl, net_stream_free);
        if (s->tls)
                tls_context_forget_session(s->tls);
        s->prot_private = FALSE;
        g_clear_pointer(&s->parser, ftp_reply_parser_free);
        g_clear_pointer(&s->features, g_hash_table_unref);
        g_clear_pointer(&s->cwd, g_free);
        s->logged_in = FALSE;
        s->preauthenticated = FALSE;
        s->epsv_failed = FALSE;
        s->eprt_failed = FALSE;
        s->mlsd_failed = FALSE;
        s->sent_type = -1;
        s->hash_algo = -1;
        s->owed_replies = 0;
        s->abor_owed = 0;
        s->sent_while_owed = FALSE;
}

void ftp_session_wipe_secret(char **secret)
{
        if (*secret)
                memset(*secret, 0, strlen(*secret));
        g_clear_pointer(secret, g_free);
}

void ftp_session_free(FtpSession *s)
{
        if (!s)
                return;
        ftp_session_drop(s);
        ftp_session_profile_free(s->lost);
        g_free(s->host);
        g_free(s->user);
        g_free(s->trace_label);
        ftp_rate_limits_unref(s->limits);
        ftp_session_wipe_secret(&s->password);
        ftp_session_wipe_secret(&s->account);
        tls_context_free(s->tls);
        tls_peer_info_free(s->peer);
        if (s->fingerprints)
                g_ptr_array_unref(s->fingerprints);
        g_free(s);
}

void ftp_session_set_rate_limits(FtpSession *s, FtpRateLimits *limits)
{
        if (limits)
                ftp_rate_limits_ref(limits);
        ftp_rate_limits_unref(s->limits);
        s->limits = limits;
}

void ftp_session_set_timeouts(FtpSession *s, const FtpTimeouts *t)
{
        s->timeouts.connect_ms = t->connect_ms > 0 ? t->connect_ms : default_timeouts.connect_ms;
        s->timeouts.reply_ms = t->reply_ms > 0 ? t->reply_ms : default_timeouts.reply_ms;
        s->timeouts.data_ms = t->data_ms > 0 ? t->data_ms : default_timeouts.data_ms;
}

void ftp_session_set_cancel_fd(FtpSession *s, int cancel_fd) { s->cancel_fd = cancel_fd; }
void ftp_session_set_passive(FtpSession *s, gboolean passive) { s->passive = passive; }
gboolean ftp_session_get_passive(FtpSession *s) { return s->passive; }
void ftp_session_set_trust_pasv_address(FtpSession *s, gboolean trust) { s->trust_pasv_address = trust; }
void ftp_session_set_type(FtpSession *s, FtpType type) { s->type = type; }
FtpType ftp_session_get_type(FtpSession *s) { return s->type; }
gboolean ftp_session_is_connected(FtpSession *s) { return s->ctrl != NULL; }
gboolean ftp_session_is_logged_in(FtpSession *s) { return s->ctrl != NULL && s->logged_in; }
const char *ftp_session_host(FtpSession *s) { return s->host; }
guint16 ftp_session_port(FtpSession *s) { return s->port; }
const char *ftp_session_user(FtpSession *s) { return s->user; }
const char *ftp_session_cwd(FtpSession *s) { return s->cwd; }

void ftp_session_set_trace(FtpSession *s, void (*trace)(const char *line, gpointer), gpointer data)
{
        s->trace = trace;
        s->trace_data = data;
}

void ftp_session_set_trace_label(FtpSession *s, const char *label)
{
        g_free(s->trace_label);
        s->trace_label = g_strdup(label);
}

void ftp_session_trace(FtpSession *s, const char *fmt, ...)
{
        if (!s->trace)
                return;
        va_list ap;
        va_start(ap, fmt);
        g_autofree char *line = g_strdup_vprintf(fmt, ap);
        va_end(ap);
        g_autofree char *shown = common_text_escape_controls(line, FALSE); /* a server's bytes */
        if (!s->trace_label) {
                s->trace(shown, s->trace_data);
                return;
        }
        g_autofree char *labelled = g_strconcat(s->trace_label, shown, NULL);
        s->trace(labelled, s->trace_data);
}

gboolean ftp_session_has_feature(FtpSession *s, const char *feature)
{
        if (!s->features || !feature)
                return FALSE;
        g_autofree char *key = g_ascii_strup(feature, -1);
        return g_hash_table_contains(s->features, key);
}

gboolean ftp_error_is_transient(const GError *error)
{
        if (!error || error->domain != FTP_ERROR)
                return FALSE;
        switch (error->code) {
        case FTP_ERROR_CONNECT:
        case FTP_ERROR_TIMEOUT:
        case FTP_ERROR_CLOSED:
        case FTP_ERROR_PROTOCOL:
        case FTP_ERROR_DATA:
        case FTP_ERROR_ENDED_EARLY:
        case FTP_ERROR_NOT_CONNECTED:
                return TRUE;
        default:
                return FALSE;
        }
}

gboolean ftp_string_has_ctrl(const char *s)
{
        return s && strpbrk(s, "\r\n") != NULL;
}

/* Always FALSE: CR, LF (or NUL) in an argument could smuggle a second command onto the wire. */
static gboolean refuse_ctrl(GError **error)
{
        g_set_error_literal(error, FTP_ERROR, FTP_ERROR_BAD_ARGUMENT,
                            _("A name or argument holds a line break (CR or LF): nothing was sent."));
        return FALSE;
}

void ftp_session_set_refused(GError **error, const char *what, const FtpReply *reply)
{
        g_set_error(error, FTP_ERROR, FTP_ERROR_REFUSED, _("%s: the server answered %d %s"), what, reply->code,
                    reply->shown);
}

/* ---- the control connection: one writer, one reader, one place for 421/EOF/timeouts ---- */

void ftp_session_fail_closed(FtpSession *s, GError **error, int code, const char *why)
{
        ftp_session_drop(s);
        g_set_error(error, FTP_ERROR, code, _("%s The connection to %s is closed: use `open` to reconnect."), why,
                    s->host ? s->host : "?");
}

void ftp_session_drop_open_hint(FtpSession *s, GError *error)
{
        if (!error)
                return;
        g_autofree char *hint = g_strdup_printf(_("%s The connection to %s is closed: use `open` to reconnect."), "",
                                                s->host ? s->host : "?");
        if (g_str_has_suffix(error->message, hint))
                error->message[strlen(error->message) - strlen(hint)] = '\0';
}

/* Turns a failed reply read into the session's error; every failure but cancel closes the session. */
static void reply_failure(FtpSession *s, GError *err, GError **error)
{
        g_autoptr(GError) owned = err;
        g_autofree char *why = NULL;
        if (err->domain == NET_ERROR && err->code == NET_ERROR_CANCELLED) {
                s->owed_replies++; /* the server will still answer: that reply must not answer the next command */
                g_set_error_literal(error, FTP_ERROR, FTP_ERROR_CANCELLED, _("Cancelled."));
                return;
        }
        if ((err->domain == FTP_REPLY_ERROR && err->code == FTP_REPLY_ERROR_TIMEOUT) ||
            (err->domain == NET_ERROR && err->code == NET_ERROR_TIMEOUT)) {
                why = g_strdup_printf(_("Timed out: the server sent no complete reply within %d s."),
                                      (s->timeouts.reply_ms + 999) / 1000);
                ftp_session_fail_closed(s, error, FTP_ERROR_TIMEOUT, why);
                return;
        }
        if (g_error_matches(err, FTP_REPLY_ERROR, FTP_REPLY_ERROR_CLOSED) ||
            g_error_matches(err, NET_ERROR, NET_ERROR_CLOSED)) {
                ftp_session_fail_closed(s, error, FTP_ERROR_CLOSED, _("The server closed the connection."));
                return;
        }
        if (err->domain == NET_ERROR) {
                why = g_strdup_printf(_("The connection failed (%s)."), err->message);
                ftp_session_fail_closed(s, error, FTP_ERROR_CLOSED, why);
                return;
        }
        /* too large, too long, malformed: the reader's message already says to reconnect */
        ftp_session_drop(s);
        g_set_error_literal(error, FTP_ERROR, FTP_ERROR_PROTOCOL, err->message);
}

/* TRUE when REPLY is a late answer to an ABOR and a command's own reply follows it (read on).
 * No FTP command other than ABOR answers first with 225, 226 or 426, so such a reply read while
 * the ABOR's answers are owed is one of them; any other reply means the server owes no more. A
 * late answer read with no command sent since (the idle check) is returned: it is dropped there. */
static gboolean late_abor_answer(FtpSession *s, const FtpReply *reply)
{
        if (s->abor_owed == 0)
                return FALSE;
        if (reply->code != 225 && reply->code != 226 && reply->code != 426) {
                s->abor_owed = 0;
                s->sent_while_owed = FALSE;
                return FALSE;
        }
        s->abor_owed--;
        gboolean sent = s->sent_while_owed;
        if (s->abor_owed == 0)
                s->sent_while_owed = FALSE;
        if (sent)
                ftp_session_trace(s, "(discarded the late answer %d to ABOR)", reply->code);
        return sent;
}

FtpReply *ftp_session_read_reply(FtpSession *s, gint64 deadline, int cancel_fd, GError **error)
{
        if (!s->ctrl) {
                g_set_error_literal(error, FTP_ERROR, FTP_ERROR_NOT_CONNECTED, _("Not connected: use `open` first."));
                return NULL;
        }
        FtpReply *reply = NULL;
        do {
                ftp_reply_free(reply);
                GError *err = NULL;
                reply = ftp_reply_read(s->parser, s->ctrl, deadline, cancel_fd, &err);
                if (!reply) {
                        reply_failure(s, err, error);
                        return NULL;
                }
                for (guint i = 0; i < reply->lines->len; i++)
                        ftp_session_trace(s, "<-- %s", (const char *)g_ptr_array_index(reply->lines, i));
        } while (late_abor_answer(s, reply));
        if (reply->code == 421) {
                g_autofree char *why = g_strdup_printf(_("The server closed the connection (421 %s)."),
                                                       reply->shown);
                ftp_reply_free(reply);
                ftp_session_fail_closed(s, error, FTP_ERROR_CLOSED, why);
                return NULL;
        }
        if (reply->code == 500 && s->logged_in && reply->text && g_str_has_prefix(reply->text, "OOPS")) {
                /* vsftpd's fatal error (a passive port it could not bind, …): it hangs up right
                 * after, so the session is gone whatever command this answered */
                g_autofree char *why = g_strdup_printf(_("The server failed and ended the session (500 %s)."),
                                                       reply->shown);
                ftp_reply_free(reply);
                ftp_session_fail_closed(s, error, FTP_ERROR_CLOSED, why);
                return NULL;
        }
        return reply;
}

FtpReply *ftp_session_read_next(FtpSession *s, GError **error)
{
        return ftp_session_read_reply(s, net_deadline_in_ms(s->timeouts.reply_ms), s->cancel_fd, error);
}

gboolean ftp_session_send(FtpSession *s, const char *verb, const char *arg, GError **error)
{
        if (!s->ctrl) {
                g_set_error_literal(error, FTP_ERROR, FTP_ERROR_NOT_CONNECTED, _("Not connected: use `open` first."));
                return FALSE;
        }
        if (ftp_string_has_ctrl(verb) || ftp_string_has_ctrl(arg))
                return refuse_ctrl(error);
        g_autoptr(GString) line = g_string_new(verb);
        if (arg) {
                g_string_append_c(line, ' ');
                for (const char *p = arg; *p; p++) {
                        if ((guchar)*p == 0xff) /* Telnet IAC must be doubled */
                                g_string_append_c(line, *p);
                        g_string_append_c(line, *p);
                }
        }
        if (s->abor_owed > 0)
                s->sent_while_owed = TRUE;
        gboolean secret = g_ascii_strcasecmp(verb, "PASS") == 0 || g_ascii_strcasecmp(verb, "ACCT") == 0;
        ftp_session_trace(s, "--> %s%s", secret ? verb : line->str, secret ? " ****" : "");
        g_string_append(line, "\r\n");
        GError *err = NULL;
        if (!net_stream_write_all(s->ctrl, line->str, line->len, net_deadline_in_ms(s->timeouts.reply_ms), -1,
                                  &err)) {
                reply_failure(s, err, error);
                return FALSE;
        }
        return TRUE;
}

static gboolean reply_waiting(FtpSession *s)
{
        if (ftp_reply_parser_pending(s->parser) > 0)
                return TRUE;
        return net_stream_wait_readable(s->ctrl, g_get_monotonic_time(), -1, NULL);
}

/* NOOP, then discard everything up to its 200: the next command gets its own reply again. */
static gboolean resync(FtpSession *s, GError **error)
{
        if (!ftp_session_send(s, "NOOP", NULL, error))
                return FALSE;
        for (int i = 0; i < MAX_RESYNC_REPLIES; i++) {
                g_autoptr(FtpReply) reply = ftp_session_read_next(s, error);
                if (!reply)
                        return FALSE;
                if (reply->code == 200)
                        return TRUE;
                ftp_session_trace(s, "(discarded reply %d while resynchronising)", reply->code);
        }
        ftp_session_fail_closed(s, error, FTP_ERROR_PROTOCOL, _("The server keeps sending replies nobody asked for."));
        return FALSE;
}

/* Reads the replies that cancelled waits left behind (a 1xx is followed by one more). */
static gboolean settle_owed(FtpSession *s, GError **error)
{
        while (s->owed_replies > 0) {
                guint owed = s->owed_replies;
                g_autoptr(FtpReply) late = ftp_session_read_next(s, error);
                if (!late) {
                        s->owed_replies = MIN(s->owed_replies, owed); /* a cancel here owes nothing new */
                        return FALSE;
                }
                ftp_session_trace(s, "(discarded the late reply %d to a cancelled command)", late->code);
                if (ftp_reply_class(late) != 1)
                        s->owed_replies--;
        }
        return TRUE;
}

/* A reply nobody asked for (a late 226 after ABOR, a stray 2xx) must never answer the next command:
 * each one waiting is read and dropped, then (resync) NOOP brings the exchange back in step. */
static gboolean discard_unsolicited(FtpSession *s, gboolean resync_after, GError **error)
{
        for (int round = 0; round < MAX_RESYNC_REPLIES && reply_waiting(s); round++) {
                g_autoptr(FtpReply) stray = ftp_session_read_next(s, error);
                if (!stray)
                        return FALSE;
                ftp_session_trace(s, "(discarded unsolicited reply %d)", stray->code);
                if (resync_after && !resync(s, error))
                        return FALSE;
        }
        return TRUE;
}

gboolean ftp_session_check_alive(FtpSession *s, GError **error)
{
        if (!s->ctrl || s->owed_replies > 0)
                return s->ctrl != NULL;
        /* only what is already there is read: no NOOP, so a server that stalls does not stall the
         * check (the next exchange resynchronises as always) */
        if (discard_unsolicited(s, FALSE, error))
                return TRUE;
        ftp_session_drop_open_hint(s, error ? *error : NULL);
        return FALSE;
}

FtpReply *ftp_session_exchange(FtpSession *s, const char *verb, const char *arg, GError **error)
{
        if (!s->ctrl) {
                g_set_error_literal(error, FTP_ERROR, FTP_ERROR_NOT_CONNECTED, _("Not connected: use `open` first."));
                return NULL;
        }
        if (ftp_string_has_ctrl(verb) || ftp_string_has_ctrl(arg)) {
                refuse_ctrl(error);
                return NULL;
        }
        if (!settle_owed(s, error) || !discard_unsolicited(s, TRUE, error))
                return NULL;
        if (!ftp_session_send(s, verb, arg, error))
                return NULL;
        return ftp_session_read_next(s, error);
}

FtpReply *ftp_session_exchange_final(FtpSession *s, const char *verb, const char *arg, GError **error)
{
        FtpReply *reply = ftp_session_exchange(s, verb, arg, error);
        for (int i = 0; reply && ftp_reply_class(reply) == 1; i++) {
                ftp_reply_free(reply);
                if (i == MAX_PRELIMINARY) {
                        ftp_session_fail_closed(s, error, FTP_ERROR_PROTOCOL, _("The server sent preliminary replies without end."));
                        return NULL;
                }
                reply = ftp_session_read_next(s, error);
        }
        return reply;
}

gboolean ftp_session_ensure_type(FtpSession *s, FtpType type, GError **error)
{
        if (s->sent_type == (int)type)
                return TRUE;
        g_autoptr(FtpReply) reply = ftp_session_exchange_final(s, "TYPE", type == FTP_TYPE_ASCII ? "A" : "I", error);
        if (!reply)
                return FALSE;
        if (ftp_reply_class(reply) != 2) {
                ftp_session_set_refused(error, type == FTP_TYPE_ASCII ? _("ASCII mode") : _("Binary mode"), reply);
                return FALSE;
        }
        s->sent_type = type;
        return TRUE;
}

void ftp_session_quit(FtpSession *s)
{
        if (!s->ctrl)
                return;
        if (ftp_session_send(s, "QUIT", NULL, NULL)) {
                g_autoptr(FtpReply) reply = ftp_session_read_reply(s, net_deadline_in_ms(QUIT_MS), -1, NULL);
        }
        if (s->ctrl)
                net_stream_close_notify(s->ctrl, net_deadline_in_ms(QUIT_MS), NULL);
        ftp_session_drop(s);
        g_clear_pointer(&s->lost, ftp_session_profile_free); /* closed on purpose */
}

/* ---- simple commands: one exchange, a 2xx (or the code named) means done ---- */

static gboolean simple(FtpSession *s, const char *verb, const char *arg, int want, const char *what,
                       GError **error)
{
        g_autoptr(FtpReply) reply = ftp_session_exchange_final(s, verb, arg, error);
        if (!reply)
                return FALSE;
        if (want ? reply->code != want : ftp_reply_class(reply) != 2) {
                ftp_session_set_refused(error, what, reply);
                return FALSE;
        }
        return TRUE;
}

gboolean ftp_session_noop(FtpSession *s, GError **error)
{
        return simple(s, "NOOP", NULL, 0, _("Keep-alive (NOOP)"), error);
}

gboolean ftp_session_pause(FtpSession *s, guint ms, GError **error)
{
        gint64 deadline = g_get_monotonic_time() + (gint64)ms * 1000;
        for (;;) {
                gint64 left = (deadline - g_get_monotonic_time()) / 1000;
                if (left <= 0)
                        return TRUE;
                struct pollfd pfd = { .fd = s->cancel_fd, .events = POLLIN };
                int n = poll(&pfd, s->cancel_fd >= 0 ? 1 : 0, (int)MIN(left, G_MAXINT));
                if (n > 0) {
                        g_set_error_literal(error, FTP_ERROR, FTP_ERROR_CANCELLED, _("Cancelled."));
                        return FALSE;
                }
                if (n < 0 && errno != EINTR) {
                        g_set_error(error, FTP_ERROR, FTP_ERROR_CANCELLED, _("Waiting failed: %s"), g_strerror(errno));
                        return FALSE;
                }
        }
}

char *ftp_session_pwd(FtpSession *s, GError **error)
{
        g_autoptr(FtpReply) reply = ftp_session_exchange_final(s, "PWD", NULL, error);
        if (!reply)
                return NULL;
        if (reply->code != 257) {
                ftp_session_set_refused(error, _("Asking for the current directory"), reply);
                return NULL;
        }
        char *path = ftp_parse_pwd(reply->text);
        if (!path) {
                g_set_error(error, FTP_ERROR, FTP_ERROR_PROTOCOL,
                            _("The server's answer to PWD holds no usable directory name (%s)."), reply->shown);
                return NULL;
        }
        g_free(s->cwd);
        s->cwd = g_strdup(path);
        return path;
}

/* After CWD/CDUP the known directory is refreshed; an unknown one is not an error. */
static void refresh_cwd(FtpSession *s)
{
        g_autoptr(GError) ignored = NULL;
        g_autofree char *path = ftp_session_pwd(s, &ignored);
        if (!path)
                g_clear_pointer(&s->cwd, g_free);
}

gboolean ftp_session_cwd_to(FtpSession *s, const char *path, GError **error)
{
        g_autofree char *what = g_strdup_printf(_("Changing directory to “%s”"), path);
        if (!simple(s, "CWD", path, 0, what, error))
                return FALSE;
        refresh_cwd(s);
        return TRUE;
}

gboolean ftp_session_cdup(FtpSession *s, GError **error)
{
        if (!simple(s, "CDUP", NULL, 0, _("Changing to the parent directory"), error))
                return FALSE;
        refresh_cwd(s);
        return TRUE;
}

gboolean ftp_session_mkdir(FtpSession *s, const char *path, GError **error)
{
        g_autofree char *what = g_strdup_printf(_("Creating directory “%s”"), path);
        return simple(s, "MKD", path, 0, what, error);
}

gboolean ftp_session_rmdir(FtpSession *s, const char *path, GError **error)
{
        g_autofree char *what = g_strdup_printf(_("Removing directory “%s”"), path);
        return simple(s, "RMD", path, 0, what, error);
}

gboolean ftp_session_delete(FtpSession *s, const char *path, GError **error)
{
        g_autofree char *what = g_strdup_printf(_("Deleting “%s”"), path);
        return simple(s, "DELE", path, 0, what, error);
}

gboolean ftp_session_chmod(FtpSession *s, guint mode, const char *path, GError **error)
{
        g_return_val_if_fail(mode <= 07777, FALSE);
        g_autofree char *what = g_strdup_printf(_("Changing the mode of “%s”"), path);
        g_autofree char *arg = g_strdup_printf("CHMOD %04o %s", mode, path);
        return simple(s, "SITE", arg, 0, what, error);
}

gboolean ftp_session_rename(FtpSession *s, const char *from, const char *to, GError **error)
{
        if (ftp_string_has_ctrl(to)) /* refuse before RNFR, so that nothing at all is sent */
                return refuse_ctrl(error);
        g_autofree char *what = g_strdup_printf(_("Renaming “%s” to “%s”"), from, to);
        if (!simple(s, "RNFR", from, 350, what, error))
                return FALSE;
        return simple(s, "RNTO", to, 0, what, error);
}

gboolean ftp_session_size(FtpSession *s, const char *path, gint64 *size, GError **error)
{
        if (ftp_string_has_ctrl(path))
                return refuse_ctrl(error);
        if (!ftp_session_ensure_type(s, FTP_TYPE_BINARY, error)) /* servers refuse SIZE in ASCII mode */
                return FALSE;
        g_autoptr(FtpReply) reply = ftp_session_exchange_final(s, "SIZE", path, error);
        if (!reply)
                return FALSE;
        g_autofree char *what = g_strdup_printf(_("Size of “%s”"), path);
        if (reply->code != 213 || !ftp_parse_size(reply->text, size)) {
                ftp_session_set_refused(error, what, reply);
                return FALSE;
        }
        return TRUE;
}

gboolean ftp_session_mdtm(FtpSession *s, const char *path, gint64 *unix_time, GError **error)
{
        g_autoptr(FtpReply) reply = ftp_session_exchange_final(s, "MDTM", path, error);
        if (!reply)
                return FALSE;
        g_autofree char *what = g_strdup_printf(_("Modification time of “%s”"), path);
        if (reply->code != 213 || !ftp_parse_mdtm(reply->text, unix_time)) {
                ftp_session_set_refused(error, what, reply);
                return FALSE;
        }
        return TRUE;
}

gboolean ftp_session_mfmt(FtpSession *s, const char *path, gint64 unix_time, GError **error)
{
        g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc(unix_time);
        if (!when) {
                g_set_error_literal(error, FTP_ERROR, FTP_ERROR_BAD_ARGUMENT, _("The time is out of range."));
                return FALSE;
        }
        g_autofree char *stamp = g_date_time_format(when, "%Y%m%d%H%M%S");
        g_autofree char *arg = g_strdup_printf("%s %s", stamp, path);
        g_autoptr(FtpReply) reply = ftp_session_exchange_final(s, "MFMT", arg, error);
        if (!reply)
                return FALSE;
        if (reply->code != 213) {
                g_autofree char *what = g_strdup_printf(_("Setting the modification time of “%s”"), path);
                ftp_session_set_refused(error, what, reply);
                return FALSE;
        }
        return TRUE;
}

FtpReply *ftp_session_command(FtpSession *s, const char *command, GError **error)
{
        if (!command || !*command) {
                g_set_error_literal(error, FTP_ERROR, FTP_ERROR_BAD_ARGUMENT, _("No command given."));
                return NULL;
        }
        return ftp_session_exchange_final(s, command, NULL, error);
}
