#!/bin/bash
# tests/integration/commands-resume.sh — `get` resumed after the transfer was cut, passive and
# active: a rate-limited vsftpd, the client killed mid-transfer (a .part file exists, the complete
# name does not), then `get` again against an unlimited vsftpd on the same root: REST is sent
# and the result is byte-identical. A server without REST (pyftpdlib answering it 500): `get`
# over a .part downloads the whole file again, says so, and ends with it byte-identical.
. "$top_srcdir/tests/lib/suite.sh"

SUITE_VSFTPD_CONF=(local_max_rate=300000)
suite_begin commands-resume scanner vsftpd clamftp:open,get,verbose
CF_DEADLINE=30
CLIENT_PID=
suite_at_exit '[ -z "$CLIENT_PID" ] || kill -9 "$CLIENT_PID" 2>/dev/null'

head -c 3000000 /dev/urandom >"$FTP_ROOT/big.bin"
ftp_own
part_big_enough() { [ -f big.bin.part ] && [ "$(stat -c %s big.bin.part)" -ge 200000 ]; }
part_grows() { wait_until 15 part_big_enough || { ls -la; cat "$L/first.out"; false; }; }

for CF_MODE in $CF_MODES; do
        L=$SUITE_DIR/resume-$CF_MODE
        mkdir -p "$L" && cd "$L" || exit 1
        # the rate-limited server (started by suite_begin, or again for the second mode)
        [ -n "$VSFTPD_PID" ] || suite_start vsftpd vsftpd_start "$SUITE_DIR/ftp" local_max_rate=300000
        args=()
        [ "$CF_MODE" = active ] && args+=(--active)
        printf '%s\n%s\n' "$FTP_USER" "$FTP_PASS" |
                "$(clamftp_bin)" --scanner "$CF_SCANNER" "${args[@]}" \
                -c "open 127.0.0.1 $FTP_PORT; get big.bin" >"$L/first.out" 2>&1 &
        CLIENT_PID=$!
        expect "$CF_MODE: a cut download: big.bin.part grows while the transfer runs" part_grows
        expect "$CF_MODE: the complete name big.bin does not exist during the transfer" [ ! -e big.bin ]
        kill -9 "$CLIENT_PID" 2>/dev/null
        wait "$CLIENT_PID" 2>/dev/null
        CLIENT_PID=
        cut_size=$(stat -c %s big.bin.part 2>/dev/null || echo 0)
        expect "$CF_MODE: after the cut: a partial big.bin.part remains ($cut_size bytes), no big.bin" \
                eval '[ "$cut_size" -gt 0 ] && [ "$cut_size" -lt 3000000 ] && [ ! -e big.bin ]'

        # the same root, no rate limit
        vsftpd_stop
        suite_start vsftpd vsftpd_start "$SUITE_DIR/ftp"
        cf_session "verbose; get big.bin" y y
        expect "$CF_MODE: get again: exit 0" cf_rc_is 0
        expect "$CF_MODE: get again: REST is sent with the partial size" cf_says "REST $cut_size"
        expect_file_equal "$CF_MODE: get again: the result is byte-identical" "$FTP_ROOT/big.bin" big.bin
        expect "$CF_MODE: get again: the .part file is gone" [ ! -e big.bin.part ]
        vsftpd_stop
done

# ---- a server without REST: the .part cannot be resumed, so the file comes whole again ----
if why=$(suite_missing python:pyftpdlib); then
        L=$SUITE_DIR/norest
        mkdir -p "$L" && cd "$L" || exit 1
        original=$FTP_ROOT/big.bin
        PYFTPD_NO_REST=1 suite_start "pyftpdlib without REST" pyftpd_start "$SUITE_DIR/py"
        cp "$original" "$FTP_ROOT/big.bin"
        head -c 1000000 "$FTP_ROOT/big.bin" >big.bin.part
        cf_session "verbose; get big.bin" y y
        expect "no REST: get over a .part: exit 0" cf_rc_is 0
        expect "no REST: the server refused REST" cf_says "REST 1000000"
        expect "no REST: clamftp says it downloads the file again from the start" \
                cf_says "Downloading big.bin again from the start"
        expect_file_equal "no REST: the result is byte-identical" "$FTP_ROOT/big.bin" big.bin
        expect "no REST: the .part file is gone" [ ! -e big.bin.part ]
        pyftpd_stop
else
        skip "no REST: $why"
fi

tap_done
