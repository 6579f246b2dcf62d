#!/bin/bash
# tests/faults/disk-full.sh — the local disk full, on a small tmpfs the test mounts (and unmounts
# at exit; skipped, saying why, where mounting is not permitted), with the real vsftpd and the
# real clamav-agent.
# Pins:
#   get   a 3 MiB file into 2 MiB: exit 2, "No space left on device" in the error naming the file,
#         the final name never created, big.bin.part kept (and said) holding a prefix of the
#         server's bytes; with room again (the tmpfs grown) `get` goes on from it (REST) and ends
#         with the file byte for byte and no .part.
#   get   into a tmpfs already full: the empty .part is removed, no final name, exit 2.
#   mget  4 files of 1 MiB into 2.5 MiB over 4 connections: exit 2; each file said once,
#         downloaded or failed; every final name there is whole; no final name holds a short file.
#   put   a file above the memory-snapshot limit (64 MiB) is spooled to TMPDIR, a 8 MiB tmpfs
#         here: exit 2, an error naming the file, the spool directory, "No space left on device"
#         and TMPDIR (where a larger one goes), nothing on the server, no "done" audit record but
#         a verdict record ERROR of class "local" with the reason, the audit log whole, the spool
#         empty again; with mput, the small files beside it are uploaded, each said once.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin faults-disk-full scanner vsftpd clamftp:open,get,mget,put,mput
. "$top_srcdir/tests/faults/lib.sh"
CF_DEADLINE=30

DISK=$SUITE_DIR/disk
mkdir -p "$DISK"
why=$(mount -t tmpfs -o size=2m,mode=0755 tmpfs "$DISK" 2>&1) || skip_all "cannot mount a tmpfs here: $why"
suite_at_exit "umount -l '$DISK'"
resize() { mount -o "remount,size=$1" "$DISK"; }

head -c $((3 * 1024 * 1024)) /dev/urandom >"$FTP_ROOT/big.bin"
for i in 1 2 3 4; do head -c $((1024 * 1024)) /dev/urandom >"$FTP_ROOT/q$i.bin"; done
ftp_own
# is_prefix PART WHOLE: PART holds the first bytes of WHOLE, at least one
is_prefix() { local n; n=$(size_of "$1"); [ "$n" -gt 0 ] && cmp -s -n "$n" "$1" "$2"; }

# ---- get into 2 MiB: .part kept, resumed once there is room ----
mkdir -p "$DISK/get"
cf_bg "$DISK/get" "get big.bin"
cf_bg_wait
expect "get, disk full: exit 2 ($CF_RC)" cf_rc_is 2
expect "get, disk full: the error names the file and the full disk" \
        cf_says "^clamftp: error: Downloading big\.bin failed: .*No space left on device"
expect "get, disk full: the final name is not created" [ ! -e "$DISK/get/big.bin" ]
expect "get, disk full: the kept .part is said" cf_says "partial download is kept as big\.bin\.part"
expect "get, disk full: big.bin.part holds the server's first bytes" is_prefix "$DISK/get/big.bin.part" "$FTP_ROOT/big.bin"
expect "the tmpfs grows to 8 MiB" resize 8m
cf_bg "$DISK/get" "verbose; get big.bin"
cf_bg_wait
expect "get, room again: exit 0 ($CF_RC)" cf_rc_is 0
expect "get, room again: it goes on from the .part" eval 'cf_says "^--> REST [1-9]" && cf_says "^Downloaded big\.bin \(.*resumed after"'
expect "get, room again: the file is byte for byte the server's" sent_whole "$FTP_ROOT" "$DISK/get" big.bin
expect "get, room again: no .part left" no_part "$DISK/get"

# ---- get into a full tmpfs: nothing written, the empty .part removed ----
rm -rf "$DISK/get"
mkdir -p "$DISK/none"
head -c $((8 * 1024 * 1024)) /dev/zero >"$DISK/filler" 2>/dev/null
cf_bg "$DISK/none" "get big.bin"
cf_bg_wait
expect "get, no room at all: exit 2 ($CF_RC)" cf_rc_is 2
expect "get, no room at all: the error says so" cf_says "^clamftp: error: Downloading big\.bin failed: .*No space left on device"
expect "get, no room at all: neither the final name nor an empty .part is left" \
        eval '[ -z "$(ls -A "$DISK/none")" ]'
