# tests/lib/suite.sh — the one way a shell suite begins and ends (sourced, not run).
# Owns: the suite's private directory, the exit trap that stops every peer it started and removes
# the directory, and starting the peers a suite names through tests/lib's helpers.
# Must not: check anything itself (the expect family of tests/lib/tap.sh does).
#
#   suite_begin NAME NEED…   skips the suite (saying why) when a NEED is missing here; else makes
#                            SUITE_DIR (also $dir; mode 0755, the FTP account reaches into it),
#                            traps EXIT, and meets the NEEDs in the order given. A peer that is
#                            there but does not start is a "Bail out!" with its last words.
#   suite_at_exit COMMAND    also run COMMAND (a string, eval'd) at exit, before the peers stop.
#   suite_start WHAT COMMAND…  runs a start (e.g. a second vsftpd_start); a failure is a
#                            "Bail out! WHAT did not start: …" with its last words.
#
# NEEDs:
#   tool:PROG[=PACKAGE]  PROG must be installed (e.g. tool:zip, tool:msgfmt=gettext: the skip
#                      names the package)
#   python:MODULE      /usr/bin/python3 must import MODULE (e.g. python:pyftpdlib)
#   agent-bin          src/clamav-agent must be built (the suite starts its own agents)
#   clamd-bin          Debian's clamd must be installed (the suite starts its own)
#   agent | clamd      that scanner, started in SUITE_DIR/agent or SUITE_DIR/clamd (AGENT_*, CLAMD_*)
#   icap               c-icap with virus_scan in SUITE_DIR/icap, in front of the clamd of an earlier
#                      `clamd` need, with a TLS port too when an earlier `tls-cert` made the
#                      certificate (tests/lib/icap.sh: ICAP_*)
#   scanner            the client suites' scanner: the agent, or clamd when CF_SCANNER_KIND=clamd;
#                      sets CF_SCANNER and CF_SCANNER_SOCKET
#   vsftpd             vsftpd in SUITE_DIR/ftp, with the lines of SUITE_VSFTPD_CONF=(…) (FTP_*)
#   vsftpd-tls         the same with TLS forced (vsftpd_start_tls) and a fresh self-signed
#                      certificate SUITE_DIR/certs/server.pem (its fingerprint in SUITE_FP);
#                      the FTP conversation is logged to $FTP_PROTOLOG
#   tls-cert           that certificate only (SUITE_DIR/certs/server.pem and .key, SUITE_FP)
#   pyftpd             pyftpdlib in SUITE_DIR/ftpd (FTP_*)
#   clamftp[:CMD,…]    the client is built and its line mode lists every CMD; a private HOME
#                      (clamftp_env); CF_LOCAL=SUITE_DIR/local is the working directory; a failed
#                      check shows the last clamftp run (EXPECT_SHOW=cf_show)
#   ipv6               the loopback ::1 works here (the suite sets FTPD_HOST=::1 itself)
#   home               a private HOME and clamftp config (clamftp_env), for the full-screen suites
#   tmux               tmux is installed; $sock names a private tmux server, killed at exit
#   call:FUNCTION      runs the suite's own FUNCTION at that point (e.g. to make certificates in
#                      SUITE_DIR before vsftpd starts); a failure is a "Bail out!"
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/ftpd.sh"
. "$top_srcdir/tests/lib/agent.sh"
. "$top_srcdir/tests/lib/clamftp.sh"
. "$top_srcdir/tests/lib/tui.sh"
. "$top_srcdir/tests/lib/icap.sh"

SUITE_VSFTPD_CONF=()
SUITE_AT_EXIT=

# suite_missing NEED: prints why NEED cannot be met here (exit 1), or nothing.
suite_missing() {
        case $1 in
        tool:*=*) local t=${1#tool:}
                command -v "${t%%=*}" >/dev/null || { echo "${t%%=*} is not installed (package ${t#*=})"; return 1; } ;;
        tool:*) command -v "${1#tool:}" >/dev/null || { echo "${1#tool:} is not installed"; return 1; } ;;
        python:*) /usr/bin/python3 -c "import ${1#python:}" 2>/dev/null ||
                { echo "${1#python:} is not installed for /usr/bin/python3 (package python3-${1#python:})"; return 1; } ;;
        agent | agent-bin) agent_available || { echo "src/clamav-agent is not built"; return 1; } ;;
        clamd | clamd-bin) clamd_available || { echo "clamd is not installed (package clamav-daemon)"; return 1; } ;;
        icap) icap_available ;;
        scanner) cf_scanner_available ;;
        vsftpd) vsftpd_available ;;
        vsftpd-tls) vsftpd_available && suite_missing tool:openssl=openssl ;;
        tls-cert) suite_missing tool:openssl=openssl ;;
        pyftpd) suite_missing python:pyftpdlib ;;
        clamftp) clamftp_ready ;;
        clamftp:*) local cmds=${1#clamftp:}; clamftp_ready ${cmds//,/ } ;;
        tmux) suite_missing tool:tmux ;;
        ipv6) ftpd_ipv6_available ;;
        call:* | home) ;;
        *) echo "suite_begin: unknown need $1"; return 1 ;;
        esac
}

