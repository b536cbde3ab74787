/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test-demo"

#include <string.h>

#include <json-glib/json-glib.h>

#include "base/tenure-error.h"
#include "billing/tenure-bill-run.h"
#include "billing/tenure-deposit.h"
#include "collections/tenure-open-item.h"
#include "collections/tenure-receipt.h"
#include "demo/tenure-demo.h"
#include "store/tenure-db.h"
#include "tenure-test-db.h"
#include "tenure-test-util.h"

/* The small demo is generated once on the backend under test (seed 42) and checked from the
 * database; the determinism tests generate more copies. */
static TenureTestBackend backend;
static char *main_location;
static TenureDb *main_db;

static TenureDb *
open_new (TenureTestBackend on, char **out_location)
{
  g_autoptr(GError) error = NULL;
  char *location = tenure_test_db_new_location (on);
  TenureDb *db;

  if (location == NULL)
    return NULL;
  db = tenure_db_open (location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  *out_location = location;
  return db;
}

static void
generate_with (TenureDb *db, guint64 seed, TenureDemoBills bills)
{
  g_autoptr(GError) error = NULL;
  TenureDemoOptions opts = { seed, TENURE_DEMO_SCALE_SMALL, bills };

  gboolean ok = tenure_demo_generate (db, &opts, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
generate (TenureDb *db, guint64 seed)
{
  generate_with (db, seed, TENURE_DEMO_BILLS_DEFAULT);
}

static TenureDb *
demo_db (void)
{
  if (main_db == NULL)
    {
      main_db = open_new (backend, &main_location);
      if (main_db == NULL)
        return NULL;
      generate (main_db, 42);
    }
  return main_db;
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

/* Contracts whose rent clause (any version) matches CONDITION. */
static gint64
rent_contracts (TenureDb *db, const char *condition)
{
  g_autofree char *sql = g_strdup_printf (
      "SELECT count(DISTINCT v.contract_id) FROM clause c "
      "JOIN contract_version v ON v.id = c.contract_version_id "
      "JOIN charge_item ci ON ci.id = c.charge_item_id "
      "WHERE ci.code = 'RENT' AND (%s)", condition);
  return query (db, sql);
}

static void
test_counts (void)
{
  TenureDb *db = demo_db ();
  gint64 units, floors, contracts;

  if (db == NULL)
    return;
  g_assert_cmpint (query (db, "SELECT count(*) FROM project"), ==, 3);
  g_assert_cmpint (query (db, "SELECT count(*) FROM project WHERE format = 'mall'"), ==, 1);
  g_assert_cmpint (query (db, "SELECT count(*) FROM project WHERE format = 'office'"), ==, 1);
  g_assert_cmpint (query (db, "SELECT count(*) FROM project WHERE format = 'apartment'"), ==, 1);
  g_assert_cmpint (query (db, "SELECT count(*) FROM legal_entity"), >=, 1);
  units = query (db, "SELECT count(*) FROM unit");
  floors = query (db, "SELECT count(*) FROM floor");
  contracts = query (db, "SELECT count(*) FROM contract");
  g_test_message ("%" G_GINT64_FORMAT " units on %" G_GINT64_FORMAT " floors, %" G_GINT64_FORMAT
                  " contracts", units, floors, contracts);
  g_assert_cmpint (units, >=, 550);
  g_assert_cmpint (units, <=, 650);
  g_assert_cmpint (floors, >=, 35);
  g_assert_cmpint (floors, <=, 45);
  g_assert_cmpint (contracts, >=, 400);
  g_assert_cmpint (contracts, <=, 500);

  /* Basements of the mall sort below the ground floor: B2 < B1 < 1F. */
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM floor b2, floor b1, floor f1, building bd, project p "
      "WHERE b2.building_id = bd.id AND b1.building_id = bd.id AND f1.building_id = bd.id "
      "AND bd.project_id = p.id AND p.format = 'mall' AND b2.name = 'B2' AND b1.name = 'B1' "
      "AND f1.name = '1F' AND b2.sort_order < b1.sort_order AND b1.sort_order < f1.sort_order"),
      ==, 1);
  /* Every unit has a GFA at least its leasable area, an asking rent and the project's format. */
  g_assert_cmpint (query (db, "SELECT count(*) FROM unit WHERE gfa_area_c < leasable_area_c "
                              "OR asking_price_e4 IS NULL OR asking_price_e4 <= 0"), ==, 0);
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM unit u JOIN floor f ON f.id = u.floor_id "
      "JOIN building b ON b.id = f.building_id JOIN project p ON p.id = b.project_id "
      "WHERE u.format <> p.format"), ==, 0);
  /* Stored statuses of every kind. */
  g_assert_cmpint (query (db, "SELECT count(DISTINCT stored_status) FROM unit"), ==, 4);
}

static void
test_lease_types (void)
{
  TenureDb *db = demo_db ();
  static const char *const bases[] = { "per_m2_day", "per_m2_month", "fixed_month",
                                       "fixed_period", "one_off", "turnover" };
  static const char *const escalations[] = { "percent", "amount", "table", "cpi" };

  if (db == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (bases); i++)
    {
      g_autofree char *cond = g_strdup_printf ("c.basis = '%s'", bases[i]);
      gint64 n = rent_contracts (db, cond);
      g_test_message ("%s: %" G_GINT64_FORMAT " contracts", bases[i], n);
      g_assert_cmpint (n, >=, 20);
    }
  for (guint i = 0; i < G_N_ELEMENTS (escalations); i++)
    {
      g_autofree char *cond = g_strdup_printf ("c.escalation LIKE '%%\"kind\":\"%s\"%%'",
                                               escalations[i]);
      gint64 n = rent_contracts (db, cond);
      g_test_message ("escalation %s: %" G_GINT64_FORMAT " contracts", escalations[i], n);
      g_assert_cmpint (n, >=, 20);
    }
  /* Turnover: tiered, natural and artificial breakpoints, and monthly reports. */
  g_assert_cmpint (rent_contracts (db, "c.turnover LIKE '%\"rate_ppm\":%\"rate_ppm\":%'"), >=, 5);
  g_assert_cmpint (rent_contracts (db, "c.turnover LIKE '%\"breakpoint\":null%'"), >=, 5);
  g_assert_cmpint (rent_contracts (db, "c.basis = 'turnover' AND "
                                       "c.turnover NOT LIKE '%\"breakpoint\":null%'"), >=, 5);
  g_assert_cmpint (query (db, "SELECT count(DISTINCT contract_id) FROM turnover_report"), >=, 15);
  /* CPI series behind the indexed leases. */
  g_assert_cmpint (query (db, "SELECT count(*) FROM cpi_index WHERE series = '"
                              TENURE_DEMO_CPI_SERIES "' AND period >= '2019-01' "
                              "AND period <= '2026-10'"), ==, 94);
  /* Rent-free periods on rent clauses. */
  g_assert_cmpint (query (db,
      "SELECT count(DISTINCT v.contract_id) FROM rent_free r JOIN clause c ON c.id = r.clause_id "
      "JOIN contract_version v ON v.id = c.contract_version_id "
      "JOIN charge_item ci ON ci.id = c.charge_item_id WHERE ci.code = 'RENT' "
      "AND r.to_date >= r.from_date"), >=, 20);
  /* Billing cycles, alignments and days rules of every kind. */
  g_assert_cmpint (query (db, "SELECT count(DISTINCT cycle_months) FROM clause"), ==, 5);
  g_assert_cmpint (query (db, "SELECT count(DISTINCT alignment) FROM clause"), ==, 2);
  g_assert_cmpint (query (db, "SELECT count(DISTINCT days_rule) FROM clause"), ==, 3);
  /* AVG_365_12 only with per-day prices. */
  g_assert_cmpint (query (db, "SELECT count(*) FROM clause WHERE days_rule = 'AVG_365_12' "
                              "AND basis <> 'per_m2_day'"), ==, 0);
  /* Property fees and deposits on every contract. */
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM contract c WHERE NOT EXISTS (SELECT 1 FROM clause cl "
      "JOIN contract_version v ON v.id = cl.contract_version_id "
      "JOIN charge_item ci ON ci.id = cl.charge_item_id "
      "WHERE v.contract_id = c.id AND ci.code = 'PROPERTY_FEE')"), ==, 0);
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM contract c WHERE NOT EXISTS (SELECT 1 FROM clause cl "
      "JOIN contract_version v ON v.id = cl.contract_version_id "
      "JOIN charge_item ci ON ci.id = cl.charge_item_id "
      "WHERE v.contract_id = c.id AND ci.code = 'DEPOSIT' AND cl.amount > 0)"), ==, 0);
  /* Versions, renewals, expiries and terminations. */
  g_assert_cmpint (query (db, "SELECT count(*) FROM contract_version WHERE version_no = 2 "
                              "AND status = 'approved'"), >=, 10);
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM contract_version v1 JOIN contract_version v2 "
      "ON v2.contract_id = v1.contract_id AND v2.version_no = 2 "
      "WHERE v1.version_no = 1 AND v1.status <> 'superseded'"), ==, 0);
  g_assert_cmpint (query (db, "SELECT count(*) FROM contract WHERE renewal_of_id IS NOT NULL"),
                   >=, 10);
  g_assert_cmpint (query (db, "SELECT count(*) FROM contract WHERE status = 'expired'"), >=, 10);
  g_assert_cmpint (query (db, "SELECT count(*) FROM contract WHERE status = 'terminated' "
                              "AND terminated_on IS NOT NULL AND termination_type IS NOT NULL"),
                   >=, 5);
  g_assert_cmpint (query (db, "SELECT count(*) FROM contract WHERE status IN "
                              "('draft', 'pending_approval')"), >=, 1);
  /* A renewal has the tenant of the lease it renews and starts the day after it ends. */
  g_assert_cmpint (query (db, "SELECT count(*) FROM contract c JOIN contract o "
                              "ON o.id = c.renewal_of_id WHERE c.tenant_id <> o.tenant_id "
                              "OR o.end_date >= c.start_date"), ==, 0);
}

