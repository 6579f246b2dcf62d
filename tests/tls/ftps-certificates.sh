#!/bin/bash
# tests/tls/ftps-certificates.sh — certificates that must not verify, against a real vsftpd with
# explicit FTPS and certificates from a private test CA the client trusts (SSL_CERT_FILE), so that
# each refusal has exactly one cause: an expired certificate is refused in line mode with its
# validity in the message (and accepted only by its fingerprint); a certificate for another host
# name or address is refused. In every refusal the server never sees USER.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/ftpd.sh"
. "$top_srcdir/tests/lib/clamd.sh"
. "$top_srcdir/tests/lib/agent.sh"
. "$top_srcdir/tests/lib/clamftp.sh"

command -v openssl >/dev/null || tap_skip_all "openssl is not installed (package openssl)"
CERTS=$(mktemp -d)
chmod 0755 "$CERTS"
tls_test_ca "$CERTS" || tap_skip_all "openssl could not make the test CA"
# expired: valid from 30 days ago until yesterday, for the right address
tls_test_ca_sign "$CERTS" expired IP:127.0.0.1 "$(date -u -d '-30 days' +%Y%m%d000000Z)" \
        "$(date -u -d '-1 day' +%Y%m%d120000Z)" || tap_skip_all "openssl could not sign the expired certificate"
tls_test_ca_sign "$CERTS" elsewhere DNS:ftp.example.test || tap_skip_all "openssl could not sign the test certificate"
EXPIRED_FP=$(tls_fingerprint "$CERTS/expired.pem")
NOT_BEFORE=$(openssl x509 -in "$CERTS/expired.pem" -noout -startdate | cut -d= -f2)
NOT_AFTER=$(openssl x509 -in "$CERTS/expired.pem" -noout -enddate | cut -d= -f2)
CF_VSFTPD_CONF=(ssl_enable=YES force_local_logins_ssl=YES force_local_data_ssl=YES require_ssl_reuse=YES
        "rsa_cert_file=$CERTS/expired.pem" "rsa_private_key_file=$CERTS/expired.key"
        log_ftp_protocol=YES xferlog_std_format=NO)
cf_suite_begin open ls status
trap 'cf_suite_end; rm -rf "$CERTS"' EXIT
CF_DEADLINE=30
export SSL_CERT_FILE=$CERTS/ca.pem
PROTOLOG=$CF_DIR/ftp/vsftpd.log
TRUST=$HOME/.local/share/clamftp/trusted-certs
log_size() { stat -c %s "$PROTOLOG" 2>/dev/null || echo 0; }
saw_user_after() { tail -c +"$(( $1 + 1 ))" "$PROTOLOG" 2>/dev/null | grep -q '"USER '; }
# ftps_run HOST 'CMDS' [OPTION…]: one line-mode run that logs in to HOST with the test account.
ftps_run() {
        local host=$1 cmds=$2
        shift 2
        CF_INPUT="$FTP_USER
$FTP_PASS
"
        cf_run -n "$@" -c "open $host $FTP_PORT; $cmds"
        CF_INPUT=
}
# the message shows the dates as they are printed by OpenSSL; spaces may be padded
dates_shown() {
        local re_before=${NOT_BEFORE//  / +} re_after=${NOT_AFTER//  / +}
        cf_says "valid: +${re_before} to ${re_after}"
}

# ---- expired (the CA is trusted: the dates are the only fault) ----
before=$(log_size)
ftps_run 127.0.0.1 "ls"
cf_expect "expired: refused in line mode (exit 2), saying it has expired" \
        eval 'cf_rc_is 2 && cf_says "does not verify \(certificate has expired\)"'
cf_expect "expired: the refusal shows the validity ($NOT_BEFORE to $NOT_AFTER)" dates_shown
cf_expect "expired: the refusal shows subject, issuer and the SHA-256 fingerprint" \
        eval 'cf_says "subject: +CN=clamftp expired" && cf_says "issuer: +CN=clamftp test CA" && cf_says "$EXPIRED_FP"'
cf_expect "expired: the server never saw USER" eval '! saw_user_after $before'
cf_expect "expired: nothing stored in the trust file" [ ! -e "$TRUST" ]

ftps_run 127.0.0.1 "ls; status" --trust-fingerprint "$EXPIRED_FP"
cf_expect "expired: accepted only with its fingerprint given (exit 0)" cf_rc_is 0
cf_expect "expired, accepted: status says it is trusted by its fingerprint, data encrypted" \
        eval 'cf_stdout_has "CN=clamftp expired \(trusted by its SHA-256 fingerprint\); data encrypted"'
rm -f "$TRUST"

# ---- a certificate for another name ----
vsftpd_stop
vsftpd_start "$CF_DIR/ftp2" ssl_enable=YES force_local_logins_ssl=YES force_local_data_ssl=YES \
        require_ssl_reuse=YES "rsa_cert_file=$CERTS/elsewhere.pem" "rsa_private_key_file=$CERTS/elsewhere.key" \
        log_ftp_protocol=YES xferlog_std_format=NO >"$CF_DIR/ftp2-start.err" 2>&1 || {
        echo "Bail out! the second vsftpd did not start: $(tail -n 3 "$CF_DIR/ftp2-start.err" | tr '\n' ' ')"
        exit 1
}
PROTOLOG=$CF_DIR/ftp2/vsftpd.log
before=$(log_size)
ftps_run localhost "ls"
cf_expect "wrong host name (localhost, certificate for ftp.example.test): refused (exit 2)" \
        eval 'cf_rc_is 2 && cf_says "does not verify \(hostname mismatch\)" && cf_says "subject: +CN=clamftp elsewhere"'
cf_expect "wrong host name: the server never saw USER" eval '! saw_user_after $before'
before=$(log_size)
ftps_run 127.0.0.1 "ls"
cf_expect "wrong address (127.0.0.1, certificate for ftp.example.test): refused (exit 2)" \
        eval 'cf_rc_is 2 && cf_says "does not verify \(IP address mismatch\)"'
cf_expect "wrong address: the server never saw USER" eval '! saw_user_after $before'
cf_expect "nothing stored in the trust file" [ ! -e "$TRUST" ]

tap_done
