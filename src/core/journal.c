/* core/journal.c — the queue's journal on disk (core/journal.h): the slot and its lock, the jobs
 * still live in memory, and when their records reach the file. Every record is one write() with
 * O_APPEND, made at once (a kill -9 after it still finds it); fdatasync at most once a second
 * while a batch runs, at core_journal_sync and at close (a machine that stops loses at most that
 * second: a job may then be offered that is done, and resuming finds it complete). The file is
 * rewritten whole (temporary file, fsync, rename, fsync of the directory) when opened and when
 * dead records outnumber live ones, and removed when no job is left.
 * Must not: print, ask or transfer; block for long with the lock held. */
#include "core/journal-private.h"
#include "common/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define SYNC_EVERY_US G_USEC_PER_SEC
#define COMPACT_MIN_DEAD 4096

struct CoreJournal {
        GMutex lock;
        char *dir;
        char *path;             /* queue-N.journal */
        int lock_fd;            /* queue-N.lock, flock'ed for the life of the journal */
        int fd;                 /* the journal open for appending; -1: no file (no live job) */
        GPtrArray *servers;     /* CoreJournalServer* */
        GHashTable *live;       /* id → CoreJournalJob* */
        GHashTable *inherited;  /* ids left by an earlier run, not resumed nor discarded yet */
        guint64 next_id;
        guint dead;             /* records in the file about jobs no longer live */
        gint64 synced_us;
        gboolean dirty;         /* written since the last fdatasync */
        gboolean quitting;
        gboolean stale;         /* a write failed: the file is written whole next time */
        GError *error;
        char *set_aside;        /* where a journal that did not parse went */
        char *set_aside_reason;
        gboolean torn;
        GPtrArray *busy;
};

void core_journal_server_clear(CoreJournalServer *server)
{
        g_free(server->host);
        g_free(server->user);
        g_free(server->tls);
        g_free(server->fingerprint);
        memset(server, 0, sizeof *server);
}

static void server_free(gpointer data)
{
        core_journal_server_clear(data);
        g_free(data);
}

static CoreJournalServer *server_copy(const CoreJournalServer *server)
{
        CoreJournalServer *copy = g_new0(CoreJournalServer, 1);
        copy->host = g_strdup(server->host);
        copy->port = server->port;
        copy->user = g_strdup(server->user);
        copy->tls = g_strdup(server->tls ? server->tls : "auto");
        copy->implicit_tls = server->implicit_tls;
        copy->fingerprint = g_strdup(server->fingerprint);
        return copy;
}

void core_journal_job_free(CoreJournalJob *job)
{
        if (!job)
                return;
        g_free(job->local);
        g_free(job->base);
        g_free(job->remote);
        g_free(job->temp);
        g_free(job->failed);
        g_free(job);
}

CoreJournalJob *core_journal_job_copy(const CoreJournalJob *job)
{
        CoreJournalJob *copy = g_new0(CoreJournalJob, 1);
        *copy = *job;
        copy->local = g_strdup(job->local);
        copy->base = g_strdup(job->base);
        copy->remote = g_strdup(job->remote);
        copy->temp = g_strdup(job->temp);
        copy->failed = g_strdup(job->failed);
        return copy;
}

/* The first error is kept for the front end; the file is written whole at the next change (a
 * record half written must not stay in the middle). */
static void set_error(CoreJournal *journal, const char *what, int err)
{
        journal->stale = TRUE;
        if (journal->error)
                return;
        g_set_error(&journal->error, CORE_JOURNAL_ERROR, CORE_JOURNAL_ERROR_IO,
                    _("The queue journal %s could not be written (%s): %s"), journal->path, what, g_strerror(err));
}

/* ---- records ------------------------------------------------------------------------- */

