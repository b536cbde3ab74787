#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tenure-cli receipt as a script would use it, on SQLite: a contract of its own imported into
# the small demo (a tenant of its own, so the demo's bills and receipts stay out of the way),
# billed for November and December 2026; cash and third-party receipts (the demo has no bank
# accounts to receive into) added with automatic and by-bill
# allocation, an attachment written back byte for byte, a reversal, a write-off, a deposit
# offset, the tenant's credit applied; bad input refused with one line and the right status.
# Speaks TAP on stdout.
#   test-cli-receipt.sh /path/to/tenure-cli
set -u

CLI=$1
TMP=$(mktemp -d /tmp/tenure-cli-receipt.XXXXXX)
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
q () { sqlite3 "$DB" "$1"; }

run "$CLI" demo --db "$DB"
check "demo database" $rc

# A free unit of the demo's first project, and a tenant without contracts (a group parent):
# its only items are those of the contract below, which every allocation here is limited to.
project=$(q "SELECT code FROM project ORDER BY code LIMIT 1")
entity=$(q "SELECT e.code FROM project p JOIN legal_entity e ON e.id = p.legal_entity_id
  WHERE p.code = '$project'")
unit=$(q "SELECT u.code FROM unit u JOIN floor f ON f.id = u.floor_id
  JOIN building b ON b.id = f.building_id JOIN project p ON p.id = b.project_id
  WHERE p.code = '$project' AND NOT EXISTS (SELECT 1 FROM contract_unit cu
  WHERE cu.unit_id = u.id) ORDER BY u.code LIMIT 1")
tenant=$(q "SELECT t.code FROM tenant t WHERE NOT EXISTS (SELECT 1 FROM contract c
  WHERE c.tenant_id = t.id) ORDER BY t.code LIMIT 1")
[ -n "$unit" ] && [ -n "$tenant" ] && [ -n "$entity" ]
check "a free unit ($unit) and a tenant without contracts ($tenant)" $?
# The tenant's credit in CNY, in fen (the demo may hold receipts of its own).
credit_of () {
  "$CLI" receipt credit "$tenant" --db "$DB" | awk -F, '$3 == "CNY" { gsub (/\./, "", $2);
    print $2 + 0; f = 1 } END { if (!f) print 0 }'
}
cat >"$TMP/c.json" <<JSON
{ "schema": "tenure.contract/1", "contracts": [ { "code": "CLI-R1", "tenant": "$tenant",
  "project": "$project", "start_date": "2026-11-01", "end_date": "2027-10-31",
  "versions": [ { "units": [ { "unit": "$unit", "area_c": 10000 } ],
    "clauses": [ { "charge_item": "RENT", "basis": "fixed_month", "amount": 1000000,
                   "alignment": "calendar" },
                 { "charge_item": "DEPOSIT", "basis": "one_off", "amount": 3000000 } ] } ]
  } ] }
JSON
run "$CLI" contract import --db "$DB" "$TMP/c.json"
check "contract imported" $rc
run "$CLI" plan CLI-R1 --db "$DB"
check "plan stored" $rc
run "$CLI" bill run --db "$DB" --period 2026-12 --contract CLI-R1 --posting-date 2026-12-01
check "November and December billed" $rc
nov_bill=$(q "SELECT b.code FROM bill b JOIN contract c ON c.id = b.contract_id
  JOIN bill_line bl ON bl.bill_id = b.id JOIN charge_item ci ON ci.id = bl.charge_item_id
  WHERE c.code = 'CLI-R1' AND ci.code = 'RENT' AND bl.period_start = '2026-11-01'")
dec_line=$(q "SELECT bl.id FROM bill b JOIN contract c ON c.id = b.contract_id
  JOIN bill_line bl ON bl.bill_id = b.id JOIN charge_item ci ON ci.id = bl.charge_item_id
  WHERE c.code = 'CLI-R1' AND ci.code = 'RENT' AND bl.period_start = '2026-12-01'")
dep_line=$(q "SELECT bl.id FROM bill b JOIN contract c ON c.id = b.contract_id
  JOIN bill_line bl ON bl.bill_id = b.id JOIN charge_item ci ON ci.id = bl.charge_item_id
  WHERE c.code = 'CLI-R1' AND ci.code = 'DEPOSIT'")
[ -n "$nov_bill" ] && [ -n "$dec_line" ] && [ -n "$dep_line" ]
check "the bills are there ($nov_bill)" $?
open_of () { # bill line id → open amount in fen (no credit notes here)
  q "SELECT bl.amount - coalesce ((SELECT sum (amount) FROM allocation a
     WHERE a.bill_line_id = bl.id), 0) FROM bill_line bl WHERE bl.id = $1"
}

credit0=$(credit_of)

# 4,000.00 on November's rent bill by name, with a slip attached.
head -c 2048 /dev/urandom >"$TMP/slip.bin"
run "$CLI" receipt add --db "$DB" --tenant "$tenant" --amount 4,000.00 --date 2026-12-03 \
  --method cash --entity "$entity" --payer-name "CLI 租户" --reference REF-1 --attach "$TMP/slip.bin" \
  --allocate "$nov_bill:4,000.00"
code1=$(head -1 <<<"$out")
[ $rc -eq 0 ] && [[ "$code1" =~ ^RC-202612-[0-9]{6}$ ]] \
  && grep -q "^allocation,[0-9]*,$nov_bill,CLI-R1,[0-9]*,RENT,4000.00,2026-12-03,$" <<<"$out" \
  && grep -q '^attachment,[0-9]*,slip.bin,2048,[0-9a-f]\{64\}$' <<<"$out" \
  && grep -q '^unapplied,0.00,CNY$' <<<"$out"
check "receipt add by bill with an attachment" $?

att=$(grep '^attachment,' <<<"$out" | cut -d, -f2)
run "$CLI" receipt attachment "$att" --db "$DB" -o "$TMP/back.bin"
[ $rc -eq 0 ] && cmp -s "$TMP/slip.bin" "$TMP/back.bin"
check "attachment written back byte for byte" $?
# Tampering from outside the app (sqlite3 has no tenure_now () for the audit triggers, so they
# are dropped first, as an intruder would).
for t in $(q "SELECT name FROM sqlite_master WHERE type = 'trigger'
              AND tbl_name = 'receipt_attachment'"); do q "DROP TRIGGER $t"; done
q "UPDATE receipt_attachment SET content_base64 = 'AAAA' || substr (content_base64, 5)
   WHERE id = $att"
run "$CLI" receipt attachment "$att" --db "$DB" -o "$TMP/back2.bin"
[ $rc -eq 4 ] && grep -q 'SHA-256' <<<"$err" && [ "$(wc -l <<<"$err")" -eq 1 ]
check "a changed attachment is refused (exit 4)" $?

run "$CLI" receipt show "$code1" --db "$DB"
[ $rc -eq 0 ] && grep -q "^receipt,$code1$" <<<"$out" && grep -q "^tenant,$tenant\$" <<<"$out" \
  && grep -q '^amount,4000.00,CNY$' <<<"$out" && grep -q '^reference,REF-1$' <<<"$out" \
  && grep -q '^payer_name,CLI 租户$' <<<"$out"
check "receipt show" $?

# 50,000.00 automatically: the deposit 30,000.00, the rest of November 6,000.00 and
# December 10,000.00; 4,000.00 stays as credit.
run "$CLI" receipt add --db "$DB" --tenant "$tenant" --amount 50000 --date 2026-12-05 \
  --method third-party --contract CLI-R1
code2=$(head -1 <<<"$out")
[ $rc -eq 0 ] && [ "$(grep -c '^allocation,' <<<"$out")" -eq 3 ] \
  && grep -q '^unapplied,4000.00,CNY$' <<<"$out" && [ "$(open_of "$dec_line")" = 0 ] \
  && [ "$(q "SELECT sum (amount) FROM deposit_entry d JOIN contract c ON c.id = d.contract_id
           WHERE c.code = 'CLI-R1' AND d.kind = 'received'")" = 3000000 ]
check "receipt add auto: deposit, rent, 4,000.00 credit" $?
[ $(( $(credit_of) - credit0 )) -eq 400000 ]
check "receipt credit" $?

# Reverse December's rent allocation; twice is refused.
alloc=$(q "SELECT a.id FROM allocation a WHERE a.bill_line_id = $dec_line AND a.amount > 0")
run "$CLI" receipt reverse "$alloc" --db "$DB" --date 2026-12-06 --reason "wrong month"
[ $rc -eq 0 ] && grep -q '^reversal,[0-9]*$' <<<"$out" && [ "$(open_of "$dec_line")" = 1000000 ]
check "receipt reverse" $?
run "$CLI" receipt reverse "$alloc" --db "$DB" --date 2026-12-06 --reason again
[ $rc -eq 4 ] && grep -q "already reversed" <<<"$err"
check "a second reversal is refused (exit 4)" $?
[ $(( $(credit_of) - credit0 )) -eq 1400000 ]
check "the reversed amount is credit again" $?

# Write-off: by oneself refused; by another user 1,000.00.
me=$(id -un)
run "$CLI" receipt write-off --db "$DB" --line "$dec_line" --amount 1000 --date 2026-12-07 \
  --approved-by "$me" --reason "goodwill"
[ $rc -eq 4 ] && grep -q "segregation" <<<"$err"
check "self-approved write-off refused" $?
run "$CLI" receipt write-off --db "$DB" --line "$dec_line" --amount 1000 --date 2026-12-07 \
  --approved-by controller --reason "goodwill"
[ $rc -eq 0 ] && grep -q '^write_off,[0-9]*$' <<<"$out" && [ "$(open_of "$dec_line")" = 900000 ]
check "write-off approved by another user" $?

# Deposit offset 2,000.00 against December's rent.
run "$CLI" receipt offset --db "$DB" --contract CLI-R1 --line "$dec_line" --amount 2000 \
  --date 2026-12-08
[ $rc -eq 0 ] && [ "$(open_of "$dec_line")" = 700000 ]
check "deposit offset" $?
run "$CLI" receipt offset --db "$DB" --contract CLI-R1 --line "$dec_line" --amount 8000 \
  --date 2026-12-08
[ $rc -eq 4 ] && grep -q '7,000.00' <<<"$err"
check "offset beyond the open amount refused" $?

# The credit pays what is left of December.
run "$CLI" receipt apply-credit "$tenant" --db "$DB" --date 2026-12-09 --contract CLI-R1
[ $rc -eq 0 ] && grep -q '^allocations,[1-9][0-9]*$' <<<"$out" \
  && [ "$(open_of "$dec_line")" = 0 ] && [ $(( $(credit_of) - credit0 )) -eq 700000 ]
check "apply-credit" $?

# Bad input: one line, the right status, nothing written.
receipts=$(q "SELECT count(*) FROM receipt")
run "$CLI" receipt add --db "$DB" --tenant NOBODY --amount 100 --date 2026-12-03 \
  --method cash --entity "$entity"
[ $rc -eq 4 ] && grep -q 'NOBODY' <<<"$err" && [ "$(wc -l <<<"$err")" -eq 1 ]
check "unknown tenant refused (exit 4)" $?
run "$CLI" receipt add --db "$DB" --tenant "$tenant" --amount 12,34.5 --date 2026-12-03 \
  --method cash --entity "$entity"
[ $rc -eq 4 ] && grep -q '12,34.5' <<<"$err"
check "malformed amount refused (exit 4)" $?
run "$CLI" receipt add --db "$DB" --tenant "$tenant" --amount 100 --date 2026-13-03 \
  --method cash --entity "$entity"
[ $rc -eq 2 ]
check "bad date refused (exit 2)" $?
run "$CLI" receipt add --db "$DB" --tenant "$tenant" --amount 100 --date 2026-12-03 \
  --method cash --entity "$entity" --attach "$TMP/missing.pdf"
[ $rc -eq 4 ] && grep -q 'missing.pdf' <<<"$err"
check "missing attachment refused (exit 4)" $?
run "$CLI" receipt add --db "$DB" --tenant "$tenant" --amount 100 --date 2026-12-03 \
  --method cash --entity "$entity" --allocate "$nov_bill:1.00"
[ $rc -eq 4 ] && grep -q "$nov_bill" <<<"$err"
check "allocation to a settled bill refused, receipt not kept (exit 4)" $?
run "$CLI" receipt add --db "$DB" --tenant "$tenant" --amount 100 --date 2026-12-03 \
  --method cash --currency XYZ
[ $rc -eq 4 ] && grep -q 'XYZ' <<<"$err"
check "unknown currency refused (exit 4)" $?
run "$CLI" receipt add --db "$DB" --tenant "$tenant" --amount 100 --date 2026-12-03
[ $rc -eq 4 ] && grep -q 'bank account' <<<"$err"
check "a bank receipt without its account refused (exit 4)" $?
# (A closed period is refused: tests/collections/test-receipt.c, /receipt/closed-period.)
[ "$(q "SELECT count(*) FROM receipt")" = "$receipts" ]
check "no receipt written by the refused commands" $?
run "$CLI" receipt frobnicate --db "$DB"
[ $rc -eq 2 ]
check "unknown subcommand (exit 2)" $?
run "$CLI" receipt show RC-000000-000000 --db "$DB"
[ $rc -eq 4 ] || [ $rc -eq 1 ]
check "unknown receipt refused" $?

echo "1..$n"
exit $failed
