/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-bench"

/* bench-dashboard: the full project dashboard (tenure_kpi_dashboard) on the large demo, each
 * part and the total, for one project and for the whole group.
 *
 *   TENURE_BENCH_DB       the database (default /tmp/tenure-large.db, made by
 *                         `tenure-cli demo --scale=large --db=/tmp/tenure-large.db`)
 *   TENURE_BENCH_PROJECT  the project (default: the one with the most units)
 *   TENURE_BENCH_RUNS     timed runs of each (default 5; the median is printed)
 *   TENURE_BENCH_FILL     0: never fill (time the dashboard on the database as it is)
 *
 * The large demo has no plan and no bills. When the database has fewer than 1,000,000 bill
 * lines the bench first fills it, set-based, in one transaction (minutes: every row written is
 * audited): for every contract and month it covers from 12 months before the reference month
 * to 11 after, a rent line (100.00 per m² of the latest approved version) and a property-fee
 * line (15.00 per m²), due on the 1st; the 12 months before the reference month billed (one
 * bill per contract and month, posted on the 5th; the plan lines stay 'planned', which only
 * the past months see); nine bills in ten paid in full by one receipt each, two in three of
 * those on the due date and the rest 20 days late. Point it at a copy: it writes. */

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "analytics/tenure-kpi-dashboard.h"
#include "demo/tenure-demo.h"

static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *const fill_sql[] = {
  "CREATE TEMP TABLE kb_cm AS"
  " SELECT c.id AS cid, c.tenant_id AS tid, c.currency AS cur, m.n, m.ms, m.me, m.posted,"
  "  m.late, (SELECT max (v.id) FROM contract_version v WHERE v.contract_id = c.id"
  "   AND v.status IN ('approved', 'superseded')) AS vid"
  " FROM contract c JOIN kb_month m ON c.start_date <= m.me"
  "  AND coalesce (c.terminated_on, c.end_date) >= m.ms"
  " WHERE c.status IN ('active', 'expired', 'terminated')",
  "DELETE FROM kb_cm WHERE vid IS NULL",
  "INSERT INTO receivable_line (contract_id, contract_version_id, charge_item_id, kind,"
  " period_start, period_end, due_date, amount, currency, status)"
  " SELECT k.cid, k.vid, ci.id, 'normal', k.ms, k.me, k.ms,"
  "  (SELECT sum (cu.area_c) FROM contract_unit cu WHERE cu.contract_version_id = k.vid)"
  "  * (CASE WHEN ci.code = 'RENT' THEN 100 ELSE 15 END), k.cur, 'planned'"
  " FROM kb_cm k JOIN charge_item ci ON ci.code IN ('RENT', 'PROPERTY_FEE')"
  " WHERE EXISTS (SELECT 1 FROM contract_unit cu WHERE cu.contract_version_id = k.vid)",
  "INSERT INTO bill (code, contract_id, tenant_id, kind, period_start, period_end, due_date,"
  " posting_date, total, currency)"
  " SELECT 'KB-' || k.cid || '-' || k.ms, k.cid, k.tid, 'bill', k.ms, k.me, k.ms, k.posted,"
  "  (SELECT sum (rl.amount) FROM receivable_line rl WHERE rl.contract_id = k.cid"
  "   AND rl.period_start = k.ms), k.cur"
  " FROM kb_cm k WHERE k.n < 0 AND EXISTS (SELECT 1 FROM receivable_line rl"
  "  WHERE rl.contract_id = k.cid AND rl.period_start = k.ms)",
  "INSERT INTO bill_line (bill_id, receivable_line_id, charge_item_id, period_start,"
  " period_end, due_date, amount)"
  " SELECT b.id, rl.id, rl.charge_item_id, rl.period_start, rl.period_end, rl.due_date,"
  "  rl.amount FROM bill b JOIN receivable_line rl ON rl.contract_id = b.contract_id"
  "  AND rl.period_start = b.period_start WHERE b.code LIKE 'KB-%'",
  "INSERT INTO receipt (code, tenant_id, method, received_on, posting_date, amount, currency)"
  " SELECT 'KR-' || b.id, b.tenant_id, 'bank',"
  "  CASE WHEN b.id % 3 = 0 THEN m.late ELSE b.due_date END,"
  "  CASE WHEN b.id % 3 = 0 THEN m.late ELSE b.due_date END, b.total, b.currency"
  " FROM bill b JOIN kb_month m ON m.ms = b.period_start"
  " WHERE b.code LIKE 'KB-%' AND b.id % 10 <> 0 AND b.total > 0",
  "INSERT INTO allocation (receipt_id, bill_line_id, amount, kind, posting_date)"
  " SELECT r.id, bl.id, bl.amount, 'allocation', r.posting_date"
  " FROM receipt r JOIN bill b ON 'KR-' || b.id = r.code JOIN bill_line bl ON bl.bill_id = b.id"
  " WHERE r.code LIKE 'KR-%'",
  "DROP TABLE kb_cm",
};

