/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test"

/* The matcher in memory (domain.md §7 cascade, §11 window and threshold): each step, its
 * reason and whether it may be confirmed without a person, on a small hand-made portfolio. */

#include <locale.h>
#include <string.h>

#include "collections/tenure-match.h"

#define D(y, m, d) tenure_date_from_ymd (y, m, d)
#define YUAN(x) ((gint64) (x) * 100)

/* Tenants: T1 Alpha (account 6222 0000 1111 2222), T2 Beta (own account), GROUP with
 * subsidiaries S1 and S2. Items (one line per bill unless said):
 *   line 11  bill 1  ZD-202601-000001  C-001 T1  10,000.00 CNY due 2026-01-01
 *   line 12  bill 2  ZD-202602-000002  C-001 T1  10,000.00 CNY due 2026-02-01
 *   line 13  bill 3  ZD-202602-000003  C-002 T1   2,500.00 CNY due 2026-02-05
 *   line 21  bill 4  ZD-202601-000004  C-003 T2   7,300.00 CNY due 2026-01-01 (late fee 50.00
 *   line 22  bill 4                                 7,250.00 rent + 50.00 in one bill)
 *   line 31  bill 5  ZD-202601-000005  C-004 S1   4,000.00 CNY due 2026-01-01
 *   line 41  bill 6  ZD-202601-000006  C-005 S2   6,000.00 CNY due 2026-01-10
 *   line 51  bill 7  EU-202601-000007  C-006 T2   1,000.00 EUR due 2026-01-01
 * Aliases: account 9555 0001 → T2, name "Old Beta Name Ltd" → T2. */
static TenureOpenItem *
item (gint64      line,
      gint64      bill,
      const char *bill_code,
      const char *contract,
      gint64      tenant,
      const char *currency,
      TenureDate  due,
      gint64      amount,
      TenureDebtPart part)
{
  TenureOpenItem *it = g_new0 (TenureOpenItem, 1);

  it->bill_line_id = line;
  it->bill_id = bill;
  it->bill_code = g_strdup (bill_code);
  it->contract_code = g_strdup (contract);
  it->tenant_id = tenant;
  it->part = part;
  g_strlcpy (it->currency, currency, sizeof it->currency);
  it->due_date = due;
  it->amount = it->open = amount;
  return it;
}

static TenureMatcher *
portfolio (void)
{
  TenureMatcher *m = tenure_matcher_new ();
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (
    (GDestroyNotify) tenure_open_item_free);

  tenure_matcher_add_tenant (m, 1, "T1", "上海阿尔法商贸有限公司", "Alpha Trading", 0,
                             "6222 0000 1111 2222");
  tenure_matcher_add_tenant (m, 2, "T2", "Beta Foods Co., Ltd.", "Beta", 0, "6222000033334444");
  tenure_matcher_add_tenant (m, 3, "GROUP", "Gamma Holdings", NULL, 0, "6222000055556666");
  tenure_matcher_add_tenant (m, 4, "S1", "Gamma Retail Shanghai", "Gamma Retail", 3, NULL);
  tenure_matcher_add_tenant (m, 5, "S2", "Gamma Cafe Shanghai", "Gamma Cafe", 3, NULL);
  tenure_matcher_add_alias (m, 2, TENURE_MATCH_ALIAS_ACCOUNT, "9555-0001");
  tenure_matcher_add_alias (m, 2, TENURE_MATCH_ALIAS_NAME, "Old Beta Name Ltd");

  g_ptr_array_add (items, item (11, 1, "ZD-202601-000001", "C-001", 1, "CNY", D (2026, 1, 1),
                                YUAN (10000), TENURE_DEBT_PART_PRINCIPAL));
  g_ptr_array_add (items, item (12, 2, "ZD-202602-000002", "C-001", 1, "CNY", D (2026, 2, 1),
                                YUAN (10000), TENURE_DEBT_PART_PRINCIPAL));
  g_ptr_array_add (items, item (13, 3, "ZD-202602-000003", "C-002", 1, "CNY", D (2026, 2, 5),
                                YUAN (2500), TENURE_DEBT_PART_PRINCIPAL));
  g_ptr_array_add (items, item (22, 4, "ZD-202601-000004", "C-003", 2, "CNY", D (2026, 1, 1),
                                YUAN (50), TENURE_DEBT_PART_LATE_FEE));
  g_ptr_array_add (items, item (21, 4, "ZD-202601-000004", "C-003", 2, "CNY", D (2026, 1, 1),
                                YUAN (7250), TENURE_DEBT_PART_PRINCIPAL));
  g_ptr_array_add (items, item (31, 5, "ZD-202601-000005", "C-004", 4, "CNY", D (2026, 1, 1),
                                YUAN (4000), TENURE_DEBT_PART_PRINCIPAL));
  g_ptr_array_add (items, item (41, 6, "ZD-202601-000006", "C-005", 5, "CNY", D (2026, 1, 10),
                                YUAN (6000), TENURE_DEBT_PART_PRINCIPAL));
  g_ptr_array_add (items, item (51, 7, "EU-202601-000007", "C-006", 2, "EUR", D (2026, 1, 1),
                                YUAN (1000), TENURE_DEBT_PART_PRINCIPAL));
  for (guint i = 0; i < items->len; i++)
    tenure_matcher_add_item (m, items->pdata[i]);
  tenure_matcher_prepare (m);
  return m;
}

