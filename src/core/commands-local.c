/* core/commands-local.c — commands about this machine: lcd, lpwd, lls, and scan (a verdict
 * without an upload). Must not: talk to the FTP server, or print directly (ctx->fe does). */
#include "common/i18n.h"
#include "core/cmd.h"
#include "core/commands.h"
#include "core/files.h"
#include "core/glob.h"
#include "core/safename.h"
#include "core/transfer-private.h"
#include "scan/snapshot.h"
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

static gboolean local_error(GError **error, const char *path, int err)
{
        g_autofree char *shown = core_name_escape(path);
        g_set_error(error, CORE_CMD_ERROR, CORE_CMD_ERROR_FAILED, "%s: %s", shown, g_strerror(err));
        return FALSE;
}

CORE_CMD_HANDLER(core_cmd_lcd)
{
        return core_local_cd(ctx, argc > 1 ? argv[1] : g_get_home_dir(), error);
}

CORE_CMD_HANDLER(core_cmd_lpwd)
{
        g_autofree char *cwd = g_get_current_dir();
        g_autofree char *shown = core_name_escape(cwd);
        core_say(ctx, CORE_MSG_OUTPUT, _("Local directory: %s"), shown);
        return TRUE;
}

static char *perms_of(mode_t mode)
{
        static const char letters[] = "rwxrwxrwx";
        char perms[10];
        for (int i = 0; i < 9; i++)
                perms[i] = (mode & (1u << (8 - i))) ? letters[i] : '-';
        perms[9] = '\0';
        return g_strdup(perms);
}

/* One local directory entry as an FtpEntry, so `lls` prints exactly like `ls`. */
static FtpEntry *stat_entry(const char *path, const char *name)
{
        struct stat st;
        if (g_lstat(path, &st) != 0)
                return NULL;
        FtpEntry *entry = ftp_entry_new();
        entry->name = g_strdup(name);
        entry->size = st.st_size;
        entry->mtime = st.st_mtime;
        entry->perms = perms_of(st.st_mode);
        if (S_ISDIR(st.st_mode))
                entry->type = FTP_ENTRY_DIR;
        else if (S_ISREG(st.st_mode))
                entry->type = FTP_ENTRY_FILE;
        else if (S_ISLNK(st.st_mode)) {
                entry->type = FTP_ENTRY_LINK;
                entry->link_target = g_file_read_link(path, NULL);
        } else
                entry->type = FTP_ENTRY_OTHER;
        return entry;
}

static int compare_names(gconstpointer a, gconstpointer b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static GPtrArray *dir_names(const char *path, GError **error)
{
        g_autoptr(GDir) dir = g_dir_open(path, 0, error);
        if (!dir)
                return NULL;
        GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
        for (const char *name; (name = g_dir_read_name(dir));)
                g_ptr_array_add(names, g_strdup(name));
        g_ptr_array_sort(names, compare_names);
        return names;
}

CORE_CMD_HANDLER(core_cmd_lls)
{
        const char *path = argc > 1 ? argv[1] : ".";
        if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
                g_autoptr(FtpEntry) entry = stat_entry(path, path);
                if (!entry)
                        return local_error(error, path, errno);
                g_autofree char *line = core_format_entry(entry);
                core_say(ctx, CORE_MSG_OUTPUT, "%s", line);
                return TRUE;
        }
        g_autoptr(GPtrArray) names = dir_names(path, error);
        if (!names)
                return FALSE;
        g_autoptr(GString) out = g_string_new(NULL);
        for (guint i = 0; i < names->len; i++) {
                const char *name = names->pdata[i];
                g_autofree char *full = g_build_filename(path, name, NULL);
                g_autoptr(FtpEntry) entry = stat_entry(full, name);
                if (!entry)
                        continue;
                g_autofree char *line = core_format_entry(entry);
                g_string_append_printf(out, "%s%s", out->len ? "\n" : "", line);
        }
        if (out->len)
                core_say(ctx, CORE_MSG_OUTPUT, "%s", out->str);
        return TRUE;
}

GPtrArray *core_expand_local_args(CoreContext *ctx, char **args)
{
        GPtrArray *paths = g_ptr_array_new_with_free_func(g_free);
        for (char **arg = args; *arg; arg++) {
                if (!core_glob_has_magic(*arg)) {
                        g_ptr_array_add(paths, g_strdup(*arg));
                        continue;
                }
                g_autoptr(GError) error = NULL;
                g_autoptr(GPtrArray) found = core_glob_expand_local(*arg, &error);
                if (!found) {
                        core_say(ctx, CORE_MSG_WARNING, "%s", error->message);
                        continue;
                }
                for (guint k = 0; k < found->len; k++)
                        g_ptr_array_add(paths, g_strdup(found->pdata[k]));
        }
        return paths;
}

static void record_verdict(CoreContext *ctx, const char *shown, const ScanVerdict *verdict)
{
        core_context_set_last_verdict(ctx, verdict);
        switch (verdict->kind) {
        case SCAN_VERDICT_OK:
                core_say(ctx, CORE_MSG_OUTPUT, _("%s: OK"), shown);
                return;
        case SCAN_VERDICT_INFECTED:
        {
                g_autofree char *found = core_verdict_found_text(verdict, core_verdict_judge(ctx, verdict));
                core_say(ctx, CORE_MSG_WARNING, _("%s: INFECTED (%s)"), shown, found);
                break;
        }
        case SCAN_VERDICT_ERROR:
        default:
        {
                g_autofree char *why = core_verdict_unscanned_by_text(verdict, core_verdict_judge(ctx, verdict));
                core_say(ctx, CORE_MSG_WARNING, _("%s: ERROR, %s"), shown, why);
                break;
        }
        }
        core_refused(ctx);
}

CoreVerdict *core_scan_local(CoreContext *ctx, const char *path)
{
        g_autofree char *shown = core_name_escape(path);
        g_autoptr(GError) error = NULL;
        ScanVerdict *verdict = NULL;
        g_autoptr(ScanSnapshot) snapshot = core_transfer_snapshot_scan(ctx, path, &verdict, &error);
        if (!snapshot) {
                core_fail(ctx, error);
                return NULL;
        }
        record_verdict(ctx, shown, verdict);
        return verdict;
}

CORE_CMD_HANDLER(core_cmd_scan)
{
        g_autoptr(GPtrArray) paths = core_expand_local_args(ctx, argv + 1);
        if (paths->len == 0) {
                g_set_error_literal(error, CORE_CMD_ERROR, CORE_CMD_ERROR_FAILED,
                                    _("No local file matches: nothing was scanned."));
                return FALSE;
        }
        gboolean all_ok = TRUE;
        for (guint i = 0; i < paths->len; i++) {
                g_autoptr(CoreVerdict) verdict = core_scan_local(ctx, paths->pdata[i]);
                all_ok &= verdict && verdict->kind == SCAN_VERDICT_OK;
        }
        return all_ok;
}
