/* tests/fuzz/fuzz-core-sites.c — the saved sites file (core_sites_load, core/sites.c): the input is
 * the file. Properties: a file that loads holds sites whose names and values pass the checks a
 * new site must pass, each found by its name; saved and loaded again, it gives the same sites. A
 * file that does not load is a parse error that names the file. */
#include "tests/fuzz/fuzz.h"
#include "core/sites.h"

static void check_site(const CoreSites *sites, const CoreSite *site)
{
        FUZZ_ASSERT(core_site_name_check(site->name, NULL));
        FUZZ_ASSERT(site->host && site->host[0] && site->port >= 1);
        FUZZ_ASSERT(core_sites_find(sites, site->name) != NULL);
        g_autoptr(CoreSite) copy = core_site_copy(site);
        FUZZ_ASSERT(core_site_check(copy, NULL));
        g_autofree char *url = core_site_url(site);
        g_autofree char *described = core_site_describe(site);
        FUZZ_ASSERT(url && described);
}

static gboolean same_site(const CoreSite *a, const CoreSite *b)
{
        return g_str_equal(a->name, b->name) && g_str_equal(a->host, b->host) && a->port == b->port &&
               a->implicit_tls == b->implicit_tls && g_strcmp0(a->user, b->user) == 0 &&
               g_strcmp0(a->tls, b->tls) == 0 && a->passive == b->passive && a->parallel == b->parallel &&
               g_strcmp0(a->remote_dir, b->remote_dir) == 0 && g_strcmp0(a->local_dir, b->local_dir) == 0 &&
               g_strcmp0(a->scanner, b->scanner) == 0 && g_strcmp0(a->fingerprint, b->fingerprint) == 0;
}

FUZZ_INITIALIZE_STRICT()

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const char *path = fuzz_write_file("sites.conf", data, size);
        g_autoptr(GError) error = NULL;
        g_autoptr(CoreSites) sites = core_sites_load(path, &error);
        if (!sites) {
                FUZZ_ASSERT(error != NULL && error->domain == CORE_SITES_ERROR && strstr(error->message, path));
                return 0;
        }
        const GPtrArray *list = core_sites_list(sites);
        for (guint i = 0; i < list->len; i++)
                check_site(sites, g_ptr_array_index(list, i));
        if (list->len == 0)
                return 0;
        FUZZ_ASSERT(core_sites_save(sites, NULL));
        g_autoptr(CoreSites) again = core_sites_load(path, NULL);
        FUZZ_ASSERT(again != NULL);
        const GPtrArray *list2 = core_sites_list(again);
        FUZZ_ASSERT(list2->len == list->len);
        for (guint i = 0; i < list->len; i++)
                FUZZ_ASSERT(same_site(g_ptr_array_index(list, i), g_ptr_array_index(list2, i)));
        return 0;
}
