#!/bin/bash
# tests/tui/tmux-large.sh — a 200 MiB upload in a real terminal (tmux on a private socket): the
# real clamftp, a private vsftpd (local_max_rate, so the transfer itself takes a few seconds) and
# the real clamav-agent with StreamMaxLength, MaxFileSize and MaxScanSize raised above 200 MiB.
# - F5 of a 200 MiB file of random bytes from the local pane: while it is sent, Tab switches
#   panes and Down/Up move the cursor (each shown within a deadline), the queue view (F9) shows
#   its percentage moving, and what a keypress costs is measured (20 keys, send-keys to the
#   screen showing the effect, and inside clamftp with CLAMFTP_KEY_LOG: median and max as TAP
#   diagnostics, bounded by 2 s); the same, 12 keys, while the agent scans the file;
# - at the end the server's file has the same SHA-256 and the remote pane lists it.
# The screen runs without colour (NO_COLOR) so that the cursor row is reverse video, which
# capture-pane -e shows. Every wait polls the screen with a deadline; the screen is shown when a
# check fails. The file, its snapshot (TMPDIR) and the server's copy stay in the suite's
# directory, removed at the end; the suite skips when less than 1 GiB is free there.
. "$top_srcdir/tests/lib/suite.sh"

SIZE=$((200 * 1024 * 1024))
RATE=${CLAMFTP_LARGE_RATE:-30000000}   # bytes/s: ~7 s for the 200 MiB

SUITE_VSFTPD_CONF=(local_max_rate=$RATE)
suite_begin tui-large tmux agent-bin vsftpd clamftp:open,put
free_kb=$(df -Pk "$dir" | awk 'NR == 2 { print $4 }')
[ "${free_kb:-0}" -ge $((1024 * 1024)) ] ||
        skip_all "less than 1 GiB free in $dir (the file, its snapshot and the server's copy need 600 MiB)"
suite_start clamav-agent agent_start "$dir/agent" "StreamMaxLength 400M" "MaxFileSize 400M" "MaxScanSize 400M"

work=$dir/work
mkdir -p "$work" "$dir/spool"
echo small >"$work/a.txt"
echo small >"$work/b.txt"
head -c "$SIZE" /dev/urandom >"$work/large.bin" || skip_all "cannot write a 200 MiB file in $dir"
want_sha=$(sha_of "$work/large.bin")
echo here >"$FTP_ROOT/here.txt"
chown -R "$FTP_USER" "$FTP_ROOT"

keylog=$dir/keys.log
tui_start 100 30 "$work" NO_COLOR=1 TMPDIR="$dir/spool" CLAMFTP_KEY_LOG="$keylog" -- --scanner "$AGENT_ADDRESS" --audit-log "$CF_AUDIT" ||
        skip_all "tmux cannot start a session here"
wait_screen 10 '^>Local: .*work' || expect "the panes come up" false
text ":open 127.0.0.1 $FTP_PORT"; keys Enter
tui_login
expect "logged in: the remote pane lists the server" wait_screen 15 '\| here\.txt '

# local pane: .. a.txt b.txt large.bin
keys End
wait_until 3 eval '[[ "$(tui_probe state)" == "L "*" large.bin" ]]' ||
        expect "End puts the cursor on large.bin" eval 'screen; false'
started=$(date +%s%N)
keys F5
uploading() { screen | grep -qE 'large\.bin [0-9]+%'; }
# while the agent scans the 200 MiB (seconds of libclamav's time): keys are answered too
if wait_screen 10 'scanning large\.bin'; then
        from=$(( $(tui_keylog_lines "$keylog") + 1 ))
        cost=$(tui_probe cost 12 Tab Tab Up Down)
        scanning=no
        screen | grep -q 'scanning large\.bin' && scanning=yes
        echo "# keypress cost while the agent scans the 200 MiB: send-keys to screen, median/max/n = $cost ms; inside clamftp = $(tui_keylog_cost "$keylog" "$from") ms; still scanning after: $scanning"
        expect "12 keys while the agent scans are each shown within 2 s" cost_within "$cost" 0 2000