static GPtrArray *
match (TenureMatcher *m,
       gint64         amount,
       const char    *currency,
       TenureDate     booked,
       const char    *payer_name,
       const char    *payer_account,
       const char    *memo)
{
  TenureMatchLine line = { 1, amount, currency, booked, payer_name, payer_account, memo };

  return tenure_matcher_match (m, &line);
}

static TenureMatchProposal *
best (GPtrArray *proposals)
{
  g_assert_cmpuint (proposals->len, >, 0);
  return proposals->pdata[0];
}

/* Checks the items of @p against pairs (line, amount) ending with 0. */
static void
assert_items (const TenureMatchProposal *p,
              ...)
{
  va_list args;
  guint i = 0;
  gint64 line;

  va_start (args, p);
  while ((line = va_arg (args, gint64)) != 0)
    {
      gint64 amount = va_arg (args, gint64);

      g_assert_cmpuint (i, <, p->items->len);
      g_assert_cmpint (g_array_index (p->items, TenureMatchItem, i).bill_line_id, ==, line);
      g_assert_cmpint (g_array_index (p->items, TenureMatchItem, i).amount, ==, amount);
      i++;
    }
  va_end (args);
  g_assert_cmpuint (i, ==, p->items->len);
}

static void
test_normalize (void)
{
  g_autofree char *a = tenure_match_normalize_reference ("ｚｄ－２０２６ 01/000001");
  g_autofree char *b = tenure_match_normalize_account ("6222 0000-1111 2222");
  g_autofree char *c = tenure_match_normalize_name ("  Beta Foods CO., LTD. ");
  g_autofree char *d = tenure_match_normalize_name ("上海阿尔法商贸（有限）公司");

  g_assert_cmpstr (a, ==, "ZD202601000001");
  g_assert_cmpstr (b, ==, "6222000011112222");
  g_assert_cmpstr (c, ==, "betafoodscoltd");
  g_assert_cmpstr (d, ==, "上海阿尔法商贸有限公司");
}

