/* agent/hugepages.h — backs the compiled signature engine's memory with transparent huge pages.
 * Owns: finding the process's large anonymous mappings and asking the kernel to collapse them.
 * Must not: change what is scanned or how; it only changes the page size under the same bytes.
 *
 * Why: with a large signature set libclamav's Aho-Corasick trie is a few hundred MB of
 * transition tables walked at random, one lookup per scanned byte; with 4 KiB pages nearly every
 * lookup misses the TLB (twice as costly in a virtual machine). With 2 MiB pages the same walk
 * mostly hits. Works with the kernel's THP mode "madvise" (Debian's default) or "always". */
#pragma once
#include <glib.h>

typedef struct {
        guint64 advised;   /* bytes marked MADV_HUGEPAGE */
        guint64 collapsed; /* bytes the kernel collapsed into huge pages at once (MADV_COLLAPSE) */
        int error;         /* errno of the first refusal, 0 when none */
} AgentHugePages;

/* Marks every private anonymous read-write mapping of at least min_bytes as worth huge pages
 * and collapses it now. Best effort: a kernel without THP leaves everything as it was. */
void agent_hugepages_apply(guint64 min_bytes, AgentHugePages *out);
