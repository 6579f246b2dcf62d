/* ui/app.h — private to src/ui: the state of the running interface, shared by the event loop
 * (app.c), the actions (actions.c), the file operations sent to the command thread (jobs.c)
 * and the screen layout (screen.c).
 * Must not: be used by other threads; every field belongs to the UI thread. */
#pragma once
#include <glib.h>
#include "core/context.h"
#include "ui/bridge.h"
#include "ui/canvas.h"
#include "ui/cmdline.h"
#include "ui/commander.h"
#include "ui/keys.h"
#include "ui/pane.h"

typedef struct {
        CoreMsgKind kind;
        char *text;
} UiMessage;

typedef enum { UI_PANE_LOCAL = 0, UI_PANE_REMOTE = 1 } UiPaneSide;

typedef struct UiApp {
        CoreContext *ctx;
        UiBridge *bridge;
        UiCommander *commander;
        UiPane *panes[2];
        UiPaneSide active;
        gboolean running;

        GPtrArray *messages;       /* UiMessage*, newest last, bounded */
        GPtrArray *history;        /* command-line history */
        UiCmdline cmdline;
        gboolean cmdline_active;

        gboolean dialog_active;    /* answering a question or prompt of the command thread */
        gboolean dialog_question;
        gboolean dialog_secret;
        char *dialog_label;
        UiCmdline dialog_field;

        gboolean help_active;
        int help_top;
        gboolean esc_pending;      /* Esc was pressed in the panes: a digit makes an F-key */

        /* what the last finished job reported */
        gboolean connected;
        char *host;
        guint16 port;
        char *user;
        char *last_verdict;

        int width;
        int height;
        UiCanvas *canvas;
        gboolean headless;
        gboolean color;
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
/* The help text (keys and commands), one line per element. transfer full */
GPtrArray *ui_screen_help_lines(void);

/* jobs.c: file operations on the active pane, run on the command thread. */
gboolean ui_jobs_copy(UiApp *app, GError **error);
gboolean ui_jobs_mkdir(UiApp *app, GError **error);
gboolean ui_jobs_delete(UiApp *app, GError **error);
gboolean ui_jobs_rename(UiApp *app, GError **error);
gboolean ui_jobs_enter(UiApp *app, const char *name, GError **error);
void ui_jobs_refresh(UiApp *app);
