/* ui/pane.h — one file pane (local or remote): its directory, entries, cursor and selection.
 * Owns: sorting (".." first, then directories, then files, each by name, size or time), hiding
 * dot files, the quick filter, cursor movement, selection, marks of files the scanner refused,
 * drawing a pane into the canvas.
 * Must not: talk to the server (the command thread lists remote directories) or call curses. */
#pragma once
#include <glib.h>
#include "ui/canvas.h"
#include "core/verdict.h"

typedef struct {
        char *name;         /* exactly as the file system or server gave it */
        char *shown;        /* escaped for the terminal */
        gboolean is_dir;
        gboolean is_parent;
        gint64 size;
        gint64 mtime;
        gboolean mtime_exact; /* to the second (local, MLSD), else a listing's minute */
        char *perms;
        gboolean selected;
} UiEntry;

/* `:compare`'s mark of an entry, from its own pane's side (ui/compare.c). */
typedef enum {
        UI_COMPARE_NONE,
        UI_COMPARE_NEWER,   /* 'N': newer here than in the other pane */
        UI_COMPARE_OLDER,   /* 'O': newer in the other pane */
        UI_COMPARE_ONLY,    /* '+': only in this pane */
        UI_COMPARE_SIZE,    /* 'S': a different size (or a file against a directory) */
} UiCompareMark;
/* The mark's letter for the mark column (' ' for none). */
char ui_compare_mark_char(UiCompareMark mark);

typedef enum {
        UI_SORT_NAME,
        UI_SORT_SIZE,         /* largest first */
        UI_SORT_TIME,         /* newest first */
} UiSortKey;
/* "name", "size", "time" (command words, not translated). */
const char *ui_sort_key_name(UiSortKey key);
gboolean ui_sort_key_parse(const char *word, UiSortKey *key);

typedef struct {
        gboolean remote;
        char *path;           /* NULL: nothing to show (remote pane before `open`) */
        char *placeholder;    /* what the pane says when it has no path */
        GPtrArray *all;       /* UiEntry*: everything the directory holds (owns them) */
        GPtrArray *entries;   /* UiEntry*: those shown, in order (borrowed from all) */
        UiSortKey sort;
        gboolean reverse;     /* the sort order turned round (directories still first) */
        gboolean show_perms;  /* the permissions column is shown in any width (`:columns perms`) */
        gboolean hide_dotfiles;
        char *filter;         /* shown names contain this (or match it, with * ? [), or NULL */
        int cursor;
        int top;
        int rows;             /* rows visible at the last draw (for paging) */
        GHashTable *refused;  /* full path → CoreVerdict* (not OK), for local files */
        GHashTable *compare;  /* name → UiCompareMark while `:compare` is on (ui/compare.c) */
} UiPane;

UiPane *ui_pane_new(gboolean remote);
void ui_pane_free(UiPane *pane);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UiPane, ui_pane_free)

/* Reads a local directory (lstat, no symlink followed). Keeps the cursor on the same name when
 * the path did not change. */
gboolean ui_pane_load_local(UiPane *pane, const char *dir, GError **error);
/* Shows a remote listing (CoreEntry*, not taken; core/browse.h lists it) of `cwd`. */
void ui_pane_set_remote(UiPane *pane, const char *cwd, GPtrArray *remote_entries);
/* Empties the pane, showing `text` instead. */
void ui_pane_set_placeholder(UiPane *pane, const char *text);

/* Sorting, dot files and the quick filter; each keeps the cursor on the same name if shown. */
void ui_pane_set_sort(UiPane *pane, UiSortKey key);
void ui_pane_set_reverse(UiPane *pane, gboolean reverse);
void ui_pane_set_hide_dotfiles(UiPane *pane, gboolean hide);
void ui_pane_set_filter(UiPane *pane, const char *filter); /* NULL or "": none */
/* TRUE when `name` passes the filter (case-insensitive substring, or a glob with * ? [). */
gboolean ui_pane_filter_matches(const char *filter, const char *name);

UiEntry *ui_pane_current(UiPane *pane); /* NULL when empty */
UiEntry *ui_pane_entry(UiPane *pane, const char *name); /* by name, shown or not */
void ui_pane_move(UiPane *pane, int delta);
void ui_pane_move_to(UiPane *pane, int index);
gboolean ui_pane_focus_name(UiPane *pane, const char *name);
/* Insert/Space: toggles the entry under the cursor (never ".."), then moves down. */
void ui_pane_toggle_select(UiPane *pane);
void ui_pane_invert_selection(UiPane *pane);
void ui_pane_clear_selection(UiPane *pane);
/* `+` and `-`: selects (or unselects) every shown entry whose name matches the glob (never
 * ".."); returns how many changed. */
guint ui_pane_select_glob(UiPane *pane, const char *glob, gboolean select);
/* How many shown entries are selected, and the bytes of the files among them. */
guint ui_pane_selection_totals(UiPane *pane, guint64 *bytes);
/* The index of the first shown entry from `from` on (wrapping round) whose name starts with
 * `text` (anywhere: contains it), case-insensitive; never ".."; -1 when none does. */
int ui_pane_find(UiPane *pane, const char *text, int from, gboolean anywhere);
/* The names to act on: the shown selection, else the entry under the cursor (never ".."). */
GPtrArray *ui_pane_targets(UiPane *pane); /* char*, transfer full */
/* The full path of a name in this pane's directory. transfer full */
char *ui_pane_path_of(UiPane *pane, const char *name);

/* Marks a local file the scanner refused (a copy of verdict); NULL or an OK verdict clears it. */
void ui_pane_mark_refused(UiPane *pane, const char *full_path, const CoreVerdict *verdict);
/* `:compare`'s marks: one entry's (UI_COMPARE_NONE clears it), all of them cleared, and an
 * entry's mark. */
void ui_pane_mark_compare(UiPane *pane, const char *name, UiCompareMark mark);
void ui_pane_clear_compare(UiPane *pane);
UiCompareMark ui_pane_compare_mark(UiPane *pane, const UiEntry *entry);
/* The verdict that refused an entry of this pane, or NULL. */
const CoreVerdict *ui_pane_refusal(UiPane *pane, const UiEntry *entry);

void ui_pane_draw(UiPane *pane, UiCanvas *canvas, int x, int y, int width, int height,
                  gboolean active);
