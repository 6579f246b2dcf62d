#!/bin/bash
# tests/integration/commands-mirror.sh — `mirror -R` against a real vsftpd with the real
# clamav-agent: a tree with nested and empty directories, names with spaces and UTF-8, and an
# EICAR file inside.
# Pins: --dry-run prints the plan and leaves the server's tree as it was; the first run uploads
# every clean file byte for byte, makes the empty directory, refuses and names EICAR (exit 1),
# leaves no temporary file; a second run uploads nothing; two files changed and one added make
# exactly those three uploads; --delete removes a file and a directory the local tree no longer
# has; --exclude leaves a file out; --only-newer, --ignore-time, --include and --parallel 1 each
# do what they say; an old file alike on both sides, whose LIST date has only its
# day, is not sent again (MDTM) but is once it is newer by hours; a symbolic link is reported, not followed (with --dereference:
# local links to files and directories followed, a loop and a dangling link said; on the server a
# link to a file downloaded as that file, one to a directory said); --report FILE and
# --json give the plan and the result as JSON. `mirror REMOTE
# LOCAL` the other way: --dry-run makes nothing; the local tree becomes the server's (files, the
# empty directory, the server's times, no .part); a second run downloads nothing; an added and a
# changed file are exactly what comes; --delete removes here what the server no longer has.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin commands-mirror scanner vsftpd clamftp:open,mirror
CF_DEADLINE=60

mkdir -p tree/sub/deeper tree/empty "tree/with space"
printf 'top\n' >tree/top.txt
head -c 70000 /dev/urandom >tree/sub/mid.bin
printf 'low\n' >tree/sub/deeper/low.txt
printf 'spaced\n' >"tree/with space/a b.txt"
printf 'unicode\n' >"tree/ünïcode.txt"
eicar >tree/sub/eicar.com
ln -s /etc/passwd tree/link-out
S=$FTP_ROOT/site

# the server's tree as "path size" lines
server_tree() { (cd "$FTP_ROOT" && find . -mindepth 1 | LC_ALL=C sort | while read -r f; do
        printf '%s %s\n' "$f" "$(stat -c %s "$f")"; done); }
# every clean file of tree/ is on the server below site/, byte for byte
tree_mirrored() {
        local f
        while IFS= read -r f; do
                case $f in ./sub/eicar.com | *.log | *.tmp) continue ;; esac  # refused; excluded
                same_file "tree/$f" "$S/$f" || { echo "missing or different: $f"; return 1; }
        done < <(cd tree && find . -type f)
}
uploaded_names() { printf '%s\n' "$CF_ALL" | sed -n 's/^Uploaded \(.*\) as .*/\1/p' | LC_ALL=C sort | tr '\n' '|'; }

# ---- the plan alone ----
before=$(server_tree)
cf_session "mirror -R --dry-run tree site"
expect "--dry-run: exit 0" cf_rc_is 0
expect "--dry-run: the plan names an upload, the new directory and the totals" \
        eval 'cf_says "upload sub/mid\.bin \(70\.0.kB, new\)" && cf_says "make directory empty" &&
              cf_says "would copy 6 files .* make 4 directories"'
expect "--dry-run: the server's tree is unchanged" eval '[ "$(server_tree)" = "$before" ]'

# ---- the first run ----
cf_session "verbose; mirror -R tree site"
expect "first run: exit 1 (EICAR refused)" cf_rc_is 1
mkds=$(printf '%s\n' "$CF_ALL" | sed -n 's/^\(\[[0-9]*\] \)\{0,1\}--> MKD //p' | LC_ALL=C sort)
expect "first run: each directory is made with one MKD, none twice ($(printf '%s' "$mkds" | tr '\n' ' '))" \
        eval '[ -n "$mkds" ] && [ -z "$(printf "%s\n" "$mkds" | uniq -d)" ]' 
expect "first run: every clean file arrived byte for byte" tree_mirrored
expect "first run: EICAR is refused by name and not on the server" \
        eval 'cf_says "sub/eicar\.com is infected" && [ ! -e "$S/sub/eicar.com" ]'
expect "first run: the empty directory is made" test -d "$S/empty"
expect "first run: the symbolic link is reported, not followed" \
        eval 'cf_says "Skipped link-out: symbolic links are not followed" && [ ! -e "$S/link-out" ]'
expect "first run: no temporary file is left" eval '[ -z "$(find "$S" -name ".*clamftp-*")" ]'
expect "first run: the summary counts 5 uploaded and 1 refused" cf_says 'mirror -R: 5 copied .* 1 refused'