static void
test_tenants (void)
{
  TenureDb *db = demo_db ();

  if (db == NULL)
    return;
  /* A parent company paying for subsidiaries, persons for apartments, sensitive fields. */
  g_assert_cmpint (query (db, "SELECT count(DISTINCT parent_tenant_id) FROM tenant"), >=, 1);
  g_assert_cmpint (query (db, "SELECT count(*) FROM tenant WHERE parent_tenant_id IS NOT NULL"),
                   >=, 5);
  g_assert_cmpint (query (db, "SELECT count(*) FROM tenant WHERE kind = 'person'"), >=, 50);
  g_assert_cmpint (query (db, "SELECT count(*) FROM tenant WHERE kind = 'company' "
                              "AND name LIKE '%有限公司%'"), >=, 100);
  g_assert_cmpint (query (db, "SELECT count(*) FROM tenant WHERE phone IS NULL "
                              "OR id_number IS NULL OR length(id_number) <> 18"), ==, 0);
  /* Company names are unique. */
  g_assert_cmpint (query (db, "SELECT count(*) FROM (SELECT name FROM tenant WHERE kind = "
                              "'company' GROUP BY name HAVING count(*) > 1) d"), ==, 0);
}

static void
test_resident_id_checksums (void)
{
  TenureDb *db = demo_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  int checked = 0;

  if (db == NULL)
    return;
  stmt = tenure_db_prepare (db, "SELECT id_number FROM tenant WHERE kind = 'person'", &error);
  g_assert_no_error (error);
  while (tenure_stmt_step (stmt, &error))
    {
      const char *id = tenure_stmt_column_text (stmt, 0);
      int sum = 0;

      g_assert_cmpuint (strlen (id), ==, 18);
      for (int i = 0; i < 17; i++)
        sum += (id[i] - '0') * weights[i];
      g_assert_cmpint (id[17], ==, "10X98765432"[sum % 11]);
      checked++;
    }
  g_assert_no_error (error);
  g_assert_cmpint (checked, >=, 50);
}

static void
test_codes (void)
{
  TenureDb *db = demo_db ();
  static const char *const tables[] = { "legal_entity", "project", "building", "floor", "unit",
                                        "tenant", "contract" };

  if (db == NULL)
    return;
  g_assert_true (tenure_demo_code_is_valid ("SH-XH01-A-12-1203"));
  g_assert_true (tenure_demo_code_is_valid ("SH-XH01-A-B1-B105"));
  g_assert_false (tenure_demo_code_is_valid ("sh-XH01"));
  g_assert_false (tenure_demo_code_is_valid ("SH--XH01"));
  g_assert_false (tenure_demo_code_is_valid ("SH-XH01-"));
  g_assert_false (tenure_demo_code_is_valid ("1H-XH01"));
  g_assert_false (tenure_demo_code_is_valid ("SH XH01"));
  g_assert_false (tenure_demo_code_is_valid (""));
  g_assert_false (tenure_demo_code_is_valid (NULL));

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *sql = g_strdup_printf ("SELECT code FROM %s", tables[t]);
      g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, sql, &error);
      int n = 0;

      g_assert_no_error (error);
      while (tenure_stmt_step (stmt, &error))
        {
          const char *code = tenure_stmt_column_text (stmt, 0);
          if (!tenure_demo_code_is_valid (code))
            g_error ("%s: invalid code %s", tables[t], code);
          n++;
        }
      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
    }
  /* Unit codes extend their floor's code, e.g. SH-XH01-A-12 → SH-XH01-A-12-1203. */
  g_assert_cmpint (query (db, "SELECT count(*) FROM unit u JOIN floor f ON f.id = u.floor_id "
                              "WHERE u.code <> f.code || '-' || u.name"), ==, 0);
  g_assert_cmpint (query (db, "SELECT count(*) FROM unit WHERE code = 'SH-XT02-A-12-1203'"),
                   ==, 1);
}

typedef struct
{
  int     n;
  double *x, *y;
} Polygon;

static gboolean
point_in_polygon (const Polygon *p, double x, double y)
{
  gboolean inside = FALSE;

  for (int i = 0, j = p->n - 1; i < p->n; j = i++)
    if ((p->y[i] > y) != (p->y[j] > y)
        && x < (p->x[j] - p->x[i]) * (y - p->y[i]) / (p->y[j] - p->y[i]) + p->x[i])
      inside = !inside;
  return inside;
}

/* Every polygon lies inside its floor plan and no two units of a floor share a cell: each
 * polygon is rasterized (cell centres) into a per-floor grid. */
static void
test_polygons (void)
{
  TenureDb *db = demo_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  g_autofree guint8 *grid = NULL;
  gint64 floor_id = -1;
  int w = 0, h = 0, units = 0;

  if (db == NULL)
    return;
  g_assert_cmpint (query (db, "SELECT count(*) FROM unit WHERE polygon IS NULL"), ==, 0);
  stmt = tenure_db_prepare (db, "SELECT f.id, f.plan_width, f.plan_height, u.code, u.polygon "
                                "FROM unit u JOIN floor f ON f.id = u.floor_id "
                                "ORDER BY f.id, u.code", &error);
  g_assert_no_error (error);
  while (tenure_stmt_step (stmt, &error))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      const char *code = tenure_stmt_column_text (stmt, 3);
      JsonArray *points;
      Polygon poly;
      double min_x = G_MAXDOUBLE, min_y = G_MAXDOUBLE, max_x = -1, max_y = -1;
      gint64 cells = 0;

      if (tenure_stmt_column_int64 (stmt, 0) != floor_id)
        {
          floor_id = tenure_stmt_column_int64 (stmt, 0);
          w = (int) tenure_stmt_column_int64 (stmt, 1);
          h = (int) tenure_stmt_column_int64 (stmt, 2);
          g_free (grid);
          grid = g_new0 (guint8, (gsize) w * h);
        }
      g_assert_true (json_parser_load_from_data (parser, tenure_stmt_column_text (stmt, 4), -1,
                                                 NULL));
      points = json_node_get_array (json_parser_get_root (parser));
      poly.n = (int) json_array_get_length (points);
      g_assert_cmpint (poly.n, >=, 4);
      poly.x = g_new (double, poly.n);
      poly.y = g_new (double, poly.n);
      for (int i = 0; i < poly.n; i++)
        {
          JsonArray *pt = json_array_get_array_element (points, i);
          poly.x[i] = json_array_get_double_element (pt, 0);
          poly.y[i] = json_array_get_double_element (pt, 1);
          if (poly.x[i] < 0 || poly.y[i] < 0 || poly.x[i] > w || poly.y[i] > h)
            g_error ("%s: vertex (%g, %g) outside the %d×%d plan", code, poly.x[i], poly.y[i],
                     w, h);
          min_x = MIN (min_x, poly.x[i]);
          min_y = MIN (min_y, poly.y[i]);
          max_x = MAX (max_x, poly.x[i]);
          max_y = MAX (max_y, poly.y[i]);
        }
      for (int y = (int) min_y; y < (int) max_y; y++)
        for (int x = (int) min_x; x < (int) max_x; x++)
          if (point_in_polygon (&poly, x + 0.5, y + 0.5))
            {
              if (grid[(gsize) y * w + x]++ != 0)
                g_error ("%s overlaps another unit at (%d, %d)", code, x, y);
              cells++;
            }
      g_assert_cmpint (cells, >, 0);
      g_free (poly.x);
      g_free (poly.y);
      units++;
    }
  g_assert_no_error (error);
  g_assert_cmpint (units, ==, query (db, "SELECT count(*) FROM unit"));
}

/* The leased span of a contract: start to the earlier of its end and its termination. */
#define LEASED_SPANS \
  "WITH cu AS (SELECT DISTINCT v.contract_id, cu.unit_id FROM contract_unit cu " \
  "JOIN contract_version v ON v.id = cu.contract_version_id), " \
  "span AS (SELECT id, status, start_date AS s, CASE WHEN terminated_on IS NOT NULL AND " \
  "terminated_on < end_date THEN terminated_on ELSE end_date END AS e FROM contract) "

