#!/bin/bash
# tests/integration/commands-reconnect.sh — a batch whose control connections are lost on the way
# is reconnected (1, 2, 4 … s apart, up to `reconnect` tries) and finishes, against a real vsftpd
# and the real clamav-agent. The cuts come from tests/lib/cut-proxy.py (a relay in front of the
# control connections that closes the one carrying every Nth STOR or RETR), from vsftpd itself
# (500 OOPS) and from killing the server.
# Pins:
#   settings  `reconnect` alone shows the tries (default 5), `reconnect N` sets them, 0 turns it
#             off; --reconnect N and the [ftp] key `reconnect` set them; 101 is refused.
#   a  mput of 300 files of 4 KiB, the relay cutting every 50th STOR, with `parallel 1`,
#      `parallel 4`, and `parallel 4` in active mode: exit 0, every file on the server byte for
#      byte (random bytes: TYPE I is restored on each new login), each reported "Uploaded …"
#      exactly once, the tally "300 of 300 files uploaded", "reconnecting (1/5) in 1 s" and
#      "reconnected" said (with parallel 4, an extra connection's loss with its number); the audit
#      log holds exactly one "done" upload record per file, with its SHA-256, and at least one
#      "retried" record, each for a file later done with the same SHA-256; in active mode the
#      server never saw EPSV or PASV, reconnects included.
#   b  mget of those 300 files, the relay cutting every 50th RETR: exit 0, every file byte for
#      byte, each reported downloaded once, no .part left.
#   c  vsftpd with a passive range of two ports under `parallel 4` ends sessions with "500 OOPS:
#      vsf_sysutil_bind" now and then (load dependent: a note says whether it happened): mput and
#      mget of 300 files still end with exit 0 and every file byte for byte.
#   d  every vsftpd process of the suite killed mid-batch (listener and sessions) and started
#      again on the same port 2 s later: mput of 300 files of 16 KiB (rate limited) ends with
#      exit 0, every file byte for byte, one "done" record each; `get` of an 8 MiB file killed
#      about 1 s in goes on from its .part (verbose shows REST with a non-zero offset), the file
#      byte for byte, no .part left.
#   e  `reconnect 0` (parallel 1 and 4): a cut of the main connection ends the batch with exit 2;
#      a cut of an extra one only (the relay's log tells which) is said, the connection is left and
#      its file goes on another one, exit 0; every file is named exactly once, as uploaded or as not
#      uploaded; none reported uploaded that is not on the server byte for byte; no reconnect is
#      tried.
#   f  the server killed and not started again, --reconnect 2: the batch ends within 20 s with
#      exit 2, both tries said, "Could not reconnect", every file named exactly once, none
#      reported uploaded that is not on the server byte for byte.
#   g  explicit TLS (require_ssl_reuse, the self-signed certificate pinned by its fingerprint)
#      through the relay, which counts the STORs in vsftpd's protocol log (it cannot read the
#      encrypted commands) and cuts the session that received every 30th: mput of 100 files ends
#      with exit 0 (each new login needs TLS and the pinned certificate: vsftpd refuses a plain
#      login, and the certificate is trusted by nothing else), every file byte for byte, and
#      `status` after it still shows TLS with the fingerprint and the data encrypted.
# They run in the order a b e c d f g, grouped by the server each needs. Whole file: about 50 s
# on a 2-core machine.
. "$top_srcdir/tests/lib/suite.sh"

# any passive port: with a range of 8 and 4 connections at once vsftpd now and then ends a
# session with 500 OOPS (commands-parallel.sh), a loss of its own that case c provokes on purpose
BASE_CONF=(log_ftp_protocol=YES xferlog_std_format=NO pasv_min_port=0 pasv_max_port=0)
SUITE_VSFTPD_CONF=("${BASE_CONF[@]}")
suite_begin commands-reconnect tls-cert scanner vsftpd clamftp:open,mput,mget,get,parallel,reconnect,status
CF_DEADLINE=45
NFILES=300
SERVER_LOG=$SUITE_DIR/ftp/vsftpd.log  # log_ftp_protocol: every command the server received

# ---- local files: 300 of 4 KiB, 300 of 16 KiB, random ----
mkdir -p small mid
head -c $((NFILES * 4096)) /dev/urandom | split -b 4096 -a 3 -d --additional-suffix=.bin - small/f
head -c $((NFILES * 16384)) /dev/urandom | split -b 16384 -a 3 -d --additional-suffix=.bin - mid/m

