#!/bin/bash
# tests/integration/commands-sites.sh — saved sites in line mode against a real vsftpd: site add,
# open NAME, site list, site edit, site rm; with no D-Bus session at all (the password asked on
# stdin, a password given in a URL not kept) and with a real keyring (gnome-keyring-daemon, started
# here under dbus-run-session and unlocked with a test password: the password comes from it). In
# both, the password is in no file under the XDG config, state and data directories.
# The suite starts itself again under dbus-run-session, so that the keyring has a bus of its own.
if [ -z "${SITES_IN_SESSION:-}" ] && command -v dbus-run-session >/dev/null 2>&1; then
        SITES_IN_SESSION=1 exec dbus-run-session -- bash "$0" "$@"
fi
. "$top_srcdir/tests/lib/suite.sh"

suite_begin commands-sites vsftpd clamftp:open,site
CF_DEADLINE=40
export XDG_DATA_HOME=$CF_HOME/.local/share
mkdir -p "$XDG_DATA_HOME"
SESSION_BUS=${DBUS_SESSION_BUS_ADDRESS:-}
SERVER="127.0.0.1:$FTP_PORT"

# The password in no file under the XDG config, state and data directories (the keyring's own
# file lives under data: encrypted, it must not hold it either).
password_nowhere() {
        ! grep -rqF -- "$FTP_PASS" "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$XDG_DATA_HOME"
}
# The check itself can fail: a decoy written under the config is found.
echo "$FTP_PASS" >"$XDG_CONFIG_HOME/decoy"
expect "the password check finds a password written in clear" eval '! password_nowhere'
rm -f "$XDG_CONFIG_HOME/decoy"

# ---- no D-Bus session at all --------------------------------------------------------------
unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY
export XDG_RUNTIME_DIR=$dir/run-none # no bus socket there
mkdir -p -m 0700 "$XDG_RUNTIME_DIR"

CF_INPUT= cf_run -c "site add plain ftp://$FTP_USER@$SERVER/"
expect "no keyring: site add exits 0" cf_rc_is 0
expect "no keyring: says the password will be asked each time" cf_says 'asked each time'
expect "no keyring: sites.conf is mode 0600" eval '[ "$(stat -c %a "$XDG_CONFIG_HOME/clamftp/sites.conf")" = 600 ]'

CF_INPUT="$FTP_PASS
" cf_run -c "open plain; pwd; status"
expect "no keyring: open NAME logs in with the password typed on stdin" cf_rc_is 0
expect "no keyring: open NAME asks Password:" cf_says 'password:'
expect "no keyring: status names the site" cf_stdout_has 'Site: plain'

mkdir -p "$FTP_ROOT/sub dir"
ftp_own
CF_INPUT= cf_run -c "site add 'with pw' 'ftp://$FTP_USER:$FTP_PASS@$SERVER/sub%20dir' --active --parallel 2"
expect "no keyring: a password in the URL: site add exits 0" cf_rc_is 0
expect "no keyring: a password in the URL is not kept, and it says so" cf_says 'no password is kept'
expect "no keyring: the password is in no file" password_nowhere
expect "no keyring: sites.conf holds the site's settings" \
        eval 'grep -q "^\[site with pw\]" "$XDG_CONFIG_HOME/clamftp/sites.conf" &&
              grep -q "^passive=false" "$XDG_CONFIG_HOME/clamftp/sites.conf" &&
              grep -q "^parallel=2" "$XDG_CONFIG_HOME/clamftp/sites.conf"'

CF_INPUT= cf_run -c "open 'with pw'"
expect "no keyring: without an answer to Password: the login is cancelled (exit 2)" cf_rc_is 2
CF_INPUT="$FTP_PASS
" cf_run -c "open 'with pw'; pwd; status"
expect "no keyring: open of a site with a directory: exit 0" cf_rc_is 0
expect "no keyring: the site's directory is the remote one" cf_stdout_has '/sub dir'
expect "no keyring: the site's active mode is in force" cf_stdout_has 'Mode: active'

CF_INPUT= cf_run -c "site list"
expect "site list: exit 0" cf_rc_is 0
expect "site list: shows each site with its URL" \
        eval 'cf_stdout_has "^plain  ftp://$FTP_USER@$SERVER/" && cf_stdout_has "^with pw  ftp://$FTP_USER@$SERVER/sub%20dir"'
expect "site list: shows the settings" cf_stdout_has 'active, 2 connections'
expect "site list: never the password" eval '! cf_says "$FTP_PASS"'

# a site's name wins over a host of the same name: "localhost" here is the site (port FTP_PORT)
CF_INPUT= cf_run -c "site add localhost ftp://$FTP_USER@$SERVER/"
CF_INPUT="$FTP_PASS
" cf_run -c "open localhost; pwd"
expect "open NAME: a site named like a host wins (vsftpd's port, not 21)" cf_rc_is 0
expect "open NAME: says it opens the site" cf_says 'Opening site localhost'

CF_INPUT= cf_run -c "site add plain ftp://elsewhere/"
expect "site add of an existing name: exit 2, nothing replaced" \
        eval 'cf_rc_is 2 && cf_says "exists already" && ! grep -q elsewhere "$XDG_CONFIG_HOME/clamftp/sites.conf"'
