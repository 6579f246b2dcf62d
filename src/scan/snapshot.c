/* scan/snapshot.c — the private, immutable copy of a file that is scanned and then uploaded.
 * Owns: opening the user's file once, copying it into a sealed memfd in one pass that hashes what
 * it writes, or for a large file a reflink (FICLONE) or kernel copy into an unlinked 0600 file
 * whose SHA-256 is read back from it (on a thread of its own while the caller scans, when asked),
 * and refusing a file over the scanner's limit before any copy.
 * Must not: re-open or re-read the user's path after the copy; scan or upload anything. */
#include "config.h"
#include "scan/snapshot.h"
#include "scan/client.h"
#include "common/i18n.h"
#include "common/quark.h"

#include <errno.h>
#include <openssl/evp.h>
#include <fcntl.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define BLOCK (1024 * 1024)

G_DEFINE_AUTOPTR_CLEANUP_FUNC(EVP_MD_CTX, EVP_MD_CTX_free)
COMMON_DEFINE_QUARK(scan-snapshot-error-quark, scan_snapshot_error)

typedef enum { COPY_RANGE, COPY_SENDFILE, COPY_READ_WRITE } CopyMode;

/* msg has two %s: the path (as the user's locale can show it), then the system's error text.
 * A macro, so that each message stays a literal the compiler checks. */
#define set_local_error(error, path, msg, err)                                                      \
        do {                                                                                        \
                int err_ = (err);                                                                   \
                g_autofree char *shown_ = g_filename_display_name(path);                            \
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_LOCAL, msg, shown_, g_strerror(err_));    \
        } while (0)

/* Opens path without blocking on a FIFO and accepts only a regular file (checked on the fd). The
 * O_NONBLOCK stays: Linux ignores it for reads of a regular file, and clearing it cost two
 * syscalls per file. */
static int open_regular(const char *path, struct stat *st, GError **error)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0) {
                set_local_error(error, path, _("Cannot open “%s”: %s"), errno);
                return -1;
        }
        if (fstat(fd, st) < 0) {
                set_local_error(error, path, _("Cannot read the attributes of “%s”: %s"), errno);
                close(fd);
                return -1;
        }
        if (!S_ISREG(st->st_mode)) {
                g_autofree char *shown = g_filename_display_name(path);
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_LOCAL,
                            S_ISDIR(st->st_mode)
                                    ? _("“%s” is a directory; only regular files can be scanned and uploaded.")
                                    : _("“%s” is not a regular file (a device, pipe or socket); only regular "
                                        "files can be scanned and uploaded."),
                            shown);
                close(fd);
                return -1;
        }
        return fd;
}

static gboolean write_all(int fd, const char *buf, gsize len)
{
        while (len > 0) {
                ssize_t n = write(fd, buf, len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return FALSE;
                buf += n;
                len -= (gsize)n;
        }
        return TRUE;
}

/* Copies one step from the current offsets. Returns bytes copied, 0 at EOF, -1 with errno.
 * The kernel paths may say 0 for files that lie about their size (procfs): read() decides EOF. */
static ssize_t copy_step(int src, int dst, CopyMode *mode, char *buf)
{
        ssize_t n = -1;
        if (*mode == COPY_RANGE) {
                n = copy_file_range(src, NULL, dst, NULL, 16 * BLOCK, 0);
                if (n < 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP ||
                              errno == EBADF))
                        *mode = COPY_SENDFILE;
                if (n != 0 && *mode == COPY_RANGE)
                        return n;
        }
        if (*mode == COPY_SENDFILE) {
                n = sendfile(dst, src, NULL, 16 * BLOCK);
                if (n < 0 && (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP))
                        *mode = COPY_READ_WRITE;
                if (n > 0 || (n < 0 && *mode == COPY_SENDFILE))
                        return n;
        }
        n = read(src, buf, BLOCK);
        if (n <= 0)
                return n;
        *mode = COPY_READ_WRITE;
        return write_all(dst, buf, (gsize)n) ? n : -1;
}

/* A spool (spool_dir: where it is) that ran out of room says where, and why a file went there. */
static void set_copy_error(GError **error, const char *path, const char *spool_dir, int err)
{
        if (!spool_dir || (err != ENOSPC && err != EDQUOT)) {
                set_local_error(error, path, _("Copying “%s” into its snapshot failed: %s"), err);
                return;
        }
        g_autofree char *shown = g_filename_display_name(path);
        g_autofree char *dir = g_filename_display_name(spool_dir);
        g_set_error(error, SCAN_ERROR, SCAN_ERROR_LOCAL,
                    _("Copying “%s” into its snapshot in “%s” failed: %s. A file this large is copied to "
                      "the temporary directory before the scan: make room there, or point TMPDIR at a "
                      "larger one."),
                    shown, dir, g_strerror(err));
}