rm -rf "$DISK/none" "$DISK/filler"

# ---- mget over 4 connections into 2.5 MiB ----
resize 2560k
mkdir -p "$DISK/mget"
cf_bg "$DISK/mget" "mget q*.bin" --parallel 4
cf_bg_wait
expect "mget, disk full: exit 2 ($CF_RC)" cf_rc_is 2
expect "mget, disk full: each file said once, downloaded or failed" \
        said_once '^(Downloaded FILE |clamftp: error: Downloading FILE failed: )' q1.bin q2.bin q3.bin q4.bin
expect "mget, disk full: some file failed for the full disk" cf_says "Downloading q[1-4]\.bin failed: .*No space left on device"
whole_or_absent() {
        local f bad=0
        for f in q1.bin q2.bin q3.bin q4.bin; do
                [ ! -e "$DISK/mget/$f" ] || cmp -s "$DISK/mget/$f" "$FTP_ROOT/$f" || { echo "short or wrong: $f"; bad=1; }
                if [ -e "$DISK/mget/$f" ] && ! cf_says "^Downloaded $f "; then echo "there but not said: $f"; bad=1; fi
                if [ -e "$DISK/mget/$f.part" ] && ! is_prefix "$DISK/mget/$f.part" "$FTP_ROOT/$f"; then echo "bad .part: $f"; bad=1; fi
        done
        return $bad
}
expect "mget, disk full: every final name is whole and said; every .part a prefix" whole_or_absent
rm -rf "$DISK/mget"

# ---- the snapshot spool full: TMPDIR on the tmpfs ----
resize 8m
mkdir -p "$DISK/spool" up
head -c 65536 /dev/urandom >up/huge.bin
truncate -s $((70 * 1024 * 1024)) up/huge.bin
for i in 1 2 3; do head -c 4096 /dev/urandom >"up/s$i.bin"; done
mkdir -p "$FTP_ROOT/up" && ftp_own
rm -f "$CF_AUDIT"
TMPDIR=$DISK/spool cf_bg "$CF_LOCAL/up" "cd up; put huge.bin"
cf_bg_wait
expect "put, spool full: exit 2 ($CF_RC)" cf_rc_is 2
expect "put, spool full: the error names the file, the spool, the full disk and TMPDIR" \
        cf_says "^clamftp: error: Copying .huge\.bin. into its snapshot in .$DISK/spool. failed: No space left on device\..*TMPDIR"
expect "put, spool full: nothing reached the server" eval '[ -z "$(ls -A "$FTP_ROOT/up")" ]'
expect "put, spool full: the spool is empty again" eval '[ -z "$(ls -A "$DISK/spool")" ] && [ "$(df --output=used -k "$DISK" | tail -n 1)" -lt 100 ]'
expect "put, spool full: no done record in the audit log" audit_no_done huge.bin
expect "put, spool full: the audit log has its ERROR verdict, class local, with the reason" \
        eval 'audit_local_error 1 huge.bin "No space left on device" && audit_whole'
TMPDIR=$DISK/spool cf_bg "$CF_LOCAL/up" "cd up; mput s1.bin huge.bin s2.bin s3.bin" --parallel 4
cf_bg_wait
expect "mput, spool full: exit 2 ($CF_RC)" cf_rc_is 2
expect "mput, spool full: the small files are uploaded, byte for byte" sent_whole "$CF_LOCAL/up" "$FTP_ROOT/up" s1.bin s2.bin s3.bin
expect "mput, spool full: the small files each said uploaded once" said_once '^Uploaded FILE as ' s1.bin s2.bin s3.bin
expect "mput, spool full: huge.bin is not on the server" [ ! -e "$FTP_ROOT/up/huge.bin" ]
expect "mput, spool full: huge.bin is said failed once" said_once 'FILE.*No space left on device' huge.bin
expect "mput, spool full: the audit log is whole" audit_whole
expect "mput, spool full: one done record per small file, none for huge.bin" \
        eval 'audit_done s1.bin s2.bin s3.bin -- up/s1.bin up/s2.bin up/s3.bin && audit_no_done huge.bin'
expect "mput, spool full: huge.bin has its ERROR verdict of class local (one per run)" \
        audit_local_error 2 huge.bin "No space left on device"

tap_done
