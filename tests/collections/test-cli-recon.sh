#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tenure-cli aging, reconcile, period close|reopen and dunning run on SQLite, as a script
# would use them: two contracts imported as JSON, their plans stored and billed January to
# March 2025 through the CLI, one payment; every expected figure written by hand below.
# Speaks TAP on stdout.
#   test-cli-recon.sh /path/to/tenure-cli /path/to/recon-cli-setup
set -u

CLI=$1
SETUP=$2
TMP=$(mktemp -d /tmp/tenure-cli-recon.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export XDG_DATA_HOME="$TMP/xdg"
export LANGUAGE=C LC_ALL=C.UTF-8
DB="$TMP/t.db"

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () {
  n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift
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
sql () { sqlite3 "$DB" "$1"; }

"$SETUP" "$DB" || { echo "1..1"; echo "not ok 1 - setup"; exit 1; }
cat >"$TMP/c.json" <<'JSON'
{ "schema": "tenure.contract/1", "contracts": [
  { "code": "C1", "tenant": "T1", "project": "P1", "start_date": "2025-01-01",
    "end_date": "2025-12-31", "versions": [ { "units": [ { "unit": "U1", "area_c": 10000 } ],
    "clauses": [ { "charge_item": "RENT", "basis": "fixed_month", "amount": 1000000,
                   "alignment": "calendar" } ] } ] },
  { "code": "C2", "tenant": "T2", "project": "P1", "start_date": "2025-01-01",
    "end_date": "2025-12-31", "versions": [ { "units": [ { "unit": "U2", "area_c": 10000 } ],
    "clauses": [ { "charge_item": "RENT", "basis": "fixed_month", "amount": 500000,
                   "alignment": "calendar" } ] } ] } ] }
JSON
run "$CLI" contract import --db "$DB" "$TMP/c.json"
check "contracts imported" $rc
run "$CLI" plan C1 --db "$DB"; check "plan C1" $rc
run "$CLI" plan C2 --db "$DB"; check "plan C2" $rc
for m in 01 02 03; do
  run "$CLI" bill run --db "$DB" --period 2025-$m --posting-date 2025-$m-01
  check "bill run 2025-$m" $rc
done
# T1 pays 6,000.00 of C1's March on 2025-03-10 (a receipt and its allocation).
run "$SETUP" "$DB" pay T1 C1 2025-03-01 600000 2025-03-10
check "payment recorded" $rc

# Aging as of 2025-03-31 by tenant: January 89 days, February 58, March 30.
run "$CLI" aging --db "$DB" --as-of 2025-03-31 --by tenant --format csv
[ $rc -eq 0 ] \
  && [ "$(head -1 <<<"$out")" = "row,group,name,currency,not_due,1-30,31-60,61-90,91-180,181-365,over_365,total,items" ] \
  && grep -qx 'group,T1,Tenant one,CNY,0.00,4000.00,10000.00,10000.00,0.00,0.00,0.00,24000.00,3' <<<"$out" \
  && grep -qx 'group,T2,Tenant two,CNY,0.00,5000.00,5000.00,5000.00,0.00,0.00,0.00,15000.00,3' <<<"$out" \
  && grep -qx 'total,,,CNY,0.00,9000.00,15000.00,15000.00,0.00,0.00,0.00,39000.00,6' <<<"$out"
check "aging by tenant (CSV)" $?

# Before the payment: as of 2025-03-09 March is 8 days past due and fully open.
run "$CLI" aging --db "$DB" --as-of 2025-03-09 --contract C1 --items
[ $rc -eq 0 ] && grep -q '^1-30,C1,[^,]*,RENT,2025-03-01,8,10000.00,10000.00,CNY$' <<<"$out"
check "aging items as of a past date" $?

run "$CLI" aging --db "$DB" --as-of 2025-03-31
[ $rc -eq 0 ] && grep -q '39,000.00' <<<"$out"
check "aging text" $?

run "$CLI" aging --db "$DB" --as-of 2025-02-30
[ $rc -eq 2 ] && grep -q '2025-02-30' <<<"$err"
check "aging refuses an impossible date" $?
run "$CLI" aging --db "$DB" --as-of 2025-03-31 --project NOPE
[ $rc -eq 4 ] && grep -q 'NOPE' <<<"$err"
check "aging refuses an unknown project" $?

# Reconciliation of March: receivable 15,000.00, received 6,000.00, difference 9,000.00.
run "$CLI" reconcile --db "$DB" --period 2025-03 --format csv
[ $rc -eq 0 ] \
  && grep -q '^LE,2025-03,entity,,CNY,15000.00,6000.00,9000.00,open,[0-9]*,partly_paid,no,C1,[^,]*,RENT,2025-03-01,4000.00,,,$' <<<"$out" \
  && grep -q '^LE,2025-03,entity,,CNY,15000.00,6000.00,9000.00,open,[0-9]*,unpaid,no,C2,[^,]*,RENT,2025-03-01,5000.00,,,$' <<<"$out" \
  && [ "$(wc -l <<<"$out")" -eq 3 ]
check "reconcile March (CSV)" $?
ids=$(tail -n +2 <<<"$out" | cut -d, -f10)

run "$CLI" reconcile --db "$DB" --period 2025-03
[ $rc -eq 0 ] && grep -q 'Difference  *9,000.00' <<<"$out" && grep -q 'partly paid' <<<"$out"
check "reconcile March (text)" $?

run "$CLI" reconcile --db "$DB" --period 2025-13
[ $rc -eq 2 ]; check "reconcile refuses month 13" $?

# Closing: March before January and February is refused; they close with a reason.
run "$CLI" period close --db "$DB" --entity LE --period 2025-03
[ $rc -eq 4 ] && grep -q '2025-01' <<<"$err"
check "close refuses while earlier months are open" $?
run "$CLI" period close --db "$DB" --entity LE --period 2025-01 --reason "arrears with legal"
check "close January with a reason" $rc
run "$CLI" period close --db "$DB" --entity LE --period 2025-02 --reason "arrears with legal"
check "close February with a reason" $rc
run "$CLI" period close --db "$DB" --entity LE --period 2025-03
[ $rc -eq 4 ] && grep -q '2 unresolved' <<<"$err"
check "close refuses unresolved differences" $?
for id in $ids; do
  run "$CLI" reconcile resolve "$id" "tenant called" --db "$DB"
  check "resolve difference $id" $rc
done
run "$CLI" period close --db "$DB" --entity LE --period 2025-03
[ $rc -eq 0 ] && [ "$(sql "SELECT count(*) FROM accounting_period WHERE closed_at IS NOT NULL")" = 3 ]
check "close March" $?

bills=$(sql "SELECT count(*) FROM bill")
run "$CLI" bill run --db "$DB" --period 2025-04 --posting-date 2025-03-31
[ $rc -eq 4 ] && grep -q 'closed' <<<"$err" && [ "$(sql "SELECT count(*) FROM bill")" = "$bills" ]
check "a bill run into the closed month is refused and writes nothing" $?

run "$CLI" period reopen --db "$DB" --entity LE --period 2025-03
[ $rc -eq 2 ]; check "reopen needs a reason" $?
run "$CLI" period reopen --db "$DB" --entity LE --period 2025-02 --reason "fix"
[ $rc -eq 4 ] && grep -q '2025-03' <<<"$err"
check "reopen refuses while a later month is closed" $?
run "$CLI" period reopen --db "$DB" --entity LE --period 2025-03 --reason "late slip"
[ $rc -eq 0 ] && [ "$(sql "SELECT reason FROM accounting_period_event WHERE action = 'reopen'")" = "late slip" ]
check "reopen March with a reason" $?

# Dunning as of 2025-03-31: both contracts 89 days overdue, L4 (a task).
run "$CLI" dunning run --db "$DB" --as-of 2025-03-31 --dry-run
[ $rc -eq 0 ] \
  && grep -qx ',C1,T1,4,Legal action,task,,24000.00,CNY,2025-01-01,89' <<<"$out" \
  && grep -qx ',C2,T2,4,Legal action,task,,15000.00,CNY,2025-01-01,89' <<<"$out" \
  && [ "$(sql "SELECT count(*) FROM dunning_action")" = 0 ] && grep -q 'nothing was written' <<<"$err"
check "dunning dry run" $?
run "$CLI" dunning run --db "$DB" --as-of 2025-03-31
[ $rc -eq 0 ] && grep -q '^[0-9][0-9]*,C1,T1,4,' <<<"$out" \
  && [ "$(sql "SELECT count(*) FROM dunning_action WHERE kind = 'task' AND status = 'open'")" = 2 ]
check "dunning run records two tasks" $?
run "$CLI" dunning run --db "$DB" --as-of 2025-04-03
[ $rc -eq 0 ] && [ "$(wc -l <<<"$out")" -eq 1 ] && [ "$(sql "SELECT count(*) FROM dunning_run")" = 2 ]
check "dunning does not repeat a task" $?
run "$CLI" dunning --db "$DB" --as-of 2025-03-31
[ $rc -eq 2 ]; check "dunning needs the run subcommand" $?

echo "1..$n"
exit $failed
