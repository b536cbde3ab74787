#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# po/zh_CN.po stays complete: every string marked for translation in the files of
# po/POTFILES.in has a Chinese entry, the catalogue compiles with format checks, and every
# source file holding _("…") is listed in POTFILES.in. Usage: check-translations.sh SOURCE_ROOT
set -eu
root=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root"

echo "1..3"
if msgfmt -c -o /dev/null po/zh_CN.po 2>"$tmp/msgfmt"; then
  echo "ok 1 - po/zh_CN.po compiles with format checks"
else
  sed 's/^/# /' "$tmp/msgfmt" >&2
  echo "not ok 1 - po/zh_CN.po does not compile"
fi

missing=""
for f in $(grep -l '_("' src/app/*.c src/cli/*.c src/core/*/*.c); do
  grep -qx "$f" po/POTFILES.in || missing="$missing $f"
done
if [ -z "$missing" ]; then
  echo "ok 2 - every source file with translatable strings is in po/POTFILES.in"
else
  echo "# not in po/POTFILES.in:$missing" >&2
  echo "not ok 2 - source files missing from po/POTFILES.in:$missing"
fi

xgettext --from-code=UTF-8 -k_ -kN_ -kC_:1c,2 -kNC_:1c,2 -kngettext:1,2 \
  -f po/POTFILES.in -o "$tmp/tenure.pot" 2>"$tmp/xgettext"
if msgcmp --use-untranslated po/zh_CN.po "$tmp/tenure.pot" 2>"$tmp/msgcmp"; then
  echo "ok 3 - every translatable string has a zh_CN entry"
else
  grep -v 'not used' "$tmp/msgcmp" | sed 's/^/# /' >&2
  echo "not ok 3 - strings without a zh_CN entry (see the log)"
fi
