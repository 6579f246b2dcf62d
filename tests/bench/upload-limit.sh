#!/usr/bin/env bash
# tests/bench/upload-limit.sh — the scanned upload path against its physical limit (issue 15), in
# one run on one vsftpd (plain FTP and explicit TLS 1.3 on the same server) and one scanner: a
# large put against the scanner alone plus lftp's upload alone, a batch of small files against
# lftp's `mirror -R -P 4`, clamftp's CPU per file against lftp's, and clamftp's peak RSS.
# Owns: its temporary directory (files, certificate, server root, logs; with --xfs a loop-mounted
# XFS image for the local files), the vsftpd and scanner it starts, stopped by pid at exit.
# Must not: run in make check, or touch anything outside its temporary directory.
set -euo pipefail

usage() {
        cat <<'EOF'
Usage: tests/bench/upload-limit.sh [options]
  --size SIZE        the large file (default 1G, at most 1.9G)
  --files N          the small files (default 1000)
  --file-size SIZE   each small file (default 4K)
  --runs N           every row N times, interleaved; the best time counts (default 3)
  --parallel N       connections for the small files: clamftp --parallel N, lftp mirror -P N (4)
  --scanner KIND     clamd (Debian's, default: the issue's measurements) or agent (clamav-agent)
  --clamftp PATH     the clamftp binary (default build/src/clamftp; the agent from the same build)
  --baseline PATH    another clamftp (e.g. a build of main) run beside it as rows baseline-*
  --xfs              the local files on a loop-mounted XFS image (reflink=1): snapshots are reflinks
  --profile          afterwards, where clamftp's time goes: perf (user and kernel samples) and
                     strace -c of one small-file batch and one large put (not timed)
  --small-only, --large-only, --no-tls
  --keep             keep the temporary directory
  --no-lock          do not wait for /tmp/clamftp-bench.lock (held by a process that outlived its run)
SIZE takes a K, M or G suffix (powers of 1024). Needs root, vsftpd, lftp, clamdscan, openssl,
/usr/bin/time; --profile needs perf (linux-perf) and strace.
EOF
}

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export top_srcdir=$top

large_size=1G nfiles=1000 file_size=4K runs=3 parallel=4 scanner_kind=clamd clamftp_bin= baseline_bin=
use_xfs=0 profile=0 do_small=1 do_large=1 do_tls=1 keep=0 use_lock=1
while [ $# -gt 0 ]; do
        case $1 in
        --size) large_size=$2; shift 2 ;;
        --files) nfiles=$2; shift 2 ;;
        --file-size) file_size=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --parallel) parallel=$2; shift 2 ;;
        --scanner) scanner_kind=$2; shift 2 ;;
        --clamftp) clamftp_bin=$2; shift 2 ;;
        --baseline) baseline_bin=$2; shift 2 ;;
        --xfs) use_xfs=1; shift ;;
        --profile) profile=1; shift ;;
        --small-only) do_large=0; shift ;;
        --large-only) do_small=0; shift ;;
        --no-tls) do_tls=0; shift ;;
        --keep) keep=1; shift ;;
        --no-lock) use_lock=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "upload-limit: unknown option '$1'" >&2; usage >&2; exit 2 ;;
        esac
done

die() { echo "upload-limit: $*" >&2; exit 1; }
. "$top/tests/bench/lib.sh"   # to_bytes, human, verify, refresh

[[ $nfiles =~ ^[1-9][0-9]*$ ]] && [[ $runs =~ ^[1-9][0-9]*$ ]] && [[ $parallel =~ ^[1-9][0-9]*$ ]] ||
        die "--files, --runs and --parallel need positive numbers"
small_bytes=$(to_bytes "$file_size")
large_bytes=$(to_bytes "$large_size")
[ $((large_bytes / 1048576 + 64)) -le 2000 ] || die "--size at most 1.9G (the scanners' MaxFileSize stops below 2000M)"
case $scanner_kind in agent|clamd) ;; *) die "--scanner: agent or clamd" ;; esac
[ "$(id -u)" -eq 0 ] || die "run as root: vsftpd needs a local account (tests/lib/ftpd.sh creates clamftp-test)"
for tool in /usr/sbin/vsftpd lftp clamdscan openssl /usr/bin/time; do
        command -v "$tool" >/dev/null || die "$tool is not installed (run tools/install-deps)"
