/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-plan"

/* The worked examples of domain.md §5 to the fen, and the VAT of example 1. */

#include <string.h>

#include "base/tenure-error.h"
#include "leasing/tenure-plan.h"

#define D(y, m, d) tenure_date_from_ymd (y, m, d)

static TenureContract *
contract_new (const char *code, TenureDate start, TenureDate end, gint64 area_c)
{
  TenureContract *contract = tenure_contract_new ();
  TenureContractVersion *version = tenure_contract_version_new ();

  contract->code = g_strdup (code);
  contract->start_date = start;
  contract->end_date = end;
  version->effective_from = start;
  version->status = TENURE_VERSION_APPROVED;
  g_ptr_array_add (version->units, tenure_contract_unit_new ("U-1", area_c));
  g_ptr_array_add (contract->versions, version);
  return contract;
}

static TenureClause *
add_clause (TenureContract *contract, TenureClause *clause)
{
  TenureContractVersion *version = contract->versions->pdata[0];

  g_ptr_array_add (version->clauses, clause);
  return clause;
}

static const TenureReceivableLine *
find_line (GPtrArray *lines, const char *item, TenureLineKind kind, TenureDate period_start)
{
  for (guint i = 0; i < lines->len; i++)
    {
      const TenureReceivableLine *line = lines->pdata[i];

      if (strcmp (line->charge_item, item) == 0 && line->kind == kind
          && line->period_start == period_start)
        return line;
    }
  return NULL;
}

/* Example 1: office, 200.00 m², 5.0000/m²/day, AVG_365_12, quarterly in advance, anniversary,
 * 2026-01-01..2028-12-31, rent-free Q1 2026, +5 % each 1 January. */
static TenureContract *
example1 (void)
{
  TenureContract *contract = contract_new ("EX-1", D (2026, 1, 1), D (2028, 12, 31), 20000);
  TenureClause *rent = add_clause (contract, tenure_clause_new ("RENT", TENURE_BASIS_PER_M2_DAY));
  TenureDateRange free_q1 = { D (2026, 1, 1), D (2026, 3, 31) };

  rent->price_e4 = 50000;
  rent->days_rule = TENURE_DAYS_AVG_365_12;
  rent->cycle_months = 3;
  g_array_append_val (rent->rent_free, free_q1);
  rent->escalation.kind = TENURE_ESCALATION_PERCENT;
  rent->escalation.trigger = TENURE_ESCALATION_BY_DATE;
  rent->escalation.month = 1;
  rent->escalation.day = 1;
  rent->escalation.percent_ppm = 50000;
  return contract;
}

