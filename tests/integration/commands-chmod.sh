#!/bin/bash
# tests/integration/commands-chmod.sh — `chmod` (SITE CHMOD) and `lchmod` against a real vsftpd,
# and `mkdir` of a path whose parents are missing.
# Pins: an octal mode is set exactly on the server; a symbolic one starts from the listing's
# permissions; several names with one missing: the others changed, the missing one named, exit 2;
# a mode that is no mode is refused before anything is sent; lchmod octal and symbolic, a
# directory's X; `mkdir a/b/c` makes the parents, an existing directory is still refused.
. "$top_srcdir/tests/lib/suite.sh"

suite_begin commands-chmod vsftpd clamftp:open,chmod,lchmod,mkdir
CF_DEADLINE=20

mode_of() { stat -c %a "$1"; }
ftp_file one.txt "one"
ftp_file two.txt "two"
ftp_file sub/three.txt "three"
chmod 644 "$FTP_ROOT/one.txt" "$FTP_ROOT/two.txt" "$FTP_ROOT/sub/three.txt"

cf_session "chmod 600 one.txt"
expect "chmod 600: exit 0 ($CF_RC)" cf_rc_is 0
expect "chmod 600: the server's file has mode 600" [ "$(mode_of "$FTP_ROOT/one.txt")" = 600 ]
expect "chmod 600: says the new mode" cf_says "Mode of one\.txt is now 0600"

cf_session "chmod g+w,o-r sub/three.txt"
expect "chmod g+w,o-r: from 644 to 660 ($(mode_of "$FTP_ROOT/sub/three.txt"))" \
        [ "$(mode_of "$FTP_ROOT/sub/three.txt")" = 660 ]

cf_session "chmod 640 one.txt missing.txt two.txt"
expect "chmod of three names, one missing: exit 2 ($CF_RC)" cf_rc_is 2
expect "chmod of three names, one missing: the other two changed" \
        eval '[ "$(mode_of "$FTP_ROOT/one.txt")" = 640 ] && [ "$(mode_of "$FTP_ROOT/two.txt")" = 640 ]'
expect "chmod of three names, one missing: the missing one is named" cf_says "missing\.txt"
expect "chmod of three names, one missing: the count is said" cf_says "The mode of 1 entry could not be changed"

cf_session "verbose; chmod u+q one.txt"
expect "chmod with no mode: exit 2 and says what a mode is" \
        eval 'cf_rc_is 2 && cf_says "is not a mode"'
expect "chmod with no mode: nothing is sent" eval '! cf_says "SITE CHMOD"'

mkdir -p here/dir
printf 'x' >here/file
chmod 600 here/file
chmod 700 here/dir
cf_run -n -c "lchmod 644 here/file; lchmod go+rX here/dir"
expect "lchmod: exit 0 ($CF_RC)" cf_rc_is 0
expect "lchmod 644 sets the mode" [ "$(mode_of here/file)" = 644 ]
expect "lchmod go+rX on a directory: 755" [ "$(mode_of here/dir)" = 755 ]
cf_run -n -c "lchmod 644 here/none"
expect "lchmod of a missing file: exit 2, named" eval 'cf_rc_is 2 && cf_says "here/none.*No such file"'

cf_session "mkdir a/b/c"
expect "mkdir a/b/c: exit 0, the parents made ($CF_RC)" eval 'cf_rc_is 0 && [ -d "$FTP_ROOT/a/b/c" ]'
cf_session "mkdir a/b/c"
expect "mkdir of a directory that exists: refused, exit 2" cf_rc_is 2

tap_done
