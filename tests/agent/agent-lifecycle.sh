#!/bin/bash
# tests/agent/agent-lifecycle.sh — clamav-agent's life: refusing to start without usable
# signatures, socket mode, PING while every scanning thread is busy, RELOAD under 50 scans in
# flight, a corrupt database on RELOAD (old engine kept), SIGHUP, archive bombs, SHUTDOWN/SIGTERM.
. "$top_srcdir/tests/lib/suite.sh"
suite_begin agent-lifecycle agent-bin
sigs=$top_srcdir/data/signatures
# stops_cleanly PID PIDFILE [SPOOL]: the agent PID ends within 20 s with exit status 0, and its
# socket, PIDFILE and the files in SPOOL are gone
stops_cleanly() {
        wait_until 20 sh -c "! kill -0 $1 2>/dev/null" || { echo "the agent is still running"; return 1; }
        wait "$1"
        local rc=$?
        echo "exit status $rc; left: $(ls -d "$AGENT_SOCKET" "$2" ${3:+"$3"/*} 2>/dev/null | tr '\n' ' ')"
        [ $rc -eq 0 ] && [ ! -e "$AGENT_SOCKET" ] && [ ! -e "$2" ] && { [ -z "${3:-}" ] || [ -z "$(ls "$3")" ]; }
}
# log_shows SECONDS PATTERN: the agent's log gets a line matching PATTERN in time
log_shows() { wait_until "$1" grep -q -- "$2" "$AGENT_LOG" || { tail -n 5 "$AGENT_LOG"; false; }; }
# on_huge_pages yes|no: whether the agent's memory is on transparent huge pages, as asked
on_huge_pages() {
        local kb
        kb=$(sed -n 's/^AnonHugePages: *\([0-9]*\) kB/\1/p' "/proc/$AGENT_PID/smaps_rollup")
        echo "AnonHugePages ${kb:-?} kB"
        if [ "$1" = yes ]; then [ "${kb:-0}" -gt 0 ]; else [ "${kb:-1}" = 0 ]; fi
}

# --help, --version
expect "--help names the options" sh -c "'$AGENT_BIN' --help | grep -q -- '--db'"
expect "--version: clamd -V's line (ClamAV and libclamav's version), then the agent's" sh -c \
        "'$AGENT_BIN' --version | head -n 1 | grep -q '^ClamAV [0-9]' && '$AGENT_BIN' --version | tail -n 1 | grep -q '^clamav-agent '"

# no signatures: refuse with a message that says what to do
mkdir -p "$dir/empty-db"
refuses_empty_db() {
        local out
        out=$("$AGENT_BIN" --foreground --db "$dir/empty-db" --socket "$dir/x.sock" 2>&1) && return 1
        echo "$out"
        echo "$out" | grep -q freshclam && echo "$out" | grep -q -- --db && [ ! -e "$dir/x.sock" ]
}
expect "no signatures: a non-zero exit, says run freshclam or --db, no socket" refuses_empty_db

