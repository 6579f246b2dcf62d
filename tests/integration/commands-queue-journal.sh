#!/bin/bash
# tests/integration/commands-queue-journal.sh — a transfer queue that survives a restart, against
# a real vsftpd (local_max_rate: a slow batch) and the real clamav-agent. A batch of 20 files is
# killed with SIGKILL while it runs; the next start finds the journal.
# Pins:
#   a  mput of 20 files (one EICAR among the last), killed: the journal exists and names the
#      files not done (EICAR among them); --resume-queue (password on stdin, the server's name
#      from the journal): exit 1 (a refusal), every clean file on the server byte for byte, sent
#      once (vsftpd's xferlog: the bytes it received of each add up to its size), EICAR refused
#      and absent,
#      the audit log with no two "done" records that both sent bytes for one file, no temporary
#      file, the journal gone.
#   b  temp-upload on, and the server's processes killed with the client (a crash of both
#      sides): the partial copies under the recorded temporary names are gone on from (the bytes
#      sent after the restart plus those they held make each file), none left.
#   c  refuse (--discard-queue): says what it discarded, nothing more reaches the server, the
#      journal is gone, the next start offers nothing.
#   d  mget of 20 files killed: --resume-queue goes on from the .part files: every file byte for
#      byte, each fetched complete once, no .part left.
#   e  a journal that does not parse is said, set aside (renamed, its bytes kept), not resumed.
#   f  while one clamftp holds its journal, another one's `queue` sees it busy and a second
#      journal is used.
#   g  a non-interactive run without the option resumes nothing and says how to; a terminal run
#      (a pty) is asked, and y resumes.
#   h  an upload that fails (the server's directory not writable) stays in the journal as failed:
#      `queue` in the next run shows it with the server's reason; --resume-queue, once the
#      directory is writable, sends it and the journal is gone; another one failed and
#      --discard-queue: dropped, the journal gone.
. "$top_srcdir/tests/lib/suite.sh"

SUITE_VSFTPD_CONF=(local_max_rate=60000)
suite_begin commands-queue-journal scanner vsftpd clamftp:open,mput,mget,queue,temp-upload
CF_DEADLINE=60
NFILES=20
STATE=$XDG_STATE_HOME/clamftp
CLIENT_PID=
suite_at_exit '[ -z "$CLIENT_PID" ] || kill -9 "$CLIENT_PID" 2>/dev/null'
EICAR='X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'

cd "$CF_LOCAL" || exit 1
mkdir -p up upt
for i in $(seq -w 0 $((NFILES - 2))); do head -c 40000 /dev/urandom >"up/f$i.bin"; done
printf '%s' "$EICAR" >up/z-eicar.bin
for i in $(seq -w 0 $((NFILES - 1))); do head -c 120000 /dev/urandom >"upt/t$i.bin"; done

# ---- helpers ----

