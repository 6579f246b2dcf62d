/* core/journal-format.c — the text of the queue's journal (core/journal.h): one record per line,
 * "CRC32 VERB key=value …", values percent-encoded (any byte of a file name survives), and the
 * strict reader of it. The first line is the header "clamftp-queue 1".
 *   server s=N host=H port=P [user=U] tls=auto|require|off implicit=0|1 [fp=F]
 *   add id=N s=N dir=up|down local=L remote=R size=S mtime=T [base=B]
 *   start id=N    temp id=N name=T    target id=N local=L remote=R    end id=N
 *   failed id=N reason=R   (the job stays, failed, until a start runs it again or an end)
 * Must not: touch files or locks (core/journal.c does). */
#include "core/journal-private.h"
#include "common/i18n.h"
#include "common/quark.h"

#include <stdlib.h>
#include <string.h>

COMMON_DEFINE_QUARK(core-journal-error-quark, core_journal_error)

static guint32 crc_table[256];

static void crc_init(void)
{
        static gsize done = 0;
        if (!g_once_init_enter(&done))
                return;
        for (guint32 i = 0; i < 256; i++) {
                guint32 c = i;
                for (int k = 0; k < 8; k++)
                        c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                crc_table[i] = c;
        }
        g_once_init_leave(&done, 1);
}

