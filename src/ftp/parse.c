/* ftp/parse.c — the payload of single replies: 227/229 addresses, 257 paths, 213 sizes and times,
 * 211 FEAT lists. Owns: strict, bounded parsing of numbers and paths the server supplies (no wrap,
 * no sign, no overflow). Must not: do I/O, or decide what the session does with a bad value. */
#include "ftp/parse.h"
#include "common/i18n.h"
#include "common/quark.h"

#include <string.h>

COMMON_DEFINE_QUARK(ftp-parse-error-quark, ftp_parse_error)

/* Reads up to 10 decimal digits at *p into *value; FALSE when there is no digit or more than 10. */
static gboolean read_number(const char **p, guint64 *value)
{
        const char *s = *p;
        guint64 v = 0;
        int n = 0;
        for (; g_ascii_isdigit(*s); s++, n++) {
                if (n == 10)
                        return FALSE;
                v = v * 10 + (guint64)(*s - '0');
        }
        if (n == 0)
                return FALSE;
        *p = s;
        *value = v;
        return TRUE;
}

static const char *skip_spaces(const char *p)
{
        while (*p == ' ' || *p == '\t')
                p++;
        return p;
}

/* Six comma-separated numbers at p ("h1,h2,h3,h4,p1,p2", spaces allowed around commas). */
static gboolean read_six(const char *p, guint64 v[6])
{
        for (int i = 0; i < 6; i++) {
                if (i > 0) {
                        p = skip_spaces(p);
                        if (*p != ',')
                                return FALSE;
                        p = skip_spaces(p + 1);
                }
                if (!read_number(&p, &v[i]))
                        return FALSE;
        }
        return !g_ascii_isdigit(*p);
}

static void set_bad_reply(GError **error, const char *what, const char *text)
{
        g_autofree char *shown = g_strescape(text, "\"");
        g_set_error(error, FTP_PARSE_ERROR, FTP_PARSE_ERROR_BAD_REPLY,
                    _("The server's %s reply is not usable (“%s”); try active mode with `passive`."),
                    what, shown);
}

/* The 229 form "(<d><d><d>port<d>)", d any printable non-digit, port 1..65535. */
static gboolean find_epsv_port(const char *text, guint16 *port)
{
        for (const char *open = strchr(text, '('); open; open = strchr(open + 1, '(')) {
                char d = open[1];
                if (d < 33 || d > 126 || g_ascii_isdigit(d) || open[2] != d || open[3] != d)
                        continue;
                const char *p = open + 4;
                guint64 v = 0;
                if (!read_number(&p, &v) || p[0] != d || p[1] != ')')
                        continue;
                if (v == 0 || v > 65535)
                        return FALSE;
                *port = (guint16)v;
                return TRUE;
        }
        return FALSE;
}

/* The 227 form: the first run of six numbers. Returns FALSE with found=TRUE when they are out of
 * range (an octet over 255, port 0). */
static gboolean find_pasv_numbers(const char *text, guint8 addr[4], guint16 *port, gboolean *found)
{
        *found = FALSE;
        for (const char *p = text; *p; p++) {
                guint64 v[6];
                if (!g_ascii_isdigit(*p) || (p > text && g_ascii_isdigit(p[-1])) || !read_six(p, v))
                        continue;
                *found = TRUE;
                for (int i = 0; i < 6; i++)
                        if (v[i] > 255)
                                return FALSE;
                guint16 value = (guint16)(v[4] * 256 + v[5]);
                if (value == 0)
                        return FALSE;
                for (int i = 0; i < 4; i++)
                        addr[i] = (guint8)v[i];
                *port = value;
                return TRUE;
        }
        return FALSE;
}

gboolean ftp_parse_pasv(const char *text, guint8 addr[4], guint16 *port, GError **error)
{
        gboolean found = FALSE;
        if (find_pasv_numbers(text, addr, port, &found))
                return TRUE;
        if (!found && find_epsv_port(text, port)) {
                memset(addr, 0, 4);
                return TRUE;
        }
        set_bad_reply(error, "PASV", text);
        return FALSE;
}

gboolean ftp_parse_epsv(const char *text, guint16 *port, GError **error)
{
        if (find_epsv_port(text, port))
                return TRUE;
        guint8 addr[4];
        gboolean found = FALSE;
        if (find_pasv_numbers(text, addr, port, &found))
                return TRUE;
        set_bad_reply(error, "EPSV", text);
        return FALSE;
}

/* Ports below 1024 belong to privileged services (SMTP, SSH, the server's own port 21). A passive
 * reply naming one turns the client into a bounce: the bytes of a download request or of an
 * upload go to that service, from the user's address (the FTP bounce of CERT CA-1997-27, seen
 * from the client's side). curl checks only that the port is 1..65535, and lftp repairs a
 * suspicious address but not the port; no real server hands out passive ports below 1024, so
 * refusing them costs nothing and closes the hole, with or without trust in the address. */
#define FTP_LOWEST_DATA_PORT 1024

