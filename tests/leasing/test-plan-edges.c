/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-plan-edges"

/* Edge cases of the plan engine, each amount worked out by hand in the comment beside it:
 * 29 February, month ends with anniversary periods, one-day leases, rent-free periods, price
 * changes on and inside period boundaries, termination, calendar alignment, versions, CPI,
 * due dates, one-off charges and refused input. */

#include <string.h>

#include "base/tenure-error.h"
#include "leasing/tenure-plan.h"

#define D(y, m, d) tenure_date_from_ymd (y, m, d)

static TenureContract *
lease (TenureDate start, TenureDate end, gint64 area_c)
{
  TenureContract *contract = tenure_contract_new ();
  TenureContractVersion *version = tenure_contract_version_new ();

  contract->code = g_strdup ("EDGE-1");
  contract->start_date = start;
  contract->end_date = end;
  version->effective_from = start;
  version->status = TENURE_VERSION_APPROVED;
  g_ptr_array_add (version->units, tenure_contract_unit_new ("U-1", area_c));
  g_ptr_array_add (contract->versions, version);
  return contract;
}

static TenureClause *
add (TenureContract *contract, const char *item, TenureBasis basis)
{
  TenureContractVersion *version = contract->versions->pdata[0];
  TenureClause *clause = tenure_clause_new (item, basis);

  g_ptr_array_add (version->clauses, clause);
  return clause;
}

static GPtrArray *
plan_ok (const TenureContract *contract, const TenurePlanContext *ctx)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *lines = tenure_plan_generate (contract, ctx, &error);

  g_assert_no_error (error);
  g_assert_nonnull (lines);
  return lines;
}

static const TenureReceivableLine *
L (GPtrArray *lines, guint i)
{
  g_assert_cmpuint (i, <, lines->len);
  return lines->pdata[i];
}

static void
test_start_feb29 (void)
{
  /* 2024-02-29 to 2025-02-27, 100.0000/m²/month on 100.00 m², monthly anniversary: periods
   * start on the 29th (28 February in 2025, clamped from the start, never chained); every
   * period is a full month of 10,000.00. */
  g_autoptr (TenureContract) contract = lease (D (2024, 2, 29), D (2025, 2, 27), 10000);
  TenureClause *rent = add (contract, "RENT", TENURE_BASIS_PER_M2_MONTH);
  g_autoptr (GPtrArray) lines = NULL;

  rent->price_e4 = 1000000;
  lines = plan_ok (contract, NULL);
  g_assert_cmpuint (lines->len, ==, 12);
  g_assert_cmpint (L (lines, 0)->period_start, ==, D (2024, 2, 29));
  g_assert_cmpint (L (lines, 0)->period_end, ==, D (2024, 3, 28));
  g_assert_cmpint (L (lines, 1)->period_start, ==, D (2024, 3, 29));
  g_assert_cmpint (L (lines, 11)->period_start, ==, D (2025, 1, 29));
  g_assert_cmpint (L (lines, 11)->period_end, ==, D (2025, 2, 27));
  for (guint i = 0; i < lines->len; i++)
    g_assert_cmpint (L (lines, i)->amount, ==, 1000000);

  /* Per day, ACTUAL: the first period 02-29..03-28 has 29 days: 1.0000 × 100 × 29 = 2,900.00. */
  rent->basis = TENURE_BASIS_PER_M2_DAY;
  rent->price_e4 = 10000;
  g_clear_pointer (&lines, g_ptr_array_unref);
  lines = plan_ok (contract, NULL);
  g_assert_cmpint (L (lines, 0)->amount, ==, 290000);
  /* 2025-01-29..2025-02-27: 30 days. */
  g_assert_cmpint (L (lines, 11)->amount, ==, 300000);
}

static void
test_end_feb29 (void)
{
  /* 2023-03-01 to 2024-02-29, calendar months: February 2024 is a full month of 29 days. */
  g_autoptr (TenureContract) contract = lease (D (2023, 3, 1), D (2024, 2, 29), 10000);
  TenureClause *rent = add (contract, "RENT", TENURE_BASIS_PER_M2_MONTH);
  g_autoptr (GPtrArray) lines = NULL;

  rent->price_e4 = 1000000;
  rent->alignment = TENURE_ALIGN_CALENDAR;
  rent->days_rule = TENURE_DAYS_FIXED_30;
  lines = plan_ok (contract, NULL);
  g_assert_cmpuint (lines->len, ==, 12);
  g_assert_cmpint (L (lines, 11)->period_start, ==, D (2024, 2, 1));
  g_assert_cmpint (L (lines, 11)->period_end, ==, D (2024, 2, 29));
  g_assert_cmpint (L (lines, 11)->amount, ==, 1000000);
}

