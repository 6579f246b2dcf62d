#!/bin/bash
# tests/integration/commands-scan.sh — scanning before upload, with a real scanner (clamav-agent, or
# clamd with CF_SCANNER_KIND=clamd: commands-scan-clamd.sh) and a real vsftpd:
# EICAR refused (plain and zipped) with the signature shown and nothing on the server, exit 1; a
# clean file uploaded byte for byte; the audit log's verdict and upload records; a file changed
# on disk while the scan runs (the server gets the scanned bytes); the scanner stopped: refused.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin commands-scan tool:zip scanner vsftpd clamftp:open,put,mput
CF_DEADLINE=30
PROXY_PID=
stop_proxy() { stop_pid "$PROXY_PID"; PROXY_PID=; }
suite_at_exit stop_proxy
eicar >eicar.com
(cd "$CF_LOCAL" && mkdir -p z && cp eicar.com z/readme.com && zip -q -r eicar.zip z &&
        tar -czf eicar.tar.gz z && rm -rf z)
head -c 1048576 /dev/urandom >clean.bin
printf 'just text\n' >clean.txt
SIG='Clamftp\.Test\.EICAR'
nothing_named() { [ -z "$(find "$FTP_ROOT" -name "$1*")" ]; }

for CF_MODE in $CF_MODES; do
        R=$CF_MODE
        mkdir -p "$FTP_ROOT/$R" && ftp_own
        cf_session "cd $R; put eicar.com"
        expect "$CF_MODE: put EICAR: exit status 1" cf_rc_is 1
        expect "$CF_MODE: put EICAR: the signature name is shown" cf_says "$SIG"
        expect "$CF_MODE: put EICAR: nothing reaches the server" nothing_named eicar.com

        cf_session "cd $R; put eicar.zip"
        expect "$CF_MODE: put zipped EICAR: exit status 1" cf_rc_is 1
        expect "$CF_MODE: put zipped EICAR: the signature name is shown" cf_says "$SIG"
        expect "$CF_MODE: put zipped EICAR: nothing reaches the server" nothing_named eicar.zip

        cf_session "cd $R; put eicar.tar.gz"
        expect "$CF_MODE: put EICAR in a tar.gz: exit status 1, signature shown, nothing uploaded" \
                eval 'cf_rc_is 1 && cf_says "$SIG" && nothing_named eicar.tar.gz'

        cf_session "prompt; cd $R; mput clean.txt eicar.com eicar.zip clean.bin"
        expect "$CF_MODE: mput with EICAR among clean files: exit status 1" cf_rc_is 1
        expect "$CF_MODE: mput: the clean files are uploaded" \
                eval 'same_file clean.txt "$FTP_ROOT/$R/clean.txt" && same_file clean.bin "$FTP_ROOT/$R/clean.bin"'
        expect "$CF_MODE: mput: neither infected file reaches the server" \
                eval 'nothing_named eicar.com && nothing_named eicar.zip'
done

# a clean file, byte for byte, and the audit log
CF_MODE=passive
rm -f "$CF_AUDIT"
mkdir -p "$FTP_ROOT/audit" && ftp_own
cf_session "cd audit; put clean.bin"
expect "clean put: exit 0" cf_rc_is 0
expect "clean put: the server's copy has the same SHA-256" \
        [ "$(sha_of clean.bin)" = "$(sha_of "$FTP_ROOT/audit/clean.bin" 2>/dev/null)" ]
audit_check() {
        /usr/bin/python3 - "$CF_AUDIT" "$(sha_of clean.bin)" "$(stat -c %s clean.bin)" <<'PY'
import json, sys
path, sha, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
recs = [json.loads(l) for l in open(path) if l.strip()]
v = [r for r in recs if r.get("event") == "verdict"]
u = [r for r in recs if r.get("event") == "upload"]
errs = []
if len(v) != 1: errs.append("verdict records: %d, expected 1" % len(v))
if len(u) != 1: errs.append("upload records: %d, expected 1" % len(u))
for r in v + u:
    if r.get("sha256") != sha: errs.append("%s sha256 %s, expected %s" % (r.get("event"), r.get("sha256"), sha))
    if r.get("size") != size: errs.append("%s size %s, expected %d" % (r.get("event"), r.get("size"), size))
    if not str(r.get("path", "")).endswith("clean.bin"): errs.append("%s path %r" % (r.get("event"), r.get("path")))
if v and v[0].get("verdict") != "OK": errs.append("verdict %r" % v[0].get("verdict"))
if u and u[0].get("result") != "done": errs.append("upload result %r" % u[0].get("result"))
if u and "clean.bin" not in str(u[0].get("remote", "")): errs.append("upload remote %r" % u[0].get("remote"))
if errs:
    print("\n".join(errs)); print(open(path).read()); sys.exit(1)
PY
}
expect "audit log: one verdict and one upload record with the file's SHA-256 and size" audit_check
rm -f "$CF_AUDIT"
cf_session "cd audit; put eicar.com"
audit_infected() {
        /usr/bin/python3 - "$CF_AUDIT" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
v = [r for r in recs if r.get("event") == "verdict"]
u = [r for r in recs if r.get("event") == "upload"]
ok = len(v) == 1 and v[0].get("verdict") == "INFECTED" and "Clamftp.Test.EICAR" in str(v[0].get("signature")) and not u
if not ok:
    print(open(sys.argv[1]).read()); sys.exit(1)
PY
}
expect "audit log: EICAR gives an INFECTED verdict record with the signature and no upload record" audit_infected

