/* tests/unit/test-core-journal.c — the transfer queue's journal (core/journal.h): records written
 * and read back, every byte of a name kept, a torn last record dropped at every cut, damage and
 * garbage set aside (renamed, never dropped), one slot per process under a lock, compaction.
 * Must not: touch the real state directory (each test works in its own temporary one). */
#include "core/journal.h"
#include "core/journal-private.h"
#include <glib/gstdio.h>
#include <string.h>

typedef struct {
        char *dir;
} Fixture;

static void fixture_set_up(Fixture *f, gconstpointer data)
{
        g_autoptr(GError) error = NULL;
        f->dir = g_dir_make_tmp("clamftp-journal-XXXXXX", &error);
        g_assert_no_error(error);
}

static void fixture_tear_down(Fixture *f, gconstpointer data)
{
        g_autoptr(GDir) dir = g_dir_open(f->dir, 0, NULL);
        for (const char *name; dir && (name = g_dir_read_name(dir));) {
                g_autofree char *path = g_build_filename(f->dir, name, NULL);
                g_unlink(path);
        }
        g_rmdir(f->dir);
        g_free(f->dir);
}

static CoreJournal *open_ok(const Fixture *f)
{
        g_autoptr(GError) error = NULL;
        CoreJournal *journal = core_journal_open(f->dir, &error);
        g_assert_no_error(error);
        g_assert_nonnull(journal);
        return journal;
}

static guint server_of(CoreJournal *journal)
{
        CoreJournalServer server = { .host = "ftp.example.org", .port = 2121, .user = "alice", .tls = "require",
                                     .implicit_tls = FALSE, .fingerprint = "AB:CD:EF" };
        return core_journal_add_server(journal, &server);
}

static guint64 add_upload(CoreJournal *journal, guint server, const char *local, const char *remote, gint64 size)
{
        CoreJournalJob job = { .server = server, .upload = TRUE, .local = (char *)local, .remote = (char *)remote,
                               .size = size, .mtime = 1700000000 };
        guint64 id = core_journal_add(journal, &job);
        g_assert_cmpuint(id, >, 0);
        return id;
}

static char *journal_text(const Fixture *f, guint slot, gsize *len)
{
        g_autofree char *name = g_strdup_printf("queue-%u.journal", slot);
        g_autofree char *path = g_build_filename(f->dir, name, NULL);
        char *text = NULL;
        if (!g_file_get_contents(path, &text, len, NULL))
                return NULL;
        return text;
}

static void write_journal(const Fixture *f, guint slot, const char *text, gsize len)
{
        g_autofree char *name = g_strdup_printf("queue-%u.journal", slot);
        g_autofree char *path = g_build_filename(f->dir, name, NULL);
        g_assert_true(g_file_set_contents(path, text, (gssize)len, NULL));
}

/* ---- written, then read by the next run ---- */

static void test_write_then_read(Fixture *f, gconstpointer data)
{
        CoreJournal *journal = open_ok(f);
        guint s = server_of(journal);
        guint64 a = add_upload(journal, s, "/home/a/one.bin", "/up/one.bin", 100);
        guint64 b = add_upload(journal, s, "/home/a/two.bin", "/up/two.bin", 200);
        guint64 c = add_upload(journal, s, "/home/a/three.bin", "/up/three.bin", 300);
        CoreJournalJob down = { .server = s, .upload = FALSE, .local = "/home/a/get/x/f", .base = "/home/a/get",
                                .remote = "/pub/x/f", .size = 7, .mtime = -1 };
        guint64 d = core_journal_add(journal, &down);
        core_journal_start(journal, b);
        core_journal_temp(journal, b, "/up/.two.bin.clamftp-00abcd");
        core_journal_end(journal, a);
        g_assert_cmpuint(core_journal_inherited(journal)->len, ==, 0); /* this run's own */
        core_journal_close(journal);

        journal = open_ok(f);
        g_assert_null(core_journal_set_aside(journal, NULL));
        g_autoptr(GPtrArray) left = core_journal_inherited(journal);
        g_assert_cmpuint(left->len, ==, 3);
        const CoreJournalJob *jb = left->pdata[0], *jc = left->pdata[1], *jd = left->pdata[2];
        g_assert_cmpuint(jb->id, ==, b);
        g_assert_true(jb->started);
        g_assert_cmpstr(jb->temp, ==, "/up/.two.bin.clamftp-00abcd");
        g_assert_cmpint(jb->size, ==, 200);
        g_assert_cmpint(jb->mtime, ==, 1700000000);
        g_assert_cmpuint(jc->id, ==, c);
        g_assert_false(jc->started);
        g_assert_null(jc->temp);
        g_assert_cmpuint(jd->id, ==, d);
        g_assert_false(jd->upload);
        g_assert_cmpstr(jd->base, ==, "/home/a/get");
        g_assert_cmpint(jd->mtime, ==, -1);
        g_autofree CoreJournalServer *server = core_journal_server_get(journal, jb->server);
        g_assert_cmpstr(server->host, ==, "ftp.example.org");
        g_assert_cmpuint(server->port, ==, 2121);
        g_assert_cmpstr(server->user, ==, "alice");
        g_assert_cmpstr(server->tls, ==, "require");
        g_assert_cmpstr(server->fingerprint, ==, "AB:CD:EF");
        core_journal_server_clear(server);
        /* a new job of this run does not reuse an id */
        guint64 e = add_upload(journal, core_journal_add_server(journal, &(CoreJournalServer){ .host = "h", .port = 21 }),
                               "/e", "/e", 1);
        g_assert_cmpuint(e, >, d);
        core_journal_close(journal);
}

