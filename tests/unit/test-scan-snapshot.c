/* tests/unit/test-scan-snapshot.c — the upload guarantee: a snapshot is private and immutable,
 * its SHA-256 and size describe its own bytes (taken in one pass, or on a thread while the caller
 * scans), a file over the scanner's limit is refused before any copy, a reflink on XFS (a loop
 * image the test makes, as root) keeps its bytes when the source is rewritten, and only regular
 * files are taken.
 * Must not: leave files behind in the test directory. */
#include "config.h"
#include "scan/snapshot.h"
#include "scan/client.h"
#include "scan-fake.h"
#include "tree-remove.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sched.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
        char *dir;
        char *spool; /* an empty dir for spooled snapshots */
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
        f->dir = g_dir_make_tmp("clamftp-snapshot-XXXXXX", NULL);
        g_assert_nonnull(f->dir);
        f->spool = g_build_filename(f->dir, "spool", NULL);
        g_assert_cmpint(g_mkdir(f->spool, 0700), ==, 0);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
        test_tree_remove(f->dir);
        g_free(f->spool);
        g_free(f->dir);
}

static GBytes *snapshot_bytes(const ScanSnapshot *s)
{
        guint8 *buf = g_malloc(s->size + 1);
        gssize n = pread(s->fd, buf, s->size + 1, 0);
        g_assert_cmpint(n, ==, s->size);
        return g_bytes_new_take(buf, (gsize)n);
}

static char *sha256_of(const void *data, gsize len)
{
        return g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len);
}

static void test_memfd_is_sealed(Fixture *f, gconstpointer data)
{
        g_autofree char *path = test_write_file(f->dir, "small", "hello", 5);
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanSnapshot) s = scan_snapshot_take(path, f->spool, &error);
        g_assert_no_error(error);
        g_assert_true(s->sealed);
        int seals = fcntl(s->fd, F_GET_SEALS);
        int want = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL;
        g_assert_cmpint(seals & want, ==, want);
        g_assert_cmpint(pwrite(s->fd, "X", 1, 0), ==, -1);
        g_assert_cmpint(errno, ==, EPERM);
        g_assert_cmpint(ftruncate(s->fd, 0), ==, -1);
        g_assert_cmpint(ftruncate(s->fd, 100), ==, -1);
        /* the fd we were given is read-write, but a fresh writable open must fail too */
        g_autofree char *proc = g_strdup_printf("/proc/self/fd/%d", s->fd);
        int w = open(proc, O_WRONLY | O_CLOEXEC);
        if (w >= 0) {
                g_assert_cmpint(write(w, "X", 1), ==, -1);
                close(w);
        }
        g_autoptr(GBytes) bytes = snapshot_bytes(s);
        g_assert_cmpmem(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes), "hello", 5);
}

static void test_later_changes_do_not_reach(Fixture *f, gconstpointer data)
{
        g_autoptr(GBytes) original = test_eicar();
        gsize len;
        const char *orig = g_bytes_get_data(original, &len);
        g_autofree char *path = test_write_file(f->dir, "changing", orig, len);
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanSnapshot) s = scan_snapshot_take(path, f->spool, &error);
        g_assert_no_error(error);

        /* rewrite in place (same inode), grow, and replace the name: none may reach the snapshot */
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        g_assert_cmpint(fd, >=, 0);
        g_assert_cmpint(pwrite(fd, "clean clean clean", 17, 0), ==, 17);
        g_assert_cmpint(pwrite(fd, "more", 4, 1000), ==, 4);
        close(fd);
        g_autofree char *other = test_write_file(f->dir, "other", "x", 1);
        g_assert_cmpint(g_rename(other, path), ==, 0);

        g_autofree char *want_sha = sha256_of(orig, len);
        g_assert_cmpint(s->size, ==, (gint64)len);
        g_assert_cmpstr(s->sha256, ==, want_sha);
        g_autoptr(GBytes) bytes = snapshot_bytes(s);
        g_assert_true(g_bytes_equal(bytes, original));
}

