#!/usr/bin/python3
# tests/soak/sample.py — the soak's sampler: once a second, the resident memory and the open
# descriptors of the processes it is given, with the phase the run is in.
# Owns: its output file (tab-separated, one line per process per second). Must not: signal,
# stop or otherwise touch the processes it watches; it only reads /proc.
#
#   sample.py OUT PHASE_FILE NAME=PID…
#     OUT         lines "seconds<TAB>phase<TAB>name<TAB>VmRSS kB<TAB>RssAnon kB<TAB>fds", seconds
#                 since the sampler started, flushed after every round
#     PHASE_FILE  a file holding the phase's name (run.sh rewrites it); read each round
#     NAME=PID    e.g. clamftp=1234 agent=1230
#   Ends on SIGTERM, or when every process it watches is gone.
import os
import signal
import sys
import time


def status_kb(pid, field):
    """The value in kB of one field of /proc/PID/status, or None once the process is gone."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def fd_count(pid):
    try:
        return len(os.listdir("/proc/%d/fd" % pid))
    except OSError:
        return None


def phase(path):
    try:
        with open(path) as f:
            return f.read().strip() or "-"
    except OSError:
        return "-"


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: sample.py OUT PHASE_FILE NAME=PID…")
    out_path, phase_path = sys.argv[1], sys.argv[2]
    procs = []
    for arg in sys.argv[3:]:
        name, _, pid = arg.partition("=")
        procs.append((name, int(pid)))
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    start = time.monotonic()
    tick = 0
    with open(out_path, "w") as out:
        while not stop:
            now = time.monotonic() - start
            ph = phase(phase_path)
            alive = 0
            for name, pid in procs:
                rss = status_kb(pid, "VmRSS")
                anon = status_kb(pid, "RssAnon")
                fds = fd_count(pid)
                if rss is None or fds is None:
                    continue
                alive += 1
                out.write("%.1f\t%s\t%s\t%d\t%d\t%d\n" % (now, ph, name, rss, anon or 0, fds))
            out.flush()
            if not alive:
                break
            tick += 1
            # on the second, whatever a round cost
            delay = start + tick - time.monotonic()
            if delay > 0:
                time.sleep(delay)


if __name__ == "__main__":
    main()