# ---- nothing changed ----
cf_session "mirror -R --report $SUITE_DIR/report.json tree site"
expect "second run: nothing uploaded" eval '[ -z "$(uploaded_names)" ] && cf_says "mirror -R: 0 copied .* 5 unchanged"'
report_says() {
        /usr/bin/python3 - "$SUITE_DIR/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
want = {"direction": "upload", "dry_run": False, "unchanged": 5}
bad = {k: r.get(k) for k in want if r.get(k) != want[k]}
res = r.get("result", {})
if bad or res.get("copied") != 0 or res.get("refused") != 1 or [c["path"] for c in r["copy"]] != ["sub/eicar.com"]:
    sys.exit("report: %r" % r)
PY
}
expect "--report: the JSON report has the plan (only EICAR to send) and the result (0 copied, 1 refused)" report_says
cf_session "mirror -R --dry-run --json tree elsewhere"
json_last_line() {
        printf '%s\n' "$CF_OUT" | tail -n 1 | /usr/bin/python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
paths = {c["path"]: c["why"] for c in r["copy"]}
sys.exit(0 if r["dry_run"] is True and paths.get("sub/mid.bin") == "new" and "empty" in r["make_dirs"] and "result" not in r else "json: %r" % r)'
}
expect "--json: the last line of the output is the plan as JSON, no plan lines before it" \
        eval 'json_last_line && ! cf_says "^upload "'

# ---- two changed, one added ----
printf 'more\n' >>tree/top.txt
head -c 1000 /dev/urandom >>tree/sub/mid.bin
printf 'new\n' >tree/sub/new.txt
cf_session "verbose; mirror -R tree site"
expect "changes: exactly the two changed files and the new one are uploaded ($(uploaded_names))" \
        eval '[ "$(uploaded_names)" = "sub/mid.bin|sub/new.txt|top.txt|" ]'
expect "changes: every directory is there already: no MKD is sent" eval '! cf_says "^(\[[0-9]+\] )?--> MKD "'
expect "changes: the server's copies are the new ones" tree_mirrored

# ---- --delete and --exclude ----
rm tree/sub/new.txt
rm -r tree/sub/deeper
printf 'left out\n' >tree/skip.log
printf '# builds\n\n*.tmp\n' >excludes
printf 'scratch\n' >tree/scratch.tmp
cf_session "mirror -R --delete --exclude *.log --exclude-from excludes tree site"
expect "--delete: the file and the directory gone from the local tree are gone from the server" \
        eval '[ ! -e "$S/sub/new.txt" ] && [ ! -e "$S/sub/deeper" ]'
expect "--delete: the rest stays" tree_mirrored
expect "--exclude: the excluded file is not sent" [ ! -e "$S/skip.log" ]
expect "--exclude-from: a glob read from the file leaves its file out" [ ! -e "$S/scratch.tmp" ]

# ---- the other direction: mirror REMOTE-DIR LOCAL-DIR ----
# the server's tree, files and directories, against a local copy (times too: downloads keep them)
same_trees() {
        diff -r "$S" back >/dev/null || { diff -r "$S" back | head -n 5; return 1; }
        local f
        while IFS= read -r f; do
                [ "$(stat -c %Y "$S/$f")" = "$(stat -c %Y "back/$f")" ] || { echo "time differs: $f"; return 1; }
        done < <(cd "$S" && find . -type f)
}
downloaded_names() { printf '%s\n' "$CF_ALL" | sed -n 's/^Downloaded \(.*\) (.*/\1/p' | LC_ALL=C sort | tr '\n' '|'; }
cf_session "mirror --dry-run site back"
expect "download --dry-run: exit 0, the plan printed, nothing made here" \
        eval 'cf_rc_is 0 && cf_says "download sub/mid\.bin" && [ ! -e back ]'
cf_session "mirror site back"
expect "download: exit 0 ($CF_RC)" cf_rc_is 0
expect "download: the local tree is the server's, files, empty directory and times" same_trees
expect "download: no .part is left" eval '[ -z "$(find back -name "*.part")" ]'
cf_session "mirror site back"
expect "download, second run: nothing downloaded" eval '[ -z "$(downloaded_names)" ] && cf_says "mirror: 0 copied"'
printf 'server side\n' >"$S/added.txt"
printf 'changed on the server\n' >>"$S/top.txt"
rm "$S/ünïcode.txt"
ftp_own
cf_session "mirror --delete site back"
expect "download, changes: exactly the added and the changed file ($(downloaded_names))" \
        eval '[ "$(downloaded_names)" = "back/added.txt|back/top.txt|" ]'
expect "download --delete: the file gone from the server is gone here, the rest is the server's" \
        eval '[ ! -e "back/ünïcode.txt" ] && same_trees'

# ---- --only-newer, --ignore-time, --include, --parallel ----
mkdir -p opt-tree/sub
printf 'local\n' >opt-tree/a.txt
printf 'local b\n' >opt-tree/b.txt
printf 'local c\n' >opt-tree/sub/c.dat
mkdir -p "$FTP_ROOT/opt/sub"
printf 'the server has more\n' >"$FTP_ROOT/opt/a.txt"      # other size, newer on the server
printf 'local b\n' >"$FTP_ROOT/opt/b.txt"                 # same size, older on the server
touch -d '2 hours ago' opt-tree/a.txt
touch -d '1 hour ago' opt-tree/b.txt
touch -d '3 hours ago' "$FTP_ROOT/opt/b.txt"
ftp_own
cf_session "mirror -R --dry-run --only-newer --ignore-time opt-tree opt"
expect "--only-newer: a file newer on the server is left, even with another size" \
        eval 'cf_rc_is 0 && ! cf_says "^upload a\.txt" && cf_says "^upload sub/c\.dat"'
