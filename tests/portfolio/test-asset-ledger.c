/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-asset-ledger"

#include <locale.h>
#include <string.h>

#include "base/tenure-error.h"
#include "portfolio/tenure-asset-history.h"
#include "portfolio/tenure-asset-ledger.h"
#include "store/tenure-audit.h"
#include "tenure-test-db.h"
#include "tenure-test-util.h"

static TenureTestBackend backend;

/* A legal entity, one project with a building, a floor and two units; unit 1 is let under
 * an active contract running to 2099, unit 2 is vacant. */
static const char fixture_sql[] =
  "INSERT INTO legal_entity (code, name) VALUES ('LE-SH', '上海置业有限公司');"
  "INSERT INTO project (code, legal_entity_id, name, format, city) VALUES"
  " ('SH-XH01', 1, '徐汇中心', 'mall', '上海');"
  "INSERT INTO building (code, project_id, name, sort_order) VALUES ('SH-XH01-A', 1, 'A', 1);"
  "INSERT INTO floor (code, building_id, name, sort_order) VALUES"
  " ('SH-XH01-A-1F', 1, '1F', 1);"
  "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c) VALUES"
  " ('SH-XH01-A-1F-01', 1, '1F-01', 'mall', 20000, 15000),"
  " ('SH-XH01-A-1F-02', 1, '1F-02', 'mall', 30000, 25000);"
  "INSERT INTO tenant (code, name) VALUES ('T-1', '星巴克咖啡');"
  "INSERT INTO contract (code, tenant_id, project_id, status, start_date, end_date) VALUES"
  " ('HT-2024-001', 1, 1, 'active', '2024-01-01', '2099-12-31');"
  "INSERT INTO contract_version (contract_id, version_no, effective_from, status) VALUES"
  " (1, 1, '2024-01-01', 'approved');"
  "INSERT INTO contract_unit (contract_version_id, unit_id, area_c) VALUES (1, 1, 15000);";

typedef struct
{
  TenureDb *db;
  char     *location;
} Fixture;

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->location = tenure_test_db_new_location (backend);
  if (fx->location == NULL)
    return;
  fx->db = tenure_db_open (fx->location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  tenure_db_exec (fx->db, fixture_sql, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  if (fx->location == NULL)
    return;
  g_clear_object (&fx->db);
  tenure_test_db_drop_location (backend, fx->location);
  g_free (fx->location);
}

static GHashTable *
values_new (const char *first_key,
            ...) G_GNUC_NULL_TERMINATED;

static GHashTable *
values_new (const char *first_key,
            ...)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  va_list args;

  va_start (args, first_key);
  for (const char *key = first_key; key != NULL; key = va_arg (args, const char *))
    g_hash_table_insert (values, g_strdup (key), g_strdup (va_arg (args, const char *)));
  va_end (args);
  return values;
}

static gint64
query_int (TenureDb   *db,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 n = -1;

  tenure_db_query_int64 (db, sql, &n, &error);
  g_assert_no_error (error);
  return n;
}

static gint64
audit_count (TenureDb *db)
{
  g_autoptr(GError) error = NULL;
  gint64 n = tenure_audit_count (db, &error);

  g_assert_no_error (error);
  return n;
}

