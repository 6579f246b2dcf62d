# tests/lib/icap.sh — a private c-icap with Debian's virus_scan service in front of a test clamd
# (sourced, not run). Owns: c-icap's configuration, directories, ports and log in a test's own
# directory, starting it in the foreground, waiting until it answers OPTIONS, stopping it by pid.
# Must not: touch the system c-icap, /etc/c-icap, /var/run/c-icap or /var/log/c-icap.
#
#   icap_available        exit 0 when c-icap and libc-icap-mod-virus-scan are installed; else
#                         prints why (for a skip)
#   icap_start DIR CLAMD_SOCKET [PEM KEY]
#                         starts c-icap with its config, pid file, command socket, temp dir and
#                         logs in DIR, its virus_scan service using the clamd at CLAMD_SOCKET
#                         (clamd_mod: FILDES over the unix socket), on a free loopback port; with
#                         PEM and KEY also a TLS port. Waits (up to 20 s) until OPTIONS answers.
#                         Exports ICAP_PORT, ICAP_TLS_PORT (or empty), ICAP_PID, ICAP_LOG and
#                         ICAP_URL (icap://127.0.0.1:PORT/avscan). Returns 1 on failure, with the
#                         log on stderr.
#                         Services: "avscan" is virus_scan in simple mode (the whole object is
#                         scanned before any answer: 204 when clean, 200 naming the threat);
#                         "virus_scan" is its default mode (the body is sent back while it
#                         arrives; a threat found after a preview empties it).
#   icap_stop             stops that c-icap (by pid) and waits until its port refuses
#   icap_options PORT [SERVICE]   exit 0 when OPTIONS to SERVICE (avscan) answers 200
#
# c-icap's own fail-open settings are closed here, as a deployment must close them: virus_scan
# passes a file over MaxObjectSize (5M by default) or of a type not in ScanFileTypes with 204,
# unscanned; "sizelimit=off" and every type group close that. PassOnError stays off (clamd down
# gives 500).
declare -F stop_pid >/dev/null || . "$top_srcdir/tests/lib/tap.sh"   # stop_pid, free_port, wait_until

ICAP_MODULES=/usr/lib/x86_64-linux-gnu/c_icap

icap_modules_dir() {
        local d
        for d in "$ICAP_MODULES" /usr/lib/*/c_icap /usr/lib/c_icap; do
                [ -e "$d/virus_scan.so" ] && [ -e "$d/clamd_mod.so" ] && { echo "$d"; return 0; }
        done
        return 1
}

icap_available() {
        command -v c-icap >/dev/null || { echo "c-icap is not installed (package c-icap)"; return 1; }
        icap_modules_dir >/dev/null ||
                { echo "c-icap's virus_scan is not installed (package libc-icap-mod-virus-scan)"; return 1; }
}

icap_options() {
        /usr/bin/python3 - "$1" "${2:-avscan}" <<'PY'
import socket, sys
port, service = int(sys.argv[1]), sys.argv[2]
s = socket.create_connection(("127.0.0.1", port), timeout=2)
s.sendall(("OPTIONS icap://127.0.0.1:%d/%s ICAP/1.0\r\nHost: 127.0.0.1\r\n"
           "Encapsulated: null-body=0\r\n\r\n" % (port, service)).encode())
data = b""
while b"\r\n\r\n" not in data:
    chunk = s.recv(4096)
    if not chunk:
        break
    data += chunk
sys.exit(0 if data.startswith(b"ICAP/1.0 200") else 1)
PY
}

icap_port_refuses() {
        ! /usr/bin/python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)' \
                "$1" 2>/dev/null
}

icap_start() {
        local dir=$1 clamd_socket=$2 pem=${3:-} key=${4:-}
        local modules
        modules=$(icap_modules_dir) || { icap_available >&2; return 1; }
        mkdir -p "$dir/icap-tmp" || return 1
        dir=$(cd "$dir" && pwd)
        ICAP_PORT=$(free_port)
        ICAP_TLS_PORT=
        [ -z "$pem" ] || ICAP_TLS_PORT=$(free_port)
        {
                echo "PidFile $dir/c-icap.pid"
                echo "CommandsSocket $dir/c-icap.ctl"
                echo "Timeout 60"
                echo "KeepAliveTimeout 60"
                echo "StartServers 1"
                echo "MaxServers 2"
                echo "MinSpareThreads 2"
                echo "MaxSpareThreads 8"
                echo "ThreadsPerChild 8"
                echo "Port 127.0.0.1:$ICAP_PORT"
                [ -z "$pem" ] || echo "TlsPort 127.0.0.1:$ICAP_TLS_PORT cert=$pem key=$key"
                echo "ServerAdmin clamftp-test@localhost"
                echo "ServerName clamftp-test"
                echo "TmpDir $dir/icap-tmp"
                echo "MaxMemObject 131072"
                echo "DebugLevel 1"
                echo "ModulesDir $modules"
                echo "ServicesDir $modules"
                echo "TemplateDir /usr/share/c_icap/templates/"
                echo "TemplateDefaultLanguage en"
                echo "LoadMagicFile /etc/c-icap/c-icap.magic"
                echo "ServerLog $dir/c-icap-server.log"
                echo "AccessLog $dir/c-icap-access.log"
                echo "Module common clamd_mod.so"
                echo "clamd_mod.ClamdSocket $clamd_socket"
                echo "Service virus_scan virus_scan.so"
                echo "ServiceAlias avscan virus_scan?allow204=on&sizelimit=off&mode=simple"
                echo "virus_scan.ScanFileTypes TEXT DATA EXECUTABLE ARCHIVE GRAPHICS STREAM DOCUMENT"
                echo "virus_scan.SendPercentData 0"
                echo "virus_scan.Allow204Responces on"
                echo "virus_scan.PassOnError off"
                echo "virus_scan.MaxObjectSize 200M"
                echo "virus_scan.DefaultEngine clamd"
        } >"$dir/c-icap.conf"
        c-icap -N -f "$dir/c-icap.conf" >"$dir/c-icap.out" 2>&1 </dev/null &
        ICAP_PID=$!
        ICAP_LOG=$dir/c-icap-server.log
        ICAP_URL=icap://127.0.0.1:$ICAP_PORT/avscan
        export ICAP_PORT ICAP_TLS_PORT ICAP_PID ICAP_LOG ICAP_URL
        wait_until 20 icap_options "$ICAP_PORT" && return 0
        echo "c-icap did not start; its output and log follow" >&2
        cat "$dir/c-icap.out" "$ICAP_LOG" >&2 2>/dev/null
        icap_stop
        return 1
}

icap_stop() {
        [ -n "${ICAP_PID:-}" ] || return 0
        stop_pid "$ICAP_PID" 5
        ICAP_PID=
        # its children close their listening sockets a moment after the main process ends
        [ -z "${ICAP_PORT:-}" ] || wait_until 10 icap_port_refuses "$ICAP_PORT"
}
