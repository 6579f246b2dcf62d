#!/usr/bin/env bash
# tests/bench/mirror.sh — `mirror -R` of a tree of many files: clamftp (every file scanned by the
# real clamav-agent, every copy checked on the server, temporary names) beside lftp's
# `mirror -R -P N` (no scanning), against one private vsftpd on loopback, in one run: a first run
# into an empty server, then a run where half of the files changed.
# Owns: its temporary directory (the trees, the server's root, logs), the vsftpd and agent it
# starts (tests/lib/ftpd.sh, agent.sh), stopped by pid at exit. Not part of make check.
# See tests/bench/README for what it measures and how to read the table.
set -euo pipefail

usage() {
        cat <<'EOF'
Usage: tests/bench/mirror.sh [options]
  --files N          files in the tree (default 2000), in 10 directories of 5 subdirectories
  --min-size SIZE    smallest file (default 4K)
  --max-size SIZE    largest file (default 1M); sizes are log-uniform between the two
  --seed N           seed of the sizes, the contents and which files change (default 1)
  --runs N           measurements of each tool in each scenario, interleaved (default 3);
                     the table shows min, median and max
  --parallel N       clamftp --parallel N and lftp mirror -P N (default 4)
  --scenarios LIST   first,changed (default both): into an empty server; half of the files changed
  --clamftp PATH     the clamftp binary (default: build/src/clamftp); clamav-agent is taken
                     from the same build
  --baseline PATH    also run this other clamftp binary (e.g. a build of an older commit) as
                     client "baseline", with the same agent, so two builds are compared in one run
  --clients LIST     in run order, from clamftp, lftp, clamdscan (default clamftp,lftp,clamdscan;
                     baseline is added by --baseline). clamdscan is a reference, not a client:
                     the files a run sends, scanned one after another by the same agent
                     (--fdpass, as clamftp's one scanner thread does), no upload
  --link-rate RATE   the server sends and takes at most RATE bytes per second per connection
                     (vsftpd's local_max_rate): a stand-in for a real link instead of loopback,
                     where the uploads, not the scan, set the time (default: unlimited)
  --keep             keep the temporary directory (trees, logs, server root) for inspection
SIZE takes a K, M or G suffix (powers of 1024). A quick run: --files 200 --runs 1
EOF
}

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export top_srcdir=$top

nfiles=2000
min_size=4K
max_size=1M
seed=1
runs=3
parallel=4
scenarios=first,changed
clamftp_bin=
baseline_bin=
clients=clamftp,lftp,clamdscan
keep=0
link_rate=
while [ $# -gt 0 ]; do
        case $1 in
        --files) nfiles=$2; shift 2 ;;
        --min-size) min_size=$2; shift 2 ;;
        --max-size) max_size=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --parallel) parallel=$2; shift 2 ;;
        --scenarios) scenarios=$2; shift 2 ;;
        --clamftp) clamftp_bin=$2; shift 2 ;;
        --baseline) baseline_bin=$2; shift 2 ;;
        --clients) clients=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        --link-rate) link_rate=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "mirror: unknown option '$1'" >&2; usage >&2; exit 2 ;;
        esac
done

die() { echo "mirror: $*" >&2; exit 1; }
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"   # to_bytes, human, refresh_tree

[[ $nfiles =~ ^[1-9][0-9]*$ ]] || die "--files needs a positive number"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs needs a positive number"
[[ $seed =~ ^[0-9]+$ ]] || die "--seed needs a number"
[[ $parallel =~ ^[1-9][0-9]*$ ]] && [ "$parallel" -le 16 ] || die "--parallel: 1 to 16"
min_bytes=$(to_bytes "$min_size")
max_bytes=$(to_bytes "$max_size")
# refresh_tree rewrites the first 16 bytes of every file
[ "$min_bytes" -ge 16 ] && [ "$max_bytes" -ge "$min_bytes" ] || die "sizes: 16 <= --min-size <= --max-size"
IFS=, read -r -a scenario_list <<<"$scenarios"
for s in "${scenario_list[@]}"; do
        case $s in first|changed) ;; *) die "unknown scenario '$s' (first, changed)" ;; esac
