/* tests/fuzz/fuzz-scan-json.c — the strict JSON reader (scan/json.c). Properties: a value read is
 * nested no deeper than SCAN_JSON_MAX_DEPTH, its strings are valid UTF-8, its numbers are written
 * as JSON writes them, object keys are unique; written back as JSON (strings through
 * scan_json_append_string) it reads again to the same tree. A refusal is a syntax or limit
 * error. */
#include "tests/fuzz/fuzz.h"
#include "scan/json.h"

static void write_json(GString *out, const ScanJson *json)
{
        switch (json->kind) {
        case SCAN_JSON_NULL:
                g_string_append(out, "null");
                return;
        case SCAN_JSON_BOOL:
                g_string_append(out, json->boolean ? "true" : "false");
                return;
        case SCAN_JSON_NUMBER:
                g_string_append(out, json->text);
                return;
        case SCAN_JSON_STRING:
                scan_json_append_string(out, json->text);
                return;
        case SCAN_JSON_ARRAY:
                g_string_append_c(out, '[');
                for (guint i = 0; i < json->items->len; i++) {
                        if (i)
                                g_string_append_c(out, ',');
                        write_json(out, g_ptr_array_index(json->items, i));
                }
                g_string_append_c(out, ']');
                return;
        case SCAN_JSON_OBJECT:
                g_string_append_c(out, '{');
                for (guint i = 0; i < json->items->len; i++) {
                        const ScanJsonMember *m = g_ptr_array_index(json->items, i);
                        if (i)
                                g_string_append_c(out, ',');
                        scan_json_append_string(out, m->key);
                        g_string_append_c(out, ':');
                        write_json(out, m->value);
                }
                g_string_append_c(out, '}');
                return;
        }
        FUZZ_ASSERT(!"a kind of value");
}

static void check(const ScanJson *json, guint depth)
{
        FUZZ_ASSERT(depth <= SCAN_JSON_MAX_DEPTH + 1);
        switch (json->kind) {
        case SCAN_JSON_STRING:
                FUZZ_ASSERT(json->text && g_utf8_validate(json->text, -1, NULL));
                return;
        case SCAN_JSON_NUMBER:
                FUZZ_ASSERT(json->text && strspn(json->text, "-+.eE0123456789") == strlen(json->text));
                return;
        case SCAN_JSON_ARRAY:
                for (guint i = 0; i < json->items->len; i++)
                        check(g_ptr_array_index(json->items, i), depth + 1);
                return;
        case SCAN_JSON_OBJECT: {
                g_autoptr(GHashTable) keys = g_hash_table_new(g_str_hash, g_str_equal);
                for (guint i = 0; i < json->items->len; i++) {
                        const ScanJsonMember *m = g_ptr_array_index(json->items, i);
                        FUZZ_ASSERT(g_utf8_validate(m->key, -1, NULL));
                        FUZZ_ASSERT(g_hash_table_add(keys, m->key));
                        FUZZ_ASSERT(scan_json_get(json, m->key) == m->value);
                        check(m->value, depth + 1);
                }
                return;
        }
        default:
                return;
        }
}

FUZZ_INITIALIZE_STRICT()

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanJson) json = scan_json_parse((const char *)data, size, &error);
        if (!json) {
                FUZZ_ASSERT(error != NULL && error->domain == SCAN_JSON_ERROR);
                return 0;
        }
        check(json, 1);
        gint64 value;
        (void)scan_json_get_int(json, &value);
        g_autoptr(GString) out = g_string_new(NULL);
        write_json(out, json);
        g_autoptr(ScanJson) again = scan_json_parse(out->str, out->len, NULL);
        FUZZ_ASSERT(again != NULL);
        g_autoptr(GString) out2 = g_string_new(NULL);
        write_json(out2, again);
        FUZZ_ASSERT(g_string_equal(out, out2));
        return 0;
}
