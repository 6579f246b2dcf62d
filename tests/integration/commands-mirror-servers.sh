#!/bin/bash
# tests/integration/commands-mirror-servers.sh — `mirror -R` and `mirror` beyond vsftpd, with the
# real clamav-agent: ProFTPD with mod_digest (DigestCache off), pyftpdlib, a scripted server whose
# HASH lies, and vsftpd behind a relay that cuts the control connection mid-upload. One audit log
# for the whole suite, checked with `clamftp --check-audit` at the end.
# Pins, for ProFTPD and pyftpdlib alike ("exactly those files" is what the run said and also the
# files that got a new inode: a transfer writes a temporary name or a .part renamed into place):
#   mirror -R  the first run of a tree with nested and empty directories, names with spaces and
#              UTF-8 and an EICAR file: exit 1, EICAR refused by name and not on the server, every
#              clean file byte for byte, the server's tree of the same shape (empty directory
#              made), no temporary .NAME.clamftp-* left; each upload's audit record is "done" with
#              "verify" {"method": "HASH SHA-256" on ProFTPD (the server's digest is the file's
#              SHA-256) or "SIZE" on pyftpdlib (pyftpdlib 1.5.7 has no digest command), "match":
#              true}; a second run uploads nothing and rewrites nothing; two files changed and one
#              added: --dry-run names exactly those three (and EICAR) and leaves the server's tree
#              (names, sizes, times) as it was, then the run uploads exactly those three, verified
#              the same way; --delete removes a file and a directory the local tree no longer has.
#   mirror     --dry-run into a new directory makes nothing; the run: the local tree is the
#              server's (files, empty directories, the server's times), no .part; a second run
#              downloads nothing; two files changed and one added on the server: --dry-run names
#              exactly those three and changes nothing here, then the run downloads exactly those
#              three; --delete removes here what the server no longer has.
# A HASH that lies (tests/hostile/ftpd.py digest-liar, one session at a time: --parallel 1):
#   `mirror -R --delete` of two files: exit 2 (a failure, not a refusal: man/clamftp.1 EXIT
#   STATUS), each file named as failed with the mismatch, each temporary copy sent twice and
#   deleted twice, the final name never written, no rename, nothing deleted ("not every file arrived"); the audit log has a "retried" and a
#   "failed" record per file, both "match":false.
# A connection cut mid-upload (tests/lib/cut-proxy.py counting STORs in vsftpd's protocol log, so
#   the cut falls while the data flows (1 MB/s per session), and killing that session's vsftpd
#   process so the data connection breaks too), --parallel 1: with the default reconnect
#   the run ends with exit 0, every file byte for byte, no temporary file left, one "done" audit
#   record per file and a "retried" one per cut upload; with reconnect 0 the run ends with exit 2,
#   each file named exactly once (uploaded, failed or not uploaded); in both, no final name on the server holds anything but the local file's bytes; a run without
#   cuts after the one with reconnect 0 sends the five files left out, and deletes the short
#   temporary copy the cut left (vsftpd's LIST hides it: found with NLST -a), said and in --json's
#   "leftovers"; hidden names of nearly the same form (five digits, upper case, no local file of
#   that name) stay.
# `clamftp --check-audit` passes on the suite's audit log. Whole file: about 20 s on 2 cores.
. "$top_srcdir/tests/lib/suite.sh"

SUITE_VSFTPD_CONF=(log_ftp_protocol=YES xferlog_std_format=NO local_max_rate=1000000)
suite_begin commands-mirror-servers scanner vsftpd clamftp:open,mirror
CF_DEADLINE=60
. "$top_srcdir/tests/hostile/server.sh"
VSFTPD_PORT=$FTP_PORT VSFTPD_ROOT=$FTP_ROOT

# ---- the tree every server gets ----
mkdir -p tree0/sub/deeper tree0/empty "tree0/with space" "tree0/dïr ü"
printf 'top\n' >tree0/top.txt
head -c 70000 /dev/urandom >tree0/sub/mid.bin
printf 'low\n' >tree0/sub/deeper/low.txt
printf 'spaced\n' >"tree0/with space/a b.txt"
printf 'unicode\n' >"tree0/ünïcode.txt"
printf 'nested unicode\n' >"tree0/dïr ü/nested ä.txt"
eicar >tree0/sub/eicar.com

