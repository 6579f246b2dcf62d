#!/bin/bash
# tests/faults/scanner-agent-kill.sh — the scanner killed (SIGKILL) under clamftp, against the real
# clamav-agent and vsftpd; nothing is lost whatever happens:
# - in the middle of a scan (the agent holds the snapshot of a 60 MiB file): started again within
#   the scanner wait, the file is scanned again and uploaded, exit 0; not started again, the file
#   is refused after the wait with a message that says the scanner gave no verdict, exit 1, and
#   nothing of it reaches the server;
# - in the middle of a batch of 150 files, started again a second later: every file uploaded,
#   exit 0;
# each time: no file on the server that is not complete and judged OK (the audit log), every file
# reported exactly once.
. "$top_srcdir/tests/lib/suite.sh"
. "$top_srcdir/tests/lib/scanner-pool.sh"

SUITE_VSFTPD_CONF=(pasv_min_port=0 pasv_max_port=0)
suite_begin scanner-agent-kill agent-bin vsftpd clamftp:open,mput,put
suite_at_exit pool_stop_all
CF_DEADLINE=120
suite_start "the agent" pool_agent_start a

# scanning_now: the agent holds a snapshot of clamftp's (FILDES): a scan is in flight
scanning_now() { ls -l "/proc/${POOL_PID[a]}/fd" 2>/dev/null | grep -q 'clamftp-snapshot'; }

# ---- killed in the middle of a scan, started again within the wait ----
mkdir -p big1 big2
head -c $((60 * 1024 * 1024)) /dev/urandom >big1/large.bin
cp big1/large.bin big2/large.bin
CF_SCANNER=${POOL_ADDR[a]}
in_background cf_login 127.0.0.1 "mput big1/*" --scanner-wait 30
expect "mid-scan: the agent is scanning the file" wait_until 60 scanning_now
pool_agent_kill a KILL
sleep 1
suite_start "the agent again" pool_agent_start a
bg_wait
expect "mid-scan, back within the wait: exit 0" cf_rc_is 0
POOL_ALL_UPLOADED=1 expect "mid-scan, back within the wait: uploaded whole, once, judged OK" pool_nothing_lost big1

# ---- killed in the middle of a scan, never back: refused after the wait ----
in_background cf_login 127.0.0.1 "mput big2/*" --scanner-wait 2
expect "mid-scan, gone: the agent is scanning the file" wait_until 60 scanning_now
pool_agent_kill a KILL
bg_wait
expect "mid-scan, gone: exit 1 (refused)" cf_rc_is 1
expect "mid-scan, gone: nothing of it on the server" [ ! -e "$FTP_ROOT/big2/large.bin" ]
expect "mid-scan, gone: the message says the scanner gave no verdict" \
        cf_says "big2/large\.bin was not uploaded: not scanned: the scanner (is unreachable|did not answer)|the scanner gave no verdict"
expect "mid-scan, gone: reported once, nothing lost" pool_nothing_lost big2
suite_start "the agent again" pool_agent_start a

# ---- killed in the middle of a batch, started again a second later ----
mkdir -p batch
for i in $(seq 1 150); do head -c $(( (RANDOM % 8 + 1) * 1024 )) /dev/urandom >batch/f$i.bin; done
# held to 300 KiB/s in all, so that the batch still runs when the agent dies on a loaded machine
in_background cf_login 127.0.0.1 "mput batch/*" --scanner-wait 30 --limit-total 300K
wait_until 60 eval '[ "$(ls "$FTP_ROOT/batch" 2>/dev/null | wc -l)" -ge 30 ]'
at_kill=$(ls "$FTP_ROOT/batch" | wc -l)
pool_agent_kill a KILL
sleep 1
suite_start "the agent again" pool_agent_start a
bg_wait
expect "mid-batch: killed in the middle ($at_kill of 150 had arrived)" [ "$at_kill" -lt 150 ]
expect "mid-batch: exit 0" cf_rc_is 0
POOL_ALL_UPLOADED=1 expect "mid-batch: every file uploaded once, complete, judged OK; reported once" \
        pool_nothing_lost batch

tap_done
