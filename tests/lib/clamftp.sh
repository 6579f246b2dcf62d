# tests/lib/clamftp.sh — running the client from the shell suites (sourced, not run).
# Owns: a private HOME/XDG tree per suite, the client's config for tests (short timeouts), and
# one way to run a line-mode session with a hard deadline, capturing output and exit status.
# Must not: start servers itself (tests/lib/ftpd.sh, agent.sh and clamd.sh do) or touch the real HOME.
#
#   clamftp_env DIR          makes DIR/home (HOME, XDG_CONFIG_HOME, XDG_STATE_HOME, XDG_CACHE_HOME)
#                            and the config DIR/home/.config/clamftp/clamftp.conf; exports CF_HOME,
#                            CF_CONF, CF_AUDIT (the audit log path passed with --audit-log)
#   clamftp_ready CMD…       exit 0 when $top_builddir/src/clamftp runs line mode and `help`
#                            lists every CMD; else prints why (for tap_skip_all)
#   cf_run ARGS…             runs clamftp ARGS… (stdin from $CF_INPUT, a string of lines) under
#                            `timeout $CF_DEADLINE`, with --scanner $CF_SCANNER, --audit-log, and
#                            --active when CF_MODE=active. Sets CF_OUT (stdout), CF_ERR (stderr),
#                            CF_ALL (both), CF_RC (exit status; 124 = killed by the deadline).
#   cf_session 'CMDS' [ANSWERS…]  cf_run -c 'open 127.0.0.1 $FTP_PORT; CMDS' with the user name and
#                            password as the first stdin lines, then one line per ANSWER;
#                            CF_BEFORE_OPEN='CMD' runs CMD before the open (e.g. verbose).
#   cf_login HOST 'CMDS' [OPTION…]  cf_run -n OPTION… -c 'open HOST $FTP_PORT; CMDS' with the user
#                            name and password on stdin (-n: no per-file questions)
#   via PORT 'CMDS' [OPTION…]  the same on 127.0.0.1:PORT (a relay's port, or another server's)
#   cf_bg DIR 'CMDS' [OPTION…]  `via $FTP_PORT 'CMDS' OPTION…` in the background, in the local
#                            directory DIR (for a fault injected while it runs); CF_BG_PID its pid.
#                            cf_bg_running: it has not ended yet. cf_bg_wait: waits for it (cf_run's
#                            deadline bounds it), makes it the last run (CF_OUT … CF_RC, cf_show)
#                            and sets CF_BG_SECONDS, how long it took
#   cf_show                  prints the last run (command, status, output) as TAP diagnostics
#   sha_of FILE              prints the SHA-256 of FILE
#   cf_rc_is N, cf_says ERE, cf_stdout_has ERE, same_file A B   conditions for `expect`
#                            (tests/lib/tap.sh), which shows the last run (cf_show) on failure

CF_DEADLINE=${CF_DEADLINE:-30}
CF_MODE=${CF_MODE:-passive}
CF_INPUT=
CF_SCANNER=${CF_SCANNER:-}

clamftp_bin() { echo "$top_builddir/src/clamftp"; }

clamftp_env() {
        local dir
        dir=$(cd "$1" && pwd) || return 1
        CF_HOME=$dir/home
        mkdir -p "$CF_HOME/.config/clamftp" "$CF_HOME/.local/state" "$CF_HOME/.cache" || return 1
        chmod 0700 "$CF_HOME"
        export HOME=$CF_HOME
        export XDG_CONFIG_HOME=$CF_HOME/.config
        export XDG_STATE_HOME=$CF_HOME/.local/state
        export XDG_CACHE_HOME=$CF_HOME/.cache
        CF_CONF=$XDG_CONFIG_HOME/clamftp/clamftp.conf
        CF_AUDIT=$dir/audit.jsonl
        : "${CF_CONNECT_TIMEOUT:=5}" "${CF_REPLY_TIMEOUT:=10}" "${CF_DATA_TIMEOUT:=10}"
        clamftp_write_conf
        export CF_HOME CF_CONF CF_AUDIT
}

