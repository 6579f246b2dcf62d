#!/usr/bin/env python3
"""tests/fuzz/agent-live.py — the live fuzz of clamav-agent: mutated clamd traffic against the real
agent (built with ASan by tools/fuzz) on a unix socket of a private directory.

Owns: the kinds of hostile traffic (z/n/old prefixes, IDSESSION nesting, INSTREAM with bad chunk
lengths, FILDES without or with wrong descriptors, huge lines, slow writes, abrupt closes and
resets, RELOAD under load, random mutations of good transcripts) and the checks: after every 100
inputs the process lives, PING answers PONG, a clean stream is OK and the EICAR test bytes (made
here, never stored) are FOUND; at the end SIGTERM stops it with status 0 and no sanitizer report.
Must not: touch anything outside its temporary directory.

Usage: agent-live.py --agent PATH --signatures DIR --seconds N [--seed N]
Exit status: 0 clean, 1 findings (what and the last inputs are printed), 2 the agent did not start.
"""
import argparse
import array
import os
import random
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

EICAR_HEX = ("58354f2150254041505b345c505a58353428505e2937434329377d2445494341522d5354414e444152"
             "442d414e544956495255532d544553542d46494c452124482b482a")
EICAR = bytes.fromhex(EICAR_HEX)
COMMANDS = ["PING", "VERSION", "VERSIONCOMMANDS", "STATS", "INSTREAM", "FILDES", "IDSESSION",
            "END", "SCAN", "CONTSCAN", "MULTISCAN", "ALLMATCHSCAN", "RELOAD", "DETSTATS",
            "DETSTATSCLEAR", "UNKNOWN", "ping", ""]


class Agent:
    def __init__(self, binary, signatures, work):
        self.work = work
        self.sock = os.path.join(work, "agent.sock")
        tmp = os.path.join(work, "tmp")
        os.mkdir(tmp, 0o700)
        conf = os.path.join(work, "agent.conf")
        with open(conf, "w") as f:
            f.write("\n".join([
                "LocalSocket " + self.sock, "DatabaseDirectory " + signatures,
                "TemporaryDirectory " + tmp, "LogFile " + os.path.join(work, "agent.log"),
                "Foreground yes", "Bytecode no", "MaxThreads 4", "MaxQueue 8",
                "MaxConnections 40", "MaxConnectionsPerClient 40", "ReadTimeout 1",
                "CommandReadTimeout 1", "SendBufTimeout 1000", "StreamMaxLength 1M",
                "StreamMemoryMax 64K", ""]))
        env = dict(os.environ)
        self.reports = os.path.join(work, "sanitizer")
        env["ASAN_OPTIONS"] = "detect_leaks=1:abort_on_error=0:exitcode=99:log_path=" + self.reports
        env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1:exitcode=99:log_path=" + self.reports
        self.out = open(os.path.join(work, "agent.out"), "w")
        self.proc = subprocess.Popen([binary, "--config", conf], stdin=subprocess.DEVNULL,
                                     stdout=self.out, stderr=subprocess.STDOUT, env=env)

    def alive(self):
        return self.proc.poll() is None

    def connect(self, timeout=5.0):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(timeout)
        s.connect(self.sock)
        return s

    def wait_ready(self, seconds=60):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if not self.alive():
                return False
            try:
                if exchange(self, b"zPING\0") == b"PONG\0":
                    return True
            except OSError:
                pass
            time.sleep(0.05)
        return False

    def reports_found(self):
        return sorted(f for f in os.listdir(self.work) if f.startswith("sanitizer"))

    def stop(self):
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None
        finally:
            self.out.close()


def read_all(s, limit=1 << 20):
    data = b""
    try:
        while len(data) < limit:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, ConnectionError):
        pass
    return data


def exchange(agent, payload, timeout=5.0):
    with agent.connect(timeout) as s:
        s.sendall(payload)
        return read_all(s)


def patience(rng):
    """How long a client waits for replies before it closes: mostly short (the agent then sees a
    client leave mid-request), sometimes past the agent's ReadTimeout."""
    return rng.choice([0.1, 0.1, 0.3, 0.3, 0.3, 1.5])


def chunk(data, length=None):
    return struct.pack(">I", len(data) if length is None else length & 0xFFFFFFFF) + data


def instream(data):
    return b"zINSTREAM\0" + chunk(data) + chunk(b"")


# ---- the kinds of input: each returns (description, function(agent, rng)) ----

def frame(rng, command):
    prefix = rng.choice(["z", "n", "", "z", "n"])
    term = {"z": b"\0", "n": b"\n", "": b"\n"}[prefix]
    if rng.random() < 0.1:
        term = rng.choice([b"", b"\r\n", b"\0\0", b"\n\n"])
    return prefix.encode() + command.encode() + term


def gen_prefixes(rng):
    wait = patience(rng)
    cmds = [rng.choice(COMMANDS) + (" tree" if rng.random() < 0.1 else "") for _ in range(rng.randint(1, 4))]
    payload = b"".join(frame(rng, c).replace(b"SCAN tree", b"SCAN /nonexistent") for c in cmds)
    return "prefixes %r" % payload[:80], lambda a: exchange(a, payload, wait)


