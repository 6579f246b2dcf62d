/* scan/snapshot.h — the private, immutable copy of a file that is scanned and then uploaded.
 * Owns: taking the snapshot (sealed memfd up to a size limit, an unlinked temporary file beyond),
 * its size and SHA-256. Must not: re-open the user's path after the snapshot is taken.
 * This is the upload guarantee of DESIGN.md: the bytes uploaded are the bytes scanned. */
#pragma once
#include <glib.h>

#define SCAN_SNAPSHOT_MEMFD_LIMIT (64 * 1024 * 1024)

typedef struct {
        int fd;            /* read with pread(); never written after sealing */
        gint64 size;
        gint64 mtime;      /* the file's modification time when it was copied (unix time) */
        char sha256[65];   /* hex */
        char *path;        /* the user's path, for messages and the audit log */
        gboolean sealed;   /* a sealed memfd (no writes possible) */
} ScanSnapshot;

/* Copies path (relative to the current directory, or absolute; a symlink the user named is
 * followed) into a private snapshot. Fails on anything but a regular file (checked with fstat on
 * the opened descriptor). tmpdir: where large snapshots are spooled (NULL: g_get_tmp_dir()). */
ScanSnapshot *scan_snapshot_take(const char *path, const char *tmpdir, GError **error);
/* The same with another memfd limit (files larger than memfd_limit are spooled to tmpdir). */
ScanSnapshot *scan_snapshot_take_with_limit(const char *path, const char *tmpdir, gint64 memfd_limit,
                                            GError **error);
/* The snapshot's digest by `algorithm` (an OpenSSL name: "SHA256", "SHA512", "SHA1", "MD5"; or
 * "CRC32", zlib's) in lowercase hex; SHA-256 is the one taken with the snapshot. transfer full */
char *scan_snapshot_digest(const ScanSnapshot *snapshot, const char *algorithm, GError **error);
void scan_snapshot_free(ScanSnapshot *snapshot);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScanSnapshot, scan_snapshot_free)
