#!/bin/bash
# tests/agent/agent-limits.sh — clamav-agent's limits on one client and on its disk:
# MaxConnectionsPerClient (per uid on the unix socket, per address over TCP), StreamMinRate (a
# trickling sender is cut with an ERROR), a spool on a full file system, a temporary or scratch
# directory missing at start or removed under the running agent: never OK, the agent keeps
# serving and makes its own directories again; ScratchDirectory auto on /dev/shm.
. "$top_srcdir/tests/lib/suite.sh"
suite_begin agent-limits agent-bin
mnt=
suite_at_exit 'agent_stop; [ -z "$mnt" ] || umount "$mnt" 2>/dev/null'

# ---- one client cannot take every connection; a slow sender cannot hold one ----
AGENT_TCP_PORT=$(free_port)
suite_start clamav-agent agent_start "$dir/a" "MaxThreads 2" "MaxQueue 4" "MaxConnections 8" \
        "MaxConnectionsPerClient 3" "StreamMinRate 1K" "StreamRateWindow 2" "ReadTimeout 30"

run() { # run DESCRIPTION CASE [ARGS…]
        local desc=$1 case=$2
        shift 2
        expect "$desc" agent_client "$case" "$AGENT_SOCKET" "$AGENT_TCP_PORT" "$@"
}

# the trickling sender takes a few seconds: in the background while the rest goes on
( agent_client slow_stream "$AGENT_SOCKET" - 1024 2 >"$dir/slow.out" 2>&1
  echo $? >"$dir/slow.rc" ) &
slow_pid=$!
run "MaxConnectionsPerClient over TCP: the 4th from 127.0.0.1 refused at once, 127.0.0.2 served" \
        per_client_cap 3 tcp

wait "$slow_pid"
slow_cut() { [ "$(cat "$dir/slow.rc")" = 0 ] || failed_with "$dir/slow.out"; }
expect "a stream at 10 bytes/s (StreamMinRate 1K over 2 s): ERROR within the window, no OK" slow_cut
expect "the cut is logged with the peer and the rule" grep -q "slower than StreamMinRate" "$AGENT_LOG"
run "a stream pausing past a window after enough data: OK" paused_stream 2
run "MaxConnectionsPerClient on the unix socket: the 4th from one uid refused at once" \
        per_client_cap 3 unix

if command -v setpriv >/dev/null; then
        # root holds its 3; another uid still gets in
        chmod 0711 "$dir" "$dir/a"
        chmod 0666 "$AGENT_SOCKET"
        /usr/bin/python3 - "$AGENT_SOCKET" <<'PY' &
import socket, sys, time
held = []
for _ in range(3):
    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b"zIDSESSION\0zPING\0")
    assert s.recv(16) == b"1: PONG\0"
    held.append(s)
open(sys.argv[1] + ".held", "w").close()
time.sleep(30)
PY
        holder=$!
        wait_until 10 test -e "$AGENT_SOCKET.held"
        out=$(setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/python3 -c "
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b'zPING\0')
print(s.recv(64))" "$AGENT_SOCKET" 2>&1)
        kill "$holder" 2>/dev/null
        wait "$holder" 2>/dev/null
        expect_output "while uid 0 holds its 3 connections, uid 65534 is served" "^b'PONG\\\\x00'\$" echo "$out"
        chmod 0660 "$AGENT_SOCKET"
        chmod 0700 "$dir" "$dir/a"
else
        skip "another uid is served while uid 0 is at its cap" "setpriv is not installed"
fi
expect "STATS names MaxConnections and MaxConnectionsPerClient" \
        agent_client stats "$AGENT_SOCKET" - "max 8 per-client 3 refused "
agent_stop

# ---- the temporary directory ----
printf 'LocalSocket %s\nDatabaseDirectory %s\nTemporaryDirectory %s\nForeground yes\nBytecode no\n' \
        "$dir/t.sock" "$top_srcdir/data/signatures" "$dir/no-such-dir" >"$dir/t.conf"
