#!/bin/bash
# tests/integration/commands-ipv6.sh — clamftp over IPv6 against a real vsftpd listening on ::1
# only: `open ::1 PORT`, a URL with the address in brackets, listings in passive (EPSV) and
# active (EPRT |2|) mode, put through the scanner and get byte for byte, an infected file refused;
# and explicit FTPS over ::1, where the certificate is checked against the IP address ::1.
. "$top_srcdir/tests/lib/suite.sh"

FTPD_HOST=::1
suite_begin commands-ipv6 ipv6 scanner vsftpd clamftp:open,put,get,ls
CF_DEADLINE=30

# open on ::1 with the prompts answered
v6_session() {
        CF_INPUT="$FTP_USER
$FTP_PASS
" cf_run "$@"
}

head -c 200000 /dev/urandom >up.bin
eicar >eicar.com
mkdir -p "$FTP_ROOT/listed"
ftp_file down.bin

v6_session -c "open ::1 $FTP_PORT; pwd"
expect "open ::1 PORT: exit 0" cf_rc_is 0
expect "open ::1 PORT: logged in and pwd prints /" cf_stdout_has '(^|[ "])/("|$| )'

CF_INPUT= cf_run -c "pwd" "ftp://$FTP_USER:$FTP_PASS@[::1]:$FTP_PORT/listed/"
expect "URL ftp://user:pass@[::1]:port/dir/: exit 0" cf_rc_is 0
expect "URL with [::1]: starts in /listed" cf_stdout_has '/listed'

for CF_MODE in $CF_MODES; do
        v6_session -c "open ::1 $FTP_PORT; verbose; ls"
        expect "$CF_MODE: ls over IPv6: exit 0" cf_rc_is 0
        expect "$CF_MODE: ls over IPv6 lists the directory" cf_says 'listed'
        if [ "$CF_MODE" = passive ]; then
                expect "passive: the data connection was asked for with EPSV" cf_says 'EPSV'
        else
                expect "active: the server was told an IPv6 address (EPRT |2|::1|…)" cf_says 'EPRT \|2\|::1\|'
        fi

        rm -f "$FTP_ROOT/up.bin"
        v6_session -c "open ::1 $FTP_PORT; put up.bin"
        expect "$CF_MODE: put over IPv6: exit 0" cf_rc_is 0
        expect_file_equal "$CF_MODE: put over IPv6: the server holds the same bytes" up.bin "$FTP_ROOT/up.bin"

        rm -f down.bin
        v6_session -c "open ::1 $FTP_PORT; get down.bin"
        expect "$CF_MODE: get over IPv6: exit 0" cf_rc_is 0
        expect_file_equal "$CF_MODE: get over IPv6: the local copy has the same bytes" "$FTP_ROOT/down.bin" down.bin

        v6_session -c "open ::1 $FTP_PORT; put eicar.com"
        expect "$CF_MODE: an infected file over IPv6: exit status 1" cf_rc_is 1
        expect "$CF_MODE: an infected file over IPv6: not on the server" [ ! -e "$FTP_ROOT/eicar.com" ]
done
CF_MODE=passive

# --- explicit FTPS on ::1: a certificate for IP ::1 verifies; one for 127.0.0.1 only does not
vsftpd_stop
CA=$SUITE_DIR/ca
mkdir -p "$CA"
make_certs() { tls_test_ca "$CA" && tls_test_ca_sign "$CA" v6 "IP:::1" && tls_test_ca_sign "$CA" v4only "IP:127.0.0.1"; }
suite_start "the test certificates" make_certs
export SSL_CERT_FILE=$CA/ca.pem
suite_start "vsftpd with TLS on ::1" vsftpd_start_tls "$SUITE_DIR/ftps" "$CA/v6.pem" "$CA/v6.key"
v6_session --tls=require -c "open ::1 $FTP_PORT; put up.bin; status"
expect "FTPS on ::1, certificate for IP ::1: exit 0" cf_rc_is 0
expect "FTPS on ::1: status shows TLS and a verified certificate" cf_says 'TLSv?1\.[23].*verified'
expect_file_equal "FTPS on ::1: the upload arrived" up.bin "$FTP_ROOT/up.bin"
vsftpd_stop

suite_start "the second vsftpd with TLS on ::1" vsftpd_start_tls "$SUITE_DIR/ftps2" "$CA/v4only.pem" "$CA/v4only.key"
v6_session --tls=require -c "open ::1 $FTP_PORT; pwd"
expect "FTPS on ::1, certificate only for 127.0.0.1: refused (exit 2)" cf_rc_is 2
expect "FTPS on ::1, wrong address in the certificate: the error names the certificate" cf_says 'certificate'
# the server logged the connection, and no USER on it
no_user_sent() { grep -q 'CONNECT' "$FTP_PROTOLOG" && ! grep -q 'USER' "$FTP_PROTOLOG"; }
expect "FTPS on ::1, wrong address: the server saw the connection but no USER" no_user_sent

tap_done
