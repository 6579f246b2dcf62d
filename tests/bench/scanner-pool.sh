#!/usr/bin/env bash
# tests/bench/scanner-pool.sh — what a pool of scanners buys: N files (1,000 of 100 KiB) uploaded
# by clamftp with one clamav-agent, then with two agents in the pool (files/s and the ratio), and
# the failover time: from killing (SIGKILL) the member that is scanning a file to that file's
# verdict from the other member. Not part of make check.
# Owns: its temporary directory, the vsftpd and agents it starts (tests/lib/ftpd.sh,
# tests/lib/scanner-pool.sh), stopped by pid. Runs holding /tmp/clamftp-bench.lock.
set -euo pipefail

usage() {
        cat <<'EOF'
Usage: tests/bench/scanner-pool.sh [--files N] [--size SIZE] [--clamftp PATH] [--keep]
  --files N        files per run (default 1000)
  --size SIZE      bytes per file (default 100K; K, M: 1024-based)
  --clamftp PATH   the client (default: the newest build*/src/clamftp)
  --keep           keep the temporary directory
Needs root (vsftpd's account), vsftpd, python3 and a built clamav-agent beside the client.
EOF
}
die() { echo "scanner-pool: $*" >&2; exit 1; }
say() { echo "scanner-pool: $*" >&2; }

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export top_srcdir=$top
nfiles=1000 size=100K clamftp_bin= keep=0
while [ $# -gt 0 ]; do
        case $1 in
        --files) nfiles=$2; shift 2 ;;
        --size) size=$2; shift 2 ;;
        --clamftp) clamftp_bin=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
        esac
done
[ -n "$clamftp_bin" ] || clamftp_bin=$(ls -t "$top"/build*/src/clamftp /tmp/b-*/src/clamftp 2>/dev/null | head -1)
[ -x "$clamftp_bin" ] || die "no clamftp binary (give --clamftp PATH)"
export top_builddir=$(cd "$(dirname "$clamftp_bin")/.." && pwd)
. "$top/tests/bench/lib.sh"
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/ftpd.sh"
. "$top/tests/lib/agent.sh"
. "$top/tests/lib/scanner-pool.sh"
bytes=$(to_bytes "$size")

exec 9>/tmp/clamftp-bench.lock
flock -n 9 || { say "waiting for /tmp/clamftp-bench.lock (another benchmark is running)"; flock 9; }

