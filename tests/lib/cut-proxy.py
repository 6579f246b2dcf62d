#!/usr/bin/python3
# tests/lib/cut-proxy.py — a TCP relay for FTP control connections that cuts one now and then: it
# counts the clients' commands of one verb across every connection it relays and, at each multiple
# of --every, closes both sides of the connection that sent it, without forwarding that command.
# Owns: relaying the control connections' bytes both ways and the cuts. Must not: alter a byte it
# forwards, or see the data connections (EPSV/PASV answers name the server's own port on
# 127.0.0.1: they go straight to the server).
#
# usage: cut-proxy.py --listen-port-file F --target HOST:PORT --verb STOR --every 50
#                     [--log FILE] [--count-log SERVER_LOG] [--lifetime SECONDS]
#   Listens on 127.0.0.1, a port of the kernel's choice, written to F once it listens; keeps
#   accepting connections (a client's reconnect comes back through it).
#   --log FILE         one line per connection and per cut ("cut connection 3 at STOR 50: …").
#   --count-log LOG    for control connections under TLS (after AUTH TLS answered 234 the bytes
#                      pass unread): every count comes from the server's own protocol log instead
#                      (vsftpd's log_ftp_protocol: '[pid N] … FTP command: Client "…", "STOR x"'),
#                      and the connection cut is the one that server process serves. The command
#                      has then reached the server already: the cut falls while it is answered.
#   --kill-session     with --count-log: also kills (SIGKILL) the server process that logged the
#                      command, so that its data connection breaks too: an upload in flight ends
#                      short, as when the network drops (a server keeps reading the data of a
#                      transfer whose control connection alone was closed).
#   --lifetime S       exits after S seconds (default 300) even if nobody stops it.
#   --limit N          strikes at most N times (default: no limit).
#   --fault stall|reset   instead of cutting at the command: the command is forwarded, and of the
#                      server's answer to it (the first reply line starting with --reply CODE,
#                      default any) only the first --keep bytes (default 5) reach the client. Then
#                      "stall": that connection moves nothing more either way (both stay open
#                      until the client closes its side); "reset": the client's side is closed
#                      with SO_LINGER 0 (a TCP reset), the server's side closed.
import argparse
import os
import struct
import re
import selectors
import signal
import socket
import sys
import time

LOG_COMMAND = re.compile(rb'\[pid (\d+)\].*FTP command: Client "[^"]*", "([A-Za-z]+)')


class Pair:
    """One client connection and its connection to the server."""

    def __init__(self, number, client, up):
        self.number = number
        self.client = client
        self.up = up
        self.pending = b""        # a client's command line not complete yet
        self.raw = False          # TLS after AUTH: bytes pass unread
        self.auth_sent = False    # AUTH forwarded, its answer not seen yet
        self.closed = False
        self.fault = False        # the counted command went through: its reply is the one to break
        self.stalled = False      # the fault "stall" struck: bytes are read and dropped
        self.replies = b""        # the server's bytes since the counted command, not yet forwarded