refuses_missing_tmp() {
        local out
        out=$("$AGENT_BIN" --config "$dir/t.conf" 2>&1) && return 1
        echo "$out"
        echo "$out" | grep -q "TemporaryDirectory" && [ ! -e "$dir/t.sock" ]
}
expect "TemporaryDirectory missing at start: a non-zero exit, names the setting, no socket" refuses_missing_tmp

head -c $((2 * 1024 * 1024)) /dev/urandom >"$dir/big.bin"
head -c 4096 /dev/urandom >"$dir/small.bin"
eicar >"$dir/eicar.txt"
(cd "$dir" && zip -q eicar.zip eicar.txt)
suite_start "the agent (b)" agent_start "$dir/b" "StreamMemoryMax 64K" "ScratchDirectory $dir/b/tmp"
spool=$(ls -d "$dir/b/tmp"/clamav-agent.* 2>/dev/null)
rm -rf "$spool"
run "the private spool directory removed: a spooled stream still scans (it is made again)" \
        stream_file "$dir/big.bin" OK
rm -rf "$dir/b/tmp"
run "TemporaryDirectory removed: a spooled stream gets ERROR, never OK" \
        stream_file "$dir/big.bin" ERROR
run "TemporaryDirectory (and libclamav's scratch in it) removed: a zip with EICAR gets ERROR, never OK" \
        stream_file "$dir/eicar.zip" "Can't create temporary directory for scan: $dir/b/tmp/*ERROR"
mkdir -m 0700 "$dir/b/tmp"
run "TemporaryDirectory back: the scratch directory is made again, EICAR in a zip found" \
        stream_file "$dir/eicar.zip" FOUND
run "TemporaryDirectory back: a spooled stream scans again" stream_file "$dir/big.bin" OK
expect "the failures are logged" grep -q "Can't create temporary directory for scan" "$AGENT_LOG"
agent_stop

# ScratchDirectory auto: /dev/shm when it is a tmpfs with room for MaxThreads × MaxScanSize
suite_start "the agent (d)" agent_start "$dir/d" "MaxThreads 2" "MaxScanSize 10M"
scratch=$(sed -n "s/.*libclamav's scratch directory: \([^ ]*\).*/\1/p" "$AGENT_LOG" | head -n 1)
if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ]; then
        private_on_shm() {
                echo "ScratchDirectory auto chose '$scratch'"
                case $scratch in /dev/shm/clamav-agent-scratch.*) ;; *) return 1 ;; esac
                [ -d "$scratch" ] && [ "$(stat -c %a "$scratch")" = 700 ]
        }
        expect "ScratchDirectory auto: a private 0700 directory on /dev/shm" private_on_shm
        rm -rf "$scratch"
        run "the scratch directory removed under the agent: made again, EICAR in a zip found" \
                stream_file "$dir/eicar.zip" FOUND
else
        skip "ScratchDirectory auto on /dev/shm" "/dev/shm is not a tmpfs here"
fi
pid=$AGENT_PID
agent_stop
expect "the scratch directory ($scratch) is removed when the agent ($pid) stops" \
        eval '[ -n "$scratch" ] && [ ! -e "$scratch" ]'

# ---- the spool's file system full (a 1 MiB tmpfs, mounted here as root) ----
mnt=$dir/small-fs
mkdir -p "$mnt"
if [ "$(id -u)" != 0 ]; then
        mnt=
        skip "a full spool file system" "mounting a tmpfs needs root"
elif ! mount -t tmpfs -o size=1m,mode=0700 clamftp-test "$mnt" 2>"$dir/mount.err"; then
        mnt=
        skip "a full spool file system" "mount -t tmpfs is not allowed here: $(cat "$dir/mount.err")"
else
        suite_start "the agent (c)" agent_start "$dir/c" "StreamMemoryMax 64K" "TemporaryDirectory $mnt"
        run "spool file system full (2 MiB into 1 MiB): ERROR naming the cause, no OK" \
                stream_file "$dir/big.bin" "No space left on device ERROR"
        run "after the full file system the agent scans the next stream: OK" \
                stream_file "$dir/small.bin" OK
        run "and still finds EICAR" stream_file "$dir/eicar.txt" FOUND
        expect "nothing is left in the spool" sh -c "[ -z \"\$(find '$mnt' -type f)\" ]"
        agent_stop
fi
tap_done
