# tests/lib/ftpd.sh — private FTP servers for the test suites (sourced, not run): vsftpd with a
# real test account, and pyftpdlib with a virtual user.
# Owns: their config, ports, logs and roots inside a test's own directory; stopping them by pid.
# Must not: touch the system's vsftpd, its config or any port it did not pick itself.
#
#   vsftpd_available        exit 0 when vsftpd can run here (installed, and we are root); else
#                           prints the reason on stdout (use: r=$(vsftpd_available) || tap_skip_all "$r")
#   FTPD_HOST               the loopback address the servers listen on: 127.0.0.1 (default) or ::1
#                           (vsftpd only). ftpd_ipv6_available says whether ::1 works here.
#   vsftpd_start DIR [LINE…] starts vsftpd on $FTPD_HOST and a free port; its root is DIR/root
#                           (created, owned by the test account); extra vsftpd.conf lines may
#                           follow (e.g. local_max_rate=200000). Waits until the port answers
#                           220. Exports FTP_PORT FTP_ROOT FTP_USER FTP_PASS VSFTPD_PID
#                           FTP_XFERLOG FTP_HOST FTP_URL (ftp://user:pass@127.0.0.1:port/, the
#                           address in brackets for ::1).
#   vsftpd_stop             stops it by pid.
#   vsftpd_crash            kills it and every session below it with SIGKILL, by pid (a crash).
#   pyftpd_start DIR        the same with /usr/bin/python3 -m pyftpdlib (offers MLSD); exports
#                           FTP_PORT FTP_ROOT FTP_USER FTP_PASS PYFTPD_PID FTP_URL.
#   pyftpd_stop
#   ftpd_start_retrying NAME DIR LAUNCH ARG…  what the starts share: a free port and passive
#                           range (FTP_PORT, FTPD_RANGE), LAUNCH in the background, the 220 awaited,
#                           five tries; sets FTPD_PID (see below).
#   ftp_banner_ok PORT [tls] exit 0 when $FTPD_HOST:PORT sends a 220 greeting (after a TLS
#                           handshake with "tls": implicit FTPS).
#   tls_test_cert DIR NAME [DAYS]  writes a self-signed test certificate DIR/NAME.pem and its key
#                           DIR/NAME.key (CN "clamftp test server", names 127.0.0.1 and localhost).
#   tls_test_ca DIR         a private test CA: DIR/ca.pem (trust it with SSL_CERT_FILE) and its key.
#   tls_test_ca_sign DIR NAME SAN [NOT_BEFORE NOT_AFTER]  DIR/NAME.pem + .key signed by that CA,
#                           CN "clamftp NAME", subjectAltName SAN (e.g. IP:127.0.0.1); the dates
#                           (YYYYMMDDHHMMSSZ, UTC) default to yesterday and tomorrow, and may lie in
#                           the past for an expired certificate.
#   tls_fingerprint PEM     prints its SHA-256 fingerprint as AB:CD:…
#   vsftpd_start_tls DIR PEM KEY [LINE…]  vsftpd_start with TLS forced for logins and data and
#                           session reuse required (ssl_enable, force_local_logins_ssl,
#                           force_local_data_ssl, require_ssl_reuse=YES), the FTP conversation
#                           logged to $FTP_PROTOLOG; "implicit_ssl=YES" among the lines for
#                           implicit FTPS.
#   FTPD_UNPACKED           where tools/install-deps unpacks ProFTPD and Pure-FTPd (they conflict with
#                           vsftpd as packages): $CLAMFTP_TEST_CACHE or /var/cache/clamftp-test, /root.
#   proftpd_available / pureftpd_available   like vsftpd_available (reason on stdout).
#   proftpd_start_tls DIR PEM KEY   ProFTPD with mod_tls, TLSRequired on (session reuse required by
#                           default), root DIR/root; exports FTP_PORT FTP_ROOT FTP_USER FTP_PASS
#                           PROFTPD_PID. proftpd_stop.
#   pureftpd_start_tls DIR PEM KEY  Pure-FTPd with -Y 3 (TLS required for control and data), a
#                           virtual user (puredb) mapped to the test account, root DIR/root;
#                           exports the same and PUREFTPD_PID. pureftpd_stop.

FTPD_TEST_USER=clamftp-test
FTPD_TEST_PASS=clamftp-test-Pw1

