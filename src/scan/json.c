/* scan/json.c — a strict reader of one JSON text (RFC 8259) into a ScanJson tree.
 * Owns: the grammar (recursive descent, nesting bounded), string unescaping with surrogate pairs,
 * UTF-8 validation, and the messages that say where a text stops being JSON.
 * Must not: accept anything RFC 8259 refuses, or know what an audit record holds. */
#include "config.h"
#include "scan/json.h"
#include "common/i18n.h"
#include "common/quark.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

COMMON_DEFINE_QUARK(scan-json-error-quark, scan_json_error)

typedef struct {
        const char *start, *p, *end;
        int depth;
        GError **error;
} Reader;

static gboolean fail(Reader *r, const char *what)
{
        if (r->p >= r->end)
                g_set_error(r->error, SCAN_JSON_ERROR, SCAN_JSON_ERROR_SYNTAX, _("%s at the end of the text"), what);
        else
                g_set_error(r->error, SCAN_JSON_ERROR, SCAN_JSON_ERROR_SYNTAX, _("%s at byte %zu"), what,
                            (gsize)(r->p - r->start) + 1);
        return FALSE;
}

static void skip_space(Reader *r)
{
        while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
                r->p++;
}

static gboolean at(Reader *r, char c)
{
        return r->p < r->end && *r->p == c;
}

static gboolean take(Reader *r, char c)
{
        if (!at(r, c))
                return FALSE;
        r->p++;
        return TRUE;
}

static ScanJson *node_new(ScanJsonKind kind)
{
        ScanJson *json = g_new0(ScanJson, 1);
        json->kind = kind;
        return json;
}

static void member_free(gpointer data)
{
        ScanJsonMember *member = data;
        g_free(member->key);
        scan_json_free(member->value);
        g_free(member);
}

void scan_json_free(ScanJson *json)
{
        if (!json)
                return;
        g_free(json->text);
        if (json->items)
                g_ptr_array_unref(json->items);
        g_free(json);
}

/* ---- strings ----------------------------------------------------------------------------- */

static gboolean hex4(Reader *r, gunichar *out)
{
        *out = 0;
        for (int i = 0; i < 4; i++, r->p++) {
                if (r->p >= r->end || !g_ascii_isxdigit(*r->p))
                        return fail(r, _("\\u needs four hex digits"));
                *out = *out * 16 + (gunichar)g_ascii_xdigit_value(*r->p);
        }
        return TRUE;
}

/* After "\u": one code point, a surrogate pair joined; a lone surrogate is not text. */
static gboolean unicode_escape(Reader *r, GString *out)
{
        gunichar c;
        if (!hex4(r, &c))
                return FALSE;
        if (c >= 0xdc00 && c <= 0xdfff)
                return fail(r, _("a lone low surrogate (\\udc00-\\udfff)"));
        if (c >= 0xd800 && c <= 0xdbff) {
                gunichar low;
                if (!take(r, '\\') || !take(r, 'u'))
                        return fail(r, _("a high surrogate without its low surrogate"));
                if (!hex4(r, &low))
                        return FALSE;
                if (low < 0xdc00 || low > 0xdfff)
                        return fail(r, _("a high surrogate without its low surrogate"));
                c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        }
        if (c == 0)
                return fail(r, _("\\u0000 in a string"));
        g_string_append_unichar(out, c);
        return TRUE;
}

static gboolean escape(Reader *r, GString *out)
{
        if (r->p >= r->end)
                return fail(r, _("an unfinished escape"));
        char c = *r->p++;
        switch (c) {
        case '"': case '\\': case '/': g_string_append_c(out, c); return TRUE;
        case 'b': g_string_append_c(out, '\b'); return TRUE;
        case 'f': g_string_append_c(out, '\f'); return TRUE;
        case 'n': g_string_append_c(out, '\n'); return TRUE;
        case 'r': g_string_append_c(out, '\r'); return TRUE;
        case 't': g_string_append_c(out, '\t'); return TRUE;
        case 'u': return unicode_escape(r, out);
        default:
                r->p--;
                return fail(r, _("an unknown escape"));
        }
}

