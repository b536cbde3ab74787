/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test-straight-line"

/* Straight-line revenue (domain.md §9): the worked example, an independent day-by-day oracle
 * over generated schedules with modifications, the total over generated contracts equal to the
 * plan's net rent, and the stored form on both backends. */

#include "billing/tenure-straight-line.h"

#include "base/tenure-error.h"
#include "contracts/tenure-contract-store.h"
#include "tenure-test-db.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static TenureTestBackend backend;

#define D(y, m, d) tenure_date_from_ymd ((y), (m), (d))

static int
iterations (int base)
{
  const char *env = g_getenv ("TENURE_TEST_ITERATIONS");

  if (env != NULL && atoi (env) > 0)
    return MIN (base, atoi (env));
  return base;
}

static const TenureStraightLineMonth *
month_at (const TenureStraightLine *sl,
          guint                     i)
{
  g_assert_cmpuint (i, <, sl->months->len);
  return &g_array_index (sl->months, TenureStraightLineMonth, i);
}

/* ---- the worked example ------------------------------------------------------------------- */

static void
test_worked_example (void)
{
  /* 2026, 10,000.00 a month net, January and February rent-free: 100,000.00 in all. */
  TenureStraightLineRegime regime = { D (2026, 1, 1), D (2026, 12, 31), 10000000 };
  TenureStraightLineBilling billing[10];
  g_autoptr(TenureStraightLine) sl = NULL;
  g_autoptr(GError) error = NULL;
  gint64 sum = 0;

  for (int i = 0; i < 10; i++)
    billing[i] = (TenureStraightLineBilling) { D (2026, 3 + i, 1), 1000000 };
  sl = tenure_straight_line_compute (&regime, 1, billing, 10, TENURE_ROUND_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sl->months->len, ==, 12);
  g_assert_cmpint (month_at (sl, 0)->revenue, ==, 849315);
  g_assert_cmpint (month_at (sl, 1)->revenue, ==, 767123);
  g_assert_cmpint (month_at (sl, 2)->revenue, ==, 849315);
  g_assert_cmpint (month_at (sl, 3)->revenue, ==, 821918);
  for (guint i = 0; i < 12; i++)
    sum += month_at (sl, i)->revenue;
  g_assert_cmpint (sum, ==, 10000000);
  g_assert_cmpint (sl->total_revenue, ==, 10000000);
  g_assert_cmpint (sl->total_billed, ==, 10000000);

  /* Accrued rent: two months of revenue with nothing billed, then it unwinds to zero. */
  g_assert_cmpint (month_at (sl, 0)->deferred, ==, 849315);
  g_assert_cmpint (month_at (sl, 1)->deferred, ==, 849315 + 767123);
  g_assert_cmpint (month_at (sl, 2)->billed, ==, 1000000);
  g_assert_cmpint (month_at (sl, 2)->deferred, ==, 849315 + 767123 + 849315 - 1000000);
  g_assert_cmpint (month_at (sl, 11)->deferred, ==, 0);
  g_assert_cmpint (month_at (sl, 11)->cumulative_revenue, ==, 10000000);
  g_assert_cmpint (month_at (sl, 0)->year, ==, 2026);
  g_assert_cmpint (month_at (sl, 11)->month, ==, 12);
}

