#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tenure-cli bank as a script would use it, on SQLite: accounts added and listed, import
# profiles saved and chosen, the shared sample statements imported (dry run, import, again),
# bad input refused with its message and nothing written, usage errors.
# Speaks TAP on stdout.
#   test-cli-bank.sh /path/to/tenure-cli /path/to/bank-cli-setup
set -u

CLI=$1
SETUP=$2
DATA=${TENURE_SHARED_DATA:-}
TMP=$(mktemp -d /tmp/tenure-cli-bank.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export XDG_DATA_HOME="$TMP/xdg"
export LANGUAGE=C LC_ALL=C.UTF-8
DB="$TMP/t.db"
TEMPLATE="Chinese bank CSV (debit and credit columns)"

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
lines () { sqlite3 "$DB" "SELECT count(*) FROM bank_statement_line"; }

if [ ! -f "$DATA/cn-bank/example-statement-gbk.csv" ]; then
  if [ "${CI:-}" = true ]; then
    echo "not ok 1 - shared data missing in CI"; echo "1..1"; exit 1
  fi
  echo "1..0 # SKIP ../shared/data is not there"
  exit 0
fi
CSV="$DATA/cn-bank/example-statement-gbk.csv"

run "$SETUP" "$DB"
check "database with legal entity LE" $rc

run "$CLI" bank account-add --db "$DB" --code ICBC-01 --legal-entity LE --bank "工商银行" \
  --number 1001-2345-6789-0123-456
check "account added (CNY by default)" $rc
run "$CLI" bank account-add --db "$DB" --code EUR-01 --legal-entity LE --bank "Bank, NL" \
  --number "NL26 VAYB 8060 4768 90" --currency EUR
check "second account added" $rc
run "$CLI" bank account-add --db "$DB" --code DUP --legal-entity LE --bank X \
  --number 10012345678901234-56
[ $rc -eq 4 ] && grep -q "ICBC-01" <<<"$err"
check "the same number again refused (exit 4), naming the account that has it" $?
run "$CLI" bank account-add --db "$DB" --code X --legal-entity LE
[ $rc -eq 2 ]
check "account-add without --bank and --number is a usage error" $?
run "$CLI" bank accounts --db "$DB"
[ $rc -eq 0 ] && [ "$out" = 'code,legal_entity,bank,account_number,currency
EUR-01,LE,"Bank, NL",NL26 VAYB 8060 4768 90,EUR
ICBC-01,LE,工商银行,1001-2345-6789-0123-456,CNY' ]
check "accounts listed as CSV" $?

# The account has no profile of its own yet: the built-in one that recognises the usual
# column names reads the file (a dry run here: the same 10 lines as the template below).
run "$CLI" bank import --db "$DB" --account ICBC-01 --dry-run "$CSV"
[ $rc -eq 0 ] && [ "$(grep -c ',new$' <<<"$out")" -eq 10 ] \
  && grep -q "CNY: credits: 8, total 341959.57; debits: 2, total 3025.00" <<<"$err" \
  && [ "$(lines)" -eq 0 ]
check "CSV without a profile read by the recognised column names" $?

run "$CLI" bank import --db "$DB" --account ICBC-01 --profile "$TEMPLATE" --dry-run "$CSV"
[ $rc -eq 0 ] && [ "$(wc -l <<<"$out")" -eq 11 ] && [ "$(grep -c ',new$' <<<"$out")" -eq 10 ] \
  && grep -q "Dry run: lines to add: 10, already there: 0" <<<"$err" && [ "$(lines)" -eq 0 ]
check "dry run lists 10 new lines and writes nothing" $?

run "$CLI" bank import --db "$DB" --account ICBC-01 --profile "$TEMPLATE" "$CSV"
# Line 7 of the file: 86,250.00 from 上海星河餐饮管理有限公司, reference 2026110009000;
# line 9 a fee of 25.00.
header="account,source_line,booked_on,value_date,amount,currency,payer_name,payer_account,"
header+="memo,bank_reference,status"
line7="ICBC-01,7,2026-11-02,2026-11-02,86250.00,CNY,上海星河餐饮管理有限公司,"
line7+="31001520313050001234,SH-XH01 星河广场 HT-2026-0012 第四季度租金,2026110009000,new"
line9="ICBC-01,9,2026-11-03,2026-11-03,-25.00,CNY,,,跨行汇款手续费,2026110029002,new"
[ $rc -eq 0 ] && [ "$(head -1 <<<"$out")" = "$header" ] \
  && grep -qxF "$line7" <<<"$out" && grep -qxF "$line9" <<<"$out" \
  && grep -q "CNY: credits: 8, total 341959.57; debits: 2, total 3025.00" <<<"$err" \
  && [ "$(lines)" -eq 10 ] \
  && [ "$(sqlite3 "$DB" "SELECT amount FROM bank_statement_line WHERE source_line = 16")" = 1832 ]
check "CSV imported: 10 lines, totals as the file's line 17" $?

run "$CLI" bank import --db "$DB" --account ICBC-01 --profile "$TEMPLATE" "$CSV"
[ $rc -eq 0 ] && [ "$(grep -c ',duplicate$' <<<"$out")" -eq 10 ] \
  && grep -q "imported before" <<<"$err" && [ "$(lines)" -eq 10 ]
check "the same file again adds nothing" $?

# A profile of the account's own, from a file; then it is the one used without --profile.
cat >"$TMP/map.json" <<'JSON'
{"header_contains":"交易日期","columns":{"booked_on":"交易日期","debit":"借方发生额(支取)",
 "credit":"贷方发生额(收入)","payer_name":"对方户名","memo":"用途","bank_reference":"交易流水号"}}
JSON
run "$CLI" bank profile-add --db "$DB" --account ICBC-01 --name ICBC --mapping "@$TMP/map.json"
check "profile saved from @FILE" $rc
run "$CLI" bank import --db "$DB" --account ICBC-01 --dry-run "$CSV"
[ $rc -eq 0 ] && [ "$(grep -c ',duplicate$' <<<"$out")" -eq 10 ]
check "the account's only profile is used without --profile" $?
run "$CLI" bank profile-add --db "$DB" --account ICBC-01 --name Broken \
  --mapping '{"columns":{"booked_on":"交易日期","amount":"金额","colour":"x"}}'
[ $rc -eq 4 ] && grep -q "columns.colour" <<<"$err"
check "a mapping with an unknown key refused, naming it" $?
run "$CLI" bank profile-add --db "$DB" --account ICBC-01 --name ICBC-2 \
  --mapping "$(cat "$TMP/map.json")"
check "second profile saved" $rc
run "$CLI" bank import --db "$DB" --account ICBC-01 "$CSV"
[ $rc -eq 4 ] && grep -q "“ICBC”" <<<"$err" && grep -q "“ICBC-2”" <<<"$err"
check "two profiles: import without --profile refused, listing both" $?
run "$CLI" bank profiles --db "$DB" --account ICBC-01
# (the mappings are CSV fields quoted over several lines: look at the starts of records)
[ $rc -eq 0 ] && [ "$(grep -E '^(ICBC-01|,Chinese)' <<<"$out" | cut -d, -f1-3)" = "ICBC-01,ICBC,no
ICBC-01,ICBC-2,no
,$TEMPLATE,yes" ]
check "profiles listed: the account's, then the template" $?

# camt.053: the account comes from the statement's IBAN (written without spaces there).
run "$CLI" bank import --db "$DB" "$DATA/camt053/camt053.v4.xml"
camt="EUR-01,110,2014-12-31,2015-01-02,8.85,EUR,NAME NAME,NL56AGDH9619008421,"
camt+="4654654654654654,AAAASESS-FP-CN_98765/01,new"
[ $rc -eq 0 ] && grep -qxF "$camt" <<<"$out" && [ "$(lines)" -eq 11 ]
check "camt.053 imported into the account its IBAN names" $?

# Bad input: a clear message, exit 4, nothing written.
run "$CLI" bank import --db "$DB" "$DATA/mt940/abnamro.sta"
[ $rc -eq 4 ] && grep -q "abnamro.sta" <<<"$err" && grep -q "517852257" <<<"$err" \
  && [ "$(lines)" -eq 11 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ]
check "unknown account refused, naming file and number" $?
head -c 3000 "$DATA/camt053/camt053.v8.xml" >"$TMP/cut.xml"
run "$CLI" bank import --db "$DB" "$TMP/cut.xml"
[ $rc -eq 4 ] && grep -q "cut.xml, line [0-9]*" <<<"$err" && [ "$(lines)" -eq 11 ]
check "truncated XML refused with file and line" $?
run "$CLI" bank import --db "$DB" --account EUR-01 "$DATA/ofx/checking.ofx"
[ $rc -eq 4 ] && grep -q "1452687~7" <<<"$err" && [ "$(lines)" -eq 11 ]
check "a statement of another account refused" $?
run "$CLI" bank import --db "$DB" "$TMP/none.sta"
[ $rc -eq 4 ] && grep -q "none.sta" <<<"$err"
check "a missing file refused" $?

run "$CLI" bank import --db "$DB"
[ $rc -eq 2 ]
check "import without FILE is a usage error" $?
run "$CLI" bank frobnicate
[ $rc -eq 2 ] && grep -q "frobnicate" <<<"$err"
check "unknown subcommand is a usage error" $?
run "$CLI" bank --help
[ $rc -eq 0 ] && grep -q "account-add" <<<"$out" && grep -q "match" <<<"$out"
check "bank --help lists the subcommands" $?

echo "1..$n"
exit $failed
