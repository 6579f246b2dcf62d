/* scan/audit.c — the audit log: one JSON line per verdict and per upload, hash-chained.
 * Owns: the log file (append-only, created 0600, in $XDG_STATE_HOME/clamftp by default), JSON
 * escaping and the record format; one record is one write() under a mutex and an exclusive flock,
 * closed by "prev" (scan/audit-chain.h). Must not: decide anything, print, or read the user's files. */
#include "config.h"
#include "scan/audit.h"
#include "scan/json.h"
#include "scan/audit-chain.h"
#include "common/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct ScanAudit {
        GMutex lock;
        int fd;           /* read (the last line) and append; reopened when the log is rotated */
        char *path;
        char *shown;      /* path, for messages */
        char streamed[SCAN_AUDIT_HASH_SIZE]; /* a log that is no regular file (a pipe): the hash of
                                              * the last line written to it, since it cannot be read */
        GError *error; /* the first failed write, for scan_audit_take_error() */
};

char *scan_audit_default_path(void)
{
        return g_build_filename(g_get_user_state_dir(), "clamftp", "audit.jsonl", NULL);
}

static int open_log(const char *path)
{
        return open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
}

ScanAudit *scan_audit_open(const char *path, GError **error)
{
        g_autofree char *file = path ? g_strdup(path) : scan_audit_default_path();
        g_autofree char *dir = g_path_get_dirname(file);
        if (g_mkdir_with_parents(dir, 0700) < 0) {
                g_autofree char *shown = g_filename_display_name(dir);
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_LOCAL,
                            _("Cannot create the audit log directory “%s”: %s"), shown, g_strerror(errno));
                return NULL;
        }
        int fd = open_log(file);
        if (fd < 0) {
                g_autofree char *shown = g_filename_display_name(file);
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_LOCAL,
                            _("Cannot open the audit log “%s”: %s"), shown, g_strerror(errno));
                return NULL;
        }
        ScanAudit *audit = g_new0(ScanAudit, 1);
        g_mutex_init(&audit->lock);
        audit->fd = fd;
        audit->path = g_steal_pointer(&file);
        audit->shown = g_filename_display_name(audit->path);
        return audit;
}

void scan_audit_close(ScanAudit *audit)
{
        if (!audit)
                return;
        if (audit->fd >= 0)
                close(audit->fd);
        g_clear_error(&audit->error);
        g_mutex_clear(&audit->lock);
        g_free(audit->path);
        g_free(audit->shown);
        g_free(audit);
}

const char *scan_audit_path(ScanAudit *audit)
{
        return audit->path;
}

gboolean scan_audit_take_error(ScanAudit *audit, GError **error)
{
        g_mutex_lock(&audit->lock);
        GError *failed = g_steal_pointer(&audit->error);
        g_mutex_unlock(&audit->lock);
        if (!failed)
                return TRUE;
        g_propagate_error(error, failed);
        return FALSE;
}

/* ---- JSON -------------------------------------------------------------------------------- */


static void field_string(GString *out, const char *key, const char *value)
{
        g_string_append_printf(out, ",\"%s\":", key);
        scan_json_append_string(out, value);
}

static GString *record_start(const char *event)
{
        g_autoptr(GDateTime) now = g_date_time_new_now_utc();
        g_autofree char *stamp = g_date_time_format(now, "%Y-%m-%dT%H:%M:%S");
        GString *out = g_string_new("{\"time\":");
        g_string_append_printf(out, "\"%s.%03dZ\"", stamp, g_date_time_get_microsecond(now) / 1000);
        field_string(out, "event", event);
        return out;
}

/* path: the file's when there is no snapshot (it could not be taken): size and sha256 are null */
static void snapshot_fields(GString *out, const ScanSnapshot *snapshot, const char *path)
{
        if (snapshot)
                path = snapshot->path;
        g_autofree char *absolute = snapshot && snapshot->absolute ? g_strdup(snapshot->absolute)
                                    : path ? g_canonicalize_filename(path, NULL) : NULL;
        field_string(out, "path", absolute);
        if (snapshot)
                g_string_append_printf(out, ",\"size\":%" G_GINT64_FORMAT, snapshot->size);
        else
                g_string_append(out, ",\"size\":null");
        field_string(out, "sha256", snapshot ? snapshot->sha256 : NULL);
}

