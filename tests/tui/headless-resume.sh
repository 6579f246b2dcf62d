#!/bin/bash
# tests/tui/headless-resume.sh — the full screen's offer to resume the transfers an earlier run
# left (a line-mode mput of 12 files killed with SIGKILL against a rate-limited vsftpd), without a
# terminal (CLAMFTP_NO_DISPLAY key scripts, screens dumped as text), with the real clamav-agent.
# Pins: the dialog comes at start and says how many uploads, their bytes and the server, and lists
# the files; Esc keeps them (nothing sent, the journal stays, a later start offers them again);
# Enter asks the password, resumes them as jobs of the queue view (done), every file on the server
# byte for byte, and the journal is gone; n on another killed batch discards it (said, nothing
# sent, the journal gone).
. "$top_srcdir/tests/lib/suite.sh"

SUITE_VSFTPD_CONF=(local_max_rate=60000)
suite_begin headless-resume scanner vsftpd clamftp:open,mput,queue
export TZ=UTC LC_ALL=C.UTF-8
work=$CF_LOCAL
STATE=$XDG_STATE_HOME/clamftp
NFILES=12
CLIENT_PID=
suite_at_exit '[ -z "$CLIENT_PID" ] || kill -9 "$CLIENT_PID" 2>/dev/null'
s=$SUITE_DIR/screens
mkdir -p "$s" "$work/up"
for i in $(seq -w 1 $NFILES); do head -c 60000 /dev/urandom >"$work/up/f$i.bin"; done

journals() { ls "$STATE"/queue-*.journal 2>/dev/null; }
has_journal() { [ -n "$(journals)" ]; }
received() { grep -c ' i r ' "$FTP_XFERLOG" 2>/dev/null; }
some_done() { [ "$(received)" -ge "$1" ]; }
no_sessions() { [ -z "$(ps -o pid= --ppid "$VSFTPD_PID")" ]; }
# killed_batch DIR: a line-mode mput of up/* into DIR, killed with SIGKILL once two files arrived
killed_batch() {
        local base
        base=$(received)
        cd "$work" || return 1
        printf '%s\n%s\n' "$FTP_USER" "$FTP_PASS" |
                "$(clamftp_bin)" --scanner "$CF_SCANNER" --audit-log "$CF_AUDIT" -n \
                -c "open 127.0.0.1 $FTP_PORT; mkdir $1; cd $1; mput up/*" >"$SUITE_DIR/batch.out" 2>&1 &
        CLIENT_PID=$!
        wait_until 30 some_done $((base + 2)) || { echo "no file arrived"; return 1; }
        kill -9 "$CLIENT_PID" 2>/dev/null
        wait "$CLIENT_PID" 2>/dev/null
        CLIENT_PID=
        wait_until 20 no_sessions && has_journal
}

dialog() { sed 's/\xc2\xa0/ /g; s/^[^|]*|//; s/|[^|]*$//' "$s/$1" | tr -s ' \n' '  '; }
dialog_says() { dialog "$1" | grep -qF -- "$2" || { show "$1"; false; }; }

expect "a batch of $NFILES uploads is killed mid-way" killed_batch t

# ---- Esc: later ----
before=$(wc -l <"$FTP_XFERLOG")
cat >"$SUITE_DIR/script1" <<SCRIPT
@dump $s/offer
<End>
@dump $s/offer-end
<Esc>
@dump $s/later
<F10>
SCRIPT
tui_headless "$work" 100x30 60 "$SUITE_DIR/script1" "$SUITE_DIR/out1" --scanner "$CF_SCANNER" --audit-log "$CF_AUDIT"
expect "Esc: the session ends on F10 with status 0" tui_exited 0
expect "the dialog counts the uploads and names the server" \
        dialog_says offer "uploads and 0 downloads"
expect "... with the server the jobs were for" dialog_says offer "with $FTP_USER@127.0.0.1:$FTP_PORT were not finished"
expect "... and asks" dialog_says offer "Resume them?"
expect "the list has its heading" screen_has offer -E "Left unfinished \([0-9]+\):"
expect "the list names a file with where it goes" screen_has offer -E "upload .*/up/f[0-9]+\.bin → /t/up/f"
expect "the keys are said: Esc is later" dialog_says offer "Esc: later"
expect "the list ends with the last file" screen_has offer-end -F "f$NFILES.bin"
expect "Esc: it says they are kept" screen_has later -F "Kept for later"
expect "Esc: nothing was sent" eval '[ "$(wc -l <"$FTP_XFERLOG")" = "$before" ]'
expect "Esc: the journal stays" has_journal

# ---- Enter: resumed as jobs of the queue ----
cat >"$SUITE_DIR/script2" <<SCRIPT
@dump $s/offer2
<Enter>
@dump $s/password
$FTP_PASS<Enter>
@dump $s/resumed
<F9>
@dump $s/queue
<Esc><F10>
SCRIPT
tui_headless "$work" 100x30 90 "$SUITE_DIR/script2" "$SUITE_DIR/out2" --scanner "$CF_SCANNER" --audit-log "$CF_AUDIT"
expect "Enter: the session ends on F10 with status 0" tui_exited 0
expect "the next start offers them again" dialog_says offer2 "Resume them?"
expect "Enter: the password is asked" screen_has password -F "Password"
all_there() {
        local f bad=0
        for f in "$work"/up/*.bin; do same_file "$f" "$FTP_ROOT/t/up/${f##*/}" || { echo "missing or different: ${f##*/}"; bad=1; }; done
        return $bad
}
expect "Enter: every file is on the server byte for byte" all_there
expect "Enter: the jobs are in the queue view, done" screen_has queue -E "done"
expect "Enter: the summary is said" screen_has resumed -E "Resumed: ([0-9]+) of \1 transfers done\."
expect "Enter: the journal is gone" eval '! has_journal'
expect "no temporary file is left on the server" eval '[ -z "$(find "$FTP_ROOT" -name "*.clamftp-*")" ]'

# ---- n: discarded ----
expect "another batch is killed mid-way" killed_batch n
before=$(wc -l <"$FTP_XFERLOG")
cat >"$SUITE_DIR/script3" <<SCRIPT
@dump $s/offer3
n
@dump $s/discarded
<F10>
SCRIPT
tui_headless "$work" 100x30 60 "$SUITE_DIR/script3" "$SUITE_DIR/out3" --scanner "$CF_SCANNER" --audit-log "$CF_AUDIT"
expect "n: the session ends on F10 with status 0" tui_exited 0
expect "n: it says what it discarded" screen_has discarded -E "Discarded [0-9]+ uploads"
expect "n: nothing was sent" eval '[ "$(wc -l <"$FTP_XFERLOG")" = "$before" ]'
expect "n: the journal is gone" eval '! has_journal'

tap_done
