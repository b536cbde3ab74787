/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test-money"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-money.h"
#include "tenure-test-util.h"

typedef __int128 i128_t;

static int
iterations (int base)
{
  const char *env = g_getenv ("TENURE_TEST_ITERATIONS");

  return env ? MAX (1, atoi (env)) : base;
}

static const TenureCurrency *
currency (const char *code)
{
  const TenureCurrency *c = tenure_currency_lookup (code);

  g_assert_nonnull (c);
  return c;
}

static void
test_currency_lookup (void)
{
  static const struct { const char *code; guint digits; const char *symbol; } expected[] = {
    { "CNY", 2, "¥" }, { "USD", 2, "$" }, { "EUR", 2, "€" }, { "GBP", 2, "£" },
    { "CHF", 2, "CHF" }, { "SEK", 2, "kr" }, { "HKD", 2, "HK$" }, { "SGD", 2, "S$" },
    { "AUD", 2, "A$" }, { "CAD", 2, "C$" }, { "JPY", 0, "JP¥" }, { "KRW", 0, "₩" },
  };
  const TenureCurrency * const *list = tenure_currency_list ();
  gsize n = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const TenureCurrency *c = currency (expected[i].code);

      g_assert_cmpstr (c->code, ==, expected[i].code);
      g_assert_cmpuint (c->digits, ==, expected[i].digits);
      g_assert_cmpstr (c->symbol, ==, expected[i].symbol);
    }
  while (list[n])
    n++;
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
  g_assert_true (tenure_currency_default () == currency ("CNY"));
  g_assert_null (tenure_currency_lookup ("XXX"));
  g_assert_null (tenure_currency_lookup (""));
  g_assert_null (tenure_currency_lookup ("cny"));
  g_assert_true (tenure_money_new (5, NULL).currency == currency ("CNY"));
}

static gint64
parse_ok (const char *text, const char *code)
{
  TenureMoney m = { 0, NULL };
  g_autoptr(GError) error = NULL;

  if (!tenure_money_parse (text, code ? currency (code) : NULL, &m, &error))
    g_error ("“%s” (%s) should parse: %s", text, code ? code : "CNY", error->message);
  g_assert_no_error (error);
  g_assert_true (m.currency == (code ? currency (code) : tenure_currency_default ()));
  return m.minor;
}

