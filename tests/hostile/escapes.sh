#!/bin/bash
# tests/hostile/escapes.sh — no byte of a hostile server reaches the terminal. The esc-* scenarios
# of tests/hostile/ftpd.py put ESC, CSI (ESC [ 2J, ESC [ 31m), OSC (ESC ] 0;title BEL), a bare CR,
# BEL and C1 0x9b (a raw byte, and UTF-8 U+009B) into 5xx reply texts (CWD, RETR, STOR, DELE, MKD,
# RMD, SIZE, RNFR), a multi-line 200 to `quote`, PWD, a multi-line 220 greeting, 421 (greeting and
# mid-session), a greeting without a code, LIST/NLST/MLSD names, MLSD facts, and a certificate's
# subject and issuer. clamftp runs against each in line mode, without and with `verbose` (on
# before `open`, so the greeting is traced), and in the headless full screen.
# Pins, for every run: what clamftp writes (stdout and stderr, or the screen and its output) is
# UTF-8 without C0 but tab and newline, DEL or C1; the server's text is shown escaped (\x1b, \x0d,
# \x07, \x9b, \u009b; OpenSSL's own \1B in a certificate) where it is quoted, in the trace too; the
# exit status is 2 when a command failed, 0 otherwise; the fake "Uploaded x.txt as x.txt (1 KiB,
# scanned clean)." a server sends after a CR never starts a line.
. "$top_srcdir/tests/lib/suite.sh"

[ -x /usr/bin/python3 ] || skip_all "/usr/bin/python3 is missing"
# short timeouts so that every failure case ends quickly
CF_CONNECT_TIMEOUT=3 CF_REPLY_TIMEOUT=3 CF_DATA_TIMEOUT=2
suite_begin hostile-escapes scanner clamftp:get,mget,put,delete,mkdir,rmdir,size,rename,quote,verbose,status
. "$top_srcdir/tests/hostile/server.sh"
FTP_USER=anonymous
FTP_PASS=test@example.org
export TZ=UTC LC_ALL=C.UTF-8
printf 'a clean file\n' >"$CF_LOCAL/x.txt"

# ftpd.py's ESC_TEXT as clamftp must show it (an ERE), and its FAKE_OK line.
SHOWN='ESC\\x1b\[2J CSI\\x1b\[31m OSC\\x1b\]0;title\\x07 CR\\x0d BEL\\x07 C1raw\\x9b C1utf8\\u009b end'
FAKE='Uploaded x\.txt as x\.txt \(1 KiB, scanned clean\)\.'
# ftpd.py's ESC_NAMES, escaped
NAMES=('esc\\x1b\[2J\.txt' 'csi\\x1b\[31mred\.txt' 'osc\\x1b\]0;title\\x07\.txt' "cr\\\\x0d$FAKE"
       'bel\\x07\.txt' 'c1raw\\x9b\.txt' 'c1utf8\\u009b\.txt')
UNSAFE=("${NAMES[@]:0:5}") # the names with C0 in them: never a local file
C1_PWD='/c1\\u009bdir\\x9b'

# terminal_safe [FILE…]: the files (or stdin) are UTF-8 with no C0 but tab and newline (a CR only
# right before a newline), no DEL and no C1; else prints the first offender and where.
SAFE_PY='
import sys
def check(name, raw):
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print("%s: not UTF-8 at byte %d: %r" % (name, e.start, raw[max(0, e.start - 40):e.start + 40]))
        return False
    for i, c in enumerate(text):
        if c in "\t\n" or (c == "\r" and text[i + 1:i + 2] == "\n"):
            continue
        if ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f:
            print("%s: U+%04X at %d: %r" % (name, ord(c), i, text[max(0, i - 60):i + 60]))
            return False
    return True
names = sys.argv[1:]
ok = all([check(n, open(n, "rb").read()) for n in names]) if names else check("output", sys.stdin.buffer.read())
sys.exit(0 if ok else 1)
'
terminal_safe() { /usr/bin/python3 -c "$SAFE_PY" "$@"; }
cf_safe() { printf '%s' "$CF_ALL" | terminal_safe; }
# no line (split at LF and at CR) starts with the fake success line
no_fake_line() { ! printf '%s\n' "$CF_ALL" | tr '\r' '\n' | grep -Eq "^[[:space:]]*$FAKE"; }

