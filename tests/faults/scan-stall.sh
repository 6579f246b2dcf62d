#!/bin/bash
# tests/faults/scan-stall.sh — the real clamav-agent stalled (SIGSTOP: it accepts connections and
# never answers), the real vsftpd behind; [scanner] timeout = 2 s.
# Pins:
#   put    exit 1 (a refusal, not a failure), within the timeout and a margin; "not scanned"
#          with the timeout's words; nothing on the server; the audit log whole, an ERROR verdict
#          with reason "timeout" and no upload record.
#   mput   4 files over 4 connections: each refused exactly once, none on the server, the tally
#          counts 4 refused; no hang (ends within 15 s).
#   after  the agent goes on (SIGCONT): the same put uploads the file byte for byte.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin faults-scan-stall scanner vsftpd clamftp:open,put,mput
. "$top_srcdir/tests/faults/lib.sh"
CF_DEADLINE=30
[ "$CF_SCANNER_KIND" = agent ] || skip_all "the stall is injected into clamav-agent (CF_SCANNER_KIND=$CF_SCANNER_KIND)"
printf '[scanner]\ntimeout=2\nwait=0\n' >>"$CF_CONF" # refused at once: no wait for the scanner to come back
suite_at_exit '[ -z "$AGENT_PID" ] || kill -CONT "$AGENT_PID" 2>/dev/null'

for i in 1 2 3 4; do head -c 10000 /dev/urandom >"s$i.bin"; done
mkdir -p "$FTP_ROOT/up" && ftp_own
# audit_timeout NAME: a verdict record of NAME says ERROR, reason timeout; no upload record of it
audit_timeout() {
        /usr/bin/python3 - "$CF_AUDIT" "$1" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
mine = [r for r in recs if str(r.get("path", "")).endswith("/" + sys.argv[2])]
verdicts = [r for r in mine if r.get("event") == "verdict"]
if not any(r.get("verdict") == "ERROR" and r.get("reason_class") == "timeout" for r in verdicts):
    sys.exit("no ERROR verdict with reason timeout: %r" % verdicts)
if any(r.get("event") == "upload" for r in mine):
    sys.exit("an upload record: %r" % [r for r in mine if r.get("event") == "upload"])
PY
}

kill -STOP "$AGENT_PID"
cf_bg "$CF_LOCAL" "cd up; put s1.bin"
cf_bg_wait
expect "put, scanner stalled: exit 1 within 8 s ($CF_RC, ${CF_BG_SECONDS}s)" eval 'cf_rc_is 1 && [ "$CF_BG_SECONDS" -le 8 ]'
expect "put, scanner stalled: the refusal says not scanned, for the timeout" cf_says "s1\.bin.*not scanned.*(time|answer)"
expect "put, scanner stalled: nothing on the server" eval '[ -z "$(ls -A "$FTP_ROOT/up")" ]'
expect "put, scanner stalled: the audit log is whole" audit_whole
expect "put, scanner stalled: an ERROR verdict, reason timeout, no upload record" audit_timeout s1.bin

cf_bg "$CF_LOCAL" "cd up; mput s*.bin" --parallel 4
cf_bg_wait
expect "mput, scanner stalled: exit 1 within 15 s ($CF_RC, ${CF_BG_SECONDS}s)" eval 'cf_rc_is 1 && [ "$CF_BG_SECONDS" -le 15 ]'
expect "mput, scanner stalled: each file refused exactly once" said_once 'FILE.*not scanned' s1.bin s2.bin s3.bin s4.bin
expect "mput, scanner stalled: the tally counts 4 refused" cf_says "^0 of 4 files uploaded \(4 refused by the scanner, 0 failed\)"
expect "mput, scanner stalled: nothing on the server" eval '[ -z "$(ls -A "$FTP_ROOT/up")" ]'
expect "mput, scanner stalled: the audit log is whole" audit_whole

kill -CONT "$AGENT_PID"
cf_bg "$CF_LOCAL" "cd up; put s1.bin"
cf_bg_wait
expect "put, the scanner going on again: exit 0 ($CF_RC)" cf_rc_is 0
expect "put, the scanner going on again: the file is on the server byte for byte" sent_whole "$CF_LOCAL" "$FTP_ROOT/up" s1.bin
expect "put, the scanner going on again: one done record" audit_done s1.bin -- s1.bin

tap_done