static void
test_no_double_lease (void)
{
  TenureDb *db = demo_db ();

  if (db == NULL)
    return;
  /* Any two contracts of a unit, whatever their status, never overlap. */
  g_assert_cmpint (query (db, LEASED_SPANS
      "SELECT count(*) FROM cu a JOIN cu b ON a.unit_id = b.unit_id "
      "AND a.contract_id < b.contract_id JOIN span x ON x.id = a.contract_id "
      "JOIN span y ON y.id = b.contract_id WHERE x.s <= y.e AND y.s <= x.e"), ==, 0);
  /* Contracts never cover units that are not for lease. */
  g_assert_cmpint (query (db, "SELECT count(*) FROM contract_unit cu JOIN unit u "
                              "ON u.id = cu.unit_id WHERE u.stored_status = 'not_for_lease'"),
                   ==, 0);
  /* The statuses agree with the reference date. */
  g_assert_cmpint (query (db, "SELECT count(*) FROM contract WHERE status = 'active' AND NOT "
                              "(start_date <= '" TENURE_DEMO_REFERENCE_DATE "' AND end_date >= '"
                              TENURE_DEMO_REFERENCE_DATE "')"), ==, 0);
  g_assert_cmpint (query (db, "SELECT count(*) FROM contract WHERE status = 'expired' AND "
                              "end_date >= '" TENURE_DEMO_REFERENCE_DATE "'"), ==, 0);
}

static void
test_vacancy (void)
{
  TenureDb *db = demo_db ();
  const char *leased = LEASED_SPANS
    "SELECT cu.unit_id FROM cu JOIN span ON span.id = cu.contract_id "
    "WHERE span.status IN ('active', 'expired', 'terminated') AND span.s <= '"
    TENURE_DEMO_REFERENCE_DATE "' AND span.e >= '" TENURE_DEMO_REFERENCE_DATE "'";
  g_autofree char *vacant_without_reason = g_strdup_printf (
      "%s%s", "SELECT count(*) FROM unit WHERE (vacancy_reason IS NULL OR vacancy_reason = '') "
      "AND id NOT IN (", leased);
  g_autofree char *leased_with_reason = g_strdup_printf (
      "%s%s", "SELECT count(*) FROM unit WHERE vacancy_reason IS NOT NULL AND id IN (", leased);
  g_autofree char *vacant = g_strdup_printf (
      "%s%s", "SELECT count(*) FROM unit WHERE stored_status <> 'not_for_lease' AND id NOT IN (",
      leased);
  g_autofree char *sql1 = g_strconcat (vacant_without_reason, ")", NULL);
  g_autofree char *sql2 = g_strconcat (leased_with_reason, ")", NULL);
  g_autofree char *sql3 = g_strconcat (vacant, ")", NULL);
  gint64 n_vacant;

  if (db == NULL)
    return;
  g_assert_cmpint (query (db, sql1), ==, 0);
  g_assert_cmpint (query (db, sql2), ==, 0);
  n_vacant = query (db, sql3);
  g_test_message ("%" G_GINT64_FORMAT " vacant units", n_vacant);
  g_assert_cmpint (n_vacant, >=, 30);
  g_assert_cmpint (n_vacant, <=, query (db, "SELECT count(*) FROM unit") / 3);
  /* Follow-up notes on some vacant units. */
  g_assert_cmpint (query (db, "SELECT count(DISTINCT unit_id) FROM unit_note"), >=, 10);
}

/* ---- plans and bills ------------------------------------------------------------------- */

/* The bill runs of the 24 months before the reference date, each posted in its month. */
static void
test_bill_months (void)
{
  TenureDb *db = demo_db ();
  int y = 2024, m = 11;

  if (db == NULL)
    return;
  for (int k = 0; k < TENURE_DEMO_BILLED_MONTHS; k++)
    {
      g_autofree char *runs = g_strdup_printf (
          "SELECT count(*) FROM bill_run WHERE period = '%04d-%02d' AND status = 'posted' "
          "AND substr (posting_date, 1, 7) = '%04d-%02d'", y, m, y, m);
      g_autofree char *bills = g_strdup_printf (
          "SELECT count(*) FROM bill b JOIN bill_run br ON br.id = b.bill_run_id "
          "WHERE br.period = '%04d-%02d' AND b.posting_date = br.posting_date "
          "AND b.period_start >= '%04d-%02d-01'", y, m, y, m);
      gint64 n_bills = query (db, bills);

      g_test_message ("%04d-%02d: %" G_GINT64_FORMAT " bills of the month or later", y, m,
                      n_bills);
      g_assert_cmpint (query (db, runs), ==, 1);
      /* Monthly leases bill every month, quarterly and longer cycles every few: of some 400
       * leases, well over 50 are billed in any month (for periods from that month on). */
      g_assert_cmpint (n_bills, >=, 50);
      if (++m > 12)
        {
          m = 1;
          y++;
        }
    }
  /* No other run, and every bill belongs to one of them. */
  g_assert_cmpint (query (db, "SELECT count(*) FROM bill_run"), ==, TENURE_DEMO_BILLED_MONTHS);
  g_assert_cmpint (query (db, "SELECT count(*) FROM bill WHERE bill_run_id IS NULL"), ==, 0);
}

static void
test_bill_totals (void)
{
  TenureDb *db = demo_db ();

  if (db == NULL)
    return;
  g_assert_cmpint (query (db, "SELECT count(*) FROM bill_line"), >=, 5000);
  /* Every bill's total and tax are the sums of its lines, to the fen; no empty bill. */
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM bill b WHERE b.total <> (SELECT coalesce (sum (l.amount), 0) "
      "FROM bill_line l WHERE l.bill_id = b.id) OR b.tax <> (SELECT coalesce (sum (l.tax), 0) "
      "FROM bill_line l WHERE l.bill_id = b.id) "
      "OR NOT EXISTS (SELECT 1 FROM bill_line l WHERE l.bill_id = b.id)"), ==, 0);
  /* Every billed plan line has exactly one bill line, on its bill, with its amount and tax. */
  g_assert_cmpint (query (db, "SELECT count(*) FROM receivable_line WHERE status = 'billed'"),
                   ==, query (db, "SELECT count(*) FROM bill_line"));
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM receivable_line r WHERE r.status = 'billed' AND "
      "(SELECT count(*) FROM bill_line l WHERE l.receivable_line_id = r.id "
      "AND l.bill_id = r.bill_id AND l.amount = r.amount AND l.tax = r.tax "
      "AND l.period_start = r.period_start AND l.charge_item_id = r.charge_item_id) <> 1"),
      ==, 0);
  g_assert_cmpint (query (db, "SELECT count(*) FROM receivable_line "
                              "WHERE (status = 'billed') <> (bill_id IS NOT NULL)"), ==, 0);
  /* Bills go to the contract's tenant and hold only that contract's lines. */
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM bill b JOIN contract c ON c.id = b.contract_id "
      "WHERE b.tenant_id <> c.tenant_id OR EXISTS (SELECT 1 FROM bill_line l "
      "JOIN receivable_line r ON r.id = l.receivable_line_id "
      "WHERE l.bill_id = b.id AND r.contract_id <> b.contract_id)"), ==, 0);
}

static void
test_bill_horizon (void)
{
  TenureDb *db = demo_db ();

  if (db == NULL)
    return;
  /* Nothing billed for a period after the reference month, nor due after the last run. */
  g_assert_cmpint (query (db, "SELECT count(*) FROM bill WHERE period_start > '2026-11-30'"),
                   ==, 0);
  g_assert_cmpint (query (db, "SELECT count(*) FROM bill_line WHERE due_date > '2026-10-31'"),
                   ==, 0);
  /* …yet the plan reaches beyond it, unbilled; and everything due by then that is not zero
   * was billed, except for leases the runs leave alone (draft or pending). */
  g_assert_cmpint (query (db, "SELECT count(*) FROM receivable_line "
                              "WHERE due_date > '2026-10-31' AND status = 'planned'"), >, 0);
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM receivable_line r JOIN contract c ON c.id = r.contract_id "
      "WHERE r.status = 'planned' AND r.amount <> 0 AND r.due_date <= '2026-10-31' "
      "AND c.status NOT IN ('draft', 'pending_approval')"), ==, 0);
}