static gboolean
fill (TenureDb    *db,
      TenureDate   reference,
      GError     **error)
{
  TenureDate month = tenure_date_from_ymd (tenure_date_get_year (reference),
                                           tenure_date_get_month (reference), 1);
  g_autoptr(GString) months = g_string_new ("CREATE TEMP TABLE kb_month AS ");

  for (int n = -12; n < 12; n++)
    {
      TenureDate ms = tenure_date_add_months (month, n);
      TenureDate me = tenure_date_add_days (tenure_date_add_months (ms, 1), -1);
      char a[TENURE_DATE_ISO_BUF_SIZE], b[TENURE_DATE_ISO_BUF_SIZE];
      char c[TENURE_DATE_ISO_BUF_SIZE], d[TENURE_DATE_ISO_BUF_SIZE];

      g_string_append_printf (months, "%sSELECT %d AS n, '%s' AS ms, '%s' AS me, '%s' AS posted,"
                              " '%s' AS late", n > -12 ? " UNION ALL " : "", n,
                              tenure_date_format_iso_buf (ms, a),
                              tenure_date_format_iso_buf (me, b),
                              tenure_date_format_iso_buf (tenure_date_add_days (ms, 4), c),
                              tenure_date_format_iso_buf (tenure_date_add_days (ms, 20), d));
    }
  if (!tenure_db_begin (db, error))
    return FALSE;
  if (!tenure_db_exec (db, "DROP TABLE IF EXISTS kb_month", error)
      || !tenure_db_exec (db, months->str, error))
    goto fail;
  for (guint i = 0; i < G_N_ELEMENTS (fill_sql); i++)
    {
      gint64 t0 = g_get_monotonic_time ();

      if (!tenure_db_exec (db, fill_sql[i], error))
        goto fail;
      printf ("  fill step %u: %.1f s\n", i + 1, (g_get_monotonic_time () - t0) / 1e6);
      fflush (stdout);
    }
  if (!tenure_db_exec (db, "DROP TABLE kb_month", error))
    goto fail;
  return tenure_db_commit (db, error);

fail:
  tenure_db_rollback (db);
  return FALSE;
}