static void put_server(GString *out, guint index, const CoreJournalServer *server)
{
        g_autoptr(GString) payload = g_string_new("server");
        core_journal_put_number(payload, "s", index);
        core_journal_put_value(payload, "host", server->host);
        core_journal_put_number(payload, "port", server->port);
        if (server->user)
                core_journal_put_value(payload, "user", server->user);
        core_journal_put_value(payload, "tls", server->tls);
        core_journal_put_number(payload, "implicit", server->implicit_tls);
        if (server->fingerprint)
                core_journal_put_value(payload, "fp", server->fingerprint);
        core_journal_seal(out, payload->str);
}

static void put_add(GString *out, const CoreJournalJob *job)
{
        g_autoptr(GString) payload = g_string_new("add");
        core_journal_put_number(payload, "id", (gint64)job->id);
        core_journal_put_number(payload, "s", job->server);
        core_journal_put_value(payload, "dir", job->upload ? "up" : "down");
        core_journal_put_value(payload, "local", job->local);
        core_journal_put_value(payload, "remote", job->remote);
        core_journal_put_number(payload, "size", job->size);
        core_journal_put_number(payload, "mtime", job->mtime);
        if (job->base)
                core_journal_put_value(payload, "base", job->base);
        core_journal_seal(out, payload->str);
}

/* "VERB id=N", with " name=…" (temp) or " reason=…" (failed) when value is given. */
static void put_change(GString *out, const char *verb, guint64 id, const char *value)
{
        g_autoptr(GString) payload = g_string_new(verb);
        core_journal_put_number(payload, "id", (gint64)id);
        if (value)
                core_journal_put_value(payload, g_str_equal(verb, "failed") ? "reason" : "name", value);
        core_journal_seal(out, payload->str);
}

/* A live job's records: what it is, and what happened to it so far. */
static void put_job(GString *out, const CoreJournalJob *job)
{
        put_add(out, job);
        if (job->started)
                put_change(out, "start", job->id, NULL);
        if (job->temp)
                put_change(out, "temp", job->id, job->temp);
        if (job->failed)
                put_change(out, "failed", job->id, job->failed);
}

/* ---- the file ------------------------------------------------------------------------ */