static void
test_example1 (void)
{
  g_autoptr (TenureContract) contract = example1 ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) lines = tenure_plan_generate (contract, NULL, &error);
  const TenureReceivableLine *line;
  static const struct { int y, m; gint64 amount, tax; } expected[] = {
    { 2026, 1, 0, 0 },
    { 2026, 4, 9125000, 753440 }, { 2026, 7, 9125000, 753440 }, { 2026, 10, 9125000, 753440 },
    { 2027, 1, 9581250, -1 }, { 2027, 4, 9581250, -1 }, { 2027, 7, 9581250, -1 },
    { 2027, 10, 9581250, -1 },
    { 2028, 1, 10060313, -1 }, { 2028, 4, 10060313, -1 }, { 2028, 7, 10060313, -1 },
    { 2028, 10, 10060313, -1 },
  };

  g_assert_no_error (error);
  g_assert_nonnull (lines);
  g_assert_cmpuint (lines->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      TenureDate start = D (expected[i].y, expected[i].m, 1);

      line = lines->pdata[i];
      g_assert_cmpstr (line->charge_item, ==, "RENT");
      g_assert_cmpint (line->period_start, ==, start);
      g_assert_cmpint (line->period_end, ==, tenure_date_add_months (start, 3) - 1);
      g_assert_cmpint (line->due_date, ==, start);
      g_assert_cmpint (line->amount, ==, expected[i].amount);
      if (expected[i].tax >= 0)
        g_assert_cmpint (line->tax, ==, expected[i].tax);
      g_assert_cmpint (line->trace->vat_rate_ppm, ==, 90000);
      g_assert_cmpint (line->trace->rounded, ==, line->amount);
    }

  /* Q1 2026 stays visible with its rent-free segments at 0. */
  line = lines->pdata[0];
  g_assert_cmpuint (line->trace->segments->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      const TenureTraceSegment *seg = line->trace->segments->pdata[i];

      g_assert_true (seg->rent_free);
      g_assert_cmpint (tenure_exact_sign (seg->value), ==, 0);
      g_assert_cmpint (seg->price_e4, ==, 50000);
    }

  /* A full month is 5 × 200 × 365/12 = 30,416.666…: the segment's exact value. */
  line = lines->pdata[1];
  {
    const TenureTraceSegment *seg = line->trace->segments->pdata[0];
    gint64 month;

    g_assert_true (tenure_exact_round (seg->value, TENURE_ROUND_DEFAULT, &month, NULL));
    g_assert_cmpint (month, ==, 3041667);
    g_assert_cmpint (tenure_exact_cmp (seg->quantity, tenure_exact_frac (365, 12)), ==, 0);
  }
  /* The 2027 price is 5.2500 and the 2028 price 5.5125. */
  line = lines->pdata[4];
  g_assert_cmpint (((TenureTraceSegment *) line->trace->segments->pdata[0])->price_e4, ==,
                   52500);
  line = lines->pdata[8];
  g_assert_cmpint (((TenureTraceSegment *) line->trace->segments->pdata[0])->price_e4, ==,
                   55125);
}

static void
test_example1_vat (void)
{
  gint64 tax = 0, net = 0;

  /* VAT 9 % inside 91,250.00 gross: through the plan's own line as well. */
  g_assert_true (tenure_exact_vat_inclusive (9125000, 90000, TENURE_ROUND_DEFAULT, &tax, &net,
                                             NULL));
  g_assert_cmpint (tax, ==, 753440);
  g_assert_cmpint (net, ==, 8371560);
}

static gboolean
vat_lookup_5 (const char *charge_item, TenureDate on, gint64 *rate_ppm, gpointer user_data)
{
  (void) on;
  (void) user_data;
  if (strcmp (charge_item, "RENT") != 0)
    return FALSE;
  *rate_ppm = 50000;
  return TRUE;
}

static void
test_vat_lookup (void)
{
  g_autoptr (TenureContract) contract = example1 ();
  TenurePlanContext ctx = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) lines = NULL;
  TenureClause *fee;

  ctx.vat = vat_lookup_5;
  lines = tenure_plan_generate (contract, &ctx, &error);
  g_assert_no_error (error);
  /* 91,250.00 × 0.05 / 1.05 = 4,345.238… → 4,345.24 */
  g_assert_cmpint (((TenureReceivableLine *) lines->pdata[1])->tax, ==, 434524);
  g_clear_pointer (&lines, g_ptr_array_unref);

  /* A charge item the lookup does not know: refused, naming it and the contract. */
  fee = add_clause (contract, tenure_clause_new ("SIGNAGE", TENURE_BASIS_FIXED_MONTH));
  fee->amount = 100000;
  lines = tenure_plan_generate (contract, &ctx, &error);
  g_assert_null (lines);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "SIGNAGE"));
  g_assert_nonnull (strstr (error->message, "EX-1"));
}

/* Example 2: shop, 85.50 m², 320.0000/m²/month, monthly, calendar, 2026-03-10..2027-03-09. */
static GPtrArray *
example2 (TenureDaysRule rule)
{
  g_autoptr (TenureContract) contract = contract_new ("EX-2", D (2026, 3, 10), D (2027, 3, 9),
                                                      8550);
  TenureClause *rent = add_clause (contract,
                                   tenure_clause_new ("RENT", TENURE_BASIS_PER_M2_MONTH));
  g_autoptr (GError) error = NULL;
  GPtrArray *lines;

  rent->price_e4 = 3200000;
  rent->alignment = TENURE_ALIGN_CALENDAR;
  rent->days_rule = rule;
  lines = tenure_plan_generate (contract, NULL, &error);
  g_assert_no_error (error);
  return lines;
}