def gen_session(rng):
    wait = patience(rng)
    parts = [b"zIDSESSION\0"]
    for _ in range(rng.randint(1, 12)):
        kind = rng.random()
        if kind < 0.15:
            parts.append(rng.choice([b"zIDSESSION\0", b"nIDSESSION\n"]))
        elif kind < 0.35:
            parts.append(instream(rng.choice([b"clean", EICAR, os.urandom(rng.randint(0, 3000))])))
        elif kind < 0.45:
            parts.append(rng.choice([b"zEND\0", b"nEND\n", b"END\n"]))
        elif kind < 0.55:
            parts.append(rng.choice([b"PING\n", b"zFILDES\0", b"nSTATS\n", b"zRELOAD\0"]))
        else:
            parts.append(frame(rng, rng.choice(["PING", "VERSION", "STATS", "VERSIONCOMMANDS"])))
    payload = b"".join(parts)
    return "idsession %d bytes" % len(payload), lambda a: exchange(a, payload, wait)


def gen_instream_bad(rng):
    wait = patience(rng)
    body = os.urandom(rng.randint(0, 200))
    bad = rng.choice([
        chunk(body, len(body) + rng.randint(1, 100000)),        # promises more than it sends
        chunk(body, 0xFFFFFFFF),                                # over StreamMaxLength
        chunk(body, 2 * 1024 * 1024),                           # over StreamMaxLength
        struct.pack(">I", len(body))[: rng.randint(0, 3)],      # a length cut short
        chunk(body) + chunk(b"x" * 10, 5),                      # the next length inside data
        chunk(body) * rng.randint(1, 50),                       # no zero chunk
        b"".join(chunk(b"a" * 65536) for _ in range(17)) + chunk(b""),  # just over 1 MiB
    ])
    payload = rng.choice([b"zINSTREAM\0", b"nINSTREAM\n", b"INSTREAM\n"]) + bad
    return "instream-bad %r" % payload[:40], lambda a: exchange(a, payload, wait)


def fildes_fds(rng, work):
    kind = rng.randrange(7)
    if kind == 0:
        r, w = os.pipe()
        os.close(w)
        return "pipe", [r]
    if kind == 1:
        return "directory", [os.open(work, os.O_RDONLY | os.O_DIRECTORY)]
    if kind == 2:
        a, b = socket.socketpair()
        b.close()
        return "socket", [a.detach()]
    if kind == 3:
        return "/dev/null", [os.open("/dev/null", os.O_RDONLY)]
    if kind == 4:
        path = os.path.join(work, "wo")
        with open(path, "wb") as f:
            f.write(b"clean")
        return "write-only", [os.open(path, os.O_WRONLY)]
    if kind == 5:
        fds = []
        for _ in range(rng.randint(2, 8)):
            fd = os.memfd_create("m")
            os.write(fd, rng.choice([b"clean", EICAR]))
            fds.append(fd)
        return "%d memfds" % len(fds), fds
    fd = os.memfd_create("m")
    os.write(fd, EICAR)
    return "eicar memfd", [fd]


def gen_fildes(rng, work):
    how = rng.randrange(4)
    command = rng.choice([b"zFILDES\0", b"nFILDES\n", b"FILDES\n"])
    desc, fds = ("none", []) if how == 0 else fildes_fds(rng, work)

    def run(agent):
        with agent.connect(patience(rng)) as s:
            try:
                if how == 0:
                    s.sendall(command)
                elif how == 1:
                    socket.send_fds(s, [command], fds)        # descriptors on the command
                elif how == 2:
                    s.sendall(command)
                    socket.send_fds(s, [b"\0"], fds)          # the usual way: one byte after
                else:
                    s.sendall(b"zIDSESSION\0" + command)
                    socket.send_fds(s, [b"\0"], fds)
                    s.sendall(b"zFILDES\0zEND\0")             # a second FILDES without one
            finally:
                for fd in fds:
                    os.close(fd)
            return read_all(s)
    return "fildes %s with %s" % (command[:-1].decode(), desc), run


def gen_huge(rng):
    wait = patience(rng)
    n = rng.choice([4100, 4104, 4105, 8192, 65536, 1 << 20])
    body = rng.choice([b"A", b"z", b"n", b"\xff"]) * n
    payload = rng.choice([b"", b"z", b"n", b"zIDSESSION\0z"]) + body + rng.choice([b"", b"\0", b"\n"])
    return "huge line %d" % n, lambda a: exchange(a, payload, wait)


def gen_slow(rng):
    payload = rng.choice([b"zPING\0", b"nVERSION\n", instream(b"slow data" * 20),
                          b"zIDSESSION\0zPING\0zEND\0"])
    pause = rng.choice([0.001, 0.005, 0.02])

    def run(agent):
        with agent.connect(5) as s:
            for i in range(len(payload)):
                s.send(payload[i:i + 1])
                time.sleep(pause)
            return read_all(s)
    return "slow %d bytes, %.3f s apart" % (len(payload), pause), run


