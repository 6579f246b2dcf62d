/* core/linemode.c — line mode: the `ftp>` prompt, -c, -b and commands piped on stdin.
 * Owns: how messages, progress, questions and password prompts look on a plain terminal or in a
 * script; the command loop; Ctrl-C cancelling the running transfer.
 * Must not: interpret commands (core/cmd does), or call curses. */
#include "common/escape.h"
#include "common/i18n.h"
#include "common/memory.h"
#include "core/linemode.h"
#include "core/cmd.h"
#include "core/resume.h"
#include "core/safename.h"
#include "core/worker.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

struct CoreLineMode {
        FILE *in;
        FILE *out;
        FILE *err;
        gboolean in_tty;
        gboolean out_tty;
        GMutex lock;              /* messages and progress come from several threads */
        gboolean progress_shown;  /* a progress line without its newline is on the terminal */
        gboolean stop_on_failure; /* a script (-c, -b, stdin that is not a terminal) ends at the
                                     first command that fails, as `sftp -b` does */
        CoreFrontend fe;
};

/* Ctrl-C: one waiting thread per process cancels the worker of the running session. */
static GMutex interrupt_lock;
static CoreWorker *interrupt_worker;
static gboolean interrupt_started;

static void clear_progress(CoreLineMode *lm)
{
        if (!lm->progress_shown)
                return;
        fputs("\r\033[K", lm->out);
        lm->progress_shown = FALSE;
}

/* Every line is checked once more for what must not reach a terminal (ESC, CR, C1, bidi
 * overrides): a server's or file system's text that a message quotes without escaping it can
 * then neither erase lines nor fake a verdict. */
static void put_lines(FILE *f, const char *prefix, const char *text)
{
        g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
        for (char **line = lines; *line; line++) {
                g_autofree char *shown = common_text_escape_controls(*line, FALSE);
                fprintf(f, "%s%s\n", prefix, shown);
        }
}

static void lm_message(CoreMsgKind kind, const char *text, gpointer data)
{
        CoreLineMode *lm = data;
        g_mutex_lock(&lm->lock);
        clear_progress(lm);
        fflush(lm->out);
        switch (kind) {
        case CORE_MSG_ERROR:
                put_lines(lm->err, _("clamftp: error: "), text);
                fflush(lm->err);
                break;
        case CORE_MSG_WARNING:
                put_lines(lm->err, _("clamftp: warning: "), text);
                fflush(lm->err);
                break;
        case CORE_MSG_INFO:
        case CORE_MSG_OUTPUT:
        default:
                put_lines(lm->out, "", text);
                fflush(lm->out);
                break;
        }
        g_mutex_unlock(&lm->lock);
}

static void lm_progress(const char *name, guint64 done, gint64 total, gpointer data)
{
        CoreLineMode *lm = data;
        if (!lm->out_tty)
                return;
        g_autofree char *shown = core_name_escape(name);
        g_autofree char *done_text = g_format_size(done);
        g_mutex_lock(&lm->lock);
        if (total > 0) {
                g_autofree char *total_text = g_format_size((guint64)total);
                int percent = (int)(done * 100 / (guint64)total);
                fprintf(lm->out, "\r%s  %s / %s (%d%%)\033[K", shown, done_text, total_text, percent);
        } else {
                fprintf(lm->out, "\r%s  %s\033[K", shown, done_text);
        }
        fflush(lm->out);
        lm->progress_shown = TRUE;
        g_mutex_unlock(&lm->lock);
}

/* One line without its '\n' (a CR or NUL stays, for the parser to refuse); NULL at EOF. */
static char *read_line(FILE *in, gsize *len)
{
        char *line = NULL;
        size_t size = 0;
        ssize_t n = getline(&line, &size, in);
        if (n < 0) {
                free(line);
                return NULL;
        }
        if (n > 0 && line[n - 1] == '\n')
                line[--n] = '\0';
        char *copy = g_strndup(line, (gsize)n);
        memcpy(copy, line, (gsize)n); /* keep embedded NULs */
        free(line);
        if (len)
                *len = (gsize)n;
        return copy;
}

/* A question's label is checked like a message (put_lines): the names it quotes come from
 * servers; its own line breaks stay. */
static void lm_write_label(CoreLineMode *lm, const char *label)
{
        g_autofree char *shown = common_text_escape_controls(label, TRUE);
        g_mutex_lock(&lm->lock);
        clear_progress(lm);
        fprintf(lm->out, "%s ", shown);
        fflush(lm->out);
        g_mutex_unlock(&lm->lock);
}

