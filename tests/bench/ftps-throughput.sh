#!/usr/bin/env bash
# tests/bench/ftps-throughput.sh — FTPS upload throughput of clamftp (every file scanned) beside
# lftp and curl (no scanning), over TLS 1.3 and TLS 1.2, against one private vsftpd as strict as
# FileZilla Server (TLS forced for logins and data, require_ssl_reuse=YES), in one run; clamftp
# with --parallel 1 and more connections, beside lftp's `mirror -R -P N` with the same N.
# Owns: its temporary directory (sample files, certificate, the server's root, logs), the vsftpd
# and scanner it starts (tests/lib/ftpd.sh, agent.sh, clamd.sh), stopped by pid at exit.
# Must not: run in make check, or touch anything outside its temporary directory.
# See tests/bench/FTPS.md for what it measures and the numbers of a run.
set -euo pipefail

usage() {
        cat <<'EOF'
Usage: tests/bench/ftps-throughput.sh [options]
  --quick            a short run: 100 small files and a 64 MiB file
  --files N          number of small files for the mput test (default 500)
  --file-size SIZE   size of each small file (default 4K)
  --size SIZE        size of the large file for the put test (default 1G)
  --small-only       only the many-small-files test
  --large-only       only the large-file test
  --tls LIST         TLS versions, in run order (default 1.3,1.2)
  --clients LIST     comma-separated, in run order (default lftp,curl,clamftp,clamdscan);
                     clamdscan is a reference, not a client: the same files scanned by clamftp's
                     scanner (--fdpass, as clamftp passes its snapshots), no upload
  --runs N           run every client N times (interleaved) and keep its best time (default 1)
  --parallel LIST    clamftp's --parallel values, each run as its own client (default 1,4);
                     for each N above 1 lftp also runs `mirror -R -P N` (the small files only)
  --sweep            --parallel 1,2,4,8
  --clamftp PATH     the clamftp binary (default: build/src/clamftp); clamav-agent is taken
                     from the same build directory
  --scanner KIND     agent (clamav-agent, default) or clamd (Debian's)
  --keep             keep the temporary directory (files, logs, server root) for inspection
SIZE takes a K, M or G suffix (powers of 1024).
EOF
}

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export top_srcdir=$top

nfiles=500
file_size=4K
large_size=1G
do_small=1
do_large=1
versions=1.3,1.2
clients=lftp,curl,clamftp,clamdscan
parallel=1,4
runs=1
clamftp_bin=
scanner_kind=agent
keep=0
while [ $# -gt 0 ]; do
        case $1 in
        --quick) nfiles=100; large_size=64M; shift ;;
        --files) nfiles=$2; shift 2 ;;
        --file-size) file_size=$2; shift 2 ;;
        --size) large_size=$2; shift 2 ;;
        --small-only) do_large=0; shift ;;
        --large-only) do_small=0; shift ;;
        --tls) versions=$2; shift 2 ;;
        --clients) clients=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --parallel) parallel=$2; shift 2 ;;
        --sweep) parallel=1,2,4,8; shift ;;
        --clamftp) clamftp_bin=$2; shift 2 ;;
        --scanner) scanner_kind=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "ftps-throughput: unknown option '$1'" >&2; usage >&2; exit 2 ;;
        esac
done

die() { echo "ftps-throughput: $*" >&2; exit 1; }
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"   # to_bytes, human, verify, refresh


[[ $nfiles =~ ^[1-9][0-9]*$ ]] || die "--files needs a positive number"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs needs a positive number"
small_bytes=$(to_bytes "$file_size")
large_bytes=$(to_bytes "$large_size")
[ $do_small -eq 1 ] || [ $do_large -eq 1 ] || die "--small-only and --large-only exclude each other"
[ $((large_bytes / 1048576 + 64)) -le 2000 ] || die "--size at most 1.9G (the scanners' MaxFileSize stops below 2000M)"
IFS=, read -r -a version_list <<<"$versions"
for v in "${version_list[@]}"; do
        case $v in 1.2|1.3) ;; *) die "--tls: 1.2 and 1.3 only, not '$v'" ;; esac