ftp_banner_ok() {
        /usr/bin/python3 - "$1" "${2:-}" "${FTPD_HOST:-127.0.0.1}" <<'PY'
import socket, ssl, sys
try:
    s = socket.create_connection((sys.argv[3], int(sys.argv[1])), timeout=2)
    s.settimeout(2)
    if sys.argv[2] == "tls":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        s = ctx.wrap_socket(s)
    data = b""
    while b"\n" not in data:
        chunk = s.recv(512)
        if not chunk:
            break
        data += chunk
    s.close()
    sys.exit(0 if data.startswith(b"220") else 1)
except OSError:
    sys.exit(1)
PY
}

# exit 0 when a server can listen on ::1 here; else prints the reason (IPv6 off in a container).
ftpd_ipv6_available() {
        /usr/bin/python3 -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.bind(("::1", 0))
s.listen(1)
c = socket.create_connection(("::1", s.getsockname()[1]), timeout=2)
' 2>/dev/null || { echo "IPv6 loopback (::1) is not available on this machine"; return 1; }
}

vsftpd_available() {
        [ -x /usr/sbin/vsftpd ] || { echo "vsftpd is not installed (package vsftpd)"; return 1; }
        [ "$(id -u)" -eq 0 ] || { echo "vsftpd needs root here (a real local account and chroot)"; return 1; }
        [ -r /etc/pam.d/vsftpd ] || { echo "no PAM service vsftpd (/etc/pam.d/vsftpd)"; return 1; }
        return 0
}

# Creates the test account when missing (under a lock: suites run in parallel).
ftpd_ensure_account() {
        (
                flock 9
                if ! getent passwd "$FTPD_TEST_USER" >/dev/null; then
                        useradd --no-create-home --home-dir / --shell /bin/bash \
                                "$FTPD_TEST_USER" || exit 1
                fi
                # vsftpd changes into the home directory before local_root: it must exist
                [ -d "$(getent passwd "$FTPD_TEST_USER" | cut -d: -f6)" ] ||
                        usermod --home / "$FTPD_TEST_USER" || exit 1
                echo "$FTPD_TEST_USER:$FTPD_TEST_PASS" | chpasswd || exit 1
        ) 9>/tmp/clamftp-test-account.lock
}

# A passive range of 32 free ports: picked at random in a high range, checked free. (With 8, four
# connections over thousands of transfers drew the same port at once: "500 OOPS: vsf_sysutil_bind".)
ftpd_pasv_range() {
        /usr/bin/python3 - <<'PY'
import random, socket
for _ in range(200):
    lo = random.randrange(20000, 59000, 32)
    ok = True
    for p in range(lo, lo + 32):
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", p))
        except OSError:
            ok = False
        s.close()
        if not ok:
            break
    if ok:
        print(lo, lo + 31)
        break
PY
}

