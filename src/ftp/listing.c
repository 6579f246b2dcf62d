/* ftp/listing.c — directory listings from the server: MLSD facts (RFC 3659), unix `ls -l`, DOS/IIS,
 * EPLF and VMS lines, each turned into an FtpEntry; LIST formats are detected per line.
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
                entry->mtime_exact = ftp_parse_mdtm(value, &entry->mtime);
                if (!entry->mtime_exact)
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

static FtpEntry *parse_eplf(const char *line, gint64 now)
{
        (void)now;
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
                case 'm':
                        entry->mtime = parse_decimal(v, strlen(v), FALSE);
                        entry->mtime_exact = entry->mtime >= 0;
                        break;
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

static FtpEntry *parse_dos(const char *line, gint64 now)
{
        (void)now;
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

/* ---- VMS: "NAME.EXT;1   12/16  24-NOV-2026 10:11:12  [GROUP,OWNER]  (RWED,RWED,RE,)" ---- */

#define VMS_BLOCK 512

/* "NAME.EXT;12": the name before the version, or NULL when the token has no ";digits" end. */
static char *vms_name(const char *s, const char *end)
{
        const char *semi = memchr(s, ';', (gsize)(end - s));
        if (!semi || semi == s || semi + 1 == end || end - semi > 6)
                return NULL;
        for (const char *p = semi + 1; p < end; p++)
                if (!g_ascii_isdigit(*p))
                        return NULL;
        return g_strndup(s, (gsize)(semi - s));
}

/* "12/16" (blocks used / allocated) or "12": the bytes of the used blocks; -1 when not a count. */
static gint64 vms_size(const char *s, const char *end)
{
        const char *slash = memchr(s, '/', (gsize)(end - s));
        gint64 blocks = parse_decimal(s, (gsize)((slash ? slash : end) - s), FALSE);
        if (blocks < 0 || blocks > G_MAXINT64 / VMS_BLOCK)
                return -1;
        if (slash && parse_decimal(slash + 1, (gsize)(end - slash - 1), FALSE) < 0)
                return -1;
        return blocks * VMS_BLOCK;
}

/* "10:11", "10:11:12" or "10:11:12.34" into seconds of the day; -1 when not a time. */
static gint64 vms_clock(const char *p, const char *end)
{
        int hour = read_int(&p, 2);
        if (hour < 0 || hour > 23 || *p++ != ':')
                return -1;
        int minute = read_int(&p, 2), second = 0;
        if (minute < 0 || minute > 59)
                return -1;
        if (*p == ':') {
                p++;
                second = read_int(&p, 2);
                if (second < 0 || second > 59)
                        return -1;
        }
        if (*p == '.')
                for (p++; g_ascii_isdigit(*p); p++)
                        ;
        return p == end ? hour * 3600 + minute * 60 + second : -1;
}

/* "24-NOV-2026" and optionally a clock (time may be NULL); -2 when either is not one. */
static gint64 vms_time(const char *date, const char *date_e, const char *time, const char *time_e)
{
        const char *p = date;
        int day = read_int(&p, 2);
        if (day < 0 || *p != '-' || date_e - p < 6 || p[4] != '-')
                return -2;
        int month = month_of(p + 1, p + 4);
        p += 5;
        const char *y = p;
        int year = read_int(&p, 4);
        if (!month || year < 0 || p != date_e || p - y != 4)
                return -2;
        gint64 clock = time ? vms_clock(time, time_e) : 0;
        if (clock < 0)
                return -2;
        gint64 midnight = utc_time(year, month, day, 0, 0);
        return midnight < 0 ? -1 : midnight + clock;
}

