#!/bin/bash
# tests/tui/headless-view.sh — F3 in the full screen without a terminal (CLAMFTP_NO_DISPLAY key
# script, screens dumped as text) against a private vsftpd: the internal viewer on a local text
# file, on a local file full of terminal escapes (shown escaped: no ESC, BEL, C1 or bidi control
# reaches the screen), Enter on a file, a remote text file (its content on the screen, fetched
# into a private directory under $XDG_RUNTIME_DIR that is gone afterwards), a remote binary
# file (hex), search and its next match, a remote file over 64 MiB (asked first; no, nothing
# fetched), the message log on its new key (Ctrl-X m); then a second run with $PAGER set to a
# script that records what it got (the local path; the remote copy's path in a 0700 directory,
# byte for byte the server's), a pager that fails (said; the copy removed all the same).
. "$top_srcdir/tests/lib/suite.sh"

suite_begin headless-view vsftpd home
export TZ=UTC LC_ALL=C.UTF-8
work=$dir/work
srv=$FTP_ROOT
run=$dir/run
mkdir -p "$work" "$run"
chmod 0700 "$run"
export XDG_RUNTIME_DIR=$run

for i in $(seq 1 30); do echo "local line $i"; done >"$work/note.txt"
printf 'before\n\033[2J\033[H\033]0;pwned\007\033[31mred\033[0m \302\233 \342\200\256gpj.exe\nafter\n' >"$work/esc.txt"
for i in $(seq 1 200); do echo "remote line $i"; done >"$srv/readme.txt"
echo "the needle is here" >>"$srv/readme.txt"
printf 'GIF89a\000\001\002\003binary\377\376' >"$srv/image.bin"
truncate -s 70M "$srv/huge.iso"
echo "a pager that fails" >"$srv/fail.txt"
ftp_own

s=$dir/screens
mkdir -p "$s"
cat >"$dir/script" <<SCRIPT
/note.txt<Enter><F3>
@dump $s/local
<End>
@dump $s/local-end
q/<Enter>/esc.txt<Enter><F3>
@dump $s/escapes
q/<Enter>/note.txt<Enter><Enter>
@dump $s/enter
q/<Enter>
@dump $s/panes-again
:open 127.0.0.1 $FTP_PORT<Enter>
$FTP_USER<Enter>
$FTP_PASS<Enter>
<Tab>/readme.txt<Enter><F3>
@dump $s/remote
/needle<Enter>
@dump $s/found
n
@dump $s/no-more
q/<Enter>/image.bin<Enter><F3>
@dump $s/binary
h
@dump $s/binary-text
q/<Enter>/huge.iso<Enter><F3>
@dump $s/huge-question
n
@dump $s/huge-declined
/<Enter><C-x>m
@dump $s/log
<Esc><F10>
SCRIPT

tui_headless "$work" 80x24 60 "$dir/script" "$dir/out"
expect "the run ends on F10 with status 0" tui_exited 0

