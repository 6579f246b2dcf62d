/* core/entry-private.h — the FTP engine's listing entries made into core's own, for the code in
 * core that lists remote directories for the front ends (browse.c, browse-tree.c).
 * Must not: be included outside src/core/ (ui/ sees CoreEntry only). */
#pragma once
#include <glib.h>
#include "core/entry.h"
#include "ftp/listing.h"

/* FtpEntry* (not taken) → CoreEntry*, in the same order, leaving out entries without a name
 * and "." and "..". Never NULL. transfer full */
GPtrArray *core_entries_from_ftp(const GPtrArray *ftp_entries);