done
IFS=, read -r -a client_list <<<"$clients"
for c in "${client_list[@]}"; do
        case $c in lftp|curl|clamftp|clamdscan) ;; *) die "unknown client '$c' (lftp, curl, clamftp, clamdscan)" ;; esac
done
want() { [[ ,$clients, == *,$1,* ]]; }
IFS=, read -r -a parallel_list <<<"$parallel"
for n in "${parallel_list[@]}"; do
        [[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 16 ] || die "--parallel: numbers from 1 to 16, not '$n'"
done
# clamftp becomes one client per --parallel value (clamftp-pN); lftp is followed by its mirror
# with the same numbers of connections (lftp-mirror-pN, N > 1)
expanded=()
for c in "${client_list[@]}"; do
        case $c in
        clamftp) for n in "${parallel_list[@]}"; do expanded+=("clamftp-p$n"); done ;;
        lftp) expanded+=(lftp)
              for n in "${parallel_list[@]}"; do [ "$n" -gt 1 ] && expanded+=("lftp-mirror-p$n"); done ;;
        *) expanded+=("$c") ;;
        esac
done
client_list=("${expanded[@]}")
case $scanner_kind in agent|clamd) ;; *) die "--scanner: agent or clamd" ;; esac

[ "$(id -u)" -eq 0 ] || die "run as root: vsftpd needs a local account (tests/lib/ftpd.sh creates clamftp-test)"
[ -x /usr/sbin/vsftpd ] || die "vsftpd is not installed (run tools/install-deps)"
command -v openssl >/dev/null || die "openssl is not installed (run tools/install-deps)"
if want lftp; then command -v lftp >/dev/null || die "lftp is not installed (run tools/install-deps)"; fi
if want curl; then command -v curl >/dev/null || die "curl is not installed (run tools/install-deps)"; fi
if want clamdscan; then command -v clamdscan >/dev/null || die "clamdscan is not installed (run tools/install-deps)"; fi
if want clamftp || want clamdscan; then
        [ -n "$clamftp_bin" ] || clamftp_bin=$top/build/src/clamftp
        [ -x "$clamftp_bin" ] || die "no clamftp binary at $clamftp_bin (build it, or pass --clamftp PATH, or --clients lftp,curl)"
        clamftp_bin=$(cd "$(dirname "$clamftp_bin")" && pwd)/$(basename "$clamftp_bin")
        top_builddir=$(dirname "$(dirname "$clamftp_bin")")
        export top_builddir
fi

. "$top/tests/lib/tap.sh"     # free_port, wait_until
. "$top/tests/lib/clamd.sh"
. "$top/tests/lib/agent.sh"
. "$top/tests/lib/ftpd.sh"    # vsftpd_start_tls, tls_test_cert, the test account

work=
bench_exit_traps ftps-throughput
bench_workdir clamftp-ftps-bench $((do_large * large_bytes * 3 + do_small * nfiles * small_bytes * 2 + 64 * 1024 * 1024))
mkdir -p "$work/small" "$work/large" "$work/logs" "$work/certs" "$work/snapshots"

# ---------------------------------------------------------------- sample files, certificate
echo "== generating files in $work"
if [ $do_small -eq 1 ]; then
        /usr/bin/python3 - "$work/small" "$nfiles" "$small_bytes" <<'PY'
import os, sys
d, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(1, n + 1):
    with open(os.path.join(d, "f%0*d.dat" % (len(str(n)), i)), "wb") as f:
        f.write(os.urandom(size))  # unique content: no scan cache helps
PY
        echo "   $nfiles files of $(human "$small_bytes") (random content each)"
fi
if [ $do_large -eq 1 ]; then
        head -c "$large_bytes" /dev/urandom >"$work/large/big.bin"
        echo "   one file of $(human "$large_bytes") (random content)"
fi
tls_test_cert "$work/certs" server || die "openssl could not make the test certificate"
fp=$(tls_fingerprint "$work/certs/server.pem")

