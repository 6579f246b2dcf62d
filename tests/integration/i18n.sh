#!/bin/bash
# tests/integration/i18n.sh — the translations: po/vi.po compiles cleanly and keeps every printf
# conversion, backquoted name and edge whitespace of the template built from today's sources;
# po/POTFILES.in lists every source with a translatable string; `make install` puts the catalogue
# where the programs look for it; and the real clamftp and clamav-agent speak Vietnamese under a
# Vietnamese locale and English under LANG=C.
# Must not: install anything outside its temporary directory or need a network.
#
# The programs bind their catalogue to the compiled-in LOCALEDIR and have no switch to move it, so
# the runs preload a ten-line shim (built here) that wraps bindtextdomain(): it records the
# directory the program asks for and, for the "clamftp" domain only, hands gettext the private
# directory instead. Nothing else in the programs or in glibc changes. The directory recorded is
# compared with where `make install DESTDIR=…` put clamftp.mo, and one run reads that installed
# copy, so the install and the lookup are checked together.
#
# glibc ignores LANGUAGE under the C locale, so the Vietnamese runs need a real locale: the
# system's vi_VN.UTF-8 when installed, else one compiled by localedef into the temporary directory
# (LOCPATH), else C.UTF-8 with LANGUAGE=vi (honoured since C.UTF-8 is not "C"); else the suite
# skips and says why.
. "$top_srcdir/tests/lib/suite.sh"

po=$top_srcdir/po
clamftp=$top_builddir/src/clamftp
agent=$top_builddir/src/clamav-agent

[ -f "$po/vi.po" ] || skip_all "po/vi.po is missing"
suite_begin i18n tool:msgfmt=gettext tool:gettext=gettext-base tool:python3
tmp=$SUITE_DIR
mkdir -p "$tmp/home"

# --- the catalogue itself -----------------------------------------------------------------------

expect "msgfmt --check passes on po/vi.po" msgfmt --check --statistics -o "$tmp/vi.mo" "$po/vi.po"

vi_header() {
        local header
        header=$(sed -n '/^msgid ""$/,/^$/{p;/^$/q}' "$po/vi.po")
        printf '%s\n' "$header"
        grep -qF '"Language: vi\n"' <<<"$header" && grep -qF '"Plural-Forms: nplurals=1; plural=0;\n"' <<<"$header" &&
                grep -qF 'charset=UTF-8' <<<"$header"
}
expect "po/vi.po says Language: vi, UTF-8, Plural-Forms: nplurals=1; plural=0;" vi_header
expect "po/LINGUAS lists vi" grep -qx 'vi' <(sed 's/#.*//; s/[[:space:]]\+/\n/g' "$po/LINGUAS")

# The template of today's sources, made the way po/Makefile makes it (po/Makevars' options).
xgettext_options=$(sed -n 's/^XGETTEXT_OPTIONS *= *//p' "$po/Makevars")
fresh_pot=$tmp/fresh.pot
make_fresh_pot() {
        command -v xgettext >/dev/null 2>&1 || { echo "xgettext is not installed"; return 1; }
        (cd "$top_srcdir" && grep -v '^#' po/POTFILES.in | grep . |
                xgettext $xgettext_options --language=C --files-from=- -o "$fresh_pot")
}
expect "xgettext builds a template from the files po/POTFILES.in lists" make_fresh_pot
[ -s "$fresh_pot" ] || fresh_pot=$po/clamftp.pot

# Every source with a translatable string is listed (xgettext over all of src/ names the files
# its messages come from; comments that merely mention _() do not count).
if command -v xgettext >/dev/null 2>&1; then
        (cd "$top_srcdir" && find src/ -name '*.[ch]' | sort |
                xgettext $xgettext_options --language=C --files-from=- -o "$tmp/all.pot" 2>/dev/null)
        unlisted=$(comm -23 <(sed -n 's/^#: //p' "$tmp/all.pot" | tr ' ' '\n' | sed 's/:[0-9]*$//' | grep . | sort -u) \
                <(grep -v '^#' "$po/POTFILES.in" | grep . | sort -u))
        all_listed() {
                [ -s "$tmp/all.pot" ] || { echo "xgettext found no messages in src/"; return 1; }
                [ -z "$unlisted" ] || { printf 'not listed: %s\n' $unlisted; return 1; }
        }
        expect "po/POTFILES.in lists every source file with a translatable string" all_listed
else
        skip "po/POTFILES.in lists every source file with a translatable string" "xgettext is not installed"
fi