vsftpd_start() {
        local dir=$1
        shift
        vsftpd_available >/dev/null || { vsftpd_available >&2; return 1; }
        ftpd_ensure_account || { echo "could not create the account $FTPD_TEST_USER" >&2; return 1; }
        mkdir -p "$dir/root" "$dir/vsftpd-empty" || return 1
        dir=$(cd "$dir" && pwd)
        # the account must reach its root (chroot) and write in it
        local d=$dir
        while [ "$d" != / ]; do
                chmod o+x "$d" 2>/dev/null
                d=$(dirname "$d")
        done
        chown "$FTPD_TEST_USER:" "$dir/root"
        chmod 0755 "$dir/root" "$dir/vsftpd-empty"
        local range lo hi try
        for try in 1 2 3 4 5; do
                FTP_PORT=$(free_port)
                range=$(ftpd_pasv_range)
                lo=${range% *}
                hi=${range#* }
                {
                        case ${FTPD_HOST:-127.0.0.1} in
                        *:*)
                                echo "listen=NO"
                                echo "listen_ipv6=YES"
                                echo "listen_address6=$FTPD_HOST" ;;
                        *)
                                echo "listen=YES"
                                echo "listen_ipv6=NO"
                                echo "listen_address=${FTPD_HOST:-127.0.0.1}" ;;
                        esac
                        echo "listen_port=$FTP_PORT"
                        echo "background=NO"
                        echo "seccomp_sandbox=NO"
                        echo "anonymous_enable=NO"
                        echo "local_enable=YES"
                        echo "write_enable=YES"
                        echo "local_umask=022"
                        echo "chroot_local_user=YES"
                        echo "allow_writeable_chroot=YES"
                        echo "secure_chroot_dir=$dir/vsftpd-empty"
                        echo "local_root=$dir/root"
                        echo "pasv_enable=YES"
                        echo "pasv_min_port=$lo"
                        echo "pasv_max_port=$hi"
                        echo "port_enable=YES"
                        echo "connect_from_port_20=NO"
                        echo "ascii_upload_enable=YES"
                        echo "ascii_download_enable=YES"
                        echo "xferlog_enable=YES"
                        echo "xferlog_std_format=YES"
                        echo "xferlog_file=$dir/xferlog"
                        echo "vsftpd_log_file=$dir/vsftpd.log"
                        echo "userlist_enable=NO"
                        echo "pam_service_name=vsftpd"
                        echo "ssl_enable=NO"
                        echo "use_localtime=NO"
                        echo "hide_ids=NO"
                        echo "max_per_ip=0"
                        echo "max_clients=0"
                        local line
                        for line in "$@"; do
                                echo "$line"
                        done
                } >"$dir/vsftpd.conf"
                /usr/sbin/vsftpd "$dir/vsftpd.conf" >"$dir/vsftpd.out" 2>&1 </dev/null &
                VSFTPD_PID=$!
                local end=$(( $(date +%s) + 10 ))
                while ! ftp_banner_ok "$FTP_PORT" "${VSFTPD_BANNER_TLS:-}"; do
                        kill -0 "$VSFTPD_PID" 2>/dev/null || break
                        [ "$(date +%s)" -lt "$end" ] || break
                        sleep 0.02
                done
                if kill -0 "$VSFTPD_PID" 2>/dev/null && ftp_banner_ok "$FTP_PORT" "${VSFTPD_BANNER_TLS:-}"; then
                        FTP_ROOT=$dir/root
                        FTP_USER=$FTPD_TEST_USER
                        FTP_PASS=$FTPD_TEST_PASS
                        FTP_XFERLOG=$dir/xferlog
                        FTP_HOST=${FTPD_HOST:-127.0.0.1}
                        case $FTP_HOST in
                        *:*) FTP_URL="ftp://$FTP_USER:$FTP_PASS@[$FTP_HOST]:$FTP_PORT/" ;;
                        *) FTP_URL="ftp://$FTP_USER:$FTP_PASS@$FTP_HOST:$FTP_PORT/" ;;
                        esac
                        export FTP_PORT FTP_ROOT FTP_USER FTP_PASS VSFTPD_PID FTP_XFERLOG FTP_HOST FTP_URL
                        return 0
                fi
                # a port taken in between makes vsftpd exit silently: try other ports
                kill "$VSFTPD_PID" 2>/dev/null
                wait "$VSFTPD_PID" 2>/dev/null
                VSFTPD_PID=
        done
        echo "vsftpd did not start; its output follows" >&2
        cat "$dir/vsftpd.out" >&2 2>/dev/null
        return 1
}

ftpd_kill() { stop_pid "$1" 5; }   # tests/lib/tap.sh

# ftpd_stop_server PID: the servers fork one process per session; those die when their control
# connection closes, and the listener (PID) is ours to stop. Session processes still alive, and
# theirs (vsftpd's privileged/unprivileged pair), are found through their parent pid, never by name.
ftpd_stop_server() {
        [ -n "$1" ] || return 0
        local kids k gk
        kids=$(ps -o pid= --ppid "$1" 2>/dev/null)
        ftpd_kill "$1"
        for k in $kids; do
                for gk in $(ps -o pid= --ppid "$k" 2>/dev/null); do kill "$gk" 2>/dev/null; done
                kill "$k" 2>/dev/null
        done
}

vsftpd_stop() {
        ftpd_stop_server "${VSFTPD_PID:-}"
        VSFTPD_PID=
}

# vsftpd_crash: a crash of the server: the listener stopped first (it forks no session after
# that), then SIGKILL to it and to every session process below it (vsftpd's pair per session),
# by pid. VSFTPD_PID is empty afterwards.
vsftpd_crash() {
        local pids=$VSFTPD_PID k
        kill -STOP "$VSFTPD_PID" 2>/dev/null || return 1
        for k in $(ps -o pid= --ppid "$VSFTPD_PID"); do
                pids="$pids $k $(ps -o pid= --ppid "$k" | tr '\n' ' ')"
        done
        kill -9 $pids 2>/dev/null
        wait "$VSFTPD_PID" 2>/dev/null
        VSFTPD_PID=
}