/* spool_dir: the directory of a spooled snapshot, NULL for a memfd (for the error's words). */
static gboolean copy_until_eof(int src, int dst, const char *path, const char *spool_dir, GError **error)
{
        g_autofree char *buf = g_malloc(BLOCK);
        CopyMode mode = COPY_RANGE;
        for (;;) {
                ssize_t n = copy_step(src, dst, &mode, buf);
                if (n == 0)
                        return TRUE;
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        set_copy_error(error, path, spool_dir, errno);
                        return FALSE;
                }
        }
}

typedef gboolean (*BlockFunc)(const guchar *bytes, gsize len, gpointer data);

/* Every byte fd holds, read back in blocks and handed to `eat`, so that a digest describes the
 * uploaded bytes; *size: the bytes read. `path` is the user's, for messages. */
static gboolean read_blocks(int fd, const char *path, BlockFunc eat, gpointer data, gint64 *size, GError **error)
{
        g_autofree guchar *buf = g_malloc(BLOCK);
        gint64 offset = 0;
        for (;;) {
                ssize_t n = pread(fd, buf, BLOCK, offset);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        set_local_error(error, path, _("Reading the snapshot of “%s” failed: %s"), errno);
                        return FALSE;
                }
                if (n == 0)
                        break;
                if (!eat(buf, (gsize)n, data)) {
                        g_set_error_literal(error, SCAN_ERROR, SCAN_ERROR_LOCAL, _("Computing a digest failed."));
                        return FALSE;
                }
                offset += n;
        }
        *size = offset;
        return TRUE;
}

static gboolean evp_update(const guchar *bytes, gsize len, gpointer data)
{
        return EVP_DigestUpdate(data, bytes, len) == 1;
}

static EVP_MD_CTX *digest_start(const EVP_MD *type, GError **error)
{
        EVP_MD_CTX *md = EVP_MD_CTX_new();
        if (!md || EVP_DigestInit_ex(md, type, NULL) != 1) {
                EVP_MD_CTX_free(md);
                g_set_error_literal(error, SCAN_ERROR, SCAN_ERROR_LOCAL, _("Cannot start a digest."));
                return NULL;
        }
        return md;
}

/* The digest as lowercase hex into `hex` (2 * EVP_MAX_MD_SIZE + 1). */
static gboolean digest_end(EVP_MD_CTX *md, char *hex, GError **error)
{
        unsigned char sum[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        if (EVP_DigestFinal_ex(md, sum, &len) != 1) {
                g_set_error_literal(error, SCAN_ERROR, SCAN_ERROR_LOCAL, _("Computing a digest failed."));
                return FALSE;
        }
        static const char digits[] = "0123456789abcdef";
        for (unsigned int i = 0; i < len; i++) {
                hex[2 * i] = digits[sum[i] >> 4];
                hex[2 * i + 1] = digits[sum[i] & 0xf];
        }
        hex[2 * len] = '\0';
        return TRUE;
}

/* The digest (`type`) of what fd holds as lowercase hex into `hex`. OpenSSL's digests rather
 * than GChecksum: they use the CPU's SHA extensions, about 4x faster here, which matters for large
 * uploads; libcrypto is linked already for FTPS. */
static gboolean digest_hex(int fd, const char *path, const EVP_MD *type, char *hex, gint64 *size, GError **error)
{
        g_autoptr(EVP_MD_CTX) md = digest_start(type, error);
        return md && read_blocks(fd, path, evp_update, md, size, error) && digest_end(md, hex, error);
}

static gboolean crc32_update(const guchar *bytes, gsize len, gpointer data)
{
        uLong *crc = data;
        *crc = crc32_z(*crc, bytes, len);
        return TRUE;
}

/* CRC-32 (zlib's, the one XCRC and HASH CRC32 answer) of what the snapshot holds, 8 hex digits. */
static char *crc32_hex(const ScanSnapshot *snapshot, GError **error) /* transfer full */
{
        uLong crc = crc32_z(0L, Z_NULL, 0);
        gint64 size = 0;
        if (!read_blocks(snapshot->fd, snapshot->path, crc32_update, &crc, &size, error))
                return NULL;
        return g_strdup_printf("%08lx", crc & 0xffffffffUL);
}

char *scan_snapshot_digest(const ScanSnapshot *snapshot, const char *algorithm, GError **error)
{
        if (snapshot->pending) {
                g_set_error_literal(error, SCAN_ERROR, SCAN_ERROR_LOCAL,
                                    _("The snapshot's digest is still being computed."));
                return NULL;
        }
        if (g_ascii_strcasecmp(algorithm, "SHA256") == 0)
                return g_strdup(snapshot->sha256);
        if (g_ascii_strcasecmp(algorithm, "CRC32") == 0)
                return crc32_hex(snapshot, error);
        const EVP_MD *type = EVP_get_digestbyname(algorithm);
        if (!type) {
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_LOCAL, _("No %s digest here."), algorithm);
                return NULL;
        }
        char hex[2 * EVP_MAX_MD_SIZE + 1];
        gint64 size = 0;
        if (!digest_hex(snapshot->fd, snapshot->path, type, hex, &size, error))
                return NULL;
        return g_strdup(hex);
}

