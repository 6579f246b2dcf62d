/* core/mode.c — chmod's modes: octal or symbolic (POSIX chmod's grammar without the copy forms
 * "g=u"), applied to a current mode, and listings' "rwxr-xr-x" strings read back.
 * Must not: touch a file or the server. */
#include "core/mode.h"

#include <string.h>
#include <sys/stat.h>

#include "common/i18n.h"
#include "common/quark.h"

COMMON_DEFINE_QUARK(core-mode-error-quark, core_mode_error)

gboolean core_mode_is_octal(const char *spec, guint *mode)
{
        if (!spec || !*spec || strlen(spec) > 5)
                return FALSE;
        guint value = 0;
        for (const char *p = spec; *p; p++) {
                if (*p < '0' || *p > '7')
                        return FALSE;
                value = value * 8 + (guint)(*p - '0');
        }
        if (value > 07777)
                return FALSE;
        *mode = value;
        return TRUE;
}

static gboolean invalid(const char *spec, GError **error)
{
        g_set_error(error, CORE_MODE_ERROR, CORE_MODE_ERROR_INVALID,
                    _("“%s” is not a mode: give it in octal (644) or as u+x, go-w, a=rX …"), spec);
        return FALSE;
}

/* Who a clause names: u, g, o, a (none: a, as chmod does, less the umask it ignores here). */
static guint who_mask(const char **p)
{
        guint who = 0;
        for (;; (*p)++) {
                if (**p == 'u')
                        who |= S_ISUID | S_IRWXU;
                else if (**p == 'g')
                        who |= S_ISGID | S_IRWXG;
                else if (**p == 'o')
                        who |= S_IRWXO;
                else if (**p == 'a')
                        who |= S_ISUID | S_ISGID | S_IRWXU | S_IRWXG | S_IRWXO;
                else
                        break;
        }
        return who ? who : S_ISUID | S_ISGID | S_IRWXU | S_IRWXG | S_IRWXO;
}

/* The bits PERM letters name, for everyone (masked by who later); FALSE on a stray letter. */
static gboolean perm_bits(const char **p, guint current, gboolean is_dir, guint *bits)
{
        *bits = 0;
        for (; **p && **p != ',' && **p != '+' && **p != '-' && **p != '='; (*p)++) {
                switch (**p) {
                case 'r':
                        *bits |= S_IRUSR | S_IRGRP | S_IROTH;
                        break;
                case 'w':
                        *bits |= S_IWUSR | S_IWGRP | S_IWOTH;
                        break;
                case 'x':
                        *bits |= S_IXUSR | S_IXGRP | S_IXOTH;
                        break;
                case 'X':
                        if (is_dir || (current & (S_IXUSR | S_IXGRP | S_IXOTH)))
                                *bits |= S_IXUSR | S_IXGRP | S_IXOTH;
                        break;
                case 's':
                        *bits |= S_ISUID | S_ISGID;
                        break;
                case 't':
                        *bits |= S_ISVTX;
                        break;
                default:
                        return FALSE;
                }
        }
        return TRUE;
}

gboolean core_mode_apply(const char *spec, gint current, gboolean is_dir, guint *mode, GError **error)
{
        if (core_mode_is_octal(spec, mode))
                return TRUE;
        if (!spec || !*spec)
                return invalid(spec ? spec : "", error);
        if (current < 0) {
                /* check the grammar first: a typo is said as such, not as a missing mode */
                guint ignored;
                if (!core_mode_apply(spec, 0, is_dir, &ignored, error))
                        return FALSE;
                g_set_error(error, CORE_MODE_ERROR, CORE_MODE_ERROR_NEEDS_CURRENT,
                            _("The current mode is not known, so “%s” cannot be applied: give the mode in octal."),
                            spec);
                return FALSE;
        }
        guint m = (guint)current & 07777;
        const char *p = spec;
        for (;;) {
                guint who = who_mask(&p);
                gboolean all = who == (S_ISUID | S_ISGID | S_IRWXU | S_IRWXG | S_IRWXO);
                if (*p != '+' && *p != '-' && *p != '=')
                        return invalid(spec, error);
                while (*p == '+' || *p == '-' || *p == '=') {
                        char op = *p++;
                        guint bits;
                        if (!perm_bits(&p, m, is_dir, &bits))
                                return invalid(spec, error);
                        /* the sticky bit belongs to everyone: "a+t", "+t" or "o+t" */
                        guint scope = who | (all || (who & S_IRWXO) ? S_ISVTX : 0);
                        bits &= scope;
                        if (op == '+')
                                m |= bits;
                        else if (op == '-')
                                m &= ~bits;
                        else
                                m = (m & ~(scope & ~(is_dir ? (guint)(S_ISUID | S_ISGID) & ~bits : 0))) | bits;
                }
                if (*p == '\0')
                        break;
                if (*p != ',' || p[1] == '\0')
                        return invalid(spec, error);
                p++;
        }
        *mode = m;
        return TRUE;
}

gint core_mode_from_perms(const char *perms)
{
        if (!perms)
                return -1;
        gsize len = strlen(perms);
        if (len == 10)
                perms++; /* the type letter */
        else if (len != 9)
                return -1;
        static const guint read_bits[3] = { S_IRUSR, S_IRGRP, S_IROTH };
        static const guint write_bits[3] = { S_IWUSR, S_IWGRP, S_IWOTH };
        static const guint exec_bits[3] = { S_IXUSR, S_IXGRP, S_IXOTH };
        static const guint special[3] = { S_ISUID, S_ISGID, S_ISVTX };
        static const char special_x[3] = { 's', 's', 't' };
        guint mode = 0;
        for (int i = 0; i < 3; i++) {
                const char *t = perms + i * 3;
                if ((t[0] != 'r' && t[0] != '-') || (t[1] != 'w' && t[1] != '-'))
                        return -1;
                mode |= (t[0] == 'r' ? read_bits[i] : 0) | (t[1] == 'w' ? write_bits[i] : 0);
                char x = t[2];
                if (x == 'x')
                        mode |= exec_bits[i];
                else if (x == special_x[i])
                        mode |= exec_bits[i] | special[i];
                else if (x == g_ascii_toupper(special_x[i]))
                        mode |= special[i];
                else if (x != '-')
                        return -1;
        }
        return (gint)mode;
}
