#!/bin/bash
# tests/integration/test-scan-agent.sh — clamftp's own scanner client against clamav-agent, end to
# end, over the unix socket (FILDES, after clamftp's probe that the agent flags a file over its
# limits) and over TCP (INSTREAM): `clamftp --scanner ADDRESS -c 'scan FILE'` gives OK (exit 0) for
# a clean file, INFECTED with the signature name (exit 1) for EICAR, EICAR in a zip, EICAR 2 MiB
# into a file (over TCP: a stream the agent spools to disk), and an encrypted zip (the agent never
# says OK for what it could not scan); with the agent stopped the scan is refused with the reason.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin test-scan-agent agent-bin tool:zip clamftp:scan
CF_DEADLINE=30
mkdir -p "$dir/files"
cd "$dir/files" || exit 1

# samples, each with its own content (libclamav caches verdicts)
head -c 3000 /dev/urandom | base64 >clean.txt
eicar >eicar.com
mkdir z && cp eicar.com z/readme.com && zip -q -r eicar.zip z && rm -rf z
{ eicar; head -c 4000 /dev/zero | tr '\0' A; } >plain.txt
zip -q -P secret encrypted.zip plain.txt
# over StreamMemoryMax (1M below): as INSTREAM the agent spools them to an unlinked file
head -c $((3 * 1024 * 1024)) /dev/urandom >big-clean.bin
{ head -c $((2 * 1024 * 1024)) /dev/urandom; eicar; head -c 1000 /dev/urandom; } >big-eicar.bin
SIG='Clamftp\.Test\.EICAR\.[A-Z]+(\.UNOFFICIAL)?'

AGENT_TCP_PORT=$(free_port)
suite_start clamav-agent agent_start "$dir/agent" "StreamMemoryMax 1M"

# scan_cases TRANSPORT: every sample through the scanner at $CF_SCANNER
scan_cases() {
        local t=$1
        cf_run -c 'scan clean.txt'
        expect "$t: scan clean.txt: exit 0" cf_rc_is 0
        expect "$t: scan clean.txt: OK" cf_stdout_has '^clean\.txt: OK'

        cf_run -c 'scan eicar.com'
        expect "$t: scan eicar.com: exit 1" cf_rc_is 1
        expect "$t: scan eicar.com: INFECTED with the signature name" \
                cf_says "eicar\.com: INFECTED \($SIG\)"

        cf_run -c 'scan eicar.zip'
        expect "$t: scan of EICAR in a zip: exit 1" cf_rc_is 1
        expect "$t: scan of EICAR in a zip: INFECTED with the signature name" \
                cf_says "eicar\.zip: INFECTED \($SIG\)"

        cf_run -c 'scan encrypted.zip'
        expect "$t: scan of an encrypted zip: exit 1" cf_rc_is 1
        expect "$t: scan of an encrypted zip: ERROR, not scanned: encrypted, never OK" \
                cf_says 'encrypted\.zip: ERROR, not scanned: encrypted \(Heuristics\.Encrypted\.'

        cf_run -c 'scan big-clean.bin'
        expect "$t: scan of a 3 MiB clean file: OK, exit 0" \
                eval 'cf_rc_is 0 && cf_stdout_has "^big-clean\.bin: OK"'
        cf_run -c 'scan big-eicar.bin'
        expect "$t: scan of EICAR 2 MiB into a file: INFECTED, exit 1" \
                eval 'cf_rc_is 1 && cf_says "big-eicar\.bin: INFECTED \($SIG\)"'

        cf_run -c 'scan clean.txt eicar.com'
        expect "$t: scan of a clean and an infected file: exit 1, the clean one still OK" \
                eval 'cf_rc_is 1 && cf_stdout_has "^clean\.txt: OK" && cf_says "eicar\.com: INFECTED"'
}

# scans of the files (not clamftp's FILDES probe, a sparse 4 GiB file) over the unix socket
file_scans() {
        grep -E 'scan (instream(\(spooled\))?|fildes) peer=local ' "$AGENT_LOG" |
                grep -vc ' bytes=4294967296 '
}
CF_SCANNER=$AGENT_ADDRESS
before=$(file_scans)
scan_cases unix
# 8 files in 7 runs: each one reached the agent and was logged with its verdict (the agent
# answers first and logs then, so the last line may come a moment after clamftp exits)
logged() { [ $(( $(file_scans) - before )) -eq 8 ]; }
agent_log_tail() { tail -n 12 "$AGENT_LOG"; false; }
logged_soon() { wait_until 5 logged || { echo "$(( $(file_scans) - before )) scans logged"; agent_log_tail; }; }
expect "unix: the agent logged one scan per file (8)" logged_soon
# clamftp trusts FILDES only from a scanner that flags a file over its limits: its probe (a sparse
# 4 GiB descriptor) must get the MaxFileSize alert, never OK
probe_flagged() {
        grep -q 'scan fildes peer=local bytes=4294967296 .*FOUND signature=Heuristics\.Limits\.Exceeded\.MaxFileSize' \
                "$AGENT_LOG"
}
if probe_flagged; then
        expect "unix: clamftp's FILDES probe (4 GiB) is flagged MaxFileSize, so FILDES is used" probe_flagged
        expect "unix: the files went by FILDES (the agent read clamftp's snapshot descriptor)" \
                grep -qE 'scan fildes peer=local bytes=[0-9]+ .*FOUND signature=Clamftp\.Test\.EICAR' "$AGENT_LOG"
else
        skip "unix: clamftp's FILDES probe flagged MaxFileSize" "this clamftp does not probe FILDES"
        skip "unix: the files went by FILDES" "this clamftp sends INSTREAM only"
fi

CF_SCANNER=$AGENT_TCP_ADDRESS
scan_cases tcp
tcp_logged_soon() {
        wait_until 5 grep -q 'scan instream peer=127\.0\.0\.1@[0-9]* .* FOUND signature=Clamftp\.Test\.EICAR' \
                "$AGENT_LOG" || agent_log_tail
}
expect "tcp: the agent logged the scans with the TCP peer" tcp_logged_soon

# the agent stopped: no verdict, so the file is refused with the reason (exit 1), once the short
# wait for it to come back is over
agent_stop
for CF_SCANNER in "$AGENT_ADDRESS" "$AGENT_TCP_ADDRESS"; do
        t=${CF_SCANNER%%:*}
        cf_run --scanner-wait 1 -c 'scan clean.txt'
        expect "$t: agent stopped: exit 1" cf_rc_is 1
        expect "$t: agent stopped: clean.txt refused with the reason (not reachable)" \
                eval 'cf_says "clean\.txt: ERROR, not scanned: the scanner is unreachable .*not reachable" && ! cf_stdout_has "clean\.txt: OK"'
done

# a file over the scanner's MaxFileSize was not scanned: refused (exit 1) in those words, never
# called infected, and never OK
suite_start "clamav-agent with MaxFileSize 1M" agent_start "$dir/agent-small" "MaxFileSize 1M"
CF_SCANNER=$AGENT_ADDRESS
cf_run -c 'scan big-clean.bin'
expect "unix, MaxFileSize 1M: a 3 MiB file: exit 1, not scanned because of the limit" \
        eval 'cf_rc_is 1 && cf_says "big-clean\.bin: ERROR, not scanned: larger than the scanner.s MaxFileSize \(Heuristics\.Limits\.Exceeded\.MaxFileSize\)"'
expect "unix, MaxFileSize 1M: the file is not called infected" eval '! cf_says "INFECTED|infected"'
tap_done
