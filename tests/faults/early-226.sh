#!/bin/bash
# tests/faults/early-226.sh — a server that says 226 before the data ends (tests/hostile/ftpd.py
# early-226: no real server does it on purpose), with the real clamav-agent scanning uploads.
# Pins:
#   get, mget (4 connections)  RETR's 150 and 226 come at once, the data after them, slowly: each
#          file is written whole (the download ends at both the 226 and the data's end), said once,
#          no .part left, exit 0.
#   put, mput  STOR's 226 comes after 64 KiB and the data connection is closed: the short copy
#          (told by the server's SIZE, or by the client's writes failing after the 226) is deleted
#          and sent once more, then deleted again and the file failed: exit 2, one error per file
#          saying the copy was short or not the scanned file and was deleted; nothing is left on
#          the server (every STOR's name deleted, no RNTO with
#          temp-upload, no warning of a leftover copy); the audit log whole, no "done" record.
#   put    against the same server without SIZE (early-226-no-size): nothing can tell the short
#          copy, and the report says the upload was not verified (the audit record: method "none").
. "$top_srcdir/tests/lib/suite.sh"

CF_CONNECT_TIMEOUT=3 CF_REPLY_TIMEOUT=3 CF_DATA_TIMEOUT=2
suite_begin faults-early-226 scanner clamftp:get,mget,put,mput,temp-upload
. "$top_srcdir/tests/hostile/server.sh"
. "$top_srcdir/tests/faults/lib.sh"
CF_DEADLINE=30
FTP_USER=anonymous
FTP_PASS=test@example.org
start_server early-226

# what the server sends (tests/hostile/ftpd.py: GOOD and BIG)
mkdir -p want
/usr/bin/python3 - want <<'PY'
import os, sys
d = sys.argv[1]
files = {"good1.txt": b"first good file\n", "good two.txt": b"second good file, with a space in its name\n",
         "good3.bin": bytes(range(256)) * 16, "big.bin": bytes((i * 7) & 0xFF for i in range(1 << 20))}
for name, data in files.items():
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)
PY
# nothing_kept NAME…: every STOR of each NAME (or of its temporary name) was followed by its DELE,
# and nothing was renamed
nothing_kept() {
        local n stors dels bad=0
        for n in "$@"; do
                stors=$(grep -Ec "^STOR of '(\.$n\.clamftp-[0-9a-f]+|$n)'" "$SRV_DIR/log")
                dels=$(grep -Ec "^DELE of '(\.$n\.clamftp-[0-9a-f]+|$n)'" "$SRV_DIR/log")
                [ "$stors" -ge 1 ] && [ "$stors" = "$dels" ] || { echo "$n: $stors STOR, $dels DELE"; bad=1; }
        done
        ! grep -q '^RNTO' "$SRV_DIR/log" || { grep '^RNTO' "$SRV_DIR/log"; bad=1; }
        return $bad
}

# ---- downloads ----
mkdir -p "$SUITE_DIR/get"
cf_bg "$SUITE_DIR/get" "get big.bin"
cf_bg_wait
expect "get: exit 0 ($CF_RC)" cf_rc_is 0
expect "get: the server sent the data after its 226" grep -q "^RETR: 1048576 bytes sent after the 226" "$SRV_DIR/log"
expect "get: the file is whole, byte for byte" sent_whole want "$SUITE_DIR/get" big.bin
expect "get: reported downloaded exactly once" said_once '^Downloaded FILE ' big.bin
expect "get: no .part left" no_part "$SUITE_DIR/get"

mkdir -p "$SUITE_DIR/mget"
cf_bg "$SUITE_DIR/mget" "mget *" --parallel 4
cf_bg_wait
expect "mget: exit 0 ($CF_RC)" cf_rc_is 0
expect "mget: every file whole, byte for byte" sent_whole want "$SUITE_DIR/mget" good1.txt "good two.txt" good3.bin
expect "mget: each file reported downloaded exactly once" said_once '^Downloaded FILE ' good1.txt "good two.txt" good3.bin
expect "mget: no .part left" no_part "$SUITE_DIR/mget"

