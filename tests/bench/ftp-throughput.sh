#!/usr/bin/env bash
# tests/bench/ftp-throughput.sh — upload throughput of clamftp (every file scanned by clamd) beside
# lftp and curl (no scanning), against one private vsftpd on loopback, in one run.
# Owns: its temporary directory (sample files, the server's root, logs), the vsftpd and clamd it
# starts (through tests/lib/ftpd.sh and clamd.sh helpers). Not part of make check.
# See tests/bench/README for what it measures and how to read the table.
set -euo pipefail

usage() {
        cat <<'EOF'
Usage: tests/bench/ftp-throughput.sh [options]
  --files N          number of small files for the mput test (default 1000)
  --file-size SIZE   size of each small file (default 4K)
  --size SIZE        size of the large file for the put test (default 1G)
  --small-only       only the many-small-files test
  --large-only       only the large-file test
  --clients LIST     comma-separated, in run order (default lftp,curl,clamftp,clamdscan);
                     clamdscan is a reference: the same files scanned by clamd (--fdpass, as
                     clamftp passes its snapshots over the unix socket), no upload
  --clamftp PATH     the clamftp binary (default: build/src/clamftp, else build-demo/src/clamftp)
  --baseline PATH    also run this other clamftp binary (e.g. a build of an older commit) as client
                     "baseline", right after clamftp, so two builds are compared in one run
  --runs N           run each client N times per test (interleaved) and report the best time
  --scan-tmp DIR     where clamd keeps its temporary copy of each stream and clamftp spools
                     large snapshots (default: inside the temporary directory; try /dev/shm to
                     take those two extra disk writes of the large file out of the measurement)
  --keep             keep the temporary directory (files, logs, server root) for inspection
SIZE takes a K, M or G suffix (powers of 1024). A quick run: --files 200 --size 64M
EOF
}

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export top_srcdir=$top

nfiles=1000
file_size=4K
large_size=1G
do_small=1
do_large=1
clients=lftp,curl,clamftp,clamdscan
clamftp_bin=
baseline_bin=
runs=1
scan_tmp=
keep=0
while [ $# -gt 0 ]; do
        case $1 in
        --files) nfiles=$2; shift 2 ;;
        --file-size) file_size=$2; shift 2 ;;
        --size) large_size=$2; shift 2 ;;
        --small-only) do_large=0; shift ;;
        --large-only) do_small=0; shift ;;
        --clients) clients=$2; shift 2 ;;
        --clamftp) clamftp_bin=$2; shift 2 ;;
        --baseline) baseline_bin=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --scan-tmp) scan_tmp=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "ftp-throughput: unknown option '$1'" >&2; usage >&2; exit 2 ;;
        esac
done

die() { echo "ftp-throughput: $*" >&2; exit 1; }
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"   # to_bytes, human, verify, refresh


[[ $nfiles =~ ^[1-9][0-9]*$ ]] || die "--files needs a positive number"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs needs a positive number"
small_bytes=$(to_bytes "$file_size")
large_bytes=$(to_bytes "$large_size")
[ "$small_bytes" -gt 0 ] && [ "$large_bytes" -gt 0 ] || die "sizes must be positive"
if [ $do_large -eq 1 ] && [ $((large_bytes / 1048576 + 64)) -gt 2000 ]; then
        die "--size at most 1.9G: clamd's MaxFileSize/StreamMaxLength stop below 2000M"
fi
[ $do_small -eq 1 ] || [ $do_large -eq 1 ] || die "--small-only and --large-only exclude each other"

if [ -n "$baseline_bin" ]; then
        [ -x "$baseline_bin" ] || die "--baseline: $baseline_bin is not an executable"
        [[ ,$clients, == *,clamftp,* ]] || die "--baseline needs clamftp among --clients"
        [[ ,$clients, == *,baseline,* ]] ||
                clients=$(sed 's/\(^\|,\)clamftp\(,\|$\)/\1clamftp,baseline\2/' <<<"$clients")
fi
IFS=, read -r -a client_list <<<"$clients"
for c in "${client_list[@]}"; do
        case $c in lftp|curl|clamftp|clamdscan) ;; baseline) [ -n "$baseline_bin" ] || die "client 'baseline' needs --baseline PATH" ;;
        *) die "unknown client '$c' (lftp, curl, clamftp, clamdscan)" ;; esac
done
want() { [[ ,$clients, == *,$1,* ]]; }

