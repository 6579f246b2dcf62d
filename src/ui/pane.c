/* ui/pane.c — one file pane: entries, cursor, selection, marks, drawing.
 * Must not: talk to the server or call curses. */
#include "ui/pane.h"
#include "ui/columns.h"
#include "ui/typeahead.h"
#include "ui/ui.h"
#include "common/i18n.h"
#include "core/entry.h"
#include "core/glob.h"
#include "core/safename.h"
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

static void entry_free(gpointer data)
{
        UiEntry *entry = data;
        g_free(entry->name);
        g_free(entry->shown);
        g_free(entry->perms);
        g_free(entry);
}

static UiEntry *entry_new(const char *name)
{
        UiEntry *entry = g_new0(UiEntry, 1);
        entry->name = g_strdup(name);
        entry->shown = core_name_escape(name);
        entry->size = -1;
        entry->mtime = -1;
        return entry;
}

UiPane *ui_pane_new(gboolean remote)
{
        UiPane *pane = g_new0(UiPane, 1);
        pane->remote = remote;
        pane->all = g_ptr_array_new_with_free_func(entry_free);
        pane->entries = g_ptr_array_new();
        pane->refused = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify)core_verdict_free);
        pane->compare = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        pane->rows = 1;
        return pane;
}

void ui_pane_free(UiPane *pane)
{
        if (!pane)
                return;
        g_ptr_array_unref(pane->entries);
        g_ptr_array_unref(pane->all);
        g_hash_table_unref(pane->refused);
        g_hash_table_unref(pane->compare);
        g_free(pane->path);
        g_free(pane->placeholder);
        g_free(pane->filter);
        g_free(pane);
}

const char *ui_sort_key_name(UiSortKey key)
{
        static const char *const names[] = { "name", "size", "time" };
        return key <= UI_SORT_TIME ? names[key] : "name";
}

gboolean ui_sort_key_parse(const char *word, UiSortKey *key)
{
        for (UiSortKey k = UI_SORT_NAME; k <= UI_SORT_TIME; k++) {
                if (g_strcmp0(word, ui_sort_key_name(k)) == 0) {
                        *key = k;
                        return TRUE;
                }
        }
        return FALSE;
}

static int compare_numbers(gint64 a, gint64 b)
{
        return a < b ? 1 : a > b ? -1 : 0; /* larger (newer) first */
}

static int compare_entries(gconstpointer a, gconstpointer b, gpointer data)
{
        const UiEntry *x = *(UiEntry *const *)a;
        const UiEntry *y = *(UiEntry *const *)b;
        const UiPane *pane = data;
        UiSortKey key = pane->sort;
        if (x->is_parent != y->is_parent)
                return x->is_parent ? -1 : 1;
        if (x->is_dir != y->is_dir)
                return x->is_dir ? -1 : 1; /* reversed too: mc keeps directories first */
        int order = key == UI_SORT_SIZE ? compare_numbers(x->size, y->size)
                  : key == UI_SORT_TIME ? compare_numbers(x->mtime, y->mtime) : 0;
        order = order ? order : strcmp(x->name, y->name);
        return pane->reverse ? -order : order;
}

gboolean ui_pane_filter_matches(const char *filter, const char *name)
{
        if (!filter || !*filter)
                return TRUE;
        if (core_glob_has_magic(filter))
                return core_glob_match(filter, name);
        g_autofree char *want = g_utf8_casefold(filter, -1);
        g_autofree char *have = g_utf8_casefold(name, -1);
        return strstr(have, want) != NULL;
}

static gboolean shown(const UiPane *pane, const UiEntry *entry)
{
        if (entry->is_parent)
                return TRUE;
        if (pane->hide_dotfiles && entry->name[0] == '.')
                return FALSE;
        return ui_pane_filter_matches(pane->filter, entry->name);
}

