/* agent/daemon.h — the process side of clamav-agent: options, detaching, the pid file.
 * Owns: turning argv into an AgentConf and running the daemon's life cycle.
 * Must not: speak the protocol or scan. */
#pragma once

/* The whole program; returns the exit status. */
int agent_daemon_main(int argc, char **argv);