pyftpd_start() {
        local dir=$1
        mkdir -p "$dir/root" || return 1
        dir=$(cd "$dir" && pwd)
        ftpd_start_retrying pyftpd "$dir" pyftpd_launch || return 1
        PYFTPD_PID=$FTPD_PID
        export PYFTPD_PID
}

# pyftpd_launch DIR: pyftpdlib in the foreground on FTP_PORT, root DIR/root, passive ports FTPD_RANGE.
# PYFTPD_NO_REST=1 in the environment: a server without REST (answers it 500), as some are.
pyftpd_launch() {
        exec /usr/bin/python3 - "$FTP_PORT" "$1/root" "${FTPD_RANGE% *}" "${FTPD_RANGE#* }" <<'PY'
import os, sys
from pyftpdlib import handlers
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer

class ActiveDTP(handlers.ActiveDTP):
    """pyftpdlib 1.5.7 keeps the descriptor number of an active data connection after handing
    its socket to the transfer; closing this object at the session's next PORT/EPRT then drops
    from the IO loop whatever socket has that number by then, often the control connection of
    a session that logged in meanwhile (a batch's extra connection), which never answers again.
    The fix of pyftpdlib pull request #657: forget the number once the socket is handed over."""
    def handle_connect(self):
        super().handle_connect()
        self._fileno = None

port, root, lo, hi = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
auth = DummyAuthorizer()
auth.add_user("clamftp-test", "clamftp-test-Pw1", root, perm="elradfmwMT")
FTPHandler.authorizer = auth
FTPHandler.passive_ports = range(lo, hi + 1)
FTPHandler.permit_foreign_addresses = False
FTPHandler.active_dtp = ActiveDTP
if os.environ.get("PYFTPD_NO_REST"):
    FTPHandler.proto_cmds = {k: v for k, v in FTPHandler.proto_cmds.items() if k != "REST"}
server = FTPServer(("127.0.0.1", port), FTPHandler)
server.serve_forever()
PY
}

pyftpd_stop() {
        [ -n "${PYFTPD_PID:-}" ] || return 0
        ftpd_kill "$PYFTPD_PID"
        PYFTPD_PID=
}

tls_test_cert() {
        local dir=$1 name=$2 days=${3:-2}
        openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/$name.key" -out "$dir/$name.pem" \
                -subj "/CN=clamftp test server/O=clamftp tests" -days "$days" \
                -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" >/dev/null 2>&1 || return 1
        chmod 0644 "$dir/$name.pem" "$dir/$name.key"
}

tls_test_ca() {
        local dir=$1
        mkdir -p "$dir/ca-db" || return 1
        : >"$dir/ca-db/index.txt"
        echo 1000 >"$dir/ca-db/serial"
        cat >"$dir/ca.cnf" <<CNF
[ca]
default_ca = test_ca
[test_ca]
database = $dir/ca-db/index.txt
serial = $dir/ca-db/serial
new_certs_dir = $dir/ca-db
default_md = sha256
policy = any_name
unique_subject = no
[any_name]
commonName = supplied
CNF
        openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/ca.key" -out "$dir/ca.pem" -days 2 \
                -subj "/CN=clamftp test CA" >/dev/null 2>&1 && chmod 0644 "$dir/ca.pem"
}

tls_test_ca_sign() {
        local dir=$1 name=$2 san=$3
        local from=${4:-$(date -u -d '-1 day' +%Y%m%d%H%M%SZ)} to=${5:-$(date -u -d '+1 day' +%Y%m%d%H%M%SZ)}
        openssl req -newkey rsa:2048 -nodes -keyout "$dir/$name.key" -out "$dir/$name.csr" \
                -subj "/CN=clamftp $name" >/dev/null 2>&1 || return 1
        printf 'subjectAltName=%s\n' "$san" >"$dir/$name.ext"
        openssl ca -batch -config "$dir/ca.cnf" -cert "$dir/ca.pem" -keyfile "$dir/ca.key" -notext \
                -in "$dir/$name.csr" -out "$dir/$name.pem" -startdate "$from" -enddate "$to" \
                -extfile "$dir/$name.ext" >/dev/null 2>&1 || return 1
        chmod 0644 "$dir/$name.pem" "$dir/$name.key"
}

tls_fingerprint() {
        openssl x509 -in "$1" -noout -fingerprint -sha256 | cut -d= -f2
}

