#!/bin/bash
# tests/tui/tmux-daily.sh — the everyday habits of issue 13 on a real terminal (tmux on a private
# socket), against a private vsftpd (slowed to 100 kB/s per session) and the real clamav-agent:
# type-ahead, Ctrl-S, + with its totals and the chmod dialog in the local pane; a site saved in
# line mode opened from the site manager (Ctrl-\), its password typed in the dialog (no keyring
# here); a speed limit set with :set named in the queue view's title and kept
# by an F5 upload; the full screen killed with SIGKILL in the middle of an F5 batch, then started
# again: it offers to resume the batch, Enter resumes it, and every file is on the server once,
# byte for byte, with no temporary or partial file left and one "done" audit record each.
# Every wait polls the screen with a deadline; the screen is shown when a check fails.
. "$top_srcdir/tests/lib/suite.sh"

# 100 kB/s per session: the batch below lasts 12 s, far longer than the test takes to see its first
# file and kill the program (a loaded machine polls slowly)
SUITE_VSFTPD_CONF=(local_max_rate=100000)
suite_begin tmux-daily tmux scanner vsftpd clamftp:open,site,set,queue
work=$CF_LOCAL
srv=$FTP_ROOT
mkdir -p "$work/batch" "$srv/in" && ftp_own
head -c 400000 /dev/urandom >"$work/limited.bin"
for i in 1 2 3 4 5 6; do head -c 200000 /dev/urandom >"$work/batch/b$i.bin"; done

# ---- a site saved in line mode, opened from the site manager ----
CF_INPUT= cf_run -n -c "site add demo ftp://$FTP_USER@127.0.0.1:$FTP_PORT/in --no-password"
expect "site add in line mode: exit 0 ($CF_RC)" cf_rc_is 0

tui_start 110 32 "$work" -- --parallel 1 --scanner "$CF_SCANNER" --audit-log "$CF_AUDIT" ||
        skip_all "tmux cannot start a session here"
expect "the panes come up" wait_screen 10 '^>Local: '

# ---- the file manager's habits in the local pane (local: .. batch/ limited.bin) ----
text "lim"
expect "type-ahead: the letters show on the bottom line" wait_screen 5 '^type-ahead: lim *$'
keys C-x c
expect "type-ahead: the cursor is on limited.bin (the chmod dialog names it)" \
        wait_screen 5 'Change the mode of limited\.bin: rw-r--r-- \(644\)'
keys BSpace BSpace BSpace; text "600"; keys Enter
expect "chmod 600 from the dialog: the local file has mode 600" \
        wait_until 10 eval '[ "$(stat -c %a "$work/limited.bin")" = 600 ]'
keys Home C-s; text "atc"
expect "Ctrl-S: the text shows on the bottom line" wait_screen 5 '^search: atc *$'
keys Enter C-x c
expect "Ctrl-S: the cursor is on batch (the first name holding atc)" wait_screen 5 'Change the mode of batch'
keys Escape +
expect "+ asks for a pattern" wait_screen 5 'Select the names matching:'
text "*.bin"; keys Enter
expect "+*.bin: limited.bin selected, the status bar counts it" \
        eval 'wait_screen 5 "^\*limited\.bin " && wait_screen 5 "1 selected, 400\.0.kB"'
keys -; keys Enter
expect "- with the default *: nothing selected" eval 'wait_until 5 eval "! screen | grep -q \"selected,\""'

keys 'C-\'
expect "Ctrl-\\ opens the site manager with the saved site" wait_screen 10 'demo'
keys Enter
expect "Enter on the site asks its password (no keyring here)" wait_screen 10 'Password:'
text "$FTP_PASS"; keys Enter
expect "the site is opened in its remote directory" wait_screen 15 'Remote: /in'

