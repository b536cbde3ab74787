/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-portfolio"

#include <locale.h>

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

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  backend = tenure_test_backend_from_args (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/portfolio/list-projects/counts", test_list_projects);
  g_test_add_func ("/portfolio/list-projects/empty", test_list_projects_empty_database);
  g_test_add_func ("/portfolio/format-area", test_format_area);
  g_test_add_func ("/portfolio/format-label", test_format_label);

  return g_test_run ();
}
