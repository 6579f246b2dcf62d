# tests/bench/lib.sh — helpers the throughput benchmarks share (sourced, not run).
# Owns: size parsing and printing, checking what reached the server, fresh file contents (flat
# directories and trees), the run's directory and the clean-up at exit (servers stopped, the
# directory removed unless --keep).
# Needs from the caller: die(), $work (the run's directory: $work/small, $work/large, $work/logs)
# and $srv (the server's root) for verify and refresh; $keep (1: keep $work). Must not: start
# anything.

# to_bytes 4K → 4096 (K, M, G: powers of 1024)
to_bytes() {
        local v=$1 n mult=1
        case $v in
        *[kK]) n=${v%?}; mult=1024 ;;
        *[mM]) n=${v%?}; mult=$((1024 * 1024)) ;;
        *[gG]) n=${v%?}; mult=$((1024 * 1024 * 1024)) ;;
        *) n=$v ;;
        esac
        [[ $n =~ ^[0-9]+$ ]] || die "not a size: '$v' (use e.g. 4096, 4K, 64M, 1G)"
        echo $((n * mult))
}
# human 4096 → "4 KiB"
human() {
        awk -v b="$1" 'BEGIN { split("B KiB MiB GiB", u, " "); i = 1;
                while (b >= 1024 && i < 4 && b % 1024 == 0) { b /= 1024; i++ }
                printf "%g %s", b, u[i] }'
}

# verify TEST REMOTE_DIR: the server holds exactly the local files, byte for byte
verify() {
        local test=$1 dir=$srv/$2 src=$work/$1
        [ -d "$dir" ] || { echo "nothing arrived (no $2 on the server)"; return 1; }
        local want got
        want=$(ls "$src" | wc -l)
        got=$(ls "$dir" | wc -l)
        [ "$want" -eq "$got" ] || { echo "$got of $want files arrived"; return 1; }
        if [ "$test" = small ]; then
                (cd "$src" && sha256sum -- *) >"$work/logs/want.sha256"
                (cd "$dir" && sha256sum -c --quiet "$work/logs/want.sha256") >/dev/null 2>&1 ||
                        { echo "contents differ"; return 1; }
        else
                cmp -s "$src/big.bin" "$dir/big.bin" || { echo "big.bin differs"; return 1; }
        fi
}

# refresh TEST: new random bytes at the start of every file of the test, before every client run,
# so that no scan is answered from clamd's cache of an earlier run or client (the cache is keyed
# by the MD5 of the whole file; a cached 1 GiB file costs ~1 s to hash, a real scan ~15 s here)
refresh() {
        /usr/bin/python3 - "$work/$1" <<'PY'
import os, sys
d = sys.argv[1]
for name in os.listdir(d):
    with open(os.path.join(d, name), "r+b") as f:
        f.write(os.urandom(16))
PY
}

# human_bytes 377131520 → "359.7 MiB" (any size, one decimal)
human_bytes() {
        awk -v b="$1" 'BEGIN { split("B KiB MiB GiB", u, " "); i = 1;
                while (b >= 1024 && i < 4) { b /= 1024; i++ }
                printf (i == 1 ? "%d %s" : "%.1f %s"), b, u[i] }'
}

# refresh_tree DIR: refresh for a tree (tests/bench/mirror.sh): new random first 16 bytes in every
# file below DIR, the file's times put back, so a tool comparing size and time sees no change
# while no scan can be answered from a cache
refresh_tree() {
        /usr/bin/python3 - "$1" <<'PY'
import os, sys
for d, _, names in os.walk(sys.argv[1]):
    for name in names:
        path = os.path.join(d, name)
        st = os.stat(path)
        with open(path, "r+b") as f:
            f.write(os.urandom(16))
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
PY
}

# bench_workdir PREFIX NEED: $work becomes a new directory ${TMPDIR:-/tmp}/PREFIX.XXXXXX, readable
# by the servers' users, on a file system with more than NEED bytes free (0: no check).
bench_workdir() {
        work=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX") || die "cannot make a directory in ${TMPDIR:-/tmp}"
        chmod 0755 "$work"
        [ "$2" -gt 0 ] || return 0
        local avail=$(( $(df -Pk "$work" | awk 'NR == 2 { print $4 }') * 1024 ))
        [ "$avail" -gt "$2" ] || die "not enough space in $work: need $(human "$2"), have $(human "$avail")"
}

# bench_exit_traps NAME: at exit, and on INT or TERM, bench_cleanup runs (NAME: for its words).
bench_exit_traps() {
        bench_name=$1
        trap bench_cleanup EXIT
        trap 'exit 130' INT
        trap 'exit 143' TERM
}

# Stops every server a bench may have started (those it did not are no-ops), runs the bench's
# own bench_cleanup_more when it has one (an unmount, a directory elsewhere), then removes $work
# unless $keep is 1; exits with the status the bench had.
bench_cleanup() {
        local rc=$?
        trap - EXIT INT TERM
        vsftpd_stop >/dev/null 2>&1 || true
        agent_stop >/dev/null 2>&1 || true
        clamd_stop >/dev/null 2>&1 || true
        icap_stop >/dev/null 2>&1 || true
        if declare -F bench_cleanup_more >/dev/null; then bench_cleanup_more || true; fi
        if [ -n "${work:-}" ] && [ -d "$work" ]; then
                if [ "${keep:-0}" -eq 1 ]; then echo "$bench_name: kept $work"; else rm -rf "$work"; fi
        fi
        exit "$rc"
}