# msgfmt --check-format compares the conversions of c-format messages only; this compares, for
# every message of the template that po/vi.po translates, the printf conversions (positional ones
# as a set), the `backquoted` command names and options, and leading/trailing white space.
cat >"$tmp/same-shape.py" <<'EOF'
import re, sys

def entries(path):
    out, cur, key = [], None, None
    for raw in open(path, encoding='utf-8'):
        line = raw.strip()
        if not line:
            if cur and 'msgid' in cur:
                out.append(cur)
            cur = None
            continue
        if line.startswith('#'):
            continue
        m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$', line)
        if m:
            cur = cur or {}
            key = m.group(1)
            cur[key] = m.group(2)
        elif line.startswith('"') and cur is not None:
            cur[key] += line[1:-1]
    if cur and 'msgid' in cur:
        out.append(cur)
    return out

CONV = re.compile(r"%(?:(\d+)\$)?[-+ #0']*(?:\*|\d+)?(?:\.(?:\*|\d+))?"
                  r"(?:hh|h|ll|l|L|q|j|z|Z|t)?[diouxXeEfFgGaAcspnCS%]")

def conversions(s):
    found = [(m.group(1), re.sub(r'^%\d+\$', '%', m.group(0)))
             for m in CONV.finditer(s) if m.group(0) != '%%']
    return sorted(found) if any(p for p, _ in found) else [c for _, c in found]

def backquoted(s):
    return sorted(re.findall(r'`[^`]*`', s))

def edges(s):
    return (re.match(r'^(?:\s|\\n)*', s).group(0), re.search(r'(?:\s|\\n)*$', s).group(0))

template = {e['msgid'] for e in entries(sys.argv[1]) if e['msgid']}
checked = bad = 0
for e in entries(sys.argv[2]):
    msgid = e['msgid']
    if not msgid or msgid not in template:
        continue
    for key, text in e.items():
        if not key.startswith('msgstr') or not text:
            continue
        checked += 1
        for what, shape in (('printf conversions', conversions), ('backquoted names', backquoted),
                            ('leading/trailing white space', edges)):
            if shape(msgid) != shape(text):
                bad += 1
                print(f'{what} differ:\n  msgid "{msgid}"\n  {key} "{text}"')
print(f'{checked} translations compared, {bad} differences')
sys.exit(1 if bad or not checked else 0)
EOF
expect "vi.po keeps the conversions, backquoted names and edge spaces of every msgid" \
        python3 "$tmp/same-shape.py" "$fresh_pot" "$po/vi.po"

# Against today's template, msgfmt's own format check (c-format flags come from the sources).
merged_check() {
        msgmerge --quiet --no-fuzzy-matching -o "$tmp/merged.po" "$po/vi.po" "$fresh_pot" &&
                msgfmt --check-format --statistics -o /dev/null "$tmp/merged.po"
}
expect "msgfmt --check-format passes on vi.po merged with today's template" merged_check

# --- make install and the programs ---------------------------------------------------------------

if [ ! -x "$clamftp" ] || [ ! -x "$agent" ]; then
        skip "the programs speak Vietnamese" "src/clamftp or src/clamav-agent is not built"
        tap_done
        exit
fi
if ! grep -q '^#define ENABLE_NLS 1' "$top_builddir/config.h" 2>/dev/null; then
        skip "the programs speak Vietnamese" "configured without NLS (--disable-nls)"
        tap_done
        exit
fi

# `make install` of po/ into a private root: where does clamftp.mo land? (po/Makefile rebuilds
# po/vi.gmo only when the template changes; after editing vi.po alone, `make -C po update-gmo`.)
installed=
install_catalogue() {
        env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "${MAKE:-make}" -s -C "$top_builddir/po" install \
                DESTDIR="$tmp/root" || return 1
        installed=$(cd "$tmp/root" && find . -path '*/vi/LC_MESSAGES/clamftp.mo' | sed 's|^\.||')
        echo "installed: ${installed:-nothing}"
        [ -n "$installed" ] && msgunfmt "$tmp/root$installed" 2>/dev/null | grep -qF '"Language: vi\n"'
}
expect "make install puts a Vietnamese catalogue at <localedir>/vi/LC_MESSAGES/clamftp.mo" install_catalogue
[ -z "$installed" ] || cmp -s "$tmp/root$installed" "$tmp/vi.mo" ||
        echo "it is older than po/vi.po: make -C po update-gmo rebuilds po/vi.gmo" | tap_diag
installed_localedir=${installed%/vi/LC_MESSAGES/clamftp.mo}