/* Rebuilds the shown entries from all of them; the cursor stays on `keep` when it is shown. */
static void refilter(UiPane *pane, const char *keep)
{
        g_ptr_array_sort_with_data(pane->all, compare_entries, pane);
        g_ptr_array_set_size(pane->entries, 0);
        for (guint i = 0; i < pane->all->len; i++) {
                UiEntry *entry = g_ptr_array_index(pane->all, i);
                if (shown(pane, entry))
                        g_ptr_array_add(pane->entries, entry);
        }
        gboolean keep_parent = keep && strcmp(keep, "..") == 0;
        if (keep && !(pane->filter && keep_parent) && ui_pane_focus_name(pane, keep))
                return;
        ui_pane_move(pane, 0);
        UiEntry *first = ui_pane_current(pane);
        if (pane->filter && first && first->is_parent)
                ui_pane_move_to(pane, 1); /* the first name that matches, not ".." */
        else if (keep_parent)
                ui_pane_focus_name(pane, keep);
}

static void refilter_here(UiPane *pane)
{
        UiEntry *current = ui_pane_current(pane);
        g_autofree char *keep = current ? g_strdup(current->name) : NULL;
        refilter(pane, keep);
}

void ui_pane_set_sort(UiPane *pane, UiSortKey key)
{
        pane->sort = key;
        refilter_here(pane);
}

void ui_pane_set_reverse(UiPane *pane, gboolean reverse)
{
        pane->reverse = reverse;
        refilter_here(pane);
}

void ui_pane_set_hide_dotfiles(UiPane *pane, gboolean hide)
{
        pane->hide_dotfiles = hide;
        refilter_here(pane);
}

void ui_pane_set_filter(UiPane *pane, const char *filter)
{
        g_free(pane->filter);
        pane->filter = filter && *filter ? g_strdup(filter) : NULL;
        refilter_here(pane);
}

/* Replaces the entries, keeping the cursor on the same name when the directory is the same. */
static void replace_entries(UiPane *pane, const char *path, GPtrArray *entries)
{
        gboolean same_dir = pane->path && path && strcmp(pane->path, path) == 0;
        UiEntry *current = ui_pane_current(pane);
        g_autofree char *keep = same_dir && current ? g_strdup(current->name) : NULL;
        g_autoptr(GHashTable) selected = g_hash_table_new(g_str_hash, g_str_equal);
        for (guint i = 0; same_dir && i < pane->all->len; i++) {
                UiEntry *old = g_ptr_array_index(pane->all, i);
                if (old->selected)
                        g_hash_table_add(selected, old->name);
        }
        for (guint i = 0; i < entries->len; i++) {
                UiEntry *entry = g_ptr_array_index(entries, i);
                entry->selected = g_hash_table_contains(selected, entry->name);
        }
        g_hash_table_remove_all(selected); /* its keys belong to the old entries */
        g_ptr_array_set_size(pane->entries, 0);
        g_ptr_array_unref(pane->all);
        pane->all = g_ptr_array_ref(entries);
        if (!same_dir) {
                g_free(pane->path);
                pane->path = g_strdup(path);
                pane->cursor = 0;
                pane->top = 0;
                g_clear_pointer(&pane->filter, g_free); /* a filter belongs to one directory */
                g_hash_table_remove_all(pane->compare); /* so do the marks of :compare */
        }
        refilter(pane, keep);
}

static UiEntry *parent_entry(void)
{
        UiEntry *entry = entry_new("..");
        entry->is_dir = TRUE;
        entry->is_parent = TRUE;
        return entry;
}

static char *perms_text(mode_t mode)
{
        char text[11];
        text[0] = S_ISDIR(mode) ? 'd' : S_ISLNK(mode) ? 'l' : '-';
        static const char rwx[] = "rwxrwxrwx";
        for (int i = 0; i < 9; i++)
                text[1 + i] = (mode & (1u << (8 - i))) ? rwx[i] : '-';
        text[10] = '\0';
        return g_strdup(text + 1);
}

