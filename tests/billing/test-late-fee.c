/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test-late-fee"

/* Late fees (domain.md §6): the pure computation against the worked example and an independent
 * day-by-day oracle, and the database form over billed lines with allocations and waivers on
 * both backends (late-fee-sqlite with --backend=sqlite, late-fee-pg inside with-postgres.sh). */

#include "billing/tenure-late-fee.h"

#include "base/tenure-error.h"
#include "tenure-test-db.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static TenureTestBackend backend;

#define D(y, m, d) tenure_date_from_ymd ((y), (m), (d))

static int
iterations (int base)
{
  const char *env = g_getenv ("TENURE_TEST_ITERATIONS");

  if (env != NULL && atoi (env) > 0)
    return MIN (base, atoi (env));
  return base;
}

/* ---- pure computation ----------------------------------------------------------------------- */

static void
test_worked_example (void)
{
  /* 10,000.00 due 2026-04-05, grace 5, 0.05 %/day; 4,000.00 on 04-20, the rest on 05-10. */
  TenureLateFeeTerms terms = { 1000000, D (2026, 4, 5), 5, 500, 300000 };
  TenureLateFeePayment pays[] = { { D (2026, 5, 10), 600000 }, { D (2026, 4, 20), 400000 } };
  TenureLateFeeResult r = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (tenure_late_fee_compute (&terms, pays, 2, D (2026, 6, 30),
                                          TENURE_ROUND_DEFAULT, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpint (r.fee, ==, 11000);
  g_assert_cmpint (r.fee_days, ==, 30);
  g_assert_false (r.capped);
  g_assert_cmpint (r.paid, ==, 1000000);
  g_assert_cmpint (r.unpaid, ==, 0);
  g_assert_cmpuint (r.segments->len, ==, 2);
  {
    TenureLateFeeSegment *s0 = &g_array_index (r.segments, TenureLateFeeSegment, 0);
    TenureLateFeeSegment *s1 = &g_array_index (r.segments, TenureLateFeeSegment, 1);
    gint64 v;

    g_assert_cmpint (s0->from, ==, D (2026, 4, 11));
    g_assert_cmpint (s0->to, ==, D (2026, 4, 20));
    g_assert_cmpint (s0->unpaid, ==, 1000000);
    g_assert_true (tenure_exact_round (s0->value, TENURE_ROUND_DEFAULT, &v, NULL));
    g_assert_cmpint (v, ==, 5000);
    g_assert_cmpint (s1->from, ==, D (2026, 4, 21));
    g_assert_cmpint (s1->to, ==, D (2026, 5, 10));
    g_assert_cmpint (s1->unpaid, ==, 600000);
    g_assert_true (tenure_exact_round (s1->value, TENURE_ROUND_DEFAULT, &v, NULL));
    g_assert_cmpint (v, ==, 6000);
  }
  tenure_late_fee_result_clear (&r);

  /* As of the first payment's day: that day still bears the fee on the full amount. */
  g_assert_true (tenure_late_fee_compute (&terms, pays, 2, D (2026, 4, 20),
                                          TENURE_ROUND_DEFAULT, &r, &error));
  g_assert_cmpint (r.fee, ==, 5000);
  g_assert_cmpint (r.unpaid, ==, 600000);
  tenure_late_fee_result_clear (&r);

  /* The last fee-free day bears nothing; the next day bears one day. */
  g_assert_true (tenure_late_fee_compute (&terms, NULL, 0, D (2026, 4, 10),
                                          TENURE_ROUND_DEFAULT, &r, &error));
  g_assert_cmpint (r.fee, ==, 0);
  g_assert_cmpuint (r.segments->len, ==, 0);
  tenure_late_fee_result_clear (&r);
  g_assert_true (tenure_late_fee_compute (&terms, NULL, 0, D (2026, 4, 11),
                                          TENURE_ROUND_DEFAULT, &r, &error));
  g_assert_cmpint (r.fee, ==, 500);
  tenure_late_fee_result_clear (&r);
}

static void
test_cap_and_rounding (void)
{
  /* 30 % of 10,000.00 is reached after 600 days at 0.05 %/day. */
  TenureLateFeeTerms terms = { 1000000, D (2026, 1, 1), 0, 500, 300000 };
  TenureLateFeeResult r = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (tenure_late_fee_compute (&terms, NULL, 0, D (2027, 12, 31),
                                          TENURE_ROUND_DEFAULT, &r, &error));
  g_assert_true (r.capped);
  g_assert_cmpint (r.fee, ==, 300000);
  g_assert_cmpint (r.cap, ==, 300000);
  tenure_late_fee_result_clear (&r);

  /* No cap (0): 729 days × 5.00. */
  terms.cap_ppm = 0;
  g_assert_true (tenure_late_fee_compute (&terms, NULL, 0, D (2027, 12, 31),
                                          TENURE_ROUND_DEFAULT, &r, &error));
  g_assert_false (r.capped);
  g_assert_cmpint (r.fee, ==, 729 * 500);
  tenure_late_fee_result_clear (&r);

  /* Rounded once: 333.33 × 0.05 % = 0.166665 a day; 3 days = 0.499995 → 0.50, whereas
   * rounding each day (0.17) would give 0.51. */
  terms.principal = 33333;
  g_assert_true (tenure_late_fee_compute (&terms, NULL, 0, D (2026, 1, 4),
                                          TENURE_ROUND_DEFAULT, &r, &error));
  g_assert_cmpint (r.fee, ==, 50);
  tenure_late_fee_result_clear (&r);

  /* Not eligible: rate 0. */
  terms.rate_ppm = 0;
  g_assert_true (tenure_late_fee_compute (&terms, NULL, 0, D (2030, 1, 1),
                                          TENURE_ROUND_DEFAULT, &r, &error));
  g_assert_cmpint (r.fee, ==, 0);
  tenure_late_fee_result_clear (&r);
}

static void
test_bad_input (void)
{
  TenureLateFeeTerms terms = { 1000000, D (2026, 1, 1), 5, 500, 300000 };
  TenureLateFeePayment bad = { D (2026, 2, 1), 0 };
  TenureLateFeeResult r = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_false (tenure_late_fee_compute (&terms, &bad, 1, D (2026, 3, 1),
                                           TENURE_ROUND_DEFAULT, &r, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "payment 1"));
  g_clear_error (&error);

  terms.principal = 0;
  g_assert_false (tenure_late_fee_compute (&terms, NULL, 0, D (2026, 3, 1),
                                           TENURE_ROUND_DEFAULT, &r, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);

  terms.principal = 100;
  terms.grace_days = -1;
  g_assert_false (tenure_late_fee_compute (&terms, NULL, 0, D (2026, 3, 1),
                                           TENURE_ROUND_DEFAULT, &r, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);

  /* The largest principal at an absurd rate over centuries does not overflow silently. */
  terms.principal = G_MAXINT64;
  terms.grace_days = 0;
  terms.rate_ppm = G_MAXINT64;
  terms.cap_ppm = 0;
  if (!tenure_late_fee_compute (&terms, NULL, 0, D (9999, 12, 31), TENURE_ROUND_DEFAULT,
                                &r, &error))
    g_assert_error (error, TENURE_ERROR, TENURE_ERROR_OVERFLOW);
  else
    tenure_late_fee_result_clear (&r);
}

static void
test_rate_warning (void)
{
  g_autofree char *w = tenure_late_fee_rate_warning (2000, 1000, "C-1 RENT");

  g_assert_nonnull (w);
  g_assert_nonnull (strstr (w, "C-1 RENT"));
  g_assert_nonnull (strstr (w, "0.2000"));
  g_assert_null (tenure_late_fee_rate_warning (1000, 1000, "C-1 RENT"));
  g_assert_null (tenure_late_fee_rate_warning (500, TENURE_LATE_FEE_WARN_RATE_PPM_DEFAULT,
                                               "x"));
}

/* Independent oracle: walk every day, fee in fen × 10^6 as a plain 128-bit integer. */
static gint64
oracle_fee (gint64                      principal,
            TenureDate                  due,
            int                         grace,
            gint64                      rate_ppm,
            gint64                      cap_ppm,
            const TenureLateFeePayment *pays,
            int                         n,
            TenureDate                  as_of)
{
  __int128 sum = 0, cap = (__int128) principal * cap_ppm, q, r;

  for (TenureDate d = due + grace + 1; d <= as_of; d++)
    {
      __int128 unpaid = principal;

      for (int i = 0; i < n; i++)
        if (pays[i].date < d)
          unpaid -= pays[i].amount;
      if (unpaid > 0)
        sum += unpaid * rate_ppm;
    }
  if (cap_ppm > 0 && sum > cap)
    sum = cap;
  q = sum / 1000000;
  r = sum % 1000000;
  if (r * 2 >= 1000000)
    q++;
  return (gint64) q;
}

static void
test_property_oracle (void)
{
  GRand *rand = g_rand_new_with_seed (20260405);
  int n = iterations (3000);

  for (int it = 0; it < n; it++)
    {
      TenureLateFeePayment pays[6];
      TenureLateFeeTerms terms;
      TenureLateFeeResult r = { 0 };
      g_autoptr(GError) error = NULL;
      int n_pays = g_rand_int_range (rand, 0, 6);
      TenureDate as_of;
      gint64 expected;

      terms.principal = g_rand_int_range (rand, 1, 100000000);
      terms.due_date = D (2024, 1, 1) + g_rand_int_range (rand, 0, 1000);
      terms.grace_days = g_rand_int_range (rand, 0, 16);
      terms.rate_ppm = g_rand_boolean (rand) ? 500 : g_rand_int_range (rand, 0, 5000);
      terms.cap_ppm = g_rand_boolean (rand) ? 0 : g_rand_int_range (rand, 1, 400000);
      for (int i = 0; i < n_pays; i++)
        {
          pays[i].date = terms.due_date + g_rand_int_range (rand, -20, 300);
          pays[i].amount = g_rand_int_range (rand, 1, (gint32) (terms.principal / 2 + 2));
        }
      as_of = terms.due_date + g_rand_int_range (rand, -5, 400);

      expected = oracle_fee (terms.principal, terms.due_date, terms.grace_days,
                             terms.rate_ppm, terms.cap_ppm, pays, n_pays, as_of);
      g_assert_true (tenure_late_fee_compute (&terms, pays, n_pays, as_of,
                                              TENURE_ROUND_DEFAULT, &r, &error));
      g_assert_no_error (error);
      if (r.fee != expected)
        g_error ("iteration %d: fee %" G_GINT64_FORMAT ", oracle %" G_GINT64_FORMAT,
                 it, r.fee, expected);
      tenure_late_fee_result_clear (&r);
    }
  g_rand_free (rand);
}

/* ---- database form ------------------------------------------------------------------------ */

typedef struct
{
  char     *location;
  TenureDb *db;
  gint64    contract_id, tenant_id, clause_id, version_id;
} Fixture;

static gint64
insert_id (TenureDb   *db,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  g_assert_true (tenure_db_query_int64 (db, sql, &id, &error));
  g_assert_no_error (error);
  return id;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  gint64 le, project, building, floor_id, unit;

  f->location = tenure_test_db_new_location (backend);
  if (f->location == NULL)
    return;
  f->db = tenure_db_open (f->location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);

  le = insert_id (f->db, "INSERT INTO legal_entity (code, name) VALUES ('LE', 'Entity') "
                         "RETURNING id");
  sql = g_strdup_printf ("INSERT INTO project (code, legal_entity_id, name, format) "
                         "VALUES ('P1', %" G_GINT64_FORMAT ", 'Mall', 'mall') RETURNING id", le);
  project = insert_id (f->db, sql);
  g_free (sql);
  sql = g_strdup_printf ("INSERT INTO building (code, project_id, name) "
                         "VALUES ('P1-A', %" G_GINT64_FORMAT ", 'A') RETURNING id", project);
  building = insert_id (f->db, sql);
  g_free (sql);
  sql = g_strdup_printf ("INSERT INTO floor (code, building_id, name) "
                         "VALUES ('P1-A-1', %" G_GINT64_FORMAT ", '1F') RETURNING id", building);
  floor_id = insert_id (f->db, sql);
  g_free (sql);
  sql = g_strdup_printf ("INSERT INTO unit (code, floor_id, name, format, gfa_area_c, "
                         "leasable_area_c) VALUES ('P1-A-1-101', %" G_GINT64_FORMAT
                         ", '101', 'mall', 10000, 10000) RETURNING id", floor_id);
  unit = insert_id (f->db, sql);
  g_free (sql);
  f->tenant_id = insert_id (f->db, "INSERT INTO tenant (code, name) VALUES ('T1', 'Tenant') "
                                   "RETURNING id");
  sql = g_strdup_printf ("INSERT INTO contract (code, tenant_id, project_id, status, "
                         "start_date, end_date) VALUES ('C-1', %" G_GINT64_FORMAT ", %"
                         G_GINT64_FORMAT ", 'active', '2026-01-01', '2026-12-31') RETURNING id",
                         f->tenant_id, project);
  f->contract_id = insert_id (f->db, sql);
  g_free (sql);
  sql = g_strdup_printf ("INSERT INTO contract_version (contract_id, version_no, "
                         "effective_from, status) VALUES (%" G_GINT64_FORMAT
                         ", 1, '2026-01-01', 'approved') RETURNING id", f->contract_id);
  f->version_id = insert_id (f->db, sql);
  g_free (sql);
  sql = g_strdup_printf ("INSERT INTO contract_unit (contract_version_id, unit_id, area_c) "
                         "VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 10000) "
                         "RETURNING id", f->version_id, unit);
  insert_id (f->db, sql);
  g_free (sql);
  sql = g_strdup_printf ("INSERT INTO clause (contract_version_id, charge_item_id, basis, "
                         "amount, starts_on, ends_on, late_fee_rate_ppm, late_fee_grace_days, "
                         "late_fee_cap_ppm) SELECT %" G_GINT64_FORMAT ", id, 'fixed_month', "
                         "1000000, '2026-01-01', '2026-12-31', 500, 5, 300000 "
                         "FROM charge_item WHERE code = 'RENT' RETURNING id", f->version_id);
  f->clause_id = insert_id (f->db, sql);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->db);
  if (f->location != NULL)
    tenure_test_db_drop_location (backend, f->location);
  g_free (f->location);
}

/* A posted bill with one line of AMOUNT due on DUE for CHARGE under CLAUSE (0: a clause-less
 * line); returns the bill line id. */
static gint64
add_bill_line (Fixture    *f,
               const char *bill_code,
               const char *charge,
               gint64      clause_id,
               const char *kind,
               const char *due,
               gint64      amount)
{
  g_autofree char *sql = NULL, *clause = NULL;
  gint64 bill, rl;

  clause = clause_id ? g_strdup_printf ("%" G_GINT64_FORMAT, clause_id) : g_strdup ("NULL");
  sql = g_strdup_printf ("INSERT INTO bill (code, contract_id, tenant_id, period_start, "
                         "period_end, due_date, posting_date, total) VALUES ('%s', %"
                         G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", '%s', '%s', '%s', '%s', %"
                         G_GINT64_FORMAT ") RETURNING id", bill_code, f->contract_id,
                         f->tenant_id, due, due, due, due, amount);
  bill = insert_id (f->db, sql);
  g_free (sql);
  sql = g_strdup_printf ("INSERT INTO receivable_line (contract_id, contract_version_id, "
                         "clause_id, charge_item_id, kind, period_start, period_end, due_date, "
                         "amount, status, bill_id) SELECT %" G_GINT64_FORMAT ", %"
                         G_GINT64_FORMAT ", %s, id, '%s', '%s', '%s', '%s', %" G_GINT64_FORMAT
                         ", 'billed', %" G_GINT64_FORMAT " FROM charge_item WHERE code = '%s' "
                         "RETURNING id", f->contract_id, f->version_id, clause, kind, due, due,
                         due, amount, bill, charge);
  rl = insert_id (f->db, sql);
  g_free (sql);
  sql = g_strdup_printf ("INSERT INTO bill_line (bill_id, receivable_line_id, charge_item_id, "
                         "period_start, period_end, due_date, amount) SELECT %" G_GINT64_FORMAT
                         ", %" G_GINT64_FORMAT ", charge_item_id, period_start, period_end, "
                         "due_date, amount FROM receivable_line WHERE id = %" G_GINT64_FORMAT
                         " RETURNING id", bill, rl, rl);
  return insert_id (f->db, sql);
}

/* A receipt received on RECEIVED_ON allocated to LINE; returns the allocation id. */
static gint64
pay (Fixture    *f,
     const char *code,
     gint64      line,
     const char *received_on,
     gint64      amount)
{
  g_autofree char *sql = NULL;
  gint64 receipt;

  sql = g_strdup_printf ("INSERT INTO receipt (code, tenant_id, method, received_on, "
                         "posting_date, amount) VALUES ('%s', %" G_GINT64_FORMAT ", 'bank', "
                         "'%s', '%s', %" G_GINT64_FORMAT ") RETURNING id", code, f->tenant_id,
                         received_on, received_on, amount);
  receipt = insert_id (f->db, sql);
  g_free (sql);
  sql = g_strdup_printf ("INSERT INTO allocation (receipt_id, bill_line_id, amount, "
                         "posting_date) VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %"
                         G_GINT64_FORMAT ", '%s') RETURNING id", receipt, line, amount,
                         received_on);
  return insert_id (f->db, sql);
}

static GPtrArray *
fees (Fixture        *f,
      TenureDate      as_of,
      TenureScopeKind scope,
      const char     *code)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *items = tenure_late_fees_as_of (f->db, as_of, scope, code, &error);

  g_assert_no_error (error);
  g_assert_nonnull (items);
  return items;
}

static void
test_db_worked_example (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) items = NULL;
  TenureLateFeeItem *item;
  gint64 line, other, a;
  g_autofree char *sql = NULL;

  if (f->db == NULL)
    return;
  line = add_bill_line (f, "B-1", "RENT", f->clause_id, "normal", "2026-04-05", 1000000);
  pay (f, "R-1", line, "2026-04-20", 400000);
  pay (f, "R-2", line, "2026-05-10", 600000);

  /* Not eligible: no clause, a late-fee line, a rate-0 clause. */
  add_bill_line (f, "B-2", "PROPERTY_FEE", 0, "normal", "2026-04-05", 500000);
  add_bill_line (f, "B-3", "RENT", f->clause_id, "late_fee", "2026-04-05", 11000);

  items = fees (f, D (2026, 6, 30), TENURE_SCOPE_ALL, NULL);
  g_assert_cmpuint (items->len, ==, 1);
  item = g_ptr_array_index (items, 0);
  g_assert_cmpint (item->bill_line_id, ==, line);
  g_assert_cmpstr (item->contract_code, ==, "C-1");
  g_assert_cmpstr (item->bill_code, ==, "B-1");
  g_assert_cmpstr (item->charge_item, ==, "RENT");
  g_assert_cmpint (item->result.fee, ==, 11000);
  g_assert_cmpint (item->net_fee, ==, 11000);
  g_assert_cmpint (item->result.unpaid, ==, 0);
  g_assert_null (item->warning);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* Reversed: the 05-10 allocation never happened, so the fee runs on. */
  sql = g_strdup_printf ("SELECT id FROM allocation WHERE amount = 600000");
  a = insert_id (f->db, sql);
  g_free (sql);
  sql = g_strdup_printf ("INSERT INTO allocation (receipt_id, bill_line_id, amount, "
                         "posting_date, reversal_of_id) SELECT receipt_id, bill_line_id, "
                         "-amount, '2026-05-15', id FROM allocation WHERE id = %"
                         G_GINT64_FORMAT " RETURNING id", a);
  insert_id (f->db, sql);
  items = fees (f, D (2026, 5, 31), TENURE_SCOPE_ALL, NULL);
  item = g_ptr_array_index (items, 0);
  /* 10 days on 10,000 + 41 days (04-21..05-31) on 6,000. */
  g_assert_cmpint (item->result.fee, ==, 5000 + 41 * 300);
  g_assert_cmpint (item->result.unpaid, ==, 600000);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* Scopes: a second contract elsewhere is not in C-1's report. */
  other = add_bill_line (f, "B-4", "RENT", f->clause_id, "normal", "2026-05-01", 200000);
  items = fees (f, D (2026, 5, 31), TENURE_SCOPE_CONTRACT, "C-1");
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpint (((TenureLateFeeItem *) g_ptr_array_index (items, 1))->bill_line_id, ==,
                   other);
  /* 05-07..05-31 = 25 days × 2,000.00 × 0.05 %. */
  g_assert_cmpint (((TenureLateFeeItem *) g_ptr_array_index (items, 1))->result.fee, ==,
                   2500);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = fees (f, D (2026, 5, 31), TENURE_SCOPE_PROJECT, "P1");
  g_assert_cmpuint (items->len, ==, 2);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = fees (f, D (2026, 5, 31), TENURE_SCOPE_BUILDING, "P1-A");
  g_assert_cmpuint (items->len, ==, 2);
  g_clear_pointer (&items, g_ptr_array_unref);
  /* Before the first fee day there is nothing. */
  items = fees (f, D (2026, 4, 10), TENURE_SCOPE_ALL, NULL);
  g_assert_cmpuint (items->len, ==, 0);
}

static void
test_db_credit_note (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *sql = NULL;
  TenureLateFeeItem *item;
  gint64 line, note_bill;

  if (f->db == NULL)
    return;
  line = add_bill_line (f, "B-1", "RENT", f->clause_id, "normal", "2026-04-05", 1000000);
  /* A change cut the period's rent by 3,000.00; the credit note is posted on 04-15. */
  sql = g_strdup_printf ("INSERT INTO bill (code, contract_id, tenant_id, kind, "
                         "corrects_bill_id, period_start, period_end, due_date, posting_date, "
                         "total) SELECT 'CN-1', contract_id, tenant_id, 'credit_note', id, "
                         "period_start, period_end, due_date, '2026-04-15', -300000 FROM bill "
                         "WHERE code = 'B-1' RETURNING id");
  note_bill = insert_id (f->db, sql);
  g_free (sql);
  sql = g_strdup_printf ("INSERT INTO receivable_line (contract_id, contract_version_id, "
                         "clause_id, charge_item_id, kind, period_start, period_end, due_date, "
                         "amount, status, bill_id, corrects_line_id) SELECT contract_id, "
                         "contract_version_id, clause_id, charge_item_id, 'difference', "
                         "period_start, period_end, '2026-04-15', -300000, 'billed', %"
                         G_GINT64_FORMAT ", id FROM receivable_line WHERE id = (SELECT "
                         "receivable_line_id FROM bill_line WHERE id = %" G_GINT64_FORMAT ") "
                         "RETURNING id", note_bill, line);
  g_assert_cmpint (insert_id (f->db, sql), >, 0);
  g_free (sql);
  sql = g_strdup_printf ("INSERT INTO bill_line (bill_id, receivable_line_id, charge_item_id, "
                         "period_start, period_end, due_date, amount) SELECT bill_id, id, "
                         "charge_item_id, period_start, period_end, due_date, amount FROM "
                         "receivable_line WHERE kind = 'difference' RETURNING id");
  insert_id (f->db, sql);

  /* 04-11..04-15 on 10,000.00 (5 days), 04-16..04-30 on 7,000.00 (15 days). */
  items = fees (f, D (2026, 4, 30), TENURE_SCOPE_ALL, NULL);
  g_assert_cmpuint (items->len, ==, 1);
  item = g_ptr_array_index (items, 0);
  g_assert_cmpint (item->bill_line_id, ==, line);
  g_assert_cmpint (item->result.fee, ==, 5 * 500 + 15 * 350);
  g_assert_cmpint (item->result.unpaid, ==, 700000);
}

/* More lines than one batch of the report, some part-paid, against the day-by-day oracle. */
static void
test_db_many_lines (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(TenureStmt) rl = NULL, bl = NULL, al = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  const int n = 2100;
  gint64 bill, receipt;

  if (f->db == NULL)
    return;
  sql = g_strdup_printf ("INSERT INTO bill (code, contract_id, tenant_id, period_start, "
                         "period_end, due_date, posting_date, total) VALUES ('BX', %"
                         G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", '2020-01-01', '2026-01-01', "
                         "'2026-01-05', '2026-01-05', 0) RETURNING id", f->contract_id,
                         f->tenant_id);
  bill = insert_id (f->db, sql);
  g_free (sql);
  sql = g_strdup_printf ("INSERT INTO receipt (code, tenant_id, method, received_on, "
                         "posting_date, amount) VALUES ('RX', %" G_GINT64_FORMAT ", 'bank', "
                         "'2026-02-01', '2026-02-01', 1) RETURNING id", f->tenant_id);
  receipt = insert_id (f->db, sql);

  g_assert_true (tenure_db_begin (f->db, &error));
  rl = tenure_db_prepare (f->db, "INSERT INTO receivable_line (contract_id, "
                          "contract_version_id, clause_id, charge_item_id, period_start, "
                          "period_end, due_date, amount, status, bill_id) SELECT $1, $2, $3, "
                          "id, $4, $4, $5, $6, 'billed', $7 FROM charge_item "
                          "WHERE code = 'RENT' RETURNING id", &error);
  bl = tenure_db_prepare (f->db, "INSERT INTO bill_line (bill_id, receivable_line_id, "
                          "charge_item_id, period_start, period_end, due_date, amount) SELECT "
                          "bill_id, id, charge_item_id, period_start, period_end, due_date, "
                          "amount FROM receivable_line WHERE id = $1 RETURNING id", &error);
  al = tenure_db_prepare (f->db, "INSERT INTO allocation (receipt_id, bill_line_id, amount, "
                          "posting_date) VALUES ($1, $2, $3, '2026-02-01')", &error);
  g_assert_no_error (error);
  for (int i = 0; i < n; i++)
    {
      g_autofree char *period = tenure_date_format_iso (D (2020, 1, 1) + i);
      /* Due dates spread over January and February 2026. */
      g_autofree char *due = tenure_date_format_iso (D (2026, 1, 1) + i % 50);
      gint64 rl_id, bl_id;

      tenure_stmt_reset (rl);
      tenure_stmt_bind_int64 (rl, 1, f->contract_id);
      tenure_stmt_bind_int64 (rl, 2, f->version_id);
      tenure_stmt_bind_int64 (rl, 3, f->clause_id);
      tenure_stmt_bind_text (rl, 4, period);
      tenure_stmt_bind_text (rl, 5, due);
      tenure_stmt_bind_int64 (rl, 6, 100000 + 37 * i);
      tenure_stmt_bind_int64 (rl, 7, bill);
      g_assert_true (tenure_stmt_step (rl, &error));
      rl_id = tenure_stmt_column_int64 (rl, 0);
      while (tenure_stmt_step (rl, &error))
        ;
      g_assert_no_error (error);
      tenure_stmt_reset (bl);
      tenure_stmt_bind_int64 (bl, 1, rl_id);
      g_assert_true (tenure_stmt_step (bl, &error));
      bl_id = tenure_stmt_column_int64 (bl, 0);
      while (tenure_stmt_step (bl, &error))
        ;
      g_assert_no_error (error);
      if (i % 3 == 0)
        {
          tenure_stmt_reset (al);
          tenure_stmt_bind_int64 (al, 1, receipt);
          tenure_stmt_bind_int64 (al, 2, bl_id);
          tenure_stmt_bind_int64 (al, 3, 40000 + i);
          g_assert_true (tenure_stmt_run (al, &error));
        }
    }
  g_assert_true (tenure_db_commit (f->db, &error));
  g_assert_no_error (error);

  items = fees (f, D (2026, 3, 1), TENURE_SCOPE_CONTRACT, "C-1");
  g_assert_cmpuint (items->len, ==, n);
  for (guint k = 0; k < items->len; k++)
    {
      TenureLateFeeItem *item = g_ptr_array_index (items, k);
      /* The line's index from its principal (100000 + 37 i). */
      int i = (int) ((item->terms.principal - 100000) / 37);
      TenureLateFeePayment p = { D (2026, 2, 1), 40000 + i };
      gint64 expected = oracle_fee (100000 + 37 * i, D (2026, 1, 1) + i % 50, 5, 500, 300000,
                                    &p, i % 3 == 0 ? 1 : 0, D (2026, 3, 1));

      g_assert_cmpint (item->result.fee, ==, expected);
      if (k > 0)
        {
          TenureLateFeeItem *prev = g_ptr_array_index (items, k - 1);

          g_assert_true (prev->terms.due_date < item->terms.due_date
                         || (prev->terms.due_date == item->terms.due_date
                             && prev->bill_line_id < item->bill_line_id));
        }
    }
}

static void
test_db_scope_errors (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  if (f->db == NULL)
    return;
  items = tenure_late_fees_as_of (f->db, D (2026, 5, 1), TENURE_SCOPE_CONTRACT, "NOPE",
                                  &error);
  g_assert_null (items);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "NOPE"));
  g_clear_error (&error);
  items = tenure_late_fees_as_of (f->db, D (2026, 5, 1), TENURE_SCOPE_BUILDING, "X", &error);
  g_assert_null (items);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
}

