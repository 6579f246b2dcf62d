# tests/lib/tap.sh — a small TAP producer for the shell suites (sourced, not run).
# ok/not_ok/skip print one TAP line each; tap_done prints the plan. A failing check prints the
# evidence (diagnostics on lines starting with '#').
TAP_N=0
TAP_FAILED=0
tap_ok()      { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $*"; }
tap_not_ok()  { TAP_N=$((TAP_N + 1)); TAP_FAILED=$((TAP_FAILED + 1)); echo "not ok $TAP_N - $*"; }
tap_skip()    { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $1 # SKIP $2"; }
tap_diag()    { sed 's/^/# /'; }
# tap_check "description" command args… : runs the command; ok when it exits 0.
tap_check() {
        local desc=$1
        shift
        local out
        if out=$("$@" 2>&1); then
                tap_ok "$desc"
        else
                tap_not_ok "$desc"
                printf '%s\n' "$out" | tail -n 30 | tap_diag
        fi
}
# tap_skip_all "reason": the whole suite cannot run here; says why.
tap_skip_all() { echo "1..0 # SKIP $*"; exit 0; }
tap_done()    { echo "1..$TAP_N"; [ "$TAP_FAILED" -eq 0 ]; }
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
# free_port: a TCP port on 127.0.0.1 nobody listens on right now.
free_port() {
        /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
