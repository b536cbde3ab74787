/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-exact"

#include "tenure-exact.h"

#include "tenure-error.h"
#include "tenure-i18n.h"

typedef __int128 i128;
typedef unsigned __int128 u128;

#define I128_MAX ((i128) (((u128) 1 << 127) - 1))

/* Error values: den == 0, num tells which. */
#define ERR_OVERFLOW 1
#define ERR_DIV_ZERO 2

static const TenureExact exact_overflow = { ERR_OVERFLOW, 0 };
static const TenureExact exact_div_zero = { ERR_DIV_ZERO, 0 };

static u128
u128_abs (i128 v)
{
  return v < 0 ? (u128) 0 - (u128) v : (u128) v;
}

static u128
u128_gcd (u128 a, u128 b)
{
  while (b != 0)
    {
      u128 t = a % b;
      a = b;
      b = t;
    }
  return a;
}

/* Reduces num/den (den != 0) to lowest terms with den > 0. Numerators are kept within
 * ±I128_MAX so negation never overflows. */
static TenureExact
make_reduced (i128 num, i128 den)
{
  TenureExact r;
  u128 g;

  if (den == 0)
    return exact_div_zero;
  if (num == -I128_MAX - 1 || den == -I128_MAX - 1)
    return exact_overflow;
  if (den < 0)
    {
      num = -num;
      den = -den;
    }
  g = u128_gcd (u128_abs (num), (u128) den);
  if (g > 1)
    {
      num /= (i128) g;
      den /= (i128) g;
    }
  r.num = num;
  r.den = den;
  return r;
}

gboolean
tenure_exact_is_ok (TenureExact a)
{
  return a.den > 0;
}

/* First error value among the operands, for propagation. */
static gboolean
pick_error (TenureExact a, TenureExact b, TenureExact *err)
{
  if (!tenure_exact_is_ok (a))
    {
      *err = a;
      return TRUE;
    }
  if (!tenure_exact_is_ok (b))
    {
      *err = b;
      return TRUE;
    }
  return FALSE;
}

TenureExact
tenure_exact_int (gint64 n)
{
  TenureExact r = { n, 1 };

  return r;
}

TenureExact
tenure_exact_frac (gint64 num, gint64 den)
{
  return make_reduced (num, den);
}

static i128
pow10_i128 (guint scale)
{
  i128 p = 1;

  for (guint i = 0; i < scale; i++)
    p *= 10;
  return p;
}

TenureExact
tenure_exact_scaled (gint64 value, guint scale)
{
  g_return_val_if_fail (scale <= 18, exact_overflow);

  return make_reduced (value, pow10_i128 (scale));
}

TenureExact
tenure_exact_add (TenureExact a, TenureExact b)
{
  TenureExact err;
  i128 g, bd, x, y, num, den;

  if (pick_error (a, b, &err))
    return err;
  g = (i128) u128_gcd ((u128) a.den, (u128) b.den);
  bd = b.den / g;
  if (__builtin_mul_overflow (a.num, bd, &x)
      || __builtin_mul_overflow (b.num, a.den / g, &y)
      || __builtin_add_overflow (x, y, &num)
      || __builtin_mul_overflow (a.den, bd, &den))
    return exact_overflow;
  return make_reduced (num, den);
}

TenureExact
tenure_exact_neg (TenureExact a)
{
  if (tenure_exact_is_ok (a))
    a.num = -a.num;
  return a;
}

TenureExact
tenure_exact_sub (TenureExact a, TenureExact b)
{
  return tenure_exact_add (a, tenure_exact_neg (b));
}

TenureExact
tenure_exact_mul (TenureExact a, TenureExact b)
{
  TenureExact err;
  i128 g1, g2, num, den;

  if (pick_error (a, b, &err))
    return err;
  /* Cross-reduce first so the products stay as small as the result allows. */
  g1 = (i128) u128_gcd (u128_abs (a.num), (u128) b.den);
  g2 = (i128) u128_gcd (u128_abs (b.num), (u128) a.den);
  if (g1 == 0)
    g1 = 1;
  if (g2 == 0)
    g2 = 1;
  if (__builtin_mul_overflow (a.num / g1, b.num / g2, &num)
      || __builtin_mul_overflow (a.den / g2, b.den / g1, &den))
    return exact_overflow;
  return make_reduced (num, den);
}