# The config file with the timeouts the suite chose (seconds); the [ftp] keys of data/clamftp.conf.
clamftp_write_conf() {
        {
                echo "[ftp]"
                echo "connect-timeout=$CF_CONNECT_TIMEOUT"
                echo "reply-timeout=$CF_REPLY_TIMEOUT"
                echo "data-timeout=$CF_DATA_TIMEOUT"
        } >"$CF_CONF"
}

clamftp_ready() {
        local bin
        bin=$(clamftp_bin)
        [ -x "$bin" ] || { echo "the client is not built ($bin missing)"; return 1; }
        local out rc
        out=$(HOME=${CF_HOME:-/nonexistent} timeout 10 "$bin" -c 'help' </dev/null 2>&1)
        rc=$?
        if [ $rc -ne 0 ]; then
                echo "the client's line mode does not run yet (clamftp -c help: exit $rc: $(printf '%s' "$out" | head -n 1))"
                return 1
        fi
        local c missing=
        for c in "$@"; do
                printf '%s\n' "$out" | grep -qw -- "$c" || missing="$missing $c"
        done
        if [ -n "$missing" ]; then
                echo "the client's help does not list:$missing"
                return 1
        fi
        return 0
}

# cf_run ARG…: clamftp (the suite's scanner, audit log and mode) with CF_INPUT on its standard
# input, within CF_DEADLINE; sets CF_RC, CF_OUT, CF_ERR and CF_ALL (both) and CF_LAST_CMD.
cf_run() { cf_run_from cf_feed_input "$@"; }
cf_feed_input() { printf '%s' "$CF_INPUT"; }

# cf_run_from FEEDER ARG…: the same, with the standard input written by the shell function FEEDER
# (it may pause between lines: what a script piped in slowly does).
cf_run_from() {
        local feed=$1 bin
        shift
        bin=$(clamftp_bin)
        local args=()
        [ -n "$CF_SCANNER" ] && args+=(--scanner "$CF_SCANNER")
        [ -n "${CF_AUDIT:-}" ] && args+=(--audit-log "$CF_AUDIT")
        [ "$CF_MODE" = active ] && args+=(--active)
        local t
        t=$(mktemp -d "${TMPDIR:-/tmp}/cf-run.XXXXXX")
        CF_LAST_CMD="clamftp ${args[*]} $*"
        "$feed" | timeout -k 5 "$CF_DEADLINE" "$bin" "${args[@]}" "$@" \
                >"$t/out" 2>"$t/err"
        CF_RC=$?
        CF_OUT=$(cat "$t/out")
        CF_ERR=$(cat "$t/err")
        CF_ALL="$CF_OUT
$CF_ERR"
        rm -rf "$t"
        return 0
}

cf_session() {
        local cmds=$1
        shift
        CF_INPUT="$FTP_USER
$FTP_PASS
"
        local a
        for a in "$@"; do
                CF_INPUT="$CF_INPUT$a
"
        done
        cf_run -c "${CF_BEFORE_OPEN:+$CF_BEFORE_OPEN; }open 127.0.0.1 $FTP_PORT; $cmds"
        CF_INPUT=
}

cf_login() {
        local host=$1 cmds=$2
        shift 2
        CF_INPUT="$FTP_USER
$FTP_PASS
"
        cf_run -n "$@" -c "open $host $FTP_PORT; $cmds"
        CF_INPUT=
}

via() {
        local FTP_PORT=$1
        shift
        cf_login 127.0.0.1 "$@"
}

CF_BG_PID=
cf_bg() {
        local where=$1
        shift
        CF_BG=${SUITE_DIR:-${TMPDIR:-/tmp}}/cf-bg.$$
        rm -f "$CF_BG".*
        CF_BG_T0=$(date +%s%N)
        (
                cd "$where" || exit 1
                via "$FTP_PORT" "$@"
                printf '%s' "$CF_OUT" >"$CF_BG.out"
                printf '%s' "$CF_ERR" >"$CF_BG.err"
                printf '%s' "$CF_LAST_CMD" >"$CF_BG.cmd"
                echo "$CF_RC" >"$CF_BG.rc"
        ) &
        CF_BG_PID=$!
}
cf_bg_running() { kill -0 "$CF_BG_PID" 2>/dev/null && [ ! -e "$CF_BG.rc" ]; }
cf_bg_wait() {
        wait "$CF_BG_PID"
        CF_BG_PID=
        CF_BG_SECONDS=$(( ($(date +%s%N) - CF_BG_T0) / 1000000000 ))
        CF_OUT=$(cat "$CF_BG.out" 2>/dev/null)
        CF_ERR=$(cat "$CF_BG.err" 2>/dev/null)
        CF_ALL="$CF_OUT
$CF_ERR"
        CF_LAST_CMD=$(cat "$CF_BG.cmd" 2>/dev/null)
        CF_RC=$(cat "$CF_BG.rc" 2>/dev/null || echo 255)
        rm -f "$CF_BG".*
}

