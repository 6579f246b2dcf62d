/* ftp/listing.c — directory listings from the server: MLSD facts (RFC 3659), unix `ls -l`, DOS/IIS
 * and EPLF lines, each turned into an FtpEntry; LIST formats are detected per line.
 * Owns: the formats and their quirks. Must not: do I/O, or judge whether a name is safe to write
 * locally (names come back exactly as sent; core validates them). */
#include "ftp/listing.h"
#include "ftp/parse.h"

#include <string.h>

FtpEntry *ftp_entry_new(void)
{
        FtpEntry *entry = g_new0(FtpEntry, 1);
        entry->type = FTP_ENTRY_OTHER;
        entry->size = -1;
        entry->mtime = -1;
        return entry;
}

FtpEntry *ftp_entry_copy(const FtpEntry *entry)
{
        FtpEntry *copy = g_new0(FtpEntry, 1);
        *copy = *entry;
        copy->name = g_strdup(entry->name);
        copy->perms = g_strdup(entry->perms);
        copy->link_target = g_strdup(entry->link_target);
        return copy;
}

void ftp_entry_free(FtpEntry *entry)
{
        if (!entry)
                return;
        g_free(entry->name);
        g_free(entry->perms);
        g_free(entry->link_target);
        g_free(entry);
}

static gboolean is_dot_or_dotdot(const char *name)
{
        return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

/* Unix time of a UTC calendar date; -1 when the date does not exist. */
static gint64 utc_time(int year, int month, int day, int hour, int minute)
{
        if (year < 1970 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 ||
            minute > 59 || day > g_date_get_days_in_month((GDateMonth)month, (GDateYear)year))
                return -1;
        g_autoptr(GDateTime) dt = g_date_time_new_utc(year, month, day, hour, minute, 0);
        return dt ? g_date_time_to_unix(dt) : -1;
}

/* Decimal digits only (commas allowed when `commas`), no sign, no overflow; -1 when not a number. */
static gint64 parse_decimal(const char *s, gsize len, gboolean commas)
{
        gint64 v = 0;
        gsize digits = 0;
        for (gsize i = 0; i < len; i++) {
                if (commas && s[i] == ',' && digits > 0)
                        continue;
                if (!g_ascii_isdigit(s[i]))
                        return -1;
                int d = s[i] - '0';
                if (v > (G_MAXINT64 - d) / 10)
                        return -1;
                v = v * 10 + d;
                digits++;
        }
        return digits > 0 ? v : -1;
}

/* ---- MLSD (RFC 3659): "fact=value;fact=value; name" ---- */

static FtpEntryType mlsd_type(const char *value, char **target, gboolean *skip)
{
        if (g_ascii_strcasecmp(value, "file") == 0)
                return FTP_ENTRY_FILE;
        if (g_ascii_strcasecmp(value, "dir") == 0)
                return FTP_ENTRY_DIR;
        if (g_ascii_strcasecmp(value, "cdir") == 0 || g_ascii_strcasecmp(value, "pdir") == 0) {
                *skip = TRUE;
                return FTP_ENTRY_DIR;
        }
        if (g_ascii_strncasecmp(value, "OS.unix=slink", 13) == 0) {
                if (value[13] == ':' && value[14])
                        *target = g_strdup(value + 14);
                return FTP_ENTRY_LINK;
        }
        if (g_ascii_strcasecmp(value, "OS.unix=symlink") == 0)
                return FTP_ENTRY_LINK;
        return FTP_ENTRY_OTHER;
}

/* "0755" or "100644" → "rwxr-xr-x"; NULL when not octal. */
static char *mode_to_perms(const char *octal)
{
        gsize len = strlen(octal);
        if (len < 3 || len > 7)
                return NULL;
        guint mode = 0;
        for (gsize i = 0; i < len; i++) {
                if (octal[i] < '0' || octal[i] > '7')
                        return NULL;
                mode = mode * 8 + (guint)(octal[i] - '0');
        }
        char *perms = g_strdup("---------");
        for (int i = 0; i < 9; i++)
                if (mode & (0400u >> i))
                        perms[i] = "rwx"[i % 3];
        return perms;
}

static void mlsd_fact(FtpEntry *entry, const char *name, const char *value, gboolean *skip)
{
        if (g_ascii_strcasecmp(name, "type") == 0) {
                g_clear_pointer(&entry->link_target, g_free);
                entry->type = mlsd_type(value, &entry->link_target, skip);
        } else if (g_ascii_strcasecmp(name, "size") == 0 || g_ascii_strcasecmp(name, "sizd") == 0) {
                entry->size = parse_decimal(value, strlen(value), FALSE);
        } else if (g_ascii_strcasecmp(name, "modify") == 0) {
                if (!ftp_parse_mdtm(value, &entry->mtime))
                        entry->mtime = -1;
        } else if (g_ascii_strcasecmp(name, "UNIX.mode") == 0) {
                g_free(entry->perms);
                entry->perms = mode_to_perms(value);
        }
}

static FtpEntry *parse_mlsd(const char *line)
{
        /* fact values hold no space (RFC 3659 7.5): the first space ends the facts, and the name
         * is everything after it, leading and trailing spaces included */
        const char *space = strchr(line, ' ');
        if (!space)
                return NULL;
        g_autoptr(FtpEntry) entry = ftp_entry_new();
        g_autofree char *facts = g_strndup(line, space - line);
        g_auto(GStrv) list = g_strsplit(facts, ";", -1);
        gboolean skip = FALSE, any = FALSE;
        for (char **f = list; *f; f++) {
                char *eq = strchr(*f, '=');
                if (!eq || eq == *f)
                        continue;
                *eq = '\0';
                mlsd_fact(entry, *f, eq + 1, &skip);
                any = TRUE;
        }
        if (skip || !any) /* no "fact=value" at all: not an MLSD line */
                return NULL;
        entry->name = g_strdup(space + 1);
        if (is_dot_or_dotdot(entry->name))
                return NULL;
        return g_steal_pointer(&entry);
}

/* ---- EPLF: "+fact,fact,...,\tname" ---- */

static FtpEntry *parse_eplf(const char *line)
{
        const char *tab = strchr(line, '\t');
        if (line[0] != '+' || !tab)
                return NULL;
        g_autoptr(FtpEntry) entry = ftp_entry_new();
        g_autofree char *facts = g_strndup(line + 1, tab - line - 1);
        g_auto(GStrv) list = g_strsplit(facts, ",", -1);
        gboolean dir = FALSE, retr = FALSE;
        for (char **f = list; *f; f++) {
                const char *v = *f + 1;
                switch (**f) {
                case '/': dir = TRUE; break;
                case 'r': retr = TRUE; break;
                case 's': entry->size = parse_decimal(v, strlen(v), FALSE); break;
                case 'm': entry->mtime = parse_decimal(v, strlen(v), FALSE); break;
                case 'u':
                        if (v[0] == 'p') {
                                g_free(entry->perms);
                                entry->perms = mode_to_perms(v + 1);
                        }
                        break;
                default: break;
                }
        }
        entry->type = dir ? FTP_ENTRY_DIR : retr ? FTP_ENTRY_FILE : FTP_ENTRY_OTHER;
        entry->name = g_strdup(tab + 1);
        if (is_dot_or_dotdot(entry->name))
                return NULL;
        return g_steal_pointer(&entry);
}

/* ---- DOS/IIS: "MM-DD-YY  HH:MMAM  <DIR>  name" or "... 1,234 name" ---- */

/* Reads 1..max digits at *p; -1 when none. */
static int read_int(const char **p, int max)
{
        int v = 0, n = 0;
        while (n < max && g_ascii_isdigit(**p)) {
                v = v * 10 + (**p - '0');
                (*p)++;
                n++;
        }
        return n ? v : -1;
}

static const char *skip_blanks(const char *p)
{
        while (*p == ' ' || *p == '\t')
                p++;
        return p;
}

static const char *token_end(const char *p)
{
        while (*p && *p != ' ' && *p != '\t')
                p++;
        return p;
}

/* "MM-DD-YY[YY]" then "HH:MM[AM|PM]"; returns where the date and time end, or NULL. */
static const char *dos_datetime(const char *p, gint64 *mtime)
{
        int month = read_int(&p, 2);
        if (month < 0 || (*p != '-' && *p != '/'))
                return NULL;
        p++;
        int day = read_int(&p, 2);
        if (day < 0 || (*p != '-' && *p != '/'))
                return NULL;
        p++;
        const char *y = p;
        int year = read_int(&p, 4);
        if (year < 0 || (p - y != 2 && p - y != 4) || (*p != ' ' && *p != '\t'))
                return NULL;
        if (p - y == 2)
                year += year < 70 ? 2000 : 1900;
        p = skip_blanks(p);
        int hour = read_int(&p, 2);
        if (hour < 0 || *p++ != ':')
                return NULL;
        int minute = read_int(&p, 2);
        if (minute < 0)
                return NULL;
        if (g_ascii_strncasecmp(p, "AM", 2) == 0 || g_ascii_strncasecmp(p, "PM", 2) == 0) {
                if (hour < 1 || hour > 12)
                        return NULL;
                hour = hour % 12 + (g_ascii_toupper(*p) == 'P' ? 12 : 0);
                p += 2;
        }
        if (*p != ' ' && *p != '\t')
                return NULL;
        *mtime = utc_time(year, month, day, hour, minute);
        return p;
}

static FtpEntry *parse_dos(const char *line)
{
        g_autoptr(FtpEntry) entry = ftp_entry_new();
        const char *p = dos_datetime(line, &entry->mtime);
        if (!p)
                return NULL;
        p = skip_blanks(p);
        const char *end = token_end(p);
        if (end - p == 5 && g_ascii_strncasecmp(p, "<DIR>", 5) == 0) {
                entry->type = FTP_ENTRY_DIR;
        } else {
                entry->size = parse_decimal(p, end - p, TRUE);
                if (entry->size < 0)
                        return NULL;
                entry->type = FTP_ENTRY_FILE;
        }
        const char *name = skip_blanks(end);
        if (!*name || is_dot_or_dotdot(name))
                return NULL;
        entry->name = g_strdup(name);
        return g_steal_pointer(&entry);
}

/* ---- unix `ls -l` ---- */

#define UNIX_MAX_TOKENS 10

typedef struct {
        const char *start[UNIX_MAX_TOKENS];
        const char *end[UNIX_MAX_TOKENS];
        int n;
} Tokens;

static void tokenize(const char *line, Tokens *t)
{
        t->n = 0;
        const char *p = skip_blanks(line);
        while (*p && t->n < UNIX_MAX_TOKENS) {
                t->start[t->n] = p;
                p = token_end(p);
                t->end[t->n++] = p;
                p = skip_blanks(p);
        }
}

static int month_of(const char *s, const char *end)
{
        static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
        if (end - s != 3)
                return 0;
        for (int i = 0; i < 12; i++)
                if (g_ascii_strncasecmp(s, months + 3 * i, 3) == 0)
                        return i + 1;
        return 0;
}

static gboolean is_unix_perms(const char *s, const char *end)
{
        if (end - s < 10 || !strchr("-dlcbpsD", s[0]))
                return FALSE;
        for (int i = 1; i < 10; i++)
                if (!strchr("rwxsStTlL-", s[i]))
                        return FALSE;
        return TRUE;
}

/* "HH:MM" (year from `now`) or "YYYY"; -1 when neither. */
static gint64 unix_date(int month, const char *day_s, const char *day_e, const char *ty, const char *ty_e,
                        gint64 now)
{
        const char *p = day_s;
        int day = read_int(&p, 2);
        if (day < 1 || p != day_e)
                return -2;
        p = ty;
        int first = read_int(&p, 4);
        if (first < 0)
                return -2;
        if (p == ty_e && p - ty == 4)
                return utc_time(first, month, day, 0, 0);
        if (*p != ':' || p - ty > 2)
                return -2;
        p++;
        int minute = read_int(&p, 2);
        if (minute < 0 || p != ty_e)
                return -2;
        g_autoptr(GDateTime) today = g_date_time_new_from_unix_utc(now);
        int year = today ? g_date_time_get_year(today) : 1970;
        gint64 t = utc_time(year, month, day, first, minute);
        /* ls shows the time only for the last six months: a date ahead of now is last year's */
        if (t < 0 || t > now + 2 * 24 * 3600)
                t = utc_time(year - 1, month, day, first, minute);
        return t;
}

static FtpEntryType unix_type(char c)
{
        switch (c) {
        case '-': return FTP_ENTRY_FILE;
        case 'd': return FTP_ENTRY_DIR;
        case 'l': return FTP_ENTRY_LINK;
        default: return FTP_ENTRY_OTHER;
        }
}

/* Finds "Mon DD HH:MM|YYYY" after the size column; returns the month's token index or -1. */
static int find_date(const Tokens *t, gint64 now, gint64 *mtime)
{
        for (int i = 2; i + 2 < t->n; i++) {
                int month = month_of(t->start[i], t->end[i]);
                if (!month || !g_ascii_isdigit(t->end[i - 1][-1]))
                        continue;
                gint64 when = unix_date(month, t->start[i + 1], t->end[i + 1], t->start[i + 2], t->end[i + 2], now);
                if (when == -2)
                        continue;
                *mtime = when;
                return i;
        }
        return -1;
}

static FtpEntry *parse_unix(const char *line, gint64 now)
{
        Tokens t;
        tokenize(line, &t);
        if (t.n < 5 || !is_unix_perms(t.start[0], t.end[0]))
                return NULL;
        g_autoptr(FtpEntry) entry = ftp_entry_new();
        int m = find_date(&t, now, &entry->mtime);
        if (m < 0 || !*t.end[m + 2])
                return NULL;
        entry->type = unix_type(t.start[0][0]);
        entry->perms = g_strndup(t.start[0] + 1, 9);
        if (entry->type != FTP_ENTRY_OTHER) /* devices show "major, minor" there */
                entry->size = parse_decimal(t.start[m - 1], t.end[m - 1] - t.start[m - 1], FALSE);
        const char *name = t.end[m + 2] + 1; /* one space after the time: the rest is the name */
        const char *arrow = entry->type == FTP_ENTRY_LINK ? strstr(name, " -> ") : NULL;
        if (arrow) {
                entry->link_target = g_strdup(arrow + 4);
                entry->name = g_strndup(name, arrow - name);
        } else {
                entry->name = g_strdup(name);
        }
        if (!*entry->name || is_dot_or_dotdot(entry->name))
                return NULL;
        return g_steal_pointer(&entry);
}

FtpEntry *ftp_listing_parse_line(const char *line, FtpListingKind kind, gint64 now)
{
        if (kind == FTP_LISTING_MLSD)
                return parse_mlsd(line);
        if (line[0] == '+')
                return parse_eplf(line);
        if (g_ascii_isdigit(line[0]))
                return parse_dos(line);
        return parse_unix(line, now);
}

GPtrArray *ftp_listing_parse(const char *data, gsize len, FtpListingKind kind, gint64 now)
{
        GPtrArray *entries = g_ptr_array_new_with_free_func((GDestroyNotify)ftp_entry_free);
        gsize pos = 0;
        while (pos < len) {
                const char *start = data + pos;
                const char *nl = memchr(start, '\n', len - pos);
                gsize n = nl ? (gsize)(nl - start) : len - pos;
                pos += n + (nl ? 1 : 0);
                if (n > 0 && start[n - 1] == '\r')
                        n--;
                if (memchr(start, '\0', n)) /* a NUL would cut the name short: not an entry */
                        continue;
                g_autofree char *line = g_strndup(start, n);
                FtpEntry *entry = ftp_listing_parse_line(line, kind, now);
                if (entry)
                        g_ptr_array_add(entries, entry);
        }
        return entries;
}