static gboolean write_all(int fd, const char *data, gsize len)
{
        while (len > 0) {
                ssize_t n = write(fd, data, len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return FALSE;
                data += n;
                len -= (gsize)n;
        }
        return TRUE;
}

static void sync_dir(const char *dir)
{
        int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return;
        (void)fsync(fd);
        close(fd);
}

static gint compare_ids(gconstpointer a, gconstpointer b)
{
        const CoreJournalJob *x = *(CoreJournalJob *const *)a;
        const CoreJournalJob *y = *(CoreJournalJob *const *)b;
        return x->id < y->id ? -1 : x->id > y->id;
}

/* The live jobs, oldest first. CoreJournalJob* borrowed */
static GPtrArray *live_in_order(CoreJournal *journal)
{
        GPtrArray *jobs = g_ptr_array_sized_new(g_hash_table_size(journal->live));
        GHashTableIter iter;
        gpointer job;
        g_hash_table_iter_init(&iter, journal->live);
        while (g_hash_table_iter_next(&iter, NULL, &job))
                g_ptr_array_add(jobs, job);
        g_ptr_array_sort(jobs, compare_ids);
        return jobs;
}

static void close_file(CoreJournal *journal)
{
        if (journal->fd >= 0 && journal->dirty)
                (void)fdatasync(journal->fd);
        if (journal->fd >= 0)
                close(journal->fd);
        journal->fd = -1;
        journal->dirty = FALSE;
}

/* The whole journal again from memory: a temporary file, fsync, rename onto the journal, fsync
 * of the directory; then appended to. With no live job the file is removed instead. */
static gboolean rewrite(CoreJournal *journal)
{
        close_file(journal);
        journal->dead = 0;
        journal->stale = FALSE;
        if (g_hash_table_size(journal->live) == 0) {
                if (g_unlink(journal->path) != 0 && errno != ENOENT)
                        set_error(journal, "unlink", errno);
                return TRUE;
        }
        g_autoptr(GString) text = g_string_new(NULL);
        core_journal_seal(text, CORE_JOURNAL_HEADER);
        for (guint i = 0; i < journal->servers->len; i++)
                put_server(text, i, g_ptr_array_index(journal->servers, i));
        g_autoptr(GPtrArray) jobs = live_in_order(journal);
        for (guint i = 0; i < jobs->len; i++)
                put_job(text, g_ptr_array_index(jobs, i));
        g_autofree char *tmp = g_strconcat(journal->path, ".tmp", NULL);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0) {
                set_error(journal, "open", errno);
                return FALSE;
        }
        gboolean ok = write_all(fd, text->str, text->len) && fsync(fd) == 0;
        int err = errno;
        close(fd);
        if (!ok || rename(tmp, journal->path) != 0) {
                set_error(journal, ok ? "rename" : "write", ok ? errno : err);
                (void)g_unlink(tmp);
                return FALSE;
        }
        sync_dir(journal->dir);
        journal->fd = open(journal->path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
        if (journal->fd < 0) {
                set_error(journal, "open", errno);
                return FALSE;
        }
        journal->synced_us = g_get_monotonic_time();
        return TRUE;
}

/* After memory changed: the record appended (or the file written whole when there is none yet),
 * fdatasync when the last one is a second old, the file compacted when mostly dead. */
static void persist(CoreJournal *journal, const GString *record)
{
        if (journal->fd < 0 || journal->stale) {
                (void)rewrite(journal);
                return;
        }
        if (!write_all(journal->fd, record->str, record->len)) {
                set_error(journal, "write", errno);
                return;
        }
        journal->dirty = TRUE;
        if (journal->dead >= COMPACT_MIN_DEAD && journal->dead > 2 * g_hash_table_size(journal->live)) {
                (void)rewrite(journal);
                return;
        }
        gint64 now = g_get_monotonic_time();
        if (now - journal->synced_us >= SYNC_EVERY_US) {
                (void)fdatasync(journal->fd);
                journal->synced_us = now;
                journal->dirty = FALSE;
        }
}

/* ---- opening: the slot, the lock, what an earlier run left ------------------------------ */

static char *slot_path(const char *dir, guint slot, const char *suffix)
{
        g_autofree char *name = g_strdup_printf("queue-%u.%s", slot, suffix);
        return g_build_filename(dir, name, NULL);
}

static void note_busy(CoreJournal *journal, int fd, guint slot)
{
        char pid[32] = "";
        ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
        pid[n > 0 ? n : 0] = '\0';
        g_strstrip(pid);
        g_ptr_array_add(journal->busy, g_strdup_printf(_("queue-%u.journal (pid %s)"), slot, *pid ? pid : "?"));
}

static void write_pid(int fd)
{
        g_autofree char *pid = g_strdup_printf("%d\n", (int)getpid());
        if (ftruncate(fd, 0) == 0)
                (void)!pwrite(fd, pid, strlen(pid), 0);
}

/* The slot to use: the first free one with a journal left, else the first free one. Its lock
 * is held on return (journal->lock_fd); 0: none free. */
static guint claim_slot(CoreJournal *journal)
{
        guint chosen = 0;
        for (guint slot = 1; slot <= CORE_JOURNAL_SLOTS; slot++) {
                g_autofree char *lock_path = slot_path(journal->dir, slot, "lock");
                if (chosen && !g_file_test(lock_path, G_FILE_TEST_EXISTS))
                        break; /* no slot after this one was ever used */
                int fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
                if (fd < 0)
                        continue;
                if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
                        note_busy(journal, fd, slot);
                        close(fd);
                        continue;
                }
                g_autofree char *path = slot_path(journal->dir, slot, "journal");
                gboolean left = g_file_test(path, G_FILE_TEST_EXISTS);
                if (chosen && !left) {
                        close(fd);
                        continue;
                }
                if (chosen)
                        close(journal->lock_fd);
                journal->lock_fd = fd;
                chosen = slot;
                if (left)
                        break;
        }
        return chosen;
}

/* A journal that does not parse goes aside, renamed, never dropped unsaid; FALSE when it cannot
 * be moved (then this run keeps no journal rather than write over it). */
