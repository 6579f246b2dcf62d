#!/usr/bin/env bash
# tests/layers/layers-selftest.sh — tools/check-layers can be seen to fail: each row puts one
# line into one file of a private src/ tree (which also holds two engine headers declaring a
# few names) and says what the check must print (a violation, "file:line: …") or that it must
# pass (an empty expectation).
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top/tests/lib/tap.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# file | its one line | what the check prints for it ("" = nothing: the line is allowed)
rows=(
        'src/ui/pane.h|#include "ftp/listing.h"|src/ui/pane.h:1: ui may not include "ftp/listing.h"'
        'src/ui/jobs.c|#include "scan/client.h"|src/ui/jobs.c:1: ui may not include "scan/client.h"'
        'src/common/net.c|#include "core/context.h"|src/common/net.c:1: common may not include "core/context.h"'
        'src/ftp/data.c|#include "scan/snapshot.h"|src/ftp/data.c:1: ftp may not include "scan/snapshot.h"'
        'src/scan/client.c|#include "ftp/session.h"|src/scan/client.c:1: scan may not include "ftp/session.h"'
        'src/core/browse.c|#include "ui/pane.h"|src/core/browse.c:1: core may not include "ui/pane.h"'
        'src/agent/engine.c|#include "core/glob.h"|src/agent/engine.c:1: agent may not include "core/glob.h"'
        'src/clamftp.c|#include "ftp/session.h"|src/clamftp.c:1: clamftp.c may not include "ftp/session.h"'
        'src/clamav-agent.c|#include "scan/client.h"|src/clamav-agent.c:1: clamav-agent.c may not include "scan/client.h"'
        'src/ui/pane.c|#include "../ftp/listing.h"|src/ui/pane.c:1: ui may not include "../ftp/listing.h"'
        'src/ui/jobs.c|#include "core/transfer-private.h"|src/ui/jobs.c:1: "core/transfer-private.h" is private to src/core/'
        'src/extra/thing.c|#include "common/net.h"|src/extra/thing.c:1: "common/net.h" from a file outside the known layers'
        'src/ui/pane.c|#include <curses.h>|src/ui/pane.c:1: <curses.h> outside src/ui/display.c'
        'src/core/cmd.c|#include <ncursesw/ncurses.h>|src/core/cmd.c:1: <ncursesw/ncurses.h> outside src/ui/display.c'
        'src/ui/keys.c|#  include <term.h>|src/ui/keys.c:1: <term.h> outside src/ui/display.c'
        'src/ui/app.c|#include <sys/socket.h>|src/ui/app.c:1: <sys/socket.h> in src/ui/'
        'src/scan/snapshot.c|G_DEFINE_QUARK(scan-x-quark, scan_x)|src/scan/snapshot.c:1: G_DEFINE_QUARK: use COMMON_DEFINE_QUARK'
        'src/agent/conf.c|COMMON_DEFINE_QUARK(agent-x-quark, agent_x)|'
        'src/ui/app.c|#include <netinet/in.h>|src/ui/app.c:1: <netinet/in.h> in src/ui/'
        'src/ui/app.c|#include <openssl/ssl.h>|src/ui/app.c:1: <openssl/ssl.h> in src/ui/'
        'src/ui/app.c|int fd = socket(AF_INET, SOCK_STREAM, 0);|src/ui/app.c:1: socket() in src/ui/'
        'src/ui/app.c|if (connect (fd, sa, len) < 0) return;|src/ui/app.c:1: connect() in src/ui/'
        'src/ui/app.c|n = recv(fd, buf, sizeof buf, 0);|src/ui/app.c:1: recv() in src/ui/'
        'src/ui/app.c|getaddrinfo(host, port, &hints, &res);|src/ui/app.c:1: getaddrinfo() in src/ui/'
        'src/ui/app.c|SSL_write(ssl, buf, n);|src/ui/app.c:1: SSL_write() in src/ui/'
        'src/ui/pane.c|const FtpEntry *e = NULL;|src/ui/pane.c:1: FtpEntry, from src/ftp/listing.h: ui reaches the engine'
        'src/ui/pane.c|g_autoptr(GPtrArray) list = ftp_listing_parse(s, n);|src/ui/pane.c:1: ftp_listing_parse, from src/ftp/listing.h'
        'src/clamftp.c|ScanVerdict verdict;|src/clamftp.c:1: ScanVerdict, from src/scan/client.h'
        'src/ui/jobs.c|if (v == SCAN_VERDICT_INFECTED) return;|src/ui/jobs.c:1: SCAN_VERDICT_INFECTED, from src/scan/client.h'
        'src/ui/display.c|#include <curses.h>|'
        'src/ui/jobs.c|static void scan_job(void);|'
        'src/ui/pane.c|/* FtpEntry once was here */ x = "ftp_listing_parse";|'
        'src/core/browse.c|FtpEntry *e = ftp_listing_parse(s, n);|'
        'src/ui/pane.c|#include "core/browse.h"|'
        'src/ui/pane.c|#include "common/i18n.h"|'
        'src/core/browse.c|#include "ftp/listing.h"|'
        'src/core/upload.c|#include "scan/pipeline.h"|'
        'src/ftp/session.c|#include "session-private.h"|'
        'src/ftp/session.c|#include "config.h"|'
        'src/clamftp.c|#include "ui/app.h"|'
        'src/clamav-agent.c|#include "agent/server.h"|'
        'src/core/worker.c|n = recv(fd, buf, sizeof buf, 0);|'
        'src/ui/app.c|say(_("r  refuse: do not connect (also Enter)"));|'
        'src/ui/app.c|/* the worker will connect(); not us */|'
        'src/ui/app.c|// #include <sys/socket.h> once was here|'
        'src/ui/app.c|ui_connect(app); bridge->send(event); ops.listen(x);|'
)

