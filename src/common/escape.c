/* common/escape.c — escaping for the terminal (see escape.h). Used at the source (a server's
 * reply text in an error, a listed name) and once more at the edge (line mode's output).
 * Must not: print or allocate beyond the result. */
#include "common/escape.h"
#include <string.h>

/* C0, DEL, C1 (0x9b is CSI on some terminals), and the bidirectional overrides and marks that
 * make a name read differently from what it is. */
gboolean common_char_needs_escape(gunichar c)
{
        if (c < 0x20 || c == 0x7f)
                return TRUE;
        if (c >= 0x80 && c <= 0x9f)
                return TRUE;
        if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
                return TRUE;
        return c == 0x200e || c == 0x200f || c == 0x061c;
}

typedef struct {
        gboolean backslash;  /* a backslash becomes "\\" */
        gboolean tab;        /* a tab stays */
        gboolean newline;    /* a newline stays */
} EscapeRules;

static char *escape(const char *text, const EscapeRules *rules)
{
        if (text == NULL)
                return g_strdup("");
        GString *out = g_string_sized_new(strlen(text) + 8);
        const char *p = text;
        while (*p != '\0') {
                gunichar c = g_utf8_get_char_validated(p, -1);
                if (c == (gunichar)-1 || c == (gunichar)-2) {
                        g_string_append_printf(out, "\\x%02x", (unsigned char)*p);
                        p++;
                        continue;
                }
                const char *next = g_utf8_next_char(p);
                gboolean kept = (c == '\t' && rules->tab) || (c == '\n' && rules->newline);
                if (c == '\\' && rules->backslash)
                        g_string_append(out, "\\\\");
                else if (!kept && c < 0x80 && common_char_needs_escape(c))
                        g_string_append_printf(out, "\\x%02x", c);
                else if (!kept && common_char_needs_escape(c))
                        g_string_append_printf(out, "\\u%04x", c);
                else
                        g_string_append_len(out, p, next - p);
                p = next;
        }
        return g_string_free(out, FALSE);
}

char *common_text_escape(const char *text)
{
        static const EscapeRules all = { .backslash = TRUE };
        return escape(text, &all);
}

char *common_text_escape_controls(const char *text, gboolean keep_newlines)
{
        EscapeRules controls = { .tab = TRUE, .newline = keep_newlines };
        return escape(text, &controls);
}
