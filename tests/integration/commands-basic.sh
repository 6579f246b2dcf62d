#!/bin/bash
# tests/integration/commands-basic.sh — the session and directory commands of line mode against a
# real vsftpd: open (prompts, ~/.netrc, URL), a command before open, quit/bye/close/user, pwd, cd,
# cdup, mkdir, rmdir, delete, rename, ls (passive and active), lcd, lpwd, lls, prompt, passive,
# status, verbose, help.
. "$top_srcdir/tests/lib/suite.sh"

ALL_COMMANDS="open quit close user put mput get mget delete rename mkdir rmdir ls cd cdup pwd
lcd lpwd lls ascii binary prompt passive status help verbose"
suite_begin commands-basic scanner vsftpd clamftp:open,pwd
CF_DEADLINE=20

# --- a remote command before open
for c in pwd ls "cd x" "get x" "mkdir x"; do
        CF_INPUT= cf_run -c "$c"
        expect "'$c' before open: exit status 2" cf_rc_is 2
        expect "'$c' before open: the message says to open first" cf_says 'open'
done

# --- open with the Username:/Password: prompts
cf_session "pwd"
expect "open + prompts: exit 0" cf_rc_is 0
expect "open + prompts: asks Username:" cf_says 'username:'
expect "open + prompts: asks Password:" cf_says 'password:'
expect "open + prompts: pwd prints \"/\"" cf_stdout_has '(^|[ "])/("|$| )'
expect "open + prompts: the password never appears in the output" eval '! cf_says "$FTP_PASS"'

cf_session "verbose; user $FTP_USER $FTP_PASS; pwd"
expect "verbose: the conversation shows USER and PWD" eval 'cf_says "USER .*clamftp-test" && cf_says "--> PWD|PWD"'
expect "verbose: the conversation shows the 257 reply" cf_says '257'
expect "verbose: PASS is masked" eval '! cf_says "$FTP_PASS"'

CF_INPUT="$FTP_USER
wrong-password
" cf_run -c "open 127.0.0.1 $FTP_PORT; pwd"
expect "open with a wrong password: exit status 2" cf_rc_is 2
expect "open with a wrong password: says the login failed" cf_says 'login|530|incorrect|denied'

# --- open with ~/.netrc (no prompts needed)
printf 'machine 127.0.0.1\nlogin %s\npassword %s\n' "$FTP_USER" "$FTP_PASS" >"$HOME/.netrc"
chmod 0600 "$HOME/.netrc"
CF_INPUT= cf_run -c "open 127.0.0.1 $FTP_PORT; pwd"
expect "open with ~/.netrc: exit 0 without typing anything" cf_rc_is 0
expect "open with ~/.netrc: pwd works" cf_stdout_has '/'
rm -f "$HOME/.netrc"

# --- open from a URL
mkdir -p "$FTP_ROOT/urldir"
ftp_own
CF_INPUT="pwd
quit
" cf_run "ftp://$FTP_USER:$FTP_PASS@127.0.0.1:$FTP_PORT/"
expect "URL: ftp://user:pass@host:port/ opens at once (exit 0)" cf_rc_is 0
expect "URL: then reads commands from stdin (pwd prints /)" cf_stdout_has '/'
CF_INPUT= cf_run -c "pwd" "ftp://$FTP_USER:$FTP_PASS@127.0.0.1:$FTP_PORT/urldir/"
expect "URL with a path: exit 0" cf_rc_is 0
expect "URL with a path: starts in /urldir" cf_stdout_has '/urldir'
CF_INPUT= cf_run -c "open ftp://$FTP_USER:$FTP_PASS@127.0.0.1:$FTP_PORT/urldir/; pwd"
expect "open URL: exit 0" cf_rc_is 0
expect "open URL with a path: logged in, in /urldir" cf_stdout_has '/urldir'
CF_INPUT="$FTP_PASS
" cf_run -c "open ftp://$FTP_USER@127.0.0.1:$FTP_PORT/; pwd"
expect "open URL without a password: asks for it, then exit 0" eval 'cf_rc_is 0 && cf_says "password:"'
CF_INPUT= cf_run -c "open ftp://$FTP_USER:$FTP_PASS@127.0.0.1:$FTP_PORT/ 21"
expect "open URL PORT: refused as a usage error (exit 2), nothing connected" eval 'cf_rc_is 2 && cf_says "takes no second argument"'
CF_INPUT="$FTP_PASS
" cf_run -c "pwd" "ftp://$FTP_USER@127.0.0.1:$FTP_PORT/"
expect "URL without a password: asks for it and opens (exit 0)" cf_rc_is 0

