#!/bin/bash
# tests/integration/commands-idle.sh — a connection the server closed while clamftp was idle
# (vsftpd's idle_session_timeout, 2 s here, shorter than the keep-alive): the next command that
# needs the server logs in again by itself, with the credentials held in memory, and runs.
# Pins: line mode (commands from stdin with a pause in between) says "Connection lost (… 421
# Timeout.): reconnecting (1/5)." before the first command, then "Reconnected"; pwd, put and ls
# then work in the directory the session was in (exit 0, the file on the server byte for byte,
# one reconnect for all three); with `reconnect 0` the command
# fails (exit 2) and says the connection is closed; after `close` nothing reconnects (a closed
# connection stays closed). The full screen (tmux): F5 after the idle drop reconnects and the file
# arrives.
. "$top_srcdir/tests/lib/suite.sh"

SUITE_VSFTPD_CONF=(idle_session_timeout=2)
suite_begin commands-idle scanner vsftpd clamftp:open,put,ls,reconnect,close
CF_DEADLINE=30
mkdir -p "$FTP_ROOT/sub" && ftp_own
printf 'clean after a pause\n' >clean.txt

# idle_run BEFORE AFTER [OPTION…]: logs in, runs the BEFORE lines, waits 4 s (the server drops the
# idle session after 2), then runs the AFTER lines; stdin is not a terminal, as in a script.
idle_feed() {
        printf 'open 127.0.0.1 %s\n%s\n%s\n%b' "$FTP_PORT" "$FTP_USER" "$FTP_PASS" "$IDLE_BEFORE"
        sleep 4
        printf '%b' "$IDLE_AFTER"
}
idle_run() {
        IDLE_BEFORE=$1 IDLE_AFTER=$2
        shift 2
        cf_run_from idle_feed "$@"
}

idle_run 'cd sub\nls\n' 'pwd\nput clean.txt\nls\n'
expect "idle drop: pwd, put and ls after it: exit 0 ($CF_RC)" cf_rc_is 0
expect "idle drop: pwd after it names the directory the session was in" cf_stdout_has '/sub'
expect "idle drop: one reconnect, before the first command" eval '[ "$(printf "%s\n" "$CF_ALL" | grep -c "reconnecting (1/5)")" = 1 ]'
expect "idle drop: the loss and the new login are said" \
        eval 'cf_says "Connection lost \(.*421 Timeout.*\): reconnecting \(1/5\)" && cf_says "Reconnected to 127\.0\.0\.1"'
expect_file_equal "idle drop: the file arrived, in the directory the session was in" clean.txt "$FTP_ROOT/sub/clean.txt"
expect "idle drop: the listing after it shows the file" cf_stdout_has 'clean\.txt'

rm -f "$FTP_ROOT/sub/clean.txt"
idle_run 'cd sub\n' 'put clean.txt\n' --reconnect 0
expect "reconnect 0: put after the idle drop fails (exit 2, $CF_RC)" cf_rc_is 2
expect "reconnect 0: no reconnect is tried" eval '! cf_says "reconnecting"'
expect "reconnect 0: the message says the connection is closed" cf_says 'closed|Not connected'
expect "reconnect 0: nothing arrived" [ ! -e "$FTP_ROOT/sub/clean.txt" ]

idle_run 'close\n' 'put clean.txt\n'
expect "after close: put fails, not connected (exit 2, $CF_RC)" eval 'cf_rc_is 2 && cf_says "Not connected"'
expect "after close: no reconnect is tried" eval '! cf_says "reconnecting"'

# ---- the full screen: F5 after the idle drop ----
if command -v tmux >/dev/null; then
        mkdir -p "$SUITE_DIR/tui" && printf 'from the full screen\n' >"$SUITE_DIR/tui/tui.txt"
        sock=clamftp-idle-$$-$RANDOM  # killed at exit by tests/lib/suite.sh
        tui_start 100 30 "$SUITE_DIR/tui" -- --scanner "$CF_SCANNER" --audit-log "$CF_AUDIT"
        wait_screen 10 '^>Local: ' || expect "the panes come up" false
        text ":open 127.0.0.1 $FTP_PORT"; keys Enter
        tui_login
        expect "TUI: logged in" wait_screen 15 'Remote: /'
        sleep 4
        keys Down F5
        expect "TUI: F5 after the idle drop says it reconnects" wait_screen 15 'Reconnected to 127\.0\.0\.1|reconnecting \(1/5\)'
        expect "TUI: the file arrived byte for byte" wait_until 15 same_file "$SUITE_DIR/tui/tui.txt" "$FTP_ROOT/tui.txt"
        text ":quit"; keys Enter
else
        skip "TUI: tmux is not installed"
fi

tap_done
