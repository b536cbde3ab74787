/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-reconcile"

/* Reconciliation and period closing on SQLite and PostgreSQL, on contracts billed through the
 * engines and paid through the receipt API. Expected amounts are written by hand from the
 * fixture; the explaining differences must add up to the difference. Closing refuses with
 * unresolved differences or an earlier open month; a closed month refuses receipts,
 * allocations and bill runs dated in it and nothing is written. */

#include "billing/tenure-period.h"
#include "collections/tenure-period-close.h"
#include "collections/tenure-reconcile.h"
#include "recon-fixture.h"

/* C1: T1 in P1, 10,000.00 a month; C2: T2 in P2, 5,000.00 a month; both from 2025-01-01,
 * billed January to March. March: C1 6,000.00 paid on 03-10 and 1,500.00 on 04-05; C2
 * 1,000.00 written off on 03-20; T2 pays 800.00 on 03-25 that stays unapplied; a bank line
 * of 1,234.56 booked on 03-18 that no receipt records. */
static void
march_fixture (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  save_contract (f, "C1", "T1", "P1", "U1", NULL, D (2025, 1, 1), D (2025, 12, 31), "RENT",
                 1000000, TENURE_DATE_INVALID);
  save_contract (f, "C2", "T2", "P2", "U3", NULL, D (2025, 1, 1), D (2025, 12, 31), "RENT",
                 500000, TENURE_DATE_INVALID);
  for (int m = 1; m <= 3; m++)
    bill_month (f, 2025, m);
  pay (f, "T1", NULL, 600000, D (2025, 3, 10), line_id (f, "C1", D (2025, 3, 1)), 600000);
  pay (f, "T1", NULL, 150000, D (2025, 4, 5), line_id (f, "C1", D (2025, 3, 1)), 150000);
  g_assert_cmpint (tenure_write_off (f->db, line_id (f, "C2", D (2025, 3, 1)), 100000,
                                     D (2025, 3, 20), "approver", "hardship", &error), >, 0);
  g_assert_no_error (error);
  pay (f, "T2", NULL, 80000, D (2025, 3, 25), 0, 0);
  exec_sql (f->db,
            "INSERT INTO bank_account (code, legal_entity_id, bank_name, account_number) "
            "SELECT 'ACC', id, 'Bank', '6222000011112222' FROM legal_entity;"
            "INSERT INTO bank_statement (bank_account_id, format, file_name, file_sha256) "
            "SELECT id, 'csv', 's.csv', "
            "'0000000000000000000000000000000000000000000000000000000000000000' "
            "FROM bank_account;"
            "INSERT INTO bank_statement_line (bank_statement_id, bank_account_id, booked_on, "
            "  amount, payer_name, dedupe_key) "
            "SELECT s.id, s.bank_account_id, '2025-03-18', 123456, 'Unknown Co', 'k1' "
            "FROM bank_statement s;"
            "INSERT INTO bank_statement_line (bank_statement_id, bank_account_id, booked_on, "
            "  amount, payer_name, dedupe_key) "
            "SELECT s.id, s.bank_account_id, '2025-04-02', 5000, 'April Co', 'k2' "
            "FROM bank_statement s;");
}

static GPtrArray *
reconcile (Fixture              *f,
           int                   month,
           TenureReconcileScope  scope,
           const char           *code)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *recs = tenure_reconcile_run (f->db, NULL, 2025, month, scope, code, &error);

  g_assert_no_error (error);
  g_assert_nonnull (recs);
  return recs;
}

static TenureReconcileDifference *
find_diff (TenureReconciliation *rec,
           const char           *cause,
           const char           *contract)
{
  TenureReconcileDifference *found = NULL;

  for (guint i = 0; i < rec->differences->len; i++)
    {
      TenureReconcileDifference *d = rec->differences->pdata[i];

      if (g_strcmp0 (d->cause, cause) == 0 && g_strcmp0 (d->contract_code, contract) == 0)
        {
          g_assert_null (found);
          found = d;
        }
    }
  return found;
}

/* The explaining differences add up to the difference; beside ones are apart. */
static void
assert_sums (TenureReconciliation *rec)
{
  gint64 sum = 0;

  for (guint i = 0; i < rec->differences->len; i++)
    {
      TenureReconcileDifference *d = rec->differences->pdata[i];

      if (!d->beside)
        sum += d->amount;
    }
  g_assert_cmpint (rec->difference, ==, rec->receivable - rec->received);
  g_assert_cmpint (sum, ==, rec->difference);
}

