/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test-contracts"

#include <string.h>

#include <xlsxwriter.h>

#include "base/tenure-error.h"
#include "contracts/tenure-contract-interchange.h"
#include "contracts/tenure-contract-store.h"
#include "demo/tenure-demo.h"
#include "store/tenure-db.h"
#include "tenure-test-db.h"
#include "tenure-test-util.h"

/* Contract storage, validation and interchange, on the backend given by --backend. Every test
 * starts from a fresh database with a small fixed portfolio (two projects, units, tenants). */

static TenureTestBackend backend;

typedef struct
{
  char     *location;
  TenureDb *db;
  char     *dir;
} Fixture;

static void
exec_sql (TenureDb *db, const char *sql)
{
  g_autoptr(GError) error = NULL;

  if (!tenure_db_exec (db, sql, &error))
    g_error ("%s: %s", sql, error->message);
}

static gint64
query (TenureDb *db, const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 value = -1;

  if (!tenure_db_query_int64 (db, sql, &value, &error))
    g_error ("%s: %s", sql, error->message);
  return value;
}

static const char portfolio_sql[] =
  "INSERT INTO legal_entity (code, name) VALUES ('LE1', '星河置业');"
  "INSERT INTO project (code, legal_entity_id, name, format) "
  "  SELECT 'P1', id, '星河中心', 'office' FROM legal_entity;"
  "INSERT INTO project (code, legal_entity_id, name, format) "
  "  SELECT 'P2', id, '星河汇', 'mall' FROM legal_entity;"
  "INSERT INTO building (code, project_id, name) SELECT 'P1-A', id, 'A座' FROM project "
  "  WHERE code = 'P1';"
  "INSERT INTO building (code, project_id, name) SELECT 'P2-A', id, '主楼' FROM project "
  "  WHERE code = 'P2';"
  "INSERT INTO floor (code, building_id, name) SELECT 'P1-A-1', id, '1F' FROM building "
  "  WHERE code = 'P1-A';"
  "INSERT INTO floor (code, building_id, name) SELECT 'P2-A-1', id, '1F' FROM building "
  "  WHERE code = 'P2-A';"
  "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c) "
  "  SELECT 'U1', id, '101', 'office', 25000, 20000 FROM floor WHERE code = 'P1-A-1';"
  "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c) "
  "  SELECT 'U2', id, '102', 'office', 15000, 12050 FROM floor WHERE code = 'P1-A-1';"
  "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c) "
  "  SELECT 'U3', id, '103', 'office', 10000, 8550 FROM floor WHERE code = 'P1-A-1';"
  "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c) "
  "  SELECT 'M1', id, 'L1-01', 'mall', 10000, 8550 FROM floor WHERE code = 'P2-A-1';"
  "INSERT INTO tenant (code, name) VALUES ('T1', '上海云杉科技有限公司');"
  "INSERT INTO tenant (code, name) VALUES ('T2', '杭州青禾餐饮管理有限公司');";

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->location = tenure_test_db_new_location (backend);
  if (f->location == NULL)
    return;
  f->db = tenure_db_open (f->location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  exec_sql (f->db, portfolio_sql);
  f->dir = tenure_test_make_tmpdir ();
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (f->location == NULL)
    return;
  g_clear_object (&f->db);
  tenure_test_db_drop_location (backend, f->location);
  g_free (f->location);
  tenure_test_rm_rf (f->dir);
  g_free (f->dir);
}

#define SKIP_WITHOUT_DB(f) G_STMT_START { if ((f)->db == NULL) return; } G_STMT_END

/* Worked example 1 of domain.md as a contract: an office, 200.00 m² at 5.0000/m²/day,
 * AVG_365_12, quarterly in advance, rent-free Q1 2026, +5 % each 1 January; plus a property
 * fee and a deposit. */
static TenureContract *
example_contract (const char *code, const char *unit, TenureDate start, TenureDate end)
{
  TenureContract *k = tenure_contract_new ();
  TenureContractVersion *v = tenure_contract_version_new ();
  TenureClause *rent = tenure_clause_new ("RENT", TENURE_BASIS_PER_M2_DAY);
  TenureClause *fee = tenure_clause_new ("PROPERTY_FEE", TENURE_BASIS_PER_M2_MONTH);
  TenureClause *deposit = tenure_clause_new ("DEPOSIT", TENURE_BASIS_ONE_OFF);
  TenureDateRange free_q1 = { start, tenure_date_add_days (tenure_date_add_months (start, 3),
                                                          -1) };

  k->code = g_strdup (code);
  k->tenant_code = g_strdup ("T1");
  k->project_code = g_strdup ("P1");
  k->status = TENURE_CONTRACT_ACTIVE;
  k->signed_on = tenure_date_add_days (start, -20);
  k->start_date = start;
  k->end_date = end;
  v->version_no = 1;
  v->effective_from = start;
  v->reason = g_strdup ("新签");
  v->status = TENURE_VERSION_APPROVED;
  v->created_by = g_strdup ("zhang.wei");
  v->approved_by = g_strdup ("liu.yang");
  g_ptr_array_add (v->units, tenure_contract_unit_new (unit, 20000));
  rent->price_e4 = 50000;
  rent->cycle_months = 3;
  rent->days_rule = TENURE_DAYS_AVG_365_12;
  rent->escalation.kind = TENURE_ESCALATION_PERCENT;
  rent->escalation.trigger = TENURE_ESCALATION_BY_DATE;
  rent->escalation.month = 1;
  rent->escalation.day = 1;
  rent->escalation.percent_ppm = 50000;
  g_array_append_val (rent->rent_free, free_q1);
  fee->price_e4 = 300000;
  fee->alignment = TENURE_ALIGN_CALENDAR;
  fee->advance_days = 10;
  deposit->amount = 9125000;
  deposit->starts_on = start;
  deposit->ends_on = start;
  deposit->late_fee_rate_ppm = 0;
  deposit->late_fee_grace_days = 0;
  deposit->late_fee_cap_ppm = 0;
  g_ptr_array_add (v->clauses, rent);
  g_ptr_array_add (v->clauses, fee);
  g_ptr_array_add (v->clauses, deposit);
  g_ptr_array_add (k->versions, v);
  return k;
}

static TenureContract *
example_1 (void)
{
  return example_contract ("HT-2026-001", "U1", tenure_date_from_ymd (2026, 1, 1),
                           tenure_date_from_ymd (2028, 12, 31));
}

/* Field-by-field equality, written here rather than taken from the code under test. Clause
 * dates left open equal the contract's start and end once stored. */
