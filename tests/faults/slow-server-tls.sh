#!/bin/bash
# tests/faults/slow-server-tls.sh — tests/faults/slow-server.sh over explicit FTPS (PROT P): the
# upload's end watches the same socket's queue of TLS records, and close_notify waits with it.
SLOW_TLS=1
. "$top_srcdir/tests/faults/slow-server.sh"
