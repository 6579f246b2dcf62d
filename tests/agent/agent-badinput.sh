#!/bin/bash
# tests/agent/agent-badinput.sh — clamav-agent against clients that misbehave: each case checks
# the exact reply and that the agent still answers the next client.
. "$top_srcdir/tests/lib/suite.sh"
suite_begin agent-badinput agent-bin
AGENT_TCP_PORT=$(free_port)
suite_start clamav-agent agent_start "$dir" "CommandReadTimeout 2" "ReadTimeout 2" "StreamMaxLength 1M" \
        "StreamMemoryMax 256K" "MaxThreads 2" "MaxQueue 2" "MaxConnections 6" \
        "MaxConnectionsPerClient 6" \
        "SendBufTimeout 500"

run() { # run DESCRIPTION CASE [ARGS…]
        local desc=$1 case=$2
        shift 2
        expect "$desc" agent_client "$case" "$AGENT_SOCKET" "$AGENT_TCP_PORT" "$@"
}

# the slow cases (timeouts) run in the background while the quick ones go on
slow_out=$dir/slow
: >"$slow_out"
slow_pids=
for c in no_terminator silent stall_mid_stream; do
        ( if out=$(agent_client "$c" "$AGENT_SOCKET" "$AGENT_TCP_PORT" 2>&1); then
                  echo "ok $c" >>"$slow_out"
          else
                  echo "not ok $c $out" >>"$slow_out"
          fi ) &
        slow_pids="$slow_pids $!"
done

run "unknown command: UNKNOWN COMMAND" unknown
run "trailing bytes, lowercase, missing argument: UNKNOWN COMMAND" trailing
run "INSTREAM without z/n prefix: UNKNOWN COMMAND" oldstyle_instream
run "HTTP request and binary garbage: UNKNOWN COMMAND at once" garbage
run "command over 4104 bytes: COMMAND TOO LONG. ERROR" too_long
run "chunk length above StreamMaxLength: size limit before any payload" chunk_over_max
run "chunk length 0xFFFFFFFF: size limit exceeded" chunk_ffffffff
run "chunks adding up past StreamMaxLength: size limit exceeded" cumulative_over_max
run "exactly StreamMaxLength bytes (spooled to disk): OK" exactly_max
run "empty stream: OK" empty_stream
run "EICAR in 1-byte chunks, length header split: FOUND" one_byte_chunks
run "stream cut in the middle of a chunk: no verdict" cut_mid_chunk
run "INSTREAM with no chunks then EOF: no verdict" no_chunks
run "thousands of zero-length chunks: one verdict" many_zero_chunks
run "data after the terminator: verdict still sent" data_after_end
run "two commands on one connection: only the first answered" two_commands
run "nPING with CRLF: PONG" crlf
run "FILDES over TCP: No file descriptor received, at once" fildes_tcp
run "FILDES without a descriptor: No file descriptor received" fildes_none
run "FILDES of a directory: Not a regular file" fildes_dir
run "FILDES of a pipe carrying EICAR: Not a regular file" fildes_pipe
run "FILDES of a regular file with EICAR: FOUND" fildes_file "$dir/fd-eicar"
run "IDSESSION with 5000 commands: 5000 replies in order" session_many
run "IDSESSION with PING and two INSTREAMs: ids match" session_mixed
run "IDSESSION + SHUTDOWN/RELOAD/IDSESSION/CONTSCAN: invalid inside IDSESSION" session_invalid
run "IDSESSION + old-style PING: only nCMDS and zCMDS" session_oldstyle
run "END without IDSESSION: UNKNOWN COMMAND" end_without_session
run "SHUTDOWN and RELOAD over TCP: COMMAND UNAVAILABLE" shutdown_tcp
run "SCAN over TCP: COMMAND UNAVAILABLE" scan_tcp
run "SCAN of a missing path: File path check failure" scan_missing
run "SCAN of /dev/null: one Not supported file type ERROR" scan_devnull
run "a client that never reads its replies is dropped" never_reads
run "STATS: clamd's format, ends with END" stats "CONNECTIONS:"

if command -v setpriv >/dev/null; then
        chmod 0711 "$dir"
        chmod 0666 "$AGENT_SOCKET"
        unprivileged_shutdown() {
                setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/python3 \
                        "$top_srcdir/tests/agent/client.py" shutdown_unprivileged "$AGENT_SOCKET" - &&
                        clamd_ping "$AGENT_SOCKET"
        }
        expect "SHUTDOWN from an unprivileged uid: COMMAND UNAVAILABLE, agent keeps running" unprivileged_shutdown
        chmod 0660 "$AGENT_SOCKET"
        chmod 0700 "$dir"
else
        skip "SHUTDOWN from an unprivileged uid" "setpriv is not installed"
fi

for p in $slow_pids; do wait "$p"; done
slow_case_ok() { grep -q "^ok $1\$" "$slow_out" || { grep "$1" "$slow_out"; false; }; }
for c in no_terminator silent stall_mid_stream; do
        expect "slow case $c: COMMAND READ TIMED OUT after the timeout" slow_case_ok "$c"
done
# with the slow clients gone: MaxConnections (6) idle clients, the next one is refused at once
run "more connections than MaxConnections: MAX CONNECTIONS REACHED at once" max_connections 6

agent_alive() { kill -0 "$AGENT_PID" 2>/dev/null && clamd_ping "$AGENT_SOCKET" || { tail -n 20 "$AGENT_LOG"; false; }; }
expect "the agent survived every case" agent_alive
tap_done
