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
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/clamd.sh"
. "$top_srcdir/tests/lib/ftpd.sh"
. "$top_srcdir/tests/lib/clamftp.sh"
. "$top_srcdir/tests/lib/tui.sh"

[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import pyftpdlib' 2>/dev/null ||
        tap_skip_all "pyftpdlib is not installed for /usr/bin/python3 (package python3-pyftpdlib)"
clamd_available || tap_skip_all "clamd is not installed (package clamav-daemon)"

dir=$(mktemp -d "${TMPDIR:-/tmp}/clamftp-tui-queue.XXXXXX")
trap 'pyftpd_stop; clamd_stop; rm -rf "$dir"' EXIT
clamftp_env "$dir" || tap_skip_all "cannot make a private HOME"
clamd_start "$dir/clamd" 2>"$dir/clamd.err" || { tap_diag <"$dir/clamd.err"; tap_skip_all "clamd did not start"; }
pyftpd_start "$dir/ftpd" || tap_skip_all "pyftpdlib did not start"

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
s
@dump $s/by-size
s
@dump $s/by-time
s.
@dump $s/no-dotfiles
./virus<Enter><F2>
@dump $s/scanned
/<Enter>:lcd do<Tab>
@dump $s/complete-local
<Esc>:get on<Tab>
@dump $s/complete-remote
<Esc><F3><Home>
@dump $s/log
<Esc>:put docs/note.txt<Enter>
:get extra.dat<Enter>
<F9>
@dump $s/typed-queue
<Esc>:status<Enter>
<F10>
SCRIPT

cd "$work"
CLAMFTP_NO_DISPLAY=1 CLAMFTP_SCRIPT=$dir/script1 COLUMNS=100 LINES=30 \
        timeout -k 5 60 "$(clamftp_bin)" --scanner "$CLAMD_ADDRESS" --audit-log "$CF_AUDIT" \
        >"$dir/out1" 2>&1
rc=$?
cd /

same() {
        local desc=$1
        if cmp -s "$2" "$3"; then tap_ok "$desc"; else tap_not_ok "$desc"; ls -l "$2" "$3" 2>&1 | tap_diag; fi
}

if [ "$rc" -eq 1 ]; then
        tap_ok "the first run ends on F10 with status 1 (files were refused)"
else
        tap_not_ok "the first run ends on F10 with status 1 (got $rc)"
        tap_diag <"$dir/out1"
fi

# three files and EICAR in one go
expect selected "Insert selects four files" -cE '^\*(a|b|c)\.txt|^\*eicar'
expect conflict "a destination that exists asks what to do" -F "b.txt exists on the server (4 bytes"
expect conflict "the dialog offers overwrite, rename, skip and the same for all" -E 'o:overwrite +O:overwrite all +r:resume +R:resume all +n:rename'
expect conflict "the dialog offers skip and skip all" -E 's:skip +S:skip all'
expect conflict "an upload onto a smaller file on the server offers resume" -F "r:resume"
expect rename "rename proposes a free name" -F "b (1).txt"
same "a.txt is on the server byte for byte" "$work/a.txt" "$srv/a.txt"
same "c.txt is on the server byte for byte" "$work/c2.txt" "$srv/c.txt" # renamed below
same "b.txt went up under the new name" "$dir/b.orig" "$srv/b (1).txt"
[ "$(cat "$srv/b.txt")" = old ] && tap_ok "the server's b.txt was left alone" || tap_not_ok "the server's b.txt was left alone"
[ ! -e "$srv/eicar.com" ] && tap_ok "EICAR is not on the server" || tap_not_ok "EICAR is not on the server"
expect uploaded "the remote pane lists the new files" -E '\| b \(1\)\.txt +2000 '
expect uploaded "EICAR is marked in the local pane" -E '^!eicar\.com'
expect queue "the queue view counts three done and one refused" -F "3 done, 1 refused"
for f in a.txt 'b (1).txt' c.txt; do
        expect queue "the queue view lists $f as done" -E "^ +[0-9]+ -> done +${f//[()]/.}"
done
expect queue "the queue view shows EICAR as INFECTED with the signature" -E -e '-> INFECTED +eicar\.com +Clamftp\.Test\.EICAR'
expect conflict-again "F5 of the same file asks again" -F "b.txt exists on the server"
expect mget-queue "a skipped upload is listed as skipped" -E -e '-> skipped +b\.txt'

# moves
same "Shift-F6 moves a file up: on the server byte for byte" "$dir/move.orig" "$srv/move.txt"
expect_not moved-up "Shift-F6 moves a file up: gone from the local pane" -E '^.move\.txt'   # (mget *.txt brings it back later)
[ -f "$work/gone.txt" ] && [ ! -e "$srv/gone.txt" ] && tap_ok "Shift-F6 moves a file down: here, gone from the server" ||
        tap_not_ok "Shift-F6 moves a file down: here, gone from the server"
expect moved-up "the moved file is in the remote pane" -E '\| move\.txt +'

# resume
expect resume-question "a download onto a smaller file offers resume" -E 'r:resume +R:resume all'
expect resumed "the download resumed where the local file ended" -F "resumed after 100.0"
same "the resumed file is the server's byte for byte" "$srv/part.bin" "$work/part.bin"

# F6 in the remote pane
expect rename-remote-prompt "F6 asks for the new name" -F "Rename x.log to:"
[ -f "$srv/y.log" ] && [ ! -e "$srv/x.log" ] && tap_ok "F6 renamed the remote file" || tap_not_ok "F6 renamed the remote file"

# mget with a pattern
expect mget-question "mget asks only about the files that exist here (the conflict dialog)" -F "a.txt exists here"
expect mget-conflict "a file that exists here is a conflict with resume not offered for equal names" -F "exists here"
for f in one.txt two.txt; do
        same "mget *.txt fetched $f" "$srv/$f" "$work/$f"
        expect mget-queue "the queue lists $f as its own job, done" -E "<- done +${f}"
done
same "overwrite all replaced the local b.txt with the server's" "$srv/b.txt" "$work/b.txt"
[ ! -e "$work/y.log" ] && tap_ok "mget *.txt left other names alone" || tap_not_ok "mget *.txt left other names alone"

# F6 in the local pane, sort, dot files, filter, scan
[ -f "$work/c2.txt" ] && [ ! -e "$work/c.txt" ] && tap_ok "F6 renamed the local file" || tap_not_ok "F6 renamed the local file"
expect renamed-local "the renamed file is listed" -E '^ c2\.txt'
expect by-size "s sorts by size, largest first" -E '^>Local: .*\[size\]'
got=$(grep -E '^ [^ .]' "$s/by-size" 2>/dev/null | grep -v '/ ' | head -n 1)
case $got in
" part.bin"*) tap_ok "the largest file comes first" ;;
*) tap_not_ok "the largest file comes first"; show by-size ;;
esac
expect by-time "s again sorts by time" -E '^>Local: .*\[time\]'
got=$(grep -E '^ [a-z]' "$s/by-time" 2>/dev/null | grep -v 'DIR' | head -n 1)
case $got in
" virus.com"*) tap_ok "the newest file comes first" ;;
*) tap_not_ok "the newest file comes first"; show by-time ;;
esac
expect no-dotfiles "a dot hides dot files" -E '^>Local: .*\[-\.\]'
expect_not no-dotfiles "no dot file is listed" -E '^ \.hidden'
expect scanned "F2 scans the file under the cursor and marks it" -E '^!virus\.com'
expect scanned "F2 says what the scanner found" -F "INFECTED (Clamftp.Test.EICAR"
expect scanned "the quick filter shows what it matches" -E '^>Local: .*\[/virus\]'
[ ! -e "$srv/virus.com" ] && tap_ok "F2 uploads nothing" || tap_not_ok "F2 uploads nothing"

