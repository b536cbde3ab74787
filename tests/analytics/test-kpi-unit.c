/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-kpi-unit"

/* A unit's vacancy loss to date (tenure_kpi_unit_vacancy_loss) against hand-computed figures,
 * and against tenure_kpi_vacancy_loss over the same days for a project holding only that unit;
 * on SQLite and PostgreSQL. */

#include <locale.h>

#include "analytics/tenure-kpi.h"
#include "analytics/tenure-kpi-unit.h"
#include "base/tenure-error.h"
#include "tenure-test-db.h"
#include "tenure-test-util.h"

static TenureTestBackend backend;

/* One project per unit, so the project KPI is the unit's own. As of 2026-11-10:
 *  1 P1-101  120.00 m², 150.0000 /m²/month; leased 2025-01-01…2026-12-31, terminated 2026-09-15
 *  2 P2-201   33.33 m², 100.0000 /m²/month; never leased, created 2026-10-31 09:00
 *  3 P3-301   33.33 m²,   5.0000 /m²/day;   leased 2024-11-04…2026-11-03 (expired)
 *  4 P4-401  leased 2026-01-01…2027-12-31: not vacant
 *  5 P5-501  no asking price, never leased, created 2026-11-01
 *  6 P6-601  not for lease */
static const char fixture_sql[] =
  "INSERT INTO legal_entity (code, name) VALUES ('LE', '测试置业');"
  "INSERT INTO project (code, legal_entity_id, name, format) VALUES"
  " ('P1', 1, 'P1', 'office'), ('P2', 1, 'P2', 'office'), ('P3', 1, 'P3', 'office'),"
  " ('P4', 1, 'P4', 'office'), ('P5', 1, 'P5', 'office'), ('P6', 1, 'P6', 'office');"
  "INSERT INTO building (code, project_id, name) VALUES"
  " ('B1', 1, 'B1'), ('B2', 2, 'B2'), ('B3', 3, 'B3'), ('B4', 4, 'B4'), ('B5', 5, 'B5'),"
  " ('B6', 6, 'B6');"
  "INSERT INTO floor (code, building_id, name, sort_order) VALUES"
  " ('F1', 1, '1F', 1), ('F2', 2, '1F', 1), ('F3', 3, '1F', 1), ('F4', 4, '1F', 1),"
  " ('F5', 5, '1F', 1), ('F6', 6, '1F', 1);"
  "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c, stored_status,"
  " asking_price_e4, asking_price_basis, created_at) VALUES"
  " ('P1-101', 1, '101', 'office', 15000, 12000, 'available', 1500000, 'per_m2_month',"
  "  '2024-01-01 00:00:00'),"
  " ('P2-201', 2, '201', 'office', 4000, 3333, 'available', 1000000, 'per_m2_month',"
  "  '2026-10-31 09:00:00'),"
  " ('P3-301', 3, '301', 'office', 4000, 3333, 'available', 50000, 'per_m2_day',"
  "  '2024-01-01 00:00:00'),"
  " ('P4-401', 4, '401', 'office', 4000, 3000, 'available', 1000000, 'per_m2_month',"
  "  '2024-01-01 00:00:00'),"
  " ('P5-501', 5, '501', 'office', 4000, 3000, 'available', NULL, 'per_m2_month',"
  "  '2026-11-01 00:00:00'),"
  " ('P6-601', 6, '601', 'office', 4000, 3000, 'not_for_lease', 1000000, 'per_m2_month',"
  "  '2024-01-01 00:00:00');"
  "INSERT INTO tenant (code, name) VALUES ('T1', '甲'), ('T2', '乙'), ('T3', '丙');"
  "INSERT INTO contract (code, tenant_id, project_id, status, start_date, end_date,"
  " terminated_on) VALUES"
  " ('C1', 1, 1, 'terminated', '2025-01-01', '2026-12-31', '2026-09-15'),"
  " ('C3', 2, 3, 'expired', '2024-11-04', '2026-11-03', NULL),"
  " ('C4', 3, 4, 'active', '2026-01-01', '2027-12-31', NULL);"
  "INSERT INTO contract_version (contract_id, version_no, effective_from, status) VALUES"
  " (1, 1, '2025-01-01', 'approved'), (2, 1, '2024-11-04', 'approved'),"
  " (3, 1, '2026-01-01', 'approved');"
  "INSERT INTO contract_unit (contract_version_id, unit_id, area_c) VALUES"
  " (1, 1, 12000), (2, 3, 3333), (3, 4, 3000);";

static TenureDb *db;
static char *location;

static TenureDb *
fixture_db (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *where = NULL;

  if (db != NULL)
    return db;
  where = tenure_test_db_new_location (backend);
  if (where == NULL)
    return NULL;
  db = tenure_db_open (where, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  tenure_db_exec (db, fixture_sql, &error);
  g_assert_no_error (error);
  location = g_steal_pointer (&where);
  return db;
}

static TenureDate
ymd (int y, int m, int d)
{
  return tenure_date_from_ymd (y, m, d);
}

/* The project KPI over FROM..TO of the project holding only the unit. */
static gint64
project_loss (const char *project,
              TenureDate  from,
              TenureDate  to,
              gint64     *days)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = tenure_kpi_vacancy_loss (fixture_db (), from, to, project,
                                                       TENURE_KPI_BY_NONE, &error);
  const TenureKpiVacancyLoss *row;

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  row = rows->pdata[0];
  *days = row->vacant_unit_days;
  return row->vacancy_loss;
}

