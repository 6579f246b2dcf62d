#!/usr/bin/python3
# tests/soak/figures.py — the soak's figures and verdict, from sample.py's samples.
# Owns: the definitions of warm-up, growth and "flat" (printed with the table, and in
# tests/soak/README), the table, and the exit status (0 flat, 1 grew). Must not: run or sample
# anything.
#
#   figures.py SAMPLES RSS_LIMIT_MIB [--phases]
#     --phases also prints each phase's median and peak, per process
import statistics
import sys

TRANSFERS = ["mput-small", "mput-large", "mget-small", "mget-large"]
RESTS = ["start"] + ["rest-" + t for t in TRANSFERS]      # "start": before the first phase
RUN = [p for t in TRANSFERS for p in (t, "rest-" + t)]   # the run after the first rest


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            t, phase, name, rss, anon, fds = line.rstrip("\n").split("\t")
            rows.append({"t": float(t), "phase": phase, "name": name, "rss": int(rss),
                         "anon": int(anon), "fds": int(fds)})
    return rows


def tenth(n):
    return max(1, n // 10)


def figures(rows, name):
    """The flatness figures of one process, or None without enough samples."""
    mine = [r for r in rows if r["name"] == name]
    first = [r for r in mine if r["phase"] == TRANSFERS[0]]
    # its last sample may come after the command ended (run.sh looks for the end once a second)
    first = first[:-1] if len(first) > 2 else first
    run = [r for r in mine if r["phase"] in RUN]
    rests = {p: [r for r in mine if r["phase"] == p] for p in RESTS}
    if not first or not rests["start"] or not rests[RESTS[1]]:
        return None
    # during the work: the first phase's second tenth against its last (the first tenth is the
    # warm-up; a phase too short for tenths, as in a --quick run, compares its last two samples)
    k = tenth(len(first))
    base = first[k:2 * k] or first[-2:-1] or first
    last = first[-k:]
    # at rest: after the first phase against after the last one
    ended = [p for p in RESTS[1:] if rests[p]]
    before = max(r["fds"] for r in rests["start"])
    return {
        "work_base": statistics.median(r["rss"] for r in base),
        "work_final": max(r["rss"] for r in last),
        "rest_base": statistics.median(r["rss"] for r in rests[RESTS[1]]),
        "rest_final": max(r["rss"] for r in rests[ended[-1]]),
        "peak": max(r["rss"] for r in run),
        "fds_before": before,
        "fds_after": max(r["fds"] for p in ended for r in rests[p]),
        "fds_peak": max(r["fds"] for r in run),
    }


def mib(kb):
    return kb / 1024.0


def print_phases(rows, name):
    print("  %s by phase: samples, VmRSS median/peak MiB, RssAnon median MiB, descriptors min/max" % name)
    for phase in RESTS[:1] + RUN:
        s = [r for r in rows if r["name"] == name and r["phase"] == phase]
        if s:
            print("    %-16s %4d  %7.1f %7.1f  %7.1f  %4d %4d" % (
                phase, len(s), mib(statistics.median(r["rss"] for r in s)),
                mib(max(r["rss"] for r in s)), mib(statistics.median(r["anon"] for r in s)),
                min(r["fds"] for r in s), max(r["fds"] for r in s)))


def main():
    rows = load(sys.argv[1])
    limit_kb = int(sys.argv[2]) * 1024
    ok = True
    print("%-8s %-26s   %-26s %8s | %s" % ("VmRSS", "MiB during " + TRANSFERS[0], "MiB at rest: first, last",
                                          "MiB", "descriptors at rest"))
    print("%-8s %8s %8s %8s   %8s %8s %8s %8s | %5s %5s %6s %5s  %s" % (
        "process", "baseline", "final", "growth", "first", "last", "growth", "peak",
        "fds:0", "rests", "growth", "peak", "verdict"))
    for name in ("clamftp", "agent"):
        f = figures(rows, name)
        if f is None:
            print("%-8s too few samples" % name)
            ok = False
            continue
        work = f["work_final"] - f["work_base"]
        rest = f["rest_final"] - f["rest_base"]
        fds = f["fds_after"] - f["fds_before"]
        flat = work < limit_kb and rest < limit_kb and fds <= 0
        ok = ok and flat
        print("%-8s %8.1f %8.1f %+8.1f   %8.1f %8.1f %+8.1f %8.1f | %5d %5d %+6d %5d  %s" % (
            name, mib(f["work_base"]), mib(f["work_final"]), mib(work), mib(f["rest_base"]),
            mib(f["rest_final"]), mib(rest), mib(f["peak"]), f["fds_before"], f["fds_after"], fds,
            f["fds_peak"], "flat" if flat else "GREW"))
    print()
    print("Samples once a second: VmRSS and the entries of /proc/PID/fd. During %s (the" % TRANSFERS[0])
    print("small files' scans, uploads and the reloads): warm-up is its first tenth, baseline the median")
    print("of its second tenth, final the largest of its last tenth. At rest (clamftp waiting for its")
    print("next command, nothing open): the median after the first phase against the largest after the")
    print("last. Flat: both growths below %d MiB, and no rest with more descriptors than before the" % (limit_kb // 1024))
    print("first phase (fds:0). Peaks (a data connection, a snapshot, a large file mapped while the")
    print("agent scans it) are shown, not judged.")
    if "--phases" in sys.argv[3:]:
        print()
        for name in ("clamftp", "agent"):
            print_phases(rows, name)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
