#!/bin/bash
# tests/faults/server-kill.sh — the real vsftpd killed (every process, SIGKILL) in the middle of a
# transfer and started again on the same port at once (the client's first reconnect comes 1 s
# later), with the real clamav-agent scanning.
# Pins, for put and get of one 6 MiB file and mput and mget of 24 files over 4 connections:
#   exit 0; "Connection lost (…): reconnecting (1/5)" then "reconnected" said; every file under its
#   final name byte for byte, reported exactly once; an upload with temp-upload never shows its
#   final name on the server before it is whole, and leaves no temporary name; a download never
#   shows its final name before it is whole and leaves no .part; the download goes on from its
#   .part (REST, "resumed after"); the audit log is whole (--check-audit) and holds exactly one
#   "done" record per upload with the snapshot's SHA-256.
. "$top_srcdir/tests/lib/suite.sh"

SUITE_VSFTPD_CONF=(local_max_rate=2000000)
suite_begin faults-server-kill scanner vsftpd clamftp:open,put,get,mput,mget,temp-upload
. "$top_srcdir/tests/faults/lib.sh"
CF_DEADLINE=40

# restart: the same vsftpd.conf (port, root, rate) started again
restart() {
        /usr/sbin/vsftpd "$SUITE_DIR/ftp/vsftpd.conf" >>"$SUITE_DIR/ftp/vsftpd.out" 2>&1 </dev/null &
        VSFTPD_PID=$!
        ftpd_wait_up "$VSFTPD_PID" "$FTP_PORT"
}
said_reconnect() { cf_says "lost \(.*\): reconnecting \(1/5\)" && cf_says "reconnected to 127\.0\.0\.1"; }

make_files $((6 * 1024 * 1024)) 24
mkdir -p "$FTP_ROOT/put" "$FTP_ROOT/mput" && ftp_own

# ---- put: killed mid-upload, temp-upload on ----
cf_bg "$CF_LOCAL" "temp-upload on; cd put; put big.bin"
expect "put: vsftpd killed while the temporary copy grows" fault_when vsftpd_crash temp_bigger_than 1500000 "$FTP_ROOT/put" big.bin
expect "put: the final name does not exist on the server after the kill" [ ! -e "$FTP_ROOT/put/big.bin" ]
expect "put: vsftpd started again" restart
cf_bg_wait
expect "put: exit 0 ($CF_RC, ${CF_BG_SECONDS}s)" cf_rc_is 0
expect "put: the loss and the reconnect are said" said_reconnect
expect "put: the file is on the server byte for byte" sent_whole "$CF_LOCAL" "$FTP_ROOT/put" big.bin
expect "put: reported uploaded exactly once" said_once '^Uploaded FILE as ' big.bin
expect "put: no temporary name is left on the server" no_temp_upload "$FTP_ROOT/put"
expect "put: the audit log is whole" audit_whole
expect "put: one done record with the file's SHA-256" audit_done /put/big.bin -- big.bin

# ---- get: killed mid-download, goes on from the .part ----
mkdir -p "$SUITE_DIR/get"
cf_bg "$SUITE_DIR/get" "verbose; cd put; get big.bin"
expect "get: vsftpd killed while big.bin.part grows" fault_when vsftpd_crash bigger_than 1500000 "$SUITE_DIR/get/big.bin.part"
expect "get: the final name does not exist after the kill" [ ! -e "$SUITE_DIR/get/big.bin" ]
expect "get: vsftpd started again" restart
cf_bg_wait
expect "get: exit 0 ($CF_RC, ${CF_BG_SECONDS}s)" cf_rc_is 0
expect "get: the loss and the reconnect are said" said_reconnect
expect "get: it went on from the .part (REST)" eval 'cf_says "^--> REST [1-9][0-9]*" && cf_says "^Downloaded big\.bin \(.*resumed after"'
expect "get: the file is byte for byte the server's" sent_whole "$CF_LOCAL" "$SUITE_DIR/get" big.bin
expect "get: reported downloaded exactly once" said_once '^Downloaded FILE ' big.bin
expect "get: no .part left" no_part "$SUITE_DIR/get"

# ---- mput over 4 connections: killed mid-batch ----
vsftpd_stop
suite_start "vsftpd (500 kB/s)" vsftpd_start "$SUITE_DIR/ftp" local_max_rate=500000
rm -f "$CF_AUDIT"
cf_bg "$CF_LOCAL/many" "temp-upload on; cd mput; mput *.bin" --parallel 4
expect "mput: vsftpd killed after 6 files arrived" fault_when vsftpd_crash count_at_least 6 "$FTP_ROOT/mput" 'm*.bin'
expect "mput: vsftpd started again" restart
cf_bg_wait
expect "mput: exit 0 ($CF_RC, ${CF_BG_SECONDS}s)" cf_rc_is 0
expect "mput: the loss and the reconnect are said" said_reconnect
# shellcheck disable=SC2086
expect "mput: every file on the server byte for byte" sent_whole "$CF_LOCAL/many" "$FTP_ROOT/mput" $MANY
# shellcheck disable=SC2086
expect "mput: each file reported uploaded exactly once" said_once '^Uploaded FILE as ' $MANY
expect "mput: the tally counts 24 of 24" cf_says "^24 of 24 files uploaded \(0 refused by the scanner, 0 failed\)"
expect "mput: no temporary name is left on the server" no_temp_upload "$FTP_ROOT/mput"
expect "mput: the audit log is whole" audit_whole
# shellcheck disable=SC2086
expect "mput: one done record per file with its SHA-256" audit_done $(printf '/mput/%s ' $MANY) -- \
        $(printf "$CF_LOCAL/many/%s " $MANY)

# ---- mget over 4 connections: killed mid-batch ----
mkdir -p "$SUITE_DIR/mget"
cf_bg "$SUITE_DIR/mget" "cd mput; mget *.bin" --parallel 4
expect "mget: vsftpd killed after 6 files arrived" fault_when vsftpd_crash count_at_least 6 "$SUITE_DIR/mget" 'm*.bin'
expect "mget: vsftpd started again" restart
cf_bg_wait
expect "mget: exit 0 ($CF_RC, ${CF_BG_SECONDS}s)" cf_rc_is 0
expect "mget: the loss and the reconnect are said" said_reconnect
# shellcheck disable=SC2086
expect "mget: every file came back byte for byte" sent_whole "$CF_LOCAL/many" "$SUITE_DIR/mget" $MANY
# shellcheck disable=SC2086
expect "mget: each file reported downloaded exactly once" said_once '^Downloaded FILE ' $MANY
expect "mget: no .part left" no_part "$SUITE_DIR/mget"

tap_done