/* At '"': the string, unescaped, as a new string. */
static char *string(Reader *r)
{
        const char *opening = r->p++;
        g_autoptr(GString) out = g_string_new(NULL);
        for (;;) {
                if (r->p >= r->end) {
                        r->p = opening;
                        fail(r, _("a string that is not closed"));
                        return NULL;
                }
                unsigned char c = (unsigned char)*r->p;
                if (c == '"')
                        break;
                if (c < 0x20) {
                        fail(r, _("a raw control character in a string"));
                        return NULL;
                }
                if (c != '\\') {
                        const char *next = g_utf8_next_char(r->p);
                        gunichar u = g_utf8_get_char_validated(r->p, r->end - r->p);
                        if (u == (gunichar)-1 || u == (gunichar)-2 || !g_unichar_validate(u) || next > r->end) {
                                fail(r, _("bytes that are not UTF-8"));
                                return NULL;
                        }
                        g_string_append_len(out, r->p, next - r->p);
                        r->p = next;
                        continue;
                }
                r->p++;
                if (!escape(r, out))
                        return NULL;
        }
        r->p++;
        return g_string_free(g_steal_pointer(&out), FALSE);
}

/* ---- numbers and words ------------------------------------------------------------------- */

static gboolean digits(Reader *r)
{
        const char *first = r->p;
        while (r->p < r->end && g_ascii_isdigit(*r->p))
                r->p++;
        return r->p > first;
}

static ScanJson *number(Reader *r)
{
        const char *first = r->p;
        take(r, '-');
        if (take(r, '0')) {
                if (r->p < r->end && g_ascii_isdigit(*r->p)) {
                        fail(r, _("a number with a leading zero"));
                        return NULL;
                }
        } else if (!digits(r)) {
                fail(r, _("a number without digits"));
                return NULL;
        }
        if (take(r, '.') && !digits(r)) {
                fail(r, _("a number without digits after its point"));
                return NULL;
        }
        if (take(r, 'e') || take(r, 'E')) {
                if (!take(r, '+'))
                        take(r, '-');
                if (!digits(r)) {
                        fail(r, _("a number without digits in its exponent"));
                        return NULL;
                }
        }
        ScanJson *json = node_new(SCAN_JSON_NUMBER);
        json->text = g_strndup(first, r->p - first);
        return json;
}

static ScanJson *word(Reader *r)
{
        static const struct {
                const char *text;
                ScanJsonKind kind;
                gboolean value;
        } words[] = { { "null", SCAN_JSON_NULL, FALSE }, { "true", SCAN_JSON_BOOL, TRUE },
                      { "false", SCAN_JSON_BOOL, FALSE } };
        for (gsize i = 0; i < G_N_ELEMENTS(words); i++) {
                gsize n = strlen(words[i].text);
                if ((gsize)(r->end - r->p) >= n && memcmp(r->p, words[i].text, n) == 0) {
                        r->p += n;
                        ScanJson *json = node_new(words[i].kind);
                        json->boolean = words[i].value;
                        return json;
                }
        }
        fail(r, _("something that is not a JSON value"));
        return NULL;
}

/* ---- values, arrays, objects ------------------------------------------------------------- */

static ScanJson *value(Reader *r);

static gboolean enter(Reader *r)
{
        if (++r->depth <= SCAN_JSON_MAX_DEPTH)
                return TRUE;
        g_set_error(r->error, SCAN_JSON_ERROR, SCAN_JSON_ERROR_LIMIT,
                    _("nested deeper than %d levels at byte %zu"), SCAN_JSON_MAX_DEPTH, (gsize)(r->p - r->start) + 1);
        return FALSE;
}

static gboolean object_has(const ScanJson *object, const char *key)
{
        return scan_json_get(object, key) != NULL;
}

/* After '{' or ',' in an object: one "key": value, added to object. */
static gboolean member(Reader *r, ScanJson *object)
{
        skip_space(r);
        if (!at(r, '"'))
                return fail(r, _("a key that is not a string"));
        const char *key_at = r->p;
        g_autofree char *key = string(r);
        if (!key)
                return FALSE;
        if (object_has(object, key)) {
                r->p = key_at;
                return fail(r, _("a key that appears twice"));
        }
        skip_space(r);
        if (!take(r, ':'))
                return fail(r, _("a missing ':' after a key"));
        ScanJson *v = value(r);
        if (!v)
                return FALSE;
        ScanJsonMember *m = g_new0(ScanJsonMember, 1);
        m->key = g_steal_pointer(&key);
        m->value = v;
        g_ptr_array_add(object->items, m);
        return TRUE;
}

/* In an array: one value, added to array. */
static gboolean element(Reader *r, ScanJson *array)
{
        ScanJson *v = value(r);
        if (!v)
                return FALSE;
        g_ptr_array_add(array->items, v);
        return TRUE;
}