# check_run WHAT RC ERE…: the last run exited RC, wrote nothing unsafe and no fake line, and
# shows every ERE.
check_run() {
        local what=$1 rc=$2 ere
        shift 2
        expect "$what: exit status $rc" cf_rc_is "$rc"
        expect "$what: no raw ESC, CR, BEL or C1 byte in the output" cf_safe
        expect "$what: the fake success line does not start a line" no_fake_line
        for ere in "$@"; do
                expect "$what: shows $ere" cf_says "$ere"
        done
}

# both_modes WHAT RC CMDS ERE…: CMDS after open and login, then again with `verbose` on before
# `open` (the answers to questions in the array ANSWERS); check_run both times, and the verbose
# run also shows every ERE of the array TRACE.
ANSWERS=() TRACE=()
both_modes() {
        local what=$1 rc=$2 cmds=$3
        shift 3
        CF_BEFORE_OPEN= cf_session "$cmds" "${ANSWERS[@]}"
        check_run "$what" "$rc" "$@"
        CF_BEFORE_OPEN=verbose cf_session "$cmds" "${ANSWERS[@]}"
        check_run "$what, verbose" "$rc" "$@" "${TRACE[@]}"
        ANSWERS=() TRACE=()
}

# ---- line mode: replies ------------------------------------------------------------------
start_server esc-replies
TRACE=("<-- 550 CWD refused: $SHOWN")
both_modes "550 to CWD" 2 "cd d" "Changing directory to .d.: the server answered 550 CWD refused: $SHOWN$"
TRACE=("<-- 550 RETR refused: $SHOWN")
both_modes "550 to RETR" 2 "get r.txt" "550 RETR refused: $SHOWN$"
expect "550 to RETR: r.txt is not created" [ ! -e "$CF_LOCAL/r.txt" ]
TRACE=("<-- 553 STOR refused: $SHOWN\\\\x0d$FAKE$")
both_modes "553 to STOR, a CR and a fake success after it" 2 "put x.txt" "553 STOR refused: $SHOWN\\\\x0d$FAKE$"
TRACE=("<-- 550-DELE refused: $SHOWN$" "<-- \\\\x0d$FAKE$" "<-- 550 $SHOWN\\\\x0d$FAKE$")
both_modes "multi-line 550 to DELE, a fake success line in it" 2 "delete x.txt" "550 $SHOWN\\\\x0d$FAKE$"
TRACE=("<-- 550 MKD refused: $SHOWN")
both_modes "550 to MKD" 2 "mkdir m" "550 MKD refused: $SHOWN$"
TRACE=("<-- 550 RMD refused: $SHOWN")
both_modes "550 to RMD" 2 "rmdir m" "550 RMD refused: $SHOWN$"
TRACE=("<-- 550 SIZE refused: $SHOWN")
both_modes "550 to SIZE" 2 "size s.txt" "550 SIZE refused: $SHOWN$"
TRACE=("<-- 550 RNFR refused: $SHOWN")
both_modes "550 to RNFR" 2 "rename a b" "550 RNFR refused: $SHOWN$"
TRACE=('<-- 257 "/esc\\x1b\[2Jdir\\x07\\u009b"')
both_modes "PWD naming a directory with escapes" 2 "pwd" \
        'no usable directory name \("/esc\\x1b\[2Jdir\\x07\\u009b" is the current directory\)'
TRACE=("<-- 200-SITE says: $SHOWN$" "<-- 200 $SHOWN$")
both_modes "a multi-line 200 to quote" 0 "quote SITE HELP" "^200-SITE says: $SHOWN$" "^\\\\x0d$FAKE$" "^200 $SHOWN$"
TRACE=("<-- 421 $SHOWN$")
both_modes "421 to CWD" 2 "cd 421" "The server closed the connection \(421 $SHOWN\)"

# ---- line mode: greetings ----------------------------------------------------------------
start_server esc-greeting
TRACE=("<-- 220-$SHOWN$" "<-- 220-\\\\x0d$FAKE$" "<--  continued $SHOWN$" "<-- 220 $SHOWN$")
both_modes "a multi-line 220 greeting" 0 "pwd" "^Remote directory: /$"
start_server esc-421-greeting
TRACE=("<-- 421 $SHOWN$")
both_modes "421 as the greeting" 2 "pwd" "The server closed the connection \(421 $SHOWN\)"
start_server esc-garbage-greeting
both_modes "a greeting without a code" 2 "pwd" "reply without a three-digit code \(“$SHOWN”\)"

