# tests/lib/tap.sh — the TAP output of the shell suites and their one family of assertions (sourced).
# Owns: numbering the results, the plan, skips, and showing the evidence when a check fails.
# Must not: start anything (tests/lib/suite.sh does) or decide what a suite checks.
#
# The assertions; each prints one TAP line, and on failure the evidence as '#' lines:
#   expect DESC COMMAND…              ok when COMMAND succeeds. It runs in the suite's shell (it may
#                                     set variables); its output is kept and shown only on failure.
#   expect_output DESC PATTERN COMMAND…  ok when the output of COMMAND (stdout and stderr, whatever
#                                     its exit status) has a line matching the extended regex PATTERN.
#   expect_file_equal DESC EXPECTED ACTUAL  ok when both files exist and hold the same bytes.
#   expect_todo REASON DESC COMMAND…  a known gap: "not ok … # TODO REASON" while COMMAND fails,
#                                     "ok … # TODO REASON" (XPASS) once it succeeds.
#   skip DESC REASON                  a check that cannot run here, with the reason.
# Conditions that come with it: files_equal A B, same_text WANT GOT, failed_with FILE (below).
# The checks run in the suite's shell: their own names start with _e_ so as not to hide the suite's.
# Each returns the check's status (so `if expect …; then` can go on with what depends on it).
# After a failure, the command in $EXPECT_SHOW (if set) adds the suite's own evidence: the last
# clamftp run (cf_show), the screen, a log. Conditions that explain themselves print on failure.
# The frame: skip_all REASON (the whole suite cannot run; exits), tap_done (the plan; last line).
TAP_N=0
TAP_FAILED=0
EXPECT_SHOW=${EXPECT_SHOW:-}
tap_ok()      { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $*"; }
tap_not_ok()  { TAP_N=$((TAP_N + 1)); TAP_FAILED=$((TAP_FAILED + 1)); echo "not ok $TAP_N - $*"; }
tap_skip()    { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $1 # SKIP $2"; }
skip()        { tap_skip "$@"; }
# tap_diag: stdin as TAP diagnostics (lines that are diagnostics already are left as they are).
tap_diag()    { sed '/^#/!s/^/# /'; }
# tap_skip_all "reason": the whole suite cannot run here; says why.
tap_skip_all() { echo "1..0 # SKIP $*"; exit 0; }
skip_all()    { tap_skip_all "$@"; }
tap_done()    { echo "1..$TAP_N"; rm -f "${EXPECT_OUT:-}"; [ "$TAP_FAILED" -eq 0 ]; }

# expect_run COMMAND…: runs it with its output kept in $EXPECT_OUT (shown only on failure; the
# file is overwritten by the next check and removed by tap_done or with the suite's directory).
expect_run() {
        EXPECT_OUT=${SUITE_DIR:-${TMPDIR:-/tmp}}/expect-output.$BASHPID
        "$@" >"$EXPECT_OUT" 2>&1
}
# expect_evidence: the tail of what the failed check printed, then the suite's own evidence.
expect_evidence() {
        [ -s "$EXPECT_OUT" ] && tail -n 40 "$EXPECT_OUT" | tap_diag
        [ -z "$EXPECT_SHOW" ] || eval "$EXPECT_SHOW"
}

expect() {
        local _e_desc=$1 _e_rc=0
        shift
        if expect_run "$@"; then tap_ok "$_e_desc"; else _e_rc=1; tap_not_ok "$_e_desc"; expect_evidence; fi
        return $_e_rc
}

expect_output() {
        local _e_desc=$1 _e_pattern=$2
        shift 2
        expect_run "$@"
        if grep -Eq -- "$_e_pattern" "$EXPECT_OUT"; then
                tap_ok "$_e_desc"
                return 0
        fi
        echo "(no line matches: $_e_pattern)" >>"$EXPECT_OUT"
        tap_not_ok "$_e_desc"
        expect_evidence
        return 1
}

# files_equal A B: both are files with the same bytes; else says how they differ.
files_equal() { [ -f "$1" ] && [ -f "$2" ] && cmp -- "$1" "$2" || { ls -l -- "$1" "$2"; false; }; }
expect_file_equal() { expect "$1" files_equal "$2" "$3"; }
# same_text WANT GOT: the two texts are the same; else prints how they differ (diff -u).
same_text() { [ "$1" = "$2" ] || { diff -u <(printf '%s\n' "$1") <(printf '%s\n' "$2"); false; }; }
# failed_with FILE: prints the tail of FILE and fails (a condition for a failure already known,
# such as a peer that did not start: expect "ProFTPD started" failed_with "$err").
failed_with() { tail -n 40 "$1"; false; }

expect_todo() {
        local _e_reason=$1 _e_desc=$2
        shift 2
        TAP_N=$((TAP_N + 1))
        if expect_run "$@"; then
                echo "ok $TAP_N - $_e_desc # TODO $_e_reason"
        else
                echo "not ok $TAP_N - $_e_desc # TODO $_e_reason"
                expect_evidence
        fi
        return 0
}
# tap_check: the older name of expect, kept for suites written before it (new ones: expect).
tap_check() { expect "$@"; }

# wait_until SECONDS command…: polls (every 20 ms) until the command succeeds or time runs out.
wait_until() {
        local limit=$1
        shift
        local end=$(( $(date +%s%N) / 1000000 + limit * 1000 ))
        until "$@" >/dev/null 2>&1; do
                [ $(( $(date +%s%N) / 1000000 )) -lt $end ] || return 1
                sleep 0.02
        done
}
# stop_pid PID [SECONDS]: SIGTERM, then (after SECONDS, default 5) SIGKILL; reaps it. By pid only.
stop_pid() {
        [ -n "$1" ] || return 0
        kill "$1" 2>/dev/null
        local i=0 tries=$(( ${2:-5} * 50 ))
        while kill -0 "$1" 2>/dev/null && [ $i -lt $tries ]; do
                sleep 0.02
                i=$((i + 1))
        done
        kill -9 "$1" 2>/dev/null
        wait "$1" 2>/dev/null
        return 0
}
# free_port: a TCP port on 127.0.0.1 nobody listens on right now.
free_port() {
        /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
