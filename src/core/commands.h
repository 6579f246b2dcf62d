/* core/commands.h — private to src/core: the command handlers the table in cmd.c points to,
 * and the small helpers they share. Must not: be included outside src/core (the TUI uses cmd.h). */
#pragma once
#include <glib.h>
#include "core/context.h"
#include "core/options.h"
#include "ftp/session.h"

#define CORE_CMD_HANDLER(fn) gboolean fn(CoreContext *ctx, int argc, char **argv, GError **error)

/* commands-connection.c */
CORE_CMD_HANDLER(core_cmd_open);
CORE_CMD_HANDLER(core_cmd_close);
CORE_CMD_HANDLER(core_cmd_quit);
CORE_CMD_HANDLER(core_cmd_user);
CORE_CMD_HANDLER(core_cmd_quote);

/* commands-sites.c */
CORE_CMD_HANDLER(core_cmd_site);

/* commands-remote.c */
CORE_CMD_HANDLER(core_cmd_ls);
CORE_CMD_HANDLER(core_cmd_cd);
CORE_CMD_HANDLER(core_cmd_cdup);
CORE_CMD_HANDLER(core_cmd_pwd);
CORE_CMD_HANDLER(core_cmd_mkdir);
CORE_CMD_HANDLER(core_cmd_chmod);
CORE_CMD_HANDLER(core_cmd_set);
CORE_CMD_HANDLER(core_cmd_lchmod);
CORE_CMD_HANDLER(core_cmd_rmdir);
CORE_CMD_HANDLER(core_cmd_delete);
CORE_CMD_HANDLER(core_cmd_rename);
CORE_CMD_HANDLER(core_cmd_size);
CORE_CMD_HANDLER(core_cmd_put);
CORE_CMD_HANDLER(core_cmd_queue);
CORE_CMD_HANDLER(core_cmd_reput);
CORE_CMD_HANDLER(core_cmd_mput);
CORE_CMD_HANDLER(core_cmd_get);
CORE_CMD_HANDLER(core_cmd_mget);

/* commands-local.c */
CORE_CMD_HANDLER(core_cmd_lcd);
CORE_CMD_HANDLER(core_cmd_lpwd);
CORE_CMD_HANDLER(core_cmd_lls);
CORE_CMD_HANDLER(core_cmd_scan);

/* commands-settings.c */
CORE_CMD_HANDLER(core_cmd_ascii);
CORE_CMD_HANDLER(core_cmd_binary);
CORE_CMD_HANDLER(core_cmd_prompt);
CORE_CMD_HANDLER(core_cmd_passive);
CORE_CMD_HANDLER(core_cmd_parallel);
CORE_CMD_HANDLER(core_cmd_reconnect);
CORE_CMD_HANDLER(core_cmd_mirror);
CORE_CMD_HANDLER(core_cmd_temp_upload);
CORE_CMD_HANDLER(core_cmd_verbose);
CORE_CMD_HANDLER(core_cmd_status);
CORE_CMD_HANDLER(core_cmd_help);

/* Connects, applies the context's settings and logs in (netrc, then the front end's prompts for
 * whatever is missing). user/password may be NULL. Used by `open` and by a URL on the command line. */
gboolean core_connect(CoreContext *ctx, const char *host, guint16 port, const char *user,
                      const char *password, GError **error);
/* The same with TLS from the first byte when implicit_tls (ftps://; port 990 always is). Under
 * ctx->tls_policy; a certificate that does not verify is accepted only by a fingerprint from the
 * trust file or --trust-fingerprint, or (ctx->ask_certificates) by the user's answer. */
gboolean core_connect_tls(CoreContext *ctx, const char *host, guint16 port, gboolean implicit_tls,
                          const char *user, const char *password, GError **error);
/* What a connection is opened to: core_connect_tls's arguments, with the TLS policy (a saved
 * site has its own) and a saved site's pinned certificate fingerprint. */
typedef struct {
        const char *host;
        guint16 port;
        gboolean implicit_tls;
        FtpTlsPolicy tls_policy;
        const char *user;
        const char *password;
        const char *pinned;   /* accepted although it does not verify; another one is refused loudly */
        char *trusted_now;    /* out (free it): the fingerprint the user's answer or --trust-fingerprint
                                 accepted during this connect, NULL when none was */
} CoreConnectSpec;
gboolean core_connect_spec(CoreContext *ctx, CoreConnectSpec *spec, GError **error);
/* Where the connection is, as `site add NAME` saves it: the remote directory, and the fingerprint
 * of a certificate accepted by its fingerprint (NULL when it verified, or without TLS). */
gboolean core_connection_where(CoreContext *ctx, char **remote_dir, char **pinned, GError **error);
/* `open NAME` of a saved site (commands-sites.c): *found FALSE (and TRUE returned) when there is
 * no site of that name, so that NAME is taken for a host. */
gboolean core_site_open(CoreContext *ctx, const char *name, gboolean *found, GError **error);
/* core_connect_tls to the URL's host, then `cd` to its path: `open URL` and a URL argument. */
gboolean core_connect_url(CoreContext *ctx, const CoreUrl *url, GError **error);
/* Before a command that needs the connection: when the server dropped it while it was logged in
 * (an idle timeout, a restart) and `reconnect` is on, logs in again the same way, at once and
 * then 1, 2, 4 … s apart (ctx->reconnect tries), saying so. FALSE (FTP_ERROR_CLOSED) when it
 * could not; TRUE when nothing was to be done. */
gboolean core_connection_ensure(CoreContext *ctx, GError **error);
/* Re-reads the session's security summary into ctx->security. */
void core_connection_refresh_security(CoreContext *ctx);
/* Pushes prompt-independent settings (passive, type, timeouts, trace) to the session. */
gboolean core_apply_settings(CoreContext *ctx, GError **error);
/* Expands each of `args` (NULL-terminated) with core_glob_expand_local (a plain name stays as it
 * is, even when missing; a pattern that matches nothing is a warning). char*, transfer full */
GPtrArray *core_expand_local_args(CoreContext *ctx, char **args);
/* Formats one listing entry the way `ls` prints it (name escaped). transfer full */
char *core_format_entry(const FtpEntry *entry);
