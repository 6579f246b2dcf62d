#!/bin/bash
# tests/agent/agent-interop.sh — Debian's clamdscan (--stream, --fdpass, and its default CONTSCAN)
# gets the same answers from clamav-agent as from a real clamd loaded with the same signatures;
# and the four cases where clamd would say OK for what it never scanned are never OK here.
. "$top_srcdir/tests/lib/agent.sh"
[ -x "$AGENT_BIN" ] || tap_skip_all "src/clamav-agent is not built"
command -v clamdscan >/dev/null || tap_skip_all "clamdscan is not installed (package clamdscan)"
clamd_available || tap_skip_all "clamd is not installed (package clamav-daemon)"
command -v zip >/dev/null || tap_skip_all "zip is not installed"

dir=$(mktemp -d)
trap 'agent_stop; clamd_stop; rm -rf "$dir"' EXIT
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

clamd_start "$dir/clamd" || tap_skip_all "clamd did not start (see above)"
agent_start "$dir/agent" "StreamMaxLength 64M" || { tap_not_ok "the agent starts"; tap_done; exit 1; }
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
                if [ "$want" = "$got" ]; then
                        tap_ok "clamdscan ${mode:-(CONTSCAN)} $s: same answer as clamd (${got##*: })"
                else
                        tap_not_ok "clamdscan ${mode:-(CONTSCAN)} $s: same answer as clamd"
                        printf 'clamd: %s\nagent: %s\n' "$want" "$got" | tap_diag
                fi
        done
done

# directory scan: every infected file reported, as clamd does
want=$(clamdscan --no-summary -c "$dir/clamd-client.conf" "$f" 2>&1 | sort)
got=$(clamdscan --no-summary -c "$dir/agent-client.conf" "$f" 2>&1 | sort)
if [ "$want" = "$got" ]; then
        tap_ok "clamdscan of a directory: the same files reported as by clamd"
else
        tap_not_ok "clamdscan of a directory"
        diff <(echo "$want") <(echo "$got") | tap_diag
fi

# never OK: EICAR 17 zips deep, EICAR in an encrypted zip (agent with its default settings)
cp "$f/eicar-long.txt" "$dir/limits/l0"
prev=l0
for i in $(seq 1 17); do (cd "$dir/limits" && zip -q -9 "l$i.zip" "$prev"); prev=l$i.zip; done
(cd "$dir/limits" && zip -q -P secret enc.zip l0)
chmod -R a+rX "$dir/limits"
not_ok_answer() { # not_ok_answer DESC CONF FILE WANT: never OK, and the expected alert
        local mode out
        for mode in --stream --fdpass; do
                out=$(clamdscan --no-summary -c "$2" $mode "$3" 2>&1)
                case "$out" in
                *"$4"*" FOUND") tap_ok "$1 ($mode): $out" ;;
                *) tap_not_ok "$1 ($mode) must not be OK"; echo "$out" | tap_diag ;;
                esac
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
agent_start "$dir/agent2" "StreamMaxLength 64M" "MaxFileSize 1M" || tap_not_ok "agent 2 starts"
printf 'LocalSocket %s\nStreamMaxLength 64M\n' "$AGENT_SOCKET" >"$dir/agent2-client.conf"
not_ok_answer "EICAR at byte 0 of a file over MaxFileSize" "$dir/agent2-client.conf" \
        "$dir/limits/big.bin" "Heuristics.Limits.Exceeded.MaxFileSize"
agent_stop

# a scan past MaxScanTime
head -c $((30 * 1024 * 1024)) /dev/urandom >"$dir/limits/slow.bin"
chmod a+r "$dir/limits/slow.bin"
mkdir -p "$dir/agent3"
agent_start "$dir/agent3" "StreamMaxLength 64M" "MaxScanTime 5" || tap_not_ok "agent 3 starts"
printf 'LocalSocket %s\nStreamMaxLength 64M\n' "$AGENT_SOCKET" >"$dir/agent3-client.conf"
not_ok_answer "a scan past MaxScanTime" "$dir/agent3-client.conf" "$dir/limits/slow.bin" \
        "Heuristics.Limits.Exceeded.MaxScanTime"
agent_stop
tap_done
