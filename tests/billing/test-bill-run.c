/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-bill-run"

/* The stored plan and bill runs on SQLite and PostgreSQL: contracts are saved through the
 * contract store, their plans generated and stored, then billed. Expected amounts come from
 * domain.md's worked examples computed here by hand (exact fractions), never from the engine. */

#include <stdlib.h>
#include <string.h>

#include "base/tenure-error.h"
#include "billing/tenure-bill-run.h"
#include "billing/tenure-period.h"
#include "billing/tenure-plan-store.h"
#include "contracts/tenure-contract-store.h"
#include "store/tenure-db-private.h" /* tenure_db_open_full: an older schema */
#include "store/tenure-migrations.h"
#include "tenure-test-db.h"
#include "tenure-test-util.h"

#define D(y, m, d) tenure_date_from_ymd (y, m, d)

static TenureTestBackend backend;

typedef struct
{
  char     *location;
  TenureDb *db;
} Fixture;

static void
exec_sql (TenureDb   *db,
          const char *sql)
{
  g_autoptr(GError) error = NULL;

  if (!tenure_db_exec (db, sql, &error))
    g_error ("%s: %s", sql, error->message);
}

static gint64
query_int (TenureDb   *db,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 value = 0;

  if (!tenure_db_query_int64 (db, sql, &value, &error))
    g_error ("%s: %s", sql, error->message);
  return value;
}

/* Two projects of one legal entity; P1 has building B1 (units U1, U2), P2 has B2 (U3, U4). */
static void
fixture_set_up_at (Fixture *f,
                   int      version)
{
  g_autoptr(GError) error = NULL;

  f->location = tenure_test_db_new_location (backend);
  if (f->location == NULL)
    return;
  f->db = tenure_db_open_full (f->location, TENURE_DB_OPEN_CREATE, version, &error);
  g_assert_no_error (error);
  exec_sql (f->db,
            "INSERT INTO legal_entity (code, name) VALUES ('LE', 'Entity');"
            "INSERT INTO project (code, legal_entity_id, name, format) "
            "SELECT 'P1', id, 'Mall', 'mall' FROM legal_entity;"
            "INSERT INTO project (code, legal_entity_id, name, format) "
            "SELECT 'P2', id, 'Tower', 'office' FROM legal_entity;"
            "INSERT INTO building (code, project_id, name) SELECT 'B1', id, 'B1' FROM project "
            "WHERE code = 'P1';"
            "INSERT INTO building (code, project_id, name) SELECT 'B2', id, 'B2' FROM project "
            "WHERE code = 'P2';"
            "INSERT INTO floor (code, building_id, name) SELECT 'F1', id, '1F' FROM building "
            "WHERE code = 'B1';"
            "INSERT INTO floor (code, building_id, name) SELECT 'F2', id, '1F' FROM building "
            "WHERE code = 'B2';"
            "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c) "
            "SELECT 'U1', id, 'U1', 'mall', 10000, 8550 FROM floor WHERE code = 'F1';"
            "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c) "
            "SELECT 'U2', id, 'U2', 'mall', 10000, 10000 FROM floor WHERE code = 'F1';"
            "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c) "
            "SELECT 'U3', id, 'U3', 'office', 20000, 20000 FROM floor WHERE code = 'F2';"
            "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c) "
            "SELECT 'U4', id, 'U4', 'office', 20000, 20000 FROM floor WHERE code = 'F2';"
            "INSERT INTO tenant (code, name) VALUES ('T1', 'Tenant one');"
            "INSERT INTO tenant (code, name) VALUES ('T2', 'Tenant two');");
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  fixture_set_up_at (f, -1);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->db);
  if (f->location != NULL)
    tenure_test_db_drop_location (backend, f->location);
  g_clear_pointer (&f->location, g_free);
}

static TenureContract *
contract_new (const char *code,
              const char *tenant,
              const char *project,
              const char *unit,
              gint64      area_c,
              TenureDate  start,
              TenureDate  end)
{
  TenureContract *contract = tenure_contract_new ();
  TenureContractVersion *version = tenure_contract_version_new ();

  contract->code = g_strdup (code);
  contract->tenant_code = g_strdup (tenant);
  contract->project_code = g_strdup (project);
  contract->status = TENURE_CONTRACT_ACTIVE;
  contract->signed_on = start;
  contract->start_date = start;
  contract->end_date = end;
  version->version_no = 1;
  version->effective_from = start;
  version->status = TENURE_VERSION_APPROVED;
  g_ptr_array_add (version->units, tenure_contract_unit_new (unit, area_c));
  g_ptr_array_add (contract->versions, version);
  return contract;
}

/* Example 2 of domain.md: shop U1, 85.50 m², 320.0000/m²/month, monthly, calendar-aligned,
 * 2026-03-10 to 2027-03-09, ACTUAL. */
static void
save_shop (Fixture *f)
{
  g_autoptr(TenureContract) contract = contract_new ("C1", "T1", "P1", "U1", 8550,
                                                     D (2026, 3, 10), D (2027, 3, 9));
  TenureContractVersion *version = contract->versions->pdata[0];
  TenureClause *rent = tenure_clause_new ("RENT", TENURE_BASIS_PER_M2_MONTH);
  g_autoptr(GError) error = NULL;

  rent->price_e4 = 3200000;
  rent->alignment = TENURE_ALIGN_CALENDAR;
  g_ptr_array_add (version->clauses, rent);
  g_assert_true (tenure_contract_store_save (f->db, contract, &error));
  g_assert_no_error (error);
}

/* Example 1 of domain.md: office U3, 200.00 m², 5.0000/m²/day, AVG_365_12, quarterly in
 * advance, 2026-01-01 to 2028-12-31, rent-free Q1 2026, +5 % each 1 January. */
static void
save_office (Fixture *f)
{
  g_autoptr(TenureContract) contract = contract_new ("C2", "T2", "P2", "U3", 20000,
                                                     D (2026, 1, 1), D (2028, 12, 31));
  TenureContractVersion *version = contract->versions->pdata[0];
  TenureClause *rent = tenure_clause_new ("RENT", TENURE_BASIS_PER_M2_DAY);
  TenureDateRange free_q1 = { D (2026, 1, 1), D (2026, 3, 31) };
  g_autoptr(GError) error = NULL;

  rent->price_e4 = 50000;
  rent->days_rule = TENURE_DAYS_AVG_365_12;
  rent->cycle_months = 3;
  g_array_append_val (rent->rent_free, free_q1);
  rent->escalation.kind = TENURE_ESCALATION_PERCENT;
  rent->escalation.trigger = TENURE_ESCALATION_BY_DATE;
  rent->escalation.month = 1;
  rent->escalation.day = 1;
  rent->escalation.every_years = 1;
  rent->escalation.percent_ppm = 50000;
  g_ptr_array_add (version->clauses, rent);
  g_assert_true (tenure_contract_store_save (f->db, contract, &error));
  g_assert_no_error (error);
}

static guint
store_plan (Fixture    *f,
            const char *code)
{
  g_autoptr(GError) error = NULL;
  guint writes = 0;

  if (!tenure_plan_store_regenerate (f->db, code, &writes, &error))
    g_error ("storing the plan of %s: %s", code, error->message);
  return writes;
}

static TenureBillRunResult *
post (Fixture *f,
      int      year,
      int      month,
      GError **error)
{
  TenureBillRunOptions options;

  tenure_bill_run_options_init (&options, year, month);
  options.posting_date = D (year, month, 1);
  return tenure_bill_run_post (f->db, &options, NULL, error);
}

/* The invariants a bill run must keep whatever happens: every bill's total and tax are the
 * sums of its lines, every billed receivable line has exactly one bill line (of its own bill
 * and amount), no unbilled line has one. */
