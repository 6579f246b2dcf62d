/* ui/sitedialog.h — the site manager (Ctrl-\, mc's hotlist): the saved sites in a list, Enter
 * connects, a adds the current connection under a name typed here, e edits, d deletes (asked).
 * Owns: the dialog's list (read from core/sites.h's file), its cursor and scrolling, the name
 * field and the delete question, its layout in any size (80x24 and up), its keys.
 * Must not: call curses, write the sites file or touch the keyring (the caller runs `site …`
 * command lines on the command thread for that), or connect anything itself. */
#pragma once
#include <glib.h>
#include "ui/canvas.h"
#include "ui/cmdline.h"
#include "ui/keys.h"

typedef struct {
        GPtrArray *names;  /* char*: each site's name, as saved */
        GPtrArray *lines;  /* char*: each site as shown (escaped): name, URL, settings */
        GPtrArray *edits;  /* char*: each site as a `site edit` line, for e */
        char *problem;     /* the file does not parse: shown instead of the list */
        char *path;        /* the sites file, for the title */
        int cursor;
        int top;
        int rows;          /* list rows at the last draw (a page) */
        gboolean naming;   /* a: the name field is open */
        UiCmdline field;
        gboolean confirming; /* d: "Delete …? y/n" */
} UiSiteDialog;

/* Reads the sites file; `current` (a site's name, or NULL) gets the cursor. */
UiSiteDialog *ui_site_dialog_new(const char *current);
void ui_site_dialog_free(UiSiteDialog *dialog);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UiSiteDialog, ui_site_dialog_free)
/* Reads the file again, the cursor kept on the same name when it is still there. */
void ui_site_dialog_reload(UiSiteDialog *dialog);

typedef enum {
        UI_SITES_PENDING, /* the key moved, typed or asked: nothing to do yet */
        UI_SITES_CLOSE,   /* Esc, q, Ctrl-\ */
        UI_SITES_OPEN,    /* Enter: connect to the site under the cursor */
        UI_SITES_NAME,    /* a: the caller opens the name field (connected) or says why not */
        UI_SITES_ADD,     /* a name typed, Enter: save the current connection as it */
        UI_SITES_EDIT,    /* e: edit the site under the cursor */
        UI_SITES_DELETE,  /* d, then y: remove it */
} UiSitesAction;
UiSitesAction ui_site_dialog_key(UiSiteDialog *dialog, UiKey key);

/* The site under the cursor (NULL: the list is empty). */
const char *ui_site_dialog_current(const UiSiteDialog *dialog);
/* For UI_SITES_ADD: the name typed. */
const char *ui_site_dialog_new_name(const UiSiteDialog *dialog);
/* For UI_SITES_EDIT: "site edit 'NAME' URL --option…" with everything the site holds. */
const char *ui_site_dialog_edit_line(const UiSiteDialog *dialog);
/* Opens the name field (a), starting from `suggestion`. */
void ui_site_dialog_start_naming(UiSiteDialog *dialog, const char *suggestion);

/* Draws it centred; *cx, *cy: the terminal cursor in the name field (else left alone). */
void ui_site_dialog_draw(UiSiteDialog *dialog, UiCanvas *canvas, int *cx, int *cy);
