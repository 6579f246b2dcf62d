/* tests/fuzz/fuzz-agent-protocol.c — clamav-agent's framing and command parser (agent/protocol.c)
 * over a buffer of commands, as a session walks it, in and out of IDSESSION. The first byte says
 * where a packet ends. Properties: a frame consumes at least one byte and no more than there are,
 * holds at most AGENT_COMMAND_MAX bytes, has the terminator its prefix asks for; an argument lies
 * inside the text and is never empty; a command allowed in a session has a name. */
#include "tests/fuzz/fuzz.h"
#include "agent/protocol.h"

static void check_command(const AgentFrame *frame)
{
        const char *arg = NULL;
        AgentCommandKind kind = agent_protocol_parse(frame->text, frame->prefix != 0, &arg);
        FUZZ_ASSERT(kind >= AGENT_CMD_UNKNOWN && kind <= AGENT_CMD_DETSTATSCLEAR);
        if (arg) {
                gsize len = strlen(frame->text);
                FUZZ_ASSERT(arg > frame->text && arg <= frame->text + len && *arg != '\0');
        }
        if (kind == AGENT_CMD_UNKNOWN)
                FUZZ_ASSERT(arg == NULL);
        if (agent_protocol_allowed_in_session(kind))
                FUZZ_ASSERT(strcmp(agent_protocol_command_name(kind), "UNKNOWN") != 0);
}

FUZZ_INITIALIZE_STRICT()

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        guint8 choice = fuzz_take_byte(&data, &size);
        gboolean in_session = choice & 1;
        gsize packet = choice >> 1; /* 0: the packet ends with the input */
        const char *buf = (const char *)data;
        gsize len = size;
        while (len > 0) {
                gsize avail = packet ? MIN(len, packet) : len;
                AgentFrame frame;
                AgentFrameStatus st = agent_protocol_frame(buf, avail, in_session, TRUE, &frame);
                if (st != AGENT_FRAME_COMMAND) {
                        FUZZ_ASSERT(frame.text == NULL);
                        break;
                }
                FUZZ_ASSERT(frame.consumed >= 1 && frame.consumed <= avail);
                FUZZ_ASSERT(strlen(frame.text) <= AGENT_COMMAND_MAX);
                FUZZ_ASSERT(frame.prefix == 0 || frame.prefix == 'z' || frame.prefix == 'n');
                FUZZ_ASSERT(frame.term == (frame.prefix == 'z' ? '\0' : '\n'));
                check_command(&frame);
                const char *arg;
                if (agent_protocol_parse(frame.text, frame.prefix != 0, &arg) == AGENT_CMD_IDSESSION)
                        in_session = TRUE;
                buf += frame.consumed;
                len -= frame.consumed;
                agent_frame_clear(&frame);
        }
        g_autofree char *versions = agent_protocol_versioncommands("ClamAV 1.4.6/27000/Mon");
        FUZZ_ASSERT(g_str_has_prefix(versions, "ClamAV 1.4.6| COMMANDS:"));
        return 0;
}
