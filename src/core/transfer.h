/* core/transfer.h — single transfers under the queue's jobs: a resumed upload through the scanner
 * (reput), and put's naming. (put, mput, get and mget are batches of queue jobs: core/batch.h,
 * core/queue-upload.c, core/download.h.)
 * Owns: reput (snapshot → scan → send the rest of the same snapshot, audit), remote parent
 * creation. (Downloads are a batch's jobs too: core/download.h.)
 * Must not: parse command lines or print directly (messages go through ctx->fe).
 *
 * Every function returns FALSE when something asked was not done. With an error set, nothing was
 * reported yet (the caller shows it with core_fail). Without one, every problem was already shown
 * and recorded here (core_refused for scanner refusals, core_fail per failed file), so that one
 * bad file does not hide the fate of the others. */
#pragma once
#include <glib.h>
#include "core/context.h"

#define CORE_TRANSFER_ERROR (core_transfer_error_quark())
GQuark core_transfer_error_quark(void);
typedef enum {
        CORE_TRANSFER_ERROR_NO_SCANNER,  /* no scanner configured: nothing may be uploaded */
        CORE_TRANSFER_ERROR_INCOMPLETE,  /* fewer bytes arrived than the server announced */
        CORE_TRANSFER_ERROR_NO_MATCH,    /* a remote pattern matched nothing */
        CORE_TRANSFER_ERROR_BAD_PATH,    /* a path that cannot name a local or remote file */
        CORE_TRANSFER_ERROR_CANNOT_RESUME, /* reput: the server's file is larger, its size unknown, or ASCII type */
        CORE_TRANSFER_ERROR_VERIFY,      /* the server's copy is not the scanned snapshot (digest or size) */
} CoreTransferErrorCode;

/* The remote name `put` gives a local path: relative paths keep their directories ("./" dropped);
 * an absolute path, or one that climbs with "..", is sent under its base name. transfer full */
char *core_transfer_remote_name_for(const char *local);
/* What a resumed upload did. */
typedef struct {
        gint64 offset;      /* the server's size before: the first byte sent */
        gboolean complete;  /* the server's file was already whole: nothing was sent */
        gboolean appended;  /* the server refused REST before STOR: APPE was used */
} CoreResumeResult;
/* reput <local> [remote]: the whole file is snapshotted and scanned (never only its rest), then
 * the server's file (named as put names it) is measured with SIZE: smaller → only the rest is
 * sent from that offset (REST+STOR, APPE when REST is refused) and SIZE must then equal the
 * file's size; equal → already complete, nothing sent; larger or unknown → refused
 * (CORE_TRANSFER_ERROR_CANNOT_RESUME: the user may overwrite with put). Binary type only. The
 * audit log records the upload with its offset. result may be NULL. */
gboolean core_transfer_reput(CoreContext *ctx, const char *local, const char *remote, CoreResumeResult *result,
                             GError **error);
