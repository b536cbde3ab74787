/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test-date"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/tenure-date.h"
#include "base/tenure-error.h"

static TenureDate
ymd (int y, int m, int d)
{
  TenureDate date = tenure_date_from_ymd (y, m, d);

  g_assert_cmpint (date, !=, TENURE_DATE_INVALID);
  return date;
}

static void
assert_iso (TenureDate date, const char *expected)
{
  g_autofree char *iso = tenure_date_format_iso (date);

  g_assert_cmpstr (iso, ==, expected);
}

static void
test_ymd_valid (void)
{
  TenureDate d;
  g_autoptr(GError) error = NULL;
  int y, m, day;

  g_assert_true (tenure_date_new_ymd (2028, 2, 29, &d, &error));
  g_assert_no_error (error);
  tenure_date_get_ymd (d, &y, &m, &day);
  g_assert_cmpint (y, ==, 2028);
  g_assert_cmpint (m, ==, 2);
  g_assert_cmpint (day, ==, 29);
  g_assert_cmpint (tenure_date_get_year (d), ==, 2028);
  g_assert_cmpint (tenure_date_get_month (d), ==, 2);
  g_assert_cmpint (tenure_date_get_day (d), ==, 29);
  assert_iso (d, "2028-02-29");

  g_assert_cmpint (ymd (1, 1, 1), ==, TENURE_DATE_MIN);
  g_assert_cmpint (ymd (9999, 12, 31), ==, TENURE_DATE_MAX);
  g_assert_cmpint (ymd (2026, 3, 1) - ymd (2026, 2, 28), ==, 1);
  g_assert_cmpint (ymd (2029, 1, 1) - ymd (2028, 1, 1), ==, 366);
}

static void
test_ymd_invalid (void)
{
  static const struct { int y, m, d; const char *needle; } cases[] = {
    { 2026, 2, 30, "2026-02-30" },
    { 2025, 2, 29, "2025-02-29" },
    { 1900, 2, 29, "1900-02-29" },
    { 2026, 13, 1, "2026-13-01" },
    { 2026, 0, 10, "2026-00-10" },
    { 2026, 4, 31, "2026-04-31" },
    { 2026, 4, 0, "2026-04-00" },
    { 0, 1, 1, "0-01-01" },
    { 10000, 1, 1, "10000-01-01" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TenureDate d = 12345;
      g_autoptr(GError) error = NULL;

      g_assert_false (tenure_date_new_ymd (cases[i].y, cases[i].m, cases[i].d, &d, &error));
      g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, cases[i].needle));
      g_assert_cmpint (d, ==, 12345);
      g_assert_cmpint (tenure_date_from_ymd (cases[i].y, cases[i].m, cases[i].d), ==,
                       TENURE_DATE_INVALID);
    }
}

static void
test_leap_and_month_lengths (void)
{
  g_assert_true (tenure_date_is_leap_year (2028));
  g_assert_true (tenure_date_is_leap_year (2000));
  g_assert_false (tenure_date_is_leap_year (1900));
  g_assert_false (tenure_date_is_leap_year (2026));
  g_assert_cmpint (tenure_date_days_in_month (2026, 2), ==, 28);
  g_assert_cmpint (tenure_date_days_in_month (2028, 2), ==, 29);
  g_assert_cmpint (tenure_date_days_in_month (2026, 4), ==, 30);
  g_assert_cmpint (tenure_date_days_in_month (2026, 12), ==, 31);
  g_assert_cmpint (tenure_date_days_in_month (2026, 13), ==, 0);
  g_assert_cmpint (tenure_date_days_in_year (2028), ==, 366);
  g_assert_cmpint (tenure_date_get_days_in_month (ymd (2026, 3, 10)), ==, 31);
}

/* Cross-check every day from 1600 to 2400 against GLib's GDate. */
static void
test_against_gdate (void)
{
  g_autoptr(GDate) g = g_date_new_dmy (1, 1, 1600);
  TenureDate d = ymd (1600, 1, 1);
  TenureDate end = ymd (2400, 12, 31);

  g_assert_cmpint (d, ==, (TenureDate) g_date_get_julian (g));
  for (; d <= end; d++, g_date_add_days (g, 1))
    {
      int y, m, day;

      tenure_date_get_ymd (d, &y, &m, &day);
      if (y != g_date_get_year (g) || m != (int) g_date_get_month (g)
          || day != g_date_get_day (g)
          || (int) tenure_date_get_weekday (d) != (int) g_date_get_weekday (g))
        g_error ("day %d: %04d-%02d-%02d differs from GDate", d, y, m, day);
      g_assert_cmpint (tenure_date_from_ymd (y, m, day), ==, d);
    }
}

