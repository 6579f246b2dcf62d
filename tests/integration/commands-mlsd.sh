#!/bin/bash
# tests/integration/commands-mlsd.sh — the same commands against pyftpdlib, a server that offers
# MLSD (vsftpd does not), in passive and active mode: ls, mget of a pattern and of a directory
# (recursion through MLSD types), get and put with the scanner.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin commands-mlsd pyftpd scanner clamftp:open,ls,mget,get,put
CF_DEADLINE=30

S=$FTP_ROOT/m
mkdir -p "$S/tree/sub"
printf 'one\n' >"$S/one.txt"
printf 'two\n' >"$S/two.txt"
head -c 100000 /dev/urandom >"$S/three.bin"
printf 'top\n' >"$S/tree/top.txt"
head -c 30000 /dev/urandom >"$S/tree/sub/low.bin"
printf 'clean upload\n' >"$SUITE_DIR/up.txt"

for CF_MODE in $CF_MODES; do
        L=$SUITE_DIR/l-$CF_MODE
        mkdir -p "$L" && cd "$L" || exit 1
        cf_session "verbose; cd m; ls"
        expect "$CF_MODE: ls: exit 0 and the names listed" \
                eval 'cf_rc_is 0 && cf_stdout_has one.txt && cf_stdout_has tree'
        cf_session "verbose; prompt off; cd m; mget *.txt tree"
        expect "$CF_MODE: mget over MLSD: exit 0" cf_rc_is 0
        expect "$CF_MODE: mget uses MLSD when the server offers it" cf_says 'MLSD'
        expect "$CF_MODE: mget *.txt fetched the .txt files only" \
                eval 'same_file "$S/one.txt" one.txt && same_file "$S/two.txt" two.txt && [ ! -e three.bin ]'
        expect "$CF_MODE: mget DIRECTORY recursed through MLSD" \
                eval 'same_file "$S/tree/top.txt" tree/top.txt && same_file "$S/tree/sub/low.bin" tree/sub/low.bin'
        cf_session "cd m; get three.bin"
        expect "$CF_MODE: get: byte-identical" eval 'cf_rc_is 0 && same_file "$S/three.bin" three.bin'
        cf_session "cd m; put $SUITE_DIR/up.txt up-$CF_MODE.txt"
        expect "$CF_MODE: put (scanned): byte-identical on the server" \
                eval 'cf_rc_is 0 && same_file "$SUITE_DIR/up.txt" "$S/up-$CF_MODE.txt"'
done

tap_done
