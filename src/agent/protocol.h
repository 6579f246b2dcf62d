/* agent/protocol.h — clamd's command language: framing (z/n prefixes, old style), command names,
 * reply text. Owns: turning received bytes into one AgentCommand, and the fixed reply strings.
 * Must not: read or write sockets, scan, or keep state between calls. */
#pragma once
#include <glib.h>

/* clamd's per-connection command buffer: PATH_MAX + 8. */
#define AGENT_COMMAND_MAX 4104

typedef enum {
        AGENT_CMD_UNKNOWN,
        AGENT_CMD_PING,
        AGENT_CMD_VERSION,
        AGENT_CMD_VERSIONCOMMANDS,
        AGENT_CMD_INSTREAM,
        AGENT_CMD_FILDES,
        AGENT_CMD_SCAN,
        AGENT_CMD_CONTSCAN,
        AGENT_CMD_MULTISCAN,
        AGENT_CMD_ALLMATCHSCAN,
        AGENT_CMD_IDSESSION,
        AGENT_CMD_END,
        AGENT_CMD_STATS,
        AGENT_CMD_RELOAD,
        AGENT_CMD_SHUTDOWN,
        AGENT_CMD_QUIT,
        AGENT_CMD_DETSTATS,
        AGENT_CMD_DETSTATSCLEAR,
} AgentCommandKind;

typedef enum {
        AGENT_FRAME_INCOMPLETE, /* need more bytes */
        AGENT_FRAME_COMMAND,    /* frame->text holds one command */
        AGENT_FRAME_TOO_LONG,   /* no terminator within AGENT_COMMAND_MAX */
        AGENT_FRAME_OLD_IN_SESSION, /* an unprefixed command inside IDSESSION */
} AgentFrameStatus;

typedef struct {
        char prefix;          /* 'z', 'n' or 0 (old style) */
        char term;            /* reply terminator: '\0' for z, '\n' otherwise */
        char *text;           /* the command without prefix or terminator; transfer full */
        gsize consumed;       /* bytes of the buffer this frame used */
} AgentFrame;

void agent_frame_clear(AgentFrame *frame);

/* Finds one command at the start of buf. Old-style commands end at '\n' or, like clamd's "one
 * packet is one command", at the end of what has been received (packet_end TRUE). */
AgentFrameStatus agent_protocol_frame(const char *buf, gsize len, gboolean in_session,
                                      gboolean packet_end, AgentFrame *frame);

/* Parses frame text into a command. *arg points into text (NULL when the command takes none).
 * Names are case-sensitive; a command that needs an argument and has none, or trailing bytes after
 * one that takes none, is AGENT_CMD_UNKNOWN; so are prefix-only commands sent old style. */
AgentCommandKind agent_protocol_parse(const char *text, gboolean prefixed, const char **arg);

/* Is the command allowed inside IDSESSION? */
gboolean agent_protocol_allowed_in_session(AgentCommandKind kind);

const char *agent_protocol_command_name(AgentCommandKind kind);

/* The VERSIONCOMMANDS reply body for a version string "ClamAV x.y.z[/…]". transfer full */
char *agent_protocol_versioncommands(const char *version);

#define AGENT_REPLY_UNKNOWN "UNKNOWN COMMAND"
#define AGENT_REPLY_TIMEOUT "COMMAND READ TIMED OUT"
#define AGENT_REPLY_TOO_LONG "COMMAND TOO LONG. ERROR"
#define AGENT_REPLY_SIZE_LIMIT "INSTREAM size limit exceeded. ERROR"
#define AGENT_REPLY_UNAVAILABLE "COMMAND UNAVAILABLE"
#define AGENT_REPLY_NO_FD "No file descriptor received. ERROR"
#define AGENT_REPLY_STRAY_FD "PROTOCOL ERROR: ancillary data sent without FILDES. ERROR"
#define AGENT_REPLY_PROCESSING "Error processing command. ERROR"
#define AGENT_REPLY_ALLMATCH_OFF "ALLMATCHSCAN command disabled by clamd configuration. ERROR"
#define AGENT_REPLY_SESSION_INVALID "Command invalid inside IDSESSION. ERROR"
#define AGENT_REPLY_SESSION_OLD "Only nCMDS\\n and zCMDS\\0 are accepted inside IDSESSION. ERROR"
#define AGENT_REPLY_MAX_CONNECTIONS "MAX CONNECTIONS REACHED. ERROR"
#define AGENT_REPLY_MAX_CLIENT_CONNECTIONS "MAX CONNECTIONS PER CLIENT REACHED. ERROR"
#define AGENT_REPLY_TOO_SLOW "INSTREAM data arrived too slowly (under StreamMinRate). ERROR"
#define AGENT_REPLY_QUEUE_FULL "MAX QUEUE REACHED, try again later. ERROR"