[ "$(id -u)" -eq 0 ] || die "run as root: vsftpd needs a local account (tests/lib/ftpd.sh creates clamftp-test)"
[ -x /usr/sbin/vsftpd ] || die "vsftpd is not installed (run tools/install-deps)"
if want lftp; then command -v lftp >/dev/null || die "lftp is not installed (run tools/install-deps)"; fi
if want curl; then command -v curl >/dev/null || die "curl is not installed (run tools/install-deps)"; fi
if want clamftp; then
        if [ -z "$clamftp_bin" ]; then
                for b in "$top/build/src/clamftp" "$top/build-demo/src/clamftp"; do
                        [ -x "$b" ] && { clamftp_bin=$b; break; }
                done
        fi
        [ -n "$clamftp_bin" ] && [ -x "$clamftp_bin" ] ||
                die "no clamftp binary (build it with tools/check, or pass --clamftp PATH, or --clients lftp,curl)"
fi

# shellcheck source=../lib/tap.sh
. "$top/tests/lib/tap.sh"     # free_port, wait_until
# shellcheck source=../lib/clamd.sh
. "$top/tests/lib/clamd.sh"   # clamd_ping, clamd_stop
# shellcheck source=../lib/ftpd.sh
. "$top/tests/lib/ftpd.sh"    # vsftpd_start, vsftpd_stop, the test account

# ---------------------------------------------------------------- clean-up of everything started
work=
# --scan-tmp's directory lives elsewhere: removed with $work (a link to it) unless --keep
bench_cleanup_more() {
        if [ -n "$work" ] && [ -L "$work/scan-tmp" ] && [ "$keep" -ne 1 ]; then
                rm -rf "$(readlink "$work/scan-tmp")"
        fi
}
bench_exit_traps ftp-throughput

bench_workdir clamftp-bench $((do_large * large_bytes * 2 + do_small * nfiles * small_bytes * 2 + 64 * 1024 * 1024))
mkdir -p "$work/small" "$work/large" "$work/logs" "$work/clamd" "$work/state"
if [ -n "$scan_tmp" ]; then
        [ -d "$scan_tmp" ] || die "--scan-tmp: no directory $scan_tmp"
        scan_tmp=$(mktemp -d "$scan_tmp/clamftp-bench-scan.XXXXXX")
        ln -s "$scan_tmp" "$work/scan-tmp"   # removed with $work: see bench_cleanup_more
else
        scan_tmp=$work/scan-tmp
        mkdir -p "$scan_tmp"
fi

# ---------------------------------------------------------------- sample files
echo "== generating files in $work"
if [ $do_small -eq 1 ]; then
        /usr/bin/python3 - "$work/small" "$nfiles" "$small_bytes" <<'PY'
import os, sys
d, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
width = len(str(n))
for i in range(1, n + 1):
    # unique random content per file, so no scan cache or dedup helps anyone
    with open(os.path.join(d, "f%0*d.dat" % (width, i)), "wb") as f:
        f.write(os.urandom(size))
PY
        echo "   $nfiles files of $(human "$small_bytes") (random content each)"
fi
if [ $do_large -eq 1 ]; then
        head -c "$large_bytes" /dev/urandom >"$work/large/big.bin"
        echo "   one file of $(human "$large_bytes") (random content)"
fi

# ---------------------------------------------------------------- vsftpd on loopback
# tests/lib/ftpd.sh: the suites' vsftpd and test account; here with sendfile and no transfer log.
vsftpd_start "$work/ftp" "use_sendfile=YES" "xferlog_enable=NO" || die "vsftpd did not start"
srv=$FTP_ROOT
echo "== vsftpd $(dpkg-query -W -f='${Version}' vsftpd 2>/dev/null) on 127.0.0.1:$FTP_PORT (pid $VSFTPD_PID), root $srv"