static void
test_bill_rerun (void)
{
  TenureDb *db = demo_db ();
  gint64 bills, lines;

  if (db == NULL)
    return;
  bills = query (db, "SELECT count(*) FROM bill");
  lines = query (db, "SELECT count(*) FROM bill_line");
  for (int k = 0; k < 3; k++)
    {
      static const int months[][2] = { { 2024, 11 }, { 2025, 6 }, { 2026, 10 } };
      g_autoptr(GError) error = NULL;
      g_autoptr(TenureBillRunResult) result = NULL;
      TenureBillRunOptions options;

      tenure_bill_run_options_init (&options, months[k][0], months[k][1]);
      options.posting_date = tenure_date_from_ymd (months[k][0], months[k][1], 28);
      result = tenure_bill_run_post (db, &options, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (result);
      g_assert_cmpuint (result->bills->len, ==, 0);
      g_assert_cmpint (result->bill_run_id, ==, 0);
      g_assert_cmpint (result->line_count, ==, 0);
    }
  g_assert_cmpint (query (db, "SELECT count(*) FROM bill"), ==, bills);
  g_assert_cmpint (query (db, "SELECT count(*) FROM bill_line"), ==, lines);
  g_assert_cmpint (query (db, "SELECT count(*) FROM bill_run"), ==, TENURE_DEMO_BILLED_MONTHS);
}

static void
test_rent_free_unbilled (void)
{
  TenureDb *db = demo_db ();
  gint64 zero_lines;

  if (db == NULL)
    return;
  /* Rent lines inside a rent-free period within the billed months are in the plan at zero and
   * were not billed. */
  zero_lines = query (db,
      "SELECT count(*) FROM receivable_line r JOIN charge_item ci ON ci.id = r.charge_item_id "
      "WHERE ci.code = 'RENT' AND r.amount = 0 AND r.status = 'planned' "
      "AND r.due_date <= '2026-10-31' AND EXISTS (SELECT 1 FROM rent_free f "
      "JOIN clause cl ON cl.id = f.clause_id JOIN contract_version v "
      "ON v.id = cl.contract_version_id WHERE v.contract_id = r.contract_id "
      "AND cl.charge_item_id = r.charge_item_id AND f.from_date <= r.period_start "
      "AND f.to_date >= r.period_end)");
  g_test_message ("%" G_GINT64_FORMAT " rent-free lines", zero_lines);
  g_assert_cmpint (zero_lines, >=, 10);
  /* No zero line was billed at all. */
  g_assert_cmpint (query (db, "SELECT count(*) FROM bill_line WHERE amount = 0"), ==, 0);
  g_assert_cmpint (query (db, "SELECT count(*) FROM receivable_line "
                              "WHERE amount = 0 AND status = 'billed'"), ==, 0);
}

static void
test_deposit_ledger (void)
{
  TenureDb *db = demo_db ();
  const char *deposit_lines =
    "SELECT count(*) FROM bill_line l JOIN charge_item ci ON ci.id = l.charge_item_id "
    "WHERE ci.kind = 'deposit'";
  gint64 n;

  if (db == NULL)
    return;
  n = query (db, deposit_lines);
  g_test_message ("%" G_GINT64_FORMAT " billed deposit lines", n);
  g_assert_cmpint (n, >=, 10);
  /* One billed entry per billed deposit line, of its amount, dated the bill's posting date, on
   * the bill's contract; no other billed entries (receipts, offsets and refunds add theirs). */
  g_assert_cmpint (query (db, "SELECT count(*) FROM deposit_entry WHERE kind = 'billed'"), ==, n);
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM bill_line l JOIN charge_item ci ON ci.id = l.charge_item_id "
      "JOIN bill b ON b.id = l.bill_id WHERE ci.kind = 'deposit' AND "
      "(SELECT count(*) FROM deposit_entry d WHERE d.bill_line_id = l.id AND d.kind = 'billed' "
      "AND d.amount = l.amount AND d.entry_date = b.posting_date "
      "AND d.contract_id = b.contract_id) <> 1"), ==, 0);
}

/* ---- collections ------------------------------------------------------------------------ */

/* Receipts posted before go-live (2024-11-01) are the old system's, migrated with the opening
 * bills: bank receipts without a statement line. */
#define GO_LIVE "2024-11-01"

static void
test_receipt_allocations (void)
{
  TenureDb *db = demo_db ();
  gint64 receipts;

  if (db == NULL)
    return;
  receipts = query (db, "SELECT count(*) FROM receipt");
  g_test_message ("%" G_GINT64_FORMAT " receipts, %" G_GINT64_FORMAT " allocations", receipts,
                  query (db, "SELECT count(*) FROM allocation"));
  g_assert_cmpint (receipts, >=, 3000);
  /* For every receipt Σ allocations ≤ amount; allocations positive, never reversed here. */
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM receipt r WHERE r.amount < (SELECT coalesce (sum (a.amount), 0) "
      "FROM allocation a WHERE a.receipt_id = r.id)"), ==, 0);
  g_assert_cmpint (query (db, "SELECT count(*) FROM allocation WHERE amount <= 0 "
                              "OR reversal_of_id IS NOT NULL"), ==, 0);
  /* Kinds as the conventions say: allocations draw on a receipt, offsets on none. */
  g_assert_cmpint (query (db, "SELECT count(*) FROM allocation WHERE (kind = 'allocation') "
                              "<> (receipt_id IS NOT NULL) OR kind = 'write_off'"), ==, 0);
  g_assert_cmpint (query (db, "SELECT count(*) FROM allocation WHERE kind = 'offset' "
                              "AND (reason IS NULL OR approved_by IS NULL)"), ==, 0);
  /* An allocation is posted with its receipt, never before its bill, and only on the bills of
   * the receipt's tenant or of that tenant's subsidiaries. */
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM allocation a JOIN receipt r ON r.id = a.receipt_id "
      "JOIN bill_line l ON l.id = a.bill_line_id JOIN bill b ON b.id = l.bill_id "
      "JOIN tenant t ON t.id = b.tenant_id WHERE a.posting_date <> r.posting_date "
      "OR a.posting_date < b.posting_date OR r.currency <> b.currency "
      "OR (b.tenant_id <> r.tenant_id AND coalesce (t.parent_tenant_id, 0) <> r.tenant_id)"),
      ==, 0);
  /* Every receipt has its legal entity (the bill's), bank receipts their entity's account. */
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM receipt r LEFT JOIN bank_account a ON a.id = r.bank_account_id "
      "WHERE r.legal_entity_id IS NULL OR (r.method = 'bank') <> (a.id IS NOT NULL) "
      "OR a.legal_entity_id <> r.legal_entity_id"), ==, 0);
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM allocation a JOIN receipt r ON r.id = a.receipt_id "
      "JOIN bill_line l ON l.id = a.bill_line_id JOIN bill b ON b.id = l.bill_id "
      "JOIN contract c ON c.id = b.contract_id JOIN project p ON p.id = c.project_id "
      "WHERE p.legal_entity_id <> r.legal_entity_id"), ==, 0);
  /* Codes RC-YYYYMM-NNNNNN of the posting month. */
  g_assert_cmpint (query (db, "SELECT count(*) FROM receipt WHERE length(code) <> 16 "
                              "OR substr(code, 1, 3) <> 'RC-' OR substr(code, 4, 4) "
                              "<> substr(posting_date, 1, 4) OR substr(code, 8, 2) "
                              "<> substr(posting_date, 6, 2)"), ==, 0);
  /* Nothing is posted on or after the reference date, and no period is closed. */
  g_assert_cmpint (query (db, "SELECT count(*) FROM receipt WHERE posting_date >= '"
                              TENURE_DEMO_REFERENCE_DATE "' OR received_on > posting_date"),
                   ==, 0);
  g_assert_cmpint (query (db, "SELECT count(*) FROM accounting_period "
                              "WHERE closed_at IS NOT NULL"), ==, 0);
}

/* The open items read through the collections layer, every one of them: none below zero, and
 * each one's open amount is its billed amount less what was allocated, offset or written off. */
/* The receipts read back through the receipt API: its unapplied rest is the amount less the
 * allocations, never negative; a sample of every receipt and all those with credit left. */
static void
test_receipt_reader (void)
{
  TenureDb *db = demo_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GHashTable) creditors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           NULL);
  GHashTableIter iter;
  gpointer key;
  int checked = 0, with_credit = 0;

  if (db == NULL)
    return;
  stmt = tenure_db_prepare (db,
      "SELECT r.code, r.amount - (SELECT coalesce (sum (a.amount), 0) FROM allocation a "
      "WHERE a.receipt_id = r.id), t.code FROM receipt r JOIN tenant t ON t.id = r.tenant_id "
      "ORDER BY r.code", &error);
  g_assert_no_error (error);
  while (tenure_stmt_step (stmt, &error))
    {
      g_autoptr(TenureReceipt) receipt = NULL;
      gint64 rest = tenure_stmt_column_int64 (stmt, 1), sum = 0;

      if (rest == 0 && (checked++ % 25) != 0)
        continue;
      receipt = tenure_receipt_load (db, 0, tenure_stmt_column_text (stmt, 0), &error);
      g_assert_no_error (error);
      for (guint i = 0; i < receipt->allocations->len; i++)
        sum += ((TenureAllocation *) g_ptr_array_index (receipt->allocations, i))->amount;
      g_assert_cmpint (receipt->unapplied, ==, rest);
      g_assert_cmpint (receipt->unapplied, ==, receipt->amount - sum);
      g_assert_cmpint (receipt->unapplied, >=, 0);
      g_assert_nonnull (receipt->legal_entity_code);
      g_assert_cmpint (receipt->bank_account_code != NULL, ==,
                       receipt->method == TENURE_RECEIPT_BANK);
      if (rest > 0)
        g_hash_table_add (creditors, g_strdup (tenure_stmt_column_text (stmt, 2)));
    }
  g_assert_no_error (error);
  /* Overpayers hold unapplied credit, as the tenant's credit reader says. */
  g_hash_table_iter_init (&iter, creditors);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autoptr(GArray) credit = tenure_tenant_unapplied_credit (db, key, TENURE_DATE_INVALID,
                                                                 &error);
      g_assert_no_error (error);
      g_assert_cmpuint (credit->len, ==, 1);
      g_assert_cmpstr (g_array_index (credit, TenureCredit, 0).currency, ==, "CNY");
      g_assert_cmpint (g_array_index (credit, TenureCredit, 0).amount, >, 0);
      with_credit++;
    }
  g_assert_cmpint (with_credit, >=, 1);
}

