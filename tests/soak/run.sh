#!/usr/bin/env bash
# tests/soak/run.sh — the soak: many small files and a few large ones through one clamftp process
# (mput with every file scanned by clamav-agent, then mget), its memory and descriptors and the
# agent's sampled every second, the agent reloaded while it scans; prints the figures and PASS or
# FAIL. Run through tools/soak; not part of make check (it takes many minutes and needs root).
# Owns: its directory /tmp/soak-XXXXXX (files, server root, logs; removed at the end unless
# --keep), the vsftpd, clamav-agent, clamftp, sampler and reloader it starts (stopped by pid).
# Must not: start a second soak while one runs (a lock), or touch anything outside its directory.
# tests/soak/README has the method and what "flat" means.
set -euo pipefail

usage() {
        cat <<'EOF'
Usage: tools/soak [options]
  --files N          small files (default 20000; env SOAK_FILES)
  --file-size SIZE   size of each small file (default 4K; SOAK_FILE_SIZE)
  --large N          large files (default 20; SOAK_LARGE)
  --large-size SIZE  size of each large file (default 100M; SOAK_LARGE_SIZE)
  --reloads N        RELOADs sent to the agent while it scans (default 20; SOAK_RELOADS)
  --parallel N       clamftp's connections for mput and mget (default 4)
  --rss-limit MIB    the most clamftp's and the agent's memory may grow (default 5)
  --quick            a short run for development: 2000 files, 2 large files of 10M, 5 reloads
  --build DIR        the build with src/clamftp and src/clamav-agent (default: build/)
  --keep             keep /tmp/soak-XXXXXX (samples, logs, files) for inspection
SIZE takes K, M or G (powers of 1024). Needs root (vsftpd's local test account).
EOF
}

top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
export top_srcdir=$top
die() { echo "soak: $*" >&2; exit 2; }

# One soak at a time on this machine: the figures of two at once mean nothing. The lock is held
# by flock(1) around this script (-o: not by the servers it starts, which would keep it after a
# crash of the script).
if [ -z "${SOAK_LOCKED:-}" ]; then
        rc=0
        SOAK_LOCKED=1 flock -n -o -E 75 /tmp/soak.lock "$0" "$@" || rc=$?
        [ "$rc" -ne 75 ] || die "another soak is running (/tmp/soak.lock)"
        exit "$rc"
fi

nfiles=${SOAK_FILES:-20000}
file_size=${SOAK_FILE_SIZE:-4K}
nlarge=${SOAK_LARGE:-20}
large_size=${SOAK_LARGE_SIZE:-100M}
reloads=${SOAK_RELOADS:-20}
parallel=4
rss_limit=5
build=${SOAK_BUILD:-$top/build}
keep=0
while [ $# -gt 0 ]; do
        case $1 in
        --files) nfiles=$2; shift 2 ;;
        --file-size) file_size=$2; shift 2 ;;
        --large) nlarge=$2; shift 2 ;;
        --large-size) large_size=$2; shift 2 ;;
        --reloads) reloads=$2; shift 2 ;;
        --parallel) parallel=$2; shift 2 ;;
        --rss-limit) rss_limit=$2; shift 2 ;;
        --quick) nfiles=2000 nlarge=2 large_size=10M reloads=5; shift ;;
        --build) build=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "soak: unknown option '$1'" >&2; usage >&2; exit 2 ;;
        esac
done

say() { printf '%s %s\n' "$(date +%T)" "$*"; }
# shellcheck source=../bench/lib.sh
. "$top/tests/bench/lib.sh"   # to_bytes, human, human_bytes

for n in "$nfiles" "$nlarge" "$reloads" "$parallel" "$rss_limit"; do
        [[ $n =~ ^[0-9]+$ ]] || die "not a number: '$n'"
done
[ "$nfiles" -gt 0 ] || die "--files must be at least 1"
small_bytes=$(to_bytes "$file_size")
large_bytes=$(to_bytes "$large_size")
build=$(cd "$build" 2>/dev/null && pwd) || die "no build directory $build (--build DIR)"
export top_builddir=$build
[ "$(id -u)" -eq 0 ] || die "run as root: vsftpd needs a local account (tests/lib/ftpd.sh)"
[ -x "$build/src/clamftp" ] && [ -x "$build/src/clamav-agent" ] ||
        die "$build has no src/clamftp or src/clamav-agent: build first (configure; make -j2)"

# shellcheck source=../lib/tap.sh
. "$top/tests/lib/tap.sh"       # stop_pid, free_port
# shellcheck source=../lib/ftpd.sh
. "$top/tests/lib/ftpd.sh"      # vsftpd_start, vsftpd_stop
# shellcheck source=../lib/agent.sh
. "$top/tests/lib/agent.sh"     # agent_start, agent_stop
# shellcheck source=../lib/clamftp.sh
. "$top/tests/lib/clamftp.sh"   # clamftp_env