static void
assert_clause_equal (const TenureContract *ke, const TenureClause *e, const TenureClause *a)
{
  g_assert_cmpstr (e->charge_item, ==, a->charge_item);
  g_assert_cmpint (e->basis, ==, a->basis);
  g_assert_cmpint (e->price_e4, ==, a->price_e4);
  g_assert_cmpint (e->amount, ==, a->amount);
  g_assert_cmpint (e->cycle_months, ==, a->cycle_months);
  g_assert_cmpint (e->alignment, ==, a->alignment);
  g_assert_cmpint (e->timing, ==, a->timing);
  g_assert_cmpint (e->advance_days, ==, a->advance_days);
  g_assert_cmpint (e->due_days, ==, a->due_days);
  g_assert_cmpint (e->days_rule, ==, a->days_rule);
  g_assert_cmpint (tenure_date_is_valid (e->starts_on) ? e->starts_on : ke->start_date, ==,
                   a->starts_on);
  g_assert_cmpint (tenure_date_is_valid (e->ends_on) ? e->ends_on : ke->end_date, ==,
                   a->ends_on);
  g_assert_cmpint (e->escalation.kind, ==, a->escalation.kind);
  if (e->escalation.kind != TENURE_ESCALATION_NONE)
    {
      g_assert_cmpint (e->escalation.trigger, ==, a->escalation.trigger);
      g_assert_cmpint (e->escalation.percent_ppm, ==, a->escalation.percent_ppm);
      g_assert_cmpint (e->escalation.delta, ==, a->escalation.delta);
      g_assert_cmpint (e->escalation.every_years, ==, a->escalation.every_years);
      g_assert_cmpint (e->escalation.first_review, ==, a->escalation.first_review);
      if (e->escalation.trigger == TENURE_ESCALATION_BY_DATE
          && e->escalation.kind != TENURE_ESCALATION_TABLE)
        {
          g_assert_cmpint (e->escalation.month, ==, a->escalation.month);
          g_assert_cmpint (e->escalation.day, ==, a->escalation.day);
        }
      g_assert_cmpstr (e->escalation.cpi_series, ==, a->escalation.cpi_series);
      if (e->escalation.kind == TENURE_ESCALATION_CPI)
        {
          g_assert_cmpint (e->escalation.floor_ppm, ==, a->escalation.floor_ppm);
          g_assert_cmpint (e->escalation.cap_ppm, ==, a->escalation.cap_ppm);
          g_assert_cmpint (e->escalation.cpi_lag_months, ==, a->escalation.cpi_lag_months);
        }
      g_assert_cmpuint (e->escalation.table ? e->escalation.table->len : 0, ==,
                        a->escalation.table ? a->escalation.table->len : 0);
      for (guint i = 0; e->escalation.table && i < e->escalation.table->len; i++)
        {
          TenurePriceStep *se = &g_array_index (e->escalation.table, TenurePriceStep, i);
          TenurePriceStep *sa = &g_array_index (a->escalation.table, TenurePriceStep, i);
          g_assert_cmpint (se->from, ==, sa->from);
          g_assert_cmpint (se->value, ==, sa->value);
        }
    }
  g_assert_cmpuint (e->rent_free->len, ==, a->rent_free->len);
  for (guint i = 0; i < e->rent_free->len; i++)
    {
      TenureDateRange *re = &g_array_index (e->rent_free, TenureDateRange, i);
      TenureDateRange *ra = &g_array_index (a->rent_free, TenureDateRange, i);
      g_assert_cmpint (re->start, ==, ra->start);
      g_assert_cmpint (re->end, ==, ra->end);
    }
  g_assert_true ((e->turnover == NULL) == (a->turnover == NULL));
  if (e->turnover != NULL)
    {
      g_assert_cmpint (e->turnover->minimum, ==, a->turnover->minimum);
      g_assert_cmpint (e->turnover->breakpoint, ==, a->turnover->breakpoint);
      g_assert_cmpint (e->turnover->period_months, ==, a->turnover->period_months);
      g_assert_cmpint (e->turnover->due_days, ==, a->turnover->due_days);
      g_assert_cmpuint (e->turnover->tiers->len, ==, a->turnover->tiers->len);
      for (guint i = 0; i < e->turnover->tiers->len; i++)
        {
          TenureTurnoverTier *te = &g_array_index (e->turnover->tiers, TenureTurnoverTier, i);
          TenureTurnoverTier *ta = &g_array_index (a->turnover->tiers, TenureTurnoverTier, i);
          g_assert_cmpint (te->from, ==, ta->from);
          g_assert_cmpint (te->rate_ppm, ==, ta->rate_ppm);
        }
    }
  g_assert_cmpint (e->late_fee_rate_ppm, ==, a->late_fee_rate_ppm);
  g_assert_cmpint (e->late_fee_grace_days, ==, a->late_fee_grace_days);
  g_assert_cmpint (e->late_fee_cap_ppm, ==, a->late_fee_cap_ppm);
}

static void
assert_contract_equal (const TenureContract *e, const TenureContract *a)
{
  g_assert_cmpstr (e->code, ==, a->code);
  g_assert_cmpstr (e->tenant_code, ==, a->tenant_code);
  g_assert_cmpstr (e->project_code, ==, a->project_code);
  g_assert_cmpstr (e->currency, ==, a->currency);
  g_assert_cmpint (e->status, ==, a->status);
  g_assert_cmpint (e->signed_on, ==, a->signed_on);
  g_assert_cmpint (e->start_date, ==, a->start_date);
  g_assert_cmpint (e->end_date, ==, a->end_date);
  g_assert_cmpint (e->terminated_on, ==, a->terminated_on);
  g_assert_cmpint (e->termination_type, ==, a->termination_type);
  g_assert_cmpstr (e->renewal_of, ==, a->renewal_of);
  g_assert_cmpuint (e->versions->len, ==, a->versions->len);
  for (guint v = 0; v < e->versions->len; v++)
    {
      TenureContractVersion *ve = g_ptr_array_index (e->versions, v);
      TenureContractVersion *va = g_ptr_array_index (a->versions, v);

      g_assert_cmpint (ve->version_no, ==, va->version_no);
      g_assert_cmpint (ve->effective_from, ==, va->effective_from);
      g_assert_cmpstr (ve->reason, ==, va->reason);
      g_assert_cmpint (ve->status, ==, va->status);
      g_assert_cmpstr (ve->created_by, ==, va->created_by);
      g_assert_cmpstr (ve->approved_by, ==, va->approved_by);
      g_assert_cmpuint (ve->units->len, ==, va->units->len);
      for (guint u = 0; u < ve->units->len; u++)
        {
          TenureContractUnit *ue = g_ptr_array_index (ve->units, u);
          TenureContractUnit *ua = g_ptr_array_index (va->units, u);
          g_assert_cmpstr (ue->unit_code, ==, ua->unit_code);
          g_assert_cmpint (ue->area_c, ==, ua->area_c);
        }
      g_assert_cmpuint (ve->clauses->len, ==, va->clauses->len);
      for (guint c = 0; c < ve->clauses->len; c++)
        assert_clause_equal (e, g_ptr_array_index (ve->clauses, c),
                             g_ptr_array_index (va->clauses, c));
    }
}

static void
save_ok (TenureDb *db, TenureContract *k)
{
  g_autoptr(GError) error = NULL;

  if (!tenure_contract_store_save (db, k, &error))
    g_error ("saving %s: %s", k->code, error->message);
  g_assert_cmpint (k->id, >, 0);
}

/* Everything a lease can say, stored and loaded back. */
static TenureContract *
rich_contract (void)
{
  TenureContract *k = example_1 ();
  TenureContractVersion *v = g_ptr_array_index (k->versions, 0);
  TenureClause *ad = tenure_clause_new ("ADVERTISING", TENURE_BASIS_FIXED_PERIOD);
  TenureClause *energy = tenure_clause_new ("PARKING", TENURE_BASIS_FIXED_MONTH);
  TenurePriceStep steps[] = { { tenure_date_from_ymd (2027, 1, 1), 650000 },
                              { tenure_date_from_ymd (2028, 1, 1), 700000 } };

  g_ptr_array_add (v->units, tenure_contract_unit_new ("U2", 12050));
  ad->amount = 1800000;
  ad->cycle_months = 6;
  ad->alignment = TENURE_ALIGN_CALENDAR;
  ad->timing = TENURE_TIMING_ARREARS;
  ad->due_days = 15;
  ad->starts_on = tenure_date_from_ymd (2026, 4, 1);
  ad->escalation.kind = TENURE_ESCALATION_TABLE;
  ad->escalation.trigger = TENURE_ESCALATION_BY_DATE;
  ad->escalation.table = g_array_new (FALSE, FALSE, sizeof (TenurePriceStep));
  g_array_append_vals (ad->escalation.table, steps, G_N_ELEMENTS (steps));
  energy->amount = 80000;
  energy->days_rule = TENURE_DAYS_FIXED_30;
  energy->escalation.kind = TENURE_ESCALATION_AMOUNT;
  energy->escalation.delta = 5000;
  energy->escalation.every_years = 2;
  energy->escalation.first_review = tenure_date_from_ymd (2027, 1, 1);
  energy->late_fee_rate_ppm = 1000;
  energy->late_fee_grace_days = 10;
  energy->late_fee_cap_ppm = 200000;
  g_ptr_array_add (v->clauses, ad);
  g_ptr_array_add (v->clauses, energy);
  return k;
}

static void
test_round_trip (Fixture *f, gconstpointer data)
{
  g_autoptr(TenureContract) k = NULL;
  g_autoptr(TenureContract) loaded = NULL;
  g_autoptr(TenureContract) by_id = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  TenureContractVersion *v;

  SKIP_WITHOUT_DB (f);
  k = rich_contract ();
  save_ok (f->db, k);
  v = g_ptr_array_index (k->versions, 0);
  g_assert_cmpint (v->id, >, 0);
  g_assert_cmpint (((TenureClause *) g_ptr_array_index (v->clauses, 0))->id, >, 0);

  loaded = tenure_contract_store_load (f->db, "HT-2026-001", &error);
  g_assert_no_error (error);
  assert_contract_equal (k, loaded);
  g_assert_cmpint (loaded->id, ==, k->id);
  by_id = tenure_contract_store_load_by_id (f->db, k->id, &error);
  g_assert_no_error (error);
  assert_contract_equal (k, by_id);

  /* The rows themselves, as other layers and reports read them. */
  g_assert_cmpint (query (f->db, "SELECT count(*) FROM contract_unit"), ==, 2);
  g_assert_cmpint (query (f->db, "SELECT sum(area_c) FROM contract_unit"), ==, 32050);
  g_assert_cmpint (query (f->db, "SELECT count(*) FROM clause"), ==, 5);
  g_assert_cmpint (query (f->db, "SELECT price_e4 FROM clause c JOIN charge_item i "
                                 "ON i.id = c.charge_item_id WHERE i.code = 'RENT'"), ==, 50000);
  g_assert_cmpint (query (f->db, "SELECT count(*) FROM rent_free WHERE from_date = "
                                 "'2026-01-01' AND to_date = '2026-03-31'"), ==, 1);
  /* An arrears clause keeps its due days in the advance_days column. */
  g_assert_cmpint (query (f->db, "SELECT advance_days FROM clause WHERE timing = 'arrears'"),
                   ==, 15);
  g_assert_cmpint (query (f->db, "SELECT count(*) FROM contract_version WHERE approved_at "
                                 "IS NOT NULL AND approved_by = 'liu.yang'"), ==, 1);

  list = tenure_contract_store_list (f->db, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((TenureContractSummary *) g_ptr_array_index (list, 0))->code, ==,
                   "HT-2026-001");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = tenure_contract_store_list (f->db, "P2", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);

  g_assert_null (tenure_contract_store_load (f->db, "HT-NONE", &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "HT-NONE"));
}

