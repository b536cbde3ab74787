#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tenure-cli as a script would use it: exit codes, the one stderr line, --help of every
# command, demo then info. Speaks TAP on stdout. Run through tests/util/with-postgres.sh for
# the PostgreSQL cases (TENURE_TEST_PG, TENURE_TEST_PG_HOST); without them those are skipped,
# or fail under CI=true.
#   test-cli.sh /path/to/tenure-cli
set -u

CLI=$1
TMP=$(mktemp -d /tmp/tenure-cli-test.XXXXXX)
chmod 755 "$TMP"
trap 'rm -rf "$TMP"' EXIT
export XDG_DATA_HOME="$TMP/xdg"
export LANGUAGE=C LC_ALL=C.UTF-8
unset PGPASSWORD

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () {
  n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift
  for l in "$@"; do echo "# $l"; done
}
skip () {
  n=$((n + 1))
  if [ "${CI:-}" = "true" ]; then failed=1; echo "not ok $n - $1 # CI must run it: $2"
  else echo "ok $n - $1 # SKIP $2"; fi
}

# run CMD… : sets $rc, $out, $err
run () {
  "$@" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  out=$(cat "$TMP/out")
  err=$(cat "$TMP/err")
}

# expect_fail NAME CODE CMD… : exit CODE and exactly one line "tenure-cli: …" on stderr
expect_fail () {
  local name=$1 code=$2
  shift 2
  run "$@"
  local lines
  lines=$(wc -l <"$TMP/err")
  if [ "$rc" -eq "$code" ] && [ "$lines" -eq 1 ] && [[ "$err" == "tenure-cli: "* ]]; then
    ok "$name (exit $rc: $err)"
  else
    not_ok "$name" "expected exit $code and one 'tenure-cli:' line" "got exit $rc," \
      "stderr ($lines lines): $err"
  fi
}

contains () { [[ "$1" == *"$2"* ]]; }

# --- help ---------------------------------------------------------------------------------
run "$CLI" --help
if [ "$rc" -eq 0 ] && contains "$out" "demo" && contains "$out" "info" && contains "$out" "audit" \
   && contains "$out" "Exit status" && contains "$out" "5  locked by another job"; then
  ok "tenure-cli --help lists the commands and the exit codes"
else
  not_ok "tenure-cli --help" "exit $rc" "$out"
fi

for spec in "demo:--db:--seed:--scale" "info:--db" "audit:--db:verify"; do
  IFS=: read -r cmd opts <<<"$spec"
  run "$CLI" "$cmd" --help
  good=1
  [ "$rc" -eq 0 ] || good=0
  IFS=: read -r -a wanted <<<"$opts"
  for o in "${wanted[@]}" "Exit status"; do contains "$out" "$o" || good=0; done
  if [ $good -eq 1 ]; then ok "tenure-cli $cmd --help names ${opts//:/ }"
  else not_ok "tenure-cli $cmd --help" "exit $rc" "$out"; fi
done

# --- usage errors (2) ---------------------------------------------------------------------
expect_fail "no command" 2 "$CLI"
expect_fail "unknown command" 2 "$CLI" frobnicate
expect_fail "unknown option" 2 "$CLI" info --frobnicate
expect_fail "bad --scale" 2 "$CLI" demo --db "$TMP/x.db" --scale huge
expect_fail "bad --seed" 2 "$CLI" demo --db "$TMP/x.db" --seed -3
expect_fail "audit without verify" 2 "$CLI" audit
[ ! -e "$TMP/x.db" ] && ok "a usage error creates no database" || not_ok "usage error wrote x.db"

expect_fail "password in a conninfo" 2 "$CLI" info --db "host=localhost dbname=t password=s3cr3t"
contains "$err" "s3cr3t" && not_ok "the refusal repeats the password" "$err" \
  || ok "the refusal does not repeat the password"
expect_fail "password in a URI" 2 "$CLI" info --db "postgresql://u:s3cr3t@localhost/t"
contains "$err" "s3cr3t" && not_ok "the URI refusal repeats the password" "$err" \
  || ok "the URI refusal does not repeat the password"

# --- database cannot be opened (3) ----------------------------------------------------------
expect_fail "missing database file" 3 "$CLI" info --db "$TMP/missing.db"

printf 'This is a plain text file, not an SQLite database.\n%.0s' {1..200} >"$TMP/text.db"
before=$(sha256sum "$TMP/text.db")
expect_fail "not a database (info)" 3 "$CLI" info --db "$TMP/text.db"
expect_fail "not a database (demo)" 3 "$CLI" demo --db "$TMP/text.db"
[ "$(sha256sum "$TMP/text.db")" = "$before" ] && [ ! -e "$TMP/text.db-wal" ] \
  && ok "the non-database file is unchanged" || not_ok "the non-database file changed"

# Read-only location: root ignores permissions, so run as nobody then.
mkdir -p "$TMP/ro"
chmod 555 "$TMP/ro"
if [ "$(id -u)" -eq 0 ]; then
  if command -v runuser >/dev/null && runuser -u nobody -- test -x "$CLI" 2>/dev/null; then
    expect_fail "read-only location" 3 runuser -u nobody -- env XDG_DATA_HOME="$TMP/ro" \
      "$CLI" demo --db "$TMP/ro/demo.db"
  else
    skip "read-only location" "nobody cannot run $CLI (or no runuser)"
  fi
else
  expect_fail "read-only location" 3 "$CLI" demo --db "$TMP/ro/demo.db"
fi
[ ! -e "$TMP/ro/demo.db" ] && ok "nothing written into the read-only folder" \
  || not_ok "a file appeared in the read-only folder"

expect_fail "unreachable PostgreSQL server" 3 "$CLI" info \
  --db "host=127.0.0.1 port=1 dbname=tenure connect_timeout=3"

