/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-portfolio"

#include <locale.h>

#include "base/tenure-error.h"
#include "portfolio/tenure-portfolio.h"
#include "tenure-test-db.h"
#include "tenure-test-util.h"

static TenureTestBackend backend;

/* Two projects with a known asset tree, one without any, and a retired unit that must not
 * count. */
static const char fixture_sql[] =
  "INSERT INTO legal_entity (code, name) VALUES ('LE-SH', '上海置业有限公司');"
  "INSERT INTO project (code, legal_entity_id, name, format, city) VALUES"
  " ('SH-XH01', 1, '徐汇中心', 'mall', '上海'),"
  " ('SH-PD02', 1, 'Pudong Tower', 'office', 'Shanghai'),"
  " ('SH-EMPTY', 1, 'Empty Park', 'industrial_park', NULL);"
  "INSERT INTO building (code, project_id, name) VALUES"
  " ('SH-XH01-A', 1, 'A'), ('SH-XH01-B', 1, 'B'), ('SH-PD02-T', 2, 'T');"
  "INSERT INTO floor (code, building_id, name, sort_order) VALUES"
  " ('SH-XH01-A-B1', 1, 'B1', -1), ('SH-XH01-A-1F', 1, '1F', 1),"
  " ('SH-XH01-B-1F', 2, '1F', 1), ('SH-PD02-T-12F', 3, '12F', 12);"
  "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c, retired_on)"
  " VALUES"
  " ('SH-XH01-A-B1-01', 1, 'B1-01', 'mall', 15000, 12345, NULL),"
  " ('SH-XH01-A-1F-01', 2, '1F-01', 'mall', 99999999, 98765432, NULL),"
  " ('SH-XH01-B-1F-01', 3, '1F-01', 'mall', 2000, 1, NULL),"
  " ('SH-XH01-B-1F-02', 3, '1F-02', 'mall', 5000, 4000, '2025-12-31'),"
  " ('SH-PD02-T-12F-1203', 4, '1203', 'office', 30000, 25050, NULL);";

static TenureDb *
open_fresh (char **out_location)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *location = tenure_test_db_new_location (backend);
  TenureDb *db;

  if (location == NULL)
    return NULL;
  db = tenure_db_open (location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  *out_location = g_steal_pointer (&location);
  return db;
}

static void
close_fresh (TenureDb *db,
             char     *location)
{
  g_object_unref (db);
  tenure_test_db_drop_location (backend, location);
  g_free (location);
}

static TenureProjectSummary *
project_at (GListModel *model,
            guint       position)
{
  TenureProjectSummary *project = g_list_model_get_item (model, position);

  g_assert_nonnull (project);
  /* The list model keeps its own reference. */
  g_object_unref (project);
  return project;
}

