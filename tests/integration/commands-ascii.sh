#!/bin/bash
# tests/integration/commands-ascii.sh — transfer type against a real vsftpd (ASCII conversion on
# both ways, vsftpd itself not converting), passive and active: a binary file survives binary and is altered by ascii; text
# gains CR on the server in ascii and loses it on the way back.
. "$top_srcdir/tests/lib/suite.sh"

# vsftpd converts too when ascii_*_enable=YES (it strips the CR the client adds on upload), which
# would hide what the client does: here it stores and sends the bytes of the wire as they are.
SUITE_VSFTPD_CONF=(ascii_upload_enable=NO ascii_download_enable=NO)
suite_begin commands-ascii scanner vsftpd clamftp:open,put,get,ascii,binary
CF_DEADLINE=30

printf 'line one\nline two\nline three\n' >text.txt
printf 'line one\r\nline two\r\nline three\r\n' >text-crlf.expected
# binary content with LF and CR LF in it, so that either conversion alters it
{ head -c 20000 /dev/urandom; printf 'a\nb\r\nc\n'; head -c 20000 /dev/urandom; } >blob.bin

for CF_MODE in $CF_MODES; do
        R=$CF_MODE
        mkdir -p "$FTP_ROOT/$R"
        printf 'server one\r\nserver two\r\n' >"$FTP_ROOT/$R/crlf.txt"
        ftp_own
        L=$SUITE_DIR/back-$CF_MODE
        mkdir -p "$L"

        cf_session "cd $R; ascii; put text.txt; put blob.bin blob-ascii.bin"
        expect "$CF_MODE: ascii puts: exit 0" cf_rc_is 0
        expect_file_equal "$CF_MODE: ascii put: the text has CR LF on the server" \
                text-crlf.expected "$FTP_ROOT/$R/text.txt"
        expect "$CF_MODE: ascii put: a binary file is altered" \
                eval '[ -f "$FTP_ROOT/$R/blob-ascii.bin" ] && ! cmp -s blob.bin "$FTP_ROOT/$R/blob-ascii.bin"'

        cf_session "cd $R; binary; put blob.bin; put text.txt text-binary.txt"
        expect "$CF_MODE: binary puts: exit 0" cf_rc_is 0
        expect_file_equal "$CF_MODE: binary put: the binary file survives byte for byte" \
                blob.bin "$FTP_ROOT/$R/blob.bin"
        expect_file_equal "$CF_MODE: binary put: the text keeps its LF endings" \
                text.txt "$FTP_ROOT/$R/text-binary.txt"

        cf_session "cd $R; ascii; get crlf.txt $L/crlf-ascii.txt; get text.txt $L/text-back.txt; get blob.bin $L/blob-ascii-back.bin"
        expect "$CF_MODE: ascii gets: exit 0" cf_rc_is 0
        expect "$CF_MODE: ascii get: CR LF becomes LF" \
                [ "$(cat "$L/crlf-ascii.txt" 2>/dev/null)" = "$(printf 'server one\nserver two')" ]
        expect "$CF_MODE: ascii get: no CR is left" eval '[ -f "$L/crlf-ascii.txt" ] && ! grep -q $'"'"'\r'"'"' "$L/crlf-ascii.txt"'
        expect_file_equal "$CF_MODE: ascii round trip: the text comes back as it was" text.txt "$L/text-back.txt"
        expect "$CF_MODE: ascii get: a binary file is altered" \
                eval '[ -f "$L/blob-ascii-back.bin" ] && ! cmp -s blob.bin "$L/blob-ascii-back.bin"'

        cf_session "cd $R; binary; get crlf.txt $L/crlf-binary.txt; get blob.bin $L/blob-back.bin"
        expect "$CF_MODE: binary gets: exit 0" cf_rc_is 0
        expect_file_equal "$CF_MODE: binary get: CR LF is kept" "$FTP_ROOT/$R/crlf.txt" "$L/crlf-binary.txt"
        expect_file_equal "$CF_MODE: binary get: the binary file survives byte for byte" blob.bin "$L/blob-back.bin"

        cf_session "verbose; ascii; cd $R; get crlf.txt $L/again-a.txt; binary; get crlf.txt $L/again-i.txt"
        expect "$CF_MODE: ascii sends TYPE A and binary TYPE I" eval 'cf_says "TYPE A" && cf_says "TYPE I"'
done

tap_done
