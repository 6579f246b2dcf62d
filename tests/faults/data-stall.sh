#!/bin/bash
# tests/faults/data-stall.sh — the real vsftpd stalls in the middle of a transfer: every session
# process is stopped (SIGSTOP; the listener goes on accepting), so the data connection moves
# nothing and the control connection answers nothing. Data and reply timeouts are 2 s here.
# Pins, for put and get of a 16 MiB file and mput and mget of 16 files over 4 connections:
#   the data timeout ends the stalled transfer, the stalled connection is said lost and logged in
#   again; exit 0 within a bound; every file under its final name byte for byte, reported once; no
#   temporary upload name and no .part left; the download goes on from its .part; the audit log
#   whole, one "done" record per upload.
. "$top_srcdir/tests/lib/suite.sh"

# (a reply timeout longer than the data timeout: after the last byte of an upload the 226 waits for
# the rate-limited server to read what the loopback's buffers hold, megabytes)
CF_DATA_TIMEOUT=2 CF_REPLY_TIMEOUT=4
# lock_upload_files=NO: vsftpd's write lock on an upload, held by the stopped session, would make
# every new session's STOR of that name wait for it (the client's tries all time out, as they
# would against a server that stalls so)
SUITE_VSFTPD_CONF=(local_max_rate=4000000 lock_upload_files=NO)
suite_begin faults-data-stall scanner vsftpd clamftp:open,put,get,mput,mget,temp-upload
. "$top_srcdir/tests/faults/lib.sh"
CF_DEADLINE=40

STOPPED=
# stop_sessions: SIGSTOP to every session process below the listener (vsftpd's pair per session)
stop_sessions() {
        local k
        for k in $(ps -o pid= --ppid "$VSFTPD_PID"); do
                STOPPED="$STOPPED $k $(ps -o pid= --ppid "$k" | tr '\n' ' ')"
        done
        [ -n "${STOPPED// /}" ] || { echo "no session process to stop"; return 1; }
        # shellcheck disable=SC2086
        kill -STOP $STOPPED
}
# end_stopped: the stopped sessions killed (a stopped process takes SIGKILL)
end_stopped() {
        # shellcheck disable=SC2086
        [ -z "${STOPPED// /}" ] || kill -9 $STOPPED 2>/dev/null
        STOPPED=
}
suite_at_exit end_stopped
said_stall() { cf_says "lost \(.*(idle|[Tt]imed out).*\): reconnecting \(1/5\)" && cf_says "reconnected to 127\.0\.0\.1"; }

make_files $((16 * 1024 * 1024)) 16
mkdir -p "$FTP_ROOT/put" "$FTP_ROOT/mput" && ftp_own

# ---- put ----
cf_bg "$CF_LOCAL" "temp-upload on; cd put; put big.bin"
expect "put: vsftpd stalls while the temporary copy grows" fault_when stop_sessions temp_bigger_than 2000000 "$FTP_ROOT/put" big.bin
cf_bg_wait
end_stopped
expect "put: exit 0 within 20 s ($CF_RC, ${CF_BG_SECONDS}s)" eval 'cf_rc_is 0 && [ "$CF_BG_SECONDS" -le 20 ]'
expect "put: the stall is said as a lost connection, then reconnected" said_stall
expect "put: the file is on the server byte for byte" sent_whole "$CF_LOCAL" "$FTP_ROOT/put" big.bin
expect "put: reported uploaded exactly once" said_once '^Uploaded FILE as ' big.bin
expect "put: no temporary name is left on the server" no_temp_upload "$FTP_ROOT/put"
expect "put: one done record, the audit log whole" eval 'audit_whole && audit_done big.bin -- big.bin'

# ---- get ----
mkdir -p "$SUITE_DIR/get"
cf_bg "$SUITE_DIR/get" "verbose; cd put; get big.bin"
expect "get: vsftpd stalls while big.bin.part grows" fault_when stop_sessions bigger_than 2000000 "$SUITE_DIR/get/big.bin.part"
cf_bg_wait
end_stopped
expect "get: exit 0 within 20 s ($CF_RC, ${CF_BG_SECONDS}s)" eval 'cf_rc_is 0 && [ "$CF_BG_SECONDS" -le 20 ]'
expect "get: the stall is said as a lost connection, then reconnected" said_stall
expect "get: it went on from the .part" eval 'cf_says "^--> REST [1-9]" && cf_says "^Downloaded big\.bin \(.*resumed after"'
expect "get: the file is byte for byte the server's" sent_whole "$CF_LOCAL" "$SUITE_DIR/get" big.bin
expect "get: reported downloaded exactly once" said_once '^Downloaded FILE ' big.bin
expect "get: no .part left" no_part "$SUITE_DIR/get"

# ---- mput and mget over 4 connections, 1 MB/s each ----
vsftpd_stop
suite_start "vsftpd (1 MB/s)" vsftpd_start "$SUITE_DIR/ftp" local_max_rate=1000000 lock_upload_files=NO
rm -f "$CF_AUDIT"
cf_bg "$CF_LOCAL/many" "temp-upload on; cd mput; mput *.bin" --parallel 4
expect "mput: vsftpd stalls after 4 files arrived" fault_when stop_sessions count_at_least 4 "$FTP_ROOT/mput" 'm*.bin'
cf_bg_wait
end_stopped
expect "mput: exit 0 within 25 s ($CF_RC, ${CF_BG_SECONDS}s)" eval 'cf_rc_is 0 && [ "$CF_BG_SECONDS" -le 25 ]'
expect "mput: the stall is said as a lost connection, then reconnected" said_stall
# shellcheck disable=SC2086
expect "mput: every file on the server byte for byte" sent_whole "$CF_LOCAL/many" "$FTP_ROOT/mput" $MANY
# shellcheck disable=SC2086
expect "mput: each file reported uploaded exactly once" said_once '^Uploaded FILE as ' $MANY
expect "mput: no temporary name is left on the server" no_temp_upload "$FTP_ROOT/mput"
# shellcheck disable=SC2086
expect "mput: one done record per file, the audit log whole" eval 'audit_whole && audit_done $MANY -- $(printf "many/%s " $MANY)'

mkdir -p "$SUITE_DIR/mget"
cf_bg "$SUITE_DIR/mget" "cd mput; mget *.bin" --parallel 4
expect "mget: vsftpd stalls after 4 files arrived" fault_when stop_sessions count_at_least 4 "$SUITE_DIR/mget" 'm*.bin'
cf_bg_wait
end_stopped
expect "mget: exit 0 within 25 s ($CF_RC, ${CF_BG_SECONDS}s)" eval 'cf_rc_is 0 && [ "$CF_BG_SECONDS" -le 25 ]'
expect "mget: the stall is said as a lost connection, then reconnected" said_stall
# shellcheck disable=SC2086
expect "mget: every file came back byte for byte" sent_whole "$CF_LOCAL/many" "$SUITE_DIR/mget" $MANY
# shellcheck disable=SC2086
expect "mget: each file reported downloaded exactly once" said_once '^Downloaded FILE ' $MANY
expect "mget: no .part left" no_part "$SUITE_DIR/mget"

tap_done
