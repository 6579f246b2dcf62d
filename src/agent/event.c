/* agent/event.c — clamd's VirusEvent, without clamd's `sh -c`: the command line is split into
 * words once, the detection's values are put into the words (so a signature name can never
 * become shell syntax), and the program is started asynchronously (GLib reaps it).
 * Owns: the argv and environment of one event. Must not: run a shell or block the scan. */
#include "config.h"
#include "agent/event.h"
#include "agent/log.h"
#include "common/i18n.h"

#include <string.h>

/* clamd 1.4's words for %f, which it no longer expands (the file name is in the environment). */
#define FILENAME_DISABLED "The filename format character has been disabled due to security " \
                          "concerns, use the 'CLAM_VIRUSEVENT_FILENAME' environment variable " \
                          "instead."

static char *expand(const char *word, const char *virname)
{
        GString *out = g_string_new(NULL);
        for (const char *p = word; *p; p++) {
                if (p[0] == '%' && p[1] == 'v') {
                        g_string_append(out, virname);
                        p++;
                } else if (p[0] == '%' && p[1] == 'f') {
                        g_string_append(out, FILENAME_DISABLED);
                        p++;
                } else {
                        g_string_append_c(out, *p);
                }
        }
        return g_string_free(out, FALSE);
}

void agent_event_virus(const char *command, const char *filename, const char *virname)
{
        g_autoptr(GError) error = NULL;
        g_auto(GStrv) words = NULL;
        if (!g_shell_parse_argv(command, NULL, &words, &error)) {
                agent_log(AGENT_LOG_ERROR, _("VirusEvent “%s” is not a command line: %s"), command,
                          error->message);
                return;
        }
        guint n = g_strv_length(words);
        g_auto(GStrv) argv = g_new0(char *, n + 1);
        for (guint i = 0; i < n; i++)
                argv[i] = expand(words[i], virname);
        /* clamd 1.4's command sees these two and nothing else (measured: not even PATH); the
         * program itself is looked up in the agent's PATH (clamd's sh, in its default one). */
        g_auto(GStrv) envp = g_new0(char *, 3);
        envp[0] = g_strconcat("CLAM_VIRUSEVENT_FILENAME=", filename, NULL);
        envp[1] = g_strconcat("CLAM_VIRUSEVENT_VIRUSNAME=", virname, NULL);
        if (!g_spawn_async(NULL, argv, envp, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, &error)) {
                agent_log(AGENT_LOG_ERROR, _("VirusEvent %s could not be started: %s"), argv[0],
                          error->message);
                return;
        }
        agent_log(AGENT_LOG_DEBUG, "VirusEvent %s started for %s (%s)", argv[0], filename,
                  virname);
}