# the file changes on disk while the scan runs: a proxy holds the scanner's verdict until the test has
# rewritten the file (with EICAR); the server must get exactly the scanned (clean) bytes
for CF_MODE in $CF_MODES; do
        P=$SUITE_DIR/proxy-$CF_MODE
        mkdir -p "$P"
        timeout 90 /usr/bin/python3 "$top_srcdir/tests/integration/scan-delay-proxy.py" \
                "$P/proxy.sock" "$CF_SCANNER_SOCKET" "$P" >"$P/out" 2>&1 &
        PROXY_PID=$!
        suite_start "the scan delay proxy" wait_until 10 test -e "$P/ready"
        head -c 200000 /dev/urandom >changing.bin
        scanned_sha=$(sha_of changing.bin)
        mkdir -p "$FTP_ROOT/race-$CF_MODE" && ftp_own
        (
                CF_SCANNER=unix:$P/proxy.sock
                cf_session "cd race-$CF_MODE; put changing.bin"
                echo "$CF_RC" >"$P/rc"
                printf '%s\n' "$CF_ALL" >"$P/client-output"
        ) &
        client=$!
        if wait_until 20 test -e "$P/held"; then
                { eicar; head -c 1000 /dev/urandom; } >changing.bin   # rewritten in place
                touch "$P/release"
                wait "$client"
                CF_RC=$(cat "$P/rc") CF_ALL=$(cat "$P/client-output")
                expect "$CF_MODE: file changed during the scan: the upload still succeeds (exit 0)" cf_rc_is 0
                expect "$CF_MODE: file changed during the scan: the server has exactly the scanned bytes" \
                        [ "$scanned_sha" = "$(sha_of "$FTP_ROOT/race-$CF_MODE/changing.bin" 2>/dev/null)" ]
        else
                touch "$P/release"
                wait "$client"
                expect "$CF_MODE: file changed during the scan: the client asks the scanner (a verdict to hold)" \
                        failed_with "$P/client-output"
        fi
        stop_proxy
done

# a scanner that accepts the file and never answers: refused when the scanner timeout passes
# (no wait for it to come back: scanner-wait 0)
P=$SUITE_DIR/proxy-silent
mkdir -p "$P"
timeout 90 /usr/bin/python3 "$top_srcdir/tests/integration/scan-delay-proxy.py" \
        "$P/proxy.sock" "$CF_SCANNER_SOCKET" "$P" >"$P/out" 2>&1 &
PROXY_PID=$!
suite_start "the scan delay proxy" wait_until 10 test -e "$P/ready"
printf '[scanner]\ntimeout=2\nwait=0\n' >>"$CF_CONF"
CF_MODE=passive
t0=$(date +%s)
CF_SCANNER=unix:$P/proxy.sock cf_session "put clean.txt silent-scanner.txt"
took=$(( $(date +%s) - t0 ))
clamftp_write_conf
touch "$P/release"
stop_proxy
expect "scanner that never answers: put exits 1" cf_rc_is 1
expect "scanner that never answers: nothing reaches the server" [ ! -e "$FTP_ROOT/silent-scanner.txt" ]
expect "scanner that never answers: refused by the scanner timeout (2 s; took ${took}s)" [ "$took" -le 12 ]

# the scanner stopped: nothing is uploaded, exit 1 (after a short wait for it to come back)
cf_scanner_stop
printf '[scanner]\nwait=1\n' >>"$CF_CONF"
for CF_MODE in $CF_MODES; do
        cf_session "put clean.txt stopped-$CF_MODE.txt"
        expect "$CF_MODE: scanner stopped: put exits 1" cf_rc_is 1
        expect "$CF_MODE: scanner stopped: nothing reaches the server" [ ! -e "$FTP_ROOT/stopped-$CF_MODE.txt" ]
        expect "$CF_MODE: scanner stopped: the message says the scanner could not be used" cf_says 'scan'
done

tap_done