static FtpEntry *parse_vms(const char *line, gint64 now)
{
        (void)now;
        Tokens t;
        tokenize(line, &t);
        if (t.n < 2)
                return NULL;
        g_autoptr(FtpEntry) entry = ftp_entry_new();
        entry->name = vms_name(t.start[0], t.end[0]);
        if (!entry->name)
                return NULL;
        if (t.start[1][0] == '%') {
                /* "%RMS-E-PRV, insufficient privilege…": listed, nothing known about it */
        } else if (t.n < 3 || (entry->size = vms_size(t.start[1], t.end[1])) < 0) {
                return NULL;
        } else {
                gboolean timed = t.n > 3 && t.start[3][0] != '[' && t.start[3][0] != '(';
                entry->mtime = vms_time(t.start[2], t.end[2], timed ? t.start[3] : NULL, timed ? t.end[3] : NULL);
                if (entry->mtime == -2)
                        return NULL;
                entry->size_approximate = TRUE;
        }
        gsize len = strlen(entry->name);
        entry->type = FTP_ENTRY_FILE;
        if (len > 4 && g_ascii_strcasecmp(entry->name + len - 4, ".DIR") == 0) {
                entry->name[len - 4] = '\0';
                entry->type = FTP_ENTRY_DIR;
                entry->size = -1; /* the blocks of the directory file, not a content size */
                entry->size_approximate = FALSE;
        }
        if (is_dot_or_dotdot(entry->name)) /* ".;1", "..DIR;1", "...DIR;1": never an entry */
                return NULL;
        return g_steal_pointer(&entry);
}

/* A VMS name alone on its line: the rest of the entry is on the next line. */
static gboolean is_lone_vms_name(const char *line)
{
        Tokens t;
        tokenize(line, &t);
        if (t.n != 1)
                return FALSE;
        g_autofree char *name = vms_name(t.start[0], t.end[0]);
        return name != NULL;
}

/* ---- LIST: each format claims the lines it can read; the first entry wins ---- */

typedef struct {
        char lead;                                  /* the first byte it claims; 0: any line */
        FtpEntry *(*parse)(const char *line, gint64 now);
} ListFormat;

static const ListFormat list_formats[] = {
        { '+', parse_eplf },
        { '0', parse_dos },  /* '0' stands for any digit */
        { 0, parse_unix },
        { 0, parse_vms },
};

static gboolean claims(const ListFormat *f, char c)
{
        return f->lead == 0 || (f->lead == '0' ? g_ascii_isdigit(c) : f->lead == c);
}

FtpEntry *ftp_listing_parse_line(const char *line, FtpListingKind kind, gint64 now)
{
        if (kind == FTP_LISTING_MLSD)
                return parse_mlsd(line);
        for (gsize i = 0; i < G_N_ELEMENTS(list_formats); i++) {
                if (!claims(&list_formats[i], line[0]))
                        continue;
                FtpEntry *entry = list_formats[i].parse(line, now);
                if (entry)
                        return entry;
        }
        return NULL;
}

/* One line of a LIST body, with a VMS name held over from the line before (*held, consumed). */
static FtpEntry *parse_list_line(const char *line, char **held, gint64 now)
{
        g_autofree char *name = g_steal_pointer(held);
        if (is_lone_vms_name(line)) {
                *held = g_strdup(line);
                return NULL;
        }
        if (name) {
                g_autofree char *joined = g_strconcat(name, " ", line, NULL);
                FtpEntry *entry = parse_vms(joined, now);
                if (entry)
                        return entry;
        }
        return ftp_listing_parse_line(line, FTP_LISTING_LIST, now);
}

GPtrArray *ftp_listing_parse(const char *data, gsize len, FtpListingKind kind, gint64 now)
{
        GPtrArray *entries = g_ptr_array_new_with_free_func((GDestroyNotify)ftp_entry_free);
        g_autofree char *held = NULL;
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
                FtpEntry *entry = kind == FTP_LISTING_MLSD ? parse_mlsd(line) : parse_list_line(line, &held, now);
                if (entry)
                        g_ptr_array_add(entries, entry);
        }
        return entries;
}

gboolean ftp_listing_is_mlsd(const char *data, gsize len)
{
        gsize pos = 0;
        while (pos < len && g_ascii_isspace(data[pos]))
                pos++;
        if (pos == len)
                return TRUE;
        const char *start = data + pos;
        const char *eol = memchr(start, '\n', len - pos);
        gsize n = eol ? (gsize)(eol - start) : len - pos;
        const char *space = memchr(start, ' ', n);
        const char *eq = memchr(start, '=', space ? (gsize)(space - start) : n);
        return space && eq && eq > start;
}
