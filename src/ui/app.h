/* ui/app.h — private to src/ui: the state of the running interface, shared by the event loop
 * (app.c, keys in modes.c), the actions (actions.c), the file operations sent to the command
 * thread (jobs.c, transfers.c) and the screen layout (screen.c, queueview.c).
 * Must not: be used by other threads; every field belongs to the UI thread. */
#pragma once
#include <glib.h>
#include <stdio.h>
#include "core/context.h"
#include "core/options.h"
#include "core/queue.h"
#include "core/scanner-watch.h"
#include "ui/bridge.h"
#include "ui/canvas.h"
#include "ui/certdialog.h"
#include "ui/cmdline.h"
#include "ui/commander.h"
#include "ui/keys.h"
#include "ui/listdialog.h"
#include "ui/pane.h"
#include "ui/viewer.h"
#include "ui/sitedialog.h"
#include "ui/typeahead.h"

typedef struct {
        CoreMsgKind kind;
        char *text;
} UiMessage;

typedef enum { UI_PANE_LOCAL = 0, UI_PANE_REMOTE = 1 } UiPaneSide;

/* What takes the keys. The panes, or the queue view while it is open (queue_view), lie under
 * the others, which cover part or all of the screen until they close. */
typedef enum {
        UI_MODE_PANES,        /* the key map (the queue view's keys while it is open) */
        UI_MODE_COMMAND_LINE, /* typing after : */
        UI_MODE_FILTER,       /* typing a quick filter after / */
        UI_MODE_HELP,         /* F1 covers the screen */
        UI_MODE_LOG,          /* the message log (Ctrl-X m) covers the screen */
        UI_MODE_VIEW,         /* F3's viewer (viewer) covers the screen */
        UI_MODE_SITES,        /* the site manager (Ctrl-\\) over the panes */
        UI_MODE_SEARCH,       /* Ctrl-S: typing a name to find in the active pane */
        UI_MODE_PROMPT,       /* the UI thread's own one-line dialog (prompt): +, -, chmod */
        UI_MODE_DIALOG,       /* a question of the command thread, over help or the log if open */
} UiMode;

struct UiApp;
/* What a UI prompt does with the line typed (Enter); data is the prompt's. */
typedef void (*UiPromptDone)(struct UiApp *app, const char *text, gpointer data);

/* A one-line dialog of the UI thread itself (the command thread's go through the bridge). */
typedef struct {
        char *label;          /* what is asked, wrapped over as many rows as it needs */
        char *hint;           /* the line under the field, or NULL */
        UiCmdline line;
        gboolean fresh;       /* the starting text is untouched: a typed character replaces it */
        UiPromptDone done;
        gpointer data;
        GDestroyNotify free_data;
} UiPrompt;