static void
test_start_31st_quarters (void)
{
  /* From 2026-08-31, quarterly anniversary: quarters start 30 November, 28 February, 31 May
   * (domain.md §5); each is three full months of a fixed 10,000.00. */
  g_autoptr (TenureContract) contract = lease (D (2026, 8, 31), D (2027, 8, 30), 10000);
  TenureClause *rent = add (contract, "RENT", TENURE_BASIS_FIXED_MONTH);
  g_autoptr (GPtrArray) lines = NULL;
  static const int starts[4][3] = {
    { 2026, 8, 31 }, { 2026, 11, 30 }, { 2027, 2, 28 }, { 2027, 5, 31 },
  };

  rent->amount = 1000000;
  rent->cycle_months = 3;
  lines = plan_ok (contract, NULL);
  g_assert_cmpuint (lines->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_assert_cmpint (L (lines, i)->period_start, ==,
                       D (starts[i][0], starts[i][1], starts[i][2]));
      g_assert_cmpint (L (lines, i)->amount, ==, 3000000);
    }
  g_assert_cmpint (L (lines, 0)->period_end, ==, D (2026, 11, 29));
  g_assert_cmpint (L (lines, 3)->period_end, ==, D (2027, 8, 30));
}

static void
test_one_day (void)
{
  g_autoptr (TenureContract) contract = lease (D (2026, 3, 15), D (2026, 3, 15), 10000);
  TenureClause *rent = add (contract, "RENT", TENURE_BASIS_PER_M2_DAY);
  TenureClause *fee = add (contract, "PROPERTY_FEE", TENURE_BASIS_PER_M2_MONTH);
  g_autoptr (GPtrArray) lines = NULL;

  /* 5.0000 × 100.00 m² × 1 day = 500.00; a fee of 30.0000/m²/month on 100 m² for 1 of 31
   * days: 3,000 / 31 = 96.774… → 96.77, VAT 6 %: 96.77 × 0.06 / 1.06 = 5.477… → 5.48. */
  rent->price_e4 = 50000;
  rent->days_rule = TENURE_DAYS_AVG_365_12;
  fee->price_e4 = 300000;
  lines = plan_ok (contract, NULL);
  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_cmpstr (L (lines, 0)->charge_item, ==, "PROPERTY_FEE");
  g_assert_cmpint (L (lines, 0)->amount, ==, 9677);
  g_assert_cmpint (L (lines, 0)->tax, ==, 548);
  g_assert_cmpint (L (lines, 1)->amount, ==, 50000);
  g_assert_cmpint (L (lines, 1)->period_start, ==, D (2026, 3, 15));
  g_assert_cmpint (L (lines, 1)->period_end, ==, D (2026, 3, 15));

  /* In yen (no minor unit), 500 per day is 500 minor units, not 50,000. */
  g_free (contract->currency);
  contract->currency = g_strdup ("JPY");
  g_clear_pointer (&lines, g_ptr_array_unref);
  lines = plan_ok (contract, NULL);
  g_assert_cmpint (L (lines, 1)->amount, ==, 500);
  g_assert_cmpstr (L (lines, 1)->currency, ==, "JPY");
  g_free (contract->currency);
  contract->currency = g_strdup ("CNY");

  /* FIXED_30: 3,000 × 1/30 = 100.00. */
  fee->days_rule = TENURE_DAYS_FIXED_30;
  g_clear_pointer (&lines, g_ptr_array_unref);
  lines = plan_ok (contract, NULL);
  g_assert_cmpint (L (lines, 0)->amount, ==, 10000);
}

