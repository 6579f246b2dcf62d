/* scan/json.h — reads one JSON text (RFC 8259) into a small tree: what the audit checker needs to
 * read the records the audit log writes. Owns: the grammar, strictly (no comments, no trailing
 * commas, no duplicate keys, UTF-8 only), and its bounds. Must not: write JSON (audit.c does). */
#pragma once
#include <glib.h>

typedef enum {
        SCAN_JSON_NULL,
        SCAN_JSON_BOOL,
        SCAN_JSON_NUMBER,
        SCAN_JSON_STRING,
        SCAN_JSON_ARRAY,
        SCAN_JSON_OBJECT,
} ScanJsonKind;

typedef struct ScanJson ScanJson;
struct ScanJson {
        ScanJsonKind kind;
        gboolean boolean;   /* SCAN_JSON_BOOL */
        char *text;         /* SCAN_JSON_STRING: the value, unescaped (UTF-8, no NUL);
                             * SCAN_JSON_NUMBER: the number as written */
        GPtrArray *items;   /* SCAN_JSON_ARRAY: ScanJson *; SCAN_JSON_OBJECT: ScanJsonMember *, in order */
};

typedef struct {
        char *key;
        ScanJson *value;
} ScanJsonMember;

#define SCAN_JSON_ERROR (scan_json_error_quark())
GQuark scan_json_error_quark(void);
typedef enum {
        SCAN_JSON_ERROR_SYNTAX, /* not JSON; the message says what and at which byte (from 1) */
        SCAN_JSON_ERROR_LIMIT,  /* nested deeper than SCAN_JSON_MAX_DEPTH */
} ScanJsonErrorCode;

#define SCAN_JSON_MAX_DEPTH 32

/* One JSON value, with nothing but white space around it, from len bytes of text (which may hold
 * NUL bytes: they are an error). A string holding \u0000 is refused too (a C string cannot hold
 * it, and no record has one). transfer full */
ScanJson *scan_json_parse(const char *text, gsize len, GError **error);
void scan_json_free(ScanJson *json);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScanJson, scan_json_free)

/* The member named key of an object; NULL when json is not an object or has no such member. */
const ScanJson *scan_json_get(const ScanJson *json, const char *key);
/* TRUE with *value when json is a number written as an integer (no fraction, no exponent) that
 * fits in 64 bits. */
gboolean scan_json_get_int(const ScanJson *json, gint64 *value);
/* "null", "true or false", "a number", "a string", "an array", "an object" (translated). */
const char *scan_json_kind_name(ScanJsonKind kind);

/* Appends `text` as a JSON string (NULL: null); bytes that are not UTF-8 are made valid first
 * (file names are bytes), controls escaped. */
void scan_json_append_string(GString *out, const char *text);
