/* ui/bridge.h — how the other threads reach the UI thread: the TUI's CoreFrontend.
 * Owns: the event queue and its wake-up eventfd; messages, progress and queue changes posted
 * from any thread (progress at most every UI_BRIDGE_PROGRESS_MS); questions, choices and prompts
 * that block the command thread until the UI thread answers.
 * Must not: call curses or touch the screen model (the UI thread does, when it takes events). */
#pragma once
#include <glib.h>
#include "core/context.h"
#include "ui/keys.h"

typedef enum {
        UI_EVENT_MESSAGE,   /* kind, text */
        UI_EVENT_PROGRESS,  /* the latest progress is in ui_bridge_progress() */
        UI_EVENT_REQUEST,   /* a question or prompt waits: answer with ui_bridge_answer() */
        UI_EVENT_JOB_DONE,  /* payload: a UiJobResult (ui/commander.h) */
        UI_EVENT_SCANNER,   /* the scanner answers (kind INFO) or not (kind ERROR, text: why); a
                               pool: text each member's state, payload (char *) "2/3 up" */
} UiEventType;

typedef struct {
        UiEventType type;
        CoreMsgKind kind;
        char *text;
        gpointer payload;
        GDestroyNotify free_payload; /* frees payload with the event (also one never taken) */
} UiEvent;
void ui_event_free(UiEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UiEvent, ui_event_free)

/* One answer of a choice: its key and what it does ("overwrite all"). */
typedef struct {
        UiKey key;
        const char *label;
} UiChoice;

/* What a blocked command thread asks. */
typedef struct {
        gboolean is_question;  /* yes/no/all/quit; else a line of text (or a choice) */
        char *label;
        gboolean secret;       /* for prompts: do not show what is typed */
        const char *initial;   /* for prompts: the text to start from, or NULL */
        const UiChoice *choices; /* a choice: one of these keys (Esc cancels) */
        guint n_choices;
        /* a certificate that does not verify (ui/certdialog.h): answer YES to trust it from now
         * on, ALL to trust it for this session only, NO to refuse; with cert_stored (it changed
         * since it was trusted) a warning, answered NO */
        const TlsPeerInfo *cert;
        const char *cert_server;
        const char *cert_stored;
        /* a plan to carry out or not (ui/listdialog.h): label says it, list (char*, escaped)
         * names what the heading says (what will be deleted); answered YES or NO */
        const GPtrArray *list;
        const char *list_heading;
        const char *list_hints;  /* an offer (ui_bridge_offer): its keys' words; Esc answers QUIT */
} UiRequest;

/* Redraws for bytes moved are limited to one per this many milliseconds. */
#define UI_BRIDGE_PROGRESS_MS 50

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
/* Answers a pending choice with the index chosen (-1: cancelled). */
void ui_bridge_answer_choice(UiBridge *bridge, int index);
/* From the command thread: asks and waits. Returns the index of the choice taken, -1 when
 * cancelled or quitting. */
int ui_bridge_choose(UiBridge *bridge, const char *label, const UiChoice *choices, guint n_choices);
/* From the command thread: asks whether to carry out a plan, with a list under the question
 * (`heading`, then `lines`: char*, already escaped; either may be NULL). TRUE: go ahead. */
gboolean ui_bridge_confirm(UiBridge *bridge, const char *label, const char *heading, const GPtrArray *lines);
/* The same as an offer with three answers: YES (Enter, y), NO (n) and QUIT for later (Esc; also
 * when quitting). `hints` says which key does what. */
CoreAnswer ui_bridge_offer(UiBridge *bridge, const char *label, const char *heading, const GPtrArray *lines,
                           const char *hints);
/* From the command thread: a prompt that starts from `initial`. NULL: cancelled. transfer full */
char *ui_bridge_prompt(UiBridge *bridge, const char *label, const char *initial);
/* A CoreQueueNotify (data: the bridge): wakes the UI thread to redraw the queue. */
void ui_bridge_queue_changed(gboolean progress_only, gpointer bridge);
/* A CoreScannerWatchNotify (data: the bridge): posts UI_EVENT_SCANNER. */
void ui_bridge_scanner_state(gboolean reachable, const char *why, const char *members, gpointer bridge);
/* From now on every request is answered "cancelled" at once (quitting). */
void ui_bridge_shutdown(UiBridge *bridge);