static void
test_rent_free_whole_period (void)
{
  g_autoptr (TenureContract) contract = lease (D (2026, 1, 1), D (2026, 12, 31), 10000);
  TenureClause *rent = add (contract, "RENT", TENURE_BASIS_FIXED_MONTH);
  TenureDateRange april = { D (2026, 4, 1), D (2026, 4, 30) };
  TenureDateRange part = { D (2026, 6, 21), D (2026, 7, 10) };
  g_autoptr (GPtrArray) lines = NULL;
  const TenureTraceSegment *seg;

  rent->amount = 1000000;
  g_array_append_val (rent->rent_free, april);
  g_array_append_val (rent->rent_free, part);
  lines = plan_ok (contract, NULL);
  g_assert_cmpuint (lines->len, ==, 12);
  /* April stays in the plan at 0 with its rent-free segment. */
  g_assert_cmpint (L (lines, 3)->amount, ==, 0);
  g_assert_cmpint (L (lines, 3)->tax, ==, 0);
  g_assert_cmpuint (L (lines, 3)->trace->segments->len, ==, 1);
  seg = L (lines, 3)->trace->segments->pdata[0];
  g_assert_true (seg->rent_free);
  g_assert_cmpint (seg->from, ==, D (2026, 4, 1));
  g_assert_cmpint (seg->to, ==, D (2026, 4, 30));
  /* June: 20 of 30 days paid: 6,666.666… → 6,666.67; July: 21 of 31: 6,774.19. */
  g_assert_cmpint (L (lines, 5)->amount, ==, 666667);
  g_assert_cmpuint (L (lines, 5)->trace->segments->len, ==, 2);
  g_assert_cmpint (L (lines, 6)->amount, ==, 677419);
}

static void
test_price_change_boundaries (void)
{
  g_autoptr (TenureContract) contract = lease (D (2026, 1, 1), D (2026, 12, 31), 10000);
  TenureClause *rent = add (contract, "RENT", TENURE_BASIS_PER_M2_MONTH);
  TenurePriceStep step = { D (2026, 7, 1), 1200000 };
  g_autoptr (GPtrArray) lines = NULL;

  /* 100.0000 → 120.0000 from 1 July, on a period boundary: June 10,000.00, July 12,000.00. */
  rent->price_e4 = 1000000;
  rent->escalation.kind = TENURE_ESCALATION_TABLE;
  rent->escalation.table = g_array_new (FALSE, FALSE, sizeof (TenurePriceStep));
  g_array_append_val (rent->escalation.table, step);
  lines = plan_ok (contract, NULL);
  g_assert_cmpint (L (lines, 5)->amount, ==, 1000000);
  g_assert_cmpint (L (lines, 6)->amount, ==, 1200000);
  g_assert_cmpuint (L (lines, 6)->trace->segments->len, ==, 1);

  /* From 16 July, inside a quarter: Q3 = 10,000 × 15/31 + 12,000 × 16/31 + 24,000
   * = 35,032.258… → 35,032.26, one line rounded once over four segments. */
  g_array_index (rent->escalation.table, TenurePriceStep, 0).from = D (2026, 7, 16);
  rent->cycle_months = 3;
  g_clear_pointer (&lines, g_ptr_array_unref);
  lines = plan_ok (contract, NULL);
  g_assert_cmpuint (lines->len, ==, 4);
  g_assert_cmpint (L (lines, 2)->amount, ==, 3503226);
  g_assert_cmpuint (L (lines, 2)->trace->segments->len, ==, 4);
  g_assert_cmpint (((TenureTraceSegment *) L (lines, 2)->trace->segments->pdata[1])->from, ==,
                   D (2026, 7, 16));
  g_assert_cmpint (((TenureTraceSegment *) L (lines, 2)->trace->segments->pdata[1])->price_e4,
                   ==, 1200000);
}

