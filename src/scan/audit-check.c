/* scan/audit-check.c — verifies audit logs: each line's form, then its link to the line before.
 * Owns: reading the files line by line in bounded memory (under a shared flock), the rules each
 * event's fields follow, and telling an edit or removal from a reordering at the first break.
 * Must not: print, write, or go on past the first break. */
#include "config.h"
#include "scan/audit-check.h"
#include "scan/client.h"
#include "scan/json.h"
#include "common/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define MAX_LINE (1024 * 1024) /* far above any record: a path is at most 4 KiB, escaped 6 × */

void scan_audit_report_free(ScanAuditReport *report)
{
        if (!report)
                return;
        g_free(report->file);
        g_free(report->problem);
        g_free(report);
}

/* ---- lines ------------------------------------------------------------------------------- */

typedef struct {
        const char *text;   /* without its newline; NULL when too_long */
        gsize len;
        gulong number;      /* from 1 */
        gboolean too_long;  /* over MAX_LINE */
        gboolean cut_short; /* the file's last line, without a newline */
        char hash[SCAN_AUDIT_HASH_SIZE];
} Line;

/* FALSE: stop reading. */
typedef gboolean (*LineFunc)(const Line *line, gpointer data);

static gboolean io_error(gboolean opening, const char *path, int err, GError **error)
{
        g_autofree char *shown = g_filename_display_name(path);
        if (opening)
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_LOCAL, _("Cannot open the audit log “%s”: %s"), shown,
                            g_strerror(err));
        else
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_LOCAL, _("Cannot read the audit log “%s”: %s"), shown,
                            g_strerror(err));
        return FALSE;
}

static gboolean line_done(GString *text, GChecksum *sum, Line *line, LineFunc func, gpointer data)
{
        g_checksum_update(sum, (const guchar *)"\n", 1);
        g_strlcpy(line->hash, g_checksum_get_string(sum), sizeof line->hash);
        line->number++;
        line->text = line->too_long ? NULL : text->str;
        line->len = line->too_long ? 0 : text->len;
        gboolean go_on = func(line, data);
        g_string_truncate(text, 0);
        g_checksum_reset(sum);
        line->too_long = FALSE;
        return go_on;
}

/* Calls func for each line of path, under a shared flock, until it returns FALSE. */
static gboolean each_line(const char *path, LineFunc func, gpointer data, GError **error)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return io_error(TRUE, path, errno, error);
        while (flock(fd, LOCK_SH) < 0 && errno == EINTR)
                ; /* without the lock (a file system without flock) the file is read all the same */
        g_autoptr(GString) text = g_string_new(NULL);
        g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
        Line line = { 0 };
        gboolean go_on = TRUE, ok = TRUE;
        char buf[65536];
        while (go_on) {
                ssize_t n = read(fd, buf, sizeof buf);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        ok = io_error(FALSE, path, errno, error);
                if (n <= 0)
                        break;
                for (const char *p = buf, *end = buf + n; go_on && p < end;) {
                        const char *nl = memchr(p, '\n', end - p);
                        const char *stop = nl ? nl : end;
                        g_checksum_update(sum, (const guchar *)p, stop - p);
                        if (!line.too_long && text->len + (gsize)(stop - p) > MAX_LINE)
                                line.too_long = TRUE;
                        if (!line.too_long)
                                g_string_append_len(text, p, stop - p);
                        p = nl ? nl + 1 : end;
                        if (nl)
                                go_on = line_done(text, sum, &line, func, data);
                }
        }
        if (ok && go_on && (text->len > 0 || line.too_long)) {
                line.cut_short = TRUE;
                line_done(text, sum, &line, func, data);
        }
        close(fd);
        return ok;
}

/* ---- the form of a record ---------------------------------------------------------------- */

#define T(kind) (1u << (kind))
#define STRING_OR_NULL (T(SCAN_JSON_STRING) | T(SCAN_JSON_NULL))

typedef struct {
        const char *key;
        guint kinds;                        /* T(kind) | …: the kinds it may have */
        const char *want;                   /* those kinds in words (N_) */
        gboolean optional;
        char *(*check)(const ScanJson *v);  /* NULL, or the problem with a value that is not null */
} FieldRule;

