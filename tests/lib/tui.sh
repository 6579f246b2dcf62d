# tests/lib/tui.sh — helpers the full-screen suites share (sourced, not run).
# Owns: reading and driving a clamftp screen in tmux, and checking headless screen dumps.
# Must not: start servers (tests/lib/suite.sh does) or check anything itself: the conditions here
# are for `expect` (tests/lib/tap.sh), and print the screen when they fail.

# ---- tmux: needs $sock (the suite's private tmux socket) and a session named cf
screen() { tmux -L "$sock" capture-pane -p -t cf 2>/dev/null; }
# wait_screen SECONDS PATTERN: waits until the screen matches (grep -E); prints the screen as TAP
# diagnostics when it never does. As a check: expect "DESC" wait_screen SECONDS PATTERN
wait_screen() {
        local limit=$1 pattern=$2
        if wait_until "$limit" eval 'screen | grep -qE -- "$pattern"'; then
                return 0
        fi
        screen | tap_diag
        return 1
}
check_screen() { expect "$1" wait_screen "$2" "$3"; } # the older name (new suites: expect)
keys() { tmux -L "$sock" send-keys -t cf "$@"; }
text() { tmux -L "$sock" send-keys -t cf -l "$1"; }

# ---- headless: needs $s (the directory the key script's @dump steps write to)
# tui_headless DIR COLSxROWS SECONDS SCRIPT OUT [ARG…]: runs clamftp ARGs without a display
# (CLAMFTP_NO_DISPLAY) in DIR on the key script SCRIPT at that size, under `timeout SECONDS`, its
# output in OUT (TUI_OUT); sets rc to its exit status. tui_exited N: the condition rc = N.
tui_headless() {
        local wd=$1 size=$2 limit=$3 script=$4
        TUI_OUT=$5
        shift 5
        (cd "$wd" && CLAMFTP_NO_DISPLAY=1 CLAMFTP_SCRIPT=$script COLUMNS=${size%x*} LINES=${size#*x} \
                timeout -k 5 "$limit" "$(clamftp_bin)" "$@" >"$TUI_OUT" 2>&1)
        rc=$?
}
tui_exited() { [ "$rc" -eq "$1" ] || { echo "exit status $rc"; cat "$TUI_OUT"; false; }; }
show() { [ -f "$s/$1" ] && tap_diag <"$s/$1"; }
# screen_has SCREEN grep-args…: the dump SCREEN exists and has a line matching; else shows it.
# screen_lacks SCREEN grep-args…: the dump SCREEN exists and has no line matching; else shows it.
# As checks: expect "DESC" screen_has SCREEN -F "text"
screen_has() { local sc=$1; shift; [ -f "$s/$sc" ] && grep -q "$@" "$s/$sc" || { show "$sc"; false; }; }
screen_lacks() { local sc=$1; shift; [ -f "$s/$sc" ] && ! grep -q "$@" "$s/$sc" || { show "$sc"; false; }; }

# ---- tmux: starting clamftp, logging in, reading the cursor, timing keys (needs $sock too)
# tui_start COLS ROWS DIR [NAME=VALUE…] [-- ARG…]: a private tmux server ($sock, no config) whose
# session cf runs clamftp in DIR with the private HOME of clamftp_env, LANG=C.UTF-8, TZ=UTC, the
# NAME=VALUE pairs and the ARGs; when clamftp exits the screen shows CLAMFTP-EXIT=<status>.
tui_start() {
        local cols=$1 rows=$2 wd=$3 envs=(HOME="$HOME" XDG_CONFIG_HOME="$XDG_CONFIG_HOME"
                XDG_STATE_HOME="$XDG_STATE_HOME" XDG_CACHE_HOME="$XDG_CACHE_HOME" LANG=C.UTF-8 TZ=UTC)
        shift 3
        while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
        [ $# -gt 0 ] && shift
        local bin
        bin=$(clamftp_bin)
        tmux -L "$sock" -f /dev/null new-session -d -s cf -x "$cols" -y "$rows" \
                "cd ${wd@Q} && env ${envs[*]@Q} ${bin@Q} ${*@Q}; echo CLAMFTP-EXIT=\$?; sleep 600"
}
# tui_login: answers the login dialog with $FTP_USER and $FTP_PASS (after :open, or after a
# certificate was trusted); 1 when a question does not come.
tui_login() {
        wait_screen 10 'Username:' || return 1
        text "$FTP_USER"; keys Enter
        wait_screen 10 'Password:' || return 1
        text "$FTP_PASS"; keys Enter
}
# tui_probe state: prints "SIDE ROW NAME" for the active pane (L or R, the cursor's screen row,
# the first word on it; "-" for ROW and NAME when no row is highlighted). The cursor row is the
# one whose half is highlighted (reverse video or a background colour: capture-pane -e); the
# pane area ends at the first row highlighted across the whole width (the status bar).
# tui_probe cost N KEY…: sends N keys (the KEYs in turn: Tab, Down or Up) and times each from
# send-keys to the screen showing its effect (Tab: the other pane active; Down/Up: the cursor one
# row lower/higher), capture-pane polled as fast as it runs. Prints "MEDIAN MAX N" in ms, or
# "timeout after K keys: KEY" when one was not shown within 5 s.
tui_probe() {
        /usr/bin/python3 - "$sock" "$@" <<'PY'
import re, subprocess, sys, time
sock, mode, args = sys.argv[1], sys.argv[2], sys.argv[3:]
def tmux(*a):
    return subprocess.run(["tmux", "-L", sock] + list(a), capture_output=True, text=True).stdout
def rows():
    out = []
    for line in tmux("capture-pane", "-e", "-p", "-t", "cf").split("\n"):
        text, lit, rev, bg = [], [], False, False
        for m in re.finditer(r"\x1b\[([0-9;]*)m|([^\x1b])", line):
            if m.group(2) is not None:
                text.append(m.group(2)); lit.append(rev or bg); continue
            ps = [int(p) if p else 0 for p in m.group(1).split(";")]
            i = 0
            while i < len(ps):
                p = ps[i]
                if p == 0: rev = bg = False
                elif p == 7: rev = True
                elif p == 27: rev = False
                elif 40 <= p <= 47 or 100 <= p <= 107: bg = True
                elif p == 49: bg = False
                elif p in (38, 48):
                    if p == 48: bg = True
                    i += 2 if i + 1 < len(ps) and ps[i + 1] == 5 else 4
                i += 1
        out.append(("".join(text), lit))
    return out
def state():
    r = rows()
    head = r[0][0] if r else ""
    sep = head.find("|")
    side = "R" if head[sep + 1:sep + 2] == ">" else "L"
    lo, hi = (0, sep) if side == "L" else (sep + 1, len(head))
    for y in range(1, len(r)):
        text, lit = r[y]
        if len(lit) >= len(head) - 1 and all(lit):
            break  # the status bar
        if sep > 0 and len(lit) > lo + 1 and lit[lo + 1]:
            word = text[lo:hi].split()
            return side, y, word[0] if word else ""
    return side, "-", "-"
if mode == "state":
    print(*state()); sys.exit(0)
n, keyseq = int(args[0]), args[1:]
times = []
for i in range(n):
    key = keyseq[i % len(keyseq)]
    side, row, _ = state()
    if key == "Tab":
        want = lambda s: s[0] != side
    else:
        step = 1 if key == "Down" else -1
        want = lambda s: s[0] == side and s[1] != "-" and row != "-" and s[1] == row + step
    t0 = time.monotonic()
    tmux("send-keys", "-t", "cf", key)
    while not want(state()):
        if time.monotonic() - t0 > 5:
            print("timeout after %d keys: %s" % (i, key)); sys.exit(0)
    times.append((time.monotonic() - t0) * 1000)
times.sort()
print("%.1f %.1f %d" % (times[len(times) // 2], times[-1], len(times)))
PY
}
# cost_within COST MEDIAN-MS MAX-MS: COST ("MEDIAN MAX N" from tui_probe cost) is not a timeout
# and its median and max are below the limits (a limit of 0: none); else prints it and the screen.
cost_within() {
        local median max rest
        read -r median max rest <<<"$1"
        [ "$median" != timeout ] && { [ "$2" = 0 ] || [ "${median%.*}" -lt "$2" ]; } &&
                [ "${max%.*}" -lt "$3" ] && return 0
        echo "keypress cost (median max n, ms): $1"
        screen
        return 1
}
# tui_keylog_cost FILE FROM: "MEDIAN MAX N" in ms of the CLAMFTP_KEY_LOG lines from line FROM on
# (inside clamftp: reading a key to the screen written), "none" when there are none.
tui_keylog_cost() {
        tail -n +"$2" "$1" 2>/dev/null | /usr/bin/python3 -c '
import sys
v = sorted(int(l.split()[1]) / 1000 for l in sys.stdin if l.strip())
print("%.2f %.2f %d" % (v[len(v) // 2], v[-1], len(v)) if v else "none")'
}
tui_keylog_lines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }
