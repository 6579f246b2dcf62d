/* ftp/listing.h — directory listings from the server: MLSD facts, unix `ls -l`, DOS/IIS, EPLF, VMS.
 * Owns: turning one listing line into an FtpEntry, and format detection. Must not: do I/O, or
 * decide whether a name is safe to write locally (that is core's job). */
#pragma once
#include <glib.h>

typedef enum {
        FTP_ENTRY_FILE,
        FTP_ENTRY_DIR,
        FTP_ENTRY_LINK,
        FTP_ENTRY_OTHER,
} FtpEntryType;

typedef struct {
        char *name;        /* exactly as the server sent it (may be hostile: validate before use) */
        FtpEntryType type;
        gint64 size;       /* bytes, -1 when unknown */
        gint64 mtime;      /* unix time (UTC), -1 when unknown */
        gboolean mtime_exact; /* to the second (MLSD modify, EPLF), not a listing's rounded date */
        char *perms;       /* "rwxr-xr-x" style, or NULL */
        char *link_target; /* for FTP_ENTRY_LINK when known, else NULL */
        gboolean size_approximate; /* size counted in 512-byte blocks (VMS): the bytes are at most that */
} FtpEntry;

FtpEntry *ftp_entry_new(void);
FtpEntry *ftp_entry_copy(const FtpEntry *entry);
void ftp_entry_free(FtpEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FtpEntry, ftp_entry_free)

typedef enum {
        FTP_LISTING_MLSD,
        FTP_LISTING_LIST, /* unix, DOS/IIS, EPLF or VMS, detected per line */
} FtpListingKind;

/* One line (no CR/LF). Returns NULL for lines that carry no entry ("total 12", blank, MLSD
 * type=cdir/pdir, "." and ".."). `now` (unix time) resolves unix dates without a year. */
FtpEntry *ftp_listing_parse_line(const char *line, FtpListingKind kind, gint64 now);
/* A whole listing body (CRLF or LF lines). Returns FtpEntry* (never NULL; may be empty). In a
 * LIST body a VMS name alone on its line is joined with the line that follows (long names). */
GPtrArray *ftp_listing_parse(const char *data, gsize len, FtpListingKind kind, gint64 now);
/* TRUE when a body answering MLSD is MLSD: its first non-blank line starts with "fact=value;"
 * facts (an empty body counts). FALSE for a server that answers MLSD with an `ls -l` listing. */
gboolean ftp_listing_is_mlsd(const char *data, gsize len);