def gen_abrupt(rng):
    payload = rng.choice([b"zINSTREAM\0" + chunk(b"x" * 1000)[:600], b"zIDSESSION\0zPING\0",
                          b"zINSTREAM\0" + chunk(EICAR), b"nSTATS\n", b"zFIL"])
    reset = rng.random() < 0.5

    def run(agent):
        s = agent.connect(3)
        s.sendall(payload)
        if reset:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()
        return b""
    return "abrupt close%s" % (" (reset)" if reset else ""), run


def gen_reload_under_load(rng):
    def run(agent):
        errors = []

        def scanner():
            for _ in range(5):
                try:
                    exchange(agent, instream(rng.choice([b"clean" * 100, EICAR])), 10)
                except OSError as e:
                    errors.append(e)
        threads = [threading.Thread(target=scanner) for _ in range(4)]
        for t in threads:
            t.start()
        exchange(agent, rng.choice([b"zRELOAD\0", b"nRELOAD\n", b"RELOAD\n"]), 5)
        for t in threads:
            t.join()
        return b""
    return "reload under load", run


GOOD = [b"zPING\0", instream(b"hello"), b"zIDSESSION\0zPING\0nVERSION\n" + instream(b"x") + b"zEND\0",
        b"nVERSIONCOMMANDS\n", b"zSTATS\0"]


def gen_mutated(rng):
    wait = patience(rng)
    data = bytearray(rng.choice(GOOD))
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(4)
        pos = rng.randrange(len(data) + 1)
        if op == 0 and data:
            data[pos % len(data)] ^= 1 << rng.randrange(8)
        elif op == 1:
            data[pos:pos] = bytes([rng.randrange(256)])
        elif op == 2 and data:
            del data[pos % len(data)]
        else:
            data[pos:pos] = rng.choice([b"\0", b"\n", b"z", b"\xff\xff\xff\xff", b"zIDSESSION\0"])
    payload = bytes(data)
    return "mutated %r" % payload[:60], lambda a: exchange(a, payload, wait)


def checkpoint(agent):
    """The agent lives and answers: PING, a clean stream OK, the test bytes FOUND."""
    if not agent.alive():
        return "the agent died (status %s)" % agent.proc.returncode
    try:
        pong = exchange(agent, b"zPING\0", 10)
        if pong != b"PONG\0":
            return "PING answered %r" % pong
        ok = exchange(agent, instream(b"clean bytes"), 10)
        if ok != b"stream: OK\0":
            return "a clean stream answered %r" % ok
        found = exchange(agent, instream(EICAR), 10)
        if not (found.startswith(b"stream: ") and found.endswith(b" FOUND\0")):
            return "the test bytes answered %r" % found
    except OSError as e:
        return "the check failed: %s" % e
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agent", required=True)
    ap.add_argument("--signatures", required=True)
    ap.add_argument("--seconds", type=int, required=True)
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    work = tempfile.mkdtemp(prefix="clamftp-agent-live-")
    agent = Agent(args.agent, args.signatures, work)
    print("agent-live: seed %d, %d s, work in %s" % (seed, args.seconds, work), flush=True)
    if not agent.wait_ready():
        print("agent-live: the agent did not start; its output:")
        agent.stop()
        sys.stdout.write(open(os.path.join(work, "agent.out")).read())
        return 2
    kinds = [gen_prefixes, gen_session, gen_instream_bad, lambda r: gen_fildes(r, work), gen_huge,
             gen_slow, gen_abrupt, gen_mutated, gen_reload_under_load]
    weights = [14, 14, 14, 14, 8, 4, 10, 20, 2]
    recent = []
    inputs = checks = 0
    finding = None
    end = time.monotonic() + args.seconds
    while time.monotonic() < end and finding is None:
        desc, run = rng.choices(kinds, weights)[0](rng)
        recent = (recent + [desc])[-100:]
        try:
            run(agent)
        except OSError:
            pass  # the agent may close on us: that is allowed, dying is not
        inputs += 1
        if inputs % 100 == 0:
            checks += 1
            finding = checkpoint(agent)
    if finding is None:
        checks += 1
        finding = checkpoint(agent)
    status = agent.stop()
    reports = agent.reports_found()
    problems = []
    if finding:
        problems.append(finding)
    if status != 0:
        problems.append("SIGTERM ended the agent with status %s" % status)
    for r in reports:
        problems.append("sanitizer report %s" % os.path.join(work, r))
    print("agent-live: %d inputs, %d checks (PING, clean OK, test bytes FOUND), %d finding(s)"
          % (inputs, checks, len(problems)))
    if not problems:
        shutil.rmtree(work, ignore_errors=True)
        return 0
    for p in problems:
        print("agent-live: FINDING: " + p)
    for r in reports:
        with open(os.path.join(work, r)) as f:
            print("".join(f.readlines()[:40]))
    print("agent-live: the last inputs (seed %d), oldest first:" % seed)
    for d in recent[-20:]:
        print("   " + d)
    print("agent-live: kept %s (agent.log, agent.out)" % work)
    return 1


if __name__ == "__main__":
    sys.exit(main())
