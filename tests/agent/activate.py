#!/usr/bin/python3
"""tests/agent/activate.py - starts a program the way systemd's socket activation does.

Owns: making the listening sockets, putting them at descriptors 3, 4, ... and setting LISTEN_FDS
and LISTEN_PID (sd_listen_fds(3)); then it execs the program, which keeps this pid.
Must not: accept connections or talk to the program.
Usage: activate.py SPEC... -- PROGRAM ARG...
  unix:PATH   a listening unix stream socket at PATH (made here, mode 0660)
  tcp:PORT    a listening TCP socket on 127.0.0.1:PORT
  file:PATH   PATH opened for reading (not a socket: the program must refuse it)
  dgram:PATH  a unix datagram socket at PATH (not a stream: the program must refuse it)
"""
import os, socket, sys


def make(spec):
    kind, _, arg = spec.partition(":")
    if kind == "unix":
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(arg)
        os.chmod(arg, 0o660)
        s.listen(16)
        return s.detach()
    if kind == "tcp":
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", int(arg)))
        s.listen(16)
        return s.detach()
    if kind == "file":
        return os.open(arg, os.O_RDONLY)
    if kind == "dgram":
        s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        s.bind(arg)
        return s.detach()
    sys.exit("activate.py: unknown socket spec %r" % spec)


def main():
    if "--" not in sys.argv:
        sys.exit(__doc__)
    cut = sys.argv.index("--")
    specs, argv = sys.argv[1:cut], sys.argv[cut + 1:]
    fds = [make(spec) for spec in specs]
    # Move them to 3, 4, ... without one overwriting another: above every one first.
    high = [os.dup2(fd, 100 + i, inheritable=False) for i, fd in enumerate(fds)]
    for fd in fds:
        os.close(fd)
    for i, fd in enumerate(high):
        os.dup2(fd, 3 + i, inheritable=True)
        os.close(fd)
    os.environ["LISTEN_FDS"] = str(len(specs))
    os.environ["LISTEN_PID"] = str(os.getpid())
    os.execv(argv[0], argv)


if __name__ == "__main__":
    main()