/* ---- the SHA-256 of a spooled snapshot, on a thread of its own ------------------------------ */

/* The thread reads the snapshot through its own descriptor (pread: no offset shared with the
 * scanner or the upload) while the caller scans it; scan_snapshot_finish joins it. */
struct ScanSnapshotDigest {
        GThread *thread;
        int fd;          /* a dup of the snapshot's */
        char *path;
        EVP_MD_CTX *md;
        gint stop;       /* atomic: the snapshot is freed unfinished (a cancel): stop reading */
        char hex[2 * EVP_MAX_MD_SIZE + 1];
        gint64 size;     /* bytes digested */
        GError *error;
};

static gboolean digest_block(const guchar *bytes, gsize len, gpointer data)
{
        struct ScanSnapshotDigest *d = data;
        return !g_atomic_int_get(&d->stop) && EVP_DigestUpdate(d->md, bytes, len) == 1;
}

static gpointer digest_thread(gpointer data)
{
        struct ScanSnapshotDigest *d = data;
        d->md = digest_start(EVP_sha256(), &d->error);
        if (d->md && read_blocks(d->fd, d->path, digest_block, d, &d->size, &d->error))
                (void)digest_end(d->md, d->hex, &d->error);
        return NULL;
}

static void digest_defer(ScanSnapshot *snapshot)
{
        struct ScanSnapshotDigest *d = g_new0(struct ScanSnapshotDigest, 1);
        d->fd = fcntl(snapshot->fd, F_DUPFD_CLOEXEC, 0);
        d->path = g_strdup(snapshot->path);
        if (d->fd < 0)
                set_local_error(&d->error, snapshot->path, _("Reading the snapshot of “%s” failed: %s"), errno);
        else
                d->thread = g_thread_new("clamftp-digest", digest_thread, d);
        snapshot->pending = d;
}

/* Joins the thread (told to stop first when `stop`); its result into the snapshot. */
static gboolean digest_join(ScanSnapshot *snapshot, gboolean stop, GError **error)
{
        struct ScanSnapshotDigest *d = g_steal_pointer(&snapshot->pending);
        if (stop)
                g_atomic_int_set(&d->stop, TRUE);
        if (d->thread)
                g_thread_join(d->thread);
        EVP_MD_CTX_free(d->md);
        if (d->fd >= 0)
                close(d->fd);
        gboolean ok = !d->error && d->size == snapshot->size;
        if (ok)
                g_strlcpy(snapshot->sha256, d->hex, sizeof snapshot->sha256);
        else if (d->error)
                g_propagate_error(error, g_steal_pointer(&d->error));
        else
                set_local_error(error, snapshot->path, _("The snapshot of “%s” changed while it was read: %s"), EIO);
        g_clear_error(&d->error);
        g_free(d->path);
        g_free(d);
        return ok;
}

gboolean scan_snapshot_finish(ScanSnapshot *snapshot, GError **error)
{
        return !snapshot->pending || digest_join(snapshot, FALSE, error);
}

/* ---- taking it ---------------------------------------------------------------------------- */

static int open_tmpfile(const char *dir)
{
        return open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
}