typedef struct UiApp {
        CoreContext *ctx;
        UiBridge *bridge;
        UiCommander *commander;
        UiPane *panes[2];
        UiPaneSide active;
        gboolean running;
        UiMode mode;
        UiMode under_dialog;       /* the mode a dialog returns to */

        CoreQueue *queue;          /* every transfer asked for, as jobs */
        gboolean queue_view;       /* the queue view is open */
        gboolean swapped;          /* the server's pane drawn on the left (swap-panes, Ctrl-U) */
        int queue_cursor;          /* its selected row */
        int queue_top;

        GPtrArray *messages;       /* UiMessage*, newest last, bounded */
        int log_top;               /* its first row; G_MAXINT: the end */
        GPtrArray *history;        /* command-line history, kept in history_path */
        char *history_path;
        UiCmdline cmdline;

        UiCmdline filter_line;
        char *filter_before;       /* the filter Esc goes back to */

        UiTypeahead typeahead;     /* letters typed in the panes (ui/find.c) */
        UiCmdline search_line;     /* UI_MODE_SEARCH: what Ctrl-S looks for */
        UiPrompt *prompt;          /* UI_MODE_PROMPT: the dialog open, else NULL */

        gboolean dialog_question;  /* UI_MODE_DIALOG: a question, choice or prompt of the command thread */
        gboolean dialog_quit;      /* …or the UI thread's own: quit with transfers not finished? */
        gboolean dialog_secret;
        char *dialog_label;
        UiCmdline dialog_field;
        UiChoice *dialog_choices;  /* a choice's answers (copies), or NULL */
        guint dialog_n_choices;
        UiCertDialog *cert_dialog; /* a certificate to trust or refuse (or a warning), or NULL */
        UiListDialog *list_dialog; /* a plan to carry out or not (`:mirror`), or NULL */
        UiSiteDialog *site_dialog; /* the site manager while it is open (UI_MODE_SITES, or under a
                                      dialog of the command thread), else NULL */

        char *compare_dirs[2];     /* `:compare` is on for these directories (NULL: off) */
        gboolean sync_browse;      /* `:sync-browse`: entering a directory enters it in both panes */

        UiViewer *viewer;           /* UI_MODE_VIEW: the file shown (ui/viewer.h), else NULL */

        int help_top;
        gboolean esc_pending;      /* Esc was pressed in the panes: a digit makes an F-key */
        gboolean ctrl_x_pending;   /* Ctrl-X was pressed in the panes: the next key completes it */

        /* what the last finished job reported */
        gboolean connected;
        char *host;
        guint16 port;
        char *user;
        char *security;            /* the core's security summary (TLS or plain FTP), or NULL */
        char *limits;              /* the speed limits in words (the queue's title), or NULL */
        CoreVerdict *last_verdict; /* the scanner's last answer, or NULL */
        char *scanner;             /* the scanner's address (the command thread's copy) */
        CoreScannerWatch *scanner_watch; /* its PING every 30 s, on a thread of its own */
        int scanner_up;            /* the last PING: 1 answered, 0 not, -1 not asked yet */
        char *scanner_members;     /* a pool: how many members answer ("2/3 up"); NULL: one scanner */

        int width;
        int height;
        UiCanvas *canvas;
        gboolean headless;
        gboolean keeps_journal;    /* the queue's journal is kept: unfinished jobs outlive a quit */
        gboolean color;
        FILE *key_log;             /* CLAMFTP_KEY_LOG: microseconds from reading keys to the screen shown */
} UiApp;

/* app.c */
void ui_app_say(UiApp *app, CoreMsgKind kind, const char *format, ...) G_GNUC_PRINTF(3, 4);
/* Runs one typed command line (`;`-separated): TUI actions on the UI thread, the rest on the
 * command thread. */
void ui_app_run_line(UiApp *app, const char *line);
void ui_app_reload_local(UiApp *app);
UiPane *ui_app_active_pane(UiApp *app);
UiPane *ui_app_other_pane(UiApp *app);
/* Writes the current screen as text (the headless tests' screen dumps). */
gboolean ui_app_dump_screen(UiApp *app, const char *path, GError **error);

/* screen.c: the whole screen into app->canvas; returns the terminal cursor position (-1: hide). */
void ui_screen_draw(UiApp *app, int *cursor_x, int *cursor_y);
/* Rows of the two panes (each: a header, then entries), from the top of the screen. */
int ui_screen_pane_height(const UiApp *app);
/* The help text (keys and commands), one line per element. transfer full */
GPtrArray *ui_screen_help_lines(void);

/* modes.c: what a key does in each mode (dialog, help, log, queue view, command line, quick
 * filter, panes). */
void ui_app_handle_key(UiApp *app, UiKey key);
void ui_app_open_dialog(UiApp *app);
/* mouse.c: a click, double click, right click or wheel where the terminal reported it. */
void ui_app_handle_mouse(UiApp *app, const UiMouse *mouse);
void ui_app_close_dialog(UiApp *app);
/* `quit` with transfers running or waiting: asks first (default no); `y` quits. */
void ui_app_ask_quit(UiApp *app, guint running, guint waiting);

/* sites.c: the site manager (`:sites`, Ctrl-\\): opened over the panes, its keys, and the list
 * read again after a `site` command it ran has finished. */
void ui_sites_open(UiApp *app);
void ui_sites_key(UiApp *app, UiKey key);
void ui_sites_follow(UiApp *app);

