#!/usr/bin/python3
# tests/hostile/ftpd.py — a scripted FTP server that misbehaves on purpose, one scenario per run.
# Owns: the scenarios a real server cannot be made to play (hostile names, a lying PASV, 421 in
# the middle, an endless greeting, a stalled transfer). Must not: listen beyond 127.0.0.1, run
# longer than its own deadline, or touch files outside the directory it is given.
#
# usage: ftpd.py SCENARIO WORKDIR     (writes WORKDIR/port when listening, logs to WORKDIR/log)
#   names-list   LIST and NLST offer hostile names beside good ones (no MLSD)
#   names-mlsd   FEAT offers MLSD; MLSD offers the hostile names, `a/b` among them
#   names-nlst   LIST is refused (502); only NLST offers the names
#   plain        three good files, nothing hostile (for the symlink case)
#   pasv-third   EPSV refused; PASV points at 10.255.255.1 (the data listener is on 127.0.0.1)
#   421-cwd      CWD answers 421 and the server closes the connection
#   421-retr     RETR sends 150, part of the data, then 421 and closes both connections
#   endless-greeting   220- continuation lines forever, never the final 220
#   stall        RETR sends 150 and 64 KiB, then nothing (the connections stay open)
#   mlsd-502     FEAT offers MLSD, MLSD answers 502; LIST works
#   mlsd-550     FEAT offers MLSD, MLSD answers 550 (the answer, not a reason to try LIST)
#   mlsd-is-list FEAT offers MLSD, MLSD sends an `ls -l` listing; LIST works
#   pasv-privileged   EPSV names port 25, PASV names 127.0.0.1 port 21
#   421-retr-slow     RETR sends 256 KiB, waits 0.5 s, sends 421 and keeps the data connection open
#   huge-lines   LIST sends 1,000,000 lines
#   huge-line    LIST sends one line of 100 MB
# Terminal escapes (tests/hostile/escapes.sh): ESC_TEXT holds ESC, CSI, OSC, a bare CR, BEL and
# C1 0x9b both as a raw byte and as UTF-8 U+009B; FAKE_OK is a success line a bare CR would
# draw over the client's own words.
#   esc-replies  every refusal (CWD, RETR, STOR, DELE, MKD, RMD, SIZE s.txt, RNFR) says ESC_TEXT;
#                STOR's and DELE's also try FAKE_OK; `CWD 421` answers 421 ESC_TEXT and closes;
#                SITE answers a multi-line 200 with ESC_TEXT; PWD names a directory with escapes
#   esc-greeting a multi-line 220 whose every line holds ESC_TEXT (one line FAKE_OK); the rest
#                as usual
#   esc-421-greeting   the greeting is 421 ESC_TEXT, then the server closes
#   esc-garbage-greeting   the greeting is a line without a code: ESC_TEXT
#   esc-names    PWD names a directory with C1 bytes; LIST and NLST offer ESC_NAMES beside the
#                good files
#   esc-names-nlst     the same, LIST refused (502): only NLST offers the names
#   esc-mlsd     FEAT offers MLSD; MLSD offers ESC_NAMES and good names with hostile facts
#   esc-cert     AUTH TLS with WORKDIR/cert.pem and key.pem (the test makes them, with escapes in
#                the subject and issuer); PROT P refused, so data connections stay in clear
# A 226 before the data ends (tests/faults/early-226.sh); sessions served side by side, what STOR
# keeps shared by them (SIZE tells it, DELE forgets it, RNFR/RNTO rename it), each logged.
#   early-226    RETR sends 150 and 226 at once, then the data slowly (64 KiB pieces 20 ms apart);
#                STOR reads 64 KiB, answers 226, and closes the data connection
#   early-226-no-size  the same, and SIZE is not offered (502): nothing can tell the short copy
# Server-side digests of uploads (tests/integration/commands-verify.sh): STOR keeps the bytes of
# the session, DELE forgets them (both logged).
#   digest-liar  FEAT offers HASH (SHA-256) and XSHA256; HASH answers a digest that is not the
#                stored file's
#   digest-x     FEAT offers XSHA256 only; it answers "250 <HEX>" of the stored bytes, honestly
#   digest-xcrc  FEAT offers XCRC only; it answers "250 <HEX>" (no leading zeros) of the stored
#                bytes' CRC-32, honestly
#   digest-xcrc-damage  the same, but STOR keeps the bytes with one of them changed (the right
#                size, other bytes: what a SIZE check cannot see)
import hashlib
import os
import zlib
import socket
import ssl
import sys
import threading
import time

