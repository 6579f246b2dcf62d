/* clamav-agent.c — main() of the scanning daemon; everything lives in src/agent.
 * Must not: grow; options, engine and server belong to agent/daemon.c and friends. */
#include "config.h"
#include "agent/daemon.h"

int main(int argc, char **argv)
{
        return agent_daemon_main(argc, argv);
}