# ---- a speed limit kept by an F5 upload, named in the queue view ----
text ":set limit-rate 100K"; keys Enter
start=$(date +%s%N)
text "/limited.bin"; keys Enter F5
keys F9
expect "the queue view's title names the limit" wait_screen 10 'Transfer queue \(limits: 100\.0.KiB/s per transfer\)'
arrived() { same_file "$work/limited.bin" "$srv/in/limited.bin"; }
expect "the limited upload arrives byte for byte" wait_until 30 arrived
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect "400 kB at 100 KiB/s take about 4 s, not less than 3.5 s ($ms ms)" [ "$ms" -ge 3500 ]
keys F9
text ":set limit-rate 0"; keys Enter

# ---- killed mid-batch, started again: the batch is offered and resumed ----
text "/batch"; keys Enter Enter
expect "in the local batch directory, its six files listed" \
        eval 'wait_screen 10 "^>Local: .*/batch" && wait_screen 10 "^ b6\.bin "'
keys Down
for i in 1 2 3 4 5 6; do keys Insert; done
six_selected() { [ "$(screen | grep -cE '^\*b[1-6]\.bin ')" = 6 ]; }
expect "the six files are selected" eval 'wait_until 10 six_selected || { screen; false; }'
keys F5
some_arrived() { [ -e "$srv/in/b1.bin" ] && same_file "$work/batch/b1.bin" "$srv/in/b1.bin"; }
expect "the batch has begun: the first file arrived" wait_until 30 some_arrived
journal_lists_rest() {
        local i
        for i in 2 3 4 5 6; do grep -q "b$i\.bin" "$XDG_STATE_HOME"/clamftp/queue-*.journal 2>/dev/null || return 1; done
}
show_journal() { head -c 4000 "$XDG_STATE_HOME"/clamftp/queue-*.journal 2>/dev/null; ls -la "$XDG_STATE_HOME/clamftp" 2>/dev/null; }
expect "the queue's journal lists the files not sent yet" eval 'wait_until 3 journal_lists_rest || { show_journal; false; }'
pid=$(pgrep -P "$(tmux -L "$sock" display-message -p -t cf '#{pane_pid}')" -x clamftp)
expect "the full screen is killed with SIGKILL in the middle of the batch" kill -9 "$pid"
expect "it is gone" wait_screen 10 'CLAMFTP-EXIT=137'
tmux -L "$sock" kill-server 2>/dev/null
(cd "$work/batch" && wait_until 20 eval '[ -z "$(ps -o pid= --ppid "$VSFTPD_PID")" ]')

tui_start 110 32 "$work/batch" -- --parallel 1 --scanner "$CF_SCANNER" --audit-log "$CF_AUDIT" ||
        skip_all "tmux cannot start a session here"
expect "the next start offers to resume the unfinished batch" \
        eval 'wait_screen 30 "Resume them\?" || { show_journal; false; }'
keys Enter
expect "resuming asks the password" wait_screen 10 'Password:'
text "$FTP_PASS"; keys Enter
all_arrived() {
        local i
        for i in 1 2 3 4 5 6; do same_file "$work/batch/b$i.bin" "$srv/in/b$i.bin" || return 1; done
}
expect "every file of the batch is on the server byte for byte" \
        eval 'wait_until 60 all_arrived || { screen; keys F9; sleep 1; screen; show_journal; ls -la "$srv/in"; false; }'
expect "no temporary or partial file is left on the server" \
        eval '[ -z "$(find "$srv" -name ".*clamftp-*" -o -name "*.part")" ]'
done_once() {
        /usr/bin/python3 - "$CF_AUDIT" <<'PY'
import collections, json, sys
done = collections.Counter(r.get("remote", "").rsplit("/", 1)[-1] for r in map(json.loads, open(sys.argv[1]))
                           if r.get("event") == "upload" and r.get("result") == "done")
bad = {f"b{i}.bin": done[f"b{i}.bin"] for i in range(1, 7) if done[f"b{i}.bin"] != 1}
sys.exit("uploads done more or less than once: %r" % bad if bad else 0)
PY
}
expect "the audit log: each file of the batch uploaded once, over the two runs" done_once
keys F10
wait_screen 10 'CLAMFTP-EXIT=' || keys y
tap_done