static void
test_weekday (void)
{
  g_assert_cmpint (tenure_date_get_weekday (ymd (2026, 11, 27)), ==, G_DATE_FRIDAY);
  g_assert_cmpint (tenure_date_get_weekday (ymd (2026, 1, 1)), ==, G_DATE_THURSDAY);
  g_assert_cmpint (tenure_date_get_weekday (ymd (2000, 1, 2)), ==, G_DATE_SUNDAY);
  g_assert_cmpint (tenure_date_get_weekday (ymd (1, 1, 1)), ==, G_DATE_MONDAY);
}

static void
test_parse_iso (void)
{
  static const char *bad[] = {
    "", "2026-1-01", "2026/01/01", " 2026-01-01", "2026-01-01 ", "20260101", "2026-01-0a",
    "2026-02-30", "2025-02-29", "2026-13-01", "0000-01-01", "２０２６-01-01", "2026-01-01T00",
    "+026-01-01", "2026--1-01",
  };
  TenureDate d;
  g_autoptr(GError) error = NULL;

  g_assert_true (tenure_date_parse_iso ("2026-01-31", &d, &error));
  g_assert_no_error (error);
  g_assert_cmpint (d, ==, ymd (2026, 1, 31));
  g_assert_true (tenure_date_parse_iso ("9999-12-31", &d, &error));
  g_assert_cmpint (d, ==, TENURE_DATE_MAX);

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) e = NULL;

      d = 77;
      g_assert_false (tenure_date_parse_iso (bad[i], &d, &e));
      g_assert_error (e, TENURE_ERROR, TENURE_ERROR_INVALID);
      g_assert_cmpint (d, ==, 77);
      if (*bad[i] != '\0')
        g_assert_nonnull (strstr (e->message, bad[i]));
    }

  assert_iso (TENURE_DATE_INVALID, "");
}

static void
test_parse_format_roundtrip (void)
{
  int iterations = 2000;
  const char *env = g_getenv ("TENURE_TEST_ITERATIONS");

  if (env)
    iterations = MAX (1, atoi (env));
  for (int i = 0; i < iterations; i++)
    {
      TenureDate d = g_test_rand_int_range (TENURE_DATE_MIN, TENURE_DATE_MAX + 1), back = 0;
      char buf[TENURE_DATE_ISO_BUF_SIZE];
      g_autoptr(GError) error = NULL;

      g_assert_true (tenure_date_parse_iso (tenure_date_format_iso_buf (d, buf), &back, &error));
      g_assert_no_error (error);
      g_assert_cmpint (back, ==, d);
    }
}

static void
test_days_inclusive (void)
{
  g_assert_cmpint (tenure_date_days_inclusive (ymd (2026, 1, 1), ymd (2026, 1, 31)), ==, 31);
  g_assert_cmpint (tenure_date_days_inclusive (ymd (2026, 1, 1), ymd (2026, 12, 31)), ==, 365);
  g_assert_cmpint (tenure_date_days_inclusive (ymd (2026, 3, 10), ymd (2026, 3, 31)), ==, 22);
  g_assert_cmpint (tenure_date_days_inclusive (ymd (2026, 3, 10), ymd (2026, 3, 10)), ==, 1);
  g_assert_cmpint (tenure_date_days_inclusive (ymd (2026, 3, 10), ymd (2026, 3, 9)), ==, 0);
}

static void
test_add_days (void)
{
  assert_iso (tenure_date_add_days (ymd (2026, 2, 28), 1), "2026-03-01");
  assert_iso (tenure_date_add_days (ymd (2028, 2, 28), 1), "2028-02-29");
  assert_iso (tenure_date_add_days (ymd (2026, 1, 1), -1), "2025-12-31");
  assert_iso (tenure_date_add_days (ymd (2026, 1, 1), 365), "2027-01-01");
  g_assert_cmpint (tenure_date_add_days (TENURE_DATE_MAX, 1), ==, TENURE_DATE_INVALID);
  g_assert_cmpint (tenure_date_add_days (TENURE_DATE_MIN, -1), ==, TENURE_DATE_INVALID);
  g_assert_cmpint (tenure_date_add_days (TENURE_DATE_MIN, G_MAXINT64), ==, TENURE_DATE_INVALID);
  g_assert_cmpint (tenure_date_add_days (TENURE_DATE_MAX, G_MININT64), ==, TENURE_DATE_INVALID);
}

