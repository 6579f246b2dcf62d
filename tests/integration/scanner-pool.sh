#!/bin/bash
# tests/integration/scanner-pool.sh — a pool of scanners (--scanner with a list) against real
# clamav-agents and a real vsftpd: scans spread over the members (each agent's log shows a
# share, the audit log names the member that judged each file); a member dead from the start is
# passed over; a member killed with SIGKILL in the middle of a batch: every file still scanned
# and uploaded once, exit 0; every member dead: refused with one clear message naming each, exit
# 1, nothing on the server (a batch: the reason once, the tally counts the files, the audit log
# names each); a member that answers garbage, and one that hangs (its timeout, then another
# member); a refusal names the member that judged (a pool only); `status` shows each member's
# state and last answer; one scanner that is gone is waited for (scanner-wait), and a file goes
# through when it comes back within the wait.
. "$top_srcdir/tests/lib/suite.sh"
. "$top_srcdir/tests/lib/scanner-pool.sh"

SUITE_VSFTPD_CONF=(pasv_min_port=0 pasv_max_port=0)
suite_begin scanner-pool agent-bin vsftpd clamftp:open,mput,put,status
suite_at_exit pool_stop_all
CF_DEADLINE=90
suite_start "agent a" pool_agent_start a
suite_start "agent b" pool_agent_start b
suite_start "agent c" pool_agent_start c
DEAD=unix:$SUITE_DIR/nobody.sock

# make_files DIR N: N files of 2-6 KiB
make_files() {
        mkdir -p "$1"
        local i
        for i in $(seq 1 "$2"); do head -c $(( (RANDOM % 5 + 2) * 1024 + RANDOM % 100 )) /dev/urandom >"$1/f$i.bin"; done
}
# arrived DIR REMOTE: every file of DIR is on the server under REMOTE, byte for byte
arrived() {
        local f
        for f in "$1"/*; do same_file "$f" "$FTP_ROOT/$2/${f##*/}" || { echo "missing or different: $f"; return 1; }; done
}
# audit_once DIR: one OK verdict and one upload "done" per file of DIR, nothing else for them;
# prints the scanners that judged, one per line, with their counts
audit_once() {
        /usr/bin/python3 - "$CF_AUDIT" "$CF_LOCAL" "$1" <<'PY'
import collections, json, os, sys
audit, local, d = sys.argv[1:4]
names = {d + "/" + n for n in os.listdir(os.path.join(local, d))}
recs = [json.loads(l) for l in open(audit) if l.strip()]
def key(p): return os.path.basename(os.path.dirname(p)) + "/" + os.path.basename(p)
for r in recs: r["path"] = key(r.get("path") or "")
mine = [r for r in recs if r["path"] in names]
verdicts = collections.Counter(r["path"] for r in mine if r["event"] == "verdict" and r["verdict"] == "OK")
uploads = collections.Counter(r["path"] for r in mine if r["event"] == "upload" and r["result"] == "done")
bad = [r for r in mine if (r["event"] == "verdict" and r["verdict"] != "OK") or
       (r["event"] == "upload" and r["result"] != "done")]
errs = []
if len(verdicts) != len(names) or set(verdicts.values()) != {1}: errs.append("OK verdicts: %d files, counts %s" % (len(verdicts), set(verdicts.values())))
if len(uploads) != len(names) or set(uploads.values()) != {1}: errs.append("uploads done: %d files, counts %s" % (len(uploads), set(uploads.values())))
if bad: errs.append("other records: %r" % bad[:3])
for e in errs: print(e)
for s, n in collections.Counter(r["scanner"] for r in mine if r["event"] == "verdict").items(): print("scanner %s %d" % (s, n))
sys.exit(1 if errs else 0)
PY
}
mkdir -p "$FTP_ROOT"/{none,wait} && ftp_own

