#!/bin/bash
# tests/integration/commands-mlsd.sh — the same commands against pyftpdlib, a server that offers
# MLSD (vsftpd does not), in passive and active mode: ls, mget of a pattern and of a directory
# (recursion through MLSD types), get and put with the scanner; downloads keep the MLSD modify
# time without asking MDTM, and put sets the local file's time on the server with MFMT.
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
# times far from today, to the second
touch -d '2019-03-04 05:06:07 UTC' "$S/one.txt" "$S/tree/sub/low.bin" "$S/three.bin"
touch -d '2018-01-02 03:04:05 UTC' "$SUITE_DIR/up.txt"
same_mtime() { [ "$(stat -c %Y "$1")" = "$(stat -c %Y "$2")" ]; }

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
        expect "$CF_MODE: mget: the files keep the server's modify time (a name and a tree's file)" \
                eval 'same_mtime "$S/one.txt" one.txt && same_mtime "$S/tree/sub/low.bin" tree/sub/low.bin'
        expect "$CF_MODE: mget: MLSD gave the times, no MDTM was asked" eval '! cf_says "--> MDTM"'
        cf_session "cd m; get three.bin"
        expect "$CF_MODE: get: byte-identical" eval 'cf_rc_is 0 && same_file "$S/three.bin" three.bin'
        expect "$CF_MODE: get: the file keeps the server's time (asked with MDTM)" same_mtime "$S/three.bin" three.bin
        cf_session "verbose; cd m; put $SUITE_DIR/up.txt up-$CF_MODE.txt"
        expect "$CF_MODE: put (scanned): byte-identical on the server" \
                eval 'cf_rc_is 0 && same_file "$SUITE_DIR/up.txt" "$S/up-$CF_MODE.txt"'
        expect "$CF_MODE: put: MFMT gives the server's copy the local file's time" \
                eval 'cf_says "--> MFMT 20180102030405 up-$CF_MODE.txt" && same_mtime "$SUITE_DIR/up.txt" "$S/up-$CF_MODE.txt"'
done

tap_done
