/* tests/integration/scripted-ftpd.h — a misbehaving FTP server for the engine's tests: a GLib
 * thread on a loopback port that runs one C function (the script) against one client.
 * Must not: block without a deadline; every read and accept ends within a few seconds. */
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

/* Data connections: a listener on 127.0.0.1 (port returned), an accept with a 5 s deadline, and
 * a connection to 127.0.0.1:port from the local address `from_ip` (e.g. "127.0.0.2"). */
int scripted_data_listen(guint16 *port);
int scripted_data_accept(int listen_fd);
int scripted_data_connect(const char *from_ip, guint16 port);
gboolean scripted_data_send(int fd, const char *data, gsize len);
