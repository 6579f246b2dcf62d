#!/bin/bash
# tests/tui/headless-transfers.sh — the full-screen transfers without a terminal (CLAMFTP_NO_DISPLAY
# key script, screens dumped as text) against a private vsftpd and the real clamav-agent.
# Covers: the conflict dialog's "resume" of an upload (only the rest is sent: vsftpd's xferlog
# counts it; the queue view says where it resumed), F5 on a local directory tree (every file
# scanned, remote directories made, an EICAR file inside refused and absent from the server),
# F5 on a remote directory tree (downloaded file by file), typed :get, :mget and :mput asking
# with the conflict dialog (overwrite, skip) instead of a yes/no question, all as queue jobs;
# empty directories of a tree made on the server (F5 up) and here (F5 down, a symlink not
# followed); the remote cursor stays on its name after an upload, and goes to the nearest row
# when a move took that name away; the dialog's rename (F5 and typed, both ways): the file is
# stored under the new name and the message after the transfer says that name.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin headless-transfers scanner vsftpd clamftp:open,reput,put,get,mput,mget
export TZ=UTC LC_ALL=C.UTF-8
work=$CF_LOCAL
srv=$FTP_ROOT

head -c 500000 /dev/urandom >"$work/big.bin"
head -c 200000 "$work/big.bin" >"$srv/big.bin"
mkdir -p "$work/tree/sub/deeper"
echo alpha >"$work/tree/a.txt"
head -c 3000 /dev/urandom >"$work/tree/sub/b.bin"
echo gamma >"$work/tree/sub/deeper/c.txt"
eicar >"$work/tree/sub/eicar.com"
mkdir -p "$work/tree/empty" "$work/tree/sub/hollow/inner" "$work/void"
mkdir -p "$srv/rdir/deep" "$srv/rdir/vacant" "$srv/rdir/deep/hole/inner"
ln -s /etc "$srv/rdir/lnk"
echo "move me" >"$srv/mv.txt"
echo "after" >"$srv/zz.txt"
echo x >"$srv/rdir/x.txt"
head -c 4000 /dev/urandom >"$srv/rdir/deep/y.bin"
echo "server copy" >"$srv/exists.txt"
echo "local copy" >"$work/exists.txt"
echo "m1 server" >"$srv/m1.txt"
echo "m2 server" >"$srv/m2.txt"
echo "m1 local" >"$work/m1.txt"
cp "$work/m1.txt" "$SUITE_DIR/m1.orig"
echo "up server" >"$srv/zzz-up.txt"
echo "up local, renamed" >"$work/zzz-up.txt"
echo "down server, renamed" >"$srv/zzz-down.txt"
echo "down local" >"$work/zzz-down.txt"
echo "f5 up server" >"$srv/zzz-f5up.txt"
echo "f5 up local, renamed" >"$work/zzz-f5up.txt"
echo "f5 down server, renamed" >"$srv/zzz-f5down.txt"
echo "f5 down local" >"$work/zzz-f5down.txt"
ftp_own
touch -d '2024-05-01 12:00' "$work"/* "$srv"/*

s=$SUITE_DIR/screens
mkdir -p "$s"
cat >"$SUITE_DIR/script" <<SCRIPT
:open 127.0.0.1 $FTP_PORT<Enter>
$FTP_USER<Enter>
$FTP_PASS<Enter>
<Tab>/m2.txt<Enter>/<Enter><Tab>/big.bin<Enter><F5>
@dump $s/resume-question
r
@dump $s/resumed
<Tab><F6>
@dump $s/remote-cursor-kept
<Esc>/mv.txt<Enter>/<Enter><S-F6>
@dump $s/moved-down
<F6>
@dump $s/remote-cursor-nearest
<Esc><Tab><F9><End>
@dump $s/resumed-queue
<Esc>/tree<Enter><F5>
@dump $s/tree-up
<F9><End>
@dump $s/tree-queue
<Esc>/void<Enter><F5>
<Esc>/<Enter><Tab>/rdir<Enter><F5>
@dump $s/tree-down
/<Enter><Tab>:get exists.txt<Enter>
@dump $s/get-conflict
o
@dump $s/got
:mget m*.txt<Enter>
@dump $s/mget-conflict
s
@dump $s/mget-done
:mput tree/a.txt big.bin<Enter>
@dump $s/mput-conflict
S
@dump $s/mput-done
<F9><End>
@dump $s/final-queue
<Esc>
:put zzz-up.txt<Enter>
@dump $s/put-question
n<Enter>
@dump $s/put-renamed
:get zzz-down.txt<Enter>
@dump $s/get-question
n<Enter>
@dump $s/get-renamed
/zzz-f5up.txt<Enter>/<Enter><F5>
@dump $s/f5up-question
n<Enter>
@dump $s/f5up-renamed
<Tab>/zzz-f5down.txt<Enter>/<Enter><F5>
@dump $s/f5down-question
n<Enter>
@dump $s/f5down-renamed
<Tab><F10>
SCRIPT

tui_headless "$work" 110x40 60 "$SUITE_DIR/script" "$SUITE_DIR/out" --scanner "$CF_SCANNER" --audit-log "$CF_AUDIT"

stor_bytes() { awk -v n="$1" '$12 == "i" && $9 ~ ("/" n "$") { b = $8 } END { print b + 0 }' "$FTP_XFERLOG"; }

expect "the run ends on F10 with status 1 (the EICAR file was refused)" tui_exited 1

# resume of an upload
expect "an upload onto a smaller server file asks, offering resume" screen_has resume-question -F "r:resume"
expect "the question names both sizes" screen_has resume-question -E "big\.bin exists on the server \(200\.0.kB"
expect_file_equal "resume: the server's big.bin is the local one byte for byte" "$work/big.bin" "$srv/big.bin"
sent=$(stor_bytes big.bin)
expect "resume: only the rest went over the wire (xferlog: $sent bytes)" eval '[ "$sent" -eq 300000 ] || { cat "$FTP_XFERLOG"; false; }'
expect "the queue view says where the upload resumed" screen_has resumed-queue -E "big\.bin.*resumed from 200\.0.kB"
expect "the audit log records the resumed upload with its offset" \
        grep -q '"remote":"big.bin","offset":200000,"result":"done"' "$CF_AUDIT"

# F5 on a local directory
expect_file_equal "F5 on a local directory: tree/a.txt arrived" "$work/tree/a.txt" "$srv/tree/a.txt"
expect_file_equal "F5 on a local directory: tree/sub/b.bin arrived" "$work/tree/sub/b.bin" "$srv/tree/sub/b.bin"
expect_file_equal "F5 on a local directory: tree/sub/deeper/c.txt arrived (directories made)" \
        "$work/tree/sub/deeper/c.txt" "$srv/tree/sub/deeper/c.txt"
expect "F5 on a local directory: the EICAR file inside did not arrive" [ ! -e "$srv/tree/sub/eicar.com" ]
expect "the queue lists each file of the directory" screen_has tree-queue -E -e '-> done +tree/sub/deeper/c\.txt'
expect "the EICAR file inside is INFECTED with its signature" screen_has tree-queue -E 'INFECTED +tree/sub/eicar\.com +.*EICAR'
expect "the directory's own job says how many files arrived" screen_has tree-queue -E -e '-> failed +tree/ .*3 of 4 files'
expect "the remote pane shows the new directory" screen_has tree-up -E '\| tree/'

# the remote cursor after a batch
expect "after an upload the remote cursor stays on its name (m2.txt)" screen_has remote-cursor-kept -F "Rename m2.txt to"
expect "Shift-F6 moved mv.txt down" eval '[ ! -e "$srv/mv.txt" ] && [ -f "$work/mv.txt" ]'
expect "the moved name gone, the remote cursor is on the nearest row (zz.txt)" screen_has remote-cursor-nearest -F "Rename zz.txt to"

# empty directories
for d in tree/empty tree/sub/hollow/inner void; do
        expect "F5 up: the empty directory $d is made on the server" [ -d "$srv/$d" ]
done
for d in rdir/vacant rdir/deep/hole/inner; do
        expect "F5 down: the empty directory $d is made here" eval '[ -d "$work/$d" ] && [ ! -L "$work/$d" ]'
done
expect "F5 down: the server's symlink is not followed or copied" eval '{ [ ! -e "$work/rdir/lnk" ] && [ ! -L "$work/rdir/lnk" ]; } || { ls -la "$work/rdir"; false; }'

# F5 on a remote directory
expect_file_equal "F5 on a remote directory: rdir/x.txt downloaded" "$srv/rdir/x.txt" "$work/rdir/x.txt"
expect_file_equal "F5 on a remote directory: rdir/deep/y.bin downloaded" "$srv/rdir/deep/y.bin" "$work/rdir/deep/y.bin"

# typed commands through the dialog
expect ":get of a file that exists here asks with the conflict dialog" screen_has get-conflict -F "exists.txt exists here"
expect ":get asks no yes/no question" screen_lacks get-conflict -F "Replace"
expect_file_equal ":get, overwrite: the server's copy is here" "$srv/exists.txt" "$work/exists.txt"
expect ":mget asks about the file that exists here with the dialog" screen_has mget-conflict -F "m1.txt exists here"
expect_file_equal ":mget, skip: m1.txt is left alone" "$SUITE_DIR/m1.orig" "$work/m1.txt"
expect_file_equal ":mget: m2.txt downloaded" "$srv/m2.txt" "$work/m2.txt"
expect ":mput asks when the file exists on the server" screen_has mput-conflict -F "tree/a.txt exists on the server"
expect ":mput, skip all: both are listed as skipped" screen_has final-queue -E -e '-> skipped +big\.bin'
expect "the typed get is a job of the queue" screen_has final-queue -E -e '<- done +exists\.txt'
expect "the skipped mget file is listed" screen_has final-queue -E -e '<- skipped +m1\.txt'

# the dialog's rename: the message after the transfer names the file as it was stored
# renamed WHAT DUMPS QUESTION NEW-MESSAGE OLD-MESSAGE STORED SOURCE KEPT KEPT-TEXT:
# DUMPS-question showed the dialog, DUMPS-renamed the message after it (NEW-MESSAGE, never
# OLD-MESSAGE); STORED holds SOURCE's bytes, KEPT still holds KEPT-TEXT
renamed() {
        expect "$1: the dialog asks" screen_has "$2-question" -F "$3"
        expect "$1: the message names the file as it was stored" screen_has "$2-renamed" -F "$4"
        expect "$1: the message does not name the file that was there" screen_lacks "$2-renamed" -F "$5"
        expect_file_equal "$1: stored under the new name" "$7" "$6"
        expect "$1: the file that was there is left as it was" eval '[ "$(cat "$8")" = "$9" ]'
}
renamed ":put, rename" put "zzz-up.txt exists on the server" "as zzz-up (1).txt (" "as zzz-up.txt (" \
        "$srv/zzz-up (1).txt" "$work/zzz-up.txt" "$srv/zzz-up.txt" "up server"
renamed ":get, rename" get "zzz-down.txt exists here" "Downloaded zzz-down (1).txt (" \
        "Downloaded zzz-down.txt (" "$work/zzz-down (1).txt" "$srv/zzz-down.txt" "$work/zzz-down.txt" "down local"
renamed "F5 up, rename" f5up "zzz-f5up.txt exists on the server" "as zzz-f5up (1).txt (" "as zzz-f5up.txt (" \
        "$srv/zzz-f5up (1).txt" "$work/zzz-f5up.txt" "$srv/zzz-f5up.txt" "f5 up server"
renamed "F5 down, rename" f5down "zzz-f5down.txt exists here" "Downloaded zzz-f5down (1).txt (" \
        "Downloaded zzz-f5down.txt (" "$work/zzz-f5down (1).txt" "$srv/zzz-f5down.txt" "$work/zzz-f5down.txt" \
        "f5 down local"

tap_done
