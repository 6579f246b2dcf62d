/* tests/fuzz/fuzz-core-journal.c — the queue journal's reader (core_journal_parse,
 * core/journal-format.c). The first byte picks how the rest is read: as a journal file, as it is
 * (the checksums must be found), or as record payloads, one a line, that the target seals with
 * their right CRC behind the header (so the records themselves are reached). Properties: jobs
 * have ids above 0, all different, a server that exists, a local and a remote path; a value
 * written by core_journal_put_value reads back as the same bytes. */
#include "tests/fuzz/fuzz.h"
#include "core/journal-private.h"

static void check_jobs(GPtrArray *jobs, GPtrArray *servers)
{
        g_autoptr(GHashTable) ids = g_hash_table_new(g_int64_hash, g_int64_equal);
        for (guint i = 0; i < jobs->len; i++) {
                CoreJournalJob *job = g_ptr_array_index(jobs, i);
                FUZZ_ASSERT(job->id > 0);
                FUZZ_ASSERT(g_hash_table_add(ids, &job->id));
                FUZZ_ASSERT(job->server < servers->len);
                FUZZ_ASSERT(job->local && job->remote);
                FUZZ_ASSERT(job->size >= -1 && job->mtime >= -1);
                g_autoptr(CoreJournalJob) copy = core_journal_job_copy(job);
                FUZZ_ASSERT(g_str_equal(copy->local, job->local));
        }
        for (guint i = 0; i < servers->len; i++) {
                CoreJournalServer *server = g_ptr_array_index(servers, i);
                FUZZ_ASSERT(server->host && server->port >= 1 && server->tls);
        }
}

/* A job whose names are the input's bytes, written and read back. */
static void round_trip(const char *name)
{
        g_autoptr(GString) sealed = g_string_new(NULL);
        core_journal_seal(sealed, CORE_JOURNAL_HEADER);
        core_journal_seal(sealed, "server s=0 host=h port=21 tls=auto implicit=0");
        g_autoptr(GString) add = g_string_new("add id=1 s=0 dir=up");
        core_journal_put_value(add, "local", name);
        core_journal_put_value(add, "remote", name);
        core_journal_put_number(add, "size", 1);
        core_journal_put_number(add, "mtime", 2);
        core_journal_seal(sealed, add->str);
        GPtrArray *jobs = NULL, *servers = NULL;
        gboolean torn = FALSE;
        g_autoptr(GError) error = NULL;
        FUZZ_ASSERT(core_journal_parse(sealed->str, sealed->len, &jobs, &servers, &torn, &error));
        FUZZ_ASSERT(!torn && jobs->len == 1);
        CoreJournalJob *job = g_ptr_array_index(jobs, 0);
        FUZZ_ASSERT(g_str_equal(job->local, name) && g_str_equal(job->remote, name));
        g_ptr_array_unref(jobs);
        g_ptr_array_unref(servers);
}

FUZZ_INITIALIZE_STRICT()

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        guint8 mode = fuzz_take_byte(&data, &size);
        g_autoptr(GString) text = g_string_new(NULL);
        if (mode & 1) {
                core_journal_seal(text, CORE_JOURNAL_HEADER);
                g_autofree char *payloads = fuzz_cstr(data, size);
                g_auto(GStrv) lines = g_strsplit(payloads, "\n", 256);
                for (char **line = lines; *line; line++)
                        core_journal_seal(text, *line);
        } else {
                g_string_append_len(text, (const char *)data, (gssize)size);
        }
        GPtrArray *jobs = NULL, *servers = NULL;
        gboolean torn = FALSE;
        g_autoptr(GError) error = NULL;
        if (core_journal_parse(text->str, text->len, &jobs, &servers, &torn, &error)) {
                FUZZ_ASSERT(jobs && servers);
                check_jobs(jobs, servers);
                g_ptr_array_unref(jobs);
                g_ptr_array_unref(servers);
        } else {
                FUZZ_ASSERT(error != NULL && error->domain == CORE_JOURNAL_ERROR);
        }
        if (mode & 2) {
                g_autofree char *name = fuzz_cstr(data, size);
                if (*name)
                        round_trip(name);
        }
        return 0;
}
