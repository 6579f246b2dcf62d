/* core/queue.c — the transfer queue model: jobs, states, progress samples, rate and ETA, cancel.
 * Must not: transfer, print, prompt or call curses; nothing here blocks on I/O (the lock is held
 * only to read or write the model). */
#include "core/queue.h"
#include "common/i18n.h"
#include "core/safename.h"

#include <string.h>

#define WINDOW 10                       /* samples in the rate window (as vifm) */
#define SAMPLE_SPACING_US (250 * 1000)  /* at most four samples a second: a window of ~2.5 s */
#define MIN_SPAN_US (200 * 1000)        /* no rate from less than this */

typedef struct {
        gint64 t;
        guint64 bytes;
} Sample;

typedef struct {
        CoreJob job;
        Sample *samples;       /* the rate window (WINDOW samples): only while the job moves bytes,
                                  so that a batch's waiting and finished jobs do not carry it */
        guint n_samples;
        guint next;            /* where the next sample goes */
        gint64 started;        /* first progress (monotonic µs), 0: none yet */
        guint64 start_bytes;   /* bytes at the first progress (a resumed download starts above 0) */
        gint64 last_progress;
        CoreWorker *runner;    /* the connection running it (core_queue_begin_on), or NULL */
} Entry;

struct CoreQueue {
        GMutex lock;
        GPtrArray *order;      /* Entry*, oldest first (owns them) */
        GHashTable *by_id;     /* id → Entry* */
        guint next_id;
        guint active;          /* the job holding the worker, 0: none */
        CoreQueueNotify notify;
        gpointer notify_data;
        CoreQueueStopHook stop_hook;
        CoreQueueCancelHook cancel_hook;
        gpointer cancel_data;
        CoreQueueStateHook state_hook;
        gpointer state_data;
        gpointer stop_data;
};

static void job_clear(CoreJob *job)
{
        g_free(job->name);
        g_free(job->local);
        g_free(job->remote);
        g_free(job->current);
        g_free(job->detail);
        g_free(job->temp);
        scan_verdict_free(job->verdict);
}

void core_job_free(CoreJob *job)
{
        if (!job)
                return;
        job_clear(job);
        g_free(job);
}

static void entry_free(gpointer data)
{
        Entry *entry = data;
        job_clear(&entry->job);
        g_free(entry->samples);
        g_free(entry);
}

gboolean core_job_state_is_final(CoreJobState state)
{
        return state >= CORE_JOB_DONE;
}

const char *core_job_state_label(CoreJobState state, CoreJobKind kind)
{
        switch (state) {
        case CORE_JOB_WAITING: return _("waiting");
        case CORE_JOB_SCANNING: return _("scanning");
        case CORE_JOB_TRANSFERRING: return kind == CORE_JOB_UPLOAD ? _("uploading") : _("downloading");
        case CORE_JOB_DONE: return _("done");
        /* TRANSLATORS: a file the scanner found a signature in; upper case as a warning */
        case CORE_JOB_INFECTED: return _("INFECTED");
        case CORE_JOB_REFUSED: return _("refused");
        case CORE_JOB_FAILED: return _("failed");
        case CORE_JOB_CANCELLED: return _("cancelled");
        case CORE_JOB_SKIPPED: return _("skipped");
        default: return "?";
        }
}

CoreQueue *core_queue_new(void)
{
        CoreQueue *queue = g_new0(CoreQueue, 1);
        g_mutex_init(&queue->lock);
        queue->order = g_ptr_array_new_with_free_func(entry_free);
        queue->by_id = g_hash_table_new(g_direct_hash, g_direct_equal);
        return queue;
}

void core_queue_free(CoreQueue *queue)
{
        if (!queue)
                return;
        g_hash_table_unref(queue->by_id);
        g_ptr_array_unref(queue->order);
        g_mutex_clear(&queue->lock);
        g_free(queue);
}

void core_queue_set_notify(CoreQueue *queue, CoreQueueNotify notify, gpointer data)
{
        g_mutex_lock(&queue->lock);
        queue->notify = notify;
        queue->notify_data = data;
        g_mutex_unlock(&queue->lock);
}

