#!/bin/bash
# tests/integration/commands-get.sh — downloads from a real vsftpd in passive and active mode:
# get <file>, get <file> <dir>, get <file> <new full path>; mget of names, patterns, with a
# destination directory, and a directory fetched recursively; an existing local file is not
# overwritten when the prompt is answered n; no .part file is left behind; downloads keep the
# server's modification time (vsftpd offers no MLSD: asked with MDTM).
. "$top_srcdir/tests/lib/suite.sh"

suite_begin commands-get scanner vsftpd clamftp:open,get,mget
CF_DEADLINE=30

mkdir -p "$FTP_ROOT/g/tree/sub/deeper"
head -c 400000 /dev/urandom >"$FTP_ROOT/g/one.bin"
printf 'two\n' >"$FTP_ROOT/g/two.txt"
printf 'three\n' >"$FTP_ROOT/g/three.txt"
printf 'four\n' >"$FTP_ROOT/g/four.dat"
printf 'name with spaces\n' >"$FTP_ROOT/g/with space.txt"
printf 'top\n' >"$FTP_ROOT/g/tree/top.txt"
printf 'mid\n' >"$FTP_ROOT/g/tree/sub/mid.py"
head -c 70000 /dev/urandom >"$FTP_ROOT/g/tree/sub/deeper/low.bin"
touch -d '2019-03-04 05:06:07 UTC' "$FTP_ROOT/g/one.bin" "$FTP_ROOT/g/tree/sub/deeper/low.bin"
ftp_own
S=$FTP_ROOT/g
same_mtime() { [ "$(stat -c %Y "$1")" = "$(stat -c %Y "$2")" ]; }

no_part_left() { [ -z "$(find "$1" -name '*.part')" ]; }
tree_same() {
        same_file "$S/tree/top.txt" "$1/top.txt" &&
                same_file "$S/tree/sub/mid.py" "$1/sub/mid.py" &&
                same_file "$S/tree/sub/deeper/low.bin" "$1/sub/deeper/low.bin"
}

