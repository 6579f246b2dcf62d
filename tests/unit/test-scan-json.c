/* tests/unit/test-scan-json.c — the strict JSON reader the audit checker reads records with:
 * every value RFC 8259 allows, read right (escapes, surrogate pairs, numbers, nesting), and
 * every text it refuses refused with words that say why and where.
 * Must not: touch files. */
#include "config.h"
#include "scan/json.h"

#include <string.h>

static const struct {
        const char *text;
        ScanJsonKind kind;
        const char *shown; /* a string's value or a number's text; NULL for the others */
} valid[] = {
        { "null", SCAN_JSON_NULL, NULL },
        { " \t\r\ntrue\n", SCAN_JSON_BOOL, NULL },
        { "\"\"", SCAN_JSON_STRING, "" },
        { "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", SCAN_JSON_STRING, "a\"b\\c/d\b\f\n\r\t" },
        { "\"\\u00e9\\u20AC\"", SCAN_JSON_STRING, "é€" },
        { "\"\\ud83d\\ude00\"", SCAN_JSON_STRING, "😀" },
        { "\"é raw UTF-8 😀\"", SCAN_JSON_STRING, "é raw UTF-8 😀" },
        { "0", SCAN_JSON_NUMBER, "0" },
        { "-12", SCAN_JSON_NUMBER, "-12" },
        { "3.25e-2", SCAN_JSON_NUMBER, "3.25e-2" },
        { "1E+3", SCAN_JSON_NUMBER, "1E+3" },
        { "[]", SCAN_JSON_ARRAY, NULL },
        { "[1, [2, {\"a\": null}], \"x\"]", SCAN_JSON_ARRAY, NULL },
        { "{}", SCAN_JSON_OBJECT, NULL },
        { "{ \"a\" : 1 , \"b\" : { \"a\" : 2 } }", SCAN_JSON_OBJECT, NULL },
};

static const struct {
        const char *text;
        gsize len; /* 0: strlen(text) */
        const char *words;
} invalid[] = {
        { "", 0, "a missing value at the end" },
        { "   ", 0, "a missing value" },
        { "nul", 0, "not a JSON value at byte 1" },
        { "True", 0, "not a JSON value" },
        { "{}x", 0, "more after the end of the value at byte 3" },
        { "{} {}", 0, "more after the end" },
        { "{\"a\":1", 0, "a missing ',' or '}' in an object at the end" },
        { "{\"a\":1,}", 0, "a key that is not a string at byte 8" },
        { "[1,]", 0, "not a JSON value at byte 4" },
        { "[1 2]", 0, "a missing ',' or ']'" },
        { "{a:1}", 0, "a key that is not a string" },
        { "{\"a\" 1}", 0, "a missing ':'" },
        { "{\"a\":1,\"a\":2}", 0, "a key that appears twice at byte 8" },
        { "\"x\ny\"", 0, "a raw control character in a string at byte 3" },
        { "\"abc", 0, "a string that is not closed at byte 1" },
        { "\"\\q\"", 0, "an unknown escape at byte 3" },
        { "\"\\u12\"", 0, "\\u needs four hex digits" },
        { "\"\\u0000\"", 0, "\\u0000 in a string" },
        { "\"\\udc00\"", 0, "a lone low surrogate" },
        { "\"\\ud83d x\"", 0, "a high surrogate without its low surrogate" },
        { "\"\\ud83d\\u0041\"", 0, "a high surrogate without its low surrogate" },
        { "\"\xff\"", 0, "bytes that are not UTF-8 at byte 2" },
        { "\"\xc3\"", 0, "bytes that are not UTF-8" },
        { "\"\xc0\xaf\"", 0, "bytes that are not UTF-8" },  /* overlong '/' */
        { "\"\xed\xa0\x80\"", 0, "bytes that are not UTF-8" }, /* a surrogate in UTF-8 */
        { "\"a\0b\"", 5, "a raw control character" },
        { "01", 0, "a leading zero at byte 2" },
        { "-", 0, "a number without digits" },
        { "1.", 0, "without digits after its point" },
        { "1e", 0, "without digits in its exponent" },
        { "+1", 0, "not a JSON value" },
        { ".5", 0, "not a JSON value" },
        { "/* c */ 1", 0, "not a JSON value" },
        { "'a'", 0, "not a JSON value" },
};