static char *check_time(const ScanJson *v)
{
        static GRegex *form; /* 2024-05-01T12:00:00.123Z, UTC, as audit.c writes it */
        static gsize once;
        if (g_once_init_enter(&once)) {
                form = g_regex_new("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$", G_REGEX_OPTIMIZE, 0, NULL);
                g_once_init_leave(&once, 1);
        }
        g_autoptr(GDateTime) time = g_date_time_new_from_iso8601(v->text, NULL);
        if (g_regex_match(form, v->text, 0, NULL) && time)
                return NULL;
        return g_strdup(_("its \"time\" is not a time such as 2024-05-01T12:00:00.000Z"));
}

static gboolean is_sha256(const char *text)
{
        gsize n = 0;
        for (; text[n]; n++) {
                if (!g_ascii_isdigit(text[n]) && (text[n] < 'a' || text[n] > 'f'))
                        return FALSE;
        }
        return n == 64;
}

static char *check_sha256(const ScanJson *v)
{
        return is_sha256(v->text) ? NULL : g_strdup(_("its \"sha256\" is not 64 lower-case hex digits"));
}

static char *check_prev(const ScanJson *v)
{
        return is_sha256(v->text) ? NULL : g_strdup(_("its \"prev\" is not 64 lower-case hex digits"));
}

static char *check_size(const ScanJson *v)
{
        gint64 n;
        if (scan_json_get_int(v, &n) && n >= 0)
                return NULL;
        return g_strdup(_("its \"size\" is not a whole number of bytes"));
}

static char *check_offset(const ScanJson *v)
{
        gint64 n;
        if (scan_json_get_int(v, &n) && n > 0)
                return NULL;
        return g_strdup(_("its \"offset\" is not a whole number of bytes above 0"));
}

static char *one_of(const char *key, const char *value, const char *const *allowed)
{
        if (g_strv_contains(allowed, value))
                return NULL;
        g_autofree char *list = g_strjoinv(", ", (char **)allowed);
        return g_strdup_printf(_("its \"%s\" is not one of %s"), key, list);
}

static char *check_verdict(const ScanJson *v)
{
        static const char *const kinds[] = { "OK", "INFECTED", "ERROR", NULL };
        return one_of("verdict", v->text, kinds);
}

static char *check_upload_verdict(const ScanJson *v)
{
        static const char *const kinds[] = { "OK", NULL };
        return one_of("verdict", v->text, kinds);
}

static char *check_result(const ScanJson *v)
{
        static const char *const results[] = { "done", "failed", "retried", NULL };
        return one_of("result", v->text, results);
}

static char *check_reason_class(const ScanJson *v)
{
        const char *classes[SCAN_REASON_UNTRUSTED + 1] = { NULL };
        for (int c = SCAN_REASON_MALWARE; c <= SCAN_REASON_UNTRUSTED; c++)
                classes[c - SCAN_REASON_MALWARE] = scan_reason_class_name((ScanReasonClass)c);
        return one_of("reason_class", v->text, classes);
}

/* How the server confirmed what it stored: {"method": …, "remote": …, "match": …} (audit.h). */
static char *check_verify(const ScanJson *v)
{
        const ScanJson *method = scan_json_get(v, "method");
        const ScanJson *remote = scan_json_get(v, "remote");
        const ScanJson *match = scan_json_get(v, "match");
        if (!method || method->kind != SCAN_JSON_STRING)
                return g_strdup(_("its \"verify\" has no \"method\" string"));
        if (!remote || !(T(remote->kind) & STRING_OR_NULL))
                return g_strdup(_("its \"verify\" has no \"remote\" that is a string or null"));
        if (!match || (match->kind != SCAN_JSON_BOOL && match->kind != SCAN_JSON_NULL))
                return g_strdup(_("its \"verify\" has no \"match\" that is true, false or null"));
        return NULL;
}

static const FieldRule common_fields[] = {
        { "time", T(SCAN_JSON_STRING), N_("a string"), FALSE, check_time },
        { "path", STRING_OR_NULL, N_("a string or null"), FALSE, NULL },
        { "size", T(SCAN_JSON_NUMBER) | T(SCAN_JSON_NULL), N_("a number or null"), FALSE, check_size },
        { "sha256", STRING_OR_NULL, N_("a string or null"), FALSE, check_sha256 },
        { "prev", STRING_OR_NULL, N_("a string or null"), TRUE, check_prev },
        { NULL },
};

