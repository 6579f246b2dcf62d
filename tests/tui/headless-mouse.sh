#!/bin/bash
# tests/tui/headless-mouse.sh — the mouse in the full-screen interface, without a terminal
# (CLAMFTP_NO_DISPLAY, with the key script's @click/@dclick/@rclick/@wheel words, so every event
# lands on a known screen): a click moves the cursor to the row and a click on the cursor's row
# enters the directory; a double click on ".." goes up; a right click selects (and a second one
# unselects) and leaves the cursor there; the wheel moves three rows; a click in the other pane activates it;
# clicks on the function-key bar run F9 (queue view, and again to close it), F7 (a directory is
# made) and F10 (quit). Where the cursor is, F6's question says ("Rename NAME to:").
. "$top_srcdir/tests/lib/suite.sh"

suite_begin tui-mouse home
work=$dir/work
mkdir -p "$work/alpha" "$work/beta"
echo inner >"$work/beta/inner.txt"
for i in $(seq -w 1 30); do echo "$i" >"$work/f$i.txt"; done
s=$dir/screens
mkdir -p "$s"
# 80x24: the local pane is columns 0-38, its header row 0, its entries from row 1:
# .. alpha/ beta/ f01.txt f02.txt …; the F-key bar is row 23, eight columns per key.
cat >"$dir/script" <<KEYS
@click 3 5
<F6>
@dump $s/click
<Esc>
@click 3 5
@dump $s/entered
@dclick 1 5
@dump $s/parent
@rclick 4 5
<F6>
@dump $s/selected
<Esc>
@rclick 4 5
@dump $s/unselected
@wheel down 10 5
<F6>
@dump $s/wheel
<Esc>
@wheel up 10 5
<F6>
@dump $s/wheel-up
<Esc>
@click 5 50
@dump $s/remote
@click 23 66
@dump $s/queue
@click 23 66
@dump $s/queue-closed
@click 2 5
@click 23 50
made<Enter>
@dump $s/made
@click 23 75
KEYS
export TZ=UTC LC_ALL=C.UTF-8
tui_headless "$work" 80x24 30 "$dir/script" "$dir/out" --scanner unix:/nonexistent/scanner.sock
expect "a click on 10Quit quits (status 0)" tui_exited 0
expect "a click moves the cursor to the row (beta/)" screen_has click -F "Rename beta to:"
expect "a click on the cursor's row enters the directory" screen_has entered -E '^>Local: .*/work/beta *\|'
expect "the directory's contents are shown" screen_has entered -E '^ inner\.txt '
expect "a double click on .. goes up" screen_has parent -E '^>Local: .*/work *\|'
expect "a right click selects the entry" screen_has selected -E '^\*f01\.txt '
expect "and leaves the cursor on it" screen_has selected -F "Rename f01.txt to:"
expect "a second right click unselects it" screen_lacks unselected -E '^\*f01\.txt '
expect "the wheel moves three rows down" screen_has wheel -F "Rename f04.txt to:"
expect "and three rows up" screen_has wheel-up -F "Rename f01.txt to:"
expect "a click in the other pane makes it active" screen_has remote -E '\|>Remote:'
expect "and the local pane inactive" screen_has remote -E '^ Local: '
expect "a click on 9Queue opens the queue view" screen_has queue -iE 'queue'
expect "a second click on 9Queue closes it" screen_lacks queue-closed -iE '^\+?-* *Queue|Transfer queue'
expect "a click on 7Mkdir asks for a name and makes the directory" screen_has made -E '^ made/ +DIR'
expect "the directory exists" [ -d "$work/made" ]
tap_done
