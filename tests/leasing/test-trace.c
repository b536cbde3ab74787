/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-trace"

/* Calculation traces: JSON round trip of real plan lines, damaged JSON refused with the
 * field named, and the explanation in words. */

#include <locale.h>
#include <string.h>

#include "base/tenure-error.h"
#include "leasing/tenure-plan.h"

#define D(y, m, d) tenure_date_from_ymd (y, m, d)

static GPtrArray *
sample_lines (void)
{
  g_autoptr (TenureContract) contract = tenure_contract_new ();
  TenureContractVersion *version = tenure_contract_version_new ();
  TenureClause *rent = tenure_clause_new ("RENT", TENURE_BASIS_PER_M2_DAY);
  TenureDateRange free_days = { D (2026, 1, 1), D (2026, 2, 14) };
  g_autoptr (GError) error = NULL;
  GPtrArray *lines;

  contract->code = g_strdup ("TR-1");
  contract->start_date = D (2026, 1, 1);
  contract->end_date = D (2026, 12, 31);
  version->status = TENURE_VERSION_APPROVED;
  g_ptr_array_add (version->units, tenure_contract_unit_new ("U", 20000));
  rent->price_e4 = 50000;
  rent->days_rule = TENURE_DAYS_AVG_365_12;
  rent->cycle_months = 3;
  g_array_append_val (rent->rent_free, free_days);
  g_ptr_array_add (version->clauses, rent);
  g_ptr_array_add (contract->versions, version);
  lines = tenure_plan_generate (contract, NULL, &error);
  g_assert_no_error (error);
  return lines;
}