work=$(mktemp -d "${TMPDIR:-/tmp}/clamftp-bench-pool.XXXXXX")
SUITE_DIR=$work
cleanup() {
        pool_stop_all || true
        stop_pid "${VSFTPD_PID:-}" 10 || true
        if [ "$keep" = 1 ]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
mkdir -p "$work/files" "$work/home"
chmod 755 "$work"
say "making $nfiles files of $(human "$bytes") (each a different size, for the failover run)"
/usr/bin/python3 - "$work/files" "$nfiles" "$bytes" <<'PY'
import os, sys
d, n, b = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(n):
    with open(os.path.join(d, "f%05d.bin" % i), "wb") as f:
        f.write(os.urandom(b + i))
PY
vsftpd_start "$work/ftp" >/dev/null || die "vsftpd did not start"
pool_agent_start a >/dev/null || die "agent a did not start"
pool_agent_start b >/dev/null || die "agent b did not start"
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_STATE_HOME=$work/home/.state

# upload RUN SCANNER…: one clamftp mput of every file into RUN/; prints the seconds it took
upload() {
        local run=$1 scanner=$2
        refresh files
        mkdir -p "$FTP_ROOT/$run" && chown "$FTP_USER:" "$FTP_ROOT/$run"
        local t0 t1
        t0=$(date +%s%N)
        (cd "$work/files" && printf '%s\n%s\n' "$FTP_USER" "$FTP_PASS" |
                "$clamftp_bin" --scanner "$scanner" --audit-log "$work/$run.audit" -n \
                        -c "open 127.0.0.1 $FTP_PORT; cd $run; mput *" >"$work/$run.out" 2>&1) ||
                die "$run: clamftp failed: $(tail -3 "$work/$run.out")"
        t1=$(date +%s%N)
        [ "$(ls "$FTP_ROOT/$run" | wc -l)" -eq "$nfiles" ] || die "$run: not every file arrived"
        echo "scale=2; ($t1 - $t0) / 1000000000" | bc
}

say "run 1: one agent"
one=$(upload one "${POOL_ADDR[a]}")
say "run 2: two agents in the pool"
two=$(upload two "${POOL_ADDR[a]},${POOL_ADDR[b]}")
share_a=$(grep -c 'scan fildes\|scan instream' "${POOL_LOG[a]}") share_b=$(grep -c 'scan fildes\|scan instream' "${POOL_LOG[b]}")

say "run 3: failover (agent b killed while it scans a file)"
refresh files
mkdir -p "$FTP_ROOT/failover" && chown "$FTP_USER:" "$FTP_ROOT/failover"
(cd "$work/files" && printf '%s\n%s\n' "$FTP_USER" "$FTP_PASS" |
        "$clamftp_bin" --scanner "${POOL_ADDR[a]},${POOL_ADDR[b]}" --audit-log "$work/failover.audit" -n \
                -c "open 127.0.0.1 $FTP_PORT; cd failover; mput *" >"$work/failover.out" 2>&1) &
client=$!
# the moment b holds a snapshot (a scan in flight): kill it; prints the kill's time and the
# snapshot's size (each file's size is its own)
killed=$(/usr/bin/python3 - "${POOL_PID[b]}" <<'PY'
import os, signal, sys, time
pid = int(sys.argv[1])
end = time.time() + 60
while time.time() < end:
    try:
        fds = os.listdir("/proc/%d/fd" % pid)
    except FileNotFoundError:
        break
    for fd in fds:
        p = "/proc/%d/fd/%s" % (pid, fd)
        try:
            if "clamftp-snapshot" in os.readlink(p):
                size = os.stat(p).st_size
                os.kill(pid, signal.SIGKILL)
                print("%.3f %d" % (time.time(), size))
                sys.exit(0)
        except OSError:
            pass
sys.exit(1)
PY
) || die "agent b never held a snapshot"
POOL_PID[b]=
wait "$client" || die "failover: clamftp failed: $(tail -3 "$work/failover.out")"
latency=$(/usr/bin/python3 - "$work/failover.audit" $killed "${POOL_ADDR[a]}" <<'PY'
import calendar, json, sys, time
audit, t0, size, a = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
for line in open(audit):
    r = json.loads(line)
    if r["event"] == "verdict" and r["size"] == size:
        stamp, ms = r["time"].rstrip("Z").split(".")
        t1 = calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%S")) + int(ms) / 1000
        print("%.0f ms (its verdict: %s from %s)" % ((t1 - t0) * 1000, r["verdict"], "the other member" if r["scanner"] == a else r["scanner"]))
        sys.exit(0)
print("no verdict for the file")
PY
)
failover_ok=$(ls "$FTP_ROOT/failover" | wc -l)

echo
echo "clamftp with a pool of scanners: $nfiles files of $(human "$bytes"), vsftpd and clamav-agents on this machine ($(nproc) cores)"
printf '  one agent:        %6.2f s  %7.1f files/s\n' "$one" "$(echo "$nfiles / $one" | bc -l)"
printf '  two agents:       %6.2f s  %7.1f files/s  (agent a scanned %d, agent b %d, over both runs)\n' \
        "$two" "$(echo "$nfiles / $two" | bc -l)" "$share_a" "$share_b"
printf '  ratio two/one:    %6.2f\n' "$(echo "$one / $two" | bc -l)"
echo "  failover: from SIGKILL of the member scanning a file to that file's verdict: $latency"
echo "  failover run: $failover_ok of $nfiles files arrived"
