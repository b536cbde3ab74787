/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-bench"

/* bench-kpi: each KPI of the engine on the large demo, wall and CPU time.
 *
 *   TENURE_BENCH_DB  the database (default /tmp/tenure-large.db, made by
 *                    `tenure-cli demo --scale=large --db=/tmp/tenure-large.db`)
 *   TENURE_BENCH_AS_OF  the as-of date (default the demo's reference date)
 *
 * Opening a database brings its schema up to date: point it at a copy when other builds share
 * the file. */

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "analytics/tenure-kpi.h"
#include "demo/tenure-demo.h"

static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

#define RUN(label, call) \
  G_STMT_START { \
    gint64 t0 = g_get_monotonic_time (); \
    double c0 = cpu_seconds (); \
    g_autoptr(GPtrArray) rows = (call); \
    if (rows == NULL) \
      { \
        g_printerr ("%s: %s\n", label, error->message); \
        return 1; \
      } \
    printf ("%-28s %8.1f ms wall %8.1f ms CPU  %u rows\n", label, \
            (g_get_monotonic_time () - t0) / 1000.0, (cpu_seconds () - c0) * 1000.0, \
            rows->len); \
  } G_STMT_END

int
main (void)
{
  const char *location = g_getenv ("TENURE_BENCH_DB");
  const char *as_of_text = g_getenv ("TENURE_BENCH_AS_OF");
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;
  gint64 units = 0;
  TenureDate as_of;

  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  if (location == NULL)
    location = "/tmp/tenure-large.db";
  if (!tenure_date_parse_iso (as_of_text != NULL ? as_of_text : TENURE_DEMO_REFERENCE_DATE,
                              &as_of, &error))
    {
      g_printerr ("TENURE_BENCH_AS_OF: %s\n", error->message);
      return 1;
    }
  db = tenure_db_open (location, TENURE_DB_OPEN_DEFAULT, &error);
  if (db == NULL || !tenure_db_query_int64 (db, "SELECT count(*) FROM unit", &units, &error))
    {
      g_printerr ("%s: %s\n", location, error->message);
      return 77;
    }
  printf ("KPIs on %s, %" G_GINT64_FORMAT " units, as of %s\n",
          tenure_db_get_display_name (db), units,
          as_of_text != NULL ? as_of_text : TENURE_DEMO_REFERENCE_DATE);

  RUN ("occupancy", tenure_kpi_occupancy (db, as_of, NULL, TENURE_KPI_BY_NONE, &error));
  RUN ("occupancy by project", tenure_kpi_occupancy (db, as_of, NULL, TENURE_KPI_BY_PROJECT,
                                                     &error));
  RUN ("occupancy 12 month ends",
       tenure_kpi_occupancy_series (db, tenure_date_add_months (as_of, -11), as_of, NULL,
                                    &error));
  RUN ("expiry by format", tenure_kpi_expiry (db, as_of, NULL, TENURE_KPI_BY_FORMAT, &error));
  RUN ("wale by term", tenure_kpi_wale (db, as_of, NULL, TENURE_KPI_BY_TERM, &error));
  RUN ("vacancy loss 12 months",
       tenure_kpi_vacancy_loss (db, tenure_date_add_months (as_of, -12), as_of, NULL,
                                TENURE_KPI_BY_NONE, &error));
  RUN ("renewals 12 months",
       tenure_kpi_renewals (db, tenure_date_add_months (as_of, -12), as_of, NULL,
                            TENURE_KPI_BY_PROJECT, &error));
  RUN ("rent roll", tenure_kpi_rent_roll (db, as_of, NULL, &error));
  return 0;
}