static void test_names_keep_every_byte(Fixture *f, gconstpointer data)
{
        const char *local = "/tmp/a b\n%25\t\"q\"=x \xff\xfe\x01 end";
        CoreJournal *journal = open_ok(f);
        add_upload(journal, server_of(journal), local, "/r/ünï cødé", 1);
        core_journal_close(journal);
        gsize len = 0;
        g_autofree char *text = journal_text(f, 1, &len);
        g_assert_nonnull(text);
        /* one record per line: nothing of the names breaks a line or a field */
        g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
        g_assert_cmpuint(g_strv_length(lines), ==, 4); /* header, server, add, "" */
        journal = open_ok(f);
        g_autoptr(GPtrArray) left = core_journal_inherited(journal);
        g_assert_cmpuint(left->len, ==, 1);
        g_assert_cmpstr(((CoreJournalJob *)left->pdata[0])->local, ==, local);
        g_assert_cmpstr(((CoreJournalJob *)left->pdata[0])->remote, ==, "/r/ünï cødé");
        core_journal_close(journal);
}

static void test_nothing_left_removes_file(Fixture *f, gconstpointer data)
{
        CoreJournal *journal = open_ok(f);
        guint s = server_of(journal);
        guint64 a = add_upload(journal, s, "/a", "/a", 1);
        gsize len = 0;
        g_autofree char *during = journal_text(f, 1, &len);
        g_assert_nonnull(during); /* on disk as soon as it is added */
        core_journal_end(journal, a);
        g_autofree char *after = journal_text(f, 1, &len);
        g_assert_null(after);
        core_journal_close(journal);
        journal = open_ok(f);
        g_autoptr(GPtrArray) left = core_journal_inherited(journal);
        g_assert_cmpuint(left->len, ==, 0);
        core_journal_close(journal);
}

/* The file as a run leaves it mid-batch: records appended after the rewrite at the first add. */
static char *mid_batch_text(Fixture *f, gsize *len)
{
        CoreJournal *journal = open_ok(f);
        guint s = server_of(journal);
        guint64 ids[6];
        for (int i = 0; i < 6; i++) {
                g_autofree char *name = g_strdup_printf("/l/f%d", i);
                ids[i] = add_upload(journal, s, name, name, 10 * i);
        }
        core_journal_start(journal, ids[0]);
        core_journal_temp(journal, ids[0], "/l/.f0.clamftp-123456");
        core_journal_end(journal, ids[0]);
        core_journal_start(journal, ids[1]);
        core_journal_sync(journal);
        char *text = journal_text(f, 1, len);
        g_assert_nonnull(text);
        core_journal_close(journal); /* leaves the file: jobs are left */
        return text;
}

