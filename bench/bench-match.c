/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-bench-match"

/* Auto-matching (issue 4): 10,000, 100,000 and 1,000,000 statement lines against 200,000 open
 * items with the pure matcher, on the labelled noise set of tests/collections/match-noise.c
 * (seed 4099): 20,000 distinct lines taken in turn, so every size has the same mix of classes.
 * Prints the time to build the matcher, then wall and thread CPU seconds per size, lines per
 * second and how the time per line grew (a flat figure means linear growth; n log n would
 * add about a fifth per tenfold). TENURE_BENCH_ITEMS and TENURE_BENCH_MAX_LINES change the
 * sizes. The CPU column is the thread's own time: on a shared machine wall time also counts
 * the waits for a core.
 */

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "match-noise.h"

static double
thread_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? (guint) g_ascii_strtoull (value, NULL, 10)
                                         : fallback;
}

int
main (int argc, char **argv)
{
  guint n_items = env_uint ("TENURE_BENCH_ITEMS", 200000);
  guint max_lines = env_uint ("TENURE_BENCH_MAX_LINES", 1000000);
  const guint sizes[] = { 10000, 100000, 1000000 };
  g_autoptr(MatchNoiseSet) set = NULL;
  g_autoptr(TenureMatcher) matcher = NULL;
  double t0, c0, per_line_first = 0;
  guint auto_confirmed;

  setlocale (LC_ALL, "C.UTF-8");
  t0 = g_get_monotonic_time () / 1e6;
  set = match_noise_generate (4099, n_items, 20000);
  printf ("noise set: %u open items, %u tenants, %u distinct lines (generated in %.2f s)\n",
          set->items->len, set->tenants->len, set->lines->len,
          g_get_monotonic_time () / 1e6 - t0);

  t0 = g_get_monotonic_time () / 1e6;
  c0 = thread_seconds ();
  matcher = match_noise_matcher (set);
  printf ("build matcher (tenants, aliases, items, indexes): %.3f s wall, %.3f s CPU\n",
          g_get_monotonic_time () / 1e6 - t0, thread_seconds () - c0);

  printf ("%9s %10s %10s %12s %12s %8s\n", "lines", "wall s", "CPU s", "lines/s", "us/line",
          "growth");
  for (guint s = 0; s < G_N_ELEMENTS (sizes) && sizes[s] <= max_lines; s++)
    {
      guint n = sizes[s];
      double wall, cpu, per_line;

      auto_confirmed = 0;
      t0 = g_get_monotonic_time () / 1e6;
      c0 = thread_seconds ();
      for (guint i = 0; i < n; i++)
        {
          const MatchNoiseLine *l = set->lines->pdata[i % set->lines->len];
          g_autoptr(GPtrArray) proposals = tenure_matcher_match (matcher, &l->line);

          auto_confirmed += tenure_match_auto_pick (proposals, 95) != NULL;
        }
      wall = g_get_monotonic_time () / 1e6 - t0;
      cpu = thread_seconds () - c0;
      per_line = cpu / n * 1e6;
      if (s == 0)
        per_line_first = per_line;
      printf ("%9u %10.3f %10.3f %12.0f %12.2f %7.2fx   (%u auto-confirmed)\n", n, wall, cpu,
              n / cpu, per_line, per_line / per_line_first, auto_confirmed);
    }
  return 0;
}