done
if [ $profile -eq 1 ]; then
        command -v perf >/dev/null || die "--profile needs perf (apt-get install linux-perf)"
        command -v strace >/dev/null || die "--profile needs strace"
fi
[ -n "$clamftp_bin" ] || clamftp_bin=$top/build/src/clamftp
[ -x "$clamftp_bin" ] || die "no clamftp binary at $clamftp_bin (build it, or pass --clamftp PATH)"
clamftp_bin=$(cd "$(dirname "$clamftp_bin")" && pwd)/$(basename "$clamftp_bin")
[ -z "$baseline_bin" ] || [ -x "$baseline_bin" ] || die "--baseline: $baseline_bin is not an executable"
top_builddir=$(dirname "$(dirname "$clamftp_bin")")
export top_builddir

. "$top/tests/lib/tap.sh"     # free_port, wait_until
. "$top/tests/lib/clamd.sh"
. "$top/tests/lib/agent.sh"
. "$top/tests/lib/ftpd.sh"    # vsftpd_start_tls, tls_test_cert, the test account

# one benchmark at a time on the shared machine (the other scripts take the same lock); the
# servers started below get the descriptor closed (9>&-), or they would hold the lock after us
if [ $use_lock -eq 1 ]; then
        exec 9>/tmp/clamftp-bench.lock
        flock -n 9 || { echo "upload-limit: waiting for /tmp/clamftp-bench.lock"; flock 9; }
fi

work= xfs_mounted=
bench_cleanup_more() { [ -z "$xfs_mounted" ] || umount "$xfs_mounted"; }
bench_exit_traps upload-limit
bench_workdir clamftp-limit-bench $((do_large * large_bytes * 3 + do_small * nfiles * small_bytes * 3 + 512 * 1024 * 1024))
mkdir -p "$work/logs" "$work/certs" "$work/snapshots" "$work/home/.config/clamftp" "$work/time"

# the local files (and, with --xfs, the snapshots beside them) on XFS with reflink
files=$work
if [ $use_xfs -eq 1 ]; then
        command -v mkfs.xfs >/dev/null || die "--xfs needs mkfs.xfs (xfsprogs)"
        truncate -s $((do_large * large_bytes * 2 + do_small * nfiles * 65536 + 512 * 1024 * 1024)) "$work/xfs.img"
        mkfs.xfs -q -m reflink=1 "$work/xfs.img" || die "mkfs.xfs failed"
        mkdir -p "$work/xfs"
        mount -o loop "$work/xfs.img" "$work/xfs" || die "cannot loop-mount XFS here"
        xfs_mounted=$work/xfs
        chmod 0755 "$work/xfs"
        files=$work/xfs
        mkdir -p "$files/snapshots"
fi
mkdir -p "$files/small" "$files/large"
if [ $use_xfs -eq 1 ]; then   # lib.sh's refresh and verify look in $work
        ln -s "$files/small" "$work/small"
        ln -s "$files/large" "$work/large"
fi

echo "== generating files in $files"
if [ $do_small -eq 1 ]; then
        /usr/bin/python3 - "$files/small" "$nfiles" "$small_bytes" <<'PY'
import os, sys
d, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(1, n + 1):
    with open(os.path.join(d, "f%0*d.dat" % (len(str(n)), i)), "wb") as f:
        f.write(os.urandom(size))  # unique content: no scan cache helps
PY
fi
[ $do_large -eq 1 ] && head -c "$large_bytes" /dev/urandom >"$files/large/big.bin"
tls_test_cert "$work/certs" server || die "openssl could not make the test certificate"
fp=$(tls_fingerprint "$work/certs/server.pem")

# ---------------------------------------------------------------- one vsftpd: plain and TLS
vsftpd_start_tls "$work/ftp" "$work/certs/server.pem" "$work/certs/server.key" \
        force_local_logins_ssl=NO force_local_data_ssl=NO use_sendfile=YES \
        log_ftp_protocol=NO xferlog_enable=NO pasv_min_port=0 pasv_max_port=0 >"$work/logs/vsftpd-start.log" 2>&1 9>&- ||
        { cat "$work/logs/vsftpd-start.log" >&2; die "vsftpd did not start"; }
