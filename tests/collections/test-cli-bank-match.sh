#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tenure-cli bank match as a script would use it, on SQLite: the small demo's database with one
# more statement line naming an unpaid bill; a dry run writes nothing, the run confirms that
# line as a receipt, the queue lists what waits, reject and confirm by id, bad options refused.
# Speaks TAP on stdout.
#   test-cli-bank-match.sh /path/to/tenure-cli /path/to/match-cli-sql
set -u

CLI=$1
SQL=$2
TMP=$(mktemp -d /tmp/tenure-cli-bank-match.XXXXXX)
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

# TENURE_TEST_DEMO_DB: a copy of an existing small demo database instead of generating one.
if [ -n "${TENURE_TEST_DEMO_DB:-}" ]; then
  run cp "$TENURE_TEST_DEMO_DB" "$DB"
else
  run "$CLI" demo --db "$DB"
fi
check "demo database" $rc

# The latest bill nothing has been paid on, and a statement line paying it exactly, its
# number written with spaces.
read -r code total < <(q "SELECT b.code, b.total FROM bill b WHERE b.kind = 'bill'
  AND b.currency = 'CNY' AND b.total > 0 AND NOT EXISTS (SELECT 1 FROM bill_line bl
  JOIN allocation a ON a.bill_line_id = bl.id WHERE bl.bill_id = b.id)
  ORDER BY b.due_date DESC, b.id LIMIT 1" | tr '|' ' ')
account=$(q "SELECT id FROM bank_account WHERE currency = 'CNY' ORDER BY id LIMIT 1")
spaced=$(sed 's/-/ /g' <<<"$code")
"$SQL" "$DB" "INSERT INTO bank_statement (bank_account_id, format, file_name, file_sha256, currency)
   VALUES ($account, 'csv', 'cli-test.csv', '$(printf '%064d' 7)', 'CNY');
   INSERT INTO bank_statement_line (bank_statement_id, bank_account_id, booked_on, amount,
     currency, payer_name, memo, bank_reference, dedupe_key)
   SELECT max(id), $account, date('now'), $total, 'CNY', 'Someone', '付款 $spaced 租金',
     'CLI-REF-1', 'cli-test-1' FROM bank_statement;"
line=$(q "SELECT id FROM bank_statement_line WHERE dedupe_key = 'cli-test-1'")
before=$(q "SELECT count(*) FROM bank_match")
[ -n "$code" ] && [ -n "$line" ]
check "a statement line for bill $code ($total fen)" $?

run "$CLI" bank match --dry-run --db "$DB"
[ $rc -eq 0 ] && grep -q '^Dry run: nothing was written.$' <<<"$out" \
  && grep -q '^Lines looked at: [1-9]' <<<"$out" \
  && [ "$(q "SELECT count(*) FROM bank_match")" = "$before" ] \
  && [ "$(q "SELECT status FROM bank_statement_line WHERE id = $line")" = unmatched ]
check "dry run counts and writes nothing" $?

run "$CLI" bank match --db "$DB"
[ $rc -eq 0 ] && grep -q '^Auto-confirmed (confidence ≥ 95): [1-9]' <<<"$out" \
  && [ "$(q "SELECT status FROM bank_statement_line WHERE id = $line")" = matched ] \
  && [ "$(q "SELECT m.reason || ' ' || m.confidence || ' ' || r.amount || ' ' || r.method
            FROM bank_match m JOIN receipt r ON r.id = m.receipt_id
            WHERE m.bank_statement_line_id = $line AND m.status = 'confirmed'
            AND r.bank_statement_line_id = $line")" = "memo_reference 99 $total bank" ] \
  && [ "$(q "SELECT sum(a.amount) FROM allocation a JOIN bill_line bl ON bl.id = a.bill_line_id
            JOIN bill b ON b.id = bl.bill_id WHERE b.code = '$code'")" = "$total" ]
check "the run confirms the line: receipt and allocations of $total" $?

run "$CLI" bank match --queue --db "$DB"
waiting=$(q "SELECT count(*) FROM bank_statement_line WHERE amount > 0
             AND status IN ('unmatched', 'suggested')")
[ $rc -eq 0 ] \
  && [ "$(head -1 <<<"$out")" = "line,booked_on,amount,currency,payer_name,payer_account,memo,status,match,step,reason,confidence,tenant,items" ] \
  && [ "$(tail -n +2 <<<"$out" | cut -d, -f1 | sort -u | wc -l)" -eq "$waiting" ] \
  && ! grep -q "^$line," <<<"$out"
check "queue lists the $waiting waiting lines, not the confirmed one" $?

proposed=$(q "SELECT min(id) FROM bank_match WHERE status = 'proposed'")
if [ -n "$proposed" ]; then
  run "$CLI" bank match --reject "$proposed" --db "$DB"
  [ $rc -eq 0 ] && [ "$out" = "Rejected: 1" ] \
    && [ "$(q "SELECT status FROM bank_match WHERE id = $proposed")" = rejected ]
  check "reject by id" $?
  run "$CLI" bank match --confirm "$proposed" --db "$DB"
  [ $rc -eq 4 ] && grep -q "Bank match $proposed is rejected, not proposed" <<<"$err"
  check "a rejected match cannot be confirmed (exit 4, named)" $?
else
  ok "reject by id # SKIP nothing proposed"
  ok "a rejected match cannot be confirmed # SKIP nothing proposed"
fi

run "$CLI" bank match --confirm 999999999 --db "$DB"
[ $rc -eq 4 ] && grep -q 'Bank match 999999999 does not exist' <<<"$err"
check "an unknown id is named (exit 4)" $?

run "$CLI" bank match --confirm --db "$DB"
[ $rc -eq 2 ] && grep -q 'missing match ids' <<<"$err"
check "--confirm without ids is a usage error" $?
run "$CLI" bank match --queue --reject 1 --db "$DB"
[ $rc -eq 2 ]
check "--queue with --reject is a usage error" $?
run "$CLI" bank match --auto-confirm-above 200 --db "$DB"
[ $rc -eq 2 ]
check "a confidence above 101 is a usage error" $?
run "$CLI" bank match --reject abc --db "$DB"
[ $rc -eq 2 ] && grep -q '“abc” is not a match id' <<<"$err"
check "a bad id is named" $?

echo "1..$n"
exit $failed