static gboolean set_aside(CoreJournal *journal, const char *reason, GError **error)
{
        g_autoptr(GDateTime) now = g_date_time_new_now_utc();
        g_autofree char *stamp = g_date_time_format(now, "%Y%m%dT%H%M%SZ");
        g_autofree char *aside = g_strdup_printf("%s.bad-%s", journal->path, stamp);
        if (rename(journal->path, aside) != 0) {
                g_set_error(error, CORE_JOURNAL_ERROR, CORE_JOURNAL_ERROR_IO,
                            _("The queue journal %s does not parse (%s) and cannot be set aside: %s"), journal->path,
                            reason, g_strerror(errno));
                return FALSE;
        }
        journal->set_aside = g_steal_pointer(&aside);
        journal->set_aside_reason = g_strdup(reason);
        return TRUE;
}

static gboolean load(CoreJournal *journal, GError **error)
{
        g_autofree char *text = NULL;
        gsize len = 0;
        g_autoptr(GError) why = NULL;
        if (!g_file_test(journal->path, G_FILE_TEST_EXISTS))
                return TRUE;
        if (!g_file_get_contents(journal->path, &text, &len, &why))
                return set_aside(journal, why->message, error);
        g_autoptr(GPtrArray) jobs = NULL;
        g_autoptr(GPtrArray) servers = NULL;
        if (!core_journal_parse(text, len, &jobs, &servers, &journal->torn, &why))
                return set_aside(journal, why->message, error);
        g_ptr_array_extend_and_steal(journal->servers, g_steal_pointer(&servers));
        g_ptr_array_set_free_func(jobs, NULL);
        for (guint i = 0; i < jobs->len; i++) {
                CoreJournalJob *job = g_ptr_array_index(jobs, i);
                g_hash_table_insert(journal->live, &job->id, job);
                g_hash_table_add(journal->inherited, &job->id);
                journal->next_id = MAX(journal->next_id, job->id + 1);
        }
        (void)rewrite(journal); /* without the torn record and the dead ones */
        return TRUE;
}

CoreJournal *core_journal_open(const char *dir, GError **error)
{
        g_autofree char *where = dir ? g_strdup(dir) : g_build_filename(g_get_user_state_dir(), "clamftp", NULL);
        if (g_mkdir_with_parents(where, 0700) != 0) {
                g_set_error(error, CORE_JOURNAL_ERROR, CORE_JOURNAL_ERROR_IO,
                            _("The queue journal's directory %s cannot be made: %s"), where, g_strerror(errno));
                return NULL;
        }
        CoreJournal *journal = g_new0(CoreJournal, 1);
        g_mutex_init(&journal->lock);
        journal->dir = g_steal_pointer(&where);
        journal->lock_fd = -1;
        journal->fd = -1;
        journal->next_id = 1;
        journal->servers = g_ptr_array_new_with_free_func(server_free);
        journal->live = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL,
                                              (GDestroyNotify)core_journal_job_free);
        journal->inherited = g_hash_table_new(g_int64_hash, g_int64_equal);
        journal->busy = g_ptr_array_new_with_free_func(g_free);
        guint slot = claim_slot(journal);
        if (slot == 0) {
                g_set_error(error, CORE_JOURNAL_ERROR, CORE_JOURNAL_ERROR_BUSY,
                            _("Every queue journal in %s is in use by another clamftp (%u of them): this run "
                              "keeps no journal."), journal->dir, CORE_JOURNAL_SLOTS);
                core_journal_close(journal);
                return NULL;
        }
        write_pid(journal->lock_fd);
        journal->path = slot_path(journal->dir, slot, "journal");
        if (!load(journal, error)) {
                g_clear_pointer(&journal->path, g_free); /* nothing is written over it */
                core_journal_close(journal);
                return NULL;
        }
        return journal;
}