# typed transfers are queue jobs too
same ":put docs/note.txt keeps its directory on the server" "$work/docs/note.txt" "$srv/docs/note.txt"
same ":get extra.dat downloads into the local directory" "$srv/extra.dat" "$work/extra.dat"
expect typed-queue "the typed put is a job of the queue" -E -e '-> done +note\.txt'
expect typed-queue "the typed get is a job of the queue" -E -e '<- done +extra\.dat'

# completion, log
expect complete-local "Tab completes a local directory" -E '^:lcd docs/$'
expect complete-remote "Tab completes a remote name from the pane" -E '^:get one\.txt$'
expect log "F3 shows older messages" -F "Logged in as $FTP_USER"

# the history kept across runs
hist=$XDG_STATE_HOME/clamftp/history
if [ -f "$hist" ] && grep -qx 'status' "$hist" && grep -qx 'mget \*.txt' "$hist"; then
        tap_ok "the command history is written to \$XDG_STATE_HOME/clamftp/history"
else
        tap_not_ok "the command history is written to \$XDG_STATE_HOME/clamftp/history"
        cat "$hist" 2>&1 | tap_diag
fi
cat >"$dir/script2" <<SCRIPT
:<Up>
@dump $s/history
<Esc><Esc>0
SCRIPT
cd "$work"
CLAMFTP_NO_DISPLAY=1 CLAMFTP_SCRIPT=$dir/script2 COLUMNS=100 LINES=30 \
        timeout -k 5 30 "$(clamftp_bin)" --scanner "$CLAMD_ADDRESS" >"$dir/out2" 2>&1
cd /
expect history "the next run's Up brings back the last command" -E '^:status$'

tap_done
