#!/bin/bash
# tests/integration/commands-audit.sh — the audit log's hash chain, end to end: real uploads (a
# real vsftpd, the real clamav-agent, EICAR among clean files) write a log that
# `clamftp --check-audit` finds whole; copies with a record edited, one removed and two swapped
# are each found broken at the right line; the log moved aside as logrotate does (before a run
# and while a run has it open) goes on in the new file, and the files pass in order and fail in
# the wrong one; two clamftp processes uploading at once keep the chain whole; usage and I/O
# errors exit 2.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin commands-audit scanner vsftpd clamftp:open,put,mput
CF_DEADLINE=60

mkdir -p tree
for i in $(seq 1 12); do printf 'file %s\n' "$i" >"tree/f$i.txt"; done
eicar >tree/eicar.com
mkdir -p "$FTP_ROOT/a" "$FTP_ROOT/b" "$FTP_ROOT/moved" "$FTP_ROOT/p1" "$FTP_ROOT/p2" && ftp_own
A=$SUITE_DIR/audit-test

lines_of() { wc -l <"$1"; }
# line_hash FILE N: the SHA-256 of line N of FILE, newline included (the README's recipe)
line_hash() { sed -n "$2p" "$1" | sha256sum | cut -d' ' -f1; }
# prev_of FILE N: the "prev" of line N
prev_of() { sed -nE "$2s/.*,\"prev\":\"?([0-9a-f]{64}|null)\"?\}\$/\1/p" "$1"; }
# check_audit FILE…: clamftp --check-audit; sets AUDIT_RC and AUDIT_OUT (and prints it for evidence)
check_audit() {
        AUDIT_OUT=$("$(clamftp_bin)" --check-audit "$@" 2>&1)
        AUDIT_RC=$?
        printf '%s\n(exit %s)\n' "$AUDIT_OUT" "$AUDIT_RC"
}
# audit_whole N FILE…: exit 0 and "OK: N records"
audit_whole() {
        local n=$1
        shift
        check_audit "$@"
        [ "$AUDIT_RC" -eq 0 ] && printf '%s\n' "$AUDIT_OUT" | grep -qx "OK: $n records"
}
# audit_broken WHERE WORDS FILE…: exit 1, the first line begins "WHERE: " and holds WORDS
audit_broken() {
        local where=$1 words=$2 first
        shift 2
        check_audit "$@"
        first=$(printf '%s\n' "$AUDIT_OUT" | head -n 1)
        [ "$AUDIT_RC" -eq 1 ] && [[ $first == "$where: "* ]] && [[ $first == *"$words"* ]]
}

# ---- real uploads, then the log checked whole ----
cf_login 127.0.0.1 "cd a; mput tree/*"
expect "mput of 12 files and EICAR: exit 1 (EICAR refused)" cf_rc_is 1
expect "the clean files arrived" same_file tree/f12.txt "$FTP_ROOT/a/tree/f12.txt"
cf_login 127.0.0.1 "cd a; put tree/f1.txt again.txt"
expect "a second run: exit 0" cf_rc_is 0
N=$(lines_of "$CF_AUDIT")
expect "the log holds a verdict and an upload record per clean file, a verdict for EICAR ($N lines)" [ "$N" -eq 27 ]
expect "the first record starts the chain (\"prev\":null)" [ "$(prev_of "$CF_AUDIT" 1)" = null ]
expect "each record's prev is the sha256sum of the line before it (the second run's first too)" \
        eval '[ "$(prev_of "$CF_AUDIT" 2)" = "$(line_hash "$CF_AUDIT" 1)" ] &&
              [ "$(prev_of "$CF_AUDIT" 26)" = "$(line_hash "$CF_AUDIT" 25)" ]'
expect "the upload records carry the server's check (vsftpd: SIZE), inside the chain" \
        eval '[ "$(grep -c "\"verify\":{\"method\":\"SIZE\".*\"prev\":\"" "$CF_AUDIT")" -eq 13 ]'
expect "--check-audit: the log is whole: exit 0, OK: $N records" audit_whole "$N" "$CF_AUDIT"
expect_output "--check-audit gives the last record's hash, to keep elsewhere" \
        "^last record: $(line_hash "$CF_AUDIT" "$N") " "$(clamftp_bin)" --check-audit "$CF_AUDIT"
