#!/bin/bash
# tests/tls/scanner-tls.sh — clamftp and a remote clamav-agent over TLS (tls:host:port; the
# agent's TLSCertificateFile, TLSKeyFile, TLSClientCA), with certificates made here: a test CA
# (trusted with SSL_CERT_FILE, as the system's roots), the agent's certificate for 127.0.0.1 and
# localhost, a client certificate, and a wrong CA with a rogue agent certificate and a stranger
# client certificate. Uploads go to a real vsftpd; each refusal is checked to leave nothing on
# the server. Also: the agent refuses a plain-text client (clamdscan) on its TLS port at once,
# and a client that never finishes the handshake within TLSHandshakeTimeout; SIGHUP reads a
# renewed certificate; clamftp's tls: to a plain TCP agent is refused at once. A client's later
# connections resume its TLS session (the agent's tickets), with mutual TLS too.
. "$top_srcdir/tests/lib/suite.sh"

make_certs() {
        CERTS=$SUITE_DIR/certs
        mkdir -p "$CERTS/wrong" && tls_test_ca "$CERTS" &&
                tls_test_ca_sign "$CERTS" agent "IP:127.0.0.1,DNS:localhost" &&
                tls_test_ca_sign "$CERTS" client DNS:clamftp-client &&
                tls_test_ca "$CERTS/wrong" &&
                tls_test_ca_sign "$CERTS/wrong" rogue "IP:127.0.0.1,DNS:localhost" &&
                tls_test_ca_sign "$CERTS/wrong" stranger DNS:clamftp-client
}
suite_begin scanner-tls tool:openssl=openssl agent-bin call:make_certs vsftpd clamftp:open,put,scan,status
CF_DEADLINE=40
TRUST=${XDG_DATA_HOME:-$HOME/.local/share}/clamftp/trusted-certs

printf 'nothing to see\n' >clean.txt
eicar >eicar.com
head -c 3000000 /dev/urandom >large.bin
on_server() { [ -e "$FTP_ROOT/$1" ]; }

# tls_agent NAME LINE…: (re)starts the agent in SUITE_DIR/NAME with TLS on a free TCP port, the
# LINEs added to its config; CF_SCANNER becomes its tls: address.
tls_agent() {
        local name=$1
        shift
        agent_stop
        AGENT_TCP_PORT=$(free_port)
        suite_start "clamav-agent ($name)" agent_start "$SUITE_DIR/$name" \
                "TLSCertificateFile $CERTS/agent.pem" "TLSKeyFile $CERTS/agent.key" "$@"
        AGENT_PORT=$AGENT_TCP_PORT
        CF_SCANNER=tls:127.0.0.1:$AGENT_PORT
}

# ---- the right certificate, verified against the trusted CA ----
tls_agent agent-tls "LogVerbose yes"
export SSL_CERT_FILE=$CERTS/ca.pem
cf_login 127.0.0.1 "put clean.txt; put large.bin; put eicar.com"
expect "right certificate: the clean files are uploaded" \
        eval 'same_file clean.txt "$FTP_ROOT/clean.txt" && same_file large.bin "$FTP_ROOT/large.bin"'
expect "right certificate: EICAR is refused with its name and not uploaded" \
        eval 'cf_says "eicar.com.*INFECTED.*Clamftp\.Test\.EICAR" && ! on_server eicar.com'
expect "right certificate: exit status 1 (a file refused, nothing else failed)" cf_rc_is 1
expect "the agent scanned them over TLS 1.2 or newer" \
        eval 'grep -Eq "TLS TLSv1\.[23] " "$AGENT_LOG" && grep -q "scan instream.*FOUND" "$AGENT_LOG"'
expect "the audit log names the tls: scanner" grep -q "\"scanner\":\"tls:127.0.0.1:$AGENT_PORT\"" "$CF_AUDIT"
# tls_handshakes [resumed]: the agent's handshakes so far (LogVerbose), or those that resumed
tls_handshakes() { grep -Ec ": TLS TLSv1\.[23] [^ ]+${1:+ resumed}( |$)" "$AGENT_LOG"; }
expect "one full handshake, then the later scans resume the TLS session ($(tls_handshakes resumed) of $(tls_handshakes))" \
        eval '[ "$(tls_handshakes resumed)" -ge 2 ] && [ "$(tls_handshakes)" -gt "$(tls_handshakes resumed)" ]'

# ---- a certificate that does not verify: refused, then let in by its pinned fingerprint ----
AGENT_FP=$(tls_fingerprint "$CERTS/agent.pem")
export SSL_CERT_FILE=$CERTS/wrong/ca.pem
cf_login 127.0.0.1 "put clean.txt newname.txt"
expect "unknown certificate: refused with its fingerprint and the line that trusts it; nothing uploaded" \
        eval 'cf_says "does not verify" && cf_says "$AGENT_FP" && cf_says "127\.0\.0\.1:$AGENT_PORT $AGENT_FP" && ! on_server newname.txt'
