#!/bin/bash
# tests/tui/tmux.sh — the real clamftp on a real terminal (tmux on a private socket), against a
# private vsftpd and clamd: `:open` with the login dialog, moving into and out of a local
# directory, F5 of a clean file (in the right pane and on the server byte for byte), F5 of the
# EICAR file (marked, not on the server), Tab and a status bar still answering while a slow
# upload runs, resizing down to 80x24 and below, F10.
# Every wait polls the screen with a deadline; the screen is shown when a check fails.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/clamd.sh"
. "$top_srcdir/tests/lib/ftpd.sh"
. "$top_srcdir/tests/lib/clamftp.sh"
. "$top_srcdir/tests/lib/tui.sh"

command -v tmux >/dev/null || tap_skip_all "tmux is not installed"
reason=$(vsftpd_available) || tap_skip_all "$reason"
clamd_available || tap_skip_all "clamd is not installed (package clamav-daemon)"

sock=clamftp-tui-$$-$RANDOM
dir=$(mktemp -d "${TMPDIR:-/tmp}/clamftp-tui-tmux.XXXXXX")
chmod 0755 "$dir"
cleanup() {
        tmux -L "$sock" kill-server 2>/dev/null
        vsftpd_stop
        clamd_stop
        rm -rf "$dir"
}
trap cleanup EXIT
clamftp_env "$dir" || tap_skip_all "cannot make a private HOME"
clamd_start "$dir/clamd" 2>"$dir/clamd.err" || { tap_diag <"$dir/clamd.err"; tap_skip_all "clamd did not start"; }
# a slow server, so that a 3 MB upload takes a few seconds
vsftpd_start "$dir/ftpd" local_max_rate=600000 || tap_skip_all "vsftpd did not start"

work=$dir/work
mkdir -p "$work/docs"
printf 'clean line\n%.0s' $(seq 1 100) >"$work/clean.txt"
eicar >"$work/eicar.com"
head -c 3000000 /dev/urandom >"$work/large.bin"
echo note >"$work/docs/note.txt"
echo hello >"$FTP_ROOT/hello.txt"
chown -R "$FTP_USER" "$FTP_ROOT" 2>/dev/null


tmux -L "$sock" -f /dev/null new-session -d -s cf -x 100 -y 30 \
        "cd '$work' && env HOME='$HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' LANG=C.UTF-8 TZ=UTC '$(clamftp_bin)' --scanner '$CLAMD_ADDRESS' --audit-log '$CF_AUDIT'; echo CLAMFTP-EXIT=\$?; sleep 600" ||
        tap_skip_all "tmux cannot start a session here"

check_screen "the panes come up on a terminal" 10 '^>Local: .*work'
check_screen "the F-key bar is on the last line" 5 '^1Help +2Scan +3Log +4 +5Copy'

text ":open 127.0.0.1 $FTP_PORT"; keys Enter
check_screen ":open asks for the user name in a dialog" 10 'Username:'
text "$FTP_USER"; keys Enter
check_screen "then for the password" 10 'Password:'
text "$FTP_PASS"
if wait_screen 5 '\*{10}' && ! screen | grep -qF -- "$FTP_PASS"; then
        tap_ok "the password is shown as stars, never as text"
else
        tap_not_ok "the password is shown as stars, never as text"
fi
keys Enter
check_screen "after login the remote pane lists the server" 15 '\| hello\.txt '

# local pane: .. docs/ clean.txt eicar.com large.bin
keys Down Enter
check_screen "Enter enters a local directory" 10 '^>Local: .*work/docs'
keys BSpace
check_screen "Backspace goes back up to the parent directory" 10 '^>Local: .*work +\|'
keys Down
keys F5
check_screen "F5 uploads the clean file: it appears in the right pane" 20 '\| clean\.txt +1100 '
if cmp -s "$work/clean.txt" "$FTP_ROOT/clean.txt"; then
        tap_ok "the clean file is on the server byte for byte"
else
        tap_not_ok "the clean file is on the server byte for byte"
fi

keys Down F5
check_screen "F5 on the EICAR file marks it in the local pane" 20 '^!eicar\.com'
check_screen "the status bar names the signature under the cursor" 5 'REFUSED by the scanner: Clamftp\.Test\.EICAR'
[ ! -e "$FTP_ROOT/eicar.com" ] && tap_ok "the EICAR file is not on the server" ||
        tap_not_ok "the EICAR file is not on the server"

keys Down F5
if wait_screen 15 'large\.bin [0-9]+%'; then
        tap_ok "a running upload shows its progress on the status bar"
        keys Tab
        if wait_screen 3 '\|>Remote: ' && screen | grep -qE 'large\.bin [0-9]+%'; then
                tap_ok "Tab switches panes while the upload runs"
        else
                tap_not_ok "Tab switches panes while the upload runs"
        fi
        keys Tab
else
        tap_not_ok "a running upload shows its progress on the status bar"
        tap_skip "Tab while the upload runs" "no running upload was seen"
fi
check_screen "the large file arrives" 30 '\| large\.bin +2\.9M '
cmp -s "$work/large.bin" "$FTP_ROOT/large.bin" && tap_ok "the large file is on the server byte for byte" ||
        tap_not_ok "the large file is on the server byte for byte"

tmux -L "$sock" resize-window -t cf -x 80 -y 24
check_screen "at 80x24 the screen is redrawn with the F-key bar at the bottom" 10 '^1Help +2Scan +3Log +4 +5Copy +6Rename +7Mkdir +8Delete +9Queue +10Quit$'
if [ "$(screen | wc -l)" -eq 24 ] && screen | sed -n 24p | grep -q '^1Help'; then
        tap_ok "the F-key bar is on row 24"
else
        tap_not_ok "the F-key bar is on row 24"
        screen | tap_diag
fi
tmux -L "$sock" resize-window -t cf -x 60 -y 20
check_screen "smaller than 80x24 says so clearly" 10 'needs a terminal of at least 80x24'
tmux -L "$sock" resize-window -t cf -x 100 -y 30
check_screen "growing again brings the panes back" 10 '\| hello\.txt '

keys F10
check_screen "F10 quits" 10 'CLAMFTP-EXIT=1'
tap_done