# ---- helpers ----
# a tree as "path type size" lines (directories without a size), EICAR left out with "clean"
tree_list() { (cd "$1" && find . -mindepth 1 ${2:+! -name eicar.com} -printf '%p %y %s\n' |
        sed 's/ d [0-9]*$/ d/' | LC_ALL=C sort); }
# tree_state DIR: every entry with its type, size and modification time (what --dry-run must leave)
tree_state() { (cd "$1" && find . -mindepth 1 -printf '%p %y %s %Ts\n' | LC_ALL=C sort); }
# same_shape LOCAL SERVER: the same files and directories (EICAR left out), every file byte for byte
same_shape() {
        same_text "$(tree_list "$1" clean)" "$(tree_list "$2" clean)" || return 1
        local f
        while IFS= read -r f; do
                [ "$f" = ./sub/eicar.com ] || same_file "$1/$f" "$2/$f" || { echo "different: $f"; return 1; }
        done < <(cd "$1" && find . -type f)
}
no_temp_left() { [ -z "$(find "$1" -name '.*.clamftp-*')" ] || { find "$1" -name '.*.clamftp-*'; false; }; }
# the names of the files a run reported or planned, "a|b|" in C order
uploaded_names() { printf '%s\n' "$CF_ALL" | sed -n 's/^Uploaded \(.*\) as .*/\1/p' | LC_ALL=C sort | tr '\n' '|'; }
planned_names() { printf '%s\n' "$CF_OUT" | sed -n "s/^$1 \\(.*\\) ([^(]*, \\(new\\|changed\\))\$/\\1/p" | LC_ALL=C sort | tr '\n' '|'; }
# file_ids DIR: "path inode" of every file below DIR. A file written by a transfer gets a new inode
# (a temporary name or a .part renamed onto it), so replaced_since IDS DIR names exactly the files
# a run wrote below DIR ("a|b|"), whatever it said
file_ids() { (cd "$1" && find . -type f -printf '%P %i\n' | LC_ALL=C sort); }
replaced_since() { LC_ALL=C comm -13 <(printf '%s\n' "$1") <(file_ids "$2") | sed 's/ [0-9]*$//' | tr '\n' '|'; }
# same_times A B: every file of A has the same modification time in B
same_times() {
        local f
        while IFS= read -r f; do
                [ "$(stat -c %Y "$1/$f")" = "$(stat -c %Y "$2/$f")" ] || { echo "time differs: $f"; return 1; }
        done < <(cd "$1" && find . -type f)
}

# the audit log's records since audit_mark
audit_mark() { AUDIT_MARK=$(cat "$CF_AUDIT" 2>/dev/null | wc -l); }
# verified METHOD N: the run's upload records are N "done" records (one per file), each verified
# by METHOD with a match; the server's answer is the file's SHA-256 (HASH SHA-256) or size (SIZE),
# and the record's SHA-256 is the local file's
verified() {
        /usr/bin/python3 - "$CF_AUDIT" "$AUDIT_MARK" "$@" <<'PY'
import hashlib, json, sys
audit, mark, method, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
recs = [json.loads(l) for l in open(audit).read().splitlines()[mark:] if l.strip()]
ups = [r for r in recs if r.get("event") == "upload"]
errs = []
if len(ups) != n or any(r.get("result") != "done" for r in ups):
    errs.append("%d upload records, expected %d done: %r" % (len(ups), n, [(r.get("remote"), r.get("result")) for r in ups]))
for r in ups:
    v = r.get("verify") or {}
    sha = hashlib.sha256(open(r["path"], "rb").read()).hexdigest()
    want = {"HASH SHA-256": sha, "SIZE": str(r.get("size"))}[method]
    if v.get("method") != method or v.get("match") is not True or str(v.get("remote", "")).lower() != want:
        errs.append("%s: verify %r, expected %r with %s" % (r.get("remote"), v, method, want))
    if r.get("sha256") != sha:
        errs.append("%s: sha256 %s is not the local file's" % (r.get("remote"), r.get("sha256")))
sys.exit("\n".join(errs[:6]) if errs else 0)
PY
}

