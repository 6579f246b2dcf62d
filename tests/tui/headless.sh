#!/bin/bash
# tests/tui/headless.sh — the full-screen interface without a terminal (CLAMFTP_NO_DISPLAY): a
# script of keys against a private pyftpdlib server and a private clamd, with the screen dumped
# as text between steps and compared with what a user must see; then the server's files.
# Covers: both panes' layout at 80x24 (directories first, ".." on top, wide names), the login
# dialog with the password hidden, F5 up (clean file arrives byte for byte; EICAR is marked and
# never arrives), Enter/Backspace in the remote pane, F7, F5 down, F8 with its question, Tab,
# and `:` commands.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/clamd.sh"
. "$top_srcdir/tests/lib/ftpd.sh"
. "$top_srcdir/tests/lib/clamftp.sh"
. "$top_srcdir/tests/lib/tui.sh"

[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import pyftpdlib' 2>/dev/null ||
        tap_skip_all "pyftpdlib is not installed for /usr/bin/python3 (package python3-pyftpdlib)"
clamd_available || tap_skip_all "clamd is not installed (package clamav-daemon)"

dir=$(mktemp -d "${TMPDIR:-/tmp}/clamftp-tui-headless.XXXXXX")
trap 'pyftpd_stop; clamd_stop; rm -rf "$dir"' EXIT
clamftp_env "$dir" || tap_skip_all "cannot make a private HOME"
clamd_start "$dir/clamd" 2>"$dir/clamd.err" || { cat "$dir/clamd.err" | tap_diag; tap_skip_all "clamd did not start"; }
pyftpd_start "$dir/ftpd" || tap_skip_all "pyftpdlib did not start"

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
<Esc>0
SCRIPT

cd "$work"
CLAMFTP_NO_DISPLAY=1 CLAMFTP_SCRIPT=$dir/script COLUMNS=80 LINES=24 \
        timeout -k 5 60 "$(clamftp_bin)" --scanner "$CLAMD_ADDRESS" --audit-log "$CF_AUDIT" \
        >"$dir/out" 2>&1
rc=$?
cd /


if [ "$rc" -eq 1 ]; then
        tap_ok "quits on Esc 0 (F10) with status 1: a file was refused"
else
        tap_not_ok "quits on Esc 0 (F10) with status 1 (got $rc)"
        tap_diag <"$dir/out"
fi

expect start "the active local pane's header shows its path" -E '^>Local: /tmp/.*work\| Remote:$'
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
if [ "$got" = "$want" ]; then
        tap_ok "first screen: local pane layout at 80x24"
else
        tap_not_ok "first screen: local pane layout at 80x24"
        { echo "--- want"; printf '%s\n' "$want"; echo "--- got"; printf '%s\n' "$got"; } | tap_diag
fi
expect start "F-key bar" -E '^1Help +2Scan +3Log +4 +5Copy +6Rename +7Mkdir +8Delete +9Queue +10Quit$'
expect start "status bar says not connected and names the scanner" '-E' '^ not connected \| idle \| scanner unix:/' 

expect user "open asks for the user name in a dialog" -F "Username:"
expect password "the password dialog shows stars" -F "****************"
expect_not password "the password itself is never on the screen" -F "$FTP_PASS"

expect connected "remote pane lists the server's directory" -E '\| +incoming/ +DIR'
expect connected "remote pane lists the server's file" -E '\| hello\.txt +6 '
expect connected "status bar shows the connection" -F "$FTP_USER@127.0.0.1:$FTP_PORT"

expect clean-up "the clean file appears in the remote pane after F5" -E '\| clean\.txt +550 '
if cmp -s "$work/clean.txt" "$FTP_ROOT/clean.txt"; then
        tap_ok "the clean file is on the server byte for byte"
else
        tap_not_ok "the clean file is on the server byte for byte"
fi

expect eicar "the EICAR file is marked in the local pane" -E '^!eicar\.com '
expect eicar "the status line names the signature under the cursor" -E 'REFUSED by the scanner: Clamftp\.Test\.EICAR'
expect eicar "the refusal is in the message area" -F "is infected"
if [ ! -e "$FTP_ROOT/eicar.com" ]; then
        tap_ok "the EICAR file is not on the server"
else
        tap_not_ok "the EICAR file is not on the server"
fi

expect incoming "Tab and Enter enter a remote directory" -E '\|>Remote: /incoming'
expect made "F7 makes a remote directory, shown at once" -E '\|\*?.made/ +DIR'
[ -d "$FTP_ROOT/incoming/made" ] && tap_ok "the new directory exists on the server" ||
        tap_not_ok "the new directory exists on the server"
expect back "Backspace goes up to the parent" -E '\|>Remote: /$'

expect download "the downloaded file appears in the local pane" -E '^ hello\.txt +6 '
if [ "$(cat "$work/hello.txt" 2>/dev/null)" = hello ]; then
        tap_ok "F5 in the remote pane downloads into the local directory"
else
        tap_not_ok "F5 in the remote pane downloads into the local directory"
        show download
fi
expect question "F8 asks before deleting" -F "Delete hello.txt?"
expect deleted "the deleted file leaves the remote pane" -E '\|>Remote: /$'
expect_not deleted "no hello.txt in the remote pane after the delete" -E '\| hello\.txt'
[ ! -e "$FTP_ROOT/hello.txt" ] && tap_ok "the file is gone from the server" ||
        tap_not_ok "the file is gone from the server"
expect status ":status runs the line-mode command" -iE 'scanner|connected'

tap_done
