# tests/lib/tui.sh — helpers the full-screen suites share (sourced, not run).
# Owns: reading and driving a clamftp screen in tmux, and checking headless screen dumps.
# Must not: start clamftp, servers or tmux itself (each suite does, in its own directory).

# ---- tmux: needs $sock (the suite's private tmux socket) and a session named cf
screen() { tmux -L "$sock" capture-pane -p -t cf 2>/dev/null; }
# waits until the screen matches (grep -E); prints the screen as TAP diagnostics when it never does
wait_screen() {
        local limit=$1 pattern=$2
        if wait_until "$limit" eval 'screen | grep -qE -- "$pattern"'; then
                return 0
        fi
        screen | tap_diag
        return 1
}
check_screen() {
        local desc=$1 limit=$2 pattern=$3
        if wait_screen "$limit" "$pattern"; then tap_ok "$desc"; else tap_not_ok "$desc"; fi
}
keys() { tmux -L "$sock" send-keys -t cf "$@"; }
text() { tmux -L "$sock" send-keys -t cf -l "$1"; }

# ---- headless: needs $s (the directory the key script's @dump steps write to)
show() { [ -f "$s/$1" ] && tap_diag <"$s/$1"; }
# expect SCREEN DESCRIPTION grep-args…: ok when the screen has a line matching
expect() {
        local screen=$1 desc=$2
        shift 2
        if [ -f "$s/$screen" ] && grep -q "$@" "$s/$screen"; then
                tap_ok "$desc"
        else
                tap_not_ok "$desc"
                show "$screen"
        fi
}
expect_not() {
        local screen=$1 desc=$2
        shift 2
        if [ -f "$s/$screen" ] && ! grep -q "$@" "$s/$screen"; then
                tap_ok "$desc"
        else
                tap_not_ok "$desc"
                show "$screen"
        fi
}
