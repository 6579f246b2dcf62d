#!/bin/bash
# tests/integration/commands-put.sh — uploads through the scanner (real clamd) to a real vsftpd, in
# passive and active mode: put <file>, put <full path>, put of a directory, put into a nested
# remote path (parents created), mput of names, `*.txt`, `folder/**/*.py` and a directory, with
# the per-file prompt answered y/n/a/q and with -n; every uploaded file compared byte for byte on
# the server side.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin commands-put scanner vsftpd clamftp:open,put,mput
CF_DEADLINE=30

# local files, in CF_LOCAL (the working directory suite_begin chose)
head -c 300000 /dev/urandom >one.bin
printf 'alpha\n' >a.txt
printf 'beta\n' >b.txt
printf 'gamma\n' >c.txt
printf 'delta\n' >d.txt
printf 'not text\n' >e.dat
mkdir -p folder/sub/deeper folder/other "$SUITE_DIR/abs"
printf 'print(1)\n' >folder/top.py
printf 'print(2)\n' >folder/sub/mid.py
printf 'print(3)\n' >folder/sub/deeper/low.py
printf 'not python\n' >folder/sub/notes.txt
head -c 50000 /dev/urandom >"$SUITE_DIR/abs/full-path.bin"

same_on_server() { same_file "$1" "$FTP_ROOT/$2"; }
# the remote names (relative to R) of the files whose base name is $2, anywhere below R
all_txt_in() {
        local f
        for f in a b c d; do same_on_server $f.txt "$1/$f.txt" || return 1; done
}
found_below() { (cd "$FTP_ROOT/$1" && find . -type f -name "$2" | sed 's|^\./||'); }
# the server's copies of NAME… in $O replaced by "old NAME"; kept_on_server NAME: still that
old_on_server() {
        local f
        for f; do printf 'old %s\n' "$f" >"$FTP_ROOT/$O/$f"; done
        ftp_own
}
kept_on_server() { [ "$(cat "$FTP_ROOT/$O/$1")" = "old $1" ]; }
audit_lines() { wc -l <"$CF_AUDIT" 2>/dev/null || echo 0; }
# asked_in_order ERE…: the last run's output has a line for each, in this order
asked_in_order() {
        local at=0 line re
        for re; do
                line=$(printf '%s\n' "$CF_ALL" | grep -nE -- "$re" | head -n 1 | cut -d: -f1)
                [ -n "$line" ] && [ "$line" -gt "$at" ] || { echo "not in order: $re (line ${line:-none})"; return 1; }
                at=$line
        done
}

for CF_MODE in $CF_MODES; do
        R=$CF_MODE
        mkdir -p "$FTP_ROOT/$R/over"
        ftp_own

        cf_session "cd $R; put one.bin"
        expect "$CF_MODE: put FILE: exit 0" cf_rc_is 0
        expect "$CF_MODE: put FILE: the server holds the same bytes (sha256)" \
                [ "$(sha_of one.bin)" = "$(sha_of "$FTP_ROOT/$R/one.bin" 2>/dev/null)" ]

        cf_session "cd $R; put $SUITE_DIR/abs/full-path.bin"
        expect "$CF_MODE: put /full/path: exit 0" cf_rc_is 0
        expect "$CF_MODE: put /full/path: arrives under its base name in the remote directory" \
                same_on_server "$SUITE_DIR/abs/full-path.bin" "$R/full-path.bin"

        cf_session "cd $R; put folder/sub/notes.txt"
        expect "$CF_MODE: put DIR/FILE: says the path as typed and where it went" \
                cf_says 'Uploaded folder/sub/notes\.txt as folder/sub/notes\.txt'

        cf_session "cd $R; put folder/other"
        expect "$CF_MODE: put of an empty directory makes it on the server" \
                eval 'cf_rc_is 0 && [ -d "$FTP_ROOT/$R/folder/other" ]'

        cf_session "cd $R; put a.txt x/y/z/a-nested.txt"
        expect "$CF_MODE: put FILE x/y/z/NAME: exit 0" cf_rc_is 0
        expect "$CF_MODE: put FILE x/y/z/NAME: the missing parents are created" \
                same_on_server a.txt "$R/x/y/z/a-nested.txt"

        cf_session "cd $R; put a.txt /$R/abs1/abs2/a-abs.txt"
        expect "$CF_MODE: put FILE /absolute/remote/NAME: parents created, file there" \
                eval 'cf_rc_is 0 && same_on_server a.txt "$R/abs1/abs2/a-abs.txt"'

        # mput with names and prompt off
        mkdir -p "$FTP_ROOT/$R/names" && ftp_own
        CF_INPUT="$FTP_USER