static void
test_turnover_and_cpi_round_trip (Fixture *f, gconstpointer data)
{
  g_autoptr(TenureContract) k = tenure_contract_new ();
  g_autoptr(TenureContract) loaded = NULL;
  g_autoptr(GError) error = NULL;
  TenureContractVersion *v = tenure_contract_version_new ();
  TenureClause *rent = tenure_clause_new ("RENT", TENURE_BASIS_TURNOVER);
  TenureClause *fee = tenure_clause_new ("PROPERTY_FEE", TENURE_BASIS_PER_M2_MONTH);
  TenureTurnoverTier tiers[] = { { 0, 80000 }, { 100000000, 60000 } };
  GString *cpi = g_string_new (NULL);

  SKIP_WITHOUT_DB (f);
  /* CPI months for the whole term, so the engine has every index it needs. */
  for (int y = 2025; y <= 2029; y++)
    for (int m = 1; m <= 12; m++)
      g_string_append_printf (cpi, "INSERT INTO cpi_index (series, period, value_e4) VALUES "
                                   "('CN-CPI', '%04d-%02d', %d);", y, m, 1000000 + y * 100 + m);
  exec_sql (f->db, cpi->str);
  g_string_free (cpi, TRUE);

  k->code = g_strdup ("HT-MALL-7");
  k->tenant_code = g_strdup ("T2");
  k->project_code = g_strdup ("P2");
  k->status = TENURE_CONTRACT_ACTIVE;
  k->start_date = tenure_date_from_ymd (2026, 3, 10);
  k->end_date = tenure_date_from_ymd (2029, 3, 9);
  v->effective_from = k->start_date;
  v->status = TENURE_VERSION_APPROVED;
  g_ptr_array_add (v->units, tenure_contract_unit_new ("M1", 8550));
  rent->amount = 5000000;
  rent->turnover = g_new0 (TenureTurnoverTerms, 1);
  rent->turnover->minimum = 5000000;
  rent->turnover->breakpoint = 70000000;
  rent->turnover->period_months = 1;
  rent->turnover->due_days = 10;
  rent->turnover->tiers = g_array_new (FALSE, FALSE, sizeof (TenureTurnoverTier));
  g_array_append_vals (rent->turnover->tiers, tiers, G_N_ELEMENTS (tiers));
  fee->price_e4 = 3200000;
  fee->alignment = TENURE_ALIGN_CALENDAR;
  fee->escalation.kind = TENURE_ESCALATION_CPI;
  fee->escalation.cpi_series = g_strdup ("CN-CPI");
  fee->escalation.floor_ppm = 0;
  fee->escalation.cap_ppm = 50000;
  g_ptr_array_add (v->clauses, rent);
  g_ptr_array_add (v->clauses, fee);
  g_ptr_array_add (k->versions, v);
  save_ok (f->db, k);
  loaded = tenure_contract_store_load (f->db, "HT-MALL-7", &error);
  g_assert_no_error (error);
  assert_contract_equal (k, loaded);
}

/* Imports the JSON text into the fixture's database; returns the problems. */
static GPtrArray *
import_text (Fixture *f, const char *name, const char *text, gboolean expect_ok, guint *n)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (
      (GDestroyNotify) tenure_contract_problem_free);
  g_autoptr(GError) error = NULL;
  guint count = 0;
  gboolean ok;

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  ok = tenure_contract_import_file (f->db, path, problems, &count, &error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s",
                    ((TenureContractProblem *) g_ptr_array_index (problems, i))->message);
  if (expect_ok)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_cmpuint (problems->len, ==, 0);
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
      g_assert_cmpuint (count, ==, 0);
    }
  if (n)
    *n = count;
  return g_steal_pointer (&problems);
}

static void
test_json_round_trip (Fixture *f, gconstpointer data)
{
  g_autoptr(TenureContract) k = NULL;
  g_autoptr(TenureContract) first = NULL;
  g_autoptr(TenureContract) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;
  g_autofree char *second_location = NULL;
  g_autoptr(TenureDb) second = NULL;
  TenureDb *saved;
  guint n = 0;

  SKIP_WITHOUT_DB (f);
  k = rich_contract ();
  save_ok (f->db, k);
  first = tenure_contract_store_load (f->db, k->code, &error);
  g_assert_no_error (error);
  json = tenure_contract_to_json (first);
  g_assert_nonnull (strstr (json, "\"schema\" : \"tenure.contract/1\""));

  /* Into a second database with the same portfolio. */
  second_location = tenure_test_db_new_location (backend);
  second = tenure_db_open (second_location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  exec_sql (second, portfolio_sql);
  saved = f->db;
  f->db = second;
  problems = import_text (f, "export.json", json, TRUE, &n);
  f->db = saved;
  g_assert_cmpuint (n, ==, 1);
  again = tenure_contract_store_load (second, k->code, &error);
  g_assert_no_error (error);
  assert_contract_equal (first, again);
  json2 = tenure_contract_to_json (again);
  g_assert_cmpstr (json, ==, json2);
  g_clear_object (&second);
  tenure_test_db_drop_location (backend, second_location);
}

/* A hand-written document with only the required members: the defaults of the schema. */
static void
test_json_defaults (Fixture *f, gconstpointer data)
{
  static const char json[] =
    "{\"schema\":\"tenure.contract/1\",\"contracts\":[{\"code\":\"J-MIN\","
    "\"tenant\":\"T1\",\"project\":\"P1\",\"start_date\":\"2026-03-10\","
    "\"end_date\":\"2027-03-09\",\"versions\":[{\"units\":[{\"unit\":\"U3\","
    "\"area_c\":8550}],\"clauses\":[{\"charge_item\":\"RENT\","
    "\"basis\":\"per_m2_month\",\"price_e4\":3200000}]}]}]}";
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(TenureContract) k = NULL;
  g_autoptr(GError) error = NULL;
  TenureContractVersion *v;
  TenureClause *c;
  guint n = 0;

  SKIP_WITHOUT_DB (f);
  problems = import_text (f, "min.json", json, TRUE, &n);
  g_assert_cmpuint (n, ==, 1);
  k = tenure_contract_store_load (f->db, "J-MIN", &error);
  g_assert_no_error (error);
  g_assert_cmpint (k->status, ==, TENURE_CONTRACT_ACTIVE);
  g_assert_cmpstr (k->currency, ==, "CNY");
  v = g_ptr_array_index (k->versions, 0);
  g_assert_cmpint (v->version_no, ==, 1);
  g_assert_cmpint (v->status, ==, TENURE_VERSION_APPROVED);
  g_assert_cmpint (v->effective_from, ==, tenure_date_from_ymd (2026, 3, 10));
  c = g_ptr_array_index (v->clauses, 0);
  g_assert_cmpint (c->cycle_months, ==, 1);
  g_assert_cmpint (c->alignment, ==, TENURE_ALIGN_ANNIVERSARY);
  g_assert_cmpint (c->timing, ==, TENURE_TIMING_ADVANCE);
  g_assert_cmpint (c->days_rule, ==, TENURE_DAYS_ACTUAL);
  g_assert_cmpint (c->starts_on, ==, k->start_date);
  g_assert_cmpint (c->ends_on, ==, k->end_date);
  g_assert_cmpint (c->late_fee_rate_ppm, ==, 500);
  g_assert_cmpint (c->late_fee_grace_days, ==, 5);
  g_assert_cmpint (c->late_fee_cap_ppm, ==, 300000);
  g_assert_cmpint (query (f->db, "SELECT price_e4 FROM clause"), ==, 3200000);
}

static const char bad_json[] =
  "{\"schema\":\"tenure.contract/1\",\"contracts\":["
  "{\"code\":\"J1\",\"tenant\":\"T1\",\"project\":\"P1\",\"start_date\":\"2026-01-01\","
  " \"end_date\":\"2026-12-31\",\"versions\":[{\"units\":[{\"unit\":\"U1\",\"area_c\":\"200\"}],"
  " \"clauses\":[{\"charge_item\":\"RENT\",\"basis\":\"per_m2_week\",\"price_e4\":1}]}]},"
  "{\"code\":\"J2\",\"tenant\":\"T1\",\"project\":\"P1\",\"start_date\":\"2026-02-30\","
  " \"end_date\":\"2026-12-31\",\"versions\":[{\"units\":[{\"unit\":\"U2\",\"area_c\":100}],"
  " \"clauses\":[{\"charge_item\":\"RENT\",\"basis\":\"fixed_month\",\"amount\":1.5}]}]}]}";

static void
test_json_errors (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "old.json", NULL);
  guint n = 0;
  gboolean saw[4] = { FALSE };

  SKIP_WITHOUT_DB (f);
  problems = import_text (f, "bad.json", bad_json, FALSE, &n);
  for (guint i = 0; i < problems->len; i++)
    {
      const char *m = ((TenureContractProblem *) g_ptr_array_index (problems, i))->message;
      g_assert_true (g_str_has_prefix (m, "bad.json: contracts["));
      saw[0] |= strstr (m, "contracts[0] (J1).versions[0].units[0]: area_c") != NULL;
      saw[1] |= strstr (m, "contracts[0] (J1).versions[0].clauses[0]: basis") != NULL
                && strstr (m, "per_m2_week") != NULL;
      saw[2] |= strstr (m, "contracts[1] (J2): start_date") != NULL;
      saw[3] |= strstr (m, "contracts[1] (J2).versions[0].clauses[0]: amount") != NULL;
    }
  g_assert_true (saw[0] && saw[1] && saw[2] && saw[3]);
  g_assert_cmpint (query (f->db, "SELECT count(*) FROM contract"), ==, 0);

  /* Another schema is refused as a whole. */
  g_clear_pointer (&problems, g_ptr_array_unref);
  problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_contract_problem_free);
  g_assert_true (g_file_set_contents (path, "{\"schema\":\"tenure.contract/2\","
                                            "\"contracts\":[]}", -1, NULL));
  g_assert_false (tenure_contract_import_file (f->db, path, problems, &n, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "tenure.contract/1"));
}