# ---- mirror -R and mirror against the server on FTP_PORT: NAME METHOD ----
both_ways() {
        local name=$1 method=$2
        local T=$CF_LOCAL/tree-$name B=$CF_LOCAL/back-$name S=$FTP_ROOT/site
        cp -a tree0 "$T"
        cd "$CF_LOCAL" || exit 1

        # -- upload: the first run
        audit_mark
        via "$FTP_PORT" "mirror -R \"$T\" site"
        expect "$name, mirror -R: exit 1, EICAR refused by name and not on the server ($CF_RC)" \
                eval 'cf_rc_is 1 && cf_says "sub/eicar\.com is infected" && [ ! -e "$S/sub/eicar.com" ]'
        expect "$name, mirror -R: the server's tree is the local one, byte for byte, the empty directory made" \
                same_shape "$T" "$S"
        expect "$name, mirror -R: no temporary file is left" no_temp_left "$S"
        expect "$name, mirror -R: the summary counts 6 copied, 1 refused" cf_says 'mirror -R: 6 copied .* 1 refused'
        expect "$name, mirror -R: each upload's audit record: done, verified by $method, match" verified "$method" 6

        # -- a second run
        local ids
        ids=$(file_ids "$S")
        audit_mark
        via "$FTP_PORT" "mirror -R \"$T\" site"
        expect "$name, mirror -R again: nothing uploaded ($(uploaded_names)), no file on the server rewritten" \
                eval '[ -z "$(uploaded_names)" ] && cf_says "mirror -R: 0 copied .* 6 unchanged" && verified "$method" 0 &&
                      same_text "" "$(replaced_since "$ids" "$S")"'

        # -- two changed, one added: the plan, then the run
        printf 'more\n' >>"$T/top.txt"
        head -c 1000 /dev/urandom >>"$T/sub/mid.bin"
        printf 'new\n' >"$T/dïr ü/new file.txt"
        local before
        before=$(tree_state "$S")
        via "$FTP_PORT" "mirror -R --dry-run \"$T\" site"
        expect "$name, mirror -R --dry-run: exit 0, the plan names the three files and EICAR ($(planned_names upload))" \
                eval 'cf_rc_is 0 && [ "$(planned_names upload)" = "dïr ü/new file.txt|sub/eicar.com|sub/mid.bin|top.txt|" ]'
        expect "$name, mirror -R --dry-run: the server's tree is unchanged (names, sizes, times)" \
                same_text "$before" "$(tree_state "$S")"
        ids=$(file_ids "$S")
        audit_mark
        via "$FTP_PORT" "mirror -R \"$T\" site"
        expect "$name, mirror -R of the changes: exactly the two changed and the added file, said and written" \
                eval 'same_text "dïr ü/new file.txt|sub/mid.bin|top.txt|" "$(uploaded_names)" &&
                      same_text "dïr ü/new file.txt|sub/mid.bin|top.txt|" "$(replaced_since "$ids" "$S")"'
        expect "$name, mirror -R of the changes: the server's copies are the new ones" same_shape "$T" "$S"
        expect "$name, mirror -R of the changes: verified by $method" verified "$method" 3

        # -- --delete
        rm -r "$T/sub/deeper" "$T/with space/a b.txt"
        via "$FTP_PORT" "mirror -R --delete \"$T\" site"
        expect "$name, mirror -R --delete: the file and the directory gone here are gone there, the rest stays" \
                eval '[ ! -e "$S/sub/deeper" ] && [ ! -e "$S/with space/a b.txt" ] && same_shape "$T" "$S" &&
                      cf_says "mirror -R: 0 copied .* 3 deleted"'
        expect "$name, mirror -R: no temporary file is left after all runs" no_temp_left "$S"

        # -- download: the plan alone, the first run, a second one
        via "$FTP_PORT" "mirror --dry-run site \"$B\""
        expect "$name, mirror --dry-run into a new directory: exit 0, a plan, nothing made here" \
                eval 'cf_rc_is 0 && cf_says "^download sub/mid\.bin \(" && [ ! -e "$B" ]'
        via "$FTP_PORT" "mirror site \"$B\""
        expect "$name, mirror: exit 0 ($CF_RC)" cf_rc_is 0
        expect "$name, mirror: the local tree is the server's, files, empty directories and times" \
                eval 'same_shape "$S" "$B" && same_times "$S" "$B"'
        expect "$name, mirror: no .part is left" eval '[ -z "$(find "$B" -name "*.part")" ]'
        ids=$(file_ids "$B")
        via "$FTP_PORT" "mirror site \"$B\""
        expect "$name, mirror again: nothing downloaded, no local file rewritten" \
                eval 'cf_rc_is 0 && ! cf_says "^Downloaded " && cf_says "^mirror: 0 copied" &&
                      same_text "" "$(replaced_since "$ids" "$B")"'

        # -- two changed, one added on the server: the plan, then the run
        printf 'changed on the server\n' >>"$S/top.txt"
        printf 'changed too\n' >>"$S/dïr ü/nested ä.txt"
        printf 'added on the server\n' >"$S/sub/added.txt"
        ftp_own
        before=$(tree_state "$B")
        via "$FTP_PORT" "mirror --dry-run site \"$B\""
        expect "$name, mirror --dry-run: exit 0, the plan names exactly the three files ($(planned_names download))" \
                eval 'cf_rc_is 0 && [ "$(planned_names download)" = "dïr ü/nested ä.txt|sub/added.txt|top.txt|" ]'
        expect "$name, mirror --dry-run: nothing changed here (names, sizes, times)" \
                same_text "$before" "$(tree_state "$B")"
        ids=$(file_ids "$B")
        via "$FTP_PORT" "mirror site \"$B\""
        expect "$name, mirror of the changes: exactly the two changed and the added file written here" \
                eval 'cf_rc_is 0 && cf_says "^mirror: 3 copied .* 3 unchanged" &&
                      same_text "dïr ü/nested ä.txt|sub/added.txt|top.txt|" "$(replaced_since "$ids" "$B")"'
        expect "$name, mirror of the changes: the local tree is the server's" \
                eval 'same_shape "$S" "$B" && same_times "$S" "$B"'

        # -- --delete
        rm -r "$S/with space" "$S/ünïcode.txt"
        via "$FTP_PORT" "mirror --delete site \"$B\""
        expect "$name, mirror --delete: what the server no longer has is gone here, the rest is the server's" \
                eval 'cf_rc_is 0 && [ ! -e "$B/with space" ] && [ ! -e "$B/ünïcode.txt" ] && same_shape "$S" "$B" &&
                      cf_says "^mirror: 0 copied .* 2 deleted"'
}

