#!/bin/bash
# tests/faults/slow-server.sh — the real vsftpd reads uploads slowly (local_max_rate 2 MB/s) and the
# client's reply timeout is 1 s: after the last write() of an upload the loopback's buffers still
# hold megabytes, seconds of the server's reading, before it can say 226.
# Pins:
#   put of 8 MiB   the wait for the 226 goes on while the server takes the data socket's bytes: exit
#                  0, no timeout, no reconnect, the file on the server byte for byte, said once.
#   put, stalled   the server stops reading (its session stopped) after the last write: the wait
#                  still ends within the reply timeout of the stall, the connection is said lost and
#                  logged in again, the file sent again, whole, said once; exit 0 within a bound.
# With SLOW_TLS=1 (slow-server-tls.sh) the same over explicit FTPS, PROT P: the queue is the TLS
# records' on the same socket, and close_notify waits with the final reply.
. "$top_srcdir/tests/lib/suite.sh"

CF_REPLY_TIMEOUT=1 CF_DATA_TIMEOUT=5
SUITE_VSFTPD_CONF=(local_max_rate=2000000)
if [ -n "${SLOW_TLS:-}" ]; then
        suite_begin faults-slow-server-tls scanner vsftpd-tls clamftp:open,put,temp-upload
        TLS_ARGS=(--trust-fingerprint "$SUITE_FP")
else
        suite_begin faults-slow-server scanner vsftpd clamftp:open,put,temp-upload
        TLS_ARGS=(--tls=off)
fi
. "$top_srcdir/tests/faults/lib.sh"
CF_DEADLINE=40

make_files $((8 * 1024 * 1024)) 0
mkdir -p "$FTP_ROOT/slow" "$FTP_ROOT/stall" && ftp_own

# ---- a slow server: alive while it reads ----
cf_bg "$CF_LOCAL" "verbose; cd slow; put big.bin" "${TLS_ARGS[@]}"
cf_bg_wait
expect "slow: exit 0 ($CF_RC, ${CF_BG_SECONDS}s)" cf_rc_is 0
expect "slow: no timeout, no reconnect" eval '! cf_says "([Tt]imed out|reconnect)"'
expect "slow: the file is on the server byte for byte" sent_whole "$CF_LOCAL" "$FTP_ROOT/slow" big.bin
expect "slow: reported uploaded exactly once" said_once '^Uploaded FILE as ' big.bin

# ---- the same server stops reading once the client has written everything ----
# (6 of 8 MiB read: the rest is in the buffers, the client's writes are over)
rm -f "$CF_AUDIT"
cf_bg "$CF_LOCAL" "verbose; temp-upload on; cd stall; put big.bin" "${TLS_ARGS[@]}"
expect "stall: vsftpd stops reading near the end" fault_when stop_sessions temp_bigger_than 6000000 "$FTP_ROOT/stall" big.bin
cf_bg_wait
end_stopped
# (about 3 s to the stall, 2 s to give it up (the reply timeout, then ABOR's), 4 s to send again)
expect "stall: exit 0 within 13 s ($CF_RC, ${CF_BG_SECONDS}s)" eval 'cf_rc_is 0 && [ "$CF_BG_SECONDS" -le 13 ]'
expect "stall: no reply within the reply timeout of the stall: said lost, then reconnected" \
        eval 'cf_says "lost \(.*no complete reply within 1 s.*\): reconnecting \(1/5\)" && cf_says "reconnected to 127\.0\.0\.1"'
expect "stall: the file is on the server byte for byte" sent_whole "$CF_LOCAL" "$FTP_ROOT/stall" big.bin
expect "stall: reported uploaded exactly once" said_once '^Uploaded FILE as ' big.bin
expect "stall: no temporary name is left on the server" no_temp_upload "$FTP_ROOT/stall"

tap_done