static void test_sha256_and_size(Fixture *f, gconstpointer data)
{
        gsize len = 3 * 1024 * 1024 + 5; /* more than one copy block */
        g_autofree guint8 *buf = g_malloc(len);
        for (gsize i = 0; i < len; i++)
                buf[i] = (guint8)(i ^ (i >> 9));
        g_autofree char *path = test_write_file(f->dir, "big", buf, len);
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanSnapshot) s = scan_snapshot_take(path, f->spool, &error);
        g_assert_no_error(error);
        g_autofree char *want = sha256_of(buf, len);
        g_assert_cmpint(s->size, ==, (gint64)len);
        g_assert_cmpstr(s->sha256, ==, want);
        g_assert_cmpstr(s->path, ==, path);
}

static void test_empty_file(Fixture *f, gconstpointer data)
{
        g_autofree char *path = test_write_file(f->dir, "empty", "", 0);
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanSnapshot) s = scan_snapshot_take(path, f->spool, &error);
        g_assert_no_error(error);
        g_assert_cmpint(s->size, ==, 0);
        g_assert_cmpstr(s->sha256, ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_large_file_spools(Fixture *f, gconstpointer data)
{
        gsize len = 200 * 1024;
        g_autofree guint8 *buf = g_malloc(len);
        for (gsize i = 0; i < len; i++)
                buf[i] = (guint8)(i * 13);
        g_autofree char *path = test_write_file(f->dir, "large", buf, len);
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanSnapshot) s = scan_snapshot_take_with_limit(path, f->spool, 64 * 1024, &error);
        g_assert_no_error(error);
        g_assert_false(s->sealed);
        struct stat st;
        g_assert_cmpint(fstat(s->fd, &st), ==, 0);
        g_assert_true(S_ISREG(st.st_mode));
        g_assert_cmpint(st.st_mode & 0777, ==, 0600);
        g_assert_cmpint(st.st_nlink, ==, 0); /* unlinked: nobody can open it by name */
        struct stat spool;
        g_assert_cmpint(stat(f->spool, &spool), ==, 0);
        g_assert_cmpint(st.st_dev, ==, spool.st_dev); /* it lives where we asked */
        g_autoptr(GDir) dir = g_dir_open(f->spool, 0, NULL);
        g_assert_null(g_dir_read_name(dir));
        g_autoptr(GBytes) bytes = snapshot_bytes(s);
        g_assert_cmpmem(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes), buf, len);
        g_autofree char *want = sha256_of(buf, len);
        g_assert_cmpstr(s->sha256, ==, want);
}

static void test_unwritable_spool_is_error(Fixture *f, gconstpointer data)
{
        g_autofree char *path = test_write_file(f->dir, "large", "0123456789", 10);
        g_autofree char *missing = g_build_filename(f->dir, "no-such-dir", NULL);
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanSnapshot) s = scan_snapshot_take_with_limit(path, missing, 4, &error);
        g_assert_null(s);
        g_assert_error(error, SCAN_ERROR, SCAN_ERROR_LOCAL);
}

static void test_directory_is_refused(Fixture *f, gconstpointer data)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanSnapshot) s = scan_snapshot_take(f->spool, f->spool, &error);
        g_assert_null(s);
        g_assert_error(error, SCAN_ERROR, SCAN_ERROR_LOCAL);
        g_assert_nonnull(strstr(error->message, "directory"));
}

static void test_fifo_is_refused(Fixture *f, gconstpointer data)
{
        g_autofree char *path = g_build_filename(f->dir, "fifo", NULL);
        g_assert_cmpint(mkfifo(path, 0600), ==, 0);
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanSnapshot) s = scan_snapshot_take(path, f->spool, &error); /* must not block */
        g_assert_null(s);
        g_assert_error(error, SCAN_ERROR, SCAN_ERROR_LOCAL);
        g_assert_nonnull(strstr(error->message, "not a regular file"));
}

static void test_device_is_refused(Fixture *f, gconstpointer data)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanSnapshot) s = scan_snapshot_take("/dev/null", f->spool, &error);
        g_assert_null(s);
        g_assert_error(error, SCAN_ERROR, SCAN_ERROR_LOCAL);
}

static void test_missing_is_error(Fixture *f, gconstpointer data)
{
        g_autofree char *path = g_build_filename(f->dir, "missing", NULL);
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanSnapshot) s = scan_snapshot_take(path, f->spool, &error);
        g_assert_null(s);
        g_assert_error(error, SCAN_ERROR, SCAN_ERROR_LOCAL);
        g_assert_nonnull(strstr(error->message, "missing"));
}