void core_journal_close(CoreJournal *journal)
{
        if (!journal)
                return;
        if (journal->path && (journal->stale || (journal->fd >= 0 && g_hash_table_size(journal->live) == 0)))
                (void)rewrite(journal); /* whole, or removed when no job is left */
        close_file(journal);
        if (journal->lock_fd >= 0) {
                (void)!ftruncate(journal->lock_fd, 0); /* no pid: nobody holds it */
                close(journal->lock_fd); /* lets the lock go */
        }
        g_ptr_array_unref(journal->servers);
        g_hash_table_unref(journal->inherited);
        g_hash_table_unref(journal->live);
        g_ptr_array_unref(journal->busy);
        g_clear_error(&journal->error);
        g_free(journal->set_aside);
        g_free(journal->set_aside_reason);
        g_free(journal->path);
        g_free(journal->dir);
        g_mutex_clear(&journal->lock);
        g_free(journal);
}

/* ---- reading what is there ------------------------------------------------------------- */

const char *core_journal_path(CoreJournal *journal)
{
        return journal->path;
}

const char *core_journal_set_aside(CoreJournal *journal, const char **reason)
{
        if (reason)
                *reason = journal->set_aside_reason;
        return journal->set_aside;
}

gboolean core_journal_dropped_torn(CoreJournal *journal)
{
        return journal->torn;
}

const GPtrArray *core_journal_busy(CoreJournal *journal)
{
        return journal->busy;
}

GPtrArray *core_journal_inherited(CoreJournal *journal)
{
        g_mutex_lock(&journal->lock);
        g_autoptr(GPtrArray) jobs = live_in_order(journal);
        GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)core_journal_job_free);
        for (guint i = 0; i < jobs->len; i++) {
                const CoreJournalJob *job = g_ptr_array_index(jobs, i);
                if (g_hash_table_contains(journal->inherited, &job->id))
                        g_ptr_array_add(out, core_journal_job_copy(job));
        }
        g_mutex_unlock(&journal->lock);
        return out;
}

CoreJournalServer *core_journal_server_get(CoreJournal *journal, guint index)
{
        g_mutex_lock(&journal->lock);
        CoreJournalServer *copy = index < journal->servers->len ? server_copy(journal->servers->pdata[index]) : NULL;
        g_mutex_unlock(&journal->lock);
        return copy;
}

void core_journal_adopt(CoreJournal *journal, guint64 id)
{
        g_mutex_lock(&journal->lock);
        g_hash_table_remove(journal->inherited, &id);
        g_mutex_unlock(&journal->lock);
}

/* ---- writing --------------------------------------------------------------------------- */

static gboolean same_server(const CoreJournalServer *a, const CoreJournalServer *b)
{
        return g_strcmp0(a->host, b->host) == 0 && a->port == b->port && g_strcmp0(a->user, b->user) == 0 &&
               g_strcmp0(a->tls, b->tls) == 0 && a->implicit_tls == b->implicit_tls &&
               g_strcmp0(a->fingerprint, b->fingerprint) == 0;
}

guint core_journal_add_server(CoreJournal *journal, const CoreJournalServer *server)
{
        g_autoptr(GString) record = g_string_new(NULL);
        g_mutex_lock(&journal->lock);
        g_autofree CoreJournalServer *copy = server_copy(server);
        guint index = 0;
        for (; index < journal->servers->len; index++) {
                if (same_server(journal->servers->pdata[index], copy))
                        break;
        }
        if (index == journal->servers->len) {
                g_ptr_array_add(journal->servers, g_steal_pointer(&copy));
                put_server(record, index, journal->servers->pdata[index]);
                if (journal->fd >= 0) /* else written with the first job */
                        persist(journal, record);
        } else {
                core_journal_server_clear(copy);
        }
        g_mutex_unlock(&journal->lock);
        return index;
}