/* After a prompt answered from a script, end the prompt's line. */
static void lm_end_scripted_prompt(CoreLineMode *lm)
{
        if (lm->in_tty)
                return;
        fputc('\n', lm->out);
        fflush(lm->out);
}

static gboolean parse_answer(const char *text, CoreAnswer *answer)
{
        static const struct { const char *word; CoreAnswer answer; } words[] = {
                { "y", CORE_ANSWER_YES }, { "yes", CORE_ANSWER_YES },
                { "n", CORE_ANSWER_NO }, { "no", CORE_ANSWER_NO },
                { "a", CORE_ANSWER_ALL }, { "all", CORE_ANSWER_ALL },
                { "q", CORE_ANSWER_QUIT }, { "quit", CORE_ANSWER_QUIT },
        };
        g_autofree char *word = g_ascii_strdown(text, -1);
        g_strstrip(word);
        for (gsize i = 0; i < G_N_ELEMENTS(words); i++) {
                if (g_str_equal(word, words[i].word)) {
                        *answer = words[i].answer;
                        return TRUE;
                }
        }
        return FALSE;
}

/* Shows `label` and reads one answer; from a script the answer is echoed after it, so that the
 * output reads like the session. NULL at the end of the input. transfer full */
static char *read_answer(CoreLineMode *lm, const char *label)
{
        lm_write_label(lm, label);
        char *line = read_line(lm->in, NULL);
        if (!line) {
                lm_end_scripted_prompt(lm);
                return NULL;
        }
        if (!lm->in_tty) {
                g_autofree char *echo = common_text_escape_controls(line, FALSE);
                fprintf(lm->out, "%s\n", echo);
                fflush(lm->out);
        }
        return line;
}

static CoreAnswer lm_ask(const char *question, gpointer data)
{
        CoreLineMode *lm = data;
        g_autofree char *label = g_strdup_printf(_("%s [y]es/[n]o/[a]ll/[q]uit?"), question);
        for (;;) {
                g_autofree char *line = read_answer(lm, label);
                if (!line)
                        return CORE_ANSWER_QUIT; /* nobody left to answer */
                CoreAnswer answer;
                if (parse_answer(line, &answer))
                        return answer;
        }
}

/* The answer a line names: its key (case counts: 'o' overwrite, 'O' overwrite all) or its label. */
static int find_choice(const char *line, const CoreChoice *choices, guint n_choices)
{
        g_autofree char *word = g_strstrip(g_strdup(line));
        for (guint i = 0; i < n_choices; i++) {
                gboolean key = word[0] == choices[i].key && word[1] == '\0';
                if (key || g_ascii_strcasecmp(word, choices[i].label) == 0)
                        return (int)i;
        }
        return -1;
}

/* "report.pdf exists on the server (…); this one: …. (o overwrite, s skip, S skip all)" */
static int lm_choose(const char *question, const CoreChoice *choices, guint n_choices, gpointer data)
{
        CoreLineMode *lm = data;
        g_autoptr(GString) label = g_string_new(question);
        g_string_append(label, " (");
        for (guint i = 0; i < n_choices; i++)
                g_string_append_printf(label, "%s%c %s", i ? ", " : "", choices[i].key, choices[i].label);
        g_string_append(label, ")?");
        for (;;) {
                g_autofree char *line = read_answer(lm, label->str);
                if (!line)
                        return -1; /* nobody left to answer: cancel the rest */
                int index = find_choice(line, choices, n_choices);
                if (index >= 0)
                        return index;
        }
}

/* A line that starts from `initial`: shown in brackets, taken by an empty answer. */
static char *lm_edit(const char *label, const char *initial, gpointer data)
{
        CoreLineMode *lm = data;
        g_autofree char *shown = initial ? g_strdup_printf("%s [%s]", label, initial) : g_strdup(label);
        lm_write_label(lm, shown);
        g_autofree char *line = read_line(lm->in, NULL);
        lm_end_scripted_prompt(lm);
        if (line && !*line && initial)
                return g_strdup(initial);
        return g_steal_pointer(&line);
}

/* Reads a secret from the controlling terminal with echo off. NULL if there is no terminal. */
static char *read_secret_tty(const char *label, gboolean *no_tty)
{
        int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
        *no_tty = fd < 0;
        if (fd < 0)
                return NULL;
        FILE *tty = fdopen(fd, "r+");
        if (!tty) {
                close(fd);
                *no_tty = TRUE;
                return NULL;
        }
        struct termios saved, quiet;
        gboolean restore = tcgetattr(fd, &saved) == 0;
        if (restore) {
                quiet = saved;
                quiet.c_lflag &= ~(tcflag_t)ECHO;
                quiet.c_lflag |= ECHONL;
                restore = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
        }
        fprintf(tty, "%s ", label);
        fflush(tty);
        char *line = read_line(tty, NULL);
        if (restore)
                tcsetattr(fd, TCSAFLUSH, &saved);
        fclose(tty);
        return line;
}