engine_headers() {
        rm -rf "$work/src"
        mkdir -p "$work/src/ftp" "$work/src/scan"
        printf 'typedef struct { char *name; } FtpEntry;\nGPtrArray *ftp_listing_parse(const char *s, gsize n);\n' \
                >"$work/src/ftp/listing.h"
        printf 'typedef enum { SCAN_VERDICT_OK, SCAN_VERDICT_INFECTED } ScanVerdict;\n' >"$work/src/scan/client.h"
}

for row in "${rows[@]}"; do
        IFS='|' read -r file line expected <<<"$row"
        engine_headers
        mkdir -p "$work/src/$(dirname "${file#src/}")"
        printf '%s\n' "$line" >"$work/$file"
        out=$(/usr/bin/python3 "$top/tools/check-layers" "$work" 2>&1)
        rc=$?
        if [ -z "$expected" ]; then
                if [ $rc -eq 0 ] && [ -z "$out" ]; then
                        tap_ok "allowed: $file: $line"
                else
                        tap_not_ok "allowed: $file: $line"
                        printf 'exit %s\n%s\n' "$rc" "$out" | tap_diag
                fi
        elif [ $rc -eq 1 ] && [[ $out == "$expected"* ]] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ]; then
                tap_ok "refused: $file: $line"
        else
                tap_not_ok "refused: $file: $line"
                printf 'exit %s (want 1)\nwant: %s\ngot:  %s\n' "$rc" "$expected" "$out" | tap_diag
        fi
done

# The TAP form names each rule and fails the rule that was broken, and only that one.
engine_headers
mkdir -p "$work/src/ui"
printf '#include <curses.h>\n' >"$work/src/ui/pane.c"
out=$(/usr/bin/python3 "$top/tools/check-layers" --tap "$work")
rc=$?
if [ $rc -eq 1 ] && printf '%s\n' "$out" | grep -q '^not ok 3 - curses' &&
   [ "$(printf '%s\n' "$out" | grep -c '^not ok')" -eq 1 ] && printf '%s\n' "$out" | grep -q '^1\.\.6$'; then
        tap_ok "--tap fails only the broken rule"
else
        tap_not_ok "--tap fails only the broken rule"
        printf 'exit %s\n%s\n' "$rc" "$out" | tap_diag
fi
tap_check "no src/ is a usage error, not a pass" \
        bash -c '/usr/bin/python3 "$1/tools/check-layers" "$2" >/dev/null 2>&1; [ $? -eq 2 ]' _ "$top" "$work/nothing"
tap_done
