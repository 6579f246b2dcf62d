/* clamftp.c — main() of the client: locale set-up, options, then the full-screen UI when stdin
 * and stdout are terminals and none of --line, -c, -b is given; line mode otherwise
 * (--check-audit verifies the audit log instead).
 * Must not: hold logic of its own; everything lives in src/core and src/ui. */
#include "common/i18n.h"
#include "core/check-audit.h"
#include "core/context.h"
#include "core/linemode.h"
#include "core/options.h"
#include "ui/ui.h"
#include <locale.h>
#include <signal.h>
#include <stdio.h>

int main(int argc, char **argv)
{
        setlocale(LC_ALL, "");
        bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
        bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
        textdomain(GETTEXT_PACKAGE);
        /* A peer that closes a socket mid-write (sendfile, TLS, the scanner) must be an error the
         * code sees, never a silent death. */
        signal(SIGPIPE, SIG_IGN);

        g_autoptr(GError) error = NULL;
        g_autoptr(CoreOptions) opts = core_options_parse(argc, argv, &error);
        core_options_hide_passwords(argc, argv); /* not for ps to see */
        if (!opts) {
                fprintf(stderr, _("clamftp: error: %s\n"), error->message);
                fprintf(stderr, "%s\n", _("Try `clamftp --help`."));
                return CORE_EXIT_FAILURE;
        }
        if (opts->version) {
                printf("clamftp %s\n", PACKAGE_VERSION);
                return CORE_EXIT_OK;
        }
        if (opts->check_audit)
                return core_check_audit_main(opts->audit_files, opts->audit_log, stdout, stderr);
        if (ui_wanted(opts))
                return ui_main(opts);
        return core_linemode_main(opts);
}