static void
test_db_rate_warning (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  TenureLateFeeItem *item;
  gint64 limit = 0;

  if (f->db == NULL)
    return;
  sql = g_strdup_printf ("UPDATE clause SET late_fee_rate_ppm = 3000 WHERE id = %"
                         G_GINT64_FORMAT, f->clause_id);
  g_assert_true (tenure_db_exec (f->db, sql, &error));
  add_bill_line (f, "B-1", "RENT", f->clause_id, "normal", "2026-04-05", 1000000);
  items = fees (f, D (2026, 4, 11), TENURE_SCOPE_ALL, NULL);
  item = g_ptr_array_index (items, 0);
  g_assert_cmpint (item->result.fee, ==, 3000);
  g_assert_nonnull (item->warning);
  g_assert_nonnull (strstr (item->warning, "C-1"));
  g_clear_pointer (&items, g_ptr_array_unref);

  /* A database may raise the limit. */
  g_assert_true (tenure_db_exec (f->db, "INSERT INTO setting (key, value) "
                                        "VALUES ('late_fee.warn_rate_ppm', '5000')", &error));
  g_assert_true (tenure_late_fee_warn_limit (f->db, &limit, &error));
  g_assert_cmpint (limit, ==, 5000);
  items = fees (f, D (2026, 4, 11), TENURE_SCOPE_ALL, NULL);
  g_assert_null (((TenureLateFeeItem *) g_ptr_array_index (items, 0))->warning);
}

