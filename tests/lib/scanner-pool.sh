# tests/lib/scanner-pool.sh — several scanners for one client: clamav-agents by name, misbehaving
# fakes, HAProxy in front of agents (sourced, not run; needs tests/lib/suite.sh first).
# Owns: each named agent's directory ($SUITE_DIR/NAME), its pid, address and log; stopping them
# all at exit. Must not: touch any system daemon.
#
#   pool_agent_start NAME [tcp]  starts (or starts again, same socket and port) the agent NAME;
#                            with tcp it also listens on a free 127.0.0.1 port, kept across restarts.
#                            Sets POOL_ADDR[NAME] (unix:…), POOL_TCP[NAME] (tcp:127.0.0.1:N),
#                            POOL_PORT[NAME], POOL_PID[NAME], POOL_LOG[NAME]
#   pool_agent_kill NAME [SIGNAL]  SIGKILL (or SIGNAL) to the agent, waited for
#   pool_scans NAME          how many files the agent NAME scanned (its log, every start)
#   pool_fake_start NAME MODE  tests/lib/fake-scanner.py MODE (garbage, hang); POOL_ADDR[NAME]
#   pool_haproxy_start NAME…   HAProxy from data/haproxy-clamav-agent.cfg in front of the agents
#                            NAME… (their TCP ports); HAPROXY_ADDRESS=tcp:127.0.0.1:PORT
#   pool_stop_all            stops everything above (suite_at_exit pool_stop_all)
#   in_background CMD…       runs a cf_* command (tests/lib/clamftp.sh) in the background;
#   bg_wait                  waits for it and sets CF_RC and CF_ALL from it
declare -A POOL_ADDR POOL_TCP POOL_PORT POOL_PID POOL_LOG

pool_agent_start() {
        local name=$1 tcp=${2:-}
        if [ -n "$tcp" ] && [ -z "${POOL_PORT[$name]:-}" ]; then
                POOL_PORT[$name]=$(free_port)
        fi
        local AGENT_TCP_PORT=${POOL_PORT[$name]:-}
        agent_start "$SUITE_DIR/$name" || return 1
        POOL_ADDR[$name]=$AGENT_ADDRESS
        POOL_TCP[$name]=$AGENT_TCP_ADDRESS
        POOL_PID[$name]=$AGENT_PID
        POOL_LOG[$name]=$AGENT_LOG
        AGENT_PID=
}

pool_agent_kill() {
        local pid=${POOL_PID[$1]:-}
        [ -n "$pid" ] || return 0
        kill -"${2:-KILL}" "$pid" 2>/dev/null
        wait_until 10 eval "! kill -0 $pid"
        POOL_PID[$1]=
}

pool_scans() {
        grep -c 'scan \(instream\|fildes\) ' "${POOL_LOG[$1]}" 2>/dev/null || true
}

pool_fake_start() {
        local name=$1 mode=$2 sock=$SUITE_DIR/$1.sock
        /usr/bin/python3 "$top_srcdir/tests/lib/fake-scanner.py" "$mode" "$sock" >"$SUITE_DIR/$name.out" 2>&1 &
        POOL_PID[$name]=$!
        POOL_ADDR[$name]=unix:$sock
        wait_until 10 test -e "$sock.ready"
}

pool_haproxy_start() {
        local conf=$SUITE_DIR/haproxy.cfg name
        HAPROXY_PORT=$(free_port)
        {
                # the sample, its listening address and its servers replaced by the test's
                sed -e "s/^\(\s*bind\s\+\)\S\+/\1127.0.0.1:$HAPROXY_PORT/" -e '/^\s*server\s/d' \
                        "$top_srcdir/data/haproxy-clamav-agent.cfg"
                for name in "$@"; do
                        echo "    server $name 127.0.0.1:${POOL_PORT[$name]} check"
                done
        } >"$conf"
        haproxy -db -f "$conf" >"$SUITE_DIR/haproxy.out" 2>&1 &
        POOL_PID[haproxy]=$!
        HAPROXY_ADDRESS=tcp:127.0.0.1:$HAPROXY_PORT
        wait_until 10 clamd_ping_tcp 127.0.0.1 "$HAPROXY_PORT"
}

