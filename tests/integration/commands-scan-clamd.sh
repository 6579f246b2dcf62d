#!/bin/bash
# tests/integration/commands-scan-clamd.sh — the scanning suite again with Debian's clamd as the
# scanner instead of clamav-agent: clamftp must work unchanged against the real thing.
CF_SCANNER_KIND=clamd exec bash "$top_srcdir/tests/integration/commands-scan.sh"