# ---- scans spread over three members ----
make_files spread 60
a0=$(pool_scans a) b0=$(pool_scans b) c0=$(pool_scans c)
CF_SCANNER="${POOL_ADDR[a]},${POOL_ADDR[b]},${POOL_ADDR[c]}"
cf_login 127.0.0.1 "mput spread/*"
expect "spread: the batch ends with exit 0" cf_rc_is 0
expect "spread: every file arrived byte for byte" arrived spread spread
expect "spread: each file scanned and uploaded once (audit)" audit_once spread
share() { [ $(( $(pool_scans "$1") - $2 )) -ge 5 ] || { echo "agent $1 scanned $(( $(pool_scans "$1") - $2 ))"; false; }; }
expect "spread: agent a's log shows a share (5 or more of 60)" share a "$a0"
expect "spread: agent b's log shows a share" share b "$b0"
expect "spread: agent c's log shows a share" share c "$c0"
names_all() { local out; out=$(audit_once spread); for m in a b c; do grep -q "scanner ${POOL_ADDR[$m]} " <<<"$out" || return 1; done; }
expect "spread: the audit log names each member that judged" names_all

# ---- a member dead from the start ----
make_files dead 20
b0=$(pool_scans b)
CF_SCANNER="$DEAD,${POOL_ADDR[b]}"
cf_login 127.0.0.1 "mput dead/*"
expect "dead from the start: exit 0" cf_rc_is 0
expect "dead from the start: every file arrived" arrived dead dead
expect "dead from the start: the live member scanned them all" [ $(( $(pool_scans b) - b0 )) -ge 20 ]
only_b() { audit_once dead | grep '^scanner' | grep -qv "scanner ${POOL_ADDR[b]} " && return 1; true; }
expect "dead from the start: the audit log names only the live member" only_b

# ---- status: each member's state and last answer ----
cf_run -c status
expect "status: the live member is up, with its last answer" cf_says "scanner ${POOL_ADDR[b]}: up, [0-9]+ scanned \(last answer: PONG\)"
expect "status: the dead member is down, with why" cf_says "scanner $DEAD: down, 0 scanned \(last answer: .*not reachable"

# ---- a member killed with SIGKILL in the middle of a batch ----
make_files killed 200
a0=$(pool_scans a) c0=$(pool_scans c)
CF_SCANNER="${POOL_ADDR[a]},${POOL_ADDR[c]}"
in_background cf_login 127.0.0.1 "mput killed/*" --limit-total 300K # still running at the kill
wait_until 60 eval '[ "$(ls "$FTP_ROOT/killed" | wc -l)" -ge 40 ]'
at_kill=$(ls "$FTP_ROOT/killed" | wc -l)
pool_agent_kill c KILL
bg_wait
expect "killed mid-batch: the batch ends with exit 0" cf_rc_is 0
expect "killed mid-batch: agent c had scanned some before" [ $(( $(pool_scans c) - c0 )) -ge 1 ]
expect "killed mid-batch: it died in the middle ($at_kill of 200 had arrived)" [ "$at_kill" -lt 200 ]
expect "killed mid-batch: every file arrived byte for byte" arrived killed killed
expect "killed mid-batch: each file scanned and uploaded exactly once (audit)" audit_once killed
suite_start "agent c again" pool_agent_start c

# ---- every member dead: refused, one clear message, nothing uploaded ----
echo clean >none.txt
CF_SCANNER="$DEAD,unix:$SUITE_DIR/nobody-either.sock"
t0=$(date +%s)
cf_login 127.0.0.1 "cd none; put none.txt" --scanner-wait 1
took=$(( $(date +%s) - t0 ))
expect "all dead: exit 1 (refused)" cf_rc_is 1
expect "all dead: nothing reached the server" [ ! -e "$FTP_ROOT/none/none.txt" ]
expect "all dead: one message names every member and why" \
        cf_says "No scanner of the pool gave a verdict \($DEAD: .*not reachable.*; unix:$SUITE_DIR/nobody-either.sock: .*not reachable"
expect "all dead: refused after the short wait (took ${took}s)" [ "$took" -le 20 ]

# ---- every member dead, a batch: the reason said once, every file counted and in the audit log ----
make_files deadbatch 4
cf_login 127.0.0.1 "cd none; mput deadbatch/*" --scanner-wait 1
expect "all dead, a batch: exit 1 (refused)" cf_rc_is 1
expect "all dead, a batch: nothing reached the server" [ -z "$(ls "$FTP_ROOT/none")" ]
said_once() { [ "$(printf '%s\n' "$CF_ALL" | grep -c "No scanner of the pool gave a verdict")" = 1 ]; }
expect "all dead, a batch: the long reason is said once, not per file" said_once
named_once() {
        local f
        for f in 1 2 3 4; do
                [ "$(printf '%s\n' "$CF_ALL" | grep -c "f$f\.bin was not uploaded: not scanned")" = 1 ] || return 1
        done
}
expect "all dead, a batch: yet every file is named once as not uploaded" named_once
expect "all dead, a batch: the tally counts the files no scanner answered for" \
        cf_says "error: 4 files not scanned: no scanner answers\.$"