/* Unlocks, then tells the reader (outside the lock: it may read the queue at once). */
static void unlock_and_notify(CoreQueue *queue, gboolean changed, gboolean progress_only)
{
        CoreQueueNotify notify = queue->notify;
        gpointer data = queue->notify_data;
        g_mutex_unlock(&queue->lock);
        if (changed && notify)
                notify(progress_only, data);
}

static Entry *lookup(CoreQueue *queue, guint id)
{
        return g_hash_table_lookup(queue->by_id, GUINT_TO_POINTER(id));
}

static void enter_state(CoreQueue *queue, Entry *entry, CoreJobState state, const char *detail);

/* With the lock held: a new waiting job, last in the order. */
static Entry *add_locked(CoreQueue *queue, Entry *entry)
{
        entry->job.id = ++queue->next_id;
        g_ptr_array_add(queue->order, entry);
        g_hash_table_insert(queue->by_id, GUINT_TO_POINTER(entry->job.id), entry);
        return entry;
}

static Entry *entry_new(CoreJobKind kind, const char *name, const char *local, const char *remote)
{
        Entry *entry = g_new0(Entry, 1);
        entry->job.kind = kind;
        entry->job.state = CORE_JOB_WAITING;
        entry->job.name = g_strdup(name);
        entry->job.local = g_strdup(local);
        entry->job.remote = g_strdup(remote);
        entry->job.total = -1;
        entry->job.eta = -1;
        return entry;
}

guint core_queue_add(CoreQueue *queue, CoreJobKind kind, const char *name, const char *local,
                     const char *remote)
{
        Entry *entry = entry_new(kind, name, local, remote);
        g_mutex_lock(&queue->lock);
        guint id = add_locked(queue, entry)->job.id;
        unlock_and_notify(queue, TRUE, FALSE);
        return id;
}

guint core_queue_add_child(CoreQueue *queue, guint parent, CoreJobKind kind, const char *name,
                           const char *local, const char *remote)
{
        Entry *entry = entry_new(kind, name, local, remote);
        entry->job.parent = parent;
        g_mutex_lock(&queue->lock);
        Entry *group = lookup(queue, parent);
        if (!group || group->job.cancel_requested || core_job_state_is_final(group->job.state))
                enter_state(queue, entry, CORE_JOB_CANCELLED, NULL);
        guint id = add_locked(queue, entry)->job.id;
        unlock_and_notify(queue, TRUE, FALSE);
        return id;
}

gboolean core_queue_begin_group(CoreQueue *queue, guint id)
{
        g_mutex_lock(&queue->lock);
        Entry *entry = lookup(queue, id);
        gboolean ok = entry && !entry->job.cancel_requested && !core_job_state_is_final(entry->job.state);
        if (ok) {
                entry->job.group = TRUE;
                enter_state(queue, entry, CORE_JOB_TRANSFERRING, NULL);
        }
        unlock_and_notify(queue, ok, FALSE);
        return ok;
}

/* Average rate from the first progress to `now`. */
static double average_rate(const Entry *entry, gint64 now)
{
        gint64 span = now - entry->started;
        if (entry->started == 0 || span < 1000 || entry->job.done < entry->start_bytes)
                return 0;
        return (double)(entry->job.done - entry->start_bytes) * G_USEC_PER_SEC / (double)span;
}

/* With the lock held: the state hook hears of a change. */
static void state_changed(CoreQueue *queue, const Entry *entry)
{
        if (queue->state_hook)
                queue->state_hook(&entry->job, queue->state_data);
}

static void enter_state(CoreQueue *queue, Entry *entry, CoreJobState state, const char *detail)
{
        entry->job.state = state;
        if (detail) {
                g_free(entry->job.detail);
                entry->job.detail = g_strdup(detail);
        }
        if (core_job_state_is_final(state)) {
                gint64 end = entry->last_progress ? entry->last_progress : g_get_monotonic_time();
                entry->job.rate = average_rate(entry, end);
                entry->job.eta = -1;
                g_clear_pointer(&entry->job.current, g_free);
                g_clear_pointer(&entry->samples, g_free);
                entry->n_samples = entry->next = 0;
        }
        state_changed(queue, entry);
}

