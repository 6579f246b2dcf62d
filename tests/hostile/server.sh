# tests/hostile/server.sh — one scenario of tests/hostile/ftpd.py at a time, for the hostile suites
# (sourced, not run, after tests/lib/suite.sh and suite_begin).
# Owns: starting the scripted server in its own directory and stopping it by pid.
# Must not: check anything (the suites do) or start other peers.
#
#   start_server SCENARIO [FILE…]  stops the last server, makes SUITE_DIR/srv-SCENARIO afresh (the
#                            FILEs copied into it: a certificate and its key), starts the server
#                            there and waits until it listens; sets FTP_PORT, SRV_DIR, SRV_PID.
#                            The server's log of the conversation is SRV_DIR/log.
#   stop_server              stops it (also run at the suite's exit)
SRV_PID=
stop_server() { stop_pid "$SRV_PID"; SRV_PID=; }
suite_at_exit stop_server

start_server() {
        local scenario=$1
        shift
        stop_server
        SRV_DIR=$SUITE_DIR/srv-$scenario
        rm -rf "$SRV_DIR"  # a scenario may run twice: never read the last run's port
        mkdir -p "$SRV_DIR"
        [ $# -eq 0 ] || cp -- "$@" "$SRV_DIR/" || exit 1
        timeout 60 /usr/bin/python3 "$top_srcdir/tests/hostile/ftpd.py" "$scenario" "$SRV_DIR" \
                >"$SRV_DIR/out" 2>&1 &
        SRV_PID=$!
        suite_start "the hostile server ($scenario)" wait_until 10 test -s "$SRV_DIR/port"
        FTP_PORT=$(cat "$SRV_DIR/port")
}
