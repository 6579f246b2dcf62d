# tests/faults/lib.sh — what the fault suites share (sourced after tests/lib/suite.sh's suite_begin).
# Owns: the "nothing lost" conditions every fault ends with. Must not: start servers or inject a
# fault itself.
#
# The run a fault is injected into is tests/lib/clamftp.sh's cf_bg, cf_bg_running, cf_bg_wait.
#   sent_whole LOCAL REMOTE FILE…   each FILE under LOCAL is under REMOTE byte for byte
#   no_part DIR              no *.part file below DIR
#   no_temp_upload DIR       no temporary upload name (.NAME.clamftp-XXXXXX) below DIR
#   said_once PATTERN FILE…  each FILE is named in exactly one line of the output matching PATTERN,
#                            where the word FILE stands for the file's name (e.g. '^Uploaded FILE as ')
#   audit_whole              `clamftp --check-audit` finds the audit log whole (exit 0)
#   audit_done REMOTE… --    each REMOTE path (as sent, or its last part: what STOR named) has
#                            exactly one upload record with "result":"done", its SHA-256 the
#                            local file's (the local paths after --, in order)
#   audit_no_done REMOTE…    no upload record of these remote paths says "done"
#   audit_local_error N FILE REGEX   N verdict records of a path ending in /FILE are ERROR of class
#                            "local" with a reason matching REGEX (the file could not be snapshotted)
#   size_of FILE             its size in bytes (0 when missing)
#   make_files BYTES N [EACH]   in the current directory: big.bin of BYTES random bytes and N files
#                            many/mNN.bin of EACH bytes (256 KiB); MANY is their names (m01.bin …)
#   fault_when FAULT CONDITION…   once CONDITION holds (within 15 s) while the cf_bg run goes on,
#                            runs FAULT (a command); fails, saying why, when either never happens
#   count_at_least N DIR GLOB     N or more files named GLOB below DIR
#   bigger_than N FILE       FILE holds more than N bytes
#   temp_bigger_than N DIR NAME   the temporary upload name of NAME below DIR holds more than N bytes
#   remote_names DIR         the names below DIR on the server's side, sorted, one a line
#   stop_sessions            SIGSTOP to every vsftpd session process below the listener
#                            ($VSFTPD_PID; vsftpd's pair per session): they move nothing more, the
#                            listener goes on accepting; end_stopped kills them (also at exit)

suite_at_exit '[ -z "$CF_BG_PID" ] || kill -9 "$CF_BG_PID" 2>/dev/null'
suite_at_exit end_stopped

size_of() { stat -c %s "$1" 2>/dev/null || echo 0; }

make_files() {
        head -c "$1" /dev/urandom >big.bin
        mkdir -p many
        local i
        for i in $(seq -w 1 "$2"); do head -c "${3:-262144}" /dev/urandom >"many/m$i.bin"; done
        MANY=$(cd many && echo m*.bin)
}

fault_when() {
        local fault=$1
        shift
        wait_until 15 "$@" || { echo "never came true: $*"; return 1; }
        cf_bg_running || { echo "the run ended before the fault"; return 1; }
        "$fault"
}
count_at_least() { [ "$(find "$2" -type f -name "$3" 2>/dev/null | wc -l)" -ge "$1" ]; }
bigger_than() { [ "$(size_of "$2")" -gt "$1" ]; }
temp_bigger_than() {
        local t
        t=$(find "$2" -name ".$3.clamftp-*" | head -n 1)
        [ -n "$t" ] && [ "$(size_of "$t")" -gt "$1" ]
}

sent_whole() {
        local from=$1 to=$2 f bad=0
        shift 2
        for f in "$@"; do
                cmp -s "$from/$f" "$to/$f" || { echo "missing or different: $to/$f ($(size_of "$to/$f") of $(size_of "$from/$f") bytes)"; bad=1; }
        done
        return $bad
}

no_part() {
        local left
        left=$(find "$1" -name '*.part')
        [ -z "$left" ] || { echo "left behind: $left"; return 1; }
}

