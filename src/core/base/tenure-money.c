/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-money"

#include "tenure-money.h"

#include <string.h>

#include "tenure-error.h"
#include "tenure-i18n.h"

typedef unsigned __int128 u128;

typedef struct
{
  TenureCurrency pub;
  /* Accepted before the number, longest first so "JP¥" wins over "¥". */
  const char *prefixes[6];
  /* Accepted after the number. */
  const char *suffixes[4];
} CurrencyEntry;

static const CurrencyEntry currencies[] = {
  { { "CNY", 2, "¥" }, { "CNY", "RMB", "CN¥", "¥", "￥" }, { "CNY", "RMB", "元" } },
  { { "USD", 2, "$" }, { "USD", "US$", "$" }, { "USD" } },
  { { "EUR", 2, "€" }, { "EUR", "€" }, { "EUR", "€" } },
  { { "GBP", 2, "£" }, { "GBP", "£" }, { "GBP" } },
  { { "CHF", 2, "CHF" }, { "CHF" }, { "CHF" } },
  { { "SEK", 2, "kr" }, { "SEK", "kr" }, { "SEK", "kr" } },
  { { "HKD", 2, "HK$" }, { "HKD", "HK$" }, { "HKD" } },
  { { "SGD", 2, "S$" }, { "SGD", "S$" }, { "SGD" } },
  { { "AUD", 2, "A$" }, { "AUD", "A$" }, { "AUD" } },
  { { "CAD", 2, "C$" }, { "CAD", "C$" }, { "CAD" } },
  { { "JPY", 0, "JP¥" }, { "JPY", "JP¥", "¥", "￥" }, { "JPY", "円" } },
  { { "KRW", 0, "₩" }, { "KRW", "₩", "￦" }, { "KRW", "원" } },
};

static const TenureCurrency * const currency_list[] = {
  &currencies[0].pub, &currencies[1].pub, &currencies[2].pub, &currencies[3].pub,
  &currencies[4].pub, &currencies[5].pub, &currencies[6].pub, &currencies[7].pub,
  &currencies[8].pub, &currencies[9].pub, &currencies[10].pub, &currencies[11].pub,
  NULL,
};

G_STATIC_ASSERT (G_N_ELEMENTS (currency_list) == G_N_ELEMENTS (currencies) + 1);

static const guint64 pow10_u64[] = {
  1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull, 100000000ull,
  1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull, 10000000000000ull,
  100000000000000ull, 1000000000000000ull, 10000000000000000ull, 100000000000000000ull,
  1000000000000000000ull,
};

G_STATIC_ASSERT (G_N_ELEMENTS (pow10_u64) == TENURE_DECIMAL_MAX_SCALE + 1);

const TenureCurrency *
tenure_currency_lookup (const char *code)
{
  g_return_val_if_fail (code != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (currencies); i++)
    if (strcmp (currencies[i].pub.code, code) == 0)
      return &currencies[i].pub;
  return NULL;
}

const TenureCurrency *
tenure_currency_default (void)
{
  return &currencies[0].pub;
}

const TenureCurrency * const *
tenure_currency_list (void)
{
  return currency_list;
}

static const CurrencyEntry *
entry_for (const TenureCurrency *currency)
{
  for (gsize i = 0; i < G_N_ELEMENTS (currencies); i++)
    if (&currencies[i].pub == currency || strcmp (currencies[i].pub.code, currency->code) == 0)
      return &currencies[i];
  return NULL;
}

TenureMoney
tenure_money_new (gint64 minor, const TenureCurrency *currency)
{
  TenureMoney m = { minor, currency ? currency : tenure_currency_default () };

  return m;
}

/* Parsing ---------------------------------------------------------------------------------- */

/* Text of a user's input, safe and short enough to quote in a message. */
static char *
quote_for_message (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  if (g_utf8_strlen (valid, -1) > 40)
    {
      g_autofree char *head = g_utf8_substring (valid, 0, 40);
      return g_strconcat (head, "…", NULL);
    }
  return g_steal_pointer (&valid);
}

/* Maps full-width digits and punctuation, and the various spaces and minus signs, to ASCII so
 * the grammar below only deals with ASCII; other characters are kept. @text is valid UTF-8. */
