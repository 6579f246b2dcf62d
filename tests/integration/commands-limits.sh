#!/bin/bash
# tests/integration/commands-limits.sh — speed limits (`set limit-rate`, `set limit-total`,
# --limit-rate) against a real vsftpd and the real clamav-agent.
# Pins: `set` shows and sets both limits and refuses what is not a speed; a 10 MiB download and a
# 10 MiB upload at limit-rate 2M take the time that rate gives, within 10 %; four files of
# 2.5 MiB over four connections at limit-total 2M take the same (the limit holds for all of them
# together), and at limit-rate 1M each the four go four times as fast as one; the file arrives
# byte for byte; `status` names the limits. The rate is measured as the bytes over the time the
# limited run took beyond the same run without a limit (login and scan are the same in both).
. "$top_srcdir/tests/lib/suite.sh"

suite_begin commands-limits scanner vsftpd clamftp:open,get,put,set
CF_DEADLINE=40
MIB=$((1024 * 1024))

head -c $((10 * MIB)) /dev/urandom >big.bin
mkdir -p four
for i in 1 2 3 4; do head -c $((5 * MIB / 2)) /dev/urandom >four/q$i.bin; done
ftp_file big.bin
cp big.bin "$FTP_ROOT/big.bin"
mkdir -p "$FTP_ROOT/four" && cp four/*.bin "$FTP_ROOT/four/" && ftp_own

# timed CMDS [OPTION…]: a session with CMDS and clamftp's OPTIONs; its wall time in T_MS
timed() {
        local cmds=$1 start end
        shift
        start=$(date +%s%N)
        cf_login 127.0.0.1 "$cmds" "$@"
        end=$(date +%s%N)
        T_MS=$(( (end - start) / 1000000 ))
}
# rate_within BYTES LIMIT_MS BASE_MS WANT: BYTES over (LIMIT_MS - BASE_MS) is WANT bytes/s ± 10 %
rate_within() {
        local bytes=$1 ms=$(( $2 - $3 )) want=$4
        [ "$ms" -gt 0 ] || { echo "the limited run was not slower ($2 ms against $3 ms)"; return 1; }
        local rate=$(( bytes * 1000 / ms ))
        echo "measured $rate bytes/s over $ms ms, want $want ± 10 %"
        [ "$rate" -ge $(( want * 9 / 10 )) ] && [ "$rate" -le $(( want * 11 / 10 )) ]
}

# ---- set ----
cf_run -n -c "set; set limit-rate 500K; set limit-total 1.5MiB/s; set; status"
expect "set: shows none at first, then both limits" \
        eval 'cf_rc_is 0 && cf_says "^limit-rate none" && cf_says "^limit-rate 500\.0.KiB/s" &&
              cf_says "^limit-total 1\.5.MiB/s"'
expect "status names the limits" cf_says "^Speed limits: 500\.0.KiB/s per transfer, 1\.5.MiB/s in all"
cf_run -n -c "set limit-rate fast"
expect "set limit-rate fast: exit 2, says what a speed is" eval 'cf_rc_is 2 && cf_says "is not a speed"'
cf_run -n -c "set colour blue"
expect "set of an unknown setting: exit 2 with the usage" eval 'cf_rc_is 2 && cf_says "Usage: set"'
cf_run -n --limit-rate 2x -c "set"
expect "--limit-rate 2x: refused at start (exit 2)" eval 'cf_rc_is 2 && cf_says "is not a speed"'

# ---- one transfer at limit-rate 2M, both ways ----
mkdir -p back && cd back || exit 1
timed "get big.bin"
base=$T_MS
rm -f big.bin
timed "set limit-rate 2M; get big.bin"
cd "$CF_LOCAL" || exit 1
expect "get at limit-rate 2M: exit 0, byte for byte" eval 'cf_rc_is 0 && same_file big.bin back/big.bin'
expect "get of 10 MiB at limit-rate 2M: 2 MiB/s within 10 % ($T_MS ms, $base ms unlimited)" \
        rate_within $((10 * MIB)) "$T_MS" "$base" $((2 * MIB))
timed "put big.bin up-warm.bin" # the agent's first large scan is slower: not the base
timed "put big.bin up-free.bin"
base=$T_MS
timed "put big.bin up.bin" --limit-rate 2M
expect "put with --limit-rate 2M: exit 0, byte for byte" eval 'cf_rc_is 0 && same_file big.bin "$FTP_ROOT/up.bin"'
expect "put of 10 MiB with --limit-rate 2M: 2 MiB/s within 10 % ($T_MS ms, $base ms unlimited)" \
        rate_within $((10 * MIB)) "$T_MS" "$base" $((2 * MIB))

# ---- four connections: limit-total holds for all, limit-rate for each ----
mkdir -p back4 && cd back4 || exit 1
timed "mget four" --parallel 4
base=$T_MS
rm -rf four
timed "set limit-total 2M; mget four" --parallel 4
cd "$CF_LOCAL" || exit 1
expect "mget of 4 × 2.5 MiB over 4 connections at limit-total 2M: every file byte for byte" \
        eval 'cf_rc_is 0 && for f in four/*.bin; do same_file "$f" "back4/$f" || exit 1; done'
expect "mget of 4 × 2.5 MiB at limit-total 2M: 2 MiB/s in all within 10 % ($T_MS ms, $base ms unlimited)" \
        rate_within $((10 * MIB)) "$T_MS" "$base" $((2 * MIB))
cd back4 && rm -rf four
timed "set limit-rate 1M; mget four" --parallel 4
cd "$CF_LOCAL" || exit 1
expect "mget of 4 × 2.5 MiB at limit-rate 1M each: 4 MiB/s in all within 10 % ($T_MS ms, $base ms unlimited)" \
        rate_within $((10 * MIB)) "$T_MS" "$base" $((4 * MIB))

tap_done
