#!/bin/bash
# tests/tui/tmux-tls.sh — FTPS in a real terminal (tmux on a private socket, 80x24): the real
# clamftp against a private vsftpd with explicit TLS and a self-signed test certificate, and the
# real clamav-agent.
# - :open shows the certificate dialog: host:port, the subject, and the SHA-256 fingerprint
#   openssl computes (the dialog splits it over two lines); Esc refuses: the status bar says not
#   connected and the server never saw USER;
# - :open again, the window resized to 100x30 and back to 80x24 while the dialog is shown: the
#   dialog stays whole (box, title, subject, fingerprint, both keys) each time, and back at
#   80x24 the screen is the same as before;
# - t trusts it: the login dialog, then logged in with TLS 1.3 on the status bar; F5 uploads a
#   file that arrives byte for byte;
# - the mouse through tmux (mouse off in tmux, so the program gets the sequence): a click on a row
#   of the left pane moves the cursor there, in the encoding the terminal's kmous asks for: X10
#   (\e[M…) with tmux's own TERM, SGR (\e[<…M/m) with TERM=xterm-256color (kmous=\E[<);
# - on a colour terminal the cursor row is highlighted.
# Every wait polls the screen with a deadline; the screen is shown when a check fails.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin tui-tls tmux agent vsftpd-tls home
FP=$SUITE_FP

work=$dir/work
mkdir -p "$work"
for f in a b c; do echo "$f" >"$work/$f.txt"; done
head -c 300000 /dev/urandom >"$work/up.bin"
echo here >"$FTP_ROOT/here.txt"
chown -R "$FTP_USER" "$FTP_ROOT"

log_size() { stat -c %s "$FTP_PROTOLOG" 2>/dev/null || echo 0; }
# the fingerprint shown after "SHA-256:" and on the line below it, as AB:CD:…
shown_fingerprint() {
        screen | grep -A1 -F 'SHA-256:' | sed -e 's/^ *| *//' -e 's/ *| *$//' -e 's/^SHA-256: *//' |
                tr -d ' ' | paste -sd:
}
# the dialog whole at the current size: its box, title, subject, fingerprint and keys
dialog_whole() {
        local s
        s=$(screen)
        grep -qF "The certificate of 127.0.0.1:$FTP_PORT does not verify" <<<"$s" &&
                grep -qE '\| Subject: +(O=clamftp tests,)?CN=clamftp test server' <<<"$s" &&
                grep -qE '\| t +trust it' <<<"$s" && grep -qE '\| r +refuse' <<<"$s" &&
                [ "$(shown_fingerprint)" = "$FP" ] &&
                [ "$(grep -cE '^ *\+-{20,}\+' <<<"$s")" -eq 2 ]
}
size_is() { [ "$(tmux -L "$sock" display-message -p -t cf '#{window_width}x#{window_height}')" = "$1" ]; }

tui_start 80 24 "$work" -- --scanner "$AGENT_ADDRESS" --audit-log "$CF_AUDIT" ||
        skip_all "tmux cannot start a session here"
wait_screen 10 '^>Local: .*work' || expect "the panes come up" false

# ---- refuse ------------------------------------------------------------------------------------
before=$(log_size)
text ":open 127.0.0.1 $FTP_PORT"; keys Enter
expect ":open shows the certificate dialog with host:port" wait_screen 15 "The certificate of 127\\.0\\.0\\.1:$FTP_PORT does not verify"
expect "the dialog shows the subject" wait_screen 2 '\| Subject: +(O=clamftp tests,)?CN=clamftp test server'
got=$(shown_fingerprint)
expect "the dialog shows the SHA-256 fingerprint openssl computes (over two lines)" eval '[ "$got" = "$FP" ] || { echo "want $FP got $got"; screen; false; }'
keys Escape
expect "Esc refuses: the status bar says not connected" wait_screen 5 '^ not connected \| idle'
expect "refused: the server never saw USER" \
        eval '! tail -c +"$((before + 1))" "$FTP_PROTOLOG" 2>/dev/null | grep -q "\"USER "'