/* A kill at any moment: every prefix of the file parses (the cut record dropped as torn). */
static void test_every_cut_parses(Fixture *f, gconstpointer data)
{
        gsize len = 0;
        g_autofree char *text = mid_batch_text(f, &len);
        gsize header = strchr(text, '\n') - text + 1;
        for (gsize cut = header; cut <= len; cut++) {
                g_autoptr(GPtrArray) jobs = NULL;
                g_autoptr(GPtrArray) servers = NULL;
                g_autoptr(GError) error = NULL;
                gboolean torn = FALSE;
                gboolean ok = core_journal_parse(text, cut, &jobs, &servers, &torn, &error);
                if (!ok)
                        g_test_message("cut at %" G_GSIZE_FORMAT ": %s", cut, error->message);
                g_assert_true(ok);
                g_assert_true(torn == (text[cut - 1] != '\n'));
        }
        g_autoptr(GPtrArray) jobs = NULL;
        g_autoptr(GPtrArray) servers = NULL;
        gboolean torn = TRUE;
        g_assert_true(core_journal_parse(text, len, &jobs, &servers, &torn, NULL));
        g_assert_false(torn);
        g_assert_cmpuint(jobs->len, ==, 5);
        g_assert_true(((CoreJournalJob *)jobs->pdata[0])->started);
}

static void test_torn_last_record_dropped(Fixture *f, gconstpointer data)
{
        gsize len = 0;
        g_autofree char *text = mid_batch_text(f, &len);
        g_autofree char *cut = g_strdup_printf("%s%s", text, "0badc0de end id=3\n"); /* damaged last line */
        write_journal(f, 1, cut, strlen(cut));
        CoreJournal *journal = open_ok(f);
        g_assert_null(core_journal_set_aside(journal, NULL));
        g_assert_true(core_journal_dropped_torn(journal));
        g_autoptr(GPtrArray) left = core_journal_inherited(journal);
        g_assert_cmpuint(left->len, ==, 5); /* job 3 is still there: its end never arrived whole */
        core_journal_close(journal);
        /* the torn record is gone from the file: the next run reads it clean */
        journal = open_ok(f);
        g_assert_false(core_journal_dropped_torn(journal));
        core_journal_close(journal);
}

/* Damage before the last record, or what is no journal at all: set aside, said, never dropped. */
typedef struct {
        const char *name;
        const char *text; /* NULL: mid_batch_text with one byte of its third line changed */
        gsize len;        /* 0: strlen(text) */
} BadCase;

static const BadCase bad_cases[] = {
        { "garbage", "this is not a journal\nat all\n", 0 },
        { "binary", "\x00\x01\x02\x03\n\n\n", 7 },
        { "damaged-middle-record", NULL, 0 },
};

static void test_bad_journal_set_aside(Fixture *f, gconstpointer data)
{
        const BadCase *c = data;
        gsize len = 0;
        g_autofree char *text = NULL;
        if (c->text) {
                len = c->len ? c->len : strlen(c->text);
                text = g_memdup2(c->text, len);
        } else {
                text = mid_batch_text(f, &len);
                char *third = strchr(strchr(text, '\n') + 1, '\n') + 1;
                third[12] ^= 0x01;
        }
        write_journal(f, 1, text, len);
        CoreJournal *journal = open_ok(f);
        const char *reason = NULL;
        const char *aside = core_journal_set_aside(journal, &reason);
        g_assert_nonnull(aside);
        g_assert_nonnull(reason);
        g_test_message("%s: %s", aside, reason);
        g_autofree char *kept = NULL;
        gsize kept_len = 0;
        g_assert_true(g_file_get_contents(aside, &kept, &kept_len, NULL));
        g_assert_cmpmem(kept, kept_len, text, len); /* every byte kept for the user */
        g_autoptr(GPtrArray) left = core_journal_inherited(journal);
        g_assert_cmpuint(left->len, ==, 0);
        g_assert_cmpstr(core_journal_path(journal), !=, aside);
        core_journal_close(journal);
}

