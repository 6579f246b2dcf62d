/* clamftp.c — main() of the client: locale set-up, then line mode or the full-screen UI.
 * Must not: hold logic of its own; everything lives in src/core and src/ui. */
#include "common/i18n.h"
#include <locale.h>
#include <stdio.h>

int main(int argc, char **argv)
{
        setlocale(LC_ALL, "");
        bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
        bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
        textdomain(GETTEXT_PACKAGE);
        (void)argc;
        (void)argv;
        fprintf(stderr, "%s\n", _("clamftp: not built yet"));
        return 2;
}