for CF_MODE in $CF_MODES; do
        L=$SUITE_DIR/dl-$CF_MODE
        mkdir -p "$L/cwd" "$L/into" "$L/new/place" "$L/mdest" "$L/pat" "$L/rec" "$L/names"
        cd "$L/cwd" || exit 1

        cf_session "cd g; get one.bin"
        expect "$CF_MODE: get FILE: exit 0" cf_rc_is 0
        expect_file_equal "$CF_MODE: get FILE: the local copy is byte-identical" "$S/one.bin" one.bin
        expect "$CF_MODE: get FILE: no .part file is left" no_part_left .
        expect "$CF_MODE: get FILE: the file keeps the server's modification time" same_mtime "$S/one.bin" one.bin

        cf_session "cd g; get two.txt $L/into"
        expect "$CF_MODE: get FILE DIR: exit 0" cf_rc_is 0
        expect_file_equal "$CF_MODE: get FILE DIR: the file lands in DIR under its name" "$S/two.txt" "$L/into/two.txt"

        cf_session "cd g; get one.bin $L/new/place/renamed.bin"
        expect "$CF_MODE: get FILE /new/full/path: exit 0" cf_rc_is 0
        expect_file_equal "$CF_MODE: get FILE /new/full/path: written under the new name" "$S/one.bin" "$L/new/place/renamed.bin"

        cf_session "get g/three.txt"
        expect "$CF_MODE: get DIR/FILE: saved as FILE in the local directory" \
                eval 'cf_rc_is 0 && same_file "$S/three.txt" three.txt'

        cf_session 'cd g; get "with space.txt"'
        expect "$CF_MODE: get \"name with space\": exit 0 and the file arrives" \
                eval 'cf_rc_is 0 && same_file "$S/with space.txt" "with space.txt"'

        cd "$L/names" || exit 1
        cf_session "prompt; cd g; mget two.txt three.txt one.bin"
        expect "$CF_MODE: mget NAMES: exit 0" cf_rc_is 0
        expect "$CF_MODE: mget NAMES: every named file arrives" \
                eval 'same_file "$S/two.txt" two.txt && same_file "$S/three.txt" three.txt && same_file "$S/one.bin" one.bin'
        expect "$CF_MODE: mget NAMES: nothing else" [ ! -e four.dat ]

        cd "$L/pat" || exit 1
        cf_session "prompt; cd g; mget *.txt"
        expect "$CF_MODE: mget *.txt: exit 0" cf_rc_is 0
        expect "$CF_MODE: mget *.txt fetches the .txt files" \
                eval 'same_file "$S/two.txt" two.txt && same_file "$S/three.txt" three.txt && same_file "$S/with space.txt" "with space.txt"'
        expect "$CF_MODE: mget *.txt leaves the others" eval '[ ! -e four.dat ] && [ ! -e one.bin ]'

        cd "$L/cwd" || exit 1
        cf_session "prompt; cd g; mget *.txt *.dat $L/mdest"
        expect "$CF_MODE: mget PATTERNS DIR: exit 0" cf_rc_is 0
        expect "$CF_MODE: mget PATTERNS DIR: the files land in DIR" \
                eval 'same_file "$S/two.txt" "$L/mdest/two.txt" && same_file "$S/four.dat" "$L/mdest/four.dat"'

        cd "$L/rec" || exit 1
        cf_session "prompt; cd g; mget tree"
        expect "$CF_MODE: mget DIRECTORY: exit 0" cf_rc_is 0
        expect "$CF_MODE: mget DIRECTORY fetches it recursively" tree_same "$L/rec/tree"
        expect "$CF_MODE: mget DIRECTORY: a file of the tree keeps the server's time" \
                same_mtime "$S/tree/sub/deeper/low.bin" "$L/rec/tree/sub/deeper/low.bin"
        mkdir -p "$L/rec/dest"
        cf_session "prompt; mget g/tree $L/rec/dest"
        expect "$CF_MODE: mget DIRECTORY DEST: the tree lands in DEST" \
                eval 'cf_rc_is 0 && tree_same "$L/rec/dest/tree"'
        expect "$CF_MODE: no .part file is left anywhere" no_part_left "$L"

        # a planted directory symlink in the destination is not followed by a recursive mget
        mkdir -p "$L/planted" "$L/outside-dir"
        ln -s "$L/outside-dir" "$L/planted/tree"
        cd "$L/planted" || exit 1
        cf_session "prompt; cd g; mget tree"
        expect "$CF_MODE: mget DIRECTORY over a planted symlink: nothing written through it" \
                [ -z "$(ls -A "$L/outside-dir")" ]
        expect "$CF_MODE: mget DIRECTORY over a planted symlink: the symlink is left as it was" \
                [ -L "$L/planted/tree" ]
        expect "$CF_MODE: mget DIRECTORY over a planted symlink: reported (exit 2)" cf_rc_is 2

        # an existing local file and the prompt on
        cd "$L/cwd" || exit 1
        printf 'keep me\n' >keep.txt
        cp "$S/two.txt" "$S/keep.txt" && ftp_own
        cf_session "cd g; get keep.txt" n
        expect "$CF_MODE: get over an existing file, answer n: the local file is kept" \
                [ "$(cat keep.txt)" = "keep me" ]
        expect "$CF_MODE: answer n: the question was asked" cf_says 'keep\.txt'
        cf_session "cd g; mget keep.txt two.txt" n n
        expect "$CF_MODE: mget over an existing file, answer n: the local file is kept" \
                [ "$(cat keep.txt)" = "keep me" ]
        cf_session "cd g; get keep.txt" y
        expect_file_equal "$CF_MODE: get over an existing file, answer y: replaced" "$S/keep.txt" keep.txt
        rm -f "$S/keep.txt"

        cf_session "cd g; get no-such-remote-file"
        expect "$CF_MODE: get of a missing remote file: exit 2" cf_rc_is 2
        expect "$CF_MODE: get of a missing remote file: no local file or .part" \
                eval '[ ! -e no-such-remote-file ] && [ ! -e no-such-remote-file.part ]'
done

tap_done