static void
assert_consistent (TenureDb *db)
{
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM bill b WHERE b.total <> "
                                  "(SELECT coalesce (sum (amount), 0) FROM bill_line l "
                                  "WHERE l.bill_id = b.id) OR b.tax <> "
                                  "(SELECT coalesce (sum (tax), 0) FROM bill_line l "
                                  "WHERE l.bill_id = b.id)"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM bill b WHERE NOT EXISTS "
                                  "(SELECT 1 FROM bill_line l WHERE l.bill_id = b.id)"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM receivable_line r WHERE "
                                  "r.status = 'billed' AND 1 <> (SELECT count(*) FROM bill_line l "
                                  "WHERE l.receivable_line_id = r.id AND l.bill_id = r.bill_id "
                                  "AND l.amount = r.amount)"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM receivable_line r WHERE "
                                  "r.status <> 'billed' AND EXISTS (SELECT 1 FROM bill_line l "
                                  "WHERE l.receivable_line_id = r.id)"), ==, 0);
}

static const TenureBillDraft *
find_bill (TenureBillRunResult *result,
           const char          *contract,
           const char          *kind,
           TenureDate           period_start)
{
  for (guint i = 0; i < result->bills->len; i++)
    {
      const TenureBillDraft *bill = result->bills->pdata[i];

      if (strcmp (bill->contract_code, contract) == 0 && strcmp (bill->kind, kind) == 0
          && bill->period_start == period_start)
        return bill;
    }
  return NULL;
}

/* ---- tests -------------------------------------------------------------------------------- */

static void
test_idempotent (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureBillRunResult) preview = NULL;
  g_autoptr(TenureBillRunResult) posted = NULL;
  g_autoptr(TenureBillRunResult) again = NULL;
  g_autoptr(TenureBillRunResult) may = NULL;
  TenureBillRunOptions options;
  const TenureBillDraft *bill;
  gint64 audit_before;

  if (f->db == NULL)
    return;
  save_shop (f);
  save_office (f);
  /* 13 months of C1 (March 2026 … March 2027), 12 quarters of C2. */
  g_assert_cmpuint (store_plan (f, "C1"), ==, 13);
  g_assert_cmpuint (store_plan (f, "C2"), ==, 12);
  /* Deterministic: storing again writes nothing. */
  g_assert_cmpuint (store_plan (f, "C1"), ==, 0);
  g_assert_cmpuint (store_plan (f, "C2"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM receivable_line"), ==, 25);

  tenure_bill_run_options_init (&options, 2026, 4);
  audit_before = query_int (f->db, "SELECT count(*) FROM audit_log");
  preview = tenure_bill_run_preview (f->db, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log"), ==, audit_before);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM bill"), ==, 0);
  /* C1 March: 27,360.00 × 22/31 = 19,416.774… → 19,416.77; April 27,360.00 (85.50 × 320);
   * C2 Q2 2026: 5 × 200 × 365/12 × 3 = 91,250.00. Q1 (rent-free, 0) is not billed. */
  g_assert_cmpuint (preview->bills->len, ==, 3);
  g_assert_cmpint (preview->line_count, ==, 3);
  g_assert_cmpint (preview->total, ==, 1941677 + 2736000 + 9125000);
  bill = find_bill (preview, "C1", "bill", D (2026, 3, 10));
  g_assert_nonnull (bill);
  g_assert_cmpint (bill->total, ==, 1941677);
  g_assert_cmpint (bill->period_end, ==, D (2026, 3, 31));
  bill = find_bill (preview, "C2", "bill", D (2026, 4, 1));
  g_assert_nonnull (bill);
  g_assert_cmpint (bill->total, ==, 9125000);
  /* VAT 9 % inside 91,250.00: 7,534.40. */
  g_assert_cmpint (bill->tax, ==, 753440);

  options.posting_date = D (2026, 4, 1);
  posted = tenure_bill_run_post (f->db, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (posted->bill_run_id, >, 0);
  g_assert_cmpuint (posted->bills->len, ==, 3);
  g_assert_cmpint (posted->total, ==, preview->total);
  for (guint i = 0; i < posted->bills->len; i++)
    {
      const TenureBillDraft *p = posted->bills->pdata[i];
      const TenureBillDraft *v = preview->bills->pdata[i];

      g_assert_cmpint (p->id, >, 0);
      g_assert_nonnull (p->code);
      g_assert_cmpstr (p->contract_code, ==, v->contract_code);
      g_assert_cmpint (p->period_start, ==, v->period_start);
      g_assert_cmpint (p->total, ==, v->total);
      g_assert_cmpint (p->line_ids->len, ==, v->line_ids->len);
    }
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM bill"), ==, 3);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM bill_line"), ==, 3);
  g_assert_cmpint (query_int (f->db, "SELECT sum (total) FROM bill"), ==, 13802677);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM receivable_line "
                                     "WHERE status = 'billed'"), ==, 3);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM bill_run WHERE status = 'posted' "
                                     "AND posting_date = '2026-04-01'"), ==, 1);
  assert_consistent (f->db);

  /* Again: nothing is billed twice. */
  again = post (f, 2026, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->bills->len, ==, 0);
  g_assert_cmpint (again->bill_run_id, ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM bill"), ==, 3);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM bill_run"), ==, 1);

  /* The schema refuses a second bill line for a billed receivable line on its own. */
  g_assert_false (tenure_db_exec (f->db,
                                  "INSERT INTO bill_line (bill_id, receivable_line_id, "
                                  "charge_item_id, period_start, period_end, due_date, amount) "
                                  "SELECT bill_id, receivable_line_id, charge_item_id, "
                                  "period_start, period_end, due_date, amount FROM bill_line "
                                  "ORDER BY id LIMIT 1", &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_CONSTRAINT);
  g_clear_error (&error);

  /* May takes only C1's May (C2's Q3 is due 1 July). */
  may = post (f, 2026, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (may->bills->len, ==, 1);
  g_assert_cmpint (((TenureBillDraft *) may->bills->pdata[0])->total, ==, 2736000);
  assert_consistent (f->db);
}

/* A billed deposit enters the contract's deposit ledger in the bill run's own transaction, once. */
static void
test_deposit_billed (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TenureContract) contract = NULL;
  g_autoptr(TenureBillRunResult) march = NULL;
  g_autoptr(TenureBillRunResult) april = NULL;
  g_autoptr(GError) error = NULL;
  TenureContractVersion *version;
  TenureClause *rent, *deposit;

  if (f->db == NULL)
    return;
  contract = contract_new ("C3", "T1", "P1", "U2", 10000, D (2026, 3, 1), D (2027, 2, 28));
  version = contract->versions->pdata[0];
  rent = tenure_clause_new ("RENT", TENURE_BASIS_FIXED_MONTH);
  rent->amount = 1000000;                         /* 10,000.00 a month */
  deposit = tenure_clause_new ("DEPOSIT", TENURE_BASIS_ONE_OFF);
  deposit->amount = 3000000;                      /* three months: 30,000.00 */
  g_ptr_array_add (version->clauses, rent);
  g_ptr_array_add (version->clauses, deposit);
  g_assert_true (tenure_contract_store_save (f->db, contract, &error));
  g_assert_no_error (error);
  store_plan (f, "C3");

  march = post (f, 2026, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpint (march->total, ==, 1000000 + 3000000);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM deposit_entry d JOIN contract c "
                                     "ON c.id = d.contract_id WHERE c.code = 'C3' "
                                     "AND d.kind = 'billed' AND d.amount = 3000000 "
                                     "AND d.entry_date = '2026-03-01'"), ==, 1);
  /* The next run bills April's rent and adds no second deposit entry. */
  april = post (f, 2026, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpint (april->total, ==, 1000000);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM deposit_entry"), ==, 1);
  assert_consistent (f->db);
}

