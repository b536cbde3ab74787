/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-bench"

/* bench-navigation: what the portfolio screen loads on the large demo, wall time of each:
 *   - the navigation model (every legal entity, project, building and floor), goal < 300 ms;
 *   - the largest floor's units (the floor plan);
 *   - the largest building's stacking-plan data: every floor's units and the expiry strip.
 * Exits 1 when a goal is missed, 77 when the database is missing.
 *
 *   TENURE_BENCH_DB  the database (default /tmp/tenure-large.db, made by
 *                    `tenure-cli demo --scale=large --db=/tmp/tenure-large.db`)
 *
 * Opening a database brings its schema up to date: point it at a copy when other builds share
 * the file. */

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analytics/tenure-kpi.h"
#include "portfolio/tenure-portfolio.h"

#define TREE_GOAL_MS 300.0
#define RUNS 5

static guint
count_nodes (GListModel *model,
             guint      *floors)
{
  guint n = g_list_model_get_n_items (model);
  guint total = n;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TenureAssetNode) node = g_list_model_get_item (model, i);

      if (node->kind == TENURE_ASSET_FLOOR)
        (*floors)++;
      if (node->children != NULL)
        total += count_nodes (G_LIST_MODEL (node->children), floors);
    }
  return total;
}

static double
ms_since (gint64 t0)
{
  return (g_get_monotonic_time () - t0) / 1000.0;
}

