#!/bin/bash
# tests/tui/headless-habits.sh — the file manager's daily habits in the full screen, without a
# terminal (CLAMFTP_NO_DISPLAY key script, screens dumped as text), against a private vsftpd:
# - type-ahead: letters jump to the first name starting with them, shown on the bottom line; a
#   letter no name starts with is refused; a pause of a second, or another key, starts afresh;
#   a bound key (s) still sorts when it starts;
# - Ctrl-S: the next name containing the text, Ctrl-S again the next (wrapping round), a letter
#   that finds nothing refused, Enter ends it;
# - + and - select and unselect by a glob (the prompt starts from *), the status bar shows the
#   count and the files' size;
# - chmod (Ctrl-X c): the dialog shows the mode (rwxr-xr-x and octal), octal on the entry under
#   the cursor, symbolic (:chmod g+w) on the selection, the local files' modes by stat, and on
#   the remote side the server's file under vsftpd's root; the panes show the new modes;
# - :columns perms shows the permissions at 80 columns; S reverses the order ([name rev]).
# Where the cursor is, the chmod dialog's title says ("Change the mode of NAME").
. "$top_srcdir/tests/lib/suite.sh"

suite_begin headless-habits vsftpd home
export TZ=UTC LC_ALL=C.UTF-8
work=$dir/work
s=$dir/screens
mkdir -p "$work/sub" "$s"
mode_of() { stat -c %a "$1"; }
head -c 1000 /dev/zero >"$work/alpha.txt"
head -c 2000 /dev/zero >"$work/beta.txt"
head -c 1200000 /dev/zero >"$work/delta.txt"
for f in alpine.log betamax.bin gamma.c; do echo "$f" >"$work/$f"; done
chmod 644 "$work"/*.*
printf 'one\n' >"$FTP_ROOT/one.txt"
printf 'two\n' >"$FTP_ROOT/two.txt"
ftp_own
chmod 644 "$FTP_ROOT/one.txt" "$FTP_ROOT/two.txt"

cat >"$dir/script" <<SCRIPT
alpi
@dump $s/ta-typed
<C-x>c
@dump $s/ta-alpi
<Esc>b
@sleep 1200
@dump $s/ta-stale
g<C-x>c
@dump $s/ta-fresh
<Esc>be<Down>d<C-x>c
@dump $s/ta-reset
<Esc>alx
@dump $s/ta-refused
<C-x>c
@dump $s/ta-refused-at
<Esc>s
@dump $s/ta-sort
:sort name<Enter>
<Home><C-s>ta
@dump $s/search-typed
<Enter><C-x>c
@dump $s/search-1
<Esc><C-s>ta<C-s><Enter><C-x>c
@dump $s/search-2
<Esc><Home><C-s>ta<C-s><C-s><C-s>z<Enter><C-x>c
@dump $s/search-wrapped
<Esc>+
@dump $s/plus-prompt
*.txt<Enter>
@dump $s/plus
-al*<Enter>
@dump $s/minus
-<Enter>
@dump $s/minus-all
@dump $s/no-perms
:columns perms<Enter>
@dump $s/perms
<Home>al<C-x>c
@dump $s/chmod-dialog
600<Enter>
@dump $s/chmod-local
+be*<Enter>:chmod g+w<Enter>
@dump $s/chmod-selection
-<Enter>S
@dump $s/reversed
:open 127.0.0.1 $FTP_PORT<Enter>
$FTP_USER<Enter>
$FTP_PASS<Enter>
<Tab>tw<C-x>c
@dump $s/chmod-remote-dialog
640<Enter>
@dump $s/chmod-remote
<Esc>0
SCRIPT

tui_headless "$work" 80x24 60 "$dir/script" "$dir/out"
expect "the run ends with status 0" tui_exited 0

cursor_on() { screen_has "$1" -F "Change the mode of $2"; }
# ---- type-ahead ---------------------------------------------------------------------------
expect "type-ahead: the letters show on the bottom line" screen_has ta-typed -E '^type-ahead: alpi *$'
expect "type-ahead: alpi jumps to alpine.log (past alpha.txt)" cursor_on ta-alpi "alpine.log:"
expect "type-ahead: after a pause of a second the letters are gone" screen_lacks ta-stale -F "type-ahead:"
expect "type-ahead: after the pause g starts afresh (gamma.c)" cursor_on ta-fresh "gamma.c:"
expect "type-ahead: Down ends it, d starts afresh (delta.txt)" cursor_on ta-reset "delta.txt:"
expect "type-ahead: a letter no name starts with is refused" screen_has ta-refused -E '^type-ahead: al *$'
expect "type-ahead: the cursor stays on the last match (alpha.txt)" cursor_on ta-refused-at "alpha.txt:"
expect "type-ahead: s, bound, still sorts when it starts" screen_has ta-sort -E '^>Local: .*\[size\]'
# ---- Ctrl-S -------------------------------------------------------------------------------
expect "Ctrl-S: the text shows on the bottom line" screen_has search-typed -E '^search: ta *$'
expect "Ctrl-S: the first name containing ta (beta.txt)" cursor_on search-1 "beta.txt:"
expect "Ctrl-S again: the next (betamax.bin)" cursor_on search-2 "betamax.bin:"
expect "Ctrl-S wraps round (beta.txt again) and z, finding nothing, is refused" cursor_on search-wrapped "beta.txt:"
# ---- + and - ------------------------------------------------------------------------------
expect "+ asks for a pattern" screen_has plus-prompt -F "Select the names matching:"
expect "+ starts from *" screen_has plus-prompt -E '\| \* +\|'
expect "+*.txt marks the three .txt files" eval '[ "$(grep -cE "^\*(alpha|beta|delta)\.txt " "$s/plus")" = 3 ] || { show plus; false; }'
expect "+*.txt: the status bar says 3 selected, 1.2 MB" screen_has plus -E '\| 3 selected, 1\.2.MB \|' # GLib's no-break space
expect "-al*: alpha.txt is no longer selected" screen_has minus -E '^ alpha\.txt '
expect "-al*: 2 selected, 1.2 MB" screen_has minus -E '\| 2 selected, 1\.2.MB \|'
expect "- with the default *: nothing selected, no count" screen_lacks minus-all -F "selected,"
# ---- permissions column, chmod --------------------------------------------------------------
expect "80 columns: no permissions by default" screen_lacks no-perms -E '^ alpha\.txt .*rw-r--r--'
expect ":columns perms shows them at 80 columns" screen_has perms -E '^ alpha\.txt .* rw-r--r-- *\|'
expect "chmod dialog: the mode in letters and octal" screen_has chmod-dialog -F "Change the mode of alpha.txt: rw-r--r-- (644)"
expect "chmod dialog: the field starts from the octal mode" screen_has chmod-dialog -E '\| 644 +\|'
expect "chmod 600 on the local file: stat says 600" [ "$(mode_of "$work/alpha.txt")" = 600 ]
expect "the local pane shows the new mode" screen_has chmod-local -E '^ alpha\.txt .* rw------- *\|'
expect ":chmod g+w on the selection: beta.txt 664" [ "$(mode_of "$work/beta.txt")" = 664 ]
expect ":chmod g+w on the selection: betamax.bin 664" [ "$(mode_of "$work/betamax.bin")" = 664 ]
expect "the rest is untouched (gamma.c 644)" [ "$(mode_of "$work/gamma.c")" = 644 ]
# ---- reverse ------------------------------------------------------------------------------
expect "S: the header says name rev" screen_has reversed -E '^>Local: .*\[name rev\]'
order=$(grep -oE '^.(gamma\.c|alpha\.txt|sub/)' "$s/reversed" | cut -c2- | paste -sd' ')
expect "S: directories first, then Z to A ($order)" [ "$order" = "sub/ gamma.c alpha.txt" ]
# ---- remote chmod -------------------------------------------------------------------------
expect "remote chmod dialog: the server's mode" screen_has chmod-remote-dialog -F "Change the mode of two.txt: rw-r--r-- (644)"
expect "remote chmod 640: the server's file has mode 640" [ "$(mode_of "$FTP_ROOT/two.txt")" = 640 ]
expect "remote: one.txt untouched" [ "$(mode_of "$FTP_ROOT/one.txt")" = 644 ]
expect "the remote pane is listed again with the new mode" screen_has chmod-remote -E '\| two\.txt .*rw-r----- *$'
tap_done