expect "unknown certificate: not written to the trust file" [ ! -e "$TRUST" ]
mkdir -p "$(dirname "$TRUST")" && echo "127.0.0.1:$AGENT_PORT $AGENT_FP" >"$TRUST"
cf_login 127.0.0.1 "put clean.txt pinned.txt"
expect "its fingerprint in the trusted-certificates file: uploaded" same_file clean.txt "$FTP_ROOT/pinned.txt"

# ---- the wrong certificate: the agent shows a rogue one (another CA) for the same address ----
export SSL_CERT_FILE=$CERTS/ca.pem
tls_agent agent-rogue "TLSCertificateFile $CERTS/wrong/rogue.pem" "TLSKeyFile $CERTS/wrong/rogue.key" \
        "LogVerbose yes"
ROGUE_FP=$(tls_fingerprint "$CERTS/wrong/rogue.pem")
cf_login 127.0.0.1 "put clean.txt rogue.txt"
expect "wrong certificate: refused, saying it does not verify, with its fingerprint; nothing uploaded" \
        eval 'cf_rc_is 1 && cf_says "scanner at tls:127\.0\.0\.1:$AGENT_PORT does not verify" && cf_says "$ROGUE_FP" && ! on_server rogue.txt'
expect "wrong certificate: the agent saw the handshake and never a command" \
        eval 'grep -q ": TLS TLSv1" "$AGENT_LOG" && ! grep -Eq "127\.0\.0\.1@[0-9]+: command" "$AGENT_LOG"'
echo "127.0.0.1:$AGENT_PORT $AGENT_FP" >"$TRUST"
cf_login 127.0.0.1 "put clean.txt rogue.txt"
expect "a certificate other than the pinned one: the loud refusal with both fingerprints; nothing uploaded" \
        eval 'cf_says "HAS CHANGED" && cf_says "$AGENT_FP" && cf_says "$ROGUE_FP" && ! on_server rogue.txt'
rm -f "$TRUST"

# ---- mutual TLS: TLSClientCA ----
tls_agent agent-mtls "TLSClientCA $CERTS/ca.pem" "LogVerbose yes"
cf_login 127.0.0.1 "put clean.txt mutual.txt; put eicar.com" \
        --scanner-cert "$CERTS/client.pem" --scanner-key "$CERTS/client.key"
expect "mutual TLS with the client certificate: clean uploaded, EICAR refused by name" \
        eval 'same_file clean.txt "$FTP_ROOT/mutual.txt" && cf_says "eicar.com.*INFECTED.*Clamftp\.Test\.EICAR" && ! on_server eicar.com'
expect "the agent saw the client certificate" grep -q "client CN=clamftp client" "$AGENT_LOG"
expect "mutual TLS: the second scan resumed, its session still the verified client's" \
        grep -q "resumed client CN=clamftp client" "$AGENT_LOG"
cf_login 127.0.0.1 "put clean.txt nocert.txt"
expect "mutual TLS without a client certificate: refused, and clamftp says why; nothing uploaded" \
        eval 'cf_rc_is 1 && cf_says "asked for a client certificate" && cf_says "--scanner-cert" && ! on_server nocert.txt'
expect "the agent logged the refusal" grep -q "TLS refused: the TLS handshake failed" "$AGENT_LOG"
cf_login 127.0.0.1 "put clean.txt stranger.txt" \
        --scanner-cert "$CERTS/wrong/stranger.pem" --scanner-key "$CERTS/wrong/stranger.key"
expect "mutual TLS with a certificate from another CA: refused, naming the certificate; nothing uploaded" \
        eval 'cf_rc_is 1 && cf_says "stranger\.pem" && cf_says "TLSClientCA" && ! on_server stranger.txt'
cf_run --scanner-cert "$CERTS/client.pem" --scanner-key "$CERTS/wrong/stranger.key" -c "status"
expect "a key that is not the certificate's: clamftp stops at once (exit 2), naming the key" \
        eval 'cf_rc_is 2 && cf_says "stranger\.key"'
cf_run --scanner-cert "$CERTS/client.pem" -c "status"
expect "a certificate without its key: a usage error" eval 'cf_rc_is 2 && cf_says "--scanner-key"'