vsftpd_start_tls() {
        local dir=$1 pem=$2 key=$3
        shift 3
        local implicit=
        case " $* " in *" implicit_ssl=YES "*) implicit=tls ;; esac
        mkdir -p "$dir"
        FTP_PROTOLOG=$(cd "$dir" && pwd)/vsftpd.log
        export FTP_PROTOLOG
        VSFTPD_BANNER_TLS=$implicit vsftpd_start "$dir" ssl_enable=YES force_local_logins_ssl=YES \
                force_local_data_ssl=YES require_ssl_reuse=YES "rsa_cert_file=$pem" \
                "rsa_private_key_file=$key" ssl_ciphers=HIGH log_ftp_protocol=YES xferlog_std_format=NO "$@"
}

FTPD_UNPACKED=${CLAMFTP_TEST_CACHE:-/var/cache/clamftp-test}/root

proftpd_available() {
        [ -x "$FTPD_UNPACKED/usr/sbin/proftpd" ] || { echo "ProFTPD is not unpacked in $FTPD_UNPACKED (run tools/install-deps)"; return 1; }
        [ -e "$FTPD_UNPACKED/usr/lib/proftpd/mod_tls.so" ] || { echo "mod_tls is not unpacked (proftpd-mod-crypto)"; return 1; }
        [ "$(id -u)" -eq 0 ] || { echo "ProFTPD needs root here (a real local account and chroot)"; return 1; }
        if ldd "$FTPD_UNPACKED/usr/sbin/proftpd" | grep -q "not found"; then
                echo "ProFTPD's libraries are missing: $(ldd "$FTPD_UNPACKED/usr/sbin/proftpd" | grep "not found" | tr -s ' \t\n' ' ')"
                return 1
        fi
        return 0
}

pureftpd_available() {
        [ -x "$FTPD_UNPACKED/usr/sbin/pure-ftpd" ] || { echo "Pure-FTPd is not unpacked in $FTPD_UNPACKED (run tools/install-deps)"; return 1; }
        [ "$(id -u)" -eq 0 ] || { echo "Pure-FTPd needs root here (chroot)"; return 1; }
        return 0
}

# ftpd_private_root DIR: DIR/root owned by the test account, reachable through every parent.
ftpd_private_root() {
        ftpd_ensure_account || return 1
        mkdir -p "$1/root" || return 1
        local d
        d=$(cd "$1" && pwd)
        while [ "$d" != / ]; do
                chmod o+x "$d" 2>/dev/null
                d=$(dirname "$d")
        done
        chown "$FTPD_TEST_USER:" "$1/root"
}

# ftpd_wait_up PID PORT: polls until the port greets (TRUE) or the server died / 10 s passed.
ftpd_wait_up() {
        local end=$(( $(date +%s) + 10 ))
        while ! ftp_banner_ok "$2"; do
                kill -0 "$1" 2>/dev/null || return 1
                [ "$(date +%s)" -lt "$end" ] || return 1
                sleep 0.02
        done
}

ftpd_export() {
        FTP_ROOT=$1/root
        FTP_USER=$FTPD_TEST_USER
        FTP_PASS=$FTPD_TEST_PASS
        FTP_URL="ftp://$FTP_USER:$FTP_PASS@127.0.0.1:$FTP_PORT/"
        export FTP_PORT FTP_ROOT FTP_USER FTP_PASS FTP_URL
}

# ftpd_start_retrying NAME DIR LAUNCH ARG…: up to five times, picks FTP_PORT and FTPD_RANGE ("LO HI")
# free, runs `LAUNCH DIR ARG…` in the background (it execs the server in the foreground; output in
# DIR/NAME.out) and waits until the port greets. Sets FTPD_PID and exports FTP_*; returns 1 with
# the server's output on stderr when it never answered (a port taken in between, say).
ftpd_start_retrying() {
        local name=$1 dir=$2 launch=$3 try
        shift 3
        for try in 1 2 3 4 5; do
                FTP_PORT=$(free_port)
                FTPD_RANGE=$(ftpd_pasv_range)
                "$launch" "$dir" "$@" >"$dir/$name.out" 2>&1 </dev/null &
                FTPD_PID=$!
                if ftpd_wait_up "$FTPD_PID" "$FTP_PORT"; then
                        ftpd_export "$dir"
                        return 0
                fi
                ftpd_kill "$FTPD_PID"
                FTPD_PID=
        done
        echo "$name did not start; its output follows" >&2
        cat "$dir/$name.out" >&2 2>/dev/null
        return 1
}

