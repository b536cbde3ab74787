/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An ISO 4217 currency: its code, the number of decimal digits of its minor unit, and the
 * symbol shown before amounts. Entries are static; compare pointers or codes. */
typedef struct
{
  const char *code;     /* "CNY" */
  guint       digits;   /* 2 for fen and cents, 0 for JPY and KRW */
  const char *symbol;   /* "¥" */
} TenureCurrency;

/* An amount in minor units (fen for CNY) of its currency. Amounts are within ±INT64_MAX:
 * INT64_MIN is never produced by parsing or by the checked arithmetic, so any amount can be
 * negated; tenure_money_format() still prints it correctly. */
typedef struct
{
  gint64                minor;
  const TenureCurrency *currency;
} TenureMoney;

/* Largest number of decimals tenure_decimal_parse() accepts as a scale. */
#define TENURE_DECIMAL_MAX_SCALE 18

/* Fixed-point scales used across the product. */
#define TENURE_SCALE_PRICE 4    /* unit prices in 0.0001 yuan */
#define TENURE_SCALE_AREA  2    /* areas in 0.01 m² */
#define TENURE_SCALE_PPM   6    /* rates in parts per million */

typedef enum
{
  TENURE_MONEY_FORMAT_DEFAULT     = 0,
  TENURE_MONEY_FORMAT_NO_SYMBOL   = 1 << 0,     /* "1,234.56" */
  TENURE_MONEY_FORMAT_NO_GROUPING = 1 << 1,     /* "¥1234.56" */
} TenureMoneyFormatFlags;

/* The currency with ISO code @code (upper case: "CNY", "JPY"), or NULL when unknown. */
const TenureCurrency *tenure_currency_lookup  (const char *code);
/* CNY. */
const TenureCurrency *tenure_currency_default (void);
/* All known currencies, NULL-terminated: the array is static. */
const TenureCurrency * const *tenure_currency_list (void);

/* @minor units of @currency (NULL means CNY). */
TenureMoney tenure_money_new (gint64 minor, const TenureCurrency *currency);

/* The one strict decimal parser for prices, areas and rates: "1,234.5678" at @scale 4 gives
 * 12345678. Accepts an optional sign, thousands grouped by commas (groups of exactly three),
 * full-width digits and ，． , surrounding spaces, and a trailing % that divides by 100
 * ("9%" at scale 6 gives 90000 ppm, "0.05%" gives 500). Refuses, with TENURE_ERROR_INVALID and
 * a message naming the text and the problem: empty text, a lone sign, two signs, more decimals
 * than @scale, misplaced commas, any other character; TENURE_ERROR_OVERFLOW beyond ±INT64_MAX.
 * @out is only written on success. */
gboolean tenure_decimal_parse (const char *text,
                               guint       scale,
                               gint64     *out,
                               GError    **error);
/* @value / 10^@scale as text in the C locale with exactly @scale decimals ("5.2500"), grouped
 * by thousands when @grouping. Newly allocated. */
char    *tenure_decimal_format (gint64 value, guint scale, gboolean grouping);

/* Parses an amount of @currency (NULL means CNY): everything tenure_decimal_parse() accepts
 * (without %), at most the currency's decimals (none for JPY), plus a currency symbol or code
 * before the number (¥ or ￥ for CNY and JPY, JP¥, $, €, …), 元 after a CNY amount, and
 * parentheses for a negative amount: "(1,234.56)" is -123456 fen. */
gboolean tenure_money_parse   (const char           *text,
                               const TenureCurrency *currency,
                               TenureMoney          *out,
                               GError              **error);
/* "¥1,234.56", "-¥1,234.56", "JP¥1,235", "CHF 12.00"; C locale whatever LC_NUMERIC says.
 * Newly allocated. */
char    *tenure_money_format  (TenureMoney m, TenureMoneyFormatFlags flags);
/* "1234.56", "-0.05", "1235" (JPY): for files, SQL and CSV. Newly allocated. */
char    *tenure_money_format_plain (TenureMoney m);

G_END_DECLS
