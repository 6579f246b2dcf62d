/* ftp/session-digest.c — what the server says a stored file's digest is: HASH (draft-bryan-
 * ftpext-hash, with OPTS HASH to choose the algorithm) or the older XSHA256, XSHA512, XSHA1, XMD5
 * and XCRC commands, whichever FEAT offers for the strongest algorithm.
 * Owns: choosing the method from FEAT, the exchanges and reading the digest out of the reply.
 * Must not: compute a local digest or decide what a mismatch means (core does both). */
#include "config.h"
#include "ftp/session-private.h"
#include "common/i18n.h"

#include <string.h>

typedef struct {
        FtpDigestAlgo algo;
        const char *hash_name;  /* its name in HASH's FEAT list and OPTS HASH */
        const char *x_command;  /* the older command that answers it */
        gsize hex_len;
} AlgoInfo;

/* Strongest first; SHA-256 leads (the snapshot's own digest: nothing more to compute locally). */
static const AlgoInfo algos[] = {
        { FTP_DIGEST_SHA256, "SHA-256", "XSHA256", 64 },
        { FTP_DIGEST_SHA512, "SHA-512", "XSHA512", 128 },
        { FTP_DIGEST_SHA1, "SHA-1", "XSHA1", 40 },
        { FTP_DIGEST_MD5, "MD5", "XMD5", 32 },
        { FTP_DIGEST_CRC32, "CRC32", "XCRC", 8 },
};

static const AlgoInfo *algo_info(FtpDigestAlgo algo)
{
        for (gsize i = 0; i < G_N_ELEMENTS(algos); i++)
                if (algos[i].algo == algo)
                        return &algos[i];
        return NULL;
}

/* HASH's FEAT argument lists the algorithms: "CRC32;MD5;SHA-1*;SHA-256;SHA-512;" (* marks the
 * one selected now). */
static gboolean hash_offers(FtpSession *s, const char *name)
{
        if (!s->features)
                return FALSE;
        const char *list = g_hash_table_lookup(s->features, "HASH");
        if (!list)
                return FALSE;
        g_auto(GStrv) items = g_strsplit(list, ";", -1);
        for (char **it = items; *it; it++) {
                g_autofree char *item = g_strstrip(g_strdup(*it));
                gsize len = strlen(item);
                if (len > 0 && item[len - 1] == '*')
                        item[len - 1] = '\0';
                if (g_ascii_strcasecmp(item, name) == 0)
                        return TRUE;
        }
        return FALSE;
}

FtpDigestMethod ftp_session_digest_method(FtpSession *s)
{
        for (gsize i = 0; i < G_N_ELEMENTS(algos); i++) {
                if (hash_offers(s, algos[i].hash_name))
                        return (FtpDigestMethod){ algos[i].algo, TRUE };
                if (ftp_session_has_feature(s, algos[i].x_command))
                        return (FtpDigestMethod){ algos[i].algo, FALSE };
        }
        return (FtpDigestMethod){ FTP_DIGEST_NONE, FALSE };
}

char *ftp_digest_method_name(FtpDigestMethod method)
{
        const AlgoInfo *info = algo_info(method.algo);
        if (!info)
                return g_strdup("none");
        return method.via_hash ? g_strconcat("HASH ", info->hash_name, NULL) : g_strdup(info->x_command);
}

static gboolean is_hex(const char *s, gsize len)
{
        if (strlen(s) != len)
                return FALSE;
        for (gsize i = 0; i < len; i++)
                if (!g_ascii_isxdigit(s[i]))
                        return FALSE;
        return TRUE;
}

/* "213 SHA-256 0-3000000 <hex> name": the algorithm asked for, over the whole file. */
static char *hash_reply_digest(const FtpReply *reply, const AlgoInfo *info)
{
        if (reply->code != 213 || !reply->text)
                return NULL;
        g_auto(GStrv) words = g_strsplit_set(reply->text, " ", 4);
        if (g_strv_length(words) < 3 || g_ascii_strcasecmp(words[0], info->hash_name) != 0 ||
            !g_str_has_prefix(words[1], "0-") || !is_hex(words[2], info->hex_len))
                return NULL;
        return g_ascii_strdown(words[2], -1);
}

/* "250 <HEX>" (ProFTPD) or "213 <hex>" (others); some add the name after it. A CRC-32 may come
 * without its leading zeros. */
static char *x_reply_digest(const FtpReply *reply, const AlgoInfo *info)
{
        if (ftp_reply_class(reply) != 2 || !reply->text)
                return NULL;
        g_auto(GStrv) words = g_strsplit_set(reply->text, " ", 3);
        if (!words[0])
                return NULL;
        gsize len = strlen(words[0]);
        if (info->algo == FTP_DIGEST_CRC32 && len > 0 && len < info->hex_len && is_hex(words[0], len)) {
                g_autofree char *padded = g_strnfill(info->hex_len - len, '0');
                g_autofree char *whole = g_strconcat(padded, words[0], NULL);
                return g_ascii_strdown(whole, -1);
        }
        if (!is_hex(words[0], info->hex_len))
                return NULL;
        return g_ascii_strdown(words[0], -1);
}

char *ftp_digest_parse_reply(const FtpReply *reply, FtpDigestMethod method)
{
        const AlgoInfo *info = algo_info(method.algo);
        if (!info)
                return NULL;
        return method.via_hash ? hash_reply_digest(reply, info) : x_reply_digest(reply, info);
}

static gboolean select_hash_algo(FtpSession *s, const AlgoInfo *info, GError **error)
{
        if (s->hash_algo == (int)info->algo)
                return TRUE;
        g_autofree char *arg = g_strconcat("HASH ", info->hash_name, NULL);
        g_autoptr(FtpReply) reply = ftp_session_exchange_final(s, "OPTS", arg, error);
        if (!reply)
                return FALSE;
        if (ftp_reply_class(reply) != 2) {
                g_autofree char *what = g_strdup_printf(_("Choosing %s for HASH"), info->hash_name);
                ftp_session_set_refused(error, what, reply);
                return FALSE;
        }
        s->hash_algo = (int)info->algo;
        return TRUE;
}

char *ftp_session_remote_digest(FtpSession *s, const char *path, FtpDigestMethod method, char **said,
                                GError **error)
{
        const AlgoInfo *info = algo_info(method.algo);
        g_return_val_if_fail(info != NULL, NULL);
        if (method.via_hash && !select_hash_algo(s, info, error))
                return NULL;
        g_autoptr(FtpReply) reply = ftp_session_exchange_final(s, method.via_hash ? "HASH" : info->x_command, path,
                                                               error);
        if (!reply)
                return NULL;
        if (said)
                *said = g_strdup(reply->shown);
        char *digest = ftp_digest_parse_reply(reply, method);
        if (digest)
                return digest;
        g_autofree char *name = ftp_digest_method_name(method);
        g_autofree char *what = g_strdup_printf(_("The %s of “%s”"), name, path);
        if (ftp_reply_class(reply) != 2)
                ftp_session_set_refused(error, what, reply);
        else
                g_set_error(error, FTP_ERROR, FTP_ERROR_PROTOCOL, _("%s: the server's answer holds no digest (%d %s)."),
                            what, reply->code, reply->shown);
        return NULL;
}
