/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How an exact value becomes an integer. The product's default is HALF_AWAY_FROM_ZERO
 * (四舍五入); every rounding names its mode. */
typedef enum
{
  TENURE_ROUND_HALF_AWAY_FROM_ZERO = 0, /* 2.5 → 3, -2.5 → -3 */
  TENURE_ROUND_HALF_EVEN,               /* 2.5 → 2, 3.5 → 4 (banker's) */
  TENURE_ROUND_TOWARD_ZERO,             /* truncate: 2.9 → 2, -2.9 → -2 */
  TENURE_ROUND_AWAY_FROM_ZERO,          /* 2.1 → 3, -2.1 → -3 */
  TENURE_ROUND_FLOOR,                   /* toward -∞ */
  TENURE_ROUND_CEILING,                 /* toward +∞ */
} TenureRounding;

#define TENURE_ROUND_DEFAULT TENURE_ROUND_HALF_AWAY_FROM_ZERO

/* An exact rational number num/den with 128-bit parts, always reduced, den > 0.
 *
 * Overflow and division by zero are sticky: an operation that cannot be represented returns an
 * error value (den == 0), every later operation passes it on, and the final
 * tenure_exact_round() reports it as a GError (TENURE_ERROR_OVERFLOW, or TENURE_ERROR_INVALID
 * for a division by zero). So a chain of arithmetic needs one check, where it is rounded.
 * Values are small structs passed by value; they own nothing. */
typedef struct
{
  __int128 num;
  __int128 den;
} TenureExact;

/* n/1 */
TenureExact tenure_exact_int        (gint64 n);
/* num/den; den == 0 gives the division-by-zero error value. */
TenureExact tenure_exact_frac       (gint64 num, gint64 den);
/* value / 10^scale: a fixed-point decimal (price 1e-4 → scale 4, ppm → scale 6); scale <= 18. */
TenureExact tenure_exact_scaled     (gint64 value, guint scale);

TenureExact tenure_exact_add        (TenureExact a, TenureExact b);
TenureExact tenure_exact_sub        (TenureExact a, TenureExact b);
TenureExact tenure_exact_mul        (TenureExact a, TenureExact b);
TenureExact tenure_exact_div        (TenureExact a, TenureExact b);
TenureExact tenure_exact_neg        (TenureExact a);
TenureExact tenure_exact_min        (TenureExact a, TenureExact b);
TenureExact tenure_exact_max        (TenureExact a, TenureExact b);

/* FALSE for the overflow / division-by-zero error value. */
gboolean    tenure_exact_is_ok      (TenureExact a);
/* -1, 0 or 1; both must be ok (an error value compares as 0). */
int         tenure_exact_cmp        (TenureExact a, TenureExact b);
/* -1, 0 or 1. */
int         tenure_exact_sign       (TenureExact a);

/* Rounds @x to an integer with @mode. Fails with TENURE_ERROR_OVERFLOW when @x is the overflow
 * value or the result is outside ±INT64_MAX (INT64_MIN is never produced, so results can be
 * negated safely), TENURE_ERROR_INVALID after a division by zero. */
gboolean    tenure_exact_round      (TenureExact     x,
                                     TenureRounding  mode,
                                     gint64         *out,
                                     GError        **error);
/* Rounds @x × 10^@scale: e.g. a price in yuan to 4 decimals (scale 4) gives 1e-4 units. */
gboolean    tenure_exact_round_scaled (TenureExact     x,
                                       guint           scale,
                                       TenureRounding  mode,
                                       gint64         *out,
                                       GError        **error);

/* Billing helpers. Units: unit prices in 1e-4 yuan, areas in 0.01 m², rates in ppm, money in
 * fen (minor units). */

/* Exact amount in fen of @unit_price_e4 × @area_centi × @quantity, where @quantity is the
 * number of days or months charged (e.g. 365/12 days, 22/31 of a month, min(22,30)/30).
 * Round it once with tenure_exact_round(). */
TenureExact tenure_exact_rent_fen   (gint64      unit_price_e4,
                                     gint64      area_centi,
                                     TenureExact quantity);

/* Escalated unit price: @price_e4 × (1 + @rate_ppm / 10^6), rounded with @mode to 4 decimals
 * (5.0000 at 5% → 5.2500 → 5.5125). */
gboolean    tenure_exact_escalate_price (gint64          price_e4,
                                         gint64          rate_ppm,
                                         TenureRounding  mode,
                                         gint64         *out_e4,
                                         GError        **error);

/* VAT inside a tax-inclusive @gross (minor units): tax = round(gross × r / (1 + r)) with r =
 * @rate_ppm / 10^6, net = gross − tax. Either out pointer may be NULL. @rate_ppm must be >= 0. */
gboolean    tenure_exact_vat_inclusive  (gint64          gross,
                                         gint64          rate_ppm,
                                         TenureRounding  mode,
                                         gint64         *tax,
                                         gint64         *net,
                                         GError        **error);

/* Splits @total into @n_parts parts proportional to @weights (each >= 0, sum > 0 and within
 * 64 bits) by cumulative rounding: part i = round(total × W_i / W) − round(total × W_(i−1) / W)
 * where W_i is the sum of the first i weights. The parts always add up to @total exactly.
 * Fails with TENURE_ERROR_INVALID (negative weight, zero sum) or TENURE_ERROR_OVERFLOW
 * (weight sum beyond 64 bits) and then leaves @parts untouched. */
gboolean    tenure_exact_split      (gint64          total,
                                     const gint64   *weights,
                                     gsize           n_parts,
                                     TenureRounding  mode,
                                     gint64         *parts,
                                     GError        **error);

/* Checked 64-bit arithmetic on minor units: FALSE (and *out untouched) when the exact result is
 * outside ±INT64_MAX. */
gboolean    tenure_minor_add        (gint64 a, gint64 b, gint64 *out);
gboolean    tenure_minor_sub        (gint64 a, gint64 b, gint64 *out);
gboolean    tenure_minor_mul        (gint64 a, gint64 b, gint64 *out);

G_END_DECLS
