#!/bin/bash
# tests/faults/data-stall.sh — the real vsftpd stalls in the middle of a transfer: every session
# process is stopped (SIGSTOP; the listener goes on accepting), so the data connection moves
# nothing and the control connection answers nothing. Data and reply timeouts are 1 s and 2 s here.
# vsftpd keeps its default lock_upload_files=YES: the stopped session holds a write lock on the
# temporary name it was writing, and a new session's STOR of that name would wait for it.
# Pins, for put and get of a 6 MiB file and mput of 8 files over 4 connections (mget over several
# connections is server-kill.sh's; the stall of a download is get's here):
#   the data timeout ends the stalled transfer, the stalled connection is said lost and logged in
#   again; exit 0 within a bound; every file under its final name byte for byte, reported once; no
#   temporary upload name and no .part left (an upload cut by a timeout goes on under a fresh
#   temporary name and the old one is deleted); the download goes on from its .part; the audit log
#   whole, one "done" record per upload.
# put with temp-upload off: the stopped session holds the lock on the file's own name, so the run
#   after the timeout goes under a temporary name and is renamed onto it (RNFR/RNTO), replacing
#   what the stalled run wrote.
. "$top_srcdir/tests/lib/suite.sh"

# (after the last byte of an upload the 226 waits while the rate-limited server reads what the
# loopback's buffers hold, megabytes: the reply timeout counts from its last progress)
CF_DATA_TIMEOUT=1 CF_REPLY_TIMEOUT=2
SUITE_VSFTPD_CONF=(local_max_rate=4000000)
suite_begin faults-data-stall scanner vsftpd clamftp:open,put,get,mput,mget,temp-upload
. "$top_srcdir/tests/faults/lib.sh"
CF_DEADLINE=30

# fresh_temp: the upload was sent under two temporary names, and the first (the one the stopped
# session holds) was deleted
fresh_temp() {
        local names
        names=$(printf '%s\n' "$CF_ALL" | sed -n 's/^--> STOR .*\(\.big\.bin\.clamftp-[0-9a-f]*\)$/\1/p' | awk '!seen[$0]++')
        [ "$(printf '%s\n' "$names" | wc -l)" = 2 ] && cf_says "^--> DELE .*$(printf '%s\n' "$names" | head -n 1)" ||
                { echo "STOR names: $names"; false; }
}
said_stall() { cf_says "lost \(.*(idle|[Tt]imed out).*\): reconnecting \(1/5\)" && cf_says "reconnected to 127\.0\.0\.1"; }

make_files $((6 * 1024 * 1024)) 8 $((1024 * 1024))
mkdir -p "$FTP_ROOT/put" "$FTP_ROOT/mput" && ftp_own

# ---- put ----
cf_bg "$CF_LOCAL" "verbose; temp-upload on; cd put; put big.bin"
expect "put: vsftpd stalls while the temporary copy grows" fault_when stop_sessions temp_bigger_than 1500000 "$FTP_ROOT/put" big.bin
cf_bg_wait
end_stopped
expect "put: exit 0 within 12 s ($CF_RC, ${CF_BG_SECONDS}s)" eval 'cf_rc_is 0 && [ "$CF_BG_SECONDS" -le 12 ]'
expect "put: the stall is said as a lost connection, then reconnected" said_stall
expect "put: sent again under a fresh temporary name, the stalled one deleted" fresh_temp
expect "put: the file is on the server byte for byte" sent_whole "$CF_LOCAL" "$FTP_ROOT/put" big.bin
expect "put: reported uploaded exactly once" said_once '^Uploaded FILE as ' big.bin
expect "put: no temporary name is left on the server" no_temp_upload "$FTP_ROOT/put"
expect "put: one done record, the audit log whole" eval 'audit_whole && audit_done big.bin -- big.bin'

# ---- put, temp-upload off ----
mkdir -p "$FTP_ROOT/put-off" && ftp_own
rm -f "$CF_AUDIT"
cf_bg "$CF_LOCAL" "verbose; temp-upload off; cd put-off; put big.bin"
expect "put, temp-upload off: vsftpd stalls while big.bin grows" fault_when stop_sessions bigger_than 1500000 "$FTP_ROOT/put-off/big.bin"
cf_bg_wait
end_stopped
expect "put, temp-upload off: exit 0 within 12 s ($CF_RC, ${CF_BG_SECONDS}s)" eval 'cf_rc_is 0 && [ "$CF_BG_SECONDS" -le 12 ]'
expect "put, temp-upload off: the stall is said as a lost connection, then reconnected" said_stall
expect "put, temp-upload off: sent again under a temporary name, renamed onto big.bin" \
        eval 'cf_says "^--> STOR .*\.big\.bin\.clamftp-[0-9a-f]+$" && cf_says "^--> RNTO (.*/)?big\.bin$"'
expect "put, temp-upload off: the file is on the server byte for byte" sent_whole "$CF_LOCAL" "$FTP_ROOT/put-off" big.bin
expect "put, temp-upload off: reported uploaded exactly once" said_once '^Uploaded FILE as ' big.bin
expect "put, temp-upload off: no temporary name is left on the server" no_temp_upload "$FTP_ROOT/put-off"
expect "put, temp-upload off: one done record, the audit log whole" eval 'audit_whole && audit_done big.bin -- big.bin'

# ---- get ----
mkdir -p "$SUITE_DIR/get"
cf_bg "$SUITE_DIR/get" "verbose; cd put; get big.bin"
expect "get: vsftpd stalls while big.bin.part grows" fault_when stop_sessions bigger_than 1500000 "$SUITE_DIR/get/big.bin.part"
cf_bg_wait
end_stopped
expect "get: exit 0 within 12 s ($CF_RC, ${CF_BG_SECONDS}s)" eval 'cf_rc_is 0 && [ "$CF_BG_SECONDS" -le 12 ]'
expect "get: the stall is said as a lost connection, then reconnected" said_stall
expect "get: it went on from the .part" eval 'cf_says "^--> REST [1-9]" && cf_says "^Downloaded big\.bin \(.*resumed after"'
expect "get: the file is byte for byte the server's" sent_whole "$CF_LOCAL" "$SUITE_DIR/get" big.bin
expect "get: reported downloaded exactly once" said_once '^Downloaded FILE ' big.bin
expect "get: no .part left" no_part "$SUITE_DIR/get"

# ---- mput over 4 connections ----
rm -f "$CF_AUDIT"
cf_bg "$CF_LOCAL/many" "temp-upload on; cd mput; mput *.bin" --parallel 4
expect "mput: vsftpd stalls after 4 files arrived" fault_when stop_sessions count_at_least 4 "$FTP_ROOT/mput" 'm*.bin'
cf_bg_wait
end_stopped
expect "mput: exit 0 within 15 s ($CF_RC, ${CF_BG_SECONDS}s)" eval 'cf_rc_is 0 && [ "$CF_BG_SECONDS" -le 15 ]'
expect "mput: the stall is said as a lost connection, then reconnected" said_stall
# shellcheck disable=SC2086
expect "mput: every file on the server byte for byte" sent_whole "$CF_LOCAL/many" "$FTP_ROOT/mput" $MANY
# shellcheck disable=SC2086
expect "mput: each file reported uploaded exactly once" said_once '^Uploaded FILE as ' $MANY
expect "mput: no temporary name is left on the server" no_temp_upload "$FTP_ROOT/mput"
# shellcheck disable=SC2086
expect "mput: one done record per file, the audit log whole" eval 'audit_whole && audit_done $MANY -- $(printf "many/%s " $MANY)'

tap_done
