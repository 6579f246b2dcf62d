/* ui/commander.h — the command thread: runs core commands and the TUI's file operations one at a
 * time, so the UI thread never waits on the network or the scanner.
 * Owns: the job queue, running a job with the shared CoreContext, and the snapshot of state that
 * each finished job sends back (local directory, remote listing, connection, refusals).
 * Must not: call curses or touch the screen model; it talks to the UI thread only through the
 * bridge (ui/bridge.h). */
#pragma once
#include <glib.h>
#include "core/context.h"
#include "core/verdict.h"
#include "ui/bridge.h"

/* A scanner's verdict on a local file, for the local pane's marks. */
typedef struct {
        char *path;            /* local file, absolute */
        CoreVerdict *verdict;  /* NULL or OK: the file is clean (its mark goes) */
} UiRefusal;

struct UiApp;
/* What the UI thread does with a job's outcome after the panes took it (a fetched copy opened);
 * it owns `data` from then on. */
typedef void (*UiJobThen)(struct UiApp *app, gpointer data);

/* What the UI thread learns when a job ends. */
typedef struct {
        guint job_id;
        char *local_cwd;
        gboolean connected;
        char *host;
        guint16 port;
        char *user;
        char *security;             /* ctx->security: TLS summary or plain FTP, for the status bar */
        char *limits;               /* the speed limits in words (core_rate_summary), NULL: none */
        char *scanner;              /* ctx->scanner_address (a site may change it) */
        CoreVerdict *last_verdict;  /* a copy of ctx->last_verdict, or NULL */
        gboolean remote_listed;     /* remote_cwd/remote_entries hold a fresh listing */
        char *remote_cwd;
        GPtrArray *remote_entries;  /* CoreEntry* (core/entry.h) */
        GPtrArray *refusals;        /* UiRefusal*: files the scanner judged in this job */
        gboolean quit;              /* `quit` ran */
        char *focus_remote;         /* a name to put the remote cursor on, or NULL */
        gboolean partial;           /* not the end of a job: only a fresh remote listing while a
                                       batch runs (ui/transfers-refresh.c) */
        char *focus_local;
        gboolean sync_browse_off;   /* sync-browse could not follow in the other pane: it is off */
        UiJobThen then;             /* run by the UI thread last, or NULL */
        gpointer then_data;         /* then's; freed with then_free when then never ran */
        GDestroyNotify then_free;
} UiJobResult;
void ui_job_result_free(UiJobResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UiJobResult, ui_job_result_free)
/* Copies verdict (NULL: the file went clean). */
void ui_job_result_add_refusal(UiJobResult *result, const char *path, const CoreVerdict *verdict);

/* A TUI operation run on the command thread. Report problems through ctx (core_fail/core_say). */
typedef void (*UiJobFunc)(CoreContext *ctx, gpointer data, UiJobResult *result);

typedef struct UiCommander UiCommander;

UiCommander *ui_commander_new(CoreContext *ctx, UiBridge *bridge);
/* Stops after the running job (cancel it first with core_worker_cancel) and joins. */
void ui_commander_free(UiCommander *commander);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UiCommander, ui_commander_free)

/* Queues a core command (argv copied). Returns the job id. */
guint ui_commander_run_argv(UiCommander *commander, char **argv);
/* Queues a TUI operation; data is freed with free_data after it ran. relist: list the remote
 * directory afterwards. */
guint ui_commander_run_func(UiCommander *commander, UiJobFunc func, gpointer data,
                            GDestroyNotify free_data, gboolean relist);
/* Jobs queued or running. */
guint ui_commander_pending(UiCommander *commander);
/* Called by the UI thread when it took a job's JOB_DONE event. */
void ui_commander_job_taken(UiCommander *commander);
