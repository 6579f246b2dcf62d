/* agent/scratch.c — libclamav's scratch directory (see scratch.h).
 * Owns: the choice between /dev/shm and a disk directory, and the private directory's life.
 * Must not: scan, or decide where streams are spooled. */
#include "config.h"
#include "agent/scratch.h"
#include "common/i18n.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <linux/magic.h>
#include <sys/statfs.h>

/* /dev/shm when it is a tmpfs whose free space is at least twice the most that MaxThreads scans
 * can unpack at once. */
static gboolean shm_has_room(const AgentConf *conf)
{
        struct statfs st;
        if (statfs(AGENT_SCRATCH_SHM, &st) != 0 || st.f_type != TMPFS_MAGIC)
                return FALSE;
        guint64 free_bytes = (guint64)st.f_bavail * (guint64)st.f_bsize;
        guint64 worst = (guint64)conf->max_threads * conf->max_scan_size;
        return worst <= free_bytes / 2;
}

char *agent_scratch_create(const AgentConf *conf, gboolean *on_tmpfs, GError **error)
{
        const char *parent = conf->scratch_directory;
        gboolean autoselect = !parent || !*parent || g_strcmp0(parent, "auto") == 0;
        *on_tmpfs = autoselect && shm_has_room(conf);
        if (autoselect)
                parent = *on_tmpfs ? AGENT_SCRATCH_SHM : conf->temporary_directory;
        g_autofree char *tmpl = g_build_filename(parent, "clamav-agent-scratch.XXXXXX", NULL);
        if (g_mkdtemp_full(tmpl, 0700))
                return g_steal_pointer(&tmpl);
        int e = errno;
        g_set_error(error, AGENT_ERROR, AGENT_ERROR_IO,
                    _("cannot create the scratch directory for libclamav in %s: %s; set "
                      "ScratchDirectory (or TemporaryDirectory) to a writable directory"),
                    parent, g_strerror(e));
        return NULL;
}

void agent_scratch_remove(const char *path)
{
        if (path)
                g_rmdir(path);
}
