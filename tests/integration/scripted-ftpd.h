/* tests/integration/scripted-ftpd.h — a misbehaving FTP server for the engine's tests: a GLib
 * thread on a loopback port that runs one C function (the script) against one client, in plain
 * FTP or over TLS.
 * Must not: block without a deadline; every read, accept and handshake ends within a few seconds. */
#pragma once
#include <glib.h>

typedef struct ScriptedConn ScriptedConn;
typedef void (*ScriptFunc)(ScriptedConn *conn, gpointer data);

typedef struct ScriptedFtpd ScriptedFtpd;
/* Listens on 127.0.0.1 (a free port) and runs `script` on the first connection in a thread. */
ScriptedFtpd *scripted_ftpd_start(ScriptFunc script, gpointer data);
guint16 scripted_ftpd_port(const ScriptedFtpd *server);
/* Joins the thread; returns the script's first failure (NULL when every expectation held). */
char *scripted_ftpd_finish(ScriptedFtpd *server); /* transfer full */

/* Inside a script. Each returns FALSE when the client went away (the script should stop). */
gboolean scripted_send(ScriptedConn *conn, const char *text);
/* Reads one command line (CRLF stripped); NULL at EOF or after 5 s. */
char *scripted_read_line(ScriptedConn *conn); /* transfer full */
/* Reads one line and records a failure unless it starts with `prefix`. */
gboolean scripted_expect(ScriptedConn *conn, const char *prefix);
/* 220, (AUTH → 502 when the client asks,) USER → 331, PASS → 230, FEAT → (features lines, may
 * be ""), PWD → 257 "/". */
gboolean scripted_login(ScriptedConn *conn, const char *features);
void scripted_fail(ScriptedConn *conn, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* A dialogue as a table, one row a step (as curl's tests/data/test* files are):
 *   client  the start of the line the client must send next; NULL: the server speaks unasked
 *   reply   what the server answers (NULL: nothing); "{port}" stands for the port of the data
 *           listener the dialogue shares, "{p1}" and "{p2}" for its two bytes (a 227 reply)
 *   data    when set: after the reply, one data connection on that listener carries these bytes
 *           and is closed
 * A table ends with SCRIPTED_END. */
typedef struct {
        const char *client;
        const char *reply;
        const char *data;
} ScriptedStep;
#define SCRIPTED_END { NULL, NULL, NULL }
/* Plays the steps in order; FALSE (the failure recorded) when the client went away, sent another
 * line, or did not open a data connection a step serves. */
gboolean scripted_play(ScriptedConn *conn, const ScriptedStep *steps);
/* The next data connection on the dialogue's listener (-1, with the failure recorded, when the
 * client opens none): for steps whose data a table cannot say (a stalled or endless transfer). */
int scripted_play_accept(ScriptedConn *conn);

/* Data connections (besides scripted_play's listener): a connection to 127.0.0.1:port from the
 * local address `from_ip` (e.g. "127.0.0.2"), for active mode. */
int scripted_data_connect(const char *from_ip, guint16 port);
gboolean scripted_data_send(int fd, const char *data, gsize len);

/* TLS: a self-signed certificate (EC P-256, CN `common_name`, IP 127.0.0.1) made in memory, with
 * a server context that resumes the sessions it issued (TLS 1.2 and 1.3 tickets), and a second
 * one with the same certificate that resumes nothing (a server that lost the session). */
typedef struct ScriptedTls ScriptedTls;
ScriptedTls *scripted_tls_new(const char *common_name);
void scripted_tls_free(ScriptedTls *tls);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScriptedTls, scripted_tls_free)
const char *scripted_tls_fingerprint(const ScriptedTls *tls); /* "AB:CD:…", SHA-256 */
/* The key-exchange groups the server accepts, e.g. "P-256" (as vsftpd). */
void scripted_tls_set_groups(ScriptedTls *tls, const char *groups);
/* The control handshake (after sending 234): from then on every read and send is TLS. */
gboolean scripted_start_tls(ScriptedConn *conn, ScriptedTls *tls);
/* 220, AUTH TLS → 234 and the handshake, USER → 331, PASS → 230, PBSZ 0, PROT P, FEAT (EPSV),
 * PWD → 257 "/". */
gboolean scripted_login_tls(ScriptedConn *conn, ScriptedTls *tls);
/* Closes this control connection and accepts the client's next one (a reconnect). */
gboolean scripted_accept_next(ScriptedConn *conn);

/* A TLS data connection on an accepted fd (taken over): the handshake with the resuming context,
 * or with the one that resumes nothing; NULL when the handshake failed. */
typedef struct ScriptedTlsData ScriptedTlsData;
ScriptedTlsData *scripted_data_tls_accept(ScriptedTls *tls, int fd, gboolean resumable);
gboolean scripted_data_tls_resumed(const ScriptedTlsData *data);
/* ClientHello messages in the handshake: 2 when the server had to ask for another key share. */
guint scripted_data_tls_client_hellos(const ScriptedTlsData *data);
gboolean scripted_data_tls_send(ScriptedTlsData *data, const char *bytes, gsize len);
/* Everything until the client ends; *close_notify says whether it ended TLS properly. */
GBytes *scripted_data_tls_receive(ScriptedTlsData *data, gboolean *close_notify); /* transfer full */
void scripted_data_tls_close(ScriptedTlsData *data); /* without close_notify, as a dying server */