static void
test_list_projects (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) projects = NULL;
  g_autofree char *area_text = NULL;
  char *location = NULL;
  TenureDb *db = open_fresh (&location);
  TenureProjectSummary *empty, *pudong, *xuhui;

  if (db == NULL)
    return;
  tenure_db_exec (db, fixture_sql, &error);
  g_assert_no_error (error);

  projects = tenure_portfolio_list_projects (db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (projects), ==, 3);
  g_assert_true (g_list_model_get_item_type (projects) == TENURE_TYPE_PROJECT_SUMMARY);

  /* Ordered by code. */
  empty = project_at (projects, 0);
  pudong = project_at (projects, 1);
  xuhui = project_at (projects, 2);
  g_assert_cmpstr (tenure_project_summary_get_code (empty), ==, "SH-EMPTY");
  g_assert_cmpstr (tenure_project_summary_get_code (pudong), ==, "SH-PD02");
  g_assert_cmpstr (tenure_project_summary_get_code (xuhui), ==, "SH-XH01");

  g_assert_cmpstr (tenure_project_summary_get_name (xuhui), ==, "徐汇中心");
  g_assert_cmpstr (tenure_project_summary_get_format (xuhui), ==, "mall");
  g_assert_cmpstr (tenure_project_summary_get_city (xuhui), ==, "上海");
  g_assert_cmpint (tenure_project_summary_get_building_count (xuhui), ==, 2);
  g_assert_cmpint (tenure_project_summary_get_floor_count (xuhui), ==, 3);
  /* The retired unit counts neither in units nor in area. */
  g_assert_cmpint (tenure_project_summary_get_unit_count (xuhui), ==, 3);
  g_assert_cmpint (tenure_project_summary_get_leasable_area_c (xuhui), ==,
                   12345 + 98765432 + 1);
  g_object_get (xuhui, "leasable-area-text", &area_text, NULL);
  g_assert_cmpstr (area_text, ==, "987,777.78");

  g_assert_cmpint (tenure_project_summary_get_building_count (pudong), ==, 1);
  g_assert_cmpint (tenure_project_summary_get_floor_count (pudong), ==, 1);
  g_assert_cmpint (tenure_project_summary_get_unit_count (pudong), ==, 1);
  g_assert_cmpint (tenure_project_summary_get_leasable_area_c (pudong), ==, 25050);

  g_assert_null (tenure_project_summary_get_city (empty));
  g_assert_cmpint (tenure_project_summary_get_building_count (empty), ==, 0);
  g_assert_cmpint (tenure_project_summary_get_floor_count (empty), ==, 0);
  g_assert_cmpint (tenure_project_summary_get_unit_count (empty), ==, 0);
  g_assert_cmpint (tenure_project_summary_get_leasable_area_c (empty), ==, 0);

  close_fresh (db, location);
}

static void
test_list_projects_empty_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) projects = NULL;
  char *location = NULL;
  TenureDb *db = open_fresh (&location);

  if (db == NULL)
    return;
  projects = tenure_portfolio_list_projects (db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (projects), ==, 0);
  close_fresh (db, location);
}

