/* common/certinfo.c — a server certificate as plain data: copy, free, its description in words,
 * and fingerprints normalised as users type them. Must not: touch OpenSSL or sockets. */
#include "config.h"
#include "common/certinfo.h"
#include "common/i18n.h"

TlsPeerInfo *tls_peer_info_copy(const TlsPeerInfo *in)
{
        if (!in)
                return NULL;
        TlsPeerInfo *out = g_new0(TlsPeerInfo, 1);
        *out = *in;
        out->subject = g_strdup(in->subject);
        out->issuer = g_strdup(in->issuer);
        out->not_before = g_strdup(in->not_before);
        out->not_after = g_strdup(in->not_after);
        out->sha256 = g_strdup(in->sha256);
        out->verify_error = g_strdup(in->verify_error);
        out->version = g_strdup(in->version);
        out->cipher = g_strdup(in->cipher);
        return out;
}

void tls_peer_info_free(TlsPeerInfo *info)
{
        if (!info)
                return;
        g_free(info->subject);
        g_free(info->issuer);
        g_free(info->not_before);
        g_free(info->not_after);
        g_free(info->sha256);
        g_free(info->verify_error);
        g_free(info->version);
        g_free(info->cipher);
        g_free(info);
}

char *tls_peer_info_describe(const TlsPeerInfo *info)
{
        return g_strdup_printf(_("  subject:  %s\n  issuer:   %s\n  valid:    %s to %s\n  SHA-256:  %s"),
                               info->subject ? info->subject : "?", info->issuer ? info->issuer : "?",
                               info->not_before ? info->not_before : "?", info->not_after ? info->not_after : "?",
                               info->sha256 ? info->sha256 : "?");
}

char *tls_fingerprint_normalise(const char *text)
{
        if (!text)
                return NULL;
        const char *p = text;
        if (g_ascii_strncasecmp(p, "sha256:", 7) == 0 || g_ascii_strncasecmp(p, "sha256=", 7) == 0)
                p += 7;
        GString *hex = g_string_new(NULL);
        for (; *p; p++) {
                if (g_ascii_isxdigit(*p))
                        g_string_append_c(hex, g_ascii_toupper(*p));
                else if (*p != ':' && *p != ' ' && *p != '-')
                        break;
        }
        if (*p || hex->len != 64) {
                g_string_free(hex, TRUE);
                return NULL;
        }
        GString *out = g_string_new(NULL);
        for (gsize i = 0; i < 64; i += 2)
                g_string_append_printf(out, "%s%c%c", i ? ":" : "", hex->str[i], hex->str[i + 1]);
        g_string_free(hex, TRUE);
        return g_string_free(out, FALSE);
}