static void
test_catch_up (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureBillRunResult) result = NULL;

  if (f->db == NULL)
    return;
  save_shop (f);
  save_office (f);
  store_plan (f, "C1");
  store_plan (f, "C2");
  /* A contract back in draft is not billed. */
  exec_sql (f->db, "UPDATE contract SET status = 'draft' WHERE code = 'C2'");
  /* A missed month is caught up: the June run takes March to June. */
  result = post (f, 2026, 6, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->bills->len, ==, 4);
  g_assert_cmpint (result->total, ==, 1941677 + 3 * 2736000);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM bill b JOIN contract c "
                                     "ON c.id = b.contract_id WHERE c.code = 'C2'"), ==, 0);
  assert_consistent (f->db);
}

static void
test_scope (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureBillRunResult) r1 = NULL;
  g_autoptr(TenureBillRunResult) r2 = NULL;
  g_autoptr(TenureBillRunResult) r3 = NULL;
  TenureBillRunOptions options;

  if (f->db == NULL)
    return;
  save_shop (f);
  save_office (f);
  store_plan (f, "C1");
  store_plan (f, "C2");

  tenure_bill_run_options_init (&options, 2026, 4);
  options.posting_date = D (2026, 4, 2);
  options.scope_kind = TENURE_BILL_SCOPE_PROJECT;
  options.scope_code = "NOPE";
  g_assert_null (tenure_bill_run_post (f->db, &options, NULL, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "NOPE"));
  g_clear_error (&error);

  options.scope_kind = TENURE_BILL_SCOPE_BUILDING;
  options.scope_code = "B2";
  r1 = tenure_bill_run_post (f->db, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r1->bills->len, ==, 1);
  g_assert_cmpstr (((TenureBillDraft *) r1->bills->pdata[0])->contract_code, ==, "C2");

  options.scope_kind = TENURE_BILL_SCOPE_CONTRACT;
  options.scope_code = "C1";
  options.month = 3;
  r2 = tenure_bill_run_post (f->db, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r2->bills->len, ==, 1);
  g_assert_cmpint (((TenureBillDraft *) r2->bills->pdata[0])->total, ==, 1941677);

  options.scope_kind = TENURE_BILL_SCOPE_PROJECT;
  options.scope_code = "P1";
  options.month = 4;
  r3 = tenure_bill_run_post (f->db, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r3->bills->len, ==, 1);
  g_assert_cmpint (((TenureBillDraft *) r3->bills->pdata[0])->total, ==, 2736000);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM bill_run WHERE scope_kind = 'project' "
                                     "AND scope_code = 'P1'"), ==, 1);
  assert_consistent (f->db);
}

static void
test_closed_period (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureBillRunResult) result = NULL;
  gint64 entity;

  if (f->db == NULL)
    return;
  save_shop (f);
  store_plan (f, "C1");
  exec_sql (f->db, "INSERT INTO accounting_period (legal_entity_id, period, closed_at, closed_by) "
                   "SELECT id, '2026-04', '2026-05-03T10:00:00.000000Z', 'controller' "
                   "FROM legal_entity;"
                   "INSERT INTO accounting_period (legal_entity_id, period) "
                   "SELECT id, '2026-05' FROM legal_entity");
  entity = query_int (f->db, "SELECT id FROM legal_entity");

  g_assert_false (tenure_period_check_open (f->db, entity, D (2026, 4, 30), &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_CLOSED_PERIOD);
  g_assert_nonnull (strstr (error->message, "2026-04"));
  g_assert_nonnull (strstr (error->message, "LE"));
  g_clear_error (&error);
  /* An open row and no row are both open. */
  g_assert_true (tenure_period_check_open (f->db, entity, D (2026, 5, 1), &error));
  g_assert_true (tenure_period_check_open (f->db, entity, D (2026, 3, 31), &error));
  g_assert_no_error (error);

  result = post (f, 2026, 4, &error);
  g_assert_null (result);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_CLOSED_PERIOD);
  g_assert_nonnull (strstr (error->message, "2026-04"));
  g_clear_error (&error);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM bill"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM bill_run"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM receivable_line "
                                     "WHERE status = 'billed'"), ==, 0);

  /* Posting into May instead takes the same lines. */
  result = post (f, 2026, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->bills->len, ==, 3);
}

static const TenureBillAnomaly *
find_anomaly (TenureBillRunResult *result,
              TenureAnomalyKind    kind,
              const char          *contract)
{
  for (guint i = 0; i < result->anomalies->len; i++)
    {
      const TenureBillAnomaly *a = result->anomalies->pdata[i];

      if (a->kind == kind && strcmp (a->contract_code, contract) == 0)
        return a;
    }
  return NULL;
}

static void
test_anomalies (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureBillRunResult) jan = NULL;
  g_autoptr(TenureBillRunResult) apr = NULL;
  g_autoptr(TenureBillRunResult) strict = NULL;
  TenureBillRunOptions options;
  const TenureBillAnomaly *a;

  if (f->db == NULL)
    return;
  save_shop (f);
  save_office (f);
  store_plan (f, "C1");
  store_plan (f, "C2");

  /* January: C2's rent-free quarter is a zero line, reported and not billed. */
  tenure_bill_run_options_init (&options, 2026, 1);
  jan = tenure_bill_run_preview (f->db, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jan->bills->len, ==, 0);
  a = find_anomaly (jan, TENURE_ANOMALY_ZERO_AMOUNT, "C2");
  g_assert_nonnull (a);
  g_assert_cmpstr (a->charge_item, ==, "RENT");
  g_assert_cmpint (a->period_start, ==, D (2026, 1, 1));
  g_assert_nonnull (strstr (a->message, "C2"));

  /* A negative plan line, an expired contract, a unit leased twice. */
  exec_sql (f->db, "UPDATE receivable_line SET amount = -100 WHERE period_start = '2026-04-01' "
                   "AND contract_id = (SELECT id FROM contract WHERE code = 'C1')");
  exec_sql (f->db, "UPDATE contract SET status = 'expired' WHERE code = 'C2'");
  exec_sql (f->db, "INSERT INTO contract_unit (contract_version_id, unit_id, area_c) "
                   "SELECT v.id, u.id, 100 FROM contract_version v JOIN contract c "
                   "ON c.id = v.contract_id, unit u WHERE c.code = 'C2' AND u.code = 'U1'");
  tenure_bill_run_options_init (&options, 2026, 4);
  apr = tenure_bill_run_preview (f->db, &options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (find_anomaly (apr, TENURE_ANOMALY_NEGATIVE_AMOUNT, "C1"));
  g_assert_nonnull (find_anomaly (apr, TENURE_ANOMALY_EXPIRED_CONTRACT, "C2"));
  a = find_anomaly (apr, TENURE_ANOMALY_UNIT_LEASED_TWICE, "C2");
  g_assert_nonnull (a);
  g_assert_nonnull (strstr (a->message, "U1"));
  g_assert_nonnull (strstr (a->message, "C1"));
  /* C1 is active and leases U1: C2's use of it is the conflict; C1 (expired partner) not. */
  g_assert_null (find_anomaly (apr, TENURE_ANOMALY_UNIT_LEASED_TWICE, "C1"));
  g_assert_null (find_anomaly (apr, TENURE_ANOMALY_JUMP, "C2"));

  /* Jump: C2's Q2 (91,250.00 over 91 days) against Q1 (0): no jump from zero. C1's May
   * (27,360 over 31 days) against April (−1.00): no jump from a negative. Restore April and
   * make May 40 % dearer per day: 38,304.00. */
  exec_sql (f->db, "UPDATE receivable_line SET amount = 2736000 WHERE period_start = "
                   "'2026-04-01' AND contract_id = (SELECT id FROM contract WHERE code = 'C1');"
                   "UPDATE receivable_line SET amount = 3830400 WHERE period_start = "
                   "'2026-05-01' AND contract_id = (SELECT id FROM contract WHERE code = 'C1')");
  tenure_bill_run_options_init (&options, 2026, 5);
  strict = tenure_bill_run_preview (f->db, &options, &error);
  g_assert_no_error (error);
  a = find_anomaly (strict, TENURE_ANOMALY_JUMP, "C1");
  g_assert_nonnull (a);
  g_assert_cmpint (a->period_start, ==, D (2026, 5, 1));
  g_clear_pointer (&strict, tenure_bill_run_result_free);
  /* 38,304/31 per day against 27,360/30: +35.5 %; a 40 % threshold lets it pass. But March
   * (19,416.77 over 22 days) against nothing before: no jump either. */
  options.jump_threshold_ppm = 400000;
  strict = tenure_bill_run_preview (f->db, &options, &error);
  g_assert_no_error (error);
  g_assert_null (find_anomaly (strict, TENURE_ANOMALY_JUMP, "C1"));
}

