/* ui/columns.c — the layout of a pane's rows. Must not: call curses or read directories. */
#include "ui/columns.h"
#include "ui/canvas.h"
#include <time.h>

#define SIZE_WIDTH 7
#define PERMS_WIDTH 10

UiColumns ui_columns_layout(int width, gboolean want_perms)
{
        UiColumns cols = { .mark = 1 };
        int rest = width - cols.mark;
        if (rest >= 20 + SIZE_WIDTH + 1) {
                cols.size = SIZE_WIDTH;
                rest -= SIZE_WIDTH + 1;
        }
        if (rest >= 60 || (want_perms && rest >= UI_COLUMNS_MIN_NAME + PERMS_WIDTH + 1)) {
                cols.perms = PERMS_WIDTH;
                rest -= PERMS_WIDTH + 1;
        }
        if (rest >= 16 + 17 + 14) {
                cols.date = 16;
                rest -= 17;
        } else if (rest >= 10 + 11 + 8) {
                cols.date = 10;
                rest -= 11;
        }
        cols.name = MAX(rest, UI_COLUMNS_MIN_NAME);
        return cols;
}

int ui_columns_width(const UiColumns *cols)
{
        int width = cols->mark + cols->name;
        if (cols->size)
                width += cols->size + 1;
        if (cols->date)
                width += cols->date + 1;
        if (cols->perms)
                width += cols->perms + 1;
        return width;
}

char *ui_columns_size(gint64 size)
{
        if (size < 0)
                return g_strdup("");
        if (size < 1000000)
                return g_strdup_printf("%" G_GINT64_FORMAT, size);
        static const char units[] = "KMGTPE";
        double value = (double)size / 1024.0;
        int unit = 0;
        while (value >= 1000.0 && units[unit + 1] != '\0') {
                value /= 1024.0;
                unit++;
        }
        return g_strdup_printf("%.1f%c", value, units[unit]);
}

static char *format_date(gint64 mtime, int width)
{
        if (mtime < 0 || width == 0)
                return g_strdup("");
        time_t t = (time_t)mtime;
        struct tm tm;
        if (!localtime_r(&t, &tm))
                return g_strdup("");
        char text[32];
        strftime(text, sizeof text, width >= 16 ? "%Y-%m-%d %H:%M" : "%Y-%m-%d", &tm);
        return g_strdup(text);
}

/* text padded with blanks (or right-aligned) to exactly width columns, shortened if needed. */
static void append_cell(GString *out, const char *text, int width, gboolean right)
{
        g_autofree char *fitted = ui_text_fit(text, width);
        int pad = width - ui_text_width(fitted);
        if (right)
                g_string_append_printf(out, "%*s", pad, "");
        g_string_append(out, fitted);
        if (!right)
                g_string_append_printf(out, "%*s", pad, "");
}

/* The selection wins the mark: what F8 or F5 would act on is always visible (a refused file
 * that is selected keeps its colour, and the status line names its refusal); a refusal comes
 * before a difference :compare found. */
static const char *row_mark(const UiRow *row, char *buf)
{
        if (row->selected)
                return "*";
        if (row->infected)
                return "!";
        if (row->unscanned)
                return "?";
        buf[0] = row->compare ? row->compare : ' ';
        buf[1] = '\0';
        return buf;
}

char *ui_columns_format(const UiColumns *cols, const UiRow *row)
{
        GString *out = g_string_new(NULL);
        char mark[2];
        append_cell(out, row_mark(row, mark), cols->mark, FALSE);
        g_autofree char *name = row->is_dir && !row->is_parent ? g_strconcat(row->name, "/", NULL)
                                                               : g_strdup(row->name);
        g_autofree char *fitted = ui_text_fit_middle(name, cols->name);
        append_cell(out, fitted, cols->name, FALSE);
        if (cols->size) {
                g_autofree char *size = row->is_parent ? g_strdup("UP-DIR")
                                        : row->is_dir  ? g_strdup("DIR")
                                                       : ui_columns_size(row->size);
                g_string_append_c(out, ' ');
                append_cell(out, size, cols->size, TRUE);
        }
        if (cols->date) {
                g_autofree char *date = format_date(row->is_parent ? -1 : row->mtime, cols->date);
                g_string_append_c(out, ' ');
                append_cell(out, date, cols->date, FALSE);
        }
        if (cols->perms) {
                g_string_append_c(out, ' ');
                append_cell(out, row->perms ? row->perms : "", cols->perms, FALSE);
        }
        return g_string_free(out, FALSE);
}
