#!/bin/bash
# tests/tui/headless-mirror.sh — `:mirror -R` and `:mirror` in the full screen without a terminal
# (CLAMFTP_NO_DISPLAY key scripts, screens dumped as text) against a private vsftpd and the real
# clamav-agent, from the two panes' directories.
# Pins: the plan dialog shows the counts, the bytes and every name --delete would remove (a long
# list scrolls); Esc leaves the server's tree (and, downloading, the local tree) exactly as it was;
# Enter uploads every clean file byte for byte, refuses EICAR (marked in the local pane, INFECTED
# in the queue view, absent from the server), makes the empty directory and deletes what the
# local tree does not have; the jobs are in the queue view; the summary line is in the message
# area; `:mirror --delete` downloads the server's tree byte for byte and deletes the local extra.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin headless-mirror scanner vsftpd clamftp:open,mirror
export TZ=UTC LC_ALL=C.UTF-8
work=$CF_LOCAL
srv=$FTP_ROOT
S=$srv/site

mkdir -p "$work/tree/sub" "$work/tree/empty" "$work/tree/with space" "$work/back" "$S/gone"
head -c 1000 /dev/urandom >"$work/tree/a.txt"
cp "$work/tree/a.txt" "$S/a.txt"                    # alike on both sides: unchanged
head -c 2000 /dev/urandom >"$work/tree/sub/b.bin"
head -c 500 /dev/urandom >"$work/tree/with space/c d.txt"
eicar >"$work/tree/eicar.com"
echo inner >"$S/gone/inner.txt"
for i in $(seq -w 1 30); do echo "stale $i" >"$S/stale-$i.txt"; done
echo extra >"$work/back/extra.txt"
ftp_own
minute=$(( $(date +%s) / 60 * 60 - 86400 ))
touch -d "@$minute" "$work/tree/a.txt" "$S/a.txt"

tree_of() { (cd "$1" && find . | LC_ALL=C sort | while read -r f; do printf '%s %s\n' "$f" "$(stat -c %s "$f")"; done); }
before_srv=$(tree_of "$srv")
before_back=$(tree_of "$work/back")
eicar_bytes=$(stat -c %s "$work/tree/eicar.com")
up_kb=$(awk "BEGIN { printf \"%.1f\", (2000 + 500 + $eicar_bytes) / 1000 }")   # g_format_size's kB

s=$SUITE_DIR/screens
mkdir -p "$s"
login="
:open 127.0.0.1 $FTP_PORT<Enter>
$FTP_USER<Enter>
$FTP_PASS<Enter>
/tree<Enter><Enter><Tab>/site<Enter><Enter>"

# ---- the plans, answered Esc ----
cat >"$SUITE_DIR/script1" <<SCRIPT
$login
:mirror -R --delete<Enter>
@dump $s/plan-up
<End>
@dump $s/plan-up-end
<Esc>
@dump $s/cancelled-up
<Tab><BS>/back<Enter><Enter>
:mirror --delete<Enter>
@dump $s/plan-down-first
n
<F10>
SCRIPT
tui_headless "$work" 100x30 60 "$SUITE_DIR/script1" "$SUITE_DIR/out1" --scanner "$CF_SCANNER" --audit-log "$CF_AUDIT"
expect "the first session ends on F10 with status 0" tui_exited 0

# the dialog's text, its frame and line breaks taken away
# (g_format_size puts a no-break space before the unit: a blank here)
dialog() { sed 's/\xc2\xa0/ /g; s/^[^|]*|//; s/|[^|]*$//' "$s/$1" | tr -s ' \n' '  '; }
dialog_says() { dialog "$1" | grep -qF -- "$2" || { show "$1"; false; }; }
expect "the upload plan counts the files and their bytes" \
        dialog_says plan-up "upload 3 files ($up_kb kB) from"
expect "the upload plan names the two directories" dialog_says plan-up "/tree to /site on the server"
expect "the upload plan counts the directories to make, the deletions and the unchanged file" \
        dialog_says plan-up "make 3 directories, delete 32 on the server; 1 unchanged. Go ahead?"
