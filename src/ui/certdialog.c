/* ui/certdialog.c — the certificate dialog (see certdialog.h): its text, layout and keys.
 * Must not: call curses, decide on trust or store anything; every text that came from the
 * server is escaped before it reaches the canvas. */
#include "ui/certdialog.h"
#include "common/i18n.h"
#include "core/safename.h"
#include <string.h>

#define DIALOG_MAX_WIDTH 100
#define FIELD_MAX_LINES 2   /* subject and issuer beyond this are shortened */

UiCertDialog *ui_cert_dialog_new(const char *server, const TlsPeerInfo *cert, const char *stored)
{
        UiCertDialog *dialog = g_new0(UiCertDialog, 1);
        dialog->server = core_name_escape(server);
        dialog->cert = tls_peer_info_copy(cert);
        dialog->stored = g_strdup(stored);
        return dialog;
}

void ui_cert_dialog_free(UiCertDialog *dialog)
{
        if (!dialog)
                return;
        g_free(dialog->server);
        tls_peer_info_free(dialog->cert);
        g_free(dialog->stored);
        g_free(dialog);
}

UiCertAnswer ui_cert_dialog_key(const UiCertDialog *dialog, UiKey key)
{
        if (dialog->stored) {
                gboolean close = key == UI_KEY_ENTER || key == UI_KEY_ESCAPE || key == 'q' ||
                                 key == UI_KEY_CTRL('c');
                return close ? UI_CERT_REFUSE : UI_CERT_PENDING;
        }
        switch (key) {
        case 't': case 'T':
                return UI_CERT_TRUST;
        case 'o': case 'O':
                return UI_CERT_TRUST_ONCE;
        case 'r': case 'R': case 'n': case 'N': case UI_KEY_ENTER: case UI_KEY_ESCAPE: case UI_KEY_CTRL('c'):
                return UI_CERT_REFUSE;
        default:
                return UI_CERT_PENDING;
        }
}

char *ui_cert_dialog_title(const UiCertDialog *dialog)
{
        if (dialog->stored)
                return g_strdup_printf(_("WARNING: THE CERTIFICATE OF %s HAS CHANGED"), dialog->server);
        return g_strdup_printf(_("The certificate of %s does not verify"), dialog->server);
}

/* OpenSSL's reason in words a user can weigh, followed by OpenSSL's own text. */
static char *why_text(const TlsPeerInfo *cert)
{
        g_autofree char *raw = core_name_escape(cert->verify_error ? cert->verify_error : "?");
        const char *plain = NULL;
        if (strstr(raw, "self-signed") || strstr(raw, "self signed"))
                plain = _("self-signed: no certificate authority vouches for it");
        else if (strstr(raw, "mismatch"))
                plain = _("it was issued for another name");
        else if (strstr(raw, "expired"))
                plain = _("it has expired");
        else if (strstr(raw, "not yet valid"))
                plain = _("it is not valid yet");
        else if (strstr(raw, "issuer"))
                plain = _("issued by an authority this system does not know");
        return plain ? g_strdup_printf("%s (%s)", plain, raw) : g_steal_pointer(&raw);
}

/* "AB:CD:…" in lines of at most `width` columns, the bytes shared out equally. */
static void add_fingerprint(GPtrArray *out, const char *fp, int width)
{
        g_auto(GStrv) bytes = g_strsplit(fp ? fp : "?", ":", -1);
        int n = (int)g_strv_length(bytes);
        int most = MAX((width + 1) / 3, 1);
        int n_lines = (n + most - 1) / most;
        int per_line = n_lines > 0 ? (n + n_lines - 1) / n_lines : n;
        for (int i = 0; i < n; i += per_line) {
                g_autofree char *saved = bytes[MIN(i + per_line, n)];
                bytes[MIN(i + per_line, n)] = NULL;
                g_ptr_array_add(out, g_strjoinv(":", bytes + i));
                bytes[MIN(i + per_line, n)] = g_steal_pointer(&saved);
        }
}

typedef struct {
        GPtrArray *lines;
        int label_width;
        int value_width;
} Form;

/* The label (or blanks, on a continuation line) padded to the label column, then the value. */
static void add_row(Form *form, const char *label, const char *value)
{
        int pad = MAX(form->label_width - ui_text_width(label), 0);
        g_ptr_array_add(form->lines, g_strdup_printf("%s%*s%s", label, pad, "", value));
}