gboolean ui_pane_load_local(UiPane *pane, const char *dir, GError **error)
{
        g_autoptr(GDir) handle = g_dir_open(dir, 0, error);
        if (!handle)
                return FALSE;
        g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func(entry_free);
        if (strcmp(dir, "/") != 0)
                g_ptr_array_add(entries, parent_entry());
        const char *name;
        while ((name = g_dir_read_name(handle)) != NULL) {
                g_autofree char *full = g_build_filename(dir, name, NULL);
                struct stat st;
                if (lstat(full, &st) != 0)
                        continue;
                UiEntry *entry = entry_new(name);
                entry->is_dir = S_ISDIR(st.st_mode);
                if (S_ISLNK(st.st_mode)) {
                        struct stat target;
                        entry->is_dir = stat(full, &target) == 0 && S_ISDIR(target.st_mode);
                }
                entry->size = st.st_size;
                entry->mtime = st.st_mtime;
                entry->mtime_exact = TRUE;
                entry->perms = perms_text(st.st_mode);
                g_ptr_array_add(entries, entry);
        }
        g_clear_pointer(&pane->placeholder, g_free);
        replace_entries(pane, dir, entries);
        return TRUE;
}

void ui_pane_set_remote(UiPane *pane, const char *cwd, GPtrArray *remote_entries)
{
        g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func(entry_free);
        if (!cwd || strcmp(cwd, "/") != 0)
                g_ptr_array_add(entries, parent_entry());
        for (guint i = 0; remote_entries && i < remote_entries->len; i++) {
                const CoreEntry *remote = g_ptr_array_index(remote_entries, i);
                UiEntry *entry = entry_new(remote->name);
                entry->is_dir = remote->type == CORE_ENTRY_DIR;
                entry->size = remote->size;
                entry->mtime = remote->mtime;
                entry->mtime_exact = remote->mtime_exact;
                entry->perms = g_strdup(remote->perms);
                g_ptr_array_add(entries, entry);
        }
        g_clear_pointer(&pane->placeholder, g_free);
        replace_entries(pane, cwd ? cwd : "?", entries);
}

void ui_pane_set_placeholder(UiPane *pane, const char *text)
{
        g_ptr_array_set_size(pane->entries, 0);
        g_ptr_array_set_size(pane->all, 0);
        g_clear_pointer(&pane->path, g_free);
        g_free(pane->placeholder);
        pane->placeholder = g_strdup(text);
        pane->cursor = pane->top = 0;
}

UiEntry *ui_pane_current(UiPane *pane)
{
        if (pane->cursor < 0 || (guint)pane->cursor >= pane->entries->len)
                return NULL;
        return g_ptr_array_index(pane->entries, pane->cursor);
}

void ui_pane_move_to(UiPane *pane, int index)
{
        int last = (int)pane->entries->len - 1;
        pane->cursor = CLAMP(index, 0, MAX(last, 0));
        if (pane->cursor < pane->top)
                pane->top = pane->cursor;
        if (pane->cursor >= pane->top + pane->rows)
                pane->top = pane->cursor - pane->rows + 1;
        /* no blank rows below the last entry while earlier ones are scrolled away (rows may have
         * grown since the last move: the first draw, a resize) */
        pane->top = CLAMP(pane->top, 0, MAX((int)pane->entries->len - pane->rows, 0));
}

void ui_pane_move(UiPane *pane, int delta)
{
        ui_pane_move_to(pane, pane->cursor + delta);
}

UiEntry *ui_pane_entry(UiPane *pane, const char *name)
{
        for (guint i = 0; i < pane->all->len; i++) {
                UiEntry *entry = g_ptr_array_index(pane->all, i);
                if (strcmp(entry->name, name) == 0)
                        return entry;
        }
        return NULL;
}

gboolean ui_pane_focus_name(UiPane *pane, const char *name)
{
        for (guint i = 0; i < pane->entries->len; i++) {
                UiEntry *entry = g_ptr_array_index(pane->entries, i);
                if (strcmp(entry->name, name) == 0) {
                        ui_pane_move_to(pane, (int)i);
                        return TRUE;
                }
        }
        return FALSE;
}

void ui_pane_toggle_select(UiPane *pane)
{
        UiEntry *entry = ui_pane_current(pane);
        if (entry && !entry->is_parent)
                entry->selected = !entry->selected;
        ui_pane_move(pane, 1);
}

void ui_pane_invert_selection(UiPane *pane)
{
        for (guint i = 0; i < pane->entries->len; i++) {
                UiEntry *entry = g_ptr_array_index(pane->entries, i);
                if (!entry->is_parent)
                        entry->selected = !entry->selected;
        }
}

