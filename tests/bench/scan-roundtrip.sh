#!/usr/bin/env bash
# tests/bench/scan-roundtrip.sh — round-trip scan time of clamav-agent beside a real clamd loaded
# with the same signatures, and beside `clamscan` run once per file, for 4 KiB, 1 MiB and 100 MiB
# files; with the project's test signatures and with a large synthetic set it generates.
# Owns: its temporary directory (the generated signatures, the files given to clamscan, logs) and
# the agent and clamd it starts (through tests/lib/agent.sh and tests/lib/clamd.sh), stopped by
# pid. Not part of make check. See tests/bench/SCAN.md for what it measures and the last results.
# Runs holding /tmp/clamftp-bench.lock, so two benchmarks never share the machine.
set -euo pipefail

usage() {
        cat <<'EOF'
Usage: tests/bench/scan-roundtrip.sh [options]
  --quick          fewer repetitions (about 3 minutes instead of 5–6)
  --sets LIST      signature sets, in run order (default test,large):
                     test   data/signatures (2 signatures)
                     large  data/signatures + ~1,000,000 MD5 hash signatures (.hdb) + ~100,000
                            body signatures (.ndb), generated with a fixed seed
  --agent PATH     the clamav-agent binary (default: the newest build*/src/clamav-agent)
  --scan-tmp DIR   the parent of both daemons' temporary directories (default: the benchmark's
                   own directory under $TMPDIR); e.g. /dev/shm to take the disk out
  --sizes LIST     file sizes, from 4K,1M,100M (default all three)
  --modes LIST     instream (the stream over the socket) and/or fildes (a descriptor passed over
                   the unix socket, clamftp's default); default instream,fildes
  --rounds N       rounds per size instead of the defaults below
  --pin CPUS       pin both daemons (every thread) to CPUS with taskset, e.g. 1 or 0-1
  --agent-conf L   one more clamav-agent.conf line for the agent (repeatable), e.g. "HugePages no"
  --no-clamscan    skip the clamscan-per-file rows
  --keep           keep the temporary directory (signatures, logs, raw timings)
Needs clamd and clamscan (Debian's clamav-daemon and clamav), cc and python3.
EOF
}

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export top_srcdir=$top

quick=0
sets=test,large
agent_bin=
scan_tmp=
keep=0
clamscan=1
size_list=4K,1M,100M
modes=instream,fildes
rounds_override=
pin=
agent_extra=()
while [ $# -gt 0 ]; do
        case $1 in
        --quick) quick=1; shift ;;
        --sets) sets=$2; shift 2 ;;
        --agent) agent_bin=$2; shift 2 ;;
        --scan-tmp) scan_tmp=$2; shift 2 ;;
        --sizes) size_list=$2; shift 2 ;;
        --modes) modes=$2; shift 2 ;;
        --rounds) rounds_override=$2; shift 2 ;;
        --pin) pin=$2; shift 2 ;;
        --agent-conf) agent_extra+=("$2"); shift 2 ;;
        --keep) keep=1; shift ;;
        --no-clamscan) clamscan=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "scan-roundtrip: unknown option '$1'" >&2; usage >&2; exit 2 ;;
        esac
done

die() { echo "scan-roundtrip: $*" >&2; exit 1; }
say() { printf '%s\n' "$*" >&2; }

if [ -z "$agent_bin" ]; then
        agent_bin=$(ls -t "$top"/build*/src/clamav-agent 2>/dev/null | head -n 1 || true)
fi
[ -n "$agent_bin" ] && [ -x "$agent_bin" ] ||
        die "no clamav-agent binary; build one (see README) or pass --agent PATH"
agent_bin=$(cd "$(dirname "$agent_bin")" && pwd)/$(basename "$agent_bin")
export top_builddir=${agent_bin%/src/clamav-agent}
command -v clamscan >/dev/null || die "clamscan is not installed (package clamav)"
command -v cc >/dev/null || die "cc is not installed"
[ -x /usr/bin/python3 ] || die "python3 is not installed"

. "$top/tests/lib/agent.sh"
AGENT_BIN=$agent_bin
clamd_available || die "clamd is not installed (package clamav-daemon)"

# Repetitions: rounds of (one scan on the agent, one on clamd) per size; clamscan runs per size.
KiB=1024
MiB=$((1024 * 1024))
sizes=
for z in ${size_list//,/ }; do
        case $z in
        4K) sizes="$sizes $((4 * KiB))" ;;
        1M) sizes="$sizes $MiB" ;;
        100M) sizes="$sizes $((100 * MiB))" ;;
        *) die "unknown size '$z' (4K, 1M or 100M)" ;;
        esac
