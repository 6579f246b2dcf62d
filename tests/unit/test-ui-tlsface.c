/* tests/unit/test-ui-tlsface.c — the TUI's TLS face without a terminal: the certificate
 * dialog's text and keys (a fingerprint split into equal halves that join back, every line
 * inside the width, hostile subjects escaped, a changed certificate with nothing to accept), and
 * the status bar's short security summary and its fitting at 80 columns and wider. */
#include "ui/certdialog.h"
#include "ui/statusbar.h"
#include <locale.h>
#include <string.h>

#define FP1 "23:54:48:8E:17:F8:CD:9C:42:CF:A2:D0:03:F5:BE:5D:4C:6C:3F:0A:64:07:4B:5A:59:02:83:F5:EF:65:F7:8D"
#define FP2 "19:39:FE:88:1D:FC:8F:DB:83:FE:F9:74:DE:0E:03:65:04:A1:95:DA:05:C7:8B:7D:24:BC:13:76:1D:DA:B7:EF"
#define SUMMARY "TLSv1.3, TLS_AES_256_GCM_SHA384; certificate O=clamftp tests,CN=clamftp test server " \
                "(trusted by its SHA-256 fingerprint); data encrypted"

static TlsPeerInfo self_signed = {
        .subject = "O=clamftp tests,CN=clamftp test server",
        .issuer = "O=clamftp tests,CN=clamftp test server",
        .not_before = "Nov 24 18:55:23 2026 GMT",
        .not_after = "Nov 26 18:55:23 2026 GMT",
        .sha256 = FP1,
        .verify_error = "self-signed certificate",
};

/* The text of the lines after the one starting with `label` that continue its value, joined. */
static char *field(GPtrArray *lines, const char *label, const char *sep)
{
        GString *out = g_string_new(NULL);
        gboolean in = FALSE;
        for (guint i = 0; i < lines->len; i++) {
                const char *line = g_ptr_array_index(lines, i);
                if (g_str_has_prefix(line, label))
                        in = TRUE;
                else if (in && line[0] != ' ')
                        break;
                if (in) {
                        g_autofree char *value = g_strstrip(g_strdup(g_str_has_prefix(line, label) ? line + strlen(label) : line));
                        g_string_append_printf(out, "%s%s", out->len ? sep : "", value);
                }
        }
        return g_string_free(out, FALSE);
}

static void test_dialog_fits_and_shows_fingerprint(void)
{
        g_autoptr(UiCertDialog) d = ui_cert_dialog_new("127.0.0.1:2121", &self_signed, NULL);
        for (int width = 40; width <= 120; width += 6) {
                g_autoptr(GPtrArray) lines = ui_cert_dialog_lines(d, width);
                for (guint i = 0; i < lines->len; i++)
                        g_assert_cmpint(ui_text_width(g_ptr_array_index(lines, i)), <=, width);
                g_autofree char *fp = field(lines, "SHA-256:", ":");
                g_assert_cmpstr(fp, ==, FP1);
        }
        g_autoptr(GPtrArray) at80 = ui_cert_dialog_lines(d, 74); /* inside the frame of an 80-column screen */
        g_assert_cmpuint(at80->len + 4, <=, 22);
        guint fp_lines = 0;
        for (guint i = 0; i < at80->len; i++)
                fp_lines += strstr(g_ptr_array_index(at80, i), "8E:17") || strstr(g_ptr_array_index(at80, i), "4C:6C:3F") ? 1 : 0;
        g_assert_cmpuint(fp_lines, ==, 2); /* 16 bytes per line, not 20 + 12 */
        g_autofree char *why = field(at80, "Why:", " ");
        g_assert_nonnull(strstr(why, "self-signed"));
        g_autofree char *title = ui_cert_dialog_title(d);
        g_assert_cmpstr(title, ==, "The certificate of 127.0.0.1:2121 does not verify");
}

static void test_dialog_reasons(void)
{
        static const struct { const char *openssl; const char *shown; } rows[] = {
                { "self-signed certificate", "self-signed" },
                { "hostname mismatch", "another name" },
                { "IP address mismatch", "another name" },
                { "certificate has expired", "expired" },
                { "unable to get local issuer certificate", "does not know" },
                { "something new", "something new" },
        };
        for (gsize i = 0; i < G_N_ELEMENTS(rows); i++) {
                TlsPeerInfo cert = self_signed;
                cert.verify_error = (char *)rows[i].openssl;
                g_autoptr(UiCertDialog) d = ui_cert_dialog_new("h:21", &cert, NULL);
                g_autoptr(GPtrArray) lines = ui_cert_dialog_lines(d, 100);
                g_autofree char *why = field(lines, "Why:", " ");
                g_assert_nonnull(strstr(why, rows[i].shown));
        }
}

