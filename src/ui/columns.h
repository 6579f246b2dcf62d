/* ui/columns.h — how a pane's row is laid out: which columns fit in a width, and one entry's
 * row as text of exactly that width.
 * Owns: column widths, the size and date formats, the mark column. Must not: call curses or
 * read directories. */
#pragma once
#include <glib.h>

typedef struct {
        int mark;   /* 1: '*' selected (first), '!' infected, '?' refused unscanned, then
                       :compare's N O + S */
        int name;   /* the rest, at least UI_COLUMNS_MIN_NAME */
        int size;   /* 0: hidden */
        int date;   /* 0, 10 (date) or 16 (date and time) */
        int perms;  /* 0 or 10 */
} UiColumns;

#define UI_COLUMNS_MIN_NAME 8

/* The columns for a pane `width` columns wide (one blank separates shown columns); with
 * want_perms, the permissions come before the date whenever the name keeps its minimum. */
UiColumns ui_columns_layout(int width, gboolean want_perms);

typedef struct {
        const char *name;   /* UTF-8 (already escaped for display) */
        gboolean is_dir;
        gboolean is_parent; /* ".." */
        gint64 size;        /* -1 unknown */
        gint64 mtime;       /* unix time, -1 unknown */
        const char *perms;  /* NULL unknown */
        gboolean selected;
        gboolean infected;    /* refused: a signature matched ('!') */
        gboolean unscanned;   /* refused without a match: a limit, encryption, no scanner ('?') */
        char compare;         /* `:compare`'s letter (N, O, +, S), or ' ' / 0: none */
} UiRow;

/* One row, exactly the layout's total width in columns. transfer full */
char *ui_columns_format(const UiColumns *cols, const UiRow *row);
/* Total width of a layout. */
int ui_columns_width(const UiColumns *cols);
/* "12345", "123.4K", "12.0M" in at most 7 columns. transfer full */
char *ui_columns_size(gint64 size);
