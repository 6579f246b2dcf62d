#!/bin/bash
# tests/integration/put-too-large.sh — a file over the scanner's size limit is refused before it is
# copied: the real clamav-agent reports its limits in STATS ("LIMITS:"), and put and mput say
# "not scanned: too large" without sending the file to the agent, while the other files of the
# batch go on; `[scanner] max-file-size` stands in for what the scanner reports.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin put-too-large agent-bin vsftpd clamftp:open,put,mput
suite_start "clamav-agent with MaxFileSize 1M" agent_start "$SUITE_DIR/agent" "MaxFileSize 1M"
CF_SCANNER=$AGENT_ADDRESS
CF_DEADLINE=30

head -c 3145728 /dev/urandom >big.bin
printf 'small\n' >small.txt

expect "the agent's STATS reports MaxFileSize and StreamMaxLength in bytes" \
        agent_client stats "$AGENT_SOCKET" - $'\nLIMITS: MaxFileSize 1048576 MaxScanSize 419430400 StreamMaxLength 104857600\n'

scanned_big() { grep -q "bytes=3145728 " "$AGENT_LOG"; }

cf_login 127.0.0.1 'mput big.bin small.txt'
expect "mput: exit 1 (a file refused)" cf_rc_is 1
expect "mput: big.bin not scanned: too large, by the limit the agent reported" \
        cf_says 'big\.bin was not uploaded: not scanned: too large \(3\.0.MiB, over the scanner.s MaxFileSize of 1\.0.MiB \(as the scanner reports it\)'
expect "mput: big.bin never reached the agent" eval '! scanned_big'
expect "mput: big.bin is not on the server" test ! -e "$FTP_ROOT/big.bin"
expect "mput: small.txt went on" same_file small.txt "$FTP_ROOT/small.txt"

# the override: clamftp sends what the config allows, and the agent's own limit answers
printf '[scanner]\nmax-file-size=8M\n' >>"$CF_CONF"
cf_login 127.0.0.1 'put big.bin'
expect "max-file-size=8M: the file goes to the agent, which flags its MaxFileSize itself" \
        eval 'cf_rc_is 1 && cf_says "not scanned: larger than the scanner.s MaxFileSize \(Heuristics\.Limits\.Exceeded\.MaxFileSize\)" && scanned_big'
expect "max-file-size=8M: still not on the server" test ! -e "$FTP_ROOT/big.bin"
printf '[scanner]\nmax-file-size=2M\n' >"$CF_CONF.new" && clamftp_write_conf && cat "$CF_CONF.new" >>"$CF_CONF"
cf_login 127.0.0.1 'put big.bin'
expect "max-file-size=2M: refused before any copy, naming the setting" \
        cf_says 'big\.bin was not uploaded: not scanned: too large \(3\.0.MiB, over the scanner.s max-file-size of 2\.0.MiB \(\[scanner\] max-file-size\)'
tap_done