guint64 core_journal_add(CoreJournal *journal, const CoreJournalJob *job)
{
        g_autoptr(GString) record = g_string_new(NULL);
        g_mutex_lock(&journal->lock);
        CoreJournalJob *added = core_journal_job_copy(job);
        added->id = journal->next_id++;
        added->started = FALSE;
        g_clear_pointer(&added->temp, g_free);
        g_hash_table_insert(journal->live, &added->id, added);
        put_add(record, added);
        persist(journal, record);
        guint64 id = journal->error ? 0 : added->id;
        g_mutex_unlock(&journal->lock);
        return id;
}

/* A change of a live job: memory first, then the record. */
static void change(CoreJournal *journal, guint64 id, const char *verb, const char *name)
{
        g_autoptr(GString) record = g_string_new(NULL);
        g_mutex_lock(&journal->lock);
        CoreJournalJob *job = g_hash_table_lookup(journal->live, &id);
        if (!job) {
                g_mutex_unlock(&journal->lock);
                return;
        }
        put_change(record, verb, id, name);
        if (g_str_equal(verb, "start")) {
                job->started = TRUE;
                g_clear_pointer(&job->failed, g_free); /* run again */
        } else if (g_str_equal(verb, "failed")) {
                journal->dead += job->failed != NULL; /* an earlier failure's record */
                g_free(job->failed);
                job->failed = g_strdup(name);
        } else if (g_str_equal(verb, "temp")) {
                g_free(job->temp);
                job->temp = g_strdup(name);
        } else {
                g_hash_table_remove(journal->inherited, &id);
                g_hash_table_remove(journal->live, &id); /* frees job */
                journal->dead += 2;
        }
        if (g_hash_table_size(journal->live) == 0)
                (void)rewrite(journal); /* nothing left: the file goes */
        else
                persist(journal, record);
        g_mutex_unlock(&journal->lock);
}

void core_journal_start(CoreJournal *journal, guint64 id)
{
        change(journal, id, "start", NULL);
}

void core_journal_temp(CoreJournal *journal, guint64 id, const char *temp)
{
        change(journal, id, "temp", temp);
}

void core_journal_target(CoreJournal *journal, guint64 id, const char *local, const char *remote)
{
        g_autoptr(GString) payload = g_string_new("target");
        core_journal_put_number(payload, "id", (gint64)id);
        core_journal_put_value(payload, "local", local);
        core_journal_put_value(payload, "remote", remote);
        g_autoptr(GString) record = g_string_new(NULL);
        core_journal_seal(record, payload->str);
        g_mutex_lock(&journal->lock);
        CoreJournalJob *job = g_hash_table_lookup(journal->live, &id);
        if (job) {
                g_free(job->local);
                job->local = g_strdup(local);
                g_free(job->remote);
                job->remote = g_strdup(remote);
                journal->dead++;
                persist(journal, record);
        }
        g_mutex_unlock(&journal->lock);
}

void core_journal_end(CoreJournal *journal, guint64 id)
{
        change(journal, id, "end", NULL);
}

void core_journal_fail(CoreJournal *journal, guint64 id, const char *reason)
{
        change(journal, id, "failed", reason ? reason : "?");
}

void core_journal_sync(CoreJournal *journal)
{
        g_mutex_lock(&journal->lock);
        if (journal->fd >= 0 && journal->dirty && fdatasync(journal->fd) == 0) {
                journal->dirty = FALSE;
                journal->synced_us = g_get_monotonic_time();
        }
        g_mutex_unlock(&journal->lock);
}

void core_journal_set_quitting(CoreJournal *journal)
{
        g_mutex_lock(&journal->lock);
        journal->quitting = TRUE;
        g_mutex_unlock(&journal->lock);
}

gboolean core_journal_quitting(CoreJournal *journal)
{
        g_mutex_lock(&journal->lock);
        gboolean quitting = journal->quitting;
        g_mutex_unlock(&journal->lock);
        return quitting;
}

gboolean core_journal_take_error(CoreJournal *journal, GError **error)
{
        g_mutex_lock(&journal->lock);
        GError *first = g_steal_pointer(&journal->error);
        g_mutex_unlock(&journal->lock);
        if (!first)
                return TRUE;
        g_propagate_error(error, first);
        return FALSE;
}