/* ---- appending, chained ------------------------------------------------------------------ */

static void G_GNUC_PRINTF(2, 3) set_error(GError **error, const char *format, ...)
{
        va_list args;
        va_start(args, format);
        g_autofree char *message = g_strdup_vprintf(format, args);
        va_end(args);
        g_set_error_literal(error, SCAN_ERROR, SCAN_ERROR_LOCAL, message);
}

/* Whether audit->fd is still the file at audit->path (FALSE once it was moved away or removed);
 * *by_fd: the descriptor's fstat (st_mode 0 when it failed). */
static gboolean still_at_path(ScanAudit *audit, struct stat *by_fd)
{
        struct stat by_path;
        if (fstat(audit->fd, by_fd) < 0) {
                memset(by_fd, 0, sizeof *by_fd);
                return TRUE;
        }
        if (stat(audit->path, &by_path) < 0)
                return errno != ENOENT;
        return by_fd->st_dev == by_path.st_dev && by_fd->st_ino == by_path.st_ino;
}

/* Takes the exclusive flock on the file at the log's path, which other clamftp processes append
 * to as well. A log moved away since it was opened (logrotate's rename) is left to its new name:
 * the file now at the path is opened (created when missing) and locked instead. *st: the locked
 * file's fstat, taken under the lock. */
static gboolean lock_log(ScanAudit *audit, struct stat *st, GError **error)
{
        for (int tries = 0;; tries++) {
                int rc;
                while ((rc = flock(audit->fd, LOCK_EX)) < 0 && errno == EINTR)
                        ;
                if (rc < 0) {
                        set_error(error, _("Cannot lock the audit log “%s”: %s"), audit->shown, g_strerror(errno));
                        return FALSE;
                }
                if (still_at_path(audit, st) || tries == 8)
                        return TRUE;
                int fd = open_log(audit->path);
                if (fd < 0) {
                        set_error(error, _("The audit log “%s” was moved away and cannot be opened again (%s): "
                                           "this record went to the file it was moved to."),
                                  audit->shown, g_strerror(errno));
                        return TRUE;
                }
                flock(audit->fd, LOCK_UN);
                close(audit->fd);
                audit->fd = fd;
        }
}

/* The "prev" of the next record: the hash of the log's last line, or in an empty log of the
 * last line of the log before it (audit-chain.h); "" for null. *complete: the last line has its
 * newline. A log that is no regular file (a pipe to a collector) chains what this process wrote.
 * st: the log's fstat under the lock (st_mode 0: unknown). */
static gboolean chain_prev(ScanAudit *audit, const struct stat *st, char prev[SCAN_AUDIT_HASH_SIZE],
                           gboolean *complete, GError **error)
{
        if (st->st_mode != 0 && !S_ISREG(st->st_mode)) {
                g_strlcpy(prev, audit->streamed, SCAN_AUDIT_HASH_SIZE);
                return TRUE;
        }
        gboolean read = st->st_mode != 0
                ? scan_audit_chain_last_of(audit->fd, audit->path, st->st_size, prev, complete, error)
                : scan_audit_chain_last(audit->fd, audit->path, prev, complete, error);
        if (!read)
                return FALSE;
        return prev[0] || scan_audit_chain_from_predecessor(audit->path, prev, error);
}

static void write_all(ScanAudit *audit, const GString *line, GError **error)
{
        const char *p = line->str;
        gsize left = line->len;
        while (left > 0) {
                ssize_t n = write(audit->fd, p, left);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0) {
                        set_error(error, _("Writing the audit log “%s” failed: %s"), audit->shown,
                                  n < 0 ? g_strerror(errno) : _("nothing was written"));
                        return;
                }
                p += n;
                left -= (gsize)n;
        }
}

/* The one place a record reaches the file: under the lock, it is closed with "prev" (the hash
 * of the line before it) and appended with one write(). A last line left without its newline
 * (a write cut short) gets one first, so the record starts a line of its own. Whatever fails is
 * kept for scan_audit_take_error(); the record is written all the same. */