guint32 core_journal_crc32(const char *data, gsize len)
{
        crc_init();
        guint32 c = 0xFFFFFFFFu;
        for (gsize i = 0; i < len; i++)
                c = crc_table[(c ^ (guchar)data[i]) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
}

static gboolean plain_byte(guchar c)
{
        return g_ascii_isalnum(c) || strchr("._~/:@+,-", c) != NULL;
}

void core_journal_put_value(GString *out, const char *key, const char *value)
{
        g_string_append_printf(out, " %s=", key);
        for (const guchar *p = (const guchar *)value; *p; p++) {
                if (plain_byte(*p))
                        g_string_append_c(out, (char)*p);
                else
                        g_string_append_printf(out, "%%%02X", *p);
        }
}

void core_journal_put_number(GString *out, const char *key, gint64 value)
{
        g_string_append_printf(out, " %s=%" G_GINT64_FORMAT, key, value);
}

/* "CRC payload\n" */
void core_journal_seal(GString *out, const char *payload)
{
        g_string_append_printf(out, "%08x %s\n", core_journal_crc32(payload, strlen(payload)), payload);
}

/* ---- reading ------------------------------------------------------------------------- */

/* A value decoded; NULL when it is not what the writer makes. transfer full */
static char *decode(const char *text)
{
        GString *out = g_string_new(NULL);
        for (const char *p = text; *p; p++) {
                if (plain_byte((guchar)*p)) {
                        g_string_append_c(out, *p);
                        continue;
                }
                int hi = *p == '%' ? g_ascii_xdigit_value(p[1]) : -1;
                int lo = hi >= 0 ? g_ascii_xdigit_value(p[2]) : -1;
                if (lo < 0 || (hi == 0 && lo == 0)) {
                        g_string_free(out, TRUE);
                        return NULL;
                }
                g_string_append_c(out, (char)(hi * 16 + lo));
                p += 2;
        }
        return g_string_free(out, FALSE);
}

/* One record's words: the verb, then key → decoded value. */
typedef struct {
        char *verb;
        GHashTable *values;
} Record;

static void record_clear(Record *record)
{
        g_free(record->verb);
        if (record->values)
                g_hash_table_unref(record->values);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Record, record_clear)

static gboolean split_record(const char *payload, Record *record)
{
        g_auto(GStrv) words = g_strsplit(payload, " ", -1);
        if (!words[0] || !*words[0])
                return FALSE;
        record->verb = g_strdup(words[0]);
        record->values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        for (char **w = words + 1; *w; w++) {
                const char *eq = strchr(*w, '=');
                if (!eq || eq == *w)
                        return FALSE;
                char *value = decode(eq + 1);
                if (!value)
                        return FALSE;
                g_hash_table_replace(record->values, g_strndup(*w, (gsize)(eq - *w)), value);
        }
        return TRUE;
}

static const char *text_of(const Record *record, const char *key)
{
        return g_hash_table_lookup(record->values, key);
}

static gboolean number_of(const Record *record, const char *key, gint64 min, gint64 *value)
{
        const char *text = text_of(record, key);
        return text && g_ascii_string_to_signed(text, 10, min, G_MAXINT64, value, NULL);
}

static gboolean flag_of(const Record *record, const char *key, gboolean *value)
{
        gint64 n = 0;
        if (!number_of(record, key, 0, &n) || n > 1)
                return FALSE;
        *value = n == 1;
        return TRUE;
}

static gboolean tls_word(const char *text)
{
        return g_strcmp0(text, "auto") == 0 || g_strcmp0(text, "require") == 0 || g_strcmp0(text, "off") == 0;
}

static gboolean read_server(const Record *record, GPtrArray *servers)
{
        gint64 index = 0, port = 0;
        CoreJournalServer *server = g_new0(CoreJournalServer, 1);
        g_ptr_array_add(servers, server);
        if (!number_of(record, "s", 0, &index) || index != (gint64)servers->len - 1 ||
            !number_of(record, "port", 1, &port) || port > 65535 || !text_of(record, "host") ||
            !tls_word(text_of(record, "tls")) || !flag_of(record, "implicit", &server->implicit_tls))
                return FALSE;
        server->host = g_strdup(text_of(record, "host"));
        server->port = (guint16)port;
        server->user = g_strdup(text_of(record, "user"));
        server->tls = g_strdup(text_of(record, "tls"));
        server->fingerprint = g_strdup(text_of(record, "fp"));
        return TRUE;
}

static gboolean read_add(const Record *record, GHashTable *live, GPtrArray *order, guint n_servers)
{
        gint64 id = 0, server = 0;
        const char *dir = text_of(record, "dir");
        CoreJournalJob job = { 0 };
        if (!number_of(record, "id", 1, &id) || g_hash_table_contains(live, &id) ||
            !number_of(record, "s", 0, &server) || server >= (gint64)n_servers ||
            !number_of(record, "size", -1, &job.size) || !number_of(record, "mtime", -1, &job.mtime) ||
            (g_strcmp0(dir, "up") != 0 && g_strcmp0(dir, "down") != 0) ||
            !text_of(record, "local") || !text_of(record, "remote"))
                return FALSE;
        CoreJournalJob *added = g_new0(CoreJournalJob, 1);
        *added = job;
        added->id = (guint64)id;
        added->server = (guint)server;
        added->upload = g_str_equal(dir, "up");
        added->local = g_strdup(text_of(record, "local"));
        added->remote = g_strdup(text_of(record, "remote"));
        added->base = g_strdup(text_of(record, "base"));
        g_hash_table_insert(live, &added->id, added);
        g_ptr_array_add(order, added);
        return TRUE;
}

/* start, temp, target, failed, end: a job that is live. */
static gboolean read_change(const Record *record, GHashTable *live, GPtrArray *order)
{
        gint64 id = 0;
        if (!number_of(record, "id", 1, &id))
                return FALSE;
        CoreJournalJob *job = g_hash_table_lookup(live, &id);
        if (!job)
                return FALSE;
        if (g_str_equal(record->verb, "start")) {
                job->started = TRUE;
                g_clear_pointer(&job->failed, g_free);
        } else if (g_str_equal(record->verb, "failed")) {
                if (!text_of(record, "reason"))
                        return FALSE;
                g_free(job->failed);
                job->failed = g_strdup(text_of(record, "reason"));
        } else if (g_str_equal(record->verb, "target")) {
                if (!text_of(record, "local") || !text_of(record, "remote"))
                        return FALSE;
                g_free(job->local);
                job->local = g_strdup(text_of(record, "local"));
                g_free(job->remote);
                job->remote = g_strdup(text_of(record, "remote"));
        } else if (g_str_equal(record->verb, "temp")) {
                if (!text_of(record, "name"))
                        return FALSE;
                g_free(job->temp);
                job->temp = g_strdup(text_of(record, "name"));
        } else {
                g_hash_table_remove(live, &id);
                g_ptr_array_remove(order, job); /* frees it */
        }
        return TRUE;
}

static gboolean read_record(const char *payload, GHashTable *live, GPtrArray *order, GPtrArray *servers)
{
        g_auto(Record) record = { 0 };
        if (!split_record(payload, &record))
                return FALSE;
        if (g_str_equal(record.verb, "server"))
                return read_server(&record, servers);
        if (g_str_equal(record.verb, "add"))
                return read_add(&record, live, order, servers->len);
        if (g_str_equal(record.verb, "start") || g_str_equal(record.verb, "temp") ||
            g_str_equal(record.verb, "target") || g_str_equal(record.verb, "end") ||
            g_str_equal(record.verb, "failed"))
                return read_change(&record, live, order);
        return FALSE;
}

/* The payload of a sealed line (without its '\n'), or NULL when its CRC does not match. */
static const char *unseal(const char *line, gsize len)
{
        if (len < 10 || line[8] != ' ')
                return NULL;
        for (int i = 0; i < 8; i++) {
                if (!g_ascii_isxdigit(line[i]) || g_ascii_isupper(line[i]))
                        return NULL;
        }
        char hex[9];
        memcpy(hex, line, 8);
        hex[8] = '\0';
        guint32 crc = (guint32)strtoul(hex, NULL, 16);
        if (memchr(line, '\0', len) || core_journal_crc32(line + 9, len - 9) != crc)
                return NULL;
        return line + 9;
}

static void server_free(gpointer data)
{
        core_journal_server_clear(data);
        g_free(data);
}

static gboolean parse_error(GError **error, guint line, const char *what)
{
        g_set_error(error, CORE_JOURNAL_ERROR, CORE_JOURNAL_ERROR_PARSE, _("line %u: %s"), line, what);
        return FALSE;
}

gboolean core_journal_parse(const char *text, gsize len, GPtrArray **jobs, GPtrArray **servers, gboolean *torn,
                            GError **error)
{
        g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func((GDestroyNotify)core_journal_job_free);
        g_autoptr(GPtrArray) known = g_ptr_array_new_with_free_func(server_free);
        g_autoptr(GHashTable) live = g_hash_table_new(g_int64_hash, g_int64_equal);
        *torn = FALSE;
        guint n = 0;
        for (gsize at = 0; at < len; n++) {
                const char *line = text + at;
                const char *nl = memchr(line, '\n', len - at);
                gsize line_len = nl ? (gsize)(nl - line) : len - at;
                at += line_len + 1;
                gboolean last = at >= len;
                const char *payload = nl ? unseal(line, line_len) : NULL;
                if (!payload && last && n > 0) {
                        *torn = TRUE; /* the record being written when the process or machine stopped */
                        break;
                }
                if (!payload)
                        return parse_error(error, n + 1, nl ? _("the checksum does not match") : _("cut off"));
                g_autofree char *body = g_strndup(payload, line_len - 9);
                if (n == 0) {
                        if (!g_str_equal(body, CORE_JOURNAL_HEADER))
                                return parse_error(error, 1, _("not a clamftp queue journal"));
                        continue;
                }
                if (!read_record(body, live, order, known))
                        return parse_error(error, n + 1, _("a record that does not fit"));
        }
        if (n == 0)
                return parse_error(error, 1, _("empty"));
        g_ptr_array_set_free_func(order, NULL);
        *jobs = g_ptr_array_new_with_free_func((GDestroyNotify)core_journal_job_free);
        for (guint i = 0; i < order->len; i++)
                g_ptr_array_add(*jobs, order->pdata[i]);
        *servers = g_steal_pointer(&known);
        return TRUE;
}