expect "the list of what will be deleted has its heading" screen_has plan-up -F "To be deleted (32):"
expect "the list starts with the first name and says where it is" \
        eval 'screen_has plan-up -F "stale-30.txt" && screen_has plan-up -E "\(1-[0-9]+ of 32\)"'
expect "the long list is scrolled: its end holds the directory, after what was in it" \
        eval 'screen_has plan-up-end -E "\|   gone/inner\.txt" && screen_has plan-up-end -E "\|   gone +\|" && screen_has plan-up-end -F "(14-32 of 32)"'
expect "the top of the list is scrolled away at its end" screen_lacks plan-up-end -F "stale-30.txt"
expect "Esc says nothing was changed" screen_has cancelled-up -F "mirror: cancelled; nothing was changed."
expect "Esc: the server's tree is exactly as it was" eval '[ "$(tree_of "$srv")" = "$before_srv" ]'
expect "the download plan is shown too" dialog_says plan-down-first "mirror: download 32 files"
expect "n: the local tree is exactly as it was" eval '[ "$(tree_of "$work/back")" = "$before_back" ]'

# ---- the plans carried out ----
cat >"$SUITE_DIR/script2" <<SCRIPT
$login
:mirror -R --delete<Enter>
<Enter>
@dump $s/mirrored-up
<F9>
@dump $s/queue-up
<Esc><Tab><BS>/back<Enter><Enter>
:mirror --delete<Enter>
@dump $s/plan-down
y
@dump $s/mirrored-down
<F10>
SCRIPT
tui_headless "$work" 100x30 90 "$SUITE_DIR/script2" "$SUITE_DIR/out2" --scanner "$CF_SCANNER" --audit-log "$CF_AUDIT"
expect "the second session ends on F10 with status 1 (EICAR refused)" tui_exited 1

for f in a.txt sub/b.bin "with space/c d.txt"; do
        expect_file_equal "Enter: $f is on the server byte for byte" "$work/tree/$f" "$S/$f"
done
expect "Enter: EICAR is not on the server" [ ! -e "$S/eicar.com" ]
expect "Enter: the empty directory is made" test -d "$S/empty"
expect "Enter: --delete removed the server's extra files and directory" \
        eval '[ -z "$(ls "$S" | grep stale)" ] && [ ! -e "$S/gone" ]'
expect "Enter: no temporary file is left" eval '[ -z "$(find "$S" -name ".*clamftp-*")" ]'
expect "EICAR is marked in the local pane" screen_has mirrored-up -E '^!eicar\.com'
expect "the remote pane shows the new tree" eval 'screen_has mirrored-up -E "\| ?sub/" && screen_lacks mirrored-up -F "stale-"'
expect "the summary line is in the message area" \
        screen_has mirrored-up -E "mirror -R: 2 copied .* 1 unchanged, 1 refused by the scanner, 32 deleted"
expect "the queue view lists the uploads as done" \
        eval 'screen_has queue-up -E -e "-> done +sub/b\.bin" && screen_has queue-up -E -e "-> done +with space/c d\.txt"'
expect "the queue view shows EICAR as INFECTED" screen_has queue-up -E -e '-> INFECTED +eicar\.com'

expect "the download plan counts what the server has and the local extra" \
        dialog_says plan-down "download 3 files (3.5 kB) from /site on the server to"
expect "the download plan ends with the directories and the deletion" \
        dialog_says plan-down "make 3 directories, delete 1 here; 0 unchanged. Go ahead?"
expect "the download plan names the local file it deletes" screen_has plan-down -F "extra.txt"
back_is_site() { diff -r "$S" "$work/back" >/dev/null || { diff -r "$S" "$work/back" | head -n 5; false; }; }
expect "y: the local tree is the server's, byte for byte" back_is_site
expect "y: --delete removed the local extra" [ ! -e "$work/back/extra.txt" ]
expect "y: no .part file is left" eval '[ -z "$(find "$work/back" -name "*.part")" ]'
expect "the download's summary line is in the message area" \
        screen_has mirrored-down -E "mirror: 3 copied .* 0 unchanged, 0 refused by the scanner, 1 deleted"

tap_done