expect "--check-audit with no FILE checks the log --audit-log names" \
        eval '"$(clamftp_bin)" --audit-log "$CF_AUDIT" --check-audit | grep -qx "OK: $N records"'

# ---- tampered copies: each found at its line ----
U=$(grep -n '"event":"upload".*"result":"done"' "$CF_AUDIT" | sed -n 3p | cut -d: -f1)
sed "${U}s/\"result\":\"done\"/\"result\":\"failed\"/" "$CF_AUDIT" >"$A.edited"
expect "an upload record edited (line $U, done → failed): broken at line $((U + 1)), which names line $U" \
        audit_broken "$A.edited:$((U + 1))" "line $U was edited" "$A.edited"
sed '10d' "$CF_AUDIT" >"$A.deleted"
expect "line 10 removed: broken at line 10" \
        audit_broken "$A.deleted:10" "line 9 was edited, or records after it were removed" "$A.deleted"
awk 'NR == 10 { ten = $0; next } NR == 11 { print; print ten; next } 1' "$CF_AUDIT" >"$A.swapped"
expect "lines 10 and 11 swapped: broken at line 10, reordered" \
        audit_broken "$A.swapped:10" "follows line 11, not the line before it: records were reordered" "$A.swapped"
expect "the swapped copy has the same lines as the log (only their order changed)" \
        eval '[ "$(sort "$A.swapped" | sha256sum)" = "$(sort "$CF_AUDIT" | sha256sum)" ]'
head -c -1 "$CF_AUDIT" >"$A.cut"
expect "the last line cut before its newline: broken at line $N" \
        audit_broken "$A.cut:$N" "no newline at its end" "$A.cut"

# ---- rotation: moved aside before a run, and while a run has it open ----
mv "$CF_AUDIT" "$CF_AUDIT.1"
cf_login 127.0.0.1 "cd b; put tree/f2.txt"
expect "after the log was moved to .1: a new log" eval 'cf_rc_is 0 && [ "$(lines_of "$CF_AUDIT")" -eq 2 ]'
expect "its first record chains from the last line of .1" \
        [ "$(prev_of "$CF_AUDIT" 1)" = "$(line_hash "$CF_AUDIT.1" "$N")" ]
expect ".1 then the log: whole ($((N + 2)) records)" audit_whole $((N + 2)) "$CF_AUDIT.1" "$CF_AUDIT"
expect "the log then .1 (the wrong order): broken at .1's first line" \
        audit_broken "$CF_AUDIT.1:1" "new chain" "$CF_AUDIT" "$CF_AUDIT.1"

# rotate_feed: one session; between its two uploads the log is rotated as logrotate does (.1 → .2,
# the log → .1) once the first upload's records are written
rotate_feed() {
        printf 'open 127.0.0.1 %s\n%s\n%s\ncd moved\nput tree/f3.txt\n' "$FTP_PORT" "$FTP_USER" "$FTP_PASS"
        local i
        for i in $(seq 100); do [ "$(lines_of "$CF_AUDIT")" -ge 4 ] && break; sleep 0.1; done
        mv "$CF_AUDIT.1" "$CF_AUDIT.2" && mv "$CF_AUDIT" "$CF_AUDIT.1"
        printf 'put tree/f4.txt\nquit\n'
}
cf_run_from rotate_feed -n
expect "a session whose log was rotated under it: exit 0" cf_rc_is 0
expect "the records after the rotation went to the new log at the path (2), the rest to .1 (4)" \
        eval '[ "$(lines_of "$CF_AUDIT")" -eq 2 ] && [ "$(lines_of "$CF_AUDIT.1")" -eq 4 ]'
expect "the new log's first record chains from .1's last line" \
        [ "$(prev_of "$CF_AUDIT" 1)" = "$(line_hash "$CF_AUDIT.1" 4)" ]
expect ".2 .1 and the log: whole ($((N + 6)) records)" \
        audit_whole $((N + 6)) "$CF_AUDIT.2" "$CF_AUDIT.1" "$CF_AUDIT"
