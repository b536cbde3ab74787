/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test"

#include <string.h>

#include <glib.h>

#include "analytics/tenure-kpi.h"
#include "analytics/tenure-kpi-slices.h"
#include "base/tenure-error.h"
#include "contracts/tenure-contract-store.h"
#include "demo/tenure-demo.h"
#include "tenure-test-db.h"

/* The KPI engine against a small portfolio whose every figure is worked out by hand below.
 *
 * Project P1 (mall), one floor. Leasable areas and asking rents:
 *   U1 100.00 m²  available      no asking price
 *   U2 200.00 m²  available      5.0000 per m² per day
 *   U3  50.00 m²  renovation     100.0000 per m² per month
 *   U4 400.00 m²  not for lease  (outside every indicator)
 *   U5 300.00 m²  available      120.0000 per m² per month
 * Contracts (tenants T1..T4):
 *   C0 U1 2024-01-01..2025-12-31 expired, renewed by C1
 *   C1 U1 2026-01-01..2027-12-31 active, renewal of C0; rent 200.0000 per m² per month
 *      (20,000.00 a month) + 5 % each 1 January (210.0000 from 2027-01-01), rent-free 2026-01-01..2026-02-28; property fee 500.00 fixed a month;
 *      deposit received 60,000.00 on 2026-01-05, 10,000.00 offset on 2026-07-01
 *   C2 U2 2025-07-01..2027-06-30 terminated early on 2026-04-30
 *   C5 U5 2024-03-01..2026-02-28 expired, not renewed
 *   C3 U5 2026-05-10..2028-08-31 active; rent 30,000.00 fixed a month
 *   D1 U2 2026-06-01..2027-05-31 draft (never counts) */

static TenureTestBackend backend;

typedef struct
{
  char     *location;
  TenureDb *db;
} Fixture;

static gint64
insert_id (TenureDb   *db,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  gboolean ok = tenure_db_query_int64 (db, sql, &id, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  return id;
}

static gint64
add_unit (TenureDb   *db,
          gint64      floor_id,
          const char *code,
          gint64      area_c,
          const char *status,
          const char *asking)
{
  g_autofree char *sql = g_strdup_printf (
    "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c, "
    "stored_status, asking_price_e4, asking_price_basis) VALUES ('%s', %" G_GINT64_FORMAT
    ", '%s', 'mall', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", '%s', %s) RETURNING id",
    code, floor_id, code, area_c, area_c, status, asking);
  return insert_id (db, sql);
}

/* A contract with one approved version holding UNIT; returns the version id. */
static gint64
add_contract (TenureDb   *db,
              const char *code,
              gint64      project,
              gint64      unit,
              gint64      area_c,
              const char *status,
              const char *start,
              const char *end,
              const char *extra_columns,
              const char *extra_values,
              gint64     *contract_out)
{
  g_autofree char *tenant_sql = g_strdup_printf (
    "INSERT INTO tenant (code, name) VALUES ('T-%s', 'Tenant of %s') RETURNING id", code, code);
  gint64 tenant = insert_id (db, tenant_sql);
  g_autofree char *contract_sql = g_strdup_printf (
    "INSERT INTO contract (code, tenant_id, project_id, status, start_date, end_date%s) "
    "VALUES ('%s', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", '%s', '%s', '%s'%s) RETURNING id",
    extra_columns, code, tenant, project, status, start, end, extra_values);
  gint64 contract = insert_id (db, contract_sql);
  g_autofree char *version_sql = g_strdup_printf (
    "INSERT INTO contract_version (contract_id, version_no, effective_from, status) "
    "VALUES (%" G_GINT64_FORMAT ", 1, '%s', '%s') RETURNING id", contract, start,
    g_str_equal (status, "draft") ? "draft" : "approved");
  gint64 version = insert_id (db, version_sql);
  g_autofree char *unit_sql = g_strdup_printf (
    "INSERT INTO contract_unit (contract_version_id, unit_id, area_c) VALUES (%" G_GINT64_FORMAT
    ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ") RETURNING id", version, unit, area_c);

  insert_id (db, unit_sql);
  if (contract_out != NULL)
    *contract_out = contract;
  return version;
}