# PING over TCP: PONG back.
clamd_ping_tcp() {
        /usr/bin/python3 - "$1" "$2" <<'PY'
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2)
s.sendall(b"zPING\0")
sys.exit(0 if s.recv(16).startswith(b"PONG") else 1)
PY
}

pool_stop_all() {
        local name
        for name in "${!POOL_PID[@]}"; do
                stop_pid "${POOL_PID[$name]}" 10
        done
}

# pool_nothing_lost DIR: after a batch that uploaded the local DIR/* to $FTP_ROOT/DIR/ (the last
# clamftp run's output in CF_ALL), whatever the scanners went through:
# - every file under DIR on the server is complete: byte for byte its local file, and those bytes
#   had an OK verdict in the audit log (nothing the scanner did not pass, nothing partial under a
#   final name);
# - every local file is reported exactly once: one "Uploaded" line, or one refusal that says why;
# - every local file without an upload record is not on the server.
# With POOL_ALL_UPLOADED=1, every file must have been uploaded.
pool_nothing_lost() {
        printf '%s\n' "$CF_ALL" >"$SUITE_DIR/last-output"
        /usr/bin/python3 - "$CF_AUDIT" "$CF_LOCAL" "$1" "$FTP_ROOT" "$SUITE_DIR/last-output" \
                "${POOL_ALL_UPLOADED:-0}" <<'PY'
import hashlib, json, os, re, sys
audit, local, d, root, out, all_up = sys.argv[1:7]
def sha(p): return hashlib.sha256(open(p, "rb").read()).hexdigest()
def key(p): return os.path.basename(os.path.dirname(p)) + "/" + os.path.basename(p)
recs = [json.loads(l) for l in open(audit) if l.strip()]
ok = {}
up = {}
for r in recs:
    k = key(r.get("path") or "")
    if r["event"] == "verdict" and r["verdict"] == "OK": ok.setdefault(k, set()).add(r["sha256"])
    if r["event"] == "upload" and r["result"] == "done": up[k] = up.get(k, 0) + 1
text = open(out, errors="replace").read()
errs = []
names = sorted(os.listdir(os.path.join(local, d)))
for n in names:
    k = d + "/" + n
    remote = os.path.join(root, d, n)
    said = len(re.findall(r"^Uploaded %s as " % re.escape(k), text, re.M))
    refused = len(re.findall(r"(?:^|\s)%s was not uploaded: .+" % re.escape(k), text, re.M))
    if said + refused != 1: errs.append("%s reported %d times (uploaded %d, refused %d)" % (k, said + refused, said, refused))
    if os.path.exists(remote):
        if open(remote, "rb").read() != open(os.path.join(local, k), "rb").read(): errs.append("%s on the server is not the file" % k)
        if sha(remote) not in ok.get(k, set()): errs.append("%s on the server: bytes never judged OK" % k)
        if up.get(k, 0) != 1: errs.append("%s on the server, %d upload records" % (k, up.get(k, 0)))
    elif up.get(k): errs.append("%s recorded uploaded, not on the server" % k)
    elif all_up == "1": errs.append("%s was not uploaded" % k)
extra = set(os.listdir(os.path.join(root, d))) - set(names) if os.path.isdir(os.path.join(root, d)) else set()
if extra: errs.append("unexpected names on the server: %s" % sorted(extra)[:5])
for e in errs[:10]: print(e)
sys.exit(1 if errs else 0)
PY
}

in_background() {
        ( "$@"; echo "$CF_RC" >"$SUITE_DIR/bg.rc"; printf '%s\n' "$CF_ALL" >"$SUITE_DIR/bg.out" ) &
        BG_PID=$!
}
bg_wait() { wait "$BG_PID"; CF_RC=$(cat "$SUITE_DIR/bg.rc") CF_ALL=$(cat "$SUITE_DIR/bg.out"); }