void ui_pane_clear_selection(UiPane *pane)
{
        for (guint i = 0; i < pane->all->len; i++)
                ((UiEntry *)g_ptr_array_index(pane->all, i))->selected = FALSE;
}

guint ui_pane_select_glob(UiPane *pane, const char *glob, gboolean select)
{
        guint changed = 0;
        for (guint i = 0; i < pane->entries->len; i++) {
                UiEntry *entry = g_ptr_array_index(pane->entries, i);
                if (entry->is_parent || entry->selected == select || !core_glob_match(glob, entry->name))
                        continue;
                entry->selected = select;
                changed++;
        }
        return changed;
}

guint ui_pane_selection_totals(UiPane *pane, guint64 *bytes)
{
        guint count = 0;
        *bytes = 0;
        for (guint i = 0; i < pane->entries->len; i++) {
                const UiEntry *entry = g_ptr_array_index(pane->entries, i);
                if (!entry->selected)
                        continue;
                count++;
                if (!entry->is_dir && entry->size > 0)
                        *bytes += (guint64)entry->size;
        }
        return count;
}

int ui_pane_find(UiPane *pane, const char *text, int from, gboolean anywhere)
{
        guint n = pane->entries->len;
        if (n == 0)
                return -1;
        g_autofree const char **names = g_new0(const char *, n);
        for (guint i = 0; i < n; i++) {
                const UiEntry *entry = g_ptr_array_index(pane->entries, i);
                names[i] = entry->is_parent ? NULL : entry->name;
        }
        guint start = from < 0 ? 0 : (guint)from % n;
        return ui_typeahead_find(names, n, text, start, anywhere ? UI_FIND_ANYWHERE : UI_FIND_PREFIX);
}

GPtrArray *ui_pane_targets(UiPane *pane)
{
        GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
        for (guint i = 0; i < pane->entries->len; i++) {
                UiEntry *entry = g_ptr_array_index(pane->entries, i);
                if (entry->selected)
                        g_ptr_array_add(names, g_strdup(entry->name));
        }
        UiEntry *current = ui_pane_current(pane);
        if (names->len == 0 && current && !current->is_parent)
                g_ptr_array_add(names, g_strdup(current->name));
        return names;
}

char *ui_pane_path_of(UiPane *pane, const char *name)
{
        if (!pane->path)
                return g_strdup(name);
        if (g_str_has_suffix(pane->path, "/"))
                return g_strconcat(pane->path, name, NULL);
        return g_strconcat(pane->path, "/", name, NULL);
}

void ui_pane_mark_refused(UiPane *pane, const char *full_path, const CoreVerdict *verdict)
{
        if (core_verdict_refuses(verdict))
                g_hash_table_replace(pane->refused, g_strdup(full_path), core_verdict_copy(verdict));
        else
                g_hash_table_remove(pane->refused, full_path);
}

const CoreVerdict *ui_pane_refusal(UiPane *pane, const UiEntry *entry)
{
        if (!entry || entry->is_parent || g_hash_table_size(pane->refused) == 0)
                return NULL;
        g_autofree char *full = ui_pane_path_of(pane, entry->name);
        return g_hash_table_lookup(pane->refused, full);
}

char ui_compare_mark_char(UiCompareMark mark)
{
        static const char letters[] = " NO+S";
        return mark <= UI_COMPARE_SIZE ? letters[mark] : ' ';
}

void ui_pane_mark_compare(UiPane *pane, const char *name, UiCompareMark mark)
{
        if (mark == UI_COMPARE_NONE)
                g_hash_table_remove(pane->compare, name);
        else
                g_hash_table_replace(pane->compare, g_strdup(name), GINT_TO_POINTER(mark));
}

void ui_pane_clear_compare(UiPane *pane)
{
        g_hash_table_remove_all(pane->compare);
}

UiCompareMark ui_pane_compare_mark(UiPane *pane, const UiEntry *entry)
{
        if (!entry || entry->is_parent)
                return UI_COMPARE_NONE;
        return GPOINTER_TO_INT(g_hash_table_lookup(pane->compare, entry->name));
}

