#!/bin/bash
# tests/tui/headless-tls.sh — the full-screen interface's TLS face without a terminal
# (CLAMFTP_NO_DISPLAY and key scripts), against a private vsftpd with explicit FTPS and a
# self-signed test certificate:
# - :open shows the certificate dialog (host:port, why, subject, issuer, validity, the SHA-256
#   fingerprint openssl computes); Esc refuses: not connected, the server never saw USER, nothing
#   stored;
# - t trusts it: logged in, the status bar shows TLS 1.3, the cipher and whose certificate; the
#   trust file holds host:port and the fingerprint; a later :open does not ask; after :close the
#   status bar says not connected, and a new :open shows TLS again;
# - the server restarted on the same port with a new certificate: a warning dialog with both
#   fingerprints and no accept button; not connected, no USER sent, the trust file unchanged;
# - a plain vsftpd with --tls auto: the status bar warns that the password went in clear.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/ftpd.sh"
. "$top_srcdir/tests/lib/clamftp.sh"
. "$top_srcdir/tests/lib/tui.sh"

command -v openssl >/dev/null || tap_skip_all "openssl is not installed (package openssl)"
reason=$(vsftpd_available) || tap_skip_all "$reason"

dir=$(mktemp -d "${TMPDIR:-/tmp}/clamftp-tui-tls.XXXXXX")
chmod 0755 "$dir"
trap 'vsftpd_stop; rm -rf "$dir"' EXIT
clamftp_env "$dir" || tap_skip_all "cannot make a private HOME"
certs=$dir/certs
mkdir -p "$certs" && chmod 0755 "$certs"
tls_test_cert "$certs" first && tls_test_cert "$certs" second || tap_skip_all "openssl could not make the test certificates"
FP1=$(tls_fingerprint "$certs/first.pem")
FP2=$(tls_fingerprint "$certs/second.pem")
vsftpd_start_tls "$dir/ftpd" "$certs/first.pem" "$certs/first.key" >"$dir/ftpd.err" 2>&1 ||
        { tap_diag <"$dir/ftpd.err"; tap_skip_all "vsftpd with TLS did not start"; }
TRUST=$HOME/.local/share/clamftp/trusted-certs
s=$dir/screens
mkdir -p "$s"
export TZ=UTC LC_ALL=C.UTF-8

log_size() { stat -c %s "$FTP_PROTOLOG" 2>/dev/null || echo 0; }
saw_user_after() { tail -c +"$(( $1 + 1 ))" "$FTP_PROTOLOG" 2>/dev/null | grep -q '"USER '; }
# tui NAME [OPTION…]: runs the key script $dir/NAME.keys headlessly at 80x24 (or $WIDTH columns)
tui() {
        local name=$1
        shift
        (cd "$dir" && CLAMFTP_NO_DISPLAY=1 CLAMFTP_SCRIPT=$dir/$name.keys COLUMNS=${WIDTH:-80} LINES=24 \
                timeout -k 5 30 "$(clamftp_bin)" --scanner unix:/nonexistent/scanner.sock "$@" \
                >"$dir/$name.out" 2>&1)
}
fp_lines() { # LABEL SCREEN: the fingerprint after LABEL (two lines)
        grep -A1 -F "$1" "$s/$2" | sed -e 's/^ *| *//' -e 's/ *|$//' -e "s/^$1 *//" | tr -d ' ' | paste -sd:
}

# ---- refuse ------------------------------------------------------------------------------
cat >"$dir/refuse.keys" <<KEYS
:open 127.0.0.1 $FTP_PORT<Enter>
@dump $s/ask
<Esc>
@dump $s/refused
<Esc>0
KEYS
before=$(log_size)
tui refuse
expect ask ":open shows the certificate dialog with host:port" -F "The certificate of 127.0.0.1:$FTP_PORT does not verify"
expect ask "it says why: self-signed" -E 'Why: +self-signed'
expect ask "it shows the subject" -E 'Subject: +(O=clamftp tests,)?CN=clamftp test server'
expect ask "it shows the issuer (the same: self-signed)" -E 'Issuer: +(O=clamftp tests,)?CN=clamftp test server'
expect ask "it shows the validity" -E 'Valid from: +[A-Z][a-z]{2} +[0-9]+ '
got=$(fp_lines SHA-256: ask)
if [ "$got" = "$FP1" ]; then tap_ok "it shows the SHA-256 fingerprint openssl computes"; else
        tap_not_ok "it shows the SHA-256 fingerprint openssl computes"; echo "want $FP1 got $got" | tap_diag; show ask; fi
expect ask "it offers trust and refuse" -E 't +trust it'
width_ok=$(awk 'length($0) > 80 { bad = 1 } END { print bad ? "no" : "yes" }' "$s/ask")
[ "$width_ok" = yes ] && tap_ok "the dialog fits 80 columns" || tap_not_ok "the dialog fits 80 columns"
expect refused "Esc refuses: not connected" -E '^ not connected \| idle'
expect refused "the refusal is said in the message area" -F "was not trusted"
if ! saw_user_after "$before"; then tap_ok "refused: the server never saw USER"; else tap_not_ok "refused: the server never saw USER"; fi
[ ! -e "$TRUST" ] && tap_ok "refused: nothing stored in the trust file" || tap_not_ok "refused: nothing stored in the trust file"