# ---- line mode: names and facts ----------------------------------------------------------
# fresh_dir NAME: an empty SUITE_DIR/NAME
fresh_dir() { rm -rf "${SUITE_DIR:?}/$1" && mkdir -p "$SUITE_DIR/$1"; }
# local_names DIR: what DIR holds, one name a line, sorted bytewise
local_names() { (cd "$1" && ls -A | LC_ALL=C sort); }
C1_FILES=$(printf '%s\n' $'c1raw\x9b.txt' $'c1utf8\xc2\x9b.txt')
GOOD_FILES=$(printf '%s\n' 'good two.txt' good1.txt good3.bin)

start_server esc-names
TRACE=("<-- 257 \"$C1_PWD\"")
both_modes "LIST names" 0 "pwd; ls" "^Remote directory: $C1_PWD$" "${NAMES[@]/%/$}"
fresh_dir get-names
TRACE=("<-- 257 \"$C1_PWD\"")
both_modes "mget of LIST names" 2 "lcd $SUITE_DIR/get-names; prompt off; mget *" \
        "${UNSAFE[@]/#/Skipped }" 'Downloaded c1raw\\x9b\.txt' 'Downloaded c1utf8\\u009b\.txt'
want=$(printf '%s\n' "$C1_FILES" "$GOOD_FILES" | LC_ALL=C sort)
expect "mget of LIST names: the C1 names and the good ones arrive, nothing else" \
        same_text "$want" "$(local_names "$SUITE_DIR/get-names")"
ANSWERS=(n n n n n)
both_modes "mget of LIST names, asking for each" 2 "lcd $SUITE_DIR/get-names; mget *" \
        'Download c1raw\\x9b\.txt\?' 'Download c1utf8\\u009b\.txt\?'

start_server esc-names-nlst
fresh_dir get-nlst
both_modes "mget of NLST names" 2 "lcd $SUITE_DIR/get-nlst; prompt off; mget *" \
        "${UNSAFE[@]/#/Skipped }" 'Downloaded c1raw\\x9b\.txt' 'Downloaded c1utf8\\u009b\.txt'
expect "mget of NLST names: the C1 names and the good ones arrive, nothing else" \
        same_text "$want" "$(local_names "$SUITE_DIR/get-nlst")"
expect "mget of NLST names: the names came from NLST" grep -q '^--> NLST' "$SRV_DIR/log"

start_server esc-mlsd
FACT_FILES=(badmodify.txt badperm.txt evilfact.txt badsize.txt)
both_modes "MLSD names and facts" 0 "ls" "${NAMES[@]/%/$}" "${FACT_FILES[@]/%/$}" ' badtype\.txt$'
fresh_dir get-mlsd
both_modes "mget of MLSD names and facts" 2 "lcd $SUITE_DIR/get-mlsd; prompt off; mget *" \
        "${UNSAFE[@]/#/Skipped }" 'Skipped badtype\.txt' "${FACT_FILES[@]/#/Downloaded }"
want=$(printf '%s\n' "$C1_FILES" "$GOOD_FILES" "${FACT_FILES[@]}" | LC_ALL=C sort)
expect "mget of MLSD names and facts: what arrives is what the facts allow" \
        same_text "$want" "$(local_names "$SUITE_DIR/get-mlsd")"

# ---- line mode: a certificate --------------------------------------------------------------
CERT=$SUITE_DIR/cert
# OpenSSL quotes C0 in a subject as \1B, \07, \0D; U+009B is left to clamftp.
CERT_SUBJECT="/O=osc"$'\e]0;title\a'"/CN=esc"$'\e[2J'" bel"$'\a'" cr"$'\r'" c1"$'\xc2\x9b'
CERT_CN='CN=esc\\1B\[2J bel\\07 cr\\0D c1\\u009b'
CERT_CN_TWICE='CN=esc\\\\1B\[2J bel\\\\07 cr\\\\0D c1\\u009b' # escaped once more: backslashes doubled
TRUST=$HOME/.local/share/clamftp/trusted-certs
have_cert=
if command -v openssl >/dev/null && mkdir -p "$CERT" &&
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -utf8 \
                -subj "$CERT_SUBJECT" -keyout "$CERT/key.pem" -out "$CERT/cert.pem" >"$CERT/log" 2>&1; then
        have_cert=yes