proftpd_start_tls() {
        local dir=$1
        ftpd_private_root "$dir" || return 1
        dir=$(cd "$dir" && pwd)
        ftpd_start_retrying proftpd "$dir" proftpd_launch "$2" "$3" || return 1
        PROFTPD_PID=$FTPD_PID
        export PROFTPD_PID
}

# proftpd_start DIR [CONFIG-LINE…]: ProFTPD without TLS (extra configuration lines appended, e.g.
# "LoadModule mod_digest.c"); sets FTP_* and PROFTPD_PID.
proftpd_start() {
        local dir=$1
        shift
        ftpd_private_root "$dir" || return 1
        dir=$(cd "$dir" && pwd)
        ftpd_start_retrying proftpd "$dir" proftpd_launch "" "" "$@" || return 1
        PROFTPD_PID=$FTPD_PID
        export PROFTPD_PID
}

# proftpd_launch DIR PEM KEY [CONFIG-LINE…]: its config for FTP_PORT and FTPD_RANGE (TLS required
# with PEM and KEY; none when PEM is empty), then ProFTPD in the foreground.
proftpd_launch() {
        local dir=$1 pem=$2 key=$3 line
        shift 3
        cat >"$dir/proftpd.conf" <<CONF
ServerType standalone
DefaultServer on
ServerName "clamftp test"
Port $FTP_PORT
DefaultAddress 127.0.0.1
UseIPv6 off
ModulePath $FTPD_UNPACKED/usr/lib/proftpd
ModuleControlsACLs insmod,rmmod allow user root
ScoreboardFile $dir/scoreboard
PidFile $dir/proftpd.pid
DelayTable none
WtmpLog off
RequireValidShell off
DefaultRoot $dir/root
AllowOverwrite on
PassivePorts ${FTPD_RANGE% *} ${FTPD_RANGE#* }
User nobody
Group nogroup
SystemLog $dir/proftpd.log
TransferLog $dir/xferlog
<IfModule mod_auth_pam.c>
AuthPAM off
</IfModule>
CONF
        if [ -n "$pem" ]; then
                cat >>"$dir/proftpd.conf" <<CONF
LoadModule mod_tls.c
<IfModule mod_tls.c>
TLSEngine on
TLSRequired on
TLSRSACertificateFile $pem
TLSRSACertificateKeyFile $key
TLSVerifyClient off
TLSProtocol TLSv1.2 TLSv1.3
TLSLog $dir/tls.log
</IfModule>
CONF
        fi
        for line in "$@"; do printf '%s\n' "$line" >>"$dir/proftpd.conf"; done
        exec "$FTPD_UNPACKED/usr/sbin/proftpd" -n -c "$dir/proftpd.conf"
}

proftpd_stop() {
        ftpd_stop_server "${PROFTPD_PID:-}"
        PROFTPD_PID=
}

pureftpd_start_tls() {
        local dir=$1 pem=$2 key=$3
        ftpd_private_root "$dir" || return 1
        dir=$(cd "$dir" && pwd)
        cat "$key" "$pem" >"$dir/pure-ftpd.pem" && chmod 0600 "$dir/pure-ftpd.pem" || return 1
        rm -f "$dir/pureftpd.passwd" "$dir/pureftpd.pdb"
        printf '%s\n%s\n' "$FTPD_TEST_PASS" "$FTPD_TEST_PASS" |
                "$FTPD_UNPACKED/usr/bin/pure-pw" useradd "$FTPD_TEST_USER" -u "$FTPD_TEST_USER" -d "$dir/root" \
                        -f "$dir/pureftpd.passwd" >/dev/null || return 1
        "$FTPD_UNPACKED/usr/bin/pure-pw" mkdb "$dir/pureftpd.pdb" -f "$dir/pureftpd.passwd" || return 1
        ftpd_start_retrying pure-ftpd "$dir" pureftpd_launch || return 1
        PUREFTPD_PID=$FTPD_PID
        export PUREFTPD_PID
}

# pureftpd_launch DIR: Pure-FTPd in the foreground on FTP_PORT, passive ports FTPD_RANGE.
pureftpd_launch() {
        exec "$FTPD_UNPACKED/usr/sbin/pure-ftpd" -S "127.0.0.1,$FTP_PORT" -Y 3 -2 "$1/pure-ftpd.pem" \
                -l "puredb:$1/pureftpd.pdb" -E -H -p "${FTPD_RANGE% *}:${FTPD_RANGE#* }"
}

pureftpd_stop() {
        ftpd_stop_server "${PUREFTPD_PID:-}"
        PUREFTPD_PID=
}
