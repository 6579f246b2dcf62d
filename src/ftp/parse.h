/* ftp/parse.h — parsers for the payload of single replies: 227, 229, 257, 213, FEAT.
 * Owns: strict, bounded parsing of server-supplied numbers and paths. Must not: do I/O. */
#pragma once
#include <glib.h>
#include "ftp/reply.h"

#define FTP_PARSE_ERROR (ftp_parse_error_quark())
GQuark ftp_parse_error_quark(void);
enum { FTP_PARSE_ERROR_BAD_REPLY, FTP_PARSE_ERROR_PRIVILEGED_PORT };

/* 227 "Entering Passive Mode (h1,h2,h3,h4,p1,p2)" in any of its real-world forms (no parentheses,
 * "=h,h,…", spaces, trailing dot). Also accepts a 229 form (then addr is 0.0.0.0: use the control
 * peer's). Octets > 255 or port 0 are errors. */
gboolean ftp_parse_pasv(const char *text, guint8 addr[4], guint16 *port, GError **error);
/* 229 "(|||port|)" with any delimiter in 33..126; also accepts the 227 form (port only). */
gboolean ftp_parse_epsv(const char *text, guint16 *port, GError **error);
/* Where the data connection of a 227/229 reply may go. `addr` is the 227 address (NULL for a 229,
 * which names none); `trust` is the session's trust_pasv_address. A port below 1024 (0 included)
 * is refused (FTP_PARSE_ERROR_PRIVILEGED_PORT). Returns TRUE with *use_addr FALSE when the control
 * connection's peer is the target: always without trust, for a 229, and for a 227 of 0.0.0.0 (sent
 * by servers behind NAT that do not know their address). */
gboolean ftp_parse_pasv_target(const guint8 *addr, guint16 port, gboolean trust, gboolean *use_addr,
                               GError **error);
/* 257 "path" with "" meaning one quote. NULL (unknown) if unterminated or holds control chars. */
char *ftp_parse_pwd(const char *text); /* transfer full */
/* 213 size: decimal, no sign, no overflow. */
gboolean ftp_parse_size(const char *text, gint64 *size);
/* 213 YYYYMMDDHHMMSS[.sss] in UTC → unix time; rejects month 13 and the 19100 year bug. */
gboolean ftp_parse_mdtm(const char *text, gint64 *unix_time);
/* 211 FEAT reply → set of upper-cased feature keywords, e.g. "MLSD", "EPSV", "UTF8", "AUTH"
 * mapped to their argument ("TLS"), "REST" → "STREAM". Keys upper-case; values may be "". A keyword
 * listed twice keeps both arguments joined by ';' (vsftpd: "AUTH SSL", "AUTH TLS" → "SSL;TLS"). */
GHashTable *ftp_parse_feat(const FtpReply *reply); /* transfer full: char* → char* */
