/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test-exact"

#include <stdlib.h>
#include <string.h>

#include "base/tenure-date.h"
#include "base/tenure-error.h"
#include "base/tenure-exact.h"

typedef __int128 i128;

static int
iterations (int base)
{
  const char *env = g_getenv ("TENURE_TEST_ITERATIONS");

  return env ? MAX (1, atoi (env)) : base;
}

static gint64
round_ok (TenureExact x, TenureRounding mode)
{
  gint64 v = G_MININT64;
  g_autoptr(GError) error = NULL;

  g_assert_true (tenure_exact_round (x, mode, &v, &error));
  g_assert_no_error (error);
  return v;
}

static void
test_round_modes (void)
{
  /* num, den, then HALF_AWAY, HALF_EVEN, TOWARD_ZERO, AWAY, FLOOR, CEILING */
  static const gint64 cases[][8] = {
    { 5, 2, 3, 2, 2, 3, 2, 3 },
    { -5, 2, -3, -2, -2, -3, -3, -2 },
    { 7, 2, 4, 4, 3, 4, 3, 4 },
    { -7, 2, -4, -4, -3, -4, -4, -3 },
    { 1, 3, 0, 0, 0, 1, 0, 1 },
    { -1, 3, 0, 0, 0, -1, -1, 0 },
    { 2, 3, 1, 1, 0, 1, 0, 1 },
    { -2, 3, -1, -1, 0, -1, -1, 0 },
    { 12, 3, 4, 4, 4, 4, 4, 4 },
    { -12, 3, -4, -4, -4, -4, -4, -4 },
    { 0, 7, 0, 0, 0, 0, 0, 0 },
    { 1, 2, 1, 0, 0, 1, 0, 1 },
    { -1, 2, -1, 0, 0, -1, -1, 0 },
    { 249, 100, 2, 2, 2, 3, 2, 3 },
    { 251, 100, 3, 3, 2, 3, 2, 3 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    for (int mode = TENURE_ROUND_HALF_AWAY_FROM_ZERO; mode <= TENURE_ROUND_CEILING; mode++)
      {
        gint64 got = round_ok (tenure_exact_frac (cases[i][0], cases[i][1]), mode);

        if (got != cases[i][2 + mode])
          g_error ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT " mode %d: got %" G_GINT64_FORMAT
                   ", expected %" G_GINT64_FORMAT, cases[i][0], cases[i][1], mode, got,
                   cases[i][2 + mode]);
      }
  g_assert_cmpint (TENURE_ROUND_DEFAULT, ==, TENURE_ROUND_HALF_AWAY_FROM_ZERO);
}

static void
test_arith (void)
{
  TenureExact third = tenure_exact_frac (1, 3);
  TenureExact sixth = tenure_exact_frac (1, 6);
  TenureExact half = tenure_exact_add (third, sixth);
  TenureExact x;

  g_assert_true (half.num == 1 && half.den == 2);
  x = tenure_exact_sub (third, half);
  g_assert_true (x.num == -1 && x.den == 6);
  x = tenure_exact_mul (tenure_exact_frac (-4, 6), tenure_exact_frac (9, -8));
  g_assert_true (x.num == 3 && x.den == 4);
  x = tenure_exact_div (tenure_exact_frac (3, 4), tenure_exact_frac (-3, 8));
  g_assert_true (x.num == -2 && x.den == 1);
  x = tenure_exact_scaled (52500, 4);
  g_assert_true (x.num == 21 && x.den == 4);
  x = tenure_exact_neg (tenure_exact_frac (2, 4));
  g_assert_true (x.num == -1 && x.den == 2);
  g_assert_cmpint (tenure_exact_cmp (third, sixth), ==, 1);
  g_assert_cmpint (tenure_exact_cmp (sixth, third), ==, -1);
  g_assert_cmpint (tenure_exact_cmp (half, tenure_exact_frac (2, 4)), ==, 0);
  g_assert_cmpint (tenure_exact_sign (tenure_exact_frac (-1, 9)), ==, -1);
  /* Comparisons whose cross products do not fit in 128 bits (about 2^126 × 2^63). */
  {
    TenureExact huge = tenure_exact_int (G_MAXINT64);
    TenureExact tiny = tenure_exact_div (tenure_exact_int (1), huge);
    TenureExact huge_plus = tenure_exact_add (huge, tenure_exact_frac (1, G_MAXINT64));
    TenureExact huge_plus2 = tenure_exact_add (huge, tenure_exact_frac (1, G_MAXINT64 - 1));
    TenureExact tiny2 = tenure_exact_div (tenure_exact_int (1),
                                          tenure_exact_add (huge, tenure_exact_int (1)));

    g_assert_true (tenure_exact_is_ok (huge_plus) && tenure_exact_is_ok (huge_plus2));
    g_assert_cmpint (tenure_exact_cmp (huge, tiny), ==, 1);
    g_assert_cmpint (tenure_exact_cmp (tiny, huge), ==, -1);
    g_assert_cmpint (tenure_exact_cmp (tiny2, tiny), ==, -1);
    g_assert_cmpint (tenure_exact_cmp (huge_plus, huge_plus2), ==, -1);
    g_assert_cmpint (tenure_exact_cmp (huge_plus2, huge_plus), ==, 1);
    g_assert_cmpint (tenure_exact_cmp (tenure_exact_neg (huge_plus),
                                       tenure_exact_neg (huge_plus2)), ==, 1);
    g_assert_cmpint (tenure_exact_cmp (huge_plus, huge_plus), ==, 0);
    g_assert_cmpint (tenure_exact_cmp (tenure_exact_neg (tiny), tiny), ==, -1);
    g_assert_true (tenure_exact_is_ok (tenure_exact_min (huge_plus, huge_plus2)));
    g_assert_cmpint (tenure_exact_cmp (tenure_exact_min (huge_plus, huge_plus2), huge_plus), ==,
                     0);
  }
  x = tenure_exact_min (tenure_exact_frac (22, 30), tenure_exact_int (1));
  g_assert_true (x.num == 11 && x.den == 15);
  x = tenure_exact_max (tenure_exact_frac (22, 30), tenure_exact_int (1));
  g_assert_true (x.num == 1 && x.den == 1);
}

static void
test_overflow (void)
{
  TenureExact big = tenure_exact_int (G_MAXINT64);
  TenureExact x = big;
  gint64 out = 99;
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;
  g_autoptr(GError) e4 = NULL;
  g_autoptr(GError) e5 = NULL;

  /* 2^63 cubed does not fit in 128 bits: sticky overflow, reported at rounding. */
  x = tenure_exact_mul (x, big);
  g_assert_true (tenure_exact_is_ok (x));
  x = tenure_exact_mul (x, big);
  g_assert_false (tenure_exact_is_ok (x));
  x = tenure_exact_add (x, tenure_exact_int (1));
  x = tenure_exact_div (tenure_exact_int (1), x);
  g_assert_false (tenure_exact_round (x, TENURE_ROUND_DEFAULT, &out, &e1));
  g_assert_error (e1, TENURE_ERROR, TENURE_ERROR_OVERFLOW);
  g_assert_cmpint (out, ==, 99);

  /* Fits in 128 bits but not in 64 after rounding. */
  x = tenure_exact_add (big, tenure_exact_int (1));
  g_assert_true (tenure_exact_is_ok (x));
  g_assert_false (tenure_exact_round (x, TENURE_ROUND_DEFAULT, &out, &e2));
  g_assert_error (e2, TENURE_ERROR, TENURE_ERROR_OVERFLOW);
  /* INT64_MIN is never produced. */
  g_assert_false (tenure_exact_round (tenure_exact_int (G_MININT64), TENURE_ROUND_DEFAULT,
                                      &out, &e3));
  g_assert_error (e3, TENURE_ERROR, TENURE_ERROR_OVERFLOW);
  g_assert_cmpint (out, ==, 99);
  g_assert_cmpint (round_ok (tenure_exact_neg (big), TENURE_ROUND_DEFAULT), ==, -G_MAXINT64);
  /* Rounding itself can overflow: INT64_MAX + 1/2 rounds up out of range. */
  g_assert_false (tenure_exact_round (tenure_exact_add (big, tenure_exact_frac (1, 2)),
                                      TENURE_ROUND_HALF_AWAY_FROM_ZERO, &out, &e4));
  g_assert_error (e4, TENURE_ERROR, TENURE_ERROR_OVERFLOW);
  g_assert_cmpint (round_ok (tenure_exact_add (big, tenure_exact_frac (1, 2)),
                             TENURE_ROUND_TOWARD_ZERO), ==, G_MAXINT64);

  x = tenure_exact_div (tenure_exact_int (5), tenure_exact_int (0));
  g_assert_false (tenure_exact_is_ok (x));
  x = tenure_exact_mul (x, tenure_exact_int (2));
  g_assert_false (tenure_exact_round (x, TENURE_ROUND_DEFAULT, &out, &e5));
  g_assert_error (e5, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_false (tenure_exact_is_ok (tenure_exact_frac (1, 0)));

  /* Large but exact: (2^62)^2 / 2^62 comes back. */
  x = tenure_exact_int ((gint64) 1 << 62);
  x = tenure_exact_div (tenure_exact_mul (x, x), x);
  g_assert_cmpint (round_ok (x, TENURE_ROUND_DEFAULT), ==, (gint64) 1 << 62);

  {
    gint64 r = 0;

    g_assert_true (tenure_minor_add (G_MAXINT64 - 1, 1, &r));
    g_assert_cmpint (r, ==, G_MAXINT64);
    g_assert_false (tenure_minor_add (G_MAXINT64, 1, &r));
    g_assert_false (tenure_minor_sub (-G_MAXINT64, 1, &r));
    g_assert_true (tenure_minor_sub (-G_MAXINT64 + 1, 1, &r));
    g_assert_cmpint (r, ==, -G_MAXINT64);
    g_assert_false (tenure_minor_mul ((gint64) 1 << 32, (gint64) 1 << 31, &r));
    g_assert_true (tenure_minor_mul (-3037000499, 3037000499, &r));
    g_assert_cmpint (r, ==, -G_GINT64_CONSTANT (9223372030926249001));
  }
}

/* domain.md §5, worked examples 1 and 2, and §6 VAT. */
static void
test_worked_examples (void)
{
  TenureExact month_365_12 = tenure_exact_frac (365, 12);
  TenureExact quarter = tenure_exact_mul (tenure_exact_int (3), month_365_12);
  gint64 price = 0, tax = 0, net = 0;
  g_autoptr(GError) error = NULL;
  TenureExact x;

  /* 5.0000 元/㎡/天 × 200.00 m² × 365/12 = 30,416.666… → 30,416.67 */
  x = tenure_exact_rent_fen (50000, 20000, month_365_12);
  g_assert_true (x.num == 9125000 && x.den == 3);
  g_assert_cmpint (round_ok (x, TENURE_ROUND_DEFAULT), ==, 3041667);
  /* A quarter is exact: 91,250.00 whatever the mode. */
  x = tenure_exact_rent_fen (50000, 20000, quarter);
  for (int mode = 0; mode <= TENURE_ROUND_CEILING; mode++)
    g_assert_cmpint (round_ok (x, mode), ==, 9125000);

  /* +5% each year, rounded to 4 decimals: 5.2500, then 5.5125. */
  g_assert_true (tenure_exact_escalate_price (50000, 50000, TENURE_ROUND_DEFAULT, &price,
                                              &error));
  g_assert_no_error (error);
  g_assert_cmpint (price, ==, 52500);
  g_assert_cmpint (round_ok (tenure_exact_rent_fen (price, 20000, quarter),
                             TENURE_ROUND_DEFAULT), ==, 9581250);
  g_assert_true (tenure_exact_escalate_price (price, 50000, TENURE_ROUND_DEFAULT, &price,
                                              &error));
  g_assert_cmpint (price, ==, 55125);
  /* 100,603.125 → 100,603.13 half away from zero; half-even would give .12. */
  x = tenure_exact_rent_fen (price, 20000, quarter);
  g_assert_cmpint (round_ok (x, TENURE_ROUND_DEFAULT), ==, 10060313);
  g_assert_cmpint (round_ok (x, TENURE_ROUND_HALF_EVEN), ==, 10060312);
  /* An escalation that needs rounding: 3.3333 × 1.03 = 3.433299 → 3.4333. */
  g_assert_true (tenure_exact_escalate_price (33333, 30000, TENURE_ROUND_DEFAULT, &price,
                                              &error));
  g_assert_cmpint (price, ==, 34333);
  g_assert_true (tenure_exact_escalate_price (33333, 30000, TENURE_ROUND_FLOOR, &price,
                                              &error));
  g_assert_cmpint (price, ==, 34332);

  /* Shop: 320.0000 元/㎡/月 × 85.50 m²: full month 27,360.00. */
  g_assert_cmpint (round_ok (tenure_exact_rent_fen (3200000, 8550, tenure_exact_int (1)),
                             TENURE_ROUND_DEFAULT), ==, 2736000);
  /* March 2026, 22 of 31 days: ACTUAL 19,416.77, FIXED_30 20,064.00. */
  g_assert_cmpint (round_ok (tenure_exact_rent_fen (3200000, 8550, tenure_exact_frac (22, 31)),
                             TENURE_ROUND_DEFAULT), ==, 1941677);
  x = tenure_exact_min (tenure_exact_int (22), tenure_exact_int (30));
  x = tenure_exact_div (x, tenure_exact_int (30));
  g_assert_cmpint (round_ok (tenure_exact_rent_fen (3200000, 8550, x), TENURE_ROUND_DEFAULT), ==,
                   2006400);
  /* March 2027, 9 of 31 days: 7,943.23. */
  g_assert_cmpint (round_ok (tenure_exact_rent_fen (3200000, 8550, tenure_exact_frac (9, 31)),
                             TENURE_ROUND_DEFAULT), ==, 794323);

  /* VAT 9% inside 91,250.00: tax 7,534.40, net 83,715.60. */
  g_assert_true (tenure_exact_vat_inclusive (9125000, 90000, TENURE_ROUND_DEFAULT, &tax, &net,
                                             &error));
  g_assert_no_error (error);
  g_assert_cmpint (tax, ==, 753440);
  g_assert_cmpint (net, ==, 8371560);
  /* A credit note: the same amounts negated. */
  g_assert_true (tenure_exact_vat_inclusive (-9125000, 90000, TENURE_ROUND_DEFAULT, &tax, &net,
                                             &error));
  g_assert_cmpint (tax, ==, -753440);
  g_assert_cmpint (net, ==, -8371560);
  {
    g_autoptr(GError) e = NULL;

    tax = 1;
    g_assert_false (tenure_exact_vat_inclusive (100, -1, TENURE_ROUND_DEFAULT, &tax, NULL, &e));
    g_assert_error (e, TENURE_ERROR, TENURE_ERROR_INVALID);
    g_assert_cmpint (tax, ==, 1);
  }

  /* Late fee §6: 10 days × 10,000.00 × 0.05% + 20 days × 6,000.00 × 0.05% = 110.00. */
  x = tenure_exact_mul (tenure_exact_int (10 * 1000000), tenure_exact_scaled (500, 6));
  x = tenure_exact_add (x, tenure_exact_mul (tenure_exact_int (20 * 600000),
                                             tenure_exact_scaled (500, 6)));
  g_assert_cmpint (round_ok (x, TENURE_ROUND_DEFAULT), ==, 11000);

  /* Scaled rounding: 1/3 yuan to 4 decimals. */
  g_assert_true (tenure_exact_round_scaled (tenure_exact_frac (1, 3), 4, TENURE_ROUND_DEFAULT,
                                            &price, &error));
  g_assert_cmpint (price, ==, 3333);
  g_assert_true (tenure_exact_round_scaled (tenure_exact_frac (2, 3), 4, TENURE_ROUND_DEFAULT,
                                            &price, &error));
  g_assert_cmpint (price, ==, 6667);
}

/* domain.md §9: 100,000.00 straight-line over 2026, by days per month. */
static void
test_split_straight_line (void)
{
  static const gint64 days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  gint64 parts[12];
  gint64 sum = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (tenure_exact_split (10000000, days, 12, TENURE_ROUND_DEFAULT, parts, &error));
  g_assert_no_error (error);
  g_assert_cmpint (parts[0], ==, 849315);
  g_assert_cmpint (parts[1], ==, 767123);
  g_assert_cmpint (parts[2], ==, 849315);
  g_assert_cmpint (parts[3], ==, 821918);
  for (int i = 0; i < 12; i++)
    sum += parts[i];
  g_assert_cmpint (sum, ==, 10000000);
  /* The same weights derived from the calendar: the lease year split at month starts. */
  {
    TenureDateRange year = tenure_date_range_make (tenure_date_from_ymd (2026, 1, 1),
                                                   tenure_date_from_ymd (2026, 12, 31));
    TenureDate starts[11];
    g_autoptr(GArray) months = NULL;
    gint64 weights[12], by_date[12];

    for (int m = 2; m <= 12; m++)
      starts[m - 2] = tenure_date_from_ymd (2026, m, 1);
    months = tenure_date_range_split (&year, starts, G_N_ELEMENTS (starts));
    g_assert_cmpuint (months->len, ==, 12);
    for (guint i = 0; i < 12; i++)
      weights[i] = tenure_date_range_days (&g_array_index (months, TenureDateRange, i));
    g_assert_true (tenure_exact_split (10000000, weights, 12, TENURE_ROUND_DEFAULT, by_date,
                                       &error));
    g_assert_true (memcmp (by_date, parts, sizeof parts) == 0);
  }

  /* Rounding each part on its own would lose a fen here (33 + 33 + 33); cumulative rounding
   * does not. */
  {
    static const gint64 thirds[3] = { 1, 1, 1 };

    g_assert_true (tenure_exact_split (100, thirds, 3, TENURE_ROUND_DEFAULT, parts, &error));
    g_assert_cmpint (parts[0], ==, 33);
    g_assert_cmpint (parts[1], ==, 34);
    g_assert_cmpint (parts[2], ==, 33);
  }

  /* A negative total (a reversal) splits into the negated parts. */
  g_assert_true (tenure_exact_split (-10000000, days, 12, TENURE_ROUND_DEFAULT, parts, &error));
  g_assert_cmpint (parts[0], ==, -849315);
  g_assert_cmpint (parts[1], ==, -767123);
}

static void
test_split_errors (void)
{
  gint64 parts[3] = { 7, 7, 7 };
  const gint64 negative[3] = { 1, -1, 5 };
  const gint64 zero[3] = { 0, 0, 0 };
  const gint64 huge[3] = { G_MAXINT64, 1, 1 };
  const gint64 some_zero[3] = { 0, 1, 0 };
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;
  g_autoptr(GError) e4 = NULL;

  g_assert_false (tenure_exact_split (100, negative, 3, TENURE_ROUND_DEFAULT, parts, &e1));
  g_assert_error (e1, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_nonnull (strstr (e1->message, "weight 2 is negative (-1)"));
  g_assert_false (tenure_exact_split (100, zero, 3, TENURE_ROUND_DEFAULT, parts, &e2));
  g_assert_error (e2, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_false (tenure_exact_split (100, huge, 3, TENURE_ROUND_DEFAULT, parts, &e3));
  g_assert_error (e3, TENURE_ERROR, TENURE_ERROR_OVERFLOW);
  g_assert_false (tenure_exact_split (G_MININT64, some_zero, 3, TENURE_ROUND_DEFAULT, parts,
                                      &e4));
  g_assert_error (e4, TENURE_ERROR, TENURE_ERROR_OVERFLOW);
  g_assert_cmpint (parts[0], ==, 7);
  g_assert_cmpint (parts[1], ==, 7);
  g_assert_cmpint (parts[2], ==, 7);

  g_assert_true (tenure_exact_split (G_MAXINT64, some_zero, 3, TENURE_ROUND_DEFAULT, parts,
                                     NULL));
  g_assert_cmpint (parts[0], ==, 0);
  g_assert_cmpint (parts[1], ==, G_MAXINT64);
  g_assert_cmpint (parts[2], ==, 0);
}

static gint64
rand_i64 (void)
{
  return (gint64) (((guint64) g_test_rand_int () << 32) | (guint32) g_test_rand_int ());
}

/* Parts always add up, and each is within one unit of its exact share. */
static void
test_split_property (void)
{
  int n = iterations (3000);

  for (int it = 0; it < n; it++)
    {
      gsize count = (gsize) g_test_rand_int_range (1, 40);
      gint64 weights[40], parts[40];
      gint64 total = rand_i64 () >> g_test_rand_int_range (0, 63);
      i128 sum_w = 0, sum_p = 0;
      int mode = g_test_rand_int_range (0, TENURE_ROUND_CEILING + 1);

      if (total == G_MININT64)
        total++;
      for (gsize i = 0; i < count; i++)
        {
          weights[i] = g_test_rand_int_range (0, 1000000);
          sum_w += weights[i];
        }
      if (sum_w == 0)
        weights[0] = sum_w = 1;
      g_assert_true (tenure_exact_split (total, weights, count, mode, parts, NULL));
      for (gsize i = 0; i < count; i++)
        {
          i128 exact_times_w = (i128) total * weights[i];
          i128 diff = (i128) parts[i] * sum_w - exact_times_w;

          sum_p += parts[i];
          if (diff < 0)
            diff = -diff;
          g_assert_true (diff <= sum_w);
        }
      g_assert_true (sum_p == total);
    }
}

/* Rounding written independently of the library, from floor division. */
static i128
floor_div (i128 n, i128 d)
{
  i128 q = n / d;

  if ((n % d != 0) && ((n < 0) != (d < 0)))
    q--;
  return q;
}

static i128
reference_round (i128 n, i128 d, TenureRounding mode)
{
  i128 fl = floor_div (n, d), ce = -floor_div (-n, d);

  switch (mode)
    {
    case TENURE_ROUND_FLOOR:
      return fl;
    case TENURE_ROUND_CEILING:
      return ce;
    case TENURE_ROUND_TOWARD_ZERO:
      return n >= 0 ? fl : ce;
    case TENURE_ROUND_AWAY_FROM_ZERO:
      return n >= 0 ? ce : fl;
    case TENURE_ROUND_HALF_AWAY_FROM_ZERO:
      /* floor(x + 1/2) for x >= 0, mirrored for x < 0 */
      return n >= 0 ? floor_div (2 * n + d, 2 * d) : -floor_div (-2 * n + d, 2 * d);
    case TENURE_ROUND_HALF_EVEN:
      {
        i128 twice_rem = 2 * (n - fl * d);     /* in [0, 2d) */

        if (twice_rem < d)
          return fl;
        if (twice_rem > d)
          return fl + 1;
        return (fl % 2 == 0) ? fl : fl + 1;
      }
    default:
      g_assert_not_reached ();
    }
}

/* price × area × quantity with the three day rules, against the reference computed here. */
static void
test_rent_property (void)
{
  int n = iterations (5000);

  for (int it = 0; it < n; it++)
    {
      gint64 price = g_test_rand_int_range (0, 100000000);      /* up to 10,000.0000 */
      gint64 area = g_test_rand_int_range (1, 10000000);        /* up to 100,000.00 m² */
      int dim = g_test_rand_int_range (28, 32);
      int covered = g_test_rand_int_range (1, dim + 1);
      int rule = g_test_rand_int_range (0, 4);
      int mode = g_test_rand_int_range (0, TENURE_ROUND_CEILING + 1);
      i128 qn, qd, want;
      gint64 got = 0;
      TenureExact q;

      if (g_test_rand_bit ())
        price = -price;                                         /* credits */
      switch (rule)
        {
        case 0:                                                 /* AVG_365_12 full months */
          qn = 365 * covered;
          qd = 12;
          break;
        case 1:                                                 /* ACTUAL partial month */
          qn = covered;
          qd = dim;
          break;
        case 2:                                                 /* FIXED_30 */
          qn = MIN (covered, 30);
          qd = 30;
          break;
        default:                                                /* per day */
          qn = covered;
          qd = 1;
          break;
        }
      q = tenure_exact_frac ((gint64) qn, (gint64) qd);
      want = reference_round ((i128) price * area * qn, (i128) 10000 * qd, mode);
      g_assert_true (tenure_exact_round (tenure_exact_rent_fen (price, area, q), mode, &got,
                                         NULL));
      if ((i128) got != want)
        g_error ("price %" G_GINT64_FORMAT " area %" G_GINT64_FORMAT " q %d/%d mode %d: got %"
                 G_GINT64_FORMAT, price, area, (int) qn, (int) qd, mode, got);
    }
}

/* a/b + c/d and a/b × c/d against cross-multiplication, rounded by the reference. */
static void
test_arith_property (void)
{
  int n = iterations (5000);

  for (int it = 0; it < n; it++)
    {
      gint64 a = rand_i64 () >> 16, b = (rand_i64 () >> 40) | 1;
      gint64 c = rand_i64 () >> 16, d = (rand_i64 () >> 40) | 1;
      int mode = g_test_rand_int_range (0, TENURE_ROUND_CEILING + 1);
      TenureExact x = tenure_exact_frac (a, b), y = tenure_exact_frac (c, d);
      gint64 got;

      if (b < 0)
        b = -b;
      if (d < 0)
        d = -d;
      x = tenure_exact_frac (a, b);
      y = tenure_exact_frac (c, d);
      g_assert_true (tenure_exact_round (tenure_exact_add (x, y), mode, &got, NULL));
      g_assert_true ((i128) got == reference_round ((i128) a * d + (i128) c * b, (i128) b * d,
                                                    mode));
      {
        i128 diff = (i128) a * d - (i128) c * b;

        g_assert_cmpint (tenure_exact_cmp (x, y), ==, diff > 0 ? 1 : diff < 0 ? -1 : 0);
      }
      g_assert_true (tenure_exact_round (tenure_exact_sub (x, y), mode, &got, NULL));
      g_assert_true ((i128) got == reference_round ((i128) a * d - (i128) c * b, (i128) b * d,
                                                    mode));
      /* a × c may exceed 64 bits: compare only when the reference fits. */
      {
        i128 want = reference_round ((i128) (a >> 20) * c, (i128) b * d, mode);
        TenureExact p = tenure_exact_mul (tenure_exact_frac (a >> 20, b), y);

        if (want <= G_MAXINT64 && want >= -G_MAXINT64)
          {
            g_assert_true (tenure_exact_round (p, mode, &got, NULL));
            g_assert_true ((i128) got == want);
          }
        if (c != 0)
          {
            TenureExact q = tenure_exact_div (x, y);

            want = reference_round ((i128) a * d * (c < 0 ? -1 : 1),
                                    (i128) b * (c < 0 ? -c : c), mode);
            if (want <= G_MAXINT64 && want >= -G_MAXINT64)
              {
                g_assert_true (tenure_exact_round (q, mode, &got, NULL));
                g_assert_true ((i128) got == want);
              }
          }
      }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/exact/round/modes", test_round_modes);
  g_test_add_func ("/exact/arith/basics", test_arith);
  g_test_add_func ("/exact/arith/overflow", test_overflow);
  g_test_add_func ("/exact/billing/worked-examples", test_worked_examples);
  g_test_add_func ("/exact/split/straight-line", test_split_straight_line);
  g_test_add_func ("/exact/split/errors", test_split_errors);
  g_test_add_func ("/exact/split/property", test_split_property);
  g_test_add_func ("/exact/property/rent-vs-reference", test_rent_property);
  g_test_add_func ("/exact/property/arith-vs-reference", test_arith_property);

  return g_test_run ();
}
