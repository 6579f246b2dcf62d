#!/bin/bash
# tests/integration/commands-parallel.sh — mput spread over several connections (`parallel`,
# --parallel) against a real vsftpd and the real clamav-agent: 60 files in nested directories
# arrive byte for byte over more than one login, in passive and active mode; an EICAR file among
# them never reaches the server (exit 1); the audit log holds a verdict per file and an upload
# record per upload; mget fetches the trees back over more than one login; `parallel 1` logs in
# once; a server allowing 2 connections per address still gets every file, with a warning;
# explicit TLS with require_ssl_reuse and a pinned self-signed certificate; an extra connection
# killed mid-batch loses no file and never reports one uploaded that is not on the server byte for
# byte; the main connection killed mid-batch is reconnected and every file arrives (with
# `--reconnect 0` the batch stops and names every file not sent); a large upload cut that way goes
# on with REST from what the server holds; with temp-upload a cut for good leaves nothing under
# the final name. Full screen: an upload batch
# whose first file is held in the scanner (a relay that delays its verdict) has that job cancelled
# at once while the other files of the batch arrive.
. "$top_srcdir/tests/lib/suite.sh"

# any passive port: with 8 (the suites' range) and 4 connections at once, vsftpd now and then
# finds no free one in 10 tries and ends the session ("500 OOPS: vsf_sysutil_bind")
SUITE_VSFTPD_CONF=(log_ftp_protocol=YES xferlog_std_format=NO pasv_min_port=0 pasv_max_port=0)
suite_begin commands-parallel tls-cert scanner vsftpd clamftp:open,mput,parallel,status
CF_DEADLINE=40
CERTS=$SUITE_DIR/certs
FP=$SUITE_FP

# ---- local files: 60 of 1-40 KiB in three directories, and EICAR beside them ----
for d in a b c; do
        mkdir -p tree/$d
        for i in $(seq 1 20); do
                head -c $(( (RANDOM % 40 + 1) * 1024 + RANDOM % 1000 )) /dev/urandom >tree/$d/f$i.bin
        done
done
eicar >eicar.com
NFILES=60

LOG() { echo "$SUITE_DIR/ftp/vsftpd.log"; }
log_size() { stat -c %s "$(LOG)" 2>/dev/null || echo 0; }
# logins_since OFFSET: how many sessions logged in after OFFSET bytes of the server's log
logins_since() { tail -c +"$(( $1 + 1 ))" "$(LOG)" 2>/dev/null | grep -c 'OK LOGIN'; }
# every file of tree/ is on the server below $1, byte for byte
tree_arrived() {
        local f
        for f in tree/*/*.bin; do same_file "$f" "$FTP_ROOT/$1/$f" || { echo "missing or different: $f"; return 1; }; done
}
# audit_complete: one verdict per file (60 OK, EICAR INFECTED with its signature) and one upload
# record per clean file, each with the SHA-256 of the local file and result done
audit_complete() {
        /usr/bin/python3 - "$CF_AUDIT" "$CF_LOCAL" <<'PY'
import glob, hashlib, json, os, sys
audit, local = sys.argv[1], sys.argv[2]
recs = [json.loads(l) for l in open(audit) if l.strip()]
files = {os.path.relpath(p, local): hashlib.sha256(open(p, "rb").read()).hexdigest()
         for p in glob.glob(os.path.join(local, "tree/*/*.bin"))}
errs = []
v = [r for r in recs if r.get("event") == "verdict"]
u = [r for r in recs if r.get("event") == "upload"]
ok = [r for r in v if r.get("verdict") == "OK"]
inf = [r for r in v if r.get("verdict") == "INFECTED"]
if len(ok) != len(files): errs.append("OK verdicts: %d, expected %d" % (len(ok), len(files)))
if len(inf) != 1 or "EICAR" not in str(inf[0].get("signature", "")).upper(): errs.append("INFECTED records: %r" % inf)
if len(u) != len(files): errs.append("upload records: %d, expected %d" % (len(u), len(files)))
for r in u:
    name = next((n for n in files if str(r.get("remote", "")).endswith(n)), None)
    if name is None: errs.append("upload of an unknown file: %r" % r); continue
    if r.get("sha256") != files[name]: errs.append("%s: sha256 %s" % (name, r.get("sha256")))
    if r.get("result") != "done": errs.append("%s: result %r" % (name, r.get("result")))
if any("eicar" in str(r.get("remote", "")) for r in u): errs.append("EICAR has an upload record")
if errs:
    print("\n".join(errs[:10])); sys.exit(1)
PY
}
ps_session_pids() { ps -o pid= --ppid "$VSFTPD_PID" 2>/dev/null | tr -d ' '; }

