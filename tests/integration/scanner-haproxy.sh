#!/bin/bash
# tests/integration/scanner-haproxy.sh — Debian's HAProxy in front of three clamav-agents, with
# the sample configuration data/haproxy-clamav-agent.cfg (its tcp-check PING/PONG), as the one
# scanner address of clamftp: one agent is killed (SIGKILL) in the middle of a batch of 500
# files and started again. Every file is scanned and uploaded exactly once (the audit log, the
# server's log), nothing unscanned reaches the server (each file on the server is byte for byte
# a file with an OK verdict), and the batch ends with exit 0. The agents all took a share.
. "$top_srcdir/tests/lib/suite.sh"
. "$top_srcdir/tests/lib/scanner-pool.sh"

SUITE_VSFTPD_CONF=(pasv_min_port=0 pasv_max_port=0)
suite_begin scanner-haproxy tool:haproxy=haproxy agent-bin vsftpd clamftp:open,mput
suite_at_exit pool_stop_all
CF_DEADLINE=300
NFILES=500
for m in a b c; do suite_start "agent $m" pool_agent_start "$m" tcp; done
suite_start "haproxy" pool_haproxy_start a b c

mkdir -p batch
for i in $(seq 1 $NFILES); do head -c $(( (RANDOM % 8 + 1) * 1024 + RANDOM % 500 )) /dev/urandom >batch/f$i.bin; done
a0=$(pool_scans a) b0=$(pool_scans b) c0=$(pool_scans c)

CF_SCANNER=$HAPROXY_ADDRESS
# held to 500 KiB/s in all (about 5 s for the batch): still running when the agent dies
in_background cf_login 127.0.0.1 "mput batch/*" --limit-total 500K
wait_until 120 eval '[ "$(ls "$FTP_ROOT/batch" 2>/dev/null | wc -l)" -ge 100 ]'
at_kill=$(ls "$FTP_ROOT/batch" | wc -l)
b_before=$(pool_scans b)
pool_agent_kill b KILL
sleep 1
suite_start "agent b again" pool_agent_start b tcp
bg_wait

expect "the batch ends with exit 0" cf_rc_is 0
expect "agent b was killed in the middle of the batch ($at_kill of $NFILES had arrived)" [ "$at_kill" -lt "$NFILES" ]
expect "agent b had scanned some of the batch before it was killed" [ $(( b_before - b0 )) -ge 1 ]
expect "the other agents scanned their share" [ $(( $(pool_scans a) - a0 )) -ge 10 ] && [ $(( $(pool_scans c) - c0 )) -ge 10 ]
all_arrived() {
        local f
        for f in batch/*; do same_file "$f" "$FTP_ROOT/$f" || { echo "missing or different: $f"; return 1; }; done
}
expect "every file arrived byte for byte" all_arrived
# the audit log: exactly one OK verdict and one upload "done" per file, the upload's SHA-256 that
# of an OK verdict of the same file, nothing refused or failed
audit_exactly_once() {
        /usr/bin/python3 - "$CF_AUDIT" "$NFILES" <<'PY'
import collections, json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
n = int(sys.argv[2])
ok = {}
errs = []
for r in recs:
    if r["event"] == "verdict":
        if r["verdict"] != "OK": errs.append("verdict %s for %s" % (r["verdict"], r["path"]))
        ok.setdefault(r["path"], []).append(r["sha256"])
up = collections.Counter()
for r in recs:
    if r["event"] == "upload":
        if r["result"] != "done": errs.append("upload %s for %s" % (r["result"], r["path"]))
        if r["sha256"] not in ok.get(r["path"], []): errs.append("uploaded bytes never judged OK: %s" % r["path"])
        up[r["path"]] += 1
if len(ok) != n or any(len(v) != 1 for v in ok.values()): errs.append("files with an OK verdict: %d (want %d, one each)" % (len(ok), n))
if len(up) != n or set(up.values()) != {1}: errs.append("files uploaded: %d, counts %s" % (len(up), set(up.values())))
for e in errs[:10]: print(e)
sys.exit(1 if errs else 0)
PY
}
expect "the audit log: each file judged OK once and uploaded once, those very bytes" audit_exactly_once
stored_once() {
        local n
        # xferlog: direction i(ncoming), status c(omplete)
        n=$(awk '$12 == "i" && $NF == "c"' "$FTP_XFERLOG" | wc -l)
        [ "$n" -eq "$NFILES" ] || { echo "the server logged $n uploads"; false; }
}
expect "the server stored each file once ($NFILES uploads in its log)" stored_once
expect "no file was refused or failed" eval '! cf_says "refused|failed|not uploaded" || cf_says "\(0 refused by the scanner, 0 failed\)"'

tap_done
