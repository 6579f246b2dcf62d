#!/bin/bash
# tests/hostile/hostile.sh — clamftp against a server that misbehaves on purpose (tests/hostile/ftpd.py).
# Pins: hostile names from LIST/MLSD/NLST are skipped with an escaped warning and nothing is written
# outside the target directory; a planted symlink is not followed; the PASV address is ignored;
# 421, an endless greeting and a stalled transfer end with a clear error, exit 2, and no hang; a
# 421 in the middle of a download is seen at once (the .part kept), and with reconnecting on is
# tried again as often as asked, then ends the batch; MLSD refused as not implemented
# falls back to LIST for the session, a 550 does not; privileged passive ports are refused; huge
# listings end at the listing caps with bounded memory.
. "$top_srcdir/tests/lib/suite.sh"

[ -x /usr/bin/python3 ] || skip_all "/usr/bin/python3 is missing"
# short timeouts so that every failure case ends quickly
CF_CONNECT_TIMEOUT=3 CF_REPLY_TIMEOUT=3 CF_DATA_TIMEOUT=2
suite_begin hostile clamftp:mget,get,ls
. "$top_srcdir/tests/hostile/server.sh"
suite_at_exit 'rm -f /etc/clamftp-hostile-x'
CF_SCANNER=unix:$SUITE_DIR/no-scanner.sock   # nothing is uploaded here
CF_DEADLINE=30
FTP_USER=anonymous
FTP_PASS=test@example.org

# Runs a session and measures it; CF_SECONDS is the wall time.
timed_session() {
        local t0 t1
        t0=$(date +%s%N)
        cf_session "$@"
        t1=$(date +%s%N)
        CF_SECONDS=$(( (t1 - t0) / 1000000000 ))
}

no_raw_escape() { ! printf '%s' "$CF_ALL" | grep -q $'\x1b'; }
escaped_esc_shown() { printf '%s' "$CF_ALL" | grep -Eq '\\x1[bB]|\\033|\\e\[|\^\[|\\u001[bB]'; }
# exactly the good files, with their content, and nothing else in dest
dest_holds_only_good() {
        local dest=$1
        [ "$(cd "$dest" && find . -mindepth 1 | LC_ALL=C sort | tr '\n' '|')" = "./good two.txt|./good1.txt|./good3.bin|" ] || return 1
        [ "$(cat "$dest/good1.txt")" = "first good file" ]
}
nothing_outside() {
        local base=$1
        [ ! -e /etc/clamftp-hostile-x ] || return 1
        # everything under base except dest/ must be what we created
        [ "$(cd "$base" && find . -mindepth 1 -not -path './deep/dest*' | LC_ALL=C sort | tr '\n' '|')" = "./deep|" ]
}

for scenario in names-list names-mlsd names-nlst; do
        start_server "$scenario"
        base=$SUITE_DIR/w-$scenario
        mkdir -p "$base/deep/dest"
        cd "$base/deep/dest" || exit 1
        timed_session "prompt off; mget .* *"
        expect "$scenario: mget .* * ends without hanging (exit $CF_RC)" [ "$CF_RC" -ne 124 ]
        expect "$scenario: names skipped as unsafe make the exit status 2 (not everything arrived)" cf_rc_is 2
        expect "$scenario: the good files are fetched, and only they" dest_holds_only_good "$base/deep/dest"
        expect "$scenario: nothing is written outside the target directory" nothing_outside "$base"
        expect "$scenario: a warning names the skipped ../x" cf_says '\.\./x'
        expect "$scenario: a warning names the skipped ..\\x" cf_says '\.\.\\\\?x'
        expect "$scenario: a warning names the skipped C:\\x" cf_says 'C:\\\\?x'
        expect "$scenario: a warning names the skipped /etc/clamftp-hostile-x" cf_says '/etc/clamftp-hostile-x'
        expect "$scenario: no raw ESC byte reaches the terminal" no_raw_escape
        expect "$scenario: the ESC name is shown escaped" escaped_esc_shown
        if [ "$scenario" = names-mlsd ]; then
                expect "$scenario: the MLSD name a/b is skipped with a warning" cf_says 'a/b'
        fi
        # the same with an explicit destination directory
        base2=$SUITE_DIR/w2-$scenario
        mkdir -p "$base2/deep/dest"
        cd "$base2" || exit 1
        timed_session "prompt off; mget .* * $base2/deep/dest"
        expect "$scenario: mget .* * DIR fetches the good files into DIR only" dest_holds_only_good "$base2/deep/dest"
        expect "$scenario: mget .* * DIR writes nothing outside DIR" nothing_outside "$base2"
done

