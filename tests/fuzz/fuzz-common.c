/* tests/fuzz/fuzz-common.c — the scratch directory and files of the targets that read a path
 * (config file, sites file, audit logs). Must not: decide anything about an input. */
#include "tests/fuzz/fuzz.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

static char *scratch;

static void remove_scratch(void)
{
        if (!scratch)
                return;
        g_autoptr(GDir) dir = g_dir_open(scratch, 0, NULL);
        const char *name;
        while (dir && (name = g_dir_read_name(dir))) {
                g_autofree char *path = g_build_filename(scratch, name, NULL);
                g_unlink(path);
        }
        g_rmdir(scratch);
}

const char *fuzz_scratch_dir(void)
{
        if (scratch)
                return scratch;
        g_autoptr(GError) error = NULL;
        scratch = g_dir_make_tmp("clamftp-fuzz-XXXXXX", &error);
        if (!scratch) {
                fprintf(stderr, "fuzz: no scratch directory: %s\n", error->message);
                abort();
        }
        atexit(remove_scratch);
        return scratch;
}

const char *fuzz_write_file(const char *name, const uint8_t *data, size_t size)
{
        static GHashTable *paths;
        if (!paths)
                paths = g_hash_table_new(g_str_hash, g_str_equal);
        char *path = g_hash_table_lookup(paths, name);
        if (!path) {
                path = g_build_filename(fuzz_scratch_dir(), name, NULL);
                g_hash_table_insert(paths, g_strdup(name), path);
        }
        /* open/write, not g_file_set_contents_full(NONE): GLib 2.74 writes in place without
         * truncating, so a shorter input would keep the end of the one before */
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        gsize done = 0;
        while (fd >= 0 && done < size) {
                ssize_t n = write(fd, data + done, size - done);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break;
                done += (gsize)n;
        }
        if (fd < 0 || done < size || close(fd) < 0) {
                fprintf(stderr, "fuzz: cannot write %s: %s\n", path, g_strerror(errno));
                abort();
        }
        return path;
}