/* "Label:     value", the value wrapped under itself, at most max_lines lines. */
static void add_field(Form *form, const char *label, const char *value, int max_lines)
{
        g_autofree char *escaped = core_name_escape(value ? value : "?");
        g_autoptr(GPtrArray) parts = ui_text_wrap(escaped, form->value_width);
        if (parts->len == 0)
                g_ptr_array_add(parts, g_strdup(""));
        for (guint i = 0; i < parts->len && (int)i < max_lines; i++) {
                const char *part = g_ptr_array_index(parts, i);
                gboolean cut = (int)i == max_lines - 1 && i + 1 < parts->len;
                g_autofree char *text = cut ? g_strconcat(part, "\u2026", NULL) : g_strdup(part);
                g_autofree char *fitted = ui_text_fit(text, form->value_width);
                add_row(form, i ? "" : label, fitted);
        }
}

static void add_fingerprint_field(Form *form, const char *label, const char *fp)
{
        g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func(g_free);
        add_fingerprint(parts, fp, form->value_width);
        for (guint i = 0; i < parts->len; i++)
                add_row(form, i ? "" : label, g_ptr_array_index(parts, i));
}

static void add_prose(Form *form, const char *text, int width)
{
        g_autoptr(GPtrArray) parts = ui_text_wrap(text, width);
        for (guint i = 0; i < parts->len; i++)
                g_ptr_array_add(form->lines, ui_text_fit(g_ptr_array_index(parts, i), width));
}

static int labels_width(const char *const *labels, gsize n)
{
        int widest = 0;
        for (gsize i = 0; i < n; i++)
                widest = MAX(widest, ui_text_width(labels[i]));
        return widest + 1;
}

GPtrArray *ui_cert_dialog_lines(const UiCertDialog *d, int width)
{
        const TlsPeerInfo *c = d->cert;
        const char *labels[] = { _("Why:"), _("Subject:"), _("Issuer:"), _("Valid from:"), _("Valid to:"),
                                 _("SHA-256:"), _("Trusted:"), _("Shown now:") };
        Form form = { .lines = g_ptr_array_new_with_free_func(g_free) };
        form.label_width = labels_width(labels, G_N_ELEMENTS(labels));
        form.value_width = MAX(width - form.label_width, 8);
        g_autofree char *why = why_text(c);
        if (d->stored) {
                add_prose(&form, _("Someone may be intercepting the connection. It was refused and nothing was sent."), width);
                add_fingerprint_field(&form, labels[6], d->stored);
                add_fingerprint_field(&form, labels[7], c->sha256);
        } else {
                add_field(&form, labels[0], why, FIELD_MAX_LINES);
        }
        add_field(&form, labels[1], c->subject, FIELD_MAX_LINES);
        add_field(&form, labels[2], c->issuer, FIELD_MAX_LINES);
        add_field(&form, labels[3], c->not_before, 1);
        add_field(&form, labels[4], c->not_after, 1);
        if (d->stored) {
                add_field(&form, labels[0], why, FIELD_MAX_LINES);
                g_ptr_array_add(form.lines, g_strdup(""));
                add_prose(&form, _("Only if the server's administrator confirms the new certificate, connect once "
                                   "with --trust-fingerprint and the fingerprint shown now."), width);
                add_prose(&form, _("Enter or Esc: close"), width);
                return form.lines;
        }
        add_fingerprint_field(&form, labels[5], c->sha256);
        g_ptr_array_add(form.lines, g_strdup(""));
        add_prose(&form, _("Trust it only if you know this is the server's certificate (compare the fingerprint "
                           "with the one its administrator gave you)."), width);
        add_prose(&form, _("t  trust it from now on (stored in trusted-certs)"), width);
        add_prose(&form, _("o  trust it once: for this session only (nothing stored)"), width);
        add_prose(&form, _("r  refuse: do not connect (also Enter, Esc)"), width);
        return form.lines;
}

void ui_cert_dialog_draw(const UiCertDialog *dialog, UiCanvas *canvas)
{
        int width = MIN(canvas->width - 2, DIALOG_MAX_WIDTH);
        int x = (canvas->width - width) / 2;
        g_autoptr(GPtrArray) lines = ui_cert_dialog_lines(dialog, width - 4);
        int height = MIN((int)lines->len + 4, canvas->height);
        int y = MAX((canvas->height - height) / 2, 0);
        UiAttr attr = dialog->stored ? UI_ATTR_WARNING : UI_ATTR_DIALOG;
        ui_canvas_box(canvas, x, y, width, height, attr);
        g_autofree char *title = ui_cert_dialog_title(dialog);
        g_autofree char *fitted = ui_text_fit(title, width - 4);
        ui_canvas_text(canvas, x + 2, y + 1, width - 4, fitted, attr);
        for (int r = 0; r < height - 4; r++) {
                g_autofree char *line = ui_text_fit(g_ptr_array_index(lines, r), width - 4);
                ui_canvas_text(canvas, x + 2, y + 3 + r, width - 4, line, attr);
        }
}