static void
test_entity (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) recs = NULL;
  TenureReconciliation *rec;
  TenureReconcileDifference *d;

  if (f->db == NULL)
    return;
  march_fixture (f);
  recs = reconcile (f, 3, TENURE_RECONCILE_ENTITY, NULL);
  g_assert_cmpuint (recs->len, ==, 1);
  rec = recs->pdata[0];
  g_assert_cmpstr (rec->legal_entity_code, ==, "LE");
  g_assert_cmpstr (rec->period, ==, "2025-03");
  g_assert_cmpstr (rec->currency, ==, "CNY");
  g_assert_cmpint (rec->receivable, ==, 1500000);
  g_assert_cmpint (rec->received, ==, 600000);
  g_assert_cmpint (rec->difference, ==, 900000);
  assert_sums (rec);
  g_assert_cmpuint (rec->differences->len, ==, 6);
  /* C1: 4,000.00 open at the end of March, of which 1,500.00 paid on 04-05. */
  d = find_diff (rec, "paid_after_period", "C1");
  g_assert_nonnull (d);
  g_assert_cmpint (d->amount, ==, 150000);
  g_assert_cmpstr (d->due_date, ==, "2025-03-01");
  g_assert_cmpstr (d->charge_item_code, ==, "RENT");
  g_assert_cmpint (find_diff (rec, "partly_paid", "C1")->amount, ==, 250000);
  /* C2: 1,000.00 written off, 4,000.00 unpaid. */
  g_assert_cmpint (find_diff (rec, "write_off", "C2")->amount, ==, 100000);
  g_assert_cmpint (find_diff (rec, "unpaid", "C2")->amount, ==, 400000);
  /* Beside: T2's 800.00 and the bank line of March (not April's). */
  d = find_diff (rec, "unapplied_credit", NULL);
  g_assert_true (d->beside);
  g_assert_cmpint (d->amount, ==, 80000);
  g_assert_true (g_str_has_prefix (d->note, "RC-202503-"));
  d = find_diff (rec, "unmatched_bank_line", NULL);
  g_assert_cmpint (d->amount, ==, 123456);
  g_assert_cmpstr (d->note, ==, "Unknown Co");
  g_assert_cmpuint (rec->unresolved, ==, 6);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM reconciliation_difference"), ==, 6);
  g_assert_cmpint (query_int (f->db, "SELECT difference FROM reconciliation"), ==, 900000);

  /* February: both lines unpaid. */
  g_clear_pointer (&recs, g_ptr_array_unref);
  recs = reconcile (f, 2, TENURE_RECONCILE_ENTITY, NULL);
  rec = recs->pdata[0];
  g_assert_cmpint (rec->receivable, ==, 1500000);
  g_assert_cmpint (rec->received, ==, 0);
  assert_sums (rec);
  g_assert_cmpint (find_diff (rec, "unpaid", "C1")->amount, ==, 1000000);
  g_assert_cmpint (find_diff (rec, "unpaid", "C2")->amount, ==, 500000);
}

