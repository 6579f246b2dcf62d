#!/bin/bash
# tests/tls/ftps-vsftpd.sh — explicit FTPS end to end against a real vsftpd as strict as FileZilla
# Server (TLS forced for logins and data, require_ssl_reuse=YES) with its own self-signed test
# certificate, and a real clamd: put, get, mput, mget, ls, in passive and active mode, over TLS 1.3
# and TLS 1.2; the certificate refused in line mode, accepted with --trust-fingerprint and then
# remembered, a changed certificate refused loudly; --tls=require against a plain vsftpd sends no
# USER; --tls=off never sends AUTH.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin ftps-vsftpd scanner vsftpd-tls clamftp:open,put,get,mput,mget,ls,status
CF_DEADLINE=40
FP=$SUITE_FP
PROTOLOG=$FTP_PROTOLOG
TRUST=$HOME/.local/share/clamftp/trusted-certs
ftps_session() { cf_login 127.0.0.1 "$@"; }
saw_user_after() { tail -c +"$(( $1 + 1 ))" "$PROTOLOG" 2>/dev/null | grep -q '"USER '; }
log_size() { stat -c %s "$PROTOLOG" 2>/dev/null || echo 0; }

# ---- the certificate: refused, accepted by fingerprint, remembered, a change refused ----
before=$(log_size)
ftps_session "ls"
expect "self-signed: refused in line mode (exit 2)" cf_rc_is 2
expect "self-signed: the refusal names subject, issuer, validity and the SHA-256 fingerprint" \
        eval 'cf_says "does not verify" && cf_says "subject: .*CN=clamftp test server" && cf_says "issuer:" && cf_says "valid:" && cf_says "$FP"'
expect "self-signed: the server never saw USER" eval '! saw_user_after $before'
expect "self-signed: nothing stored in the trust file" [ ! -e "$TRUST" ]

ftps_session "ls" --trust-fingerprint "$FP"
expect "--trust-fingerprint: connected and listed (exit 0)" cf_rc_is 0
expect "--trust-fingerprint: the choice is stored in the trust file" grep -q "127.0.0.1:$FTP_PORT $FP" "$TRUST"

ftps_session "status"
expect "stored fingerprint: the next run connects without the option" cf_rc_is 0
expect "status: TLS version, cipher and the certificate's subject" \
        eval 'cf_stdout_has "Security: TLSv1\.3, TLS_[A-Z0-9_]+; certificate [^;]*CN=clamftp test server" && cf_stdout_has "data encrypted"'
expect "status: the TLS policy" cf_stdout_has "TLS policy: auto"

cp "$TRUST" "$SUITE_DIR/trust.saved"
sed -i "s/ $FP/ 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF/" "$TRUST"
before=$(log_size)
ftps_session "ls"
expect "changed certificate: refused (exit 2) with a loud warning" \
        eval 'cf_rc_is 2 && cf_says "WARNING: THE CERTIFICATE OF 127.0.0.1:$FTP_PORT HAS CHANGED" && cf_says "$FP"'
expect "changed certificate: the server never saw USER" eval '! saw_user_after $before'
cp "$SUITE_DIR/trust.saved" "$TRUST"

# ---- transfers, scanned, over TLS 1.3 and 1.2, passive and active ----
head -c 700000 /dev/urandom >one.bin
printf 'alpha\n' >a.txt
printf 'beta\n' >b.txt
eicar >eicar.com
for version in 1.3 1.2; do
        [ -e "$CF_CONF.base" ] || cp "$CF_CONF" "$CF_CONF.base"
        { cat "$CF_CONF.base"; echo "tls-max-version=$version"; } >"$CF_CONF"
        for CF_MODE in $CF_MODES; do
                R=t$version-$CF_MODE
                T="TLS $version, $CF_MODE"
                mkdir -p "$FTP_ROOT/$R" && ftp_own
                rm -rf back && mkdir back
                ftps_session "cd $R; put one.bin; put eicar.com; mput *.txt; ls; status"
                expect "$T: put, mput and ls: exit 1 (only EICAR refused)" cf_rc_is 1
                expect_file_equal "$T: put: the server holds the same bytes" one.bin "$FTP_ROOT/$R/one.bin"
                expect "$T: mput *.txt: both files arrived" \
                        eval 'same_file a.txt "$FTP_ROOT/$R/a.txt" && same_file b.txt "$FTP_ROOT/$R/b.txt"'
                expect "$T: the scanner refused EICAR and it was not uploaded" \
                        eval 'cf_says "Eicar" && [ ! -e "$FTP_ROOT/$R/eicar.com" ]'
                expect "$T: ls lists the uploads" eval 'cf_stdout_has "one\.bin" && cf_stdout_has "a\.txt"'
                expect "$T: status says TLSv$version with the data encrypted" \
                        eval 'cf_stdout_has "Security: TLSv$version" && cf_stdout_has "data encrypted"'
                ftps_session "cd $R; lcd back; get one.bin; mget *.txt" 
                expect "$T: get and mget: exit 0" cf_rc_is 0
                expect_file_equal "$T: get: the same bytes came back" one.bin back/one.bin
                expect "$T: mget *.txt: both files came back" \
                        eval 'same_file a.txt back/a.txt && same_file b.txt back/b.txt'
        done
done
CF_MODE=passive
cp "$CF_CONF.base" "$CF_CONF"

# ---- policy: --tls=off never sends AUTH; the strict server then refuses the login ----
before=$(log_size)
ftps_session "ls" --tls=off
expect "--tls=off: no AUTH TLS sent, and vsftpd refuses the plain login (exit 2)" \
        eval 'cf_rc_is 2 && ! tail -c +$((before + 1)) "$PROTOLOG" | grep -q "\"AUTH"'

# ---- --tls=require against a plain server: nothing after AUTH ----
vsftpd_stop
suite_start "the plain vsftpd" vsftpd_start "$SUITE_DIR/plain" log_ftp_protocol=YES xferlog_std_format=NO
PROTOLOG=$SUITE_DIR/plain/vsftpd.log
ftps_session "ls" --tls=require
expect "--tls=require against a plain server: refused (exit 2), saying TLS is required" \
        eval 'cf_rc_is 2 && cf_says "TLS is required"'
expect "--tls=require against a plain server: AUTH TLS was asked" grep -q '"AUTH TLS"' "$PROTOLOG"
expect "--tls=require against a plain server: USER never sent" eval '! grep -q "\"USER" "$PROTOLOG"'
ftps_session "ls; status"
expect "--tls=auto against a plain server: goes on in plain FTP (exit 0)" cf_rc_is 0
expect "plain FTP: status says the password went in clear" cf_stdout_has "Security: plain FTP: the password was sent in clear"

tap_done
