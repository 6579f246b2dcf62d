#!/bin/bash
# tests/tui/headless-edit.sh — F4 in the full screen without a terminal (CLAMFTP_NO_DISPLAY key
# script, screens dumped as text) against a private vsftpd and the real scanner, $EDITOR being a
# script that edits by the file's name: a remote file with a line appended (asked, yes: scanned,
# uploaded, on the server byte for byte, in the audit log), a remote file changed into EICAR
# (asked, yes: refused by the scanner, said, the server's copy unchanged, nothing stored), a
# remote file only touched (same content, newer time: nothing sent, said), a remote file changed
# but the question answered no (nothing sent), a local file (edited in place). Every copy was
# fetched into a private directory under $XDG_RUNTIME_DIR, and none is left.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin headless-edit scanner vsftpd home
export TZ=UTC LC_ALL=C.UTF-8
work=$dir/work
srv=$FTP_ROOT
run=$dir/run
mkdir -p "$work" "$run"
chmod 0700 "$run"
export XDG_RUNTIME_DIR=$run

for f in append eicar same declined; do
        printf '%s: first line\nsecond line\n' "$f" >"$srv/$f.txt"
        cp "$srv/$f.txt" "$dir/$f.orig"
done
echo "local first line" >"$work/local.txt"
ftp_own
touch -d '2024-05-01 12:00' "$srv"/*

export EDIT_LOG=$dir/edited EICAR_FILE=$dir/eicar.bytes
eicar >"$EICAR_FILE"
cat >"$dir/editor" <<'EDITOR'
#!/bin/sh
# an $EDITOR stand-in: records the file it got (and its directory's mode), then edits by name
printf '%s %s\n' "$1" "$(stat -c %a "$(dirname "$1")")" >>"$EDIT_LOG"
case $1 in
*/append.txt | */local.txt) echo "added by the editor" >>"$1" ;;
*/eicar.txt) cat "$EICAR_FILE" >"$1" ;;
*/same.txt) touch -d '2030-01-01 00:00' "$1" ;;
*/declined.txt) echo "not wanted" >>"$1" ;;
esac
EDITOR
chmod +x "$dir/editor"
export EDITOR=$dir/editor

s=$dir/screens
mkdir -p "$s"
cat >"$dir/script" <<SCRIPT
:open 127.0.0.1 $FTP_PORT<Enter>
$FTP_USER<Enter>
$FTP_PASS<Enter>
<Tab>/append.txt<Enter><F4>
@dump $s/append-question
y
@dump $s/append-done
/<Enter>/eicar.txt<Enter><F4>
@dump $s/eicar-question
y
<C-x>m
@dump $s/eicar-refused
<Esc>/<Enter>/same.txt<Enter><F4>
@dump $s/same
/<Enter>/declined.txt<Enter><F4>
@dump $s/declined-question
n
@dump $s/declined
/<Enter><Tab>/local.txt<Enter><F4>
@dump $s/local
<F10>
SCRIPT

tui_headless "$work" 100x30 90 "$dir/script" "$dir/out" --scanner "$CF_SCANNER" --audit-log "$CF_AUDIT"
expect "the run ends on F10 with status 1 (the EICAR edit was refused)" tui_exited 1

stored() { awk -v n="$1" '$12 == "i" && $9 ~ ("/" n "$")' "$FTP_XFERLOG" | wc -l; }

# changed: asked, then scanned and uploaded
expect "an edited remote file that changed is offered back" \
        screen_has append-question -F '/append.txt changed. Upload it back to the server (scanned first)?'
{ cat "$dir/append.orig"; echo "added by the editor"; } >"$dir/append.want"
expect_file_equal "yes: the server holds the edited file byte for byte" "$dir/append.want" "$srv/append.txt"
expect "the upload is said, scanned clean" screen_has append-done -E 'Uploaded append\.txt as /append\.txt \(51 bytes, scanned clean\)'
audited() { grep '"event":"upload"' "$CF_AUDIT" | grep '"remote":"/append.txt"' | grep -q '"result":"done"' || { cat "$CF_AUDIT"; false; }; }
expect "the audit log records the upload of the scanned copy" audited

# changed to EICAR: refused
expect "the EICAR edit is offered back too" screen_has eicar-question -F '/eicar.txt changed. Upload it back'
expect "the scanner refused it, and that is said" \
        screen_has eicar-refused -F 'The scanner refused the edited /eicar.txt: it was not uploaded, the server'"'"'s copy is unchanged.'
expect_file_equal "the server's eicar.txt is unchanged" "$dir/eicar.orig" "$srv/eicar.txt"
expect "nothing was stored as eicar.txt" eval '[ "$(stored eicar.txt)" -eq 0 ] || { cat "$FTP_XFERLOG"; false; }'

# only touched: nothing sent
expect "an unchanged copy (newer time, same bytes) is said so" screen_has same -F '/same.txt is unchanged: nothing was sent.'
expect "no question for it" screen_lacks same -F 'same.txt changed'
expect "nothing was stored as same.txt" eval '[ "$(stored same.txt)" -eq 0 ] || { cat "$FTP_XFERLOG"; false; }'
expect_file_equal "the server's same.txt is as it was" "$dir/same.orig" "$srv/same.txt"

# changed, answered no
expect "a changed copy is asked about" screen_has declined-question -F '/declined.txt changed. Upload it back'
expect "no: said, nothing sent" screen_has declined -F '/declined.txt was not uploaded: the edited copy is discarded.'
expect_file_equal "the server's declined.txt is as it was" "$dir/declined.orig" "$srv/declined.txt"

# a local file, and the copies
want_local=$(printf 'local first line\nadded by the editor')
expect "F4 on a local file edits it in place" eval '[ "$(cat "$work/local.txt")" = "$want_local" ]'
expect "the local pane shows the new size" screen_has local -E '^ local\.txt +37 '
remote_copies() { grep -cE "^$run/clamftp-[A-Za-z0-9]{6}/(append|eicar|same|declined)\.txt 700$" "$EDIT_LOG"; }
expect "each remote file was edited as a copy in a private directory of \$XDG_RUNTIME_DIR" \
        eval '[ "$(remote_copies)" -eq 4 ] || { cat "$EDIT_LOG"; false; }'
expect "the local file was edited where it is" grep -q "^$work/local.txt " "$EDIT_LOG"
expect "no copy is left afterwards" eval '[ -z "$(ls -A "$run")" ] || { ls -laR "$run"; false; }'

tap_done