fi
if [ -n "$have_cert" ]; then
        start_server esc-cert "$CERT/cert.pem" "$CERT/key.pem"
        both_modes "a certificate that does not verify" 2 "pwd" "subject: +.*$CERT_CN" \
                "issuer: +.*$CERT_CN" 'O=osc\\1B\]0\\;title\\07'
        mkdir -p "$(dirname "$TRUST")"
        echo "127.0.0.1:$FTP_PORT $(tls_fingerprint "$CERT/cert.pem")" >"$TRUST"
        TRACE=("^\(TLS: .*certificate .*$CERT_CN")
        both_modes "a trusted certificate" 0 "status" "^Connected to 127\.0\.0\.1 \(TLS.*$CERT_CN_TWICE" \
                "^Security: TLS.*$CERT_CN_TWICE"
        rm -f "$TRUST"
else
        skip "a certificate with escapes in its subject" "openssl did not make it: $(tail -n 1 "$CERT/log" 2>/dev/null || echo 'not installed')"
fi

# ---- the full screen -----------------------------------------------------------------------
s=$SUITE_DIR/screens
mkdir -p "$s"
# the keys of :open to the server running now and of its login dialogs
login_keys() { printf ':open 127.0.0.1 %s<Enter>\n%s<Enter>\n%s<Enter>\n' "$FTP_PORT" "$FTP_USER" "$FTP_PASS"; }
# tui NAME RC: the key script $SUITE_DIR/NAME.keys headless at 300x100 in CF_LOCAL (its dumps are
# $s/NAME.*); it exits RC and neither its screens nor its output hold anything unsafe.
tui() {
        local name=$1 rc=$2
        tui_headless "$CF_LOCAL" 300x100 30 "$SUITE_DIR/$name.keys" "$SUITE_DIR/$name.out" --scanner "$CF_SCANNER"
        expect "full screen, $name: exit status $rc" tui_exited "$rc"
        expect "full screen, $name: no raw ESC, CR, BEL or C1 on the screens or in the output" \
                terminal_safe "$SUITE_DIR/$name.out" "$s/$name".*
}
# no line of a screen starts with the fake success line
screen_no_fake() { screen_lacks "$1" -E "^[[:space:]]*$FAKE"; }

start_server esc-replies
cat >"$SUITE_DIR/replies.keys" <<KEYS
$(login_keys)
:cd d<Enter>
:get r.txt<Enter>
<Home><Down><F5>
:delete x.txt<Enter>
:mkdir m<Enter>
:rmdir m<Enter>
:size s.txt<Enter>
:rename a b<Enter>
:pwd<Enter>
:quote SITE HELP<Enter>
:verbose<Enter>
:cd d<Enter>
<C-x>m
@dump $s/replies.log
<Esc>:cd 421<Enter>
@dump $s/replies.421
<Esc>0
KEYS
tui replies 2
for verb in CWD RETR MKD RMD SIZE RNFR; do
        expect "full screen: the 550 to $verb is shown escaped" screen_has replies.log -E "550 $verb refused: $SHOWN$"
done
expect "full screen: F5's 553 to STOR is shown escaped, the fake success inside it" \
        screen_has replies.log -E "553 STOR refused: $SHOWN\\\\x0d$FAKE$"
expect "full screen: the 550 to DELE is shown escaped" screen_has replies.log -E "550 $SHOWN\\\\x0d$FAKE$"
expect "full screen: the refused PWD is shown escaped" \
        screen_has replies.log -E 'no usable directory name \("/esc\\x1b\[2Jdir\\x07\\u009b"'
expect "full screen: quote's 200 is shown escaped" screen_has replies.log -E "^200-SITE says: $SHOWN$"
expect "full screen: the trace shows the 550 escaped" screen_has replies.log -E "^<-- 550 CWD refused: $SHOWN$"
expect "full screen: the fake success line does not start a line of the log" screen_no_fake replies.log
expect "full screen: the 421 is shown escaped" screen_has replies.421 -E "closed the connection \(421 $SHOWN\)"
expect "full screen: the 421 is traced escaped" screen_has replies.421 -E "^<-- 421 $SHOWN$"