expect "--ignore-time: a file of the same size is left, however newer here" eval '! cf_says "^upload b\.txt"'
cf_session "mirror -R --dry-run opt-tree opt"
expect "without them: the other size and the newer time each send their file" \
        eval 'cf_says "^upload a\.txt" && cf_says "^upload b\.txt"'
cf_session "verbose; mirror -R --include *.dat --parallel 1 opt-tree opt"
expect "--include *.dat: only sub/c.dat is sent ($(uploaded_names))" eval '[ "$(uploaded_names)" = "sub/c.dat|" ]'
expect "--include: the others are left as they were on the server" \
        eval '[ "$(cat "$FTP_ROOT/opt/a.txt")" = "the server has more" ]'
expect "--parallel 1: one connection, no connection numbers in the conversation" \
        eval 'cf_says "^--> STOR " && ! cf_says "^\[[0-9]+\] -->"'

# ---- a LIST date is coarse (a day for files older than six months): MDTM decides ----
mkdir -p old-tree
printf 'kept for years\n' >old-tree/old.txt
mkdir -p "$FTP_ROOT/old-site"
cp old-tree/old.txt "$FTP_ROOT/old-site/old.txt"
touch -d '2021-03-05 14:37:21 UTC' old-tree/old.txt "$FTP_ROOT/old-site/old.txt"
ftp_own
cf_session "verbose; mirror -R old-tree old-site"
expect "an old file alike on both sides: not sent again although LIST shows only its day" \
        eval 'cf_rc_is 0 && [ -z "$(uploaded_names)" ] && cf_says "mirror -R: 0 copied"'
expect "an old file alike on both sides: MDTM asked for its exact time" cf_says "MDTM old-site/old\.txt"
touch -d '2021-03-05 16:00:00 UTC' old-tree/old.txt
cf_session "mirror -R old-tree old-site"
expect "the same old file made newer here by hours the same day: sent" \
        eval '[ "$(uploaded_names)" = "old.txt|" ]'

# ---- --dereference: links are what they point to (local: files and directories; remote: files) ----
mkdir -p outside/dir tree2/sub
printf 'target file\n' >outside/file.txt
printf 'in a linked directory\n' >outside/dir/inner.txt
printf 'plain\n' >tree2/plain.txt
ln -s "$PWD/outside/file.txt" tree2/to-file.txt
ln -s "$PWD/outside/dir" tree2/to-dir
ln -s .. tree2/sub/up
ln -s "$PWD/nowhere" tree2/dangling
D=$FTP_ROOT/deref
cf_session "mirror -R --dereference tree2 deref"
expect "-R --dereference: exit 0 ($CF_RC)" cf_rc_is 0
expect "-R --dereference: a link to a file uploads the file it points to" same_file outside/file.txt "$D/to-file.txt"
expect "-R --dereference: a link to a directory uploads the directory" same_file outside/dir/inner.txt "$D/to-dir/inner.txt"
expect "-R --dereference: a link back up is said and not followed" \
        eval 'cf_says "Skipped sub/up: the link leads back to a directory above it" && [ ! -e "$D/sub/up" ]'
expect "-R --dereference: a link to nothing is said" \
        eval 'cf_says "Skipped dangling: the link points to nothing" && [ ! -e "$D/dangling" ]'
cf_session "mirror -R --dereference tree2 deref"
expect "-R --dereference, second run: nothing uploaded" eval '[ -z "$(uploaded_names)" ] && cf_says "mirror -R: 0 copied"'
mkdir -p "$FTP_ROOT/rlinks/sub"
printf 'real\n' >"$FTP_ROOT/rlinks/real.txt"
printf 'below\n' >"$FTP_ROOT/rlinks/sub/below.txt"
ln -s real.txt "$FTP_ROOT/rlinks/lnk.txt"
ln -s sub "$FTP_ROOT/rlinks/lnkdir"
ftp_own
cf_session "mirror rlinks back-links"
expect "download without --dereference: the links are said and left" \
        eval 'cf_rc_is 0 && cf_says "Skipped lnk\.txt: symbolic links are not followed" && [ ! -e back-links/lnk.txt ]'
cf_session "mirror --dereference rlinks back-deref"
expect "download --dereference: exit 0 ($CF_RC)" cf_rc_is 0
expect "download --dereference: a link to a file comes as the file" same_file "$FTP_ROOT/rlinks/real.txt" back-deref/lnk.txt
expect "download --dereference: a link to a directory is said and not followed" \
        eval 'cf_says "Skipped lnkdir: the link does not name a file" && [ ! -e back-deref/lnkdir ]'

tap_done
