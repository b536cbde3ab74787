/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-aging"

/* Aging on SQLite and PostgreSQL, on contracts billed through the engines: each item in the
 * bucket of domain.md §10 at the boundary days, amounts as of past dates (a payment posted
 * after the date does not count), grouping, filters and currencies. Expected amounts are
 * written by hand from the fixture. */

#include "collections/tenure-aging.h"
#include "recon-fixture.h"

/* C1: T1 in P1, 10,000.00 a month due on the 1st, 2025; C2: T2 in P2, 5,000.00 a month from
 * March 2025; C3: T3 in P2, EUR 750.00 a month. Billed month by month up to @months. */
static void
billed_fixture (Fixture *f,
                int      months)
{
  save_contract (f, "C1", "T1", "P1", "U1", NULL, D (2025, 1, 1), D (2025, 12, 31), "RENT",
                 1000000, TENURE_DATE_INVALID);
  save_contract (f, "C2", "T2", "P2", "U3", NULL, D (2025, 3, 1), D (2025, 12, 31), "RENT",
                 500000, TENURE_DATE_INVALID);
  save_contract (f, "C3", "T3", "P2", "U4", "EUR", D (2025, 1, 1), D (2025, 12, 31), "RENT",
                 75000, TENURE_DATE_INVALID);
  for (int m = 1; m <= months; m++)
    bill_month (f, 2025, m);
}

