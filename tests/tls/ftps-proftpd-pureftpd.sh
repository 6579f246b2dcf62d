#!/bin/bash
# tests/tls/ftps-proftpd-pureftpd.sh — explicit FTPS against ProFTPD (mod_tls, TLSRequired on: TLS
# for control and data, session reuse required) and Pure-FTPd (-Y 3), both unpacked beside vsftpd
# (tools/install-deps), each with its own self-signed test certificate accepted by fingerprint,
# scanning through the suites' scanner: put, mput, ls, get, mget in passive and active mode, over
# TLS 1.3 and TLS 1.2. A server that cannot run here is skipped with the reason.
. "$top_srcdir/tests/lib/suite.sh"

p_why=$(proftpd_available) && p_ok=1 || p_ok=
u_why=$(pureftpd_available) && u_ok=1 || u_ok=
[ -n "$p_ok$u_ok" ] || skip_all "ProFTPD: $p_why; Pure-FTPd: $u_why"
suite_begin ftps-proftpd-pureftpd scanner tls-cert clamftp:open,put,get,mput,mget,ls,status
CERT=$SUITE_DIR/certs/server.pem
KEY=$SUITE_DIR/certs/server.key
head -c 500000 /dev/urandom >one.bin
printf 'alpha\n' >a.txt
printf 'beta\n' >b.txt
eicar >eicar.com
cp "$CF_CONF" "$CF_CONF.base"

ftps_session() { cf_login 127.0.0.1 "$1" --tls=require --trust-fingerprint "$SUITE_FP"; }

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
                        expect "$T: put, mput, ls: exit 1 (only EICAR refused)" cf_rc_is 1
                        expect "$T: put and mput arrived byte for byte" \
                                eval 'same_file one.bin "$FTP_ROOT/$R/one.bin" && same_file a.txt "$FTP_ROOT/$R/a.txt" && same_file b.txt "$FTP_ROOT/$R/b.txt"'
                        expect "$T: EICAR refused by the scanner, not uploaded" \
                                eval 'cf_says "Eicar" && [ ! -e "$FTP_ROOT/$R/eicar.com" ]'
                        expect "$T: ls lists the uploads" eval 'cf_stdout_has "one\.bin" && cf_stdout_has "b\.txt"'
                        expect "$T: status: TLSv$version, data encrypted" \
                                eval 'cf_stdout_has "Security: TLSv$version" && cf_stdout_has "data encrypted"'
                        ftps_session "cd $R; lcd back; get one.bin; mget *.txt"
                        expect "$T: get and mget: exit 0, the same bytes back" \
                                eval 'cf_rc_is 0 && same_file one.bin back/one.bin && same_file a.txt back/a.txt && same_file b.txt back/b.txt'
                done
        done
        CF_MODE=passive
        cp "$CF_CONF.base" "$CF_CONF"
}

if [ -z "$p_ok" ]; then
        skip "ProFTPD" "$p_why"
elif proftpd_start_tls "$SUITE_DIR/proftpd" "$CERT" "$KEY" >"$SUITE_DIR/proftpd.err" 2>&1; then
        transfers ProFTPD
        ftps_session "ls"
        expect "ProFTPD: TLS session reuse required (mod_tls default) and met: no refusal logged" \
                eval '! grep -qi "did not reuse SSL session" "$SUITE_DIR/proftpd/tls.log"'
        proftpd_stop
else
        expect "ProFTPD started" failed_with "$SUITE_DIR/proftpd.err"
fi

if [ -z "$u_ok" ]; then
        skip "Pure-FTPd" "$u_why"
elif pureftpd_start_tls "$SUITE_DIR/pure-ftpd" "$CERT" "$KEY" >"$SUITE_DIR/pure-ftpd.err" 2>&1; then
        transfers Pure-FTPd
        pureftpd_stop
else
        expect "Pure-FTPd started" failed_with "$SUITE_DIR/pure-ftpd.err"
fi

tap_done