# --- commands from stdin (the ftp> prompt) and from a batch file (-b)
CF_INPUT="open 127.0.0.1 $FTP_PORT
$FTP_USER
$FTP_PASS
mkdir from-stdin
pwd
" cf_run
expect "stdin line mode: exit 0" cf_rc_is 0
expect "stdin line mode: the commands ran" [ -d "$FTP_ROOT/from-stdin" ]
if command -v script >/dev/null; then
        # on a terminal, --line keeps line mode and shows the prompt
        prompt_out=$(printf 'lpwd\nquit\n' | timeout 10 script -qec "$(clamftp_bin) --line --scanner $CF_SCANNER" /dev/null 2>&1)
        expect "--line on a terminal: shows the ftp> prompt" eval 'printf "%s" "$prompt_out" | grep -q "ftp> "'
else
        skip "--line on a terminal: shows the ftp> prompt" "script(1) is not installed"
fi
printf 'open 127.0.0.1 %s\nmkdir from-batch\ncd from-batch\npwd\n' "$FTP_PORT" >"$SUITE_DIR/batch.txt"
CF_INPUT="$FTP_USER
$FTP_PASS
" cf_run -b "$SUITE_DIR/batch.txt"
expect "-b FILE: exit 0" cf_rc_is 0
expect "-b FILE: the batch's commands ran" eval '[ -d "$FTP_ROOT/from-batch" ] && cf_stdout_has /from-batch'
printf 'open 127.0.0.1 %s\ncd no-such-dir\nmkdir after-failure\n' "$FTP_PORT" >"$SUITE_DIR/batch2.txt"
CF_INPUT="$FTP_USER
$FTP_PASS
" cf_run -b "$SUITE_DIR/batch2.txt"
expect "-b FILE with a failing command: exit 2" cf_rc_is 2
CF_INPUT= cf_run -b "$SUITE_DIR/no-such-batch.txt"
expect "-b with a missing file: exit 2" cf_rc_is 2

# --- CR, LF and NUL in what the user types are refused before anything is sent
cf_session "verbose; mkdir $(printf 'evil\rDELE x')"
expect "CR in an argument: refused (exit 2)" cf_rc_is 2
expect "CR in an argument: no MKD reaches the server" eval '! cf_says "MKD evil"'
expect "CR in an argument: no directory is created" [ -z "$(find "$FTP_ROOT" -name 'evil*')" ]

# --- quit, bye, close, user
cf_session "verbose; quit; mkdir after-quit"
expect "quit: exit 0" cf_rc_is 0
expect "quit: sends QUIT" cf_says 'QUIT'
expect "quit: later commands do not run" [ ! -e "$FTP_ROOT/after-quit" ]
cf_session "verbose; bye; mkdir after-bye"
expect "bye: exit 0 and sends QUIT" eval 'cf_rc_is 0 && cf_says QUIT'
expect "bye: later commands do not run" [ ! -e "$FTP_ROOT/after-bye" ]
cf_session "close; pwd"
expect "close: a remote command afterwards fails with exit 2" cf_rc_is 2
expect "close: ... and says to open first" cf_says 'open'
CF_INPUT="$FTP_USER
$FTP_PASS
$FTP_USER
$FTP_PASS
" cf_run -c "open 127.0.0.1 $FTP_PORT; close; open 127.0.0.1 $FTP_PORT; mkdir reopened"
expect "close then open again: exit 0" cf_rc_is 0
expect "close then open again: the second session works" [ -d "$FTP_ROOT/reopened" ]
cf_session "user $FTP_USER $FTP_PASS; mkdir by-user"
expect "user NAME PASS: logs in again (exit 0)" cf_rc_is 0
expect "user NAME PASS: the new login works" [ -d "$FTP_ROOT/by-user" ]
cf_session "user $FTP_USER; mkdir by-user2" "$FTP_PASS"
expect "user NAME (password prompted): exit 0" cf_rc_is 0
expect "user NAME (password prompted): the new login works" [ -d "$FTP_ROOT/by-user2" ]
cf_session "user nosuchuser badpass"
expect "user with bad credentials: exit 2" cf_rc_is 2