/* Step 1: the bill number however it is written, the amount its open balance. */
static void
test_memo_reference (void)
{
  g_autoptr(TenureMatcher) m = portfolio ();
  const char *memos[] = {
    "ZD-202601-000001", "付款zd202601000001租金", "RENT ＺＤ－２０２６０１－０００００１ JAN",
    "zd 202601 000001", "货款/ZD-202601-000001/",
  };

  for (guint i = 0; i < G_N_ELEMENTS (memos); i++)
    {
      g_autoptr(GPtrArray) p = match (m, YUAN (10000), "CNY", D (2026, 1, 3), NULL, NULL,
                                      memos[i]);
      TenureMatchProposal *b = best (p);

      g_test_message ("memo %s", memos[i]);
      g_assert_cmpint (b->step, ==, 1);
      g_assert_cmpstr (b->reason, ==, "memo_reference");
      g_assert_cmpint (b->confidence, ==, 99);
      g_assert_cmpint (b->tenant_id, ==, 1);
      assert_items (b, (gint64) 11, YUAN (10000), (gint64) 0);
      g_assert_true (tenure_match_auto_pick (p, 95) == b);
      g_assert_nonnull (strstr (b->detail, "\"reference\":\"ZD-202601-000001\""));
    }
}

/* A bill with a late fee: paying part of it pays the late fee first (allocation order). */
static void
test_partial_payment (void)
{
  g_autoptr(TenureMatcher) m = portfolio ();
  g_autoptr(GPtrArray) by_tenant = match (m, YUAN (3000), "CNY", D (2026, 1, 3), "Beta",
                                          "6222000033334444", "ZD-202601-000004");
  g_autoptr(GPtrArray) anonymous = match (m, YUAN (3000), "CNY", D (2026, 1, 3), NULL, NULL,
                                          "ZD-202601-000004");
  g_autoptr(GPtrArray) someone_else = match (m, YUAN (3000), "CNY", D (2026, 1, 3), NULL,
                                             "6222000011112222", "ZD-202601-000004");

  g_assert_cmpstr (best (by_tenant)->reason, ==, "memo_reference_partial");
  g_assert_cmpint (best (by_tenant)->confidence, ==, 95);
  assert_items (best (by_tenant), (gint64) 22, YUAN (50), (gint64) 21, YUAN (2950),
                (gint64) 0);
  g_assert_nonnull (tenure_match_auto_pick (by_tenant, 95));
  /* nobody vouches for it, or the payer is another tenant: a person decides */
  g_assert_null (tenure_match_auto_pick (anonymous, 80));
  g_assert_true (best (anonymous)->suggestion_only);
  g_assert_null (tenure_match_auto_pick (someone_else, 80));
}

/* A typo or two swapped digits: proposed, never confirmed alone. */
static void
test_fuzzy_reference (void)
{
  g_autoptr(TenureMatcher) m = portfolio ();
  g_autoptr(GPtrArray) typo = match (m, YUAN (6000), "CNY", D (2026, 3, 30), NULL, NULL,
                                     "ZD-202601-000O06");
  g_autoptr(GPtrArray) swapped = match (m, YUAN (6000), "CNY", D (2026, 3, 30), NULL, NULL,
                                        "ZD-202601-000060");
  g_autoptr(GPtrArray) far = match (m, YUAN (6000), "CNY", D (2026, 3, 30), NULL, NULL,
                                    "ZD-202601-000660");

  g_assert_cmpstr (best (typo)->reason, ==, "memo_reference");
  g_assert_true (best (typo)->suggestion_only);
  g_assert_cmpint (best (typo)->confidence, <, 95);
  assert_items (best (typo), (gint64) 41, YUAN (6000), (gint64) 0);
  g_assert_null (tenure_match_auto_pick (typo, 0));
  g_assert_nonnull (strstr (best (typo)->detail, "\"distance\":1"));
  g_assert_true (best (swapped)->suggestion_only);
  assert_items (best (swapped), (gint64) 41, YUAN (6000), (gint64) 0);
  g_assert_null (tenure_match_auto_pick (swapped, 0));
  /* two characters off: not a reference at all (and outside step 3's window) */
  g_assert_cmpuint (far->len, ==, 0);
}