static void
test_format_area (void)
{
  static const struct { gint64 area_c; const char *text; } cases[] = {
    { 0, "0.00" },
    { 5, "0.05" },
    { 99, "0.99" },
    { 100, "1.00" },
    { 123456, "1,234.56" },
    { 100000000, "1,000,000.00" },
    { 98777778, "987,777.78" },
    { -150, "-1.50" },
    { -12345678, "-123,456.78" },
    { G_MAXINT64, "92,233,720,368,547,758.07" },
    { G_MININT64, "-92,233,720,368,547,758.08" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = tenure_portfolio_format_area_c (cases[i].area_c);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_format_label (void)
{
  g_assert_cmpstr (tenure_portfolio_format_label ("mall"), ==, "Mall");
  g_assert_cmpstr (tenure_portfolio_format_label ("office"), ==, "Office");
  g_assert_cmpstr (tenure_portfolio_format_label ("industrial_park"), ==, "Industrial park");
  g_assert_cmpstr (tenure_portfolio_format_label ("apartment"), ==, "Apartments");
  g_assert_cmpstr (tenure_portfolio_format_label ("hotel"), ==, "hotel");
  g_assert_null (tenure_portfolio_format_label (NULL));
}

/* Floor 4 (SH-PD02-T-12F) with one unit per status rule, on the as-of date 2026-11-01. */
static const char status_sql[] =
  "UPDATE unit SET polygon = '[[0,0],[100,0],[100,100],[0,100]]' WHERE id = 5;"
  "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c, stored_status,"
  " asking_price_e4, vacancy_reason, polygon) VALUES"
  " ('SH-PD02-T-12F-1201', 4, '1201', 'office', 36000, 30000, 'available', NULL, NULL,"
  "  '[[100,0],[200,0],[200,100],[100,100]]'),"                                   /* 6 */
  " ('SH-PD02-T-12F-1202', 4, '1202', 'office', 24000, 20000, 'available', NULL, NULL,"
  "  '[[200,0],[300,0],[300,100],[200,100]]'),"                                   /* 7 */
  " ('SH-PD02-T-12F-1204', 4, '1204', 'office', 12000, 10000, 'reserved', 1800000,"
  "  '预留给意向客户', NULL),"                                                        /* 8 */
  " ('SH-PD02-T-12F-1205', 4, '1205', 'office', 12000, 10000, 'renovation', NULL, NULL,"
  "  NULL),"                                                                       /* 9 */
  " ('SH-PD02-T-12F-1206', 4, '1206', 'office', 12000, 10000, 'available', NULL, NULL,"
  "  NULL),"                                                                       /* 10 */
  " ('SH-PD02-T-12F-1207', 4, '1207', 'office', 12000, 10000, 'available', NULL, NULL,"
  "  NULL),"                                                                       /* 11 */
  " ('SH-PD02-T-12F-1208', 4, '1208', 'office', 12000, 10000, 'not_for_lease', NULL, NULL,"
  "  '[[1,2]]');"                                                                  /* 12 */
  "UPDATE unit SET asking_price_e4 = 2100000, vacancy_reason = '原租户提前解约' WHERE id = 5;"
  "INSERT INTO tenant (code, name, short_name) VALUES"
  " ('T1', '上海博雅文化传媒有限公司', '博雅'), ('T2', 'Acme Trading Ltd', NULL),"
  " ('T3', '星辰科技', '星辰'), ('T4', '青禾餐饮', '青禾'), ('T5', 'Draft Co', NULL),"
  " ('T6', 'Old Tenant 100%', NULL);"
  "INSERT INTO contract (code, tenant_id, project_id, status, start_date, end_date,"
  " terminated_on) VALUES"
  " ('HT-2026-001', 1, 2, 'active', '2025-01-01', '2027-12-31', NULL),"
  " ('HT-2026-002', 2, 2, 'active', '2024-12-16', '2026-12-15', NULL),"
  " ('HT-2025-003', 3, 2, 'terminated', '2025-01-01', '2027-12-31', '2026-10-31'),"
  " ('HT-2026-004', 4, 2, 'active', '2026-01-01', '2028-12-31', NULL),"
  " ('HT-2026-005', 5, 2, 'draft', '2026-01-01', '2027-12-31', NULL),"
  " ('HT-2024-006', 6, 2, 'expired', '2024-11-02', '2026-11-01', NULL);"
  "INSERT INTO contract_version (contract_id, version_no, effective_from, status) VALUES"
  " (1, 1, '2025-01-01', 'superseded'), (1, 2, '2026-07-01', 'approved'),"
  " (2, 1, '2024-12-16', 'approved'), (3, 1, '2025-01-01', 'approved'),"
  " (4, 1, '2026-01-01', 'approved'), (5, 1, '2026-01-01', 'draft'),"
  " (6, 1, '2024-11-02', 'approved');"
  "INSERT INTO contract_unit (contract_version_id, unit_id, area_c) VALUES"
  " (1, 6, 30000), (2, 6, 30000), (3, 7, 20000), (4, 5, 25050), (5, 9, 10000),"
  " (6, 10, 10000), (7, 11, 10000);"
  "INSERT INTO clause (contract_version_id, charge_item_id, basis, price_e4, amount,"
  " cycle_months, starts_on, ends_on, escalation) VALUES"
  " (1, 1, 'per_m2_day', 40000, NULL, 3, '2025-01-01', '2027-12-31', NULL),"
  " (2, 1, 'per_m2_day', 50000, NULL, 3, '2026-07-01', '2027-12-31',"
  "  '{\"kind\":\"percent\",\"by\":\"date\",\"params\":{\"rate_ppm\":50000}}'),"
  " (2, 2, 'per_m2_month', 300000, NULL, 1, '2026-07-01', '2027-12-31', NULL),"
  " (3, 1, 'fixed_month', NULL, 1000000, 1, '2024-12-16', '2026-12-15', NULL);"
  "INSERT INTO unit_note (unit_id, noted_on, author, body) VALUES"
  " (5, '2026-10-20', 'li', '第一次带看'), (5, '2026-10-28', 'wang', '客户考虑中');";

/* The three read-only tests below share one database: each new PostgreSQL database costs
 * seconds of migrations on a loaded machine. */
static TenureDb *status_db;
static char *status_location;

static TenureDb *
open_status_db (void)
{
  g_autoptr(GError) error = NULL;

  if (status_db != NULL)
    return status_db;
  status_db = open_fresh (&status_location);
  if (status_db == NULL)
    return NULL;
  tenure_db_exec (status_db, fixture_sql, &error);
  g_assert_no_error (error);
  tenure_db_exec (status_db, status_sql, &error);
  g_assert_no_error (error);
  return status_db;
}

static TenureUnitInfo *
unit_with_code (GListModel *units,
                const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (units); i++)
    {
      TenureUnitInfo *unit = g_list_model_get_item (units, i);

      g_object_unref (unit); /* the model keeps it */
      if (g_strcmp0 (unit->name, name) == 0)
        return unit;
    }
  g_assert_not_reached ();
}

static void
test_floor_units_status (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) units = NULL;
  g_autoptr(GListModel) tree = NULL;
  g_autoptr(TenureAssetNode) entity = NULL;
  g_autoptr(TenureAssetNode) xuhui = NULL;
  g_autoptr(TenureAssetNode) building = NULL;
  g_autoptr(TenureAssetNode) basement = NULL;
  TenureDate as_of = tenure_date_from_ymd (2026, 11, 1);
  TenureDb *db = open_status_db ();
  TenureUnitInfo *unit;

  if (db == NULL)
    return;

  /* The tree: entity → projects by code → buildings → floors by sort order. */
  tree = tenure_portfolio_list_asset_tree (db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tree), ==, 1);
  entity = g_list_model_get_item (tree, 0);
  g_assert_cmpint (entity->kind, ==, TENURE_ASSET_LEGAL_ENTITY);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (entity->children)), ==, 3);
  xuhui = g_list_model_get_item (G_LIST_MODEL (entity->children), 2);
  g_assert_cmpstr (xuhui->code, ==, "SH-XH01");
  building = g_list_model_get_item (G_LIST_MODEL (xuhui->children), 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (building->children)), ==, 2);
  basement = g_list_model_get_item (G_LIST_MODEL (building->children), 0);
  g_assert_cmpstr (basement->name, ==, "B1");
  g_assert_cmpint (basement->kind, ==, TENURE_ASSET_FLOOR);
  g_assert_cmpint (basement->plan_width, ==, 1000);
  g_assert_null (basement->children);

  units = tenure_portfolio_list_floor_units (db, 4, as_of, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (units), ==, 8);

  /* Version 2 is in force: its per-day rent, 5.0000 × 365 / 12 a month. */
  unit = unit_with_code (units, "1201");
  g_assert_cmpint (unit->status, ==, TENURE_UNIT_LEASED);
  g_assert_cmpstr (unit->contract_code, ==, "HT-2026-001");
  g_assert_cmpstr (unit->tenant_short_name, ==, "博雅");
  g_assert_cmpint (unit->rent_e4, ==, 1520833);
  g_assert_cmpint (unit->days_to_expiry, ==, 425);
  g_assert_cmpuint (unit->n_points, ==, 4);
  g_assert_cmpfloat (unit->points[2], ==, 200.0);

  /* Ends within 90 days; a fixed monthly rent over 200 m² is 50.0000 per m². */
  unit = unit_with_code (units, "1202");
  g_assert_cmpint (unit->status, ==, TENURE_UNIT_EXPIRING);
  g_assert_cmpint (unit->days_to_expiry, ==, 44);
  g_assert_cmpint (unit->rent_e4, ==, 500000);
  g_assert_cmpstr (unit->tenant_short_name, ==, "Acme Trading Ltd");

  /* Terminated the day before: vacant. */
  unit = unit_with_code (units, "1203");
  g_assert_cmpint (unit->status, ==, TENURE_UNIT_VACANT);
  g_assert_cmpint (unit->contract_id, ==, 0);
  g_assert_null (unit->tenant_short_name);
  g_assert_cmpint (unit->rent_e4, ==, -1);

  g_assert_cmpint (unit_with_code (units, "1204")->status, ==, TENURE_UNIT_RESERVED);
  g_assert_cmpuint (unit_with_code (units, "1204")->n_points, ==, 0);
  /* The renovation flag wins over a running lease. */
  g_assert_cmpint (unit_with_code (units, "1205")->status, ==, TENURE_UNIT_RENOVATION);
  /* A draft contract leases nothing. */
  g_assert_cmpint (unit_with_code (units, "1206")->status, ==, TENURE_UNIT_VACANT);
  /* An expired contract still covers its last day. */
  unit = unit_with_code (units, "1207");
  g_assert_cmpint (unit->status, ==, TENURE_UNIT_EXPIRING);
  g_assert_cmpint (unit->days_to_expiry, ==, 0);
  /* A polygon of one point is no polygon. */
  unit = unit_with_code (units, "1208");
  g_assert_cmpint (unit->status, ==, TENURE_UNIT_NOT_FOR_LEASE);
  g_assert_cmpuint (unit->n_points, ==, 0);

  /* The day after the expired contract's end: 1207 is vacant. */
  g_clear_object (&units);
  units = tenure_portfolio_list_floor_units (db, 4, tenure_date_from_ymd (2026, 11, 2),
                                             &error);
  g_assert_no_error (error);
  g_assert_cmpint (unit_with_code (units, "1207")->status, ==, TENURE_UNIT_VACANT);
  /* Before version 2, version 1's price. */
  g_clear_object (&units);
  units = tenure_portfolio_list_floor_units (db, 4, tenure_date_from_ymd (2026, 6, 30),
                                             &error);
  g_assert_no_error (error);
  g_assert_cmpint (unit_with_code (units, "1201")->rent_e4, ==, (40000 * 365 * 2 + 12) / 24);
  g_assert_cmpint (unit_with_code (units, "1203")->status, ==, TENURE_UNIT_LEASED);

}