/* A change after billing: billed lines stay, difference lines go out as notes. */
static void
test_change (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureBillRunResult) may = NULL;
  g_autoptr(TenureBillRunResult) june = NULL;
  g_autoptr(TenureBillRunResult) july = NULL;
  g_autoptr(TenureContract) contract = NULL;
  g_autoptr(TenurePlanDiff) diff = NULL;
  g_autoptr(TenurePlanLookups) lookups = NULL;
  g_autofree char *billed_before = NULL;
  TenurePlanContext context = { 0 };
  TenureContractVersion *v2, *v3;
  gint64 lines_before, may_bill_id;
  GPtrArray *changes;
  guint n_difference = 0, n_changed = 0, n_billed = 0;
  const TenureBillDraft *note;

  if (f->db == NULL)
    return;
  save_shop (f);
  store_plan (f, "C1");
  may = post (f, 2026, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (may->bills->len, ==, 3);
  may_bill_id = find_bill (may, "C1", "bill", D (2026, 5, 1))->id;

  /* Version 2 from 16 May 2026: 400.0000/m²/month (34,200.00 a month). */
  v2 = tenure_contract_version_new ();
  v2->version_no = 0; /* the next number */
  v2->effective_from = D (2026, 5, 16);
  v2->status = TENURE_VERSION_APPROVED;
  v2->reason = g_strdup ("rent review");
  g_ptr_array_add (v2->units, tenure_contract_unit_new ("U1", 8550));
  {
    TenureClause *rent = tenure_clause_new ("RENT", TENURE_BASIS_PER_M2_MONTH);

    rent->price_e4 = 4000000;
    rent->alignment = TENURE_ALIGN_CALENDAR;
    rent->starts_on = D (2026, 3, 10);
    g_ptr_array_add (v2->clauses, rent);
  }
  tenure_contract_store_add_version (f->db, "C1", v2, &error);
  g_assert_no_error (error);
  tenure_contract_version_free (v2);

  billed_before = g_strdup_printf ("%" G_GINT64_FORMAT,
                                   query_int (f->db, "SELECT sum (amount) FROM receivable_line "
                                                     "WHERE status = 'billed'"));
  lines_before = query_int (f->db, "SELECT count(*) FROM audit_log");
  contract = tenure_contract_store_load (f->db, "C1", &error);
  g_assert_no_error (error);
  lookups = tenure_plan_lookups_new (f->db, contract, &error);
  g_assert_no_error (error);
  tenure_plan_lookups_context (lookups, &context);
  diff = tenure_plan_diff (f->db, contract, &context, &error);
  g_assert_no_error (error);
  /* The preview writes nothing. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log"), ==, lines_before);

  changes = tenure_plan_diff_get_changes (diff);
  for (guint i = 0; i < changes->len; i++)
    {
      const TenurePlanChange *c = changes->pdata[i];

      switch (c->kind)
        {
        case TENURE_PLAN_CHANGE_DIFFERENCE:
          n_difference++;
          /* May: 15 days at 27,360.00 and 16 at 34,200.00 over 31:
           * (410,400 + 547,200) / 31 = 30,890.3225… → 30,890.32, so +3,530.32. */
          g_assert_cmpint (c->period_start, ==, D (2026, 5, 1));
          g_assert_cmpint (c->old_amount, ==, 2736000);
          g_assert_cmpint (c->new_amount, ==, 3089032);
          g_assert_cmpint (c->difference, ==, 353032);
          g_assert_cmpint (c->due_date, ==, D (2026, 5, 16));
          break;
        case TENURE_PLAN_CHANGE_CHANGED:
          n_changed++;
          g_assert_cmpint (c->period_start, >=, D (2026, 6, 1));
          g_assert_cmpint (c->old_amount, !=, c->new_amount);
          break;
        case TENURE_PLAN_CHANGE_BILLED:
          n_billed++;
          g_assert_cmpint (c->period_start, <, D (2026, 5, 1));
          break;
        default:
          break;
        }
    }
  g_assert_cmpuint (n_difference, ==, 1);
  g_assert_cmpuint (n_billed, ==, 2);
  /* June 2026 … March 2027: ten months. */
  g_assert_cmpuint (n_changed, ==, 10);

  g_assert_true (tenure_plan_diff_apply (f->db, diff, &error));
  g_assert_no_error (error);
  g_clear_pointer (&diff, tenure_plan_diff_free);
  /* Billed lines untouched. */
  g_assert_cmpint (query_int (f->db, "SELECT sum (amount) FROM receivable_line "
                                     "WHERE status = 'billed'"), ==,
                   g_ascii_strtoll (billed_before, NULL, 10));
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log WHERE "
                                     "table_name = 'receivable_line' AND action <> 'insert' "
                                     "AND old_values LIKE '%\"billed\"%'"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT amount FROM receivable_line WHERE "
                                     "period_start = '2026-06-01' AND kind = 'normal'"),
                   ==, 3420000);
  /* Regenerating once more writes nothing. */
  g_assert_cmpuint (store_plan (f, "C1"), ==, 0);

  /* June's run: June's bill and a debit note against May's bill. */
  june = post (f, 2026, 6, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (june->bills->len, ==, 2);
  g_assert_cmpint (find_bill (june, "C1", "bill", D (2026, 6, 1))->total, ==, 3420000);
  note = find_bill (june, "C1", "debit_note", D (2026, 5, 1));
  g_assert_nonnull (note);
  g_assert_cmpint (note->total, ==, 353032);
  g_assert_cmpint (note->corrects_bill_id, ==, may_bill_id);
  assert_consistent (f->db);

  /* Version 3 from the same day at 300.0000 (25,650.00): May is now
   * (410,400 + 410,400) / 31 = 26,477.419… → 26,477.42; billed so far 30,890.32, so a credit
   * of 4,412.90. June (billed 34,200.00) becomes 25,650.00: a credit of 8,550.00. */
  v3 = tenure_contract_version_new ();
  v3->version_no = 0; /* the next number */
  v3->effective_from = D (2026, 5, 16);
  v3->status = TENURE_VERSION_APPROVED;
  g_ptr_array_add (v3->units, tenure_contract_unit_new ("U1", 8550));
  {
    TenureClause *rent = tenure_clause_new ("RENT", TENURE_BASIS_PER_M2_MONTH);

    rent->price_e4 = 3000000;
    rent->alignment = TENURE_ALIGN_CALENDAR;
    rent->starts_on = D (2026, 3, 10);
    g_ptr_array_add (v3->clauses, rent);
  }
  tenure_contract_store_add_version (f->db, "C1", v3, &error);
  g_assert_no_error (error);
  tenure_contract_version_free (v3);
  store_plan (f, "C1");
  july = post (f, 2026, 7, &error);
  g_assert_no_error (error);
  note = find_bill (july, "C1", "credit_note", D (2026, 5, 1));
  g_assert_nonnull (note);
  g_assert_cmpint (note->total, ==, -441290);
  g_assert_cmpint (note->corrects_bill_id, ==, may_bill_id);
  note = find_bill (july, "C1", "credit_note", D (2026, 6, 1));
  g_assert_nonnull (note);
  g_assert_cmpint (note->total, ==, -855000);
  g_assert_cmpint (find_bill (july, "C1", "bill", D (2026, 7, 1))->total, ==, 2565000);
  assert_consistent (f->db);
  /* Billed for May in all: 27,360.00 + 3,530.32 − 4,412.90 = 26,477.42. */
  g_assert_cmpint (query_int (f->db, "SELECT sum (l.amount) FROM bill_line l "
                                     "WHERE l.period_start = '2026-05-01'"), ==, 2647742);
}

