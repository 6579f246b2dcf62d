/* core/trust.c — the trusted-certificates file and the decision on a certificate that does not
 * verify. Owns: the file's format ("host:port AB:CD:…" lines, # comments), the loud refusal of a
 * changed certificate. Must not: talk to servers, or trust anything the user did not choose. */
#include "common/i18n.h"
#include "core/trust.h"
#include "core/cmd.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

char *core_trust_file(void)
{
        return g_build_filename(g_get_user_data_dir(), "clamftp", "trusted-certs", NULL);
}

static char *config_trust_file(void)
{
        return g_build_filename(g_get_user_config_dir(), "clamftp", "trusted-certs", NULL);
}

static char *server_key(const char *host, guint16 port)
{
        return strchr(host, ':') ? g_strdup_printf("[%s]:%u", host, port) : g_strdup_printf("%s:%u", host, port);
}

/* The fingerprint for `key` in one file, or NULL. */
static char *lookup_in(const char *path, const char *key)
{
        g_autofree char *text = NULL;
        if (!g_file_get_contents(path, &text, NULL, NULL))
                return NULL;
        g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
        char *found = NULL;
        for (char **l = lines; *l; l++) {
                g_auto(GStrv) fields = g_strsplit_set(g_strstrip(*l), " \t", 2);
                if (!fields[0] || fields[0][0] == '#' || !fields[1] || !g_str_equal(fields[0], key))
                        continue;
                g_free(found);
                found = tls_fingerprint_normalise(g_strstrip(fields[1])); /* the last line wins */
        }
        return found;
}

char *core_trust_lookup(const char *host, guint16 port)
{
        g_autofree char *key = server_key(host, port);
        g_autofree char *data = core_trust_file();
        char *fp = lookup_in(data, key);
        if (fp)
                return fp;
        g_autofree char *config = config_trust_file();
        return lookup_in(config, key);
}

gboolean core_trust_store(const char *host, guint16 port, const char *sha256, GError **error)
{
        g_autofree char *path = core_trust_file();
        g_autofree char *dir = g_path_get_dirname(path);
        g_autofree char *key = server_key(host, port);
        if (g_mkdir_with_parents(dir, 0700) < 0) {
                g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_FAILED, _("Cannot create %s: %s"), dir,
                            g_strerror(errno));
                return FALSE;
        }
        g_autofree char *old = NULL;
        g_autoptr(GString) out = g_string_new(NULL);
        if (g_file_get_contents(path, &old, NULL, NULL)) {
                g_auto(GStrv) lines = g_strsplit(old, "\n", -1);
                for (char **l = lines; *l; l++) {
                        g_autofree char *first = g_strdup(*l);
                        char *sp = strpbrk(g_strstrip(first), " \t");
                        if (sp)
                                *sp = '\0';
                        if (**l && !g_str_equal(first, key))
                                g_string_append_printf(out, "%s\n", *l);
                }
        } else {
                g_string_append(out, "# clamftp: certificates accepted by their SHA-256 fingerprint (host:port fingerprint)\n");
        }
        g_string_append_printf(out, "%s %s\n", key, sha256);
        g_autoptr(GError) local = NULL;
        if (!g_file_set_contents_full(path, out->str, (gssize)out->len, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                      &local)) {
                g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_FAILED, _("Cannot store the certificate's fingerprint: %s"),
                            local->message);
                return FALSE;
        }
        return TRUE;
}

static gboolean refuse_changed(const char *key, const char *stored, const TlsPeerInfo *cert, GError **error)
{
        g_autofree char *details = tls_peer_info_describe(cert);
        g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_FAILED,
                    _("WARNING: THE CERTIFICATE OF %s HAS CHANGED. Someone may be intercepting the connection; "
                      "it was refused and nothing was sent.\nTrusted before: SHA-256 %s\nShown now (%s):\n%s\n"
                      "Only if the server's administrator confirms the new certificate, connect once with "
                      "--trust-fingerprint %s."),
                    key, stored, cert->verify_error ? cert->verify_error : "?", details, cert->sha256);
        return FALSE;
}

static CoreCertAnswer ask_user(CoreContext *ctx, const char *key, const TlsPeerInfo *cert)
{
        if (ctx->fe.certificate)
                return ctx->fe.certificate(key, cert, NULL, ctx->fe.certificate_data);
        g_autofree char *details = tls_peer_info_describe(cert);
        g_autofree char *question = g_strdup_printf(
                _("The certificate of %s does not verify (%s):\n%s\nTrust this certificate for %s from now on?"), key,
                cert->verify_error ? cert->verify_error : "?", details, key);
        CoreAnswer answer = ctx->fe.ask(question, ctx->fe.data);
        return answer == CORE_ANSWER_YES || answer == CORE_ANSWER_ALL ? CORE_CERT_TRUST : CORE_CERT_REFUSE;
}

char *core_trust_lookup_session(CoreContext *ctx, const char *host, guint16 port)
{
        g_autofree char *key = server_key(host, port);
        const char *once = g_hash_table_lookup(ctx->trusted_once, key);
        return once ? g_strdup(once) : core_trust_lookup(host, port);
}

gboolean core_trust_decide(CoreContext *ctx, const char *host, guint16 port, const TlsPeerInfo *cert,
                           gboolean may_ask, GError **error)
{
        return core_trust_decide_pinned(ctx, host, port, cert, may_ask, NULL, error);
}

gboolean core_trust_decide_pinned(CoreContext *ctx, const char *host, guint16 port, const TlsPeerInfo *cert,
                                  gboolean may_ask, const char *pinned, GError **error)
{
        g_autofree char *key = server_key(host, port);
        g_autofree char *stored = core_trust_lookup_session(ctx, host, port);
        if (!stored && pinned)
                stored = g_strdup(pinned);
        if (!cert || !cert->sha256) {
                g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_FAILED, _("The server at %s showed no certificate."), key);
                return FALSE;
        }
        if (stored && !g_str_equal(stored, cert->sha256)) {
                if (may_ask && ctx->fe.certificate) /* the warning; there is nothing to accept */
                        ctx->fe.certificate(key, cert, stored, ctx->fe.certificate_data);
                return refuse_changed(key, stored, cert, error);
        }
        if (!may_ask || !ctx->fe.ask) {
                g_autofree char *details = tls_peer_info_describe(cert);
                g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_FAILED,
                            _("The certificate of %s does not verify (%s); the connection was refused and nothing "
                              "was sent:\n%s\nIf you know this is the server's certificate, connect with "
                              "--trust-fingerprint %s (the choice is then remembered)."),
                            key, cert->verify_error ? cert->verify_error : "?", details, cert->sha256);
                return FALSE;
        }
        CoreCertAnswer answer = ask_user(ctx, key, cert);
        if (answer == CORE_CERT_REFUSE) {
                g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_FAILED,
                            _("The certificate of %s was not trusted: not connected."), key);
                return FALSE;
        }
        if (answer == CORE_CERT_TRUST_ONCE) { /* FileZilla's "trust for this session" */
                g_hash_table_replace(ctx->trusted_once, g_steal_pointer(&key), g_strdup(cert->sha256));
                return TRUE;
        }
        return core_trust_store(host, port, cert->sha256, error);
}