done
if [ -n "$baseline_bin" ]; then
        [ -x "$baseline_bin" ] || die "--baseline: $baseline_bin is not an executable"
        [[ ,$clients, == *,baseline,* ]] || clients=$clients,baseline
fi
IFS=, read -r -a client_list <<<"$clients"
for c in "${client_list[@]}"; do
        case $c in clamftp|lftp|clamdscan) ;; baseline) [ -n "$baseline_bin" ] || die "client 'baseline' needs --baseline PATH" ;;
        *) die "unknown client '$c' (clamftp, lftp, clamdscan, baseline)" ;; esac
done
want() { [[ ,$clients, == *,$1,* ]]; }

[ "$(id -u)" -eq 0 ] || die "run as root: vsftpd needs a local account (tests/lib/ftpd.sh creates clamftp-test)"
[ -x /usr/sbin/vsftpd ] || die "vsftpd is not installed (run tools/install-deps)"
if want lftp; then command -v lftp >/dev/null || die "lftp is not installed (run tools/install-deps)"; fi
if want clamdscan; then command -v clamdscan >/dev/null || die "clamdscan is not installed (run tools/install-deps)"; fi
if want clamftp || want baseline || want clamdscan; then
        [ -n "$clamftp_bin" ] || clamftp_bin=$top/build/src/clamftp
        [ -x "$clamftp_bin" ] || die "no clamftp binary at $clamftp_bin (build it, or pass --clamftp PATH)"
        clamftp_bin=$(cd "$(dirname "$clamftp_bin")" && pwd)/$(basename "$clamftp_bin")
        top_builddir=$(dirname "$(dirname "$clamftp_bin")")
        export top_builddir
fi

# shellcheck source=../lib/tap.sh
. "$top/tests/lib/tap.sh"     # free_port, wait_until, stop_pid
# shellcheck source=../lib/clamd.sh
. "$top/tests/lib/clamd.sh"
# shellcheck source=../lib/agent.sh
. "$top/tests/lib/agent.sh"   # agent_start, agent_stop
# shellcheck source=../lib/ftpd.sh
. "$top/tests/lib/ftpd.sh"    # vsftpd_start, vsftpd_stop, the test account

# ---------------------------------------------------------------- clean-up of everything started
work=
bench_exit_traps mirror
bench_workdir clamftp-mirror-bench $((nfiles * max_bytes * 3 + 64 * 1024 * 1024))
mkdir -p "$work/logs" "$work/snapshots"