# ---------------------------------------------------------------- vsftpd with TLS, reuse required
# any passive port: the suites' range of 8 is too small for 8 connections at once (vsftpd gives up
# after 10 random ports in use and sends "500 OOPS: vsf_sysutil_bind" in clear, which ends the session)
vsftpd_start_tls "$work/ftp" "$work/certs/server.pem" "$work/certs/server.key" \
        log_ftp_protocol=NO xferlog_enable=NO pasv_min_port=0 pasv_max_port=0 >"$work/logs/vsftpd-start.log" 2>&1 ||
        { cat "$work/logs/vsftpd-start.log" >&2; die "vsftpd did not start"; }
srv=$FTP_ROOT
echo "== vsftpd $(dpkg-query -W -f='${Version}' vsftpd 2>/dev/null) on 127.0.0.1:$FTP_PORT (pid $VSFTPD_PID):" \
        "ssl_enable, force_local_logins_ssl, force_local_data_ssl, require_ssl_reuse=YES"

# ---------------------------------------------------------------- the scanner (for clamftp)
limit_mib=$(( large_bytes / 1048576 + 64 ))
if want clamftp || want clamdscan; then
        if [ "$scanner_kind" = agent ]; then
                agent_available || die "clamav-agent is not built ($AGENT_BIN)"
                agent_start "$work/agent" "MaxFileSize ${limit_mib}M" "MaxScanSize 4000M" \
                        "StreamMaxLength ${limit_mib}M" >"$work/logs/agent-start.log" 2>&1 ||
                        { cat "$work/logs/agent-start.log" >&2; die "clamav-agent did not start"; }
                scanner=$AGENT_ADDRESS
                echo "== clamav-agent on $scanner (pid $AGENT_PID), test signatures, limits above the large file"
        else
                CLAMD_EXTRA_CONF="MaxFileSize ${limit_mib}M
MaxScanSize 4000M
StreamMaxLength ${limit_mib}M" clamd_start "$work/clamd" >"$work/logs/clamd-start.log" 2>&1 ||
                        { cat "$work/logs/clamd-start.log" >&2; die "clamd did not start"; }
                scanner=$CLAMD_ADDRESS
                echo "== clamd on $scanner (pid $CLAMD_PID), test signatures"
        fi
        printf 'LocalSocket %s\nStreamMaxLength %sM\n' "${scanner#unix:}" "$limit_mib" >"$work/clamdscan.conf"
fi

