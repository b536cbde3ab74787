/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-geometry"

/* Floor-plan geometry (src/core/portfolio/tenure-geometry.c) at the sizes the layout editor
 * and the map meet, on a floor of 4,000 × 2,400 plan units:
 *
 *   layout-2000-empty   the automatic layout of 2,000 units on an empty floor
 *   layout-1000-free    1,000 units into the free part of a floor whose other half holds
 *                       1,000 placed rectangles (largest free rectangle + treemap)
 *   validate-vs-2000    one edited outline checked against 2,000 others (each edit does this)
 *
 * Median of RUNS runs, milliseconds of wall time. Display-free. */

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "portfolio/tenure-geometry.h"

#define RUNS 21

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_double);
  return values[n / 2];
}

static TenureUnitShape *
rect_shape (gint64 id,
            double x0,
            double y0,
            double x1,
            double y1)
{
  double p[8] = { x0, y0, x1, y0, x1, y1, x0, y1 };

  return tenure_unit_shape_new (id, NULL, p, 4);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (6);
  g_autoptr(GPtrArray) placed = g_ptr_array_new_with_free_func
                                  ((GDestroyNotify) tenure_unit_shape_free);
  g_autofree gint64 *areas = g_new (gint64, 2000);
  g_autofree double *out = g_new (double, 8 * 2000);
  double times[RUNS];

  setlocale (LC_ALL, "");
  for (guint i = 0; i < 2000; i++)
    areas[i] = g_rand_int_range (rand, 2000, 50000);
  /* The left half: 40 columns × 25 rows of shops. */
  for (guint r = 0; r < 25; r++)
    for (guint c = 0; c < 40; c++)
      g_ptr_array_add (placed, rect_shape (r * 40 + c + 1, c * 50, r * 96, c * 50 + 50,
                                           r * 96 + 96));

  for (guint k = 0; k < RUNS; k++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_assert_true (tenure_geometry_auto_layout (4000, 2400, NULL, areas, 2000, out, NULL));
      times[k] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  printf ("layout-2000-empty  %.2f ms\n", median (times, RUNS));

  for (guint k = 0; k < RUNS; k++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_assert_true (tenure_geometry_auto_layout (4000, 2400, placed, areas, 1000, out, NULL));
      times[k] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  printf ("layout-1000-free   %.2f ms\n", median (times, RUNS));

  /* 2,000 others: the placed half and the laid-out half. */
  for (guint i = 0; i < 1000; i++)
    g_ptr_array_add (placed, tenure_unit_shape_new (5000 + i, NULL, out + 8 * i, 4));
  {
    g_autoptr(TenureUnitShape) edited = rect_shape (1, 0, 0, 50, 96);

    for (guint k = 0; k < RUNS; k++)
      {
        gint64 t0 = g_get_monotonic_time ();
        g_assert_true (tenure_geometry_validate (edited, 4000, 2400, placed, 0.5, NULL));
        times[k] = (g_get_monotonic_time () - t0) / 1000.0;
      }
    printf ("validate-vs-2000   %.3f ms\n", median (times, RUNS));
  }
  return 0;
}
