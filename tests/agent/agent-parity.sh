#!/bin/bash
# tests/agent/agent-parity.sh — clamav-agent and Debian's clamd side by side, loaded with the same
# signatures and the same clamd.conf settings: every command and prefix form, IDSESSION, FILDES
# with and without a descriptor and with one on the wrong command, STATS, ALLMATCHSCAN on a file
# that matches four signatures, trees, INSTREAM limits, ExcludePath, VirusEvent,
# HeuristicScanPrecedence, AllowAllMatchScan, -V, and clamdscan in every mode. Each check sends the
# same bytes to both daemons and wants the same answer (and the expected one); where clamd and the
# agent differ on purpose, the check says so.
. "$top_srcdir/tests/lib/suite.sh"
suite_begin agent-parity agent-bin clamd-bin tool:clamdscan=clamdscan tool:zip
f=$dir/files
mkdir -p "$f/tree/clean" "$f/tree/sub1" "$f/tree/sub2/deep" "$f/tree/skip" "$dir/db" \
        "$dir/events/clamd" "$dir/events/agent" "$dir/events/agent2"
chmod 0755 "$dir" "$f"

# the signatures: the project's EICAR pair, and four that all match multi.bin
cp "$top_srcdir"/data/signatures/*.*db "$dir/db/"
hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
for n in One Two Three Four; do
        echo "Clamftp.Parity.$n:0:*:$(hex "clamftp parity marker $n")"
done >"$dir/db/parity.ndb"
for n in One Two Three Four; do echo "clamftp parity marker $n"; done >"$f/multi.bin"

# the samples (unique contents: libclamav caches verdicts)
head -c 2000 /dev/urandom | base64 >"$f/clean.txt"
eicar >"$f/eicar.com"
ln -s "$f/eicar.com" "$f/link-to-eicar"
head -c 500 /dev/urandom | base64 >"$f/tree/clean/one.txt"
head -c 500 /dev/urandom | base64 >"$f/tree/plain.txt"
{ eicar; echo; echo one; } >"$f/tree/sub1/eicar1.txt"
{ eicar; echo; echo two; } >"$f/tree/sub2/deep/eicar2.txt"
{ eicar; echo; echo three; } >"$f/tree/a.excluded"
{ eicar; echo; echo four; } >"$f/tree/skip/eicar4.txt"
mkdir -p "$f/deep/$(seq -s / -f 'd%g' 1 16)"
{ eicar; echo; echo deep; } >"$f/deep/$(seq -s / -f 'd%g' 1 16)/eicar.txt"
head -c 3000 /dev/urandom >"$dir/secret.bin"
{ eicar; echo; echo five; } >"$dir/eicar5.txt"
(cd "$dir" && zip -q -P secret "$f/mixed.zip" secret.bin && zip -q "$f/mixed.zip" eicar5.txt)
chmod -R a+rX "$f"

# VirusEvent's command: records its arguments and environment, one file per event
cat >"$dir/record.sh" <<'EOF'
#!/bin/sh
out=$1
shift
{ for a in "$@"; do echo "arg: $a"; done; env | grep -v -e '^PWD=' -e '^SHLVL=' -e '^_=' | sort; } \
        >"$(mktemp "$out/event.XXXXXX")"
EOF
chmod 0755 "$dir/record.sh"

settings=("StreamMaxLength 1M" "ExcludePath /skip$" 'ExcludePath \.excluded$')
CLAMD_DB=$dir/db CLAMD_EXTRA_CONF=$(printf '%s\n' "${settings[@]}" \
        "VirusEvent $dir/record.sh $dir/events/clamd \"Virus found: %v\"") \
        suite_start clamd clamd_start "$dir/clamd"
AGENT_DB=$dir/db suite_start clamav-agent agent_start "$dir/agent" "${settings[@]}" \
        "VirusEvent $dir/record.sh $dir/events/agent \"Virus found: %v\""

run() { # run DESCRIPTION CASE: the case of tests/agent/client.py against both daemons
        expect "$1" agent_client "$2" "$AGENT_SOCKET" - "$CLAMD_SOCKET" "$f"
}
run "prefixes z, n, none; PING, VERSION, VERSIONCOMMANDS, unknown forms: as clamd" parity_prefixes
run "SCAN, CONTSCAN, MULTISCAN, ALLMATCHSCAN in every form they take: as clamd" parity_compat
run "IDSESSION with seven commands and END, n session, CONTSCAN refused: as clamd" parity_session
run "FILDES with a descriptor, and without one (No file descriptor received): as clamd" \
        parity_fildes
run "a descriptor sent with IDSESSION or PING: PROTOCOL ERROR, never scanned later: as clamd" \
        parity_stray_fd
run "unprefixed command inside a z and an n session: clamd's two replies" \
        parity_oldstyle_in_session
run "STATS in z, n and a session: clamd's layout" parity_stats
run "INSTREAM limits (StreamMaxLength 1M), empty stream, EICAR: as clamd" parity_instream
# VirusEvent: every detection so far ran the command once in each daemon, with the same words and
# the same environment (CLAM_VIRUSEVENT_FILENAME and CLAM_VIRUSEVENT_VIRUSNAME only). All-match
# scans come after: which of several names clamd gives the command is libclamav's business.
events() { # events WHO: the records, one a line, sorted
        local e
        for e in "$dir/events/$1"/event.*; do [ -e "$e" ] && { tr '\n' '|' <"$e"; echo; }; done | sort
}
n_events() { find "$dir/events/$1" -name 'event.*' | wc -l; }
caught_up() { [ "$(n_events "$1")" -ge "$2" ]; }
wait_until 5 caught_up agent "$(n_events clamd)"
expect "VirusEvent ran for each detection, as often as in clamd ($(n_events clamd))" \
        test "$(n_events clamd)" -gt 10 -a "$(n_events clamd)" -eq "$(n_events agent)"
expect "VirusEvent's arguments and environment: as clamd's" \
        same_text "$(events clamd)" "$(events agent)"
expect "VirusEvent for a SCAN: the real path in CLAM_VIRUSEVENT_FILENAME, the words with %v" \
        grep -q -x -e "CLAM_VIRUSEVENT_FILENAME=$f/eicar.com" "$dir"/events/agent/event.*

run "ALLMATCHSCAN: all four signatures of multi.bin, both of EICAR's: as clamd" parity_allmatch
run "CONTSCAN, MULTISCAN, SCAN, ALLMATCHSCAN of a tree: as clamd" parity_trees
run "ExcludePath: Excluded for SCAN and CONTSCAN, silent inside MULTISCAN: as clamd" parity_exclude
run "SCAN of a symbolic link: refused (clamd says OK without scanning it)" parity_symlink
run "a directory past MaxDirectoryRecursion: ERROR (clamd skips it and says OK)" parity_depth

# clamdscan, unchanged, in every mode: the same lines and exit status from both daemons
for who in clamd agent; do
        sock=$CLAMD_SOCKET
        [ $who = agent ] && sock=$AGENT_SOCKET
        printf 'LocalSocket %s\nExcludePath /skip$\nExcludePath \\.excluded$\n' "$sock" \
                >"$dir/$who-client.conf"
done
clamdscan_answer() { # clamdscan_answer WHO MODE TARGET: sorted lines, then the exit status
        local out rc
        out=$(clamdscan --no-summary -c "$dir/$1-client.conf" $2 "$3" 2>&1)
        rc=$?
        printf '%s\n' "$out" | sort
        echo "rc=$rc"
}
for mode in "" --fdpass --stream --multiscan "--multiscan --fdpass" --allmatch \
        "--allmatch --fdpass" "--allmatch --stream"; do
        for target in clean.txt eicar.com multi.bin tree; do
                want=$(clamdscan_answer clamd "$mode" "$f/$target")
                got=$(clamdscan_answer agent "$mode" "$f/$target")
                expect "clamdscan ${mode:-(CONTSCAN)} $target: as with clamd (${got##*rc=})" \
                        same_text "$want" "$got"
        done
done

both_one() { # both_one REQUEST: the z command to both daemons; prints the reply (they must agree)
        /usr/bin/python3 "$top_srcdir/tests/agent/client.py" parity_one "$AGENT_SOCKET" - \
                "$CLAMD_SOCKET" "$1"
}
mixed=$f/mixed.zip
expect "HeuristicScanPrecedence no: the signature behind an encrypted member (clamd too)" \
        same_text "$mixed: Clamftp.Test.EICAR.NDB.UNOFFICIAL FOUND" "$(both_one "SCAN $mixed")"

# HeuristicScanPrecedence yes and AllowAllMatchScan no: a second pair. The agent's signatures
# also name one after shell syntax, for its VirusEvent.
clamd_stop
agent_stop
evil='Clamftp.Evil.$(touch${IFS}pwned);id'
printf '%s:0:*:%s\n' "$evil" "$(hex "clamftp parity evil marker")" >"$dir/evil.ndb"
echo "clamftp parity evil marker" >"$f/evil.bin"
mkdir -p "$dir/db2" && cp "$dir"/db/*.*db "$dir/evil.ndb" "$dir/db2/"
pair2=("HeuristicScanPrecedence yes" "AllowAllMatchScan no" "AlertEncrypted yes"
       "FollowFileSymlinks yes" "FollowDirectorySymlinks yes" "CrossFilesystems no")
CLAMD_DB=$dir/db CLAMD_EXTRA_CONF=$(printf '%s\n' "${pair2[@]}") \
        suite_start clamd clamd_start "$dir/clamd2"
AGENT_DB=$dir/db2 suite_start clamav-agent agent_start "$dir/agent2" "${pair2[@]}" \
        "ScanOneNote no" "VirusEvent $dir/record.sh $dir/events/agent2 %v"
expect "HeuristicScanPrecedence yes: the encrypted member's alert first (clamd too)" \
        same_text "$mixed: Heuristics.Encrypted.Zip FOUND" "$(both_one "SCAN $mixed")"
expect "AllowAllMatchScan no: clamd's refusal" \
        same_text "$f/multi.bin: ALLMATCHSCAN command disabled by clamd configuration. ERROR" \
        "$(both_one "ALLMATCHSCAN $f/multi.bin")"
expect "FollowFileSymlinks yes: a link named is scanned, under its own name (clamd too)" \
        same_text "$f/link-to-eicar: Clamftp.Test.EICAR.NDB.UNOFFICIAL FOUND" \
        "$(both_one "SCAN $f/link-to-eicar")"
# CrossFilesystems no: a directory reached through a link onto /dev/shm is another file system
if [ -d /dev/shm ] && [ "$(stat -c %d /dev/shm)" != "$(stat -c %d "$dir")" ] &&
        shm=$(mktemp -d /dev/shm/clamftp-parity.XXXXXX); then
        suite_at_exit "rm -rf '$shm'"
        { eicar; echo shm; } >"$shm/eicar.txt"
        chmod -R a+rX "$shm"
        mkdir -p "$f/xfs" && echo fine >"$f/xfs/fine.txt" && ln -s "$shm" "$f/xfs/elsewhere"
        expect "CrossFilesystems no: Excluded (another filesystem), the rest OK (clamd too)" \
                same_text "$f/xfs/elsewhere: Excluded (another filesystem)|$f/xfs: OK" \
                "$(both_one "CONTSCAN $f/xfs" | tr '\0' '|')"
else
        skip "CrossFilesystems no" "/dev/shm is not another file system here"
fi
got=$(agent_client parity_agent_stream "$AGENT_SOCKET" - "$f/evil.bin")
expect "a signature named like shell syntax: found ($got)" \
        same_text "stream: $evil.UNOFFICIAL FOUND" "$got"
wait_until 5 caught_up agent2 1
expect "VirusEvent without a shell: the name is one argument, word for word" \
        same_text "arg: $evil.UNOFFICIAL" "$(grep -h '^arg: Clamftp.Evil' "$dir"/events/agent2/event.*)"
expect "VirusEvent without a shell: nothing the name says ran (no file pwned)" \
        test ! -e pwned -a ! -e "$dir/agent2/pwned" -a ! -e /pwned

# -V: clamd's line for the same DatabaseDirectory (a daily.cvd header), then the agent's own
mkdir -p "$dir/vdb"
printf '%-512s' "ClamAV-VDB:07 Dec 2026 10-00 +0000:27123:100:90:0123456789abcdef0123456789abcdef:X:builder:1796630400" \
        >"$dir/vdb/daily.cvd"
printf 'DatabaseDirectory %s\nLocalSocket %s/vdb/s\n' "$dir/vdb" "$dir" >"$dir/vdb/clamd.conf"
want=$(clamd -c "$dir/vdb/clamd.conf" -V)
got=$("$AGENT_BIN" -V --db "$dir/vdb")
expect "clamav-agent -V: clamd -V's line ($want)" same_text "$want" "${got%%$'\n'*}"
expect_output "clamav-agent -V: then its own name and version" '^clamav-agent [0-9]+\.[0-9]+' \
        "$AGENT_BIN" -V

# clamd settings the agent does not have are refused with the reason
printf 'User clamav\n' >"$dir/user.conf"
got=$("$AGENT_BIN" --config "$dir/user.conf" --foreground 2>&1)
expect "clamd's User: refused, saying why" same_text \
        "clamav-agent: $dir/user.conf line 1: clamd's setting User is not one of clamav-agent's: start the agent as the user it should run as" \
        "$got"
tap_done
