#!/bin/bash
# tests/tui/tmux-transfers.sh — the full-screen transfers in a real terminal (tmux) against a
# rate-limited vsftpd and the real clamav-agent.
# Covers: the remote pane refreshes after files arrived while the batch still runs (checked
# while the batch waits on a conflict dialog after its uploads, so no timing decides it); the
# conflict dialog's "resume" of an upload (the queue view says where it resumed); the remote
# cursor stays on its name after the batch; typed :mput asks with the conflict dialog when the
# file exists on the server; F5 on a local directory with an EICAR file inside (refused, absent
# from the server, the rest and an empty directory arrive); cancelling a directory's job in the
# queue view cancels its running and waiting files and its row says how many had arrived.
. "$top_srcdir/tests/lib/suite.sh"

SUITE_VSFTPD_CONF=(local_max_rate=400000)
suite_begin tmux-transfers tmux scanner vsftpd clamftp:open,put,mput
work=$CF_LOCAL
srv=$FTP_ROOT

for f in f1 f2 f3 f4 f5 f6; do head -c 300000 /dev/urandom >"$work/$f.bin"; done
head -c 600000 /dev/urandom >"$work/half.bin"
head -c 300000 "$work/half.bin" >"$srv/half.bin"
echo "on the server" >"$srv/aaa.txt"
echo "here" >"$work/aaa.txt"
echo "zzz on the server" >"$srv/zzz.txt"
echo "zzz here" >"$work/zzz.txt"
mkdir -p "$work/tree/sub" "$work/tree/empty" "$srv/big"
for i in 01 02 03 04 05 06 07 08 09 10; do head -c 500000 /dev/urandom >"$srv/big/b$i.bin"; done
echo one >"$work/tree/one.txt"
echo two >"$work/tree/sub/two.txt"
eicar >"$work/tree/sub/eicar.com"
ftp_own

tui_start 110 32 "$work" -- --scanner "$CF_SCANNER" --audit-log "$CF_AUDIT" ||
        skip_all "tmux cannot start a session here"

wait_screen 10 '^>Local: ' || expect "the panes come up" false
text ":open 127.0.0.1 $FTP_PORT"; keys Enter
tui_login
expect "logged in: the remote pane lists the server" wait_screen 15 '\| aaa\.txt '

# ---- the remote pane follows the batch ----------------------------------------------------
# remote pane: big/ aaa.txt half.bin zzz.txt; its cursor goes to zzz.txt. Local pane:
# .. tree/ aaa.txt f1.bin … f6.bin half.bin zzz.txt. Selected: f1 … zzz. The batch asks about
# half.bin (resume: f1 … f6 are sent, then the rest of half.bin), then about zzz.txt: while that
# question waits, the batch is still running and its files have arrived.
keys Tab; text "/zzz"; keys Enter; text "/"; keys Enter; keys Tab
keys Down Down Down Insert Insert Insert Insert Insert Insert Insert Insert F5
expect "an upload onto a smaller server file offers resume" wait_screen 15 'r:resume'
keys r
arrived() {
        local now; now=$(screen)
        grep -qE '\| f1\.bin +300000' <<<"$now" && grep -qE '\| f6\.bin +300000' <<<"$now" &&
                grep -qE '\| half\.bin +600000' <<<"$now" && grep -qE 'zzz\.txt exists on the server' <<<"$now"
}
expect "the remote pane lists the files sent while the batch still runs (it waits on a question)" eval 'wait_until 30 arrived || { screen; false; }'
keys s
expect "resume: the job ends" wait_screen 30 'Resumed .*half\.bin'
expect "at the end the remote pane lists all six" wait_screen 30 '\| f6\.bin +300000'
for f in f1 f2 f3 f4 f5 f6; do expect_file_equal "$f.bin is on the server byte for byte" "$work/$f.bin" "$srv/$f.bin"; done
expect_file_equal "resume: the server's half.bin is whole, byte for byte" "$work/half.bin" "$srv/half.bin"
expect "skip: the server's zzz.txt is left as it was" eval '[ "$(cat "$srv/zzz.txt")" = "zzz on the server" ]'
wait_screen 10 '\| idle \|' >/dev/null
keys Tab F6
expect "after the batch the remote cursor is still on its name (zzz.txt)" wait_screen 5 'Rename zzz\.txt to'
keys Escape Tab
keys F9
expect "the queue view says where the upload resumed" wait_screen 10 'half\.bin.*resumed from 300\.0.kB'
keys Escape

# ---- typed :mput through the dialog ---------------------------------------------------------
text ":mput aaa.txt"; keys Enter
expect ":mput asks with the conflict dialog when the file exists on the server" wait_screen 15 'aaa\.txt exists on the server'
keys s F9
expect "skip: the queue view lists aaa.txt as skipped" wait_screen 10 '-> skipped +aaa\.txt'
keys Escape
expect ":mput, skip: the server's file is left as it was" eval '[ "$(cat "$srv/aaa.txt")" = "on the server" ]'

# ---- F5 on a local directory with EICAR inside ---------------------------------------------
text "/tree"; keys Enter F5
wait_until 30 test -f "$srv/tree/sub/two.txt"
keys F9
expect "F5 on a local directory: the queue view shows the EICAR file inside INFECTED" wait_screen 30 \
        'INFECTED +tree/sub/eicar\.com +.*EICAR'
keys Escape
expect_file_equal "F5 on a local directory: tree/one.txt arrived" "$work/tree/one.txt" "$srv/tree/one.txt"
expect_file_equal "F5 on a local directory: tree/sub/two.txt arrived" "$work/tree/sub/two.txt" "$srv/tree/sub/two.txt"
expect "F5 on a local directory: the EICAR file did not arrive" [ ! -e "$srv/tree/sub/eicar.com" ]
expect "F5 on a local directory: its empty directory is made on the server" wait_until 10 test -d "$srv/tree/empty"
text "/"; keys Enter

# ---- cancelling a directory's job -----------------------------------------------------------
# big/ holds ten files of 500 kB: at 400 kB/s each takes over a second. The finished jobs are
# cleared first, so the directory's row is the first; it is cancelled once its first file arrived.
complete() { local n=0 i; for i in 01 02 03 04 05 06 07 08 09 10; do cmp -s "$srv/big/b$i.bin" "$work/big/b$i.bin" && n=$((n + 1)); done; echo $n; }
keys F9 x
expect "x clears the finished jobs from the queue view" wait_screen 10 'Transfer queue: 0 jobs'
keys Escape Tab; text "/big"; keys Enter F5
wait_until 30 cmp -s "$srv/big/b01.bin" "$work/big/b01.bin" || tap_diag <<<"big/b01.bin did not arrive"
keys F9 Home c
expect "cancelling a directory's job cancels it: its row says how many files had arrived" wait_screen 30 \
        '<- cancelled +big/ .* [0-9]+ of 10 files'
arrived_n=$(screen | sed -nE 's/.*<- cancelled +big\/ .* ([0-9]+) of 10 files.*/\1/p' | head -1)
have=$(complete)
expect "the count is the files that arrived before the cancel ($have of 10)" eval '[ -n "$arrived_n" ] && [ "$arrived_n" -eq "$have" ] && [ "$have" -ge 1 ] && [ "$have" -lt 10 ]'
expect "the file running at the cancel is cancelled too" wait_screen 10 '<- cancelled +big/b[0-9]+\.bin'
expect "no file of the directory arrives after the cancel" eval '[ ! -e "$work/big/b10.bin" ] && [ "$(complete)" -eq "$have" ]'
keys Escape

keys F10
wait_screen 10 'CLAMFTP-EXIT=' >/dev/null
tap_done
