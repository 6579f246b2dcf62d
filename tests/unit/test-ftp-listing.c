/* tests/unit/test-ftp-listing.c — one table row per listing format or quirk (unix ls -l, DOS/IIS,
 * EPLF, MLSD, VMS), plus whole bodies with mixed line endings. Must not: do I/O. */
#include "ftp/listing.h"

#include <string.h>

#define NOW G_GINT64_CONSTANT(1718409600) /* 2024-06-15 00:00:00 UTC */
#define MLSD FTP_LISTING_MLSD
#define LIST FTP_LISTING_LIST
#define F FTP_ENTRY_FILE
#define D FTP_ENTRY_DIR
#define L FTP_ENTRY_LINK
#define O FTP_ENTRY_OTHER

typedef struct {
        const char *path;
        FtpListingKind kind;
        const char *line;
        gboolean entry;     /* FALSE: the line carries no entry */
        FtpEntryType type;
        const char *name;
        gint64 size;
        gint64 mtime;
        const char *perms;
        const char *target;
} ListingCase;

static const ListingCase cases[] = {
        /* unix ls -l */
        { "/ftp/listing/unix/file-with-group-and-time", LIST,
          "-rw-r--r--   1 owner    group        1234 Jan  5 12:34 notes.txt", TRUE, F, "notes.txt", 1234,
          1704458040, "rw-r--r--", NULL },
        { "/ftp/listing/unix/file-with-year", LIST, "-rw-r--r--   1 owner    group        1234 Jan  5  2023 old.txt",
          TRUE, F, "old.txt", 1234, 1672876800, "rw-r--r--", NULL },
        { "/ftp/listing/unix/without-group", LIST, "-rw-r--r--   1 owner        1234 Jan  5 12:34 nogroup.txt", TRUE,
          F, "nogroup.txt", 1234, 1704458040, "rw-r--r--", NULL },
        { "/ftp/listing/unix/without-link-count", LIST, "-rw-r--r-- owner group 1234 Jan 5 2023 nolinks", TRUE, F,
          "nolinks", 1234, 1672876800, "rw-r--r--", NULL },
        { "/ftp/listing/unix/directory", LIST, "drwxr-xr-x   2 ftp      ftp          4096 Dec 24 09:15 pub", TRUE,
          D, "pub", 4096, 1703409300, "rwxr-xr-x", NULL },
        { "/ftp/listing/unix/name-with-spaces", LIST,
          "-rw-r--r--   1 owner    group          10 Jan  5 12:34 my  file name.txt", TRUE, F,
          "my  file name.txt", 10, 1704458040, "rw-r--r--", NULL },
        { "/ftp/listing/unix/leading-and-trailing-spaces-kept", LIST,
          "-rw-r--r--   1 owner    group          10 Jan  5 12:34  padded ", TRUE, F, " padded ", 10,
          1704458040, "rw-r--r--", NULL },
        { "/ftp/listing/unix/symlink-with-target", LIST,
          "lrwxrwxrwx   1 owner    group          11 Jan  5 12:34 latest -> release-1.2", TRUE, L, "latest", 11,
          1704458040, "rwxrwxrwx", "release-1.2" },
        { "/ftp/listing/unix/symlink-names-with-spaces", LIST,
          "lrwxrwxrwx   1 owner    group          11 Jan  5 12:34 my link -> my target", TRUE, L, "my link", 11,
          1704458040, "rwxrwxrwx", "my target" },
        { "/ftp/listing/unix/arrow-in-file-name-kept", LIST,
          "-rw-r--r--   1 owner    group          11 Jan  5 12:34 a -> b", TRUE, F, "a -> b", 11, 1704458040,
          "rw-r--r--", NULL },
        { "/ftp/listing/unix/device-major-minor", LIST, "crw-rw----   1 root     disk       8,   0 Jan  5 12:34 sda",
          TRUE, O, "sda", -1, 1704458040, "rw-rw----", NULL },
        { "/ftp/listing/unix/device-major-minor-glued", LIST, "brw-rw---- 1 root disk 8,0 Jan 5 2023 sdb", TRUE, O,
          "sdb", -1, 1672876800, "rw-rw----", NULL },
        { "/ftp/listing/unix/numeric-uid-gid", LIST, "-rw-r--r--    1 1000     1000           42 Jan  5 13:34 n",
          TRUE, F, "n", 42, 1704461640, "rw-r--r--", NULL },
        { "/ftp/listing/unix/owner-named-like-a-month", LIST, "-rw-r--r-- 1 jan mar 7 Jan 5 2023 x", TRUE, F, "x", 7,
          1672876800, "rw-r--r--", NULL },
        { "/ftp/listing/unix/acl-marker-after-perms", LIST, "-rw-r--r--+  1 u g 5 Jan  5  2023 acl", TRUE, F, "acl",
          5, 1672876800, "rw-r--r--", NULL },
        { "/ftp/listing/unix/recent-date-is-this-year", LIST, "-rw-r--r-- 1 u g 5 Jun 16 08:00 soon", TRUE, F,
          "soon", 5, 1718524800, "rw-r--r--", NULL },
        { "/ftp/listing/unix/future-date-is-last-year", LIST, "-rw-r--r-- 1 u g 5 Jul  1 08:00 lastyear", TRUE, F,
          "lastyear", 5, 1688198400, "rw-r--r--", NULL },
        { "/ftp/listing/unix/huge-size-no-overflow", LIST, "-rw-r--r-- 1 u g 99999999999999999999 Jan 5 2023 big",
          TRUE, F, "big", -1, 1672876800, "rw-r--r--", NULL },
        { "/ftp/listing/unix/traversal-name-returned-as-sent", LIST, "-rw-r--r-- 1 u g 5 Jan 5 2023 ../../etc/x",
          TRUE, F, "../../etc/x", 5, 1672876800, "rw-r--r--", NULL },
        { "/ftp/listing/unix/escape-in-name-returned-as-sent", LIST, "-rw-r--r-- 1 u g 5 Jan 5 2023 \x1b[2Jx", TRUE,
          F, "\x1b[2Jx", 5, 1672876800, "rw-r--r--", NULL },
        { "/ftp/listing/unix/dot-skipped", LIST, "drwxr-xr-x 2 u g 4096 Jan 5 12:34 .", FALSE, 0, NULL, 0, 0, NULL,
          NULL },
        { "/ftp/listing/unix/dotdot-skipped", LIST, "drwxr-xr-x 2 u g 4096 Jan 5 12:34 ..", FALSE, 0, NULL, 0, 0,
          NULL, NULL },
        { "/ftp/listing/unix/total-line-skipped", LIST, "total 12", FALSE, 0, NULL, 0, 0, NULL, NULL },
        { "/ftp/listing/unix/blank-line-skipped", LIST, "", FALSE, 0, NULL, 0, 0, NULL, NULL },
        { "/ftp/listing/unix/no-name-skipped", LIST, "-rw-r--r-- 1 u g 5 Jan 5 2023", FALSE, 0, NULL, 0, 0, NULL,
          NULL },
        { "/ftp/listing/unix/no-date-skipped", LIST, "-rw-r--r-- 1 u g 5 yesterday name", FALSE, 0, NULL, 0, 0,
          NULL, NULL },
        { "/ftp/listing/unix/garbage-skipped", LIST, "Permission denied on this directory", FALSE, 0, NULL, 0, 0,
          NULL, NULL },
        /* DOS / IIS */
        { "/ftp/listing/dos/directory-am-pm", LIST, "01-05-24  12:34PM       <DIR>          dir name", TRUE, D,
          "dir name", -1, 1704458040, NULL, NULL },
        { "/ftp/listing/dos/file-am-pm", LIST, "01-05-24  01:34PM                 1234 file.txt", TRUE, F,
          "file.txt", 1234, 1704461640, NULL, NULL },
        { "/ftp/listing/dos/midnight-12am", LIST, "01-05-23  12:00AM                    7 midnight", TRUE, F,
          "midnight", 7, 1672876800, NULL, NULL },
        { "/ftp/listing/dos/size-with-commas", LIST, "01-05-2024  13:34            1,234,567 big file.iso", TRUE, F,
          "big file.iso", 1234567, 1704461640, NULL, NULL },
        { "/ftp/listing/dos/four-digit-year-24h", LIST, "03-17-1998  00:00                  12 y2k.txt", TRUE, F,
          "y2k.txt", 12, 890092800, NULL, NULL },
        { "/ftp/listing/dos/dot-skipped", LIST, "01-05-24  12:34PM       <DIR>          .", FALSE, 0, NULL, 0, 0,
          NULL, NULL },
        { "/ftp/listing/dos/bad-size-skipped", LIST, "01-05-24  12:34PM       12x4 name", FALSE, 0, NULL, 0, 0, NULL,
          NULL },
        { "/ftp/listing/dos/hour-13-pm-skipped", LIST, "01-05-24  13:34PM       12 name", FALSE, 0, NULL, 0, 0,
          NULL, NULL },
        /* EPLF */
        { "/ftp/listing/eplf/file", LIST, "+i8388621.48594,m825718503,r,s280,\tdjb.html", TRUE, F, "djb.html", 280,
          825718503, NULL, NULL },
        { "/ftp/listing/eplf/directory", LIST, "+i8388621.50690,m824255907,/,\t514", TRUE, D, "514", -1, 824255907,
          NULL, NULL },
        { "/ftp/listing/eplf/name-with-spaces-and-perms", LIST, "+m825718503,r,s1,up644,\t a b ", TRUE, F, " a b ",
          1, 825718503, "rw-r--r--", NULL },
        { "/ftp/listing/eplf/no-tab-skipped", LIST, "+i1,r,s5, name", FALSE, 0, NULL, 0, 0, NULL, NULL },
        /* MLSD */
        { "/ftp/listing/mlsd/file", MLSD, "type=file;size=1234;modify=20240229123456;perm=r; notes.txt", TRUE, F,
          "notes.txt", 1234, 1709210096, NULL, NULL },
        { "/ftp/listing/mlsd/facts-mixed-case", MLSD, "Type=FILE;Size=5;Modify=20240229123456;UNIX.Mode=0640; m",
          TRUE, F, "m", 5, 1709210096, "rw-r-----", NULL },
        { "/ftp/listing/mlsd/directory-sizd", MLSD, "type=dir;sizd=4096;modify=20240229123456; sub", TRUE, D, "sub",
          4096, 1709210096, NULL, NULL },
        { "/ftp/listing/mlsd/no-trailing-semicolon", MLSD, "type=file;size=9 ncftpd.txt", TRUE, F, "ncftpd.txt", 9,
          -1, NULL, NULL },
        { "/ftp/listing/mlsd/modify-with-milliseconds", MLSD, "type=file;modify=20240229123456.123; ms", TRUE, F,
          "ms", -1, 1709210096, NULL, NULL },
        { "/ftp/listing/mlsd/cdir-skipped", MLSD, "type=cdir;modify=20240229123456; /pub", FALSE, 0, NULL, 0, 0,
          NULL, NULL },
        { "/ftp/listing/mlsd/pdir-skipped", MLSD, "type=pdir;modify=20240229123456; ..", FALSE, 0, NULL, 0, 0, NULL,
          NULL },
        { "/ftp/listing/mlsd/dot-dir-skipped", MLSD, "type=dir; .", FALSE, 0, NULL, 0, 0, NULL, NULL },
        { "/ftp/listing/mlsd/os-unix-slink", MLSD, "type=OS.unix=slink:/etc/passwd;size=11; evil", TRUE, L, "evil",
          11, -1, NULL, "/etc/passwd" },
        { "/ftp/listing/mlsd/os-unix-symlink", MLSD, "type=OS.unix=symlink;size=3; lnk", TRUE, L, "lnk", 3, -1, NULL,
          NULL },
        { "/ftp/listing/mlsd/unknown-type-is-other", MLSD, "type=OS.unix=chr-8/0; tty", TRUE, O, "tty", -1, -1,
          NULL, NULL },
        { "/ftp/listing/mlsd/spaces-in-name-kept-exact", MLSD, "type=file;size=1;  two  spaces  ", TRUE, F,
          " two  spaces  ", 1, -1, NULL, NULL },
        { "/ftp/listing/mlsd/name-with-slash-returned-as-sent", MLSD, "type=file;size=1; a/../../b", TRUE, F,
          "a/../../b", 1, -1, NULL, NULL },
        { "/ftp/listing/mlsd/empty-name-returned-as-sent", MLSD, "type=file;size=1; ", TRUE, F, "", 1, -1, NULL,
          NULL },
        { "/ftp/listing/mlsd/bad-size-unknown", MLSD, "type=file;size=-5;modify=20241301000000; odd", TRUE, F, "odd",
          -1, -1, NULL, NULL },
        { "/ftp/listing/mlsd/no-facts-skipped", MLSD, "-rw-r--r-- 1 u g 5 Jan 5 2023 x", FALSE, 0, NULL, 0, 0, NULL,
          NULL },
        { "/ftp/listing/mlsd/no-space-skipped", MLSD, "type=file;size=1;", FALSE, 0, NULL, 0, 0, NULL, NULL },
};

