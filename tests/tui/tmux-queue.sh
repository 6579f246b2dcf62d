#!/bin/bash
# tests/tui/tmux-queue.sh — the transfer queue on a real terminal (tmux on a private socket)
# against a private vsftpd limited to 1 MB/s (local_max_rate, so a 20 MB file takes ~15 s
# instead of sending 200 MiB; it is cancelled long before) and a private clamd:
# - three files selected and F5'd in one go arrive byte for byte; the queue view lists them done;
#   the audit log shows each next file judged before the current one finished uploading;
# - F6, and `:mget` with a pattern;
# - while the large upload runs: Tab switches panes, the queue view shows its percentage moving
#   with a rate and an ETA, and what a keypress costs is measured (Tab to the screen showing it,
#   and inside clamftp from reading the key to the screen written: CLAMFTP_KEY_LOG); then the
#   job is cancelled from the queue view;
# - while the server stalls (its session processes stopped with SIGSTOP): Tab, the queue view,
#   cancel, and F10 all still answer.
# Every wait polls the screen with a deadline; the screen is shown when a check fails.
. "$top_srcdir/tests/lib/suite.sh"

SUITE_VSFTPD_CONF=(local_max_rate=1000000)
suite_begin tui-queue-tmux tmux clamd vsftpd home
stopped=
suite_at_exit '[ -z "$stopped" ] || kill -CONT $stopped 2>/dev/null'
# The vsftpd processes serving sessions (children and grandchildren of the listener).
vsftpd_sessions() {
        local k
        for k in $(ps -o pid= --ppid "$VSFTPD_PID" 2>/dev/null); do
                echo "$k"
                ps -o pid= --ppid "$k" 2>/dev/null
        done
}

work=$dir/work
mkdir -p "$work"
for f in a b c; do head -c 400000 /dev/urandom >"$work/$f.txt"; done
echo "stalled" >"$work/d.txt"
head -c 20000000 /dev/urandom >"$work/large.bin"
echo one >"$FTP_ROOT/one.txt"
echo two >"$FTP_ROOT/two.txt"
echo log >"$FTP_ROOT/x.log"
chown -R "$FTP_USER" "$FTP_ROOT" 2>/dev/null

keylog=$dir/keys.log
tui_start 100 30 "$work" CLAMFTP_KEY_LOG="$keylog" -- --scanner "$CLAMD_ADDRESS" --audit-log "$CF_AUDIT" ||
        skip_all "tmux cannot start a session here"

wait_screen 10 '^>Local: .*work' || expect "the panes come up" false
text ":open 127.0.0.1 $FTP_PORT"; keys Enter
tui_login
expect "logged in: the remote pane lists the server" wait_screen 15 '\| one\.txt '

# ---- three files in one go; the scanner works ahead ------------------------------------
# local pane: .. a.txt b.txt c.txt d.txt large.bin
keys Down Insert Insert Insert F5
expect "three selected files F5'd in one go arrive in the remote pane" wait_screen 30 '\| c\.txt +400000 '
for f in a b c; do expect_file_equal "$f.txt is on the server byte for byte" "$work/$f.txt" "$FTP_ROOT/$f.txt"; done
keys F9
expect "the queue view lists the three jobs as done" wait_screen 10 '3 done'
n_done=$(screen | grep -cE -- '-> done +[abc]\.txt')
expect "each of the three is a row marked done" eval '[ "$n_done" -eq 3 ] || { screen; false; }'
keys Escape
# The audit log holds a verdict line per scan and an upload line per finished upload: the
# verdict on file k+1 coming before the upload line of file k shows the scan ran meanwhile.
order=$(/usr/bin/python3 - "$CF_AUDIT" <<'PY'
import json, sys, os
seen = []
for line in open(sys.argv[1]):
    r = json.loads(line)
    seen.append(r["event"] + ":" + os.path.basename(r.get("path", "")))
def at(x):
    return seen.index(x) if x in seen else 10**6
ahead = at("verdict:b.txt") < at("upload:a.txt") and at("verdict:c.txt") < at("upload:b.txt")
print("ahead" if ahead else "behind " + " ".join(seen))
PY
)
expect "each next file is scanned while the current one uploads (audit log order)" eval '[ "$order" = ahead ] || { echo "$order"; false; }'

# ---- F6 and :mget ------------------------------------------------------------------------
keys Tab
text "/x.log"; keys Enter F6
expect "F6 asks for a new name" wait_screen 10 'Rename x\.log to:'
keys C-u; text "y.log"; keys Enter
expect "F6 says what it renamed" wait_screen 10 'Renamed x\.log to y\.log'
text "/"; keys Enter
expect "the remote pane shows the new name" wait_screen 10 '\| y\.log +'
expect "the server has y.log, not x.log" eval '[ -f "$FTP_ROOT/y.log" ] && [ ! -e "$FTP_ROOT/x.log" ]'
text ":mget *.txt"; keys Enter
expect ":mget asks (the conflict dialog) only about the files that exist here" wait_screen 15 'a\.txt exists here'
keys S
expect "skip all: the new ones arrive" wait_screen 15 '^ one\.txt '
expect_file_equal ":mget *.txt fetched one.txt" "$FTP_ROOT/one.txt" "$work/one.txt"
expect_file_equal ":mget *.txt fetched two.txt" "$FTP_ROOT/two.txt" "$work/two.txt"
expect ":mget *.txt left y.log alone" [ ! -e "$work/y.log" ]
keys Tab