cf_show() {
        [ -n "${CF_LAST_CMD:-}" ] || return 0
        {
                echo "mode: $CF_MODE"
                echo "ran: $CF_LAST_CMD"
                echo "exit status: $CF_RC"
                echo "--- stdout"
                printf '%s\n' "$CF_OUT" | tail -n 25
                echo "--- stderr"
                printf '%s\n' "$CF_ERR" | tail -n 25
        } | tap_diag
}

# Helpers for conditions
cf_rc_is() { [ "$CF_RC" -eq "$1" ]; }
cf_says() { printf '%s\n' "$CF_ALL" | grep -Eiq -- "$1"; }
cf_stdout_has() { printf '%s\n' "$CF_OUT" | grep -Eq -- "$1"; }
sha_of() { sha256sum "$1" | cut -d' ' -f1; }
same_file() { [ -f "$1" ] && [ -f "$2" ] && cmp -s "$1" "$2"; }

# cf_scanner_start DIR: starts the suites' scanner in DIR: clamav-agent by default, Debian's
# clamd when CF_SCANNER_KIND=clamd (the interop peer). Exports CF_SCANNER (its address) and
# CF_SCANNER_SOCKET (its unix socket). cf_scanner_stop stops it. tests/lib/suite.sh's need
# "scanner" does both. Needs tests/lib/agent.sh.
CF_SCANNER_KIND=${CF_SCANNER_KIND:-agent}
cf_scanner_available() {
        case $CF_SCANNER_KIND in
        clamd) clamd_available || { echo "clamd is not installed (package clamav-daemon)"; return 1; } ;;
        *) agent_available || { echo "clamav-agent is not built ($AGENT_BIN)"; return 1; } ;;
        esac
}
cf_scanner_start() {
        case $CF_SCANNER_KIND in
        clamd)
                clamd_start "$1" || return 1
                CF_SCANNER=$CLAMD_ADDRESS CF_SCANNER_SOCKET=$CLAMD_SOCKET ;;
        *)
                agent_start "$1" || return 1
                CF_SCANNER=$AGENT_ADDRESS CF_SCANNER_SOCKET=$AGENT_SOCKET ;;
        esac
}
cf_scanner_stop() {
        case $CF_SCANNER_KIND in
        clamd) clamd_stop ;;
        *) agent_stop ;;
        esac
}

# ftp_own: hands everything under the server's root to the test account (files the test put
# there as root must be deletable and renamable by the account).
ftp_own() { chown -R "$FTP_USER:" "$FTP_ROOT"; }
# ftp_file PATH [CONTENT]: creates PATH under the server's root, owned by the test account.
ftp_file() {
        mkdir -p "$(dirname "$FTP_ROOT/$1")"
        if [ $# -ge 2 ]; then printf '%s' "$2" >"$FTP_ROOT/$1"; else head -c 100000 /dev/urandom >"$FTP_ROOT/$1"; fi
        ftp_own
}
# Both data-connection modes, for loops: for CF_MODE in $CF_MODES; do …
CF_MODES="passive active"

# Older names, kept for suites written before tests/lib/suite.sh (new ones: suite_begin, expect).
cf_expect() { expect "$@"; }
cf_suite_begin() {
        local conf=("${CF_VSFTPD_CONF[@]}")
        . "$top_srcdir/tests/lib/suite.sh"
        SUITE_VSFTPD_CONF=("${conf[@]}")
        suite_begin "$(basename "$0" .sh)" scanner vsftpd "clamftp:$(IFS=,; echo "$*")"
}
cf_suite_end() { suite_end; }