static void
test_escalation_mid_period (void)
{
  /* Quarters from 15 February; +10 % each 1 January. The quarter 2026-11-15..2027-02-14 has
   * anniversary months 11-15..12-14, 12-15..01-14 (31 days, split on 1 January: 17 days at
   * 10,000, 14 at 11,000) and 01-15..02-14:
   * 10,000 + (170,000 + 154,000)/31 + 11,000 = 31,451.6129… → 31,451.61. */
  g_autoptr (TenureContract) contract = lease (D (2026, 2, 15), D (2028, 2, 14), 10000);
  TenureClause *rent = add (contract, "RENT", TENURE_BASIS_PER_M2_MONTH);
  g_autoptr (GPtrArray) lines = NULL;

  rent->price_e4 = 1000000;
  rent->cycle_months = 3;
  rent->escalation.kind = TENURE_ESCALATION_PERCENT;
  rent->escalation.trigger = TENURE_ESCALATION_BY_DATE;
  rent->escalation.month = 1;
  rent->escalation.day = 1;
  rent->escalation.percent_ppm = 100000;
  lines = plan_ok (contract, NULL);
  g_assert_cmpuint (lines->len, ==, 8);
  g_assert_cmpint (L (lines, 3)->period_start, ==, D (2026, 11, 15));
  g_assert_cmpint (L (lines, 3)->amount, ==, 3145161);
  g_assert_cmpuint (L (lines, 3)->trace->segments->len, ==, 4);
  g_assert_cmpint (L (lines, 4)->amount, ==, 3300000);
  /* 2027-11-15..2028-02-14 crosses 1 January 2028: 12,100 from then. */
  /* 11,000 + (187,000 + 169,400)/31 + 12,100 = 34,596.774… → 34,596.77 */
  g_assert_cmpint (L (lines, 7)->amount, ==, 3459677);

  /* By lease year, the review falls on a period boundary (15 February): no split. */
  rent->escalation.trigger = TENURE_ESCALATION_BY_LEASE_YEAR;
  g_clear_pointer (&lines, g_ptr_array_unref);
  lines = plan_ok (contract, NULL);
  g_assert_cmpint (L (lines, 3)->amount, ==, 3000000);
  g_assert_cmpint (L (lines, 4)->amount, ==, 3300000);
  g_assert_cmpuint (L (lines, 4)->trace->segments->len, ==, 3);
}

static void
test_termination_mid_period (void)
{
  /* Quarterly 10,000.00 a month, terminated 2026-05-15: Q1 30,000.00, then April and 15 of
   * 31 days of May: 10,000 + 4,838.709… = 14,838.71; nothing after. */
  g_autoptr (TenureContract) contract = lease (D (2026, 1, 1), D (2026, 12, 31), 10000);
  TenureClause *rent = add (contract, "RENT", TENURE_BASIS_FIXED_MONTH);
  g_autoptr (GPtrArray) lines = NULL;

  rent->amount = 1000000;
  rent->cycle_months = 3;
  contract->terminated_on = D (2026, 5, 15);
  contract->termination_type = TENURE_TERMINATION_EARLY_AGREEMENT;
  lines = plan_ok (contract, NULL);
  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_cmpint (L (lines, 0)->amount, ==, 3000000);
  g_assert_cmpint (L (lines, 1)->period_start, ==, D (2026, 4, 1));
  g_assert_cmpint (L (lines, 1)->period_end, ==, D (2026, 5, 15));
  g_assert_cmpint (L (lines, 1)->amount, ==, 1483871);
}

static void
test_calendar_partial (void)
{
  /* Calendar quarters over 2026-02-10..2027-02-09: the first quarter is 19/28 of February
   * and March (16,785.71), the last January and 9/28 of February (13,214.29). */
  g_autoptr (TenureContract) contract = lease (D (2026, 2, 10), D (2027, 2, 9), 10000);
  TenureClause *rent = add (contract, "RENT", TENURE_BASIS_FIXED_MONTH);
  g_autoptr (GPtrArray) lines = NULL;

  rent->amount = 1000000;
  rent->cycle_months = 3;
  rent->alignment = TENURE_ALIGN_CALENDAR;
  lines = plan_ok (contract, NULL);
  g_assert_cmpuint (lines->len, ==, 5);
  g_assert_cmpint (L (lines, 0)->period_start, ==, D (2026, 2, 10));
  g_assert_cmpint (L (lines, 0)->period_end, ==, D (2026, 3, 31));
  g_assert_cmpint (L (lines, 0)->amount, ==, 1678571);
  g_assert_cmpint (L (lines, 1)->period_start, ==, D (2026, 4, 1));
  g_assert_cmpint (L (lines, 1)->amount, ==, 3000000);
  g_assert_cmpint (L (lines, 4)->period_start, ==, D (2027, 1, 1));
  g_assert_cmpint (L (lines, 4)->period_end, ==, D (2027, 2, 9));
  g_assert_cmpint (L (lines, 4)->amount, ==, 1321429);

  /* Half-years and a yearly cycle on the calendar. */
  rent->cycle_months = 6;
  g_clear_pointer (&lines, g_ptr_array_unref);
  lines = plan_ok (contract, NULL);
  g_assert_cmpuint (lines->len, ==, 3);
  g_assert_cmpint (L (lines, 1)->period_start, ==, D (2026, 7, 1));
  g_assert_cmpint (L (lines, 1)->amount, ==, 6000000);
  rent->cycle_months = 12;
  g_clear_pointer (&lines, g_ptr_array_unref);
  lines = plan_ok (contract, NULL);
  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_cmpint (L (lines, 0)->period_end, ==, D (2026, 12, 31));
}

