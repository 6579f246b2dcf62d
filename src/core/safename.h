/* core/safename.h — names that come from a server and become local files or terminal text.
 * Owns: the safety test for a server-supplied name, escaping for display, and the local file
 * helpers that never follow a planted symlink (openat under a directory fd, `.part`, renameat).
 * Must not: do network I/O, prompt, or print. */
#pragma once
#include <glib.h>
#include <sys/types.h>

#define CORE_LOCAL_ERROR (core_local_error_quark())
GQuark core_local_error_quark(void);
typedef enum {
        CORE_LOCAL_ERROR_UNSAFE_NAME, /* empty, ".", "..", '/', '\\', control characters, "C:" */
        CORE_LOCAL_ERROR_SYMLINK,     /* a symbolic link where a file or directory is written */
        CORE_LOCAL_ERROR_NOT_REGULAR, /* not a regular file (device, fifo, directory, hard link) */
        CORE_LOCAL_ERROR_NOT_DIRECTORY,
        CORE_LOCAL_ERROR_IO,          /* any other failure of the local file system */
} CoreLocalErrorCode;

/* TRUE when a name from the server may become one local path component: refuses the empty name,
 * ".", "..", any '/', '\\', control characters (< 0x20, 0x7f) and a drive prefix such as "C:". */
gboolean core_name_is_safe(const char *name);
/* Text safe to show on a terminal: control characters, ESC, C1 controls, bidi overrides and
 * invalid UTF-8 become \xNN (or \uNNNN); a backslash becomes "\\". NULL gives "". transfer full */
char *core_name_escape(const char *name);

/* Opens a directory the user named (symlinks the user typed are followed), for openat().
 * Returns an O_DIRECTORY descriptor, or -1 with an error naming the directory. */
int core_local_dir_open(const char *path, GError **error);
/* Opens the subdirectory `name` of dirfd with O_DIRECTORY|O_NOFOLLOW, creating it (0755) first
 * when `create` is set. A symbolic link there is refused (CORE_LOCAL_ERROR_SYMLINK). */
int core_local_subdir_open(int dirfd, const char *name, gboolean create, GError **error);

/* What is at `name` under dirfd, without following a symlink there. */
typedef enum {
        CORE_LOCAL_MISSING,
        CORE_LOCAL_REGULAR,
        CORE_LOCAL_DIRECTORY,
        CORE_LOCAL_SYMLINK,
        CORE_LOCAL_OTHER,
} CoreLocalKind;
CoreLocalKind core_local_kind(int dirfd, const char *name, gint64 *size);

/* Opens `<name>.part` under dirfd for writing, never through a symlink or a hard link:
 * - when it does not exist it is created (0644, O_EXCL);
 * - when it is a regular file and `resume` is set, it is opened at its end and *offset is its size;
 * - when it is a regular file and `resume` is not set, it is truncated (*offset = 0);
 * - anything else (symlink, fifo, directory, a file with other links) is refused.
 * Returns the descriptor or -1 with an error. */
int core_local_part_open(int dirfd, const char *name, gboolean resume, gint64 *offset,
                         GError **error);
/* Renames `<name>.part` to `name` under dirfd (renameat: a symlink at `name` is replaced, never
 * followed). */
gboolean core_local_part_finish(int dirfd, const char *name, GError **error);
/* Removes `<name>.part` (it is not followed if it became a symlink). */
void core_local_part_remove(int dirfd, const char *name);
char *core_local_part_name(const char *name); /* "<name>.part", transfer full */