static TenureAgingReport *
aging (Fixture                 *f,
       TenureDate               as_of,
       const TenureAgingFilter *filter,
       TenureAgingGroupBy       by)
{
  g_autoptr(GError) error = NULL;
  TenureAgingReport *report = tenure_aging (f->db, as_of, filter, by, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

/* The bucket holding bill line @line, checking it is in exactly one. */
static int
bucket_of (TenureAgingReport *report,
           gint64             line)
{
  int found = -1;

  for (guint r = 0; r < report->rows->len; r++)
    {
      TenureAgingRow *row = report->rows->pdata[r];

      for (int b = 0; b < TENURE_AGING_N_BUCKETS; b++)
        for (guint i = 0; i < row->items[b]->len; i++)
          if (((TenureOpenItem *) row->items[b]->pdata[i])->bill_line_id == line)
            {
              g_assert_cmpint (found, ==, -1);
              found = b;
            }
    }
  return found;
}

static void
test_bucket_function (void)
{
  static const struct { gint64 days; TenureAgingBucket bucket; } cases[] = {
    { -5, TENURE_AGING_NOT_DUE }, { 0, TENURE_AGING_NOT_DUE }, { 1, TENURE_AGING_1_30 },
    { 30, TENURE_AGING_1_30 }, { 31, TENURE_AGING_31_60 }, { 60, TENURE_AGING_31_60 },
    { 61, TENURE_AGING_61_90 }, { 90, TENURE_AGING_61_90 }, { 91, TENURE_AGING_91_180 },
    { 180, TENURE_AGING_91_180 }, { 181, TENURE_AGING_181_365 },
    { 365, TENURE_AGING_181_365 }, { 366, TENURE_AGING_OVER_365 },
    { 5000, TENURE_AGING_OVER_365 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (tenure_aging_bucket_for_days (cases[i].days), ==, cases[i].bucket);
  g_assert_cmpstr (tenure_aging_bucket_key (TENURE_AGING_OVER_365), ==, "over_365");
}

/* The item due 2025-01-01 as of that day + d, for each boundary d. */
static void
test_boundaries (Fixture       *f,
                 gconstpointer  data)
{
  static const struct { int days; TenureAgingBucket bucket; } cases[] = {
    { 0, TENURE_AGING_NOT_DUE }, { 1, TENURE_AGING_1_30 }, { 30, TENURE_AGING_1_30 },
    { 31, TENURE_AGING_31_60 }, { 60, TENURE_AGING_31_60 }, { 61, TENURE_AGING_61_90 },
    { 90, TENURE_AGING_61_90 }, { 91, TENURE_AGING_91_180 }, { 180, TENURE_AGING_91_180 },
    { 181, TENURE_AGING_181_365 }, { 365, TENURE_AGING_181_365 },
    { 366, TENURE_AGING_OVER_365 },
  };
  TenureAgingFilter filter = { .contract_code = "C1" };
  gint64 jan;

  if (f->db == NULL)
    return;
  billed_fixture (f, 12);
  jan = line_id (f, "C1", D (2025, 1, 1));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TenureDate as_of = tenure_date_add_days (D (2025, 1, 1), cases[i].days);
      g_autoptr(TenureAgingReport) report = aging (f, as_of, &filter, TENURE_AGING_BY_NONE);

      g_test_message ("day %d", cases[i].days);
      g_assert_cmpint (bucket_of (report, jan), ==, cases[i].bucket);
    }
}

/* As of 2025-04-15: January 104 days past due, February 73, March 45, April 14. 3,000.00 of
 * January paid on 2025-04-10 counts; 2,500.00 of February paid on 2025-04-20 does not. */
static void
test_past_dates (Fixture       *f,
                 gconstpointer  data)
{
  TenureAgingFilter filter = { .contract_code = "C1" };
  g_autoptr(TenureAgingReport) before = NULL;
  g_autoptr(TenureAgingReport) after = NULL;
  TenureAgingRow *row;

  if (f->db == NULL)
    return;
  billed_fixture (f, 12);
  pay (f, "T1", NULL, 300000, D (2025, 4, 10), line_id (f, "C1", D (2025, 1, 1)), 300000);
  pay (f, "T1", NULL, 250000, D (2025, 4, 20), line_id (f, "C1", D (2025, 2, 1)), 250000);

  before = aging (f, D (2025, 4, 15), &filter, TENURE_AGING_BY_NONE);
  g_assert_cmpuint (before->rows->len, ==, 1);
  row = before->rows->pdata[0];
  g_assert_cmpstr (row->currency, ==, "CNY");
  g_assert_cmpint (row->amounts[TENURE_AGING_NOT_DUE], ==, 0);
  g_assert_cmpint (row->amounts[TENURE_AGING_1_30], ==, 1000000);
  g_assert_cmpint (row->amounts[TENURE_AGING_31_60], ==, 1000000);
  g_assert_cmpint (row->amounts[TENURE_AGING_61_90], ==, 1000000);
  g_assert_cmpint (row->amounts[TENURE_AGING_91_180], ==, 700000);
  g_assert_cmpint (row->amounts[TENURE_AGING_181_365], ==, 0);
  g_assert_cmpint (row->total, ==, 3700000);
  g_assert_cmpuint (row->count, ==, 4);
  g_assert_cmpuint (row->counts[TENURE_AGING_91_180], ==, 1);

  /* 2025-04-20: January 109 days, February 78, March 50, April 19. */
  after = aging (f, D (2025, 4, 20), &filter, TENURE_AGING_BY_NONE);
  row = after->rows->pdata[0];
  g_assert_cmpint (row->amounts[TENURE_AGING_1_30], ==, 1000000);
  g_assert_cmpint (row->amounts[TENURE_AGING_31_60], ==, 1000000);
  g_assert_cmpint (row->amounts[TENURE_AGING_61_90], ==, 750000);
  g_assert_cmpint (row->amounts[TENURE_AGING_91_180], ==, 700000);
  g_assert_cmpint (row->total, ==, 3450000);
  /* The drill-down: the item behind 61–90 is February's, 7,500.00 open. */
  g_assert_cmpuint (row->items[TENURE_AGING_61_90]->len, ==, 1);
  g_assert_cmpint (((TenureOpenItem *) row->items[TENURE_AGING_61_90]->pdata[0])->open, ==,
                   750000);
  g_assert_cmpint (((TenureOpenItem *) row->items[TENURE_AGING_61_90]->pdata[0])->due_date, ==,
                   D (2025, 2, 1));
}

/* As of 2025-03-31, billed up to March. By tenant: T1 30,000.00 (Jan 89 days, Feb 58, Mar
 * 30), T2 5,000.00 (Mar 30), T3 EUR 2,250.00 (750.00 each, same days); totals per currency. */
static void
test_groups (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(TenureAgingReport) by_tenant = NULL;
  g_autoptr(TenureAgingReport) by_project = NULL;
  g_autoptr(TenureAgingReport) p2_cny = NULL;
  g_autoptr(TenureAgingReport) none = NULL;
  TenureAgingFilter filter = { .project_code = "P2", .currency = "CNY" };
  TenureAgingFilter bad = { .project_code = "NOPE" };
  g_autoptr(GError) error = NULL;
  TenureAgingRow *row;

  if (f->db == NULL)
    return;
  billed_fixture (f, 3);
  by_tenant = aging (f, D (2025, 3, 31), NULL, TENURE_AGING_BY_TENANT);
  g_assert_cmpuint (by_tenant->rows->len, ==, 3);
  row = by_tenant->rows->pdata[0];
  g_assert_cmpstr (row->group_code, ==, "T1");
  g_assert_cmpstr (row->group_name, ==, "Tenant one");
  g_assert_cmpint (row->amounts[TENURE_AGING_1_30], ==, 1000000);
  g_assert_cmpint (row->amounts[TENURE_AGING_31_60], ==, 1000000);
  g_assert_cmpint (row->amounts[TENURE_AGING_61_90], ==, 1000000);
  g_assert_cmpint (row->total, ==, 3000000);
  row = by_tenant->rows->pdata[1];
  g_assert_cmpstr (row->group_code, ==, "T2");
  g_assert_cmpint (row->amounts[TENURE_AGING_1_30], ==, 500000);
  g_assert_cmpint (row->total, ==, 500000);
  row = by_tenant->rows->pdata[2];
  g_assert_cmpstr (row->group_code, ==, "T3");
  g_assert_cmpstr (row->currency, ==, "EUR");
  g_assert_cmpint (row->total, ==, 225000);
  g_assert_cmpuint (row->count, ==, 3);
  g_assert_cmpuint (by_tenant->totals->len, ==, 2);
  g_assert_cmpstr (((TenureAgingRow *) by_tenant->totals->pdata[0])->currency, ==, "CNY");
  g_assert_cmpint (((TenureAgingRow *) by_tenant->totals->pdata[0])->total, ==, 3500000);
  g_assert_cmpint (((TenureAgingRow *) by_tenant->totals->pdata[1])->total, ==, 225000);

  by_project = aging (f, D (2025, 3, 31), NULL, TENURE_AGING_BY_PROJECT);
  g_assert_cmpuint (by_project->rows->len, ==, 3);  /* P1 CNY, P2 CNY, P2 EUR */
  g_assert_cmpstr (((TenureAgingRow *) by_project->rows->pdata[1])->group_code, ==, "P2");
  g_assert_cmpint (((TenureAgingRow *) by_project->rows->pdata[1])->total, ==, 500000);

  p2_cny = aging (f, D (2025, 3, 31), &filter, TENURE_AGING_BY_CONTRACT);
  g_assert_cmpuint (p2_cny->rows->len, ==, 1);
  g_assert_cmpstr (((TenureAgingRow *) p2_cny->rows->pdata[0])->group_code, ==, "C2");

  /* Before anything is due: everything not due on the due day itself. */
  none = aging (f, D (2025, 1, 1), NULL, TENURE_AGING_BY_NONE);
  g_assert_cmpuint (none->totals->len, ==, 2);
  g_assert_cmpint (((TenureAgingRow *) none->totals->pdata[0])->amounts[TENURE_AGING_NOT_DUE],
                   ==, 1000000);
  g_assert_cmpint (((TenureAgingRow *) none->totals->pdata[0])->total, ==, 1000000);

  g_assert_null (tenure_aging (f->db, D (2025, 3, 31), &bad, TENURE_AGING_BY_NONE, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "NOPE"));
}

int
main (int argc, char **argv)
{
  backend = tenure_test_backend_from_args (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/aging/buckets", test_bucket_function);
  g_test_add ("/aging/boundaries", Fixture, NULL, fixture_set_up, test_boundaries,
              fixture_tear_down);
  g_test_add ("/aging/past-dates", Fixture, NULL, fixture_set_up, test_past_dates,
              fixture_tear_down);
  g_test_add ("/aging/groups", Fixture, NULL, fixture_set_up, test_groups, fixture_tear_down);
  return g_test_run ();
}