static void
test_versions (void)
{
  /* 100.0000/m²/month, 100 m², +5 % each lease year; version 2 from 2026-03-16 takes 150 m².
   * March: 10,000 × 15/31 + 15,000 × 16/31 = 12,580.645… → 12,580.65 (segments of v1, v2). */
  g_autoptr (TenureContract) contract = lease (D (2026, 1, 1), D (2027, 12, 31), 10000);
  TenureClause *rent = add (contract, "RENT", TENURE_BASIS_PER_M2_MONTH);
  TenureContractVersion *v2;
  TenureClause *rent2;
  g_autoptr (GPtrArray) lines = NULL;
  const TenureTraceSegment *seg;

  rent->price_e4 = 1000000;
  rent->escalation.kind = TENURE_ESCALATION_PERCENT;
  rent->escalation.percent_ppm = 50000;
  v2 = tenure_contract_version_copy (contract->versions->pdata[0]);
  v2->version_no = 2;
  v2->effective_from = D (2026, 3, 16);
  ((TenureContractUnit *) v2->units->pdata[0])->area_c = 15000;
  g_ptr_array_add (contract->versions, v2);

  lines = plan_ok (contract, NULL);
  g_assert_cmpuint (lines->len, ==, 24);
  g_assert_cmpint (L (lines, 2)->amount, ==, 1258065);
  g_assert_cmpint (L (lines, 2)->version_no, ==, 1);
  g_assert_cmpuint (L (lines, 2)->trace->segments->len, ==, 2);
  seg = L (lines, 2)->trace->segments->pdata[1];
  g_assert_cmpint (seg->version_no, ==, 2);
  g_assert_cmpint (seg->from, ==, D (2026, 3, 16));
  g_assert_cmpint (seg->area_c, ==, 15000);
  g_assert_cmpint (L (lines, 3)->version_no, ==, 2);
  g_assert_cmpint (L (lines, 3)->amount, ==, 1500000);
  /* The unchanged clause keeps its escalation path: 105.0000 × 150 m² from 2027. */
  g_assert_cmpint (L (lines, 12)->amount, ==, 1575000);

  /* A draft version does not count while an approved one exists. */
  v2->status = TENURE_VERSION_DRAFT;
  g_clear_pointer (&lines, g_ptr_array_unref);
  lines = plan_ok (contract, NULL);
  g_assert_cmpint (L (lines, 3)->amount, ==, 1000000);
  v2->status = TENURE_VERSION_APPROVED;

  /* Version 2 changes the price to 200.0000 from 2026-07-01: the price holds from that day,
   * and the lease-year review still comes on 2027-01-01: 210.0000 × 150 = 31,500.00. */
  v2->effective_from = D (2026, 7, 1);
  rent2 = v2->clauses->pdata[0];
  rent2->price_e4 = 2000000;
  g_clear_pointer (&lines, g_ptr_array_unref);
  lines = plan_ok (contract, NULL);
  g_assert_cmpint (L (lines, 5)->amount, ==, 1000000);
  g_assert_cmpint (L (lines, 6)->amount, ==, 3000000);
  g_assert_cmpint (L (lines, 12)->amount, ==, 3150000);
}

typedef struct
{
  const char *series;
  int         missing_year, missing_month;
} CpiTable;

static gboolean
cpi_lookup (const char *series, int year, int month, gint64 *value_e4, gpointer user_data)
{
  const CpiTable *table = user_data;

  if (strcmp (series, table->series) != 0
      || (year == table->missing_year && month == table->missing_month))
    return FALSE;
  if (year == 2025 && month == 12)
    *value_e4 = 1000000;       /* 100.0000 */
  else if (year == 2026 && month == 12)
    *value_e4 = 1033333;       /* 103.3333 */
  else if (year == 2027 && month == 12)
    *value_e4 = 1020000;       /* 102.0000: below the base, the floor holds */
  else
    return FALSE;
  return TRUE;
}