static void
test_open_items_not_negative (void)
{
  TenureDb *db = demo_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GHashTable) raw = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                     g_free);
  g_autoptr(TenureStmt) stmt = NULL;
  TenureOpenItemFilter filter = { 0 };
  gint64 past_due = 0, past_due_amount = 0, settled = 0;
  TenureDate ref = tenure_date_from_ymd (2026, 11, 1);

  if (db == NULL)
    return;
  /* No credit notes in the demo: open = amount − allocations exactly. */
  g_assert_cmpint (query (db, "SELECT count(*) FROM bill WHERE kind <> 'bill'"), ==, 0);
  stmt = tenure_db_prepare (db,
      "SELECT l.id, l.amount - coalesce ((SELECT sum (a.amount) FROM allocation a "
      "WHERE a.bill_line_id = l.id), 0) FROM bill_line l WHERE l.amount > 0", &error);
  g_assert_no_error (error);
  while (tenure_stmt_step (stmt, &error))
    {
      gint64 id = tenure_stmt_column_int64 (stmt, 0);
      gint64 rest = tenure_stmt_column_int64 (stmt, 1);

      if (rest < 0)
        g_error ("bill line %" G_GINT64_FORMAT " is allocated beyond its amount (%"
                 G_GINT64_FORMAT ")", id, rest);
      g_hash_table_insert (raw, g_memdup2 (&id, sizeof id), g_memdup2 (&rest, sizeof rest));
    }
  g_assert_no_error (error);

  filter.include_settled = TRUE;
  items = tenure_open_items_load (db, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, g_hash_table_size (raw));
  for (guint i = 0; i < items->len; i++)
    {
      TenureOpenItem *item = g_ptr_array_index (items, i);
      gint64 *rest = g_hash_table_lookup (raw, &item->bill_line_id);

      g_assert_nonnull (rest);
      g_assert_cmpint (item->open, >=, 0);
      g_assert_cmpint (item->open, ==, *rest);
      if (item->open == 0)
        settled++;
      else if (item->due_date < ref)
        {
          past_due++;
          past_due_amount += item->open;
        }
    }
  g_test_message ("%u items: %" G_GINT64_FORMAT " settled, %" G_GINT64_FORMAT " past due for %"
                  G_GINT64_FORMAT " fen", items->len, settled, past_due, past_due_amount);
  /* Most are paid; there are arrears, but not most of the book. */
  g_assert_cmpint (settled, >=, (gint64) items->len * 9 / 10);
  g_assert_cmpint (past_due, >=, 20);
  g_assert_cmpint (past_due_amount, >, 0);
}

static void
test_receipts_and_bank (void)
{
  TenureDb *db = demo_db ();
  gint64 receipts, matched, cash, migrated;

  if (db == NULL)
    return;
  receipts = query (db, "SELECT sum (amount) FROM receipt");
  matched = query (db, "SELECT coalesce (sum (l.amount), 0) FROM bank_statement_line l "
                       "WHERE l.status = 'matched' AND l.amount > 0 AND EXISTS (SELECT 1 FROM "
                       "receipt r WHERE r.bank_statement_line_id = l.id)");
  cash = query (db, "SELECT coalesce (sum (amount), 0) FROM receipt WHERE method = 'cash'");
  migrated = query (db, "SELECT coalesce (sum (amount), 0) FROM receipt WHERE method = 'bank' "
                        "AND bank_statement_line_id IS NULL");
  g_test_message ("receipts %" G_GINT64_FORMAT " = bank %" G_GINT64_FORMAT " + cash %"
                  G_GINT64_FORMAT " + migrated %" G_GINT64_FORMAT, receipts, matched, cash,
                  migrated);
  g_assert_cmpint (receipts, ==, matched + cash + migrated);
  g_assert_cmpint (cash, >, 0);
  g_assert_cmpint (matched, >, migrated);
  /* Only receipts from before go-live have no statement line, and all of those do not. */
  g_assert_cmpint (query (db, "SELECT count(*) FROM receipt WHERE method = 'bank' AND "
                              "(bank_statement_line_id IS NULL) <> (received_on < '" GO_LIVE
                              "')"), ==, 0);
  /* A matched line has exactly one receipt, of its amount, date, account and reference; other
   * lines have none. */
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM bank_statement_line l WHERE (l.status = 'matched') <> "
      "((SELECT count(*) FROM receipt r WHERE r.bank_statement_line_id = l.id) = 1)"), ==, 0);
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM receipt r JOIN bank_statement_line l "
      "ON l.id = r.bank_statement_line_id WHERE r.amount <> l.amount OR r.received_on "
      "<> l.booked_on OR r.bank_account_id <> l.bank_account_id OR r.currency <> l.currency "
      "OR r.bank_reference <> l.bank_reference"), ==, 0);
  /* Cash receipts have no bank account and no line. */
  g_assert_cmpint (query (db, "SELECT count(*) FROM receipt WHERE method = 'cash' AND "
                              "(bank_account_id IS NOT NULL OR bank_statement_line_id IS NOT "
                              "NULL)"), ==, 0);
}

static void
test_bank_statements (void)
{
  TenureDb *db = demo_db ();
  gint64 accounts;

  if (db == NULL)
    return;
  accounts = query (db, "SELECT count(*) FROM bank_account");
  g_assert_cmpint (accounts, ==, query (db, "SELECT count(*) FROM legal_entity"));
  g_assert_cmpint (query (db, "SELECT count(*) FROM bank_account WHERE currency <> 'CNY'"),
                   ==, 0);
  /* One camt.053 statement a month for 24 months per account, each closing balance its
   * opening plus its lines, each opening the previous closing. */
  g_assert_cmpint (query (db, "SELECT count(*) FROM bank_statement"), ==,
                   accounts * TENURE_DEMO_BILLED_MONTHS);
  g_assert_cmpint (query (db, "SELECT count(*) FROM bank_statement WHERE format <> 'camt053' "
                              "OR length(file_sha256) <> 64 OR from_date < '" GO_LIVE "' "
                              "OR to_date >= '" TENURE_DEMO_REFERENCE_DATE "'"), ==, 0);
  g_assert_cmpint (query (db, "SELECT count(DISTINCT file_name) FROM bank_statement"), ==,
                   accounts * TENURE_DEMO_BILLED_MONTHS);
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM bank_statement s WHERE s.closing_balance <> s.opening_balance + "
      "(SELECT coalesce (sum (l.amount), 0) FROM bank_statement_line l "
      "WHERE l.bank_statement_id = s.id)"), ==, 0);
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM bank_statement s JOIN bank_statement p "
      "ON p.bank_account_id = s.bank_account_id AND p.to_date = "
      "(SELECT max (q.to_date) FROM bank_statement q WHERE q.bank_account_id = s.bank_account_id "
      "AND q.to_date < s.from_date) WHERE p.closing_balance <> s.opening_balance"), ==, 0);
  g_assert_cmpint (query (db, "SELECT count(*) FROM bank_statement WHERE closing_balance < 0"),
                   ==, 0);
  /* Lines lie within their statement, on its account; bank fees (debits) and interest. */
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM bank_statement_line l JOIN bank_statement s "
      "ON s.id = l.bank_statement_id WHERE l.booked_on < s.from_date OR l.booked_on > s.to_date "
      "OR l.bank_account_id <> s.bank_account_id OR l.dedupe_key <> 'ref:' || l.bank_reference"),
      ==, 0);
  g_assert_cmpint (query (db, "SELECT count(*) FROM bank_statement_line WHERE amount < 0 "
                              "AND memo LIKE '%手续费%'"), >=, accounts * 24);
  g_assert_cmpint (query (db, "SELECT count(*) FROM bank_statement_line WHERE amount > 0 "
                              "AND memo = '结息'"), ==, accounts * 8);
}

/* Receipts after go-live received more than DAYS days after the due date of a line they pay. */
static gint64
count_late_receipts (TenureDb *db, int days)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GHashTable) late = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  stmt = tenure_db_prepare (db, "SELECT r.id, r.received_on, l.due_date FROM receipt r "
                                "JOIN allocation a ON a.receipt_id = r.id "
                                "JOIN bill_line l ON l.id = a.bill_line_id "
                                "WHERE r.received_on >= '" GO_LIVE "'", &error);
  g_assert_no_error (error);
  while (tenure_stmt_step (stmt, &error))
    {
      TenureDate received, due;
      gint64 id = tenure_stmt_column_int64 (stmt, 0);

      g_assert_true (tenure_date_parse_iso (tenure_stmt_column_text (stmt, 1), &received,
                                            NULL));
      g_assert_true (tenure_date_parse_iso (tenure_stmt_column_text (stmt, 2), &due, NULL));
      if (received - due > days)
        g_hash_table_add (late, g_memdup2 (&id, sizeof id));
    }
  g_assert_no_error (error);
  return g_hash_table_size (late);
}