/* One line parsed; NULL (asserted) when the row expects no entry. */
static FtpEntry *parse_row(const char *line, FtpListingKind kind, gboolean entry)
{
        FtpEntry *e = ftp_listing_parse_line(line, kind, NOW);
        if (!entry && e)
                g_test_message("unexpected entry \"%s\"", e->name);
        g_assert_cmpint(e != NULL, ==, entry);
        return e;
}

static void test_line(gconstpointer data)
{
        const ListingCase *c = data;
        g_autoptr(FtpEntry) e = parse_row(c->line, c->kind, c->entry);
        if (!e)
                return;
        g_assert_cmpstr(e->name, ==, c->name);
        g_assert_cmpint(e->type, ==, c->type);
        g_assert_cmpint(e->size, ==, c->size);
        g_assert_cmpint(e->mtime, ==, c->mtime);
        /* to the second only from MLSD's modify and EPLF's unix time, never a listing's date */
        gboolean exact = c->mtime >= 0 && (c->kind == FTP_LISTING_MLSD || c->line[0] == '+');
        g_assert_cmpint(e->mtime_exact, ==, exact);
        g_assert_cmpstr(e->perms, ==, c->perms);
        g_assert_cmpstr(e->link_target, ==, c->target);
        g_autoptr(FtpEntry) copy = ftp_entry_copy(e);
        g_assert_cmpstr(copy->name, ==, e->name);
        g_assert_cmpstr(copy->link_target, ==, e->link_target);
        g_assert_cmpint(copy->size, ==, e->size);
}