# ---- helpers ----

# all_arrived SRC DIR: every file SRC/*.bin is on the server as DIR/SRC/NAME, byte for byte
all_arrived() {
        local f
        for f in "$1"/*.bin; do same_file "$f" "$FTP_ROOT/$2/$f" || { echo "missing or different: $2/$f"; return 1; }; done
}
# all_back SRC DIR: every file SRC/*.bin came back as DIR/SRC/NAME byte for byte, no .part left
all_back() {
        local f
        for f in "$1"/*.bin; do same_file "$f" "$2/$f" || { echo "missing or different: $2/$f"; return 1; }; done
        [ -z "$(find "$2" -name '*.part')" ] || { echo "a .part is left:"; find "$2" -name '*.part' | head -n 3; return 1; }
}
# reported_once VERB SRC: each file SRC/*.bin is named in exactly one "VERB SRC/FILE …" line
reported_once() {
        local counts f n bad=0
        counts=$(printf '%s\n' "$CF_ALL" | sed -n "s/^$1 \\([^ ]*\\) .*/\\1/p" | sort | uniq -c)
        for f in "$2"/*.bin; do
                n=$(awk -v f="$f" '$2 == f { print $1 }' <<<"$counts")
                [ "${n:-0}" = 1 ] || { echo "$f: reported ${n:-0} times"; bad=1; }
        done
        return $bad
}
# named_once SRC: after a batch that stopped, each file SRC/*.bin is named exactly once: uploaded,
# failed ("Uploading F to … failed") or not sent ("F was not uploaded")
named_once() {
        local f n bad=0
        for f in "$1"/*.bin; do
                n=$(printf '%s\n' "$CF_ALL" | grep -Ec "^(clamftp: error: )?(Uploaded $f as |Uploading $f to .* failed|$f was not uploaded)")
                [ "$n" = 1 ] || { echo "$f: named $n times"; bad=1; }
        done
        return $bad
}
# none_claimed_missing SRC DIR: none of SRC/*.bin is reported uploaded unless it is on the server
# as DIR/SRC/NAME byte for byte
none_claimed_missing() {
        local f bad=0
        for f in "$1"/*.bin; do
                if printf '%s\n' "$CF_ALL" | grep -q "^Uploaded $f as " && ! same_file "$f" "$FTP_ROOT/$2/$f"; then
                        echo "reported uploaded but not there: $f"; bad=1
                fi
        done
        return $bad
}
# audit_once N: the audit log holds exactly N "done" upload records, one per remote name, each
# with the SHA-256 of its local file, and at least one "retried" record, each for a file done
# later with the same SHA-256
audit_once() {
        /usr/bin/python3 - "$CF_AUDIT" "$1" "$CF_LOCAL" <<'PY'
import hashlib, json, os, sys
audit, n, local = sys.argv[1], int(sys.argv[2]), sys.argv[3]
recs = [json.loads(l) for l in open(audit) if l.strip()]
up = [r for r in recs if r.get("event") == "upload"]
done = {}
errs = []
for r in (r for r in up if r.get("result") == "done"):
    if r["remote"] in done:
        errs.append("two done records for %s" % r["remote"])
    done[r["remote"]] = r
if len(done) != n:
    errs.append("%d files with a done record, expected %d" % (len(done), n))
for remote, r in done.items():
    path = os.path.join(local, r.get("path", ""))
    if not os.path.isfile(path) or hashlib.sha256(open(path, "rb").read()).hexdigest() != r.get("sha256"):
        errs.append("%s: sha256 %s is not the local file's" % (remote, r.get("sha256")))
retried = [r for r in up if r.get("result") == "retried"]
if not retried:
    errs.append("no retried record")
for r in retried:
    d = done.get(r["remote"])
    if d is None or d.get("sha256") != r.get("sha256") or not r.get("error"):
        errs.append("retried record without an error or a done record of the same bytes: %r" % r)
other = [r for r in up if r.get("result") not in ("done", "retried")]
if other:
    errs.append("other upload records: %r" % other[:3])
if errs:
    sys.exit("\n".join(errs[:10]))
print("%d done, %d retried" % (len(done), len(retried)))
PY
}

# proxy_start VERB EVERY [OPTION…]: a fresh tests/lib/cut-proxy.py in front of the server on
# FTP_PORT, cutting every EVERYth VERB; sets PROXY_PORT, PROXY_PID, PROXY_LOG
PROXY_N=0
PROXY_PID=
proxy_start() {
        local verb=$1 every=$2
        shift 2
        proxy_stop
        PROXY_N=$((PROXY_N + 1))
        PROXY_LOG=$SUITE_DIR/proxy-$PROXY_N.log
        /usr/bin/python3 "$top_srcdir/tests/lib/cut-proxy.py" --listen-port-file "$SUITE_DIR/proxy-$PROXY_N.port" \
                --target "127.0.0.1:$FTP_PORT" --verb "$verb" --every "$every" --log "$PROXY_LOG" \
                --lifetime 300 "$@" >"$SUITE_DIR/proxy-$PROXY_N.out" 2>&1 </dev/null &
        PROXY_PID=$!
        wait_until 10 test -s "$SUITE_DIR/proxy-$PROXY_N.port" || { cat "$SUITE_DIR/proxy-$PROXY_N.out"; return 1; }
        PROXY_PORT=$(cat "$SUITE_DIR/proxy-$PROXY_N.port")
}
proxy_stop() { stop_pid "$PROXY_PID" 2; PROXY_PID=; }
suite_at_exit proxy_stop
proxy_cuts() { grep -c '^[0-9.]* cut connection' "$PROXY_LOG"; }

# server_kill_all: a crash (tests/lib/ftpd.sh)
server_kill_all() { vsftpd_crash; }
# server_restart: the same vsftpd.conf, so the same port and root, started again
server_restart() {
        /usr/sbin/vsftpd "$SUITE_DIR/ftp/vsftpd.conf" >>"$SUITE_DIR/ftp/vsftpd.out" 2>&1 </dev/null &
        VSFTPD_PID=$!
        ftpd_wait_up "$VSFTPD_PID" "$FTP_PORT"
}
# server_new LINE…: vsftpd stopped and started again in the same root, with BASE_CONF and LINEs
server_new() {
        vsftpd_stop
        suite_start "vsftpd ($*)" vsftpd_start "$SUITE_DIR/ftp" "${BASE_CONF[@]}" "$@"
}

# files_on_server DIR N: at least N files have arrived (complete or not) below DIR
files_on_server() { [ "$(find "$FTP_ROOT/$1" -type f 2>/dev/null | wc -l)" -ge "$2" ]; }
# a note (TAP diagnostics), for what is load dependent and asserted on nothing
note() { echo "# note: $*"; }

# ---- the setting ----
cf_run -c "reconnect; reconnect 3; reconnect; reconnect 0; reconnect"
says_tries() {
        local t=() n
        for n in "$@"; do
                case $n in
                0) t+=("A connection lost during transfers ends the batch.") ;;
                *) t+=("A connection lost during transfers is reconnected up to $n times.") ;;
                esac
        done
        cf_rc_is 0 && same_text "$(printf '%s\n' "${t[@]}")" "$CF_OUT"
}
expect "reconnect: 5 tries by default, 'reconnect 3' sets 3, 'reconnect 0' turns it off" says_tries 5 3 3 0 0
cf_run --reconnect 2 -c "status"
expect "--reconnect 2 shows in status" eval 'cf_rc_is 0 && cf_stdout_has "^Reconnect: up to 2 tries"'
printf 'reconnect=7\n' >>"$CF_CONF"
cf_run -c "reconnect"
expect "[ftp] reconnect = 7 in the config file" cf_stdout_has "reconnected up to 7 times"
clamftp_write_conf
cf_run -c "reconnect 101"
expect "reconnect 101 is refused with the range (exit 2)" eval 'cf_rc_is 2 && cf_says "from 0 to 100"'

# ---- a: mput through the relay cutting every 50th STOR: parallel 1 and 4, and 4 in active mode ----
suite_start "the cutting relay" proxy_start STOR 50
for run in 1:passive 4:passive 4:active; do
        par=${run%:*} CF_MODE=${run#*:}
        R=a-$par-$CF_MODE A="a, parallel $par, $CF_MODE"
        mkdir -p "$FTP_ROOT/$R" && ftp_own
        rm -f "$CF_AUDIT"
        cuts0=$(proxy_cuts) log0=$(stat -c %s "$SERVER_LOG")
        via "$PROXY_PORT" "cd $R; mput small/*.bin" --parallel $par
        cuts=$(( $(proxy_cuts) - cuts0 ))
        expect "$A: the relay cut the control connection 5 times or more ($cuts)" [ "$cuts" -ge 5 ]
        expect "$A: exit 0 ($CF_RC)" cf_rc_is 0
        expect "$A: the loss and the reconnect are said" \
                eval 'cf_says "Connection( [0-9]+)? lost \(.*\): reconnecting \(1/5\) in 1 s" && cf_says "reconnected to 127\.0\.0\.1"'
        [ "$par" = 1 ] || expect "$A: an extra connection was lost and reconnected on its own" \
                cf_says "Connection [2-9] lost \(.*\): reconnecting \(1/5\)"
        expect "$A: every file on the server byte for byte (binary kept after each reconnect)" all_arrived small "$R"
        expect "$A: each file reported uploaded exactly once" reported_once Uploaded small
        expect "$A: the tally counts $NFILES of $NFILES" cf_says "^$NFILES of $NFILES files uploaded \(0 refused by the scanner, 0 failed\)"
        expect "$A: audit log: one done record per file, the cut attempts retried" audit_once $NFILES
        if [ "$CF_MODE" = active ]; then
                expect "$A: the server saw EPRT or PORT and never EPSV or PASV, reconnects included" \
                        eval 'tail -c +$((log0 + 1)) "$SERVER_LOG" | grep -Eq "\"(EPRT|PORT) " &&
                                ! tail -c +$((log0 + 1)) "$SERVER_LOG" | grep -Eq "\"(EPSV|PASV)"'
        fi
done
CF_MODE=passive

# ---- b: mget through the relay cutting every 50th RETR ----
suite_start "the cutting relay (RETR)" proxy_start RETR 50
mkdir -p "$SUITE_DIR/back-b" && cd "$SUITE_DIR/back-b" || exit 1
via "$PROXY_PORT" "cd a-1-passive; mget small"
cd "$CF_LOCAL" || exit 1
cuts=$(proxy_cuts)
expect "b: the relay cut the control connection 5 times or more ($cuts)" [ "$cuts" -ge 5 ]
expect "b: mget of $NFILES files: exit 0 ($CF_RC)" cf_rc_is 0
expect "b: the loss is said" cf_says "lost \(.*\): reconnecting \(1/5\) in 1 s"
expect "b: every file came back byte for byte, no .part left" all_back small "$SUITE_DIR/back-b"
expect "b: each file reported downloaded exactly once" reported_once Downloaded small
expect "b: the tally counts $NFILES downloaded" cf_says "^$NFILES files downloaded, 0 skipped, 0 failed"

# ---- e: reconnect 0: a cut ends the batch, every file accounted for ----
suite_start "the cutting relay" proxy_start STOR 50
for par in 1 4; do
        R=e-$par
        mkdir -p "$FTP_ROOT/$R" && ftp_own
        lines0=$(wc -l <"$PROXY_LOG")
        via "$PROXY_PORT" "reconnect 0; cd $R; mput small/*.bin" --parallel $par
        # the relay numbers connections as it accepts them: the run's first is the main one
        run_log=$(tail -n +$((lines0 + 1)) "$PROXY_LOG")
        main_conn=$(printf '%s\n' "$run_log" | sed -n 's/^[0-9.]* connection \([0-9]*\) opened$/\1/p' | head -n 1)
        cut_conns=$(printf '%s\n' "$run_log" | sed -n 's/^[0-9.]* cut connection \([0-9]*\) at .*/\1/p')
        expect "e, reconnect 0, parallel $par: the relay cut a connection of this run" [ -n "$cut_conns" ]
        expect "e, reconnect 0, parallel $par: no reconnect is tried" eval '! cf_says "reconnecting \("'
        expect "e, reconnect 0, parallel $par: each file named once, uploaded or not" named_once small
        expect "e, reconnect 0, parallel $par: none reported uploaded that is not on the server" \
                none_claimed_missing small "$R"
        if printf '%s\n' "$cut_conns" | grep -qx "$main_conn"; then
                # the main connection cut: the batch ends there
                expect "e, reconnect 0, parallel $par, main connection cut: exit 2 ($CF_RC)" cf_rc_is 2
                expect "e, reconnect 0, parallel $par, main connection cut: the tally counts fewer than $NFILES" \
                        cf_says "^[0-9]+ of $NFILES files uploaded \(0 refused by the scanner, [1-9][0-9]* failed\)"
                expect "e, reconnect 0, parallel $par, main connection cut: the files not sent are said so" \
                        cf_says "was not uploaded: the batch stopped"
        else
                # only extra connections cut: each is said and left, its file goes on another one
                ncut=$(printf '%s\n' "$cut_conns" | grep -c .)
                expect "e, reconnect 0, parallel $par, only extras cut ($ncut): exit 0 ($CF_RC)" cf_rc_is 0
                expect "e, reconnect 0, parallel $par, only extras cut: each loss is said" eval \
                        '[ "$(printf "%s\n" "$CF_ALL" | grep -Ec "Connection [2-9] lost \(.*\): the batch goes on without it")" = "$ncut" ]'
                expect "e, reconnect 0, parallel $par, only extras cut: every file on the server byte for byte" \
                        all_arrived small "$R"
        fi
done
proxy_stop

# ---- c: vsftpd ends sessions with 500 OOPS (two passive ports, four connections) ----
range=$(ftpd_pasv_range)
lo=${range% *}
# 300 kB/s: the batch lasts about 2 s, longer than the pause before an extra connection is back
server_new pasv_min_port="$lo" pasv_max_port=$((lo + 1)) local_max_rate=300000
mkdir -p "$FTP_ROOT/c" && ftp_own
via "$FTP_PORT" "cd c; mput small/*.bin" --parallel 4
expect "c: mput of $NFILES files with two passive ports and parallel 4: exit 0 ($CF_RC)" cf_rc_is 0
expect "c: mput: every file on the server byte for byte" all_arrived small c
if cf_says "500 OOPS"; then note "c, mput: vsftpd ended $(printf '%s\n' "$CF_ALL" | grep -c '500 OOPS') sessions with 500 OOPS"
else note "c, mput: no 500 OOPS this time (it depends on the load)"; fi
mkdir -p "$SUITE_DIR/back-c" && cd "$SUITE_DIR/back-c" || exit 1
via "$FTP_PORT" "cd c; mget small" --parallel 4
cd "$CF_LOCAL" || exit 1
expect "c: mget of $NFILES files with two passive ports and parallel 4: exit 0 ($CF_RC)" cf_rc_is 0
expect "c: mget: every file came back byte for byte, no .part left" all_back small "$SUITE_DIR/back-c"
if cf_says "500 OOPS"; then note "c, mget: vsftpd ended $(printf '%s\n' "$CF_ALL" | grep -c '500 OOPS') sessions with 500 OOPS"
else note "c, mget: no 500 OOPS this time (it depends on the load)"; fi

# ---- d: the server killed and started again mid-batch ----
# 400 kB/s per session: 300 files of 16 KiB take about 3 s over 4 connections
server_new local_max_rate=400000
mkdir -p "$FTP_ROOT/d" && ftp_own
rm -f "$CF_AUDIT"
cf_bg "$CF_LOCAL" "cd d; mput mid/*.bin" --parallel 4
# kill_mid_batch DIR: once 30 files arrived below DIR, while the batch runs, kill every vsftpd process
kill_mid_batch() {
        wait_until 20 files_on_server "$1" 30 || { echo "fewer than 30 files arrived in 20 s"; return 1; }
        cf_bg_running || { echo "the batch ended before the kill"; return 1; }
        server_kill_all
}
expect "d: every vsftpd process killed mid-batch" kill_mid_batch d
sleep 2
expect "d: vsftpd started again on the same port" server_restart
cf_bg_wait
expect "d: the batch ends with exit 0 ($CF_RC, ${CF_BG_SECONDS}s)" cf_rc_is 0
expect "d: the loss and the reconnect are said" \
        eval 'cf_says "lost \(.*\): reconnecting \(1/5\)" && cf_says "reconnected to 127\.0\.0\.1"'
expect "d: every file on the server byte for byte" all_arrived mid d
expect "d: each file reported uploaded exactly once" reported_once Uploaded mid
expect "d: audit log: one done record per file, the cut uploads retried" audit_once $NFILES

# ---- f: the server killed and not started again, --reconnect 2 ----
mkdir -p "$FTP_ROOT/f" && ftp_own
cf_bg "$CF_LOCAL" "cd f; mput mid/*.bin" --parallel 4 --reconnect 2
expect "f: every vsftpd process killed mid-batch, not started again" kill_mid_batch f
cf_bg_wait
expect "f: the batch ends with exit 2 ($CF_RC)" cf_rc_is 2
expect "f: it ends within 20 s (${CF_BG_SECONDS}s)" [ "$CF_BG_SECONDS" -le 20 ]
expect "f: both tries are said, then that it could not reconnect" \
        eval 'cf_says "reconnecting \(1/2\) in 1 s" && cf_says "reconnecting \(2/2\) in 2 s" && cf_says "could not reconnect"'
expect "f: each file named once, uploaded or not" named_once mid
expect "f: none reported uploaded that is not on the server byte for byte" none_claimed_missing mid f

# ---- d: a download killed about 1 s in and resumed from its .part ----
# 4 MB/s: the 8 MiB file takes about 2 s
server_new local_max_rate=4000000
head -c $((8 * 1024 * 1024)) /dev/urandom >"$SUITE_DIR/big.bin"
cp "$SUITE_DIR/big.bin" "$FTP_ROOT/big.bin" && ftp_own
mkdir -p "$SUITE_DIR/back-d"
cf_bg "$SUITE_DIR/back-d" "verbose; get big.bin"
part_size() { stat -c %s "$SUITE_DIR/back-d/big.bin.part" 2>/dev/null || echo 0; }
part_holds_3m() { [ "$(part_size)" -ge $((3 * 1024 * 1024)) ]; }
kill_mid_get() {
        wait_until 10 part_holds_3m || { echo "the .part holds $(part_size) bytes after 10 s"; return 1; }
        cf_bg_running || { echo "the download ended before the kill"; return 1; }
        server_kill_all
}
expect "d, get: every vsftpd process killed while big.bin.part grows" kill_mid_get
sleep 2
expect "d, get: vsftpd started again on the same port" server_restart
cf_bg_wait
expect "d, get: exit 0 ($CF_RC, ${CF_BG_SECONDS}s)" cf_rc_is 0
expect "d, get: reconnected, then REST with a non-zero offset" \
        eval 'cf_says "reconnecting \(1/5\)" && cf_says "^--> REST [1-9][0-9]*"'
expect "d, get: the message says the download was resumed" cf_says "^Downloaded big\.bin \(.*resumed after"
expect_file_equal "d, get: the file is byte for byte the server's" "$SUITE_DIR/big.bin" "$SUITE_DIR/back-d/big.bin"
expect "d, get: no .part left" [ ! -e "$SUITE_DIR/back-d/big.bin.part" ]

# ---- g: explicit TLS through the relay, the pinned certificate kept on each reconnect ----
vsftpd_stop
suite_start "vsftpd (TLS)" vsftpd_start_tls "$SUITE_DIR/ftp" "$SUITE_DIR/certs/server.pem" \
        "$SUITE_DIR/certs/server.key" pasv_min_port=0 pasv_max_port=0
suite_start "the cutting relay (TLS)" proxy_start STOR 30 --count-log "$SERVER_LOG"
mkdir -p "$FTP_ROOT/g" && ftp_own
via "$PROXY_PORT" "cd g; mput small/f0??.bin; status" --tls=require --trust-fingerprint "$SUITE_FP"
cuts=$(proxy_cuts)
expect "g: the relay cut the TLS control connection twice or more ($cuts)" [ "$cuts" -ge 2 ]
expect "g: mput of 100 files over TLS: exit 0 ($CF_RC)" cf_rc_is 0
# (the batch may end before a cut extra connection is back: its reconnect is then cut short)
expect "g: the loss and the reconnect are said" cf_says "reconnecting \(1/5\)"
g_arrived() {
        local f
        for f in small/f0??.bin; do same_file "$f" "$FTP_ROOT/g/$f" || { echo "missing or different: $f"; return 1; }; done
}
expect "g: every file on the server byte for byte" g_arrived
expect "g: status after the batch: still TLS, the certificate trusted by its fingerprint, data encrypted" \
        cf_stdout_has "^Security: TLSv1.*trusted by its SHA-256 fingerprint.*data encrypted"
proxy_stop

tap_done