gboolean ftp_parse_pasv_target(const guint8 *addr, guint16 port, gboolean trust, gboolean *use_addr,
                               GError **error)
{
        *use_addr = FALSE;
        if (port < FTP_LOWEST_DATA_PORT) {
                g_set_error(error, FTP_PARSE_ERROR, FTP_PARSE_ERROR_PRIVILEGED_PORT,
                            _("The server asked for a data connection to port %u, a privileged port below %d: "
                              "refused (it could point the transfer at another service)."),
                            port, FTP_LOWEST_DATA_PORT);
                return FALSE;
        }
        static const guint8 unspecified[4] = { 0, 0, 0, 0 };
        *use_addr = trust && addr && memcmp(addr, unspecified, 4) != 0;
        return TRUE;
}

char *ftp_parse_pwd(const char *text)
{
        const char *p = strchr(text, '"');
        if (!p)
                return NULL;
        g_autoptr(GString) path = g_string_new(NULL);
        for (p++; *p; p++) {
                guchar c = (guchar)*p;
                if (c < 0x20 || c == 0x7F)
                        return NULL;
                if (c == '"' && p[1] != '"')
                        return path->len > 0 ? g_string_free(g_steal_pointer(&path), FALSE) : NULL;
                if (c == '"')
                        p++; /* "" stands for one quote */
                g_string_append_c(path, (char)c);
        }
        return NULL; /* no closing quote: the directory is unknown */
}

/* Digits only, up to G_MAXINT64; the value must be followed by the end or a space. */
static gboolean parse_count(const char *text, gint64 *value)
{
        if (!g_ascii_isdigit(*text))
                return FALSE;
        guint64 v = 0;
        const char *p = text;
        for (; g_ascii_isdigit(*p); p++) {
                guint digit = (guint)(*p - '0');
                if (v > ((guint64)G_MAXINT64 - digit) / 10)
                        return FALSE;
                v = v * 10 + digit;
        }
        if (*p != '\0' && *p != ' ')
                return FALSE;
        *value = (gint64)v;
        return TRUE;
}

gboolean ftp_parse_size(const char *text, gint64 *size)
{
        gint64 v = 0;
        if (!parse_count(text, &v))
                return FALSE;
        *size = v;
        return TRUE;
}

static int digits_value(const char *p, int n)
{
        int v = 0;
        for (int i = 0; i < n; i++)
                v = v * 10 + (p[i] - '0');
        return v;
}

gboolean ftp_parse_mdtm(const char *text, gint64 *unix_time)
{
        int n = 0;
        while (g_ascii_isdigit(text[n]))
                n++;
        if (n != 14) /* 15 digits is the "19100" year bug */
                return FALSE;
        const char *rest = text + 14;
        if (*rest == '.') {
                int frac = 0;
                while (g_ascii_isdigit(rest[1 + frac]))
                        frac++;
                if (frac < 1 || frac > 9)
                        return FALSE;
                rest += 1 + frac;
        }
        if (*rest != '\0' && *rest != ' ')
                return FALSE;
        int year = digits_value(text, 4), month = digits_value(text + 4, 2), day = digits_value(text + 6, 2);
        int hour = digits_value(text + 8, 2), minute = digits_value(text + 10, 2);
        int second = digits_value(text + 12, 2);
        if (year < 1970 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
                return FALSE;
        if (day > g_date_get_days_in_month((GDateMonth)month, (GDateYear)year))
                return FALSE;
        g_autoptr(GDateTime) dt = g_date_time_new_utc(year, month, day, hour, minute, second);
        if (!dt)
                return FALSE;
        *unix_time = g_date_time_to_unix(dt);
        return TRUE;
}

static gboolean is_keyword_char(char c)
{
        return g_ascii_isalnum(c) || c == '-' || c == '_' || c == '.';
}

/* One feature line (" MDTM", " AUTH TLS", " REST STREAM") into the table. */
static void add_feature(GHashTable *features, const char *line)
{
        const char *p = skip_spaces(line);
        const char *end = p;
        while (is_keyword_char(*end))
                end++;
        if (end == p || (*end != '\0' && *end != ' '))
                return;
        for (const char *c = end; *c; c++)
                if ((guchar)*c < 0x20 || *c == 0x7F)
                        return;
        char *key = g_ascii_strup(p, end - p);
        char *value = g_strstrip(g_strdup(end));
        const char *old = g_hash_table_lookup(features, key);
        if (old && *old && *value && strcmp(old, value) != 0) {
                char *joined = g_strconcat(old, ";", value, NULL);
                g_free(value);
                value = joined;
        } else if (old && *old) {
                g_free(value);
                value = g_strdup(old);
        }
        g_hash_table_replace(features, key, value);
}

GHashTable *ftp_parse_feat(const FtpReply *reply)
{
        GHashTable *features = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        if (ftp_reply_class(reply) != 2)
                return features;
        guint n = reply->lines->len;
        /* the first ("211-Features:") and last ("211 End") lines are not features */
        for (guint i = 1; i + 1 < n; i++) {
                const char *line = g_ptr_array_index(reply->lines, i);
                if (g_ascii_isdigit(line[0]) && g_ascii_isdigit(line[1]) && g_ascii_isdigit(line[2]) &&
                    line[3] == '-')
                        line += 4;
                add_feature(features, line);
        }
        return features;
}
