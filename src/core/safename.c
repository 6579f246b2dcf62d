/* core/safename.c — server-supplied names: the safety test, terminal escaping, and local writes
 * that never follow a planted symlink (openat under a directory fd, O_NOFOLLOW, renameat).
 * Must not: do network I/O, prompt or print; it refuses and says why through GError. */
#include "core/safename.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/escape.h"
#include "common/i18n.h"
#include "common/quark.h"

COMMON_DEFINE_QUARK(core-local-error-quark, core_local_error)

gboolean core_name_is_safe(const char *name)
{
        if (name == NULL || name[0] == '\0')
                return FALSE;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
                return FALSE;
        /* A drive prefix ("C:", "c:x") means a path on another system. */
        if (g_ascii_isalpha(name[0]) && name[1] == ':')
                return FALSE;
        for (const unsigned char *p = (const unsigned char *)name; *p != '\0'; p++) {
                if (*p == '/' || *p == '\\' || *p < 0x20 || *p == 0x7f)
                        return FALSE;
        }
        return TRUE;
}

char *core_name_escape(const char *name)
{
        return common_text_escape(name);
}

/* `format` is one of this file's translated "…%s…%s." messages (name, then strerror). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void set_errno_error(GError **error, int err, const char *format, const char *name)
{
        g_autofree char *shown = core_name_escape(name);
        int code = CORE_LOCAL_ERROR_IO;
        if (err == ELOOP)
                code = CORE_LOCAL_ERROR_SYMLINK;
        else if (err == ENOTDIR)
                code = CORE_LOCAL_ERROR_NOT_DIRECTORY;
        g_set_error(error, CORE_LOCAL_ERROR, code, format, shown, g_strerror(err));
}
#pragma GCC diagnostic pop

int core_local_dir_open(const char *path, GError **error)
{
        int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd >= 0)
                return fd;
        int err = errno;
        g_autofree char *shown = core_name_escape(path);
        if (err == ENOENT || err == ENOTDIR) {
                g_set_error(error, CORE_LOCAL_ERROR, CORE_LOCAL_ERROR_NOT_DIRECTORY,
                            _("The local directory %s does not exist; create it or choose another."),
                            shown);
                return -1;
        }
        g_set_error(error, CORE_LOCAL_ERROR, CORE_LOCAL_ERROR_IO,
                    _("Cannot open the local directory %s: %s."), shown, g_strerror(err));
        return -1;
}

static gboolean check_name(const char *name, GError **error)
{
        if (core_name_is_safe(name))
                return TRUE;
        g_autofree char *shown = core_name_escape(name);
        g_set_error(error, CORE_LOCAL_ERROR, CORE_LOCAL_ERROR_UNSAFE_NAME,
                    _("Refusing the name “%s”: it would leave the destination directory or is not "
                      "a plain file name."), shown);
        return FALSE;
}

CoreLocalKind core_local_kind(int dirfd, const char *name, gint64 *size)
{
        struct stat st;
        if (size != NULL)
                *size = -1;
        if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
                return errno == ENOENT ? CORE_LOCAL_MISSING : CORE_LOCAL_OTHER;
        if (S_ISLNK(st.st_mode))
                return CORE_LOCAL_SYMLINK;
        if (S_ISDIR(st.st_mode))
                return CORE_LOCAL_DIRECTORY;
        if (!S_ISREG(st.st_mode))
                return CORE_LOCAL_OTHER;
        if (size != NULL)
                *size = st.st_size;
        return CORE_LOCAL_REGULAR;
}

int core_local_subdir_open(int dirfd, const char *name, gboolean create, GError **error)
{
        if (!check_name(name, error))
                return -1;
        if (create && mkdirat(dirfd, name, 0755) != 0 && errno != EEXIST) {
                set_errno_error(error, errno, _("Cannot create the local directory %s: %s."), name);
                return -1;
        }
        int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0)
                return fd;
        int err = errno;
        if (err == ELOOP || (err == ENOTDIR && core_local_kind(dirfd, name, NULL) == CORE_LOCAL_SYMLINK)) {
                g_autofree char *shown = core_name_escape(name);
                g_set_error(error, CORE_LOCAL_ERROR, CORE_LOCAL_ERROR_SYMLINK,
                            _("Refusing to write into %s: it is a symbolic link."), shown);
                return -1;
        }
        set_errno_error(error, err, _("Cannot open the local directory %s: %s."), name);
        return -1;
}

char *core_local_part_name(const char *name)
{
        return g_strconcat(name, ".part", NULL);
}

static void refuse_part(const char *part, CoreLocalErrorCode code, GError **error)
{
        g_autofree char *shown = core_name_escape(part);
        if (code == CORE_LOCAL_ERROR_SYMLINK)
                g_set_error(error, CORE_LOCAL_ERROR, code,
                            _("Refusing to write %s: it is a symbolic link. Remove it and retry."),
                            shown);
        else
                g_set_error(error, CORE_LOCAL_ERROR, code,
                            _("Refusing to write %s: it is not a regular file with a single link. "
                              "Remove it and retry."), shown);
}

/* Opens an existing `.part` without following a symlink and without blocking on a fifo, then
 * checks on the descriptor that it is a plain regular file with one link. */
