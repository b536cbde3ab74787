/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-bill-run-kill"

/* Crash safety: bill-run-helper posts one month's run and is killed with SIGKILL after a random
 * delay, again and again, one month further each time. After every kill the database is
 * consistent (SQLite's integrity check passes, every bill's total is the sum of its lines,
 * every billed receivable line has exactly one bill line, no bill line belongs to an unbilled
 * line, no run is left half-posted), and the next run of the same month completes the batch:
 * everything due is billed exactly once. */

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "base/tenure-date.h"
#include "base/tenure-error.h"
#include "store/tenure-db.h"
#include "tenure-test-db.h"
#include "tenure-test-util.h"

#define CONTRACTS 150
#define MONTHS    60

static TenureTestBackend backend;

static void
exec_sql (TenureDb   *db,
          const char *sql)
{
  g_autoptr(GError) error = NULL;

  if (!tenure_db_exec (db, sql, &error))
    g_error ("%s: %s", sql, error->message);
}

static gint64
query_int (TenureDb   *db,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 value = 0;

  if (!tenure_db_query_int64 (db, sql, &value, &error))
    g_error ("%s: %s", sql, error->message);
  return value;
}

/* CONTRACTS contracts with RENT and PROPERTY_FEE lines for MONTHS months from January 2026,
 * due on the first of each month, written directly (the plan engine is not under test). */
static void
seed (TenureDb *db)
{
  g_autofree char *contracts = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (tenure_db_begin (db, &error));
  exec_sql (db, "INSERT INTO legal_entity (code, name) VALUES ('LE', 'Entity');"
                "INSERT INTO project (code, legal_entity_id, name, format) "
                "SELECT 'P1', id, 'Park', 'industrial_park' FROM legal_entity;"
                "INSERT INTO tenant (code, name) VALUES ('T1', 'Tenant')");
  contracts = g_strdup_printf ("WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                               "WHERE i < %d) "
                               "INSERT INTO contract (code, tenant_id, project_id, status, "
                               "start_date, end_date) "
                               "SELECT 'K' || CAST (i AS TEXT), t.id, p.id, 'active', "
                               "'2026-01-01', '2030-12-31' FROM n, tenant t, project p",
                               CONTRACTS);
  exec_sql (db, contracts);
  exec_sql (db, "INSERT INTO contract_version (contract_id, version_no, effective_from, status) "
                "SELECT id, 1, start_date, 'approved' FROM contract");
  for (int m = 0; m < MONTHS; m++)
    {
      int y = 2026 + m / 12, mo = m % 12 + 1;
      g_autofree char *sql = NULL;

      sql = g_strdup_printf ("INSERT INTO receivable_line (contract_id, contract_version_id, "
                             "charge_item_id, period_start, period_end, due_date, amount, tax) "
                             "SELECT c.id, v.id, ci.id, '%04d-%02d-01', '%04d-%02d-%02d', "
                             "'%04d-%02d-01', 100000 + c.id * 7 + ci.id, 9000 "
                             "FROM contract c JOIN contract_version v ON v.contract_id = c.id, "
                             "charge_item ci WHERE ci.code IN ('RENT', 'PROPERTY_FEE')",
                             y, mo, y, mo, tenure_date_days_in_month (y, mo), y, mo);
      exec_sql (db, sql);
    }
  g_assert_true (tenure_db_commit (db, &error));
}

static void
assert_consistent (TenureDb *db)
{
  if (tenure_db_get_kind (db) == TENURE_DB_SQLITE)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, "PRAGMA integrity_check", &error);

      g_assert_no_error (error);
      g_assert_true (tenure_stmt_step (stmt, &error));
      g_assert_cmpstr (tenure_stmt_column_text (stmt, 0), ==, "ok");
    }
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM bill b WHERE b.total <> "
                                  "(SELECT coalesce (sum (amount), 0) FROM bill_line l "
                                  "WHERE l.bill_id = b.id)"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM receivable_line r WHERE "
                                  "r.status = 'billed' AND 1 <> (SELECT count(*) FROM bill_line l "
                                  "WHERE l.receivable_line_id = r.id AND l.bill_id = r.bill_id)"),
                   ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM receivable_line r WHERE "
                                  "r.status <> 'billed' AND EXISTS (SELECT 1 FROM bill_line l "
                                  "WHERE l.receivable_line_id = r.id)"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM bill_run WHERE status <> 'posted'"),
                   ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM bill b WHERE NOT EXISTS "
                                  "(SELECT 1 FROM bill_line l WHERE l.bill_id = b.id)"), ==, 0);
}

