/* tests/integration/ftpd-fixture.h — real FTP servers for the engine's tests: pyftpdlib (virtual
 * user, MLSD) and vsftpd (real account, no MLSD), each on a free loopback port in a private dir.
 * Must not: touch the system's vsftpd or its config, or stop processes it did not start. */
#pragma once
#include <glib.h>

typedef enum { FTPD_PYFTPDLIB, FTPD_VSFTPD } FtpdKind;

typedef struct {
        FtpdKind kind;
        const char *name;        /* "pyftpdlib", "vsftpd" */
        char *skip_reason;       /* set when the server cannot run here: tests skip with it */
        GPid pid;
        guint16 port;
        char *dir;               /* private temp dir (removed at the end) */
        char *root;              /* what the server serves */
        const char *user;
        const char *password;
        gboolean has_mlsd;
        gboolean converts_ascii; /* the server itself turns CRLF into LF (and back) in TYPE A */
} Ftpd;

Ftpd *ftpd_start(FtpdKind kind);
void ftpd_stop(Ftpd *ftpd);

/* A port nobody listens on right now (bound to 127.0.0.1:0 and released). */
guint16 ftpd_free_port(void);
/* Writes `len` bytes of `data` as root/name (owned by the server's account). */
void ftpd_put_file(const Ftpd *ftpd, const char *name, const char *data, gsize len);
/* The contents of root/name (NULL if missing). */
GBytes *ftpd_get_file(const Ftpd *ftpd, const char *name);
