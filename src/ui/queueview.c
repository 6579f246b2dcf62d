/* ui/queueview.c — the transfer queue on the screen: the view's rows, its keys, and the status
 * bar's summary. Must not: call curses, or change the queue except through `:` commands. */
#include "ui/queueview.h"
#include "ui/app.h"
#include "ui/actions.h"
#include "ui/columns.h"
#include "common/i18n.h"
#include <string.h>

char *ui_queue_rate_text(double rate)
{
        if (rate <= 0)
                return g_strdup("");
        if (rate < 1e6)
                return g_strdup_printf("%.1f kB/s", rate / 1e3);
        return g_strdup_printf("%.2f MB/s", rate / 1e6);
}

char *ui_queue_eta_text(gint64 seconds)
{
        if (seconds < 0)
                return g_strdup("");
        return g_strdup_printf("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                               (int)(seconds / 60 % 60), (int)(seconds % 60));
}

static int percent(const CoreJob *job)
{
        if (job->total <= 0 || job->done > (guint64)job->total)
                return job->total == 0 ? 100 : -1;
        return (int)(job->done * 100 / (guint64)job->total);
}

char *ui_queue_state_text(const CoreJob *job)
{
        const char *label = core_job_state_label(job->state, job->kind);
        int pc = percent(job);
        if (job->state == CORE_JOB_TRANSFERRING && pc >= 0)
                return g_strdup_printf("%s %d%%", label, pc);
        return g_strdup(label);
}

/* The right-hand part: bytes, rate, ETA; for a refused or failed job, why. */
static char *row_tail(const CoreJob *job)
{
        if (job->detail && job->state != CORE_JOB_DONE && (job->state != CORE_JOB_CANCELLED || job->group))
                return g_strdup(job->detail); /* a cancelled directory: how many files arrived */
        g_autofree char *done = ui_columns_size((gint64)job->done);
        g_autofree char *total = ui_columns_size(job->total);
        g_autofree char *rate = ui_queue_rate_text(job->rate);
        g_autofree char *eta = ui_queue_eta_text(job->eta);
        if (job->state == CORE_JOB_WAITING || job->state == CORE_JOB_SCANNING ||
            job->state == CORE_JOB_SKIPPED || (job->state == CORE_JOB_CANCELLED && job->done == 0))
                return g_strdup("");
        g_autofree char *bytes = job->total >= 0 && !core_job_state_is_final(job->state)
                ? g_strdup_printf("%s/%s", done, total) : g_strdup(done);
        if (job->state == CORE_JOB_DONE && job->detail) /* a resumed upload: where it went on from */
                return g_strdup_printf("%15s %s", bytes, job->detail);
        return g_strdup_printf("%15s %11s %8s", bytes, rate, eta);
}

char *ui_queue_row_text(const CoreJob *job, int width)
{
        g_autofree char *state = ui_queue_state_text(job);
        const char *arrow = job->kind == CORE_JOB_UPLOAD ? "->" : "<-";
        g_autofree char *head = g_strdup_printf("%4u %s %-16s ", job->id, arrow, state);
        g_autofree char *tail = row_tail(job);
        g_autofree char *name = job->current
                ? g_strdup_printf("%s (%s)", job->name, job->current) : g_strdup(job->name);
        int tail_width = MIN(ui_text_width(tail), MAX(width - ui_text_width(head) - 12, 0));
        int name_width = MAX(width - ui_text_width(head) - tail_width - 1, 1);
        g_autofree char *name_fitted = ui_text_fit_middle(name, name_width);
        g_autofree char *tail_fitted = ui_text_fit(tail, tail_width);
        GString *row = g_string_new(head);
        g_string_append(row, name_fitted);
        for (int pad = name_width - ui_text_width(name_fitted) + 1; pad > 0; pad--)
                g_string_append_c(row, ' ');
        g_string_append(row, tail_fitted);
        g_autofree char *text = g_string_free(row, FALSE);
        return ui_text_fit(text, width);
}

/* "big.bin 43% 1.20 MB/s 0:00:03" */
static char *running_text(const CoreJob *job)
{
        g_autofree char *state = ui_queue_state_text(job);
        g_autofree char *rate = ui_queue_rate_text(job->rate);
        g_autofree char *eta = ui_queue_eta_text(job->eta);
        const char *pc = strchr(state, ' ');
        GString *text = g_string_new(job->name);
        if (pc)
                g_string_append(text, pc);
        if (*rate)
                g_string_append_printf(text, " %s", rate);
        if (*eta)
                g_string_append_printf(text, " %s", eta);
        return g_string_free(text, FALSE);
}

char *ui_queue_summary(CoreQueue *queue)
{
        /* drawn with every change of a batch: nothing here copies the whole queue */
        g_autoptr(CoreJob) running = core_queue_first_in(queue, CORE_JOB_TRANSFERRING);
        g_autoptr(CoreJob) scanning = core_queue_first_in(queue, CORE_JOB_SCANNING);
        CoreQueueCounts counts;
        core_queue_counts(queue, &counts);
        guint waiting = counts.waiting - (scanning && counts.waiting > 0 ? 1 : 0); /* waiting or scanning, but that one */
        GString *text = g_string_new(NULL);
        if (running) {
                g_autofree char *part = running_text(running);
                g_string_append(text, part);
        }
        if (scanning)
                g_string_append_printf(text, "%s%s %s", text->len ? ", " : "", _("scanning"), scanning->name);
        if (waiting) {
                g_autofree char *more = g_strdup_printf(ngettext("%u waiting", "%u waiting", waiting), waiting);
                g_string_append_printf(text, "%s%s", text->len ? ", " : "", more);
        }
        if (text->len == 0) {
                g_string_free(text, TRUE);
                return NULL;
        }
        return g_string_free(text, FALSE);
}

gboolean ui_queue_busy(CoreQueue *queue)
{
        CoreQueueCounts counts;
        core_queue_counts(queue, &counts);
        return counts.running > 0 || counts.waiting > 0;
}

static UiAttr row_attr(const CoreJob *job, gboolean is_cursor)
{
        if (is_cursor)
                return UI_ATTR_CURSOR;
        if (job->state == CORE_JOB_INFECTED || job->state == CORE_JOB_REFUSED || job->state == CORE_JOB_FAILED)
                return UI_ATTR_ERROR;
        return job->state == CORE_JOB_TRANSFERRING ? UI_ATTR_SELECTED : UI_ATTR_NORMAL;
}

static char *title_text(CoreQueue *queue, guint n_jobs, const char *limits)
{
        CoreQueueCounts c;
        core_queue_counts(queue, &c);
        g_autofree char *counts = g_strdup_printf(
                _("%u jobs — %u running, %u waiting, %u done, %u refused, %u failed, %u cancelled or skipped"),
                n_jobs, c.running, c.waiting, c.done, c.refused, c.failed, c.cancelled);
        /* the limits first: a narrow screen cuts the end of the title */
        if (limits)
                return g_strdup_printf(_(" Transfer queue (limits: %s): %s"), limits, counts);
        return g_strdup_printf(_(" Transfer queue: %s"), counts);
}

void ui_queue_draw(UiApp *app, int y, int height)
{
        guint total = core_queue_length(app->queue);
        g_autofree char *title = title_text(app->queue, total, app->limits);
        g_autofree char *title_fitted = ui_text_fit(title, app->width);
        ui_canvas_text(app->canvas, 0, y, app->width, title_fitted, UI_ATTR_HEADER);
        int rows = MAX(height - 2, 1);
        app->queue_cursor = CLAMP(app->queue_cursor, 0, MAX((int)total - 1, 0));
        if (app->queue_cursor < app->queue_top)
                app->queue_top = app->queue_cursor;
        if (app->queue_cursor >= app->queue_top + rows)
                app->queue_top = app->queue_cursor - rows + 1;
        /* only the rows shown are copied: a batch of many thousand files redraws this often */
        g_autoptr(GPtrArray) jobs = core_queue_slice(app->queue, (guint)app->queue_top, (guint)rows);
        for (int r = 0; r < rows; r++) {
                int index = app->queue_top + r;
                ui_canvas_fill(app->canvas, 0, y + 1 + r, app->width, UI_ATTR_NORMAL);
                if (r >= (int)jobs->len)
                        continue;
                const CoreJob *job = g_ptr_array_index(jobs, r);
                g_autofree char *text = ui_queue_row_text(job, app->width);
                ui_canvas_text(app->canvas, 0, y + 1 + r, app->width, text, row_attr(job, index == app->queue_cursor));
        }
        if (total == 0)
                ui_canvas_text(app->canvas, 2, y + 1, app->width - 2, _("No transfers yet: F5 copies, :put/:get/:mput/:mget queue here."),
                               UI_ATTR_NORMAL);
        ui_canvas_text(app->canvas, 0, y + height - 1, app->width,
                       _(" Queue: Up/Down move, Del or c cancels the job, x clears finished jobs, Esc or F9 closes"),
                       UI_ATTR_STATUS);
}

/* The id of the job under the view's cursor, 0 if none. */
static guint selected_id(UiApp *app)
{
        guint total = core_queue_length(app->queue);
        /* keys may arrive faster than draws: End then c must act on the last row */
        app->queue_cursor = CLAMP(app->queue_cursor, 0, MAX((int)total - 1, 0));
        g_autoptr(GPtrArray) jobs = core_queue_slice(app->queue, (guint)app->queue_cursor, 1);
        return jobs->len ? ((CoreJob *)g_ptr_array_index(jobs, 0))->id : 0;
}

void ui_queue_key(UiApp *app, UiKey key)
{
        int page = MAX(app->height - 8, 1);
        if (key == UI_KEY_UP || key == UI_KEY_PPAGE)
                (void)selected_id(app); /* End then Up: up from the last row, before any draw */
        switch (key) {
        case UI_KEY_UP: app->queue_cursor--; break;
        case UI_KEY_DOWN: app->queue_cursor++; break;
        case UI_KEY_PPAGE: app->queue_cursor -= page; break;
        case UI_KEY_NPAGE: app->queue_cursor += page; break;
        case UI_KEY_HOME: app->queue_cursor = 0; break;
        case UI_KEY_END: app->queue_cursor = G_MAXINT / 2; break;
        case UI_KEY_DELETE: case 'c': {
                guint id = selected_id(app);
                if (id) {
                        g_autofree char *line = g_strdup_printf("cancel %u", id);
                        ui_app_run_line(app, line);
                }
                break;
        }
        case 'x': ui_app_run_line(app, "queue-clear"); break;
        case UI_KEY_ESCAPE: case 'q': case UI_KEY_F(9): ui_app_run_line(app, "queue"); break;
        case UI_KEY_F(10): case ':': {
                const char *command = ui_keymap_lookup(key);
                if (command)
                        ui_app_run_line(app, command);
                break;
        }
        default: break;
        }
}
