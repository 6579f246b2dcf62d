/* agent/spool.c — an INSTREAM's bytes: in memory up to a threshold, then in an unlinked file
 * (O_TMPFILE, or mkstemp + unlink) in the agent's private directory, so nothing is left behind.
 * Owns: the buffer, the file and the private directory. Must not: read sockets or scan. */
#include "config.h"
#include "agent/spool.h"
#include "agent/conf.h"
#include "common/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

struct AgentSpool {
        gsize memory_max;
        char *dir;
        GByteArray *mem;
        int fd;
        guint64 size;
};

AgentSpool *agent_spool_new(gsize memory_max, const char *dir)
{
        AgentSpool *spool = g_new0(AgentSpool, 1);
        spool->memory_max = memory_max;
        spool->dir = g_strdup(dir);
        spool->mem = g_byte_array_new();
        spool->fd = -1;
        return spool;
}

void agent_spool_free(AgentSpool *spool)
{
        if (!spool)
                return;
        if (spool->fd >= 0)
                close(spool->fd);
        if (spool->mem)
                g_byte_array_unref(spool->mem);
        g_free(spool->dir);
        g_free(spool);
}

static int try_open_unlinked(const char *dir)
{
        int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
        if (fd >= 0 || errno == ENOENT)
                return fd;
        g_autofree char *tmpl = g_build_filename(dir, "stream.XXXXXX", NULL);
        fd = g_mkstemp_full(tmpl, O_RDWR | O_CLOEXEC, 0600);
        if (fd >= 0)
                g_unlink(tmpl);
        return fd;
}

static int open_unlinked(const char *dir, GError **error)
{
        int fd = try_open_unlinked(dir);
        /* the private directory was removed under the running agent (a /tmp cleaner, an
         * administrator): make it again, inside a TemporaryDirectory that must still exist */
        if (fd < 0 && errno == ENOENT && g_mkdir(dir, 0700) == 0)
                fd = try_open_unlinked(dir);
        if (fd >= 0)
                return fd;
        int e = errno;
        g_set_error(error, AGENT_ERROR, AGENT_ERROR_IO,
                    _("Can't create temporary file in %s: %s"), dir, g_strerror(e));
        return -1;
}

static gboolean write_all(int fd, const guint8 *data, gsize len, GError **error)
{
        while (len > 0) {
                ssize_t n = write(fd, data, len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0) {
                        int e = n < 0 ? errno : ENOSPC;
                        g_set_error(error, AGENT_ERROR, AGENT_ERROR_IO,
                                    _("Error writing to temporary file: %s"), g_strerror(e));
                        return FALSE;
                }
                data += n;
                len -= (gsize)n;
        }
        return TRUE;
}

static gboolean spill(AgentSpool *spool, GError **error)
{
        spool->fd = open_unlinked(spool->dir, error);
        if (spool->fd < 0)
                return FALSE;
        if (!write_all(spool->fd, spool->mem->data, spool->mem->len, error))
                return FALSE;
        g_clear_pointer(&spool->mem, g_byte_array_unref);
        return TRUE;
}

gboolean agent_spool_append(AgentSpool *spool, const void *data, gsize len, GError **error)
{
        if (spool->fd < 0 && spool->size + len > spool->memory_max && !spill(spool, error))
                return FALSE;
        if (spool->fd >= 0 && !write_all(spool->fd, data, len, error))
                return FALSE;
        if (spool->fd < 0)
                g_byte_array_append(spool->mem, data, (guint)len);
        spool->size += len;
        return TRUE;
}

guint64 agent_spool_size(const AgentSpool *spool)
{
        return spool->size;
}

int agent_spool_fd(AgentSpool *spool)
{
        if (spool->fd >= 0)
                lseek(spool->fd, 0, SEEK_SET);
        return spool->fd;
}

const guint8 *agent_spool_data(const AgentSpool *spool)
{
        return spool->mem ? spool->mem->data : NULL;
}

char *agent_spool_dir_create(const char *parent, GError **error)
{
        g_autofree char *tmpl = g_build_filename(parent, "clamav-agent.XXXXXX", NULL);
        if (!g_mkdtemp_full(tmpl, 0700)) {
                int e = errno;
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_IO,
                            _("cannot create a private spool directory in %s: %s; set "
                              "TemporaryDirectory to a writable directory"), parent, g_strerror(e));
                return NULL;
        }
        return g_steal_pointer(&tmpl);
}