static void
test_after_lease (void)
{
  g_autoptr(GError) error = NULL;
  TenureKpiUnitVacancy v;
  gint64 days;

  if (fixture_db () == NULL)
    return;
  /* 09-16…11-10: 15/30 + 31/31 + 10/30 of 120 m² × 150.00 = 18,000.00 a month:
   * 9,000.00 + 18,000.00 + 6,000.00. */
  g_assert_true (tenure_kpi_unit_vacancy_loss (db, 1, ymd (2026, 11, 10), &v, &error));
  g_assert_no_error (error);
  g_assert_true (v.for_lease);
  g_assert_true (v.vacant);
  g_assert_true (v.ever_leased);
  g_assert_cmpint (v.vacant_since, ==, ymd (2026, 9, 16));
  g_assert_cmpint (v.vacant_days, ==, 56);
  g_assert_cmpint (v.asking_price_e4, ==, 1500000);
  g_assert_false (v.asking_per_day);
  g_assert_cmpint (v.vacancy_loss, ==, 3300000);
  g_assert_cmpint (project_loss ("P1", v.vacant_since, ymd (2026, 11, 10), &days), ==,
                   v.vacancy_loss);
  g_assert_cmpint (days, ==, v.vacant_days);

  /* On its last leased day it is not vacant. */
  g_assert_true (tenure_kpi_unit_vacancy_loss (db, 1, ymd (2026, 9, 15), &v, &error));
  g_assert_false (v.vacant);
  g_assert_cmpint (v.vacancy_loss, ==, 0);
  g_assert_cmpint (v.vacant_since, ==, TENURE_DATE_INVALID);
}

static void
test_never_leased_rounding (void)
{
  g_autoptr(GError) error = NULL;
  TenureKpiUnitVacancy v;
  gint64 days;

  if (fixture_db () == NULL)
    return;
  /* Created 10-31: 1/31 + 10/30 of 3,333.00 a month = 1,075.16129… + 1,111.00 = 1,218.51613…,
   * rounded once: 1,218.52. */
  g_assert_true (tenure_kpi_unit_vacancy_loss (db, 2, ymd (2026, 11, 10), &v, &error));
  g_assert_no_error (error);
  g_assert_true (v.vacant);
  g_assert_false (v.ever_leased);
  g_assert_cmpint (v.vacant_since, ==, ymd (2026, 10, 31));
  g_assert_cmpint (v.vacant_days, ==, 11);
  g_assert_cmpint (v.vacancy_loss, ==, 121852);
  g_assert_cmpint (project_loss ("P2", v.vacant_since, ymd (2026, 11, 10), &days), ==,
                   v.vacancy_loss);
  g_assert_cmpint (days, ==, 11);

  /* Before it existed: vacant, but no days and no loss. */
  g_assert_true (tenure_kpi_unit_vacancy_loss (db, 2, ymd (2026, 10, 1), &v, &error));
  g_assert_true (v.vacant);
  g_assert_cmpint (v.vacant_days, ==, 0);
  g_assert_cmpint (v.vacancy_loss, ==, 0);
}

static void
test_per_day (void)
{
  g_autoptr(GError) error = NULL;
  TenureKpiUnitVacancy v;
  gint64 days;

  if (fixture_db () == NULL)
    return;
  /* Expired 11-03: 11-04…11-10, 7 days × 5.0000 × 33.33 m² = 1,166.55. */
  g_assert_true (tenure_kpi_unit_vacancy_loss (db, 3, ymd (2026, 11, 10), &v, &error));
  g_assert_no_error (error);
  g_assert_true (v.asking_per_day);
  g_assert_cmpint (v.vacant_since, ==, ymd (2026, 11, 4));
  g_assert_cmpint (v.vacant_days, ==, 7);
  g_assert_cmpint (v.vacancy_loss, ==, 116655);
  g_assert_cmpint (project_loss ("P3", v.vacant_since, ymd (2026, 11, 10), &days), ==, 116655);
}

static void
test_other_cases (void)
{
  g_autoptr(GError) error = NULL;
  TenureKpiUnitVacancy v;

  if (fixture_db () == NULL)
    return;
  /* Leased. */
  g_assert_true (tenure_kpi_unit_vacancy_loss (db, 4, ymd (2026, 11, 10), &v, &error));
  g_assert_no_error (error);
  g_assert_false (v.vacant);
  g_assert_cmpint (v.vacancy_loss, ==, 0);
  /* No asking price: days but no loss. */
  g_assert_true (tenure_kpi_unit_vacancy_loss (db, 5, ymd (2026, 11, 10), &v, &error));
  g_assert_true (v.vacant);
  g_assert_cmpint (v.asking_price_e4, ==, -1);
  g_assert_cmpint (v.vacant_days, ==, 10);
  g_assert_cmpint (v.vacancy_loss, ==, 0);
  /* Not for lease. */
  g_assert_true (tenure_kpi_unit_vacancy_loss (db, 6, ymd (2026, 11, 10), &v, &error));
  g_assert_false (v.for_lease);
  g_assert_cmpint (v.vacant_days, ==, 0);
  g_assert_cmpint (v.vacancy_loss, ==, 0);
  /* No such unit. */
  g_assert_false (tenure_kpi_unit_vacancy_loss (db, 99, ymd (2026, 11, 10), &v, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  backend = tenure_test_backend_from_args (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kpi-unit/vacancy-loss/after-lease", test_after_lease);
  g_test_add_func ("/kpi-unit/vacancy-loss/never-leased-rounding", test_never_leased_rounding);
  g_test_add_func ("/kpi-unit/vacancy-loss/per-day", test_per_day);
  g_test_add_func ("/kpi-unit/vacancy-loss/leased-no-asking-not-for-lease", test_other_cases);

  status = g_test_run ();
  if (db != NULL)
    {
      g_clear_object (&db);
      tenure_test_db_drop_location (backend, location);
      g_free (location);
    }
  return status;
}
