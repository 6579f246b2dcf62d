#!/bin/bash
# tests/agent/agent-lifecycle.sh — clamav-agent's life: refusing to start without usable
# signatures, socket mode, PING while every scanning thread is busy, RELOAD under 50 scans in
# flight, a corrupt database on RELOAD (old engine kept), SIGHUP, archive bombs, SHUTDOWN/SIGTERM.
. "$top_srcdir/tests/lib/agent.sh"
[ -x "$AGENT_BIN" ] || tap_skip_all "src/clamav-agent is not built"

dir=$(mktemp -d)
trap 'agent_stop; rm -rf "$dir"' EXIT
sigs=$top_srcdir/data/signatures

# --help, --version
tap_check "--help names the options" sh -c "'$AGENT_BIN' --help | grep -q -- '--db'"
tap_check "--version names libclamav" sh -c "'$AGENT_BIN' --version | grep -q libclamav"

# no signatures: refuse with a message that says what to do
mkdir -p "$dir/empty-db"
out=$("$AGENT_BIN" --foreground --db "$dir/empty-db" --socket "$dir/x.sock" 2>&1)
rc=$?
if [ $rc -ne 0 ] && echo "$out" | grep -q freshclam && echo "$out" | grep -q -- --db &&
   [ ! -e "$dir/x.sock" ]; then
        tap_ok "no signatures: exit $rc, says run freshclam or --db, no socket"
else
        tap_not_ok "no signatures: refuses to start"; echo "rc=$rc $out" | tap_diag
fi