# A symlink planted in the destination is not followed (neither the final name nor the .part).
start_server plain
base=$SUITE_DIR/w-symlink
mkdir -p "$base/dest"
printf 'outside, untouched\n' >"$base/outside1"
printf 'outside, untouched\n' >"$base/outside2"
ln -s "$base/outside1" "$base/dest/good1.txt"
ln -s "$base/outside2" "$base/dest/good3.bin.part"
cd "$base/dest" || exit 1
timed_session "get good1.txt; get good3.bin" y y
expect "symlink: the target of a planted dest/good1.txt symlink is unchanged" \
        [ "$(cat "$base/outside1")" = "outside, untouched" ]
expect "symlink: the target of a planted dest/good3.bin.part symlink is unchanged" \
        [ "$(cat "$base/outside2")" = "outside, untouched" ]
expect "symlink: no hang (exit $CF_RC)" [ "$CF_RC" -ne 124 ]

# PASV naming a third host: the data connection goes to the control peer.
start_server pasv-third
cd "$SUITE_DIR" || exit 1
timed_session "ls"
expect "pasv-third: ls succeeds (exit 0)" cf_rc_is 0
expect "pasv-third: the listing arrives through the control peer's address" cf_stdout_has 'good1\.txt'
expect "pasv-third: the data connection came from 127.0.0.1" grep -q 'data connection from 127.0.0.1' "$SRV_DIR/log"

# 421 in the middle of a session.
start_server 421-cwd
timed_session "cd somewhere; pwd; ls"
expect "421 on CWD: exit status 2" cf_rc_is 2
expect "421 on CWD: the message says the server closed the session" cf_says '421|clos'
expect "421 on CWD: ends within 10 s (took ${CF_SECONDS}s)" [ "$CF_SECONDS" -le 10 ]

start_server 421-retr
mkdir -p "$SUITE_DIR/w-421" && cd "$SUITE_DIR/w-421" || exit 1
timed_session "reconnect 0; get good1.txt; pwd"
expect "421 during RETR: exit status 2" cf_rc_is 2
expect "421 during RETR: the message says the server closed the session" cf_says '421|clos'
expect "421 during RETR: the complete name is not created" [ ! -e "$SUITE_DIR/w-421/good1.txt" ]
expect "421 during RETR: ends within 10 s (took ${CF_SECONDS}s)" [ "$CF_SECONDS" -le 10 ]

# The same server with reconnecting on: a 421 every time is tried again as often as asked, 1 and
# 2 s apart, then the batch ends; the download never lands under its name.
start_server 421-retr
rm -rf "$SUITE_DIR/w-421" && mkdir -p "$SUITE_DIR/w-421" && cd "$SUITE_DIR/w-421" || exit 1
timed_session "reconnect 2; get good1.txt"
expect "421 during RETR, reconnect 2: exit status 2" cf_rc_is 2
expect "421 during RETR, reconnect 2: both tries are said" \
        eval 'cf_says "reconnecting \(1/2\) in 1 s" && cf_says "reconnecting \(2/2\) in 2 s"'
expect "421 during RETR, reconnect 2: the server saw three RETRs" \
        [ "$(grep -c '^RETR of' "$SRV_DIR/log")" = 3 ]
expect "421 during RETR, reconnect 2: the complete name is not created" [ ! -e "$SUITE_DIR/w-421/good1.txt" ]
expect "421 during RETR, reconnect 2: ends within 15 s (took ${CF_SECONDS}s)" [ "$CF_SECONDS" -le 15 ]

# An endless multi-line greeting ends with an error within the reply deadline (3 s here).
start_server endless-greeting
cd "$SUITE_DIR" || exit 1
timed_session "pwd"
expect "endless greeting: exit status 2" cf_rc_is 2
expect "endless greeting: ends within the reply deadline, not the test's (took ${CF_SECONDS}s)" [ "$CF_SECONDS" -le 12 ]
expect "endless greeting: the error says what happened" cf_says 'time|within|greeting|too (long|many)|reply|answer'

# A transfer that stalls: the data timeout (2 s here) fires. The server answers nothing after it
# (ABOR neither): the session is dropped, which a batch reconnects (tests/faults/data-stall.sh);
# `reconnect 0` keeps this case to the one stalled transfer.
start_server stall
mkdir -p "$SUITE_DIR/w-stall" && cd "$SUITE_DIR/w-stall" || exit 1
timed_session "reconnect 0; get big.bin"
expect "stall: exit status 2" cf_rc_is 2
expect "stall: ends by the data timeout (took ${CF_SECONDS}s)" [ "$CF_SECONDS" -le 12 ]
expect "stall: the error says the transfer stalled" cf_says 'time|idle|stall'
expect "stall: the complete name big.bin is not created" [ ! -e "$SUITE_DIR/w-stall/big.bin" ]

