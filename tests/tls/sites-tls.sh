#!/bin/bash
# tests/tls/sites-tls.sh — a saved site's TLS policy and pinned certificate against a real vsftpd
# with FTPS forced and a self-signed certificate: the site's fingerprint alone lets it in (no trust
# file, no --trust-fingerprint); a site pinned to another certificate is refused loudly before
# USER; a certificate trusted while a site is opened (--trust-fingerprint) is offered to the site,
# and kept there on a yes; a site's --tls=off is the policy in force when it is opened; a
# --trust-fingerprint that is not the server's never replaces the trusted one in the trust file.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin sites-tls vsftpd-tls clamftp:open,site
CF_DEADLINE=30
SERVER="127.0.0.1:$FTP_PORT"
SITES=$XDG_CONFIG_HOME/clamftp/sites.conf
TRUST=$HOME/.local/share/clamftp/trusted-certs
OTHER_FP=$(printf '%064d' 0 | sed 's/../&:/g; s/:$//')
unset DBUS_SESSION_BUS_ADDRESS DISPLAY # the password is asked: this suite is about certificates
log_size() { stat -c %s "$FTP_PROTOLOG" 2>/dev/null || echo 0; }
saw_user_after() { tail -c +"$(($1 + 1))" "$FTP_PROTOLOG" 2>/dev/null | grep -q '"USER '; }

CF_INPUT= cf_run -c "site add pinned ftp://$FTP_USER@$SERVER/ --tls=require --fingerprint $SUITE_FP --no-password"
expect "site add with --fingerprint: exit 0" cf_rc_is 0
rm -f "$TRUST"
CF_INPUT="$FTP_PASS
" cf_run -c "open pinned; pwd; status"
expect "the site's pinned fingerprint lets its self-signed certificate in" cf_rc_is 0
expect "and the connection is encrypted" cf_says 'TLS'
expect "the trust file was not needed (nothing written there)" eval '[ ! -e "$TRUST" ]'

CF_INPUT= cf_run -c "site add wrong ftp://$FTP_USER@$SERVER/ --tls=require --fingerprint $OTHER_FP --no-password"
before=$(log_size)
CF_INPUT="$FTP_PASS
" cf_run -c "open wrong; pwd"
expect "a site pinned to another certificate: refused (exit 2)" cf_rc_is 2
expect "the refusal is the loud one (the certificate changed)" cf_says 'HAS CHANGED'
expect "the server never saw USER" eval '! saw_user_after "$before"'

CF_INPUT= cf_run -c "site add later ftp://$FTP_USER@$SERVER/ --tls=require --no-password"
CF_INPUT="$FTP_PASS
y
" cf_run --trust-fingerprint "$SUITE_FP" -c "open later; pwd"
expect "--trust-fingerprint while a site opens: exit 0" cf_rc_is 0
expect "it offers to keep the certificate in the site" cf_says 'Keep this certificate .* in site later'
expect "on a yes the site holds the fingerprint" \
        eval 'sed -n "/^\[site later\]/,/^\[/p" "$SITES" | grep -qi "^fingerprint=$SUITE_FP"'
rm -f "$TRUST"
CF_INPUT="$FTP_PASS
" cf_run -c "open later; pwd"
expect "from then on the site opens by its own pin (no trust file, no option)" cf_rc_is 0

# the trust file holds the server's certificate and --trust-fingerprint names another one: the
# connection goes in by the trust file, and the wrong fingerprint is not stored over the right one
printf '127.0.0.1:%s %s\n' "$FTP_PORT" "$SUITE_FP" >"$TRUST"
CF_INPUT="$FTP_USER
$FTP_PASS
" cf_run --trust-fingerprint "$OTHER_FP" -c "open 127.0.0.1 $FTP_PORT; pwd"
expect "a fingerprint that is not the server's is not written over the trusted one" \
        eval 'cf_rc_is 0 && grep -q "$SUITE_FP" "$TRUST" && ! grep -q "$OTHER_FP" "$TRUST"'

CF_INPUT= cf_run -c "site add plain ftp://$FTP_USER@$SERVER/ --tls=off --no-password"
before=$(log_size)
CF_INPUT="$FTP_PASS
" cf_run -c "open plain; pwd"
expect "a site's --tls=off is in force: vsftpd refuses the login in clear (exit 2)" cf_rc_is 2
expect "the login went in clear (no AUTH TLS)" eval '! tail -c +"$((before + 1))" "$FTP_PROTOLOG" | grep -q "AUTH TLS"'

tap_done