static void test_symlink_is_followed(Fixture *f, gconstpointer data)
{
        g_autofree char *target = test_write_file(f->dir, "target", "target bytes", 12);
        g_autofree char *link = g_build_filename(f->dir, "link", NULL);
        g_assert_cmpint(symlink(target, link), ==, 0);
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanSnapshot) s = scan_snapshot_take(link, f->spool, &error);
        g_assert_no_error(error);
        g_autoptr(GBytes) bytes = snapshot_bytes(s);
        g_assert_cmpmem(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes), "target bytes", 12);
}


/* What sha256sum(1) says of path: the digest must agree with the tool, not only with GLib. */
static char *sha256sum_of(const char *path)
{
        g_autofree char *out = NULL;
        g_autoptr(GError) error = NULL;
        const char *argv[] = { "sha256sum", "--", path, NULL };
        int status = 0;
        if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                          &out, NULL, &status, &error))
                return NULL;
        if (!g_spawn_check_wait_status(status, NULL) || strlen(out) < 64)
                return NULL;
        return g_strndup(out, 64);
}

static guint8 *pattern(gsize len, guint seed)
{
        guint8 *buf = g_malloc(len);
        guint32 x = seed * 2654435761u + 1;
        for (gsize i = 0; i < len; i++) {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                buf[i] = (guint8)x;
        }
        return buf;
}

static void check_sha256sum(const char *path, const char *sha256)
{
        g_autofree char *tool = sha256sum_of(path);
        if (!tool) {
                g_test_skip("sha256sum did not run");
                return;
        }
        g_assert_cmpstr(sha256, ==, tool);
}

static void test_one_pass_digest_is_sha256sum(Fixture *f, gconstpointer data)
{
        static const gsize sizes[] = { 1, 4095, 4096, 4097, 1024 * 1024, 1024 * 1024 + 1, 5 * 1024 * 1024 + 7 };
        for (gsize i = 0; i < G_N_ELEMENTS(sizes); i++) {
                g_autofree guint8 *buf = pattern(sizes[i], (guint)i);
                g_autofree char *name = g_strdup_printf("file-%zu", sizes[i]);
                g_autofree char *path = test_write_file(f->dir, name, buf, sizes[i]);
                g_autoptr(GError) error = NULL;
                g_autoptr(ScanSnapshot) s = scan_snapshot_take(path, f->spool, &error);
                g_assert_no_error(error);
                g_assert_true(s->sealed); /* a memfd, copied and hashed in one pass */
                g_assert_cmpint(s->size, ==, (gint64)sizes[i]);
                check_sha256sum(path, s->sha256);
                g_autoptr(GBytes) bytes = snapshot_bytes(s);
                g_assert_cmpmem(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes), buf, sizes[i]);
        }
}

static void test_deferred_digest_is_sha256sum(Fixture *f, gconstpointer data)
{
        gsize len = 3 * 1024 * 1024 + 11;
        g_autofree guint8 *buf = pattern(len, 7);
        g_autofree char *path = test_write_file(f->dir, "spooled", buf, len);
        g_autoptr(GError) error = NULL;
        ScanSnapshotHow how = { .tmpdir = f->spool, .memfd_limit = 64 * 1024, .max_size = -1, .defer_digest = TRUE };
        g_autoptr(ScanSnapshot) s = scan_snapshot_take_how(path, &how, &error);
        g_assert_no_error(error);
        g_assert_false(s->sealed);
        g_assert_cmpint(how.file_size, ==, (gint64)len);
        g_assert_cmpint(s->size, ==, (gint64)len); /* known at once: the scanner may start */
        g_assert_true(scan_snapshot_finish(s, &error));
        g_assert_no_error(error);
        g_assert_null(s->pending);
        check_sha256sum(path, s->sha256);
        g_assert_true(scan_snapshot_finish(s, &error)); /* nothing left to wait for */
        g_autofree char *again = scan_snapshot_digest(s, "SHA256", &error);
        g_assert_cmpstr(again, ==, s->sha256);
}

