/* ui/statusbar.c — the status bar's text and its fitting (see statusbar.h).
 * Must not: call curses or read the CoreContext. */
#include "ui/statusbar.h"
#include "common/i18n.h"
#include "core/safename.h"
#include <string.h>

#define SEPARATOR " | "
#define CONN_MAX 36      /* columns for user@host:port before it is cut in the middle */
#define PROGRESS_MAX 34  /* columns for what is being transferred */
#define SCANNER_CUT_MIN 28 /* below this, the scanner's address is cut to its file name */
#define SCANNER_MIN 10   /* columns the scanner keeps while the security summary is shortened */

gboolean ui_status_is_plain(const char *security)
{
        /* the same messages as ftp_session_security_summary, so translations match too */
        return security && (g_str_equal(security, _("plain FTP: the password was sent in clear")) ||
                            g_str_equal(security, _("plain FTP: nothing is encrypted")));
}

static gboolean password_in_clear(const char *security)
{
        return security && g_str_equal(security, _("plain FTP: the password was sent in clear"));
}

/* "TLSv1.3" → "TLS 1.3" */
static char *version_text(const char *raw)
{
        if (g_str_has_prefix(raw, "TLSv"))
                return g_strdup_printf("TLS %s", raw + strlen("TLSv"));
        return g_strdup(raw);
}

/* The subject's common name from "… certificate CN=name,O=… (…)", or NULL. */
static char *common_name(const char *security)
{
        const char *cn = strstr(security, "CN=");
        if (!cn)
                return NULL;
        cn += strlen("CN=");
        gsize len = strcspn(cn, ",;(/");
        g_autofree char *name = g_strndup(cn, len);
        return core_name_escape(g_strstrip(name));
}

static const char *trust_word(const char *security)
{
        if (strstr(security, _("trusted by its SHA-256 fingerprint")))
                return _("fingerprint");
        if (strstr(security, _("verified")))
                return _("verified");
        return NULL;
}

GPtrArray *ui_status_security_forms(const char *security)
{
        if (!security || !*security)
                return NULL;
        GPtrArray *forms = g_ptr_array_new_with_free_func(g_free);
        if (ui_status_is_plain(security)) {
                g_ptr_array_add(forms, g_strdup(password_in_clear(security) ? _("!! plain FTP: the password was sent in clear")
                                                                            : _("!! plain FTP: nothing is encrypted")));
                g_ptr_array_add(forms, g_strdup(password_in_clear(security) ? _("!! password sent in clear")
                                                                            : _("!! not encrypted")));
                return forms;
        }
        const char *comma = strstr(security, ", ");
        const char *semi = strchr(security, ';');
        if (!comma || !semi || semi < comma) { /* not the summary's usual shape: as it is */
                g_ptr_array_add(forms, core_name_escape(security));
                return forms;
        }
        g_autofree char *raw_version = g_strndup(security, (gsize)(comma - security));
        g_autofree char *version = version_text(raw_version);
        g_autofree char *cipher = g_strndup(comma + 2, (gsize)(semi - comma - 2));
        g_autofree char *cn = common_name(semi);
        const char *trust = trust_word(semi);
        g_autofree char *how = trust ? g_strdup_printf(" (%s)", trust) : g_strdup("");
        const char *clear = strstr(semi, _("data connections in clear")) ? _("; data in clear!") : "";
        /* TLS 1.3 names: the prefix "TLS_" says nothing new */
        const char *brief = g_str_has_prefix(cipher, "TLS_") ? cipher + strlen("TLS_") : cipher;
        if (cn) {
                g_ptr_array_add(forms, g_strdup_printf(_("%s %s, cert %s%s%s"), version, cipher, cn, how, clear));
                g_ptr_array_add(forms, g_strdup_printf(_("%s %s, cert %s%s%s"), version, brief, cn, how, clear));
        }
        g_ptr_array_add(forms, g_strdup_printf("%s %s%s%s", version, brief, how, clear));
        g_ptr_array_add(forms, g_strdup_printf("%s %s%s", version, brief, clear));
        g_ptr_array_add(forms, g_strdup_printf("%s%s%s", version, how, clear));
        g_ptr_array_add(forms, g_strdup_printf("%s%s", version, clear));
        return forms;
}

static gboolean security_warns(const char *security)
{
        return ui_status_is_plain(security) || (security && strstr(security, _("data connections in clear")));
}

static void part_free(gpointer data)
{
        UiStatusPart *part = data;
        g_free(part->text);
        g_free(part);
}

static void add_part(GPtrArray *parts, char *text, UiAttr attr) /* takes text */
{
        UiStatusPart *part = g_new0(UiStatusPart, 1);
        part->text = text;
        part->attr = attr;
        g_ptr_array_add(parts, part);
}

