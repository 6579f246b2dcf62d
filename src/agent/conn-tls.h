/* agent/conn-tls.h — TLS on clamav-agent's TCP listener (TLSCertificateFile, TLSKeyFile,
 * TLSClientCA): the server context, the bounded handshake, and reading and writing one
 * connection through it. Owns: every OpenSSL call of the agent. Must not: parse commands, accept
 * connections or own threads (server.c and session.c do). */
#pragma once
#include <glib.h>
#include "agent/conf.h"

/* The reply a client that does not speak TLS gets on a TLS listener (then the connection
 * closes): plain text, NUL-terminated after a z-command, else newline-terminated, so clamdscan
 * shows it. Not translated: a protocol reply. */
#define AGENT_REPLY_TLS_REQUIRED "This port requires TLS (clamdscan cannot speak TLS). ERROR"

typedef struct AgentTls AgentTls;
typedef struct AgentTlsConn AgentTlsConn;

/* The server context of conf's TLS settings: certificate and key (checked against each other),
 * TLS 1.2 at least, and with TLSClientCA a client certificate from that CA required. NULL with
 * an AGENT_ERROR_CONFIG error that names the file at fault. Reference-counted: a reload replaces
 * the server's while handshakes may still use the old one. transfer full */
AgentTls *agent_tls_new(const AgentConf *conf, GError **error);
AgentTls *agent_tls_ref(AgentTls *tls);
void agent_tls_unref(AgentTls *tls);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AgentTls, agent_tls_unref)
gboolean agent_tls_requires_client_cert(const AgentTls *tls);

/* The server side of the handshake on fd (set non-blocking here), finished by deadline (a
 * monotonic time) or abandoned when stop_fd becomes readable. A client whose first byte is not
 * a TLS record gets AGENT_REPLY_TLS_REQUIRED in plain text. NULL with an error saying why (for
 * the log); fd stays the caller's to close either way. transfer full */
AgentTlsConn *agent_tls_accept(AgentTls *tls, int fd, gint64 deadline, int stop_fd, GError **error);
/* Sends close_notify without waiting, and frees the connection (not its fd). */
void agent_tls_conn_free(AgentTlsConn *conn);
/* "TLSv1.3 TLS_AES_256_GCM_SHA384 [resumed] client CN=…" for the log ("resumed": a session
 * ticket spared the full handshake). transfer full */
char *agent_tls_conn_describe(AgentTlsConn *conn);

typedef enum {
        AGENT_IO_OK,    /* *done bytes moved */
        AGENT_IO_EOF,   /* the client ended the stream (close_notify or a plain close) */
        AGENT_IO_WAIT,  /* nothing yet: poll the fd for *events, then call again */
        AGENT_IO_ERROR, /* the connection is broken */
} AgentIoStatus;

/* One SSL_read or SSL_write without blocking. With AGENT_IO_WAIT, *events is POLLIN or POLLOUT
 * (TLS may need to write while reading, and the reverse). */
AgentIoStatus agent_tls_conn_recv(AgentTlsConn *conn, void *buf, gsize cap, gsize *done,
                                  short *events);
AgentIoStatus agent_tls_conn_send(AgentTlsConn *conn, const void *buf, gsize len, gsize *done,
                                  short *events);