static char *lm_prompt(const char *label, gboolean secret, gpointer data)
{
        CoreLineMode *lm = data;
        if (secret && lm->in_tty) {
                gboolean no_tty = FALSE;
                char *line = read_secret_tty(label, &no_tty);
                if (!no_tty)
                        return line;
        }
        lm_write_label(lm, label);
        char *line = read_line(lm->in, NULL);
        lm_end_scripted_prompt(lm);
        return line;
}

CoreLineMode *core_linemode_new(FILE *in, FILE *out, FILE *err)
{
        CoreLineMode *lm = g_new0(CoreLineMode, 1);
        lm->in = in;
        lm->out = out;
        lm->err = err;
        lm->in_tty = isatty(fileno(in));
        lm->out_tty = isatty(fileno(out));
        lm->stop_on_failure = !lm->in_tty;
        g_mutex_init(&lm->lock);
        lm->fe.message = lm_message;
        lm->fe.progress = lm_progress;
        lm->fe.ask = lm_ask;
        lm->fe.prompt = lm_prompt;
        lm->fe.data = lm;
        lm->fe.choose = lm_choose;
        lm->fe.edit = lm_edit;
        lm->fe.choose_data = lm;
        return lm;
}

void core_linemode_free(CoreLineMode *lm)
{
        if (!lm)
                return;
        g_mutex_clear(&lm->lock);
        g_free(lm);
}

const CoreFrontend *core_linemode_frontend(CoreLineMode *lm)
{
        return &lm->fe;
}

/* FALSE when a script must stop: the failure has been shown, and so is why nothing more runs. */
static gboolean go_on(CoreLineMode *lm, CoreContext *ctx, gint failures_before, gboolean may_fail)
{
        if (!lm->stop_on_failure || may_fail || g_atomic_int_get(&ctx->failures) == failures_before)
                return TRUE;
        core_say(ctx, CORE_MSG_ERROR, "%s",
                 _("The script stops here: a command failed. (A command written with a leading `-`, "
                   "as in `-delete x`, may fail and the script goes on.)"));
        return FALSE;
}

/* One line of input: `;`-separated commands, or a `#` comment. A command with a leading `-` may
 * fail without stopping a script. FALSE when the script must stop. */
static gboolean run_line(CoreLineMode *lm, CoreContext *ctx, const char *line, gsize len)
{
        gint before = g_atomic_int_get(&ctx->failures);
        if (memchr(line, '\0', len) || strchr(line, '\r')) {
                core_cmd_run_line(ctx, line, (gssize)len, NULL); /* refused, with the reason */
                return go_on(lm, ctx, before, FALSE);
        }
        if (line[strspn(line, " \t")] == '#')
                return TRUE;
        g_autoptr(GError) error = NULL;
        g_auto(GStrv) commands = core_cmd_split_commands(line, &error);
        if (!commands) {
                core_fail(ctx, error);
                return go_on(lm, ctx, before, FALSE);
        }
        for (char **cmd = commands; *cmd && !ctx->quit_requested; cmd++) {
                gboolean may_fail = (*cmd)[0] == '-';
                before = g_atomic_int_get(&ctx->failures);
                core_cmd_run_line(ctx, *cmd + (may_fail ? 1 : 0), -1, NULL);
                common_memory_give_back(); /* what the command freed (a batch's jobs and listings) */
                if (!go_on(lm, ctx, before, may_fail))
                        return FALSE;
        }
        return TRUE;
}

void core_linemode_run_text(CoreLineMode *lm, CoreContext *ctx, const char *text)
{
        run_line(lm, ctx, text, strlen(text));
}

void core_linemode_run_input(CoreLineMode *lm, CoreContext *ctx)
{
        while (!ctx->quit_requested) {
                if (lm->in_tty)
                        lm_write_label(lm, "ftp>");
                gsize len = 0;
                g_autofree char *line = read_line(lm->in, &len);
                if (!line) {
                        if (lm->in_tty)
                                fputc('\n', lm->out);
                        return;
                }
                if (!run_line(lm, ctx, line, len))
                        return;
        }
}