$FTP_PASS
" cf_run -n -c "open 127.0.0.1 $FTP_PORT; cd $R/names; mput a.txt b.txt one.bin"
        expect "$CF_MODE: mput NAMES with -n: exit 0" cf_rc_is 0
        expect "$CF_MODE: mput NAMES with -n: every named file uploaded" \
                eval 'same_on_server a.txt $R/names/a.txt && same_on_server b.txt $R/names/b.txt && same_on_server one.bin $R/names/one.bin'

        # mput *.txt with prompt off
        mkdir -p "$FTP_ROOT/$R/glob" && ftp_own
        cf_session "prompt; cd $R/glob; mput *.txt"
        expect "$CF_MODE: prompt off; mput *.txt: exit 0" cf_rc_is 0
        expect "$CF_MODE: mput *.txt uploads every .txt file" \
                all_txt_in "$R/glob"
        expect "$CF_MODE: mput *.txt leaves the other files" \
                eval '[ ! -e "$FTP_ROOT/$R/glob/e.dat" ] && [ ! -e "$FTP_ROOT/$R/glob/one.bin" ]'

        # mput folder/**/*.py
        mkdir -p "$FTP_ROOT/$R/py" && ftp_own
        cf_session "prompt; cd $R/py; mput folder/**/*.py"
        expect "$CF_MODE: mput folder/**/*.py: exit 0" cf_rc_is 0
        for f in top.py mid.py low.py; do
                where=$(found_below "$R/py" "$f")
                expect "$CF_MODE: mput folder/**/*.py uploads $f (found: ${where:-nothing})" \
                        eval '[ -n "$where" ] && same_on_server "$(find folder -name $f)" "$R/py/$where"'
        done
        expect "$CF_MODE: mput folder/**/*.py leaves the .txt beside them" \
                [ -z "$(found_below "$R/py" notes.txt)" ]
        where=$(found_below "$R/py" low.py)
        expect "$CF_MODE: mput folder/**/*.py keeps the relative path (got ${where:-nothing})" \
                [ "$where" = "folder/sub/deeper/low.py" ]

        # mput of a directory: everything below it, empty directories included (as F5 copies it)
        mkdir -p "$FTP_ROOT/$R/tree" && ftp_own
        cf_session "prompt; cd $R/tree; mput folder"
        expect "$CF_MODE: mput DIR: exit 0" cf_rc_is 0
        expect "$CF_MODE: mput DIR uploads every file below it, keeping the paths" \
                eval 'same_on_server folder/top.py $R/tree/folder/top.py && same_on_server folder/sub/deeper/low.py $R/tree/folder/sub/deeper/low.py && same_on_server folder/sub/notes.txt $R/tree/folder/sub/notes.txt'
        expect "$CF_MODE: mput DIR makes its empty directory" [ -d "$FTP_ROOT/$R/tree/folder/other" ]

        # the per-file prompt: y, n, a  -> a.txt yes, b.txt no, c.txt and d.txt by "all"
        mkdir -p "$FTP_ROOT/$R/ask1" && ftp_own
        cf_session "cd $R/ask1; mput a.txt b.txt c.txt d.txt" y n a
        expect "$CF_MODE: mput with prompt (y n a): exit 0" cf_rc_is 0
        expect "$CF_MODE: answer y uploads a.txt" same_on_server a.txt "$R/ask1/a.txt"
        expect "$CF_MODE: answer n skips b.txt" [ ! -e "$FTP_ROOT/$R/ask1/b.txt" ]
        expect "$CF_MODE: answer a uploads c.txt and every later file without asking" \
                eval 'same_on_server c.txt $R/ask1/c.txt && same_on_server d.txt $R/ask1/d.txt'
        # y, q -> only a.txt
        mkdir -p "$FTP_ROOT/$R/ask2" && ftp_own
        cf_session "cd $R/ask2; mput a.txt b.txt c.txt" y q
        expect "$CF_MODE: mput with prompt (y q): a.txt uploaded" same_on_server a.txt "$R/ask2/a.txt"
        expect "$CF_MODE: answer q stops the command: b.txt and c.txt are not uploaded" \
                eval '[ ! -e "$FTP_ROOT/$R/ask2/b.txt" ] && [ ! -e "$FTP_ROOT/$R/ask2/c.txt" ]'
        # a glob with the prompt on
        mkdir -p "$FTP_ROOT/$R/ask3" && ftp_own
        cf_session "cd $R/ask3; mput *.txt" n y n y
        expect "$CF_MODE: mput *.txt with prompt (n y n y): exactly b.txt and d.txt uploaded" \
                eval '[ ! -e "$FTP_ROOT/$R/ask3/a.txt" ] && same_on_server b.txt $R/ask3/b.txt && [ ! -e "$FTP_ROOT/$R/ask3/c.txt" ] && same_on_server d.txt $R/ask3/d.txt'
        expect "$CF_MODE: the prompt names each file" eval 'cf_says a.txt && cf_says c.txt'

        # a file that exists on the server: asked while prompt is on (y n a q, as mget asks of a
        # local file); a file kept is said, never scanned (no audit record) and is no failure
        O=$R/over
        old_on_server a.txt
        cf_session "cd $O; put a.txt" y
        expect "$CF_MODE: put onto a file on the server, answer y: exit 0" cf_rc_is 0
        expect "$CF_MODE: put, answer y: the question names the remote file" \
                cf_says 'a\.txt exists on the server\. Overwrite it\?'
        expect "$CF_MODE: put, answer y: replaced" same_on_server a.txt "$O/a.txt"
        audit_before=$(audit_lines)
        old_on_server a.txt
        cf_session "cd $O; put a.txt; pwd" n
        expect "$CF_MODE: put, answer n: exit 0 and the script goes on" \
                eval 'cf_rc_is 0 && cf_stdout_has "Remote directory: .*over"'
        expect "$CF_MODE: put, answer n: the server's file is kept" kept_on_server a.txt
        expect "$CF_MODE: put, answer n: said" cf_says 'a\.txt was not overwritten'
        expect "$CF_MODE: put, answer n: never scanned (no audit record)" \
                [ "$(audit_lines)" = "$audit_before" ]
        old_on_server a.txt
        cf_session "cd $O; put a.txt" q
        expect "$CF_MODE: put, answer q: exit 0, kept" eval 'cf_rc_is 0 && kept_on_server a.txt'
        rm -f "$FTP_ROOT/$O/x.txt"
        cf_session "cd $O; put a.txt x.txt"
        expect "$CF_MODE: put onto a name the server does not have: no question, uploaded" \
                eval 'cf_rc_is 0 && ! cf_says "Overwrite it" && same_on_server a.txt "$O/x.txt"'

        # mput: every "Upload x?" first (y y n a), then the overwrite questions (y n a); "all" to
        # the uploads is no yes to overwriting
        old_on_server a.txt b.txt c.txt d.txt one.bin
        rm -f "$FTP_ROOT/$O/e.dat"
        cf_session "cd $O; mput a.txt b.txt c.txt d.txt one.bin e.dat" y y n a  y n a
        expect "$CF_MODE: mput onto files on the server (y n a): exit 0" cf_rc_is 0
        expect "$CF_MODE: mput, y: a.txt replaced" same_on_server a.txt "$O/a.txt"
        expect "$CF_MODE: mput, n: b.txt kept and said" \
                eval 'kept_on_server b.txt && cf_says "b\.txt was not overwritten"'
        expect "$CF_MODE: mput, declined by \"Upload c.txt?\": kept and not asked to overwrite" \
                eval 'kept_on_server c.txt && ! cf_says "c\.txt exists on the server"'
        expect "$CF_MODE: mput, \"all\" to the uploads: d.txt still asked about, a: replaced" \
                eval 'cf_says "d\.txt exists on the server" && same_on_server d.txt $O/d.txt'
        expect "$CF_MODE: mput, a: one.bin replaced without asking" \
                eval 'same_on_server one.bin $O/one.bin && ! cf_says "one\.bin exists on the server"'
        expect "$CF_MODE: mput: the file the server did not have went" same_on_server e.dat "$O/e.dat"
        expect "$CF_MODE: mput: the \"Upload x?\" questions come before the overwrite questions" \
                asked_in_order 'Upload a\.txt\?' 'Upload d\.txt\?' 'a\.txt exists on the server' \
                'd\.txt exists on the server'
        # q keeps this one and leaves the rest alone
        old_on_server a.txt b.txt c.txt
        rm -f "$FTP_ROOT/$O/e.dat"
        cf_session "cd $O; mput a.txt b.txt e.dat c.txt" a y q
        expect "$CF_MODE: mput (a, then y q): exit 0" cf_rc_is 0
        expect "$CF_MODE: mput, y after \"all\" to the uploads: a.txt replaced" same_on_server a.txt "$O/a.txt"
        expect "$CF_MODE: mput, q: b.txt kept and said" \
                eval 'kept_on_server b.txt && cf_says "b\.txt was not overwritten"'
        expect "$CF_MODE: mput, q: the rest is left alone (e.dat not uploaded, c.txt kept, not asked)" \
                eval '[ ! -e "$FTP_ROOT/$O/e.dat" ] && kept_on_server c.txt && ! cf_says "c\.txt exists on the server"'

        # prompt off (in the script, or -n): nothing asked, everything replaced
        old_on_server a.txt b.txt c.txt
        cf_session "prompt; cd $O; put a.txt; mput b.txt c.txt"
        expect "$CF_MODE: prompt off: put and mput replace without asking (exit 0)" \
                eval 'cf_rc_is 0 && ! cf_says "Overwrite it" && same_on_server a.txt $O/a.txt && same_on_server b.txt $O/b.txt && same_on_server c.txt $O/c.txt'
        old_on_server a.txt
        cf_login 127.0.0.1 "cd $O; put a.txt"
        expect "$CF_MODE: -n: put replaces without asking (exit 0)" \
                eval 'cf_rc_is 0 && ! cf_says "Overwrite it" && same_on_server a.txt $O/a.txt'

        # commands on standard input: each answer is the line after its command; a script that
        # turns the prompt off is asked nothing after that
        old_on_server a.txt b.txt c.txt
        CF_INPUT="open 127.0.0.1 $FTP_PORT
$FTP_USER
$FTP_PASS
cd $O
put a.txt
n
put b.txt
y
prompt
put c.txt
pwd
" cf_run
        expect "$CF_MODE: script on stdin, answers n then y: exit 0, every command ran" \
                eval 'cf_rc_is 0 && cf_stdout_has "Remote directory: .*over"'
        expect "$CF_MODE: script on stdin: n kept a.txt, y replaced b.txt" \
                eval 'kept_on_server a.txt && same_on_server b.txt $O/b.txt'
        expect "$CF_MODE: script on stdin: after \"prompt\" (off) c.txt replaced, not asked" \
                eval 'same_on_server c.txt $O/c.txt && [ "$(printf "%s\n" "$CF_ALL" | grep -c "Overwrite it")" = 2 ]'

        # a missing local file
        cf_session "cd $R; put no-such-local-file"
        expect "$CF_MODE: put of a missing local file: exit 2" cf_rc_is 2
        expect "$CF_MODE: mput of a pattern that matches nothing: exit 2 or a message" \
                eval 'cf_session "cd $R; mput *.nomatch"; [ "$CF_RC" -eq 2 ] || [ -n "$CF_ALL" ]'
done

tap_done
