/* ui/listdialog.h — a question with a list under it, answered yes or no: `:mirror`'s plan (the
 * counts and bytes in the question, what --delete removes by name in the list, scrolled when it
 * is longer than the screen).
 * Owns: the dialog's text, its layout in any size (80x24 and up), scrolling, its keys.
 * Must not: call curses or decide anything (the answer goes back to the command thread). */
#pragma once
#include <glib.h>
#include "ui/canvas.h"
#include "ui/keys.h"

typedef struct {
        char *text;       /* the question */
        char *heading;    /* over the list, or NULL */
        GPtrArray *lines; /* char*: the list, escaped already */
        int top;          /* the first line shown */
        int rows;         /* lines shown at the last draw (a page) */
        char *hints;      /* the keys' words under it, NULL: go ahead or cancel */
        gboolean offer;   /* three answers: yes, no, and Esc for later (ui_list_dialog_set_offer) */
} UiListDialog;

/* Copies everything it is given. */
UiListDialog *ui_list_dialog_new(const char *text, const char *heading, const GPtrArray *lines);
void ui_list_dialog_free(UiListDialog *dialog);
/* An offer rather than a plan: n answers no, Esc (q, Ctrl-C) answers later; `hints` says so. */
void ui_list_dialog_set_offer(UiListDialog *dialog, const char *hints);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UiListDialog, ui_list_dialog_free)

typedef enum {
        UI_LIST_PENDING,  /* the key does not answer (it may have scrolled the list) */
        UI_LIST_YES,      /* Enter, y */
        UI_LIST_NO,       /* Esc, n, q, Ctrl-C (an offer: n only) */
        UI_LIST_LATER,    /* an offer: Esc, q, Ctrl-C */
} UiListAnswer;
UiListAnswer ui_list_dialog_key(UiListDialog *dialog, UiKey key);

/* Draws the dialog centred on the canvas, the list from `top` (clamped to a full last page). */
void ui_list_dialog_draw(UiListDialog *dialog, UiCanvas *canvas);
