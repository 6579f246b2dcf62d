#!/bin/bash
# tests/tui/tmux.sh — the real clamftp on a real terminal (tmux on a private socket), against a
# private vsftpd and clamd: `:open` with the login dialog, moving into and out of a local
# directory, F5 of a clean file (in the right pane and on the server byte for byte), F5 of the
# EICAR file (marked, not on the server), Tab and a status bar still answering while a slow
# upload runs, resizing down to 80x24 and below, F10.
# Every wait polls the screen with a deadline; the screen is shown when a check fails.
. "$top_srcdir/tests/lib/suite.sh"

# a slow server, so that a 3 MB upload takes a few seconds
SUITE_VSFTPD_CONF=(local_max_rate=600000)
suite_begin tui-tmux tmux clamd vsftpd home

work=$dir/work
mkdir -p "$work/docs"
printf 'clean line\n%.0s' $(seq 1 100) >"$work/clean.txt"
eicar >"$work/eicar.com"
head -c 3000000 /dev/urandom >"$work/large.bin"
echo note >"$work/docs/note.txt"
echo hello >"$FTP_ROOT/hello.txt"
chown -R "$FTP_USER" "$FTP_ROOT" 2>/dev/null


tui_start 100 30 "$work" -- --scanner "$CLAMD_ADDRESS" --audit-log "$CF_AUDIT" ||
        skip_all "tmux cannot start a session here"

expect "the panes come up on a terminal" wait_screen 10 '^>Local: .*work'
expect "the F-key bar is on the last line" wait_screen 5 '^1Help +2Scan +3View +4Edit +5Copy'

text ":open 127.0.0.1 $FTP_PORT"; keys Enter
expect ":open asks for the user name in a dialog" wait_screen 10 'Username:'
text "$FTP_USER"; keys Enter
expect "then for the password" wait_screen 10 'Password:'
text "$FTP_PASS"
stars_only() { wait_screen 5 '\*{10}' && ! screen | grep -qF -- "$FTP_PASS"; }
expect "the password is shown as stars, never as text" stars_only
keys Enter
expect "after login the remote pane lists the server" wait_screen 15 '\| hello\.txt '

# local pane: .. docs/ clean.txt eicar.com large.bin
keys Down Enter
expect "Enter enters a local directory" wait_screen 10 '^>Local: .*work/docs'
keys BSpace
expect "Backspace goes back up to the parent directory" wait_screen 10 '^>Local: .*work +\|'
keys Down
keys F5
expect "F5 uploads the clean file: it appears in the right pane" wait_screen 20 '\| clean\.txt +1100 '
expect_file_equal "the clean file is on the server byte for byte" "$work/clean.txt" "$FTP_ROOT/clean.txt"

keys Down F5
expect "F5 on the EICAR file marks it in the local pane" wait_screen 20 '^!eicar\.com'
expect "the status bar names the signature under the cursor" wait_screen 5 'REFUSED by the scanner: Clamftp\.Test\.EICAR'
expect "the EICAR file is not on the server" [ ! -e "$FTP_ROOT/eicar.com" ]

keys Down F5
if expect "a running upload shows its progress on the status bar" wait_screen 15 'large\.bin [0-9]+%'; then
        keys Tab
        tab_while_busy() { wait_screen 3 '\|>Remote: ' && screen | grep -qE 'large\.bin [0-9]+%'; }
        expect "Tab switches panes while the upload runs" tab_while_busy
        keys Tab
else
        skip "Tab while the upload runs" "no running upload was seen"
fi
expect "the large file arrives" wait_screen 30 '\| large\.bin +2\.9M '
expect_file_equal "the large file is on the server byte for byte" "$work/large.bin" "$FTP_ROOT/large.bin"

tmux -L "$sock" resize-window -t cf -x 80 -y 24
expect "at 80x24 the screen is redrawn with the F-key bar at the bottom" wait_screen 10 '^1Help +2Scan +3View +4Edit +5Copy +6Rename +7Mkdir +8Delete +9Queue +10Quit$'
bar_on_row_24() { [ "$(screen | wc -l)" -eq 24 ] && screen | sed -n 24p | grep -q '^1Help' || { screen; false; }; }
expect "the F-key bar is on row 24" bar_on_row_24
tmux -L "$sock" resize-window -t cf -x 60 -y 20
expect "smaller than 80x24 says so clearly" wait_screen 10 'needs a terminal of at least 80x24'
tmux -L "$sock" resize-window -t cf -x 100 -y 30
expect "growing again brings the panes back" wait_screen 10 '\| hello\.txt '

keys F10
expect "F10 quits" wait_screen 10 'CLAMFTP-EXIT=1'
tap_done