no_temp_upload() {
        local left
        left=$(find "$1" -name '.*.clamftp-*')
        [ -z "$left" ] || { echo "left behind: $left"; return 1; }
}

said_once() {
        local pattern=$1 f n bad=0 re
        shift
        for f in "$@"; do
                re=${pattern//FILE/$(printf '%s' "$f" | sed 's/[.[\*^$]/\\&/g')}
                n=$(printf '%s\n' "$CF_ALL" | grep -Ec -- "$re")
                [ "$n" = 1 ] || { echo "$f: said $n times (pattern $re)"; bad=1; }
        done
        return $bad
}

audit_whole() {
        local out
        out=$("$(clamftp_bin)" --check-audit "$CF_AUDIT" 2>&1) || { echo "--check-audit: $out"; return 1; }
}

# audit_done REMOTE… -- LOCAL…
audit_done() {
        /usr/bin/python3 - "$CF_AUDIT" "$@" <<'PY'
import hashlib, json, sys
audit, args = sys.argv[1], sys.argv[2:]
sep = args.index("--")
remotes, locals_ = args[:sep], args[sep + 1:]
recs = [json.loads(l) for l in open(audit) if l.strip()]
done = [r for r in recs if r.get("event") == "upload" and r.get("result") == "done"]
bad = []
for remote, local in zip(remotes, locals_):
    mine = [r for r in done if r.get("remote") in (remote, remote.rsplit("/", 1)[-1])]
    want = hashlib.sha256(open(local, "rb").read()).hexdigest()
    if len(mine) != 1:
        bad.append("%s: %d done records" % (remote, len(mine)))
    elif mine[0].get("sha256") != want:
        bad.append("%s: sha256 %s, the file's is %s" % (remote, mine[0].get("sha256"), want))
if bad:
    sys.exit("\n".join(bad[:10]))
PY
}

audit_no_done() {
        /usr/bin/python3 - "$CF_AUDIT" "$@" <<'PY'
import json, os, sys
audit, remotes = sys.argv[1], set(sys.argv[2:])
if not os.path.exists(audit):
    sys.exit(0)
recs = [json.loads(l) for l in open(audit) if l.strip()]
done = [r["remote"] for r in recs if r.get("event") == "upload" and r.get("result") == "done"
        and (r.get("remote") in remotes or r.get("remote") in {x.rsplit("/", 1)[-1] for x in remotes})]
if done:
    sys.exit("done records for: %s" % ", ".join(done))
PY
}

audit_local_error() {
        /usr/bin/python3 - "$CF_AUDIT" "$@" <<'PY'
import json, re, sys
audit, want, name, reason = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
recs = [json.loads(l) for l in open(audit) if l.strip()]
mine = [r for r in recs if r.get("event") == "verdict" and (r.get("path") or "").endswith("/" + name)]
good = [r for r in mine if r.get("verdict") == "ERROR" and r.get("reason_class") == "local"
        and re.search(reason, r.get("reason") or "")]
if len(good) != want or len(mine) != want:
    sys.exit("%s: %d verdict records, %d of them ERROR/local matching %r: %r" % (name, len(mine), len(good), reason, mine))
PY
}

remote_names() { (cd "$1" && find . -mindepth 1 | LC_ALL=C sort); }

STOPPED=
stop_sessions() {
        local k
        for k in $(ps -o pid= --ppid "$VSFTPD_PID"); do
                STOPPED="$STOPPED $k $(ps -o pid= --ppid "$k" | tr '\n' ' ')"
        done
        [ -n "${STOPPED// /}" ] || { echo "no session process to stop"; return 1; }
        # shellcheck disable=SC2086
        kill -STOP $STOPPED
}
# (a stopped process takes SIGKILL)
end_stopped() {
        # shellcheck disable=SC2086
        [ -z "${STOPPED// /}" ] || kill -9 $STOPPED 2>/dev/null
        STOPPED=
}