static void
test_example2 (void)
{
  g_autoptr (GPtrArray) actual = example2 (TENURE_DAYS_ACTUAL);
  g_autoptr (GPtrArray) fixed30 = example2 (TENURE_DAYS_FIXED_30);
  const TenureReceivableLine *first, *last;

  g_assert_cmpuint (actual->len, ==, 13);
  first = actual->pdata[0];
  last = actual->pdata[12];
  g_assert_cmpint (first->period_start, ==, D (2026, 3, 10));
  g_assert_cmpint (first->period_end, ==, D (2026, 3, 31));
  g_assert_cmpint (first->amount, ==, 1941677);
  for (guint i = 1; i < 12; i++)
    {
      const TenureReceivableLine *line = actual->pdata[i];

      g_assert_cmpint (line->period_start, ==, D (2026 + (2 + i) / 12, (2 + i) % 12 + 1, 1));
      g_assert_cmpint (line->amount, ==, 2736000);
    }
  g_assert_cmpint (last->period_start, ==, D (2027, 3, 1));
  g_assert_cmpint (last->period_end, ==, D (2027, 3, 9));
  g_assert_cmpint (last->amount, ==, 794323);

  g_assert_cmpuint (fixed30->len, ==, 13);
  g_assert_cmpint (((TenureReceivableLine *) fixed30->pdata[0])->amount, ==, 2006400);
  g_assert_cmpint (((TenureReceivableLine *) fixed30->pdata[5])->amount, ==, 2736000);
  /* 9 days under FIXED_30: 27,360 × 9/30 = 8,208.00 */
  g_assert_cmpint (((TenureReceivableLine *) fixed30->pdata[12])->amount, ==, 820800);
}

static gboolean
turnover_lookup (TenureDate start, TenureDate end, gint64 *amount, gpointer user_data)
{
  (void) end;
  (void) user_data;
  if (start == D (2026, 5, 1))
    *amount = 70000000;
  else if (start == D (2026, 6, 1))
    *amount = 50000000;
  else
    return FALSE;
  return TRUE;
}

static TenureContract *
example3 (void)
{
  TenureContract *contract = contract_new ("EX-3", D (2026, 5, 1), D (2027, 4, 30), 30000);
  TenureClause *rent = add_clause (contract, tenure_clause_new ("RENT", TENURE_BASIS_TURNOVER));
  TenureTurnoverTier tier = { 0, 80000 };

  rent->turnover = g_new0 (TenureTurnoverTerms, 1);
  rent->turnover->minimum = 5000000;
  rent->turnover->tiers = g_array_new (FALSE, FALSE, sizeof (TenureTurnoverTier));
  g_array_append_val (rent->turnover->tiers, tier);
  rent->turnover->breakpoint = -1;
  rent->turnover->period_months = 1;
  rent->turnover->due_days = 10;
  return contract;
}

