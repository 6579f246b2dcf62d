#!/bin/bash
# tests/tls/ftps-proftpd-pureftpd.sh — explicit FTPS against ProFTPD (mod_tls, TLSRequired on: TLS
# for control and data, session reuse required) and Pure-FTPd (-Y 3), both unpacked beside vsftpd
# (tools/install-deps), each with its own self-signed test certificate accepted by fingerprint,
# scanning through the suites' scanner: put, mput, ls, get, mget in passive and active mode, over
# TLS 1.3 and TLS 1.2. A server that cannot run here is skipped with the reason.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/ftpd.sh"
. "$top_srcdir/tests/lib/clamd.sh"
. "$top_srcdir/tests/lib/agent.sh"
. "$top_srcdir/tests/lib/clamftp.sh"

command -v openssl >/dev/null || tap_skip_all "openssl is not installed (package openssl)"
r=$(cf_scanner_available) || tap_skip_all "$r"
r=$(clamftp_ready open put get mput mget ls status) || tap_skip_all "$r"
p_why=$(proftpd_available) && p_ok=1 || p_ok=
u_why=$(pureftpd_available) && u_ok=1 || u_ok=
[ -n "$p_ok$u_ok" ] || tap_skip_all "ProFTPD: $p_why; Pure-FTPd: $u_why"

CF_DIR=$(mktemp -d)
chmod 0755 "$CF_DIR"
suite_end() {
        cd /
        proftpd_stop
        pureftpd_stop
        cf_scanner_stop
        rm -rf "$CF_DIR"
}
trap suite_end EXIT
cf_scanner_start "$CF_DIR/scanner" >"$CF_DIR/scanner-start.err" 2>&1 || {
        echo "Bail out! the scanner did not start: $(tail -n 3 "$CF_DIR/scanner-start.err" | tr '\n' ' ')"
        exit 1
}
clamftp_env "$CF_DIR"
tls_test_cert "$CF_DIR" server || { echo "Bail out! openssl could not make a test certificate"; exit 1; }
FP=$(tls_fingerprint "$CF_DIR/server.pem")
CF_LOCAL=$CF_DIR/local
mkdir -p "$CF_LOCAL"
cd "$CF_LOCAL" || exit 1
head -c 500000 /dev/urandom >one.bin
printf 'alpha\n' >a.txt
printf 'beta\n' >b.txt
eicar >eicar.com
cp "$CF_CONF" "$CF_CONF.base"

ftps_session() {
        CF_INPUT="$FTP_USER
$FTP_PASS
"
        cf_run -n --tls=require --trust-fingerprint "$FP" -c "open 127.0.0.1 $FTP_PORT; $1"
        CF_INPUT=
}

# transfers NAME: the whole round against the server that runs now
transfers() {
        local name=$1 version R T
        for version in 1.3 1.2; do
                { cat "$CF_CONF.base"; echo "tls-max-version=$version"; } >"$CF_CONF"
                for CF_MODE in $CF_MODES; do
                        R=t$version-$CF_MODE
                        T="$name, TLS $version, $CF_MODE"
                        mkdir -p "$FTP_ROOT/$R" && chown -R "$FTP_USER:" "$FTP_ROOT"
                        rm -rf back && mkdir back
                        ftps_session "cd $R; put one.bin; put eicar.com; mput *.txt; ls; status"
                        cf_expect "$T: put, mput, ls: exit 1 (only EICAR refused)" cf_rc_is 1
                        cf_expect "$T: put and mput arrived byte for byte" \
                                eval 'same_file one.bin "$FTP_ROOT/$R/one.bin" && same_file a.txt "$FTP_ROOT/$R/a.txt" && same_file b.txt "$FTP_ROOT/$R/b.txt"'
                        cf_expect "$T: EICAR refused by the scanner, not uploaded" \
                                eval 'cf_says "Eicar" && [ ! -e "$FTP_ROOT/$R/eicar.com" ]'
                        cf_expect "$T: ls lists the uploads" eval 'cf_stdout_has "one\.bin" && cf_stdout_has "b\.txt"'
                        cf_expect "$T: status: TLSv$version, data encrypted" \
                                eval 'cf_stdout_has "Security: TLSv$version" && cf_stdout_has "data encrypted"'
                        ftps_session "cd $R; lcd back; get one.bin; mget *.txt"
                        cf_expect "$T: get and mget: exit 0, the same bytes back" \
                                eval 'cf_rc_is 0 && same_file one.bin back/one.bin && same_file a.txt back/a.txt && same_file b.txt back/b.txt'
                done
        done
        CF_MODE=passive
        cp "$CF_CONF.base" "$CF_CONF"
}

if [ -n "$p_ok" ]; then
        if proftpd_start_tls "$CF_DIR/proftpd" "$CF_DIR/server.pem" "$CF_DIR/server.key" >"$CF_DIR/proftpd-start.err" 2>&1; then
                transfers ProFTPD
                ftps_session "ls" 
                cf_expect "ProFTPD: TLS session reuse required (mod_tls default) and met: no refusal logged" \
                        eval '! grep -qi "did not reuse SSL session" "$CF_DIR/proftpd/tls.log"'
                proftpd_stop
        else
                tap_not_ok "ProFTPD started"
                tail -n 10 "$CF_DIR/proftpd-start.err" | tap_diag
        fi
else
        tap_skip "ProFTPD" "$p_why"
fi

if [ -n "$u_ok" ]; then
        if pureftpd_start_tls "$CF_DIR/pure-ftpd" "$CF_DIR/server.pem" "$CF_DIR/server.key" >"$CF_DIR/pure-start.err" 2>&1; then
                transfers Pure-FTPd
                pureftpd_stop
        else
                tap_not_ok "Pure-FTPd started"
                tail -n 10 "$CF_DIR/pure-start.err" | tap_diag
        fi
else
        tap_skip "Pure-FTPd" "$u_why"
fi

tap_done