# ---- ProFTPD with mod_digest: HASH SHA-256 ----
if ! why=$(proftpd_available); then
        skip "ProFTPD with mod_digest: mirror -R and mirror" "$why"
elif [ ! -e "$FTPD_UNPACKED/usr/lib/proftpd/mod_digest.so" ]; then
        skip "ProFTPD with mod_digest: mirror -R and mirror" "mod_digest.so is not unpacked in $FTPD_UNPACKED/usr/lib/proftpd"
else
        suite_start "ProFTPD with mod_digest" proftpd_start "$SUITE_DIR/proftpd" "LoadModule mod_digest.c" \
                "<IfModule mod_digest.c>" "DigestEngine on" "DigestCache off" "</IfModule>"
        both_ways ProFTPD "HASH SHA-256"
        proftpd_stop
fi

# ---- pyftpdlib: SIZE ----
if why=$(suite_missing python:pyftpdlib); then
        suite_start pyftpdlib pyftpd_start "$SUITE_DIR/py"
        both_ways pyftpdlib SIZE
        pyftpd_stop
else
        skip "pyftpdlib: mirror -R and mirror" "$why"
fi

# ---- a server whose HASH lies ----
mkdir -p liar
printf 'first\n' >liar/one.txt
printf 'second\n' >liar/two.txt
audit_mark
(
        FTP_USER=anonymous FTP_PASS=test@example.org
        start_server digest-liar
        via "$FTP_PORT" "mirror -R --delete liar" --parallel 1
        declare -p CF_RC CF_OUT CF_ERR CF_ALL CF_LAST_CMD SRV_DIR >"$SUITE_DIR/liar.run"
        stop_server
)
. "$SUITE_DIR/liar.run"
L=$SRV_DIR/log
expect "a lying HASH: mirror -R ends with exit 2, a failure ($CF_RC)" cf_rc_is 2
expect "a lying HASH: each file is named as failed, with the mismatch" \
        eval 'cf_says "^(clamftp: error: )?Uploading one\.txt to .* failed: .* not the file that was scanned \(HASH SHA-256" &&
              cf_says "^(clamftp: error: )?Uploading two\.txt to .* failed: .* not the file that was scanned \(HASH SHA-256"'