/* The lease as if it ended on END (clauses stored with explicit ends). */
static void
shorten (TenureContract *contract,
         TenureDate      end)
{
  contract->end_date = end;
  for (guint v = 0; v < contract->versions->len; v++)
    {
      TenureContractVersion *version = contract->versions->pdata[v];

      for (guint c = 0; c < version->clauses->len; c++)
        ((TenureClause *) version->clauses->pdata[c])->ends_on = end;
    }
}

/* Shortening the term credits billed periods beyond the new end in full. */
static void
test_removed_billed (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureBillRunResult) run = NULL;
  g_autoptr(TenureContract) contract = NULL;
  g_autoptr(TenurePlanDiff) diff = NULL;
  GPtrArray *lines;
  guint n_removed = 0, n_diff = 0;

  if (f->db == NULL)
    return;
  save_shop (f);
  store_plan (f, "C1");
  run = post (f, 2026, 4, &error);
  g_assert_no_error (error);

  /* The plan as if the lease had ended on 31 March: April (billed) must be credited. */
  contract = tenure_contract_store_load (f->db, "C1", &error);
  g_assert_no_error (error);
  shorten (contract, D (2026, 3, 31));
  lines = tenure_plan_generate (contract, NULL, &error);
  g_assert_no_error (error);
  diff = tenure_plan_diff_lines (f->db, contract, lines, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < tenure_plan_diff_get_changes (diff)->len; i++)
    {
      const TenurePlanChange *c = tenure_plan_diff_get_changes (diff)->pdata[i];

      if (c->kind == TENURE_PLAN_CHANGE_REMOVED)
        n_removed++;
      if (c->kind == TENURE_PLAN_CHANGE_DIFFERENCE)
        {
          n_diff++;
          g_assert_cmpint (c->period_start, ==, D (2026, 4, 1));
          g_assert_cmpint (c->difference, ==, -2736000);
          g_assert_null (c->line);
        }
    }
  g_assert_cmpuint (n_diff, ==, 1);
  /* May 2026 … March 2027 were never billed: simply removed. */
  g_assert_cmpuint (n_removed, ==, 11);
  g_assert_true (tenure_plan_diff_apply (f->db, diff, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM receivable_line"), ==, 3);
  g_assert_cmpint (query_int (f->db, "SELECT amount FROM receivable_line "
                                     "WHERE kind = 'difference'"), ==, -2736000);
}

/* A bill run between preview and approval makes the approval fail without writing. */
static void
test_stale_diff (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureBillRunResult) run = NULL;
  g_autoptr(TenureContract) contract = NULL;
  g_autoptr(TenurePlanDiff) diff = NULL;
  GPtrArray *lines;
  gint64 audit;

  if (f->db == NULL)
    return;
  save_shop (f);
  store_plan (f, "C1");
  contract = tenure_contract_store_load (f->db, "C1", &error);
  g_assert_no_error (error);
  shorten (contract, D (2026, 3, 31));
  lines = tenure_plan_generate (contract, NULL, &error);
  g_assert_no_error (error);
  diff = tenure_plan_diff_lines (f->db, contract, lines, &error);
  g_assert_no_error (error);
  run = post (f, 2026, 4, &error);
  g_assert_no_error (error);
  audit = query_int (f->db, "SELECT count(*) FROM audit_log");
  g_assert_false (tenure_plan_diff_apply (f->db, diff, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "C1"));
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log"), ==, audit);
}

/* Two runs started together: exactly one set of bills. */
typedef struct
{
  const char          *location;
  GError              *error;
  gint64               bills;
} Racer;

static gpointer
race (gpointer data)
{
  Racer *racer = data;
  g_autoptr(TenureDb) db = tenure_db_open (racer->location, TENURE_DB_OPEN_DEFAULT,
                                           &racer->error);
  g_autoptr(TenureBillRunResult) result = NULL;
  TenureBillRunOptions options;

  if (db == NULL)
    return NULL;
  tenure_bill_run_options_init (&options, 2026, 12);
  options.posting_date = D (2026, 12, 1);
  result = tenure_bill_run_post (db, &options, NULL, &racer->error);
  if (result != NULL)
    racer->bills = result->bills->len;
  return NULL;
}

static void
test_concurrent (Fixture       *f,
                 gconstpointer  data)
{
  Racer racers[4] = { { 0 } };
  GThread *threads[G_N_ELEMENTS (racers)];
  gint64 total = 0;

  if (f->db == NULL)
    return;
  save_shop (f);
  save_office (f);
  store_plan (f, "C1");
  store_plan (f, "C2");
  for (guint i = 0; i < G_N_ELEMENTS (racers); i++)
    {
      racers[i].location = f->location;
      threads[i] = g_thread_new ("racer", race, &racers[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (racers); i++)
    {
      g_thread_join (threads[i]);
      g_assert_no_error (racers[i].error);
      total += racers[i].bills;
    }
  /* C1 March … December (10 bills), C2 Q2 … Q4 (3; Q1 is zero). */
  g_assert_cmpint (total, ==, 13);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM bill"), ==, 13);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM bill_run"), ==, 1);
  assert_consistent (f->db);
}

/* ---- property: regeneration over generated contracts --------------------------------------- */

/* Billed rows as text, to compare before and after. */
static char *
billed_snapshot (TenureDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  GString *s = g_string_new (NULL);

  stmt = tenure_db_prepare (db, "SELECT id, contract_version_id, period_start, period_end, "
                                "due_date, amount, tax, coalesce (trace, ''), bill_id "
                                "FROM receivable_line WHERE status = 'billed' ORDER BY id",
                            &error);
  g_assert_no_error (error);
  while (tenure_stmt_step (stmt, &error))
    for (guint c = 0; c < 9; c++)
      g_string_append_printf (s, "%s%c", tenure_stmt_column_text (stmt, c), c == 8 ? '\n' : '|');
  g_assert_no_error (error);
  return g_string_free (s, FALSE);
}

static TenureClause *
random_clause (GRand      *rand,
               TenureDate  start,
               TenureDate  end)
{
  static const int cycles[] = { 1, 2, 3, 6, 12 };
  TenureClause *clause;

  switch (g_rand_int_range (rand, 0, 3))
    {
    case 0:
      clause = tenure_clause_new ("RENT", TENURE_BASIS_PER_M2_DAY);
      clause->price_e4 = g_rand_int_range (rand, 10000, 200000);
      clause->days_rule = g_rand_boolean (rand) ? TENURE_DAYS_AVG_365_12 : TENURE_DAYS_ACTUAL;
      break;
    case 1:
      clause = tenure_clause_new ("RENT", TENURE_BASIS_PER_M2_MONTH);
      clause->price_e4 = g_rand_int_range (rand, 500000, 5000000);
      clause->days_rule = g_rand_boolean (rand) ? TENURE_DAYS_FIXED_30 : TENURE_DAYS_ACTUAL;
      break;
    default:
      clause = tenure_clause_new ("RENT", TENURE_BASIS_FIXED_MONTH);
      clause->amount = g_rand_int_range (rand, 100000, 10000000);
      break;
    }
  clause->cycle_months = cycles[g_rand_int_range (rand, 0, G_N_ELEMENTS (cycles))];
  clause->alignment = g_rand_boolean (rand) ? TENURE_ALIGN_CALENDAR : TENURE_ALIGN_ANNIVERSARY;
  clause->starts_on = start;
  clause->ends_on = end;
  if (g_rand_int_range (rand, 0, 3) == 0)
    {
      TenureDate last = start + g_rand_int_range (rand, 0, 90);
      TenureDateRange free_days = { start, MIN (end, last) };

      g_array_append_val (clause->rent_free, free_days);
    }
  return clause;
}