/* A building's stacking-plan load: its floors top first, each with exactly the units (status,
 * contract, rent) the floor's own load gives, from one set of queries; cancellable. */
static void
test_building_units (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureBuildingUnits) xuhui_a = NULL;
  g_autoptr(TenureBuildingUnits) tower = NULL;
  g_autoptr(TenureBuildingUnits) none = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  TenureDate as_of = tenure_date_from_ymd (2026, 11, 1);
  TenureDb *db = open_status_db ();

  if (db == NULL)
    return;

  xuhui_a = tenure_portfolio_list_building_units (db, 1, as_of, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (xuhui_a->n_floors, ==, 2);
  g_assert_cmpstr (xuhui_a->floor_names[0], ==, "1F");
  g_assert_cmpstr (xuhui_a->floor_names[1], ==, "B1");
  g_assert_null (xuhui_a->floor_names[2]);
  g_assert_cmpint (xuhui_a->floor_ids[0], ==, 2);
  g_assert_cmpint (xuhui_a->floor_ids[1], ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (xuhui_a->floor_units[0]), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (xuhui_a->floor_units[1]), ==, 1);

  tower = tenure_portfolio_list_building_units (db, 3, as_of, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tower->n_floors, ==, 1);
  {
    g_autoptr(GListModel) floor = tenure_portfolio_list_floor_units (db, 4, as_of, &error);
    guint n = g_list_model_get_n_items (floor);

    g_assert_no_error (error);
    g_assert_cmpuint (n, ==, 8);
    g_assert_cmpuint (g_list_model_get_n_items (tower->floor_units[0]), ==, n);
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(TenureUnitInfo) a = g_list_model_get_item (floor, i);
        g_autoptr(TenureUnitInfo) b = g_list_model_get_item (tower->floor_units[0], i);

        g_assert_cmpint (a->id, ==, b->id);
        g_assert_cmpint (a->status, ==, b->status);
        g_assert_cmpint (a->contract_id, ==, b->contract_id);
        g_assert_cmpint (a->rent_e4, ==, b->rent_e4);
        g_assert_cmpint (a->days_to_expiry, ==, b->days_to_expiry);
        g_assert_cmpstr (a->tenant_name, ==, b->tenant_name);
      }
  }

  /* No such building: no floors; cancelled: nothing. */
  none = tenure_portfolio_list_building_units (db, 999, as_of, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->n_floors, ==, 0);
  g_cancellable_cancel (cancelled);
  g_assert_null (tenure_portfolio_list_building_units (db, 3, as_of, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_unit_detail (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureUnitDetail) leased = NULL;
  g_autoptr(TenureUnitDetail) vacant = NULL;
  g_autoptr(TenureUnitDetail) missing = NULL;
  TenureDate as_of = tenure_date_from_ymd (2026, 11, 1);
  const TenureClauseInfo *clause;
  const TenureUnitNoteInfo *note;
  TenureDb *db = open_status_db ();

  if (db == NULL)
    return;

  leased = tenure_portfolio_get_unit_detail (db, 6, as_of, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (leased->unit->contract_code, ==, "HT-2026-001");
  g_assert_cmpstr (leased->unit->tenant_name, ==, "上海博雅文化传媒有限公司");
  g_assert_cmpstr (leased->project_name, ==, "Pudong Tower");
  g_assert_cmpstr (leased->floor_name, ==, "12F");
  g_assert_cmpstr (leased->contract_status, ==, "active");
  g_assert_cmpint (leased->contract_area_c, ==, 30000);
  g_assert_cmpint (leased->unit->rent_e4, ==, 1520833);
  /* The clauses of version 2 only, property fee before rent (same start, by code). */
  g_assert_cmpuint (leased->clauses->len, ==, 2);
  clause = leased->clauses->pdata[0];
  g_assert_cmpstr (clause->charge_kind, ==, "property_fee");
  g_assert_cmpstr (clause->charge_name, ==, "Property fee");
  g_assert_cmpint (clause->price_e4, ==, 300000);
  g_assert_false (clause->escalates);
  clause = leased->clauses->pdata[1];
  g_assert_cmpstr (clause->basis, ==, "per_m2_day");
  g_assert_cmpint (clause->price_e4, ==, 50000);
  g_assert_cmpint (clause->amount, ==, -1);
  g_assert_cmpint (clause->cycle_months, ==, 3);
  g_assert_true (clause->escalates);
  g_assert_cmpuint (leased->notes->len, ==, 0);

  vacant = tenure_portfolio_get_unit_detail (db, 5, as_of, &error);
  g_assert_no_error (error);
  g_assert_cmpint (vacant->unit->status, ==, TENURE_UNIT_VACANT);
  g_assert_cmpint (vacant->unit->asking_price_e4, ==, 2100000);
  g_assert_cmpstr (vacant->unit->vacancy_reason, ==, "原租户提前解约");
  /* Terminated on 31 October: vacant one day on 1 November. */
  g_assert_cmpint (vacant->days_vacant, ==, 1);
  g_assert_cmpuint (vacant->notes->len, ==, 2);
  note = vacant->notes->pdata[0];
  g_assert_cmpstr (note->body, ==, "客户考虑中");
  g_assert_cmpstr (note->author, ==, "wang");
  g_assert_cmpint (note->noted_on, ==, tenure_date_from_ymd (2026, 10, 28));

  /* Never leased: no day count. */
  g_clear_pointer (&vacant, tenure_unit_detail_free);
  vacant = tenure_portfolio_get_unit_detail (db, 8, as_of, &error);
  g_assert_no_error (error);
  g_assert_cmpint (vacant->days_vacant, ==, -1);
  g_assert_cmpint (vacant->unit->status, ==, TENURE_UNIT_RESERVED);

  missing = tenure_portfolio_get_unit_detail (db, 999, as_of, &error);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_assert_null (missing);

}

static guint
n_hits (TenureDb   *db,
        const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) hits = tenure_portfolio_search_units (db, text, 50, &error);

  g_assert_no_error (error);
  return g_list_model_get_n_items (hits);
}

static void
test_search (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) hits = NULL;
  g_autoptr(TenureUnitHit) hit = NULL;
  TenureDb *db = open_status_db ();

  if (db == NULL)
    return;

  /* A contract number, in any case. */
  hits = tenure_portfolio_search_units (db, "ht-2026-002", 50, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (hits), ==, 1);
  hit = g_list_model_get_item (hits, 0);
  g_assert_cmpint (hit->unit_id, ==, 7);
  g_assert_cmpint (hit->floor_id, ==, 4);
  g_assert_cmpstr (hit->contract_code, ==, "HT-2026-002");
  g_assert_cmpstr (hit->place, ==, "Pudong Tower · T · 12F");

  /* Tenant name and short name; one hit per unit even with two versions. */
  g_assert_cmpuint (n_hits (db, "博雅"), ==, 1);
  g_assert_cmpuint (n_hits (db, "acme"), ==, 1);
  /* Unit codes: the 12th floor's eight live units (the retired one is left out). */
  g_assert_cmpuint (n_hits (db, "SH-PD02-T-12F"), ==, 8);
  g_assert_cmpuint (n_hits (db, "1F-02"), ==, 0);
  /* LIKE's wildcards are literal. */
  g_assert_cmpuint (n_hits (db, "%"), ==, 1);
  g_assert_cmpuint (n_hits (db, "_"), ==, 0);
  g_assert_cmpuint (n_hits (db, "nothing like this"), ==, 0);

}