expect "a lying HASH: the summary counts 0 copied, 2 failed, and nothing was deleted" \
        eval 'cf_says "mirror -R: 0 copied .* 0 deleted, .* 2 failed" && cf_says "Nothing was deleted: not every file arrived"'
liar_server_log() {
        local f n
        for f in one two; do
                n=$(grep -c "^STOR of '\.$f\.txt\.clamftp-[0-9a-f]*'" "$L")
                [ "$n" = 2 ] || { echo "$f: $n temporary copies stored"; return 1; }
                n=$(grep -c "^DELE of '\.$f\.txt\.clamftp-[0-9a-f]*'" "$L")
                [ "$n" -ge 2 ] || { echo "$f: $n temporary copies deleted"; return 1; }
        done
        ! grep -Eq "^STOR of '(one|two)\.txt'|^DELE of 'good|^<-- .*(RNFR|RNTO)|RN(FR|TO) " "$L" ||
                { grep -E "^STOR of '(one|two)|^DELE of 'good|RNFR|RNTO" "$L"; false; }
}
expect "a lying HASH: each temporary copy sent twice and deleted, the final names never written, nothing renamed or deleted" \
        liar_server_log
liar_records() {
        /usr/bin/python3 - "$CF_AUDIT" "$AUDIT_MARK" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]).read().splitlines()[int(sys.argv[2]):] if l.strip()]
errs = []
for name in ("one.txt", "two.txt"):
    ups = [(r.get("result"), (r.get("verify") or {}).get("method"), (r.get("verify") or {}).get("match"))
           for r in recs if r.get("event") == "upload" and r.get("remote", "").endswith(name)]
    if ups != [("retried", "HASH SHA-256", False), ("failed", "HASH SHA-256", False)]:
        errs.append("%s: %r" % (name, ups))
sys.exit("\n".join(errs) if errs else 0)
PY
}
expect "a lying HASH: the audit log has a retried and a failed record per file, both \"match\":false" liar_records

