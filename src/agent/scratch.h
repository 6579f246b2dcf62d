/* agent/scratch.h — libclamav's scratch directory: where each scan's temporary directory (and
 * whatever an archive unpacks into it) goes. Owns: choosing it and the agent's private directory
 * there. Must not: scan or touch the spool of streams (spool.c).
 *
 * libclamav makes and removes a directory for every scan, whatever is scanned; on a disk file
 * system that costs more than scanning a small file (on ext4 with discard, half a millisecond).
 * ScratchDirectory auto puts it on /dev/shm when that is a tmpfs with room to spare for the
 * worst case (MaxThreads scans, each unpacking at most MaxScanSize): at most half of its free
 * space. Otherwise, and when a directory is named, it goes there. */
#pragma once
#include <glib.h>
#include "agent/conf.h"

#define AGENT_SCRATCH_SHM "/dev/shm"

/* Creates the private (0700) scratch directory conf asks for (conf->scratch_directory: "auto" or
 * a parent directory) and returns its path; *on_tmpfs tells whether auto chose /dev/shm.
 * transfer full */
char *agent_scratch_create(const AgentConf *conf, gboolean *on_tmpfs, GError **error);
/* Removes it (empty once no scan runs: libclamav removes each scan's own directory). */
void agent_scratch_remove(const char *path);