# ---- uploads ----
for f in u1 u2 u3; do head -c 1000000 /dev/urandom >"$f.bin"; done
# (the 226 comes before the data ends: the client either sent it all into the socket buffers and
# SIZE tells the short copy, or its writes failed after the 226; either way the copy is deleted)
said_deleted() {
        said_once '^clamftp: error: Uploading FILE to .* failed: .*(not the file that was scanned.*it was deleted|ended the upload before all of it arrived.*its short copy .* was deleted)' "$@"
}

cf_bg "$CF_LOCAL" "put u1.bin"
cf_bg_wait
expect "put: exit 2 ($CF_RC)" cf_rc_is 2
expect "put: one error: the server's copy was not the scanned file, deleted" said_deleted u1.bin
expect "put: nothing kept on the server (each STOR deleted)" nothing_kept u1.bin
expect "put: the audit log is whole, no done record" eval 'audit_whole && audit_no_done u1.bin'

# 32 MiB: more than the socket buffers hold, so the client's writes fail after the 226
head -c $((32 * 1024 * 1024)) /dev/urandom >large.bin
cf_bg "$CF_LOCAL" "put large.bin"
cf_bg_wait
expect "put, larger than the buffers: exit 2 ($CF_RC)" cf_rc_is 2
expect "put, larger than the buffers: one error: the server ended the upload early, the short copy deleted" \
        said_once '^clamftp: error: Uploading FILE to FILE failed: The server ended the upload before all of it arrived \(226 .*\): .*; its short copy FILE was deleted\.$' large.bin
expect "put, larger than the buffers: nothing kept on the server" nothing_kept large.bin

cf_bg "$CF_LOCAL" "temp-upload on; put u2.bin"
cf_bg_wait
expect "put, temp-upload: exit 2 ($CF_RC)" cf_rc_is 2
expect "put, temp-upload: one error: the copy was not the scanned file, deleted" said_deleted u2.bin
expect "put, temp-upload: no temporary copy said left behind (it was deleted)" eval '! cf_says "may be left on the server"'
expect "put, temp-upload: nothing kept, the final name never made" nothing_kept u2.bin

rm -f "$CF_AUDIT"
cf_bg "$CF_LOCAL" "temp-upload on; mput u1.bin u2.bin u3.bin" --parallel 2
cf_bg_wait
expect "mput, temp-upload: exit 2 ($CF_RC)" cf_rc_is 2
expect "mput, temp-upload: one error per file" said_deleted u1.bin u2.bin u3.bin
expect "mput, temp-upload: the tally counts 3 failed" cf_says "^0 of 3 files uploaded \(0 refused by the scanner, 3 failed\)"
expect "mput, temp-upload: no temporary copy said left behind" eval '! cf_says "may be left on the server"'
expect "mput, temp-upload: nothing kept on the server" nothing_kept u1.bin u2.bin u3.bin
expect "mput, temp-upload: the audit log is whole, no done record" eval 'audit_whole && audit_no_done u1.bin u2.bin u3.bin'

# ---- no SIZE: the short copy cannot be told, and the report says the upload was not verified ----
start_server early-226-no-size
rm -f "$CF_AUDIT"
cf_bg "$CF_LOCAL" "put u3.bin"
cf_bg_wait
expect "put, no SIZE: reported uploaded, once, and not verified ($CF_RC)" \
        said_once '^Uploaded FILE as FILE \(.*\), not verified: the server offers no digest and no SIZE' u3.bin
expect "put, no SIZE: the audit record says no method checked it" \
        eval 'audit_whole && grep -q "\"result\":\"done\".*\"verify\":{\"method\":\"none\"" "$CF_AUDIT"'

stop_server
tap_done