/* ---------------------------------------------------------------------------------------------
 * Template */

static const char *const template_header[] = {
  "contract_code", "tenant", "project", "status", "signed_on", "start_date", "end_date",
  "units", "charge_item", "basis", "price", "amount", "cycle_months", "alignment", "timing",
  "advance_days", "days_rule", "rent_free", "escalation", "escalation_by", "escalation_value",
  "escalation_date", NULL
};

/* Two contracts, three clause rows: HT-A with rent and fee, HT-B fixed monthly. */
static const char *const template_rows[][22] = {
  { "HT-A", "T1", "P1", "active", "2025-12-10", "2026-01-01", "2028-12-31",
    "U1=200.00; U2=120.50", "RENT", "per_m2_day", "5.0000", "", "3", "anniversary",
    "advance", "0", "AVG_365_12", "2026-01-01..2026-03-31", "percent", "date", "5%", "01-01" },
  { "HT-A", "T1", "P1", "active", "2025-12-10", "2026-01-01", "2028-12-31",
    "U1=200.00; U2=120.50", "PROPERTY_FEE", "per_m2_month", "30", "", "1", "calendar",
    "advance", "", "ACTUAL", "", "", "", "", "" },
  { "HT-B", "T2", "P1", "active", "", "2026/3/10", "2027/3/9",
    "U3=85.50", "RENT", "fixed_month", "", "27,360.00", "1", "calendar", "advance", "5",
    "ACTUAL", "", "amount", "lease_year", "1000", "" },
};

static char *
csv_field (const char *text)
{
  if (strpbrk (text, ",\"\n") == NULL)
    return g_strdup (text);
  {
    g_autoptr(GString) s = g_string_new (text);
    g_string_replace (s, "\"", "\"\"", 0);
    g_string_prepend_c (s, '"');
    g_string_append_c (s, '"');
    return g_string_free (g_steal_pointer (&s), FALSE);
  }
}

static char *
write_template_csv (Fixture *f, const char *name, const char *const (*rows)[22], guint n_rows)
{
  g_autoptr(GString) s = g_string_new (NULL);
  char *path = g_build_filename (f->dir, name, NULL);

  for (guint c = 0; template_header[c]; c++)
    g_string_append_printf (s, "%s%s", c ? "," : "", template_header[c]);
  g_string_append (s, "\r\n");
  for (guint r = 0; r < n_rows; r++)
    {
      for (guint c = 0; c < 22; c++)
        {
          g_autofree char *field = csv_field (rows[r][c]);
          g_string_append_printf (s, "%s%s", c ? "," : "", field);
        }
      g_string_append (s, "\r\n");
    }
  g_assert_true (g_file_set_contents (path, s->str, (gssize) s->len, NULL));
  return path;
}

static void
import_path (Fixture *f, const char *path, guint expect)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (
      (GDestroyNotify) tenure_contract_problem_free);
  g_autoptr(GError) error = NULL;
  guint n = 0;
  gboolean ok = tenure_contract_import_file (f->db, path, problems, &n, &error);

  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s",
                    ((TenureContractProblem *) g_ptr_array_index (problems, i))->message);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (n, ==, expect);
}

static void
check_template_rows (Fixture *f)
{
  g_autoptr(TenureContract) a = NULL;
  g_autoptr(TenureContract) b = NULL;
  g_autoptr(GError) error = NULL;
  TenureClause *rent, *fee;
  TenureContractVersion *v;

  g_assert_cmpint (query (f->db, "SELECT count(*) FROM contract"), ==, 2);
  g_assert_cmpint (query (f->db, "SELECT count(*) FROM clause"), ==, 3);
  g_assert_cmpint (query (f->db, "SELECT count(*) FROM contract_unit"), ==, 3);
  g_assert_cmpint (query (f->db, "SELECT count(*) FROM rent_free"), ==, 1);
  a = tenure_contract_store_load (f->db, "HT-A", &error);
  g_assert_no_error (error);
  g_assert_cmpint (a->start_date, ==, tenure_date_from_ymd (2026, 1, 1));
  g_assert_cmpint (a->signed_on, ==, tenure_date_from_ymd (2025, 12, 10));
  v = g_ptr_array_index (a->versions, 0);
  g_assert_cmpint (v->status, ==, TENURE_VERSION_APPROVED);
  g_assert_cmpint (tenure_contract_version_area (v), ==, 32050);
  rent = g_ptr_array_index (v->clauses, 0);
  fee = g_ptr_array_index (v->clauses, 1);
  g_assert_cmpint (rent->price_e4, ==, 50000);
  g_assert_cmpint (rent->cycle_months, ==, 3);
  g_assert_cmpint (rent->days_rule, ==, TENURE_DAYS_AVG_365_12);
  g_assert_cmpint (rent->escalation.kind, ==, TENURE_ESCALATION_PERCENT);
  g_assert_cmpint (rent->escalation.percent_ppm, ==, 50000);
  g_assert_cmpint (rent->escalation.trigger, ==, TENURE_ESCALATION_BY_DATE);
  g_assert_cmpint (rent->escalation.month, ==, 1);
  g_assert_cmpint (rent->rent_free->len, ==, 1);
  g_assert_cmpint (g_array_index (rent->rent_free, TenureDateRange, 0).end, ==,
                   tenure_date_from_ymd (2026, 3, 31));
  g_assert_cmpint (fee->price_e4, ==, 300000);
  g_assert_cmpint (fee->alignment, ==, TENURE_ALIGN_CALENDAR);
  b = tenure_contract_store_load (f->db, "HT-B", &error);
  g_assert_no_error (error);
  g_assert_cmpint (b->start_date, ==, tenure_date_from_ymd (2026, 3, 10));
  v = g_ptr_array_index (b->versions, 0);
  rent = g_ptr_array_index (v->clauses, 0);
  g_assert_cmpint (rent->amount, ==, 2736000);
  g_assert_cmpint (rent->advance_days, ==, 5);
  g_assert_cmpint (rent->escalation.kind, ==, TENURE_ESCALATION_AMOUNT);
  g_assert_cmpint (rent->escalation.delta, ==, 100000);
}

static void
test_template_csv (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;

  SKIP_WITHOUT_DB (f);
  path = write_template_csv (f, "leases.csv", template_rows, G_N_ELEMENTS (template_rows));
  import_path (f, path, 2);
  check_template_rows (f);
}