static const FieldRule verdict_fields[] = {
        { "verdict", T(SCAN_JSON_STRING), N_("a string"), FALSE, check_verdict },
        { "signature", STRING_OR_NULL, N_("a string or null"), FALSE, NULL },
        { "reason", STRING_OR_NULL, N_("a string or null"), FALSE, NULL },
        { "scanner", STRING_OR_NULL, N_("a string or null"), FALSE, NULL },
        { "reason_class", STRING_OR_NULL, N_("a string or null"), FALSE, check_reason_class },
        { "istag", T(SCAN_JSON_STRING), N_("a string"), TRUE, NULL },
        { NULL },
};

static const FieldRule upload_fields[] = {
        { "verdict", T(SCAN_JSON_STRING), N_("a string"), FALSE, check_upload_verdict },
        { "scanner", STRING_OR_NULL, N_("a string or null"), FALSE, NULL },
        { "server", STRING_OR_NULL, N_("a string or null"), FALSE, NULL },
        { "remote", STRING_OR_NULL, N_("a string or null"), FALSE, NULL },
        { "offset", T(SCAN_JSON_NUMBER), N_("a number"), TRUE, check_offset },
        { "result", T(SCAN_JSON_STRING), N_("a string"), FALSE, check_result },
        { "error", STRING_OR_NULL, N_("a string or null"), FALSE, NULL },
        { "verify", T(SCAN_JSON_OBJECT), N_("an object"), TRUE, check_verify },
        { NULL },
};

static const struct {
        const char *event;
        const FieldRule *fields;
} events[] = {
        { "verdict", verdict_fields },
        { "upload", upload_fields },
};

static char *check_fields(const ScanJson *record, const char *event, const FieldRule *rules)
{
        for (const FieldRule *rule = rules; rule->key; rule++) {
                const ScanJson *v = scan_json_get(record, rule->key);
                if (!v && rule->optional)
                        continue;
                if (!v)
                        return g_strdup_printf(_("the record has no \"%s\", which every \"%s\" record has"),
                                               rule->key, event);
                if (!(T(v->kind) & rule->kinds))
                        return g_strdup_printf(_("its \"%s\" is %s; it must be %s"), rule->key,
                                               scan_json_kind_name(v->kind), _(rule->want));
                char *problem = v->kind != SCAN_JSON_NULL && rule->check ? rule->check(v) : NULL;
                if (problem)
                        return problem;
        }
        return NULL;
}

/* The problem with the record in text, or NULL with the record in *out. */
static char *read_record(const char *text, gsize len, ScanJson **out)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanJson) record = scan_json_parse(text, len, &error);
        if (!record)
                return g_strdup_printf(_("the line is not JSON: %s"), error->message);
        if (record->kind != SCAN_JSON_OBJECT)
                return g_strdup_printf(_("the line is %s, not a JSON object"), scan_json_kind_name(record->kind));
        const ScanJson *event = scan_json_get(record, "event");
        if (!event || event->kind != SCAN_JSON_STRING)
                return g_strdup(_("the record has no \"event\" string"));
        for (gsize i = 0; i < G_N_ELEMENTS(events); i++) {
                if (!g_str_equal(event->text, events[i].event))
                        continue;
                char *problem = check_fields(record, event->text, common_fields);
                if (!problem)
                        problem = check_fields(record, event->text, events[i].fields);
                if (!problem)
                        *out = g_steal_pointer(&record);
                return problem;
        }
        return g_strdup(_("its \"event\" is neither \"verdict\" nor \"upload\""));
}

char *scan_audit_check_record(const char *text, gsize len)
{
        g_autoptr(ScanJson) record = NULL;
        return read_record(text, len, &record);
}

/* ---- the chain --------------------------------------------------------------------------- */

typedef struct {
        const char *const *files;
        guint file;                  /* the one being read */
        ScanAuditReport *report;
        gboolean chained;            /* a record with "prev" was read */
        gulong last_line;            /* of the last record read, in files[last_file] */
        guint last_file;
} Checker;

static gboolean G_GNUC_PRINTF(3, 4) broken(Checker *c, const Line *line, const char *format, ...)
{
        va_list args;
        va_start(args, format);
        c->report->problem = g_strdup_vprintf(format, args);
        va_end(args);
        c->report->broken = TRUE;
        c->report->file = g_strdup(c->files[c->file]);
        c->report->line = line->number;
        return FALSE;
}

typedef struct {
        const char *hash;
        gulong line;
} Search;

