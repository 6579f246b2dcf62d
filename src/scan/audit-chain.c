/* scan/audit-chain.c — the hash chain of the audit log: line hashes, a file's last line, and the
 * file before a rotated log. Owns: reading a log's tail without moving its offset, in bounded
 * memory however long the line. Must not: write to any file or take a lock for writing. */
#include "config.h"
#include "scan/audit-chain.h"
#include "scan/client.h"
#include "common/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK 4096

static void checksum_out(GChecksum *sum, char out[SCAN_AUDIT_HASH_SIZE])
{
        g_checksum_update(sum, (const guchar *)"\n", 1);
        g_strlcpy(out, g_checksum_get_string(sum), SCAN_AUDIT_HASH_SIZE);
}

void scan_audit_chain_hash(const char *line, gsize len, char out[SCAN_AUDIT_HASH_SIZE])
{
        g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
        g_checksum_update(sum, (const guchar *)line, len);
        checksum_out(sum, out);
}

static gboolean read_error(const char *name, int err, GError **error)
{
        g_autofree char *shown = g_filename_display_name(name);
        g_set_error(error, SCAN_ERROR, SCAN_ERROR_LOCAL, _("Cannot read the audit log “%s”: %s"), shown,
                    err ? g_strerror(err) : _("it shrank while being read"));
        return FALSE;
}

/* n bytes at offset, all of them. */
static gboolean pread_all(int fd, const char *name, char *buf, gsize n, off_t offset, GError **error)
{
        while (n > 0) {
                ssize_t got = pread(fd, buf, n, offset);
                if (got < 0 && errno == EINTR)
                        continue;
                if (got <= 0)
                        return read_error(name, got < 0 ? errno : 0, error);
                buf += got;
                n -= (gsize)got;
                offset += got;
        }
        return TRUE;
}

/* Where the line that ends at end (exclusive) begins. */
static gboolean line_start(int fd, const char *name, off_t end, off_t *start, GError **error)
{
        char buf[CHUNK];
        for (off_t pos = end; pos > 0;) {
                gsize n = (gsize)MIN((off_t)CHUNK, pos);
                if (!pread_all(fd, name, buf, n, pos - (off_t)n, error))
                        return FALSE;
                const char *nl = memrchr(buf, '\n', n);
                if (nl) {
                        *start = pos - (off_t)n + (nl - buf) + 1;
                        return TRUE;
                }
                pos -= (off_t)n;
        }
        *start = 0;
        return TRUE;
}

gboolean scan_audit_chain_last(int fd, const char *name, char out[SCAN_AUDIT_HASH_SIZE], gboolean *complete, GError **error)
{
        struct stat st;
        if (fstat(fd, &st) < 0) {
                out[0] = '\0';
                *complete = TRUE;
                return read_error(name, errno, error);
        }
        return scan_audit_chain_last_of(fd, name, st.st_size, out, complete, error);
}

gboolean scan_audit_chain_last_of(int fd, const char *name, gint64 size, char out[SCAN_AUDIT_HASH_SIZE],
                                  gboolean *complete, GError **error)
{
        out[0] = '\0';
        *complete = TRUE;
        if (size <= 0)
                return TRUE;
        /* the usual case in one read: the file's tail holds the whole last line */
        char tail[CHUNK];
        off_t tail_at = (off_t)size - (off_t)MIN((gint64)CHUNK, size);
        gsize tail_len = (gsize)(size - tail_at);
        if (!pread_all(fd, name, tail, tail_len, tail_at, error))
                return FALSE;
        *complete = tail[tail_len - 1] == '\n';
        off_t end = *complete ? (off_t)size - 1 : (off_t)size, start;
        const char *nl = memrchr(tail, '\n', (gsize)(end - tail_at));
        if (nl || tail_at == 0) {
                const char *from = nl ? nl + 1 : tail;
                scan_audit_chain_hash(from, (gsize)(tail + (end - tail_at) - from), out);
                return TRUE;
        }
        if (!line_start(fd, name, end, &start, error))
                return FALSE;
        g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
        char buf[CHUNK];
        for (off_t pos = start; pos < end;) {
                gsize n = (gsize)MIN((off_t)CHUNK, end - pos);
                if (!pread_all(fd, name, buf, n, pos, error))
                        return FALSE;
                g_checksum_update(sum, (const guchar *)buf, n);
                pos += (off_t)n;
        }
        checksum_out(sum, out);
        return TRUE;
}

char *scan_audit_chain_predecessor(const char *path)
{
        return g_strconcat(path, ".1", NULL);
}

gboolean scan_audit_chain_from_predecessor(const char *path, char out[SCAN_AUDIT_HASH_SIZE], GError **error)
{
        out[0] = '\0';
        g_autofree char *before = scan_audit_chain_predecessor(path);
        int fd = open(before, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0 && errno == ENOENT)
                return TRUE;
        if (fd < 0) {
                g_autofree char *shown = g_filename_display_name(before);
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_LOCAL,
                            _("Cannot read “%s”, the audit log before this one: %s"), shown, g_strerror(errno));
                return FALSE;
        }
        struct stat st;
        gboolean complete, ok = TRUE;
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
                /* a writer that still had it open before the rotation finishes its record first */
                while (flock(fd, LOCK_SH) < 0 && errno == EINTR)
                        ;
                ok = scan_audit_chain_last(fd, before, out, &complete, error);
        }
        close(fd);
        return ok;
}
