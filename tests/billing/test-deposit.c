/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test-deposit"

/* The deposit ledger on both backends (deposit-sqlite, deposit-pg): billed entries from posted
 * bills, received / offset / refunded / forfeited entries, balances and refusals. */

#include "billing/tenure-deposit.h"

#include "base/tenure-error.h"
#include "tenure-test-db.h"

static TenureTestBackend backend;

#define D(y, m, d) tenure_date_from_ymd ((y), (m), (d))

typedef struct
{
  char     *location;
  TenureDb *db;
  gint64    tenant_id;
} Fixture;

static void
db_exec (TenureDb   *db,
         const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tenure_db_exec (db, sql, &error));
  g_assert_no_error (error);
}

static gint64
query (TenureDb   *db,
       const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 v = 0;

  g_assert_true (tenure_db_query_int64 (db, sql, &v, &error));
  g_assert_no_error (error);
  return v;
}

/* Two contracts of two tenants; C-1 has a posted bill with a deposit line of 30,000.00 and a
 * rent line, C-2 a bill with a deposit line of 5,000.00. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->location = tenure_test_db_new_location (backend);
  if (f->location == NULL)
    return;
  f->db = tenure_db_open (f->location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);

  db_exec (f->db, "INSERT INTO legal_entity (code, name) VALUES ('LE', 'Entity')");
  db_exec (f->db, "INSERT INTO project (code, legal_entity_id, name, format) "
                  "SELECT 'P1', id, 'Mall', 'mall' FROM legal_entity");
  db_exec (f->db, "INSERT INTO tenant (code, name) VALUES ('T1', 'One'), ('T2', 'Two')");
  db_exec (f->db, "INSERT INTO contract (code, tenant_id, project_id, status, start_date, "
                  "end_date) SELECT 'C-' || substr (t.code, 2), t.id, p.id, 'active', "
                  "'2026-01-01', '2026-12-31' FROM tenant t, project p");
  db_exec (f->db, "INSERT INTO contract_version (contract_id, version_no, effective_from, "
                  "status) SELECT id, 1, '2026-01-01', 'approved' FROM contract");
  db_exec (f->db, "INSERT INTO bill (code, contract_id, tenant_id, period_start, period_end, "
                  "due_date, posting_date, total) SELECT 'B-' || c.code, c.id, c.tenant_id, "
                  "'2026-01-01', '2026-01-31', '2026-01-01', '2026-01-02', 0 FROM contract c");
  db_exec (f->db, "INSERT INTO receivable_line (contract_id, contract_version_id, "
                  "charge_item_id, period_start, period_end, due_date, amount, status, "
                  "bill_id) SELECT c.id, v.id, ci.id, '2026-01-01', '2026-01-31', "
                  "'2026-01-01', CASE WHEN ci.code = 'RENT' THEN 1000000 "
                  "WHEN c.code = 'C-1' THEN 3000000 ELSE 500000 END, 'billed', b.id "
                  "FROM contract c JOIN contract_version v ON v.contract_id = c.id "
                  "JOIN bill b ON b.contract_id = c.id "
                  "JOIN charge_item ci ON ci.code IN ('RENT', 'DEPOSIT')");
  db_exec (f->db, "INSERT INTO bill_line (bill_id, receivable_line_id, charge_item_id, "
                  "period_start, period_end, due_date, amount) SELECT bill_id, id, "
                  "charge_item_id, period_start, period_end, due_date, amount "
                  "FROM receivable_line");
  f->tenant_id = query (f->db, "SELECT id FROM tenant WHERE code = 'T1'");
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

static void
assert_balance (Fixture    *f,
                const char *code,
                TenureDate  as_of,
                gint64      billed,
                gint64      received,
                gint64      held,
                gint64      outstanding)
{
  g_autoptr(GError) error = NULL;
  TenureDepositBalance b;

  g_assert_true (tenure_deposit_balance (f->db, code, as_of, &b, &error));
  g_assert_no_error (error);
  g_assert_cmpint (b.billed, ==, billed);
  g_assert_cmpint (b.received, ==, received);
  g_assert_cmpint (b.held, ==, held);
  g_assert_cmpint (b.outstanding, ==, outstanding);
}

static void
test_ledger (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ledger = NULL;
  guint added = 99;
  gint64 receipt, id;
  TenureDepositBalance b;
  TenureDepositEntry *e;

  if (f->db == NULL)
    return;

  /* Billed entries for the deposit lines of C-1's bill only, then for all; never twice. */
  g_assert_true (tenure_deposit_record_billed (f->db, query (f->db, "SELECT id FROM bill "
                                                                    "WHERE code = 'B-C-1'"),
                                               &added, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (added, ==, 1);
  g_assert_true (tenure_deposit_record_billed (f->db, 0, &added, &error));
  g_assert_cmpuint (added, ==, 1);
  g_assert_true (tenure_deposit_record_billed (f->db, 0, &added, &error));
  g_assert_cmpuint (added, ==, 0);
  g_assert_cmpint (query (f->db, "SELECT count(*) FROM deposit_entry"), ==, 2);
  assert_balance (f, "C-1", TENURE_DATE_INVALID, 3000000, 0, 0, 3000000);
  assert_balance (f, "C-2", TENURE_DATE_INVALID, 500000, 0, 0, 500000);
  /* Dated by the bill's posting date. */
  assert_balance (f, "C-1", D (2026, 1, 1), 0, 0, 0, 0);

  /* Received against a receipt of the tenant. */
  receipt = query (f->db, "INSERT INTO receipt (code, tenant_id, method, received_on, "
                          "posting_date, amount) SELECT 'R-1', id, 'bank', '2026-01-10', "
                          "'2026-01-10', 3000000 FROM tenant WHERE code = 'T1' RETURNING id");
  id = tenure_deposit_record (f->db, "C-1", TENURE_DEPOSIT_RECEIVED, 3000000, D (2026, 1, 10),
                              0, receipt, "transfer", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  assert_balance (f, "C-1", TENURE_DATE_INVALID, 3000000, 3000000, 3000000, 0);

  /* Offset against arrears, then forfeited in part; more than held is refused. */
  g_assert_cmpint (tenure_deposit_record (f->db, "C-1", TENURE_DEPOSIT_OFFSET, 1000000,
                                          D (2026, 6, 30), 0, 0, "June rent", &error), >, 0);
  g_assert_cmpint (tenure_deposit_record (f->db, "C-1", TENURE_DEPOSIT_REFUNDED, 2500000,
                                          D (2026, 12, 31), 0, 0, NULL, &error), ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "C-1"));
  g_assert_nonnull (strstr (error->message, "20,000.00"));
  g_clear_error (&error);
  /* Before the receipt nothing was held. */
  g_assert_cmpint (tenure_deposit_record (f->db, "C-1", TENURE_DEPOSIT_FORFEITED, 100,
                                          D (2026, 1, 5), 0, 0, NULL, &error), ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tenure_deposit_record (f->db, "C-1", TENURE_DEPOSIT_FORFEITED, 500000,
                                          D (2026, 12, 31), 0, 0, "damage", &error), >, 0);
  g_assert_cmpint (tenure_deposit_record (f->db, "C-1", TENURE_DEPOSIT_REFUNDED, 1500000,
                                          D (2026, 12, 31), 0, 0, NULL, &error), >, 0);
  g_assert_no_error (error);

  g_assert_true (tenure_deposit_balance (f->db, "C-1", TENURE_DATE_INVALID, &b, &error));
  g_assert_cmpint (b.offset, ==, 1000000);
  g_assert_cmpint (b.forfeited, ==, 500000);
  g_assert_cmpint (b.refunded, ==, 1500000);
  g_assert_cmpint (b.held, ==, 0);
  assert_balance (f, "C-1", D (2026, 7, 1), 3000000, 3000000, 2000000, 0);

  ledger = tenure_deposit_ledger (f->db, "C-1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ledger->len, ==, 5);
  e = g_ptr_array_index (ledger, 0);
  g_assert_cmpint (e->kind, ==, TENURE_DEPOSIT_BILLED);
  g_assert_cmpint (e->entry_date, ==, D (2026, 1, 2));
  g_assert_cmpint (e->bill_line_id, >, 0);
  e = g_ptr_array_index (ledger, 1);
  g_assert_cmpint (e->kind, ==, TENURE_DEPOSIT_RECEIVED);
  g_assert_cmpint (e->receipt_id, ==, receipt);
  g_assert_cmpstr (e->memo, ==, "transfer");
  e = g_ptr_array_index (ledger, 4);
  g_assert_cmpint (e->kind, ==, TENURE_DEPOSIT_REFUNDED);
  g_assert_null (e->memo);
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TenureDepositBalance b;
  gint64 other_line, receipt;
  g_autofree char *sql = NULL;

  if (f->db == NULL)
    return;

  g_assert_cmpint (tenure_deposit_record (f->db, "NOPE", TENURE_DEPOSIT_RECEIVED, 100,
                                          D (2026, 1, 1), 0, 0, NULL, &error), ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (tenure_deposit_balance (f->db, "NOPE", TENURE_DATE_INVALID, &b, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (tenure_deposit_ledger (f->db, "NOPE", &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_cmpint (tenure_deposit_record (f->db, "C-1", TENURE_DEPOSIT_RECEIVED, 0,
                                          D (2026, 1, 1), 0, 0, NULL, &error), ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tenure_deposit_record (f->db, "C-1", TENURE_DEPOSIT_RECEIVED, 100,
                                          TENURE_DATE_INVALID, 0, 0, NULL, &error), ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);

  /* Another contract's bill line, another tenant's receipt. */
  other_line = query (f->db, "SELECT bl.id FROM bill_line bl JOIN bill b ON b.id = bl.bill_id "
                             "WHERE b.code = 'B-C-2' AND bl.amount = 500000");
  g_assert_cmpint (tenure_deposit_record (f->db, "C-1", TENURE_DEPOSIT_BILLED, 500000,
                                          D (2026, 1, 2), other_line, 0, NULL, &error), ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);
  receipt = query (f->db, "INSERT INTO receipt (code, tenant_id, method, received_on, "
                          "posting_date, amount) SELECT 'R-2', id, 'bank', '2026-01-10', "
                          "'2026-01-10', 500000 FROM tenant WHERE code = 'T2' RETURNING id");
  g_assert_cmpint (tenure_deposit_record (f->db, "C-1", TENURE_DEPOSIT_RECEIVED, 500000,
                                          D (2026, 1, 10), 0, receipt, NULL, &error), ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);

  /* A closed month refuses postings. */
  sql = g_strdup_printf ("INSERT INTO accounting_period (legal_entity_id, period, closed_at, "
                         "closed_by) SELECT id, '2026-01', '2026-02-05T00:00:00.000000Z', "
                         "'controller' FROM legal_entity");
  db_exec (f->db, sql);
  g_assert_cmpint (tenure_deposit_record (f->db, "C-2", TENURE_DEPOSIT_RECEIVED, 500000,
                                          D (2026, 1, 10), 0, receipt, NULL, &error), ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_CLOSED_PERIOD);
  g_clear_error (&error);
  g_assert_cmpint (tenure_deposit_record (f->db, "C-2", TENURE_DEPOSIT_RECEIVED, 500000,
                                          D (2026, 2, 1), 0, receipt, NULL, &error), >, 0);
  g_assert_no_error (error);

  /* Nothing half-written by the refusals. */
  g_assert_cmpint (query (f->db, "SELECT count(*) FROM deposit_entry"), ==, 1);
}

int
main (int argc, char **argv)
{
  backend = tenure_test_backend_from_args (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/deposit/ledger", Fixture, NULL, fixture_set_up, test_ledger,
              fixture_tear_down);
  g_test_add ("/deposit/refusals", Fixture, NULL, fixture_set_up, test_refusals,
              fixture_tear_down);
  return g_test_run ();
}