static void
assert_same_trace (const TenureTrace *a, const TenureTrace *b)
{
  GHashTableIter iter;
  gpointer key, value;

  g_assert_cmpstr (a->rule, ==, b->rule);
  g_assert_cmpuint (g_hash_table_size (a->inputs), ==, g_hash_table_size (b->inputs));
  g_hash_table_iter_init (&iter, a->inputs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_cmpstr (g_hash_table_lookup (b->inputs, key), ==, value);
  g_assert_cmpuint (a->segments->len, ==, b->segments->len);
  for (guint i = 0; i < a->segments->len; i++)
    {
      const TenureTraceSegment *x = a->segments->pdata[i], *y = b->segments->pdata[i];

      g_assert_cmpint (x->from, ==, y->from);
      g_assert_cmpint (x->to, ==, y->to);
      g_assert_cmpint (x->version_no, ==, y->version_no);
      g_assert_cmpint (x->price_e4, ==, y->price_e4);
      g_assert_cmpint (x->amount, ==, y->amount);
      g_assert_cmpint (x->area_c, ==, y->area_c);
      g_assert_cmpint (tenure_exact_cmp (x->quantity, y->quantity), ==, 0);
      g_assert_cmpint (x->rent_free, ==, y->rent_free);
      g_assert_cmpint (tenure_exact_cmp (x->value, y->value), ==, 0);
      g_assert_cmpstr (x->note, ==, y->note);
    }
  g_assert_cmpint (tenure_exact_cmp (a->exact, b->exact), ==, 0);
  g_assert_cmpint (a->rounding, ==, b->rounding);
  g_assert_cmpint (a->rounded, ==, b->rounded);
  g_assert_cmpint (a->vat_rate_ppm, ==, b->vat_rate_ppm);
  g_assert_cmpint (a->tax, ==, b->tax);
}

static void
test_round_trip (void)
{
  g_autoptr (GPtrArray) lines = sample_lines ();

  g_assert_cmpuint (lines->len, ==, 4);
  for (guint i = 0; i < lines->len; i++)
    {
      const TenureReceivableLine *line = lines->pdata[i];
      g_autofree char *json = tenure_trace_to_json (line->trace);
      g_autofree char *again = NULL;
      g_autoptr (TenureTrace) back = NULL;
      g_autoptr (GError) error = NULL;

      back = tenure_trace_from_json (json, &error);
      g_assert_no_error (error);
      assert_same_trace (line->trace, back);
      again = tenure_trace_to_json (back);
      g_assert_cmpstr (json, ==, again);
    }
  /* Q1: 14 of February's 28 days at 5 × 200 × 365/12 × 14/28 and March's full month:
   * 15,208.333… + 30,416.666… = 45,625.00. */
  g_assert_cmpint (((TenureReceivableLine *) lines->pdata[0])->amount, ==, 4562500);
}

static void
test_exact_text (void)
{
  TenureExact x;
  g_autofree char *text = tenure_trace_exact_to_text (tenure_exact_frac (-365, 12));
  g_autofree char *whole = tenure_trace_exact_to_text (tenure_exact_int (42));

  g_assert_cmpstr (text, ==, "-365/12");
  g_assert_cmpstr (whole, ==, "42");
  g_assert_true (tenure_trace_exact_from_text ("-365/12", &x));
  g_assert_cmpint (tenure_exact_cmp (x, tenure_exact_frac (-365, 12)), ==, 0);
  g_assert_true (tenure_trace_exact_from_text ("10/4", &x));
  g_assert_cmpint (tenure_exact_cmp (x, tenure_exact_frac (5, 2)), ==, 0);
  g_assert_false (tenure_trace_exact_from_text ("1/0", &x));
  g_assert_false (tenure_trace_exact_from_text ("1/-2", &x));
  g_assert_false (tenure_trace_exact_from_text ("1.5", &x));
  g_assert_false (tenure_trace_exact_from_text ("", &x));
  g_assert_false (tenure_trace_exact_from_text ("1/2/3", &x));
  g_assert_false (tenure_trace_exact_from_text ("999999999999999999999999999999999999999999", &x));
}

static void
test_damaged (void)
{
  static const struct { const char *json; const char *field; } cases[] = {
    { "{", NULL },
    { "[]", "/" },
    { "{\"inputs\":{},\"segments\":[]}", "rule" },
    { "{\"rule\":\"x\",\"inputs\":{\"a\":1},\"segments\":[]}", "a" },
    { "{\"rule\":\"x\",\"inputs\":{},\"segments\":[{\"from\":\"2026-02-30\"}]}", "from" },
    { "{\"rule\":\"x\",\"inputs\":{},\"segments\":[],\"exact\":\"1/0\"}", "exact" },
    { "{\"rule\":\"x\",\"inputs\":{},\"segments\":[],\"exact\":\"1\",\"rounding\":\"up\"}",
      "rounding" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TenureTrace) trace = tenure_trace_from_json (cases[i].json, &error);

      g_assert_null (trace);
      g_assert_error (error, TENURE_ERROR, TENURE_ERROR_PARSE);
      if (cases[i].field != NULL)
        g_assert_nonnull (strstr (error->message, cases[i].field));
    }
}

static void
test_explain (void)
{
  g_autoptr (GPtrArray) lines = sample_lines ();
  const TenureReceivableLine *q1 = lines->pdata[0];
  g_autofree char *text = tenure_trace_explain (q1->trace, "CNY");

  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "per_m2_day/AVG_365_12"));
  g_assert_nonnull (strstr (text, "2026-01-01 – 2026-01-31"));
  g_assert_nonnull (strstr (text, "rent-free"));
  g_assert_nonnull (strstr (text, "5.0000"));
  g_assert_nonnull (strstr (text, "200.00"));
  g_assert_nonnull (strstr (text, "= ≈¥15,208.3333"));
  g_assert_nonnull (strstr (text, "¥45,625.00"));
  /* VAT 9 % inside 45,625.00: 3,767.20 */
  g_assert_nonnull (strstr (text, "9% included: ¥3,767.20"));
  /* One line per segment, plus the rule, the inputs, the total and the tax. */
  {
    g_auto (GStrv) rows = g_strsplit (text, "\n", -1);

    g_assert_cmpuint (g_strv_length (rows), ==,
                      1 + g_hash_table_size (q1->trace->inputs) + q1->trace->segments->len + 2
                      + 1);
  }
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/trace/json/round-trip", test_round_trip);
  g_test_add_func ("/trace/json/exact-text", test_exact_text);
  g_test_add_func ("/trace/json/damaged", test_damaged);
  g_test_add_func ("/trace/explain", test_explain);
  return g_test_run ();
}
