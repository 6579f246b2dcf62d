/* core/journal-private.h — the journal's record format (core/journal-format.c), shared with
 * core/journal.c. Must not: leave src/core. */
#pragma once
#include "core/journal.h"

#define CORE_JOURNAL_HEADER "clamftp-queue 1"

guint32 core_journal_crc32(const char *data, gsize len);
/* " key=value", the value percent-encoded. */
void core_journal_put_value(GString *out, const char *key, const char *value);
void core_journal_put_number(GString *out, const char *key, gint64 value);
/* Appends "CRC payload\n". */
void core_journal_seal(GString *out, const char *payload);