/* Random contracts are stored and billed for a random month; each then gets a second version
 * from a random day with other terms, and the plan is regenerated. Billed lines must not
 * change; for every period, what is billed plus the difference lines must equal the new
 * plan's amount (0 for periods the new plan no longer has); regenerating again and billing
 * again must write nothing twice. */
static void
test_property_regenerate (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *env = g_getenv ("TENURE_TEST_ITERATIONS");
  int n = env != NULL ? CLAMP (atoi (env), 3, 1000) : (backend == TENURE_TEST_SQLITE ? 40 : 15);
  GRand *rand = g_rand_new_with_seed (g_test_rand_int ());

  if (f->db == NULL)
    return;
  for (int i = 0; i < n; i++)
    {
      g_autofree char *code = g_strdup_printf ("R%d", i);
      g_autofree char *unit = g_strdup_printf ("RU%d", i);
      g_autofree char *sql = g_strdup_printf ("INSERT INTO unit (code, floor_id, name, format, "
                                              "gfa_area_c, leasable_area_c) SELECT '%s', id, "
                                              "'%s', 'mall', 10000, 10000 FROM floor "
                                              "WHERE code = 'F1'", unit, unit);
      TenureDate start = D (2025, 1, 1) + g_rand_int_range (rand, 0, 700);
      TenureDate end = tenure_date_add_days (tenure_date_add_months
                                             (start, g_rand_int_range (rand, 1, 37)),
                                             g_rand_int_range (rand, -1, 20));
      g_autoptr(TenureContract) contract = contract_new (code, "T1", "P1", unit,
                                                         g_rand_int_range (rand, 1000, 100000),
                                                         start, end);
      TenureContractVersion *version = contract->versions->pdata[0];

      exec_sql (f->db, sql);
      g_ptr_array_add (version->clauses, random_clause (rand, start, end));
      tenure_contract_store_save (f->db, contract, &error);
      g_assert_no_error (error);
      store_plan (f, code);
    }

  {
    g_autoptr(TenureBillRunResult) first = NULL;
    int month = g_rand_int_range (rand, 0, 30);

    first = post (f, 2025 + month / 12, month % 12 + 1, &error);
    g_assert_no_error (error);
    assert_consistent (f->db);
  }
  before = billed_snapshot (f->db);

  for (int i = 0; i < n; i++)
    {
      g_autofree char *code = g_strdup_printf ("R%d", i);
      g_autoptr(TenureContract) contract = tenure_contract_store_load (f->db, code, &error);
      g_autoptr(GPtrArray) plan = NULL;
      g_autoptr(GPtrArray) stored = NULL;
      TenureContractVersion *v1, *v2;
      g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                              g_free);
      g_autoptr(GHashTable) got = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         g_free);
      GHashTableIter iter;
      gpointer key, value;

      g_assert_no_error (error);
      v1 = contract->versions->pdata[0];
      v2 = tenure_contract_version_new ();
      v2->version_no = 0;
      v2->effective_from = contract->start_date
                           + g_rand_int_range (rand, 0, contract->end_date
                                                        - contract->start_date + 1);
      v2->status = TENURE_VERSION_APPROVED;
      g_ptr_array_add (v2->units,
                       tenure_contract_unit_new (((TenureContractUnit *) v1->units->pdata[0])
                                                 ->unit_code,
                                                 g_rand_int_range (rand, 1000, 100000)));
      g_ptr_array_add (v2->clauses, random_clause (rand, v2->effective_from,
                                                   contract->end_date));
      tenure_contract_store_add_version (f->db, code, v2, &error);
      g_assert_no_error (error);
      tenure_contract_version_free (v2);
      store_plan (f, code);
      g_assert_cmpuint (store_plan (f, code), ==, 0);

      /* The new plan, by (period start, kind); and what the store holds for each. */
      g_clear_pointer (&contract, tenure_contract_free);
      contract = tenure_contract_store_load (f->db, code, &error);
      g_assert_no_error (error);
      plan = tenure_plan_generate (contract, NULL, &error);
      g_assert_no_error (error);
      for (guint l = 0; l < plan->len; l++)
        {
          const TenureReceivableLine *line = plan->pdata[l];

          g_hash_table_insert (expected, g_strdup_printf ("%s|%d", line->charge_item,
                                                          (int) line->period_start),
                               g_memdup2 (&line->amount, sizeof (gint64)));
        }
      stored = tenure_plan_store_load (f->db, code, &error);
      g_assert_no_error (error);
      for (guint l = 0; l < stored->len; l++)
        {
          const TenureStoredLine *line = stored->pdata[l];
          g_autofree char *k = g_strdup_printf ("%s|%d", line->charge_item,
                                                (int) line->period_start);
          gint64 *sum = g_hash_table_lookup (got, k);

          if (sum == NULL)
            {
              sum = g_new0 (gint64, 1);
              g_hash_table_insert (got, g_steal_pointer (&k), sum);
            }
          *sum += line->amount;
        }
      g_hash_table_iter_init (&iter, got);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          gint64 *want = g_hash_table_lookup (expected, key);

          if ((want != NULL ? *want : 0) != *(gint64 *) value)
            g_error ("%s %s: stored %" G_GINT64_FORMAT ", plan %" G_GINT64_FORMAT, code,
                     (char *) key, *(gint64 *) value, want != NULL ? *want : 0);
        }
      g_assert_cmpuint (g_hash_table_size (got), >=, g_hash_table_size (expected));
    }

  after = billed_snapshot (f->db);
  g_assert_cmpstr (before, ==, after);
  g_test_message ("%" G_GINT64_FORMAT " billed lines, %" G_GINT64_FORMAT " difference lines",
                  query_int (f->db, "SELECT count(*) FROM receivable_line "
                                    "WHERE status = 'billed'"),
                  query_int (f->db, "SELECT count(*) FROM receivable_line "
                                    "WHERE kind = 'difference'"));

  {
    g_autoptr(TenureBillRunResult) second = NULL;
    g_autoptr(TenureBillRunResult) again = NULL;

    second = post (f, 2028, 6, &error);
    g_assert_no_error (error);
    assert_consistent (f->db);
    again = post (f, 2028, 6, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (again->bills->len, ==, 0);
    /* Everything due is billed; billed amounts per period equal the plan. */
    g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM receivable_line WHERE status = "
                                       "'planned' AND amount <> 0 AND due_date <= '2028-06-30'"),
                     ==, 0);
  }
  g_rand_free (rand);
}

/* ---- the identity of a line (migration 0004) ----------------------------------------------- */

static TenureClause *
fixed_rent (gint64 amount)
{
  TenureClause *rent = tenure_clause_new ("RENT", TENURE_BASIS_FIXED_MONTH);

  rent->amount = amount;
  rent->alignment = TENURE_ALIGN_CALENDAR;
  return rent;
}

/* Two RENT clauses in one version (units U3 and U4 priced separately: 10,000.00 and 2,500.50 a
 * month, calendar months, ACTUAL, 2026-03-10 to 2027-03-09): each has its own lines, billed
 * together; a new version that changes only the second clause corrects only its line. */