# ---- resize while the dialog is shown, then trust ----------------------------------------------
text ":open 127.0.0.1 $FTP_PORT"; keys Enter
wait_screen 15 'does not verify' >/dev/null
at_80x24=$(screen)
for size in 100x30 80x24; do
        tmux -L "$sock" resize-window -t cf -x "${size%x*}" -y "${size#*x}"
        expect "resized to $size while the dialog is shown: it stays whole and readable" eval '{ wait_until 5 size_is "$size" && wait_until 5 dialog_whole; } || { screen; false; }'
done
same_screen_again() { wait_until 5 eval '[ "$(screen)" = "$at_80x24" ]' || same_text "$at_80x24" "$(screen)"; }
expect "back at 80x24 the screen is the same as before the resize" same_screen_again
keys t
expect "t trusts it: the login dialog asks for the user name" wait_screen 10 'Username:'
tui_login
expect "logged in: the remote pane lists the server" wait_screen 15 '\| here\.txt '
expect "the status bar shows TLS 1.3" wait_screen 5 "^ $FTP_USER@127\\.0\\.0\\.1:$FTP_PORT \\| TLS 1\\.3"

# ---- an upload over TLS ------------------------------------------------------------------------
# local pane: .. a.txt b.txt c.txt up.bin
keys End F5
expect "F5 uploads up.bin over TLS: the remote pane lists it whole" wait_screen 20 '\| up\.bin +300000 '
expect "up.bin is on the server byte for byte" eval 'wait_until 5 cmp -s "$work/up.bin" "$FTP_ROOT/up.bin" || { ls -l "$work/up.bin" "$FTP_ROOT/up.bin" 2>&1; false; }'

# ---- colour: where is the cursor? --------------------------------------------------------------
keys Home Down
expect "on a colour terminal the cursor row is highlighted (capture-pane -e)" \
        wait_until 3 eval '[[ "$(tui_probe state)" == "L 2 a.txt" ]]'

# ---- the mouse -----------------------------------------------------------------------------------
# 80x24, tmux's mouse off: the sequence goes to the program as typed. The local pane's header is
# row 0, then .. a.txt b.txt c.txt up.bin: b.txt is on row 3 (column 5).
mouse_moved_to() { # DESCRIPTION NAME: the left pane becomes active, and F6 asks to rename NAME
        wait_screen 3 '^>Local: ' >/dev/null
        keys F6
        expect "$1" wait_screen 5 "Rename $2 to:"
        keys Escape
        wait_until 3 eval '! screen | grep -q "Rename "'
}
keys Home Tab
tmux -L "$sock" show -g mouse | grep -q 'mouse off' || tap_diag <<<"tmux's mouse is on: it would take the clicks"
text $'\e[M &$'; text $'\e[M#&$'
mouse_moved_to "a click (X10 encoding, TERM=$(tmux -L "$sock" show -gv default-terminal)) on row 3 of the left pane moves the cursor to b.txt" b.txt
# a key typed at once after the click (within curses' mouseinterval, 166 ms): the click counts
click_then_down() { # the left pane active, then F6 names up.bin (row 4 is c.txt, Down goes on)
        wait_screen 3 '^>Local: ' >/dev/null || return 1
        keys F6
        wait_screen 3 'Rename up\.bin to:' >/dev/null
}
keys Tab
wait_screen 3 '\|>Remote: ' >/dev/null
text $'\e[M &%'; text $'\e[M#&%'; keys Down
expect "a click on c.txt followed at once by Down: the left pane is active, the cursor on up.bin" \
        click_then_down
keys Escape
keys F10
wait_screen 10 'CLAMFTP-EXIT=' >/dev/null
tmux -L "$sock" kill-server 2>/dev/null

if infocmp -1 xterm-256color 2>/dev/null | grep -qF 'kmous=\E[<,'; then
        tui_start 80 24 "$work" TERM=xterm-256color -- --scanner "$AGENT_ADDRESS" --audit-log "$CF_AUDIT"
        wait_screen 10 '^>Local: .*work' >/dev/null
        keys Tab
        text $'\e[<0;6;5M'; text $'\e[<0;6;5m'
        mouse_moved_to "a click (SGR encoding, TERM=xterm-256color) on row 4 of the left pane moves the cursor to c.txt" c.txt
        keys F10
        expect "F10 quits" wait_screen 10 'CLAMFTP-EXIT=0'
else
        skip "an SGR click moves the cursor" "no terminfo entry here whose kmous is SGR (xterm-256color: $(infocmp -1 xterm-256color 2>&1 | grep kmous))"
fi
tap_done