void core_linemode_run_file(CoreLineMode *lm, CoreContext *ctx, const char *path)
{
        FILE *file = fopen(path, "re");
        if (!file) {
                g_autoptr(GError) error = g_error_new(CORE_CMD_ERROR, CORE_CMD_ERROR_FAILED,
                                                      _("Cannot read the command file %s: %s"), path,
                                                      g_strerror(errno));
                core_fail(ctx, error);
                return;
        }
        while (!ctx->quit_requested) {
                gsize len = 0;
                g_autofree char *line = read_line(file, &len);
                if (!line || !run_line(lm, ctx, line, len))
                        break;
        }
        fclose(file);
}

static gpointer interrupt_thread(gpointer data)
{
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        for (;;) {
                int sig = 0;
                if (sigwait(&set, &sig) != 0)
                        continue;
                g_mutex_lock(&interrupt_lock);
                if (interrupt_worker)
                        core_worker_cancel(interrupt_worker);
                g_mutex_unlock(&interrupt_lock);
        }
        return NULL;
}

/* On a terminal, Ctrl-C cancels the running command instead of killing clamftp. Must run before
 * any thread starts, so that every thread inherits the blocked SIGINT. */
static void interrupt_setup(gboolean interactive)
{
        if (!interactive || interrupt_started)
                return;
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
                return;
        interrupt_started = TRUE;
        g_thread_unref(g_thread_new("clamftp-interrupt", interrupt_thread, NULL));
}

static void interrupt_target(CoreWorker *worker)
{
        g_mutex_lock(&interrupt_lock);
        interrupt_worker = worker;
        g_mutex_unlock(&interrupt_lock);
}

/* What an earlier run left unfinished: resumed or dropped when the options say so; else asked
 * about on a terminal (y resume, n discard, l later); a script is only told. */
static void offer_resume(CoreContext *ctx, const CoreOptions *opts, gboolean interactive)
{
        g_auto(CoreResumeSummary) summary = { 0 };
        if (!core_resume_pending(ctx, &summary))
                return;
        g_autoptr(GError) error = NULL;
        if (opts->discard_queue) {
                core_resume_discard(ctx);
                return;
        }
        if (opts->resume_queue) {
                if (!core_resume_run(ctx, NULL, &error) && error)
                        core_fail(ctx, error);
                return;
        }
        if (core_resume_only_failed(&summary))
                return;
        g_autofree char *text = core_resume_describe(&summary);
        if (!interactive) {
                core_say(ctx, CORE_MSG_WARNING,
                         _("%s They are kept: `clamftp --resume-queue` or the command `queue resume` resumes them, "
                           "`--discard-queue` or `queue discard` drops them."), text);
                return;
        }
        core_resume_show(ctx);
        const CoreChoice choices[] = { { 'y', _("resume") }, { 'n', _("discard") }, { 'l', _("later") } };
        int answer = ctx->fe.choose(_("Resume them?"), choices, G_N_ELEMENTS(choices), ctx->fe.choose_data);
        if (answer == 0 && !core_resume_run(ctx, NULL, &error) && error)
                core_fail(ctx, error);
        else if (answer == 1)
                core_resume_discard(ctx);
        else if (answer != 0)
                core_say(ctx, CORE_MSG_INFO, "%s", _("Kept for later: `queue resume` resumes them."));
}

int core_linemode_main(const CoreOptions *opts)
{
        g_autoptr(CoreLineMode) lm = core_linemode_new(stdin, stdout, stderr);
        lm->stop_on_failure = !lm->in_tty || opts->commands || opts->batch_file;
        interrupt_setup(lm->in_tty && !opts->commands && !opts->batch_file);
        g_autoptr(CoreContext) ctx = core_context_new(core_linemode_frontend(lm));
        interrupt_target(ctx->worker);
        g_autoptr(GError) error = NULL;
        if (!core_options_apply(opts, ctx, &error)) {
                core_fail(ctx, error);
                interrupt_target(NULL);
                return CORE_EXIT_FAILURE;
        }
        (void)core_resume_open_journal(ctx, NULL); /* none kept: said, and transfers still work */
        if (!core_options_open_url(opts, ctx, &error)) {
                core_fail(ctx, error);
                if (lm->stop_on_failure) { /* a script for a server it could not reach */
                        interrupt_target(NULL);
                        return core_exit_status(ctx);
                }
        }
        offer_resume(ctx, opts, lm->in_tty && !opts->commands && !opts->batch_file);
        if (opts->commands)
                core_linemode_run_text(lm, ctx, opts->commands);
        else if (opts->batch_file)
                core_linemode_run_file(lm, ctx, opts->batch_file);
        else
                core_linemode_run_input(lm, ctx);
        interrupt_target(NULL);
        return core_exit_status(ctx);
}
