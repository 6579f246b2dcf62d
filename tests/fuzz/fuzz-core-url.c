/* tests/fuzz/fuzz-core-url.c — the ftp:// and ftps:// URL parser (core_url_parse, core/options.c)
 * and hiding a URL's password in argv. Properties: an accepted URL has a host that is not empty
 * and holds no control character, a port of 1..65535, and no CR, LF in its user, password or
 * path (they go into FTP commands); hiding keeps every argument's length. */
#include "tests/fuzz/fuzz.h"
#include "core/options.h"

static void no_line_breaks(const char *text)
{
        if (text)
                FUZZ_ASSERT(strpbrk(text, "\r\n") == NULL);
}

FUZZ_INITIALIZE_STRICT()

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        g_autofree char *text = fuzz_cstr(data, size);
        g_autoptr(GError) error = NULL;
        g_autoptr(CoreUrl) url = core_url_parse(text, &error);
        if (url) {
                FUZZ_ASSERT(url->host && url->host[0] != '\0');
                for (const guchar *p = (const guchar *)url->host; *p; p++)
                        FUZZ_ASSERT(*p >= 0x20 && *p != 0x7f);
                FUZZ_ASSERT(url->port >= 1);
                no_line_breaks(url->user);
                no_line_breaks(url->password);
                no_line_breaks(url->path);
        } else {
                FUZZ_ASSERT(error != NULL && error->domain == CORE_OPTIONS_ERROR);
        }
        char *argv[] = { g_strdup("clamftp"), g_strdup(text), NULL };
        gsize len = strlen(argv[1]);
        core_options_hide_passwords(2, argv);
        FUZZ_ASSERT(strlen(argv[1]) == len);
        g_free(argv[0]);
        g_free(argv[1]);
        return 0;
}