static void
test_add_months (void)
{
  assert_iso (tenure_date_add_months (ymd (2026, 1, 31), 1), "2026-02-28");
  assert_iso (tenure_date_add_months (ymd (2028, 1, 31), 1), "2028-02-29");
  assert_iso (tenure_date_add_months (ymd (2028, 2, 29), 12), "2029-02-28");
  assert_iso (tenure_date_add_months (ymd (2028, 2, 29), 48), "2032-02-29");
  assert_iso (tenure_date_add_months (ymd (2026, 3, 31), -1), "2026-02-28");
  assert_iso (tenure_date_add_months (ymd (2026, 1, 15), -13), "2024-12-15");
  assert_iso (tenure_date_add_months (ymd (2026, 12, 31), 1), "2027-01-31");
  assert_iso (tenure_date_add_months (ymd (2026, 5, 31), 0), "2026-05-31");
  g_assert_cmpint (tenure_date_add_months (ymd (9999, 12, 1), 1), ==, TENURE_DATE_INVALID);
  g_assert_cmpint (tenure_date_add_months (ymd (1, 1, 1), -1), ==, TENURE_DATE_INVALID);
  g_assert_cmpint (tenure_date_add_months (ymd (2026, 1, 1), G_MAXINT64), ==, TENURE_DATE_INVALID);
  g_assert_cmpint (tenure_date_add_months (ymd (2026, 1, 1), G_MININT64), ==, TENURE_DATE_INVALID);
}

/* A lease from 31 August, billed quarterly: boundaries from the original start each time. */
static void
test_anniversary_quarters (void)
{
  static const char *expected[] = {
    "2026-08-31", "2026-11-30", "2027-02-28", "2027-05-31", "2027-08-31", "2027-11-30",
    "2028-02-29", "2028-05-31",
  };
  TenureDate start = ymd (2026, 8, 31);
  TenureDate chained = start;

  for (gsize k = 0; k < G_N_ELEMENTS (expected); k++)
    assert_iso (tenure_date_anniversary (start, (gint64) k, 3), expected[k]);

  /* Chaining would drift to the 28th and stay there: the anniversary must not. */
  for (int k = 0; k < 3; k++)
    chained = tenure_date_add_months (chained, 3);
  assert_iso (chained, "2027-05-28");
  assert_iso (tenure_date_anniversary (start, 3, 3), "2027-05-31");

  assert_iso (tenure_date_anniversary (ymd (2026, 1, 31), 1, 1), "2026-02-28");
  assert_iso (tenure_date_anniversary (ymd (2026, 1, 31), 2, 1), "2026-03-31");
  assert_iso (tenure_date_anniversary (ymd (2026, 1, 31), 1, 12), "2027-01-31");
}

static void
test_periods (void)
{
  TenureDate d = ymd (2026, 8, 15);
  TenureDateRange r;

  assert_iso (tenure_date_period_start (d, TENURE_PERIOD_MONTH), "2026-08-01");
  assert_iso (tenure_date_period_end (d, TENURE_PERIOD_MONTH), "2026-08-31");
  assert_iso (tenure_date_period_start (d, TENURE_PERIOD_QUARTER), "2026-07-01");
  assert_iso (tenure_date_period_end (d, TENURE_PERIOD_QUARTER), "2026-09-30");
  assert_iso (tenure_date_period_start (d, TENURE_PERIOD_HALF_YEAR), "2026-07-01");
  assert_iso (tenure_date_period_end (d, TENURE_PERIOD_HALF_YEAR), "2026-12-31");
  assert_iso (tenure_date_period_start (d, TENURE_PERIOD_YEAR), "2026-01-01");
  assert_iso (tenure_date_period_end (d, TENURE_PERIOD_YEAR), "2026-12-31");
  assert_iso (tenure_date_period_end (ymd (2028, 2, 3), TENURE_PERIOD_MONTH), "2028-02-29");
  assert_iso (tenure_date_period_start (ymd (2026, 3, 31), TENURE_PERIOD_QUARTER), "2026-01-01");
  assert_iso (tenure_date_period_end (ymd (2026, 1, 1), TENURE_PERIOD_QUARTER), "2026-03-31");
  assert_iso (tenure_date_period_start (ymd (2026, 4, 1), TENURE_PERIOD_QUARTER), "2026-04-01");
  assert_iso (tenure_date_period_end (ymd (2026, 6, 30), TENURE_PERIOD_HALF_YEAR), "2026-06-30");
  r = tenure_date_period_range (ymd (2026, 11, 5), TENURE_PERIOD_QUARTER);
  assert_iso (r.start, "2026-10-01");
  assert_iso (r.end, "2026-12-31");
  g_assert_cmpint (tenure_date_range_days (&r), ==, 92);
}

