#!/bin/bash
# tests/tui/headless-limits.sh — the speed limits in the full screen, without a terminal: the
# queue view's title names them once `:set` gave them (and not before), and `:set limit-rate 0`
# takes them away again.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin tui-limits home
work=$dir/work
mkdir -p "$work"
s=$dir/screens
mkdir -p "$s"
cat >"$dir/script" <<KEYS
<F9>
@dump $s/none
<Esc>
:set limit-rate 1M<Enter>
:set limit-total 3M<Enter>
<F9>
@dump $s/both
<Esc>
:set limit-rate 0<Enter>
<F9>
@dump $s/total
<Esc>
<F10>
KEYS
export TZ=UTC LC_ALL=C.UTF-8
tui_headless "$work" 120x24 30 "$dir/script" "$dir/out" --scanner unix:/nonexistent/scanner.sock
expect "F10 quits (status 0)" tui_exited 0
expect "no limit: the queue's title names none" eval 'screen_has none -F "Transfer queue: 0 jobs" && ! screen_has none -F "limits:"'
expect "after :set, the queue's title names both limits" \
        screen_has both -E 'Transfer queue \(limits: 1\.0.MiB/s per transfer, 3\.0.MiB/s in all\): 0 jobs'
expect "after :set limit-rate 0, only the total is named" screen_has total -E 'Transfer queue \(limits: 3\.0.MiB/s in all\)'

tap_done
