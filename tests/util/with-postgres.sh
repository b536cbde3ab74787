#!/bin/sh
# Runs "$@" against a throwaway PostgreSQL cluster of its own and removes it afterwards.
# The cluster listens only on a Unix socket inside its own temporary folder, so tests running in
# parallel never collide. The test reads the conninfo from TENURE_TEST_PG; a second role
# "tenure_pw" with password "secret" authenticates by scram-sha-256, for wrong-password tests.
# Without a PostgreSQL server installed the command runs without TENURE_TEST_PG (tests skip,
# or fail under CI=true).
set -u

PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "with-postgres: no PostgreSQL server found; running without TENURE_TEST_PG" >&2
  exec "$@"
fi

PGTMP=$(mktemp -d /tmp/tenure-pg.XXXXXX)
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[ "$(id -u)" -eq 0 ] && chown postgres: "$PGTMP"
cleanup() {
  as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$PGTMP"
}
trap cleanup EXIT INT TERM

as_pg "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
  --no-sync >"$PGTMP/initdb.log" 2>&1 || { cat "$PGTMP/initdb.log" >&2; exit 1; }
# Password role: scram over the socket; everyone else trusted.
as_pg sh -c "printf 'local all tenure_pw scram-sha-256\nlocal all all trust\n' \
  > '$PGTMP/data/pg_hba.conf'"
as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/log" -w -t 60 \
  -o "-p 5432 -k $PGTMP -c listen_addresses= -c fsync=off -c synchronous_commit=off \
      -c full_page_writes=off -c max_connections=60" start >/dev/null \
  || { cat "$PGTMP/log" >&2; exit 1; }
psql -X -q -h "$PGTMP" -p 5432 -U postgres -d postgres \
  -c "CREATE DATABASE tenure_test" \
  -c "CREATE ROLE tenure_pw LOGIN PASSWORD 'secret'" \
  -c "GRANT ALL ON DATABASE tenure_test TO tenure_pw" >/dev/null || exit 1

export TENURE_TEST_PG="host=$PGTMP port=5432 user=postgres dbname=tenure_test"
export TENURE_TEST_PG_HOST="$PGTMP"
"$@"