/* The longest form that leaves `avail` columns, else the shortest cut to fit. */
static char *pick_form(GPtrArray *forms, int avail)
{
        for (guint i = 0; i < forms->len; i++) {
                const char *form = g_ptr_array_index(forms, i);
                if (ui_text_width(form) <= avail)
                        return g_strdup(form);
        }
        return ui_text_fit(g_ptr_array_index(forms, forms->len - 1), MAX(avail, 0));
}

/* "scanner unix:/run/clamav/clamd.ctl", cut in the middle when there is room for both ends,
 * else "scanner clamd.ctl", else "clamd.ctl"; one that does not answer keeps its mark first:
 * "!! scanner down: clamd.ctl", else "!! scanner down". A pool says how many members answer:
 * "scanners 2/3 up: unix:/a.sock,tcp:…". */
static char *scanner_text(const char *address, gboolean down, const char *members, int width)
{
        /* TRANSLATORS: the status bar's mark of a scanner that does not answer its PING */
        g_autofree char *pool = members && !down ? g_strdup_printf(_("scanners %s:"), members) : NULL;
        const char *label = down ? _("!! scanner down:") : pool ? pool : _("scanner");
        if (down && ui_text_width(label) >= width)
                return ui_text_fit(_("!! scanner down"), width);
        g_autofree char *full = g_strdup_printf("%s %s", label, address ? address : _("none"));
        if (ui_text_width(full) <= width)
                return g_steal_pointer(&full);
        if (width >= SCANNER_CUT_MIN) /* "scanner unix:/tmp/…/clamd.sock": both ends stay */
                return ui_text_fit_middle(full, width);
        const char *slash = address ? strrchr(address, '/') : NULL;
        g_autofree char *brief = slash && slash[1] ? g_strdup_printf("%s %s", label, slash + 1) : NULL;
        if (brief && ui_text_width(brief) <= width)
                return g_steal_pointer(&brief);
        if (down)
                return ui_text_fit(label, width);
        if (slash && slash[1] && ui_text_width(slash + 1) <= width)
                return g_strdup(slash + 1);
        return ui_text_fit_middle(full, width);
}

static char *connection_text(const UiStatusInfo *info)
{
        if (!info->connected)
                return g_strdup(_("not connected"));
        g_autofree char *raw = g_strdup_printf("%s@%s:%u", info->user ? info->user : "?",
                                               info->host ? info->host : "?", info->port);
        g_autofree char *shown = core_name_escape(raw);
        return ui_text_fit_middle(shown, CONN_MAX);
}

GPtrArray *ui_status_bar_layout(const UiStatusInfo *info, int width)
{
        GPtrArray *parts = g_ptr_array_new_with_free_func(part_free);
        g_autofree char *conn = connection_text(info);
        g_autofree char *progress = ui_text_fit(info->progress ? info->progress : _("idle"), PROGRESS_MAX);
        g_autofree char *scanner = scanner_text(info->scanner, info->scanner_down, info->scanner_members, G_MAXINT);
        g_autoptr(GPtrArray) forms = info->connected ? ui_status_security_forms(info->security) : NULL;
        int sep = ui_text_width(SEPARATOR);
        int avail = width - 1 - ui_text_width(conn) - sep - ui_text_width(progress) - sep - (forms ? sep : 0) -
                    (info->modes ? ui_text_width(info->modes) + sep : 0) -
                    (info->selection ? ui_text_width(info->selection) + sep : 0);
        g_autofree char *security = forms ? pick_form(forms, avail - MIN(ui_text_width(scanner), SCANNER_MIN)) : NULL;
        int scanner_width = avail - (security ? ui_text_width(security) : 0);

        g_autofree char *first = g_strconcat(" ", conn, NULL);
        add_part(parts, ui_text_fit(first, width), UI_ATTR_STATUS);
        if (security) {
                add_part(parts, g_strdup(SEPARATOR), UI_ATTR_STATUS);
                add_part(parts, g_steal_pointer(&security), security_warns(info->security) ? UI_ATTR_WARNING : UI_ATTR_STATUS);
        }
        add_part(parts, g_strdup(SEPARATOR), UI_ATTR_STATUS);
        add_part(parts, g_steal_pointer(&progress), UI_ATTR_STATUS);
        if (info->selection) {
                add_part(parts, g_strdup(SEPARATOR), UI_ATTR_STATUS);
                add_part(parts, g_strdup(info->selection), UI_ATTR_STATUS);
        }
        if (info->modes) {
                add_part(parts, g_strdup(SEPARATOR), UI_ATTR_STATUS);
                add_part(parts, g_strdup(info->modes), UI_ATTR_STATUS);
        }
        if (scanner_width > 0) {
                add_part(parts, g_strdup(SEPARATOR), UI_ATTR_STATUS);
                add_part(parts, scanner_text(info->scanner, info->scanner_down, info->scanner_members, scanner_width),
                         info->scanner_down ? UI_ATTR_WARNING : UI_ATTR_STATUS);
        }
        return parts;
}
