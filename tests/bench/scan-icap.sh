#!/usr/bin/env bash
# tests/bench/scan-icap.sh — many small uploads scanned through ICAP (c-icap's virus_scan in front
# of clamav-agent) beside the same uploads scanned by the agent directly: files per second and
# their ratio, so the cost of the ICAP hop is one number.
# Owns: its temporary directory (the files, logs) and the vsftpd, clamav-agent and c-icap it
# starts (tests/lib/ftpd.sh, agent.sh, icap.sh), stopped by pid. Not part of make check; needs
# root (vsftpd's test account). Results: tests/bench/SCAN.md ("ICAP").
set -euo pipefail

usage() {
        cat <<'EOF'
Usage: tests/bench/scan-icap.sh [options]
  --files N        files per run (default 1000)
  --file-size SIZE each file's size (default 100K; K, M: powers of 1024)
  --runs N         runs of each scanner, alternated (default 1); the best of each is reported
  --build DIR      the build with src/clamftp and src/clamav-agent (default: build, else build-demo)
  --keep           keep the temporary directory
Needs vsftpd, c-icap and libc-icap-mod-virus-scan (tools/install-deps).
EOF
}

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export top_srcdir=$top
nfiles=1000
file_size=100K
runs=1
build=
keep=0
while [ $# -gt 0 ]; do
        case $1 in
        --files) nfiles=$2; shift 2 ;;
        --file-size) file_size=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --build) build=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "scan-icap: unknown option '$1'" >&2; usage >&2; exit 2 ;;
        esac
done
die() { echo "scan-icap: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root (vsftpd's test account)"
if [ -z "$build" ]; then
        for b in "$top/build" "$top/build-demo"; do [ -x "$b/src/clamftp" ] && { build=$b; break; }; done
fi
[ -n "$build" ] && [ -x "$build/src/clamftp" ] && [ -x "$build/src/clamav-agent" ] ||
        die "no build with src/clamftp and src/clamav-agent (pass --build DIR)"
export top_builddir=$build

. "$top/tests/lib/tap.sh"     # free_port, wait_until, stop_pid
. "$top/tests/lib/ftpd.sh"    # vsftpd_start, vsftpd_stop
. "$top/tests/lib/agent.sh"   # agent_start, agent_stop
. "$top/tests/lib/icap.sh"    # icap_start, icap_stop
. "$top/tests/bench/lib.sh"   # to_bytes, human, verify, refresh
why=$(icap_available) || die "$why"

work=
bench_exit_traps scan-icap

exec 9>/tmp/clamftp-bench.lock
flock 9

bytes=$(to_bytes "$file_size")
bench_workdir clamftp-bench-icap 0
mkdir -p "$work/small" "$work/logs" "$work/home"
/usr/bin/python3 - "$work/small" "$nfiles" "$bytes" <<'PY'
import os, sys
d, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(1, n + 1):
    with open(os.path.join(d, "f%05d.dat" % i), "wb") as f:
        f.write(os.urandom(size))
PY
echo "== $nfiles files of $(human "$bytes") (random content each) in $work"

vsftpd_start "$work/ftp" "use_sendfile=YES" "xferlog_enable=NO" >"$work/logs/vsftpd.out" 2>&1 ||
        die "vsftpd did not start"
srv=$FTP_ROOT
agent_start "$work/agent" >"$work/logs/agent.out" 2>&1 || die "clamav-agent did not start"
# c-icap's clamd_mod passes each object to the agent by FILDES over its unix socket
icap_start "$work/icap" "$AGENT_SOCKET" >"$work/logs/icap.out" 2>&1 || die "c-icap did not start"
echo "== vsftpd on :$FTP_PORT, clamav-agent at $AGENT_SOCKET, c-icap $(c-icap -V 2>/dev/null | head -1) at $ICAP_URL"

# run NAME SCANNER: one mput of every file into a new remote directory; prints the seconds
run() {
        local name=$1 scanner=$2 dir=$1-$RANDOM
        refresh small
        local start end
        start=$(date +%s%N)
        (cd "$work/small" && XDG_STATE_HOME=$work/home "$build/src/clamftp" --scanner "$scanner" -n \
                -c "mkdir $dir; cd $dir; mput *" "$FTP_URL") >"$work/logs/$name.out" 2>&1 ||
                die "$name: clamftp failed (see $work/logs/$name.out)"
        end=$(date +%s%N)
        problem=$(verify small "$dir") || die "$name: $problem"
        echo $(( (end - start) / 1000000 ))
}

best_agent=
best_icap=
for i in $(seq 1 "$runs"); do
        ms=$(run agent "$AGENT_ADDRESS")
        echo "   run $i: agent directly  $ms ms"
        [ -z "$best_agent" ] || [ "$ms" -lt "$best_agent" ] && best_agent=$ms
        ms=$(run icap "$ICAP_URL")
        echo "   run $i: through c-icap  $ms ms"
        [ -z "$best_icap" ] || [ "$ms" -lt "$best_icap" ] && best_icap=$ms
done
awk -v n="$nfiles" -v a="$best_agent" -v c="$best_icap" 'BEGIN {
        printf "== %d files: agent directly %.0f files/s, through c-icap %.0f files/s: c-icap takes %.2fx the time\n",
               n, n * 1000 / a, n * 1000 / c, c / a }'
