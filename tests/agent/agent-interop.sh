#!/bin/bash
# tests/agent/agent-interop.sh — Debian's clamdscan (--stream, --fdpass, and its default CONTSCAN)
# gets the same answers from clamav-agent as from a real clamd loaded with the same signatures;
# and the four cases where clamd would say OK for what it never scanned are never OK here.
. "$top_srcdir/tests/lib/suite.sh"
suite_begin agent-interop agent-bin tool:clamdscan=clamdscan clamd-bin tool:zip
mkdir -p "$dir/files" "$dir/agent" "$dir/clamd" "$dir/limits"
chmod 0755 "$dir" "$dir/files"
f=$dir/files

# the samples; every one has unique content (libclamav caches verdicts)
head -c 3000 /dev/urandom | base64 >"$f/clean.txt"
: >"$f/empty"
eicar >"$f/eicar.com"
{ head -c 500 /dev/urandom; eicar; head -c 500 /dev/urandom; } >"$f/padded.bin"
{ eicar; head -c 4000 /dev/zero | tr '\0' A; } >"$f/eicar-long.txt"
(cd "$f" && zip -q -9 eicar.zip eicar-long.txt && zip -q -9 clean.zip clean.txt)
tar -C "$f" -czf "$f/eicar.tar.gz" eicar-long.txt
head -c $((5 * 1024 * 1024)) /dev/urandom >"$f/random-5M.bin"
samples="clean.txt empty eicar.com padded.bin eicar.zip clean.zip eicar.tar.gz random-5M.bin"

suite_start clamd clamd_start "$dir/clamd"
suite_start clamav-agent agent_start "$dir/agent" "StreamMaxLength 64M"
printf 'LocalSocket %s\nStreamMaxLength 64M\n' "$CLAMD_SOCKET" >"$dir/clamd-client.conf"
printf 'LocalSocket %s\nStreamMaxLength 64M\n' "$AGENT_SOCKET" >"$dir/agent-client.conf"

scan() { # scan CONF MODE FILE: the verdict line and exit status
        local out rc
        out=$(clamdscan --no-summary -c "$1" $2 "$3" 2>&1)
        rc=$?
        echo "$out rc=$rc"
}

for mode in --stream --fdpass ""; do
        for s in $samples; do
                want=$(scan "$dir/clamd-client.conf" "$mode" "$f/$s")
                got=$(scan "$dir/agent-client.conf" "$mode" "$f/$s")
                expect "clamdscan ${mode:-(CONTSCAN)} $s: same answer as clamd (${got##*: })" same_text "$want" "$got"
        done
done

# directory scan: every infected file reported, as clamd does
want=$(clamdscan --no-summary -c "$dir/clamd-client.conf" "$f" 2>&1 | sort)
got=$(clamdscan --no-summary -c "$dir/agent-client.conf" "$f" 2>&1 | sort)
expect "clamdscan of a directory: the same files reported as by clamd" same_text "$want" "$got"

# never OK: EICAR 17 zips deep, EICAR in an encrypted zip (agent with its default settings)
cp "$f/eicar-long.txt" "$dir/limits/l0"
prev=l0
for i in $(seq 1 17); do (cd "$dir/limits" && zip -q -9 "l$i.zip" "$prev"); prev=l$i.zip; done
(cd "$dir/limits" && zip -q -P secret enc.zip l0)
chmod -R a+rX "$dir/limits"
alert_answer() { # alert_answer CONF MODE FILE WANT: clamdscan's answer is the alert WANT
        local out
        out=$(clamdscan --no-summary -c "$1" "$2" "$3" 2>&1)
        echo "$out"
        case "$out" in *"$4"*" FOUND") ;; *) false ;; esac
}
not_ok_answer() { # not_ok_answer DESC CONF FILE WANT: never OK, and the expected alert
        local mode
        for mode in --stream --fdpass; do
                expect "$1 ($mode): never OK, $4" alert_answer "$2" $mode "$3" "$4"
        done
}
not_ok_answer "EICAR 17 zips deep" "$dir/agent-client.conf" "$dir/limits/l17.zip" \
        "Heuristics.Limits.Exceeded.MaxRecursion"
not_ok_answer "EICAR in an encrypted zip" "$dir/agent-client.conf" "$dir/limits/enc.zip" \
        "Heuristics.Encrypted"
agent_stop

# a file over MaxFileSize with EICAR at byte 0
{ eicar; head -c $((2 * 1024 * 1024)) /dev/urandom; } >"$dir/limits/big.bin"
chmod a+r "$dir/limits/big.bin"
mkdir -p "$dir/agent2"
agent_start "$dir/agent2" "StreamMaxLength 64M" "MaxFileSize 1M" || expect "agent 2 starts" false
printf 'LocalSocket %s\nStreamMaxLength 64M\n' "$AGENT_SOCKET" >"$dir/agent2-client.conf"
not_ok_answer "EICAR at byte 0 of a file over MaxFileSize" "$dir/agent2-client.conf" \
        "$dir/limits/big.bin" "Heuristics.Limits.Exceeded.MaxFileSize"
agent_stop

# a scan past MaxScanTime
head -c $((30 * 1024 * 1024)) /dev/urandom >"$dir/limits/slow.bin"
chmod a+r "$dir/limits/slow.bin"
mkdir -p "$dir/agent3"
agent_start "$dir/agent3" "StreamMaxLength 64M" "MaxScanTime 5" || expect "agent 3 starts" false
printf 'LocalSocket %s\nStreamMaxLength 64M\n' "$AGENT_SOCKET" >"$dir/agent3-client.conf"
not_ok_answer "a scan past MaxScanTime" "$dir/agent3-client.conf" "$dir/limits/slow.bin" \
        "Heuristics.Limits.Exceeded.MaxScanTime"
agent_stop
tap_done