srv=$FTP_ROOT
u=$FTP_USER p=$FTP_PASS

# ---------------------------------------------------------------- the scanner
limit_mib=$(( large_bytes / 1048576 + 64 ))
if [ "$scanner_kind" = agent ]; then
        agent_available || die "clamav-agent is not built ($AGENT_BIN)"
        agent_start "$work/agent" "MaxFileSize ${limit_mib}M" "MaxScanSize 4000M" \
                "StreamMaxLength ${limit_mib}M" >"$work/logs/agent-start.log" 2>&1 9>&- ||
                { cat "$work/logs/agent-start.log" >&2; die "clamav-agent did not start"; }
        scanner=$AGENT_ADDRESS scanner_pid=$AGENT_PID
        conf_scanner=   # the agent reports its limits in STATS
else
        CLAMD_EXTRA_CONF="MaxFileSize ${limit_mib}M
MaxScanSize 4000M
StreamMaxLength ${limit_mib}M" clamd_start "$work/clamd" >"$work/logs/clamd-start.log" 2>&1 9>&- ||
                { cat "$work/logs/clamd-start.log" >&2; die "clamd did not start"; }
        scanner=$CLAMD_ADDRESS scanner_pid=$CLAMD_PID
        conf_scanner="[scanner]
max-file-size=${limit_mib}M"   # clamd does not report its raised limits
fi
printf 'LocalSocket %s\nStreamMaxLength %sM\n' "${scanner#unix:}" "$limit_mib" >"$work/clamdscan.conf"
echo "== vsftpd $(dpkg-query -W -f='${Version}' vsftpd 2>/dev/null) on 127.0.0.1:$FTP_PORT (plain and explicit TLS," \
        "use_sendfile); $scanner_kind on $scanner (pid $scanner_pid); load: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- the rows
home=$work/home
lftp_open() {   # lftp_open TLS: the common settings and the login
        local tls="set ftp:ssl-allow no;"
        [ "$1" = tls ] && tls="set ftp:ssl-force true; set ftp:ssl-protect-data true; set ssl:verify-certificate no;
                set ssl:priority NORMAL:-VERS-ALL:+VERS-TLS1.3;"
        echo "$tls set cmd:fail-exit yes; set net:max-retries 1; set net:timeout 30; open -u $u,$p ftp://127.0.0.1:$FTP_PORT;"
}
clamftp_run() { # clamftp_run BIN TLS SRC COMMANDS [OPTION…]
        local bin=$1 tls=$2 src=$3 cmds=$4
        shift 4
        printf '[ftp]\ntls=%s\ntls-max-version=1.3\n%s\n' "$([ "$tls" = tls ] && echo require || echo off)" \
                "$conf_scanner" >"$home/.config/clamftp/clamftp.conf"
        local opts=(--tls=off)
        [ "$tls" = tls ] && opts=(--tls=require --trust-fingerprint "$fp")
        (cd "$src" && HOME=$home XDG_CONFIG_HOME=$home/.config XDG_DATA_HOME=$home/.local/share \
                XDG_STATE_HOME=$home/.local/state TMPDIR=$files/snapshots \
                "${PREFIX[@]}" "$bin" --scanner "$scanner" -n "${opts[@]}" "$@" \
                -c "$cmds" "ftp://$u:$p@127.0.0.1:$FTP_PORT/")
}
# run_row ROW RDIR: one measurement's work (its output to the log, its status the tool's)
run_row() {
        local row=$1 rdir=$2
        case $row in
        scan-large) "${PREFIX[@]}" clamdscan -c "$work/clamdscan.conf" --fdpass --no-summary "$files/large/big.bin" ;;
        lftp-large-plain|lftp-large-tls)
                "${PREFIX[@]}" lftp -c "$(lftp_open "${row##*-}") mkdir $rdir; cd $rdir; lcd $files/large; put big.bin" ;;
        clamftp-large-plain|clamftp-large-tls)
                clamftp_run "$clamftp_bin" "${row##*-}" "$files/large" "mkdir $rdir; cd $rdir; put big.bin; status" ;;
        baseline-large-plain|baseline-large-tls)
                clamftp_run "$baseline_bin" "${row##*-}" "$files/large" "mkdir $rdir; cd $rdir; put big.bin; status" ;;
        lftp-mirror-small)
                "${PREFIX[@]}" lftp -c "$(lftp_open plain) mirror -R -P $parallel --no-perms $files/small $rdir" ;;
        clamftp-small)
                clamftp_run "$clamftp_bin" plain "$files/small" "mkdir $rdir; cd $rdir; mput *" --parallel "$parallel" ;;
        baseline-small)
                clamftp_run "$baseline_bin" plain "$files/small" "mkdir $rdir; cd $rdir; mput *" --parallel "$parallel" ;;
        esac
}