# tui_log SCENARIO NAME RC open|login: against SCENARIO, :verbose, then :open (and the login),
# and the message log (C-x m) dumped as $s/NAME.log; tui NAME RC.
tui_log() {
        local name=$2 rc=$3 how=$4
        start_server "$1"
        {
                echo ":verbose<Enter>"
                if [ "$how" = login ]; then login_keys; else echo ":open 127.0.0.1 $FTP_PORT<Enter>"; fi
                printf '<C-x>m\n@dump %s\n<Esc><Esc>0\n' "$s/$name.log"
        } >"$SUITE_DIR/$name.keys"
        tui "$name" "$rc"
}
tui_log esc-greeting greeting 0 login
expect "full screen: the greeting's lines are traced escaped" eval \
        'screen_has greeting.log -E "^<-- 220-$SHOWN$" && screen_has greeting.log -E "^<-- 220-\\\\x0d$FAKE$" &&
         screen_has greeting.log -E "^<--  continued $SHOWN$" && screen_has greeting.log -E "^<-- 220 $SHOWN$"'
expect "full screen: the greeting's fake success line does not start a line" screen_no_fake greeting.log
tui_log esc-421-greeting greeting421 2 open
expect "full screen: a 421 greeting is shown escaped" \
        screen_has greeting421.log -E "closed the connection \(421 $SHOWN\)"
expect "full screen: a 421 greeting is traced escaped" screen_has greeting421.log -E "^<-- 421 $SHOWN$"
tui_log esc-garbage-greeting garbage 2 open
expect "full screen: a greeting without a code is quoted escaped (C1 too)" \
        screen_has garbage.log -E "without a three-digit code \(“$SHOWN”\)"

start_server esc-names
cat >"$SUITE_DIR/names.keys" <<KEYS
$(login_keys)
@dump $s/names.panes
:status<Enter>
<Tab><Home><Down><F5>
<C-x>m
@dump $s/names.log
<Esc><Esc>0
KEYS
tui names 2
expect "full screen: the remote path from PWD is shown escaped" screen_has names.panes -E "\| ?>?Remote: $C1_PWD$"
for name in "${NAMES[@]}"; do
        expect "full screen: the remote pane shows $name" screen_has names.panes -E "\| $name +[0-9]+ 2024-01-01"
done
expect "full screen: status shows the remote directory escaped" \
        screen_has names.log -E "^Remote directory: $C1_PWD$"
expect "full screen: F5 on bel\\x07.txt says it cannot name a local file, escaped" \
        screen_has names.log -E '^bel\\x07\.txt cannot name a local file'

start_server esc-mlsd
cat >"$SUITE_DIR/mlsd.keys" <<KEYS
$(login_keys)
@dump $s/mlsd.panes
<Esc>0
KEYS
tui mlsd 0
for name in "${NAMES[@]}" "${FACT_FILES[@]}" badtype.txt; do
        expect "full screen: the MLSD pane shows $name" screen_has mlsd.panes -E "\| $name +"
done

if [ -n "$have_cert" ]; then
        start_server esc-cert "$CERT/cert.pem" "$CERT/key.pem"
        cat >"$SUITE_DIR/cert.keys" <<KEYS
:open 127.0.0.1 $FTP_PORT<Enter>
@dump $s/cert.ask
t
$FTP_USER<Enter>
$FTP_PASS<Enter>
:status<Enter>
@dump $s/cert.panes
<C-x>m
@dump $s/cert.log
<Esc><Esc>0
KEYS
        tui cert 0
        expect "full screen: the certificate dialog shows the subject escaped" \
                screen_has cert.ask -E "Subject: +.*$CERT_CN_TWICE"
        expect "full screen: the status bar names the certificate escaped" \
                screen_has cert.panes -E "cert ${CERT_CN_TWICE#CN=} \(fingerprint\)"
        expect "full screen: status shows the certificate escaped" screen_has cert.log -E "^Security: TLS.*$CERT_CN_TWICE"
        rm -f "$TRUST"
else
        skip "full screen: a certificate with escapes in its subject" "no certificate (see above)"
fi

stop_server
tap_done
