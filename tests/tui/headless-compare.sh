#!/bin/bash
# tests/tui/headless-compare.sh — `:compare` and `:sync-browse` in the full screen without a
# terminal (CLAMFTP_NO_DISPLAY key script, screens dumped as text) against a private vsftpd, whose
# LIST gives times to the minute.
# Pins: every kind of difference marked in both panes' mark column (N newer here, O newer there,
# + only in that pane, S a different size) and the counts in the message line; a file 30 s newer
# than a LIST time is alike (a minute's slack), an old file whose LIST date has no time of day is
# alike with a local copy of that day (a day's slack), equal files and directories on both sides are
# unmarked; `:compare off` and a change of directory clear the marks; C-x d compares too.
# Sync-browse: entering a directory in either pane enters it in the other, going up goes up in
# both, the status bar says `sync`; a directory the other side lacks is said and turns it off.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin headless-compare vsftpd clamftp:open
export TZ=UTC LC_ALL=C.UTF-8
work=$CF_LOCAL
srv=$FTP_ROOT

# a whole minute two days ago: LIST shows it as it is (HH:MM), the local file to the second
base=$(( $(date +%s) / 60 * 60 - 2 * 86400 ))
at() { echo "@$(( base + $1 ))"; }
both() { printf '%s' "$2" >"$work/$1"; printf '%s' "$3" >"$srv/$1"; }
both same.txt 12345 12345
both newer.txt aaaa bbbb
both older.txt cccc dddd
both slack.txt eeee ffff
both size.txt 12345 123456
echo here >"$work/onlyhere.txt"
echo there >"$srv/onlythere.txt"
mkdir -p "$work/shared/deeper/local-only" "$srv/shared/deeper" "$work/localdir" "$srv/remotedir"
echo in >"$work/shared/in.txt"
echo in >"$srv/shared/in.txt"
mkdir "$srv/kind.txt"; echo file >"$work/kind.txt"   # a file here, a directory there
ftp_own
touch -d "$(at 0)" "$work"/* "$srv"/*
touch -d "$(at 600)" "$work/newer.txt"
touch -d "$(at 600)" "$srv/older.txt"
touch -d "$(at 30)" "$work/slack.txt"
# an old file: LIST gives only its day (midnight), the local copy its time of day
both oldday.txt gggg gggg
touch -d '2021-03-05 14:37:21 UTC' "$work/oldday.txt" "$srv/oldday.txt"

s=$SUITE_DIR/screens
mkdir -p "$s"
cat >"$SUITE_DIR/script" <<SCRIPT
:open 127.0.0.1 $FTP_PORT<Enter>
$FTP_USER<Enter>
$FTP_PASS<Enter>
:compare<Enter>
@dump $s/compared
<C-r>
@dump $s/refreshed
:compare off<Enter>
@dump $s/off
<C-x>d
@dump $s/by-key
/localdir<Enter><Enter>
@dump $s/moved
<BS>/<Enter>
:sync-browse<Enter>
@dump $s/sync-on
/shared<Enter><Enter>
@dump $s/sync-entered
<Tab>/deeper<Enter><Enter>
@dump $s/sync-deeper
<BS>
@dump $s/sync-up
<Tab>/<Enter>/deeper<Enter><Enter>/local<Enter><Enter>
@dump $s/sync-missing
<F10>
SCRIPT

tui_headless "$work" 100x30 60 "$SUITE_DIR/script" "$SUITE_DIR/out"
expect "the session ends on F10 with status 0" tui_exited 0

local_row() { screen_has "$1" -E "^$2"; }          # the local pane's row: mark, then name
remote_row() { screen_has "$1" -E "\|$2"; }        # the remote pane's, after the divider
expect "newer here: N in the local pane, O in the remote" eval 'local_row compared "Nnewer\.txt" && remote_row compared "Onewer\.txt"'
expect "newer there: O in the local pane, N in the remote" eval 'local_row compared "Oolder\.txt" && remote_row compared "Nolder\.txt"'
expect "a different size: S in both panes" eval 'local_row compared "Ssize\.txt" && remote_row compared "Ssize\.txt"'
expect "only here: + in the local pane" local_row compared '\+onlyhere\.txt'
expect "only there: + in the remote pane" remote_row compared '\+onlythere\.txt'
expect "only-here and only-there directories are marked too" eval 'local_row compared "\+localdir/" && remote_row compared "\+remotedir/"'
expect "a file against a directory: S on both sides" eval 'local_row compared "Skind\.txt" && remote_row compared "Skind\.txt/"'
expect "equal files are unmarked on both sides" eval 'local_row compared " same\.txt" && remote_row compared " same\.txt"'
expect "30 s against a LIST time is within its minute: unmarked" eval 'local_row compared " slack\.txt" && remote_row compared " slack\.txt"'
expect "an old file alike on both sides, its LIST date a day: unmarked" \
        eval 'local_row compared " oldday\.txt" && remote_row compared " oldday\.txt"'
expect "a directory on both sides is unmarked" eval 'local_row compared " shared/" && remote_row compared " shared/"'
expect "the message line counts each kind" screen_has compared -F \
        "compare: 1 newer here, 1 newer there, 2 only here, 2 only there, 2 different size"
expect "the status bar says compare is on" screen_has compared -E '\| compare \|'
expect "a refresh of the same directories keeps the marks" local_row refreshed "Nnewer\.txt"
expect ":compare off clears the marks in both panes" eval 'local_row off " newer\.txt" && remote_row off " newer\.txt" && screen_lacks off -E "\| compare \|"'
expect "C-x d compares" eval 'local_row by-key "Nnewer\.txt" && remote_row by-key "\+onlythere\.txt"'
expect "a change of directory clears the marks of both panes" eval 'remote_row moved " onlythere\.txt" && screen_has moved -F "compare: off (a pane changed directory)"'

expect ":sync-browse shows sync in the status bar" screen_has sync-on -E '\| sync \|'
expect "entering a local directory enters it on the server too" \
        eval 'screen_has sync-entered -E "^>Local: .*/shared" && screen_has sync-entered -E "Remote: /shared"'
expect "entering a remote directory enters it here too" \
        eval 'screen_has sync-deeper -E "Local: .*/shared/deeper" && screen_has sync-deeper -E ">Remote: /shared/deeper"'
expect "going up goes up in both panes" \
        eval 'screen_has sync-up -E "Local: .*/shared *\|" && screen_has sync-up -E ">Remote: /shared *$"'
expect "a directory the server lacks is said" screen_has sync-missing -F "sync-browse: the server has no directory local-only: sync-browse is off"
expect "…and sync-browse is off, the local pane went in alone" \
        eval 'screen_lacks sync-missing -E "\| sync \|" && screen_has sync-missing -E "^>Local: .*/local-only *\|" && screen_has sync-missing -E "Remote: /shared/deeper *$"'

tap_done