class Proxy:
    def __init__(self, args):
        self.args = args
        self.verb = args.verb.upper().encode()
        self.count = 0
        self.struck = 0
        self.number = 0
        self.sel = selectors.DefaultSelector()
        host, port = args.target.rsplit(":", 1)
        self.target = (host, int(port))
        self.log_file = open(args.log, "a", buffering=1) if args.log else None
        self.server_log = None
        if args.count_log:
            self.server_log = open(args.count_log, "rb")
            self.server_log.seek(0, os.SEEK_END)
        self.server_log_rest = b""

    def note(self, text):
        if self.log_file:
            self.log_file.write("%.3f %s\n" % (time.time(), text))

    def accept(self, listener):
        client, _ = listener.accept()
        try:
            up = socket.create_connection(self.target, timeout=5)
        except OSError as e:
            self.note("connection refused by the server (%s): client closed" % e)
            client.close()
            return
        up.settimeout(None)
        for s in (client, up):  # a command line forwarded alone must not wait for an ACK (Nagle)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        client.setblocking(False)
        up.setblocking(False)
        self.number += 1
        pair = Pair(self.number, client, up)
        self.sel.register(client, selectors.EVENT_READ, (pair, True))
        self.sel.register(up, selectors.EVENT_READ, (pair, False))
        self.note("connection %d opened" % pair.number)

    def close(self, pair, why):
        if pair.closed:
            return
        pair.closed = True
        for s in (pair.client, pair.up):
            try:
                self.sel.unregister(s)
            except (KeyError, ValueError):
                pass
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
        self.note("connection %d closed (%s)" % (pair.number, why))

    def reset(self, pair):
        """The client's side closed with a TCP reset (SO_LINGER 0), the server's side closed."""
        try:
            pair.client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        for s in (pair.client, pair.up):
            try:
                self.sel.unregister(s)
            except (KeyError, ValueError):
                pass
            s.close()
        pair.closed = True
        self.note("connection %d reset" % pair.number)

    def break_reply(self, pair, data):
        """The server's bytes after the counted command: whole lines of other replies go through
        as they come; of the reply to break, --keep bytes go through, then the fault strikes."""
        pair.replies += data
        code = self.args.reply.encode()
        while True:
            end = pair.replies.find(b"\n")
            line = pair.replies if end < 0 else pair.replies[:end + 1]
            if line.startswith(code) and len(line) >= max(4, self.args.keep):
                break
            if end < 0:
                return  # the line is not complete: wait for more
            if not self.send(pair, pair.client, line):
                return
            pair.replies = pair.replies[end + 1:]
        pair.fault = False
        keep = pair.replies[:self.args.keep]
        if keep and not self.send(pair, pair.client, keep):
            return
        self.note("connection %d: %s after %r" % (pair.number, self.args.fault, keep))
        if self.args.fault == "reset":
            self.reset(pair)
        else:
            pair.stalled = True

    def cut(self, pair, command):
        self.note("cut connection %d at %s %d: %s" % (pair.number, self.verb.decode(), self.count,
                                                       command.decode("utf-8", "replace").strip()))
        self.close(pair, "cut")

    def counts(self, verb):
        """One more command of the verb counted; TRUE when it is the one to cut at."""
        if verb != self.verb:
            return False
        self.count += 1
        if self.count % self.args.every or (self.args.limit and self.struck >= self.args.limit):
            return False
        self.struck += 1
        return True

    def send(self, pair, sock, data):
        try:
            sock.setblocking(True)
            sock.sendall(data)
            sock.setblocking(False)
            return True
        except OSError as e:
            self.close(pair, "send failed: %s" % e)
            return False

    def from_client(self, pair, data):
        if pair.raw:
            self.send(pair, pair.up, data)
            return
        pair.pending += data
        while b"\n" in pair.pending and not pair.raw:
            line, pair.pending = pair.pending.split(b"\n", 1)
            line += b"\n"
            words = line.split(None, 1)
            verb = words[0].upper() if words else b""
            if not self.server_log and self.counts(verb):
                if not self.args.fault:
                    self.cut(pair, line)
                    return
                pair.fault = True
                pair.replies = b""
                self.note("connection %d: %s %d forwarded, its reply to break" %
                          (pair.number, self.verb.decode(), self.count))
            if not self.send(pair, pair.up, line):
                return
            if verb == b"AUTH":
                pair.auth_sent = True
        if pair.raw and pair.pending:
            data, pair.pending = pair.pending, b""
            self.send(pair, pair.up, data)

    def from_server(self, pair, data):
        if pair.fault:
            self.break_reply(pair, data)
            return
        if pair.auth_sent:
            pair.auth_sent = False
            pair.raw = data.startswith(b"234")
        self.send(pair, pair.client, data)

    def relay(self, pair, from_client):
        src = pair.client if from_client else pair.up
        try:
            data = src.recv(65536)
        except BlockingIOError:
            return
        except OSError as e:
            self.close(pair, "%s: %s" % ("client" if from_client else "server", e))
            return
        if not data:
            self.close(pair, "closed by the %s" % ("client" if from_client else "server"))
            return
        if pair.stalled:
            return  # read and dropped: the connection seems alive and moves nothing
        if from_client:
            self.from_client(pair, data)
        else:
            self.from_server(pair, data)

    def pairs(self):
        return {key.data[0] for key in self.sel.get_map().values() if key.data is not None}

    def pair_of_pid(self, pid):
        """The pair whose server side the process pid holds (its socket's peer is our port)."""
        inodes = set()
        try:
            for fd in os.listdir("/proc/%d/fd" % pid):
                link = os.readlink("/proc/%d/fd/%s" % (pid, fd))
                if link.startswith("socket:["):
                    inodes.add(link[8:-1])
        except OSError:
            return None
        peers = set()
        with open("/proc/net/tcp") as f:
            for line in f.readlines()[1:]:
                fields = line.split()
                if fields[9] in inodes and int(fields[1].split(":")[1], 16) == self.target[1]:
                    peers.add(int(fields[2].split(":")[1], 16))
        for pair in self.pairs():
            try:
                if pair.up.getsockname()[1] in peers:
                    return pair
            except OSError:
                pass
        return None

    def read_server_log(self):
        data = self.server_log_rest + self.server_log.read()
        lines = data.split(b"\n")
        self.server_log_rest = lines.pop()
        for line in lines:
            m = LOG_COMMAND.search(line)
            if not m or not self.counts(m.group(2).upper()):
                continue
            pair = self.pair_of_pid(int(m.group(1)))
            if pair is None:
                self.note("%s %d: no open connection of server process %s to cut" %
                          (self.verb.decode(), self.count, m.group(1).decode()))
                continue
            if self.args.kill_session:  # first: the process must not see its control connection go
                try:
                    os.kill(int(m.group(1)), signal.SIGKILL)
                    self.note("killed server process %s" % m.group(1).decode())
                except OSError as e:
                    self.note("could not kill server process %s: %s" % (m.group(1).decode(), e))
            self.cut(pair, line[line.rfind(b'", "') + 4:].rstrip(b'"\r'))

    def run(self):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        listener.setblocking(False)
        self.sel.register(listener, selectors.EVENT_READ, None)
        tmp = self.args.listen_port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % listener.getsockname()[1])
        os.rename(tmp, self.args.listen_port_file)
        end = time.monotonic() + self.args.lifetime
        while time.monotonic() < end:
            for key, _ in self.sel.select(timeout=0.02):
                if key.data is None:
                    self.accept(listener)
                elif not key.data[0].closed:
                    self.relay(*key.data)
            if self.server_log:
                self.read_server_log()
        self.note("lifetime over: exits")