static void
test_parse_accept (void)
{
  static const struct { const char *text; const char *code; gint64 minor; } cases[] = {
    { "1,234.56", NULL, 123456 },
    { "1234.5", NULL, 123450 },
    { "¥1234.5", NULL, 123450 },
    { "￥1234.5", NULL, 123450 },
    { "1234.5元", NULL, 123450 },
    { "-1,234.56", NULL, -123456 },
    { "(1,234.56)", NULL, -123456 },
    { "（１，２３４．５６）", NULL, -123456 },
    { "１２３４．５６", NULL, 123456 },
    { "１，２３４．５６", NULL, 123456 },
    { "  1234.56  ", NULL, 123456 },
    { "\t\u3000¥ 1,234.56 元\u3000\n", NULL, 123456 },
    { "-¥1,234.56", NULL, -123456 },
    { "¥-1,234.56", NULL, -123456 },
    { "－１２３", NULL, -12300 },
    { "+7", NULL, 700 },
    { "0", NULL, 0 },
    { "-0", NULL, 0 },
    { "0.05", NULL, 5 },
    { "-0.05", NULL, -5 },
    { "000123.40", NULL, 12340 },
    { "123", NULL, 12300 },
    { "1,000,000", NULL, 100000000 },
    { "CNY 12.30", NULL, 1230 },
    { "RMB12.30", NULL, 1230 },
    { "12.30 CNY", NULL, 1230 },
    { "(¥12.30)", NULL, -1230 },
    { "92,233,720,368,547,758.07", NULL, G_MAXINT64 },
    { "-92233720368547758.07", NULL, -G_MAXINT64 },
    { "JP¥1,235", "JPY", 1235 },
    { "¥1235", "JPY", 1235 },
    { "1235円", "JPY", 1235 },
    { "-1,235", "JPY", -1235 },
    { "9223372036854775807", "JPY", G_MAXINT64 },
    { "$1,234.56", "USD", 123456 },
    { "US$1.00", "USD", 100 },
    { "€5", "EUR", 500 },
    { "CHF 12.00", "CHF", 1200 },
    { "kr 3.50", "SEK", 350 },
    { "3.50 kr", "SEK", 350 },
    { "₩1,000", "KRW", 1000 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 got = parse_ok (cases[i].text, cases[i].code);

      if (got != cases[i].minor)
        g_error ("“%s”: got %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT,
                 cases[i].text, got, cases[i].minor);
    }
}

static void
test_parse_reject (void)
{
  static const struct
  {
    const char *text;
    const char *code;
    int error_code;
    const char *needle;         /* part of the message, besides the quoted text */
  } cases[] = {
    { "1.234", NULL, TENURE_ERROR_INVALID, "at most 2 decimal places" },
    { "1.230", NULL, TENURE_ERROR_INVALID, "decimal places" },
    { "12a", NULL, TENURE_ERROR_INVALID, "“a”" },
    { "1,23.4", NULL, TENURE_ERROR_INVALID, "comma" },
    { "1,2345", NULL, TENURE_ERROR_INVALID, "comma" },
    { "1234,567", NULL, TENURE_ERROR_INVALID, "comma" },
    { ",123", NULL, TENURE_ERROR_INVALID, "comma" },
    { "1,,234", NULL, TENURE_ERROR_INVALID, "comma" },
    { "1.5,0", NULL, TENURE_ERROR_INVALID, "comma" },
    { "", NULL, TENURE_ERROR_INVALID, "empty" },
    { "   ", NULL, TENURE_ERROR_INVALID, "empty" },
    { "\u3000", NULL, TENURE_ERROR_INVALID, "empty" },
    { "-", NULL, TENURE_ERROR_INVALID, "sign but no digits" },
    { "+", NULL, TENURE_ERROR_INVALID, "sign but no digits" },
    { "¥-", NULL, TENURE_ERROR_INVALID, "sign but no digits" },
    { "--5", NULL, TENURE_ERROR_INVALID, "more than one sign" },
    { "+-5", NULL, TENURE_ERROR_INVALID, "more than one sign" },
    { "-¥-5", NULL, TENURE_ERROR_INVALID, "more than one sign" },
    { "(-5)", NULL, TENURE_ERROR_INVALID, "more than one sign" },
    { "5-", NULL, TENURE_ERROR_INVALID, "sign can only come first" },
    { "¥", NULL, TENURE_ERROR_INVALID, "no digits" },
    { "()", NULL, TENURE_ERROR_INVALID, "no digits" },
    { "92233720368547758.08", NULL, TENURE_ERROR_OVERFLOW, "too large" },
    { "-92,233,720,368,547,758.08", NULL, TENURE_ERROR_OVERFLOW, "too large" },
    { "99999999999999999999999999999999999999999999", NULL, TENURE_ERROR_OVERFLOW, "too large" },
    { "9223372036854775808", "JPY", TENURE_ERROR_OVERFLOW, "too large" },
    { "1.2.3", NULL, TENURE_ERROR_INVALID, "“.”" },
    { ".5", NULL, TENURE_ERROR_INVALID, "both sides" },
    { "5.", NULL, TENURE_ERROR_INVALID, "both sides" },
    { "1 234", NULL, TENURE_ERROR_INVALID, "space" },
    { "$5", NULL, TENURE_ERROR_INVALID, "“$”" },
    { "5%", NULL, TENURE_ERROR_INVALID, "“%”" },
    { "1e5", NULL, TENURE_ERROR_INVALID, "“e”" },
    { "¥¥5", NULL, TENURE_ERROR_INVALID, "“¥”" },
    { "1.5", "JPY", TENURE_ERROR_INVALID, "JPY amounts have no decimal places" },
    { "100.00", "JPY", TENURE_ERROR_INVALID, "JPY amounts have no decimal places" },
    { "5元", "JPY", TENURE_ERROR_INVALID, "“元”" },
    { "0x10", NULL, TENURE_ERROR_INVALID, "“x”" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TenureMoney m = { 4242, NULL };
      g_autoptr(GError) error = NULL;
      const TenureCurrency *c = cases[i].code ? currency (cases[i].code) : NULL;

      if (tenure_money_parse (cases[i].text, c, &m, &error))
        g_error ("“%s” should be refused, got %" G_GINT64_FORMAT, cases[i].text, m.minor);
      g_assert_error (error, TENURE_ERROR, cases[i].error_code);
      g_assert_cmpint (m.minor, ==, 4242);
      g_assert_null (m.currency);
      if (strstr (error->message, cases[i].needle) == NULL)
        g_error ("“%s”: message “%s” lacks “%s”", cases[i].text, error->message,
                 cases[i].needle);
      /* The message names the text (blank text is called empty instead); long texts are
       * quoted by their first 40 characters. */
      if (strcmp (cases[i].needle, "empty") != 0)
        {
          glong len = MIN (40, g_utf8_strlen (cases[i].text, -1));
          g_autofree char *head = g_utf8_substring (cases[i].text, 0, len);
          g_autofree char *quoted = g_strdup_printf ("“%s", head);

          if (strstr (error->message, quoted) == NULL)
            g_error ("message “%s” does not quote “%s”", error->message, cases[i].text);
        }
    }
}

static void
test_parse_bad_text (void)
{
  TenureMoney m = { 1, NULL };
  gint64 v = 1;
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;
  g_autofree char *long_text = g_strnfill (500, '7');

  g_assert_false (tenure_money_parse ("12\xff" "3", NULL, &m, &e1));
  g_assert_error (e1, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_true (g_utf8_validate (e1->message, -1, NULL));
  g_assert_false (tenure_decimal_parse ("\xc3", 2, &v, &e2));
  g_assert_error (e2, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_true (g_utf8_validate (e2->message, -1, NULL));
  /* A very long text is quoted shortened, not in full. */
  g_assert_false (tenure_money_parse (long_text, NULL, &m, &e3));
  g_assert_error (e3, TENURE_ERROR, TENURE_ERROR_OVERFLOW);
  g_assert_cmpuint (strlen (e3->message), <, 200);
  g_assert_cmpint (m.minor, ==, 1);
  g_assert_cmpint (v, ==, 1);

  /* A currency the table does not know. */
  {
    static const TenureCurrency xyz = { "XYZ", 2, "X" };
    g_autoptr(GError) e4 = NULL;
    g_autofree char *text = tenure_money_format (tenure_money_new (-123456, &xyz), 0);

    g_assert_false (tenure_money_parse ("1.00", &xyz, &m, &e4));
    g_assert_error (e4, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (e4->message, "XYZ"));
    g_assert_cmpstr (text, ==, "-X 1,234.56");
  }
}

static void
test_decimal_parse (void)
{
  static const struct { const char *text; guint scale; gint64 value; } good[] = {
    { "5.2500", 4, 52500 },
    { "5.5125", 4, 55125 },
    { "320", 4, 3200000 },
    { "1,234.5678", 4, 12345678 },
    { "-0.5", 4, -5000 },
    { "85.50", 2, 8550 },
    { "200", 2, 20000 },
    { "１２３．４", 2, 12340 },
    { "9%", 6, 90000 },
    { "0.05%", 6, 500 },
    { "9.1234%", 6, 91234 },
    { "６％", 6, 60000 },
    { "0.09", 6, 90000 },
    { "100%", 6, 1000000 },
    { "-3%", 6, -30000 },
    { "42", 0, 42 },
    { "5%", 2, 5 },
    { "0.000000000000000001", 18, 1 },
    { "9.223372036854775807", 18, G_MAXINT64 },
  };
  static const struct { const char *text; guint scale; int code; } bad[] = {
    { "1.23456", 4, TENURE_ERROR_INVALID },
    { "9.12345%", 6, TENURE_ERROR_INVALID },
    { "0.5%", 2, TENURE_ERROR_INVALID },
    { "5%%", 6, TENURE_ERROR_INVALID },
    { "%", 6, TENURE_ERROR_INVALID },
    { "¥5", 2, TENURE_ERROR_INVALID },
    { "5元", 2, TENURE_ERROR_INVALID },
    { "(5)", 2, TENURE_ERROR_INVALID },
    { "", 2, TENURE_ERROR_INVALID },
    { "-", 2, TENURE_ERROR_INVALID },
    { "--1", 2, TENURE_ERROR_INVALID },
    { "1.5", 0, TENURE_ERROR_INVALID },
    { "9.223372036854775808", 18, TENURE_ERROR_OVERFLOW },
    { "10", 18, TENURE_ERROR_OVERFLOW },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      gint64 v = 0;
      g_autoptr(GError) error = NULL;

      if (!tenure_decimal_parse (good[i].text, good[i].scale, &v, &error))
        g_error ("“%s” should parse: %s", good[i].text, error->message);
      g_assert_cmpint (v, ==, good[i].value);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gint64 v = 31;
      g_autoptr(GError) error = NULL;

      if (tenure_decimal_parse (bad[i].text, bad[i].scale, &v, &error))
        g_error ("“%s” should be refused, got %" G_GINT64_FORMAT, bad[i].text, v);
      g_assert_error (error, TENURE_ERROR, bad[i].code);
      g_assert_cmpint (v, ==, 31);
    }
}

/* Random short texts from the parser's alphabet: acceptance must match a regular expression of
 * the grammar written here, and an accepted value must match digits read independently. */
static void
test_decimal_parse_oracle (void)
{
  static const char *alphabet[] = {
    "0", "1", "2", "5", "9", ",", ",", ".", "-", "+", " ", "%", "a", "１", "．", "，",
  };
  g_autoptr(GRegex) grammar = g_regex_new ("^ *[-+]?(\\d{1,3}(,\\d{3})+|\\d+)(\\.\\d+)?%? *$",
                                           0, 0, NULL);
  int n = iterations (20000);
  int accepted = 0;

  for (int it = 0; it < n; it++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *ascii = NULL;
      g_autofree char *plain = NULL;
      int len = g_test_rand_int_range (0, 12);
      guint scale = (guint) g_test_rand_int_range (0, 7);
      gint64 got = 0;
      gboolean ok, want;
      g_autoptr(GError) error = NULL;
      const char *dot, *pct, *p;
      guint n_frac = 0;

      for (int i = 0; i < len; i++)
        g_string_append (text, alphabet[g_test_rand_int_range (0, G_N_ELEMENTS (alphabet))]);
      /* The oracle reads ASCII: map the full-width characters as the parser must. */
      ascii = g_strdup (text->str);
      {
        g_autofree char *a = NULL;
        char **parts;

        parts = g_strsplit (ascii, "１", -1);
        a = g_strjoinv ("1", parts);
        g_strfreev (parts);
        parts = g_strsplit (a, "．", -1);
        g_free (ascii);
        ascii = g_strjoinv (".", parts);
        g_strfreev (parts);
        parts = g_strsplit (ascii, "，", -1);
        g_free (ascii);
        ascii = g_strjoinv (",", parts);
        g_strfreev (parts);
      }
      want = g_regex_match (grammar, ascii, 0, NULL);
      dot = strchr (ascii, '.');
      pct = strchr (ascii, '%');
      if (want && dot)
        for (p = dot + 1; g_ascii_isdigit (*p); p++)
          n_frac++;
      if (want && n_frac + (pct ? 2 : 0) > scale)
        want = FALSE;

      ok = tenure_decimal_parse (text->str, scale, &got, &error);
      if (ok != want)
        g_error ("“%s” at scale %u: parser says %s, grammar says %s", text->str, scale,
                 ok ? "yes" : error->message, want ? "yes" : "no");
      if (!ok)
        {
          g_assert_true (error->domain == TENURE_ERROR);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
          continue;
        }
      accepted++;
      /* Independent value: all digits as one integer, scaled by the decimals kept. */
      {
        i128_t v = 0;
        gboolean negative = strchr (ascii, '-') != NULL;
        int shift = (int) scale - (int) n_frac - (pct ? 2 : 0);

        for (p = ascii; *p; p++)
          if (g_ascii_isdigit (*p))
            v = v * 10 + (*p - '0');
        for (int i = 0; i < shift; i++)
          v *= 10;
        if (negative)
          v = -v;
        g_assert_true (v == (i128_t) got);
      }
      /* What was accepted formats back to the same value. */
      plain = tenure_decimal_format (got, scale, FALSE);
      {
        gint64 again = 0;

        g_assert_true (tenure_decimal_parse (plain, scale, &again, NULL));
        g_assert_cmpint (again, ==, got);
      }
    }
  g_test_message ("%d of %d random texts accepted", accepted, n);
}

static void
assert_format (gint64 minor, const char *code, TenureMoneyFormatFlags flags, const char *want)
{
  g_autofree char *got = tenure_money_format (tenure_money_new (minor, currency (code)), flags);

  g_assert_cmpstr (got, ==, want);
}

static void
assert_plain (gint64 minor, const char *code, const char *want)
{
  g_autofree char *got = tenure_money_format_plain (tenure_money_new (minor, currency (code)));

  g_assert_cmpstr (got, ==, want);
}

static void
test_format (void)
{
  g_autofree char *price = tenure_decimal_format (52500, 4, FALSE);
  g_autofree char *area = tenure_decimal_format (1234567, 2, TRUE);
  g_autofree char *neg = tenure_decimal_format (-5, 6, FALSE);
  g_autofree char *whole = tenure_decimal_format (-1234567, 0, TRUE);

  assert_format (123456, "CNY", 0, "¥1,234.56");
  assert_format (-123456, "CNY", 0, "-¥1,234.56");
  assert_format (123456, "CNY", TENURE_MONEY_FORMAT_NO_SYMBOL, "1,234.56");
  assert_format (123456, "CNY", TENURE_MONEY_FORMAT_NO_GROUPING, "¥1234.56");
  assert_format (0, "CNY", 0, "¥0.00");
  assert_format (-5, "CNY", 0, "-¥0.05");
  assert_format (100, "CNY", 0, "¥1.00");
  assert_format (12345, "CNY", 0, "¥123.45");
  assert_format (100000000, "CNY", 0, "¥1,000,000.00");
  assert_format (99999999, "CNY", 0, "¥999,999.99");
  assert_format (G_MAXINT64, "CNY", 0, "¥92,233,720,368,547,758.07");
  assert_format (-G_MAXINT64, "CNY", 0, "-¥92,233,720,368,547,758.07");
  assert_format (G_MININT64, "CNY", 0, "-¥92,233,720,368,547,758.08");
  assert_format (1235, "JPY", 0, "JP¥1,235");
  assert_format (-1235, "JPY", TENURE_MONEY_FORMAT_NO_SYMBOL, "-1,235");
  assert_format (1200, "CHF", 0, "CHF 12.00");
  assert_format (350, "SEK", 0, "kr 3.50");
  assert_format (123456789, "USD", 0, "$1,234,567.89");
  assert_format (1000, "KRW", 0, "₩1,000");
  assert_plain (123456, "CNY", "1234.56");
  assert_plain (-5, "CNY", "-0.05");
  assert_plain (0, "CNY", "0.00");
  assert_plain (1235, "JPY", "1235");
  assert_plain (G_MININT64, "CNY", "-92233720368547758.08");
  g_assert_cmpstr (price, ==, "5.2500");
  g_assert_cmpstr (area, ==, "12,345.67");
  g_assert_cmpstr (neg, ==, "-0.000005");
  g_assert_cmpstr (whole, ==, "-1,234,567");

  /* INT64_MIN prints but is not an amount: parsing it back overflows. */
  {
    g_autofree char *text = tenure_money_format_plain (tenure_money_new (G_MININT64, NULL));
    TenureMoney m;
    g_autoptr(GError) error = NULL;

    g_assert_false (tenure_money_parse (text, NULL, &m, &error));
    g_assert_error (error, TENURE_ERROR, TENURE_ERROR_OVERFLOW);
  }
}

/* A comma-decimal locale must change nothing: generate de_DE.UTF-8 privately when the system
 * lacks it (needs localedef and the locales package's sources). */
static void
test_format_locale (void)
{
  g_autofree char *tmp = NULL;
  g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));
  TenureMoney m = { 0, NULL };
  gint64 v = 0;

  if (setlocale (LC_ALL, "de_DE.UTF-8") == NULL)
    {
      g_autofree char *dest = NULL;
      const char *argv[] = { "localedef", "-i", "de_DE", "-f", "UTF-8", NULL, NULL };
      int status = -1;

      tmp = tenure_test_make_tmpdir ();
      dest = g_build_filename (tmp, "de_DE.UTF-8", NULL);
      argv[5] = dest;
      if (!g_spawn_sync (NULL, (char **) argv, NULL,
                         G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL
                         | G_SPAWN_STDERR_TO_DEV_NULL,
                         NULL, NULL, NULL, NULL, &status, NULL)
          || !g_spawn_check_wait_status (status, NULL))
        {
          tenure_test_rm_rf (tmp);
          g_test_skip ("no de_DE.UTF-8 locale and localedef cannot make one");
          return;
        }
      g_setenv ("LOCPATH", tmp, TRUE);
      if (setlocale (LC_ALL, "de_DE.UTF-8") == NULL)
        {
          g_unsetenv ("LOCPATH");
          tenure_test_rm_rf (tmp);
          g_test_skip ("de_DE.UTF-8 could not be loaded");
          return;
        }
    }

  {
    g_autofree char *check = g_strdup_printf ("%.2f", 1.5);
    g_autofree char *fmt = tenure_money_format (tenure_money_new (123456, NULL), 0);
    g_autofree char *plain = tenure_money_format_plain (tenure_money_new (-123456, NULL));
    g_autofree char *price = tenure_decimal_format (52500, 4, TRUE);

    /* The locale really is in effect... */
    g_assert_cmpstr (check, ==, "1,50");
    /* ...and our output ignores it. */
    g_assert_cmpstr (fmt, ==, "¥1,234.56");
    g_assert_cmpstr (plain, ==, "-1234.56");
    g_assert_cmpstr (price, ==, "5.2500");
    g_assert_true (tenure_money_parse ("1.234,56", NULL, &m, NULL) == FALSE);
    g_assert_true (tenure_money_parse ("1,234.56", NULL, &m, NULL));
    g_assert_cmpint (m.minor, ==, 123456);
    g_assert_true (tenure_decimal_parse ("9%", 6, &v, NULL));
    g_assert_cmpint (v, ==, 90000);
  }

  setlocale (LC_ALL, saved);
  if (tmp)
    {
      g_unsetenv ("LOCPATH");
      tenure_test_rm_rf (tmp);
    }
}

static gint64
random_amount (void)
{
  guint64 bits = ((guint64) g_test_rand_int () << 32) | (guint32) g_test_rand_int ();
  gint64 v;

  /* Spread over every magnitude, not only huge ones. */
  bits >>= g_test_rand_int_range (0, 64);
  v = (gint64) (bits & (guint64) G_MAXINT64);
  return g_test_rand_bit () ? -v : v;
}

static void
assert_roundtrip (gint64 x, const TenureCurrency *c)
{
  static const TenureMoneyFormatFlags flags[] = {
    TENURE_MONEY_FORMAT_DEFAULT, TENURE_MONEY_FORMAT_NO_SYMBOL, TENURE_MONEY_FORMAT_NO_GROUPING,
    TENURE_MONEY_FORMAT_NO_SYMBOL | TENURE_MONEY_FORMAT_NO_GROUPING,
  };
  TenureMoney m = tenure_money_new (x, c);

  for (gsize i = 0; i <= G_N_ELEMENTS (flags); i++)
    {
      g_autofree char *text = i < G_N_ELEMENTS (flags) ? tenure_money_format (m, flags[i])
                                                       : tenure_money_format_plain (m);
      TenureMoney back = { 0, NULL };
      g_autoptr(GError) error = NULL;

      if (!tenure_money_parse (text, c, &back, &error))
        g_error ("%s %" G_GINT64_FORMAT " → “%s” does not parse: %s", c->code, x, text,
                 error->message);
      if (back.minor != x || back.currency != c)
        g_error ("%s %" G_GINT64_FORMAT " → “%s” → %" G_GINT64_FORMAT, c->code, x, text,
                 back.minor);
    }
}

static void
test_roundtrip_property (void)
{
  static const gint64 edges[] = {
    0, 1, -1, 5, -5, 99, 100, -100, 999, 1000, 999999, 1000000, G_MAXINT64, -G_MAXINT64,
    G_MININT64 + 1, G_MAXINT64 - 1,
  };
  const TenureCurrency * const *list = tenure_currency_list ();
  int n = iterations (5000);

  for (gsize k = 0; list[k]; k++)
    for (gsize i = 0; i < G_N_ELEMENTS (edges); i++)
      assert_roundtrip (edges[i], list[k]);
  for (int it = 0; it < n; it++)
    {
      gint64 x = random_amount ();

      assert_roundtrip (x, currency ("CNY"));
      assert_roundtrip (x, currency ("JPY"));
      if (it % 8 == 0)
        assert_roundtrip (x, list[g_test_rand_int_range (0, 12)]);
    }
}

static void
test_decimal_roundtrip_property (void)
{
  int n = iterations (5000);

  for (int it = 0; it < n; it++)
    {
      gint64 x = random_amount (), back = 0;
      guint scale = (guint) g_test_rand_int_range (0, TENURE_DECIMAL_MAX_SCALE + 1);
      g_autofree char *text = tenure_decimal_format (x, scale, g_test_rand_bit ());
      g_autoptr(GError) error = NULL;

      if (!tenure_decimal_parse (text, scale, &back, &error))
        g_error ("“%s” (scale %u) does not parse: %s", text, scale, error->message);
      g_assert_cmpint (back, ==, x);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/money/currency/lookup", test_currency_lookup);
  g_test_add_func ("/money/parse/accept", test_parse_accept);
  g_test_add_func ("/money/parse/reject", test_parse_reject);
  g_test_add_func ("/money/parse/bad-text", test_parse_bad_text);
  g_test_add_func ("/money/decimal/parse", test_decimal_parse);
  g_test_add_func ("/money/decimal/oracle", test_decimal_parse_oracle);
  g_test_add_func ("/money/format/examples", test_format);
  g_test_add_func ("/money/format/comma-locale", test_format_locale);
  g_test_add_func ("/money/property/roundtrip", test_roundtrip_property);
  g_test_add_func ("/money/property/decimal-roundtrip", test_decimal_roundtrip_property);

  return g_test_run ();
}