static void
test_template_xlsx (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  lxw_workbook *wb;
  lxw_worksheet *ws;
  lxw_format *date_format;

  SKIP_WITHOUT_DB (f);
  path = g_build_filename (f->dir, "租赁合同.xlsx", NULL);
  wb = workbook_new (path);
  ws = workbook_add_worksheet (wb, "合同");
  date_format = workbook_add_format (wb);
  format_set_num_format (date_format, "yyyy-mm-dd");
  /* A title line above the header, as people make templates. */
  worksheet_write_string (ws, 0, 0, "合同导入模板", NULL);
  for (int c = 0; template_header[c]; c++)
    worksheet_write_string (ws, 1, (lxw_col_t) c, template_header[c], NULL);
  for (guint r = 0; r < G_N_ELEMENTS (template_rows); r++)
    for (int c = 0; c < 22; c++)
      {
        const char *text = template_rows[r][c];
        lxw_row_t row = (lxw_row_t) (r + 2);
        int y, m, d;

        if (*text == '\0')
          continue;
        /* Dates as real date cells, counts and prices as numbers, the rest as text. */
        if ((c == 4 || c == 5 || c == 6) && strlen (text) == 10 && text[4] == '-')
          {
            lxw_datetime dt = { 0 };
            y = atoi (text);
            m = atoi (text + 5);
            d = atoi (text + 8);
            dt.year = y;
            dt.month = m;
            dt.day = d;
            worksheet_write_datetime (ws, row, (lxw_col_t) c, &dt, date_format);
          }
        else if (c == 10 || c == 12 || c == 15)
          worksheet_write_number (ws, row, (lxw_col_t) c, g_ascii_strtod (text, NULL), NULL);
        else
          worksheet_write_string (ws, row, (lxw_col_t) c, text, NULL);
      }
  g_assert_cmpint (workbook_close (wb), ==, LXW_NO_ERROR);
  import_path (f, path, 2);
  check_template_rows (f);
}

static gint64
count_rows (TenureDb *db)
{
  return query (db, "SELECT (SELECT count(*) FROM contract) * 1000000 "
                    "+ (SELECT count(*) FROM contract_version) * 10000 "
                    "+ (SELECT count(*) FROM clause) * 100 + (SELECT count(*) FROM rent_free) "
                    "+ (SELECT count(*) FROM contract_unit) * 1000");
}

typedef struct
{
  guint       row;
  const char *column;   /* CSV column number */
  const char *needle;
} Expected;

static void
test_template_errors (Fixture *f, gconstpointer data)
{
  /* Row 2 good, then a bad date (line 3), an unknown basis (4), a zero price (5, found by
   * validation), an unknown unit (6), an unknown charge item (7), end before start (8). */
  static const char *const rows[][22] = {
    { "HT-OK", "T1", "P1", "active", "", "2026-01-01", "2026-12-31", "U1=200", "RENT",
      "fixed_month", "", "1000.00", "1", "", "", "", "", "", "", "", "", "" },
    { "HT-E1", "T1", "P1", "active", "", "2026-13-01", "2026-12-31", "U2=100", "RENT",
      "fixed_month", "", "1000.00", "1", "", "", "", "", "", "", "", "", "" },
    { "HT-E2", "T1", "P1", "active", "", "2026-01-01", "2026-12-31", "U2=100", "RENT",
      "per_m2_week", "5", "", "1", "", "", "", "", "", "", "", "", "" },
    { "HT-E3", "T1", "P1", "active", "", "2027-01-01", "2027-12-31", "U3=85.5", "RENT",
      "per_m2_month", "0", "", "1", "", "", "", "", "", "", "", "", "" },
    { "HT-E4", "T1", "P1", "active", "", "2028-01-01", "2028-12-31", "U9=50", "RENT",
      "fixed_month", "", "1000.00", "1", "", "", "", "", "", "", "", "", "" },
    { "HT-E5", "T1", "P1", "active", "", "2029-01-01", "2029-12-31", "U2=50", "WATER_FEE",
      "fixed_month", "", "1000.00", "1", "", "", "", "", "", "", "", "", "" },
    { "HT-E6", "T1", "P1", "active", "", "2030-01-01", "2029-12-31", "U3=50", "RENT",
      "fixed_month", "", "1000.00", "1", "", "", "", "", "", "", "", "", "" },
  };
  static const Expected expected[] = {
    { 3, "6", "2026-13-01" },
    { 4, "10", "per_m2_week" },
    { 5, "11", "HT-E3" },
    { 6, "8", "U9" },
    { 7, "9", "WATER_FEE" },
    { 8, "7", "HT-E6" },
  };
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (
      (GDestroyNotify) tenure_contract_problem_free);
  g_autoptr(GError) error = NULL;
  gint64 before;
  guint n = 99;

  SKIP_WITHOUT_DB (f);
  before = count_rows (f->db);
  path = write_template_csv (f, "errors.csv", rows, G_N_ELEMENTS (rows));
  g_assert_false (tenure_contract_import_file (f->db, path, problems, &n, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "errors.csv"));
  g_assert_cmpuint (n, ==, 0);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s",
                    ((TenureContractProblem *) g_ptr_array_index (problems, i))->message);
  for (guint e = 0; e < G_N_ELEMENTS (expected); e++)
    {
      gboolean found = FALSE;
      g_autofree char *place = g_strdup_printf ("errors.csv, line %u, column %s (",
                                                expected[e].row, expected[e].column);

      for (guint i = 0; i < problems->len && !found; i++)
        {
          const TenureContractProblem *p = g_ptr_array_index (problems, i);
          found = p->row == expected[e].row && g_strcmp0 (p->column, expected[e].column) == 0
                  && g_str_has_prefix (p->message, place)
                  && strstr (p->message, expected[e].needle) != NULL;
        }
      if (!found)
        g_error ("no problem at line %u, column %s mentioning %s", expected[e].row,
                 expected[e].column, expected[e].needle);
    }
  /* Nothing was written, not even the good contract. */
  g_assert_cmpint (count_rows (f->db), ==, before);
  g_assert_cmpint (query (f->db, "SELECT count(*) FROM contract WHERE code = 'HT-OK'"), ==, 0);
}

static void
test_template_inconsistent_rows (Fixture *f, gconstpointer data)
{
  static const char *const rows[][22] = {
    { "HT-A", "T1", "P1", "active", "", "2026-01-01", "2026-12-31", "U1=200", "RENT",
      "fixed_month", "", "1000.00", "1", "", "", "", "", "", "", "", "", "" },
    { "HT-A", "T2", "P1", "active", "", "2026-01-01", "2026-12-31", "U1=200", "PROPERTY_FEE",
      "fixed_month", "", "100.00", "1", "", "", "", "", "", "", "", "", "" },
  };
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (
      (GDestroyNotify) tenure_contract_problem_free);
  g_autoptr(GError) error = NULL;
  const TenureContractProblem *p;
  guint n;

  SKIP_WITHOUT_DB (f);
  path = write_template_csv (f, "mixed.csv", rows, G_N_ELEMENTS (rows));
  g_assert_false (tenure_contract_import_file (f->db, path, problems, &n, &error));
  g_assert_cmpuint (problems->len, ==, 1);
  p = g_ptr_array_index (problems, 0);
  g_assert_cmpuint (p->row, ==, 3);
  g_assert_cmpstr (p->column, ==, "2");
  g_assert_cmpstr (p->field, ==, "tenant");
  g_assert_nonnull (strstr (p->message, "row 2"));
  g_assert_cmpint (query (f->db, "SELECT count(*) FROM contract"), ==, 0);
}

/* The cells for turnover tiers, CPI and table escalation, Chinese headers and rent-free ranges
 * written with 至, read to exact values. */