/* Creating each level writes the row with the parsed values, and the defaults. */
static void
test_create_levels (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) project = NULL, building = NULL, floor = NULL, unit = NULL;
  g_autoptr(GHashTable) loaded = NULL;
  gint64 project_id, building_id, floor_id, unit_id;

  if (fx->db == NULL)
    return;
  project = values_new ("code", " SH-PD02 ", "name", "Pudong Tower", "format", "office",
                        "city", "Shanghai", "acquired_on", "2019-06-30", NULL);
  project_id = tenure_asset_ledger_create (fx->db, TENURE_LEDGER_PROJECT, 1, project, NULL,
                                           &error);
  g_assert_no_error (error);
  g_assert_cmpint (project_id, >, 1);
  g_assert_cmpint (query_int (fx->db, "SELECT count(*) FROM project WHERE code = 'SH-PD02'"
                                      " AND vat_method = 'general' AND city = 'Shanghai'"
                                      " AND acquired_on = '2019-06-30' AND address IS NULL"),
                   ==, 1);

  building = values_new ("code", "SH-PD02-T", "name", "Tower", NULL);
  building_id = tenure_asset_ledger_create (fx->db, TENURE_LEDGER_BUILDING, project_id,
                                            building, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (building_id, >, 0);

  floor = values_new ("code", "SH-PD02-T-12F", "name", "12F", NULL);
  floor_id = tenure_asset_ledger_create (fx->db, TENURE_LEDGER_FLOOR, building_id, floor,
                                         NULL, &error);
  g_assert_no_error (error);
  /* The first floor of a building gets sort order 1, the plan its default extent. */
  g_assert_cmpint (query_int (fx->db, "SELECT count(*) FROM floor WHERE code = 'SH-PD02-T-12F'"
                                      " AND sort_order = 1 AND plan_width = 1000"
                                      " AND plan_height = 600"), ==, 1);

  unit = values_new ("code", "SH-PD02-T-12F-1203", "name", "1203",
                     "gfa_area", "1,234.56", "leasable_area", "1,000.5",
                     "asking_price", "5.25", NULL);
  unit_id = tenure_asset_ledger_create (fx->db, TENURE_LEDGER_UNIT, floor_id, unit, NULL,
                                        &error);
  g_assert_no_error (error);
  /* Areas to the 0.01 m², the price to 0.0001 yuan; format from the project, status and
   * basis by default. */
  g_assert_cmpint (query_int (fx->db, "SELECT gfa_area_c * 1000000 + leasable_area_c FROM unit"
                                      " WHERE code = 'SH-PD02-T-12F-1203'"),
                   ==, G_GINT64_CONSTANT (123456) * 1000000 + 100050);
  g_assert_cmpint (query_int (fx->db, "SELECT asking_price_e4 FROM unit"
                                      " WHERE code = 'SH-PD02-T-12F-1203'"), ==, 52500);
  g_assert_cmpint (query_int (fx->db, "SELECT count(*) FROM unit WHERE format = 'office'"
                                      " AND stored_status = 'available'"
                                      " AND asking_price_basis = 'per_m2_month'"
                                      " AND code = 'SH-PD02-T-12F-1203'"), ==, 1);

  loaded = tenure_asset_ledger_load (fx->db, TENURE_LEDGER_UNIT, unit_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (loaded, "gfa_area"), ==, "1234.56");
  g_assert_cmpstr (g_hash_table_lookup (loaded, "leasable_area"), ==, "1000.50");
  g_assert_cmpstr (g_hash_table_lookup (loaded, "asking_price"), ==, "5.2500");
  g_assert_cmpstr (g_hash_table_lookup (loaded, "vacancy_reason"), ==, "");
  g_assert_cmpstr (g_hash_table_lookup (loaded, "retired_on"), ==, "");

  /* The next floor follows the last one. */
  {
    g_autoptr(GHashTable) next = values_new ("code", "SH-PD02-T-13F", "name", "13F", NULL);

    tenure_asset_ledger_create (fx->db, TENURE_LEDGER_FLOOR, building_id, next, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (query_int (fx->db, "SELECT sort_order FROM floor"
                                        " WHERE code = 'SH-PD02-T-13F'"), ==, 2);
  }
}

/* One failing create: the error, its field, and nothing written. */
static void
assert_create_fails (Fixture          *fx,
                     TenureLedgerKind  kind,
                     gint64            parent_id,
                     GHashTable       *values,
                     int               code,
                     const char       *field,
                     const char       *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_field = NULL;
  gint64 before = audit_count (fx->db);
  g_autofree char *count_sql = g_strdup_printf ("SELECT count(*) FROM %s",
                                                tenure_ledger_kind_table (kind));
  gint64 rows = query_int (fx->db, count_sql);

  g_assert_cmpint (tenure_asset_ledger_create (fx->db, kind, parent_id, values, &bad_field,
                                               &error), ==, 0);
  g_assert_error (error, TENURE_ERROR, code);
  g_test_message ("refused: %s", error->message);
  g_assert_cmpstr (bad_field, ==, field);
  g_assert_nonnull (strstr (error->message, message_part));
  g_assert_cmpint (audit_count (fx->db), ==, before);
  g_assert_cmpint (query_int (fx->db, count_sql), ==, rows);

  /* validate () says the same without writing. */
  g_clear_error (&error);
  g_clear_pointer (&bad_field, g_free);
  g_assert_false (tenure_asset_ledger_validate (fx->db, kind, 0, parent_id, values, &bad_field,
                                                &error));
  g_assert_error (error, TENURE_ERROR, code);
  g_assert_cmpstr (bad_field, ==, field);
}

static void
test_codes (Fixture       *fx,
            gconstpointer  data)
{
  if (fx->db == NULL)
    return;
  {
    /* A code used by another level names it and where it is. */
    g_autoptr(GHashTable) v = values_new ("code", "SH-XH01-A-1F", "name", "X", "gfa_area", "10",
                                          "leasable_area", "10", NULL);

    assert_create_fails (fx, TENURE_LEDGER_UNIT, 1, v, TENURE_ERROR_INVALID, "code",
                         "The code “SH-XH01-A-1F” is already used by the floor “1F”"
                         " (徐汇中心 · A)");
  }
  {
    g_autoptr(GHashTable) v = values_new ("code", "SH-XH01-A-1F-02", "name", "X",
                                          "gfa_area", "10", "leasable_area", "10", NULL);

    assert_create_fails (fx, TENURE_LEDGER_UNIT, 1, v, TENURE_ERROR_INVALID, "code",
                         "already used by the unit “1F-02” (徐汇中心 · A · 1F)");
  }
  {
    g_autoptr(GHashTable) v = values_new ("code", "LE-SH", "name", "X", "format", "mall", NULL);

    assert_create_fails (fx, TENURE_LEDGER_PROJECT, 1, v, TENURE_ERROR_INVALID, "code",
                         "already used by the legal entity “上海置业有限公司”");
  }
  {
    g_autoptr(GHashTable) v = values_new ("code", "  ", "name", "X", NULL);

    assert_create_fails (fx, TENURE_LEDGER_BUILDING, 1, v, TENURE_ERROR_INVALID, "code",
                         "The field “Code” is required");
  }
  {
    g_autoptr(GHashTable) v = values_new ("code", "SH XH01 B", "name", "X", NULL);

    assert_create_fails (fx, TENURE_LEDGER_BUILDING, 1, v, TENURE_ERROR_INVALID, "code",
                         "“SH XH01 B” contains spaces");
  }
  {
    g_autoptr(GHashTable) v = values_new ("code", "SH-XH01-B", NULL);

    assert_create_fails (fx, TENURE_LEDGER_BUILDING, 1, v, TENURE_ERROR_INVALID, "name",
                         "The field “Name” is required");
  }
  {
    g_autoptr(GHashTable) v = values_new ("code", "SH-XH01-B", "name", "B", NULL);

    assert_create_fails (fx, TENURE_LEDGER_BUILDING, 99, v, TENURE_ERROR_NOT_FOUND, NULL,
                         "There is no project with id 99");
  }
  {
    /* Updating an object keeps its own code without complaint. */
    g_autoptr(GError) error = NULL;
    g_autoptr(GHashTable) v = values_new ("code", "SH-XH01-A-1F-02", "name", "1F-02 (east)",
                                          NULL);

    g_assert_true (tenure_asset_ledger_update (fx->db, TENURE_LEDGER_UNIT, 2, v, NULL,
                                               &error));
    g_assert_no_error (error);
    g_assert_cmpint (query_int (fx->db, "SELECT count(*) FROM unit WHERE id = 2"
                                        " AND name = '1F-02 (east)'"), ==, 1);
  }
}

static void
test_areas (Fixture       *fx,
            gconstpointer  data)
{
  static const struct
  {
    const char *gfa;
    const char *leasable;
    const char *field;
    const char *message;
  } cases[] = {
    { "100", "-5", "leasable_area", "“Leasable area (m²)” must be greater than zero" },
    { "100", "0", "leasable_area", "“Leasable area (m²)” must be greater than zero" },
    { "12a", "10", "gfa_area", "The field “GFA (m²)”: " },
    { "1,23.5", "10", "gfa_area", "The field “GFA (m²)”: " },
    { "100", "10.005", "leasable_area", "The field “Leasable area (m²)”: " },
    { "", "10", "gfa_area", "The field “GFA (m²)” is required" },
    { "100", "100.01", "leasable_area",
      "The leasable area (100.01 m²) is larger than the GFA (100.00 m²)" },
    { "1,000,000,000", "10", "gfa_area", "“GFA (m²)” is too large" },
  };

  if (fx->db == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GHashTable) v = values_new ("code", "SH-XH01-A-1F-09", "name", "1F-09",
                                            "gfa_area", cases[i].gfa,
                                            "leasable_area", cases[i].leasable, NULL);

      assert_create_fails (fx, TENURE_LEDGER_UNIT, 1, v, TENURE_ERROR_INVALID, cases[i].field,
                           cases[i].message);
    }
  {
    /* Equal areas, full-width digits and thousands separators are fine. */
    g_autoptr(GError) error = NULL;
    g_autoptr(GHashTable) v = values_new ("code", "SH-XH01-A-1F-09", "name", "1F-09",
                                          "gfa_area", "１，２００．５", "leasable_area", "1200.50",
                                          NULL);

    g_assert_cmpint (tenure_asset_ledger_create (fx->db, TENURE_LEDGER_UNIT, 1, v, NULL,
                                                 &error), >, 0);
    g_assert_no_error (error);
    g_assert_cmpint (query_int (fx->db, "SELECT gfa_area_c FROM unit"
                                        " WHERE code = 'SH-XH01-A-1F-09'"), ==, 120050);
  }
  {
    /* An update that leaves leasable above the stored GFA is refused, nothing changes. */
    g_autoptr(GError) error = NULL;
    g_autofree char *field = NULL;
    g_autoptr(GHashTable) v = values_new ("leasable_area", "250", NULL);
    gint64 before = audit_count (fx->db);

    g_assert_false (tenure_asset_ledger_update (fx->db, TENURE_LEDGER_UNIT, 1, v, &field,
                                                &error));
    g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
    g_assert_cmpstr (field, ==, "leasable_area");
    g_assert_cmpint (query_int (fx->db, "SELECT leasable_area_c FROM unit WHERE id = 1"),
                     ==, 15000);
    g_assert_cmpint (audit_count (fx->db), ==, before);
  }
}