gboolean core_queue_set_state(CoreQueue *queue, guint id, CoreJobState state, const char *detail)
{
        g_mutex_lock(&queue->lock);
        Entry *entry = lookup(queue, id);
        gboolean ok = entry && !core_job_state_is_final(entry->job.state);
        if (ok)
                enter_state(queue, entry, state, detail);
        unlock_and_notify(queue, ok, FALSE);
        return ok;
}

gboolean core_queue_set_verdict(CoreQueue *queue, guint id, const CoreVerdict *verdict)
{
        if (verdict->kind == SCAN_VERDICT_OK)
                return FALSE;
        gboolean infected = verdict->kind == SCAN_VERDICT_INFECTED;
        g_autofree char *detail = core_verdict_mark_text(verdict);
        g_mutex_lock(&queue->lock);
        Entry *entry = lookup(queue, id);
        gboolean ok = entry && !core_job_state_is_final(entry->job.state);
        if (ok) {
                scan_verdict_free(entry->job.verdict);
                entry->job.verdict = scan_verdict_copy(verdict);
                enter_state(queue, entry, infected ? CORE_JOB_INFECTED : CORE_JOB_REFUSED, detail);
        }
        unlock_and_notify(queue, ok, FALSE);
        return ok;
}

static void replace(char **slot, const char *value)
{
        if (!value)
                return;
        g_free(*slot);
        *slot = g_strdup(value);
}

gboolean core_queue_set_target(CoreQueue *queue, guint id, const char *name, const char *local,
                               const char *remote)
{
        g_mutex_lock(&queue->lock);
        Entry *entry = lookup(queue, id);
        gboolean ok = entry && (entry->job.state == CORE_JOB_WAITING || entry->job.state == CORE_JOB_SCANNING);
        if (ok) {
                replace(&entry->job.name, name);
                replace(&entry->job.local, local);
                replace(&entry->job.remote, remote);
        }
        unlock_and_notify(queue, ok, FALSE);
        return ok;
}

static void add_sample(Entry *entry, guint64 done, gint64 now)
{
        if (!entry->samples)
                entry->samples = g_new(Sample, WINDOW);
        if (entry->n_samples > 0) {
                const Sample *newest = &entry->samples[(entry->next + WINDOW - 1) % WINDOW];
                if (now - newest->t < SAMPLE_SPACING_US)
                        return;
        }
        entry->samples[entry->next] = (Sample){ .t = now, .bytes = done };
        entry->next = (entry->next + 1) % WINDOW;
        if (entry->n_samples < WINDOW)
                entry->n_samples++;
}

/* Records progress; TRUE when the state changed too (a job starts moving bytes). */
static gboolean progress_locked(Entry *entry, const char *current, guint64 done, gint64 total, gint64 now)
{
        if (core_job_state_is_final(entry->job.state))
                return FALSE;
        gboolean started = entry->job.state != CORE_JOB_TRANSFERRING;
        entry->job.state = CORE_JOB_TRANSFERRING;
        if (current && g_strcmp0(current, entry->job.current) != 0) {
                /* another file of a directory's job: its bytes start again from 0 */
                g_free(entry->job.current);
                entry->job.current = g_strdup(current);
                entry->n_samples = entry->next = 0;
                entry->started = 0;
        }
        if (entry->started == 0 || done < entry->job.done) {
                entry->started = now;
                entry->start_bytes = done;
                entry->n_samples = entry->next = 0;
        }
        entry->job.done = done;
        entry->job.total = total;
        entry->last_progress = now;
        add_sample(entry, done, now);
        return started;
}

void core_queue_progress_at(CoreQueue *queue, guint id, guint64 done, gint64 total, gint64 now)
{
        g_mutex_lock(&queue->lock);
        Entry *entry = lookup(queue, id);
        gboolean started = entry && progress_locked(entry, NULL, done, total, now);
        if (started)
                state_changed(queue, entry);
        unlock_and_notify(queue, entry != NULL, !started);
}

