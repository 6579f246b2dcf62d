#!/bin/bash
# tests/tui/headless-tls.sh — the full-screen interface's TLS face without a terminal
# (CLAMFTP_NO_DISPLAY and key scripts), against a private vsftpd with explicit FTPS and a
# self-signed test certificate:
# - :open shows the certificate dialog (host:port, why, subject, issuer, validity, the SHA-256
#   fingerprint openssl computes); Esc refuses: not connected, the server never saw USER, nothing
#   stored;
# - o trusts it once: logged in, a second :open in the same run does not ask, nothing is written
#   to the trust file, and the next run asks again;
# - t trusts it: logged in, the status bar shows TLS 1.3, the cipher and whose certificate; the
#   trust file holds host:port and the fingerprint; a later :open does not ask; after :close the
#   status bar says not connected, and a new :open shows TLS again;
# - the server restarted on the same port with a new certificate: a warning dialog with both
#   fingerprints and no accept button; not connected, no USER sent, the trust file unchanged;
# - a plain vsftpd with --tls auto: the status bar warns that the password went in clear.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin tui-tls vsftpd-tls home
certs=$dir/certs
suite_start "the second test certificate" tls_test_cert "$certs" second
FP1=$SUITE_FP
FP2=$(tls_fingerprint "$certs/second.pem")
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
        tui_headless "$dir" "${WIDTH:-80}x24" 30 "$dir/$name.keys" "$dir/$name.out" \
                --scanner unix:/nonexistent/scanner.sock "$@"
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
expect ":open shows the certificate dialog with host:port" screen_has ask -F "The certificate of 127.0.0.1:$FTP_PORT does not verify"
expect "it says why: self-signed" screen_has ask -E 'Why: +self-signed'
expect "it shows the subject" screen_has ask -E 'Subject: +(O=clamftp tests,)?CN=clamftp test server'
expect "it shows the issuer (the same: self-signed)" screen_has ask -E 'Issuer: +(O=clamftp tests,)?CN=clamftp test server'
expect "it shows the validity" screen_has ask -E 'Valid from: +[A-Z][a-z]{2} +[0-9]+ '
got=$(fp_lines SHA-256: ask)
expect "it shows the SHA-256 fingerprint openssl computes" eval '[ "$got" = "$FP1" ] || { echo "want $FP1 got $got"; show ask; false; }'
expect "it offers trust and refuse" screen_has ask -E 't +trust it'
width_ok=yes # in characters (mawk's length counts bytes: a message cut with … is 3 more)
while IFS= read -r line; do [ "${#line}" -le 80 ] || width_ok=no; done <"$s/ask"
expect "the dialog fits 80 columns" eval '[ "$width_ok" = yes ] || { show ask; false; }'
expect "Esc refuses: not connected" screen_has refused -E '^ not connected \| idle'
expect "the refusal is said in the message area" screen_has refused -F "was not trusted"
expect "refused: the server never saw USER" eval '! saw_user_after "$before"'
expect "refused: nothing stored in the trust file" [ ! -e "$TRUST" ]

