# tests/lib/agent.sh — a private clamav-agent for the test suites and benchmarks (sourced, not run).
# Owns: the agent's config, socket, spool and log in a test's own directory; waiting until it
# answers; stopping it by pid. Must not: touch /run, /var/lib/clamav or any system daemon.
#
#   agent_available          exit 0 when $top_builddir/src/clamav-agent is built
#   agent_start DIR [LINE…]  creates DIR if needed, writes DIR/agent.conf (the lines given are
#                            appended, so they override the defaults below), starts
#                            $top_builddir/src/clamav-agent --config DIR/agent.conf in the
#                            foreground and waits (AGENT_START_TIMEOUT seconds, default 20) until
#                            PING answers PONG. Exports AGENT_SOCKET (a path), AGENT_ADDRESS
#                            (unix:…), AGENT_PID, AGENT_LOG, AGENT_CONF, AGENT_DB. Returns 1 on
#                            failure, with the agent's output on stderr.
#                            Optional, set before calling:
#                              AGENT_DB=DIR       signatures (default: $top_srcdir/data/signatures)
#                              AGENT_TCP_PORT=N   also listen on 127.0.0.1:N; exports
#                                                 AGENT_TCP_ADDRESS=tcp:127.0.0.1:N
#   agent_stop               SIGTERM, waits until the agent is gone (SIGKILL after 10 s)
#   agent_client ARGS…       runs tests/agent/client.py (the agent suites' misbehaving client)
#
# Use it with a trap, e.g.:  trap 'agent_stop; rm -rf "$dir"' EXIT
# The agent's settings are clamd.conf's names; a later line wins, unlike clamd (first wins).
declare -F stop_pid >/dev/null || . "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/clamd.sh"

AGENT_BIN=$top_builddir/src/clamav-agent

agent_available() { [ -x "$AGENT_BIN" ]; }

agent_client() { /usr/bin/python3 "$top_srcdir/tests/agent/client.py" "$@"; }

agent_start() {
        local dir=$1
        shift
        mkdir -p "$dir" && dir=$(cd "$dir" && pwd) || return 1
        AGENT_SOCKET=$dir/agent.sock
        AGENT_ADDRESS=unix:$AGENT_SOCKET
        AGENT_LOG=$dir/agent.log
        AGENT_CONF=$dir/agent.conf
        AGENT_DB=${AGENT_DB:-$top_srcdir/data/signatures}
        mkdir -p "$dir/tmp" && chmod 700 "$dir/tmp"
        {
                echo "LocalSocket $AGENT_SOCKET"
                echo "DatabaseDirectory $AGENT_DB"
                echo "TemporaryDirectory $dir/tmp"
                echo "PidFile $dir/agent.pid"
                echo "LogFile $AGENT_LOG"
                echo "Foreground yes"
                echo "Bytecode no"
                if [ -n "${AGENT_TCP_PORT:-}" ]; then
                        echo "TCPSocket $AGENT_TCP_PORT"
                        echo "TCPAddr 127.0.0.1"
                fi
                local line
                for line in "$@"; do echo "$line"; done
        } >"$AGENT_CONF"
        "$AGENT_BIN" --config "$AGENT_CONF" >"$dir/agent.out" 2>&1 </dev/null &
        AGENT_PID=$!
        AGENT_TCP_ADDRESS=
        [ -z "${AGENT_TCP_PORT:-}" ] || AGENT_TCP_ADDRESS=tcp:127.0.0.1:$AGENT_TCP_PORT
        export AGENT_SOCKET AGENT_ADDRESS AGENT_PID AGENT_LOG AGENT_CONF AGENT_DB AGENT_TCP_ADDRESS
        local end=$(( $(date +%s) + ${AGENT_START_TIMEOUT:-20} ))
        until clamd_ping "$AGENT_SOCKET" >/dev/null 2>&1; do
                if ! kill -0 "$AGENT_PID" 2>/dev/null || [ "$(date +%s)" -ge "$end" ]; then
                        echo "clamav-agent did not start; its output follows" >&2
                        cat "$dir/agent.out" >&2
                        agent_stop
                        return 1
                fi
                sleep 0.02
        done
}

agent_stop() {
        stop_pid "${AGENT_PID:-}" 10
        AGENT_PID=
}