# ---------------------------------------------------------------- the clients
u=$FTP_USER p=$FTP_PASS
home=$work/home
mkdir -p "$home/.config/clamftp"
# run_client CLIENT TEST VERSION REMOTE_DIR: uploads the test's files into REMOTE_DIR (created by
# the client) over TLS VERSION. Output goes to the log; the status is the client's.
run_client() {
        local client=$1 test=$2 version=$3 rdir=$4 src=$work/$2
        local cmd=put files=big.bin
        [ "$test" = small ] && cmd=mput files='*'
        case $client in
        lftp-mirror-p*)
                local prio=NORMAL
                [ "$version" = 1.2 ] && prio=NORMAL:-VERS-TLS1.3
                lftp -c "set ftp:ssl-force true; set ftp:ssl-protect-data true; set ssl:verify-certificate no;
                        set ssl:priority $prio; set cmd:fail-exit yes; set net:max-retries 1; set net:timeout 30;
                        open -u $u,$p ftp://127.0.0.1:$FTP_PORT; mirror -R -P ${client#lftp-mirror-p} --no-perms $src $rdir" ;;
        lftp)
                local prio=NORMAL
                [ "$version" = 1.2 ] && prio=NORMAL:-VERS-TLS1.3
                lftp -c "set ftp:ssl-force true; set ftp:ssl-protect-data true; set ssl:verify-certificate no;
                        set ssl:priority $prio; set cmd:fail-exit yes; set net:max-retries 1; set net:timeout 30;
                        open -u $u,$p ftp://127.0.0.1:$FTP_PORT; mkdir $rdir; cd $rdir; lcd $src; $cmd $files" ;;
        curl)
                local tls=(--tlsv1.3)
                [ "$version" = 1.2 ] && tls=(--tlsv1.2 --tls-max 1.2)
                local names=big.bin
                [ "$test" = small ] && names="{$(cd "$src" && ls | paste -sd, -)}"
                (cd "$src" && curl -sS --fail --ssl-reqd -k "${tls[@]}" --ftp-create-dirs --connect-timeout 10 \
                        -u "$u:$p" -T "$names" "ftp://127.0.0.1:$FTP_PORT/$rdir/") ;;
        clamdscan)
                if [ "$test" = small ]; then
                        (cd "$src" && clamdscan -c "$work/clamdscan.conf" --fdpass --no-summary -- *)
                else
                        clamdscan -c "$work/clamdscan.conf" --fdpass --no-summary "$src/big.bin"
                fi ;;
        clamftp-p*)
                # clamd does not report its raised limits (the agent does, in STATS)
                printf '[ftp]\ntls=require\ntls-max-version=%s\n[scanner]\nmax-file-size=%sM\n' "$version" \
                        "$limit_mib" >"$home/.config/clamftp/clamftp.conf"
                (cd "$src" && HOME=$home XDG_CONFIG_HOME=$home/.config XDG_DATA_HOME=$home/.local/share \
                        XDG_STATE_HOME=$home/.local/state TMPDIR=$work/snapshots \
                        "$clamftp_bin" --scanner "$scanner" -n --tls=require --trust-fingerprint "$fp" \
                        --parallel "${client#clamftp-p}" \
                        -c "mkdir $rdir; cd $rdir; $cmd $files; status" "ftp://$u:$p@127.0.0.1:$FTP_PORT/") ;;
        esac
}



declare -A results
measure() {
        local test=$1 version=$2 client=$3 rdir=$3-$1-tls$2 log=$work/logs/$3-$1-tls$2.log t0 t1 rc=0 why=
        [[ $client == lftp-mirror-* ]] && [ "$test" = large ] && return 0 # one file: nothing to spread
        refresh "$test"
        sync
        t0=$(date +%s%N)
        run_client "$client" "$test" "$version" "$rdir" >"$log" 2>&1 </dev/null || rc=$?
        t1=$(date +%s%N)
        local secs
        secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
        if [ $rc -ne 0 ]; then
                why="exit status $rc"
        elif [[ $client == clamftp-* ]] && ! grep -q "Security: TLSv$version" "$log"; then
                why="status does not say TLSv$version"
        elif [ "$client" != clamdscan ]; then
                why=$(verify "$test" "$rdir") || true
        fi
        local prev=${results[$test:$version:$client]:-}
        if [ -n "$why" ]; then
                results[$test:$version:$client]="failed after ${secs} s: $why"
                echo "   $client: FAILED after ${secs}s ($why); last lines of its output:"
                tail -n 5 "$log" | sed 's/^/      /'
        else
                echo "   $client: ${secs}s"
                # the best of --runs; one failed run marks the client failed
                if [ -z "$prev" ] || { [[ $prev != failed* ]] && awk -v a="$secs" -v b="$prev" 'BEGIN { exit !(a < b) }'; }; then
                        results[$test:$version:$client]=$secs
                fi
        fi
        rm -rf "${srv:?}/$rdir"
}

tests=()
[ $do_small -eq 1 ] && tests+=(small)
[ $do_large -eq 1 ] && tests+=(large)
started=$(date +%s)
for t in "${tests[@]}"; do
        for v in "${version_list[@]}"; do
                if [ "$t" = small ]; then
                        echo "== TLS $v: mput of $nfiles files of $(human "$small_bytes")"
                else
                        echo "== TLS $v: put of one file of $(human "$large_bytes")"
                fi
                for ((run = 1; run <= runs; run++)); do
                        [ "$runs" -eq 1 ] || echo "   run $run of $runs"
                        for c in "${client_list[@]}"; do
                                measure "$t" "$v" "$c"
                        done
                done
        done
done

