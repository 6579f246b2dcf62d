/* agent/hugepages.c — transparent huge pages under the compiled engine (see hugepages.h).
 * Owns: reading /proc/self/smaps and the madvise calls. Must not: touch the engine's contents,
 * log, or fail the caller: every step is best effort and only reported back. */
#include "config.h"
#include "agent/hugepages.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25 /* Linux 6.1; older C libraries do not name it */
#endif

#define HUGE_PAGE (2u * 1024 * 1024)

/* A mapping line of /proc/self/smaps for private anonymous read-write memory (no path, or
 * [heap]). */
static gboolean parse_anon(const char *line, guintptr *start, guintptr *end)
{
        char perms[8] = "";
        unsigned long long s = 0, e = 0, off = 0, inode = 0;
        int path_at = 0;
        if (sscanf(line, "%llx-%llx %7s %llx %*s %llu %n", &s, &e, perms, &off, &inode,
                   &path_at) < 5)
                return FALSE;
        if (strncmp(perms, "rw-p", 4) != 0 || inode != 0)
                return FALSE;
        const char *path = line + path_at;
        if (*path != '\0' && *path != '\n' && strncmp(path, "[heap]", 6) != 0)
                return FALSE; /* stacks, vdso and named mappings stay as they are */
        *start = (guintptr)s;
        *end = (guintptr)e;
        return TRUE;
}

static void apply_one(guintptr start, guintptr end, AgentHugePages *out)
{
        guintptr s = (start + HUGE_PAGE - 1) & ~(guintptr)(HUGE_PAGE - 1);
        guintptr e = end & ~(guintptr)(HUGE_PAGE - 1);
        if (e <= s)
                return;
        if (madvise((void *)s, e - s, MADV_HUGEPAGE) != 0) {
                if (!out->error)
                        out->error = errno;
                return;
        }
        out->advised += e - s;
        /* one huge page at a time: a range that cannot be collapsed (memory too fragmented
         * just now) then costs only itself, and the count says how much was */
        for (guintptr p = s; p < e; p += HUGE_PAGE) {
                if (madvise((void *)p, HUGE_PAGE, MADV_COLLAPSE) == 0) {
                        out->collapsed += HUGE_PAGE;
                        continue;
                }
                /* EAGAIN/ENOMEM: not now (khugepaged may still do it later); EINVAL: a kernel
                 * before 6.1, or a range it will not collapse (e.g. a malloc arena's edge) */
                if (!out->error)
                        out->error = errno;
        }
}

typedef struct {
        guintptr start, end;
        guint64 rss;
        gboolean anon;
} Mapping;

/* "start-end perms …" begins a mapping; "Name: value" lines describe it. */
static gboolean is_header(const char *line)
{
        gsize first = strcspn(line, " ");
        return memchr(line, '-', first) && !memchr(line, ':', first);
}

/* Worth it: large, and mostly in use. Address-space reservations (a sanitizer's shadow memory,
 * malloc arenas) are left alone: collapsing them would fill them with memory. */
static void keep_if_worth(const Mapping *m, guint64 min_bytes, GArray *ranges)
{
        guint64 size = m->end - m->start;
        if (!m->anon || size < min_bytes || m->rss < min_bytes || m->rss * 2 < size)
                return;
        g_array_append_val(ranges, m->start);
        g_array_append_val(ranges, m->end);
}

/* The candidates from /proc/self/smaps, collected first: madvise may split or merge mappings
 * while the file is being read. */
static GArray *candidates(guint64 min_bytes, int *error)
{
        FILE *smaps = fopen("/proc/self/smaps", "re");
        if (!smaps) {
                *error = errno;
                return NULL;
        }
        GArray *ranges = g_array_new(FALSE, FALSE, sizeof(guintptr));
        Mapping m = { 0 };
        char line[512];
        unsigned long long kb = 0;
        while (fgets(line, sizeof(line), smaps)) {
                guintptr s = 0, e = 0;
                if (sscanf(line, "Rss: %llu kB", &kb) == 1) {
                        m.rss = (guint64)kb * 1024;
                        continue;
                }
                if (!is_header(line))
                        continue;
                keep_if_worth(&m, min_bytes, ranges);
                m = (Mapping){ 0 };
                m.anon = parse_anon(line, &s, &e);
                m.start = s;
                m.end = e;
        }
        keep_if_worth(&m, min_bytes, ranges);
        fclose(smaps);
        return ranges;
}

void agent_hugepages_apply(guint64 min_bytes, AgentHugePages *out)
{
        memset(out, 0, sizeof(*out));
        GArray *ranges = candidates(min_bytes, &out->error);
        if (!ranges)
                return;
        for (guint i = 0; i + 1 < ranges->len; i += 2)
                apply_one(g_array_index(ranges, guintptr, i), g_array_index(ranges, guintptr, i + 1),
                          out);
        g_array_free(ranges, TRUE);
}