/* find.c: type-ahead in the panes (a printable key with no binding starts it; while it goes
 * on, another printable key adds to it, except Space, : and /, and a bound key (s, +, .) that
 * would make letters no name starts with: that one does what it is bound to; a letter no name
 * starts with is refused; a pause of a second or any other key ends it), Ctrl-S's search (UI_MODE_SEARCH), and `+`/`-` (select or unselect by a glob). */
gboolean ui_find_typeahead_key(UiApp *app, UiKey key); /* TRUE: the key was taken */
/* What was typed, while it still counts, or NULL. */
const char *ui_find_typeahead_text(UiApp *app);
/* Milliseconds until the typed prefix goes stale (-1: none shown), for the terminal's wait. */
int ui_find_typeahead_timeout(UiApp *app);
gboolean ui_find_search(UiApp *app, int argc, char **argv, GError **error);
void ui_find_search_key(UiApp *app, UiKey key);
gboolean ui_find_select_pattern(UiApp *app, int argc, char **argv, gboolean select, GError **error);
/* "3 selected, 12.4 MB" for the active pane, or NULL when nothing is selected. transfer full */
char *ui_find_selection_text(UiApp *app);

/* prompt.c: the UI thread's one-line dialog: opened over the panes with a label, a hint and a
 * starting text; Enter hands the text to done, Esc closes it. */
void ui_prompt_open(UiApp *app, const char *label, const char *hint, const char *initial,
                    UiPromptDone done, gpointer data, GDestroyNotify free_data);
void ui_prompt_key(UiApp *app, UiKey key);
void ui_prompt_close(UiApp *app);
void ui_prompt_draw(UiApp *app, int *cursor_x, int *cursor_y);

/* chmod.c: `:chmod` (Ctrl-X c) shows the mode of the selection or the entry under the cursor
 * and asks for the new one; `:chmod MODE` sets it at once. Run on the command thread. */
gboolean ui_chmod_command(UiApp *app, int argc, char **argv, GError **error);

/* compare.c: `:compare [on|off]`; the marks follow the panes (after every change of a pane's
 * listing: gone when a directory changed, else marked again). */
gboolean ui_compare_command(UiApp *app, int argc, char **argv, GError **error);
gboolean ui_compare_on(UiApp *app);
void ui_compare_off(UiApp *app);
void ui_compare_follow(UiApp *app);

/* mirror.c: `:mirror [-R] [OPTIONS] [DIRS]` from the two panes' directories: planned on the
 * command thread, the plan shown in a dialog, then carried out as jobs of the queue. */
gboolean ui_mirror_start(UiApp *app, int argc, char **argv, GError **error);

/* resume.c: at start, the transfers an earlier run left: the dialog (or the options' answer),
 * on the command thread after whatever was queued before. */
void ui_resume_offer(UiApp *app, const CoreOptions *opts);

/* transfers.c: F5 and move, and the typed put/get/mput/mget, as queue jobs. */
gboolean ui_transfers_copy(UiApp *app, gboolean move, GError **error);
gboolean ui_transfers_typed(UiApp *app, int argc, char **argv, GError **error);

/* fileview.c: F3 views the file under the cursor (the internal viewer, or $PAGER), F4 edits it
 * in $EDITOR; a remote one through a private copy fetched first (and, edited, offered back). */
gboolean ui_fileview_view(UiApp *app, GError **error);
gboolean ui_fileview_edit(UiApp *app, GError **error);
/* Closes the viewer: the panes again. */
void ui_fileview_close(UiApp *app);

/* jobs.c: file operations on the active pane, run on the command thread. */
gboolean ui_jobs_scan(UiApp *app, GError **error);
gboolean ui_jobs_mkdir(UiApp *app, GError **error);
gboolean ui_jobs_delete(UiApp *app, GError **error);
gboolean ui_jobs_rename(UiApp *app, GError **error);
/* Enters a directory of the active pane (".." goes up); with sync-browse on, the other pane too. */
gboolean ui_jobs_enter(UiApp *app, const char *name, GError **error);
/* `:sync-browse [on|off]`. */
gboolean ui_jobs_sync_browse(UiApp *app, int argc, char **argv, GError **error);
void ui_jobs_refresh(UiApp *app);