static void record_write(ScanAudit *audit, GString *record)
{
        g_mutex_lock(&audit->lock);
        GError *failure = NULL;
        struct stat st = { 0 };
        gboolean locked = lock_log(audit, &st, &failure);
        char prev[SCAN_AUDIT_HASH_SIZE] = "";
        gboolean complete = TRUE;
        if (!chain_prev(audit, &st, prev, &complete, failure ? NULL : &failure))
                prev[0] = '\0';
        if (!complete)
                g_string_prepend_c(record, '\n');
        if (prev[0])
                g_string_append_printf(record, ",\"prev\":\"%s\"}\n", prev);
        else
                g_string_append(record, ",\"prev\":null}\n");
        write_all(audit, record, failure ? NULL : &failure);
        gsize start = complete ? 0 : 1;
        scan_audit_chain_hash(record->str + start, record->len - start - 1, audit->streamed);
        if (locked)
                flock(audit->fd, LOCK_UN);
        if (failure && !audit->error)
                audit->error = g_steal_pointer(&failure);
        g_clear_error(&failure);
        g_mutex_unlock(&audit->lock);
}

void scan_audit_verdict(ScanAudit *audit, const ScanSnapshot *snapshot, const ScanVerdict *verdict,
                        const char *scanner)
{
        if (!audit)
                return;
        g_autoptr(GString) record = record_start("verdict");
        snapshot_fields(record, snapshot, verdict->path);
        field_string(record, "verdict", scan_verdict_kind_name(verdict->kind));
        field_string(record, "signature", verdict->signature);
        field_string(record, "reason", verdict->reason);
        field_string(record, "scanner", scanner);
        field_string(record, "reason_class", scan_reason_class_name(verdict->reason_class));
        if (verdict->istag) /* an ICAP service's state when it judged */
                field_string(record, "istag", verdict->istag);
        record_write(audit, record);
}

void scan_audit_upload(ScanAudit *audit, const ScanSnapshot *snapshot, const char *scanner,
                       const char *server, const char *remote_path, gboolean ok, const char *error)
{
        scan_audit_upload_from(audit, snapshot, scanner, server, remote_path, 0, ok, error);
}

/* ,"verify":{"method":…,"remote":…,"match":true|false|null} */
static void verify_field(GString *out, const ScanAuditVerify *verify)
{
        g_autoptr(GString) inner = g_string_new(NULL);
        field_string(inner, "method", verify->method ? verify->method : "none");
        field_string(inner, "remote", verify->remote);
        g_string_append_printf(inner, ",\"match\":%s", verify->match > 0 ? "true" : verify->match == 0 ? "false" : "null");
        g_string_append_printf(out, ",\"verify\":{%s}", inner->str + 1); /* without the leading comma */
}

void scan_audit_upload_record(ScanAudit *audit, const ScanSnapshot *snapshot, const char *scanner,
                              const char *server, const char *remote_path, gint64 offset, const char *result,
                              const char *error, const ScanAuditVerify *verify)
{
        if (!audit)
                return;
        g_autoptr(GString) record = record_start("upload");
        snapshot_fields(record, snapshot, NULL);
        field_string(record, "verdict", "OK");
        field_string(record, "scanner", scanner);
        field_string(record, "server", server);
        field_string(record, "remote", remote_path);
        if (offset > 0)
                g_string_append_printf(record, ",\"offset\":%" G_GINT64_FORMAT, offset);
        field_string(record, "result", result);
        field_string(record, "error", error);
        if (verify)
                verify_field(record, verify);
        record_write(audit, record);
}

void scan_audit_upload_from(ScanAudit *audit, const ScanSnapshot *snapshot, const char *scanner,
                            const char *server, const char *remote_path, gint64 offset, gboolean ok,
                            const char *error)
{
        scan_audit_upload_record(audit, snapshot, scanner, server, remote_path, offset, ok ? "done" : "failed",
                                 ok ? NULL : error, NULL);
}

void scan_audit_upload_retried(ScanAudit *audit, const ScanSnapshot *snapshot, const char *scanner,
                               const char *server, const char *remote_path, const char *error)
{
        scan_audit_upload_record(audit, snapshot, scanner, server, remote_path, 0, "retried", error, NULL);
}