# local files
expect "F3 on a local file: the viewer shows its first line" screen_has local -E '^local line 1$'
expect "the viewer's title names the file, as text" screen_has local -E '^ View: .*note\.txt +\(text, '
expect "End shows the last line at the bottom" eval 'sed -n 23p "$s/local-end" | grep -qx "local line 30" || { show local-end; false; }'
expect "escapes are shown escaped (ESC as \\x1b)" screen_has escapes -F '\x1b[2J\x1b[H\x1b]0;pwned\x07\x1b[31mred\x1b[0m \u009b \u202egpj.exe'
no_raw_controls() { [ -f "$s/escapes" ] && ! LC_ALL=C grep -qP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80\xae' "$s/escapes" || { show escapes; false; }; }
expect "no control character, C1 or bidi override reaches the screen" no_raw_controls
expect "the text around the escapes is shown as it is" screen_has escapes -E '^after$'
expect "Enter on a file views it" screen_has enter -E '^local line 1$'
expect "q closes the viewer: the panes again" screen_has panes-again -E '^>Local: '

# remote files
expect "F3 on a remote file shows its content" screen_has remote -E '^remote line 1$'
expect "the title names the remote file" screen_has remote -E '^ View: /readme\.txt +\(text, '
expect "/ finds the text further down" screen_has found -E '^the needle is here$'
expect "n says when there is no further match" screen_has no-more -F 'No more matches of needle below.'
expect "a binary remote file opens in hex" screen_has binary -E '^00000000  47 49 46 38 39 61 00 01  02 03 62 69 6e 61 72 79  \|GIF89a\.\.\.\.binary\|$'
expect "the title says hex" screen_has binary -E '^ View: /image\.bin +\(hex, '
expect "h shows it as text, every odd byte escaped" screen_has binary-text -F 'GIF89a\x00\x01\x02\x03binary\xff\xfe'
expect "a remote file over 64 MiB is asked about first" screen_has huge-question -E 'huge\.iso is 73\.4.MB\. Fetch it to view it\?'
expect "declined: it is not fetched" eval '! grep -q "huge\.iso" "$FTP_XFERLOG" || { cat "$FTP_XFERLOG"; false; }'
expect "declined: back to the panes" screen_has huge-declined -E '^ .*\| +huge\.iso'
expect "the fetched copies are gone from \$XDG_RUNTIME_DIR" eval '[ -z "$(ls -A "$run")" ] || { ls -laR "$run"; false; }'
expect "Ctrl-X m opens the message log" screen_has log -F "Logged in as $FTP_USER"
expect "the log says how it closes" screen_has log -F 'Esc or q closes'

# $PAGER
cat >"$dir/pager" <<'PAGER'
#!/bin/sh
# records its arguments, its file's directory mode and its bytes, as a pager stand-in; the file
# is the last argument
n=$(ls "$PAGER_LOG_DIR"/*.args 2>/dev/null | wc -l)
for file; do :; done
printf '%s\n' "$*" >"$PAGER_LOG_DIR/$n.args"
stat -c %a "$(dirname "$file")" >"$PAGER_LOG_DIR/$n.mode"
cp "$file" "$PAGER_LOG_DIR/$n.content"
case $file in */fail.txt) exit 3 ;; esac
exit 0
PAGER
chmod +x "$dir/pager"
export PAGER_LOG_DIR=$dir/paged
mkdir -p "$PAGER_LOG_DIR"
cat >"$dir/script2" <<SCRIPT
/note.txt<Enter><F3>
@dump $s/pager-local
/<Enter>:open 127.0.0.1 $FTP_PORT<Enter>
$FTP_USER<Enter>
$FTP_PASS<Enter>
<Tab>/readme.txt<Enter><F3>
@dump $s/pager-remote
/<Enter>/fail.txt<Enter><F3>
<C-x>m
@dump $s/pager-failed
<Esc><F10>
SCRIPT
PAGER="$dir/pager --flag" tui_headless "$work" 160x24 60 "$dir/script2" "$dir/out2"
expect "the run with \$PAGER ends with status 0" tui_exited 0
expect "\$PAGER got the local file's path (after its own words)" eval '[ "$(cat "$PAGER_LOG_DIR/0.args")" = "--flag $work/note.txt" ]'
expect_file_equal "\$PAGER read the local file" "$work/note.txt" "$PAGER_LOG_DIR/0.content"
expect "no internal viewer with \$PAGER set" screen_lacks pager-local -E '^ View: '
expect "the remote copy was in a directory of \$XDG_RUNTIME_DIR" grep -qE "^--flag $run/clamftp-[A-Za-z0-9]{6}/readme\.txt$" "$PAGER_LOG_DIR/1.args"
expect "that directory was private (0700)" eval '[ "$(cat "$PAGER_LOG_DIR/1.mode")" = 700 ]'
expect_file_equal "\$PAGER read the server's bytes" "$srv/readme.txt" "$PAGER_LOG_DIR/1.content"
expect "a pager that fails is said" screen_has pager-failed -E 'pager --flag failed: Child process exited with code 3$'
expect "the copies are gone afterwards, the failed one too" eval '[ -z "$(ls -A "$run")" ] || { ls -laR "$run"; false; }'

tap_done
