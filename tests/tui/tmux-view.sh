#!/bin/bash
# tests/tui/tmux-view.sh — F3 and F4 on a real terminal (tmux on a private socket): a file whose
# content is terminal escapes (clear screen, set the window title, red, leave the alternate screen,
# hide the cursor) shown escaped in the viewer while the terminal's state stays as clamftp set it
# (title, alternate screen, colours of that row); q gives the panes back; F4 hands the terminal
# to $EDITOR (clamftp's screen gone while it runs) and takes it back when it exits, the file
# edited and the pane showing its new size.
# Every wait polls the screen with a deadline; the screen is shown when a check fails.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin tui-tmux-view tmux home

work=$dir/work
mkdir -p "$work"
printf 'first\n\033[2J\033[H\033]0;pwned\007\033[31mred\033[0m \033[?1049l\033[?25l last\n' >"$work/esc.txt"
echo "note line" >"$work/note.txt"
cat >"$dir/editor" <<'EDITOR'
#!/bin/sh
# an $EDITOR stand-in that shows itself on the terminal and waits for the test's go
printf 'EDITING %s\n' "$1"
while [ ! -e "$EDIT_GO" ]; do sleep 0.1; done
echo "added in the editor" >>"$1"
EDITOR
chmod +x "$dir/editor"

tui_start 100 30 "$work" EDITOR="$dir/editor" EDIT_GO="$dir/go" ||
        skip_all "tmux cannot start a session here"
expect "the panes come up" wait_screen 10 '^>Local: .*work'
expect "the F-key bar names F3 and F4" wait_screen 5 '^1Help +2Scan +3View +4Edit +5Copy'

text "/esc.txt"; keys Enter F3
expect "F3 shows the escapes as text" wait_screen 10 '\\x1b\[2J\\x1b\[H\\x1b\]0;pwned\\x07\\x1b\[31mred\\x1b\[0m \\x1b\[\?1049l\\x1b\[\?25l last'
expect "the lines around them are there" wait_screen 5 '^first$'
pane() { tmux -L "$sock" display-message -p -t cf "$1"; }
expect "the window title was not set by the file" eval '[ "$(pane "#{pane_title}")" != pwned ] || { pane "#{pane_title}"; false; }'
expect "the terminal is still on clamftp's alternate screen" eval '[ "$(pane "#{alternate_on}")" = 1 ]'
not_red() {
        local row
        row=$(tmux -L "$sock" capture-pane -e -p -t cf | grep 'pwned')
        [ -n "$row" ] && ! printf '%s' "$row" | grep -qE $'\e\\[([0-9;]*;)?31m' || { printf '%q\n' "$row"; false; }
}
expect "the row with the escapes is not turned red" not_red
keys q
expect "q gives the panes back" wait_screen 10 '^>Local: .*work'

text "/"; keys Enter
text "/note.txt"; keys Enter F4
expect "F4 hands the terminal to \$EDITOR" wait_screen 10 "^EDITING $work/note\\.txt"
gone() { ! screen | grep -q '^1Help' || { screen; false; }; }
expect "clamftp's screen is not drawn while the editor runs" gone
touch "$dir/go"
expect "the editor done, the screen comes back" wait_screen 10 '^>Local: .*work'
expect "the pane shows the edited file's new size" wait_screen 10 '^ note\.txt +30 '
expect "the file was edited" eval '[ "$(tail -n 1 "$work/note.txt")" = "added in the editor" ]'
keys F10
expect "F10 quits" wait_screen 10 'CLAMFTP-EXIT=0'
tap_done
