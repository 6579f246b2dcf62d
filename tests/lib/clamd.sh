# tests/lib/clamd.sh — a private Debian clamd for the test suites (sourced, not run), and EICAR.
# Owns: starting clamd on a socket in a test's own directory with the project's test signatures
# and the heuristic alerts on, waiting until it answers, stopping it by pid.
# Must not: touch the system clamd, its socket or /var/lib/clamav.
#
#   eicar                 prints the 68-byte EICAR test file on stdout (built at run time, so no
#                         file in the repository contains it)
#   clamd_available       exit 0 when Debian's clamd is installed (else: tap_skip_all "…")
#   clamd_start DIR       starts clamd with its config, socket, temp dir and log in DIR; waits
#                         (up to 20 s) until PING answers; exports CLAMD_SOCKET (a path),
#                         CLAMD_ADDRESS (unix:…), CLAMD_PID and CLAMD_LOG. Returns 1 on failure,
#                         with the log on stderr.
#                         Optional, set before calling:
#                           CLAMD_TCP_PORT=N   also listen on 127.0.0.1:N; exports
#                                              CLAMD_TCP_ADDRESS=tcp:127.0.0.1:N
#                           CLAMD_EXTRA_CONF   clamd.conf lines that come first and so override the
#                                              defaults below (e.g. "StreamMaxLength 1M")
#                           CLAMD_DB=DIR       signatures (default: $top_srcdir/data/signatures)
#                           CLAMD_USER=NAME    (as root) clamd drops to this user, as a system
#                                              clamd does: its socket goes in DIR/run, which with
#                                              DIR/clamd-tmp and the log belongs to NAME; DIR is made
#                                              searchable (0711); its parents must be too
#   clamd_stop            stops the clamd started by clamd_start (by pid), waits until it is gone
#   clamd_ping SOCKET     exit 0 when the clamd-protocol daemon at SOCKET answers PONG
#
# Use it with a trap, e.g.:  trap 'clamd_stop; rm -rf "$dir"' EXIT
# Signature names reported: Clamftp.Test.EICAR.HDB / .NDB, with ".UNOFFICIAL" appended by ClamAV.
declare -F stop_pid >/dev/null || . "$top_srcdir/tests/lib/tap.sh"   # stop_pid

eicar() {
        # octal escapes of the EICAR anti-virus test string (see data/signatures/README)
        printf '\130\065\117\041\120\045\100\101\120\133\064\134\120\132\130\065\064\050\120\136\051\067\103\103\051\067\175\044\105\111\103\101\122\055\123\124\101\116\104\101\122\104\055\101\116\124\111\126\111\122\125\123\055\124\105\123\124\055\106\111\114\105\041\044\110\053\110\052'
}

clamd_binary() {
        local b
        for b in /usr/sbin/clamd "$(command -v clamd 2>/dev/null)"; do
                [ -n "$b" ] && [ -x "$b" ] && { echo "$b"; return 0; }
        done
        return 1
}

clamd_available() { clamd_binary >/dev/null; }

clamd_ping() {
        /usr/bin/python3 - "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(2)
s.connect(sys.argv[1])
s.sendall(b"zPING\0")
data = b""
while not data.endswith(b"\0"):
    chunk = s.recv(64)
    if not chunk:
        break
    data += chunk
sys.exit(0 if data == b"PONG\0" else 1)
PY
}

clamd_start() {
        local dir=$1
        local bin
        bin=$(clamd_binary) || { echo "clamd is not installed (package clamav-daemon)" >&2; return 1; }
        [ -n "${top_srcdir:-}" ] || { echo "clamd_start: top_srcdir is not set" >&2; return 1; }
        local sigs
        sigs=$(cd "${CLAMD_DB:-$top_srcdir/data/signatures}" && pwd) || return 1
        mkdir -p "$dir/clamd-tmp" || return 1
        dir=$(cd "$dir" && pwd)
        chmod 0700 "$dir/clamd-tmp"
        # Without CLAMD_USER no "User" line: clamd then keeps the identity it was started with (root
        # in CI, the developer otherwise), so the socket and temp dir in $dir stay reachable.
        # With it, clamd binds its socket after dropping to that user: DIR/run is the user's.
        local sockdir=$dir
        if [ -n "${CLAMD_USER:-}" ]; then
                sockdir=$dir/run
                mkdir -p "$sockdir" && touch "$dir/clamd.log" &&
                        chown "$CLAMD_USER" "$sockdir" "$dir/clamd-tmp" "$dir/clamd.log" &&
                        chmod 0711 "$dir" || return 1
        fi
        {
                # first: clamd keeps the first value of an option, so these override the defaults
                [ -z "${CLAMD_EXTRA_CONF:-}" ] || printf '%s\n' "$CLAMD_EXTRA_CONF"
                echo "Foreground yes"
                [ -z "${CLAMD_USER:-}" ] || echo "User $CLAMD_USER"
                echo "LocalSocket $sockdir/clamd.sock"
                echo "LocalSocketMode 600"
                echo "DatabaseDirectory $sigs"
                echo "TemporaryDirectory $dir/clamd-tmp"
                echo "LogFile $dir/clamd.log"
                echo "LogTime yes"
                echo "PidFile $dir/clamd.pid"
                echo "Bytecode no"
                echo "MaxThreads 4"
                echo "AlertExceedsMax yes"
                echo "AlertEncrypted yes"
                echo "AlertEncryptedArchive yes"
                echo "AlertEncryptedDoc yes"
                echo "MaxFileSize 64M"
                echo "MaxScanSize 256M"
                echo "StreamMaxLength 64M"
                if [ -n "${CLAMD_TCP_PORT:-}" ]; then
                        echo "TCPSocket $CLAMD_TCP_PORT"
                        echo "TCPAddr 127.0.0.1"
                fi
        } >"$dir/clamd.conf"
        "$bin" -c "$dir/clamd.conf" >"$dir/clamd.out" 2>&1 </dev/null &
        CLAMD_PID=$!
        CLAMD_SOCKET=$sockdir/clamd.sock
        CLAMD_ADDRESS=unix:$CLAMD_SOCKET
        CLAMD_LOG=$dir/clamd.log
        export CLAMD_PID CLAMD_SOCKET CLAMD_ADDRESS CLAMD_LOG
        if [ -n "${CLAMD_TCP_PORT:-}" ]; then
                CLAMD_TCP_ADDRESS=tcp:127.0.0.1:$CLAMD_TCP_PORT
                export CLAMD_TCP_ADDRESS
        fi
        local end=$(( $(date +%s) + 20 ))
        until clamd_ping "$CLAMD_SOCKET" >/dev/null 2>&1; do
                if ! kill -0 "$CLAMD_PID" 2>/dev/null || [ "$(date +%s)" -ge "$end" ]; then
                        echo "clamd did not start; its output and log follow" >&2
                        cat "$dir/clamd.out" "$dir/clamd.log" >&2 2>/dev/null
                        clamd_stop
                        return 1
                fi
                sleep 0.02
        done
}

clamd_stop() {
        stop_pid "${CLAMD_PID:-}" 5
        CLAMD_PID=
}
