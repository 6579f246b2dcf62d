#!/bin/bash
# tests/integration/commands-scan-icap.sh — uploads scanned through ICAP (--scanner icap://…): a
# real c-icap with Debian's virus_scan service in front of the test clamd, a real vsftpd.
# EICAR refused (plain and zipped) with the signature shown and nothing on the server; a clean
# file uploaded byte for byte, its verdict record in the audit log with c-icap's ISTag; c-icap's
# default mode (the body sent back) judged the same; 50 MiB through a preview (clean: uploaded,
# EICAR at its end: refused); icaps:// against c-icap's TLS port (verified, or trusted by
# fingerprint as FTPS servers are: scanned; untrusted: refused); clamd stopped behind c-icap, then c-icap stopped: refused.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin commands-scan-icap tool:zip tool:openssl=openssl tls-cert clamd icap vsftpd clamftp:open,put
CF_DEADLINE=60
# the refusals below (a certificate that does not verify, clamd or c-icap stopped) come at once:
# no wait for the scanner to come back
printf '[scanner]\nwait=0\n' >>"$CF_CONF"
CF_MODE=passive
CF_SCANNER=$ICAP_URL
eicar >eicar.com
(mkdir -p z && cp eicar.com z/readme.com && zip -q -r eicar.zip z && rm -rf z)
head -c 1048576 /dev/urandom >clean.bin
head -c 52428800 /dev/urandom >big.bin
{ head -c 52428800 /dev/urandom; eicar; } >big-eicar.bin
{ head -c 300000 /dev/urandom; eicar; } >late-eicar.bin
SIG='Clamftp\.Test\.EICAR'
nothing_named() { [ -z "$(find "$FTP_ROOT" -name "$1*")" ]; }
mkdir -p "$FTP_ROOT/up" && ftp_own

cf_session "cd up; put eicar.com"
expect "put EICAR: exit status 1, the signature shown" eval 'cf_rc_is 1 && cf_says "$SIG"'
expect "put EICAR: nothing reaches the server" nothing_named eicar.com
cf_session "cd up; put eicar.zip"
expect "put zipped EICAR: exit status 1, the signature shown" eval 'cf_rc_is 1 && cf_says "$SIG"'
expect "put zipped EICAR: nothing reaches the server" nothing_named eicar.zip

rm -f "$CF_AUDIT"
cf_session "cd up; put clean.bin"
expect "put clean: exit 0" cf_rc_is 0
expect "put clean: the server's copy is byte for byte the file" same_file clean.bin "$FTP_ROOT/up/clean.bin"
audit_istag() {
        /usr/bin/python3 - "$CF_AUDIT" "$ICAP_URL" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
v = [r for r in recs if r.get("event") == "verdict"]
ok = (len(v) == 1 and v[0].get("verdict") == "OK" and v[0].get("scanner") == sys.argv[2]
      and str(v[0].get("istag", "")).startswith("CI0001-"))
if not ok:
    print(open(sys.argv[1]).read()); sys.exit(1)
PY
}
expect "audit log: the verdict names the ICAP service and keeps c-icap's ISTag" audit_istag
expect "audit log: --check-audit accepts the records with an ISTag" \
        "$top_builddir/src/clamftp" --check-audit "$CF_AUDIT"

# c-icap's default mode sends the body back while it arrives (200 with the body unchanged), and
# empties it when it finds a threat after the preview
CF_SCANNER=icap://127.0.0.1:$ICAP_PORT/virus_scan
mkdir -p "$FTP_ROOT/echo" && ftp_own
cf_session "cd echo; put clean.bin"
expect "default mode, clean: uploaded" eval 'cf_rc_is 0 && same_file clean.bin "$FTP_ROOT/echo/clean.bin"'
cf_session "cd echo; put late-eicar.bin"
expect "default mode, EICAR after the preview: refused, nothing uploaded" \
        eval 'cf_rc_is 1 && cf_says "INFECTED|infected" && nothing_named late-eicar.bin'

# 50 MiB: a preview of what OPTIONS offered, then the rest after 100 Continue
CF_SCANNER=$ICAP_URL
mkdir -p "$FTP_ROOT/big" && ftp_own
cf_session "cd big; put big.bin"
expect "50 MiB clean: exit 0, byte for byte" eval 'cf_rc_is 0 && same_file big.bin "$FTP_ROOT/big/big.bin"'
cf_session "cd big; put big-eicar.bin"
expect "50 MiB with EICAR at its end: refused with the signature, nothing uploaded" \
        eval 'cf_rc_is 1 && cf_says "$SIG" && nothing_named big-eicar.bin'

# icaps:// to c-icap's TLS port: its certificate must verify (here: trusted through SSL_CERT_FILE)
CF_SCANNER=icaps://127.0.0.1:$ICAP_TLS_PORT/avscan
mkdir -p "$FTP_ROOT/tls" && ftp_own
export SSL_CERT_FILE=$SUITE_DIR/certs/server.pem
cf_session "cd tls; put eicar.com"
expect "icaps: EICAR refused with the signature" eval 'cf_rc_is 1 && cf_says "$SIG" && nothing_named eicar.com'
cf_session "cd tls; put clean.bin"
expect "icaps: clean file uploaded byte for byte" eval 'cf_rc_is 0 && same_file clean.bin "$FTP_ROOT/tls/clean.bin"'
unset SSL_CERT_FILE
mkdir -p "$FTP_ROOT/untrusted" && ftp_own
cf_session "cd untrusted; put clean.bin"
expect "icaps: a certificate that does not verify is refused, nothing uploaded" \
        eval 'cf_rc_is 1 && cf_says "does not verify" && cf_says "$SUITE_FP" && [ ! -e "$FTP_ROOT/untrusted/clean.bin" ]'
# the same certificate trusted as an FTPS server's is: its fingerprint for host:port in the
# trusted-certificates file
mkdir -p "$HOME/.local/share/clamftp"
printf '127.0.0.1:%s %s\n' "$ICAP_TLS_PORT" "$SUITE_FP" >"$HOME/.local/share/clamftp/trusted-certs"
cf_session "cd untrusted; put clean.bin"
expect "icaps: a certificate trusted by fingerprint (trusted-certs) is taken: uploaded byte for byte" \
        eval 'cf_rc_is 0 && same_file clean.bin "$FTP_ROOT/untrusted/clean.bin"'
printf '127.0.0.1:%s %s\n' "$ICAP_TLS_PORT" "00${SUITE_FP:2}" >"$HOME/.local/share/clamftp/trusted-certs"
cf_session "cd untrusted; put eicar.com"
expect "icaps: another fingerprint trusted there: refused" eval 'cf_rc_is 1 && cf_says "does not verify"'
rm -f "$HOME/.local/share/clamftp/trusted-certs"

# clamd stopped behind c-icap: c-icap answers 500 (PassOnError off) or cuts the reply
CF_SCANNER=$ICAP_URL
mkdir -p "$FTP_ROOT/down" && ftp_own
clamd_stop
cf_session "cd down; put clean.bin"
expect "clamd stopped behind c-icap: refused, nothing uploaded" \
        eval 'cf_rc_is 1 && cf_says "could not scan|reply ended" && [ ! -e "$FTP_ROOT/down/clean.bin" ]'
icap_stop
cf_session "cd down; put clean.bin"
expect "c-icap stopped: refused as unreachable, nothing uploaded" \
        eval 'cf_rc_is 1 && cf_says "not reachable" && [ ! -e "$FTP_ROOT/down/clean.bin" ]'

tap_done