static void
test_behaviour (void)
{
  TenureDb *db = demo_db ();
  gint64 late, unapplied_receipts, unapplied;

  if (db == NULL)
    return;
  /* Late payers: receipts more than five days after the due date of what they paid (days
   * counted here: date arithmetic differs between the two SQL dialects). */
  late = count_late_receipts (db, 5);
  g_test_message ("%" G_GINT64_FORMAT " late receipts", late);
  g_assert_cmpint (late, >=, 50);
  /* Partial payments: lines paid by more than one receipt. */
  g_assert_cmpint (query (db, "SELECT count(*) FROM (SELECT bill_line_id FROM allocation "
                              "WHERE kind = 'allocation' GROUP BY bill_line_id "
                              "HAVING count(*) > 1) d"), >=, 10);
  /* Overpayment: unapplied credit. */
  unapplied_receipts = query (db,
      "SELECT count(*) FROM receipt r WHERE r.amount > (SELECT coalesce (sum (a.amount), 0) "
      "FROM allocation a WHERE a.receipt_id = r.id)");
  unapplied = query (db,
      "SELECT sum (r.amount - (SELECT coalesce (sum (a.amount), 0) FROM allocation a "
      "WHERE a.receipt_id = r.id)) FROM receipt r");
  g_test_message ("%" G_GINT64_FORMAT " receipts with %" G_GINT64_FORMAT " fen unapplied",
                  unapplied_receipts, unapplied);
  g_assert_cmpint (unapplied_receipts, >=, 1);
  g_assert_cmpint (unapplied, >, 0);
  /* A parent company paying two subsidiaries' bills in one transfer. */
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM receipt r WHERE (SELECT count(DISTINCT b.tenant_id) FROM "
      "allocation a JOIN bill_line l ON l.id = a.bill_line_id JOIN bill b ON b.id = l.bill_id "
      "JOIN tenant t ON t.id = b.tenant_id WHERE a.receipt_id = r.id "
      "AND t.parent_tenant_id = r.tenant_id) >= 2"), >=, 1);
  /* Cash at the front desk. */
  g_assert_cmpint (query (db, "SELECT count(*) FROM receipt WHERE method = 'cash'"), >=, 5);
}

static void
test_deposit_movements (void)
{
  TenureDb *db = demo_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  int refunded = 0;

  if (db == NULL)
    return;
  /* Paying a deposit line records it received, with the receipt and the amount allocated. */
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM allocation a JOIN bill_line l ON l.id = a.bill_line_id "
      "JOIN charge_item ci ON ci.id = l.charge_item_id WHERE ci.kind = 'deposit' "
      "AND a.kind = 'allocation'"), ==,
      query (db, "SELECT count(*) FROM deposit_entry WHERE kind = 'received'"));
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM deposit_entry d WHERE d.kind = 'received' AND NOT EXISTS "
      "(SELECT 1 FROM allocation a JOIN receipt r ON r.id = a.receipt_id "
      "WHERE a.receipt_id = d.receipt_id AND a.bill_line_id = d.bill_line_id "
      "AND a.amount = d.amount AND r.posting_date = d.entry_date)"), ==, 0);
  /* Terminated leases: the deposit offset against arrears (an offset entry per offset row),
   * the rest refunded by a bank transfer out. */
  g_assert_cmpint (query (db,
      "SELECT count(DISTINCT c.id) FROM contract c JOIN deposit_entry d ON d.contract_id = c.id "
      "WHERE c.status = 'terminated' AND d.kind = 'offset'"), >=, 1);
  g_assert_cmpint (query (db, "SELECT coalesce (sum (amount), 0) FROM allocation "
                              "WHERE kind = 'offset'"), ==,
                   query (db, "SELECT coalesce (sum (amount), 0) FROM deposit_entry "
                              "WHERE kind = 'offset'"));
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM deposit_entry d JOIN contract c ON c.id = d.contract_id "
      "WHERE d.kind = 'refunded' AND NOT EXISTS (SELECT 1 FROM bank_statement_line l "
      "WHERE l.amount = -d.amount AND l.booked_on = d.entry_date AND l.memo LIKE '%' || "
      "c.code)"), ==, 0);
  /* The ledger's reader agrees: refunded leases hold nothing back, and none holds more than
   * was billed. */
  stmt = tenure_db_prepare (db, "SELECT c.code, max (CASE WHEN d.kind = 'refunded' THEN 1 "
                                "ELSE 0 END) FROM contract c JOIN deposit_entry d "
                                "ON d.contract_id = c.id GROUP BY c.code ORDER BY c.code",
                            &error);
  g_assert_no_error (error);
  while (tenure_stmt_step (stmt, &error))
    {
      g_autoptr(GError) local_error = NULL;
      TenureDepositBalance balance;

      g_assert_true (tenure_deposit_balance (db, tenure_stmt_column_text (stmt, 0),
                                             TENURE_DATE_INVALID, &balance, &local_error));
      g_assert_no_error (local_error);
      g_assert_cmpint (balance.held, >=, 0);
      g_assert_cmpint (balance.received, <=, balance.billed);
      if (tenure_stmt_column_int64 (stmt, 1))
        {
          g_assert_cmpint (balance.held, ==, 0);
          refunded++;
        }
    }
  g_assert_no_error (error);
  g_assert_cmpint (refunded, >=, 2);
}

static void
test_matching_queue (void)
{
  TenureDb *db = demo_db ();
  gint64 unmatched;

  if (db == NULL)
    return;
  /* The last weeks leave transfers in the queue: a bill number with a typo (no such bill),
   * only a payer's name, nothing at all. */
  unmatched = query (db, "SELECT count(*) FROM bank_statement_line WHERE status = 'unmatched'");
  g_test_message ("%" G_GINT64_FORMAT " unmatched lines", unmatched);
  g_assert_cmpint (unmatched, >=, 5);
  g_assert_cmpint (query (db, "SELECT count(*) FROM bank_statement_line WHERE status = "
                              "'unmatched' AND (booked_on < '2026-10-01' OR amount <= 0)"), ==, 0);
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM bank_statement_line l WHERE l.status = 'unmatched' "
      "AND l.memo LIKE 'B%' AND NOT EXISTS (SELECT 1 FROM bill b "
      "WHERE l.memo LIKE b.code || ' %')"), >=, 1);
  g_assert_cmpint (query (db, "SELECT count(*) FROM bank_statement_line WHERE status = "
                              "'unmatched' AND memo IS NULL AND payer_name IS NOT NULL"), >=, 1);
  g_assert_cmpint (query (db, "SELECT count(*) FROM bank_statement_line WHERE status = "
                              "'unmatched' AND memo IS NULL AND payer_name IS NULL"), >=, 1);
  /* Recent matched lines keep their confirmed match, with the receipt it wrote and the items
   * it paid: the receipt's allocations. */
  g_assert_cmpint (query (db, "SELECT count(*) FROM bank_match WHERE status = 'confirmed'"),
                   >=, 50);
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM bank_match m JOIN receipt r ON r.id = m.receipt_id "
      "WHERE r.bank_statement_line_id <> m.bank_statement_line_id OR m.tenant_id <> r.tenant_id "
      "OR m.status <> 'confirmed' OR m.decided_by IS NULL"), ==, 0);
  g_assert_cmpint (query (db,
      "SELECT count(*) FROM bank_match m WHERE (SELECT coalesce (sum (i.amount), 0) FROM "
      "bank_match_item i WHERE i.bank_match_id = m.id) <> (SELECT coalesce (sum (a.amount), 0) "
      "FROM allocation a WHERE a.receipt_id = m.receipt_id)"), ==, 0);
  g_assert_cmpint (query (db, "SELECT count(*) FROM bank_match m JOIN bank_statement_line l "
                              "ON l.id = m.bank_statement_line_id WHERE l.status <> 'matched'"),
                   ==, 0);
}

/* ---- determinism ------------------------------------------------------------------------- */

/* Rows of every demo table with foreign keys spelled as codes, in a fixed order (NULLs sort
 * first in SQLite and last in PostgreSQL: coalesce them where they order rows). */