static void test_dialog_escapes_hostile_text(void)
{
        TlsPeerInfo cert = self_signed;
        cert.subject = "CN=evil\x1b[2J\x07";
        g_autoptr(UiCertDialog) d = ui_cert_dialog_new("h\x1b:21", &cert, NULL);
        g_autoptr(GPtrArray) lines = ui_cert_dialog_lines(d, 74);
        for (guint i = 0; i < lines->len; i++) {
                for (const char *p = g_ptr_array_index(lines, i); *p; p++)
                        g_assert_cmpint((guchar)*p, >=, 0x20);
        }
        g_assert_null(strchr(d->server, 0x1b));
}

static void test_dialog_keys(void)
{
        g_autoptr(UiCertDialog) ask = ui_cert_dialog_new("h:21", &self_signed, NULL);
        g_assert_cmpint(ui_cert_dialog_key(ask, 't'), ==, UI_CERT_TRUST);
        g_assert_cmpint(ui_cert_dialog_key(ask, UI_KEY_ESCAPE), ==, UI_CERT_REFUSE);
        g_assert_cmpint(ui_cert_dialog_key(ask, UI_KEY_ENTER), ==, UI_CERT_REFUSE); /* the default */
        g_assert_cmpint(ui_cert_dialog_key(ask, 'r'), ==, UI_CERT_REFUSE);
        g_assert_cmpint(ui_cert_dialog_key(ask, 'y'), ==, UI_CERT_PENDING);

        TlsPeerInfo now = self_signed;
        now.sha256 = FP2;
        g_autoptr(UiCertDialog) changed = ui_cert_dialog_new("h:21", &now, FP1);
        g_assert_cmpint(ui_cert_dialog_key(changed, 't'), ==, UI_CERT_PENDING); /* nothing to accept */
        g_assert_cmpint(ui_cert_dialog_key(changed, UI_KEY_ENTER), ==, UI_CERT_REFUSE);
        g_assert_cmpint(ui_cert_dialog_key(changed, UI_KEY_ESCAPE), ==, UI_CERT_REFUSE);
        g_autoptr(GPtrArray) lines = ui_cert_dialog_lines(changed, 74);
        g_autofree char *old = field(lines, "Trusted:", ":");
        g_autofree char *shown = field(lines, "Shown now:", ":");
        g_assert_cmpstr(old, ==, FP1);
        g_assert_cmpstr(shown, ==, FP2);
        for (guint i = 0; i < lines->len; i++)
                g_assert_null(strstr(g_ptr_array_index(lines, i), "t  trust"));
        g_autofree char *title = ui_cert_dialog_title(changed);
        g_assert_nonnull(strstr(title, "HAS CHANGED"));
}

static void test_dialog_draw_fits_canvas(void)
{
        g_autoptr(UiCertDialog) d = ui_cert_dialog_new("127.0.0.1:2121", &self_signed, NULL);
        g_autoptr(UiCanvas) canvas = ui_canvas_new(80, 24);
        ui_cert_dialog_draw(d, canvas);
        g_autofree char *dump = ui_canvas_dump(canvas);
        g_assert_nonnull(strstr(dump, "t  trust it"));
        g_assert_nonnull(strstr(dump, "r  refuse"));
        g_autoptr(UiCanvas) small = ui_canvas_new(40, 10); /* cut, never drawn outside */
        ui_cert_dialog_draw(d, small);
}

static char *bar_text(const UiStatusInfo *info, int width)
{
        g_autoptr(GPtrArray) parts = ui_status_bar_layout(info, width);
        GString *out = g_string_new(NULL);
        for (guint i = 0; i < parts->len; i++)
                g_string_append(out, ((UiStatusPart *)g_ptr_array_index(parts, i))->text);
        return g_string_free(out, FALSE);
}

