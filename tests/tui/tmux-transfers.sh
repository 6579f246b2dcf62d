#!/bin/bash
# tests/tui/tmux-transfers.sh — the full-screen transfers in a real terminal (tmux) against a
# rate-limited vsftpd and the real clamav-agent.
# Covers: the remote pane refreshes after each uploaded file while the batch still runs (not
# only at its end), and its cursor ends on the last file uploaded; the conflict dialog's "resume" of an
# upload (the queue view says where it resumed); typed :mput asks with the conflict dialog when
# the file exists on the server; F5 on a local directory with an EICAR file inside (refused,
# absent from the server, the rest arrives).
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/ftpd.sh"
. "$top_srcdir/tests/lib/agent.sh"
. "$top_srcdir/tests/lib/clamd.sh"
. "$top_srcdir/tests/lib/clamftp.sh"
. "$top_srcdir/tests/lib/tui.sh"

command -v tmux >/dev/null || tap_skip_all "tmux is not installed"
CF_VSFTPD_CONF=(local_max_rate=400000)
cf_suite_begin open put mput
sock=clamftp-tuix-$$-$RANDOM
trap 'tmux -L "$sock" kill-server 2>/dev/null; cf_suite_end' EXIT
work=$CF_LOCAL
srv=$FTP_ROOT

for f in f1 f2 f3 f4 f5 f6; do head -c 300000 /dev/urandom >"$work/$f.bin"; done
head -c 600000 /dev/urandom >"$work/half.bin"
head -c 300000 "$work/half.bin" >"$srv/half.bin"
echo "on the server" >"$srv/aaa.txt"
echo "here" >"$work/aaa.txt"
mkdir -p "$work/tree/sub"
echo one >"$work/tree/one.txt"
echo two >"$work/tree/sub/two.txt"
eicar >"$work/tree/sub/eicar.com"
ftp_own

same() { if cmp -s "$2" "$3"; then tap_ok "$1"; else tap_not_ok "$1"; ls -l "$2" "$3" 2>&1 | tap_diag; fi; }

tmux -L "$sock" -f /dev/null new-session -d -s cf -x 110 -y 32 \
        "cd '$work' && env HOME='$HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' LANG=C.UTF-8 TZ=UTC '$(clamftp_bin)' --scanner '$CF_SCANNER' --audit-log '$CF_AUDIT'; echo CLAMFTP-EXIT=\$?; sleep 600" ||
        tap_skip_all "tmux cannot start a session here"

wait_screen 10 '^>Local: ' || tap_not_ok "the panes come up"
text ":open 127.0.0.1 $FTP_PORT"; keys Enter
wait_screen 10 'Username:' && { text "$FTP_USER"; keys Enter; }
wait_screen 10 'Password:' && { text "$FTP_PASS"; keys Enter; }
check_screen "logged in: the remote pane lists the server" 15 '\| aaa\.txt '

# ---- the remote pane follows the batch ----------------------------------------------------
# local pane: .. tree/ aaa.txt f1.bin … f6.bin half.bin ; the remote cursor is on aaa.txt.
# f1.bin in the remote pane while the status bar is not idle: listed before the batch's end.
during_batch() { screen | grep -qE '\| f1\.bin +300000' && ! screen | grep -qE '\| idle \|'; }
keys Down Down Down Insert Insert Insert Insert Insert Insert F5
if wait_until 20 during_batch; then
        tap_ok "the remote pane shows f1.bin while the batch still runs (refreshed per file)"
else
        tap_not_ok "the remote pane shows f1.bin while the batch still runs (refreshed per file)"
        screen | tap_diag
fi
check_screen "at the end the remote pane lists all six" 30 '\| f6\.bin +300000'
for f in f1 f2 f3 f4 f5 f6; do same "$f.bin is on the server byte for byte" "$work/$f.bin" "$srv/$f.bin"; done
keys Tab F6
check_screen "at the batch's end the remote cursor is on the last file uploaded" 5 'Rename f6\.bin to'
keys Escape Tab

# ---- resume from the conflict dialog --------------------------------------------------------
text "/half"; keys Enter F5
check_screen "an upload onto a smaller server file offers resume" 15 'r:resume'
keys r
check_screen "resume: the job ends" 30 'Resumed .*half\.bin'
same "resume: the server's half.bin is whole, byte for byte" "$work/half.bin" "$srv/half.bin"
keys F9
check_screen "the queue view says where the upload resumed" 10 'half\.bin.*resumed from 300\.0.kB'
keys Escape
text "/"; keys Enter

# ---- typed :mput through the dialog ---------------------------------------------------------
text ":mput aaa.txt"; keys Enter
check_screen ":mput asks with the conflict dialog when the file exists on the server" 15 'aaa\.txt exists on the server'
keys s F9
check_screen "skip: the queue view lists aaa.txt as skipped" 10 '-> skipped +aaa\.txt'
keys Escape
[ "$(cat "$srv/aaa.txt")" = "on the server" ] && tap_ok ":mput, skip: the server's file is left as it was" ||
        tap_not_ok ":mput, skip: the server's file is left as it was"

# ---- F5 on a local directory with EICAR inside ---------------------------------------------
text "/tree"; keys Enter F5
wait_until 30 test -f "$srv/tree/sub/two.txt"
keys F9
check_screen "F5 on a local directory: the queue view shows the EICAR file inside INFECTED" 30 \
        'INFECTED +tree/sub/eicar\.com +.*EICAR'
keys Escape
same "F5 on a local directory: tree/one.txt arrived" "$work/tree/one.txt" "$srv/tree/one.txt"
same "F5 on a local directory: tree/sub/two.txt arrived" "$work/tree/sub/two.txt" "$srv/tree/sub/two.txt"
[ ! -e "$srv/tree/sub/eicar.com" ] && tap_ok "F5 on a local directory: the EICAR file did not arrive" ||
        tap_not_ok "F5 on a local directory: the EICAR file did not arrive"

keys F10
wait_screen 10 'CLAMFTP-EXIT=' >/dev/null
tap_done
