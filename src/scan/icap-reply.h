/* scan/icap-reply.h — reads ICAP replies (RFC 3507) from bytes and judges them as verdicts.
 * Owns: the status line, headers (folded lines too), Encapsulated, the chunked body and its
 * comparison with the file sent, the caps on every part, and the rules that turn a reply into a
 * ScanVerdict. Pure: no sockets, no clock, no file descriptors (scan/icap.c feeds it).
 * Fails closed: only a complete 204, or a complete 200 whose encapsulated response is the file
 * unchanged, given after the server received the whole file and naming no infection, is OK. */
#pragma once
#include <glib.h>
#include "scan/client.h"

typedef enum {
        ICAP_READ_MORE,   /* the reply is not complete yet: feed more */
        ICAP_READ_DONE,   /* one complete reply; bytes after it were left unused */
        ICAP_READ_FAILED, /* the bytes are no ICAP reply (or over a cap): scan_icap_reply_problem */
} IcapReadState;

/* Compares `len` bytes of the reply's body, at `offset` in it, with the file sent; TRUE when
 * they are the file's bytes there. NULL: the body is read and not compared (OPTIONS). */
typedef gboolean (*IcapBodyCompare)(const guint8 *data, gsize len, guint64 offset, gpointer user_data);

typedef struct IcapReply IcapReply;
/* file_size: the size of the file sent, for the body comparison (a body longer than it differs). */
IcapReply *scan_icap_reply_new(guint64 file_size, IcapBodyCompare compare, gpointer user_data);
void scan_icap_reply_free(IcapReply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(IcapReply, scan_icap_reply_free)

/* Takes the next bytes the server sent; *used: how many belong to this reply (all of them but
 * for ICAP_READ_DONE). Once DONE or FAILED, it takes nothing more. */
IcapReadState scan_icap_reply_feed(IcapReply *reply, const guint8 *data, gsize len, gsize *used);
IcapReadState scan_icap_reply_state(const IcapReply *reply);
/* TRUE once the ICAP headers are complete (status, headers, infection names are known). */
gboolean scan_icap_reply_has_headers(const IcapReply *reply);
int scan_icap_reply_status(const IcapReply *reply);   /* 0 before the status line */
/* The value of the first header `name` (case-insensitive), folded lines joined with '\n'. */
const char *scan_icap_reply_header(const IcapReply *reply, const char *name);
/* ISTag without its quotes, made safe to log; NULL when none was sent. */
const char *scan_icap_reply_istag(const IcapReply *reply);
/* The infection the headers name (X-Infection-Found's Threat=, X-Virus-ID, X-Violations-Found's
 * threat), made safe to show; NULL when they name none. */
const char *scan_icap_reply_infection(const IcapReply *reply);
/* Why the reply failed or is incomplete (for messages; translated). */
const char *scan_icap_reply_problem(const IcapReply *reply);

/* The verdict on one final reply (not 100). `whole_sent`: the server had the whole file before
 * it answered (a preview with ieof, or the rest after 100 Continue). Never NULL. */
ScanVerdict *scan_icap_reply_verdict(const IcapReply *reply, gboolean whole_sent);

/* The whole exchange without a network, for tests and the fuzzer: `replies` is everything the
 * server sent, in order, for a RESPMOD of `file` (`size` bytes) offered with a preview of
 * `preview` bytes (-1: no preview, the whole file sent at once). Follows the client's rules: a
 * 100 Continue is taken only after a preview without ieof, and the next reply then judges the
 * whole file; bytes after the final reply make it no verdict. *istag (may be NULL): the last
 * ISTag seen. Never NULL. */
ScanVerdict *scan_icap_judge(const guint8 *replies, gsize len, const guint8 *file, gsize size,
                             gssize preview, char **istag);
