#!/bin/bash
# tests/faults/server-reply.sh — the control connection broken in the middle of a reply, between
# the real clamftp and the real vsftpd: tests/lib/cut-proxy.py forwards the counted command and
# lets only the first bytes of the server's answer through ("226 T", "150 H"), then either stalls
# the connection (open, silent) or resets it (SO_LINGER 0). The real clamav-agent scans.
# Pins, for mput and mget of 16 files (1 and 4 connections) and put and get of a 2 MiB file:
#   a stall ends by the reply timeout (2 s here), a reset at once; each is said as a lost connection
#   and reconnected; exit 0; every file under its final name byte for byte, reported exactly once;
#   no temporary upload name and no .part left; the audit log whole, one "done" record per upload
#   with its SHA-256; no run takes longer than its bound.
. "$top_srcdir/tests/lib/suite.sh"

CF_REPLY_TIMEOUT=2
suite_begin faults-server-reply scanner vsftpd clamftp:open,put,get,mput,mget,temp-upload
. "$top_srcdir/tests/faults/lib.sh"
CF_DEADLINE=40

PROXY_PID=
PROXY_N=0
# proxy VERB EVERY FAULT REPLY [OPTION…]: a fresh relay in front of vsftpd; sets PROXY_PORT, PROXY_LOG
proxy() {
        stop_pid "$PROXY_PID" 2
        PROXY_N=$((PROXY_N + 1))
        PROXY_LOG=$SUITE_DIR/proxy-$PROXY_N.log
        /usr/bin/python3 "$top_srcdir/tests/lib/cut-proxy.py" --listen-port-file "$SUITE_DIR/proxy-$PROXY_N.port" \
                --target "127.0.0.1:$FTP_PORT" --verb "$1" --every "$2" --fault "$3" --reply "$4" \
                --log "$PROXY_LOG" --lifetime 120 "${@:5}" >"$SUITE_DIR/proxy-$PROXY_N.out" 2>&1 </dev/null &
        PROXY_PID=$!
        wait_until 10 test -s "$SUITE_DIR/proxy-$PROXY_N.port" || { cat "$SUITE_DIR/proxy-$PROXY_N.out"; return 1; }
        PROXY_PORT=$(cat "$SUITE_DIR/proxy-$PROXY_N.port")
}
suite_at_exit 'stop_pid "$PROXY_PID" 2'
broke() { [ "$(grep -c ": $1 after" "$PROXY_LOG")" -ge "$2" ]; }
said_lost() { cf_says "lost \(.*\): reconnecting \(1/5\)" && cf_says "reconnected to 127\.0\.0\.1"; }

mkdir -p files
for i in $(seq -w 1 16); do head -c 65536 /dev/urandom >"files/r$i.bin"; done
mkdir -p single
head -c $((2 * 1024 * 1024)) /dev/urandom >single/one.bin

# upload_case NAME FAULT BOUND 'CMDS' [OPTION…]: the files $FILES of $SRC through the relay into
# FTP_ROOT/NAME, temp-upload on
upload_case() {
        local name=$1 fault=$2 bound=$3 cmds=$4
        shift 4
        mkdir -p "$FTP_ROOT/$name" && ftp_own
        rm -f "$CF_AUDIT"
        FTP_PORT=$PROXY_PORT cf_bg "$SRC" "temp-upload on; cd $name; $cmds" "$@"
        cf_bg_wait
        expect "$name: the relay broke a reply ($fault)" broke "$fault" 1
        expect "$name: exit 0 within ${bound}s ($CF_RC, ${CF_BG_SECONDS}s)" eval 'cf_rc_is 0 && [ "$CF_BG_SECONDS" -le '"$bound"' ]'
        expect "$name: the loss and the reconnect are said" said_lost
        # shellcheck disable=SC2086
        expect "$name: every file on the server byte for byte" sent_whole "$SRC" "$FTP_ROOT/$name" $FILES
        # shellcheck disable=SC2086
        expect "$name: each file reported uploaded exactly once" said_once '^Uploaded FILE as ' $FILES
        expect "$name: no temporary name is left on the server" no_temp_upload "$FTP_ROOT/$name"
        expect "$name: the audit log is whole" audit_whole
        # shellcheck disable=SC2086
        expect "$name: one done record per file with its SHA-256" audit_done $FILES -- $(printf "$SRC/%s " $FILES)
}
# download_case NAME FAULT BOUND 'CMDS' [OPTION…]: the files $FILES through the relay into
# SUITE_DIR/NAME, compared with $SRC's
download_case() {
        local name=$1 fault=$2 bound=$3 cmds=$4
        shift 4
        mkdir -p "$SUITE_DIR/$name"
        FTP_PORT=$PROXY_PORT cf_bg "$SUITE_DIR/$name" "$cmds" "$@"
        cf_bg_wait
        expect "$name: the relay broke a reply ($fault)" broke "$fault" 1
        expect "$name: exit 0 within ${bound}s ($CF_RC, ${CF_BG_SECONDS}s)" eval 'cf_rc_is 0 && [ "$CF_BG_SECONDS" -le '"$bound"' ]'
        expect "$name: the loss and the reconnect are said" said_lost
        # shellcheck disable=SC2086
        expect "$name: every file came back byte for byte" sent_whole "$SRC" "$SUITE_DIR/$name" $FILES
        # shellcheck disable=SC2086
        expect "$name: each file reported downloaded exactly once" said_once '^Downloaded FILE ' $FILES
        expect "$name: no .part left" no_part "$SUITE_DIR/$name"
}

# ---- mput: the 226 of the 6th STOR stalls after "226 T"; every 6th resets after it; every 5th
# resets after "150 O" (the data never went). On 4 connections the batch is held to 384 KiB/s in
# all (about 3 s for its 1 MiB), longer than the 1 s pause before a reconnect: else the other
# connections may send every file first, the batch ends, and the reconnect is cut short unsaid ----
SRC=$CF_LOCAL/files FILES=$(cd files && echo r*.bin)
suite_start "the relay (stall)" proxy STOR 6 stall 226 --limit 1
upload_case up-stall stall 12 "mput *.bin" --parallel 1
suite_start "the relay (reset)" proxy STOR 6 reset 226
upload_case up-reset reset 12 "mput *.bin" --parallel 4 --limit-total 384K
suite_start "the relay (reset at 150)" proxy STOR 5 reset 150
upload_case up-reset-150 reset 12 "mput *.bin" --parallel 4 --limit-total 384K

# ---- mget: the same for RETR ----
suite_start "the relay (RETR stall)" proxy RETR 6 stall 226 --limit 1
download_case down-stall stall 12 "cd up-stall; mget *.bin" --parallel 1
suite_start "the relay (RETR reset)" proxy RETR 6 reset 226
download_case down-reset reset 12 "cd up-stall; mget *.bin" --parallel 4 --limit-total 384K
suite_start "the relay (RETR reset at 150)" proxy RETR 5 reset 150
download_case down-reset-150 reset 12 "cd up-stall; mget *.bin" --parallel 4 --limit-total 384K

# ---- put and get of one 2 MiB file, its 226 stalled ----
SRC=$CF_LOCAL/single FILES=one.bin
suite_start "the relay (one file)" proxy STOR 1 stall 226 --limit 1
upload_case put-stall stall 12 "put one.bin"
suite_start "the relay (one file, RETR)" proxy RETR 1 stall 226 --limit 1
download_case get-stall stall 12 "cd put-stall; get one.bin"

tap_done
