/* tests/fuzz/fuzz.h — what every libFuzzer target of tests/fuzz shares: the entry points, a
 * property check that aborts (so a violated property is a finding, not only a crash), and turning
 * the fuzzer's bytes into C strings and choices.
 * Must not: hold state between inputs. */
#pragma once
#include "config.h"
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property of the code under test: when it does not hold, say which and abort (libFuzzer then
 * keeps the input as a crash). */
#define FUZZ_ASSERT(cond)                                                                          \
        do {                                                                                       \
                if (!(cond)) {                                                                     \
                        fprintf(stderr, "property violated at %s:%d: %s\n", __FILE__, __LINE__,    \
                                #cond);                                                            \
                        abort();                                                                   \
                }                                                                                  \
        } while (0)

/* GLib's criticals (a g_return_if_fail that fired) and warnings are findings too. */
static inline void fuzz_glib_strict(void)
{
        g_log_set_always_fatal(G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

/* The input as a NUL-terminated string, cut at its first NUL. transfer full */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
        return g_strndup((const char *)data, size);
}

/* Takes the first byte of the input as a choice (0 when empty) and moves past it. */
static inline guint8 fuzz_take_byte(const uint8_t **data, size_t *size)
{
        if (*size == 0)
                return 0;
        guint8 b = **data;
        (*data)++;
        (*size)--;
        return b;
}

/* The LLVMFuzzerInitialize of a target that needs nothing more than fuzz_glib_strict(). */
#define FUZZ_INITIALIZE_STRICT()                                                                   \
        int LLVMFuzzerInitialize(int *argc, char ***argv)                                          \
        {                                                                                          \
                fuzz_glib_strict();                                                                \
                return 0;                                                                          \
        }

/* Splits the input at NUL bytes into a vector (empty pieces kept). transfer full */
static inline char **fuzz_split_nul(const uint8_t *data, size_t size)
{
        GPtrArray *out = g_ptr_array_new();
        size_t start = 0;
        for (size_t i = 0; i <= size; i++) {
                if (i == size || data[i] == '\0') {
                        if (i == size && start == size && out->len > 0)
                                break;
                        g_ptr_array_add(out, g_strndup((const char *)data + start, i - start));
                        start = i + 1;
                }
        }
        g_ptr_array_add(out, NULL);
        return (char **)g_ptr_array_free(out, FALSE);
}

/* A private directory for targets that must go through a file (removed at exit). */
const char *fuzz_scratch_dir(void);
/* Writes the input to a file of the scratch directory and returns its path (the same path for
 * every input of a process). */
const char *fuzz_write_file(const char *name, const uint8_t *data, size_t size);