static void test_deferred_digest_freed_unfinished(Fixture *f, gconstpointer data)
{
        gsize len = 2 * 1024 * 1024;
        g_autofree guint8 *buf = pattern(len, 3);
        g_autofree char *path = test_write_file(f->dir, "spooled", buf, len);
        ScanSnapshotHow how = { .tmpdir = f->spool, .memfd_limit = 4096, .max_size = -1, .defer_digest = TRUE };
        ScanSnapshot *s = scan_snapshot_take_how(path, &how, NULL);
        g_assert_nonnull(s);
        g_autoptr(GError) error = NULL;
        g_assert_null(scan_snapshot_digest(s, "SHA256", &error)); /* not before it is finished */
        g_assert_error(error, SCAN_ERROR, SCAN_ERROR_LOCAL);
        scan_snapshot_free(s); /* joins the thread before the descriptor goes */
}

/* Read and write syscalls of this process so far (/proc/self/io), -1 when not readable. */
static gint64 io_syscalls(void)
{
        g_autofree char *text = NULL;
        if (!g_file_get_contents("/proc/self/io", &text, NULL, NULL))
                return -1;
        gint64 total = 0;
        for (const char *key = "syscr: "; key; key = g_str_equal(key, "syscr: ") ? "syscw: " : NULL) {
                const char *at = strstr(text, key);
                if (!at)
                        return -1;
                total += g_ascii_strtoll(at + strlen(key), NULL, 10);
        }
        return total;
}

static guint open_fds(void)
{
        g_autoptr(GDir) dir = g_dir_open("/proc/self/fd", 0, NULL);
        guint n = 0;
        while (dir && g_dir_read_name(dir))
                n++;
        return n;
}

static void test_too_large_refused_before_copy(Fixture *f, gconstpointer data)
{
        /* 3 GiB, sparse: copying it would take many seconds and thousands of syscalls */
        g_autofree char *path = g_build_filename(f->dir, "huge", NULL);
        int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        g_assert_cmpint(fd, >=, 0);
        g_assert_cmpint(ftruncate(fd, G_GINT64_CONSTANT(3) << 30), ==, 0);
        close(fd);
        guint fds = open_fds();
        gint64 before = io_syscalls();
        gint64 reading = io_syscalls() - before; /* what reading /proc/self/io costs */
        before += reading;
        g_autoptr(GError) error = NULL;
        ScanSnapshotHow how = { .tmpdir = f->spool, .memfd_limit = SCAN_SNAPSHOT_MEMFD_LIMIT,
                                .max_size = 100 * 1024 * 1024, .defer_digest = TRUE };
        g_autoptr(ScanSnapshot) s = scan_snapshot_take_how(path, &how, &error);
        gint64 after = io_syscalls();
        g_assert_null(s);
        g_assert_error(error, SCAN_SNAPSHOT_ERROR, SCAN_SNAPSHOT_ERROR_TOO_LARGE);
        g_assert_nonnull(strstr(error->message, "huge"));
        g_assert_cmpint(how.file_size, ==, G_GINT64_CONSTANT(3) << 30);
        if (before >= 0) /* not one read or write: nothing was copied or hashed */
                g_assert_cmpint(after - reading, ==, before);
        g_assert_cmpuint(open_fds(), ==, fds); /* no memfd or spool file left open */
        g_autoptr(GDir) dir = g_dir_open(f->spool, 0, NULL);
        g_assert_null(g_dir_read_name(dir)); /* and none created by name */

        /* at the limit exactly it is taken */
        g_clear_error(&error);
        g_autofree char *small = test_write_file(f->dir, "limit", "12345678", 8);
        how.max_size = 8;
        g_autoptr(ScanSnapshot) fits = scan_snapshot_take_how(small, &how, &error);
        g_assert_no_error(error);
        g_assert_cmpint(fits->size, ==, 8);
}

/* ---- reflinks on XFS --------------------------------------------------------------------- */

static gboolean run_quiet(const char *const *argv, char **why)
{
        g_autofree char *err = NULL;
        g_autoptr(GError) error = NULL;
        int status = 0;
        if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                          NULL, &err, &status, &error)) {
                *why = g_strdup(error->message);
                return FALSE;
        }
        if (!g_spawn_check_wait_status(status, NULL)) {
                *why = g_strdup_printf("%s: %s", argv[0], err ? g_strstrip(err) : "failed");
                return FALSE;
        }
        return TRUE;
}

