#!/usr/bin/python3
"""tests/agent/client.py - a clamd-protocol client that misbehaves on purpose, for the agent suites.

Owns: one function per bad-input case; each sends its input, checks the reply, and main() then
checks that the agent still answers PING on a new connection. Must not: start or stop the agent.
Usage: client.py CASE UNIX_SOCKET [TCP_PORT|-] [ARG...]   exit 0 = case passed.
The parity_* cases send the same bytes to a real clamd too (ARG 1: its socket; ARG 2: the files of
tests/agent/agent-parity.sh) and check that both answer alike and as expected.
"""
import fnmatch, os, re, select, socket, struct, subprocess, sys, threading, time

SOCK = None
TCP = None
ARGS = []


def eicar():
    top = os.environ["top_srcdir"]
    return subprocess.run(["bash", "-c", '. "$0/tests/lib/clamd.sh"; eicar', top],
                          check=True, capture_output=True).stdout


def conn(tcp=False, timeout=10):
    if tcp:
        s = socket.create_connection(("127.0.0.1", TCP), timeout=timeout)
    else:
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(timeout)
        s.connect(SOCK)
    return s


def read_all(s, limit=1 << 20):
    out = b""
    try:
        while len(out) < limit:
            d = s.recv(65536)
            if not d:
                break
            out += d
    except ConnectionResetError:
        pass
    return out


def query(data, tcp=False, timeout=10):
    s = conn(tcp, timeout)
    try:
        s.sendall(data)
    except (BrokenPipeError, ConnectionResetError):
        pass
    out = read_all(s)
    s.close()
    return out


def chunk(b):
    return struct.pack(">I", len(b)) + b


def expect(got, want, what=""):
    if got != want:
        raise AssertionError("%s: expected %r, got %r" % (what, want, got))


def timed(fn):
    t = time.monotonic()
    r = fn()
    return r, time.monotonic() - t


def ping_ok():
    # A case that held many connections may have closed them a moment ago: until the agent has
    # seen those closes, a connection cap refuses. That refusal (and only it) is waited out.
    deadline = time.monotonic() + 5
    while True:
        got = query(b"zPING\0", timeout=5)
        if b"MAX CONNECTIONS" not in got or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    expect(got, b"PONG\0", "next client PING")


# ---- cases ----
def unknown():
    expect(query(b"zFOO\0"), b"UNKNOWN COMMAND\0")

def trailing():
    for cmd in (b"zPING x\0", b"zping\0", b"zSCAN\0", b"zSCAN \0"):
        expect(query(cmd), b"UNKNOWN COMMAND\0", cmd)

def oldstyle_instream():
    expect(query(b"INSTREAM\n"), b"UNKNOWN COMMAND\n")