TenureExact
tenure_exact_div (TenureExact a, TenureExact b)
{
  TenureExact err, inv;

  if (pick_error (a, b, &err))
    return err;
  if (b.num == 0)
    return exact_div_zero;
  inv.num = b.num < 0 ? -b.den : b.den;
  inv.den = b.num < 0 ? -b.num : b.num;
  return tenure_exact_mul (a, inv);
}

int
tenure_exact_sign (TenureExact a)
{
  if (!tenure_exact_is_ok (a))
    return 0;
  return a.num > 0 ? 1 : a.num < 0 ? -1 : 0;
}

/* Compares an/ad with bn/bd (all positive but the numerators, which may be 0) by continued
 * fractions, so no product can overflow. */
static int
cmp_nonneg (u128 an, u128 ad, u128 bn, u128 bd)
{
  for (;;)
    {
      u128 qa = an / ad, qb = bn / bd, ra = an % ad, rb = bn % bd;
      u128 t;

      if (qa != qb)
        return qa < qb ? -1 : 1;
      if (ra == 0 || rb == 0)
        return ra == rb ? 0 : ra == 0 ? -1 : 1;
      /* ra/ad < rb/bd exactly when bd/rb < ad/ra */
      t = ad;
      an = bd;
      ad = rb;
      bn = t;
      bd = ra;
    }
}

int
tenure_exact_cmp (TenureExact a, TenureExact b)
{
  int sa, sb;

  g_return_val_if_fail (tenure_exact_is_ok (a) && tenure_exact_is_ok (b), 0);

  sa = tenure_exact_sign (a);
  sb = tenure_exact_sign (b);
  if (sa != sb)
    return sa < sb ? -1 : 1;
  if (sa == 0)
    return 0;
  if (sa > 0)
    return cmp_nonneg ((u128) a.num, (u128) a.den, (u128) b.num, (u128) b.den);
  return -cmp_nonneg (u128_abs (a.num), (u128) a.den, u128_abs (b.num), (u128) b.den);
}

TenureExact
tenure_exact_min (TenureExact a, TenureExact b)
{
  TenureExact err;

  if (pick_error (a, b, &err))
    return err;
  return tenure_exact_cmp (a, b) <= 0 ? a : b;
}

TenureExact
tenure_exact_max (TenureExact a, TenureExact b)
{
  TenureExact err;

  if (pick_error (a, b, &err))
    return err;
  return tenure_exact_cmp (a, b) >= 0 ? a : b;
}

static gboolean
report_error (TenureExact x, GError **error)
{
  if (x.num == ERR_DIV_ZERO)
    g_set_error_literal (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                         _("A calculation divided by zero"));
  else
    g_set_error_literal (error, TENURE_ERROR, TENURE_ERROR_OVERFLOW,
                         _("A calculation exceeded the largest amount that can be stored"));
  return FALSE;
}

/* num/den rounded to an integer (den > 0). */
static i128
round_quotient (i128 num, i128 den, TenureRounding mode)
{
  i128 q = num / den;
  i128 r = num % den;
  u128 ar = u128_abs (r);
  u128 rest = (u128) den - ar;          /* distance to the next integer away from zero */
  int sign = num < 0 ? -1 : 1;

  if (r == 0)
    return q;
  switch (mode)
    {
    case TENURE_ROUND_TOWARD_ZERO:
      return q;
    case TENURE_ROUND_AWAY_FROM_ZERO:
      return q + sign;
    case TENURE_ROUND_FLOOR:
      return sign < 0 ? q - 1 : q;
    case TENURE_ROUND_CEILING:
      return sign > 0 ? q + 1 : q;
    case TENURE_ROUND_HALF_EVEN:
      if (ar > rest || (ar == rest && (q & 1) != 0))
        return q + sign;
      return q;
    case TENURE_ROUND_HALF_AWAY_FROM_ZERO:
    default:
      return ar >= rest ? q + sign : q;
    }
}

gboolean
tenure_exact_round (TenureExact     x,
                    TenureRounding  mode,
                    gint64         *out,
                    GError        **error)
{
  i128 v;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!tenure_exact_is_ok (x))
    return report_error (x, error);
  v = round_quotient (x.num, x.den, mode);
  if (v > G_MAXINT64 || v < -G_MAXINT64)
    return report_error (exact_overflow, error);
  *out = (gint64) v;
  return TRUE;
}

gboolean
tenure_exact_round_scaled (TenureExact     x,
                           guint           scale,
                           TenureRounding  mode,
                           gint64         *out,
                           GError        **error)
{
  g_return_val_if_fail (scale <= 18, FALSE);

  return tenure_exact_round (tenure_exact_mul (x, make_reduced (pow10_i128 (scale), 1)),
                             mode, out, error);
}