static const char *const digest_queries[] = {
  "SELECT code, name, taxpayer_type, tax_id, created_at FROM legal_entity ORDER BY code",
  "SELECT p.code, l.code, p.name, p.format, p.city, p.address, p.acquired_on, p.vat_method, "
  "p.created_at FROM project p JOIN legal_entity l ON l.id = p.legal_entity_id ORDER BY p.code",
  "SELECT b.code, p.code, b.name, b.sort_order FROM building b "
  "JOIN project p ON p.id = b.project_id ORDER BY b.code",
  "SELECT f.code, b.code, f.name, f.sort_order, f.plan_width, f.plan_height FROM floor f "
  "JOIN building b ON b.id = f.building_id ORDER BY f.code",
  "SELECT u.code, f.code, u.name, u.format, u.gfa_area_c, u.leasable_area_c, u.stored_status, "
  "u.asking_price_e4, u.vacancy_reason, u.polygon FROM unit u "
  "JOIN floor f ON f.id = u.floor_id ORDER BY u.code",
  "SELECT u.code, n.noted_on, n.author, n.body FROM unit_note n JOIN unit u ON u.id = n.unit_id "
  "ORDER BY u.code, n.noted_on",
  "SELECT t.code, t.name, t.short_name, t.kind, p.code, t.id_number, t.phone, t.email, "
  "t.bank_account, t.industry, t.created_at FROM tenant t "
  "LEFT JOIN tenant p ON p.id = t.parent_tenant_id ORDER BY t.code",
  "SELECT c.code, t.code, p.code, c.status, c.currency, c.signed_on, c.start_date, c.end_date, "
  "r.code, c.terminated_on, c.termination_type, c.created_at FROM contract c "
  "JOIN tenant t ON t.id = c.tenant_id JOIN project p ON p.id = c.project_id "
  "LEFT JOIN contract r ON r.id = c.renewal_of_id ORDER BY c.code",
  "SELECT c.code, v.version_no, v.effective_from, v.reason, v.status, v.created_by, "
  "v.approved_by, v.approved_at FROM contract_version v JOIN contract c ON c.id = v.contract_id "
  "ORDER BY c.code, v.version_no",
  "SELECT c.code, v.version_no, u.code, cu.area_c FROM contract_unit cu "
  "JOIN contract_version v ON v.id = cu.contract_version_id "
  "JOIN contract c ON c.id = v.contract_id JOIN unit u ON u.id = cu.unit_id "
  "ORDER BY c.code, v.version_no, u.code",
  "SELECT c.code, v.version_no, ci.code, cl.basis, cl.price_e4, cl.amount, cl.cycle_months, "
  "cl.alignment, cl.timing, cl.advance_days, cl.days_rule, cl.starts_on, cl.ends_on, "
  "cl.escalation, cl.turnover, cl.late_fee_rate_ppm, cl.late_fee_grace_days, "
  "cl.late_fee_cap_ppm FROM clause cl JOIN contract_version v ON v.id = cl.contract_version_id "
  "JOIN contract c ON c.id = v.contract_id JOIN charge_item ci ON ci.id = cl.charge_item_id "
  "ORDER BY c.code, v.version_no, ci.code",
  "SELECT c.code, v.version_no, ci.code, r.from_date, r.to_date FROM rent_free r "
  "JOIN clause cl ON cl.id = r.clause_id JOIN contract_version v ON v.id = cl.contract_version_id "
  "JOIN contract c ON c.id = v.contract_id JOIN charge_item ci ON ci.id = cl.charge_item_id "
  "ORDER BY c.code, v.version_no, ci.code, r.from_date",
  "SELECT c.code, r.period_start, r.period_end, r.amount, r.reported_on FROM turnover_report r "
  "JOIN contract c ON c.id = r.contract_id ORDER BY c.code, r.period_start",
  "SELECT series, period, value_e4 FROM cpi_index ORDER BY series, period",
  "SELECT key, value FROM setting WHERE key LIKE 'demo.%' ORDER BY key",
  /* The plans and bills: bill codes hold the run's id, which a sequence gives, so bills are
   * named by contract and period instead. */
  "SELECT c.code, ci.code, r.kind, r.period_start, r.period_end, r.due_date, v.version_no, "
  "r.amount, r.tax, r.currency, r.status, b.kind, b.period_start, r.trace "
  "FROM receivable_line r JOIN contract c ON c.id = r.contract_id "
  "JOIN charge_item ci ON ci.id = r.charge_item_id "
  "JOIN contract_version v ON v.id = r.contract_version_id LEFT JOIN bill b ON b.id = r.bill_id "
  "ORDER BY c.code, ci.code, r.kind, r.period_start, v.version_no",
  "SELECT br.period, br.scope_kind, br.posting_date, br.status, "
  "(SELECT count(*) FROM bill b WHERE b.bill_run_id = br.id) FROM bill_run br "
  "ORDER BY br.period, br.posting_date",
  "SELECT c.code, t.code, br.period, b.kind, b.period_start, b.period_end, b.due_date, "
  "b.posting_date, b.total, b.tax, b.currency FROM bill b JOIN contract c ON c.id = b.contract_id "
  "JOIN tenant t ON t.id = b.tenant_id JOIN bill_run br ON br.id = b.bill_run_id "
  "ORDER BY c.code, b.period_start, b.kind, b.period_end, b.currency, b.total",
  "SELECT c.code, b.period_start, b.kind, ci.code, l.period_start, l.period_end, l.due_date, "
  "l.amount, l.tax FROM bill_line l JOIN bill b ON b.id = l.bill_id "
  "JOIN contract c ON c.id = b.contract_id JOIN charge_item ci ON ci.id = l.charge_item_id "
  "ORDER BY c.code, b.period_start, b.kind, ci.code, l.period_start, l.amount",
  "SELECT c.code, d.kind, d.amount, d.entry_date, d.memo, l.period_start, l.amount, r.code "
  "FROM deposit_entry d JOIN contract c ON c.id = d.contract_id "
  "LEFT JOIN bill_line l ON l.id = d.bill_line_id LEFT JOIN receipt r ON r.id = d.receipt_id "
  "ORDER BY c.code, d.entry_date, d.kind, coalesce (l.period_start, ''), d.amount, "
  "coalesce (r.code, '')",
  /* Collections: bank accounts, statements, receipts, allocations and matches. Memos quote bill
   * codes, whose run id digest () blanks out. */
  "SELECT a.code, e.code, a.bank_name, a.account_number, a.currency FROM bank_account a "
  "JOIN legal_entity e ON e.id = a.legal_entity_id ORDER BY a.code",
  "SELECT a.code, s.format, s.file_name, s.file_sha256, s.statement_ref, s.from_date, "
  "s.to_date, s.opening_balance, s.closing_balance, s.currency, s.imported_at "
  "FROM bank_statement s JOIN bank_account a ON a.id = s.bank_account_id "
  "ORDER BY a.code, s.from_date",
  "SELECT a.code, s.statement_ref, l.booked_on, l.value_date, l.amount, l.currency, "
  "l.payer_name, l.payer_account, l.memo, l.bank_reference, l.dedupe_key, l.status, "
  "l.source_line FROM bank_statement_line l JOIN bank_statement s ON s.id = l.bank_statement_id "
  "JOIN bank_account a ON a.id = l.bank_account_id ORDER BY a.code, l.dedupe_key",
  "SELECT r.code, t.code, r.method, r.received_on, r.posting_date, r.amount, r.currency, "
  "r.payer_name, r.payer_account, r.bank_reference, r.memo, l.dedupe_key, e.code, a.code, "
  "r.created_at FROM receipt r LEFT JOIN tenant t ON t.id = r.tenant_id "
  "LEFT JOIN bank_statement_line l ON l.id = r.bank_statement_line_id "
  "LEFT JOIN legal_entity e ON e.id = r.legal_entity_id "
  "LEFT JOIN bank_account a ON a.id = r.bank_account_id ORDER BY r.code",
  "SELECT c.code, b.period_start, b.kind, ci.code, l.period_start, l.amount, r.code, a.kind, "
  "a.amount, a.posting_date, a.approved_by, a.reason FROM allocation a "
  "LEFT JOIN receipt r ON r.id = a.receipt_id JOIN bill_line l ON l.id = a.bill_line_id "
  "JOIN bill b ON b.id = l.bill_id JOIN contract c ON c.id = b.contract_id "
  "JOIN charge_item ci ON ci.id = l.charge_item_id "
  "ORDER BY c.code, b.period_start, b.kind, ci.code, l.period_start, l.amount, "
  "coalesce (r.code, ''), a.kind, a.posting_date, a.amount",
  "SELECT l.dedupe_key, m.step, m.reason, m.detail, m.confidence, t.code, m.status, "
  "m.decided_by, m.decided_at, r.code FROM bank_match m "
  "JOIN bank_statement_line l ON l.id = m.bank_statement_line_id "
  "LEFT JOIN tenant t ON t.id = m.tenant_id LEFT JOIN receipt r ON r.id = m.receipt_id "
  "ORDER BY l.dedupe_key, m.step, m.reason",
  "SELECT ml.dedupe_key, c.code, b.period_start, ci.code, l.period_start, l.amount, i.amount "
  "FROM bank_match_item i JOIN bank_match m ON m.id = i.bank_match_id "
  "JOIN bank_statement_line ml ON ml.id = m.bank_statement_line_id "
  "JOIN bill_line l ON l.id = i.bill_line_id JOIN bill b ON b.id = l.bill_id "
  "JOIN contract c ON c.id = b.contract_id JOIN charge_item ci ON ci.id = l.charge_item_id "
  "ORDER BY ml.dedupe_key, c.code, b.period_start, ci.code, l.period_start, l.amount, i.amount",
};

/* The first digest query of the plans and bills (empty without them), and of collections. */
#define DIGEST_FIRST_BILLING 15
#define DIGEST_FIRST_COLLECTIONS 20

