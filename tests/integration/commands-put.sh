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

for CF_MODE in $CF_MODES; do
        R=$CF_MODE
        mkdir -p "$FTP_ROOT/$R"
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

        # a missing local file
        cf_session "cd $R; put no-such-local-file"
        expect "$CF_MODE: put of a missing local file: exit 2" cf_rc_is 2
        expect "$CF_MODE: mput of a pattern that matches nothing: exit 2 or a message" \
                eval 'cf_session "cd $R; mput *.nomatch"; [ "$CF_RC" -eq 2 ] || [ -n "$CF_ALL" ]'
done

tap_done
