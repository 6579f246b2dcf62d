#!/bin/bash
# tests/tui/headless-swap.sh — Ctrl-U (swap-panes) in the full screen without a terminal: the
# server's pane is drawn on the left and this machine's on the right, each keeping its files; a
# click on the left half then makes the server's pane active; the message says so; Ctrl-U again
# puts them back.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin tui-swap home
work=$dir/work
mkdir -p "$work"
echo here >"$work/local-file.txt"
s=$dir/screens
mkdir -p "$s"
cat >"$dir/script" <<KEYS
@dump $s/before
<C-u>
@dump $s/swapped
@click 3 60
@click 3 5
@dump $s/clicked-left
<C-u>
@dump $s/back
<F10>
KEYS
export TZ=UTC LC_ALL=C.UTF-8
tui_headless "$work" 100x24 30 "$dir/script" "$dir/out" --scanner unix:/nonexistent/scanner.sock
expect "F10 quits (status 0)" tui_exited 0
expect "at first this machine's pane is on the left" screen_has before -E '^>Local: .*\| Remote:'
expect "Ctrl-U: the server's pane is drawn on the left, this machine's on the right" \
        screen_has swapped -E '^ ?Remote: .*\|>Local: '
expect "Ctrl-U: the local files are in the right half now" screen_has swapped -E '\| local-file\.txt '
expect "Ctrl-U: the message says where the server's pane is" screen_has swapped -F "The server's pane is on the left now."
expect "swapped: a click on the left half makes the server's pane active" screen_has clicked-left -E '^>Remote: '
expect "Ctrl-U again: back as at first" screen_has back -E '^[ >]Local: .*\|[ >]Remote:'
expect "Ctrl-U again: the message says so" screen_has back -F "The server's pane is on the right again."

tap_done
