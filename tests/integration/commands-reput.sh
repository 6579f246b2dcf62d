#!/bin/bash
# tests/integration/commands-reput.sh — `reput` (resumed upload) against a real vsftpd and the
# real clamav-agent, passive and active: the server holds the first half → only the rest is sent
# (REST then STOR; vsftpd's xferlog counts the bytes) and the result is byte-identical, with the
# offset in the audit log; equal → "already complete", nothing sent; larger or missing → refused
# with a message, the server's file untouched; an EICAR file whose clean first half is on the
# server is still refused (the whole file is scanned) and the server's file is left as it was.
# Then a pyftpdlib server that refuses REST: the rest goes with APPE.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin commands-reput scanner vsftpd clamftp:open,reput,verbose
CF_DEADLINE=30
PYFTPD_PID=
head -c 1000000 /dev/urandom >big.bin
HALF=400000
head -c 2000 /dev/urandom >small.bin
{ head -c 600 /dev/urandom; eicar; head -c 600 /dev/urandom; } >bad.bin

remote_sha() { sha_of "$FTP_ROOT/$1" 2>/dev/null; }
# bytes of the last STOR of NAME in vsftpd's xferlog (std format: field 8 is the byte count)
stor_bytes() { awk -v n="$1" '$12 == "i" && $9 ~ ("/" n "$") { b = $8 } END { print b + 0 }' "$FTP_XFERLOG"; }
stor_count() { awk -v n="$1" '$12 == "i" && $9 ~ ("/" n "$") { c++ } END { print c + 0 }' "$FTP_XFERLOG"; }

for CF_MODE in $CF_MODES; do
        R=$CF_MODE
        mkdir -p "$FTP_ROOT/$R"
        head -c $HALF big.bin >"$FTP_ROOT/$R/big.bin"
        cp small.bin "$FTP_ROOT/$R/small.bin"
        { cat small.bin; printf 'extra'; } >"$FTP_ROOT/$R/longer.bin"
        head -c 600 bad.bin >"$FTP_ROOT/$R/bad.bin"
        ftp_own
        before_bad=$(remote_sha "$R/bad.bin")
        before_longer=$(remote_sha "$R/longer.bin")

        cf_session "verbose; cd $R; reput big.bin"
        expect "$CF_MODE: reput onto the first half: exit 0" cf_rc_is 0
        expect "$CF_MODE: reput: REST is sent with the server's size" cf_says "--> REST $HALF"
        expect_file_equal "$CF_MODE: reput: the result is byte-identical" big.bin "$FTP_ROOT/$R/big.bin"
        sent=$(stor_bytes big.bin)
        expect "$CF_MODE: reput: only the rest went over the wire (xferlog: $sent bytes)" \
                [ "$sent" -eq $((1000000 - HALF)) ]
        expect "$CF_MODE: reput: the message names the offset" cf_says "from byte $HALF"
        expect "$CF_MODE: reput: the audit log records the upload with its offset" \
                grep -q "\"event\":\"upload\".*\"remote\":\"big.bin\",\"offset\":$HALF,\"result\":\"done\"" "$CF_AUDIT"

        n_before=$(stor_count small.bin)
        cf_session "verbose; cd $R; reput small.bin"
        expect "$CF_MODE: reput of a file the server holds whole: exit 0, already complete" \
                eval 'cf_rc_is 0 && cf_says "already complete"'
        expect "$CF_MODE: already complete: nothing is sent" \
                eval '! cf_says "--> (STOR|APPE|REST)" && [ "$(stor_count small.bin)" -eq "$n_before" ]'

        cp small.bin longer.bin
        cf_session "verbose; cd $R; reput longer.bin"
        expect "$CF_MODE: reput onto a larger server file: refused (exit 2) with a message" \
                eval 'cf_rc_is 2 && cf_says "larger than the local"'
        expect "$CF_MODE: larger: the server's file is untouched" \
                [ "$(remote_sha "$R/longer.bin")" = "$before_longer" ]

        cf_session "verbose; cd $R; reput small.bin missing.bin"
        expect "$CF_MODE: reput onto a missing file (SIZE refused): refused with a message" \
                eval 'cf_rc_is 2 && cf_says "does not tell its size" && [ ! -e "$FTP_ROOT/$R/missing.bin" ]'

        cf_session "verbose; cd $R; reput bad.bin"
        expect "$CF_MODE: reput of an EICAR file whose clean half is on the server: refused (exit 1)" \
                eval 'cf_rc_is 1 && cf_says "infected"'
        expect "$CF_MODE: EICAR: nothing is sent, the server's file is left as it was" \
                eval '! cf_says "--> (STOR|APPE|REST)" && [ "$(remote_sha "$R/bad.bin")" = "$before_bad" ]'
done

cf_session "ascii; reput big.bin active/big.bin"
expect "reput in ASCII type: refused with a message" eval 'cf_rc_is 2 && cf_says "binary mode"'

# a server that refuses REST: the rest is appended with APPE
vsftpd_stop
P=$SUITE_DIR/pyftpd
mkdir -p "$P/root"
head -c $HALF big.bin >"$P/root/big.bin"
PORT=$(free_port)
/usr/bin/python3 - "$PORT" "$P/root" >"$P/out" 2>&1 </dev/null <<'PY' &
import sys
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer
class NoRestHandler(FTPHandler):
    def ftp_REST(self, line):
        self.respond("502 REST is not allowed here.")
auth = DummyAuthorizer()
auth.add_user("clamftp-test", "clamftp-test-Pw1", sys.argv[2], perm="elradfmwMT")
NoRestHandler.authorizer = auth
NoRestHandler.permit_foreign_addresses = False
FTPServer(("127.0.0.1", int(sys.argv[1])), NoRestHandler).serve_forever()
PY
PYFTPD_PID=$!
if wait_until 10 ftp_banner_ok "$PORT"; then
        FTP_PORT=$PORT
        CF_MODE=passive
        cf_session "verbose; reput big.bin"
        expect "REST refused: reput goes on with APPE (exit 0)" \
                eval 'cf_rc_is 0 && cf_says "--> REST $HALF" && cf_says "--> APPE big.bin"'
        expect_file_equal "REST refused: the appended result is byte-identical" big.bin "$P/root/big.bin"
        expect "REST refused: the message says APPE was used" cf_says "with APPE"
else
        expect "pyftpdlib (REST refused) starts" failed_with "$P/out"
fi

tap_done