expect ".2 and the log without .1: broken at the log's first line" \
        audit_broken "$CF_AUDIT:1" "does not follow the last record of" "$CF_AUDIT.2" "$CF_AUDIT"

# ---- two clamftp processes appending at once ----
rm -f "$CF_AUDIT" "$CF_AUDIT".[12]
mkdir -p p1 p2
# 300 files each: a batch long enough (a few hundred ms even on a quiet machine) that the two
# overlap whatever the skew of their start
PAIR_FILES=300
for i in $(seq 1 $PAIR_FILES); do printf 'many %s\n' "$i" >"p1/m$i.dat"; printf 'many %s\n' "$i" >"p2/m$i.dat"; done
# both log in first and start their mput together (the barrier file "go", looked for every 10 ms),
# so that they do write at the same time whatever the machine's load
barrier_feed() {
        printf 'open 127.0.0.1 %s\n%s\n%s\n' "$FTP_PORT" "$FTP_USER" "$FTP_PASS"
        local i
        for i in $(seq 1000); do [ -e "$SUITE_DIR/go" ] && break; sleep 0.01; done
        printf 'parallel 3\ncd %s\nmput %s/*.dat\nquit\n' "$BARRIER_DIR" "$BARRIER_DIR"
}
rm -f "$SUITE_DIR/go"
pids=()
for p in p1 p2; do
        ( BARRIER_DIR=$p cf_run_from barrier_feed -n; echo "$CF_RC" >"$SUITE_DIR/$p.rc" ) &
        pids+=($!)
done
sleep 1
touch "$SUITE_DIR/go"
wait "${pids[@]}" # (not a bare wait: the agent and vsftpd are this shell's children too)
expect "two processes at once: both exit 0" \
        eval '[ "$(cat "$SUITE_DIR/p1.rc")" = 0 ] && [ "$(cat "$SUITE_DIR/p2.rc")" = 0 ]'
# 2 × PAIR_FILES verdicts and "done" uploads; six connections on the suites' eight passive ports may meet
# vsftpd's "500 OOPS" and reconnect: such a cut attempt adds a "retried" record, nothing else
records_are_the_batches() {
        /usr/bin/python3 - "$CF_AUDIT" "$PAIR_FILES" <<'PY'
import collections, json, sys
n = 2 * int(sys.argv[2])
kinds = collections.Counter()
for line in open(sys.argv[1]):
    r = json.loads(line)
    kinds[(r.get("event"), r.get("result") if r.get("event") == "upload" else r.get("verdict"))] += 1
want = {("verdict", "OK"): n, ("upload", "done"): n}
extra = {k: v for k, v in kinds.items() if k not in want and k != ("upload", "retried")}
sys.exit(0 if all(kinds[k] == v for k, v in want.items()) and not extra else "records: %r" % dict(kinds))
PY
}
expect "two processes at once: 2 × $PAIR_FILES verdict and done upload records (retried ones aside)" records_are_the_batches
# runs: how many runs of records of one process there are in the log, one after the other
runs() { grep -o '"path":"[^"]*/p[12]/' "$CF_AUDIT" | uniq | wc -l; }
expect "two processes at once: their records are interleaved (they did write at once)" \
        eval 'echo "runs of one process'"'"'s records: $(runs)"; [ "$(runs)" -gt 2 ]'
expect "two processes at once: the chain is whole" audit_whole "$(lines_of "$CF_AUDIT")" "$CF_AUDIT"
expect "two processes at once: both uploaded every file" \
        eval 'same_file p1/m$PAIR_FILES.dat "$FTP_ROOT/p1/p1/m$PAIR_FILES.dat" && same_file p2/m$PAIR_FILES.dat "$FTP_ROOT/p2/p2/m$PAIR_FILES.dat"'

# ---- usage and I/O errors ----
check_audit "$SUITE_DIR/no-such.jsonl" >/dev/null
expect "--check-audit of a missing file: exit 2, the file named" \
        eval '[ "$AUDIT_RC" -eq 2 ] && printf "%s\n" "$AUDIT_OUT" | grep -q "no-such.jsonl"'
check_audit -c ls "$CF_AUDIT" >/dev/null
expect "--check-audit with -c: a usage error, exit 2" [ "$AUDIT_RC" -eq 2 ]

tap_done