/* OpenVMS (UCX, MultiNet, TCPware) LIST lines: sizes are blocks (512 bytes, approximate), names
 * carry a version that is not part of the name, directories are NAME.DIR files. */
typedef struct {
        const char *path;
        const char *line;
        gboolean entry;
        FtpEntryType type;
        const char *name;
        gint64 size;      /* >= 0: approximate (blocks × 512) */
        gint64 mtime;
} VmsCase;

static const VmsCase vms_cases[] = {
        { "/ftp/listing/vms/file-used-and-allocated-blocks",
          "NAME.EXT;1          12/16      24-NOV-2026 10:11:12  [GROUP,OWNER]    (RWED,RWED,RE,)", TRUE, F,
          "NAME.EXT", 12 * 512, 1795515072 },
        { "/ftp/listing/vms/directory-drops-dir-and-version",
          "SUBDIR.DIR;1          1/3      24-NOV-2026 10:11:12  [GROUP,OWNER]    (RWE,RWE,RE,E)", TRUE, D,
          "SUBDIR", -1, 1795515072 },
        { "/ftp/listing/vms/blocks-only-no-seconds", "README.TXT;27   5  24-NOV-2026 10:11  [SYSTEM]  (RWED,RWED,RE,RE)",
          TRUE, F, "README.TXT", 5 * 512, 1795515060 },
        { "/ftp/listing/vms/hundredths-of-seconds",
          "LOGIN.COM;3       2/3   29-FEB-2024 23:59:59.99  [USER]  (RWED,RWED,,)", TRUE, F, "LOGIN.COM", 1024,
          1709251199 },
        { "/ftp/listing/vms/single-digit-day-lower-case-month", "DATA.BIN;1   0/0   2-jan-1999 00:00:00", TRUE, F,
          "DATA.BIN", 0, 915235200 },
        { "/ftp/listing/vms/no-time-no-owner", "NOTES.;1  4/6  24-NOV-2026", TRUE, F, "NOTES.", 4 * 512,
          1795478400 },
        { "/ftp/listing/vms/owner-right-after-date", "A.B;2  1/2  5-MAR-2023 [G,O] (RWED,RWED,RE,)", TRUE, F, "A.B",
          512, 1677974400 },
        { "/ftp/listing/vms/no-privilege-listed-unknown",
          "SECRET.DAT;1        %RMS-E-PRV, insufficient privilege or file protection violation", TRUE, F,
          "SECRET.DAT", -1, -1 },
        { "/ftp/listing/vms/huge-block-count-no-overflow", "BIG.DAT;1  99999999999999999/1  24-NOV-2026 10:11:12",
          FALSE, 0, NULL, 0, 0 },
        { "/ftp/listing/vms/name-alone-is-no-entry", "A_VERY_LONG_FILE_NAME_INDEED.TXT;1", FALSE, 0, NULL, 0, 0 },
        { "/ftp/listing/vms/directory-header-skipped", "Directory DISK$USER:[ANONYMOUS.PUB]", FALSE, 0, NULL, 0, 0 },
        { "/ftp/listing/vms/total-line-skipped", "Total of 3 files, 17/25 blocks.", FALSE, 0, NULL, 0, 0 },
        { "/ftp/listing/vms/version-not-a-number-skipped", "NAME.EXT;X  1/2  24-NOV-2026 10:11:12", FALSE, 0, NULL,
          0, 0 },
        { "/ftp/listing/vms/month-13-skipped", "NAME.EXT;1  1/2  24-XYZ-2026 10:11:12", FALSE, 0, NULL, 0, 0 },
        { "/ftp/listing/vms/bad-clock-skipped", "NAME.EXT;1  1/2  24-NOV-2026 25:11:12", FALSE, 0, NULL, 0, 0 },
        { "/ftp/listing/vms/empty-name-skipped", ";1  1/2  24-NOV-2026 10:11:12", FALSE, 0, NULL, 0, 0 },
        { "/ftp/listing/vms/dot-is-no-entry", ".;1  1/2  24-NOV-2026 10:11:12", FALSE, 0, NULL, 0, 0 },
        { "/ftp/listing/vms/dot-dir-is-no-entry", "..DIR;1  1/2  24-NOV-2026 10:11:12", FALSE, 0, NULL, 0, 0 },
        { "/ftp/listing/vms/dotdot-dir-is-no-entry", "...DIR;1  1/2  24-NOV-2026 10:11:12", FALSE, 0, NULL, 0, 0 },
};