/* The contract number: one open bill of it, or all of it oldest first. */
static void
test_contract_reference (void)
{
  g_autoptr(TenureMatcher) m = portfolio ();
  g_autoptr(GPtrArray) one = match (m, YUAN (10000), "CNY", D (2026, 3, 1), NULL, NULL,
                                    "合同C-001租金");
  g_autoptr(GPtrArray) all = match (m, YUAN (20000), "CNY", D (2026, 3, 1), NULL, NULL,
                                    "C001");

  /* two bills of 10,000.00: the oldest first */
  g_assert_cmpstr (best (one)->reason, ==, "memo_contract_oldest_first");
  assert_items (best (one), (gint64) 11, YUAN (10000), (gint64) 0);
  g_assert_nonnull (tenure_match_auto_pick (one, 95));
  g_assert_cmpstr (best (all)->reason, ==, "memo_contract_oldest_first");
  assert_items (best (all), (gint64) 11, YUAN (10000), (gint64) 12, YUAN (10000), (gint64) 0);
}

/* Step 2: payer account, alias, name; one bill, or oldest first. */
static void
test_payer (void)
{
  g_autoptr(TenureMatcher) m = portfolio ();
  g_autoptr(GPtrArray) single = match (m, YUAN (2500), "CNY", D (2026, 3, 1), "whoever",
                                       "6222-0000-1111-2222", "rent");
  g_autoptr(GPtrArray) oldest = match (m, YUAN (10000), "CNY", D (2026, 3, 1), NULL,
                                       "6222000011112222", NULL);
  g_autoptr(GPtrArray) prefix = match (m, YUAN (20000), "CNY", D (2026, 3, 1), NULL,
                                       "6222000011112222", NULL);
  g_autoptr(GPtrArray) alias = match (m, YUAN (7300), "CNY", D (2026, 3, 1), NULL,
                                      "9555 0001", NULL);
  g_autoptr(GPtrArray) by_name = match (m, YUAN (7300), "CNY", D (2026, 3, 1),
                                        "OLD BETA NAME LTD", NULL, "货款");
  g_autoptr(GPtrArray) nothing = match (m, YUAN (1234), "CNY", D (2026, 3, 1), NULL,
                                        "6222000011112222", NULL);

  g_assert_cmpint (best (single)->step, ==, 2);
  g_assert_cmpstr (best (single)->reason, ==, "payer_single_bill");
  assert_items (best (single), (gint64) 13, YUAN (2500), (gint64) 0);
  g_assert_nonnull (tenure_match_auto_pick (single, 95));
  g_assert_cmpstr (best (oldest)->reason, ==, "payer_oldest_first");
  assert_items (best (oldest), (gint64) 11, YUAN (10000), (gint64) 0);
  g_assert_nonnull (tenure_match_auto_pick (oldest, 95));
  g_assert_cmpstr (best (prefix)->reason, ==, "payer_oldest_first");
  assert_items (best (prefix), (gint64) 11, YUAN (10000), (gint64) 12, YUAN (10000),
                (gint64) 0);
  g_assert_cmpint (best (alias)->tenant_id, ==, 2);
  assert_items (best (alias), (gint64) 22, YUAN (50), (gint64) 21, YUAN (7250), (gint64) 0);
  g_assert_nonnull (strstr (best (alias)->detail, "\"payer\":\"account\""));
  g_assert_cmpint (best (by_name)->tenant_id, ==, 2);
  g_assert_nonnull (strstr (best (by_name)->detail, "\"payer\":\"name\""));
  g_assert_nonnull (tenure_match_auto_pick (by_name, 95));
  /* a known payer, an amount that fits nothing exactly: a suggestion at most */
  g_assert_null (tenure_match_auto_pick (nothing, 0));
}