static gboolean search_line(const Line *line, gpointer data)
{
        Search *s = data;
        if (!g_str_equal(line->hash, s->hash))
                return TRUE;
        s->line = line->number;
        return FALSE;
}

/* Where in the files the line whose hash is `hash` is: FALSE when in none. */
static gboolean find_line(const Checker *c, const char *hash, guint *file, gulong *line)
{
        for (guint i = 0; c->files[i]; i++) {
                Search s = { hash, 0 };
                if (each_line(c->files[i], search_line, &s, NULL) && s.line) {
                        *file = i;
                        *line = s.line;
                        return TRUE;
                }
        }
        return FALSE;
}

static char *shown_file(const Checker *c, guint i)
{
        return g_filename_display_name(c->files[i]);
}

/* "prev" names a line other than the one before: which one, or else what may have happened. */
static gboolean link_broken(Checker *c, const Line *line, const char *prev)
{
        g_autofree char *before = shown_file(c, c->last_file);
        guint file;
        gulong at;
        if (find_line(c, prev, &file, &at)) {
                g_autofree char *where = shown_file(c, file);
                if (file == c->file)
                        return broken(c, line, _("the record follows line %lu, not the line before it: records were "
                                                 "reordered"), at);
                return broken(c, line, _("the record follows line %lu of %s: the files are given out of order, "
                                         "or records were moved between them"), at, where);
        }
        if (line->number == 1)
                return broken(c, line, _("the first record does not follow the last record of %s (line %lu): "
                                         "the files are out of order, a file between them is missing, or that "
                                         "record was edited or records after it removed"), before, c->last_line);
        return broken(c, line, _("the previous record's hash does not match: line %lu was edited, or records "
                                 "after it were removed"), line->number - 1);
}

static gboolean check_link(Checker *c, const Line *line, const ScanJson *prev)
{
        gboolean first = c->report->records == 0;
        if (!prev) {
                if (!c->chained) {
                        c->report->unchained++;
                        return TRUE;
                }
                return broken(c, line, _("the record has no \"prev\", though the records before it have one: "
                                         "it was added or edited"));
        }
        gboolean was_chained = c->chained;
        c->chained = TRUE;
        if (first) {
                c->report->continues = prev->kind != SCAN_JSON_NULL;
                return TRUE;
        }
        if (prev->kind == SCAN_JSON_NULL && line->number == 1 && c->file > c->last_file) {
                g_autofree char *before = shown_file(c, c->last_file);
                return broken(c, line, _("the file starts a new chain (\"prev\":null), so it does not follow %s: "
                                         "the files are out of order, a file between them is missing, or the log "
                                         "was rotated where clamftp could not find the file before it"), before);
        }
        if (prev->kind == SCAN_JSON_NULL)
                return broken(c, line, was_chained ? _("the record starts a new chain (\"prev\":null) inside the "
                                                       "log: the records before it were removed, or it was added")
                                                   : _("the record starts a new chain (\"prev\":null) after "
                                                       "records written before the chain: it was added"));
        if (g_str_equal(prev->text, c->report->last))
                return TRUE;
        return link_broken(c, line, prev->text);
}

static gboolean check_line(const Line *line, gpointer data)
{
        Checker *c = data;
        if (line->too_long)
                return broken(c, line, _("the line is longer than any record (over %d MiB)"), MAX_LINE >> 20);
        if (line->cut_short)
                return broken(c, line, _("the last line has no newline at its end: a record cut short (a write "
                                         "that did not finish, or a file cut)"));
        g_autoptr(ScanJson) record = NULL;
        g_autofree char *problem = read_record(line->text, line->len, &record);
        if (problem)
                return broken(c, line, "%s", problem);
        if (!check_link(c, line, scan_json_get(record, "prev")))
                return FALSE;
        c->report->records++;
        g_strlcpy(c->report->last, line->hash, sizeof c->report->last);
        c->last_file = c->file;
        c->last_line = line->number;
        return TRUE;
}

ScanAuditReport *scan_audit_check(const char *const *files, GError **error)
{
        g_autoptr(ScanAuditReport) report = g_new0(ScanAuditReport, 1);
        Checker c = { .files = files, .report = report };
        for (c.file = 0; files[c.file] && !report->broken; c.file++) {
                if (!each_line(files[c.file], check_line, &c, error))
                        return NULL;
        }
        return g_steal_pointer(&report);
}