expect "all dead, a batch: the usual tally too" cf_says "0 of 4 files uploaded \(4 refused by the scanner, 0 failed\)"
each_refused() {
        /usr/bin/python3 - "$CF_AUDIT" <<'PY'
import json, os, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
got = sorted(os.path.basename(r["path"]) for r in recs
             if r["event"] == "verdict" and r["verdict"] == "ERROR" and "/deadbatch/" in (r.get("path") or ""))
sys.exit(0 if got == ["f1.bin", "f2.bin", "f3.bin", "f4.bin"] else print(got) or 1)
PY
}
expect "all dead, a batch: the audit log names each file once, refused" each_refused

# ---- a member that answers garbage: the other one judges ----
suite_start "the garbage scanner" pool_fake_start junk garbage
make_files garbage 10
CF_SCANNER="${POOL_ADDR[junk]},${POOL_ADDR[a]}"
cf_login 127.0.0.1 "mput garbage/*"
expect "garbage: exit 0" cf_rc_is 0
expect "garbage: every file arrived" arrived garbage garbage
not_junk() { ! audit_once garbage | grep -q "scanner ${POOL_ADDR[junk]} "; }
expect "garbage: no verdict is the garbage member's" not_junk

# ---- a pool names the member that judged in the refusal; one scanner's words stay as they were ----
eicar >eicar.com
CF_SCANNER="${POOL_ADDR[junk]},${POOL_ADDR[a]}"
cf_login 127.0.0.1 "cd garbage; put eicar.com"
expect "pool, infected: exit 1" cf_rc_is 1
expect "pool, infected: the refusal names the member" \
        cf_says "eicar\.com is infected \([^ ]+ FOUND by ${POOL_ADDR[a]}\): not uploaded\."
CF_SCANNER=${POOL_ADDR[a]}
cf_login 127.0.0.1 "cd garbage; put eicar.com"
expect "one scanner, infected: the words name no member" \
        eval 'cf_says "eicar\.com is infected \([^ ]+\): not uploaded\." && ! cf_says "FOUND by"'

# ---- a member that hangs: its timeout, then another member ----
suite_start "the hanging scanner" pool_fake_start stuck hang
make_files hang 6
printf '[scanner]\ntimeout=2\n' >>"$CF_CONF"
CF_SCANNER="${POOL_ADDR[stuck]},${POOL_ADDR[a]}"
t0=$(date +%s)
cf_login 127.0.0.1 "mput hang/*" --parallel 1
took=$(( $(date +%s) - t0 ))
clamftp_write_conf
expect "hang: exit 0" cf_rc_is 0
expect "hang: every file arrived" arrived hang hang
expect "hang: the hanging member cost its timeout, not one per file (took ${took}s)" [ "$took" -le 20 ]

# ---- one scanner, gone: waited for; back within the wait: the file goes through ----
pool_agent_kill a KILL
echo waited >wait.txt
CF_SCANNER=${POOL_ADDR[a]}
t0=$(date +%s)
cf_login 127.0.0.1 "cd wait; put wait.txt gone.txt" --scanner-wait 3
took=$(( $(date +%s) - t0 ))
expect "wait: a scanner that stays gone: exit 1" cf_rc_is 1
expect "wait: the wait really happened (3 s; took ${took}s)" [ "$took" -ge 3 ]
expect "wait: nothing reached the server" [ ! -e "$FTP_ROOT/wait/gone.txt" ]
in_background cf_login 127.0.0.1 "cd wait; put wait.txt back.txt" --scanner-wait 30
sleep 2
suite_start "agent a again" pool_agent_start a
bg_wait
expect "wait: the scanner back within the wait: exit 0" cf_rc_is 0
expect "wait: the file went through, scanned" same_file wait.txt "$FTP_ROOT/wait/back.txt"

tap_done