# --- directories: mkdir, cd, pwd, cdup, rmdir, rename, delete
cf_session "mkdir d1; cd d1; pwd; mkdir d2; cd d2; pwd; cdup; pwd; rmdir d2; cdup; rename d1 d3"
expect "directory commands: exit 0" cf_rc_is 0
expect "cd d1; pwd prints /d1" cf_stdout_has '/d1("|$| )'
expect "cd d2; pwd prints /d1/d2" cf_stdout_has '/d1/d2'
expect "mkdir created d1 and rename moved it to d3" eval '[ -d "$FTP_ROOT/d3" ] && [ ! -e "$FTP_ROOT/d1" ]'
expect "rmdir removed d2" [ ! -e "$FTP_ROOT/d3/d2" ]
printf 'on the server\n' >"$FTP_ROOT/del.txt"
printf 'rename me\n' >"$FTP_ROOT/old.txt"
ftp_own
cf_session "delete del.txt; rename old.txt new.txt"
expect "delete and rename: exit 0" cf_rc_is 0
expect "delete removed del.txt" [ ! -e "$FTP_ROOT/del.txt" ]
expect "rename moved old.txt to new.txt" eval '[ ! -e "$FTP_ROOT/old.txt" ] && [ "$(cat "$FTP_ROOT/new.txt")" = "rename me" ]'
# rename onto a name that exists: asked while prompt is on (the answer is the next input line)
printf 'keep me\n' >"$FTP_ROOT/kept.txt"
printf 'other\n' >"$FTP_ROOT/other.txt"
ftp_own
cf_session "rename other.txt kept.txt; ls" n
expect "rename onto an existing name, answered no: exit 0, the question asked" \
        eval 'cf_rc_is 0 && cf_says "kept\.txt exists already: replace it with other\.txt\?"'
expect "rename answered no: both files stay as they were" \
        eval '[ "$(cat "$FTP_ROOT/kept.txt")" = "keep me" ] && [ -e "$FTP_ROOT/other.txt" ]'
cf_session "rename other.txt kept.txt" y
expect "rename answered yes: the file is replaced" \
        eval 'cf_rc_is 0 && [ "$(cat "$FTP_ROOT/kept.txt")" = "other" ] && [ ! -e "$FTP_ROOT/other.txt" ]'
# delete -r: a tree on the server, after a question that counts what goes
mkdir -p "$FTP_ROOT/tree/a/b" && printf 'x\n' >"$FTP_ROOT/tree/a/one.txt" && printf 'y\n' >"$FTP_ROOT/tree/a/b/two.txt"
ln -s "$SUITE_DIR" "$FTP_ROOT/tree/a/b/escape"   # a link out of the server root: deleted, never followed
ftp_own
cf_session "delete -r tree" n
expect "delete -r asks how many entries go; no keeps the tree" \
        eval 'cf_rc_is 0 && cf_says "Delete tree and the 5 entries below it\?" && [ -f "$FTP_ROOT/tree/a/b/two.txt" ]'
cf_session "delete -r tree" y
expect "delete -r answered yes: the tree is gone" eval 'cf_rc_is 0 && [ ! -e "$FTP_ROOT/tree" ] && cf_says "Deleted tree and the 5 entries below it"'
cf_session "delete -r"
expect "delete -r without a directory: exit 2 and the usage, nothing sent" eval 'cf_rc_is 2 && cf_says "Usage: delete"'
cf_session "delete -r ."
expect "delete -r . is refused: exit 2, the server's files stay" \
        eval 'cf_rc_is 2 && cf_says "Refusing to delete \." && [ -e "$FTP_ROOT/kept.txt" ]'