/* CPU time of this thread in ms: wall time swings on a shared machine. */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int
main (void)
{
  const char *location = g_getenv ("TENURE_BENCH_DB");
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  gint64 units = 0, floor_id = 0, floor_units = 0, building_id = 0, building_units = 0;
  g_autofree char *project_code = NULL;
  g_autofree char *building_code = NULL;
  double tree_best = G_MAXDOUBLE, floor_best = G_MAXDOUBLE, building_best = G_MAXDOUBLE;
  double units_best = G_MAXDOUBLE, loop_best = G_MAXDOUBLE;
  double tree_cpu = G_MAXDOUBLE, floor_cpu = G_MAXDOUBLE, building_cpu = G_MAXDOUBLE;
  double units_cpu = G_MAXDOUBLE, loop_cpu = G_MAXDOUBLE;
  guint nodes = 0, floors = 0;
  TenureDate as_of;
  int status = 0;

  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  if (location == NULL)
    location = "/tmp/tenure-large.db";
  if (!g_file_test (location, G_FILE_TEST_EXISTS) && strchr (location, '=') == NULL)
    {
      g_printerr ("%s: no such database (make it with tenure-cli demo --scale=large)\n",
                  location);
      return 77;
    }
  db = tenure_db_open (location, TENURE_DB_OPEN_DEFAULT, &error);
  if (db == NULL || !tenure_db_query_int64 (db, "SELECT count(*) FROM unit", &units, &error))
    {
      g_printerr ("%s: %s\n", location, error->message);
      return 77;
    }
  as_of = tenure_portfolio_get_as_of (db);

  /* The largest floor and building by unit count. */
  stmt = tenure_db_prepare (db, "SELECT floor_id, count(*) FROM unit GROUP BY floor_id"
                                " ORDER BY count(*) DESC, floor_id LIMIT 1", &error);
  if (stmt == NULL || !tenure_stmt_step (stmt, &error))
    goto failed;
  floor_id = tenure_stmt_column_int64 (stmt, 0);
  floor_units = tenure_stmt_column_int64 (stmt, 1);
  g_clear_pointer (&stmt, tenure_stmt_free);
  stmt = tenure_db_prepare (db,
    "SELECT b.id, b.code, p.code, count(*) FROM unit u JOIN floor f ON f.id = u.floor_id"
    " JOIN building b ON b.id = f.building_id JOIN project p ON p.id = b.project_id"
    " GROUP BY b.id, b.code, p.code ORDER BY count(*) DESC, b.id LIMIT 1", &error);
  if (stmt == NULL || !tenure_stmt_step (stmt, &error))
    goto failed;
  building_id = tenure_stmt_column_int64 (stmt, 0);
  building_code = g_strdup (tenure_stmt_column_text (stmt, 1));
  project_code = g_strdup (tenure_stmt_column_text (stmt, 2));
  building_units = tenure_stmt_column_int64 (stmt, 3);
  g_clear_pointer (&stmt, tenure_stmt_free);

  printf ("Navigation on %s, %" G_GINT64_FORMAT " units; best of %d runs\n",
          tenure_db_get_display_name (db), units, RUNS);

  for (int run = 0; run < RUNS; run++)
    {
      double c0 = cpu_ms ();
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(GListModel) tree = tenure_portfolio_list_asset_tree (db, &error);

      if (tree == NULL)
        goto failed;
      tree_best = MIN (tree_best, ms_since (t0));
      tree_cpu = MIN (tree_cpu, cpu_ms () - c0);
      nodes = 0;
      floors = 0;
      nodes = count_nodes (tree, &floors);
    }
  printf ("%-40s %8.1f ms (%5.1f CPU)  %u nodes, %u floors (goal < %.0f ms)\n",
          "navigation tree", tree_best, tree_cpu, nodes, floors, TREE_GOAL_MS);
  if (tree_best >= TREE_GOAL_MS)
    status = 1;

  for (int run = 0; run < RUNS; run++)
    {
      double c0 = cpu_ms ();
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(GListModel) list = tenure_portfolio_list_floor_units (db, floor_id, as_of,
                                                                      &error);
      if (list == NULL)
        goto failed;
      floor_best = MIN (floor_best, ms_since (t0));
      floor_cpu = MIN (floor_cpu, cpu_ms () - c0);
    }
  printf ("%-40s %8.1f ms (%5.1f CPU)  %" G_GINT64_FORMAT " units\n", "largest floor's units",
          floor_best, floor_cpu, floor_units);

  for (int run = 0; run < RUNS; run++)
    {
      double c0 = cpu_ms ();
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(TenureBuildingUnits) building =
        tenure_portfolio_list_building_units (db, building_id, as_of, NULL, &error);
      g_autoptr(GPtrArray) expiry = NULL;

      if (building == NULL)
        goto failed;
      units_best = MIN (units_best, ms_since (t0));
      units_cpu = MIN (units_cpu, cpu_ms () - c0);
      expiry = tenure_kpi_expiry (db, as_of, project_code, TENURE_KPI_BY_BUILDING, &error);
      if (expiry == NULL)
        goto failed;
      building_best = MIN (building_best, ms_since (t0));
      building_cpu = MIN (building_cpu, cpu_ms () - c0);

      /* Against one load per floor (what the screen did before). */
      c0 = cpu_ms ();
      t0 = g_get_monotonic_time ();
      for (guint f = 0; f < building->n_floors; f++)
        {
          g_autoptr(GListModel) list =
            tenure_portfolio_list_floor_units (db, building->floor_ids[f], as_of, &error);

          if (list == NULL)
            goto failed;
          if (g_list_model_get_n_items (list)
              != g_list_model_get_n_items (building->floor_units[f]))
            {
              g_printerr ("floor %" G_GINT64_FORMAT ": the building's load differs\n",
                          building->floor_ids[f]);
              return 1;
            }
        }
      loop_best = MIN (loop_best, ms_since (t0));
      loop_cpu = MIN (loop_cpu, cpu_ms () - c0);
    }
  printf ("%-40s %8.1f ms (%5.1f CPU)  %s, %" G_GINT64_FORMAT " units\n",
          "largest building's stacking plan data", building_best, building_cpu, building_code,
          building_units);
  printf ("%-40s %8.1f ms (%5.1f CPU)\n", "  of which its floors' units", units_best,
          units_cpu);
  printf ("%-40s %8.1f ms (%5.1f CPU)\n", "  the same floors one load each", loop_best,
          loop_cpu);

  return status;

failed:
  g_printerr ("%s\n", error != NULL ? error->message : "no rows");
  return 1;
}
