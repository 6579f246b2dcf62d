/* ui/statusbar.h — the status bar's text: the connection (user@host:port), its security (TLS
 * version, cipher and whose certificate, or a warning that the password went in clear), what is
 * being transferred, the selection, the panes' modes (compare, sync-browse) and the scanner (marked
 * when it does not answer); shortened, least important parts first, to fit a width.
 * Owns: the short form of the core's security summary and the bar's layout.
 * Must not: call curses, or read the CoreContext (the UI thread gets copies from the command thread). */
#pragma once
#include <glib.h>
#include "ui/canvas.h"

typedef struct {
        gboolean connected;
        const char *user;
        const char *host;
        guint16 port;
        const char *security;  /* the core's summary (ftp_session_security_summary), or NULL */
        const char *progress;  /* what is being transferred, or NULL: idle */
        const char *scanner;   /* the scanner's address, or NULL */
        gboolean scanner_down; /* its last PING went unanswered */
        const char *scanner_members; /* a pool: "2/3 up", shown before the addresses; or NULL */
        const char *modes;     /* the panes' modes that are on ("compare sync"), or NULL */
        const char *selection; /* the active pane's selection ("3 selected, 12.4 MB"), or NULL */
} UiStatusInfo;

/* One piece of the bar. */
typedef struct {
        char *text;
        UiAttr attr;
} UiStatusPart;

/* TRUE when the summary says the connection is not encrypted. */
gboolean ui_status_is_plain(const char *security);
/* The summary shortened for the bar, longest first: "TLS 1.3 TLS_AES_256_GCM_SHA384, cert
 * clamftp test server (fingerprint)", then without the certificate, then the version alone; or
 * the warning for plain FTP. NULL when there is no summary. char*, transfer full */
GPtrArray *ui_status_security_forms(const char *security);
/* The bar in pieces (separators included) whose widths add up to at most `width`.
 * UiStatusPart*, transfer full */
GPtrArray *ui_status_bar_layout(const UiStatusInfo *info, int width);