declare -A best cpu_user cpu_sys rss cpu_scanner cpu_server cpu_min waits_min
PREFIX=()
# proc_cpu PID: CPU seconds of PID, its threads and its reaped children (vsftpd's sessions)
proc_cpu() {
        awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print ($12 + $13 + $14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null ||
                echo 0
}
measure() {
        local row=$1 test=$2 rdir=$1 log=$work/logs/$1.log rc=0 why=
        refresh "$test"
        sync
        local t=$work/time/$row
        # the tool's own process under time(1): wall, user, sys, max RSS (KiB)
        PREFIX=(/usr/bin/time -f '%e %U %S %M %w' -o "$t")
        local scan0 serve0
        scan0=$(proc_cpu "$scanner_pid") serve0=$(proc_cpu "$VSFTPD_PID")
        run_row "$row" "$rdir" >"$log" 2>&1 </dev/null || rc=$?
        PREFIX=()
        local scanner_s server_s
        scanner_s=$(awk -v a="$scan0" -v b="$(proc_cpu "$scanner_pid")" 'BEGIN { print b - a }')
        server_s=$(awk -v a="$serve0" -v b="$(proc_cpu "$VSFTPD_PID")" 'BEGIN { print b - a }')
        local secs=0 user=0 sys=0 kib=0 waits=0
        read -r secs user sys kib waits < <(tail -n 1 "$t") || true
        if [ $rc -ne 0 ]; then
                why="exit status $rc"
        elif [[ $row == *-tls ]] && ! grep -q "Security: TLSv1.3" "$log" && [[ $row != lftp-* ]]; then
                why="status does not say TLSv1.3"
        elif [ "$row" != scan-large ]; then
                why=$(verify "$test" "$rdir") || true
        fi
        if [ -n "$why" ]; then
                echo "   $row: FAILED after ${secs}s ($why); its last lines:"
                tail -n 5 "$log" | sed 's/^/      /'
                best[$row]=failed
        else
                printf '   %-22s %8.3f s  (user %.2f, sys %.2f, max RSS %d KiB; scanner %.2f s, server %.2f s CPU)\n' \
                        "$row" "$secs" "$user" "$sys" "$kib" "$scanner_s" "$server_s"
                # CPU is taken from the run that used least (the wall time's best run may
                # not be: a run preempted by the scanner and the server costs more switches)
                local cpu
                cpu=$(awk -v u="$user" -v y="$sys" 'BEGIN { print u + y }')
                if [ -z "${cpu_min[$row]:-}" ] || awk -v a="$cpu" -v b="${cpu_min[$row]}" 'BEGIN { exit !(a < b) }'; then
                        cpu_min[$row]=$cpu waits_min[$row]=$waits
                fi
                local prev=${best[$row]:-}
                if [ -z "$prev" ] || { [ "$prev" != failed ] && awk -v a="$secs" -v b="$prev" 'BEGIN { exit !(a < b) }'; }; then
                        best[$row]=$secs cpu_user[$row]=$user cpu_sys[$row]=$sys rss[$row]=$kib
                        cpu_scanner[$row]=$scanner_s cpu_server[$row]=$server_s
                fi
        fi
        rm -rf "${srv:?}/$rdir"
}

large_rows=(scan-large lftp-large-plain clamftp-large-plain)
[ -z "$baseline_bin" ] || large_rows+=(baseline-large-plain)
[ $do_tls -eq 1 ] && large_rows+=(lftp-large-tls clamftp-large-tls)
[ $do_tls -eq 1 ] && [ -n "$baseline_bin" ] && large_rows+=(baseline-large-tls)
small_rows=(lftp-mirror-small clamftp-small)
[ -z "$baseline_bin" ] || small_rows+=(baseline-small)
# rotated ROW…: the rows in the order of this run (each run starts one row later), so that no row
# always follows the same one: a row after a large upload finds the server's disk still writing
rotated() {
        local n=$# k=$(( (run - 1) % $# )) i
        local rows=("$@")
        for ((i = 0; i < n; i++)); do echo "${rows[(i + k) % n]}"; done
}
for ((run = 1; run <= runs; run++)); do
        echo "== run $run of $runs (load $(cut -d' ' -f1 /proc/loadavg))"
        if [ $do_large -eq 1 ]; then for r in $(rotated "${large_rows[@]}"); do measure "$r" large; done; fi
        if [ $do_small -eq 1 ]; then for r in $(rotated "${small_rows[@]}"); do measure "$r" small; done; fi
done

# ---------------------------------------------------------------- the table and the ratios
ok() { [ -n "${best[$1]:-}" ] && [ "${best[$1]}" != failed ]; }
echo
echo "Best of $runs; wall s of the whole process, its user and sys CPU s, its peak RSS (time(1)); the"
echo "CPU s the scanner and vsftpd spent meanwhile; load average now $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores."
printf '%-22s %9s %8s %8s %10s %10s %10s\n' row "wall s" "user s" "sys s" "RSS MiB" "scanner s" "server s"
for r in "${large_rows[@]}" "${small_rows[@]}"; do
        [ -n "${best[$r]:-}" ] || continue
        if ok "$r"; then
                awk -v r="$r" -v s="${best[$r]}" -v u="${cpu_user[$r]}" -v y="${cpu_sys[$r]}" -v k="${rss[$r]}" \
                        -v c="${cpu_scanner[$r]}" -v v="${cpu_server[$r]}" \
                        'BEGIN { printf "%-22s %9.3f %8.2f %8.2f %10.1f %10.2f %10.2f\n", r, s, u, y, k / 1024, c, v }'
        else
                printf '%-22s %9s\n' "$r" FAILED
        fi
done
echo
ratio() { awk "BEGIN { printf \"%.3f\", $1 }"; }
status=0
target() { # target NAME VALUE OP LIMIT
        local verdict=met
        awk -v v="$2" -v l="$4" "BEGIN { exit !(v $3 l) }" || { verdict="NOT met"; status=1; }
        printf '  %-58s %8s   target %s %s: %s\n' "$1" "$2" "$3" "$4" "$verdict"
}
echo "Ratios (issue 15):"
if [ $do_large -eq 1 ] && ok scan-large; then
        for v in plain tls; do
                ok "clamftp-large-$v" && ok "lftp-large-$v" || continue
                target "put $(human "$large_bytes") $v: clamftp / (scan alone + lftp alone)" \
                        "$(ratio "${best[clamftp-large-$v]} / (${best[scan-large]} + ${best[lftp-large-$v]})")" "<=" 1.05
                target "put $(human "$large_bytes") $v: clamftp's peak RSS (MiB)" \
                        "$(ratio "${rss[clamftp-large-$v]} / 1024")" "<=" 64
                ok "baseline-large-$v" && printf '  %-58s %8s\n' "put $v: baseline / (scan alone + lftp alone)" \
                        "$(ratio "${best[baseline-large-$v]} / (${best[scan-large]} + ${best[lftp-large-$v]})")"
        done
fi
if [ $do_small -eq 1 ] && ok clamftp-small && ok lftp-mirror-small; then
        target "mput $nfiles x $(human "$small_bytes"): speed clamftp / lftp mirror -R -P $parallel" \
                "$(ratio "${best[lftp-mirror-small]} / ${best[clamftp-small]}")" ">=" 1.3
        cf=$(ratio "${cpu_min[clamftp-small]} * 1000000 / $nfiles")
        lf=$(ratio "${cpu_min[lftp-mirror-small]} * 1000000 / $nfiles")
        target "CPU per file (user + sys, us, least of $runs): clamftp / lftp ($cf / $lf)" \
                "$(ratio "$cf / ($lf > 0 ? $lf : 1)")" "<" 1
        # the floor the cores set: every CPU second the run needs (the tool's own, the
        # scanner's, the server's) spread over all cores, against the wall time the target asks
        cores=$(nproc)
        floor=$(ratio "(${cpu_user[clamftp-small]} + ${cpu_sys[clamftp-small]} + ${cpu_scanner[clamftp-small]} + ${cpu_server[clamftp-small]}) / $cores")
        printf '  %-58s %8s\n' "CPU floor of clamftp's run (s: all CPU / $cores cores); wall the target asks" \
                "$floor; $(ratio "${best[lftp-mirror-small]} / 1.3")"
        printf '  %-58s %8s\n' "voluntary context switches per file: clamftp; lftp" \
                "$(ratio "${waits_min[clamftp-small]} / $nfiles"); $(ratio "${waits_min[lftp-mirror-small]} / $nfiles")"
        if ok baseline-small; then
                bf=$(ratio "(${cpu_user[baseline-small]} + ${cpu_sys[baseline-small]}) * 1000000 / $nfiles")
                printf '  %-58s %8s\n' "mput: speed baseline / lftp mirror; its CPU per file (us)" \
                        "$(ratio "${best[lftp-mirror-small]} / ${best[baseline-small]}"); $bf"
        fi
fi
echo "Snapshots: $(stat -f -c %T "$files/snapshots") ($([ $use_xfs -eq 1 ] && echo "XFS loop image, reflinks" || echo "copies"));"
echo "the scanner alone: clamdscan --fdpass on the same file and scanner; lftp: no scanning."

# ---------------------------------------------------------------- where clamftp's time goes
if [ $profile -eq 1 ]; then
        echo
        echo "== profile (not timed): perf record -g of clamftp, then strace -c -f"
        if [ $do_small -eq 1 ]; then
                refresh small
                PREFIX=(perf record -q -g -o "$work/perf-small.data" --)
                run_row clamftp-small prof-small >"$work/logs/prof.log" 2>&1 || true
                rm -rf "${srv:?}/prof-small"
                echo "-- mput of $nfiles files: clamftp's own CPU by thread (the share of the CPU per file above)"
                # ftp-worker: the FTP connections (lftp's whole job); clamftp-scan: snapshots, the
                # scanner's exchange, the verdict records; clamftp: the command thread (queue,
                # journal, upload records, messages)
                perf report -i "$work/perf-small.data" --stdio --no-children -g none --sort comm 2>/dev/null |
                        awk -v cpu="${cpu_min[clamftp-small]:-0}" -v n="$nfiles" \
                                '$1 ~ /%$/ { p = $1; sub(/%/, "", p); printf "   %-14s %6.1f%%  ~%4.0f us per file\n", $NF, p, p / 100 * cpu * 1e6 / n }'
                echo "-- mput of $nfiles files: clamftp's own CPU by symbol (perf report --no-children)"
                perf report -i "$work/perf-small.data" --stdio --no-children -g none --percent-limit 0.7 --sort comm,dso,sym 2>/dev/null |
                        grep -v '^#' | grep '%' | head -25
                refresh small
                PREFIX=(strace -c -f -o "$work/strace-small.txt")
                run_row clamftp-small prof-small >>"$work/logs/prof.log" 2>&1 || true
                rm -rf "${srv:?}/prof-small"
                echo "-- syscalls of the same batch (strace -c -f), per file:"
                awk -v n="$nfiles" '$1 ~ /^[0-9.]+$/ && NF >= 5 { name = $NF; calls = $4; if (calls ~ /^[0-9]+$/) printf "   %-16s %8d  %6.2f per file\n", name, calls, calls / n }' \
                        "$work/strace-small.txt" | sort -k2 -n -r | head -20
        fi
        if [ $do_large -eq 1 ]; then
                refresh large
                PREFIX=(perf record -q -g -o "$work/perf-large.data" --)
                run_row clamftp-large-plain prof-large >>"$work/logs/prof.log" 2>&1 || true
                rm -rf "${srv:?}/prof-large"
                echo "-- put of $(human "$large_bytes"): clamftp's own CPU by symbol"
                perf report -i "$work/perf-large.data" --stdio --no-children -g none --percent-limit 0.7 --sort comm,dso,sym 2>/dev/null |
                        grep -v '^#' | grep '%' | head -20
        fi
fi
exit $status
