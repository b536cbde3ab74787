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

# Part two: money indicators against the database (CNY; credit notes reduce the line they
# correct; the demo's bills are posted in their month).
run "$CLI" kpi collection --as-of 2026-10-31 --db "$DB"
due=$(sqlite3 "$DB" "SELECT printf('%.2f', coalesce(sum(max(0, bl.amount + coalesce((
  SELECT sum(cl.amount) FROM receivable_line d JOIN bill_line cl ON cl.receivable_line_id = d.id
  JOIN bill cb ON cb.id = cl.bill_id WHERE d.corrects_line_id = bl.receivable_line_id
  AND d.kind = 'difference' AND cl.amount < 0 AND cb.posting_date <= '2026-10-31'), 0))), 0)
  / 100.0) FROM bill_line bl JOIN bill b ON b.id = bl.bill_id WHERE bl.amount > 0
  AND b.currency = 'CNY' AND b.posting_date <= '2026-10-31'
  AND bl.due_date BETWEEN '2026-10-01' AND '2026-10-31'")
[ $rc -eq 0 ] && [ "$(echo "$out" | head -1)" = \
  "key,month,due,received,collection_rate,arrears_open,arrears_recovered,arrears_recovery_rate" ] \
  && [ "$(echo "$out" | sed -n 2p | cut -d, -f2)" = 2026-10 ] \
  && [ "$(echo "$out" | sed -n 2p | cut -d, -f3)" = "$due" ]
check "collection: October due $due as in the database" $?
run "$CLI" kpi collection --as-of 2026-10-31 --from 2026-01-01 --db "$DB"
[ $rc -eq 0 ] && [ "$(echo "$out" | wc -l)" -eq 11 ] \
  && [ "$(echo "$out" | tail -1 | cut -d, -f3)" = "$due" ]
check "collection series: ten months, October the same" $?
run "$CLI" kpi collection --as-of 2026-10-31 --db "$DB" --by project
[ $rc -eq 0 ] && echo "$out" | awk -F, -v due="$due" 'NR > 1 { s += $3 }
  END { exit !(sprintf("%.2f", s) == due) }'
check "collection by project adds up to $due" $?

run "$CLI" kpi aging --as-of $AS_OF --db "$DB"
[ $rc -eq 0 ] && [ "$(echo "$out" | wc -l)" -eq 8 ] \
  && [ "$(echo "$out" | sed -n 2p | cut -d, -f2)" = not_due ] \
  && echo "$out" | awk -F, 'NR > 1 { s += $5; t += $3 } END { exit !(t == 0 || (s > 0.99999 && s < 1.00001)) }'
check "aging: seven buckets whose shares add up to 1" $?

