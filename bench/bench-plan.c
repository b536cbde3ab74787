/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-bench-plan"

/* Plan generation (tenure_plan_generate) for 10,000 and 100,000 contracts over three years, in
 * memory: a mix of offices (per m² per day, AVG_365_12, quarterly, three months rent-free, +5 %
 * each 1 January), shops (per m² per month, calendar months, partial first and last month, a
 * property fee beside the rent, a +3 % step each lease year) and parking (fixed monthly).
 * Prints contracts per second and lines per second for each size, and how the time grew. */

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "leasing/tenure-plan.h"

static TenureContract *
make_contract (int i)
{
  TenureContract *contract = tenure_contract_new ();
  TenureContractVersion *version = tenure_contract_version_new ();
  TenureDate start = tenure_date_from_ymd (2025 + i % 2, 1 + i % 12, 1 + i % 28);
  TenureClause *clause;

  contract->code = g_strdup_printf ("K%d", i);
  contract->start_date = start;
  contract->end_date = tenure_date_add_days (tenure_date_add_months (start, 36), -1);
  version->effective_from = start;
  version->status = TENURE_VERSION_APPROVED;
  g_ptr_array_add (version->units, tenure_contract_unit_new ("U", 5000 + (i % 500) * 100));
  g_ptr_array_add (contract->versions, version);

  switch (i % 3)
    {
    case 0:
      {
        TenureDateRange free_months = { start, tenure_date_add_days (tenure_date_add_months
                                                                     (start, 3), -1) };

        clause = tenure_clause_new ("RENT", TENURE_BASIS_PER_M2_DAY);
        clause->price_e4 = 30000 + (i % 40) * 1000;
        clause->days_rule = TENURE_DAYS_AVG_365_12;
        clause->cycle_months = 3;
        g_array_append_val (clause->rent_free, free_months);
        clause->escalation.kind = TENURE_ESCALATION_PERCENT;
        clause->escalation.trigger = TENURE_ESCALATION_BY_DATE;
        clause->escalation.month = 1;
        clause->escalation.day = 1;
        clause->escalation.every_years = 1;
        clause->escalation.percent_ppm = 50000;
        g_ptr_array_add (version->clauses, clause);
        break;
      }
    case 1:
      clause = tenure_clause_new ("RENT", TENURE_BASIS_PER_M2_MONTH);
      clause->price_e4 = 1500000 + (i % 50) * 10000;
      clause->alignment = TENURE_ALIGN_CALENDAR;
      clause->escalation.kind = TENURE_ESCALATION_PERCENT;
      clause->escalation.trigger = TENURE_ESCALATION_BY_LEASE_YEAR;
      clause->escalation.every_years = 1;
      clause->escalation.percent_ppm = 30000;
      g_ptr_array_add (version->clauses, clause);
      clause = tenure_clause_new ("PROPERTY_FEE", TENURE_BASIS_PER_M2_MONTH);
      clause->price_e4 = 250000;
      clause->alignment = TENURE_ALIGN_CALENDAR;
      g_ptr_array_add (version->clauses, clause);
      break;
    default:
      clause = tenure_clause_new ("PARKING", TENURE_BASIS_FIXED_MONTH);
      clause->amount = 80000;
      g_ptr_array_add (version->clauses, clause);
      break;
    }
  return contract;
}

static double
bench_size (int      n,
            gint64  *out_lines)
{
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(GPtrArray) contracts = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                   tenure_contract_free);
  double seconds;
  gint64 lines = 0;

  for (int i = 0; i < n; i++)
    g_ptr_array_add (contracts, make_contract (i));
  g_timer_start (timer);
  for (int i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) plan = tenure_plan_generate (contracts->pdata[i], NULL, &error);

      if (plan == NULL)
        {
          g_printerr ("bench-plan: %s\n", error->message);
          exit (1);
        }
      lines += plan->len;
    }
  seconds = g_timer_elapsed (timer, NULL);
  *out_lines = lines;
  return seconds;
}

int
main (int argc, char **argv)
{
  static const int sizes[] = { 10000, 100000 };
  double seconds[G_N_ELEMENTS (sizes)];

  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  printf ("plan generation, three-year contracts (offices, shops with a property fee, "
          "parking)\n");
  for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      gint64 lines;

      seconds[s] = bench_size (sizes[s], &lines);
      printf ("  %6d contracts: %.2f s, %.0f contracts/s, %" G_GINT64_FORMAT " lines, "
              "%.0f lines/s\n", sizes[s], seconds[s], sizes[s] / seconds[s], lines,
              lines / seconds[s]);
      fflush (stdout);
    }
  printf ("  time from 10,000 to 100,000 contracts: × %.1f (linear would be × 10.0)\n",
          seconds[1] / seconds[0]);
  return 0;
}
