/* common/memory.c — giving freed heap back (see memory.h). malloc_trim returns the free pages of
 * every arena, in the middle of a heap too, where free() returns only the top of the main one; it
 * walks every arena: well under a millisecond for a small heap, a few for tens of MiB.
 * Must not: run on a path taken per file or per reply (between commands only). */
#include "common/memory.h"
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

void common_memory_give_back(void)
{
#ifdef __GLIBC__
        (void)malloc_trim(0); /* 1 when it gave something back, 0 when there was nothing */
#endif
}