journals() { ls "$STATE"/queue-*.journal 2>/dev/null; }
has_journal() { [ -n "$(journals)" ]; }
files_here() { [ "$(ls | grep -vc '\.part$')" -ge "$1" ]; }
# partial_in DIR PATTERN: a file DIR/PATTERN holds 20000 bytes or more, not all of them (120000)
partial_in() { find "$1" -maxdepth 1 -name "$2" -size +20000c -size -120000c | grep -q .; }
# start_batch 'CMDS': clamftp in the background (user and password on stdin) running CMDS
start_batch() {
        printf '%s\n%s\n' "$FTP_USER" "$FTP_PASS" |
                "$(clamftp_bin)" --scanner "$CF_SCANNER" --audit-log "$CF_AUDIT" -n \
                -c "open 127.0.0.1 $FTP_PORT; $1" >"$SUITE_DIR/batch.out" 2>&1 &
        CLIENT_PID=$!
}
received() { grep -c ' i r ' "$FTP_XFERLOG" 2>/dev/null; }
some_done() { [ "$(received)" -ge "$1" ]; }
kill_batch() {
        kill -9 "$CLIENT_PID" 2>/dev/null
        wait "$CLIENT_PID" 2>/dev/null
        CLIENT_PID=
}
# sent_once DIR SRC: each SRC/NAME (not EICAR) is on the server as DIR/NAME byte for byte, and
# vsftpd's xferlog counts its bytes received exactly once: what a run cut off plus what the
# resumed run sent after it (under NAME, or its temporary name .NAME.clamftp-XXXXXX) is its size
sent_once() {
        /usr/bin/python3 - "$1" "$2" "$FTP_ROOT" "$FTP_XFERLOG" <<'PY'
import collections, filecmp, os, re, sys
d, src, root, xferlog = sys.argv[1:]
got = collections.Counter()
for line in open(xferlog):
    f = line.split()
    if len(f) > 11 and f[11] == "i":
        m = re.match(r"^/%s/\.?(.*?)(\.clamftp-[0-9a-f]{6})?$" % re.escape(d), f[8])
        if m:
            got[m.group(1)] += int(f[7])
bad = []
for name in sorted(os.listdir(src)):
    if "eicar" in name:
        continue
    size = os.path.getsize(os.path.join(src, name))
    there = os.path.join(root, d, name)
    if not os.path.isfile(there) or not filecmp.cmp(os.path.join(src, name), there, shallow=False):
        bad.append("missing or different: %s/%s" % (d, name))
    if got[name] != size:
        bad.append("%s/%s: the server received %d bytes of it, its size is %d" % (d, name, got[name], size))
sys.exit("\n".join(bad) if bad else 0)
PY
}
# no_sessions: every session of the killed client has ended on the server (its data received)
no_sessions() { [ -z "$(ps -o pid= --ppid "$VSFTPD_PID")" ]; }
# server_crash: vsftpd and its sessions killed at once (what a machine that stops does to the
# server's side), then started again on the same port and root
server_crash() {
        vsftpd_crash || return 1
        /usr/sbin/vsftpd "$SUITE_DIR/ftp/vsftpd.conf" >>"$SUITE_DIR/ftp/vsftpd.out" 2>&1 </dev/null &
        VSFTPD_PID=$!
        ftpd_wait_up "$VSFTPD_PID" "$FTP_PORT"
}
no_temp_left() { [ -z "$(find "$FTP_ROOT" -name '*.clamftp-*')" ] || { find "$FTP_ROOT" -name '*.clamftp-*'; false; }; }
# audit_sent_once: no remote name has two "done" upload records that both sent bytes (an offset
# below the file's size: one that went on from the server's whole copy sent nothing)
audit_sent_once() {
        /usr/bin/python3 - "$CF_AUDIT" <<'PY'
import json, sys, collections
sent = collections.Counter()
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("event") == "upload" and r.get("result") == "done" and r.get("offset", 0) < r.get("size", 0):
        sent[r["remote"]] += 1
twice = [k for k, n in sent.items() if n > 1]
sys.exit("sent twice: %r" % twice if twice else 0)
PY
}

# ---- a: mput killed, resumed; EICAR still refused ----
base=$(received)
start_batch "mkdir a; cd a; lcd up; mput *"
expect "a: the journal is written while the batch runs" wait_until 20 has_journal
expect "a: a few files arrive before the kill" wait_until 30 some_done $((base + 3))
kill_batch
journal_a=$(cat $(journals) 2>/dev/null)
expect "a: the server received what the killed client had sent" wait_until 20 no_sessions
expect "a: after kill -9 the journal is there, its first line the header" \
        eval 'printf "%s\n" "$journal_a" | head -n 1 | grep -q " clamftp-queue 1$"'
expect "a: the EICAR file is among the jobs left" eval 'printf "%s\n" "$journal_a" | grep -q "z-eicar.bin"'
expect "a: the journal holds no password" eval '! printf "%s\n" "$journal_a" | grep -q -- "$FTP_PASS"'
CF_INPUT="$FTP_PASS
" cf_run --resume-queue
expect "a: --resume-queue: exit 1 (EICAR refused)" cf_rc_is 1
expect "a: the question was not needed: it says it resumes for the recorded server" cf_says "Resuming the transfers left for $FTP_USER@127.0.0.1:$FTP_PORT"
expect "a: EICAR is refused again after the restart" cf_says "z-eicar.bin.*(INFECTED|Eicar)"
expect "a: EICAR is not on the server" [ ! -e "$FTP_ROOT/a/z-eicar.bin" ]
expect "a: every clean file arrived byte for byte, each byte received once" sent_once a up
expect "a: the audit log shows no file sent twice" audit_sent_once
expect "a: no temporary file or .part on the server" no_temp_left
expect "a: the journal is gone" eval '[ -z "$(journals)" ]'