SCENARIO = sys.argv[1]
NO_SIZE = SCENARIO == "early-226-no-size"
if NO_SIZE:
    SCENARIO = "early-226"
WORK = sys.argv[2]
DEADLINE = time.monotonic() + 60  # the server never outlives this

GOOD = {
    "good1.txt": b"first good file\n",
    "good two.txt": b"second good file, with a space in its name\n",
    "good3.bin": bytes(range(256)) * 16,
}
ESC_NAME = "\x1b[2J\x1b]0;pwned\x07esc.txt"
HOSTILE = ["../x", "../../x2", "/etc/clamftp-hostile-x", "..\\x", "C:\\x", ".", "..", "",
           ESC_NAME]
ESC_TEXT = "ESC\x1b[2J CSI\x1b[31m OSC\x1b]0;title\x07 CR\r BEL\x07 C1raw\udc9b C1utf8\u009b end"
FAKE_OK = "Uploaded x.txt as x.txt (1 KiB, scanned clean)."
ESC_NAMES = ["esc\x1b[2J.txt", "csi\x1b[31mred.txt", "osc\x1b]0;title\x07.txt", "cr\r" + FAKE_OK,
             "bel\x07.txt", "c1raw\udc9b.txt", "c1utf8\u009b.txt"]
ESC_PWD = "/esc\x1b[2Jdir\x07\u009b"  # refused by the client: it holds control characters
C1_PWD = "/c1\u009bdir\udc9b"         # taken: C1 only, to be escaped wherever it is shown
# MLSD facts that are hostile, each beside a plain name ({size}: the name's true size)
ESC_FACTS = [
    ("type=file;size={size};modify=2024\x1b[2J0101000000;perm=r", "badmodify.txt"),
    ("type=file;size={size};modify=\x1b]0;title\x07;perm=r\x1b[31m\x07\u009b\udc9b", "badperm.txt"),
    ("type=file;size={size};x.evil=\x1b[2J\x1b]0;t\x07\r\u009b;modify=20240101000000", "evilfact.txt"),
    ("type=fi\x1b[2Jle;size={size}", "badtype.txt"),
    ("type=file;size=\x1b[31m12;modify=20240101000000", "badsize.txt"),
]
BIG = bytes((i * 7) & 0xFF for i in range(1 << 20))
STORED = {}          # early-226: name -> the bytes STOR kept, across sessions
STORED_LOCK = threading.Lock()


def log(msg):
    with open(os.path.join(WORK, "log"), "a", encoding="utf-8", errors="backslashreplace") as f:
        f.write(msg + "\n")


def names():
    if SCENARIO in ("esc-names", "esc-names-nlst", "esc-mlsd"):
        return list(GOOD) + ESC_NAMES
    if SCENARIO.startswith("names-"):
        extra = HOSTILE + (["a/b"] if SCENARIO == "names-mlsd" else [])
        return list(GOOD) + extra
    return list(GOOD)


def content(name):
    if name in GOOD:
        return GOOD[name]
    if name == "big.bin":
        return BIG
    return b"HOSTILE CONTENT for " + name.encode("utf-8", "surrogateescape") + b"\n"