# suite_start WHAT COMMAND…: runs a peer's start; a failure is a "Bail out!" with its last words.
suite_start() {
        local what=$1
        shift
        local err=$SUITE_DIR/${what//[^A-Za-z0-9]/-}.start-err
        "$@" >"$err" 2>&1 && return 0
        echo "Bail out! $what did not start: $(tail -n 5 "$err" | tr '\n' ' ')"
        exit 1
}

suite_cert() {
        [ -z "${SUITE_FP:-}" ] || return 0
        mkdir -p "$SUITE_DIR/certs" && chmod 0755 "$SUITE_DIR/certs"
        suite_start certificate tls_test_cert "$SUITE_DIR/certs" server
        SUITE_FP=$(tls_fingerprint "$SUITE_DIR/certs/server.pem")
}

suite_meet() {
        case $1 in
        agent) suite_start clamav-agent agent_start "$SUITE_DIR/agent" ;;
        clamd) suite_start clamd clamd_start "$SUITE_DIR/clamd" ;;
        icap) suite_start c-icap icap_start "$SUITE_DIR/icap" "$CLAMD_SOCKET" \
                ${SUITE_FP:+"$SUITE_DIR/certs/server.pem" "$SUITE_DIR/certs/server.key"} ;;
        scanner) suite_start "the scanner ($CF_SCANNER_KIND)" cf_scanner_start "$SUITE_DIR/scanner" ;;
        vsftpd) suite_start vsftpd vsftpd_start "$SUITE_DIR/ftp" "${SUITE_VSFTPD_CONF[@]}" ;;
        vsftpd-tls)
                suite_cert
                suite_start vsftpd vsftpd_start_tls "$SUITE_DIR/ftp" "$SUITE_DIR/certs/server.pem" \
                        "$SUITE_DIR/certs/server.key" "${SUITE_VSFTPD_CONF[@]}" ;;
        tls-cert) suite_cert ;;
        pyftpd) suite_start pyftpdlib pyftpd_start "$SUITE_DIR/ftpd" ;;
        home) suite_start "a private HOME" clamftp_env "$SUITE_DIR" ;;
        clamftp | clamftp:*)
                suite_start "a private HOME" clamftp_env "$SUITE_DIR"
                CF_LOCAL=$SUITE_DIR/local
                mkdir -p "$CF_LOCAL"
                EXPECT_SHOW=cf_show ;;
        tmux) sock=clamftp-$SUITE_NAME-$$-$RANDOM ;;
        call:*) suite_start "${1#call:}" "${1#call:}" ;;
        esac
}

suite_begin() {
        SUITE_NAME=$1
        shift
        local need why
        for need in "$@"; do
                why=$(suite_missing "$need") || skip_all "$why"
        done
        SUITE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/clamftp-$SUITE_NAME.XXXXXX") ||
                skip_all "cannot make a temporary directory"
        chmod 0755 "$SUITE_DIR"
        dir=$SUITE_DIR
        trap suite_end EXIT
        for need in "$@"; do suite_meet "$need"; done
        [ -z "${CF_LOCAL:-}" ] || cd "$CF_LOCAL" || exit 1
}

suite_at_exit() { SUITE_AT_EXIT="$1; $SUITE_AT_EXIT"; }

suite_end() {
        cd /
        [ -z "$SUITE_AT_EXIT" ] || eval "$SUITE_AT_EXIT"
        [ -z "${sock:-}" ] || tmux -L "$sock" kill-server 2>/dev/null
        vsftpd_stop
        pyftpd_stop
        proftpd_stop
        pureftpd_stop
        agent_stop
        icap_stop
        clamd_stop
        [ -z "${SUITE_DIR:-}" ] || rm -rf "$SUITE_DIR"
}