# a malformed database: exit non-zero, never listen
mkdir -p "$dir/bad-db"
cp "$sigs"/*.hdb "$dir/bad-db/"
echo "Broken:0:*:zz-not-hex" >"$dir/bad-db/broken.ndb"
refuses_bad_db() { ! "$AGENT_BIN" --foreground --db "$dir/bad-db" --socket "$dir/y.sock" && [ ! -e "$dir/y.sock" ]; }
expect "malformed database at start: a non-zero exit, no socket" refuses_bad_db

# a private copy of the signatures, so RELOAD can be given a broken and then a new set
mkdir -p "$dir/db" "$dir/a"
cp "$sigs"/*.hdb "$sigs"/*.ndb "$dir/db/"
AGENT_DB=$dir/db
AGENT_TCP_PORT=$(free_port)
suite_start clamav-agent agent_start "$dir/a" "MaxThreads 1" "MaxQueue 60" "MaxConnectionsPerClient 61"

expect_output "unix socket mode 0660" '^660$' stat -c %a "$AGENT_SOCKET"
expect_output "pid file holds the pid" "^$AGENT_PID\$" cat "$dir/a/agent.pid"
expect "TCP listens on loopback and answers PING" /usr/bin/python3 -c "
import socket; s = socket.create_connection(('127.0.0.1', $AGENT_TCP_PORT), timeout=5)
s.sendall(b'zPING\0'); assert s.recv(16) == b'PONG\0'"

head -c $((80 * 1024 * 1024)) /dev/urandom >"$dir/busy.bin"
expect "PING answered at once while the only scanning thread is busy" \
        agent_client ping_while_busy "$AGENT_SOCKET" - "$dir/busy.bin"
rm -f "$dir/busy.bin"

expect "RELOAD during 50 scans in flight: none fails, each verdict right" \
        agent_client reload_under_load "$AGENT_SOCKET" -
wait_until 20 grep -q "reload: .* signatures loaded" "$AGENT_LOG"
expect "the reload is logged with its signature count" grep -q "reload: 2 signatures" "$AGENT_LOG"

# a corrupt database on RELOAD: the old engine stays
echo "Broken:0:*:zz-not-hex" >"$dir/db/broken.ndb"
expect "RELOAD with a corrupt database is accepted (RELOADING)" \
        agent_client reload_cmd "$AGENT_SOCKET" -
expect "the failed reload is logged with its reason" log_shows 20 "reload failed"
expect "after the failed reload the old engine still finds EICAR" \
        agent_client eicar_found "$AGENT_SOCKET" -
expect "STATS shows the failed reload" agent_client stats "$AGENT_SOCKET" - "last reload failed"
rm -f "$dir/db/broken.ndb"

# SIGHUP loads a new signature (hash of one file) and new scans use it
head -c 1000 /dev/urandom >"$dir/marked.bin"
echo "$(md5sum <"$dir/marked.bin" | cut -d' ' -f1):1000:Clamftp.Test.Marked" >"$dir/db/marked.hdb"
n=$(grep -c "reload: " "$AGENT_LOG")
kill -HUP "$AGENT_PID"
wait_until 20 sh -c "[ \$(grep -c 'reload: ' '$AGENT_LOG') -gt $n ]"
expect "SIGHUP reloads: a signature added to the directory is used" \
        agent_client stream_file "$AGENT_SOCKET" - "$dir/marked.bin" "Clamftp.Test.Marked.UNOFFICIAL FOUND"

# a full scan queue: an immediate ERROR, never a wait
head -c $((80 * 1024 * 1024)) /dev/urandom >"$dir/busy2.bin"
mkdir -p "$dir/q"
save_sock=$AGENT_SOCKET save_pid=$AGENT_PID save_log=$AGENT_LOG
AGENT_TCP_PORT=
if agent_start "$dir/q" "MaxThreads 1" "MaxQueue 1" "MaxConnections 10"; then
        expect "full scan queue: MAX QUEUE REACHED ERROR at once; running and queued scans finish" \
                agent_client queue_full "$AGENT_SOCKET" - "$dir/busy2.bin"
        agent_stop
else
        expect "agent for the queue test starts" false
fi
rm -f "$dir/busy2.bin"
AGENT_SOCKET=$save_sock AGENT_PID=$save_pid AGENT_LOG=$save_log

# SHUTDOWN from root on the unix socket: the agent stops, removing socket and pid file
/usr/bin/python3 -c "
import socket; s = socket.socket(socket.AF_UNIX); s.connect('$AGENT_SOCKET'); s.sendall(b'zSHUTDOWN\0'); s.recv(16)"
expect "SHUTDOWN by root: exit 0, socket and pid file removed" stops_cleanly "$AGENT_PID" "$dir/a/agent.pid"
AGENT_PID=

# archive bombs under MaxFiles / MaxScanSize, and SIGTERM
mkdir -p "$dir/b" "$dir/bomb"
for i in $(seq 1 40); do echo "file $i $RANDOM" >"$dir/bomb/f$i.txt"; done
{ eicar; head -c 4000 /dev/zero | tr '\0' A; } >"$dir/bomb/zz-eicar.txt"
(cd "$dir/bomb" && zip -q -9 ../many.zip f*.txt zz-eicar.txt)
head -c $((20 * 1024 * 1024)) /dev/zero >"$dir/bomb/zeros.bin"
(cd "$dir/bomb" && zip -q -9 ../zeros.zip zeros.bin)
AGENT_TCP_PORT=
suite_start "the second agent" agent_start "$dir/b" "MaxFiles 20" "MaxScanSize 5M" "MaxFileSize 5M"
expect "zip with more files than MaxFiles: not OK" \
        agent_client stream_file "$AGENT_SOCKET" - "$dir/many.zip" NOTOK
expect "zip expanding past MaxScanSize: not OK" \
        agent_client stream_file "$AGENT_SOCKET" - "$dir/zeros.zip" NOTOK
pid=$AGENT_PID
kill -TERM "$pid"
expect "SIGTERM: exit 0; socket, pid file and spool directory removed" stops_cleanly "$pid" "$dir/b/agent.pid" "$dir/b/tmp"
AGENT_PID=

# HugePages: a set large enough for libclamav's pools to pass 16 MiB goes on 2 MiB pages, and
# scans the same; HugePages no leaves it on normal pages
if [ ! -r /sys/kernel/mm/transparent_hugepage/enabled ]; then
        skip "HugePages" "this kernel has no transparent huge pages"
else
        mkdir -p "$dir/hp-db"
        cp "$sigs"/*.hdb "$sigs"/*.ndb "$dir/hp-db/"
        /usr/bin/python3 -c "
import random, sys
r = random.Random(7)
sys.stdout.writelines('%032x:%d:Clamftp.Test.Hp.%d\n' % (r.getrandbits(128), r.randint(100, 10**7), i)
                      for i in range(300000))" >"$dir/hp-db/many.hdb"
        head -c 4096 /dev/urandom >"$dir/random.bin"
        eicar >"$dir/eicar.txt"
        AGENT_DB=$dir/hp-db
        if agent_start "$dir/hp"; then
                wait_until 20 grep -q "huge pages: .* MiB collapsed" "$AGENT_LOG"
                expect "HugePages yes: the engine is on huge pages" on_huge_pages yes
                expect "on huge pages EICAR is found" \
                        agent_client stream_file "$AGENT_SOCKET" - "$dir/eicar.txt" FOUND
                expect "on huge pages random data is OK" \
                        agent_client stream_file "$AGENT_SOCKET" - "$dir/random.bin" OK
                agent_stop
        else
                expect "the agent starts with 300,000 signatures" false
        fi
        if grep -q '\[always\]' /sys/kernel/mm/transparent_hugepage/enabled; then
                skip "HugePages no" "the kernel puts every mapping on huge pages (THP always)"
        elif agent_start "$dir/nohp" "HugePages no"; then
                expect "HugePages no: nothing is tried" sh -c "! grep -q 'huge pages' '$AGENT_LOG'"
                expect "HugePages no: normal pages" on_huge_pages no
                agent_stop
        else
                expect "the agent starts with HugePages no" false
        fi
fi
tap_done