static gint64
add_clause (TenureDb   *db,
            gint64      version,
            const char *charge,
            const char *basis,
            const char *price_e4,
            const char *amount,
            const char *from,
            const char *to)
{
  g_autofree char *sql = g_strdup_printf (
    "INSERT INTO clause (contract_version_id, charge_item_id, basis, price_e4, amount, "
    "starts_on, ends_on) SELECT %" G_GINT64_FORMAT ", id, '%s', %s, %s, '%s', '%s' "
    "FROM charge_item WHERE code = '%s' RETURNING id", version, basis, price_e4, amount, from,
    to, charge);
  return insert_id (db, sql);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  gint64 le, project, building, floor_id, u1, u2, u3, u5, c0, c1, v;

  f->location = tenure_test_db_new_location (backend);
  if (f->location == NULL)
    return;
  f->db = tenure_db_open (f->location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);

  le = insert_id (f->db, "INSERT INTO legal_entity (code, name) VALUES ('LE', 'E') RETURNING id");
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

  u1 = add_unit (f->db, floor_id, "P1-A-1-01", 10000, "available", "NULL, 'per_m2_month'");
  u2 = add_unit (f->db, floor_id, "P1-A-1-02", 20000, "available", "50000, 'per_m2_day'");
  u3 = add_unit (f->db, floor_id, "P1-A-1-03", 5000, "renovation", "1000000, 'per_m2_month'");
  add_unit (f->db, floor_id, "P1-A-1-04", 40000, "not_for_lease", "NULL, 'per_m2_month'");
  u5 = add_unit (f->db, floor_id, "P1-A-1-05", 30000, "available", "1200000, 'per_m2_month'");
  (void) u3;

  add_contract (f->db, "C0", project, u1, 10000, "expired", "2024-01-01", "2025-12-31",
                "", "", &c0);
  g_autofree char *renewal = g_strdup_printf (", %" G_GINT64_FORMAT, c0);
  v = add_contract (f->db, "C1", project, u1, 10000, "active", "2026-01-01", "2027-12-31",
                    ", renewal_of_id", renewal, &c1);
  {
    gint64 rent = add_clause (f->db, v, "RENT", "per_m2_month", "2000000", "NULL",
                              "2026-01-01", "2027-12-31");
    TenureEscalation e = { .kind = TENURE_ESCALATION_PERCENT,
                           .trigger = TENURE_ESCALATION_BY_DATE, .month = 1, .day = 1,
                           .every_years = 1, .percent_ppm = 50000, .cap_ppm = G_MAXINT64 };
    g_autofree char *json = tenure_escalation_to_json (&e);
    g_autoptr(TenureStmt) up = tenure_db_prepare (f->db, "UPDATE clause SET escalation = $1 "
                                                  "WHERE id = $2", &error);

    g_assert_no_error (error);
    tenure_stmt_bind_text (up, 1, json);
    tenure_stmt_bind_int64 (up, 2, rent);
    g_assert_true (tenure_stmt_run (up, &error));
    g_assert_no_error (error);
    g_autofree char *rf = g_strdup_printf (
      "INSERT INTO rent_free (clause_id, from_date, to_date) VALUES (%" G_GINT64_FORMAT
      ", '2026-01-01', '2026-02-28') RETURNING id", rent);
    g_autofree char *dep = g_strdup_printf (
      "INSERT INTO deposit_entry (contract_id, kind, amount, entry_date) VALUES "
      "(%" G_GINT64_FORMAT ", 'received', 6000000, '2026-01-05'), "
      "(%" G_GINT64_FORMAT ", 'offset', 1000000, '2026-07-01')", c1, c1);

    insert_id (f->db, rf);
    add_clause (f->db, v, "PROPERTY_FEE", "fixed_month", "NULL", "50000",
                "2026-01-01", "2027-12-31");
    g_assert_true (tenure_db_exec (f->db, dep, &error));
    g_assert_no_error (error);
  }
  v = add_contract (f->db, "C2", project, u2, 20000, "terminated", "2025-07-01", "2027-06-30",
                    ", terminated_on, termination_type", ", '2026-04-30', 'early_agreement'",
                    NULL);
  add_clause (f->db, v, "RENT", "per_m2_day", "40000", "NULL", "2025-07-01", "2027-06-30");
  add_contract (f->db, "C5", project, u5, 30000, "expired", "2024-03-01", "2026-02-28",
                "", "", NULL);
  v = add_contract (f->db, "C3", project, u5, 30000, "active", "2026-05-10", "2028-08-31",
                    "", "", NULL);
  add_clause (f->db, v, "RENT", "fixed_month", "NULL", "3000000", "2026-05-10", "2028-08-31");
  add_contract (f->db, "D1", project, u2, 20000, "draft", "2026-06-01", "2027-05-31",
                "", "", NULL);
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

static TenureDate
d (const char *iso)
{
  TenureDate date = TENURE_DATE_INVALID;

  g_assert_true (tenure_date_parse_iso (iso, &date, NULL));
  return date;
}

static TenureKpiOccupancy *
occupancy_on (Fixture    *f,
              const char *iso)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = tenure_kpi_occupancy (f->db, d (iso), NULL, TENURE_KPI_BY_NONE,
                                                    &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  return g_ptr_array_steal_index (rows, 0);
}

static void
occupancy_free (TenureKpiOccupancy *o)
{
  g_free (o->key);
  g_free (o);
}

static void
test_occupancy (Fixture       *f,
                gconstpointer  data)
{
  TenureKpiOccupancy *o;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) series = NULL;

  if (f->db == NULL)
    return;
  /* 2026-04-30, C2's termination day: U1 (C1) and U2 (C2) leased, U5 waits for C3 (05-10),
   * U3 under renovation is vacant, U4 is outside. 300.00 of 650.00 m² = 0.461538…, 2 of 4. */
  o = occupancy_on (f, "2026-04-30");
  g_assert_cmpint (o->leasable_area_c, ==, 65000);
  g_assert_cmpint (o->leased_area_c, ==, 30000);
  g_assert_cmpint (o->units, ==, 4);
  g_assert_cmpint (o->leased_units, ==, 2);
  g_assert_cmpint (tenure_kpi_ppm (o->leased_area_c, o->leasable_area_c), ==, 461538);
  occupancy_free (o);
  /* 2026-05-01: C2 terminated the day before: only U1, 100.00 / 650.00 = 0.153846…; vacancy
   * 0.846154. */
  o = occupancy_on (f, "2026-05-01");
  g_assert_cmpint (o->leased_area_c, ==, 10000);
  g_assert_cmpint (o->leased_units, ==, 1);
  g_assert_cmpint (tenure_kpi_ppm (o->leased_area_c, o->leasable_area_c), ==, 153846);
  g_assert_cmpint (tenure_kpi_ppm (o->leasable_area_c - o->leased_area_c, o->leasable_area_c),
                   ==, 846154);
  occupancy_free (o);
  /* 2026-06-15: U1 and U5 (C3); the draft D1 on U2 does not count. 400.00 / 650.00. */
  o = occupancy_on (f, "2026-06-15");
  g_assert_cmpint (o->leased_area_c, ==, 40000);
  g_assert_cmpint (o->leased_units, ==, 2);
  g_assert_cmpint (tenure_kpi_ppm (o->leased_area_c, o->leasable_area_c), ==, 615385);
  occupancy_free (o);
  /* 2025-12-31: C0 on U1 (expired since), C2 on U2, C5 on U5: 600.00 of 650.00. */
  o = occupancy_on (f, "2025-12-31");
  g_assert_cmpint (o->leased_area_c, ==, 60000);
  g_assert_cmpint (o->leased_units, ==, 3);
  occupancy_free (o);

  /* Month ends March..June 2026: U1+U2 (C5 ended 02-28) = 300.00; April the same; May: U1 and
   * U5 = 400.00; June the same. */
  series = tenure_kpi_occupancy_series (f->db, d ("2026-03-15"), d ("2026-06-01"), NULL,
                                        &error);
  g_assert_no_error (error);
  g_assert_cmpuint (series->len, ==, 4);
  o = g_ptr_array_index (series, 0);
  g_assert_cmpstr (o->key, ==, "2026-03-31");
  g_assert_cmpint (o->leased_area_c, ==, 30000);
  o = g_ptr_array_index (series, 1);
  g_assert_cmpstr (o->key, ==, "2026-04-30");
  g_assert_cmpint (o->leased_area_c, ==, 30000);
  o = g_ptr_array_index (series, 2);
  g_assert_cmpstr (o->key, ==, "2026-05-31");
  g_assert_cmpint (o->leased_area_c, ==, 40000);
  o = g_ptr_array_index (series, 3);
  g_assert_cmpstr (o->key, ==, "2026-06-30");
  g_assert_cmpint (o->leased_area_c, ==, 40000);
}