# ---- passive and active: 60 files and EICAR over 4 connections (fetched back by mget below) ----
for CF_MODE in $CF_MODES; do
        R=$CF_MODE
        mkdir -p "$FTP_ROOT/$R" && ftp_own
        rm -f "$CF_AUDIT"
        before=$(log_size)
        CF_INPUT="$FTP_USER
$FTP_PASS
" cf_run -n -c "open 127.0.0.1 $FTP_PORT; parallel 4; cd $R; verbose; mput tree/**/*.bin eicar.com"
        expect "$CF_MODE: mput of $NFILES files and EICAR with parallel 4: exit 1 (a file refused)" cf_rc_is 1
        # (under load an extra connection may log in too late to carry a file: its login is sure)
        expect "$CF_MODE: verbose: the extra connections' lines carry their number, from their login on" \
                cf_says "^\[[2-9]\] --> USER "
        expect "$CF_MODE: verbose: the main connection's lines carry [1] while several run" cf_says "^\[1\] --> STOR "
        expect "$CF_MODE: every clean file arrived byte for byte, in its nested directory" tree_arrived "$R"
        expect "$CF_MODE: EICAR is not on the server" [ ! -e "$FTP_ROOT/$R/eicar.com" ]
        expect "$CF_MODE: EICAR reported infected" cf_says "eicar.com is infected"
        n=$(logins_since "$before")
        expect "$CF_MODE: the server saw more than one login ($n)" [ "$n" -gt 1 ]
        expect "$CF_MODE: the summary counts $NFILES uploaded, 1 refused, 0 failed" \
                cf_says "$NFILES of $((NFILES + 1)) files uploaded \(1 refused by the scanner, 0 failed\)"
        expect "$CF_MODE: audit log: a verdict per file and an upload record per upload, with SHA-256" audit_complete
done
CF_MODE=passive

# ---- parallel 1 and the setting itself ----
mkdir -p "$FTP_ROOT/one" && ftp_own
before=$(log_size)
CF_INPUT="$FTP_USER
$FTP_PASS
" cf_run -n --parallel 1 -c "open 127.0.0.1 $FTP_PORT; status; cd one; mput tree/**/*.bin"
expect "--parallel 1: exit 0, every file arrived" eval 'cf_rc_is 0 && tree_arrived one'
expect "--parallel 1: status shows it" cf_stdout_has "Parallel connections: up to 1"
n=$(logins_since "$before")
expect "--parallel 1: one login ($n)" [ "$n" -eq 1 ]
cf_run -c "parallel 0"
expect "parallel 0 is refused with the range (exit 2)" eval 'cf_rc_is 2 && cf_says "from 1 to 16"'
cf_run --parallel 17 -c "status"
expect "--parallel 17 is refused (exit 2)" eval 'cf_rc_is 2 && cf_says "from 1 to 16"'
printf '[transfer]\nparallel=6\n' >>"$CF_CONF"
cf_run -c "status"
expect "[transfer] parallel = 6 in the config file shows in status" cf_stdout_has "Parallel connections: up to 6"
clamftp_write_conf

# ---- mget of the same trees back, over 4 connections ----
# The trees' 60 small files are read from a fast server sooner than an extra connection logs in
# when the machine is busy: the batch then ends on the first connection alone and the extra
# logins are cut short, right for a user but no test of the spread. At 400 kB/s per session the
# batch takes about three seconds on one connection, longer than any login.
vsftpd_stop
suite_start "vsftpd (local_max_rate, for mget)" vsftpd_start "$SUITE_DIR/ftp" "${SUITE_VSFTPD_CONF[@]}" \
        local_max_rate=400000
for CF_MODE in $CF_MODES; do
        R=$CF_MODE
        mkdir -p "$SUITE_DIR/back-$R" && cd "$SUITE_DIR/back-$R" || exit 1
        before=$(log_size)
        CF_INPUT="$FTP_USER