void core_queue_progress(CoreQueue *queue, guint id, guint64 done, gint64 total)
{
        core_queue_progress_at(queue, id, done, total, g_get_monotonic_time());
}

void core_queue_progress_file(CoreQueue *queue, guint id, const char *current, guint64 done,
                              gint64 total)
{
        gint64 now = g_get_monotonic_time();
        g_mutex_lock(&queue->lock);
        Entry *entry = lookup(queue, id);
        gboolean started = entry && progress_locked(entry, current, done, total, now);
        if (started)
                state_changed(queue, entry);
        unlock_and_notify(queue, entry != NULL, !started);
}

gboolean core_queue_begin(CoreQueue *queue, guint id)
{
        return core_queue_begin_on(queue, id, NULL);
}

gboolean core_queue_begin_on(CoreQueue *queue, guint id, CoreWorker *worker)
{
        g_mutex_lock(&queue->lock);
        Entry *entry = lookup(queue, id);
        gboolean go = entry && !entry->job.cancel_requested && !core_job_state_is_final(entry->job.state);
        if (go) {
                queue->active = id;
                entry->runner = worker;
        } else if (entry && !core_job_state_is_final(entry->job.state)) {
                enter_state(queue, entry, CORE_JOB_CANCELLED, NULL);
        }
        unlock_and_notify(queue, entry && !go, FALSE);
        return go;
}

void core_queue_end(CoreQueue *queue, guint id)
{
        g_mutex_lock(&queue->lock);
        Entry *ended = lookup(queue, id);
        if (ended)
                ended->runner = NULL;
        if (queue->active == id)
                queue->active = 0;
        g_mutex_unlock(&queue->lock);
}

guint core_queue_active(CoreQueue *queue)
{
        g_mutex_lock(&queue->lock);
        guint id = queue->active;
        g_mutex_unlock(&queue->lock);
        return id;
}

static gboolean cancel_locked(CoreQueue *queue, Entry *entry, CoreWorker *worker);

/* With the lock held: every child of a group not finished nor cancelled yet. */
static void cancel_children_locked(CoreQueue *queue, const Entry *group, CoreWorker *worker)
{
        for (guint i = 0; i < queue->order->len; i++) {
                Entry *child = g_ptr_array_index(queue->order, i);
                if (child->job.parent == group->job.id && !child->job.cancel_requested)
                        cancel_locked(queue, child, worker);
        }
}

/* With the lock held: the worker is interrupted only while this very job holds it, so a cancel
 * never reaches the job after it. A group stays unfinished: its runner settles it. */
static gboolean cancel_locked(CoreQueue *queue, Entry *entry, CoreWorker *worker)
{
        if (core_job_state_is_final(entry->job.state))
                return FALSE;
        entry->job.cancel_requested = TRUE;
        if (queue->cancel_hook)
                queue->cancel_hook(entry->job.id, queue->cancel_data);
        if (entry->job.group) {
                cancel_children_locked(queue, entry, worker);
        } else if (entry->runner) {
                core_worker_cancel_job(entry->runner);
        } else if (queue->active == entry->job.id) {
                if (worker)
                        core_worker_cancel(worker);
        } else {
                enter_state(queue, entry, CORE_JOB_CANCELLED, NULL);
        }
        return TRUE;
}

gboolean core_queue_cancel(CoreQueue *queue, guint id, CoreWorker *worker)
{
        g_mutex_lock(&queue->lock);
        Entry *entry = lookup(queue, id);
        gboolean ok = entry && cancel_locked(queue, entry, worker);
        unlock_and_notify(queue, ok, FALSE);
        return ok;
}

void core_queue_cancel_all(CoreQueue *queue, CoreWorker *worker)
{
        g_mutex_lock(&queue->lock);
        gboolean any = FALSE;
        for (guint i = 0; i < queue->order->len; i++)
                any |= cancel_locked(queue, g_ptr_array_index(queue->order, i), worker);
        if (queue->stop_hook)
                queue->stop_hook(queue->stop_data);
        unlock_and_notify(queue, any, FALSE);
}