typedef struct
{
  double wall_ms;
  double cpu_ms;
} Timing;

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static gboolean
time_dashboard (TenureDb    *db,
                const char  *project,
                TenureDate   as_of,
                int          runs,
                GError     **error)
{
  g_autofree double *wall = g_new0 (double, runs);
  g_autofree double *cpu = g_new0 (double, runs);
  TenureKpiDashboard d = { 0 };

  for (int r = 0; r < runs; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      double c0 = cpu_seconds ();

      if (!tenure_kpi_dashboard (db, project, as_of, NULL, &d, error))
        return FALSE;
      wall[r] = (g_get_monotonic_time () - t0) / 1000.0;
      cpu[r] = (cpu_seconds () - c0) * 1000.0;
      if (r + 1 < runs)
        tenure_kpi_dashboard_clear (&d);
    }
  qsort (wall, runs, sizeof (double), compare_double);
  qsort (cpu, runs, sizeof (double), compare_double);
  printf ("dashboard %-10s median %8.1f ms wall %8.1f ms CPU (min %.1f, max %.1f wall)\n",
          project != NULL ? project : "(group)", wall[runs / 2], cpu[runs / 2], wall[0],
          wall[runs - 1]);
  printf ("  units %" G_GINT64_FORMAT " leased %" G_GINT64_FORMAT " revenue %" G_GINT64_FORMAT
          " due %" G_GINT64_FORMAT " received %" G_GINT64_FORMAT " arrears %" G_GINT64_FORMAT
          " open %" G_GINT64_FORMAT " forecast[0] %" G_GINT64_FORMAT "\n",
          d.units, d.leased_units, d.revenue_total, d.collection.due, d.collection.received,
          d.collection.arrears_open, d.aging.total, d.cash_flow[0].contractual);
  tenure_kpi_dashboard_clear (&d);
  return TRUE;
}

int
main (void)
{
  const char *location = g_getenv ("TENURE_BENCH_DB");
  const char *project_env = g_getenv ("TENURE_BENCH_PROJECT");
  const char *runs_env = g_getenv ("TENURE_BENCH_RUNS");
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *project = NULL;
  gint64 units = 0, lines = 0, bills = 0;
  int runs = runs_env != NULL ? atoi (runs_env) : 5;
  TenureDate as_of;

  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  if (location == NULL)
    location = "/tmp/tenure-large.db";
  if (runs < 1)
    runs = 1;
  tenure_date_parse_iso (TENURE_DEMO_REFERENCE_DATE, &as_of, NULL);
  db = tenure_db_open (location, TENURE_DB_OPEN_DEFAULT, &error);
  if (db == NULL || !tenure_db_query_int64 (db, "SELECT count(*) FROM unit", &units, &error)
      || !tenure_db_query_int64 (db, "SELECT count(*) FROM bill_line", &lines, &error))
    {
      g_printerr ("%s: %s\n", location, error->message);
      return 77;
    }
  if (lines < 1000000 && g_strcmp0 (g_getenv ("TENURE_BENCH_FILL"), "0") != 0)
    {
      gint64 t0 = g_get_monotonic_time ();

      printf ("filling plan, bills and receipts (%" G_GINT64_FORMAT " bill lines now)\n", lines);
      if (!fill (db, as_of, &error)
          || !tenure_db_query_int64 (db, "SELECT count(*) FROM bill_line", &lines, &error))
        {
          g_printerr ("fill: %s\n", error->message);
          return 1;
        }
      printf ("filled in %.1f s\n", (g_get_monotonic_time () - t0) / 1e6);
    }
  if (!tenure_db_query_int64 (db, "SELECT count(*) FROM bill", &bills, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (project_env != NULL)
    project = g_strdup (project_env);
  else
    {
      g_autoptr(TenureStmt) stmt = tenure_db_prepare (
        db, "SELECT p.code FROM unit u JOIN floor f ON f.id = u.floor_id JOIN building b"
        " ON b.id = f.building_id JOIN project p ON p.id = b.project_id GROUP BY p.code"
        " ORDER BY count (*) DESC, p.code LIMIT 1", &error);

      if (stmt == NULL || !tenure_stmt_step (stmt, &error))
        {
          g_printerr ("%s\n", error != NULL ? error->message : "no project");
          return 1;
        }
      project = g_strdup (tenure_stmt_column_text (stmt, 0));
    }
  printf ("dashboard on %s: %" G_GINT64_FORMAT " units, %" G_GINT64_FORMAT " bills, %"
          G_GINT64_FORMAT " bill lines, as of %s\n", tenure_db_get_display_name (db), units,
          bills, lines, TENURE_DEMO_REFERENCE_DATE);
  /* Parts, set G_MESSAGES_DEBUG=tenure-kpi to see each one's cumulative time. */
  if (!time_dashboard (db, project, as_of, runs, &error)
      || !time_dashboard (db, NULL, as_of, MIN (runs, 1), &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}