static void
test_template_lease_types (Fixture *f, gconstpointer data)
{
  static const char csv[] =
    "合同编号,租户编号,项目编号,起租日期,到期日期,单元及面积,收费项目,计价方式,单价,金额,"
    "账期月数,收取方式,账期后天数,免租期,递增方式,递增基准,递增值,CPI下限,CPI上限,扣点,"
    "人工保底点,滞纳金日费率,滞纳金宽限天数,滞纳金上限\n"
    "HT-M1,T2,P2,2026-03-10,2029-03-09,M1=85.50,RENT,turnover,,\"50,000.00\",1,arrears,10,"
    "2026-03-10至2026-04-09,,,,,,\"0=8%; 1,000,000.00=6%\",700000,0.1%,3,20%\n"
    "HT-M1,T2,P2,2026-03-10,2029-03-09,M1=85.50,PROPERTY_FEE,per_m2_month,32,,3,,,,cpi,,"
    "CN-CPI,0%,5%,,,,,\n"
    "HT-M1,T2,P2,2026-03-10,2029-03-09,M1=85.50,ADVERTISING,fixed_month,,\"10,000.00\",1,,,,"
    "table,date,\"2027-01-01=10,500.00；2028-01-01=11,000.00\",,,,,0,,\n";
  g_autofree char *path = g_build_filename (f->dir, "商铺.csv", NULL);
  g_autoptr(TenureContract) k = NULL;
  g_autoptr(GError) error = NULL;
  TenureContractVersion *v;
  TenureClause *c;
  TenureTurnoverTier *tier;
  TenurePriceStep *step;

  SKIP_WITHOUT_DB (f);
  g_assert_true (g_file_set_contents (path, csv, -1, NULL));
  import_path (f, path, 1);
  k = tenure_contract_store_load (f->db, "HT-M1", &error);
  g_assert_no_error (error);
  v = g_ptr_array_index (k->versions, 0);
  g_assert_cmpuint (v->clauses->len, ==, 3);
  g_assert_cmpint (tenure_contract_version_area (v), ==, 8550);

  c = g_ptr_array_index (v->clauses, 0);
  g_assert_cmpint (c->basis, ==, TENURE_BASIS_TURNOVER);
  g_assert_cmpint (c->timing, ==, TENURE_TIMING_ARREARS);
  g_assert_cmpint (c->due_days, ==, 10);
  g_assert_nonnull (c->turnover);
  g_assert_cmpint (c->turnover->minimum, ==, 5000000);
  g_assert_cmpint (c->turnover->breakpoint, ==, 70000000);
  g_assert_cmpint (c->turnover->due_days, ==, 10);
  g_assert_cmpuint (c->turnover->tiers->len, ==, 2);
  tier = &g_array_index (c->turnover->tiers, TenureTurnoverTier, 1);
  g_assert_cmpint (tier->from, ==, 100000000);
  g_assert_cmpint (tier->rate_ppm, ==, 60000);
  g_assert_cmpint (g_array_index (c->turnover->tiers, TenureTurnoverTier, 0).rate_ppm, ==,
                   80000);
  g_assert_cmpuint (c->rent_free->len, ==, 1);
  g_assert_cmpint (g_array_index (c->rent_free, TenureDateRange, 0).end, ==,
                   tenure_date_from_ymd (2026, 4, 9));
  g_assert_cmpint (c->late_fee_rate_ppm, ==, 1000);
  g_assert_cmpint (c->late_fee_grace_days, ==, 3);
  g_assert_cmpint (c->late_fee_cap_ppm, ==, 200000);

  c = g_ptr_array_index (v->clauses, 1);
  g_assert_cmpint (c->price_e4, ==, 320000);
  g_assert_cmpint (c->cycle_months, ==, 3);
  g_assert_cmpint (c->escalation.kind, ==, TENURE_ESCALATION_CPI);
  g_assert_cmpstr (c->escalation.cpi_series, ==, "CN-CPI");
  g_assert_cmpint (c->escalation.floor_ppm, ==, 0);
  g_assert_cmpint (c->escalation.cap_ppm, ==, 50000);

  c = g_ptr_array_index (v->clauses, 2);
  g_assert_cmpint (c->amount, ==, 1000000);
  g_assert_cmpint (c->escalation.kind, ==, TENURE_ESCALATION_TABLE);
  g_assert_cmpuint (c->escalation.table->len, ==, 2);
  step = &g_array_index (c->escalation.table, TenurePriceStep, 1);
  g_assert_cmpint (step->from, ==, tenure_date_from_ymd (2028, 1, 1));
  g_assert_cmpint (step->value, ==, 1100000);
  g_assert_cmpint (c->late_fee_rate_ppm, ==, 0);
}

/* Two rows of one file leasing the same unit for overlapping dates: the second is refused
 * against the first, which is not in the database yet. */
static void
test_template_overlap_within_file (Fixture *f, gconstpointer data)
{
  static const char *const rows[][22] = {
    { "HT-F1", "T1", "P1", "active", "", "2026-01-01", "2026-12-31", "U1=200", "RENT",
      "fixed_month", "", "1000.00", "1", "", "", "", "", "", "", "", "", "" },
    { "HT-F2", "T2", "P1", "active", "", "2026-12-31", "2027-12-31", "U1=200", "RENT",
      "fixed_month", "", "1000.00", "1", "", "", "", "", "", "", "", "", "" },
  };
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (
      (GDestroyNotify) tenure_contract_problem_free);
  g_autoptr(GError) error = NULL;
  const TenureContractProblem *p;
  guint n;

  SKIP_WITHOUT_DB (f);
  path = write_template_csv (f, "pair.csv", rows, G_N_ELEMENTS (rows));
  g_assert_false (tenure_contract_import_file (f->db, path, problems, &n, &error));
  g_assert_cmpuint (problems->len, ==, 1);
  p = g_ptr_array_index (problems, 0);
  g_test_message ("%s", p->message);
  g_assert_cmpuint (p->row, ==, 3);
  g_assert_cmpstr (p->column, ==, "8");
  g_assert_nonnull (strstr (p->message, "HT-F1"));
  g_assert_nonnull (strstr (p->message, "U1"));
  g_assert_cmpint (query (f->db, "SELECT count(*) FROM contract"), ==, 0);
}

/* Places in a workbook are sheet, row and column letters. */
static void
test_template_xlsx_errors (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "bad.xlsx", NULL);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (
      (GDestroyNotify) tenure_contract_problem_free);
  g_autoptr(GError) error = NULL;
  lxw_workbook *wb;
  lxw_worksheet *ws;
  const TenureContractProblem *p;
  guint n;
  /* 合同编号 … with Chinese headers; the price has five decimals (refused, not rounded). */
  static const char *const header[] = { "合同编号", "租户编号", "项目编号", "起租日期",
                                        "到期日期", "单元及面积", "收费项目", "计价方式",
                                        "单价", NULL };
  static const char *const row[] = { "HT-X1", "T1", "P1", "2026-01-01", "2026-12-31",
                                     "U1=200", "RENT", "per_m2_day", "5.00001", NULL };

  SKIP_WITHOUT_DB (f);
  wb = workbook_new (path);
  ws = workbook_add_worksheet (wb, "合同");
  for (int c = 0; header[c]; c++)
    {
      worksheet_write_string (ws, 0, (lxw_col_t) c, header[c], NULL);
      worksheet_write_string (ws, 1, (lxw_col_t) c, row[c], NULL);
    }
  g_assert_cmpint (workbook_close (wb), ==, LXW_NO_ERROR);
  g_assert_false (tenure_contract_import_file (f->db, path, problems, &n, &error));
  g_assert_cmpuint (problems->len, ==, 1);
  p = g_ptr_array_index (problems, 0);
  g_test_message ("%s", p->message);
  g_assert_true (g_str_has_prefix (p->message, "bad.xlsx, sheet 合同, row 2, column I (单价): "));
  g_assert_cmpstr (p->column, ==, "I");
  g_assert_cmpuint (p->row, ==, 2);
  g_assert_cmpint (query (f->db, "SELECT count(*) FROM contract"), ==, 0);
}

/* ---------------------------------------------------------------------------------------------
 * Validation */