void core_queue_set_stop_hook(CoreQueue *queue, CoreQueueStopHook hook, gpointer data)
{
        g_mutex_lock(&queue->lock);
        queue->stop_hook = hook;
        queue->stop_data = data;
        g_mutex_unlock(&queue->lock);
}

void core_queue_set_cancel_hook(CoreQueue *queue, CoreQueueCancelHook hook, gpointer data)
{
        g_mutex_lock(&queue->lock);
        queue->cancel_hook = hook;
        queue->cancel_data = data;
        g_mutex_unlock(&queue->lock);
}

void core_queue_set_state_hook(CoreQueue *queue, CoreQueueStateHook hook, gpointer data)
{
        g_mutex_lock(&queue->lock);
        queue->state_hook = hook;
        queue->state_data = data;
        g_mutex_unlock(&queue->lock);
}

void core_queue_set_temp(CoreQueue *queue, guint id, const char *temp)
{
        g_mutex_lock(&queue->lock);
        Entry *entry = lookup(queue, id);
        gboolean ok = entry && g_strcmp0(entry->job.temp, temp) != 0;
        if (ok) {
                g_free(entry->job.temp);
                entry->job.temp = g_strdup(temp);
                state_changed(queue, entry);
        }
        unlock_and_notify(queue, ok, FALSE);
}

void core_queue_set_go_on(CoreQueue *queue, guint id, gboolean go_on)
{
        g_mutex_lock(&queue->lock);
        Entry *entry = lookup(queue, id);
        if (entry)
                entry->job.go_on = go_on;
        g_mutex_unlock(&queue->lock);
}

gboolean core_queue_cancel_requested(CoreQueue *queue, guint id)
{
        g_mutex_lock(&queue->lock);
        Entry *entry = lookup(queue, id);
        gboolean requested = entry && entry->job.cancel_requested;
        g_mutex_unlock(&queue->lock);
        return requested;
}

/* Rate over the window: from its oldest sample to now (a stalled transfer's rate falls). */
static void fill_rate(const Entry *entry, CoreJob *copy, gint64 now)
{
        if (core_job_state_is_final(entry->job.state) || entry->job.state != CORE_JOB_TRANSFERRING)
                return;
        copy->rate = 0;
        copy->eta = -1;
        if (entry->n_samples == 0)
                return;
        const Sample *oldest = &entry->samples[(entry->next + WINDOW - entry->n_samples) % WINDOW];
        gint64 span = now - oldest->t;
        if (span < MIN_SPAN_US || entry->job.done < oldest->bytes)
                return;
        copy->rate = (double)(entry->job.done - oldest->bytes) * G_USEC_PER_SEC / (double)span;
        if (copy->rate > 0 && entry->job.total >= 0 && (guint64)entry->job.total >= entry->job.done)
                copy->eta = (gint64)((double)((guint64)entry->job.total - entry->job.done) / copy->rate + 0.999);
}

static CoreJob *copy_entry(const Entry *entry, gint64 now)
{
        CoreJob *copy = g_new0(CoreJob, 1);
        *copy = entry->job;
        copy->name = g_strdup(entry->job.name);
        copy->local = g_strdup(entry->job.local);
        copy->remote = g_strdup(entry->job.remote);
        copy->current = g_strdup(entry->job.current);
        copy->detail = g_strdup(entry->job.detail);
        copy->temp = g_strdup(entry->job.temp);
        copy->verdict = scan_verdict_copy(entry->job.verdict);
        fill_rate(entry, copy, now);
        return copy;
}

GPtrArray *core_queue_snapshot_at(CoreQueue *queue, gint64 now)
{
        g_mutex_lock(&queue->lock);
        GPtrArray *jobs = g_ptr_array_new_full(queue->order->len, (GDestroyNotify)core_job_free);
        for (guint i = 0; i < queue->order->len; i++)
                g_ptr_array_add(jobs, copy_entry(g_ptr_array_index(queue->order, i), now));
        g_mutex_unlock(&queue->lock);
        return jobs;
}

