#!/bin/bash
# tests/tls/ftps-implicit.sh — implicit FTPS (ftps:// URLs: TLS before the greeting, then PBSZ 0
# and PROT P) against a real vsftpd with implicit_ssl=YES and a certificate from a private test CA
# that the client trusts through SSL_CERT_FILE (the system roots' mechanism): the certificate
# verifies without any fingerprint; the same certificate under another host name is refused.
. "$top_srcdir/tests/lib/suite.sh"

# a private test CA (the client trusts it through SSL_CERT_FILE) and the server's certificate
make_ca_signed() {
        CERTS=$SUITE_DIR/certs
        mkdir -p "$CERTS" && chmod 0755 "$CERTS" || return 1
        openssl req -x509 -newkey rsa:2048 -nodes -keyout "$CERTS/ca.key" -out "$CERTS/ca.pem" -days 2 \
                -subj "/CN=clamftp test CA" >/dev/null 2>&1 &&
        openssl req -newkey rsa:2048 -nodes -keyout "$CERTS/server.key" -out "$CERTS/server.csr" \
                -subj "/CN=clamftp implicit test server" >/dev/null 2>&1 &&
        printf 'subjectAltName=IP:127.0.0.1\n' >"$CERTS/ext" &&
        openssl x509 -req -in "$CERTS/server.csr" -CA "$CERTS/ca.pem" -CAkey "$CERTS/ca.key" \
                -CAcreateserial -out "$CERTS/server.pem" -days 2 -extfile "$CERTS/ext" >/dev/null 2>&1 &&
        chmod 0644 "$CERTS"/*.pem "$CERTS"/*.key &&
        SUITE_VSFTPD_CONF=(ssl_enable=YES implicit_ssl=YES force_local_logins_ssl=YES force_local_data_ssl=YES
                require_ssl_reuse=YES "rsa_cert_file=$CERTS/server.pem" "rsa_private_key_file=$CERTS/server.key")
}
export VSFTPD_BANNER_TLS=tls
suite_begin ftps-implicit tool:openssl=openssl scanner call:make_ca_signed vsftpd clamftp:open,put,get,ls,status
CF_DEADLINE=30
export SSL_CERT_FILE=$CERTS/ca.pem
head -c 300000 /dev/urandom >up.bin

for CF_MODE in $CF_MODES; do
        rm -f down.bin
        cf_run -n "ftps://$FTP_USER:$FTP_PASS@127.0.0.1:$FTP_PORT/" -c "put up.bin $CF_MODE.bin; get $CF_MODE.bin down.bin; ls; status"
        expect "$CF_MODE: ftps:// URL: put, get, ls: exit 0" cf_rc_is 0
        expect_file_equal "$CF_MODE: put arrived byte for byte" up.bin "$FTP_ROOT/$CF_MODE.bin"
        expect_file_equal "$CF_MODE: get came back byte for byte" up.bin down.bin
        expect "$CF_MODE: status: the certificate verified (CA in SSL_CERT_FILE), data encrypted" \
                eval 'cf_stdout_has "certificate CN=clamftp implicit test server \(verified\); data encrypted"'
done
CF_MODE=passive
expect "nothing was stored in the trust file for a verified certificate" \
        [ ! -e "$HOME/.local/share/clamftp/trusted-certs" ]

cf_run -n "ftps://$FTP_USER:$FTP_PASS@localhost:$FTP_PORT/" -c "ls"
expect "wrong host name (localhost for a 127.0.0.1 certificate): refused, exit 2" \
        eval 'cf_rc_is 2 && cf_says "does not verify \(hostname mismatch\)"'

unset SSL_CERT_FILE
cf_run -n "ftp://$FTP_USER:$FTP_PASS@127.0.0.1:$FTP_PORT/" -c "ls"
expect "ftp:// (explicit) to an implicit-TLS port fails within the deadline with a TLS hint" \
        eval '[ "$CF_RC" -eq 2 ] && cf_says "TLS|time"'

tap_done
