/* core/netrc.c — reads ~/.netrc and finds the login for a host.
 * Owns: tokenizing, the entry list, the readable-by-others rule. Must not: prompt, print, or
 * keep a parsed netrc beyond the caller's use (passwords live no longer than needed). */
#include "common/i18n.h"
#include "common/quark.h"
#include "core/netrc.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

COMMON_DEFINE_QUARK(core-netrc-error-quark, core_netrc_error)

#define NETRC_MAX_BYTES (1024 * 1024)

static void entry_free(gpointer data)
{
        CoreNetrcEntry *entry = data;
        g_free(entry->machine);
        g_free(entry->login);
        if (entry->password)
                memset(entry->password, 0, strlen(entry->password));
        g_free(entry->password);
        g_free(entry->account);
        g_free(entry);
}

void core_netrc_free(CoreNetrc *netrc)
{
        if (!netrc)
                return;
        g_ptr_array_unref(netrc->entries);
        g_free(netrc);
}

typedef struct {
        const char *p;
} Tokenizer;

static gboolean is_space(char c)
{
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The next token, or NULL at the end. "quoted tokens" may hold blanks and \" escapes. */
static char *next_token(Tokenizer *t)
{
        while (*t->p && is_space(*t->p))
                t->p++;
        if (!*t->p)
                return NULL;
        GString *token = g_string_new(NULL);
        if (*t->p == '"') {
                for (t->p++; *t->p && *t->p != '"'; t->p++) {
                        if (*t->p == '\\' && t->p[1])
                                t->p++;
                        g_string_append_c(token, *t->p);
                }
                if (*t->p == '"')
                        t->p++;
                return g_string_free(token, FALSE);
        }
        for (; *t->p && !is_space(*t->p); t->p++)
                g_string_append_c(token, *t->p);
        return g_string_free(token, FALSE);
}

/* A macro definition runs from the line after `macdef NAME` to the first empty line. */
static void skip_macdef(Tokenizer *t)
{
        const char *end_of_line = strchr(t->p, '\n');
        if (!end_of_line) {
                t->p += strlen(t->p);
                return;
        }
        const char *blank = strstr(end_of_line, "\n\n");
        t->p = blank ? blank + 2 : t->p + strlen(t->p);
}

static char **field_of(CoreNetrcEntry *entry, const char *keyword)
{
        if (g_str_equal(keyword, "login"))
                return &entry->login;
        if (g_str_equal(keyword, "password"))
                return &entry->password;
        if (g_str_equal(keyword, "account"))
                return &entry->account;
        return NULL;
}

static gboolean missing_value(const char *keyword, GError **error)
{
        g_set_error(error, CORE_NETRC_ERROR, CORE_NETRC_ERROR_SYNTAX,
                    _("The netrc file ends after \"%s\" without its value."), keyword);
        return FALSE;
}

static gboolean parse_keyword(Tokenizer *t, CoreNetrc *netrc, CoreNetrcEntry **current,
                              const char *keyword, GError **error)
{
        if (g_str_equal(keyword, "default")) {
                *current = g_new0(CoreNetrcEntry, 1);
                g_ptr_array_add(netrc->entries, *current);
                return TRUE;
        }
        gboolean takes_value = g_str_equal(keyword, "machine") || g_str_equal(keyword, "macdef") ||
                               g_str_equal(keyword, "login") || g_str_equal(keyword, "password") ||
                               g_str_equal(keyword, "account");
        if (!takes_value)
                return TRUE; /* an unknown word: ignored, as ftp does */
        g_autofree char *value = next_token(t);
        if (!value)
                return missing_value(keyword, error);
        if (g_str_equal(keyword, "machine")) {
                *current = g_new0(CoreNetrcEntry, 1);
                (*current)->machine = g_steal_pointer(&value);
                g_ptr_array_add(netrc->entries, *current);
        } else if (g_str_equal(keyword, "macdef")) {
                skip_macdef(t);
        } else if (*current) {
                char **field = field_of(*current, keyword);
                g_free(*field);
                *field = g_steal_pointer(&value);
        }
        return TRUE;
}

CoreNetrc *core_netrc_parse(const char *text, GError **error)
{
        g_autoptr(CoreNetrc) netrc = g_new0(CoreNetrc, 1);
        netrc->entries = g_ptr_array_new_with_free_func(entry_free);
        Tokenizer t = { text };
        CoreNetrcEntry *current = NULL;
        for (char *keyword; (keyword = next_token(&t));) {
                gboolean ok = parse_keyword(&t, netrc, &current, keyword, error);
                g_free(keyword);
                if (!ok)
                        return NULL;
        }
        return g_steal_pointer(&netrc);
}

static char *default_path(void)
{
        const char *env = g_getenv("NETRC");
        if (env && *env)
                return g_strdup(env);
        return g_build_filename(g_get_home_dir(), ".netrc", NULL);
}

static void refuse_passwords(CoreNetrc *netrc)
{
        for (guint i = 0; i < netrc->entries->len; i++) {
                CoreNetrcEntry *entry = netrc->entries->pdata[i];
                if (!entry->password && !entry->account)
                        continue;
                entry->password_refused = TRUE;
                if (entry->password)
                        memset(entry->password, 0, strlen(entry->password));
                g_clear_pointer(&entry->password, g_free);
                g_clear_pointer(&entry->account, g_free);
        }
}

static gboolean read_error(const char *path, int err, GError **error)
{
        g_set_error(error, CORE_NETRC_ERROR, CORE_NETRC_ERROR_READ, _("Cannot read %s: %s"), path,
                    g_strerror(err));
        return FALSE;
}

/* Reads the whole (bounded) file from fd into a string. */
static char *read_all(int fd, const char *path, GError **error)
{
        g_autoptr(GString) text = g_string_new(NULL);
        char buf[4096];
        for (;;) {
                ssize_t n = read(fd, buf, sizeof buf);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        read_error(path, errno, error);
                        return NULL;
                }
                if (n == 0)
                        break;
                if (text->len + (gsize)n > NETRC_MAX_BYTES) {
                        read_error(path, EFBIG, error);
                        return NULL;
                }
                g_string_append_len(text, buf, n);
        }
        return g_string_free(g_steal_pointer(&text), FALSE);
}