static void
test_cpi (void)
{
  g_autoptr (TenureContract) contract = lease (D (2026, 1, 1), D (2028, 12, 31), 10000);
  TenureClause *rent = add (contract, "RENT", TENURE_BASIS_PER_M2_MONTH);
  CpiTable table = { "CN-CPI", 0, 0 };
  TenurePlanContext ctx = { 0 };
  g_autoptr (GPtrArray) lines = NULL;
  g_autoptr (GError) error = NULL;

  ctx.cpi = cpi_lookup;
  ctx.user_data = &table;
  rent->price_e4 = 1000000;
  rent->escalation.kind = TENURE_ESCALATION_CPI;
  rent->escalation.cpi_series = g_strdup ("CN-CPI");

  /* 2027: 100 × 103.3333/100 = 103.3333; 2028: 102/103.3333 < 1, floor 0 %: unchanged. */
  lines = plan_ok (contract, &ctx);
  g_assert_cmpint (L (lines, 11)->amount, ==, 1000000);
  g_assert_cmpint (L (lines, 12)->amount, ==, 1033333);
  g_assert_cmpint (((TenureTraceSegment *) L (lines, 12)->trace->segments->pdata[0])->price_e4,
                   ==, 1033333);
  g_assert_cmpint (L (lines, 24)->amount, ==, 1033333);

  /* Capped at 2.5 %: 102.5000. */
  rent->escalation.cap_ppm = 25000;
  g_clear_pointer (&lines, g_ptr_array_unref);
  lines = plan_ok (contract, &ctx);
  g_assert_cmpint (L (lines, 12)->amount, ==, 1025000);
  g_assert_cmpint (L (lines, 24)->amount, ==, 1025000);

  /* A missing month: refused, naming the series and the month. */
  table.missing_year = 2027;
  table.missing_month = 12;
  g_clear_pointer (&lines, g_ptr_array_unref);
  lines = tenure_plan_generate (contract, &ctx, &error);
  g_assert_null (lines);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "CN-CPI"));
  g_assert_nonnull (strstr (error->message, "2027-12"));
  g_assert_nonnull (strstr (error->message, "EDGE-1"));

  /* Until known: the plan stops before the first period needing the unpublished index. */
  {
    TenureDate pending = D (2000, 1, 1);

    ctx.cpi_until_known = TRUE;
    ctx.cpi_pending_from = &pending;
    lines = plan_ok (contract, &ctx);
    g_assert_cmpuint (lines->len, ==, 24);
    g_assert_cmpint (L (lines, 23)->period_end, ==, D (2027, 12, 31));
    g_assert_cmpint (L (lines, 12)->amount, ==, 1025000);
    g_assert_cmpint (pending, ==, D (2028, 1, 1));
    g_clear_pointer (&lines, g_ptr_array_unref);

    /* Without the base index the first review cannot be made: the first lease year only. */
    table.missing_year = 2025;
    table.missing_month = 12;
    lines = plan_ok (contract, &ctx);
    g_assert_cmpuint (lines->len, ==, 12);
    g_assert_cmpint (pending, ==, D (2027, 1, 1));
    g_clear_pointer (&lines, g_ptr_array_unref);

    /* Everything published: a complete plan says so. */
    table.missing_year = 0;
    lines = plan_ok (contract, &ctx);
    g_assert_cmpuint (lines->len, ==, 36);
    g_assert_cmpint (pending, ==, TENURE_DATE_INVALID);
  }
}

static void
test_due_dates (void)
{
  g_autoptr (TenureContract) contract = lease (D (2026, 1, 1), D (2026, 12, 31), 10000);
  TenureClause *rent = add (contract, "RENT", TENURE_BASIS_FIXED_MONTH);
  TenureClause *energy = add (contract, "PARKING", TENURE_BASIS_FIXED_PERIOD);
  TenureClause *deposit = add (contract, "DEPOSIT", TENURE_BASIS_ONE_OFF);
  g_autoptr (GPtrArray) lines = NULL;
  guint rents = 0, parking = 0, deposits = 0;

  contract->signed_on = D (2025, 12, 20);
  rent->amount = 1000000;
  rent->advance_days = 5;
  energy->amount = 60000;
  energy->cycle_months = 2;
  energy->timing = TENURE_TIMING_ARREARS;
  energy->due_days = 10;
  deposit->amount = 3000000;
  lines = plan_ok (contract, NULL);
  for (guint i = 0; i < lines->len; i++)
    {
      const TenureReceivableLine *line = L (lines, i);

      if (strcmp (line->charge_item, "RENT") == 0)
        {
          /* The first period at signing, the others 5 days before they start. */
          g_assert_cmpint (line->due_date, ==, rents == 0 ? D (2025, 12, 20)
                                               : line->period_start - 5);
          rents++;
        }
      else if (strcmp (line->charge_item, "PARKING") == 0)
        {
          g_assert_cmpint (line->due_date, ==, line->period_end + 10);
          g_assert_cmpint (line->amount, ==, 60000);
          parking++;
        }
      else
        {
          g_assert_cmpstr (line->charge_item, ==, "DEPOSIT");
          g_assert_cmpint (line->amount, ==, 3000000);
          g_assert_cmpint (line->tax, ==, 0);
          g_assert_cmpint (line->due_date, ==, D (2025, 12, 20));
          g_assert_cmpint (line->period_start, ==, D (2026, 1, 1));
          deposits++;
        }
      if (i > 0)
        g_assert_cmpint (L (lines, i - 1)->due_date, <=, line->due_date);
    }
  g_assert_cmpuint (rents, ==, 12);
  g_assert_cmpuint (parking, ==, 6);
  g_assert_cmpuint (deposits, ==, 1);
}