static char *
normalize (const char *text)
{
  GString *s = g_string_sized_new (strlen (text));

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0xFF10 && c <= 0xFF19)                       /* ０-９ */
        g_string_append_c (s, (char) ('0' + (c - 0xFF10)));
      else if (c == 0xFF0C)                                 /* ， */
        g_string_append_c (s, ',');
      else if (c == 0xFF0E)                                 /* ． */
        g_string_append_c (s, '.');
      else if (c == 0xFF0D || c == 0x2212)                  /* － − */
        g_string_append_c (s, '-');
      else if (c == 0xFF0B)                                 /* ＋ */
        g_string_append_c (s, '+');
      else if (c == 0xFF08)                                 /* （ */
        g_string_append_c (s, '(');
      else if (c == 0xFF09)                                 /* ） */
        g_string_append_c (s, ')');
      else if (c == 0xFF05)                                 /* ％ */
        g_string_append_c (s, '%');
      else if (c == '\t' || c == '\n' || c == '\r' || c == 0x3000 || c == 0x00A0
               || c == 0x202F || c == 0x2009)
        g_string_append_c (s, ' ');
      else
        g_string_append_unichar (s, c);
    }
  return g_string_free (s, FALSE);
}

/* Removes spaces at both ends of @s in place and returns it. */
static char *
trim (char *s)
{
  return g_strstrip (s);
}

static gboolean
is_sign (char c)
{
  return c == '-' || c == '+';
}

typedef struct
{
  int   code;      /* TenureError */
  char *reason;    /* translated, owned */
} ParseFailure;

static gboolean
fail (ParseFailure *f, int code, char *reason)
{
  f->code = code;
  f->reason = reason;
  return FALSE;
}

/* What a character at @p means to a reader, for "unexpected character" messages. */
static char *
unexpected_reason (const char *p)
{
  g_autofree char *ch = NULL;

  if (*p == ' ')
    return g_strdup (_("it contains a space"));
  if (*p == ',')
    return g_strdup (_("a comma is misplaced (commas separate groups of three digits)"));
  if (is_sign (*p))
    return g_strdup (_("a sign can only come first"));
  ch = g_strndup (p, g_utf8_next_char (p) - p);
  return g_strdup_printf (_("unexpected character “%s”"), ch);
}

/* Parses an unsigned decimal "1,234.56" (with "%" when @allow_percent) into units of
 * 10^-@scale, negated when @negative; @too_many_decimals is the reason given when the text has
 * more decimals than @scale. */
static gboolean
parse_unsigned (const char   *body,
                guint         scale,
                gboolean      allow_percent,
                const char   *too_many_decimals,
                gboolean      negative,
                gint64       *out,
                ParseFailure *f)
{
  const char *p = body, *int_start, *int_end, *frac_start = NULL, *frac_end = NULL;
  gboolean has_point = FALSE, percent = FALSE, overflow = FALSE;
  guint n_frac, shift;
  u128 mantissa = 0, value;

  int_start = p;
  while (g_ascii_isdigit (*p) || *p == ',')
    p++;
  int_end = p;
  if (*p == '.')
    {
      has_point = TRUE;
      frac_start = ++p;
      while (g_ascii_isdigit (*p))
        p++;
      frac_end = p;
    }
  if (allow_percent && *p == '%')
    {
      percent = TRUE;
      p++;
    }
  if (*p != '\0')
    return fail (f, TENURE_ERROR_INVALID, unexpected_reason (p));
  if (int_start == int_end && !has_point)
    return fail (f, TENURE_ERROR_INVALID, g_strdup (_("it has no digits")));
  if (has_point && (int_start == int_end || frac_start == frac_end))
    return fail (f, TENURE_ERROR_INVALID,
                 g_strdup (_("a decimal point needs digits on both sides")));

  /* Grouping: 1–3 digits, then groups of exactly three. */
  if (memchr (int_start, ',', int_end - int_start) != NULL)
    {
      const char *g = int_start;
      gsize first = 0;

      while (g < int_end && *g != ',')
        g++, first++;
      if (first < 1 || first > 3)
        return fail (f, TENURE_ERROR_INVALID,
                     g_strdup (_("a comma is misplaced (commas separate groups of three "
                                 "digits)")));
      while (g < int_end)
        {
          gsize n = 0;

          g++;   /* the comma */
          while (g < int_end && *g != ',')
            g++, n++;
          if (n != 3)
            return fail (f, TENURE_ERROR_INVALID,
                         g_strdup (_("a comma is misplaced (commas separate groups of three "
                                     "digits)")));
        }
    }

  n_frac = has_point ? (guint) (frac_end - frac_start) : 0;
  if (n_frac + (percent ? 2 : 0) > scale)
    return fail (f, TENURE_ERROR_INVALID, g_strdup (too_many_decimals));

  for (const char *d = int_start; d < int_end; d++)
    if (*d != ',' && !overflow)
      {
        mantissa = mantissa * 10 + (guint) (*d - '0');
        overflow = mantissa > G_MAXINT64;
      }
  for (const char *d = frac_start; has_point && d < frac_end; d++)
    if (!overflow)
      {
        mantissa = mantissa * 10 + (guint) (*d - '0');
        overflow = mantissa > G_MAXINT64;
      }
  shift = scale - n_frac - (percent ? 2 : 0);
  /* mantissa <= INT64_MAX and 10^shift <= 10^18: the product fits in 128 bits. */
  value = mantissa * pow10_u64[shift];
  if (overflow || value > G_MAXINT64)
    return fail (f, TENURE_ERROR_OVERFLOW, g_strdup (_("it is too large to be stored")));
  *out = negative ? -(gint64) value : (gint64) value;
  return TRUE;
}