/* Saves K expecting a refusal whose message names the contract and contains NEEDLE. */
static void
save_refused (TenureDb *db, TenureContract *k, const char *needle)
{
  g_autoptr(GError) error = NULL;
  gint64 before = query (db, "SELECT count(*) FROM contract");

  g_assert_false (tenure_contract_store_save (db, k, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_test_message ("refused: %s", error->message);
  g_assert_nonnull (strstr (error->message, k->code));
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, needle);
  g_assert_cmpint (k->id, ==, 0);
  g_assert_cmpint (query (db, "SELECT count(*) FROM contract"), ==, before);
}

static TenureClause *
rent_clause (TenureContract *k)
{
  return g_ptr_array_index (((TenureContractVersion *) g_ptr_array_index (k->versions, 0))
                            ->clauses, 0);
}

static void
test_overlap (Fixture *f, gconstpointer data)
{
  g_autoptr(TenureContract) first = NULL;
  g_autoptr(TenureContract) overlapping = NULL;
  g_autoptr(TenureContract) after = NULL;
  g_autoptr(TenureContract) draft = NULL;

  SKIP_WITHOUT_DB (f);
  first = example_1 ();
  save_ok (f->db, first);
  /* Same unit, from 2028-06-01: overlaps the last seven months. */
  overlapping = example_contract ("HT-2028-002", "U1", tenure_date_from_ymd (2028, 6, 1),
                                  tenure_date_from_ymd (2030, 5, 31));
  save_refused (f->db, overlapping, "HT-2026-001");
  /* The day after it ends is free; a draft never blocks nor is blocked. */
  after = example_contract ("HT-2029-003", "U1", tenure_date_from_ymd (2029, 1, 1),
                            tenure_date_from_ymd (2031, 12, 31));
  save_ok (f->db, after);
  draft = example_contract ("HT-DRAFT", "U1", tenure_date_from_ymd (2027, 1, 1),
                            tenure_date_from_ymd (2027, 12, 31));
  draft->status = TENURE_CONTRACT_DRAFT;
  save_ok (f->db, draft);
}

static void
test_overlap_after_termination (Fixture *f, gconstpointer data)
{
  g_autoptr(TenureContract) first = NULL;
  g_autoptr(TenureContract) next = NULL;
  g_autoptr(TenureContract) too_early = NULL;

  SKIP_WITHOUT_DB (f);
  first = example_1 ();
  first->status = TENURE_CONTRACT_TERMINATED;
  first->terminated_on = tenure_date_from_ymd (2027, 6, 30);
  first->termination_type = TENURE_TERMINATION_EARLY_AGREEMENT;
  save_ok (f->db, first);
  too_early = example_contract ("HT-EARLY", "U1", tenure_date_from_ymd (2027, 6, 30),
                                tenure_date_from_ymd (2029, 6, 29));
  save_refused (f->db, too_early, "U1");
  next = example_contract ("HT-NEXT", "U1", tenure_date_from_ymd (2027, 7, 1),
                           tenure_date_from_ymd (2029, 6, 30));
  save_ok (f->db, next);
}

static void
test_bad_input (Fixture *f, gconstpointer data)
{
  SKIP_WITHOUT_DB (f);
  {
    g_autoptr(TenureContract) k = example_1 ();
    k->end_date = tenure_date_from_ymd (2025, 12, 31);
    save_refused (f->db, k, "end_date");
  }
  {
    g_autoptr(TenureContract) k = example_1 ();
    TenureContractVersion *v = g_ptr_array_index (k->versions, 0);
    ((TenureContractUnit *) g_ptr_array_index (v->units, 0))->area_c = 0;
    save_refused (f->db, k, "area");
  }
  {
    g_autoptr(TenureContract) k = example_1 ();
    TenureContractVersion *v = g_ptr_array_index (k->versions, 0);
    ((TenureContractUnit *) g_ptr_array_index (v->units, 0))->area_c = -5000;
    save_refused (f->db, k, "-50.00");
  }
  {
    g_autoptr(TenureContract) k = example_1 ();
    rent_clause (k)->price_e4 = -10000;
    save_refused (f->db, k, "field price");
  }
  {
    g_autoptr(TenureContract) k = example_1 ();
    rent_clause (k)->price_e4 = 0;
    save_refused (f->db, k, "clause 1, field price");
  }
  {
    g_autoptr(TenureContract) k = example_1 ();
    TenureContractVersion *v = g_ptr_array_index (k->versions, 0);
    ((TenureClause *) g_ptr_array_index (v->clauses, 2))->amount = 0;
    save_refused (f->db, k, "clause 3, field amount");
  }
  {
    g_autoptr(TenureContract) k = example_1 ();
    g_free (rent_clause (k)->charge_item);
    rent_clause (k)->charge_item = g_strdup ("WATER_FEE");
    save_refused (f->db, k, "WATER_FEE");
  }
  {
    g_autoptr(TenureContract) k = example_1 ();
    TenureContractVersion *v = g_ptr_array_index (k->versions, 0);
    TenureContractUnit *u = g_ptr_array_index (v->units, 0);
    g_free (u->unit_code);
    u->unit_code = g_strdup ("U404");
    save_refused (f->db, k, "U404");
  }
  {
    /* A unit of another project. */
    g_autoptr(TenureContract) k = example_1 ();
    TenureContractVersion *v = g_ptr_array_index (k->versions, 0);
    TenureContractUnit *u = g_ptr_array_index (v->units, 0);
    g_free (u->unit_code);
    u->unit_code = g_strdup ("M1");
    save_refused (f->db, k, "P2");
  }
  {
    g_autoptr(TenureContract) k = example_1 ();
    g_free (k->tenant_code);
    k->tenant_code = g_strdup ("T404");
    save_refused (f->db, k, "T404");
  }
  {
    g_autoptr(TenureContract) k = example_1 ();
    g_free (k->project_code);
    k->project_code = g_strdup ("P404");
    save_refused (f->db, k, "P404");
  }
  {
    /* Both a price and an amount: one would be lost. */
    g_autoptr(TenureContract) k = example_1 ();
    rent_clause (k)->amount = 100;
    save_refused (f->db, k, "clause 1, field amount: a per-m² clause takes a unit price");
  }
  {
    g_autoptr(TenureContract) k = example_1 ();
    TenureContractVersion *v = g_ptr_array_index (k->versions, 0);
    ((TenureClause *) g_ptr_array_index (v->clauses, 2))->price_e4 = 100;
    save_refused (f->db, k, "clause 3, field price");
  }
  {
    g_autoptr(TenureContract) k = example_1 ();
    rent_clause (k)->cycle_months = 4;
    save_refused (f->db, k, "cycle_months");
  }
  {
    g_autoptr(TenureContract) k = example_1 ();
    TenureDateRange outside = { tenure_date_from_ymd (2029, 1, 1),
                                tenure_date_from_ymd (2029, 3, 31) };
    g_array_append_val (rent_clause (k)->rent_free, outside);
    save_refused (f->db, k, "rent_free");
  }
  {
    /* Saved once, then the same code again. */
    g_autoptr(TenureContract) k = example_1 ();
    g_autoptr(TenureContract) again = example_contract ("HT-2026-001", "U2",
                                                         tenure_date_from_ymd (2026, 1, 1),
                                                         tenure_date_from_ymd (2026, 12, 31));
    save_ok (f->db, k);
    save_refused (f->db, again, "already exists");
  }
  g_assert_cmpint (query (f->db, "SELECT count(*) FROM clause"), ==, 3);
}

/* A clause the plan engine cannot express: AVG_365_12 on a per-month price. The validator does
 * not know that rule itself; the refusal comes from tenure_plan_generate (). */
static void
test_engine_refusal (Fixture *f, gconstpointer data)
{
  g_autoptr(TenureContract) k = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (
      (GDestroyNotify) tenure_contract_problem_free);
  g_autoptr(GError) error = NULL;
  TenureContractVersion *v;
  const TenureContractProblem *p;

  SKIP_WITHOUT_DB (f);
  k = example_1 ();
  v = g_ptr_array_index (k->versions, 0);
  ((TenureClause *) g_ptr_array_index (v->clauses, 1))->days_rule = TENURE_DAYS_AVG_365_12;
  g_assert_false (tenure_contract_validate (f->db, k, problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 1);
  p = g_ptr_array_index (problems, 0);
  g_test_message ("engine: %s", p->message);
  g_assert_cmpstr (p->field, ==, "clauses");
  g_assert_nonnull (strstr (p->message, "HT-2026-001"));
  g_assert_nonnull (strstr (p->message, "AVG_365_12"));
  save_refused (f->db, k, "AVG_365_12");
}

/* CPI indexation whose later index months are not published yet is a valid lease: the plan
 * waits for the data, the contract is stored. */
static void
test_cpi_not_yet_published (Fixture *f, gconstpointer data)
{
  g_autoptr(TenureContract) k = NULL;
  TenureClause *rent;

  SKIP_WITHOUT_DB (f);
  exec_sql (f->db, "INSERT INTO cpi_index (series, period, value_e4) VALUES "
                   "('CN-CPI', '2025-12', 1002000), ('CN-CPI', '2026-01', 1003000)");
  k = example_1 ();
  rent = rent_clause (k);
  rent->escalation.kind = TENURE_ESCALATION_CPI;
  rent->escalation.trigger = TENURE_ESCALATION_BY_LEASE_YEAR;
  rent->escalation.cpi_series = g_strdup ("CN-CPI");
  save_ok (f->db, k);
  g_assert_cmpint (query (f->db, "SELECT count(*) FROM clause WHERE escalation LIKE "
                                 "'%CN-CPI%'"), ==, 1);
}

/* ---------------------------------------------------------------------------------------------
 * Charge items and versions */

static void
test_custom_charge_item (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(TenureContract) k = NULL;
  gint64 id;
  gboolean found = FALSE;

  SKIP_WITHOUT_DB (f);
  id = tenure_charge_item_define (f->db, "STORAGE", "仓储费", "6051.03", 60000,
                                  tenure_date_from_ymd (2020, 1, 1), &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (query (f->db, "SELECT count(*) FROM vat_rate v JOIN charge_item c "
                                 "ON c.id = v.charge_item_id WHERE c.code = 'STORAGE' "
                                 "AND v.rate_ppm = 60000"), ==, 2);
  g_assert_cmpint (tenure_charge_item_define (f->db, "STORAGE", "again", NULL, 0,
                                              tenure_date_from_ymd (2020, 1, 1), &error), ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tenure_charge_item_define (f->db, "BADRATE", "x", NULL, 1000001,
                                              tenure_date_from_ymd (2020, 1, 1), &error), ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tenure_charge_item_define (f->db, "  ", "x", NULL, 0,
                                              tenure_date_from_ymd (2020, 1, 1), &error), ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);

  items = tenure_charge_item_list (f->db, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    {
      TenureChargeItem *item = g_ptr_array_index (items, i);
      if (g_str_equal (item->code, "STORAGE"))
        {
          found = TRUE;
          g_assert_cmpstr (item->kind, ==, "custom");
          g_assert_cmpstr (item->account_code, ==, "6051.03");
          g_assert_cmpint (item->vat_rate_ppm, ==, 60000);
          g_assert_false (item->builtin);
        }
      if (g_str_equal (item->code, "RENT"))
        g_assert_cmpint (item->vat_rate_ppm, ==, 90000);
    }
  g_assert_true (found);

  /* A clause on the custom item saves. */
  k = example_1 ();
  g_free (rent_clause (k)->charge_item);
  rent_clause (k)->charge_item = g_strdup ("STORAGE");
  save_ok (f->db, k);
  g_assert_cmpint (query (f->db, "SELECT count(*) FROM clause c JOIN charge_item i "
                                 "ON i.id = c.charge_item_id WHERE i.code = 'STORAGE'"), ==, 1);
}

static void
test_add_version (Fixture *f, gconstpointer data)
{
  g_autoptr(TenureContract) k = NULL;
  g_autoptr(TenureContract) loaded = NULL;
  g_autoptr(TenureContractVersion) v2 = NULL;
  g_autoptr(TenureContractVersion) bad = NULL;
  g_autoptr(GError) error = NULL;
  const TenureContractVersion *lv;
  TenureClause *rent;

  SKIP_WITHOUT_DB (f);
  k = example_1 ();
  save_ok (f->db, k);
  v2 = tenure_contract_version_copy (g_ptr_array_index (k->versions, 0));
  v2->id = 0;
  v2->version_no = 0;
  v2->effective_from = tenure_date_from_ymd (2027, 7, 1);
  g_free (v2->reason);
  v2->reason = g_strdup ("租金调整（补充协议）");
  v2->status = TENURE_VERSION_PENDING_APPROVAL;
  g_clear_pointer (&v2->approved_by, g_free);
  rent = g_ptr_array_index (v2->clauses, 0);
  rent->price_e4 = 55000;
  rent->starts_on = v2->effective_from;
  g_array_set_size (rent->rent_free, 0);
  for (guint c = 1; c < v2->clauses->len; c++)
    ((TenureClause *) g_ptr_array_index (v2->clauses, c))->starts_on = v2->effective_from;
  g_ptr_array_remove_index (v2->clauses, 2);  /* no second deposit */
  g_assert_true (tenure_contract_store_add_version (f->db, "HT-2026-001", v2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (v2->version_no, ==, 2);
  g_assert_cmpint (v2->id, >, 0);
  g_assert_true (tenure_contract_store_set_version_status (f->db, v2->id,
                                                           TENURE_VERSION_APPROVED, "zhou.min",
                                                           &error));
  g_assert_no_error (error);

  loaded = tenure_contract_store_load (f->db, "HT-2026-001", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->versions->len, ==, 2);
  lv = g_ptr_array_index (loaded->versions, 1);
  g_assert_cmpint (lv->version_no, ==, 2);
  g_assert_cmpint (lv->status, ==, TENURE_VERSION_APPROVED);
  g_assert_cmpstr (lv->approved_by, ==, "zhou.min");
  g_assert_cmpstr (lv->reason, ==, "租金调整（补充协议）");
  g_assert_cmpint (lv->effective_from, ==, tenure_date_from_ymd (2027, 7, 1));
  g_assert_cmpint (((TenureClause *) g_ptr_array_index (lv->clauses, 0))->price_e4, ==, 55000);
  g_assert_cmpuint (lv->clauses->len, ==, 2);
  g_assert_true (tenure_contract_version_at (loaded, tenure_date_from_ymd (2027, 8, 1)) == lv);

  /* A version effective after the contract ends is refused, naming the field. */
  bad = tenure_contract_version_copy (lv);
  bad->version_no = 0;
  bad->effective_from = tenure_date_from_ymd (2029, 1, 1);
  g_assert_false (tenure_contract_store_add_version (f->db, "HT-2026-001", bad, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "effective_from"));
  g_assert_cmpint (query (f->db, "SELECT count(*) FROM contract_version"), ==, 2);
  g_clear_error (&error);
  g_assert_false (tenure_contract_store_set_version_status (f->db, 999999,
                                                            TENURE_VERSION_APPROVED, NULL,
                                                            &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
}

/* ---------------------------------------------------------------------------------------------
 * The demo's contracts: loaded whole, and valid */

static void
test_load_demo (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *location = NULL;
  TenureDemoOptions opts = { 42, TENURE_DEMO_SCALE_SMALL };
  gint64 clauses = 0, units = 0, rent_free = 0, versions = 0, area = 0;
  guint escalations[5] = { 0 }, turnover = 0;

  SKIP_WITHOUT_DB (f);
  location = tenure_test_db_new_location (backend);
  db = tenure_db_open (location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (tenure_demo_generate (db, &opts, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  list = tenure_contract_store_list (db, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (list->len, ==, query (db, "SELECT count(*) FROM contract"));
  g_assert_cmpuint (list->len, >, 300);
  for (guint i = 0; i < list->len; i++)
    {
      TenureContractSummary *s = g_ptr_array_index (list, i);
      g_autoptr(TenureContract) k = tenure_contract_store_load (db, s->code, &error);

      g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (
          (GDestroyNotify) tenure_contract_problem_free);

      if (k == NULL)
        g_error ("demo contract %s: %s", s->code, error->message);
      /* The demo's encoding is the store's: every contract passes validation, the plan
       * engine included (the contract itself is excluded from the overlap check). */
      if (!tenure_contract_validate (db, k, problems, &error))
        g_error ("demo contract %s: %s", s->code, error ? error->message
                 : ((TenureContractProblem *) g_ptr_array_index (problems, 0))->message);
      versions += k->versions->len;
      for (guint v = 0; v < k->versions->len; v++)
        {
          TenureContractVersion *version = g_ptr_array_index (k->versions, v);
          units += version->units->len;
          area += tenure_contract_version_area (version);
          clauses += version->clauses->len;
          for (guint c = 0; c < version->clauses->len; c++)
            {
              TenureClause *clause = g_ptr_array_index (version->clauses, c);
              escalations[clause->escalation.kind]++;
              turnover += clause->turnover != NULL;
              rent_free += clause->rent_free->len;
            }
        }
    }
  /* Everything in the tables arrived in memory. */
  g_assert_cmpint (versions, ==, query (db, "SELECT count(*) FROM contract_version"));
  g_assert_cmpint (units, ==, query (db, "SELECT count(*) FROM contract_unit"));
  g_assert_cmpint (area, ==, query (db, "SELECT sum(area_c) FROM contract_unit"));
  g_assert_cmpint (clauses, ==, query (db, "SELECT count(*) FROM clause"));
  g_assert_cmpint (rent_free, ==, query (db, "SELECT count(*) FROM rent_free"));
  g_assert_cmpint (turnover, ==, query (db, "SELECT count(*) FROM clause "
                                             "WHERE turnover IS NOT NULL"));
  g_assert_cmpint (escalations[TENURE_ESCALATION_NONE], ==,
                   query (db, "SELECT count(*) FROM clause WHERE escalation IS NULL"));
  for (int e = TENURE_ESCALATION_PERCENT; e <= TENURE_ESCALATION_CPI; e++)
    g_assert_cmpuint (escalations[e], >, 0);

  g_clear_object (&db);
  tenure_test_db_drop_location (backend, location);
}

int
main (int argc, char **argv)
{
  backend = tenure_test_backend_from_args (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/contracts/store/round-trip", test_round_trip);
  ADD ("/contracts/store/turnover-and-cpi", test_turnover_and_cpi_round_trip);
  ADD ("/contracts/store/add-version", test_add_version);
  ADD ("/contracts/store/custom-charge-item", test_custom_charge_item);
  ADD ("/contracts/store/load-demo", test_load_demo);
  ADD ("/contracts/json/round-trip", test_json_round_trip);
  ADD ("/contracts/json/defaults", test_json_defaults);
  ADD ("/contracts/json/errors", test_json_errors);
  ADD ("/contracts/template/csv", test_template_csv);
  ADD ("/contracts/template/xlsx", test_template_xlsx);
  ADD ("/contracts/template/errors-import-nothing", test_template_errors);
  ADD ("/contracts/template/inconsistent-rows", test_template_inconsistent_rows);
  ADD ("/contracts/template/lease-types", test_template_lease_types);
  ADD ("/contracts/template/overlap-within-file", test_template_overlap_within_file);
  ADD ("/contracts/template/xlsx-errors", test_template_xlsx_errors);
  ADD ("/contracts/validate/overlap", test_overlap);
  ADD ("/contracts/validate/overlap-after-termination", test_overlap_after_termination);
  ADD ("/contracts/validate/bad-input", test_bad_input);
  ADD ("/contracts/validate/engine-refusal", test_engine_refusal);
  ADD ("/contracts/validate/cpi-not-yet-published", test_cpi_not_yet_published);
#undef ADD

  return g_test_run ();
}