cf_session "delete tree2 extra"
expect "delete with two names that are not -r: the usage" eval 'cf_rc_is 2 && cf_says "Usage: delete"'

# open alone: the last server again, as the same user; only the password is asked again
CF_INPUT="$FTP_USER
$FTP_PASS
$FTP_PASS
"
cf_run -c "open 127.0.0.1 $FTP_PORT; close; open; pwd"
CF_INPUT=
expect "open alone reconnects to the last server as the same user" \
        eval 'cf_rc_is 0 && [ "$(printf "%s" "$CF_OUT" | grep -c "Logged in as ")" -eq 2 ] && cf_says "Remote directory: "'
CF_INPUT= cf_run -c "open"
expect "open alone before any server: exit 2 and the usage" eval 'cf_rc_is 2 && cf_says "No server was opened yet"'
cf_session "delete no-such-file"
expect "delete of a missing file: exit 2 with the server's answer" eval 'cf_rc_is 2 && cf_says "550|fail|no such"'
cf_session "cd no-such-dir"
expect "cd into a missing directory: exit 2" cf_rc_is 2

# --- ls in both modes
mkdir -p "$FTP_ROOT/lsdir/inner"
printf 'x' >"$FTP_ROOT/lsdir/listed-file.txt"
printf 'y' >"$FTP_ROOT/lsdir/inner/deeper.txt"
ftp_own
for CF_MODE in $CF_MODES; do
        cf_session "cd lsdir; ls"
        expect "$CF_MODE: ls: exit 0" cf_rc_is 0
        expect "$CF_MODE: ls lists the file and the directory" eval 'cf_stdout_has listed-file.txt && cf_stdout_has inner'
        cf_session "ls lsdir/inner"
        expect "$CF_MODE: ls PATH lists that directory" eval 'cf_rc_is 0 && cf_stdout_has deeper.txt'
        expect "$CF_MODE: ls PATH does not list the current directory" eval '! cf_stdout_has listed-file.txt'
done
CF_MODE=passive
cf_session "passive; verbose; ls lsdir"
expect "passive toggles to active mode: the listing still arrives" eval 'cf_rc_is 0 && cf_stdout_has listed-file.txt'
expect "passive toggles to active mode: EPRT or PORT is sent" cf_says 'EPRT|PORT '
CF_MODE=active
cf_session "verbose; ls lsdir"
expect "--active: EPRT or PORT is sent" cf_says 'EPRT|PORT '
CF_MODE=passive
cf_session "verbose; ls lsdir"
expect "default passive mode: EPSV or PASV is sent" cf_says 'EPSV|PASV'

# --- local commands
mkdir -p "$SUITE_DIR/elsewhere"
printf 'local\n' >"$SUITE_DIR/elsewhere/local-only.txt"
CF_INPUT= cf_run -c "lcd $SUITE_DIR/elsewhere; lpwd; lls"
expect "lcd/lpwd/lls work without a connection (exit 0)" cf_rc_is 0
expect "lpwd prints the directory lcd went to" cf_stdout_has "$SUITE_DIR/elsewhere"
expect "lls lists the local file" cf_stdout_has 'local-only.txt'
CF_INPUT= cf_run -c "lcd $SUITE_DIR/no-such-dir"
expect "lcd into a missing directory: exit 2" cf_rc_is 2