static char *
decimals_reason (guint max)
{
  if (max == 0)
    return g_strdup (_("no decimal places are allowed"));
  return g_strdup_printf (_("it has too many decimal places (at most %u)"), max);
}

gboolean
tenure_decimal_parse (const char *text,
                      guint       scale,
                      gint64     *out,
                      GError    **error)
{
  g_autofree char *norm = NULL;
  g_autofree char *quoted = NULL;
  g_autofree char *too_many = NULL;
  ParseFailure f = { TENURE_ERROR_INVALID, NULL };
  char *p;
  gboolean negative = FALSE;
  gint64 value;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (scale <= TENURE_DECIMAL_MAX_SCALE, FALSE);

  quoted = quote_for_message (text);
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("“%s” is not a valid number: it is not valid text"), quoted);
      return FALSE;
    }
  norm = normalize (text);
  p = trim (norm);
  if (*p == '\0')
    {
      g_set_error_literal (error, TENURE_ERROR, TENURE_ERROR_INVALID, _("The number is empty"));
      return FALSE;
    }
  if (is_sign (*p))
    {
      negative = *p == '-';
      p++;
      if (is_sign (*p))
        fail (&f, TENURE_ERROR_INVALID, g_strdup (_("it has more than one sign")));
      else if (*p == '\0')
        fail (&f, TENURE_ERROR_INVALID, g_strdup (_("it has a sign but no digits")));
    }
  too_many = decimals_reason (scale);
  if (f.reason == NULL && parse_unsigned (p, scale, TRUE, too_many, negative, &value, &f))
    {
      *out = value;
      return TRUE;
    }
  g_set_error (error, TENURE_ERROR, f.code, _("“%s” is not a valid number: %s"),
               quoted, f.reason);
  g_free (f.reason);
  return FALSE;
}

/* Moves @p past @word when the text starts with it. */
static gboolean
skip_prefix (char **p, const char *word)
{
  gsize n = strlen (word);

  if (strncmp (*p, word, n) != 0)
    return FALSE;
  *p += n;
  return TRUE;
}

/* Cuts @word off the end of @s (already trimmed) when it ends with it. */
static gboolean
cut_suffix (char *s, const char *word)
{
  gsize n = strlen (s), w = strlen (word);

  if (n < w || strcmp (s + n - w, word) != 0)
    return FALSE;
  s[n - w] = '\0';
  return TRUE;
}

static gboolean
parse_money_text (char                *p,
                  const CurrencyEntry *entry,
                  gint64              *out,
                  ParseFailure        *f)
{
  gboolean negative = FALSE, parens = FALSE, symbol = FALSE;
  guint signs = 0;
  g_autofree char *too_many = NULL;
  gsize len = strlen (p);

  if (len >= 2 && p[0] == '(' && p[len - 1] == ')')
    {
      parens = TRUE;
      negative = TRUE;
      p[len - 1] = '\0';
      p = trim (p + 1);
    }

  /* Sign and symbol, in either order: "-¥5", "¥-5", "¥ 5". */
  for (;;)
    {
      gboolean matched = FALSE;

      if (is_sign (*p))
        {
          signs++;
          negative = negative || *p == '-';
          p++;
          continue;
        }
      if (!symbol)
        for (gsize i = 0; i < G_N_ELEMENTS (entry->prefixes) && entry->prefixes[i]; i++)
          if (skip_prefix (&p, entry->prefixes[i]))
            {
              symbol = matched = TRUE;
              while (*p == ' ')
                p++;
              break;
            }
      if (!matched)
        break;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (entry->suffixes) && entry->suffixes[i]; i++)
    if (cut_suffix (p, entry->suffixes[i]))
      {
        g_strchomp (p);
        break;
      }

  if (signs + (parens ? 1 : 0) > 1)
    return fail (f, TENURE_ERROR_INVALID, g_strdup (_("it has more than one sign")));
  if (*p == '\0')
    {
      if (signs > 0)
        return fail (f, TENURE_ERROR_INVALID, g_strdup (_("it has a sign but no digits")));
      return fail (f, TENURE_ERROR_INVALID, g_strdup (_("it has no digits")));
    }

  if (entry->pub.digits == 0)
    too_many = g_strdup_printf (_("%s amounts have no decimal places"), entry->pub.code);
  else
    too_many = g_strdup_printf (_("%s amounts have at most %u decimal places"),
                                entry->pub.code, entry->pub.digits);
  return parse_unsigned (p, entry->pub.digits, FALSE, too_many, negative, out, f);
}