# MLSD offered but not implemented: LIST answers, and MLSD is not tried again in the session.
log_count() { grep -c -- "$1" "$SRV_DIR/log"; }
start_server mlsd-502
cd "$SUITE_DIR" || exit 1
timed_session "ls; ls"
expect "mlsd-502: ls succeeds through LIST (exit $CF_RC)" cf_rc_is 0
expect "mlsd-502: the listing arrives" cf_stdout_has 'good1\.txt'
expect "mlsd-502: MLSD is sent once, then remembered as missing" [ "$(log_count '^--> MLSD')" = 1 ]
expect "mlsd-502: both listings use LIST" [ "$(log_count '^--> LIST')" = 2 ]

# MLSD answering 550 is the answer: no LIST behind the user's back.
start_server mlsd-550
timed_session "ls nowhere"
expect "mlsd-550: ls fails (exit $CF_RC)" cf_rc_is 2
expect "mlsd-550: the 550 is shown" cf_says '550'
expect "mlsd-550: LIST is not tried" [ "$(log_count '^--> LIST')" = 0 ]

# MLSD answering with an ls -l listing: LIST is asked for and parsed as such.
start_server mlsd-is-list
timed_session "ls"
expect "mlsd-is-list: ls succeeds (exit $CF_RC)" cf_rc_is 0
expect "mlsd-is-list: the files are listed with their names" cf_stdout_has 'good two\.txt'
expect "mlsd-is-list: no entry is named after a whole ls -l line" eval '! cf_stdout_has "rw-r--r--.*rw-r--r--"'
expect "mlsd-is-list: LIST follows the MLSD" [ "$(log_count '^--> LIST')" = 1 ]

# A passive reply naming a privileged port (25 from EPSV, 21 from PASV) is refused.
start_server pasv-privileged
timed_session "ls"
expect "pasv-privileged: ls fails (exit $CF_RC)" cf_rc_is 2
expect "pasv-privileged: the error names the privileged port" cf_says 'privileged'
expect "pasv-privileged: no data connection reached the server" eval '! grep -q "data connection from" "$SRV_DIR/log"'

# 421 halfway through a slow download, the data connection left open: reported within a second,
# not after the data timeout (raised to 10 s here); the .part stays for a resume.
CF_DATA_TIMEOUT=10 clamftp_write_conf
start_server 421-retr-slow
mkdir -p "$SUITE_DIR/w-421-slow" && cd "$SUITE_DIR/w-421-slow" || exit 1
timed_session "reconnect 0; get big.bin"
CF_DATA_TIMEOUT=2 clamftp_write_conf
seen=$(sed -n 's/^client closed the control connection \([0-9.]*\) s after the 421$/\1/p' "$SRV_DIR/log")
expect "421 mid-RETR: exit status 2" cf_rc_is 2
expect "421 mid-RETR: the message says the server closed the session" cf_says '421'
expect "421 mid-RETR: the client let go within 1 s of the 421 (${seen:-never} s)" \
        awk -v t="${seen:-99}" 'BEGIN { exit !(t < 1.0) }'
expect "421 mid-RETR: the complete name big.bin is not created" [ ! -e "$SUITE_DIR/w-421-slow/big.bin" ]
expect "421 mid-RETR: big.bin.part keeps the bytes received" \
        [ "$(stat -c %s "$SUITE_DIR/w-421-slow/big.bin.part" 2>/dev/null || echo 0)" -gt 0 ]

# Huge listings end at the caps, quickly and with bounded memory (peak RSS under 300 MB).
for scenario in huge-lines huge-line; do
        start_server "$scenario"
        cd "$SUITE_DIR" || exit 1
        rss_file=$SUITE_DIR/rss-$scenario
        clamftp_bin_real=$(clamftp_bin)
        timed_session "ls"
        expect "$scenario: ls fails with exit 2 (exit $CF_RC)" cf_rc_is 2
        expect "$scenario: the error says the listing is too large" cf_says 'listing is too large'
        expect "$scenario: ends within 15 s (took ${CF_SECONDS}s)" [ "$CF_SECONDS" -le 15 ]
        expect "$scenario: the server saw the client stop early" grep -q 'client stopped the huge listing' "$SRV_DIR/log"
        if [ -x /usr/bin/time ]; then
                CF_INPUT="$FTP_USER
$FTP_PASS
"
                HOME=$CF_HOME timeout 30 /usr/bin/time -f %M -o "$rss_file" "$clamftp_bin_real" \
                        --scanner "$CF_SCANNER" -c "open 127.0.0.1 $FTP_PORT; ls" >/dev/null 2>&1 <<<"$CF_INPUT"
                rss=$(tail -n 1 "$rss_file" 2>/dev/null)
                expect "$scenario: peak memory stays under 300 MB (${rss:-?} KiB)" [ "${rss:-999999999}" -lt 307200 ]
        else
                skip "$scenario: peak memory" "/usr/bin/time is missing"
        fi
done

stop_server
tap_done
