#!/bin/bash
# tests/faults/scanner-clamd-restart.sh — Debian's real clamd (tests/lib/clamd.sh) restarted in
# the middle of a batch of 150 files: clamftp waits for it (scanner-wait) and scans again what
# it had not judged. Nothing lost: exit 0, every file on the server complete and judged OK (the
# audit log), uploaded once and reported once. Then clamd stopped for good in the middle of a
# batch: the files it did not judge are refused after the wait with a clear message (exit 1),
# none of them on the server.
. "$top_srcdir/tests/lib/suite.sh"
. "$top_srcdir/tests/lib/scanner-pool.sh"

SUITE_VSFTPD_CONF=(pasv_min_port=0 pasv_max_port=0)
suite_begin scanner-clamd-restart clamd vsftpd clamftp:open,mput
CF_DEADLINE=120

make_batch() {
        mkdir -p "$1"
        local i
        for i in $(seq 1 150); do head -c $(( (RANDOM % 8 + 1) * 1024 )) /dev/urandom >"$1/f$i.bin"; done
}
arrived_count() { ls "$FTP_ROOT/$1" 2>/dev/null | wc -l; }

# ---- restarted in the middle of a batch ----
make_batch batch
CF_SCANNER=$CLAMD_ADDRESS
# the uploads held to 300 KiB/s in all (about 2 s for the batch), so that it is still running
# when clamd stops on a loaded machine; the scans run ahead of them by a few files only
in_background cf_login 127.0.0.1 "mput batch/*" --scanner-wait 60 --limit-total 300K
wait_until 60 eval '[ "$(arrived_count batch)" -ge 30 ]'
at_stop=$(arrived_count batch)
clamd_stop
sleep 1
suite_start "clamd again" clamd_start "$SUITE_DIR/clamd"
bg_wait
expect "restarted mid-batch: stopped in the middle ($at_stop of 150 had arrived)" [ "$at_stop" -lt 150 ]
expect "restarted mid-batch: exit 0" cf_rc_is 0
POOL_ALL_UPLOADED=1 expect "restarted mid-batch: every file uploaded once, complete, judged OK; reported once" \
        pool_nothing_lost batch

# ---- stopped for good in the middle of a batch ----
make_batch gone
in_background cf_login 127.0.0.1 "mput gone/*" --scanner-wait 2 --limit-total 300K
wait_until 60 eval '[ "$(arrived_count gone)" -ge 30 ]'
at_stop=$(arrived_count gone)
clamd_stop
bg_wait
expect "stopped for good: in the middle ($at_stop of 150 had arrived)" [ "$at_stop" -lt 150 ]
expect "stopped for good: exit 1 (refused)" cf_rc_is 1
expect "stopped for good: the refusals say the scanner could not be reached" \
        cf_says "gone/f[0-9]+\.bin was not uploaded: not scanned: the scanner is unreachable"
expect "stopped for good: nothing lost, nothing unjudged on the server, each file reported once" pool_nothing_lost gone

tap_done
