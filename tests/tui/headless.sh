#!/bin/bash
# tests/tui/headless.sh — the full-screen interface without a terminal (CLAMFTP_NO_DISPLAY): a
# script of keys against a private pyftpdlib server and a private clamd, with the screen dumped
# as text between steps and compared with what a user must see; then the server's files.
# Covers: both panes' layout at 80x24 (directories first, ".." on top, wide names), the login
# dialog with the password hidden, F5 up (clean file arrives byte for byte; EICAR is marked and
# never arrives), Enter/Backspace in the remote pane, F7, F5 down, F8 with its question, Tab,
# and `:` commands.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin tui-headless clamd pyftpd home

export TZ=UTC LC_ALL=C.UTF-8
work=$dir/work
mkdir -p "$work/docs" "$FTP_ROOT/incoming"
printf 'clean file\n%.0s' $(seq 1 50) >"$work/clean.txt"
eicar >"$work/eicar.com"
echo wide >"$work/日本語.txt"
echo long >"$work/a-very-long-file-name-that-does-not-fit-in-its-column.txt"
echo hello >"$FTP_ROOT/hello.txt"
touch -d '2024-05-01 12:00' "$work"/* "$work/docs"

s=$dir/screens
mkdir -p "$s"
cat >"$dir/script" <<SCRIPT
@dump $s/start
<C-c>
@dump $s/cancel-idle
:open 127.0.0.1 $FTP_PORT<Enter>
@dump $s/user
$FTP_USER<Enter>
$FTP_PASS
@dump $s/password
<Enter>
@dump $s/connected
# cursor: .. docs/ a-very-long… clean.txt eicar.com 日本語.txt
<Down><Down><Down><F5>
@dump $s/clean-up
<Down><F5>
@dump $s/eicar
# the server's root has no "..": incoming/ is the first entry
<Tab><Home><Enter>
@dump $s/incoming
<F7>made<Enter>
@dump $s/made
<BS>
@dump $s/back
<End><F5>
@dump $s/download
<F8>
@dump $s/question
y
@dump $s/deleted
:status<Enter>
@dump $s/status
<C-x>m
@dump $s/log
<Esc><F1>
@dump $s/help
<Esc><Esc>0
SCRIPT

tui_headless "$work" 80x24 60 "$dir/script" "$dir/out" --scanner "$CLAMD_ADDRESS" --audit-log "$CF_AUDIT"


expect "quits on Esc 0 (F10) with status 1: a file was refused" tui_exited 1

expect "the active local pane's header shows its path" screen_has start -E '^>Local: /tmp/.*work\| Remote:$'
# The first screen, exactly: panes side by side, directories first, ".." on top, a wide name
# and a long one shortened with an ellipsis, the status bar, the F-key bar.
want=$(cat <<'EOF2'
 ..                   UP-DIR           | Not connected: type :open <host> [port]
 docs/                   DIR 2024-05-01|
 a-very-long-…mn.txt       5 2024-05-01|
 clean.txt               550 2024-05-01|
 eicar.com                68 2024-05-01|
 日本語.txt                5 2024-05-01|
EOF2
)
got=$(sed -n 2,7p "$s/start" 2>/dev/null)
expect "first screen: local pane layout at 80x24" same_text "$want" "$got"
expect "F-key bar" screen_has start -E '^1Help +2Scan +3View +4Edit +5Copy +6Rename +7Mkdir +8Delete +9Queue +10Quit$'
expect "status bar says not connected and names the scanner" screen_has start '-E' '^ not connected \| idle \| scanner unix:/' 

expect "open asks for the user name in a dialog" screen_has user -F "Username:"
expect "the password dialog shows stars" screen_has password -F "****************"
expect "the password itself is never on the screen" screen_lacks password -F "$FTP_PASS"

expect "remote pane lists the server's directory" screen_has connected -E '\| +incoming/ +DIR'
expect "remote pane lists the server's file" screen_has connected -E '\| hello\.txt +6 '
expect "status bar shows the connection" screen_has connected -F "$FTP_USER@127.0.0.1:$FTP_PORT"

expect "the clean file appears in the remote pane after F5" screen_has clean-up -E '\| clean\.txt +550 '
expect_file_equal "the clean file is on the server byte for byte" "$work/clean.txt" "$FTP_ROOT/clean.txt"

expect "the EICAR file is marked in the local pane" screen_has eicar -E '^!eicar\.com '
expect "the status line names the signature under the cursor" screen_has eicar -E 'REFUSED by the scanner: Clamftp\.Test\.EICAR'
expect "the refusal is in the message area" screen_has eicar -F "is infected"
expect "the EICAR file is not on the server" [ ! -e "$FTP_ROOT/eicar.com" ]

expect "Tab and Enter enter a remote directory" screen_has incoming -E '\|>Remote: /incoming'
expect "F7 makes a remote directory, shown at once" screen_has made -E '\|\*?.made/ +DIR'
expect "the new directory exists on the server" [ -d "$FTP_ROOT/incoming/made" ]
expect "Backspace goes up to the parent" screen_has back -E '\|>Remote: /$'

expect "the downloaded file appears in the local pane" screen_has download -E '^ hello\.txt +6 '
expect "F5 in the remote pane downloads into the local directory" eval '[ "$(cat "$work/hello.txt" 2>/dev/null)" = hello ] || { show download; false; }'
expect "F8 asks before deleting" screen_has question -F "Delete hello.txt?"
expect "the deleted file leaves the remote pane" screen_has deleted -E '\|>Remote: /$'
expect "no hello.txt in the remote pane after the delete" screen_lacks deleted -E '\| hello\.txt'
expect "the file is gone from the server" [ ! -e "$FTP_ROOT/hello.txt" ]
expect ":status runs the line-mode command" screen_has status -iE 'scanner|connected'

expect "Ctrl-C with nothing running says so" screen_has cancel-idle -F "Nothing is running: there is nothing to cancel."

# the message log and the help keep whole lines: wrapped, never cut with "…"
expect "Ctrl-X m shows every line of status, the scanner's with its whole path" screen_has log -E '^Scanner: '
expect "the log cuts no message" screen_lacks log -F '…'
expect "F1 wraps a long description under its column" screen_has help -E '^ {29}[a-z(]'
expect "F1 cuts no line" screen_lacks help -F '…'
tap_done
