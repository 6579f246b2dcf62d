#!/bin/bash
# tests/tls/ftps-certificates.sh — certificates that must not verify, against a real vsftpd with
# explicit FTPS and certificates from a private test CA the client trusts (SSL_CERT_FILE), so that
# each refusal has exactly one cause: an expired certificate is refused in line mode with its
# validity in the message (and accepted only by its fingerprint); a certificate for another host
# name or address is refused. In every refusal the server never sees USER.
. "$top_srcdir/tests/lib/suite.sh"

# the private test CA, an expired certificate (valid from 30 days ago until yesterday, for the
# right address) and one for another host name; vsftpd starts with the expired one
make_certs() {
        CERTS=$SUITE_DIR/certs
        mkdir -p "$CERTS" && chmod 0755 "$CERTS" && tls_test_ca "$CERTS" &&
                tls_test_ca_sign "$CERTS" expired IP:127.0.0.1 "$(date -u -d '-30 days' +%Y%m%d000000Z)" \
                        "$(date -u -d '-1 day' +%Y%m%d120000Z)" &&
                tls_test_ca_sign "$CERTS" elsewhere DNS:ftp.example.test || return 1
        SUITE_VSFTPD_CONF=(ssl_enable=YES force_local_logins_ssl=YES force_local_data_ssl=YES require_ssl_reuse=YES
                "rsa_cert_file=$CERTS/expired.pem" "rsa_private_key_file=$CERTS/expired.key"
                log_ftp_protocol=YES xferlog_std_format=NO)
}
suite_begin ftps-certificates tool:openssl=openssl scanner call:make_certs vsftpd clamftp:open,ls,status
EXPIRED_FP=$(tls_fingerprint "$CERTS/expired.pem")
NOT_BEFORE=$(openssl x509 -in "$CERTS/expired.pem" -noout -startdate | cut -d= -f2)
NOT_AFTER=$(openssl x509 -in "$CERTS/expired.pem" -noout -enddate | cut -d= -f2)
CF_DEADLINE=30
export SSL_CERT_FILE=$CERTS/ca.pem
PROTOLOG=$SUITE_DIR/ftp/vsftpd.log
TRUST=$HOME/.local/share/clamftp/trusted-certs
log_size() { stat -c %s "$PROTOLOG" 2>/dev/null || echo 0; }
saw_user_after() { tail -c +"$(( $1 + 1 ))" "$PROTOLOG" 2>/dev/null | grep -q '"USER '; }
ftps_run() { cf_login "$@"; }
# the message shows the dates as they are printed by OpenSSL; spaces may be padded
dates_shown() {
        local re_before=${NOT_BEFORE//  / +} re_after=${NOT_AFTER//  / +}
        cf_says "valid: +${re_before} to ${re_after}"
}

# ---- expired (the CA is trusted: the dates are the only fault) ----
before=$(log_size)
ftps_run 127.0.0.1 "ls"
expect "expired: refused in line mode (exit 2), saying it has expired" \
        eval 'cf_rc_is 2 && cf_says "does not verify \(certificate has expired\)"'
expect "expired: the refusal shows the validity ($NOT_BEFORE to $NOT_AFTER)" dates_shown
expect "expired: the refusal shows subject, issuer and the SHA-256 fingerprint" \
        eval 'cf_says "subject: +CN=clamftp expired" && cf_says "issuer: +CN=clamftp test CA" && cf_says "$EXPIRED_FP"'
expect "expired: the server never saw USER" eval '! saw_user_after $before'
expect "expired: nothing stored in the trust file" [ ! -e "$TRUST" ]

ftps_run 127.0.0.1 "ls; status" --trust-fingerprint "$EXPIRED_FP"
expect "expired: accepted only with its fingerprint given (exit 0)" cf_rc_is 0
expect "expired, accepted: status says it is trusted by its fingerprint, data encrypted" \
        eval 'cf_stdout_has "CN=clamftp expired \(trusted by its SHA-256 fingerprint\); data encrypted"'
rm -f "$TRUST"

# ---- a certificate for another name ----
vsftpd_stop
suite_start "the second vsftpd" vsftpd_start "$SUITE_DIR/ftp2" ssl_enable=YES force_local_logins_ssl=YES \
        force_local_data_ssl=YES require_ssl_reuse=YES "rsa_cert_file=$CERTS/elsewhere.pem" \
        "rsa_private_key_file=$CERTS/elsewhere.key" log_ftp_protocol=YES xferlog_std_format=NO
PROTOLOG=$SUITE_DIR/ftp2/vsftpd.log
before=$(log_size)
ftps_run localhost "ls"
expect "wrong host name (localhost, certificate for ftp.example.test): refused (exit 2)" \
        eval 'cf_rc_is 2 && cf_says "does not verify \(hostname mismatch\)" && cf_says "subject: +CN=clamftp elsewhere"'
expect "wrong host name: the server never saw USER" eval '! saw_user_after $before'
before=$(log_size)
ftps_run 127.0.0.1 "ls"
expect "wrong address (127.0.0.1, certificate for ftp.example.test): refused (exit 2)" \
        eval 'cf_rc_is 2 && cf_says "does not verify \(IP address mismatch\)"'
expect "wrong address: the server never saw USER" eval '! saw_user_after $before'
expect "nothing stored in the trust file" [ ! -e "$TRUST" ]

tap_done
