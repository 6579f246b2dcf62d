/* ui/bridge.h — how the other threads reach the UI thread: the TUI's CoreFrontend.
 * Owns: the event queue and its wake-up eventfd; messages and progress posted from any thread;
 * questions and prompts that block the command thread until the UI thread answers.
 * Must not: call curses or touch the screen model (the UI thread does, when it takes events). */
#pragma once
#include <glib.h>
#include "core/context.h"

typedef enum {
        UI_EVENT_MESSAGE,   /* kind, text */
        UI_EVENT_PROGRESS,  /* the latest progress is in ui_bridge_progress() */
        UI_EVENT_REQUEST,   /* a question or prompt waits: answer with ui_bridge_answer() */
        UI_EVENT_JOB_DONE,  /* payload: a UiJobResult (ui/commander.h), freed by the taker */
} UiEventType;

typedef struct {
        UiEventType type;
        CoreMsgKind kind;
        char *text;
        gpointer payload;
} UiEvent;
void ui_event_free(UiEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UiEvent, ui_event_free)

/* What a blocked command thread asks. */
typedef struct {
        gboolean is_question;  /* yes/no/all/quit; else a line of text */
        char *label;
        gboolean secret;       /* for prompts: do not show what is typed */
} UiRequest;

typedef struct UiBridge UiBridge;

UiBridge *ui_bridge_new(void);
void ui_bridge_free(UiBridge *bridge);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UiBridge, ui_bridge_free)
/* The frontend to give core_context_new (its data is the bridge). */
const CoreFrontend *ui_bridge_frontend(UiBridge *bridge);
/* Readable when events wait; the UI thread polls it. */
int ui_bridge_fd(UiBridge *bridge);
/* Takes the next event without blocking (and clears the wake-up when none is left). */
UiEvent *ui_bridge_take(UiBridge *bridge); /* transfer full, NULL: none */
/* Posts an event from any thread. Takes ownership. */
void ui_bridge_post(UiBridge *bridge, UiEvent *event);
/* The latest progress; FALSE when none since the last job ended. transfer full of *name */
gboolean ui_bridge_progress(UiBridge *bridge, char **name, guint64 *done, gint64 *total);
void ui_bridge_progress_clear(UiBridge *bridge);
/* The pending request (valid until answered), or NULL. */
const UiRequest *ui_bridge_request(UiBridge *bridge);
/* Answers the pending request: text (NULL = cancelled) for prompts, answer for questions. */
void ui_bridge_answer(UiBridge *bridge, const char *text, CoreAnswer answer);
/* From now on every request is answered "cancelled" at once (quitting). */
void ui_bridge_shutdown(UiBridge *bridge);