/* One SHA-256 per digest query, so a difference names its table. */
static GPtrArray *
digest (TenureDb *db)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  gboolean with_bills = query (db, "SELECT count(*) FROM bill_run") > 0;
  g_autoptr(GRegex) bill_code = g_regex_new ("(B[0-9]{6})-[0-9]+-", 0, 0, NULL);

  g_assert_nonnull (strstr (digest_queries[DIGEST_FIRST_BILLING], "FROM receivable_line"));
  g_assert_null (strstr (digest_queries[DIGEST_FIRST_BILLING - 1], "receivable_line"));
  g_assert_nonnull (strstr (digest_queries[DIGEST_FIRST_COLLECTIONS], "FROM bank_account"));

  for (guint q = 0; q < G_N_ELEMENTS (digest_queries); q++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, digest_queries[q], &error);
      g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
      gint64 rows = 0;

      g_assert_no_error (error);
      g_checksum_update (sum, (const guchar *) digest_queries[q], -1);
      while (tenure_stmt_step (stmt, &error))
        {
          for (guint c = 0; c < tenure_stmt_column_count (stmt); c++)
            {
              const char *v = tenure_stmt_column_text (stmt, c);
              g_autofree char *plain = NULL;

              /* A bill code names its run by id, which a sequence gives: the same demo has
               * other ids when generated again on PostgreSQL. The month names the run. */
              if (v != NULL && q >= DIGEST_FIRST_COLLECTIONS && strchr (v, 'B') != NULL)
                v = plain = g_regex_replace (bill_code, v, -1, 0, "\\1-#-", 0, NULL);
              g_checksum_update (sum, (const guchar *) (v ? v : "\\N"), -1);
              g_checksum_update (sum, (const guchar *) "\x1f", 1);
            }
          g_checksum_update (sum, (const guchar *) "\n", 1);
          rows++;
        }
      g_assert_no_error (error);
      if (q < DIGEST_FIRST_BILLING || with_bills)
        g_assert_cmpint (rows, >, 0);
      else
        g_assert_cmpint (rows, ==, 0);
      g_ptr_array_add (parts, g_strdup (g_checksum_get_string (sum)));
    }
  return parts;
}

/* Whether A and B (from digest ()) agree; names the queries that differ when REPORT. */
static gboolean
same_digest (GPtrArray *a, GPtrArray *b, gboolean report)
{
  gboolean same = TRUE;

  g_assert_cmpuint (a->len, ==, b->len);
  for (guint q = 0; q < a->len; q++)
    if (strcmp (g_ptr_array_index (a, q), g_ptr_array_index (b, q)) != 0)
      {
        if (report)
          g_test_message ("digest query %u differs: %s", q, digest_queries[q]);
        same = FALSE;
      }
  return same;
}

static void
test_determinism (void)
{
  TenureDb *db = demo_db ();
  g_autoptr(GPtrArray) first = NULL, again = NULL, sqlite_copy = NULL, other = NULL;
  g_autofree char *loc_copy = NULL, *loc_other = NULL;
  TenureDb *copy, *different;

  if (db == NULL)
    return;
  first = digest (db);

  /* The same seed on SQLite: the same rows as on the backend under test (a second run when
   * that is SQLite, the cross-backend comparison when it is PostgreSQL). */
  copy = open_new (TENURE_TEST_SQLITE, &loc_copy);
  generate (copy, 42);
  sqlite_copy = digest (copy);
  g_assert_true (same_digest (first, sqlite_copy, TRUE));
  g_object_unref (copy);
  tenure_test_db_drop_location (TENURE_TEST_SQLITE, loc_copy);

  /* Another seed, other rows (without bills, which take most of the time). */
  different = open_new (backend, &loc_other);
  if (different == NULL)
    return;
  generate_with (different, 7, TENURE_DEMO_BILLS_OFF);
  g_assert_cmpint (query (different, "SELECT count(*) FROM receivable_line"), ==, 0);
  g_assert_cmpint (query (different, "SELECT count(*) FROM bill"), ==, 0);
  other = digest (different);
  g_assert_false (same_digest (first, other, FALSE));
  g_object_unref (different);
  tenure_test_db_drop_location (backend, loc_other);

  /* Generating a demo database again replaces it with the same rows. */
  generate (db, 42);
  again = digest (db);
  g_assert_true (same_digest (first, again, TRUE));
  g_assert_cmpint (query (db, "SELECT count(*) FROM project"), ==, 3);
}

/* ---- guards, progress and cancellation ---------------------------------------------------- */

static void
test_refuses_user_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;
  TenureDemoOptions opts = { 42, TENURE_DEMO_SCALE_SMALL };
  TenureDb *db = open_new (backend, &location);

  if (db == NULL)
    return;
  g_assert_true (tenure_db_exec (db,
      "INSERT INTO legal_entity (code, name) VALUES ('LE-REAL', '真实公司');"
      "INSERT INTO project (code, legal_entity_id, name, format) "
      "SELECT 'SH-REAL01', id, '真实项目', 'office' FROM legal_entity", &error));
  g_assert_no_error (error);

  g_assert_false (tenure_demo_generate (db, &opts, NULL, NULL, NULL, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "not a demo"));
  /* Nothing written: the user's project is alone, no marker, no units. */
  g_assert_cmpint (query (db, "SELECT count(*) FROM project"), ==, 1);
  g_assert_cmpint (query (db, "SELECT count(*) FROM unit"), ==, 0);
  g_assert_cmpint (query (db, "SELECT count(*) FROM setting WHERE key LIKE 'demo.%'"), ==, 0);
  g_object_unref (db);
  tenure_test_db_drop_location (backend, location);
}

typedef struct
{
  GCancellable *cancellable;
  double        last;
  double        cancel_at;
  int           calls;
  gboolean      backwards;
  GHashTable   *stages;
} ProgressLog;

static void
record_progress (double fraction, const char *stage, gpointer user_data)
{
  ProgressLog *log = user_data;

  if (fraction < log->last || fraction < 0 || fraction > 1)
    log->backwards = TRUE;
  log->last = fraction;
  log->calls++;
  g_hash_table_add (log->stages, g_strdup (stage));
  if (log->cancellable && fraction >= log->cancel_at)
    g_cancellable_cancel (log->cancellable);
}

static void
test_progress_and_cancel (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GHashTable) stages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  TenureDemoOptions opts = { 3, TENURE_DEMO_SCALE_SMALL };
  ProgressLog log = { cancellable, -1, 0.5, 0, FALSE, stages };
  TenureDb *db = open_new (backend, &location);

  if (db == NULL)
    return;
  /* Cancelled half-way (inside the contracts stage): an error and nothing written. */
  g_assert_false (tenure_demo_generate (db, &opts, record_progress, &log, cancellable, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (tenure_db_get_transaction_depth (db), ==, 0);
  g_assert_cmpint (query (db, "SELECT count(*) FROM project"), ==, 0);
  g_assert_cmpint (query (db, "SELECT count(*) FROM unit"), ==, 0);
  g_assert_cmpint (query (db, "SELECT count(*) FROM setting"), ==, 0);

  /* Uncancelled: progress only goes forward, through the stages, to 1. */
  log = (ProgressLog) { NULL, -1, 2, 0, FALSE, stages };
  g_hash_table_remove_all (stages);
  g_assert_true (tenure_demo_generate (db, &opts, record_progress, &log, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (log.backwards);
  g_assert_cmpfloat (log.last, ==, 1.0);
  g_assert_cmpint (log.calls, >=, 6);
  g_assert_cmpuint (g_hash_table_size (stages), >=, 5);
  g_assert_cmpint (query (db, "SELECT count(*) FROM project"), ==, 3);
  g_object_unref (db);
  tenure_test_db_drop_location (backend, location);
}

int
main (int argc, char **argv)
{
  int status;

  backend = tenure_test_backend_from_args (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo/small/counts", test_counts);
  g_test_add_func ("/demo/small/lease-types", test_lease_types);
  g_test_add_func ("/demo/small/tenants", test_tenants);
  g_test_add_func ("/demo/small/resident-id-checksums", test_resident_id_checksums);
  g_test_add_func ("/demo/small/codes", test_codes);
  g_test_add_func ("/demo/small/polygons", test_polygons);
  g_test_add_func ("/demo/small/no-double-lease", test_no_double_lease);
  g_test_add_func ("/demo/small/vacancy", test_vacancy);
  g_test_add_func ("/demo/small/bill-months", test_bill_months);
  g_test_add_func ("/demo/small/bill-totals", test_bill_totals);
  g_test_add_func ("/demo/small/bill-horizon", test_bill_horizon);
  g_test_add_func ("/demo/small/rent-free-unbilled", test_rent_free_unbilled);
  g_test_add_func ("/demo/small/deposit-ledger", test_deposit_ledger);
  g_test_add_func ("/demo/small/receipt-allocations", test_receipt_allocations);
  g_test_add_func ("/demo/small/receipt-reader", test_receipt_reader);
  g_test_add_func ("/demo/small/open-items-not-negative", test_open_items_not_negative);
  g_test_add_func ("/demo/small/receipts-and-bank", test_receipts_and_bank);
  g_test_add_func ("/demo/small/bank-statements", test_bank_statements);
  g_test_add_func ("/demo/small/payment-behaviour", test_behaviour);
  g_test_add_func ("/demo/small/deposit-movements", test_deposit_movements);
  g_test_add_func ("/demo/small/matching-queue", test_matching_queue);
  /* After the checks above: it posts runs (which must bill nothing). */
  g_test_add_func ("/demo/small/bill-rerun", test_bill_rerun);
  g_test_add_func ("/demo/determinism", test_determinism);
  g_test_add_func ("/demo/refuses-user-database", test_refuses_user_database);
  g_test_add_func ("/demo/progress-and-cancel", test_progress_and_cancel);

  status = g_test_run ();
  if (main_db != NULL)
    {
      g_clear_object (&main_db);
      tenure_test_db_drop_location (backend, main_location);
      g_free (main_location);
    }
  return status;
}