# ---- a renewed certificate is read again on SIGHUP; one that cannot be used keeps the old ----
cp "$CERTS/agent.pem" "$CERTS/live.pem" && cp "$CERTS/agent.key" "$CERTS/live.key"
tls_agent agent-reload "TLSCertificateFile $CERTS/live.pem" "TLSKeyFile $CERTS/live.key"
# logged LINE: the agent's log has ERE within 10 s
logged() {
        local end=$(( $(date +%s) + 10 ))
        until grep -Eq -- "$1" "$AGENT_LOG"; do [ "$(date +%s)" -lt "$end" ] || return 1; sleep 0.1; done
}
cf_run -c "scan clean.txt"
expect "before the reload: the certificate verifies" eval 'cf_rc_is 0 && cf_says "clean\.txt: OK"'
cp "$CERTS/wrong/rogue.pem" "$CERTS/live.pem" && cp "$CERTS/wrong/rogue.key" "$CERTS/live.key"
kill -HUP "$AGENT_PID"
expect "SIGHUP: the agent reads the certificate again" logged "reload: TLS certificate read again"
cf_run -c "scan clean.txt"
expect "after the reload the new certificate is shown (here a rogue one: refused by its fingerprint)" \
        eval 'cf_rc_is 1 && cf_says "$ROGUE_FP"'
echo "not a certificate" >"$CERTS/live.pem"
kill -HUP "$AGENT_PID"
expect "a certificate file that cannot be used: the reload says so and keeps the previous one" \
        logged "TLS keeps the previous certificate"
cf_run -c "scan clean.txt"
expect "and the agent still serves TLS with it" eval 'cf_rc_is 1 && cf_says "$ROGUE_FP"'

# ---- plain-text clients on the TLS port ----
plain_ping() {
        /usr/bin/python3 - "$AGENT_PORT" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(b"zPING\0")
data = b""
while True:
    part = s.recv(4096)
    if not part:
        break
    data += part
text = data.decode(errors="replace")
print(text[:-1] + " [NUL]" if text.endswith("\0") else text)
PY
}
start=$(date +%s%N)
expect_output "a plain client is told in plain text that the port needs TLS (NUL after a z-command)" \
        "^This port requires TLS \(clamdscan cannot speak TLS\)\. ERROR \[NUL\]$" plain_ping
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect "and at once (${elapsed_ms} ms, under 2 s)" [ "$elapsed_ms" -lt 2000 ]
if command -v clamdscan >/dev/null; then
        printf 'TCPSocket %s\nTCPAddr 127.0.0.1\n' "$AGENT_PORT" >"$SUITE_DIR/clamd-client.conf"
        start=$(date +%s)
        timeout 20 clamdscan --config-file="$SUITE_DIR/clamd-client.conf" --stream "$CF_LOCAL/clean.txt" \
                >"$SUITE_DIR/clamdscan.out" 2>&1
        rc=$?
        expect "clamdscan on the TLS port: an error (exit 2) showing why, not a hang and not OK" \
                eval '[ $rc -eq 2 ] && [ $(( $(date +%s) - start )) -lt 10 ] && ! grep -q ": OK" "$SUITE_DIR/clamdscan.out" && grep -q "This port requires TLS" "$SUITE_DIR/clamdscan.out"'
else
        skip "clamdscan on the TLS port" "clamdscan is not installed (package clamdscan)"
fi
CF_SCANNER="tcp:127.0.0.1:$AGENT_PORT" cf_run -c "scan clean.txt"
expect "clamftp's plain tcp: address on the TLS port: no verdict, nothing passes (exit 1)" \
        eval 'cf_rc_is 1 && cf_says "This port requires TLS"'

# ---- a client that opens the connection and never finishes the handshake ----
tls_agent agent-slow "TLSHandshakeTimeout 1"
silent_client() {
        /usr/bin/python3 - "$AGENT_PORT" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(b"\x16\x03\x01")  # the start of a TLS record, and then nothing
start = time.time()
data = s.recv(4096)
print("closed after %.1f s" % (time.time() - start) if not data else "got data")
PY
}
out=$(silent_client)
expect "a handshake that never finishes is dropped after TLSHandshakeTimeout ($out)" \
        eval '[[ "$out" =~ ^closed\ after\ (0\.[5-9]|1\.[0-9]|2\.[0-9]) ]]'
expect "the agent logged why" grep -q "did not finish within TLSHandshakeTimeout" "$AGENT_LOG"

# ---- tls: to an agent whose TCP socket is plain ----
agent_stop
AGENT_TCP_PORT=$(free_port)
suite_start "clamav-agent (plain TCP)" agent_start "$SUITE_DIR/agent-plain"
CF_SCANNER="tls:127.0.0.1:$AGENT_TCP_PORT" cf_run -c "scan clean.txt"
expect "tls: to a plain TCP agent: refused at once, asking whether it speaks TLS there" \
        eval 'cf_rc_is 1 && cf_says "TLS handshake with the scanner at tls:127\.0\.0\.1:$AGENT_TCP_PORT failed" && cf_says "TLSCertificateFile"'

tap_done
