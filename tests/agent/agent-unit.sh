#!/bin/bash
# tests/agent/agent-unit.sh — what `make install` puts beside clamav-agent: the systemd units pass
# `systemd-analyze verify` (no running systemd needed; the man pages they name are found), the
# service's exposure stays low (`systemd-analyze security --offline`), the socket, the sample
# configuration and the compiled-in default name the same LocalSocket, the tmpfiles.d entry
# makes the run directory, and clamav-agent.conf(5) names every setting (src/agent/conf.c,
# clamopts.c).
. "$top_srcdir/tests/lib/suite.sh"
suite_begin agent-unit agent-bin tool:systemd-analyze=systemd
service=$top_builddir/data/clamav-agent.service
socket=$top_srcdir/data/clamav-agent.socket

# The units as installed, with ExecStart on the program just built (verify checks that it is
# executable) and MANPATH on the project's pages (verify runs man for Documentation=).
mkdir -p "$dir/units" "$dir/man/man5" "$dir/man/man8"
sed "s|^ExecStart=[^ ]*|ExecStart=$AGENT_BIN|" "$service" >"$dir/units/clamav-agent.service"
cp "$socket" "$dir/units/"
cp "$top_srcdir/man/clamav-agent.conf.5" "$dir/man/man5/"
cp "$top_srcdir/man/clamav-agent.8" "$dir/man/man8/"
# verify_quiet UNIT…: systemd-analyze verify exits 0 and prints nothing (it only warns, with
# status 0, about unknown keys)
verify_quiet() {
        local out rc
        out=$(cd "$dir/units" && MANPATH=$dir/man systemd-analyze verify "$@" 2>&1)
        rc=$?
        echo "$out"
        [ $rc -eq 0 ] && [ -z "$out" ]
}
expect "systemd-analyze verify passes on clamav-agent.socket and .service" \
        verify_quiet ./clamav-agent.socket ./clamav-agent.service
sed '/^\[Service\]/a ProtectSystm=strict' "$dir/units/clamav-agent.service" >"$dir/units/typo.service"
catches_typo() { ! verify_quiet ./typo.service && grep -q ProtectSystm "$EXPECT_OUT"; }
expect "... and prints what is wrong in a misspelt copy (the check can fail)" catches_typo

# exposure: systemd-analyze's 0-10 scale, threshold in tenths (clamav-daemon.service is ~9.6)
expect "the service's exposure is at most 2.0 (systemd-analyze security --offline)" \
        systemd-analyze security --offline=yes --threshold=20 "$dir/units/clamav-agent.service"
for want in 'ProtectSystem=strict' 'NoNewPrivileges=yes' 'PrivateTmp=yes' 'CapabilityBoundingSet=$' \
        'SystemCallFilter=@system-service' 'User=clamav'; do
        expect "the service sets $want" grep -q "^$want" "$service"
done
expect_output "ExecStart names the installed program and configuration" \
        "^ExecStart=/.*/clamav-agent --foreground --config /.*/clamav/clamav-agent.conf\$" \
        grep '^ExecStart=' "$service"

# one socket path everywhere: the socket unit, the sample, the agent's default
listen=$(sed -n 's/^ListenStream=//p' "$socket")
expect_output "the socket unit listens on /run/clamav/clamav-agent.ctl" '^/run/clamav/clamav-agent.ctl$' \
        echo "$listen"
expect "the sample configuration shows the same LocalSocket" \
        grep -qx "#LocalSocket $listen" "$top_srcdir/data/clamav-agent.conf"
expect "the agent's compiled-in LocalSocket is the same" \
        grep -q "local_socket = g_strdup(\"$listen\")" "$top_srcdir/src/agent/conf.c"

# tmpfiles.d: applied under a private root (with this system's users) it makes /run/clamav
mkdir -p "$dir/root/etc"
cp /etc/passwd /etc/group "$dir/root/etc/"
made_run_dir() {
        systemd-tmpfiles --root="$dir/root" --create "$top_srcdir/data/clamav-agent.tmpfiles" || return 1
        stat -c '%a %U' "$dir/root/run/clamav"
        [ "$(stat -c '%a %U' "$dir/root/run/clamav")" = "755 clamav" ]
}
if getent passwd clamav >/dev/null; then
        expect "the tmpfiles.d entry makes /run/clamav, 0755, owned by clamav" made_run_dir
else
        skip "the tmpfiles.d entry makes /run/clamav" "no clamav user here (package clamav-base)"
fi

# every setting is documented: clamav-agent.conf(5) names each of conf.c's table and of
# clamopts.c's (clamd's libclamav settings); the sample names each of conf.c's
settings=$(sed -n 's/^ *S("\([A-Za-z]*\)",.*/\1/p' "$top_srcdir/src/agent/conf.c")
clamopts=$(sed -n 's/^ *{ "\([A-Za-z0-9]*\)", K_.*/\1/p' "$top_srcdir/src/agent/clamopts.c" 2>/dev/null)
undocumented() {
        local name missing=
        for name in $settings $clamopts; do
                grep -qF "\\fB$name\\fR" "$top_srcdir/man/clamav-agent.conf.5" || missing="$missing man:$name"
        done
        for name in $settings; do
                grep -qw -- "$name" "$top_srcdir/data/clamav-agent.conf" || missing="$missing sample:$name"
        done
        echo "$(echo $settings $clamopts | wc -w) settings; missing:${missing:- none}"
        [ -z "$missing" ] && [ -n "$settings" ]
}
expect "clamav-agent.conf(5) names every setting; the sample every one of conf.c" undocumented
tap_done
