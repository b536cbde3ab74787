/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-bench"

/* bench-dashboard-app: everything the app's project dashboard loads for one project
 * (tenure_dashboard_data_load, src/app/tenure-dashboard-data.c), wall and CPU time, median of
 * the runs; the goal is under 500 ms on the large demo with a year of bills.
 *
 *   TENURE_BENCH_DB       the database (default /tmp/kpi2-large.db, see bench-dashboard.c:
 *                         the large demo filled with a year of bills). Opened as it is: use a
 *                         copy (opening writes the WAL files next to it).
 *   TENURE_BENCH_PG       a PostgreSQL conninfo instead of TENURE_BENCH_DB
 *   TENURE_BENCH_PROJECT  the project (default: the one with the most units)
 *   TENURE_BENCH_RUNS     timed runs (default 5)
 *   TENURE_BENCH_SEQUENTIAL=1  one connection, as without the app's second worker connection
 *                         (by default the units are read on a second one, as the app does)
 *
 * G_MESSAGES_DEBUG=tenure-dashboard prints each part's wall and CPU time. */

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "demo/tenure-demo.h"
#include "tenure-dashboard-data.h"

static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (void)
{
  const char *location = g_getenv ("TENURE_BENCH_PG");
  const char *project_env = g_getenv ("TENURE_BENCH_PROJECT");
  const char *runs_env = g_getenv ("TENURE_BENCH_RUNS");
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(TenureDb) parallel_db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *project = NULL;
  g_autofree double *wall = NULL;
  g_autofree double *cpu = NULL;
  gint64 units = 0, lines = 0;
  int runs = runs_env != NULL ? atoi (runs_env) : 5;
  TenureDate as_of;

  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  if (location == NULL)
    location = g_getenv ("TENURE_BENCH_DB");
  if (location == NULL)
    location = "/tmp/kpi2-large.db";
  runs = MAX (runs, 1);
  wall = g_new0 (double, runs);
  cpu = g_new0 (double, runs);
  tenure_date_parse_iso (TENURE_DEMO_REFERENCE_DATE, &as_of, NULL);
  db = tenure_db_open (location, TENURE_DB_OPEN_DEFAULT, &error);
  if (db == NULL || !tenure_db_query_int64 (db, "SELECT count(*) FROM unit", &units, &error)
      || !tenure_db_query_int64 (db, "SELECT count(*) FROM bill_line", &lines, &error))
    {
      g_printerr ("%s: %s\n", location, error->message);
      return 77;
    }
  if (g_strcmp0 (g_getenv ("TENURE_BENCH_SEQUENTIAL"), "1") != 0)
    {
      parallel_db = tenure_db_open (location, TENURE_DB_OPEN_DEFAULT, &error);
      if (parallel_db == NULL)
        {
          g_printerr ("%s: %s\n", location, error->message);
          return 1;
        }
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
  printf ("app dashboard of %s on %s: %" G_GINT64_FORMAT " units, %" G_GINT64_FORMAT
          " bill lines, as of %s, %s\n", project, tenure_db_get_display_name (db), units, lines,
          TENURE_DEMO_REFERENCE_DATE,
          parallel_db != NULL ? "units on a second connection" : "one connection");
  for (int r = 0; r < runs; r++)
    {
      g_autoptr(TenureDashboardData) data = NULL;
      gint64 t0 = g_get_monotonic_time ();
      double c0 = cpu_ms ();

      data = tenure_dashboard_data_load (db, parallel_db, project, as_of, NULL, &error);
      if (data == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      wall[r] = (g_get_monotonic_time () - t0) / 1000.0;
      cpu[r] = cpu_ms () - c0;
      printf ("  run %d: %8.1f ms wall %8.1f ms CPU (units %" G_GINT64_FORMAT
              ", leased %" G_GINT64_FORMAT ", open items %u, rent roll %u, arrears %"
              G_GINT64_FORMAT ", vacancy loss %" G_GINT64_FORMAT ")\n",
              r + 1, wall[r], cpu[r], data->kpis.units, data->kpis.leased_units,
              data->open_items->len, data->rent_roll->len, data->kpis.arrears,
              data->kpis.vacancy_loss);
      fflush (stdout);
    }
  qsort (wall, runs, sizeof (double), compare_double);
  qsort (cpu, runs, sizeof (double), compare_double);
  printf ("app dashboard %s: median %.1f ms wall, %.1f ms CPU (wall min %.1f, max %.1f)\n",
          project, wall[runs / 2], cpu[runs / 2], wall[0], wall[runs - 1]);
  return 0;
}