CF_INPUT= cf_run -c "site add 'bad[name]' ftp://h/"
expect "site add with [ in the name: refused" eval 'cf_rc_is 2 && cf_says "cannot name a site"'

CF_INPUT= cf_run -c "site rm plain; site list"
expect "site rm: exit 0" cf_rc_is 0
expect "site rm: the site is gone from the list" eval '! cf_stdout_has "^plain "'
CF_INPUT= cf_run -c "site rm plain"
expect "site rm of a missing site: exit 2, says so" eval 'cf_rc_is 2 && cf_says "no site"'

# a file that does not parse is reported and never written over
cp "$XDG_CONFIG_HOME/clamftp/sites.conf" "$dir/sites.good"
printf '[site x]\nhost=h\nport=many\n' >"$XDG_CONFIG_HOME/clamftp/sites.conf"
cp "$XDG_CONFIG_HOME/clamftp/sites.conf" "$dir/sites.bad"
CF_INPUT= cf_run -c "site add y ftp://h/"
expect "a bad sites file: site add fails and names the file" \
        eval 'cf_rc_is 2 && cf_says "sites.conf does not parse"'
expect "a bad sites file: left as it was" cmp -s "$dir/sites.bad" "$XDG_CONFIG_HOME/clamftp/sites.conf"
CF_INPUT= cf_run -c "site rm x"
expect "a bad sites file: site rm leaves it too" cmp -s "$dir/sites.bad" "$XDG_CONFIG_HOME/clamftp/sites.conf"
cp "$dir/sites.good" "$XDG_CONFIG_HOME/clamftp/sites.conf"
expect "no keyring: still no password in any file" password_nowhere

# ---- a real keyring -------------------------------------------------------------------------
keyring_missing=
if [ -z "$SESSION_BUS" ]; then
        keyring_missing="no session bus (dbus-run-session is not installed: package dbus-daemon)"
elif ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
        keyring_missing="gnome-keyring-daemon is not installed (package gnome-keyring)"
fi

keyring_up() {
        local i
        for i in $(seq 50); do
                dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
                        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
                        grep -q 'boolean true' && return 0
                sleep 0.1
        done
        return 1
}

start_keyring() {
        export DBUS_SESSION_BUS_ADDRESS=$SESSION_BUS
        # The TSan build: libsecret runs its calls on a GLib pool thread and GDBus's worker, which
        # pass memory to each other (and to ours) under GLib's internal locks, out of reach of
        # src/common/tsan-glib.c. From here on TSan checks what our code touches, not what GLib's
        # threads do with their own memory (tests/tsan.supp cannot name frames no symbol covers).
        [ -n "${TSAN_OPTIONS:-}" ] && export TSAN_OPTIONS="$TSAN_OPTIONS:ignore_noninstrumented_modules=1"
        export XDG_RUNTIME_DIR=$dir/run-keyring
        mkdir -p -m 0700 "$XDG_RUNTIME_DIR"
        printf '%s' "keyring-unlock-Pw" |
                gnome-keyring-daemon --foreground --unlock --components=secrets >"$dir/keyring.log" 2>&1 &
        KEYRING_PID=$!
        suite_at_exit "kill $KEYRING_PID 2>/dev/null"
        keyring_up || { keyring_missing="gnome-keyring-daemon did not start: $(tail -n 3 "$dir/keyring.log" | tr '\n' ' ')"; return 1; }
}

if [ -z "$keyring_missing" ] && start_keyring; then
        CF_INPUT="y
$FTP_PASS
" cf_run -c "site add kept ftp://$FTP_USER@$SERVER/"
        expect "keyring: site add exits 0" cf_rc_is 0
        expect "keyring: site add asks whether to keep the password" cf_says 'keyring .*\?'
        expect "keyring: says the password is in the keyring" cf_says 'is in the keyring'

        CF_INPUT= cf_run -c "open kept; pwd"
        expect "keyring: open NAME logs in with nothing typed" cf_rc_is 0
        expect "keyring: no Password: prompt" eval '! cf_says "password:"'
        expect "keyring: the password is in no file" password_nowhere
        expect "keyring: the keyring did write its own (encrypted) file under data" \
                eval 'ls "$XDG_DATA_HOME"/keyrings/*.keyring >/dev/null 2>&1'

        CF_INPUT= cf_run -c "site add fromurl ftp://$FTP_USER:$FTP_PASS@$SERVER/"
        CF_INPUT= cf_run -c "open fromurl; pwd"
        expect "keyring: a password given in the URL is kept there" cf_rc_is 0
        expect "keyring: still in no file" password_nowhere

        # another user: the password kept for the old one is forgotten, never sent for the new
        CF_INPUT= cf_run -c "site edit fromurl ftp://someone-else@$SERVER/ --no-password; site edit fromurl ftp://$FTP_USER@$SERVER/ --no-password"
        CF_INPUT= cf_run -c "open fromurl"
        expect "keyring: site edit to another user forgot the stored password" cf_rc_is 2

        CF_INPUT= cf_run -c "site rm kept; site add kept ftp://$FTP_USER@$SERVER/ --no-password"
        CF_INPUT= cf_run -c "open kept"
        expect "keyring: site rm removed the password from the keyring too" cf_rc_is 2
        expect "keyring: and nothing was written in clear all along" password_nowhere
else
        skip "keyring: site add, then open NAME with the password from the keyring" "$keyring_missing"
fi
tap_done
