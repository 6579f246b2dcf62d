#!/usr/bin/python3
# tests/integration/scan-delay-proxy.py — a unix-socket relay in front of a real clamd that holds
# the first scan verdict until the test says so. The verdict itself comes from clamd; this only
# delays it, so a test can change the file on disk while the scan is "still running".
# Owns: relaying bytes (and passed descriptors, for FILDES) both ways. Must not: alter anything.
#
# usage: scan-delay-proxy.py LISTEN_SOCKET CLAMD_SOCKET WORKDIR [FILE]
#   writes WORKDIR/ready when listening, WORKDIR/held when a verdict is being held, and releases
#   it when WORKDIR/release exists. Gives up (and releases) after 40 s. Later verdicts pass at once.
#   With FILE, the verdict held is the first one for a descriptor (FILDES) whose content is FILE's
#   (a client that scans several files at once over several connections: the test knows which).
import array
import os
import selectors
import socket
import sys
import threading
import time

LISTEN, UPSTREAM, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
HOLD_CONTENT = open(sys.argv[4], "rb").read() if len(sys.argv) > 4 else None
held_once = False


def is_the_file(fds):
    """Whether one of the passed descriptors holds HOLD_CONTENT (read at offset 0, not moved)."""
    for fd in fds:
        try:
            if os.pread(fd, len(HOLD_CONTENT) + 1, 0) == HOLD_CONTENT:
                return True
        except OSError:
            pass
    return False


def verdict_like(data):
    text = data.rstrip(b"\0\n")
    return text.endswith(b" OK") or text.endswith(b" FOUND") or text.endswith(b" ERROR")


def recv_with_fds(sock):
    fds = array.array("i")
    msg, anc, _flags, _addr = sock.recvmsg(65536, socket.CMSG_SPACE(16 * fds.itemsize))
    for level, typ, data in anc:
        if level == socket.SOL_SOCKET and typ == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
    return msg, list(fds)


def relay(client):
    global held_once
    up = socket.socket(socket.AF_UNIX)
    up.connect(UPSTREAM)
    sel = selectors.DefaultSelector()
    sel.register(client, selectors.EVENT_READ, up)
    sel.register(up, selectors.EVENT_READ, client)
    open_ends = 2
    hold_next = HOLD_CONTENT is None  # this connection's next verdict is the one to hold
    while open_ends:
        for key, _ in sel.select(timeout=60):
            src, dst = key.fileobj, key.data
            try:
                data, fds = recv_with_fds(src)
            except OSError:
                data, fds = b"", []
            if not data:
                sel.unregister(src)
                open_ends -= 1
                try:
                    dst.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                continue
            if src is client and fds and HOLD_CONTENT is not None and is_the_file(fds):
                hold_next = True
            if src is up and hold_next and not held_once and verdict_like(data):
                held_once = True
                with open(os.path.join(WORK, "held"), "wb") as f:
                    f.write(data)
                end = time.monotonic() + 40
                while not os.path.exists(os.path.join(WORK, "release")) and time.monotonic() < end:
                    time.sleep(0.01)
            try:
                if fds:
                    dst.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))])
                else:
                    dst.sendall(data)
            except OSError:
                pass
            for fd in fds:
                os.close(fd)
    client.close()
    up.close()


def main():
    srv = socket.socket(socket.AF_UNIX)
    srv.bind(LISTEN)
    srv.listen(8)
    open(os.path.join(WORK, "ready"), "w").close()
    srv.settimeout(120)
    while True:
        try:
            conn, _ = srv.accept()
        except OSError:
            return
        conn.settimeout(None)
        threading.Thread(target=guarded, args=(conn,), daemon=True).start()


def guarded(conn):
    try:
        relay(conn)
    except OSError:
        conn.close()


main()