cc=$(sed -n 's/^CC = //p' "$top_builddir/Makefile")
cat >"$tmp/bindtextdomain-shim.c" <<'EOF'
/* Wraps bindtextdomain(): logs the directory asked for; moves the "clamftp" domain elsewhere. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
char *bindtextdomain(const char *domain, const char *dir)
{
        char *(*real)(const char *, const char *) =
                (char *(*)(const char *, const char *))dlsym(RTLD_NEXT, "bindtextdomain");
        const char *log = getenv("I18N_TEST_LOG"), *to = getenv("I18N_TEST_LOCALEDIR");
        if (domain && dir && strcmp(domain, "clamftp") == 0) {
                FILE *f = log ? fopen(log, "a") : NULL;
                if (f) {
                        fprintf(f, "%s\n", dir);
                        fclose(f);
                }
                if (to)
                        dir = to;
        }
        return real(domain, dir);
}
EOF
if ! out=$(${cc:-cc} -shared -fPIC -o "$tmp/bindtextdomain-shim.so" "$tmp/bindtextdomain-shim.c" -ldl 2>&1); then
        skip "the programs speak Vietnamese" "cannot build the bindtextdomain shim: $out"
        tap_done
        exit
fi

mkdir -p "$tmp/locale/vi/LC_MESSAGES"
[ -f "$tmp/vi.mo" ] || msgfmt -o "$tmp/vi.mo" "$po/vi.po" 2>/dev/null # without --check's verdict
cp "$tmp/vi.mo" "$tmp/locale/vi/LC_MESSAGES/clamftp.mo"

# A Vietnamese locale (see the top of this file).
vi_env=()
how=
if locale -a 2>/dev/null | grep -qix 'vi_VN\.utf-\?8'; then
        vi_env=(LC_ALL=vi_VN.UTF-8)
        how="the system's vi_VN.UTF-8"
elif command -v localedef >/dev/null 2>&1 && mkdir -p "$tmp/locales" &&
        localedef -i vi_VN -f UTF-8 "$tmp/locales/vi_VN.UTF-8" >"$tmp/localedef.log" 2>&1; then
        vi_env=(LOCPATH="$tmp/locales" LC_ALL=vi_VN.UTF-8)
        how="vi_VN.UTF-8 compiled by localedef into the test's directory"
elif locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then
        vi_env=(LC_ALL=C.UTF-8 LANGUAGE=vi)
        how="C.UTF-8 with LANGUAGE=vi"
else
        skip "the programs speak Vietnamese" "no vi_VN.UTF-8 or C.UTF-8 locale, and localedef cannot make one (install the Debian package locales)"
        tap_done
        exit
fi
echo "# Vietnamese locale: $how"

asan_options="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
# run LOCALEDIR ENV… -- PROGRAM ARGS…: runs with a private HOME and the shim; sets OUT (stdout and
# stderr) and RC; the shim's log is $tmp/bound.
run() {
        local dir=$1
        shift
        local envs=()
        while [ "$1" != -- ]; do
                envs+=("$1")
                shift
        done
        shift
        rm -f "$tmp/bound"
        OUT=$(env -u LANGUAGE -u LC_ALL -u LC_MESSAGES -u LANG HOME="$tmp/home" \
                XDG_CONFIG_HOME="$tmp/home/.config" XDG_DATA_HOME="$tmp/home/.local/share" \
                XDG_STATE_HOME="$tmp/home/.local/state" XDG_CACHE_HOME="$tmp/home/.cache" \
                LD_PRELOAD="$tmp/bindtextdomain-shim.so" ASAN_OPTIONS="$asan_options" \
                I18N_TEST_LOG="$tmp/bound" I18N_TEST_LOCALEDIR="$dir" "${envs[@]}" \
                timeout -k 5 20 "$@" </dev/null 2>&1)
        RC=$?
}
# vi_gettext MSGID: the catalogue's translation of MSGID (gettext(1) in the same locale).
vi_gettext() {
        env -u LANGUAGE "${vi_env[@]}" TEXTDOMAINDIR="$tmp/locale" gettext -d clamftp -- "$1"
}
# said TEXT: the last run's output holds TEXT (a fixed string, not empty); not_said TEXT: it does not.
said() {
        [ -n "$1" ] && grep -qF -- "$1" <<<"$OUT" && return 0
        echo "expected: $1"
        echo "exit status $RC, output:"
        printf '%s\n' "$OUT" | head -n 25
        return 1
}
not_said() { ! grep -qF -- "$1" <<<"$OUT" || { printf '%s\n' "$OUT" | head -n 25; false; }; }
# bound_to DIR: the programs asked bindtextdomain() for DIR, where make install put the catalogue
bound_to() {
        [ -s "$tmp/bound" ] && [ -n "$1" ] && [ "$(sort -u "$tmp/bound")" = "$1" ] && return 0
        echo "bindtextdomain(\"clamftp\", …) was called with: $(cat "$tmp/bound" 2>/dev/null || echo nothing)"
        echo "make install put it under: ${1:-nothing}"
        return 1
}
# translated MSGID: the translation, or an empty string when the catalogue has none.
translated() {
        local t
        t=$(vi_gettext "$1")
        [ "$t" != "$1" ] && printf '%s' "$t"
}

summary="A secure FTP client that scans every upload for viruses."
line_opt="Use line mode even on a terminal"
commands_head='Commands (`help <command>` for details):'
unknown='Unknown command "%s": type `help` for the list.'
error_prefix='clamftp: error: '
agent_summary="clamav-agent: a scanning daemon on libclamav that speaks clamd's protocol."
agent_fg="Stay in the foreground and log to stderr"

run "$tmp/locale" "${vi_env[@]}" -- "$clamftp" --help
expect "clamftp --help (vi): the summary is in Vietnamese" said "$(translated "$summary")"
expect "clamftp --help (vi): the option --line is described in Vietnamese" said "$(translated "$line_opt")"
expect "clamftp --help (vi): option names stay as they are" said "--trust-fingerprint=SHA256"
expect "clamftp looks for its catalogue where make install puts it ($installed_localedir)" \
        bound_to "$installed_localedir"

run "$tmp/locale" "${vi_env[@]}" -- "$clamftp" -c help
expect "clamftp -c help (vi): the list's heading is in Vietnamese" said "$(translated "$commands_head")"
expect "clamftp -c help (vi): a command's summary is in Vietnamese" said "$(translated "Download a file.")"
expect "clamftp -c help (vi): command names stay as they are" said "mput"

run "$tmp/locale" "${vi_env[@]}" -- "$clamftp" -c frobnicate
want=
if t_prefix=$(translated "$error_prefix") && t_unknown=$(translated "$unknown"); then
        # shellcheck disable=SC2059
        want=$t_prefix$(printf "$t_unknown" frobnicate)
fi
expect "clamftp -c frobnicate (vi): the unknown command's error is in Vietnamese" said "$want"

run "$tmp/locale" "${vi_env[@]}" -- "$agent" --help
expect "clamav-agent --help (vi): the summary is in Vietnamese" said "$(translated "$agent_summary")"
expect "clamav-agent --help (vi): --foreground is described in Vietnamese" said "$(translated "$agent_fg")"
expect "clamav-agent looks for its catalogue where make install puts it" bound_to "$installed_localedir"

if [ -n "$installed_localedir" ] && [ -d "$tmp/root$installed_localedir" ]; then
        run "$tmp/root$installed_localedir" "${vi_env[@]}" -- "$clamftp" --help
        expect "clamftp --help (vi) with the catalogue make install wrote" said "$(translated "$summary")"
else
        skip "clamftp --help (vi) with the catalogue make install wrote" "make install wrote no catalogue"
fi

if locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then
        run "$tmp/locale" LC_ALL=C.UTF-8 LANGUAGE=vi -- "$clamftp" --help
        expect "clamftp --help under C.UTF-8 with LANGUAGE=vi is in Vietnamese" said "$(translated "$summary")"
else
        skip "clamftp --help under C.UTF-8 with LANGUAGE=vi is in Vietnamese" "no C.UTF-8 locale"
fi

# LANG=C: English, even with LANGUAGE=vi set (glibc ignores LANGUAGE under the C locale).
run "$tmp/locale" LANG=C LANGUAGE=vi -- "$clamftp" --help
expect "clamftp --help (LANG=C): the summary is in English" said "$summary"
expect "clamftp --help (LANG=C): no Vietnamese" not_said "$(translated "$line_opt")"
run "$tmp/locale" LANG=C LANGUAGE=vi -- "$clamftp" -c help
expect "clamftp -c help (LANG=C): the heading is in English" said "$commands_head"
run "$tmp/locale" LANG=C LANGUAGE=vi -- "$clamftp" -c frobnicate
expect "clamftp -c frobnicate (LANG=C): the error is in English" said "${error_prefix}Unknown command \"frobnicate\""
run "$tmp/locale" LANG=C LANGUAGE=vi -- "$agent" --help
expect "clamav-agent --help (LANG=C): the summary is in English" said "$agent_summary"

tap_done