/* A note and vacancy reason changes through the core functions: stored, audited, listed in
 * the history newest first with who and the old and new values; bad input refused with the
 * database unchanged. */
static void
test_unit_follow_up (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(TenureUnitDetail) detail = NULL;
  g_autofree char *location = NULL;
  TenureDate day = tenure_date_from_ymd (2026, 11, 2);
  const TenureFieldChange *change;
  const TenureUnitNoteInfo *note;
  TenureDb *db = open_fresh (&location);
  gint64 unit_id = 0, note_id, n = -1;

  if (db == NULL)
    return;
  tenure_db_exec (db, fixture_sql, &error);
  g_assert_no_error (error);
  g_assert_true (tenure_db_query_int64 (db, "SELECT min(id) FROM unit", &unit_id, &error));
  g_assert_no_error (error);

  note_id = tenure_portfolio_add_unit_note (db, unit_id, day, "  带看两组客户，待回复  ",
                                            &error);
  g_assert_no_error (error);
  g_assert_cmpint (note_id, >, 0);
  g_assert_cmpint (tenure_portfolio_add_unit_note (db, unit_id, day, " \t ", &error), ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tenure_portfolio_add_unit_note (db, 999999, day, "x", &error), ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (tenure_db_query_int64 (db, "SELECT count(*) FROM unit_note", &n, &error));
  g_assert_cmpint (n, ==, 1);

  g_assert_true (tenure_portfolio_set_vacancy_reason (db, unit_id, "装修中", &error));
  g_assert_no_error (error);
  g_assert_true (tenure_portfolio_set_vacancy_reason (db, unit_id, " 招商定位调整 ", &error));
  g_assert_no_error (error);
  /* The same reason again changes nothing and adds no history. */
  g_assert_true (tenure_portfolio_set_vacancy_reason (db, unit_id, "招商定位调整", &error));
  g_assert_no_error (error);
  g_assert_false (tenure_portfolio_set_vacancy_reason (db, 999999, "x", &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  detail = tenure_portfolio_get_unit_detail (db, unit_id, day, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (detail->unit->vacancy_reason, ==, "招商定位调整");
  g_assert_cmpuint (detail->notes->len, ==, 1);
  note = detail->notes->pdata[0];
  g_assert_cmpstr (note->body, ==, "带看两组客户，待回复");
  g_assert_cmpint (note->noted_on, ==, day);
  g_assert_cmpstr (note->author, ==, tenure_db_get_actor (db));

  history = tenure_portfolio_list_vacancy_reason_history (db, unit_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 2);
  change = history->pdata[0];
  g_assert_cmpstr (change->old_value, ==, "装修中");
  g_assert_cmpstr (change->new_value, ==, "招商定位调整");
  g_assert_cmpstr (change->actor, ==, tenure_db_get_actor (db));
  g_assert_nonnull (change->at);
  change = history->pdata[1];
  g_assert_null (change->old_value);
  g_assert_cmpstr (change->new_value, ==, "装修中");

  /* Clearing it is a change too. */
  g_assert_true (tenure_portfolio_set_vacancy_reason (db, unit_id, "", &error));
  g_clear_pointer (&history, g_ptr_array_unref);
  history = tenure_portfolio_list_vacancy_reason_history (db, unit_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 3);
  g_assert_null (((TenureFieldChange *) history->pdata[0])->new_value);
  close_fresh (db, g_steal_pointer (&location));
}

static void
test_parse_polygon (void)
{
  struct { const char *json; guint n; } cases[] = {
    { "[[0,0],[10,0],[10,5]]", 3 },
    { " [ [0.5, 1e2] , [10,0], [10,5], [3,-4] ] ", 4 },
    { "[[0,0],[10,0]]", 0 },
    { "[]", 0 },
    { "", 0 },
    { "[[0,0],[10,0],[10,5]", 0 },
    { "[[0,0],[10,0],[10,5]] x", 0 },
    { "[[0,0,1],[10,0],[10,5]]", 0 },
    { "[[0,0],[nan,0],[10,5]]", 0 },
    { "[[0,0],[1e999,0],[10,5]]", 0 },
    { "{\"a\":1}", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint n = 99;
      g_autofree double *points = tenure_portfolio_parse_polygon (cases[i].json, &n);

      g_assert_cmpuint (n, ==, cases[i].n);
      g_assert_true ((points != NULL) == (cases[i].n > 0));
    }
  {
    guint n;
    g_autofree double *points = tenure_portfolio_parse_polygon (
      " [ [0.5, 1e2] , [10,0], [10,5], [3,-4] ] ", &n);
    g_assert_cmpfloat (points[0], ==, 0.5);
    g_assert_cmpfloat (points[1], ==, 100.0);
    g_assert_cmpfloat (points[7], ==, -4.0);
  }
}

static void
test_formats (void)
{
  struct { gint64 value; const char *text; } prices[] = {
    { 0, "0.00" }, { 50000, "5.00" }, { 52500, "5.25" }, { 55125, "5.5125" },
    { 12345678901, "1,234,567.8901" }, { -52501, "-5.2501" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (prices); i++)
    {
      g_autofree char *text = tenure_portfolio_format_price_e4 (prices[i].value);
      g_assert_cmpstr (text, ==, prices[i].text);
    }
  {
    g_autofree char *fen = tenure_portfolio_format_fen (3041667);
    g_autofree char *min = tenure_portfolio_format_fen (G_MININT64);
    g_assert_cmpstr (fen, ==, "30,416.67");
    g_assert_cmpstr (min, ==, "-92,233,720,368,547,758.08");
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  backend = tenure_test_backend_from_args (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/portfolio/list-projects/counts", test_list_projects);
  g_test_add_func ("/portfolio/list-projects/empty", test_list_projects_empty_database);
  g_test_add_func ("/portfolio/format-area", test_format_area);
  g_test_add_func ("/portfolio/format-label", test_format_label);
  g_test_add_func ("/portfolio/floor-units/status", test_floor_units_status);
  g_test_add_func ("/portfolio/building-units", test_building_units);
  g_test_add_func ("/portfolio/unit-detail", test_unit_detail);
  g_test_add_func ("/portfolio/unit-follow-up", test_unit_follow_up);
  g_test_add_func ("/portfolio/search", test_search);
  g_test_add_func ("/portfolio/parse-polygon", test_parse_polygon);
  g_test_add_func ("/portfolio/format-price-fen", test_formats);

  status = g_test_run ();
  if (status_db != NULL)
    close_fresh (status_db, status_location);
  return status;
}