static void
test_scopes (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) p1 = NULL;
  g_autoptr(GPtrArray) c2 = NULL;
  g_autoptr(GError) error = NULL;
  TenureReconciliation *rec;

  if (f->db == NULL)
    return;
  march_fixture (f);
  p1 = reconcile (f, 3, TENURE_RECONCILE_PROJECT, "P1");
  g_assert_cmpuint (p1->len, ==, 1);
  rec = p1->pdata[0];
  g_assert_cmpstr (rec->scope_code, ==, "P1");
  g_assert_cmpint (rec->receivable, ==, 1000000);
  g_assert_cmpint (rec->received, ==, 600000);
  g_assert_cmpint (rec->difference, ==, 400000);
  assert_sums (rec);
  g_assert_cmpuint (rec->differences->len, ==, 2);  /* no credit of T1, no bank lines */

  c2 = reconcile (f, 3, TENURE_RECONCILE_CONTRACT, "C2");
  rec = c2->pdata[0];
  g_assert_cmpint (rec->receivable, ==, 500000);
  g_assert_cmpint (rec->received, ==, 0);
  assert_sums (rec);
  g_assert_cmpint (find_diff (rec, "unapplied_credit", "C2")->amount, ==, 80000);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM reconciliation"), ==, 2);

  g_assert_null (tenure_reconcile_run (f->db, NULL, 2025, 3, TENURE_RECONCILE_PROJECT, "PX",
                                       &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (tenure_reconcile_run (f->db, NULL, 2025, 13, TENURE_RECONCILE_ENTITY, NULL,
                                       &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
}

/* A resolution survives a refresh when its difference is unchanged, and is dropped when the
 * amount moves; a difference that disappears is removed. */
static void
test_resolutions (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GError) error = NULL;
  TenureReconciliation *rec;
  TenureReconcileDifference *d;
  gint64 unpaid_id, partly_id;

  if (f->db == NULL)
    return;
  march_fixture (f);
  first = reconcile (f, 3, TENURE_RECONCILE_ENTITY, NULL);
  rec = first->pdata[0];
  unpaid_id = find_diff (rec, "unpaid", "C2")->id;
  partly_id = find_diff (rec, "partly_paid", "C1")->id;
  g_assert_true (tenure_reconcile_resolve (f->db, unpaid_id, "Tenant promised April", &error));
  g_assert_no_error (error);
  g_assert_true (tenure_reconcile_resolve (f->db, partly_id, "Rest in April", &error));
  g_assert_no_error (error);
  g_assert_false (tenure_reconcile_resolve (f->db, unpaid_id, "  ", &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tenure_reconcile_resolve (f->db, 999999, "x", &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* 1,000.00 more of C1's March on 04-06: paid after 2,500.00, partly paid 1,500.00. */
  pay (f, "T1", NULL, 100000, D (2025, 4, 6), line_id (f, "C1", D (2025, 3, 1)), 100000);
  second = reconcile (f, 3, TENURE_RECONCILE_ENTITY, NULL);
  rec = second->pdata[0];
  assert_sums (rec);
  d = find_diff (rec, "unpaid", "C2");
  g_assert_cmpint (d->id, ==, unpaid_id);
  g_assert_cmpstr (d->resolution, ==, "Tenant promised April");
  g_assert_cmpstr (d->resolved_by, ==, tenure_db_get_actor (f->db));
  g_assert_nonnull (d->resolved_at);
  d = find_diff (rec, "partly_paid", "C1");
  g_assert_cmpint (d->amount, ==, 150000);
  g_assert_null (d->resolution);
  g_assert_cmpint (find_diff (rec, "paid_after_period", "C1")->amount, ==, 250000);
  g_assert_cmpuint (rec->unresolved, ==, 5);
}

static gint64
count (Fixture    *f,
       const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);

  return query_int (f->db, sql);
}

static void
resolve_all (Fixture *f,
             int      month)
{
  g_autoptr(GPtrArray) recs = reconcile (f, month, TENURE_RECONCILE_ENTITY, NULL);

  for (guint r = 0; r < recs->len; r++)
    {
      TenureReconciliation *rec = recs->pdata[r];

      for (guint i = 0; i < rec->differences->len; i++)
        {
          TenureReconcileDifference *d = rec->differences->pdata[i];
          g_autoptr(GError) error = NULL;

          g_assert_true (tenure_reconcile_resolve (f->db, d->id, "checked", &error));
          g_assert_no_error (error);
        }
    }
}

static void
test_close (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TenureReceiptInput in = { 0 };
  TenureBillRunOptions options;
  g_autoptr(TenureBillRunResult) run = NULL;
  TenureAllocationRequest request;
  gint64 receipts, allocations, bills, lines, receipt;

  if (f->db == NULL)
    return;
  march_fixture (f);

  /* March before February: refused, naming the open month. */
  g_assert_false (tenure_period_close (f->db, "LE", 2025, 3, NULL, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2025-01"));
  g_clear_error (&error);

  /* January has two unpaid lines: refused without a reason, closed with one. */
  g_assert_false (tenure_period_close (f->db, "LE", 2025, 1, NULL, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2 unresolved"));
  g_clear_error (&error);
  g_assert_cmpint (count (f, "accounting_period"), ==, 0);
  g_assert_true (tenure_period_close (f->db, "LE", 2025, 1, "Arrears handed to legal", &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM accounting_period_event WHERE "
                                     "action = 'force_close' AND period = '2025-01' AND "
                                     "unresolved = 2 AND reason = 'Arrears handed to legal'"),
                   ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM accounting_period WHERE "
                                     "period = '2025-01' AND closed_at IS NOT NULL "
                                     "AND closed_by IS NOT NULL"), ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM reconciliation WHERE "
                                     "period = '2025-01' AND status = 'closed'"), ==, 1);
  g_assert_false (tenure_period_close (f->db, "LE", 2025, 1, "again", &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);

  /* February resolved, then closed without a reason. */
  resolve_all (f, 2);
  g_assert_true (tenure_period_close (f->db, "LE", 2025, 2, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM accounting_period_event WHERE "
                                     "action = 'close' AND period = '2025-02' AND "
                                     "reason IS NULL"), ==, 1);

  /* March: six unresolved differences, then all resolved. */
  g_assert_false (tenure_period_close (f->db, "LE", 2025, 3, NULL, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "6 unresolved"));
  g_clear_error (&error);
  resolve_all (f, 3);
  g_assert_true (tenure_period_close (f->db, "LE", 2025, 3, NULL, &error));
  g_assert_no_error (error);

  /* Postings dated in March are refused and write nothing. */
  receipts = count (f, "receipt");
  allocations = count (f, "allocation");
  bills = count (f, "bill");
  lines = count (f, "bill_line");
  in.tenant_code = "T1";
  in.method = TENURE_RECEIPT_CASH;
  in.received_on = D (2025, 3, 28);
  in.amount = 10000;
  in.legal_entity_code = "LE";
  g_assert_cmpint (tenure_receipt_add (f->db, &in, &error), ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_CLOSED_PERIOD);
  g_assert_nonnull (strstr (error->message, "2025-03"));
  g_clear_error (&error);
  tenure_bill_run_options_init (&options, 2025, 4);
  options.posting_date = D (2025, 3, 31);
  run = tenure_bill_run_post (f->db, &options, NULL, &error);
  g_assert_null (run);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_CLOSED_PERIOD);
  g_clear_error (&error);
  /* Applying T2's unapplied 800.00 of March with a March date. */
  receipt = query_int (f->db, "SELECT id FROM receipt WHERE amount = 80000");
  request.bill_line_id = line_id (f, "C2", D (2025, 3, 1));
  request.amount = 80000;
  g_assert_false (tenure_receipt_allocate (f->db, receipt, &request, 1, NULL, D (2025, 3, 31),
                                           NULL, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_CLOSED_PERIOD);
  g_clear_error (&error);
  g_assert_cmpint (count (f, "receipt"), ==, receipts);
  g_assert_cmpint (count (f, "allocation"), ==, allocations);
  g_assert_cmpint (count (f, "bill"), ==, bills);
  g_assert_cmpint (count (f, "bill_line"), ==, lines);
  g_assert_false (tenure_period_check_open (f->db, query_int (f->db, "SELECT id FROM "
                                                                     "legal_entity"),
                                            D (2025, 3, 15), &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_CLOSED_PERIOD);
  g_clear_error (&error);

  /* A closed month's reconciliation is shown as stored and its resolutions are frozen. */
  {
    g_autoptr(GPtrArray) recs = reconcile (f, 3, TENURE_RECONCILE_ENTITY, NULL);
    TenureReconciliation *rec = recs->pdata[0];

    g_assert_true (rec->closed);
    g_assert_cmpint (rec->difference, ==, 900000);
    g_assert_false (tenure_reconcile_resolve (f->db,
                                              ((TenureReconcileDifference *)
                                               rec->differences->pdata[0])->id,
                                              "late", &error));
    g_assert_error (error, TENURE_ERROR, TENURE_ERROR_CLOSED_PERIOD);
    g_clear_error (&error);
  }

  /* Reopening: not February while March is closed; not without a reason. */
  g_assert_false (tenure_period_reopen (f->db, "LE", 2025, 2, "fix", &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2025-03"));
  g_clear_error (&error);
  g_assert_false (tenure_period_reopen (f->db, "LE", 2025, 3, "", &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tenure_period_reopen (f->db, "LE", 2025, 4, "x", &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (tenure_period_reopen (f->db, "LE", 2025, 3, "Late bank slip", &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM accounting_period_event WHERE "
                                     "action = 'reopen' AND reason = 'Late bank slip'"), ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM reconciliation WHERE "
                                     "period = '2025-03' AND status = 'open'"), ==, 1);
  g_assert_cmpint (tenure_receipt_add (f->db, &in, &error), >, 0);
  g_assert_no_error (error);

  g_assert_false (tenure_period_close (f->db, "NOPE", 2025, 3, NULL, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
}

/* A deposit offset is a cause of its own; each currency is reconciled apart. CD: T3's
 * deposit of 3,000.00 (paid 2025-01-05); C3: T3, 2,000.00 a month, March offset against the
 * deposit on 03-15; C4: T4, EUR 750.00 a month, EUR 500.00 of March paid on 03-05. */
static void
test_offset_and_currencies (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) recs = NULL;
  g_autoptr(GError) error = NULL;
  TenureReconciliation *rec;

  if (f->db == NULL)
    return;
  save_contract (f, "CD", "T3", "P1", "U2", NULL, D (2025, 1, 1), D (2025, 12, 31), "DEPOSIT",
                 300000, D (2025, 1, 1));
  save_contract (f, "C3", "T3", "P2", "U4", NULL, D (2025, 1, 1), D (2025, 12, 31), "RENT",
                 200000, TENURE_DATE_INVALID);
  save_contract (f, "C4", "T4", "P2", "U3", "EUR", D (2025, 1, 1), D (2025, 12, 31), "RENT",
                 75000, TENURE_DATE_INVALID);
  for (int m = 1; m <= 3; m++)
    bill_month (f, 2025, m);
  pay (f, "T3", NULL, 300000, D (2025, 1, 5), line_id (f, "CD", D (2025, 1, 1)), 300000);
  g_assert_cmpint (tenure_deposit_offset (f->db, "CD", line_id (f, "C3", D (2025, 3, 1)),
                                          200000, D (2025, 3, 15), &error), >, 0);
  g_assert_no_error (error);
  pay (f, "T4", "EUR", 50000, D (2025, 3, 5), line_id (f, "C4", D (2025, 3, 1)), 50000);

  recs = reconcile (f, 3, TENURE_RECONCILE_ENTITY, NULL);
  g_assert_cmpuint (recs->len, ==, 2);
  rec = recs->pdata[0];
  g_assert_cmpstr (rec->currency, ==, "CNY");
  g_assert_cmpint (rec->receivable, ==, 200000);
  g_assert_cmpint (rec->received, ==, 0);
  g_assert_cmpint (rec->difference, ==, 200000);
  assert_sums (rec);
  g_assert_cmpuint (rec->differences->len, ==, 1);
  g_assert_cmpint (find_diff (rec, "offset", "C3")->amount, ==, 200000);
  rec = recs->pdata[1];
  g_assert_cmpstr (rec->currency, ==, "EUR");
  g_assert_cmpint (rec->receivable, ==, 75000);
  g_assert_cmpint (rec->received, ==, 50000);
  g_assert_cmpint (rec->difference, ==, 25000);
  assert_sums (rec);
  g_assert_cmpuint (rec->differences->len, ==, 1);
  g_assert_cmpint (find_diff (rec, "partly_paid", "C4")->amount, ==, 25000);

  /* January: the deposit line paid in full, C3's rent unpaid, C4's too. */
  g_clear_pointer (&recs, g_ptr_array_unref);
  recs = reconcile (f, 1, TENURE_RECONCILE_ENTITY, NULL);
  rec = recs->pdata[0];
  g_assert_cmpint (rec->receivable, ==, 500000);
  g_assert_cmpint (rec->received, ==, 300000);
  assert_sums (rec);
  g_assert_cmpint (find_diff (rec, "unpaid", "C3")->amount, ==, 200000);
  g_assert_null (find_diff (rec, "unpaid", "CD"));
}

int
main (int argc, char **argv)
{
  backend = tenure_test_backend_from_args (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/reconcile/entity", Fixture, NULL, fixture_set_up, test_entity,
              fixture_tear_down);
  g_test_add ("/reconcile/scopes", Fixture, NULL, fixture_set_up, test_scopes,
              fixture_tear_down);
  g_test_add ("/reconcile/resolutions", Fixture, NULL, fixture_set_up, test_resolutions,
              fixture_tear_down);
  g_test_add ("/reconcile/close", Fixture, NULL, fixture_set_up, test_close,
              fixture_tear_down);
  g_test_add ("/reconcile/offset-and-currencies", Fixture, NULL, fixture_set_up,
              test_offset_and_currencies, fixture_tear_down);
  return g_test_run ();
}