# ---------------------------------------------------------------- the table
echo
echo "FTPS against vsftpd (TLS forced for logins and data, session reuse required), 127.0.0.1,"
echo "passive mode; wall time of the whole client process, best of $runs run(s). clamftp scans"
echo "every file ($scanner_kind) before it uploads it; lftp and curl do not scan. Ratios: clamftp's speed"
echo "divided by the other client's (above 1 = clamftp faster). Whole run: $(( $(date +%s) - started )) s."
echo
printf '%-22s %-4s %-15s %9s %9s %9s %9s %9s %11s\n' test TLS client "wall s" "files/s" "MiB/s" "vs lftp" "vs curl" "vs mirror"
ratio() { # ratio TEST VERSION CLIENT OTHER: CLIENT's speed over OTHER's, or -
        local c=${results[$1:$2:$3]:-} o=${results[$1:$2:$4]:-}
        if [ -z "$c" ] || [ -z "$o" ] || [[ $c == failed* ]] || [[ $o == failed* ]]; then echo -; return; fi
        awk -v a="$c" -v b="$o" 'BEGIN { printf "%.2fx", b / a }'
}
for t in "${tests[@]}"; do
        for v in "${version_list[@]}"; do
                if [ "$t" = small ]; then label="mput $nfiles x $(human "$small_bytes")"; n=$nfiles; bytes=$((nfiles * small_bytes))
                else label="put 1 x $(human "$large_bytes")"; n=1; bytes=$large_bytes; fi
                for c in "${client_list[@]}"; do
                        r=${results[$t:$v:$c]:-}
                        [ -n "$r" ] || continue
                        rl=- rc=- rm=-
                        if [[ $c == clamftp-p* ]]; then
                                rl=$(ratio "$t" "$v" "$c" lftp); rc=$(ratio "$t" "$v" "$c" curl)
                                rm=$(ratio "$t" "$v" "$c" "lftp-mirror-p${c#clamftp-p}")
                        fi
                        if [[ $r == failed* ]]; then
                                printf '%-22s %-4s %-15s %s\n' "$label" "$v" "$c" "$r"
                        else
                                awk -v l="$label" -v v="$v" -v c="$c" -v s="$r" -v n="$n" -v b="$bytes" -v rl="$rl" -v rc="$rc" -v rm="$rm" \
                                        'BEGIN { printf "%-22s %-4s %-15s %9.3f %9.1f %9.1f %9s %9s %11s\n", l, v, c, s, n / s, b / 1048576 / s, rl, rc, rm }'
                        fi
                done
        done
done
echo
if [ $do_small -eq 1 ] && want clamftp && want lftp; then
        for n in "${parallel_list[@]}"; do
                g=$(ratio small 1.3 "clamftp-p$n" lftp)
                [ "$g" != - ] || continue
                met=$(awk -v g="${g%x}" 'BEGIN { print (g >= 10) ? "met" : "NOT met" }')
                echo "Goal (issue 6): clamftp --parallel $n at least 10x lftp's small-file rate over TLS 1.3, scanning included: $g, $met."
        done
fi
echo "lftp-mirror-pN: lftp's \`mirror -R -P N --no-perms\` (N parallel transfers), the same settings as lftp."
echo "clamftp-pN: clamftp --parallel N (the main connection plus up to N-1 extra ones, each logged in the same way)."
echo "lftp: ftp:ssl-force, ssl:verify-certificate no, ssl:priority NORMAL (1.3) or NORMAL:-VERS-TLS1.3 (1.2)."
echo "curl: --ssl-reqd -k, --tlsv1.3 or --tlsv1.2 --tls-max 1.2, one invocation (-T '{f1,f2,…}' to a URL ending in /)."
echo "clamftp: --tls=require, [ftp] tls-max-version, --trust-fingerprint; its 'status' must show the version."
want clamdscan && echo "clamdscan: a reference, not a client: clamdscan --fdpass on the same files (the scan alone, no upload, no TLS)."

status=0
for k in "${!results[@]}"; do
        [[ ${results[$k]} == failed* ]] && status=1
done
exit $status