# ---------------------------------------------------------------- the trees
# base/: the tree of the first run. changed/: the same tree with half of the files (chosen by the
# seed) rewritten with another size and a later time. changed.list: their relative paths. Times
# fall on whole minutes, a day and an hour ago, so vsftpd's LIST (to the minute) shows them exactly
# to both tools. Prints: total bytes of base, files changed, their bytes in changed/.
echo "== generating the trees in $work (seed $seed)"
read -r base_bytes nchanged changed_bytes < <(/usr/bin/python3 - "$work" "$nfiles" "$min_bytes" "$max_bytes" "$seed" <<'PY'
import math, os, random, sys, time
work, n, lo, hi, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rng = random.Random(seed)
def size():
    return int(round(math.exp(rng.uniform(math.log(lo), math.log(hi)))))
def rel(i):
    return "d%d/s%d/f%05d.dat" % (i % 10, (i // 10) % 5, i)
minute = int(time.time()) // 60 * 60
t0, t1 = minute - 86400, minute - 3600
def write(path, n_bytes, t):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(rng.randbytes(n_bytes))
    os.utime(path, (t, t))
sizes = [size() for _ in range(n)]
for i in range(n):
    write(os.path.join(work, "base", rel(i)), sizes[i], t0)
changed = set(rng.sample(range(n), n // 2))
changed_bytes = 0
with open(os.path.join(work, "changed.list"), "w") as lst:
    for i in range(n):
        src = os.path.join(work, "base", rel(i))
        dst = os.path.join(work, "changed", rel(i))
        if i not in changed:
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(src, "rb") as a, open(dst, "wb") as b:
                b.write(a.read())
            os.utime(dst, (t0, t0))
            continue
        s = size()
        if s == sizes[i]:
            s = s - 1 if s > lo else s + 1
        write(dst, s, t1)
        changed_bytes += s
        lst.write(rel(i) + "\n")
for top in ("base", "changed"):
    for d, _, _ in os.walk(os.path.join(work, top)):
        os.utime(d, (t0, t0))
print(sum(sizes), len(changed), changed_bytes)
PY
)
ndirs=$(find "$work/base" -mindepth 1 -type d | wc -l)
echo "   $nfiles files in $ndirs directories, $(human_bytes "$base_bytes") ($base_bytes bytes), sizes $(human "$min_bytes") to $(human "$max_bytes") log-uniform"
echo "   changed: $nchanged files rewritten with other sizes and a later time, $(human_bytes "$changed_bytes") ($changed_bytes bytes)"

# ---------------------------------------------------------------- vsftpd and the agent
# any passive port: the suites' range of 8 is too small for several connections at once
link_conf=()
[ -z "$link_rate" ] || link_conf=("local_max_rate=$(to_bytes "$link_rate")")
vsftpd_start "$work/ftp" "use_sendfile=YES" "xferlog_enable=NO" "pasv_min_port=0" "pasv_max_port=0" "${link_conf[@]}" \
        >"$work/logs/vsftpd-start.log" 2>&1 || { cat "$work/logs/vsftpd-start.log" >&2; die "vsftpd did not start"; }
srv=$FTP_ROOT
echo "== vsftpd $(dpkg-query -W -f='${Version}' vsftpd 2>/dev/null) on 127.0.0.1:$FTP_PORT (pid $VSFTPD_PID), root $srv${link_rate:+, at most $link_rate/s per connection}"
if want clamftp || want baseline || want clamdscan; then
        agent_available || die "clamav-agent is not built ($AGENT_BIN)"
        agent_start "$work/agent" >"$work/logs/agent-start.log" 2>&1 ||
                { cat "$work/logs/agent-start.log" >&2; die "clamav-agent did not start"; }
        echo "== clamav-agent on $AGENT_ADDRESS (pid $AGENT_PID), test signatures"
        printf 'LocalSocket %s\n' "$AGENT_SOCKET" >"$work/clamdscan.conf"
fi

# ---------------------------------------------------------------- each measurement's state
# The server's tree for a scenario, the same for every tool: nothing (first), or the changed tree
# with the changed files as they were in base (changed). The local tree gets new first bytes in
# every file before each measurement (times kept), so no scan is answered from a cache.
target=mirror
local_tree() { if [ "$1" = first ]; then echo "$work/base"; else echo "$work/changed"; fi; }
prepare() {
        local scenario=$1 src
        src=$(local_tree "$scenario")
        refresh_tree "$src"
        rm -rf "${srv:?}/$target"
        if [ "$scenario" = changed ]; then
                cp -a "$src" "$srv/$target"
                local rel
                while IFS= read -r rel; do
                        cp -a "$work/base/$rel" "$srv/$target/$rel"
                done <"$work/changed.list"
                chown -R "$FTP_USER:" "$srv/$target"
        fi
        # what the server holds before: path inode mtime, to count what each tool sent
        state_of "$srv/$target" >"$work/logs/before"
        sync
}
state_of() { [ -d "$1" ] && (cd "$1" && find . -type f -printf '%P %i %T@\n' | sort) || true; }
# check SCENARIO: the server holds exactly the local tree, byte for byte (no temporary file left),
# and the tool sent exactly the files that differed; prints why not
check() {
        local scenario=$1 src want_sent sent
        src=$(local_tree "$scenario")
        [ -d "$srv/$target" ] || { echo "nothing arrived (no $target on the server)"; return 1; }
        (cd "$src" && find . | sort) >"$work/logs/want.list"
        (cd "$srv/$target" && find . | sort) >"$work/logs/got.list"
        if ! cmp -s "$work/logs/want.list" "$work/logs/got.list"; then
                echo "the server's tree differs: $(diff "$work/logs/want.list" "$work/logs/got.list" | grep -c '^[<>]') entries"
                return 1
        fi
        (cd "$src" && find . -type f -print0 | xargs -0 sha256sum) >"$work/logs/want.sha256"
        (cd "$srv/$target" && sha256sum -c --quiet "$work/logs/want.sha256") >/dev/null 2>&1 ||
                { echo "contents differ"; return 1; }
        want_sent=$nfiles
        [ "$scenario" = first ] || want_sent=$nchanged
        sent=$(state_of "$srv/$target" | comm -13 "$work/logs/before" - | wc -l)
        [ "$sent" -eq "$want_sent" ] || { echo "sent $sent files, $want_sent differed"; return 1; }
}

# ---------------------------------------------------------------- the clients
u=$FTP_USER p=$FTP_PASS
home=$work/home
# run_client CLIENT SCENARIO: mirrors the scenario's local tree onto /$target
run_client() {
        local client=$1 src
        src=$(local_tree "$2")
        case $client in
        clamdscan)
                if [ "$2" = first ]; then
                        (cd "$src" && find . -type f) >"$work/scan.list"
                else
                        cp "$work/changed.list" "$work/scan.list"
                fi
                (cd "$src" && clamdscan -c "$work/clamdscan.conf" --fdpass --no-summary --file-list="$work/scan.list") ;;
        lftp)
                lftp -c "set ftp:ssl-allow no; set cmd:fail-exit yes; set net:max-retries 1; set net:timeout 30;
                        open -u $u,$p ftp://127.0.0.1:$FTP_PORT; mirror -R -P $parallel --no-perms $src /$target" ;;
        clamftp|baseline)
                local bin=$clamftp_bin
                [ "$client" = clamftp ] || bin=$baseline_bin
                # a new audit log for every run: each one starts alike
                rm -rf "$home"
                mkdir -p "$home/.config" "$home/.local/share" "$home/.local/state"
                HOME=$home XDG_CONFIG_HOME=$home/.config XDG_DATA_HOME=$home/.local/share \
                        XDG_STATE_HOME=$home/.local/state TMPDIR=$work/snapshots \
                        "$bin" --scanner "$AGENT_ADDRESS" -n --parallel "$parallel" \
                        -c "mirror -R --parallel $parallel $src /$target" "$FTP_URL" ;;
        esac
}

# times[scenario:client] = "s1 s2 …"; failed[scenario:client] = reason
declare -A times failed
measure() {
        local scenario=$1 client=$2 run=$3 log=$work/logs/$2-$1-$3.log t0 t1 rc=0 why=
        prepare "$scenario"
        t0=$(date +%s%N)
        run_client "$client" "$scenario" >"$log" 2>&1 </dev/null || rc=$?
        t1=$(date +%s%N)
        local secs
        secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
        if [ $rc -ne 0 ]; then
                why="exit status $rc"
        elif [ "$client" != clamdscan ]; then
                why=$(check "$scenario") || true
        fi
        if [ -n "$why" ]; then
                failed[$scenario:$client]=$why
                echo "   $client: FAILED after ${secs}s ($why); last lines of its output:"
                tail -n 5 "$log" | sed 's/^/      /'
        else
                echo "   $client: ${secs}s"
                times[$scenario:$client]="${times[$scenario:$client]:-} $secs"
        fi
}

started=$(date +%s)
for s in "${scenario_list[@]}"; do
        if [ "$s" = first ]; then
                echo "== first run: $nfiles files into an empty server"
        else
                echo "== changed: $nchanged of $nfiles files changed since the server's copy"
        fi
        for ((run = 1; run <= runs; run++)); do
                echo "   run $run of $runs"
                # interleaved, the order turned round every run, so load drifting hits all alike
                order=("${client_list[@]}")
                if [ $((run % 2)) -eq 0 ]; then
                        order=()
                        for ((i = ${#client_list[@]} - 1; i >= 0; i--)); do order+=("${client_list[i]}"); done
                fi
                for c in "${order[@]}"; do
                        measure "$s" "$c" "$run"
                done
        done
done

# ---------------------------------------------------------------- the table
stats() { # stats "s1 s2 …" → "min median max"
        tr ' ' '\n' <<<"$1" | grep . | sort -g |
                awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
                        printf "%.3f %.3f %.3f", v[1], m, v[NR] }'
}
echo
echo "mirror -R onto vsftpd (plain FTP, passive, 127.0.0.1), $parallel connections each. clamftp scans every"
echo "file with clamav-agent before it uploads it, checks the server's copy (SIZE on vsftpd) and uses"
echo "temporary names; lftp does none of that. Wall time of the whole client process, $runs run(s) each,"
echo "interleaved. Ratio: clamftp's median time over lftp's (below 1.00 = clamftp faster)."
echo "Whole run: $(( $(date +%s) - started )) s. Tree: $nfiles files, $ndirs directories, $base_bytes bytes (seed $seed)."
echo
printf '%-30s %-9s %9s %9s %9s %8s %12s\n' scenario client "min s" "median s" "max s" "runs" "time/lftp"
status=0
for s in "${scenario_list[@]}"; do
        if [ "$s" = first ]; then label="first: $nfiles files, $(human_bytes "$base_bytes")"
        else label="changed: $nchanged files, $(human_bytes "$changed_bytes")"; fi
        lftp_median=
        if [ -n "${times[$s:lftp]:-}" ] && [ -z "${failed[$s:lftp]:-}" ]; then
                read -r _ lftp_median _ <<<"$(stats "${times[$s:lftp]}")"
        fi
        for c in "${client_list[@]}"; do
                if [ -n "${failed[$s:$c]:-}" ]; then
                        printf '%-30s %-9s FAILED: %s\n' "$label" "$c" "${failed[$s:$c]}"
                        status=1
                        label=
                        continue
                fi
                read -r lo med hi <<<"$(stats "${times[$s:$c]}")"
                ratio=-
                if [ "$c" != lftp ] && [ "$c" != clamdscan ] && [ -n "$lftp_median" ]; then
                        ratio=$(awk -v a="$med" -v b="$lftp_median" 'BEGIN { printf "%.2f", a / b }')
                fi
                n=$(wc -w <<<"${times[$s:$c]}")
                printf '%-30s %-9s %9s %9s %9s %8s %12s\n' "$label" "$c" "$lo" "$med" "$hi" "$n" "$ratio"
                label=
        done
done
echo
echo "lftp: mirror -R -P $parallel --no-perms, ftp:ssl-allow no (no scanning, no check, no temporary names)."
echo "clamftp: --parallel $parallel -c 'mirror -R --parallel $parallel LOCAL /$target', clamav-agent over FILDES,"
echo "a new audit log each run. Every run is checked: the server's tree equals the local one byte for"
echo "byte, nothing else is left there, and exactly the files that differed were sent."
want clamdscan && echo "clamdscan: a reference, not a client: the files the run sends, scanned one by one (--fdpass) by the same agent, no upload."
if want clamftp && want lftp; then
        for s in "${scenario_list[@]}"; do
                [ -n "${times[$s:clamftp]:-}" ] && [ -n "${times[$s:lftp]:-}" ] || continue
                [ -z "${failed[$s:clamftp]:-}${failed[$s:lftp]:-}" ] || continue
                read -r _ a _ <<<"$(stats "${times[$s:clamftp]}")"
                read -r _ b _ <<<"$(stats "${times[$s:lftp]}")"
                awk -v s="$s" -v a="$a" -v b="$b" 'BEGIN { printf "Goal (issue 12), %s run: clamftp at least as fast as lftp: %.2f, %s.\n",
                        s, a / b, (a <= b) ? "met" : "NOT met" }'
        done
fi
exit $status
