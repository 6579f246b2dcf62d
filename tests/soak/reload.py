#!/usr/bin/python3
# tests/soak/reload.py — the soak's reloader: sends the agent RELOAD (clamd's protocol, over its
# unix socket) a given number of times, spread evenly over the scans the run expects, and waits
# for each reload to finish before the next.
# Owns: one short connection per RELOAD; its report on stdout. Must not: scan anything or touch
# the agent otherwise (the scans it counts are clamftp's, read from the agent's log).
#
#   reload.py SOCKET LOG RELOADS EXPECTED_SCANS
#     reload k (1…RELOADS) is sent once the log holds k × EXPECTED_SCANS / (RELOADS + 1) scan
#     lines ("scan fildes …", "scan instream …"); it is done when the log says "reload: N
#     signatures loaded". Prints one line per reload (scans seen, milliseconds) and, at the end,
#     "reloads: DONE of WANTED". Ends when all are done, on SIGTERM, or after 60 s without a new
#     scan line once the scans stopped short (then it says so and exits 1).
import os
import signal
import socket
import sys
import time


class LogFollower:
    """Counts scan lines and finished reloads in the agent's log as it grows."""

    def __init__(self, path):
        self.path = path
        self.offset = 0
        self.rest = b""
        self.scans = 0
        self.reloads = 0
        self.failed = 0

    def poll(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                data = f.read()
        except OSError:
            return
        self.offset += len(data)
        lines = (self.rest + data).split(b"\n")
        self.rest = lines.pop()
        for line in lines:
            if b" scan " in line or line.startswith(b"scan "):
                self.scans += 1
            elif b"reload: " in line and b"signatures loaded" in line:
                self.reloads += 1
            elif b"reload failed" in line or b"cannot start the reload" in line:
                self.failed += 1


def send_reload(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    try:
        s.connect(path)
        s.sendall(b"zRELOAD\0")
        reply = b""
        while not reply.endswith(b"\0"):
            chunk = s.recv(64)
            if not chunk:
                break
            reply += chunk
    finally:
        s.close()
    return reply.rstrip(b"\0").decode(errors="replace")


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: reload.py SOCKET LOG RELOADS EXPECTED_SCANS")
    sock, log, wanted, expected = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    follow = LogFollower(log)
    sent = 0
    last_scans, last_change = 0, time.monotonic()
    while not stop and sent < wanted:
        follow.poll()
        if follow.scans != last_scans:
            last_scans, last_change = follow.scans, time.monotonic()
        elif follow.scans and time.monotonic() - last_change > 60:
            print("reloads: no new scan for 60 s after %d scans; stopping" % follow.scans, flush=True)
            break
        if follow.scans >= (sent + 1) * expected // (wanted + 1):
            before = follow.reloads + follow.failed
            t0 = time.monotonic()
            reply = send_reload(sock)
            if reply != "RELOADING":
                print("reload %d: the agent answered %r" % (sent + 1, reply), flush=True)
                sys.exit(1)
            while follow.reloads + follow.failed == before and not stop:
                time.sleep(0.05)
                follow.poll()
            sent += 1
            print("reload %d after %d scans: %.0f ms%s" % (
                sent, follow.scans, (time.monotonic() - t0) * 1000,
                " (failed)" if follow.failed else ""), flush=True)
            continue
        time.sleep(0.2)
    print("reloads: %d of %d (%d failed)" % (follow.reloads, wanted, follow.failed), flush=True)
    sys.exit(0 if follow.reloads == wanted and not follow.failed else 1)


if __name__ == "__main__":
    main()