/* The parent pays for its subsidiaries; naming one in the memo narrows to it. */
static void
test_parent_pays (void)
{
  g_autoptr(TenureMatcher) m = portfolio ();
  g_autoptr(GPtrArray) one = match (m, YUAN (6000), "CNY", D (2026, 3, 1), "Gamma Holdings",
                                    "6222000055556666", NULL);
  g_autoptr(GPtrArray) both = match (m, YUAN (10000), "CNY", D (2026, 3, 1), "Gamma Holdings",
                                     NULL, NULL);
  g_autoptr(GPtrArray) named = match (m, YUAN (4000), "CNY", D (2026, 3, 1), NULL,
                                      "6222000055556666", "代付 Gamma Retail 租金");

  g_assert_cmpstr (best (one)->reason, ==, "payer_single_bill");
  g_assert_cmpint (best (one)->tenant_id, ==, 3);
  assert_items (best (one), (gint64) 41, YUAN (6000), (gint64) 0);
  g_assert_nonnull (strstr (best (one)->detail, "\"subsidiaries\":true"));
  g_assert_cmpstr (best (both)->reason, ==, "payer_oldest_first");
  assert_items (best (both), (gint64) 31, YUAN (4000), (gint64) 41, YUAN (6000), (gint64) 0);
  assert_items (best (named), (gint64) 31, YUAN (4000), (gint64) 0);
  g_assert_nonnull (tenure_match_auto_pick (named, 95));
}

/* Step 3: one item of that amount within ±10 days of its due date; a suggestion only. */
static void
test_amount_near_due (void)
{
  g_autoptr(TenureMatcher) m = portfolio ();
  g_autoptr(GPtrArray) near = match (m, YUAN (6000), "CNY", D (2026, 1, 20), "Stranger",
                                     "1111", "转账");
  g_autoptr(GPtrArray) late = match (m, YUAN (6000), "CNY", D (2026, 1, 21), "Stranger",
                                     "1111", "转账");
  g_autoptr(GPtrArray) early = match (m, YUAN (4000), "CNY", D (2025, 12, 22), NULL, NULL,
                                      NULL);
  g_autoptr(GPtrArray) one_of_two = match (m, YUAN (10000), "CNY", D (2026, 1, 8), NULL, NULL,
                                           NULL);
  g_autoptr(TenureMatcher) m2 = tenure_matcher_new ();
  g_autoptr(TenureOpenItem) a = item (1, 1, "B-000001", "K1", 1, "CNY", D (2026, 1, 5),
                                      YUAN (500), TENURE_DEBT_PART_PRINCIPAL);
  g_autoptr(TenureOpenItem) b = item (2, 2, "B-000002", "K2", 2, "CNY", D (2026, 1, 8),
                                      YUAN (500), TENURE_DEBT_PART_PRINCIPAL);
  g_autoptr(GPtrArray) two = NULL;

  g_assert_cmpint (best (near)->step, ==, 3);
  g_assert_cmpstr (best (near)->reason, ==, "amount_near_due");
  g_assert_cmpint (best (near)->confidence, <, 95);
  assert_items (best (near), (gint64) 41, YUAN (6000), (gint64) 0);
  g_assert_null (tenure_match_auto_pick (near, 0));
  g_assert_cmpuint (late->len, ==, 0);
  g_assert_cmpuint (early->len, ==, 1);
  /* 10,000.00 is due on 2026-01-01 and 2026-02-01: only January is within reach */
  g_assert_cmpuint (one_of_two->len, ==, 1);
  assert_items (best (one_of_two), (gint64) 11, YUAN (10000), (gint64) 0);
  /* two tenants owe 500.00 that week: no suggestion at all */
  tenure_matcher_add_item (m2, a);
  tenure_matcher_add_item (m2, b);
  tenure_matcher_prepare (m2);
  two = match (m2, YUAN (500), "CNY", D (2026, 1, 6), NULL, NULL, NULL);
  g_assert_cmpuint (two->len, ==, 0);
}