/* An XFS file system with reflink on a loop device at f->dir/xfs, in a mount namespace of this
 * process's own (so it goes away with the process, even when an assertion stops it). NULL and a
 * skip with the reason when that cannot be made here. transfer full */
static char *mount_xfs(Fixture *f)
{
        if (geteuid() != 0) {
                g_test_skip("needs root to mount a loop device");
                return NULL;
        }
        g_autofree char *mkfs = g_find_program_in_path("mkfs.xfs");
        if (!mkfs && g_file_test("/usr/sbin/mkfs.xfs", G_FILE_TEST_IS_EXECUTABLE))
                mkfs = g_strdup("/usr/sbin/mkfs.xfs");
        if (!mkfs) {
                g_test_skip("mkfs.xfs is not installed (xfsprogs; tools/install-deps)");
                return NULL;
        }
        if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
                g_autofree char *why = g_strdup_printf("no private mount namespace: %s", g_strerror(errno));
                g_test_skip(why);
                return NULL;
        }
        g_autofree char *image = g_build_filename(f->dir, "xfs.img", NULL);
        char *mnt = g_build_filename(f->dir, "xfs", NULL);
        g_assert_cmpint(g_mkdir(mnt, 0700), ==, 0);
        int fd = open(image, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        g_assert_cmpint(fd, >=, 0);
        g_assert_cmpint(ftruncate(fd, 320 * 1024 * 1024), ==, 0); /* sparse; XFS wants 300 MiB */
        close(fd);
        g_autofree char *why = NULL;
        const char *mkfs_argv[] = { mkfs, "-q", "-m", "reflink=1", image, NULL };
        const char *mount_argv[] = { "mount", "-o", "loop", "-t", "xfs", image, mnt, NULL };
        if (!run_quiet(mkfs_argv, &why) || !run_quiet(mount_argv, &why)) {
                g_autofree char *skip = g_strdup_printf("no XFS loop mount here (%s)", why);
                g_test_skip(skip);
                g_rmdir(mnt);
                g_free(mnt);
                return NULL;
        }
        return mnt;
}

static void unmount_xfs(char *mnt)
{
        g_autofree char *why = NULL;
        const char *argv[] = { "umount", mnt, NULL };
        if (!run_quiet(argv, &why))
                g_error("%s", why);
        g_rmdir(mnt);
        g_free(mnt);
}

/* Rewrites the source in place and shrinks it: a reflinked snapshot must not see any of it. */
static void check_reflink_keeps_bytes(const char *path, const char *tmpdir, gboolean defer, const guint8 *orig,
                                      gsize len, dev_t dev)
{
        g_autoptr(GError) error = NULL;
        ScanSnapshotHow how = { .tmpdir = tmpdir, .memfd_limit = 64 * 1024, .max_size = -1, .defer_digest = defer };
        g_autoptr(ScanSnapshot) s = scan_snapshot_take_how(path, &how, &error);
        g_assert_no_error(error);
        g_assert_true(s->reflinked);
        g_assert_true(scan_snapshot_finish(s, &error));
        struct stat st;
        g_assert_cmpint(fstat(s->fd, &st), ==, 0);
        g_assert_cmpint(st.st_dev, ==, dev);       /* on the source's file system */
        g_assert_cmpint(st.st_nlink, ==, 0);       /* never named */
        g_assert_cmpint(st.st_mode & 0777, ==, 0600);
        g_autofree char *want = sha256_of(orig, len);
        g_assert_cmpstr(s->sha256, ==, want);

        int fd = open(path, O_WRONLY | O_CLOEXEC);
        g_assert_cmpint(fd, >=, 0);
        g_autofree guint8 *other = pattern(len, 99);
        g_assert_cmpint(pwrite(fd, other, len, 0), ==, (gssize)len);
        g_assert_cmpint(fsync(fd), ==, 0);
        g_assert_cmpint(ftruncate(fd, len / 2), ==, 0);
        close(fd);

        g_assert_cmpint(s->size, ==, (gint64)len);
        g_autoptr(GBytes) bytes = snapshot_bytes(s);
        g_assert_cmpmem(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes), orig, len);
        g_autofree char *fresh = sha256_of(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes));
        g_assert_cmpstr(fresh, ==, want);
        /* put the source back for the next check */
        g_autofree char *dir = g_path_get_dirname(path);
        g_autofree char *base = g_path_get_basename(path);
        g_autofree char *back = test_write_file(dir, base, orig, len);
}