run "$CLI" kpi revenue --as-of 2026-10-31 --from 2026-01-01 --db "$DB"
billed=$(sqlite3 "$DB" "SELECT printf('%.2f', coalesce(sum(bl.amount), 0) / 100.0)
  FROM bill_line bl JOIN bill b ON b.id = bl.bill_id JOIN charge_item ci
  ON ci.id = bl.charge_item_id WHERE ci.kind <> 'deposit' AND b.currency = 'CNY'
  AND b.posting_date <= '2026-10-31' AND bl.period_start BETWEEN '2026-01-01' AND '2026-10-31'")
[ $rc -eq 0 ] && [ "$(echo "$out" | head -1)" = "charge_item,name,kind,billed,tax" ] \
  && echo "$out" | awk -F, -v b="$billed" 'NR > 1 { s += $(NF - 1) }
    END { exit !(sprintf("%.2f", s) == b) }'
check "revenue: charge items add up to $billed" $?

unit=$(sqlite3 "$DB" "SELECT u.code FROM unit u JOIN contract_unit cu ON cu.unit_id = u.id
  ORDER BY u.code LIMIT 1")
run "$CLI" kpi unit-revenue --unit "$unit" --as-of 2026-10-31 --from 2026-01-01 --db "$DB"
[ $rc -eq 0 ] && [ "$(echo "$out" | wc -l)" -eq 11 ] && [ "$(echo "$out" | sed -n 2p | cut -d, -f1)" = 2026-01 ]
check "unit-revenue: ten months of $unit" $?
run "$CLI" kpi unit-revenue --as-of $AS_OF --db "$DB"
[ $rc -eq 2 ] && echo "$err" | grep -q -- '--unit'
check "unit-revenue without --unit refused" $?

run "$CLI" kpi cash-flow --as-of $AS_OF --renewal 50 --db "$DB"
[ $rc -eq 0 ] && [ "$(echo "$out" | wc -l)" -eq 13 ] \
  && [ "$(echo "$out" | sed -n 2p | cut -d, -f1)" = 2026-11 ] \
  && echo "$out" | awk -F, 'NR > 1 && $3 > $2 { bad = 1 } END { exit bad }'
check "cash-flow: twelve months from 2026-11, expected within contractual" $?
run "$CLI" kpi cash-flow --as-of $AS_OF --renewal 150 --db "$DB"
[ $rc -eq 2 ] && echo "$err" | grep -q '150'
check "cash-flow: a renewal probability of 150 % refused" $?

run "$CLI" kpi turnaround --as-of $AS_OF --db "$DB" --by project
[ $rc -eq 0 ] && [ "$(echo "$out" | head -1 | cut -d, -f1-3)" = "key,contracts,approval_days" ]
check "turnaround by project" $?
counts=$(echo "$out" | awk -F, 'NR > 1 { c += $2; b += $4; r += $6 } END { print c, b, r }')
for by in format price-band; do
  run "$CLI" kpi turnaround --as-of $AS_OF --db "$DB" --by $by
  [ $rc -eq 0 ] && [ "$(echo "$out" | wc -l)" -ge 2 ] \
    && [ "$(echo "$out" | awk -F, 'NR > 1 { c += $2; b += $4; r += $6 } END { print c, b, r }')" = "$counts" ]
  check "turnaround by $by counts every contract, bill and reconciliation once ($counts)" $?
done
# Aging by remaining term and by price band: seven buckets per key, each bucket adding up over
# the keys to the unsliced bucket, to the fen.
run "$CLI" kpi aging --as-of $AS_OF --db "$DB"
aging_all=$(echo "$out" | awk -F, 'NR > 1 { printf "%s=%s/%s ", $2, $3, $4 }')
for by in term price-band; do
  run "$CLI" kpi aging --as-of $AS_OF --db "$DB" --by $by
  keys=$(echo "$out" | awk -F, 'NR > 1 { print $1 }' | sort -u | wc -l)
  sums=$(echo "$out" | awk -F, 'NR > 1 { o[$2] += $3 * 100; c[$2] += $4; if (!($2 in seen))
    { seen[$2] = 1; order[n++] = $2 } } END { for (i = 0; i < n; i++)
    printf "%s=%.2f/%d ", order[i], o[order[i]] / 100, c[order[i]] }')
  [ $rc -eq 0 ] && [ "$keys" -ge 2 ] && [ "$(echo "$out" | wc -l)" -eq $((keys * 7 + 1)) ] \
    && [ "$sums" = "$aging_all" ]
  check "aging by $by: $keys keys, every bucket adds up to the unsliced one" $?
done

run "$CLI" kpi occupancy --as-of $AS_OF --db "$DB" --by floor
[ $rc -eq 2 ] && echo "$err" | grep -q 'floor'
check "unknown slice refused, named" $?
run "$CLI" kpi occupancy --as-of 2026-02-30 --db "$DB"
[ $rc -eq 2 ] && echo "$err" | grep -q '2026-02-30'
check "impossible date refused, named" $?
run "$CLI" kpi turnover --as-of $AS_OF --db "$DB"
[ $rc -eq 2 ] && echo "$err" | grep -q 'turnover'
check "unknown indicator refused, named" $?
# Renewals by every slice count each contract reaching its end once.
run "$CLI" kpi renewals --as-of $AS_OF --db "$DB"
renew_all=$(echo "$out" | awk -F, 'NR > 1 { r += $2; n += $3 } END { print r, n }')
for by in project building format area-band term price-band; do
  run "$CLI" kpi renewals --as-of $AS_OF --db "$DB" --by $by
  [ $rc -eq 0 ] && [ "$(echo "$out" | awk -F, 'NR > 1 { r += $2; n += $3 } END { print r, n }')" \
    = "$renew_all" ] && [ "${renew_all% *}" -gt 0 ]
  check "renewals by $by add up to the unsliced count ($renew_all)" $?
done

# Revenue and the forecast sliced (tenure-kpi-slices.h): every slice adds up to the unsliced
# figure (the database's sum for revenue), to the fen; a series has one row per slice and month.
for by in project building format area-band term price-band; do
  run "$CLI" kpi revenue --as-of 2026-10-31 --from 2026-01-01 --by $by --db "$DB"
  [ $rc -eq 0 ] && [ "$(echo "$out" | head -1)" = "key,month,billed,tax" ] \
    && [ "$(echo "$out" | wc -l)" -ge 2 ] \
    && echo "$out" | awk -F, -v b="$billed" 'NR > 1 { s += $3 } END { exit !(sprintf("%.2f", s) == b) }'
  check "revenue by $by adds up to $billed" $?
done
run "$CLI" kpi revenue --as-of 2026-10-31 --from 2026-08-01 --by project --series --db "$DB"
[ $rc -eq 0 ] && [ "$(echo "$out" | wc -l)" -eq $((projects * 3 + 1)) ] \
  && [ "$(echo "$out" | sed -n 2p | cut -d, -f2)" = 2026-08 ]
check "revenue by project as a series: 3 months × $projects projects" $?
run "$CLI" kpi cash-flow --as-of $AS_OF --db "$DB"
totals=$(echo "$out" | awk -F, 'NR > 1 { c += $2; e += $3 } END { printf "%.2f %.2f", c, e }')
for by in project building format area-band term price-band; do
  run "$CLI" kpi cash-flow --as-of $AS_OF --by $by --db "$DB"
  [ $rc -eq 0 ] && [ "$(echo "$out" | head -1)" = "key,month,contractual,expected" ] \
    && [ "$(echo "$out" | awk -F, 'NR > 1 { c += $3; e += $4 } END { printf "%.2f %.2f", c, e }')" = "$totals" ]
  check "cash-flow by $by adds up to the forecast ($totals)" $?
done
run "$CLI" kpi cash-flow --as-of $AS_OF --series --db "$DB"
[ $rc -eq 0 ] && [ "$(echo "$out" | wc -l)" -eq 13 ] \
  && [ "$(echo "$out" | sed -n 2p | cut -d, -f2)" = 2026-11 ]
check "cash-flow series: twelve months" $?
run "$CLI" kpi cash-flow --as-of $AS_OF --by project --renewal 50 --db "$DB"
[ $rc -eq 2 ] && echo "$err" | grep -q -- '--renewal'
check "cash-flow by project with renewals refused" $?
run "$CLI" kpi collection --as-of 2026-10-31 --from 2026-09-01 --db "$DB"
coll=$(echo "$out" | awk -F, 'NR > 1 { d += $3; r += $4 } END { printf "%.2f %.2f", d, r }')
for by in project term price-band; do
  run "$CLI" kpi collection --as-of 2026-10-31 --from 2026-09-01 --by $by --db "$DB"
  [ $rc -eq 0 ] && [ "$(echo "$out" | cut -d, -f2 | sort -u | grep -c '^2026-')" -eq 2 ] \
    && [ "$(echo "$out" | awk -F, 'NR > 1 { d += $3; r += $4 } END { printf "%.2f %.2f", d, r }')" = "$coll" ]
  check "collection series by $by adds up to the series ($coll)" $?
done
run "$CLI" kpi wale --as-of $AS_OF --series --db "$DB"
[ $rc -eq 2 ] && echo "$err" | grep -q -- '--series'
check "--series outside revenue and cash-flow refused" $?

echo "1..$n"
exit $failed