CoreNetrc *core_netrc_load(const char *path, GError **error)
{
        g_autofree char *file = path ? g_strdup(path) : default_path();
        int fd = open(file, O_RDONLY | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT)
                return core_netrc_parse("", error);
        if (fd < 0) {
                read_error(file, errno, error);
                return NULL;
        }
        struct stat st;
        if (fstat(fd, &st) != 0) {
                read_error(file, errno, error);
                close(fd);
                return NULL;
        }
        g_autofree char *text = read_all(fd, file, error);
        close(fd);
        if (!text)
                return NULL;
        CoreNetrc *netrc = core_netrc_parse(text, error);
        memset(text, 0, strlen(text));
        if (netrc && (st.st_mode & (S_IRWXG | S_IRWXO)))
                refuse_passwords(netrc);
        return netrc;
}

const CoreNetrcEntry *core_netrc_find(const CoreNetrc *netrc, const char *host, const char *login)
{
        const CoreNetrcEntry *fallback = NULL;
        for (guint i = 0; i < netrc->entries->len; i++) {
                const CoreNetrcEntry *entry = netrc->entries->pdata[i];
                gboolean login_ok = !login || (entry->login && g_str_equal(entry->login, login));
                if (!login_ok)
                        continue;
                if (!entry->machine) {
                        if (!fallback)
                                fallback = entry;
                        continue;
                }
                if (g_ascii_strcasecmp(entry->machine, host) == 0)
                        return entry;
        }
        return fallback;
}
