#!/bin/bash
# tests/integration/commands-verify.sh — after every upload clamftp asks the server what it stored
# and compares it with the snapshot that was scanned: by the strongest digest the server offers,
# else by SIZE. The audit log's upload record carries "verify":{"method","remote","match"}, and
# `status` names the method.
# Pins: vsftpd (no digest command): SIZE, match true, for a plain name and one with a space;
# ProFTPD with mod_digest (DigestCache off): HASH SHA-256 with the file's own SHA-256, also for a
# name with a space (XSHA256 would refuse it), `status` says HASH SHA-256, reput checks the whole
# file and catches a same-size file that is not the scanned one; pyftpdlib: SIZE; a
# scripted server offering only XSHA256 (answering "250 <HEX>"): XSHA256, match; a scripted server
# whose HASH lies: the copy is deleted, sent once more, deleted again, the upload fails (exit 2)
# with a message naming the mismatch, and the audit log has a "retried" and a "failed" record,
# both "match":false. temp-upload: the file goes to .NAME.clamftp-XXXXXX, is checked there and
# renamed onto its name (replacing the old copy), no temporary file is left; with the lying
# server the final name is never written.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin commands-verify scanner vsftpd clamftp:open,put,status
CF_DEADLINE=30
. "$top_srcdir/tests/hostile/server.sh"

printf 'plain text\n' >plain.txt
head -c 300000 /dev/urandom >"with space.bin"
SHA_PLAIN=$(sha_of plain.txt)
CRC_PLAIN=$(/usr/bin/python3 -c 'import sys, zlib; print("%08x" % (zlib.crc32(open(sys.argv[1], "rb").read()) & 0xffffffff))' plain.txt)
SHA_SPACE=$(sha_of "with space.bin")

# verify_record REMOTE-SUFFIX METHOD MATCH [REMOTE-VALUE]: the last upload record of that file is
# done (or failed when MATCH is false) with that verify object.
verify_record() {
        /usr/bin/python3 - "$CF_AUDIT" "$@" <<'PY'
import json, sys
audit, name, method, match = sys.argv[1:5]
want_remote = sys.argv[5] if len(sys.argv) > 5 else None
ups = [json.loads(l) for l in open(audit) if '"event":"upload"' in l.replace(" ", "")]
mine = [r for r in ups if str(r.get("remote", "")).endswith(name)]
if not mine:
    sys.exit("no upload record of %r in %d records" % (name, len(ups)))
v = mine[-1].get("verify")
want = {"true": True, "false": False}[match]
if not v or v.get("method") != method or v.get("match") is not want:
    sys.exit("verify of %r: %r" % (name, mine[-1]))
if want_remote is not None and str(v.get("remote", "")).lower() != want_remote.lower():
    sys.exit("the server said %r, expected %r" % (v.get("remote"), want_remote))
PY
}

# ---- vsftpd: SIZE ----
rm -f "$CF_AUDIT"
cf_session "put plain.txt; put \"with space.bin\"; status"
expect "vsftpd: both uploads: exit 0" cf_rc_is 0
expect "vsftpd: verified by SIZE, the server's size" verify_record plain.txt SIZE true "$(stat -c %s plain.txt)"
expect "vsftpd: the name with a space too" verify_record "with space.bin" SIZE true 300000
expect "vsftpd: status names SIZE" cf_stdout_has 'Uploads checked on the server by: SIZE'

# ---- temp-upload: a hidden temporary name, renamed onto the file once stored and checked ----
printf 'old server copy\n' >"$FTP_ROOT/plain.txt"
ftp_own
cf_session "temp-upload; verbose; put plain.txt; status" y
expect "temp-upload: exit 0, the file replaced byte for byte" \
        eval 'cf_rc_is 0 && same_file plain.txt "$FTP_ROOT/plain.txt"'
expect "temp-upload: stored under a hidden temporary name, checked there, then renamed" \
        eval 'cf_says "^--> STOR \.plain\.txt\.clamftp-[0-9a-f]{6}$" && cf_says "^--> SIZE \.plain\.txt\.clamftp-" &&
              cf_says "^--> RNFR \.plain\.txt\.clamftp-" && cf_says "^--> RNTO plain\.txt$"'
expect "temp-upload: no temporary file is left" eval '[ -z "$(ls -A "$FTP_ROOT" | grep clamftp-)" ]'
expect "temp-upload: status says it is on" cf_stdout_has 'Temporary names for uploads: on'

