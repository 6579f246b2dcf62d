/* scan/snapshot.h — the private, immutable copy of a file that is scanned and then uploaded.
 * Owns: taking the snapshot (sealed memfd up to a size limit, beyond it a reflink where the file
 * system shares blocks, else an unlinked temporary file), its size and SHA-256.
 * Must not: re-open the user's path after the snapshot is taken.
 * This is the upload guarantee of DESIGN.md: the bytes uploaded are the bytes scanned. */
#pragma once
#include <glib.h>

#define SCAN_SNAPSHOT_MEMFD_LIMIT (64 * 1024 * 1024)

typedef struct {
        int fd;            /* read with pread(); never written after sealing */
        gint64 size;
        gint64 mtime;      /* the file's modification time when it was copied (unix time) */
        char sha256[65];   /* hex */
        char *path;        /* the user's path, for messages */
        char *absolute;    /* the same made absolute when it was taken (the audit log's "path") */
        gboolean sealed;   /* a sealed memfd (no writes possible) */
        gboolean reflinked;/* an unlinked file sharing the user's file's blocks (FICLONE), not a copy */
        struct ScanSnapshotDigest *pending; /* the SHA-256 still being computed: scan_snapshot_finish */
} ScanSnapshot;

/* A file larger than ScanSnapshotHow.max_size was not copied at all. */
#define SCAN_SNAPSHOT_ERROR (scan_snapshot_error_quark())
GQuark scan_snapshot_error_quark(void);
typedef enum {
        SCAN_SNAPSHOT_ERROR_TOO_LARGE,
} ScanSnapshotErrorCode;

typedef struct {
        const char *tmpdir;     /* where large snapshots are spooled (NULL: g_get_tmp_dir()) */
        gint64 memfd_limit;     /* larger files are not held in memory (SCAN_SNAPSHOT_MEMFD_LIMIT) */
        gint64 max_size;        /* a larger file is refused before any copy (SCAN_SNAPSHOT_ERROR_TOO_LARGE);
                                   negative: no limit */
        gboolean defer_digest;  /* a spooled snapshot's SHA-256 is computed on a thread of its own while
                                   the caller scans it; `sha256` is empty until scan_snapshot_finish */
        gint64 file_size;       /* out: the file's size when it was opened (-1: not opened) */
} ScanSnapshotHow;

/* Copies path (relative to the current directory, or absolute; a symlink the user named is
 * followed) into a private snapshot. Fails on anything but a regular file (checked with fstat on
 * the opened descriptor). tmpdir: where large snapshots are spooled (NULL: g_get_tmp_dir()). */
ScanSnapshot *scan_snapshot_take(const char *path, const char *tmpdir, GError **error);
/* The same with another memfd limit (files larger than memfd_limit are spooled to tmpdir). */
ScanSnapshot *scan_snapshot_take_with_limit(const char *path, const char *tmpdir, gint64 memfd_limit,
                                            GError **error);
/* The general form: see ScanSnapshotHow. With defer_digest, call scan_snapshot_finish before
 * reading `sha256` or handing the snapshot on. */
ScanSnapshot *scan_snapshot_take_how(const char *path, ScanSnapshotHow *how, GError **error);
/* Waits for a deferred SHA-256 (nothing to wait for otherwise); FALSE when it failed or the
 * snapshot no longer holds `size` bytes: the snapshot must not be used. */
gboolean scan_snapshot_finish(ScanSnapshot *snapshot, GError **error);
/* The snapshot's digest by `algorithm` (an OpenSSL name: "SHA256", "SHA512", "SHA1", "MD5"; or
 * "CRC32", zlib's) in lowercase hex; SHA-256 is the one taken with the snapshot. transfer full */
char *scan_snapshot_digest(const ScanSnapshot *snapshot, const char *algorithm, GError **error);
void scan_snapshot_free(ScanSnapshot *snapshot);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScanSnapshot, scan_snapshot_free)