static void
test_two_clauses (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TenureContract) contract = contract_new ("C4", "T2", "P2", "U3", 20000,
                                                     D (2026, 3, 10), D (2027, 3, 9));
  g_autoptr(TenureBillRunResult) march = NULL;
  g_autoptr(TenureBillRunResult) april = NULL;
  g_autoptr(GError) error = NULL;
  TenureContractVersion *version = contract->versions->pdata[0];
  TenureContractVersion *v2;
  const TenureBillDraft *bill;

  if (f->db == NULL)
    return;
  g_ptr_array_add (version->units, tenure_contract_unit_new ("U4", 20000));
  g_ptr_array_add (version->clauses, fixed_rent (1000000));
  g_ptr_array_add (version->clauses, fixed_rent (250050));
  g_assert_true (tenure_contract_store_save (f->db, contract, &error));
  g_assert_no_error (error);

  /* March 2026 … March 2027: 13 lines per clause. */
  g_assert_cmpuint (store_plan (f, "C4"), ==, 26);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM receivable_line "
                                     "WHERE clause_seq = 1 AND kind = 'normal'"), ==, 13);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM receivable_line "
                                     "WHERE clause_seq = 2 AND kind = 'normal'"), ==, 13);
  /* Each clause's line points at its own clause. */
  g_assert_cmpint (query_int (f->db, "SELECT count(DISTINCT clause_id) FROM receivable_line "
                                     "WHERE period_start = '2026-03-10'"), ==, 2);
  /* March, 22 of 31 days: 10,000.00 × 22/31 = 7,096.774… → 7,096.77 and
   * 2,500.50 × 22/31 = 55,011/31 = 1,774.548… → 1,774.55. */
  g_assert_cmpint (query_int (f->db, "SELECT amount FROM receivable_line "
                                     "WHERE period_start = '2026-03-10' AND clause_seq = 1"),
                   ==, 709677);
  g_assert_cmpint (query_int (f->db, "SELECT amount FROM receivable_line "
                                     "WHERE period_start = '2026-03-10' AND clause_seq = 2"),
                   ==, 177455);
  g_assert_cmpuint (store_plan (f, "C4"), ==, 0);

  march = post (f, 2026, 3, &error);
  g_assert_no_error (error);
  bill = find_bill (march, "C4", "bill", D (2026, 3, 10));
  g_assert_nonnull (bill);
  g_assert_cmpuint (bill->line_ids->len, ==, 2);
  g_assert_cmpint (bill->total, ==, 709677 + 177455);
  assert_consistent (f->db);

  /* Version 2 from 20 March: the second clause 3,000.00 a month, the first unchanged.
   * March of the second clause: 2,500.50 × 10/31 + 3,000.00 × 12/31 = 61,005/31
   * = 1,967.903… → 1,967.90; billed 1,774.55: a debit of 193.35. */
  v2 = tenure_contract_version_new ();
  v2->version_no = 0;
  v2->effective_from = D (2026, 3, 20);
  v2->status = TENURE_VERSION_APPROVED;
  g_ptr_array_add (v2->units, tenure_contract_unit_new ("U3", 20000));
  g_ptr_array_add (v2->units, tenure_contract_unit_new ("U4", 20000));
  g_ptr_array_add (v2->clauses, fixed_rent (1000000));
  g_ptr_array_add (v2->clauses, fixed_rent (300000));
  ((TenureClause *) v2->clauses->pdata[0])->starts_on = D (2026, 3, 10);
  ((TenureClause *) v2->clauses->pdata[1])->starts_on = D (2026, 3, 10);
  tenure_contract_store_add_version (f->db, "C4", v2, &error);
  g_assert_no_error (error);
  tenure_contract_version_free (v2);
  store_plan (f, "C4");
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM receivable_line "
                                     "WHERE kind = 'difference'"), ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT amount FROM receivable_line "
                                     "WHERE kind = 'difference' AND clause_seq = 2 "
                                     "AND correction_no = 1"), ==, 19335);
  g_assert_cmpuint (store_plan (f, "C4"), ==, 0);

  april = post (f, 2026, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpint (find_bill (april, "C4", "bill", D (2026, 4, 1))->total, ==,
                   1000000 + 300000);
  bill = find_bill (april, "C4", "debit_note", D (2026, 3, 10));
  g_assert_nonnull (bill);
  g_assert_cmpint (bill->total, ==, 19335);
  g_assert_cmpint (bill->corrects_bill_id, ==,
                   find_bill (march, "C4", "bill", D (2026, 3, 10))->id);
  assert_consistent (f->db);
}

static void
report_turnover (Fixture *f,
                 gint64   amount)
{
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("DELETE FROM turnover_report WHERE period_start = '2026-05-01';"
                         "INSERT INTO turnover_report (contract_id, period_start, period_end, "
                         "amount) SELECT id, '2026-05-01', '2026-05-31', %" G_GINT64_FORMAT
                         " FROM contract WHERE code = 'C3'", amount);
  exec_sql (f->db, sql);
}

/* Example 3 of domain.md on U2: minimum 50,000.00 a month, 8 % of turnover, top-up due 10 days
 * after the month. May's turnover report is revised twice after its top-up was billed, with no
 * new version: two corrections of the same billed line. */