def main():
    p = argparse.ArgumentParser(description="FTP control connection relay that cuts connections")
    p.add_argument("--listen-port-file", required=True)
    p.add_argument("--target", required=True, help="HOST:PORT of the FTP server")
    p.add_argument("--verb", required=True, help="the command verb counted, e.g. STOR")
    p.add_argument("--every", type=int, required=True, help="cut at each multiple of this count")
    p.add_argument("--log", help="a line per connection and per cut")
    p.add_argument("--count-log", help="count the verbs in this server protocol log instead")
    p.add_argument("--kill-session", action="store_true",
                   help="with --count-log: also kill the server process that received the command")
    p.add_argument("--lifetime", type=float, default=300.0)
    p.add_argument("--limit", type=int, default=0, help="strike at most this many times (0: no limit)")
    p.add_argument("--fault", choices=("stall", "reset"),
                   help="break the server's reply to the counted command instead of cutting")
    p.add_argument("--reply", default="", help="with --fault: the reply code to break (default: the first reply)")
    p.add_argument("--keep", type=int, default=5, help="with --fault: the bytes of that reply let through")
    args = p.parse_args()
    if args.every < 1:
        p.error("--every must be at least 1")
    if args.fault and args.count_log:
        p.error("--fault reads the commands itself: not with --count-log")
    if args.kill_session and not args.count_log:
        p.error("--kill-session needs --count-log (the server process is found in its log)")
    Proxy(args).run()
    return 0


sys.exit(main())
