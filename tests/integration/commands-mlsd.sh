#!/bin/bash
# tests/integration/commands-mlsd.sh — the same commands against pyftpdlib, a server that offers
# MLSD (vsftpd does not), in passive and active mode: ls, mget of a pattern and of a directory
# (recursion through MLSD types), get and put with the scanner.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/ftpd.sh"
. "$top_srcdir/tests/lib/agent.sh"
. "$top_srcdir/tests/lib/clamftp.sh"

[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import pyftpdlib' 2>/dev/null ||
        tap_skip_all "pyftpdlib is not installed for /usr/bin/python3 (package python3-pyftpdlib)"
r=$(cf_scanner_available) || tap_skip_all "$r"
r=$(clamftp_ready open ls mget get put) || tap_skip_all "$r"
CF_DIR=$(mktemp -d)
trap 'cd /; pyftpd_stop; cf_scanner_stop; rm -rf "$CF_DIR"' EXIT
cf_scanner_start "$CF_DIR/scanner" >"$CF_DIR/scanner.err" 2>&1 || { echo "Bail out! the scanner ($CF_SCANNER_KIND) did not start"; exit 1; }
pyftpd_start "$CF_DIR/ftp" >"$CF_DIR/pyftpd.err" 2>&1 || { echo "Bail out! pyftpdlib did not start: $(cat "$CF_DIR/pyftpd.err")"; exit 1; }
clamftp_env "$CF_DIR"
CF_DEADLINE=30

S=$FTP_ROOT/m
mkdir -p "$S/tree/sub"
printf 'one\n' >"$S/one.txt"
printf 'two\n' >"$S/two.txt"
head -c 100000 /dev/urandom >"$S/three.bin"
printf 'top\n' >"$S/tree/top.txt"
head -c 30000 /dev/urandom >"$S/tree/sub/low.bin"
printf 'clean upload\n' >"$CF_DIR/up.txt"

for CF_MODE in $CF_MODES; do
        L=$CF_DIR/l-$CF_MODE
        mkdir -p "$L" && cd "$L" || exit 1
        cf_session "verbose; cd m; ls"
        cf_expect "$CF_MODE: ls: exit 0 and the names listed" \
                eval 'cf_rc_is 0 && cf_stdout_has one.txt && cf_stdout_has tree'
        cf_session "verbose; prompt off; cd m; mget *.txt tree"
        cf_expect "$CF_MODE: mget over MLSD: exit 0" cf_rc_is 0
        cf_expect "$CF_MODE: mget uses MLSD when the server offers it" cf_says 'MLSD'
        cf_expect "$CF_MODE: mget *.txt fetched the .txt files only" \
                eval 'same_file "$S/one.txt" one.txt && same_file "$S/two.txt" two.txt && [ ! -e three.bin ]'
        cf_expect "$CF_MODE: mget DIRECTORY recursed through MLSD" \
                eval 'same_file "$S/tree/top.txt" tree/top.txt && same_file "$S/tree/sub/low.bin" tree/sub/low.bin'
        cf_session "cd m; get three.bin"
        cf_expect "$CF_MODE: get: byte-identical" eval 'cf_rc_is 0 && same_file "$S/three.bin" three.bin'
        cf_session "cd m; put $CF_DIR/up.txt up-$CF_MODE.txt"
        cf_expect "$CF_MODE: put (scanned): byte-identical on the server" \
                eval 'cf_rc_is 0 && same_file "$CF_DIR/up.txt" "$S/up-$CF_MODE.txt"'
done

tap_done