# ---- a large upload: the screen stays live, and what a key costs ---------------------------
text "/large"; keys Enter F5
expect "the large upload shows its progress on the status bar" wait_screen 20 'large\.bin [0-9]+%'
keys Tab
tab_while_busy() { wait_screen 3 '\|>Remote: ' && screen | grep -qE 'large\.bin [0-9]+%'; }
expect "Tab switches panes while the upload runs" tab_while_busy
keys Tab

# Keypress cost: Tab N times; each time, from send-keys to the screen showing the other pane
# active (capture-pane polled as fast as it runs). Prints "median max n" in milliseconds.
measure_tabs() {
        /usr/bin/python3 - "$sock" "$1" <<'PY'
import subprocess, sys, time
sock, n = sys.argv[1], int(sys.argv[2])
def shot():
    return subprocess.run(["tmux", "-L", sock, "capture-pane", "-p", "-t", "cf"],
                          capture_output=True, text=True).stdout
def remote_active(s):
    return any(l.split("|", 1)[-1].startswith(">Remote:") for l in s.splitlines() if "|" in l)
times = []
want = not remote_active(shot())
for i in range(n):
    t0 = time.monotonic()
    subprocess.run(["tmux", "-L", sock, "send-keys", "-t", "cf", "Tab"])
    while remote_active(shot()) != want:
        if time.monotonic() - t0 > 5:
            print("timeout"); sys.exit(0)
    times.append((time.monotonic() - t0) * 1000)
    want = not want
times.sort()
print("%.1f %.1f %d" % (times[len(times) // 2], times[-1], len(times)))
PY
}
app_cost() { # "median max n" in ms of CLAMFTP_KEY_LOG lines from line $1 on
        tail -n +"$1" "$keylog" 2>/dev/null | /usr/bin/python3 -c '
import sys
v = sorted(int(l.split()[1]) / 1000 for l in sys.stdin if l.strip())
print("%.2f %.2f %d" % (v[len(v) // 2], v[-1], len(v)) if v else "none")'
}
log_lines() { [ -f "$keylog" ] && wc -l <"$keylog" || echo 0; }

from=$(( $(log_lines) + 1 ))
busy=$(measure_tabs 40)
busy_app=$(app_cost "$from")
still=no
screen | grep -qE 'large\.bin [0-9]+%' && still=yes
echo "# keypress cost while a 20 MB upload runs at 1 MB/s: tmux Tab-to-screen median/max/n = $busy ms; inside clamftp (key read to screen written) median/max/n = $busy_app ms; upload still running after: $still"
expect "40 Tabs during the upload are each shown in well under a second (upload still running: $still)" \
        eval '[ "$still" = yes ] && cost_within "$busy" 250 1000'

keys F9
expect "the queue view shows the upload's percentage" wait_screen 5 'uploading [0-9]+%'
p1=$(screen | grep -oE 'uploading [0-9]+%' | head -n 1 | grep -oE '[0-9]+')
progress_moves() {
        wait_until 10 eval '[ "$(screen | grep -oE "uploading [0-9]+%" | head -n 1 | grep -oE "[0-9]+")" -gt "${p1:-100}" ]' ||
                { screen; false; }
}
expect "the queue view shows the progress moving (from $p1%)" progress_moves
expect "the queue view shows the rate and the ETA" wait_screen 5 'large\.bin +[0-9.]+M/[0-9.]+M +[0-9.]+ (MB|kB)/s +0:00:[0-9]{2}'
keys End c
expect "c in the queue view cancels the running upload" wait_screen 10 '-> cancelled +large\.bin'
size=$(stat -c %s "$FTP_ROOT/large.bin" 2>/dev/null || echo 0)
expect "the cancelled upload did not complete ($size bytes on the server)" [ "$size" -lt 20000000 ]
keys Escape

# idle cost, for comparison
from=$(( $(log_lines) + 1 ))
idle=$(measure_tabs 20)
echo "# keypress cost idle: tmux Tab-to-screen median/max/n = $idle ms; inside clamftp median/max/n = $(app_cost "$from") ms"

# ---- a stalled server ----------------------------------------------------------------------
wait_screen 15 '\| idle \|' || true   # the cancelled batch has listed the directory again
text "/d.txt"; keys Enter
stopped=$(vsftpd_sessions | tr '\n' ' ')
kill -STOP $stopped 2>/dev/null
keys F5
expect "with the server stopped, the upload waits on it" wait_screen 10 'd\.txt'
keys Tab
expect "Tab still switches panes while the server stalls" wait_screen 3 '\|>Remote: '
keys F9
expect "the queue view opens while the server stalls, the upload waiting on it" wait_screen 3 '-> uploading +[0-9% ]*d\.txt'
keys F10
expect "F10 with an upload not finished asks before quitting" wait_screen 5 'Transfers are not finished: 1 running, 0 waiting'
keys Enter
expect "Enter answers no: clamftp stays, the upload still listed" eval \
        "wait_until 3 eval '! screen | grep -q \"Transfers are not finished\"' && screen | grep -qE -e '-> uploading +[0-9% ]*d\\.txt'"
keys End c
expect "the stalled upload is cancelled from the queue view" wait_screen 5 '-> cancelled +d\.txt'
keys Escape
start=$(date +%s)
keys F10
expect "F10 quits while the server stalls" wait_screen 8 'CLAMFTP-EXIT=' &&
        echo "# F10 took $(( $(date +%s) - start )) s"
tap_done