/* Refused input: code, message naming the contract and the field. */
static void
expect_refused (const TenureContract *contract, int code, const char *field)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) lines = tenure_plan_generate (contract, NULL, &error);

  g_assert_null (lines);
  g_assert_error (error, TENURE_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "EDGE-1"));
  g_assert_nonnull (strstr (error->message, field));
}

static void
test_refused (void)
{
  g_autoptr (TenureContract) contract = lease (D (2026, 1, 1), D (2026, 12, 31), 10000);
  TenureClause *rent = add (contract, "RENT", TENURE_BASIS_PER_M2_MONTH);
  TenureContractVersion *version = contract->versions->pdata[0];
  TenureDateRange a = { D (2026, 2, 1), D (2026, 2, 20) };
  TenureDateRange b = { D (2026, 2, 15), D (2026, 3, 1) };
  TenureDateRange outside = { D (2026, 12, 1), D (2027, 1, 31) };
  g_autoptr (GPtrArray) ok = NULL;

  rent->price_e4 = 1000000;
  ok = plan_ok (contract, NULL);

  contract->end_date = D (2025, 12, 31);
  expect_refused (contract, TENURE_ERROR_INVALID, "end_date");
  contract->end_date = D (2026, 12, 31);

  ((TenureContractUnit *) version->units->pdata[0])->area_c = 0;
  expect_refused (contract, TENURE_ERROR_INVALID, "area");
  ((TenureContractUnit *) version->units->pdata[0])->area_c = 10000;

  rent->price_e4 = -1;
  expect_refused (contract, TENURE_ERROR_INVALID, "price");
  rent->price_e4 = 0;
  expect_refused (contract, TENURE_ERROR_INVALID, "price");
  rent->price_e4 = 1000000;

  rent->cycle_months = 4;
  expect_refused (contract, TENURE_ERROR_INVALID, "cycle_months");
  rent->cycle_months = 1;

  g_array_append_val (rent->rent_free, a);
  g_array_append_val (rent->rent_free, b);
  expect_refused (contract, TENURE_ERROR_INVALID, "rent_free");
  g_array_set_size (rent->rent_free, 0);
  g_array_append_val (rent->rent_free, outside);
  expect_refused (contract, TENURE_ERROR_INVALID, "rent_free");
  g_array_set_size (rent->rent_free, 0);

  rent->days_rule = TENURE_DAYS_AVG_365_12;
  expect_refused (contract, TENURE_ERROR_UNSUPPORTED, "days_rule");
  rent->days_rule = TENURE_DAYS_ACTUAL;

  rent->basis = TENURE_BASIS_ONE_OFF;
  rent->amount = 100;
  rent->escalation.kind = TENURE_ESCALATION_PERCENT;
  expect_refused (contract, TENURE_ERROR_UNSUPPORTED, "escalation");
  rent->basis = TENURE_BASIS_TURNOVER;
  rent->escalation.kind = TENURE_ESCALATION_NONE;
  expect_refused (contract, TENURE_ERROR_INVALID, "turnover");
  rent->basis = TENURE_BASIS_FIXED_MONTH;
  rent->amount = -5;
  expect_refused (contract, TENURE_ERROR_INVALID, "amount");
  rent->amount = 100;

  rent->starts_on = D (2025, 12, 1);
  expect_refused (contract, TENURE_ERROR_INVALID, "starts_on");
  rent->starts_on = TENURE_DATE_INVALID;

  rent->escalation.kind = TENURE_ESCALATION_CPI;
  expect_refused (contract, TENURE_ERROR_INVALID, "cpi_series");
  rent->escalation.kind = TENURE_ESCALATION_NONE;

  contract->terminated_on = D (2025, 6, 1);
  expect_refused (contract, TENURE_ERROR_INVALID, "terminated_on");
  contract->terminated_on = TENURE_DATE_INVALID;

  g_free (contract->currency);
  contract->currency = g_strdup ("XYZ");
  expect_refused (contract, TENURE_ERROR_INVALID, "currency");
  g_free (contract->currency);
  contract->currency = g_strdup ("CNY");

  /* A draft beside the approved version is not in force: its mistakes do not stop the plan,
   * until it is approved. */
  {
    TenureContractVersion *draft = tenure_contract_version_copy (version);
    g_autoptr (GPtrArray) lines = NULL;

    draft->version_no = 2;
    draft->effective_from = D (2026, 6, 1);
    draft->status = TENURE_VERSION_DRAFT;
    ((TenureClause *) draft->clauses->pdata[0])->cycle_months = 5;
    g_ptr_array_add (contract->versions, draft);
    lines = plan_ok (contract, NULL);
    g_assert_cmpuint (lines->len, ==, 12);
    draft->status = TENURE_VERSION_APPROVED;
    expect_refused (contract, TENURE_ERROR_INVALID, "cycle_months");
    g_ptr_array_remove_index (contract->versions, 1);
  }

  /* No version at all: nothing to bill from. */
  g_clear_pointer (&ok, g_ptr_array_unref);
  g_ptr_array_set_size (contract->versions, 0);
  expect_refused (contract, TENURE_ERROR_INVALID, "version");
}