gboolean
tenure_money_parse (const char           *text,
                    const TenureCurrency *currency,
                    TenureMoney          *out,
                    GError              **error)
{
  const CurrencyEntry *entry;
  g_autofree char *norm = NULL;
  g_autofree char *quoted = NULL;
  ParseFailure f = { TENURE_ERROR_INVALID, NULL };
  char *p;
  gint64 minor;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (currency == NULL)
    currency = tenure_currency_default ();
  entry = entry_for (currency);
  if (entry == NULL)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                   _("Unknown currency “%s”"), currency->code);
      return FALSE;
    }

  quoted = quote_for_message (text);
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("“%s” is not a valid amount: it is not valid text"), quoted);
      return FALSE;
    }
  norm = normalize (text);
  p = trim (norm);
  if (*p == '\0')
    {
      g_set_error_literal (error, TENURE_ERROR, TENURE_ERROR_INVALID, _("The amount is empty"));
      return FALSE;
    }
  if (!parse_money_text (p, entry, &minor, &f))
    {
      g_set_error (error, TENURE_ERROR, f.code, _("“%s” is not a valid amount: %s"),
                   quoted, f.reason);
      g_free (f.reason);
      return FALSE;
    }
  *out = tenure_money_new (minor, &entry->pub);
  return TRUE;
}

/* Formatting ------------------------------------------------------------------------------- */

/* |v| without overflow, also for INT64_MIN. */
static guint64
magnitude (gint64 v)
{
  return v < 0 ? (guint64) 0 - (guint64) v : (guint64) v;
}

/* Appends @mag / 10^@scale with exactly @scale decimals; digits only, never the locale's. */
static void
append_unsigned (GString *s, guint64 mag, guint scale, gboolean grouping)
{
  guint64 whole = mag / pow10_u64[scale];
  guint64 frac = mag % pow10_u64[scale];
  char digits[32];
  int n = g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, whole);

  for (int i = 0; i < n; i++)
    {
      if (grouping && i > 0 && (n - i) % 3 == 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, digits[i]);
    }
  if (scale > 0)
    g_string_append_printf (s, ".%0*" G_GUINT64_FORMAT, (int) scale, frac);
}

char *
tenure_decimal_format (gint64 value, guint scale, gboolean grouping)
{
  GString *s = g_string_new (NULL);

  g_return_val_if_fail (scale <= TENURE_DECIMAL_MAX_SCALE, g_string_free (s, FALSE));

  if (value < 0)
    g_string_append_c (s, '-');
  append_unsigned (s, magnitude (value), scale, grouping);
  return g_string_free (s, FALSE);
}

char *
tenure_money_format (TenureMoney m, TenureMoneyFormatFlags flags)
{
  const TenureCurrency *c = m.currency ? m.currency : tenure_currency_default ();
  GString *s = g_string_new (NULL);

  if (m.minor < 0)
    g_string_append_c (s, '-');
  if (!(flags & TENURE_MONEY_FORMAT_NO_SYMBOL))
    {
      gsize n = strlen (c->symbol);

      g_string_append (s, c->symbol);
      /* "CHF 12.00", "kr 5.00": a letter symbol needs a space before the digits. */
      if (n > 0 && g_ascii_isalpha (c->symbol[n - 1]))
        g_string_append_c (s, ' ');
    }
  append_unsigned (s, magnitude (m.minor), MIN (c->digits, TENURE_DECIMAL_MAX_SCALE),
                   !(flags & TENURE_MONEY_FORMAT_NO_GROUPING));
  return g_string_free (s, FALSE);
}

char *
tenure_money_format_plain (TenureMoney m)
{
  const TenureCurrency *c = m.currency ? m.currency : tenure_currency_default ();

  return tenure_decimal_format (m.minor, MIN (c->digits, TENURE_DECIMAL_MAX_SCALE), FALSE);
}
