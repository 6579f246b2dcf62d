/* core/journal.h — the transfer queue's journal: every file job not finished yet (its server,
 * direction, paths, size, whether it started, a temp-upload's temporary name), kept on disk under
 * $XDG_STATE_HOME/clamftp/ so that a later run can offer to resume it after a crash, a kill or a
 * quit with jobs waiting.
 * Owns: the journal files (queue-N.journal, an append-only log of records with a CRC each,
 * compacted by write-fsync-rename; a torn last record dropped, any other damage set aside as
 * queue-N.journal.bad-TIME), the per-process lock (queue-N.lock, flock) and when writes reach
 * the disk. Thread-safe.
 * Must not: transfer, print or ask (the front end reports what core_journal_open noticed);
 * never holds a password. */
#pragma once
#include <glib.h>

#define CORE_JOURNAL_ERROR (core_journal_error_quark())
GQuark core_journal_error_quark(void);
typedef enum {
        CORE_JOURNAL_ERROR_IO,       /* the state directory or a journal file cannot be used */
        CORE_JOURNAL_ERROR_BUSY,     /* every slot is held by another clamftp */
        CORE_JOURNAL_ERROR_PARSE,    /* core_journal_parse: what does not parse, and where */
} CoreJournalErrorCode;

/* How many clamftp processes may keep a journal at once (one slot each). */
#define CORE_JOURNAL_SLOTS 16

/* Where a job goes: never a password. */
typedef struct {
        char *host;
        guint16 port;
        char *user;             /* NULL: asked (or ~/.netrc) */
        char *tls;              /* "auto", "require" or "off" */
        gboolean implicit_tls;  /* ftps:// */
        char *fingerprint;      /* the certificate pinned by its SHA-256 (AB:CD:…), NULL: none */
} CoreJournalServer;
void core_journal_server_clear(CoreJournalServer *server);

typedef struct {
        guint64 id;             /* the journal's own, > 0 */
        guint server;           /* index into core_journal_servers() */
        gboolean upload;
        char *local;            /* absolute: the file read (uploads) or written (downloads) */
        char *base;             /* downloads of a tree: the absolute directory the tree lands in
                                   (the directories between are made again), else NULL */
        char *remote;           /* absolute on the server */
        gint64 size;            /* the source's size when the job was made, -1 unknown */
        gint64 mtime;           /* the source's time then (seconds), -1 unknown */
        gboolean started;       /* it may have written at the destination already */
        char *temp;             /* temp-upload: the temporary remote name it is stored under */
        char *failed;           /* why its last run failed (kept to be run again), NULL: not failed */
} CoreJournalJob;
void core_journal_job_free(CoreJournalJob *job);
CoreJournalJob *core_journal_job_copy(const CoreJournalJob *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreJournalJob, core_journal_job_free)

typedef struct CoreJournal CoreJournal;

/* Takes a slot in `dir` (NULL: $XDG_STATE_HOME/clamftp; made 0700): the first one no other
 * process holds that has jobs left, else the first free one, and reads its journal. A journal
 * that does not parse is renamed aside (core_journal_set_aside says where and why); a torn last
 * record is dropped. NULL with an error when no slot can be had. */
CoreJournal *core_journal_open(const char *dir, GError **error);
/* Writes what is pending, fsyncs, removes the journal file when no job is left, and lets the
 * slot go (the lock file stays). */
void core_journal_close(CoreJournal *journal);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreJournal, core_journal_close)

/* The journal file (queue-N.journal; it exists only while jobs are left). */
const char *core_journal_path(CoreJournal *journal);
/* What core_journal_open found wrong and did about it, for the front end to say; NULL: nothing.
 * *reason: why the file was set aside (NULL when only a torn record was dropped). */
const char *core_journal_set_aside(CoreJournal *journal, const char **reason);
gboolean core_journal_dropped_torn(CoreJournal *journal);
/* Slots held by other running clamftp processes, as "queue-N.journal (pid P)". char* */
const GPtrArray *core_journal_busy(CoreJournal *journal);

/* The jobs an earlier run left (read at open and not yet resumed or discarded), oldest first.
 * CoreJournalJob*, transfer full (copies). */
GPtrArray *core_journal_inherited(CoreJournal *journal);
/* A copy of server `index` (NULL: none). transfer full */
CoreJournalServer *core_journal_server_get(CoreJournal *journal, guint index);
/* Forgets that job `id` came from an earlier run (it is being resumed: it is this run's now). */
void core_journal_adopt(CoreJournal *journal, guint64 id);

/* The index of `server` (recorded once per journal). */
guint core_journal_add_server(CoreJournal *journal, const CoreJournalServer *server);
/* Records a new job (job->id is ignored); returns its id, 0 when the journal could not be
 * written (core_journal_take_error). */
guint64 core_journal_add(CoreJournal *journal, const CoreJournalJob *job);
/* Job `id` may now write at its destination: written at once (a kill after this still finds it). */
void core_journal_start(CoreJournal *journal, guint64 id);
/* Job `id` is stored under the temporary remote name `temp` first. */
void core_journal_temp(CoreJournal *journal, guint64 id, const char *temp);
/* Job `id` reads or writes elsewhere now (a rename chosen in a conflict): absolute paths. */
void core_journal_target(CoreJournal *journal, guint64 id, const char *local, const char *remote);
/* Job `id` is over (done, refused or cancelled): forgotten. */
void core_journal_end(CoreJournal *journal, guint64 id);
/* Job `id` failed (`reason`): kept, as failed, for `queue` to show and `queue resume` to run
 * again (`queue discard` drops it); a later start of it clears the mark. */
void core_journal_fail(CoreJournal *journal, guint64 id, const char *reason);
/* Every record so far on the disk (write and fdatasync); at the end of a batch. */
void core_journal_sync(CoreJournal *journal);
/* While quitting: a job cancelled or failed from now on stays in the journal, to be offered
 * next time; a job done or refused is still forgotten. */
void core_journal_set_quitting(CoreJournal *journal);
gboolean core_journal_quitting(CoreJournal *journal);
/* The first write error since the last call (FALSE: there was one). */
gboolean core_journal_take_error(CoreJournal *journal, GError **error);

/* For tests and the set-aside check: parses a journal's text. TRUE with the live jobs
 * (CoreJournalJob*) and servers (CoreJournalServer*) in order; *torn: the last record was cut
 * off or damaged and was dropped. */
gboolean core_journal_parse(const char *text, gsize len, GPtrArray **jobs, GPtrArray **servers, gboolean *torn,
                            GError **error);
