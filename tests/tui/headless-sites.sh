#!/bin/bash
# tests/tui/headless-sites.sh — the site manager (Ctrl-\) in the full screen without a terminal
# (CLAMFTP_NO_DISPLAY key script, screens dumped as text) against a private vsftpd, with no
# keyring (no D-Bus session: the password is asked in a dialog).
# Pins: F1 lists Ctrl-\; the dialog lists the saved sites with their URLs and settings; Enter
# connects to the one under the cursor (its remote directory in the right pane); a saves the
# current connection under the name typed (in sites.conf, in the list); d asks, and y removes
# it (from the file and the list), n keeps it; e puts `site edit` with the site on the command
# line; the password is in no file under the XDG directories.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin headless-sites vsftpd clamftp:open,site
export TZ=UTC LC_ALL=C.UTF-8
unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY
export XDG_RUNTIME_DIR=$SUITE_DIR/run XDG_DATA_HOME=$CF_HOME/.local/share
mkdir -p -m 0700 "$XDG_RUNTIME_DIR"
mkdir -p "$XDG_DATA_HOME"
work=$CF_LOCAL
SITES=$XDG_CONFIG_HOME/clamftp/sites.conf
mkdir -p "$FTP_ROOT/incoming"
echo hello >"$FTP_ROOT/incoming/marker-file.txt"
ftp_own

CF_INPUT= cf_run -c "site add alpha ftp://$FTP_USER@127.0.0.1:$FTP_PORT/incoming --no-password; site add 'beta site' ftp://$FTP_USER@127.0.0.1:$FTP_PORT/ --active --no-password"
expect "the two sites are saved in line mode first" cf_rc_is 0

s=$SUITE_DIR/screens
mkdir -p "$s"
cat >"$SUITE_DIR/script1" <<SCRIPT
<F1>
<PageDown>
@dump $s/help
<Esc>
<C-\\>
@dump $s/list
<Down>
@dump $s/second
<Up>
<Enter>
$FTP_PASS<Enter>
@dump $s/connected
<C-\\>
a
<C-u>saved here<Enter>
@dump $s/added
<Esc>
<F10>
SCRIPT
tui_headless "$work" 100x30 60 "$SUITE_DIR/script1" "$SUITE_DIR/out1" --scanner unix:/nonexistent
expect "the first session ends on F10 with status 0" tui_exited 0
saved=$(cat "$SITES")

cat >"$SUITE_DIR/script2" <<SCRIPT
<C-\\>
<End>
d
@dump $s/confirm
n
@dump $s/kept
d
y
@dump $s/deleted
<Home>
e
@dump $s/edit
<Esc>
<F10>
SCRIPT
tui_headless "$work" 100x30 60 "$SUITE_DIR/script2" "$SUITE_DIR/out2" --scanner unix:/nonexistent
expect "the second session ends on F10 with status 0" tui_exited 0

expect "F1 lists Ctrl-\\ for the site manager" screen_has help -E '<C-\\>  +sites +Open the site manager'
expect "the dialog has its title and lists both sites with their URLs" \
        eval 'screen_has list -F "Sites (" && screen_has list -F "alpha  ftp://$FTP_USER@127.0.0.1:$FTP_PORT/incoming" &&
              screen_has list -F "beta site  ftp://$FTP_USER@127.0.0.1:$FTP_PORT/  (active)"'
expect "the dialog says its keys" screen_has list -F "a: add the current connection"
expect "Enter connected to the site under the cursor: its directory in the right pane" \
        screen_has connected -F "marker-file.txt"
expect "the status bar shows the login" screen_has connected -F "$FTP_USER@127.0.0.1:$FTP_PORT"
expect "a saved the connection under the name typed (in sites.conf)" \
        eval 'grep -q "^\[site saved here\]" <<<"$saved" && sed -n "/^\[site saved here\]/,/^\[/p" <<<"$saved" | grep -q "^remote-dir=/incoming"'
expect "a: the list shows the new site" screen_has added -F "saved here  ftp://"
expect "d asks first" screen_has confirm -F "Delete site saved here"
expect "n keeps it" screen_has kept -F "saved here  ftp://"
expect "d then y removes it from the file" eval '! grep -q "saved here" "$SITES"'
expect "d then y removes it from the list" screen_lacks deleted -F "saved here  ftp://"
expect "the other sites stay" eval 'grep -q "^\[site alpha\]" "$SITES" && grep -q "^\[site beta site\]" "$SITES"'
expect "e puts site edit with the site on the command line" screen_has edit -F ":site edit 'alpha' 'ftp://$FTP_USER@127.0.0.1:$FTP_PORT/incoming'"
expect "the password is in no file under the XDG directories" \
        eval '! grep -rqF -- "$FTP_PASS" "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$XDG_DATA_HOME"'

tap_done