# ---- trust, then a second open that does not ask, close and open again ---------------------
cat >"$dir/trust.keys" <<KEYS
:open 127.0.0.1 $FTP_PORT<Enter>
t
$FTP_USER<Enter>
$FTP_PASS<Enter>
@dump $s/trusted
:close<Enter>
@dump $s/closed
:open 127.0.0.1 $FTP_PORT<Enter>
$FTP_USER<Enter>
$FTP_PASS<Enter>
@dump $s/again
<Esc>0
KEYS
# 120 columns: room for the whole summary (at 80 the certificate's name gives way; unit tested)
WIDTH=120 tui trust
expect trusted "trusted: logged in, the remote pane lists the server" -E '\|[ >]Remote: /$'
expect trusted "the status bar shows TLS 1.3" -E "^ $FTP_USER@127\.0\.0\.1:$FTP_PORT \| TLS 1\.3 "
expect trusted "the status bar shows the cipher" -E '\| TLS 1\.3 (TLS_)?(AES_[0-9]+_GCM|CHACHA20_POLY1305)_SHA[0-9]+'
expect trusted "the status bar says whose certificate and how it is trusted" -F 'cert clamftp test server (fingerprint)'
if grep -qxF "127.0.0.1:$FTP_PORT $FP1" "$TRUST" 2>/dev/null; then tap_ok "the trust file holds host:port and the fingerprint"; else
        tap_not_ok "the trust file holds host:port and the fingerprint"; tap_diag <"$TRUST"; fi
expect closed "after :close the status bar says not connected" -E '^ not connected \| idle'
expect_not closed "after :close no TLS on the status bar" -F "TLS 1.3"
expect again "a second :open does not ask again and logs in" -E "^ $FTP_USER@127\.0\.0\.1:$FTP_PORT \| TLS 1\.3 "
expect_not again "no dialog the second time" -F "does not verify"

# ---- the server comes back with another certificate on the same port -----------------------
vsftpd_stop
sed -i -e "s|^rsa_cert_file=.*|rsa_cert_file=$certs/second.pem|" \
        -e "s|^rsa_private_key_file=.*|rsa_private_key_file=$certs/second.key|" "$dir/ftpd/vsftpd.conf"
/usr/sbin/vsftpd "$dir/ftpd/vsftpd.conf" >"$dir/ftpd/vsftpd2.out" 2>&1 </dev/null &
VSFTPD_PID=$!
wait_until 10 ftp_banner_ok "$FTP_PORT" || tap_diag <"$dir/ftpd/vsftpd2.out"
cat >"$dir/changed.keys" <<KEYS
:open 127.0.0.1 $FTP_PORT<Enter>
@dump $s/changed
t
@dump $s/changed-t
<Enter>
@dump $s/changed-closed
<Esc>0
KEYS
before=$(log_size)
tui changed
expect changed "a changed certificate: a loud warning" -F "WARNING: THE CERTIFICATE OF 127.0.0.1:$FTP_PORT HAS CHANGED"
got1=$(fp_lines Trusted: changed)
got2=$(fp_lines "Shown now:" changed)
if [ "$got1" = "$FP1" ] && [ "$got2" = "$FP2" ]; then tap_ok "the warning shows both fingerprints"; else
        tap_not_ok "the warning shows both fingerprints"; echo "trusted $got1 / now $got2" | tap_diag; show changed; fi
expect_not changed "the warning has no accept button" -E 't +trust'
expect changed-t "t does not accept it: the warning stays" -F "HAS CHANGED"
expect changed-closed "closed: not connected" -E '^ not connected \| idle'
if ! saw_user_after "$before"; then tap_ok "changed: the server never saw USER"; else tap_not_ok "changed: the server never saw USER"; fi
if grep -qxF "127.0.0.1:$FTP_PORT $FP1" "$TRUST" && ! grep -qF "$FP2" "$TRUST"; then
        tap_ok "the trust file still holds only the first fingerprint"; else tap_not_ok "the trust file still holds only the first fingerprint"; fi

# ---- plain FTP -----------------------------------------------------------------------------
vsftpd_stop
vsftpd_start "$dir/plain" >"$dir/plain.err" 2>&1 || { tap_diag <"$dir/plain.err"; tap_skip_all "plain vsftpd did not start"; }
cat >"$dir/plain.keys" <<KEYS
:open 127.0.0.1 $FTP_PORT<Enter>
$FTP_USER<Enter>
$FTP_PASS<Enter>
@dump $s/plain
<Esc>0
KEYS
tui plain --tls auto
expect plain "plain FTP: the status bar warns that the password went in clear" -E "^ $FTP_USER@127\.0\.0\.1:$FTP_PORT \| !! .*password .*in clear"
tap_done