# ---- trust once: this session only, nothing written ----------------------------------------
cat >"$dir/once.keys" <<KEYS
:open 127.0.0.1 $FTP_PORT<Enter>
@dump $s/once-ask
o
$FTP_USER<Enter>
$FTP_PASS<Enter>
@dump $s/once
:close<Enter>
:open 127.0.0.1 $FTP_PORT<Enter>
$FTP_USER<Enter>
$FTP_PASS<Enter>
@dump $s/once-again
<Esc>0
KEYS
WIDTH=120 tui once
expect "the dialog offers to trust once" screen_has once-ask -E 'o +trust it once: for this session only'
expect "trusted once: logged in over TLS" screen_has once -E "^ $FTP_USER@127\.0\.0\.1:$FTP_PORT \| TLS 1\.3 "
expect "trusted once: a second :open in the same session does not ask" screen_lacks once-again -F "does not verify"
expect "trusted once: the second :open logs in" screen_has once-again -E "^ $FTP_USER@127\.0\.0\.1:$FTP_PORT \| TLS 1\.3 "
expect "trusted once: nothing written to the trust file" [ ! -e "$TRUST" ]
cat >"$dir/once-next.keys" <<KEYS
:open 127.0.0.1 $FTP_PORT<Enter>
@dump $s/once-next
<Esc>
<Esc>0
KEYS
tui once-next
expect "trusted once: the next run asks again" screen_has once-next -F "The certificate of 127.0.0.1:$FTP_PORT does not verify"

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
expect "trusted: logged in, the remote pane lists the server" screen_has trusted -E '\|[ >]Remote: /$'
expect "the status bar shows TLS 1.3" screen_has trusted -E "^ $FTP_USER@127\.0\.0\.1:$FTP_PORT \| TLS 1\.3 "
expect "the status bar shows the cipher" screen_has trusted -E '\| TLS 1\.3 (TLS_)?(AES_[0-9]+_GCM|CHACHA20_POLY1305)_SHA[0-9]+'
expect "the status bar says whose certificate and how it is trusted" screen_has trusted -F 'cert clamftp test server (fingerprint)'
expect "the trust file holds host:port and the fingerprint" eval 'grep -qxF "127.0.0.1:$FTP_PORT $FP1" "$TRUST" 2>/dev/null || { cat "$TRUST"; false; }'
expect "after :close the status bar says not connected" screen_has closed -E '^ not connected \| idle'
expect "after :close no TLS on the status bar" screen_lacks closed -F "TLS 1.3"
expect "a second :open does not ask again and logs in" screen_has again -E "^ $FTP_USER@127\.0\.0\.1:$FTP_PORT \| TLS 1\.3 "
expect "no dialog the second time" screen_lacks again -F "does not verify"

# ---- the server comes back with another certificate on the same port -----------------------
vsftpd_stop
sed -i -e "s|^rsa_cert_file=.*|rsa_cert_file=$certs/second.pem|" \
        -e "s|^rsa_private_key_file=.*|rsa_private_key_file=$certs/second.key|" "$dir/ftp/vsftpd.conf"
/usr/sbin/vsftpd "$dir/ftp/vsftpd.conf" >"$dir/ftp/vsftpd2.out" 2>&1 </dev/null &
VSFTPD_PID=$!
wait_until 10 ftp_banner_ok "$FTP_PORT" || tap_diag <"$dir/ftp/vsftpd2.out"
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
expect "a changed certificate: a loud warning" screen_has changed -F "WARNING: THE CERTIFICATE OF 127.0.0.1:$FTP_PORT HAS CHANGED"
got1=$(fp_lines Trusted: changed)
got2=$(fp_lines "Shown now:" changed)
expect "the warning shows both fingerprints" eval '{ [ "$got1" = "$FP1" ] && [ "$got2" = "$FP2" ]; } || { echo "trusted $got1 / now $got2"; show changed; false; }'
expect "the warning has no accept button" screen_lacks changed -E 't +trust'
expect "t does not accept it: the warning stays" screen_has changed-t -F "HAS CHANGED"
expect "closed: not connected" screen_has changed-closed -E '^ not connected \| idle'
expect "changed: the server never saw USER" eval '! saw_user_after "$before"'
expect "the trust file still holds only the first fingerprint" \
        eval 'grep -qxF "127.0.0.1:$FTP_PORT $FP1" "$TRUST" && ! grep -qF "$FP2" "$TRUST"'

# ---- plain FTP -----------------------------------------------------------------------------
vsftpd_stop
suite_start "the plain vsftpd" vsftpd_start "$dir/plain"
cat >"$dir/plain.keys" <<KEYS
:open 127.0.0.1 $FTP_PORT<Enter>
$FTP_USER<Enter>
$FTP_PASS<Enter>
@dump $s/plain
<Esc>0
KEYS
tui plain --tls auto
expect "plain FTP: the status bar warns that the password went in clear" screen_has plain -E "^ $FTP_USER@127\.0\.0\.1:$FTP_PORT \| !! .*password .*in clear"
tap_done
