/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-bench-demo"

/* Generation time of the large demo portfolio: SQLite always (a file in a temporary folder),
 * PostgreSQL when TENURE_BENCH_PG holds a conninfo (an empty or demo database). Prints the
 * seconds per stage, the total and units per second. */

#include <locale.h>
#include <stdio.h>

#include <glib/gstdio.h>

#include "demo/tenure-demo.h"

typedef struct
{
  GTimer *timer;
  char   *stage;
  double  stage_started;
} BenchProgress;

static void
bench_progress (double fraction, const char *stage, gpointer user_data)
{
  BenchProgress *p = user_data;
  double now = g_timer_elapsed (p->timer, NULL);

  if (g_strcmp0 (stage, p->stage) == 0)
    return;
  if (p->stage != NULL)
    printf ("    %-36s %8.2f s\n", p->stage, now - p->stage_started);
  g_free (p->stage);
  p->stage = g_strdup (stage);
  p->stage_started = now;
  fflush (stdout);
}

static gboolean
bench_one (const char *backend, const char *location)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = tenure_db_open (location, TENURE_DB_OPEN_CREATE, &error);
  g_autoptr(GTimer) timer = NULL;
  TenureDemoOptions opts = { 42, TENURE_DEMO_SCALE_LARGE };
  BenchProgress progress = { 0 };
  gint64 units = 0, contracts = 0, clauses = 0, audit = 0;
  double seconds;

  if (db == NULL)
    {
      g_printerr ("bench-demo: %s: %s\n", backend, error->message);
      return FALSE;
    }
  printf ("large demo on %s (%s)\n", backend, tenure_db_get_display_name (db));
  timer = g_timer_new ();
  progress.timer = timer;
  if (!tenure_demo_generate (db, &opts, bench_progress, &progress, NULL, &error))
    {
      g_printerr ("bench-demo: %s: %s\n", backend, error->message);
      g_free (progress.stage);
      return FALSE;
    }
  seconds = g_timer_elapsed (timer, NULL);
  g_free (progress.stage);
  if (!tenure_db_query_int64 (db, "SELECT count(*) FROM unit", &units, &error)
      || !tenure_db_query_int64 (db, "SELECT count(*) FROM contract", &contracts, &error)
      || !tenure_db_query_int64 (db, "SELECT count(*) FROM clause", &clauses, &error)
      || !tenure_db_query_int64 (db, "SELECT count(*) FROM audit_log", &audit, &error))
    {
      g_printerr ("bench-demo: %s: %s\n", backend, error->message);
      return FALSE;
    }
  printf ("  %s: %" G_GINT64_FORMAT " units, %" G_GINT64_FORMAT " contracts, %" G_GINT64_FORMAT
          " clauses, %" G_GINT64_FORMAT " audit entries\n", backend, units, contracts, clauses,
          audit);
  printf ("  %s: %.1f s, %.0f units/s, %.0f contracts/s\n", backend, seconds,
          units / seconds, contracts / seconds);
  return units >= 100000 && contracts >= 100000;
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  const char *pg = g_getenv ("TENURE_BENCH_PG");
  gboolean ok;

  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  dir = g_dir_make_tmp ("tenure-bench-demo-XXXXXX", &error);
  if (dir == NULL)
    {
      g_printerr ("bench-demo: %s\n", error->message);
      return 1;
    }
  path = g_build_filename (dir, "demo.db", NULL);
  ok = bench_one ("SQLite", path);
  for (const char *suffix = ""; suffix != NULL; suffix = *suffix ? NULL : "-wal")
    {
      g_autofree char *file = g_strconcat (path, suffix, NULL);
      g_remove (file);
    }
  {
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_autofree char *journal = g_strconcat (path, "-journal", NULL);
    g_remove (shm);
    g_remove (journal);
  }
  g_rmdir (dir);
  if (pg != NULL && *pg != '\0')
    ok = bench_one ("PostgreSQL", pg) && ok;
  else
    printf ("PostgreSQL: set TENURE_BENCH_PG to a conninfo to measure it\n");
  return ok ? 0 : 1;
}
