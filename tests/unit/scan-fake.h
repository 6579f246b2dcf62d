/* tests/unit/scan-fake.h — a fake clamd-protocol scanner for the scan unit tests.
 * Owns: a GLib thread serving a unix socket in a private temp dir, one connection at a time,
 * with a chosen misbehaviour. Must not: be linked into anything but tests. */
#pragma once
#include <glib.h>

typedef enum {
        FAKE_REPLY,        /* reads the whole INSTREAM, then sends `reply` (exact bytes) and closes */
        FAKE_BY_CONTENT,   /* reads the whole INSTREAM, FOUND "Fake.Bad" if it holds "BAD", else OK */
        FAKE_CLOSE,        /* reads the whole INSTREAM, closes without a reply */
        FAKE_SILENT,       /* reads the whole INSTREAM, never answers (until the fake stops) */
        FAKE_EARLY_ERROR,  /* after the first chunk header: size-limit ERROR, then closes */
} FakeMode;

/* How the fake answers zFILDES. A file over FAKE_MAX_FILE_SIZE is never read: like clamd, the fake
 * flags it (Heuristics.Limits.Exceeded.MaxFileSize, AlertExceedsMax on) or, with
 * FAKE_FILDES_SKIPS_LARGE, answers OK without reading it (AlertExceedsMax off). */
typedef enum {
        FAKE_FILDES_UNKNOWN,     /* "UNKNOWN COMMAND" (a scanner without FILDES); the default */
        FAKE_FILDES_SCAN,        /* reads the passed file with read() and answers as `mode` says, named fd[N] */
        FAKE_FILDES_SKIPS_LARGE, /* the same, but OK for a file over FAKE_MAX_FILE_SIZE */
        FAKE_FILDES_NO_FD,       /* "FILDES: didn't receive file descriptor. ERROR" (a relay that drops it) */
        FAKE_FILDES_NO_FD_14,    /* clamd 1.4's and the agent's "No file descriptor received. ERROR" */
} FakeFildes;
#define FAKE_MAX_FILE_SIZE (64 * 1024 * 1024)

typedef struct FakeScanner FakeScanner;

/* reply/reply_len: for FAKE_REPLY (may lack the NUL on purpose), sent for INSTREAM and FILDES alike.
 * PING and VERSION always answer. */
FakeScanner *fake_scanner_new(FakeMode mode, const char *reply, gsize reply_len);
void fake_scanner_free(FakeScanner *fake);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FakeScanner, fake_scanner_free)
const char *fake_scanner_address(FakeScanner *fake); /* unix:/tmp/…/fake.sock */
/* The last stream received, reassembled from its chunks, or the last passed file's content as
 * read (transfer full). */
GBytes *fake_scanner_received(FakeScanner *fake);
guint fake_scanner_scans(FakeScanner *fake);     /* files read and answered (stream or FILDES) */
void fake_scanner_set_fildes(FakeScanner *fake, FakeFildes fildes);
guint fake_scanner_fildes(FakeScanner *fake);    /* zFILDES commands received */
guint fake_scanner_streams(FakeScanner *fake);   /* zINSTREAM commands received */
gsize fake_scanner_largest_chunk(FakeScanner *fake); /* of the INSTREAM chunks received */
/* Of the last passed descriptor: whether it was open for writing, and its size. */
gboolean fake_scanner_fd_writable(FakeScanner *fake);
gint64 fake_scanner_fd_size(FakeScanner *fake);
/* Makes the fake slow: each scan waits this long before it answers. */
void fake_scanner_set_delay_ms(FakeScanner *fake, guint delay_ms);
/* After each answer to a scan: waits delay_ms, then sends these bytes (none: len 0) before it
 * closes, like a scanner that says more, or keeps the connection open, after its verdict. */
void fake_scanner_set_after(FakeScanner *fake, const void *bytes, gsize len, guint delay_ms);

/* STATS answers `report` followed by "END" (clamd's form; NULL: UNKNOWN COMMAND, the default). */
void fake_scanner_set_stats(FakeScanner *fake, const char *report);
guint fake_scanner_stats_asked(FakeScanner *fake); /* zSTATS commands received */

/* The 68-byte EICAR test file, built at run time (transfer full). */
GBytes *test_eicar(void);
/* Writes contents to dir/name and returns the path (transfer full). */
char *test_write_file(const char *dir, const char *name, const void *data, gsize len);