# ---- vsftpd behind a relay that cuts the connection mid-upload ----
FTP_PORT=$VSFTPD_PORT FTP_ROOT=$VSFTPD_ROOT
mkdir -p cut/a cut/b
for f in a/f1 a/f2 b/f4 b/f5 b/f6; do head -c 200000 /dev/urandom >"cut/$f.bin"; done
# the third STOR: cut after a few kB; from 1 MiB a cut upload goes on from what the server holds
head -c 1500000 /dev/urandom >cut/a/g-big.bin
PROXY_PID=
proxy_stop() { stop_pid "$PROXY_PID" 2; PROXY_PID=; }
suite_at_exit proxy_stop
# proxy_start EVERY: a relay in front of vsftpd that, at every EVERYth STOR (counted in vsftpd's
# protocol log: the command has reached the server and the data flows), closes that session's
# control connection and kills its vsftpd process, so its data connection breaks too
proxy_start() {
        proxy_stop
        PROXY_LOG=$SUITE_DIR/proxy-$1.log
        /usr/bin/python3 "$top_srcdir/tests/lib/cut-proxy.py" --listen-port-file "$SUITE_DIR/proxy-$1.port" \
                --target "127.0.0.1:$FTP_PORT" --verb STOR --every "$1" --log "$PROXY_LOG" --kill-session \
                --count-log "$SUITE_DIR/ftp/vsftpd.log" --lifetime 120 >"$SUITE_DIR/proxy-$1.out" 2>&1 </dev/null &
        PROXY_PID=$!
        wait_until 10 test -s "$SUITE_DIR/proxy-$1.port" || { cat "$SUITE_DIR/proxy-$1.out"; return 1; }
        PROXY_PORT=$(cat "$SUITE_DIR/proxy-$1.port")
}
# cut_times N: the relay cut N sessions and killed each one's server process (else shows its log)
cut_times() {
        [ "$(grep -c '^[0-9.]* cut connection' "$PROXY_LOG")" = "$1" ] &&
                [ "$(grep -c '^[0-9.]* killed server process' "$PROXY_LOG")" = "$1" ] || { cat "$PROXY_LOG"; false; }
}
# no_final_wrong DIR: every file of cut/ whose final name is below DIR on the server holds the
# local file's bytes there
no_final_wrong() {
        local f
        while IFS= read -r f; do
                [ ! -e "$FTP_ROOT/$1/$f" ] || same_file "cut/$f" "$FTP_ROOT/$1/$f" ||
                        { echo "under its final name but not the local file: $f"; return 1; }
        done < <(cd cut && find . -type f -printf '%P\n')
}
# named_once: each file of cut/ is named exactly once: uploaded, failed, or not uploaded
named_once() {
        local f n bad=0
        while IFS= read -r f; do
                n=$(printf '%s\n' "$CF_ALL" | grep -Ec "^(clamftp: error: )?(Uploaded $f as |Uploading $f to |$f was not uploaded)")
                [ "$n" = 1 ] || { echo "$f: named $n times"; bad=1; }
        done < <(cd cut && find . -type f -printf '%P\n')
        return $bad
}
# partial_temp DIR FILE: a temporary copy of FILE below DIR holds fewer bytes than the local file
partial_temp() {
        local t
        t=$(find "$FTP_ROOT/$1/$(dirname "$2")" -name ".$(basename "$2").clamftp-*" -printf '%s\n' | head -n 1)
        [ -n "$t" ] && [ "$t" -lt "$(stat -c %s "cut/$2")" ] || { ls -la "$FTP_ROOT/$1/$(dirname "$2")"; false; }
}
# cut_records: the run's audit records: one "done" per file of cut/ (SIZE, match), and a
# "retried" record for each cut upload, of the same bytes
cut_records() {
        /usr/bin/python3 - "$CF_AUDIT" "$AUDIT_MARK" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]).read().splitlines()[int(sys.argv[2]):] if l.strip()]
ups = [r for r in recs if r.get("event") == "upload"]
done = [r for r in ups if r.get("result") == "done"]
retried = [r for r in ups if r.get("result") == "retried"]
errs = []
if sorted(r["remote"] for r in done) != ["cut-re/a/f1.bin", "cut-re/a/f2.bin", "cut-re/a/g-big.bin",
                                          "cut-re/b/f4.bin", "cut-re/b/f5.bin", "cut-re/b/f6.bin"]:
    errs.append("done: %r" % [r["remote"] for r in done])
for r in done:
    v = r.get("verify") or {}
    if v.get("method") != "SIZE" or v.get("match") is not True or v.get("remote") != str(r["size"]):
        errs.append("%s: verify %r" % (r["remote"], v))
shas = {r["remote"]: r["sha256"] for r in done}
if len(retried) < 2 or any(shas.get(r["remote"]) != r.get("sha256") for r in retried):
    errs.append("retried: %r" % [(r["remote"], r.get("error")) for r in retried])
if len(ups) != len(done) + len(retried):
    errs.append("other records: %r" % [(r["remote"], r["result"]) for r in ups if r not in done + retried])
sys.exit("\n".join(errs) if errs else 0)
PY
}

suite_start "the cutting relay" proxy_start 3
audit_mark
via "$PROXY_PORT" "mirror -R cut cut-re" --parallel 1
expect "cut, reconnect: the relay cut the connection twice, g-big.bin's mid-upload" \
        eval 'cut_times 2 && grep -q "cut connection .* STOR cut-re/a/\.g-big\.bin\.clamftp-" "$PROXY_LOG"'
