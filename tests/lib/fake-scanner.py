#!/usr/bin/python3
# tests/lib/fake-scanner.py — a clamd-protocol scanner that misbehaves on purpose, for the scanner
# pool suites. Owns: one unix socket; PING answers PONG (so health checks pass), FILDES is
# "UNKNOWN COMMAND" (the client streams), and every INSTREAM, once read whole, gets:
#   garbage  a reply that is no verdict ("stream: MAYBE")
#   hang     nothing, ever (the connection stays open until the client gives up)
# Usage: fake-scanner.py MODE SOCKET   (writes SOCKET.ready once listening; runs until killed)
# Must not: answer OK for anything.
import os
import socketserver
import struct
import sys
import time

MODE, PATH = sys.argv[1], sys.argv[2]


def read_exact(f, n):
    data = b""
    while len(data) < n:
        part = f.read(n - len(data))
        if not part:
            return None
        data += part
    return data


def read_command(f):
    cmd = b""
    while True:
        c = f.read(1)
        if not c:
            return None
        if c in (b"\0", b"\n"):
            return cmd
        cmd += c
        if len(cmd) > 4096:
            return None


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        cmd = read_command(self.rfile)
        if cmd in (b"zPING", b"nPING", b"PING"):
            self.wfile.write(b"PONG\0" if cmd.startswith(b"z") else b"PONG\n")
            return
        if cmd != b"zINSTREAM":
            self.wfile.write(b"UNKNOWN COMMAND\0")
            return
        while True:
            head = read_exact(self.rfile, 4)
            if head is None:
                return
            n = struct.unpack(">I", head)[0]
            if n == 0:
                break
            if read_exact(self.rfile, n) is None:
                return
        if MODE == "garbage":
            self.wfile.write(b"stream: MAYBE\0")
            return
        while True:  # hang
            time.sleep(60)


class Server(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True


if os.path.exists(PATH):
    os.unlink(PATH)
server = Server(PATH, Handler)
open(PATH + ".ready", "w").close()
server.serve_forever()