static void
test_turnover_revised (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(TenureContract) contract = contract_new ("C3", "T1", "P1", "U2", 10000,
                                                     D (2026, 5, 1), D (2027, 4, 30));
  g_autoptr(TenureBillRunResult) may = NULL;
  g_autoptr(TenureBillRunResult) june = NULL;
  g_autoptr(TenureBillRunResult) july = NULL;
  g_autoptr(TenureBillRunResult) august = NULL;
  g_autoptr(GError) error = NULL;
  TenureContractVersion *version = contract->versions->pdata[0];
  TenureClause *rent = tenure_clause_new ("RENT", TENURE_BASIS_TURNOVER);
  TenureTurnoverTier tier = { 0, 80000 };
  const TenureBillDraft *bill;
  gint64 june_bill_id;

  if (f->db == NULL)
    return;
  rent->alignment = TENURE_ALIGN_CALENDAR;
  rent->turnover = g_new0 (TenureTurnoverTerms, 1);
  rent->turnover->minimum = 5000000;
  rent->turnover->tiers = g_array_new (FALSE, FALSE, sizeof (TenureTurnoverTier));
  g_array_append_val (rent->turnover->tiers, tier);
  rent->turnover->breakpoint = -1;
  rent->turnover->period_months = 1;
  rent->turnover->due_days = 10;
  g_ptr_array_add (version->clauses, rent);
  g_assert_true (tenure_contract_store_save (f->db, contract, &error));
  g_assert_no_error (error);

  /* 700,000.00 × 8 % = 56,000.00: a top-up of 6,000.00, due 10 June. */
  report_turnover (f, 70000000);
  store_plan (f, "C3");
  g_assert_cmpint (query_int (f->db, "SELECT amount FROM receivable_line WHERE kind = 'topup' "
                                     "AND period_start = '2026-05-01'"), ==, 600000);
  may = post (f, 2026, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpint (find_bill (may, "C3", "bill", D (2026, 5, 1))->total, ==, 5000000);
  june = post (f, 2026, 6, &error);
  g_assert_no_error (error);
  /* June's bill: June's minimum and May's top-up. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM receivable_line WHERE "
                                     "kind = 'topup' AND status = 'billed'"), ==, 1);
  june_bill_id = query_int (f->db, "SELECT bill_id FROM receivable_line WHERE kind = 'topup'");

  /* Revised to 750,000.00: 60,000.00, a top-up of 10,000.00; billed 6,000.00: +4,000.00. */
  report_turnover (f, 75000000);
  g_assert_cmpuint (store_plan (f, "C3"), ==, 1);
  g_assert_cmpuint (store_plan (f, "C3"), ==, 0);
  july = post (f, 2026, 7, &error);
  g_assert_no_error (error);
  bill = find_bill (july, "C3", "debit_note", D (2026, 5, 1));
  g_assert_nonnull (bill);
  g_assert_cmpint (bill->total, ==, 400000);
  g_assert_cmpint (bill->corrects_bill_id, ==, june_bill_id);

  /* Revised again to 725,000.00: 58,000.00, a top-up of 8,000.00; billed 10,000.00 so far:
   * a second correction of the same line, −2,000.00. */
  report_turnover (f, 72500000);
  g_assert_cmpuint (store_plan (f, "C3"), ==, 1);
  g_assert_cmpuint (store_plan (f, "C3"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(DISTINCT corrects_line_id) FROM "
                                     "receivable_line WHERE kind = 'difference'"), ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT amount FROM receivable_line WHERE "
                                     "kind = 'difference' AND correction_no = 1"), ==, 400000);
  g_assert_cmpint (query_int (f->db, "SELECT amount FROM receivable_line WHERE "
                                     "kind = 'difference' AND correction_no = 2"), ==, -200000);
  august = post (f, 2026, 8, &error);
  g_assert_no_error (error);
  bill = find_bill (august, "C3", "credit_note", D (2026, 5, 1));
  g_assert_nonnull (bill);
  g_assert_cmpint (bill->total, ==, -200000);
  g_assert_cmpint (bill->corrects_bill_id, ==, june_bill_id);
  assert_consistent (f->db);
  /* May's top-up billed in all: 6,000.00 + 4,000.00 − 2,000.00 = 8,000.00. */
  g_assert_cmpint (query_int (f->db, "SELECT sum (l.amount) FROM bill_line l JOIN "
                                     "receivable_line r ON r.id = l.receivable_line_id WHERE "
                                     "r.kind IN ('topup', 'difference') "
                                     "AND l.period_start = '2026-05-01'"), ==, 800000);

  /* The unique index refuses a second correction with the same number. */
  g_assert_false (tenure_db_exec (f->db, "UPDATE receivable_line SET correction_no = 1 "
                                         "WHERE kind = 'difference' AND correction_no = 2",
                                  &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_CONSTRAINT);
}

/* A version-3 database with a billed line, its correction and a planned line upgrades to
 * version 4 keeping every row, its bill line, foreign keys and audit triggers. */
static void
test_upgrade_identity (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(GError) error = NULL;
  gint64 billed_id, audit_before;

  fixture_set_up_at (f, 3);
  if (f->db == NULL)
    return;
  g_assert_cmpint (tenure_db_get_schema_version (f->db), ==, 3);
  save_shop (f);
#define CONTRACT_IDS \
  "(SELECT id FROM contract WHERE code = 'C1'), (SELECT id FROM contract_version), " \
  "(SELECT id FROM clause), (SELECT id FROM charge_item WHERE code = 'RENT')"
  exec_sql (f->db,
            "INSERT INTO bill (code, contract_id, tenant_id, period_start, period_end, "
            "due_date, posting_date, total) SELECT 'B-1', c.id, t.id, '2026-03-10', "
            "'2026-03-31', '2026-03-10', '2026-03-01', 1941677 FROM contract c, tenant t "
            "WHERE c.code = 'C1' AND t.code = 'T1';"
            "INSERT INTO receivable_line (id, contract_id, contract_version_id, clause_id, "
            "charge_item_id, period_start, period_end, due_date, amount, status, bill_id) "
            "VALUES (7, " CONTRACT_IDS ", '2026-03-10', '2026-03-31', '2026-03-10', 1941677, "
            "'billed', (SELECT id FROM bill));"
            "INSERT INTO receivable_line (id, contract_id, contract_version_id, clause_id, "
            "charge_item_id, period_start, period_end, due_date, amount) "
            "VALUES (8, " CONTRACT_IDS ", '2026-04-01', '2026-04-30', '2026-04-01', 2736000);"
            "INSERT INTO receivable_line (id, contract_id, contract_version_id, clause_id, "
            "charge_item_id, kind, period_start, period_end, due_date, amount, "
            "corrects_line_id) VALUES (9, " CONTRACT_IDS ", 'difference', '2026-03-10', "
            "'2026-03-31', '2026-04-01', -12345, 7);"
            "INSERT INTO bill_line (bill_id, receivable_line_id, charge_item_id, period_start, "
            "period_end, due_date, amount) SELECT bill_id, id, charge_item_id, period_start, "
            "period_end, due_date, amount FROM receivable_line WHERE id = 7");
#undef CONTRACT_IDS
  billed_id = query_int (f->db, "SELECT bill_id FROM receivable_line WHERE id = 7");
  g_clear_object (&f->db);

  f->db = tenure_db_open (f->location, TENURE_DB_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tenure_db_get_schema_version (f->db), ==,
                   tenure_migrations_latest_version ());
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM receivable_line"), ==, 3);
  g_assert_cmpint (query_int (f->db, "SELECT sum (amount) FROM receivable_line"), ==,
                   1941677 + 2736000 - 12345);
  g_assert_cmpint (query_int (f->db, "SELECT bill_id FROM receivable_line WHERE id = 7 "
                                     "AND status = 'billed'"), ==, billed_id);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM receivable_line "
                                     "WHERE clause_seq = 1"), ==, 3);
  g_assert_cmpint (query_int (f->db, "SELECT correction_no FROM receivable_line "
                                     "WHERE id = 9 AND corrects_line_id = 7"), ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM receivable_line "
                                     "WHERE correction_no = 0"), ==, 2);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM bill_line l JOIN receivable_line r "
                                     "ON r.id = l.receivable_line_id"), ==, 1);
  /* Foreign keys hold again, in both directions. */
  g_assert_false (tenure_db_exec (f->db, "UPDATE bill_line SET receivable_line_id = 99",
                                  &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (tenure_db_exec (f->db, "DELETE FROM receivable_line WHERE id = 7", &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_CONSTRAINT);
  g_clear_error (&error);
  /* Audited as before. */
  audit_before = query_int (f->db, "SELECT count(*) FROM audit_log WHERE "
                                   "table_name = 'receivable_line'");
  exec_sql (f->db, "UPDATE receivable_line SET due_date = '2026-04-02' WHERE id = 8");
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log WHERE "
                                     "table_name = 'receivable_line'"), ==, audit_before + 1);
  /* The new key: a second correction of line 7 fits, the same number does not. */
  exec_sql (f->db, "INSERT INTO receivable_line (contract_id, contract_version_id, "
                   "charge_item_id, kind, period_start, period_end, due_date, amount, "
                   "corrects_line_id, correction_no) SELECT contract_id, contract_version_id, "
                   "charge_item_id, kind, period_start, period_end, due_date, 100, 7, 2 "
                   "FROM receivable_line WHERE id = 9");
  g_assert_false (tenure_db_exec (f->db, "UPDATE receivable_line SET correction_no = 1 "
                                         "WHERE correction_no = 2", &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_CONSTRAINT);
  fixture_tear_down (f, NULL);
}

int
main (int argc, char **argv)
{
  backend = tenure_test_backend_from_args (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/billing/run/idempotent", test_idempotent);
  ADD ("/billing/run/catch-up", test_catch_up);
  ADD ("/billing/run/deposit-billed", test_deposit_billed);
  ADD ("/billing/run/scope", test_scope);
  ADD ("/billing/run/closed-period", test_closed_period);
  ADD ("/billing/run/anomalies", test_anomalies);
  ADD ("/billing/run/concurrent", test_concurrent);
  ADD ("/billing/plan/change", test_change);
  ADD ("/billing/plan/removed-billed", test_removed_billed);
  ADD ("/billing/plan/stale-diff", test_stale_diff);
  ADD ("/billing/property/regenerate", test_property_regenerate);
  ADD ("/billing/plan/two-clauses", test_two_clauses);
  ADD ("/billing/plan/turnover-revised", test_turnover_revised);
  g_test_add_func ("/billing/plan/upgrade-identity", test_upgrade_identity);
#undef ADD
  return g_test_run ();
}