static void
test_modification (void)
{
  /* The same lease; from 2026-07-01 the rent rises so that the whole lease now totals
   * 106,000.00 (July–December at 11,000.00). Revenue to June stays; the rest spreads evenly. */
  TenureStraightLineRegime regimes[] = {
    { D (2026, 1, 1), D (2026, 12, 31), 10000000 },
    { D (2026, 7, 1), D (2026, 12, 31), 10600000 },
  };
  g_autoptr(TenureStraightLine) sl = NULL;
  g_autoptr(TenureStraightLine) before = NULL;
  g_autoptr(GError) error = NULL;
  gint64 sum = 0;

  before = tenure_straight_line_compute (regimes, 1, NULL, 0, TENURE_ROUND_DEFAULT, &error);
  sl = tenure_straight_line_compute (regimes, 2, NULL, 0, TENURE_ROUND_DEFAULT, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpint (month_at (sl, i)->revenue, ==, month_at (before, i)->revenue);
  /* Through June: 100,000 × 181/365 = 49,589.04109… → 49,589.04; the remaining 56,410.96
   * over 184 days: July 31 days → 56,410.96 × 31/184 = 9,504.02. */
  g_assert_cmpint (month_at (sl, 5)->cumulative_revenue, ==, 4958904);
  g_assert_cmpint (month_at (sl, 6)->revenue, ==, 950402);
  for (guint i = 0; i < 12; i++)
    sum += month_at (sl, i)->revenue;
  g_assert_cmpint (sum, ==, 10600000);

  /* Bad terms are refused, naming which. */
  regimes[1].from = D (2025, 12, 31);
  g_assert_null (tenure_straight_line_compute (regimes, 2, NULL, 0, TENURE_ROUND_DEFAULT,
                                               &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2"));
  g_clear_error (&error);
  g_assert_null (tenure_straight_line_compute (regimes, 0, NULL, 0, TENURE_ROUND_DEFAULT,
                                               &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
}

/* ---- independent oracle ------------------------------------------------------------------- */

/* A rational of the test's own: n/d, d > 0, reduced. */
typedef struct { __int128 n, d; } Q;

static __int128
gcd128 (__int128 a, __int128 b)
{
  if (a < 0)
    a = -a;
  while (b != 0)
    {
      __int128 t = a % b;
      a = b;
      b = t < 0 ? -t : t;
    }
  return a == 0 ? 1 : a;
}

static Q
q_make (__int128 n, __int128 d)
{
  __int128 g;

  if (d < 0)
    n = -n, d = -d;
  g = gcd128 (n, d);
  return (Q) { n / g, d / g };
}

static Q
q_add (Q a, Q b)
{
  __int128 g = gcd128 (a.d, b.d);

  return q_make (a.n * (b.d / g) + b.n * (a.d / g), a.d / g * b.d);
}

/* Half away from zero. */
static gint64
q_round (Q a)
{
  __int128 n = a.n < 0 ? -a.n : a.n;
  __int128 q = n / a.d, r = n % a.d;

  if (2 * r >= a.d)
    q++;
  return (gint64) (a.n < 0 ? -q : q);
}

static void
test_property_oracle (void)
{
  GRand *rand = g_rand_new_with_seed (921);
  int n = iterations (400);

  for (int it = 0; it < n; it++)
    {
      TenureStraightLineRegime regimes[3];
      TenureStraightLineBilling billing[40];
      g_autoptr(TenureStraightLine) sl = NULL;
      g_autoptr(GError) error = NULL;
      int n_regimes = g_rand_int_range (rand, 1, 4), n_billing = g_rand_int_range (rand, 0, 40);
      TenureDate start = D (2020, 1, 1) + g_rand_int_range (rand, 0, 2000);
      TenureDate last = start + g_rand_int_range (rand, 0, 1500);
      Q cum = { 0, 1 }, daily = { 0, 1 };
      gint64 prev = 0, cum_billed = 0;
      guint mi = 0;
      int k = 0;

      for (int i = 0; i < n_regimes; i++)
        {
          TenureDate from = i == 0 ? start
                                   : regimes[i - 1].from + 1 + g_rand_int_range (rand, 0, 400);

          regimes[i].from = MIN (from, last);
          regimes[i].last_day = last;
          regimes[i].total_net = g_rand_int_range (rand, -1000, 200000000)
                                 * (gint64) g_rand_int_range (rand, 1, 100);
        }
      /* Drop modifications squeezed past the end. */
      while (n_regimes > 1 && regimes[n_regimes - 1].from <= regimes[n_regimes - 2].from)
        n_regimes--;
      /* A termination in the last terms shortens the lease. */
      if (g_rand_boolean (rand))
        regimes[n_regimes - 1].last_day = regimes[n_regimes - 1].from
          + g_rand_int_range (rand, 0, last - regimes[n_regimes - 1].from + 1);
      last = regimes[n_regimes - 1].last_day;
      for (int i = 0; i < n_billing; i++)
        billing[i] = (TenureStraightLineBilling) {
          start + g_rand_int_range (rand, -40, last - start + 60),
          g_rand_int_range (rand, -100000, 5000000) };

      sl = tenure_straight_line_compute (regimes, n_regimes, billing, n_billing,
                                         TENURE_ROUND_DEFAULT, &error);
      g_assert_no_error (error);

      /* Day by day: each day adds the daily amount of the terms in force that day, which is
       * set where they start: (their total − what was recognised before) / their days. */
      for (TenureDate d = start; d <= last; d++)
        {
          int y, m, dd;

          if (k + 1 < n_regimes && regimes[k + 1].from == d)
            k++;
          if (d == regimes[k].from)
            daily = q_make ((__int128) regimes[k].total_net * cum.d - cum.n,
                            cum.d * (regimes[k].last_day - d + 1));
          cum = q_add (cum, daily);
          tenure_date_get_ymd (d, &y, &m, &dd);
          if (d == last || dd == tenure_date_days_in_month (y, m))
            {
              const TenureStraightLineMonth *month = month_at (sl, mi++);
              gint64 rounded = q_round (cum), billed = 0;
              int idx_first = tenure_date_get_year (start) * 12 + tenure_date_get_month (start);
              int idx_last = tenure_date_get_year (last) * 12 + tenure_date_get_month (last);

              for (int i = 0; i < n_billing; i++)
                {
                  int bi = tenure_date_get_year (billing[i].due_date) * 12
                           + tenure_date_get_month (billing[i].due_date);
                  bi = CLAMP (bi, idx_first, idx_last);
                  if (bi == y * 12 + m)
                    billed += billing[i].net;
                }
              cum_billed += billed;
              g_assert_cmpint (month->year, ==, y);
              g_assert_cmpint (month->month, ==, m);
              if (month->revenue != rounded - prev)
                g_error ("iteration %d, %d-%02d: revenue %" G_GINT64_FORMAT ", oracle %"
                         G_GINT64_FORMAT, it, y, m, month->revenue, rounded - prev);
              g_assert_cmpint (month->billed, ==, billed);
              g_assert_cmpint (month->deferred, ==, rounded - cum_billed);
              prev = rounded;
            }
        }
      g_assert_cmpuint (mi, ==, sl->months->len);
      g_assert_cmpint (prev, ==, regimes[n_regimes - 1].total_net);
      g_assert_cmpint (sl->total_revenue, ==, regimes[n_regimes - 1].total_net);
    }
  g_rand_free (rand);
}

/* ---- over generated contracts (the plan engine) ------------------------------------------ */

static TenureContract *
make_contract (const char *code,
               TenureDate  start,
               TenureDate  end)
{
  TenureContract *c = tenure_contract_new ();
  TenureContractVersion *v = tenure_contract_version_new ();

  c->code = g_strdup (code);
  c->tenant_code = g_strdup ("T1");
  c->project_code = g_strdup ("P1");
  c->status = TENURE_CONTRACT_ACTIVE;
  c->start_date = start;
  c->end_date = end;
  c->signed_on = start;
  v->version_no = 1;
  v->effective_from = start;
  v->status = TENURE_VERSION_APPROVED;
  g_ptr_array_add (v->units, tenure_contract_unit_new ("P1-A-1-101", 10000));
  g_ptr_array_add (c->versions, v);
  return c;
}

static void
test_contract_worked_example (void)
{
  g_autoptr(TenureContract) c = make_contract ("SL-1", D (2026, 1, 1), D (2026, 12, 31));
  TenureContractVersion *v = g_ptr_array_index (c->versions, 0);
  TenureClause *rent = tenure_clause_new ("RENT", TENURE_BASIS_FIXED_MONTH);
  TenureDateRange free_months = { D (2026, 1, 1), D (2026, 2, 28) };
  TenurePlanContext context = { 0 };
  g_autoptr(TenureStraightLine) sl = NULL;
  g_autoptr(GError) error = NULL;

  /* 10,900.00 gross at 9 % VAT is 10,000.00 net. */
  rent->amount = 1090000;
  g_array_append_val (rent->rent_free, free_months);
  g_ptr_array_add (v->clauses, rent);
  context.rounding = TENURE_ROUND_DEFAULT;

  sl = tenure_straight_line_for_contract (c, &context, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sl);
  g_assert_cmpint (sl->total_revenue, ==, 10000000);
  g_assert_cmpint (month_at (sl, 0)->revenue, ==, 849315);
  g_assert_cmpint (month_at (sl, 1)->revenue, ==, 767123);
  g_assert_cmpint (month_at (sl, 2)->revenue, ==, 849315);
  g_assert_cmpint (month_at (sl, 3)->revenue, ==, 821918);
  g_assert_cmpint (month_at (sl, 0)->billed, ==, 0);
  g_assert_cmpint (month_at (sl, 2)->billed, ==, 1000000);
  g_assert_cmpint (month_at (sl, 11)->deferred, ==, 0);
}

/* The worked example's contract (10,900.00 gross a month at 9 %, Jan–Feb rent-free). */
static TenureContract *
worked_contract (const char *code)
{
  TenureContract *c = make_contract (code, D (2026, 1, 1), D (2026, 12, 31));
  TenureContractVersion *v = g_ptr_array_index (c->versions, 0);
  TenureClause *rent = tenure_clause_new ("RENT", TENURE_BASIS_FIXED_MONTH);
  TenureDateRange free_months = { D (2026, 1, 1), D (2026, 2, 28) };

  rent->amount = 1090000;
  g_array_append_val (rent->rent_free, free_months);
  g_ptr_array_add (v->clauses, rent);
  return c;
}

static void
test_contract_modification (void)
{
  g_autoptr(TenureContract) c = worked_contract ("SL-M");
  TenureContractVersion *v2 = tenure_contract_version_copy (g_ptr_array_index (c->versions, 0));
  TenurePlanContext context = { 0 };
  g_autoptr(TenureStraightLine) sl = NULL;
  g_autoptr(GError) error = NULL;
  gint64 sum = 0;

  /* From July 11,990.00 gross = 11,000.00 net: the lease now totals 106,000.00 net. */
  v2->version_no = 2;
  v2->effective_from = D (2026, 7, 1);
  ((TenureClause *) g_ptr_array_index (v2->clauses, 0))->amount = 1199000;
  g_ptr_array_add (c->versions, v2);
  context.rounding = TENURE_ROUND_DEFAULT;

  sl = tenure_straight_line_for_contract (c, &context, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sl->months->len, ==, 12);
  /* Months before the change are as first reported. */
  g_assert_cmpint (month_at (sl, 0)->revenue, ==, 849315);
  g_assert_cmpint (month_at (sl, 3)->revenue, ==, 821918);
  g_assert_cmpint (month_at (sl, 5)->cumulative_revenue, ==, 4958904);
  /* The remaining 56,410.96 over 184 days: July 9,504.02. */
  g_assert_cmpint (month_at (sl, 6)->revenue, ==, 950402);
  g_assert_cmpint (month_at (sl, 6)->billed, ==, 1100000);
  for (guint i = 0; i < 12; i++)
    sum += month_at (sl, i)->revenue;
  g_assert_cmpint (sum, ==, 10600000);
  g_assert_cmpint (sl->total_billed, ==, 10600000);
  g_assert_cmpint (month_at (sl, 11)->deferred, ==, 0);
}

static void
test_contract_termination (void)
{
  g_autoptr(TenureContract) c = worked_contract ("SL-T");
  TenurePlanContext context = { 0 };
  g_autoptr(TenureStraightLine) sl = NULL;
  g_autoptr(GError) error = NULL;

  /* Ended by agreement on 30 September: rent March–September, 70,000.00 net. */
  c->status = TENURE_CONTRACT_TERMINATED;
  c->terminated_on = D (2026, 9, 30);
  c->termination_type = TENURE_TERMINATION_EARLY_AGREEMENT;
  context.rounding = TENURE_ROUND_DEFAULT;

  sl = tenure_straight_line_for_contract (c, &context, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sl->months->len, ==, 9);
  g_assert_cmpint (month_at (sl, 0)->revenue, ==, 849315);
  g_assert_cmpint (month_at (sl, 7)->cumulative_revenue, ==, 6657534);
  /* September takes what is left: 70,000.00 − 66,575.34. */
  g_assert_cmpint (month_at (sl, 8)->revenue, ==, 342466);
  g_assert_cmpint (sl->total_revenue, ==, 7000000);
  g_assert_cmpint (sl->total_billed, ==, 7000000);
  g_assert_cmpint (month_at (sl, 8)->deferred, ==, 0);
  g_assert_cmpint (sl->last_day, ==, D (2026, 9, 30));
}

/* CPI of series "T": 100.0000 in December 2025, 103.0000 from January 2026 up to @last
 * (a month index year × 12 + month − 1), nothing after; no month at all when @gap. */
typedef struct
{
  int      last;
  gboolean gap;
} Cpi;

static gboolean
cpi_lookup (const char *series,
            int         year,
            int         month,
            gint64     *value_e4,
            gpointer    user_data)
{
  const Cpi *cpi = user_data;
  int idx = year * 12 + month - 1;

  if (g_strcmp0 (series, "T") != 0 || idx < 2025 * 12 + 11 || idx > cpi->last)
    return FALSE;
  if (cpi->gap && idx == 2026 * 12 + 11)
    return FALSE;
  *value_e4 = idx == 2025 * 12 + 11 ? 1000000 : 1030000;
  return TRUE;
}

static void
test_contract_cpi (void)
{
  g_autoptr(TenureContract) c = make_contract ("SL-CPI", D (2026, 1, 1), D (2027, 12, 31));
  TenureContractVersion *v = g_ptr_array_index (c->versions, 0);
  TenureClause *rent = tenure_clause_new ("RENT", TENURE_BASIS_FIXED_MONTH);
  Cpi published = { 2026 * 12 + 5, FALSE }, full = { 9999 * 12, FALSE };
  TenurePlanContext context = { cpi_lookup, NULL, NULL, &published, TENURE_ROUND_DEFAULT };
  TenurePlanContext full_context = { cpi_lookup, NULL, NULL, &full, TENURE_ROUND_DEFAULT };
  g_autoptr(TenureStraightLine) sl = NULL;
  g_autoptr(GPtrArray) plan = NULL;
  g_autoptr(GError) error = NULL;
  gint64 plan_net = 0;

  rent->amount = 1090000;
  rent->escalation.kind = TENURE_ESCALATION_CPI;
  rent->escalation.trigger = TENURE_ESCALATION_BY_LEASE_YEAR;
  rent->escalation.cpi_series = g_strdup ("T");
  rent->escalation.cpi_lag_months = 1;
  g_ptr_array_add (v->clauses, rent);

  /* The plan itself needs December 2026's index, not published yet. */
  plan = tenure_plan_generate (c, &context, &error);
  g_assert_null (plan);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Straight-line takes the latest published index (June 2026: +3 %), the same as a plan
   * whose index stays there. */
  plan = tenure_plan_generate (c, &full_context, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < plan->len; i++)
    {
      TenureReceivableLine *line = g_ptr_array_index (plan, i);

      plan_net += line->amount - line->tax;
    }
  /* 12 × 10,000.00 + 12 × (11,227.00 gross → 10,300.00 net). */
  g_assert_cmpint (plan_net, ==, 12 * 1000000 + 12 * 1030000);
  sl = tenure_straight_line_for_contract (c, &context, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sl->total_revenue, ==, plan_net);

  /* A month missing before a published one is a gap in the data, not the future. */
  published.last = 2027 * 12;
  published.gap = TRUE;
  g_clear_pointer (&sl, tenure_straight_line_free);
  sl = tenure_straight_line_for_contract (c, &context, NULL, &error);
  g_assert_null (sl);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "SL-CPI"));
}

static void
test_contract_property (void)
{
  GRand *rand = g_rand_new_with_seed (365);
  int n = iterations (300);
  static const TenureBasis bases[] = {
    TENURE_BASIS_PER_M2_DAY, TENURE_BASIS_PER_M2_MONTH, TENURE_BASIS_FIXED_MONTH,
    TENURE_BASIS_FIXED_PERIOD,
  };
  static const int cycles[] = { 1, 2, 3, 6, 12 };

  for (int it = 0; it < n; it++)
    {
      TenureDate start = D (2024, 1, 1) + g_rand_int_range (rand, 0, 900);
      TenureDate end = start + g_rand_int_range (rand, 0, 1500);
      g_autofree char *code = g_strdup_printf ("SL-%d", it);
      g_autoptr(TenureContract) c = make_contract (code, start, end);
      TenureContractVersion *v = g_ptr_array_index (c->versions, 0);
      TenureClause *rent = tenure_clause_new ("RENT", bases[g_rand_int_range (rand, 0, 4)]);
      TenurePlanContext context = { 0 };
      g_autoptr(TenureStraightLine) sl = NULL;
      g_autoptr(GPtrArray) plan = NULL;
      g_autoptr(GError) error = NULL;
      gint64 plan_net = 0, sum = 0;

      rent->price_e4 = g_rand_int_range (rand, 1, 5000000);
      rent->amount = g_rand_int_range (rand, 1, 100000000);
      rent->cycle_months = cycles[g_rand_int_range (rand, 0, 5)];
      rent->alignment = g_rand_boolean (rand) ? TENURE_ALIGN_CALENDAR
                                              : TENURE_ALIGN_ANNIVERSARY;
      rent->days_rule = rent->basis == TENURE_BASIS_PER_M2_DAY
                        ? (g_rand_boolean (rand) ? TENURE_DAYS_AVG_365_12 : TENURE_DAYS_ACTUAL)
                        : (g_rand_boolean (rand) ? TENURE_DAYS_FIXED_30 : TENURE_DAYS_ACTUAL);
      if (g_rand_boolean (rand))
        {
          TenureDate rf_end = start + g_rand_int_range (rand, 0, 120);
          TenureDateRange rf = { start, MIN (end, rf_end) };
          g_array_append_val (rent->rent_free, rf);
        }
      g_ptr_array_add (v->clauses, rent);
      g_ptr_array_add (v->clauses, tenure_clause_new ("PROPERTY_FEE",
                                                      TENURE_BASIS_PER_M2_MONTH));
      ((TenureClause *) g_ptr_array_index (v->clauses, 1))->price_e4 = 350000;
      context.rounding = TENURE_ROUND_DEFAULT;

      /* Sometimes a change of rent from a later day, sometimes an early termination. */
      if (end > start && g_rand_int_range (rand, 0, 3) == 0)
        {
          TenureContractVersion *v2 = tenure_contract_version_copy (v);
          TenureClause *r2 = g_ptr_array_index (v2->clauses, 0);

          v2->version_no = 2;
          v2->effective_from = start + g_rand_int_range (rand, 1, end - start + 1);
          r2->price_e4 = g_rand_int_range (rand, 1, 5000000);
          r2->amount = g_rand_int_range (rand, 1, 100000000);
          g_ptr_array_add (c->versions, v2);
        }
      if (end > start && g_rand_int_range (rand, 0, 3) == 0)
        {
          c->status = TENURE_CONTRACT_TERMINATED;
          c->termination_type = TENURE_TERMINATION_EARLY_AGREEMENT;
          c->terminated_on = start + g_rand_int_range (rand, 0, end - start);
        }

      plan = tenure_plan_generate (c, &context, &error);
      g_assert_no_error (error);
      /* The oracle of the total: the plan's rent lines, net, summed here. */
      for (guint i = 0; i < plan->len; i++)
        {
          TenureReceivableLine *line = g_ptr_array_index (plan, i);

          if (g_strcmp0 (line->charge_item, "RENT") == 0 && line->kind == TENURE_LINE_NORMAL)
            plan_net += line->amount - line->tax;
        }
      sl = tenure_straight_line_for_contract (c, &context, NULL, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < sl->months->len; i++)
        sum += month_at (sl, i)->revenue;
      g_assert_cmpint (sum, ==, plan_net);
      g_assert_cmpint (sl->total_revenue, ==, plan_net);
      g_assert_cmpint (sl->total_billed, ==, plan_net);
      g_assert_cmpint (month_at (sl, sl->months->len - 1)->deferred, ==, 0);
      g_assert_cmpint (sl->first_day, ==, start);
      g_assert_cmpint (sl->last_day, ==, tenure_contract_last_day (c));
    }
  g_rand_free (rand);
}

/* Runs tenure-cli with ARGS; returns its exit status. */
static int
run_cli (const char * const *args,
         char              **out,
         char              **err)
{
  g_autofree char *exe = g_build_filename (g_getenv ("TENURE_BUILD_ROOT"), "src", "cli",
                                           "tenure-cli", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, exe);
  for (; *args != NULL; args++)
    g_ptr_array_add (argv, (char *) *args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* ---- stored contracts --------------------------------------------------------------------- */

static void
db_exec (TenureDb   *db,
         const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tenure_db_exec (db, sql, &error));
  g_assert_no_error (error);
}

static void
test_stored (void)
{
  g_autofree char *location = tenure_test_db_new_location (backend);
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(TenureContract) c = NULL;
  g_autoptr(TenureStraightLine) sl = NULL;
  g_autoptr(GError) error = NULL;
  TenureContractVersion *v;
  TenureClause *rent;
  TenureDateRange free_months = { D (2026, 1, 1), D (2026, 2, 28) };

  if (location == NULL)
    return;
  db = tenure_db_open (location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  db_exec (db, "INSERT INTO legal_entity (code, name) VALUES ('LE', 'Entity')");
  db_exec (db, "INSERT INTO project (code, legal_entity_id, name, format) "
               "SELECT 'P1', id, 'Mall', 'mall' FROM legal_entity");
  db_exec (db, "INSERT INTO building (code, project_id, name) SELECT 'P1-A', id, 'A' "
               "FROM project");
  db_exec (db, "INSERT INTO floor (code, building_id, name) SELECT 'P1-A-1', id, '1F' "
               "FROM building");
  db_exec (db, "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c) "
               "SELECT 'P1-A-1-101', id, '101', 'mall', 10000, 10000 FROM floor");
  db_exec (db, "INSERT INTO tenant (code, name) VALUES ('T1', 'Tenant')");

  c = make_contract ("SL-DB", D (2026, 1, 1), D (2026, 12, 31));
  v = g_ptr_array_index (c->versions, 0);
  rent = tenure_clause_new ("RENT", TENURE_BASIS_FIXED_MONTH);
  rent->amount = 1090000;
  g_array_append_val (rent->rent_free, free_months);
  g_ptr_array_add (v->clauses, rent);
  g_assert_true (tenure_contract_store_save (db, c, &error));
  g_assert_no_error (error);

  /* Nothing billed yet: all revenue is accrued. */
  sl = tenure_straight_line_for_stored (db, "SL-DB", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sl->total_revenue, ==, 10000000);
  g_assert_cmpint (sl->total_billed, ==, 0);
  g_assert_cmpint (month_at (sl, 3)->deferred, ==, month_at (sl, 3)->cumulative_revenue);
  g_clear_pointer (&sl, tenure_straight_line_free);

  /* March billed (10,900.00 gross, 900.00 tax). */
  db_exec (db, "INSERT INTO bill (code, contract_id, tenant_id, period_start, period_end, "
               "due_date, posting_date, total, tax) SELECT 'B-3', c.id, c.tenant_id, "
               "'2026-03-01', '2026-03-31', '2026-03-01', '2026-03-01', 1090000, 90000 "
               "FROM contract c WHERE c.code = 'SL-DB'");
  db_exec (db, "INSERT INTO receivable_line (contract_id, contract_version_id, clause_id, "
               "charge_item_id, period_start, period_end, due_date, amount, tax, status, "
               "bill_id) SELECT b.contract_id, cl.contract_version_id, cl.id, "
               "cl.charge_item_id, '2026-03-01', '2026-03-31', '2026-03-01', 1090000, 90000, "
               "'billed', b.id FROM bill b, clause cl WHERE b.code = 'B-3'");
  db_exec (db, "INSERT INTO bill_line (bill_id, receivable_line_id, charge_item_id, "
               "period_start, period_end, due_date, amount, tax) SELECT bill_id, id, "
               "charge_item_id, period_start, period_end, due_date, amount, tax "
               "FROM receivable_line");
  sl = tenure_straight_line_for_stored (db, "SL-DB", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sl->total_billed, ==, 1000000);
  g_assert_cmpint (month_at (sl, 2)->billed, ==, 1000000);
  g_assert_cmpint (month_at (sl, 2)->deferred, ==, 849315 + 767123 + 849315 - 1000000);
  g_clear_pointer (&sl, tenure_straight_line_free);

  g_assert_null (tenure_straight_line_for_stored (db, "NOPE", NULL, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);

  /* The same through tenure-cli. */
  if (g_getenv ("TENURE_BUILD_ROOT") != NULL)
    {
      g_autofree char *out = NULL, *err = NULL;
      g_auto(GStrv) rows = NULL;
      const char *args[] = { "straight-line", "SL-DB", "--db", location, NULL };
      const char *missing[] = { "straight-line", "NOPE", "--db", location, NULL };
      const char *usage[] = { "straight-line", "--db", location, NULL };

      g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
      rows = g_strsplit (out, "\n", -1);
      g_assert_cmpuint (g_strv_length (rows), ==, 14);
      g_assert_cmpstr (rows[0], ==, "month,days,revenue,billed,cumulative_revenue,"
                                    "cumulative_billed,deferred");
      g_assert_cmpstr (rows[1], ==, "2026-01,31,8493.15,0.00,8493.15,0.00,8493.15");
      g_assert_cmpstr (rows[3], ==, "2026-03,31,8493.15,10000.00,24657.53,10000.00,14657.53");
      g_assert_cmpstr (rows[12], ==,
                       "2026-12,31,8493.15,0.00,100000.00,10000.00,90000.00");
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (run_cli (missing, &out, &err), ==, 4);
      g_assert_nonnull (strstr (err, "NOPE"));
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (run_cli (usage, &out, &err), ==, 2);
    }

  g_clear_object (&db);
  tenure_test_db_drop_location (backend, location);
}

int
main (int argc, char **argv)
{
  backend = tenure_test_backend_from_args (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/straight-line/worked-example", test_worked_example);
  g_test_add_func ("/straight-line/modification", test_modification);
  g_test_add_func ("/straight-line/property/oracle", test_property_oracle);
  g_test_add_func ("/straight-line/contract/worked-example", test_contract_worked_example);
  g_test_add_func ("/straight-line/contract/modification", test_contract_modification);
  g_test_add_func ("/straight-line/contract/termination", test_contract_termination);
  g_test_add_func ("/straight-line/contract/cpi", test_contract_cpi);
  g_test_add_func ("/straight-line/contract/property", test_contract_property);
  g_test_add_func ("/straight-line/stored", test_stored);
  return g_test_run ();
}