# ---- b: temp-upload, the server's side killed too: it goes on under the temporary names ----
base=$(received)
start_batch "temp-upload on; mkdir b; cd b; lcd upt; mput *"
expect "b: a temporary copy is partly there before the crash" wait_until 30 partial_in "$FTP_ROOT/b" '.*.clamftp-*'
kill_batch
expect "b: the server crashes with the client" server_crash
journal_b=$(cat $(journals) 2>/dev/null)
expect "b: the journal records a temporary name" eval 'printf "%s\n" "$journal_b" | grep -q " temp id=.*clamftp-"'
# what the crash left: partial copies under temporary names (bytes per file)
partials=$(cd "$FTP_ROOT/b" && for f in .*.clamftp-*; do [ -f "$f" ] && echo "$f $(stat -c %s "$f")"; done)
expect "b: partial copies are left under temporary names" [ -n "$partials" ]
base=$(wc -l <"$FTP_XFERLOG")
CF_INPUT="$FTP_PASS
" cf_run --resume-queue
expect "b: --resume-queue: exit 0" cf_rc_is 0
# gone_on: each file's bytes sent by the resumed run plus what its partial copy held is its size
gone_on() {
        /usr/bin/python3 - "$CF_LOCAL/upt" "$FTP_ROOT/b" "$FTP_XFERLOG" "$base" "$partials" <<'PY'
import collections, filecmp, os, re, sys
src, there, xferlog, base, partials = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
had = collections.Counter()
for line in partials.splitlines():
    temp, size = line.rsplit(" ", 1)
    had[re.sub(r"^\.(.*)\.clamftp-[0-9a-f]{6}$", r"\1", temp)] += int(size)
sent = collections.Counter()
for line in open(xferlog).readlines()[base:]:
    f = line.split()
    m = re.match(r"^/b/\.?(.*?)(\.clamftp-[0-9a-f]{6})?$", f[8])
    if f[11] == "i" and m:
        sent[m.group(1)] += int(f[7])
bad = []
for name in sorted(os.listdir(src)):
    size = os.path.getsize(os.path.join(src, name))
    if not filecmp.cmp(os.path.join(src, name), os.path.join(there, name), shallow=False):
        bad.append("missing or different: %s" % name)
    if name in had and had[name] + sent[name] != size:
        bad.append("%s: %d bytes were there, %d sent again, size %d" % (name, had[name], sent[name], size))
if not any(0 < had[n] for n in had):
    bad.append("no partial copy was gone on from: %r" % dict(had))
sys.exit("\n".join(bad) if bad else 0)
PY
}
expect "b: every file byte for byte; a partial copy was gone on from, nothing it held sent again" gone_on
expect "b: no temporary copy is left on the server" no_temp_left
expect "b: the journal is gone" eval '[ -z "$(journals)" ]'

# ---- c: refused: nothing is sent, the journal is gone ----
base=$(received)
start_batch "mkdir c; cd c; lcd up; mput *"
expect "c: a file arrives before the kill" wait_until 30 some_done $((base + 1))
kill_batch
# the killed client's sessions log their cut transfers as they end: count after that
wait_until 20 no_sessions || echo "# note: c: the killed client's sessions were still there after 20 s"
before=$(wc -l <"$FTP_XFERLOG")
cf_run --discard-queue -c "lpwd"
expect "c: --discard-queue: exit 0" cf_rc_is 0
expect "c: it says what it discarded" cf_says "Discarded [0-9]+ uploads and 0 downloads .* with $FTP_USER@127.0.0.1:$FTP_PORT, not resumed"
expect "c: nothing more reached the server" eval '[ "$(wc -l <"$FTP_XFERLOG")" = "$before" ]'
expect "c: the journal is gone" eval '[ -z "$(journals)" ]'
cf_run -c "queue"
expect "c: the next start has nothing left" cf_says "No transfer is left from an earlier run"

# ---- d: mget killed, resumed from the .part files ----
mkdir -p "$CF_LOCAL/down" && cd "$CF_LOCAL/down" || exit 1
start_batch "cd b; mget *"
expect "d: a .part is partly there before the kill" wait_until 30 partial_in . '*.part'
kill_batch
expect "d: the server's sessions of the killed client end" wait_until 20 no_sessions
before=$(wc -l <"$FTP_XFERLOG")
expect "d: a .part is left by the kill" eval 'ls | grep -q "\.part$"'
CF_INPUT="$FTP_PASS
" cf_run --resume-queue
expect "d: --resume-queue: exit 0" cf_rc_is 0
all_back() {
        local f bad=0
        for f in "$CF_LOCAL"/upt/*.bin; do same_file "$f" "${f##*/}" || { echo "missing or different: ${f##*/}"; bad=1; }; done
        [ -z "$(ls | grep '\.part$')" ] || { echo ".part left: $(ls | grep '\.part$')"; bad=1; }
        return $bad
}
expect "d: every file came back byte for byte, no .part left" all_back
expect "d: the resumed downloads went on with REST (fewer bytes than whole files)" \
        eval '[ "$(tail -n +$((before + 1)) "$FTP_XFERLOG" | grep " o r " | awk "{ s += \$8 } END { print s + 0 }")" -lt $((NFILES * 120000)) ]'
