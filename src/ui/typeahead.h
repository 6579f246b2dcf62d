/* ui/typeahead.h — finding a name as it is typed: the panes' type-ahead (letters jump to the
 * first name that starts with them, as FileZilla and vifm do) and Ctrl-S's incremental search
 * (mc's quick search: the next name that contains the text). The typed text and its pause.
 * Owns: the matching rules (case-insensitive, UTF-8) and when a typed prefix has gone stale.
 * Must not: call curses or know about panes (ui/pane.c hands it names). */
#pragma once
#include <glib.h>

/* A typed prefix goes stale after this pause: the next letter starts a new one. */
#define UI_TYPEAHEAD_PAUSE_US (1000 * 1000)

typedef enum {
        UI_FIND_PREFIX,   /* the name starts with the text */
        UI_FIND_ANYWHERE, /* the name contains it */
} UiFindHow;

/* TRUE when `name` matches `text` (case-insensitive; an empty text matches every name). */
gboolean ui_typeahead_matches(const char *name, const char *text, UiFindHow how);
/* The index of the first of names[from], names[from + 1] … (wrapping round to names[0] …
 * names[from - 1]) that matches, or -1. A NULL name never matches (".."). */
int ui_typeahead_find(const char *const *names, guint n, const char *text, guint from, UiFindHow how);

/* What has been typed in the panes, and when. */
typedef struct {
        GString *text;
        gint64 last_us;   /* g_get_monotonic_time() of the last character taken */
} UiTypeahead;

void ui_typeahead_init(UiTypeahead *ta);
void ui_typeahead_clear(UiTypeahead *ta);
void ui_typeahead_reset(UiTypeahead *ta);
/* TRUE while something typed is less than UI_TYPEAHEAD_PAUSE_US old at `now_us`. */
gboolean ui_typeahead_active(const UiTypeahead *ta, gint64 now_us);