static void test_valid(void)
{
        for (gsize i = 0; i < G_N_ELEMENTS(valid); i++) {
                g_test_message("row %zu: %s", i, valid[i].text);
                g_autoptr(GError) error = NULL;
                g_autoptr(ScanJson) json = scan_json_parse(valid[i].text, strlen(valid[i].text), &error);
                g_assert_no_error(error);
                g_assert_cmpint(json->kind, ==, valid[i].kind);
                if (valid[i].shown)
                        g_assert_cmpstr(json->text, ==, valid[i].shown);
        }
}

static void test_invalid(void)
{
        for (gsize i = 0; i < G_N_ELEMENTS(invalid); i++) {
                gsize len = invalid[i].len ? invalid[i].len : strlen(invalid[i].text);
                g_autoptr(GError) error = NULL;
                g_autoptr(ScanJson) json = scan_json_parse(invalid[i].text, len, &error);
                g_test_message("row %zu: %s", i, error ? error->message : "accepted");
                g_assert_null(json);
                g_assert_error(error, SCAN_JSON_ERROR, SCAN_JSON_ERROR_SYNTAX);
                g_assert_nonnull(strstr(error->message, invalid[i].words));
        }
}

static void test_object_members_in_order(void)
{
        const char *text = "{\"b\":1,\"a\":{\"c\":[true,false]},\"n\":-9007199254740993,\"f\":1.5,\"big\":99999999999999999999}";
        g_autoptr(ScanJson) json = scan_json_parse(text, strlen(text), NULL);
        g_assert_nonnull(json);
        g_assert_cmpuint(json->items->len, ==, 5);
        const ScanJsonMember *first = g_ptr_array_index(json->items, 0);
        g_assert_cmpstr(first->key, ==, "b");
        const ScanJson *c = scan_json_get(scan_json_get(json, "a"), "c");
        g_assert_cmpint(c->kind, ==, SCAN_JSON_ARRAY);
        const ScanJson *t = g_ptr_array_index(c->items, 0);
        g_assert_true(t->boolean);
        gint64 n;
        g_assert_true(scan_json_get_int(scan_json_get(json, "n"), &n));
        g_assert_cmpint(n, ==, G_GINT64_CONSTANT(-9007199254740993));
        g_assert_false(scan_json_get_int(scan_json_get(json, "f"), &n));
        g_assert_false(scan_json_get_int(scan_json_get(json, "big"), &n));
        g_assert_null(scan_json_get(json, "missing"));
        g_assert_null(scan_json_get(c, "b")); /* an array has no members */
}

static void test_nesting_is_bounded(void)
{
        g_autoptr(GString) deep = g_string_new(NULL);
        for (int i = 0; i < SCAN_JSON_MAX_DEPTH; i++)
                g_string_append_c(deep, '[');
        for (int i = 0; i < SCAN_JSON_MAX_DEPTH; i++)
                g_string_append_c(deep, ']');
        g_autoptr(ScanJson) ok = scan_json_parse(deep->str, deep->len, NULL);
        g_assert_nonnull(ok);
        g_string_prepend_c(deep, '[');
        g_string_append_c(deep, ']');
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanJson) too_deep = scan_json_parse(deep->str, deep->len, &error);
        g_assert_null(too_deep);
        g_assert_error(error, SCAN_JSON_ERROR, SCAN_JSON_ERROR_LIMIT);
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/scan/json/valid-texts-read-right", test_valid);
        g_test_add_func("/scan/json/invalid-texts-refused-with-where", test_invalid);
        g_test_add_func("/scan/json/object-members-in-order-ints-exact", test_object_members_in_order);
        g_test_add_func("/scan/json/nesting-is-bounded", test_nesting_is_bounded);
        return g_test_run();
}