GPtrArray *core_queue_snapshot(CoreQueue *queue)
{
        return core_queue_snapshot_at(queue, g_get_monotonic_time());
}

guint core_queue_length(CoreQueue *queue)
{
        g_mutex_lock(&queue->lock);
        guint n = queue->order->len;
        g_mutex_unlock(&queue->lock);
        return n;
}

GPtrArray *core_queue_slice(CoreQueue *queue, guint first, guint count)
{
        gint64 now = g_get_monotonic_time();
        g_mutex_lock(&queue->lock);
        GPtrArray *jobs = g_ptr_array_new_with_free_func((GDestroyNotify)core_job_free);
        for (guint i = first; i < queue->order->len && i - first < count; i++)
                g_ptr_array_add(jobs, copy_entry(g_ptr_array_index(queue->order, i), now));
        g_mutex_unlock(&queue->lock);
        return jobs;
}

CoreJob *core_queue_first_in(CoreQueue *queue, CoreJobState state)
{
        gint64 now = g_get_monotonic_time();
        CoreJob *copy = NULL;
        g_mutex_lock(&queue->lock);
        for (guint i = 0; i < queue->order->len && !copy; i++) {
                const Entry *entry = g_ptr_array_index(queue->order, i);
                if (entry->job.state == state)
                        copy = copy_entry(entry, now);
        }
        g_mutex_unlock(&queue->lock);
        return copy;
}

GPtrArray *core_queue_snapshot_moving(CoreQueue *queue)
{
        gint64 now = g_get_monotonic_time();
        g_mutex_lock(&queue->lock);
        GPtrArray *jobs = g_ptr_array_new_with_free_func((GDestroyNotify)core_job_free);
        for (guint i = 0; i < queue->order->len; i++) {
                const Entry *entry = g_ptr_array_index(queue->order, i);
                if (entry->job.state == CORE_JOB_TRANSFERRING)
                        g_ptr_array_add(jobs, copy_entry(entry, now));
        }
        g_mutex_unlock(&queue->lock);
        return jobs;
}

CoreJob *core_queue_get_at(CoreQueue *queue, guint id, gint64 now)
{
        g_mutex_lock(&queue->lock);
        Entry *entry = lookup(queue, id);
        CoreJob *copy = entry ? copy_entry(entry, now) : NULL;
        g_mutex_unlock(&queue->lock);
        return copy;
}

CoreJob *core_queue_get(CoreQueue *queue, guint id)
{
        return core_queue_get_at(queue, id, g_get_monotonic_time());
}

guint core_queue_remove_finished(CoreQueue *queue)
{
        g_mutex_lock(&queue->lock);
        guint removed = 0;
        for (guint i = queue->order->len; i-- > 0;) {
                Entry *entry = g_ptr_array_index(queue->order, i);
                if (!core_job_state_is_final(entry->job.state))
                        continue;
                g_hash_table_remove(queue->by_id, GUINT_TO_POINTER(entry->job.id));
                g_ptr_array_remove_index(queue->order, i);
                removed++;
        }
        unlock_and_notify(queue, removed > 0, FALSE);
        return removed;
}

void core_queue_counts(CoreQueue *queue, CoreQueueCounts *counts)
{
        memset(counts, 0, sizeof *counts);
        g_mutex_lock(&queue->lock);
        for (guint i = 0; i < queue->order->len; i++) {
                const Entry *entry = g_ptr_array_index(queue->order, i);
                switch (entry->job.state) {
                case CORE_JOB_WAITING: case CORE_JOB_SCANNING: counts->waiting++; break;
                case CORE_JOB_TRANSFERRING: counts->running++; break;
                case CORE_JOB_DONE:
                        counts->done++;
                        counts->done_uploads += entry->job.kind == CORE_JOB_UPLOAD;
                        break;
                case CORE_JOB_INFECTED: case CORE_JOB_REFUSED: counts->refused++; break;
                case CORE_JOB_FAILED: counts->failed++; break;
                case CORE_JOB_CANCELLED: case CORE_JOB_SKIPPED: counts->cancelled++; break;
                default: break;
                }
        }
        g_mutex_unlock(&queue->lock);
}