# ---------------------------------------------------------------- clamd (for clamftp only)
# Like tests/lib/clamd.sh's clamd_start, but with the size limits raised to the large file: clamd
# keeps the first value of an option, so CLAMD_EXTRA_CONF cannot raise the defaults there.
# MaxScanSize counts embedded content found inside a file too (random data contains chance
# matches of file magic), so it gets clamd's maximum: else a 1 GiB random file may come back as
# Heuristics.Limits.Exceeded.MaxScanSize with the heuristic alerts on.
bench_clamd_start() {
        local dir=$1 limit_mib=$(( large_bytes / 1048576 + 64 ))
        [ $limit_mib -ge 64 ] || limit_mib=64
        local bin
        bin=$(clamd_binary) || die "clamd is not installed (package clamav-daemon)"
        mkdir -p "$scan_tmp/clamd"
        chmod 0700 "$scan_tmp/clamd"
        # clamdscan reads StreamMaxLength from its own config too (100M when unset) and cuts a
        # --stream there without a word: give it the same limit, should --stream be used again
        printf 'LocalSocket %s\nStreamMaxLength %sM\n' "$dir/clamd.sock" "$limit_mib" >"$dir/client.conf"
        cat >"$dir/clamd.conf" <<EOF
Foreground yes
LocalSocket $dir/clamd.sock
LocalSocketMode 600
DatabaseDirectory $top/data/signatures
TemporaryDirectory $scan_tmp/clamd
LogFile $dir/clamd.log
LogTime yes
PidFile $dir/clamd.pid
Bytecode no
MaxThreads 4
AlertExceedsMax yes
AlertEncrypted yes
AlertEncryptedArchive yes
AlertEncryptedDoc yes
MaxFileSize ${limit_mib}M
MaxScanSize 4000M
StreamMaxLength ${limit_mib}M
EOF
        "$bin" -c "$dir/clamd.conf" >"$dir/clamd.out" 2>&1 </dev/null &
        CLAMD_PID=$!
        CLAMD_SOCKET=$dir/clamd.sock
        if ! wait_until 20 clamd_ping "$CLAMD_SOCKET"; then
                cat "$dir/clamd.out" "$dir/clamd.log" >&2 2>/dev/null || true
                die "clamd did not answer PING on $CLAMD_SOCKET"
        fi
}
# clamd does not report its limits: clamftp is told them, or it would take clamd's defaults (100M)
# and refuse the large file before copying it
printf '[scanner]\nmax-file-size=%sM\n' "$(( large_bytes / 1048576 + 64 ))" >"$work/clamftp.conf"
if want clamftp || want clamdscan; then
        bench_clamd_start "$work/clamd"
        echo "== clamd $(clamd --version 2>/dev/null | cut -d/ -f1 | sed 's/ClamAV //') on unix:$CLAMD_SOCKET (pid $CLAMD_PID), test signatures, heuristic alerts on"
fi

# ---------------------------------------------------------------- the clients
url=ftp://127.0.0.1:$FTP_PORT
u=$FTP_USER p=$FTP_PASS
# run_client CLIENT TEST REMOTE_DIR: uploads the test's files into REMOTE_DIR (created by the
# client), from the test's local directory. Output goes to the log; status is the client's.
run_client() {
        local client=$1 test=$2 rdir=$3 src=$work/$2
        case $client:$test in
        lftp:small)
                lftp -c "set ftp:ssl-allow no; set cmd:fail-exit yes; set net:max-retries 1; set net:timeout 30;
                        open -u $u,$p $url; mkdir $rdir; cd $rdir; lcd $src; mput *" ;;
        lftp:large)
                lftp -c "set ftp:ssl-allow no; set cmd:fail-exit yes; set net:max-retries 1; set net:timeout 30;
                        open -u $u,$p $url; mkdir $rdir; cd $rdir; lcd $src; put big.bin" ;;
        curl:small)
                # one invocation, one connection: a brace glob over every file name, URL ending in /
                local names
                names=$(cd "$src" && ls | paste -sd, -)
                (cd "$src" && curl -sS --fail --ftp-create-dirs --connect-timeout 10 \
                        -u "$u:$p" -T "{$names}" "$url/$rdir/") ;;
        curl:large)
                (cd "$src" && curl -sS --fail --ftp-create-dirs --connect-timeout 10 \
                        -u "$u:$p" -T big.bin "$url/$rdir/") ;;
        clamftp:small|baseline:small)
                local bin=$clamftp_bin
                [ "$client" = clamftp ] || bin=$baseline_bin
                (cd "$src" && XDG_STATE_HOME=$work/state "$bin" --config "$work/clamftp.conf" \
                        --scanner "unix:$CLAMD_SOCKET" -n -c "mkdir $rdir; cd $rdir; mput *" "$FTP_URL") ;;
        clamftp:large|baseline:large)
                local bin=$clamftp_bin
                [ "$client" = clamftp ] || bin=$baseline_bin
                (cd "$src" && XDG_STATE_HOME=$work/state TMPDIR=$scan_tmp "$bin" --config "$work/clamftp.conf" \
                        --scanner "unix:$CLAMD_SOCKET" -n -c "mkdir $rdir; cd $rdir; put big.bin" "$FTP_URL") ;;
        clamdscan:small)
                (cd "$src" && clamdscan -c "$work/clamd/client.conf" --fdpass --no-summary -- *) ;;
        clamdscan:large)
                clamdscan -c "$work/clamd/client.conf" --fdpass --no-summary "$src/big.bin" ;;
        esac
}


# results[test:client] = "seconds" or "failed: reason"
declare -A results
now_ns() { date +%s%N; }