static int open_spool(const char *tmpdir, const char *path, GError **error)
{
        const char *dir = tmpdir ? tmpdir : g_get_tmp_dir();
        int fd = open_tmpfile(dir);
        if (fd >= 0)
                return fd;
        g_autofree char *template = g_build_filename(dir, "clamftp-snapshot-XXXXXX", NULL);
        fd = g_mkstemp_full(template, O_RDWR | O_CLOEXEC, 0600);
        if (fd < 0) {
                g_autofree char *shown = g_filename_display_name(dir);
                g_set_error(error, SCAN_ERROR, SCAN_ERROR_LOCAL,
                            _("Cannot create a snapshot file in “%s”: %s; set a writable temporary directory."),
                            shown, g_strerror(errno));
                return -1;
        }
        if (unlink(template) < 0) {
                set_local_error(error, template, _("Cannot unlink the snapshot file “%s”: %s"), errno);
                close(fd);
                return -1;
        }
        return fd;
}

/* A reflink of src: an unlinked file sharing src's blocks (FICLONE: XFS, Btrfs, OCFS2 …), which
 * a later write to either side copies first, so the snapshot keeps what src held now. Made in
 * the spool when that is src's file system, else as an O_TMPFILE (never named) in src's own
 * directory. -1 when the file systems cannot share blocks: then the caller copies. */
static int reflink(int src, const struct stat *st, const char *path, int spool)
{
        if (spool >= 0 && ioctl(spool, FICLONE, src) == 0)
                return spool;
        struct stat at;
        if (spool >= 0 && fstat(spool, &at) == 0 && at.st_dev == st->st_dev)
                return -1; /* the same file system refused: no need to ask it again */
        g_autofree char *dir = g_path_get_dirname(path);
        int fd = open_tmpfile(dir);
        if (fd < 0)
                return -1;
        struct stat mine;
        if (fstat(fd, &mine) == 0 && mine.st_dev == st->st_dev && ioctl(fd, FICLONE, src) == 0)
                return fd;
        close(fd);
        return -1;
}

static int open_memfd(const char *path, GError **error)
{
        int fd = memfd_create("clamftp-snapshot", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd < 0)
                set_local_error(error, path, _("Cannot create a memory snapshot of “%s”: %s"), errno);
        return fd;
}

static gboolean seal(ScanSnapshot *snapshot, GError **error)
{
        int seals = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL;
        if (fcntl(snapshot->fd, F_ADD_SEALS, seals) < 0) {
                set_local_error(error, snapshot->path, _("Cannot seal the snapshot of “%s”: %s"), errno);
                return FALSE;
        }
        snapshot->sealed = TRUE;
        return TRUE;
}

/* One pass over the user's file: each block read is hashed and written to the snapshot while it
 * is in the cache, so the SHA-256 describes exactly the bytes written and nothing is read back.
 * The buffer fits the file (a small file costs no 1 MiB allocation). */
static gboolean copy_hashed(int src, ScanSnapshot *snapshot, gint64 expected, GError **error)
{
        g_autoptr(EVP_MD_CTX) md = digest_start(EVP_sha256(), error);
        if (!md)
                return FALSE;
        gsize cap = (gsize)CLAMP(expected + 1, 4096, BLOCK);
        g_autofree guchar *buf = g_malloc(cap);
        gint64 copied = 0;
        for (;;) {
                ssize_t n = read(src, buf, cap);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0 || (n > 0 && !write_all(snapshot->fd, (const char *)buf, (gsize)n))) {
                        set_local_error(error, snapshot->path, _("Copying “%s” into its snapshot failed: %s"), errno);
                        return FALSE;
                }
                if (n == 0)
                        break;
                if (EVP_DigestUpdate(md, buf, (gsize)n) != 1) {
                        g_set_error_literal(error, SCAN_ERROR, SCAN_ERROR_LOCAL, _("Computing a digest failed."));
                        return FALSE;
                }
                copied += n;
        }
        snapshot->size = copied;
        char hex[2 * EVP_MAX_MD_SIZE + 1];
        if (!digest_end(md, hex, error))
                return FALSE;
        g_strlcpy(snapshot->sha256, hex, sizeof snapshot->sha256);
        return TRUE;
}

/* A spooled snapshot (larger than the memfd limit): a reflink, else a copy in the kernel; its
 * SHA-256 read back from it, now or (defer) on a thread while the caller scans. */
