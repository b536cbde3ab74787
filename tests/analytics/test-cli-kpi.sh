#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tenure-cli kpi on the small demo (SQLite): every indicator prints its CSV header and rows that
# agree with the database; bad options are refused with exit code 2 and a message naming them.
# Speaks TAP on stdout.
#   test-cli-kpi.sh /path/to/tenure-cli
set -u

CLI=$1
TMP=$(mktemp -d /tmp/tenure-cli-kpi.XXXXXX)
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

run "$CLI" demo --db "$DB"
check "demo database" $rc
units=$(sqlite3 "$DB" "SELECT count(*) FROM unit WHERE retired_on IS NULL")
projects=$(sqlite3 "$DB" "SELECT count(*) FROM project")

run "$CLI" kpi occupancy --as-of $AS_OF --db "$DB"
[ $rc -eq 0 ] && [ "$(echo "$out" | head -1)" = \
  "key,units,leased_units,leasable_area,leased_area,occupancy_area,occupancy_units,vacancy_area" ] \
  && [ "$(echo "$out" | wc -l)" -eq 2 ]
check "occupancy: header and one row" $?
# The units counted are the live units not for lease excluded.
for_lease=$(sqlite3 "$DB" "SELECT count(*) FROM unit WHERE retired_on IS NULL
  AND stored_status <> 'not_for_lease'")
[ "$(echo "$out" | sed -n 2p | cut -d, -f2)" = "$for_lease" ]
check "occupancy: units for lease ($for_lease)" $?
ratio=$(echo "$out" | sed -n 2p | cut -d, -f6)
vac=$(echo "$out" | sed -n 2p | cut -d, -f8)
awk -v r="$ratio" -v v="$vac" 'BEGIN { exit !(r > 0 && r <= 1 && r + v > 0.999998 && r + v < 1.000002) }'
check "occupancy: 0 < $ratio <= 1, vacancy $vac" $?

run "$CLI" kpi occupancy --as-of $AS_OF --db "$DB" --by project
[ $rc -eq 0 ] && [ "$(echo "$out" | wc -l)" -eq $((projects + 1)) ]
check "occupancy by project: $projects rows" $?

run "$CLI" kpi occupancy --as-of $AS_OF --from 2026-01-15 --db "$DB"
[ $rc -eq 0 ] && [ "$(echo "$out" | sed -n 2p | cut -d, -f1)" = 2026-01-31 ] \
  && [ "$(echo "$out" | tail -1 | cut -d, -f1)" = 2026-11-30 ]
check "occupancy series: month ends January to November" $?

run "$CLI" kpi expiry --as-of $AS_OF --db "$DB"
[ $rc -eq 0 ] && [ "$(echo "$out" | wc -l)" -eq 25 ] \
  && [ "$(echo "$out" | sed -n 2p | cut -d, -f2)" = 2026-11 ]
check "expiry: 24 months from 2026-11" $?
echo "$out" | awk -F, 'NR > 1 { s += $5 } END { exit !(s <= 1.000001) }'
check "expiry: shares sum to at most 1" $?

run "$CLI" kpi wale --as-of $AS_OF --db "$DB" --by term
[ $rc -eq 0 ] && echo "$out" | grep -q '^<1,' && echo "$out" | grep -q '^vacant,0.00,0.00,,$'
check "wale by term" $?

run "$CLI" kpi vacancy-loss --as-of $AS_OF --from 2026-10-01 --db "$DB"
[ $rc -eq 0 ] && [ "$(echo "$out" | head -1)" = \
  "key,vacant_unit_days,vacancy_loss,rent_free_loss,units_without_asking_price" ]
check "vacancy-loss" $?

run "$CLI" kpi renewals --as-of $AS_OF --db "$DB" --by format
[ $rc -eq 0 ] && [ "$(echo "$out" | head -1)" = "key,reached_expiry,renewed,renewal_rate" ]
check "renewals by format" $?

run "$CLI" kpi rent-roll --as-of $AS_OF --db "$DB"
listed=$(echo "$out" | tail -n +2 | cut -d, -f1 | sort -u | wc -l)
[ $rc -eq 0 ] && [ "$listed" -eq "$units" ]
check "rent-roll: every unit ($units) listed" $?

run "$CLI" kpi occupancy --as-of $AS_OF --db "$DB" --by floor
[ $rc -eq 2 ] && echo "$err" | grep -q 'floor'
check "unknown slice refused, named" $?
run "$CLI" kpi occupancy --as-of 2026-02-30 --db "$DB"
[ $rc -eq 2 ] && echo "$err" | grep -q '2026-02-30'
check "impossible date refused, named" $?
run "$CLI" kpi turnover --as-of $AS_OF --db "$DB"
[ $rc -eq 2 ] && echo "$err" | grep -q 'turnover'
check "unknown indicator refused, named" $?
run "$CLI" kpi renewals --as-of $AS_OF --db "$DB" --by building
[ $rc -ne 0 ] && echo "$err" | grep -q 'project or format'
check "renewals by building refused" $?

echo "1..$n"
exit $failed
