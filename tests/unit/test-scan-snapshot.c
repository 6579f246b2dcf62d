/* tests/unit/test-scan-snapshot.c — the upload guarantee: a snapshot is private and immutable,
 * its SHA-256 and size describe its own bytes, and only regular files are taken.
 * Must not: leave files behind in the test directory. */
#include "config.h"
#include "scan/snapshot.h"
#include "scan/client.h"
#include "scan-fake.h"
#include "tree-remove.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
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
        return g_test_run();
}