static void test_security_forms(void)
{
        g_autoptr(GPtrArray) forms = ui_status_security_forms(SUMMARY);
        g_assert_cmpstr(g_ptr_array_index(forms, 0), ==, "TLS 1.3 TLS_AES_256_GCM_SHA384, cert clamftp test server (fingerprint)");
        g_assert_cmpstr(g_ptr_array_index(forms, forms->len - 1), ==, "TLS 1.3");
        for (guint i = 1; i < forms->len; i++)
                g_assert_cmpint(ui_text_width(g_ptr_array_index(forms, i)), <=, ui_text_width(g_ptr_array_index(forms, i - 1)));
        g_autoptr(GPtrArray) plain = ui_status_security_forms("plain FTP: the password was sent in clear");
        g_assert_true(ui_status_is_plain("plain FTP: the password was sent in clear"));
        for (guint i = 0; i < plain->len; i++)
                g_assert_nonnull(strstr(g_ptr_array_index(plain, i), "clear"));
        g_autoptr(GPtrArray) clear_data = ui_status_security_forms(
                "TLSv1.2, ECDHE-RSA-AES256-GCM-SHA384; certificate CN=x (verified); data connections in clear");
        for (guint i = 0; i < clear_data->len; i++)
                g_assert_nonnull(strstr(g_ptr_array_index(clear_data, i), "data in clear"));
        g_assert_null(ui_status_security_forms(NULL));
}

static void test_bar_fits(void)
{
        UiStatusInfo info = { .connected = TRUE, .user = "clamftp-test", .host = "127.0.0.1", .port = 50807,
                              .security = SUMMARY, .scanner = "unix:/tmp/clamftp-tui-tls.XXXXXX/scanner.sock" };
        for (int width = 80; width <= 200; width += 10) {
                g_autofree char *text = bar_text(&info, width);
                g_assert_cmpint(ui_text_width(text), <=, width);
                g_assert_true(g_str_has_prefix(text, " clamftp-test@127.0.0.1:50807 | TLS 1.3 "));
                g_assert_nonnull(strstr(text, "| idle |"));
        }
        g_autofree char *at80 = bar_text(&info, 80);
        g_assert_nonnull(strstr(at80, "AES_256_GCM_SHA384")); /* the cipher stays at 80 columns */
        g_autofree char *wide = bar_text(&info, 200);
        g_assert_nonnull(strstr(wide, "cert clamftp test server (fingerprint)"));
        g_assert_nonnull(strstr(wide, "scanner unix:/tmp/"));

        info.security = "plain FTP: the password was sent in clear";
        g_autoptr(GPtrArray) parts = ui_status_bar_layout(&info, 80);
        gboolean warned = FALSE;
        for (guint i = 0; i < parts->len; i++) {
                UiStatusPart *part = g_ptr_array_index(parts, i);
                if (strstr(part->text, "clear"))
                        warned = part->attr == UI_ATTR_WARNING;
        }
        g_assert_true(warned);

        UiStatusInfo offline = { .scanner = "unix:/run/clamav/clamd.ctl", .security = SUMMARY };
        g_autofree char *off = bar_text(&offline, 80);
        g_assert_cmpstr(off, ==, " not connected | idle | scanner unix:/run/clamav/clamd.ctl");
}

static void test_bar_pool(void)
{
        UiStatusInfo info = { .scanner = "unix:/a.sock,unix:/b.sock", .scanner_members = "1/2 up" };
        g_autofree char *text = bar_text(&info, 80);
        g_assert_cmpstr(text, ==, " not connected | idle | scanners 1/2 up: unix:/a.sock,unix:/b.sock");
        info.scanner_down = TRUE; /* none answers: the one mark of a scanner down */
        g_autofree char *down = bar_text(&info, 80);
        g_assert_cmpstr(down, ==, " not connected | idle | !! scanner down: unix:/a.sock,unix:/b.sock");
}

int main(int argc, char **argv)
{
        setlocale(LC_ALL, "C.UTF-8");
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/ui/certdialog/fits-and-shows-fingerprint-in-equal-halves", test_dialog_fits_and_shows_fingerprint);
        g_test_add_func("/ui/certdialog/says-why-in-words", test_dialog_reasons);
        g_test_add_func("/ui/certdialog/escapes-hostile-text", test_dialog_escapes_hostile_text);
        g_test_add_func("/ui/certdialog/refuse-is-default-changed-has-no-accept", test_dialog_keys);
        g_test_add_func("/ui/certdialog/draws-inside-canvas", test_dialog_draw_fits_canvas);
        g_test_add_func("/ui/statusbar/security-forms-shorten", test_security_forms);
        g_test_add_func("/ui/statusbar/fits-width-keeps-connection-and-warns-plain", test_bar_fits);
        g_test_add_func("/ui/statusbar/pool-says-how-many-members-answer", test_bar_pool);
        return g_test_run();
}
