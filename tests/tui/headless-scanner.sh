#!/bin/bash
# tests/tui/headless-scanner.sh — the status bar says whether the scanner answers, without a
# terminal (CLAMFTP_NO_DISPLAY key script; the PING every CLAMFTP_SCANNER_PING_MS instead of
# 30 s), against the real clamav-agent, stopped and started again while clamftp runs:
# - the agent up: the status bar names the scanner, unmarked;
# - the agent stopped: "!! scanner down" on the status bar and a message that it does not answer
#   (the PING runs on its own thread: the script's keys were never held up);
# - the agent started again: unmarked again, and a message that it answers again;
# - a scanner that is not there from the start: marked down at once.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin headless-scanner agent-bin home
export TZ=UTC LC_ALL=C.UTF-8
s=$dir/screens
mkdir -p "$s" "$dir/work"
suite_start "clamav-agent" agent_start "$dir/agent"
suite_at_exit agent_stop
export CLAMFTP_SCANNER_PING_MS=100

cat >"$dir/script" <<SCRIPT
@until 10000 scanner $AGENT_ADDRESS
@dump $s/up
@until 20000 !! scanner down
@dump $s/down
@until 20000 answers again
@dump $s/back
<Esc>0
SCRIPT
tui_headless "$dir/work" 100x24 90 "$dir/script" "$dir/out" --scanner "$AGENT_ADDRESS" &
tui_pid=$!
# the test's side: the agent stops once the first screen is written, and starts again once the
# second is
wait_until 30 test -s "$s/up" && agent_stop
wait_until 30 test -s "$s/down" && suite_start "clamav-agent again" agent_start "$dir/agent"
wait "$tui_pid"
rc=$?
expect "the run ends with status 0" [ "$rc" -eq 0 ]
expect "the agent up: the status bar names the scanner" screen_has up -E "^ not connected \| idle \| scanner unix:"
expect "the agent up: not marked down" screen_lacks up -F "!! scanner down"
expect "the agent stopped: the status bar marks the scanner down" screen_has down -E "\| !! scanner down: unix:.*agent\.sock"
expect "the agent stopped: a message says it does not answer" screen_has down -F "Scanner down:"
expect "the agent started again: no longer marked" screen_lacks back -F "!! scanner down"
expect "the agent started again: the status bar names it" screen_has back -E "\| scanner unix:.*agent\.sock"
expect "the agent started again: a message says so" screen_has back -F "answers again"

# ---- a scanner that is not there ----------------------------------------------------------
cat >"$dir/script2" <<SCRIPT
@until 10000 !! scanner down
@dump $s/never
<Esc>0
SCRIPT
tui_headless "$dir/work" 100x24 30 "$dir/script2" "$dir/out2" --scanner unix:$dir/none.sock
expect "no scanner at all: marked down from the start" screen_has never -F "!! scanner down: unix:$dir/none.sock"
expect "no scanner at all: said once" eval '[ "$(grep -c "Scanner down:" "$s/never")" = 1 ] || { show never; false; }'
tap_done
