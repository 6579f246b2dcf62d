# tests/agent/lib.sh — start and stop a private clamav-agent for the agent suites (sourced).
# Owns: the agent's config, socket, spool and log in a test's own directory; stop by pid.
# Must not: touch /run, /var/lib/clamav or any system daemon.
#
#   agent_start DIR [CONF LINES…]  starts $top_builddir/src/clamav-agent --foreground with
#                                  DIR/agent.conf (extra lines appended), waits (≤ 20 s) for PONG;
#                                  exports AGENT_SOCKET AGENT_PID AGENT_LOG AGENT_CONF AGENT_DB.
#                                  AGENT_DB (default: data/signatures) may be set before.
#                                  AGENT_TCP_PORT=N also listens on 127.0.0.1:N.
#   agent_stop                     SIGTERM, wait until gone (kill -9 after 10 s)
#   agent_client ARGS…             runs tests/agent/client.py with /usr/bin/python3
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/clamd.sh"

AGENT_BIN=$top_builddir/src/clamav-agent

agent_client() { /usr/bin/python3 "$top_srcdir/tests/agent/client.py" "$@"; }

agent_start() {
        local dir=$1
        shift
        dir=$(cd "$dir" && pwd) || return 1
        AGENT_SOCKET=$dir/agent.sock
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
                [ -z "${AGENT_TCP_PORT:-}" ] || echo "TCPSocket $AGENT_TCP_PORT"
                local line
                for line in "$@"; do echo "$line"; done
        } >"$AGENT_CONF"
        "$AGENT_BIN" --config "$AGENT_CONF" >"$dir/agent.out" 2>&1 </dev/null &
        AGENT_PID=$!
        export AGENT_SOCKET AGENT_PID AGENT_LOG AGENT_CONF AGENT_DB
        local end=$(( $(date +%s) + 20 ))
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
        [ -n "${AGENT_PID:-}" ] || return 0
        kill "$AGENT_PID" 2>/dev/null
        local i=0
        while kill -0 "$AGENT_PID" 2>/dev/null && [ $i -lt 500 ]; do
                sleep 0.02
                i=$((i + 1))
        done
        kill -9 "$AGENT_PID" 2>/dev/null
        wait "$AGENT_PID" 2>/dev/null
        AGENT_PID=
}