expect "d: the journal is gone" eval '[ -z "$(journals)" ]'
cd "$CF_LOCAL" || exit 1

# ---- e: a journal that does not parse is said and set aside ----
mkdir -p "$STATE"
printf 'not a journal\x01\n' >"$STATE/queue-1.journal"
cf_run -c "queue"
expect "e: a garbled journal is said" cf_says "The queue journal does not parse"
expect "e: it is set aside with its bytes" eval 'grep -q "not a journal" "$STATE"/queue-1.journal.bad-*'
expect "e: nothing is offered from it" cf_says "No transfer is left from an earlier run"

# ---- f: one journal per process ----
start_batch "mkdir f; cd f; lcd up; mput *"
expect "f: the first run's journal is written" wait_until 20 has_journal
cf_run -c "queue"
expect "f: a second clamftp sees the first one's journal busy" cf_says "Busy: queue-1.journal \\(pid $CLIENT_PID\\)"
kill_batch
expect "f: the server received what the killed client had sent" wait_until 20 no_sessions

# ---- g: nobody resumes without being told ----
cf_run -c "lpwd"
expect "g: a script is told what is left and how to resume it" cf_says "not finished when clamftp last stopped.*--resume-queue"
expect "g: ... and nothing is sent" eval '[ -n "$(journals)" ]'
pty_answer() {
        /usr/bin/python3 - "$(clamftp_bin)" "$CF_SCANNER" "$CF_AUDIT" "$FTP_PASS" <<'PY'
import os, pty, select, sys, time
bin_, scanner, audit, password = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(bin_, [bin_, "--line", "--scanner", scanner, "--audit-log", audit])
out = b""
def until(text, secs=40):
    global out
    end = time.time() + secs
    while text not in out and time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.5)
        if r:
            try:
                out += os.read(fd, 4096)
            except OSError:
                break
    return text in out
ok = until(b"Resume them?")
os.write(fd, b"y\n")
ok = ok and until(b"assword")
os.write(fd, password.encode() + b"\n")
ok = ok and until(b"Resumed:")
os.write(fd, b"quit\n")
until(b"\x00", 3)
sys.stdout.write(out.decode(errors="replace"))
sys.exit(0 if ok else 1)
PY
}
expect "g: on a terminal the question comes, and y resumes" pty_answer
expect "g: every file of the resumed batch arrived" sent_once f up
expect "g: the journal is gone" eval '[ -z "$(journals)" ]'

# ---- h: a failed upload is kept, shown, run again or discarded ----
cd "$CF_LOCAL" || exit 1
mkdir -p "$FTP_ROOT/h" && ftp_own && chmod 0555 "$FTP_ROOT/h"
start_batch "cd h; lcd up; put f00.bin"
wait "$CLIENT_PID"
h_rc=$?
CLIENT_PID=
expect "h: the upload into a directory the server will not write fails ($h_rc)" \
        eval '[ "$h_rc" = 2 ] && grep -q "Uploading f00\.bin to .* failed" "$SUITE_DIR/batch.out"'
expect "h: the journal keeps it, as failed" eval 'grep -q " failed id=[0-9]* reason=" $(journals)'
cf_run -c "queue"
expect "h: the next run's queue shows it failed, with the server's reason" \
        eval 'cf_says "1 of them failed and is kept to be run again" &&
              cf_says "upload .*/up/f00\.bin → /h/f00\.bin \(.*\), failed: .*55[0-9]"'
expect "h: a failed job alone is not offered at start (it was reported when it failed)" \
        eval '! cf_says "They are kept: "'
chmod 0755 "$FTP_ROOT/h"
CF_INPUT="$FTP_PASS
" cf_run --resume-queue
expect "h: --resume-queue runs it again once it can work: exit 0, the file there ($CF_RC)" \
        eval 'cf_rc_is 0 && cmp -s up/f00.bin "$FTP_ROOT/h/f00.bin"'
expect "h: the journal is gone" eval '[ -z "$(journals)" ]'
chmod 0555 "$FTP_ROOT/h"
start_batch "cd h; lcd up; put f01.bin"
wait "$CLIENT_PID"
CLIENT_PID=
cf_run --discard-queue -c "lpwd"
expect "h: --discard-queue drops a failed job too, and the journal goes" \
        eval 'cf_says "Discarded 1 upload" && [ -z "$(journals)" ]'

tap_done
