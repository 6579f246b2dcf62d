#!/bin/bash
# tests/agent/agent-activation.sh — clamav-agent under socket activation (clamav-agent.socket):
# started by systemd-socket-activate on the first connection, it scans EICAR and a clean file
# through the socket it inherited and leaves that socket to systemd; started by
# tests/agent/activate.py, it takes an inherited TCP socket when the configuration names none,
# and refuses a socket that is not its LocalSocket, or not a listening stream socket.
. "$top_srcdir/tests/lib/suite.sh"
suite_begin agent-activation agent-bin tool:systemd-socket-activate=systemd tool:ss=iproute2
grep -q '^#define HAVE_LIBSYSTEMD 1' "$top_builddir/config.h" ||
        skip_all "configured without libsystemd: the agent ignores LISTEN_FDS"
sigs=$top_srcdir/data/signatures
activate=$top_srcdir/tests/agent/activate.py
pids=()
suite_at_exit 'for p in "${pids[@]}"; do stop_pid "$p" 10; done'

# conf FILE [LINE…]: an agent configuration in the suite's directory, logging to FILE.log
conf() {
        local file=$1
        shift
        mkdir -p "$dir/tmp" && chmod 700 "$dir/tmp"
        {
                echo "DatabaseDirectory $sigs"
                echo "TemporaryDirectory $dir/tmp"
                echo "LogFile $file.log"
                echo "Foreground yes"
                echo "Bytecode no"
                local line
                for line in "$@"; do echo "$line"; done
        } >"$file"
}
# comm_of PID: the program PID runs now
comm_of() { cat "/proc/$1/comm" 2>/dev/null; }

printf 'a clean file\n' >"$dir/clean.txt"
eicar >"$dir/eicar.com"

# 1. systemd-socket-activate, as clamav-agent.socket: the socket exists before the agent runs.
conf "$dir/sd.conf" "LocalSocket $dir/sd.sock"
systemd-socket-activate -l "$dir/sd.sock" "$AGENT_BIN" --config "$dir/sd.conf" \
        >"$dir/sd.out" 2>&1 </dev/null &
sd_pid=$!
pids+=("$sd_pid")
expect "systemd-socket-activate listens before the agent runs" \
        wait_until 10 test -S "$dir/sd.sock"
expect_output "no agent until the first connection" '^systemd-socket' comm_of "$sd_pid"
expect "EICAR through the inherited socket (INSTREAM): FOUND" \
        agent_client stream_file "$dir/sd.sock" - "$dir/eicar.com" FOUND
expect_output "the first connection started the agent in its place" '^clamav-agent$' \
        comm_of "$sd_pid"
expect "a clean file through the inherited socket: OK" \
        agent_client stream_file "$dir/sd.sock" - "$dir/clean.txt" OK
expect "FILDES works on the inherited unix socket (it is the local one)" \
        agent_client fildes_file "$dir/sd.sock" - "$dir/fildes.bin"
expect_output "the agent says it took systemd's socket" "socket activation: 1 socket.*unix $dir/sd.sock" \
        cat "$dir/sd.conf.log"
stop_pid "$sd_pid" 20
expect "after the agent stops, the socket is still there: it is systemd's to remove" \
        test -S "$dir/sd.sock"

# 2. A TCP socket, and a configuration that names no listener of its own (LocalSocket at its
# default): the agent serves the inherited socket and binds nothing.
port=$(free_port)
conf "$dir/tcp.conf"
"$activate" "tcp:$port" -- "$AGENT_BIN" --config "$dir/tcp.conf" >"$dir/tcp.out" 2>&1 </dev/null &
tcp_pid=$!
pids+=("$tcp_pid")
expect "activate.py listens on 127.0.0.1:$port" \
        wait_until 10 sh -c "ss -Hltn 'sport = :$port' | grep -q LISTEN"
expect "EICAR through an inherited TCP socket: FOUND" /usr/bin/python3 -c "
import socket, struct, sys
data = open('$dir/eicar.com', 'rb').read()
s = socket.create_connection(('127.0.0.1', $port), timeout=30)
s.sendall(b'zINSTREAM\0' + struct.pack('>I', len(data)) + data + struct.pack('>I', 0))
r = s.recv(4096); print(r); assert r.endswith(b' FOUND\0'), r"
expect_output "with LocalSocket at its default, only the inherited socket is served" \
        'ready: .*socket off, TCP ' cat "$dir/tcp.conf.log"
stop_pid "$tcp_pid" 20

# 3. Refusals: a unix socket that is not LocalSocket, a file, a datagram socket. The agent must
# exit 1 and say why, before it would serve anything.
# refuses CONF PATTERN SPEC…: activate.py SPEC… starts the agent, which exits 1 with PATTERN
refuses() {
        local c=$1 pattern=$2 rc
        shift 2
        timeout 30 "$activate" "$@" -- "$AGENT_BIN" --config "$c" >"$dir/refused.out" 2>&1 </dev/null
        rc=$?
        echo "exit status $rc"
        cat "$dir/refused.out"
        [ $rc -eq 1 ] && grep -q -- "$pattern" "$dir/refused.out"
}
conf "$dir/named.conf" "LocalSocket $dir/named.sock"
expect "a unix socket that is not LocalSocket: exit 1, both paths named" \
        refuses "$dir/named.conf" "passed the unix socket $dir/other.sock but LocalSocket is $dir/named.sock" \
        "unix:$dir/other.sock"
expect "... and the agent did not bind LocalSocket instead" test ! -e "$dir/named.sock"
expect "a regular file for a socket: exit 1" \
        refuses "$dir/named.conf" "not a listening stream socket" "file:$dir/clean.txt"
expect "a datagram socket: exit 1" \
        refuses "$dir/named.conf" "not a listening stream socket" "dgram:$dir/dgram.sock"
conf "$dir/port.conf" "TCPSocket $(free_port)"
expect "a TCP socket on another port than TCPSocket: exit 1" \
        refuses "$dir/port.conf" "not on TCPSocket's port" "tcp:$(free_port)"
tap_done