/* Only items of the line's currency; only credits. */
static void
test_currency_and_debits (void)
{
  g_autoptr(TenureMatcher) m = portfolio ();
  g_autoptr(GPtrArray) eur_ref = match (m, YUAN (10000), "EUR", D (2026, 1, 3), NULL,
                                        "6222000011112222", "ZD-202601-000001");
  g_autoptr(GPtrArray) eur_own = match (m, YUAN (1000), "EUR", D (2026, 1, 3), "Beta", NULL,
                                        "EU-202601-000007");
  g_autoptr(GPtrArray) cny_eur_bill = match (m, YUAN (1000), "CNY", D (2026, 1, 3), NULL,
                                             NULL, "EU-202601-000007");
  g_autoptr(GPtrArray) debit = match (m, -YUAN (10000), "CNY", D (2026, 1, 3), NULL,
                                      "6222000011112222", "ZD-202601-000001");

  g_assert_cmpuint (eur_ref->len, ==, 0);
  assert_items (best (eur_own), (gint64) 51, YUAN (1000), (gint64) 0);
  g_assert_cmpuint (cny_eur_bill->len, ==, 0);
  g_assert_cmpuint (debit->len, ==, 0);
}

/* A split payment: the first part pays part of the bill; after consuming it the second part
 * is the bill's exact balance. */
static void
test_split_and_consume (void)
{
  g_autoptr(TenureMatcher) m = portfolio ();
  g_autoptr(GPtrArray) first = match (m, YUAN (4000), "CNY", D (2026, 1, 3), NULL,
                                      "6222000011112222", "ZD-202601-000001");
  g_autoptr(GPtrArray) second = NULL;

  g_assert_cmpstr (best (first)->reason, ==, "memo_reference_partial");
  g_assert_nonnull (tenure_match_auto_pick (first, 95));
  tenure_matcher_consume (m, best (first));
  second = match (m, YUAN (6000), "CNY", D (2026, 1, 5), NULL, "6222000011112222",
                  "ZD-202601-000001");
  g_assert_cmpstr (best (second)->reason, ==, "memo_reference");
  g_assert_cmpint (best (second)->confidence, ==, 99);
  assert_items (best (second), (gint64) 11, YUAN (6000), (gint64) 0);
}

/* Two readings at or above the threshold: neither is confirmed alone. */
static void
test_two_candidates (void)
{
  g_autoptr(TenureMatcher) m = tenure_matcher_new ();
  g_autoptr(TenureOpenItem) a = item (1, 1, "B-000001", "K1", 1, "CNY", D (2026, 1, 1),
                                      YUAN (300), TENURE_DEBT_PART_PRINCIPAL);
  g_autoptr(TenureOpenItem) b = item (2, 2, "B-000002", "K1", 1, "CNY", D (2026, 2, 1),
                                      YUAN (300), TENURE_DEBT_PART_PRINCIPAL);
  g_autoptr(TenureOpenItem) c = item (3, 3, "B-000003", "K1", 1, "CNY", D (2026, 3, 1),
                                      YUAN (600), TENURE_DEBT_PART_PRINCIPAL);
  g_autoptr(GPtrArray) p = NULL;

  tenure_matcher_add_tenant (m, 1, "T", "Tee", NULL, 0, "123456");
  tenure_matcher_add_item (m, a);
  tenure_matcher_add_item (m, b);
  tenure_matcher_add_item (m, c);
  tenure_matcher_prepare (m);
  /* 600.00: the two oldest, or the March bill */
  p = match (m, YUAN (600), "CNY", D (2026, 3, 2), NULL, "123456", NULL);
  g_assert_cmpuint (p->len, ==, 2);
  g_assert_null (tenure_match_auto_pick (p, 95));
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/match/normalize", test_normalize);
  g_test_add_func ("/match/step1/reference", test_memo_reference);
  g_test_add_func ("/match/step1/partial", test_partial_payment);
  g_test_add_func ("/match/step1/fuzzy", test_fuzzy_reference);
  g_test_add_func ("/match/step1/contract", test_contract_reference);
  g_test_add_func ("/match/step2/payer", test_payer);
  g_test_add_func ("/match/step2/parent", test_parent_pays);
  g_test_add_func ("/match/step3/amount-near-due", test_amount_near_due);
  g_test_add_func ("/match/currency-and-debits", test_currency_and_debits);
  g_test_add_func ("/match/split-and-consume", test_split_and_consume);
  g_test_add_func ("/match/two-candidates", test_two_candidates);
  return g_test_run ();
}