static void test_parse_rejects(Fixture *f, gconstpointer data)
{
        static const char *const payloads[] = {
                "add id=1 s=0 dir=up local=/a remote=/a size=1 mtime=1", /* no server 0 */
                "server s=1 host=h port=21 tls=auto implicit=0",         /* servers counted from 0 */
                "server s=0 host=h port=70000 tls=auto implicit=0",
                "server s=0 host=h port=21 tls=maybe implicit=0",
                "end id=9",                                               /* an unknown job */
                "failed id=9 reason=x",                                   /* an unknown job */
                "fly id=1",
                "server s=0 host=h%zz port=21 tls=auto implicit=0",
                "server s=0 host=h%00 port=21 tls=auto implicit=0",
        };
        for (gsize i = 0; i < G_N_ELEMENTS(payloads); i++) {
                g_autoptr(GString) text = g_string_new(NULL);
                core_journal_seal(text, CORE_JOURNAL_HEADER);
                core_journal_seal(text, payloads[i]);
                core_journal_seal(text, "server s=0 host=ok port=21 tls=auto implicit=0"); /* not last */
                g_autoptr(GPtrArray) jobs = NULL;
                g_autoptr(GPtrArray) servers = NULL;
                g_autoptr(GError) error = NULL;
                gboolean torn = FALSE;
                g_test_message("%s", payloads[i]);
                g_assert_false(core_journal_parse(text->str, text->len, &jobs, &servers, &torn, &error));
                g_assert_error(error, CORE_JOURNAL_ERROR, CORE_JOURNAL_ERROR_PARSE);
        }
}

/* ---- one journal per process ---- */

static void test_second_process_sees_busy(Fixture *f, gconstpointer data)
{
        CoreJournal *first = open_ok(f);
        add_upload(first, server_of(first), "/first", "/first", 1);
        CoreJournal *second = open_ok(f); /* flock is per open file: as another process */
        g_assert_cmpstr(core_journal_path(first), !=, core_journal_path(second));
        const GPtrArray *busy = core_journal_busy(second);
        g_assert_cmpuint(busy->len, ==, 1);
        g_assert_nonnull(strstr(g_ptr_array_index(busy, 0), "queue-1.journal"));
        g_autoptr(GPtrArray) seen = core_journal_inherited(second);
        g_assert_cmpuint(seen->len, ==, 0); /* the first's jobs are not the second's */
        core_journal_close(second);
        core_journal_close(first);
        /* the first stopped with a job left: the next run takes its slot and finds it */
        CoreJournal *next = open_ok(f);
        g_autoptr(GPtrArray) left = core_journal_inherited(next);
        g_assert_cmpuint(left->len, ==, 1);
        g_assert_cmpstr(((CoreJournalJob *)left->pdata[0])->local, ==, "/first");
        core_journal_close(next);
}

static void test_free_slot_with_jobs_preferred(Fixture *f, gconstpointer data)
{
        CoreJournal *one = open_ok(f);
        CoreJournal *two = open_ok(f);
        add_upload(two, server_of(two), "/two", "/two", 1);
        core_journal_close(two); /* slot 2 keeps a job */
        core_journal_close(one); /* slot 1 is empty */
        CoreJournal *next = open_ok(f);
        g_assert_true(g_str_has_suffix(core_journal_path(next), "queue-2.journal"));
        g_autoptr(GPtrArray) left = core_journal_inherited(next);
        g_assert_cmpuint(left->len, ==, 1);
        core_journal_close(next);
}

static void test_all_slots_busy(Fixture *f, gconstpointer data)
{
        CoreJournal *held[CORE_JOURNAL_SLOTS];
        for (guint i = 0; i < CORE_JOURNAL_SLOTS; i++)
                held[i] = open_ok(f);
        g_autoptr(GError) error = NULL;
        g_assert_null(core_journal_open(f->dir, &error));
        g_assert_error(error, CORE_JOURNAL_ERROR, CORE_JOURNAL_ERROR_BUSY);
        for (guint i = 0; i < CORE_JOURNAL_SLOTS; i++)
                core_journal_close(held[i]);
}

/* ---- size ---- */

static void test_compaction_keeps_file_small(Fixture *f, gconstpointer data)
{
        CoreJournal *journal = open_ok(f);
        guint s = server_of(journal);
        guint64 keep = add_upload(journal, s, "/keep", "/keep", 1);
        for (int i = 0; i < 20000; i++) {
                guint64 id = add_upload(journal, s, "/home/someone/a/rather/long/path/to/a/file.bin",
                                        "/remote/a/rather/long/path/to/a/file.bin", i);
                core_journal_start(journal, id);
                core_journal_end(journal, id);
        }
        gsize len = 0;
        g_autofree char *text = journal_text(f, 1, &len);
        g_assert_cmpuint(len, <, 2 * 1024 * 1024); /* without compaction: about 5 MB */
        core_journal_close(journal);
        journal = open_ok(f);
        g_autoptr(GPtrArray) left = core_journal_inherited(journal);
        g_assert_cmpuint(left->len, ==, 1);
        g_assert_cmpuint(((CoreJournalJob *)left->pdata[0])->id, ==, keep);
        core_journal_close(journal);
}