static void
test_excel_serial (void)
{
  static const struct { double serial; gboolean d1904; const char *iso; } good[] = {
    { 1, FALSE, "1900-01-01" },
    { 59, FALSE, "1900-02-28" },
    { 61, FALSE, "1900-03-01" },
    { 45658, FALSE, "2025-01-01" },
    { 45658.75, FALSE, "2025-01-01" },
    { 45658.999999, FALSE, "2025-01-01" },
    { 46022, FALSE, "2025-12-31" },
    { 2958465, FALSE, "9999-12-31" },
    { 0, TRUE, "1904-01-01" },
    { 0.5, TRUE, "1904-01-01" },
    { 1, TRUE, "1904-01-02" },
    { 44196, TRUE, "2025-01-01" },
  };
  static const struct { double serial; gboolean d1904; } bad[] = {
    { -1, FALSE }, { -0.5, TRUE }, { 0, FALSE }, { 0.25, FALSE }, { 60, FALSE }, { 60.5, FALSE },
    { 2958466, FALSE }, { 2957004, TRUE }, { 1e300, FALSE }, { -1e300, TRUE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      TenureDate d = TENURE_DATE_INVALID;
      gint32 back = -1;
      g_autoptr(GError) error = NULL;

      g_assert_true (tenure_date_from_excel_serial (good[i].serial, good[i].d1904, &d, &error));
      g_assert_no_error (error);
      assert_iso (d, good[i].iso);
      g_assert_true (tenure_date_to_excel_serial (d, good[i].d1904, &back, &error));
      g_assert_no_error (error);
      g_assert_cmpint (back, ==, (gint32) floor (good[i].serial));
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      TenureDate d = 5;
      g_autoptr(GError) error = NULL;

      g_assert_false (tenure_date_from_excel_serial (bad[i].serial, bad[i].d1904, &d, &error));
      g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
      g_assert_cmpint (d, ==, 5);
    }
  {
    TenureDate d = 5;
    g_autoptr(GError) e1 = NULL;
    g_autoptr(GError) e2 = NULL;
    g_autoptr(GError) e3 = NULL;
    gint32 s = -7;

    g_assert_false (tenure_date_from_excel_serial (NAN, FALSE, &d, &e1));
    g_assert_error (e1, TENURE_ERROR, TENURE_ERROR_INVALID);
    g_assert_false (tenure_date_from_excel_serial (INFINITY, TRUE, &d, &e2));
    g_assert_error (e2, TENURE_ERROR, TENURE_ERROR_INVALID);
    g_assert_cmpint (d, ==, 5);
    g_assert_false (tenure_date_to_excel_serial (ymd (1899, 12, 31), FALSE, &s, &e3));
    g_assert_error (e3, TENURE_ERROR, TENURE_ERROR_INVALID);
    g_assert_cmpint (s, ==, -7);
  }
  /* Every serial from 1 to 80000 in both systems survives the round trip. */
  for (gint32 s = 0; s <= 80000; s++)
    for (int sys = 0; sys < 2; sys++)
      {
        TenureDate d;
        gint32 back;

        if (!sys && (s == 0 || s == 60))
          continue;
        g_assert_true (tenure_date_from_excel_serial (s, sys, &d, NULL));
        g_assert_true (tenure_date_to_excel_serial (d, sys, &back, NULL));
        g_assert_cmpint (back, ==, s);
      }
}

static void
test_ranges (void)
{
  TenureDateRange a = tenure_date_range_make (ymd (2026, 1, 1), ymd (2026, 3, 31));
  TenureDateRange b = tenure_date_range_make (ymd (2026, 3, 10), ymd (2026, 6, 30));
  TenureDateRange c = tenure_date_range_make (ymd (2026, 4, 1), ymd (2026, 4, 30));
  TenureDateRange bad = tenure_date_range_make (ymd (2026, 4, 2), ymd (2026, 4, 1));
  TenureDateRange out = { 0, 0 };

  g_assert_true (tenure_date_range_is_valid (&a));
  g_assert_false (tenure_date_range_is_valid (&bad));
  g_assert_cmpint (tenure_date_range_days (&a), ==, 90);
  g_assert_cmpint (tenure_date_range_days (&bad), ==, 0);
  g_assert_true (tenure_date_range_contains (&a, ymd (2026, 1, 1)));
  g_assert_true (tenure_date_range_contains (&a, ymd (2026, 3, 31)));
  g_assert_false (tenure_date_range_contains (&a, ymd (2026, 4, 1)));
  g_assert_false (tenure_date_range_contains (&a, ymd (2025, 12, 31)));

  g_assert_true (tenure_date_range_intersect (&a, &b, &out));
  assert_iso (out.start, "2026-03-10");
  assert_iso (out.end, "2026-03-31");
  out.start = out.end = 42;
  g_assert_false (tenure_date_range_intersect (&a, &c, &out));
  g_assert_cmpint (out.start, ==, 42);
  g_assert_true (tenure_date_range_intersect (&b, &c, &out));
  assert_iso (out.start, "2026-04-01");
  assert_iso (out.end, "2026-04-30");
}

static void
test_range_split (void)
{
  TenureDateRange q = tenure_date_range_make (ymd (2026, 1, 1), ymd (2026, 3, 31));
  TenureDate bounds[] = {
    ymd (2025, 6, 1),           /* before: ignored */
    ymd (2026, 1, 1),           /* the start itself: ignored */
    ymd (2026, 2, 15),
    ymd (2026, 2, 15),          /* duplicate */
    ymd (2026, 3, 31),          /* last day: a one-day segment */
    ymd (2026, 4, 1),           /* after: ignored */
  };
  g_autoptr(GArray) segs = tenure_date_range_split (&q, bounds, G_N_ELEMENTS (bounds));
  g_autoptr(GArray) whole = tenure_date_range_split (&q, NULL, 0);
  TenureDateRange bad = tenure_date_range_make (ymd (2026, 4, 2), ymd (2026, 4, 1));
  g_autoptr(GArray) none = tenure_date_range_split (&bad, bounds, G_N_ELEMENTS (bounds));
  gint32 total = 0;

  g_assert_cmpuint (segs->len, ==, 3);
  assert_iso (g_array_index (segs, TenureDateRange, 0).start, "2026-01-01");
  assert_iso (g_array_index (segs, TenureDateRange, 0).end, "2026-02-14");
  assert_iso (g_array_index (segs, TenureDateRange, 1).start, "2026-02-15");
  assert_iso (g_array_index (segs, TenureDateRange, 1).end, "2026-03-30");
  assert_iso (g_array_index (segs, TenureDateRange, 2).start, "2026-03-31");
  assert_iso (g_array_index (segs, TenureDateRange, 2).end, "2026-03-31");
  for (guint i = 0; i < segs->len; i++)
    total += tenure_date_range_days (&g_array_index (segs, TenureDateRange, i));
  g_assert_cmpint (total, ==, 90);

  g_assert_cmpuint (whole->len, ==, 1);
  g_assert_cmpint (g_array_index (whole, TenureDateRange, 0).start, ==, q.start);
  g_assert_cmpint (g_array_index (whole, TenureDateRange, 0).end, ==, q.end);
  g_assert_cmpuint (none->len, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/date/ymd/valid", test_ymd_valid);
  g_test_add_func ("/date/ymd/invalid", test_ymd_invalid);
  g_test_add_func ("/date/calendar/lengths", test_leap_and_month_lengths);
  g_test_add_func ("/date/calendar/against-gdate", test_against_gdate);
  g_test_add_func ("/date/calendar/weekday", test_weekday);
  g_test_add_func ("/date/iso/parse", test_parse_iso);
  g_test_add_func ("/date/iso/roundtrip", test_parse_format_roundtrip);
  g_test_add_func ("/date/arith/days-inclusive", test_days_inclusive);
  g_test_add_func ("/date/arith/add-days", test_add_days);
  g_test_add_func ("/date/arith/add-months", test_add_months);
  g_test_add_func ("/date/arith/anniversary-quarters", test_anniversary_quarters);
  g_test_add_func ("/date/periods", test_periods);
  g_test_add_func ("/date/excel-serial", test_excel_serial);
  g_test_add_func ("/date/range/basics", test_ranges);
  g_test_add_func ("/date/range/split", test_range_split);

  return g_test_run ();
}
