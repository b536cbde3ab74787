#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tenure-cli contract import|show|export as a script uses it, on an SQLite demo database:
# exit codes, every import problem on its own stderr line, nothing imported from a file with
# errors, amounts as decimal yuan. Speaks TAP on stdout.
#   test-cli-contract.sh /path/to/tenure-cli
set -u

CLI=$1
TMP=$(mktemp -d /tmp/tenure-cli-contract.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export XDG_DATA_HOME="$TMP/xdg"
export LANGUAGE=C LC_ALL=C.UTF-8
DB=$TMP/demo.db

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
sql () { sqlite3 "$DB" "$1"; }
check () { # NAME CONDITION-STATUS DETAILS…
  local name=$1 status=$2; shift 2
  if [ "$status" -eq 0 ]; then ok "$name"; else not_ok "$name" "$@"; fi
}

run "$CLI" demo --db "$DB"
check "demo database" $rc "rc=$rc" "$err"

# Two units no contract has ever covered, in one project, and a tenant.
read -r U1 P <<<"$(sql "SELECT u.code, p.code FROM unit u JOIN floor f ON f.id = u.floor_id
  JOIN building b ON b.id = f.building_id JOIN project p ON p.id = b.project_id
  WHERE u.id NOT IN (SELECT unit_id FROM contract_unit) ORDER BY u.code LIMIT 1" | tr '|' ' ')"
U2=$(sql "SELECT u.code FROM unit u JOIN floor f ON f.id = u.floor_id
  JOIN building b ON b.id = f.building_id JOIN project p ON p.id = b.project_id
  WHERE p.code = '$P' AND u.code <> '$U1'
  AND u.id NOT IN (SELECT unit_id FROM contract_unit) ORDER BY u.code LIMIT 1")
T=$(sql "SELECT code FROM tenant ORDER BY code LIMIT 1")
BEFORE=$(sql "SELECT count(*) FROM contract")

cat >"$TMP/good.csv" <<CSV
contract_code,tenant,project,start_date,end_date,units,charge_item,basis,price,amount,cycle_months,rent_free
HT-CLI-1,$T,$P,2026-01-01,2027-12-31,$U1=100.50,RENT,per_m2_month,120.0000,,3,2026-01-01..2026-01-31
HT-CLI-1,$T,$P,2026-01-01,2027-12-31,$U1=100.50,PROPERTY_FEE,fixed_month,,"8,000.00",1,
CSV
run "$CLI" contract import "$TMP/good.csv" --db "$DB"
check "import a CSV template" $([ $rc -eq 0 ] && [[ $out == "Imported 1 contract from "* ]]; echo $?) \
  "rc=$rc" "$out" "$err"
check "rows in the database" $([ "$(sql "SELECT count(*) FROM clause c JOIN contract_version v
  ON v.id = c.contract_version_id JOIN contract k ON k.id = v.contract_id
  WHERE k.code = 'HT-CLI-1'")" = 2 ] && [ "$(sql "SELECT price_e4 FROM clause WHERE
  price_e4 = 1200000")" = 1200000 ]; echo $?)

run "$CLI" contract show HT-CLI-1 --db "$DB"
check "show" $([ $rc -eq 0 ] && grep -q "^Term: 2026-01-01 to 2027-12-31$" "$TMP/out" \
  && grep -q "Clause 2: PROPERTY_FEE, fixed_month 8000.00, 1-month cycle" "$TMP/out" \
  && grep -q "Rent-free: 2026-01-01 to 2026-01-31" "$TMP/out" \
  && grep -q "Unit $U1: 100.50 m²" "$TMP/out"; echo $?) "rc=$rc" "$out" "$err"

run "$CLI" contract export HT-CLI-1 --format json --db "$DB"
cp "$TMP/out" "$TMP/export.json"
check "export as JSON" $([ $rc -eq 0 ] && grep -q '"schema" : "tenure.contract/1"' "$TMP/export.json" \
  && grep -q '"amount" : 800000' "$TMP/export.json"; echo $?) "rc=$rc" "$err"

# The exported contract again: its code exists, refused with exit 4.
run "$CLI" contract import "$TMP/export.json" --db "$DB"
check "re-import is refused" $([ $rc -eq 4 ] && [[ $err == *"HT-CLI-1"*"already exists"* ]]; echo $?) \
  "rc=$rc" "$err"

# Errors in two rows (a bad date on line 2, an overlap with HT-CLI-1 on line 3), a good row on
# line 4: every problem on its own line, then the summary; nothing imported.
COUNT=$(sql "SELECT count(*) FROM contract")
cat >"$TMP/bad.csv" <<CSV
contract_code,tenant,project,start_date,end_date,units,charge_item,basis,price,amount
HT-CLI-2,$T,$P,2026-02-30,2027-12-31,$U2=50,RENT,fixed_month,,1000.00
HT-CLI-3,$T,$P,2027-06-01,2028-05-31,$U1=100.50,RENT,fixed_month,,1000.00
HT-CLI-4,$T,$P,2026-01-01,2026-12-31,$U2=50,RENT,fixed_month,,1000.00
CSV
run "$CLI" contract import "$TMP/bad.csv" --db "$DB"
lines=$(wc -l <"$TMP/err")
check "import errors: exit 4, one line each" $([ $rc -eq 4 ] && [ "$lines" -eq 3 ] \
  && sed -n 1p "$TMP/err" | grep -q "^bad.csv, line 2, column 4 (start_date): " \
  && sed -n 2p "$TMP/err" | grep -q "^bad.csv, line 3, column 6 (units): .*HT-CLI-1" \
  && sed -n 3p "$TMP/err" | grep -q "^tenure-cli: 2 problems in bad.csv; nothing was imported$"; \
  echo $?) "rc=$rc" "$err"
check "nothing imported" $([ "$(sql "SELECT count(*) FROM contract")" = "$COUNT" ]; echo $?)
check "one contract more than the demo" $([ "$COUNT" = $((BEFORE + 1)) ]; echo $?)

run "$CLI" contract show HT-NONE --db "$DB"
check "show an unknown code" $([ $rc -eq 4 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] \
  && [[ $err == "tenure-cli: "*"HT-NONE"* ]]; echo $?) "rc=$rc" "$err"
run "$CLI" contract export HT-CLI-1 --format csv --db "$DB"
check "export --format csv is a usage error" $([ $rc -eq 2 ]; echo $?) "rc=$rc" "$err"
run "$CLI" contract import "$TMP/none.csv" --db "$DB"
check "import a missing file" $([ $rc -eq 4 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ]; echo $?) \
  "rc=$rc" "$err"
run "$CLI" contract import "$TMP/good.txt" --db "$DB"
check "import an unknown file type" $([ $rc -eq 4 ] && [[ $err == *".json, .csv or .xlsx"* ]]; \
  echo $?) "rc=$rc" "$err"
run "$CLI" contract
check "missing subcommand" $([ $rc -eq 2 ]; echo $?) "rc=$rc"

echo "1..$n"
exit $failed