/* Runs the helper for MONTH_INDEX; kills it DELAY_US after it reports ready (never when
 * DELAY_US < 0). Returns TRUE when it finished on its own; *OUT_US gets ready→exit time. */
static gboolean
run_helper (const char *helper,
            const char *location,
            int         month_index,
            gint64      delay_us,
            gint64     *out_us)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *year = g_strdup_printf ("%d", 2026 + month_index / 12);
  g_autofree char *month = g_strdup_printf ("%d", month_index % 12 + 1);
  g_autofree char *line = NULL;
  gint64 start;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, helper, location, year,
                           month, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "ready");
  start = g_get_monotonic_time ();
  if (delay_us >= 0)
    {
      g_usleep (delay_us);
      g_subprocess_send_signal (proc, SIGKILL);
    }
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_no_error (error);
  *out_us = g_get_monotonic_time () - start;
  if (g_subprocess_get_if_signaled (proc))
    {
      g_assert_cmpint (g_subprocess_get_term_sig (proc), ==, SIGKILL);
      return FALSE;
    }
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  return TRUE;
}

static void
test_kill (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autofree char *location = tenure_test_db_new_location (backend);
  g_autofree char *helper = NULL;
  const char *env = g_getenv ("TENURE_TEST_ITERATIONS");
  int kills = backend == TENURE_TEST_SQLITE ? 50 : 20;
  int killed = 0, finished = 0, cut_short = 0;
  gint64 run_us = 0, us;
  GRand *rand = g_rand_new_with_seed (20260401);

  if (location == NULL)
    return;
  /* The issue asks for at least 50 (SQLite) and 20 (PostgreSQL): more on request, never less. */
  if (env != NULL && atoi (env) > kills)
    kills = MIN (atoi (env), MONTHS - 2);
  helper = g_build_filename (g_getenv ("TENURE_BUILD_ROOT"), "tests", "billing",
                             "bill-run-helper", NULL);
  db = tenure_db_open (location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  seed (db);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM receivable_line"), ==,
                   CONTRACTS * 2 * MONTHS);

  /* Month 0 unkilled, to learn how long a run takes here. */
  g_assert_true (run_helper (helper, location, 0, -1, &run_us));
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM bill"), ==, CONTRACTS * 1);
  assert_consistent (db);
  g_test_message ("one run of %d lines: %" G_GINT64_FORMAT " µs", CONTRACTS * 2, run_us);

  for (int i = 1; i <= kills; i++)
    {
      gint64 delay = g_rand_int_range (rand, 0, (gint32) MAX (run_us * 6 / 5, 1000));
      gint64 billed_before = query_int (db, "SELECT count(*) FROM bill_line");
      g_autofree char *due = g_strdup_printf ("SELECT count(*) FROM receivable_line "
                                              "WHERE status = 'planned' AND due_date <= "
                                              "'%04d-%02d-28'", 2026 + i / 12, i % 12 + 1);

      if (run_helper (helper, location, i, delay, &us))
        finished++;
      else
        {
          killed++;
          if (query_int (db, "SELECT count(*) FROM bill_line") == billed_before)
            cut_short++;
        }
      assert_consistent (db);
      /* The next run completes the batch. */
      run_helper (helper, location, i, -1, &us);
      assert_consistent (db);
      g_assert_cmpint (query_int (db, due), ==, 0);
      g_assert_cmpint (query_int (db, "SELECT count(*) FROM bill_line"), ==,
                       CONTRACTS * 2 * (i + 1));
    }
  g_test_message ("%d kills (%d before the commit), %d runs finished first", killed, cut_short,
                  finished);
  g_assert_cmpint (killed, >=, kills / 2);
  g_assert_cmpint (cut_short, >=, 1);
  g_assert_cmpint (query_int (db, "SELECT sum (total) FROM bill"), ==,
                   query_int (db, "SELECT sum (amount) FROM receivable_line "
                                  "WHERE status = 'billed'"));

  g_rand_free (rand);
  g_clear_object (&db);
  tenure_test_db_drop_location (backend, location);
}

int
main (int argc, char **argv)
{
  backend = tenure_test_backend_from_args (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/billing/run/killed", test_kill);
  return g_test_run ();
}
