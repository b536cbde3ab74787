#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tenure-cli export on the small demo (SQLite): each report writes a workbook with its sheets
# (checked in the zip: sheet names, frozen header, charts), one sheet per project on request,
# phones masked unless --no-mask (the setting export.mask_sensitive: test-export); bad paths, projects and reports are refused
# with their exit codes and a message naming them, leaving no file. Values are compared with
# the database by test-export (LibreOffice). Speaks TAP on stdout.
#   test-cli-export.sh /path/to/tenure-cli
set -u

CLI=$1
TMP=$(mktemp -d /tmp/tenure-cli-export.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export XDG_DATA_HOME="$TMP/xdg"
export LANGUAGE=C LC_ALL=C.UTF-8
DB="$TMP/t.db"
AS_OF=2026-11-01

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () {
  n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift
  for l in "$@"; do echo "# $l"; done
}
run () {
  "$@" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  out=$(cat "$TMP/out")
  err=$(cat "$TMP/err")
}
check () { # NAME CONDITION-EXIT-STATUS
  if [ "$2" -eq 0 ]; then ok "$1"; else not_ok "$1" "rc=$rc" "stdout: $out" "stderr: $err"; fi
}
# The text of one entry of a zip (python's zipfile: no unzip needed).
entry () {
  /usr/bin/python3 -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())' "$1" "$2"
}
entries () {
  /usr/bin/python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$1"
}

run "$CLI" demo --db "$DB"
check "demo database" $rc
projects=$(sqlite3 "$DB" "SELECT count(*) FROM project")
first=$(sqlite3 "$DB" "SELECT code FROM project ORDER BY code LIMIT 1")

run "$CLI" export rent-roll --as-of $AS_OF --db "$DB" --out "$TMP/rr.xlsx"
[ $rc -eq 0 ] && entry "$TMP/rr.xlsx" xl/workbook.xml | grep -q 'name="Rent roll"' \
  && entry "$TMP/rr.xlsx" xl/worksheets/sheet1.xml | grep -q 'state="frozen"'
check "rent roll: one sheet, header frozen" $?

run "$CLI" export bills --as-of $AS_OF --db "$DB" --out "$TMP/b.xlsx" --sheet-per-project
sheets=$(entries "$TMP/b.xlsx" | grep -c '^xl/worksheets/sheet')
[ $rc -eq 0 ] && [ "$sheets" -eq "$projects" ]
check "bills: one sheet per project ($sheets of $projects)" $?

# Phones are masked by default, in full with --no-mask or export.mask_sensitive = false.
phone=$(sqlite3 "$DB" "SELECT t.phone FROM bill b JOIN tenant t ON t.id = b.tenant_id
                       JOIN contract c ON c.id = b.contract_id JOIN project p ON p.id = c.project_id
                       WHERE p.code = '$first' ORDER BY t.code LIMIT 1")
run "$CLI" export bills --as-of $AS_OF --db "$DB" --out "$TMP/m.xlsx" --project "$first"
entry "$TMP/m.xlsx" xl/worksheets/sheet1.xml > "$TMP/m.xml"
[ $rc -eq 0 ] && [ -n "$phone" ] && ! grep -qF "$phone" "$TMP/m.xml" && grep -q '\*\*\*\*' "$TMP/m.xml"
check "bills: phones masked by default" $?
run "$CLI" export bills --as-of $AS_OF --db "$DB" --out "$TMP/u.xlsx" --project "$first" --no-mask
[ $rc -eq 0 ] && entry "$TMP/u.xlsx" xl/worksheets/sheet1.xml | grep -qF "$phone"
check "bills --no-mask: phones in full" $?
run "$CLI" export aging --as-of $AS_OF --db "$DB" --out "$TMP/a.xlsx"
[ $rc -eq 0 ] && entry "$TMP/a.xlsx" xl/workbook.xml | grep -q 'name="Open items"'
check "aging: summary and open items" $?

run "$CLI" export kpi --as-of $AS_OF --db "$DB" --out "$TMP/k.xlsx"
charts=$(entries "$TMP/k.xlsx" | grep -c '^xl/charts/chart')
[ $rc -eq 0 ] && [ "$charts" -eq 3 ]
check "kpi: three native charts ($charts)" $?

run "$CLI" export reconciliation --as-of 2026-10-31 --db "$DB" --out "$TMP/r.xlsx"
[ $rc -eq 0 ] && entry "$TMP/r.xlsx" xl/workbook.xml | grep -q 'name="Differences"'
check "reconciliation: summary and differences" $?

# Refusals.
run "$CLI" export bills --as-of $AS_OF --db "$DB" --out "$TMP/none/x.xlsx"
[ $rc -eq 1 ] && echo "$err" | grep -q "$TMP/none" && [ ! -e "$TMP/none" ]
check "a missing folder: exit 1 naming it" $?
run "$CLI" export bills --as-of $AS_OF --db "$DB" --out "$TMP/p.xlsx" --project NOPE
[ $rc -eq 4 ] && echo "$err" | grep -q "NOPE" && [ ! -e "$TMP/p.xlsx" ]
check "an unknown project: exit 4 naming it, no file" $?
run "$CLI" export ledger --as-of $AS_OF --db "$DB" --out "$TMP/l.xlsx"
[ $rc -eq 2 ] && echo "$err" | grep -q "ledger"
check "an unknown report: exit 2 naming it" $?
run "$CLI" export bills --as-of 2026-13-01 --db "$DB" --out "$TMP/l.xlsx"
[ $rc -eq 2 ] && echo "$err" | grep -q -- "--as-of"
check "a bad date: exit 2" $?
run "$CLI" export bills --db "$DB"
[ $rc -eq 2 ] && echo "$err" | grep -q -- "--out"
check "no --out: exit 2" $?
leftover=$(ls -A "$TMP" | grep -c '^\.' )
[ "$leftover" -eq 0 ]
check "no temporary file left behind" $?

echo "1..$n"
exit $failed