static gboolean take_spooled(int src, const struct stat *st, ScanSnapshot *snapshot, const ScanSnapshotHow *how,
                             GError **error)
{
        int spool = open_spool(how->tmpdir, snapshot->path, error);
        if (spool < 0)
                return FALSE;
        int clone = reflink(src, st, snapshot->path, spool);
        if (clone >= 0 && clone != spool)
                close(spool);
        snapshot->fd = clone >= 0 ? clone : spool;
        snapshot->reflinked = clone >= 0;
        const char *spool_dir = how->tmpdir ? how->tmpdir : g_get_tmp_dir();
        if (!snapshot->reflinked && !copy_until_eof(src, snapshot->fd, snapshot->path, spool_dir, error))
                return FALSE;
        struct stat mine;
        if (fstat(snapshot->fd, &mine) < 0) {
                set_local_error(error, snapshot->path, _("Reading the snapshot of “%s” failed: %s"), errno);
                return FALSE;
        }
        snapshot->size = mine.st_size;
        if (how->defer_digest) {
                digest_defer(snapshot);
                return TRUE;
        }
        gint64 read = 0;
        char hex[2 * EVP_MAX_MD_SIZE + 1];
        if (!digest_hex(snapshot->fd, snapshot->path, EVP_sha256(), hex, &read, error))
                return FALSE;
        if (read != snapshot->size) {
                set_local_error(error, snapshot->path, _("The snapshot of “%s” changed while it was read: %s"), EIO);
                return FALSE;
        }
        g_strlcpy(snapshot->sha256, hex, sizeof snapshot->sha256);
        return TRUE;
}

static void refuse_too_large(const char *path, gint64 size, gint64 max_size, GError **error)
{
        g_autofree char *shown = g_filename_display_name(path);
        g_autofree char *have = g_format_size_full((guint64)size, G_FORMAT_SIZE_IEC_UNITS);
        g_autofree char *most = g_format_size_full((guint64)max_size, G_FORMAT_SIZE_IEC_UNITS);
        g_set_error(error, SCAN_SNAPSHOT_ERROR, SCAN_SNAPSHOT_ERROR_TOO_LARGE,
                    _("“%s” is too large to be scanned (%s; the scanner takes at most %s)."), shown, have, most);
}

ScanSnapshot *scan_snapshot_take_how(const char *path, ScanSnapshotHow *how, GError **error)
{
        how->file_size = -1;
        struct stat st;
        int src = open_regular(path, &st, error);
        if (src < 0)
                return NULL;
        how->file_size = st.st_size;
        if (how->max_size >= 0 && st.st_size > how->max_size) {
                close(src); /* nothing copied, nothing read */
                refuse_too_large(path, st.st_size, how->max_size, error);
                return NULL;
        }
        g_autoptr(ScanSnapshot) snapshot = g_new0(ScanSnapshot, 1);
        snapshot->path = g_strdup(path);
        snapshot->absolute = g_canonicalize_filename(path, NULL); /* once, not per record */
        snapshot->mtime = st.st_mtime;
        gboolean ok;
        if (st.st_size <= how->memfd_limit) {
                snapshot->fd = open_memfd(path, error);
                ok = snapshot->fd >= 0 && copy_hashed(src, snapshot, st.st_size, error) && seal(snapshot, error);
        } else {
                snapshot->fd = -1;
                (void)posix_fadvise(src, 0, 0, POSIX_FADV_SEQUENTIAL);
                ok = take_spooled(src, &st, snapshot, how, error);
        }
        close(src); /* the user's file is never read again */
        return ok ? g_steal_pointer(&snapshot) : NULL;
}

ScanSnapshot *scan_snapshot_take_with_limit(const char *path, const char *tmpdir, gint64 memfd_limit,
                                            GError **error)
{
        ScanSnapshotHow how = { .tmpdir = tmpdir, .memfd_limit = memfd_limit, .max_size = -1 };
        return scan_snapshot_take_how(path, &how, error);
}

ScanSnapshot *scan_snapshot_take(const char *path, const char *tmpdir, GError **error)
{
        return scan_snapshot_take_with_limit(path, tmpdir, SCAN_SNAPSHOT_MEMFD_LIMIT, error);
}

void scan_snapshot_free(ScanSnapshot *snapshot)
{
        if (!snapshot)
                return;
        if (snapshot->pending)
                (void)digest_join(snapshot, TRUE, NULL); /* its thread reads a dup of fd */
        if (snapshot->fd >= 0)
                close(snapshot->fd);
        g_free(snapshot->path);
        g_free(snapshot->absolute);
        g_free(snapshot);
}