static int open_existing_part(int dirfd, const char *part, gboolean resume, gint64 *offset,
                              GError **error)
{
        int fd = openat(dirfd, part, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
                if (errno == ELOOP) {
                        refuse_part(part, CORE_LOCAL_ERROR_SYMLINK, error);
                        return -1;
                }
                set_errno_error(error, errno, _("Cannot open %s: %s."), part);
                return -1;
        }
        struct stat st;
        if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
                close(fd);
                refuse_part(part, CORE_LOCAL_ERROR_NOT_REGULAR, error);
                return -1;
        }
        int flags = fcntl(fd, F_GETFL);
        if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
                set_errno_error(error, errno, _("Cannot open %s: %s."), part);
                close(fd);
                return -1;
        }
        off_t at = 0;
        if (resume)
                at = lseek(fd, 0, SEEK_END);
        else if (ftruncate(fd, 0) != 0)
                at = -1;
        if (at < 0) {
                set_errno_error(error, errno, _("Cannot write %s: %s."), part);
                close(fd);
                return -1;
        }
        *offset = at;
        return fd;
}

int core_local_part_open(int dirfd, const char *name, gboolean resume, gint64 *offset,
                         GError **error)
{
        gint64 unused;
        if (offset == NULL)
                offset = &unused;
        *offset = 0;
        if (!check_name(name, error))
                return -1;
        g_autofree char *part = core_local_part_name(name);
        switch (core_local_kind(dirfd, part, NULL)) {
        case CORE_LOCAL_REGULAR:
                return open_existing_part(dirfd, part, resume, offset, error);
        case CORE_LOCAL_SYMLINK:
                refuse_part(part, CORE_LOCAL_ERROR_SYMLINK, error);
                return -1;
        case CORE_LOCAL_MISSING:
                break;
        default:
                refuse_part(part, CORE_LOCAL_ERROR_NOT_REGULAR, error);
                return -1;
        }
        int fd = openat(dirfd, part, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0) {
                if (errno == ELOOP || errno == EEXIST) {
                        refuse_part(part, CORE_LOCAL_ERROR_SYMLINK, error);
                        return -1;
                }
                set_errno_error(error, errno, _("Cannot create %s: %s."), part);
                return -1;
        }
        return fd;
}

gboolean core_local_part_finish(int dirfd, const char *name, GError **error)
{
        g_autofree char *part = core_local_part_name(name);
        if (renameat(dirfd, part, dirfd, name) == 0)
                return TRUE;
        set_errno_error(error, errno, _("Cannot rename the finished download to %s: %s."), name);
        return FALSE;
}

void core_local_part_remove(int dirfd, const char *name)
{
        g_autofree char *part = core_local_part_name(name);
        if (core_local_kind(dirfd, part, NULL) == CORE_LOCAL_REGULAR)
                (void)unlinkat(dirfd, part, 0);
}
