/* ui/certdialog.h — the dialog for a server certificate that does not verify: host:port, why it
 * does not verify, subject, issuer, validity and SHA-256 fingerprint, and three answers (trust it,
 * remembered; trust it for this session only, as FileZilla offers; or refuse, the default). For
 * a certificate that changed since it was trusted: a warning with both fingerprints and nothing
 * to accept.
 * Owns: the dialog's text, its layout in any width (80x24 and up), its keys.
 * Must not: call curses, decide on trust itself (core/trust.c does) or store anything. */
#pragma once
#include <glib.h>
#include "common/certinfo.h"
#include "ui/canvas.h"
#include "ui/keys.h"

typedef struct {
        char *server;       /* "host:port" */
        TlsPeerInfo *cert;  /* what the server showed */
        char *stored;       /* the fingerprint trusted before (a changed certificate), or NULL */
} UiCertDialog;

UiCertDialog *ui_cert_dialog_new(const char *server, const TlsPeerInfo *cert, const char *stored);
void ui_cert_dialog_free(UiCertDialog *dialog);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UiCertDialog, ui_cert_dialog_free)

typedef enum {
        UI_CERT_PENDING,  /* the key does not answer */
        UI_CERT_TRUST,
        UI_CERT_TRUST_ONCE, /* for this session only: not written to trusted-certs */
        UI_CERT_REFUSE,   /* also: the warning was seen and closed */
} UiCertAnswer;
/* What a key answers: t trusts, o trusts once (this session); r, n, Enter, Esc, Ctrl-C refuse (a warning: Enter, Esc, q close). */
UiCertAnswer ui_cert_dialog_key(const UiCertDialog *dialog, UiKey key);

/* The title line (without frame). transfer full */
char *ui_cert_dialog_title(const UiCertDialog *dialog);
/* The body in lines of at most `width` columns (a fingerprint too long for one line is split
 * into equal groups of bytes). char*, transfer full */
GPtrArray *ui_cert_dialog_lines(const UiCertDialog *dialog, int width);
/* Draws the dialog centred on the canvas. */
void ui_cert_dialog_draw(const UiCertDialog *dialog, UiCanvas *canvas);