# --- demo then info -------------------------------------------------------------------------
run "$CLI" demo --db "$TMP/demo.db" --seed 42
if [ "$rc" -eq 0 ] && [ -z "$err" ]; then ok "demo writes the small demo (no stderr off a tty)"
else not_ok "demo" "exit $rc" "$err"; fi

run "$CLI" info --db "$TMP/demo.db"
units=$(sed -n 's/^Units: //p' <<<"$out")
contracts=$(sed -n 's/^Contracts: //p' <<<"$out")
if [ "$rc" -eq 0 ] && grep -qx "Backend: SQLite" <<<"$out" && grep -qx "Projects: 3" <<<"$out" \
   && grep -q "^Schema version: [0-9]" <<<"$out" && grep -qx "Demo seed: 42" <<<"$out" \
   && [ "${units:-0}" -ge 550 ] && [ "${units:-0}" -le 650 ] \
   && [ "${contracts:-0}" -ge 400 ] && [ "${contracts:-0}" -le 500 ]; then
  ok "info prints the counts (units $units, contracts $contracts)"
else
  not_ok "info after demo" "exit $rc" "$out" "$err"
fi

run "$CLI" audit verify --db "$TMP/demo.db"
if [ "$rc" -eq 0 ] && contains "$out" "Audit log intact"; then ok "audit verify: $out"
else not_ok "audit verify" "exit $rc" "$out" "$err"; fi

# Ctrl+C during a large demo: exit 6, one line, nothing written.
"$CLI" demo --db "$TMP/cancel.db" --scale large >"$TMP/out" 2>"$TMP/err" &
pid=$!
sleep 4
kill -INT $pid
wait $pid
rc=$?
err=$(cat "$TMP/err")
if [ "$rc" -eq 6 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] && [[ "$err" == "tenure-cli: "* ]]; then
  ok "Ctrl+C cancels the demo (exit 6: $err)"
else
  not_ok "Ctrl+C during demo" "exit $rc" "$err"
fi
run "$CLI" info --db "$TMP/cancel.db"
grep -qx "Projects: 0" <<<"$out" && grep -qx "Units: 0" <<<"$out" \
  && ok "a cancelled demo leaves nothing behind" || not_ok "cancelled demo wrote data" "$out"

# The default location of demo is the demo database under XDG_DATA_HOME.
run "$CLI" demo --seed 5
[ "$rc" -eq 0 ] && [ -f "$XDG_DATA_HOME/tenure/demo.db" ] \
  && ok "demo defaults to \$XDG_DATA_HOME/tenure/demo.db" || not_ok "demo default location" "$err"

if command -v sqlite3 >/dev/null; then
  # Tampering with the audit log is found (exit 1, one line).
  cp "$TMP/demo.db" "$TMP/tampered.db"
  sqlite3 "$TMP/tampered.db" "UPDATE audit_log SET actor = 'mallory' WHERE id = 10"
  expect_fail "audit verify finds a tampered entry" 1 "$CLI" audit verify --db "$TMP/tampered.db"
  contains "$err" "10" && ok "the message names the entry" || not_ok "entry not named" "$err"

  # A database written by a newer Tenure is refused without a write.
  cp "$TMP/demo.db" "$TMP/newer.db"
  sqlite3 "$TMP/newer.db" "INSERT INTO schema_migrations VALUES (9999, 'future', \
    '2030-01-01T00:00:00.000000Z', 'someone')"
  before=$(sha256sum "$TMP/newer.db")
  expect_fail "newer schema" 3 "$CLI" info --db "$TMP/newer.db"
  [ "$(sha256sum "$TMP/newer.db")" = "$before" ] && ok "the newer database is unchanged" \
    || not_ok "the newer database changed"

  # Real data is never overwritten by the demo (4).
  cp "$TMP/demo.db" "$TMP/real.db"
  sqlite3 "$TMP/real.db" "DELETE FROM setting WHERE key LIKE 'demo.%'" 2>/dev/null \
    || sqlite3 "$TMP/real.db" "DROP TRIGGER IF EXISTS tenure_audit_setting_delete; \
                               DELETE FROM setting WHERE key LIKE 'demo.%'"
  expect_fail "demo refuses a database with real projects" 4 "$CLI" demo --db "$TMP/real.db"
else
  skip "newer schema and tampering" "sqlite3 is not installed"
fi

# --- PostgreSQL -----------------------------------------------------------------------------
if [ -n "${TENURE_TEST_PG_HOST:-}" ]; then
  PGLOC="host=$TENURE_TEST_PG_HOST port=5432 dbname=tenure_test"
  PGPASSWORD=wrong expect_fail "wrong password" 3 "$CLI" info --db "$PGLOC user=tenure_pw"
  contains "$err" "wrong" && not_ok "the message repeats the password" "$err" \
    || ok "the wrong-password message does not repeat it"

  run "$CLI" demo --db "$PGLOC user=postgres"
  [ "$rc" -eq 0 ] && ok "demo on PostgreSQL" || not_ok "demo on PostgreSQL" "exit $rc" "$err"
  run "$CLI" info --db "$PGLOC user=postgres"
  if [ "$rc" -eq 0 ] && grep -qx "Backend: PostgreSQL" <<<"$out" \
     && grep -qx "Projects: 3" <<<"$out" && grep -qx "Units: $units" <<<"$out" \
     && grep -qx "Contracts: $contracts" <<<"$out"; then
    ok "info on PostgreSQL shows the same counts as on SQLite"
  else
    not_ok "info on PostgreSQL" "exit $rc" "$out" "$err"
  fi
else
  skip "PostgreSQL cases" "no cluster (run through with-postgres.sh)"
fi

echo "1..$n"
exit $failed
