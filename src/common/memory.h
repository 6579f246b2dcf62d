/* common/memory.h — the heap a process freed, given back to the system between commands.
 * Owns: when and how freed heap pages are returned (glibc's malloc_trim). Must not: free or
 * allocate anything itself. */
#pragma once

/* The heap pages that frees left unused go back to the system (glibc's malloc_trim; nothing
 * elsewhere). Called after each command: a batch of 20,000 files frees tens of MiB at its end,
 * which glibc would otherwise keep, resident, for the life of the process. */
void common_memory_give_back(void);