static void
test_db_waivers (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  TenureLateFeeItem *item;
  gint64 line, own, other;

  if (f->db == NULL)
    return;
  line = add_bill_line (f, "B-1", "RENT", f->clause_id, "normal", "2026-04-05", 1000000);
  pay (f, "R-1", line, "2026-04-20", 400000);
  pay (f, "R-2", line, "2026-05-10", 600000);

  /* Bad requests. */
  g_assert_cmpint (tenure_late_fee_waiver_request (f->db, line, 0, "x", &error), ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tenure_late_fee_waiver_request (f->db, line, 100, "  ", &error), ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tenure_late_fee_waiver_request (f->db, line + 1000, 100, "x", &error), ==,
                   0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Our own request: pending, and we may not approve it. */
  own = tenure_late_fee_waiver_request (f->db, line, 3000, "first offence", &error);
  g_assert_no_error (error);
  g_assert_cmpint (own, >, 0);
  g_assert_false (tenure_late_fee_waiver_approve (f->db, own, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);

  items = fees (f, D (2026, 6, 30), TENURE_SCOPE_ALL, NULL);
  item = g_ptr_array_index (items, 0);
  g_assert_cmpint (item->pending_waivers, ==, 3000);
  g_assert_cmpint (item->waived, ==, 0);
  g_assert_cmpint (item->net_fee, ==, 11000);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* A clerk's request that we approve: who and why are kept. */
  sql = g_strdup_printf ("INSERT INTO late_fee_waiver (bill_line_id, amount, reason, "
                         "requested_by) VALUES (%" G_GINT64_FORMAT ", 4000, 'bank delay', "
                         "'clerk') RETURNING id", line);
  other = insert_id (f->db, sql);
  g_assert_true (tenure_late_fee_waiver_approve (f->db, other, &error));
  g_assert_no_error (error);
  g_assert_false (tenure_late_fee_waiver_approve (f->db, other, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tenure_late_fee_waiver_approve (f->db, other + 100, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    g_autoptr(TenureStmt) st = tenure_db_prepare (f->db, "SELECT approved_by, reason, "
                                                  "approved_at IS NOT NULL FROM "
                                                  "late_fee_waiver WHERE id = $1", &error);
    tenure_stmt_bind_int64 (st, 1, other);
    g_assert_true (tenure_stmt_step (st, &error));
    g_assert_cmpstr (tenure_stmt_column_text (st, 0), ==, tenure_db_get_actor (f->db));
    g_assert_cmpstr (tenure_stmt_column_text (st, 1), ==, "bank delay");
  }

  items = fees (f, D (2026, 6, 30), TENURE_SCOPE_ALL, NULL);
  item = g_ptr_array_index (items, 0);
  g_assert_cmpint (item->waived, ==, 4000);
  g_assert_cmpint (item->pending_waivers, ==, 3000);
  g_assert_cmpint (item->net_fee, ==, 7000);
  g_assert_cmpint (item->billed_fee, ==, 0);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* 50.00 of the fee billed as a late-fee line pointing at the principal's line: 20.00 is
   * left to bill. */
  {
    gint64 fee_line = add_bill_line (f, "B-LF", "RENT", f->clause_id, "late_fee",
                                     "2026-05-31", 5000);
    g_autofree char *link = g_strdup_printf (
      "UPDATE receivable_line SET corrects_line_id = (SELECT receivable_line_id FROM bill_line "
      "WHERE id = %" G_GINT64_FORMAT ") WHERE id = (SELECT receivable_line_id FROM bill_line "
      "WHERE id = %" G_GINT64_FORMAT ")", line, fee_line);

    g_assert_true (tenure_db_exec (f->db, link, &error));
    g_assert_no_error (error);
  }
  items = fees (f, D (2026, 6, 30), TENURE_SCOPE_ALL, NULL);
  g_assert_cmpuint (items->len, ==, 1);
  item = g_ptr_array_index (items, 0);
  g_assert_cmpint (item->result.fee, ==, 11000);
  g_assert_cmpint (item->billed_fee, ==, 5000);
  g_assert_cmpint (item->net_fee, ==, 2000);
}

/* Runs tenure-cli with ARGS; returns its exit status, stdout in *OUT. */
static int
run_cli (const char * const *args,
         char              **out,
         char              **err)
{
  g_autofree char *exe = g_build_filename (g_getenv ("TENURE_BUILD_ROOT"), "src", "cli",
                                           "tenure-cli", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, exe);
  for (; *args != NULL; args++)
    g_ptr_array_add (argv, (char *) *args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  gint64 line;

  if (f->db == NULL)
    return;
  if (g_getenv ("TENURE_BUILD_ROOT") == NULL)
    {
      g_test_skip ("TENURE_BUILD_ROOT is not set (run through meson test)");
      return;
    }
  line = add_bill_line (f, "B-1", "RENT", f->clause_id, "normal", "2026-04-05", 1000000);
  pay (f, "R-1", line, "2026-04-20", 400000);
  pay (f, "R-2", line, "2026-05-10", 600000);

  {
    const char *args[] = { "late-fees", "--as-of", "2026-06-30", "--db", f->location, NULL };

    g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
    g_assert_cmpstr (out, ==,
                     "contract,bill,charge_item,period_start,period_end,due_date,principal,"
                     "paid,unpaid,fee_days,fee,waived,billed_fee,net_fee,capped,currency\n"
                     "C-1,B-1,RENT,2026-04-05,2026-04-05,2026-04-05,10000.00,10000.00,0.00,30,"
                     "110.00,0.00,0.00,110.00,no,CNY\n");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *args[] = { "late-fees", "--as-of", "2026-06-30", "--contract", "C-1",
                           "--db", f->location, NULL };

    g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "C-1,B-1,RENT"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *args[] = { "late-fees", "--as-of", "2026-06-30", "--contract", "NOPE",
                           "--db", f->location, NULL };

    g_assert_cmpint (run_cli (args, &out, &err), ==, 4);
    g_assert_nonnull (strstr (err, "NOPE"));
    g_assert_cmpstr (out, ==, "");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *args[] = { "late-fees", "--db", f->location, NULL };

    g_assert_cmpint (run_cli (args, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "--as-of"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *args[] = { "late-fees", "--as-of", "2026-02-30", "--db", f->location, NULL };

    g_assert_cmpint (run_cli (args, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "2026-02-30"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *args[] = { "late-fees", "--as-of", "2026-06-30", "--contract", "C-1",
                           "--project", "P1", "--db", f->location, NULL };

    g_assert_cmpint (run_cli (args, &out, &err), ==, 2);
  }
}

int
main (int argc, char **argv)
{
  backend = tenure_test_backend_from_args (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/late-fee/worked-example", test_worked_example);
  g_test_add_func ("/late-fee/cap-and-rounding", test_cap_and_rounding);
  g_test_add_func ("/late-fee/bad-input", test_bad_input);
  g_test_add_func ("/late-fee/rate-warning", test_rate_warning);
  g_test_add_func ("/late-fee/property/oracle", test_property_oracle);
  g_test_add ("/late-fee/db/worked-example", Fixture, NULL, fixture_set_up,
              test_db_worked_example, fixture_tear_down);
  g_test_add ("/late-fee/db/credit-note", Fixture, NULL, fixture_set_up,
              test_db_credit_note, fixture_tear_down);
  g_test_add ("/late-fee/db/many-lines", Fixture, NULL, fixture_set_up, test_db_many_lines,
              fixture_tear_down);
  g_test_add ("/late-fee/db/scope-errors", Fixture, NULL, fixture_set_up,
              test_db_scope_errors, fixture_tear_down);
  g_test_add ("/late-fee/db/rate-warning", Fixture, NULL, fixture_set_up,
              test_db_rate_warning, fixture_tear_down);
  g_test_add ("/late-fee/db/waivers", Fixture, NULL, fixture_set_up, test_db_waivers,
              fixture_tear_down);
  g_test_add ("/late-fee/cli", Fixture, NULL, fixture_set_up, test_cli, fixture_tear_down);
  return g_test_run ();
}
