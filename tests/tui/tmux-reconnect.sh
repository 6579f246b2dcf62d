#!/bin/bash
# tests/tui/tmux-reconnect.sh — the full screen when the server drops the connection in the
# middle of an F5 batch (a rate-limited vsftpd whose session process is killed once the first
# file has arrived), in a real terminal (tmux), with the real clamav-agent.
# Covers: the message line says "Connection lost (…): reconnecting (1/5) in 1 s." and then
# "Reconnected"; every file of the batch arrives byte for byte; the queue view lists every job
# done and none failed; the remote pane lists the files at the end; the audit log holds one
# "done" record per file and a "retried" record for the file that was cut.
. "$top_srcdir/tests/lib/suite.sh"

SUITE_VSFTPD_CONF=(local_max_rate=400000)
suite_begin tmux-reconnect tmux scanner vsftpd clamftp:open,put
work=$CF_LOCAL
srv=$FTP_ROOT
NFILES=6
for i in $(seq 1 $NFILES); do head -c 300000 /dev/urandom >"$work/r$i.bin"; done
ftp_own

tui_start 110 32 "$work" -- --parallel 1 --scanner "$CF_SCANNER" --audit-log "$CF_AUDIT" ||
        skip_all "tmux cannot start a session here"

wait_screen 10 '^>Local: ' || expect "the panes come up" false
text ":open 127.0.0.1 $FTP_PORT"; keys Enter
tui_login
expect "logged in: the remote pane is up" wait_screen 15 'Remote: /'

# the vsftpd session process serving the batch (the newest child of the listener) and its child
# (killed together: whichever dies first, the other ends the session too)
kill_session() {
        local victim
        victim=$(ps -o pid= --ppid "$VSFTPD_PID" 2>/dev/null | tr -d ' ' | sort -n | tail -n 1)
        [ -n "$victim" ] || return 1
        kill -9 "$victim" $(ps -o pid= --ppid "$victim" 2>/dev/null) 2>/dev/null
        return 0
}
# the screen's text as one line (a long message wraps in the log and is cut on the message line)
screen_says() { screen | sed 's/^ *//' | tr '\n' ' ' | tr -s ' ' | grep -Eq -- "$1"; }
first_arrived() { same_file "$work/r1.bin" "$srv/r1.bin"; }

keys Down
for i in $(seq 1 $NFILES); do keys Insert; done
keys F5
expect "the first file arrives" wait_until 20 first_arrived
expect "the server's session is killed in the middle of the batch" kill_session
expect "the message line says the connection was lost and is being reconnected" \
        wait_until 15 screen_says 'Connection lost .*reconnecting'
all_arrived() {
        local i
        for i in $(seq 1 $NFILES); do same_file "$work/r$i.bin" "$srv/r$i.bin" || return 1; done
}
expect "every file of the batch arrives byte for byte" eval 'wait_until 60 all_arrived || { screen; false; }'
expect "the remote pane lists the last file at the end" wait_screen 20 "\\| r$NFILES\\.bin +300000"
keys F9
expect "the queue view: every job done" wait_screen 10 "done +r$NFILES\\.bin"
no_failed() { ! screen | grep -q -- "-> failed" || { screen; false; }; }
expect "the queue view: no job failed" no_failed
expect "the queue view: the job that was cut says it was sent again" \
        wait_screen 5 "done .*sent again after the connection was lost"
keys Escape
keys C-x m
expect "the message log keeps the loss and the reconnect" \
        eval 'wait_until 5 screen_says "reconnecting \(1/5\) in 1 s" && screen_says "Reconnected to 127\.0\.0\.1" || { screen; false; }'
keys Escape
records() {
        /usr/bin/python3 - "$CF_AUDIT" "$NFILES" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
up = [r for r in recs if r.get("event") == "upload"]
done = [r for r in up if r.get("result") == "done"]
retried = [r for r in up if r.get("result") == "retried"]
names = sorted(r["remote"] for r in done)
if len(done) != int(sys.argv[2]) or len(set(names)) != len(names):
    sys.exit("done records: %r" % names)
if not retried or any(r.get("sha256") != next(d["sha256"] for d in done if d["remote"] == r["remote"]) for r in retried):
    sys.exit("retried records: %r" % retried)
PY
}
expect "audit log: one done record per file, and the cut attempt recorded as retried (same bytes)" records

text ":quit"; keys Enter
tap_done