measure() {
        local test=$1 client=$2 rdir=$2-$1 log=$work/logs/$2-$1.log t0 t1 rc=0
        refresh "$test"
        sync
        t0=$(now_ns)
        run_client "$client" "$test" "$rdir" >"$log" 2>&1 </dev/null || rc=$?
        t1=$(now_ns)
        local secs
        secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
        local why=
        if [ $rc -ne 0 ]; then
                why="exit status $rc"
        elif [ "$client" = clamdscan ]; then
                why=   # scans only: nothing to find on the server
        elif ! why=$(verify "$test" "$rdir"); then
                :
        else
                why=
        fi
        local prev=${results[$test:$client]:-}
        if [ -n "$why" ]; then
                results[$test:$client]="failed: $why"
                echo "   $client: FAILED after ${secs}s ($why); last lines of its output:"
                tail -n 5 "$log" | sed 's/^/      /'
        else
                echo "   $client: ${secs}s"
                # the best of --runs; one failed run marks the client failed
                if [ -z "$prev" ] || { [[ $prev != failed* ]] && awk -v a="$secs" -v b="$prev" 'BEGIN { exit !(a < b) }'; }; then
                        results[$test:$client]=$secs
                fi
        fi
        rm -rf "${srv:?}/$rdir"
}

tests=()
[ $do_small -eq 1 ] && tests+=(small)
[ $do_large -eq 1 ] && tests+=(large)
for t in "${tests[@]}"; do
        if [ "$t" = small ]; then
                echo "== mput of $nfiles files of $(human "$small_bytes")"
        else
                echo "== put of one file of $(human "$large_bytes")"
        fi
        for ((run = 1; run <= runs; run++)); do
                [ "$runs" -eq 1 ] || echo "   run $run of $runs"
                for c in "${client_list[@]}"; do
                        measure "$t" "$c"
                done
        done
done

# ---------------------------------------------------------------- the table
echo
echo "clamftp scans every file through clamd before it uploads it; lftp and curl do not scan."
echo "Wall time of the whole client run (connect, login, transfers, quit; best of $runs). Ratio: clamftp's speed"
echo "divided by the other client's (1.00x = as fast; above 1 = clamftp faster)."
echo
printf '%-24s %-9s %10s %10s %10s %12s %12s\n' test client "wall s" "files/s" "MiB/s" "clamftp/lftp" "clamftp/curl"
for t in "${tests[@]}"; do
        if [ "$t" = small ]; then
                label="mput $nfiles x $(human "$small_bytes")"
                n=$nfiles
                bytes=$((nfiles * small_bytes))
        else
                label="put 1 x $(human "$large_bytes")"
                n=1
                bytes=$large_bytes
        fi
        for c in "${client_list[@]}"; do
                r=${results[$t:$c]}
                if [[ $r == failed* ]]; then
                        printf '%-24s %-9s %10s\n' "$label" "$c" "$r"
                        label=
                        continue
                fi
                ratio_l=- ratio_c=-
                if [ "$c" = clamftp ] || [ "$c" = baseline ]; then
                        for o in lftp curl; do
                                other=${results[$t:$o]:-}
                                [ -n "$other" ] && [[ $other != failed* ]] || continue
                                v=$(awk -v a="$r" -v b="$other" 'BEGIN { printf "%.2fx", (a > 0) ? b / a : 0 }')
                                if [ $o = lftp ]; then ratio_l=$v; else ratio_c=$v; fi
                        done
                fi
                awk -v l="$label" -v c="$c" -v s="$r" -v n="$n" -v b="$bytes" -v rl="$ratio_l" -v rc="$ratio_c" \
                        'BEGIN { printf "%-24s %-9s %10.3f %10.1f %10.1f %12s %12s\n", l, c, s, n / s, b / 1048576 / s, rl, rc }'
                label=
        done
done
echo
want clamdscan && echo "clamdscan: a reference, not a client: clamdscan --fdpass on the same files (clamd's scan alone, no upload)."
echo "Scanner temporary files (clamd's stream copies, clamftp's large snapshots): $(stat -f -c %T "$scan_tmp") ($scan_tmp)."
echo "curl: one invocation per test; the many files as one brace glob -T '{f1,f2,…}' to a URL ending"
echo "in '/', so curl reuses one control connection. lftp: 'mput *' / 'put', one connection,"
echo "ftp:ssl-allow no. Server: vsftpd with use_sendfile, plain FTP, passive mode, 127.0.0.1."

status=0
for t in "${tests[@]}"; do
        for c in "${client_list[@]}"; do
                [[ ${results[$t:$c]} == failed* ]] && status=1
        done
done
exit $status
