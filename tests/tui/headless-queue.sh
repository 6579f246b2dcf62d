#!/bin/bash
# tests/tui/headless-queue.sh — the transfer queue and the file manager's second slice without a
# terminal (CLAMFTP_NO_DISPLAY key scripts, screens dumped as text) against a private pyftpdlib
# and clamd, then the files on both sides compared byte for byte.
# Covers: three files and EICAR selected and F5'd in one go (the queue view lists three done and
# one INFECTED with its signature), the conflict dialog (rename, skip; resume of a download;
# overwrite all), Shift-F6 moves both ways, `:mget` with a pattern (one job per file), typed
# `:put` and `:get` as jobs, F6 in
# both panes, sort, dot files, the quick filter, F2 scan, Tab completion, the message log, and
# the command history kept across two runs.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin tui-queue clamd pyftpd home

export TZ=UTC LC_ALL=C.UTF-8
work=$dir/work
srv=$FTP_ROOT
mkdir -p "$work/docs"
echo note >"$work/docs/note.txt"
head -c 1000 /dev/urandom >"$work/a.txt"
head -c 2000 /dev/urandom >"$work/b.txt"
head -c 3000 /dev/urandom >"$work/c.txt"
eicar >"$work/eicar.com"
echo "move me up" >"$work/move.txt"
cp "$work/move.txt" "$dir/move.orig"
head -c 300000 /dev/urandom >"$srv/part.bin"
head -c 100000 "$srv/part.bin" >"$work/part.bin"     # a download cut at 100 kB
echo hidden >"$work/.hidden"
mkdir -p "$srv/trash/sub" && echo a >"$srv/trash/a.txt" && echo b >"$srv/trash/sub/b.txt"
ln -s "$dir" "$srv/trash/sub/escape"            # deleted as a link, never followed
eicar >"$work/virus.com"
echo old >"$srv/b.txt"
echo one >"$srv/one.txt"
echo two >"$srv/two.txt"
echo log >"$srv/x.log"
echo "move me down" >"$srv/gone.txt"
head -c 5000 /dev/urandom >"$srv/extra.dat"
cp "$work/b.txt" "$dir/b.orig"
touch -d '2024-05-01 12:00' "$work"/* "$srv"/*
touch -d '2030-06-01 12:00' "$work/virus.com"   # the newest, whatever arrives today

s=$dir/screens
mkdir -p "$s"
# local pane: .. docs/ .hidden a.txt b.txt c.txt eicar.com move.txt part.bin virus.com
cat >"$dir/script1" <<SCRIPT
:open 127.0.0.1 $FTP_PORT<Enter>
$FTP_USER<Enter>
$FTP_PASS<Enter>
<Down><Down><Down><Insert><Insert><Insert><Insert>
@dump $s/selected
<F5>
@dump $s/conflict
n
@dump $s/rename
<Enter>
@dump $s/uploaded
<F9>
@dump $s/queue
<Esc>/b.txt<Enter><F5>
@dump $s/conflict-again
s
/move<Enter><S-F6>
@dump $s/moved-up
/<Enter><Tab>/part<Enter><F5>
@dump $s/resume-question
r
@dump $s/resumed
/gone<Enter><S-F6>
@dump $s/moved-down
/x.log<Enter><F6>
@dump $s/rename-remote-prompt
<C-u>y.log<Enter>
@dump $s/renamed-remote
/<Enter>:mget *.txt<Enter>
@dump $s/mget-question
a
@dump $s/mget-conflict
O
@dump $s/mget-done
<F9><End>
@dump $s/mget-queue
<Esc><Tab>/c.txt<Enter><F6>
<C-u>c2.txt<Enter>
/<Enter>
@dump $s/renamed-local
/c2<Enter><F6>
<C-u>a.txt<Enter>
@dump $s/rename-onto
n
@dump $s/rename-kept
/<Enter>
s
@dump $s/by-size
s
@dump $s/by-time
s.
@dump $s/no-dotfiles
./virus<Enter><F2>
@dump $s/scanned
/.com<Enter>*
@dump $s/refused-selected
<F8>
@dump $s/delete-question
<Esc>*
<Tab>/trash<Enter><F8>
@dump $s/delete-tree
y
<C-x>m
@dump $s/deleted-tree
<Esc>/<Enter><Tab>
/<Enter>:lcd do<Tab>
@dump $s/complete-local
<Esc>:get on<Tab>
@dump $s/complete-remote
<Esc><C-x>m<Home>
@dump $s/log
<Esc>:put docs/note.txt<Enter>
:get extra.dat<Enter>
<F9>
@dump $s/typed-queue
<Esc>:status<Enter>
<F10>
SCRIPT

tui_headless "$work" 100x30 60 "$dir/script1" "$dir/out1" --scanner "$CLAMD_ADDRESS" --audit-log "$CF_AUDIT"

expect "the first run ends on F10 with status 2 (F8 could not delete all of a tree; that outranks the refusals)" tui_exited 2

# three files and EICAR in one go
expect "Insert selects four files" screen_has selected -cE '^\*(a|b|c)\.txt|^\*eicar'
expect "a destination that exists asks what to do" screen_has conflict -F "b.txt exists on the server (4 bytes"
expect "the dialog offers overwrite, rename, skip and the same for all" screen_has conflict -E 'o:overwrite +O:overwrite all +r:resume +R:resume all +n:rename'
expect "the dialog offers skip and skip all" screen_has conflict -E 's:skip +S:skip all'
expect "an upload onto a smaller file on the server offers resume" screen_has conflict -F "r:resume"
expect "rename proposes a free name" screen_has rename -F "b (1).txt"
expect_file_equal "a.txt is on the server byte for byte" "$work/a.txt" "$srv/a.txt"
expect_file_equal "c.txt is on the server byte for byte" "$work/c2.txt" "$srv/c.txt" # renamed below
expect_file_equal "b.txt went up under the new name" "$dir/b.orig" "$srv/b (1).txt"
expect "the server's b.txt was left alone" eval '[ "$(cat "$srv/b.txt")" = old ]'
expect "EICAR is not on the server" [ ! -e "$srv/eicar.com" ]
expect "the remote pane lists the new files" screen_has uploaded -E '\| b \(1\)\.txt +2000 '
expect "EICAR is marked in the local pane" screen_has uploaded -E '^!eicar\.com'
expect "the queue view counts three done and one refused" screen_has queue -F "3 done, 1 refused"
for f in a.txt 'b (1).txt' c.txt; do
        expect "the queue view lists $f as done" screen_has queue -E "^ +[0-9]+ -> done +${f//[()]/.}"
done
expect "the queue view shows EICAR as INFECTED with the signature" screen_has queue -E -e '-> INFECTED +eicar\.com +Clamftp\.Test\.EICAR'
expect "F5 of the same file asks again" screen_has conflict-again -F "b.txt exists on the server"
expect "a skipped upload is listed as skipped" screen_has mget-queue -E -e '-> skipped +b\.txt'

# moves
expect_file_equal "Shift-F6 moves a file up: on the server byte for byte" "$dir/move.orig" "$srv/move.txt"
expect "Shift-F6 moves a file up: gone from the local pane" screen_lacks moved-up -E '^.move\.txt'   # (mget *.txt brings it back later)
expect "Shift-F6 moves a file down: here, gone from the server" eval '[ -f "$work/gone.txt" ] && [ ! -e "$srv/gone.txt" ]'
expect "the moved file is in the remote pane" screen_has moved-up -E '\| move\.txt +'

# resume
expect "a download onto a smaller file offers resume" screen_has resume-question -E 'r:resume +R:resume all'
expect "the download resumed where the local file ended" screen_has resumed -F "resumed after 100.0"
expect_file_equal "the resumed file is the server's byte for byte" "$srv/part.bin" "$work/part.bin"

# F6 in the remote pane
expect "F6 asks for the new name" screen_has rename-remote-prompt -F "Rename x.log to:"
expect "F6 renamed the remote file" eval '[ -f "$srv/y.log" ] && [ ! -e "$srv/x.log" ]'

# mget with a pattern
expect "mget asks only about the files that exist here (the conflict dialog)" screen_has mget-question -F "a.txt exists here"
expect "a file that exists here is a conflict with resume not offered for equal names" screen_has mget-conflict -F "exists here"
for f in one.txt two.txt; do
        expect_file_equal "mget *.txt fetched $f" "$srv/$f" "$work/$f"
        expect "the queue lists $f as its own job, done" screen_has mget-queue -E "<- done +${f}"
done
expect_file_equal "overwrite all replaced the local b.txt with the server's" "$srv/b.txt" "$work/b.txt"
expect "mget *.txt left other names alone" [ ! -e "$work/y.log" ]

# F6 in the local pane, sort, dot files, filter, scan
expect "F6 renamed the local file" eval '[ -f "$work/c2.txt" ] && [ ! -e "$work/c.txt" ]'
expect "the renamed file is listed" screen_has renamed-local -E '^ c2\.txt'
expect "F6 onto a name that exists asks first" screen_has rename-onto -F "a.txt exists already: replace it with c2.txt?"
expect "F6 answered no keeps both files" eval '[ -f "$work/c2.txt" ] && cmp -s "$work/a.txt" "$srv/a.txt"'
expect "F6 answered no says so" screen_has rename-kept -F "Not renamed: a.txt stays as it was."
expect "s sorts by size, largest first" screen_has by-size -E '^>Local: .*\[size\]'
got=$(grep -E '^ [^ .]' "$s/by-size" 2>/dev/null | grep -v '/ ' | head -n 1)
expect "the largest file comes first" eval '[[ $got == " part.bin"* ]] || { show by-size; false; }'
expect "s again sorts by time" screen_has by-time -E '^>Local: .*\[time\]'
got=$(grep -E '^ [a-z]' "$s/by-time" 2>/dev/null | grep -v 'DIR' | head -n 1)
expect "the newest file comes first" eval '[[ $got == " virus.com"* ]] || { show by-time; false; }'
expect "a dot hides dot files" screen_has no-dotfiles -E '^>Local: .*\[-\.\]'
expect "no dot file is listed" screen_lacks no-dotfiles -E '^ \.hidden'
expect "F2 scans the file under the cursor and marks it" screen_has scanned -E '^!virus\.com'
expect "F2 says what the scanner found" screen_has scanned -F "INFECTED (Clamftp.Test.EICAR"
expect "the quick filter shows what it matches" screen_has scanned -E '^>Local: .*\[/virus\]'
expect "F2 uploads nothing" [ ! -e "$srv/virus.com" ]
expect "a refused file that is selected shows the selection mark" screen_has refused-selected -cE '^\*(eicar|virus)\.com'
expect "F8 names what it would delete" screen_has delete-question -F "Delete 2 entries (eicar.com, virus.com)?"
expect "Esc at F8's question deletes nothing" eval '[ -f "$work/eicar.com" ] && [ -f "$work/virus.com" ]'
expect "F8 on a directory counts what goes with it" screen_has delete-tree -F "Delete trash and the 4 entries below it?"
expect "F8 answered yes deletes the files of the tree" eval '[ ! -e "$srv/trash/a.txt" ] && [ ! -e "$srv/trash/sub/b.txt" ]'
# pyftpdlib refuses every command on a link that leads out of its root, even DELE: what could
# not be deleted is said, and nothing the link points to is touched
expect "F8 says what it could not delete" screen_has deleted-tree -F "3 of the 5 entries of trash could not be deleted"
expect "F8 never follows the link" eval '[ -f "$dir/b.orig" ] && [ -L "$srv/trash/sub/escape" ]'

# typed transfers are queue jobs too
expect_file_equal ":put docs/note.txt keeps its directory on the server" "$work/docs/note.txt" "$srv/docs/note.txt"
expect_file_equal ":get extra.dat downloads into the local directory" "$srv/extra.dat" "$work/extra.dat"
expect "the typed put is a job of the queue" screen_has typed-queue -E -e '-> done +note\.txt'
expect "the typed get is a job of the queue" screen_has typed-queue -E -e '<- done +extra\.dat'

# completion, log
expect "Tab completes a local directory" screen_has complete-local -E '^:lcd docs/$'
expect "Tab completes a remote name from the pane" screen_has complete-remote -E '^:get one\.txt$'
expect "Ctrl-X m shows older messages" screen_has log -F "Logged in as $FTP_USER"

# the history kept across runs
hist=$XDG_STATE_HOME/clamftp/history
history_kept() { [ -f "$hist" ] && grep -qx 'status' "$hist" && grep -qx 'mget \*.txt' "$hist" || { cat "$hist"; false; }; }
expect "the command history is written to \$XDG_STATE_HOME/clamftp/history" history_kept
cat >"$dir/script2" <<SCRIPT
:<Up>
@dump $s/history
<Esc><Esc>0
SCRIPT
tui_headless "$work" 100x30 30 "$dir/script2" "$dir/out2" --scanner "$CLAMD_ADDRESS"
expect "the next run's Up brings back the last command" screen_has history -E '^:status$'

tap_done