static void
test_occupancy_slices (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  TenureKpiOccupancy *o;

  if (f->db == NULL)
    return;
  /* Area bands on 2026-06-15: <100 holds U3 (50 m², vacant); 100-300 holds U1 (leased) and
   * U2 (200 m², vacant); 300-1000 holds U5 (300 m², leased). U4 is outside. */
  rows = tenure_kpi_occupancy (f->db, d ("2026-06-15"), "P1", TENURE_KPI_BY_AREA_BAND, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  o = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (o->key, ==, "100-300");
  g_assert_cmpint (o->leasable_area_c, ==, 30000);
  g_assert_cmpint (o->leased_area_c, ==, 10000);
  o = g_ptr_array_index (rows, 1);
  g_assert_cmpstr (o->key, ==, "300-1000");
  g_assert_cmpint (o->leased_area_c, ==, 30000);
  o = g_ptr_array_index (rows, 2);
  g_assert_cmpstr (o->key, ==, "<100");
  g_assert_cmpint (o->leased_area_c, ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Remaining term on 2026-06-15: C1 565 days (1-2 years), C3 809 days (2-3 years). */
  rows = tenure_kpi_occupancy (f->db, d ("2026-06-15"), NULL, TENURE_KPI_BY_TERM, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpstr (((TenureKpiOccupancy *) g_ptr_array_index (rows, 0))->key, ==, "1-2");
  g_assert_cmpstr (((TenureKpiOccupancy *) g_ptr_array_index (rows, 1))->key, ==, "2-3");
  o = g_ptr_array_index (rows, 2);
  g_assert_cmpstr (o->key, ==, "vacant");
  g_assert_cmpint (o->units, ==, 2);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Price bands on 2026-06-15: of the two leased mall units U5 (30,000.00 / 300 m² = 100.00
   * per m²) ranks 0 of 2 → Q1 and U1 (20,000.00 / 100 m² = 200.00) ranks 1 → ⌊5/2⌋ + 1 = Q3;
   * U2 and U3 are vacant. */
  rows = tenure_kpi_occupancy (f->db, d ("2026-06-15"), NULL, TENURE_KPI_BY_PRICE_BAND, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  o = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (o->key, ==, "mall Q1");
  g_assert_cmpint (o->leased_area_c, ==, 30000);
  o = g_ptr_array_index (rows, 1);
  g_assert_cmpstr (o->key, ==, "mall Q3");
  g_assert_cmpint (o->leased_area_c, ==, 10000);
  o = g_ptr_array_index (rows, 2);
  g_assert_cmpstr (o->key, ==, "vacant");
  g_assert_cmpint (o->units, ==, 2);
  g_assert_cmpint (o->leasable_area_c, ==, 25000);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* An unknown project gives no rows. */
  rows = tenure_kpi_occupancy (f->db, d ("2026-06-15"), "NOPE", TENURE_KPI_BY_PROJECT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 0);
}

static void
test_expiry_wale (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  TenureKpiExpiry *e;
  TenureKpiWale *w;

  if (f->db == NULL)
    return;
  /* On 2026-06-15 leased: U1 100.00 m² at 20,000.00 (C1 ends 2027-12-31, bucket 18 counting
   * June 2026 as 0) and U5 300.00 m² at 30,000.00 (C3 ends 2028-08-31, bucket 26: beyond 24
   * months). Shares of bucket 18: area 25 %, rent 40 %. */
  rows = tenure_kpi_expiry (f->db, d ("2026-06-15"), NULL, TENURE_KPI_BY_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  e = g_ptr_array_index (rows, 0);
  g_assert_cmpint (e->leased_area_c, ==, 40000);
  g_assert_cmpint (e->monthly_rent, ==, 5000000);
  for (int k = 0; k < TENURE_KPI_EXPIRY_MONTHS; k++)
    {
      g_assert_cmpint (e->area_c[k], ==, k == 18 ? 10000 : 0);
      g_assert_cmpint (e->rent[k], ==, k == 18 ? 2000000 : 0);
    }
  g_assert_cmpint (e->month[18], ==, d ("2027-12-01"));
  g_assert_cmpint (tenure_kpi_ppm (e->area_c[18], e->leased_area_c), ==, 250000);
  g_assert_cmpint (tenure_kpi_ppm (e->rent[18], e->monthly_rent), ==, 400000);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* WALE on 2026-06-15: C1 has 565 days left (200 in 2026 + 365), C3 809 (200 + 365 + 244).
   * By area: (565 × 100 + 809 × 300) / (365 × 400) = 119,680 / 58,400 = 2.0493 → 2.05.
   * By rent: (565 × 20,000 + 809 × 30,000) / (365 × 50,000) = 35,570,000 / 18,250,000
   * = 1.9490 → 1.95. */
  rows = tenure_kpi_wale (f->db, d ("2026-06-15"), NULL, TENURE_KPI_BY_NONE, &error);
  g_assert_no_error (error);
  w = g_ptr_array_index (rows, 0);
  g_assert_cmpint (w->by_area_centi, ==, 205);
  g_assert_cmpint (w->by_rent_centi, ==, 195);
  g_assert_cmpint (w->monthly_rent, ==, 5000000);
  g_assert_cmpint (w->leased_area_c, ==, 40000);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Nothing leased on 2030-01-01: no WALE. */
  rows = tenure_kpi_wale (f->db, d ("2030-01-01"), NULL, TENURE_KPI_BY_NONE, &error);
  g_assert_no_error (error);
  w = g_ptr_array_index (rows, 0);
  g_assert_cmpint (w->by_area_centi, ==, -1);
  g_assert_cmpint (w->by_rent_centi, ==, -1);
}

static void
test_vacancy_loss (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  TenureKpiVacancyLoss *l;

  if (f->db == NULL)
    return;
  /* 2026-04-01..2026-06-30 (91 days):
   *   U1 leased throughout: 0.
   *   U2 vacant from 05-01 (C2 terminated 04-30; D1 is a draft): 61 days × 5 × 200
   *      = 61,000.00.
   *   U3 under renovation: 91 days, three full months × 100 × 50 = 15,000.00.
   *   U5 vacant 04-01..05-09 (C3 from 05-10), 39 days: April 36,000.00 + May 9/31 × 36,000.00
   *      = 10,451.6129…
   * Total 122,451.6129… → 122,451.61; 191 vacant unit-days. U1 has no asking price.
   * Rent-free: C1's ended in February: 0. */
  rows = tenure_kpi_vacancy_loss (f->db, d ("2026-04-01"), d ("2026-06-30"), NULL,
                                  TENURE_KPI_BY_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  l = g_ptr_array_index (rows, 0);
  g_assert_cmpint (l->vacant_unit_days, ==, 191);
  g_assert_cmpint (l->vacancy_loss, ==, 12245161);
  g_assert_cmpint (l->units_without_asking, ==, 1);
  g_assert_cmpint (l->rent_free_loss, ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* 2026-02-15..2026-03-31: rent-free loss of C1 is February 14/28 × 20,000.00 = 10,000.00.
   * Vacancy: U1 leased; U2 leased (C2); U3 45 days: 14/28 × 5,000 + 5,000 = 7,500.00;
   * U5 leased by C5 to 02-28, vacant in March: 36,000.00. Total 43,500.00, 45 + 31 days. */
  rows = tenure_kpi_vacancy_loss (f->db, d ("2026-02-15"), d ("2026-03-31"), NULL,
                                  TENURE_KPI_BY_NONE, &error);
  g_assert_no_error (error);
  l = g_ptr_array_index (rows, 0);
  g_assert_cmpint (l->rent_free_loss, ==, 1000000);
  g_assert_cmpint (l->vacancy_loss, ==, 4350000);
  g_assert_cmpint (l->vacant_unit_days, ==, 76);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* A range backwards is refused. */
  rows = tenure_kpi_vacancy_loss (f->db, d ("2026-03-31"), d ("2026-02-15"), NULL,
                                  TENURE_KPI_BY_NONE, &error);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_null (rows);
}

static void
test_renewals (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  TenureKpiRenewals *r;

  if (f->db == NULL)
    return;
  /* 2025-07-01..2026-06-30: C0 (renewed by C1) and C5 (not) reached their end; C2 ended
   * early and does not count: 1 of 2. */
  rows = tenure_kpi_renewals (f->db, d ("2025-07-01"), d ("2026-06-30"), NULL,
                              TENURE_KPI_BY_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  r = g_ptr_array_index (rows, 0);
  g_assert_cmpint (r->reached_expiry, ==, 2);
  g_assert_cmpint (r->renewed, ==, 1);
  g_clear_pointer (&rows, g_ptr_array_unref);

  rows = tenure_kpi_renewals (f->db, d ("2026-01-01"), d ("2026-06-30"), NULL,
                              TENURE_KPI_BY_PROJECT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  r = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (r->key, ==, "P1");
  g_assert_cmpint (r->reached_expiry, ==, 1);
  g_assert_cmpint (r->renewed, ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* C6 on U3 (50 m²), 2025-03-01..2026-02-28 (365 days), rent 5,000.00 a month, expired and
   * not renewed. 2025-07-01..2026-06-30: C0 (renewed), C5, C6 reach their end: 3, 1 renewed.
   * Whole terms: C0 2024-01-01..2025-12-31 731 days, C5 2024-03-01..2026-02-28 730 days:
   * "2-3" (two years or more), 2 of which 1 renewed; C6 "1-2" 1, 0. Area bands of their
   * units: C0 100 m² "100-300" 1/1, C5 300 m² "300-1000" 1/0, C6 50 m² "<100" 1/0. One
   * building, P1-A: 3/1. */
  {
    gint64 u3 = insert_id (f->db, "SELECT id FROM unit WHERE code = 'P1-A-1-03'");
    gint64 p1 = insert_id (f->db, "SELECT id FROM project WHERE code = 'P1'");
    gint64 v = add_contract (f->db, "C6", p1, u3, 5000, "expired", "2025-03-01", "2026-02-28",
                             "", "", NULL);
    g_autoptr(GHashTable) bands = NULL;
    static const struct
    {
      TenureKpiSlice by;
      guint          n;
      const char    *keys[3];
      gint64         reached[3];
      gint64         renewed[3];
    } cases[] = {
      { TENURE_KPI_BY_NONE, 1, { "" }, { 3 }, { 1 } },
      { TENURE_KPI_BY_BUILDING, 1, { "P1-A" }, { 3 }, { 1 } },
      { TENURE_KPI_BY_TERM, 2, { "1-2", "2-3" }, { 1, 2 }, { 0, 1 } },
      { TENURE_KPI_BY_AREA_BAND, 3, { "100-300", "300-1000", "<100" }, { 1, 1, 1 },
        { 1, 0, 0 } },
    };

    add_clause (f->db, v, "RENT", "fixed_month", "NULL", "500000", "2025-03-01", "2026-02-28");
    for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
      {
        rows = tenure_kpi_renewals (f->db, d ("2025-07-01"), d ("2026-06-30"), NULL,
                                    cases[c].by, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (rows->len, ==, cases[c].n);
        for (guint i = 0; i < rows->len; i++)
          {
            r = g_ptr_array_index (rows, i);
            g_assert_cmpstr (r->key, ==, cases[c].keys[i]);
            g_assert_cmpint (r->reached_expiry, ==, cases[c].reached[i]);
            g_assert_cmpint (r->renewed, ==, cases[c].renewed[i]);
          }
        g_clear_pointer (&rows, g_ptr_array_unref);
      }

    /* By price band on the window's start, each contract under its largest unit's band as the
     * money slices key it then; every slice counts each contract once. */
    bands = tenure_kpi_contract_slice_keys (f->db, d ("2025-07-01"), NULL,
                                            TENURE_KPI_BY_PRICE_BAND, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (g_hash_table_lookup (bands, "C6"), !=, g_hash_table_lookup (bands, "C5"));
    rows = tenure_kpi_renewals (f->db, d ("2025-07-01"), d ("2026-06-30"), NULL,
                                TENURE_KPI_BY_PRICE_BAND, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < rows->len; i++)
      {
        gint64 reached = 0, renewed = 0;

        r = g_ptr_array_index (rows, i);
        if (g_strcmp0 (g_hash_table_lookup (bands, "C0"), r->key) == 0)
          reached++, renewed++;
        if (g_strcmp0 (g_hash_table_lookup (bands, "C5"), r->key) == 0)
          reached++;
        if (g_strcmp0 (g_hash_table_lookup (bands, "C6"), r->key) == 0)
          reached++;
        g_assert_cmpint (r->reached_expiry, ==, reached);
        g_assert_cmpint (r->renewed, ==, renewed);
      }
    g_clear_pointer (&rows, g_ptr_array_unref);

    for (TenureKpiSlice by = TENURE_KPI_BY_NONE; by <= TENURE_KPI_BY_PRICE_BAND; by++)
      {
        gint64 reached = 0, renewed = 0;

        rows = tenure_kpi_renewals (f->db, d ("2025-07-01"), d ("2026-06-30"), NULL, by,
                                    &error);
        g_assert_no_error (error);
        for (guint i = 0; i < rows->len; i++)
          {
            r = g_ptr_array_index (rows, i);
            reached += r->reached_expiry;
            renewed += r->renewed;
          }
        g_assert_cmpint (reached, ==, 3);
        g_assert_cmpint (renewed, ==, 1);
        g_clear_pointer (&rows, g_ptr_array_unref);
      }
  }
}

static void
test_rent_roll (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  TenureRentRollRow *r;
  TenureRentRollCharge *c;

  if (f->db == NULL)
    return;
  rows = tenure_kpi_rent_roll (f->db, d ("2026-06-15"), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 5);
  /* U1: C1, rent 200.0000 × 100 m² = 20,000.00; property fee 500.00 = 5.0000 per m²; the
   * deposit held is 60,000.00 (the offset comes after the as-of date). */
  r = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (r->unit_code, ==, "P1-A-1-01");
  g_assert_true (r->leased);
  g_assert_cmpstr (r->contract_code, ==, "C1");
  g_assert_cmpstr (r->tenant_name, ==, "Tenant of C1");
  g_assert_cmpint (r->start, ==, d ("2026-01-01"));
  g_assert_cmpint (r->end, ==, d ("2027-12-31"));
  g_assert_cmpint (r->leased_area_c, ==, 10000);
  g_assert_cmpint (r->deposit_held, ==, 6000000);
  g_assert_cmpuint (r->charges->len, ==, 2);
  c = g_ptr_array_index (r->charges, 0);
  g_assert_cmpstr (c->charge_code, ==, "PROPERTY_FEE");
  g_assert_cmpint (c->monthly, ==, 50000);
  g_assert_cmpint (c->per_m2_e4, ==, 50000);
  g_assert_cmpint (c->next_review, ==, TENURE_DATE_INVALID);
  c = g_ptr_array_index (r->charges, 1);
  g_assert_cmpstr (c->charge_code, ==, "RENT");
  g_assert_cmpint (c->monthly, ==, 2000000);
  g_assert_cmpint (c->per_m2_e4, ==, 2000000);
  g_assert_cmpint (c->price_e4, ==, 2000000);
  /* The first review is 2027-01-01 (+5 %). */
  g_assert_cmpint (c->next_review, ==, d ("2027-01-01"));
  /* U2 vacant (terminated, draft ignored), U3 renovation, U4 not for lease. */
  for (guint i = 1; i <= 3; i++)
    {
      r = g_ptr_array_index (rows, i);
      g_assert_false (r->leased);
      g_assert_null (r->contract_code);
      g_assert_cmpuint (r->charges->len, ==, 0);
    }
  g_assert_cmpstr (((TenureRentRollRow *) g_ptr_array_index (rows, 2))->stored_status, ==,
                   "renovation");
  g_assert_cmpint (((TenureRentRollRow *) g_ptr_array_index (rows, 3))->leasable_area_c, ==,
                   40000);
  /* U5: C3, 30,000.00 over 300 m² = 100.0000 per m². */
  r = g_ptr_array_index (rows, 4);
  g_assert_cmpstr (r->contract_code, ==, "C3");
  g_assert_cmpint (r->deposit_held, ==, 0);
  c = g_ptr_array_index (r->charges, 0);
  g_assert_cmpint (c->monthly, ==, 3000000);
  g_assert_cmpint (c->per_m2_e4, ==, 1000000);
  g_assert_cmpint (c->price_e4, ==, -1);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* 2027-06-15: C1's rent is 200.0000 × 1.05 = 210.0000, 21,000.00 a month; the next review
   * (2028-01-01) comes after the lease ends: none. */
  rows = tenure_kpi_rent_roll (f->db, d ("2027-06-15"), NULL, &error);
  g_assert_no_error (error);
  r = g_ptr_array_index (rows, 0);
  c = g_ptr_array_index (r->charges, 1);
  g_assert_cmpstr (c->charge_code, ==, "RENT");
  g_assert_cmpint (c->price_e4, ==, 2100000);
  g_assert_cmpint (c->monthly, ==, 2100000);
  g_assert_cmpint (c->next_review, ==, TENURE_DATE_INVALID);
}

static void
test_slice_parse (void)
{
  g_autoptr(GError) error = NULL;
  TenureKpiSlice slice;

  g_assert_true (tenure_kpi_slice_parse ("area-band", &slice, &error));
  g_assert_cmpint (slice, ==, TENURE_KPI_BY_AREA_BAND);
  g_assert_true (tenure_kpi_slice_parse (NULL, &slice, &error));
  g_assert_cmpint (slice, ==, TENURE_KPI_BY_NONE);
  g_assert_false (tenure_kpi_slice_parse ("floor", &slice, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "floor"));
  g_assert_cmpint (tenure_kpi_ppm (2, 3), ==, 666667);
  g_assert_cmpint (tenure_kpi_ppm (1, 0), ==, 0);
}

/* The small demo: invariants every KPI must keep. */
static void
test_demo_invariants (void)
{
  g_autofree char *location = tenure_test_db_new_location (backend);
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) occ = NULL, exp = NULL, roll = NULL, wale = NULL, loss = NULL;
  TenureDemoOptions opts = { .seed = 7, .scale = TENURE_DEMO_SCALE_SMALL,
                             .bills = TENURE_DEMO_BILLS_OFF };
  TenureDate as_of = d (TENURE_DEMO_REFERENCE_DATE);
  gint64 units = 0, leased_total = 0;

  if (location == NULL)
    return;
  db = tenure_db_open (location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (tenure_demo_generate (db, &opts, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (tenure_db_query_int64 (db, "SELECT count(*) FROM unit WHERE retired_on IS NULL",
                                        &units, &error));

  occ = tenure_kpi_occupancy (db, as_of, NULL, TENURE_KPI_BY_PROJECT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (occ->len, >, 0);
  for (guint i = 0; i < occ->len; i++)
    {
      TenureKpiOccupancy *o = g_ptr_array_index (occ, i);
      g_assert_cmpint (o->leased_area_c, >=, 0);
      g_assert_cmpint (o->leased_area_c, <=, o->leasable_area_c);
      g_assert_cmpint (o->leased_units, <=, o->units);
      leased_total += o->leased_area_c;
    }
  g_assert_cmpint (leased_total, >, 0);

  exp = tenure_kpi_expiry (db, as_of, NULL, TENURE_KPI_BY_NONE, &error);
  g_assert_no_error (error);
  {
    TenureKpiExpiry *e = g_ptr_array_index (exp, 0);
    gint64 area = 0, rent = 0;

    g_assert_cmpint (e->leased_area_c, ==, leased_total);
    for (int k = 0; k < TENURE_KPI_EXPIRY_MONTHS; k++)
      {
        area += e->area_c[k];
        rent += e->rent[k];
      }
    g_assert_cmpint (area, <=, e->leased_area_c);
    g_assert_cmpint (rent, <=, e->monthly_rent);
    g_assert_cmpint (area, >, 0);
  }

  wale = tenure_kpi_wale (db, as_of, NULL, TENURE_KPI_BY_FORMAT, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < wale->len; i++)
    {
      TenureKpiWale *w = g_ptr_array_index (wale, i);
      g_assert_cmpint (w->by_area_centi, >=, -1);
      g_assert_cmpint (w->by_area_centi, <, 100 * 30);
    }

  loss = tenure_kpi_vacancy_loss (db, tenure_date_add_months (as_of, -3), as_of, NULL,
                                  TENURE_KPI_BY_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (((TenureKpiVacancyLoss *) g_ptr_array_index (loss, 0))->vacancy_loss, >=, 0);

  roll = tenure_kpi_rent_roll (db, as_of, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (roll->len, ==, units);
  for (guint i = 1; i < roll->len; i++)
    g_assert_cmpstr (((TenureRentRollRow *) g_ptr_array_index (roll, i - 1))->unit_code, <,
                     ((TenureRentRollRow *) g_ptr_array_index (roll, i))->unit_code);

  g_clear_object (&db);
  tenure_test_db_drop_location (backend, location);
}

/* The month series (one read of the units and leases) against one call per month of the
 * single-date functions, field by field, for the group and several projects of the small
 * demo, over months around the reference date (the first one starting mid-month). */
static void
check_series_equal (TenureDb   *db,
                    const char *project,
                    TenureDate  from,
                    TenureDate  to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) occ = NULL;
  static const TenureKpiSlice slices[] = { TENURE_KPI_BY_NONE, TENURE_KPI_BY_BUILDING,
                                           TENURE_KPI_BY_FORMAT, TENURE_KPI_BY_AREA_BAND,
                                           TENURE_KPI_BY_TERM, TENURE_KPI_BY_PRICE_BAND };
  g_autoptr(GArray) total_days = g_array_new (FALSE, TRUE, sizeof (gint64));
  g_autoptr(GArray) total_units = g_array_new (FALSE, TRUE, sizeof (gint64));
  guint months = 0;

  occ = tenure_kpi_occupancy_series (db, from, to, project, &error);
  g_assert_no_error (error);
  for (TenureDate m = tenure_date_period_start (from, TENURE_PERIOD_MONTH); m <= to;
       m = tenure_date_add_months (m, 1))
    {
      TenureDate end = tenure_date_period_end (m, TENURE_PERIOD_MONTH);
      g_autoptr(GPtrArray) one = tenure_kpi_occupancy (db, end, project, TENURE_KPI_BY_NONE,
                                                       &error);
      TenureKpiOccupancy *a, *b;
      g_autofree char *key = tenure_date_format_iso (end);

      g_assert_no_error (error);
      g_assert_cmpuint (months, <, occ->len);
      a = g_ptr_array_index (occ, months);
      b = g_ptr_array_index (one, 0);
      g_assert_cmpstr (a->key, ==, key);
      g_assert_cmpint (a->units, ==, b->units);
      g_assert_cmpint (a->leased_units, ==, b->leased_units);
      g_assert_cmpint (a->leasable_area_c, ==, b->leasable_area_c);
      g_assert_cmpint (a->leased_area_c, ==, b->leased_area_c);
      months++;
    }
  g_assert_cmpuint (occ->len, ==, months);

  for (guint s = 0; s < G_N_ELEMENTS (slices); s++)
    {
      g_autoptr(GPtrArray) series = tenure_kpi_vacancy_loss_series (db, from, to, project,
                                                                    slices[s], &error);
      TenureDate m = from;

      g_assert_no_error (error);
      g_assert_cmpuint (series->len, ==, months);
      for (guint k = 0; k < series->len; k++)
        {
          TenureDate last = MIN (to, tenure_date_period_end (m, TENURE_PERIOD_MONTH));
          g_autoptr(GPtrArray) one = tenure_kpi_vacancy_loss (db, m, last, project, slices[s],
                                                              &error);
          GPtrArray *rows = g_ptr_array_index (series, k);

          gint64 days = 0, without = 0;

          g_assert_no_error (error);
          g_assert_cmpuint (rows->len, ==, one->len);
          for (guint i = 0; i < rows->len; i++)
            {
              TenureKpiVacancyLoss *a = g_ptr_array_index (rows, i);
              TenureKpiVacancyLoss *b = g_ptr_array_index (one, i);

              days += a->vacant_unit_days;
              without += a->units_without_asking;
              g_assert_cmpstr (a->key, ==, b->key);
              g_assert_cmpint (a->vacant_unit_days, ==, b->vacant_unit_days);
              g_assert_cmpint (a->vacancy_loss, ==, b->vacancy_loss);
              g_assert_cmpint (a->units_without_asking, ==, b->units_without_asking);
              g_assert_cmpint (a->rent_free_loss, ==, b->rent_free_loss);
            }
          /* Every unit counts once in each month whatever the slice: the counts (not the
           * amounts, rounded per key) add up to the unsliced month. */
          if (slices[s] == TENURE_KPI_BY_NONE)
            {
              g_array_append_val (total_days, days);
              g_array_append_val (total_units, without);
            }
          else
            {
              g_assert_cmpint (days, ==, g_array_index (total_days, gint64, k));
              g_assert_cmpint (without, ==, g_array_index (total_units, gint64, k));
            }
          m = last + 1;
        }
    }
}

static void
test_demo_series (void)
{
  g_autofree char *location = tenure_test_db_new_location (backend);
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GPtrArray) projects = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) series = NULL;
  TenureDemoOptions opts = { .seed = 11, .scale = TENURE_DEMO_SCALE_SMALL,
                             .bills = TENURE_DEMO_BILLS_OFF };
  TenureDate as_of = d (TENURE_DEMO_REFERENCE_DATE);
  gint64 leased_somewhere = 0, loss_somewhere = 0;

  if (location == NULL)
    return;
  db = tenure_db_open (location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (tenure_demo_generate (db, &opts, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  /* The three projects with the most units. */
  stmt = tenure_db_prepare (db, "SELECT p.code FROM unit u JOIN floor f ON f.id = u.floor_id"
                            " JOIN building b ON b.id = f.building_id JOIN project p"
                            " ON p.id = b.project_id GROUP BY p.code ORDER BY count(*) DESC,"
                            " p.code LIMIT 3", &error);
  g_assert_no_error (error);
  while (tenure_stmt_step (stmt, &error))
    g_ptr_array_add (projects, g_strdup (tenure_stmt_column_text (stmt, 0)));
  g_assert_no_error (error);
  g_assert_cmpuint (projects->len, ==, 3);

  check_series_equal (db, NULL, tenure_date_add_days (tenure_date_add_months (as_of, -14), 9),
                      as_of);
  for (guint i = 0; i < projects->len; i++)
    check_series_equal (db, g_ptr_array_index (projects, i),
                        tenure_date_period_start (tenure_date_add_months (as_of, -11),
                                                  TENURE_PERIOD_MONTH),
                        tenure_date_add_months (as_of, 6));

  /* Not a vacuous comparison: the demo's leases and vacancies show in the series. */
  series = tenure_kpi_vacancy_loss_series (db, tenure_date_add_months (as_of, -11), as_of,
                                           NULL, TENURE_KPI_BY_NONE, &error);
  g_assert_no_error (error);
  for (guint k = 0; k < series->len; k++)
    loss_somewhere += ((TenureKpiVacancyLoss *) g_ptr_array_index (
                         (GPtrArray *) g_ptr_array_index (series, k), 0))->vacancy_loss;
  g_clear_pointer (&series, g_ptr_array_unref);
  series = tenure_kpi_occupancy_series (db, as_of, as_of, NULL, &error);
  g_assert_no_error (error);
  leased_somewhere = ((TenureKpiOccupancy *) g_ptr_array_index (series, 0))->leased_area_c;
  g_assert_cmpint (loss_somewhere, >, 0);
  g_assert_cmpint (leased_somewhere, >, 0);

  /* A year's series by term is not empty: vacant units and several remaining-term bands. */
  g_clear_pointer (&series, g_ptr_array_unref);
  {
    g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

    series = tenure_kpi_vacancy_loss_series (db, tenure_date_add_months (as_of, -11), as_of,
                                             NULL, TENURE_KPI_BY_TERM, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (series->len, ==, 12);
    for (guint k = 0; k < series->len; k++)
      {
        GPtrArray *rows = g_ptr_array_index (series, k);

        for (guint i = 0; i < rows->len; i++)
          g_hash_table_add (seen, g_strdup (((TenureKpiVacancyLoss *)
                                             g_ptr_array_index (rows, i))->key));
      }
    g_assert_true (g_hash_table_contains (seen, "vacant"));
    g_assert_cmpuint (g_hash_table_size (seen), >=, 3);
  }

  g_clear_object (&db);
  tenure_test_db_drop_location (backend, location);
}

int
main (int argc, char **argv)
{
  backend = tenure_test_backend_from_args (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/kpi/occupancy/dates", test_occupancy);
  ADD ("/kpi/occupancy/slices", test_occupancy_slices);
  ADD ("/kpi/expiry-wale", test_expiry_wale);
  ADD ("/kpi/vacancy-loss", test_vacancy_loss);
  ADD ("/kpi/renewals", test_renewals);
  ADD ("/kpi/rent-roll", test_rent_roll);
#undef ADD
  g_test_add_func ("/kpi/slice-parse", test_slice_parse);
  g_test_add_func ("/kpi/demo-invariants", test_demo_invariants);
  g_test_add_func ("/kpi/series/demo-equal", test_demo_series);
  return g_test_run ();
}