$FTP_PASS
" cf_run -n --parallel 4 -c "open 127.0.0.1 $FTP_PORT; cd $R; mget tree"
        cd "$CF_LOCAL" || exit 1
        n=$(logins_since "$before")
        expect "$CF_MODE: mget of the tree with parallel 4: exit 0, more than one login ($n)" \
                eval 'cf_rc_is 0 && [ "$n" -gt 1 ]'
        back_same() {
                local f
                for f in tree/*/*.bin; do same_file "$f" "$SUITE_DIR/back-$R/$f" || { echo "differs: $f"; return 1; }; done
                [ -z "$(find "$SUITE_DIR/back-$R" -name '*.part')" ] || { echo "a .part is left"; return 1; }
        }
        expect "$CF_MODE: mget: every file came back byte for byte, no .part left" back_same
done
CF_MODE=passive

# ---- a server that allows 2 connections per address ----
vsftpd_stop
SUITE_VSFTPD_CONF=(log_ftp_protocol=YES xferlog_std_format=NO pasv_min_port=0 pasv_max_port=0 max_per_ip=2)
suite_start "vsftpd (max_per_ip=2)" vsftpd_start "$SUITE_DIR/ftp" "${SUITE_VSFTPD_CONF[@]}"
mkdir -p "$FTP_ROOT/limited" && ftp_own
CF_INPUT="$FTP_USER
$FTP_PASS
" cf_run -n --parallel 4 -c "open 127.0.0.1 $FTP_PORT; cd limited; mput tree/**/*.bin"
expect "max_per_ip=2: exit 0 and every file arrived" eval 'cf_rc_is 0 && tree_arrived limited'
expect "max_per_ip=2: one warning that the server accepted only 2 connections" \
        eval '[ "$(printf "%s\n" "$CF_ALL" | grep -c "accepted only 2 connections")" -eq 1 ]'
expect "max_per_ip=2: the warning gives the server's reason and no advice to reconnect" \
        eval 'cf_says "accepted only 2 connections.*421" && ! cf_says "use .open. to reconnect"'

# ---- explicit TLS, require_ssl_reuse, a self-signed certificate pinned by its fingerprint ----
vsftpd_stop
suite_start "vsftpd (TLS)" vsftpd_start_tls "$SUITE_DIR/ftp" "$CERTS/server.pem" "$CERTS/server.key" \
        pasv_min_port=0 pasv_max_port=0
for CF_MODE in $CF_MODES; do
        R=tls-$CF_MODE
        mkdir -p "$FTP_ROOT/$R" && ftp_own
        before=$(log_size)
        CF_INPUT="$FTP_USER
$FTP_PASS
" cf_run -n --parallel 4 --tls=require --trust-fingerprint "$FP" -c "open 127.0.0.1 $FTP_PORT; cd $R; mput tree/**/*.bin"
        expect "TLS $CF_MODE: exit 0, every file arrived byte for byte" eval 'cf_rc_is 0 && tree_arrived $R'
        n=$(logins_since "$before")
        expect "TLS $CF_MODE: more than one login, each accepting the pinned certificate ($n)" [ "$n" -gt 1 ]
done
CF_MODE=passive

# ---- an extra connection killed mid-batch: no file lost, none claimed that is not there ----
vsftpd_stop
suite_start "vsftpd (local_max_rate)" vsftpd_start "$SUITE_DIR/ftp" "${SUITE_VSFTPD_CONF[@]:0:4}" local_max_rate=400000
mkdir -p big "$FTP_ROOT/killed" && ftp_own
before=$(log_size)
for i in $(seq 1 16); do head -c 300000 /dev/urandom >big/k$i.bin; done
OUT=$SUITE_DIR/killed.out
# mput_in_background N [OPTION…]: mput of big/*.bin with --parallel N into killed/, its output in
# $OUT and its exit status in $OUT.rc; RUN is its pid
mput_in_background() {
        local n=$1
        shift
        (
                CF_INPUT="$FTP_USER
$FTP_PASS
" cf_run -n --parallel "$n" "$@" -c "open 127.0.0.1 $FTP_PORT; cd killed; mput big/*.bin"
                printf '%s\n' "$CF_ALL" >"$OUT"
                echo "$CF_RC" >"$OUT.rc"
        ) &
        RUN=$!
}
# kill_newest_session: kills the server's newest session process (and its child)
kill_newest_session() {
        victim=$(ps_session_pids | sort -n | tail -n 1)
        for k in $(ps -o pid= --ppid "$victim" 2>/dev/null); do kill -9 "$k" 2>/dev/null; done
        kill -9 "$victim" 2>/dev/null
}
mput_in_background 4
all_logged_in() { [ "$(logins_since "$before")" -ge 4 ]; }
# the kill's own status does not count: the session may have ended by itself in between
kill_when_all_logged_in() { wait_until 15 all_logged_in || return 1; kill_newest_session; return 0; }
expect "an extra connection's server process was killed mid-batch (the batch used 4 connections)" \
        kill_when_all_logged_in
wait "$RUN"
expect "killed connection: the run ended by itself (exit $(cat "$OUT.rc" 2>/dev/null))" \
        eval '[ "$(cat "$OUT.rc" 2>/dev/null)" = 0 ] || [ "$(cat "$OUT.rc" 2>/dev/null)" = 2 ]'
claimed_but_missing() {
        local f bad=0
        for f in big/*.bin; do
                if grep -q "Uploaded $f as" "$OUT" && ! same_file "$f" "$FTP_ROOT/killed/$f"; then
                        echo "reported uploaded but not there: $f"; bad=1
                fi
        done
        return $bad
}
lost_silently() {
        local f bad=0
        for f in big/*.bin; do
                if ! same_file "$f" "$FTP_ROOT/killed/$f" && ! grep -Eq "Uploading $f to .* failed|$f was not uploaded" "$OUT"; then
                        echo "neither on the server nor reported failed: $f"; bad=1
                fi
        done
        return $bad
}
grep -Ei "lost|failed|warning" "$OUT" | head -n 5 | tap_diag
expect "killed connection: no file reported uploaded that is not on the server byte for byte" claimed_but_missing
expect "killed connection: every file is on the server complete or reported failed" lost_silently

# ---- the main connection killed mid-batch (one connection): it is reconnected and the batch
# goes on, every file arriving; with `reconnect 0` the batch stops, and every file it did not send
# is named, none left out of the report ----
first_file_started() { [ "$(logins_since "$before")" -ge 1 ] && [ -n "$(ls "$FTP_ROOT/killed/big" 2>/dev/null)" ]; }
rm -rf "$FTP_ROOT/killed" && mkdir -p "$FTP_ROOT/killed" && ftp_own
before=$(log_size)
mput_in_background 1
wait_until 15 first_file_started && kill_newest_session
wait "$RUN"
all_big_arrived() {
        local f
        for f in big/*.bin; do same_file "$f" "$FTP_ROOT/killed/$f" || { echo "missing or different: $f"; return 1; }; done
}
expect "main connection killed: reconnected, the run ends with exit status 0 ($(cat "$OUT.rc" 2>/dev/null))" \
        eval '[ "$(cat "$OUT.rc" 2>/dev/null)" = 0 ]'
expect "main connection killed: every file arrived byte for byte" all_big_arrived
expect "main connection killed: the loss and the reconnect are said" \
        eval 'grep -q "reconnecting (1/5)" "$OUT" && grep -q "Reconnected to 127.0.0.1" "$OUT"'
expect "main connection killed: each file reported uploaded once" \
        eval '[ "$(grep -c "^Uploaded big/" "$OUT")" = 16 ]'

rm -rf "$FTP_ROOT/killed" && mkdir -p "$FTP_ROOT/killed" && ftp_own
before=$(log_size)
mput_in_background 1 --reconnect 0
wait_until 15 first_file_started && kill_newest_session
wait "$RUN"
expect "reconnect 0, main connection killed: the run ends with exit status 2 ($(cat "$OUT.rc" 2>/dev/null))" \
        eval '[ "$(cat "$OUT.rc" 2>/dev/null)" = 2 ]'
expect "reconnect 0, main connection killed: no file reported uploaded that is not on the server" claimed_but_missing
expect "reconnect 0, main connection killed: every file not on the server is named as not uploaded" lost_silently

# ---- a large upload cut by a killed session goes on from what the server holds ----
head -c 2000000 /dev/urandom >large.bin
rm -rf "$FTP_ROOT/killed" && mkdir -p "$FTP_ROOT/killed" && ftp_own
rm -f "$CF_AUDIT"
(
        CF_INPUT="$FTP_USER
$FTP_PASS
" cf_run -n -c "open 127.0.0.1 $FTP_PORT; cd killed; verbose; put large.bin"
        printf '%s\n' "$CF_ALL" >"$OUT"
        echo "$CF_RC" >"$OUT.rc"
) &
RUN=$!
part_there() { [ "$(stat -c %s "$FTP_ROOT/killed/large.bin" 2>/dev/null || echo 0)" -ge 400000 ]; }
wait_until 20 part_there && kill_newest_session
wait "$RUN"
expect "large upload cut: exit 0 ($(cat "$OUT.rc" 2>/dev/null))" eval '[ "$(cat "$OUT.rc" 2>/dev/null)" = 0 ]'
expect_file_equal "large upload cut: the server's copy is whole, byte for byte" large.bin "$FTP_ROOT/killed/large.bin"
expect "large upload cut: it went on with REST from what the server held" \
        eval 'grep -Eq -- "--> REST [1-9][0-9]{5,}" "$OUT"'
went_on_audited() {
        /usr/bin/python3 - "$CF_AUDIT" <<'PY'
import json, sys
up = [json.loads(l) for l in open(sys.argv[1]) if '"upload"' in l]
done = [r for r in up if r.get("result") == "done"]
retried = [r for r in up if r.get("result") == "retried"]
sys.exit(0 if len(done) == 1 and done[0].get("offset", 0) >= 400000 and len(retried) == 1
         else "upload records: %r" % up)
PY
}
expect "large upload cut: the audit log has the retried attempt and the upload with its offset" went_on_audited

# ---- temp-upload, the connection cut for good: nothing under the final name ----
rm -rf "$FTP_ROOT/killed" && mkdir -p "$FTP_ROOT/killed" && ftp_own
(
        CF_INPUT="$FTP_USER
$FTP_PASS
" cf_run -n --reconnect 0 -c "open 127.0.0.1 $FTP_PORT; cd killed; temp-upload; put large.bin"
        printf '%s\n' "$CF_ALL" >"$OUT"
        echo "$CF_RC" >"$OUT.rc"
) &
RUN=$!
temp_part_there() {
        local f
        for f in "$FTP_ROOT"/killed/.large.bin.clamftp-*; do
                [ "$(stat -c %s "$f" 2>/dev/null || echo 0)" -ge 400000 ] && return 0
        done
        return 1
}
wait_until 20 temp_part_there && kill_newest_session
wait "$RUN"
expect "temp-upload cut for good: exit 2 ($(cat "$OUT.rc" 2>/dev/null))" eval '[ "$(cat "$OUT.rc" 2>/dev/null)" = 2 ]'
expect "temp-upload cut for good: no file under the final name" [ ! -e "$FTP_ROOT/killed/large.bin" ]

# ---- full screen: a job cancelled while it is scanned is dropped at once ----
if command -v tmux >/dev/null; then
        P=$SUITE_DIR/proxy
        mkdir -p "$P" "$SUITE_DIR/tui"
        for f in s1 s2 s3; do head -c 50000 /dev/urandom >"$SUITE_DIR/tui/$f.bin"; done
        # s1's verdict is held: files are scanned several at once, so the first verdict may be another's
        timeout 90 /usr/bin/python3 "$top_srcdir/tests/integration/scan-delay-proxy.py" \
                "$P/proxy.sock" "$CF_SCANNER_SOCKET" "$P" "$SUITE_DIR/tui/s1.bin" >"$P/out" 2>&1 &
        PROXY_PID=$!
        sock=clamftp-par-$$-$RANDOM
        stop_tui() { tmux -L "$sock" kill-server 2>/dev/null; touch "$P/release"; kill "$PROXY_PID" 2>/dev/null; }
        suite_at_exit stop_tui
        suite_start "the scan delay proxy" wait_until 10 test -e "$P/ready"
        mkdir -p "$FTP_ROOT/tui" && ftp_own
        tui_start 100 30 "$SUITE_DIR/tui" -- --scanner "unix:$P/proxy.sock" --audit-log "$CF_AUDIT"
        wait_screen 10 '^>Local: ' || expect "the panes come up" false
        text ":open 127.0.0.1 $FTP_PORT"; keys Enter
        tui_login
        wait_screen 10 'Remote:' && { text ":cd tui"; keys Enter; }
        wait_screen 10 'Remote: .*tui' && { keys Down Insert Insert Insert F5; }
        if wait_until 15 test -e "$P/held"; then
                text ":cancel 1"; keys Enter
                both_arrived() { same_file "$SUITE_DIR/tui/s2.bin" "$FTP_ROOT/tui/s2.bin" && same_file "$SUITE_DIR/tui/s3.bin" "$FTP_ROOT/tui/s3.bin"; }
                arrive_in_time() { wait_until 10 both_arrived || { screen; false; }; }
                expect "TUI: the rest of the batch arrives while the cancelled job's scan is still held" arrive_in_time
                expect "TUI: the scanner still holds the cancelled file's verdict (not released)" test ! -e "$P/release"
                keys F9
                expect "TUI: the queue view shows the job cancelled" wait_screen 10 'cancelled +s1\.bin'
                expect "TUI: the cancelled file is not on the server" test ! -e "$FTP_ROOT/tui/s1.bin"
        else
                expect "TUI: the first scan is held by the relay" eval 'screen; false'
        fi
        stop_tui
else
        skip "TUI: a job cancelled while it is scanned" "tmux is not installed"
fi

tap_done