static void test_vms_line(gconstpointer data)
{
        const VmsCase *c = data;
        g_autoptr(FtpEntry) e = parse_row(c->line, LIST, c->entry);
        if (!e)
                return;
        g_assert_cmpstr(e->name, ==, c->name);
        g_assert_cmpint(e->type, ==, c->type);
        g_assert_cmpint(e->size, ==, c->size);
        g_assert_cmpint(e->size_approximate, ==, c->size >= 0);
        g_assert_cmpint(e->mtime, ==, c->mtime);
        g_assert_null(e->link_target);
        g_autoptr(FtpEntry) copy = ftp_entry_copy(e);
        g_assert_cmpint(copy->size_approximate, ==, e->size_approximate);
}

static void test_body_vms_multiline(void)
{
        static const char body[] = "\r\n"
                                   "Directory DISK$USER:[ANONYMOUS.PUB]\r\n"
                                   "\r\n"
                                   "AAAREADME.TXT;2      3/4      24-NOV-2026 10:11:12  [SYSTEM]  (RWED,RWED,RE,RE)\r\n"
                                   "A_NAME_TOO_LONG_FOR_ITS_COLUMN_IN_THE_LISTING.TXT;12\r\n"
                                   "                     7/8      24-NOV-2026 10:11:12  [SYSTEM]  (RWED,RWED,RE,RE)\r\n"
                                   "ANOTHER_VERY_LONG_DIRECTORY_NAME_FOR_THE_COLUMN.DIR;1\r\n"
                                   "                     1/3      24-NOV-2026 10:11:12  [SYSTEM]  (RWE,RWE,RE,E)\r\n"
                                   "ORPHAN_NAME_THEN_GARBAGE.TXT;1\r\n"
                                   "Total of 4 files, 11/15 blocks.\r\n";
        g_autoptr(GPtrArray) entries = ftp_listing_parse(body, sizeof body - 1, LIST, NOW);
        g_assert_cmpuint(entries->len, ==, 3);
        const FtpEntry *first = g_ptr_array_index(entries, 0);
        const FtpEntry *joined = g_ptr_array_index(entries, 1);
        const FtpEntry *dir = g_ptr_array_index(entries, 2);
        g_assert_cmpstr(first->name, ==, "AAAREADME.TXT");
        g_assert_cmpstr(joined->name, ==, "A_NAME_TOO_LONG_FOR_ITS_COLUMN_IN_THE_LISTING.TXT");
        g_assert_cmpint(joined->size, ==, 7 * 512);
        g_assert_cmpint(joined->mtime, ==, 1795515072);
        g_assert_cmpstr(dir->name, ==, "ANOTHER_VERY_LONG_DIRECTORY_NAME_FOR_THE_COLUMN");
        g_assert_cmpint(dir->type, ==, D);
}