static void test_reflink_on_xfs(Fixture *f, gconstpointer data)
{
        char *mnt = mount_xfs(f);
        if (!mnt)
                return;
        gsize len = 4 * 1024 * 1024 + 3;
        g_autofree guint8 *orig = pattern(len, 5);
        g_autofree char *path = test_write_file(mnt, "source", orig, len);
        g_autofree char *xfs_spool = g_build_filename(mnt, "spool", NULL);
        g_assert_cmpint(g_mkdir(xfs_spool, 0700), ==, 0);
        struct stat st;
        g_assert_cmpint(stat(mnt, &st), ==, 0);
        /* the spool on the same XFS; then the spool elsewhere (an O_TMPFILE beside the source) */
        check_reflink_keeps_bytes(path, xfs_spool, FALSE, orig, len, st.st_dev);
        check_reflink_keeps_bytes(path, f->spool, TRUE, orig, len, st.st_dev);
        GDir *dir = g_dir_open(mnt, 0, NULL);
        guint names = 0;
        while (g_dir_read_name(dir))
                names++;
        g_dir_close(dir);
        g_assert_cmpuint(names, ==, 2); /* source and spool: no snapshot left with a name */
        unmount_xfs(mnt);
}

static void test_no_reflink_on_ext4_copies(Fixture *f, gconstpointer data)
{
        gsize len = 256 * 1024;
        g_autofree guint8 *buf = pattern(len, 11);
        g_autofree char *path = test_write_file(f->dir, "copied", buf, len);
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanSnapshot) s = scan_snapshot_take_with_limit(path, f->spool, 4096, &error);
        g_assert_no_error(error);
        int probe = open(f->dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
        gboolean can_clone = FALSE;
        if (probe >= 0) {
                int src = open(path, O_RDONLY | O_CLOEXEC);
                can_clone = src >= 0 && ioctl(probe, FICLONE, src) == 0;
                if (src >= 0)
                        close(src);
                close(probe);
        }
        g_assert_cmpint(s->reflinked, ==, can_clone); /* a copy exactly where blocks cannot be shared */
        g_autofree char *want = sha256_of(buf, len);
        g_assert_cmpstr(s->sha256, ==, want);
}

#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        ADD("/scan/snapshot/memfd-is-sealed-against-writes", test_memfd_is_sealed);
        ADD("/scan/snapshot/later-changes-do-not-reach-the-snapshot", test_later_changes_do_not_reach);
        ADD("/scan/snapshot/sha256-and-size-describe-the-snapshot", test_sha256_and_size);
        ADD("/scan/snapshot/empty-file", test_empty_file);
        ADD("/scan/snapshot/large-file-spools-to-unlinked-0600-file", test_large_file_spools);
        ADD("/scan/snapshot/unusable-spool-dir-is-error", test_unwritable_spool_is_error);
        ADD("/scan/snapshot/directory-is-refused", test_directory_is_refused);
        ADD("/scan/snapshot/fifo-is-refused-without-blocking", test_fifo_is_refused);
        ADD("/scan/snapshot/device-is-refused", test_device_is_refused);
        ADD("/scan/snapshot/missing-file-is-error", test_missing_is_error);
        ADD("/scan/snapshot/symlink-named-by-user-is-followed", test_symlink_is_followed);
        ADD("/scan/snapshot/one-pass-digest-is-sha256sum", test_one_pass_digest_is_sha256sum);
        ADD("/scan/snapshot/deferred-digest-is-sha256sum", test_deferred_digest_is_sha256sum);
        ADD("/scan/snapshot/deferred-digest-joined-when-freed", test_deferred_digest_freed_unfinished);
        ADD("/scan/snapshot/too-large-refused-before-any-copy", test_too_large_refused_before_copy);
        ADD("/scan/snapshot/copy-where-blocks-cannot-be-shared", test_no_reflink_on_ext4_copies);
        ADD("/scan/snapshot/reflink-on-xfs-keeps-bytes-when-source-rewritten", test_reflink_on_xfs);
        return g_test_run();
}
