/* agent/event.h — clamd's VirusEvent: a command run for each detection.
 * Owns: turning the VirusEvent line into argv and starting it. Must not: use a shell, wait for
 * the command, or let it inherit the agent's sockets. */
#pragma once
#include <glib.h>

/* Starts command for one detection: split into words as a shell would (g_shell_parse_argv), in
 * each word %v becomes the signature and %f clamd's notice that %f is disabled; the environment
 * is CLAM_VIRUSEVENT_FILENAME=filename and CLAM_VIRUSEVENT_VIRUSNAME=virname only, as clamd's.
 * Does not wait. Failures are logged. */
void agent_event_virus(const char *command, const char *filename, const char *virname);