static void
test_other_fields (Fixture       *fx,
                   gconstpointer  data)
{
  if (fx->db == NULL)
    return;
  {
    g_autoptr(GHashTable) v = values_new ("code", "SH-XH01-A-2F", "name", "2F",
                                          "sort_order", "1", NULL);

    assert_create_fails (fx, TENURE_LEDGER_FLOOR, 1, v, TENURE_ERROR_INVALID, "sort_order",
                         "The sort order 1 is already used by the floor “1F”");
  }
  {
    g_autoptr(GHashTable) v = values_new ("code", "SH-XH01-A-2F", "name", "2F",
                                          "sort_order", "two", NULL);

    assert_create_fails (fx, TENURE_LEDGER_FLOOR, 1, v, TENURE_ERROR_INVALID, "sort_order",
                         "“Sort order” must be a whole number from -9999 to 9999, not “two”");
  }
  {
    g_autoptr(GHashTable) v = values_new ("code", "SH-XH01-A-2F", "name", "2F",
                                          "plan_width", "0", NULL);

    assert_create_fails (fx, TENURE_LEDGER_FLOOR, 1, v, TENURE_ERROR_INVALID, "plan_width",
                         "“Plan width” must be a whole number");
  }
  {
    g_autoptr(GHashTable) v = values_new ("code", "SH-NEW", "name", "New", "format", "shop",
                                          NULL);

    assert_create_fails (fx, TENURE_LEDGER_PROJECT, 1, v, TENURE_ERROR_INVALID, "format",
                         "“Format” has the unknown value “shop”");
  }
  {
    g_autoptr(GHashTable) v = values_new ("code", "SH-NEW", "name", "New", "format", "mall",
                                          "acquired_on", "2026-02-30", NULL);

    assert_create_fails (fx, TENURE_LEDGER_PROJECT, 1, v, TENURE_ERROR_INVALID, "acquired_on",
                         "“Acquired on” is not a valid date like 2026-01-31: “2026-02-30”");
  }
  {
    g_autoptr(GHashTable) v = values_new ("code", "SH-NEW", "name", "New", "format", "mall",
                                          NULL);

    assert_create_fails (fx, TENURE_LEDGER_PROJECT, 7, v, TENURE_ERROR_NOT_FOUND, NULL,
                         "There is no legal entity with id 7");
  }
  {
    g_autoptr(GHashTable) v = values_new ("code", "SH-XH01-A-1F-09", "name", "1F-09",
                                          "gfa_area", "10", "leasable_area", "10",
                                          "asking_price", "-1", NULL);

    assert_create_fails (fx, TENURE_LEDGER_UNIT, 1, v, TENURE_ERROR_INVALID, "asking_price",
                         "must not be negative");
  }
  {
    g_autoptr(GHashTable) v = values_new ("code", "SH-XH01-A-1F-09", "name", "1F-09",
                                          "gfa_area", "10", "leasable_area", "10",
                                          "stored_status", "leased", NULL);

    assert_create_fails (fx, TENURE_LEDGER_UNIT, 1, v, TENURE_ERROR_INVALID, "stored_status",
                         "“Status” has the unknown value “leased”");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (tenure_asset_ledger_load (fx->db, TENURE_LEDGER_FLOOR, 42, &error));
    g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
    g_assert_cmpstr (error->message, ==, "There is no floor with id 42");
  }
}