done
for m in ${modes//,/ }; do
        [ "$m" = instream ] || [ "$m" = fildes ] || die "unknown mode '$m' (instream or fildes)"
done
[ -z "$pin" ] || command -v taskset >/dev/null || die "--pin needs taskset (util-linux)"
if [ $quick = 1 ]; then
        declare -A rounds=([test,4096]=200 [test,1048576]=20 [test,104857600]=3
                           [large,4096]=200 [large,1048576]=10 [large,104857600]=2)
        declare -A cs_runs=([test,4096]=3 [test,1048576]=2 [test,104857600]=1
                            [large,4096]=2 [large,1048576]=1 [large,104857600]=1)
else
        declare -A rounds=([test,4096]=1000 [test,1048576]=50 [test,104857600]=7
                           [large,4096]=1000 [large,1048576]=20 [large,104857600]=3)
        declare -A cs_runs=([test,4096]=9 [test,1048576]=5 [test,104857600]=3
                            [large,4096]=5 [large,1048576]=3 [large,104857600]=1)
fi

# one benchmark at a time on this machine
exec 9>/tmp/clamftp-bench.lock
flock -n 9 || { say "waiting for /tmp/clamftp-bench.lock (another benchmark is running)"; flock 9; }

work=$(mktemp -d "${TMPDIR:-/tmp}/scan-bench.XXXXXX")
chmod 0755 "$work"
# (the helpers' kill of a process already gone fails: they run outside set -e)
cleanup() {
        set +e
        agent_stop
        clamd_stop
        if [ $keep = 1 ]; then say "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
tmp_parent=${scan_tmp:-$work}
mkdir -p "$tmp_parent"

cc -O2 -o "$work/client" "$top/tests/bench/scan-roundtrip-client.c" || die "cannot build the client"

# The large set: MD5 hashes with realistic sizes (a log-uniform spread from 100 B to 10 MB) and
# body signatures of random 20–40 bytes: most plain (Boyer-Moore), the rest with a ?? byte, a
# {n-m} gap, a * gap or an (aa|bb) alternative (Aho-Corasick). Fixed seed: the same set each run.
generate_large() {
        local db=$1
        mkdir -p "$db"
        cp "$top"/data/signatures/*.hdb "$top"/data/signatures/*.ndb "$db/"
        /usr/bin/python3 - "$db" <<'PY'
import random, sys
db = sys.argv[1]
r = random.Random(20261124)
with open(db + "/bench-large.hdb", "w") as f:
    f.writelines("%032x:%d:Bench.Hash.%d\n" % (r.getrandbits(128), int(10 ** r.uniform(2, 7)), i)
                 for i in range(1000000))
def body():
    n = r.randint(20, 40)
    h = r.getrandbits(8 * n).to_bytes(n, "big").hex()
    k = r.random()
    p = 2 * r.randrange(8, n - 8)
    if k < 0.60:
        return h
    if k < 0.75:
        return h[:p] + "??" + h[p + 2:]
    if k < 0.85:
        lo = r.randint(0, 8)
        return h[:p] + "{%d-%d}" % (lo, lo + r.randint(1, 32)) + h[p:]
    if k < 0.95:
        return h[:p] + "*" + h[p:]
    return h[:p] + "(%s|%02x)" % (h[p:p + 2], r.getrandbits(8)) + h[p + 2:]
with open(db + "/bench-large.ndb", "w") as f:
    f.writelines("Bench.Body.%d:0:*:%s\n" % (i, body()) for i in range(100000))
PY
}

# pin_daemon PID: every thread of PID onto the --pin CPUs
pin_daemon() {
        [ -z "$pin" ] || taskset -a -p -c "$pin" "$1" >/dev/null || die "taskset -p -c $pin $1 failed"
}

# the 1-minute load average: other work on the machine during a measurement
load1() { cut -d' ' -f1 /proc/loadavg; }

# ms_since START_NS
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# stats: reads one number per line (µs); prints "n p50 p90" in ms (nearest rank)
stats() {
        sort -n | awk '{ v[NR] = $1 } END {
                if (NR == 0) { print "0 - -"; exit }
                i50 = int(NR * 0.5 + 0.5); if (i50 < 1) i50 = 1
                i90 = int(NR * 0.9 + 0.5); if (i90 < 1) i90 = 1
                printf "%d %.3f %.3f\n", NR, v[i50] / 1000, v[i90] / 1000 }'
}

# a FOUND for EICAR through SOCKET proves the daemon loaded the same signatures as the other
eicar_found() {
        eicar | /usr/bin/python3 -c '
import socket, struct, sys
data = sys.stdin.buffer.read()
s = socket.socket(socket.AF_UNIX); s.settimeout(30); s.connect(sys.argv[1])
s.sendall(b"zINSTREAM\0" + struct.pack(">I", len(data)) + data + struct.pack(">I", 0))
reply = s.recv(512)
sys.exit(0 if reply.startswith(b"stream: Clamftp.Test.EICAR") else 1)' "$1"
}

results=$work/results
: >"$results"
limits=("StreamMaxLength 200M" "MaxFileSize 200M" "MaxScanSize 400M" "MaxScanTime 600000")
seed=1
for set in ${sets//,/ }; do
        case $set in
        test) db=$top/data/signatures ;;
        large)
                db=$work/db-large
                t0=$(date +%s%N)
                generate_large "$db"
                say "large set generated in $(ms_since "$t0") ms: $(cat "$db"/*.hdb | wc -l) hash, $(cat "$db"/*.ndb | wc -l) body signatures"
                ;;
        *) die "unknown signature set '$set' (test or large)" ;;
        esac
        mkdir -p "$tmp_parent/$set-agent-tmp" "$tmp_parent/$set-clamd"
        AGENT_DB=$db AGENT_START_TIMEOUT=120
        t0=$(date +%s%N)
        agent_start "$work/$set-agent" "${limits[@]}" "TemporaryDirectory $tmp_parent/$set-agent-tmp" \
                ${agent_extra[@]+"${agent_extra[@]}"} ||
                die "clamav-agent did not start with the $set set"
        agent_ready=$(ms_since "$t0")
        # clamd keeps the first value of an option: these come before clamd.sh's defaults
        CLAMD_EXTRA_CONF=$(printf '%s\n' "DatabaseDirectory $db" "${limits[@]}" \
                "TemporaryDirectory $tmp_parent/$set-clamd")
        t0=$(date +%s%N)
        clamd_start "$work/$set-clamd" || die "clamd did not start with the $set set"
        clamd_ready=$(ms_since "$t0")
        pin_daemon "$AGENT_PID"
        pin_daemon "$CLAMD_PID"
        eicar_found "$AGENT_SOCKET" || die "the agent does not find EICAR with the $set set"
        eicar_found "$CLAMD_SOCKET" || die "clamd does not find EICAR with the $set set"
        sigs=$(sed -n 's/.* \([0-9][0-9]*\) signatures loaded from.*/\1/p' "$AGENT_LOG" | head -n 1)
        echo "load $set $sigs $agent_ready $clamd_ready" >>"$results"
        say "$set: $sigs signatures; ready after: agent $agent_ready ms, clamd $clamd_ready ms (includes the PING poll)"

        mkdir -p "$work/fildes"
        for mode in ${modes//,/ }; do
        for size in $sizes; do
                n=${rounds_override:-${rounds[$set,$size]}}
                say "$set: $n rounds of $mode with $size bytes (agent, clamd alternating)"
                raw=$work/raw-$set-$mode-$size
                l0=$(load1)
                if [ "$mode" = fildes ]; then
                        "$work/client" fildes "$size" "$n" "$seed" "$work/fildes" "$AGENT_SOCKET" \
                                "$CLAMD_SOCKET" >"$raw" ||
                                die "a scan did not answer OK; see $raw (run with --keep)"
                else
                        "$work/client" stream "$size" "$n" "$seed" "$AGENT_SOCKET" "$CLAMD_SOCKET" \
                                >"$raw" || die "a scan did not answer stream: OK; see $raw (run with --keep)"
                fi
                seed=$((seed + 1))
                for who in 0 1; do
                        name=$([ $who = 0 ] && echo agent || echo clamd)
                        echo "rt $set $mode $size $name $(awk -v w=$who '$1 == w { print $2 }' "$raw" | stats) $l0 $(load1)" \
                                >>"$results"
                done
        done
        done
        agent_stop || true
        clamd_stop || true

        for size in $sizes; do
                [ $clamscan = 1 ] || break
                n=${cs_runs[$set,$size]}
                say "$set: clamscan on $n file(s) of $size bytes"
                files=$work/cs-files
                rm -rf "$files" && mkdir -p "$files"
                "$work/client" write "$size" "$n" "$seed" "$files"
                seed=$((seed + 1))
                for i in $(seq 0 $((n - 1))); do
                        sync
                        t0=$(date +%s%N)
                        out=$(clamscan --no-summary --database="$db" --bytecode=no \
                                --max-filesize=200M --max-scansize=400M --max-scantime=600000 \
                                --alert-exceeds-max=yes --alert-encrypted=yes "$files/f$i" 2>&1) ||
                                die "clamscan: $out"
                        echo $(( ($(date +%s%N) - t0) / 1000 ))
                done | stats | sed "s/^/rt $set instream $size clamscan /; s/\$/ - -/" >>"$results"
                rm -rf "$files"
        done
done

# The table and the ratios (markdown, so it can go to SCAN.md and the README as it is).
/usr/bin/python3 - "$results" "$(nproc)" "$quick" "$pin" <<'PY'
import sys, datetime, platform
path, cores, quick, pin = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4]
load, rt = {}, {}
for line in open(path):
    f = line.split()
    if f[0] == "load":
        load[f[1]] = (int(f[2]), int(f[3]), int(f[4]))
    else:  # rt SET MODE SIZE WHO n p50 p90 load-before load-after
        rt[(f[1], f[2], int(f[3]), f[4])] = (int(f[5]), float(f[6]), float(f[7]), f[8], f[9])
human = {4096: "4 KiB", 1048576: "1 MiB", 104857600: "100 MiB"}
def ms(v):
    return "%.2f" % v if v < 100 else "%.0f" % v
print("Run %s, %s cores, %s%s%s." % (datetime.date.today().isoformat(), cores, platform.release(),
                                     ", --quick" if quick else "",
                                     ", both daemons pinned to CPU " + pin if pin else ""))
print()
print("| set | signatures | agent ready | clamd ready |")
print("|---|---:|---:|---:|")
for s, (n, a, c) in load.items():
    print("| %s | %d | %d ms | %d ms |" % (s, n, a, c))
print()
print("Round trip in ms (connect, request, verdict), median and p90 over n scans each, agent and "
      "clamd alternating; load: the 1-minute load average before and after; clamscan: one process "
      "per file.")
print()
print("| set | request | size | n | agent p50 | agent p90 | clamd p50 | clamd p90 | agent/clamd (p50) "
      "| load | clamscan p50 (n) | clamscan/agent |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|")
modes = sorted({k[1] for k in rt if k[3] == "agent"}, key=lambda m: m != "instream")
for s in load:
    for mode in modes:
        for size in sorted({k[2] for k in rt if k[0] == s and k[1] == mode}):
            a, c = rt.get((s, mode, size, "agent")), rt.get((s, mode, size, "clamd"))
            if not a:
                continue
            cs = rt.get((s, mode, size, "clamscan"))
            print("| %s | %s | %s | %d | %s | %s | %s | %s | %.2f× | %s–%s | %s | %s |" % (
                s, mode.upper(), human.get(size, size), a[0], ms(a[1]), ms(a[2]), ms(c[1]),
                ms(c[2]), a[1] / c[1], a[3], a[4],
                "%s (%d)" % (ms(cs[1]), cs[0]) if cs else "-",
                "%.0f×" % (cs[1] / a[1]) if cs else "-"))
print()
print("Targets:")
for s in load:
    for mode in modes:
        if (s, mode, 4096, "agent") not in rt:
            continue
        a, c = rt[(s, mode, 4096, "agent")], rt[(s, mode, 4096, "clamd")]
        r = a[1] / c[1]
        print("- %s set, 4 KiB %s round trip, agent/clamd: %.2f× (target ≤ 0.80×: %s; n = %d each)"
              % (s, mode.upper(), r, "met" if r <= 0.8 else "MISSED", a[0]))
    big = 104857600
    if (s, "instream", big, "agent") in rt:
        ta = big / 1048576 / (rt[(s, "instream", big, "agent")][1] / 1000)
        tc = big / 1048576 / (rt[(s, "instream", big, "clamd")][1] / 1000)
        print("- %s set, 100 MiB INSTREAM throughput: agent %.1f MiB/s, clamd %.1f MiB/s: %.2f× "
              "(target ≥ 1.00×: %s; n = %d each)" % (s, ta, tc, ta / tc,
                                                    "met" if ta / tc >= 1.0 else "MISSED",
                                                    rt[(s, "instream", big, "agent")][0]))
for size in (4096, 1048576, 104857600):
    if ("large", "instream", size, "clamscan") in rt:
        r = rt[("large", "instream", size, "clamscan")][1] / rt[("large", "instream", size, "agent")][1]
        print("- large set, %s: agent %.0f× faster than clamscan per file%s"
              % (human[size], r, " (target ≥ 100×: %s)" % ("met" if r >= 100 else "MISSED")
                 if size == 4096 else ""))
PY