TenureExact
tenure_exact_rent_fen (gint64      unit_price_e4,
                       gint64      area_centi,
                       TenureExact quantity)
{
  /* price_e4 / 10^4 yuan × area_centi / 100 m² × 100 fen/yuan = price × area / 10^4 fen */
  TenureExact per_unit = tenure_exact_mul (tenure_exact_int (unit_price_e4),
                                           tenure_exact_frac (area_centi, 10000));

  return tenure_exact_mul (per_unit, quantity);
}

gboolean
tenure_exact_escalate_price (gint64          price_e4,
                             gint64          rate_ppm,
                             TenureRounding  mode,
                             gint64         *out_e4,
                             GError        **error)
{
  TenureExact factor = tenure_exact_add (tenure_exact_int (1), tenure_exact_scaled (rate_ppm, 6));

  return tenure_exact_round (tenure_exact_mul (tenure_exact_int (price_e4), factor),
                             mode, out_e4, error);
}

gboolean
tenure_exact_vat_inclusive (gint64          gross,
                            gint64          rate_ppm,
                            TenureRounding  mode,
                            gint64         *tax,
                            gint64         *net,
                            GError        **error)
{
  gint64 t, n;

  if (rate_ppm < 0)
    {
      char rate[32];

      g_snprintf (rate, sizeof rate, "%" G_GINT64_FORMAT, rate_ppm);
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("A VAT rate cannot be negative (%s ppm)"), rate);
      return FALSE;
    }
  /* gross × r / (1 + r) = gross × ppm / (10^6 + ppm) */
  if (!tenure_exact_round (tenure_exact_mul (tenure_exact_int (gross),
                                             make_reduced (rate_ppm,
                                                           (i128) 1000000 + rate_ppm)),
                           mode, &t, error))
    return FALSE;
  /* |tax| <= |gross|, so the difference always fits. */
  n = gross - t;
  if (tax)
    *tax = t;
  if (net)
    *net = n;
  return TRUE;
}

gboolean
tenure_exact_split (gint64          total,
                    const gint64   *weights,
                    gsize           n_parts,
                    TenureRounding  mode,
                    gint64         *parts,
                    GError        **error)
{
  gint64 sum = 0;
  i128 cum = 0, prev_rounded = 0;

  g_return_val_if_fail (weights != NULL || n_parts == 0, FALSE);
  g_return_val_if_fail (parts != NULL || n_parts == 0, FALSE);

  if (total == G_MININT64)
    return report_error (exact_overflow, error);
  for (gsize i = 0; i < n_parts; i++)
    {
      if (weights[i] < 0)
        {
          char index[32], weight[32];

          g_snprintf (index, sizeof index, "%" G_GSIZE_FORMAT, i + 1);
          g_snprintf (weight, sizeof weight, "%" G_GINT64_FORMAT, weights[i]);
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("Cannot split an amount: weight %s is negative (%s)"), index, weight);
          return FALSE;
        }
      if (__builtin_add_overflow (sum, weights[i], &sum))
        return report_error (exact_overflow, error);
    }
  if (sum == 0)
    {
      g_set_error_literal (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                           _("Cannot split an amount: the weights add up to zero"));
      return FALSE;
    }
  /* |total| < 2^63 and cum <= sum < 2^63: the products fit in 127 bits. Each cumulative
   * rounding lies between 0 and total, so every part fits in 64 bits. */
  for (gsize i = 0; i < n_parts; i++)
    {
      i128 rounded;

      cum += weights[i];
      rounded = round_quotient ((i128) total * cum, sum, mode);
      parts[i] = (gint64) (rounded - prev_rounded);
      prev_rounded = rounded;
    }
  return TRUE;
}

gboolean
tenure_minor_add (gint64 a, gint64 b, gint64 *out)
{
  gint64 r;

  if (__builtin_add_overflow (a, b, &r) || r == G_MININT64)
    return FALSE;
  *out = r;
  return TRUE;
}

gboolean
tenure_minor_sub (gint64 a, gint64 b, gint64 *out)
{
  gint64 r;

  if (__builtin_sub_overflow (a, b, &r) || r == G_MININT64)
    return FALSE;
  *out = r;
  return TRUE;
}

gboolean
tenure_minor_mul (gint64 a, gint64 b, gint64 *out)
{
  gint64 r;

  if (__builtin_mul_overflow (a, b, &r) || r == G_MININT64)
    return FALSE;
  *out = r;
  return TRUE;
}