/* A let unit cannot become not for lease nor be retired; the message names the contract. */
static void
test_status_and_retire (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;
  gint64 before;

  if (fx->db == NULL)
    return;
  {
    g_autoptr(GHashTable) v = values_new ("stored_status", "not_for_lease", NULL);

    before = audit_count (fx->db);
    g_assert_false (tenure_asset_ledger_update (fx->db, TENURE_LEDGER_UNIT, 1, v, &field,
                                                &error));
    g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
    g_assert_cmpstr (field, ==, "stored_status");
    g_assert_nonnull (strstr (error->message, "HT-2024-001"));
    g_assert_nonnull (strstr (error->message, "SH-XH01-A-1F-01"));
    g_assert_cmpint (audit_count (fx->db), ==, before);
    g_clear_error (&error);

    /* The vacant unit may. */
    g_assert_true (tenure_asset_ledger_update (fx->db, TENURE_LEDGER_UNIT, 2, v, NULL,
                                               &error));
    g_assert_no_error (error);
    g_assert_cmpint (query_int (fx->db, "SELECT count(*) FROM unit WHERE id = 2"
                                        " AND stored_status = 'not_for_lease'"), ==, 1);
  }

  /* Retiring the floor would retire the let unit: refused, all or nothing. */
  before = audit_count (fx->db);
  g_assert_false (tenure_asset_ledger_retire (fx->db, TENURE_LEDGER_FLOOR, 1,
                                              tenure_date_from_ymd (2026, 6, 30), &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "The unit “SH-XH01-A-1F-01” is let under the active contract HT-2024-001"
                   " until 2099-12-31: it cannot be retired on 2026-06-30");
  g_clear_error (&error);
  g_assert_cmpint (query_int (fx->db, "SELECT count(*) FROM unit WHERE retired_on IS NULL"),
                   ==, 2);
  g_assert_cmpint (audit_count (fx->db), ==, before);

  /* Once the contract is terminated before the date, the floor's units retire together. */
  tenure_db_exec (fx->db, "UPDATE contract SET status = 'terminated',"
                          " terminated_on = '2026-03-31', termination_type = 'early_agreement'",
                  &error);
  g_assert_no_error (error);
  g_assert_true (tenure_asset_ledger_retire (fx->db, TENURE_LEDGER_FLOOR, 1,
                                             tenure_date_from_ymd (2026, 6, 30), &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (fx->db, "SELECT count(*) FROM unit"
                                      " WHERE retired_on = '2026-06-30'"), ==, 2);

  /* A retired unit can be neither retired again nor edited. */
  g_assert_false (tenure_asset_ledger_retire (fx->db, TENURE_LEDGER_UNIT, 1,
                                              tenure_date_from_ymd (2026, 7, 1), &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "The unit “SH-XH01-A-1F-01” was already retired on 2026-06-30");
  g_clear_error (&error);
  {
    g_autoptr(GHashTable) v = values_new ("name", "again", NULL);

    g_assert_false (tenure_asset_ledger_update (fx->db, TENURE_LEDGER_UNIT, 1, v, NULL,
                                                &error));
    g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "was retired on 2026-06-30"));
    g_clear_error (&error);
  }
  g_assert_false (tenure_asset_ledger_retire (fx->db, TENURE_LEDGER_FLOOR, 1,
                                              tenure_date_from_ymd (2026, 7, 1), &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tenure_asset_ledger_retire (fx->db, TENURE_LEDGER_UNIT, 77,
                                              tenure_date_from_ymd (2026, 7, 1), &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
}

static const TenureAssetFieldChange *
find_change (const TenureAssetHistoryEntry *entry,
             const char                    *field)
{
  for (guint i = 0; i < entry->changes->len; i++)
    {
      const TenureAssetFieldChange *change = g_ptr_array_index (entry->changes, i);

      if (g_strcmp0 (change->field, field) == 0)
        return change;
    }
  return NULL;
}

/* History: who, when, what changed from what to what; unchanged saves leave nothing. */
static void
test_history (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = NULL;
  const TenureAssetHistoryEntry *entry;
  const TenureAssetFieldChange *change;
  const char *actor;
  gint64 before;

  if (fx->db == NULL)
    return;
  actor = tenure_db_get_actor (fx->db);
  {
    g_autoptr(GHashTable) v = values_new ("leasable_area", "160", "asking_price", "12.5",
                                          NULL);

    g_assert_true (tenure_asset_ledger_update (fx->db, TENURE_LEDGER_UNIT, 1, v, NULL,
                                               &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(GHashTable) v = values_new ("name", "1F-01 Starbucks", "vacancy_reason", "", NULL);

    g_assert_true (tenure_asset_ledger_update (fx->db, TENURE_LEDGER_UNIT, 1, v, NULL,
                                               &error));
    g_assert_no_error (error);
  }
  {
    /* The same values again: no write, no audit entry. */
    g_autoptr(GHashTable) v = values_new ("name", "1F-01 Starbucks", "leasable_area",
                                          "160.00", NULL);

    before = audit_count (fx->db);
    g_assert_true (tenure_asset_ledger_update (fx->db, TENURE_LEDGER_UNIT, 1, v, NULL,
                                               &error));
    g_assert_no_error (error);
    g_assert_cmpint (audit_count (fx->db), ==, before);
  }

  history = tenure_asset_history_list (fx->db, TENURE_LEDGER_UNIT, 1, FALSE, 0, &error);
  g_assert_no_error (error);
  /* Newest first: the rename, the area and price, the insert. */
  g_assert_cmpuint (history->len, ==, 3);

  entry = g_ptr_array_index (history, 0);
  g_assert_cmpstr (entry->action, ==, "update");
  g_assert_cmpstr (entry->actor, ==, actor);
  g_assert_cmpstr (entry->code, ==, "SH-XH01-A-1F-01");
  g_assert_cmpuint (entry->changes->len, ==, 1);
  change = find_change (entry, "name");
  g_assert_nonnull (change);
  g_assert_cmpstr (change->label, ==, "Name");
  g_assert_cmpstr (change->old_value, ==, "1F-01");
  g_assert_cmpstr (change->new_value, ==, "1F-01 Starbucks");

  entry = g_ptr_array_index (history, 1);
  g_assert_cmpstr (entry->action, ==, "update");
  g_assert_cmpuint (entry->changes->len, ==, 2);
  change = find_change (entry, "leasable_area_c");
  g_assert_nonnull (change);
  g_assert_cmpstr (change->label, ==, "Leasable area (m²)");
  g_assert_cmpstr (change->old_value, ==, "150.00 m²");
  g_assert_cmpstr (change->new_value, ==, "160.00 m²");
  change = find_change (entry, "asking_price_e4");
  g_assert_nonnull (change);
  g_assert_null (change->old_value);
  g_assert_cmpstr (change->new_value, ==, "12.50");
  g_assert_cmpstr (entry->at, <=, ((TenureAssetHistoryEntry *) g_ptr_array_index (history,
                                                                                  0))->at);

  entry = g_ptr_array_index (history, 2);
  g_assert_cmpstr (entry->action, ==, "insert");
  change = find_change (entry, "gfa_area_c");
  g_assert_nonnull (change);
  g_assert_null (change->old_value);
  g_assert_cmpstr (change->new_value, ==, "200.00 m²");
  g_assert_null (find_change (entry, "id"));
  g_assert_null (find_change (entry, "created_at"));

  /* The building with its children: its own insert, the floor's, both units' entries. */
  g_clear_pointer (&history, g_ptr_array_unref);
  history = tenure_asset_history_list (fx->db, TENURE_LEDGER_BUILDING, 1, TRUE, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 1 + 1 + 3 + 1);
  entry = g_ptr_array_index (history, 0);
  g_assert_cmpint (entry->kind, ==, TENURE_LEDGER_UNIT);
  g_assert_cmpint (entry->row_id, ==, 1);
  entry = g_ptr_array_index (history, history->len - 1);
  g_assert_cmpint (entry->kind, ==, TENURE_LEDGER_BUILDING);
  g_clear_pointer (&history, g_ptr_array_unref);

  history = tenure_asset_history_list (fx->db, TENURE_LEDGER_PROJECT, 1, TRUE, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 2);
  g_clear_pointer (&history, g_ptr_array_unref);

  /* A retirement shows as a change of the retirement date; the status as its label. */
  g_assert_true (tenure_asset_ledger_retire (fx->db, TENURE_LEDGER_UNIT, 2,
                                             tenure_date_from_ymd (2026, 1, 15), &error));
  g_assert_no_error (error);
  history = tenure_asset_history_list (fx->db, TENURE_LEDGER_UNIT, 2, FALSE, 0, &error);
  g_assert_no_error (error);
  entry = g_ptr_array_index (history, 0);
  change = find_change (entry, "retired_on");
  g_assert_nonnull (change);
  g_assert_cmpstr (change->label, ==, "Retired on");
  g_assert_null (change->old_value);
  g_assert_cmpstr (change->new_value, ==, "2026-01-15");
  g_clear_pointer (&history, g_ptr_array_unref);

  history = tenure_asset_history_list (fx->db, TENURE_LEDGER_FLOOR, 99, TRUE, 0, &error);
  g_assert_null (history);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);

  /* The chain still verifies after all of it. */
  g_clear_error (&error);
  g_assert_true (tenure_audit_verify (fx->db, NULL, &error));
  g_assert_no_error (error);
}

static void
test_format_value (void)
{
  g_autofree char *area = tenure_asset_history_format_value ("gfa_area_c", "123456789");
  g_autofree char *status = tenure_asset_history_format_value ("stored_status", "renovation");
  g_autofree char *format = tenure_asset_history_format_value ("format", "industrial_park");
  g_autofree char *poly = tenure_asset_history_format_value ("polygon",
                                                             "[[0,0],[10,0],[10,5],[0,5]]");

  g_assert_cmpstr (area, ==, "1,234,567.89 m²");
  g_assert_cmpstr (status, ==, "Under renovation");
  g_assert_cmpstr (format, ==, "Industrial park");
  g_assert_cmpstr (poly, ==, "Polygon of 4 points");
  g_assert_null (tenure_asset_history_format_value ("name", NULL));
  g_assert_cmpstr (tenure_asset_ledger_field_label ("nonesuch"), ==, "nonesuch");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  backend = tenure_test_backend_from_args (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/asset-ledger/create-levels", test_create_levels);
  ADD ("/asset-ledger/codes", test_codes);
  ADD ("/asset-ledger/areas", test_areas);
  ADD ("/asset-ledger/other-fields", test_other_fields);
  ADD ("/asset-ledger/status-and-retire", test_status_and_retire);
  ADD ("/asset-ledger/history", test_history);
#undef ADD
  g_test_add_func ("/asset-ledger/format-value", test_format_value);

  return g_test_run ();
}
