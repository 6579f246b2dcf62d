/* ui/sites.c — the site manager in the full screen (Ctrl-\, `:sites`): opens ui/sitedialog.h
 * over the panes and turns its answers into command lines of core's table (`open NAME`,
 * `site add NAME`, `site rm NAME`, and `site edit …` put on the command line), so that line mode
 * and the full screen save, remove and open sites the same way, on the command thread.
 * Must not: call curses, write the sites file, touch the keyring or connect on the UI thread. */
#include "ui/app.h"
#include "common/i18n.h"

void ui_sites_open(UiApp *app)
{
        ui_site_dialog_free(app->site_dialog);
        app->site_dialog = ui_site_dialog_new(NULL);
        app->mode = UI_MODE_SITES;
}

static void close_sites(UiApp *app)
{
        g_clear_pointer(&app->site_dialog, ui_site_dialog_free);
        if (app->mode == UI_MODE_SITES)
                app->mode = UI_MODE_PANES;
}

/* "VERB 'NAME'": the name quoted as the command line's words take it. */
static void run_on_site(UiApp *app, const char *before, const char *verb, const char *name)
{
        g_autofree char *quoted = g_shell_quote(name);
        g_autofree char *line = g_strdup_printf("%s%s %s", before, verb, quoted);
        ui_app_run_line(app, line);
}

/* Enter: the site replaces the connection there is (FileZilla's Site Manager does the same). */
static void connect_to(UiApp *app)
{
        g_autofree char *name = g_strdup(ui_site_dialog_current(app->site_dialog));
        close_sites(app);
        run_on_site(app, app->connected ? "close; " : "", "open", name);
}

static void edit(UiApp *app)
{
        g_autofree char *line = g_strdup(ui_site_dialog_edit_line(app->site_dialog));
        close_sites(app);
        ui_app_run_line(app, "command-line");
        ui_cmdline_set(&app->cmdline, line);
}

void ui_sites_key(UiApp *app, UiKey key)
{
        UiSiteDialog *dialog = app->site_dialog;
        switch (ui_site_dialog_key(dialog, key)) {
        case UI_SITES_PENDING:
                return;
        case UI_SITES_CLOSE:
                close_sites(app);
                return;
        case UI_SITES_OPEN:
                connect_to(app);
                return;
        case UI_SITES_NAME:
                if (app->connected)
                        ui_site_dialog_start_naming(dialog, app->host);
                else
                        ui_app_say(app, CORE_MSG_WARNING, "%s",
                                   _("Not connected: connect first, then press a to save the connection as a site "
                                     "(or type :site add NAME ftp://user@host/dir)."));
                return;
        case UI_SITES_ADD:
                run_on_site(app, "", "site add", ui_site_dialog_new_name(dialog));
                return;
        case UI_SITES_DELETE:
                run_on_site(app, "", "site rm", ui_site_dialog_current(dialog));
                return;
        case UI_SITES_EDIT:
                edit(app);
                return;
        }
}

void ui_sites_follow(UiApp *app)
{
        if (app->site_dialog)
                ui_site_dialog_reload(app->site_dialog);
}
