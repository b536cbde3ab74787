#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tenure-cli plan and bill run as a script would use them, on SQLite: a contract imported into
# the small demo, its plan stored and printed (CSV, JSON, --explain, --dry-run), a bill run
# previewed, posted, run again (nothing twice), bad options refused.
# Speaks TAP on stdout.
#   test-cli-billing.sh /path/to/tenure-cli
set -u

CLI=$1
TMP=$(mktemp -d /tmp/tenure-cli-billing.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export XDG_DATA_HOME="$TMP/xdg"
export LANGUAGE=C LC_ALL=C.UTF-8
DB="$TMP/t.db"

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () {
  n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift
  # Every line of the diagnostics behind "# ", or the TAP reader takes them for results.
  for l in "$@"; do printf '%s\n' "$l" | sed 's/^/# /'; done
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

run "$CLI" demo --db "$DB"
check "demo database" $rc
# A free unit of the demo (units of the small demo's first project that no contract holds).
unit=$(sqlite3 "$DB" "SELECT u.code FROM unit u JOIN floor f ON f.id = u.floor_id
  JOIN building b ON b.id = f.building_id JOIN project p ON p.id = b.project_id
  WHERE p.code = 'SH-XH01' AND NOT EXISTS (SELECT 1 FROM contract_unit cu
  WHERE cu.unit_id = u.id) ORDER BY u.code LIMIT 1")
building=$(sqlite3 "$DB" "SELECT b.code FROM unit u JOIN floor f ON f.id = u.floor_id
  JOIN building b ON b.id = f.building_id WHERE u.code = '$unit'")
tenant=$(sqlite3 "$DB" "SELECT code FROM tenant ORDER BY code LIMIT 1")
cat >"$TMP/c.json" <<JSON
{ "schema": "tenure.contract/1", "contracts": [ { "code": "CLI-1", "tenant": "$tenant",
  "project": "SH-XH01", "start_date": "2026-03-10", "end_date": "2027-03-09",
  "versions": [ { "units": [ { "unit": "$unit", "area_c": 8550 } ],
    "clauses": [ { "charge_item": "RENT", "basis": "per_m2_month", "price_e4": 3200000,
                   "alignment": "calendar" } ] } ] } ] }
JSON
run "$CLI" contract import --db "$DB" "$TMP/c.json"
check "contract imported" $rc

# Example 2 of domain.md: 85.50 m² × 320.0000 = 27,360.00 a month; March 22/31 = 19,416.77.
run "$CLI" plan CLI-1 --db "$DB"
[ $rc -eq 0 ] \
  && [ "$(head -1 <<<"$out")" = "id,charge_item,kind,period_start,period_end,due_date,amount,tax,currency,status,version,bill_id" ] \
  && [ "$(wc -l <<<"$out")" -eq 14 ] \
  && grep -q '^[0-9]*,RENT,normal,2026-03-10,2026-03-31,2026-03-10,19416.77,[0-9.]*,CNY,planned,1,$' <<<"$out" \
  && grep -q '^[0-9]*,RENT,normal,2027-03-01,2027-03-09,2027-03-01,7943.23,[0-9.]*,CNY,planned,1,$' <<<"$out"
check "plan stores and prints 13 lines to the fen" $?

lines_before=$(sqlite3 "$DB" "SELECT count(*) FROM audit_log")
run "$CLI" plan CLI-1 --db "$DB" --dry-run
[ $rc -eq 0 ] && [ "$(grep -c '^unchanged,RENT,normal' <<<"$out")" -eq 13 ] \
  && [ "$(sqlite3 "$DB" "SELECT count(*) FROM audit_log")" = "$lines_before" ]
check "plan --dry-run: nothing changes, nothing written" $?

run "$CLI" plan CLI-1 --db "$DB" --format json --explain
[ $rc -eq 0 ] && grep -q '"amount" : "19416.77"' <<<"$out" \
  && grep -q '"rule" : "per_m2_month/ACTUAL"' <<<"$out" && grep -q '"explanation"' <<<"$out"
check "plan --format json --explain: decimal strings and the trace" $?

run "$CLI" plan CLI-1 --db "$DB" --format xml
[ $rc -eq 2 ] && [ "$(wc -l <<<"$err")" -eq 1 ] && grep -q '^tenure-cli: .*xml' <<<"$err"
check "plan --format xml is a usage error" $?

run "$CLI" plan NO-SUCH --db "$DB"
[ $rc -eq 4 ] && grep -q 'NO-SUCH' <<<"$err"
check "plan of an unknown contract exits 4" $?

# The demo comes with two years of posted bills: a dry run must add none to them.
bills_before=$(sqlite3 "$DB" "SELECT count(*) FROM bill")
run "$CLI" bill run --db "$DB" --period 2026-04 --contract CLI-1 --dry-run
[ $rc -eq 0 ] && [ "$(wc -l <<<"$out")" -eq 3 ] \
  && grep -q '^,CLI-1,bill,2026-03-10,2026-03-31,2026-03-10,1,19416.77,' <<<"$out" \
  && [ "$(sqlite3 "$DB" "SELECT count(*) FROM bill")" = "$bills_before" ]
check "bill run --dry-run previews two bills and posts nothing" $?

# (A closed period is refused: tests/billing/test-bill-run.c, /billing/run/closed-period; the
# sqlite3 shell cannot write here, the audit triggers need Tenure's SQL functions.)
run "$CLI" bill run --db "$DB" --period 2026-04 --building "$building" --posting-date 2026-04-01
[ $rc -eq 0 ] && grep -q '^B202604-[0-9]*-[0-9]*,CLI-1,bill,2026-04-01,2026-04-30,2026-04-01,1,27360.00,' <<<"$out" \
  && [ "$(sqlite3 "$DB" "SELECT sum (total) FROM bill b JOIN contract c ON c.id = b.contract_id
                          WHERE c.code = 'CLI-1'")" = 4677677 ]
check "bill run posts March and April (46,776.77)" $?

run "$CLI" bill run --db "$DB" --period 2026-04 --contract CLI-1 --posting-date 2026-04-01
[ $rc -eq 0 ] && [ "$(wc -l <<<"$out")" -eq 1 ] \
  && [ "$(sqlite3 "$DB" "SELECT count(*) FROM bill b JOIN contract c ON c.id = b.contract_id
                          WHERE c.code = 'CLI-1'")" = 2 ]
check "running it again bills nothing twice" $?

run "$CLI" plan CLI-1 --db "$DB"
[ "$(grep -c ',billed,1,[0-9]' <<<"$out")" -eq 2 ]
check "the plan shows the billed lines with their bills" $?

run "$CLI" bill run --db "$DB" --period 2026-13
[ $rc -eq 2 ] && grep -q '2026-13' <<<"$err"
check "bill run --period 2026-13 is a usage error" $?
run "$CLI" bill run --db "$DB" --period 2026-04 --project A --contract B
[ $rc -eq 2 ]
check "two scopes are a usage error" $?
run "$CLI" bill run --db "$DB" --period 2026-04 --project NOPE --posting-date 2026-04-01
[ $rc -eq 4 ] && grep -q 'NOPE' <<<"$err"
check "an unknown project exits 4" $?
run "$CLI" bill --db "$DB"
[ $rc -eq 2 ]
check "bill without subcommand is a usage error" $?

echo "1..$n"
exit $failed