# --- status, prompt, passive, ascii/binary
cf_session "cd urldir; status"
expect "status: exit 0" cf_rc_is 0
expect "status names the server" cf_stdout_has "127\.0\.0\.1"
expect "status names the user" cf_stdout_has "$FTP_USER"
expect "status names the directory" cf_stdout_has '/urldir'
expect "status names the transfer type (binary)" eval 'printf "%s" "$CF_OUT" | grep -iq binary'
expect "status names the mode (passive)" eval 'printf "%s" "$CF_OUT" | grep -iq passive'
expect "status names the scanner" cf_stdout_has "$CF_SCANNER_SOCKET"
cf_session "ascii; passive; prompt; status"
expect "status after ascii: the type is ascii" eval 'printf "%s" "$CF_OUT" | grep -iq ascii'
expect "status after passive: the mode is active" eval 'printf "%s" "$CF_OUT" | grep -iq active'
expect "status after prompt: prompting is off" eval 'printf "%s" "$CF_OUT" | grep -Eiq "prompt.*(off|no|false)"'
printf 'clean\n' >"$CF_LOCAL/for-status.txt"
cf_session "put for-status.txt; status"
expect "status shows the scanner's last answer (OK and the file)" \
        eval 'printf "%s" "$CF_OUT" | grep -F "$CF_SCANNER_SOCKET" | grep -q "OK.*for-status.txt"'
eicar >"$CF_LOCAL/eicar-status.com"
cf_session "put eicar-status.com; status"
expect "status after a refusal shows the signature as the last answer" \
        eval 'printf "%s" "$CF_OUT" | grep -F "$CF_SCANNER_SOCKET" | grep -q "Clamftp.Test.EICAR"'
expect "status after a refusal: the file is not on the server" [ ! -e "$FTP_ROOT/eicar-status.com" ]

# --- help
CF_INPUT= cf_run -c "help"
expect "help: exit 0" cf_rc_is 0
missing=
for c in $ALL_COMMANDS; do
        printf '%s\n' "$CF_OUT" | grep -qw -- "$c" || missing="$missing $c"
done
expect "help lists every command (missing:${missing:- none})" [ -z "$missing" ]
for c in put mget status; do
        CF_INPUT= cf_run -c "help $c"
        expect "help $c: exit 0 and mentions $c" eval 'cf_rc_is 0 && cf_stdout_has "$c"'
done
CF_INPUT= cf_run -c "help bye"
expect "help bye: exit 0 (bye is quit)" eval 'cf_rc_is 0 && cf_stdout_has "quit|bye"'
CF_INPUT= cf_run -c "help put"
put_help=$CF_OUT
CF_INPUT= cf_run -c "help get"
expect "help put and help get differ" [ "$put_help" != "$CF_OUT" ]
CF_INPUT= cf_run -c "? get"
expect "? get works like help get" eval 'cf_rc_is 0 && cf_stdout_has get'
CF_INPUT= cf_run -c "no-such-command"
expect "an unknown command: exit 2 and a message" eval 'cf_rc_is 2 && [ -n "$CF_ALL" ]'

# --- a password in a URL on the command line is not left for ps to read: a server that accepts
# and then says nothing keeps clamftp waiting for the greeting while its arguments are read
silent_port=$(free_port)
python3 -c 'import socket,sys,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1); open(sys.argv[2], "w").close()
c,_=s.accept(); open(sys.argv[3], "w").close(); time.sleep(30)' "$silent_port" "$SUITE_DIR/silent.ready" "$SUITE_DIR/silent.accepted" &
silent_pid=$!
wait_until 10 test -e "$SUITE_DIR/silent.ready"
"$(clamftp_bin)" --line -c lpwd "ftp://bob:S3cretPass@127.0.0.1:$silent_port/" >/dev/null 2>&1 &
cf_pid=$!
wait_until 10 test -e "$SUITE_DIR/silent.accepted" # clamftp connected: its options are parsed
cmdline=$(tr '\0' ' ' <"/proc/$cf_pid/cmdline" 2>/dev/null)
kill "$cf_pid" "$silent_pid" 2>/dev/null; wait "$cf_pid" "$silent_pid" 2>/dev/null
expect "a URL's password is not in /proc/PID/cmdline while clamftp runs (${cmdline:-nothing read})" \
        eval '[ -n "$cmdline" ] && [[ $cmdline == *"bob:"*"@127.0.0.1"* ]] && [[ $cmdline != *S3cretPass* ]]'

tap_done
