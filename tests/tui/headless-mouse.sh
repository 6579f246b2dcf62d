#!/bin/bash
# tests/tui/headless-mouse.sh — the mouse in the full-screen interface, without a terminal
# (CLAMFTP_NO_DISPLAY, with the key script's @click/@dclick/@rclick/@wheel words, so every event
# lands on a known screen): a click moves the cursor to the row and a click on the cursor's row
# enters the directory; a double click on ".." goes up; a right click selects (and a second one
# unselects) and leaves the cursor there; the wheel moves three rows; a click in the other pane activates it;
# clicks on the function-key bar run F9 (queue view, and again to close it), F7 (a directory is
# made) and F10 (quit). Where the cursor is, F6's question says ("Rename NAME to:").
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/clamftp.sh"
. "$top_srcdir/tests/lib/tui.sh"

dir=$(mktemp -d "${TMPDIR:-/tmp}/clamftp-tui-mouse.XXXXXX")
trap 'rm -rf "$dir"' EXIT
clamftp_env "$dir" || tap_skip_all "cannot make a private HOME"
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
(cd "$work" && CLAMFTP_NO_DISPLAY=1 CLAMFTP_SCRIPT=$dir/script COLUMNS=80 LINES=24 TZ=UTC LC_ALL=C.UTF-8 \
        timeout -k 5 30 "$(clamftp_bin)" --scanner unix:/nonexistent/scanner.sock >"$dir/out" 2>&1)
rc=$?
[ "$rc" -eq 0 ] && tap_ok "a click on 10Quit quits (status 0)" || { tap_not_ok "a click on 10Quit quits (status $rc)"; tap_diag <"$dir/out"; }
expect click "a click moves the cursor to the row (beta/)" -F "Rename beta to:"
expect entered "a click on the cursor's row enters the directory" -E '^>Local: .*/work/beta *\|'
expect entered "the directory's contents are shown" -E '^ inner\.txt '
expect parent "a double click on .. goes up" -E '^>Local: .*/work *\|'
expect selected "a right click selects the entry" -E '^\*f01\.txt '
expect selected "and leaves the cursor on it" -F "Rename f01.txt to:"
expect_not unselected "a second right click unselects it" -E '^\*f01\.txt '
expect wheel "the wheel moves three rows down" -F "Rename f04.txt to:"
expect wheel-up "and three rows up" -F "Rename f01.txt to:"
expect remote "a click in the other pane makes it active" -E '\|>Remote:'
expect remote "and the local pane inactive" -E '^ Local: '
expect queue "a click on 9Queue opens the queue view" -iE 'queue'
expect_not queue-closed "a second click on 9Queue closes it" -iE '^\+?-* *Queue|Transfer queue'
expect made "a click on 7Mkdir asks for a name and makes the directory" -E '^ made/ +DIR'
[ -d "$work/made" ] && tap_ok "the directory exists" || tap_not_ok "the directory exists"
tap_done