static void test_mlsd_detection(void)
{
        static const struct {
                const char *body;
                gboolean mlsd;
        } rows[] = {
                { "type=file;size=3;modify=20240229123456; a\r\n", TRUE },
                { "\r\n  \r\ntype=dir; sub\r\n", TRUE },
                { "", TRUE },
                { "Type=FILE;Size=5 ncftpd-without-semicolon\r\n", TRUE },
                { "-rw-r--r-- 1 u g 5 Jan 5 2023 x=y\r\n", FALSE },
                { "01-05-24  12:34PM       <DIR>          dir\r\n", FALSE },
                { "MLSD is not supported; here is LIST instead\r\n", FALSE },
                { "=value; name\r\n", FALSE },
                { "type=file;size=3;no-space-at-all", FALSE },
        };
        for (gsize i = 0; i < G_N_ELEMENTS(rows); i++) {
                g_test_message("row %" G_GSIZE_FORMAT ": %s", i, rows[i].body);
                g_assert_cmpint(ftp_listing_is_mlsd(rows[i].body, strlen(rows[i].body)), ==, rows[i].mlsd);
        }
}

static void test_body_mixed_formats_and_endings(void)
{
        static const char body[] = "total 8\r\n"
                                   "drwxr-xr-x 2 u g 4096 Jan 5 12:34 .\r\n"
                                   "-rw-r--r-- 1 u g 5 Jan 5 2023 unix.txt\r\n"
                                   "01-05-24  12:34PM       <DIR>          iis dir\n"
                                   "+m825718503,r,s280,\teplf.html\r\n"
                                   "\r\n"
                                   "-rw-r--r-- 1 u g 5 Jan 5 2023 nul\0name\r\n"
                                   "-rw-r--r-- 1 u g 6 Jan 5 2023 last-without-newline";
        g_autoptr(GPtrArray) entries = ftp_listing_parse(body, sizeof body - 1, LIST, NOW);
        g_assert_cmpuint(entries->len, ==, 4);
        const char *names[] = { "unix.txt", "iis dir", "eplf.html", "last-without-newline" };
        for (guint i = 0; i < entries->len; i++) {
                FtpEntry *e = g_ptr_array_index(entries, i);
                g_assert_cmpstr(e->name, ==, names[i]);
        }
        g_assert_cmpint(((FtpEntry *)g_ptr_array_index(entries, 3))->size, ==, 6);
}

