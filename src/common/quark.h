/* common/quark.h — error-domain quark functions that two threads may call at once.
 * Owns: COMMON_DEFINE_QUARK. Must not: hold any other state.
 * GLib's G_DEFINE_QUARK caches the quark in a plain static that the first callers on two threads
 * both read and write: a data race (harmless on x86, undefined in C11, and a ThreadSanitizer
 * report whenever two workers fail at once). This one caches it with atomics; the quark itself
 * comes from g_quark_from_static_string, which is thread-safe. */
#pragma once
#include <glib.h>

#define COMMON_DEFINE_QUARK(QN, q_n)                                                                \
        GQuark q_n##_quark(void)                                                                   \
        {                                                                                          \
                static GQuark q;                                                                   \
                GQuark known = (GQuark)g_atomic_int_get(&q);                                       \
                if (G_LIKELY(known != 0))                                                          \
                        return known;                                                              \
                known = g_quark_from_static_string(#QN);                                           \
                g_atomic_int_set(&q, known);                                                       \
                return known;                                                                      \
        }