expect "cut, reconnect: exit 0, the loss and the reconnect said ($CF_RC)" \
        eval 'cf_rc_is 0 && cf_says "lost \(.*\): reconnecting \(1/5\)" && cf_says "mirror -R: 6 copied"'
expect "cut, reconnect: every file on the server byte for byte" same_shape cut "$FTP_ROOT/cut-re"
expect "cut, reconnect: no temporary file is left" no_temp_left "$FTP_ROOT/cut-re"
expect "cut, reconnect: the audit log: one done record per file (SIZE, match), the cut ones retried" cut_records

suite_start "the cutting relay" proxy_start 2
via "$PROXY_PORT" "mirror -R cut cut-0" --parallel 1 --reconnect 0
expect "cut, reconnect 0: the relay cut the connection mid-upload: a short temporary copy of a/f2.bin is left" \
        eval 'cut_times 1 && partial_temp cut-0 a/f2.bin'
expect "cut, reconnect 0: exit 2, no reconnect tried ($CF_RC)" eval 'cf_rc_is 2 && ! cf_says "reconnecting \("'
expect "cut, reconnect 0: each file named exactly once, uploaded or not" named_once
expect "cut, reconnect 0: a/f1.bin uploaded, a/f2.bin failed, the rest not sent" \
        eval 'cf_says "^Uploaded a/f1\.bin as " && cf_says "Uploading a/f2\.bin to .* failed" &&
              [ "$(printf "%s\n" "$CF_ALL" | grep -c " was not uploaded: the batch stopped")" = 4 ]'
expect "cut, reconnect 0: no final name holds anything but the local file" no_final_wrong cut-0
expect "cut, reconnect 0: the temporary copy the lost connection left is named" \
        cf_says "A temporary copy may be left on the server: cut-0/a/\.f2\.bin\.clamftp-[0-9a-f]{6} \(the connection was lost"
expect "cut, reconnect: no final name holds anything but the local file" no_final_wrong cut-re
proxy_stop
left_temp=$(cd "$FTP_ROOT/cut-0" && find . -name '.f2.bin.clamftp-*' -printf '%P\n')
decoys=".f2.bin.clamftp-12345 .f2.bin.clamftp-ABCDEF .gone.bin.clamftp-abcdef .f2.bin.clamftp-abcdef0"
for d in $decoys; do printf 'not ours\n' >"$FTP_ROOT/cut-0/a/$d"; done
ftp_own
via "$FTP_PORT" "mirror -R --delete --json cut cut-0"
expect "cut, reconnect 0, then a run without cuts: exit 0, the five files left out sent ($CF_RC)" \
        eval 'cf_rc_is 0 && cf_says "^mirror -R: 5 copied .* 1 unchanged"'
expect "cut, reconnect 0, then a run without cuts: every file on the server byte for byte" \
        eval 'same_text "$(tree_list cut)" "$(tree_list "$FTP_ROOT/cut-0" | grep -v "/\.[^/]*\.clamftp-")" && no_final_wrong cut-0'
expect "cut, reconnect 0, then a run without cuts: the short temporary copy ($left_temp) is gone, said and in --json" \
        eval '[ -n "$left_temp" ] && [ ! -e "$FTP_ROOT/cut-0/$left_temp" ] &&
              cf_says "^mirror -R: deleted 1 temporary copy an earlier run left" &&
              cf_says "\"leftovers\":\[\"$left_temp\"\].*\"leftovers_deleted\":1}"'
# shellcheck disable=SC2086
expect "cut, reconnect 0, then a run without cuts: only clamftp's own pattern was deleted" \
        eval '[ "$(cd "$FTP_ROOT/cut-0/a" && ls -A $decoys | wc -l)" = 4 ] &&
              [ "$(find "$FTP_ROOT/cut-0" -name ".*.clamftp-*" | wc -l)" = 4 ]'

# ---- the audit log of the whole suite ----
expect "clamftp --check-audit passes on the suite's audit log" "$(clamftp_bin)" --check-audit "$CF_AUDIT"

tap_done