static UiAttr row_attr(UiPane *pane, const UiEntry *entry, gboolean is_cursor, gboolean active)
{
        if (is_cursor && active)
                return UI_ATTR_CURSOR;
        if (ui_pane_refusal(pane, entry))
                return UI_ATTR_INFECTED;
        if (entry->selected)
                return UI_ATTR_SELECTED;
        return entry->is_dir ? UI_ATTR_DIRECTORY : UI_ATTR_NORMAL;
}

/* " [size /txt -.]": what the view does beyond the defaults (sorted by name, all names). */
static char *view_tags(UiPane *pane)
{
        GString *tags = g_string_new(NULL);
        if (pane->sort != UI_SORT_NAME || pane->reverse)
                g_string_append_printf(tags, " %s", ui_sort_key_name(pane->sort));
        if (pane->reverse)
                g_string_append(tags, " rev"); /* a command word, as the sort key is */
        if (pane->filter) {
                g_autofree char *filter = core_name_escape(pane->filter);
                g_string_append_printf(tags, " /%s", filter);
        }
        if (pane->hide_dotfiles)
                g_string_append(tags, " -.");
        if (tags->len == 0)
                return g_string_free(tags, FALSE);
        g_string_overwrite(tags, 0, "[");
        g_string_append_c(tags, ']');
        g_string_prepend_c(tags, ' ');
        return g_string_free(tags, FALSE);
}

static void draw_header(UiPane *pane, UiCanvas *canvas, int x, int y, int width, gboolean active)
{
        g_autofree char *path = core_name_escape(pane->path ? pane->path : "");
        const char *label = pane->remote ? _("Remote") : _("Local");
        g_autofree char *tags = view_tags(pane);
        int tags_width = MIN(ui_text_width(tags), width / 2);
        g_autofree char *text = g_strdup_printf("%s%s: %s", active ? ">" : " ", label, path);
        g_autofree char *fitted = ui_text_fit_middle(text, width - tags_width);
        UiAttr attr = active ? UI_ATTR_CURSOR : UI_ATTR_HEADER;
        ui_canvas_text(canvas, x, y, width - tags_width, fitted, attr);
        g_autofree char *tags_fitted = ui_text_fit(tags, tags_width);
        ui_canvas_text(canvas, x + width - tags_width, y, tags_width, tags_fitted, attr);
}

void ui_pane_draw(UiPane *pane, UiCanvas *canvas, int x, int y, int width, int height,
                  gboolean active)
{
        draw_header(pane, canvas, x, y, width, active);
        pane->rows = MAX(height - 1, 1);
        ui_pane_move(pane, 0);
        for (int r = 1; r < height; r++)
                ui_canvas_fill(canvas, x, y + r, width, UI_ATTR_NORMAL);
        if (pane->placeholder) {
                ui_canvas_text(canvas, x + 1, y + 1, width - 1, pane->placeholder, UI_ATTR_NORMAL);
                return;
        }
        UiColumns cols = ui_columns_layout(width, pane->show_perms);
        for (int r = 0; r < pane->rows; r++) {
                int index = pane->top + r;
                if ((guint)index >= pane->entries->len)
                        break;
                UiEntry *entry = g_ptr_array_index(pane->entries, index);
                const CoreVerdict *refusal = ui_pane_refusal(pane, entry);
                UiRow row = { .name = entry->shown, .is_dir = entry->is_dir,
                              .is_parent = entry->is_parent, .size = entry->size,
                              .mtime = entry->mtime, .perms = entry->perms,
                              .selected = entry->selected,
                              .infected = core_verdict_is_malware(refusal),
                              .unscanned = refusal && !core_verdict_is_malware(refusal),
                              .compare = ui_compare_mark_char(ui_pane_compare_mark(pane, entry)) };
                g_autofree char *text = ui_columns_format(&cols, &row);
                UiAttr attr = row_attr(pane, entry, index == pane->cursor, active);
                ui_canvas_text(canvas, x, y + 1 + r, width, text, attr);
        }
}