class Session:
    def __init__(self, conn, peer):
        self.c = conn
        self.peer = peer
        self.buf = b""
        self.pasv = None
        self.rest = 0
        self.stored = {}   # name -> bytes STOR brought (digest scenarios)
        self.rnfr = ""

    def send(self, text):
        log("<-- " + text)
        self.c.sendall(text.encode("utf-8", "surrogateescape") + b"\r\n")

    def readline(self):
        while b"\n" not in self.buf:
            self.c.settimeout(max(0.1, DEADLINE - time.monotonic()))
            chunk = self.c.recv(4096)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.rstrip(b"\r").decode("utf-8", "surrogateescape")

    def open_pasv(self):
        if self.pasv:
            self.pasv.close()
        self.pasv = socket.socket()
        self.pasv.bind(("127.0.0.1", 0))
        self.pasv.listen(1)
        return self.pasv.getsockname()[1]

    def data_conn(self):
        if not self.pasv:
            self.send("425 Use PASV or EPSV first.")
            return None
        self.pasv.settimeout(10)
        try:
            d, addr = self.pasv.accept()
        except OSError:
            self.send("425 No data connection.")
            return None
        log("data connection from %s:%d" % addr)
        self.pasv.close()
        self.pasv = None
        return d

    def listing(self, kind):
        lines = []
        for n in names():
            data = content(n)
            if kind == "NLST":
                lines.append(n)
            elif kind == "MLSD":
                lines.append("type=file;size=%d;modify=20240101000000;perm=r; %s" % (len(data), n))
            else:
                lines.append("-rw-r--r--    1 ftp      ftp      %8d Jan 01  2024 %s" % (len(data), n))
        if kind == "MLSD" and SCENARIO == "esc-mlsd":
            lines += ["%s; %s" % (facts.format(size=len(content(n))), n) for facts, n in ESC_FACTS]
        return ("\r\n".join(lines) + "\r\n").encode("utf-8", "surrogateescape")

    def transfer(self, payload, reply="226 Transfer complete."):
        self.send("150 Here comes the data.")
        d = self.data_conn()
        if d is None:
            return
        try:
            d.sendall(payload)
        finally:
            d.close()
        self.send(reply)

    def wait_client_close(self):
        """Reads the control connection until the client closes it (or the server's deadline)."""
        self.c.settimeout(max(0.1, DEADLINE - time.monotonic()))
        try:
            while self.c.recv(4096):
                pass
        except OSError:
            pass

    def slow_retr_then_421(self):
        """256 KiB, a pause, then 421 with the data connection left open: the client must notice
        the 421 on the control connection, not wait for the data timeout."""
        self.send("150 Here comes the data.")
        d = self.data_conn()
        if not d:
            return
        d.sendall(BIG[:262144])
        time.sleep(0.5)
        self.send("421 Timeout, closing control connection.")
        sent = time.monotonic()
        self.wait_client_close()
        log("client closed the control connection %.3f s after the 421" % (time.monotonic() - sent))
        d.close()

    def early_retr(self, data):
        """150 and 226 at once, then the data, slowly: done only at both the 226 and the EOF."""
        self.send("150 Here comes the data.")
        d = self.data_conn()
        if d is None:
            return
        self.send("226 Transfer complete.")
        try:
            for i in range(0, len(data), 65536):
                d.sendall(data[i:i + 65536])
                time.sleep(0.02)
            log("RETR: %d bytes sent after the 226" % len(data))
        except OSError as e:
            log("RETR: the client stopped reading: %s" % e)
        finally:
            d.close()

    def early_files(self, verb, arg):
        """early-226's store: STOR keeps 64 KiB and says 226 before the data ends."""
        if verb == "STOR":
            self.send("150 Send the data.")
            d = self.data_conn()
            if d is None:
                return
            got = b""
            while len(got) < 65536:
                b = d.recv(65536 - len(got))
                if not b:
                    break
                got += b
            with STORED_LOCK:
                STORED[arg] = got
            log("STOR of %r: 226 after %d bytes" % (arg, len(got)))
            self.send("226 Transfer complete.")
            d.close()
        elif verb == "SIZE" and NO_SIZE:
            self.send("502 Command not implemented.")
        elif verb == "SIZE":
            with STORED_LOCK:
                kept = STORED.get(arg)
            if kept is None and arg in names():
                kept = content(arg)
            self.send("213 %d" % len(kept) if kept is not None else "550 No such file.")
        elif verb == "DELE":
            with STORED_LOCK:
                gone = STORED.pop(arg, None)
            log("DELE of %r" % arg)
            self.send("250 Deleted." if gone is not None else "550 No such file.")
        elif verb == "RNFR":
            self.rnfr = arg
            self.send("350 Ready for RNTO.")
        elif verb == "RNTO":
            with STORED_LOCK:
                kept = STORED.pop(self.rnfr, None)
                if kept is not None:
                    STORED[arg] = kept
            log("RNTO %r -> %r" % (self.rnfr, arg))
            self.send("250 Renamed." if kept is not None else "550 No such file.")
        else:
            self.send("257 \"%s\" created." % arg)

    def huge_listing(self):
        """A listing no client should hold in memory; stops when the client gives up."""
        self.send("150 Here comes the listing.")
        d = self.data_conn()
        if not d:
            return
        sent = 0
        try:
            if SCENARIO == "huge-lines":
                chunk = b"".join(b"-rw-r--r-- 1 ftp ftp 1 Jan 01 2024 f%07d\r\n" % i for i in range(10000))
                for _ in range(100):
                    d.sendall(chunk)
                    sent += len(chunk)
            else:
                chunk = b"x" * (1 << 20)
                for _ in range(100):
                    d.sendall(chunk)
                    sent += len(chunk)
            log("huge listing sent whole: %d bytes" % sent)
        except OSError as e:
            log("client stopped the huge listing after %d bytes: %s" % (sent, e))
        finally:
            d.close()
        self.send("226 Transfer complete.")

    def run(self):
        if SCENARIO == "endless-greeting":
            i = 0
            while time.monotonic() < DEADLINE:
                try:
                    self.c.sendall(b"220-welcome, line %d of a greeting that never ends\r\n" % i)
                except OSError:
                    log("client closed during the endless greeting after %d lines" % i)
                    return
                i += 1
                time.sleep(0.005)
            return
        if not self.greet():
            return
        while True:
            line = self.readline()
            if line is None:
                log("client closed")
                return
            log("--> " + ("PASS ***" if line.upper().startswith("PASS") else line))
            verb, _, arg = line.partition(" ")
            verb = verb.upper()
            if not self.handle(verb, arg):
                return

    def greet(self):
        """The greeting; False when the scenario ends the session with it."""
        if SCENARIO == "esc-greeting":
            self.send("220-" + ESC_TEXT)
            self.send("220-\r" + FAKE_OK)
            self.send(" continued " + ESC_TEXT)
            self.send("220 " + ESC_TEXT)
        elif SCENARIO == "esc-421-greeting":
            self.send("421 " + ESC_TEXT)
            return False
        elif SCENARIO == "esc-garbage-greeting":
            self.send(ESC_TEXT)
            self.wait_client_close()
            return False
        else:
            self.send("220 hostile test server ready")
        return True

    def refuse_with_escapes(self, verb, arg):
        """esc-replies: the refusals that carry ESC_TEXT; None when `verb` is answered as usual,
        False when the session ends."""
        if verb == "CWD" and arg == "421":
            self.send("421 " + ESC_TEXT)
            return False
        if verb == "STOR":
            self.send("553 STOR refused: %s\r%s" % (ESC_TEXT, FAKE_OK))
        elif verb == "DELE":
            self.send("550-DELE refused: " + ESC_TEXT)
            self.send("\r" + FAKE_OK)
            self.send("550 " + ESC_TEXT + "\r" + FAKE_OK)
        elif verb == "SITE":
            self.send("200-SITE says: " + ESC_TEXT)
            self.send("\r" + FAKE_OK)
            self.send("200 " + ESC_TEXT)
        elif verb in ("CWD", "RETR", "MKD", "RMD", "RNFR") or (verb == "SIZE" and arg == "s.txt"):
            self.send("550 %s refused: %s" % (verb, ESC_TEXT))
        else:
            return None
        return True

    def handle(self, verb, arg):
        if SCENARIO == "early-226" and verb in ("STOR", "SIZE", "DELE", "RNFR", "RNTO", "MKD"):
            self.early_files(verb, arg)
            return True
        if SCENARIO == "esc-replies":
            handled = self.refuse_with_escapes(verb, arg)
            if handled is not None:
                return handled
        if verb == "USER":
            self.send("331 Password please.")
        elif verb == "PASS":
            self.send("230 Logged in.")
        elif verb == "SYST":
            self.send("215 UNIX Type: L8")
        elif verb == "FEAT":
            feats = ["EPSV", "PASV", "SIZE", "REST STREAM", "UTF8"]
            if NO_SIZE:
                feats.remove("SIZE")
            if SCENARIO in ("names-mlsd", "esc-mlsd") or SCENARIO.startswith("mlsd-"):
                feats.append("MLSD")
            if SCENARIO == "pasv-third":
                feats.remove("EPSV")
            if SCENARIO == "digest-liar":
                feats += ["HASH SHA-256*;MD5;", "XSHA256"]
            if SCENARIO == "digest-x":
                feats.append("XSHA256")
            if SCENARIO.startswith("digest-xcrc"):
                feats.append("XCRC")
            self.send("211-Features:")
            for f in feats:
                self.send(" " + f)
            self.send("211 End")
        elif verb == "AUTH" and SCENARIO == "esc-cert":
            self.send("234 Proceed with TLS.")
            tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            tls.load_cert_chain(os.path.join(WORK, "cert.pem"), os.path.join(WORK, "key.pem"))
            self.c = tls.wrap_socket(self.c, server_side=True)
        elif verb == "PBSZ":
            self.send("200 PBSZ=0")
        elif verb == "PROT":
            self.send("536 PROT P is not offered here.")
        elif verb == "OPTS":
            self.send("200 OK.")
        elif verb == "PWD":
            path = "/"
            if SCENARIO == "esc-replies":
                path = ESC_PWD
            elif SCENARIO.startswith("esc-names") or SCENARIO == "esc-mlsd":
                path = C1_PWD
            self.send('257 "%s" is the current directory' % path)
        elif verb == "CWD":
            if SCENARIO == "421-cwd":
                self.send("421 Service not available, closing control connection.")
                return False
            self.send("250 OK.")
        elif verb == "CDUP":
            self.send("250 OK.")
        elif verb == "TYPE":
            self.send("200 Type set.")
        elif verb == "MODE" or verb == "STRU":
            self.send("200 OK.")
        elif verb == "NOOP":
            self.send("200 NOOP ok.")
        elif verb == "EPSV" and SCENARIO == "pasv-privileged":
            self.send("229 Entering Extended Passive Mode (|||25|)")
        elif verb == "PASV" and SCENARIO == "pasv-privileged":
            self.send("227 Entering Passive Mode (127,0,0,1,0,21).")
        elif verb == "EPSV":
            if SCENARIO == "pasv-third":
                self.send("500 EPSV not understood.")
            else:
                self.send("229 Entering Extended Passive Mode (|||%d|)" % self.open_pasv())
        elif verb == "PASV":
            port = self.open_pasv()
            host = "10,255,255,1" if SCENARIO == "pasv-third" else "127,0,0,1"
            self.send("227 Entering Passive Mode (%s,%d,%d)." % (host, port >> 8, port & 0xFF))
        elif verb in ("EPRT", "PORT"):
            self.send("500 Active mode is not offered by this test server.")
        elif verb == "SIZE":
            if arg in names() or arg == "big.bin":
                self.send("213 %d" % len(content(arg)))
            else:
                self.send("550 No such file.")
        elif verb == "MDTM":
            self.send("213 20240101000000")
        elif verb == "REST":
            self.rest = int(arg) if arg.isdigit() else 0
            self.send("350 Restarting at %d." % self.rest)
        elif verb == "LIST":
            if SCENARIO in ("names-nlst", "esc-names-nlst"):
                self.send("502 LIST not implemented.")
            elif SCENARIO.startswith("huge-"):
                self.huge_listing()
            else:
                self.transfer(self.listing("LIST"))
        elif verb == "NLST":
            self.transfer(self.listing("NLST"))
        elif verb == "MLSD":
            if SCENARIO == "mlsd-502":
                self.send("502 MLSD not implemented.")
            elif SCENARIO == "mlsd-550":
                self.send("550 No such directory.")
            elif SCENARIO == "mlsd-is-list":
                self.transfer(self.listing("LIST"))
            elif SCENARIO not in ("names-mlsd", "esc-mlsd"):
                self.send("500 MLSD not understood.")
            else:
                self.transfer(self.listing("MLSD"))
        elif verb == "RETR":
            log("RETR of %r" % arg)
            data = content(arg)[self.rest:]
            self.rest = 0
            if SCENARIO == "421-retr":
                self.send("150 Here comes the data.")
                d = self.data_conn()
                if d:
                    d.sendall(BIG[:65536])
                self.send("421 Timeout, closing control connection.")
                if d:
                    d.close()
                return False
            if SCENARIO == "421-retr-slow":
                self.slow_retr_then_421()
                return False
            if SCENARIO == "early-226":
                self.early_retr(data)
                return True
            if SCENARIO == "stall":
                self.send("150 Here comes the data.")
                d = self.data_conn()
                if d:
                    d.sendall(BIG[:65536])
                    log("stalling")
                    # hold both connections open, moving nothing, until the client gives up
                    self.wait_client_close()
                    log("client gave up on the stalled transfer")
                    d.close()
                return False
            self.transfer(data)
        elif verb == "STOR" and SCENARIO.startswith("digest-"):
            self.send("150 Send the data.")
            d = self.data_conn()
            if d is None:
                return True
            chunks = []
            while True:
                b = d.recv(65536)
                if not b:
                    break
                chunks.append(b)
            d.close()
            self.stored[arg] = b"".join(chunks)
            if SCENARIO == "digest-xcrc-damage" and self.stored[arg]:
                kept = bytearray(self.stored[arg])
                kept[len(kept) // 2] ^= 0x20
                self.stored[arg] = bytes(kept)
            log("STOR of %r: %d bytes" % (arg, len(self.stored[arg])))
            self.send("226 Stored.")
        elif verb == "DELE" and SCENARIO.startswith("digest-"):
            log("DELE of %r" % arg)
            self.stored.pop(arg, None)
            self.send("250 Deleted.")
        elif verb == "HASH" and SCENARIO == "digest-liar" and arg in self.stored:
            n = len(self.stored[arg])
            self.send("213 SHA-256 0-%d %s %s" % (n, hashlib.sha256(b"not what was sent").hexdigest(), arg))
        elif verb == "XSHA256" and SCENARIO.startswith("digest-") and arg in self.stored:
            self.send("250 %s" % hashlib.sha256(self.stored[arg]).hexdigest().upper())
        elif verb == "XCRC" and SCENARIO.startswith("digest-xcrc") and arg in self.stored:
            self.send("250 %X" % (zlib.crc32(self.stored[arg]) & 0xffffffff))
        elif verb == "ABOR":
            self.send("226 Abort successful.")
        elif verb == "QUIT":
            self.send("221 Goodbye.")
            return False
        else:
            self.send("502 Command not implemented.")
        return True


def serve(conn, peer):
    try:
        Session(conn, peer).run()
    except OSError as e:
        log("session ended: %s" % e)
    finally:
        conn.close()


def main():
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    with open(os.path.join(WORK, "port.tmp"), "w") as f:
        f.write("%d\n" % srv.getsockname()[1])
    os.rename(os.path.join(WORK, "port.tmp"), os.path.join(WORK, "port"))
    while time.monotonic() < DEADLINE:
        srv.settimeout(max(0.1, DEADLINE - time.monotonic()))
        try:
            conn, peer = srv.accept()
        except OSError:
            break
        log("control connection from %s:%d" % peer)
        if SCENARIO == "early-226":  # side by side: a batch's extra connections
            threading.Thread(target=serve, args=(conn, peer), daemon=True).start()
        else:
            serve(conn, peer)


main()