static void
test_late_start_clause (void)
{
  /* Rent from 2026-03-01 after a fit-out, property fee from the start: each stream has its own
   * grid and the rent's first period is not "at signing". */
  g_autoptr (TenureContract) contract = lease (D (2026, 1, 1), D (2026, 12, 31), 10000);
  TenureClause *rent = add (contract, "RENT", TENURE_BASIS_FIXED_MONTH);
  TenureClause *fee = add (contract, "PROPERTY_FEE", TENURE_BASIS_FIXED_MONTH);
  g_autoptr (GPtrArray) lines = NULL;
  guint rents = 0;

  contract->signed_on = D (2025, 12, 1);
  rent->amount = 1000000;
  rent->starts_on = D (2026, 3, 1);
  fee->amount = 100000;
  lines = plan_ok (contract, NULL);
  g_assert_cmpuint (lines->len, ==, 22);
  for (guint i = 0; i < lines->len; i++)
    if (strcmp (L (lines, i)->charge_item, "RENT") == 0)
      {
        if (rents++ == 0)
          {
            g_assert_cmpint (L (lines, i)->period_start, ==, D (2026, 3, 1));
            g_assert_cmpint (L (lines, i)->due_date, ==, D (2026, 3, 1));
          }
      }
  g_assert_cmpuint (rents, ==, 10);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plan/edges/start-feb29", test_start_feb29);
  g_test_add_func ("/plan/edges/end-feb29", test_end_feb29);
  g_test_add_func ("/plan/edges/start-31st-quarters", test_start_31st_quarters);
  g_test_add_func ("/plan/edges/one-day", test_one_day);
  g_test_add_func ("/plan/edges/rent-free-whole-period", test_rent_free_whole_period);
  g_test_add_func ("/plan/edges/price-change-boundaries", test_price_change_boundaries);
  g_test_add_func ("/plan/edges/escalation-mid-period", test_escalation_mid_period);
  g_test_add_func ("/plan/edges/termination-mid-period", test_termination_mid_period);
  g_test_add_func ("/plan/edges/calendar-partial", test_calendar_partial);
  g_test_add_func ("/plan/edges/versions", test_versions);
  g_test_add_func ("/plan/edges/cpi", test_cpi);
  g_test_add_func ("/plan/edges/due-dates", test_due_dates);
  g_test_add_func ("/plan/edges/late-start-clause", test_late_start_clause);
  g_test_add_func ("/plan/edges/refused", test_refused);
  return g_test_run ();
}