static void
test_example3 (void)
{
  g_autoptr (TenureContract) contract = example3 ();
  TenurePlanContext ctx = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) lines = NULL;
  const TenureReceivableLine *line;
  TenureClause *rent = ((TenureContractVersion *) contract->versions->pdata[0])->clauses->pdata[0];
  gint64 bp = 0;

  ctx.turnover = turnover_lookup;
  lines = tenure_plan_generate (contract, &ctx, &error);
  g_assert_no_error (error);
  /* Twelve minimum lines in advance and two top-ups (May, June) in arrears. */
  g_assert_cmpuint (lines->len, ==, 14);

  line = find_line (lines, "RENT", TENURE_LINE_NORMAL, D (2026, 5, 1));
  g_assert_nonnull (line);
  g_assert_cmpint (line->amount, ==, 5000000);
  g_assert_cmpint (line->due_date, ==, D (2026, 5, 1));
  line = find_line (lines, "RENT", TENURE_LINE_TOPUP, D (2026, 5, 1));
  g_assert_nonnull (line);
  g_assert_cmpint (line->amount, ==, 600000);
  g_assert_cmpint (line->due_date, ==, D (2026, 6, 10));
  g_assert_cmpint (line->period_end, ==, D (2026, 5, 31));
  /* 56,000.00 due in all: minimum + top-up. */
  g_assert_cmpint (line->amount
                   + find_line (lines, "RENT", TENURE_LINE_NORMAL, D (2026, 5, 1))->amount,
                   ==, 5600000);
  line = find_line (lines, "RENT", TENURE_LINE_TOPUP, D (2026, 6, 1));
  g_assert_nonnull (line);
  g_assert_cmpint (line->amount, ==, 0);
  g_assert_null (find_line (lines, "RENT", TENURE_LINE_TOPUP, D (2026, 7, 1)));

  g_assert_true (tenure_turnover_breakpoint (rent->turnover, &bp, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bp, ==, 62500000);

  /* An artificial breakpoint of 600,000.00: minimum + (700,000 − 600,000) × 8 % = 8,000.00. */
  rent->turnover->breakpoint = 60000000;
  g_clear_pointer (&lines, g_ptr_array_unref);
  lines = tenure_plan_generate (contract, &ctx, &error);
  g_assert_no_error (error);
  g_assert_cmpint (find_line (lines, "RENT", TENURE_LINE_TOPUP, D (2026, 5, 1))->amount, ==,
                   800000);
  g_assert_true (tenure_turnover_breakpoint (rent->turnover, &bp, NULL));
  g_assert_cmpint (bp, ==, 60000000);

  /* May 1–10 rent-free: the minimum is 50,000 × 21/31 = 33,870.97; the turnover rent of
   * 56,000 is owed for 21 of 31 days: 37,935.48…; top-up 37,935.483… − 33,870.967… = 4,064.52
   * (the natural breakpoint again). */
  rent->turnover->breakpoint = -1;
  {
    TenureDateRange free_days = { D (2026, 5, 1), D (2026, 5, 10) };

    g_array_append_val (rent->rent_free, free_days);
  }
  g_clear_pointer (&lines, g_ptr_array_unref);
  lines = tenure_plan_generate (contract, &ctx, &error);
  g_assert_no_error (error);
  g_assert_cmpint (find_line (lines, "RENT", TENURE_LINE_NORMAL, D (2026, 5, 1))->amount, ==,
                   3387097);
  g_assert_cmpint (find_line (lines, "RENT", TENURE_LINE_TOPUP, D (2026, 5, 1))->amount, ==,
                   406452);
}

static void
test_turnover_tiers (void)
{
  TenureTurnoverTerms terms = { 0 };
  TenureTurnoverTier tiers[] = { { 0, 50000 }, { 50000000, 80000 }, { 100000000, 100000 } };
  gint64 rent = 0, bp = 0;

  terms.tiers = g_array_new (FALSE, FALSE, sizeof (TenureTurnoverTier));
  g_array_append_vals (terms.tiers, tiers, G_N_ELEMENTS (tiers));
  terms.breakpoint = -1;
  terms.minimum = 4000000;
  /* 1,200,000: 500,000 × 5 % + 500,000 × 8 % + 200,000 × 10 % = 25,000 + 40,000 + 20,000 */
  g_assert_true (tenure_exact_round (tenure_turnover_rent (&terms, 120000000),
                                     TENURE_ROUND_DEFAULT, &rent, NULL));
  g_assert_cmpint (rent, ==, 8500000);
  /* 40,000 minimum: 25,000 in the first band, 15,000 / 8 % = 187,500 into the second. */
  g_assert_true (tenure_turnover_breakpoint (&terms, &bp, NULL));
  g_assert_cmpint (bp, ==, 68750000);
  g_array_unref (terms.tiers);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plan/example1/quarters", test_example1);
  g_test_add_func ("/plan/example1/vat", test_example1_vat);
  g_test_add_func ("/plan/vat/lookup", test_vat_lookup);
  g_test_add_func ("/plan/example2/partial-months", test_example2);
  g_test_add_func ("/plan/example3/turnover", test_example3);
  g_test_add_func ("/plan/turnover/tiers", test_turnover_tiers);
  return g_test_run ();
}
