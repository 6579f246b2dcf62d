/* agent/protocol.c — clamd's command language: framing and the command table.
 * Owns: the z/n/old-style framing rules of clamd 1.4 (server-th.c get_cmd) and which commands
 * exist, which need a prefix and which take an argument. Must not: do I/O or keep state. */
#include "config.h"
#include "agent/protocol.h"

#include <string.h>

typedef struct {
        const char *name;
        AgentCommandKind kind;
        gboolean takes_arg;
        gboolean old_style; /* accepted without z/n prefix (clamd's support_old) */
        gboolean in_session;
} CommandInfo;

/* VERSIONCOMMANDS before VERSION, DETSTATSCLEAR before DETSTATS: names that share a prefix. */
static const CommandInfo commands[] = {
        { "SCAN", AGENT_CMD_SCAN, TRUE, TRUE, TRUE },
        { "QUIT", AGENT_CMD_QUIT, FALSE, TRUE, FALSE },
        { "RELOAD", AGENT_CMD_RELOAD, FALSE, TRUE, FALSE },
        { "PING", AGENT_CMD_PING, FALSE, TRUE, TRUE },
        { "CONTSCAN", AGENT_CMD_CONTSCAN, TRUE, TRUE, FALSE },
        { "VERSIONCOMMANDS", AGENT_CMD_VERSIONCOMMANDS, FALSE, FALSE, TRUE },
        { "VERSION", AGENT_CMD_VERSION, FALSE, TRUE, TRUE },
        { "END", AGENT_CMD_END, FALSE, FALSE, TRUE },
        { "SHUTDOWN", AGENT_CMD_SHUTDOWN, FALSE, TRUE, FALSE },
        { "MULTISCAN", AGENT_CMD_MULTISCAN, TRUE, TRUE, FALSE },
        { "FILDES", AGENT_CMD_FILDES, FALSE, TRUE, TRUE },
        { "STATS", AGENT_CMD_STATS, FALSE, FALSE, TRUE },
        { "IDSESSION", AGENT_CMD_IDSESSION, FALSE, FALSE, FALSE },
        { "INSTREAM", AGENT_CMD_INSTREAM, FALSE, FALSE, TRUE },
        { "DETSTATSCLEAR", AGENT_CMD_DETSTATSCLEAR, FALSE, TRUE, FALSE },
        { "DETSTATS", AGENT_CMD_DETSTATS, FALSE, TRUE, FALSE },
        { "ALLMATCHSCAN", AGENT_CMD_ALLMATCHSCAN, TRUE, FALSE, FALSE }, /* clamd: not in IDSESSION */
};

void agent_frame_clear(AgentFrame *frame)
{
        g_clear_pointer(&frame->text, g_free);
}

static AgentFrameStatus frame_until(const char *buf, gsize len, char prefix, char end,
                                    AgentFrame *frame)
{
        gsize start = prefix ? 1 : 0;
        const char *hit = memchr(buf + start, end, len - start);
        if (!hit)
                return len >= AGENT_COMMAND_MAX ? AGENT_FRAME_TOO_LONG : AGENT_FRAME_INCOMPLETE;
        gsize n = (gsize)(hit - buf) - start;
        if (n + start > AGENT_COMMAND_MAX)
                return AGENT_FRAME_TOO_LONG;
        if (end == '\n' && n > 0 && buf[start + n - 1] == '\r')
                n--; /* clamd chomps a trailing CR */
        frame->prefix = prefix;
        frame->term = prefix == 'z' ? '\0' : '\n';
        frame->text = g_strndup(buf + start, n);
        frame->consumed = (gsize)(hit - buf) + 1;
        return AGENT_FRAME_COMMAND;
}

AgentFrameStatus agent_protocol_frame(const char *buf, gsize len, gboolean in_session,
                                      gboolean packet_end, AgentFrame *frame)
{
        memset(frame, 0, sizeof(*frame));
        if (len == 0)
                return AGENT_FRAME_INCOMPLETE;
        if (buf[0] == 'z')
                return frame_until(buf, len, 'z', '\0', frame);
        if (buf[0] == 'n')
                return frame_until(buf, len, 'n', '\n', frame);
        if (in_session)
                return AGENT_FRAME_OLD_IN_SESSION;
        AgentFrameStatus st = frame_until(buf, len, 0, '\n', frame);
        if (st != AGENT_FRAME_INCOMPLETE || !packet_end)
                return st;
        /* one packet is one command */
        frame->prefix = 0;
        frame->term = '\n';
        frame->text = g_strndup(buf, MIN(len, AGENT_COMMAND_MAX));
        frame->consumed = len;
        return AGENT_FRAME_COMMAND;
}

AgentCommandKind agent_protocol_parse(const char *text, gboolean prefixed, const char **arg)
{
        *arg = NULL;
        for (gsize i = 0; i < G_N_ELEMENTS(commands); i++) {
                const CommandInfo *c = &commands[i];
                gsize n = strlen(c->name);
                if (strncmp(text, c->name, n) != 0)
                        continue;
                if (!prefixed && !c->old_style)
                        return AGENT_CMD_UNKNOWN;
                if (!c->takes_arg)
                        return text[n] == '\0' ? c->kind : AGENT_CMD_UNKNOWN;
                if (text[n] != ' ' || text[n + 1] == '\0')
                        return AGENT_CMD_UNKNOWN;
                *arg = text + n + 1;
                return c->kind;
        }
        return AGENT_CMD_UNKNOWN;
}

static const CommandInfo *info(AgentCommandKind kind)
{
        for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
                if (commands[i].kind == kind)
                        return &commands[i];
        return NULL;
}

gboolean agent_protocol_allowed_in_session(AgentCommandKind kind)
{
        const CommandInfo *c = info(kind);
        return c && c->in_session;
}

const char *agent_protocol_command_name(AgentCommandKind kind)
{
        const CommandInfo *c = info(kind);
        return c ? c->name : "UNKNOWN";
}

char *agent_protocol_versioncommands(const char *version)
{
        g_autofree char *base = g_strdup(version);
        char *slash = strchr(base, '/');
        if (slash)
                *slash = '\0';
        GString *s = g_string_new(base);
        g_string_append(s, "| COMMANDS:");
        static const char *const order[] = {
                "SCAN", "QUIT", "RELOAD", "PING", "CONTSCAN", "VERSIONCOMMANDS", "VERSION",
                "END", "SHUTDOWN", "MULTISCAN", "FILDES", "STATS", "IDSESSION", "INSTREAM",
                "DETSTATSCLEAR", "DETSTATS", "ALLMATCHSCAN",
        };
        for (gsize i = 0; i < G_N_ELEMENTS(order); i++)
                g_string_append_printf(s, " %s", order[i]);
        return g_string_free(s, FALSE);
}