# ---- ProFTPD with mod_digest: HASH SHA-256 ----
if why=$(proftpd_available); then
        rm -f "$CF_AUDIT"
        suite_start "ProFTPD with mod_digest" proftpd_start "$SUITE_DIR/proftpd" "LoadModule mod_digest.c" \
                "<IfModule mod_digest.c>" "DigestEngine on" "DigestCache off" "</IfModule>" \
                "AllowStoreRestart on"
        cf_session "verbose; put plain.txt; put \"with space.bin\"; status"
        expect "ProFTPD: both uploads: exit 0" cf_rc_is 0
        expect "ProFTPD: verified by HASH SHA-256: the snapshot's own SHA-256" \
                verify_record plain.txt "HASH SHA-256" true "$SHA_PLAIN"
        expect "ProFTPD: a name with a space is verified by HASH too" \
                verify_record "with space.bin" "HASH SHA-256" true "$SHA_SPACE"
        expect "ProFTPD: OPTS HASH chose SHA-256 once" \
                eval '[ "$(printf "%s\n" "$CF_ALL" | grep -c -- "--> OPTS HASH SHA-256")" = 1 ]'
        expect "ProFTPD: status names HASH SHA-256" cf_stdout_has 'Uploads checked on the server by: HASH SHA-256'
        # reput: the whole file is checked after the rest was sent; a same-size file that is not
        # the scanned one is caught by its digest where SIZE would call it complete
        head -c 120000 "with space.bin" >"$FTP_ROOT/part.bin"
        head -c 300000 /dev/urandom >"$FTP_ROOT/other.bin"
        ftp_own
        rm -f "$CF_AUDIT"
        cf_session "reput \"with space.bin\" part.bin"
        expect "ProFTPD: reput sends the rest, then the whole file is checked by HASH SHA-256" \
                eval 'cf_rc_is 0 && same_file "with space.bin" "$FTP_ROOT/part.bin" &&
                      verify_record part.bin "HASH SHA-256" true "$SHA_SPACE"'
        cf_session "reput \"with space.bin\" other.bin"
        expect "ProFTPD: reput onto another file of the same size: exit 2, not called complete" \
                eval 'cf_rc_is 2 && cf_says "other\.bin is not the file that was scanned" && ! cf_says "already complete"'
        proftpd_stop
else
        skip "ProFTPD: $why"
fi

# ---- pyftpdlib: SIZE ----
if why=$(suite_missing python:pyftpdlib); then
        rm -f "$CF_AUDIT"
        suite_start pyftpdlib pyftpd_start "$SUITE_DIR/py"
        cf_session "put plain.txt"
        expect "pyftpdlib: exit 0, verified by SIZE" eval 'cf_rc_is 0 && verify_record plain.txt SIZE true'
        pyftpd_stop
else
        skip "pyftpdlib: $why"
fi

# ---- scripted servers: an honest XSHA256, a lying HASH ----
FTP_USER=anonymous FTP_PASS=test@example.org
rm -f "$CF_AUDIT"
start_server digest-x
cf_session "put plain.txt"
expect "XSHA256 only: exit 0, verified by XSHA256 (its capitals read)" \
        eval 'cf_rc_is 0 && verify_record plain.txt XSHA256 true "$SHA_PLAIN"'

rm -f "$CF_AUDIT"
start_server digest-xcrc
cf_session "put plain.txt"
expect "XCRC only: exit 0, verified by XCRC (its CRC-32 matched)" \
        eval 'cf_rc_is 0 && verify_record plain.txt XCRC true "$CRC_PLAIN"'
rm -f "$CF_AUDIT"
start_server digest-xcrc-damage
cf_session "put plain.txt"
expect "XCRC, a copy of the right size with a byte changed: caught, sent twice, exit 2 ($CF_RC)" \
        eval 'cf_rc_is 2 && [ "$(grep -c "^STOR of" "$SRV_DIR/log")" = 2 ] && [ "$(grep -c "^DELE of" "$SRV_DIR/log")" = 2 ]'

rm -f "$CF_AUDIT"
start_server digest-liar
cf_session "put plain.txt"
expect "a lying HASH: the upload fails, exit 2 ($CF_RC)" cf_rc_is 2
expect "a lying HASH: the message says the server's copy is not what was scanned" \
        cf_says 'is not the file that was scanned \(HASH SHA-256'
expect "a lying HASH: sent twice, deleted twice" \
        eval '[ "$(grep -c "^STOR of" "$SRV_DIR/log")" = 2 ] && [ "$(grep -c "^DELE of" "$SRV_DIR/log")" = 2 ]'
liar_records() {
        /usr/bin/python3 - "$CF_AUDIT" <<'PY'
import json, sys
ups = [json.loads(l) for l in open(sys.argv[1]) if '"upload"' in l]
results = [(r.get("result"), (r.get("verify") or {}).get("match")) for r in ups]
sys.exit(0 if results == [("retried", False), ("failed", False)] else "upload records: %r" % ups)
PY
}
expect "a lying HASH: the audit log has the retried and the failed upload, both not matching" liar_records

start_server digest-liar
cf_session "temp-upload; put plain.txt"
expect "a lying HASH, temp-upload: exit 2, and the final name was never written" \
        eval 'cf_rc_is 2 && ! grep -q "^STOR of .plain.txt.$" "$SRV_DIR/log" && [ "$(grep -c "^STOR of .\.plain\.txt\.clamftp-" "$SRV_DIR/log")" = 2 ]'
expect "a lying HASH, temp-upload: each temporary copy deleted" \
        eval '[ "$(grep -c "^DELE of .\.plain\.txt\.clamftp-" "$SRV_DIR/log")" -ge 2 ]'

tap_done