else
        expect "the status bar says the 200 MiB file is being scanned" false
fi
upload_shown() { wait_until 45 uploading || { screen; tail -n 5 "$AGENT_LOG"; false; }; }
expect "F5: scanned, the 200 MiB upload shows its progress on the status bar" upload_shown &&
        echo "# the upload showed its progress $(( ($(date +%s%N) - started) / 1000000 )) ms after F5"

# ---- keys during the upload ------------------------------------------------------------------
# each key is shown within 3 s, and the upload is still running afterwards
state_shown_uploading() {
        wait_until 3 eval '[[ "$(tui_probe state)" =~ $want_state ]]' && uploading && return 0
        echo "now: $(tui_probe state)"
        screen
        return 1
}
key_shown() { # DESCRIPTION KEY EXPECTED-STATE ("SIDE ROW NAME", a pattern)
        want_state="^$3\$"
        keys "$2"
        expect "$1" state_shown_uploading
}
key_shown "Tab during the upload makes the remote pane active" Tab 'R [0-9]+ here\.txt'
key_shown "Tab again: the local pane is active, its cursor still on large.bin" Tab 'L [0-9]+ large\.bin'
key_shown "Up during the upload moves the cursor to b.txt" Up 'L [0-9]+ b\.txt'
key_shown "Down moves it back to large.bin" Down 'L [0-9]+ large\.bin'

from=$(( $(tui_keylog_lines "$keylog") + 1 ))
cost=$(tui_probe cost 20 Tab Tab Up Down)
still=no
uploading && still=yes
echo "# keypress cost while the 200 MiB upload runs at $RATE B/s: send-keys to screen, median/max/n = $cost ms (Tab, Tab, Up, Down in turn); inside clamftp = $(tui_keylog_cost "$keylog" "$from") ms; upload still running after: $still"
expect "20 keys during the upload are each shown within 2 s (upload still running: $still)" \
        eval '[ "$still" = yes ] && cost_within "$cost" 0 2000'

keys F9
percent() { screen | grep -oE 'uploading +[0-9]+%' | head -n 1 | grep -oE '[0-9]+'; }
if wait_screen 5 'uploading +[0-9]+% +large\.bin'; then
        p1=$(percent)
        percent_moves() {
                wait_until 10 eval '[ "$(percent)" != "$p1" ] && [ -n "$(percent)" ]' || { screen; false; }
        }
        expect "the queue view shows the percentage moving (from $p1%)" percent_moves
else
        expect "the queue view shows the upload with its percentage" false
        skip "the queue view shows the percentage moving" "the queue view showed no percentage"
fi
expect "the queue view lists the job done at the end" wait_screen 60 '-> done +large\.bin'
echo "# F5 to done: $(( ($(date +%s%N) - started) / 1000000 )) ms"
keys Escape

expect "the remote pane lists large.bin with its size" wait_screen 10 '\| large\.bin +200\.0M'
got_sha=$(sha_of "$FTP_ROOT/large.bin" 2>/dev/null)
expect "the server's large.bin has the same SHA-256 as the local one" eval '[ "$got_sha" = "$want_sha" ] || { echo "want $want_sha got ${got_sha:-nothing} ($(stat -c %s "$FTP_ROOT/large.bin" 2>&1))"; false; }'
expect "the audit log records the upload with that SHA-256" eval 'grep -q "\"sha256\": *\"$want_sha\"" "$CF_AUDIT" 2>/dev/null || { tail -n 3 "$CF_AUDIT" 2>&1; false; }'
rm -f "$work/large.bin" "$FTP_ROOT/large.bin"

keys F10
expect "F10 quits" wait_screen 10 'CLAMFTP-EXIT=0'
tap_done