static void test_body_mlsd(void)
{
        static const char body[] = "type=cdir;modify=20240229123456; /pub\r\n"
                                   "type=pdir;modify=20240229123456; /\r\n"
                                   "type=dir;modify=20240229123456; sub\r\n"
                                   "type=file;size=3;modify=20240229123456;  sp\r\n";
        g_autoptr(GPtrArray) entries = ftp_listing_parse(body, sizeof body - 1, MLSD, NOW);
        g_assert_cmpuint(entries->len, ==, 2);
        g_assert_cmpstr(((FtpEntry *)g_ptr_array_index(entries, 0))->name, ==, "sub");
        g_assert_cmpstr(((FtpEntry *)g_ptr_array_index(entries, 1))->name, ==, " sp");
}

static void test_body_empty(void)
{
        g_autoptr(GPtrArray) entries = ftp_listing_parse("", 0, LIST, NOW);
        g_assert_nonnull(entries);
        g_assert_cmpuint(entries->len, ==, 0);
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        for (gsize i = 0; i < G_N_ELEMENTS(cases); i++)
                g_test_add_data_func(cases[i].path, &cases[i], test_line);
        for (gsize i = 0; i < G_N_ELEMENTS(vms_cases); i++)
                g_test_add_data_func(vms_cases[i].path, &vms_cases[i], test_vms_line);
        g_test_add_func("/ftp/listing/body/vms-name-alone-joins-next-line", test_body_vms_multiline);
        g_test_add_func("/ftp/listing/body/mlsd-detected-by-its-facts", test_mlsd_detection);
        g_test_add_func("/ftp/listing/body/mixed-formats-and-line-endings", test_body_mixed_formats_and_endings);
        g_test_add_func("/ftp/listing/body/mlsd-skips-cdir-pdir", test_body_mlsd);
        g_test_add_func("/ftp/listing/body/empty-is-empty-array", test_body_empty);
        return g_test_run();
}