# a malformed database: exit non-zero, never listen
mkdir -p "$dir/bad-db"
cp "$sigs"/*.hdb "$dir/bad-db/"
echo "Broken:0:*:zz-not-hex" >"$dir/bad-db/broken.ndb"
out=$("$AGENT_BIN" --foreground --db "$dir/bad-db" --socket "$dir/y.sock" 2>&1)
rc=$?
if [ $rc -ne 0 ] && [ ! -e "$dir/y.sock" ]; then
        tap_ok "malformed database at start: exit $rc, no socket"
else
        tap_not_ok "malformed database at start"; echo "rc=$rc $out" | tap_diag
fi

# a private copy of the signatures, so RELOAD can be given a broken and then a new set
mkdir -p "$dir/db" "$dir/a"
cp "$sigs"/*.hdb "$sigs"/*.ndb "$dir/db/"
AGENT_DB=$dir/db
AGENT_TCP_PORT=$(free_port)
agent_start "$dir/a" "MaxThreads 1" "MaxQueue 60" "MaxConnectionsPerClient 61" || { tap_not_ok "agent starts"; tap_done; exit 1; }

mode=$(stat -c %a "$AGENT_SOCKET")
[ "$mode" = 660 ] && tap_ok "unix socket mode 0660" || tap_not_ok "unix socket mode is $mode"
[ "$(cat "$dir/a/agent.pid")" = "$AGENT_PID" ] && tap_ok "pid file holds the pid" ||
        tap_not_ok "pid file"
tap_check "TCP listens on loopback and answers PING" /usr/bin/python3 -c "
import socket; s = socket.create_connection(('127.0.0.1', $AGENT_TCP_PORT), timeout=5)
s.sendall(b'zPING\0'); assert s.recv(16) == b'PONG\0'"

head -c $((80 * 1024 * 1024)) /dev/urandom >"$dir/busy.bin"
tap_check "PING answered at once while the only scanning thread is busy" \
        agent_client ping_while_busy "$AGENT_SOCKET" - "$dir/busy.bin"
rm -f "$dir/busy.bin"

tap_check "RELOAD during 50 scans in flight: none fails, each verdict right" \
        agent_client reload_under_load "$AGENT_SOCKET" -
wait_until 20 grep -q "reload: .* signatures loaded" "$AGENT_LOG"
tap_check "the reload is logged with its signature count" grep -q "reload: 2 signatures" "$AGENT_LOG"

# a corrupt database on RELOAD: the old engine stays
echo "Broken:0:*:zz-not-hex" >"$dir/db/broken.ndb"
tap_check "RELOAD with a corrupt database is accepted (RELOADING)" \
        agent_client reload_cmd "$AGENT_SOCKET" -
if wait_until 20 grep -q "reload failed" "$AGENT_LOG"; then
        tap_ok "the failed reload is logged with its reason"
else
        tap_not_ok "the failed reload is logged"; tail -n 5 "$AGENT_LOG" | tap_diag
fi
tap_check "after the failed reload the old engine still finds EICAR" \
        agent_client eicar_found "$AGENT_SOCKET" -
tap_check "STATS shows the failed reload" agent_client stats "$AGENT_SOCKET" - "last reload failed"
rm -f "$dir/db/broken.ndb"

# SIGHUP loads a new signature (hash of one file) and new scans use it
head -c 1000 /dev/urandom >"$dir/marked.bin"
echo "$(md5sum <"$dir/marked.bin" | cut -d' ' -f1):1000:Clamftp.Test.Marked" >"$dir/db/marked.hdb"
n=$(grep -c "reload: " "$AGENT_LOG")
kill -HUP "$AGENT_PID"
wait_until 20 sh -c "[ \$(grep -c 'reload: ' '$AGENT_LOG') -gt $n ]"
tap_check "SIGHUP reloads: a signature added to the directory is used" \
        agent_client stream_file "$AGENT_SOCKET" - "$dir/marked.bin" "Clamftp.Test.Marked.UNOFFICIAL FOUND"

# a full scan queue: an immediate ERROR, never a wait
head -c $((80 * 1024 * 1024)) /dev/urandom >"$dir/busy2.bin"
mkdir -p "$dir/q"
save_sock=$AGENT_SOCKET save_pid=$AGENT_PID save_log=$AGENT_LOG
AGENT_TCP_PORT=
if agent_start "$dir/q" "MaxThreads 1" "MaxQueue 1" "MaxConnections 10"; then
        tap_check "full scan queue: MAX QUEUE REACHED ERROR at once; running and queued scans finish" \
                agent_client queue_full "$AGENT_SOCKET" - "$dir/busy2.bin"
        agent_stop
else
        tap_not_ok "agent for the queue test starts"
fi
rm -f "$dir/busy2.bin"
AGENT_SOCKET=$save_sock AGENT_PID=$save_pid AGENT_LOG=$save_log

# SHUTDOWN from root on the unix socket: the agent stops, removing socket and pid file
/usr/bin/python3 -c "
import socket; s = socket.socket(socket.AF_UNIX); s.connect('$AGENT_SOCKET'); s.sendall(b'zSHUTDOWN\0'); s.recv(16)"
if wait_until 20 sh -c "! kill -0 $AGENT_PID 2>/dev/null"; then
        wait "$AGENT_PID"; rc=$?
        [ $rc -eq 0 ] && [ ! -e "$AGENT_SOCKET" ] && [ ! -e "$dir/a/agent.pid" ] &&
                tap_ok "SHUTDOWN by root: exit 0, socket and pid file removed" ||
                tap_not_ok "SHUTDOWN: rc=$rc or leftovers"
else
        tap_not_ok "SHUTDOWN by root stops the agent"
fi
AGENT_PID=

# archive bombs under MaxFiles / MaxScanSize, and SIGTERM
mkdir -p "$dir/b" "$dir/bomb"
for i in $(seq 1 40); do echo "file $i $RANDOM" >"$dir/bomb/f$i.txt"; done
{ eicar; head -c 4000 /dev/zero | tr '\0' A; } >"$dir/bomb/zz-eicar.txt"
(cd "$dir/bomb" && zip -q -9 ../many.zip f*.txt zz-eicar.txt)
head -c $((20 * 1024 * 1024)) /dev/zero >"$dir/bomb/zeros.bin"
(cd "$dir/bomb" && zip -q -9 ../zeros.zip zeros.bin)
AGENT_TCP_PORT=
agent_start "$dir/b" "MaxFiles 20" "MaxScanSize 5M" "MaxFileSize 5M" ||
        { tap_not_ok "agent 2 starts"; tap_done; exit 1; }
tap_check "zip with more files than MaxFiles: not OK" \
        agent_client stream_file "$AGENT_SOCKET" - "$dir/many.zip" NOTOK
tap_check "zip expanding past MaxScanSize: not OK" \
        agent_client stream_file "$AGENT_SOCKET" - "$dir/zeros.zip" NOTOK
pid=$AGENT_PID
kill -TERM "$pid"
if wait_until 20 sh -c "! kill -0 $pid 2>/dev/null"; then
        wait "$pid"; rc=$?
        [ $rc -eq 0 ] && [ ! -e "$AGENT_SOCKET" ] && [ ! -e "$dir/b/agent.pid" ] &&
                [ -z "$(ls "$dir/b/tmp")" ] &&
                tap_ok "SIGTERM: exit 0; socket, pid file and spool directory removed" ||
                tap_not_ok "SIGTERM: rc=$rc or leftovers: $(ls "$dir/b" "$dir/b/tmp")"
else
        tap_not_ok "SIGTERM stops the agent"
fi
AGENT_PID=

# HugePages: a set large enough for libclamav's pools to pass 16 MiB goes on 2 MiB pages, and
# scans the same; HugePages no leaves it on normal pages
huge_kb() { sed -n 's/^AnonHugePages: *\([0-9]*\) kB/\1/p' "/proc/$AGENT_PID/smaps_rollup"; }
if [ ! -r /sys/kernel/mm/transparent_hugepage/enabled ]; then
        tap_skip "HugePages" "this kernel has no transparent huge pages"
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
                kb=$(huge_kb)
                [ "${kb:-0}" -gt 0 ] &&
                        tap_ok "HugePages yes: the engine is on huge pages ($kb kB)" ||
                        tap_not_ok "HugePages yes: AnonHugePages ${kb:-?} kB"
                tap_check "on huge pages EICAR is found" \
                        agent_client stream_file "$AGENT_SOCKET" - "$dir/eicar.txt" FOUND
                tap_check "on huge pages random data is OK" \
                        agent_client stream_file "$AGENT_SOCKET" - "$dir/random.bin" OK
                agent_stop
        else
                tap_not_ok "the agent starts with 300,000 signatures"
        fi
        if grep -q '\[always\]' /sys/kernel/mm/transparent_hugepage/enabled; then
                tap_skip "HugePages no" "the kernel puts every mapping on huge pages (THP always)"
        elif agent_start "$dir/nohp" "HugePages no"; then
                tap_check "HugePages no: nothing is tried" sh -c "! grep -q 'huge pages' '$AGENT_LOG'"
                kb=$(huge_kb)
                [ "${kb:-1}" = 0 ] && tap_ok "HugePages no: normal pages" ||
                        tap_not_ok "HugePages no: AnonHugePages ${kb:-?} kB"
                agent_stop
        else
                tap_not_ok "the agent starts with HugePages no"
        fi
fi
tap_done