/* At '{' or '[': the members or elements up to the closing bracket. */
static ScanJson *container(Reader *r, gboolean is_object)
{
        if (!enter(r))
                return NULL;
        r->p++;
        g_autoptr(ScanJson) json = node_new(is_object ? SCAN_JSON_OBJECT : SCAN_JSON_ARRAY);
        json->items = g_ptr_array_new_with_free_func(is_object ? member_free : (GDestroyNotify)scan_json_free);
        char closing = is_object ? '}' : ']';
        skip_space(r);
        if (!take(r, closing)) {
                do {
                        if (!(is_object ? member(r, json) : element(r, json)))
                                return NULL;
                        skip_space(r);
                } while (take(r, ','));
                if (!take(r, closing)) {
                        fail(r, is_object ? _("a missing ',' or '}' in an object")
                                          : _("a missing ',' or ']' in an array"));
                        return NULL;
                }
        }
        r->depth--;
        return g_steal_pointer(&json);
}

static ScanJson *value(Reader *r)
{
        skip_space(r);
        if (r->p >= r->end) {
                fail(r, _("a missing value"));
                return NULL;
        }
        switch (*r->p) {
        case '{': return container(r, TRUE);
        case '[': return container(r, FALSE);
        case '"': {
                char *text = string(r);
                if (!text)
                        return NULL;
                ScanJson *json = node_new(SCAN_JSON_STRING);
                json->text = text;
                return json;
        }
        case '-': case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8':
        case '9':
                return number(r);
        default:
                return word(r);
        }
}

ScanJson *scan_json_parse(const char *text, gsize len, GError **error)
{
        Reader r = { text, text, text + len, 0, error };
        g_autoptr(ScanJson) json = value(&r);
        if (!json)
                return NULL;
        skip_space(&r);
        if (r.p < r.end) {
                fail(&r, _("more after the end of the value"));
                return NULL;
        }
        return g_steal_pointer(&json);
}

/* ---- reading the tree -------------------------------------------------------------------- */

const ScanJson *scan_json_get(const ScanJson *json, const char *key)
{
        if (!json || json->kind != SCAN_JSON_OBJECT)
                return NULL;
        for (guint i = 0; i < json->items->len; i++) {
                const ScanJsonMember *m = g_ptr_array_index(json->items, i);
                if (g_str_equal(m->key, key))
                        return m->value;
        }
        return NULL;
}

gboolean scan_json_get_int(const ScanJson *json, gint64 *value_out)
{
        if (!json || json->kind != SCAN_JSON_NUMBER || strpbrk(json->text, ".eE"))
                return FALSE;
        char *end = NULL;
        errno = 0;
        gint64 n = g_ascii_strtoll(json->text, &end, 10);
        if (errno != 0 || !end || *end)
                return FALSE;
        *value_out = n;
        return TRUE;
}

const char *scan_json_kind_name(ScanJsonKind kind)
{
        switch (kind) {
        case SCAN_JSON_NULL: return _("null");
        case SCAN_JSON_BOOL: return _("true or false");
        case SCAN_JSON_NUMBER: return _("a number");
        case SCAN_JSON_STRING: return _("a string");
        case SCAN_JSON_ARRAY: return _("an array");
        case SCAN_JSON_OBJECT: return _("an object");
        }
        return "?";
}

void scan_json_append_string(GString *out, const char *text)
{
        if (!text) {
                g_string_append(out, "null");
                return;
        }
        g_autofree char *valid = g_utf8_make_valid(text, -1); /* file names are bytes; JSON is UTF-8 */
        g_string_append_c(out, '"');
        for (const unsigned char *p = (const unsigned char *)valid; *p; p++) {
                switch (*p) {
                case '"':  g_string_append(out, "\\\""); break;
                case '\\': g_string_append(out, "\\\\"); break;
                case '\n': g_string_append(out, "\\n"); break;
                case '\r': g_string_append(out, "\\r"); break;
                case '\t': g_string_append(out, "\\t"); break;
                case '\b': g_string_append(out, "\\b"); break;
                case '\f': g_string_append(out, "\\f"); break;
                default:
                        if (*p < 0x20 || *p == 0x7f)
                                g_string_append_printf(out, "\\u%04x", *p);
                        else
                                g_string_append_c(out, (char)*p);
                }
        }
        g_string_append_c(out, '"');
}