def garbage():
    for data in (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", bytes(range(0x80, 0x100)) * 4):
        r, t = timed(lambda: query(data))
        expect(r, b"UNKNOWN COMMAND\n", data[:8])
        assert t < 2, "garbage took %.1fs" % t

def no_terminator():
    # CommandReadTimeout is 2 s in this suite
    r, t = timed(lambda: query(b"zPIN"))
    expect(r, b"COMMAND READ TIMED OUT\n")
    assert 1.5 < t < 6, "timeout after %.1fs" % t

def silent():
    r, t = timed(lambda: query(b""))
    expect(r, b"COMMAND READ TIMED OUT\n")
    assert 1.5 < t < 6, "timeout after %.1fs" % t

def too_long():
    r, t = timed(lambda: query(b"z" + b"A" * 5000))
    expect(r, b"COMMAND TOO LONG. ERROR\0")
    assert t < 2

def chunk_over_max():
    # StreamMaxLength is 1M in this suite; the reply comes before any payload
    r, t = timed(lambda: query(b"zINSTREAM\0" + struct.pack(">I", 2 << 20)))
    expect(r, b"INSTREAM size limit exceeded. ERROR\0")
    assert t < 2

def chunk_ffffffff():
    expect(query(b"zINSTREAM\0" + struct.pack(">I", 0xFFFFFFFF)),
           b"INSTREAM size limit exceeded. ERROR\0")

def cumulative_over_max():
    data = b"zINSTREAM\0" + chunk(b"a" * 600000) + chunk(b"b" * 600000) + chunk(b"")
    expect(query(data), b"INSTREAM size limit exceeded. ERROR\0")

def exactly_max():
    data = os.urandom(1 << 20)
    expect(query(b"zINSTREAM\0" + chunk(data[:1000]) + chunk(data[1000:]) + chunk(b"")),
           b"stream: OK\0")

def empty_stream():
    expect(query(b"zINSTREAM\0" + chunk(b"")), b"stream: OK\0")

def one_byte_chunks():
    e = eicar()
    s = conn()
    s.sendall(b"zINSTREAM\0")
    for c in e:
        s.sendall(chunk(bytes([c])))
    hdr = struct.pack(">I", 0)
    s.sendall(hdr[:2]); time.sleep(0.05); s.sendall(hdr[2:])
    r = read_all(s)
    assert r.startswith(b"stream: ") and r.endswith(b" FOUND\0"), r

def cut_mid_chunk():
    s = conn()
    s.sendall(b"zINSTREAM\0" + struct.pack(">I", 1000) + b"x" * 10)
    s.shutdown(socket.SHUT_WR)
    expect(read_all(s), b"", "no verdict for a cut stream")

def no_chunks():
    s = conn()
    s.sendall(b"zINSTREAM\0")
    s.shutdown(socket.SHUT_WR)
    expect(read_all(s), b"", "no verdict without chunks")

def stall_mid_stream():
    # ReadTimeout is 2 s in this suite
    s = conn()
    s.sendall(b"zINSTREAM\0" + chunk(b"abc") + struct.pack(">I", 100) + b"x")
    r, t = timed(lambda: read_all(s))
    expect(r, b"COMMAND READ TIMED OUT\n")
    assert t < 6, "stall detected after %.1fs" % t

def many_zero_chunks():
    expect(query(b"zINSTREAM\0" + chunk(b"hello") + struct.pack(">I", 0) * 5000),
           b"stream: OK\0")

def fildes_tcp():
    r, t = timed(lambda: query(b"zFILDES\0", tcp=True))
    expect(r, b"No file descriptor received. ERROR\0")
    assert t < 2

def fildes_none():
    r, t = timed(lambda: query(b"zFILDES\0"))
    expect(r, b"No file descriptor received. ERROR\0")
    assert t < 3

def send_fd(fd):
    s = conn()
    s.sendall(b"zFILDES\0")
    socket.send_fds(s, [b"\0"], [fd])
    r = read_all(s)
    s.close()
    return r

def fildes_dir():
    fd = os.open("/", os.O_RDONLY)
    r = send_fd(fd)
    os.close(fd)
    assert r.startswith(b"fd[") and r.endswith(b"]: Not a regular file ERROR\0"), r

def fildes_pipe():
    rfd, wfd = os.pipe()
    os.write(wfd, eicar())
    os.close(wfd)
    r = send_fd(rfd)
    os.close(rfd)
    assert r.endswith(b"]: Not a regular file ERROR\0"), r

def fildes_file():
    path = ARGS[0]
    with open(path, "wb") as f:
        f.write(b"clean " + os.urandom(32) + eicar())
    fd = os.open(path, os.O_RDONLY)
    r = send_fd(fd)
    os.close(fd)
    assert r.startswith(b"fd[") and r.endswith(b" FOUND\0"), r

def session_many():
    n = 5000
    s = conn()
    got = []
    def reader():
        got.append(read_all(s, limit=1 << 24))
    t = threading.Thread(target=reader); t.start()
    s.sendall(b"zIDSESSION\0" + b"zPING\0" * n + b"zEND\0")
    t.join(30)
    replies = got[0].split(b"\0")[:-1]
    expect(len(replies), n, "replies")
    expect(replies[0], b"1: PONG"); expect(replies[-1], b"%d: PONG" % n)

def session_mixed():
    e = eicar()
    r = query(b"zIDSESSION\0zPING\0zINSTREAM\0" + chunk(e) + chunk(b"") +
              b"zINSTREAM\0" + chunk(b"clean") + chunk(b"") + b"zEND\0")
    parts = sorted(r.split(b"\0")[:-1])
    expect(parts[0], b"1: PONG")
    assert parts[1].startswith(b"2: stream: ") and parts[1].endswith(b" FOUND"), parts
    expect(parts[2], b"3: stream: OK")

def session_invalid():
    for cmd in (b"zSHUTDOWN\0", b"zRELOAD\0", b"zIDSESSION\0", b"zCONTSCAN /tmp\0"):
        expect(query(b"zIDSESSION\0zPING\0" + cmd),
               b"1: PONG\0" + b"2: Command invalid inside IDSESSION. ERROR\0", cmd)

def session_oldstyle():
    r, t = timed(lambda: query(b"zIDSESSION\0PING\n"))
    expect(r, b"1: Only nCMDS\\n and zCMDS\\0 are accepted inside IDSESSION. ERROR\0"
              b"1: Error processing command. ERROR\0")
    assert t < 2

def end_without_session():
    expect(query(b"zEND\0"), b"UNKNOWN COMMAND\0")

def shutdown_tcp():
    expect(query(b"zSHUTDOWN\0", tcp=True), b"COMMAND UNAVAILABLE\0")
    expect(query(b"zRELOAD\0", tcp=True), b"COMMAND UNAVAILABLE\0")

def shutdown_unprivileged():
    expect(query(b"zSHUTDOWN\0"), b"COMMAND UNAVAILABLE\0")

def scan_tcp():
    expect(query(b"zSCAN /etc/hostname\0", tcp=True), b"COMMAND UNAVAILABLE\0")

def scan_missing():
    expect(query(b"zSCAN /nonexistent/x\0"),
           b"/nonexistent/x: File path check failure: No such file or directory. ERROR\0")

def scan_devnull():
    expect(query(b"zSCAN /dev/null\0"), b"/dev/null: Not supported file type ERROR\0")

def two_commands():
    expect(query(b"zPING\0zPING\0"), b"PONG\0")

def data_after_end():
    expect(query(b"zINSTREAM\0" + chunk(b"x") + chunk(b"") + b"garbage\xff" * 10),
           b"stream: OK\0")

def crlf():
    expect(query(b"nPING\r\n"), b"PONG\n")

def hold(tcp=False, source=None):
    """A connection the agent has accepted and still counts: an IDSESSION with one PING answered."""
    if tcp and source:
        s = socket.create_connection(("127.0.0.1", TCP), timeout=10, source_address=(source, 0))
    else:
        s = conn(tcp)
    s.sendall(b"zIDSESSION\0zPING\0")
    r = s.recv(64)
    if r != b"1: PONG\0":
        raise AssertionError("held connection: expected b'1: PONG\\0', got %r" % r)
    return s

def wait_served(tcp=False, source=None, limit=5):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            hold(tcp, source).close()
            return
        except (AssertionError, OSError):  # still refused: the close is not seen yet
            time.sleep(0.05)
    raise AssertionError("connections were not released")

def refused(want, tcp=False):
    r, t = timed(lambda: query(b"zPING\0", tcp))
    expect(r, want)
    assert t < 2, "refusal took %.1fs" % t

def max_connections():
    # ARG: MaxConnections; that many idle clients, the next is refused at once
    held = [hold() for _ in range(int(ARGS[0]))]
    refused(b"MAX CONNECTIONS REACHED. ERROR\n")
    for h in held:
        h.close()
    wait_served()

def per_client_cap():
    # ARGS: MaxConnectionsPerClient, unix|tcp. That many connections from this client are held;
    # its next is refused at once; (tcp) another address is still served; one closed frees a place.
    cap, tcp = int(ARGS[0]), ARGS[1] == "tcp"
    held = [hold(tcp) for _ in range(cap)]
    refused(b"MAX CONNECTIONS PER CLIENT REACHED. ERROR\n", tcp)
    if tcp:
        hold(True, "127.0.0.2").close()
    held.pop().close()
    wait_served(tcp)
    for h in held:
        h.close()

def slow_stream():
    # ARGS: StreamMinRate (bytes/s), StreamRateWindow (s). 10 bytes/s is cut after one window.
    rate, window = int(ARGS[0]), int(ARGS[1])
    assert rate * window > 10 * window * 2, "pick a rate well above 10 bytes/s"
    s = conn(timeout=5)
    s.sendall(b"zINSTREAM\0" + struct.pack(">I", 1 << 20))
    start, reply = time.monotonic(), b""
    while time.monotonic() - start < 4 * window + 5:
        try:
            s.sendall(b"x")
        except (BrokenPipeError, ConnectionResetError):
            pass
        r, _, _ = select.select([s], [], [], 0.1)
        if r:
            reply = read_all(s)
            break
    took = time.monotonic() - start
    s.close()
    expect(reply, b"INSTREAM data arrived too slowly (under StreamMinRate). ERROR\0")
    assert window - 0.5 <= took <= 2 * window + 2, "cut after %.1fs (window %ds)" % (took, window)

def paused_stream():
    # ARG: StreamRateWindow. Enough data, then a pause longer than the window, then the rest: OK.
    window = int(ARGS[0])
    s = conn(timeout=4 * window + 10)
    s.sendall(b"zINSTREAM\0" + chunk(os.urandom(65536)))
    time.sleep(window * 1.5)  # the behaviour under test: a pause across a window boundary
    s.sendall(chunk(os.urandom(65536)) + chunk(b""))
    expect(read_all(s), b"stream: OK\0")
    s.close()

def never_reads():
    s = conn()
    s.setblocking(False)
    data = b"zIDSESSION\0" + b"zVERSIONCOMMANDS\0" * 200000
    sent, start = 0, time.monotonic()
    while sent < len(data) and time.monotonic() - start < 20:
        try:
            sent += s.send(data[sent:sent + 65536])
        except BlockingIOError:
            time.sleep(0.01)
        except (BrokenPipeError, ConnectionResetError):
            break
    # the agent must have given up on us (SendBufTimeout) rather than block
    assert sent < len(data), "agent kept reading although nobody read its replies"
    s.close()

def ping_while_busy():
    # MaxThreads 1: a long scan occupies the only thread; PING must not wait for it
    path = ARGS[0]
    result = []
    def long_scan():
        fd = os.open(path, os.O_RDONLY)
        result.append(send_fd(fd))
        os.close(fd)
    t = threading.Thread(target=long_scan); t.start()
    time.sleep(0.3)
    r, dt = timed(lambda: query(b"zPING\0"))
    t.join(60)
    expect(r, b"PONG\0")
    assert dt < 0.5, "PING took %.2fs while the scan ran" % dt
    assert result and result[0].endswith(b": OK\0"), result

def poll_stats(needle, limit=20):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if needle in query(b"zSTATS\0"):
            return
        time.sleep(0.02)
    raise AssertionError("STATS never showed %r" % needle)

def queue_full():
    # MaxThreads 1, MaxQueue 1: one scan runs, one waits, the next is refused at once
    big = ARGS[0]
    res = {}
    def scan_big():
        fd = os.open(big, os.O_RDONLY)
        res["a"] = send_fd(fd)
        os.close(fd)
    def scan_small():
        res["b"] = query(b"zINSTREAM\0" + chunk(os.urandom(100)) + chunk(b""), timeout=60)
    ta = threading.Thread(target=scan_big); ta.start()
    poll_stats(b"live 1  idle 0")
    tb = threading.Thread(target=scan_small); tb.start()
    poll_stats(b"QUEUE: 1 items")
    r, t = timed(lambda: query(b"zINSTREAM\0" + chunk(b"third") + chunk(b"")))
    ta.join(60); tb.join(60)
    expect(r, b"MAX QUEUE REACHED, try again later. ERROR\0", "third scan")
    assert t < 1, "refusal took %.2fs" % t
    assert res.get("a", b"").endswith(b": OK\0"), res
    expect(res.get("b"), b"stream: OK\0", "queued scan")

def reload_under_load():
    # 50 scans in flight while RELOAD swaps the engine: every one gets its right verdict
    e = eicar()
    results = [None] * 50
    def one(i):
        body = os.urandom(64) + (e if i % 2 else b"clean")
        s = conn(timeout=30)
        s.sendall(b"zINSTREAM\0" + chunk(body[:40]))
        time.sleep(0.2)
        s.sendall(chunk(body[40:]) + chunk(b""))
        results[i] = read_all(s)
        s.close()
    ts = [threading.Thread(target=one, args=(i,)) for i in range(50)]
    for t in ts: t.start()
    time.sleep(0.1)
    expect(query(b"zRELOAD\0"), b"RELOADING\0", "RELOAD")
    for t in ts: t.join(60)
    for i, r in enumerate(results):
        want = b" FOUND\0" if i % 2 else b"stream: OK\0"
        assert r is not None and r.endswith(want), "scan %d: %r" % (i, r)

def reload_cmd():
    expect(query(b"zRELOAD\0"), b"RELOADING\0")

def eicar_found():
    r = query(b"zINSTREAM\0" + chunk(os.urandom(16) + eicar()) + chunk(b""))
    assert r.startswith(b"stream: ") and r.endswith(b" FOUND\0"), r

def stream_file():
    # ARG: file, expected kind (OK|FOUND|ERROR|NOTOK, or the reply's text with * wildcards)
    path, want = ARGS[0], ARGS[1]
    data = open(path, "rb").read()
    body = b"".join(chunk(data[i:i + 65536]) for i in range(0, len(data), 65536))
    r = query(b"zINSTREAM\0" + body + chunk(b""), timeout=60)
    print("# reply:", r)
    if want == "NOTOK":
        assert r and r != b"stream: OK\0", r
    elif "*" in want:
        assert fnmatch.fnmatchcase(r.decode(errors="replace"), "stream: %s\0" % want), r
    else:
        assert r.endswith((" %s\0" % want).encode()) or r.endswith((": %s\0" % want).encode()), r

def stats():
    r = query(b"zSTATS\0")
    assert r.startswith(b"POOLS: 1\n") and r.endswith(b"END\0"), r
    if ARGS:
        assert ARGS[0].encode() in r, r


# ---- parity: the same bytes to clamd (ARGS[0]) and to the agent; the replies must be equal ----
def one_conn(path, steps, timeout=10):
    """steps: bytes to send, (bytes, fd) to send with a descriptor, or seconds to wait."""
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(timeout)
    s.connect(path)
    try:
        for step in steps:
            if isinstance(step, float):
                time.sleep(step)
            elif isinstance(step, tuple):
                socket.send_fds(s, [step[0]], [step[1]])
            else:
                s.sendall(step)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the daemon closed early: what it said is the answer
    out = read_all(s)
    s.close()
    return re.sub(rb"fd\[\d+\]", b"fd[N]", out)  # descriptor numbers are each daemon's own


def replies(data):
    """The replies of one connection, sorted (IDSESSION's may come in any order)."""
    sep = b"\0" if data.endswith(b"\0") else b"\n"
    return sorted(r for r in data.split(sep) if r)


def both(*steps, unordered=False):
    got = [one_conn(path, steps) for path in (ARGS[0], SOCK)]
    same = replies(got[0]) == replies(got[1]) if unordered else got[0] == got[1]
    if not same:
        raise AssertionError("%r: clamd %r, agent %r" % (steps[0], got[0], got[1]))
    return got[1]


def both_expect(want, *steps, unordered=False):
    got = both(*steps, unordered=unordered)
    if unordered:
        expect(replies(got), replies(want), steps[0])
    else:
        expect(got, want, steps[0])


def files(*names):
    return [os.path.join(ARGS[1], n) for n in names]


COMMANDS = (b"| COMMANDS: SCAN QUIT RELOAD PING CONTSCAN VERSIONCOMMANDS VERSION END SHUTDOWN "
            b"MULTISCAN FILDES STATS IDSESSION INSTREAM DETSTATSCLEAR DETSTATS ALLMATCHSCAN")


def parity_prefixes():
    for req, want in ((b"zPING\0", b"PONG\0"), (b"nPING\n", b"PONG\n"), (b"PING\n", b"PONG\n"),
                      (b"PING", b"PONG\n"), (b"nPING\r\n", b"PONG\n"),
                      (b"zping\0", b"UNKNOWN COMMAND\0"), (b"zPING x\0", b"UNKNOWN COMMAND\0"),
                      (b"VERSIONCOMMANDS\n", b"UNKNOWN COMMAND\n"),
                      (b"IDSESSION\n", b"UNKNOWN COMMAND\n"), (b"STATS\n", b"UNKNOWN COMMAND\n"),
                      (b"zEND\0", b"UNKNOWN COMMAND\0"), (b"zSCAN\0", b"UNKNOWN COMMAND\0")):
        both_expect(want, req)
    version = both(b"zVERSION\0")
    assert re.fullmatch(rb"ClamAV 1\.\d+\.\d+(/\d+/.+)?\0", version), version
    for req, term in ((b"VERSION\n", b"\n"), (b"nVERSION\n", b"\n"), (b"VERSION", b"\n")):
        both_expect(version[:-1] + term, req)
    base = version[:-1].split(b"/")[0]
    both_expect(base + COMMANDS + b"\0", b"zVERSIONCOMMANDS\0")
    both_expect(base + COMMANDS + b"\n", b"nVERSIONCOMMANDS\n")
    both_expect(b"", b"zDETSTATS\0")
    # a device named: clamd's refusal (clamd then adds "OK"; the agent never does)
    dev = one_conn(ARGS[0], (b"zSCAN /dev/null\0",))
    expect(dev, b"/dev/null: Not supported file type ERROR\0/dev/null: OK\0", "clamd, /dev/null")
    expect(query(b"zSCAN /dev/null\0"), dev.split(b"\0")[0] + b"\0", "agent, /dev/null")


def parity_compat():
    clean, eicar_file, missing = files("clean.txt", "eicar.com", "missing")
    for cmd in (b"SCAN", b"CONTSCAN", b"MULTISCAN", b"ALLMATCHSCAN"):
        forms = [(b"z", b"\0"), (b"n", b"\n")]
        if cmd != b"ALLMATCHSCAN":
            forms.append((b"", b"\n"))  # clamd's old style: not for ALLMATCHSCAN
        if cmd != b"ALLMATCHSCAN":  # old style, one packet without a terminator
            both_expect(clean.encode() + b": OK\n", cmd + b" " + clean.encode())
        for prefix, term in forms:
            req = lambda path: prefix + cmd + b" " + path.encode() + term
            both_expect(clean.encode() + b": OK" + term, req(clean))
            both_expect(missing.encode() +
                        b": File path check failure: No such file or directory. ERROR" + term,
                        req(missing))
            if cmd != b"ALLMATCHSCAN":  # EICAR's two matches: parity_allmatch
                got = both(req(eicar_file))
                assert got.startswith(eicar_file.encode() + b": Clamftp.Test.EICAR."), got
    both_expect(b"UNKNOWN COMMAND\n", b"ALLMATCHSCAN " + clean.encode() + b"\n")


def parity_session():
    clean, eicar_file = files("clean.txt", "eicar.com")
    e = eicar()
    steps = (b"zIDSESSION\0zPING\0zVERSION\0zSCAN " + clean.encode() + b"\0zINSTREAM\0" +
             chunk(e) + chunk(b"") + b"zINSTREAM\0" + chunk(b"fine") + chunk(b"") +
             b"zSCAN " + eicar_file.encode() + b"\0zPING\0zEND\0",)
    got = both(*steps, unordered=True)
    r = replies(got)
    expect(len(r), 7, "replies")
    expect(r[0], b"1: PONG")
    assert r[1].startswith(b"2: ClamAV "), r
    expect(r[2], b"3: " + clean.encode() + b": OK")
    assert r[3].startswith(b"4: stream: Clamftp.Test.EICAR.") and r[3].endswith(b" FOUND"), r
    expect(r[4], b"5: stream: OK")
    assert r[5].startswith(b"6: " + eicar_file.encode() + b": Clamftp.Test.EICAR."), r
    expect(r[6], b"7: PONG")
    both_expect(b"1: PONG\n2: PONG\n", b"nIDSESSION\nnPING\nnPING\nnEND\n")
    # one byte at a time (nothing after the SCAN: clamd answers a session's commands on several
    # threads and, under load, may write one reply's "N: " into the middle of another's)
    slow = b"zIDSESSION\0zPING\0zSCAN " + clean.encode() + b"\0zEND\0"
    got = both(*[slow[i:i + 1] for i in range(len(slow))], unordered=True)
    expect(replies(got)[:2], [b"1: PONG", b"2: " + clean.encode() + b": OK"], "byte by byte")
    for cmd in (b"CONTSCAN /tmp", b"MULTISCAN /tmp", b"ALLMATCHSCAN " + clean.encode(), b"RELOAD",
                b"IDSESSION"):
        both_expect(b"1: PONG\x002: Command invalid inside IDSESSION. ERROR\0",
                    b"zIDSESSION\0zPING\0z" + cmd + b"\0")


def parity_fildes():
    clean, eicar_file = files("clean.txt", "eicar.com")
    fd_clean, fd_bad = os.open(clean, os.O_RDONLY), os.open(eicar_file, os.O_RDONLY)
    both_expect(b"fd[N]: OK\0", b"zFILDES\0", (b"\0", fd_clean))
    both_expect(b"fd[N]: OK\n", b"nFILDES\n", (b"\0", fd_clean))
    both_expect(b"fd[N]: OK\n", b"FILDES\n", (b"\0", fd_clean))
    # the command and its extra byte in the one message that carries the descriptor
    both_expect(b"fd[N]: OK\0", (b"zFILDES\0\0", fd_clean))
    both_expect(b"fd[N]: OK\n", (b"FILDES\n\0", fd_clean))
    got = both(b"zFILDES\0", (b"\0", fd_bad))
    assert got.startswith(b"fd[N]: Clamftp.Test.EICAR.") and got.endswith(b" FOUND\0"), got
    both_expect(b"1: fd[N]: OK\x002: PONG\0", b"zIDSESSION\0zFILDES\0", (b"\0", fd_clean), 0.2,
                b"zPING\0zEND\0", unordered=True)
    # FILDES that brought no descriptor: clamd 1.4's words, and the connection ends
    both_expect(b"No file descriptor received. ERROR\0", b"zFILDES\0X")
    both_expect(b"No file descriptor received. ERROR\n", b"nFILDES\nX")
    both_expect(b"1: No file descriptor received. ERROR\0", b"zIDSESSION\0zFILDES\0X")
    os.close(fd_clean)
    os.close(fd_bad)


STRAY = b"PROTOCOL ERROR: ancillary data sent without FILDES. ERROR"


def parity_stray_fd():
    fd = os.open(files("clean.txt")[0], os.O_RDONLY)
    both_expect(b"1: " + STRAY + b"\0", (b"zIDSESSION\0", fd))
    both_expect(b"1: " + STRAY + b"\0", (b"zIDSESSION\0\0", fd))
    both_expect(b"1: " + STRAY + b"\n", (b"nIDSESSION\n", fd))
    both_expect(b"1: PONG\x002: " + STRAY + b"\0", b"zIDSESSION\0", 0.2, (b"zPING\0", fd), 0.2,
                b"zEND\0")
    # the descriptor is not kept for a later FILDES
    both_expect(b"1: " + STRAY + b"\0", (b"zIDSESSION\0", fd), 0.3, b"zFILDES\0", 0.3, b"zEND\0")
    # outside a session the command is answered and the connection ends, as before
    both_expect(b"PONG\0", (b"zPING\0", fd))
    os.close(fd)


def parity_oldstyle_in_session():
    old = b"Only nCMDS\\n and zCMDS\\0 are accepted inside IDSESSION. ERROR"
    both_expect(b"1: PONG\x002: " + old + b"\x002: Error processing command. ERROR\0",
                b"zIDSESSION\0zPING\0", 0.3, b"PING\n")
    both_expect(b"1: PONG\n2: " + old + b"\n2: Error processing command. ERROR\n",
                b"nIDSESSION\nnPING\n", 0.3, b"PING\n")


def parity_stats():
    for req, prefix, term in ((b"zSTATS\0", b"", b"\0"), (b"nSTATS\n", b"", b"\n"),
                              (b"zIDSESSION\0zSTATS\0zEND\0", b"1: ", b"\0")):
        for path in (ARGS[0], SOCK):
            r = one_conn(path, (req,))
            assert r.startswith(prefix + b"POOLS: 1\n\nSTATE: VALID PRIMARY\nTHREADS: live "), r
            assert b"\nQUEUE: " in r and b"\nMEMSTATS: " in r and r.endswith(b"\nEND" + term), r


def parity_instream():
    # StreamMaxLength 1M in both
    both_expect(b"INSTREAM size limit exceeded. ERROR\0", b"zINSTREAM\0" + struct.pack(">I", 2 << 20))
    both_expect(b"INSTREAM size limit exceeded. ERROR\0", b"zINSTREAM\0" + struct.pack(">I", 0xFFFFFFFF))
    both_expect(b"INSTREAM size limit exceeded. ERROR\0",
                b"zINSTREAM\0" + chunk(b"a" * 600000) + chunk(b"b" * 600000) + chunk(b""))
    data = os.urandom(1 << 20)
    both_expect(b"stream: OK\0", b"zINSTREAM\0" + chunk(data[:1000]) + chunk(data[1000:]) + chunk(b""))
    both_expect(b"stream: OK\n", b"nINSTREAM\n" + chunk(b"") )
    both_expect(b"UNKNOWN COMMAND\n", b"INSTREAM\n")
    got = both(b"zINSTREAM\0" + chunk(eicar()) + chunk(b""))
    assert got.startswith(b"stream: Clamftp.Test.EICAR.") and got.endswith(b" FOUND\0"), got


def parity_allmatch():
    multi, eicar_file = files("multi.bin", "eicar.com")
    want = b"".join(b"%s: Clamftp.Parity.%s.UNOFFICIAL FOUND\0" % (multi.encode(), n)
                    for n in (b"One", b"Two", b"Three", b"Four"))
    both_expect(want, b"zALLMATCHSCAN " + multi.encode() + b"\0", unordered=True)
    got = both(b"zSCAN " + multi.encode() + b"\0")
    assert got.count(b" FOUND\0") == 1 and got.startswith(multi.encode() + b": Clamftp.Parity."), got
    got = both(b"zALLMATCHSCAN " + eicar_file.encode() + b"\0", unordered=True)
    expect(replies(got), [eicar_file.encode() + b": Clamftp.Test.EICAR.%s.UNOFFICIAL FOUND" % k
                          for k in (b"HDB", b"NDB")], "EICAR, all matches")
    # FILDES and INSTREAM stay first-match, in clamd too
    got = both(b"zINSTREAM\0" + chunk(open(multi, "rb").read()) + chunk(b""))
    assert got.count(b" FOUND") == 1, got


def parity_trees():
    tree = files("tree")[0].encode()
    for cmd in (b"CONTSCAN", b"MULTISCAN", b"SCAN", b"ALLMATCHSCAN"):
        got = both(b"z" + cmd + b" " + tree + b"\0", unordered=True)
        found = [r for r in replies(got) if r.endswith(b" FOUND")]
        assert found and all(r.startswith(tree + b"/") for r in found), got
        if cmd in (b"CONTSCAN", b"MULTISCAN"):
            expect(len(found), 2, cmd + b": infected files")
        assert not got.endswith(tree + b": OK\0"), got
    got = both(b"zCONTSCAN " + tree + b"/clean\0")
    expect(got, tree + b"/clean: OK\0", "clean subtree")


def parity_exclude():
    tree = files("tree")[0].encode()
    # ExcludePath "/skip" and "\.excluded$" in both
    both_expect(tree + b"/a.excluded: Excluded\0", b"zSCAN " + tree + b"/a.excluded\0")
    both_expect(tree + b"/a.excluded: Excluded\0", b"zMULTISCAN " + tree + b"/a.excluded\0")
    got = both(b"zCONTSCAN " + tree + b"\0", unordered=True)
    for r in (tree + b"/a.excluded: Excluded", tree + b"/skip: Excluded"):
        assert r in replies(got), (r, got)
    got = both(b"zMULTISCAN " + tree + b"\0", unordered=True)
    assert b"Excluded" not in got, got


def parity_symlink():
    link, target = files("link-to-eicar", "eicar.com")
    # clamd says OK for a link it never follows (FollowFileSymlinks no); the agent refuses it
    expect(one_conn(ARGS[0], (b"zSCAN " + link.encode() + b"\0",)), link.encode() + b": OK\0")
    expect(query(b"zSCAN " + link.encode() + b"\0"),
           link.encode() + b": Symbolic link not followed. ERROR\0")




def parity_depth():
    # EICAR 16 directories down, one past MaxDirectoryRecursion 15: clamd skips that directory
    # and says OK; the agent names it and does not say OK
    deep = files("deep")[0].encode()
    expect(one_conn(ARGS[0], (b"zCONTSCAN " + deep + b"\0",)), deep + b": OK\0", "clamd")
    d16 = deep + b"".join(b"/d%d" % i for i in range(1, 17))
    expect(query(b"zCONTSCAN " + deep + b"\0"),
           d16 + b": Directory recursion limit reached. ERROR\0", "agent")
    # one level less: both find it
    got = both(b"zCONTSCAN " + deep + b"/d1\0")
    assert got.endswith(b"/d16/eicar.txt: Clamftp.Test.EICAR.NDB.UNOFFICIAL FOUND\0"), got


def parity_one():
    """ARGS: clamd's socket, a command: sent z-prefixed to both; prints the (same) reply."""
    got = both(b"z" + ARGS[1].encode() + b"\0")
    sys.stdout.buffer.write(got.rstrip(b"\0"))


def parity_agent_stream():
    """ARG: a file, sent to the agent alone with INSTREAM; prints the reply."""
    data = open(ARGS[0], "rb").read()
    print(query(b"zINSTREAM\0" + chunk(data) + chunk(b"")).rstrip(b"\0").decode())


def main():
    global SOCK, TCP, ARGS
    case, SOCK = sys.argv[1], sys.argv[2]
    if len(sys.argv) > 3 and sys.argv[3] != "-":
        TCP = int(sys.argv[3])
    ARGS = sys.argv[4:]
    try:
        globals()[case]()
        if case not in ("shutdown_unprivileged",):
            ping_ok()
    except Exception as ex:  # noqa: BLE001 - report every failure the same way
        print("%s: %s: %s" % (case, type(ex).__name__, ex))
        sys.exit(1)


if __name__ == "__main__":
    main()