work=
cf_pid= sampler_pid= reloader_pid=
cleanup() {
        local rc=$?
        set +e
        trap - EXIT INT TERM
        exec 3>&- 2>/dev/null
        stop_pid "$cf_pid" 10
        stop_pid "$reloader_pid" 5
        stop_pid "$sampler_pid" 5
        vsftpd_stop >/dev/null 2>&1
        agent_stop >/dev/null 2>&1
        if [ -n "$work" ] && [ -d "$work" ]; then
                if [ "$keep" -eq 1 ]; then echo "soak: kept $work"; else rm -rf "$work"; fi
        fi
        exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

work=$(mktemp -d /tmp/soak-XXXXXX)
chmod 0755 "$work"
mkdir -p "$work/up/small" "$work/up/large" "$work/down/small" "$work/down/large" "$work/mark" \
        "$work/tmp" "$work/logs"
export TMPDIR=$work/tmp   # clamftp's snapshots of the large files

need=$(( (nfiles * small_bytes + nlarge * large_bytes) * 4 + 256 * 1048576 ))   # up, server, down, snapshots
avail=$(( $(df -Pk "$work" | awk 'NR == 2 { print $4 }') * 1024 ))
[ "$avail" -gt "$need" ] || die "not enough space in /tmp: need $(human_bytes $need), have $(human_bytes $avail)"

# ---------------------------------------------------------------- the files
say "making $nfiles files of $(human "$small_bytes") and $nlarge of $(human "$large_bytes") in $work"
/usr/bin/python3 - "$work/up" "$nfiles" "$small_bytes" "$nlarge" "$large_bytes" <<'PY'
import os, sys
up, n, size, nl, lsize = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
for i in range(1, n + 1):
    with open(os.path.join(up, "small", "f%06d.dat" % i), "wb") as f:
        f.write(os.urandom(size))        # new content each: no scan answered from a cache
for i in range(1, nl + 1):
    with open(os.path.join(up, "large", "big%03d.bin" % i), "wb") as f:
        left = lsize
        while left:
            chunk = min(left, 8 << 20)
            f.write(os.urandom(chunk))
            left -= chunk
PY
(cd "$work/up" && find . -type f -print0 | sort -z | xargs -0 sha256sum) >"$work/logs/want.sha256"

# ---------------------------------------------------------------- vsftpd and the agent
# pasv ports: any free one, not tests/lib's eight: four sessions drawing from eight ports collide
# within a few thousand transfers ("500 OOPS: vsf_sysutil_bind"), and clamftp reconnects
vsftpd_start "$work/ftp" "use_sendfile=YES" "xferlog_enable=NO" "pasv_min_port=0" "pasv_max_port=0" \
        >"$work/logs/vsftpd.start" 2>&1 ||
        die "vsftpd did not start: $(tail -n 3 "$work/logs/vsftpd.start")"
limit=$(( large_bytes / 1048576 + 64 ))
agent_start "$work/agent" "MaxFileSize ${limit}M" "MaxScanSize $(( limit * 2 ))M" \
        "StreamMaxLength ${limit}M" >"$work/logs/agent.start" 2>&1 ||
        die "clamav-agent did not start: $(tail -n 3 "$work/logs/agent.start")"
say "vsftpd on 127.0.0.1:$FTP_PORT (pid $VSFTPD_PID); clamav-agent on $AGENT_SOCKET (pid $AGENT_PID)"

# ---------------------------------------------------------------- clamftp, fed one phase at a time
CF_CONNECT_TIMEOUT=15 CF_REPLY_TIMEOUT=60 CF_DATA_TIMEOUT=120
clamftp_env "$work" || die "cannot make clamftp's private HOME"
mkfifo "$work/commands"
echo start >"$work/phase"
LC_ALL=C LANGUAGE= "$build/src/clamftp" --scanner "$AGENT_ADDRESS" --audit-log "$work/logs/audit.jsonl" \
        -n --parallel "$parallel" "$FTP_URL" <"$work/commands" >"$work/logs/clamftp.out" \
        2>"$work/logs/clamftp.err" &
cf_pid=$!
exec 3>"$work/commands"

/usr/bin/python3 "$top/tests/soak/sample.py" "$work/logs/samples.tsv" "$work/phase" \
        "clamftp=$cf_pid" "agent=$AGENT_PID" &
sampler_pid=$!
/usr/bin/python3 "$top/tests/soak/reload.py" "$AGENT_SOCKET" "$AGENT_LOG" "$reloads" \
        $((nfiles + nlarge)) >"$work/logs/reloads.out" 2>&1 &
reloader_pid=$!

rest_seconds=5
marks=0
# run_phase NAME COMMAND…: sends the commands, then an lcd into a new mark directory; the phase
# ends when clamftp says it is there (every command before it has ended). Then rest_seconds of
# rest (phase rest-NAME), clamftp waiting for its next line, no transfer open.
run_phase() {
        local name=$1 line t0
        shift
        marks=$((marks + 1))
        mkdir "$work/mark/$marks"
        echo "$name" >"$work/phase"
        say "$name"
        t0=$(date +%s)
        for line in "$@" "lcd $work/mark/$marks"; do printf '%s\n' "$line" >&3; done
        until grep -qF "Local directory now $work/mark/$marks" "$work/logs/clamftp.out"; do
                if ! kill -0 "$cf_pid" 2>/dev/null; then
                        echo "soak: clamftp ended during $name; the end of its output:" >&2
                        tail -n 15 "$work/logs/clamftp.out" "$work/logs/clamftp.err" >&2
                        exit 1
                fi
                sleep 1
        done
        phase_secs[$name]=$(( $(date +%s) - t0 ))
        echo "rest-$name" >"$work/phase"
        sleep "$rest_seconds"
}
declare -A phase_secs
sleep "$rest_seconds"   # phase "start": logged in, nothing sent yet
run_phase mput-small "mkdir small" "cd small" "lcd $work/up/small" "mput *" "cd /"
run_phase mput-large "mkdir large" "cd large" "lcd $work/up/large" "mput *" "cd /"
run_phase mget-small "cd small" "lcd $work/down/small" "mget *" "cd /"
run_phase mget-large "cd large" "lcd $work/down/large" "mget *" "cd /"
echo end >"$work/phase"
printf 'quit\n' >&3
exec 3>&-
cf_rc=0
wait "$cf_pid" || cf_rc=$?
cf_pid=
stop_pid "$sampler_pid" 5 || true
sampler_pid=
reload_rc=0
if kill -0 "$reloader_pid" 2>/dev/null; then
        stop_pid "$reloader_pid" 5 || true
        reload_rc=1
else
        wait "$reloader_pid" || reload_rc=$?
fi
reloader_pid=

# ---------------------------------------------------------------- what arrived
say "checking the files on the server and the downloaded ones"
check_copy() {   # check_copy WHERE DIR: DIR holds small/ and large/ exactly as sent
        local got
        got=$(cd "$2" && find small large -type f | wc -l)
        [ "$got" -eq $((nfiles + nlarge)) ] || { echo "$1: $got of $((nfiles + nlarge)) files"; return 1; }
        (cd "$2" && sha256sum -c --quiet "$work/logs/want.sha256") >"$work/logs/check-$1" 2>&1 ||
                { echo "$1: $(grep -c FAILED "$work/logs/check-$1") files differ"; return 1; }
}
fail=()
[ "$cf_rc" -eq 0 ] || fail+=("clamftp exit status $cf_rc (logs/clamftp.err: $(tail -n 1 "$work/logs/clamftp.err"))")
why=$(check_copy server "$FTP_ROOT") || fail+=("$why")
why=$(check_copy download "$work/down") || fail+=("$why")
# every file scanned once, OK; besides those only clamftp's FILDES probes (an empty 4 GiB memfd,
# answered MaxFileSize: one per scanner connection), scan/client.c probe_fildes
scans=$(grep -c ' scan .* OK$' "$AGENT_LOG" || true)
probes=$(grep -c ' scan fildes .*bytes=4294967296 .*MaxFileSize$' "$AGENT_LOG" || true)
others=$(( $(grep -c ' scan ' "$AGENT_LOG" || true) - scans - probes ))
[ "$scans" -eq $((nfiles + nlarge)) ] || fail+=("the agent scanned $scans files OK, not $((nfiles + nlarge))")
[ "$others" -eq 0 ] || fail+=("the agent logged $others other scans (not OK)")
reconnects=$(grep -c 'reconnecting' "$work/logs/clamftp.err" || true)
[ "$reload_rc" -eq 0 ] || fail+=("reloads: $(tail -n 1 "$work/logs/reloads.out")")

# ---------------------------------------------------------------- figures
echo
echo "soak: $nfiles × $(human "$small_bytes") and $nlarge × $(human "$large_bytes"), mput then mget," \
        "$parallel connections, one clamftp process; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for p in mput-small mput-large mget-small mget-large; do
        printf '  %-11s %6s s\n' "$p" "${phase_secs[$p]}"
done
echo "  scans by the agent: $scans OK and $probes FILDES probes; $(tail -n 1 "$work/logs/reloads.out")"
echo "  clamftp reconnected $reconnects times"
echo
verdict=0
/usr/bin/python3 "$top/tests/soak/figures.py" "$work/logs/samples.tsv" "$rss_limit" --phases || verdict=$?
for f in "${fail[@]}"; do echo "FAIL: $f"; done
if [ "$verdict" -eq 0 ] && [ ${#fail[@]} -eq 0 ]; then
        echo "PASS: every file arrived byte for byte both ways; clamftp and the agent stayed flat"
        exit 0
fi
echo "FAIL"
[ "$keep" -eq 1 ] || echo "(run again with --keep to keep the samples and logs)"
exit 1