/* A failed job stays, with its reason, through the file's rewrite at open and at close; a start
 * (it runs again) clears the mark, and an end forgets it. */
static void test_failed_job_is_kept_with_its_reason(Fixture *f, gconstpointer data)
{
        CoreJournal *journal = open_ok(f);
        guint s = server_of(journal);
        guint64 failed = add_upload(journal, s, "/failed", "/r/failed", 10);
        guint64 done = add_upload(journal, s, "/done", "/r/done", 10);
        core_journal_start(journal, failed);
        core_journal_fail(journal, failed, "first try: 553 no");
        core_journal_fail(journal, failed, "Uploading failed: 553 Could not create file.\nline two");
        core_journal_end(journal, done);
        gsize len = 0;
        g_autofree char *text = journal_text(f, 1, &len);
        g_assert_nonnull(text); /* a failed job is live: the file stays */
        core_journal_close(journal);
        for (int round = 0; round < 2; round++) { /* read, rewritten at open, read again */
                journal = open_ok(f);
                g_autoptr(GPtrArray) left = core_journal_inherited(journal);
                g_assert_cmpuint(left->len, ==, 1);
                const CoreJournalJob *job = left->pdata[0];
                g_assert_cmpuint(job->id, ==, failed);
                g_assert_true(job->started);
                g_assert_cmpstr(job->failed, ==, "Uploading failed: 553 Could not create file.\nline two");
                core_journal_close(journal);
        }
        journal = open_ok(f);
        core_journal_adopt(journal, failed);
        core_journal_start(journal, failed); /* run again: no longer failed */
        core_journal_close(journal);
        journal = open_ok(f);
        g_autoptr(GPtrArray) again = core_journal_inherited(journal);
        g_assert_cmpuint(again->len, ==, 1);
        g_assert_null(((CoreJournalJob *)again->pdata[0])->failed);
        core_journal_end(journal, failed);
        g_autofree char *gone = journal_text(f, 1, &len);
        g_assert_null(gone);
        core_journal_close(journal);
}

static void test_quitting_flag(Fixture *f, gconstpointer data)
{
        CoreJournal *journal = open_ok(f);
        g_assert_false(core_journal_quitting(journal));
        core_journal_set_quitting(journal);
        g_assert_true(core_journal_quitting(journal));
        core_journal_close(journal);
}

#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        ADD("/core/journal/written-then-read-by-the-next-run", test_write_then_read);
        ADD("/core/journal/names-keep-every-byte", test_names_keep_every_byte);
        ADD("/core/journal/nothing-left-removes-the-file", test_nothing_left_removes_file);
        ADD("/core/journal/every-cut-parses", test_every_cut_parses);
        ADD("/core/journal/torn-last-record-dropped", test_torn_last_record_dropped);
        for (gsize i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
                g_autofree char *path = g_strdup_printf("/core/journal/set-aside/%s", bad_cases[i].name);
                g_test_add(path, Fixture, &bad_cases[i], fixture_set_up, test_bad_journal_set_aside, fixture_tear_down);
        }
        ADD("/core/journal/parse-rejects-what-does-not-fit", test_parse_rejects);
        ADD("/core/journal/second-process-sees-the-first-busy", test_second_process_sees_busy);
        ADD("/core/journal/free-slot-with-jobs-preferred", test_free_slot_with_jobs_preferred);
        ADD("/core/journal/all-slots-busy", test_all_slots_busy);
        ADD("/core/journal/failed-job-kept-with-its-reason", test_failed_job_is_kept_with_its_reason);
        ADD("/core/journal/compaction-keeps-the-file-small", test_compaction_keeps_file_small);
        ADD("/core/journal/quitting-flag", test_quitting_flag);
        return g_test_run();
}
